#![cfg(loom)]
//! `ShardedCounter` under loom: every interleaving of two threads, two adds each.

use false_sharing::ShardedCounter;
use sync_shim::Arc;
use sync_shim::thread::both;

/// Takes a handle and adds `first`, then `second`, through it; returns the handle's shard.
fn add_twice(counter: &ShardedCounter, first: u64, second: u64) -> usize {
    let handle = counter.handle();
    handle.add(first);
    handle.add(second);
    handle.shard()
}

#[testkit::check]
#[test]
fn handles_taken_at_once_get_distinct_shards() {
    sync_shim::model(|| {
        let counter = Arc::new(ShardedCounter::new(2));
        let (c1, c2) = (Arc::clone(&counter), Arc::clone(&counter));
        let (first, second) = both(move || c1.handle().shard(), move || c2.handle().shard());
        assert_ne!(
            first, second,
            "two threads took a handle from ShardedCounter::new(2) at the same time and both \
             got shard {first}: the ticket must be taken in one atomic step"
        );
    });
}

#[testkit::check]
#[test]
fn concurrent_adds_on_their_own_shards_sum_to_the_total() {
    sync_shim::model(|| {
        let counter = Arc::new(ShardedCounter::new(2));
        let (c1, c2) = (Arc::clone(&counter), Arc::clone(&counter));
        let (first, second) = both(move || add_twice(&c1, 1, 2), move || add_twice(&c2, 10, 20));
        let got = counter.sum();
        assert_eq!(
            got, 33,
            "threads on shards {first} and {second} of ShardedCounter::new(2) added 1, 2 and \
             10, 20; after both joined the sum should be 33, got {got}"
        );
    });
}

#[testkit::check]
#[test]
fn concurrent_adds_on_a_shared_shard_lose_nothing() {
    sync_shim::model(|| {
        let counter = Arc::new(ShardedCounter::new(1));
        let (c1, c2) = (Arc::clone(&counter), Arc::clone(&counter));
        both(move || add_twice(&c1, 1, 2), move || add_twice(&c2, 10, 20));
        let got = counter.sum();
        assert_eq!(
            got, 33,
            "two threads shared the one shard of ShardedCounter::new(1) and added 1, 2 and \
             10, 20; after both joined the sum should be 33, got {got} (an add must be one \
             read-modify-write, not a load and a store)"
        );
    });
}
