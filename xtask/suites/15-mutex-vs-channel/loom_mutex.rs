#![cfg(loom)]
//! Loom model of the mutex variant: every interleaving of two producer threads applying two
//! fills each to one key. Run with
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom_mutex`.

use mutex_vs_channel::{Fill, Key, MutexBook, Position};
use sync_shim::thread;

const ES: Key = Key::new(1, 10);

#[testkit::check]
#[test]
fn concurrent_fills_on_one_key_are_never_lost() {
    sync_shim::model(|| {
        let book = MutexBook::new();
        book.apply(Fill::buy(ES, 1, 100)); // before the producers start
        let (a, b) = (book.clone(), book.clone());
        thread::both(
            move || {
                a.apply(Fill::buy(ES, 2, 101));
                a.apply(Fill::sell(ES, 1, 103));
            },
            move || {
                b.apply(Fill::sell(ES, 4, 99));
                b.apply(Fill::buy(ES, 8, 98));
            },
        );
        let expected = Position {
            net_qty: 1 + 2 - 1 - 4 + 8,
            cash: -100 - 202 + 103 + 396 - 784,
            fills: 5,
        };
        let got = book.position(ES);
        assert_eq!(
            got,
            Some(expected),
            "two threads applied two fills each to one key (after one on the main thread): \
             expected {expected:?}, got {got:?}. In some interleaving an update was lost: \
             is the read and the write of a position done under one lock?"
        );
    });
}
