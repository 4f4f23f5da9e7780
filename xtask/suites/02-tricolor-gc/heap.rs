//! The mutator's side of the heap: allocation, fields, roots, ids and errors.

use rstest::rstest;
use tricolor_gc::{Color, GcError, Heap, ObjId, Phase};

/// A heap with one rooted object of two fields, and the id of an object already freed.
fn heap_with_a_live_and_a_stale_id() -> (Heap, ObjId, ObjId) {
    let mut heap = Heap::new();
    let live = heap.alloc(2);
    let stale = heap.alloc(1);
    heap.add_root(live).unwrap();
    heap.collect();
    assert!(
        !heap.is_live(stale),
        "setup: {stale} is unreachable, so collect should have freed it"
    );
    (heap, live, stale)
}

#[testkit::check]
#[test]
fn a_new_object_is_white_with_empty_fields() {
    let mut heap = Heap::new();
    let id = heap.alloc(3);
    assert!(heap.is_live(id), "a freshly allocated {id} should be live");
    assert_eq!(
        heap.fields(id),
        Ok(&[None, None, None][..]),
        "alloc(3) should give three empty fields"
    );
    assert_eq!(
        heap.color(id),
        Ok(Color::White),
        "outside a cycle a new object is white"
    );
    assert_eq!(heap.is_root(id), Ok(false), "a new object is not a root");
    assert_eq!(heap.live_count(), 1);
    assert_eq!(
        heap.phase(),
        Phase::Idle,
        "allocating does not start a cycle"
    );
}

#[testkit::check]
#[test]
fn an_object_may_have_no_fields() {
    let mut heap = Heap::new();
    let id = heap.alloc(0);
    assert_eq!(heap.fields(id), Ok(&[][..]));
    assert_eq!(
        heap.set_field(id, 0, None),
        Err(GcError::FieldOutOfRange {
            id,
            index: 0,
            len: 0
        }),
        "an object with no fields has no field 0"
    );
}

#[testkit::check]
#[test]
fn each_allocation_gets_a_distinct_id() {
    let mut heap = Heap::new();
    let ids: Vec<ObjId> = (0..10).map(|n| heap.alloc(n % 3)).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ids.len(),
        "10 allocations gave duplicate ids: {ids:?}"
    );
    assert_eq!(heap.live_count(), 10);
}

#[testkit::check]
#[test]
fn set_field_stores_and_clears_a_reference() {
    let mut heap = Heap::new();
    let a = heap.alloc(2);
    let b = heap.alloc(0);
    heap.set_field(a, 1, Some(b)).unwrap();
    assert_eq!(heap.fields(a), Ok(&[None, Some(b)][..]));
    heap.set_field(a, 1, Some(a)).unwrap();
    assert_eq!(
        heap.fields(a),
        Ok(&[None, Some(a)][..]),
        "an object may point to itself"
    );
    heap.set_field(a, 1, None).unwrap();
    assert_eq!(heap.fields(a), Ok(&[None, None][..]));
}

#[testkit::check]
#[test]
fn roots_are_a_set() {
    let mut heap = Heap::new();
    let a = heap.alloc(0);
    let b = heap.alloc(0);
    heap.add_root(a).unwrap();
    heap.add_root(a).unwrap();
    heap.add_root(b).unwrap();
    let mut roots = heap.roots().to_vec();
    roots.sort();
    assert_eq!(roots, vec![a, b], "adding {a} twice should root it once");
    assert_eq!(heap.is_root(a), Ok(true));

    heap.remove_root(a).unwrap();
    assert_eq!(heap.roots(), &[b][..]);
    assert_eq!(heap.is_root(a), Ok(false));
    assert_eq!(
        heap.remove_root(a),
        Ok(()),
        "removing a non-root does nothing"
    );
    assert_eq!(heap.roots(), &[b][..]);
}

