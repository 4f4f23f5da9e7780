//! Runs every test in its own process (`<bin> --exact NAME`), in parallel up to the core
//! count, each with a timeout, with output captured and capped. The runner never prints: it
//! reports [`RunEvent`]s to whoever listens.

use std::collections::VecDeque;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::build::Binary;
use crate::error::Result;
use crate::hang;
use crate::sandbox;
use crate::text;
use crate::verdict::{self, SkipReason, Verdict};

/// Bytes kept from the start of a test's output.
pub const HEAD_BYTES: usize = 16 * 1024;
/// Bytes kept from the end of a test's output (where libtest puts the panic and summary).
pub const TAIL_BYTES: usize = 48 * 1024;
/// After a timeout: time between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_millis(500);
/// After the test process exits: how long its pipes may stay open (a process it left behind)
/// before the grader stops reading them.
const PIPE_LINGER: Duration = Duration::from_secs(2);

/// One test to run.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The binary holding it.
    pub binary: Binary,
    /// The libtest name (`module::test_name`).
    pub name: String,
    /// Killed after this long.
    pub timeout: Duration,
    /// The crate under test's folder (its frames are where a hung test is reported).
    pub dir: PathBuf,
    /// A folder of the grader's for the test's throwaway working directory.
    pub scratch: PathBuf,
    /// Extra environment.
    pub env: Vec<(String, String)>,
    /// Address-space limit in MiB.
    pub memory_mib: u64,
}

/// What happened to one test.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    /// The verdict.
    pub verdict: Verdict,
    /// Wall time.
    pub duration: Duration,
    /// Captured stdout and stderr (capped), for the report.
    pub output: String,
}

/// Runner events, named subject + past tense.
#[derive(Debug, Clone)]
pub enum RunEvent {
    /// A test process was started.
    TestStarted {
        /// Index into the cases.
        index: usize,
    },
    /// A test process ended (or was killed) and has a verdict.
    TestFinished {
        /// Index into the cases.
        index: usize,
        /// Its outcome.
        outcome: TestOutcome,
    },
    /// A test was not started because the [`Policy`] stopped the run.
    TestSkipped {
        /// Index into the cases.
        index: usize,
        /// Why the run stopped.
        reason: SkipReason,
    },
}

/// When the runner stops starting tests, and what it watches. Tests already running always
/// finish within their own timeouts, so loom models keep their longer limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// Stop after the first verdict other than pass (mutant runs).
    pub fail_fast: bool,
    /// Stop once this many tests have timed out or are past their timeout: a loop every
    /// check reaches would otherwise cost one timeout per check.
    pub max_timeouts: Option<usize>,
    /// Stop once this much time has passed since the run began (a kata's budget in `grade`).
    pub budget: Option<Duration>,
    /// Shortly before a test's timeout, ask for a backtrace to name where it is stuck.
    pub locate_hangs: bool,
}

/// How long before a test's timeout (at most half of it) its backtrace is taken: gdb needs
/// a second or two on a busy machine, and a healthy check rarely runs past half its timeout
/// (the one that does is paused for a fraction of a second).
const LOOK_AHEAD: Duration = Duration::from_secs(5);

