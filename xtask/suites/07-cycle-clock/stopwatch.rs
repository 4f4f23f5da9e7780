//! The stopwatch: first on a scripted source, where every reading is known, then on the real
//! fallback clock.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use cycle_clock::{Clock, Conversion, Stopwatch, TickSource};
use proptest::prelude::*;

/// A source that returns scripted readings, one per `now_ordered` read. A plain `now` read
/// fails the check: the stopwatch must use the ordered read.
#[derive(Debug)]
struct Script(RefCell<VecDeque<u64>>);

impl TickSource for Script {
    fn now(&self) -> u64 {
        panic!(
            "the stopwatch read the clock with now(): every read must be clock.now_ordered(), \
             so that the code being timed cannot move across the reading"
        )
    }

    fn now_ordered(&self) -> u64 {
        self.0.borrow_mut().pop_front().expect(
            "the stopwatch read the clock more often than expected: \
             start, lap and elapsed each read it exactly once",
        )
    }
}

fn scripted(readings: &[u64], conversion: Conversion) -> Clock<Script> {
    Clock::new(
        Script(RefCell::new(readings.iter().copied().collect())),
        conversion,
    )
}

fn assert_all_read(clock: &Clock<Script>) {
    let left = clock.source().0.borrow().len();
    assert_eq!(
        left, 0,
        "the stopwatch read the clock {left} time(s) less than expected: \
         start, lap and elapsed each read it exactly once"
    );
}

fn ns(nanos: u64) -> Duration {
    Duration::from_nanos(nanos)
}

#[testkit::check]
#[test]
fn laps_and_elapsed_each_read_the_clock_once() {
    let clock = scripted(&[100, 130, 170, 260], Conversion::NANOS);
    let mut stopwatch = Stopwatch::start(&clock);
    let first = stopwatch.lap();
    let second = stopwatch.lap();
    let elapsed = stopwatch.elapsed();
    assert_eq!(
        (first, second, elapsed),
        (ns(30), ns(40), ns(160)),
        "readings 100 (start), 130 (lap), 170 (lap), 260 (elapsed): expected laps of 30 and \
         40 ns and 160 ns elapsed, got {first:?}, {second:?}, {elapsed:?}"
    );
    assert_all_read(&clock);
}

#[testkit::check]
#[test]
fn elapsed_counts_from_the_start_whatever_the_laps() {
    let clock = scripted(&[0, 10, 25, 40], Conversion::NANOS);
    let mut stopwatch = clock.stopwatch();
    let before_any_lap = stopwatch.elapsed();
    let lap = stopwatch.lap();
    let after_a_lap = stopwatch.elapsed();
    assert_eq!(
        (before_any_lap, lap, after_a_lap),
        (ns(10), ns(25), ns(40)),
        "readings 0 (start), 10 (elapsed), 25 (lap), 40 (elapsed): expected 10 ns elapsed, a \
         25 ns lap, then 40 ns elapsed, got {before_any_lap:?}, {lap:?}, {after_a_lap:?}"
    );
    assert_all_read(&clock);
}

#[testkit::check]
#[test]
fn a_stopwatch_converts_ticks_with_its_clock() {
    let two_ns_per_tick = Conversion::from_mult(2 << 32);
    let clock = scripted(&[1_000, 1_021, 1_050], two_ns_per_tick);
    let mut stopwatch = clock.stopwatch();
    let lap = stopwatch.lap();
    let elapsed = stopwatch.elapsed();
    assert_eq!(
        (lap, elapsed),
        (ns(42), ns(100)),
        "at 2 ns per tick, readings 1000, 1021 (lap), 1050 (elapsed) should give a 42 ns lap \
         and 100 ns elapsed, got {lap:?} and {elapsed:?}"
    );
}

