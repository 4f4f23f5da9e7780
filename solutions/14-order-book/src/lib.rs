//! A limit order book with price-time priority, and a shared book behind an `RwLock` for the
//! many threads that read it.
//!
//! [`Book`] is the single-threaded engine: [`add`](Book::add) a limit order and it trades with
//! the best resting orders it crosses, oldest first at each price, then rests whatever is left;
//! [`cancel`](Book::cancel) takes a resting order out. [`SharedBook`] puts a `Book` behind a
//! readers-writer lock: orders and cancels take the write lock, top-of-book and depth queries
//! take the read lock, so readers never wait for each other, only for a writer.
//!
//! Prices are integer ticks and quantities whole units, both `u64`: no floating point, so two
//! prices are equal exactly when they are the same level.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;

use sync_shim::RwLock;

/// A price, in ticks (the instrument's smallest price increment).
pub type Price = u64;

/// A quantity, in whole units (shares, contracts, lots).
pub type Qty = u64;

/// An order id. The book assigns them: 1 for the first [`Book::add`], then one more per call.
pub type OrderId = u64;

/// Which side of the book an order is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// A bid: wants to buy at the limit price or lower.
    Buy,
    /// An ask (offer): wants to sell at the limit price or higher.
    Sell,
}

impl Side {
    /// The side this one trades against.
    pub fn opposite(self) -> Side {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }
}

/// An order resting in the book, as [`Book::orders`] lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Order {
    /// The id [`Book::add`] returned for it.
    pub id: OrderId,
    /// Its side.
    pub side: Side,
    /// Its limit price, which is also its level.
    pub price: Price,
    /// What is left of it: never 0 for a resting order.
    pub qty: Qty,
}

/// One trade between a resting order (the maker) and an incoming one (the taker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fill {
    /// The resting order that was hit.
    pub maker: OrderId,
    /// The incoming order that crossed.
    pub taker: OrderId,
    /// The maker's price: the resting order sets the price, the taker gets any improvement.
    pub price: Price,
    /// How much traded, never 0.
    pub qty: Qty,
}

/// What [`Book::add`] did with an order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Placed {
    /// The id the book gave the order.
    pub id: OrderId,
    /// Its trades, in the order they happened: best price first, oldest maker first.
    pub fills: Vec<Fill>,
    /// The quantity left resting in the book at the order's limit price (0: nothing rests).
    pub resting: Qty,
}

impl Placed {
    /// The total quantity traded: the sum of the fills.
    pub fn filled(&self) -> Qty {
        self.fills.iter().map(|fill| fill.qty).sum()
    }
}

/// The best bid and the best ask, read at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Top {
    /// The highest bid price and the total quantity resting there, if any bid rests.
    pub bid: Option<(Price, Qty)>,
    /// The lowest ask price and the total quantity resting there, if any ask rests.
    pub ask: Option<(Price, Qty)>,
}

impl Top {
    /// `true` when the best bid is at or above the best ask (a *crossed* or *locked* book).
    ///
    /// A book at rest is never crossed: an order that would cross trades instead of resting.
    /// A reader that sees a crossed `Top` saw a bid and an ask that never rested together.
    pub fn is_crossed(&self) -> bool {
        matches!((self.bid, self.ask), (Some((bid, _)), Some((ask, _))) if bid >= ask)
    }
}

/// One price level in a [`Depth`] snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Level {
    /// The level's price.
    pub price: Price,
    /// The total quantity resting at this price.
    pub qty: Qty,
    /// How many orders rest at this price.
    pub orders: usize,
}

/// The best few levels of each side, best first, as [`Book::depth`] returns them.
///
/// `Display` renders the price ladder the snapshot test checks: asks above, deepest first,
/// so the best ask sits just above the best bid; then bids, best first.
///
/// ```text
/// orders   bid qty     price   ask qty  orders
///                        103         7       1
///                        101        15       2
///      1        10       100
///      2         8        98
/// ```
///
/// Every row ends after its last non-empty column (bid rows after the price), with a newline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Depth {
    /// Bid levels, highest price first.
    pub bids: Vec<Level>,
    /// Ask levels, lowest price first.
    pub asks: Vec<Level>,
}

impl fmt::Display for Depth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:>6}  {:>8}  {:>8}  {:>8}  {:>6}",
            "orders", "bid qty", "price", "ask qty", "orders"
        )?;
        for ask in self.asks.iter().rev() {
            writeln!(
                f,
                "{:>6}  {:>8}  {:>8}  {:>8}  {:>6}",
                "", "", ask.price, ask.qty, ask.orders
            )?;
        }
        for bid in &self.bids {
            writeln!(f, "{:>6}  {:>8}  {:>8}", bid.orders, bid.qty, bid.price)?;
        }
        Ok(())
    }
}

/// What rests at one price: the orders in time priority and their total.
#[derive(Debug, Default)]
struct PriceLevel {
    /// The sum of `orders[..].qty`, kept up to date so the top of the book is O(1) per level.
    total: Qty,
    /// Oldest at the front: the next maker to trade. Never empty while the level is in a map.
    orders: VecDeque<Resting>,
}

