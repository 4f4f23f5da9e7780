//! Renders what happened for people: one line per check in the learner's words, colour unless
//! `NO_COLOR`, and JSON for machines. The reporter never spawns anything.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::build::CompileFailure;
use crate::run::TestOutcome;
use crate::suite::{Check, Listener};
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
        let label = format!("{:<STATUS_WIDTH$}", verdict.label());
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
        let mut parts = vec![format!(
            "{} of {} check{} pass",
            self.count("pass"),
            self.total,
            if self.total == 1 { "" } else { "s" }
        )];
        for (kind, words) in [
            ("not_started", "not started"),
            ("fail", "failing"),
            ("timeout", "timed out"),
            ("crash", "crashed"),
            ("no_result", "without a result"),
            ("skipped", "not started"),
        ] {
            let n = self.count(kind);
            if n > 0 {
                parts.push(format!("{n} {words}"));
            }
        }
        parts.join(" · ")
    }
}

/// Prints checks as they finish, in report order, one line each with details underneath.
pub struct HumanListener<'a> {
    style: Style,
    root: &'a Path,
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
}

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

impl<'a> HumanListener<'a> {
    /// A listener printing to stdout; `root` resolves source locations.
    pub fn new(style: Style, root: &'a Path) -> Self {
        Self {
            style,
            root,
            checks: Vec::new(),
            done: Vec::new(),
            printed: 0,
            status_shown: false,
            pending: None,
            last_todo: None,
            skipped: Vec::new(),
        }
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
        let mut text = render_check(self.style, self.root, check, outcome, repeat);
        if cases > 1 {
            // One line for the whole table: `name (N cases)`.
            let first_line_end = text.find('\n').unwrap_or(text.len());
            let prefix = case_group(&check.name).unwrap_or(&check.name);
            let line = format!(
                "  {} {} {}",
                self.style.status(&outcome.verdict),
                sentence(prefix),
                self.style.dim(&format!("({cases} cases)"))
            );
            text.replace_range(..first_line_end, &line);
        }
        print!("{text}");
    }

    fn flush_group(&mut self) {
        if let Some(g) = self.pending.take() {
            self.print_one(&g.check, &g.outcome, g.count);
        }
    }

    /// Prints what is still held back (the last table group, the skipped checks). Called
    /// when the run ends.
    pub fn finish(&mut self) {
        self.flush_group();
        let skipped = std::mem::take(&mut self.skipped);
        print!("{}", render_skipped(self.style, &skipped));
        let _ = std::io::stdout().flush();
    }

    fn clear_status(&mut self) {
        if self.status_shown {
            print!("\r\x1b[2K");
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
                    "  (loom model checker)"
                } else {
                    ""
                };
                println!("{}{}", self.style.bold(&check.target), self.style.dim(what));
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
        let _ = std::io::stdout().flush();
    }
}

impl Listener for HumanListener<'_> {
    fn build_progress(&mut self, line: &str) {
        let shown_line = line.trim_start_matches("loom: ");
        if self.style.tty && shown_line.starts_with("Compiling") {
            let mut shown: String = format!("  building… {line}");
            shown.truncate(78);
            print!("\r\x1b[2K{}", self.style.dim(&shown));
            let _ = std::io::stdout().flush();
            self.status_shown = true;
        }
    }

    fn checks_listed(&mut self, checks: &[Check]) {
        self.clear_status();
        self.checks = checks.to_vec();
        self.done = vec![None; checks.len()];
    }

    fn check_finished(&mut self, index: usize, _check: &Check, outcome: &TestOutcome) {
        self.done[index] = Some(outcome.clone());
        self.flush_ready();
    }
}

impl Drop for HumanListener<'_> {
    fn drop(&mut self) {
        self.clear_status();
        self.finish();
    }
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
        out.push_str(&style.dim(&format!("  ({:.1} s)", outcome.duration.as_secs_f64())));
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
                Some(f) => detail(&style.dim(&format!("→ `{f}` is not written yet ({place})"))),
                None => detail(&style.dim(&format!("→ a todo!() is reached at {place}"))),
            }
        }
        Verdict::Fail {
            message,
            location,
            minimal_input,
        } => {
            let message = tidy_paths(message);
            let lines: Vec<&str> = message.lines().collect();
            for line in lines.iter().take(MESSAGE_LINES) {
                detail(line);
            }
            if lines.len() > MESSAGE_LINES {
                detail(&style.dim(&format!("… {} more lines", lines.len() - MESSAGE_LINES)));
            }
            if let Some(input) = minimal_input {
                detail(&format!("{} {input}", style.cyan("minimal failing input:")));
            }
            if let Some(location) = location {
                detail(&style.dim(&format!("at {}", short_location(location))));
            }
        }
        Verdict::Timeout { after, stuck_at } => {
            detail(&format!(
                "killed after {} s: likely a deadlock or an infinite loop.",
                after.as_secs()
            ));
            if let Some(s) = stuck_at {
                detail(&style.dim(&format!(
                    "→ `{}` was running when it was stopped ({})",
                    s.function,
                    short_location(&s.location)
                )));
            }
            tail_of_output(&mut detail, style, &outcome.output);
        }
        Verdict::Crash { detail: what, .. } => {
            detail(&format!("the test process crashed: {what}."));
            tail_of_output(&mut detail, style, &outcome.output);
        }
        Verdict::NoResult { detail: what } => {
            detail(what);
            tail_of_output(&mut detail, style, &outcome.output);
        }
        Verdict::Skipped { reason } => detail(&reason.describe()),
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
    let checks = if n == 1 { "check" } else { "checks" };
    let why = match reason {
        SkipReason::AfterTimeouts { timeouts } => format!(
            "{n} more {checks} not started: {timeouts} earlier checks never finished, so the \
             grader stopped there. Fix the loop first."
        ),
        SkipReason::BudgetSpent { budget } => format!(
            "{n} more {checks} not started: the kata's time budget of {} s was spent.",
            budget.as_secs()
        ),
        SkipReason::AfterAFailure => format!("{n} more {checks} not run after a failure."),
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
                Some(prefix) if cases > 1 => format!("{} ({cases} cases)", sentence(prefix)),
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
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    detail(&style.dim("last output:"));
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
        out.push_str(&style.dim(&format!(
            "… and {} more error{} (the first ones often cause the rest).\n",
            failure.total - failure.errors.len(),
            if failure.total - failure.errors.len() == 1 {
                ""
            } else {
                "s"
            }
        )));
    }
    if failure.errors.is_empty() {
        out.push_str("cargo could not build the tests:\n");
        out.push_str(&failure.cargo_stderr);
        out.push('\n');
    }
    out
}
