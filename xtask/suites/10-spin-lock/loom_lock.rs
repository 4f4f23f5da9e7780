#![cfg(loom)]
//! `SpinLock::lock` under loom: every interleaving of two threads.
//!
//! The value lives in the lock's `sync_shim::cell::UnsafeCell`, a loom cell under `--cfg loom`:
//! loom reports a "Causality violation" when one holder's access is not ordered after the
//! previous holder's, which is what a missing Acquire (in `lock`) or Release (in the guard's
//! `Drop`) looks like.

use spin_lock::SpinLock;
use sync_shim::Arc;
use sync_shim::thread::both;

#[testkit::check]
#[test]
fn two_threads_never_hold_the_lock_at_once() {
    sync_shim::model(|| {
        let lock = Arc::new(SpinLock::new(0u32));
        let (l1, l2) = (Arc::clone(&lock), Arc::clone(&lock));
        // A loom "Causality violation" here means the second holder's access was not ordered
        // after the first holder's: `lock` does not Acquire or the guard's drop does not Release.
        let (a, b) = both(
            move || {
                let mut guard = l1.lock();
                *guard += 1;
                *guard
            },
            move || {
                let mut guard = l2.lock();
                *guard += 1;
                *guard
            },
        );
        let got = *lock.lock();
        assert_eq!(
            (a.min(b), a.max(b), got),
            (1, 2, 2),
            "two threads each added 1 under the lock and saw {a} and {b}, leaving {got}; \
             expected one to see 1, the other 2, and 2 at the end"
        );
    });
}

#[testkit::check]
#[test]
fn a_value_written_under_the_lock_is_seen_by_every_later_holder() {
    sync_shim::model(|| {
        let lock = Arc::new(SpinLock::new(Vec::new()));
        let (l1, l2) = (Arc::clone(&lock), Arc::clone(&lock));
        // Each thread appends twice, taking the lock each time. A holder that missed an
        // earlier push (or a loom "Causality violation") means a missing Acquire or Release.
        let ((), ()) = both(
            move || {
                for x in [1, 2] {
                    l1.lock().push(x);
                }
            },
            move || {
                for x in [10, 20] {
                    l2.lock().push(x);
                }
            },
        );
        let got = lock.lock().clone();
        let mut sorted = got.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            [1, 2, 10, 20],
            "two threads pushed 1, 2 and 10, 20 under the lock; the vector holds {got:?}"
        );
    });
}
