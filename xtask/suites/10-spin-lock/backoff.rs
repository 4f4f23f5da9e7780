//! `Backoff`: the step sequence of `crossbeam_utils::Backoff`, checked against a model of it
//! and, for `is_completed`, against crossbeam's own `Backoff`.

use proptest::prelude::*;
use rstest::rstest;
use spin_lock::{Backoff, Pause};

/// crossbeam-utils 0.8's limits, written out so the model does not trust the kata's constants.
const SPIN_LIMIT: u32 = 6;
const YIELD_LIMIT: u32 = 10;

/// A model of `crossbeam_utils::Backoff`: the step, and what each call does at that step.
#[derive(Debug, Default)]
struct Model {
    step: u32,
}

impl Model {
    fn spin(&mut self) -> Pause {
        let pause = Pause::Spin(1 << self.step.min(SPIN_LIMIT));
        if self.step <= SPIN_LIMIT {
            self.step += 1;
        }
        pause
    }

    fn snooze(&mut self) -> Pause {
        let pause = if self.step <= SPIN_LIMIT {
            Pause::Spin(1 << self.step)
        } else {
            Pause::Yield
        };
        if self.step <= YIELD_LIMIT {
            self.step += 1;
        }
        pause
    }

    fn is_completed(&self) -> bool {
        self.step > YIELD_LIMIT
    }
}

#[testkit::check]
#[test]
fn a_new_backoff_is_at_step_zero_and_not_completed() {
    let backoff = Backoff::new();
    assert!(
        !backoff.is_completed(),
        "a new Backoff must not be completed"
    );
    assert_eq!(backoff.step(), 0, "a new Backoff starts at step 0");
}

#[testkit::check]
#[rstest]
#[case::first_call(0, Pause::Spin(1), 1)]
#[case::second_call(1, Pause::Spin(2), 2)]
#[case::third_call(2, Pause::Spin(4), 3)]
#[case::at_spin_limit(6, Pause::Spin(64), 7)]
#[case::just_past_spin_limit(7, Pause::Yield, 8)]
#[case::at_yield_limit(10, Pause::Yield, 11)]
#[case::past_yield_limit(11, Pause::Yield, 11)]
#[case::long_after(40, Pause::Yield, 11)]
fn snooze_spins_two_to_the_step_then_yields(
    #[case] earlier_calls: u32,
    #[case] expected: Pause,
    #[case] step_after: u32,
) {
    let backoff = Backoff::new();
    for _ in 0..earlier_calls {
        let _ = backoff.snooze();
    }
    let got = backoff.snooze();
    assert_eq!(
        got,
        expected,
        "snooze call number {} (step {earlier_calls} before it, capped at 11) must return {expected:?}, got {got:?}",
        earlier_calls + 1
    );
    assert_eq!(
        backoff.step(),
        step_after,
        "after {} snoozes the step must be {step_after} (it stops growing at YIELD_LIMIT + 1 = 11)",
        earlier_calls + 1
    );
}

#[testkit::check]
#[rstest]
#[case::first_call(0, Pause::Spin(1), 1)]
#[case::fourth_call(3, Pause::Spin(8), 4)]
#[case::at_spin_limit(6, Pause::Spin(64), 7)]
#[case::past_spin_limit(7, Pause::Spin(64), 7)]
#[case::long_after(40, Pause::Spin(64), 7)]
fn spin_never_yields_and_its_step_stops_at_spin_limit_plus_one(
    #[case] earlier_calls: u32,
    #[case] expected: Pause,
    #[case] step_after: u32,
) {
    let backoff = Backoff::new();
    for _ in 0..earlier_calls {
        let _ = backoff.spin();
    }
    let got = backoff.spin();
    assert_eq!(
        got,
        expected,
        "spin call number {} must return {expected:?} (2^min(step, 6) hints, never a yield), got {got:?}",
        earlier_calls + 1
    );
    assert_eq!(
        backoff.step(),
        step_after,
        "after {} spins the step must be {step_after} (it stops growing at SPIN_LIMIT + 1 = 7)",
        earlier_calls + 1
    );
}

#[testkit::check]
#[rstest]
#[case::ten_snoozes(10, 0, false)]
#[case::eleven_snoozes(11, 0, true)]
#[case::many_spins_alone(0, 50, false)]
#[case::spins_then_four_snoozes(4, 7, true)]
#[case::spins_then_three_snoozes(3, 7, false)]
fn is_completed_once_the_step_passes_yield_limit(
    #[case] snoozes: u32,
    #[case] spins_first: u32,
    #[case] expected: bool,
) {
    let backoff = Backoff::new();
    for _ in 0..spins_first {
        let _ = backoff.spin();
    }
    for _ in 0..snoozes {
        let _ = backoff.snooze();
    }
    let got = backoff.is_completed();
    assert_eq!(
        got,
        expected,
        "after {spins_first} spins then {snoozes} snoozes (step {}), is_completed must be {expected}, got {got}",
        backoff.step()
    );
}

#[testkit::check]
#[test]
fn reset_starts_the_sequence_over() {
    let backoff = Backoff::new();
    for _ in 0..12 {
        let _ = backoff.snooze();
    }
    assert!(
        backoff.is_completed(),
        "12 snoozes must complete the backoff"
    );
    backoff.reset();
    assert!(
        !backoff.is_completed(),
        "after reset the backoff must not be completed"
    );
    let got = backoff.snooze();
    assert_eq!(
        got,
        Pause::Spin(1),
        "the first snooze after reset must spin once, got {got:?}"
    );
}

/// One call on a backoff.
#[derive(Debug, Clone, Copy)]
enum Op {
    Spin,
    Snooze,
    Reset,
}

fn op() -> impl Strategy<Value = Op> {
    // Resets are rare, so sequences often run past both limits.
    prop_oneof![4 => Just(Op::Spin), 6 => Just(Op::Snooze), 1 => Just(Op::Reset)]
}

proptest! {
    #![proptest_config(testkit::proptest_config(128))]

    #[testkit::check]
    #[test]
    fn any_sequence_of_calls_behaves_like_crossbeam_backoff(ops in prop::collection::vec(op(), 0..40)) {
        let backoff = Backoff::new();
        let oracle = crossbeam_utils::Backoff::new();
        let mut model = Model::default();
        prop_assert_eq!(backoff.is_completed(), false, "a new Backoff must not be completed");
        for (i, op) in ops.iter().enumerate() {
            let (got, want) = match op {
                Op::Spin => {
                    oracle.spin();
                    (Some(backoff.spin()), Some(model.spin()))
                }
                Op::Snooze => {
                    oracle.snooze();
                    (Some(backoff.snooze()), Some(model.snooze()))
                }
                Op::Reset => {
                    oracle.reset();
                    backoff.reset();
                    model.step = 0;
                    (None, None)
                }
            };
            let calls = &ops[..=i];
            prop_assert_eq!(got, want, "call {} ({:?}) after {:?}: wrong pause", i, op, &ops[..i]);
            prop_assert_eq!(
                backoff.step(), model.step,
                "after {:?} the step must be {}, got {}", calls, model.step, backoff.step()
            );
            prop_assert_eq!(
                backoff.is_completed(), model.is_completed(),
                "after {:?} (step {}) is_completed must be {}", calls, model.step, model.is_completed()
            );
            prop_assert_eq!(
                backoff.is_completed(), oracle.is_completed(),
                "after {:?} crossbeam_utils::Backoff says is_completed = {}", calls, oracle.is_completed()
            );
        }
    }
}
