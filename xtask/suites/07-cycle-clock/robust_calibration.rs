//! Calibration: `calibrate` on synthetic windows (exact, deterministic), `measure_window` on
//! a scripted source, then `Clock::calibrated` against the real `Instant`, with a tolerance
//! of ±20% that a busy, shared machine does not break.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use cycle_clock::{Clock, Conversion, Fallback, TickSource, Window, calibrate, measure_window};
use proptest::prelude::*;
use rstest::rstest;

/// 1 ns per 3 ticks: ⌊2^32 / 3⌋.
const THREE_GHZ: u64 = 1_431_655_765;
const ONE_NS: u64 = 1 << 32;

fn w(ticks: u64, nanos: u64) -> Window {
    Window { ticks, nanos }
}

#[testkit::check]
#[rstest]
#[case::one_window(vec![w(3_000, 1_000)], Some(THREE_GHZ))]
#[case::identical_windows(vec![w(3_000, 1_000); 3], Some(THREE_GHZ))]
#[case::a_preempted_window_among_five(
    vec![w(3_000, 1_000), w(3_000, 1_000), w(3_000, 90_000), w(3_000, 1_000), w(3_000, 1_000)],
    Some(THREE_GHZ)
)]
#[case::two_outliers_among_five(
    vec![w(3_000, 90_000), w(3_000, 1_000), w(3_000, 1_000), w(1, 1_000_000), w(3_000, 1_000)],
    Some(THREE_GHZ)
)]
#[case::an_outlier_in_the_middle_of_the_input(
    vec![w(1_000, 1_000), w(1_000, 1_000_000), w(1_000, 1_000)],
    Some(ONE_NS)
)]
#[case::the_median_of_unsorted_ratios(
    vec![w(1_000, 1_000), w(1_000, 3_000), w(1_000, 2_000)],
    Some(2 * ONE_NS)
)]
#[case::windows_of_different_lengths(
    vec![w(3_000, 1_000), w(30_000, 10_000), w(300, 100)],
    Some(THREE_GHZ)
)]
#[case::an_even_count_takes_the_mean_of_the_middle_two(
    vec![w(1_000, 2_000), w(1_000, 1_000)],
    Some(3 * ONE_NS / 2)
)]
#[case::an_even_count_rounds_the_mean_down(
    vec![w(1 << 32, 1), w(1 << 31, 1)],
    Some(1)
)]
#[case::an_even_count_of_huge_multipliers_does_not_overflow(
    vec![w(1, u32::MAX as u64); 2],
    Some(18_446_744_069_414_584_320)
)]
#[case::windows_without_ticks_are_skipped(vec![w(0, 1_000), w(3_000, 1_000)], Some(THREE_GHZ))]
#[case::windows_without_nanoseconds_are_skipped(
    vec![w(1_000, 0), w(1_000, 0), w(3_000, 1_000)],
    Some(THREE_GHZ)
)]
#[case::windows_whose_ratio_does_not_fit_are_skipped(
    vec![w(1, 1 << 32), w(1, 1 << 40), w(3_000, 1_000)],
    Some(THREE_GHZ)
)]
#[case::no_windows(vec![], None)]
#[case::only_empty_windows(vec![w(0, 5), w(5, 0), w(0, 0)], None)]
#[case::only_windows_that_do_not_fit(vec![w(1, 1 << 40)], None)]
fn calibrate_keeps_the_median_window(
    #[case] windows: Vec<Window>,
    #[case] expected_mult: Option<u64>,
) {
    let got = calibrate(&windows).map(|c| c.mult());
    assert_eq!(
        got, expected_mult,
        "calibrate({windows:?}) should give mult {expected_mult:?} (the median of each usable \
         window's ⌊nanos × 2^32 / ticks⌋), got {got:?}"
    );
}

/// The median of the usable windows' multipliers, written out step by step.
fn median_model(windows: &[Window]) -> Option<u64> {
    let mut mults = Vec::new();
    for window in windows {
        if window.ticks == 0 || window.nanos == 0 {
            continue;
        }
        let mult = (u128::from(window.nanos) << 32) / u128::from(window.ticks);
        if let Ok(mult) = u64::try_from(mult) {
            mults.push(mult);
        }
    }
    mults.sort();
    let n = mults.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(mults[n / 2]),
        _ => Some(((u128::from(mults[n / 2 - 1]) + u128::from(mults[n / 2])) / 2) as u64),
    }
}

