//! One thread, both halves: capacity, FIFO order, full and empty, wrap-around.

use rstest::rstest;
use spsc_ring::{Consumer, Producer, RingBuffer};

/// Pops everything, in order.
fn drain<T>(consumer: &mut Consumer<T>) -> Vec<T> {
    std::iter::from_fn(|| consumer.try_pop()).collect()
}

/// Pushes every value, failing the test if one is refused.
fn push_all<T: std::fmt::Debug>(producer: &mut Producer<T>, values: impl IntoIterator<Item = T>) {
    for value in values {
        if let Err(back) = producer.try_push(value) {
            panic!(
                "try_push({back:?}) was refused, but the ring (capacity {}) should have room",
                producer.capacity()
            );
        }
    }
}

#[testkit::check]
#[test]
fn a_new_ring_is_empty_with_every_slot_free() {
    let (producer, mut consumer) = RingBuffer::<u32>::new(3);
    assert_eq!(producer.capacity(), 3, "Producer::capacity() of new(3)");
    assert_eq!(consumer.capacity(), 3, "Consumer::capacity() of new(3)");
    assert_eq!(
        producer.slots(),
        3,
        "Producer::slots() (free slots) of a new ring of 3"
    );
    assert_eq!(
        consumer.slots(),
        0,
        "Consumer::slots() (items) of a new ring"
    );
    assert!(!producer.is_full(), "a new ring of 3 says it is full");
    assert!(consumer.is_empty(), "a new ring says it is not empty");
    assert_eq!(consumer.try_pop(), None, "try_pop() on a new ring");
}

#[testkit::check]
#[test]
fn values_come_out_in_the_order_they_went_in() {
    let (mut producer, mut consumer) = RingBuffer::new(4);
    push_all(&mut producer, [10, 20, 30]);
    assert_eq!(
        consumer.try_pop(),
        Some(10),
        "first try_pop() after pushing 10, 20, 30"
    );
    push_all(&mut producer, [40]);
    assert_eq!(
        drain(&mut consumer),
        vec![20, 30, 40],
        "the rest, popped until None"
    );
}

#[testkit::check]
#[rstest]
#[case::capacity_1(1)]
#[case::capacity_2(2)]
#[case::capacity_3(3)]
#[case::capacity_5(5)]
#[case::capacity_8(8)]
#[case::capacity_100(100)]
fn a_ring_takes_exactly_capacity_values_then_hands_the_next_one_back(#[case] capacity: usize) {
    let (mut producer, mut consumer) = RingBuffer::new(capacity);
    for i in 0..capacity {
        assert_eq!(
            producer.try_push(i),
            Ok(()),
            "try_push #{i} into a ring of capacity {capacity} holding {i} values"
        );
    }
    assert_eq!(
        producer.try_push(capacity),
        Err(capacity),
        "try_push into a full ring of capacity {capacity} must return Err with the same value"
    );
    assert!(producer.is_full(), "is_full() after {capacity} pushes");
    assert_eq!(producer.slots(), 0, "Producer::slots() of a full ring");
    assert_eq!(
        consumer.slots(),
        capacity,
        "Consumer::slots() of a full ring"
    );
    assert!(!consumer.is_empty(), "is_empty() of a full ring");
    assert_eq!(
        drain(&mut consumer),
        (0..capacity).collect::<Vec<_>>(),
        "the values of a full ring of capacity {capacity}, in order (the refused one is not among them)"
    );
}

#[testkit::check]
#[test]
fn a_pop_frees_exactly_one_slot() {
    let (mut producer, mut consumer) = RingBuffer::new(2);
    push_all(&mut producer, ['a', 'b']);
    assert_eq!(consumer.try_pop(), Some('a'), "try_pop() of ['a', 'b']");
    assert_eq!(
        producer.slots(),
        1,
        "free slots after one pop from a full ring of 2"
    );
    assert_eq!(
        producer.try_push('c'),
        Ok(()),
        "try_push after a pop freed a slot"
    );
    assert_eq!(
        producer.try_push('d'),
        Err('d'),
        "one pop frees one slot, not two"
    );
    assert_eq!(
        drain(&mut consumer),
        vec!['b', 'c'],
        "what is left, in order"
    );
}

