//! Classroom results for machines, each shaped for the consumer that reads it:
//!
//! - `results.json`: Exercism's results.json version 3 (top-level `message` only with status
//!   `error`, `output` only what the learner's code printed and at most 500 characters, tests
//!   in file order), plus the fields GitHub Classroom's reporter reads (`max_score`, per test
//!   `score` and `line_no`).
//! - one Classroom reporter result per kata ([`runner_result`]): a compact document kept under
//!   [`RUNNER_BUDGET`], because the reporter receives it as one environment variable and Linux
//!   caps one environment string at 128 KiB.
//! - `junit.xml`, valid against the junit-10 XSD (Jenkins xUnit), the schema most JUnit readers
//!   accept; file and line live where that schema allows them.
//! - the GitHub step summary and `::error` annotations.
//!
//! Scores are exact binary fractions (multiples of 1/[`SCORE_GRID`]), so every total a
//! consumer adds up in floating point is exact and prints without noise.

use std::path::Path;

use serde::Serialize;

use crate::build::CompileFailure;
use crate::suite::Check;
use crate::verdict::Verdict;

/// Characters of a test's `output` (Exercism: at most 500, truncation notice included).
pub const OUTPUT_CHARS: usize = 500;
/// The end of an `output` that was cut: the notice Exercism's interface suggests.
pub const OUTPUT_TRUNCATED: &str = "\nOutput was truncated. Please limit to 500 chars";
/// Characters of the top-level `message` (Exercism: at most 65535).
pub const MESSAGE_CHARS: usize = 65_535;
/// Characters of a test's source kept in `test_code`.
const CODE_CHARS: usize = 4000;
/// A kata's score is a multiple of 1/128 point: exact in binary floating point, and within
/// 1/256 point (under a cent) of points × passed / checks, the reporter's own arithmetic.
pub const SCORE_GRID: u64 = 128;
/// Soft cap, in base64 characters, of one kata's Classroom reporter result: an eighth of the
/// 128 KiB one environment string may hold. Past it, test code and messages are cut first;
/// every check stays listed.
pub const RUNNER_BUDGET: usize = 16 * 1024;
/// Soft cap of all the katas' reporter results together: every later step of the job
/// inherits them, and argv + environment share 2 MiB (ARG_MAX) on GitHub's runners.
pub const RUNNERS_BUDGET: usize = 512 * 1024;
/// The file in a suite folder that lists its checks (written by `verify --bless`).
pub const CHECKS_FILE: &str = "checks.txt";

/// The results document.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Exercism results.json version.
    pub version: u32,
    /// `pass` (every check passed), `fail` (some did not), `error` (every check errored:
    /// nothing could run, e.g. no kata compiles).
    pub status: String,
    /// Why nothing could run; only with status `error` (null otherwise).
    pub message: Option<String>,
    /// GitHub Classroom: the sum of the graded katas' points.
    pub max_score: f64,
    /// The points earned (exact: a sum of multiples of 1/[`SCORE_GRID`]).
    pub score: f64,
    /// One entry per check, katas in curriculum order, checks in file order.
    pub tests: Vec<TestResult>,
}

/// One check.
#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    /// `NN-kata / suite file / check name in words`.
    pub name: String,
    /// `pass`, `fail` (assertion, not started) or `error` (timeout, crash, no result, not
    /// run, does not compile).
    pub status: String,
    /// What went wrong, in the report's words.
    pub message: Option<String>,
    /// What the learner's code printed, at most [`OUTPUT_CHARS`] characters (absent when
    /// nothing was printed, and for passing checks, whose output libtest does not show).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The test's source.
    pub test_code: String,
    /// The kata number (0, and then omitted, for a run that could not tell katas apart).
    #[serde(skip_serializing_if = "no_task")]
    pub task_id: u32,
    /// Points: this check's part of the kata's score ([`kata_score`]).
    pub score: f64,
    /// Where to look: the learner's line for not-started and failing code, else the suite file.
    pub filename: String,
    /// Line in `filename` (1-based; 0 when unknown).
    pub line_no: u32,
    /// Milliseconds.
    pub duration: u64,
    /// The grader's verdict kind (`pass`, `fail`, `not_started`, `timeout`, `crash`,
    /// `no_result`, `skipped`, `compile_error`, `not_graded`).
    pub verdict: String,
    /// The kata slug.
    pub kata: String,
}

fn no_task(task_id: &u32) -> bool {
    *task_id == 0
}

/// Maps a verdict to Exercism's pass / fail / error.
pub fn status_of(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail { .. } | Verdict::NotStarted { .. } => "fail",
        Verdict::Timeout { .. }
        | Verdict::Crash { .. }
        | Verdict::NoResult { .. }
        | Verdict::Skipped { .. } => "error",
    }
}

