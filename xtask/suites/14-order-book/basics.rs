//! `Book` on hand-made cases: resting, crossing, price-time priority, partial fills, cancels
//! and depth, each rule of the README on the smallest book that shows it.

use order_book::{Book, Depth, Fill, Level, Order, Placed, Side, Top};
use rstest::rstest;

use Side::{Buy, Sell};

/// A fill, shorter to write in a table.
fn fill(maker: u64, taker: u64, price: u64, qty: u64) -> Fill {
    Fill {
        maker,
        taker,
        price,
        qty,
    }
}

/// A depth level, shorter to write in a table.
fn level(price: u64, qty: u64, orders: usize) -> Level {
    Level { price, qty, orders }
}

/// A book built by adding `orders` in turn (ids 1, 2, ..), each of which must rest whole.
fn resting_book(orders: &[(Side, u64, u64)]) -> Book {
    let mut book = Book::new();
    for &(side, price, qty) in orders {
        let placed = book.add(side, price, qty);
        assert!(
            placed.fills.is_empty() && placed.resting == qty,
            "setting up the book: add({side:?}, {price}, {qty}) should rest whole, got {placed:?}"
        );
    }
    book
}

/// First in the suite, so a matching loop that never ends is named before any other check
/// hangs on it: takers that fill completely, sweep two levels, or stop at their limit, on
/// both sides, each `add` returning within 5 s with the quantity that rests.
#[testkit::check]
#[test]
fn every_add_returns_even_when_a_taker_fills_completely() {
    let resting = testkit::patience::within(
        std::time::Duration::from_secs(5),
        "Book::add on a few crossing orders",
        "a matching loop that never stops: stop when the taker has nothing left, or when the \
         best opposite price no longer crosses",
        || {
            let mut book = Book::new();
            [
                (Sell, 101, 5),
                (Sell, 102, 5),
                (Buy, 101, 3),  // fills completely inside the first level
                (Buy, 102, 4),  // takes the 2 left at 101 and 2 at 102
                (Buy, 103, 10), // takes the 3 left at 102, rests 7
                (Sell, 100, 2), // sells into the bid at 103
                (Sell, 104, 1), // crosses nothing
            ]
            .map(|(side, price, qty)| book.add(side, price, qty).resting)
        },
    );
    assert_eq!(
        resting,
        [5, 5, 0, 0, 7, 0, 1],
        "the quantity each add left resting"
    );
}

#[testkit::check]
#[test]
fn an_empty_book_has_no_best_prices_and_no_depth() {
    let book = Book::new();
    assert_eq!(book.best_bid(), None, "best_bid of an empty book");
    assert_eq!(book.best_ask(), None, "best_ask of an empty book");
    assert_eq!(book.depth(5), Depth::default(), "depth(5) of an empty book");
    assert!(
        book.orders(Buy).is_empty() && book.orders(Sell).is_empty(),
        "orders() of an empty book: got bids {:?}, asks {:?}",
        book.orders(Buy),
        book.orders(Sell)
    );
}

#[testkit::check]
#[test]
fn order_ids_count_up_from_one_for_every_add() {
    let mut book = Book::new();
    let ids: Vec<u64> = [
        (Sell, 101, 5), // rests
        (Buy, 101, 5),  // fills completely, rests nothing
        (Buy, 99, 0),   // zero quantity: nothing at all
        (Buy, 99, 3),   // rests
    ]
    .into_iter()
    .map(|(side, price, qty)| book.add(side, price, qty).id)
    .collect();
    assert_eq!(
        ids,
        [1, 2, 3, 4],
        "every add takes the next id, whether it rests, fills or has quantity 0"
    );
}

#[testkit::check]
#[rstest]
#[case::buy_into_an_empty_book(&[], Buy, 100)]
#[case::sell_into_an_empty_book(&[], Sell, 100)]
#[case::buy_below_the_best_ask(&[(Sell, 101, 5)], Buy, 100)]
#[case::sell_above_the_best_bid(&[(Buy, 99, 5)], Sell, 100)]
#[case::buy_below_the_best_bid_side_only(&[(Buy, 99, 5)], Buy, 98)]
#[case::buy_at_price_zero(&[(Sell, 1, 5)], Buy, 0)]
#[case::sell_at_the_highest_price(&[(Buy, 5, 5)], Sell, u64::MAX)]
fn an_order_that_does_not_cross_rests_whole(
    #[case] before: &[(Side, u64, u64)],
    #[case] side: Side,
    #[case] price: u64,
) {
    let mut book = resting_book(before);
    let placed = book.add(side, price, 7);
    let id = before.len() as u64 + 1;
    assert_eq!(
        placed,
        Placed {
            id,
            fills: vec![],
            resting: 7
        },
        "add({side:?}, {price}, 7) crosses nothing on {before:?}: it should rest whole"
    );
    let listed = book.orders(side);
    assert_eq!(
        listed.iter().find(|order| order.id == id),
        Some(&Order {
            id,
            side,
            price,
            qty: 7
        }),
        "the new order should be listed by orders({side:?}); got {listed:?}"
    );
}