/// Ways to misuse the heap; each must be an `Err`, never a panic, and change nothing.
#[derive(Debug, Clone, Copy)]
enum Misuse {
    SetFieldPastTheEnd,
    SetFieldOfAFreedObject,
    SetFieldOfAFreedObjectPastTheEnd,
    StoreAFreedObject,
    StoreAFreedObjectPastTheEnd,
    RootAFreedObject,
    UnrootAFreedObject,
    ColorOfAFreedObject,
    FieldsOfAFreedObject,
    IsRootOfAFreedObject,
}

#[testkit::check]
#[rstest]
#[case::set_field_past_the_end(Misuse::SetFieldPastTheEnd)]
#[case::set_field_of_a_freed_object(Misuse::SetFieldOfAFreedObject)]
#[case::stale_id_is_checked_before_the_index(Misuse::SetFieldOfAFreedObjectPastTheEnd)]
#[case::store_a_freed_object(Misuse::StoreAFreedObject)]
#[case::store_a_freed_object_past_the_end(Misuse::StoreAFreedObjectPastTheEnd)]
#[case::root_a_freed_object(Misuse::RootAFreedObject)]
#[case::unroot_a_freed_object(Misuse::UnrootAFreedObject)]
#[case::color_of_a_freed_object(Misuse::ColorOfAFreedObject)]
#[case::fields_of_a_freed_object(Misuse::FieldsOfAFreedObject)]
#[case::is_root_of_a_freed_object(Misuse::IsRootOfAFreedObject)]
fn misuse_is_an_error_not_a_panic(#[case] misuse: Misuse) {
    let (mut heap, live, stale) = heap_with_a_live_and_a_stale_id();
    let (got, want) = match misuse {
        Misuse::SetFieldPastTheEnd => (
            heap.set_field(live, 2, None),
            Err(GcError::FieldOutOfRange {
                id: live,
                index: 2,
                len: 2,
            }),
        ),
        Misuse::SetFieldOfAFreedObject => {
            (heap.set_field(stale, 0, None), Err(GcError::StaleId(stale)))
        }
        Misuse::SetFieldOfAFreedObjectPastTheEnd => {
            (heap.set_field(stale, 9, None), Err(GcError::StaleId(stale)))
        }
        Misuse::StoreAFreedObject => (
            heap.set_field(live, 0, Some(stale)),
            Err(GcError::StaleId(stale)),
        ),
        // The index is checked before the value.
        Misuse::StoreAFreedObjectPastTheEnd => (
            heap.set_field(live, 2, Some(stale)),
            Err(GcError::FieldOutOfRange {
                id: live,
                index: 2,
                len: 2,
            }),
        ),
        Misuse::RootAFreedObject => (heap.add_root(stale), Err(GcError::StaleId(stale))),
        Misuse::UnrootAFreedObject => (heap.remove_root(stale), Err(GcError::StaleId(stale))),
        Misuse::ColorOfAFreedObject => (heap.color(stale).map(drop), Err(GcError::StaleId(stale))),
        Misuse::FieldsOfAFreedObject => {
            (heap.fields(stale).map(drop), Err(GcError::StaleId(stale)))
        }
        Misuse::IsRootOfAFreedObject => {
            (heap.is_root(stale).map(drop), Err(GcError::StaleId(stale)))
        }
    };
    assert_eq!(got, want, "{misuse:?}: wrong result");
    assert_eq!(
        heap.fields(live),
        Ok(&[None, None][..]),
        "{misuse:?}: a failed call must not change the heap"
    );
    assert_eq!(heap.roots(), &[live][..], "{misuse:?}: the roots changed");
    assert!(
        !heap.is_live(stale),
        "{misuse:?}: the freed object came back"
    );
}

