// Kata 07: cycle-clock. README.md beside this folder tells the story.
//
// Yours to write, each marked `todo!()`: `Fallback::now`; on x86_64 `Tsc::new`, `Tsc::now`
// and `Tsc::now_ordered`; `Conversion::from_ratio` and `Conversion::ticks_to_nanos`;
// `measure_window` and `calibrate`; `Stopwatch::start`, `elapsed` and `lap`.
// Everything else is given and already works. Run `cargo xtask check` to grade them and
// `cargo xtask hint` when you are stuck.

//! A clock on the CPU's timestamp counter, calibrated against `Instant`, and a stopwatch.
//!
//! Go measures application latency with `time.Since`; Rust with [`Instant`]. Both ask the
//! operating system for the time, which costs tens of nanoseconds. For hardware-level timing,
//! x86_64 has a cheaper source: `RDTSC` reads a 64-bit counter that ticks at a constant rate,
//! in a few nanoseconds. Its ticks are not nanoseconds, so this crate measures how many
//! nanoseconds a tick is worth (a [`Conversion`]) by comparing the counter with [`Instant`]
//! over a few short windows and keeping the median.
//!
//! - [`TickSource`]: where readings come from, [`Tsc`] (x86_64) or [`Fallback`] (everywhere).
//! - [`Conversion`]: ticks to nanoseconds in fixed point, `ns = (ticks × mult) >> 32`.
//! - [`measure_window`] and [`calibrate`]: the calibration, the median of the windows.
//! - [`Clock`] and [`Stopwatch`]: readings plus their conversion, and a timer with laps.
//!
//! ```
//! use cycle_clock::{Clock, Fallback};
//! use std::time::Duration;
//!
//! // The fallback counts nanoseconds already: no calibration needed.
//! let clock = Clock::fallback();
//! let mut stopwatch = clock.stopwatch();
//! std::thread::sleep(Duration::from_millis(2));
//! let first = stopwatch.lap();
//! assert!(first >= Duration::from_millis(2));
//! assert!(stopwatch.elapsed() >= first);
//!
//! // Any source can be calibrated against `Instant`: 5 windows of 1 ms, median kept.
//! let clock = Clock::calibrated(Fallback::new(), 5, Duration::from_millis(1)).unwrap();
//! let ns_per_tick = clock.conversion().nanos_per_tick();
//! assert!((0.8..1.2).contains(&ns_per_tick), "{ns_per_tick}");
//! ```

use std::fmt;
use std::time::{Duration, Instant};

/// A counter that only moves forward: the raw readings a [`Clock`] converts to time.
///
/// A reading is a `u64` count of ticks since some origin of the source's choosing. On one
/// thread, a reading is never smaller than an earlier one.
///
/// Implement it for a test double to drive a [`Stopwatch`] or [`measure_window`] with
/// readings you choose.
pub trait TickSource: fmt::Debug {
    /// The current reading. The CPU may execute it a little before or after the
    /// instructions around it: cheap, for the hot path.
    fn now(&self) -> u64;

    /// The current reading, taken after every earlier instruction has executed and before
    /// any later one starts: use it at the edges of a measured region. The default is
    /// [`now`](Self::now), for sources whose reads are already ordered.
    fn now_ordered(&self) -> u64 {
        self.now()
    }
}

/// The portable source: nanoseconds since an epoch, read from [`Instant`].
///
/// Available on every platform and monotonic wherever `Instant` is. Its ticks are
/// nanoseconds, so [`Conversion::NANOS`] converts them exactly.
///
/// # Examples
///
/// ```
/// use cycle_clock::{Fallback, TickSource};
///
/// let source = Fallback::new();
/// let a = source.now();
/// let b = source.now();
/// assert!(b >= a);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Fallback {
    epoch: Instant,
}

impl Fallback {
    /// A source whose epoch is now.
    pub fn new() -> Fallback {
        Fallback::since(Instant::now())
    }

    /// A source that counts from `epoch`, which may be in the past.
    pub fn since(epoch: Instant) -> Fallback {
        Fallback { epoch }
    }

    /// The instant that reads as 0.
    pub fn epoch(&self) -> Instant {
        self.epoch
    }
}

impl Default for Fallback {
    fn default() -> Self {
        Fallback::new()
    }
}