#[testkit::check]
#[rstest]
#[case::buy_above_the_ask_pays_the_ask(Sell, 101, Buy, 105, 101)]
#[case::sell_below_the_bid_gets_the_bid(Buy, 99, Sell, 95, 99)]
#[case::buy_at_the_ask_trades(Sell, 101, Buy, 101, 101)]
#[case::sell_at_the_bid_trades(Buy, 99, Sell, 99, 99)]
#[case::a_buy_at_the_highest_price_takes_any_ask(Sell, 101, Buy, u64::MAX, 101)]
#[case::a_sell_at_price_zero_takes_any_bid(Buy, 99, Sell, 0, 99)]
#[case::a_buy_at_the_highest_price_takes_an_ask_there(Sell, u64::MAX, Buy, u64::MAX, u64::MAX)]
#[case::a_sell_at_price_zero_takes_a_bid_there(Buy, 0, Sell, 0, 0)]
fn a_crossing_order_fills_at_the_resting_price(
    #[case] maker_side: Side,
    #[case] maker_price: u64,
    #[case] taker_side: Side,
    #[case] taker_price: u64,
    #[case] fill_price: u64,
) {
    let mut book = resting_book(&[(maker_side, maker_price, 5)]);
    let placed = book.add(taker_side, taker_price, 5);
    assert_eq!(
        placed,
        Placed {
            id: 2,
            fills: vec![fill(1, 2, fill_price, 5)],
            resting: 0
        },
        "add({taker_side:?}, {taker_price}, 5) against a {maker_side:?} 5 @ {maker_price}: \
         one fill of 5 at the resting price {fill_price}, nothing left to rest"
    );
    assert_eq!(
        book.top(),
        Top::default(),
        "both orders are used up: the book should be empty"
    );
}

#[testkit::check]
#[test]
fn orders_at_one_price_fill_oldest_first() {
    // Three asks at 101, in the order 1, 2, 3.
    let mut book = resting_book(&[(Sell, 101, 2), (Sell, 101, 3), (Sell, 101, 4)]);
    let placed = book.add(Buy, 101, 6);
    assert_eq!(
        placed.fills,
        vec![fill(1, 4, 101, 2), fill(2, 4, 101, 3), fill(3, 4, 101, 1)],
        "a buy of 6 at 101 takes the asks at 101 in arrival order (1, then 2, then 3)"
    );
    assert_eq!(
        book.orders(Sell),
        vec![Order {
            id: 3,
            side: Sell,
            price: 101,
            qty: 3
        }],
        "order 3 had 4 and gave 1: 3 should be left"
    );
}

#[testkit::check]
#[test]
fn a_taker_sweeps_levels_best_price_first() {
    // Asks at 103, 101 and 102, added out of price order.
    let mut book = resting_book(&[(Sell, 103, 4), (Sell, 101, 2), (Sell, 102, 3)]);
    let placed = book.add(Buy, 102, 10);
    assert_eq!(
        placed,
        Placed {
            id: 4,
            fills: vec![fill(2, 4, 101, 2), fill(3, 4, 102, 3)],
            resting: 5
        },
        "a buy of 10 up to 102 takes 101 first, then 102, stops before 103, and rests 5 at 102"
    );
    assert_eq!(book.best_bid(), Some((102, 5)), "the remainder bids 102");
    assert_eq!(book.best_ask(), Some((103, 4)), "103 was above the limit");
}

#[testkit::check]
#[test]
fn a_sell_sweeps_bids_from_the_highest_down() {
    let mut book = resting_book(&[(Buy, 97, 4), (Buy, 99, 2), (Buy, 98, 3)]);
    let placed = book.add(Sell, 97, 6);
    assert_eq!(
        placed.fills,
        vec![fill(2, 4, 99, 2), fill(3, 4, 98, 3), fill(1, 4, 97, 1)],
        "a sell of 6 down to 97 takes 99, then 98, then 97"
    );
    assert_eq!(book.best_bid(), Some((97, 3)), "order 1 gave 1 of its 4");
}

