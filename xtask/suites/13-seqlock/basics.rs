//! The lock's contract on one thread: stamps, writes, and what a reader sees during a write.

use rstest::rstest;
use seqlock::{SeqLock, Snapshot};

/// A quote with distinct, recognisable fields.
const QUOTE: Snapshot = Snapshot {
    bid: 10_050,
    ask: 10_052,
    bid_size: 300,
    ask_size: 100,
};

/// Another quote, different from [`QUOTE`] in every field.
const NEXT: Snapshot = Snapshot {
    bid: 10_051,
    ask: 10_053,
    bid_size: 200,
    ask_size: 400,
};

#[testkit::check]
#[test]
fn a_new_lock_reads_its_initial_snapshot() {
    let lock = SeqLock::new(QUOTE);
    // try_read first: a try_read that always fails would make read() spin forever, and the
    // check should say so rather than time out.
    assert_eq!(
        lock.try_read(),
        Some(QUOTE),
        "try_read() of SeqLock::new({QUOTE:?}) with no write in progress"
    );
    assert_eq!(lock.read(), QUOTE, "read() of SeqLock::new({QUOTE:?})");
}

#[testkit::check]
#[test]
fn a_new_lock_has_stamp_zero() {
    let lock = SeqLock::new(QUOTE);
    assert_eq!(lock.stamp(), 0, "stamp() of a new lock: no write yet");
}

#[testkit::check]
#[rstest]
#[case::zeros(Snapshot::default())]
#[case::a_quote(QUOTE)]
#[case::all_max(Snapshot { bid: u64::MAX, ask: u64::MAX, bid_size: u64::MAX, ask_size: u64::MAX })]
#[case::mixed_extremes(Snapshot { bid: 0, ask: u64::MAX, bid_size: 1, ask_size: u64::MAX - 1 })]
fn a_write_is_seen_by_the_next_read(#[case] snap: Snapshot) {
    let lock = SeqLock::new(NEXT);
    lock.write(snap);
    assert_eq!(
        lock.try_read(),
        Some(snap),
        "try_read() after write({snap:?})"
    );
    assert_eq!(lock.read(), snap, "read() after write({snap:?})");
}

#[testkit::check]
#[rstest]
#[case::one_write(1)]
#[case::two_writes(2)]
#[case::three_writes(3)]
#[case::a_hundred_writes(100)]
fn each_write_adds_two_to_the_stamp(#[case] writes: u64) {
    let lock = SeqLock::new(QUOTE);
    for n in 1..=writes {
        lock.write(Snapshot { bid: n, ..QUOTE });
        assert_eq!(
            lock.stamp(),
            2 * n,
            "stamp() after {n} write(s) must be 2 × {n}"
        );
    }
    assert_eq!(
        lock.read(),
        Snapshot {
            bid: writes,
            ..QUOTE
        },
        "read() after {writes} writes must return the last one"
    );
}

#[testkit::check]
#[test]
fn reads_leave_the_stamp_alone() {
    let lock = SeqLock::new(QUOTE);
    lock.write(NEXT);
    for _ in 0..3 {
        let _ = lock.read();
        let _ = lock.try_read();
    }
    assert_eq!(
        lock.stamp(),
        2,
        "stamp() after one write and six reads: a reader never writes the stamp"
    );
}

#[testkit::check]
#[test]
fn the_stamp_is_odd_while_a_write_is_in_progress() {
    let lock = SeqLock::new(QUOTE);
    lock.write(NEXT);
    let guard = lock.begin_write();
    assert_eq!(
        lock.stamp(),
        3,
        "stamp() during the second write (after begin_write, before store): 2 + 1"
    );
    guard.store(QUOTE);
    assert_eq!(
        lock.stamp(),
        3,
        "stamp() during the second write (after store, guard still alive): 2 + 1"
    );
    drop(guard);
    assert_eq!(
        lock.stamp(),
        4,
        "stamp() once the second write's guard dropped"
    );
}

/// How many times a write calls `store` before `try_read` is tried inside it.
#[testkit::check]
#[rstest]
#[case::before_any_store(0)]
#[case::after_a_store(1)]
#[case::after_two_stores(2)]
fn try_read_during_a_write_returns_none(#[case] stores: usize) {
    let lock = SeqLock::new(QUOTE);
    let guard = lock.begin_write();
    for _ in 0..stores {
        guard.store(NEXT);
    }
    assert_eq!(
        lock.try_read(),
        None,
        "try_read() while a write is in progress (after {stores} store(s)) must give up: \
         the payload may be half-written"
    );
    drop(guard);
}

#[testkit::check]
#[test]
fn a_read_after_the_guard_drops_returns_the_stored_snapshot() {
    let lock = SeqLock::new(QUOTE);
    let guard = lock.begin_write();
    guard.store(NEXT);
    drop(guard);
    assert_eq!(
        lock.try_read(),
        Some(NEXT),
        "try_read() after the write ended"
    );
    assert_eq!(lock.read(), NEXT, "read() after the write ended");
}

#[testkit::check]
#[test]
fn the_last_store_in_a_write_wins() {
    let lock = SeqLock::new(Snapshot::default());
    let guard = lock.begin_write();
    guard.store(QUOTE);
    guard.store(NEXT);
    drop(guard);
    assert_eq!(
        lock.read(),
        NEXT,
        "read() after a write that stored {QUOTE:?} and then {NEXT:?}"
    );
    assert_eq!(lock.stamp(), 2, "stamp() after one write with two stores");
}

#[testkit::check]
#[test]
fn a_write_without_a_store_keeps_the_snapshot_and_still_counts() {
    let lock = SeqLock::new(QUOTE);
    drop(lock.begin_write());
    assert_eq!(
        lock.read(),
        QUOTE,
        "read() after a write whose guard dropped without a store"
    );
    assert_eq!(
        lock.stamp(),
        2,
        "stamp() after a write without a store: it still began and ended"
    );
}
