//! What the types promise without running: `Send` but not `Sync`, and padded positions.

use std::cell::Cell;
use std::marker::PhantomData;
use std::mem::{align_of, size_of};
use std::rc::Rc;

use crossbeam_utils::CachePadded;
use spsc_ring::{Consumer, Producer, RingBuffer};

/// Asks the compiler whether a type implements `Send` / `Sync`, as a `bool` instead of a
/// compile error: an inherent constant with a trait bound wins over the blanket trait's
/// default when the bound holds, and the trait's `false` answers otherwise.
struct Probe<T: ?Sized>(PhantomData<T>);

trait Otherwise {
    const SEND: bool = false;
    const SYNC: bool = false;
}

impl<T: ?Sized> Otherwise for Probe<T> {}

// `dead_code` is allowed because a constant the compiler never picks counts as unused: on a
// correct ring, no type asked about below is `Sync`.
#[allow(dead_code)]
impl<T: ?Sized + Send> Probe<T> {
    const SEND: bool = true;
}

#[allow(dead_code)]
impl<T: ?Sized + Sync> Probe<T> {
    const SYNC: bool = true;
}

// `black_box` keeps the answer a run-time value: a wrong impl fails one test with a message
// instead of failing the build of the whole suite.
macro_rules! is_send {
    ($t:ty) => {
        std::hint::black_box(<Probe<$t>>::SEND)
    };
}

macro_rules! is_sync {
    ($t:ty) => {
        std::hint::black_box(<Probe<$t>>::SYNC)
    };
}

#[testkit::check]
#[test]
fn producers_and_consumers_are_send_but_not_sync() {
    let (producer, consumer) = RingBuffer::<u64>::new(1);
    drop((producer, consumer));
    assert!(
        is_send!(Producer<u64>),
        "Producer<u64> must be Send: it is moved to the producing thread"
    );
    assert!(
        is_send!(Consumer<u64>),
        "Consumer<u64> must be Send: it is moved to the consuming thread"
    );
    assert!(
        !is_sync!(Producer<u64>),
        "Producer<u64> must not be Sync: a &Producer shared by two threads would make two producers"
    );
    assert!(
        !is_sync!(Consumer<u64>),
        "Consumer<u64> must not be Sync: a &Consumer shared by two threads would make two consumers"
    );
}

#[testkit::check]
#[test]
fn the_halves_are_send_exactly_when_the_values_are() {
    let (producer, consumer) = RingBuffer::<Cell<u8>>::new(1);
    drop((producer, consumer));
    assert!(
        is_send!(Producer<Cell<u8>>) && is_send!(Consumer<Cell<u8>>),
        "the halves of a ring of Cell<u8> (Send, not Sync) must be Send: each value is only ever \
         touched by one thread at a time, so T: Send is enough"
    );
    assert!(
        !is_send!(Producer<Rc<u8>>) && !is_send!(Consumer<Rc<u8>>),
        "the halves of a ring of Rc<u8> must not be Send: that would move an Rc to another thread \
         (write `unsafe impl<T: Send> Send`, with the bound)"
    );
}

#[testkit::check]
#[test]
fn head_and_tail_sit_on_cache_lines_of_their_own() {
    let (producer, consumer) = RingBuffer::<u8>::new(1);
    drop((producer, consumer));
    // crossbeam's choice per architecture: 128 bytes on x86_64 and aarch64, 64 or 32 elsewhere.
    let line = align_of::<CachePadded<u8>>();
    assert!(
        align_of::<RingBuffer<u8>>() >= line,
        "align_of::<RingBuffer<u8>>() is {}: with head and tail padded it is at least {line}",
        align_of::<RingBuffer<u8>>()
    );
    assert!(
        size_of::<RingBuffer<u8>>() >= 2 * line,
        "size_of::<RingBuffer<u8>>() is {}: two padded positions take at least 2 × {line} bytes",
        size_of::<RingBuffer<u8>>()
    );
}