/// Lists the tests in a binary (`--list --format terse`).
pub fn list_tests(binary: &Binary) -> Result<Vec<String>> {
    let out = Command::new(&binary.path)
        .args(["--list", "--format", "terse"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| crate::err!("cannot run {}: {e}", binary.path.display()))?;
    if !out.status.success() {
        crate::bail!(
            "the test binary {} could not list its tests ({}): {}",
            binary.target,
            describe_status(out.status),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Runs `cases` on `jobs` worker threads, sending events to `events`, until done or until
/// `policy` stops it: then every case not yet started is reported as skipped.
pub fn run_all(cases: &[TestCase], jobs: usize, policy: Policy, events: mpsc::Sender<RunEvent>) {
    let jobs = jobs.max(1);
    let began = Instant::now();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let timeouts = AtomicUsize::new(0);
    // Per worker: when its running test started, and its timeout.
    let running: Mutex<Vec<Option<(Instant, Duration)>>> = Mutex::new(vec![None; jobs]);
    let stop_reason = |now: Instant, running: &[Option<(Instant, Duration)>]| {
        if policy.fail_fast && failed.load(Ordering::Relaxed) {
            return Some(SkipReason::AfterAFailure);
        }
        if let Some(budget) = policy.budget
            && now.duration_since(began) >= budget
        {
            return Some(SkipReason::BudgetSpent { budget });
        }
        let overdue = running
            .iter()
            .flatten()
            .filter(|(start, timeout)| now.duration_since(*start) > *timeout)
            .count();
        let timeouts = timeouts.load(Ordering::Relaxed) + overdue;
        match policy.max_timeouts {
            Some(max) if timeouts >= max => Some(SkipReason::AfterTimeouts { timeouts }),
            _ => None,
        }
    };
    std::thread::scope(|scope| {
        for worker in 0..jobs {
            let events = events.clone();
            let (next, failed, timeouts, running) = (&next, &failed, &timeouts, &running);
            let stop_reason = &stop_reason;
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(index) else { break };
                    let skip = {
                        let mut running = running.lock().unwrap_or_else(|e| e.into_inner());
                        let now = Instant::now();
                        let skip = stop_reason(now, &running);
                        if skip.is_none() {
                            running[worker] = Some((now, case.timeout));
                        }
                        skip
                    };
                    if let Some(reason) = skip {
                        let _ = events.send(RunEvent::TestSkipped { index, reason });
                        continue;
                    }
                    let _ = events.send(RunEvent::TestStarted { index });
                    let outcome = if policy.locate_hangs {
                        run_watched(case)
                    } else {
                        run_one(case)
                    };
                    if outcome.verdict != Verdict::Pass {
                        failed.store(true, Ordering::Relaxed);
                    }
                    {
                        let mut running = running.lock().unwrap_or_else(|e| e.into_inner());
                        if matches!(outcome.verdict, Verdict::Timeout { .. }) {
                            timeouts.fetch_add(1, Ordering::Relaxed);
                        }
                        running[worker] = None;
                    }
                    let _ = events.send(RunEvent::TestFinished { index, outcome });
                }
            });
        }
    });
}

/// [`run_one`], with a look at where the test is stuck when it is still running shortly
/// before its timeout.
fn run_watched(case: &TestCase) -> TestOutcome {
    let deadline = Instant::now() + case.timeout;
    let look_at = case.timeout - LOOK_AHEAD.min(case.timeout / 2);
    let (finished, finished_rx) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let watcher = scope.spawn(move || match finished_rx.recv_timeout(look_at) {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                hang::locate(&case.name, &case.binary.path, &case.dir, deadline)
            }
            _ => None,
        });
        let mut outcome = run_one(case);
        drop(finished);
        let found = watcher.join().ok().flatten();
        if let Verdict::Timeout { stuck_at, .. } = &mut outcome.verdict {
            *stuck_at = found;
        }
        outcome
    })
}

/// Runs one test in its own isolated process (see [`crate::sandbox::process`]) and
/// classifies the result. A pass needs the test kit's proof that the body returned.
pub fn run_one(case: &TestCase) -> TestOutcome {
    let start = Instant::now();
    let command = sandbox::process::TestCommand {
        binary: case.binary.path.clone(),
        args: vec![
            "--exact".into(),
            case.name.clone(),
            "--test-threads=1".into(),
        ],
        env: case.env.clone(),
        memory_mib: case.memory_mib,
    };
    let mut started = match sandbox::process::start(&command, &case.scratch) {
        Ok(started) => started,
        Err(e) => {
            return TestOutcome {
                verdict: Verdict::NoResult {
                    detail: e.to_string(),
                },
                duration: start.elapsed(),
                output: String::new(),
            };
        }
    };
    let pid = started.child.id() as i32;
    let stdout = Capture::spawn(started.child.stdout.take().expect("piped"));
    let stderr = Capture::spawn(started.child.stderr.take().expect("piped"));
    let proof = Capture::spawn(started.proof.try_clone().expect("a pipe can be duplicated"));
    let expected = started.expected_proof();

    let (tx, rx) = mpsc::channel();
    let mut child = started.child;
    let waiter = std::thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send(());
        (status, child)
    });
    let timed_out = match rx.recv_timeout(case.timeout) {
        Ok(()) => false,
        Err(_) => {
            signal(pid, libc::SIGTERM);
            if rx.recv_timeout(GRACE).is_err() {
                signal(pid, libc::SIGKILL);
            }
            true
        }
    };
    let (status, child) = match waiter.join() {
        Ok((status, child)) => (status.ok(), Some(child)),
        Err(_) => (None, None),
    };
    let duration = start.elapsed();
    // Whatever the test left running in its session goes now, which also closes its pipes.
    if let Some(child) = child {
        started.child = child;
        started.clean_up();
    }
    drop(started.proof);
    let deadline = Instant::now() + PIPE_LINGER;
    let (out, err) = (stdout.finish(deadline).text, stderr.finish(deadline).text);
    let proof = proof.finish(deadline).text;
    // Escape sequences and control characters never reach a terminal or a report.
    let (out, err) = (text::sanitize(&out), text::sanitize(&err));
    let verdict = match status {
        _ if timed_out => Verdict::Timeout {
            after: case.timeout,
            stuck_at: None,
        },
        Some(status) => match verdict::classify(&case.name, status, &out, &err) {
            Verdict::Pass if !sandbox::process::proven(&expected, &proof) => Verdict::NoResult {
                detail: UNPROVEN.into(),
            },
            v => v,
        },
        None => Verdict::NoResult {
            detail: "the grader lost track of the test process".into(),
        },
    };
    let output = join_output(&out, &err);
    TestOutcome {
        verdict,
        duration,
        output,
    }
}