/// The message of a verdict in words (none for a pass).
pub fn message_of(verdict: &Verdict) -> Option<String> {
    match verdict {
        Verdict::Pass => None,
        Verdict::Fail {
            message,
            location,
            minimal_input,
        } => {
            let mut m = message.clone();
            if let Some(input) = minimal_input {
                m.push_str(&format!("\nminimal failing input: {input}"));
            }
            if let Some(l) = location {
                m.push_str(&format!("\nat {l}"));
            }
            Some(m)
        }
        Verdict::NotStarted { location, message } => Some(format!(
            "not started: a todo!() was reached at {location}{}",
            if message.is_empty() {
                String::new()
            } else {
                format!(" ({message})")
            }
        )),
        Verdict::Timeout { after, stuck_at } => Some(format!(
            "killed after {} s: likely a deadlock or an infinite loop{}",
            after.as_secs(),
            stuck_at
                .as_ref()
                .map(|s| format!(
                    "; `{}` was running when it was stopped ({})",
                    s.function, s.location
                ))
                .unwrap_or_default()
        )),
        Verdict::Crash { detail, .. } => Some(format!("the test process crashed: {detail}")),
        Verdict::NoResult { detail } => Some(detail.clone()),
        Verdict::Skipped { reason } => Some(reason.describe()),
    }
}

/// The overall status and message of a set of tests, by Exercism's rules: `error` only when
/// every test errored (then `message` says why: `why` if given, else the first test's
/// message), otherwise `pass` or `fail` with no message.
pub fn overall(tests: &[TestResult], why: Option<&str>) -> (String, Option<String>) {
    if !tests.is_empty() && tests.iter().all(|t| t.status == "pass") {
        return ("pass".into(), None);
    }
    if tests.iter().all(|t| t.status == "error") {
        let message = why
            .map(str::to_string)
            .or_else(|| tests.first().and_then(|t| t.message.clone()))
            .unwrap_or_else(|| "nothing could be graded".into());
        return ("error".into(), Some(cap(&message, MESSAGE_CHARS)));
    }
    ("fail".into(), None)
}

// ---- scores ------------------------------------------------------------------------------

/// A kata's score when `passed` of its `checks` pass: points × passed / checks, rounded to the
/// nearest multiple of 1/[`SCORE_GRID`] (so it is exact, and full points when all pass).
pub fn kata_score(points: u32, passed: usize, checks: usize) -> f64 {
    units_to_points(kata_units(points, passed, checks))
}

fn kata_units(points: u32, passed: usize, checks: usize) -> u64 {
    if checks == 0 {
        return 0;
    }
    let (p, n) = (passed.min(checks) as u64, checks as u64);
    // Round half up: (2·P·grid·p + n) / 2n.
    (2 * u64::from(points) * SCORE_GRID * p + n) / (2 * n)
}

fn units_to_points(units: u64) -> f64 {
    units as f64 / SCORE_GRID as f64
}

/// Each check's part of its kata's score, in check order: the kata's score split as evenly as
/// the grid allows over the passing checks (0 for the others). The parts add up exactly.
pub fn check_scores(points: u32, passing: &[bool]) -> Vec<f64> {
    let passed = passing.iter().filter(|p| **p).count();
    let units = kata_units(points, passed, passing.len());
    let mut seen = 0u64;
    passing
        .iter()
        .map(|&pass| {
            if !pass {
                return 0.0;
            }
            let p = passed as u64;
            let part = units * (seen + 1) / p - units * seen / p;
            seen += 1;
            units_to_points(part)
        })
        .collect()
}

