//! `cargo xtask verify [SLUG]`: authors prove every kata honest.
//!
//! Per kata: tidy checks (README with interview answers, hints, mutants, suite declared in
//! both crates, todo!() in the stub and not in the solution, SAFETY comments); the solution
//! passes every check (normal and loom); the stub fails every check as "not started", inside
//! its own source; every mutant is rejected. Without SLUG it first runs `cargo test` (the
//! grader's own tests, the support crates and the solutions' unit and doc tests) and checks
//! that the folders and the curriculum agree, and last grades the reference solutions as a
//! class would be graded (`grade --reference`), which must give full points.

use std::io::Write;
use std::process::Stdio;
use std::time::Instant;

use serde::Serialize;

use crate::build;
use crate::cli::Format;
use crate::curriculum::{Curriculum, Kata};
use crate::error::{Context, Result};
use crate::exit;
use crate::mutants;
use crate::progress::fingerprint;
use crate::report::{Style, Tally};
use crate::run::{Policy, default_jobs};
use crate::suite::{self, Outcome, Quiet, Subject};
use crate::verdict::Verdict;
use crate::workspace::Workspace;

/// Minimum hints per kata.
const MIN_HINTS: usize = 2;
/// Minimum mutants per kata.
const MIN_MUTANTS: usize = 3;

/// What verify found for one kata (the JSON shape).
#[derive(Debug, Default, Serialize)]
pub struct KataReport {
    /// The kata.
    pub slug: String,
    /// Every check passed against the reference solution.
    pub solution_passed: bool,
    /// Every check failed as "not started" against the stub.
    pub stub_failed: bool,
    /// Mutants found.
    pub mutants_total: usize,
    /// Mutants the suite rejected.
    pub mutants_rejected: usize,
    /// Mutants rejected only by luck (timeout, crash, no result, timing check): a warning.
    pub mutants_lucky: usize,
    /// Checks run against the solution.
    pub checks: usize,
    /// Each mutant's fate.
    pub mutants: Vec<MutantReport>,
    /// Everything wrong, in words.
    pub problems: Vec<String>,
    /// Seconds spent on this kata.
    pub seconds: f64,
    /// The suite's checks in report order, as the solution run listed them (`--bless`
    /// records them in the suite's `checks.txt`).
    #[serde(skip)]
    pub check_ids: Vec<String>,
}

/// One mutant's fate.
#[derive(Debug, Serialize)]
pub struct MutantReport {
    /// File stem.
    pub name: String,
    /// The bug it injects.
    pub description: String,
    /// The suite rejected it.
    pub rejected: bool,
    /// The check that caught it, with its verdict kind: a deterministic one when any
    /// check rejects it deterministically.
    pub killed_by: Option<String>,
    /// How it was rejected: the killing check's file, name, verdict kind and whether it is a
    /// timing check.
    pub rejection: Option<mutants::Rejection>,
    /// Rejected only by a timeout, a crash, no result or a timing check: a warning.
    pub lucky: bool,
}

impl KataReport {
    fn ok(&self) -> bool {
        self.problems.is_empty()
            && self.solution_passed
            && self.stub_failed
            && self.mutants_rejected == self.mutants_total
    }
}

#[derive(Debug, Serialize)]
struct Summary {
    ok: bool,
    workspace_tests_passed: Option<bool>,
    reference_full_points: Option<bool>,
    workspace_problems: Vec<String>,
    katas: Vec<KataReport>,
    seconds: f64,
}