#[testkit::check]
#[test]
fn a_partially_filled_maker_keeps_its_place_and_its_remainder() {
    let mut book = resting_book(&[(Sell, 101, 10), (Sell, 101, 5)]);
    let first = book.add(Buy, 101, 4);
    assert_eq!(
        first.fills,
        vec![fill(1, 3, 101, 4)],
        "a buy of 4 takes 4 of order 1"
    );
    assert_eq!(
        book.best_ask(),
        Some((101, 11)),
        "101 should hold 6 (order 1) + 5 (order 2)"
    );
    let second = book.add(Buy, 101, 8);
    assert_eq!(
        second.fills,
        vec![fill(1, 4, 101, 6), fill(2, 4, 101, 2)],
        "order 1 was partly filled but is still first in line: it trades its last 6 before order 2"
    );
}

#[testkit::check]
#[test]
fn a_partially_filled_taker_rests_its_remainder_at_its_limit() {
    let mut book = resting_book(&[(Buy, 99, 3)]);
    let placed = book.add(Sell, 98, 10);
    assert_eq!(
        placed,
        Placed {
            id: 2,
            fills: vec![fill(1, 2, 99, 3)],
            resting: 7
        },
        "a sell of 10 down to 98 takes the 3 bid at 99 and rests 7"
    );
    assert_eq!(
        book.orders(Sell),
        vec![Order {
            id: 2,
            side: Sell,
            price: 98,
            qty: 7
        }],
        "the remainder rests at the taker's limit, 98, not at the price it traded at"
    );
    assert_eq!(book.best_bid(), None, "the only bid was used up");
}

#[testkit::check]
#[test]
fn a_zero_quantity_order_trades_and_rests_nothing() {
    let mut book = resting_book(&[(Sell, 101, 5)]);
    let placed = book.add(Buy, 105, 0);
    assert_eq!(
        placed,
        Placed {
            id: 2,
            fills: vec![],
            resting: 0
        },
        "add(Buy, 105, 0) crosses the ask but has nothing to trade"
    );
    assert_eq!(
        book.best_ask(),
        Some((101, 5)),
        "the ask is untouched by a zero order"
    );
    assert_eq!(book.best_bid(), None, "a zero order never rests");
    assert_eq!(
        book.cancel(2),
        None,
        "a zero order never rested: nothing to cancel"
    );
}

#[testkit::check]
#[test]
fn cancel_returns_the_remaining_quantity() {
    let mut book = resting_book(&[(Sell, 101, 10)]);
    book.add(Buy, 101, 4);
    assert_eq!(
        book.cancel(1),
        Some(6),
        "order 1 had 10 and traded 4: cancel should return 6"
    );
    assert_eq!(book.orders(Sell), vec![], "order 1 is gone");
}

#[testkit::check]
#[rstest]
#[case::an_id_never_issued(7)]
#[case::an_already_cancelled_order(1)]
#[case::a_filled_maker(2)]
#[case::a_taker_that_filled_completely(3)]
#[case::id_zero(0)]
fn cancelling_an_order_that_is_not_resting_returns_none(#[case] id: u64) {
    let mut book = Book::new();
    book.add(Buy, 99, 5); // 1, cancelled below
    book.add(Sell, 101, 5); // 2, filled by 3
    book.add(Buy, 101, 5); // 3, fills completely
    book.add(Buy, 98, 4); // 4, still resting
    assert_eq!(book.cancel(1), Some(5), "order 1 rests with 5");
    assert_eq!(
        book.cancel(id),
        None,
        "cancel({id}): order {id} is not resting"
    );
    assert_eq!(
        book.orders(Buy),
        vec![Order {
            id: 4,
            side: Buy,
            price: 98,
            qty: 4
        }],
        "a cancel that finds nothing must change nothing"
    );
}

