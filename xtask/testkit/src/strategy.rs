//! Strategies whose failures shrink to inputs a learner can read.
//!
//! The grader shows the "minimal failing input" proptest finds, so shrinking is part of the
//! feedback. Two shapes need help beyond proptest's defaults:
//!
//! - [`ops`]: a list of operations (or events) that shrinks by removal, in chunks first (half
//!   the list, then a quarter, …), down to a single operation, even when the list was
//!   generated long. `prop::collection::vec(op, 150..300)` can never shrink below 150
//!   elements, and removes one element per step.
//! - [`toward`]: an integer that shrinks to the boundaries the contract names (0, a floor, a
//!   limit, `u64::MAX`) before it binary-searches, so a failure that needs a huge number shows
//!   `u64::MAX` rather than the 19-digit number a plain binary search stops at.
//!
//! Both generate exactly what the strategy they replace generates (the same random draws in
//! the same order), so a suite that switches to them finds the same failures with the same
//! seed; only what is shown after shrinking changes.
//!
//! ```
//! use proptest::prelude::*;
//! use testkit::strategy::{ops, toward};
//!
//! #[derive(Debug, Clone)]
//! enum Op { Push(u64), Pop }
//!
//! fn op() -> impl Strategy<Value = Op> {
//!     prop_oneof![
//!         toward(any::<u64>(), [0, 1, u64::MAX]).prop_map(Op::Push),
//!         Just(Op::Pop),
//!     ]
//! }
//!
//! proptest! {
//!     #![proptest_config(testkit::proptest_config(16))]
//!     // In a suite this function carries `#[testkit::check]` and `#[test]`.
//!     fn pops_never_outnumber_pushes_by_much(ops in ops(op(), 0..64)) {
//!         prop_assert!(ops.len() < 64);
//!     }
//! }
//! pops_never_outnumber_pushes_by_much();
//! ```

use std::fmt::Debug;

use proptest::collection::SizeRange;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// Lists of `element` whose length is drawn from `len`, like `prop::collection::vec`, that
/// shrink by removing operations down to one (down to none when `len` starts at 0), then
/// shrink each remaining operation.
pub fn ops<S: Strategy>(element: S, len: impl Into<SizeRange>) -> Ops<S> {
    Ops {
        element,
        len: len.into(),
    }
}

/// See [`ops`].
#[derive(Debug, Clone)]
#[must_use = "strategies do nothing unless used"]
pub struct Ops<S> {
    element: S,
    len: SizeRange,
}

impl<S: Strategy> Strategy for Ops<S> {
    type Tree = OpsTree<S::Tree>;
    type Value = Vec<S::Value>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        // The same draws as `VecStrategy::new_tree`: the length, then each element in turn.
        let (start, end) = self.len.start_end_incl();
        let n = proptest::num::sample_uniform_incl(runner, start, end);
        let mut elements = Vec::with_capacity(n);
        while elements.len() < n {
            elements.push(self.element.new_tree(runner)?);
        }
        Ok(OpsTree {
            kept: (0..n).collect(),
            elements,
            floor: usize::from(start > 0),
            removal: Removal {
                chunk: n / 2,
                end: n,
            },
            at: 0,
            pending: Pending::Nothing,
            done: false,
        })
    }
}

/// The value tree of [`ops`].
#[derive(Debug, Clone)]
pub struct OpsTree<T> {
    elements: Vec<T>,
    /// Indices into `elements` of the operations still in the list.
    kept: Vec<usize>,
    /// Shrinking never leaves fewer operations than this.
    floor: usize,
    /// The next window to try removing: `kept[end - chunk..end]`, moving leftwards.
    removal: Removal,
    /// The operation being shrunk once removals are done.
    at: usize,
    /// The candidate under test.
    pending: Pending,
    done: bool,
}

#[derive(Debug, Clone, Copy)]
struct Removal {
    chunk: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy)]
enum Pending {
    Nothing,
    /// `kept[start..end]` left out.
    Remove {
        start: usize,
        end: usize,
    },
    /// `elements[kept[at]]` simplified.
    Element,
}

