//! The engine against the oracle: on any batch, `VwapEngine::vwap` returns exactly what
//! `vwap_slow` returns (same rows, same order, equal integers), on a fresh engine and on one
//! reused across many batches.

use hot_path::{Symbol, Trade, VwapEngine};
use proptest::prelude::*;
use testkit::strategy::{ops, toward};

// The oracle: the suite's own copy of `vwap_slow`, so the kata's copy can't move the bar.
#[path = "support/reference.rs"]
mod reference;
use reference::vwap_slow;

/// Symbols that sort close together or look alike: prefixes, one differing byte, 8 characters.
const TRICKY: [&str; 12] = [
    "A", "AA", "AB", "B", "BA", "ABCDEFGH", "ABCDEFGI", "ZZZZZZZ", "ZZZZZZZZ", "!", "~~~~~~~~", "a",
];

/// Mostly a small pool (so symbols repeat and collide), sometimes any valid symbol.
fn symbol() -> impl Strategy<Value = Symbol> {
    prop_oneof![
        3 => prop::sample::select(TRICKY.to_vec()).prop_map(|s| Symbol::new(s).unwrap()),
        1 => "[!-~]{1,8}".prop_map(|s| Symbol::new(&s).expect("printable ASCII, 1 to 8 long")),
    ]
}

fn trade() -> impl Strategy<Value = Trade> {
    // Failures shrink to the edges (one tick, zero quantity, the maxima) before other numbers.
    let price = toward(
        prop_oneof![4 => 1..10_000_000u64, 1 => any::<u64>()],
        [1, u64::MAX],
    );
    let qty = toward(
        prop_oneof![1 => Just(0u32), 4 => 1..10_000u32, 1 => any::<u32>()],
        [0, 1, u32::MAX],
    );
    (symbol(), price, qty).prop_map(|(symbol, price, qty)| Trade { symbol, price, qty })
}

fn batch(max_len: usize) -> impl Strategy<Value = Vec<Trade>> {
    ops(trade(), 0..max_len)
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn a_new_engine_matches_the_reference_on_any_batch(trades in batch(300)) {
        let mut engine = VwapEngine::new();
        let got = engine.vwap(&trades);
        let want = vwap_slow(&trades);
        prop_assert_eq!(got, want.as_slice(), "rows of VwapEngine::vwap (left) vs vwap_slow (right)");
    }

    #[testkit::check]
    #[test]
    fn a_reused_engine_matches_the_reference_on_every_batch(
        batches in ops(prop_oneof![1 => Just(Vec::new()), 5 => batch(60)], 1..8),
    ) {
        let mut engine = VwapEngine::new();
        for (i, trades) in batches.iter().enumerate() {
            let got = engine.vwap(trades);
            let want = vwap_slow(trades);
            prop_assert_eq!(
                got,
                want.as_slice(),
                "call {} on the same engine: rows of VwapEngine::vwap (left) vs vwap_slow (right)",
                i
            );
        }
    }
}
