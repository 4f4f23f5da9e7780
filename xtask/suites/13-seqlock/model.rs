//! Random sequences of writes and reads on one thread agree with a "last value" model.

use proptest::prelude::*;
use seqlock::{SeqLock, Snapshot};

#[derive(Debug, Clone)]
enum Op {
    /// `write(snap)`.
    Write(Snapshot),
    /// `begin_write()`, `store` each snapshot in turn (none, one or several), drop the guard.
    GuardedWrite(Vec<Snapshot>),
    /// `read()`.
    Read,
    /// `try_read()`.
    TryRead,
}

fn snapshot() -> impl Strategy<Value = Snapshot> {
    any::<[u64; 4]>().prop_map(Snapshot::from)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => snapshot().prop_map(Op::Write),
        2 => prop::collection::vec(snapshot(), 0..3).prop_map(Op::GuardedWrite),
        2 => Just(Op::Read),
        2 => Just(Op::TryRead),
    ]
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn random_writes_and_reads_agree_with_a_last_value_model(
        initial in snapshot(),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let lock = SeqLock::new(initial);
        let mut last = initial;
        let mut writes = 0u64;
        for (step, op) in ops.iter().enumerate() {
            match op {
                Op::Write(snap) => {
                    lock.write(*snap);
                    last = *snap;
                    writes += 1;
                }
                Op::GuardedWrite(stores) => {
                    let guard = lock.begin_write();
                    prop_assert_eq!(
                        lock.stamp(),
                        2 * writes + 1,
                        "stamp() inside write number {} (step {}): odd while in progress",
                        writes + 1,
                        step
                    );
                    for snap in stores {
                        guard.store(*snap);
                        prop_assert_eq!(
                            lock.try_read(),
                            None,
                            "try_read() inside a write, after store({:?}) (step {})",
                            snap,
                            step
                        );
                    }
                    drop(guard);
                    last = stores.last().copied().unwrap_or(last);
                    writes += 1;
                }
                Op::Read => prop_assert_eq!(lock.read(), last, "read() at step {}", step),
                Op::TryRead => prop_assert_eq!(
                    lock.try_read(),
                    Some(last),
                    "try_read() at step {} with no write in progress",
                    step
                ),
            }
            prop_assert_eq!(
                lock.stamp(),
                2 * writes,
                "stamp() after step {} ({:?}): 2 × {} finished writes; ops so far: {:?}",
                step,
                op,
                writes,
                &ops[..=step]
            );
        }
    }
}
