#![cfg(loom)]
//! The gateway → engine → reader protocol under loom: two messages through rings of two slots,
//! the engine on its own thread, shutdown right after the last send.

use matching_engine::{
    Engine, EngineThread, Event, Monotonic, Msg, Shared, Side, latency_histogram,
};
use seqlock::Snapshot;
use sync_shim::atomic::Ordering::Acquire;
use sync_shim::{Arc, thread};

/// A bid of 5 at 10, then a sell of 3 at 10 that trades with it.
const MSGS: [Msg; 2] = [
    Msg::Limit {
        id: 1,
        side: Side::Buy,
        price: 10,
        qty: 5,
    },
    Msg::Limit {
        id: 2,
        side: Side::Sell,
        price: 10,
        qty: 3,
    },
];

#[testkit::check]
#[test]
fn shutdown_drains_every_message_and_loses_or_repeats_no_event() {
    // On the model's own thread first: a `todo!()` fires here, not on a loom thread.
    assert_eq!(
        Engine::new(4, 16).capacity(),
        4,
        "Engine::new(4, 16).capacity()"
    );
    sync_shim::model(|| {
        let mut gateway = matching_engine::spawn(Engine::new(4, 16), 2, Monotonic::new());
        let mut got = Vec::new();
        for msg in MSGS {
            gateway.send(msg, &mut |e| got.push(e));
        }
        let (engine, _) = gateway.shutdown(&mut |e| got.push(e));
        let want = [
            Event::Accepted { id: 1 },
            Event::Accepted { id: 2 },
            Event::Fill {
                taker: 2,
                maker: 1,
                price: 10,
                qty: 3,
            },
        ];
        assert_eq!(
            got, want,
            "events after shutdown: {got:?}, expected {want:?} (a message not drained, or an event lost or repeated)"
        );
        assert_eq!(
            engine.levels(Side::Buy),
            vec![(10, vec![(1, 2)])],
            "the book after shutdown"
        );
    });
}

#[testkit::check]
#[test]
fn a_reader_never_sees_a_torn_top_of_book() {
    assert_eq!(
        Engine::new(4, 16).capacity(),
        4,
        "Engine::new(4, 16).capacity()"
    );
    sync_shim::model(|| {
        let mut gateway = matching_engine::spawn(Engine::new(4, 16), 2, Monotonic::new());
        let reader = gateway.reader();
        for msg in MSGS {
            gateway.send(msg, &mut |_| {});
        }
        // Read while the engine may be publishing.
        let top = reader.top();
        gateway.shutdown(&mut |_| {});
        let valid = [
            Snapshot::default(),
            Snapshot {
                bid: 10,
                ask: 0,
                bid_size: 5,
                ask_size: 0,
            },
            Snapshot {
                bid: 10,
                ask: 0,
                bid_size: 2,
                ask_size: 0,
            },
        ];
        assert!(
            valid.contains(&top),
            "the reader saw top {top:?}, which the book never had (it had {valid:?})"
        );
    });
}

#[testkit::check]
#[test]
fn a_reader_that_sees_the_count_sees_the_top_published_before_it() {
    assert_eq!(
        Engine::new(4, 16).capacity(),
        4,
        "Engine::new(4, 16).capacity()"
    );
    sync_shim::model(|| {
        let shared = Arc::new(Shared::new());
        let (_orders_in, orders) = spsc_ring::RingBuffer::<Msg>::new(2);
        let (events, _events_out) = spsc_ring::RingBuffer::<Event>::new(8);
        let mut engine = EngineThread {
            engine: Engine::new(4, 16),
            orders,
            events,
            shared: Arc::clone(&shared),
            clock: Monotonic::new(),
            latencies: latency_histogram(),
        };
        let seen = Arc::clone(&shared);
        let reader = thread::spawn(move || {
            // Acquire: pairs with the Release that counts a message in `step`.
            let count = seen.processed.load(Acquire);
            (count, seen.top.read())
        });
        for msg in MSGS {
            engine.step(msg);
        }
        let (count, top) = reader.join().unwrap();
        // The top after 0, 1 and 2 messages.
        let tops = [
            Snapshot::default(),
            Snapshot {
                bid: 10,
                ask: 0,
                bid_size: 5,
                ask_size: 0,
            },
            Snapshot {
                bid: 10,
                ask: 0,
                bid_size: 2,
                ask_size: 0,
            },
        ];
        let at = tops.iter().position(|t| *t == top);
        assert!(
            at.is_some_and(|at| at as u64 >= count),
            "the reader saw processed = {count}, then top {top:?}: step must publish a message's \
             top before it counts the message, so that top is one of {:?}",
            &tops[count as usize..]
        );
    });
}
