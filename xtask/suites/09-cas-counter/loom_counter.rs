#![cfg(loom)]
//! `Counter` under loom: every interleaving of two threads, two operations each.

use cas_counter::Counter;
use sync_shim::atomic::AtomicBool;
use sync_shim::atomic::Ordering::Relaxed;
use sync_shim::cell::UnsafeCell;
use sync_shim::thread::both;
use sync_shim::{Arc, thread};

#[testkit::check]
#[test]
fn concurrent_increments_lose_no_update() {
    sync_shim::model(|| {
        let counter = Arc::new(Counter::new(0));
        let (c1, c2) = (Arc::clone(&counter), Arc::clone(&counter));
        let (first, second) = both(
            move || [c1.increment(), c1.increment()],
            move || [c2.increment(), c2.increment()],
        );
        let mut previous = [first, second].concat();
        previous.sort_unstable();
        let got = counter.get();
        assert_eq!(
            (previous.as_slice(), got),
            ([0, 1, 2, 3].as_slice(), 4),
            "four increments from 0 must return 0, 1, 2, 3 (in some order) and leave 4; \
             they returned {first:?} and {second:?} and left {got}"
        );
    });
}

/// The data a writer publishes through the counter. A loom `UnsafeCell`, so loom reports any
/// read that does not happen after the write ("Causality violation"): that is the ordering bug.
struct Payload(UnsafeCell<u64>);

// SAFETY: the models below only read the cell after the counter showed the writer's change,
// which orders the read after the write if the counter keeps its promise; loom checks that.
unsafe impl Sync for Payload {}

impl Payload {
    fn new() -> Arc<Self> {
        Arc::new(Self(UnsafeCell::new(0)))
    }

    fn write(&self) {
        // SAFETY: only the writer thread writes, once, before publishing through the counter.
        self.0.with_mut(|p| unsafe { *p = 42 });
    }

    fn read(&self) -> u64 {
        // SAFETY: called only after the counter showed the writer's change (see `Sync` above).
        self.0.with(|p| unsafe { *p })
    }
}

/// Thread A writes the payload, then changes the counter with `writer`; thread B runs `reader`,
/// which returns `true` when what it got shows A's change, and then reads the payload: under
/// every interleaving, that read must see A's 42 (`what` says why).
fn after_the_writers_change(writer: fn(&Counter), reader: fn(&Counter) -> bool, what: &str) {
    let what = what.to_string();
    sync_shim::model(move || {
        let counter = Arc::new(Counter::new(0));
        let payload = Payload::new();
        let (c1, p1) = (Arc::clone(&counter), Arc::clone(&payload));
        let (c2, p2) = (Arc::clone(&counter), Arc::clone(&payload));
        let ((), got) = both(
            move || {
                p1.write();
                writer(&c1);
            },
            move || reader(&c2).then(|| p2.read()),
        );
        if let Some(got) = got {
            assert_eq!(got, 42, "{what}");
        }
    });
}

#[testkit::check]
#[test]
fn a_reader_that_sees_an_increment_sees_the_writes_before_it() {
    sync_shim::model(|| {
        let counter = Arc::new(Counter::new(0));
        let payload = Payload::new();
        let (c1, p1) = (Arc::clone(&counter), Arc::clone(&payload));
        let (c2, p2) = (Arc::clone(&counter), Arc::clone(&payload));
        let ((), got) = both(
            move || {
                p1.write();
                c1.increment();
            },
            move || {
                // Wait for the increment. A loom "Causality violation" on the read means
                // increment does not Release or get does not Acquire.
                while c2.get() == 0 {
                    thread::yield_now();
                }
                p2.read()
            },
        );
        assert_eq!(
            got, 42,
            "get() saw the increment, so it must see the 42 written before it"
        );
    });
}

#[testkit::check]
#[test]
fn an_increment_that_follows_another_sees_the_writes_before_it() {
    // Returning 1 means this increment replaced the writer's. A loom "Causality violation" on
    // the read means a successful CAS does not Acquire.
    after_the_writers_change(
        |c| {
            c.increment();
        },
        |c| c.increment() == 1,
        "increment() returned 1, so it must see the 42 written before the other increment",
    );
}