#[testkit::check]
#[rstest]
#[case::bids(Buy, &[(Buy, 99, 5), (Buy, 98, 7)], 1, Some((98, 7)))]
#[case::asks(Sell, &[(Sell, 101, 5), (Sell, 102, 7)], 1, Some((102, 7)))]
#[case::bids_last_level(Buy, &[(Buy, 99, 5)], 1, None)]
#[case::asks_last_level(Sell, &[(Sell, 101, 5)], 1, None)]
fn cancelling_the_last_order_at_the_best_price_moves_the_best_price(
    #[case] side: Side,
    #[case] orders: &[(Side, u64, u64)],
    #[case] id: u64,
    #[case] expected: Option<(u64, u64)>,
) {
    let mut book = resting_book(orders);
    assert_eq!(book.cancel(id), Some(5), "order {id} rests with 5");
    let best = match side {
        Buy => book.best_bid(),
        Sell => book.best_ask(),
    };
    assert_eq!(
        best, expected,
        "after cancelling the only order at the best {side:?} price, the best price moves \
         to the next level (None if there is none)"
    );
    let depth = book.depth(10);
    let levels = match side {
        Buy => &depth.bids,
        Sell => &depth.asks,
    };
    assert!(
        levels.iter().all(|level| level.qty > 0 && level.orders > 0),
        "depth must not list an empty level: {depth:?}"
    );
}

#[testkit::check]
#[test]
fn cancelling_one_of_several_orders_lowers_the_level_total() {
    let mut book = resting_book(&[(Buy, 99, 5), (Buy, 99, 7), (Buy, 99, 2)]);
    assert_eq!(book.cancel(2), Some(7), "order 2 rests with 7");
    assert_eq!(
        book.best_bid(),
        Some((99, 7)),
        "99 held 5 + 7 + 2; without order 2 it holds 7"
    );
    assert_eq!(
        book.depth(1).bids,
        vec![level(99, 7, 2)],
        "depth should show 7 in 2 orders at 99"
    );
}

#[testkit::check]
#[test]
fn a_cancelled_order_gives_up_its_place_in_the_queue() {
    let mut book = resting_book(&[(Sell, 101, 3), (Sell, 101, 3), (Sell, 101, 3)]);
    book.cancel(2);
    let placed = book.add(Buy, 101, 5);
    assert_eq!(
        placed.fills,
        vec![fill(1, 4, 101, 3), fill(3, 4, 101, 2)],
        "with order 2 cancelled, the buy takes order 1, then order 3"
    );
}

#[testkit::check]
#[test]
fn a_new_order_queues_behind_the_orders_at_its_price() {
    let book = resting_book(&[(Buy, 99, 1), (Buy, 98, 1), (Buy, 99, 1), (Buy, 100, 1)]);
    let ids: Vec<u64> = book.orders(Buy).iter().map(|order| order.id).collect();
    assert_eq!(
        ids,
        [4, 1, 3, 2],
        "orders(Buy) lists the highest price first and, at 99, order 1 before order 3"
    );
}

#[testkit::check]
#[rstest]
#[case::no_levels(0, vec![], vec![])]
#[case::one_level(1, vec![level(100, 10, 2)], vec![level(101, 4, 1)])]
#[case::two_levels(2, vec![level(100, 10, 2), level(98, 1, 1)], vec![level(101, 4, 1), level(103, 9, 2)])]
#[case::more_levels_than_the_book_has(10, vec![level(100, 10, 2), level(98, 1, 1)], vec![level(101, 4, 1), level(103, 9, 2), level(104, 2, 1)])]
fn depth_lists_the_best_levels_of_each_side_best_first(
    #[case] levels: usize,
    #[case] bids: Vec<Level>,
    #[case] asks: Vec<Level>,
) {
    let book = resting_book(&[
        (Buy, 100, 6),
        (Sell, 103, 5),
        (Buy, 98, 1),
        (Sell, 101, 4),
        (Sell, 104, 2),
        (Buy, 100, 4),
        (Sell, 103, 4),
    ]);
    assert_eq!(
        book.depth(levels),
        Depth { bids, asks },
        "depth({levels}): bids from the highest price, asks from the lowest, at most {levels} each"
    );
}

#[testkit::check]
#[test]
fn top_holds_the_best_bid_and_the_best_ask() {
    let book = resting_book(&[(Buy, 99, 5), (Buy, 99, 2), (Sell, 101, 3), (Sell, 102, 8)]);
    let top = book.top();
    assert_eq!(
        top,
        Top {
            bid: Some((99, 7)),
            ask: Some((101, 3))
        },
        "the best bid is 99 with 5 + 2; the best ask is 101 with 3"
    );
    assert!(!top.is_crossed(), "99 < 101 is not crossed");
}
