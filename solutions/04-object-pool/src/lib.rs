//! An object pool modelled on Go's `sync.Pool`, whose guard resets and returns what it hands out.
//!
//! Go code recycles `Order` and `Trade` objects through `sync.Pool` so the garbage collector
//! has less to collect. Rust has no collector, but every `Box::new` is still a trip to the
//! allocator, and a pool still spares it. Here the "Put" is the drop of a [`Pooled`] guard, so
//! forgetting to give an object back, or to reset it first, cannot happen.
//!
//! ```
//! use object_pool::Pool;
//!
//! let pool = Pool::new(4, || Vec::<u8>::with_capacity(256));
//! {
//!     let mut buf = pool.get(); // made by the factory: the pool was empty
//!     buf.extend_from_slice(b"BUY 100 @ 42.17");
//! } // dropped: cleared by `Reset`, then back in the pool
//! let buf = pool.get(); // the same buffer, empty, capacity kept
//! assert!(buf.is_empty() && buf.capacity() >= 256);
//! assert_eq!(pool.stats().created, 1);
//! ```

use std::fmt;
use std::mem::{self, ManuallyDrop};
use std::ops::{Deref, DerefMut};
use std::sync::PoisonError;

use sync_shim::{Mutex, MutexGuard};

/// Puts an object back into its freshly made state, so the next user sees no trace of the
/// last one.
///
/// Keep the allocations (`Vec::clear`, not `Vec::new`): reusing them is the point of a pool.
/// `reset` runs inside a guard's `drop`, possibly during a panic, so it must not panic.
pub trait Reset {
    /// Clears the object's contents, keeping its allocations.
    fn reset(&mut self);
}

impl<T> Reset for Vec<T> {
    fn reset(&mut self) {
        self.clear();
    }
}

impl Reset for String {
    fn reset(&mut self) {
        self.clear();
    }
}

/// What a pool has done since it was made, and what it holds now.
///
/// Every field is exact, taken under the pool's lock. At any moment
/// `created == in_use + idle + victim + detached + dropped_at_cap + dropped_by_gc`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Calls to [`Pool::get`] served by an idle object (from the primary list or the victim
    /// cache).
    pub hits: u64,
    /// Calls to [`Pool::get`] that found both idle lists empty and called the factory.
    pub created: u64,
    /// Guards dropped whose object went back into the primary list.
    pub returned: u64,
    /// Guards dropped whose object was dropped because the primary list was full.
    pub dropped_at_cap: u64,
    /// Guards consumed by [`Pooled::detach`].
    pub detached: u64,
    /// Idle objects dropped by [`Pool::gc`] (the victim cache it found).
    pub dropped_by_gc: u64,
    /// Guards alive now.
    pub in_use: usize,
    /// Objects in the primary list now.
    pub idle: usize,
    /// Objects in the victim cache now.
    pub victim: usize,
}

/// Idle objects and counts, all behind one lock.
struct State<T> {
    /// Objects returned since the last `gc`. A stack: the last one returned is the first one
    /// handed out, still warm in cache. Capacity `max_idle`, reserved up front.
    primary: Vec<T>,
    /// The primary list as it was at the last `gc`; dropped by the next one.
    victim: Vec<T>,
    /// Event counts; `idle` and `victim` are filled in from the lists by `Pool::stats`.
    counts: Stats,
}

/// A thread-safe pool of reusable `T`s, with at most `max_idle` idle objects in its primary
/// list and a victim cache that [`gc`](Pool::gc) fills and empties, as Go's `sync.Pool` does.
///
/// [`get`](Pool::get) hands out a [`Pooled`] guard. Dropping the guard resets the object and
/// returns it to the pool (even while a panic unwinds), unless the primary list is full, in
/// which case the object is dropped. Once warm, a get and a return never allocate.
///
/// # Examples
///
/// ```
/// use object_pool::{Pool, Reset};
///
/// #[derive(Default)]
/// struct Order { id: u64, notes: String }
///
/// impl Reset for Order {
///     fn reset(&mut self) {
///         self.id = 0;
///         self.notes.clear();
///     }
/// }
///
/// let pool = Pool::new(2, Order::default);
/// let mut order = pool.get();
/// order.id = 7;
/// order.notes.push_str("iceberg");
/// drop(order);
///
/// pool.gc(); // the idle order moves to the victim cache...
/// assert_eq!(pool.get().id, 0); // ...and is still there, reset
/// assert_eq!(pool.stats().hits, 1);
/// ```
pub struct Pool<T: Reset> {
    max_idle: usize,
    factory: Box<dyn Fn() -> T + Send + Sync>,
    state: Mutex<State<T>>,
}

impl<T: Reset> Pool<T> {
    /// A pool that keeps at most `max_idle` returned objects and makes new ones with
    /// `factory` when it has none.
    ///
    /// Both idle lists reserve room for `max_idle` objects now, so returns never allocate.
    /// `max_idle == 0` makes a pool that keeps nothing.
    pub fn new(max_idle: usize, factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self {
            max_idle,
            factory: Box::new(factory),
            state: Mutex::new(State {
                primary: Vec::with_capacity(max_idle),
                victim: Vec::with_capacity(max_idle),
                counts: Stats::default(),
            }),
        }
    }

    /// The most objects the primary list keeps.
    pub fn max_idle(&self) -> usize {
        self.max_idle
    }

