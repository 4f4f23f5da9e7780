//! The grader never hangs and never lies: each misbehaving fixture test gets the right verdict
//! within its timeout, and none is reported as a pass.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use xtask::build::{self, BuildOutcome, BuildRequest, Flavor};
use xtask::run::{self, RunEvent, TestCase};
use xtask::verdict::Verdict;

const TIMEOUT: Duration = Duration::from_secs(3);

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

fn run_hostile() -> Vec<(String, Verdict, Duration)> {
    let BuildOutcome::Built(binaries, _) = build::build(&request("hostile"), |_| {}).unwrap()
    else {
        panic!("the hostile fixture must compile");
    };
    let binary = &binaries[0];
    let cases: Vec<TestCase> = run::list_tests(binary)
        .unwrap()
        .into_iter()
        .map(|name| TestCase {
            binary: binary.clone(),
            name,
            timeout: TIMEOUT,
            cwd: fixture("hostile"),
            env: Vec::new(),
        })
        .collect();
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

#[test]
fn every_hostile_test_gets_its_verdict_in_time_and_none_passes_wrongly() {
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
