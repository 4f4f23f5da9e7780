#![cfg(loom)]
//! Loom models: every interleaving of two threads sharing a pool. Run with
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom_pool`.

use object_pool::{Pool, Reset};
use sync_shim::atomic::{AtomicBool, AtomicU64, Ordering};
use sync_shim::cell::UnsafeCell;
use sync_shim::{Arc, thread};

/// A pooled object with a unique id, an "in use" flag the holder raises and lowers, a cell the
/// holder writes (loom reports two unsynchronized writers as a data race), and a shared count
/// of dropped objects.
struct Slot {
    id: u64,
    in_use: AtomicBool,
    writes: UnsafeCell<u64>,
    drops: Arc<AtomicU64>,
}

impl Reset for Slot {
    fn reset(&mut self) {}
}

impl Drop for Slot {
    fn drop(&mut self) {
        // Relaxed: read only after the threads are joined, which orders it.
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

/// Uses the object as an exclusive holder would, and fails if someone else holds it too.
fn hold(slot: &Slot) {
    // AcqRel pairs with the Release store below in whoever held it before.
    let was_in_use = slot.in_use.swap(true, Ordering::AcqRel);
    assert!(
        !was_in_use,
        "object {} was handed out while another guard held it",
        slot.id
    );
    // SAFETY: the pool hands an object to one guard at a time, so no other access overlaps;
    // if it did not, loom reports the race here.
    slot.writes.with_mut(|writes| unsafe { *writes += 1 });
    // Release pairs with the AcqRel swap of the next holder.
    slot.in_use.store(false, Ordering::Release);
}

/// A pool of `Slot`s, the number of objects its factory made, and the number dropped.
fn counted_pool(max_idle: usize) -> (Arc<Pool<Slot>>, Arc<AtomicU64>, Arc<AtomicU64>) {
    let made = Arc::new(AtomicU64::new(0));
    let drops = Arc::new(AtomicU64::new(0));
    let (factory_made, factory_drops) = (Arc::clone(&made), Arc::clone(&drops));
    let pool = Pool::new(max_idle, move || Slot {
        // Relaxed: ids only need to be unique, which fetch_add guarantees.
        id: factory_made.fetch_add(1, Ordering::Relaxed),
        in_use: AtomicBool::new(false),
        writes: UnsafeCell::new(0),
        drops: Arc::clone(&factory_drops),
    });
    (Arc::new(pool), made, drops)
}

/// After the threads are joined: every object the factory made is idle, detached or dropped,
/// and the idle ones really are in the pool.
fn assert_none_lost(pool: &Pool<Slot>, made: &AtomicU64, drops: &AtomicU64, detached: u64) {
    let made_now = made.load(Ordering::Relaxed);
    let stats = pool.stats();
    assert_eq!(
        stats.created, made_now,
        "stats.created vs factory calls: {stats:?}"
    );
    assert_eq!(
        stats.in_use, 0,
        "every guard was dropped, yet in_use is not 0: {stats:?}"
    );
    assert!(
        stats.idle <= pool.max_idle(),
        "the primary list holds {} objects, more than max_idle {}",
        stats.idle,
        pool.max_idle()
    );
    let idle = (stats.idle + stats.victim) as u64;
    let dropped = drops.load(Ordering::Relaxed);
    assert_eq!(
        idle + detached + dropped,
        made_now,
        "objects lost: {made_now} made, but {idle} idle + {detached} detached + {dropped} dropped ({stats:?})"
    );
    let drained: Vec<_> = (0..idle).map(|_| pool.get()).collect();
    assert_eq!(
        made.load(Ordering::Relaxed),
        made_now,
        "stats say {idle} objects are idle, yet getting {idle} objects called the factory"
    );
    drop(drained);
}

#[testkit::check]
#[test]
fn no_object_is_held_by_two_threads_at_once() {
    sync_shim::model(|| {
        let (pool, _made, _drops) = counted_pool(1);
        hold(&pool.get()); // one idle object for the threads to contend for
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let pool = Arc::clone(&pool);
                thread::spawn(move || {
                    for _ in 0..2 {
                        hold(&pool.get());
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
    });
}

#[testkit::check]
#[test]
fn concurrent_returns_and_detaches_lose_no_object() {
    sync_shim::model(|| {
        let (pool, made, drops) = counted_pool(1);
        drop(pool.get()); // one idle object before the race
        let other = {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                let (a, b) = (pool.get(), pool.get());
                drop(a);
                b.detach()
            })
        };
        drop(pool.get());
        let detached = other.join().unwrap();
        assert_none_lost(&pool, &made, &drops, 1);
        drop(detached);
    });
}

#[testkit::check]
#[test]
fn gc_racing_with_returns_loses_no_object() {
    sync_shim::model(|| {
        let (pool, made, drops) = counted_pool(2);
        drop(pool.get()); // one idle object before the race
        let other = {
            let pool = Arc::clone(&pool);
            thread::spawn(move || pool.gc())
        };
        let (a, b) = (pool.get(), pool.get());
        drop(a);
        drop(b);
        other.join().unwrap();
        pool.gc();
        assert_none_lost(&pool, &made, &drops, 0);
    });
}
