//! Edge cases as tables: the cap (0 keeps nothing), gc cycles, detach at every cap.

use std::sync::atomic::{AtomicU64, Ordering};

use object_pool::{Pool, Reset};
use rstest::rstest;
use testkit::drops::{DropLog, Token};

/// A pooled object with an id (0, 1, 2, ... from the factory), a "written since reset" flag
/// and a count of resets. Its token logs its drop.
#[derive(Debug)]
struct Order {
    dirty: bool,
    resets: u32,
    token: Token,
}

impl Reset for Order {
    fn reset(&mut self) {
        self.dirty = false;
        self.resets += 1;
    }
}

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
#[rstest]
#[case::cap_0_keeps_nothing(0, 3)]
#[case::cap_1_keeps_one_return(1, 1)]
#[case::cap_1_drops_the_surplus(1, 3)]
#[case::cap_2_exactly_full(2, 2)]
#[case::cap_3_drops_the_surplus(3, 5)]
fn returns_beyond_the_cap_are_dropped(#[case] max_idle: usize, #[case] returns: u64) {
    let (pool, log) = pool(max_idle);
    let held: Vec<_> = (0..returns).map(|_| pool.get()).collect();
    drop(held); // returned in id order 0, 1, 2, ...
    let kept = returns.min(max_idle as u64);
    let stats = pool.stats();
    assert_eq!(
        (stats.returned, stats.dropped_at_cap, stats.idle as u64),
        (kept, returns - kept, kept),
        "cap {max_idle}, {returns} returns: (returned, dropped_at_cap, idle)"
    );
    let dropped: Vec<u64> = (kept..returns).collect();
    assert_eq!(
        log.dropped(),
        dropped,
        "cap {max_idle}: the returns that found the primary list full should be dropped at once"
    );
    let next = pool.get();
    let want = if kept > 0 { kept - 1 } else { returns };
    assert_eq!(
        next.token.id(),
        want,
        "cap {max_idle}: the next get should hand out object {want}"
    );
}

#[testkit::check]
#[rstest]
#[case::no_gc(0, 2, 0, 0)]
#[case::one_gc_demotes_to_the_victim_cache(1, 0, 2, 0)]
#[case::two_gcs_drop_the_victims(2, 0, 0, 2)]
#[case::a_third_gc_finds_nothing(3, 0, 0, 2)]
fn gc_keeps_idle_objects_for_exactly_one_cycle(
    #[case] gcs: usize,
    #[case] idle: usize,
    #[case] victim: usize,
    #[case] dropped_by_gc: u64,
) {
    let (pool, log) = pool(2);
    let held = [pool.get(), pool.get()];
    drop(held);
    for _ in 0..gcs {
        pool.gc();
    }
    let stats = pool.stats();
    assert_eq!(
        (stats.idle, stats.victim, stats.dropped_by_gc),
        (idle, victim, dropped_by_gc),
        "two idle objects after {gcs} gc calls: (idle, victim, dropped_by_gc)"
    );
    assert_eq!(
        log.dropped().len() as u64,
        dropped_by_gc,
        "objects actually dropped after {gcs} gc calls (log: {:?})",
        log.dropped()
    );
}

#[testkit::check]
#[rstest]
#[case::cap_0(0)]
#[case::cap_3(3)]
fn gc_on_an_empty_pool_changes_nothing(#[case] max_idle: usize) {
    let (pool, log) = pool(max_idle);
    let before = pool.stats();
    pool.gc();
    pool.gc();
    assert_eq!(
        pool.stats(),
        before,
        "cap {max_idle}: gc on an empty pool changed the stats"
    );
    assert!(
        log.dropped().is_empty(),
        "gc on an empty pool dropped {:?}",
        log.dropped()
    );
}

#[testkit::check]
#[rstest]
#[case::cap_0(0)]
#[case::cap_1(1)]
#[case::cap_4(4)]
fn detach_skips_reset_and_return(#[case] max_idle: usize) {
    let (pool, log) = pool(max_idle);
    drop(pool.get()); // one reset, back in the pool when the cap allows
    let mut order = pool.get();
    order.dirty = true;
    let resets = order.resets;
    let order = order.detach();
    assert!(
        order.dirty,
        "cap {max_idle}: detach must hand back the object as it was"
    );
    assert_eq!(
        order.resets, resets,
        "cap {max_idle}: detach must not call reset"
    );
    let stats = pool.stats();
    assert_eq!(
        (stats.detached, stats.in_use, stats.idle),
        (1, 0, 0),
        "cap {max_idle}: after a detach (detached, in_use, idle)"
    );
    let dropped_before = log.dropped().len();
    drop(pool);
    assert_eq!(
        log.dropped().len(),
        dropped_before,
        "cap {max_idle}: dropping the pool must not drop a detached object"
    );
    drop(order);
}

thread_local! {
    /// The pool the current thread's `Reentrant` objects and factory call back into.
    static THE_POOL: std::cell::Cell<Option<&'static Pool<Reentrant>>> =
        const { std::cell::Cell::new(None) };
}

/// An object whose `reset` and `Drop` (and whose factory) call `stats()` on its own pool: a
/// pool that ran them under its lock would lock it twice on one thread and hang.
struct Reentrant;

fn call_back_into_the_pool() {
    if let Some(pool) = THE_POOL.get() {
        let _ = pool.stats();
    }
}

impl Reset for Reentrant {
    fn reset(&mut self) {
        call_back_into_the_pool();
    }
}

impl Drop for Reentrant {
    fn drop(&mut self) {
        call_back_into_the_pool();
    }
}

#[testkit::check]
#[rstest]
#[case::the_factory_and_a_surplus_drop(0, false)]
#[case::reset_and_a_drop_by_gc(1, true)]
fn user_code_never_runs_under_the_pool_lock(#[case] max_idle: usize, #[case] gc: bool) {
    let stats = testkit::patience::within(
        std::time::Duration::from_secs(5),
        "a pool whose objects call pool.stats() from their factory, reset and Drop",
        "the factory, reset or a drop ran while the pool's lock was held (the same thread \
         locked it twice): release the lock first",
        move || {
            let pool: &'static Pool<Reentrant> = Box::leak(Box::new(Pool::new(max_idle, || {
                call_back_into_the_pool();
                Reentrant
            })));
            THE_POOL.set(Some(pool));
            drop(pool.get());
            if gc {
                pool.gc();
                pool.gc();
            }
            pool.stats()
        },
    );
    let dropped = if gc {
        stats.dropped_by_gc
    } else {
        stats.dropped_at_cap
    };
    assert_eq!(
        (stats.created, dropped),
        (1, 1),
        "(created, dropped) after one get and one return with max_idle {max_idle}{}",
        if gc { " and two gc" } else { "" }
    );
}
