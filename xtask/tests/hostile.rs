//! The grader never hangs and never lies: each misbehaving fixture test gets the right verdict
//! within its timeout, and none is reported as a pass.

use std::path::PathBuf;
use std::sync::{RwLock, mpsc};
use std::time::{Duration, Instant};

use xtask::build::{self, BuildOutcome, BuildRequest, Flavor};
use xtask::run::{self, RunEvent, TestCase};
use xtask::verdict::{SkipReason, Verdict};

const TIMEOUT: Duration = Duration::from_secs(3);

/// The test that asks gdb where a loop is stuck runs alone (write); the others, whose fixtures
/// spin both cores, share (read). Under their load gdb could miss its window and the test
/// would fail for the machine's sake, not the grader's.
static CORES: RwLock<()> = RwLock::new(());

fn cores_shared() -> std::sync::RwLockReadGuard<'static, ()> {
    CORES.read().unwrap_or_else(|e| e.into_inner())
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn request(name: &str) -> BuildRequest {
    BuildRequest {
        manifest_path: fixture(name).join("Cargo.toml"),
        package: name.to_string(),
        targets: vec![name.to_string()],
        flavor: Flavor::Normal,
        target_dir: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fixtures"),
        color: false,
    }
}

/// The hostile fixture's tests, as cases for the runner.
fn hostile_cases() -> Vec<TestCase> {
    let BuildOutcome::Built(binaries, _) = build::build(&request("hostile"), |_| {}).unwrap()
    else {
        panic!("the hostile fixture must compile");
    };
    let binary = &binaries[0];
    run::list_tests(binary)
        .unwrap()
        .into_iter()
        .map(|name| TestCase {
            binary: binary.clone(),
            name,
            timeout: TIMEOUT,
            dir: fixture("hostile"),
            scratch: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile-tmp"),
            env: Vec::new(),
            memory_mib: 1024,
        })
        .collect()
}

/// Runs `cases` and returns each one's name and verdict (skipped ones as `Skipped`).
fn run_cases(cases: &[TestCase], jobs: usize, policy: run::Policy) -> Vec<(String, Verdict)> {
    let (tx, rx) = mpsc::channel();
    run::run_all(cases, jobs, policy, tx);
    rx.into_iter()
        .filter_map(|e| match e {
            RunEvent::TestFinished { index, outcome } => {
                Some((cases[index].name.clone(), outcome.verdict))
            }
            RunEvent::TestSkipped { index, reason } => {
                Some((cases[index].name.clone(), Verdict::Skipped { reason }))
            }
            RunEvent::TestStarted { .. } => None,
        })
        .collect()
}

fn run_hostile() -> Vec<(String, Verdict, Duration)> {
    let cases = hostile_cases();
    let (tx, rx) = mpsc::channel();
    run::run_all(&cases, 4, run::Policy::default(), tx);
    rx.into_iter()
        .filter_map(|e| match e {
            RunEvent::TestFinished { index, outcome } => {
                Some((cases[index].name.clone(), outcome.verdict, outcome.duration))
            }
            _ => None,
        })
        .collect()
}

/// gdb is installed and may attach to a process it did not start (no Yama restriction).
fn gdb_can_attach() -> bool {
    let installed = std::process::Command::new("gdb")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let scope = std::fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope");
    installed && scope.map_or(true, |s| s.trim() == "0")
}

/// The hostile cases named `names`, in that order.
fn pick(cases: &[TestCase], names: &[&str]) -> Vec<TestCase> {
    names
        .iter()
        .map(|n| cases.iter().find(|c| c.name == *n).unwrap().clone())
        .collect()
}

#[test]
fn after_two_timeouts_no_new_test_starts_and_the_loop_is_named() {
    let _alone = CORES.write().unwrap_or_else(|e| e.into_inner());
    // Long enough for gdb to attach on a busy machine: it looks at half the timeout.
    let timeout = Duration::from_secs(8);
    let cases: Vec<TestCase> = pick(
        &hostile_cases(),
        &[
            "loops_forever",
            "deadlocks",
            "floods_output_forever",
            "passes",
            "fails_an_assertion",
        ],
    )
    .into_iter()
    .map(|c| TestCase { timeout, ..c })
    .collect();
    let policy = run::Policy {
        max_timeouts: Some(2),
        locate_hangs: true,
        ..run::Policy::default()
    };
    let started = Instant::now();
    let results = run_cases(&cases, 2, policy);
    let took = started.elapsed();
    assert_eq!(results.len(), cases.len(), "{results:#?}");
    let verdict = |name: &str| &results.iter().find(|(n, _)| n == name).unwrap().1;
    for name in ["loops_forever", "deadlocks"] {
        assert_eq!(verdict(name).kind(), "timeout", "{results:#?}");
    }
    for name in ["floods_output_forever", "passes", "fails_an_assertion"] {
        assert_eq!(
            *verdict(name),
            Verdict::Skipped {
                reason: SkipReason::AfterTimeouts { timeouts: 2 }
            },
            "{results:#?}"
        );
    }
    // Two at once, both killed: one timeout, not five.
    assert!(took < 2 * timeout, "{took:?}");
    if gdb_can_attach() {
        for (name, line) in [("loops_forever", 32), ("deadlocks", 41)] {
            let Verdict::Timeout { stuck_at, .. } = verdict(name) else {
                unreachable!()
            };
            let stuck_at = stuck_at
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: where it was stuck is not named"));
            assert_eq!(stuck_at.function, name);
            let (file, at) = stuck_at.location.rsplit_once(':').unwrap();
            assert_eq!(file, "tests/hostile.rs");
            // The loop's jump back may be attributed to its `loop {` line.
            let at: u32 = at.parse().unwrap();
            assert!((line - 1..=line).contains(&at), "{stuck_at:?}");
        }
    }
}

