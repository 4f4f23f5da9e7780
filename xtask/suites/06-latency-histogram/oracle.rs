//! Random bounds, samples and quantiles, checked against the `hdrhistogram` crate (the oracle)
//! and against the exact nearest-rank answer of the sorted samples.

use hdrhistogram::Histogram as Hdr;
use latency_histogram::Histogram;
use proptest::prelude::*;

/// Bounds and precision `(lowest_discernible, highest_trackable, sigfig)` with `sigfig` up to
/// `max_sigfig`, kept small enough that a quantile scan stays fast in a debug build.
fn config(max_sigfig: u8) -> impl Strategy<Value = (u64, u64, u8)> {
    let sigfig = prop_oneof![8 => 1u8..=3, 1 => 4u8..=max_sigfig];
    (sigfig, 0u32..=20)
        .prop_flat_map(|(sigfig, unit)| {
            let max_span: u32 = match sigfig {
                1..=3 => 40,
                4 => 20,
                _ => 18,
            };
            (
                Just(sigfig),
                (1u64 << unit)..(2u64 << unit),
                1..=max_span,
                any::<u64>(),
            )
        })
        .prop_map(|(sigfig, low, span, r)| {
            // low < 2^21 and span <= 40, so high < 2^62: no slot reaches u64::MAX.
            let base = low << span;
            (low, base + r % base, sigfig)
        })
}

/// A value in `0..=high`, spread over every magnitude (log-uniform), `high` itself often.
fn value_up_to(high: u64) -> impl Strategy<Value = u64> {
    let bits = 64 - high.leading_zeros();
    (0..=bits, any::<u64>()).prop_map(move |(b, r)| {
        let v = if b == 0 { 0 } else { r >> (64 - b) };
        v.min(high)
    })
}

/// Quantiles in `[0, 1]`: random ones plus the usual suspects.
fn quantiles() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.0f64..=1.0, 0..8).prop_map(|mut qs| {
        qs.extend([0.0, 0.001, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1.0]);
        qs
    })
}