/// A resting order inside its level (the side and price are the level's).
#[derive(Debug, Clone, Copy)]
struct Resting {
    id: OrderId,
    qty: Qty,
}

/// A limit order book for one instrument, with price-time priority.
///
/// An incoming order trades with the best opposite price first (lowest ask for a buy, highest
/// bid for a sell) and, at one price, with the oldest resting order first. Each trade happens
/// at the resting order's price. What cannot trade rests at the order's limit price, behind the
/// orders already there. A book at rest is therefore never crossed: best bid < best ask.
///
/// # Examples
///
/// ```
/// use order_book::{Book, Fill, Side};
///
/// let mut book = Book::new();
/// let ask = book.add(Side::Sell, 101, 5); // nothing to trade with: rests
/// assert_eq!(ask.resting, 5);
/// assert_eq!(book.best_ask(), Some((101, 5)));
///
/// // A buy up to 102 crosses the ask at 101 and trades at 101, the resting price.
/// let buy = book.add(Side::Buy, 102, 8);
/// assert_eq!(buy.fills, vec![Fill { maker: ask.id, taker: buy.id, price: 101, qty: 5 }]);
/// assert_eq!(buy.resting, 3); // the rest of the buy now bids 102
/// assert_eq!(book.best_bid(), Some((102, 3)));
/// assert_eq!(book.best_ask(), None);
///
/// assert_eq!(book.cancel(buy.id), Some(3));
/// assert_eq!(book.best_bid(), None);
/// ```
#[derive(Debug, Default)]
pub struct Book {
    /// Bid levels by price; the best bid is the last key.
    bids: BTreeMap<Price, PriceLevel>,
    /// Ask levels by price; the best ask is the first key.
    asks: BTreeMap<Price, PriceLevel>,
    /// Side and price of every resting order, so `cancel` finds its level without a scan.
    index: HashMap<OrderId, (Side, Price)>,
    /// The id of the last order added (0 before the first).
    last_id: OrderId,
}

impl Book {
    /// An empty book. The first order added gets id 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a limit order: trades with every resting order it crosses, then rests the rest.
    ///
    /// A buy crosses asks priced at or below `price`; a sell crosses bids at or above it.
    /// Levels trade best price first and, within a level, oldest order first; each fill is
    /// at the resting order's price. A partially filled maker keeps its place at the front of
    /// its level. Whatever quantity is left rests at `price`, behind the orders already there.
    /// An order of quantity 0 trades nothing and rests nothing, but still takes an id.
    pub fn add(&mut self, side: Side, price: Price, qty: Qty) -> Placed {
        self.last_id += 1;
        let taker = self.last_id;
        let mut remaining = qty;
        let mut fills = Vec::new();

        // Split the borrow: match against one side while updating the index.
        let (opposite, index) = match side {
            Side::Buy => (&mut self.asks, &mut self.index),
            Side::Sell => (&mut self.bids, &mut self.index),
        };
        while remaining > 0 {
            // The best opposite level: the lowest ask for a buy, the highest bid for a sell.
            let best = match side {
                Side::Buy => opposite.first_entry(),
                Side::Sell => opposite.last_entry(),
            };
            let Some(mut best) = best else { break };
            let level_price = *best.key();
            let crosses = match side {
                Side::Buy => level_price <= price,
                Side::Sell => level_price >= price,
            };
            if !crosses {
                break;
            }
            let level = best.get_mut();
            while remaining > 0 {
                let Some(maker) = level.orders.front_mut() else {
                    break;
                };
                let traded = remaining.min(maker.qty);
                maker.qty -= traded;
                level.total -= traded;
                remaining -= traded;
                fills.push(Fill {
                    maker: maker.id,
                    taker,
                    price: level_price,
                    qty: traded,
                });
                // Only a maker that is used up leaves the queue; a partial fill keeps its place.
                if maker.qty == 0 {
                    let maker = maker.id;
                    level.orders.pop_front();
                    index.remove(&maker);
                }
            }
            // An empty level must go, or it would stay the "best" price with nothing in it.
            if level.orders.is_empty() {
                best.remove();
            }
        }

        if remaining > 0 {
            let level = self.side_mut(side).entry(price).or_default();
            level.total += remaining;
            // The back of the queue: everyone already at this price trades first.
            level.orders.push_back(Resting {
                id: taker,
                qty: remaining,
            });
            self.index.insert(taker, (side, price));
        }
        Placed {
            id: taker,
            fills,
            resting: remaining,
        }
    }

    /// Removes a resting order and returns the quantity it still had.
    ///
    /// Returns `None` when `id` is not resting: never issued, already filled, already
    /// cancelled, or an order that never rested. When the order was the last one at its price,
    /// the level disappears and the best price moves to the next level.
    pub fn cancel(&mut self, id: OrderId) -> Option<Qty> {
        let (side, price) = self.index.remove(&id)?;
        let levels = self.side_mut(side);
        let level = levels
            .get_mut(&price)
            .expect("the index only holds orders whose level exists");
        let at = level
            .orders
            .iter()
            .position(|order| order.id == id)
            .expect("the index only holds orders that rest in their level");
        let order = level.orders.remove(at).expect("`position` found it");
        level.total -= order.qty;
        if level.orders.is_empty() {
            levels.remove(&price);
        }
        Some(order.qty)
    }

