//! Zero allocations per call, Rust's `-benchmem` showing `0 allocs/op`: once an engine has
//! seen every symbol (the warm-up), no call over those symbols touches the heap, whatever the
//! number of trades, their order, or which of the symbols appear.

use std::hint::black_box;

use hot_path::{Symbol, Trade, VwapEngine};
use testkit::alloc::{CountingAlloc, Stats, measure};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// `count` distinct symbols of 1 to 8 letters. Deterministic.
fn universe(count: usize) -> Vec<Symbol> {
    let mut rng = SplitMix(7);
    let mut symbols: Vec<Symbol> = Vec::new();
    while symbols.len() < count {
        let len = 1 + rng.below(8) as usize;
        let name: String = (0..len)
            .map(|_| char::from(b'A' + rng.below(26) as u8))
            .collect();
        let symbol = Symbol::new(&name).expect("letters make a valid symbol");
        if !symbols.contains(&symbol) {
            symbols.push(symbol);
        }
    }
    symbols
}

/// `len` trades over `symbols`, drawn uniformly. Deterministic for a given `seed`.
fn tape(symbols: &[Symbol], len: usize, seed: u64) -> Vec<Trade> {
    let mut rng = SplitMix(seed);
    (0..len)
        .map(|_| Trade {
            symbol: symbols[rng.below(symbols.len() as u64) as usize],
            price: 10_000 + rng.below(5_000_000),
            qty: rng.below(1_000) as u32,
        })
        .collect()
}

/// One trade of each symbol: the shortest warm-up that shows the engine all of them.
fn one_each(symbols: &[Symbol]) -> Vec<Trade> {
    symbols
        .iter()
        .map(|&symbol| Trade {
            symbol,
            price: 100,
            qty: 1,
        })
        .collect()
}

/// First in this file, so a table that can fill up is named before the allocation checks
/// below hang on it: every batch of distinct symbols, across the sizes where an index
/// typically grows, gets one row per symbol, and in time.
#[testkit::check]
#[test]
fn growing_the_index_keeps_every_symbol_and_never_hangs() {
    for count in [15, 16, 17, 31, 32, 33, 63, 64, 65, 1_000] {
        let symbols = universe(count);
        let rows = testkit::patience::within(
            std::time::Duration::from_secs(5),
            &format!("vwap on {count} distinct symbols"),
            "a probe that never finds a free slot loops forever: grow the index before it fills",
            move || VwapEngine::new().vwap(&one_each(&symbols)).len(),
        );
        assert_eq!(
            rows, count,
            "{count} distinct symbols, one trade each: one row each"
        );
    }
}

/// SplitMix64, so this file needs no crate for its data.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n
    }
}

/// Calls `engine.vwap` on each batch under the counting allocator; returns a checksum so the
/// work cannot be optimized away.
fn calls(engine: &mut VwapEngine, batches: &[&[Trade]]) -> (usize, Stats) {
    measure(|| {
        let mut rows = 0;
        for trades in batches {
            rows += black_box(engine.vwap(black_box(trades))).len();
        }
        rows
    })
}

fn assert_no_allocation(what: &str, stats: Stats) {
    assert_eq!(
        stats.total(),
        0,
        "{what}: {} allocation(s) ({} bytes); expected none once the engine is warm. \
         Keep your buffers in the engine and reuse them (clear, don't drop)",
        stats.total(),
        stats.bytes
    );
}

#[testkit::check]
#[test]
fn the_same_batch_again_allocates_nothing() {
    let trades = tape(&universe(64), 4_096, 1);
    let mut engine = VwapEngine::new();
    engine.vwap(&trades); // warm-up
    let (rows, stats) = calls(&mut engine, &[&trades, &trades, &trades]);
    black_box(rows);
    assert_no_allocation(
        "3 more calls on the warm-up batch (4096 trades, 64 symbols)",
        stats,
    );
}

#[testkit::check]
#[test]
fn a_longer_batch_allocates_nothing() {
    let symbols = universe(64);
    let mut engine = VwapEngine::new();
    engine.vwap(&one_each(&symbols)); // warm-up: 64 trades
    let long = tape(&symbols, 20_000, 2);
    let (rows, stats) = calls(&mut engine, &[&long]);
    black_box(rows);
    assert_no_allocation(
        "a batch of 20000 trades after a warm-up of 64 trades over the same 64 symbols \
         (the number of trades must not matter)",
        stats,
    );
}

#[testkit::check]
#[test]
fn other_mixes_of_the_same_symbols_allocate_nothing() {
    let symbols = universe(64);
    let mut engine = VwapEngine::new();
    engine.vwap(&one_each(&symbols)); // warm-up
    let shuffled = tape(&symbols, 4_096, 3);
    let half = tape(&symbols[..32], 1_000, 4);
    let single = tape(&symbols[63..], 500, 5);
    let reversed: Vec<Trade> = one_each(&symbols).into_iter().rev().collect();
    let (rows, stats) = calls(&mut engine, &[&shuffled, &half, &single, &[], &reversed]);
    black_box(rows);
    assert_no_allocation(
        "batches over the warm-up's 64 symbols: shuffled, only 32 of them, only one, none, \
         reversed",
        stats,
    );
}

#[testkit::check]
#[test]
fn a_thousand_symbols_allocate_nothing_once_seen() {
    let symbols = universe(1_000);
    let mut engine = VwapEngine::new();
    engine.vwap(&one_each(&symbols)); // warm-up
    let trades = tape(&symbols, 8_000, 6);
    let (rows, stats) = calls(&mut engine, &[&trades]);
    black_box(rows);
    assert_no_allocation(
        "8000 trades over 1000 symbols, after a warm-up with all of them (sorting 1000 rows \
         included: the stable `sort` allocates scratch space at that size, `sort_unstable` \
         does not)",
        stats,
    );
}