#[testkit::check]
#[test]
fn concurrent_bounded_adds_never_exceed_the_bound() {
    const MAX: u64 = 3;
    /// `add_bounded(2, MAX)` then `add_bounded(1, MAX)`; returns what each one added.
    fn adds(counter: &Counter) -> [u64; 2] {
        [2, 1].map(|n| match counter.add_bounded(n, MAX) {
            Ok(_) => n,
            Err(current) => {
                assert!(
                    current + n > MAX,
                    "add_bounded({n}, {MAX}) refused although the counter held {current}"
                );
                0
            }
        })
    }
    sync_shim::model(|| {
        let counter = Arc::new(Counter::new(0));
        let (c1, c2) = (Arc::clone(&counter), Arc::clone(&counter));
        let (first, second) = both(move || adds(&c1), move || adds(&c2));
        let sum: u64 = first.iter().chain(&second).sum();
        let got = counter.get();
        assert!(
            got <= MAX,
            "the counter reached {got}, above the bound {MAX}"
        );
        assert_eq!(
            got, sum,
            "the successful adds sum to {sum} but the counter holds {got}"
        );
    });
}

#[testkit::check]
#[test]
fn concurrent_bounded_adds_that_fit_all_succeed() {
    sync_shim::model(|| {
        let counter = Arc::new(Counter::new(0));
        let (c1, c2) = (Arc::clone(&counter), Arc::clone(&counter));
        // Both fit, whatever the order: a CAS that loses the race must retry, not refuse.
        let (first, second) = both(move || c1.add_bounded(1, 5), move || c2.add_bounded(1, 5));
        assert!(
            first.is_ok() && second.is_ok(),
            "two add_bounded(1, 5) on a counter at 0 both fit, so both must return Ok; got \
             {first:?} and {second:?} (a CAS that lost the race retries with the value it lost to)"
        );
        assert_eq!(counter.get(), 2, "two adds of 1 from 0");
    });
}

#[testkit::check]
#[test]
fn concurrent_fetch_max_ends_at_the_largest_value() {
    sync_shim::model(|| {
        let counter = Arc::new(Counter::new(0));
        let (c1, c2) = (Arc::clone(&counter), Arc::clone(&counter));
        let (first, second) = both(
            move || [c1.fetch_max(3), c1.fetch_max(1)],
            move || [c2.fetch_max(2), c2.fetch_max(4)],
        );
        let got = counter.get();
        assert_eq!(
            got, 4,
            "fetch_max was called with 3, 1 and with 2, 4 (returning {first:?} and {second:?}); \
             the counter must end at 4, got {got}"
        );
    });
}

#[testkit::check]
#[test]
fn a_bounded_add_that_follows_another_sees_the_writes_before_it() {
    // `Ok(1)` means this add replaced the writer's. A loom "Causality violation" on the read
    // means add_bounded's successful CAS does not Release or Acquire.
    after_the_writers_change(
        |c| {
            let _ = c.add_bounded(1, 5);
        },
        |c| c.add_bounded(1, 5) == Ok(1),
        "add_bounded returned Ok(1), so it must see the 42 written before the other add",
    );
}

#[testkit::check]
#[test]
fn a_refused_bounded_add_sees_the_writes_before_the_value_it_returns() {
    sync_shim::model(|| {
        let counter = Arc::new(Counter::new(0));
        let payload = Payload::new();
        let (c1, p1) = (Arc::clone(&counter), Arc::clone(&payload));
        let (c2, p2) = (Arc::clone(&counter), Arc::clone(&payload));
        let (_, got) = both(
            move || {
                p1.write();
                c1.add_bounded(2, 2)
            },
            move || {
                // add_bounded(3, 2) always refuses; wait until it refuses with the writer's 2.
                // A loom "Causality violation" on the read means the refused value was not
                // read with Acquire.
                while c2.add_bounded(3, 2) != Err(2) {
                    thread::yield_now();
                }
                p2.read()
            },
        );
        assert_eq!(
            got, 42,
            "add_bounded returned Err(2), so it must see the 42 written before the add of 2"
        );
    });
}

