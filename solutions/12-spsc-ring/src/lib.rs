//! A bounded single-producer single-consumer ring buffer: what a channel is made of.
//!
//! A Go buffered channel is a ring of slots plus a lock plus queues of waiting goroutines.
//! With exactly one sender and one receiver, the lock can go: each side owns one index and
//! only reads the other's, so a `Release` store and an `Acquire` load are all the
//! synchronization it needs, with no compare-and-swap anywhere. This is the design of
//! [rtrb](https://docs.rs/rtrb): positions run over `0..2 * capacity`, so a full ring and an
//! empty one differ without a wasted slot, and each side caches the other's position so the
//! hot path rarely touches the other core's cache line.
//!
//! ```
//! use spsc_ring::RingBuffer;
//!
//! let (mut producer, mut consumer) = RingBuffer::new(2);
//! assert_eq!(producer.try_push("bid"), Ok(()));
//! assert_eq!(producer.try_push("ask"), Ok(()));
//! assert_eq!(producer.try_push("trade"), Err("trade")); // full: the value comes back
//!
//! std::thread::spawn(move || {
//!     assert_eq!(consumer.try_pop(), Some("bid"));
//!     assert_eq!(consumer.try_pop(), Some("ask"));
//!     assert_eq!(consumer.try_pop(), None); // empty
//! })
//! .join()
//! .unwrap();
//! ```

use std::cell::Cell;
use std::fmt;
use std::mem::MaybeUninit;

use crossbeam_utils::CachePadded;
use sync_shim::Arc;
use sync_shim::atomic::{AtomicUsize, Ordering};
use sync_shim::cell::UnsafeCell;

/// The storage shared by a [`Producer`] and its [`Consumer`]: `capacity` slots and two
/// positions.
///
/// A position is a slot index that runs over `0..2 * capacity` instead of `0..capacity`;
/// position `p` lives in slot `p % capacity`. The ring holds the items at positions
/// `head, head + 1, .., tail - 1` (wrapping at `2 * capacity`): it is empty when
/// `head == tail` and full when `tail` is `capacity` positions ahead of `head`. With
/// positions in `0..capacity` both cases would read `head == tail`.
///
/// `head` and `tail` each sit on their own cache line ([`CachePadded`]): the consumer writes
/// `head` on every pop and the producer writes `tail` on every push, and sharing a line would
/// make each write steal the line from the other core.
///
/// # Examples
///
/// ```
/// use spsc_ring::RingBuffer;
///
/// let (mut producer, mut consumer) = RingBuffer::new(3); // any capacity, not just powers of two
/// for round in 0..10 {
///     assert_eq!(producer.try_push(round), Ok(()));
///     assert_eq!(consumer.try_pop(), Some(round));
/// }
/// ```
pub struct RingBuffer<T> {
    /// The consumer's position: the next slot to read, in `0..2 * capacity`.
    /// Written only by the [`Consumer`]; read by the [`Producer`] to see which slots are free.
    head: CachePadded<AtomicUsize>,
    /// The producer's position: the next slot to write, in `0..2 * capacity`.
    /// Written only by the [`Producer`]; read by the [`Consumer`] to see which slots are full.
    tail: CachePadded<AtomicUsize>,
    /// The slots. Those at positions `head..tail` hold a value; the others are uninitialized.
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

impl<T> RingBuffer<T> {
    /// Creates a ring of `capacity` slots and returns its two halves.
    ///
    /// Any capacity from 1 up works, powers of two or not. The slots are allocated here, once;
    /// pushing and popping never allocate.
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is 0 (a ring that can never hold anything is a bug, not a
    /// channel), or so large that `2 * capacity` overflows a `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// use spsc_ring::RingBuffer;
    ///
    /// let (producer, consumer) = RingBuffer::<u64>::new(1000);
    /// assert_eq!(producer.capacity(), 1000);
    /// assert_eq!(consumer.capacity(), 1000);
    /// ```
    #[allow(clippy::new_ret_no_self)] // the halves are the point: `RingBuffer` is never held
    pub fn new(capacity: usize) -> (Producer<T>, Consumer<T>) {
        assert!(
            capacity > 0,
            "RingBuffer::new: the capacity must be at least 1"
        );
        assert!(
            capacity <= usize::MAX / 2,
            "RingBuffer::new: capacity {capacity} is too large: positions run up to 2 × capacity"
        );
        let slots = (0..capacity)
            .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
            .collect();
        let buffer = Arc::new(RingBuffer {
            head: CachePadded::new(AtomicUsize::new(0)),
            tail: CachePadded::new(AtomicUsize::new(0)),
            slots,
        });
        let producer = Producer {
            buffer: Arc::clone(&buffer),
            tail: 0,
            cached_head: Cell::new(0),
        };
        let consumer = Consumer {
            buffer,
            head: 0,
            cached_tail: Cell::new(0),
        };
        (producer, consumer)
    }

    fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// The slot that holds position `pos`: `slots[pos % capacity]`, without a division.
    fn slot(&self, pos: usize) -> &UnsafeCell<MaybeUninit<T>> {
        let capacity = self.capacity();
        let index = if pos < capacity { pos } else { pos - capacity };
        &self.slots[index]
    }

    /// The position after `pos`, wrapping from `2 * capacity - 1` to 0.
    fn next(&self, pos: usize) -> usize {
        if pos + 1 < 2 * self.capacity() {
            pos + 1
        } else {
            0
        }
    }

    /// How many positions `to` is ahead of `from`: the number of items when `from` is the head
    /// and `to` the tail. Always in `0..=capacity` for a real head and tail.
    fn distance(&self, from: usize, to: usize) -> usize {
        if from <= to {
            to - from
        } else {
            2 * self.capacity() - from + to
        }
    }
}

impl<T> Drop for RingBuffer<T> {
    /// Drops the values still in the ring (pushed, never popped), each exactly once.
    ///
    /// Runs when the second of the two halves is dropped, whichever it is.
    fn drop(&mut self) {
        if !std::mem::needs_drop::<T>() {
            return;
        }
        // Relaxed: `&mut self` means both halves are gone, and the `Arc` handed us the buffer
        // with its last decrement (Release in the other half, Acquire here), which already
        // ordered that half's final stores of `head` / `tail` and slot accesses before us.
        let mut head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        while head != tail {
            let slot = self.slot(head);
            // SAFETY: positions `head..tail` hold values that were pushed and never popped;
            // each is dropped once here, and nothing reads the slots after this loop.
            slot.with_mut(|slot| unsafe { (*slot).assume_init_drop() });
            head = self.next(head);
        }
    }
}

impl<T> fmt::Debug for RingBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RingBuffer")
            .field("capacity", &self.slots.len())
            .finish_non_exhaustive()
    }
}

