// Welcome to latency-katas! This is kata 01; README.md beside this folder tells the story.
//
// Four bodies are yours to write, each marked `todo!()`: `Gogc::parse`, `Pacer::heap_goal`,
// `Pacer::set_gc_percent` and `simulate`. Everything else is given and already works.
// Run `cargo xtask check` to grade them and `cargo xtask hint` when you are stuck.

//! Go's GC pacer as arithmetic: when the next collection starts, and what it costs in RAM.
//!
//! Go decides when to collect with one number, `GOGC`: the next cycle starts once the heap
//! has grown by `GOGC` percent of what was live after the last one. A soft memory limit
//! (`GOMEMLIMIT`) can pull that goal down, and `runtime.GC()` forces a cycle at once.
//! This crate models that decision and replays allocation traces through it, so you can see
//! the trade: a higher `GOGC` means fewer cycles and a bigger heap.
//!
//! ```
//! use gc_pacer::{simulate, Event, Gogc, Pacer, MIB};
//!
//! let pacer = Pacer::new(Gogc::Percent(100));
//! assert_eq!(pacer.heap_goal(10 * MIB), Some(20 * MIB));
//!
//! let trace = [Event::Live(10 * MIB), Event::Gc, Event::Garbage(10 * MIB)];
//! let report = simulate(&pacer, &trace);
//! assert_eq!(report.cycles, 2);
//! assert_eq!(report.peak_heap, 20 * MIB);
//! ```

use std::fmt::{self, Write as _};

/// One kibibyte: 1024 bytes.
pub const KIB: u64 = 1 << 10;

/// One mebibyte: 1024 × 1024 bytes.
pub const MIB: u64 = 1 << 20;

/// The smallest heap goal a percent setting ever gives: 4 MiB.
///
/// Go's runtime calls it `heapMinimum` (`defaultHeapMinimum = 4 << 20` in
/// `runtime/mgcpacer.go`) and scales it by `GOGC/100`. This model keeps it fixed, so every
/// percent starts from the same 4 MiB goal.
pub const MIN_HEAP_GOAL: u64 = 4 * MIB;

/// The `GOGC` setting: how far the heap may grow past the live heap before the next cycle.
///
/// # Examples
///
/// ```
/// use gc_pacer::Gogc;
///
/// assert_eq!(Gogc::default(), Gogc::Percent(100));
/// assert_eq!(Gogc::Off.to_string(), "off");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gogc {
    /// Start a cycle once the heap has grown by this percent of the live heap.
    Percent(u32),
    /// Never start a cycle because the heap grew (`GOGC=off`).
    /// Only `runtime.GC()` or a memory limit can start one.
    Off,
}

impl Default for Gogc {
    /// Go's default, `GOGC=100`: collect when the heap has doubled.
    fn default() -> Self {
        Gogc::Percent(100)
    }
}

impl fmt::Display for Gogc {
    /// Writes the setting as the environment variable would hold it: `100` or `off`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gogc::Percent(percent) => write!(f, "{percent}"),
            Gogc::Off => f.write_str("off"),
        }
    }
}

impl Gogc {
    /// Reads a `GOGC` environment value the way Go's runtime does.
    ///
    /// `"off"` (lower case, exactly) is [`Gogc::Off`]. A value that `str::parse::<i32>`
    /// accepts is a percent, and a negative one means off. Anything else, the empty string
    /// included, falls back to the default of 100.
    ///
    /// # Examples
    ///
    /// ```
    /// use gc_pacer::Gogc;
    ///
    /// assert_eq!(Gogc::parse("200"), Gogc::Percent(200));
    /// assert_eq!(Gogc::parse("off"), Gogc::Off);
    /// assert_eq!(Gogc::parse("-1"), Gogc::Off);
    /// assert_eq!(Gogc::parse("lots"), Gogc::Percent(100));
    /// ```
    pub fn parse(value: &str) -> Gogc {
        todo!("Gogc::parse: read the GOGC value {value:?}")
    }
}