#[testkit::check]
#[test]
fn a_bounded_add_refused_after_a_lost_race_sees_the_writes_before_the_value_it_returns() {
    // add_bounded(1, 2) fits at 0. When it read 0 and then lost its CAS to the writer's add of
    // 2, the value it lost to leaves no room, and that is the Err(2) it returns: the failed
    // CAS must have read it with Acquire.
    after_the_writers_change(
        |c| {
            let _ = c.add_bounded(2, 2);
        },
        |c| c.add_bounded(1, 2) == Err(2),
        "add_bounded returned Err(2), so it must see the 42 written before the add of 2",
    );
}

#[testkit::check]
#[test]
fn a_fetch_max_that_follows_another_sees_the_writes_before_it() {
    // Returning 1 means this fetch_max replaced the writer's. A loom "Causality violation" on
    // the read means fetch_max's successful CAS does not Release or Acquire.
    after_the_writers_change(
        |c| {
            c.fetch_max(1);
        },
        |c| c.fetch_max(2) == 1,
        "fetch_max(2) returned 1, so it must see the 42 written before fetch_max(1)",
    );
}

#[testkit::check]
#[test]
fn a_fetch_max_that_writes_nothing_sees_the_writes_before_the_value_it_returns() {
    sync_shim::model(|| {
        let counter = Arc::new(Counter::new(0));
        let payload = Payload::new();
        let (c1, p1) = (Arc::clone(&counter), Arc::clone(&payload));
        let (c2, p2) = (Arc::clone(&counter), Arc::clone(&payload));
        let (_, got) = both(
            move || {
                p1.write();
                c1.fetch_max(2)
            },
            move || {
                // fetch_max(1) writes nothing once the writer's 2 is in; wait until it returns
                // 2. A loom "Causality violation" on the read means that value was not read
                // with Acquire.
                while c2.fetch_max(1) != 2 {
                    thread::yield_now();
                }
                p2.read()
            },
        );
        assert_eq!(
            got, 42,
            "fetch_max(1) returned 2, so it must see the 42 written before fetch_max(2)"
        );
    });
}

/// Thread A writes the payload, then `add_bounded(0, 5)`: a change that writes 0 over 0, then
/// raises a flag with Relaxed (no ordering of its own). Thread B waits for the flag and runs
/// `op`, which succeeds by replacing A's change. B's first load may still read the older 0, so
/// only the successful CAS itself can acquire A's change: that is what `op` returning `true`
/// followed by the read checks.
fn replacing_a_same_value_change_acquires_it(op: fn(&Counter) -> bool, what: &'static str) {
    sync_shim::model(move || {
        let counter = Arc::new(Counter::new(0));
        let payload = Payload::new();
        let flag = Arc::new(AtomicBool::new(false));
        let (c1, p1, f1) = (
            Arc::clone(&counter),
            Arc::clone(&payload),
            Arc::clone(&flag),
        );
        let (c2, p2, f2) = (
            Arc::clone(&counter),
            Arc::clone(&payload),
            Arc::clone(&flag),
        );
        let (_, got) = both(
            move || {
                p1.write();
                assert_eq!(c1.add_bounded(0, 5), Ok(0), "add_bounded(0, 5) on 0");
                // Relaxed on purpose: the flag must not order anything itself.
                f1.store(true, Relaxed);
            },
            move || {
                while !f2.load(Relaxed) {
                    thread::yield_now();
                }
                op(&c2).then(|| p2.read())
            },
        );
        if let Some(got) = got {
            assert_eq!(
                got, 42,
                "{what} replaced the other thread's add_bounded(0, 5), so it must see the 42 \
                 written before it"
            );
        }
    });
}

#[testkit::check]
#[test]
fn a_successful_bounded_add_acquires_the_change_it_replaces_even_of_the_same_value() {
    replacing_a_same_value_change_acquires_it(
        |c| c.add_bounded(1, 5) == Ok(0),
        "add_bounded(1, 5) returned Ok(0): it",
    );
}

#[testkit::check]
#[test]
fn a_fetch_max_that_writes_acquires_the_change_it_replaces_even_of_the_same_value() {
    replacing_a_same_value_change_acquires_it(
        |c| c.fetch_max(1) == 0,
        "fetch_max(1) returned 0: it",
    );
}
