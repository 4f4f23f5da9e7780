//! Properties that hold after every operation of any session, whatever the orders: the book at
//! rest is never crossed, no quantity appears or vanishes, orders at one price keep their
//! arrival order, and every fill is at the maker's price within the taker's limit.

use std::collections::HashMap;

use order_book::{Book, Level, Order, OrderId, Placed, Price, Qty, Side};
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

fn session() -> impl Strategy<Value = Vec<Op>> {
    testkit::strategy::ops(op(), 1..60)
}

/// What one operation returned.
#[derive(Debug)]
enum Outcome {
    Added(Placed),
    Cancelled(Option<Qty>),
}

/// Applies `op` to `book` and returns what it returned.
fn apply(book: &mut Book, op: Op) -> Outcome {
    match op {
        Op::Add(side, price, qty) => Outcome::Added(book.add(side, price, qty)),
        Op::Cancel(id) => Outcome::Cancelled(book.cancel(id)),
    }
}

/// The total quantity of `orders`.
fn total(orders: &[Order]) -> Qty {
    orders.iter().map(|order| order.qty).sum()
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn the_book_is_never_crossed_at_rest(ops in session()) {
        let mut book = Book::new();
        for (step, &op) in ops.iter().enumerate() {
            apply(&mut book, op);
            let (bid, ask) = (book.best_bid(), book.best_ask());
            if let (Some((bid, _)), Some((ask, _))) = (bid, ask) {
                prop_assert!(
                    bid < ask,
                    "after step {} ({:?}): best bid {} >= best ask {}: those two should have traded",
                    step, op, bid, ask
                );
            }
            prop_assert!(
                !book.top().is_crossed(),
                "after step {} ({:?}): top() is crossed: {:?}", step, op, book.top()
            );
        }
    }

    #[testkit::check]
    #[test]
    fn no_order_rests_with_zero_quantity(ops in session()) {
        let mut book = Book::new();
        for (step, &op) in ops.iter().enumerate() {
            apply(&mut book, op);
            for side in [Side::Buy, Side::Sell] {
                let orders = book.orders(side);
                prop_assert!(
                    orders.iter().all(|order| order.qty > 0),
                    "after step {} ({:?}): a resting {:?} order has quantity 0: {:?}",
                    step, op, side, orders
                );
            }
            let depth = book.depth(usize::MAX);
            prop_assert!(
                depth.bids.iter().chain(&depth.asks).all(|level| level.qty > 0 && level.orders > 0),
                "after step {} ({:?}): depth lists an empty level: {:?}", step, op, depth
            );
        }
    }

    #[testkit::check]
    #[test]
    fn quantity_is_conserved(ops in session()) {
        let mut book = Book::new();
        let (mut added, mut cancelled, mut traded) = (0, 0, 0);
        for (step, &op) in ops.iter().enumerate() {
            match apply(&mut book, op) {
                Outcome::Added(placed) => {
                    let Op::Add(_, _, qty) = op else { unreachable!() };
                    prop_assert_eq!(
                        placed.filled() + placed.resting, qty,
                        "step {} ({:?}): filled {} + resting {} should be the order's quantity",
                        step, op, placed.filled(), placed.resting
                    );
                    added += qty;
                    traded += placed.filled();
                }
                Outcome::Cancelled(qty) => cancelled += qty.unwrap_or(0),
            }
            let resting = total(&book.orders(Side::Buy)) + total(&book.orders(Side::Sell));
            // Each unit traded used one unit of a maker and one of the taker.
            prop_assert_eq!(
                resting + cancelled + 2 * traded, added,
                "after step {} ({:?}): resting {} + cancelled {} + 2 x traded {} should equal \
                 everything added",
                step, op, resting, cancelled, traded
            );
        }
    }

    #[testkit::check]
    #[test]
    fn orders_at_one_price_keep_their_arrival_order(ops in session()) {
        let mut book = Book::new();
        for (step, &op) in ops.iter().enumerate() {
            apply(&mut book, op);
            for side in [Side::Buy, Side::Sell] {
                let orders = book.orders(side);
                for pair in orders.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    let in_priority = match side {
                        Side::Buy => a.price > b.price || (a.price == b.price && a.id < b.id),
                        Side::Sell => a.price < b.price || (a.price == b.price && a.id < b.id),
                    };
                    prop_assert!(
                        in_priority,
                        "after step {} ({:?}): orders({:?}) lists {:?} before {:?}: \
                         best price first, then oldest (lowest id) first",
                        step, op, side, a, b
                    );
                }
            }
        }
    }

    #[testkit::check]
    #[test]
    fn every_fill_is_at_the_makers_price_within_the_takers_limit(ops in session()) {
        let mut book = Book::new();
        for (step, &op) in ops.iter().enumerate() {
            // Who could be hit: the resting orders before the step, by id.
            let before: HashMap<OrderId, Order> = [Side::Buy, Side::Sell]
                .into_iter()
                .flat_map(|side| book.orders(side))
                .map(|order| (order.id, order))
                .collect();
            let Outcome::Added(placed) = apply(&mut book, op) else { continue };
            let Op::Add(side, limit, _) = op else { unreachable!() };
            for fill in &placed.fills {
                prop_assert_eq!(fill.taker, placed.id, "step {} ({:?}): fill {:?}", step, op, fill);
                prop_assert!(fill.qty > 0, "step {} ({:?}): a fill of 0: {:?}", step, op, fill);
                let maker = before.get(&fill.maker);
                prop_assert!(
                    maker.is_some_and(|maker| maker.side == side.opposite()),
                    "step {} ({:?}): fill {:?} names maker {}, which was not resting on the \
                     other side", step, op, fill, fill.maker
                );
                let maker = maker.unwrap();
                prop_assert_eq!(
                    fill.price, maker.price,
                    "step {} ({:?}): fill {:?} should be at the maker's price {}",
                    step, op, fill, maker.price
                );
                let within = match side {
                    Side::Buy => fill.price <= limit,
                    Side::Sell => fill.price >= limit,
                };
                prop_assert!(
                    within,
                    "step {} ({:?}): fill {:?} is beyond the taker's limit {}", step, op, fill, limit
                );
            }
        }
    }

    #[testkit::check]
    #[test]
    fn best_prices_and_depth_agree_with_the_resting_orders(ops in session()) {
        let mut book = Book::new();
        for (step, &op) in ops.iter().enumerate() {
            apply(&mut book, op);
            let depth = book.depth(usize::MAX);
            for (side, levels, best) in [
                (Side::Buy, &depth.bids, book.best_bid()),
                (Side::Sell, &depth.asks, book.best_ask()),
            ] {
                let orders = book.orders(side);
                let mut expected: Vec<Level> = Vec::new();
                for order in &orders {
                    match expected.last_mut() {
                        Some(level) if level.price == order.price => {
                            level.qty += order.qty;
                            level.orders += 1;
                        }
                        _ => expected.push(Level { price: order.price, qty: order.qty, orders: 1 }),
                    }
                }
                prop_assert_eq!(
                    levels, &expected,
                    "after step {} ({:?}): the {:?} levels of depth (left) should sum orders({:?}) \
                     per price (right)",
                    step, op, side, side
                );
                prop_assert_eq!(
                    best, expected.first().map(|level| (level.price, level.qty)),
                    "after step {} ({:?}): the best {:?} price should be the first level of depth",
                    step, op, side
                );
            }
        }
    }
}
