//! An arena heap with an incremental tri-color mark-and-sweep collector.
//!
//! Go's garbage collector is a concurrent tri-color mark-and-sweep: it marks while your
//! goroutines keep running, and a write barrier stops them from hiding an object from it.
//! This crate is the same machine in miniature, single-threaded: the "mutator" (your code)
//! and the collector take turns, and the collector never works for longer than the budget
//! you give it.
//!
//! - [`Heap::alloc`], [`Heap::set_field`], [`Heap::add_root`], [`Heap::remove_root`]: the
//!   mutator.
//! - [`Heap::begin_cycle`], [`Heap::step`]: the incremental collector, one bounded pause at a
//!   time.
//! - [`Heap::collect`]: the stop-the-world collector, one unbounded pause.
//! - [`Heap::color`], [`Heap::fields`], [`Heap::is_live`], [`Heap::phase`], ...: read-only
//!   introspection.
//!
//! # Examples
//!
//! ```
//! use tricolor_gc::{Heap, Phase};
//!
//! let mut heap = Heap::new();
//! let root = heap.alloc(1);
//! let child = heap.alloc(0);
//! let garbage = heap.alloc(0);
//! heap.add_root(root)?;
//! heap.set_field(root, 0, Some(child))?;
//!
//! heap.begin_cycle();
//! while heap.phase() != Phase::Idle {
//!     let work = heap.step(2);
//!     assert!(work <= 2, "a pause never exceeds its budget");
//! }
//!
//! assert!(heap.is_live(root) && heap.is_live(child));
//! assert!(!heap.is_live(garbage));
//! # Ok::<(), tricolor_gc::GcError>(())
//! ```

use std::fmt;

/// A handle to an object in a [`Heap`]: the object's slot and the slot's generation.
///
/// When the collector frees an object it bumps its slot's generation, so an old `ObjId` never
/// silently aliases the next object allocated in the same slot: using it is a
/// [`GcError::StaleId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId {
    index: u32,
    generation: u32,
}

impl ObjId {
    /// The slot this object lives in.
    pub fn index(self) -> usize {
        self.index as usize
    }

    /// How many objects this slot held before this one.
    pub fn generation(self) -> u32 {
        self.generation
    }
}

impl fmt::Display for ObjId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "object {} (generation {})", self.index, self.generation)
    }
}

/// An object's color in the tri-color abstraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Color {
    /// Not reached (yet). At the end of marking, white means garbage.
    White,
    /// Reached, but its fields have not been scanned: it is on the grey worklist.
    Grey,
    /// Reached and scanned: every object it points to is grey or black.
    Black,
}

/// Where the heap is in a collection cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Phase {
    /// No cycle is running; every live object is white.
    #[default]
    Idle,
    /// The collector is emptying the grey worklist; the write barrier is on.
    Marking,
    /// Marking is over; the collector frees white objects and whitens black ones, slot by
    /// slot.
    Sweeping,
}

/// What went wrong when the mutator used the heap. Errors are values, never panics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GcError {
    /// The object was freed (its slot may already hold another object), or the id comes from
    /// another heap.
    StaleId(ObjId),
    /// The object has `len` fields, so `index` is out of range.
    FieldOutOfRange {
        /// The object whose field was addressed.
        id: ObjId,
        /// The field index that was asked for.
        index: usize,
        /// How many fields the object has.
        len: usize,
    },
}

impl fmt::Display for GcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GcError::StaleId(id) => write!(f, "{id} has been freed"),
            GcError::FieldOutOfRange { id, index, len } => {
                write!(f, "{id} has {len} fields, so field {index} is out of range")
            }
        }
    }
}

impl std::error::Error for GcError {}

/// One heap object: its color, whether it is a root, and its reference fields.
#[derive(Debug)]
struct Object {
    color: Color,
    rooted: bool,
    fields: Vec<Option<ObjId>>,
}

/// One arena slot. `generation` counts the objects this slot has held and freed.
#[derive(Debug)]
struct Slot {
    generation: u32,
    object: Option<Object>,
}

