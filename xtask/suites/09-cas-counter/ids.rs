//! `IdAllocator`, one thread at a time: the range in order, then `None` forever.

use cas_counter::IdAllocator;
use rstest::rstest;
use std::ops::Range;

#[testkit::check]
#[rstest]
#[case::a_small_range(0..3, &[Some(0), Some(1), Some(2), None, None])]
#[case::a_range_of_one(5..6, &[Some(5), None, None])]
#[case::an_empty_range(7..7, &[None, None])]
#[case::a_reversed_range(Range { start: 9, end: 4 }, &[None, None])]
#[case::the_top_of_u64(
    u64::MAX - 2..u64::MAX,
    &[Some(u64::MAX - 2), Some(u64::MAX - 1), None, None, None],
)]
fn allocate_hands_out_the_range_in_order_then_none(
    #[case] range: Range<u64>,
    #[case] expected: &[Option<u64>],
) {
    let ids = IdAllocator::new(range.clone());
    let got: Vec<Option<u64>> = expected.iter().map(|_| ids.allocate()).collect();
    assert_eq!(
        got, expected,
        "successive allocate() calls on IdAllocator::new({range:?})"
    );
}

#[testkit::check]
#[rstest]
#[case::at_the_bottom(0..3)]
#[case::at_the_top_of_u64(u64::MAX - 3..u64::MAX)]
#[case::the_last_id_below_u64_max(u64::MAX - 1..u64::MAX)]
fn an_exhausted_allocator_stays_exhausted(#[case] range: Range<u64>) {
    let ids = IdAllocator::new(range.clone());
    for id in range.clone() {
        let got = ids.allocate();
        assert_eq!(
            got,
            Some(id),
            "IdAllocator::new({range:?}) must hand out {id} first"
        );
    }
    for call in 1..=10_000 {
        let got = ids.allocate();
        assert_eq!(
            got, None,
            "IdAllocator::new({range:?}) is used up, yet extra call #{call} handed out {got:?}: \
             the allocator must never move past the end (and never wrap)"
        );
    }
}
