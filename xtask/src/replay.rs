//! Re-runs a loom model that failed with a data race, with loom's location tracking on, so
//! the verdict names the learner's lines and threads instead of a line of loom.
//!
//! Loom records where each access happened only when `LOOM_LOCATION` is set, which costs a
//! little on every operation of every interleaving, so the first run goes without it. Loom's
//! exploration is deterministic: the same binary with the same settings fails again in the
//! same interleaving, and with locations on, its report lists the conflicting accesses
//! (`read: thread #0 @ katas/…/lib.rs:360:26`), which [`crate::verdict::LoomRace`] turns into
//! words. The rerun costs at most what the first run took. (`LOOM_CHECKPOINT_FILE` could
//! start it at the failing interleaving, but only with loom's `checkpoint` feature, which
//! would put serde into every loom build.)
//!
//! The replay goes through [`run::run_one`], like any test, and only a failure that now
//! carries locations replaces the first verdict: a replay never turns a failure into a pass.

use crate::run::{self, TestCase, TestOutcome};
use crate::verdict::{LOOM_LOCATION_VAR, Verdict};

/// Whether a finished loom check reported a data race without saying where.
pub fn wants_locations(outcome: &TestOutcome) -> bool {
    match &outcome.verdict {
        Verdict::Fail { message, .. } => {
            message.contains(RACE_MARK) && !has_located_access(message)
        }
        Verdict::Crash { .. } => outcome.output.contains("Causality violation"),
        _ => false,
    }
}

/// How [`LoomRace::describe`] quotes loom's headline.
const RACE_MARK: &str = "(loom: Causality violation";

/// The outcome to report for `case`, which finished as `first`: a data race without
/// locations is run again with `LOOM_LOCATION=1` and, when that run locates it, reported
/// from there.
pub fn locate(case: &TestCase, first: TestOutcome) -> TestOutcome {
    if !wants_locations(&first) {
        return first;
    }
    let mut again = case.clone();
    again.env.retain(|(k, _)| k != LOOM_LOCATION_VAR);
    again
        .env
        .push((LOOM_LOCATION_VAR.to_string(), "1".to_string()));
    let replay = run::run_one(&again);
    let located = match &replay.verdict {
        Verdict::Fail { message, .. } => message.contains(RACE_MARK) && has_located_access(message),
        _ => false,
    };
    if !located {
        return first;
    }
    TestOutcome {
        verdict: replay.verdict,
        duration: first.duration + replay.duration,
        output: replay.output,
    }
}

/// The verdict's words for a located access: `thread #1 (spawned 1st) wrote it at FILE:L:C`.
fn has_located_access(message: &str) -> bool {
    message
        .lines()
        .any(|l| l.trim_start().starts_with("thread #") && l.contains(" at "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::LoomRace;
    use std::time::Duration;

    fn outcome(verdict: Verdict, output: &str) -> TestOutcome {
        TestOutcome {
            verdict,
            duration: Duration::from_millis(5),
            output: output.to_string(),
        }
    }

    fn fail(message: &str) -> Verdict {
        Verdict::Fail {
            message: message.to_string(),
            location: None,
            minimal_input: None,
        }
    }

    #[test]
    fn only_an_unlocated_race_is_replayed() {
        let unlocated = LoomRace::parse("Causality violation: Concurrent write accesses.")
            .unwrap()
            .describe();
        assert!(wants_locations(&outcome(fail(&unlocated), "")));
        let located = LoomRace::parse(
            "Causality violation: Concurrent write accesses.\n    write one: thread #0 @ src/lib.rs:3:1\n    write two: thread #1 @ src/lib.rs:4:1",
        )
        .unwrap()
        .describe();
        assert!(!wants_locations(&outcome(fail(&located), "")));
        assert!(!has_located_access(&unlocated));
        assert!(has_located_access(&located));
        assert!(!wants_locations(&outcome(fail("values differ"), "")));
        assert!(!wants_locations(&outcome(Verdict::Pass, "")));
        let crash = Verdict::Crash {
            signal: libc::SIGABRT,
            detail: "aborted".into(),
        };
        assert!(wants_locations(&outcome(
            crash.clone(),
            "Causality violation: Concurrent read and write accesses."
        )));
        assert!(!wants_locations(&outcome(crash, "boom")));
    }
}