/// An arena of objects with reference fields, and its tri-color collector.
///
/// The mutator allocates objects, links them through their fields and names some of them
/// roots. An object is *reachable* if it is a root or a field of a reachable object points
/// to it. Ids you hold in local variables are not roots: once a cycle starts, an object
/// nobody can reach is garbage, and the cycle frees it.
///
/// One unit of collector work is one of: shading one root grey (in [`Heap::begin_cycle`]),
/// scanning one grey object (whatever its field count), or sweeping one slot (free or not).
///
/// # Examples
///
/// ```
/// use tricolor_gc::{Color, Heap, Phase};
///
/// let mut heap = Heap::new();
/// let root = heap.alloc(1);
/// heap.add_root(root)?;
/// assert_eq!(heap.begin_cycle(), 1, "shading one root is one unit");
/// assert_eq!(heap.color(root)?, Color::Grey);
///
/// // Allocated while marking: black, so it survives this cycle.
/// let young = heap.alloc(0);
/// assert_eq!(heap.color(young)?, Color::Black);
///
/// let work = heap.collect();
/// assert!(work > 0);
/// assert_eq!(heap.phase(), Phase::Idle);
/// assert!(!heap.is_live(young), "collect ran a whole new cycle, and nothing reaches it");
/// # Ok::<(), tricolor_gc::GcError>(())
/// ```
#[derive(Debug, Default)]
pub struct Heap {
    /// The arena; an `ObjId`'s index points here.
    slots: Vec<Slot>,
    /// Indices of empty slots, reused (last freed first) before the arena grows.
    free: Vec<u32>,
    /// The root set, in no particular order; `Object::rooted` makes membership O(1).
    roots: Vec<ObjId>,
    /// The grey worklist: every grey object, exactly once.
    grey: Vec<ObjId>,
    phase: Phase,
    /// While sweeping: slots below this index have been swept.
    sweep_cursor: usize,
}

impl Heap {
    /// An empty heap, idle.
    pub fn new() -> Self {
        Self::default()
    }

    // ----- the mutator -----

    /// Allocates an object with `fields` empty (`None`) reference fields and returns its id.
    ///
    /// Reuses a freed slot if there is one, and only grows the arena otherwise. The new object
    /// is not a root and nothing points to it yet.
    ///
    /// Its color is chosen so the cycle in progress cannot free it: white when idle, black
    /// while marking ("allocate black": marking will never scan it, and it has nothing to
    /// scan), and while sweeping black in a slot the sweeper has not reached yet (the sweeper
    /// will whiten it) but white in a slot it has already swept.
    ///
    /// # Panics
    ///
    /// If the arena would exceed `u32::MAX` slots; the heap is left unchanged.
    pub fn alloc(&mut self, fields: usize) -> ObjId {
        todo!(
            "Heap::alloc: put an object with {fields} empty fields in a free slot, colored for the {:?} phase",
            self.phase
        )
    }

    /// Stores `value` in field `index` of `obj`: the mutator's pointer write.
    ///
    /// While marking, this goes through a Dijkstra insertion barrier: a white `value` is
    /// shaded grey before it is stored, so no black object ever points to a white one.
    ///
    /// # Errors
    ///
    /// Checked in this order, and nothing changes on error: [`GcError::StaleId`] if `obj` is
    /// not live; [`GcError::FieldOutOfRange`] if `index` is not below its field count;
    /// [`GcError::StaleId`] if `value` is `Some` id that is not live.
    pub fn set_field(
        &mut self,
        obj: ObjId,
        index: usize,
        value: Option<ObjId>,
    ) -> Result<(), GcError> {
        todo!(
            "Heap::set_field: store {value:?} in field {index} of {obj}, shading the target while marking"
        )
    }

    /// Makes `obj` a root. Adding a root twice is the same as adding it once.
    ///
    /// While marking, a white new root is shaded grey: the roots were shaded when the cycle
    /// began, so a root added later would otherwise never be scanned.
    ///
    /// # Errors
    ///
    /// [`GcError::StaleId`] if `obj` is not live.
    pub fn add_root(&mut self, obj: ObjId) -> Result<(), GcError> {
        todo!("Heap::add_root: make {obj} a root, and shade it if a cycle is marking")
    }

    /// Stops treating `obj` as a root. Removing an object that is not a root does nothing.
    ///
    /// # Errors
    ///
    /// [`GcError::StaleId`] if `obj` is not live.
    pub fn remove_root(&mut self, obj: ObjId) -> Result<(), GcError> {
        todo!("Heap::remove_root: stop treating {obj} as a root")
    }

    // ----- the collector -----

