//! `ShardedCounter` on one thread: shard count, round-robin handles, adds and the sum.

use std::panic::{catch_unwind, resume_unwind};

use false_sharing::ShardedCounter;
use rstest::rstest;
use sync_shim::atomic::Ordering::Relaxed;

/// The value of every shard, in order.
fn shard_values(counter: &ShardedCounter) -> Vec<u64> {
    counter.shards().iter().map(|s| s.load(Relaxed)).collect()
}

#[testkit::check]
#[test]
fn a_new_counter_sums_to_zero() {
    let counter = ShardedCounter::new(4);
    assert_eq!(counter.sum(), 0, "ShardedCounter::new(4).sum()");
    assert_eq!(
        shard_values(&counter),
        [0; 4],
        "every shard of a new counter should be 0"
    );
}

#[testkit::check]
#[rstest]
#[case::one(1)]
#[case::two(2)]
#[case::seven(7)]
fn a_counter_has_as_many_shards_as_asked(#[case] shards: usize) {
    let counter = ShardedCounter::new(shards);
    assert_eq!(
        counter.shards().len(),
        shards,
        "ShardedCounter::new({shards}).shards().len()"
    );
}

#[testkit::check]
#[test]
fn a_counter_without_shards_is_refused() {
    let result = catch_unwind(|| ShardedCounter::new(0));
    match result {
        Ok(counter) => panic!(
            "ShardedCounter::new(0) returned a counter with {} shards; it should panic",
            counter.shards().len()
        ),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or_default();
            // A todo!() is not the refusal this test wants: pass it on.
            if message.starts_with("not yet implemented") {
                resume_unwind(payload);
            }
        }
    }
}

#[testkit::check]
#[test]
fn handles_take_the_shards_round_robin() {
    let counter = ShardedCounter::new(3);
    let got: Vec<usize> = (0..7).map(|_| counter.handle().shard()).collect();
    assert_eq!(
        got,
        [0, 1, 2, 0, 1, 2, 0],
        "seven handles from ShardedCounter::new(3) should be on shards 0, 1, 2, 0, 1, 2, 0"
    );
}

#[testkit::check]
#[test]
fn a_handle_adds_to_its_own_shard_only() {
    let counter = ShardedCounter::new(3);
    let handles: Vec<_> = (0..3).map(|_| counter.handle()).collect();
    handles[1].add(5);
    handles[1].add(6);
    assert_eq!(
        shard_values(&counter),
        [0, 11, 0],
        "add(5) and add(6) through the handle on shard 1 should change shard 1 only"
    );
    handles[2].add(1);
    assert_eq!(
        shard_values(&counter),
        [0, 11, 1],
        "then add(1) through the handle on shard 2 should change shard 2 only"
    );
}

#[testkit::check]
#[rstest]
#[case::one_shard(1)]
#[case::two_shards(2)]
#[case::five_shards(5)]
#[case::sixteen_shards(16)]
fn the_sum_counts_every_shard(#[case] shards: usize) {
    let counter = ShardedCounter::new(shards);
    for i in 0..shards as u64 {
        counter.handle().add(i + 1);
    }
    let want = (1..=shards as u64).sum::<u64>();
    assert_eq!(
        counter.sum(),
        want,
        "ShardedCounter::new({shards}) with 1, 2, .., {shards} added to shards 0, 1, .., {} \
         (shard values {:?})",
        shards - 1,
        shard_values(&counter)
    );
}

#[testkit::check]
#[test]
fn handles_on_a_shared_shard_both_count() {
    let counter = ShardedCounter::new(1);
    let (first, second) = (counter.handle(), counter.handle());
    first.add(2);
    second.add(3);
    assert_eq!(
        (first.shard(), second.shard(), counter.sum()),
        (0, 0, 5),
        "two handles on the one shard of ShardedCounter::new(1), adding 2 and 3 \
         (shard, shard, sum)"
    );
}

#[testkit::check]
#[test]
fn the_sum_wraps_around_at_u64_max() {
    let counter = ShardedCounter::new(2);
    let (first, second) = (counter.handle(), counter.handle());
    first.add(u64::MAX);
    second.add(2);
    assert_eq!(
        counter.sum(),
        1,
        "u64::MAX on shard 0 and 2 on shard 1 should sum to 1 (wrapping, as fetch_add does), \
         not panic"
    );
    first.add(1);
    assert_eq!(
        shard_values(&counter),
        [0, 2],
        "u64::MAX + 1 on shard 0 should wrap to 0"
    );
}
