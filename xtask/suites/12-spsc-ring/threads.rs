//! Real threads: a producer and a consumer running at the same time.

use std::thread;

use spsc_ring::RingBuffer;

const ITEMS: u64 = 20_000;

#[testkit::check]
#[test]
fn a_producer_thread_and_a_consumer_thread_pass_20_000_values_in_order() {
    // 7 slots: not a power of two, and small enough that both threads meet a full and an
    // empty ring again and again.
    let (mut producer, mut consumer) = RingBuffer::new(7);
    let pusher = thread::spawn(move || {
        for i in 0..ITEMS {
            let mut value = i;
            while let Err(back) = producer.try_push(value) {
                assert_eq!(
                    back, value,
                    "try_push handed back another value than it was given"
                );
                value = back;
                thread::yield_now();
            }
        }
    });
    let mut expected = 0;
    while expected < ITEMS {
        match consumer.try_pop() {
            Some(got) => {
                assert_eq!(
                    got, expected,
                    "value #{expected} popped on the consumer thread (values must arrive in push order, none lost, none twice)"
                );
                expected += 1;
            }
            None => thread::yield_now(),
        }
    }
    pusher.join().expect("the producer thread panicked");
    assert_eq!(
        consumer.try_pop(),
        None,
        "try_pop() after all {ITEMS} values arrived"
    );
}

#[testkit::check]
#[test]
fn the_fill_level_seen_by_either_half_never_exceeds_the_capacity() {
    let capacity = 3;
    let (mut producer, mut consumer) = RingBuffer::new(capacity);
    let pusher = thread::spawn(move || {
        for i in 0..ITEMS / 4 {
            let free = producer.slots();
            assert!(
                free <= capacity,
                "Producer::slots() returned {free}, more than the capacity {capacity}"
            );
            while producer.try_push(i).is_err() {
                thread::yield_now();
            }
        }
    });
    let mut received = 0;
    while received < ITEMS / 4 {
        let held = consumer.slots();
        assert!(
            held <= capacity,
            "Consumer::slots() returned {held}, more than the capacity {capacity}"
        );
        if consumer.try_pop().is_some() {
            received += 1;
        } else {
            thread::yield_now();
        }
    }
    pusher.join().expect("the producer thread panicked");
}
