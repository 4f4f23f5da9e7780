//! `cargo xtask grade`: classroom grading from scratch.
//!
//! Never reads the progress file or the unlock order. The learner's katas are copied into a
//! scratch workspace (`target/grade/ws`) whose test targets are exactly the suite's files, wired
//! to the suites folder being graded against (`--suites DIR`, `KATAS_SUITES`, or
//! `xtask/suites`), so neither a learner's manifest edit nor an edited test counts. All katas
//! are built in one cargo run (normal, and loom beside it), then each suite runs with the same
//! runner and verdicts as `check`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::build::{self, BuildReport, BuildRequest, CompileFailure, Flavor, SuiteTarget};
use crate::cli::GradeFormat;
use crate::curriculum::{Curriculum, Kata, slug_number};
use crate::error::{Context, Result};
use crate::exit;
use crate::report::{self, Style};
use crate::results::{self, CompileError, KataSummary, Results, TestResult};
use crate::run::{Policy, default_jobs};
use crate::sandbox::seal;
use crate::suite::{self, Quiet};
use crate::verdict::Verdict;
use crate::workspace::Workspace;

/// Environment variable naming a private copy of `xtask/suites/`.
pub const SUITES_VAR: &str = "KATAS_SUITES";

/// What to grade and where the results go.
#[derive(Debug, Clone)]
pub struct Args {
    /// Katas to grade; empty means all.
    pub slugs: Vec<String>,
    /// Output on stdout.
    pub format: GradeFormat,
    /// Write `results.json` and `junit.xml` here.
    pub out: Option<PathBuf>,
    /// A private suites folder.
    pub suites: Option<PathBuf>,
    /// Grade the reference solutions instead of the katas (a teacher's check of a suite).
    pub reference: bool,
    /// The learner's checkout whose `katas/*/src` are graded (default: this course copy).
    pub katas: Option<PathBuf>,
    /// Exit 0 once the results are written, whatever they say (an Exercism-style test
    /// runner's contract).
    pub exit_zero: bool,
}

/// One kata's grade.
pub struct KataGrade {
    kata: Kata,
    tests: Vec<TestResult>,
    /// Why it does not compile, if so.
    compile_error: Option<CompileError>,
}

/// Grades and writes the results; exit 0 when every check passed, 1 otherwise, 2 when the
/// katas could not be graded (the results then say so, with status `error`). With
/// `exit_zero`, 0 whenever results were written.
pub fn run(ws: &Workspace, args: &Args) -> Result<i32> {
    let started = Instant::now();
    let human = args.format == GradeFormat::Human;
    let style = if human {
        Style::detect()
    } else {
        Style::plain()
    };
    match grade(ws, args) {
        Ok((results, grades)) => output(&results, &grades, args, style, started),
        Err(e) => {
            // Consumers still get a result to show: every kata (or the run) as an error.
            let (results, grades) = cannot_grade(ws, args, &e.to_string());
            output(&results, &grades, args, style, started)?;
            eprintln!("error: {e}");
            Ok(if args.exit_zero {
                exit::SUCCESS
            } else {
                exit::CANNOT_GRADE
            })
        }
    }
}

