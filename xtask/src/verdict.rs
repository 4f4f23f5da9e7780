//! Turns a finished test process (exit status + captured libtest output) into a verdict.
//! Only an exit status of 0 together with libtest's own report of this exact test counts as a
//! pass; everything else is named for what it is.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The harness reported the test as passed and the process exited cleanly.
    Pass,
    /// The test failed: an assertion or a panic in the learner's code.
    Fail {
        /// The panic message (proptest's reason, without the input).
        message: String,
        /// `file:line:col` of the panic.
        location: Option<String>,
        /// For proptest failures: the minimal failing input after shrinking.
        minimal_input: Option<String>,
    },
    /// A `todo!()` was reached: the learner has not written this part yet.
    NotStarted {
        /// `file:line:col` of the `todo!()`.
        location: String,
        /// The todo's message, without the "not yet implemented" prefix.
        message: String,
    },
    /// Killed after the timeout: likely a deadlock or an infinite loop.
    Timeout {
        /// The timeout that ran out.
        after: Duration,
        /// Where the graded crate's code was running just before the kill, when a backtrace
        /// could be taken.
        stuck_at: Option<StuckAt>,
    },
    /// The process died of a signal.
    Crash {
        /// The signal number.
        signal: i32,
        /// What it most likely means, in words.
        detail: String,
    },
    /// The process ended without the harness reporting the test: never a pass.
    NoResult {
        /// What was seen instead.
        detail: String,
    },
    /// Never started: the runner stopped starting tests before reaching it.
    Skipped {
        /// Why the runner stopped.
        reason: SkipReason,
    },
}

/// Why the runner stopped starting tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// An earlier test did not pass and the run was fail-fast (mutant runs).
    AfterAFailure,
    /// This many tests timed out (or were past their timeout) first: a loop or a deadlock
    /// that every check reaches would cost one timeout per check.
    AfterTimeouts {
        /// Tests that had timed out when the runner stopped.
        timeouts: usize,
    },
    /// The kata's time budget ran out.
    BudgetSpent {
        /// The budget.
        budget: Duration,
    },
}

impl SkipReason {
    /// Why the check did not run, in the report's words.
    pub fn describe(&self) -> String {
        match self {
            SkipReason::AfterAFailure => "not run: an earlier check failed".into(),
            SkipReason::AfterTimeouts { timeouts } => format!(
                "not run: {timeouts} earlier checks never finished (likely an infinite loop or a \
                 deadlock that every check reaches), so the grader stopped starting new ones"
            ),
            SkipReason::BudgetSpent { budget } => format!(
                "not run: the kata's time budget of {} s was spent before this check could \
                 start (earlier checks were slow or never finished)",
                budget.as_secs()
            ),
        }
    }
}

/// Where a timed-out test was running: the innermost frame in the graded crate's own source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StuckAt {
    /// `Type::method` or `function`.
    pub function: String,
    /// `file:line`, relative to the workspace root like a panic location.
    pub location: String,
}

impl Verdict {
    /// The fixed-width status word of the report.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail { .. } => "FAIL",
            Verdict::NotStarted { .. } => "TODO",
            Verdict::Timeout { .. } => "TIMEOUT",
            Verdict::Crash { .. } => "CRASH",
            Verdict::NoResult { .. } => "NO RESULT",
            Verdict::Skipped { .. } => "SKIPPED",
        }
    }

    /// The machine-readable kind (`pass`, `fail`, `not_started`, `timeout`, `crash`,
    /// `no_result`, `skipped`).
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail { .. } => "fail",
            Verdict::NotStarted { .. } => "not_started",
            Verdict::Timeout { .. } => "timeout",
            Verdict::Crash { .. } => "crash",
            Verdict::NoResult { .. } => "no_result",
            Verdict::Skipped { .. } => "skipped",
        }
    }
}

/// Classifies a finished (not timed-out) test process.
pub fn classify(name: &str, status: ExitStatus, stdout: &str, stderr: &str) -> Verdict {
    if let Some(signal) = status.signal() {
        return crash(signal, stdout, stderr);
    }
    // libtest's closing summary. The per-test `test NAME ... ok` line is not used: output the
    // test writes straight to stdout can land between `test NAME ... ` and its result.
    let summary = |prefix: &str| stdout.lines().any(|l| l.starts_with(prefix));
    let reported_ok = summary("test result: ok. 1 passed; 0 failed");
    let reported_failed = summary("test result: FAILED. 0 passed; 1 failed");
    match status.code() {
        Some(0) if reported_ok => Verdict::Pass,
        Some(0) => Verdict::NoResult {
            detail: "the test process exited with status 0 before the test harness reported a \
                     result. Does the code call `std::process::exit`? That is never a pass."
                .into(),
        },
        Some(101) if reported_failed => failure(name, stdout),
        Some(code) => Verdict::NoResult {
            detail: format!(
                "the test process exited with code {code} before the test harness reported a \
                 result. Does the code call `std::process::exit`?"
            ),
        },
        None => Verdict::NoResult {
            detail: "the test process ended with no exit code".into(),
        },
    }
}

/// Signal names for the report.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGILL => "SIGILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGTRAP => "SIGTRAP",
        _ => "signal",
    }
}