/// Points for people: at most two decimals, no trailing zeros (`20`, `7.5`, `3.84`).
pub fn points(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

// ---- what the learner printed ------------------------------------------------------------

/// What the learner's code printed during a test, from the test process's captured output:
/// libtest's own lines ("running 1 test", "failures:", the summary) and panic reports (already
/// in the message) are left out. None when nothing is left.
pub fn learner_output(raw: &str) -> Option<String> {
    let text = crate::report::strip_ansi(raw);
    let mut kept: Vec<&str> = Vec::new();
    // Inside libtest's `---- NAME stdout ----` section.
    let mut in_section = false;
    // After a panic report: skipped to the end of the section (or to a blank line outside).
    let mut in_panic = false;
    // In libtest's closing list of failed test names.
    let mut in_failure_list = false;
    for line in text.lines() {
        let t = line.trim_end();
        if t.starts_with("---- ") && (t.ends_with(" stdout ----") || t.ends_with(" stderr ----")) {
            in_section = true;
            in_panic = false;
            in_failure_list = false;
            continue;
        }
        if t == "failures:" || t == "successes:" {
            in_failure_list = true;
            in_section = false;
            in_panic = false;
            continue;
        }
        if in_failure_list {
            if t.is_empty() || t.starts_with("    ") {
                continue;
            }
            in_failure_list = false;
        }
        let libtest = (t.starts_with("running ")
            && (t.ends_with(" test") || t.ends_with(" tests")))
            || (t.starts_with("test ")
                && (t.ends_with(" ... ok")
                    || t.ends_with(" ... FAILED")
                    || t.ends_with(" ... ignored")
                    || t.contains(" ... ignored, ")))
            || t.starts_with("test result: ");
        if libtest {
            continue;
        }
        if t.starts_with("thread '") && t.contains(" panicked at ") {
            in_panic = true;
            continue;
        }
        if t.starts_with("note: run with `RUST_BACKTRACE=") {
            if !in_section {
                in_panic = false;
            }
            continue;
        }
        if in_panic {
            if !in_section && t.is_empty() {
                in_panic = false;
            }
            continue;
        }
        kept.push(line);
    }
    let text = kept.join("\n");
    let text = text.trim_matches('\n');
    (!text.trim().is_empty()).then(|| cap_output(text))
}

/// `text` cut to at most [`OUTPUT_CHARS`] characters, ending with [`OUTPUT_TRUNCATED`] when
/// it was cut.
pub fn cap_output(text: &str) -> String {
    if text.chars().count() <= OUTPUT_CHARS {
        return text.to_string();
    }
    let keep = OUTPUT_CHARS - OUTPUT_TRUNCATED.chars().count();
    let cut = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    format!("{}{OUTPUT_TRUNCATED}", &text[..cut])
}

/// The first `n` characters of `text` (on a char boundary), marked when cut.
pub fn cap(text: &str, n: usize) -> String {
    match text.char_indices().nth(n.saturating_sub(1)) {
        Some((i, _)) if text.chars().count() > n => format!("{}…", &text[..i]),
        _ => text.to_string(),
    }
}

// ---- test sources and file order --------------------------------------------------------

/// Where a test's `fn` starts in a suite file (byte offset), trying the libtest name's path
/// from the end: rstest cases (`table::case_2_x`) and value matrices (`f::a_1::b_2`) live in
/// the function their module is named after.
fn fn_position(source: &str, name: &str) -> Option<usize> {
    name.rsplit("::").find_map(|part| {
        let needle = format!("fn {part}");
        source.match_indices(&needle).map(|(i, _)| i).find(|&i| {
            let after = &source[i + needle.len()..];
            let before_ok =
                i == 0 || !source[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            before_ok
                && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                && after.trim_start().starts_with(['(', '<'])
        })
    })
}

/// The 1-based line of a test's `fn` in a suite file (0 when not found).
pub fn test_line(source: &str, name: &str) -> u32 {
    fn_position(source, name).map_or(0, |start| source[..start].matches('\n').count() as u32 + 1)
}

/// The source of a test's `fn` in a suite file with the attributes and comments just above
/// it, and its 1-based line; empty and 0 when not found.
pub fn test_source(source: &str, name: &str) -> (String, u32) {
    let Some(start) = fn_position(source, name) else {
        return (String::new(), 0);
    };
    let line = source[..start].matches('\n').count() as u32 + 1;
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut from = line_start;
    for prev in source[..line_start].lines().rev() {
        let t = prev.trim_start();
        if t.starts_with("#[") || t.starts_with("///") || t.starts_with("//") {
            from -= prev.len() + 1;
        } else {
            break;
        }
    }
    let mut depth = 0usize;
    let mut end = source.len();
    let mut opened = false;
    for (i, c) in source[start..].char_indices() {
        match c {
            '{' => {
                depth += 1;
                opened = true;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if opened && depth == 0 {
                    end = start + i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    (cap(&source[from.min(start)..end], CODE_CHARS), line)
}

/// The order in which checks are reported: suite files in the order they first appear, and
/// within a file by where the test's `fn` is written (libtest lists alphabetically, so rstest
/// case tables would otherwise follow tests written after them). Returns indices into
/// `checks`.
pub fn file_order(checks: &[&Check], suite_dir: &Path) -> Vec<usize> {
    let mut targets: Vec<&str> = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for c in checks {
        if !targets.contains(&c.target.as_str()) {
            targets.push(&c.target);
            sources.push(
                std::fs::read_to_string(suite_dir.join(format!("{}.rs", c.target)))
                    .unwrap_or_default(),
            );
        }
    }
    let mut order: Vec<usize> = (0..checks.len()).collect();
    order.sort_by_cached_key(|&i| {
        let c = checks[i];
        let t = targets.iter().position(|t| *t == c.target).unwrap_or(0);
        let at = fn_position(&sources[t], &c.name).unwrap_or(usize::MAX);
        (t, at, i)
    });
    order
}

/// A check's id in [`CHECKS_FILE`]: `suite file/libtest name`.
pub fn check_id(check: &Check) -> String {
    format!("{}/{}", check.target, check.name)
}

/// The text of a suite's [`CHECKS_FILE`].
pub fn checks_file(ids: &[String]) -> String {
    let mut out = String::from(
        "# The checks of this suite in report order, one `suite file/test name` a line.\n\
         # Written by `cargo xtask verify --bless`; `cargo xtask grade` lists them as errors\n\
         # while a kata does not compile, so a class sees every check it will be graded on.\n",
    );
    for id in ids {
        out.push_str(id);
        out.push('\n');
    }
    out
}

/// The checks listed in a suite folder's [`CHECKS_FILE`] (None when there is none).
pub fn read_checks(suite_dir: &Path) -> Option<Vec<Check>> {
    let text = std::fs::read_to_string(suite_dir.join(CHECKS_FILE)).ok()?;
    let checks: Vec<Check> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (target, name) = l.split_once('/')?;
            Some(Check {
                target: target.to_string(),
                name: name.to_string(),
                loom: target.starts_with("loom"),
            })
        })
        .collect();
    (!checks.is_empty()).then_some(checks)
}

// ---- compile errors ----------------------------------------------------------------------

/// Why a kata does not compile, for the summary and the annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// rustc's first error, whole, as rustc rendered it (paths tidied).
    pub first: String,
    /// How many more errors there were.
    pub more: usize,
    /// The learner's file the first error points at (`katas/<slug>/src/lib.rs` when it
    /// points elsewhere, such as into a suite, or nowhere).
    pub file: String,
    /// Its line (0 when the error is not in the learner's file).
    pub line: u32,
    /// Its column (0 when unknown).
    pub col: u32,
}

impl CompileError {
    /// From a failed build of kata `slug`.
    pub fn of(slug: &str, failure: &CompileFailure) -> Self {
        let first = failure
            .errors
            .first()
            .map(|e| crate::report::tidy_paths(crate::report::strip_ansi(e).trim_end()))
            .unwrap_or_else(|| {
                format!(
                    "cargo could not build the tests:\n{}",
                    crate::report::strip_ansi(&failure.cargo_stderr).trim_end()
                )
            });
        let more = failure.total.saturating_sub(1);
        let lib = format!("katas/{slug}/src/lib.rs");
        let (file, line, col) = first
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("--> "))
            .and_then(|at| learner_file(slug, at.trim()))
            .unwrap_or((lib, 0, 0));
        Self {
            first,
            more,
            file,
            line,
            col,
        }
    }

    /// The whole message: the first error and how many followed.
    pub fn text(&self, slug: &str) -> String {
        let mut text = format!("katas/{slug} does not compile:\n{}", self.first);
        if self.more > 0 {
            text.push_str(&format!(
                "\n… and {} more error{} (the first one often causes the rest)",
                self.more,
                if self.more == 1 { "" } else { "s" }
            ));
        }
        text
    }
}

/// `…/katas/<slug>/src/lib.rs:41:9` (or `src/lib.rs:41:9`) → the learner's file, line, column.
fn learner_file(slug: &str, at: &str) -> Option<(String, u32, u32)> {
    let mut parts = at.rsplitn(3, ':');
    let col: u32 = parts.next()?.parse().ok()?;
    let line: u32 = parts.next()?.parse().ok()?;
    let path = parts.next()?.replace('\\', "/");
    let marker = format!("katas/{slug}/");
    let rel = if let Some(i) = path.find(&marker) {
        path[i + marker.len()..].to_string()
    } else if path.starts_with("src/") {
        path
    } else {
        return None;
    };
    let rel = rel.trim_start_matches("./");
    (!rel.contains("..")).then(|| (format!("{marker}{rel}"), line, col))
}

// ---- GitHub Classroom's reporter --------------------------------------------------------

/// The reporter's runner id of a kata: `kata` and its number (`kata04`). The reporter wants
/// letters and digits only, and reads the result from `<ID in capitals>_RESULTS`.
pub fn runner_id(task_id: u32) -> String {
    format!("kata{task_id:02}")
}

/// The environment variable the reporter reads a runner's result from.
pub fn runner_var(id: &str) -> String {
    format!("{}_RESULTS", id.to_uppercase())
}

#[derive(Serialize)]
struct RunnerResult<'a> {
    version: u32,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    max_score: f64,
    tests: Vec<RunnerTest<'a>>,
}

#[derive(Serialize)]
struct RunnerTest<'a> {
    name: String,
    status: &'a str,
    score: f64,
    line_no: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_code: Option<String>,
    #[serde(skip_serializing_if = "no_task")]
    task_id: u32,
}