impl<T: ValueTree> OpsTree<T> {
    /// Moves to the next candidate; `false` when there is none (the list stays as accepted).
    fn propose(&mut self) -> bool {
        while self.removal.chunk > 0 {
            let Removal { chunk, end } = self.removal;
            if end == 0 {
                self.removal = Removal {
                    chunk: chunk / 2,
                    end: self.kept.len(),
                };
                continue;
            }
            let start = end.saturating_sub(chunk);
            // Whether this window is kept or dropped, the next one sits just left of it.
            self.removal.end = start;
            if self.kept.len() - (end - start) < self.floor {
                continue;
            }
            self.pending = Pending::Remove { start, end };
            return true;
        }
        while !self.done {
            let Some(&index) = self.kept.get(self.at) else {
                self.done = true;
                break;
            };
            if self.elements[index].simplify() {
                self.pending = Pending::Element;
                return true;
            }
            self.at += 1;
        }
        self.pending = Pending::Nothing;
        false
    }
}

impl<T: ValueTree> ValueTree for OpsTree<T> {
    type Value = Vec<T::Value>;

    fn current(&self) -> Self::Value {
        let skip = match self.pending {
            Pending::Remove { start, end } => start..end,
            _ => 0..0,
        };
        self.kept
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .map(|(_, &e)| self.elements[e].current())
            .collect()
    }

    /// The candidate under test still fails: keep it, then propose a smaller one.
    fn simplify(&mut self) -> bool {
        if let Pending::Remove { start, end } = self.pending {
            self.kept.drain(start..end);
            self.removal.chunk = self.removal.chunk.min(self.kept.len() / 2).max(1);
            if self.kept.len() <= self.floor {
                self.removal.chunk = 0;
            }
        }
        self.pending = Pending::Nothing;
        self.propose()
    }

    /// The candidate under test passes: go back, and propose another.
    fn complicate(&mut self) -> bool {
        match self.pending {
            Pending::Element => {
                let index = self.kept[self.at];
                if self.elements[index].complicate() {
                    return true;
                }
                // That operation is as simple as it gets while still failing.
                self.at += 1;
            }
            Pending::Remove { .. } | Pending::Nothing => {}
        }
        self.pending = Pending::Nothing;
        self.propose()
    }
}

/// The integers [`toward`] works with.
pub trait Int: Copy + Ord + Debug {
    /// Widened without loss.
    fn wide(self) -> i128;
    /// Narrowed back; only called with values between two values of `Self`.
    fn narrow(wide: i128) -> Self;
}

macro_rules! int {
    ($($t:ty),*) => {$(
        impl Int for $t {
            fn wide(self) -> i128 {
                self as i128
            }
            fn narrow(wide: i128) -> Self {
                wide as $t
            }
        }
    )*};
}
int!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

/// Integers drawn by `inner` (unchanged) that shrink toward the boundaries a contract names:
/// first to the first of `boundaries` between zero and the value that still fails (in the
/// order given), else by binary search down to the nearest boundary below. A search that
/// ends on a long number (ten digits or more) then tries the boundaries beyond it, so a
/// failure that needs a huge number shows `u64::MAX`, not `6148914691236517206`.
///
/// List the boundaries the contract names, simplest first, and only values `inner` can
/// produce: the bottom of its range (`0`), then the edges that matter (a floor, a limit,
/// `u64::MAX`).
///
/// ```
/// use proptest::prelude::*;
/// use testkit::strategy::toward;
///
/// const MIB: u64 = 1 << 20;
/// // Mostly realistic sizes, sometimes anything; failures shrink to 0, 4 MiB or u64::MAX first.
/// let bytes = toward(prop_oneof![9 => 0..=16 * MIB, 1 => any::<u64>()], [0, 4 * MIB, u64::MAX]);
/// # let _ = bytes;
/// ```
pub fn toward<S>(inner: S, boundaries: impl IntoIterator<Item = S::Value>) -> Toward<S>
where
    S: Strategy,
    S::Value: Int,
{
    Toward {
        inner,
        boundaries: boundaries.into_iter().collect(),
    }
}

/// See [`toward`].
#[derive(Debug, Clone)]
#[must_use = "strategies do nothing unless used"]
pub struct Toward<S: Strategy> {
    inner: S,
    boundaries: Vec<S::Value>,
}

impl<S> Strategy for Toward<S>
where
    S: Strategy,
    S::Value: Int,
{
    type Tree = TowardTree<S::Value>;
    type Value = S::Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let value = self.inner.new_tree(runner)?.current();
        let v = value.wide();
        let nearer = self
            .boundaries
            .iter()
            .map(|b| b.wide())
            .filter(|&b| between_zero_and(b, v) && b != v)
            .collect();
        Ok(TowardTree {
            accepted: v,
            current: v,
            boundaries: self.boundaries.iter().map(|b| b.wide()).collect(),
            phase: Phase::Nearer(nearer),
            _int: std::marker::PhantomData,
        })
    }
}

