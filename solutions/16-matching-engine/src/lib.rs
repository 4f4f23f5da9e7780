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

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

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

/// "No order" in the arena's links.
const NIL: u32 = u32::MAX;

/// A resting order: a slot of the arena, linked into its level's queue.
#[derive(Debug, Clone, Copy)]
struct Order {
    id: OrderId,
    qty: Qty,
    price: Price,
    side: Side,
    prev: u32,
    next: u32,
}

/// A price level: a doubly linked queue of arena slots, and its total quantity.
#[derive(Debug, Clone, Copy)]
struct Level {
    head: u32,
    tail: u32,
    total: Qty,
}

impl Level {
    const EMPTY: Level = Level {
        head: NIL,
        tail: NIL,
        total: 0,
    };
}

/// A multiplicative hash for order ids (FxHash's): one multiplication, no allocation.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The order book and its matching rules. Single-threaded: one engine thread owns it.
///
/// Price-time priority: the best price trades first, and at one price the oldest order.
/// Trades happen at the resting (maker's) price. Cancel by id is O(1). Every buffer is
/// allocated in [`Engine::new`]; [`Engine::process`] never allocates.
pub struct Engine {
    max_price: Price,
    /// Bid levels indexed by price (index 0 unused).
    bids: Box<[Level]>,
    /// Ask levels indexed by price (index 0 unused).
    asks: Box<[Level]>,
    /// Highest price with a bid, 0 when there is none.
    best_bid: Price,
    /// Lowest price with an ask, 0 when there is none.
    best_ask: Price,
    /// Non-empty levels per side (bids, asks): at 0 the best price is 0 without a scan.
    occupied: [usize; 2],
    /// The arena: `capacity` slots, allocated once.
    orders: Box<[Order]>,
    /// Free slots of the arena, a stack.
    free: Vec<u32>,
    /// Resting order id to arena slot. Sized for twice the capacity, so it never grows.
    index: HashMap<OrderId, u32, BuildHasherDefault<IdHasher>>,
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
        assert!(
            (1..u32::MAX as usize).contains(&capacity),
            "Engine::new: capacity {capacity} is not in 1..{}",
            u32::MAX
        );
        assert!(max_price > 0, "Engine::new: max_price must be at least 1");
        let levels = usize::try_from(max_price).expect("max_price fits in memory") + 1;
        let blank = Order {
            id: 0,
            qty: 0,
            price: 0,
            side: Side::Buy,
            prev: NIL,
            next: NIL,
        };
        Engine {
            max_price,
            bids: vec![Level::EMPTY; levels].into_boxed_slice(),
            asks: vec![Level::EMPTY; levels].into_boxed_slice(),
            best_bid: 0,
            best_ask: 0,
            occupied: [0, 0],
            orders: vec![blank; capacity].into_boxed_slice(),
            // Popped from the end: slot 0 first.
            free: (0..capacity as u32).rev().collect(),
            index: HashMap::with_capacity_and_hasher(2 * capacity, BuildHasherDefault::default()),
        }
    }

    /// How many orders the book can hold.
    pub fn capacity(&self) -> usize {
        self.orders.len()
    }

    /// The highest valid price.
    pub fn max_price(&self) -> Price {
        self.max_price
    }

    /// How many orders rest in the book.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no order rests in the book.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
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
    pub fn process(&mut self, msg: Msg, mut emit: impl FnMut(Event)) {
        match msg {
            Msg::Limit {
                id,
                side,
                price,
                qty,
            } => {
                let reason = if qty == 0 {
                    Some(Reject::BadQty)
                } else if price == 0 || price > self.max_price {
                    Some(Reject::BadPrice)
                } else if self.index.contains_key(&id) {
                    Some(Reject::DuplicateId)
                } else if self.free.is_empty() {
                    Some(Reject::BookFull)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    return emit(Event::Rejected { id, reason });
                }
                emit(Event::Accepted { id });
                let left = self.take(id, side, price, qty, &mut emit);
                if left > 0 {
                    self.rest(id, side, price, left);
                }
            }
            Msg::Market { id, side, qty } => {
                let reason = if qty == 0 {
                    Some(Reject::BadQty)
                } else if self.index.contains_key(&id) {
                    Some(Reject::DuplicateId)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    return emit(Event::Rejected { id, reason });
                }
                emit(Event::Accepted { id });
                let limit = match side {
                    Side::Buy => self.max_price,
                    Side::Sell => 1,
                };
                let left = self.take(id, side, limit, qty, &mut emit);
                if left > 0 {
                    emit(Event::Cancelled { id, qty: left });
                }
            }
            Msg::Cancel { id } => match self.index.remove(&id) {
                Some(slot) => {
                    let qty = self.orders[slot as usize].qty;
                    self.unlink(slot);
                    self.free.push(slot);
                    emit(Event::Cancelled { id, qty });
                }
                None => emit(Event::Rejected {
                    id,
                    reason: Reject::UnknownId,
                }),
            },
        }
    }

    /// Trades `qty` of the incoming order against the opposite side while it crosses `limit`;
    /// returns what is left.
    fn take(
        &mut self,
        taker: OrderId,
        side: Side,
        limit: Price,
        mut qty: Qty,
        emit: &mut impl FnMut(Event),
    ) -> Qty {
        while qty > 0 {
            let best = match side {
                Side::Buy => self.best_ask,
                Side::Sell => self.best_bid,
            };
            let crosses = best != 0
                && match side {
                    Side::Buy => best <= limit,
                    Side::Sell => best >= limit,
                };
            if !crosses {
                break;
            }
            let level = match side {
                Side::Buy => &mut self.asks[best as usize],
                Side::Sell => &mut self.bids[best as usize],
            };
            let slot = level.head;
            let maker = &mut self.orders[slot as usize];
            let traded = qty.min(maker.qty);
            maker.qty -= traded;
            level.total -= traded;
            qty -= traded;
            let (maker_id, maker_done) = (maker.id, maker.qty == 0);
            emit(Event::Fill {
                taker,
                maker: maker_id,
                price: best,
                qty: traded,
            });
            if maker_done {
                self.index.remove(&maker_id);
                self.unlink(slot);
                self.free.push(slot);
            }
        }
        qty
    }

    /// Puts a new order at the back of its level's queue.
    fn rest(&mut self, id: OrderId, side: Side, price: Price, qty: Qty) {
        let slot = self.free.pop().expect("checked by the BookFull test");
        let level = match side {
            Side::Buy => &mut self.bids[price as usize],
            Side::Sell => &mut self.asks[price as usize],
        };
        self.orders[slot as usize] = Order {
            id,
            qty,
            price,
            side,
            prev: level.tail,
            next: NIL,
        };
        if level.tail == NIL {
            level.head = slot;
            self.occupied[side as usize] += 1;
        } else {
            self.orders[level.tail as usize].next = slot;
        }
        level.tail = slot;
        level.total += qty;
        self.index.insert(id, slot);
        match side {
            Side::Buy if price > self.best_bid => self.best_bid = price,
            Side::Sell if self.best_ask == 0 || price < self.best_ask => self.best_ask = price,
            _ => {}
        }
    }

    /// Takes a slot out of its level's queue (its quantity leaves the level's total) and
    /// moves the best price on if the level is now empty.
    fn unlink(&mut self, slot: u32) {
        let Order {
            qty,
            price,
            side,
            prev,
            next,
            ..
        } = self.orders[slot as usize];
        let level = match side {
            Side::Buy => &mut self.bids[price as usize],
            Side::Sell => &mut self.asks[price as usize],
        };
        level.total -= qty;
        if prev == NIL {
            level.head = next;
        } else {
            self.orders[prev as usize].next = next;
        }
        if next == NIL {
            level.tail = prev;
        } else {
            self.orders[next as usize].prev = prev;
        }
        if level.head != NIL {
            return;
        }
        self.occupied[side as usize] -= 1;
        if self.occupied[side as usize] == 0 {
            match side {
                Side::Buy => self.best_bid = 0,
                Side::Sell => self.best_ask = 0,
            }
            return;
        }
        match side {
            Side::Buy if price == self.best_bid => {
                self.best_bid = (1..price)
                    .rev()
                    .find(|&p| self.bids[p as usize].head != NIL)
                    .unwrap_or(0);
            }
            Side::Sell if price == self.best_ask => {
                self.best_ask = (price + 1..=self.max_price)
                    .find(|&p| self.asks[p as usize].head != NIL)
                    .unwrap_or(0);
            }
            _ => {}
        }
    }

    /// The top of the book: best bid and ask and the total quantity resting at each; 0 for
    /// price and size of an empty side.
    pub fn top(&self) -> Snapshot {
        Snapshot {
            bid: self.best_bid,
            ask: self.best_ask,
            bid_size: self.bids[self.best_bid as usize].total,
            ask_size: self.asks[self.best_ask as usize].total,
        }
    }

    /// Every level of one side, best price first, each with its orders oldest first. For
    /// tests and tools: it allocates.
    pub fn levels(&self, side: Side) -> Vec<LevelView> {
        let ladder = match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        };
        let mut out = Vec::new();
        let prices: Box<dyn Iterator<Item = Price>> = match side {
            Side::Buy => Box::new((1..=self.max_price).rev()),
            Side::Sell => Box::new(1..=self.max_price),
        };
        for price in prices {
            let mut slot = ladder[price as usize].head;
            let mut orders = Vec::new();
            while slot != NIL {
                let o = &self.orders[slot as usize];
                orders.push((o.id, o.qty));
                slot = o.next;
            }
            if !orders.is_empty() {
                out.push((price, orders));
            }
        }
        out
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
        let start = self.clock.now();
        let events = &mut self.events;
        self.engine.process(msg, |event| push(events, event));
        self.shared.top.write(self.engine.top());
        // Release: a reader that sees the count also sees the top published before it.
        self.shared.processed.fetch_add(1, Release);
        let elapsed = self.clock.now().saturating_sub(start);
        let _ = self
            .latencies
            .record(elapsed.min(self.latencies.highest_trackable()));
    }

    /// The engine loop: handles messages as they arrive until the gateway sets `stop`, then
    /// handles every message still in the ring, then sets `done`.
    pub fn run(&mut self) {
        let mut idle = 0u32;
        loop {
            if let Some(msg) = self.orders.try_pop() {
                self.step(msg);
                idle = 0;
                continue;
            }
            // Acquire: pairs with the Release in `Gateway::shutdown`, so every message pushed
            // before `stop` is visible to the pops below.
            if self.shared.stop.load(Acquire) {
                while let Some(msg) = self.orders.try_pop() {
                    self.step(msg);
                }
                break;
            }
            idle = backoff(idle);
        }
        // Release: the gateway that sees `done` sees every event pushed before it.
        self.shared.done.store(true, Release);
    }
}

/// Pushes `event`, waiting while the ring is full (the gateway drains it).
fn push(events: &mut Producer<Event>, mut event: Event) {
    let mut idle = 0;
    while let Err(back) = events.try_push(event) {
        event = back;
        idle = backoff(idle);
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
        LatencyReport {
            count: h.len(),
            p50: h.value_at_quantile(0.5),
            p99: h.value_at_quantile(0.99),
            p999: h.value_at_quantile(0.999),
            max: h.max(),
        }
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