/// Grades the katas (or the references) and returns the results document and per-kata grades.
pub fn grade(ws: &Workspace, args: &Args) -> Result<(Results, Vec<KataGrade>)> {
    let curriculum = Curriculum::load(ws)?;
    let katas: Vec<Kata> = if args.slugs.is_empty() {
        curriculum.katas.clone()
    } else {
        args.slugs
            .iter()
            .map(|s| curriculum.find(s).cloned())
            .collect::<Result<_>>()?
    };
    let suites = match args
        .suites
        .clone()
        .or_else(|| std::env::var_os(SUITES_VAR).map(PathBuf::from))
    {
        Some(dir) => {
            if !dir.is_dir() {
                crate::bail!("the suites folder {} does not exist", dir.display());
            }
            dir
        }
        None => ws.suites.clone(),
    };
    let tty = args.format == GradeFormat::Human && std::io::stderr().is_terminal();
    let progress = |line: &str| {
        if tty {
            let mut l = line.to_string();
            l.truncate(78);
            eprint!("\r\x1b[2K{l}");
            let _ = std::io::stderr().flush();
        }
    };

    // The code under test: the references, or `katas/*/src` of the learner's checkout
    // (`--katas`, else this one). Everything else comes from this course copy.
    let learner_root = match &args.katas {
        Some(dir) if !dir.join("katas").is_dir() => crate::bail!(
            "{} has no katas/ folder: point --katas at the root of the learner's checkout",
            dir.display()
        ),
        Some(dir) => dir.clone(),
        None => ws.root.clone(),
    };
    // Every kata needs its folder and its suite; those missing are graded as errors.
    let mut missing: Vec<(Kata, String)> = Vec::new();
    let mut members = Vec::new();
    let mut targets: Vec<(Kata, Vec<SuiteTarget>)> = Vec::new();
    for kata in &katas {
        let suite_dir = suites.join(&kata.slug);
        let src_dir = if args.reference {
            ws.solution_dir(&kata.slug).join("src")
        } else {
            learner_root.join("katas").join(&kata.slug).join("src")
        };
        let found = if !src_dir.join("lib.rs").is_file() {
            Err(format!("{} is missing", src_dir.join("lib.rs").display()))
        } else {
            build::suite_targets(&suite_dir).map_err(|e| e.0)
        };
        match found {
            Ok(t) => {
                let package = graded_package(kata, args.reference);
                let mut entry = suite::sealed_kata(ws, kata, &learner_root, &suites, &package)?;
                if args.reference {
                    entry.source = ws.solution_dir(&kata.slug);
                    entry.shown = format!("solutions/{}/src", kata.slug);
                }
                members.push(entry);
                targets.push((kata.clone(), t));
            }
            Err(e) => missing.push((kata.clone(), e)),
        }
    }

    // The katas the graded ones build on are sealed beside them (as libraries only when not
    // graded themselves), from the same checkout or the references.
    add_dependencies_to(ws, &curriculum, &mut members, &learner_root, args.reference)?;

    progress("grading: building every kata…");
    let scratch_name = if args.reference {
        "grade-reference"
    } else {
        "grade"
    };
    let scratch = seal::seal(ws, scratch_name, &members, &suites)?;
    for (slug, refusals) in &scratch.refused {
        if let Some(pos) = targets.iter().position(|(k, _)| &k.slug == slug) {
            let (kata, _) = targets.remove(pos);
            let why = refusals
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            missing.push((kata, format!("refused before building:\n{why}")));
        }
    }
    let request = |flavor: Flavor| BuildRequest {
        manifest_path: scratch.manifest.clone(),
        package: String::new(),
        targets: Vec::new(),
        flavor,
        target_dir: match flavor {
            Flavor::Normal => ws.target_dir(),
            Flavor::Loom => ws.loom_target_dir(),
        },
        color: false,
    };
    let select = |loom: bool| -> Vec<(String, Vec<String>)> {
        targets
            .iter()
            .filter(|(k, _)| !loom || k.loom.is_some())
            .map(|(k, t)| {
                (
                    graded_package(k, args.reference),
                    build::suite_build_targets(t, loom),
                )
            })
            .filter(|(_, t)| !t.is_empty())
            .collect()
    };
    let (normal, loom) = (select(false), select(true));
    let (normal_report, loom_report) = std::thread::scope(|scope| {
        let loom_handle = (!loom.is_empty())
            .then(|| scope.spawn(|| build::build_many(&request(Flavor::Loom), &loom, |_| {})));
        let normal_report = if normal.is_empty() {
            Ok(BuildReport::default())
        } else {
            build::build_many(&request(Flavor::Normal), &normal, |l| {
                if l.starts_with("Compiling") {
                    progress(&format!("grading: {l}"));
                }
            })
        };
        let loom_report = loom_handle
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(crate::err!("the loom build panicked")))
            })
            .unwrap_or_else(|| Ok(BuildReport::default()));
        (normal_report, loom_report)
    });
    let (mut normal_report, mut loom_report) = (normal_report?, loom_report?);

    // Each kata gets its own time budget, so one kata that loops cannot eat the job's time:
    // every check not started when it is spent scores 0 as `skipped`.
    let opts = |kata: &Kata| suite::Options {
        jobs: default_jobs(),
        policy: Policy {
            budget: Some(kata.budget()),
            locate_hangs: true,
            ..Policy::default()
        },
        color: false,
        only: None,
    };
    let mut grades = Vec::new();
    for (i, (kata, kata_targets)) in targets.iter().enumerate() {
        progress(&format!(
            "grading {}/{}: {}",
            i + 1,
            targets.len(),
            kata.slug
        ));
        let package = graded_package(kata, args.reference);
        let package = package.as_str();
        let failure = normal_report
            .failed
            .remove(package)
            .or_else(|| loom_report.failed.remove(package));
        let suite_dir = suites.join(&kata.slug);
        let grade = match failure {
            Some(f) => compile_error_grade(kata, &f, &suite_dir, kata_targets),
            None => {
                let mut binaries = normal_report
                    .built
                    .remove(package)
                    .map(|(b, _)| b)
                    .unwrap_or_default();
                binaries.extend(
                    loom_report
                        .built
                        .remove(package)
                        .map(|(b, _)| b)
                        .unwrap_or_default(),
                );
                let dir = scratch.kata_dir(&kata.slug);
                let results = suite::execute(
                    &scratch.suite_dir(&kata.slug),
                    kata,
                    &dir,
                    &binaries,
                    &opts(kata),
                    &mut Quiet,
                )?;
                checks_grade(kata, &results, &suite_dir)
            }
        };
        grades.push(grade);
    }
    // A test that rewrote a suite (or the teacher's folder) voids the whole grade.
    scratch.ensure_suites_unchanged()?;
    for (kata, why) in missing {
        grades.push(error_grade(
            &kata,
            &why,
            &suites.join(&kata.slug),
            &[],
            None,
        ));
    }
    grades.sort_by_key(|g| curriculum.position(&g.kata.slug));
    if tty {
        eprint!("\r\x1b[2K");
    }

    Ok((assemble(&grades), grades))
}

