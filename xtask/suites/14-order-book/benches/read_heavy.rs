//! `RwLock` against `Mutex` around the same `Book`, on the mix an order book sees: mostly
//! reads, now and then an order or a cancel.
//!
//! One sample is `threads` threads each making `OPS_PER_THREAD` operations on one book seeded
//! with 20 levels per side; the time per operation is the sample time over all operations of
//! all threads (so with 2 threads, perfect parallelism would halve it). Of every 20 operations
//! a thread makes, 1 (`*_95`) or 10 (`*_50`) are writes: alternately adding a bid far from
//! the top and cancelling it, so the book keeps its shape. The rest are reads:
//!
//! - `top_*`: `top()`, the best bid and ask: a critical section of a few nanoseconds;
//! - `depth_95`: `depth(20)`, both sides' 20 levels copied into two `Vec`s: a long one.
//!
//! Run with `cargo xtask bench 14` (yours, with ratios) or `cargo bench -p order-book-solution`. On a machine with fewer free cores than
//! `threads`, the threads take turns instead of running side by side.

use std::hint::black_box;
use std::thread;

use divan::Bencher;
use divan::counter::ItemsCount;
use order_book::{Book, Depth, OrderId, SharedBook, Side, Top};
use sync_shim::Mutex;

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// Operations each thread makes per sample.
const OPS_PER_THREAD: u64 = 20_000;

/// A book several threads can read and change: the two contenders implement it.
trait Shared: Default + Sync {
    fn top(&self) -> Top;
    fn depth(&self, levels: usize) -> Depth;
    fn add(&self, side: Side, price: u64, qty: u64) -> OrderId;
    fn cancel(&self, id: OrderId);
}

/// Your book (the crate under test, the kata or the reference): reads take the read lock, so
/// readers run side by side.
#[derive(Default)]
struct Yours(SharedBook);

impl Shared for Yours {
    fn top(&self) -> Top {
        self.0.top()
    }
    fn depth(&self, levels: usize) -> Depth {
        self.0.depth(levels)
    }
    fn add(&self, side: Side, price: u64, qty: u64) -> OrderId {
        self.0.add(side, price, qty).id
    }
    fn cancel(&self, id: OrderId) {
        self.0.cancel(id);
    }
}

/// The first thing anyone writes: one `Mutex`, readers included.
#[derive(Default)]
struct MutexBook(Mutex<Book>);

impl Shared for MutexBook {
    fn top(&self) -> Top {
        self.0.lock().unwrap().top()
    }
    fn depth(&self, levels: usize) -> Depth {
        self.0.lock().unwrap().depth(levels)
    }
    fn add(&self, side: Side, price: u64, qty: u64) -> OrderId {
        self.0.lock().unwrap().add(side, price, qty).id
    }
    fn cancel(&self, id: OrderId) {
        self.0.lock().unwrap().cancel(id);
    }
}

/// A book with 20 levels of 2 orders on each side: bids 80..=99, asks 101..=120.
fn seeded<B: Shared>() -> B {
    let book = B::default();
    for level in 0..20 {
        for _ in 0..2 {
            book.add(Side::Buy, 99 - level, 10);
            book.add(Side::Sell, 101 + level, 10);
        }
    }
    book
}

/// Runs the mix on `threads` threads: `writes_in_20` writes in every 20 operations, `read`
/// for the others.
fn run<B: Shared>(bencher: Bencher, threads: u64, writes_in_20: u64, read: fn(&B)) {
    let book = seeded::<B>();
    bencher
        .counter(ItemsCount::new(threads * OPS_PER_THREAD))
        .bench(|| {
            thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(|| {
                        let mut pending = None;
                        for n in 0..OPS_PER_THREAD {
                            if n % 20 < writes_in_20 {
                                match pending.take() {
                                    Some(id) => book.cancel(id),
                                    // Far below the best bid: the top of the book stays put.
                                    None => pending = Some(book.add(Side::Buy, 50, 1)),
                                }
                            } else {
                                read(&book);
                            }
                        }
                        if let Some(id) = pending {
                            book.cancel(id);
                        }
                    });
                }
            });
        });
}

const BENCH_THREADS: [u64; 2] = [1, 2];

/// 95% `top()` reads: the seed's "read constantly, modified less often".
#[divan::bench(types = [Yours, MutexBook], args = BENCH_THREADS, sample_count = 30)]
fn top_95<B: Shared>(bencher: Bencher, threads: u64) {
    run::<B>(bencher, threads, 1, |book| {
        black_box(book.top());
    });
}

/// 50% `top()` reads.
#[divan::bench(types = [Yours, MutexBook], args = BENCH_THREADS, sample_count = 30)]
fn top_50<B: Shared>(bencher: Bencher, threads: u64) {
    run::<B>(bencher, threads, 10, |book| {
        black_box(book.top());
    });
}

/// 95% `depth(20)` reads: long read-side critical sections.
#[divan::bench(types = [Yours, MutexBook], args = BENCH_THREADS, sample_count = 30)]
fn depth_95<B: Shared>(bencher: Bencher, threads: u64) {
    run::<B>(bencher, threads, 1, |book| {
        black_box(book.depth(20));
    });
}
