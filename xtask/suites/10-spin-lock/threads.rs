//! `SpinLock` under real contention: OS threads, many rounds each.
//!
//! These catch a lock that lets two threads in; the loom models catch the subtler bugs (a
//! missing Acquire or Release) that real hardware rarely shows.

use spin_lock::SpinLock;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const THREADS: usize = 4;
const ROUNDS: u64 = 2_000;

/// Two balances that always sum to `TOTAL` while nobody holds the lock.
struct Accounts {
    bid: u64,
    ask: u64,
}

const TOTAL: u64 = 1_000_000;

#[testkit::check]
#[test]
fn concurrent_increments_under_the_lock_lose_no_update() {
    let lock = Arc::new(SpinLock::new(0u64));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                for _ in 0..ROUNDS {
                    // A plain read-modify-write: only mutual exclusion keeps it whole.
                    let mut guard = lock.lock();
                    let seen = *guard;
                    std::hint::spin_loop();
                    *guard = seen + 1;
                }
            })
        })
        .collect();
    for h in handles {
        if let Err(panic) = h.join() {
            std::panic::resume_unwind(panic);
        }
    }
    let got = *lock.lock();
    let want = THREADS as u64 * ROUNDS;
    assert_eq!(
        got, want,
        "{THREADS} threads x {ROUNDS} increments under the lock must give {want}, got {got}: two threads held the lock at once"
    );
}

#[testkit::check]
#[test]
fn an_invariant_kept_under_the_lock_is_never_seen_broken() {
    let lock = Arc::new(SpinLock::new(Accounts { bid: TOTAL, ask: 0 }));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                for i in 0..ROUNDS {
                    let mut acc = lock.lock();
                    let sum = acc.bid + acc.ask;
                    assert_eq!(
                        sum, TOTAL,
                        "thread {t}, round {i}: bid + ask must be {TOTAL} on taking the lock, got {sum}: another thread was inside"
                    );
                    // Break the invariant for a moment, then restore it.
                    acc.bid -= 1;
                    std::hint::spin_loop();
                    acc.ask += 1;
                }
            })
        })
        .collect();
    for h in handles {
        if let Err(panic) = h.join() {
            std::panic::resume_unwind(panic);
        }
    }
    let acc = lock.lock();
    assert_eq!(
        (acc.bid, acc.ask),
        (TOTAL - THREADS as u64 * ROUNDS, THREADS as u64 * ROUNDS),
        "every move from bid to ask must land exactly once"
    );
}

#[testkit::check]
#[test]
fn concurrent_try_locks_never_let_two_threads_in() {
    let lock = Arc::new(SpinLock::new(0u64));
    let inside = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
            thread::spawn(move || {
                let mut taken = 0u64;
                for _ in 0..ROUNDS {
                    if let Some(mut guard) = lock.try_lock() {
                        let others = inside.fetch_add(1, Ordering::SeqCst);
                        assert_eq!(
                            others, 0,
                            "try_lock succeeded while {others} other thread(s) held the lock"
                        );
                        *guard += 1;
                        taken += 1;
                        inside.fetch_sub(1, Ordering::SeqCst);
                    } else {
                        std::hint::spin_loop();
                    }
                }
                taken
            })
        })
        .collect();
    let mut taken = 0;
    for h in handles {
        taken += h
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    let got = *lock.lock();
    assert_eq!(
        got, taken,
        "{taken} try_locks succeeded and each added 1, but the value is {got}"
    );
}
