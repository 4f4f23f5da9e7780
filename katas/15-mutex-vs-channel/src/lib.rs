//! One position keeper built twice: a [`MutexBook`] that producer threads update in place
//! under a lock, and a [`ChannelBook`] whose map belongs to one owner thread that the
//! producers feed through a channel.
//!
//! Go says "don't communicate by sharing memory; share memory by communicating". Both books
//! here keep the same numbers and give the same final snapshot; what differs is who touches
//! the map, what a write costs the producer, and what a read costs.
//!
//! ```
//! use mutex_vs_channel::{ChannelBook, Fill, Key, MutexBook, Position};
//!
//! let es = Key::new(7, 1);
//! let fills = [Fill::buy(es, 3, 100), Fill::sell(es, 3, 104)];
//!
//! let shared = MutexBook::new();
//! for fill in fills {
//!     shared.apply(fill);
//! }
//!
//! let owned = ChannelBook::new();
//! let handle = owned.handle();
//! for fill in fills {
//!     handle.apply(fill).unwrap();
//! }
//!
//! // Bought 3 at 100, sold 3 at 104: flat, 12 ticks of realized profit.
//! let flat = Position { net_qty: 0, cash: 12, fills: 2 };
//! assert_eq!(shared.snapshot(), vec![(es, flat)]);
//! assert_eq!(owned.shutdown(), vec![(es, flat)]);
//! ```

// Your work, every `todo!()`: `Position::apply`; `MutexBook::apply`, `position` and
// `snapshot`; `ChannelBook::new`, `handle`, `shutdown` and its `Drop`; `run_owner`;
// `BookHandle::apply` and `position`. Given: `Key`, `Fill`, `Position::pnl_at` and
// `is_flat`, `sorted`, `MutexBook::new` and its `lock` helper, the fields and `Msg`.
// Delete each `#[allow(..)]` once your code uses what it covers.
// Import threads, locks and channels from `sync_shim` (as below), never from `std`, so the
// grader can run your code under loom.

use std::collections::HashMap;
use std::fmt;
use std::sync::PoisonError;

#[allow(
    unused_imports,
    reason = "your `new` and `position` use them; delete this line then"
)]
use sync_shim::mpsc::{Receiver, Sender, channel};
#[allow(unused_imports, reason = "your `new` uses it; delete this line then")]
use sync_shim::thread::{self, JoinHandle};
use sync_shim::{Arc, Mutex};

/// What a position is kept for: one instrument in one account.
///
/// Keys order by account, then symbol; snapshots are sorted in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The trading account.
    pub account: u32,
    /// The instrument.
    pub symbol: u32,
}

impl Key {
    /// The key of `symbol` in `account`.
    pub const fn new(account: u32, symbol: u32) -> Self {
        Self { account, symbol }
    }
}

/// One execution report: `qty` lots of `key` traded at `price`.
///
/// `qty` is signed: positive for a buy, negative for a sell, never zero. `price` is in ticks
/// (an integer number of the instrument's smallest price step), so all arithmetic is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fill {
    /// Which position the fill belongs to.
    pub key: Key,
    /// Signed lots: `+` bought, `-` sold.
    pub qty: i64,
    /// Price in ticks, per lot.
    pub price: i64,
}

impl Fill {
    /// Bought `lots` (> 0) of `key` at `price` ticks.
    pub const fn buy(key: Key, lots: i64, price: i64) -> Self {
        Self {
            key,
            qty: lots,
            price,
        }
    }

    /// Sold `lots` (> 0) of `key` at `price` ticks.
    pub const fn sell(key: Key, lots: i64, price: i64) -> Self {
        Self {
            key,
            qty: -lots,
            price,
        }
    }
}

/// The running totals of one key: every field is a plain sum over the fills, so the result
/// does not depend on the order in which the fills were applied.
///
/// Profit is derived, not stored: at any mark price it is `cash + net_qty * mark`
/// ([`pnl_at`](Position::pnl_at)), and once the position is flat `cash` *is* the realized
/// profit.
///
/// ```
/// use mutex_vs_channel::Position;
///
/// let mut p = Position::default();
/// p.apply(5, 100); // buy 5 at 100: pay 500
/// p.apply(-2, 110); // sell 2 at 110: receive 220
/// assert_eq!(p, Position { net_qty: 3, cash: -280, fills: 2 });
/// assert_eq!(p.pnl_at(110), 50); // 3 lots still held, worth 330 at 110
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Lots held: the sum of the fills' `qty`. Positive is long, negative is short.
    pub net_qty: i64,
    /// Money in minus money out, in ticks × lots: the sum of `-qty * price`. A buy pays, a
    /// sell receives.
    pub cash: i64,
    /// How many fills were applied to this key.
    pub fills: u64,
}

