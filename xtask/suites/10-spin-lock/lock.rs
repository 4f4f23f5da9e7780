//! `SpinLock` on one thread: the guard, `try_lock`, `is_locked` and `into_inner`.

use rstest::rstest;
use spin_lock::{SpinLock, SpinLockGuard};
use testkit::drops::DropLog;

/// How a test takes the lock.
#[derive(Debug, Clone, Copy)]
enum Take {
    Lock,
    TryLock,
}

impl Take {
    fn from<T>(self, lock: &SpinLock<T>) -> SpinLockGuard<'_, T> {
        match self {
            Take::Lock => lock.lock(),
            Take::TryLock => lock
                .try_lock()
                .expect("try_lock on a free lock must succeed, got None"),
        }
    }
}

#[testkit::check]
#[test]
fn a_new_lock_is_free() {
    let lock = SpinLock::new(7u32);
    assert!(!lock.is_locked(), "a new lock must not be locked");
    let guard = lock.try_lock();
    assert!(guard.is_some(), "try_lock on a new lock must succeed");
}

#[testkit::check]
#[rstest]
#[case::lock(Take::Lock)]
#[case::try_lock(Take::TryLock)]
fn try_lock_fails_while_a_guard_is_held(#[case] take: Take) {
    let lock = SpinLock::new(0u32);
    let guard = take.from(&lock);
    assert!(
        lock.is_locked(),
        "is_locked must be true while a guard from {take:?} is alive"
    );
    assert!(
        lock.try_lock().is_none(),
        "try_lock must return None while a guard from {take:?} is alive"
    );
    assert!(
        lock.try_lock().is_none(),
        "a failed try_lock must not release the lock: the second try_lock must fail too"
    );
    drop(guard);
}

#[testkit::check]
#[rstest]
#[case::lock_then_try_lock(Take::Lock, Take::TryLock)]
#[case::lock_then_lock(Take::Lock, Take::Lock)]
#[case::try_lock_then_try_lock(Take::TryLock, Take::TryLock)]
#[case::try_lock_then_lock(Take::TryLock, Take::Lock)]
fn dropping_the_guard_frees_the_lock(#[case] first: Take, #[case] then: Take) {
    let lock = SpinLock::new(0u32);
    drop(first.from(&lock));
    assert!(
        !lock.is_locked(),
        "after dropping a guard from {first:?}, is_locked must be false"
    );
    // Checked with try_lock first: a lock that was never released would make `lock()` spin
    // forever instead of failing.
    drop(lock.try_lock().unwrap_or_else(|| {
        panic!("after dropping a guard from {first:?}, try_lock must succeed, got None")
    }));
    drop(then.from(&lock));
    assert!(
        !lock.is_locked(),
        "after dropping a guard from {then:?}, is_locked must be false"
    );
}

#[testkit::check]
#[rstest]
#[case::no_writes(&[], 10)]
#[case::one_write(&[5], 5)]
#[case::three_writes(&[5, 7, u64::MAX], u64::MAX)]
fn into_inner_returns_the_last_value_written_through_a_guard(
    #[case] writes: &[u64],
    #[case] expected: u64,
) {
    let lock = SpinLock::new(10u64);
    for &w in writes {
        *lock.lock() = w;
    }
    let got = lock.into_inner();
    assert_eq!(
        got, expected,
        "new(10), then writes {writes:?} through guards: into_inner must return {expected}, got {got}"
    );
}

#[testkit::check]
#[rstest]
#[case::lock(Take::Lock)]
#[case::try_lock(Take::TryLock)]
fn a_guard_reads_and_writes_the_value_in_place(#[case] take: Take) {
    let lock = SpinLock::new(String::from("bid"));
    {
        let mut guard = take.from(&lock);
        guard.push_str(" 101.25");
        assert_eq!(
            guard.as_str(),
            "bid 101.25",
            "a write through the guard must be visible through the same guard"
        );
    }
    let guard = take.from(&lock);
    assert_eq!(
        guard.len(),
        10,
        "the next guard must see \"bid 101.25\", got {:?}",
        guard.as_str()
    );
}

#[testkit::check]
#[test]
fn into_inner_hands_back_the_value_without_dropping_it() {
    let log = DropLog::new();
    let lock = SpinLock::new(log.token(1));
    *lock.lock() = log.token(2);
    assert_eq!(
        log.dropped(),
        vec![1],
        "assigning through the guard must drop the old value (token 1) once"
    );
    let token = lock.into_inner();
    assert_eq!(
        token.id(),
        2,
        "into_inner must return the value last written"
    );
    assert_eq!(
        log.dropped(),
        vec![1],
        "into_inner must not drop the value it returns"
    );
    drop(token);
    log.assert_each_dropped_once(&[1, 2]);
}

#[testkit::check]
#[test]
fn dropping_the_lock_drops_the_value_once() {
    let log = DropLog::new();
    let lock = SpinLock::new(log.token(1));
    drop(lock.lock());
    drop(lock);
    log.assert_each_dropped_once(&[1]);
}

#[testkit::check]
#[test]
fn a_lock_can_be_taken_and_released_many_times() {
    let lock = SpinLock::new(0u32);
    for i in 0..1000 {
        let mut guard = if i % 2 == 0 {
            lock.lock()
        } else {
            lock.try_lock()
                .unwrap_or_else(|| panic!("try_lock number {i} on a free lock returned None"))
        };
        *guard += 1;
    }
    let got = lock.into_inner();
    assert_eq!(
        got, 1000,
        "1000 increments under the lock must give 1000, got {got}"
    );
}

#[testkit::check]
#[test]
fn a_default_lock_holds_the_default_value_and_is_free() {
    let lock = SpinLock::<Vec<u8>>::default();
    assert!(!lock.is_locked(), "a default lock must not be locked");
    assert!(
        lock.into_inner().is_empty(),
        "a default SpinLock<Vec<u8>> must hold an empty Vec"
    );
}
