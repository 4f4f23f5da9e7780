//! A panic while the lock is held: the guard's `Drop` runs during unwinding and frees the lock.

use rstest::rstest;
use spin_lock::SpinLock;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Once};

/// The payload of the panics these tests cause on purpose.
const SIMULATED: &str = "simulated failure inside the critical section";

/// Keeps the deliberate panics out of the output, so the first panic message a failing test
/// prints is the real one. Every other panic still goes to the default hook.
fn silence_simulated_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&SIMULATED) {
                default(info);
            }
        }));
    });
}

/// Takes the lock with `lock` or `try_lock`, adds 1 through the guard, then panics while the
/// guard is alive. Returns whether the panic reached the caller.
fn panic_while_holding(lock: &SpinLock<u32>, use_try_lock: bool) -> bool {
    silence_simulated_panics();
    let guard = if use_try_lock {
        lock.try_lock()
            .expect("try_lock on a free lock must succeed, got None")
    } else {
        lock.lock()
    };
    catch_unwind(AssertUnwindSafe(move || {
        let mut guard = guard;
        *guard += 1;
        std::panic::panic_any(SIMULATED);
    }))
    .is_err()
}

#[testkit::check]
#[rstest]
#[case::lock(false)]
#[case::try_lock(true)]
fn a_panic_while_holding_the_lock_releases_it(#[case] use_try_lock: bool) {
    let lock = SpinLock::new(0u32);
    assert!(
        panic_while_holding(&lock, use_try_lock),
        "the panic must reach catch_unwind"
    );
    assert!(
        !lock.is_locked(),
        "after a panic inside the critical section, is_locked must be false: the guard's Drop runs during unwinding"
    );
    assert!(
        lock.try_lock().is_some(),
        "after a panic inside the critical section, try_lock must succeed"
    );
}

#[testkit::check]
#[test]
fn a_write_made_before_the_panic_is_kept() {
    let lock = SpinLock::new(0u32);
    assert!(
        panic_while_holding(&lock, false),
        "the panic must reach catch_unwind"
    );
    let got = lock
        .try_lock()
        .map(|guard| *guard)
        .expect("after a panic inside the critical section, try_lock must succeed");
    assert_eq!(
        got, 1,
        "the +1 written before the panic must be kept (a spin lock does not poison), got {got}"
    );
}

#[testkit::check]
#[test]
fn a_thread_that_dies_from_a_panic_while_holding_the_lock_releases_it() {
    silence_simulated_panics();
    let lock = Arc::new(SpinLock::new(0u32));
    let shared = Arc::clone(&lock);
    let outcome = std::thread::spawn(move || {
        let mut guard = shared.lock();
        *guard += 1;
        std::panic::panic_any(SIMULATED);
    })
    .join();
    assert!(outcome.is_err(), "the other thread must die from its panic");
    let got = lock.try_lock().map(|guard| *guard);
    assert_eq!(
        got,
        Some(1),
        "another thread died from a panic while holding the lock (after adding 1): \
         try_lock here must succeed and see 1"
    );
}
