//! `Book` against a naive model: the same random orders and cancels go to both, and they must
//! agree on every fill, every cancel and the whole book after every operation.
//!
//! The model keeps every resting order in one `Vec`, in arrival order, and scans it linearly:
//! too slow for a real book, too simple to get price-time priority wrong.

use order_book::{Book, Depth, Fill, Level, Order, OrderId, Placed, Price, Qty, Side, Top};
use proptest::prelude::*;

/// One step of a random session.
#[derive(Debug, Clone, Copy)]
enum Op {
    Add(Side, Price, Qty),
    Cancel(OrderId),
}

/// Adds on a narrow band of prices (so orders cross and queue up), sometimes with quantity 0,
/// and cancels of ids that may be resting, filled, cancelled or never issued.
fn op() -> impl Strategy<Value = Op> {
    let side = prop_oneof![Just(Side::Buy), Just(Side::Sell)];
    prop_oneof![
        3 => (side, 95u64..=105, 0u64..=12).prop_map(|(side, price, qty)| Op::Add(side, price, qty)),
        1 => (1u64..=40).prop_map(Op::Cancel),
    ]
}

/// The naive book: every resting order in one `Vec`, oldest first.
#[derive(Debug, Default)]
struct Model {
    resting: Vec<Order>,
    last_id: OrderId,
}

impl Model {
    /// Where a resting order stands among the orders of its side: lower is better (lowest ask,
    /// highest bid). Ties are broken by position in `resting`, which is arrival order.
    fn rank(order: &Order) -> i128 {
        match order.side {
            Side::Buy => -i128::from(order.price),
            Side::Sell => i128::from(order.price),
        }
    }

    fn add(&mut self, side: Side, price: Price, qty: Qty) -> Placed {
        self.last_id += 1;
        let id = self.last_id;
        let mut remaining = qty;
        let mut fills = Vec::new();
        while remaining > 0 {
            let best = self
                .resting
                .iter()
                .enumerate()
                .filter(|(_, maker)| {
                    maker.side != side
                        && match side {
                            Side::Buy => maker.price <= price,
                            Side::Sell => maker.price >= price,
                        }
                })
                .min_by_key(|&(at, maker)| (Self::rank(maker), at))
                .map(|(at, _)| at);
            let Some(at) = best else { break };
            let maker = &mut self.resting[at];
            let traded = remaining.min(maker.qty);
            maker.qty -= traded;
            remaining -= traded;
            fills.push(Fill {
                maker: maker.id,
                taker: id,
                price: maker.price,
                qty: traded,
            });
            if maker.qty == 0 {
                self.resting.remove(at);
            }
        }
        if remaining > 0 {
            self.resting.push(Order {
                id,
                side,
                price,
                qty: remaining,
            });
        }
        Placed {
            id,
            fills,
            resting: remaining,
        }
    }

    fn cancel(&mut self, id: OrderId) -> Option<Qty> {
        let at = self.resting.iter().position(|order| order.id == id)?;
        Some(self.resting.remove(at).qty)
    }

    fn orders(&self, side: Side) -> Vec<Order> {
        let mut orders: Vec<Order> = self
            .resting
            .iter()
            .filter(|order| order.side == side)
            .copied()
            .collect();
        // Stable: orders of one price keep their arrival order.
        orders.sort_by_key(Self::rank);
        orders
    }

    fn levels(&self, side: Side) -> Vec<Level> {
        let mut levels: Vec<Level> = Vec::new();
        for order in self.orders(side) {
            match levels.last_mut() {
                Some(level) if level.price == order.price => {
                    level.qty += order.qty;
                    level.orders += 1;
                }
                _ => levels.push(Level {
                    price: order.price,
                    qty: order.qty,
                    orders: 1,
                }),
            }
        }
        levels
    }

    fn depth(&self, levels: usize) -> Depth {
        let mut depth = Depth {
            bids: self.levels(Side::Buy),
            asks: self.levels(Side::Sell),
        };
        depth.bids.truncate(levels);
        depth.asks.truncate(levels);
        depth
    }

    fn top(&self) -> Top {
        let best = |side| {
            self.levels(side)
                .first()
                .map(|level: &Level| (level.price, level.qty))
        };
        Top {
            bid: best(Side::Buy),
            ask: best(Side::Sell),
        }
    }
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn fills_and_cancels_match_a_naive_model(ops in testkit::strategy::ops(op(), 1..60)) {
        let (mut book, mut model) = (Book::new(), Model::default());
        for (step, &op) in ops.iter().enumerate() {
            match op {
                Op::Add(side, price, qty) => {
                    let got = book.add(side, price, qty);
                    let want = model.add(side, price, qty);
                    prop_assert_eq!(
                        got, want,
                        "step {}: add({:?}, {}, {}) returned the left value, the model the right one",
                        step, side, price, qty
                    );
                }
                Op::Cancel(id) => {
                    let got = book.cancel(id);
                    let want = model.cancel(id);
                    prop_assert_eq!(
                        got, want,
                        "step {}: cancel({}) returned the left value, the model the right one",
                        step, id
                    );
                }
            }
        }
    }

    #[testkit::check]
    #[test]
    fn the_book_matches_a_naive_model_after_every_operation(
        ops in testkit::strategy::ops(op(), 1..60),
    ) {
        let (mut book, mut model) = (Book::new(), Model::default());
        for (step, &op) in ops.iter().enumerate() {
            match op {
                Op::Add(side, price, qty) => {
                    book.add(side, price, qty);
                    model.add(side, price, qty);
                }
                Op::Cancel(id) => {
                    book.cancel(id);
                    model.cancel(id);
                }
            }
            for side in [Side::Buy, Side::Sell] {
                prop_assert_eq!(
                    book.orders(side), model.orders(side),
                    "after step {} ({:?}): orders({:?}) of the book (left) and the model (right)",
                    step, op, side
                );
            }
            prop_assert_eq!(
                (book.best_bid(), book.best_ask()), (model.top().bid, model.top().ask),
                "after step {} ({:?}): (best_bid, best_ask) of the book (left) and the model (right)",
                step, op
            );
            prop_assert_eq!(
                book.top(), model.top(),
                "after step {} ({:?}): top() of the book (left) and the model (right)",
                step, op
            );
            for levels in [0, 2, usize::MAX] {
                prop_assert_eq!(
                    book.depth(levels), model.depth(levels),
                    "after step {} ({:?}): depth({}) of the book (left) and the model (right)",
                    step, op, levels
                );
            }
        }
    }
}
