//! Renders what happened for people: one line per check in the learner's words, colour unless
//! `NO_COLOR`, and JSON for machines. The reporter never spawns anything.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::build::CompileFailure;
use crate::run::TestOutcome;
use crate::suite::{Check, Listener};
use crate::tr;
use crate::verdict::{self, SkipReason, Verdict};

/// Width of the status column (fits `NO RESULT`).
const STATUS_WIDTH: usize = 9;
/// Lines of a failure message shown under its check.
const MESSAGE_LINES: usize = 20;

/// Terminal styling, decided once.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Emit ANSI colours.
    pub color: bool,
    /// Stdout is a terminal (live status lines allowed).
    pub tty: bool,
}

impl Style {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset (or `CLICOLOR_FORCE` is set).
    pub fn detect() -> Self {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0");
        Self {
            color: force || (tty && !no_color),
            tty,
        }
    }

    /// Plain text everywhere.
    pub fn plain() -> Self {
        Self {
            color: false,
            tty: false,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Bold.
    pub fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    /// Dim.
    pub fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    /// Green.
    pub fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    /// Red.
    pub fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
    /// Yellow.
    pub fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    /// Cyan.
    pub fn cyan(&self, t: &str) -> String {
        self.paint("36", t)
    }

    fn status(&self, verdict: &Verdict) -> String {
        let label = format!("{:<STATUS_WIDTH$}", label(verdict));
        match verdict {
            Verdict::Pass => self.green(&label),
            Verdict::NotStarted { .. } => self.yellow(&label),
            Verdict::Fail { .. } => self.red(&label),
            Verdict::Timeout { .. } => self.paint("35", &label),
            Verdict::Crash { .. } | Verdict::NoResult { .. } => self.paint("1;31", &label),
            Verdict::Skipped { .. } => self.dim(&label),
        }
    }
}

pub use crate::text::strip_ansi;

/// The verdict's label in the status column, in the learner's language (`PASS`, `RÉUSSI`).
pub fn label(verdict: &Verdict) -> String {
    tr!(match verdict {
        Verdict::Pass => "verdict-pass",
        Verdict::Fail { .. } => "verdict-fail",
        Verdict::NotStarted { .. } => "verdict-not-started",
        Verdict::Timeout { .. } => "verdict-timeout",
        Verdict::Crash { .. } => "verdict-crash",
        Verdict::NoResult { .. } => "verdict-no-result",
        Verdict::Skipped { .. } => "verdict-skipped",
    })
}

/// Why a check did not run, in the learner's language (results files keep
/// [`SkipReason::describe`], in English).
pub fn skip_reason(reason: &SkipReason) -> String {
    match reason {
        SkipReason::AfterAFailure => tr!("skip-after-a-failure"),
        SkipReason::AfterTimeouts { timeouts } => {
            tr!("skip-after-timeouts", timeouts = *timeouts)
        }
        SkipReason::BudgetSpent { budget } => {
            tr!("skip-budget-spent", seconds = budget.as_secs())
        }
    }
}

/// `returned_objects_are_reset` → `returned objects are reset`; a module path becomes a
/// prefix (`model::no_lost_update` → `model: no lost update`).
pub fn sentence(name: &str) -> String {
    let mut parts: Vec<&str> = name.split("::").collect();
    let last = parts.pop().unwrap_or(name);
    // rstest names its cases `case_03_description`: say `description (case 3)`.
    let last = match last
        .strip_prefix("case_")
        .map(|r| r.split_once('_').unwrap_or((r, "")))
    {
        Some((num, desc)) if num.chars().all(|c| c.is_ascii_digit()) && !num.is_empty() => {
            let num = num.trim_start_matches('0');
            let num = if num.is_empty() { "0" } else { num };
            if desc.is_empty() {
                format!("case {num}")
            } else {
                format!("{} (case {num})", desc.replace('_', " "))
            }
        }
        _ => last.replace('_', " "),
    };
    if parts.is_empty() {
        last
    } else {
        format!("{}: {last}", parts.join(" ").replace('_', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A sink the test can read after the listener wrote to it.
    #[derive(Clone, Default)]
    struct Sink(Rc<RefCell<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn text(&self) -> String {
            strip_ansi(&String::from_utf8_lossy(&self.0.borrow()))
        }
    }

    fn check(name: &str, loom: bool) -> Check {
        Check {
            target: "t".into(),
            name: name.into(),
            loom,
        }
    }

    #[test]
    fn a_first_build_says_what_it_builds_and_what_comes_next_without_a_terminal() {
        let sink = Sink::default();
        let root = Path::new(".");
        let mut l = HumanListener::to(Style::plain(), root, Box::new(sink.clone()));
        l.build_progress("Compiling spsc-ring v0.1.0 (/w/katas/12-spsc-ring)");
        assert_eq!(sink.text(), "", "a rebuild of the learner's crate is quiet");
        l.build_progress("Compiling proptest v1.12.0");
        l.build_progress("Compiling rstest v0.29.0");
        let text = sink.text();
        assert_eq!(text.matches("for the first time").count(), 1, "{text}");
        assert!(text.contains("depending on the machine"), "{text}");
        // Long stretches without a terminal still show signs of life.
        l.build.last_line = Instant::now() - PROGRESS_EVERY;
        l.build_progress("loom: Compiling loom v0.7.3");
        let text = sink.text();
        assert!(text.contains("loom models for the first time"), "{text}");
        assert!(
            text.contains("still building (") && text.contains("now: loom: loom v0.7.3"),
            "{text}"
        );
        assert!(text.contains("3 crates + 1 for loom"), "{text}");
        // Then what comes next.
        l.build.started = Instant::now() - Duration::from_secs(75);
        l.checks_listed(&[check("a", false), check("b", true)]);
        let text = sink.text();
        assert!(
            text.contains("Built in 1m15s. Now running 2 checks, 1 of them loom models"),
            "{text}"
        );
    }

    #[test]
    fn a_crash_shows_no_backtrace_addresses() {
        let outcome = TestOutcome {
            verdict: Verdict::Crash {
                signal: libc::SIGSEGV,
                detail: "segmentation fault".into(),
            },
            duration: Duration::ZERO,
            output: "boom\nstack backtrace:\n   0:     0x55c76dcb9eda - std::backtrace\n  14:     0x55c7 - loom::cell::UnsafeCell<T>::with_mut\n             at /rustc/x/library/core/src/ops/function.rs:250:5\nnote: Some details are omitted, run with `RUST_BACKTRACE=full`\nthe last words".into(),
        };
        let text = render_check(
            Style::plain(),
            Path::new("."),
            &check("t", false),
            &outcome,
            false,
        );
        assert!(
            text.contains("boom") && text.contains("the last words"),
            "{text}"
        );
        assert!(!text.contains("0x") && !text.contains("/rustc/"), "{text}");
    }

    #[test]
    fn a_place_in_the_learners_code_is_named_by_its_function() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("katas/01-x/src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("lib.rs"),
            "impl Ring {\n    pub fn push(&self) {\n        self.x.with_mut(|p| ());\n    }\n}\n",
        )
        .unwrap();
        assert_eq!(
            name_functions(
                dir.path(),
                "  thread #1 (spawned 1st) wrote it at katas/01-x/src/lib.rs:3:16"
            ),
            "  thread #1 (spawned 1st) wrote it in `Ring::push` (katas/01-x/src/lib.rs:3)"
        );
        // The suite's lines and a dependency's are left as they are.
        for line in [
            "boom at xtask/suites/01-x/p.rs:3:1",
            "boom at /root/.cargo/registry/src/x/loom-0.7.3/src/rt/location.rs:115:9",
        ] {
            assert_eq!(name_functions(dir.path(), line), line);
        }
    }

    #[test]
    fn on_a_terminal_the_status_line_names_the_crate_and_the_next_check() {
        let sink = Sink::default();
        let root = Path::new(".");
        let style = Style {
            color: false,
            tty: true,
        };
        let mut l = HumanListener::to(style, root, Box::new(sink.clone()));
        l.build_progress("Compiling proptest v1.12.0");
        assert!(
            sink.text()
                .contains("building (0s, 1 crates): proptest v1.12.0")
        );
        l.checks_listed(&[check("first_check", false), check("second_check", true)]);
        assert!(
            sink.text()
                .contains("running checks: 0 of 2 done; next in order: first check"),
            "{}",
            sink.text()
        );
        let outcome = TestOutcome {
            verdict: Verdict::Pass,
            duration: Duration::ZERO,
            output: String::new(),
        };
        l.check_finished(0, &check("first_check", false), &outcome);
        assert!(
            sink.text()
                .contains("1 of 2 done; next in order: second check (loom model)"),
            "{}",
            sink.text()
        );
    }

    #[test]
    fn skipped_checks_are_one_status_line_then_their_names_by_file() {
        let check = |target: &str, name: &str| {
            (
                Check {
                    target: target.into(),
                    name: name.into(),
                    loom: false,
                },
                SkipReason::AfterTimeouts { timeouts: 2 },
            )
        };
        let text = render_skipped(
            Style::plain(),
            &[
                check("heap", "roots_are_a_set"),
                check("heap", "misuse::case_1_past_the_end"),
                check("heap", "misuse::case_2_freed"),
                check("pauses", "the_pause_is_bounded"),
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with("  SKIPPED   4 more checks not started: 2 earlier"),
            "{text}"
        );
        assert!(lines[0].ends_with("Fix the loop first."), "{text}");
        assert_eq!(lines[1].trim(), "heap: roots are a set; misuse (2 cases)");
        assert_eq!(lines[2].trim(), "pauses: the pause is bounded");
        assert_eq!(render_skipped(Style::plain(), &[]), "");
    }

    #[test]
    fn test_names_read_as_sentences() {
        assert_eq!(
            sentence("returned_objects_are_reset"),
            "returned objects are reset"
        );
        assert_eq!(sentence("model::no_lost_update"), "model: no lost update");
        assert_eq!(
            sentence("heap_goal_follows::case_03_gogc_200_triples"),
            "heap goal follows: gogc 200 triples (case 3)"
        );
        assert_eq!(sentence("table::case_10"), "table: case 10");
        assert_eq!(strip_ansi("\x1b[1;31mred\x1b[0m"), "red");
        assert_eq!(short_location("src/lib.rs:41:9"), "src/lib.rs:41");
        assert_eq!(
            short_location("katas/01-x/../../xtask/suites/01-x/p.rs:148:5"),
            "xtask/suites/01-x/p.rs:148"
        );
        assert_eq!(short_location("/abs/../x.rs:1:2"), "/x.rs:1");
        assert_eq!(
            tidy_paths("boom at katas/01-x/../../xtask/suites/01-x/p.rs:215."),
            "boom at xtask/suites/01-x/p.rs:215."
        );
    }
}

/// Counts per verdict kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Checks that ran.
    pub total: usize,
    /// Checks per verdict kind.
    pub by_kind: BTreeMap<&'static str, usize>,
}

impl Tally {
    /// Counts the outcomes.
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a TestOutcome>) -> Self {
        let mut tally = Self::default();
        for o in outcomes {
            tally.total += 1;
            *tally.by_kind.entry(o.verdict.kind()).or_default() += 1;
        }
        tally
    }

    /// How many had this kind.
    pub fn count(&self, kind: &str) -> usize {
        self.by_kind.get(kind).copied().unwrap_or(0)
    }

    /// Every check passed (and there was at least one).
    pub fn all_passed(&self) -> bool {
        self.total > 0 && self.count("pass") == self.total
    }

    /// "3 of 12 checks pass · 8 not started · 1 failing".
    pub fn summary(&self) -> String {
        let mut parts = vec![tr!(
            "tally-pass",
            count = self.count("pass"),
            total = self.total
        )];
        for (kind, id) in [
            ("not_started", "tally-not-started"),
            ("fail", "tally-fail"),
            ("timeout", "tally-timeout"),
            ("crash", "tally-crash"),
            ("no_result", "tally-no-result"),
            ("skipped", "tally-skipped"),
        ] {
            let n = self.count(kind);
            if n > 0 {
                parts.push(tr!(id, count = n));
            }
        }
        parts.join(" · ")
    }
}

/// Prints checks as they finish, in report order, one line each with details underneath;
/// while the tests build, says what is being built and what comes next.
pub struct HumanListener<'a> {
    style: Style,
    root: &'a Path,
    out: Box<dyn Write + 'a>,
    checks: Vec<Check>,
    done: Vec<Option<TestOutcome>>,
    printed: usize,
    status_shown: bool,
    /// Consecutive table cases with the same verdict, shown as one line.
    pending: Option<Group>,
    /// The function named by the last "not written yet" line, so it is not repeated.
    last_todo: Option<String>,
    /// Checks the runner never started, shown together in one line at the end.
    skipped: Vec<(Check, SkipReason)>,
    /// Failures shown in full so far, with the check that showed them: one bug, one entry.
    shown: Vec<(String, String)>,
    build: BuildWatch,
}

/// What the build has done so far, for the progress lines.
struct BuildWatch {
    started: Instant,
    /// Crates compiled so far (normal, loom).
    compiled: [usize; 2],
    /// The first-build notes already printed (normal, loom).
    announced: [bool; 2],
    /// When a plain progress line was last printed (no terminal: no status line).
    last_line: Instant,
}

/// Without a terminal, a progress line at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(30);
/// A build that took this long is worth a line saying so.
const SLOW_BUILD: Duration = Duration::from_secs(10);

/// Consecutive cases of one parametrized test that share a verdict kind.
struct Group {
    prefix: String,
    kind: &'static str,
    count: usize,
    check: Check,
    outcome: TestOutcome,
}

/// `table::case_03_x` → `Some("table")`: a case of an rstest table.
fn case_group(name: &str) -> Option<&str> {
    let (prefix, last) = name.rsplit_once("::")?;
    last.starts_with("case_").then_some(prefix)
}

/// `Compiling proptest v1.12.0` → `Some("proptest v1.12.0")`, not for the workspace's own
/// crates (`Compiling spsc-ring v0.1.0 (/path)`), which rebuild on every edit anyway.
fn compiled_dependency(line: &str) -> Option<&str> {
    let name = line.strip_prefix("Compiling ")?;
    (!name.contains(" (")).then_some(name)
}

/// `75 s` → `1m15s`.
fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

impl<'a> HumanListener<'a> {
    /// A listener printing to stdout; `root` resolves source locations.
    pub fn new(style: Style, root: &'a Path) -> Self {
        Self::to(style, root, Box::new(std::io::stdout()))
    }

    /// A listener writing to `out`.
    pub fn to(style: Style, root: &'a Path, out: Box<dyn Write + 'a>) -> Self {
        let now = Instant::now();
        Self {
            style,
            root,
            out,
            checks: Vec::new(),
            done: Vec::new(),
            printed: 0,
            status_shown: false,
            pending: None,
            last_todo: None,
            skipped: Vec::new(),
            shown: Vec::new(),
            build: BuildWatch {
                started: now,
                compiled: [0, 0],
                announced: [false, false],
                last_line: now,
            },
        }
    }

    fn write(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
    }

    /// A line above the status line.
    fn line(&mut self, text: &str) {
        self.clear_status();
        self.write(&format!("{text}\n"));
        let _ = self.out.flush();
    }

    /// The live status line (terminals only): replaced by the next one.
    fn status(&mut self, text: &str) {
        if !self.style.tty {
            return;
        }
        let mut shown = text.to_string();
        if shown.chars().count() > 78 {
            shown = shown.chars().take(77).collect::<String>() + "…";
        }
        let shown = self.style.dim(&shown);
        self.write(&format!("\r\x1b[2K{shown}"));
        let _ = self.out.flush();
        self.status_shown = true;
    }

    fn print_one(&mut self, check: &Check, outcome: &TestOutcome, cases: usize) {
        let todo_fn = match &outcome.verdict {
            Verdict::NotStarted { location, .. } => {
                Some(verdict::enclosing_fn(self.root, location).unwrap_or_else(|| location.clone()))
            }
            _ => None,
        };
        let repeat = todo_fn.is_some() && todo_fn == self.last_todo;
        if todo_fn.is_some() {
            self.last_todo = todo_fn;
        }
        let same = failure_key(&outcome.verdict).and_then(|key| {
            match self.shown.iter().find(|(k, _)| *k == key) {
                Some((_, first)) => Some(first.clone()),
                None => {
                    self.shown.push((key, sentence(&check.name)));
                    None
                }
            }
        });
        let mut text = match same {
            Some(first) => render_repeat(self.style, check, outcome, &first),
            None => render_check(self.style, self.root, check, outcome, repeat),
        };
        if cases > 1 {
            // One line for the whole table: `name (N cases)`.
            let first_line_end = text.find('\n').unwrap_or(text.len());
            let prefix = case_group(&check.name).unwrap_or(&check.name);
            let line = format!(
                "  {} {} {}",
                self.style.status(&outcome.verdict),
                sentence(prefix),
                self.style.dim(&tr!("report-cases", count = cases))
            );
            text.replace_range(..first_line_end, &line);
        }
        self.clear_status();
        self.write(&text);
    }

    fn flush_group(&mut self) {
        if let Some(g) = self.pending.take() {
            self.print_one(&g.check, &g.outcome, g.count);
        }
    }

    /// Prints what is still held back (the last table group, the skipped checks). Called
    /// when the run ends.
    pub fn finish(&mut self) {
        self.clear_status();
        self.flush_group();
        let skipped = std::mem::take(&mut self.skipped);
        let _ = write!(self.out, "{}", render_skipped(self.style, &skipped));
        let _ = self.out.flush();
    }

    fn clear_status(&mut self) {
        if self.status_shown {
            self.write("\r\x1b[2K");
            self.status_shown = false;
        }
    }

    fn flush_ready(&mut self) {
        while self.printed < self.checks.len() {
            let Some(outcome) = self.done[self.printed].take() else {
                break;
            };
            let check = self.checks[self.printed].clone();
            if let Verdict::Skipped { reason } = outcome.verdict {
                self.printed += 1;
                self.skipped.push((check, reason));
                continue;
            }
            let new_file =
                self.printed == 0 || self.checks[self.printed - 1].target != check.target;
            self.printed += 1;
            if new_file {
                self.flush_group();
                let what = if check.loom {
                    tr!("run-loom-header")
                } else {
                    String::new()
                };
                let header = format!(
                    "{}{}",
                    self.style.bold(&check.target),
                    self.style.dim(&what)
                );
                self.line(&header);
            }
            let kind = outcome.verdict.kind();
            let groupable = matches!(kind, "pass" | "not_started");
            let key = case_group(&check.name)
                .filter(|_| groupable)
                .map(str::to_string);
            if let (Some(g), Some(k)) = (&mut self.pending, &key)
                && g.prefix == *k
                && g.kind == kind
            {
                g.count += 1;
                continue;
            }
            self.flush_group();
            match key {
                Some(prefix) => {
                    self.pending = Some(Group {
                        prefix,
                        kind,
                        count: 1,
                        check,
                        outcome,
                    })
                }
                None => self.print_one(&check, &outcome, 1),
            }
        }
        // What comes next: the check the report waits for.
        if let Some(next) = self.checks.get(self.printed) {
            let waiting = tr!(
                if next.loom {
                    "run-status-loom"
                } else {
                    "run-status"
                },
                done = self.done.iter().filter(|d| d.is_some()).count() + self.printed,
                total = self.checks.len(),
                next = sentence(&next.name)
            );
            self.status(&waiting);
        }
        let _ = self.out.flush();
    }
}

impl Listener for HumanListener<'_> {
    fn build_progress(&mut self, line: &str) {
        let (loom, shown_line) = match line.strip_prefix("loom: ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let Some(name) = shown_line.strip_prefix("Compiling ") else {
            return;
        };
        let flavor = usize::from(loom);
        self.build.compiled[flavor] += 1;
        if compiled_dependency(shown_line).is_some() && !self.build.announced[flavor] {
            self.build.announced[flavor] = true;
            // Said once, tty or not: a first build is long and a silent one looks stuck.
            let note = if loom {
                tr!("build-first-loom")
            } else {
                tr!("build-first")
            };
            let note = self.style.dim(&note);
            self.line(&note);
        }
        let elapsed = minutes(self.build.started.elapsed());
        let [normal, loom_count] = self.build.compiled;
        let counts = if loom_count > 0 {
            tr!("build-crates-loom", normal = normal, loom = loom_count)
        } else {
            tr!("build-crates", normal = normal)
        };
        let what = if loom {
            format!("loom: {name}")
        } else {
            name.to_string()
        };
        if self.style.tty {
            self.status(&tr!(
                "build-status",
                elapsed = &elapsed,
                counts = &counts,
                what = &what
            ));
        } else if self.build.last_line.elapsed() >= PROGRESS_EVERY {
            self.build.last_line = Instant::now();
            let text = self.style.dim(&tr!(
                "build-still",
                elapsed = &elapsed,
                counts = &counts,
                what = &what
            ));
            self.line(&text);
        }
    }

    fn checks_listed(&mut self, checks: &[Check]) {
        self.clear_status();
        let took = self.build.started.elapsed();
        if took >= SLOW_BUILD {
            let loom = checks.iter().filter(|c| c.loom).count();
            let next = match loom {
                0 => tr!("build-checks", count = checks.len()),
                n => tr!("build-checks-loom", count = checks.len(), loom = n),
            };
            let text = self
                .style
                .dim(&tr!("build-done", elapsed = minutes(took), next = next));
            self.line(&text);
        }
        self.checks = checks.to_vec();
        self.done = vec![None; checks.len()];
        if let Some(first) = checks.first() {
            let text = tr!(
                "run-status",
                done = 0usize,
                total = checks.len(),
                next = sentence(&first.name)
            );
            self.status(&text);
        }
    }

    fn check_finished(&mut self, index: usize, _check: &Check, outcome: &TestOutcome) {
        self.done[index] = Some(outcome.clone());
        self.flush_ready();
    }
}

impl Drop for HumanListener<'_> {
    fn drop(&mut self) {
        self.finish();
    }
}

