//! A matching engine in the shape low-latency venues use (LMAX-style): one thread owns the
//! order book and nothing else touches it; orders reach it through a single-producer
//! single-consumer ring, its events leave through another, readers see the top of the book
//! through a seqlock, and every message's service time goes into a histogram.
//!
//! ```text
//!  gateway thread                 engine thread                          readers
//!  Gateway::send ──orders ring──▶ EngineThread::run ─ Engine::process      Reader::top
//!  Gateway::poll ◀──events ring── │  one message at a time:              (seqlock, never
//!                                 │  stamp, match, push events,           blocks the engine)
//!                                 │  publish top, count, record latency
//!  Gateway::shutdown ── stop ───▶ drain what is left, then `done`
//! ```
//!
//! It is built from the learner's own katas: the ring of 12 (`spsc_ring`), the histogram of
//! 06 (`latency_histogram`), `CachePadded` of 11 (`false_sharing`) and the seqlock of 13
//! (`seqlock`). The order storage is an arena allocated once in [`Engine::new`], so no message
//! allocates.

use std::fmt;

use false_sharing::CachePadded;
use latency_histogram::Histogram;
use seqlock::{SeqLock, Snapshot};
use spsc_ring::{Consumer, Producer, RingBuffer};
use sync_shim::Arc;
use sync_shim::atomic::Ordering::{Acquire, Relaxed, Release};
use sync_shim::atomic::{AtomicBool, AtomicU64};
use sync_shim::hint::spin_loop;
use sync_shim::thread::{self, JoinHandle};

/// An order's identifier, chosen by the gateway. Unique among the orders resting in the book.
pub type OrderId = u64;
/// A price in ticks: `1..=max_price` of the engine.
pub type Price = u64;
/// A quantity in lots.
pub type Qty = u64;

/// Which side of the book an order is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// A bid: buys at its price or lower.
    Buy,
    /// An ask: sells at its price or higher.
    Sell,
}

/// A message from the gateway to the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// Buy or sell up to `qty` at `price` or better; what does not trade rests in the book.
    Limit {
        /// The order's id.
        id: OrderId,
        /// Buy or sell.
        side: Side,
        /// The limit price, in ticks.
        price: Price,
        /// The quantity.
        qty: Qty,
    },
    /// Buy or sell up to `qty` at any price; what does not trade is cancelled.
    Market {
        /// The order's id.
        id: OrderId,
        /// Buy or sell.
        side: Side,
        /// The quantity.
        qty: Qty,
    },
    /// Remove the resting order `id` from the book.
    Cancel {
        /// The order to cancel.
        id: OrderId,
    },
}

/// Why a message was refused (the book is unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// A limit or market order with quantity 0.
    BadQty,
    /// A limit order priced 0 or above the engine's `max_price`.
    BadPrice,
    /// A limit or market order whose id is resting in the book.
    DuplicateId,
    /// A limit order while the book already holds `capacity` resting orders.
    BookFull,
    /// A cancel of an id that is not resting in the book.
    UnknownId,
}

/// What the engine reports, in the order it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A limit or market order passed the checks; its fills (if any) follow.
    Accepted {
        /// The order.
        id: OrderId,
    },
    /// A message was refused.
    Rejected {
        /// The message's id.
        id: OrderId,
        /// Why.
        reason: Reject,
    },
    /// `qty` traded between the incoming `taker` and the resting `maker`, at the maker's price.
    Fill {
        /// The incoming order.
        taker: OrderId,
        /// The resting order.
        maker: OrderId,
        /// The maker's price.
        price: Price,
        /// The traded quantity.
        qty: Qty,
    },
    /// `qty` of order `id` left the book unfilled: a cancelled resting order, or the part of
    /// a market order that found nothing to trade with.
    Cancelled {
        /// The order.
        id: OrderId,
        /// The quantity that will never trade.
        qty: Qty,
    },
}

/// One price level as [`Engine::levels`] shows it: the price and the resting orders, oldest
/// (first to trade) first.
pub type LevelView = (Price, Vec<(OrderId, Qty)>);

/// The order book and its matching rules. Single-threaded: one engine thread owns it.
///
/// Price-time priority: the best price trades first, and at one price the oldest order.
/// Trades happen at the resting (maker's) price. Cancel by id is O(1). Every buffer is
/// allocated in [`Engine::new`]; [`Engine::process`] never allocates.
pub struct Engine {
    capacity: usize,
    max_price: Price,
    // Your book: levels per price, an arena of `capacity` orders, an id index, best prices.
}

impl Engine {
    /// An empty book for prices `1..=max_price` holding at most `capacity` resting orders.
    ///
    /// Allocates everything the engine will ever use.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0 or above `u32::MAX - 1`, or `max_price` is 0.
    pub fn new(capacity: usize, max_price: Price) -> Engine {
        todo!("Engine::new: allocate a book for {capacity} orders on prices 1..={max_price}")
    }

    /// How many orders the book can hold.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The highest valid price.
    pub fn max_price(&self) -> Price {
        self.max_price
    }