/// Runs verify and returns the exit code.
pub fn run(ws: &Workspace, slug: Option<&str>, format: Format, bless: bool) -> Result<i32> {
    let started = Instant::now();
    let curriculum = Curriculum::load(ws)?;
    let style = if format == Format::Json {
        Style::plain()
    } else {
        Style::detect()
    };
    let human = format == Format::Human;
    let say = |line: String| {
        if human {
            println!("{line}");
            let _ = std::io::stdout().flush();
        }
    };

    let katas: Vec<&Kata> = match slug {
        Some(s) => vec![curriculum.find(s)?],
        None => curriculum.katas.iter().collect(),
    };

    let mut workspace_tests_passed = None;
    let mut workspace_problems = Vec::new();
    if bless {
        bless_support_checksum(ws)?;
    }
    if slug.is_none() {
        workspace_problems = layout_problems(ws, &curriculum);
        if !bless {
            workspace_problems.extend(support_checksum_problem(ws, &curriculum));
        }
        for p in &workspace_problems {
            say(format!("  {} {p}", style.red("FAIL ")));
        }
        say(style.bold("cargo test (grader, support crates, solutions' unit and doc tests)"));
        let (passed, summary) = workspace_tests(ws, human)?;
        say(format!(
            "  {} {summary}",
            if passed {
                style.green("ok   ")
            } else {
                style.red("FAIL ")
            }
        ));
        workspace_tests_passed = Some(passed);
    }

    let mut reports = Vec::new();
    for kata in katas {
        say(style.bold(&kata.slug));
        let report = verify_kata(ws, kata, &say, style, bless)?;
        if bless {
            // After the killers and the check list are recorded: they are part of the suite
            // folder.
            bless_checks(ws, &kata.slug, &report.check_ids)?;
            bless_checksum(ws, &kata.slug)?;
        }
        reports.push(report);
    }

    // Classroom grading end to end: the references, graded like a class, score full points.
    let mut reference_full_points = None;
    if slug.is_none() {
        let phase = Instant::now();
        let args = crate::commands::grade::Args {
            slugs: Vec::new(),
            format: crate::cli::GradeFormat::Json,
            out: None,
            suites: None,
            reference: true,
            katas: None,
            exit_zero: false,
        };
        let (results, _) = crate::commands::grade::grade(ws, &args)?;
        let full = results.status == "pass" && (results.score - results.max_score).abs() < 1e-6;
        say(style.bold("grade --reference (classroom grading of the reference solutions)"));
        say(format!(
            "  {} {:.1} of {:.0} points over {} checks {}",
            if full {
                style.green("ok   ")
            } else {
                style.red("FAIL ")
            },
            results.score,
            results.max_score,
            results.tests.len(),
            style.dim(&format!("({:.1} s)", phase.elapsed().as_secs_f64()))
        ));
        for t in results.tests.iter().filter(|t| t.status != "pass").take(10) {
            say(format!(
                "        {}: {}",
                t.name,
                t.message.as_deref().unwrap_or("")
            ));
        }
        reference_full_points = Some(full);
    }

    let ok = workspace_problems.is_empty()
        && workspace_tests_passed != Some(false)
        && reference_full_points != Some(false)
        && reports.iter().all(KataReport::ok);
    let passed = reports.iter().filter(|r| r.ok()).count()
        + usize::from(workspace_tests_passed == Some(true) && workspace_problems.is_empty())
        + usize::from(reference_full_points == Some(true));
    let failed = reports.iter().filter(|r| !r.ok()).count()
        + usize::from(workspace_tests_passed == Some(false) || !workspace_problems.is_empty())
        + usize::from(reference_full_points == Some(false));
    let seconds = started.elapsed().as_secs_f64();
    match format {
        Format::Json => {
            let summary = Summary {
                ok,
                workspace_tests_passed,
                reference_full_points,
                workspace_problems,
                katas: reports,
                seconds,
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&summary).map_err(|e| crate::err!("{e}"))?
            );
        }
        Format::Human => {
            println!();
            let verdict = if ok {
                style.green("verify: everything is honest.")
            } else {
                style.red("verify: problems found (see FAIL lines above).")
            };
            println!("{verdict} {}", style.dim(&format!("({seconds:.0} s)")));
            let lucky: Vec<String> = summary_lucky(&reports);
            if !lucky.is_empty() {
                println!(
                    "{} {} mutant(s) rejected by luck only (a timeout, a crash or a timing \
                     check): {}",
                    style.yellow("warning:"),
                    lucky.len(),
                    lucky.join(", ")
                );
            }
            // The plain closing line CI tools read.
            println!("verify: {passed} passed, {failed} failed");
        }
    }
    Ok(if ok {
        exit::SUCCESS
    } else {
        exit::CHECKS_FAILED
    })
}

