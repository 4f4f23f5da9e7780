//! A latency histogram in the style of HdrHistogram: fixed memory, O(1) recording, exact tails.
//!
//! "How do you measure latency?" With a histogram, never an average: the mean of a skewed
//! distribution describes no real request, and the tail (P99, P99.9) is what your clients feel.
//! [`Histogram`] records `u64` values (nanoseconds, say) into a log-linear array of counters
//! sized once in [`Histogram::new`], so recording on the hot path is a few instructions, never
//! an allocation, and every quantile comes back within a known relative precision.
//!
//! # The log-linear layout
//!
//! Values are grouped into *buckets*, one per power of two; each bucket is split into equal
//! *sub-buckets* (the counters). With `sigfig = 1` and `lowest_discernible = 1`, the
//! sub-bucket count is 32 (the first power of two ≥ 2·10¹), so:
//!
//! ```text
//! index:  0  1  2 ... 31 | 32 33 ... 47 | 48 49 ... 63  | 64  ... 79  | ...
//! value:  0  1  2 ... 31 | 32 34 ... 62 | 64 68 ... 124 | 128 ... 248 | ...
//! width:  1              | 2            | 4             | 8           |
//!         bucket 0       | bucket 1     | bucket 2      | bucket 3    |
//! ```
//!
//! Bucket 0 has all 32 slots; every later bucket only needs its upper half (16 slots), because
//! its lower half would repeat the previous bucket at a coarser width. A value shares its
//! counter with every value in the same slot: those values are *equivalent*. From 10^sigfig
//! up, a slot's width is at most 1/10^sigfig of the values it holds: with `sigfig = 3`, three
//! significant figures are kept for every value, from microseconds to hours.

use std::fmt;

/// The highest value [`Histogram::default`] tracks: one hour in nanoseconds.
pub const DEFAULT_HIGHEST_TRACKABLE: u64 = 3_600_000_000_000;

/// The significant figures [`Histogram::default`] keeps.
pub const DEFAULT_SIGFIG: u8 = 3;

/// A log-linear histogram of `u64` values with fixed bounds and a fixed precision.
///
/// Every value from 0 to [`highest_trackable`](Self::highest_trackable) can be recorded;
/// values that share a slot are [equivalent](Self::equivalent) and are counted together.
/// Memory is allocated once, in [`new`](Self::new); recording, merging and reading quantiles
/// never allocate.
///
/// # Examples
///
/// ```
/// use latency_histogram::Histogram;
///
/// // Latencies in nanoseconds, from 1 ns to 1 s, with 3 significant figures.
/// let mut h = Histogram::new(1, 1_000_000_000, 3).unwrap();
/// for latency in [120, 130, 125, 140, 9_000_000] {
///     h.record(latency).unwrap();
/// }
/// assert_eq!(h.len(), 5);
/// assert_eq!(h.value_at_quantile(0.5), 130);
/// // 9 ms is kept to 3 significant figures: the answer is the top of its slot.
/// assert_eq!(h.value_at_quantile(0.99), 9_003_007);
/// assert!(h.equivalent(h.value_at_quantile(0.99), 9_000_000));
/// assert!(h.record(2_000_000_000).is_err()); // above the highest trackable value
/// ```
#[derive(Clone)]
pub struct Histogram {
    /// The `lowest_discernible` given to `new`.
    lowest_discernible: u64,
    /// The `highest_trackable` given to `new`: the largest value `record` accepts.
    highest_trackable: u64,
    /// The `sigfig` given to `new`, in `1..=5`.
    sigfig: u8,
    /// `floor(log2(lowest_discernible))`: slots in bucket 0 are `2^unit_magnitude` wide.
    unit_magnitude: u32,
    /// `log2(sub_bucket_count / 2)`: every bucket after the first has `2^this` slots.
    sub_bucket_half_count_magnitude: u32,
    /// `(sub_bucket_count - 1) << unit_magnitude`: the largest value of bucket 0 (all ones).
    sub_bucket_mask: u64,
    /// `64 - unit_magnitude - log2(sub_bucket_count)`: the leading zeros of `sub_bucket_mask`,
    /// so of every bucket-0 value OR-ed with it.
    leading_zero_count_base: u32,
    /// One counter per slot, enough slots to cover `highest_trackable`.
    counts: Box<[u64]>,
    /// Sum of all counts.
    total: u64,
    /// The smallest value recorded, `u64::MAX` while empty.
    min_recorded: u64,
    /// The largest value recorded, `0` while empty.
    max_recorded: u64,
}

