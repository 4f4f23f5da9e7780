//! Properties over random settings and allocation traces: the heap goal against its formula,
//! `simulate` against a step-by-step model, and the trade-offs GOGC and GOMEMLIMIT make.

use gc_pacer::{Event, Gogc, MIB, MIN_HEAP_GOAL, Pacer, Report, simulate};
use proptest::prelude::*;
use testkit::strategy::{ops, toward};

/// The byte counts the contract names: nothing, the 4 MiB floor, saturation.
const BYTE_BOUNDARIES: [u64; 3] = [0, MIN_HEAP_GOAL, u64::MAX];

/// Byte counts: mostly the size of real allocations, sometimes exactly 0 or the 4 MiB floor
/// (a zero-byte allocation still runs a cycle past the goal), sometimes huge (saturation). A
/// failure shrinks to 0, 4 MiB or u64::MAX before any other number.
fn bytes() -> impl Strategy<Value = u64> {
    toward(
        prop_oneof![
            1 => prop::sample::select(vec![0, MIN_HEAP_GOAL]),
            8 => 0..=16 * MIB,
            1 => any::<u64>(),
        ],
        BYTE_BOUNDARIES,
    )
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        3 => bytes().prop_map(Event::Live),
        6 => bytes().prop_map(Event::Garbage),
        1 => Just(Event::Gc),
    ]
}

fn trace() -> impl Strategy<Value = Vec<Event>> {
    ops(event(), 0..48)
}

/// A steady workload: every live byte allocated by the first event, then garbage and
/// `runtime.GC()` calls.
fn steady_trace() -> impl Strategy<Value = Vec<Event>> {
    let rest = prop_oneof![
        9 => bytes().prop_map(Event::Garbage),
        1 => Just(Event::Gc),
    ];
    (bytes(), ops(rest, 0..48)).prop_map(|(live, rest)| {
        let mut trace = vec![Event::Live(live)];
        trace.extend(rest);
        trace
    })
}

/// GOGC percents: mostly realistic, sometimes anything; shrinking tries 0, Go's default
/// 100 and u32::MAX first.
fn percent() -> impl Strategy<Value = u32> {
    toward(
        prop_oneof![
            4 => 0u32..=800,
            1 => any::<u32>(),
        ],
        [0, 100, u32::MAX],
    )
}

fn gogc() -> impl Strategy<Value = Gogc> {
    prop_oneof![
        5 => percent().prop_map(Gogc::Percent),
        1 => Just(Gogc::Off),
    ]
}

/// Memory limits: none, or mostly up to 128 MiB, sometimes exactly 0 (a limit too: every
/// goal is 0) or anything.
fn limit() -> impl Strategy<Value = Option<u64>> {
    prop::option::of(toward(
        prop_oneof![
            1 => Just(0),
            4 => 0..=128 * MIB,
            1 => any::<u64>(),
        ],
        BYTE_BOUNDARIES,
    ))
}

/// Where a setting sits on the scale from "collect often" to "never": off is the top.
fn rank(gogc: Gogc) -> u64 {
    match gogc {
        Gogc::Percent(percent) => u64::from(percent),
        Gogc::Off => u64::MAX,
    }
}

fn pacer(gogc: Gogc, limit: Option<u64>) -> Pacer {
    match limit {
        Some(limit) => Pacer::new(gogc).with_memory_limit(limit),
        None => Pacer::new(gogc),
    }
}

/// `None` (no goal) compares above every goal.
fn goal_rank(goal: Option<u64>) -> u128 {
    goal.map_or(u128::MAX, u128::from)
}

/// The heap goal, from the README's formula.
fn model_goal(gogc: Gogc, limit: Option<u64>, live: u64) -> Option<u64> {
    let by_gogc = match gogc {
        Gogc::Percent(percent) => {
            let exact = u128::from(live) + u128::from(live) * u128::from(percent) / 100;
            Some(u64::try_from(exact).unwrap_or(u64::MAX).max(MIN_HEAP_GOAL))
        }
        Gogc::Off => None,
    };
    match (by_gogc, limit) {
        (Some(goal), Some(limit)) => Some(goal.min(limit)),
        (goal, None) => goal,
        (None, limit) => limit,
    }
}