#[testkit::check]
#[test]
fn a_freed_slot_is_reused_before_the_arena_grows() {
    let mut heap = Heap::new();
    let garbage: Vec<ObjId> = (0..5).map(|_| heap.alloc(1)).collect();
    heap.collect();
    assert_eq!(heap.slot_count(), 5);
    assert_eq!(
        heap.free_slots(),
        5,
        "collect freed 5 objects, so 5 slots should be free"
    );
    let again: Vec<ObjId> = (0..5).map(|_| heap.alloc(1)).collect();
    assert_eq!(
        heap.slot_count(),
        5,
        "5 allocations after freeing 5 objects should reuse their slots, not grow the arena"
    );
    assert_eq!(heap.free_slots(), 0);
    let mut old: Vec<usize> = garbage.iter().map(|id| id.index()).collect();
    let mut new: Vec<usize> = again.iter().map(|id| id.index()).collect();
    old.sort();
    new.sort();
    assert_eq!(old, new, "the new objects should sit in the freed slots");
}

#[testkit::check]
#[test]
fn a_freed_id_stays_stale_after_its_slot_is_reused() {
    let mut heap = Heap::new();
    let old = heap.alloc(1);
    heap.collect();
    let new = heap.alloc(1);
    assert_eq!(
        new.index(),
        old.index(),
        "the only free slot should be reused"
    );
    assert_ne!(
        new.generation(),
        old.generation(),
        "freeing a slot must bump its generation, or {old} would alias {new}"
    );
    assert!(heap.is_live(new));
    assert!(
        !heap.is_live(old),
        "{old} was freed; it must not come back to life because {new} took its slot"
    );
    assert_eq!(heap.color(old), Err(GcError::StaleId(old)));
    assert_eq!(heap.set_field(old, 0, None), Err(GcError::StaleId(old)));
    assert_eq!(
        heap.fields(new),
        Ok(&[None][..]),
        "a failed write through {old} must not touch {new}"
    );
}

/// Everything a failed call could disturb: phase, grey count, roots, and each object's
/// liveness, color, root flag and fields.
fn state(heap: &Heap, ids: &[ObjId]) -> String {
    let objects: Vec<String> = ids
        .iter()
        .map(|&id| {
            format!(
                "{id}: live {}, {:?}, root {:?}, fields {:?}",
                heap.is_live(id),
                heap.color(id),
                heap.is_root(id),
                heap.fields(id)
            )
        })
        .collect();
    format!(
        "phase {:?}, grey {}, roots {:?}, {objects:?}",
        heap.phase(),
        heap.grey_count(),
        heap.roots()
    )
}

#[testkit::check]
#[rstest]
#[case::while_idle(Phase::Idle)]
#[case::while_marking(Phase::Marking)]
#[case::while_sweeping(Phase::Sweeping)]
fn a_failed_call_changes_nothing_in_any_phase(#[case] phase: Phase) {
    let mut heap = Heap::new();
    let root = heap.alloc(1);
    heap.add_root(root).unwrap();
    let stale = heap.alloc(0);
    heap.collect();
    // Two objects nothing reaches, white until a cycle scans them (or frees them).
    let loose = heap.alloc(1);
    let other = heap.alloc(0);
    if phase != Phase::Idle {
        heap.begin_cycle();
    }
    while heap.phase() != phase {
        heap.step(1);
    }
    let ids = [root, stale, loose, other];
    let before = state(&heap, &ids);
    let calls: [(&str, Result<(), GcError>); 5] = [
        (
            "set_field(root, 1, Some(loose)), past the end",
            heap.set_field(root, 1, Some(loose)),
        ),
        (
            "set_field(loose, 5, Some(other)), past the end",
            heap.set_field(loose, 5, Some(other)),
        ),
        (
            "set_field(root, 0, Some(stale))",
            heap.set_field(root, 0, Some(stale)),
        ),
        ("add_root(stale)", heap.add_root(stale)),
        ("remove_root(stale)", heap.remove_root(stale)),
    ];
    for (call, got) in calls {
        assert!(got.is_err(), "{call} in phase {phase:?} should be an error");
    }
    assert_eq!(
        state(&heap, &ids),
        before,
        "the heap after five failed calls in phase {phase:?}: a call that returns Err must \
         change nothing (no shading, no root), in every phase"
    );
}
