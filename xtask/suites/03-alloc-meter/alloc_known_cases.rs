//! Known cases: what the everyday heap types ask of the allocator, checked exactly.
//!
//! Expected numbers come from sizes and capacities the case observes (`size_of`, `capacity()`),
//! never from constants a future Rust could change.

use std::fmt::{Debug, Write as _};
use std::hint::black_box;
use std::mem::{size_of, size_of_val};
use std::sync::Arc;

use alloc_meter::{Stats, measure};
use rstest::rstest;

// The learner's `Meter` is the global allocator of the whole suite binary: it is declared
// once, in alloc_growth.rs.

/// What one case measured, next to what it should have measured.
struct Seen {
    code: &'static str,
    expected: Stats,
    got: Stats,
}

/// One `alloc` of `bytes`, still in use at the end.
fn one_alloc(bytes: usize) -> Stats {
    Stats {
        allocs: 1,
        bytes_allocated: bytes as u64,
        peak_bytes: bytes as u64,
        ..Stats::default()
    }
}

fn a_box_of_a_u64() -> Seen {
    let (b, got) = measure(|| black_box(Box::new(7u64)));
    assert_eq!(*b, 7, "measure must return what the closure returned");
    Seen {
        code: "Box::new(7u64), returned",
        expected: one_alloc(size_of::<u64>()),
        got,
    }
}

fn a_box_dropped_inside() -> Seen {
    let ((), got) = measure(|| drop(black_box(Box::new(7u64))));
    Seen {
        code: "drop(Box::new(7u64))",
        expected: Stats {
            allocs: 1,
            deallocs: 1,
            bytes_allocated: 8,
            bytes_freed: 8,
            peak_bytes: 8,
            ..Stats::default()
        },
        got,
    }
}

fn two_boxes_one_after_the_other() -> Seen {
    let ((), got) = measure(|| {
        drop(black_box(Box::new(1u64)));
        drop(black_box(Box::new(2u64)));
    });
    Seen {
        code: "drop(Box::new(1u64)); drop(Box::new(2u64))",
        expected: Stats {
            allocs: 2,
            deallocs: 2,
            bytes_allocated: 16,
            bytes_freed: 16,
            peak_bytes: 8,
            ..Stats::default()
        },
        got,
    }
}

fn two_boxes_alive_together() -> Seen {
    let ((), got) = measure(|| {
        let a = black_box(Box::new(1u64));
        let b = black_box(Box::new(2u64));
        drop(a);
        drop(b);
    });
    Seen {
        code: "let a = Box::new(1u64); let b = Box::new(2u64); drop(a); drop(b)",
        expected: Stats {
            allocs: 2,
            deallocs: 2,
            bytes_allocated: 16,
            bytes_freed: 16,
            peak_bytes: 16,
            ..Stats::default()
        },
        got,
    }
}

fn freeing_a_box_made_before_the_measurement() -> Seen {
    let early = black_box(Box::new(7u64));
    let ((), got) = measure(move || drop(early));
    Seen {
        code: "drop(a Box<u64> made before measure)",
        expected: Stats {
            deallocs: 1,
            bytes_freed: 8,
            ..Stats::default()
        },
        got,
    }
}

fn freeing_a_buffer_made_before_then_allocating() -> Seen {
    let early = black_box(Vec::<u8>::with_capacity(100));
    let cap = early.capacity();
    let (b, got) = measure(move || {
        drop(early);
        black_box(Box::new(7u64))
    });
    assert_eq!(*b, 7);
    Seen {
        code: "drop(a 100-byte Vec made before measure), then Box::new(7u64)",
        expected: Stats {
            allocs: 1,
            deallocs: 1,
            bytes_allocated: 8,
            bytes_freed: cap as u64,
            // In use: -100, then -92: never above where the measurement started.
            peak_bytes: 0,
            ..Stats::default()
        },
        got,
    }
}

fn shrinking_a_buffer_made_before_then_allocating() -> Seen {
    let mut early = black_box(Vec::<u8>::with_capacity(100));
    early.push(1);
    let before = early.capacity();
    let (after, got) = measure(|| {
        early.shrink_to_fit();
        let b = black_box(Box::new(7u64));
        drop(b);
        early.capacity()
    });
    Seen {
        code: "shrink_to_fit on a capacity-100 Vec<u8> of 1 made before measure, then a Box<u64> made and dropped",
        expected: Stats {
            allocs: 1,
            deallocs: 1,
            reallocs: 1,
            bytes_allocated: 8,
            bytes_freed: (before - after) as u64 + 8,
            peak_bytes: 0,
        },
        got,
    }
}

fn a_measurement_after_one_that_freed_older_memory() -> Seen {
    let early = black_box(Vec::<u8>::with_capacity(100));
    // In use on this thread drops to -100 here, and stays there.
    let ((), _) = measure(move || drop(early));
    let (b, got) = measure(|| black_box(Box::new(7u64)));
    assert_eq!(*b, 7);
    Seen {
        code: "Box::new(7u64), after a measure that dropped a 100-byte Vec made before it",
        // -100, then -92: 8 above where this measurement started.
        expected: one_alloc(8),
        got,
    }
}

