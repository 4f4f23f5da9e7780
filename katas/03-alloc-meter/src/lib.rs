//! A counting global allocator: how many times, and how many bytes, a piece of code asks the
//! heap for memory.
//!
//! Go's escape analysis decides for you whether a value lives on the stack or the heap, and
//! `go test -benchmem` tells you afterwards how many allocations an operation made. Rust puts a
//! value on the heap only when you ask (`Box`, `Vec`, `String`, `Arc`, ...), and this crate is
//! the `-benchmem` column: install [`Meter`] as the `#[global_allocator]`, wrap code in
//! [`measure`], and read its [`Stats`].
//!
//! ```
//! #[global_allocator]
//! static METER: alloc_meter::Meter = alloc_meter::Meter;
//!
//! fn main() {
//!     let (order, stats) = alloc_meter::measure(|| Box::new(42u64));
//!     assert_eq!(*order, 42);
//!     assert_eq!(stats.allocs, 1);
//!     assert_eq!(stats.bytes_allocated, 8);
//! }
//! ```
//!
//! Counts are kept per thread, so other threads (the test harness's, a logger's) never show up
//! in a measurement.

use std::alloc::{GlobalAlloc, Layout, System};
use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;

/// What one thread asked of the heap during a [`measure`] call.
///
/// A `realloc` is one event: it counts in `reallocs` only, never as an alloc plus a dealloc.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Calls to `alloc` and `alloc_zeroed`.
    pub allocs: u64,
    /// Calls to `dealloc`.
    pub deallocs: u64,
    /// Calls to `realloc`, whether the block grew or shrank.
    pub reallocs: u64,
    /// Bytes that came into use: the size of every alloc, plus what each growing realloc added.
    pub bytes_allocated: u64,
    /// Bytes that went out of use: the size of every dealloc, plus what each shrinking realloc
    /// gave back.
    pub bytes_freed: u64,
    /// The highest number of bytes in use at any moment of the measurement, counted from where
    /// it started (0 if the code only freed memory).
    pub peak_bytes: u64,
}

impl Stats {
    /// `bytes_allocated - bytes_freed`: how many bytes the measured code left in use.
    /// Negative when it freed more than it allocated (memory made before the measurement).
    pub fn net_bytes(&self) -> i64 {
        self.bytes_allocated as i64 - self.bytes_freed as i64
    }
}

// ---------------------------------------------------------------------------------------------
// Given: the allocator itself. It forwards every call to `System` and, only while this thread
// is inside `measure`, reports what happened to the hooks below.
// ---------------------------------------------------------------------------------------------

/// The system allocator, reporting each heap call of a thread that is inside [`measure`].
///
/// Install it once per binary:
///
/// ```
/// #[global_allocator]
/// static METER: alloc_meter::Meter = alloc_meter::Meter;
/// # fn main() {}
/// ```
///
/// Outside a measurement it costs one thread-local read per call.
#[derive(Debug, Default, Clone, Copy)]
pub struct Meter;