/// A process killed by a signal. A panic printed before the abort says more than the abort:
/// a `todo!()` means not started, and under loom every panic ends in an abort (loom's
/// primitives panic again while the first panic unwinds, and that aborts), so there the first
/// panic is the verdict, reported once, and no `Drop` is blamed for loom's abort.
fn crash(signal: i32, stdout: &str, stderr: &str) -> Verdict {
    let all = format!("{stdout}\n{stderr}");
    let panics = panics(&all);
    let loom = all.contains("cannot access Loom execution state")
        || panics.iter().any(|p| is_loom_location(&p.location));
    let first = if loom {
        panics.iter().find(|p| !is_loom_aftermath(p))
    } else {
        panics.first()
    };
    if let Some(p) = first {
        if let Some(rest) = p.message.strip_prefix(TODO_PREFIX) {
            return Verdict::NotStarted {
                location: p.location.clone(),
                message: rest.trim_start_matches(':').trim().to_string(),
            };
        }
        if loom {
            return failed(p, &panics);
        }
    }
    let mut detail = if loom {
        // Only loom's own aftermath was printed: the first panic was lost in the abort.
        format!(
            "the loom model aborted after a panic whose message was lost ({})",
            signal_name(signal)
        )
    } else {
        crash_detail(signal, stdout, stderr)
    };
    if let Some(p) = first.or(panics.first()).filter(|_| !loom) {
        let message = p
            .message
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        detail.push_str(&format!(", after a panic at {}: {message}", p.location));
    }
    Verdict::Crash { signal, detail }
}

/// `…/loom-0.7.3/src/rt/cell.rs:75:13`: a line of loom's own source.
fn is_loom_location(location: &str) -> bool {
    location
        .match_indices("loom-")
        .any(|(i, m)| location[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// What loom reports as a failure of the model (as opposed to its internal checks, which
/// fail only because an earlier panic is unwinding through loom's state).
const LOOM_REPORTS: [&str; 6] = [
    "Causality violation",
    "deadlock",
    "Model exceeded maximum number of branches",
    "Arc leaked",
    "Allocation leaked",
    "there is no such thing as a relaxed fence",
];

/// A panic that only follows another one under loom: loom's internal checks failing while
/// the first panic unwinds ("currently reading from cell", "cannot access Loom execution
/// state"), and the runtime's "panic in a destructor during cleanup".
fn is_loom_aftermath(p: &Panic) -> bool {
    let message = p.message.trim_start();
    let from_loom =
        is_loom_location(&p.location) && !LOOM_REPORTS.iter().any(|r| message.starts_with(r));
    let from_runtime = message.starts_with("panic in a destructor during cleanup")
        || message.starts_with("panic in a function that cannot unwind")
        || message.starts_with("cannot access Loom execution state");
    from_loom || from_runtime
}

/// A location in code the learner never wrote and cannot open in the course: the standard
/// library or a dependency's source.
pub fn is_foreign_location(location: &str) -> bool {
    location.contains("/.cargo/registry/")
        || location.contains("/.cargo/git/")
        || location.starts_with("/rustc/")
        || location.contains("/library/core/src/")
        || location.contains("/library/std/src/")
        || is_loom_location(location)
}

fn crash_detail(signal: i32, stdout: &str, stderr: &str) -> String {
    let said = |needle: &str| stderr.contains(needle) || stdout.contains(needle);
    let what = if said("has overflowed its stack") {
        "stack overflow: unbounded recursion, or a very large value on the stack".to_string()
    } else if said("panic in a destructor during cleanup")
        || said("panicked while processing panic")
        || said("thread caused non-unwinding panic")
        || said("panic in a function that cannot unwind")
    {
        "a panic while already panicking, which aborts: often a `Drop` that panics during \
         unwinding"
            .to_string()
    } else if said("memory allocation of") {
        "memory limit reached: an allocation failed at the test's memory limit (a runaway `Vec` or an unbounded loop that allocates?)".to_string()
    } else {
        match signal {
            libc::SIGABRT => {
                "the process aborted (`std::process::abort` or a fatal runtime error)".to_string()
            }
            libc::SIGSEGV => {
                "segmentation fault: invalid memory access, look at the `unsafe` code".to_string()
            }
            libc::SIGBUS => {
                "bus error: misaligned or invalid memory access in `unsafe` code".to_string()
            }
            libc::SIGILL => {
                "illegal instruction: an intrinsic abort or undefined behaviour".to_string()
            }
            libc::SIGFPE => "arithmetic fault".to_string(),
            libc::SIGKILL => {
                "killed from outside, likely by the system for using too much memory".to_string()
            }
            _ => "killed by a signal".to_string(),
        }
    };
    format!("{what} ({})", signal_name(signal))
}

/// One `thread '…' panicked at LOCATION:\nMESSAGE` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// `file:line:col`.
    pub location: String,
    /// The message, possibly several lines.
    pub message: String,
}

/// Every panic printed in `text`, in order.
pub fn panics(text: &str) -> Vec<Panic> {
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        // `thread 'name' panicked at LOC:` or, since Rust 1.92, `thread 'name' (tid) panicked at LOC:`.
        if line.starts_with("thread '")
            && let Some(pos) = line.find(" panicked at ")
        {
            let mut location = line[pos + " panicked at ".len()..].to_string();
            let mut message = Vec::new();
            if let Some(stripped) = location.strip_suffix(':') {
                // Rust >= 1.73: the message is on the following lines.
                location = stripped.to_string();
                i += 1;
                while i < lines.len() {
                    let l = lines[i];
                    if l.starts_with("note: run with `RUST_BACKTRACE")
                        || (l.starts_with("thread '") && l.contains(" panicked at "))
                        || l.starts_with("stack backtrace:")
                    {
                        break;
                    }
                    message.push(l);
                    i += 1;
                }
            } else {
                // Older format: `panicked at 'message', file:line:col`.
                i += 1;
            }
            while message.last().is_some_and(|l| l.trim().is_empty()) {
                message.pop();
            }
            found.push(Panic {
                location,
                message: message.join("\n"),
            });
            continue;
        }
        i += 1;
    }
    found
}

/// The part of libtest's stdout that belongs to the failed test.
fn failure_section<'a>(name: &str, stdout: &'a str) -> &'a str {
    let header = format!("---- {name} stdout ----");
    let Some(start) = stdout.rfind(&header) else {
        return stdout;
    };
    let body = &stdout[start + header.len()..];
    match body.rfind("\nfailures:\n") {
        Some(end) => &body[..end],
        None => body,
    }
}

