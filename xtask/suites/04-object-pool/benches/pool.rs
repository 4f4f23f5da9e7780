//! Your pool (`yours`: the crate under test, the kata or the reference) against a freshly
//! boxed object: get, fill, give back versus allocate, fill, free. Three cases:
//!
//! - `small_order`: a small `Order`, where malloc's thread cache is hard to beat (and
//!   `reused_in_place`, one order with no pool and no allocator, is the floor);
//! - `small_order_two_threads`: the same with two threads sharing the pool, where its one lock
//!   is contended;
//! - `recv_buf_64k`: a 64 KiB receive buffer that must be zeroed when new, where the pool wins
//!   by an order of magnitude.
//!
//! Run with `cargo xtask bench 04` (your pool, with ratios) or
//! `cargo bench -p object-pool-solution` (the reference alone).

use std::hint::black_box;

use divan::{AllocProfiler, Bencher};
use object_pool::{Pool, Reset};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

/// An order as a matching engine sees it: a few fields and a message buffer of a few hundred
/// bytes.
struct Order {
    id: u64,
    price: i64,
    quantity: u64,
    buy: bool,
    client_tag: String,
    payload: Vec<u8>,
}

impl Order {
    fn new() -> Self {
        Self {
            id: 0,
            price: 0,
            quantity: 0,
            buy: false,
            client_tag: String::with_capacity(32),
            payload: Vec::with_capacity(512),
        }
    }

    fn fill(&mut self, id: u64) {
        self.id = id;
        self.price = 4_217;
        self.quantity = 100;
        self.buy = id.is_multiple_of(2);
        self.client_tag.push_str("desk-7/algo-vwap");
        self.payload.extend_from_slice(&[0x5A; 384]);
    }
}

impl Reset for Order {
    fn reset(&mut self) {
        self.id = 0;
        self.price = 0;
        self.quantity = 0;
        self.buy = false;
        self.client_tag.clear();
        self.payload.clear();
    }
}

/// A socket receive buffer: `read` needs initialized memory, so a new buffer costs a zeroed
/// 64 KiB allocation, while a recycled one only forgets how much of it was filled.
struct RecvBuf {
    data: Vec<u8>,
    filled: usize,
}

const RECV_BUF_LEN: usize = 64 * 1024;
const PACKET: [u8; 1500] = [0x42; 1500];

impl RecvBuf {
    fn new() -> Self {
        Self {
            data: vec![0; RECV_BUF_LEN],
            filled: 0,
        }
    }

    /// What `socket.read(&mut buf.data)` would do with one packet.
    fn receive(&mut self) {
        self.data[..PACKET.len()].copy_from_slice(&PACKET);
        self.filled = PACKET.len();
    }
}

impl Reset for RecvBuf {
    fn reset(&mut self) {
        self.filled = 0; // the bytes stay initialized: nothing to zero again
    }
}

/// A small order: a pool saves three allocations, but pays two lock round trips.
#[divan::bench_group(sample_count = 200, sample_size = 500)]
mod small_order {
    use super::*;

    /// Get, fill, return: one lock to take the order, one to give it back.
    #[divan::bench]
    fn yours(bencher: Bencher) {
        let pool = Pool::new(16, Order::new);
        drop(pool.get());
        let mut id = 0;
        bencher.bench_local(|| {
            id += 1;
            let mut order = pool.get();
            order.fill(id);
            black_box(&mut *order);
        });
    }

    /// What a pool replaces: three allocations (box, string, buffer) and three frees per order.
    #[divan::bench]
    fn box_new(bencher: Bencher) {
        let mut id = 0;
        bencher.bench_local(|| {
            id += 1;
            let mut order = Box::new(Order::new());
            order.fill(id);
            black_box(&mut *order);
        });
    }

    /// The floor: one order, filled and reset in place, with no pool and no allocator.
    #[divan::bench]
    fn reused_in_place(bencher: Bencher) {
        let mut order = Order::new();
        let mut id = 0;
        bencher.bench_local(|| {
            id += 1;
            order.fill(id);
            black_box(&mut order);
            order.reset();
        });
    }
}

/// Two threads sharing one pool: every get and return contends for the same lock, while
/// glibc's per-thread caches keep two allocating threads apart.
#[divan::bench_group(threads = 2, sample_count = 100, sample_size = 500)]
mod small_order_two_threads {
    use super::*;

    #[divan::bench]
    fn yours(bencher: Bencher) {
        let pool = Pool::new(16, Order::new);
        drop(pool.get());
        bencher.bench(|| {
            let mut order = pool.get();
            order.fill(7);
            black_box(&mut *order);
        });
    }

    #[divan::bench]
    fn box_new(bencher: Bencher) {
        bencher.bench(|| {
            let mut order = Box::new(Order::new());
            order.fill(7);
            black_box(&mut *order);
        });
    }
}

/// A 64 KiB receive buffer: new, it costs a zeroed allocation; pooled, a reset of one field.
#[divan::bench_group(sample_count = 100, sample_size = 100)]
mod recv_buf_64k {
    use super::*;

    #[divan::bench]
    fn yours(bencher: Bencher) {
        let pool = Pool::new(4, RecvBuf::new);
        drop(pool.get());
        bencher.bench_local(|| {
            let mut buf = pool.get();
            buf.receive();
            black_box(&mut *buf);
        });
    }

    #[divan::bench]
    fn box_new(bencher: Bencher) {
        bencher.bench_local(|| {
            let mut buf = Box::new(RecvBuf::new());
            buf.receive();
            black_box(&mut *buf);
        });
    }
}