/// Go's GC pacer: a `GOGC` setting and an optional soft memory limit, and the heap goal
/// they give.
///
/// The goal is the heap size at which the next cycle starts. A cycle frees the garbage, and
/// the next goal is computed from the heap that survived it.
///
/// # Examples
///
/// ```
/// use gc_pacer::{Gogc, Pacer, MIB};
///
/// let mut pacer = Pacer::new(Gogc::Percent(100)).with_memory_limit(64 * MIB);
/// assert_eq!(pacer.heap_goal(10 * MIB), Some(20 * MIB));
/// assert_eq!(pacer.heap_goal(40 * MIB), Some(64 * MIB)); // the limit is the tighter goal
///
/// assert_eq!(pacer.set_gc_percent(-1), 100); // like debug.SetGCPercent(-1)
/// assert_eq!(pacer.gogc(), Gogc::Off);
/// assert_eq!(pacer.heap_goal(10 * MIB), Some(64 * MIB)); // only the limit is left
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pacer {
    gogc: Gogc,
    memory_limit: Option<u64>,
}

impl Pacer {
    /// A pacer with this `GOGC` setting and no memory limit.
    pub fn new(gogc: Gogc) -> Pacer {
        Pacer {
            gogc,
            memory_limit: None,
        }
    }

    /// The same pacer with a soft memory limit of `bytes` (Go's `GOMEMLIMIT`).
    pub fn with_memory_limit(self, bytes: u64) -> Pacer {
        Pacer {
            memory_limit: Some(bytes),
            ..self
        }
    }

    /// The current `GOGC` setting.
    pub fn gogc(&self) -> Gogc {
        self.gogc
    }

    /// The soft memory limit in bytes, if there is one.
    pub fn memory_limit(&self) -> Option<u64> {
        self.memory_limit
    }

    /// The heap size at which the next cycle starts, given `live` bytes that survived the
    /// last one; `None` if nothing but `runtime.GC()` will ever start one.
    ///
    /// With a percent, the goal is `live + live × percent / 100` (rounded down, exact while
    /// it fits in a `u64`, `u64::MAX` beyond), and never below [`MIN_HEAP_GOAL`].
    /// With a memory limit, the goal is never above the limit, floor or not.
    /// With `GOGC=off` the goal is the limit, or `None` without one.
    ///
    /// # Examples
    ///
    /// ```
    /// use gc_pacer::{Gogc, Pacer, MIB, MIN_HEAP_GOAL};
    ///
    /// assert_eq!(Pacer::new(Gogc::Percent(200)).heap_goal(10 * MIB), Some(30 * MIB));
    /// assert_eq!(Pacer::new(Gogc::Percent(100)).heap_goal(0), Some(MIN_HEAP_GOAL));
    /// assert_eq!(Pacer::new(Gogc::Off).heap_goal(10 * MIB), None);
    /// ```
    pub fn heap_goal(&self, live: u64) -> Option<u64> {
        todo!(
            "Pacer::heap_goal: the goal for {live} live bytes under GOGC={} with memory limit {:?}",
            self.gogc,
            self.memory_limit
        )
    }

    /// Sets `GOGC` to `percent` and returns the previous setting, like Go's
    /// `debug.SetGCPercent`.
    ///
    /// A negative `percent` turns the collector off. Off reads back as `-1`, and a percent
    /// above `i32::MAX` reads back as `i32::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use gc_pacer::{Gogc, Pacer};
    ///
    /// let mut pacer = Pacer::default();
    /// assert_eq!(pacer.set_gc_percent(200), 100);
    /// assert_eq!(pacer.set_gc_percent(-5), 200);
    /// assert_eq!(pacer.set_gc_percent(100), -1);
    /// ```
    pub fn set_gc_percent(&mut self, percent: i32) -> i32 {
        todo!(
            "Pacer::set_gc_percent: switch GOGC={} to {percent} and return the old setting",
            self.gogc
        )
    }
}

/// One step of an allocation trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Allocate this many bytes that stay live to the end of the trace (an order resting in
    /// the book).
    Live(u64),
    /// Allocate this many bytes that are garbage at once (a decoded message, a temporary
    /// string).
    Garbage(u64),
    /// Call `runtime.GC()`: run a cycle now, whatever the goal.
    Gc,
}

