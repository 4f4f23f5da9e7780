//! Edge cases, one table per rule: construction, the range check, quantile rounding and
//! clamping, coordinated-omission correction, merging.

use latency_histogram::{CreationError, Histogram, MergeError, OutOfRange};
use rstest::rstest;

fn histogram(low: u64, high: u64, sigfig: u8) -> Histogram {
    Histogram::new(low, high, sigfig).unwrap_or_else(|e| {
        panic!("Histogram::new({low}, {high}, {sigfig}) should succeed, got Err({e:?})")
    })
}

#[testkit::check]
#[rstest]
#[case::lowest_is_zero(0, 100, 3, CreationError::LowIsZero)]
#[case::sigfig_zero(1, 100, 0, CreationError::SigFigOutOfRange)]
#[case::sigfig_six(1, 100, 6, CreationError::SigFigOutOfRange)]
#[case::highest_below_twice_lowest(10, 19, 3, CreationError::HighLessThanTwiceLow)]
#[case::highest_equals_lowest(10, 10, 1, CreationError::HighLessThanTwiceLow)]
#[case::twice_lowest_overflows(u64::MAX / 2 + 1, u64::MAX, 1, CreationError::HighLessThanTwiceLow)]
#[case::five_figures_above_2_pow_46(1 << 46, u64::MAX, 5, CreationError::CannotRepresentSigFigBeyondLow)]
#[case::one_figure_above_2_pow_59(1 << 59, u64::MAX, 1, CreationError::CannotRepresentSigFigBeyondLow)]
fn new_rejects_invalid_arguments(
    #[case] low: u64,
    #[case] high: u64,
    #[case] sigfig: u8,
    #[case] expected: CreationError,
) {
    let got = Histogram::new(low, high, sigfig).map(|h| h.len());
    assert_eq!(
        got,
        Err(expected),
        "Histogram::new({low}, {high}, {sigfig}): expected Err({expected:?}), got {got:?}"
    );
}

#[testkit::check]
#[rstest]
#[case::the_smallest_range(1, 2, 1)]
#[case::one_figure_up_to_u64_max(1, u64::MAX, 1)]
#[case::three_figures_up_to_u64_max(1, u64::MAX, 3)]
#[case::five_figures_from_2_pow_45(1 << 45, u64::MAX, 5)]
#[case::one_figure_from_2_pow_58(1 << 58, u64::MAX, 1)]
#[case::lowest_not_a_power_of_two(1000, 10_000_000, 2)]
fn new_accepts_extreme_arguments_and_records_both_ends(
    #[case] low: u64,
    #[case] high: u64,
    #[case] sigfig: u8,
) {
    let mut h = histogram(low, high, sigfig);
    assert_eq!(
        (h.lowest_discernible(), h.highest_trackable(), h.sigfig()),
        (low, high, sigfig),
        "the getters should return the arguments given to new"
    );
    assert_eq!(h.record(0), Ok(()), "record(0) should succeed");
    assert_eq!(
        h.record(high),
        Ok(()),
        "record({high}) (the highest trackable value) should succeed"
    );
    assert_eq!(h.len(), 2, "two values recorded, len() is {}", h.len());
    assert_eq!(
        h.count_at(high),
        1,
        "count_at({high}) after recording it once"
    );
    let want_max = h.highest_equivalent(high);
    assert_eq!(
        h.max(),
        want_max,
        "max() should be highest_equivalent({high}) = {want_max}"
    );
    assert_eq!(h.min(), 0, "min() after recording 0");
}

#[testkit::check]
#[rstest]
#[case::unit_slots_with_room_left(1, 1000, 3)]
#[case::wide_last_slot(1, 10_000, 1)]
#[case::lowest_1000(1000, 1_000_000, 2)]
#[case::five_figures(1, 1 << 20, 5)]
fn record_accepts_every_value_up_to_the_highest_trackable_and_no_more(
    #[case] low: u64,
    #[case] high: u64,
    #[case] sigfig: u8,
) {
    let mut h = histogram(low, high, sigfig);
    assert_eq!(
        h.record(high),
        Ok(()),
        "record({high}) should succeed: it is the highest trackable value"
    );
    assert_eq!(
        h.record(high - 1),
        Ok(()),
        "record({}) should succeed",
        high - 1
    );
    for value in [high + 1, high + 2, high * 2, u64::MAX] {
        let got = h.record(value);
        assert_eq!(
            got,
            Err(OutOfRange {
                value,
                highest_trackable: high
            }),
            "record({value}) is above the highest trackable value {high}: expected an OutOfRange error, got {got:?}"
        );
    }
    assert_eq!(
        h.len(),
        2,
        "refused values must not be counted: len() should be 2, got {}",
        h.len()
    );
    let want_max = h.highest_equivalent(high);
    assert_eq!(
        h.max(),
        want_max,
        "refused values must not move max(): expected {want_max}, got {}",
        h.max()
    );
}