const TODO_PREFIX: &str = "not yet implemented";

fn failure(name: &str, stdout: &str) -> Verdict {
    let section = failure_section(name, stdout);
    if let Some(verdict) = snapshot_failure(section) {
        return verdict;
    }
    let panics = panics(section);
    if let Some(todo) = panics.iter().find(|p| p.message.starts_with(TODO_PREFIX)) {
        let message = todo.message[TODO_PREFIX.len()..]
            .trim_start_matches(':')
            .trim()
            .to_string();
        return Verdict::NotStarted {
            location: todo.location.clone(),
            message,
        };
    }
    // Proptest reports a todo!() reached inside a property only in its final message.
    let Some(last) = panics.last() else {
        return Verdict::Fail {
            message: section
                .trim()
                .lines()
                .take(20)
                .collect::<Vec<_>>()
                .join("\n"),
            location: None,
            minimal_input: None,
        };
    };
    failed(last, &panics)
}

/// The verdict for the panic `p` that ended the test, with `all` the panics printed before
/// it (proptest prints a panic of the code under test there, then reports it again from the
/// suite's line).
fn failed(p: &Panic, all: &[Panic]) -> Verdict {
    let (message, minimal_input) = split_proptest(p.message.trim_start_matches('\n'));
    if let Some(rest) = message.strip_prefix(TODO_PREFIX) {
        return Verdict::NotStarted {
            location: p.location.clone(),
            message: rest.trim_start_matches(':').trim().to_string(),
        };
    }
    if let Some(race) = LoomRace::parse(&message) {
        return Verdict::Fail {
            message: race.describe(),
            location: race.location().or_else(|| own_location(&p.location)),
            minimal_input,
        };
    }
    if let Some(threads) = message.strip_prefix("deadlock; threads = ") {
        return Verdict::Fail {
            message: format!(
                "deadlock: every thread of the model is blocked, waiting for another \
                 (loom: {threads})"
            ),
            location: own_location(&p.location),
            minimal_input,
        };
    }
    let mut location = own_location(&p.location);
    if minimal_input.is_some() {
        // A panic inside a property: proptest caught it and reports its message from the
        // suite's line; the panic itself was printed earlier, at the line that panicked.
        let same = |q: &&Panic| same_message(&q.message, &message);
        if let Some(origin) = all.iter().rev().filter(|q| !std::ptr::eq(*q, p)).find(same) {
            location = own_location(&origin.location).or(location);
        }
    }
    Verdict::Fail {
        message: print_values_once(&message),
        location,
        minimal_input,
    }
}

/// `location`, unless it lies in the standard library or a dependency.
fn own_location(location: &str) -> Option<String> {
    (!location.is_empty() && !is_foreign_location(location)).then(|| location.to_string())
}

/// Proptest may add a full stop to the panic message it reports.
fn same_message(printed: &str, reported: &str) -> bool {
    let (a, b) = (printed.trim(), reported.trim());
    !a.is_empty() && (a == b || a.trim_end_matches('.') == b.trim_end_matches('.'))
}

/// An equality assertion that printed `left`/`right` and a message of the author's: when
/// that message already names both values as what was expected and what came (`expected 5,
/// got 3`), the values are not printed a second time. Otherwise the message comes first and
/// the values follow, one per line.
pub fn print_values_once(message: &str) -> String {
    let Some(eq) = EqAssertion::parse(message) else {
        return message.to_string();
    };
    let tail = eq.at.map(|at| format!(" {at}")).unwrap_or_default();
    match eq.custom {
        Some(custom) if names_both(custom, eq.left, eq.right) => format!("{custom}{tail}"),
        // std's own layout already reads well.
        _ if !eq.proptest => message.to_string(),
        Some(custom) => format!("{custom}{tail}\n  left: {}\n right: {}", eq.left, eq.right),
        None => format!(
            "assertion failed: left == right{tail}\n  left: {}\n right: {}",
            eq.left, eq.right
        ),
    }
}

/// The author's message says which value was expected and shows both.
fn names_both(custom: &str, left: &str, right: &str) -> bool {
    let lower = custom.to_lowercase();
    let labelled = lower.contains("expected") || lower.contains("want");
    labelled && has_token(custom, left) && has_token(custom, right)
}

/// `value` occurs in `text` with no letter, digit or `_` glued to either side.
fn has_token(text: &str, value: &str) -> bool {
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    !value.is_empty()
        && text.match_indices(value).any(|(i, _)| {
            !glued(text[..i].chars().next_back()) && !glued(text[i + value.len()..].chars().next())
        })
}

/// The parts of an equality assertion's message.
struct EqAssertion<'a> {
    left: &'a str,
    right: &'a str,
    custom: Option<&'a str>,
    /// proptest's ` at FILE:LINE` suffix.
    at: Option<&'a str>,
    /// `prop_assert_eq!` (rather than `assert_eq!`).
    proptest: bool,
}

impl<'a> EqAssertion<'a> {
    fn parse(message: &'a str) -> Option<Self> {
        // proptest: "assertion failed: `(left == right)` \n  left: `L`, \n right: `R`: MSG at F:L"
        if let Some(rest) = message.strip_prefix("assertion failed: `(left == right)`") {
            let rest = rest.trim_start().strip_prefix("left: `")?;
            let (left, rest) = rest.split_once("`,")?;
            let rest = rest.trim_start().strip_prefix("right: `")?;
            let (right, rest) = rest.split_once('`')?;
            let (rest, at) = match rest.rfind(" at ") {
                Some(i) if looks_like_location(&rest[i + 4..]) => {
                    (&rest[..i], Some(&rest[i + 1..]))
                }
                _ => (rest, None),
            };
            let custom = rest
                .strip_prefix(": ")
                .map(str::trim)
                .filter(|c| !c.is_empty());
            return Some(Self {
                left,
                right,
                custom,
                at,
                proptest: true,
            });
        }
        // std: "assertion `left == right` failed: MSG\n  left: L\n right: R"
        let rest = message.strip_prefix("assertion `left == right` failed")?;
        let (head, values) = rest.rsplit_once("\n  left: ")?;
        let (left, right) = values.split_once("\n right: ")?;
        let custom = head
            .strip_prefix(": ")
            .map(str::trim)
            .filter(|c| !c.is_empty());
        Some(Self {
            left,
            right,
            custom,
            at: None,
            proptest: false,
        })
    }
}