/// Characters of rustc's error kept in a reporter result, whatever else is cut.
const COMPILE_ERROR_CHARS: usize = 6000;

/// How much of a reporter result's fields one level keeps. (A failed check's message is
/// never kept: the reporter does not print it; results.json has it.)
struct Level {
    /// Characters of a check's name.
    name: usize,
    /// Leave out the `NN-kata / ` a name starts with (the runner already names the kata).
    short_names: bool,
    /// Characters of a check's test code (only for checks that did not pass: a passing
    /// check's line is enough).
    code: usize,
    /// Characters of an errored check's message (the reporter prints it).
    error_message: usize,
    /// Keep `task_id` (the reporter does not read it).
    task_ids: bool,
}

const fn level(name: usize, code: usize, error_message: usize) -> Level {
    Level {
        name,
        short_names: false,
        code,
        error_message,
        task_ids: true,
    }
}

const fn bare(name: usize, error_message: usize) -> Level {
    Level {
        name,
        short_names: true,
        code: 0,
        error_message,
        task_ids: false,
    }
}

/// From generous to bare: the first level whose result fits the budget is used.
const LEVELS: [Level; 10] = [
    level(200, 2000, 4000),
    level(200, 800, 2000),
    level(200, 400, 1200),
    level(200, 200, 600),
    level(160, 0, 300),
    bare(80, 120),
    bare(48, 120),
    bare(32, 80),
    bare(24, 40),
    bare(16, 0),
];