fn any_window() -> impl Strategy<Value = Window> {
    prop_oneof![
        // Realistic: 1 µs to 10 ms of a 100 MHz to 10 GHz counter, give or take.
        (1_000u64..10_000_000, 1u64..100_000_000).prop_map(|(nanos, ticks)| w(ticks, nanos)),
        // Anything, empty and absurd windows included.
        (any::<u64>(), any::<u64>()).prop_map(|(ticks, nanos)| w(ticks, nanos)),
        Just(w(0, 1_000)),
        Just(w(1_000, 0)),
    ]
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn calibrate_matches_a_sorted_median_model(
        windows in prop::collection::vec(any_window(), 0..12),
    ) {
        let got = calibrate(&windows).map(|c| c.mult());
        let expected = median_model(&windows);
        prop_assert_eq!(
            got, expected,
            "calibrate({:?}): expected mult {:?}, got {:?}", windows, expected, got
        );
    }

    /// More good windows than outliers, in any order: the median is a good window.
    #[testkit::check]
    #[test]
    fn a_minority_of_outlier_windows_never_moves_the_calibration(
        nanos in 1u64..10_000,
        ticks in 1u64..30_000,
        lengths in prop::collection::vec(1u64..1_000, 1..8),
        outliers in prop::collection::vec((1u64..1 << 40, 1u64..1 << 40), 0..8),
        positions in prop::collection::vec(any::<prop::sample::Index>(), 8),
    ) {
        // Every good window has the same ratio, so the same multiplier.
        let mut windows: Vec<Window> =
            lengths.iter().map(|&k| w(ticks * k, nanos * k)).collect();
        let outliers = &outliers[..outliers.len().min(lengths.len() - 1)];
        for (&(t, n), position) in outliers.iter().zip(&positions) {
            let at = position.index(windows.len() + 1);
            windows.insert(at, w(t, n));
        }
        let got = calibrate(&windows);
        let expected = Conversion::from_ratio(nanos, ticks);
        prop_assert_eq!(
            got, expected,
            "{} good windows of {} ns per {} ticks and {} outliers: calibrate({:?}) should be \
             the good windows' conversion {:?}, got {:?}",
            lengths.len(), nanos, ticks, outliers.len(), windows, expected, got
        );
    }
}

/// A source that returns scripted readings and counts the reads.
#[derive(Debug)]
struct Script(RefCell<VecDeque<u64>>);

impl Script {
    fn new(readings: &[u64]) -> Script {
        Script(RefCell::new(readings.iter().copied().collect()))
    }

    fn left(&self) -> usize {
        self.0.borrow().len()
    }
}

/// Scripted readings come from `now_ordered` only: `measure_window` reads the source with
/// `now_ordered()` at both ends, never with `now()`.
impl TickSource for Script {
    fn now(&self) -> u64 {
        panic!(
            "measure_window read the source with now(): both ends must be \
             source.now_ordered(), so the spin cannot move across them"
        )
    }

    fn now_ordered(&self) -> u64 {
        self.0
            .borrow_mut()
            .pop_front()
            .expect("the source was read more often than expected")
    }
}

#[testkit::check]
#[test]
fn measure_window_reads_the_source_once_at_each_end() {
    let source = Script::new(&[1_000, 1_042]);
    let window = measure_window(&source, Duration::from_micros(200));
    assert_eq!(
        source.left(),
        0,
        "measure_window should read the source exactly twice, at the start and at the end"
    );
    assert_eq!(
        window.ticks, 42,
        "the source read 1000 then 1042, so the window should hold 42 ticks, got {window:?}"
    );
    assert!(
        window.nanos >= 200_000,
        "a window of 200 µs should measure at least 200000 ns on Instant, got {window:?}"
    );
}

#[testkit::check]
#[test]
fn a_window_whose_source_steps_back_counts_zero_ticks() {
    let source = Script::new(&[1_042, 1_000]);
    let window = measure_window(&source, Duration::ZERO);
    assert_eq!(
        window.ticks, 0,
        "the source read 1042 then 1000: the window should count 0 ticks, not wrap, got {window:?}"
    );
}

