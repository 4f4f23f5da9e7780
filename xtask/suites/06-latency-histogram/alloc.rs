//! Memory is paid once, in `new`: recording, reading and merging never touch the heap, and
//! the counters take no more room than HdrHistogram's layout.

use std::hint::black_box;

use hdrhistogram::Histogram as Hdr;
use latency_histogram::{DEFAULT_HIGHEST_TRACKABLE, DEFAULT_SIGFIG, Histogram};
use proptest::prelude::*;
use testkit::alloc::{CountingAlloc, Stats, measure};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// The counters of the default histogram: 33 792 slots of 8 bytes.
const DEFAULT_COUNTERS_BYTES: u64 = 270_336;

fn assert_no_allocation(what: &str, stats: Stats) {
    assert_eq!(
        stats.total(),
        0,
        "{what} allocated {} time(s) ({} bytes); expected no heap allocation at all",
        stats.total(),
        stats.bytes
    );
}

#[testkit::check]
#[test]
fn new_allocates_the_counters_exactly_once() {
    let (h, stats) = measure(|| black_box(Histogram::new(1, 1_000_000_000, 3)));
    let h = h.expect("Histogram::new(1, 1_000_000_000, 3) should succeed");
    assert_eq!(
        (stats.allocs, stats.reallocs),
        (1, 0),
        "Histogram::new should make exactly one allocation (the counters) and no reallocation; \
         got {} allocation(s) and {} reallocation(s)",
        stats.allocs,
        stats.reallocs
    );
    black_box(h);
}

#[testkit::check]
#[test]
fn the_default_histogram_fits_in_270_336_bytes() {
    let oracle = Hdr::<u64>::new_with_bounds(1, DEFAULT_HIGHEST_TRACKABLE, DEFAULT_SIGFIG)
        .expect("valid oracle bounds");
    assert_eq!(
        8 * oracle.distinct_values() as u64,
        DEFAULT_COUNTERS_BYTES,
        "suite bug: the bound should be HdrHistogram's counter array"
    );
    let (h, stats) = measure(|| black_box(Histogram::default()));
    assert!(
        stats.bytes <= DEFAULT_COUNTERS_BYTES,
        "Histogram::default() (1 ns to 1 hour, 3 figures) allocated {} bytes; HdrHistogram's \
         layout needs {DEFAULT_COUNTERS_BYTES} (33 792 counters of 8 bytes)",
        stats.bytes
    );
    let size = size_of::<Histogram>();
    assert!(
        size <= 128,
        "size_of::<Histogram>() is {size} bytes; the counters belong on the heap, the struct \
         itself should stay within 128 bytes"
    );
    black_box(h);
}

proptest! {
    #![proptest_config(testkit::proptest_config(32))]

    #[testkit::check]
    #[test]
    fn new_never_allocates_more_than_the_hdrhistogram_layout(
        (low, high, sigfig) in (1u8..=5, 0u32..=30).prop_flat_map(|(sigfig, unit)| {
            let max_span: u32 = if sigfig >= 4 { 20 } else { 32 };
            ((1u64 << unit)..(2u64 << unit), 1..=max_span, any::<u64>(), Just(sigfig))
        }).prop_map(|(low, span, r, sigfig)| {
            let base = low << span;
            (low, base + r % base, sigfig)
        })
    ) {
        let oracle = Hdr::<u64>::new_with_bounds(low, high, sigfig).expect("valid oracle bounds");
        let bound = 8 * oracle.distinct_values() as u64;
        let (h, stats) = measure(|| black_box(Histogram::new(low, high, sigfig)));
        prop_assert!(h.is_ok(), "Histogram::new({}, {}, {}) should succeed, got {:?}", low, high, sigfig, h);
        prop_assert!(
            stats.bytes <= bound,
            "Histogram::new({}, {}, {}) allocated {} bytes; HdrHistogram's layout needs {} ({} counters)",
            low, high, sigfig, stats.bytes, bound, oracle.distinct_values()
        );
        black_box(h.ok());
    }
}

/// Records a day of traffic in miniature; returns a checksum so nothing is optimized away.
fn record_everything(h: &mut Histogram) -> u64 {
    let mut ok = 0;
    for i in 0..1000u64 {
        ok += u64::from(h.record(black_box(i * 7919 % 5_000_000)).is_ok());
    }
    ok += u64::from(h.record_n(black_box(250_000), black_box(3)).is_ok());
    ok += u64::from(
        h.record_corrected(black_box(4_000_000), black_box(100_000))
            .is_ok(),
    );
    // The error path too: a refused value reports, it does not allocate a message.
    ok += u64::from(h.record(black_box(u64::MAX)).is_ok());
    ok += u64::from(
        h.record_corrected(black_box(u64::MAX), black_box(1))
            .is_ok(),
    );
    ok
}

#[testkit::check]
#[test]
fn recording_never_allocates() {
    let mut h = Histogram::new(1, 10_000_000, 3).expect("valid bounds");
    record_everything(&mut h); // warm up: anything lazily set up happens outside the measurement
    let (ok, stats) = measure(|| record_everything(&mut h));
    black_box(ok);
    assert_no_allocation(
        "record, record_n, record_corrected (accepted and refused values)",
        stats,
    );
}

#[testkit::check]
#[test]
fn reading_and_merging_never_allocate() {
    let mut h = Histogram::new(1, 10_000_000, 3).expect("valid bounds");
    let mut other = Histogram::new(1, 10_000_000, 3).expect("valid bounds");
    let stranger = Histogram::new(1, 20_000_000, 3).expect("valid bounds");
    record_everything(&mut h);
    record_everything(&mut other);
    let read = |h: &mut Histogram| {
        let mut sum = h.len() + h.min() + h.max() + h.mean() as u64 + h.count_at(black_box(7919));
        for q in [0.0, 0.5, 0.9, 0.99, 0.999, 1.0] {
            sum += h.value_at_quantile(black_box(q));
        }
        sum += h.lowest_equivalent(black_box(123_456)) + h.highest_equivalent(black_box(123_456));
        sum += u64::from(h.merge(&other).is_ok()) + u64::from(h.merge(&stranger).is_ok());
        sum
    };
    read(&mut h);
    let (sum, stats) = measure(|| read(&mut h));
    black_box(sum);
    assert_no_allocation(
        "len, min, max, mean, count_at, value_at_quantile, the equivalents and merge",
        stats,
    );
}