#[testkit::check]
#[test]
fn a_refused_value_changes_nothing() {
    let mut h = histogram(1, 1_000_000, 3);
    h.record(500).unwrap();
    h.record(700).unwrap();
    let before = (
        h.len(),
        h.min(),
        h.max(),
        h.mean(),
        h.value_at_quantile(0.5),
    );
    let refused = [
        h.record(2_000_000),
        h.record_n(1_000_001, 5),
        h.record_corrected(5_000_000, 1000),
    ];
    for (i, result) in refused.iter().enumerate() {
        assert!(
            result.is_err(),
            "call {i} recorded a value above 1_000_000: expected Err(OutOfRange), got {result:?}"
        );
    }
    let after = (
        h.len(),
        h.min(),
        h.max(),
        h.mean(),
        h.value_at_quantile(0.5),
    );
    assert_eq!(
        after, before,
        "(len, min, max, mean, P50) changed after refused records"
    );
}

#[testkit::check]
#[test]
fn record_n_with_a_zero_count_changes_nothing() {
    let mut h = histogram(1, 1_000_000, 3);
    h.record(500).unwrap();
    assert_eq!(
        h.record_n(900_000, 0),
        Ok(()),
        "record_n(900_000, 0) is in range: expected Ok"
    );
    assert_eq!(
        h.record_n(1, 0),
        Ok(()),
        "record_n(1, 0) is in range: expected Ok"
    );
    assert_eq!(
        (h.len(), h.min(), h.max(), h.count_at(900_000)),
        (1, 500, 500, 0),
        "(len, min, max, count_at(900_000)) after recording 500 once and two zero counts"
    );
    assert_eq!(
        h.record_n(1_000_001, 0),
        Err(OutOfRange {
            value: 1_000_001,
            highest_trackable: 1_000_000
        }),
        "record_n(1_000_001, 0): a zero count does not make an out-of-range value acceptable"
    );
}

#[testkit::check]
#[test]
fn count_at_a_value_past_the_counters_is_0() {
    let mut h = histogram(1, 1_000_000, 3);
    h.record(1_000_000).unwrap();
    for value in [u64::MAX / 2, u64::MAX] {
        assert_eq!(
            h.count_at(value),
            0,
            "count_at({value}): its slot is past the end of the counters, so 0 (not a panic)"
        );
    }
}

#[testkit::check]
#[test]
fn counts_saturate_instead_of_wrapping() {
    let mut h = histogram(1, 1_000_000, 3);
    h.record_n(42, u64::MAX - 1).unwrap();
    h.record_n(42, 5).unwrap();
    h.record(7).unwrap();
    assert_eq!(
        h.count_at(42),
        u64::MAX,
        "count_at(42) should saturate at u64::MAX"
    );
    assert_eq!(h.len(), u64::MAX, "len() should saturate at u64::MAX");
    assert_eq!(
        (h.value_at_quantile(0.5), h.value_at_quantile(1.0)),
        (42, 42),
        "(P50, P100) of one 7 and u64::MAX × 42: the running sum behind a quantile saturates \
         too, so a saturated histogram still answers"
    );
}

#[testkit::check]
#[test]
fn merged_counts_saturate_instead_of_wrapping() {
    let mut h = histogram(1, 1_000_000, 3);
    h.record_n(42, u64::MAX - 1).unwrap();
    let mut other = histogram(1, 1_000_000, 3);
    other.record_n(42, 5).unwrap();
    other.record(7).unwrap();
    h.merge(&other).unwrap();
    assert_eq!(
        (h.count_at(42), h.len(), h.count_at(7), h.min()),
        (u64::MAX, u64::MAX, 1, 7),
        "(count_at(42), len(), count_at(7), min()) after merging 5 × 42 and one 7 into \
         u64::MAX - 1 × 42: the counter and the total saturate at u64::MAX, the rest merges"
    );
}

#[testkit::check]
#[test]
fn values_below_the_lowest_discernible_share_the_first_slots() {
    // lowest_discernible 1000 → slots in bucket 0 are 2^floor(log2(1000)) = 512 wide.
    let mut h = histogram(1000, 1_000_000_000, 3);
    for (value, lowest, highest) in [
        (0, 0, 511),
        (5, 0, 511),
        (511, 0, 511),
        (512, 512, 1023),
        (1000, 512, 1023),
    ] {
        assert_eq!(
            (
                h.lowest_equivalent(value),
                h.highest_equivalent(value),
                h.equivalent_range(value)
            ),
            (lowest, highest, 512),
            "with lowest_discernible 1000: (lowest_equivalent, highest_equivalent, equivalent_range) of {value}"
        );
    }
    h.record(5).unwrap();
    h.record(300).unwrap();
    assert_eq!(
        h.count_at(0),
        2,
        "5 and 300 share the slot 0..=511: count_at(0) should be 2"
    );
    assert_eq!(
        (h.min(), h.max()),
        (0, 511),
        "(min, max) after recording 5 and 300"
    );
}