/// What makes two failures the same bug: the same message at the same place.
fn failure_key(verdict: &Verdict) -> Option<String> {
    match verdict {
        Verdict::Fail {
            message, location, ..
        } => Some(format!(
            "{}\n{location:?}",
            // proptest adds a full stop to the panic message it reports.
            message.trim_end_matches('.')
        )),
        Verdict::Crash { detail, .. } => Some(detail.clone()),
        _ => None,
    }
}

/// A check that failed exactly like one shown above: its status line and a pointer there.
pub fn render_repeat(style: Style, check: &Check, outcome: &TestOutcome, first: &str) -> String {
    let mut out = format!(
        "  {} {}",
        style.status(&outcome.verdict),
        sentence(&check.name)
    );
    out.push('\n');
    out.push_str(&" ".repeat(STATUS_WIDTH + 3));
    out.push_str(&style.dim(&tr!("report-same-failure", first = first)));
    out.push('\n');
    out
}

/// One check: the status line and, when not a pass, what happened. `repeat_todo`: the
/// function was named on the line before, so its "not written yet" note is left out.
pub fn render_check(
    style: Style,
    root: &Path,
    check: &Check,
    outcome: &TestOutcome,
    repeat_todo: bool,
) -> String {
    let v = &outcome.verdict;
    let mut out = format!("  {} {}", style.status(v), sentence(&check.name));
    if outcome.duration.as_secs_f64() >= 1.0 {
        out.push_str(&style.dim(&tr!(
            "report-seconds",
            seconds = crate::i18n::decimal(outcome.duration.as_secs_f64())
        )));
    }
    out.push('\n');
    let pad = " ".repeat(STATUS_WIDTH + 3);
    let mut detail = |line: &str| {
        out.push_str(&pad);
        out.push_str(line);
        out.push('\n');
    };
    match v {
        Verdict::Pass => {}
        Verdict::NotStarted { .. } if repeat_todo => {}
        Verdict::NotStarted { location, .. } => {
            let place = short_location(location);
            match verdict::enclosing_fn(root, location) {
                Some(f) => {
                    detail(&style.dim(&tr!("report-not-written", function = f, place = place)))
                }
                None => detail(&style.dim(&tr!("report-todo-reached", place = place))),
            }
        }
        Verdict::Fail {
            message,
            location,
            minimal_input,
        } => {
            let message = tidy_paths(message);
            let lines: Vec<String> = message.lines().map(|l| name_functions(root, l)).collect();
            for line in lines.iter().take(MESSAGE_LINES) {
                detail(line);
            }
            if lines.len() > MESSAGE_LINES {
                detail(&style.dim(&tr!(
                    "report-more-lines",
                    count = lines.len() - MESSAGE_LINES
                )));
            }
            if let Some(input) = minimal_input {
                detail(&format!(
                    "{} {input}",
                    style.cyan(&tr!("report-minimal-input"))
                ));
            }
            // Each place once: a location the message already shows is not repeated.
            if let Some(location) = location
                && !lines.iter().any(|l| l.contains(&short_location(location)))
            {
                let place = short_location(location);
                let line = match learner_fn(root, location) {
                    Some(f) => tr!("report-at-in", place = place, function = f),
                    None => tr!("report-at", place = place),
                };
                detail(&style.dim(&line));
            }
        }
        Verdict::Timeout { after, stuck_at } => {
            detail(&tr!("report-killed-after", seconds = after.as_secs()));
            if let Some(s) = stuck_at {
                detail(&style.dim(&tr!(
                    "report-was-running",
                    function = &s.function,
                    place = short_location(&s.location)
                )));
            }
            tail_of_output(&mut detail, style, &outcome.output);
        }
        Verdict::Crash { detail: what, .. } => {
            detail(&tr!("report-crashed", what = what));
            tail_of_output(&mut detail, style, &outcome.output);
        }
        Verdict::NoResult { detail: what } => {
            detail(what);
            tail_of_output(&mut detail, style, &outcome.output);
        }
        Verdict::Skipped { reason } => detail(&skip_reason(reason)),
    }
    out
}

