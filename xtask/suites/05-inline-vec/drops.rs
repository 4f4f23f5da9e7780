//! Every element is dropped exactly once: never leaked, never twice.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use inline_vec::InlineVec;
use proptest::prelude::*;
use testkit::drops::{DropLog, Token};

/// A fresh log. It stays valid even if a buggy vector drops a token twice: `DropLog`'s record
/// is never freed, so a double drop is recorded, not undefined behaviour.
fn log() -> DropLog {
    DropLog::new()
}

/// A vector holding tokens `ids`, in order.
fn tokens<const N: usize>(log: &DropLog, ids: &[u64]) -> InlineVec<Token, N> {
    let mut v = InlineVec::new();
    for &id in ids {
        if v.try_push(log.token(id)).is_err() {
            panic!("try_push of token {id} failed: the vector of capacity {N} should have room");
        }
    }
    v
}

fn sorted(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids
}

#[testkit::check]
#[test]
fn dropping_the_vector_drops_every_element_once() {
    let log = log();
    let v = tokens::<4>(&log, &[1, 2, 3]);
    assert_eq!(
        log.dropped(),
        Vec::<u64>::new(),
        "nothing may be dropped while the vector lives"
    );
    drop(v);
    log.assert_each_dropped_once(&[1, 2, 3]);
}

#[testkit::check]
#[test]
fn a_popped_element_is_dropped_by_its_new_owner_only() {
    let log = log();
    let mut v = tokens::<4>(&log, &[1, 2]);
    let popped = v.pop().expect("pop of [1, 2] returned None");
    assert_eq!(
        popped.id(),
        2,
        "pop of tokens [1, 2] returned the wrong token"
    );
    assert_eq!(
        log.dropped(),
        Vec::<u64>::new(),
        "pop must hand the token over, not drop it"
    );
    drop(popped);
    assert_eq!(
        log.dropped(),
        vec![2],
        "dropping the popped token (ids dropped so far)"
    );
    drop(v);
    log.assert_each_dropped_once(&[1, 2]);
}

#[testkit::check]
#[test]
fn truncate_drops_exactly_the_removed_tail() {
    let log = log();
    let mut v = tokens::<5>(&log, &[1, 2, 3, 4, 5]);
    v.truncate(2);
    assert_eq!(
        sorted(log.dropped()),
        vec![3, 4, 5],
        "ids dropped by truncate(2) of [1..=5]"
    );
    v.truncate(9);
    assert_eq!(
        sorted(log.dropped()),
        vec![3, 4, 5],
        "truncate beyond len() must drop nothing"
    );
    drop(v);
    log.assert_each_dropped_once(&[1, 2, 3, 4, 5]);
}

#[testkit::check]
#[test]
fn clear_drops_every_element_once() {
    let log = log();
    let mut v = tokens::<3>(&log, &[1, 2, 3]);
    v.clear();
    assert_eq!(
        sorted(log.dropped()),
        vec![1, 2, 3],
        "ids dropped by clear() of [1, 2, 3]"
    );
    drop(v);
    log.assert_each_dropped_once(&[1, 2, 3]);
}

#[testkit::check]
#[test]
fn a_refused_push_hands_the_value_back_undropped() {
    let log = log();
    let mut v = tokens::<1>(&log, &[1]);
    let back = match v.try_push(log.token(2)) {
        Ok(()) => panic!("try_push into a full vector of capacity 1 returned Ok"),
        Err(token) => token,
    };
    assert_eq!(back.id(), 2, "the refused push handed back the wrong token");
    assert_eq!(
        log.dropped(),
        Vec::<u64>::new(),
        "a refused push must not drop anything"
    );
    drop(back);
    drop(v);
    log.assert_each_dropped_once(&[1, 2]);
}

#[testkit::check]
#[test]
fn a_clone_and_its_original_each_drop_their_own_elements() {
    let rc = Rc::new(());
    let mut v: InlineVec<Rc<()>, 4> = InlineVec::new();
    for _ in 0..3 {
        assert!(
            v.try_push(Rc::clone(&rc)).is_ok(),
            "try_push into capacity 4"
        );
    }
    let c = v.clone();
    assert_eq!(
        Rc::strong_count(&rc),
        7,
        "live Rc handles after cloning a vector of 3"
    );
    drop(v);
    assert_eq!(
        Rc::strong_count(&rc),
        4,
        "live Rc handles after dropping the original"
    );
    drop(c);
    assert_eq!(
        Rc::strong_count(&rc),
        1,
        "live Rc handles after dropping the clone too"
    );
}

