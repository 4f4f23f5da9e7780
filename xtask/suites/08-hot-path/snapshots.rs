//! The answer as a table: per-symbol totals and VWAP of a small, fixed tape. The expected
//! table is in `snapshots/`; it is what `vwap_slow` prints too.

use std::fmt::Write;

use hot_path::{Symbol, SymbolVwap, Trade, VwapEngine};

/// A tape of 240 trades over 6 symbols, each trading around its own price (ticks of 0.0001).
/// Deterministic (SplitMix64).
fn morning_tape() -> Vec<Trade> {
    let book = [
        ("AAPL", 1_894_500u64),
        ("MSFT", 4_153_200),
        ("NVDA", 1_220_700),
        ("BRK.B", 4_101_000),
        ("SPY", 5_218_800),
        ("T", 171_300),
    ];
    let mut state = 42u64;
    let mut next = move |n: u64| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n
    };
    (0..240)
        .map(|_| {
            let (name, mid) = book[next(book.len() as u64) as usize];
            Trade {
                symbol: Symbol::new(name).expect("a valid symbol"),
                price: mid - 2_000 + next(4_001),
                qty: 100 * (1 + next(10) as u32),
            }
        })
        .collect()
}

fn table(rows: &[SymbolVwap]) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "symbol   trades  volume      notional  vwap (ticks)  vwap"
    )
    .unwrap();
    for r in rows {
        let vwap = r.vwap().expect("every trade of the tape has a quantity");
        writeln!(
            out,
            "{:<8} {:>6} {:>7} {:>13} {:>13}  {}.{:04}",
            r.symbol,
            r.trades,
            r.volume,
            r.notional,
            vwap,
            vwap / 10_000,
            vwap % 10_000
        )
        .unwrap();
    }
    out
}

#[testkit::check]
#[test]
fn vwap_table_of_the_morning_tape() {
    let tape = morning_tape();
    let mut engine = VwapEngine::new();
    let table = table(engine.vwap(&tape));
    insta::assert_snapshot!("vwap_table_of_the_morning_tape", table);
}