    /// Hands out an object: the last one returned to the primary list, else the last one in
    /// the victim cache, else a new one from the factory.
    ///
    /// A recycled object was reset when it came back; a new one is exactly what the factory
    /// made. The factory runs outside the pool's lock. If it panics, the panic propagates and
    /// nothing is counted: `stats()` is as before and the pool stays usable.
    pub fn get(&self) -> Pooled<'_, T> {
        let recycled = {
            let mut state = self.lock();
            let recycled = match state.primary.pop() {
                Some(value) => Some(value),
                None => state.victim.pop(),
            };
            if recycled.is_some() {
                state.counts.hits += 1;
                state.counts.in_use += 1;
            }
            recycled
        };
        let value = recycled.unwrap_or_else(|| {
            // Making an object may be slow and may allocate: do it unlocked, and count it
            // only once it exists, so a panicking factory leaves the counts exact.
            let value = (self.factory)();
            let mut state = self.lock();
            state.counts.created += 1;
            state.counts.in_use += 1;
            value
        });
        Pooled {
            pool: self,
            value: ManuallyDrop::new(value),
        }
    }

    /// Go's per-cycle cleanup: drops the victim cache and demotes the primary list to be the
    /// new victim cache.
    ///
    /// An idle object therefore survives one `gc` (a later `get` still finds it) and is
    /// dropped by the second. Objects in use are not affected. This is the cold path: it
    /// allocates the new, empty primary list (capacity `max_idle`) and drops the old victims
    /// outside the lock.
    pub fn gc(&self) {
        let fresh = Vec::with_capacity(self.max_idle);
        let dead = {
            let mut state = self.lock();
            let demoted = mem::replace(&mut state.primary, fresh);
            let dead = mem::replace(&mut state.victim, demoted);
            state.counts.dropped_by_gc += dead.len() as u64;
            dead
        };
        drop(dead);
    }

    /// A snapshot of the counts and of the idle lists' lengths.
    pub fn stats(&self) -> Stats {
        let state = self.lock();
        Stats {
            idle: state.primary.len(),
            victim: state.victim.len(),
            ..state.counts
        }
    }

    /// Takes back a reset object. Returns it when the primary list is full, so the caller
    /// drops it after the lock is released.
    fn put(&self, value: T) -> Option<T> {
        let mut state = self.lock();
        state.counts.in_use -= 1;
        if state.primary.len() < self.max_idle {
            // Within the capacity reserved in `new`/`gc`: never reallocates.
            state.primary.push(value);
            state.counts.returned += 1;
            None
        } else {
            state.counts.dropped_at_cap += 1;
            Some(value)
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // No user code (factory, reset, drop) runs under this lock and nothing under it can
        // panic, so it is never poisoned; recovering keeps a guard's drop panic-free anyway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Reset> fmt::Debug for Pool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("max_idle", &self.max_idle)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// An object on loan from a [`Pool`]; derefs to `T`.
///
/// Dropping it calls [`Reset::reset`] and gives the object back, also when the drop happens
/// while a panic unwinds. [`detach`](Pooled::detach) keeps the object instead. If `reset`
/// itself panics, the object is dropped instead of returned, and the guard no longer counts
/// in [`Stats::in_use`] (no other count changes).
///
/// `Pool<T>` is `Send` and `Sync` exactly when `T` is `Send` (like a `Mutex<T>`); a guard is
/// `Send` when `T` is `Send`, and `Sync` when `T` is `Send + Sync` (it is a `&Pool<T>` plus
/// a `T`).
pub struct Pooled<'a, T: Reset> {
    pool: &'a Pool<T>,
    /// Taken out exactly once: by `drop` or by `detach`, never both.
    value: ManuallyDrop<T>,
}

impl<T: Reset> Pooled<'_, T> {
    /// Takes the object out of the pool for good: it is neither reset nor returned, and the
    /// pool counts it in [`Stats::detached`].
    ///
    /// ```
    /// use object_pool::Pool;
    ///
    /// let pool = Pool::new(1, String::new);
    /// let mut name = pool.get();
    /// name.push_str("kept");
    /// let name: String = name.detach();
    /// assert_eq!(name, "kept");
    /// assert_eq!(pool.stats().idle, 0);
    /// ```
    pub fn detach(self) -> T {
        // Never dropped, so `drop` cannot reset or return the value we take below.
        let mut this = ManuallyDrop::new(self);
        {
            let mut state = this.pool.lock();
            state.counts.in_use -= 1;
            state.counts.detached += 1;
        }
        // SAFETY: `this` is never dropped and this is the only take, so `value` is moved out
        // exactly once and never used again.
        unsafe { ManuallyDrop::take(&mut this.value) }
    }
}

impl<T: Reset> Deref for Pooled<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Reset> DerefMut for Pooled<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: Reset + fmt::Debug> fmt::Debug for Pooled<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pooled").field(&*self.value).finish()
    }
}

impl<T: Reset> Drop for Pooled<'_, T> {
    fn drop(&mut self) {
        // SAFETY: `drop` runs once, `detach` forgets the guard instead of dropping it, and
        // `value` is not touched after this take.
        let mut value = unsafe { ManuallyDrop::take(&mut self.value) };
        // Reset outside the lock: it may be slow (clearing a big buffer). If it panics, the
        // object is dropped by the unwind and `release` still counts the guard as gone.
        let release = Release(self.pool);
        value.reset();
        mem::forget(release);
        // A surplus object is dropped here, after `put` released the lock.
        drop(self.pool.put(value));
    }
}

/// Takes a guard off `in_use` when dropped: armed while `reset` runs, so a panicking reset
/// leaves the counts exact.
struct Release<'a, T: Reset>(&'a Pool<T>);

impl<T: Reset> Drop for Release<'_, T> {
    fn drop(&mut self) {
        self.0.lock().counts.in_use -= 1;
    }
}
