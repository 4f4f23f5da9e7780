//! Which `SpinLock<T>` may be shared between threads: exactly those whose `T` is `Send`.
//!
//! The checks are answers computed at compile time (`testkit::implements!`), so a wrong
//! `unsafe impl Sync` makes a test fail instead of making this file stop compiling.

use spin_lock::{SpinLock, SpinLockGuard};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::MutexGuard;
use testkit::implements;

/// Runs the lock once, so the test is only judged on a lock that works.
fn use_the_lock() {
    let lock = SpinLock::new(Cell::new(1u8));
    lock.lock().set(2);
    assert_eq!(
        lock.into_inner().get(),
        2,
        "a value set through the guard must be kept"
    );
}

#[testkit::check]
#[test]
fn a_spin_lock_is_sync_exactly_when_its_value_is_send() {
    use_the_lock();
    let table = [
        // (type, T: Send, T: Sync, SpinLock<T>: Sync)
        ("u64", true, true, implements!(SpinLock<u64>: Sync)),
        (
            "Cell<u8>",
            true,
            false,
            implements!(SpinLock<Cell<u8>>: Sync),
        ),
        (
            "MutexGuard<'static, u8>",
            false,
            true,
            implements!(SpinLock<MutexGuard<'static, u8>>: Sync),
        ),
        ("Rc<u8>", false, false, implements!(SpinLock<Rc<u8>>: Sync)),
    ];
    for (t, send, sync, got) in table {
        assert_eq!(
            got,
            send,
            "{t} is {}Send and {}Sync, so SpinLock<{t}> must {}be Sync (Sync exactly when T: Send); it {}is",
            if send { "" } else { "not " },
            if sync { "" } else { "not " },
            if send { "" } else { "not " },
            if got { "" } else { "not " },
        );
    }
}

#[testkit::check]
#[test]
fn a_spin_lock_is_send_exactly_when_its_value_is_send() {
    use_the_lock();
    let table = [
        ("u64", true, implements!(SpinLock<u64>: Send)),
        ("Cell<u8>", true, implements!(SpinLock<Cell<u8>>: Send)),
        ("Rc<u8>", false, implements!(SpinLock<Rc<u8>>: Send)),
    ];
    for (t, send, got) in table {
        assert_eq!(
            got,
            send,
            "SpinLock<{t}> must {}be Send (Send exactly when T: Send); it {}is",
            if send { "" } else { "not " },
            if got { "" } else { "not " },
        );
    }
}

#[testkit::check]
#[test]
fn a_guard_is_sync_only_when_its_value_is_sync() {
    use_the_lock();
    let table = [
        ("u64", true, implements!(SpinLockGuard<'static, u64>: Sync)),
        (
            "Cell<u8>",
            false,
            implements!(SpinLockGuard<'static, Cell<u8>>: Sync),
        ),
    ];
    for (t, sync, got) in table {
        assert_eq!(
            got,
            sync,
            "a shared &SpinLockGuard<{t}> hands out &{t}, so the guard must {}be Sync; it {}is",
            if sync { "" } else { "not " },
            if got { "" } else { "not " },
        );
    }
}
