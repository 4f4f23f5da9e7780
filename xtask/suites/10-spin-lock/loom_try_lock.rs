#![cfg(loom)]
//! `SpinLock::try_lock` under loom: every interleaving of two threads.
//!
//! The value lives in the lock's `sync_shim::cell::UnsafeCell`, a loom cell under `--cfg loom`:
//! two holders at once, or a holder whose access is not ordered after the previous one's, is
//! reported by loom as a "Causality violation".

use spin_lock::SpinLock;
use sync_shim::atomic::{AtomicUsize, Ordering};
use sync_shim::thread::{both, rethrow};
use sync_shim::{Arc, thread};

#[testkit::check]
#[test]
fn try_lock_fails_while_another_thread_holds_the_lock() {
    sync_shim::model(|| {
        let lock = Arc::new(SpinLock::new(0u32));
        let guard = lock.lock();
        let other = Arc::clone(&lock);
        let got = rethrow(thread::spawn(move || other.try_lock().is_some()).join());
        drop(guard);
        assert!(
            !got,
            "try_lock in another thread succeeded while this thread held the lock"
        );
        let again = rethrow(thread::spawn(move || lock.try_lock().is_some()).join());
        assert!(
            again,
            "try_lock in another thread failed after this thread released the lock"
        );
    });
}

#[testkit::check]
#[test]
fn two_try_locks_never_both_hold_the_lock() {
    /// One `try_lock`; if it succeeds, add 1 while counting the threads inside.
    fn attempt(lock: &SpinLock<u32>, inside: &AtomicUsize) -> u32 {
        let Some(mut guard) = lock.try_lock() else {
            return 0;
        };
        let others = inside.fetch_add(1, Ordering::SeqCst);
        assert_eq!(
            others, 0,
            "try_lock succeeded while another thread held the lock"
        );
        *guard += 1;
        inside.fetch_sub(1, Ordering::SeqCst);
        1
    }
    sync_shim::model(|| {
        let lock = Arc::new(SpinLock::new(0u32));
        let inside = Arc::new(AtomicUsize::new(0));
        let (l1, i1) = (Arc::clone(&lock), Arc::clone(&inside));
        let (l2, i2) = (Arc::clone(&lock), Arc::clone(&inside));
        let (a, b) = both(move || attempt(&l1, &i1), move || attempt(&l2, &i2));
        let got = *lock.lock();
        assert!(
            a + b >= 1,
            "two try_locks on a free lock both failed: one of them must succeed"
        );
        assert_eq!(
            got,
            a + b,
            "{} try_lock(s) succeeded and each added 1, but the value is {got}",
            a + b
        );
    });
}

#[testkit::check]
#[test]
fn a_successful_try_lock_sees_the_previous_holders_writes() {
    sync_shim::model(|| {
        let lock = Arc::new(SpinLock::new(0u32));
        let (l1, l2) = (Arc::clone(&lock), Arc::clone(&lock));
        // A loom "Causality violation" on the read means the guard's drop does not Release or
        // a successful try_lock does not Acquire.
        let ((), seen) = both(
            move || *l1.lock() = 42,
            move || l2.try_lock().map(|guard| *guard),
        );
        assert!(
            matches!(seen, None | Some(0 | 42)),
            "try_lock read {seen:?}; the only values ever written are 0 and 42"
        );
    });
}
