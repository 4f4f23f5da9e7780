//! Raw readings: the portable `Fallback` on every machine, then the x86_64 `Tsc`.
//!
//! A reading never goes backwards on one thread. The TSC checks run on x86_64 only; on a
//! CPU without an invariant TSC they check that `Tsc::new()` says so, and stop there.

use std::time::{Duration, Instant};

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{__cpuid, __rdtscp, _mm_lfence};

#[cfg(target_arch = "x86_64")]
use cycle_clock::Tsc;
use cycle_clock::{Clock, Fallback, TickSource};

/// Reads `source` `reads` times, alternating `now` and `now_ordered`, and panics at the
/// first reading smaller than the one before it.
fn assert_never_backwards<S: TickSource + ?Sized>(source: &S, reads: usize, what: &str) {
    let mut previous = source.now_ordered();
    for i in 0..reads {
        let reading = if i % 2 == 0 {
            source.now()
        } else {
            source.now_ordered()
        };
        assert!(
            reading >= previous,
            "{what}: reading {i} went backwards, from {previous} to {reading}"
        );
        previous = reading;
    }
}

/// An instant `age` ago.
fn ago(age: Duration) -> Instant {
    Instant::now()
        .checked_sub(age)
        .expect("this machine's monotonic clock should reach back a few seconds")
}

#[testkit::check]
#[test]
fn fallback_readings_count_nanoseconds_since_the_epoch() {
    let epoch = ago(Duration::from_secs(5));
    let source = Fallback::since(epoch);
    for _ in 0..100 {
        let before = epoch.elapsed().as_nanos();
        let reading = source.now();
        let after = epoch.elapsed().as_nanos();
        assert!(
            before <= u128::from(reading) && u128::from(reading) <= after,
            "Fallback::since(an instant 5 s ago).now() should be the nanoseconds since that \
             epoch, between {before} and {after}; got {reading}"
        );
    }
}

#[testkit::check]
#[test]
fn fallback_readings_never_go_backwards_on_one_thread() {
    assert_never_backwards(&Fallback::new(), 100_000, "Fallback");
}

#[testkit::check]
#[test]
fn fallback_readings_never_go_backwards_across_a_whole_second() {
    // The epoch is 5 s minus 2 ms ago, so the readings below cross the 5 s mark.
    let source = Fallback::since(ago(Duration::from_secs(5) - Duration::from_millis(2)));
    let mut previous = source.now();
    while source.epoch().elapsed() < Duration::from_secs(5) + Duration::from_millis(2) {
        let reading = source.now();
        assert!(
            reading >= previous,
            "Fallback went backwards from {previous} to {reading} ns as its age crossed 5 s: \
             count the whole duration (`as_nanos`), not the nanoseconds within the second"
        );
        previous = reading;
    }
}

#[testkit::check]
#[test]
fn each_thread_sees_fallback_readings_in_order() {
    let source = Fallback::new();
    let threads: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(move || assert_never_backwards(&source, 50_000, "Fallback")))
        .collect();
    for t in threads {
        if let Err(panic) = t.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

#[testkit::check]
#[test]
fn a_fallback_clock_measures_a_sleep_like_instant() {
    let clock = Clock::fallback();
    let outer_start = Instant::now();
    let start = clock.now_ordered();
    std::thread::sleep(Duration::from_millis(5));
    let end = clock.now_ordered();
    let outer = outer_start.elapsed();
    let measured = clock.to_duration(end.saturating_sub(start));
    assert!(
        Duration::from_millis(5) <= measured && measured <= outer,
        "Clock::fallback() measured a 5 ms sleep as {measured:?}; expected at least 5 ms and at \
         most the {outer:?} Instant saw around it"
    );
}

/// What CPUID says, independently of the code under test.
#[cfg(target_arch = "x86_64")]
fn cpu_has_invariant_tsc_and_rdtscp() -> bool {
    if __cpuid(0x8000_0000).eax < 0x8000_0007 {
        return false;
    }
    let rdtscp = __cpuid(0x8000_0001).edx & (1 << 27) != 0;
    let invariant = __cpuid(0x8000_0007).edx & (1 << 8) != 0;
    rdtscp && invariant
}

/// `Tsc::new()`, checked against CPUID; `None` on CPUs without an invariant TSC.
#[cfg(target_arch = "x86_64")]
fn checked_tsc() -> Option<Tsc> {
    let tsc = Tsc::new();
    let expected = cpu_has_invariant_tsc_and_rdtscp();
    assert_eq!(
        tsc.is_some(),
        expected,
        "Tsc::new() should be Some exactly when CPUID reports an invariant TSC \
         (leaf 0x8000_0007, EDX bit 8) and RDTSCP (leaf 0x8000_0001, EDX bit 27); \
         this CPU reports {expected}, Tsc::new() returned {tsc:?}"
    );
    tsc
}

/// The counter read by RDTSCP followed by LFENCE, as the oracle.
#[cfg(target_arch = "x86_64")]
fn oracle() -> u64 {
    let mut aux = 0u32;
    // SAFETY: only called after CPUID reported RDTSCP (through `checked_tsc`), and `aux`
    // is a valid place for the instruction to write IA32_TSC_AUX.
    let ticks = unsafe { __rdtscp(&mut aux) };
    // SAFETY: LFENCE is part of SSE2, which every x86_64 CPU has.
    unsafe { _mm_lfence() };
    ticks
}

#[cfg(target_arch = "x86_64")]
#[testkit::check]
#[test]
fn tsc_is_available_exactly_when_cpuid_reports_an_invariant_tsc() {
    checked_tsc();
}

#[cfg(target_arch = "x86_64")]
#[testkit::check]
#[test]
fn tsc_readings_are_the_cpu_timestamp_counter() {
    let Some(tsc) = checked_tsc() else { return };
    for _ in 0..1_000 {
        let before = oracle();
        let plain = tsc.now();
        let middle = oracle();
        let ordered = tsc.now_ordered();
        let after = oracle();
        assert!(
            before <= plain && plain <= middle,
            "Tsc::now() returned {plain}, outside the timestamp counter's readings around \
             it ({before} ..= {middle}): read it with _rdtsc"
        );
        assert!(
            middle <= ordered && ordered <= after,
            "Tsc::now_ordered() returned {ordered}, outside the timestamp counter's \
             readings around it ({middle} ..= {after}): read it with __rdtscp"
        );
    }
}

#[cfg(target_arch = "x86_64")]
#[testkit::check]
#[test]
fn tsc_readings_never_go_backwards_on_one_thread() {
    let Some(tsc) = checked_tsc() else { return };
    assert_never_backwards(&tsc, 100_000, "Tsc");
}

#[cfg(target_arch = "x86_64")]
#[testkit::check]
#[test]
fn each_thread_sees_tsc_readings_in_order() {
    let Some(tsc) = checked_tsc() else { return };
    let threads: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(move || assert_never_backwards(&tsc, 50_000, "Tsc")))
        .collect();
    for t in threads {
        if let Err(panic) = t.join() {
            std::panic::resume_unwind(panic);
        }
    }
}
