//! A vector that lives where you put it, and a price formatter that writes into your buffer.
//!
//! Go's escape analysis decides whether a value lives on the stack or the heap; Rust lets you
//! decide. [`InlineVec`] keeps up to `N` elements inside itself (no pointer, no heap), so a
//! local `InlineVec` is a stack value like any array. [`format_price`] renders a fixed-point
//! price into a caller's byte buffer, so the hot path never allocates a `String`.

use std::fmt;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};
use std::slice;

/// A vector of at most `N` elements, stored inline: no heap, no pointer.
///
/// `Vec<T>` is a pointer, a capacity and a length; its elements live on the heap. An
/// `InlineVec<T, N>` is a length and `N` slots, the slots inside the value itself, so the
/// elements live wherever the `InlineVec` lives: on the stack for a local, inside the struct
/// that holds it otherwise. The price is a fixed capacity: [`try_push`](Self::try_push) on a
/// full vector hands the value back instead of growing.
///
/// Slots `[0, len)` hold initialized elements; slots `[len, N)` are uninitialized memory.
/// Every element is dropped exactly once: by [`pop`](Self::pop)'s caller, by
/// [`truncate`](Self::truncate) or [`clear`](Self::clear), or when the vector is dropped.
///
/// # Examples
///
/// ```
/// use inline_vec::InlineVec;
///
/// let mut v: InlineVec<u64, 2> = InlineVec::new();
/// assert_eq!(v.try_push(10), Ok(()));
/// assert_eq!(v.try_push(20), Ok(()));
/// assert_eq!(v.try_push(30), Err(30)); // full: the value comes back
/// assert_eq!(v.as_slice(), &[10, 20]);
/// assert_eq!(v.iter().sum::<u64>(), 30); // a slice, through `Deref`
/// assert_eq!(v.pop(), Some(20));
/// ```
///
/// # Layout
///
/// `size_of::<InlineVec<T, N>>()` is `N * size_of::<T>()` plus one `usize` (plus padding):
/// `InlineVec<u64, 4>` is 40 bytes on a 64-bit target, with no hidden pointer.
pub struct InlineVec<T, const N: usize> {
    /// Number of initialized slots at the front of `buf`.
    len: usize,
    /// `buf[..len]` is initialized, `buf[len..]` is not.
    buf: [MaybeUninit<T>; N],
}

impl<T, const N: usize> InlineVec<T, N> {
    /// An empty vector. `const`, so it can initialize a `static` or a `const`.
    pub const fn new() -> Self {
        Self {
            len: 0,
            // An inline `const` block repeats a value that is not `Copy`: N uninit slots.
            buf: [const { MaybeUninit::uninit() }; N],
        }
    }

    /// The number of elements the vector can hold: `N`.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// The number of elements in the vector.
    pub fn len(&self) -> usize {
        todo!("InlineVec::len: how many of the {N} slots hold an element?")
    }

    /// `true` when the vector holds no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` when the vector holds `N` elements, so the next push fails.
    pub fn is_full(&self) -> bool {
        self.len() == N
    }

    /// Appends `value`, or hands it back in `Err` when the vector is full.
    ///
    /// A rejected value is returned untouched: not dropped, not copied.
    pub fn try_push(&mut self, value: T) -> Result<(), T> {
        todo!(
            "InlineVec::try_push: write a {}-byte value into slot {} of {N}, or hand it back when full",
            std::mem::size_of_val(&value),
            self.len
        )
    }

    /// Removes the last element and returns it, or `None` if the vector is empty.
    ///
    /// The caller now owns the element; the vector will never drop it.
    pub fn pop(&mut self) -> Option<T> {
        todo!(
            "InlineVec::pop: move the last of the {} elements out",
            self.len
        )
    }

    /// Drops every element; the vector is empty afterwards, even if an element's `Drop`
    /// panics (as for [`truncate`](Self::truncate)).
    pub fn clear(&mut self) {
        todo!("InlineVec::clear: drop all {} elements", self.len)
    }

