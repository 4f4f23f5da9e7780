//! Compare-and-swap loops: a counter that never loses an update, an add that respects a bound,
//! `fetch_max`, and an id allocator that never wraps.
//!
//! Every operation here has the same shape: read the current value, compute the new one, and
//! install it with `compare_exchange_weak` only if nobody changed the value in between;
//! otherwise retry with the value the failed CAS handed back.

use sync_shim::atomic::AtomicU64;
use sync_shim::atomic::Ordering::{AcqRel, Acquire, Relaxed};
use sync_shim::hint::spin_loop;

/// A `u64` counter whose every update is a compare-and-swap loop.
///
/// `fetch_add` can only add unconditionally. The moment an update depends on the current value
/// (stay under a bound, keep the larger of two values, stop at the end of a range) you need the
/// CAS loop, and a counter is the smallest place to learn it.
///
/// # Examples
///
/// ```
/// use cas_counter::Counter;
///
/// let hits = Counter::new(0);
/// assert_eq!(hits.increment(), 0);
/// assert_eq!(hits.add_bounded(5, 10), Ok(1));
/// assert_eq!(hits.add_bounded(5, 10), Err(6));
/// assert_eq!(hits.fetch_max(3), 6);
/// assert_eq!(hits.get(), 6);
/// ```
///
/// # Ordering
///
/// The counter doubles as a publication point: every change is a Release and every value an
/// operation returns was read with Acquire. A thread that writes some data and then changes the
/// counter makes that data visible to any thread that reads the new value (or a later one).
#[derive(Debug)]
pub struct Counter {
    /// The count itself. It is the whole state, so one successful CAS is one whole update.
    value: AtomicU64,
}

impl Counter {
    /// A counter holding `initial`.
    pub fn new(initial: u64) -> Self {
        Self {
            value: AtomicU64::new(initial),
        }
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        // Acquire: pairs with the Release of the change that wrote this value; publishes what
        // that writer did before it.
        self.value.load(Acquire)
    }

    /// Adds 1 and returns the previous value. At `u64::MAX` it wraps to 0, as `fetch_add` does.
    ///
    /// Written as a CAS loop on purpose: in real code `fetch_add(1)` is the right tool here.
    pub fn increment(&self) -> u64 {
        // Relaxed: only a guess; the CAS below checks it, and its ordering does the syncing.
        let mut current = self.value.load(Relaxed);
        loop {
            // AcqRel on success: Release pairs with the Acquire of later readers and publishes
            // our earlier writes; Acquire pairs with the Release of the change we replace.
            // Relaxed on failure: the value handed back is only our next guess.
            match self.value.compare_exchange_weak(
                current,
                current.wrapping_add(1),
                AcqRel,
                Relaxed,
            ) {
                Ok(previous) => return previous,
                Err(actual) => {
                    current = actual;
                    // Another thread won this round: back off for a moment before retrying.
                    spin_loop();
                }
            }
        }
    }

    /// Adds `n` only if the result stays at or below `max`.
    ///
    /// Returns `Ok(previous)` when it added, and `Err(current)` (changing nothing) when
    /// `current + n` would exceed `max` or overflow `u64`. With `n == 0` it succeeds exactly
    /// when the current value is at most `max`.
    pub fn add_bounded(&self, n: u64, max: u64) -> Result<u64, u64> {
        // Acquire: pairs with the Release of the change that wrote this value; it may be
        // returned as `Err(current)`, which carries what that writer published.
        let mut current = self.value.load(Acquire);
        loop {
            // Check the bound against the value we are about to replace, on every attempt.
            let next = match current.checked_add(n) {
                Some(next) if next <= max => next,
                _ => return Err(current),
            };
            // AcqRel on success: publishes our earlier writes, acquires the replaced change's.
            // Acquire on failure: the value handed back may become our `Err(current)`.
            match self
                .value
                .compare_exchange_weak(current, next, AcqRel, Acquire)
            {
                Ok(previous) => return Ok(previous),
                Err(actual) => {
                    current = actual;
                    spin_loop();
                }
            }
        }
    }

    /// Raises the value to `v` if `v` is larger, and returns the previous value, like
    /// [`AtomicU64::fetch_max`](std::sync::atomic::AtomicU64::fetch_max).
    ///
    /// When `v` is not larger nothing is written.
    pub fn fetch_max(&self, v: u64) -> u64 {
        // Acquire: pairs with the Release of the change that wrote this value; it is returned
        // as is when `v` is not larger.
        let mut current = self.value.load(Acquire);
        while current < v {
            // AcqRel on success: publishes our earlier writes, acquires the replaced change's.
            // Acquire on failure: the value handed back may be the one we return.
            match self
                .value
                .compare_exchange_weak(current, v, AcqRel, Acquire)
            {
                Ok(previous) => return previous,
                Err(actual) => {
                    current = actual;
                    spin_loop();
                }
            }
        }
        current
    }
}

impl Default for Counter {
    /// A counter holding 0.
    fn default() -> Self {
        Self::new(0)
    }
}

/// Hands out the ids of a range, each exactly once, then `None` forever.
///
/// The naive allocator, `next.fetch_add(1)`, keeps adding after the range is used up; near the
/// top of `u64` it wraps to 0 and hands out ids again. A CAS loop refuses to move past the end,
/// so the allocator never overflows however often it is asked.
///
/// # Examples
///
/// ```
/// use cas_counter::IdAllocator;
///
/// let ids = IdAllocator::new(u64::MAX - 2..u64::MAX);
/// assert_eq!(ids.allocate(), Some(u64::MAX - 2));
/// assert_eq!(ids.allocate(), Some(u64::MAX - 1));
/// assert_eq!(ids.allocate(), None);
/// assert_eq!(ids.allocate(), None);
/// ```
#[derive(Debug)]
pub struct IdAllocator {
    /// The next id to hand out. Never above `end`; equal to `end` once the range is used up.
    next: AtomicU64,
    /// One past the last id (the range is half-open).
    end: u64,
}

impl IdAllocator {
    /// An allocator for the ids `range.start..range.end`. An empty range (`start >= end`)
    /// hands out nothing. `u64::MAX` itself is never an id, so it is free to use as a sentinel.
    pub fn new(range: std::ops::Range<u64>) -> Self {
        Self {
            next: AtomicU64::new(range.start.min(range.end)),
            end: range.end,
        }
    }

    /// The next unused id, or `None` once the range is used up. Called from one thread, ids
    /// come out in increasing order; from many, each id still comes out at most once.
    pub fn allocate(&self) -> Option<u64> {
        // Relaxed throughout: an id publishes no other memory, and uniqueness needs no
        // ordering, only that each CAS is one atomic step on `next`.
        let mut next = self.next.load(Relaxed);
        loop {
            if next >= self.end {
                return None;
            }
            // `next < end`, so `next + 1` cannot overflow.
            match self
                .next
                .compare_exchange_weak(next, next + 1, Relaxed, Relaxed)
            {
                Ok(id) => return Some(id),
                Err(actual) => {
                    next = actual;
                    spin_loop();
                }
            }
        }
    }
}
