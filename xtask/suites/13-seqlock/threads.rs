//! One writer and two readers on real threads, as a feed handler and its strategies would run.
//!
//! The loom models prove the orderings; these tests run the real thing at full speed, where a
//! missing odd check or re-check shows up as a torn snapshot within a few thousand writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use seqlock::{SeqLock, Snapshot};
use sync_shim::thread::rethrow;

/// Writes per run.
const WRITES: u64 = 20_000;
/// Reader threads per run.
const READERS: usize = 2;

/// The snapshot of write number `version` (0 is the initial one). Every field depends on the
/// version, so a copy that mixes two writes matches no version at all.
fn quote(version: u64) -> Snapshot {
    Snapshot {
        bid: 2 * version,
        ask: 2 * version + 1,
        bid_size: version,
        ask_size: !version,
    }
}

/// The version `snap` was written by, or `None` if it is torn.
fn version_of(snap: Snapshot) -> Option<u64> {
    let version = snap.bid_size;
    (quote(version) == snap).then_some(version)
}

/// What one reader saw.
#[derive(Debug, Default)]
struct Seen {
    /// The first torn snapshot returned by `read()`.
    torn: Option<Snapshot>,
    /// The first time a read returned an older version than the read before it.
    backwards: Option<(u64, u64)>,
    /// The version of the read made after the writer had finished.
    last: Option<u64>,
    /// Number of reads.
    reads: u64,
}

/// Sets the flag when dropped, so readers stop even if the writer panics.
struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Runs one writer (`WRITES` writes of `quote(1..)`) against `READERS` readers that call
/// `read()` until the writer is done, then once more.
fn writer_against_readers() -> Vec<Seen> {
    let lock = Arc::new(SeqLock::new(quote(0)));
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (lock, done) = (Arc::clone(&lock), Arc::clone(&done));
            thread::spawn(move || {
                let mut seen = Seen::default();
                let mut previous = 0;
                loop {
                    let finished = done.load(Ordering::Acquire);
                    let snap = lock.read();
                    seen.reads += 1;
                    match version_of(snap) {
                        None => {
                            seen.torn.get_or_insert(snap);
                        }
                        Some(version) => {
                            if version < previous {
                                seen.backwards.get_or_insert((previous, version));
                            }
                            previous = version;
                            if finished {
                                seen.last = Some(version);
                            }
                        }
                    }
                    if finished {
                        return seen;
                    }
                }
            })
        })
        .collect();
    let writer = {
        let lock = Arc::clone(&lock);
        thread::spawn(move || {
            let _done = SetOnDrop(done);
            for version in 1..=WRITES {
                lock.write(quote(version));
            }
        })
    };
    let written = writer.join();
    let seen: Vec<_> = readers.into_iter().map(|r| r.join()).collect();
    rethrow(written);
    seen.into_iter().map(rethrow).collect()
}

#[testkit::check]
#[test]
fn readers_on_other_threads_never_see_a_torn_snapshot() {
    for (i, seen) in writer_against_readers().iter().enumerate() {
        assert_eq!(
            seen.torn, None,
            "reader {i} got a torn snapshot from read() (fields of two different writes) \
             in {} reads; every field of a write must come out together",
            seen.reads
        );
    }
}

#[testkit::check]
#[test]
fn each_reader_sees_versions_in_order() {
    for (i, seen) in writer_against_readers().iter().enumerate() {
        assert_eq!(
            seen.backwards, None,
            "reader {i}: read() returned version (previous, next) with next older than \
             previous; successive reads on one thread must never go back in time"
        );
    }
}

#[testkit::check]
#[test]
fn a_read_after_the_writer_finished_sees_the_last_write() {
    for (i, seen) in writer_against_readers().iter().enumerate() {
        assert_eq!(
            seen.last,
            Some(WRITES),
            "reader {i}: read() after the writer finished must return the last write \
             (version {WRITES}); got {:?} (None means a torn snapshot)",
            seen.last
        );
    }
}