/// Why [`Histogram::new`] refused its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreationError {
    /// `lowest_discernible` is 0; it must be at least 1.
    LowIsZero,
    /// `highest_trackable` is less than `2 * lowest_discernible` (or that product overflows).
    HighLessThanTwiceLow,
    /// `sigfig` is outside `1..=5`.
    SigFigOutOfRange,
    /// `lowest_discernible` is so large that `sigfig` digits beyond it do not fit in a `u64`.
    CannotRepresentSigFigBeyondLow,
}

impl fmt::Display for CreationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LowIsZero => "the lowest discernible value must be at least 1",
            Self::HighLessThanTwiceLow => {
                "the highest trackable value must be at least twice the lowest discernible value"
            }
            Self::SigFigOutOfRange => "significant figures must be between 1 and 5",
            Self::CannotRepresentSigFigBeyondLow => {
                "that many significant figures above the lowest discernible value do not fit in a u64"
            }
        })
    }
}

impl std::error::Error for CreationError {}

/// A value above the histogram's highest trackable value; nothing was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// The value that was refused.
    pub value: u64,
    /// The histogram's highest trackable value.
    pub highest_trackable: u64,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is above the highest trackable value {}",
            self.value, self.highest_trackable
        )
    }
}

impl std::error::Error for OutOfRange {}

/// [`Histogram::merge`] needs two histograms built with the same `new` arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeError;

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("only histograms with the same bounds and significant figures can be merged")
    }
}

impl std::error::Error for MergeError {}

impl Histogram {
    /// A histogram for values in `0..=highest_trackable`, keeping `sigfig` significant figures
    /// for values from `lowest_discernible` up.
    ///
    /// Values below `lowest_discernible` are still recorded, at a resolution of
    /// `2^floor(log2(lowest_discernible))`: with `lowest_discernible = 1000`, values 0 to 511
    /// share one slot. Allocates the counters once; nothing else ever allocates.
    ///
    /// # Errors
    ///
    /// [`CreationError`] when `lowest_discernible` is 0, when `highest_trackable <
    /// 2 * lowest_discernible`, when `sigfig` is not in `1..=5`, or when
    /// `log2(lowest_discernible)` plus the bits for `sigfig` exceed 63.
    pub fn new(
        lowest_discernible: u64,
        highest_trackable: u64,
        sigfig: u8,
    ) -> Result<Self, CreationError> {
        todo!(
            "Histogram::new({lowest_discernible}, {highest_trackable}, {sigfig}): check the arguments, derive the layout, allocate the counters once"
        )
    }

    /// The `lowest_discernible` given to [`new`](Self::new).
    pub fn lowest_discernible(&self) -> u64 {
        self.lowest_discernible
    }

    /// The largest value [`record`](Self::record) accepts.
    pub fn highest_trackable(&self) -> u64 {
        self.highest_trackable
    }

    /// The number of significant figures kept, in `1..=5`.
    pub fn sigfig(&self) -> u8 {
        self.sigfig
    }

    // Your three helpers: the equivalents below, and most of what follows, are built on them.
    /// The bucket of `value`: 0 below `sub_bucket_count << unit_magnitude`, then one more per
    /// doubling. Any `u64` has a bucket, even one above `highest_trackable`.
    #[inline]
    fn bucket_of(&self, value: u64) -> u32 {
        todo!(
            "Histogram::bucket_of({value}): how many doublings above bucket 0? (mask {:#x}, base {})",
            self.sub_bucket_mask,
            self.leading_zero_count_base
        )
    }

    /// The position of `value`'s slot in the counters: bucket 0 fills slots `0..2 * half`,
    /// bucket `k > 0` fills slots `(k + 1) * half..(k + 2) * half` (`half = sub_bucket_count
    /// / 2`). May point past the counters for a value above `highest_trackable`.
    #[inline]
    fn index_of(&self, value: u64) -> usize {
        todo!(
            "Histogram::index_of({value}): bucket << {} plus the sub-bucket",
            self.sub_bucket_half_count_magnitude
        )
    }

    /// The lowest value of slot `index`: the inverse of [`index_of`](Self::index_of).
    #[inline]
    fn value_from_index(&self, index: usize) -> u64 {
        todo!(
            "Histogram::value_from_index({index}): the lowest value of slot {index} of {}",
            self.counts.len()
        )
    }

