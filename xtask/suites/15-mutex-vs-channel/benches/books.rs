//! The two books side by side, measured from the producer's seat and end to end.
//!
//! - `apply_one`: one fill from one thread. The mutex book takes the lock and updates the map
//!   in place; the channel book only enqueues it (the owner thread applies it later, on the
//!   other core).
//! - `stream`: `PRODUCERS` threads send `FILLS` fills each, and the clock stops when every
//!   fill is in the book (mutex: producers joined; channel: shutdown drained the owner).
//!   Includes spawning the threads (and the owner), the same for both.
//! - `read_position`: one position read. The mutex book locks and copies; the channel book
//!   sends a question and waits for the owner's answer, a round trip between two threads.
//!
//! Both books are yours (`yours_*`: the crate under test, the kata or the reference). Run with
//! `cargo xtask bench 15` (yours, with ratios to the reference) or
//! `cargo bench -p mutex-vs-channel-solution`.

use std::hint::black_box;
use std::thread;

use divan::Bencher;
use mutex_vs_channel::{ChannelBook, Fill, Key, MutexBook};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

const FILLS: u32 = 20_000;
const KEYS: u32 = 16;

fn nth_fill(i: u32) -> Fill {
    let key = Key::new(i % 4, i % KEYS);
    if i.is_multiple_of(3) {
        Fill::sell(key, 2, 100 + i64::from(i % 7))
    } else {
        Fill::buy(key, 1, 100 + i64::from(i % 7))
    }
}

/// A book that already holds every key, so no bench measures the map growing.
fn warm_mutex_book() -> MutexBook {
    let book = MutexBook::new();
    (0..KEYS * 4).for_each(|i| book.apply(nth_fill(i)));
    book
}

#[divan::bench_group(sample_count = 50, sample_size = 2_000)]
mod apply_one {
    use super::*;

    #[divan::bench]
    fn yours_mutex(bencher: Bencher) {
        let book = warm_mutex_book();
        let mut i = 0;
        bencher.bench_local(|| {
            i += 1;
            book.apply(black_box(nth_fill(i)));
        });
    }

    #[divan::bench]
    fn yours_channel(bencher: Bencher) {
        let book = ChannelBook::new();
        let handle = book.handle();
        let mut i = 0;
        bencher.bench_local(|| {
            i += 1;
            handle.apply(black_box(nth_fill(i))).unwrap();
        });
        black_box(book.shutdown());
    }
}

#[divan::bench_group(sample_count = 20, sample_size = 1)]
mod stream {
    use super::*;

    #[divan::bench(args = [1, 2])]
    fn yours_mutex(bencher: Bencher, producers: u32) {
        bencher
            .with_inputs(warm_mutex_book)
            .bench_local_values(|book| {
                let threads: Vec<_> = (0..producers)
                    .map(|_| {
                        let book = book.clone();
                        thread::spawn(move || (0..FILLS).for_each(|i| book.apply(nth_fill(i))))
                    })
                    .collect();
                threads.into_iter().for_each(|t| t.join().unwrap());
                black_box(book.snapshot())
            });
    }

    #[divan::bench(args = [1, 2])]
    fn yours_channel(bencher: Bencher, producers: u32) {
        bencher.bench_local(|| {
            let book = ChannelBook::new();
            let threads: Vec<_> = (0..producers)
                .map(|_| {
                    let handle = book.handle();
                    thread::spawn(move || {
                        (0..FILLS).for_each(|i| handle.apply(nth_fill(i)).unwrap());
                    })
                })
                .collect();
            threads.into_iter().for_each(|t| t.join().unwrap());
            black_box(book.shutdown())
        });
    }
}

#[divan::bench_group(sample_count = 50, sample_size = 200)]
mod read_position {
    use super::*;

    #[divan::bench]
    fn yours_mutex(bencher: Bencher) {
        let book = warm_mutex_book();
        bencher.bench_local(|| book.position(black_box(Key::new(1, 5))));
    }

    #[divan::bench]
    fn yours_channel(bencher: Bencher) {
        let book = ChannelBook::new();
        let handle = book.handle();
        (0..KEYS * 4).for_each(|i| handle.apply(nth_fill(i)).unwrap());
        bencher.bench_local(|| handle.position(black_box(Key::new(1, 5))));
        black_box(book.shutdown());
    }
}