/// The sending half of a [`RingBuffer`]: the only handle that can push.
///
/// It is `Send` (move it to the producing thread) but not `Sync` (never share it): there is
/// exactly one producer, so its position needs no atomic read-modify-write, and its cache of
/// the consumer's position is a plain `Cell`.
///
/// # Examples
///
/// ```
/// use spsc_ring::RingBuffer;
///
/// let (mut producer, _consumer) = RingBuffer::new(1);
/// assert_eq!(producer.try_push(7), Ok(()));
/// assert!(producer.is_full());
/// assert_eq!(producer.try_push(8), Err(8));
/// ```
pub struct Producer<T> {
    buffer: Arc<RingBuffer<T>>,
    /// The producer's own position, always equal to `buffer.tail` (no one else writes it).
    tail: usize,
    /// The consumer's position as last read: it may lag behind `buffer.head`, never run ahead
    /// of it, so the ring can only look fuller than it is, which is safe.
    cached_head: Cell<usize>,
}

// SAFETY: a `Producer` is the only handle that writes slots and `tail`; moving it to another
// thread keeps it the only one. The values it moves to the consumer's thread are `T: Send`.
unsafe impl<T: Send> Send for Producer<T> {}

impl<T> Producer<T> {
    /// Moves `value` into the ring, or hands it back in `Err` when the ring is full.
    ///
    /// Never blocks, never allocates. A rejected value is returned untouched: not dropped, not
    /// copied. The consumer sees the value once this returns `Ok`.
    ///
    /// # Examples
    ///
    /// ```
    /// use spsc_ring::RingBuffer;
    ///
    /// let (mut producer, mut consumer) = RingBuffer::new(1);
    /// assert_eq!(producer.try_push("first"), Ok(()));
    /// assert_eq!(producer.try_push("second"), Err("second"));
    /// assert_eq!(consumer.try_pop(), Some("first"));
    /// assert_eq!(producer.try_push("second"), Ok(()));
    /// ```
    pub fn try_push(&mut self, value: T) -> Result<(), T> {
        let buffer = &*self.buffer;
        let tail = self.tail;
        if !self.has_room(self.cached_head.get()) {
            // Full as far as the cache knows: look at the real head, which may have moved on.
            // Acquire pairs with the Release store of `head` in `Consumer::try_pop`: the
            // consumer's read of the slot we are about to overwrite happens before our write.
            let head = buffer.head.load(Ordering::Acquire);
            self.cached_head.set(head);
            if !self.has_room(head) {
                return Err(value);
            }
        }
        let slot = buffer.slot(tail);
        // SAFETY: `tail` is less than `capacity` positions ahead of a head the consumer has
        // published, so its slot is empty and the consumer will not touch it until we publish
        // the new tail below. We are the only producer (`&mut self`), so no write overlaps.
        slot.with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        let next = buffer.next(tail);
        // Release pairs with the Acquire loads of `tail` in `Consumer::try_pop` and
        // `Consumer::slots`; publishes the slot write above.
        buffer.tail.store(next, Ordering::Release);
        self.tail = next;
        Ok(())
    }

    /// The number of free slots: how many pushes would succeed right now.
    ///
    /// Exact when the consumer is idle; with a consumer popping on another thread it can only
    /// grow until the next push.
    pub fn slots(&self) -> usize {
        // Acquire pairs with the Release store of `head` in `Consumer::try_pop`: `try_push`
        // trusts this cached value to overwrite slots, so the consumer's reads of them must
        // happen before.
        let head = self.buffer.head.load(Ordering::Acquire);
        self.cached_head.set(head);
        self.buffer.capacity() - self.buffer.distance(head, self.tail)
    }

