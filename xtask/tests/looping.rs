//! An infinite loop costs one timeout, not one per check: over a course where one kata's
//! helper never returns, `check` stops after the first timeouts and names the rest as
//! skipped, and `grade` scores that kata 0 within its time budget and grades the others.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The looping kata's timeout and budget, as in the fixture's curriculum.
const TIMEOUT: Duration = Duration::from_secs(2);
const BUDGET: Duration = Duration::from_secs(5);
/// Its checks, in report order.
const CHECKS: usize = 18;

/// A fresh copy of the looping course.
fn course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::fixture_course("looping", dir.path());
    dir
}

/// Runs xtask in `root`; its output and how long it took.
fn xtask(root: &Path, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("KATAS_ROOT", root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("NO_COLOR", "1")
        .env("KATAS_LANG", "en")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("KATAS_SUITES")
        .output()
        .unwrap();
    (out, started.elapsed())
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `one_settles_on_the_next_number` as the report words it, for each check of the kata.
fn check_sentences() -> Vec<String> {
    let suites = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/looping/xtask/suites/02-spin");
    let mut names = Vec::new();
    for file in ["basics.rs", "more.rs"] {
        let source = std::fs::read_to_string(suites.join(file)).unwrap();
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("fn ") {
                let name = rest.split('(').next().unwrap();
                names.push(name.replace('_', " "));
            }
        }
    }
    assert_eq!(names.len(), CHECKS);
    names
}

#[test]
fn check_stops_after_the_first_timeouts_and_names_the_skipped_checks() {
    let root = course();
    // The first run builds; the second shows what the learner waits for after an edit.
    let (out, _) = xtask(root.path(), &["check", "02", "--force"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let (out, took) = xtask(root.path(), &["check", "02", "--force"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(!t.contains("PASS"), "never a pass: {t}");

    // Each check that started timed out; every other one is named on the skipped lines.
    let timed_out = t
        .lines()
        .filter(|l| l.trim_start().starts_with("TIMEOUT"))
        .count();
    assert!(timed_out >= 1, "{t}");
    assert_eq!(
        t.matches("SKIPPED").count(),
        1,
        "one line for all skipped checks: {t}"
    );
    let skipped_line = t.lines().find(|l| l.contains("SKIPPED")).unwrap();
    assert!(
        skipped_line.contains(&format!("{} more checks not started", CHECKS - timed_out)),
        "{t}"
    );
    assert!(skipped_line.contains("Fix the loop first"), "{t}");
    let after = &t[t.find("SKIPPED").unwrap()..];
    for sentence in check_sentences() {
        let shown_as_timeout = t
            .lines()
            .any(|l| l.trim_start().starts_with("TIMEOUT") && l.contains(&sentence));
        assert!(
            shown_as_timeout || after.contains(&sentence),
            "`{sentence}` is neither a timeout nor named as skipped: {t}"
        );
    }
    assert!(t.contains("not started"), "{t}");
    assert!(
        t.contains("Next: an earlier check never finished: fix the loop first"),
        "{t}"
    );
    // With gdb, and time for it within the 2 s timeout (the hostile tests check that it
    // comes), the loop is named with its place.
    if t.contains("was running when") {
        assert!(
            t.contains("`settle` was running when") && t.contains("katas/02-spin/src/lib.rs:"),
            "the loop is named: {t}"
        );
    }

    // A small multiple of one timeout, where running every check would take nine.
    let every_check = TIMEOUT * (CHECKS as u32) / 2;
    assert!(took < 3 * TIMEOUT + Duration::from_secs(2), "{took:?}: {t}");
    assert!(took < every_check / 2, "{took:?}");
}

#[test]
fn grade_scores_a_looping_kata_zero_within_its_budget_and_grades_the_others() {
    let root = course();
    let out_dir = root.path().join("results");
    let args = ["grade", "--out", out_dir.to_str().unwrap()];
    // The first run builds; the second is the grading alone.
    let (out, _) = xtask(root.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let (out, took) = xtask(root.path(), &args);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("results.json")).unwrap())
            .unwrap();
    let tests = json["tests"].as_array().unwrap();

    // The kata that does not loop is graded normally.
    let add: Vec<_> = tests.iter().filter(|t| t["kata"] == "01-add").collect();
    assert_eq!(add.len(), 2);
    assert!(add.iter().all(|t| t["status"] == "pass"), "{add:?}");
    assert_eq!(json["score"], 10.0, "{json}");

    // Every check of the looping kata has a verdict worth 0: timed out, or never started.
    let spin: Vec<_> = tests.iter().filter(|t| t["kata"] == "02-spin").collect();
    assert_eq!(spin.len(), CHECKS);
    for t in &spin {
        assert_eq!(t["status"], "error", "{t}");
        assert_eq!(t["score"], 0.0, "{t}");
        let message = t["message"].as_str().unwrap();
        match t["verdict"].as_str().unwrap() {
            "timeout" => assert!(message.contains("killed after 2 s"), "{t}"),
            "skipped" => assert!(message.contains("time budget of 5 s"), "{t}"),
            other => panic!("{other}: {t}"),
        }
    }
    assert!(spin.iter().any(|t| t["verdict"] == "skipped"), "{spin:?}");
    // results.json keeps `message` for status `error` (Exercism's rule); the budget is named
    // in each skipped check's message, checked above.
    assert!(t.contains("02-spin hit its time budget of 5 s"), "{t}");

    // Within the budget, plus the timeout of the checks it let finish.
    assert!(
        took < BUDGET + TIMEOUT + Duration::from_secs(4),
        "{took:?}: {t}"
    );
}
