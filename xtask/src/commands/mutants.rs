//! `cargo xtask mutants [KATA] [-- ARGS]`: authors measure a suite with cargo-mutants.
//!
//! Runs cargo-mutants over a kata's reference solution with the kata's suite as the tests (the
//! solution crate declares the suite as its `[[test]]` target, so `cargo test -p
//! NAME-solution --tests` runs it; doc tests and benches are left out). Prints, per kata,
//! the mutants generated, caught, missed, unviable and timed out, and every miss; a miss listed
//! as equivalent in `xtask/AUTHORING.md` (section "Equivalent mutants", a `### SLUG` heading
//! per kata) is marked as such, any other is unexplained. Author-only: `verify` and CI never
//! run it (it takes minutes per kata). Its copies of the tree and its `mutants.out` live under
//! `target/mutants-tool/`.
//!
//! cargo-mutants' stable interface is `mutants.out/outcomes.json`: a top-level summary
//! (`total_mutants`, `caught`, `missed`, `timeout`, `unviable`) and one entry per scenario
//! whose `summary` is `CaughtMutant`, `MissedMutant`, `Timeout`, `Unviable`, `Success` (the
//! baseline) or `Failure`, with the mutant's `name` (`src/lib.rs:12:5: replace + with -
//! in f`).

use std::process::Stdio;

use serde::Deserialize;

use crate::build;
use crate::curriculum::{Curriculum, Kata};
use crate::error::Result;
use crate::exit;
use crate::report::Style;
use crate::workspace::{Workspace, solution_package};

/// The line that installs the tool; printed when it is missing, never run for you.
pub const INSTALL: &str = "cargo install --locked cargo-mutants";

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// One kata (all when `None`).
    pub slug: Option<String>,
    /// cargo-mutants' `--timeout`: seconds per test run of one mutant.
    pub timeout: Option<u64>,
    /// Parallel jobs (1 by default: each job builds its own copy of the tree).
    pub jobs: usize,
    /// Passed through to cargo-mutants after ours.
    pub extra: Vec<String>,
}

/// The counts of one run, from `outcomes.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Counts {
    /// Mutants generated.
    pub total_mutants: usize,
    /// Some test failed.
    pub caught: usize,
    /// Every test passed.
    pub missed: usize,
    /// The tests ran past the timeout.
    pub timeout: usize,
    /// The mutant did not build.
    pub unviable: usize,
}

/// What one cargo-mutants run found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// The summary counts.
    pub counts: Counts,
    /// Names of the missed mutants (`src/lib.rs:12:5: replace + with - in f`).
    pub missed: Vec<String>,
    /// Names of the mutants that timed out.
    pub timed_out: Vec<String>,
}

#[derive(Deserialize)]
struct Outcomes {
    #[serde(flatten)]
    counts: Counts,
    outcomes: Vec<Scenario>,
}

#[derive(Deserialize)]
struct Scenario {
    scenario: serde_json::Value,
    summary: String,
}

/// Parses cargo-mutants' `outcomes.json`.
pub fn parse_outcomes(text: &str) -> Result<Found> {
    let o: Outcomes = serde_json::from_str(text)
        .map_err(|e| crate::err!("cannot read cargo-mutants' outcomes.json: {e}"))?;
    let mut found = Found {
        counts: o.counts,
        ..Found::default()
    };
    for s in o.outcomes {
        let Some(name) = s
            .scenario
            .get("Mutant")
            .and_then(|m| m.get("name"))
            .and_then(|n| n.as_str())
        else {
            continue;
        };
        match s.summary.as_str() {
            "MissedMutant" => found.missed.push(name.to_string()),
            "Timeout" => found.timed_out.push(name.to_string()),
            _ => {}
        }
    }
    Ok(found)
}

/// A mutant's name without its line and column (`src/lib.rs: replace + with - in f`), so an
/// equivalence listed in AUTHORING.md survives edits above it.
pub fn key(name: &str) -> String {
    let mut parts = name.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(file), Some(line), Some(col), Some(rest))
            if line.chars().all(|c| c.is_ascii_digit())
                && col.chars().all(|c| c.is_ascii_digit()) =>
        {
            format!("{file}: {}", rest.trim())
        }
        _ => name.trim().to_string(),
    }
}