    /// The smallest value equivalent to `value`: the start of its slot.
    pub fn lowest_equivalent(&self, value: u64) -> u64 {
        self.value_from_index(self.index_of(value))
    }

    /// The largest value equivalent to `value`: the end of its slot.
    pub fn highest_equivalent(&self, value: u64) -> u64 {
        // Slots are aligned to their width, so this never overflows, even at u64::MAX.
        self.lowest_equivalent(value) + (self.equivalent_range(value) - 1)
    }

    /// The width of `value`'s slot: how many values share its counter.
    pub fn equivalent_range(&self, value: u64) -> u64 {
        1 << (self.unit_magnitude + self.bucket_of(value))
    }

    /// `true` when `a` and `b` share a slot, so the histogram cannot tell them apart.
    pub fn equivalent(&self, a: u64, b: u64) -> bool {
        self.lowest_equivalent(a) == self.lowest_equivalent(b)
    }

    /// Records one occurrence of `value`. O(1), never allocates.
    ///
    /// # Errors
    ///
    /// [`OutOfRange`] when `value > highest_trackable`; nothing is recorded.
    #[inline]
    pub fn record(&mut self, value: u64) -> Result<(), OutOfRange> {
        self.record_n(value, 1)
    }

    /// Records `count` occurrences of `value`. O(1), never allocates.
    ///
    /// Counters and the total saturate at `u64::MAX` instead of wrapping. A `count` of 0
    /// changes nothing (once `value` is known to be in range).
    ///
    /// # Errors
    ///
    /// [`OutOfRange`] when `value > highest_trackable`; nothing is recorded.
    #[inline]
    pub fn record_n(&mut self, value: u64, count: u64) -> Result<(), OutOfRange> {
        todo!(
            "Histogram::record_n({value}, {count}): check the range, then bump one of the {} counters",
            self.counts.len()
        )
    }

    /// Records `value`, plus the samples a stalled load generator failed to send.
    ///
    /// A load generator that sends one request every `expected_interval` and waits for each
    /// response sends nothing while the system stalls: one slow response hides the requests
    /// that would have queued behind it (*coordinated omission*). This records `value`, then
    /// `value - expected_interval`, `value - 2 * expected_interval`, … for as long as the
    /// recorded value is still at least `expected_interval`. An interval of 0 records `value`
    /// alone. Takes O(value / expected_interval) time and never allocates.
    ///
    /// # Errors
    ///
    /// [`OutOfRange`] when `value > highest_trackable`; nothing is recorded.
    pub fn record_corrected(
        &mut self,
        value: u64,
        expected_interval: u64,
    ) -> Result<(), OutOfRange> {
        todo!(
            "Histogram::record_corrected({value}, {expected_interval}): record {value}, then the samples a stalled generator never sent"
        )
    }

    /// The number of values recorded (the sum of all counts, saturating at `u64::MAX`).
    pub fn len(&self) -> u64 {
        todo!(
            "Histogram::len: the sum of all counts ({} so far?)",
            self.total
        )
    }

    /// `true` when nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many recorded values are equivalent to `value` (0 past the end of the counters).
    pub fn count_at(&self, value: u64) -> u64 {
        todo!("Histogram::count_at({value}): the counter of its slot, or 0 past the end")
    }

    /// The value at quantile `quantile`, with HdrHistogram's semantics.
    ///
    /// `quantile` is clamped to `[0, 1]`. The answer is the slot reached when the running
    /// count, from the lowest slot up, first reaches `max(1, ceil(quantile * len))`; it is the
    /// slot's highest equivalent value, or its lowest for quantile 0 (so `value_at_quantile(0.0)
    /// == min()` and `value_at_quantile(1.0) == max()`). Returns 0 when empty. Never allocates.
    pub fn value_at_quantile(&self, quantile: f64) -> u64 {
        todo!(
            "Histogram::value_at_quantile({quantile}): walk the counters until max(1, ceil(q * {})) values are seen",
            self.total
        )
    }

    /// The smallest recorded value, as the lowest value equivalent to it; 0 when empty.
    pub fn min(&self) -> u64 {
        todo!(
            "Histogram::min: the lowest equivalent of the smallest value recorded ({})",
            self.min_recorded
        )
    }

    /// The largest recorded value, as the highest value equivalent to it; 0 when empty.
    pub fn max(&self) -> u64 {
        todo!(
            "Histogram::max: the highest equivalent of the largest value recorded ({})",
            self.max_recorded
        )
    }

