//! Both books against a sequential model: random fill streams, split across 2-3 producer
//! threads, must give the same final positions as summing the fills one by one.

use std::collections::BTreeMap;
use std::thread;

use mutex_vs_channel::{ChannelBook, Fill, Key, MutexBook, Position, Snapshot};
use proptest::collection::vec;
use proptest::prelude::*;

/// Few accounts and symbols, so keys repeat and threads collide on them.
fn fill() -> impl Strategy<Value = Fill> {
    let qty = prop_oneof![-1_000i64..=-1, 1i64..=1_000];
    (0u32..3, 0u32..4, qty, 1i64..=10_000).prop_map(|(account, symbol, qty, price)| Fill {
        key: Key::new(account, symbol),
        qty,
        price,
    })
}

/// The sequential model: each field summed directly from its definition.
fn model(fills: &[Fill]) -> Snapshot {
    let mut positions: BTreeMap<Key, Position> = BTreeMap::new();
    for fill in fills {
        let p = positions.entry(fill.key).or_default();
        p.net_qty += fill.qty;
        p.cash -= fill.qty * fill.price;
        p.fills += 1;
    }
    positions.into_iter().collect()
}

/// Deals the fills round-robin to `threads` producers; each keeps its share's order.
fn deal(fills: &[Fill], threads: usize) -> Vec<Vec<Fill>> {
    let mut shares = vec![Vec::new(); threads];
    for (i, &fill) in fills.iter().enumerate() {
        shares[i % threads].push(fill);
    }
    shares
}

/// Every key the stream fills, plus one it never fills.
fn keys_to_ask(expected: &Snapshot) -> Vec<(Key, Option<Position>)> {
    let mut asks: Vec<_> = expected.iter().map(|&(k, p)| (k, Some(p))).collect();
    asks.push((Key::new(99, 99), None));
    asks
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn mutex_book_agrees_with_the_sequential_model(
        fills in vec(fill(), 0..150),
        threads in 2usize..=3,
    ) {
        let book = MutexBook::new();
        book.apply(Fill::buy(Key::new(0, 0), 1, 1)); // one fill before the producers start
        let mut all = vec![Fill::buy(Key::new(0, 0), 1, 1)];
        all.extend_from_slice(&fills);
        let producers: Vec<_> = deal(&fills, threads)
            .into_iter()
            .map(|share| {
                let book = book.clone();
                thread::spawn(move || share.into_iter().for_each(|f| book.apply(f)))
            })
            .collect();
        for p in producers {
            p.join().expect("a producer thread panicked");
        }
        let expected = model(&all);
        let got = book.snapshot();
        prop_assert_eq!(
            &got, &expected,
            "MutexBook::snapshot after {} producer threads applied their share of the fills \
             (left: got, right: the sequential model)", threads
        );
        for (key, want) in keys_to_ask(&expected) {
            let got = book.position(key);
            prop_assert_eq!(got, want, "MutexBook::position({:?}) after the producers joined", key);
        }
    }

    #[testkit::check]
    #[test]
    fn channel_book_agrees_with_the_sequential_model(
        fills in vec(fill(), 0..150),
        threads in 2usize..=3,
    ) {
        let book = ChannelBook::new();
        let first = book.handle();
        first.apply(Fill::buy(Key::new(0, 0), 1, 1)).expect("apply on a running book");
        let mut all = vec![Fill::buy(Key::new(0, 0), 1, 1)];
        all.extend_from_slice(&fills);
        let producers: Vec<_> = deal(&fills, threads)
            .into_iter()
            .map(|share| {
                let handle = first.clone();
                thread::spawn(move || {
                    for f in share {
                        handle.apply(f).expect("apply returned Err on a running book");
                    }
                })
            })
            .collect();
        for p in producers {
            p.join().expect("a producer thread panicked");
        }
        let expected = model(&all);
        for (key, want) in keys_to_ask(&expected) {
            let got = first.position(key);
            prop_assert_eq!(got, want, "BookHandle::position({:?}) after the producers joined", key);
        }
        let got = book.shutdown();
        prop_assert_eq!(
            &got, &expected,
            "ChannelBook::shutdown after {} producer threads sent their share of the fills \
             through cloned handles (left: got, right: the sequential model)", threads
        );
    }
}
