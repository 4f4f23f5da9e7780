//! One import path for synchronization primitives, backed by `std` in normal builds and by
//! [loom](https://docs.rs/loom) when compiled with `RUSTFLAGS="--cfg loom"`.
//!
//! Every kata and solution that shares memory between threads imports from here, never from
//! `std::sync` directly, so the grader can run the same code under loom's model checker:
//!
//! ```
//! use sync_shim::atomic::{AtomicU64, Ordering};
//! use sync_shim::{thread, Arc};
//!
//! let hits = Arc::new(AtomicU64::new(0));
//! let h = Arc::clone(&hits);
//! thread::spawn(move || h.fetch_add(1, Ordering::Relaxed)).join().unwrap();
//! assert_eq!(hits.load(Ordering::Relaxed), 1);
//! ```
//!
//! Differences from `std` that code must design around (they are loom's limits):
//! - no `const fn new`, so no statics holding these types;
//! - no `thread::scope`: share with [`Arc`] and join the handles;
//! - spin loops must call [`hint::spin_loop`] or [`thread::yield_now`] so loom can switch
//!   threads there;
//! - [`cell::UnsafeCell`] has no `get()`: access goes through `with` / `with_mut`, so loom can
//!   report a data race on the cell.
//!
//! One difference from `std` that code must be ready for, as the hardware requires: in debug
//! builds without loom, `compare_exchange_weak` fails spuriously now and then, reproducibly
//! from `KATAS_SEED` (see [`spurious`]). Loom never fails it spuriously, and x86 never does,
//! so without this a loop that treats a weak failure as "taken" or "full" would pass every
//! check and break on ARM.

#[cfg(not(loom))]
pub use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

#[cfg(loom)]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Atomic integers, `AtomicBool`, `AtomicPtr`, [`fence`](atomic::fence) and `Ordering`.
///
/// In debug builds without loom (what `cargo test` and the grader compile the suites as),
/// the atomic types are thin wrappers whose `compare_exchange_weak` fails spuriously now and
/// then, as it may on ARM: see [`spurious`](crate::spurious). Release builds (benchmarks,
/// `cargo xtask bench`) use `std`'s types directly, so nothing is slowed where it is measured.
pub mod atomic {
    #[cfg(all(not(loom), not(debug_assertions)))]
    pub use std::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr, AtomicU8, AtomicU16, AtomicU32,
        AtomicU64, AtomicUsize,
    };
    #[cfg(not(loom))]
    pub use std::sync::atomic::{Ordering, fence};

    #[cfg(all(not(loom), debug_assertions))]
    pub use crate::spurious::{
        AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr, AtomicU8, AtomicU16, AtomicU32,
        AtomicU64, AtomicUsize,
    };

    #[cfg(loom)]
    pub use loom::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr, AtomicU8, AtomicU16, AtomicU32,
        AtomicU64, AtomicUsize, Ordering, fence,
    };
}

#[cfg(all(not(loom), debug_assertions))]
pub mod spurious;

/// Multi-producer channels (`std::sync::mpsc` / loom's model of it).
pub mod mpsc {
    #[cfg(not(loom))]
    pub use std::sync::mpsc::{Receiver, RecvError, SendError, Sender, channel};

    #[cfg(loom)]
    pub use loom::sync::mpsc::{Receiver, Sender, channel};
    #[cfg(loom)]
    pub use std::sync::mpsc::{RecvError, SendError};
}

/// Threads: `spawn`, `JoinHandle`, `yield_now`, and [`both`](thread::both).
pub mod thread {
    #[cfg(not(loom))]
    pub use std::thread::{JoinHandle, spawn, yield_now};

    #[cfg(loom)]
    pub use loom::thread::{JoinHandle, spawn, yield_now};

    /// Runs `a` and `b` on two threads and returns both results.
    ///
    /// Both threads are joined before a panic in either is passed on unchanged, so the report
    /// shows its message: under loom, a model that panics while one of its threads still runs
    /// aborts instead.
    ///
    /// ```
    /// let (a, b) = sync_shim::thread::both(|| 1, || 2);
    /// assert_eq!((a, b), (1, 2));
    /// ```
    pub fn both<A, B>(
        a: impl FnOnce() -> A + Send + 'static,
        b: impl FnOnce() -> B + Send + 'static,
    ) -> (A, B)
    where
        A: Send + 'static,
        B: Send + 'static,
    {
        let (ta, tb) = (spawn(a), spawn(b));
        let (ra, rb) = (ta.join(), tb.join());
        (rethrow(ra), rethrow(rb))
    }

    /// A joined thread's result, or its panic passed on unchanged (so the report shows its
    /// message): `rethrow(handle.join())`.
    pub fn rethrow<T>(result: std::thread::Result<T>) -> T {
        result.unwrap_or_else(|e| std::panic::resume_unwind(e))
    }
}

/// `spin_loop`: call it in every busy-wait loop.
pub mod hint {
    #[cfg(not(loom))]
    pub use std::hint::spin_loop;

    #[cfg(loom)]
    pub use loom::hint::spin_loop;
}

/// An `UnsafeCell` with loom's closure-based API in both builds.
pub mod cell {
    #[cfg(loom)]
    pub use loom::cell::UnsafeCell;

    /// `std::cell::UnsafeCell` behind loom's API: `with` for shared access, `with_mut` for
    /// exclusive access. Under loom the same calls are checked for data races.
    #[cfg(not(loom))]
    #[derive(Debug, Default)]
    pub struct UnsafeCell<T: ?Sized>(std::cell::UnsafeCell<T>);

    #[cfg(not(loom))]
    impl<T> UnsafeCell<T> {
        /// Wraps `value`.
        pub fn new(value: T) -> Self {
            Self(std::cell::UnsafeCell::new(value))
        }

        /// Unwraps the value.
        pub fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }

    #[cfg(not(loom))]
    impl<T: ?Sized> UnsafeCell<T> {
        /// Calls `f` with a pointer for reading. The caller upholds that no `with_mut` access
        /// overlaps this one.
        #[inline(always)]
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Calls `f` with a pointer for writing. The caller upholds that no other access
        /// overlaps this one.
        #[inline(always)]
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

/// Runs `f` once in normal builds and under every interleaving loom explores in loom builds.
///
/// Suites call this instead of `loom::model` so a model reads the same in both builds; the
/// grader only runs loom targets with `--cfg loom`.
pub fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    #[cfg(loom)]
    loom::model(f);
    #[cfg(not(loom))]
    f();
}
