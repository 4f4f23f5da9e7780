//! Growth: a `Vec` that grows or shrinks asks for exactly one `realloc` per capacity change.
//!
//! The expected numbers are built from the capacities the test observes, so they hold whatever
//! growth strategy `Vec` uses.

use std::hint::black_box;
use std::mem::size_of;

use alloc_meter::{Stats, measure};
use proptest::prelude::*;

// The suite binary's one global allocator, for every file of this suite. Gated: the
// learner's allocator takes over only once a check has started (see `testkit::alloc::Gated`).
#[global_allocator]
static METER: testkit::alloc::Gated<alloc_meter::Meter> =
    testkit::alloc::Gated::new(alloc_meter::Meter);

/// What the heap should have seen, built from observed sizes and capacities. Plain data: using
/// it inside `measure` never allocates.
#[derive(Debug, Default, Clone, Copy)]
struct Model {
    stats: Stats,
    live: i64,
    peak: i64,
}

impl Model {
    fn grow(&mut self, bytes: usize) {
        self.stats.bytes_allocated += bytes as u64;
        self.live += bytes as i64;
        self.peak = self.peak.max(self.live);
        self.stats.peak_bytes = self.peak as u64;
    }

    fn shrink(&mut self, bytes: usize) {
        self.stats.bytes_freed += bytes as u64;
        self.live -= bytes as i64;
    }

    fn alloc(&mut self, bytes: usize) {
        self.stats.allocs += 1;
        self.grow(bytes);
    }

    fn dealloc(&mut self, bytes: usize) {
        self.stats.deallocs += 1;
        self.shrink(bytes);
    }

    /// A buffer went from `before` to `after` elements of `size` bytes: from nothing is an
    /// alloc, to nothing a dealloc, any other change one realloc.
    fn capacity_change(&mut self, before: usize, after: usize, size: usize) {
        match (before, after) {
            _ if before == after => {}
            (0, _) => self.alloc(after * size),
            (_, 0) => self.dealloc(before * size),
            _ => {
                self.stats.reallocs += 1;
                if after > before {
                    self.grow((after - before) * size);
                } else {
                    self.shrink((before - after) * size);
                }
            }
        }
    }
}

#[testkit::check]
#[test]
fn vec_growth_matches_the_capacity_changes_it_observes() {
    let (model, got) = measure(|| {
        let mut model = Model::default();
        let mut v: Vec<u64> = Vec::new();
        for i in 0..1000u64 {
            let before = v.capacity();
            v.push(black_box(i));
            model.capacity_change(before, v.capacity(), size_of::<u64>());
        }
        let cap = v.capacity();
        drop(black_box(v));
        model.dealloc(cap * size_of::<u64>());
        model
    });
    assert!(
        model.stats.reallocs >= 1,
        "growing a Vec from 0 to 1000 elements changes its capacity more than once"
    );
    assert_eq!(
        got, model.stats,
        "pushing 1000 u64 into Vec::new() then dropping it: one alloc, one realloc per later \
         capacity change ({} of them), one dealloc; expected {:?}, got {got:?}",
        model.stats.reallocs, model.stats
    );
}

#[testkit::check]
#[test]
fn a_reserved_vec_never_reallocates() {
    let (v, got) = measure(|| {
        let mut v: Vec<u64> = Vec::with_capacity(1000);
        for i in 0..1000u64 {
            v.push(black_box(i));
        }
        v
    });
    let bytes = (v.capacity() * size_of::<u64>()) as u64;
    let expected = Stats {
        allocs: 1,
        bytes_allocated: bytes,
        peak_bytes: bytes,
        ..Stats::default()
    };
    assert_eq!(
        got, expected,
        "Vec::with_capacity(1000) then 1000 pushes: one alloc and no realloc; expected {expected:?}, got {got:?}"
    );
}

#[testkit::check]
#[test]
fn realloc_is_counted_once_not_as_an_alloc_and_a_dealloc() {
    let mut v: Vec<u8> = Vec::with_capacity(16);
    v.extend(0..16u8);
    let before = v.capacity();
    let ((), got) = measure(|| v.push(black_box(16)));
    let after = v.capacity();
    assert!(after > before, "pushing into a full Vec grows it");
    let growth = (after - before) as u64;
    let expected = Stats {
        reallocs: 1,
        bytes_allocated: growth,
        peak_bytes: growth,
        ..Stats::default()
    };
    assert_eq!(
        got, expected,
        "growing a Vec<u8> from capacity {before} to {after} is one realloc adding {growth} bytes \
         (not an alloc plus a dealloc); expected {expected:?}, got {got:?}"
    );
}