    /// How many orders rest in the book.
    pub fn len(&self) -> usize {
        todo!(
            "Engine::len: count the resting orders (capacity {})",
            self.capacity
        )
    }

    /// Whether no order rests in the book.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Handles one message, passing its events to `emit` in order. Never allocates.
    ///
    /// - `Limit`: rejected with `BadQty` (qty 0), `BadPrice` (price 0 or above `max_price`),
    ///   `DuplicateId` (id resting) or `BookFull` (the book holds `capacity` orders), checked
    ///   in that order. Otherwise `Accepted`, then a `Fill` per resting order it trades with,
    ///   best price first and oldest first at a price, at the resting price; the rest rests.
    /// - `Market`: `BadQty`, `DuplicateId` as above; otherwise `Accepted`, its fills, and
    ///   `Cancelled` with the quantity left if some is.
    /// - `Cancel`: `Cancelled` with the resting quantity, or `Rejected` with `UnknownId`.
    pub fn process(&mut self, msg: Msg, emit: impl FnMut(Event)) {
        todo!(
            "Engine::process: match {msg:?} and pass its events to emit ({:p})",
            &emit
        )
    }

    /// The top of the book: best bid and ask and the total quantity resting at each; 0 for
    /// price and size of an empty side.
    pub fn top(&self) -> Snapshot {
        todo!(
            "Engine::top: best bid and ask and their sizes (max price {})",
            self.max_price
        )
    }

    /// Every level of one side, best price first, each with its orders oldest first. For
    /// tests and tools: it allocates.
    pub fn levels(&self, side: Side) -> Vec<LevelView> {
        todo!("Engine::levels: the {side:?} levels, best first")
    }
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("resting", &self.len())
            .field("capacity", &self.capacity())
            .field("top", &self.top())
            .finish_non_exhaustive()
    }
}

/// A source of timestamps in nanoseconds for the engine's latency histogram.
pub trait Clock: Send + 'static {
    /// Now, in nanoseconds since some fixed point.
    fn now(&mut self) -> u64;
}

/// [`Clock`] on `std::time::Instant` (kata 07's `Clock` can stand in).
#[derive(Debug, Clone, Copy)]
pub struct Monotonic(std::time::Instant);

impl Monotonic {
    /// A clock whose zero is now.
    pub fn new() -> Monotonic {
        Monotonic(std::time::Instant::now())
    }
}

