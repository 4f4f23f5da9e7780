//! The README's auto-trait table: every public type is `Send` and `Sync`.
//!
//! The answers are computed at compile time (`testkit::implements!`), so a type that lost one
//! fails this check with the row's name instead of stopping the suite from compiling.

use order_book::{Book, Depth, Fill, Level, Order, Placed, SharedBook, Side, Top};
use testkit::implements;
use testkit::traits::check_table;

#[testkit::check]
#[test]
fn every_public_type_is_send_and_sync() {
    // Judged only on a book that works: a new book is empty.
    assert_eq!(Book::new().best_bid(), None, "a new book has no bid");
    check_table(&[
        ("Side", "Send", true, implements!(Side: Send)),
        ("Side", "Sync", true, implements!(Side: Sync)),
        ("Order", "Send", true, implements!(Order: Send)),
        ("Order", "Sync", true, implements!(Order: Sync)),
        ("Fill", "Send", true, implements!(Fill: Send)),
        ("Fill", "Sync", true, implements!(Fill: Sync)),
        ("Placed", "Send", true, implements!(Placed: Send)),
        ("Placed", "Sync", true, implements!(Placed: Sync)),
        ("Top", "Send", true, implements!(Top: Send)),
        ("Top", "Sync", true, implements!(Top: Sync)),
        ("Level", "Send", true, implements!(Level: Send)),
        ("Level", "Sync", true, implements!(Level: Sync)),
        ("Depth", "Send", true, implements!(Depth: Send)),
        ("Depth", "Sync", true, implements!(Depth: Sync)),
        ("Book", "Send", true, implements!(Book: Send)),
        ("Book", "Sync", true, implements!(Book: Sync)),
        ("SharedBook", "Send", true, implements!(SharedBook: Send)),
        ("SharedBook", "Sync", true, implements!(SharedBook: Sync)),
    ]);
}
