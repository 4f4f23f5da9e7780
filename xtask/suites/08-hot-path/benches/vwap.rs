//! `vwap_slow` against `VwapEngine::vwap`, with allocation counts: Rust's `-benchmem`.
//!
//! `yours` is the crate under test (the kata or the reference). Run with `cargo xtask bench 08`
//! (yours, with ratios) or `cargo bench -p hot-path-solution`. Each row shows the time per call and, from
//! divan's `AllocProfiler`, the allocations per call (the `alloc` and `dealloc` columns).

use divan::{AllocProfiler, Bencher, black_box};
use hot_path::{Symbol, Trade, VwapEngine, vwap_slow};

// Counts every allocation of the benchmarked code, like `go test -benchmem`.
#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

/// Trades per batch.
const TRADES: usize = 4_096;

/// `TRADES` trades over `symbols` distinct symbols, deterministic (SplitMix64).
fn batch(symbols: usize) -> Vec<Trade> {
    let mut state = 0x0123_4567_89ab_cdef_u64;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut universe: Vec<Symbol> = Vec::new();
    while universe.len() < symbols {
        let len = 1 + (next() % 8) as usize;
        let name: String = (0..len)
            .map(|_| (b'A' + (next() % 26) as u8) as char)
            .collect();
        let symbol = Symbol::new(&name).expect("letters make a valid symbol");
        if !universe.contains(&symbol) {
            universe.push(symbol);
        }
    }
    (0..TRADES)
        .map(|_| Trade {
            symbol: universe[(next() % symbols as u64) as usize],
            price: 10_000 + next() % 5_000_000,
            qty: 1 + (next() % 1_000) as u32,
        })
        .collect()
}

#[divan::bench(name = "vwap::slow", args = [8, 64, 1024], sample_count = 30, sample_size = 5)]
fn slow(bencher: Bencher, symbols: usize) {
    let trades = batch(symbols);
    bencher.bench_local(|| vwap_slow(black_box(&trades)));
}

#[divan::bench(name = "vwap::yours", args = [8, 64, 1024], sample_count = 30, sample_size = 5)]
fn engine(bencher: Bencher, symbols: usize) {
    let trades = batch(symbols);
    let mut engine = VwapEngine::new();
    engine.vwap(&trades); // warm up: the buffers grow to this batch's symbols once
    bencher.bench_local(|| engine.vwap(black_box(&trades)).len());
}
