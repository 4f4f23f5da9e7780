#![cfg(loom)]
//! Loom models: every interleaving of a producer thread and a consumer thread. The slots are
//! `sync_shim::cell::UnsafeCell`s, so a read of a slot not ordered after its write (or a write
//! not ordered after the previous read) is reported as a data race. Run with
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release --test loom_ring`.

use spsc_ring::{Consumer, RingBuffer};
use sync_shim::atomic::{AtomicUsize, Ordering};
use sync_shim::{Arc, hint, thread};

/// Pops until a value arrives, letting loom run the producer in between.
fn pop_spinning<T>(consumer: &mut Consumer<T>) -> T {
    loop {
        match consumer.try_pop() {
            Some(value) => return value,
            None => hint::spin_loop(),
        }
    }
}

#[testkit::check]
#[test]
fn values_cross_threads_in_order_with_none_lost_or_duplicated() {
    sync_shim::model(|| {
        // One slot, three values: every push after the first reuses the slot the consumer
        // just freed, and the positions wrap around 0..2.
        let (mut producer, mut consumer) = RingBuffer::new(1);
        let pusher = thread::spawn(move || {
            for i in 0..3u32 {
                let mut value = i;
                while let Err(back) = producer.try_push(value) {
                    value = back;
                    hint::spin_loop();
                }
            }
        });
        let received: Vec<u32> = (0..3).map(|_| pop_spinning(&mut consumer)).collect();
        pusher.join().unwrap();
        assert_eq!(
            received,
            vec![0, 1, 2],
            "values popped on the consumer thread, pushed as 0, 1, 2 through one slot"
        );
    });
}

#[testkit::check]
#[test]
fn pushes_racing_a_pop_never_overwrite_an_unread_value() {
    sync_shim::model(|| {
        let capacity = 2;
        let (mut producer, mut consumer) = RingBuffer::new(capacity);
        let pusher = thread::spawn(move || {
            // Three single attempts, no retry: the third fits only if the pop came first.
            (0..3u32)
                .filter(|&i| producer.try_push(i).is_ok())
                .collect::<Vec<_>>()
        });
        let mut received = vec![pop_spinning(&mut consumer)];
        let accepted = pusher.join().unwrap();
        while let Some(value) = consumer.try_pop() {
            received.push(value);
        }
        assert!(
            accepted.starts_with(&[0, 1]),
            "pushes accepted {accepted:?}: the first {capacity} pushes into a ring of capacity \
             {capacity} must fit (a pop can only make room)"
        );
        assert_eq!(
            received, accepted,
            "values received (one pop racing the pushes, then a drain) vs values whose push \
             returned Ok: a push into a full ring must be refused, not overwrite a value"
        );
    });
}

#[testkit::check]
#[test]
fn a_ring_seen_not_full_or_not_empty_stays_so_for_the_next_call() {
    sync_shim::model(|| {
        // Each side asks first, then acts: the answer of `is_full` / `is_empty` must hold for
        // the next call, and the cached position it leaves behind must be safe to act on.
        let (mut producer, mut consumer) = RingBuffer::new(1);
        let pusher = thread::spawn(move || {
            for i in 0..2u32 {
                while producer.is_full() {
                    hint::spin_loop();
                }
                assert_eq!(
                    producer.try_push(i),
                    Ok(()),
                    "try_push({i}) right after is_full() returned false"
                );
            }
        });
        let mut received = Vec::new();
        for _ in 0..2 {
            while consumer.is_empty() {
                hint::spin_loop();
            }
            let value = consumer.try_pop();
            assert!(
                value.is_some(),
                "try_pop() returned None right after is_empty() returned false"
            );
            received.extend(value);
        }
        pusher.join().unwrap();
        assert_eq!(
            received,
            vec![0, 1],
            "values popped, pushed as 0, 1 through one slot"
        );
    });
}

/// A value that counts its drops in a shared counter.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        // Relaxed: read only after the threads are joined, which orders it.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[testkit::check]
#[test]
fn values_left_in_the_ring_are_dropped_once_whichever_half_goes_last() {
    sync_shim::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (mut producer, mut consumer) = RingBuffer::new(2);
        let pusher = {
            let drops = Arc::clone(&drops);
            thread::spawn(move || {
                for _ in 0..2 {
                    let pushed = producer.try_push(Counted(Arc::clone(&drops))).is_ok();
                    assert!(
                        pushed,
                        "try_push into a ring of capacity 2 holding < 2 values"
                    );
                }
                // The producer is dropped here, possibly before the consumer, possibly after.
            })
        };
        drop(consumer.try_pop()); // a value or None, depending on the interleaving
        drop(consumer);
        pusher.join().unwrap();
        assert_eq!(
            drops.load(Ordering::Relaxed),
            2,
            "drops of the 2 values pushed, once both halves are gone (popped or left in the ring)"
        );
    });
}