#[testkit::check]
#[rstest]
#[case::a_quarter_is_the_first(0.25, 1)]
#[case::just_above_a_quarter_is_the_second(0.26, 2)]
#[case::half_is_the_second(0.5, 2)]
#[case::just_above_half_is_the_third(0.51, 3)]
#[case::three_quarters_is_the_third(0.75, 3)]
#[case::just_above_three_quarters_is_the_fourth(0.76, 4)]
#[case::a_tiny_quantile_still_reaches_the_first(0.01, 1)]
#[case::one_is_the_last(1.0, 4)]
fn the_target_count_rounds_up(#[case] q: f64, #[case] expected: u64) {
    let mut h = histogram(1, 1_000_000, 3);
    for v in [1, 2, 3, 4] {
        h.record(v).unwrap();
    }
    let got = h.value_at_quantile(q);
    assert_eq!(
        got, expected,
        "with 1, 2, 3, 4 recorded: value_at_quantile({q}) targets count max(1, ceil({q} * 4)), so expected {expected}, got {got}"
    );
}

#[testkit::check]
#[rstest]
#[case::zero_is_the_lowest_equivalent(0.0, 8_994_816)]
#[case::a_tiny_quantile_is_the_highest_equivalent(1e-9, 9_003_007)]
#[case::half_is_the_highest_equivalent(0.5, 9_003_007)]
#[case::one_is_the_highest_equivalent(1.0, 9_003_007)]
#[case::below_zero_clamps_to_zero(-0.5, 8_994_816)]
#[case::minus_infinity_clamps_to_zero(f64::NEG_INFINITY, 8_994_816)]
#[case::above_one_clamps_to_one(1.5, 9_003_007)]
#[case::infinity_clamps_to_one(f64::INFINITY, 9_003_007)]
fn a_quantile_answers_with_an_end_of_the_slot_reached(#[case] q: f64, #[case] expected: u64) {
    // 9 ms at 3 significant figures lives in the slot 8_994_816..=9_003_007 (8192 wide).
    let mut h = histogram(1, 1_000_000_000, 3);
    h.record(9_000_000).unwrap();
    let got = h.value_at_quantile(q);
    assert_eq!(
        got, expected,
        "with 9_000_000 recorded (slot 8_994_816..=9_003_007): value_at_quantile({q}) should be {expected}, got {got}"
    );
}

#[testkit::check]
#[test]
fn min_and_max_are_quantiles_zero_and_one() {
    let mut h = histogram(1, 1_000_000_000, 3);
    for v in [9_000_000, 3_000, 45_678, 123_456_789] {
        h.record(v).unwrap();
    }
    assert_eq!(
        h.min(),
        3_000,
        "min() of 9_000_000, 3_000, 45_678, 123_456_789"
    );
    assert_eq!(
        h.max(),
        123_469_823,
        "max(): 123_456_789 lives in the slot 123_404_288..=123_469_823"
    );
    assert_eq!(
        h.value_at_quantile(0.0),
        h.min(),
        "value_at_quantile(0.0) should equal min()"
    );
    assert_eq!(
        h.value_at_quantile(1.0),
        h.max(),
        "value_at_quantile(1.0) should equal max()"
    );
}

#[testkit::check]
#[test]
fn an_empty_histogram_answers_zero() {
    let h = histogram(1, 1_000_000, 3);
    assert_eq!(h.len(), 0, "len() of a new histogram");
    assert!(h.is_empty(), "is_empty() of a new histogram");
    assert_eq!(
        (h.min(), h.max(), h.count_at(5)),
        (0, 0, 0),
        "(min, max, count_at(5)) of a new histogram"
    );
    assert_eq!(h.mean(), 0.0, "mean() of a new histogram");
    for q in [0.0, 0.5, 0.99, 1.0] {
        assert_eq!(
            h.value_at_quantile(q),
            0,
            "value_at_quantile({q}) of a new histogram"
        );
    }
}

