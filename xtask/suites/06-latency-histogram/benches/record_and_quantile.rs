//! `record` and `value_at_quantile` against the `hdrhistogram` crate, same bounds and precision
//! (1 ns to 1 hour, 3 significant figures: the default histogram).
//!
//! `yours` is the crate under test (the kata or the reference). Run with `cargo xtask bench 06`
//! (yours, with ratios) or `cargo bench -p latency-histogram-solution`.

use divan::black_box;
use latency_histogram::{DEFAULT_HIGHEST_TRACKABLE, DEFAULT_SIGFIG, Histogram};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

type Hdr = hdrhistogram::Histogram<u64>;

fn hdr() -> Hdr {
    Hdr::new_with_bounds(1, DEFAULT_HIGHEST_TRACKABLE, DEFAULT_SIGFIG).expect("valid bounds")
}

/// 1024 latencies from 20 µs to 20 ms, every magnitude in between (a fixed xorshift sequence).
fn latencies() -> Vec<u64> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (20_000 << (state % 10)) + (state >> 40) % 20_000
        })
        .collect()
}

/// Values recorded per benchmark iteration.
const BATCH: usize = 1024;

#[divan::bench(name = "record_1024::yours", sample_count = 100, sample_size = 20)]
fn record_ours(bencher: divan::Bencher) {
    let values = latencies();
    let mut h = Histogram::default();
    bencher.counter(BATCH).bench_local(|| {
        for &v in black_box(&values) {
            let _ = h.record(v);
        }
    });
    black_box(h.len());
}

#[divan::bench(
    name = "record_1024::hdrhistogram",
    sample_count = 100,
    sample_size = 20
)]
fn record_hdrhistogram(bencher: divan::Bencher) {
    let values = latencies();
    let mut h = hdr();
    bencher.counter(BATCH).bench_local(|| {
        for &v in black_box(&values) {
            let _ = h.record(v);
        }
    });
    black_box(h.len());
}

/// A histogram of 100 000 latencies, then P99 queries.
fn filled<H>(mut h: H, mut record: impl FnMut(&mut H, u64)) -> H {
    let values = latencies();
    for i in 0..100 {
        for &v in &values {
            record(&mut h, v + i);
        }
    }
    h
}

#[divan::bench(name = "p99::yours", sample_count = 100, sample_size = 20)]
fn p99_ours(bencher: divan::Bencher) {
    let h = filled(Histogram::default(), |h, v| {
        let _ = h.record(v);
    });
    bencher.bench_local(|| black_box(&h).value_at_quantile(black_box(0.99)));
}

#[divan::bench(name = "p99::hdrhistogram", sample_count = 100, sample_size = 20)]
fn p99_hdrhistogram(bencher: divan::Bencher) {
    let h = filled(hdr(), |h, v| {
        let _ = h.record(v);
    });
    bencher.bench_local(|| black_box(&h).value_at_quantile(black_box(0.99)));
}