fn build(low: u64, high: u64, sigfig: u8) -> (Histogram, Hdr<u64>) {
    let ours = Histogram::new(low, high, sigfig).unwrap_or_else(|e| {
        panic!("Histogram::new({low}, {high}, {sigfig}) should succeed, got Err({e:?})")
    });
    let oracle = Hdr::<u64>::new_with_bounds(low, high, sigfig).expect("valid oracle bounds");
    (ours, oracle)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Everything observable about `got`, against the oracle `want`, for `values` and `qs`.
fn assert_matches_oracle(
    got: &Histogram,
    want: &Hdr<u64>,
    values: &[u64],
    qs: &[f64],
    what: &str,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        got.len(),
        want.len(),
        "{}: len() should be {}, got {}",
        what,
        want.len(),
        got.len()
    );
    let (min, want_min) = (got.min(), want.min());
    prop_assert_eq!(
        min,
        want_min,
        "{}: min() should be {} (lowest equivalent of the smallest value), got {}",
        what,
        want_min,
        min
    );
    let (max, want_max) = (got.max(), want.value_at_quantile(1.0));
    prop_assert_eq!(
        max,
        want_max,
        "{}: max() should be {} (highest equivalent of the largest value), got {}",
        what,
        want_max,
        max
    );
    let (mean, want_mean) = (got.mean(), want.mean());
    prop_assert!(
        close(mean, want_mean),
        "{}: mean() should be {} (each slot counted at its middle), got {}",
        what,
        want_mean,
        mean
    );
    for &q in qs {
        let (v, want_v) = (got.value_at_quantile(q), want.value_at_quantile(q));
        prop_assert_eq!(
            v,
            want_v,
            "{}: value_at_quantile({}) should be {}, got {}",
            what,
            q,
            want_v,
            v
        );
    }
    for &value in values {
        let (c, want_c) = (got.count_at(value), want.count_at(value));
        prop_assert_eq!(
            c,
            want_c,
            "{}: count_at({}) should be {}, got {}",
            what,
            value,
            want_c,
            c
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn equivalence_ranges_match_hdrhistogram(
        (low, high, sigfig, values) in config(5).prop_flat_map(|(low, high, sigfig)| {
            (Just(low), Just(high), Just(sigfig), testkit::strategy::ops(value_up_to(high), 1..40))
        })
    ) {
        let (ours, oracle) = build(low, high, sigfig);
        let cfg = format!("Histogram::new({low}, {high}, {sigfig})");
        for &v in &values {
            let (lo, want_lo) = (ours.lowest_equivalent(v), oracle.lowest_equivalent(v));
            prop_assert_eq!(lo, want_lo, "{}: lowest_equivalent({}) should be {}, got {}", cfg, v, want_lo, lo);
            let (hi, want_hi) = (ours.highest_equivalent(v), oracle.highest_equivalent(v));
            prop_assert_eq!(hi, want_hi, "{}: highest_equivalent({}) should be {}, got {}", cfg, v, want_hi, hi);
            let (r, want_r) = (ours.equivalent_range(v), oracle.equivalent_range(v));
            prop_assert_eq!(r, want_r, "{}: equivalent_range({}) should be {}, got {}", cfg, v, want_r, r);
            // The next slot starts right after this one: slots tile the values with no gap.
            if hi < u64::MAX {
                let next = ours.lowest_equivalent(hi + 1);
                prop_assert_eq!(next, hi + 1, "{}: the slot after {}..={} should start at {}, got {}", cfg, lo, hi, hi + 1, next);
            }
        }
    }

    #[testkit::check]
    #[test]
    fn quantiles_match_hdrhistogram(
        (low, high, sigfig, samples, qs) in config(4).prop_flat_map(|(low, high, sigfig)| {
            (
                Just(low), Just(high), Just(sigfig),
                testkit::strategy::ops((value_up_to(high), 1u64..=3), 1..60),
                quantiles(),
            )
        })
    ) {
        let (mut ours, mut oracle) = build(low, high, sigfig);
        for &(v, n) in &samples {
            prop_assert_eq!(ours.record_n(v, n), Ok(()), "record_n({}, {}) with highest_trackable {} should succeed", v, n, high);
            oracle.record_n(v, n).expect("in range for the oracle");
        }
        let values: Vec<u64> = samples.iter().map(|&(v, _)| v).collect();
        let what = format!("Histogram::new({low}, {high}, {sigfig}) after record_n of {samples:?}");
        assert_matches_oracle(&ours, &oracle, &values, &qs, &what)?;
    }

    #[testkit::check]
    #[test]
    fn quantiles_are_the_nearest_rank_within_the_equivalence_range(
        (low, high, sigfig, mut samples, qs) in config(4).prop_flat_map(|(low, high, sigfig)| {
            (
                Just(low), Just(high), Just(sigfig),
                testkit::strategy::ops(value_up_to(high), 1..80),
                quantiles(),
            )
        })
    ) {
        let mut h = build(low, high, sigfig).0;
        for &v in &samples {
            prop_assert_eq!(h.record(v), Ok(()), "record({}) with highest_trackable {} should succeed", v, high);
        }
        samples.sort_unstable();
        let n = samples.len() as u64;
        for &q in &qs {
            // Nearest rank: the k-th smallest sample, k = max(1, ceil(q * n)).
            let k = ((q * n as f64).ceil() as u64).max(1);
            let exact = samples[k as usize - 1];
            let want = if q == 0.0 { h.lowest_equivalent(exact) } else { h.highest_equivalent(exact) };
            let got = h.value_at_quantile(q);
            prop_assert_eq!(
                got, want,
                "value_at_quantile({}) of the sorted samples {:?}: the {}-th smallest is {}, so expected {} (the {} of its slot), got {}",
                q, samples, k, exact, want, if q == 0.0 { "lowest value" } else { "highest value" }, got
            );
            prop_assert!(h.equivalent(got, exact), "value_at_quantile({}) = {} is not equivalent to the exact answer {}", q, got, exact);
        }
    }

    #[testkit::check]
    #[test]
    fn corrected_recording_matches_hdrhistogram(
        (low, high, sigfig, samples, qs) in config(4).prop_flat_map(|(low, high, sigfig)| {
            // Intervals of 0, or large enough that a value adds at most 64 missing samples.
            let interval = prop_oneof![1 => Just(0u64), 4 => (high / 64).max(1)..=high];
            (
                Just(low), Just(high), Just(sigfig),
                testkit::strategy::ops((value_up_to(high), interval), 1..20),
                quantiles(),
            )
        })
    ) {
        let (mut ours, mut oracle) = build(low, high, sigfig);
        for &(v, interval) in &samples {
            prop_assert_eq!(
                ours.record_corrected(v, interval), Ok(()),
                "record_corrected({}, {}) with highest_trackable {} should succeed", v, interval, high
            );
            oracle.record_correct(v, interval).expect("in range for the oracle");
        }
        let values: Vec<u64> = samples.iter().map(|&(v, _)| v).collect();
        let what = format!("Histogram::new({low}, {high}, {sigfig}) after record_corrected(value, interval) of {samples:?}");
        assert_matches_oracle(&ours, &oracle, &values, &qs, &what)?;
    }

    #[testkit::check]
    #[test]
    fn merging_equals_recording_both_sample_sets(
        (low, high, sigfig, a, b, qs) in config(4).prop_flat_map(|(low, high, sigfig)| {
            (
                Just(low), Just(high), Just(sigfig),
                testkit::strategy::ops(value_up_to(high), 0..40),
                testkit::strategy::ops(value_up_to(high), 0..40),
                quantiles(),
            )
        })
    ) {
        let (mut merged, mut oracle) = build(low, high, sigfig);
        let mut other = build(low, high, sigfig).0;
        for &v in &a {
            prop_assert_eq!(merged.record(v), Ok(()), "record({}) should succeed", v);
            oracle.record(v).expect("in range for the oracle");
        }
        for &v in &b {
            prop_assert_eq!(other.record(v), Ok(()), "record({}) should succeed", v);
            // The oracle records both sets into one histogram: what a merge must amount to.
            oracle.record(v).expect("in range for the oracle");
        }
        prop_assert_eq!(merged.merge(&other), Ok(()), "merge of two histograms with the same bounds should succeed");
        let values: Vec<u64> = a.iter().chain(&b).copied().collect();
        let what = format!("Histogram::new({low}, {high}, {sigfig}) holding {a:?}, merged with one holding {b:?}");
        assert_matches_oracle(&merged, &oracle, &values, &qs, &what)?;
        // `other` is only read.
        prop_assert_eq!(other.len(), b.len() as u64, "merge changed the histogram it read from");
    }
}