/// Prints and writes the results; the exit code.
fn output(
    results: &Results,
    grades: &[KataGrade],
    args: &Args,
    style: Style,
    started: Instant,
) -> Result<i32> {
    let json = serde_json::to_string_pretty(results).map_err(|e| crate::err!("{e}"))?;
    let junit = results::junit(results);
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).context(|| format!("cannot create {}", dir.display()))?;
        std::fs::write(dir.join("results.json"), &json)
            .context(|| format!("cannot write {}", dir.join("results.json").display()))?;
        std::fs::write(dir.join("junit.xml"), &junit)
            .context(|| format!("cannot write {}", dir.join("junit.xml").display()))?;
    }
    let katas: Vec<KataSummary> = grades.iter().map(summary).collect();
    github(results, grades, &katas)?;
    match args.format {
        GradeFormat::Json => println!("{json}"),
        GradeFormat::Junit => print!("{junit}"),
        GradeFormat::Human => {
            for k in &katas {
                let line = format!(
                    "  {:<22} {:<18} {:>6} / {} points",
                    k.slug,
                    k.status(),
                    results::points(k.score),
                    k.points
                );
                let full = k.score == f64::from(k.points);
                println!("{}", if full { style.green(&line) } else { line });
            }
            for g in grades.iter().filter(|g| out_of_time(g)) {
                println!(
                    "{}",
                    style.yellow(&format!(
                        "  {} hit its time budget of {} s: the checks it had not started score 0 \
                         (look for a loop that never ends).",
                        g.kata.slug,
                        g.kata.budget().as_secs()
                    ))
                );
            }
            println!(
                "{} {} / {} points ({:.0}%), graded in {:.0} s{}",
                style.bold("Score:"),
                results::points(results.score),
                results::points(results.max_score),
                if results.max_score > 0.0 {
                    100.0 * results.score / results.max_score
                } else {
                    0.0
                },
                started.elapsed().as_secs_f64(),
                args.out
                    .as_ref()
                    .map(|d| format!("; results in {}", d.display()))
                    .unwrap_or_default()
            );
        }
    }
    Ok(if results.status == "pass" || args.exit_zero {
        exit::SUCCESS
    } else {
        exit::CHECKS_FAILED
    })
}

fn add_dependencies_to(
    ws: &Workspace,
    curriculum: &Curriculum,
    members: &mut Vec<seal::SealedKata>,
    learner_root: &Path,
    reference: bool,
) -> Result<()> {
    suite::add_dependencies(ws, curriculum, members, learner_root, |k| {
        graded_package(k, reference)
    })
}

