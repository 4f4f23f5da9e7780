//! Feedback a learner can act on, end to end: the `feedback` fixture is a learner's crate with
//! one planted bug per kind of failure, built and run through the suite layer (which reruns a
//! racing loom model with loom's locations on) and rendered as `check` renders it. Every
//! verdict must point at the fixture's own lines, once, with a small input.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use xtask::build::{self, BuildOutcome, BuildRequest, Flavor};
use xtask::curriculum::{Kata, Loom};
use xtask::report::{self, HumanListener, Style};
use xtask::run::TestOutcome;
use xtask::suite::{self, Check, Options, Quiet};
use xtask::verdict::Verdict;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feedback")
}

fn kata() -> Kata {
    Kata {
        slug: "00-feedback".into(),
        title: "planted bugs".into(),
        topic: "feedback".into(),
        points: 1,
        timeout: 30,
        hints: Vec::new(),
        hints_fr: Vec::new(),
        title_fr: None,
        loom: Some(Loom {
            timeout: 60,
            preemptions: 2,
        }),
        suite_checksum: None,
        budget: None,
        dependencies: Vec::new(),
        memory_mib: None,
    }
}

/// Every check of the fixture, run once for all the tests here.
fn results() -> &'static [(Check, TestOutcome)] {
    static RESULTS: OnceLock<Vec<(Check, TestOutcome)>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let request = BuildRequest {
            manifest_path: fixture().join("Cargo.toml"),
            package: "feedback".into(),
            targets: vec!["loom_race".into(), "properties".into()],
            flavor: Flavor::Normal,
            target_dir: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fixtures"),
            color: false,
        };
        let binaries = match build::build(&request, |_| {}).unwrap() {
            BuildOutcome::Built(binaries, _) => binaries,
            BuildOutcome::Failed(f) => panic!("the feedback fixture must compile: {f:#?}"),
        };
        // The fixture calls loom directly, so its models run in the normal build; the suite
        // layer treats them as loom checks by their flavor.
        let binaries: Vec<_> = binaries
            .into_iter()
            .map(|mut b| {
                if b.target.starts_with("loom") {
                    b.flavor = Flavor::Loom;
                }
                b
            })
            .collect();
        let opts = Options {
            jobs: 2,
            policy: Default::default(),
            color: false,
            only: None,
        };
        suite::execute(
            &fixture().join("tests"),
            &kata(),
            &fixture(),
            &binaries,
            &opts,
            &mut Quiet,
        )
        .unwrap()
    })
}

fn outcome(name: &str) -> &'static TestOutcome {
    results()
        .iter()
        .find(|(c, _)| c.name == name)
        .map(|(_, o)| o)
        .unwrap_or_else(|| panic!("no check {name}: {:#?}", results()))
}

fn rendered(name: &str) -> String {
    // The assertions read the English report, whatever the developer's locale.
    xtask::i18n::set(xtask::i18n::Lang::En);
    let (check, outcome) = results().iter().find(|(c, _)| c.name == name).unwrap();
    report::render_check(Style::plain(), &fixture(), check, outcome, false)
}

fn fail(name: &str) -> (&'static str, Option<&'static str>, Option<&'static str>) {
    match &outcome(name).verdict {
        Verdict::Fail {
            message,
            location,
            minimal_input,
        } => (message, location.as_deref(), minimal_input.as_deref()),
        other => panic!("{name}: expected a failure, got {other:#?}"),
    }
}

/// Item 1: a data race names the learner's lines and which thread did what.
#[test]
fn a_loom_data_race_names_the_fixtures_own_lines_and_threads() {
    let (message, location, _) = fail("a_value_put_on_one_thread_is_taken_on_another");
    assert_eq!(location, Some("src/lib.rs:35:28"), "{message}");
    assert!(
        message.contains("thread #0 (the model's own) read it at src/lib.rs:35:28"),
        "{message}"
    );
    assert!(
        message.contains("thread #1 (spawned 1st) wrote it at src/lib.rs:27:19"),
        "{message}"
    );
    let text = rendered("a_value_put_on_one_thread_is_taken_on_another");
    assert!(
        text.contains("read it in `Mailbox::take` (src/lib.rs:35)"),
        "{text}"
    );
    assert!(
        text.contains("wrote it in `Mailbox::put` (src/lib.rs:27)"),
        "{text}"
    );
    assert!(
        !text.contains("registry") && !text.contains("loom-0."),
        "{text}"
    );
}

