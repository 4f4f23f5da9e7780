//! A sequence lock (seqlock) for a market-data snapshot: one writer that never waits, and any
//! number of readers that never write to shared memory.
//!
//! The writer makes a stamp odd, rewrites the payload, and makes the stamp even again. A reader
//! copies the payload between two loads of the stamp and keeps the copy only if the stamp was
//! even and did not change: otherwise a write overlapped the copy, and it tries again.
//!
//! The payload lives in `Relaxed` atomics. A plain read that races with a write is undefined
//! behaviour in Rust even if the reader throws the copy away; a `Relaxed` load of a `u64` is a
//! plain `mov` on x86_64 and a plain `ldr` on aarch64, so the atomics cost nothing and make the
//! race well defined (and checkable by loom). The fences are those of the `seqlock` crate.

use std::fmt;

use sync_shim::atomic::AtomicU64;
use sync_shim::atomic::Ordering::Relaxed;
// You will also need `Acquire`, `Release`, `sync_shim::atomic::fence` and
// `sync_shim::hint::spin_loop`: import them from `sync_shim`, never from `std`, so loom can
// check your code.

/// The top of the book for one instrument: best bid and ask prices (in ticks) and their sizes.
///
/// A reader must see the four fields of one write together: a bid from one update next to an
/// ask from another is a *torn* snapshot, and a strategy trading on it trades on a price that
/// never existed (possibly a crossed book).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Snapshot {
    /// Best bid price, in ticks.
    pub bid: u64,
    /// Best ask price, in ticks.
    pub ask: u64,
    /// Quantity resting at the best bid.
    pub bid_size: u64,
    /// Quantity resting at the best ask.
    pub ask_size: u64,
}

impl From<Snapshot> for [u64; 4] {
    /// The four fields as words, in declaration order: `[bid, ask, bid_size, ask_size]`.
    fn from(snap: Snapshot) -> Self {
        [snap.bid, snap.ask, snap.bid_size, snap.ask_size]
    }
}

impl From<[u64; 4]> for Snapshot {
    /// The inverse of `From<Snapshot> for [u64; 4]`: `[bid, ask, bid_size, ask_size]`.
    fn from([bid, ask, bid_size, ask_size]: [u64; 4]) -> Self {
        Self {
            bid,
            ask,
            bid_size,
            ask_size,
        }
    }
}

/// A sequence lock holding one [`Snapshot`]: the writer never blocks, readers retry.
///
/// A feed handler thread writes the latest quote; many strategy threads read it. With a
/// `RwLock`, a reader holding the lock delays the writer, and every reader writes to the lock's
/// shared counter. A seqlock reader writes nothing, so readers never delay the writer and never
/// contend with each other; the price is that a reader may have to retry while a write is in
/// progress.
///
/// # Single writer
///
/// There is one writer at a time: [`write`](Self::write) and [`begin_write`](Self::begin_write)
/// must never run on two threads at once, and a thread must not start a write while its own
/// [`WriteGuard`] is alive. Breaking this is not undefined behaviour (every field is an atomic),
/// but readers could then accept a mix of two writes. Put the writer side behind a `Mutex` if
/// several threads write, as the `seqlock` crate does.
///
/// # Examples
///
/// ```
/// use seqlock::{SeqLock, Snapshot};
///
/// let book = SeqLock::new(Snapshot::default());
/// let quote = Snapshot { bid: 10_050, ask: 10_052, bid_size: 300, ask_size: 100 };
/// book.write(quote);
/// assert_eq!(book.read(), quote);
/// assert_eq!(book.stamp(), 2); // one finished write
///
/// let guard = book.begin_write();
/// assert_eq!(book.stamp(), 3); // odd: a write is in progress
/// assert_eq!(book.try_read(), None); // so a reader cannot get a consistent copy now
/// drop(guard);
/// assert_eq!(book.try_read(), Some(quote));
/// ```
///
/// # Ordering
///
/// Writer: stamp + 1 (`Relaxed`); `fence(Release)`; payload stores (`Relaxed`); stamp + 1
/// (`Release`). Reader: stamp load (`Acquire`), retry if odd; payload loads (`Relaxed`);
/// `fence(Acquire)`; stamp load (`Relaxed`), retry if it changed.
///
/// # Layout
///
/// The stamp and the payload are five `u64`s, 40 bytes, kept in one 64-byte cache line so a
/// reader's copy costs at most one cache miss.
#[repr(C, align(64))]
pub struct SeqLock {
    /// Twice the number of finished writes, plus one while a write is in progress: odd means
    /// "a write is in progress, do not trust the payload". Only the writer stores it.
    stamp: AtomicU64,
    /// The snapshot as words, in `From<Snapshot> for [u64; 4]` order. Only the writer stores
    /// them, between an odd and an even stamp.
    payload: [AtomicU64; 4],
}