/// The kata's package name in the grading workspace: distinct from the learner's own build
/// and from a graded reference, since they share the target dir.
fn graded_package(kata: &Kata, reference: bool) -> String {
    let suffix = if reference {
        "graded-reference"
    } else {
        "graded"
    };
    format!("{}-{suffix}", kata.package())
}

fn task_id(kata: &Kata) -> u32 {
    slug_number(&kata.slug).unwrap_or(0)
}

fn suite_file(kata: &Kata, target: &str) -> String {
    format!("xtask/suites/{}/{target}.rs", kata.slug)
}

fn check_name(kata: &Kata, check: &suite::Check) -> String {
    format!(
        "{} / {} / {}",
        kata.slug,
        check.target,
        report::sentence(&check.name)
    )
}

/// A kata whose suite ran: one entry per check, in file order, each with its part of the
/// kata's score.
fn checks_grade(
    kata: &Kata,
    results: &[(suite::Check, crate::run::TestOutcome)],
    suite_dir: &Path,
) -> KataGrade {
    let checks: Vec<&suite::Check> = results.iter().map(|(c, _)| c).collect();
    let order = results::file_order(&checks, suite_dir);
    let results: Vec<&(suite::Check, crate::run::TestOutcome)> =
        order.iter().map(|&i| &results[i]).collect();
    let passing: Vec<bool> = results
        .iter()
        .map(|(_, o)| o.verdict == Verdict::Pass)
        .collect();
    let scores = results::check_scores(kata.points, &passing);
    let mut sources = std::collections::HashMap::new();
    let tests = results
        .iter()
        .zip(scores)
        .map(|((check, outcome), score)| {
            let source: &String = sources.entry(check.target.clone()).or_insert_with(|| {
                std::fs::read_to_string(suite_dir.join(format!("{}.rs", check.target)))
                    .unwrap_or_default()
            });
            let (test_code, test_line) = results::test_source(source, &check.name);
            let learner_line = match &outcome.verdict {
                Verdict::NotStarted { location, .. }
                | Verdict::Fail {
                    location: Some(location),
                    ..
                } => learner_location(kata, location),
                Verdict::Timeout {
                    stuck_at: Some(s), ..
                } => learner_location(kata, &s.location),
                _ => None,
            };
            let (filename, line_no) =
                learner_line.unwrap_or_else(|| (suite_file(kata, &check.target), test_line));
            let status = results::status_of(&outcome.verdict);
            TestResult {
                name: check_name(kata, check),
                status: status.to_string(),
                message: results::message_of(&outcome.verdict),
                output: if status == "pass" {
                    None
                } else {
                    results::learner_output(&outcome.output)
                },
                test_code,
                task_id: task_id(kata),
                score,
                filename,
                line_no,
                duration: outcome.duration.as_millis() as u64,
                verdict: outcome.verdict.kind().to_string(),
                kata: kata.slug.clone(),
            }
        })
        .collect();
    KataGrade {
        kata: kata.clone(),
        tests,
        compile_error: None,
    }
}

/// `katas/<slug>/src/lib.rs:41:9` → (`katas/<slug>/src/lib.rs`, 41) when it is the learner's.
fn learner_location(kata: &Kata, location: &str) -> Option<(String, u32)> {
    let short = report::short_location(location);
    let (file, line) = short.rsplit_once(':')?;
    let file = file.trim_start_matches("./");
    file.starts_with(&format!("katas/{}/", kata.slug))
        .then(|| Some((file.to_string(), line.parse().ok()?)))
        .flatten()
}

/// A kata that does not compile: its checks, each an error worth 0, with rustc's first
/// error on the learner's line.
fn compile_error_grade(
    kata: &Kata,
    failure: &CompileFailure,
    suite_dir: &Path,
    targets: &[SuiteTarget],
) -> KataGrade {
    let error = CompileError::of(&kata.slug, failure);
    error_grade(
        kata,
        &error.text(&kata.slug),
        suite_dir,
        targets,
        Some(error),
    )
}

