//! `cargo xtask mutants [KATA] [-- ARGS]`: authors measure a suite with cargo-mutants.
//!
//! Runs cargo-mutants over a kata's reference solution with the kata's suite as the tests (the
//! solution crate declares the suite as its `[[test]]` target, so `cargo test -p
//! NAME-solution --tests` runs it; doc tests and benches are left out). Prints, per kata,
//! the mutants generated, caught, missed, unviable and timed out, and every miss; a miss listed
//! as equivalent in `xtask/AUTHORING.md` (section "Equivalent mutants", a `### SLUG` heading
//! per kata) is marked as such, any other is unexplained.
//!
//! cargo-mutants runs the whole suite in one process, so a mutant that leaves one check
//! waiting is reported as a timeout whatever the other checks would say. Each timeout is
//! therefore replayed under the grader, a process per check, as `verify` judges its own
//! mutants: a deterministic rejection, a lucky one (only a timeout, a crash or a timing
//! check: a warning), or none at all (a miss, unexplained unless listed). `--replay` redoes
//! only that step from the last run's `mutants.out`. Author-only: `verify` and CI never
//! run it (it takes minutes per kata). Its copies of the tree and its `mutants.out` live under
//! `target/mutants-tool/`.
//!
//! cargo-mutants' stable interface is `mutants.out/outcomes.json`: a top-level summary
//! (`total_mutants`, `caught`, `missed`, `timeout`, `unviable`) and one entry per scenario
//! whose `summary` is `CaughtMutant`, `MissedMutant`, `Timeout`, `Unviable`, `Success` (the
//! baseline) or `Failure`, with the mutant's `name` (`src/lib.rs:12:5: replace + with -
//! in f`).

use std::path::Path;
use std::process::Stdio;

use serde::Deserialize;

use crate::build;
use crate::curriculum::{Curriculum, Kata};
use crate::error::Result;
use crate::exit;
use crate::mutants;
use crate::report::Style;
use crate::run::{Policy, default_jobs};
use crate::suite;
use crate::workspace::{Workspace, solution_package};

/// Where the timeouts are replayed: `target/mutants-tool/replay/ws`, apart from `verify`'s.
const REPLAY_PLACE: &str = "mutants-tool/replay";

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
    /// Read the last run's `mutants.out` instead of running cargo-mutants again.
    pub replay: bool,
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
    /// The mutants that timed out.
    pub timed_out: Vec<TimedOut>,
}

/// A mutant whose test run passed cargo-mutants' timeout. cargo-mutants runs the whole suite
/// in one process, so one stuck check stops all of them; the grader runs a process per check,
/// and `run` replays each of these under it to learn whether some check rejects it
/// deterministically.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimedOut {
    /// Its name (`solutions/NN/src/lib.rs:12:5: replace + with - in f`).
    pub name: String,
    /// The mutated file, relative to the workspace root.
    pub file: String,
    /// Its diff, relative to `mutants.out`.
    pub diff_path: String,
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
    #[serde(default)]
    diff_path: Option<String>,
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
        let mutant = s.scenario.get("Mutant");
        let field = |f: &str| mutant.and_then(|m| m.get(f)).and_then(|n| n.as_str());
        let Some(name) = field("name") else {
            continue;
        };
        match s.summary.as_str() {
            "MissedMutant" => found.missed.push(name.to_string()),
            "Timeout" => found.timed_out.push(TimedOut {
                name: name.to_string(),
                file: field("file").unwrap_or_default().to_string(),
                diff_path: s.diff_path.unwrap_or_default(),
            }),
            _ => {}
        }
    }
    Ok(found)
}