/// `b` lies on `v`'s side of zero, no further out than `v` (zero counts on both sides).
fn between_zero_and(b: i128, v: i128) -> bool {
    if v >= 0 {
        (0..=v).contains(&b)
    } else {
        (v..=0).contains(&b)
    }
}

/// Numbers at least this long (in digits) are worth trading for a named boundary.
const LONG: i128 = 1_000_000_000;

/// The value tree of [`toward`].
#[derive(Debug, Clone)]
pub struct TowardTree<T> {
    /// The simplest value known to fail.
    accepted: i128,
    /// The value under test.
    current: i128,
    boundaries: Vec<i128>,
    phase: Phase,
    _int: std::marker::PhantomData<T>,
}

#[derive(Debug, Clone)]
enum Phase {
    /// Boundaries between zero and the value, still to try (the one under test first).
    Nearer(Vec<i128>),
    /// Binary search: the failure boundary lies in `lo..=accepted`; everything closer to zero
    /// than `lo` passed.
    Search {
        lo: i128,
    },
    /// Boundaries beyond a long search result, still to try (the one under test first).
    Beyond(Vec<i128>),
    Done,
}

impl<T: Int> TowardTree<T> {
    /// Moves `current` to the next candidate; `false` (with `current` back on the accepted
    /// value) when there is none.
    fn propose(&mut self) -> bool {
        loop {
            match &mut self.phase {
                Phase::Nearer(rest) => {
                    if let Some(&b) = rest.first() {
                        self.current = b;
                        return true;
                    }
                    // Every boundary nearer to zero passed: search between the nearest of
                    // them and the value.
                    let v = self.accepted;
                    let below = self
                        .boundaries
                        .iter()
                        .copied()
                        .filter(|&b| between_zero_and(b, v) && b != v)
                        .max_by_key(|b| b.abs());
                    self.phase = match below {
                        Some(b) => Phase::Search { lo: b + v.signum() },
                        None => Phase::Search { lo: v },
                    };
                }
                Phase::Search { lo } => {
                    let (lo, hi) = (*lo, self.accepted);
                    if lo != hi {
                        // Halfway, rounded toward `lo`.
                        self.current = lo + (hi - lo) / 2;
                        return true;
                    }
                    let beyond = if hi.abs() >= LONG {
                        self.boundaries
                            .iter()
                            .copied()
                            .filter(|&b| between_zero_and(hi, b) && b != hi)
                            .collect()
                    } else {
                        Vec::new()
                    };
                    self.phase = Phase::Beyond(beyond);
                }
                Phase::Beyond(rest) => {
                    if let Some(&b) = rest.first() {
                        self.current = b;
                        return true;
                    }
                    self.phase = Phase::Done;
                }
                Phase::Done => {
                    self.current = self.accepted;
                    return false;
                }
            }
        }
    }
}

impl<T: Int> ValueTree for TowardTree<T> {
    type Value = T;

    fn current(&self) -> T {
        T::narrow(self.current)
    }

    /// The value under test still fails: keep it, then try a simpler one.
    fn simplify(&mut self) -> bool {
        if self.current != self.accepted {
            self.accepted = self.current;
            match &mut self.phase {
                // A named boundary failed: nothing is simpler.
                Phase::Nearer(_) | Phase::Beyond(_) => self.phase = Phase::Done,
                Phase::Search { .. } | Phase::Done => {}
            }
        }
        self.propose()
    }

    /// The value under test passes: go back to the last failing one and try another.
    fn complicate(&mut self) -> bool {
        if self.current == self.accepted {
            return false;
        }
        match &mut self.phase {
            Phase::Nearer(rest) | Phase::Beyond(rest) => {
                rest.remove(0);
            }
            Phase::Search { lo } => *lo = self.current + self.accepted.signum(),
            Phase::Done => {}
        }
        self.current = self.accepted;
        self.propose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestError, TestRunner};