#[testkit::check]
#[test]
fn the_nanoseconds_of_a_window_cover_its_ticks() {
    // Fallback ticks are nanoseconds read inside the window, so Instant sees at least as many.
    let length = Duration::from_millis(2);
    for _ in 0..5 {
        let window = measure_window(&Fallback::new(), length);
        assert!(
            window.nanos >= 2_000_000 && 0 < window.ticks && window.ticks <= window.nanos,
            "a 2 ms window on Fallback should have nanos >= 2000000 and 0 < ticks <= nanos \
             (read the Instants outside the source readings), got {window:?}"
        );
    }
}

#[testkit::check]
#[test]
fn calibrating_with_no_windows_gives_no_clock() {
    let clock = Clock::calibrated(Fallback::new(), 0, Duration::from_millis(1));
    assert!(
        clock.is_none(),
        "Clock::calibrated with 0 windows has nothing to go on and should be None, got {clock:?}"
    );
}

/// A counter at three ticks per nanosecond, made from `Instant`: a TSC you can have
/// on any machine.
#[derive(Debug)]
struct ThreeTicksPerNano(Instant);

impl TickSource for ThreeTicksPerNano {
    fn now(&self) -> u64 {
        3 * self.0.elapsed().as_nanos() as u64
    }
}

/// Measures a 20 ms sleep with `clock`, bracketed by `Instant` readings, and panics unless
/// it lies within 20% of what `Instant` saw. Preemption between two reads only widens the
/// bracket, so a busy machine makes the check more lenient, never flaky.
fn assert_agrees_with_instant<S: TickSource>(clock: &Clock<S>, what: &str) {
    let before_start = Instant::now();
    let start = clock.now_ordered();
    let after_start = Instant::now();
    std::thread::sleep(Duration::from_millis(20));
    let before_end = Instant::now();
    let end = clock.now_ordered();
    let after_end = Instant::now();
    let shortest = (before_end - after_start).as_nanos() as f64;
    let longest = (after_end - before_start).as_nanos() as f64;
    let measured = clock.to_nanos(end.saturating_sub(start)) as f64;
    assert!(
        (0.8 * shortest..=1.2 * longest).contains(&measured),
        "{what}, calibrated to {:.4} ns per tick, measured a 20 ms sleep as {measured} ns; \
         Instant saw between {shortest} and {longest} ns. Expected within 20%.",
        clock.conversion().nanos_per_tick()
    );
}

#[testkit::check]
#[test]
fn a_calibrated_fallback_counts_one_nanosecond_per_tick() {
    let clock = Clock::calibrated(Fallback::new(), 5, Duration::from_millis(2))
        .expect("5 windows of 2 ms should calibrate");
    let ns_per_tick = clock.conversion().nanos_per_tick();
    assert!(
        (0.8..=1.2).contains(&ns_per_tick),
        "Fallback ticks are nanoseconds, so calibration should find about 1 ns per tick \
         (within 20%), got {ns_per_tick:.4}"
    );
    assert_agrees_with_instant(&clock, "a calibrated Fallback");
}

#[testkit::check]
#[test]
fn calibration_finds_the_rate_of_a_three_ghz_counter() {
    let clock = Clock::calibrated(
        ThreeTicksPerNano(Instant::now()),
        5,
        Duration::from_millis(2),
    )
    .expect("5 windows of 2 ms should calibrate");
    let ns_per_tick = clock.conversion().nanos_per_tick();
    assert!(
        (0.8 / 3.0..=1.2 / 3.0).contains(&ns_per_tick),
        "a counter at 3 ticks per ns should calibrate to about 0.333 ns per tick \
         (within 20%), got {ns_per_tick:.4}"
    );
    assert_agrees_with_instant(&clock, "a 3 GHz counter");
}

#[cfg(target_arch = "x86_64")]
#[testkit::check]
#[test]
fn a_calibrated_tsc_agrees_with_instant_within_20_percent() {
    let Some(tsc) = cycle_clock::Tsc::new() else {
        // No invariant TSC here: its rate may change, so there is nothing to calibrate.
        return;
    };
    let clock = Clock::calibrated(tsc, 5, Duration::from_millis(2))
        .expect("5 windows of 2 ms should calibrate the TSC");
    assert_agrees_with_instant(&clock, "the TSC");
}
