//! What the CAS loop costs next to `fetch_add`, alone and with two threads contending.
//!
//! `yours` is the crate under test (the kata or the reference). Run with `cargo xtask bench 09`
//! (yours, with ratios) or `cargo bench -p cas-counter-solution`. `threads = [1, 2]` runs each benchmark on one
//! thread, then on two threads hammering the same counter. Contention only shows when the two
//! threads really run at once on different cores: on a busy machine `t=2` looks like `t=1`.

use cas_counter::Counter;
use divan::Bencher;
use std::sync::atomic::{AtomicU64, Ordering};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// `Counter::increment`: load, CAS, retry on failure.
#[divan::bench(name = "increment::yours", threads = [1, 2], sample_count = 50, sample_size = 2_000)]
fn cas_loop_increment(bencher: Bencher) {
    let counter = Counter::new(0);
    bencher.bench(|| counter.increment());
}

/// The baseline: one `lock xadd` on x86_64, one `ldaddal` on ARMv8.1; it never retries.
#[divan::bench(name = "increment::fetch_add", threads = [1, 2], sample_count = 50, sample_size = 2_000)]
fn fetch_add_increment(bencher: Bencher) {
    let counter = AtomicU64::new(0);
    // AcqRel, to match the ordering of `Counter::increment`.
    bencher.bench(|| counter.fetch_add(1, Ordering::AcqRel));
}