#[testkit::check]
#[test]
fn shrinking_a_vec_gives_bytes_back_through_one_realloc() {
    let mut v: Vec<u32> = Vec::with_capacity(100);
    v.extend(0..10u32);
    let before = v.capacity();
    let ((), got) = measure(|| v.shrink_to_fit());
    let after = v.capacity();
    assert!(
        after < before && after > 0,
        "shrink_to_fit on 10 of 100 shrinks the buffer"
    );
    let freed = ((before - after) * size_of::<u32>()) as u64;
    let expected = Stats {
        reallocs: 1,
        bytes_freed: freed,
        ..Stats::default()
    };
    assert_eq!(
        got, expected,
        "shrinking a Vec<u32> from capacity {before} to {after} is one realloc freeing {freed} \
         bytes, and no peak; expected {expected:?}, got {got:?}"
    );
}

/// One step of heap work on three vectors and four box slots.
#[derive(Debug, Clone)]
enum Op {
    Push { vec: usize, count: usize },
    Truncate { vec: usize, len: usize },
    Reserve { vec: usize, additional: usize },
    ShrinkToFit { vec: usize },
    Replace { vec: usize },
    BoxNew { slot: usize, value: u64 },
    BoxTake { slot: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 1..40usize).prop_map(|(vec, count)| Op::Push { vec, count }),
        1 => (0..3usize, 0..20usize).prop_map(|(vec, len)| Op::Truncate { vec, len }),
        1 => (0..3usize, 0..60usize).prop_map(|(vec, additional)| Op::Reserve { vec, additional }),
        1 => (0..3usize).prop_map(|vec| Op::ShrinkToFit { vec }),
        1 => (0..3usize).prop_map(|vec| Op::Replace { vec }),
        2 => (0..4usize, any::<u64>()).prop_map(|(slot, value)| Op::BoxNew { slot, value }),
        1 => (0..4usize).prop_map(|slot| Op::BoxTake { slot }),
    ]
}

/// Runs `ops`, then frees everything, feeding `model` with every capacity it observes.
fn run(ops: &[Op]) -> Model {
    const U32: usize = size_of::<u32>();
    const U64: usize = size_of::<u64>();
    let mut model = Model::default();
    let mut vecs: [Vec<u32>; 3] = Default::default();
    let mut boxes: [Option<Box<u64>>; 4] = Default::default();
    for op in ops {
        match *op {
            Op::Push { vec, count } => {
                for i in 0..count {
                    let before = vecs[vec].capacity();
                    vecs[vec].push(black_box(i as u32));
                    model.capacity_change(before, vecs[vec].capacity(), U32);
                }
            }
            Op::Truncate { vec, len } => {
                let before = vecs[vec].capacity();
                vecs[vec].truncate(len);
                model.capacity_change(before, vecs[vec].capacity(), U32);
            }
            Op::Reserve { vec, additional } => {
                let before = vecs[vec].capacity();
                vecs[vec].reserve(additional);
                model.capacity_change(before, vecs[vec].capacity(), U32);
            }
            Op::ShrinkToFit { vec } => {
                let before = vecs[vec].capacity();
                vecs[vec].shrink_to_fit();
                model.capacity_change(before, vecs[vec].capacity(), U32);
            }
            Op::Replace { vec } => {
                let before = vecs[vec].capacity();
                drop(std::mem::take(&mut vecs[vec]));
                model.capacity_change(before, 0, U32);
            }
            Op::BoxNew { slot, value } => {
                let new = black_box(Box::new(value));
                model.alloc(U64);
                if let Some(old) = boxes[slot].replace(new) {
                    drop(old);
                    model.dealloc(U64);
                }
            }
            Op::BoxTake { slot } => {
                if let Some(old) = boxes[slot].take() {
                    drop(old);
                    model.dealloc(U64);
                }
            }
        }
    }
    for v in &mut vecs {
        let before = v.capacity();
        drop(std::mem::take(v));
        model.capacity_change(before, 0, U32);
    }
    for b in &mut boxes {
        if let Some(old) = b.take() {
            drop(old);
            model.dealloc(U64);
        }
    }
    model
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn random_vec_and_box_work_matches_a_model_of_the_observed_capacities(
        ops in proptest::collection::vec(op(), 0..40)
    ) {
        let (model, got) = measure(|| run(&ops));
        prop_assert_eq!(
            got, model.stats,
            "measured stats differ from the model built from observed capacities (expected right, got left)"
        );
        prop_assert_eq!(
            got.allocs, got.deallocs,
            "everything allocated was freed inside the measurement, so allocs == deallocs; got {:?}", got
        );
        prop_assert_eq!(got.net_bytes(), 0, "everything was freed, so net_bytes() == 0; got {:?}", got);
        prop_assert!(
            got.peak_bytes <= got.bytes_allocated,
            "the peak can never exceed the bytes allocated; got {:?}", got
        );
    }
}