/// An element whose `clone` panics when `explode` is set.
struct Fragile {
    rc: Rc<()>,
    explode: bool,
}

impl Clone for Fragile {
    fn clone(&self) -> Self {
        if self.explode {
            panic!("Fragile::clone exploded (on purpose: the test checks what happens next)");
        }
        Fragile {
            rc: Rc::clone(&self.rc),
            explode: false,
        }
    }
}

#[testkit::check]
#[test]
fn a_clone_that_panics_midway_drops_what_it_had_cloned() {
    let rc = Rc::new(());
    let mut v: InlineVec<Fragile, 4> = InlineVec::new();
    for explode in [false, false, true, false] {
        let item = Fragile {
            rc: Rc::clone(&rc),
            explode,
        };
        assert!(v.try_push(item).is_ok(), "try_push into capacity 4");
    }
    let result = catch_unwind(AssertUnwindSafe(|| v.clone()));
    assert!(
        result.is_err(),
        "cloning the third element panics, so clone() must panic too"
    );
    assert_eq!(
        Rc::strong_count(&rc),
        5,
        "live Rc handles after a clone panicked on the third element: expected 5 (1 + the 4 \
         originals); more means the two elements cloned before the panic were leaked"
    );
    drop(v);
    assert_eq!(
        Rc::strong_count(&rc),
        1,
        "live Rc handles after dropping the vector"
    );
}

thread_local! {
    static COUNTDOWN_CLONES_LEFT: Cell<usize> = const { Cell::new(usize::MAX) };
    static COUNTDOWN_DROPS: Cell<usize> = const { Cell::new(0) };
}

/// A zero-sized element whose `clone` panics once `COUNTDOWN_CLONES_LEFT` runs out, and which
/// counts its drops. Zero-sized, so dropping a slot that was never written is no crash: it is
/// counted, and the test says so.
struct Countdown;

impl Clone for Countdown {
    fn clone(&self) -> Self {
        let left = COUNTDOWN_CLONES_LEFT.get();
        if left == 0 {
            panic!("Countdown::clone exploded (on purpose: the test checks what happens next)");
        }
        COUNTDOWN_CLONES_LEFT.set(left - 1);
        Countdown
    }
}

impl Drop for Countdown {
    fn drop(&mut self) {
        COUNTDOWN_DROPS.set(COUNTDOWN_DROPS.get() + 1);
    }
}

#[testkit::check]
#[test]
fn a_clone_that_panics_midway_drops_only_what_it_had_cloned() {
    let mut v: InlineVec<Countdown, 4> = InlineVec::new();
    for _ in 0..4 {
        assert!(v.try_push(Countdown).is_ok(), "try_push into capacity 4");
    }
    COUNTDOWN_CLONES_LEFT.set(2);
    COUNTDOWN_DROPS.set(0);
    let result = catch_unwind(AssertUnwindSafe(|| v.clone()));
    assert!(
        result.is_err(),
        "cloning the third element panics, so clone() must panic too"
    );
    assert_eq!(
        COUNTDOWN_DROPS.get(),
        2,
        "drops while clone() unwound after 2 elements were cloned: expected those 2; 3 means the \
         slot the panicking clone never wrote was counted and dropped"
    );
    COUNTDOWN_CLONES_LEFT.set(usize::MAX);
    drop(v);
    assert_eq!(COUNTDOWN_DROPS.get(), 6, "then dropping the 4 originals");
}

thread_local! {
    static GHOST_DROPS: Cell<usize> = const { Cell::new(0) };
}

/// A zero-sized type that counts its drops.
struct Ghost;

impl Drop for Ghost {
    fn drop(&mut self) {
        GHOST_DROPS.with(|d| d.set(d.get() + 1));
    }
}

#[testkit::check]
#[test]
fn zero_sized_elements_are_dropped_exactly_once() {
    let drops = || GHOST_DROPS.with(Cell::get);
    let mut v: InlineVec<Ghost, 4> = InlineVec::new();
    for _ in 0..4 {
        assert!(v.try_push(Ghost).is_ok(), "try_push(Ghost) into capacity 4");
    }
    assert_eq!(drops(), 0, "Ghost drops while four sit in the vector");
    drop(v.pop());
    assert_eq!(drops(), 1, "Ghost drops after dropping one popped Ghost");
    v.truncate(1);
    assert_eq!(drops(), 3, "Ghost drops after truncate(1) of three");
    drop(v);
    assert_eq!(
        drops(),
        4,
        "Ghost drops after dropping the vector holding the last one"
    );
}