/// The checks the runner never started, as one status line with the reason and the next
/// step, then their names, one line per suite file.
pub fn render_skipped(style: Style, skipped: &[(Check, SkipReason)]) -> String {
    let Some((_, reason)) = skipped.first() else {
        return String::new();
    };
    let n = skipped.len();
    let why = match reason {
        SkipReason::AfterTimeouts { timeouts } => {
            tr!("skipped-after-timeouts", count = n, timeouts = *timeouts)
        }
        SkipReason::BudgetSpent { budget } => {
            tr!(
                "skipped-budget-spent",
                count = n,
                seconds = budget.as_secs()
            )
        }
        SkipReason::AfterAFailure => tr!("skipped-after-a-failure", count = n),
    };
    let label = Verdict::Skipped { reason: *reason };
    let mut out = format!("  {} {why}\n", style.status(&label));
    let pad = " ".repeat(STATUS_WIDTH + 3);
    let mut i = 0;
    while i < skipped.len() {
        let target = &skipped[i].0.target;
        let mut names = Vec::new();
        while i < skipped.len() && skipped[i].0.target == *target {
            let name = &skipped[i].0.name;
            // The cases of one table read as one name: `table (9 cases)`.
            let cases = case_group(name).map_or(1, |prefix| {
                skipped[i..]
                    .iter()
                    .take_while(|(c, _)| c.target == *target && case_group(&c.name) == Some(prefix))
                    .count()
            });
            names.push(match case_group(name) {
                Some(prefix) if cases > 1 => {
                    format!(
                        "{} {}",
                        sentence(prefix),
                        tr!("report-cases", count = cases)
                    )
                }
                _ => sentence(name),
            });
            i += cases;
        }
        out.push_str(&pad);
        out.push_str(&style.dim(&format!("{target}: {}", names.join("; "))));
        out.push('\n');
    }
    out
}

