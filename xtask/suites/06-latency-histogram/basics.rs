//! The first things to get right: an empty histogram, a few recorded latencies, and the
//! shape of the slots (exact for small values, three significant figures beyond).

use latency_histogram::{DEFAULT_HIGHEST_TRACKABLE, DEFAULT_SIGFIG, Histogram, OutOfRange};

#[testkit::check]
#[test]
fn a_new_histogram_is_empty() {
    let h =
        Histogram::new(1, 1_000_000, 3).expect("Histogram::new(1, 1_000_000, 3) should succeed");
    assert_eq!(h.len(), 0, "len() of a new histogram");
    assert!(h.is_empty(), "is_empty() of a new histogram");
    assert_eq!(
        h.value_at_quantile(0.5),
        0,
        "value_at_quantile(0.5) of a new histogram"
    );
}

#[testkit::check]
#[test]
fn the_default_histogram_tracks_nanoseconds_up_to_an_hour_at_three_figures() {
    let mut h = Histogram::default();
    assert_eq!(
        (h.lowest_discernible(), h.highest_trackable(), h.sigfig()),
        (1, DEFAULT_HIGHEST_TRACKABLE, DEFAULT_SIGFIG),
        "Histogram::default() should be Histogram::new(1, {DEFAULT_HIGHEST_TRACKABLE}, {DEFAULT_SIGFIG})"
    );
    assert_eq!(
        h.record(DEFAULT_HIGHEST_TRACKABLE),
        Ok(()),
        "one hour should be recordable"
    );
    assert_eq!(
        h.record(DEFAULT_HIGHEST_TRACKABLE + 1),
        Err(OutOfRange {
            value: DEFAULT_HIGHEST_TRACKABLE + 1,
            highest_trackable: DEFAULT_HIGHEST_TRACKABLE
        }),
        "one hour and a nanosecond should be refused"
    );
}

#[testkit::check]
#[test]
fn recording_a_value_counts_it() {
    let mut h = Histogram::new(1, 1_000_000, 3).expect("valid bounds");
    assert_eq!(h.record(42), Ok(()), "record(42) should succeed");
    assert_eq!(h.len(), 1, "len() after one record");
    assert!(!h.is_empty(), "is_empty() after one record");
    assert_eq!(h.count_at(42), 1, "count_at(42) after recording 42");
    assert_eq!(h.count_at(41), 0, "count_at(41) after recording 42");
    assert_eq!(
        (h.min(), h.max()),
        (42, 42),
        "(min, max) after recording 42"
    );
    assert_eq!(h.mean(), 42.0, "mean() after recording 42");
    assert_eq!(
        h.value_at_quantile(0.5),
        42,
        "value_at_quantile(0.5) after recording 42"
    );
}

#[testkit::check]
#[test]
fn record_n_counts_a_value_n_times() {
    let mut h = Histogram::new(1, 1_000_000, 3).expect("valid bounds");
    h.record(10).unwrap();
    assert_eq!(h.record_n(20, 3), Ok(()), "record_n(20, 3) should succeed");
    assert_eq!(
        (h.len(), h.count_at(20)),
        (4, 3),
        "(len, count_at(20)) after record(10), record_n(20, 3)"
    );
    assert_eq!(h.mean(), 17.5, "mean() of 10, 20, 20, 20");
    assert_eq!(
        h.value_at_quantile(0.25),
        10,
        "value_at_quantile(0.25) of 10, 20, 20, 20"
    );
    assert_eq!(
        h.value_at_quantile(0.26),
        20,
        "value_at_quantile(0.26) of 10, 20, 20, 20"
    );
}

#[testkit::check]
#[test]
fn a_few_latencies_give_their_quantiles() {
    // The example from the README and the docs.
    let mut h = Histogram::new(1, 1_000_000_000, 3).expect("valid bounds");
    for latency in [120, 130, 125, 140, 9_000_000] {
        h.record(latency).unwrap();
    }
    assert_eq!(h.len(), 5, "len() after five records");
    assert_eq!(
        h.value_at_quantile(0.5),
        130,
        "P50 of 120, 130, 125, 140, 9_000_000"
    );
    assert_eq!(
        h.value_at_quantile(0.99),
        9_003_007,
        "P99 of 120, 130, 125, 140, 9_000_000: the top of 9 ms's slot 8_994_816..=9_003_007"
    );
    assert!(
        h.equivalent(9_003_007, 9_000_000),
        "9_003_007 and 9_000_000 share a slot"
    );
    assert!(
        !h.equivalent(130, 131),
        "130 and 131 have slots of their own"
    );
}

#[testkit::check]
#[rstest::rstest]
#[case::one_figure(1, 32)]
#[case::two_figures(2, 256)]
#[case::three_figures(3, 2048)]
#[case::four_figures(4, 32_768)]
#[case::five_figures(5, 262_144)]
fn values_below_the_sub_bucket_count_are_exact(#[case] sigfig: u8, #[case] exact_below: u64) {
    let h = Histogram::new(1, exact_below * 4, sigfig).expect("valid bounds");
    for v in (0..exact_below)
        .step_by((exact_below / 2048).max(1) as usize)
        .chain([exact_below - 1])
    {
        assert_eq!(
            (
                h.lowest_equivalent(v),
                h.highest_equivalent(v),
                h.equivalent_range(v)
            ),
            (v, v, 1),
            "sigfig {sigfig}: every value below {exact_below} has a slot of its own, but {v} does not: \
             (lowest_equivalent, highest_equivalent, equivalent_range)"
        );
    }
    let v = exact_below;
    assert_eq!(
        (
            h.lowest_equivalent(v),
            h.highest_equivalent(v + 1),
            h.equivalent_range(v)
        ),
        (v, v + 1, 2),
        "sigfig {sigfig}: {v} starts the second bucket, whose slots are 2 wide: \
         (lowest_equivalent({v}), highest_equivalent({}), equivalent_range({v}))",
        v + 1
    );
}

#[testkit::check]
#[test]
fn every_slot_keeps_the_significant_figures() {
    for sigfig in 1..=5u8 {
        let h = Histogram::new(1, u64::MAX, sigfig).expect("valid bounds");
        let scale = 10u64.pow(u32::from(sigfig));
        // From 10^sigfig up, a slot is at most 1/10^sigfig of the values it holds.
        let mut v = scale;
        while v < u64::MAX / 3 {
            for value in [v, v + v / 3, v * 2 - 1] {
                let (lowest, highest) = (h.lowest_equivalent(value), h.highest_equivalent(value));
                let range = h.equivalent_range(value);
                assert!(
                    lowest <= value && value <= highest && highest - lowest + 1 == range,
                    "sigfig {sigfig}: {value} should lie in its slot {lowest}..={highest} of width {range}"
                );
                assert!(
                    range.saturating_mul(scale) <= lowest,
                    "sigfig {sigfig}: the slot of {value} is {lowest}..={highest}, {range} wide: \
                     more than 1/{scale} of its values"
                );
            }
            v *= 2;
        }
    }
}
