//! The engine on its own thread, with a reader polling the top of the book meanwhile.

#[path = "support/flow.rs"]
mod flow;
#[path = "support/naive.rs"]
mod naive;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use matching_engine::{Engine, Monotonic};
use naive::Naive;

#[testkit::check]
#[test]
fn a_reader_only_ever_sees_a_top_the_book_really_had() {
    let msgs = flow::flow(5_000, 7, 1_000);
    let mut model = Naive::new(256, 2_000);
    let mut tops = HashSet::from([model.top()]);
    let mut want = Vec::new();
    for &m in &msgs {
        want.extend(model.process(m));
        tops.insert(model.top());
    }
    let tops = Arc::new(tops);

    // Rings of 8 slots: the gateway and the engine often wait on each other.
    let mut gateway = matching_engine::spawn(Engine::new(256, 2_000), 8, Monotonic::new());
    let reader = gateway.reader();
    let finished = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (finished, tops) = (Arc::clone(&finished), Arc::clone(&tops));
        std::thread::spawn(move || {
            let mut last = 0;
            let mut reads = 0u64;
            while !finished.load(Ordering::Acquire) {
                let processed = reader.processed();
                assert!(
                    processed >= last,
                    "processed() went back from {last} to {processed}"
                );
                last = processed;
                let top = reader.top();
                assert!(
                    tops.contains(&top),
                    "the reader saw top {top:?}, which the book never had after any message \
                     (a torn or half-updated top)"
                );
                reads += 1;
                std::thread::yield_now();
            }
            reads
        })
    };
    let mut got = Vec::new();
    for &m in &msgs {
        gateway.send(m, &mut |e| got.push(e));
    }
    let (engine, _) = gateway.shutdown(&mut |e| got.push(e));
    finished.store(true, Ordering::Release);
    let reads = watcher
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));

    assert!(reads > 0, "the reader never read");
    assert!(
        got == want,
        "the events through the rings differ from the model's ({} vs {} events)",
        got.len(),
        want.len()
    );
    assert_eq!(
        engine.top(),
        model.top(),
        "the engine's final top differs from the model's"
    );
}