// SAFETY: every method forwards to `System` with its caller's arguments unchanged and returns
// what `System` returned; the hooks only touch this thread's const-initialized `Cell`s.
unsafe impl GlobalAlloc for Meter {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            hook(|| on_alloc(layout.size()));
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::alloc_zeroed`'s contract.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            hook(|| on_alloc(layout.size()));
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) };
        hook(|| on_dealloc(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded from our caller, who upholds `GlobalAlloc::realloc`'s contract.
        let new_ptr = unsafe { System.realloc(ptr, layout, new_size) };
        // On failure the old block is untouched: nothing happened.
        if !new_ptr.is_null() {
            hook(|| on_realloc(layout.size(), new_size));
        }
        new_ptr
    }
}

/// Whether this thread's heap calls reach the hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Not inside `measure`: heap calls are not recorded.
    Off,
    /// Inside `measure`: every heap call runs a hook.
    On,
    /// A hook is running: heap calls it makes are counted by [`self_allocations`], never
    /// recorded (recording them would recurse).
    InHook,
    /// A hook panicked: nothing is recorded until `stop_recording` resumes that panic.
    Poisoned,
}

thread_local! {
    // Const-initialized `Cell`s of `Copy` types: no lazy initialization and no destructor, so
    // reading them from inside the allocator never allocates.
    static GATE: Cell<Gate> = const { Cell::new(Gate::Off) };
    static SELF_ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    // A hook's panic, leaked from its `Box` until `stop_recording` resumes it.
    static PENDING_PANIC: Cell<Option<NonNull<dyn Any + Send>>> = const { Cell::new(None) };
}

/// Runs `record` if this thread is inside `measure`, catching a panic so that it never
/// unwinds out of the allocator (that would be undefined behaviour).
fn hook(record: impl FnOnce()) {
    let _ = GATE.try_with(|gate| match gate.get() {
        Gate::Off | Gate::Poisoned => {}
        Gate::InHook => SELF_ALLOCATIONS.set(SELF_ALLOCATIONS.get() + 1),
        // While a panic is being reported or unwound, record nothing: a hook that panicked
        // then would abort the process.
        Gate::On if std::thread::panicking() => {}
        Gate::On => {
            gate.set(Gate::InHook);
            match panic::catch_unwind(AssertUnwindSafe(record)) {
                Ok(()) => gate.set(Gate::On),
                Err(payload) => {
                    PENDING_PANIC.set(Some(NonNull::from(Box::leak(payload))));
                    gate.set(Gate::Poisoned);
                }
            }
        }
    });
}

/// Turns the hooks on for this thread; returns what to hand to [`stop_recording`].
#[allow(dead_code, reason = "your `measure` calls it")]
fn start_recording() -> Gate {
    let previous = GATE.get();
    if previous == Gate::Off {
        GATE.set(Gate::On);
    }
    previous
}

/// Puts the hooks back as [`start_recording`] found them. If a hook panicked meanwhile, the
/// panic resumes here, outside the allocator.
#[allow(dead_code, reason = "your `measure` calls it")]
fn stop_recording(previous: Gate) {
    GATE.set(previous);
    if let Some(payload) = PENDING_PANIC.take() {
        // SAFETY: the pointer came from `Box::leak` in `hook` and `take` hands it out once.
        panic::resume_unwind(unsafe { Box::from_raw(payload.as_ptr()) });
    }
}

/// How many heap calls this thread's recording hooks made themselves.
///
/// A meter that allocates while recording disturbs what it measures (and, as a global
/// allocator, would recurse into itself), so this stays 0. The given allocator counts such calls
/// here instead of recording them.
pub fn self_allocations() -> u64 {
    SELF_ALLOCATIONS.get()
}

// ---------------------------------------------------------------------------------------------
// Yours: this thread's ledger, the three hooks and `measure`.
// ---------------------------------------------------------------------------------------------

// Keep this thread's running totals (calls, bytes, live bytes, peak) in a `thread_local!` of
// your own. The hooks run inside the allocator, so whatever they touch must never allocate:
// use `const { .. }` initializers and `Cell`s of `Copy` types, for example
//
//     thread_local! {
//         static LEDGER: Cell<Ledger> = const { Cell::new(Ledger::ZERO) };
//     }
//
// where `Ledger` is a `Copy` struct you define. No `RefCell<Vec<_>>`, no `String`, no
// `static` shared by every thread.
//
// `measure` turns the hooks on around `f` with the given `start_recording` and
// `stop_recording`, and works out its `Stats` from the ledger as it was before and after.

/// Called by [`Meter`] after a successful `alloc` or `alloc_zeroed` of `size` bytes, while this
/// thread is inside [`measure`].
fn on_alloc(size: usize) {
    todo!("on_alloc: record an alloc of {size} bytes in this thread's ledger")
}

/// Called by [`Meter`] after a `dealloc` of `size` bytes, while this thread is inside
/// [`measure`].
fn on_dealloc(size: usize) {
    todo!("on_dealloc: record a dealloc of {size} bytes in this thread's ledger")
}

/// Called by [`Meter`] after a successful `realloc` from `old_size` to `new_size` bytes, while
/// this thread is inside [`measure`].
fn on_realloc(old_size: usize, new_size: usize) {
    todo!(
        "on_realloc: record one realloc from {old_size} to {new_size} bytes in this thread's ledger"
    )
}

/// Runs `f` on this thread and returns its result with what it asked of the heap.
///
/// Only this thread's heap calls count, so other threads never pollute the result. Calls nest:
/// an inner `measure` sees only its own closure, the outer one sees everything, the inner work
/// included, and the peak of each is counted from its own start. `measure` itself never
/// allocates, so measuring nothing gives `Stats::default()`. It means something only in a
/// binary whose `#[global_allocator]` is [`Meter`]; elsewhere every count is 0. Nothing is
/// recorded while the thread is panicking.
///
/// # Examples
///
/// ```
/// #[global_allocator]
/// static METER: alloc_meter::Meter = alloc_meter::Meter;
///
/// fn main() {
///     let (_, outer) = alloc_meter::measure(|| {
///         let (v, inner) = alloc_meter::measure(|| Vec::<u8>::with_capacity(100));
///         assert_eq!((inner.allocs, inner.peak_bytes), (1, 100));
///         drop(v);
///     });
///     assert_eq!((outer.allocs, outer.deallocs, outer.net_bytes()), (1, 1, 0));
/// }
/// ```
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Stats) {
    todo!(
        "measure: run `{}` with recording on and return what it asked of the heap",
        std::any::type_name_of_val(&f)
    )
}
