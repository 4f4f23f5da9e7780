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
/// primitives panic when dropped outside the model), so there the first panic is the verdict.
fn crash(signal: i32, stdout: &str, stderr: &str) -> Verdict {
    let all = format!("{stdout}\n{stderr}");
    let first = panics(&all).into_iter().next();
    if let Some(p) = &first {
        if let Some(rest) = p.message.strip_prefix(TODO_PREFIX) {
            return Verdict::NotStarted {
                location: p.location.clone(),
                message: rest.trim_start_matches(':').trim().to_string(),
            };
        }
        if all.contains("cannot access Loom execution state") {
            let (message, minimal_input) = split_proptest(&p.message);
            return Verdict::Fail {
                message,
                location: Some(p.location.clone()),
                minimal_input,
            };
        }
    }
    let mut detail = crash_detail(signal, stdout, stderr);
    if let Some(p) = first {
        let message = p.message.lines().next().unwrap_or("");
        detail.push_str(&format!(", after a panic at {}: {message}", p.location));
    }
    Verdict::Crash { signal, detail }
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
    let (message, minimal_input) = split_proptest(&last.message);
    if let Some(rest) = message.strip_prefix(TODO_PREFIX) {
        return Verdict::NotStarted {
            location: last.location.clone(),
            message: rest.trim_start_matches(':').trim().to_string(),
        };
    }
    Verdict::Fail {
        message,
        location: Some(last.location.clone()),
        minimal_input,
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
    (reason, Some(squash(input)))
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
