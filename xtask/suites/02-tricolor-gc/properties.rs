//! Random mutators interleaved with collector steps, checked against a reachability model.
//!
//! The mutator only ever touches objects it can reach: those reachable from the roots, and
//! those it allocated since the current cycle began (held in "registers"). When a cycle
//! begins its registers are dropped, as if the collector had scanned a stack that held none
//! of them, so an object that nothing reaches then is garbage and must be gone when the cycle
//! ends.

use std::collections::{BTreeSet, HashMap};

use proptest::prelude::*;
use tricolor_gc::{Color, GcError, Heap, ObjId, Phase};

const CASES: u32 = 128;

#[derive(Debug, Clone)]
enum Op {
    /// Allocate an object with this many fields; the mutator holds it.
    Alloc(usize),
    /// Allocate an object and store it at once: `held[holder].fields[index] = new`.
    AllocInto {
        fields: usize,
        holder: usize,
        index: usize,
    },
    /// `set_field(held[holder], index, held[target])`; `index` may be out of range.
    SetField {
        holder: usize,
        index: usize,
        target: Option<usize>,
    },
    /// Move a reference: `to.fields[j] = from.fields[i]`, then `from.fields[i] = None`.
    Move {
        from: usize,
        i: usize,
        to: usize,
        j: usize,
    },
    /// An adversarial `Move`: `from` is picked among grey objects and `to` among black ones
    /// (asking the heap), which is exactly the lost-object race. Skipped unless marking.
    Race {
        from: usize,
        i: usize,
        to: usize,
        j: usize,
    },
    AddRoot(usize),
    RemoveRoot(usize),
    /// Try to use a freed id: every use must be a `StaleId` error.
    UseFreed(usize),
    Begin,
    Step(usize),
    Collect,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0usize..=3).prop_map(Op::Alloc),
        8 => (1usize..=3, any::<usize>(), 0usize..3)
            .prop_map(|(fields, holder, index)| Op::AllocInto { fields, holder, index }),
        4 => (any::<usize>(), 0usize..3, proptest::option::weighted(0.8, any::<usize>()))
            .prop_map(|(holder, index, target)| Op::SetField { holder, index, target }),
        3 => (any::<usize>(), 0usize..3, any::<usize>(), 0usize..3)
            .prop_map(|(from, i, to, j)| Op::Move { from, i, to, j }),
        3 => (any::<usize>(), 0usize..3, any::<usize>(), 0usize..3)
            .prop_map(|(from, i, to, j)| Op::Race { from, i, to, j }),
        2 => any::<usize>().prop_map(Op::AddRoot),
        1 => any::<usize>().prop_map(Op::RemoveRoot),
        1 => any::<usize>().prop_map(Op::UseFreed),
        1 => Just(Op::Begin),
        5 => (0usize..=2).prop_map(Op::Step),
        1 => Just(Op::Collect),
    ]
}

/// A random object graph grown from the global root, then random operations.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let grow =
        (1usize..=3, any::<usize>(), 0usize..3).prop_map(|(fields, holder, index)| Op::AllocInto {
            fields,
            holder,
            index,
        });
    (
        testkit::strategy::ops(grow, 0..20),
        testkit::strategy::ops(op(), 1..100),
    )
        .prop_map(|(mut graph, ops)| {
            graph.extend(ops);
            graph
        })
}

/// Which property a run asserts (the mutator's own calls are always checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    ReachableStaysLive,
    GarbageIsFreed,
    StrongInvariant,
    Budget,
}

/// What the heap should look like, built from the mutator's calls alone.
#[derive(Default)]
struct Model {
    /// The fields of every object the mutator ever allocated, as it set them.
    fields: HashMap<ObjId, Vec<Option<ObjId>>>,
    /// Every id ever allocated, in allocation order.
    all: Vec<ObjId>,
    roots: BTreeSet<ObjId>,
    /// Allocated since the current cycle began (or since the start): the mutator's registers.
    registers: BTreeSet<ObjId>,
    /// Unreachable when the current cycle began: must be freed when it ends.
    doomed: BTreeSet<ObjId>,
    /// Known to be freed: must stay stale forever.
    freed: BTreeSet<ObjId>,
}

