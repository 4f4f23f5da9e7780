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
        todo!(
            "RingBuffer::new: allocate {capacity} empty slots and hand out a Producer and a Consumer sharing them"
        )
    }

    // Your private helpers go here. Three small ones carry all the position arithmetic:
    // - the slot that holds a position (`pos % capacity`, without the division);
    // - the position after a position (wrapping from `2 * capacity - 1` to 0);
    // - the distance from one position to another (the number of values from head to tail).
}

impl<T> Drop for RingBuffer<T> {
    /// Drops the values still in the ring (pushed, never popped), each exactly once.
    ///
    /// Runs when the second of the two halves is dropped, whichever it is.
    fn drop(&mut self) {
        // While another todo!() unwinds, a second panic here would abort the whole test.
        // Replace this whole body.
        if !std::thread::panicking() {
            todo!(
                "Drop for RingBuffer: drop the values from head {} up to tail {}",
                self.head.load(Ordering::Relaxed),
                self.tail.load(Ordering::Relaxed)
            )
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
        todo!(
            "Producer::try_push: move a {}-byte value into position {} of 0..{} (cached head {}), or hand it back when full",
            std::mem::size_of_val(&value),
            self.tail,
            2 * self.capacity(),
            self.cached_head.get()
        )
    }

    /// The number of free slots: how many pushes would succeed right now.
    ///
    /// Exact when the consumer is idle; with a consumer popping on another thread it can only
    /// grow until the next push.
    pub fn slots(&self) -> usize {
        todo!(
            "Producer::slots: count the free slots, with the tail at {} of 0..{}",
            self.tail,
            2 * self.capacity()
        )
    }

    /// `true` when the ring has no free slot, so [`try_push`](Self::try_push) would fail.
    pub fn is_full(&self) -> bool {
        self.slots() == 0
    }

    /// The number of slots the ring was created with.
    pub fn capacity(&self) -> usize {
        self.buffer.slots.len()
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
        todo!(
            "Consumer::try_pop: move the value at position {} out (cached tail {}), or return None when empty",
            self.head,
            self.cached_tail.get()
        )
    }

    /// The number of values in the ring: how many pops would succeed right now.
    ///
    /// Exact when the producer is idle; with a producer pushing on another thread it can only
    /// grow until the next pop.
    pub fn slots(&self) -> usize {
        todo!(
            "Consumer::slots: count the values, with the head at {} of 0..{}",
            self.head,
            2 * self.capacity()
        )
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
