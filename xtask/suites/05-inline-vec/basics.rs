//! The vector's contract, one behaviour at a time.

use inline_vec::InlineVec;
use rstest::rstest;

/// A vector of capacity `N` holding `0, 1, .., len - 1`.
fn filled<const N: usize>(len: usize) -> InlineVec<u64, N> {
    let mut v = InlineVec::new();
    for i in 0..len as u64 {
        assert_eq!(
            v.try_push(i),
            Ok(()),
            "try_push({i}) into a vector of capacity {N} failed"
        );
    }
    v
}

#[testkit::check]
#[test]
fn a_new_vector_is_empty() {
    let v: InlineVec<u64, 4> = InlineVec::new();
    assert_eq!(v.len(), 0, "len() of a new vector");
    assert!(v.is_empty(), "is_empty() of a new vector");
    assert_eq!(v.as_slice(), &[] as &[u64], "as_slice() of a new vector");
}

#[testkit::check]
#[test]
fn a_new_vector_can_be_built_in_a_const() {
    const EMPTY: InlineVec<u64, 4> = InlineVec::new();
    let v = EMPTY;
    assert_eq!(v.len(), 0, "len() of a vector built in a const");
}

#[testkit::check]
#[test]
fn pushed_values_come_out_in_order() {
    let mut v: InlineVec<u64, 4> = InlineVec::new();
    assert_eq!(v.try_push(7), Ok(()), "try_push(7) into an empty vector");
    assert_eq!(v.try_push(8), Ok(()), "try_push(8) into a vector of one");
    assert_eq!(v.len(), 2, "len() after two pushes");
    assert_eq!(v.as_slice(), &[7, 8], "as_slice() after pushing 7 then 8");
}

#[testkit::check]
#[test]
fn pop_returns_the_last_value_first() {
    let mut v = filled::<4>(3);
    assert_eq!(v.pop(), Some(2), "first pop of [0, 1, 2]");
    assert_eq!(v.pop(), Some(1), "second pop of [0, 1, 2]");
    assert_eq!(v.pop(), Some(0), "third pop of [0, 1, 2]");
    assert_eq!(v.pop(), None, "pop of an empty vector");
    assert_eq!(v.len(), 0, "len() after popping everything");
}

/// Fills a vector of capacity `N`, then checks the next push is refused.
fn accepts_exactly_n_then_refuses<const N: usize>() {
    let mut v = filled::<N>(N);
    assert_eq!(v.len(), N, "len() after {N} pushes into capacity {N}");
    assert!(v.is_full(), "is_full() after {N} pushes into capacity {N}");
    assert_eq!(
        v.try_push(99),
        Err(99),
        "try_push(99) into a full vector of capacity {N} must hand 99 back"
    );
    assert_eq!(v.len(), N, "len() after a refused push");
    let expected: Vec<u64> = (0..N as u64).collect();
    assert_eq!(
        v.as_slice(),
        &expected[..],
        "a refused push must leave the elements alone"
    );
}

#[testkit::check]
#[rstest]
#[case::capacity_0(accepts_exactly_n_then_refuses::<0>)]
#[case::capacity_1(accepts_exactly_n_then_refuses::<1>)]
#[case::capacity_3(accepts_exactly_n_then_refuses::<3>)]
#[case::capacity_8(accepts_exactly_n_then_refuses::<8>)]
fn try_push_accepts_exactly_capacity_elements(#[case] check: fn()) {
    check();
}

#[testkit::check]
#[test]
fn a_pop_makes_room_for_one_more_push() {
    let mut v = filled::<2>(2);
    assert_eq!(v.pop(), Some(1), "pop of [0, 1]");
    assert_eq!(
        v.try_push(5),
        Ok(()),
        "try_push(5) after a pop freed a slot"
    );
    assert_eq!(v.as_slice(), &[0, 5], "elements after pop then push");
}