impl TickSource for Fallback {
    /// Whole nanoseconds from the epoch to now, saturating at `u64::MAX` (584 years).
    fn now(&self) -> u64 {
        todo!(
            "Fallback::now: the nanoseconds since the epoch, {:?} ago",
            self.epoch.elapsed()
        )
    }
}

/// The x86_64 timestamp counter, read with `RDTSC` / `RDTSCP`.
///
/// On CPUs with an *invariant* TSC the counter ticks at a constant rate, through frequency
/// changes and sleep states, and is synchronized across cores by the firmware and the OS.
/// [`Tsc::new`] only hands out a `Tsc` on such CPUs.
///
/// # Examples
///
/// ```
/// # #[cfg(target_arch = "x86_64")] {
/// use cycle_clock::{TickSource, Tsc};
///
/// if let Some(tsc) = Tsc::new() {
///     let start = tsc.now_ordered();
///     let end = tsc.now_ordered();
///     assert!(end >= start);
/// }
/// # }
/// ```
#[cfg(target_arch = "x86_64")]
#[derive(Debug, Clone, Copy)]
pub struct Tsc {
    // Private: a `Tsc` exists only where `new` checked the CPU.
    _checked: (),
}

#[cfg(target_arch = "x86_64")]
impl Tsc {
    /// The timestamp counter, if CPUID reports both an invariant TSC (leaf `0x8000_0007`,
    /// EDX bit 8) and the `RDTSCP` instruction (leaf `0x8000_0001`, EDX bit 27).
    ///
    /// Leaf `0x8000_0000` reports the highest extended leaf in EAX; below `0x8000_0007`, the
    /// CPU cannot tell, and the answer is `None`.
    pub fn new() -> Option<Tsc> {
        todo!("Tsc::new: ask CPUID for an invariant TSC and RDTSCP")
    }
}

#[cfg(target_arch = "x86_64")]
impl TickSource for Tsc {
    /// `RDTSC`: the counter, with no ordering against the instructions around it.
    fn now(&self) -> u64 {
        todo!("Tsc::now: read the timestamp counter")
    }

    /// `RDTSCP` then `LFENCE`: RDTSCP waits until every earlier instruction has executed,
    /// and LFENCE keeps later instructions from starting before the read.
    fn now_ordered(&self) -> u64 {
        todo!(
            "Tsc::now_ordered: read the timestamp counter after earlier instructions, before later ones"
        )
    }
}

/// Bits after the binary point in [`Conversion::mult`]: nanoseconds per tick is
/// `mult / 2^SHIFT`.
pub const SHIFT: u32 = 32;

/// How many nanoseconds a tick is worth, in 32.32 fixed point.
///
/// `ticks_to_nanos(ticks) = (ticks × mult) >> 32`, computed in `u128` so long spans never
/// overflow. The multiplier is `⌊nanos_per_tick × 2^32⌋`: a 3 GHz counter (1 ns per 3 ticks)
/// has `mult = ⌊2^32 / 3⌋ = 1_431_655_765`. Flooring the multiplier costs at most one
/// nanosecond per 2^32 ticks.
///
/// # Examples
///
/// ```
/// use cycle_clock::Conversion;
///
/// let three_ghz = Conversion::from_ratio(1, 3).unwrap();
/// assert_eq!(three_ghz.mult(), 1_431_655_765);
/// assert_eq!(three_ghz.ticks_to_nanos(3_000), 999); // rounded down
/// assert_eq!(Conversion::NANOS.ticks_to_nanos(42), 42);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Conversion {
    mult: u64,
}

impl Conversion {
    /// One tick is one nanosecond (`mult = 2^32`): the conversion of [`Fallback`].
    pub const NANOS: Conversion = Conversion { mult: 1 << SHIFT };

    /// The conversion with this multiplier (nanoseconds per tick × 2^32).
    pub const fn from_mult(mult: u64) -> Conversion {
        Conversion { mult }
    }

    /// The multiplier: nanoseconds per tick × 2^32, rounded down.
    pub const fn mult(&self) -> u64 {
        self.mult
    }

    /// Nanoseconds per tick as a float, for display.
    pub fn nanos_per_tick(&self) -> f64 {
        self.mult as f64 / (1u64 << SHIFT) as f64
    }

