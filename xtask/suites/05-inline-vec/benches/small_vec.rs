//! Your InlineVec (`yours`: the crate under test, the kata or the reference) against Vec for
//! small sizes, and your format_price against `write!` into a String.
//!
//! Run with `cargo xtask bench 05` (yours, with ratios) or `cargo bench -p inline-vec-solution`.

use std::fmt::Write;

use divan::black_box;
use inline_vec::{InlineVec, MAX_PRICE_LEN, format_price};

// Counts allocations per operation, like `go test -benchmem`.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// Elements per build: a typical "few levels of the book" size.
const LEN: u64 = 8;

#[divan::bench(name = "build_and_sum_8::yours", sample_count = 200, sample_size = 200)]
fn build_and_sum_inline_vec() -> u64 {
    let mut v: InlineVec<u64, 8> = InlineVec::new();
    for i in 0..LEN {
        let _ = v.try_push(black_box(i));
    }
    black_box(&v).iter().sum()
}

#[divan::bench(name = "build_and_sum_8::vec", sample_count = 200, sample_size = 200)]
fn build_and_sum_vec() -> u64 {
    let mut v: Vec<u64> = Vec::new();
    for i in 0..LEN {
        v.push(black_box(i));
    }
    black_box(&v).iter().sum()
}

#[divan::bench(
    name = "build_and_sum_8::vec_with_capacity",
    sample_count = 200,
    sample_size = 200
)]
fn build_and_sum_vec_with_capacity() -> u64 {
    let mut v: Vec<u64> = Vec::with_capacity(LEN as usize);
    for i in 0..LEN {
        v.push(black_box(i));
    }
    black_box(&v).iter().sum()
}

#[divan::bench(name = "format_price::yours", sample_count = 200, sample_size = 200)]
fn format_price_into_a_stack_buffer() -> usize {
    let mut buf = [0u8; MAX_PRICE_LEN];
    format_price(black_box(-123_456_789), black_box(4), &mut buf).map_or(0, str::len)
}

#[divan::bench(
    name = "format_price::write_into_a_new_string",
    sample_count = 200,
    sample_size = 200
)]
fn write_price_into_a_new_string() -> usize {
    let (m, scale) = (black_box(-123_456_789i64), black_box(4u32));
    let unit = 10i64.pow(scale);
    let sign = if m < 0 { "-" } else { "" };
    let (int, frac) = (
        m.unsigned_abs() / unit as u64,
        m.unsigned_abs() % unit as u64,
    );
    let mut s = String::new();
    let _ = write!(s, "{sign}{int}.{frac:0width$}", width = scale as usize);
    black_box(s).len()
}