/// A kata that could not run: every check it will be graded on (listed in the suite's
/// `checks.txt`, else one entry per suite file, else one in all) as an error worth 0. The
/// reason is given whole on the first entry and referred to on the others.
fn error_grade(
    kata: &Kata,
    why: &str,
    suite_dir: &Path,
    targets: &[SuiteTarget],
    compile_error: Option<CompileError>,
) -> KataGrade {
    let checks: Vec<suite::Check> = results::read_checks(suite_dir).unwrap_or_else(|| {
        targets
            .iter()
            .map(|t| suite::Check {
                target: t.name.clone(),
                name: "does_not_build".into(),
                loom: t.loom,
            })
            .collect()
    });
    let (filename, line_no) = match &compile_error {
        Some(e) => (e.file.clone(), e.line),
        None => (format!("katas/{}/src/lib.rs", kata.slug), 0),
    };
    let verdict = if compile_error.is_some() {
        "compile_error"
    } else {
        "not_graded"
    };
    let entry = |name: String, message: String, test_code: String| TestResult {
        name,
        status: "error".into(),
        message: Some(message),
        output: None,
        test_code,
        task_id: task_id(kata),
        score: 0.0,
        filename: filename.clone(),
        line_no,
        duration: 0,
        verdict: verdict.into(),
        kata: kata.slug.clone(),
    };
    let tests = if checks.is_empty() {
        vec![entry(
            format!("{} / could not be graded", kata.slug),
            why.to_string(),
            String::new(),
        )]
    } else {
        let refer = match &compile_error {
            Some(_) => format!(
                "katas/{} does not compile (rustc's error is on its first check)",
                kata.slug
            ),
            None => "not graded (the reason is on the kata's first check)".to_string(),
        };
        checks
            .iter()
            .enumerate()
            .map(|(i, check)| {
                let source =
                    std::fs::read_to_string(suite_dir.join(format!("{}.rs", check.target)))
                        .unwrap_or_default();
                let message = if i == 0 {
                    why.to_string()
                } else {
                    refer.clone()
                };
                entry(
                    check_name(kata, check),
                    message,
                    results::test_source(&source, &check.name).0,
                )
            })
            .collect()
    };
    KataGrade {
        kata: kata.clone(),
        tests,
        compile_error,
    }
}

/// The results of a run that could not grade: every requested kata of the curriculum (or, if
/// even the curriculum cannot be read, the run itself) as an error saying why.
fn cannot_grade(ws: &Workspace, args: &Args, why: &str) -> (Results, Vec<KataGrade>) {
    let Ok(curriculum) = Curriculum::load(ws) else {
        let test = TestResult {
            name: "latency-katas / could not be graded".into(),
            status: "error".into(),
            message: Some(why.to_string()),
            output: None,
            test_code: String::new(),
            task_id: 0,
            score: 0.0,
            filename: "xtask/curriculum.toml".into(),
            line_no: 0,
            duration: 0,
            verdict: "not_graded".into(),
            kata: String::new(),
        };
        let (status, message) = results::overall(std::slice::from_ref(&test), Some(why));
        let results = Results {
            version: 3,
            status,
            message,
            max_score: 0.0,
            score: 0.0,
            tests: vec![test],
        };
        return (results, Vec::new());
    };
    let mut katas: Vec<&Kata> = args
        .slugs
        .iter()
        .filter_map(|s| curriculum.find(s).ok())
        .collect();
    if katas.is_empty() {
        katas = curriculum.katas.iter().collect();
    }
    let suites = args
        .suites
        .clone()
        .or_else(|| std::env::var_os(SUITES_VAR).map(PathBuf::from))
        .unwrap_or_else(|| ws.suites.clone());
    let why = format!("the grader could not grade this kata: {why}");
    let grades: Vec<KataGrade> = katas
        .into_iter()
        .map(|k| error_grade(k, &why, &suites.join(&k.slug), &[], None))
        .collect();
    (assemble(&grades), grades)
}

/// The results document of some graded katas.
fn assemble(grades: &[KataGrade]) -> Results {
    let tests: Vec<TestResult> = grades.iter().flat_map(|g| g.tests.clone()).collect();
    let max_score: f64 = grades.iter().map(|g| f64::from(g.kata.points)).sum();
    let mut score = 0.0;
    for t in &tests {
        // Exact: every score is a multiple of 1/SCORE_GRID.
        score += t.score;
    }
    let compile_errors: Vec<String> = grades
        .iter()
        .filter_map(|g| g.compile_error.as_ref().map(|e| e.text(&g.kata.slug)))
        .collect();
    let why = (compile_errors.len() == grades.len() && !grades.is_empty())
        .then(|| compile_errors.join("\n\n"));
    let (status, message) = results::overall(&tests, why.as_deref());
    Results {
        version: 3,
        status,
        message,
        max_score,
        score,
        tests,
    }
}

