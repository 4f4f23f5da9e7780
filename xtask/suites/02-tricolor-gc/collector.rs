//! The collector: cycles, colors, budgets, the write barrier, allocation during a cycle.

use rstest::rstest;
use tricolor_gc::{Color, GcError, Heap, ObjId, Phase};

/// Runs `step(budget)` until the cycle ends; panics if it never does.
fn finish_cycle(heap: &mut Heap, budget: usize) -> usize {
    let mut work = 0;
    for _ in 0..100_000 {
        if heap.phase() == Phase::Idle {
            return work;
        }
        work += heap.step(budget);
    }
    panic!(
        "100000 calls to step({budget}) did not finish the cycle (phase {:?})",
        heap.phase()
    );
}

/// Steps one unit at a time until the heap is in `phase`.
fn step_until(heap: &mut Heap, phase: Phase) {
    for _ in 0..10_000 {
        if heap.phase() == phase {
            return;
        }
        heap.step(1);
    }
    panic!(
        "step(1) never reached {phase:?} (stuck in {:?})",
        heap.phase()
    );
}

fn assert_color(heap: &Heap, id: ObjId, want: Color, why: &str) {
    assert_eq!(heap.color(id), Ok(want), "{id}: {why}");
}

/// Two roots and what they reach, plus garbage: 5 reachable objects in 8 slots.
///
/// ```text
/// r1 ──► a ──► b ◄── r1        g1 ⇄ g2    g3
/// r2 ──► c
/// ```
struct Small {
    heap: Heap,
    reachable: Vec<ObjId>,
    garbage: Vec<ObjId>,
}

fn small() -> Small {
    let mut heap = Heap::new();
    let r1 = heap.alloc(2);
    let r2 = heap.alloc(1);
    let a = heap.alloc(1);
    let g1 = heap.alloc(1);
    let b = heap.alloc(0);
    let g2 = heap.alloc(1);
    let c = heap.alloc(2);
    let g3 = heap.alloc(0);
    heap.add_root(r1).unwrap();
    heap.add_root(r2).unwrap();
    heap.set_field(r1, 0, Some(a)).unwrap();
    heap.set_field(r1, 1, Some(b)).unwrap();
    heap.set_field(a, 0, Some(b)).unwrap();
    heap.set_field(r2, 0, Some(c)).unwrap();
    heap.set_field(g1, 0, Some(g2)).unwrap();
    heap.set_field(g2, 0, Some(g1)).unwrap();
    Small {
        heap,
        reachable: vec![r1, r2, a, b, c],
        garbage: vec![g1, g2, g3],
    }
}

#[testkit::check]
#[test]
fn collect_frees_unreachable_objects_and_keeps_reachable_ones() {
    let Small {
        mut heap,
        reachable,
        garbage,
    } = small();
    heap.collect();
    for &id in &reachable {
        assert!(
            heap.is_live(id),
            "{id} is reachable from a root, but collect freed it"
        );
    }
    for &id in &garbage {
        assert!(
            !heap.is_live(id),
            "{id} is unreachable (g1 and g2 point only to each other), but collect kept it"
        );
    }
    assert_eq!(heap.live_count(), reachable.len());
    assert_eq!(heap.phase(), Phase::Idle, "collect ends idle");
}

#[testkit::check]
#[test]
fn every_live_object_is_white_between_cycles() {
    let Small {
        mut heap,
        reachable,
        ..
    } = small();
    for round in 1..=2 {
        heap.collect();
        for &id in &reachable {
            assert_color(
                &heap,
                id,
                Color::White,
                &format!("after cycle {round} every survivor must be white again"),
            );
        }
    }
}

#[testkit::check]
#[test]
fn begin_cycle_shades_every_root_grey() {
    let Small {
        mut heap,
        reachable,
        ..
    } = small();
    let (r1, r2, a) = (reachable[0], reachable[1], reachable[2]);
    assert_eq!(
        heap.begin_cycle(),
        2,
        "begin_cycle costs one unit per root, and there are 2 roots"
    );
    assert_eq!(heap.phase(), Phase::Marking);
    assert_color(
        &heap,
        r1,
        Color::Grey,
        "a root is grey once the cycle begins",
    );
    assert_color(
        &heap,
        r2,
        Color::Grey,
        "a root is grey once the cycle begins",
    );
    assert_color(&heap, a, Color::White, "begin_cycle shades roots only");
    assert_eq!(heap.grey_count(), 2);
    assert_eq!(
        heap.begin_cycle(),
        0,
        "begin_cycle during a cycle does nothing"
    );
    assert_eq!(heap.grey_count(), 2);
}

