#![cfg(loom)]
//! `IdAllocator` under loom: every interleaving of two threads asking for more ids than exist.

use cas_counter::IdAllocator;
use sync_shim::Arc;
use sync_shim::thread::both;

#[testkit::check]
#[test]
fn concurrent_allocations_hand_out_unique_ids_within_the_range() {
    sync_shim::model(|| {
        // Two ids, four requests, at the very top of u64 where a wrap would show at once.
        let range = u64::MAX - 2..u64::MAX;
        let ids = Arc::new(IdAllocator::new(range.clone()));
        let (a1, a2) = (Arc::clone(&ids), Arc::clone(&ids));
        let (first, second) = both(
            move || [a1.allocate(), a1.allocate()],
            move || [a2.allocate(), a2.allocate()],
        );
        let mut got: Vec<u64> = first.iter().chain(&second).flatten().copied().collect();
        got.sort_unstable();
        assert_eq!(
            got,
            range.clone().collect::<Vec<_>>(),
            "two threads asked IdAllocator::new({range:?}) for two ids each \
             (got {first:?} and {second:?}); each id in the range must come out exactly once"
        );
    });
}
