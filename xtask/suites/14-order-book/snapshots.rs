//! The price ladder after a scripted session, as `Depth`'s `Display` prints it. The expected
//! tables are in `snapshots/` and in the README.

use order_book::{Book, Side};

use Side::{Buy, Sell};

/// The session from the README: orders that rest, cross, sweep and partly fill, and cancels.
fn session() -> Book {
    let mut book = Book::new();
    book.add(Sell, 105, 10); // 1
    book.add(Sell, 103, 7); // 2
    book.add(Sell, 103, 5); // 3
    book.add(Sell, 102, 20); // 4
    book.add(Buy, 98, 12); // 5
    book.add(Buy, 99, 8); // 6
    book.add(Buy, 99, 4); // 7
    book.add(Buy, 102, 15); // 8: takes 15 of order 4 at 102
    book.add(Sell, 99, 10); // 9: takes order 6 (8) and 2 of order 7 at 99
    book.cancel(3); // 103 keeps order 2 only
    book.add(Buy, 97, 30); // 10
    book.add(Sell, 101, 6); // 11
    book.add(Buy, 100, 3); // 12
    book.add(Sell, 102, 4); // 13: queues behind what is left of order 4
    book.cancel(5); // 98 disappears
    book.add(Buy, 97, 5); // 14: queues behind order 10
    book.add(Buy, 104, 8); // 15: takes 101 (6), then 2 of order 4 at 102
    book
}

#[testkit::check]
#[test]
fn depth_table_after_a_scripted_session() {
    let table = session().depth(10).to_string();
    insta::assert_snapshot!("depth_table_after_a_scripted_session", table);
}

#[testkit::check]
#[test]
fn depth_table_of_the_best_two_levels_after_a_scripted_session() {
    let table = session().depth(2).to_string();
    insta::assert_snapshot!(
        "depth_table_of_the_best_two_levels_after_a_scripted_session",
        table
    );
}