fn verify_kata(
    ws: &Workspace,
    kata: &Kata,
    say: &dyn Fn(String),
    style: Style,
    bless: bool,
) -> Result<KataReport> {
    let started = Instant::now();
    let mut report = KataReport {
        slug: kata.slug.clone(),
        ..KataReport::default()
    };
    let ok = |b: bool| {
        if b {
            style.green("ok   ")
        } else {
            style.red("FAIL ")
        }
    };

    if bless {
        bless_suite_root(ws, &kata.slug)?;
    }
    let mut tidy = tidy_problems(ws, kata);
    if bless {
        // --bless records the checksum and the check list once this run is done.
        tidy.retain(|p| !p.contains("suite_checksum") && !p.contains(crate::results::CHECKS_FILE));
    }
    say(format!(
        "  {} tidy: README, hints, mutants, suite targets, stub todo!()s, SAFETY comments",
        ok(tidy.is_empty())
    ));
    for p in &tidy {
        say(format!("        {p}"));
    }
    report.problems.extend(tidy);
    if !ws.suite_dir(&kata.slug).is_dir() {
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }

    let opts = suite::Options {
        jobs: default_jobs(),
        policy: Policy::default(),
        color: false,
        only: None,
    };

    // The reference passes everything.
    let phase = Instant::now();
    let secs = |t: Instant| style.dim(&format!("({:.1} s)", t.elapsed().as_secs_f64()));
    match suite::run(ws, kata, &Subject::Solution, &opts, &mut Quiet)? {
        Outcome::Refused(refusals) => refused(&mut report, "solution", &refusals),
        Outcome::CompileFailed(f) => {
            report.problems.push(format!(
                "the solution does not compile:\n{}",
                crate::report::render_compile_failure(Style::plain(), &f)
            ));
            say(format!("  {} solution compiles", ok(false)));
        }
        Outcome::Ran(results, _) => {
            let tally = Tally::of(results.iter().map(|(_, o)| o));
            report.checks = tally.total;
            let checks: Vec<&suite::Check> = results.iter().map(|(c, _)| c).collect();
            report.check_ids = crate::results::file_order(&checks, &ws.suite_dir(&kata.slug))
                .into_iter()
                .map(|i| crate::results::check_id(checks[i]))
                .collect();
            let recorded: Vec<String> = crate::results::read_checks(&ws.suite_dir(&kata.slug))
                .unwrap_or_default()
                .iter()
                .map(crate::results::check_id)
                .collect();
            if !bless && recorded != report.check_ids {
                report.problems.push(format!(
                    "{}/{} does not list the suite's checks as they run: `cargo xtask verify {} \
                     --bless` records them",
                    ws.display(&ws.suite_dir(&kata.slug)),
                    crate::results::CHECKS_FILE,
                    kata.slug
                ));
            }
            report.solution_passed = tally.all_passed();
            let loom = results.iter().filter(|(c, _)| c.loom).count();
            say(format!(
                "  {} solution passes {} checks ({} loom) {}",
                ok(report.solution_passed),
                tally.total,
                loom,
                secs(phase)
            ));
            for (check, outcome) in results.iter().filter(|(_, o)| o.verdict != Verdict::Pass) {
                let text =
                    crate::report::render_check(Style::plain(), &ws.root, check, outcome, false);
                say(indent(&text));
                report.problems.push(format!(
                    "solution: {} is {}",
                    check.name,
                    outcome.verdict.kind()
                ));
            }
        }
    }

    // The stub fails everything as "not started", at a todo!() in its own source.
    let stub_dir = format!("katas/{}/", kata.slug);
    let phase = Instant::now();
    match suite::run(ws, kata, &Subject::Kata, &opts, &mut Quiet)? {
        Outcome::Refused(refusals) => refused(&mut report, "stub", &refusals),
        Outcome::CompileFailed(f) => {
            report.problems.push(format!(
                "the stub does not compile:\n{}",
                crate::report::render_compile_failure(Style::plain(), &f)
            ));
            say(format!("  {} stub compiles", ok(false)));
        }
        Outcome::Ran(results, warnings) => {
            if !warnings.is_empty() {
                let text = warnings
                    .iter()
                    .map(|w| crate::report::strip_ansi(w))
                    .collect::<Vec<_>>()
                    .join("\n");
                say(format!(
                    "  {} the stub compiles without warnings",
                    ok(false)
                ));
                say(indent(&text));
                report.problems.push(format!(
                    "the stub has {} compiler warning(s)",
                    warnings.len()
                ));
            }
            let wrong: Vec<_> = results
                .iter()
                .filter(|(_, o)| !matches!(&o.verdict, Verdict::NotStarted { location, .. } if location.starts_with(&stub_dir)))
                .collect();
            report.stub_failed = !results.is_empty() && wrong.is_empty();
            say(format!(
                "  {} stub fails all {} checks as not started {}",
                ok(report.stub_failed),
                results.len(),
                secs(phase)
            ));
            for (check, outcome) in wrong {
                let what = match &outcome.verdict {
                    Verdict::NotStarted { location, .. } => {
                        format!("reaches a todo!() outside the stub ({location})")
                    }
                    v => format!("is {} on the stub, not `not started`", v.kind()),
                };
                say(format!("        {}: {what}", check.name));
                report.problems.push(format!("stub: {} {what}", check.name));
            }
        }
    }

    // Every mutant is rejected, and by a deterministic check where possible.
    let mutant_list = match mutants::load(&ws.suite_dir(&kata.slug)) {
        Ok(m) => m,
        Err(e) => {
            report.problems.push(e.0);
            Vec::new()
        }
    };
    report.mutants_total = mutant_list.len();
    for mutant in &mutant_list {
        let phase = Instant::now();
        let mutants::Judged { rejection, problem } =
            mutants::judge(ws, kata, mutant, &opts, mutants::VERIFY_PLACE)?;
        if bless && let Some(r) = &rejection {
            record_killer(ws, &kata.slug, mutant, &r.file, &r.test)?;
        }
        let rejected = rejection.is_some();
        let lucky = rejection.as_ref().is_some_and(mutants::Rejection::lucky);
        if rejected {
            report.mutants_rejected += 1;
        }
        if lucky {
            report.mutants_lucky += 1;
        }
        let status = match (rejected, lucky) {
            (false, _) => style.red("FAIL "),
            (true, true) => style.yellow("WARN "),
            (true, false) => style.green("ok   "),
        };
        say(format!(
            "  {status} mutant {}: {} {}",
            mutant.name,
            rejection.as_ref().map_or_else(
                || "not rejected".to_string(),
                |r| format!("rejected by {} ({})", r.test, r.describe())
            ),
            secs(phase)
        ));
        if lucky {
            say(
                "        rejected by luck only: no deterministic check fails on it (only a \
                 timeout, a crash or a timing check); add a check that asserts the bug"
                    .to_string(),
            );
        }
        if let Some(p) = problem {
            say(indent(&p));
            report.problems.push(p);
        }
        report.mutants.push(MutantReport {
            name: mutant.name.clone(),
            description: mutant.description.clone(),
            rejected,
            killed_by: rejection
                .as_ref()
                .map(|r| format!("{} ({})", r.test, r.verdict)),
            lucky,
            rejection,
        });
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// `slug/mutant` for every mutant rejected by luck only.
fn summary_lucky(reports: &[KataReport]) -> Vec<String> {
    reports
        .iter()
        .flat_map(|r| {
            r.mutants
                .iter()
                .filter(|m| m.lucky)
                .map(move |m| format!("{}/{}", r.slug, m.name))
        })
        .collect()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("        {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the kata's `suite.rs`: a module per suite file (see [`build::suite_root`]).
fn bless_suite_root(ws: &Workspace, slug: &str) -> Result<()> {
    let dir = ws.suite_dir(slug);
    let targets = build::suite_files(&dir)?;
    let root = build::suite_root(slug, &targets);
    let path = dir.join(format!("{}.rs", build::SUITE));
    if std::fs::read_to_string(&path).ok().as_deref() != Some(root.as_str()) {
        std::fs::write(&path, root).context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Records the suite fingerprint of `slug` in the curriculum text, keeping its comments and
/// layout.
fn bless_checksum(ws: &Workspace, slug: &str) -> Result<()> {
    let path = ws.manifest_path();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| crate::err!("cannot read {}: {e}", ws.display(&path)))?;
    let sum = fingerprint(&ws.suite_dir(slug));
    crate::progress::write_atomically(&path, set_checksum(&text, slug, &sum).as_bytes())
}

/// Records the support crates' fingerprint as `support_checksum` at the top of the
/// curriculum (before the first `[[kata]]`).
fn bless_support_checksum(ws: &Workspace) -> Result<()> {
    let path = ws.manifest_path();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| crate::err!("cannot read {}: {e}", ws.display(&path)))?;
    let line = format!(
        "support_checksum = \"{}\"",
        crate::commands::check::support_fingerprint(ws)
    );
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("support_checksum"))
        .map(str::to_string)
        .collect();
    let mut at = lines
        .iter()
        .position(|l| l.trim() == "[[kata]]")
        .unwrap_or(lines.len());
    // One blank line on each side, however many an earlier bless left.
    while at > 0 && lines[at - 1].trim().is_empty() {
        lines.remove(at - 1);
        at -= 1;
    }
    lines.splice(at..at, [String::new(), line, String::new()]);
    let mut out = lines.join("\n");
    out.push('\n');
    crate::progress::write_atomically(&path, out.as_bytes())
}

/// A missing or stale `support_checksum`.
fn support_checksum_problem(ws: &Workspace, curriculum: &Curriculum) -> Option<String> {
    let current = crate::commands::check::support_fingerprint(ws);
    match &curriculum.support_checksum {
        Some(sum) if *sum == current => None,
        Some(_) => Some(
            "the support crates changed since support_checksum was recorded: if that was on \
             purpose, `cargo xtask verify --bless` records the new one"
                .into(),
        ),
        None => Some(
            "no support_checksum in xtask/curriculum.toml: `cargo xtask verify --bless` records it"
                .into(),
        ),
    }
}

/// Records the suite's checks in its `checks.txt`, which `grade` reads when the kata does not
/// compile. Nothing is written when the solution did not run (no checks were listed).
fn bless_checks(ws: &Workspace, slug: &str, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let path = ws.suite_dir(slug).join(crate::results::CHECKS_FILE);
    crate::progress::write_atomically(&path, crate::results::checks_file(ids).as_bytes())
}

/// Records in a mutant's file which check rejected it, for `verify` to try first next time.
fn record_killer(
    ws: &Workspace,
    slug: &str,
    mutant: &mutants::Mutant,
    file: &str,
    test: &str,
) -> Result<()> {
    if mutant
        .killer
        .as_ref()
        .is_some_and(|(f, t)| f == file && t == test)
    {
        return Ok(());
    }
    let path = ws
        .suite_dir(slug)
        .join("mutants")
        .join(format!("{}.patch", mutant.name));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| crate::err!("cannot read {}: {e}", ws.display(&path)))?;
    crate::progress::write_atomically(&path, mutants::set_killer(&text, file, test).as_bytes())
}

/// Sets `suite_checksum = "sum"` in the `[[kata]]` block of `slug` (replacing or inserting it
/// after the `slug` line).
pub fn set_checksum(text: &str, slug: &str, sum: &str) -> String {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut done = false;
    let slug_line = format!("slug = \"{slug}\"");
    for line in text.lines() {
        if line.trim_start().starts_with("[[kata]]") {
            in_block = false;
        }
        if line.trim() == slug_line {
            in_block = true;
            out.push(line.to_string());
            out.push(format!("suite_checksum = \"{sum}\""));
            done = true;
            continue;
        }
        if in_block && line.trim_start().starts_with("suite_checksum") {
            continue;
        }
        out.push(line.to_string());
    }
    let _ = done;
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

/// Static checks of one kata's files.
pub fn tidy_problems(ws: &Workspace, kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let slug = &kata.slug;
    let kata_dir = ws.kata_dir(slug);
    let solution_dir = ws.solution_dir(slug);
    let suite_dir = ws.suite_dir(slug);
    for (dir, what) in [
        (&kata_dir, "katas"),
        (&solution_dir, "solutions"),
        (&suite_dir, "xtask/suites"),
    ] {
        if !dir.is_dir() {
            problems.push(format!("{what}/{slug} is missing"));
        }
    }
    problems.extend(unproven_tests(&suite_dir, slug));
    if !problems.is_empty() {
        return problems;
    }
    match std::fs::read_to_string(kata_dir.join("README.md")) {
        Ok(text) => {
            if !text.contains("<details>") {
                problems.push("README.md has no <details> fold with the interview answers".into());
            }
            if text.lines().count() < 20 {
                problems.push("README.md is too short to state the contract".into());
            }
            if text.contains("TODO") {
                problems.push("README.md still holds TODO placeholders".into());
            }
        }
        Err(_) => problems.push(format!("katas/{slug}/README.md is missing")),
    }
    if kata
        .hints
        .iter()
        .any(|h| h.trim_start().starts_with("TODO"))
    {
        problems.push("a hint in the curriculum is still a TODO placeholder".into());
    }
    if kata.hints.len() < MIN_HINTS {
        problems.push(format!(
            "{} hint(s) in the curriculum; a kata needs at least {MIN_HINTS}",
            kata.hints.len()
        ));
    }
    match mutants::load(&suite_dir) {
        Ok(m) if m.len() < MIN_MUTANTS => problems.push(format!(
            "{} mutant(s); a kata needs at least {MIN_MUTANTS}",
            m.len()
        )),
        Ok(_) => {}
        Err(e) => problems.push(e.0),
    }
    match build::suite_targets(&suite_dir) {
        Ok(targets) => {
            if targets.iter().all(|t| t.loom) {
                problems.push("the suite has no normal (non-loom) test file".into());
            }
            let has_loom = targets.iter().any(|t| t.loom);
            if has_loom != kata.loom.is_some() {
                problems.push(if has_loom {
                    "the suite has loom*.rs models but the curriculum entry has no [kata.loom]"
                        .into()
                } else {
                    "the curriculum entry has [kata.loom] but the suite has no loom*.rs".into()
                });
            }
            let (suite, want) = (build::SUITE, build::suite_manifest_path(slug));
            for (dir, crate_name) in [(&kata_dir, "kata"), (&solution_dir, "solution")] {
                let declared = declared_tests(&dir.join("Cargo.toml"));
                let expected = std::collections::HashMap::from([(suite.to_string(), want.clone())]);
                if declared != expected {
                    problems.push(format!("the {crate_name} Cargo.toml must declare one [[test]]: name = \"{suite}\", path = \"{want}\""));
                }
            }
            for t in targets.iter().filter(|t| t.loom) {
                let text = std::fs::read_to_string(suite_dir.join(format!("{}.rs", t.name)))
                    .unwrap_or_default();
                if !text.contains("#![cfg(loom)]") {
                    problems.push(format!(
                        "{}.rs is a loom model but lacks #![cfg(loom)]",
                        t.name
                    ));
                }
            }
        }
        Err(e) => problems.push(e.0),
    }
    let stub = read_sources(&kata_dir.join("src"));
    if !stub.contains("todo!(") {
        problems.push("the stub holds no todo!()".into());
    }
    let solution = read_sources(&solution_dir.join("src"));
    if solution.contains("todo!(") || solution.contains("unimplemented!(") {
        problems.push("the solution still holds todo!() or unimplemented!()".into());
    }
    for (name, text) in [("stub", &stub), ("solution", &solution)] {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("unsafe {") || code.contains("unsafe impl") {
                let documented = lines[i.saturating_sub(4)..i]
                    .iter()
                    .chain(std::iter::once(line))
                    .any(|l| l.contains("SAFETY:"));
                if !documented {
                    problems.push(format!(
                        "{name}: an unsafe without a // SAFETY: comment: `{}`",
                        line.trim()
                    ));
                }
            }
        }
    }
    if crate::results::read_checks(&suite_dir).is_none() {
        problems.push(format!(
            "no {} in the suite folder (the checks `grade` lists while the kata does not \
             compile): `cargo xtask verify {slug} --bless` records it",
            crate::results::CHECKS_FILE
        ));
    }
    let sum = fingerprint(&suite_dir);
    match &kata.suite_checksum {
        None => problems.push(format!(
            "no suite_checksum recorded in xtask/curriculum.toml: `cargo xtask verify {slug} --bless` records it"
        )),
        Some(recorded) if *recorded != sum => problems.push(format!(
            "the suite changed since its suite_checksum was recorded: if that was on purpose, \
             `cargo xtask verify {slug} --bless` records the new one"
        )),
        Some(_) => {}
    }
    if let Ok(entries) = std::fs::read_dir(suite_dir.join("snapshots")) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().ends_with(".snap.new") {
                problems.push(format!("a pending snapshot: {}", e.path().display()));
            }
        }
    }
    problems.extend(crate::translations::kata_problems(ws, kata));
    problems
}

