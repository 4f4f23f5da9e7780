//! `format_price` agrees with `format!` on every input, and a short buffer is an error.

use inline_vec::{BufferTooSmall, MAX_PRICE_LEN, format_price};
use proptest::prelude::*;
use rstest::rstest;

/// What `format_price` must produce, built with `format!`: the sign, then the magnitude's
/// digits left-padded with zeros to at least `scale + 1`, with a dot before the last `scale`.
fn oracle(mantissa: i64, scale: u8) -> String {
    let sign = if mantissa < 0 { "-" } else { "" };
    let digits = format!("{}", mantissa.unsigned_abs());
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let scale = usize::from(scale);
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// A byte no output contains, to see which bytes were written.
const UNTOUCHED: u8 = 0xAA;

#[testkit::check]
#[rstest]
#[case::an_integer(42, 0, "42")]
#[case::zero(0, 0, "0")]
#[case::zero_with_decimals(0, 2, "0.00")]
#[case::trailing_zeros_kept(123400, 4, "12.3400")]
#[case::negative(-123400, 4, "-12.3400")]
#[case::below_one(1234, 4, "0.1234")]
#[case::negative_below_one(-1234, 4, "-0.1234")]
#[case::zero_padded_fraction(5, 3, "0.005")]
#[case::negative_zero_padded_fraction(-5, 2, "-0.05")]
#[case::negative_integer(-7, 0, "-7")]
#[case::exactly_one(100, 2, "1.00")]
#[case::minus_one(-100, 2, "-1.00")]
#[case::i64_max(i64::MAX, 0, "9223372036854775807")]
#[case::sixteen_nines(9_999_999_999_999_999, 0, "9999999999999999")]
#[case::sixteen_nines_with_decimals(-9_999_999_999_999_999, 3, "-9999999999999.999")]
#[case::i64_min(i64::MIN, 0, "-9223372036854775808")]
#[case::i64_min_with_decimals(i64::MIN, 4, "-922337203685477.5808")]
#[case::i64_min_all_decimals(i64::MIN, 19, "-0.9223372036854775808")]
#[case::scale_beyond_the_digits(1, 20, "0.00000000000000000001")]
fn format_price_follows_the_spec(#[case] mantissa: i64, #[case] scale: u8, #[case] want: &str) {
    let mut buf = [UNTOUCHED; MAX_PRICE_LEN];
    assert_eq!(
        format_price(mantissa, scale, &mut buf),
        Ok(want),
        "format_price({mantissa}, {scale}, ..)"
    );
}

#[testkit::check]
#[test]
fn the_widest_scale_fills_max_price_len() {
    let mut buf = [UNTOUCHED; MAX_PRICE_LEN];
    let want = format!("-0.{}1", "0".repeat(254));
    assert_eq!(
        format_price(-1, u8::MAX, &mut buf),
        Ok(want.as_str()),
        "format_price(-1, 255, ..) with a buffer of MAX_PRICE_LEN = {MAX_PRICE_LEN} bytes"
    );
}

#[testkit::check]
#[test]
fn an_empty_buffer_is_too_small_even_for_zero() {
    assert_eq!(
        format_price(0, 0, &mut []),
        Err(BufferTooSmall { needed: 1 }),
        "format_price(0, 0, ..) into an empty buffer"
    );
}

fn scale() -> impl Strategy<Value = u8> {
    prop_oneof![3 => 0u8..=20, 1 => any::<u8>()]
}

fn mantissa() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => any::<i64>(),
        2 => -100_000i64..100_000,
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
    ]
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn format_price_agrees_with_format_on_every_input(m in mantissa(), s in scale()) {
        let want = oracle(m, s);
        let mut buf = [UNTOUCHED; MAX_PRICE_LEN];
        let got = format_price(m, s, &mut buf).map(str::to_owned);
        prop_assert_eq!(got, Ok(want.clone()), "format_price({}, {}, ..)", m, s);
        prop_assert!(
            buf[want.len()..].iter().all(|&b| b == UNTOUCHED),
            "format_price({}, {}, ..) wrote past the end of its {}-byte output",
            m, s, want.len()
        );
    }

    #[testkit::check]
    #[test]
    fn a_buffer_of_exactly_the_needed_length_is_enough(m in mantissa(), s in scale()) {
        let want = oracle(m, s);
        let mut buf = vec![UNTOUCHED; want.len()];
        let got = format_price(m, s, &mut buf).map(str::to_owned);
        prop_assert_eq!(
            got, Ok(want.clone()),
            "format_price({}, {}, ..) into a buffer of exactly {} bytes", m, s, want.len()
        );
    }

    #[testkit::check]
    #[test]
    fn a_short_buffer_is_an_error_and_is_left_untouched(
        m in mantissa(),
        s in scale(),
        shortfall in 1usize..8,
    ) {
        let needed = oracle(m, s).len();
        let len = needed.saturating_sub(shortfall);
        let mut buf = vec![UNTOUCHED; len];
        let got = format_price(m, s, &mut buf).map(str::to_owned);
        prop_assert_eq!(
            got, Err(BufferTooSmall { needed }),
            "format_price({}, {}, ..) into {} bytes (the output needs {})", m, s, len, needed
        );
        prop_assert!(
            buf.iter().all(|&b| b == UNTOUCHED),
            "format_price({}, {}, ..) failed but wrote into the buffer: {:?}", m, s, buf
        );
    }
}