    /// `true` when the ring has no free slot, so [`try_push`](Self::try_push) would fail.
    pub fn is_full(&self) -> bool {
        self.slots() == 0
    }

    /// The number of slots the ring was created with.
    pub fn capacity(&self) -> usize {
        self.buffer.slots.len()
    }

    /// `true` while the slot at our tail is free as seen from `head`.
    fn has_room(&self, head: usize) -> bool {
        self.buffer.distance(head, self.tail) < self.buffer.capacity()
    }
}

impl<T> fmt::Debug for Producer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Producer")
            .field("capacity", &self.capacity())
            .finish_non_exhaustive()
    }
}

/// The receiving half of a [`RingBuffer`]: the only handle that can pop.
///
/// It is `Send` (move it to the consuming thread) but not `Sync` (never share it): there is
/// exactly one consumer, so its position needs no atomic read-modify-write, and its cache of
/// the producer's position is a plain `Cell`.
///
/// # Examples
///
/// ```
/// use spsc_ring::RingBuffer;
///
/// let (mut producer, mut consumer) = RingBuffer::new(4);
/// assert!(consumer.is_empty());
/// producer.try_push(1).unwrap();
/// assert_eq!(consumer.slots(), 1);
/// assert_eq!(consumer.try_pop(), Some(1));
/// assert_eq!(consumer.try_pop(), None);
/// ```
pub struct Consumer<T> {
    buffer: Arc<RingBuffer<T>>,
    /// The consumer's own position, always equal to `buffer.head` (no one else writes it).
    head: usize,
    /// The producer's position as last read: it may lag behind `buffer.tail`, never run ahead
    /// of it, so the ring can only look emptier than it is, which is safe.
    cached_tail: Cell<usize>,
}

// SAFETY: a `Consumer` is the only handle that reads slots and writes `head`; moving it to
// another thread keeps it the only one. The values it takes from the producer are `T: Send`.
unsafe impl<T: Send> Send for Consumer<T> {}

impl<T> Consumer<T> {
    /// Takes the oldest value out of the ring, or returns `None` when the ring is empty.
    ///
    /// Never blocks, never allocates. The caller owns the value; the ring will never drop it.
    /// Its slot is free for the producer once this returns.
    ///
    /// # Examples
    ///
    /// ```
    /// use spsc_ring::RingBuffer;
    ///
    /// let (mut producer, mut consumer) = RingBuffer::new(2);
    /// producer.try_push('a').unwrap();
    /// producer.try_push('b').unwrap();
    /// assert_eq!(consumer.try_pop(), Some('a'));
    /// assert_eq!(consumer.try_pop(), Some('b'));
    /// assert_eq!(consumer.try_pop(), None);
    /// ```
    pub fn try_pop(&mut self) -> Option<T> {
        let buffer = &*self.buffer;
        let head = self.head;
        if head == self.cached_tail.get() {
            // Empty as far as the cache knows: look at the real tail, which may have moved on.
            // Acquire pairs with the Release store of `tail` in `Producer::try_push`: the
            // producer's write of the slot we are about to read happens before our read.
            let tail = buffer.tail.load(Ordering::Acquire);
            self.cached_tail.set(tail);
            if head == tail {
                return None;
            }
        }
        let slot = buffer.slot(head);
        // SAFETY: `head` is behind a tail the producer has published, so its slot holds an
        // initialized value, and the producer will not touch it until we publish the new head
        // below. Reading moves the value out; the slot counts as empty from now on.
        let value = slot.with(|slot| unsafe { (*slot).assume_init_read() });
        let next = buffer.next(head);
        // Release pairs with the Acquire loads of `head` in `Producer::try_push` and
        // `Producer::slots`; publishes that we are done reading the slot, so it may be reused.
        buffer.head.store(next, Ordering::Release);
        self.head = next;
        Some(value)
    }

    /// The number of values in the ring: how many pops would succeed right now.
    ///
    /// Exact when the producer is idle; with a producer pushing on another thread it can only
    /// grow until the next pop.
    pub fn slots(&self) -> usize {
        // Acquire pairs with the Release store of `tail` in `Producer::try_push`: `try_pop`
        // trusts this cached value to read slots, so the producer's writes must happen before.
        let tail = self.buffer.tail.load(Ordering::Acquire);
        self.cached_tail.set(tail);
        self.buffer.distance(self.head, tail)
    }

    /// `true` when the ring holds no value, so [`try_pop`](Self::try_pop) would return `None`.
    pub fn is_empty(&self) -> bool {
        self.slots() == 0
    }

    /// The number of slots the ring was created with.
    pub fn capacity(&self) -> usize {
        self.buffer.slots.len()
    }
}

impl<T> fmt::Debug for Consumer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("capacity", &self.capacity())
            .finish_non_exhaustive()
    }
}