impl SeqLock {
    /// A lock holding `initial`, with stamp 0 (no write yet).
    pub fn new(initial: Snapshot) -> Self {
        Self {
            stamp: AtomicU64::new(0),
            payload: <[u64; 4]>::from(initial).map(AtomicU64::new),
        }
    }

    /// Replaces the snapshot: `begin_write`, `store`, then the guard's drop ends the write.
    ///
    /// Never waits, whatever the readers do. Single writer: see [`SeqLock`].
    pub fn write(&self, snap: Snapshot) {
        self.begin_write().store(snap);
    }

    /// Starts a write: the stamp becomes odd until the returned guard is dropped.
    ///
    /// While the guard lives, [`try_read`](Self::try_read) returns `None` and
    /// [`read`](Self::read) spins (so the writing thread itself must not call `read`). Never
    /// waits. Single writer: see [`SeqLock`].
    pub fn begin_write(&self) -> WriteGuard<'_> {
        todo!("SeqLock::begin_write: make the stamp odd, then fence(Release) ({self:?})")
    }

    /// One attempt at a consistent copy: `None` if a write was in progress when it started, or
    /// began before it finished.
    ///
    /// Never waits and never writes to shared memory.
    pub fn try_read(&self) -> Option<Snapshot> {
        todo!(
            "SeqLock::try_read: copy the {} payload words between two loads of the stamp",
            self.payload.len()
        )
    }

    /// A consistent copy of the snapshot, retrying [`try_read`](Self::try_read) (with
    /// `spin_loop` between attempts) until no write overlaps it.
    ///
    /// Never blocks the writer; spins while a write is in progress.
    pub fn read(&self) -> Snapshot {
        todo!("SeqLock::read: retry try_read until it returns a snapshot ({self:?})")
    }

    /// The current stamp: twice the number of finished writes, plus one while a write is in
    /// progress. Reads never change it.
    pub fn stamp(&self) -> u64 {
        todo!("SeqLock::stamp: load the stamp so that seeing 2n also shows the n-th write")
    }
}

impl Default for SeqLock {
    /// A lock holding `Snapshot::default()`.
    fn default() -> Self {
        Self::new(Snapshot::default())
    }
}

impl fmt::Debug for SeqLock {
    /// Shows the stamp only: printing the payload would mean a read, which can spin.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeqLock")
            // Relaxed: a diagnostic glimpse that publishes and orders nothing.
            .field("stamp", &self.stamp.load(Relaxed))
            .finish_non_exhaustive()
    }
}

/// A write in progress, from [`SeqLock::begin_write`]: the stamp stays odd until it drops.
///
/// [`store`](Self::store) sets the payload (the last store wins); dropping the guard ends the
/// write, even without a store, and makes the stamp even again.
#[must_use = "the write ends as soon as the guard is dropped"]
#[derive(Debug)]
pub struct WriteGuard<'a> {
    /// The lock being written.
    lock: &'a SeqLock,
    /// The odd stamp this write set; the write ends by storing the next (even) one.
    odd: u64,
}

impl WriteGuard<'_> {
    /// Stores `snap` as the payload. Readers see it once the guard drops.
    pub fn store(&self, snap: Snapshot) {
        todo!(
            "WriteGuard::store: store {snap:?} into the payload words of {:?}",
            self.lock
        )
    }
}

impl Drop for WriteGuard<'_> {
    /// Ends the write: the stamp becomes even again, two more than before `begin_write`.
    fn drop(&mut self) {
        // While another todo!() unwinds, a second panic here would abort the whole test.
        // Replace this whole body.
        if !std::thread::panicking() {
            todo!(
                "Drop for WriteGuard: end the write by making the stamp {} (even)",
                self.odd.wrapping_add(1)
            )
        }
    }
}
