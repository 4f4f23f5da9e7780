//! A warm pool never touches the allocator: get and return reuse what the pool already holds.

use std::hint::black_box;

use object_pool::{Pool, Reset};
use testkit::alloc::{AllocatorStats, CountingAlloc, measure};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// An order with a heap buffer, as a pool would recycle it.
struct Order {
    id: u64,
    payload: Vec<u8>,
}

impl Reset for Order {
    fn reset(&mut self) {
        self.id = 0;
        self.payload.clear(); // keeps the capacity
    }
}

fn pool(max_idle: usize) -> Pool<Order> {
    Pool::new(max_idle, || Order {
        id: 0,
        payload: Vec::with_capacity(256),
    })
}

/// What a user does with an order: fill it in (within the buffer's capacity).
fn fill(order: &mut Order, id: u64) {
    order.id = id;
    order.payload.extend_from_slice(&[0xAB; 200]);
    black_box(&mut *order);
}

fn assert_no_allocation(what: &str, stats: AllocatorStats) {
    assert_eq!(
        (stats.allocs, stats.reallocs, stats.deallocs),
        (0, 0, 0),
        "{what}: expected no allocator calls (allocs, reallocs, deallocs), got {stats:?}"
    );
}

#[testkit::check]
#[test]
fn the_first_returns_allocate_nothing() {
    let pool = pool(8);
    let mut held: Vec<_> = (0..8).map(|_| pool.get()).collect();
    let (_, stats) = measure(|| {
        for order in held.drain(..) {
            drop(black_box(order));
        }
    });
    assert_no_allocation(
        "returning 8 objects to a new pool with max_idle 8 (reserve the idle list in `new`)",
        stats,
    );
}

#[testkit::check]
#[test]
fn get_and_drop_allocate_nothing_after_warm_up() {
    let pool = pool(4);
    let mut warm = pool.get();
    fill(&mut warm, 1);
    drop(warm);
    let (_, stats) = measure(|| {
        for id in 0..1_000 {
            let mut order = pool.get();
            fill(&mut order, id);
        }
    });
    assert_no_allocation("1000 rounds of get, fill, drop on a warm pool", stats);
}

#[testkit::check]
#[test]
fn holding_guards_up_to_the_cap_allocates_nothing_after_warm_up() {
    let pool = pool(4);
    drop((0..4).map(|_| pool.get()).collect::<Vec<_>>());
    let (_, stats) = measure(|| {
        for id in 0..100 {
            let mut a = pool.get();
            let mut b = pool.get();
            let mut c = pool.get();
            let mut d = pool.get();
            for order in [&mut a, &mut b, &mut c, &mut d] {
                fill(order, id);
            }
        }
    });
    assert_no_allocation("100 rounds of 4 guards held at once, max_idle 4", stats);
}

#[testkit::check]
#[test]
fn returns_after_gc_allocate_nothing() {
    let pool = pool(4);
    drop((0..4).map(|_| pool.get()).collect::<Vec<_>>());
    pool.gc(); // all 4 in the victim cache; the primary list must have room for 4 again
    let (_, stats) = measure(|| {
        let held = [pool.get(), pool.get(), pool.get(), pool.get()];
        drop(black_box(held));
    });
    assert_no_allocation(
        "4 gets from the victim cache and their returns after a gc (the primary list keeps room for max_idle)",
        stats,
    );
}
