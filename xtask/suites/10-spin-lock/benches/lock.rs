//! What a spin lock costs next to `std::sync::Mutex`, alone and with two threads contending.
//!
//! `yours` is the crate under test (the kata or the reference). Run with `cargo xtask bench 10`
//! (yours, with ratios) or `cargo bench -p spin-lock-solution`. Each benchmark takes the lock, adds 1 to the
//! value and releases it; `threads = [1, 2]` runs it on one thread, then on two threads
//! hammering the same lock (divan shares the lock between them).

use divan::Bencher;
use spin_lock::SpinLock;
use std::sync::Mutex;

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// `SpinLock`: one swap to take it, one store to release it; waiters spin with `Backoff`.
#[divan::bench(name = "lock_add::yours", threads = [1, 2], sample_count = 50, sample_size = 2_000)]
fn spin_lock(bencher: Bencher) {
    let lock = SpinLock::new(0u64);
    bencher.bench(|| *lock.lock() += 1);
}

/// The baseline: std's futex-based mutex, which parks waiters in the kernel.
#[divan::bench(name = "lock_add::std_mutex", threads = [1, 2], sample_count = 50, sample_size = 2_000)]
fn std_mutex(bencher: Bencher) {
    let lock = Mutex::new(0u64);
    bencher.bench(|| *lock.lock().unwrap() += 1);
}
