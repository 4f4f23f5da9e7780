//! A test-and-test-and-set spin lock with an RAII guard, and the exponential backoff it waits
//! with.
//!
//! A spin lock never asks the operating system for anything: a thread that finds it taken
//! keeps checking, on its own core, until the holder lets go. That makes a short, uncontended
//! critical section cost two atomic operations and no system call, and makes a long or
//! preempted one burn a whole core for nothing. [`Backoff`] is what keeps the waiting polite:
//! spin a little, then a little more, then hand the core back to the scheduler.

// `sync_shim` is `std` in normal builds and loom under `--cfg loom`: import from it, never
// from `std::sync`, so the grader can model-check your code.
use std::cell::Cell;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use sync_shim::atomic::AtomicBool;
#[allow(unused_imports)] // you will use all of these
use sync_shim::atomic::Ordering::{Acquire, Relaxed, Release};
use sync_shim::cell::UnsafeCell;
#[allow(unused_imports)] // `Backoff` waits with these: never spin without one
use sync_shim::{hint::spin_loop, thread::yield_now};

/// The last step at which [`Backoff`] still spins: `2^SPIN_LIMIT = 64` hints at most.
/// The value of `crossbeam_utils::Backoff`, its reference implementation.
pub const SPIN_LIMIT: u32 = 6;

/// The step past which [`Backoff::is_completed`] reports that waiting longer is pointless.
/// The value of `crossbeam_utils::Backoff`, its reference implementation.
pub const YIELD_LIMIT: u32 = 10;

/// What one call to [`Backoff::spin`] or [`Backoff::snooze`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// Called [`spin_loop`](std::hint::spin_loop) this many times.
    Spin(u32),
    /// Called [`yield_now`](std::thread::yield_now) once.
    Yield,
}

/// Exponential backoff for spin loops, with the behaviour of `crossbeam_utils::Backoff`.
///
/// Retrying at full speed hammers the contended cache line and starves the thread you are
/// waiting for. Each call waits twice as long as the one before, up to `2^SPIN_LIMIT` spin
/// hints; [`snooze`](Self::snooze) then yields the core to the scheduler instead.
///
/// # Examples
///
/// ```
/// use spin_lock::{Backoff, Pause};
///
/// let backoff = Backoff::new();
/// assert_eq!(backoff.snooze(), Pause::Spin(1));
/// assert_eq!(backoff.snooze(), Pause::Spin(2));
/// assert_eq!(backoff.snooze(), Pause::Spin(4));
/// assert_eq!(backoff.step(), 3);
/// assert!(!backoff.is_completed());
/// ```
///
/// The step sequence, with the constants `SPIN_LIMIT = 6` and `YIELD_LIMIT = 10`:
///
/// ```text
/// step      0  1  2  3   4   5   6   7  8  9  10  11 (stays 11)
/// snooze    1  2  4  8  16  32  64   Y  Y  Y  Y   Y ...   (Y = yield_now)
/// spin      1  2  4  8  16  32  64  64 (step stays 7)
/// completed no ..................................... yes
/// ```
#[derive(Debug, Default)]
pub struct Backoff {
    /// How many times this backoff has waited since it was made or reset, capped (see
    /// `spin` and `snooze`). A `Cell`: the backoff is a local of one waiting thread.
    step: Cell<u32>,
}

impl Backoff {
    /// A backoff at step 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Back to step 0, as if new.
    pub fn reset(&self) {
        self.step.set(0);
    }

    /// The current step.
    pub fn step(&self) -> u32 {
        self.step.get()
    }

    /// Waits by spinning, for a loop that retries after *another thread made progress* (a
    /// failed CAS): `2^min(step, SPIN_LIMIT)` spin hints, never a yield. The step grows by one
    /// while it is at most `SPIN_LIMIT`, so it stops at `SPIN_LIMIT + 1`.
    pub fn spin(&self) -> Pause {
        todo!(
            "Backoff::spin: spin 2^min(step, SPIN_LIMIT) times, then move to the next step (now {})",
            self.step.get()
        )
    }

    /// Waits for a loop that is *blocked on another thread* (a held lock): `2^step` spin hints
    /// while the step is at most `SPIN_LIMIT`, one `yield_now` after that. The step grows by
    /// one while it is at most `YIELD_LIMIT`, so it stops at `YIELD_LIMIT + 1`.
    pub fn snooze(&self) -> Pause {
        todo!(
            "Backoff::snooze: spin 2^step times up to SPIN_LIMIT, yield after that (step is {})",
            self.step.get()
        )
    }

    /// Whether the step has passed `YIELD_LIMIT`: waiting longer by spinning or yielding is
    /// pointless, and a real lock would now park the thread (ours keeps yielding).
    pub fn is_completed(&self) -> bool {
        todo!(
            "Backoff::is_completed: has step {} passed YIELD_LIMIT?",
            self.step.get()
        )
    }
}