fn tail_of_output(detail: &mut impl FnMut(&str), style: Style, output: &str) {
    let lines: Vec<&str> = output
        .lines()
        .filter(|l| {
            !l.trim().is_empty()
                && !l.starts_with("running 1 test")
                && !l.starts_with("note: run with `RUST_BACKTRACE")
                && !is_backtrace_line(l)
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    detail(&style.dim(&tr!("report-last-output")));
    for line in &lines[lines.len().saturating_sub(6)..] {
        let mut line = line.to_string();
        if line.len() > 160 {
            let mut cut = 157;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line.truncate(cut);
            line.push('…');
        }
        detail(&style.dim(&format!("  {line}")));
    }
}

/// A line of a backtrace (`  14:     0x55c7… - loom::cell::…`, `at /rustc/…`): addresses
/// and frames of the runtime say nothing a learner can act on.
fn is_backtrace_line(line: &str) -> bool {
    let t = line.trim_start();
    let frame = t
        .split_once(": ")
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    frame
        || t == "stack backtrace:"
        || (t.starts_with("at ") && t.contains(".rs:"))
        || t.starts_with("note: Some details are omitted")
}

/// The function around `location` when it is in the learner's code (not the suite, the
/// grader or a dependency).
fn learner_fn(root: &Path, location: &str) -> Option<String> {
    let path = normalize(location);
    // Suites and integration tests are never the learner's code.
    let tests = path.starts_with("tests/") || path.contains("/tests/");
    if path.starts_with("xtask/") || tests || verdict::is_foreign_location(&path) {
        return None;
    }
    verdict::enclosing_fn(root, &path)
}

/// `… wrote it at katas/12-x/src/lib.rs:248:14` → `… wrote it in `Producer::try_push`
/// (katas/12-x/src/lib.rs:248)`: a place in the learner's code, named by its function.
pub fn name_functions(root: &Path, line: &str) -> String {
    let Some(i) = line.rfind(" at ") else {
        return line.to_string();
    };
    let location = line[i + 4..].trim_end_matches('.');
    match learner_fn(root, location) {
        Some(f) => format!("{} in `{f}` ({})", &line[..i], short_location(location)),
        None => line.to_string(),
    }
}

/// `katas/04-object-pool/src/lib.rs:41:9` → `katas/04-object-pool/src/lib.rs:41`, and
/// `katas/x/../../xtask/suites/x/a.rs:3:1` → `xtask/suites/x/a.rs:3`.
pub fn short_location(location: &str) -> String {
    let mut parts: Vec<&str> = location.rsplitn(3, ':').collect();
    let short = if parts.len() == 3 && parts[0].chars().all(|c| c.is_ascii_digit()) {
        parts.remove(0);
        parts.reverse();
        parts.join(":")
    } else {
        location.to_string()
    };
    normalize(&short)
}

/// `… at katas/01-x/../../xtask/suites/01-x/p.rs:3.` → `… at xtask/suites/01-x/p.rs:3.`:
/// rustc names suite files through the crate that includes them.
pub fn tidy_paths(text: &str) -> String {
    const UP: &str = "/../../xtask/";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(UP) {
        let start = rest[..pos]
            .rfind(|c: char| c.is_whitespace() || c == '(' || c == '`')
            .map_or(0, |i| i + 1);
        out.push_str(&rest[..start]);
        out.push_str("xtask/");
        rest = &rest[pos + UP.len()..];
    }
    out.push_str(rest);
    out
}

/// Resolves `a/b/../c` to `a/c` lexically (rustc prints suite paths through `../..`).
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." if out.last().is_some_and(|p| *p != ".." && !p.is_empty()) => {
                out.pop();
            }
            "." => {}
            _ => out.push(part),
        }
    }
    out.join("/")
}

/// The compile errors, trimmed, with what to do.
pub fn render_compile_failure(style: Style, failure: &CompileFailure) -> String {
    let mut out = String::new();
    for e in &failure.errors {
        let text = if style.color {
            e.clone()
        } else {
            strip_ansi(e)
        };
        out.push_str(text.trim_end());
        out.push_str("\n\n");
    }
    if failure.total > failure.errors.len() {
        out.push_str(&style.dim(&tr!(
            "compile-more-errors",
            count = failure.total - failure.errors.len()
        )));
        out.push('\n');
    }
    if failure.errors.is_empty() {
        out.push_str(&tr!("compile-cargo-failed"));
        out.push('\n');
        out.push_str(&failure.cargo_stderr);
        out.push('\n');
    }
    out
}