#[testkit::check]
#[test]
fn an_empty_ring_returns_none_and_stays_usable() {
    let (mut producer, mut consumer) = RingBuffer::new(2);
    assert_eq!(consumer.try_pop(), None, "try_pop() on an empty ring");
    assert_eq!(
        consumer.try_pop(),
        None,
        "a second try_pop() on an empty ring"
    );
    push_all(&mut producer, [1u8]);
    assert_eq!(
        consumer.try_pop(),
        Some(1),
        "try_pop() after None, None, push(1)"
    );
    assert_eq!(
        consumer.try_pop(),
        None,
        "try_pop() once the only value is gone"
    );
    assert_eq!(
        producer.slots(),
        2,
        "free slots once the ring is empty again"
    );
}

#[testkit::check]
#[rstest]
#[case::capacity_1(1)]
#[case::capacity_2(2)]
#[case::capacity_3(3)]
#[case::capacity_7(7)]
fn positions_wrap_around_many_times_without_losing_order(#[case] capacity: usize) {
    let (mut producer, mut consumer) = RingBuffer::new(capacity);
    let mut next_in = 0u64;
    let mut next_out = 0u64;
    // 40 rounds, each filling the ring to a different level then emptying it: the positions
    // go around 0..2 * capacity many times, and stop at every offset on the way.
    for round in 0..40 {
        let fill = 1 + round % capacity;
        for _ in 0..fill {
            assert_eq!(
                producer.try_push(next_in),
                Ok(()),
                "round {round}: try_push({next_in}) into a ring of capacity {capacity} holding {} values",
                next_in - next_out
            );
            next_in += 1;
        }
        assert_eq!(
            consumer.slots(),
            fill,
            "round {round}: Consumer::slots() after pushing {fill} values into an empty ring of capacity {capacity}"
        );
        assert_eq!(
            producer.slots(),
            capacity - fill,
            "round {round}: Producer::slots() with {fill} of {capacity} slots used"
        );
        for _ in 0..fill {
            assert_eq!(
                consumer.try_pop(),
                Some(next_out),
                "round {round}: try_pop() with capacity {capacity}, after {next_in} pushes and {next_out} pops"
            );
            next_out += 1;
        }
        assert_eq!(
            consumer.try_pop(),
            None,
            "round {round}: try_pop() on a ring just emptied (capacity {capacity}, {next_in} values through it)"
        );
    }
}

#[testkit::check]
#[test]
fn a_full_ring_stays_full_through_many_wrap_arounds() {
    // Keeping the ring full while it turns: one pop, one push, with `capacity` values inside.
    let capacity = 3;
    let (mut producer, mut consumer) = RingBuffer::new(capacity);
    push_all(&mut producer, 0..capacity as u64);
    for i in 0..50u64 {
        assert_eq!(
            producer.try_push(1000 + i),
            Err(1000 + i),
            "step {i}: try_push into a full ring of capacity {capacity} (a full ring must not look empty)"
        );
        assert_eq!(
            consumer.try_pop(),
            Some(i),
            "step {i}: try_pop() from a full ring of capacity {capacity}"
        );
        assert_eq!(
            producer.try_push(capacity as u64 + i),
            Ok(()),
            "step {i}: try_push right after a pop"
        );
    }
}

#[testkit::check]
#[test]
fn a_capacity_of_zero_panics() {
    // Only the panic: a todo!() in `new` is passed on (not started), never taken for it.
    testkit::expect_panic(
        "RingBuffer::new(0) (a ring with no slot can hold nothing)",
        || RingBuffer::<u8>::new(0),
    );
}

#[testkit::check]
#[test]
fn zero_sized_values_are_counted_like_any_other() {
    let (mut producer, mut consumer) = RingBuffer::new(2);
    assert_eq!(producer.try_push(()), Ok(()), "first try_push(())");
    assert_eq!(producer.try_push(()), Ok(()), "second try_push(())");
    assert_eq!(
        producer.try_push(()),
        Err(()),
        "third try_push(()) into capacity 2"
    );
    assert_eq!(consumer.slots(), 2, "Consumer::slots() holding two ()");
    assert_eq!(drain(&mut consumer).len(), 2, "number of () popped");
}
