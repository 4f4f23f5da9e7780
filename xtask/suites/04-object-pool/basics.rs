//! The pool's contract, one behaviour per test, from the first `get` to threads sharing a pool.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};

use object_pool::{Pool, Reset, Stats};
use testkit::drops::{DropLog, Token};
use testkit::implements;

/// A pooled object that knows its id (from the factory: 0, 1, 2, ...), whether it was written
/// since the pool last reset it, and how often the pool reset it. Its token logs its drop.
#[derive(Debug)]
struct Order {
    dirty: bool,
    resets: u32,
    token: Token,
}

impl Order {
    fn id(&self) -> u64 {
        self.token.id()
    }

    /// What a user does with an order: fill it in.
    fn write(&mut self) {
        self.dirty = true;
    }
}

impl Reset for Order {
    fn reset(&mut self) {
        self.dirty = false;
        self.resets += 1;
    }
}

/// A pool of `Order`s with ids 0, 1, 2, ... in creation order, and the log of their drops.
fn pool(max_idle: usize) -> (Pool<Order>, DropLog) {
    let log = DropLog::new();
    let next_id = AtomicU64::new(0);
    let pool = Pool::new(max_idle, move || Order {
        dirty: false,
        resets: 0,
        token: log.token(next_id.fetch_add(1, Ordering::Relaxed)),
    });
    (pool, log)
}

#[testkit::check]
#[test]
fn the_first_get_calls_the_factory() {
    let (pool, _log) = pool(4);
    assert_eq!(
        pool.max_idle(),
        4,
        "max_idle() should return the cap given to Pool::new"
    );
    assert_eq!(
        pool.stats(),
        Stats::default(),
        "a pool that has done nothing should report all-zero stats"
    );
    let order = pool.get();
    assert_eq!(
        order.id(),
        0,
        "an empty pool should hand out the factory's first object"
    );
    assert_eq!(
        order.resets, 0,
        "a fresh object must not be reset (got {} resets)",
        order.resets
    );
    let want = Stats {
        created: 1,
        in_use: 1,
        ..Stats::default()
    };
    assert_eq!(pool.stats(), want, "stats after one get from an empty pool");
}

#[testkit::check]
#[test]
fn a_dropped_guard_returns_its_object_to_the_pool() {
    let (pool, log) = pool(4);
    drop(pool.get());
    let want = Stats {
        created: 1,
        returned: 1,
        idle: 1,
        ..Stats::default()
    };
    assert_eq!(
        pool.stats(),
        want,
        "stats after one get and one drop of its guard"
    );
    let again = pool.get();
    assert_eq!(
        again.id(),
        0,
        "the second get should hand out the returned object, not a new one"
    );
    assert_eq!(
        pool.stats().hits,
        1,
        "a get served from the idle list counts as a hit"
    );
    assert!(
        log.dropped().is_empty(),
        "nothing should be dropped, got {:?}",
        log.dropped()
    );
}

#[testkit::check]
#[test]
fn returned_objects_are_reset_exactly_once() {
    let (pool, _log) = pool(4);
    for returns in 0..4 {
        let mut order = pool.get(); // object 0 every time
        assert!(
            !order.dirty,
            "after {returns} returns: the object came back without a reset"
        );
        assert_eq!(
            order.resets, returns,
            "after {returns} returns: expected {returns} resets (one per return), got {}",
            order.resets
        );
        order.write();
    }
}

#[testkit::check]
#[test]
fn get_hands_out_the_most_recently_returned_object() {
    let (pool, _log) = pool(4);
    let (a, b, c) = (pool.get(), pool.get(), pool.get());
    assert_eq!(
        (a.id(), b.id(), c.id()),
        (0, 1, 2),
        "three gets on an empty pool"
    );
    drop(a);
    drop(c);
    drop(b);
    let got: Vec<u64> = [pool.get(), pool.get(), pool.get()]
        .iter()
        .map(|o| o.id())
        .collect();
    assert_eq!(
        got,
        [1, 2, 0],
        "returned in the order 0, 2, 1, the objects should come back last-in first-out"
    );
}