#[testkit::check]
#[test]
fn one_unit_of_marking_scans_one_grey_object() {
    let mut heap = Heap::new();
    let root = heap.alloc(3);
    let a = heap.alloc(0);
    let b = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.set_field(root, 0, Some(a)).unwrap();
    heap.set_field(root, 2, Some(b)).unwrap();
    heap.begin_cycle();
    assert_eq!(
        heap.step(1),
        1,
        "a step with budget 1 and a grey object to scan does 1 unit"
    );
    assert_color(&heap, root, Color::Black, "the scanned root turns black");
    assert_color(
        &heap,
        a,
        Color::Grey,
        "a child of a scanned object is shaded",
    );
    assert_color(
        &heap,
        b,
        Color::Grey,
        "a child of a scanned object is shaded",
    );
    assert_eq!(heap.grey_count(), 2);
    assert_eq!(heap.phase(), Phase::Marking);
}

#[testkit::check]
#[test]
fn a_step_with_no_budget_does_no_work() {
    let mut heap = Heap::new();
    let root = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.begin_cycle();
    assert_eq!(heap.step(0), 0);
    assert_color(&heap, root, Color::Grey, "step(0) must not scan anything");
}

#[testkit::check]
#[test]
fn step_does_nothing_when_no_cycle_is_running() {
    let mut heap = Heap::new();
    let unrooted = heap.alloc(0);
    assert_eq!(heap.step(10), 0, "step in an idle heap does no work");
    assert_eq!(heap.phase(), Phase::Idle, "step does not start a cycle");
    assert!(
        heap.is_live(unrooted),
        "no cycle ran, so nothing may be freed"
    );
}

#[testkit::check]
#[test]
fn a_cycle_goes_from_marking_to_sweeping_to_idle() {
    let Small { mut heap, .. } = small();
    heap.begin_cycle();
    let mut seen = vec![heap.phase()];
    for _ in 0..100 {
        heap.step(1);
        if seen.last() != Some(&heap.phase()) {
            seen.push(heap.phase());
        }
    }
    assert_eq!(
        seen,
        vec![Phase::Marking, Phase::Sweeping, Phase::Idle],
        "phases seen while stepping one unit at a time"
    );
}

#[testkit::check]
#[test]
fn collect_does_the_whole_cycle_in_one_pause() {
    let Small { mut heap, .. } = small();
    // 2 roots shaded + 5 reachable objects scanned + 8 slots swept.
    assert_eq!(
        heap.collect(),
        15,
        "collect should return 2 (roots) + 5 (scans) + 8 (slots)"
    );
    // The 3 freed slots are still slots: sweeping visits them too.
    assert_eq!(
        heap.collect(),
        15,
        "the second collect: 2 (roots) + 5 (scans) + 8 (slots, 3 of them free)"
    );
}

#[testkit::check]
#[rstest]
fn a_step_never_does_more_work_than_its_budget(#[values(1, 2, 3, 5, 8, 1000)] budget: usize) {
    // 3 roots, each heading a chain of 10 objects, and 20 garbage objects: 50 slots.
    let mut heap = Heap::new();
    for _ in 0..3 {
        let root = heap.alloc(1);
        heap.add_root(root).unwrap();
        let mut tail = root;
        for _ in 0..9 {
            let next = heap.alloc(1);
            heap.set_field(tail, 0, Some(next)).unwrap();
            tail = next;
        }
    }
    for _ in 0..20 {
        heap.alloc(2);
    }
    let total = 3 + 30 + 50;

    let mut work = heap.begin_cycle();
    let mut steps = 0;
    while heap.phase() != Phase::Idle {
        let done = heap.step(budget);
        steps += 1;
        assert!(
            done <= budget,
            "step({budget}) did {done} units of work: a pause longer than its budget"
        );
        assert!(
            done == budget || heap.phase() == Phase::Idle,
            "step({budget}) did only {done} units but the cycle is not over (phase {:?})",
            heap.phase()
        );
        work += done;
        assert!(steps <= total, "the cycle did not end after {steps} steps");
    }
    assert_eq!(
        work, total,
        "a cycle costs 3 (roots) + 30 (scans) + 50 (slots)"
    );
    assert_eq!(heap.live_count(), 30);
}