/// The kata hit its time budget: some of its checks were never started.
fn out_of_time(grade: &KataGrade) -> bool {
    grade.tests.iter().any(|t| t.verdict == "skipped")
}

fn summary(g: &KataGrade) -> KataSummary {
    KataSummary {
        slug: g.kata.slug.clone(),
        points: g.kata.points,
        score: g.tests.iter().map(|t| t.score).sum(),
        passed: g.tests.iter().filter(|t| t.status == "pass").count(),
        checks: g.tests.len(),
        compile_error: g.compile_error.clone(),
        not_graded: !g.tests.is_empty() && g.tests.iter().all(|t| t.verdict == "not_graded"),
    }
}

/// Annotations per step that GitHub shows (of each kind).
const ANNOTATIONS: usize = 10;

/// GitHub Actions extras, each only when its variable is set:
/// - `$GITHUB_ENV`: one Classroom reporter result per kata, `KATA<NN>_RESULTS=<base64>`
///   (each under [`results::RUNNER_BUDGET`]), for the reporter step that follows;
/// - `$GITHUB_OUTPUT`: `runners=kata01,kata02,…` (the reporter's `runners` input) and, when a
///   single kata was graded, its result as `result=<base64>`;
/// - `$GITHUB_STEP_SUMMARY`: the summary;
/// - in Actions, `::error` annotations: each compile error once on the learner's line, then
///   the learner's lines where checks failed.
fn github(results: &Results, grades: &[KataGrade], katas: &[KataSummary]) -> Result<()> {
    let append = |var: &str, text: &str| -> Result<()> {
        let Some(path) = std::env::var_os(var) else {
            return Ok(());
        };
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .context(|| format!("cannot append to ${var}"))
    };
    append(
        "GITHUB_STEP_SUMMARY",
        &results::step_summary(results, katas),
    )?;

    // One reporter runner per kata; a run that could not even read the curriculum is one
    // runner, `katas`.
    let runners: Vec<(String, Results)> = if grades.is_empty() {
        vec![("katas".to_string(), results.clone())]
    } else {
        grades
            .iter()
            .map(|g| {
                (
                    results::runner_id(task_id(&g.kata)),
                    assemble(std::slice::from_ref(g)),
                )
            })
            .collect()
    };
    let budget = results::runner_budget(runners.len());
    let mut env = String::new();
    let mut single = None;
    for (id, doc) in &runners {
        let encoded = results::runner_result(doc, budget);
        env.push_str(&format!("{}={encoded}\n", results::runner_var(id)));
        single = Some(encoded);
    }
    append("GITHUB_ENV", &env)?;
    let ids: Vec<&str> = runners.iter().map(|(id, _)| id.as_str()).collect();
    let mut outputs = format!("runners={}\n", ids.join(","));
    if let (1, Some(encoded)) = (runners.len(), single) {
        outputs.push_str(&format!("result={encoded}\n"));
    }
    append("GITHUB_OUTPUT", &outputs)?;

    if std::env::var_os("GITHUB_ACTIONS").is_some() {
        let mut shown = 0;
        for k in katas {
            if let Some(e) = &k.compile_error
                && shown < ANNOTATIONS
            {
                println!(
                    "{}",
                    results::annotation(
                        &e.file,
                        e.line,
                        e.col,
                        &format!("{} does not compile", k.slug),
                        &e.text(&k.slug)
                    )
                );
                shown += 1;
            }
        }
        let mut seen = std::collections::HashSet::new();
        for t in results.tests.iter().filter(|t| {
            t.status != "pass" && t.verdict != "compile_error" && t.filename.starts_with("katas/")
        }) {
            if shown >= ANNOTATIONS || !seen.insert((t.filename.clone(), t.line_no)) {
                continue;
            }
            let message = results::cap(t.message.as_deref().unwrap_or(""), 400);
            println!(
                "{}",
                results::annotation(&t.filename, t.line_no, 0, &t.name, &message)
            );
            shown += 1;
        }
    }
    Ok(())
}
