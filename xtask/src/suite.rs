//! Grades one implementation (the learner's kata, the reference solution, or a scratch copy)
//! against a kata's hidden suite: build (normal and loom side by side), list, run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::build::{self, BuildOutcome, BuildRequest, CompileFailure, Flavor};
use crate::curriculum::Kata;
use crate::error::Result;
use crate::replay;
use crate::run::{self, RunEvent, TestCase, TestOutcome};
use crate::sandbox::source::Refusal;
use crate::sandbox::{self, seal};
use crate::verdict::{SkipReason, Verdict};
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
    /// When to stop starting tests: after the first non-pass (mutant runs), after a few
    /// timeouts (`check`), when the kata's budget is spent (`grade`).
    pub policy: run::Policy,
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
    /// The source uses constructs a kata may not (see [`crate::sandbox::source`]): not built.
    Refused(Vec<Refusal>),
    /// Every check has an outcome: a verdict, or [`Verdict::Skipped`] when the policy stopped
    /// the run before it started. Checks skipped by fail-fast are absent.
    Ran(Vec<(Check, TestOutcome)>, Warnings),
}

/// Rendered compiler warnings in the graded crate's library.
pub type Warnings = Vec<String>;

/// Builds and runs `kata`'s suite against `subject`.
///
/// Normally the loom build runs beside the normal one. With fail-fast (mutants) the loom
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
    let mut sealed = None;
    let (manifest, package, dir) = match subject {
        // The learner's code is built sealed, exactly as `grade` builds it.
        Subject::Kata => {
            let package = format!("{}-checked", kata.package());
            let mut entries = vec![sealed_kata(ws, kata, &ws.root, &ws.suites, &package)?];
            let curriculum = crate::curriculum::Curriculum::load(ws)?;
            add_dependencies(ws, &curriculum, &mut entries, &ws.root, |k| {
                format!("{}-checked", k.package())
            })?;
            let s = seal::seal(ws, "check", &entries, &ws.suites)?;
            if let Some(refusals) = s.refused.get(&kata.slug) {
                return Ok(Outcome::Refused(refusals.clone()));
            }
            let found = (s.manifest.clone(), package, s.kata_dir(&kata.slug));
            sealed = Some(s);
            found
        }
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
        targets: build::suite_build_targets(&targets, flavor == Flavor::Loom),
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

    if opts.policy.fail_fast {
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
        let all_passed = results.iter().all(|(_, o)| o.verdict == Verdict::Pass);
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
    if let Some(sealed) = &sealed {
        sealed.ensure_suites_unchanged()?;
    }
    Ok(Outcome::Ran(results, warnings))
}

/// A kata as the sealed build takes it: the code under test from `source_root`'s
/// `katas/<slug>/src`, everything else from the course `ws`, test targets from `suites`.
pub fn sealed_kata(
    ws: &Workspace,
    kata: &Kata,
    source_root: &Path,
    suites: &Path,
    package: &str,
) -> Result<seal::SealedKata> {
    Ok(seal::SealedKata {
        slug: kata.slug.clone(),
        package: package.to_string(),
        course_manifest: ws.kata_dir(&kata.slug).join("Cargo.toml"),
        source: source_root.join("katas").join(&kata.slug),
        shown: format!("katas/{}/src", kata.slug),
        targets: build::suite_targets(&suites.join(&kata.slug))?,
        dependencies: kata.crate_dependencies().map(str::to_string).collect(),
        builds_on: kata.kata_dependencies().map(str::to_string).collect(),
    })
}

/// Adds to `entries` every earlier kata they build on, and those katas' own, as libraries
/// without tests (`package` names each): their code comes from `source_root`'s
/// `katas/<slug>/src`, or from `solutions/<slug>/src` when the entry it serves is a
/// reference (its `shown` starts with `solutions/`). Katas already in `entries` are kept.
pub fn add_dependencies(
    ws: &Workspace,
    curriculum: &crate::curriculum::Curriculum,
    entries: &mut Vec<seal::SealedKata>,
    source_root: &Path,
    package: impl Fn(&Kata) -> String,
) -> Result<()> {
    let mut i = 0;
    while i < entries.len() {
        let reference = entries[i].shown.starts_with("solutions/");
        for dep in entries[i].builds_on.clone() {
            if entries.iter().any(|e| e.slug == dep) {
                continue;
            }
            let kata = curriculum.find(&dep)?;
            let (source, shown) = if reference {
                (ws.solution_dir(&dep), format!("solutions/{dep}/src"))
            } else {
                (
                    source_root.join("katas").join(&dep),
                    format!("katas/{dep}/src"),
                )
            };
            entries.push(seal::SealedKata {
                slug: dep.clone(),
                package: package(kata),
                course_manifest: ws.kata_dir(&dep).join("Cargo.toml"),
                source,
                shown,
                targets: Vec::new(),
                dependencies: kata.crate_dependencies().map(str::to_string).collect(),
                builds_on: kata.kata_dependencies().map(str::to_string).collect(),
            });
        }
        i += 1;
    }
    Ok(())
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
        // A kata's `suite` binary lists `file::test`; another binary (the grader's own
        // fixtures) is one file, named as its target.
        let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for listed in run::list_tests(binary)? {
            let (file, name) = match listed.split_once("::") {
                Some((file, name)) if binary.target == build::SUITE => (file, name),
                _ => (binary.target.as_str(), listed.as_str()),
            };
            by_file
                .entry(file.to_string())
                .or_default()
                .push(name.to_string());
        }
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
        // insta finds its snapshots from the workspace root (`dir` is `katas/<slug>` or
        // `solutions/<slug>` of the workspace that built the binary).
        let mut env = env;
        if let Some(root) = dir.parent().and_then(Path::parent) {
            env.push((
                "INSTA_WORKSPACE_ROOT".into(),
                root.to_string_lossy().into_owned(),
            ));
        }
        for (file, mut names) in by_file {
            order_by_source(&mut names, &suite_dir.join(format!("{file}.rs")));
            if let Some((only_file, only)) = &opts.only {
                names.retain(|n| n == only && &file == only_file);
            }
            for name in names {
                cases.push(TestCase {
                    binary: binary.clone(),
                    name: if binary.target == build::SUITE {
                        format!("{file}::{name}")
                    } else {
                        name.clone()
                    },
                    timeout: Duration::from_secs(timeout),
                    dir: dir.to_path_buf(),
                    scratch: std::env::temp_dir().join("latency-katas-tests"),
                    env: env.clone(),
                    memory_mib: kata.memory_mib(),
                });
                checks.push(Check {
                    target: file.clone(),
                    name,
                    loom: binary.flavor == Flavor::Loom,
                });
            }
        }
    }
    listener.checks_listed(&checks);

    let (tx, rx) = mpsc::channel();
    let mut results: Vec<Option<TestOutcome>> = vec![None; cases.len()];
    std::thread::scope(|scope| {
        let cases = &cases;
        scope.spawn(move || run::run_all(cases, opts.jobs, opts.policy, tx));
        for event in rx {
            let (index, outcome) = match event {
                // A loom data race is reported where it happened in the learner's code: the
                // model runs again with loom's locations on (not for mutant runs, which only
                // need the rejection).
                RunEvent::TestFinished { index, outcome }
                    if checks[index].loom && !opts.policy.fail_fast =>
                {
                    (index, replay::locate(&cases[index], outcome))
                }
                RunEvent::TestFinished { index, outcome } => (index, outcome),
                // Mutant runs want the first failure only: fail-fast skips stay absent.
                RunEvent::TestSkipped {
                    reason: SkipReason::AfterAFailure,
                    ..
                } => continue,
                RunEvent::TestSkipped { index, reason } => (
                    index,
                    TestOutcome {
                        verdict: Verdict::Skipped { reason },
                        duration: Duration::ZERO,
                        output: String::new(),
                    },
                ),
                RunEvent::TestStarted { .. } => continue,
            };
            listener.check_finished(index, &checks[index], &outcome);
            results[index] = Some(outcome);
        }
    });
    // Processes the tests orphaned after leaving their sessions: none may outlive the run.
    // (Only here, once every test and helper of this run has ended: any child of the grader
    // still alive now is a stray.)
    sandbox::process::reap_strays(&std::collections::HashSet::new());
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