#[testkit::check]
#[test]
fn a_budget_that_covers_exactly_the_remaining_work_ends_the_phase() {
    // After `begin_cycle` (2 roots): 5 scans, then 8 slots. Changing phase is free, so a step
    // that does the last scan leaves the heap sweeping, and one that sweeps the last slot
    // leaves it idle, whatever the budget was.
    let (scans, slots) = (5, 8);
    for first in 0..=scans + slots {
        let Small { mut heap, .. } = small();
        heap.begin_cycle();
        assert_eq!(heap.step(first), first, "step({first}) after begin_cycle");
        let want = if first < scans {
            Phase::Marking
        } else if first < scans + slots {
            Phase::Sweeping
        } else {
            Phase::Idle
        };
        assert_eq!(
            heap.phase(),
            want,
            "after begin_cycle and step({first}) (of {scans} scans, then {slots} slots)"
        );
        let rest = scans + slots - first;
        assert_eq!(heap.step(rest), rest, "step({rest}): exactly the work left");
        assert_eq!(
            heap.phase(),
            Phase::Idle,
            "step({first}) then step({rest}) did all {} units: the cycle must be over",
            scans + slots
        );
    }
}

#[testkit::check]
#[test]
fn the_write_barrier_saves_an_object_moved_behind_the_wavefront() {
    // root ──► b ──► c ; after one step root is black and b grey.
    let mut heap = Heap::new();
    let root = heap.alloc(2);
    let b = heap.alloc(1);
    let c = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.set_field(root, 0, Some(b)).unwrap();
    heap.set_field(b, 0, Some(c)).unwrap();
    heap.begin_cycle();
    heap.step(1);
    assert_color(&heap, root, Color::Black, "setup: the root was scanned");
    assert_color(&heap, c, Color::White, "setup: c was not reached yet");

    // The mutator moves c behind the wavefront: black root → c, and b lets go of it.
    heap.set_field(root, 1, Some(c)).unwrap();
    assert_ne!(
        heap.color(c),
        Ok(Color::White),
        "{c} was stored in the black root while marking: the barrier must shade it, \
         or a black object points to a white one"
    );
    heap.set_field(b, 0, None).unwrap();

    finish_cycle(&mut heap, 1);
    assert!(
        heap.is_live(c),
        "{c} is reachable from the root but the cycle freed it: the lost-object race"
    );
}

#[testkit::check]
#[test]
fn the_barrier_shades_a_value_stored_into_a_grey_object_too() {
    // The barrier does not ask what colour the owner is: a grey root gets a white value.
    let mut heap = Heap::new();
    let root = heap.alloc(1);
    let value = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.begin_cycle();
    assert_color(&heap, root, Color::Grey, "a root is grey after begin_cycle");
    assert_color(&heap, value, Color::White, "nothing reaches it yet");
    heap.set_field(root, 0, Some(value)).unwrap();
    assert_color(
        &heap,
        value,
        Color::Grey,
        "set_field while marking shades a white value grey, whatever the owner's colour",
    );
}

#[testkit::check]
#[test]
fn a_root_added_while_marking_is_shaded_and_survives() {
    // root ──► b ──► c ; c becomes a root, then b lets go of it.
    let mut heap = Heap::new();
    let root = heap.alloc(1);
    let b = heap.alloc(1);
    let c = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.set_field(root, 0, Some(b)).unwrap();
    heap.set_field(b, 0, Some(c)).unwrap();
    heap.begin_cycle();
    heap.step(1);

    heap.add_root(c).unwrap();
    assert_color(
        &heap,
        c,
        Color::Grey,
        "a white object rooted while marking must be shaded: the roots were scanned already",
    );
    heap.set_field(b, 0, None).unwrap();

    finish_cycle(&mut heap, 1);
    assert!(heap.is_live(c), "{c} is a root but the cycle freed it");
}

#[testkit::check]
#[test]
fn objects_allocated_while_marking_are_black_and_survive_the_cycle() {
    let Small { mut heap, .. } = small();
    heap.begin_cycle();
    heap.step(1);
    let young = heap.alloc(1);
    assert_color(
        &heap,
        young,
        Color::Black,
        "an object allocated while marking is black",
    );
    finish_cycle(&mut heap, 1);
    assert!(
        heap.is_live(young),
        "{young} was allocated during the cycle, so the cycle must not free it"
    );
    assert_color(
        &heap,
        young,
        Color::White,
        "after the cycle every live object is white",
    );
    heap.collect();
    assert!(
        !heap.is_live(young),
        "nothing reaches {young}, so the next cycle frees it"
    );
}