/// A timed-out mutant as one of our mutants: its diff, with cargo-mutants' header (`---
/// solutions/NN/src/lib.rs`, `+++ replace … in f`) rewritten to the path inside the solution
/// crate, which is what [`mutants::prepare`] applies.
pub fn as_mutant(slug: &str, t: &TimedOut, diff: &str) -> Result<mutants::Mutant> {
    let prefix = format!("solutions/{slug}/");
    let Some(rel) = t.file.strip_prefix(&prefix) else {
        crate::bail!("cargo-mutants mutated {}, which is not in {prefix}", t.file);
    };
    let body: Vec<&str> = diff.lines().skip_while(|l| !l.starts_with("@@")).collect();
    if body.is_empty() {
        crate::bail!("the diff of `{}` has no hunk", t.name);
    }
    Ok(mutants::Mutant {
        name: t.name.clone(),
        description: format!("cargo-mutants: {}", t.name),
        killer: None,
        diffs: vec![(
            rel.to_string(),
            format!("--- a/{rel}\n+++ b/{rel}\n{}\n", body.join("\n")),
        )],
    })
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
    if !args.replay && !installed() {
        eprintln!(
            "cargo-mutants is not installed (it is an author's tool, never installed for \
             you). Install it with:\n    {INSTALL}"
        );
        return Ok(exit::CANNOT_GRADE);
    }
    let authoring = std::fs::read_to_string(ws.root.join("xtask/AUTHORING.md")).unwrap_or_default();
    let base = ws.target_dir().join("mutants-tool");
    let scratch = base.join("tmp");
    std::fs::create_dir_all(&scratch)
        .map_err(|e| crate::err!("cannot create {}: {e}", scratch.display()))?;
    let opts = suite::Options {
        jobs: default_jobs(),
        policy: Policy::default(),
        color: false,
        only: None,
    };
    let mut rows = Vec::new();
    let mut unexplained_total = 0;
    let mut could_not_run = false;
    for kata in katas {
        println!("{}", style.bold(&kata.slug));
        let out_dir = base.join(&kata.slug);
        let status = if args.replay {
            "--replay".to_string()
        } else {
            run_cargo_mutants(ws, kata, args, &out_dir, &scratch)?
        };
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
        let mut replayed = Replayed::default();
        if !found.timed_out.is_empty() {
            println!(
                "  {} timeouts, each replayed under the grader (a process per check):",
                found.timed_out.len()
            );
        }
        for t in &found.timed_out {
            let judged = std::fs::read_to_string(out_dir.join("mutants.out").join(&t.diff_path))
                .map_err(|e| crate::err!("cannot read the diff of `{}`: {e}", t.name))
                .and_then(|diff| as_mutant(&kata.slug, t, &diff))
                .and_then(|m| mutants::judge(ws, kata, &m, &opts, REPLAY_PLACE));
            let judged = match judged {
                Ok(j) => j,
                Err(e) => mutants::Judged {
                    rejection: None,
                    problem: Some(e.0),
                },
            };
            match (&judged.rejection, &judged.problem) {
                (Some(r), _) if !r.lucky() => {
                    replayed.deterministic += 1;
                    println!(
                        "  {} {}: rejected by {}/{} ({})",
                        style.green("TIME "),
                        t.name,
                        r.file,
                        r.test,
                        r.describe()
                    );
                }
                (Some(r), _) => {
                    replayed.lucky += 1;
                    println!(
                        "  {} {}: rejected by luck only, by {}/{} ({})",
                        style.yellow("LUCKY"),
                        t.name,
                        r.file,
                        r.test,
                        r.describe()
                    );
                }
                (None, problem) => match known.iter().find(|(k, _)| *k == key(&t.name)) {
                    Some((_, reason)) => {
                        replayed.equivalent += 1;
                        println!(
                            "  {} {}: equivalent ({reason})",
                            style.yellow("equiv"),
                            t.name
                        );
                    }
                    None => {
                        unexplained += 1;
                        println!(
                            "  {} {}: {}",
                            style.red("MISS "),
                            t.name,
                            problem.as_deref().unwrap_or("every check passes")
                        );
                    }
                },
            }
        }
        unexplained_total += unexplained;
        rows.push((kata.slug.clone(), found.counts, replayed, unexplained));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!();
    println!(
        "{:<24} {:>9} {:>6} {:>6} {:>8} {:>7} {:>13} {:>11}",
        "kata",
        "generated",
        "caught",
        "missed",
        "unviable",
        "timeout",
        "(det/lucky)",
        "unexplained"
    );
    for (slug, c, r, unexplained) in &rows {
        println!(
            "{slug:<24} {:>9} {:>6} {:>6} {:>8} {:>7} {:>13} {unexplained:>11}",
            c.total_mutants,
            c.caught,
            c.missed,
            c.unviable,
            c.timeout,
            format!("{}/{}", r.deterministic, r.lucky)
        );
    }
    println!(
        "det/lucky: timeouts that the grader, running each check in its own process, rejects \
         with a deterministic check / only by a timeout, a crash or a timing check."
    );
    Ok(if could_not_run {
        exit::CANNOT_GRADE
    } else if unexplained_total > 0 {
        exit::CHECKS_FAILED
    } else {
        exit::SUCCESS
    })
}

/// What the grader made of one kata's timeouts.
#[derive(Debug, Clone, Copy, Default)]
struct Replayed {
    /// Rejected by a deterministic check.
    deterministic: usize,
    /// Rejected only by a timeout, a crash or a timing check.
    lucky: usize,
    /// Every check passed, and AUTHORING.md lists it as equivalent.
    equivalent: usize,
}

/// cargo-mutants answers `--version`.
fn installed() -> bool {
    build::cargo()
        .args(["mutants", "--version"])
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Runs cargo-mutants over the solution of `kata`, writing `out_dir/mutants.out`; returns how
/// it ended, in words.
fn run_cargo_mutants(
    ws: &Workspace,
    kata: &Kata,
    args: &Args,
    out_dir: &Path,
    scratch: &Path,
) -> Result<String> {
    let _ = std::fs::remove_dir_all(out_dir.join("mutants.out"));
    let mut cmd = build::cargo();
    cmd.arg("mutants")
        .arg("--dir")
        .arg(&ws.root)
        .arg("--package")
        .arg(solution_package(&kata.slug))
        .arg("--output")
        .arg(out_dir)
        .args(["--jobs", &args.jobs.max(1).to_string()])
        .args(["--no-shuffle", "--cap-lints", "true", "--colors", "never"])
        // The suite's integration tests and the unit tests; no doc tests, no benches.
        .arg("--cargo-test-arg=--tests");
    if let Some(t) = args.timeout {
        cmd.args(["--timeout", &t.to_string()]);
    }
    cmd.args(&args.extra)
        // Its copies of the tree go under target/, not the system's temp dir.
        .env("TMPDIR", scratch)
        .current_dir(&ws.root)
        .stdin(Stdio::null());
    let status = cmd
        .status()
        .map_err(|e| crate::err!("cannot run cargo mutants: {e}"))?;
    Ok(status.to_string())
}