    /// The conversion for a counter that advanced `ticks` while `nanos` nanoseconds passed:
    /// `mult = ⌊nanos × 2^32 / ticks⌋`.
    ///
    /// `None` when `ticks` is 0 or the multiplier does not fit in a `u64` (a tick worth
    /// 2^32 ns, about 4.3 s, or more).
    ///
    /// # Examples
    ///
    /// ```
    /// use cycle_clock::Conversion;
    ///
    /// assert_eq!(Conversion::from_ratio(1, 1), Some(Conversion::NANOS));
    /// assert_eq!(Conversion::from_ratio(1, 3).unwrap().mult(), 1_431_655_765);
    /// assert_eq!(Conversion::from_ratio(1_000, 0), None);
    /// ```
    pub fn from_ratio(nanos: u64, ticks: u64) -> Option<Conversion> {
        todo!("Conversion::from_ratio: nanoseconds per tick for {nanos} ns over {ticks} ticks")
    }

    /// Nanoseconds in `ticks`: `⌊ticks × mult / 2^32⌋`, saturating at `u64::MAX`.
    ///
    /// The product is taken in `u128`: in `u64`, a 3 GHz counter would overflow after
    /// 4.3 seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// use cycle_clock::Conversion;
    ///
    /// let two_ns = Conversion::from_ratio(2, 1).unwrap();
    /// assert_eq!(two_ns.ticks_to_nanos(21), 42);
    /// assert_eq!(two_ns.ticks_to_nanos(u64::MAX), u64::MAX); // saturates
    /// ```
    pub fn ticks_to_nanos(&self, ticks: u64) -> u64 {
        todo!(
            "Conversion::ticks_to_nanos: {ticks} ticks at {} ns per tick",
            self.nanos_per_tick()
        )
    }
}

/// One calibration window: the ticks a source advanced and the nanoseconds `Instant` saw
/// over the same stretch of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// Ticks the source advanced.
    pub ticks: u64,
    /// Nanoseconds `Instant` measured.
    pub nanos: u64,
}

/// Measures one calibration window of at least `length` on `source`.
///
/// Reads `Instant::now()`, then `source.now_ordered()`; spins (with
/// [`std::hint::spin_loop`]) until `length` has passed on the first `Instant`; then reads
/// `source.now_ordered()`, then `Instant::now()`. The source is read exactly twice; the
/// ticks are the difference of its two readings (0 if the second is smaller), the nanos the
/// time between the two outer instants, so they cover the ticks.
///
/// # Examples
///
/// ```
/// use cycle_clock::{measure_window, Fallback};
/// use std::time::Duration;
///
/// let window = measure_window(&Fallback::new(), Duration::from_micros(200));
/// assert!(window.nanos >= 200_000);
/// assert!(window.ticks <= window.nanos);
/// ```
pub fn measure_window<S: TickSource + ?Sized>(source: &S, length: Duration) -> Window {
    todo!("measure_window: count the ticks of {source:?} over {length:?} of Instant time")
}

/// The median conversion of `windows`, or `None` when no window is usable.
///
/// Each window with `ticks > 0` and `nanos > 0` gives one multiplier,
/// `Conversion::from_ratio(nanos, ticks)`; windows that give none are skipped too. The result
/// is the median multiplier: the middle one for an odd count, the mean of the two middle
/// ones rounded down for an even count. A window stretched by preemption or an interrupt is
/// an outlier; the median ignores it where a mean would not.
///
/// # Examples
///
/// ```
/// use cycle_clock::{calibrate, Conversion, Window};
///
/// let three_ghz = Window { ticks: 3_000, nanos: 1_000 };
/// let preempted = Window { ticks: 3_000, nanos: 90_000 };
/// let median = calibrate(&[three_ghz, three_ghz, preempted, three_ghz, three_ghz]);
/// assert_eq!(median, Conversion::from_ratio(1, 3));
/// assert_eq!(calibrate(&[]), None);
/// ```
pub fn calibrate(windows: &[Window]) -> Option<Conversion> {
    todo!(
        "calibrate: the median conversion of {} windows",
        windows.len()
    )
}

/// A tick source and the conversion of its ticks to nanoseconds.
///
/// Read raw ticks on the hot path ([`now`](Self::now)), convert differences later
/// ([`to_nanos`](Self::to_nanos)): the conversion never runs while you measure.
///
/// # Examples
///
/// ```
/// use cycle_clock::{Clock, Conversion, Fallback};
/// use std::time::Duration;
///
/// let clock = Clock::new(Fallback::new(), Conversion::NANOS);
/// let start = clock.now_ordered();
/// let end = clock.now_ordered();
/// assert!(clock.to_duration(end - start) < Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Clock<S> {
    source: S,
    conversion: Conversion,
}

