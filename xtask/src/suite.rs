//! Grades one implementation (the learner's kata, the reference solution, or a scratch copy)
//! against a kata's hidden suite: build (normal and loom side by side), list, run.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::build::{self, BuildOutcome, BuildRequest, CompileFailure, Flavor};
use crate::curriculum::Kata;
use crate::error::Result;
use crate::replay;
use crate::run::{self, RunEvent, TestCase, TestOutcome};
use crate::workspace::{self, Workspace};

/// Which implementation of the kata's API is graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `katas/<slug>`: the learner's code.
    Kata,
    /// `solutions/<slug>`: the reference.
    Solution,
    /// A crate in another workspace (a mutant's scratch copy).
    Scratch {
        /// That workspace's `Cargo.toml`.
        manifest: PathBuf,
        /// The package to build.
        package: String,
        /// The crate's folder (the tests' working directory).
        dir: PathBuf,
    },
}

/// One check of the suite: a test in a test binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The suite file (test target) it lives in.
    pub target: String,
    /// The libtest name.
    pub name: String,
    /// A loom model.
    pub loom: bool,
}

/// What a listener hears while a suite runs.
pub trait Listener {
    /// A line of cargo's progress ("Compiling proptest v1.12.0").
    fn build_progress(&mut self, _line: &str) {}
    /// The checks about to run, in report order.
    fn checks_listed(&mut self, _checks: &[Check]) {}
    /// One check finished (in any order).
    fn check_finished(&mut self, _index: usize, _check: &Check, _outcome: &TestOutcome) {}
}

/// A listener that hears nothing.
pub struct Quiet;
impl Listener for Quiet {}

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Tests at once.
    pub jobs: usize,
    /// Stop starting tests after the first non-pass (mutant runs).
    pub fail_fast: bool,
    /// Rendered diagnostics with colour.
    pub color: bool,
    /// Build and run only this check: (suite file, test name). Mutant runs try the check
    /// that rejected them last time first.
    pub only: Option<(String, String)>,
}

/// The result of grading.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// It does not compile: no check ran.
    CompileFailed(CompileFailure),
    /// Every check ran (or was skipped by fail-fast: those are absent).
    Ran(Vec<(Check, TestOutcome)>, Warnings),
}

/// Rendered compiler warnings in the graded crate's library.
pub type Warnings = Vec<String>;

/// Builds and runs `kata`'s suite against `subject`.
///
/// Normally the loom build runs beside the normal one. With `fail_fast` (mutants) the loom
/// suite is built and run only if every normal check passed.
pub fn run(
    ws: &Workspace,
    kata: &Kata,
    subject: &Subject,
    opts: &Options,
    listener: &mut dyn Listener,
) -> Result<Outcome> {
    if !ws.suite_dir(&kata.slug).is_dir() {
        crate::bail!(
            "this copy of the course has no hidden suite for `{}` (your teacher keeps them \
             private): push your work and read the grade in CI.",
            kata.slug
        );
    }
    let mut targets = build::suite_targets(&ws.suite_dir(&kata.slug))?;
    if let Some((only, _)) = &opts.only {
        targets.retain(|t| &t.name == only);
    }
    let (manifest, package, dir) = match subject {
        Subject::Kata => (
            ws.root.join("Cargo.toml"),
            kata.package().to_string(),
            ws.kata_dir(&kata.slug),
        ),
        Subject::Solution => (
            ws.root.join("Cargo.toml"),
            workspace::solution_package(&kata.slug),
            ws.solution_dir(&kata.slug),
        ),
        Subject::Scratch {
            manifest,
            package,
            dir,
        } => (manifest.clone(), package.clone(), dir.clone()),
    };
    let request = |flavor: Flavor| BuildRequest {
        manifest_path: manifest.clone(),
        package: package.clone(),
        targets: targets
            .iter()
            .filter(|t| t.loom == (flavor == Flavor::Loom))
            .map(|t| t.name.clone())
            .collect(),
        flavor,
        target_dir: match flavor {
            Flavor::Normal => ws.target_dir(),
            Flavor::Loom => ws.loom_target_dir(),
        },
        color: opts.color,
    };
    let normal = request(Flavor::Normal);
    let loom = request(Flavor::Loom);
    let want_loom = kata.loom.is_some() && !loom.targets.is_empty();

    if opts.fail_fast {
        let (binaries, warnings) = match build_or_empty(&normal, listener)? {
            BuildOutcome::Built(b, w) => (b, w),
            BuildOutcome::Failed(f) => return Ok(Outcome::CompileFailed(f)),
        };
        let mut results = execute(
            &ws.suite_dir(&kata.slug),
            kata,
            &dir,
            &binaries,
            opts,
            listener,
        )?;
        let all_passed = results
            .iter()
            .all(|(_, o)| o.verdict == crate::verdict::Verdict::Pass);
        if want_loom && all_passed {
            let binaries = match build::build(&loom, |_| {})? {
                BuildOutcome::Built(b, _) => b,
                BuildOutcome::Failed(f) => return Ok(Outcome::CompileFailed(f)),
            };
            results.extend(execute(
                &ws.suite_dir(&kata.slug),
                kata,
                &dir,
                &binaries,
                opts,
                listener,
            )?);
        }
        return Ok(Outcome::Ran(results, warnings));
    }

    // The loom build (release, its own target dir) runs beside the normal one.
    // Its progress lines come over a channel and are shown once the normal build is done.
    let (built, loom_built) = std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<String>();
        let loom_handle = want_loom.then(|| {
            let loom = &loom;
            scope.spawn(move || build::build(loom, |line| drop(tx.send(line.to_string()))))
        });
        let built = build_or_empty(&normal, listener);
        let loom_built = loom_handle.map(|h| {
            for line in rx {
                listener.build_progress(&format!("loom: {line}"));
            }
            h.join()
                .unwrap_or_else(|_| Err(crate::err!("the loom build thread panicked")))
        });
        (built, loom_built)
    });
    let (mut binaries, warnings) = match built? {
        BuildOutcome::Built(b, w) => (b, w),
        BuildOutcome::Failed(failure) => return Ok(Outcome::CompileFailed(failure)),
    };
    if let Some(loom_built) = loom_built {
        match loom_built? {
            BuildOutcome::Built(b, _) => binaries.extend(b),
            BuildOutcome::Failed(failure) => return Ok(Outcome::CompileFailed(failure)),
        }
    }
    let results = execute(
        &ws.suite_dir(&kata.slug),
        kata,
        &dir,
        &binaries,
        opts,
        listener,
    )?;
    Ok(Outcome::Ran(results, warnings))
}

