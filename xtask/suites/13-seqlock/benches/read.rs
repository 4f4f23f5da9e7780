//! `SeqLock::read` against `RwLock<Snapshot>::read`, uncontended: the cost a reader pays when
//! nobody is writing, which is what a strategy thread pays on almost every look at the book.
//!
//! `yours` is the crate under test (the kata or the reference). Run with `cargo xtask bench 13`
//! (yours, with ratios) or `cargo bench -p seqlock-solution`.

use std::sync::RwLock;

use divan::black_box;
use seqlock::{SeqLock, Snapshot};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

const QUOTE: Snapshot = Snapshot {
    bid: 10_050,
    ask: 10_052,
    bid_size: 300,
    ask_size: 100,
};

#[divan::bench(name = "read::yours", sample_count = 200, sample_size = 1000)]
fn seqlock_read(bencher: divan::Bencher) {
    let lock = SeqLock::new(QUOTE);
    bencher.bench(|| black_box(&lock).read());
}

#[divan::bench(name = "read::rwlock", sample_count = 200, sample_size = 1000)]
fn rwlock_read(bencher: divan::Bencher) {
    let lock = RwLock::new(QUOTE);
    bencher.bench(|| *black_box(&lock).read().unwrap());
}

#[divan::bench(name = "write::yours", sample_count = 200, sample_size = 1000)]
fn seqlock_write(bencher: divan::Bencher) {
    let lock = SeqLock::new(QUOTE);
    bencher.bench(|| black_box(&lock).write(black_box(QUOTE)));
}

#[divan::bench(name = "write::rwlock", sample_count = 200, sample_size = 1000)]
fn rwlock_write(bencher: divan::Bencher) {
    let lock = RwLock::new(QUOTE);
    bencher.bench(|| *black_box(&lock).write().unwrap() = black_box(QUOTE));
}
