//! Two threads, each adding to its own counter: the counters side by side (false sharing),
//! padded by this crate, padded by crossbeam, aligned to 64 bytes only, in a `ShardedCounter`,
//! and, for scale, one counter truly shared by both.
//!
//! `yours_*` is the crate under test (the kata or the reference). Run with
//! `cargo xtask bench 11` (yours, with ratios) or `cargo bench -p false-sharing-solution`.
//! Compare `yours_padded` with `unpadded`: the ratio is what false sharing costs on this machine.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

use divan::black_box;
use false_sharing::{CachePadded, ShardedCounter};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// Adds per thread per sample: long enough that spawning the two threads is a small part.
const ADDS: u64 = 200_000;

/// Runs `work(0)` and `work(1)` on two threads that start at the same moment.
fn on_two_threads(work: impl Fn(usize) + Sync) {
    let start = Barrier::new(2);
    thread::scope(|s| {
        for i in 0..2 {
            let (start, work) = (&start, &work);
            s.spawn(move || {
                start.wait();
                work(i);
            });
        }
    });
}

/// Thread `i` adds 1 to `counters[i]`, `ADDS` times.
fn hammer(counters: [&AtomicU64; 2]) {
    on_two_threads(|i| {
        let counter = counters[i];
        for _ in 0..ADDS {
            counter.fetch_add(1, Relaxed);
        }
    });
}

#[divan::bench(name = "two_counters::unpadded", sample_count = 50, sample_size = 1)]
fn unpadded_neighbours() {
    // 16 bytes: both counters on one 64-byte line.
    let pair = [AtomicU64::new(0), AtomicU64::new(0)];
    hammer([&pair[0], &pair[1]]);
    black_box(&pair);
}

#[divan::bench(
    name = "two_counters::yours_padded",
    sample_count = 50,
    sample_size = 1
)]
fn padded_neighbours() {
    let pair = [
        CachePadded::new(AtomicU64::new(0)),
        CachePadded::new(AtomicU64::new(0)),
    ];
    hammer([&pair[0], &pair[1]]);
    black_box(&pair);
}

#[divan::bench(
    name = "two_counters::crossbeam_padded",
    sample_count = 50,
    sample_size = 1
)]
fn crossbeam_padded_neighbours() {
    let pair = [
        crossbeam_utils::CachePadded::new(AtomicU64::new(0)),
        crossbeam_utils::CachePadded::new(AtomicU64::new(0)),
    ];
    hammer([&pair[0], &pair[1]]);
    black_box(&pair);
}

/// One 64-byte line each: adjacent lines of one 128-byte pair.
#[repr(align(64))]
struct Line64(AtomicU64);

#[divan::bench(
    name = "two_counters::aligned_to_64",
    sample_count = 50,
    sample_size = 1
)]
fn aligned_to_64_neighbours() {
    let pair = [Line64(AtomicU64::new(0)), Line64(AtomicU64::new(0))];
    hammer([&pair[0].0, &pair[1].0]);
    black_box(&pair);
}

#[divan::bench(
    name = "two_counters::yours_sharded",
    sample_count = 50,
    sample_size = 1
)]
fn sharded_counter_two_handles() -> u64 {
    let counter = ShardedCounter::new(2);
    on_two_threads(|_| {
        let handle = counter.handle();
        for _ in 0..ADDS {
            handle.add(1);
        }
    });
    counter.sum()
}

#[divan::bench(
    name = "two_counters::one_truly_shared",
    sample_count = 50,
    sample_size = 1
)]
fn one_truly_shared_counter() {
    let shared = AtomicU64::new(0);
    hammer([&shared, &shared]);
    black_box(&shared);
}
