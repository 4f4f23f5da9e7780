//! `Engine` on small hand-written sessions: the rules of the README, one at a time.

use matching_engine::{Engine, Event, Msg, Reject, Side};
use rstest::rstest;
use seqlock::Snapshot;

use Event::{Accepted, Cancelled, Fill, Rejected};
use Side::{Buy, Sell};

fn limit(id: u64, side: Side, price: u64, qty: u64) -> Msg {
    Msg::Limit {
        id,
        side,
        price,
        qty,
    }
}

/// Runs `msgs` through a fresh engine (capacity 4, prices 1..=100) and returns the events of
/// the last message.
fn last_events(msgs: &[Msg]) -> (Engine, Vec<Event>) {
    let mut engine = Engine::new(4, 100);
    let mut events = Vec::new();
    for &msg in msgs {
        events.clear();
        engine.process(msg, |e| events.push(e));
    }
    (engine, events)
}

#[testkit::check]
#[rstest]
#[case::a_bid_rests(&[limit(1, Buy, 10, 5)], &[Accepted { id: 1 }])]
#[case::zero_quantity(&[limit(1, Buy, 10, 0)], &[Rejected { id: 1, reason: Reject::BadQty }])]
#[case::price_zero(&[limit(1, Buy, 0, 5)], &[Rejected { id: 1, reason: Reject::BadPrice }])]
#[case::price_above_max(&[limit(1, Sell, 101, 5)], &[Rejected { id: 1, reason: Reject::BadPrice }])]
#[case::duplicate_id(&[limit(1, Buy, 10, 5), limit(1, Sell, 20, 5)], &[Rejected { id: 1, reason: Reject::DuplicateId }])]
#[case::book_full(
    &[limit(1, Buy, 10, 1), limit(2, Buy, 10, 1), limit(3, Buy, 10, 1), limit(4, Buy, 10, 1), limit(5, Sell, 10, 1)],
    &[Rejected { id: 5, reason: Reject::BookFull }],
)]
#[case::fills_at_the_resting_price(
    &[limit(1, Sell, 10, 5), limit(2, Buy, 12, 3)],
    &[Accepted { id: 2 }, Fill { taker: 2, maker: 1, price: 10, qty: 3 }],
)]
#[case::oldest_first_at_a_price(
    &[limit(1, Sell, 10, 2), limit(2, Sell, 10, 2), limit(3, Buy, 10, 3)],
    &[Accepted { id: 3 }, Fill { taker: 3, maker: 1, price: 10, qty: 2 }, Fill { taker: 3, maker: 2, price: 10, qty: 1 }],
)]
#[case::best_price_first(
    &[limit(1, Buy, 9, 2), limit(2, Buy, 11, 2), limit(3, Sell, 8, 3)],
    &[Accepted { id: 3 }, Fill { taker: 3, maker: 2, price: 11, qty: 2 }, Fill { taker: 3, maker: 1, price: 9, qty: 1 }],
)]
#[case::market_remainder_is_cancelled(
    &[limit(1, Sell, 10, 2), Msg::Market { id: 2, side: Buy, qty: 5 }],
    &[Accepted { id: 2 }, Fill { taker: 2, maker: 1, price: 10, qty: 2 }, Cancelled { id: 2, qty: 3 }],
)]
#[case::cancel_reports_what_was_left(
    &[limit(1, Sell, 10, 5), limit(2, Buy, 10, 2), Msg::Cancel { id: 1 }],
    &[Cancelled { id: 1, qty: 3 }],
)]
#[case::cancel_of_an_unknown_id(&[Msg::Cancel { id: 7 }], &[Rejected { id: 7, reason: Reject::UnknownId }])]
#[case::a_filled_id_is_free_again(
    &[limit(1, Sell, 10, 2), limit(2, Buy, 10, 2), limit(1, Buy, 10, 1)],
    &[Accepted { id: 1 }],
)]
fn each_message_gives_the_events_of_the_readme(#[case] msgs: &[Msg], #[case] want: &[Event]) {
    let (_, got) = last_events(msgs);
    assert_eq!(
        got, want,
        "after {msgs:?}, the last message gave {got:?}, expected {want:?}"
    );
}

#[testkit::check]
#[test]
fn top_shows_best_prices_and_the_quantity_resting_there() {
    let (engine, _) = last_events(&[
        limit(1, Buy, 9, 2),
        limit(2, Buy, 9, 3),
        limit(3, Buy, 8, 7),
        limit(4, Sell, 12, 4),
    ]);
    let want = Snapshot {
        bid: 9,
        ask: 12,
        bid_size: 5,
        ask_size: 4,
    };
    assert_eq!(
        engine.top(),
        want,
        "top() is {:?}, expected {want:?}",
        engine.top()
    );
}

#[testkit::check]
#[test]
fn emptying_the_best_level_moves_the_top_to_the_next() {
    let (engine, _) = last_events(&[
        limit(1, Sell, 12, 2),
        limit(2, Sell, 15, 3),
        limit(3, Buy, 9, 1),
        Msg::Cancel { id: 1 },
    ]);
    let want = Snapshot {
        bid: 9,
        ask: 15,
        bid_size: 1,
        ask_size: 3,
    };
    assert_eq!(
        engine.top(),
        want,
        "top() is {:?} after cancelling the only ask at 12, expected {want:?}",
        engine.top()
    );
}

#[testkit::check]
#[test]
fn levels_list_best_price_first_and_oldest_first() {
    let (engine, _) = last_events(&[
        limit(1, Buy, 9, 2),
        limit(2, Buy, 10, 3),
        limit(3, Buy, 9, 4),
    ]);
    let want = vec![(10, vec![(2, 3)]), (9, vec![(1, 2), (3, 4)])];
    assert_eq!(
        engine.levels(Buy),
        want,
        "levels(Buy) is {:?}, expected {want:?}",
        engine.levels(Buy)
    );
    assert_eq!(
        engine.levels(Sell),
        vec![],
        "levels(Sell) of a book without asks"
    );
}