#[test]
fn a_spent_budget_stops_new_tests_but_lets_running_ones_finish() {
    let _cores = cores_shared();
    let cases = pick(
        &hostile_cases(),
        &["passes", "loops_forever", "deadlocks", "fails_an_assertion"],
    );
    let budget = Duration::from_secs(1);
    let policy = run::Policy {
        budget: Some(budget),
        ..run::Policy::default()
    };
    let results = run_cases(&cases, 2, policy);
    let verdict = |name: &str| &results.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(*verdict("passes"), Verdict::Pass, "{results:#?}");
    // Started within the budget: each keeps its own timeout.
    for name in ["loops_forever", "deadlocks"] {
        assert!(
            matches!(verdict(name), Verdict::Timeout { after, .. } if *after == TIMEOUT),
            "{results:#?}"
        );
    }
    assert_eq!(
        *verdict("fails_an_assertion"),
        Verdict::Skipped {
            reason: SkipReason::BudgetSpent { budget }
        },
        "{results:#?}"
    );
}

#[test]
fn every_hostile_test_gets_its_verdict_in_time_and_none_passes_wrongly() {
    let _cores = cores_shared();
    let started = Instant::now();
    let results = run_hostile();
    let by_name = |name: &str| {
        results
            .iter()
            .find(|(n, _, _)| n == name)
            .unwrap_or_else(|| panic!("no result for {name}: {results:#?}"))
    };
    let expect = |name: &str, kind: &str, needle: &str| {
        let (_, verdict, took) = by_name(name);
        assert_eq!(verdict.kind(), kind, "{name}: {verdict:#?}");
        let text = format!("{verdict:?}");
        assert!(
            text.contains(needle),
            "{name}: expected `{needle}` in {text}"
        );
        assert!(
            *took < TIMEOUT + Duration::from_secs(3),
            "{name} took {took:?}"
        );
    };
    expect("passes", "pass", "");
    expect("fails_an_assertion", "fail", "one plus one");
    expect("reaches_a_todo", "not_started", "src/lib.rs:5");
    expect("loops_forever", "timeout", "3s");
    expect("deadlocks", "timeout", "3s");
    expect("aborts", "crash", "SIGABRT");
    expect("overflows_the_stack", "crash", "stack overflow");
    expect("segfaults", "crash", "SIGSEGV");
    expect("exits_with_status_zero", "no_result", "process::exit");
    expect("exits_with_status_three", "no_result", "code 3");
    expect("floods_output_then_fails", "fail", "after the flood");
    expect("floods_output_forever", "timeout", "3s");
    expect("panics_in_drop", "fail", "panic in Drop");
    expect("panics_in_drop_while_unwinding", "crash", "Drop");
    assert_eq!(results.len(), 15, "{results:#?}");
    let passes: Vec<_> = results
        .iter()
        .filter(|(_, v, _)| *v == Verdict::Pass)
        .map(|(n, _, _)| n)
        .collect();
    assert!(
        passes
            .iter()
            .all(|n| *n == "passes" || *n == "spawns_a_child_that_outlives_it"),
        "only honest passes: {passes:?}"
    );
    // 15 tests, 4 of them killed at 3 s, on 4 workers: well under a minute.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_compile_error_is_shown_as_rustc_renders_it() {
    let _cores = cores_shared();
    let outcome = build::build(&request("broken"), |_| {}).unwrap();
    let BuildOutcome::Failed(failure) = outcome else {
        panic!("the broken fixture must not compile: {outcome:?}");
    };
    assert_eq!(failure.total, 1, "{failure:#?}");
    let rendered = &failure.errors[0];
    assert!(
        rendered.contains("error[E0308]: mismatched types"),
        "{rendered}"
    );
    assert!(rendered.contains("src/lib.rs:5:5"), "{rendered}");
}
