//! Ticks to nanoseconds: `Conversion::from_ratio` and `Conversion::ticks_to_nanos` on values
//! you can work out by hand, then properties over spans as long as a `u64` holds.
//!
//! The rule: `mult = ⌊nanos × 2^32 / ticks⌋` and `ticks_to_nanos(t) = ⌊t × mult / 2^32⌋`,
//! saturating at `u64::MAX`.

use cycle_clock::{Conversion, SHIFT};
use proptest::prelude::*;
use rstest::rstest;

/// 1 ns per 3 ticks (a 3 GHz counter): ⌊2^32 / 3⌋.
const THREE_GHZ: u64 = 1_431_655_765;
/// 5 ns per 13 ticks (a 2.6 GHz counter): ⌊5 × 2^32 / 13⌋.
const TWO_POINT_SIX_GHZ: u64 = 1_651_910_498;

#[testkit::check]
#[rstest]
#[case::one_nanosecond_per_tick(1, 1, Some(1 << 32))]
#[case::the_same_ratio_over_a_longer_window(2_000, 2_000, Some(1 << 32))]
#[case::two_nanoseconds_per_tick(2, 1, Some(1 << 33))]
#[case::three_ticks_per_nanosecond(1, 3, Some(THREE_GHZ))]
#[case::a_2_6_ghz_counter(5, 13, Some(TWO_POINT_SIX_GHZ))]
#[case::a_one_microsecond_tick(1_000, 1, Some(4_294_967_296_000))]
#[case::a_ten_second_window_of_a_2_6_ghz_counter(
    10_000_000_000,
    26_000_000_000,
    Some(TWO_POINT_SIX_GHZ)
)]
#[case::zero_nanoseconds_is_a_zero_multiplier(0, 7, Some(0))]
#[case::zero_ticks_has_no_ratio(1_000, 0, None)]
#[case::the_largest_ratio_that_fits(u32::MAX as u64, 1, Some(18_446_744_069_414_584_320))]
#[case::a_tick_worth_2_pow_32_nanoseconds_does_not_fit(1 << 32, 1, None)]
fn from_ratio_gives_the_fixed_point_nanoseconds_per_tick(
    #[case] nanos: u64,
    #[case] ticks: u64,
    #[case] expected_mult: Option<u64>,
) {
    let got = Conversion::from_ratio(nanos, ticks).map(|c| c.mult());
    assert_eq!(
        got, expected_mult,
        "Conversion::from_ratio(nanos = {nanos}, ticks = {ticks}) should have mult {expected_mult:?} \
         (⌊nanos × 2^32 / ticks⌋, None when ticks is 0 or it does not fit a u64), got {got:?}"
    );
}

#[testkit::check]
#[rstest]
#[case::one_ns_per_tick_keeps_zero(1 << 32, 0, 0)]
#[case::one_ns_per_tick_is_the_identity(1 << 32, 123_456_789, 123_456_789)]
#[case::one_ns_per_tick_up_to_u64_max(1 << 32, u64::MAX, u64::MAX)]
#[case::three_ticks_round_down_to_zero(THREE_GHZ, 3, 0)]
#[case::three_thousand_ticks_round_down(THREE_GHZ, 3_000, 999)]
#[case::one_second_at_3_ghz(THREE_GHZ, 3_000_000_000, 999_999_999)]
#[case::one_hour_at_3_ghz(THREE_GHZ, 10_800_000_000_000, 3_599_999_999_161)]
#[case::ten_years_at_3_ghz(THREE_GHZ, 946_080_000_000_000_000, 315_359_999_926_574_528)]
#[case::u64_max_ticks_at_3_ghz(THREE_GHZ, u64::MAX, 6_148_914_689_804_861_439)]
#[case::one_second_at_2_6_ghz(TWO_POINT_SIX_GHZ, 2_600_000_000, 999_999_999)]
#[case::u64_max_ticks_at_2_6_ghz(TWO_POINT_SIX_GHZ, u64::MAX, 7_094_901_564_829_073_407)]
#[case::a_one_microsecond_tick(4_294_967_296_000, 7, 7_000)]
#[case::two_ns_per_tick(1 << 33, 21, 42)]
#[case::two_ns_per_tick_saturates_at_u64_max(1 << 33, u64::MAX, u64::MAX)]
#[case::a_zero_multiplier_gives_zero(0, u64::MAX, 0)]
fn ticks_to_nanos_multiplies_then_shifts_by_32(
    #[case] mult: u64,
    #[case] ticks: u64,
    #[case] expected: u64,
) {
    let got = Conversion::from_mult(mult).ticks_to_nanos(ticks);
    assert_eq!(
        got,
        expected,
        "with mult {mult} ({:.6} ns per tick), ticks_to_nanos({ticks}) should be \
         ⌊ticks × mult / 2^32⌋ = {expected} (saturating at u64::MAX), got {got}",
        mult as f64 / 2f64.powi(32)
    );
}