/// A mutual-exclusion lock that waits by spinning: test-and-test-and-set with [`Backoff`].
///
/// Taking a free lock is one compare-and-swap, releasing it one store: no system call, no queue,
/// no allocation. A waiter reads the flag until it sees the lock free and only then tries to
/// take it, so waiting threads share the cache line instead of fighting over it. Use it for
/// critical sections of a few dozen nanoseconds on threads that are never preempted while they
/// hold it; anywhere else, use `std::sync::Mutex`.
///
/// # Examples
///
/// ```
/// use spin_lock::SpinLock;
///
/// let lock = SpinLock::new(vec![1, 2]);
/// lock.lock().push(3);
/// {
///     let guard = lock.lock();
///     assert!(lock.try_lock().is_none(), "held by `guard`");
///     assert_eq!(*guard, [1, 2, 3]);
/// } // `guard` dropped here: the lock is free again
/// assert!(!lock.is_locked());
/// assert_eq!(lock.into_inner(), [1, 2, 3]);
/// ```
///
/// # Poisoning
///
/// None: a panic while the lock is held releases it (the guard's `Drop` runs during unwinding)
/// and the next holder sees whatever the panicking thread had written.
pub struct SpinLock<T> {
    /// `true` while some guard exists. The only synchronization: every write to `data` happens
    /// between a `false -> true` change and the next `true -> false` change.
    #[allow(dead_code)] // until your methods read it
    locked: AtomicBool,
    /// The protected value; accessed only through a guard.
    #[allow(dead_code)] // until your methods read it
    data: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to `T` to one thread at a time, and each holder may move a
// `T` out (`mem::replace`), so `&SpinLock<T>` may be shared between threads exactly when `T`
// may be sent between them. `T: Sync` is not needed: no two threads ever see the `T` at once.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T: Default> Default for SpinLock<T> {
    /// An unlocked lock holding `T::default()`.
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T> SpinLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> Self {
        Self {
            locked: AtomicBool::new(false),
            data: UnsafeCell::new(value),
        }
    }

    /// Waits until the lock is free, takes it, and returns the guard that releases it on drop.
    ///
    /// Test-and-test-and-set: try to take the lock with one `compare_exchange_weak`; while it
    /// is held, wait on plain loads (with [`Backoff::snooze`]) and try again only once a load
    /// sees it free. Calling `lock` again on the same thread while holding the guard spins
    /// forever.
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        todo!(
            "SpinLock::lock: take the lock with compare_exchange_weak; while it is held, wait on loads with Backoff::snooze"
        )
    }

    /// Takes the lock if it is free right now, without waiting; `None` if it is held.
    pub fn try_lock(&self) -> Option<SpinLockGuard<'_, T>> {
        todo!("SpinLock::try_lock: take the lock only if it is free right now")
    }

    /// Whether some guard holds the lock at this instant. A snapshot for diagnostics and
    /// tests: by the time you act on it, it may have changed.
    pub fn is_locked(&self) -> bool {
        todo!("SpinLock::is_locked: read the flag")
    }

    /// Consumes the lock and returns the value. No locking needed: owning the lock proves no
    /// guard exists.
    pub fn into_inner(self) -> T {
        todo!("SpinLock::into_inner: unwrap the cell")
    }
}

/// Proof that the current thread holds a [`SpinLock`]: dereferences to the value and releases
/// the lock when dropped, also when the thread unwinds from a panic.
///
/// The guard is `Send` when `T: Send` (any thread may release a spin lock), and `Sync` only
/// when `T: Sync`, since a shared `&SpinLockGuard` hands out `&T`.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct SpinLockGuard<'a, T> {
    #[allow(dead_code)] // until your methods read it
    lock: &'a SpinLock<T>,
    /// Makes the guard `Sync` only when `T: Sync` (it hands out `&T` through `&self`): without
    /// it, `&SpinLock<T>` alone would make the guard `Sync` whenever `T: Send`.
    _value: PhantomData<&'a mut T>,
}

impl<'a, T> SpinLockGuard<'a, T> {
    /// The guard of a lock the caller has just taken.
    #[allow(dead_code)] // call it from `lock` and `try_lock` once they have taken the lock
    fn new(lock: &'a SpinLock<T>) -> Self {
        Self {
            lock,
            _value: PhantomData,
        }
    }
}

impl<T> Deref for SpinLockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        todo!("SpinLockGuard::deref: a shared borrow of the value, through `data.with`")
    }
}

impl<T> DerefMut for SpinLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        todo!("SpinLockGuard::deref_mut: an exclusive borrow of the value, through `data.with_mut`")
    }
}

impl<T> Drop for SpinLockGuard<'_, T> {
    fn drop(&mut self) {
        todo!("SpinLockGuard::drop: release the lock so the next thread can take it")
    }
}
