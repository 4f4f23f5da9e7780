//! `CachePadded` behaves like the value it wraps: `Deref`, `DerefMut`, `into_inner`.

use std::sync::atomic::{AtomicU64, Ordering};

use false_sharing::CachePadded;

#[testkit::check]
#[test]
fn deref_reads_the_padded_value() {
    let padded = CachePadded::new(42u64);
    assert_eq!(*padded, 42, "*CachePadded::new(42) should read 42");
    let words = CachePadded::new(vec!["bid", "ask"]);
    assert_eq!(
        words.len(),
        2,
        "methods of the value should be callable through the padding (`padded.len()`)"
    );
}

#[testkit::check]
#[test]
fn deref_mut_writes_the_padded_value() {
    let mut padded = CachePadded::new(1u64);
    *padded += 6;
    assert_eq!(
        *padded, 7,
        "after `*padded += 6` on 1, the value should be 7"
    );
    let mut levels = CachePadded::new(Vec::new());
    levels.push(100u32);
    assert_eq!(
        *levels,
        [100],
        "`padded.push(100)` should push into the wrapped Vec"
    );
}

#[testkit::check]
#[test]
fn into_inner_gives_the_value_back() {
    let padded = CachePadded::new(String::from("ES"));
    assert_eq!(
        padded.into_inner(),
        "ES",
        "CachePadded::new(\"ES\").into_inner() should give back \"ES\""
    );
    let from: CachePadded<u8> = 9.into();
    assert_eq!(from.into_inner(), 9, "CachePadded::from(9).into_inner()");
}

#[testkit::check]
#[test]
fn default_pads_the_default_value() {
    let padded: CachePadded<u64> = CachePadded::default();
    assert_eq!(*padded, 0, "CachePadded::<u64>::default() should hold 0");
}

#[testkit::check]
#[test]
fn a_padded_atomic_is_used_like_the_atomic() {
    let hits = CachePadded::new(AtomicU64::new(0));
    hits.fetch_add(3, Ordering::Relaxed);
    hits.fetch_add(4, Ordering::Relaxed);
    assert_eq!(
        hits.load(Ordering::Relaxed),
        7,
        "fetch_add(3) then fetch_add(4) through the padding should leave 7"
    );
}