    /// The minimal input proptest reports for a property that fails when `fails` says so.
    fn minimal<S: Strategy>(strategy: S, fails: impl Fn(&S::Value) -> bool) -> S::Value
    where
        S::Value: Debug,
    {
        let mut runner = TestRunner::new(Config {
            cases: 256,
            failure_persistence: None,
            ..crate::proptest_config(256)
        });
        match runner.run(&strategy, |v| {
            prop_assert!(!fails(&v));
            Ok(())
        }) {
            Err(TestError::Fail(_, value)) => value,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Op {
        Push(u64),
        Pop,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => any::<u64>().prop_map(Op::Push),
            1 => Just(Op::Pop),
        ]
    }

    #[test]
    fn a_failure_at_the_first_operation_shrinks_to_one_operation() {
        // A long list can still shrink below the length it was generated with.
        let ops = minimal(ops(op(), 150..300), |ops| !ops.is_empty());
        assert_eq!(ops.len(), 1, "{ops:?}");
    }

    #[test]
    fn removal_keeps_the_operations_a_failure_needs() {
        // Fails once two pops come after a push of 7 or more.
        let fails = |ops: &Vec<Op>| {
            let Some(first) = ops.iter().position(|o| matches!(o, Op::Push(v) if *v >= 7)) else {
                return false;
            };
            ops[first..].iter().filter(|o| **o == Op::Pop).count() >= 2
        };
        let ops = minimal(ops(op(), 20..60), fails);
        assert_eq!(ops, vec![Op::Push(7), Op::Pop, Op::Pop]);
    }

    #[test]
    fn a_list_from_zero_may_shrink_to_nothing() {
        let ops = minimal(ops(op(), 0..40), |_| true);
        assert!(ops.is_empty(), "{ops:?}");
    }

    #[test]
    fn ops_draw_the_same_lists_as_vec() {
        let mut a = TestRunner::new(crate::proptest_config(1));
        let mut b = TestRunner::new(crate::proptest_config(1));
        for _ in 0..20 {
            let ours = ops(op(), 0..30).new_tree(&mut a).unwrap().current();
            let theirs = prop::collection::vec(op(), 0..30)
                .new_tree(&mut b)
                .unwrap()
                .current();
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_failure_that_needs_a_huge_number_shows_the_named_maximum() {
        // Overflows from u64::MAX / 3 + 1 on: a plain binary search stops at 6148914691236517206.
        let n = minimal(toward(any::<u64>(), [0, 1, u64::MAX]), |&n| {
            n.checked_mul(3).is_none()
        });
        assert_eq!(n, u64::MAX);
    }

    #[test]
    fn a_failure_from_a_small_number_on_shows_the_smallest() {
        let n = minimal(toward(any::<u64>(), [0, 1, u64::MAX]), |&n| n >= 1000);
        assert_eq!(n, 1000);
    }

    #[test]
    fn the_first_failing_boundary_wins() {
        let n = minimal(toward(0u64..=1 << 40, [0, 4 << 20]), |&n| n >= 4 << 20);
        assert_eq!(n, 4 << 20);
        let n = minimal(toward(0u64..=1 << 40, [0, 4 << 20]), |&n| n > 4 << 20);
        assert_eq!(n, (4 << 20) + 1);
    }

    #[test]
    fn negative_numbers_shrink_toward_zero_or_the_boundary_below_it() {
        let n = minimal(toward(any::<i32>(), [0, -1, i32::MIN]), |&n| n < -500);
        assert_eq!(n, -501);
        // Past -1073741824, a long number: the named minimum reads better.
        let n = minimal(toward(any::<i32>(), [0, -1, i32::MIN]), |&n| {
            n <= i32::MIN / 2
        });
        assert_eq!(n, i32::MIN);
    }

    #[test]
    fn toward_draws_the_same_numbers_as_its_inner_strategy() {
        let mut a = TestRunner::new(crate::proptest_config(1));
        let mut b = TestRunner::new(crate::proptest_config(1));
        for _ in 0..50 {
            let ours = toward(any::<u64>(), [0, u64::MAX])
                .new_tree(&mut a)
                .unwrap()
                .current();
            assert_eq!(ours, any::<u64>().new_tree(&mut b).unwrap().current());
        }
    }

    #[test]
    fn operations_inside_a_list_shrink_toward_their_boundaries() {
        let op = prop_oneof![toward(any::<u64>(), [0, u64::MAX]).prop_map(Op::Push)];
        let ops = minimal(ops(op, 10..50), |ops| {
            ops.iter()
                .any(|o| matches!(o, Op::Push(v) if v.checked_mul(2).is_none()))
        });
        assert_eq!(ops, vec![Op::Push(u64::MAX)]);
    }
}
