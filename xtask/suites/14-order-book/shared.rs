//! `SharedBook` with real threads: it trades like a `Book`, its reads take the read lock (so
//! readers do not wait for each other), and a reader never sees a crossed book while a writer
//! trades. The loom models in `loom_top.rs` check the last point under every interleaving.

use std::sync::mpsc;
use std::time::Duration;

use order_book::{Book, Depth, Level, Placed, SharedBook, Side, Top};
use sync_shim::atomic::{AtomicBool, Ordering};
use sync_shim::{Arc, thread};

use Side::{Buy, Sell};

/// How long a reader holding the read lock waits for another reader to get through.
const PATIENCE: Duration = Duration::from_secs(2);

#[testkit::check]
#[test]
fn a_shared_book_trades_like_a_book() {
    let shared = SharedBook::new();
    let mut book = Book::new();
    let script = [
        (Sell, 103, 5),
        (Sell, 101, 4),
        (Buy, 99, 6),
        (Buy, 102, 7),
        (Sell, 98, 9),
        (Buy, 100, 2),
    ];
    for (side, price, qty) in script {
        let (got, want): (Placed, Placed) =
            (shared.add(side, price, qty), book.add(side, price, qty));
        assert_eq!(
            got, want,
            "SharedBook::add({side:?}, {price}, {qty}) (left) should return what Book::add does (right)"
        );
    }
    assert_eq!(shared.cancel(1), book.cancel(1), "cancel(1)");
    assert_eq!(shared.cancel(1), None, "cancel(1) a second time");
    assert_eq!(shared.best_bid(), book.best_bid(), "best_bid");
    assert_eq!(shared.best_ask(), book.best_ask(), "best_ask");
    assert_eq!(shared.top(), book.top(), "top");
    assert_eq!(shared.depth(3), book.depth(3), "depth(3)");
}

#[testkit::check]
#[test]
fn top_and_best_prices_read_both_sides_of_the_book() {
    let shared = SharedBook::new();
    shared.add(Buy, 99, 5);
    shared.add(Buy, 99, 2);
    shared.add(Sell, 101, 3);
    assert_eq!(
        shared.top(),
        Top {
            bid: Some((99, 7)),
            ask: Some((101, 3))
        },
        "top() of a book bidding 7 at 99 and offering 3 at 101"
    );
    assert_eq!(shared.best_bid(), Some((99, 7)), "best_bid() of that book");
    assert_eq!(shared.best_ask(), Some((101, 3)), "best_ask() of that book");
}

#[testkit::check]
#[test]
fn read_and_write_run_the_closure_on_the_book() {
    let shared = SharedBook::new();
    let placed = shared.write(|book| book.add(Sell, 101, 4));
    assert_eq!(
        placed.id, 1,
        "write(|book| book.add(..)) returns what add returned"
    );
    let depth = shared.read(|book| book.depth(1));
    assert_eq!(
        depth,
        Depth {
            bids: vec![],
            asks: vec![Level {
                price: 101,
                qty: 4,
                orders: 1
            }]
        },
        "read(|book| book.depth(1)) sees the order added by write"
    );
}

#[testkit::check]
#[test]
fn readers_do_not_wait_for_each_other() {
    let shared = Arc::new(SharedBook::new());
    shared.add(Buy, 99, 5);
    let (entered_tx, entered_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    // This reader holds the read lock until the main thread has read the book too.
    let holder = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            shared.read(|_| {
                entered_tx.send(()).unwrap();
                done_rx.recv_timeout(PATIENCE).is_ok()
            })
        })
    };
    entered_rx
        .recv()
        .expect("the first reader never entered read()");
    let top = shared.top();
    let best_bid = shared.best_bid();
    let depth = shared.depth(1);
    let _ = done_tx.send(());
    let others_got_in = holder.join().unwrap();
    assert!(
        others_got_in,
        "top(), best_bid() and depth() waited until another thread's read() returned: \
         reads must take the read lock, which many readers hold at once"
    );
    assert_eq!(top.bid, Some((99, 5)), "top() while another reader reads");
    assert_eq!(
        best_bid,
        Some((99, 5)),
        "best_bid() while another reader reads"
    );
    assert_eq!(depth.bids.len(), 1, "depth(1) while another reader reads");
}

#[testkit::check]
#[test]
fn a_reader_never_sees_a_crossed_book_while_a_writer_trades() {
    let shared = Arc::new(SharedBook::new());
    let first_bid = shared.add(Buy, 100, 1).id;
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (shared, done) = (Arc::clone(&shared), Arc::clone(&done));
        move || {
            let mut bid = first_bid;
            for _ in 0..20_000 {
                // The bid at 100 leaves and an ask at 99 arrives: fine one after the other,
                // crossed if a reader pairs the old bid with the new ask.
                shared.cancel(bid);
                let ask = shared.add(Sell, 99, 1).id;
                shared.cancel(ask);
                bid = shared.add(Buy, 100, 1).id;
            }
            // Release pairs with the reader's Acquire load; publishes nothing but "stop".
            done.store(true, Ordering::Release);
        }
    };
    let reader = {
        let (shared, done) = (Arc::clone(&shared), Arc::clone(&done));
        move || {
            let mut reads = 0u64;
            // Acquire pairs with the writer's Release store.
            while !done.load(Ordering::Acquire) {
                let top = shared.top();
                if top.is_crossed() {
                    return Err(format!("top() returned a crossed book: {top:?}"));
                }
                let depth = shared.depth(1);
                if let (Some(bid), Some(ask)) = (depth.bids.first(), depth.asks.first())
                    && bid.price >= ask.price
                {
                    return Err(format!("depth(1) returned a crossed book: {depth:?}"));
                }
                reads += 1;
            }
            Ok(reads)
        }
    };
    let ((), seen) = thread::both(writer, reader);
    if let Err(message) = seen {
        panic!("{message}: best bid and best ask must come from one state of the book");
    }
}