/// Item 2: a race that unwinds through a correct `Drop` is one failure, not a crash that
/// blames the `Drop`, and no backtrace reaches the report.
#[test]
fn a_race_unwinding_through_a_drop_is_one_failure_without_a_backtrace() {
    let (message, location, _) = fail("the_last_owner_drops_the_mailbox_on_either_thread");
    assert!(message.starts_with("data race"), "{message}");
    assert!(!message.contains("Drop"), "{message}");
    assert_eq!(location, Some("src/lib.rs:35:28"));
    let text = rendered("the_last_owner_drops_the_mailbox_on_either_thread");
    assert!(!text.contains("0x"), "{text}");
    assert!(!text.contains("CRASH"), "{text}");
}

/// Item 2: the second check failing on the same race points at the first instead of
/// repeating it.
#[test]
fn the_same_race_in_two_checks_is_shown_once() {
    xtask::i18n::set(xtask::i18n::Lang::En);
    let mut out = Vec::new();
    let root = fixture();
    {
        let mut listener = HumanListener::to(Style::plain(), &root, Box::new(&mut out));
        use xtask::suite::Listener;
        let checks: Vec<Check> = results().iter().map(|(c, _)| c.clone()).collect();
        listener.checks_listed(&checks);
        for (i, (c, o)) in results().iter().enumerate() {
            listener.check_finished(i, c, o);
        }
        listener.finish();
    }
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.matches("data race").count(), 1, "{text}");
    assert!(
        text.contains(
            "→ the same failure as \"a value put on one thread is taken on another\" above"
        ),
        "{text}"
    );
}

/// Item 4: a property over 150 to 300 operations that fails at its first step shows one.
#[test]
fn a_failure_at_step_zero_shows_an_input_of_at_most_a_few_operations() {
    let (_, _, input) = fail("long_runs_agree_with_a_vec");
    let input = input.expect("a minimal input");
    let ops = input.matches("Push(").count() + input.matches("Pop").count();
    assert!((1..=3).contains(&ops), "{input}");
    assert!(
        !input.contains(char::is_whitespace) || input.len() < 40,
        "{input}"
    );
}

/// Item 4: a number that must be huge shrinks to the limit the contract names.
#[test]
fn a_failure_that_needs_a_huge_number_shows_u64_max() {
    let (_, _, input) = fail("tripling_is_three_additions");
    assert_eq!(input, Some("n = u64::MAX"));
}

/// Item 5: a panic in the learner's code during a property is shown at the learner's line.
#[test]
fn a_panic_inside_a_property_is_shown_at_the_learners_line() {
    let (message, location, _) = fail("tripling_is_three_additions");
    assert_eq!(location, Some("src/lib.rs:86:5"), "{message}");
    let text = rendered("tripling_is_three_additions");
    assert!(text.contains("at src/lib.rs:86 (in `triple`)"), "{text}");
    assert!(!text.contains("tests/properties.rs"), "{text}");
}

/// Item 6: values the message already names are not printed again as left/right.
#[test]
fn each_value_of_a_property_failure_is_printed_once() {
    let text = rendered("long_runs_agree_with_a_vec");
    assert!(text.contains("expected 1, got 0"), "{text}");
    assert!(
        !text.contains("left:") && !text.contains("right:"),
        "{text}"
    );
}

/// The fixture's source is where the tests above say: a moved line fails here first.
#[test]
fn the_fixture_lines_the_tests_name_are_the_planted_ones() {
    let src = std::fs::read_to_string(fixture().join("src/lib.rs")).unwrap();
    let line = |n: usize| src.lines().nth(n - 1).unwrap_or("").to_string();
    assert!(line(27).contains("with_mut"), "{}", line(27));
    assert!(line(35).contains("self.slot.with("), "{}", line(35));
    assert!(line(86).contains("n * 3"), "{}", line(86));
    assert!(Path::new(&fixture().join("Cargo.lock")).is_file());
}