/// The simulator, from the README's rules, one step at a time.
fn model_simulate(gogc: Gogc, limit: Option<u64>, trace: &[Event]) -> Report {
    let (mut live, mut garbage, mut cycles, mut peak) = (0u64, 0u64, 0u64, 0u64);
    let mut goal = model_goal(gogc, limit, 0);
    for &event in trace {
        let bytes = match event {
            Event::Live(bytes) | Event::Garbage(bytes) => bytes,
            Event::Gc => {
                garbage = 0;
                goal = model_goal(gogc, limit, live);
                cycles += 1;
                continue;
            }
        };
        if goal.is_some_and(|goal| live.saturating_add(garbage).saturating_add(bytes) > goal) {
            garbage = 0;
            goal = model_goal(gogc, limit, live);
            cycles += 1;
        }
        if let Event::Live(_) = event {
            live = live.saturating_add(bytes);
        } else {
            garbage = garbage.saturating_add(bytes);
        }
        peak = peak.max(live.saturating_add(garbage));
    }
    Report {
        cycles,
        peak_heap: peak,
    }
}

fn allocation(event: &Event) -> u64 {
    match *event {
        Event::Live(bytes) | Event::Garbage(bytes) => bytes,
        Event::Gc => 0,
    }
}

fn live_bytes(trace: &[Event]) -> u64 {
    trace.iter().fold(0u64, |sum, event| match *event {
        Event::Live(bytes) => sum.saturating_add(bytes),
        _ => sum,
    })
}