impl Model {
    fn reachable(&self) -> BTreeSet<ObjId> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<ObjId> = self.roots.iter().copied().collect();
        while let Some(id) = todo.pop() {
            if seen.insert(id) {
                todo.extend(self.fields[&id].iter().flatten().copied());
            }
        }
        seen
    }

    /// What the mutator can touch, in a stable order.
    fn held(&self) -> Vec<ObjId> {
        let mut held = self.reachable();
        held.extend(self.registers.iter().copied());
        held.into_iter().collect()
    }

    /// A cycle begins: registers dropped, everything unreachable is doomed.
    fn begin(&mut self) {
        self.registers.clear();
        let reachable = self.reachable();
        self.doomed = self
            .all
            .iter()
            .copied()
            .filter(|id| !reachable.contains(id) && !self.freed.contains(id))
            .collect();
    }

    /// A cycle ended: the doomed are freed.
    fn end(&mut self) {
        let doomed = std::mem::take(&mut self.doomed);
        self.freed.extend(doomed);
    }
}

fn pick(ids: &[ObjId], n: usize) -> Option<ObjId> {
    (!ids.is_empty()).then(|| ids[n % ids.len()])
}

fn run(ops: &[Op], check: Check) -> Result<(), TestCaseError> {
    let mut heap = Heap::new();
    let mut model = Model::default();
    // The program's global: one root with three fields, so there is something to reach.
    let global = heap.alloc(3);
    heap.add_root(global)
        .map_err(|e| TestCaseError::fail(format!("add_root: {e}")))?;
    model.fields.insert(global, vec![None; 3]);
    model.all.push(global);
    model.roots.insert(global);
    for (i, op) in ops.iter().enumerate() {
        let held = model.held();
        let before = heap.phase();
        let mut cycle_ended = false;
        match *op {
            Op::Alloc(n) => {
                let id = heap.alloc(n);
                prop_assert!(
                    !model.fields.contains_key(&id),
                    "op {i}: alloc returned {id}, an id it had returned before"
                );
                model.fields.insert(id, vec![None; n]);
                model.all.push(id);
                model.registers.insert(id);
            }
            Op::AllocInto {
                fields,
                holder,
                index,
            } => {
                let Some(holder) = pick(&held, holder) else {
                    continue;
                };
                if index >= model.fields[&holder].len() {
                    continue;
                }
                let id = heap.alloc(fields);
                prop_assert!(
                    !model.fields.contains_key(&id),
                    "op {i}: alloc returned {id}, an id it had returned before"
                );
                model.fields.insert(id, vec![None; fields]);
                model.all.push(id);
                model.registers.insert(id);
                prop_assert_eq!(
                    heap.set_field(holder, index, Some(id)),
                    Ok(()),
                    "op {}: set_field({}, {}, Some({})) on reachable objects failed",
                    i,
                    holder,
                    index,
                    id
                );
                model.fields.get_mut(&holder).unwrap()[index] = Some(id);
            }
            Op::SetField {
                holder,
                index,
                target,
            } => {
                let Some(holder) = pick(&held, holder) else {
                    continue;
                };
                let target = target.and_then(|t| pick(&held, t));
                let len = model.fields[&holder].len();
                let got = heap.set_field(holder, index, target);
                if index < len {
                    prop_assert_eq!(
                        got,
                        Ok(()),
                        "op {}: set_field({}, {}, {:?}) on reachable objects failed",
                        i,
                        holder,
                        index,
                        target
                    );
                    model.fields.get_mut(&holder).unwrap()[index] = target;
                } else {
                    prop_assert_eq!(
                        got,
                        Err(GcError::FieldOutOfRange {
                            id: holder,
                            index,
                            len
                        }),
                        "op {}: set_field past the end of {}",
                        i,
                        holder
                    );
                }
            }
            Op::Move { from, i: fi, to, j } => {
                let (Some(from), Some(to)) = (pick(&held, from), pick(&held, to)) else {
                    continue;
                };
                move_reference(&mut heap, &mut model, (from, fi), (to, j), i)?;
            }
            Op::Race { from, i: fi, to, j } => {
                if before != Phase::Marking {
                    continue;
                }
                let colored = |color| -> Vec<ObjId> {
                    held.iter()
                        .copied()
                        .filter(|&id| heap.color(id) == Ok(color))
                        .collect()
                };
                let (Some(from), Some(to)) = (
                    pick(&colored(Color::Grey), from),
                    pick(&colored(Color::Black), to),
                ) else {
                    continue;
                };
                move_reference(&mut heap, &mut model, (from, fi), (to, j), i)?;
            }
            Op::AddRoot(n) => {
                let Some(id) = pick(&held, n) else { continue };
                prop_assert_eq!(heap.add_root(id), Ok(()), "op {}: add_root({})", i, id);
                model.roots.insert(id);
            }
            Op::RemoveRoot(n) => {
                let roots: Vec<ObjId> = model.roots.iter().copied().collect();
                let Some(id) = pick(&roots, n) else { continue };
                prop_assert_eq!(
                    heap.remove_root(id),
                    Ok(()),
                    "op {}: remove_root({})",
                    i,
                    id
                );
                model.roots.remove(&id);
            }
            Op::UseFreed(n) => {
                let freed: Vec<ObjId> = model.freed.iter().copied().collect();
                let Some(id) = pick(&freed, n) else { continue };
                prop_assert_eq!(
                    heap.set_field(id, 0, None),
                    Err(GcError::StaleId(id)),
                    "op {}: set_field on freed {}",
                    i,
                    id
                );
                prop_assert_eq!(
                    heap.add_root(id),
                    Err(GcError::StaleId(id)),
                    "op {}: add_root of freed {}",
                    i,
                    id
                );
                if let Some(&holder) = held.first()
                    && !model.fields[&holder].is_empty()
                {
                    prop_assert_eq!(
                        heap.set_field(holder, 0, Some(id)),
                        Err(GcError::StaleId(id)),
                        "op {}: storing freed {} in {}",
                        i,
                        id,
                        holder
                    );
                }
            }
            Op::Begin => {
                let work = heap.begin_cycle();
                if before == Phase::Idle {
                    if check == Check::Budget {
                        prop_assert_eq!(
                            work,
                            model.roots.len(),
                            "op {}: begin_cycle costs one unit per root",
                            i
                        );
                    }
                    model.begin();
                } else {
                    prop_assert_eq!(
                        work,
                        0,
                        "op {}: begin_cycle during a cycle must do nothing",
                        i
                    );
                }
            }
            Op::Step(budget) => {
                let work = heap.step(budget);
                if check == Check::Budget {
                    prop_assert!(
                        work <= budget,
                        "op {}: step({}) did {} units of work: longer than its budget",
                        i,
                        budget,
                        work
                    );
                    prop_assert!(
                        work == budget || heap.phase() == Phase::Idle,
                        "op {}: step({}) did only {} units but left the cycle unfinished ({:?})",
                        i,
                        budget,
                        work,
                        heap.phase()
                    );
                }
                cycle_ended = before != Phase::Idle && heap.phase() == Phase::Idle;
            }
            Op::Collect => {
                heap.collect();
                prop_assert_eq!(heap.phase(), Phase::Idle, "op {}: collect ends idle", i);
                if before != Phase::Idle {
                    model.end();
                }
                model.begin();
                cycle_ended = true;
            }
        }
        if cycle_ended {
            let doomed = model.doomed.clone();
            model.end();
            if check == Check::GarbageIsFreed {
                for id in &doomed {
                    prop_assert!(
                        !heap.is_live(*id),
                        "op {}: {} was unreachable when the cycle began, but is still live \
                         when it ended",
                        i,
                        id
                    );
                }
                for &id in &model.all {
                    if let Ok(color) = heap.color(id) {
                        prop_assert_eq!(
                            color,
                            Color::White,
                            "op {}: {} is live after the cycle but not white",
                            i,
                            id
                        );
                    }
                }
                if matches!(op, Op::Collect) {
                    let reachable = model.reachable();
                    prop_assert_eq!(
                        heap.live_count(),
                        reachable.len(),
                        "op {}: after collect exactly the reachable objects are live",
                        i
                    );
                }
            }
        }
        after_op(&heap, &model, check, i)?;
    }
    Ok(())
}

