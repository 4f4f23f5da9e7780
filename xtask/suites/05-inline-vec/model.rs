//! Random operation sequences agree with a `Vec` that refuses to grow past the capacity.

use inline_vec::InlineVec;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Push(u32),
    Pop,
    Truncate(usize),
    Clear,
    /// Overwrite element `index % len` through `DerefMut`.
    Set(usize, u32),
    /// Replace the vector by a clone of itself.
    CloneIt,
}

fn op(capacity: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => any::<u32>().prop_map(Op::Push),
        2 => Just(Op::Pop),
        1 => (0..capacity + 2).prop_map(Op::Truncate),
        1 => Just(Op::Clear),
        1 => (any::<usize>(), any::<u32>()).prop_map(|(i, x)| Op::Set(i, x)),
        1 => Just(Op::CloneIt),
    ]
}

/// Runs `ops` on an `InlineVec<u32, N>` and on a `Vec<u32>` model, comparing after each step.
fn agrees_with_vec<const N: usize>(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut v: InlineVec<u32, N> = InlineVec::new();
    let mut model: Vec<u32> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        match *op {
            Op::Push(x) => {
                let expected = if model.len() < N {
                    model.push(x);
                    Ok(())
                } else {
                    Err(x)
                };
                prop_assert_eq!(
                    v.try_push(x),
                    expected,
                    "try_push({}) at step {} with {} of {} slots used",
                    x,
                    step,
                    model.len(),
                    N
                );
            }
            Op::Pop => prop_assert_eq!(v.pop(), model.pop(), "pop() at step {}", step),
            Op::Truncate(len) => {
                v.truncate(len);
                model.truncate(len);
            }
            Op::Clear => {
                v.clear();
                model.clear();
            }
            Op::Set(i, x) => {
                if !model.is_empty() {
                    let i = i % model.len();
                    v[i] = x;
                    model[i] = x;
                }
            }
            Op::CloneIt => {
                let c = v.clone();
                prop_assert_eq!(c.as_slice(), v.as_slice(), "clone() at step {}", step);
                v = c;
            }
        }
        prop_assert_eq!(
            v.as_slice(),
            &model[..],
            "elements after step {} ({:?}); ops so far: {:?}",
            step,
            op,
            &ops[..=step]
        );
        prop_assert_eq!(v.len(), model.len(), "len() after step {}", step);
        prop_assert_eq!(
            v.is_full(),
            model.len() == N,
            "is_full() after step {}",
            step
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn random_operations_agree_with_a_vec_capacity_5(
        ops in testkit::strategy::ops(op(5), 1..60),
    ) {
        agrees_with_vec::<5>(&ops)?;
    }

    #[testkit::check]
    #[test]
    fn random_operations_agree_with_a_vec_capacity_1(
        ops in testkit::strategy::ops(op(1), 1..30),
    ) {
        agrees_with_vec::<1>(&ops)?;
    }
}
