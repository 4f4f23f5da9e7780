//! Your ring (`Yours`: the crate under test, the kata or the reference) against what a user
//! would pick instead: rtrb (the same design, published),
//! `std::sync::mpsc::sync_channel` (a bounded channel, Go's buffered channel in spirit) and a
//! `Mutex<VecDeque>` (the first thing anyone writes).
//!
//! Two cases:
//! - `one_thread`: push one value and pop it again on the same thread, the cost of the
//!   operations themselves with every cache line local;
//! - `two_threads`: a producer thread sends `ITEMS` values through a ring of `CAPACITY` slots
//!   to the bench thread, which spins until it has them all: the throughput a market-data
//!   feed handler sees.
//!
//! Run with `cargo xtask bench 12` (your ring, with ratios to the others and to the reference)
//! or `cargo bench -p spsc-ring-solution` (the reference alone).

use std::collections::VecDeque;
use std::hint::{black_box, spin_loop};
use std::sync::mpsc::{TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use divan::{AllocProfiler, Bencher};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

const CAPACITY: usize = 1024;
const ITEMS: u64 = 100_000;

/// What each queue must offer for the two cases: a non-blocking push and pop on either half.
trait Queue: Sized {
    type Tx: Send + 'static;
    type Rx;
    fn with_capacity(capacity: usize) -> (Self::Tx, Self::Rx);
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64>;
    fn pop(rx: &mut Self::Rx) -> Option<u64>;
}

/// The ring of the crate under test: the kata (yours) or the reference.
struct Yours;

impl Queue for Yours {
    type Tx = spsc_ring::Producer<u64>;
    type Rx = spsc_ring::Consumer<u64>;
    fn with_capacity(capacity: usize) -> (Self::Tx, Self::Rx) {
        spsc_ring::RingBuffer::new(capacity)
    }
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64> {
        tx.try_push(value)
    }
    fn pop(rx: &mut Self::Rx) -> Option<u64> {
        rx.try_pop()
    }
}

struct Rtrb;

impl Queue for Rtrb {
    type Tx = rtrb::Producer<u64>;
    type Rx = rtrb::Consumer<u64>;
    fn with_capacity(capacity: usize) -> (Self::Tx, Self::Rx) {
        rtrb::RingBuffer::new(capacity)
    }
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64> {
        tx.push(value).map_err(|rtrb::PushError::Full(v)| v)
    }
    fn pop(rx: &mut Self::Rx) -> Option<u64> {
        rx.pop().ok()
    }
}

struct SyncChannel;

impl Queue for SyncChannel {
    type Tx = std::sync::mpsc::SyncSender<u64>;
    type Rx = std::sync::mpsc::Receiver<u64>;
    fn with_capacity(capacity: usize) -> (Self::Tx, Self::Rx) {
        sync_channel(capacity)
    }
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64> {
        tx.try_send(value).map_err(|e| match e {
            TrySendError::Full(v) | TrySendError::Disconnected(v) => v,
        })
    }
    fn pop(rx: &mut Self::Rx) -> Option<u64> {
        rx.try_recv().ok()
    }
}

struct MutexDeque;

type Shared = Arc<Mutex<VecDeque<u64>>>;

impl Queue for MutexDeque {
    type Tx = Shared;
    type Rx = Shared;
    fn with_capacity(capacity: usize) -> (Self::Tx, Self::Rx) {
        let q = Arc::new(Mutex::new(VecDeque::with_capacity(capacity)));
        (Arc::clone(&q), q)
    }
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64> {
        let mut q = tx.lock().unwrap();
        if q.len() == CAPACITY {
            return Err(value);
        }
        q.push_back(value);
        Ok(())
    }
    fn pop(rx: &mut Self::Rx) -> Option<u64> {
        rx.lock().unwrap().pop_front()
    }
}

#[divan::bench(types = [Yours, Rtrb, SyncChannel, MutexDeque], sample_count = 100, sample_size = 1000)]
fn one_thread<Q: Queue>(bencher: Bencher) {
    let (mut tx, mut rx) = Q::with_capacity(CAPACITY);
    let mut i = 0u64;
    bencher.bench_local(|| {
        i += 1;
        let _ = Q::push(&mut tx, black_box(i));
        black_box(Q::pop(&mut rx));
    });
}

/// Spins a little, then yields: on a machine with fewer free cores than spinning threads, a
/// pure spin would burn the other thread's time slice and measure the scheduler instead.
fn wait(waits: &mut u32) {
    *waits += 1;
    if waits.is_multiple_of(64) {
        thread::yield_now();
    } else {
        spin_loop();
    }
}

#[divan::bench(types = [Yours, Rtrb, SyncChannel, MutexDeque], sample_count = 40, sample_size = 1)]
fn two_threads<Q: Queue>(bencher: Bencher) {
    bencher
        .counter(divan::counter::ItemsCount::new(ITEMS))
        .bench_local(|| {
            let (mut tx, mut rx) = Q::with_capacity(CAPACITY);
            let producer = thread::spawn(move || {
                for i in 0..ITEMS {
                    let mut value = i;
                    let mut waits = 0;
                    while let Err(back) = Q::push(&mut tx, value) {
                        value = back;
                        wait(&mut waits);
                    }
                }
            });
            let mut sum = 0;
            let mut received = 0;
            let mut waits = 0;
            while received < ITEMS {
                match Q::pop(&mut rx) {
                    Some(v) => {
                        sum += v;
                        received += 1;
                    }
                    None => wait(&mut waits),
                }
            }
            producer.join().unwrap();
            assert_eq!(sum, ITEMS * (ITEMS - 1) / 2, "values lost or duplicated");
            black_box(sum)
        });
}
