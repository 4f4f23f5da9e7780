//! `std`'s atomics with a `compare_exchange_weak` that fails spuriously now and then.
//!
//! `compare_exchange_weak` may fail even when the value matched: on ARM and RISC-V it is a
//! load-linked/store-conditional pair, and the store fails if anything disturbed the cache
//! line. On x86 it never does, and loom never models it, so code that treats a weak failure
//! as "taken", "full" or "done" passes there and breaks on an ARM machine. These wrappers
//! bring ARM's behaviour to every debug build without loom:
//!
//! - about one call in four fails spuriously, returning `Err(current value)`, exactly what the
//!   hardware may return (a failure whose value equals `current` is a spurious one);
//! - when the value differs from `current`, the call fails as `std`'s does, with that value;
//! - which calls fail is fixed by the seed in `KATAS_SEED` (the one the suites' proptest
//!   runs use) and the call's position in its thread, so a failing check replays the same;
//! - `fetch_update` is the usual weak-CAS loop on top, so it sees the failures too.
//!
//! How the shim knows it is compiled for the suites: `cfg(debug_assertions)`. `cargo test`
//! and the grader build the suites in the dev profile; benchmarks and `cargo xtask bench`
//! build in release, where `sync_shim::atomic` is `std::sync::atomic` itself, so measured code
//! pays nothing. (A cargo feature would not do: `cargo bench` builds dev-dependencies too,
//! so a feature the suites turn on would reach the benchmarks.) Every other method comes from
//! `std`'s type through `Deref`, and the wrappers are `repr(transparent)`, so size and
//! alignment are `std`'s.

use std::cell::Cell;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;
use std::sync::atomic::Ordering;

/// Environment variable holding the seed; the same one `testkit` reads.
const SEED_VAR: &str = "KATAS_SEED";
/// The seed when [`SEED_VAR`] is unset; `testkit::DEFAULT_SEED`.
const DEFAULT_SEED: u64 = 0x6b61_7461_735f_7631;

/// The seed, read once per process.
fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        std::env::var(SEED_VAR)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(DEFAULT_SEED)
    })
}

thread_local! {
    /// This thread's position in its sequence of weak CASes, mixed with the seed.
    static STATE: Cell<u64> = Cell::new(seed() ^ 0x9e37_79b9_7f4a_7c15);
}

/// Whether the next weak CAS on this thread fails spuriously: one call in four on average,
/// from a splitmix64 sequence fixed by the seed.
fn next_fails() -> bool {
    STATE.with(|state| {
        let s = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        state.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        z >> 62 == 0
    })
}

/// Whether `failure` is an ordering a CAS accepts for its failure path; the others are left
/// to `std`, which panics with its own message.
fn valid_failure(failure: Ordering) -> bool {
    !matches!(failure, Ordering::Release | Ordering::AcqRel)
}

