//! Random operation sequences agree with a `VecDeque` that refuses to grow past the capacity.

use std::collections::VecDeque;

use proptest::prelude::*;
use spsc_ring::RingBuffer;
use testkit::strategy::ops;

#[derive(Debug, Clone)]
enum Op {
    Push,
    Pop,
    /// Push until `n` pushes were tried (some may be refused).
    PushMany(usize),
    /// Pop `n` times (some may return `None`).
    PopMany(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Push),
        3 => Just(Op::Pop),
        1 => (1usize..9).prop_map(Op::PushMany),
        1 => (1usize..9).prop_map(Op::PopMany),
    ]
}

/// Runs `ops` on a ring and on a bounded `VecDeque` model, comparing every result and, after
/// each operation, both halves' view of the fill level.
fn agrees_with_a_vecdeque(capacity: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let (mut producer, mut consumer) = RingBuffer::new(capacity);
    let mut model: VecDeque<u64> = VecDeque::new();
    let mut next = 0u64;
    for (step, op) in ops.iter().enumerate() {
        let (pushes, pops) = match *op {
            Op::Push => (1, 0),
            Op::Pop => (0, 1),
            Op::PushMany(n) => (n, 0),
            Op::PopMany(n) => (0, n),
        };
        for _ in 0..pushes {
            let expected = if model.len() < capacity {
                model.push_back(next);
                Ok(())
            } else {
                Err(next)
            };
            prop_assert_eq!(
                producer.try_push(next),
                expected,
                "try_push({}) at step {} with {} of {} slots used",
                next,
                step,
                model.len() - usize::from(expected.is_ok()),
                capacity
            );
            next += 1;
        }
        for _ in 0..pops {
            let held = model.len();
            prop_assert_eq!(
                consumer.try_pop(),
                model.pop_front(),
                "try_pop() at step {} with {} values held (capacity {})",
                step,
                held,
                capacity
            );
        }
        prop_assert_eq!(
            consumer.slots(),
            model.len(),
            "Consumer::slots() after step {} ({:?}), capacity {}",
            step,
            op,
            capacity
        );
        prop_assert_eq!(
            producer.slots(),
            capacity - model.len(),
            "Producer::slots() after step {} ({:?}), capacity {}",
            step,
            op,
            capacity
        );
        prop_assert_eq!(
            producer.is_full(),
            model.len() == capacity,
            "Producer::is_full() after step {}",
            step
        );
        prop_assert_eq!(
            consumer.is_empty(),
            model.is_empty(),
            "Consumer::is_empty() after step {}",
            step
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn random_operations_agree_with_a_bounded_vecdeque(
        capacity in 1usize..7,
        ops in ops(op(), 1..200),
    ) {
        agrees_with_a_vecdeque(capacity, &ops)?;
    }
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn long_runs_on_tiny_rings_wrap_around_many_times(
        capacity in 1usize..4,
        ops in ops(op(), 150..300),
    ) {
        // Hundreds of pushes through at most 3 slots: positions wrap past 2 × capacity dozens
        // of times, at every fill level. A failure still shrinks to the few operations it
        // needs.
        agrees_with_a_vecdeque(capacity, &ops)?;
    }
}