impl Position {
    /// Adds one fill of `qty` lots at `price` ticks.
    pub fn apply(&mut self, qty: i64, price: i64) {
        todo!("Position::apply: add a fill of {qty} lots at {price} ticks to {self:?}")
    }

    /// Profit and loss if the open lots were valued at `mark` ticks: `cash + net_qty * mark`.
    pub fn pnl_at(&self, mark: i64) -> i64 {
        self.cash + self.net_qty * mark
    }

    /// No lots held.
    pub fn is_flat(&self) -> bool {
        self.net_qty == 0
    }
}

/// Every position a book holds, sorted by key.
pub type Snapshot = Vec<(Key, Position)>;

/// Sorts a map's positions by key.
#[allow(
    dead_code,
    reason = "your `snapshot` and `shutdown` call it; delete this line then"
)]
fn sorted(map: HashMap<Key, Position>) -> Snapshot {
    let mut positions: Snapshot = map.into_iter().collect();
    positions.sort_unstable_by_key(|&(key, _)| key);
    positions
}

/// A position keeper that shares its memory: one `HashMap` behind one `Mutex`, updated in
/// place by whichever thread calls [`apply`](MutexBook::apply).
///
/// Clones share the same book (the map sits behind an `Arc`), so each producer thread takes
/// a clone. A fill is applied before `apply` returns: the next `position` or `snapshot`, on
/// any thread that synchronizes with the caller, sees it.
///
/// # Examples
///
/// ```
/// use mutex_vs_channel::{Fill, Key, MutexBook};
///
/// let book = MutexBook::new();
/// let es = Key::new(1, 1);
/// let producers: Vec<_> = (0..2)
///     .map(|_| {
///         let book = book.clone();
///         std::thread::spawn(move || book.apply(Fill::buy(es, 1, 100)))
///     })
///     .collect();
/// for p in producers {
///     p.join().unwrap();
/// }
/// assert_eq!(book.position(es).unwrap().net_qty, 2);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MutexBook {
    #[allow(
        dead_code,
        reason = "your methods use it; delete this line once they do"
    )]
    positions: Arc<Mutex<HashMap<Key, Position>>>,
}

impl MutexBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `fill` to its key's position, creating the position on the key's first fill.
    ///
    /// Read, update and write happen under one lock, so two threads filling the same key
    /// never lose an update.
    pub fn apply(&self, fill: Fill) {
        todo!("MutexBook::apply: add {fill:?} to its key's position, under the lock")
    }

    /// The position of `key`, or `None` if it was never filled.
    pub fn position(&self, key: Key) -> Option<Position> {
        todo!("MutexBook::position: look up {key:?} under the lock")
    }

    /// Every position, sorted by key, including flat ones.
    pub fn snapshot(&self) -> Snapshot {
        todo!("MutexBook::snapshot: every position, sorted by key")
    }

    /// The lock, even if a thread panicked while holding it: every update is a few additions
    /// that cannot panic halfway, so the map is never left half-updated.
    #[allow(
        dead_code,
        reason = "your methods call it; delete this line once they do"
    )]
    fn lock(&self) -> sync_shim::MutexGuard<'_, HashMap<Key, Position>> {
        self.positions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a [`BookHandle`] asks the owner thread to do. The owner handles messages one at a
/// time, in the order the channel delivers them.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "your code sends and matches these; delete this line then"
)]
enum Msg {
    /// Add a fill.
    Fill(Fill),
    /// Send the position of a key back on the enclosed channel.
    Position(Key, Sender<Option<Position>>),
    /// Stop after everything queued before this message.
    Stop,
}