/// What a trace cost under one pacer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Report {
    /// Cycles run: the ones the goal started plus the `runtime.GC()` calls.
    pub cycles: u64,
    /// The largest heap (live plus garbage, in bytes) seen after any allocation.
    pub peak_heap: u64,
}

/// Replays `trace` through `pacer` and reports the cycles it ran and the peak heap.
///
/// The heap starts empty with the goal `pacer.heap_goal(0)`. Before each allocation of `n`
/// bytes, if the goal is `Some(goal)` and `heap + n > goal`, a cycle runs first. A cycle
/// (from the goal or from [`Event::Gc`]) frees all garbage, sets the goal to
/// `pacer.heap_goal(live)` and counts one. Then the allocation happens even if the heap
/// ends above the goal (the limit is soft), and the peak is updated. Byte counts saturate
/// at `u64::MAX`.
///
/// # Examples
///
/// ```
/// use gc_pacer::{simulate, Event, Gogc, Pacer, Report, MIB};
///
/// let trace = [Event::Live(3 * MIB), Event::Garbage(MIB), Event::Garbage(MIB)];
/// let report = simulate(&Pacer::new(Gogc::Percent(100)), &trace);
/// // 3 + 1 fits the 4 MiB goal; 4 + 1 does not, so a cycle frees 1 MiB first.
/// assert_eq!(report, Report { cycles: 1, peak_heap: 4 * MIB });
/// ```
pub fn simulate(pacer: &Pacer, trace: &[Event]) -> Report {
    todo!(
        "simulate: replay {} events through {pacer:?} and count cycles and the peak heap",
        trace.len()
    )
}

/// The `GOGC` settings [`gogc_table`] compares, one row each.
pub const TABLE_SETTINGS: [Gogc; 6] = [
    Gogc::Percent(25),
    Gogc::Percent(50),
    Gogc::Percent(100),
    Gogc::Percent(200),
    Gogc::Percent(400),
    Gogc::Off,
];

/// Runs `trace` under each of [`TABLE_SETTINGS`] (with `memory_limit`, if any) and renders
/// the cycles and the peak heap in MiB as a table.
///
/// ```text
/// GOGC  cycles  peak MiB
/// 25        68      25.6
/// ```
pub fn gogc_table(trace: &[Event], memory_limit: Option<u64>) -> String {
    let mut table = String::from("GOGC  cycles  peak MiB\n");
    for gogc in TABLE_SETTINGS {
        let mut pacer = Pacer::new(gogc);
        if let Some(limit) = memory_limit {
            pacer = pacer.with_memory_limit(limit);
        }
        let report = simulate(&pacer, trace);
        // One decimal tells the settings apart and stays readable.
        let peak_mib = report.peak_heap as f64 / MIB as f64;
        let gogc = gogc.to_string();
        writeln!(table, "{gogc:<4}  {:>6}  {peak_mib:>8.1}", report.cycles)
            .expect("writing to a String cannot fail");
    }
    table
}

/// A synthetic day of an order-processing service, for [`gogc_table`].
///
/// - At start-up it loads 16 MiB of reference data that stays live (instruments, limits).
/// - Then three market sessions of 50 000 messages each. Every message allocates 2 KiB
///   that is garbage once handled, and one message in eight (the first, the ninth, ...)
///   also leaves a 256-byte order resting in the book, which stays live.
/// - Between two sessions it calls `runtime.GC()`.
pub fn order_service_trace() -> Vec<Event> {
    const SESSIONS: usize = 3;
    const MESSAGES: usize = 50_000;
    let mut trace = Vec::with_capacity(1 + SESSIONS * (MESSAGES + MESSAGES / 8 + 2));
    trace.push(Event::Live(16 * MIB));
    for session in 0..SESSIONS {
        if session > 0 {
            trace.push(Event::Gc);
        }
        for message in 0..MESSAGES {
            trace.push(Event::Garbage(2 * KIB));
            if message % 8 == 0 {
                trace.push(Event::Live(256));
            }
        }
    }
    trace
}