    /// The highest bid price and the total quantity resting at it, or `None` without bids.
    pub fn best_bid(&self) -> Option<(Price, Qty)> {
        self.bids
            .last_key_value()
            .map(|(&price, level)| (price, level.total))
    }

    /// The lowest ask price and the total quantity resting at it, or `None` without asks.
    pub fn best_ask(&self) -> Option<(Price, Qty)> {
        self.asks
            .first_key_value()
            .map(|(&price, level)| (price, level.total))
    }

    /// The best bid and best ask together.
    pub fn top(&self) -> Top {
        Top {
            bid: self.best_bid(),
            ask: self.best_ask(),
        }
    }

    /// The best `levels` price levels of each side (fewer if the side has fewer), best first.
    pub fn depth(&self, levels: usize) -> Depth {
        let summary = |(&price, level): (&Price, &PriceLevel)| Level {
            price,
            qty: level.total,
            orders: level.orders.len(),
        };
        Depth {
            bids: self.bids.iter().rev().take(levels).map(summary).collect(),
            asks: self.asks.iter().take(levels).map(summary).collect(),
        }
    }

    /// Every order resting on `side`, in priority order: best price first and, within a
    /// price, oldest first. The first order listed is the next one to trade.
    pub fn orders(&self, side: Side) -> Vec<Order> {
        let levels: Box<dyn Iterator<Item = (&Price, &PriceLevel)>> = match side {
            Side::Buy => Box::new(self.bids.iter().rev()),
            Side::Sell => Box::new(self.asks.iter()),
        };
        levels
            .flat_map(|(&price, level)| {
                level.orders.iter().map(move |order| Order {
                    id: order.id,
                    side,
                    price,
                    qty: order.qty,
                })
            })
            .collect()
    }

    /// The levels of one side.
    fn side_mut(&mut self, side: Side) -> &mut BTreeMap<Price, PriceLevel> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }
}

/// A [`Book`] shared between threads: one writer at a time, any number of readers at once.
///
/// Orders and cancels take the write lock; top-of-book and depth queries take the read lock,
/// so readers run in parallel with each other and only wait while a write is in progress.
/// Every call sees the book between two whole operations: a reader never sees half a match.
/// Share it with an `Arc`.
///
/// # Examples
///
/// ```
/// use order_book::{SharedBook, Side};
/// use sync_shim::{Arc, thread};
///
/// let book = Arc::new(SharedBook::new());
/// book.add(Side::Buy, 99, 10);
/// let reader = {
///     let book = Arc::clone(&book);
///     thread::spawn(move || book.top())
/// };
/// book.add(Side::Sell, 101, 4);
/// let top = reader.join().unwrap();
/// assert_eq!(top.bid, Some((99, 10)));
/// assert!(!top.is_crossed());
/// ```
#[derive(Debug)]
pub struct SharedBook {
    book: RwLock<Book>,
}

impl SharedBook {
    /// An empty shared book.
    pub fn new() -> Self {
        Self {
            book: RwLock::new(Book::new()),
        }
    }

    /// Runs `f` on the book under the read lock and returns its result.
    ///
    /// Other readers may run at the same time; writers wait until `f` returns. Everything `f`
    /// reads comes from one state of the book.
    pub fn read<R>(&self, f: impl FnOnce(&Book) -> R) -> R {
        let book = self
            .book
            .read()
            .expect("a thread panicked while changing the book: it may be half-matched");
        f(&book)
    }

    /// Runs `f` on the book under the write lock and returns its result.
    ///
    /// No reader or other writer runs until `f` returns, so nobody sees the book mid-change.
    pub fn write<R>(&self, f: impl FnOnce(&mut Book) -> R) -> R {
        let mut book = self
            .book
            .write()
            .expect("a thread panicked while changing the book: it may be half-matched");
        f(&mut book)
    }

    /// The best bid and best ask, read together under one read lock.
    ///
    /// Never crossed: both prices come from the same state of the book.
    pub fn top(&self) -> Top {
        self.read(Book::top)
    }

    /// [`Book::add`] under the write lock.
    pub fn add(&self, side: Side, price: Price, qty: Qty) -> Placed {
        self.write(|book| book.add(side, price, qty))
    }

    /// [`Book::cancel`] under the write lock.
    pub fn cancel(&self, id: OrderId) -> Option<Qty> {
        self.write(|book| book.cancel(id))
    }

    /// [`Book::best_bid`] under the read lock.
    pub fn best_bid(&self) -> Option<(Price, Qty)> {
        self.read(Book::best_bid)
    }

    /// [`Book::best_ask`] under the read lock.
    pub fn best_ask(&self) -> Option<(Price, Qty)> {
        self.read(Book::best_ask)
    }

    /// [`Book::depth`] under the read lock: both sides from one state of the book.
    pub fn depth(&self, levels: usize) -> Depth {
        self.read(|book| book.depth(levels))
    }
}

impl Default for SharedBook {
    fn default() -> Self {
        Self::new()
    }
}