/// `to.fields[j] = from.fields[fi]`, then `from.fields[fi] = None`, on heap and model.
/// Skipped when either field index is out of range.
fn move_reference(
    heap: &mut Heap,
    model: &mut Model,
    (from, fi): (ObjId, usize),
    (to, j): (ObjId, usize),
    i: usize,
) -> Result<(), TestCaseError> {
    if fi >= model.fields[&from].len() || j >= model.fields[&to].len() {
        return Ok(());
    }
    let value = model.fields[&from][fi];
    prop_assert_eq!(
        heap.set_field(to, j, value),
        Ok(()),
        "op {}: set_field({}, {}, {:?}) on reachable objects failed",
        i,
        to,
        j,
        value
    );
    model.fields.get_mut(&to).unwrap()[j] = value;
    prop_assert_eq!(
        heap.set_field(from, fi, None),
        Ok(()),
        "op {}: set_field({}, {}, None) on a reachable object failed",
        i,
        from,
        fi
    );
    model.fields.get_mut(&from).unwrap()[fi] = None;
    Ok(())
}

/// The checks made after every operation.
fn after_op(heap: &Heap, model: &Model, check: Check, i: usize) -> Result<(), TestCaseError> {
    match check {
        Check::ReachableStaysLive => {
            for id in model.held() {
                prop_assert!(
                    heap.is_live(id),
                    "op {}: {} is reachable (or just allocated), but was freed",
                    i,
                    id
                );
                prop_assert_eq!(
                    heap.fields(id),
                    Ok(&model.fields[&id][..]),
                    "op {}: the fields of {} differ from what the mutator stored",
                    i,
                    id
                );
            }
            for &id in &model.freed {
                prop_assert!(
                    !heap.is_live(id),
                    "op {}: {} was freed but is live again: its slot's generation must change",
                    i,
                    id
                );
            }
        }
        Check::StrongInvariant if heap.phase() == Phase::Marking => {
            for &id in &model.all {
                let Ok(color) = heap.color(id) else { continue };
                if color == Color::Black {
                    for &child in heap.fields(id).unwrap().iter().flatten() {
                        prop_assert_ne!(
                            heap.color(child),
                            Ok(Color::White),
                            "op {}: black {} points to white {} while marking",
                            i,
                            id,
                            child
                        );
                    }
                }
            }
            for &root in heap.roots() {
                prop_assert_ne!(
                    heap.color(root),
                    Ok(Color::White),
                    "op {}: root {} is white while marking",
                    i,
                    root
                );
            }
        }
        _ => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(testkit::proptest_config(CASES))]

    #[testkit::check]
    #[test]
    fn no_reachable_object_is_ever_freed(ops in ops()) {
        run(&ops, Check::ReachableStaysLive)?;
    }

    #[testkit::check]
    #[test]
    fn garbage_from_before_a_cycle_is_gone_when_it_ends(ops in ops()) {
        run(&ops, Check::GarbageIsFreed)?;
    }

    #[testkit::check]
    #[test]
    fn no_black_object_points_to_a_white_one_while_marking(ops in ops()) {
        run(&ops, Check::StrongInvariant)?;
    }

    #[testkit::check]
    #[test]
    fn no_step_does_more_work_than_its_budget(ops in ops()) {
        run(&ops, Check::Budget)?;
    }
}
