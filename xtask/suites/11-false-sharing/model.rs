//! `ShardedCounter` against a plain model: a vector of per-shard totals and a ticket count.

use false_sharing::ShardedCounter;
use proptest::prelude::*;
use sync_shim::atomic::Ordering::Relaxed;

#[derive(Debug, Clone)]
enum Op {
    /// Take a new handle.
    Handle,
    /// Add `n` through the handle at this index (modulo the handles taken so far).
    Add { handle: usize, n: u64 },
    /// Check the sum.
    Sum,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Handle),
        5 => (0..8usize, 0..1_000u64).prop_map(|(handle, n)| Op::Add { handle, n }),
        1 => (0..8usize, any::<u64>()).prop_map(|(handle, n)| Op::Add { handle, n }),
        2 => Just(Op::Sum),
    ]
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn the_counter_agrees_with_a_model_of_per_shard_totals(
        shards in 1..=6usize,
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let counter = ShardedCounter::new(shards);
        let mut handles = Vec::new();
        let mut model_shards: Vec<usize> = Vec::new(); // the shard of each handle
        let mut model = vec![0u64; shards];
        for op in &ops {
            match *op {
                Op::Handle => {
                    let handle = counter.handle();
                    let want = handles.len() % shards;
                    prop_assert_eq!(
                        handle.shard(), want,
                        "handle number {} (from 0) of ShardedCounter::new({}) should be on \
                         shard {}", handles.len(), shards, want
                    );
                    handles.push(handle);
                    model_shards.push(want);
                }
                Op::Add { handle, n } => {
                    if handles.is_empty() {
                        continue;
                    }
                    let i = handle % handles.len();
                    handles[i].add(n);
                    model[model_shards[i]] = model[model_shards[i]].wrapping_add(n);
                }
                Op::Sum => {
                    let want = model.iter().fold(0, |a: u64, &b| a.wrapping_add(b));
                    prop_assert_eq!(
                        counter.sum(), want,
                        "sum() with shard totals {:?} (wrapping)", model
                    );
                }
            }
            let got: Vec<u64> = counter.shards().iter().map(|s| s.load(Relaxed)).collect();
            prop_assert_eq!(&got, &model, "shard values after {:?}", op);
        }
    }
}