/// `xtask/suites/x/p.rs:35` (or with a column).
fn looks_like_location(text: &str) -> bool {
    let text = text.trim_end_matches('.');
    let mut parts = text.rsplitn(3, ':');
    let last = parts.next().unwrap_or("");
    !text.contains(char::is_whitespace)
        && text.contains(".rs:")
        && !last.is_empty()
        && last.chars().all(|c| c.is_ascii_digit())
}

/// A data race loom found (its "Causality violation"), with the accesses it located when run
/// with `LOOM_LOCATION`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoomRace {
    /// Loom's own headline ("Causality violation: Concurrent read and write accesses.").
    pub headline: String,
    /// Where the cell (or atomic) was created.
    pub created: Option<String>,
    /// The two conflicting accesses.
    pub accesses: Vec<Access>,
}

/// One access in a [`LoomRace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Loom's name for it: `read`, `write`, `write one`, `with_mut`, `atomic store`, …
    pub kind: String,
    /// Loom's thread number: 0 is the model's own thread, then spawned threads in order.
    pub thread: usize,
    /// `file:line:col`.
    pub location: String,
}

/// Environment variable that makes loom record where each access happened.
pub const LOOM_LOCATION_VAR: &str = "LOOM_LOCATION";

impl LoomRace {
    /// Parses loom's message:
    ///
    /// ```text
    /// Causality violation: Concurrent read and write accesses.
    ///     created: src/lib.rs:12:22
    ///        read: thread #0 @ src/lib.rs:30:26
    ///       write: thread #1 @ src/lib.rs:21:14
    /// ```
    pub fn parse(message: &str) -> Option<Self> {
        let mut lines = message.lines().map(str::trim).filter(|l| !l.is_empty());
        let headline = lines.next()?;
        if !headline.starts_with("Causality violation") {
            return None;
        }
        let mut race = Self {
            headline: headline.to_string(),
            created: None,
            accesses: Vec::new(),
        };
        for line in lines {
            let Some((key, rest)) = line.split_once(": ") else {
                continue;
            };
            if key == "created" {
                race.created = Some(rest.trim().to_string());
            } else if let Some((thread, location)) = rest
                .strip_prefix("thread #")
                .and_then(|r| r.split_once(" @ "))
                && let Ok(thread) = thread.parse()
            {
                race.accesses.push(Access {
                    kind: key.to_string(),
                    thread,
                    location: location.trim().to_string(),
                });
            }
        }
        Some(race)
    }

    /// The access to show first: the first one in the learner's code (not in a dependency,
    /// not in the suite), else the first one loom located.
    pub fn location(&self) -> Option<String> {
        let own = |a: &&Access| !is_foreign_location(&a.location);
        self.accesses
            .iter()
            .filter(own)
            .find(|a| !a.location.contains("xtask/suites/"))
            .or_else(|| self.accesses.iter().find(own))
            .map(|a| a.location.clone())
    }

    /// The race in the learner's words: which thread did what, where.
    pub fn describe(&self) -> String {
        let mut out = String::from(
            "data race: two threads used the same cell and nothing orders one use before the other",
        );
        if self.accesses.is_empty() {
            out.push_str(
                "\n(loom did not record where; the grader reruns a failed model with LOOM_LOCATION=1 to find out)",
            );
        }
        for a in &self.accesses {
            out.push_str(&format!(
                "\n  {} {} at {}",
                thread_name(a.thread),
                verb(&a.kind),
                a.location
            ));
        }
        if let Some(created) = &self.created {
            out.push_str(&format!("\n  the cell was created at {created}"));
        }
        out.push_str(
            "\nMake one use happen-before the other: after the first, a Release store (or \
             stronger); before the second, an Acquire load on the other thread that reads it.",
        );
        out.push_str(&format!("\n(loom: {})", self.headline));
        out
    }
}