fn gc_calls(trace: &[Event]) -> u64 {
    trace.iter().filter(|event| **event == Event::Gc).count() as u64
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn heap_goal_matches_its_formula(
        gogc in gogc(),
        limit in limit(),
        live in toward(prop_oneof![3 => 0..=256 * MIB, 1 => any::<u64>()], BYTE_BOUNDARIES),
    ) {
        let got = pacer(gogc, limit).heap_goal(live);
        let expected = model_goal(gogc, limit, live);
        prop_assert_eq!(
            got, expected,
            "heap_goal({}) with GOGC={}, memory limit {:?}: expected {:?}, got {:?}",
            live, gogc, limit, expected, got
        );
    }

    #[testkit::check]
    #[test]
    fn heap_goal_never_shrinks_when_gogc_or_the_live_heap_grows(
        settings in (gogc(), gogc()),
        lives in (bytes(), bytes()),
        limit in limit(),
    ) {
        let (low, high) = if rank(settings.0) <= rank(settings.1) { settings } else { (settings.1, settings.0) };
        let (small, large) = (lives.0.min(lives.1), lives.0.max(lives.1));
        let lower = pacer(low, limit).heap_goal(small);
        let higher = pacer(high, limit).heap_goal(large);
        prop_assert!(
            goal_rank(lower) <= goal_rank(higher),
            "with memory limit {:?}: GOGC={} at {} live bytes gives the goal {:?}, \
             but the larger GOGC={} at {} live bytes gives the smaller goal {:?} (None means no goal)",
            limit, low, small, lower, high, large, higher
        );
    }

    #[testkit::check]
    #[test]
    fn set_gc_percent_always_returns_the_previous_setting(
        start in gogc(),
        percents in ops(
            toward(
                prop_oneof![3 => -300i32..=300, 1 => any::<i32>()],
                [0, -1, 100, i32::MAX, i32::MIN],
            ),
            1..8,
        ),
    ) {
        let mut pacer = Pacer::new(start);
        let mut previous = start;
        for percent in percents {
            let expected = match previous {
                Gogc::Percent(old) => i32::try_from(old).unwrap_or(i32::MAX),
                Gogc::Off => -1,
            };
            let got = pacer.set_gc_percent(percent);
            prop_assert_eq!(
                got, expected,
                "set_gc_percent({}) after GOGC={}: expected the old setting {}, got {}",
                percent, previous, expected, got
            );
            let now = if percent < 0 { Gogc::Off } else { Gogc::Percent(percent as u32) };
            prop_assert_eq!(
                pacer.gogc(), now,
                "after set_gc_percent({}), gogc() should be {:?}", percent, now
            );
            previous = now;
        }
    }

    #[testkit::check]
    #[test]
    fn simulate_matches_a_step_by_step_model(gogc in gogc(), limit in limit(), trace in trace()) {
        let got = simulate(&pacer(gogc, limit), &trace);
        let expected = model_simulate(gogc, limit, &trace);
        prop_assert_eq!(
            got, expected,
            "GOGC={}, memory limit {:?}, the trace below: expected {:?}, got {:?}",
            gogc, limit, expected, got
        );
    }

    #[testkit::check]
    #[test]
    fn every_cycle_comes_from_an_event(gogc in gogc(), limit in limit(), trace in trace()) {
        let report = simulate(&pacer(gogc, limit), &trace);
        let (forced, events) = (gc_calls(&trace), trace.len() as u64);
        prop_assert!(
            forced <= report.cycles && report.cycles <= events,
            "a trace of {} events with {} runtime.GC() calls can run between {} and {} cycles, \
             got {} (GOGC={}, memory limit {:?})",
            events, forced, forced, events, report.cycles, gogc, limit
        );
    }

    #[testkit::check]
    #[test]
    fn the_peak_holds_every_live_byte_and_every_allocation(
        gogc in gogc(),
        limit in limit(),
        trace in trace(),
    ) {
        let report = simulate(&pacer(gogc, limit), &trace);
        let live = live_bytes(&trace);
        let largest = trace.iter().map(allocation).max().unwrap_or(0);
        prop_assert!(
            report.peak_heap >= live && report.peak_heap >= largest,
            "the peak heap must hold all {} live bytes and the largest allocation ({} bytes), \
             got a peak of {} (GOGC={}, memory limit {:?})",
            live, largest, report.peak_heap, gogc, limit
        );
    }

    #[testkit::check]
    #[test]
    fn a_higher_gogc_never_runs_more_cycles(
        settings in (gogc(), gogc()),
        limit in limit(),
        trace in trace(),
    ) {
        let (low, high) = if rank(settings.0) <= rank(settings.1) { settings } else { (settings.1, settings.0) };
        let lower = simulate(&pacer(low, limit), &trace);
        let higher = simulate(&pacer(high, limit), &trace);
        prop_assert!(
            higher.cycles <= lower.cycles,
            "GOGC={} ran {} cycles but the higher GOGC={} ran {} (memory limit {:?})",
            low, lower.cycles, high, higher.cycles, limit
        );
    }

    #[testkit::check]
    #[test]
    fn a_higher_gogc_never_lowers_the_peak_of_a_steady_workload(
        percents in (percent(), percent()),
        limit in limit(),
        trace in steady_trace(),
    ) {
        let (low, high) = (percents.0.min(percents.1), percents.0.max(percents.1));
        let lower = simulate(&pacer(Gogc::Percent(low), limit), &trace);
        let higher = simulate(&pacer(Gogc::Percent(high), limit), &trace);
        prop_assert!(
            higher.peak_heap >= lower.peak_heap,
            "GOGC={} peaked at {} bytes but the higher GOGC={} peaked lower, at {} (memory limit {:?})",
            low, lower.peak_heap, high, higher.peak_heap, limit
        );
    }

    #[testkit::check]
    #[test]
    fn gogc_off_without_a_limit_collects_only_on_runtime_gc(
        other in gogc(),
        limit in limit(),
        trace in trace(),
    ) {
        let off = simulate(&Pacer::new(Gogc::Off), &trace);
        prop_assert_eq!(
            off.cycles, gc_calls(&trace),
            "GOGC=off without a limit must run exactly one cycle per runtime.GC() call"
        );
        let collected = simulate(&pacer(other, limit), &trace);
        prop_assert!(
            off.peak_heap >= collected.peak_heap,
            "GOGC=off without a limit peaked at {} bytes, below GOGC={} with limit {:?} ({} bytes)",
            off.peak_heap, other, limit, collected.peak_heap
        );
    }

    #[testkit::check]
    #[test]
    fn gogc_off_with_a_limit_collects_only_once_the_limit_is_hit(
        limit in toward(prop_oneof![3 => 0..=128 * MIB, 1 => any::<u64>()], BYTE_BOUNDARIES),
        trace in ops(
            prop_oneof![bytes().prop_map(Event::Live), bytes().prop_map(Event::Garbage)],
            0..48,
        ),
    ) {
        let report = simulate(&Pacer::new(Gogc::Off).with_memory_limit(limit), &trace);
        let allocated = trace.iter().map(allocation).fold(0u64, u64::saturating_add);
        if allocated <= limit {
            prop_assert_eq!(
                report.cycles, 0,
                "GOGC=off, limit {}: the trace allocates only {} bytes, so no cycle should run",
                limit, allocated
            );
        } else {
            prop_assert!(
                report.cycles >= 1,
                "GOGC=off, limit {}: the trace allocates {} bytes, so the limit must force a cycle",
                limit, allocated
            );
        }
    }

    #[testkit::check]
    #[test]
    fn a_memory_limit_caps_the_peak_when_every_allocation_fits(
        gogc in gogc(),
        headroom in toward(prop_oneof![3 => 0..=64 * MIB, 1 => any::<u64>()], BYTE_BOUNDARIES),
        trace in trace(),
    ) {
        let largest = trace.iter().map(allocation).max().unwrap_or(0);
        let limit = live_bytes(&trace).saturating_add(largest).saturating_add(headroom);
        let report = simulate(&Pacer::new(gogc).with_memory_limit(limit), &trace);
        prop_assert!(
            report.peak_heap <= limit,
            "GOGC={}, limit {}: every allocation fits under the limit, yet the heap peaked at {}",
            gogc, limit, report.peak_heap
        );
    }
}
