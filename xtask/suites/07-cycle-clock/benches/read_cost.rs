//! What one clock reading costs: the TSC (plain and ordered) against `Instant::now`, the
//! baseline every application uses, and the `Fallback` built on it.
//!
//! `yours_*` is the crate under test (the kata or the reference). Run with
//! `cargo xtask bench 07` (yours, with ratios) or `cargo bench -p cycle-clock-solution`.

use std::time::Instant;

use cycle_clock::{Fallback, TickSource};
use divan::black_box;

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

#[divan::bench(name = "now::instant", sample_count = 100, sample_size = 1_000)]
fn instant_now() -> Instant {
    Instant::now()
}

#[divan::bench(name = "now::yours_fallback", sample_count = 100, sample_size = 1_000)]
fn fallback_now(bencher: divan::Bencher) {
    let source = Fallback::new();
    bencher.bench_local(|| black_box(&source).now());
}

#[cfg(target_arch = "x86_64")]
#[divan::bench(name = "now::yours_tsc", sample_count = 100, sample_size = 1_000)]
fn tsc_now(bencher: divan::Bencher) {
    let Some(tsc) = cycle_clock::Tsc::new() else {
        return;
    };
    bencher.bench_local(|| black_box(&tsc).now());
}

#[cfg(target_arch = "x86_64")]
#[divan::bench(
    name = "now::yours_tsc_ordered",
    sample_count = 100,
    sample_size = 1_000
)]
fn tsc_now_ordered(bencher: divan::Bencher) {
    let Some(tsc) = cycle_clock::Tsc::new() else {
        return;
    };
    bencher.bench_local(|| black_box(&tsc).now_ordered());
}