fn declared_tests(manifest: &std::path::Path) -> std::collections::HashMap<String, String> {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Default::default();
    };
    let Ok(table) = toml::from_str::<toml::Table>(&text) else {
        return Default::default();
    };
    table
        .get("test")
        .and_then(|t| t.as_array())
        .map(|tests| {
            tests
                .iter()
                .filter_map(|t| {
                    Some((
                        t.get("name")?.as_str()?.to_string(),
                        t.get("path")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn read_sources(dir: &std::path::Path) -> String {
    let mut out = String::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                out.push_str(&read_sources(&p));
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    out
}

/// Folders and curriculum agree: every kata folder is in the curriculum and vice versa.
fn layout_problems(ws: &Workspace, curriculum: &Curriculum) -> Vec<String> {
    let mut problems = Vec::new();
    // The sealed build gives a kata's library the curriculum's dependencies: its own
    // Cargo.toml must say the same, or `cargo test` and the grade would differ.
    for kata in &curriculum.katas {
        let manifest = ws.kata_dir(&kata.slug).join("Cargo.toml");
        let listed: Vec<String> = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .and_then(|t| {
                t.get("dependencies")?
                    .as_table()
                    .map(|d| d.keys().cloned().collect())
            })
            .unwrap_or_default();
        // An earlier kata is listed under its package name (`spsc-ring`), by path.
        let mut wanted: Vec<String> = kata
            .crate_dependencies()
            .chain(kata.kata_dependencies().map(crate::workspace::package_name))
            .map(str::to_string)
            .collect();
        wanted.sort();
        if listed != wanted {
            problems.push(format!(
                "katas/{}/Cargo.toml lists dependencies {listed:?}, the curriculum {wanted:?}",
                kata.slug
            ));
        }
    }
    for parent in ["katas", "solutions", "xtask/suites"] {
        let Ok(entries) = std::fs::read_dir(ws.root.join(parent)) else {
            problems.push(format!("{parent}/ is missing"));
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() && curriculum.position(&name).is_none() {
                problems.push(format!("{parent}/{name} is not in xtask/curriculum.toml"));
            }
        }
    }
    problems
}

/// `cargo test` over the default members: the grader's own tests (hostile fixtures
/// included), the support crates, the solutions' unit and doc tests.
fn workspace_tests(ws: &Workspace, human: bool) -> Result<(bool, String)> {
    let mut cmd = build::cargo();
    cmd.arg("test")
        .arg("--manifest-path")
        .arg(ws.root.join("Cargo.toml"))
        .current_dir(&ws.root)
        .stdin(Stdio::null());
    let out = cmd
        .output()
        .map_err(|e| crate::err!("cannot run cargo test: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let (mut passed, mut failed) = (0u64, 0u64);
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test result: ") {
            let num = |word: &str| {
                rest.split(';')
                    .find_map(|part| {
                        part.trim()
                            .strip_suffix(word)?
                            .trim()
                            .rsplit(' ')
                            .next()?
                            .parse::<u64>()
                            .ok()
                    })
                    .unwrap_or(0)
            };
            passed += num("passed");
            failed += num("failed");
        }
    }
    let ok = out.status.success();
    if !ok && human {
        println!("{stdout}");
        println!("{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok((ok, format!("{passed} tests passed, {failed} failed")))
}

/// The sealed build refused a kata's source.
fn refused(report: &mut KataReport, what: &str, refusals: &[crate::sandbox::source::Refusal]) {
    for r in refusals {
        report.problems.push(format!("the {what} was refused: {r}"));
    }
}

/// Suite tests without `#[testkit::check]` right above their test attribute: under the grader
/// they could never pass, since nothing would prove their body returned.
fn unproven_tests(suite_dir: &std::path::Path, slug: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(suite_dir) else {
        return problems;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut previous = "";
        for (i, line) in text.lines().enumerate() {
            let attr = line.trim();
            let is_test = matches!(attr, "#[test]" | "#[rstest]" | "#[rstest::rstest]");
            if is_test && previous != "#[testkit::check]" {
                problems.push(format!(
                    "xtask/suites/{slug}/{}:{}: a test without `#[testkit::check]` above `{attr}`",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    i + 1
                ));
            }
            previous = attr;
        }
    }
    problems
}
