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

use crate::build::{self, BuildReport, BuildRequest, Flavor, SuiteTarget};
use crate::cli::GradeFormat;
use crate::curriculum::{Curriculum, Kata, slug_number};
use crate::error::{Context, Result};
use crate::exit;
use crate::report::{self, Style};
use crate::results::{self, Results, TestResult};
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
}

/// One kata's grade.
pub struct KataGrade {
    kata: Kata,
    tests: Vec<TestResult>,
    compiled: bool,
}

/// Grades and writes the results; exit 0 when every check passed, 1 otherwise.
pub fn run(ws: &Workspace, args: &Args) -> Result<i32> {
    let started = Instant::now();
    let (results, grades) = grade(ws, args)?;
    let human = args.format == GradeFormat::Human;
    let style = if human {
        Style::detect()
    } else {
        Style::plain()
    };
    output(&results, &grades, args, style, started)
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
                    t.iter()
                        .filter(|t| t.loom == loom)
                        .map(|t| t.name.clone())
                        .collect::<Vec<_>>(),
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
            Some(f) => {
                let text = report::render_compile_failure(Style::plain(), &f);
                error_grade(
                    kata,
                    &format!("katas/{} does not compile:\n{text}", kata.slug),
                    kata_targets,
                )
            }
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
        grades.push(error_grade(&kata, &why, &[]));
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
    let per_kata: Vec<(String, f64, u32, String)> = grades
        .iter()
        .map(|g| {
            let score: f64 = g.tests.iter().map(|t| t.score).sum();
            let passed = g.tests.iter().filter(|t| t.status == "pass").count();
            let status = if !g.compiled {
                "does not compile".to_string()
            } else if out_of_time(g) {
                format!("{passed}/{} checks, out of time", g.tests.len())
            } else {
                format!("{passed}/{} checks", g.tests.len())
            };
            (g.kata.slug.clone(), score, g.kata.points, status)
        })
        .collect();
    github(results, &per_kata)?;

    match args.format {
        GradeFormat::Json => println!("{json}"),
        GradeFormat::Junit => print!("{junit}"),
        GradeFormat::Human => {
            for (slug, score, points, status) in &per_kata {
                let line = format!("  {slug:<22} {status:<30} {score:>5.1} / {points} points");
                let full = (score - f64::from(*points)).abs() < 1e-9;
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
                "{} {:.1} / {:.0} points ({:.0}%), graded in {:.0} s{}",
                style.bold("Score:"),
                results.score,
                results.max_score,
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
    Ok(if results.status == "pass" {
        exit::SUCCESS
    } else {
        exit::CHECKS_FAILED
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

fn checks_grade(
    kata: &Kata,
    results: &[(suite::Check, crate::run::TestOutcome)],
    suite_dir: &Path,
) -> KataGrade {
    let share = f64::from(kata.points) / results.len().max(1) as f64;
    let tests = results
        .iter()
        .map(|(check, outcome)| {
            let source = std::fs::read_to_string(suite_dir.join(format!("{}.rs", check.target)))
                .unwrap_or_default();
            let (test_code, test_line) = results::test_source(&source, &check.name);
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
                name: format!(
                    "{} / {} / {}",
                    kata.slug,
                    check.target,
                    report::sentence(&check.name)
                ),
                status: status.to_string(),
                message: results::message_of(&outcome.verdict),
                output: (status != "pass" && !outcome.output.trim().is_empty()).then(|| {
                    results::cap(&report::strip_ansi(&outcome.output), results::OUTPUT_CHARS)
                }),
                test_code,
                task_id: task_id(kata),
                score: if status == "pass" { share } else { 0.0 },
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
        compiled: true,
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

/// A kata that could not run: one failing entry per suite file (or one in all), worth 0.
fn error_grade(kata: &Kata, why: &str, targets: &[SuiteTarget]) -> KataGrade {
    let entry = |name: String, filename: String| TestResult {
        name,
        status: "error".into(),
        message: Some(why.to_string()),
        output: None,
        test_code: String::new(),
        task_id: task_id(kata),
        score: 0.0,
        filename,
        line_no: 0,
        duration: 0,
        verdict: "compile_error".into(),
        kata: kata.slug.clone(),
    };
    let tests = if targets.is_empty() {
        vec![entry(
            format!("{} / does not build", kata.slug),
            format!("katas/{}/src/lib.rs", kata.slug),
        )]
    } else {
        targets
            .iter()
            .map(|t| {
                entry(
                    format!("{} / {} / does not build", kata.slug, t.name),
                    suite_file(kata, &t.name),
                )
            })
            .collect()
    };
    KataGrade {
        kata: kata.clone(),
        tests,
        compiled: false,
    }
}

fn assemble(grades: &[KataGrade]) -> Results {
    let tests: Vec<TestResult> = grades.iter().flat_map(|g| g.tests.clone()).collect();
    let max_score: f64 = grades.iter().map(|g| f64::from(g.kata.points)).sum();
    let score: f64 = tests.iter().map(|t| t.score).sum();
    let passed = tests.iter().filter(|t| t.status == "pass").count();
    let status = if !tests.is_empty() && passed == tests.len() {
        "pass"
    } else if grades.iter().all(|g| !g.compiled) {
        "error"
    } else {
        "fail"
    };
    let broken: Vec<&str> = grades
        .iter()
        .filter(|g| !g.compiled)
        .map(|g| g.kata.slug.as_str())
        .collect();
    let mut message = format!(
        "{passed} of {} checks pass; {score:.1} of {max_score:.0} points",
        tests.len()
    );
    if !broken.is_empty() {
        message.push_str(&format!("; not compiling: {}", broken.join(", ")));
    }
    let late: Vec<&str> = grades
        .iter()
        .filter(|g| out_of_time(g))
        .map(|g| g.kata.slug.as_str())
        .collect();
    if !late.is_empty() {
        message.push_str(&format!("; out of time: {}", late.join(", ")));
    }
    Results {
        version: 3,
        status: status.into(),
        message: Some(message),
        max_score,
        score: (score * 1000.0).round() / 1000.0,
        tests,
    }
}

/// The kata hit its time budget: some of its checks were never started.
fn out_of_time(grade: &KataGrade) -> bool {
    grade.tests.iter().any(|t| t.verdict == "skipped")
}

/// GitHub Actions extras, each only when its variable is set.
fn github(results: &Results, per_kata: &[(String, f64, u32, String)]) -> Result<()> {
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
        &results::step_summary(results, per_kata),
    )?;
    let json = serde_json::to_string(results).map_err(|e| crate::err!("{e}"))?;
    append(
        "GITHUB_OUTPUT",
        &format!("result={}\n", results::base64(json.as_bytes())),
    )?;
    if std::env::var_os("GITHUB_ACTIONS").is_some() {
        let mut seen = std::collections::HashSet::new();
        for t in results
            .tests
            .iter()
            .filter(|t| t.status != "pass" && t.filename.starts_with("katas/"))
        {
            if seen.len() >= 10 || !seen.insert((t.filename.clone(), t.line_no)) {
                continue;
            }
            let message = results::cap(t.message.as_deref().unwrap_or(""), 400);
            println!(
                "{}",
                results::annotation(&t.filename, t.line_no, &t.name, &message)
            );
        }
    }
    Ok(())
}
