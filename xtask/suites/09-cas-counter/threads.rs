//! Real threads on real hardware: a quick check that nothing is lost under contention.
//! (The loom models explore every interleaving; these run one, many times over.)

use cas_counter::{Counter, IdAllocator};
use std::sync::Arc;
use std::thread;

const THREADS: usize = 4;
const OPS: u64 = 5_000;

/// Runs `work(index)` on `THREADS` threads, the calling thread included, and collects results.
fn on_threads<T, F>(work: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> T + Send + Sync + 'static,
{
    let work = Arc::new(work);
    let handles: Vec<_> = (1..THREADS)
        .map(|i| {
            let work = Arc::clone(&work);
            thread::spawn(move || work(i))
        })
        .collect();
    let mut results = vec![work(0)];
    for handle in handles {
        results.push(
            handle
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
    }
    results
}

#[testkit::check]
#[test]
fn concurrent_increments_lose_no_update() {
    let counter = Arc::new(Counter::new(0));
    let c = Arc::clone(&counter);
    let results = on_threads(move |_| (0..OPS).map(|_| c.increment()).collect::<Vec<_>>());
    let mut previous: Vec<u64> = results.into_iter().flatten().collect();
    previous.sort_unstable();
    let total = THREADS as u64 * OPS;
    let repeated = previous.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]);
    assert_eq!(
        repeated, None,
        "two increments returned the same previous value: one update overwrote another"
    );
    assert_eq!(
        counter.get(),
        total,
        "{THREADS} threads incremented {OPS} times each"
    );
}

#[testkit::check]
#[test]
fn concurrent_bounded_adds_fill_up_to_the_bound_and_no_further() {
    const MAX: u64 = 3_000;
    let counter = Arc::new(Counter::new(0));
    let c = Arc::clone(&counter);
    let added = on_threads(move |i| {
        let n = 1 + i as u64 % 3; // adds of 1, 2 and 3 race for the last few units
        let mut added = 0;
        loop {
            match c.add_bounded(n, MAX) {
                Ok(_) => added += n,
                Err(current) => {
                    assert!(
                        current + n > MAX,
                        "add_bounded({n}, {MAX}) refused although the counter held {current}"
                    );
                    if current + 1 > MAX {
                        return added;
                    }
                }
            }
        }
    });
    let sum: u64 = added.iter().sum();
    let got = counter.get();
    assert!(
        got <= MAX,
        "the counter reached {got}, above the bound {MAX}"
    );
    assert_eq!(
        got, MAX,
        "every thread added until even +1 was refused, so the counter must sit at the bound {MAX}"
    );
    assert_eq!(
        got, sum,
        "the successful adds sum to {sum} but the counter holds {got}"
    );
}

#[testkit::check]
#[test]
fn concurrent_fetch_max_keeps_the_largest_value() {
    let counter = Arc::new(Counter::new(0));
    let c = Arc::clone(&counter);
    on_threads(move |i| {
        // Each thread offers an interleaved, rising sequence; the largest is THREADS * OPS - 1.
        for k in 0..OPS {
            c.fetch_max(k * THREADS as u64 + i as u64);
        }
    });
    let want = THREADS as u64 * OPS - 1;
    let got = counter.get();
    assert_eq!(
        got, want,
        "the largest value offered was {want}, the counter holds {got}"
    );
}

#[testkit::check]
#[test]
fn concurrent_allocations_hand_out_each_id_once() {
    const IDS: u64 = 10_000;
    let ids = Arc::new(IdAllocator::new(0..IDS));
    let a = Arc::clone(&ids);
    let results = on_threads(move |_| std::iter::from_fn(|| a.allocate()).collect::<Vec<_>>());
    let mut got: Vec<u64> = results.into_iter().flatten().collect();
    got.sort_unstable();
    let want: Vec<u64> = (0..IDS).collect();
    let repeated = got.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]);
    assert_eq!(repeated, None, "an id was handed out twice");
    assert!(
        got == want,
        "{THREADS} threads drained IdAllocator::new(0..{IDS}) and got {} ids; \
         expected each of 0..{IDS} exactly once",
        got.len()
    );
}