#[testkit::check]
#[rstest]
#[case::to_a_shorter_length(5, 2, &[0, 1])]
#[case::to_zero(5, 0, &[])]
#[case::to_the_same_length(5, 5, &[0, 1, 2, 3, 4])]
#[case::to_a_longer_length(3, 7, &[0, 1, 2])]
#[case::an_empty_vector(0, 1, &[])]
fn truncate_keeps_the_first_len_elements(
    #[case] len: usize,
    #[case] truncate_to: usize,
    #[case] expected: &[u64],
) {
    let mut v = filled::<8>(len);
    v.truncate(truncate_to);
    assert_eq!(
        v.as_slice(),
        expected,
        "a vector of {len} elements after truncate({truncate_to})"
    );
    assert_eq!(
        v.len(),
        expected.len(),
        "len() after truncate({truncate_to})"
    );
}

#[testkit::check]
#[test]
fn clear_empties_the_vector_and_it_can_be_refilled() {
    let mut v = filled::<3>(3);
    v.clear();
    assert_eq!(v.len(), 0, "len() after clear()");
    assert_eq!(v.try_push(4), Ok(()), "try_push(4) after clear()");
    assert_eq!(v.as_slice(), &[4], "elements after clear() then push(4)");
}

#[testkit::check]
#[test]
fn the_vector_derefs_to_a_slice_for_reading_and_writing() {
    let mut v = filled::<4>(3);
    assert_eq!(v[1], 1, "v[1] of [0, 1, 2]");
    assert_eq!(v.iter().sum::<u64>(), 3, "v.iter().sum() of [0, 1, 2]");
    assert_eq!(
        (&v).into_iter().count(),
        3,
        "for x in &v visits every element"
    );
    v[0] = 10;
    for x in &mut v {
        *x += 1;
    }
    v.as_mut_slice()[2] = 30;
    assert_eq!(
        v.as_slice(),
        &[11, 2, 30],
        "elements after writing through the slice"
    );
}

#[testkit::check]
#[test]
fn debug_prints_like_a_slice() {
    let v = filled::<4>(3);
    assert_eq!(
        format!("{v:?}"),
        "[0, 1, 2]",
        "format!(\"{{:?}}\") of [0, 1, 2]"
    );
}

#[testkit::check]
#[test]
fn a_clone_is_equal_and_independent() {
    let mut v: InlineVec<String, 4> = InlineVec::new();
    for word in ["bid", "ask"] {
        assert_eq!(v.try_push(word.to_string()), Ok(()), "try_push({word:?})");
    }
    let mut c = v.clone();
    assert_eq!(
        c.as_slice(),
        v.as_slice(),
        "a fresh clone must equal the original"
    );
    assert_eq!(
        c.try_push("mid".to_string()),
        Ok(()),
        "try_push into the clone"
    );
    c[0].push('!');
    assert_eq!(
        v.as_slice(),
        &["bid", "ask"],
        "changing the clone must not change the original"
    );
    assert_eq!(
        c.as_slice(),
        &["bid!", "ask", "mid"],
        "the clone after its own changes"
    );
}

#[testkit::check]
#[test]
fn a_vector_of_zero_capacity_refuses_every_push() {
    let mut v: InlineVec<String, 0> = InlineVec::new();
    assert_eq!(
        v.try_push("x".to_string()),
        Err("x".to_string()),
        "try_push into capacity 0 must hand the value back"
    );
    assert_eq!(v.pop(), None, "pop of a vector of capacity 0");
    assert!(v.is_empty(), "is_empty() of a vector of capacity 0");
    v.truncate(0);
    v.clear();
    assert_eq!(
        v.as_slice(),
        &[] as &[String],
        "as_slice() of a vector of capacity 0"
    );
}

#[testkit::check]
#[test]
fn zero_sized_elements_are_counted_like_any_other() {
    let mut v: InlineVec<(), 3> = InlineVec::new();
    for i in 0..3 {
        assert_eq!(
            v.try_push(()),
            Ok(()),
            "push number {} of () into capacity 3",
            i + 1
        );
    }
    assert_eq!(
        v.try_push(()),
        Err(()),
        "a fourth () into capacity 3 must come back"
    );
    assert_eq!(v.len(), 3, "len() after three () pushes");
    assert_eq!(
        v.as_slice().len(),
        3,
        "as_slice().len() after three () pushes"
    );
    assert_eq!(v.pop(), Some(()), "pop of three ()");
    v.truncate(1);
    assert_eq!(v.len(), 1, "len() after pop and truncate(1)");
}