fn a_realloc_to_the_same_size() -> Seen {
    let layout = std::alloc::Layout::from_size_align(16, 8).expect("a valid layout");
    // SAFETY: the layout has a non-zero size.
    let block = unsafe { std::alloc::alloc(layout) };
    assert!(!block.is_null(), "allocating 16 bytes");
    // SAFETY: `block` was allocated with `layout`, and 16 is a non-zero size.
    let (moved, got) = measure(|| unsafe { std::alloc::realloc(block, layout, 16) });
    assert!(!moved.is_null(), "reallocating 16 bytes to 16");
    // SAFETY: `moved` is the live block `realloc` returned, of 16 bytes with `layout`'s align.
    unsafe { std::alloc::dealloc(moved, layout) };
    Seen {
        code: "std::alloc::realloc of a 16-byte block made before measure, to 16 bytes",
        expected: Stats {
            reallocs: 1,
            ..Stats::default()
        },
        got,
    }
}

fn an_empty_vec() -> Seen {
    let (v, got) = measure(|| black_box(Vec::<u64>::new()));
    assert_eq!(v.capacity(), 0);
    Seen {
        code: "Vec::<u64>::new()",
        expected: Stats::default(),
        got,
    }
}

fn an_empty_string() -> Seen {
    let (_s, got) = measure(|| black_box(String::new()));
    Seen {
        code: "String::new()",
        expected: Stats::default(),
        got,
    }
}

fn a_box_of_a_zero_sized_value() -> Seen {
    let (_b, got) = measure(|| black_box(Box::new(())));
    Seen {
        code: "Box::new(())",
        expected: Stats::default(),
        got,
    }
}

fn a_vec_with_capacity() -> Seen {
    let (v, got) = measure(|| black_box(Vec::<u64>::with_capacity(100)));
    Seen {
        code: "Vec::<u64>::with_capacity(100)",
        expected: one_alloc(v.capacity() * size_of::<u64>()),
        got,
    }
}

fn a_zeroed_buffer() -> Seen {
    let (v, got) = measure(|| black_box(vec![0u8; 4096]));
    Seen {
        code: "vec![0u8; 4096] (alloc_zeroed)",
        expected: one_alloc(v.capacity()),
        got,
    }
}

fn a_string_from_a_literal() -> Seen {
    let (s, got) = measure(|| black_box(String::from("bid 101.25")));
    Seen {
        code: "String::from(\"bid 101.25\")",
        expected: one_alloc(s.capacity()),
        got,
    }
}

fn string_formatting_into_a_reserved_buffer() -> Seen {
    let (s, got) = measure(|| {
        let mut s = String::with_capacity(64);
        write!(s, "{} @ {}", black_box(100u32), black_box(101.25f64)).unwrap();
        s
    });
    assert_eq!(s, "100 @ 101.25");
    Seen {
        code: "String::with_capacity(64) + write!(s, \"{} @ {}\", 100, 101.25)",
        expected: one_alloc(s.capacity()),
        got,
    }
}

fn a_clone_of_a_vec() -> Seen {
    let original: Vec<u32> = (1..=10).collect();
    let (copy, got) = measure(|| black_box(&original).clone());
    Seen {
        code: "a clone of a Vec<u32> of 10",
        expected: one_alloc(copy.capacity() * size_of::<u32>()),
        got,
    }
}

fn a_clone_of_a_vec_of_strings() -> Seen {
    let original: Vec<String> = ["bid", "ask", "last"].map(String::from).to_vec();
    let (copy, got) = measure(|| black_box(&original).clone());
    let bytes =
        copy.capacity() * size_of::<String>() + copy.iter().map(String::capacity).sum::<usize>();
    Seen {
        code: "a clone of a Vec<String> of 3 (one buffer, then one per string)",
        expected: Stats {
            allocs: 1 + copy.len() as u64,
            bytes_allocated: bytes as u64,
            peak_bytes: bytes as u64,
            ..Stats::default()
        },
        got,
    }
}

fn a_boxed_trait_object() -> Seen {
    let (b, got) = measure(|| black_box(Box::new(7u64) as Box<dyn Debug>));
    Seen {
        code: "Box::new(7u64) as Box<dyn Debug>",
        expected: one_alloc(size_of_val(&*b)),
        got,
    }
}

fn a_boxed_closure_that_captures() -> Seen {
    let prices = [101u64, 102, 103, 104];
    let (f, got) =
        measure(|| black_box(Box::new(move || prices.iter().sum::<u64>()) as Box<dyn Fn() -> u64>));
    assert_eq!(f(), 410);
    Seen {
        code: "Box::new(move || prices.iter().sum()) as Box<dyn Fn() -> u64>",
        expected: one_alloc(size_of_val(&*f)),
        got,
    }
}