/// Why a test that looked passed is not.
pub const UNPROVEN: &str = "the test process reported success, but the check's body never \
    returned to the grader's proof (did the code end the process early, or print test results \
    itself?). That is never a pass.";

fn signal(pid: i32, signal: i32) {
    // SAFETY: `kill` has no memory-safety preconditions. `pid` is our own child, not yet
    // reaped (the waiter thread has not returned), so the pid cannot have been reused.
    unsafe {
        libc::kill(pid, signal);
    }
}

fn join_output(out: &str, err: &str) -> String {
    match (out.trim().is_empty(), err.trim().is_empty()) {
        (true, true) => String::new(),
        (false, true) => out.to_string(),
        (true, false) => err.to_string(),
        (false, false) => format!("{out}\n{err}"),
    }
}

/// Describes an exit status in words: "exit code 3", "signal 6 (SIGABRT)".
pub fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(sig)) => format!("signal {sig} ({})", verdict::signal_name(sig)),
        _ => "unknown status".into(),
    }
}

/// A pipe reader that keeps the first [`HEAD_BYTES`] and the last [`TAIL_BYTES`] of a
/// stream and counts what it drops, so a flood can neither stall the child nor the grader.
struct Capture {
    done: mpsc::Receiver<Captured>,
    reader: Option<std::thread::JoinHandle<()>>,
}

struct Captured {
    text: String,
}

impl Capture {
    fn spawn(mut pipe: impl Read + Send + 'static) -> Self {
        let (tx, done) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut head = Vec::new();
            let mut tail: VecDeque<u8> = VecDeque::new();
            let mut dropped: u64 = 0;
            let mut buf = [0u8; 16 * 1024];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut chunk = &buf[..n];
                        if head.len() < HEAD_BYTES {
                            let take = chunk.len().min(HEAD_BYTES - head.len());
                            head.extend_from_slice(&chunk[..take]);
                            chunk = &chunk[take..];
                        }
                        tail.extend(chunk);
                        let excess = tail.len().saturating_sub(TAIL_BYTES);
                        if excess > 0 {
                            tail.drain(..excess);
                            dropped += excess as u64;
                        }
                    }
                }
            }
            let mut text = String::from_utf8_lossy(&head).into_owned();
            if dropped > 0 {
                text.push_str(&format!(
                    "\n[… {dropped} bytes of output cut by the grader …]\n"
                ));
            }
            text.push_str(&String::from_utf8_lossy(tail.make_contiguous()));
            let _ = tx.send(Captured { text });
        });
        Self {
            done,
            reader: Some(reader),
        }
    }

    /// What was captured, waiting at most until `deadline` for the pipe to close.
    fn finish(mut self, deadline: Instant) -> Captured {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.done.recv_timeout(wait) {
            Ok(captured) => {
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                captured
            }
            // Left running: it ends when the holder of the pipe is killed.
            Err(_) => Captured {
                text: "[output unavailable: the test left a process holding its output open]"
                    .into(),
            },
        }
    }
}

/// How many tests to run at once: the machine's cores.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}
