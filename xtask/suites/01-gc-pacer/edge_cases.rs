//! Edge cases, one table per function: `Gogc::parse`, `Pacer::heap_goal`,
//! `Pacer::set_gc_percent`, then `simulate` on traces short enough to follow by hand.

use Event::{Garbage, Gc, Live};
use gc_pacer::{Event, Gogc, MIB, MIN_HEAP_GOAL, Pacer, Report, simulate};
use rstest::rstest;

#[testkit::check]
#[rstest]
#[case::the_default("100", Gogc::Percent(100))]
#[case::two_hundred("200", Gogc::Percent(200))]
#[case::zero("0", Gogc::Percent(0))]
#[case::off("off", Gogc::Off)]
#[case::minus_one_is_off("-1", Gogc::Off)]
#[case::any_negative_is_off("-250", Gogc::Off)]
#[case::empty_falls_back_to_100("", Gogc::Percent(100))]
#[case::upper_case_off_is_not_off("OFF", Gogc::Percent(100))]
#[case::spaces_are_not_trimmed(" 50", Gogc::Percent(100))]
#[case::words_fall_back_to_100("lots", Gogc::Percent(100))]
#[case::too_big_for_i32_falls_back_to_100("3000000000", Gogc::Percent(100))]
#[case::too_negative_for_i32_falls_back_to_100("-3000000000", Gogc::Percent(100))]
#[case::minus_zero_is_zero("-0", Gogc::Percent(0))]
#[case::a_plus_sign_is_accepted("+50", Gogc::Percent(50))]
#[case::a_lone_minus_falls_back_to_100("-", Gogc::Percent(100))]
#[case::minus_then_words_falls_back_to_100("-x", Gogc::Percent(100))]
fn gogc_parses_like_the_go_runtime(#[case] value: &str, #[case] expected: Gogc) {
    let got = Gogc::parse(value);
    assert_eq!(
        got, expected,
        "Gogc::parse({value:?}): expected {expected:?}, got {got:?}"
    );
}

#[testkit::check]
#[rstest]
#[case::gogc_100_doubles(Gogc::Percent(100), None, 10 * MIB, Some(20 * MIB))]
#[case::gogc_200_triples(Gogc::Percent(200), None, 10 * MIB, Some(30 * MIB))]
#[case::gogc_50_adds_half(Gogc::Percent(50), None, 10 * MIB, Some(15 * MIB))]
#[case::gogc_0_is_the_live_heap(Gogc::Percent(0), None, 10 * MIB, Some(10 * MIB))]
#[case::an_empty_heap_gets_the_floor(Gogc::Percent(100), None, 0, Some(MIN_HEAP_GOAL))]
#[case::a_small_heap_gets_the_floor(Gogc::Percent(100), None, MIB, Some(MIN_HEAP_GOAL))]
#[case::the_floor_holds_for_gogc_0(Gogc::Percent(0), None, MIB, Some(MIN_HEAP_GOAL))]
#[case::multiply_before_dividing(Gogc::Percent(100), None, 4 * MIB + 150, Some(8 * MIB + 300))]
#[case::round_down_once(Gogc::Percent(25), None, 10 * MIB + 3, Some(13_107_203))]
#[case::off_without_a_limit_has_no_goal(Gogc::Off, None, 10 * MIB, None)]
#[case::off_with_a_limit_aims_at_the_limit(Gogc::Off, Some(64 * MIB), 10 * MIB, Some(64 * MIB))]
#[case::a_limit_above_the_goal_changes_nothing(
    Gogc::Percent(100),
    Some(64 * MIB),
    10 * MIB,
    Some(20 * MIB)
)]
#[case::the_limit_caps_the_goal(Gogc::Percent(100), Some(64 * MIB), 40 * MIB, Some(64 * MIB))]
#[case::the_limit_wins_over_the_floor(Gogc::Percent(100), Some(2 * MIB), MIB, Some(2 * MIB))]
#[case::a_limit_of_zero_is_a_limit(Gogc::Percent(100), Some(0), 10 * MIB, Some(0))]
#[case::off_with_a_limit_of_zero_aims_at_zero(Gogc::Off, Some(0), 10 * MIB, Some(0))]
#[case::exact_when_only_the_product_overflows(
    Gogc::Percent(100),
    None,
    1 << 60,
    Some(1 << 61)
)]
#[case::saturates_on_a_huge_heap(Gogc::Percent(100), None, u64::MAX, Some(u64::MAX))]
#[case::saturates_on_a_huge_percent(Gogc::Percent(u32::MAX), None, 1 << 40, Some(u64::MAX))]
#[case::a_percent_near_u32_max_does_not_overflow(
    Gogc::Percent(u32::MAX),
    None,
    1 << 30,
    Some(46_116_861_247_278_284)
)]
fn heap_goal_follows_gogc_the_floor_and_the_limit(
    #[case] gogc: Gogc,
    #[case] limit: Option<u64>,
    #[case] live: u64,
    #[case] expected: Option<u64>,
) {
    let mut pacer = Pacer::new(gogc);
    if let Some(limit) = limit {
        pacer = pacer.with_memory_limit(limit);
    }
    let got = pacer.heap_goal(live);
    assert_eq!(
        got, expected,
        "heap_goal({live}) with GOGC={gogc}, memory limit {limit:?}: expected {expected:?}, got {got:?}"
    );
}

