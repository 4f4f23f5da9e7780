//! The engine against a naive model (`support/naive.rs`: a `BTreeMap` of price levels per side,
//! each a `VecDeque`): any sequence of limit, market and cancel messages gives the same events,
//! the same top after every message and the same final book, directly and through the rings.

#[path = "support/naive.rs"]
mod naive;

use matching_engine::{Engine, Monotonic, Msg, Side};
use naive::Naive;
use proptest::prelude::*;
use testkit::strategy::{ops, toward};

/// A small book, so that orders cross, queue, fill it up and get rejected.
const CAPACITY: usize = 6;
/// Prices 1..=8; the messages also use 0 and 9 (invalid).
const MAX_PRICE: u64 = 8;

fn msg() -> impl Strategy<Value = Msg> {
    let side = prop_oneof![Just(Side::Buy), Just(Side::Sell)];
    let id = toward(0u64..12, [0]);
    let qty = toward(0u64..=6, [1, 0]);
    prop_oneof![
        5 => (id.clone(), side.clone(), toward(0u64..=MAX_PRICE + 1, [1, MAX_PRICE, 0]), qty.clone())
            .prop_map(|(id, side, price, qty)| Msg::Limit { id, side, price, qty }),
        1 => (id.clone(), side, qty).prop_map(|(id, side, qty)| Msg::Market { id, side, qty }),
        2 => id.prop_map(|id| Msg::Cancel { id }),
    ]
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn every_message_gives_the_models_events_and_top(msgs in ops(msg(), 1..60)) {
        let mut engine = Engine::new(CAPACITY, MAX_PRICE);
        let mut model = Naive::new(CAPACITY, MAX_PRICE);
        for (i, &msg) in msgs.iter().enumerate() {
            let mut got = Vec::new();
            engine.process(msg, |e| got.push(e));
            let want = model.process(msg);
            prop_assert_eq!(&got, &want, "message {} ({:?}) gave {:?}, the model {:?}", i, msg, got, want);
            prop_assert_eq!(engine.top(), model.top(), "top() after message {} ({:?}) is {:?}, the model's {:?}", i, msg, engine.top(), model.top());
        }
    }

    #[testkit::check]
    #[test]
    fn the_final_book_is_the_models(msgs in ops(msg(), 1..60)) {
        let mut engine = Engine::new(CAPACITY, MAX_PRICE);
        let mut model = Naive::new(CAPACITY, MAX_PRICE);
        for &msg in &msgs {
            engine.process(msg, |_| {});
            model.process(msg);
        }
        for side in [Side::Buy, Side::Sell] {
            prop_assert_eq!(engine.levels(side), model.levels(side), "levels({:?}) at the end differ from the model's", side);
        }
        let resting: usize = model.levels(Side::Buy).iter().chain(&model.levels(Side::Sell)).map(|l| l.1.len()).sum();
        prop_assert_eq!(engine.len(), resting, "len() is {}, but {} orders rest in the model", engine.len(), resting);
    }

    #[testkit::check]
    #[test]
    fn through_the_rings_the_events_and_book_are_the_models(msgs in ops(msg(), 1..60), ring in toward(1usize..8, [1])) {
        let mut model = Naive::new(CAPACITY, MAX_PRICE);
        let want: Vec<_> = msgs.iter().flat_map(|&m| model.process(m)).collect();
        let mut gateway = matching_engine::spawn(Engine::new(CAPACITY, MAX_PRICE), ring, Monotonic::new());
        let mut got = Vec::new();
        for &msg in &msgs {
            gateway.send(msg, &mut |e| got.push(e));
        }
        let reader = gateway.reader();
        let (engine, latencies) = gateway.shutdown(&mut |e| got.push(e));
        prop_assert_eq!(&got, &want, "the events that came back through rings of {} slots differ from the model's", ring);
        prop_assert_eq!(reader.top(), model.top(), "the published top after the last message is {:?}, the model's {:?}", reader.top(), model.top());
        prop_assert_eq!(reader.processed(), msgs.len() as u64, "processed() is {}, but {} messages were sent", reader.processed(), msgs.len());
        prop_assert_eq!(latencies.len(), msgs.len() as u64, "the histogram holds {} samples for {} messages", latencies.len(), msgs.len());
        for side in [Side::Buy, Side::Sell] {
            prop_assert_eq!(engine.levels(side), model.levels(side), "levels({:?}) after shutdown differ from the model's", side);
        }
    }
}