#[testkit::check]
#[test]
fn the_fallback_conversion_is_one_nanosecond_per_tick() {
    let ratio = Conversion::from_ratio(1, 1);
    assert_eq!(
        ratio,
        Some(Conversion::NANOS),
        "Conversion::from_ratio(1, 1) should equal Conversion::NANOS (mult 2^32), got {ratio:?}"
    );
}

/// A counter between 100 MHz and 10 GHz: 0.1 to 10 ns per tick.
fn realistic_mult() -> impl Strategy<Value = u64> {
    (1u64 << SHIFT) / 10..=(1u64 << SHIFT) * 10
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    /// `r` is ⌊t × m / 2^32⌋ exactly when `r × 2^32 ≤ t × m < (r + 1) × 2^32`. Up to
    /// u64::MAX / 10 ticks (58 years at 10 GHz), so the result never saturates.
    #[testkit::check]
    #[test]
    fn long_spans_convert_exactly_without_overflow(
        ticks in 0u64..=u64::MAX / 10,
        mult in realistic_mult(),
    ) {
        let got = Conversion::from_mult(mult).ticks_to_nanos(ticks);
        let product = u128::from(ticks) * u128::from(mult);
        let floor_holds = u128::from(got) << SHIFT <= product
            && product < (u128::from(got) + 1) << SHIFT;
        prop_assert!(
            floor_holds,
            "ticks_to_nanos({}) with mult {} returned {}, which is not ⌊ticks × mult / 2^32⌋ \
             (compute the product in u128: it overflows a u64 for spans of a few seconds)",
            ticks, mult, got
        );
    }

    #[testkit::check]
    #[test]
    fn any_multiplier_and_span_saturate_instead_of_overflowing(
        ticks in 0u64..=u64::MAX,
        mult in 0u64..=u64::MAX,
    ) {
        let got = Conversion::from_mult(mult).ticks_to_nanos(ticks);
        let exact = (u128::from(ticks) * u128::from(mult)) >> SHIFT;
        let expected = u64::try_from(exact).unwrap_or(u64::MAX);
        prop_assert_eq!(
            got, expected,
            "ticks_to_nanos({}) with mult {}: expected {} (saturating at u64::MAX), got {}",
            ticks, mult, expected, got
        );
    }

    /// Converting two spans separately loses at most the one nanosecond each floor drops.
    #[testkit::check]
    #[test]
    fn converting_two_spans_separately_loses_at_most_one_nanosecond(
        a in 0u64..1 << 58,
        b in 0u64..1 << 58,
        mult in realistic_mult(),
    ) {
        let conversion = Conversion::from_mult(mult);
        let whole = conversion.ticks_to_nanos(a + b);
        let parts = conversion.ticks_to_nanos(a) + conversion.ticks_to_nanos(b);
        prop_assert!(
            whole == parts || whole == parts + 1,
            "with mult {}: ticks_to_nanos({} + {}) = {} but ticks_to_nanos({}) + \
             ticks_to_nanos({}) = {}; they should differ by 0 or 1",
            mult, a, b, whole, a, b, parts
        );
    }

    /// A window of up to 2^32 ticks converts back to its nanoseconds, or one less.
    #[testkit::check]
    #[test]
    fn a_ratio_converts_its_own_window_back_within_one_nanosecond(
        nanos in 0u64..1 << 32,
        ticks in 1u64..=1 << 32,
    ) {
        let conversion = Conversion::from_ratio(nanos, ticks);
        prop_assert!(
            conversion.is_some(),
            "Conversion::from_ratio({}, {}) should be Some: the ratio is below 2^32 ns per tick",
            nanos, ticks
        );
        let back = conversion.map(|c| c.ticks_to_nanos(ticks)).unwrap_or_default();
        prop_assert!(
            back == nanos || back + 1 == nanos,
            "Conversion::from_ratio({}, {}) converts {} ticks back to {} ns; expected {} or {}",
            nanos, ticks, ticks, back, nanos, nanos.saturating_sub(1)
        );
    }
}