/// The equivalent mutants listed for `slug` in AUTHORING.md: (key, reason). Under the heading
/// `## Equivalent mutants`, in the `### SLUG` subsection, one bullet each:
/// ``- `src/lib.rs: replace + with - in f`: why no test can tell``.
pub fn equivalents(authoring: &str, slug: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_section = false;
    let mut in_kata = false;
    for line in authoring.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            in_section = h.trim().starts_with("Equivalent mutants");
            in_kata = false;
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            in_kata = in_section && h.trim() == slug;
            continue;
        }
        if !in_kata {
            continue;
        }
        let Some(rest) = line.trim().strip_prefix("- `") else {
            continue;
        };
        let Some((k, reason)) = rest.split_once('`') else {
            continue;
        };
        let reason = reason.trim_start_matches([':', ' ', '-', '—']).trim();
        out.push((key(k), reason.to_string()));
    }
    out
}

/// Runs the command and returns the exit code: 0 when no miss is unexplained, 1 when some
/// miss is, 2 when cargo-mutants is missing or could not run.
pub fn run(ws: &Workspace, args: &Args) -> Result<i32> {
    let style = Style::detect();
    let curriculum = Curriculum::load(ws)?;
    let katas: Vec<&Kata> = match &args.slug {
        Some(s) => vec![curriculum.find(s)?],
        None => curriculum.katas.iter().collect(),
    };
    let version = build::cargo()
        .args(["mutants", "--version"])
        .stdin(Stdio::null())
        .output();
    match version {
        Ok(out) if out.status.success() => {}
        _ => {
            eprintln!(
                "cargo-mutants is not installed (it is an author's tool, never installed for \
                 you). Install it with:\n    {INSTALL}"
            );
            return Ok(exit::CANNOT_GRADE);
        }
    }
    let authoring = std::fs::read_to_string(ws.root.join("xtask/AUTHORING.md")).unwrap_or_default();
    let base = ws.target_dir().join("mutants-tool");
    let scratch = base.join("tmp");
    std::fs::create_dir_all(&scratch)
        .map_err(|e| crate::err!("cannot create {}: {e}", scratch.display()))?;
    let mut rows = Vec::new();
    let mut unexplained_total = 0;
    let mut could_not_run = false;
    for kata in katas {
        println!("{}", style.bold(&kata.slug));
        let out_dir = base.join(&kata.slug);
        let _ = std::fs::remove_dir_all(out_dir.join("mutants.out"));
        let mut cmd = build::cargo();
        cmd.arg("mutants")
            .arg("--dir")
            .arg(&ws.root)
            .arg("--package")
            .arg(solution_package(&kata.slug))
            .arg("--output")
            .arg(&out_dir)
            .args(["--jobs", &args.jobs.max(1).to_string()])
            .args(["--no-shuffle", "--cap-lints", "true", "--colors", "never"])
            // The suite's integration tests and the unit tests; no doc tests, no benches.
            .arg("--cargo-test-arg=--tests");
        if let Some(t) = args.timeout {
            cmd.args(["--timeout", &t.to_string()]);
        }
        cmd.args(&args.extra)
            // Its copies of the tree go under target/, not the system's temp dir.
            .env("TMPDIR", &scratch)
            .current_dir(&ws.root)
            .stdin(Stdio::null());
        let status = cmd
            .status()
            .map_err(|e| crate::err!("cannot run cargo mutants: {e}"))?;
        let outcomes = out_dir.join("mutants.out").join("outcomes.json");
        let found = match std::fs::read_to_string(&outcomes) {
            Ok(text) => parse_outcomes(&text)?,
            Err(_) => {
                println!(
                    "  {} cargo-mutants ended ({status}) without writing {}",
                    style.red("FAIL "),
                    ws.display(&outcomes)
                );
                could_not_run = true;
                continue;
            }
        };
        let known = equivalents(&authoring, &kata.slug);
        let mut unexplained = 0;
        for name in &found.missed {
            match known.iter().find(|(k, _)| *k == key(name)) {
                Some((_, reason)) => {
                    println!("  {} {name}: equivalent ({reason})", style.yellow("equiv"))
                }
                None => {
                    unexplained += 1;
                    println!("  {} {name}", style.red("MISS "));
                }
            }
        }
        for name in &found.timed_out {
            println!("  {} {name}", style.yellow("TIME "));
        }
        unexplained_total += unexplained;
        rows.push((kata.slug.clone(), found.counts, unexplained));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!();
    println!(
        "{:<24} {:>9} {:>6} {:>6} {:>8} {:>7} {:>11}",
        "kata", "generated", "caught", "missed", "unviable", "timeout", "unexplained"
    );
    for (slug, c, unexplained) in &rows {
        println!(
            "{slug:<24} {:>9} {:>6} {:>6} {:>8} {:>7} {unexplained:>11}",
            c.total_mutants, c.caught, c.missed, c.unviable, c.timeout
        );
    }
    Ok(if could_not_run {
        exit::CANNOT_GRADE
    } else if unexplained_total > 0 {
        exit::CHECKS_FAILED
    } else {
        exit::SUCCESS
    })
}
