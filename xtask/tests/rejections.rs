//! How `verify` says a mutant was rejected: the verdict kind of the killing check, whether it
//! is a timing check, and whether the rejection was luck (a timeout, a crash, no result or a
//! timing check) rather than a deterministic check.

use std::time::Duration;

use xtask::mutants::{Rejection, best_rejection, is_timing_file};
use xtask::verdict::{SkipReason, Verdict};

fn fail() -> Verdict {
    Verdict::Fail {
        message: "expected 3, got 4".into(),
        location: None,
        minimal_input: None,
    }
}

fn timeout() -> Verdict {
    Verdict::Timeout {
        after: Duration::from_secs(10),
        stuck_at: None,
    }
}

fn crash() -> Verdict {
    Verdict::Crash {
        signal: 11,
        detail: "segmentation fault".into(),
    }
}

fn no_result() -> Verdict {
    Verdict::NoResult {
        detail: "exited with 0".into(),
    }
}

fn todo() -> Verdict {
    Verdict::NotStarted {
        location: "katas/x/src/lib.rs:1:1".into(),
        message: "x".into(),
    }
}

#[test]
fn an_assertion_failure_is_a_deterministic_rejection() {
    let r = Rejection::of("basics", "it_works", &fail());
    assert_eq!(r.verdict, "fail");
    assert!(!r.timing);
    assert!(!r.lucky());
    assert_eq!(r.describe(), "FAIL");
    assert!(!Rejection::of("basics", "t", &todo()).lucky());
    assert_eq!(Rejection::of("basics", "t", &todo()).describe(), "TODO");
}

#[test]
fn timeouts_crashes_and_no_result_are_luck() {
    for (v, words) in [
        (timeout(), "TIMEOUT"),
        (crash(), "CRASH"),
        (no_result(), "NO RESULT"),
    ] {
        let r = Rejection::of("basics", "t", &v);
        assert!(r.lucky(), "{words} should be luck");
        assert_eq!(r.describe(), words);
    }
}

#[test]
fn any_verdict_of_a_timing_check_is_luck() {
    assert!(is_timing_file("speed"));
    assert!(is_timing_file("speed.rs"));
    assert!(is_timing_file("timing_bounds"));
    assert!(!is_timing_file("basics"));
    assert!(!is_timing_file("robust_speedup"));
    let r = Rejection::of("speed", "ten_times_faster", &fail());
    assert!(r.timing);
    assert!(r.lucky());
    assert_eq!(r.describe(), "FAIL, timing check");
}

#[test]
fn a_deterministic_rejection_wins_over_an_earlier_lucky_one() {
    let (t, c, f, pass) = (timeout(), crash(), fail(), Verdict::Pass);
    let speed = fail();
    let best = best_rejection([
        ("basics", "a", &pass),
        ("basics", "hangs", &t),
        ("speed", "faster", &speed),
        ("basics", "crashes", &c),
        ("edge_cases", "asserts", &f),
    ])
    .unwrap();
    assert_eq!(
        (best.file.as_str(), best.test.as_str()),
        ("edge_cases", "asserts")
    );
    assert!(!best.lucky());
}

#[test]
fn only_lucky_rejections_give_the_first_of_them() {
    let (t, c) = (timeout(), crash());
    let best = best_rejection([("basics", "hangs", &t), ("basics", "crashes", &c)]).unwrap();
    assert_eq!(best.test, "hangs");
    assert!(best.lucky());
}

#[test]
fn passes_and_skips_reject_nothing() {
    let skipped = Verdict::Skipped {
        reason: SkipReason::AfterAFailure,
    };
    let pass = Verdict::Pass;
    assert_eq!(
        best_rejection([("basics", "a", &pass), ("basics", "b", &skipped)]),
        None
    );
}

#[test]
fn the_rejection_is_part_of_the_json_report() {
    let r = Rejection::of("speed", "faster", &timeout());
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["verdict"], "timeout");
    assert_eq!(json["timing"], true);
    assert_eq!(json["file"], "speed");
    assert_eq!(json["test"], "faster");
}
