//! The point of an incremental collector, as a table: one workload, collected stop-the-world
//! and then incrementally with several budgets, with the longest pause of each.

use std::fmt::Write as _;

use tricolor_gc::{Heap, ObjId, Phase};

/// 4 roots, each with a chain of 49 objects behind field 0 and an empty field 1 (200
/// reachable objects), then a ring of 100 garbage objects: 300 slots.
fn workload() -> (Heap, Vec<ObjId>) {
    let mut heap = Heap::new();
    let mut roots = Vec::new();
    for _ in 0..4 {
        let root = heap.alloc(2);
        heap.add_root(root).unwrap();
        let mut tail = root;
        for _ in 0..49 {
            let next = heap.alloc(1);
            heap.set_field(tail, 0, Some(next)).unwrap();
            tail = next;
        }
        roots.push(root);
    }
    let first = heap.alloc(1);
    let mut tail = first;
    for _ in 0..99 {
        let next = heap.alloc(1);
        heap.set_field(tail, 0, Some(next)).unwrap();
        tail = next;
    }
    heap.set_field(tail, 0, Some(first)).unwrap();
    (heap, roots)
}

struct Row {
    collector: &'static str,
    budget: Option<usize>,
    pauses: usize,
    longest: usize,
    total: usize,
    live_after: usize,
}

fn stop_the_world() -> Row {
    let (mut heap, _) = workload();
    let pause = heap.collect();
    Row {
        collector: "stop-the-world",
        budget: None,
        pauses: 1,
        longest: pause,
        total: pause,
        live_after: heap.live_count(),
    }
}

/// Between two pauses the mutator runs: it allocates one object and stores it in field 1 of
/// a root, dropping the one it stored before.
fn incremental(budget: usize) -> Row {
    let (mut heap, roots) = workload();
    let mut pauses = vec![heap.begin_cycle()];
    while heap.phase() != Phase::Idle {
        let young = heap.alloc(0);
        heap.set_field(roots[pauses.len() % roots.len()], 1, Some(young))
            .unwrap();
        pauses.push(heap.step(budget));
        assert!(
            pauses.len() < 10_000,
            "step({budget}) never finished the cycle"
        );
    }
    Row {
        collector: "incremental",
        budget: Some(budget),
        pauses: pauses.len(),
        longest: pauses.iter().copied().max().unwrap_or(0),
        total: pauses.iter().sum(),
        live_after: heap.live_count(),
    }
}

#[testkit::check]
#[test]
fn the_incremental_collector_bounds_the_longest_pause() {
    let rows = [
        stop_the_world(),
        incremental(8),
        incremental(32),
        incremental(128),
    ];
    let mut table =
        String::from("collector       budget  pauses  longest pause  total work  live after\n");
    for row in &rows {
        let budget = row.budget.map_or("-".to_string(), |b| b.to_string());
        writeln!(
            table,
            "{:<14}  {:>6}  {:>6}  {:>13}  {:>10}  {:>10}",
            row.collector, budget, row.pauses, row.longest, row.total, row.live_after
        )
        .unwrap();
    }
    insta::assert_snapshot!(table);
}