    /// Drops the elements at index `len` and beyond, keeping the first `len`.
    ///
    /// Does nothing when `len >= self.len()`. If an element's `Drop` panics, the panic
    /// propagates once every removed element has been dropped (each exactly once), and
    /// `self.len()` is already `len`.
    pub fn truncate(&mut self, len: usize) {
        todo!(
            "InlineVec::truncate: drop the elements from index {len} up to {}",
            self.len
        )
    }

    /// The elements, as a slice.
    pub fn as_slice(&self) -> &[T] {
        todo!(
            "InlineVec::as_slice: view the first {} of the {} slots as &[T]",
            self.len,
            self.buf.len()
        )
    }

    /// The elements, as a mutable slice.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        todo!(
            "InlineVec::as_mut_slice: view the first {} of the {} slots as &mut [T]",
            self.len,
            self.buf.len()
        )
    }
}

impl<T, const N: usize> Drop for InlineVec<T, N> {
    /// Drops the initialized elements, each exactly once. The uninitialized slots hold no
    /// value, and `MaybeUninit` never drops its contents on its own.
    fn drop(&mut self) {
        // While another todo!() unwinds, a second panic here would abort the whole test.
        // Replace this whole body.
        if !std::thread::panicking() {
            todo!(
                "Drop for InlineVec: drop the {} initialized elements",
                self.len
            )
        }
    }
}

impl<T: Clone, const N: usize> Clone for InlineVec<T, N> {
    /// A new vector with a clone of every element, in order.
    ///
    /// If an element's `clone` panics, the elements cloned so far are dropped, not leaked.
    fn clone(&self) -> Self {
        todo!(
            "Clone for InlineVec: clone the {} elements into a new vector",
            self.len
        )
    }
}

impl<T, const N: usize> Default for InlineVec<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Deref for InlineVec<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T, const N: usize> DerefMut for InlineVec<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for InlineVec<T, N> {
    /// Formats like a slice: `[1, 2, 3]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a InlineVec<T, N> {
    type Item = &'a T;
    type IntoIter = slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a mut InlineVec<T, N> {
    type Item = &'a mut T;
    type IntoIter = slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

/// The longest output of [`format_price`]: a sign, `0`, a dot and 255 fraction digits.
///
/// A buffer this long always fits, whatever the mantissa and scale.
pub const MAX_PRICE_LEN: usize = 1 + 1 + 1 + u8::MAX as usize;

/// [`format_price`] needed more room than the buffer had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferTooSmall {
    /// The length of the full output, in bytes.
    pub needed: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "buffer too small: the price needs {} bytes", self.needed)
    }
}

impl std::error::Error for BufferTooSmall {}

/// Writes the fixed-point price `mantissa × 10^-scale` into the front of `buf` and returns it
/// as a `&str` borrowed from `buf`.
///
/// The output is: `-` when `mantissa < 0`; the integer part, without leading zeros (`0` when
/// it is zero); then, when `scale > 0`, a `.` and exactly `scale` fraction digits (zero-padded,
/// trailing zeros kept). Every `i64` works, `i64::MIN` included, and every `u8` scale.
///
/// Only the output's own bytes, at the front of `buf`, are written; the rest of `buf` is left
/// as it was. When the output does not fit, nothing is written and the error says how many
/// bytes were needed. Never allocates, never panics.
///
/// # Examples
///
/// ```
/// use inline_vec::{format_price, BufferTooSmall};
///
/// let mut buf = [0u8; 32];
/// assert_eq!(format_price(-123400, 4, &mut buf), Ok("-12.3400"));
/// assert_eq!(format_price(5, 3, &mut buf), Ok("0.005"));
/// assert_eq!(format_price(42, 0, &mut buf), Ok("42"));
/// assert_eq!(format_price(-123400, 4, &mut buf[..4]), Err(BufferTooSmall { needed: 8 }));
/// ```
pub fn format_price(mantissa: i64, scale: u8, buf: &mut [u8]) -> Result<&str, BufferTooSmall> {
    todo!(
        "format_price: write {mantissa} at scale {scale} into a {}-byte buffer",
        buf.len()
    )
}
