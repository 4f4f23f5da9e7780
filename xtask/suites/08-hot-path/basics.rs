//! The answer itself, on small batches worked out by hand: totals, order, edge cases, and an
//! engine reused across batches.

use std::time::Duration;

use hot_path::{Symbol, SymbolVwap, Trade, VwapEngine};
use rstest::rstest;

// The oracle: the suite's own copy of `vwap_slow`, so the kata's copy can't move the bar.
#[path = "support/reference.rs"]
mod reference;
use reference::vwap_slow;

fn sym(s: &str) -> Symbol {
    Symbol::new(s).unwrap_or_else(|| panic!("{s:?} is a valid symbol"))
}

fn trade(symbol: &str, price: u64, qty: u32) -> Trade {
    Trade {
        symbol: sym(symbol),
        price,
        qty,
    }
}

fn row(symbol: &str, trades: u32, volume: u64, notional: u128) -> SymbolVwap {
    SymbolVwap {
        symbol: sym(symbol),
        trades,
        volume,
        notional,
    }
}

/// The answer of a fresh engine, copied out of it.
fn fast(trades: &[Trade]) -> Vec<SymbolVwap> {
    VwapEngine::new().vwap(trades).to_vec()
}

#[testkit::check]
#[test]
fn an_empty_batch_has_no_rows() {
    let got = fast(&[]);
    assert!(
        got.is_empty(),
        "vwap(&[]) returned {got:?}; expected no rows"
    );
}

#[testkit::check]
#[test]
fn one_trade_makes_one_row() {
    let got = fast(&[trade("AAPL", 1_894_500, 300)]);
    assert_eq!(
        got,
        [row("AAPL", 1, 300, 568_350_000)],
        "one trade of 300 AAPL at 1_894_500 ticks"
    );
}

#[testkit::check]
#[test]
fn trades_of_one_symbol_add_up() {
    let trades = [
        trade("MSFT", 10, 100),
        trade("MSFT", 11, 200),
        trade("MSFT", 13, 1),
    ];
    let got = fast(&trades);
    assert_eq!(
        got,
        [row("MSFT", 3, 301, 1_000 + 2_200 + 13)],
        "three MSFT trades: count 3, volume 100 + 200 + 1, notional 10×100 + 11×200 + 13×1"
    );
}

#[testkit::check]
#[test]
fn each_symbol_gets_its_own_row() {
    let trades = [
        trade("IBM", 1_500, 10),
        trade("AAPL", 2_000, 5),
        trade("IBM", 1_600, 30),
        trade("AAPL", 2_100, 5),
        trade("T", 7, 1_000),
    ];
    let got = fast(&trades);
    let want = [
        row("AAPL", 2, 10, 10_000 + 10_500),
        row("IBM", 2, 40, 15_000 + 48_000),
        row("T", 1, 1_000, 7_000),
    ];
    assert_eq!(got, want, "batch: {trades:?}");
}

#[testkit::check]
#[rstest]
#[case::two_letters(&["B", "A"], &["A", "B"])]
#[case::a_prefix_comes_first(&["AB", "B", "AA", "A"], &["A", "AA", "AB", "B"])]
#[case::the_first_byte_decides(&["BA", "AB"], &["AB", "BA"])]
#[case::the_last_of_eight_bytes_decides(&["ABCDEFGI", "ABCDEFGH"], &["ABCDEFGH", "ABCDEFGI"])]
#[case::eight_characters_after_seven(&["ZZZZZZZZ", "ZZZZZZZ"], &["ZZZZZZZ", "ZZZZZZZZ"])]
#[case::digits_and_punctuation_are_ascii(&["a", "Z", "9", ".", "~", "!"], &["!", ".", "9", "Z", "a", "~"])]
fn rows_are_sorted_by_symbol(#[case] input: &[&str], #[case] sorted: &[&str]) {
    let trades: Vec<Trade> = input.iter().map(|s| trade(s, 100, 1)).collect();
    let mut engine = VwapEngine::new();
    let got: Vec<&str> = engine
        .vwap(&trades)
        .iter()
        .map(|r| r.symbol.as_str())
        .collect();
    assert_eq!(
        got, sorted,
        "symbols of the rows for trades in {input:?}: expected string order"
    );
}