    /// The mean, taking each value as the middle of its slot: `lowest + range / 2` (rounded
    /// down), weighted by its count; 0.0 when empty.
    ///
    /// A mean hides the tail: report quantiles.
    pub fn mean(&self) -> f64 {
        todo!(
            "Histogram::mean: the middle of each slot, weighted by its count, over {} values",
            self.total
        )
    }

    /// Adds every count of `other` to this histogram, as if its values had been recorded here.
    ///
    /// Never allocates.
    ///
    /// # Errors
    ///
    /// [`MergeError`] when `other` was built with different `new` arguments; nothing changes.
    pub fn merge(&mut self, other: &Histogram) -> Result<(), MergeError> {
        todo!(
            "Histogram::merge: add the {} values of the other histogram to these {}",
            other.total,
            self.total
        )
    }
}

impl Default for Histogram {
    /// Nanosecond latencies up to one hour ([`DEFAULT_HIGHEST_TRACKABLE`]), 3 significant
    /// figures, from 1 ns.
    fn default() -> Self {
        Self::new(1, DEFAULT_HIGHEST_TRACKABLE, DEFAULT_SIGFIG)
            .expect("the default bounds are valid")
    }
}

impl fmt::Debug for Histogram {
    /// The configuration and the number of values, not the thousands of counters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Histogram")
            .field("lowest_discernible", &self.lowest_discernible)
            .field("highest_trackable", &self.highest_trackable)
            .field("sigfig", &self.sigfig)
            .field("len", &self.total)
            .finish_non_exhaustive()
    }
}

/// The interval at which [`gateway_latencies`]'s load generator sends requests: 100 µs.
pub const GATEWAY_INTERVAL_NS: u64 = 100_000;

/// Latencies, in nanoseconds, of 100 000 requests to an order gateway: a skewed workload.
///
/// Most requests take 18–40 µs; 1 in 100 waits 0.2–2 ms on a downstream service; 1 in 1000
/// hits a 5–20 ms retry; and once, the process stalls for 150 ms. The sequence is the same on
/// every call (a fixed-seed xorshift generator).
pub fn gateway_latencies() -> impl Iterator<Item = u64> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    (0..100_000u32).map(move |i| {
        // xorshift64: fast, deterministic, good enough to shape a workload.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let spread = (state >> 24) % 1_000_000; // in 0..1_000_000
        if i == 61_803 {
            return 150_000_000; // the stall
        }
        match state % 10_000 {
            0..=9 => 5_000_000 + spread * 15,     // retries: 5 ms to 20 ms
            10..=109 => 200_000 + spread * 9 / 5, // downstream waits: 0.2 ms to 2 ms
            _ => 18_000 + spread % 11_000 + (spread / 11_000) * 121, // 18 µs to 40 µs
        }
    })
}

/// A table of count, mean, P50, P90, P99, P99.9, P99.99 and max, one column per histogram.
///
/// ```text
///                  as measured
/// count                 100000
/// mean                 31.6 µs
/// ...
/// ```
pub fn latency_table(columns: &[(&str, &Histogram)]) -> String {
    use fmt::Write;

    let mut out = format!("{:<8}", "");
    for (name, _) in columns {
        let _ = write!(out, "{name:>14}");
    }
    out.push('\n');
    let mut row = |label: &str, cell: &dyn Fn(&Histogram) -> String| {
        let _ = write!(out, "{label:<8}");
        for (_, h) in columns {
            let _ = write!(out, "{:>14}", cell(h));
        }
        out.push('\n');
    };
    row("count", &|h| h.len().to_string());
    row("mean", &|h| format_ns(h.mean()));
    for (label, q) in [
        ("P50", 0.5),
        ("P90", 0.9),
        ("P99", 0.99),
        ("P99.9", 0.999),
        ("P99.99", 0.9999),
    ] {
        row(label, &|h| format_ns(h.value_at_quantile(q) as f64));
    }
    row("max", &|h| format_ns(h.max() as f64));
    out
}

/// Nanoseconds in the unit a human reads best: `950.0 ns`, `31.6 µs`, `1.52 ms`, `150.00 ms`.
fn format_ns(ns: f64) -> String {
    if ns < 1_000.0 {
        format!("{ns:.1} ns")
    } else if ns < 1_000_000.0 {
        format!("{:.1} µs", ns / 1_000.0)
    } else {
        format!("{:.2} ms", ns / 1_000_000.0)
    }
}
