//! The point of the kata: `VwapEngine::vwap` is at least 3 times faster than `vwap_slow`.
//!
//! Both run in this process on the same batch, interleaved, in 7 rounds of 8 samples per
//! side (each at least 1 ms); a round compares the fastest samples, and the verdict uses the
//! median round, so a noisy neighbour on the machine cannot decide it. The margin is wide on purpose: the
//! reference solution is more than 10 times faster, even in the debug build the grader uses.

use std::hint::black_box;
use std::time::{Duration, Instant};

use hot_path::{Symbol, Trade, VwapEngine};

// The oracle: the suite's own copy of `vwap_slow`, so the kata's copy can't move the bar.
#[path = "support/reference.rs"]
mod reference;
use reference::vwap_slow;

/// How much faster the engine must be than the reference.
const REQUIRED_SPEEDUP: f64 = 3.0;
/// Timed rounds; the verdict uses the median one.
const ROUNDS: usize = 7;
/// Samples of each side per round, interleaved: slow, fast, slow, fast, ...
const SAMPLES: usize = 8;
/// Each sample runs for at least this long, so the clock's resolution is noise, not signal.
const MIN_SAMPLE: Duration = Duration::from_millis(1);

/// A busy batch: `len` trades over `symbols` distinct symbols of 1 to 8 letters, drawn
/// uniformly, with realistic prices (in ticks) and quantities. Deterministic.
fn batch(len: usize, symbols: usize) -> Vec<Trade> {
    let mut state = 0x0123_4567_89ab_cdef_u64;
    let mut next = move || {
        // SplitMix64: a tiny, well-mixed generator, so this file needs no crate.
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
    (0..len)
        .map(|_| Trade {
            symbol: universe[(next() % symbols as u64) as usize],
            price: 10_000 + next() % 5_000_000,
            qty: 1 + (next() % 1_000) as u32,
        })
        .collect()
}

/// Calls of `f` that take at least [`MIN_SAMPLE`], found by doubling.
fn calls_per_sample(mut f: impl FnMut()) -> u32 {
    let mut calls = 1u32;
    loop {
        let start = Instant::now();
        for _ in 0..calls {
            f();
        }
        if start.elapsed() >= MIN_SAMPLE {
            return calls;
        }
        calls *= 2;
    }
}

/// Nanoseconds per call of `f`, over `calls` calls.
fn time_per_call(calls: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(calls)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn assert_speedup(trades: &[Trade], what: &str) {
    let mut engine = VwapEngine::new();
    // A fast wrong answer is not fast: check the answer first (this is also the warm-up).
    let expected = vwap_slow(trades);
    assert_eq!(
        engine.vwap(trades),
        expected.as_slice(),
        "on {what}, VwapEngine::vwap must return what vwap_slow returns before its speed counts"
    );

    let mut slow = || {
        black_box(vwap_slow(black_box(trades)));
    };
    let slow_calls = calls_per_sample(&mut slow);
    let mut fast = || {
        black_box(engine.vwap(black_box(trades)));
    };
    // A hopelessly slow engine fails now, with its numbers, rather than at the test timeout.
    let (slow_once, fast_once) = (time_per_call(1, &mut slow), time_per_call(1, &mut fast));
    assert!(
        fast_once < 20.0 * slow_once,
        "on {what}, one call of VwapEngine::vwap took {:.1} ms against {:.1} ms for vwap_slow: \
         it must be at least {REQUIRED_SPEEDUP}x faster, not slower. Profile it",
        fast_once / 1e6,
        slow_once / 1e6
    );
    let fast_calls = calls_per_sample(&mut fast);

    // One round: interleaved samples of both sides, and the fastest sample of each. Noise on a
    // shared machine (another process taking the core) only ever adds time, so the fastest
    // sample is the closest to the code's own cost; the median round discards unlucky rounds.
    let mut slow_ns = Vec::with_capacity(ROUNDS);
    let mut fast_ns = Vec::with_capacity(ROUNDS);
    let mut ratios = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let (mut s, mut f) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..SAMPLES {
            s = s.min(time_per_call(slow_calls, &mut slow));
            f = f.min(time_per_call(fast_calls, &mut fast));
        }
        slow_ns.push(s);
        fast_ns.push(f);
        ratios.push(s / f);
    }
    let speedup = median(ratios);
    let (slow_us, fast_us) = (median(slow_ns) / 1e3, median(fast_ns) / 1e3);
    println!(
        "{what}: vwap_slow {slow_us:.1} µs/call, VwapEngine::vwap {fast_us:.1} µs/call, \
         speedup {speedup:.1}x (median of {ROUNDS} rounds)"
    );
    assert!(
        speedup >= REQUIRED_SPEEDUP,
        "on {what}, VwapEngine::vwap must be at least {REQUIRED_SPEEDUP}x faster than vwap_slow; \
         it is {speedup:.1}x ({fast_us:.1} µs against {slow_us:.1} µs per call, median of \
         {ROUNDS} rounds). Profile it: what does each trade still cost (a String, a SipHash, \
         a memory allocation, a copy)?"
    );
}

#[testkit::check]
#[test]
fn the_engine_is_at_least_three_times_faster_on_a_busy_batch() {
    assert_speedup(&batch(4_096, 64), "4096 trades over 64 symbols");
}

#[testkit::check]
#[test]
fn the_engine_is_at_least_three_times_faster_with_many_symbols() {
    assert_speedup(&batch(4_096, 1_024), "4096 trades over 1024 symbols");
}
