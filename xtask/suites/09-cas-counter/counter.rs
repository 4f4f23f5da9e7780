//! `Counter`, one thread at a time: each operation's return value and effect, edge cases first.

use cas_counter::Counter;
use rstest::rstest;

#[testkit::check]
#[test]
fn a_new_counter_holds_its_initial_value() {
    let counter = Counter::new(42);
    assert_eq!(counter.get(), 42, "Counter::new(42).get()");
}

#[testkit::check]
#[test]
fn a_default_counter_holds_zero() {
    let counter = Counter::default();
    assert_eq!(counter.get(), 0, "Counter::default().get()");
}

#[testkit::check]
#[test]
fn increments_count_up_one_at_a_time() {
    let counter = Counter::new(0);
    for expected in 0..5 {
        let got = counter.increment();
        assert_eq!(
            got, expected,
            "increment() must return the value before the add: expected {expected}, got {got}"
        );
    }
    assert_eq!(counter.get(), 5, "five increments from 0 must leave 5");
}

#[testkit::check]
#[rstest]
#[case::from_zero(0, 1)]
#[case::from_a_large_value(1 << 40, (1 << 40) + 1)]
#[case::just_below_the_top(u64::MAX - 1, u64::MAX)]
#[case::at_the_top_wraps_to_zero(u64::MAX, 0)]
fn increment_returns_the_previous_value_and_adds_one(#[case] start: u64, #[case] after: u64) {
    let counter = Counter::new(start);
    let got = counter.increment();
    assert_eq!(
        got, start,
        "Counter::new({start}).increment() must return the previous value {start}, got {got}"
    );
    assert_eq!(
        counter.get(),
        after,
        "after incrementing {start} the counter must hold {after} (wrapping like fetch_add)"
    );
}

#[testkit::check]
#[rstest]
#[case::well_under_the_bound(0, 5, 10, Ok(0), 5)]
#[case::exactly_to_the_bound(5, 5, 10, Ok(5), 10)]
#[case::one_past_the_bound(6, 5, 10, Err(6), 6)]
#[case::zero_below_the_bound(3, 0, 10, Ok(3), 3)]
#[case::zero_at_the_bound(10, 0, 10, Ok(10), 10)]
#[case::zero_above_the_bound(12, 0, 10, Err(12), 12)]
#[case::bound_below_the_current_value(12, 1, 10, Err(12), 12)]
#[case::bound_of_zero(0, 1, 0, Err(0), 0)]
#[case::exactly_to_u64_max(u64::MAX - 1, 1, u64::MAX, Ok(u64::MAX - 1), u64::MAX)]
#[case::one_past_u64_max(u64::MAX, 1, u64::MAX, Err(u64::MAX), u64::MAX)]
#[case::an_add_that_would_wrap(2, u64::MAX, u64::MAX, Err(2), 2)]
fn add_bounded_adds_only_when_the_result_stays_within_max(
    #[case] start: u64,
    #[case] n: u64,
    #[case] max: u64,
    #[case] expected: Result<u64, u64>,
    #[case] after: u64,
) {
    let counter = Counter::new(start);
    let got = counter.add_bounded(n, max);
    assert_eq!(
        got, expected,
        "Counter::new({start}).add_bounded({n}, {max}): expected {expected:?}, got {got:?}"
    );
    assert_eq!(
        counter.get(),
        after,
        "after add_bounded({n}, {max}) on {start} the counter must hold {after}"
    );
}

#[testkit::check]
#[rstest]
#[case::smaller_keeps_the_value(5, 3, 5)]
#[case::equal_keeps_the_value(5, 5, 5)]
#[case::larger_raises_the_value(5, 9, 9)]
#[case::zero_from_zero(0, 0, 0)]
#[case::u64_max_from_zero(0, u64::MAX, u64::MAX)]
#[case::zero_from_u64_max(u64::MAX, 0, u64::MAX)]
fn fetch_max_returns_the_previous_value_and_keeps_the_larger(
    #[case] start: u64,
    #[case] v: u64,
    #[case] after: u64,
) {
    let counter = Counter::new(start);
    let got = counter.fetch_max(v);
    assert_eq!(
        got, start,
        "Counter::new({start}).fetch_max({v}) must return the previous value {start}, got {got}"
    );
    assert_eq!(
        counter.get(),
        after,
        "after fetch_max({v}) on {start} the counter must hold {after}"
    );
}