#[testkit::check]
#[rstest]
#[case::no_correction_with_interval_zero(1000, 0, &[1000])]
#[case::every_missing_request(1000, 100, &[1000, 900, 800, 700, 600, 500, 400, 300, 200, 100])]
#[case::stops_before_going_below_the_interval(1000, 300, &[1000, 700, 400])]
#[case::a_remainder_below_the_interval_is_dropped(250, 100, &[250, 150])]
#[case::a_value_equal_to_the_interval(100, 100, &[100])]
#[case::a_value_below_the_interval(99, 100, &[99])]
#[case::zero(0, 100, &[0])]
#[case::an_interval_of_one(5, 1, &[5, 4, 3, 2, 1])]
fn corrected_recording_adds_the_missing_samples(
    #[case] value: u64,
    #[case] interval: u64,
    #[case] expected: &[u64],
) {
    // Five figures keep every value below 200_000 in its own slot.
    let mut h = histogram(1, 1_000_000, 5);
    assert_eq!(
        h.record_corrected(value, interval),
        Ok(()),
        "record_corrected({value}, {interval}) should succeed"
    );
    let recorded: Vec<u64> = (0..=value).rev().filter(|&v| h.count_at(v) > 0).collect();
    assert_eq!(
        recorded, expected,
        "record_corrected({value}, {interval}) should record exactly {expected:?} (largest first), got {recorded:?}"
    );
    assert_eq!(
        h.len(),
        expected.len() as u64,
        "len() after record_corrected({value}, {interval})"
    );
}

#[testkit::check]
#[rstest]
#[case::a_different_lowest(Histogram::new(2, 1_000_000, 3))]
#[case::a_different_highest(Histogram::new(1, 2_000_000, 3))]
#[case::a_highest_with_the_same_slots(Histogram::new(1, 1_000_001, 3))]
#[case::a_lowest_with_the_same_slots(Histogram::new(3, 1_000_000, 3))]
#[case::different_significant_figures(Histogram::new(1, 1_000_000, 2))]
fn merge_refuses_a_histogram_with_other_arguments(#[case] other: Result<Histogram, CreationError>) {
    let mut other = other.expect("valid arguments");
    other.record(1000).unwrap();
    let mut h = histogram(1, 1_000_000, 3);
    h.record(10).unwrap();
    let got = h.merge(&other);
    assert_eq!(
        got,
        Err(MergeError),
        "merging {other:?} into {h:?} should fail: different new() arguments"
    );
    assert_eq!(
        (h.len(), h.max()),
        (1, 10),
        "(len, max) after a refused merge: nothing should change"
    );
}

#[testkit::check]
#[test]
fn merging_into_an_empty_histogram_copies_the_other() {
    let mut h = histogram(1, 1_000_000, 3);
    let mut other = histogram(1, 1_000_000, 3);
    for v in [300, 5_000, 70_000] {
        other.record(v).unwrap();
    }
    h.merge(&other).unwrap();
    assert_eq!(
        (h.len(), h.min(), h.max(), h.value_at_quantile(0.5)),
        (
            other.len(),
            other.min(),
            other.max(),
            other.value_at_quantile(0.5)
        ),
        "(len, min, max, P50) of an empty histogram after merging one holding 300, 5_000, 70_000"
    );
}

#[testkit::check]
#[test]
fn merging_an_empty_histogram_changes_nothing() {
    let mut h = histogram(1, 1_000_000, 3);
    for v in [300, 5_000, 70_000] {
        h.record(v).unwrap();
    }
    let before = (
        h.len(),
        h.min(),
        h.max(),
        h.mean(),
        h.value_at_quantile(0.5),
    );
    h.merge(&histogram(1, 1_000_000, 3)).unwrap();
    let after = (
        h.len(),
        h.min(),
        h.max(),
        h.mean(),
        h.value_at_quantile(0.5),
    );
    assert_eq!(
        after, before,
        "(len, min, max, mean, P50) changed after merging an empty histogram"
    );
}

#[testkit::check]
#[test]
fn count_at_a_value_above_the_highest_in_its_last_slot_counts() {
    let mut h = histogram(1, 1_000_000, 3);
    h.record(1_000_000).unwrap();
    let top = h.highest_equivalent(1_000_000);
    assert!(top > 1_000_000, "the last slot reaches past 1_000_000");
    assert_eq!(
        h.count_at(top),
        1,
        "count_at({top}): above highest_trackable but in the slot of 1_000_000, which was \
         recorded once; only a slot past the end of the counters answers 0"
    );
}

#[testkit::check]
#[test]
fn the_mean_of_large_values_and_counts_does_not_saturate() {
    // 3e12 × 1e7 is 3e19, more than u64::MAX: a sum in u64 would saturate.
    let mut h = histogram(1, 3_600_000_000_000, 3);
    h.record_n(3_000_000_000_000, 10_000_000).unwrap();
    let (low, high) = (
        h.lowest_equivalent(3_000_000_000_000),
        h.highest_equivalent(3_000_000_000_000),
    );
    let mean = h.mean();
    assert!(
        low as f64 <= mean && mean <= high as f64,
        "mean() of 10_000_000 × 3_000_000_000_000 should lie in that value's slot \
         {low}..={high}, got {mean}"
    );
}