#[testkit::check]
#[rstest]
#[case::from_the_default(Gogc::Percent(100), 200, 100, Gogc::Percent(200))]
#[case::to_zero(Gogc::Percent(100), 0, 100, Gogc::Percent(0))]
#[case::minus_one_turns_it_off(Gogc::Percent(100), -1, 100, Gogc::Off)]
#[case::any_negative_turns_it_off(Gogc::Percent(50), i32::MIN, 50, Gogc::Off)]
#[case::off_reads_back_as_minus_one(Gogc::Off, 100, -1, Gogc::Percent(100))]
#[case::off_to_off(Gogc::Off, -7, -1, Gogc::Off)]
#[case::the_largest_percent(Gogc::Percent(0), i32::MAX, 0, Gogc::Percent(i32::MAX as u32))]
#[case::a_percent_above_i32_max_reads_back_as_i32_max(
    Gogc::Percent(u32::MAX),
    100,
    i32::MAX,
    Gogc::Percent(100)
)]
fn set_gc_percent_returns_the_old_setting(
    #[case] start: Gogc,
    #[case] percent: i32,
    #[case] expected_old: i32,
    #[case] expected_now: Gogc,
) {
    let mut pacer = Pacer::new(start).with_memory_limit(64 * MIB);
    let old = pacer.set_gc_percent(percent);
    assert_eq!(
        old, expected_old,
        "starting at GOGC={start}, set_gc_percent({percent}) should return the old setting {expected_old}, got {old}"
    );
    assert_eq!(
        pacer.gogc(),
        expected_now,
        "after set_gc_percent({percent}), gogc() should be {expected_now:?}, got {:?}",
        pacer.gogc()
    );
    assert_eq!(
        pacer.memory_limit(),
        Some(64 * MIB),
        "set_gc_percent must leave the memory limit alone"
    );
}

#[testkit::check]
#[rstest]
#[case::an_empty_trace(Gogc::Percent(100), None, vec![], 0, 0)]
#[case::off_never_collects(Gogc::Off, None, vec![Garbage(10 * MIB); 3], 0, 30 * MIB)]
#[case::reaching_the_goal_exactly_needs_no_cycle(
    Gogc::Percent(100),
    None,
    vec![Live(3 * MIB), Garbage(MIB)],
    0,
    4 * MIB
)]
#[case::one_byte_past_the_goal_runs_a_cycle_first(
    Gogc::Percent(100),
    None,
    vec![Live(3 * MIB), Garbage(MIB), Garbage(1)],
    1,
    4 * MIB
)]
#[case::reaching_the_limit_exactly_needs_no_cycle(
    Gogc::Off,
    Some(16 * MIB),
    vec![Garbage(8 * MIB); 2],
    0,
    16 * MIB
)]
#[case::going_past_the_limit_runs_a_cycle_first(
    Gogc::Off,
    Some(16 * MIB),
    vec![Garbage(8 * MIB); 3],
    1,
    16 * MIB
)]
#[case::the_limit_is_soft(Gogc::Off, Some(16 * MIB), vec![Live(20 * MIB), Garbage(MIB)], 2, 21 * MIB)]
#[case::a_zero_byte_allocation_past_the_goal_runs_a_cycle(
    Gogc::Off,
    Some(16 * MIB),
    vec![Live(20 * MIB), Garbage(0)],
    2,
    20 * MIB
)]
#[case::the_goal_comes_from_the_live_heap(
    Gogc::Percent(100),
    None,
    vec![Live(8 * MIB), Garbage(8 * MIB), Garbage(8 * MIB), Garbage(8 * MIB)],
    4,
    16 * MIB
)]
#[case::runtime_gc_collects_even_when_off(
    Gogc::Off,
    None,
    vec![Garbage(10 * MIB), Gc, Garbage(5 * MIB)],
    1,
    10 * MIB
)]
#[case::runtime_gc_sets_the_next_goal(
    Gogc::Percent(100),
    None,
    vec![Live(10 * MIB), Gc, Garbage(10 * MIB)],
    2,
    20 * MIB
)]
#[case::byte_counts_saturate(
    Gogc::Off,
    None,
    vec![Live(u64::MAX), Garbage(u64::MAX), Live(1)],
    0,
    u64::MAX
)]
fn simulate_follows_small_traces(
    #[case] gogc: Gogc,
    #[case] limit: Option<u64>,
    #[case] trace: Vec<Event>,
    #[case] cycles: u64,
    #[case] peak_heap: u64,
) {
    let mut pacer = Pacer::new(gogc);
    if let Some(limit) = limit {
        pacer = pacer.with_memory_limit(limit);
    }
    let got = simulate(&pacer, &trace);
    let expected = Report { cycles, peak_heap };
    assert_eq!(
        got, expected,
        "simulate with GOGC={gogc}, memory limit {limit:?}, trace {trace:?}: expected {expected:?}, got {got:?}"
    );
}