#[testkit::check]
#[test]
fn a_zero_quantity_trade_still_counts() {
    let trades = [trade("ZERO", 5_000, 0), trade("ONE", 7, 1)];
    let got = fast(&trades);
    assert_eq!(
        got,
        [row("ONE", 1, 1, 7), row("ZERO", 1, 0, 0)],
        "a trade of quantity 0 is a trade: its symbol gets a row with trades = 1, volume 0"
    );
    assert_eq!(got[1].vwap(), None, "no volume, no average price");
}

#[testkit::check]
#[test]
fn extreme_prices_and_quantities_do_not_overflow() {
    let trades = [
        trade("MAX", u64::MAX, u32::MAX),
        trade("MAX", u64::MAX, u32::MAX),
        trade("MAX", 1, 1),
    ];
    let product = u128::from(u64::MAX) * u128::from(u32::MAX);
    let want = row("MAX", 3, 2 * u64::from(u32::MAX) + 1, 2 * product + 1);
    assert_eq!(
        fast(&trades),
        [want],
        "price u64::MAX × qty u32::MAX does not fit a u64: multiply in u128"
    );
}

#[testkit::check]
#[test]
fn a_new_batch_forgets_the_previous_one() {
    let mut engine = VwapEngine::new();
    engine.vwap(&[trade("A", 10, 1), trade("B", 20, 2)]);
    let got = engine.vwap(&[trade("B", 30, 3)]).to_vec();
    assert_eq!(
        got,
        [row("B", 1, 3, 90)],
        "second call with one B trade: A must be gone and B must not include the first call's trade"
    );
}

#[testkit::check]
#[test]
fn an_empty_batch_after_a_full_one_has_no_rows() {
    let mut engine = VwapEngine::new();
    engine.vwap(&[trade("A", 10, 1), trade("B", 20, 2)]);
    let got = engine.vwap(&[]).to_vec();
    assert!(
        got.is_empty(),
        "vwap(&[]) after a batch of A and B returned {got:?}; expected no rows"
    );
}

#[testkit::check]
#[test]
fn batches_of_one_symbol_in_a_row_each_get_their_own_row() {
    let mut engine = VwapEngine::new();
    for (i, name) in ["X", "X", "Y", "X"].into_iter().enumerate() {
        let price = 100 + i as u64;
        let got = engine.vwap(&[trade(name, price, 5)]).to_vec();
        assert_eq!(
            got,
            [row(name, 1, 5, u128::from(price) * 5)],
            "call {i}: a batch with one trade of {name}"
        );
    }
}

#[testkit::check]
#[test]
fn thousands_of_distinct_symbols_are_all_kept() {
    // 26^3 three-letter symbols, each traded twice, the second round in reverse order.
    let names: Vec<String> = (0..26u32 * 26 * 26)
        .map(|i| {
            [i / 676, i / 26 % 26, i % 26]
                .iter()
                .map(|&x| char::from(b'A' + x as u8))
                .collect()
        })
        .collect();
    let mut trades: Vec<Trade> = names.iter().map(|n| trade(n, 100, 1)).collect();
    trades.extend(names.iter().rev().map(|n| trade(n, 200, 3)));
    let batch = trades.clone();
    let got = testkit::patience::within(
        Duration::from_secs(5),
        "vwap on 17 576 distinct symbols",
        "a probe that never finds a free slot loops forever: grow the index before it fills",
        move || VwapEngine::new().vwap(&batch).to_vec(),
    );
    assert_eq!(
        got.len(),
        names.len(),
        "{} distinct symbols, each traded twice: expected one row each",
        names.len()
    );
    assert_eq!(
        got,
        vwap_slow(&trades).as_slice(),
        "{} distinct symbols: the rows differ from vwap_slow's",
        names.len()
    );
}