#[derive(Debug, Clone)]
enum Op {
    Push,
    Pop,
    Truncate(usize),
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::Push),
        2 => Just(Op::Pop),
        1 => (0usize..6).prop_map(Op::Truncate),
        1 => Just(Op::Clear),
    ]
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn every_element_is_dropped_exactly_once_under_random_operations(
        ops in testkit::strategy::ops(op(), 0..40),
    ) {
        let log = log();
        let mut v: InlineVec<Token, 4> = InlineVec::new();
        let mut held: Vec<u64> = Vec::new(); // ids in the vector, in order
        let mut gone: Vec<u64> = Vec::new(); // ids that must have been dropped
        let mut created = Vec::new();
        for (step, op) in ops.iter().enumerate() {
            match op {
                Op::Push => {
                    let id = created.len() as u64;
                    created.push(id);
                    match v.try_push(log.token(id)) {
                        Ok(()) => held.push(id),
                        // Refused: dropping the returned token here is its one drop.
                        Err(token) => {
                            prop_assert_eq!(token.id(), id, "try_push refused a token and handed back another");
                            gone.push(id);
                        }
                    }
                }
                Op::Pop => {
                    let got = v.pop().map(|t| t.id());
                    prop_assert_eq!(got, held.pop(), "pop() at step {} returned the wrong token id", step);
                    gone.extend(got);
                }
                Op::Truncate(len) => {
                    v.truncate(*len);
                    if *len < held.len() {
                        gone.extend(held.drain(*len..));
                    }
                }
                Op::Clear => {
                    v.clear();
                    gone.append(&mut held);
                }
            }
            prop_assert_eq!(
                sorted(log.dropped()),
                sorted(gone.clone()),
                "dropped ids after step {} ({:?}); ops so far: {:?}",
                step, op, &ops[..=step]
            );
        }
        drop(v);
        log.assert_each_dropped_once(&created);
    }
}

thread_local! {
    /// Ids of the `Mine`s dropped on this thread, in order.
    static MINES_DROPPED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// An element whose `Drop` records its id, then panics when `explode` is set.
struct Mine {
    id: u64,
    explode: bool,
}

impl Drop for Mine {
    fn drop(&mut self) {
        MINES_DROPPED.with(|d| d.borrow_mut().push(self.id));
        if self.explode && !std::thread::panicking() {
            panic!("Mine {} exploded on drop (on purpose)", self.id);
        }
    }
}

/// Fills a vector with mines 0..4 (mine 2 explodes), runs `cut` on it under `catch_unwind`
/// and checks: the panic came through, the length is the new one, and every removed mine was
/// dropped exactly once.
fn cut_through_a_mine(call: &str, kept: usize, mut cut: impl FnMut(&mut InlineVec<Mine, 4>)) {
    MINES_DROPPED.with(|d| d.borrow_mut().clear());
    let mut v: InlineVec<Mine, 4> = InlineVec::new();
    for id in 0..4 {
        assert!(
            v.try_push(Mine {
                id,
                explode: id == 2
            })
            .is_ok(),
            "try_push into capacity 4"
        );
    }
    // The same call on an empty vector first: an unfinished method reports itself here,
    // outside `catch_unwind`.
    cut(&mut InlineVec::new());
    let result = catch_unwind(AssertUnwindSafe(|| cut(&mut v)));
    let len = v.len();
    if len != kept {
        // The vector still counts elements it already dropped: dropping it would drop them
        // again, so it is forgotten.
        std::mem::forget(v);
        panic!(
            "len() after {call} panicked in mine 2's Drop: expected {kept}, got {len}: set the \
             length before running destructors, so a panic cannot lead to a double drop"
        );
    }
    assert!(
        result.is_err(),
        "mine 2's Drop panics during {call}, so {call} must panic too"
    );
    let dropped = MINES_DROPPED.with(|d| sorted(d.borrow().clone()));
    let removed: Vec<u64> = (kept as u64..4).collect();
    assert_eq!(
        dropped, removed,
        "mines dropped by {call} when mine 2's Drop panics: every removed element, each once \
         (the panic must not leak the ones after it)"
    );
    drop(v);
    let dropped = MINES_DROPPED.with(|d| sorted(d.borrow().clone()));
    assert_eq!(
        dropped,
        vec![0, 1, 2, 3],
        "mines dropped once the vector is dropped too: each exactly once"
    );
}

#[testkit::check]
#[test]
fn a_destructor_that_panics_during_truncate_drops_the_rest_once() {
    cut_through_a_mine("truncate(1)", 1, |v| v.truncate(1));
}

#[testkit::check]
#[test]
fn a_destructor_that_panics_during_clear_drops_the_rest_once() {
    cut_through_a_mine("clear()", 0, |v| v.clear());
}
