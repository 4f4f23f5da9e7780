//! A counting global allocator that counts per thread.
//!
//! A `#[global_allocator]` is per binary, and a kata's suite is one binary: one suite file
//! declares it, for all of them:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: testkit::alloc::CountingAlloc = testkit::alloc::CountingAlloc;
//!
//! #[test]
//! fn get_does_not_allocate_in_steady_state() {
//!     let (_, stats) = testkit::alloc::measure(|| std::hint::black_box(Box::new(1u8)));
//!     assert_eq!(stats.allocs, 1);
//! }
//! ```
//!
//! The counts are an [`AllocatorStats`] (also reachable as [`Stats`]): named apart from the
//! `Stats` a kata may define (the object pool has one), so a message that prints both never
//! shows two different `Stats { .. }`.
//!
//! Counts are per thread and only taken inside [`measure`], so the test harness's own threads
//! (and other tests) never pollute a measurement. Build in debug, and pass values through
//! [`std::hint::black_box`] where the optimizer could otherwise remove an allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

/// What happened on one thread during a [`measure`] call: calls to the allocator, as
/// opposed to any `Stats` of the code under test.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AllocatorStats {
    /// Calls to `alloc` / `alloc_zeroed`.
    pub allocs: u64,
    /// Calls to `dealloc`.
    pub deallocs: u64,
    /// Calls to `realloc` (each counted once, not as an alloc plus a dealloc).
    pub reallocs: u64,
    /// Bytes requested by `alloc`, `alloc_zeroed` and the growth part of `realloc`.
    pub bytes: u64,
}

/// The name suites used first; prints as `AllocatorStats { .. }`.
pub type Stats = AllocatorStats;

impl AllocatorStats {
    /// Allocations of any kind: `allocs + reallocs`. Zero means the code never asked the heap
    /// for memory.
    pub fn total(&self) -> u64 {
        self.allocs + self.reallocs
    }
}

thread_local! {
    // Const-initialized `Cell`s with no destructor: reading them never allocates, so the
    // allocator may use them from inside `alloc` without recursing.
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static DEALLOCS: Cell<u64> = const { Cell::new(0) };
    static REALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn bump(counter: &'static std::thread::LocalKey<Cell<u64>>, by: u64) {
    // `try_with`: during thread teardown the slot may be gone; such calls are not counted.
    let _ = ACTIVE.try_with(|active| {
        if active.get() {
            let _ = counter.try_with(|c| c.set(c.get() + by));
        }
    });
}

/// The system allocator, counting the calls made by the current thread while [`measure`] runs.
#[derive(Debug, Default, Clone, Copy)]
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; counting
// touches only const-initialized thread-locals, which never allocate.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCS, 1);
        bump(&BYTES, layout.size() as u64);
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCS, 1);
        bump(&BYTES, layout.size() as u64);
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(&DEALLOCS, 1);
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(&REALLOCS, 1);
        bump(&BYTES, new_size.saturating_sub(layout.size()) as u64);
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn snapshot() -> AllocatorStats {
    AllocatorStats {
        allocs: ALLOCS.with(Cell::get),
        deallocs: DEALLOCS.with(Cell::get),
        reallocs: REALLOCS.with(Cell::get),
        bytes: BYTES.with(Cell::get),
    }
}

/// Runs `f` on the current thread and returns its result with the allocations it made.
///
/// Only the current thread is counted. Nested calls work: the inner call sees its own work,
/// the outer call sees both. Meaningful only in a binary whose `#[global_allocator]` is
/// [`CountingAlloc`]; elsewhere every count is zero.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, AllocatorStats) {
    let was_active = ACTIVE.with(|a| a.replace(true));
    let before = snapshot();
    let result = f();
    let after = snapshot();
    ACTIVE.with(|a| a.set(was_active));
    let stats = AllocatorStats {
        allocs: after.allocs - before.allocs,
        deallocs: after.deallocs - before.deallocs,
        reallocs: after.reallocs - before.reallocs,
        bytes: after.bytes - before.bytes,
    };
    (result, stats)
}

/// Set once a check has started (by [`crate::proof::Proof::take`]).
static ARMED: AtomicBool = AtomicBool::new(false);

/// Lets every [`Gated`] allocator hand over to the allocator it wraps.
pub(crate) fn arm() {
    // Release pairs with the Acquire load in `Gated::pick`; nothing else is published.
    ARMED.store(true, Ordering::Release);
}

/// A `#[global_allocator]` made of code under test, held back until a check starts.
///
/// An allocator runs before `main`, so an allocator written by the learner would run before
/// the check has taken the grader's secret (see [`crate::proof`]). `Gated` serves every
/// request from [`System`] until the first check starts, then forwards to `A`. `A` must be
/// a wrapper of `System` itself, since memory allocated before the switch is freed through it.
///
/// ```ignore
/// #[global_allocator]
/// static METER: testkit::alloc::Gated<alloc_meter::Meter> = testkit::alloc::Gated::new(alloc_meter::Meter);
/// ```
#[derive(Debug)]
pub struct Gated<A>(A);

impl<A> Gated<A> {
    /// Wraps `inner`.
    pub const fn new(inner: A) -> Self {
        Self(inner)
    }
}

impl<A: GlobalAlloc> Gated<A> {
    fn armed(&self) -> bool {
        // Acquire pairs with the Release store in `arm`.
        ARMED.load(Ordering::Acquire)
    }
}

// SAFETY: every method forwards, unchanged, to `System` before the switch and to `A` after;
// `A` allocates from `System` too (documented requirement), so either may free the other's.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Gated<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded from our caller, who upholds the contract.
        unsafe {
            if self.armed() {
                self.0.alloc(layout)
            } else {
                System.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded from our caller, who upholds the contract.
        unsafe {
            if self.armed() {
                self.0.alloc_zeroed(layout)
            } else {
                System.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded from our caller, who upholds the contract.
        unsafe {
            if self.armed() {
                self.0.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded from our caller, who upholds the contract.
        unsafe {
            if self.armed() {
                self.0.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocator_stats_are_named_apart_from_a_katas_stats() {
        // A pool's `Stats { hits: .. }` and these counts can meet in one message.
        let shown = format!("{:?}", Stats::default());
        assert!(shown.starts_with("AllocatorStats {"), "{shown}");
    }
}