#[testkit::check]
#[test]
fn detach_takes_the_object_out_for_good() {
    let (pool, log) = pool(4);
    let mut order = pool.get();
    order.write();
    let order = order.detach();
    assert!(order.dirty, "detach must not reset the object");
    assert_eq!(
        order.resets, 0,
        "detach must not reset the object (got {} resets)",
        order.resets
    );
    let want = Stats {
        created: 1,
        detached: 1,
        ..Stats::default()
    };
    assert_eq!(pool.stats(), want, "stats after a get and a detach");
    assert_eq!(
        pool.get().id(),
        1,
        "a detached object must not come back: expected a new one"
    );
    assert!(
        log.dropped().is_empty(),
        "detach dropped something: {:?}",
        log.dropped()
    );
    drop(order);
    assert_eq!(
        log.dropped(),
        [0],
        "the detached object belongs to the caller, who drops it"
    );
}

#[testkit::check]
#[test]
fn an_idle_object_survives_one_gc() {
    let (pool, log) = pool(4);
    drop(pool.get());
    pool.gc();
    let stats = pool.stats();
    assert_eq!(
        (stats.idle, stats.victim),
        (0, 1),
        "after one gc the idle object should sit in the victim cache (idle, victim)"
    );
    assert!(
        log.dropped().is_empty(),
        "one gc dropped {:?}",
        log.dropped()
    );
    assert_eq!(
        pool.get().id(),
        0,
        "get should find the object in the victim cache"
    );
    assert_eq!(
        pool.stats().hits,
        1,
        "a get served from the victim cache counts as a hit"
    );
}

#[testkit::check]
#[test]
fn an_idle_object_is_dropped_by_the_second_gc() {
    let (pool, log) = pool(4);
    drop(pool.get());
    pool.gc();
    pool.gc();
    assert_eq!(
        log.dropped(),
        [0],
        "the second gc should drop the victim cache"
    );
    let stats = pool.stats();
    assert_eq!(
        (stats.idle, stats.victim, stats.dropped_by_gc),
        (0, 0, 1),
        "after two gcs (idle, victim, dropped_by_gc)"
    );
    assert_eq!(
        pool.get().id(),
        1,
        "after two gcs the pool should make a new object"
    );
}

#[testkit::check]
#[test]
fn gc_leaves_objects_in_use_alone() {
    let (pool, log) = pool(4);
    let order = pool.get();
    pool.gc();
    pool.gc();
    drop(order);
    assert!(
        log.dropped().is_empty(),
        "gc dropped an object in use: {:?}",
        log.dropped()
    );
    assert_eq!(
        pool.stats().idle,
        1,
        "the object should return normally after the gcs"
    );
}

#[testkit::check]
#[test]
fn get_prefers_the_primary_list_over_the_victim_cache() {
    let (pool, _log) = pool(4);
    let (a, b) = (pool.get(), pool.get());
    drop(a);
    pool.gc(); // victim: [0]
    drop(b); // primary: [1]
    let got: Vec<u64> = [pool.get(), pool.get(), pool.get()]
        .iter()
        .map(|o| o.id())
        .collect();
    assert_eq!(
        got,
        [1, 0, 2],
        "expected the primary list's object, then the victim cache's, then a new one"
    );
}

#[testkit::check]
#[test]
fn a_return_past_the_cap_is_dropped_even_if_the_victim_cache_has_room() {
    let (pool, log) = pool(1);
    let (a, b) = (pool.get(), pool.get());
    drop(a);
    pool.gc(); // primary: [], victim: [0]
    let a = pool.get(); // primary: [], victim: []
    drop(b); // primary: [1]
    drop(a); // primary is full
    assert_eq!(
        log.dropped(),
        [0],
        "a return to a full primary list must drop the object"
    );
    let stats = pool.stats();
    assert_eq!(
        (stats.idle, stats.victim, stats.dropped_at_cap),
        (1, 0, 1),
        "returns only ever go to the primary list (idle, victim, dropped_at_cap)"
    );
}