/// A position keeper that shares memory by communicating: the map lives on one owner
/// thread, and [`BookHandle`]s send it fills through a channel.
///
/// [`new`](ChannelBook::new) spawns the owner; [`handle`](ChannelBook::handle) gives
/// cloneable handles to the producers; [`shutdown`](ChannelBook::shutdown) stops the owner
/// and returns the final snapshot. No lock guards the map: only the owner ever touches it.
///
/// Nothing is lost at shutdown: every fill sent before `shutdown` is called is in the
/// snapshot, even from handles that are still alive.
///
/// # Examples
///
/// ```
/// use mutex_vs_channel::{ChannelBook, Fill, Key};
///
/// let book = ChannelBook::new();
/// let es = Key::new(1, 1);
/// let producers: Vec<_> = (0..2)
///     .map(|_| {
///         let handle = book.handle();
///         std::thread::spawn(move || handle.apply(Fill::buy(es, 1, 100)).unwrap())
///     })
///     .collect();
/// for p in producers {
///     p.join().unwrap();
/// }
/// let snapshot = book.shutdown();
/// assert_eq!(snapshot[0].1.net_qty, 2);
/// ```
#[allow(
    dead_code,
    reason = "your methods use the fields; delete this line once they do"
)]
pub struct ChannelBook {
    /// The book's own sender: handles are clones of it, and `Stop` goes through it.
    inbox: Sender<Msg>,
    /// The owner thread, which returns its map when it stops. `None` once stopped.
    owner: Option<JoinHandle<HashMap<Key, Position>>>,
}

impl ChannelBook {
    /// An empty book and its owner thread, waiting for messages.
    pub fn new() -> Self {
        todo!("ChannelBook::new: make the channel and spawn the owner thread")
    }

    /// A handle that sends fills to this book's owner. Clone it freely: every clone feeds
    /// the same owner.
    pub fn handle(&self) -> BookHandle {
        todo!("ChannelBook::handle: a BookHandle on this book's channel ({self:?})")
    }

    /// Stops the owner after it has applied every fill sent before this call, and returns
    /// every position, sorted by key.
    ///
    /// Returns even while handles are alive; their later `apply` calls return `Err`.
    pub fn shutdown(self) -> Snapshot {
        todo!("ChannelBook::shutdown: stop the owner after the queued fills ({self:?})")
    }
}

impl fmt::Debug for ChannelBook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelBook")
            .field("running", &self.owner.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for ChannelBook {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ChannelBook {
    /// Stops the owner thread if [`shutdown`](ChannelBook::shutdown) was not called; the
    /// positions are discarded.
    fn drop(&mut self) {
        // Skipped while a panic unwinds, so an unfinished kata reports the first `todo!()`
        // instead of aborting. Replace the whole body.
        if !std::thread::panicking() {
            todo!("Drop for ChannelBook: stop the owner thread if it still runs ({self:?})")
        }
    }
}

/// The owner thread's loop: the only code that ever touches the map. Handles messages in
/// the order they arrive, until `Stop`, then returns the map.
#[allow(
    dead_code,
    reason = "your `ChannelBook::new` spawns it; delete this line then"
)]
fn run_owner(messages: Receiver<Msg>) -> HashMap<Key, Position> {
    todo!("run_owner: apply fills and answer questions from {messages:?} until Stop")
}

/// A producer's end of a [`ChannelBook`]: sends fills (and questions) to the owner thread.
///
/// Clones send to the same owner. A handle may outlive its book: once the book has shut
/// down, [`apply`](BookHandle::apply) returns the fill in `Err`.
#[derive(Debug, Clone)]
pub struct BookHandle {
    #[allow(
        dead_code,
        reason = "your methods use it; delete this line once they do"
    )]
    inbox: Sender<Msg>,
}

impl BookHandle {
    /// Queues `fill` for the owner and returns at once; the owner applies it later, in the
    /// order this handle sent it.
    ///
    /// # Errors
    ///
    /// Returns the fill, unapplied, if the book has shut down (or was dropped).
    pub fn apply(&self, fill: Fill) -> Result<(), Fill> {
        todo!("BookHandle::apply: send {fill:?} to the owner")
    }

    /// Asks the owner for the position of `key` and waits for the answer: a round trip
    /// through the owner thread.
    ///
    /// The answer includes every fill this handle sent before asking (the channel is FIFO),
    /// and every fill whose send happened before this call (say, by a thread joined first).
    /// `None` if the key was never filled, or the book has shut down.
    pub fn position(&self, key: Key) -> Option<Position> {
        todo!("BookHandle::position: ask the owner about {key:?} and wait for the answer")
    }
}