impl Default for Monotonic {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for Monotonic {
    fn now(&mut self) -> u64 {
        u64::try_from(self.0.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

/// What the engine thread shares with the gateway and the readers.
///
/// The counters each have their own cache line, so the engine's writes never slow down a
/// reader of another counter (false sharing).
pub struct Shared {
    /// The top of the book after the last message.
    pub top: SeqLock,
    /// Messages the engine has finished (events pushed, top published).
    pub processed: CachePadded<AtomicU64>,
    /// Set by the gateway after its last message: drain, then stop.
    pub stop: CachePadded<AtomicBool>,
    /// Set by the engine after its last event is pushed.
    pub done: CachePadded<AtomicBool>,
}

impl Default for Shared {
    fn default() -> Self {
        Self::new()
    }
}

impl Shared {
    /// An empty top, zero counters, flags down.
    pub fn new() -> Shared {
        Shared {
            top: SeqLock::new(Snapshot::default()),
            processed: CachePadded::new(AtomicU64::new(0)),
            stop: CachePadded::new(AtomicBool::new(false)),
            done: CachePadded::new(AtomicBool::new(false)),
        }
    }
}

/// The histogram every engine records into: 1 ns to 10 s at 3 significant figures.
pub fn latency_histogram() -> Histogram {
    Histogram::new(1, 10_000_000_000, 3).expect("valid histogram bounds")
}

/// Everything the engine thread owns.
pub struct EngineThread<C: Clock> {
    /// The book.
    pub engine: Engine,
    /// Messages in, from the gateway.
    pub orders: Consumer<Msg>,
    /// Events out, to the gateway.
    pub events: Producer<Event>,
    /// Top of book, counters, stop and done flags.
    pub shared: Arc<Shared>,
    /// Where timestamps come from.
    pub clock: C,
    /// One sample per message: its service time in nanoseconds.
    pub latencies: Histogram,
}

impl<C: Clock> EngineThread<C> {
    /// Handles one message end to end: reads the clock, processes it, pushes each event
    /// (waiting while the events ring is full), publishes the new top, counts it, reads the
    /// clock again and records the difference. Exactly two clock reads per message.
    pub fn step(&mut self, msg: Msg) {
        todo!("EngineThread::step: time, process and publish {msg:?}")
    }

    /// The engine loop: handles messages as they arrive until the gateway sets `stop`, then
    /// handles every message still in the ring, then sets `done`.
    pub fn run(&mut self) {
        todo!(
            "EngineThread::run: handle messages until stop, then drain ({} waiting)",
            self.orders.slots()
        )
    }
}

/// Waits a little: spins for the first rounds (the other side is usually a few hundred
/// nanoseconds away), then yields the core, so a busy machine still makes progress.
/// Returns the next round's count.
pub fn backoff(round: u32) -> u32 {
    if round < 100 {
        spin_loop();
    } else {
        thread::yield_now();
    }
    round.saturating_add(1)
}

/// Starts an engine thread for `engine` with rings of `ring_capacity` slots and returns the
/// gateway that feeds it.
pub fn spawn<C: Clock>(engine: Engine, ring_capacity: usize, clock: C) -> Gateway {
    let (orders_in, orders) = RingBuffer::new(ring_capacity);
    let (events, events_out) = RingBuffer::new(ring_capacity);
    let shared = Arc::new(Shared::new());
    let mut core = EngineThread {
        engine,
        orders,
        events,
        shared: Arc::clone(&shared),
        clock,
        latencies: latency_histogram(),
    };
    let handle = thread::spawn(move || {
        core.run();
        (core.engine, core.latencies)
    });
    Gateway {
        orders: orders_in,
        events: events_out,
        shared,
        handle,
    }
}

/// The gateway's end: sends messages, receives events, shuts the engine down.
pub struct Gateway {
    orders: Producer<Msg>,
    events: Consumer<Event>,
    shared: Arc<Shared>,
    handle: JoinHandle<(Engine, Histogram)>,
}

impl Gateway {
    /// Sends `msg`; while the orders ring is full, passes events to `on_event` (so the engine
    /// is never stuck on a full events ring) and waits.
    pub fn send(&mut self, mut msg: Msg, on_event: &mut impl FnMut(Event)) {
        let mut idle = 0;
        while let Err(back) = self.orders.try_push(msg) {
            msg = back;
            if self.poll(on_event) == 0 {
                idle = backoff(idle);
            }
        }
    }

    /// Passes every event waiting in the events ring to `on_event`; returns how many.
    pub fn poll(&mut self, on_event: &mut impl FnMut(Event)) -> usize {
        let mut n = 0;
        while let Some(event) = self.events.try_pop() {
            on_event(event);
            n += 1;
        }
        n
    }

    /// A handle for reader threads.
    pub fn reader(&self) -> Reader {
        Reader(Arc::clone(&self.shared))
    }

    /// Stops the engine after it has handled every message sent, passes the remaining events
    /// to `on_event`, and returns the engine and its latency histogram.
    pub fn shutdown(mut self, on_event: &mut impl FnMut(Event)) -> (Engine, Histogram) {
        // Release: pairs with the Acquire in `EngineThread::run`; the pushes above are before it.
        self.shared.stop.store(true, Release);
        let mut idle = 0;
        loop {
            self.poll(on_event);
            // Acquire: pairs with the Release store of `done`: every event is in the ring now.
            if self.shared.done.load(Acquire) {
                self.poll(on_event);
                break;
            }
            idle = backoff(idle);
        }
        thread::rethrow(self.handle.join())
    }
}

/// A reader's view of a running engine.
#[derive(Clone)]
pub struct Reader(Arc<Shared>);

impl Reader {
    /// The top of the book after some message: never a mix of two.
    pub fn top(&self) -> Snapshot {
        self.0.top.read()
    }

    /// How many messages the engine has finished.
    pub fn processed(&self) -> u64 {
        // Relaxed: a count for display; `top` has its own synchronization.
        self.0.processed.load(Relaxed)
    }
}

/// p50, p99, p99.9 and max of an engine's latency histogram, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatencyReport {
    /// Messages recorded.
    pub count: u64,
    /// Median.
    pub p50: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
    /// Largest.
    pub max: u64,
}

impl LatencyReport {
    /// The report of `h`: its count, its values at quantiles 0.5, 0.99 and 0.999, its max.
    pub fn of(h: &Histogram) -> LatencyReport {
        todo!("LatencyReport::of: count, p50, p99, p99.9 and max of {h:?}")
    }
}

impl fmt::Display for LatencyReport {
    /// ```text
    /// messages      1000
    /// p50         120 ns
    /// p99        1.05 µs
    /// p99.9      2.30 µs
    /// max        31.0 µs
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<8}{:>10}", "messages", self.count)?;
        for (label, ns) in [
            ("p50", self.p50),
            ("p99", self.p99),
            ("p99.9", self.p999),
            ("max", self.max),
        ] {
            writeln!(f, "{label:<8}{:>10}", nanos(ns))?;
        }
        Ok(())
    }
}

/// Nanoseconds for a human: `950 ns`, `1.05 µs`, `31.0 µs`, `2.50 ms`, `1.20 s`.
pub fn nanos(ns: u64) -> String {
    let x = ns as f64;
    let (value, unit) = match ns {
        0..=999 => return format!("{ns} ns"),
        1_000..=999_999 => (x / 1e3, "µs"),
        1_000_000..=999_999_999 => (x / 1e6, "ms"),
        _ => (x / 1e9, "s"),
    };
    let digits = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    format!("{value:.digits$} {unit}")
}