fn a_boxed_closure_that_captures_nothing() -> Seen {
    let (f, got) = measure(|| black_box(Box::new(|| 42u64) as Box<dyn Fn() -> u64>));
    assert_eq!(f(), 42);
    Seen {
        code: "Box::new(|| 42u64) as Box<dyn Fn() -> u64>",
        expected: Stats::default(),
        got,
    }
}

fn a_large_array_on_the_heap() -> Seen {
    let (b, got) = measure(|| black_box(Box::new([0u64; 1024])));
    Seen {
        code: "Box::new([0u64; 1024])",
        expected: one_alloc(size_of_val(&*b)),
        got,
    }
}

#[testkit::check]
#[test]
fn measuring_nothing_counts_nothing() {
    let ((), got) = measure(|| ());
    assert_eq!(
        got,
        Stats::default(),
        "measure(|| ()) must see no heap call at all: measure itself must never allocate"
    );
}

#[testkit::check]
#[rstest]
#[case::a_box_of_a_u64(a_box_of_a_u64)]
#[case::a_box_dropped_inside(a_box_dropped_inside)]
#[case::two_boxes_one_after_the_other(two_boxes_one_after_the_other)]
#[case::two_boxes_alive_together(two_boxes_alive_together)]
#[case::freeing_a_box_made_before_the_measurement(freeing_a_box_made_before_the_measurement)]
#[case::an_empty_vec(an_empty_vec)]
#[case::an_empty_string(an_empty_string)]
#[case::a_box_of_a_zero_sized_value(a_box_of_a_zero_sized_value)]
#[case::a_vec_with_capacity(a_vec_with_capacity)]
#[case::a_zeroed_buffer(a_zeroed_buffer)]
#[case::a_string_from_a_literal(a_string_from_a_literal)]
#[case::string_formatting_into_a_reserved_buffer(string_formatting_into_a_reserved_buffer)]
#[case::a_clone_of_a_vec(a_clone_of_a_vec)]
#[case::a_clone_of_a_vec_of_strings(a_clone_of_a_vec_of_strings)]
#[case::a_boxed_trait_object(a_boxed_trait_object)]
#[case::a_boxed_closure_that_captures(a_boxed_closure_that_captures)]
#[case::a_boxed_closure_that_captures_nothing(a_boxed_closure_that_captures_nothing)]
#[case::a_large_array_on_the_heap(a_large_array_on_the_heap)]
#[case::freeing_a_buffer_made_before_then_allocating(freeing_a_buffer_made_before_then_allocating)]
#[case::shrinking_a_buffer_made_before_then_allocating(
    shrinking_a_buffer_made_before_then_allocating
)]
#[case::a_measurement_after_one_that_freed_older_memory(
    a_measurement_after_one_that_freed_older_memory
)]
#[case::a_realloc_to_the_same_size(a_realloc_to_the_same_size)]
fn known_cases_are_counted_exactly(#[case] case: fn() -> Seen) {
    let Seen {
        code,
        expected,
        got,
    } = case();
    assert_eq!(
        got, expected,
        "measure(|| {code}): expected {expected:?}, got {got:?}"
    );
}

#[testkit::check]
#[test]
fn format_builds_one_buffer_and_grows_it_in_place() {
    let (s, got) = measure(|| {
        format!(
            "{}-{}-{}",
            black_box(42u32),
            black_box("abc"),
            black_box(7.5f64)
        )
    });
    assert_eq!(s, "42-abc-7.5");
    let cap = s.capacity() as u64;
    let expected = Stats {
        reallocs: got.reallocs,
        ..one_alloc(s.capacity())
    };
    assert_eq!(
        got, expected,
        "format!(..) allocates one buffer and grows it with realloc, so: 1 alloc, no dealloc, \
         bytes_allocated == peak_bytes == the final capacity ({cap}); got {got:?}"
    );
}

#[testkit::check]
#[test]
fn an_arc_allocates_its_counts_and_value_together_once() {
    let (shared, made) = measure(|| black_box(Arc::new(7u64)));
    let other = Arc::clone(&shared);
    let ((), freed) = measure(move || {
        drop(shared);
        drop(other);
    });
    let at_least = (size_of::<u64>() + 2 * size_of::<usize>()) as u64;
    assert!(
        made.allocs == 1
            && made.reallocs == 0
            && made.deallocs == 0
            && made.bytes_allocated >= at_least
            && made.peak_bytes == made.bytes_allocated,
        "Arc::new(7u64) is one allocation of at least {at_least} bytes (two counts and the value); got {made:?}"
    );
    assert_eq!(
        freed,
        Stats {
            deallocs: 1,
            bytes_freed: made.bytes_allocated,
            ..Stats::default()
        },
        "dropping both clones of that Arc frees its one block of {} bytes; got {freed:?}",
        made.bytes_allocated
    );
}
