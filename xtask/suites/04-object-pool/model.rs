//! Random sequences of get, return, detach and gc, with several guards held at once, checked
//! step by step against a model of the two idle lists, the stats and the drops.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use object_pool::{Pool, Pooled, Reset, Stats};
use proptest::prelude::*;
use proptest::sample::Index;
use testkit::drops::{DropLog, Token};

/// A pooled object with an id (0, 1, 2, ... from the factory), a "written since reset" flag
/// and a count of resets. Its token logs its drop.
#[derive(Debug)]
struct Order {
    dirty: bool,
    resets: u32,
    token: Token,
}

impl Reset for Order {
    fn reset(&mut self) {
        self.dirty = false;
        self.resets += 1;
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// `pool.get()`, then write to the object and keep the guard.
    Get,
    /// Drop one of the held guards.
    Return(Index),
    /// Detach one of the held guards and keep the object.
    Detach(Index),
    /// `pool.gc()`.
    Gc,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::Get),
        3 => any::<Index>().prop_map(Op::Return),
        1 => any::<Index>().prop_map(Op::Detach),
        2 => Just(Op::Gc),
    ]
}

/// What the pool should hold: ids in each idle list (last = next out), the stats, the resets
/// per id, and the ids the pool has dropped so far.
#[derive(Debug, Default)]
struct Model {
    max_idle: usize,
    primary: Vec<u64>,
    victim: Vec<u64>,
    stats: Stats,
    resets: BTreeMap<u64, u32>,
    dropped: Vec<u64>,
}

impl Model {
    /// The id `get` should hand out.
    fn get(&mut self) -> u64 {
        self.stats.in_use += 1;
        if let Some(id) = self.primary.pop().or_else(|| self.victim.pop()) {
            self.stats.hits += 1;
            id
        } else {
            self.stats.created += 1;
            self.stats.created - 1
        }
    }

    fn give_back(&mut self, id: u64) {
        self.stats.in_use -= 1;
        if self.primary.len() < self.max_idle {
            self.primary.push(id);
            self.stats.returned += 1;
            *self.resets.entry(id).or_default() += 1;
        } else {
            self.stats.dropped_at_cap += 1;
            self.dropped.push(id);
        }
    }

    fn detach(&mut self) {
        self.stats.in_use -= 1;
        self.stats.detached += 1;
    }

    fn gc(&mut self) {
        self.stats.dropped_by_gc += self.victim.len() as u64;
        self.dropped.append(&mut self.victim);
        self.victim = std::mem::take(&mut self.primary);
    }

    fn stats(&self) -> Stats {
        Stats {
            idle: self.primary.len(),
            victim: self.victim.len(),
            ..self.stats
        }
    }
}

fn sorted(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn pool_agrees_with_a_model_of_its_idle_lists_and_stats(
        max_idle in 0usize..4,
        ops in testkit::strategy::ops(op(), 0..48),
    ) {
        let log = DropLog::new();
        let next_id = AtomicU64::new(0);
        let pool = Pool::new(max_idle, move || Order {
            dirty: false,
            resets: 0,
            token: log.token(next_id.fetch_add(1, Ordering::Relaxed)),
        });
        let mut model = Model { max_idle, ..Model::default() };
        let mut held: Vec<Pooled<'_, Order>> = Vec::new();
        let mut detached: Vec<Order> = Vec::new();

        for (step, op) in ops.iter().enumerate() {
            match op {
                Op::Get => {
                    let want = model.get();
                    let mut order = pool.get();
                    let id = order.token.id();
                    prop_assert_eq!(id, want, "step {}: get handed out the wrong object", step);
                    prop_assert!(!order.dirty, "step {}: object {} was not reset", step, id);
                    let resets = model.resets.get(&id).copied().unwrap_or(0);
                    prop_assert_eq!(
                        order.resets, resets,
                        "step {}: object {} should have been reset once per return", step, id
                    );
                    order.dirty = true;
                    held.push(order);
                }
                Op::Return(i) if !held.is_empty() => {
                    let order = held.swap_remove(i.index(held.len()));
                    model.give_back(order.token.id());
                    drop(order);
                }
                Op::Detach(i) if !held.is_empty() => {
                    let order = held.swap_remove(i.index(held.len())).detach();
                    prop_assert!(order.dirty, "step {}: detach reset object {}", step, order.token.id());
                    model.detach();
                    detached.push(order);
                }
                Op::Gc => {
                    model.gc();
                    pool.gc();
                }
                Op::Return(_) | Op::Detach(_) => {}
            }
            prop_assert_eq!(
                pool.stats(), model.stats(),
                "step {} ({:?}): Pool::stats() (left) against the model's (right)", step, op
            );
            prop_assert_eq!(
                sorted(log.dropped()),
                sorted(model.dropped.clone()),
                "step {} ({:?}): ids of the objects dropped so far", step, op
            );
        }

        drop(held);
        drop(detached);
        let created = pool.stats().created;
        drop(pool);
        let all: Vec<u64> = (0..created).collect();
        log.assert_each_dropped_once(&all);
    }
}
