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

use sync_shim::atomic::Ordering::{Acquire, Relaxed, Release};
use sync_shim::atomic::{AtomicU64, fence};
use sync_shim::hint::spin_loop;

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
        // Relaxed: only the writer stores the stamp, so this reads the writer's own last store.
        let odd = self.stamp.load(Relaxed).wrapping_add(1);
        // Relaxed: the fence below keeps this store ahead of the payload stores.
        self.stamp.store(odd, Relaxed);
        // Release fence: pairs with the Acquire fence in `try_read`. A reader whose payload load
        // sees any store of this write then sees the odd stamp (or a later one) at its re-check.
        fence(Release);
        WriteGuard { lock: self, odd }
    }

    /// One attempt at a consistent copy: `None` if a write was in progress when it started, or
    /// began before it finished.
    ///
    /// Never waits and never writes to shared memory.
    pub fn try_read(&self) -> Option<Snapshot> {
        // Acquire: pairs with the Release store that ends a write (`WriteGuard::drop`); publishes
        // that write's payload, so no load below can return an older value.
        let before = self.stamp.load(Acquire);
        if before & 1 == 1 {
            return None;
        }
        // Relaxed: these loads may race with a later write; the re-check throws such a copy away.
        let words = self.payload.each_ref().map(|word| word.load(Relaxed));
        // Acquire fence: pairs with the Release fence in `begin_write`. If a load above saw a
        // store of a newer write, that write's odd stamp is visible to the re-check below.
        fence(Acquire);
        // Relaxed: the fence above already orders it after the payload loads.
        let after = self.stamp.load(Relaxed);
        (before == after).then(|| Snapshot::from(words))
    }

    /// A consistent copy of the snapshot, retrying [`try_read`](Self::try_read) (with
    /// `spin_loop` between attempts) until no write overlaps it.
    ///
    /// Never blocks the writer; spins while a write is in progress.
    pub fn read(&self) -> Snapshot {
        loop {
            if let Some(snap) = self.try_read() {
                return snap;
            }
            spin_loop();
        }
    }

    /// The current stamp: twice the number of finished writes, plus one while a write is in
    /// progress. Reads never change it.
    pub fn stamp(&self) -> u64 {
        // Acquire: pairs with the Release store that ends a write; a caller that sees stamp 2n
        // also sees the n-th write's payload.
        self.stamp.load(Acquire)
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
        for (word, value) in self.lock.payload.iter().zip(<[u64; 4]>::from(snap)) {
            // Relaxed: the Release fence in `begin_write` keeps these after the odd stamp, and
            // the Release store in `drop` keeps them before the even one.
            word.store(value, Relaxed);
        }
    }
}

impl Drop for WriteGuard<'_> {
    /// Ends the write: the stamp becomes even again, two more than before `begin_write`.
    fn drop(&mut self) {
        // Release: pairs with the Acquire load that starts `try_read`; publishes the payload
        // stores, so a reader that sees this stamp copies this write's values, not older ones.
        self.lock.stamp.store(self.odd.wrapping_add(1), Release);
    }
}
