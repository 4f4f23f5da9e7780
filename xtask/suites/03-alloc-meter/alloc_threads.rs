//! Threads: a measurement counts only the thread that runs it, even while other threads
//! allocate or measure at the same moment.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

use alloc_meter::{Stats, measure};

// The learner's `Meter` is the global allocator of the whole suite binary: it is declared
// once, in alloc_growth.rs.

/// A one-way signal between threads; waiting on it never allocates.
#[derive(Clone, Default)]
struct Flag(Arc<AtomicBool>);

impl Flag {
    fn raise(&self) {
        // Release pairs with the Acquire load in `is_up`; publishes everything done before.
        self.0.store(true, Ordering::Release);
    }

    fn is_up(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Raises its flag when dropped, so a waiting thread learns that this one is gone even if it
/// panicked.
struct RaiseOnDrop(Flag);

impl Drop for RaiseOnDrop {
    fn drop(&mut self) {
        self.0.raise();
    }
}

/// `n` boxes of a u64, each dropped at once.
fn boxes(n: u64) {
    for i in 0..n {
        drop(black_box(Box::new(i)));
    }
}

#[testkit::check]
#[test]
fn another_threads_allocations_are_not_counted() {
    let main_is_measuring = Flag::default();
    let main_is_gone = Flag::default();
    let helper_is_done = Flag::default();
    let helper = {
        let (measuring, gone, done) = (
            main_is_measuring.clone(),
            main_is_gone.clone(),
            helper_is_done.clone(),
        );
        thread::spawn(move || {
            let _done = RaiseOnDrop(done);
            while !measuring.is_up() {
                if gone.is_up() {
                    return None;
                }
                thread::yield_now();
            }
            // While the main thread measures: 100 boxes unmeasured, 50 measured.
            boxes(100);
            let ((), theirs) = measure(|| boxes(50));
            Some(theirs)
        })
    };
    let _gone = RaiseOnDrop(main_is_gone);
    let ((), ours) = measure(|| {
        main_is_measuring.raise();
        while !helper_is_done.is_up() {
            thread::yield_now();
        }
    });
    let theirs = match helper.join() {
        Ok(theirs) => theirs.expect("the helper ran while the main thread measured"),
        Err(panic) => std::panic::resume_unwind(panic),
    };
    assert_eq!(
        ours,
        Stats::default(),
        "the main thread allocated nothing while another thread made 150 boxes (50 of them \
         measured there), so its measurement must be all zeros; got {ours:?}"
    );
    let fifty = Stats {
        allocs: 50,
        deallocs: 50,
        bytes_allocated: 400,
        bytes_freed: 400,
        peak_bytes: 8,
        ..Stats::default()
    };
    assert_eq!(
        theirs, fifty,
        "the helper's own measurement of 50 boxes, made and dropped one at a time, sees exactly \
         those; expected {fifty:?}, got {theirs:?}"
    );
}

#[testkit::check]
#[test]
fn threads_measuring_at_once_each_see_only_their_own_work() {
    const THREADS: u64 = 4;
    let entered = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    // Thread `n` (the test's own thread is 1) makes `10 * n` boxes inside its measurement.
    let work = move |n: u64| {
        let ((), stats) = measure(|| {
            // Every thread is inside `measure` before any allocates, and stays inside until
            // all are done: the measurements overlap completely.
            wait_for_all(&entered, THREADS);
            boxes(n * 10);
            wait_for_all(&finished, THREADS);
        });
        stats
    };
    let helpers: Vec<_> = (2..=THREADS)
        .map(|n| {
            let work = work.clone();
            thread::spawn(move || (n, work(n)))
        })
        .collect();
    let mut results = vec![(1, work(1))];
    for helper in helpers {
        match helper.join() {
            Ok(result) => results.push(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    for (n, got) in results {
        let expected = Stats {
            allocs: n * 10,
            deallocs: n * 10,
            bytes_allocated: n * 80,
            bytes_freed: n * 80,
            peak_bytes: 8,
            ..Stats::default()
        };
        assert_eq!(
            got,
            expected,
            "thread {n} of {THREADS} made {} boxes while the others measured their own; it must \
             see only its own: expected {expected:?}, got {got:?}",
            n * 10
        );
    }
}

/// Arrives at `count` and waits until `threads` threads have arrived; never allocates.
fn wait_for_all(count: &AtomicUsize, threads: u64) {
    // AcqRel: the increment publishes this thread's arrival to the Acquire loads below.
    count.fetch_add(1, Ordering::AcqRel);
    while (count.load(Ordering::Acquire) as u64) < threads {
        thread::yield_now();
    }
}