/// One reporter result (base64 of a compact JSON document) for `doc`, the results of one
/// kata: the fields the reporter reads, cut down until it fits `budget` base64 characters.
/// Every check is always listed with its status, score and line, so the reporter's
/// arithmetic (passed / checks × max_score, and the sum of scores) holds whatever is cut.
pub fn runner_result(doc: &Results, budget: usize) -> String {
    // rustc's error, on the first check of a kata that does not compile, is kept whole.
    let compile_error = doc.tests.iter().position(|t| t.verdict == "compile_error");
    let mut encoded = String::new();
    for level in &LEVELS {
        let compact = RunnerResult {
            version: doc.version,
            status: &doc.status,
            message: doc
                .message
                .as_ref()
                .map(|m| cap(m, level.error_message.max(120))),
            max_score: doc.max_score,
            tests: doc
                .tests
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let message_cap = if compile_error == Some(i) {
                        COMPILE_ERROR_CHARS
                    } else if t.status == "error" {
                        level.error_message
                    } else {
                        0
                    };
                    let prefix = format!("{} / ", t.kata);
                    let name = match t.name.strip_prefix(&prefix) {
                        Some(short) if level.short_names => short,
                        _ => &t.name,
                    };
                    RunnerTest {
                        name: cap(name, level.name),
                        status: &t.status,
                        score: t.score,
                        line_no: t.line_no,
                        message: t
                            .message
                            .as_ref()
                            .filter(|_| message_cap > 0)
                            .map(|m| cap(m, message_cap)),
                        test_code: (level.code > 0
                            && t.status != "pass"
                            && !t.test_code.is_empty())
                        .then(|| cap(&t.test_code, level.code)),
                        task_id: if level.task_ids { t.task_id } else { 0 },
                    }
                })
                .collect(),
        };
        let json = serde_json::to_string(&compact).unwrap_or_default();
        encoded = base64(json.as_bytes());
        if encoded.len() <= budget {
            break;
        }
    }
    encoded
}

/// The budget of each of `runners` reporter results: [`RUNNER_BUDGET`], shared out when many
/// katas together would pass [`RUNNERS_BUDGET`].
pub fn runner_budget(runners: usize) -> usize {
    RUNNER_BUDGET.min(RUNNERS_BUDGET / runners.max(1))
}

// ---- JUnit -------------------------------------------------------------------------------

