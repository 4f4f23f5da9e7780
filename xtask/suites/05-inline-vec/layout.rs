//! The elements live inside the vector: no hidden pointer, no heap.

use std::mem::{align_of, size_of, size_of_val};

use inline_vec::InlineVec;
use testkit::implements;

/// `size_of_val(v)` must hold the `N` slots and at most one `usize` of bookkeeping (plus
/// padding up to the alignment).
fn assert_inline_size<T, const N: usize>(v: &InlineVec<T, N>) {
    let size = size_of_val(v);
    let slots = N * size_of::<T>();
    let align = align_of::<T>().max(align_of::<usize>());
    let most = (slots + size_of::<usize>()).next_multiple_of(align);
    assert!(
        (slots..=most).contains(&size),
        "size_of::<InlineVec<{}, {N}>>() is {size} bytes; expected between {slots} \
         ({N} slots of {} bytes, stored inline) and {most} (plus one usize for the length, \
         rounded up to the alignment)",
        std::any::type_name::<T>(),
        size_of::<T>(),
    );
}

#[testkit::check]
#[test]
fn a_vector_of_four_u64_is_four_slots_and_a_length() {
    let mut v: InlineVec<u64, 4> = InlineVec::new();
    assert_eq!(v.try_push(1), Ok(()), "try_push(1)");
    assert_inline_size(&v);
}

#[testkit::check]
#[test]
fn a_vector_of_bytes_is_its_bytes_and_a_length() {
    let mut v: InlineVec<u8, 64> = InlineVec::new();
    assert_eq!(v.try_push(1), Ok(()), "try_push(1)");
    assert_inline_size(&v);
}

#[testkit::check]
#[test]
fn a_vector_of_zero_capacity_is_just_a_length() {
    let mut v: InlineVec<u64, 0> = InlineVec::new();
    assert_eq!(v.try_push(1), Err(1), "try_push(1) into capacity 0");
    assert_inline_size(&v);
}

#[testkit::check]
#[test]
fn zero_sized_elements_take_no_room() {
    let mut v: InlineVec<(), 1000> = InlineVec::new();
    assert_eq!(v.try_push(()), Ok(()), "try_push(())");
    assert_inline_size(&v);
}

#[testkit::check]
#[test]
fn the_elements_live_inside_the_vector_itself() {
    let mut v: InlineVec<u64, 4> = InlineVec::new();
    for i in 0..3 {
        assert_eq!(v.try_push(i), Ok(()), "try_push({i})");
    }
    let start = &v as *const InlineVec<u64, 4> as usize;
    let end = start + size_of_val(&v);
    let elements = v.as_slice().as_ptr() as usize;
    let elements_end = elements + size_of_val(v.as_slice());
    assert!(
        start <= elements && elements_end <= end,
        "as_slice() points to {elements:#x}..{elements_end:#x}, outside the vector's own bytes \
         {start:#x}..{end:#x}: the elements must be stored inline, not behind a pointer"
    );
}

#[testkit::check]
#[test]
fn a_vector_is_send_and_sync_exactly_when_its_elements_are() {
    let mut v: InlineVec<u64, 2> = InlineVec::new();
    assert_eq!(v.try_push(1), Ok(()), "try_push(1)");
    use std::cell::Cell;
    use std::rc::Rc;
    use std::sync::MutexGuard;
    let table = [
        // (element, T: Send, T: Sync, InlineVec<T, 2>: Send, InlineVec<T, 2>: Sync)
        (
            "u64",
            true,
            true,
            implements!(InlineVec<u64, 2>: Send),
            implements!(InlineVec<u64, 2>: Sync),
        ),
        (
            "Cell<u8>",
            true,
            false,
            implements!(InlineVec<Cell<u8>, 2>: Send),
            implements!(InlineVec<Cell<u8>, 2>: Sync),
        ),
        (
            "MutexGuard<'static, u8>",
            false,
            true,
            implements!(InlineVec<MutexGuard<'static, u8>, 2>: Send),
            implements!(InlineVec<MutexGuard<'static, u8>, 2>: Sync),
        ),
        (
            "Rc<u8>",
            false,
            false,
            implements!(InlineVec<Rc<u8>, 2>: Send),
            implements!(InlineVec<Rc<u8>, 2>: Sync),
        ),
    ];
    for (element, send, sync, vec_send, vec_sync) in table {
        assert_eq!(
            (vec_send, vec_sync),
            (send, sync),
            "(Send, Sync) of InlineVec<{element}, 2>: expected those of {element}, which owns \
             its elements like a Vec"
        );
    }
}
