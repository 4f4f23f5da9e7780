//! Random sequences of operations, one thread, checked against a plain `u64`.

use cas_counter::{Counter, IdAllocator};
use proptest::prelude::*;

/// One call on a `Counter`.
#[derive(Debug, Clone)]
enum Op {
    Get,
    Increment,
    AddBounded { n: u64, max: u64 },
    FetchMax(u64),
}

/// What each call should return: the same operations on a plain `u64`.
#[derive(Debug)]
struct Model(u64);

impl Model {
    fn apply(&mut self, op: &Op) -> Result<u64, u64> {
        let current = self.0;
        match *op {
            Op::Get => Ok(current),
            Op::Increment => {
                self.0 = current.wrapping_add(1);
                Ok(current)
            }
            Op::AddBounded { n, max } => match current.checked_add(n) {
                Some(next) if next <= max => {
                    self.0 = next;
                    Ok(current)
                }
                _ => Err(current),
            },
            Op::FetchMax(v) => {
                self.0 = current.max(v);
                Ok(current)
            }
        }
    }
}

fn run(counter: &Counter, op: &Op) -> Result<u64, u64> {
    match *op {
        Op::Get => Ok(counter.get()),
        Op::Increment => Ok(counter.increment()),
        Op::AddBounded { n, max } => counter.add_bounded(n, max),
        Op::FetchMax(v) => Ok(counter.fetch_max(v)),
    }
}

/// Values that hit the edges: small ones, ones at the top of `u64`, and anything.
fn value() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..16, u64::MAX - 16..=u64::MAX, any::<u64>()]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::Get),
        3 => Just(Op::Increment),
        3 => (prop_oneof![0u64..4, value()], value()).prop_map(|(n, max)| Op::AddBounded { n, max }),
        2 => value().prop_map(Op::FetchMax),
    ]
}

proptest! {
    #![proptest_config(testkit::proptest_config(256))]

    #[testkit::check]
    #[test]
    fn a_counter_behaves_like_a_plain_u64(
        start in value(),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let counter = Counter::new(start);
        let mut model = Model(start);
        for (i, op) in ops.iter().enumerate() {
            let got = run(&counter, op);
            let want = model.apply(op);
            prop_assert_eq!(
                got, want,
                "starting from {}, call #{} {:?} returned {:?}; a plain u64 gives {:?}",
                start, i, op, got, want
            );
        }
        let got = counter.get();
        prop_assert_eq!(
            got, model.0,
            "starting from {}, after {:?} the counter holds {}; a plain u64 holds {}",
            start, ops, got, model.0
        );
    }

    #[testkit::check]
    #[test]
    fn an_allocator_hands_out_its_range_in_order_then_none(
        start in value(),
        len in 0u64..10,
        calls in 1usize..20,
    ) {
        let end = start.saturating_add(len);
        let ids = IdAllocator::new(start..end);
        let got: Vec<Option<u64>> = (0..calls).map(|_| ids.allocate()).collect();
        let want: Vec<Option<u64>> =
            (start..end).map(Some).chain(std::iter::repeat(None)).take(calls).collect();
        prop_assert_eq!(
            &got, &want,
            "{} allocate() calls on IdAllocator::new({}..{})", calls, start, end
        );
    }
}
