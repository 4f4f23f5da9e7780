//! Nothing here touches the heap: the vector lives on the stack, the price goes into a stack
//! buffer.

use std::hint::black_box;

use inline_vec::{InlineVec, MAX_PRICE_LEN, format_price};
use testkit::alloc::{CountingAlloc, Stats, measure};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn assert_no_allocation(what: &str, stats: Stats) {
    assert_eq!(
        stats.total(),
        0,
        "{what} allocated {} time(s) ({} bytes); expected no heap allocation at all",
        stats.total(),
        stats.bytes
    );
}

/// Every vector operation, on a local vector of `N` `u64`s; returns a checksum.
fn exercise<const N: usize>() -> u64 {
    let mut v: InlineVec<u64, N> = InlineVec::new();
    for i in 0..N as u64 {
        let _ = black_box(v.try_push(black_box(i)));
    }
    let refused = v.try_push(black_box(u64::MAX)).err().unwrap_or(0);
    let popped = v.pop().unwrap_or(0);
    v.truncate(N / 2);
    let c = black_box(v.clone());
    v[0] += 1;
    let sum: u64 = c.iter().sum::<u64>() + v.as_slice().len() as u64;
    v.clear();
    black_box(&v);
    sum ^ refused ^ popped
}

#[testkit::check]
#[test]
fn vector_operations_never_allocate() {
    exercise::<16>(); // warm up: anything lazily set up happens outside the measurement
    let (sum, stats) = measure(exercise::<16>);
    black_box(sum);
    assert_no_allocation(
        "push, pop, truncate, clone, index and clear on an InlineVec<u64, 16>",
        stats,
    );
}

#[testkit::check]
#[test]
fn a_large_vector_still_lives_on_the_stack() {
    exercise::<512>();
    let (sum, stats) = measure(exercise::<512>);
    black_box(sum);
    assert_no_allocation("the same operations on an InlineVec<u64, 512>", stats);
}

#[testkit::check]
#[test]
fn formatting_a_price_never_allocates() {
    let inputs: [(i64, u8); 8] = [
        (-123_400, 4),
        (5, 3),
        (0, 0),
        (i64::MIN, 0),
        (i64::MAX, 19),
        (-1, 200),
        (987_654_321, 2),
        (-42, 0),
    ];
    let mut buf = [0u8; MAX_PRICE_LEN];
    let mut short = [0u8; 4];
    let run = |buf: &mut [u8], short: &mut [u8]| {
        let mut total = 0usize;
        for &(m, s) in &inputs {
            total += format_price(black_box(m), black_box(s), buf).map_or(0, str::len);
            // The error path too: a short buffer reports, it does not allocate a message.
            total += format_price(black_box(m), black_box(s), short).map_or(1, str::len);
        }
        total
    };
    run(&mut buf, &mut short);
    let (total, stats) = measure(|| run(&mut buf, &mut short));
    black_box(total);
    assert_no_allocation(
        "format_price on 8 prices, with a big and a short buffer",
        stats,
    );
}