impl Clock<Fallback> {
    /// The portable clock: [`Fallback`] with [`Conversion::NANOS`], exact without
    /// calibration.
    pub fn fallback() -> Clock<Fallback> {
        Clock::new(Fallback::new(), Conversion::NANOS)
    }
}

impl<S: TickSource> Clock<S> {
    /// A clock that converts `source`'s ticks with `conversion`.
    pub fn new(source: S, conversion: Conversion) -> Clock<S> {
        Clock { source, conversion }
    }

    /// Calibrates `source` against `Instant`: measures `windows` windows of `length` each
    /// with [`measure_window`] and keeps their median with [`calibrate`]. `None` when no
    /// window was usable (for example `windows == 0`).
    ///
    /// Five windows of a millisecond or two are plenty: the median shrugs off a window or
    /// two that the scheduler stretched.
    pub fn calibrated(source: S, windows: usize, length: Duration) -> Option<Clock<S>> {
        let samples: Vec<Window> = (0..windows)
            .map(|_| measure_window(&source, length))
            .collect();
        let conversion = calibrate(&samples)?;
        Some(Clock::new(source, conversion))
    }

    /// A reading in ticks ([`TickSource::now`]).
    #[inline]
    pub fn now(&self) -> u64 {
        self.source.now()
    }

    /// An ordered reading in ticks ([`TickSource::now_ordered`]).
    #[inline]
    pub fn now_ordered(&self) -> u64 {
        self.source.now_ordered()
    }

    /// Nanoseconds in `ticks` ([`Conversion::ticks_to_nanos`]).
    pub fn to_nanos(&self, ticks: u64) -> u64 {
        self.conversion.ticks_to_nanos(ticks)
    }

    /// `ticks` as a [`Duration`].
    pub fn to_duration(&self, ticks: u64) -> Duration {
        Duration::from_nanos(self.to_nanos(ticks))
    }

    /// The conversion in use.
    pub fn conversion(&self) -> Conversion {
        self.conversion
    }

    /// The tick source.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// A [`Stopwatch`] started now.
    pub fn stopwatch(&self) -> Stopwatch<'_, S> {
        Stopwatch::start(self)
    }
}

/// A timer on a [`Clock`]: total time since the start, and laps.
///
/// Every call reads the clock exactly once, with [`Clock::now_ordered`], and converts a tick
/// difference (never a difference of converted values). A reading below the one it is
/// compared with counts as zero ticks.
///
/// ```text
/// ticks:  100        130             170                  260
///         start()    lap() = 30      lap() = 40           elapsed() = 160
///         |--- lap --|------ lap ----|                    |
///         |------------------ elapsed --------------------|
/// ```
///
/// # Examples
///
/// ```
/// use cycle_clock::Clock;
///
/// let clock = Clock::fallback();
/// let mut stopwatch = clock.stopwatch();
/// let a = stopwatch.lap();
/// let b = stopwatch.lap();
/// assert!(stopwatch.elapsed() >= a + b);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch<'c, S> {
    clock: &'c Clock<S>,
    start: u64,
    lap_start: u64,
}

impl<'c, S: TickSource> Stopwatch<'c, S> {
    /// Starts a stopwatch: one reading, which is both the start and the first lap's start.
    pub fn start(clock: &'c Clock<S>) -> Stopwatch<'c, S> {
        todo!(
            "Stopwatch::start: read the clock once (it converts with {:?})",
            clock.conversion()
        )
    }

    /// Time from the start to now. Reads the clock; laps do not change it.
    pub fn elapsed(&self) -> Duration {
        todo!(
            "Stopwatch::elapsed: read the clock, count from the start reading {}, convert with {:?}",
            self.start,
            self.clock.conversion()
        )
    }

    /// Time since the previous lap (or the start), and starts the next lap at the same
    /// reading, so consecutive laps add up with no gap.
    pub fn lap(&mut self) -> Duration {
        todo!(
            "Stopwatch::lap: the time since the lap that started at {}",
            self.lap_start
        )
    }
}