#[testkit::check]
#[test]
fn a_stopwatch_converts_the_tick_difference() {
    // At 1 ns per 3 ticks: to_nanos(4 - 1) = 0, while to_nanos(4) - to_nanos(1) = 1 - 0 = 1.
    let three_ghz = Conversion::from_mult(1_431_655_765);
    let clock = scripted(&[1, 4, 4], three_ghz);
    let mut stopwatch = clock.stopwatch();
    let lap = stopwatch.lap();
    let elapsed = stopwatch.elapsed();
    assert_eq!(
        (lap, elapsed),
        (ns(0), ns(0)),
        "at 1 ns per 3 ticks, readings 1 then 4 are 3 ticks apart, which converts to 0 ns; \
         got a lap of {lap:?} and {elapsed:?} elapsed (convert the difference of the readings, \
         not the difference of converted readings)"
    );
}

#[testkit::check]
#[test]
fn a_clock_that_steps_back_gives_zero_not_a_panic() {
    let clock = scripted(&[100, 90, 95, 80], Conversion::NANOS);
    let mut stopwatch = clock.stopwatch();
    let back = stopwatch.lap();
    let forward = stopwatch.lap();
    let elapsed = stopwatch.elapsed();
    assert_eq!(
        (back, forward, elapsed),
        (ns(0), ns(5), ns(0)),
        "readings 100 (start), 90 (lap), 95 (lap), 80 (elapsed): a reading below the one it is \
         compared with counts as 0, and the next lap starts at 90; expected 0, 5 ns, 0, got \
         {back:?}, {forward:?}, {elapsed:?}"
    );
}

/// What a stopwatch should report for `readings` (start, then one per call) and `calls`
/// (`true` for a lap, `false` for elapsed), at one tick per nanosecond.
fn stopwatch_model(readings: &[u64], calls: &[bool]) -> Vec<u64> {
    let start = readings[0];
    let mut lap_start = start;
    let mut out = Vec::new();
    for (&lap, &now) in calls.iter().zip(&readings[1..]) {
        if lap {
            out.push(now.saturating_sub(lap_start));
            lap_start = now;
        } else {
            out.push(now.saturating_sub(start));
        }
    }
    out
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn a_stopwatch_agrees_with_a_model_on_any_readings(
        (readings, calls) in (1usize..12).prop_flat_map(|n| (
            prop::collection::vec(
                prop_oneof![0u64..1_000, any::<u64>()],
                n + 1,
            ),
            prop::collection::vec(any::<bool>(), n),
        )),
    ) {
        let clock = scripted(&readings, Conversion::NANOS);
        let mut stopwatch = clock.stopwatch();
        let got: Vec<u64> = calls
            .iter()
            .map(|&lap| if lap { stopwatch.lap() } else { stopwatch.elapsed() })
            .map(|d| d.as_nanos() as u64)
            .collect();
        let expected = stopwatch_model(&readings, &calls);
        prop_assert_eq!(
            &got, &expected,
            "readings {:?}, calls {:?} (true = lap, false = elapsed): expected {:?} ns, got {:?}",
            readings, calls, expected, got
        );
    }
}

#[testkit::check]
#[test]
fn a_stopwatch_measures_a_sleep() {
    let clock = Clock::fallback();
    let outer_start = Instant::now();
    let mut stopwatch = clock.stopwatch();
    std::thread::sleep(Duration::from_millis(5));
    let lap = stopwatch.lap();
    std::thread::sleep(Duration::from_millis(5));
    let elapsed = stopwatch.elapsed();
    let outer = outer_start.elapsed();
    assert!(
        lap >= Duration::from_millis(5),
        "a lap around a 5 ms sleep should be at least 5 ms, got {lap:?}"
    );
    assert!(
        lap + Duration::from_millis(5) <= elapsed && elapsed <= outer,
        "after a {lap:?} lap and another 5 ms sleep, elapsed should be at least {:?} and at most \
         the {outer:?} Instant saw around it, got {elapsed:?}",
        lap + Duration::from_millis(5)
    );
}
