//! Nesting: an inner `measure` sees its own closure, the outer one sees everything, each peak
//! counts from its own start, and the meter never allocates for itself.

use std::hint::black_box;

use alloc_meter::{Stats, measure, self_allocations};

// The learner's `Meter` is the global allocator of the whole suite binary: it is declared
// once, in alloc_growth.rs.

/// Outer: a box of a u64, dropped after the inner measurement; inner: a 100-byte buffer,
/// returned to the outer closure and kept.
fn outer_and_inner() -> (Stats, Stats) {
    let ((buffer, inner), outer) = measure(|| {
        let early = black_box(Box::new(1u64));
        let (buffer, inner) = measure(|| black_box(Vec::<u8>::with_capacity(100)));
        drop(early);
        (buffer, inner)
    });
    assert_eq!(buffer.capacity(), 100);
    (outer, inner)
}

#[testkit::check]
#[test]
fn a_nested_measurement_sees_only_its_own_work() {
    let (_, inner) = outer_and_inner();
    let expected = Stats {
        allocs: 1,
        bytes_allocated: 100,
        peak_bytes: 100,
        ..Stats::default()
    };
    assert_eq!(
        inner, expected,
        "the inner measure(|| Vec::<u8>::with_capacity(100)) must see only that buffer, not the \
         outer box; expected {expected:?}, got {inner:?}"
    );
}

#[testkit::check]
#[test]
fn the_outer_measurement_includes_the_inner_work() {
    let (outer, _) = outer_and_inner();
    let expected = Stats {
        allocs: 2,
        deallocs: 1,
        bytes_allocated: 108,
        bytes_freed: 8,
        peak_bytes: 108,
        ..Stats::default()
    };
    assert_eq!(
        outer, expected,
        "the outer measurement holds an 8-byte box while the inner one makes a 100-byte buffer, \
         then drops the box; expected {expected:?}, got {outer:?}"
    );
}

#[testkit::check]
#[test]
fn each_peak_counts_from_the_start_of_its_own_measurement() {
    let ((inner, _held), outer) = measure(|| {
        let held = black_box(Vec::<u8>::with_capacity(500));
        let ((), inner) = measure(|| drop(black_box(Vec::<u8>::with_capacity(100))));
        (inner, held)
    });
    assert_eq!(
        (inner.peak_bytes, outer.peak_bytes),
        (100, 600),
        "the outer closure holds 500 bytes, then an inner measurement makes and drops 100: \
         the inner peak is 100 (from its own start), the outer 600; got inner {inner:?}, outer {outer:?}"
    );
}

#[testkit::check]
#[test]
fn an_inner_measurement_keeps_the_outer_peak_seen_before_it() {
    let (inner, outer) = measure(|| {
        drop(black_box(Vec::<u8>::with_capacity(1000)));
        let ((), inner) = measure(|| drop(black_box(Vec::<u8>::with_capacity(10))));
        inner
    });
    assert_eq!(
        (inner.peak_bytes, outer.peak_bytes),
        (10, 1000),
        "the outer closure makes and drops 1000 bytes, then an inner measurement makes and \
         drops 10: the inner peak is 10 and the outer one must still be 1000; got inner \
         {inner:?}, outer {outer:?}"
    );
}

#[testkit::check]
#[test]
fn the_inner_peak_counts_toward_the_outer_peak() {
    let (inner, outer) = measure(|| {
        let ((), inner) = measure(|| drop(black_box(Vec::<u8>::with_capacity(1000))));
        drop(black_box(Vec::<u8>::with_capacity(10)));
        inner
    });
    assert_eq!(
        (inner.peak_bytes, outer.peak_bytes),
        (1000, 1000),
        "an inner measurement makes and drops 1000 bytes, then the outer closure makes and \
         drops 10: both peaks are 1000; got inner {inner:?}, outer {outer:?}"
    );
}

/// `depth` measurements inside each other around one box made and dropped; returns every
/// level's stats, innermost first, in a fixed array (collecting them must not allocate).
fn nest(depth: usize, levels: &mut [Stats; 12]) {
    let ((), stats) = if depth == 0 {
        measure(|| drop(black_box(Box::new(7u64))))
    } else {
        measure(|| nest(depth - 1, levels))
    };
    levels[depth] = stats;
}

#[testkit::check]
#[test]
fn deeply_nested_measurements_add_nothing_of_their_own() {
    let mut levels = [Stats::default(); 12];
    nest(levels.len() - 1, &mut levels);
    let one_box = Stats {
        allocs: 1,
        deallocs: 1,
        bytes_allocated: 8,
        bytes_freed: 8,
        peak_bytes: 8,
        ..Stats::default()
    };
    for (depth, got) in levels.iter().enumerate() {
        assert_eq!(
            *got, one_box,
            "12 measurements nested around one 8-byte box: level {depth} (0 = innermost) must \
             see just that box, since measure itself never allocates; expected {one_box:?}, got {got:?}"
        );
    }
}

#[testkit::check]
#[test]
fn recording_never_allocates() {
    let before = self_allocations();
    let ((), _) = measure(|| {
        let mut v: Vec<u64> = Vec::new();
        for i in 0..100 {
            v.push(black_box(i));
        }
        v.shrink_to_fit();
        let ((), _) = measure(|| drop(black_box(format!("{v:?}"))));
    });
    let made = self_allocations() - before;
    assert_eq!(
        made, 0,
        "your recording hooks made {made} heap calls of their own while recording: the meter \
         must never allocate (keep the ledger in const-initialized Cells, no Vec, no String)"
    );
}