    /// Starts a cycle: shades every root grey and enters [`Phase::Marking`].
    ///
    /// Returns the work done, one unit per root shaded. This is the incremental collector's
    /// one pause that its budget does not bound, like Go's short stop-the-world at mark start.
    /// Does nothing and returns 0 if a cycle is already running.
    pub fn begin_cycle(&mut self) -> usize {
        todo!(
            "Heap::begin_cycle: shade the {} roots grey and start marking",
            self.roots.len()
        )
    }

    /// Does at most `budget` units of collector work and returns how many it did.
    ///
    /// While marking, a unit scans one grey object: shades its white children grey and turns
    /// it black. When the worklist is empty, marking is over and the step goes on sweeping.
    /// While sweeping, a unit visits one slot: frees a white object (bumping the slot's
    /// generation), whitens a black one. When the last slot is swept, the heap is idle again.
    ///
    /// Moving to the next phase costs nothing, so a step returns less than `budget` only when
    /// it has finished the cycle. In an idle heap it does nothing and returns 0.
    pub fn step(&mut self, budget: usize) -> usize {
        todo!("Heap::step: do at most {budget} units of marking or sweeping work")
    }

    /// Stop-the-world collection: the special case `step(usize::MAX)`, in one pause.
    ///
    /// Like Go's `runtime.GC()`, it first finishes a cycle already in progress, then runs a
    /// whole new one, so on return every object that was unreachable when it was called is
    /// freed. Returns the total work done: the length of the pause.
    pub fn collect(&mut self) -> usize {
        todo!(
            "Heap::collect: finish the cycle in progress ({:?}), then run a whole one in one pause",
            self.phase
        )
    }

    // ----- read-only introspection -----

    /// The phase of the current cycle.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Whether `id` names an object that has not been freed.
    ///
    /// Once marking is over, a white object is garbage even before the sweeper reaches its
    /// slot, so it is no longer live.
    pub fn is_live(&self, id: ObjId) -> bool {
        self.object(id).is_ok()
    }

    /// The color of a live object.
    ///
    /// # Errors
    ///
    /// [`GcError::StaleId`] if `id` is not live.
    pub fn color(&self, id: ObjId) -> Result<Color, GcError> {
        Ok(self.object(id)?.color)
    }

    /// The reference fields of a live object.
    ///
    /// # Errors
    ///
    /// [`GcError::StaleId`] if `id` is not live.
    pub fn fields(&self, id: ObjId) -> Result<&[Option<ObjId>], GcError> {
        Ok(&self.object(id)?.fields)
    }

    /// Whether a live object is a root.
    ///
    /// # Errors
    ///
    /// [`GcError::StaleId`] if `id` is not live.
    pub fn is_root(&self, id: ObjId) -> Result<bool, GcError> {
        Ok(self.object(id)?.rooted)
    }

    /// The roots, in no particular order.
    pub fn roots(&self) -> &[ObjId] {
        &self.roots
    }

    /// How many objects are live.
    pub fn live_count(&self) -> usize {
        (0..self.slots.len())
            .filter(|&index| self.live_object_at(index).is_some())
            .count()
    }

    /// How many grey objects wait on the worklist.
    pub fn grey_count(&self) -> usize {
        self.grey.len()
    }

    /// How many slots the arena has (live, free, or awaiting the sweeper). Sweeping a cycle
    /// visits each of them once.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// How many slots are free and waiting to be reused by [`Heap::alloc`].
    pub fn free_slots(&self) -> usize {
        self.free.len()
    }

    // ----- private helpers -----

    /// The object in slot `index`, unless the slot is empty or holds garbage the sweeper has
    /// not reached yet (white, at or past the cursor, once marking is over).
    fn live_object_at(&self, index: usize) -> Option<&Object> {
        let object = self.slots.get(index)?.object.as_ref()?;
        let awaiting_sweep = self.phase == Phase::Sweeping
            && index >= self.sweep_cursor
            && object.color == Color::White;
        (!awaiting_sweep).then_some(object)
    }

    /// The live object `id` names, or `StaleId`.
    fn object(&self, id: ObjId) -> Result<&Object, GcError> {
        match self.live_object_at(id.index()) {
            Some(object) if self.slots[id.index()].generation == id.generation => Ok(object),
            _ => Err(GcError::StaleId(id)),
        }
    }

    // Your helpers go here. The solution has five small ones: a mutable `object`, `shade`
    // (white to grey, onto the worklist), scan one grey object, sweep one slot, and the
    // color a new object needs in the current phase.
}