macro_rules! weak_atomic {
    ($(#[$doc:meta])* $name:ident $(<$p:ident>)?, $t:ty) => {
        $(#[$doc])*
        #[repr(transparent)]
        pub struct $name$(<$p>)?(std::sync::atomic::$name$(<$p>)?);

        impl$(<$p>)? $name$(<$p>)? {
            /// A new atomic holding `v`.
            pub const fn new(v: $t) -> Self {
                Self(std::sync::atomic::$name::new(v))
            }

            /// Consumes the atomic and returns the value.
            pub fn into_inner(self) -> $t {
                self.0.into_inner()
            }

            /// `std`'s `compare_exchange_weak`, failing spuriously about one call in four:
            /// then it returns `Err` with the value a `failure`-ordered load reads, which may
            /// equal `current`.
            pub fn compare_exchange_weak(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                if valid_failure(failure) && next_fails() {
                    return Err(self.0.load(failure));
                }
                self.0.compare_exchange_weak(current, new, success, failure)
            }

            /// `std`'s `fetch_update`: a loop over this type's `compare_exchange_weak`.
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$t, $t>
            where
                F: FnMut($t) -> Option<$t>,
            {
                let mut prev = self.0.load(fetch_order);
                while let Some(next) = f(prev) {
                    match self.compare_exchange_weak(prev, next, set_order, fetch_order) {
                        Ok(x) => return Ok(x),
                        Err(next_prev) => prev = next_prev,
                    }
                }
                Err(prev)
            }
        }

        impl$(<$p>)? Deref for $name$(<$p>)? {
            type Target = std::sync::atomic::$name$(<$p>)?;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl$(<$p>)? DerefMut for $name$(<$p>)? {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }

        impl$(<$p>)? fmt::Debug for $name$(<$p>)? {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl$(<$p>)? Default for $name$(<$p>)? {
            fn default() -> Self {
                Self(Default::default())
            }
        }

        impl$(<$p>)? From<$t> for $name$(<$p>)? {
            fn from(v: $t) -> Self {
                Self::new(v)
            }
        }
    };
}

weak_atomic!(
    /// `std::sync::atomic::AtomicBool` with spurious weak-CAS failures.
    AtomicBool, bool
);
weak_atomic!(
    /// `std::sync::atomic::AtomicU8` with spurious weak-CAS failures.
    AtomicU8, u8
);
weak_atomic!(
    /// `std::sync::atomic::AtomicU16` with spurious weak-CAS failures.
    AtomicU16, u16
);
weak_atomic!(
    /// `std::sync::atomic::AtomicU32` with spurious weak-CAS failures.
    AtomicU32, u32
);
weak_atomic!(
    /// `std::sync::atomic::AtomicU64` with spurious weak-CAS failures.
    AtomicU64, u64
);
weak_atomic!(
    /// `std::sync::atomic::AtomicUsize` with spurious weak-CAS failures.
    AtomicUsize, usize
);
weak_atomic!(
    /// `std::sync::atomic::AtomicI32` with spurious weak-CAS failures.
    AtomicI32, i32
);
weak_atomic!(
    /// `std::sync::atomic::AtomicI64` with spurious weak-CAS failures.
    AtomicI64, i64
);
weak_atomic!(
    /// `std::sync::atomic::AtomicIsize` with spurious weak-CAS failures.
    AtomicIsize, isize
);
weak_atomic!(
    /// `std::sync::atomic::AtomicPtr` with spurious weak-CAS failures.
    AtomicPtr<T>, *mut T
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering::{Acquire, Relaxed};

    #[test]
    fn weak_cas_fails_spuriously_sometimes_and_a_loop_still_succeeds() {
        let a = AtomicU64::new(0);
        let mut spurious = 0;
        for i in 0..1_000u64 {
            loop {
                match a.compare_exchange_weak(i, i + 1, Relaxed, Relaxed) {
                    Ok(prev) => {
                        assert_eq!(prev, i);
                        break;
                    }
                    // A spurious failure reports the value it saw: the expected one.
                    Err(seen) => {
                        assert_eq!(seen, i);
                        spurious += 1;
                    }
                }
            }
        }
        assert_eq!(a.load(Relaxed), 1_000);
        assert!(
            (150..400).contains(&spurious),
            "{spurious} spurious failures in 1000"
        );
    }

    #[test]
    fn a_real_mismatch_fails_with_the_value_found() {
        let a = AtomicU64::new(7);
        for _ in 0..100 {
            assert_eq!(a.compare_exchange_weak(3, 4, Acquire, Relaxed), Err(7));
        }
        assert_eq!(a.load(Relaxed), 7);
    }

    #[test]
    fn fetch_update_sees_spurious_failures_and_retries() {
        let a = AtomicUsize::new(0);
        for _ in 0..100 {
            a.fetch_update(Relaxed, Relaxed, |v| Some(v + 1)).unwrap();
        }
        assert_eq!(a.load(Relaxed), 100);
        assert_eq!(a.fetch_update(Relaxed, Relaxed, |_| None), Err(100));
    }

    #[test]
    fn layout_is_std_layout() {
        assert_eq!(
            size_of::<AtomicU64>(),
            size_of::<std::sync::atomic::AtomicU64>()
        );
        assert_eq!(
            align_of::<AtomicU64>(),
            align_of::<std::sync::atomic::AtomicU64>()
        );
        assert_eq!(size_of::<AtomicPtr<u8>>(), size_of::<*mut u8>());
    }
}