/// JUnit XML valid against the junit-10 XSD: one testsuite per kata (its `file` attribute is
/// the learner's `katas/<slug>/src/lib.rs`), one testcase per check. The schema has no
/// `file` or `line` on a testcase, so each check's place is a testsuite property
/// (`location: <check>` = `file:line`) and the last line of its failure text
/// (` at file:line`, which action-junit-report resolves against the testsuite's file).
pub fn junit(results: &Results) -> String {
    let mut katas: Vec<&str> = Vec::new();
    for t in &results.tests {
        if !katas.contains(&t.kata.as_str()) {
            katas.push(&t.kata);
        }
    }
    let count = |ts: &[&TestResult], status: &str| ts.iter().filter(|t| t.status == status).count();
    let secs = |ts: &[&TestResult]| ts.iter().map(|t| t.duration).sum::<u64>() as f64 / 1000.0;
    let all: Vec<&TestResult> = results.tests.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"latency-katas\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">\n",
        all.len(),
        count(&all, "fail"),
        count(&all, "error"),
        secs(&all)
    ));
    for kata in katas {
        let tests: Vec<&TestResult> = results.tests.iter().filter(|t| t.kata == kata).collect();
        let score: f64 = tests.iter().map(|t| t.score).sum();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{:.3}\"{}>\n",
            xml(if kata.is_empty() { "latency-katas" } else { kata }),
            tests.len(),
            count(&tests, "fail"),
            count(&tests, "error"),
            secs(&tests),
            if kata.is_empty() {
                String::new()
            } else {
                format!(" file=\"katas/{}/src/lib.rs\"", xml(kata))
            }
        ));
        out.push_str("    <properties>\n");
        out.push_str(&format!(
            "      <property name=\"score\" value=\"{score}\"/>\n"
        ));
        for t in &tests {
            out.push_str(&format!(
                "      <property name=\"location: {}\" value=\"{}\"/>\n",
                xml(&t.name),
                xml(&location(t))
            ));
        }
        out.push_str("    </properties>\n");
        for t in tests {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                xml(kata),
                xml(&t.name),
                t.duration as f64 / 1000.0
            ));
            if t.status == "pass" {
                out.push_str("/>\n");
                continue;
            }
            let tag = if t.status == "error" {
                "error"
            } else {
                "failure"
            };
            let message = t.message.clone().unwrap_or_default();
            let first = message.lines().next().unwrap_or("");
            out.push_str(&format!(
                ">\n      <{tag} type=\"{}\" message=\"{}\">{}\nat {}</{tag}>\n",
                xml(&t.verdict),
                xml(first),
                xml(&message),
                xml(&location(t))
            ));
            if let Some(output) = &t.output {
                out.push_str(&format!("      <system-out>{}</system-out>\n", xml(output)));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn location(t: &TestResult) -> String {
    if t.line_no > 0 {
        format!("{}:{}", t.filename, t.line_no)
    } else {
        t.filename.clone()
    }
}

/// Escapes text for XML attributes and content, dropping ANSI escapes and the characters
/// XML 1.0 forbids (controls other than tab and newlines, U+FFFE, U+FFFF).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::text::xml_safe(&crate::text::strip_ansi(text)).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 (with padding), for results handed over in environment variables.
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---- GitHub step summary and annotations ------------------------------------------------

/// One kata's line in the step summary.
#[derive(Debug, Clone)]
pub struct KataSummary {
    /// The slug.
    pub slug: String,
    /// Its points.
    pub points: u32,
    /// Points earned.
    pub score: f64,
    /// Checks passed.
    pub passed: usize,
    /// Checks in all.
    pub checks: usize,
    /// Why it does not compile, if so.
    pub compile_error: Option<CompileError>,
    /// It could not be graded at all (its folder or suite is missing, or the run failed).
    pub not_graded: bool,
}

impl KataSummary {
    /// `61/61 pass`, `does not compile` or `not graded`.
    pub fn status(&self) -> String {
        if self.compile_error.is_some() {
            "does not compile".into()
        } else if self.not_graded {
            "not graded".into()
        } else {
            format!("{}/{} pass", self.passed, self.checks)
        }
    }
}

/// Failing checks listed in the summary (GitHub caps a step summary at 1 MiB).
const SUMMARY_CHECKS: usize = 200;

/// The Markdown step summary: one row per kata, each compile error once and whole, then the
/// checks that did not pass, folded.
pub fn step_summary(results: &Results, katas: &[KataSummary]) -> String {
    let mut out = format!(
        "## latency-katas: {} / {} points\n\n| kata | points | checks |\n|---|---|---|\n",
        points(results.score),
        points(results.max_score)
    );
    for k in katas {
        out.push_str(&format!(
            "| {} | {} / {} | {} |\n",
            k.slug,
            points(k.score),
            k.points,
            k.status()
        ));
    }
    for k in katas {
        let Some(e) = &k.compile_error else { continue };
        let at = if e.line > 0 {
            format!("`{}:{}`", e.file, e.line)
        } else {
            format!("`{}`", e.file)
        };
        out.push_str(&format!(
            "\n### {} does not compile\n\n{at}, rustc's first error{}:\n\n",
            k.slug,
            match e.more {
                0 => String::new(),
                1 => " (1 more follows)".into(),
                n => format!(" ({n} more follow)"),
            }
        ));
        out.push_str(&fenced(&e.first));
    }
    let broken: Vec<&str> = katas
        .iter()
        .filter(|k| k.compile_error.is_some())
        .map(|k| k.slug.as_str())
        .collect();
    let failing: Vec<&TestResult> = results
        .tests
        .iter()
        .filter(|t| t.status != "pass" && !broken.contains(&t.kata.as_str()))
        .collect();
    if !failing.is_empty() {
        out.push_str(&format!(
            "\n<details><summary>{} checks did not pass</summary>\n\n",
            failing.len()
        ));
        for t in failing.iter().take(SUMMARY_CHECKS) {
            let msg = cap(t.message.as_deref().unwrap_or(""), 300).replace('\n', " ");
            out.push_str(&format!("- **{}**: {}\n", md(&t.name), md(&msg)));
        }
        if failing.len() > SUMMARY_CHECKS {
            out.push_str(&format!(
                "- … and {} more\n",
                failing.len() - SUMMARY_CHECKS
            ));
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// `text` in a Markdown code block whose fence is longer than any backtick run inside.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", text.trim_end())
}

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('<', "&lt;")
}

/// A GitHub Actions `::error` annotation (line and column only when known).
pub fn annotation(file: &str, line: u32, col: u32, title: &str, message: &str) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    let mut props = format!("file={}", prop(file));
    if line > 0 {
        props.push_str(&format!(",line={line}"));
        if col > 0 {
            props.push_str(&format!(",col={col}"));
        }
    }
    format!("::error {props},title={}::{}", prop(title), esc(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn xml_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(
            xml("a<b & \"c\"\u{1}\u{FFFF}\r"),
            "a&lt;b &amp; &quot;c&quot;&#13;"
        );
    }

    #[test]
    fn a_test_source_is_found_with_its_attributes() {
        let src =
            "use x;\n\n/// Doc.\n#[test]\nfn the_one() {\n    if a { b }\n}\n\nfn other() {}\n";
        let (code, line) = test_source(src, "the_one");
        assert_eq!(line, 5);
        assert!(
            code.starts_with("/// Doc.\n#[test]\nfn the_one()"),
            "{code}"
        );
        assert!(code.ends_with("}\n}"), "{code}");
        let (_, line) = test_source(src, "table::case_2_x");
        assert_eq!(line, 0);
    }

    #[test]
    fn rstest_cases_and_value_matrices_find_their_function() {
        let src = "#[rstest]\n#[case(1)]\nfn table(#[case] a: u8) {}\n\n#[rstest]\nfn matrix(#[values(1, 2)] budget: u8, #[values(3)] b: u8) {\n}\n";
        assert_eq!(test_source(src, "table::case_1").1, 3);
        let (code, line) = test_source(src, "matrix::budget_1_1::b_1_3");
        assert_eq!(line, 6);
        assert!(code.starts_with("#[rstest]\nfn matrix("), "{code}");
        // A name that is only a prefix of a fn is not that fn.
        assert_eq!(test_source("fn tablet() {}\n", "table").1, 0);
    }

    #[test]
    fn checks_follow_the_file_not_the_alphabet() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.rs"),
            "#[test]\nfn zebra() {}\n#[rstest]\n#[case(1)]\nfn table(#[case] x: u8) {}\n#[test]\nfn apple() {}\n",
        )
        .unwrap();
        let check = |target: &str, name: &str| Check {
            target: target.into(),
            name: name.into(),
            loom: false,
        };
        // libtest's order: alphabetical.
        let checks = [
            check("a", "apple"),
            check("a", "table::case_1"),
            check("a", "table::case_2"),
            check("a", "zebra"),
        ];
        let refs: Vec<&Check> = checks.iter().collect();
        let order = file_order(&refs, dir.path());
        let names: Vec<&str> = order.iter().map(|&i| checks[i].name.as_str()).collect();
        assert_eq!(names, ["zebra", "table::case_1", "table::case_2", "apple"]);
    }

    #[test]
    fn the_checks_file_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let ids = vec!["basics/one".to_string(), "loom_x/model::two".to_string()];
        std::fs::write(dir.path().join(CHECKS_FILE), checks_file(&ids)).unwrap();
        let checks = read_checks(dir.path()).unwrap();
        assert_eq!(checks.iter().map(check_id).collect::<Vec<_>>(), ids);
        assert!(checks[1].loom && !checks[0].loom);
    }

    #[test]
    fn kata_scores_are_exact_binary_fractions_close_to_the_proportion() {
        for checks in 1..=120usize {
            for points in [1u32, 3, 10, 25] {
                assert_eq!(kata_score(points, 0, checks), 0.0);
                assert_eq!(kata_score(points, checks, checks), f64::from(points));
                for passed in 0..=checks {
                    let s = kata_score(points, passed, checks);
                    assert_eq!(s * SCORE_GRID as f64, (s * SCORE_GRID as f64).round());
                    let exact = f64::from(points) * passed as f64 / checks as f64;
                    assert!((s - exact).abs() <= 0.5 / SCORE_GRID as f64 + 1e-12);
                }
            }
        }
        // 40 checks of 10 points: a quarter point each, exactly.
        assert_eq!(kata_score(10, 1, 40), 0.25);
    }

    #[test]
    fn check_scores_add_up_exactly_to_the_kata_score() {
        let passing: Vec<bool> = (0..61).map(|i| i % 3 != 0).collect();
        let scores = check_scores(10, &passing);
        let mut sum = 0.0;
        for s in &scores {
            sum += s;
        }
        assert_eq!(sum, kata_score(10, 40, 61));
        assert!(scores.iter().zip(&passing).all(|(s, p)| *p || *s == 0.0));
        let all = check_scores(10, &[true; 61]);
        assert_eq!(all.iter().sum::<f64>(), 10.0);
    }

    #[test]
    fn points_print_without_noise() {
        assert_eq!(points(20.0), "20");
        assert_eq!(points(7.5), "7.5");
        assert_eq!(points(1.640625), "1.64");
        assert_eq!(points(0.0), "0");
    }

    #[test]
    fn learner_output_leaves_out_libtest_and_the_panic() {
        let raw = "\nrunning 1 test\ntest t::case_1 ... FAILED\n\nfailures:\n\n---- t::case_1 stdout ----\nthe learner says hi\n\nthread 't::case_1' (123) panicked at katas/x/src/lib.rs:9:5:\nassertion failed\n  left: 1\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    t::case_1\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n\n";
        assert_eq!(learner_output(raw).as_deref(), Some("the learner says hi"));
        let silent = "\nrunning 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\nthread 't' panicked at src/lib.rs:1:1:\nnot yet implemented\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed\n";
        assert_eq!(learner_output(silent), None);
        // Written straight to the file descriptor (not captured by libtest), then killed.
        assert_eq!(
            learner_output("\nrunning 1 test\nraw write\n").as_deref(),
            Some("raw write")
        );
    }

    #[test]
    fn output_is_capped_at_500_characters_with_the_notice() {
        let long = "é".repeat(2000);
        let capped = cap_output(&long);
        assert_eq!(capped.chars().count(), OUTPUT_CHARS);
        assert!(capped.ends_with(OUTPUT_TRUNCATED));
        assert_eq!(cap_output("short"), "short");
        let exact = "x".repeat(OUTPUT_CHARS);
        assert_eq!(cap_output(&exact), exact);
    }

    #[test]
    fn a_compile_error_points_at_the_learners_line() {
        let failure = CompileFailure {
            errors: vec![
                "error[E0308]: mismatched types\n --> /tmp/scratch/katas/01-add/src/lib.rs:1:37\n  |\n1 | pub fn add(a: u32, b: u32) -> u32 { \"x\" }\n  |                                     ^^^ expected `u32`, found `&str`\n".into(),
            ],
            total: 3,
            cargo_stderr: String::new(),
        };
        let e = CompileError::of("01-add", &failure);
        assert_eq!(
            (e.file.as_str(), e.line, e.col),
            ("katas/01-add/src/lib.rs", 1, 37)
        );
        assert_eq!(e.more, 2);
        assert!(
            e.first.contains("expected `u32`, found `&str`"),
            "{}",
            e.first
        );
        assert!(e.text("01-add").contains("2 more errors"));
        // An error inside the suite is annotated on the learner's file, without a line.
        let in_suite = CompileFailure {
            errors: vec!["error[E0425]: cannot find function `add`\n --> katas/01-add/../../xtask/suites/01-add/basics.rs:4:5\n".into()],
            total: 1,
            cargo_stderr: String::new(),
        };
        let e = CompileError::of("01-add", &in_suite);
        assert_eq!((e.file.as_str(), e.line), ("katas/01-add/src/lib.rs", 0));
        assert!(
            e.first.contains("xtask/suites/01-add/basics.rs:4:5"),
            "{}",
            e.first
        );
    }

    #[test]
    fn a_code_fence_outgrows_the_backticks_inside() {
        let f = fenced("a ``` b");
        assert!(f.starts_with("````text\n"), "{f}");
        assert!(f.ends_with("\n````\n"), "{f}");
    }

    #[test]
    fn annotations_escape_their_properties() {
        assert_eq!(
            annotation("a,b.rs", 3, 0, "t: x", "line1\nline2"),
            "::error file=a%2Cb.rs,line=3,title=t%3A x::line1%0Aline2"
        );
        assert_eq!(
            annotation("a.rs", 3, 7, "t", "m"),
            "::error file=a.rs,line=3,col=7,title=t::m"
        );
        assert_eq!(
            annotation("a.rs", 0, 7, "t", "m"),
            "::error file=a.rs,title=t::m"
        );
    }

    #[test]
    fn runner_ids_pass_the_reporters_rule() {
        assert_eq!(runner_id(4), "kata04");
        assert_eq!(runner_var("kata04"), "KATA04_RESULTS");
        assert!(runner_id(123).chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
