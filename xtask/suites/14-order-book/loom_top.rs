#![cfg(loom)]
//! `SharedBook` under loom: one writer changing the book with two operations that would show a
//! crossed book if a reader could see one half of them, against one or two readers, under
//! every interleaving. Run with `RUSTFLAGS="--cfg loom" cargo test --release --test loom_top`.
//!
//! A reader that takes the read lock twice for one answer (the bid under one lock, the ask
//! under the next) pairs a bid and an ask from two different states: the book looks crossed.

use order_book::{Depth, Level, SharedBook, Side, Top};
use sync_shim::{Arc, thread};

use Side::{Buy, Sell};

/// A shared book holding one bid: 5 at 100 (order 1).
fn book_with_a_bid() -> Arc<SharedBook> {
    let book = Arc::new(SharedBook::new());
    book.add(Buy, 100, 5);
    book
}

#[testkit::check]
#[test]
fn top_is_never_crossed_while_a_bid_is_replaced_by_a_lower_ask() {
    sync_shim::model(|| {
        let book = book_with_a_bid();
        let (writer, reader) = (Arc::clone(&book), Arc::clone(&book));
        let ((), top) = thread::both(
            move || {
                // Fine one after the other; crossed if a reader mixes the two states.
                writer.cancel(1);
                writer.add(Sell, 99, 5);
            },
            move || reader.top(),
        );
        assert!(
            !top.is_crossed(),
            "top() returned a crossed book, {top:?}: the bid and the ask came from two \
             different states (read both under one read lock)"
        );
        let states = [
            Top {
                bid: Some((100, 5)),
                ask: None,
            },
            Top::default(),
            Top {
                bid: None,
                ask: Some((99, 5)),
            },
        ];
        assert!(
            states.contains(&top),
            "top() returned {top:?}, which the book never held; it held {states:?} in turn"
        );
    });
}

#[testkit::check]
#[test]
fn two_readers_never_see_a_crossed_book_while_an_order_trades() {
    sync_shim::model(|| {
        let book = book_with_a_bid();
        let writer = {
            let book = Arc::clone(&book);
            thread::spawn(move || {
                // Takes the bid at 100 and rests 3 at 99, then a new bid at 98 arrives.
                book.add(Sell, 99, 8);
                book.add(Buy, 98, 2);
            })
        };
        let (top_reader, depth_reader) = (Arc::clone(&book), Arc::clone(&book));
        let (top, depth) = thread::both(move || top_reader.top(), move || depth_reader.depth(1));
        writer.join().unwrap();

        assert!(
            !top.is_crossed(),
            "top() returned a crossed book, {top:?}: the bid and the ask came from two \
             different states (read both under one read lock)"
        );
        let level = |price, qty| Level {
            price,
            qty,
            orders: 1,
        };
        let states = [
            Depth {
                bids: vec![level(100, 5)],
                asks: vec![],
            },
            Depth {
                bids: vec![],
                asks: vec![level(99, 3)],
            },
            Depth {
                bids: vec![level(98, 2)],
                asks: vec![level(99, 3)],
            },
        ];
        let tops: Vec<Top> = states
            .iter()
            .map(|depth| Top {
                bid: depth.bids.first().map(|level| (level.price, level.qty)),
                ask: depth.asks.first().map(|level| (level.price, level.qty)),
            })
            .collect();
        assert!(
            tops.contains(&top),
            "top() returned {top:?}, which the book never held; it held {tops:?} in turn"
        );
        assert!(
            states.contains(&depth),
            "depth(1) returned {depth:?}, which the book never held; it held {states:?} in turn"
        );
    });
}
