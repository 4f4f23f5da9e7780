#![cfg(loom)]
//! `SeqLock` under loom: one writer doing one or two writes against one reader, under every
//! interleaving and with every value each `Relaxed` or `Acquire` load is allowed to return.
//!
//! A missing fence shows up here as a torn snapshot: the reader accepts a copy whose fields come
//! from two different writes.

use seqlock::{SeqLock, Snapshot};
use sync_shim::thread::rethrow;
use sync_shim::{Arc, thread};

/// The snapshot of write number `version`. Every field depends on the version, so a copy that
/// mixes two writes matches no version at all.
fn quote(version: u64) -> Snapshot {
    Snapshot {
        bid: 100 + version,
        ask: 200 + version,
        bid_size: 300 + version,
        ask_size: 400 + version,
    }
}

/// The snapshots a model's lock holds in turn: `quote(0)` at first, then one per write.
fn written(writes: u64) -> Vec<Snapshot> {
    (0..=writes).map(quote).collect()
}

/// The version `snap` was written by, or `None` if it is torn.
fn version_of(snap: Snapshot) -> Option<u64> {
    Some(snap.bid.checked_sub(100)?).filter(|&version| quote(version) == snap)
}

/// Runs a writer making `writes` writes (`quote(1)`, `quote(2)`, ..) against `reader` on
/// another thread and returns what the reader returned. Both threads are joined before a panic
/// in either is passed on: loom aborts if a model panics while one of its threads runs.
fn against_the_writer<R: Send + 'static>(
    writes: u64,
    reader: impl FnOnce(&SeqLock) -> R + Send + 'static,
) -> R {
    let lock = Arc::new(SeqLock::new(quote(0)));
    let writer = {
        let lock = Arc::clone(&lock);
        thread::spawn(move || {
            for version in 1..=writes {
                lock.write(quote(version));
            }
        })
    };
    let reader = {
        let lock = Arc::clone(&lock);
        thread::spawn(move || reader(&lock))
    };
    let (wrote, read) = (writer.join(), reader.join());
    rethrow(wrote);
    rethrow(read)
}

#[testkit::check]
#[test]
fn a_reader_never_observes_a_torn_snapshot() {
    sync_shim::model(|| {
        let got = against_the_writer(2, SeqLock::read);
        assert!(
            version_of(got).is_some(),
            "read() returned {got:?}, a torn snapshot: its fields come from different writes \
             (the lock held {:?} in turn). Check the odd check and the orderings: the fences, \
             the Release that ends a write, the Acquire that starts a read",
            written(2)
        );
    });
}

#[testkit::check]
#[test]
fn try_read_never_returns_a_torn_snapshot() {
    sync_shim::model(|| {
        let got = against_the_writer(2, SeqLock::try_read);
        if let Some(snap) = got {
            assert!(
                version_of(snap).is_some(),
                "try_read() returned Some({snap:?}), a torn snapshot: its fields come from \
                 different writes (the lock held {:?} in turn); it must return None instead",
                written(2)
            );
        }
    });
}

#[testkit::check]
#[test]
fn successive_reads_never_go_back_in_time() {
    sync_shim::model(|| {
        let [first, second] = against_the_writer(1, |lock| [lock.read(), lock.read()]);
        let (first_version, second_version) = (version_of(first), version_of(second));
        assert!(
            first_version.is_some() && second_version.is_some() && first_version <= second_version,
            "two read()s on one thread returned {first:?} (version {first_version:?}) and then \
             {second:?} (version {second_version:?}); both must be whole writes (the lock held \
             {:?} in turn), the second no older than the first",
            written(1)
        );
    });
}
