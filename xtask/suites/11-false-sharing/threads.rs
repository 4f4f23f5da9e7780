//! Real threads on real hardware: handles taken at the same moment, adds under contention.
//! (The loom models explore every interleaving; these run one, on real cores.)

use std::panic::resume_unwind;
use std::sync::Barrier;
use std::thread;

use false_sharing::ShardedCounter;

/// Runs `work` on `threads` threads that start together, and returns their results in
/// thread order. A panic in a thread is passed on unchanged, so the report shows its message.
fn together<T: Send>(threads: usize, work: impl Fn() -> T + Sync) -> Vec<T> {
    let barrier = Barrier::new(threads);
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    work()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| resume_unwind(e)))
            .collect()
    })
}

#[testkit::check]
#[test]
fn two_threads_never_share_a_shard() {
    let counter = ShardedCounter::new(2);
    let shards = together(2, || {
        let handle = counter.handle();
        handle.add(1);
        handle.shard()
    });
    assert_ne!(
        shards[0], shards[1],
        "two threads that each took a handle from ShardedCounter::new(2) at the same moment \
         both got shard {}",
        shards[0]
    );
}

#[testkit::check]
#[test]
fn as_many_threads_as_shards_take_every_shard_once() {
    let counter = ShardedCounter::new(4);
    let mut shards = together(4, || counter.handle().shard());
    shards.sort_unstable();
    assert_eq!(
        shards,
        [0, 1, 2, 3],
        "four threads taking a handle each from ShardedCounter::new(4) at the same moment \
         should get shards 0, 1, 2, 3 (sorted)"
    );
}

#[testkit::check]
#[test]
fn concurrent_adds_on_their_own_shards_sum_to_the_total() {
    const THREADS: usize = 4;
    const ADDS: u64 = 20_000;
    let counter = ShardedCounter::new(THREADS);
    together(THREADS, || {
        let handle = counter.handle();
        for _ in 0..ADDS {
            handle.add(1);
        }
    });
    assert_eq!(
        counter.sum(),
        THREADS as u64 * ADDS,
        "{THREADS} threads added 1 {ADDS} times each, on their own shards"
    );
}

#[testkit::check]
#[test]
fn threads_sharing_one_shard_lose_no_add() {
    const THREADS: usize = 4;
    const ADDS: u64 = 20_000;
    let counter = ShardedCounter::new(1);
    together(THREADS, || {
        let handle = counter.handle();
        for _ in 0..ADDS {
            handle.add(1);
        }
    });
    assert_eq!(
        counter.sum(),
        THREADS as u64 * ADDS,
        "{THREADS} threads added 1 {ADDS} times each, all on the one shard of \
         ShardedCounter::new(1): an add must be one read-modify-write"
    );
}