fn build_or_empty(req: &BuildRequest, listener: &mut dyn Listener) -> Result<BuildOutcome> {
    if req.targets.is_empty() {
        return Ok(BuildOutcome::Built(Vec::new(), Vec::new()));
    }
    build::build(req, |line| listener.build_progress(line))
}

/// Lists the checks of `binaries` in report order (by position in the suite files of
/// `suite_dir`) and runs them.
pub fn execute(
    suite_dir: &Path,
    kata: &Kata,
    dir: &Path,
    binaries: &[build::Binary],
    opts: &Options,
    listener: &mut dyn Listener,
) -> Result<Vec<(Check, TestOutcome)>> {
    let mut cases = Vec::new();
    let mut checks = Vec::new();
    for binary in binaries {
        let source = suite_dir.join(format!("{}.rs", binary.target));
        let mut names = run::list_tests(binary)?;
        order_by_source(&mut names, &source);
        let (timeout, env) = match (binary.flavor, &kata.loom) {
            (Flavor::Loom, Some(l)) => (
                l.timeout,
                vec![(
                    "LOOM_MAX_PREEMPTIONS".to_string(),
                    l.preemptions.to_string(),
                )],
            ),
            _ => (kata.timeout, Vec::new()),
        };
        if let Some((_, only)) = &opts.only {
            names.retain(|n| n == only);
        }
        for name in names {
            checks.push(Check {
                target: binary.target.clone(),
                name: name.clone(),
                loom: binary.flavor == Flavor::Loom,
            });
            cases.push(TestCase {
                binary: binary.clone(),
                name,
                timeout: Duration::from_secs(timeout),
                cwd: dir.to_path_buf(),
                env: env.clone(),
            });
        }
    }
    listener.checks_listed(&checks);

    let (tx, rx) = mpsc::channel();
    let mut results: Vec<Option<TestOutcome>> = vec![None; cases.len()];
    std::thread::scope(|scope| {
        let cases = &cases;
        scope.spawn(move || run::run_all(cases, opts.jobs, opts.fail_fast, tx));
        for event in rx {
            if let RunEvent::TestFinished { index, outcome } = event {
                // A loom data race is reported where it happened in the learner's code: the
                // model runs again with loom's locations on (not for mutant runs, which only
                // need the rejection).
                let outcome = if checks[index].loom && !opts.fail_fast {
                    replay::locate(&cases[index], outcome)
                } else {
                    outcome
                };
                listener.check_finished(index, &checks[index], &outcome);
                results[index] = Some(outcome);
            }
        }
    });
    Ok(checks
        .into_iter()
        .zip(results)
        .filter_map(|(c, o)| Some((c, o?)))
        .collect())
}

/// Orders test names by where their `fn` appears in the suite file, so the report follows
/// the author's simple-to-hard order rather than libtest's alphabetical one.
fn order_by_source(names: &mut [String], source: &Path) {
    let Ok(text) = std::fs::read_to_string(source) else {
        return;
    };
    let position = |name: &str| {
        let last = name.rsplit("::").next().unwrap_or(name);
        let needle = format!("fn {last}");
        text.match_indices(&needle)
            .find(|(i, _)| {
                !text[i + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
            .map_or(usize::MAX, |(i, _)| i)
    };
    names.sort_by_cached_key(|n| (position(n), n.clone()));
}