#[testkit::check]
#[test]
fn objects_allocated_while_sweeping_survive_the_cycle() {
    let mut heap = Heap::new();
    let garbage = heap.alloc(0);
    let root = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.begin_cycle();
    step_until(&mut heap, Phase::Sweeping);
    // Sweep until the garbage in slot 0 is freed.
    while heap.free_slots() == 0 {
        assert_eq!(heap.step(1), 1, "the sweep ended before freeing {garbage}");
    }
    assert_eq!(heap.phase(), Phase::Sweeping);

    let behind = heap.alloc(0);
    assert_eq!(
        behind.index(),
        garbage.index(),
        "alloc should reuse the slot just freed"
    );
    assert_color(
        &heap,
        behind,
        Color::White,
        "a new object in a slot the sweeper has passed is white",
    );
    let ahead = heap.alloc(0);
    assert_color(
        &heap,
        ahead,
        Color::Black,
        "a new object in a slot the sweeper has not reached is black",
    );

    finish_cycle(&mut heap, 1);
    for id in [behind, ahead] {
        assert!(
            heap.is_live(id),
            "{id} was allocated during the sweep, so the cycle must not free it"
        );
        assert_color(
            &heap,
            id,
            Color::White,
            "after the cycle every live object is white",
        );
    }
    heap.collect();
    for id in [behind, ahead] {
        assert!(
            !heap.is_live(id),
            "nothing reaches {id}, so the next cycle frees it"
        );
    }
    assert!(heap.is_live(root));
}

#[testkit::check]
#[test]
fn garbage_is_stale_as_soon_as_marking_ends() {
    let mut heap = Heap::new();
    let root = heap.alloc(1);
    let garbage = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.begin_cycle();
    step_until(&mut heap, Phase::Sweeping);
    assert!(
        !heap.is_live(garbage),
        "marking is over and {garbage} is white: it is dead even before the sweeper frees it"
    );
    assert_eq!(heap.color(garbage), Err(GcError::StaleId(garbage)));
    assert_eq!(
        heap.set_field(root, 0, Some(garbage)),
        Err(GcError::StaleId(garbage)),
        "storing dead {garbage} must fail, or the sweeper would leave the root dangling"
    );
    assert_eq!(heap.add_root(garbage), Err(GcError::StaleId(garbage)));
    assert_eq!(heap.live_count(), 1);
    finish_cycle(&mut heap, 1);
    assert!(!heap.is_live(garbage));
    assert_eq!(heap.fields(root), Ok(&[None][..]));
}

#[testkit::check]
#[test]
fn garbage_is_stale_after_the_step_that_ends_marking() {
    // One root, one garbage object: marking is one scan. The step that does it ends marking,
    // so the garbage is dead at once, and storing it must fail.
    let mut heap = Heap::new();
    let root = heap.alloc(1);
    let garbage = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.begin_cycle();
    assert_eq!(heap.step(1), 1, "step(1): the one scan of marking");
    assert_eq!(
        heap.phase(),
        Phase::Sweeping,
        "the grey worklist is empty after that scan: marking is over"
    );
    assert!(
        !heap.is_live(garbage),
        "{garbage} is white after marking: dead"
    );
    assert_eq!(
        heap.set_field(root, 0, Some(garbage)),
        Err(GcError::StaleId(garbage)),
        "storing dead {garbage} must fail, or the sweeper would leave the root dangling"
    );
    finish_cycle(&mut heap, 1);
    assert_eq!(heap.fields(root), Ok(&[None][..]));
}

#[testkit::check]
#[test]
fn an_object_dropped_during_a_cycle_is_freed_by_the_next_one() {
    let mut heap = Heap::new();
    let root = heap.alloc(0);
    heap.add_root(root).unwrap();
    heap.begin_cycle();
    heap.step(1);
    assert_color(&heap, root, Color::Black, "setup: the root was scanned");
    heap.remove_root(root).unwrap();
    finish_cycle(&mut heap, 1);
    assert!(
        heap.is_live(root),
        "{root} was black when it was dropped: the sweep frees only white objects"
    );
    heap.begin_cycle();
    finish_cycle(&mut heap, 1);
    assert!(
        !heap.is_live(root),
        "{root} was unreachable when this cycle began, so it must be gone when it ends"
    );
}

#[testkit::check]
#[test]
fn collect_during_a_cycle_finishes_it_and_runs_a_whole_new_one() {
    let Small {
        mut heap,
        reachable,
        garbage,
    } = small();
    heap.begin_cycle();
    heap.step(2);
    let young = heap.alloc(0);
    heap.collect();
    assert_eq!(heap.phase(), Phase::Idle);
    assert!(
        !heap.is_live(young),
        "{young} was unreachable when collect was called: collect must run a whole new \
         cycle after finishing the current one, and free it"
    );
    for &id in &garbage {
        assert!(!heap.is_live(id), "{id} is garbage but survived collect");
    }
    assert_eq!(heap.live_count(), reachable.len());
}