#[testkit::check]
#[test]
fn a_guard_dropped_during_a_panic_still_returns_its_object() {
    let (pool, _log) = pool(4);
    drop(pool.get());
    let before = pool.stats();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut order = pool.get();
        order.write();
        panic!("deliberate panic while holding a guard (this test expects it)");
    }));
    assert!(result.is_err(), "the closure was supposed to panic");
    let stats = pool.stats();
    assert_eq!(
        (stats.returned - before.returned, stats.in_use, stats.idle),
        (1, 0, 1),
        "a guard dropped by unwinding should return its object (returned, in_use, idle)"
    );
    let order = pool.get();
    assert_eq!(
        order.id(),
        0,
        "the object from the panicking code should be handed out again"
    );
    assert!(
        !order.dirty,
        "the object from the panicking code came back without a reset"
    );
}

#[testkit::check]
#[test]
fn dropping_the_pool_drops_every_idle_object_once() {
    let (pool, log) = pool(3);
    let held: Vec<_> = (0..3).map(|_| pool.get()).collect();
    drop(held); // primary: [0, 1, 2]
    pool.gc(); // victim: [0, 1, 2]
    let held: Vec<_> = (0..4).map(|_| pool.get()).collect();
    drop(held); // returns 2, 1, 0 fill the primary list; 3 finds it full
    assert_eq!(
        log.dropped(),
        [3],
        "with cap 3, the fourth return should be dropped"
    );
    drop(pool);
    log.assert_each_dropped_once(&[0, 1, 2, 3]);
}

#[testkit::check]
#[test]
fn stats_count_every_outcome() {
    let (pool, _log) = pool(2);
    let held: Vec<_> = (0..3).map(|_| pool.get()).collect(); // created 3
    drop(held); // returned 2, dropped_at_cap 1
    let a = pool.get(); // hit
    pool.gc(); // victim: 1 object
    pool.get().detach(); // hit (victim), detached
    let b = pool.get(); // created
    pool.gc(); // victim empty: nothing dropped; primary empty
    drop(a); // returned
    drop(b); // returned
    pool.gc(); // victim: 2
    pool.gc(); // dropped_by_gc 2
    let c = pool.get(); // created
    let want = Stats {
        hits: 2,
        created: 5,
        returned: 4,
        dropped_at_cap: 1,
        detached: 1,
        dropped_by_gc: 2,
        in_use: 1,
        idle: 0,
        victim: 0,
    };
    assert_eq!(
        pool.stats(),
        want,
        "stats after a scripted mix of every operation"
    );
    drop(c);
}

#[testkit::check]
#[test]
fn threads_sharing_a_pool_lose_no_object() {
    let (pool, log) = pool(2);
    drop(pool.get());
    std::thread::scope(|s| {
        for thread in 0..4 {
            let pool = &pool;
            s.spawn(move || {
                for round in 0..200 {
                    let mut order = pool.get();
                    assert!(
                        !order.dirty,
                        "thread {thread} got an object that was not reset"
                    );
                    order.write();
                    if thread == 0 && round % 50 == 0 {
                        pool.gc();
                    }
                    if round % 64 == 63 {
                        drop(order.detach());
                    }
                }
            });
        }
    });
    let s = pool.stats();
    let accounted = s.in_use as u64
        + s.idle as u64
        + s.victim as u64
        + s.detached
        + s.dropped_at_cap
        + s.dropped_by_gc;
    assert_eq!(
        accounted, s.created,
        "every created object should be in use, idle, detached or dropped: {s:?}"
    );
    assert_eq!(s.hits + s.created, 801, "1 + 4 x 200 gets in all: {s:?}");
    assert_eq!(s.detached, 12, "4 threads detached 3 objects each: {s:?}");
    drop(pool);
    let all: Vec<u64> = (0..s.created).collect();
    log.assert_each_dropped_once(&all);
}

#[testkit::check]
#[test]
fn a_panicking_factory_leaves_the_counts_unchanged_and_the_pool_usable() {
    let calls = AtomicU64::new(0);
    let pool = Pool::new(1, move || {
        if calls.fetch_add(1, Ordering::Relaxed) == 1 {
            panic!("the factory failed (on purpose: the test checks what happens next)");
        }
        Vec::<u8>::with_capacity(8)
    });
    drop(pool.get());
    let _kept = pool.get().detach();
    let before = pool.stats();
    let result = catch_unwind(AssertUnwindSafe(|| drop(pool.get())));
    assert!(
        result.is_err(),
        "the factory panics on its second call, so get() must panic too"
    );
    assert_eq!(
        pool.stats(),
        before,
        "stats after a get() whose factory panicked: nothing was made or handed out, so \
         nothing should change"
    );
    drop(pool.get());
    assert_eq!(
        (pool.stats().created, pool.stats().in_use, pool.stats().idle),
        (before.created + 1, 0, 1),
        "(created, in_use, idle) after one more get and drop: the pool must still work"
    );
}

