//! No allocation per message: `Engine::process` and the engine thread's loop, after a stated
//! warm-up of 1 000 messages, allocate nothing for the next 20 000.

#[path = "support/flow.rs"]
mod flow;

use std::hint::black_box;
use sync_shim::Arc;

use matching_engine::{
    Engine, EngineThread, Event, Monotonic, Msg, Shared, Side, latency_histogram,
};

#[global_allocator]
static A: testkit::alloc::CountingAlloc = testkit::alloc::CountingAlloc;

/// Messages handled before measuring (the README's warm-up).
const WARM_UP: usize = 1_000;
/// Messages measured.
const MEASURED: usize = 20_000;

/// First in the suite, so a matching loop that never ends is named before the checks below
/// hang on it: the first 1 000 messages of the flow, processed within 5 s.
#[testkit::check]
#[test]
fn processing_a_flow_never_hangs() {
    let fills = testkit::patience::within(
        std::time::Duration::from_secs(5),
        "Engine::process on the first 1 000 messages of an exchange-like flow",
        "a matching loop that never stops: stop when the taker has nothing left, or when the \
         best opposite price no longer crosses",
        || {
            let mut engine = Engine::new(1_024, 2_000);
            let mut fills = 0u64;
            for m in flow::flow(WARM_UP, 11, 1_000) {
                engine.process(m, |e| fills += u64::from(matches!(e, Event::Fill { .. })));
            }
            fills
        },
    );
    assert!(fills > 0, "the flow should trade");
}

#[testkit::check]
#[test]
fn process_allocates_nothing_after_the_warm_up() {
    let mut engine = Engine::new(1_024, 2_000);
    let msgs = flow::flow(WARM_UP + MEASURED, 11, 1_000);
    let mut fills = 0u64;
    for &m in &msgs[..WARM_UP] {
        engine.process(m, |e| fills += u64::from(matches!(e, Event::Fill { .. })));
    }
    let (_, stats) = testkit::alloc::measure(|| {
        for &m in &msgs[WARM_UP..] {
            engine.process(black_box(m), |e| {
                fills += u64::from(matches!(e, Event::Fill { .. }))
            });
        }
    });
    assert!(fills > 0, "the flow should trade");
    assert_eq!(
        stats.total(),
        0,
        "process allocated {} times over {MEASURED} messages after a warm-up of {WARM_UP} ({stats:?}): \
         allocate the arena, levels and index in Engine::new, and pass events straight to `emit`",
        stats.total()
    );
}

#[testkit::check]
#[test]
fn the_engine_loop_allocates_nothing_after_the_warm_up() {
    let engine = Engine::new(1_024, 2_000);
    let msgs = flow::flow(WARM_UP + MEASURED, 13, 1_000);
    let (mut orders_in, orders) = spsc_ring::RingBuffer::<Msg>::new(MEASURED);
    let (events, mut events_out) = spsc_ring::RingBuffer::<Event>::new(1 << 17);
    let shared = Arc::new(Shared::new());
    let mut core = EngineThread {
        engine,
        orders,
        events,
        shared: Arc::clone(&shared),
        clock: Monotonic::new(),
        latencies: latency_histogram(),
    };
    // The gateway has sent everything and said stop: `run` drains the ring and returns.
    shared
        .stop
        .store(true, std::sync::atomic::Ordering::Release);
    for batch in [&msgs[..WARM_UP], &msgs[WARM_UP..]] {
        for &m in batch {
            assert!(
                orders_in.try_push(m).is_ok(),
                "the orders ring has room for the batch"
            );
        }
        let measured = batch.len() == MEASURED;
        let (_, stats) = testkit::alloc::measure(|| core.run());
        while events_out.try_pop().is_some() {}
        if measured {
            assert_eq!(
                stats.total(),
                0,
                "EngineThread::run allocated {} times draining {MEASURED} messages after a warm-up of \
                 {WARM_UP} ({stats:?})",
                stats.total()
            );
        }
    }
    assert_eq!(
        core.latencies.len(),
        (WARM_UP + MEASURED) as u64,
        "one latency sample per message"
    );
}

#[testkit::check]
#[test]
fn a_full_book_churned_by_cancels_and_adds_allocates_nothing() {
    // 256 resting bids that never cross, then 20 000 times: cancel one (a fixed pseudo-random
    // pick) and add a fresh id in its place. The book stays full, so every id container sees
    // removals and inserts at full capacity: it must have been sized for that in `new`.
    const CAPACITY: u64 = 256;
    let mut engine = Engine::new(CAPACITY as usize, 2_000);
    let mut resting: Vec<u64> = (1..=CAPACITY).collect();
    for &id in &resting {
        let price = 100 + id % 50;
        engine.process(
            Msg::Limit {
                id,
                side: Side::Buy,
                price,
                qty: 1,
            },
            |_| {},
        );
    }
    let mut next_id = CAPACITY + 1;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let (_, stats) = testkit::alloc::measure(|| {
        for _ in 0..MEASURED {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let pick = (state % CAPACITY) as usize;
            engine.process(black_box(Msg::Cancel { id: resting[pick] }), |_| {});
            let id = next_id;
            next_id += 1;
            engine.process(
                black_box(Msg::Limit {
                    id,
                    side: Side::Buy,
                    price: 100 + id % 50,
                    qty: 1,
                }),
                |_| {},
            );
            resting[pick] = id;
        }
    });
    assert_eq!(
        engine.len(),
        CAPACITY as usize,
        "the book should still hold {CAPACITY} orders"
    );
    assert_eq!(
        stats.total(),
        0,
        "a book kept full ({CAPACITY} of {CAPACITY}) by {MEASURED} cancels and adds allocated {} \
         times ({stats:?}): size the id index in Engine::new for a full book with churn (a hash \
         map with room for exactly `capacity` ids still grows once removals leave tombstones)",
        stats.total()
    );
}
