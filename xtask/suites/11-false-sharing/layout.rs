//! `CachePadded` has exactly the layout of `crossbeam_utils::CachePadded` (the oracle), and the
//! shards of a `ShardedCounter` each sit alone on their cache line.

use std::mem::{align_of, align_of_val, size_of, size_of_val};
use std::sync::atomic::AtomicU64;

use false_sharing::{CACHE_LINE, CachePadded, ShardedCounter};

/// The line size crossbeam-utils 0.8.23 pads to on the architecture under test.
const EXPECTED_LINE: usize = if cfg!(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "arm64ec",
    target_arch = "powerpc64",
)) {
    128
} else if cfg!(any(
    target_arch = "arm",
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6",
    target_arch = "sparc",
    target_arch = "hexagon",
)) {
    32
} else if cfg!(target_arch = "m68k") {
    16
} else if cfg!(target_arch = "s390x") {
    256
} else {
    64
};

/// A type whose own alignment is larger than any cache line.
#[repr(align(512))]
struct Page(#[allow(dead_code)] u8);

/// Pads `value` and checks that the padded value's size and alignment are crossbeam's for the
/// same `T`.
fn assert_same_layout_as_crossbeam<T>(value: T, name: &str) {
    let padded = CachePadded::new(value);
    let got = (size_of_val(&padded), align_of_val(&padded));
    let want = (
        size_of::<crossbeam_utils::CachePadded<T>>(),
        align_of::<crossbeam_utils::CachePadded<T>>(),
    );
    assert_eq!(
        got,
        want,
        "(size, align) of CachePadded<{name}> ({}-byte, {}-aligned value) should be crossbeam's \
         {want:?}, got {got:?}; the alignment comes from the `repr(align(N))` attribute on the \
         struct (N = {EXPECTED_LINE} on this architecture), and the size follows from it",
        size_of::<T>(),
        align_of::<T>(),
    );
}

#[testkit::check]
#[test]
fn the_alignment_is_the_cache_line_of_this_architecture() {
    let padded = CachePadded::new(0u8);
    let crossbeam = align_of::<crossbeam_utils::CachePadded<u8>>();
    assert_eq!(
        crossbeam,
        EXPECTED_LINE,
        "the suite's table of line sizes disagrees with crossbeam-utils on {}: \
         this is a bug in the suite, not in your code",
        std::env::consts::ARCH
    );
    assert_eq!(
        align_of_val(&padded),
        EXPECTED_LINE,
        "CachePadded<u8> should be aligned to {EXPECTED_LINE} bytes on {} (as crossbeam's is); \
         give the struct a `repr(align({EXPECTED_LINE}))` for this architecture",
        std::env::consts::ARCH
    );
    assert_eq!(
        CACHE_LINE,
        EXPECTED_LINE,
        "CACHE_LINE should be {EXPECTED_LINE} on {}",
        std::env::consts::ARCH
    );
}

#[testkit::check]
#[test]
fn a_padded_byte_takes_exactly_one_line() {
    assert_same_layout_as_crossbeam(7u8, "u8");
}

#[testkit::check]
#[test]
fn a_padded_u64_takes_exactly_one_line() {
    assert_same_layout_as_crossbeam(7u64, "u64");
}

#[testkit::check]
#[test]
fn a_padded_atomic_takes_exactly_one_line() {
    assert_same_layout_as_crossbeam(AtomicU64::new(7), "AtomicU64");
}

#[testkit::check]
#[test]
fn a_value_longer_than_a_line_takes_whole_lines() {
    assert_same_layout_as_crossbeam([7u8; 200], "[u8; 200]");
    assert_same_layout_as_crossbeam([7u64; 40], "[u64; 40]");
}

#[testkit::check]
#[test]
fn a_value_aligned_beyond_a_line_keeps_its_own_alignment() {
    assert_same_layout_as_crossbeam(Page(7), "Page (align 512)");
}

#[testkit::check]
#[test]
fn a_zero_sized_value_is_aligned_but_takes_no_bytes() {
    assert_same_layout_as_crossbeam((), "()");
}

#[testkit::check]
#[test]
fn the_value_sits_at_the_start_of_its_padded_block() {
    let padded = CachePadded::new(7u64);
    let block = &padded as *const CachePadded<u64> as usize;
    let value = &*padded as *const u64 as usize;
    assert_eq!(
        value,
        block,
        "the u64 inside a CachePadded should be at offset 0, found at offset {} \
         (keep `#[repr(C)]` and the value as the first field)",
        value.wrapping_sub(block)
    );
}

#[testkit::check]
#[test]
fn neighbouring_padded_values_sit_on_different_lines() {
    let values = [
        CachePadded::new(1u8),
        CachePadded::new(2u8),
        CachePadded::new(3u8),
    ];
    let addrs: Vec<usize> = values.iter().map(|v| &**v as *const u8 as usize).collect();
    for (i, addr) in addrs.iter().enumerate() {
        assert_eq!(
            addr % EXPECTED_LINE,
            0,
            "element {i} of an array of CachePadded<u8> is at {addr:#x}, which is not on a \
             {EXPECTED_LINE}-byte line boundary"
        );
    }
    for (i, pair) in addrs.windows(2).enumerate() {
        assert!(
            pair[1] - pair[0] >= EXPECTED_LINE,
            "elements {i} and {} of an array of CachePadded<u8> are {} bytes apart; \
             they should be at least {EXPECTED_LINE}",
            i + 1,
            pair[1] - pair[0]
        );
    }
}

/// The address of every shard of a fresh counter with `shards` shards.
fn shard_addresses(shards: usize) -> Vec<usize> {
    let counter = ShardedCounter::new(shards);
    counter
        .shards()
        .iter()
        .map(|shard| shard as *const _ as usize)
        .collect()
}

#[testkit::check]
#[test]
fn every_shard_starts_on_a_cache_line_boundary() {
    for (i, addr) in shard_addresses(4).iter().enumerate() {
        assert_eq!(
            addr % EXPECTED_LINE,
            0,
            "shard {i} of ShardedCounter::new(4) is at {addr:#x}, which is not on a \
             {EXPECTED_LINE}-byte line boundary, so it shares its line with something else"
        );
    }
}

#[testkit::check]
#[test]
fn neighbouring_shards_are_at_least_one_padded_line_apart() {
    let addrs = shard_addresses(4);
    for (i, pair) in addrs.windows(2).enumerate() {
        let gap = pair[1].abs_diff(pair[0]);
        assert!(
            gap >= EXPECTED_LINE,
            "shards {i} and {} of ShardedCounter::new(4) are {gap} bytes apart; they should be \
             at least {EXPECTED_LINE} (one padded line)",
            i + 1,
        );
    }
}
