//! Every value is dropped exactly once: by whoever popped it, or by the ring when the second
//! half goes.

use rstest::rstest;
use spsc_ring::{Consumer, Producer, RingBuffer};
use testkit::drops::{DropLog, Token};

/// A ring of `capacity` holding tokens `ids`, in order.
fn ring_with(log: DropLog, capacity: usize, ids: &[u64]) -> (Producer<Token>, Consumer<Token>) {
    let (mut producer, consumer) = RingBuffer::new(capacity);
    for &id in ids {
        if producer.try_push(log.token(id)).is_err() {
            panic!(
                "try_push of token {id} was refused, but the ring of capacity {capacity} has room"
            );
        }
    }
    (producer, consumer)
}

fn sorted(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids
}

#[derive(Debug, Clone, Copy)]
enum LastHalf {
    Producer,
    Consumer,
}

#[testkit::check]
#[rstest]
#[case::consumer_dropped_last(LastHalf::Consumer)]
#[case::producer_dropped_last(LastHalf::Producer)]
fn values_left_in_the_ring_are_dropped_once_when_the_second_half_goes(#[case] last: LastHalf) {
    let log = DropLog::new();
    let (producer, consumer) = ring_with(log, 4, &[1, 2, 3]);
    let survivor: Box<dyn std::any::Any> = match last {
        LastHalf::Producer => {
            drop(consumer);
            Box::new(producer)
        }
        LastHalf::Consumer => {
            drop(producer);
            Box::new(consumer)
        }
    };
    assert_eq!(
        log.dropped(),
        Vec::<u64>::new(),
        "dropped ids while the {last:?} still lives: nothing may be dropped yet"
    );
    drop(survivor);
    log.assert_each_dropped_once(&[1, 2, 3]);
}

#[testkit::check]
#[test]
fn a_popped_value_belongs_to_the_caller() {
    let log = DropLog::new();
    let (producer, mut consumer) = ring_with(log, 2, &[1, 2]);
    let popped = consumer
        .try_pop()
        .expect("try_pop() of a ring holding [1, 2] returned None");
    assert_eq!(popped.id(), 1, "id of the first token popped from [1, 2]");
    assert_eq!(
        log.dropped(),
        Vec::<u64>::new(),
        "try_pop must hand the token over, not drop it"
    );
    drop(popped);
    assert_eq!(
        log.dropped(),
        vec![1],
        "dropped ids after dropping the popped token"
    );
    drop((producer, consumer));
    log.assert_each_dropped_once(&[1, 2]);
}

#[testkit::check]
#[test]
fn a_refused_push_hands_the_value_back_undropped() {
    let log = DropLog::new();
    let (mut producer, consumer) = ring_with(log, 1, &[1]);
    let back = match producer.try_push(log.token(2)) {
        Ok(()) => panic!("try_push into a full ring of capacity 1 returned Ok"),
        Err(token) => token,
    };
    assert_eq!(back.id(), 2, "the refused push handed back the wrong token");
    assert_eq!(
        log.dropped(),
        Vec::<u64>::new(),
        "a refused push must not drop anything"
    );
    drop(back);
    drop((producer, consumer));
    log.assert_each_dropped_once(&[1, 2]);
}

#[testkit::check]
#[test]
fn values_left_after_wrap_arounds_are_dropped_exactly_once() {
    let log = DropLog::new();
    let (mut producer, mut consumer) = ring_with(log, 3, &[]);
    // 5 in and out moves both positions to 5 of 0..6 (slot 2); 2 more put the tail at 1, behind
    // the head: the leftovers sit in slots 2 and 0, straddling the end of the slots.
    for id in 0..5 {
        assert!(
            producer.try_push(log.token(id)).is_ok(),
            "try_push of token {id} into a ring of capacity 3 holding nothing"
        );
        let popped = consumer.try_pop().map(|t| t.id());
        assert_eq!(popped, Some(id), "try_pop() right after pushing token {id}");
    }
    for id in 5..7 {
        assert!(
            producer.try_push(log.token(id)).is_ok(),
            "try_push of token {id} into a ring of capacity 3 holding {} tokens",
            id - 5
        );
    }
    assert_eq!(
        sorted(log.dropped()),
        vec![0, 1, 2, 3, 4],
        "dropped ids once the popped tokens 0..5 were dropped"
    );
    drop((producer, consumer));
    log.assert_each_dropped_once(&[0, 1, 2, 3, 4, 5, 6]);
}

#[testkit::check]
#[test]
fn the_halves_may_be_dropped_on_different_threads() {
    let log = DropLog::new();
    let (mut producer, consumer) = RingBuffer::new(4);
    let pusher = std::thread::spawn(move || {
        for id in 0..3 {
            assert!(
                producer.try_push(log.token(id)).is_ok(),
                "try_push of token {id} into a ring of capacity 4"
            );
        }
        // The producer is dropped here, on its own thread.
    });
    pusher.join().expect("the producer thread panicked");
    drop(consumer);
    log.assert_each_dropped_once(&[0, 1, 2]);
}

mod random {
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Push,
        Pop,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![3 => Just(Op::Push), 2 => Just(Op::Pop)]
    }

    proptest! {
        #![proptest_config(testkit::proptest_config(128))]

        #[testkit::check]
        #[test]
        fn every_value_is_dropped_exactly_once_under_random_operations(
            capacity in 1usize..5,
            ops in testkit::strategy::ops(op(), 0..80),
            producer_last in any::<bool>(),
        ) {
            let log = DropLog::new();
            let (mut producer, mut consumer) = RingBuffer::new(capacity);
            let mut gone = Vec::new(); // ids that must have been dropped by now
            let mut created = Vec::new();
            for (step, op) in ops.iter().enumerate() {
                match op {
                    Op::Push => {
                        let id = created.len() as u64;
                        created.push(id);
                        if let Err(token) = producer.try_push(log.token(id)) {
                            prop_assert_eq!(token.id(), id, "try_push refused a token and handed back another");
                            gone.push(id); // dropping the refused token here is its one drop
                        }
                    }
                    Op::Pop => {
                        // Dropping the popped token here is its one drop.
                        gone.extend(consumer.try_pop().map(|t| t.id()));
                    }
                }
                prop_assert_eq!(
                    sorted(log.dropped()),
                    sorted(gone.clone()),
                    "dropped ids after step {} ({:?}) with capacity {}",
                    step, op, capacity
                );
            }
            if producer_last {
                drop(consumer);
                drop(producer);
            } else {
                drop(producer);
                drop(consumer);
            }
            log.assert_each_dropped_once(&created);
        }
    }
}

thread_local! {
    static GHOST_DROPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A zero-sized value that counts its drops (on this thread: the ring is dropped here).
struct Ghost;

impl Drop for Ghost {
    fn drop(&mut self) {
        GHOST_DROPS.set(GHOST_DROPS.get() + 1);
    }
}

#[testkit::check]
#[test]
fn zero_sized_values_left_in_the_ring_are_dropped_too() {
    let (mut producer, consumer) = RingBuffer::new(4);
    for i in 0..3 {
        assert!(
            producer.try_push(Ghost).is_ok(),
            "try_push {i} of 3 into capacity 4"
        );
    }
    GHOST_DROPS.set(0);
    drop((producer, consumer));
    assert_eq!(
        GHOST_DROPS.get(),
        3,
        "3 zero-sized values were left in the ring: dropping both halves must drop each once"
    );
}