fn thread_name(thread: usize) -> String {
    match thread {
        0 => "thread #0 (the model's own)".to_string(),
        n => format!("thread #{n} (spawned {})", ordinal(n)),
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn verb(kind: &str) -> String {
    match kind {
        "read" => "read it".into(),
        "write" | "write one" | "write two" => "wrote it".into(),
        "with_mut" => "used it mutably (`with_mut`)".into(),
        "load" | "atomic load" => "loaded it".into(),
        "atomic store" => "stored to it".into(),
        "unsync_load" => "read it with `unsync_load`".into(),
        other => format!("accessed it ({other})"),
    }
}

/// An insta snapshot mismatch: the diff table as the message, the assertion's source line as
/// the location (insta's own panic location is inside the insta crate).
fn snapshot_failure(section: &str) -> Option<Verdict> {
    if !section.contains("Snapshot Summary") || section.contains(&format!("{TODO_PREFIX}:")) {
        return None;
    }
    let location = section
        .lines()
        .find_map(|l| l.strip_prefix("Source: "))
        .map(|l| l.trim().to_string());
    let mut diff = Vec::new();
    let mut in_table = false;
    for line in section.lines() {
        if line.starts_with("+new results") {
            in_table = true;
            continue;
        }
        if in_table {
            if line.contains('┴') {
                break;
            }
            if !line.contains('┬') {
                diff.push(line.trim_end());
            }
        }
    }
    Some(Verdict::Fail {
        message: format!(
            "the output differs from the expected snapshot (- expected, + yours):\n{}",
            diff.join("\n")
        ),
        location,
        minimal_input: None,
    })
}

/// Proptest prints the minimal input with `{:#?}`; one line reads better in a report.
fn squash(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for line in input.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let joins_tight = out.ends_with(['(', '[', '{']) || t.starts_with([')', ']', '}']);
        if !out.is_empty() && !joins_tight {
            out.push(' ');
        }
        out.push_str(t);
    }
    out.replace(",)", ")")
        .replace(",]", "]")
        .replace(",}", "}")
        .replace("{", "{ ")
        .replace("}", " }")
        .replace("{  }", "{}")
}

/// Splits proptest's `Test failed: REASON; minimal failing input: INPUT\n\tsuccesses: …`.
pub fn split_proptest(message: &str) -> (String, Option<String>) {
    let Some(rest) = message.strip_prefix("Test failed: ") else {
        return (message.to_string(), None);
    };
    // Older proptest: `REASON; minimal failing input: INPUT`; newer: `REASON\nminimal failing
    // input: INPUT`.
    const MARK: &str = "minimal failing input: ";
    let Some(pos) = rest.rfind(MARK) else {
        return (rest.to_string(), None);
    };
    let reason = rest[..pos]
        .trim_end()
        .trim_end_matches(';')
        .trim()
        .to_string();
    let input = &rest[pos + MARK.len()..];
    let input = input.split("\n\tsuccesses:").next().unwrap_or(input).trim();
    (reason, Some(name_limits(&squash(input))))
}

/// Integer limits a learner knows by name, spelled out in full by `{:?}`.
const LIMITS: [(&str, &str); 6] = [
    ("18446744073709551615", "u64::MAX"),
    ("-9223372036854775808", "i64::MIN"),
    ("9223372036854775807", "i64::MAX"),
    ("4294967295", "u32::MAX"),
    ("-2147483648", "i32::MIN"),
    ("2147483647", "i32::MAX"),
];

/// `live = 18446744073709551615` → `live = u64::MAX`: whole numbers only.
fn name_limits(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    'scan: while !rest.is_empty() {
        let at_start = !out
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if at_start {
            for (digits, name) in LIMITS {
                if let Some(after) = rest.strip_prefix(digits)
                    && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
                {
                    out.push_str(name);
                    rest = after;
                    continue 'scan;
                }
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The function enclosing `file:line[:col]` (relative to `root`), as `Type::method` or
/// `function`, found by reading the source backwards.
pub fn enclosing_fn(root: &Path, location: &str) -> Option<String> {
    let mut parts = location.rsplitn(3, ':');
    let (a, b) = (parts.next()?, parts.next()?);
    let (file, line) = match parts.next() {
        Some(file) => (file, b),
        None => (b, a),
    };
    let line: usize = line.parse().ok()?;
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let lines: Vec<&str> = text.lines().take(line).collect();
    let mut fn_name = None;
    let mut fn_indent = 0;
    for l in lines.iter().rev() {
        let indent = l.len() - l.trim_start().len();
        let t = l.trim_start();
        if fn_name.is_none() {
            if let Some(name) = item_name(t, "fn ") {
                fn_name = Some(name);
                fn_indent = indent;
            }
            continue;
        }
        if indent < fn_indent && (t.starts_with("impl") || t.starts_with("unsafe impl")) {
            return Some(format!("{}::{}", impl_type(t)?, fn_name?));
        }
        if indent == 0
            && !t.is_empty()
            && !t.starts_with("//")
            && !t.starts_with('#')
            && !t.starts_with('}')
        {
            break;
        }
    }
    fn_name
}

fn item_name(line: &str, keyword: &str) -> Option<String> {
    let pos = line.find(keyword)?;
    let before = &line[..pos];
    let allowed = [
        "pub",
        "pub(crate)",
        "const",
        "unsafe",
        "async",
        "extern",
        "\"C\"",
    ];
    if !before.split_whitespace().all(|w| allowed.contains(&w)) {
        return None;
    }
    let rest = &line[pos + keyword.len()..];
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// `impl<T: Reset> Drop for Pooled<'_, T> {` → `Pooled`; `impl<T> Pool<T> {` → `Pool`.
fn impl_type(line: &str) -> Option<String> {
    let mut rest = line.trim_start_matches("unsafe ").strip_prefix("impl")?;
    // Skip the generic parameter list.
    if rest.starts_with('<') {
        let mut depth = 0;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    let rest = rest.split(" where").next()?.trim_end_matches('{').trim();
    let ty = match rest.split_once(" for ") {
        Some((_, ty)) => ty,
        None => rest,
    };
    let name: String = ty
        .trim()
        .trim_start_matches('&')
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let name = name.rsplit("::").next()?.to_string();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit(code: i32) -> ExitStatus {
        ExitStatus::from_raw(code << 8)
    }

    fn killed(signal: i32) -> ExitStatus {
        ExitStatus::from_raw(signal)
    }

    const PASS: &str = "\nrunning 1 test\ntest heap_goal_doubles ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 7 filtered out; finished in 0.00s\n\n";

    fn failed(name: &str, body: &str) -> String {
        format!(
            "\nrunning 1 test\ntest {name} ... FAILED\n\nfailures:\n\n---- {name} stdout ----\n{body}\n\nfailures:\n    {name}\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.01s\n\n"
        )
    }

    #[test]
    fn a_reported_pass_with_status_zero_passes() {
        assert_eq!(
            classify("heap_goal_doubles", exit(0), PASS, ""),
            Verdict::Pass
        );
    }

    #[test]
    fn a_run_that_filtered_everything_out_is_no_result() {
        let out = "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 8 filtered out\n";
        let v = classify("other", exit(0), out, "");
        assert!(matches!(v, Verdict::NoResult { .. }), "{v:?}");
    }

    #[test]
    fn status_zero_without_a_report_is_never_a_pass() {
        let v = classify("t", exit(0), "\nrunning 1 test\n", "");
        let Verdict::NoResult { detail } = v else {
            panic!("{v:?}")
        };
        assert!(detail.contains("process::exit"), "{detail}");
    }

    #[test]
    fn a_todo_panic_is_not_started_with_its_location() {
        let body = "\nthread 'pool_hands_out' panicked at katas/04-object-pool/src/lib.rs:41:9:\nnot yet implemented: Pool::get with cap 4\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";
        let v = classify(
            "pool_hands_out",
            exit(101),
            &failed("pool_hands_out", body),
            "",
        );
        assert_eq!(
            v,
            Verdict::NotStarted {
                location: "katas/04-object-pool/src/lib.rs:41:9".into(),
                message: "Pool::get with cap 4".into()
            }
        );
    }

    #[test]
    fn panics_with_a_thread_id_are_parsed() {
        let body = "\nthread 't' (6391) panicked at src/lib.rs:5:5:\nnot yet implemented: unwritten(7)\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";
        let v = classify("t", exit(101), &failed("t", body), "");
        assert_eq!(
            v,
            Verdict::NotStarted {
                location: "src/lib.rs:5:5".into(),
                message: "unwritten(7)".into()
            }
        );
    }

    #[test]
    fn an_assertion_failure_keeps_its_message() {
        let body = "\nthread 'm::t' panicked at xtask/suites/x/p.rs:12:5:\nassertion `left == right` failed: goal\n  left: 3\n right: 4\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";
        let v = classify("m::t", exit(101), &failed("m::t", body), "");
        let Verdict::Fail {
            message,
            location,
            minimal_input,
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(
            message,
            "assertion `left == right` failed: goal\n  left: 3\n right: 4"
        );
        assert_eq!(location.as_deref(), Some("xtask/suites/x/p.rs:12:5"));
        assert_eq!(minimal_input, None);
    }

    #[test]
    fn proptest_failures_show_the_minimal_input() {
        let body = "\nthread 'prop' panicked at xtask/suites/x/p.rs:30:1:\nTest failed: goal never shrinks: 3 < 4 at xtask/suites/x/p.rs:35; minimal failing input: gogc = 1, live = 0\n\tsuccesses: 3\n\tlocal rejects: 0\n\tglobal rejects: 0\n";
        let v = classify("prop", exit(101), &failed("prop", body), "");
        let Verdict::Fail {
            message,
            minimal_input,
            ..
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(
            message,
            "goal never shrinks: 3 < 4 at xtask/suites/x/p.rs:35"
        );
        assert_eq!(minimal_input.as_deref(), Some("gogc = 1, live = 0"));
    }

    #[test]
    fn newer_proptest_puts_the_input_on_its_own_line() {
        let msg = "Test failed: boom at x.rs:3.\nminimal failing input: a = Percent(\n    0,\n)\n\tsuccesses: 0\n\tlocal rejects: 0";
        let (reason, input) = split_proptest(msg);
        assert_eq!(reason, "boom at x.rs:3.");
        assert_eq!(input.as_deref(), Some("a = Percent(0)"));
    }

    #[test]
    fn a_pretty_printed_minimal_input_is_squashed_to_one_line() {
        let input = "gogc = Percent(\n    0,\n), limit = None, trace = [\n    Garbage(\n        10,\n    ),\n    Gc,\n]";
        assert_eq!(
            squash(input),
            "gogc = Percent(0), limit = None, trace = [Garbage(10), Gc]"
        );
        assert_eq!(squash("w = W {\n    a: 1,\n}"), "w = W { a: 1 }");
    }

    #[test]
    fn integer_limits_in_a_minimal_input_are_named() {
        assert_eq!(
            name_limits("a = 18446744073709551615, b = [Live(4294967295), -2147483648]"),
            "a = u64::MAX, b = [Live(u32::MAX), i32::MIN]"
        );
        assert_eq!(
            name_limits("x = 184467440737095516150"),
            "x = 184467440737095516150"
        );
        assert_eq!(name_limits("x = 12147483647"), "x = 12147483647");
    }

    #[test]
    fn a_snapshot_mismatch_shows_its_diff_and_source() {
        let body = "Snapshot Summary\nSource: xtask/suites/x/s.rs:9\n-old snapshot\n+new results\n────┬────\n    1     1 │ GOGC\n    2       │-25 68\n          2 │+25 12\n────┴────\nStopped on the first failure.\n\nthread 't' (1) panicked at /root/.cargo/registry/src/x/insta-1.49.0/src/runtime.rs:734:13:\nsnapshot assertion for 't' failed in line 9";
        let v = classify("t", exit(101), &failed("t", body), "");
        let Verdict::Fail {
            message, location, ..
        } = v
        else {
            panic!("{v:?}")
        };
        assert!(message.contains("- expected, + yours"), "{message}");
        assert!(
            message.contains("│-25 68") && message.contains("│+25 12"),
            "{message}"
        );
        assert!(!message.contains('┬'), "{message}");
        assert_eq!(location.as_deref(), Some("xtask/suites/x/s.rs:9"));
    }

    #[test]
    fn a_todo_inside_a_proptest_is_not_started() {
        let body = "\nthread 'prop' panicked at katas/01-gc-pacer/src/lib.rs:20:5:\nnot yet implemented: heap_goal(0)\n\nthread 'prop' panicked at xtask/suites/x/p.rs:30:1:\nTest failed: not yet implemented: heap_goal(0); minimal failing input: live = 0\n\tsuccesses: 0\n";
        let v = classify("prop", exit(101), &failed("prop", body), "");
        assert!(
            matches!(&v, Verdict::NotStarted { location, .. } if location == "katas/01-gc-pacer/src/lib.rs:20:5"),
            "{v:?}"
        );
    }

    #[test]
    fn signals_are_crashes_named_for_their_cause() {
        let v = classify(
            "t",
            killed(libc::SIGABRT),
            "",
            "\nthread 't' has overflowed its stack\nfatal runtime error: stack overflow\n",
        );
        let Verdict::Crash { detail, .. } = v else {
            panic!("{v:?}")
        };
        assert!(detail.starts_with("stack overflow"), "{detail}");
        let v = classify("t", killed(libc::SIGSEGV), "", "");
        let Verdict::Crash { detail, .. } = v else {
            panic!("{v:?}")
        };
        assert!(detail.contains("SIGSEGV"), "{detail}");
        let v = classify(
            "t",
            killed(libc::SIGABRT),
            "",
            "thread 't' panicked at src/lib.rs:3:1:\nboom\npanic in a destructor during cleanup\n",
        );
        let Verdict::Crash { detail, .. } = v else {
            panic!("{v:?}")
        };
        assert!(detail.contains("Drop"), "{detail}");
    }

    #[test]
    fn a_loom_abort_after_a_panic_is_judged_by_the_panic() {
        let err = "thread 't' (1) panicked at katas/09-x/src/lib.rs:135:9:\nnot yet implemented: allocate\n\nthread 't' (1) panicked at loom-0.7.3/src/rt/scheduler.rs:128:13:\ncannot access Loom execution state from outside a Loom model.\n\nthread 't' (1) panicked at library/core/src/panicking.rs:233:5:\npanic in a destructor during cleanup\nthread caused non-unwinding panic. aborting.\n";
        let v = classify("t", killed(libc::SIGABRT), "", err);
        assert!(
            matches!(&v, Verdict::NotStarted { location, .. } if location == "katas/09-x/src/lib.rs:135:9"),
            "{v:?}"
        );
        let err = err.replace(
            "not yet implemented: allocate",
            "ids must be unique: [1, 1]",
        );
        let v = classify("t", killed(libc::SIGABRT), "", &err);
        assert!(
            matches!(&v, Verdict::Fail { message, .. } if message == "ids must be unique: [1, 1]"),
            "{v:?}"
        );
    }

    /// What a loom model printed for a `Relaxed` that had to be `Release` (kata 12, with the
    /// grader's rerun under `LOOM_LOCATION=1`): the race, then loom's own check failing as
    /// the race unwinds through a `Drop`, then the abort with a forced backtrace.
    const LOOM_RACE_ABORT: &str = "\nrunning 1 test\ntest values_left_in_the_ring_are_dropped_once_whichever_half_goes_last ... \nthread 'values_left_in_the_ring_are_dropped_once_whichever_half_goes_last' (8567) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/location.rs:115:9:\n\nCausality violation: Concurrent read and write accesses.\n    created: katas/12-spsc-ring/src/lib.rs:103:22\n       read: thread #0 @ katas/12-spsc-ring/src/lib.rs:360:26\n      write: thread #1 @ katas/12-spsc-ring/src/lib.rs:248:14\n\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\nthread 'values_left_in_the_ring_are_dropped_once_whichever_half_goes_last' (8567) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/cell.rs:75:13:\ncurrently reading from cell\nstack backtrace:\n   0:     0x55c76dcb9eda - <<std[e28293b1aa0f68bd]::sys::backtrace::BacktraceLock>::print::DisplayBacktrace as core[c1f1a4ba060b9bfa]::fmt::Display>::fmt\n  14:     0x55c76dba8840 - loom::cell::unsafe_cell::UnsafeCell<T>::with_mut::h86389bd80d7cfe79\n  15:     0x55c76dba5ef4 - core::ptr::drop_in_place<spsc_ring::RingBuffer<loom_ring::Counted>>::h03edf6ec360a4ac9\n  21:                0x0 - <unknown>\n\nthread 'values_left_in_the_ring_are_dropped_once_whichever_half_goes_last' (8567) panicked at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/panicking.rs:233:5:\npanic in a destructor during cleanup\nthread caused non-unwinding panic. aborting.\n";

    #[test]
    fn a_loom_abort_after_a_race_is_one_failure_that_blames_no_drop() {
        let v = classify("t", killed(libc::SIGABRT), LOOM_RACE_ABORT, "");
        let Verdict::Fail {
            message, location, ..
        } = &v
        else {
            panic!("{v:?}")
        };
        assert!(!message.contains("Drop"), "{message}");
        assert!(!message.contains("currently reading"), "{message}");
        assert!(message.starts_with("data race"), "{message}");
        assert_eq!(
            location.as_deref(),
            Some("katas/12-spsc-ring/src/lib.rs:360:26")
        );
    }

    #[test]
    fn a_located_loom_race_names_each_threads_access_at_the_learners_lines() {
        let v = classify("t", killed(libc::SIGABRT), LOOM_RACE_ABORT, "");
        let Verdict::Fail { message, .. } = &v else {
            panic!("{v:?}")
        };
        assert!(
            message.contains(
                "thread #0 (the model's own) read it at katas/12-spsc-ring/src/lib.rs:360:26"
            ),
            "{message}"
        );
        assert!(
            message.contains(
                "thread #1 (spawned 1st) wrote it at katas/12-spsc-ring/src/lib.rs:248:14"
            ),
            "{message}"
        );
        assert!(
            message.contains("created at katas/12-spsc-ring/src/lib.rs:103:22"),
            "{message}"
        );
        assert!(!message.contains("registry"), "{message}");
    }

    #[test]
    fn an_unlocated_loom_race_never_points_into_loom() {
        let body = "\nthread 't' (9) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/location.rs:115:9:\nCausality violation: Concurrent read and write accesses.\n\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";
        let v = classify("t", exit(101), &failed("t", body), "");
        let Verdict::Fail {
            message, location, ..
        } = &v
        else {
            panic!("{v:?}")
        };
        assert_eq!(location, &None, "{v:?}");
        assert!(message.starts_with("data race"), "{message}");
    }

    #[test]
    fn a_loom_deadlock_is_said_in_words_without_loom_lines() {
        let body = "\nthread 't' (9) panicked at /root/.cargo/registry/src/x/loom-0.7.3/src/rt/execution.rs:214:13:\ndeadlock; threads = [(Id(0), Blocked), (Id(1), Blocked)]\n";
        let v = classify("t", exit(101), &failed("t", body), "");
        let Verdict::Fail {
            message, location, ..
        } = &v
        else {
            panic!("{v:?}")
        };
        assert!(message.starts_with("deadlock: every thread"), "{message}");
        assert_eq!(location, &None);
    }

    #[test]
    fn a_loom_abort_with_only_loom_aftermath_blames_no_drop() {
        let err = "thread 't' (1) panicked at /x/loom-0.7.3/src/rt/cell.rs:75:13:\ncurrently reading from cell\n\nthread 't' (1) panicked at library/core/src/panicking.rs:233:5:\npanic in a destructor during cleanup\nthread caused non-unwinding panic. aborting.\n";
        let v = classify("t", killed(libc::SIGABRT), "", err);
        let Verdict::Crash { detail, .. } = &v else {
            panic!("{v:?}")
        };
        assert!(!detail.contains("Drop"), "{detail}");
        assert!(detail.contains("loom model aborted"), "{detail}");
    }

    #[test]
    fn a_panic_inside_a_property_is_shown_at_the_line_that_panicked() {
        let body = "\nthread 'prop' panicked at katas/01-x/src/lib.rs:48:17:\nattempt to multiply with overflow\n\nthread 'prop' panicked at katas/01-x/src/lib.rs:48:17:\nattempt to multiply with overflow\n\nthread 'prop' panicked at xtask/suites/01-x/p.rs:30:1:\nTest failed: attempt to multiply with overflow.\nminimal failing input: live = 18446744073709551615\n\tsuccesses: 3\n\tlocal rejects: 0\n";
        let v = classify("prop", exit(101), &failed("prop", body), "");
        let Verdict::Fail {
            message,
            location,
            minimal_input,
        } = &v
        else {
            panic!("{v:?}")
        };
        assert_eq!(location.as_deref(), Some("katas/01-x/src/lib.rs:48:17"));
        assert_eq!(message, "attempt to multiply with overflow.");
        assert_eq!(minimal_input.as_deref(), Some("live = u64::MAX"));
    }

    #[test]
    fn a_property_that_fails_without_a_panic_keeps_the_suites_line() {
        let body = "\nthread 'prop' panicked at xtask/suites/x/p.rs:30:1:\nTest failed: goal never shrinks at xtask/suites/x/p.rs:35.\nminimal failing input: live = 0\n\tsuccesses: 3\n";
        let v = classify("prop", exit(101), &failed("prop", body), "");
        assert!(
            matches!(&v, Verdict::Fail { location: Some(l), .. } if l == "xtask/suites/x/p.rs:30:1"),
            "{v:?}"
        );
    }

    #[test]
    fn values_named_by_the_message_are_printed_once() {
        let proptest = "assertion failed: `(left == right)` \n  left: `Some(4194304)`, \n right: `Some(8388608)`: heap_goal(0) with GOGC=100: expected Some(8388608), got Some(4194304) at xtask/suites/01-gc-pacer/properties.rs:160";
        assert_eq!(
            print_values_once(proptest),
            "heap_goal(0) with GOGC=100: expected Some(8388608), got Some(4194304) at xtask/suites/01-gc-pacer/properties.rs:160"
        );
        // A message that does not show the values keeps them, after it.
        let proptest = "assertion failed: `(left == right)` \n  left: `3`, \n right: `4`: Consumer::slots() after step 1 at p.rs:7";
        assert_eq!(
            print_values_once(proptest),
            "Consumer::slots() after step 1 at p.rs:7\n  left: 3\n right: 4"
        );
        let std =
            "assertion `left == right` failed: cap 2: expected 1 idle, got 3\n  left: 3\n right: 1";
        assert_eq!(print_values_once(std), "cap 2: expected 1 idle, got 3");
        // Values that only occur inside longer words or numbers are not "named".
        let std = "assertion `left == right` failed: expected the count after step 10\n  left: 1\n right: 0";
        assert_eq!(print_values_once(std), std);
        let plain = "assertion failed: `(left == right)` \n  left: `1`,\n right: `2` at p.rs:9";
        assert_eq!(
            print_values_once(plain),
            "assertion failed: left == right at p.rs:9\n  left: 1\n right: 2"
        );
    }

    #[test]
    fn other_exit_codes_are_no_result() {
        let v = classify("t", exit(3), "", "");
        let Verdict::NoResult { detail } = v else {
            panic!("{v:?}")
        };
        assert!(detail.contains("code 3"), "{detail}");
    }

    #[test]
    fn the_enclosing_function_is_named_with_its_type() {
        let dir = tempfile::tempdir().unwrap();
        let src = "use x;\n\nimpl<T: Reset> Pool<T> {\n    /// Gets.\n    pub fn get(&self) -> T {\n        todo!(\"get\")\n    }\n}\n\npub fn free(a: u8) -> u8 {\n    todo!(\"{a}\")\n}\n\nimpl<T> Drop for Pooled<'_, T> {\n    fn drop(&mut self) {\n        todo!()\n    }\n}\n";
        std::fs::write(dir.path().join("lib.rs"), src).unwrap();
        assert_eq!(
            enclosing_fn(dir.path(), "lib.rs:6:9").as_deref(),
            Some("Pool::get")
        );
        assert_eq!(
            enclosing_fn(dir.path(), "lib.rs:11:5").as_deref(),
            Some("free")
        );
        assert_eq!(
            enclosing_fn(dir.path(), "lib.rs:16:9").as_deref(),
            Some("Pooled::drop")
        );
        assert_eq!(enclosing_fn(dir.path(), "missing.rs:1:1"), None);
    }
}
