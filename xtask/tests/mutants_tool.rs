//! `cargo xtask mutants` reads cargo-mutants' `mutants.out/outcomes.json` (its stable
//! interface) and the equivalent mutants listed in AUTHORING.md.

use xtask::commands::mutants::{Counts, TimedOut, as_mutant, equivalents, key, parse_outcomes};

/// The shape cargo-mutants 27 writes: the summary counts at the top level and one scenario per
/// mutant (the baseline is a plain string).
const OUTCOMES: &str = r#"{
  "outcomes": [
    {"scenario": "Baseline", "summary": "Success", "log_path": "log/baseline.log",
     "diff_path": null, "phase_results": []},
    {"scenario": {"Mutant": {"name": "src/lib.rs:1:37: replace add -> u32 with 0",
      "package": "p", "file": "src/lib.rs", "replacement": "0", "genre": "FnValue"}},
     "summary": "CaughtMutant", "log_path": "log/a.log", "diff_path": "diff/a.diff",
     "phase_results": [{"phase": "Test", "duration": 0.2, "process_status": {"Failure": 101},
       "argv": ["cargo", "test"]}]},
    {"scenario": {"Mutant": {"name": "src/lib.rs:1:39: replace + with * in add",
      "package": "p", "file": "src/lib.rs", "replacement": "*", "genre": "BinaryOperator"}},
     "summary": "MissedMutant", "log_path": "log/b.log", "diff_path": "diff/b.diff",
     "phase_results": []},
    {"scenario": {"Mutant": {"name": "src/lib.rs:9:5: delete ! in spin",
      "package": "p", "file": "src/lib.rs", "replacement": "", "genre": "UnaryOperator"}},
     "summary": "Timeout", "log_path": "log/c.log", "diff_path": "diff/c.diff",
     "phase_results": []},
    {"scenario": {"Mutant": {"name": "src/lib.rs:12:1: replace new -> Self with Default::default()",
      "package": "p", "file": "src/lib.rs", "replacement": "Default::default()",
      "genre": "FnValue"}},
     "summary": "Unviable", "log_path": "log/d.log", "diff_path": "diff/d.diff",
     "phase_results": []}
  ],
  "total_mutants": 4, "missed": 1, "caught": 1, "timeout": 1, "unviable": 1, "success": 0,
  "start_time": "2026-12-05T17:12:08Z", "end_time": "2026-12-05T17:12:18Z",
  "cargo_mutants_version": "27.1.0"
}"#;

#[test]
fn the_counts_and_the_misses_are_read_from_outcomes_json() {
    let found = parse_outcomes(OUTCOMES).unwrap();
    assert_eq!(
        found.counts,
        Counts {
            total_mutants: 4,
            caught: 1,
            missed: 1,
            timeout: 1,
            unviable: 1,
        }
    );
    assert_eq!(
        found.missed,
        vec!["src/lib.rs:1:39: replace + with * in add"]
    );
    assert_eq!(
        found.timed_out,
        vec![TimedOut {
            name: "src/lib.rs:9:5: delete ! in spin".into(),
            file: "src/lib.rs".into(),
            diff_path: "diff/c.diff".into(),
        }]
    );
}

/// A diff as cargo-mutants writes it: the workspace path, then the mutation instead of a
/// second path.
const TIMEOUT_DIFF: &str = "--- solutions/09-x/src/lib.rs\n+++ replace f with ()\n@@ -1,3 +1,3 @@\n fn f() {\n-    work();\n+    () /* ~ changed by cargo-mutants ~ */\n }\n";

#[test]
fn a_timeout_is_replayed_as_a_mutant_of_the_solution_crate() {
    let t = TimedOut {
        name: "solutions/09-x/src/lib.rs:2:5: replace f with ()".into(),
        file: "solutions/09-x/src/lib.rs".into(),
        diff_path: "diff/x.diff".into(),
    };
    let m = as_mutant("09-x", &t, TIMEOUT_DIFF).unwrap();
    assert_eq!(m.name, t.name);
    assert_eq!(m.diffs.len(), 1);
    assert_eq!(m.diffs[0].0, "src/lib.rs");
    let out = xtask::mutants::apply_text(&m, "fn f() {\n    work();\n}\n", &m.diffs[0].1).unwrap();
    assert_eq!(
        out,
        "fn f() {\n    () /* ~ changed by cargo-mutants ~ */\n}\n"
    );
    assert!(
        as_mutant("10-y", &t, TIMEOUT_DIFF).is_err(),
        "another kata's file"
    );
    assert!(
        as_mutant("09-x", &t, "--- a\n+++ b\n").is_err(),
        "a diff without a hunk"
    );
}

#[test]
fn a_file_that_is_not_outcomes_json_is_an_error() {
    assert!(parse_outcomes("{}").is_err());
    assert!(parse_outcomes("not json").is_err());
}

#[test]
fn the_key_of_a_mutant_drops_its_line_and_column() {
    assert_eq!(
        key("src/lib.rs:1:39: replace + with * in add"),
        "src/lib.rs: replace + with * in add"
    );
    assert_eq!(
        key("src/lib.rs: replace + with * in add"),
        "src/lib.rs: replace + with * in add"
    );
    // A colon inside the description is kept.
    assert_eq!(
        key("src/lib.rs:3:1: replace Pool::get -> Guard<'_, T> with Default::default()"),
        "src/lib.rs: replace Pool::get -> Guard<'_, T> with Default::default()"
    );
}

const AUTHORING: &str = "\
# Writing a kata

## Equivalent mutants

### 01-gc-pacer

- `src/lib.rs:10:5: replace < with <= in goal`: equal inputs give the same goal.
- `src/lib.rs: replace + with * in add` — 2 + 2 = 2 * 2 is all it is ever given.

### 02-tricolor-gc

- `src/lib.rs: delete ! in step`: other kata.

## Another section

### 01-gc-pacer

- `src/lib.rs: not an equivalence`: outside the section.
";

#[test]
fn equivalents_are_read_from_the_kata_s_subsection_only() {
    let list = equivalents(AUTHORING, "01-gc-pacer");
    assert_eq!(
        list,
        vec![
            (
                "src/lib.rs: replace < with <= in goal".to_string(),
                "equal inputs give the same goal.".to_string()
            ),
            (
                "src/lib.rs: replace + with * in add".to_string(),
                "2 + 2 = 2 * 2 is all it is ever given.".to_string()
            ),
        ]
    );
    assert_eq!(equivalents(AUTHORING, "02-tricolor-gc").len(), 1);
    assert!(equivalents(AUTHORING, "03-alloc-meter").is_empty());
}