/// An object whose `reset` panics while `explode` is set.
struct Grenade {
    explode: bool,
}

impl Reset for Grenade {
    fn reset(&mut self) {
        if self.explode {
            panic!("reset exploded (on purpose: the test checks what happens next)");
        }
    }
}

#[testkit::check]
#[test]
fn a_reset_that_panics_drops_the_object_and_releases_its_guard() {
    let pool = Pool::new(2, || Grenade { explode: false });
    drop(pool.get());
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pool.get();
        g.explode = true;
        drop(g);
    }));
    assert!(
        result.is_err(),
        "reset panics, so dropping the guard must panic too"
    );
    let stats = pool.stats();
    assert_eq!(
        (
            stats.in_use,
            stats.idle,
            stats.returned,
            stats.dropped_at_cap
        ),
        (0, 0, 1, 0),
        "(in_use, idle, returned, dropped_at_cap) after a guard whose reset panicked: the \
         object is dropped, not returned, and its guard no longer counts as in use"
    );
    let g = pool.get();
    assert!(!g.explode, "the next get() must make a fresh object");
    assert_eq!(pool.stats().created, 2, "created after the next get()");
}

/// Send and Sync, not Reset-specific: `Send + Sync` like `u64`.
struct Plain;
/// Send, not Sync, like `Cell`.
struct NotSync(#[allow(dead_code)] std::cell::Cell<u8>);
/// Sync, not Send, like `MutexGuard`.
struct NotSend(#[allow(dead_code)] std::sync::MutexGuard<'static, u8>);
/// Neither, like `Rc`.
struct Neither(#[allow(dead_code)] std::rc::Rc<u8>);

impl Reset for Plain {
    fn reset(&mut self) {}
}
impl Reset for NotSync {
    fn reset(&mut self) {}
}
impl Reset for NotSend {
    fn reset(&mut self) {}
}
impl Reset for Neither {
    fn reset(&mut self) {}
}

#[testkit::check]
#[test]
fn pools_and_guards_are_send_and_sync_exactly_as_a_mutex_and_a_reference_would_be() {
    let pool = Pool::new(1, || Plain);
    drop(pool.get());
    type P<T> = Pool<T>;
    type G<T> = object_pool::Pooled<'static, T>;
    let table = [
        // (object, Pool: Send, Pool: Sync, Pooled: Send, Pooled: Sync) expected, then found
        (
            "Send + Sync",
            (true, true, true, true),
            (
                implements!(P<Plain>: Send),
                implements!(P<Plain>: Sync),
                implements!(G<Plain>: Send),
                implements!(G<Plain>: Sync),
            ),
        ),
        (
            "Send, not Sync",
            (true, true, true, false),
            (
                implements!(P<NotSync>: Send),
                implements!(P<NotSync>: Sync),
                implements!(G<NotSync>: Send),
                implements!(G<NotSync>: Sync),
            ),
        ),
        (
            "Sync, not Send",
            (false, false, false, false),
            (
                implements!(P<NotSend>: Send),
                implements!(P<NotSend>: Sync),
                implements!(G<NotSend>: Send),
                implements!(G<NotSend>: Sync),
            ),
        ),
        (
            "neither",
            (false, false, false, false),
            (
                implements!(P<Neither>: Send),
                implements!(P<Neither>: Sync),
                implements!(G<Neither>: Send),
                implements!(G<Neither>: Sync),
            ),
        ),
    ];
    for (object, expected, found) in table {
        assert_eq!(
            found, expected,
            "(Pool: Send, Pool: Sync, Pooled: Send, Pooled: Sync) for an object that is \
             {object}: the pool is shared like a Mutex<T>, a guard is a &Pool plus a T"
        );
    }
}
