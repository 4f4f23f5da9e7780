#![cfg(loom)]
//! Loom model of the channel variant: every interleaving of two producers, the owner thread
//! and a shutdown that follows the producers' join. Run with
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom_channel`.

use mutex_vs_channel::{ChannelBook, Fill, Key, Position};
use sync_shim::thread;

const ES: Key = Key::new(1, 10);

#[testkit::check]
#[test]
fn fills_sent_before_shutdown_are_all_counted() {
    sync_shim::model(|| {
        let book = ChannelBook::new();
        let late = book.handle(); // stays alive until after the shutdown
        late.apply(Fill::buy(ES, 1, 100)).unwrap();
        let (a, b) = (late.clone(), late.clone());
        thread::both(
            move || {
                a.apply(Fill::buy(ES, 2, 101)).unwrap();
                a.apply(Fill::sell(ES, 1, 103)).unwrap();
            },
            move || b.apply(Fill::sell(ES, 4, 99)).unwrap(),
        );
        let got = book.shutdown();
        let expected = vec![(
            ES,
            Position {
                net_qty: 1 + 2 - 1 - 4,
                cash: -100 - 202 + 103 + 396,
                fills: 4,
            },
        )];
        assert_eq!(
            got, expected,
            "four fills were sent (one before, three from two threads joined before shutdown): \
             in some interleaving the snapshot missed some. Shutdown must let the owner apply \
             everything already queued."
        );
        drop(late);
    });
}
