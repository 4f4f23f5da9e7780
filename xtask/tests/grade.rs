//! `cargo xtask grade` over a tiny std-only course, at every class state a teacher meets
//! (stubs, all passing, part passing, a kata that does not compile, every check failing with
//! the longest messages, a run that cannot grade), its outputs fed to models of the tools
//! that read them: GitHub Classroom's reporter (environment size, parsing, arithmetic),
//! Exercism's results.json v3 rules and the junit-10 XSD.

mod consumers;

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use consumers::classroom_reporter::{self, js_number};
use serde_json::Value;
use xtask::results::{RUNNER_BUDGET, SCORE_GRID};

/// A fresh copy of the fixture course: 01-add (10 points, 4 checks), 02-mul (5 points, 1).
fn course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::fixture_course("classroom", dir.path());
    dir
}

fn solve(root: &Path, slug: &str) {
    std::fs::copy(
        root.join("solutions").join(slug).join("src/lib.rs"),
        root.join("katas").join(slug).join("src/lib.rs"),
    )
    .unwrap();
}

/// What one `grade` run left behind, GitHub Actions files included.
struct Graded {
    out: Output,
    json: Value,
    junit: String,
    junit_path: PathBuf,
    /// `$GITHUB_ENV` as the runner reads it.
    env: Vec<(String, String)>,
    /// `$GITHUB_OUTPUT`.
    outputs: BTreeMap<String, String>,
    summary: String,
}

impl Graded {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
    fn tests(&self) -> &Vec<Value> {
        self.json["tests"].as_array().unwrap()
    }
}

/// `name=value` lines and `name<<DELIMITER` blocks, as the runner reads its command files.
fn read_command_file(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delimiter {
                    break;
                }
                value.push(l);
            }
            out.push((name.to_string(), value.join("\n")));
        } else if let Some((name, value)) = line.split_once('=') {
            out.push((name.to_string(), value.to_string()));
        }
    }
    out
}

/// Runs `grade ARGS --out results` in `root` as GitHub Actions would.
fn grade(root: &Path, args: &[&str]) -> Graded {
    let out_dir = root.join("results");
    let gh = root.join("gh");
    std::fs::create_dir_all(&gh).unwrap();
    for f in ["env", "output", "summary.md"] {
        let _ = std::fs::remove_file(gh.join(f));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("grade")
        .args(args)
        .arg("--out")
        .arg(&out_dir)
        .env("KATAS_ROOT", root)
        // Each course its own target dir: the scratch workspace lives there.
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("GITHUB_ENV", gh.join("env"))
        .env("GITHUB_OUTPUT", gh.join("output"))
        .env("GITHUB_STEP_SUMMARY", gh.join("summary.md"))
        .env("GITHUB_ACTIONS", "true")
        .env_remove("KATAS_SUITES")
        .output()
        .unwrap();
    let text = std::fs::read_to_string(out_dir.join("results.json")).unwrap_or_else(|_| {
        panic!(
            "no results.json: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Graded {
        json: serde_json::from_str(&text).unwrap(),
        junit: std::fs::read_to_string(out_dir.join("junit.xml")).unwrap(),
        junit_path: out_dir.join("junit.xml"),
        env: read_command_file(&gh.join("env")),
        outputs: read_command_file(&gh.join("output")).into_iter().collect(),
        summary: std::fs::read_to_string(gh.join("summary.md")).unwrap_or_default(),
        out,
    }
}

/// Feeds a run's outputs to every consumer model and checks what each one must see.
/// Returns the reporter's run.
fn consumers_accept(g: &Graded) -> classroom_reporter::Run {
    let problems = consumers::exercism::problems(&g.json);
    assert!(problems.is_empty(), "results.json breaks v3: {problems:#?}");
    let problems = consumers::junit_xsd::junit10().validate(&g.junit);
    assert!(
        problems.is_empty(),
        "junit.xml breaks junit-10: {problems:#?}"
    );
    // A second opinion where libxml2's xmllint is installed.
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consumers/junit-10.xsd");
    if let Ok(out) = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&g.junit_path)
        .output()
    {
        assert!(
            out.status.success(),
            "xmllint: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // The reporter step: `runners: ${{ steps.grade.outputs.runners }}`, results from the
    // environment `grade` set through $GITHUB_ENV.
    let runners = g
        .outputs
        .get("runners")
        .expect("runners= in $GITHUB_OUTPUT");
    assert!(classroom_reporter::runners_input_ok(runners), "{runners}");
    for (name, value) in &g.env {
        assert!(
            value.len() <= RUNNER_BUDGET,
            "{name} is {} base64 characters (budget {RUNNER_BUDGET})",
            value.len()
        );
    }
    let run = classroom_reporter::spawn(&g.env, runners).expect("the reporter starts");
    for f in &run.failed {
        assert!(
            f == "Some tests failed." || f == "Some tests errored.",
            "the reporter broke: {f}\n{:#?}",
            run.lines
        );
    }
    assert_eq!(
        run.failed.is_empty(),
        g.json["status"] == "pass",
        "{:?}",
        run.failed
    );

    // Classroom's grade is exactly the grader's, printed without noise.
    let (score, max) = (
        g.json["score"].as_f64().unwrap(),
        g.json["max_score"].as_f64().unwrap(),
    );
    if max > 0.0 {
        assert_eq!(
            run.notices[0].1,
            format!("Points {}/{}", js_number(score), js_number(max))
        );
        assert_eq!(
            run.notices[1].1,
            format!(
                "{{\"totalPoints\":{},\"maxPoints\":{}}}",
                js_number(score),
                js_number(max)
            )
        );
        assert_eq!(
            score * SCORE_GRID as f64,
            (score * SCORE_GRID as f64).round()
        );
    }
    // The table (passed / checks × max_score per runner) agrees with each runner's sum of
    // scores to under a cent, exactly when a kata is all passing or all failing.
    for ((runner, table), (_, sum)) in run.runner_scores.iter().zip(&run.runner_sums) {
        assert!(
            (table - sum).abs() <= 0.5 / SCORE_GRID as f64 + 1e-9,
            "{runner}: table {table} vs notices {sum}"
        );
        let max = run
            .table
            .iter()
            .find(|(r, _, _)| r == runner)
            .map(|(_, _, m)| m.parse::<f64>().unwrap())
            .unwrap();
        if *sum == 0.0 || *sum == max {
            assert_eq!(table, sum, "{runner}");
        }
    }
    for (_, s, m) in &run.table {
        assert!(!s.contains("NaN") && !m.contains("NaN"), "{:?}", run.table);
    }
    run
}

/// The reporter result of one kata, decoded.
fn runner_doc(g: &Graded, var: &str) -> Value {
    let (_, v) = g.env.iter().find(|(n, _)| n == var).unwrap();
    serde_json::from_slice(&decode_base64(v)).unwrap()
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn names(g: &Graded) -> Vec<&str> {
    g.tests()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect()
}

#[test]
fn stubs_score_zero_and_every_consumer_reads_the_results() {
    let root = course();
    let g = grade(root.path(), &["--all"]);
    assert_eq!(
        g.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&g.out.stderr)
    );
    let run = consumers_accept(&g);
    assert_eq!(g.json["status"], "fail");
    assert_eq!(
        g.json["message"],
        Value::Null,
        "only status error has a message"
    );
    assert_eq!(g.json["max_score"], 15.0);
    let tests = g.tests();
    assert_eq!(tests.len(), 5);
    for t in tests {
        assert_eq!(t["status"], "fail");
        assert_eq!(t["score"], 0.0);
        assert!(
            t["message"].as_str().unwrap().contains("not started"),
            "{t}"
        );
        assert!(t["filename"].as_str().unwrap().starts_with("katas/"), "{t}");
        assert!(t["line_no"].as_u64().unwrap() > 0, "{t}");
        assert!(!t["test_code"].as_str().unwrap().is_empty(), "{t}");
        // The stub prints nothing: libtest's own lines are not the learner's output.
        assert!(t.get("output").is_none(), "{t}");
    }
    // Curriculum order, kata numbers as task ids, checks in file order (the case table
    // before the test written after it, which libtest lists first).
    assert_eq!(
        names(&g),
        [
            "01-add / basics / small numbers add up",
            "01-add / basics / sums of pairs: zeros (case 1)",
            "01-add / basics / sums of pairs: ones (case 2)",
            "01-add / basics / addition wraps at the top",
            "02-mul / basics / small numbers multiply",
        ]
    );
    assert_eq!(tests[0]["task_id"], 1);
    assert_eq!(tests[4]["task_id"], 2);
    assert!(
        tests[1]["test_code"]
            .as_str()
            .unwrap()
            .contains("fn case_1_zeros")
    );

    // One reporter runner per kata, each with the kata's points.
    assert_eq!(g.outputs["runners"], "kata01,kata02");
    assert!(
        !g.outputs.contains_key("result"),
        "result= only for a single kata"
    );
    assert_eq!(runner_doc(&g, "KATA01_RESULTS")["max_score"], 10.0);
    assert_eq!(run.notices[0].1, "Points 0/15");
    assert_eq!(
        run.table.last().unwrap(),
        &("Total: ".into(), "0".into(), "15".into())
    );

    // JUnit: a testsuite per kata, the learner's file on it, each check's place in properties
    // and at the end of its failure text.
    assert_eq!(g.junit.matches("<testsuite ").count(), 2, "{}", g.junit);
    assert_eq!(g.junit.matches("<testcase ").count(), 5, "{}", g.junit);
    assert!(
        g.junit.contains("file=\"katas/01-add/src/lib.rs\""),
        "{}",
        g.junit
    );
    assert!(
        g.junit.contains("<property name=\"location: 01-add / basics / small numbers add up\" value=\"katas/01-add/src/lib.rs:5\"/>"),
        "{}",
        g.junit
    );
    assert!(
        g.junit.contains("\nat katas/01-add/src/lib.rs:5</failure>"),
        "{}",
        g.junit
    );

    // Step summary and annotations on the learner's lines.
    assert!(
        g.summary.contains("| 01-add | 0 / 10 | 0/4 pass |"),
        "{}",
        g.summary
    );
    assert!(g.summary.contains("<details>"), "{}", g.summary);
    let stdout = g.stdout();
    let annotation = stdout
        .lines()
        .find(|l| l.starts_with("::error file=katas/01-add/src/lib.rs,line=5,"))
        .unwrap_or_else(|| panic!("no annotation on the todo!() line: {stdout}"));
    assert!(annotation.contains("not started"), "{annotation}");
}

#[test]
fn the_reference_scores_full_points_everywhere() {
    let root = course();
    // Graded in place with --reference ...
    let g = grade(root.path(), &["--reference"]);
    assert_eq!(g.code(), Some(0), "{}", g.stdout());
    assert_eq!(g.json["score"], 15.0);
    // ... and copied over the stubs, as a learner who finished would have it.
    solve(root.path(), "01-add");
    solve(root.path(), "02-mul");
    let g = grade(root.path(), &[]);
    assert_eq!(g.code(), Some(0), "{}", g.stdout());
    let run = consumers_accept(&g);
    assert_eq!(g.json["status"], "pass");
    assert_eq!(g.json["score"], 15.0);
    assert!(g.tests().iter().all(|t| t["status"] == "pass"));
    assert_eq!(g.tests()[0]["score"], 2.5, "10 points over 4 checks");
    assert_eq!(run.notices[0].1, "Points 15/15");
    assert_eq!(
        run.table.last().unwrap(),
        &("Total: ".into(), "15".into(), "15".into())
    );
    assert!(
        run.lines
            .iter()
            .any(|l| l == "Total points for kata01: 10.00/10\n")
    );
}

#[test]
fn a_single_kata_also_gets_result_for_a_one_runner_reporter() {
    let root = course();
    let g = grade(root.path(), &["02"]);
    assert_eq!(g.outputs["runners"], "kata02");
    let (_, env) = g.env.iter().find(|(n, _)| n == "KATA02_RESULTS").unwrap();
    assert_eq!(&g.outputs["result"], env);
    consumers_accept(&g);
}

#[test]
fn part_of_a_kata_passing_scores_its_share() {
    let root = course();
    // Plain `+` panics on overflow in a debug build: 3 of 4 checks pass.
    std::fs::write(
        root.path().join("katas/01-add/src/lib.rs"),
        "pub fn add(a: u32, b: u32) -> u32 {\n    println!(\"adding {a} and {b}\");\n    a + b\n}\n",
    )
    .unwrap();
    let g = grade(root.path(), &["01"]);
    let run = consumers_accept(&g);
    assert_eq!(g.json["score"], 7.5);
    assert_eq!(run.notices[0].1, "Points 7.5/10");
    assert_eq!(run.table[0].1, "7.5");
    let wraps = &g.tests()[3];
    assert_eq!(wraps["status"], "fail");
    // What the learner printed, and nothing of libtest's.
    assert_eq!(wraps["output"], "adding 4294967295 and 1", "{wraps}");
}

/// The course with 01-add solved, and a teacher's private copy of its suites.
fn solved_with_private_suites() -> (tempfile::TempDir, PathBuf) {
    let root = course();
    solve(root.path(), "01-add");
    let private = root.path().join("private-suites");
    common::copy_dir(&root.path().join("xtask/suites"), &private);
    (root, private)
}

#[test]
fn a_private_suite_is_what_counts() {
    let (root, private) = solved_with_private_suites();
    // The teacher's copy has one more check, which the reference (and the learner) fails.
    let mut suite = std::fs::read_to_string(private.join("01-add/basics.rs")).unwrap();
    suite.push_str("\n#[testkit::check]\n#[test]\nfn a_check_only_the_teacher_has() {\n    assert_eq!(add(1, 1), 3, \"private check\");\n}\n");
    std::fs::write(private.join("01-add/basics.rs"), suite).unwrap();
    // And the learner "fixed" their copy of the suite: it must be ignored.
    std::fs::write(
        root.path().join("xtask/suites/01-add/basics.rs"),
        "#[test]\nfn nothing() {}\n",
    )
    .unwrap();

    let g = grade(
        root.path(),
        &["01-add", "--suites", private.to_str().unwrap()],
    );
    assert_eq!(g.tests().len(), 5, "{:?}", names(&g));
    let private_check = g
        .tests()
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .unwrap()
                .ends_with("a check only the teacher has")
        })
        .unwrap_or_else(|| panic!("{:?}", names(&g)));
    assert_eq!(private_check["status"], "fail");
    assert!(
        private_check["message"]
            .as_str()
            .unwrap()
            .contains("private check")
    );
    consumers_accept(&g);
}

#[test]
fn a_suite_file_that_suite_rs_does_not_declare_is_an_error_not_a_gap() {
    let (root, private) = solved_with_private_suites();
    // The teacher adds a file of checks but not its module in suite.rs: the file would never
    // be compiled, and its checks would vanish from the grade without a word.
    std::fs::write(
        private.join("01-add/extra.rs"),
        "use add::add;\n\n#[testkit::check]\n#[test]\nfn one_more() {\n    assert_eq!(add(1, 1), 2);\n}\n",
    )
    .unwrap();

    let g = grade(
        root.path(),
        &["01-add", "--suites", private.to_str().unwrap()],
    );
    assert!(!g.tests().is_empty(), "{}", g.stdout());
    assert!(
        g.tests().iter().all(|t| t["status"] == "error"),
        "{:?}",
        g.tests()
    );
    assert!(
        g.json["message"]
            .as_str()
            .or_else(|| g.tests()[0]["message"].as_str())
            .is_some_and(
                |m| m.contains("suite.rs does not declare exactly the suite's files")
                    && m.contains("--bless")
            ),
        "{}",
        g.json
    );
    assert_ne!(g.json["score"], 10.0, "{}", g.json);
    consumers_accept(&g);
}

#[test]
fn a_kata_that_does_not_compile_lists_its_real_checks_and_shows_the_error_once() {
    let root = course();
    std::fs::write(
        root.path().join("katas/01-add/src/lib.rs"),
        "pub fn add(a: u32, b: u32) -> u32 { \"x\" }\n",
    )
    .unwrap();
    solve(root.path(), "02-mul");
    let g = grade(root.path(), &[]);
    assert_eq!(g.code(), Some(1));
    let run = consumers_accept(&g);
    assert_eq!(g.json["score"], 5.0, "02-mul still graded");
    assert_eq!(g.json["status"], "fail");
    let broken: Vec<&Value> = g.tests().iter().filter(|t| t["kata"] == "01-add").collect();
    // The checks the class will be graded on (the suite's checks.txt), not one per file.
    assert_eq!(broken.len(), 4, "{broken:?}");
    assert_eq!(broken[0]["name"], "01-add / basics / small numbers add up");
    for t in &broken {
        assert_eq!(t["status"], "error");
        assert_eq!(t["score"], 0.0);
        assert_eq!(
            t["filename"], "katas/01-add/src/lib.rs",
            "the learner's file"
        );
        assert_eq!(t["line_no"], 1);
    }
    // rustc's first error, whole, once.
    let first = broken[0]["message"].as_str().unwrap();
    assert!(first.contains("mismatched types"), "{first}");
    assert!(first.contains("expected `u32`, found `&str`"), "{first}");
    assert!(first.lines().count() > 3, "multi-line: {first}");
    for t in &broken[1..] {
        assert!(
            !t["message"].as_str().unwrap().contains("mismatched"),
            "{t}"
        );
    }
    let shown = run
        .lines
        .iter()
        .filter(|l| l.contains("mismatched types"))
        .count();
    assert_eq!(
        shown, 1,
        "the reporter shows the error once: {:#?}",
        run.lines
    );
    assert!(
        run.lines
            .iter()
            .any(|l| l.contains("expected `u32`, found `&str`")),
        "whole: {:#?}",
        run.lines
    );
    assert_eq!(runner_doc(&g, "KATA01_RESULTS")["status"], "error");

    // One annotation, on the learner's line and column, with the whole error.
    let stdout = g.stdout();
    let annotations: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::error file=katas/01-add/"))
        .collect();
    assert_eq!(annotations.len(), 1, "{annotations:?}");
    assert!(
        annotations[0].starts_with(
            "::error file=katas/01-add/src/lib.rs,line=1,col=37,title=01-add does not compile::"
        ),
        "{}",
        annotations[0]
    );
    assert!(
        annotations[0].contains("found `&str`"),
        "{}",
        annotations[0]
    );
    // The summary: the row, then the error in a code block, once, lines intact.
    assert!(
        g.summary.contains("| 01-add | 0 / 10 | does not compile |"),
        "{}",
        g.summary
    );
    assert_eq!(
        g.summary.matches("mismatched types").count(),
        1,
        "{}",
        g.summary
    );
    assert!(
        g.summary
            .contains("```text\nerror[E0308]: mismatched types\n"),
        "{}",
        g.summary
    );
    assert!(
        g.summary.contains("expected `u32`, found `&str`"),
        "{}",
        g.summary
    );
}

#[test]
fn nothing_compiling_is_status_error_with_the_compile_error() {
    let root = course();
    std::fs::write(
        root.path().join("katas/02-mul/src/lib.rs"),
        "pub fn mul() -> u32 { }\n",
    )
    .unwrap();
    let g = grade(root.path(), &["02"]);
    consumers_accept(&g);
    assert_eq!(g.json["status"], "error");
    assert!(
        g.json["message"]
            .as_str()
            .unwrap()
            .contains("katas/02-mul does not compile"),
        "{}",
        g.json["message"]
    );
}

/// Rewrites 01-add as the worst class state: `checks` checks whose failures carry messages
/// of 200 000 characters after 150 000 characters of output; every tenth crashes; with
/// `passing`, every third passes.
fn flood(root: &Path, checks: usize, passing: bool) {
    let mut suite = String::from("use add::add;\n");
    for i in 0..checks {
        suite.push_str(&format!(
            "\n#[testkit::check]\n#[test]\nfn check_{i:03}_adds_a_pair_of_numbers_the_way_the_contract_in_the_readme_says() {{\n    assert_eq!(add({i}, 1), {i} + 1, \"{{}}\", \"why \".repeat(50_000));\n}}\n"
        ));
    }
    std::fs::write(root.join("xtask/suites/01-add/basics.rs"), suite).unwrap();
    std::fs::remove_file(root.join("xtask/suites/01-add/checks.txt")).unwrap();
    let pass = if passing { "a % 3 == 0" } else { "false" };
    std::fs::write(
        root.join("katas/01-add/src/lib.rs"),
        format!(
            "pub fn add(a: u32, b: u32) -> u32 {{\n    if a % 10 == 7 {{\n        std::process::abort();\n    }}\n    if {pass} {{\n        return a + b;\n    }}\n    println!(\"{{}}\", \"learner output \".repeat(10_000));\n    a ^ b ^ 0xdead\n}}\n"
        ),
    )
    .unwrap();
}

#[test]
fn every_check_failing_with_the_longest_messages_still_fits_the_reporter() {
    let root = course();
    flood(root.path(), 100, false);
    let g = grade(root.path(), &[]);
    let run = consumers_accept(&g);
    assert_eq!(g.tests().len(), 101);
    assert!(
        g.tests().iter().any(|t| t["status"] == "error"),
        "crashes are errors"
    );
    let failed = g.tests().iter().find(|t| t["status"] == "fail").unwrap();
    let output = failed["output"].as_str().unwrap();
    assert!(
        output.starts_with("learner output learner output"),
        "{output}"
    );
    assert!(output.ends_with("Output was truncated. Please limit to 500 chars"));
    assert_eq!(output.chars().count(), 500);
    let sizes: Vec<(String, usize)> = g.env.iter().map(|(n, v)| (n.clone(), v.len())).collect();
    eprintln!("all failing, 100 checks with 200 kB messages: {sizes:?}");
    assert_eq!(run.notices[0].1, "Points 0/15");
}

#[test]
fn a_kata_partly_passing_agrees_with_the_reporters_table() {
    let root = course();
    flood(root.path(), 100, true);
    solve(root.path(), "02-mul");
    let g = grade(root.path(), &[]);
    let run = consumers_accept(&g);
    let passed = g
        .tests()
        .iter()
        .filter(|t| t["kata"] == "01-add" && t["status"] == "pass")
        .count();
    assert!(passed > 0 && passed < 100);
    let kata01 = run.runner_sums[0].1;
    assert_eq!(kata01, xtask::results::kata_score(10, passed, 100));
    assert_eq!(g.json["score"].as_f64().unwrap(), kata01 + 5.0);
    let sizes: Vec<(String, usize)> = g.env.iter().map(|(n, v)| (n.clone(), v.len())).collect();
    eprintln!("partly passing, 100 checks: {sizes:?}");
}

#[test]
fn a_run_that_cannot_grade_still_gives_every_consumer_a_result() {
    // The suites folder is missing: every requested kata is an error, worth its points.
    let root = course();
    let g = grade(root.path(), &["--suites", "/nonexistent/suites"]);
    assert_eq!(g.code(), Some(2));
    let run = consumers_accept(&g);
    assert_eq!(g.json["status"], "error");
    assert!(
        g.json["message"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/suites")
    );
    assert_eq!(g.outputs["runners"], "kata01,kata02");
    assert!(
        g.summary.contains("| 01-add | 0 / 10 | not graded |"),
        "{}",
        g.summary
    );
    assert_eq!(run.notices[0].1, "Points 0/15");
    assert!(
        run.lines
            .iter()
            .any(|l| l.starts_with("Error: the grader could not grade this kata")),
        "{:#?}",
        run.lines
    );

    // Not even the curriculum can be read: one runner, `katas`, with the reason.
    std::fs::write(
        root.path().join("xtask/curriculum.toml"),
        "[[kata]]\nslug = 3\n",
    )
    .unwrap();
    let g = grade(root.path(), &[]);
    assert_eq!(g.code(), Some(2));
    assert_eq!(g.outputs["runners"], "katas");
    let run = consumers_accept(&g);
    assert_eq!(g.json["status"], "error");
    assert!(
        run.lines.iter().any(|l| l.contains("curriculum")),
        "{:#?}",
        run.lines
    );
    assert_eq!(run.failed, ["Some tests errored."]);
}

#[test]
fn an_exercism_style_runner_exits_0_once_it_has_results() {
    let root = course();
    let g = grade(root.path(), &["--exit-zero"]);
    assert_eq!(g.json["status"], "fail");
    assert_eq!(g.code(), Some(0));
    let g = grade(
        root.path(),
        &["--exit-zero", "--suites", "/nonexistent/suites"],
    );
    assert_eq!(g.json["status"], "error");
    assert_eq!(g.code(), Some(0));
}

/// A manual check against the real reporter: set KATAS_REPORTER_JS to its `dist/main.js`
/// (autograding-grading-reporter v1) and run with `--ignored`; needs node.
#[test]
#[ignore]
fn the_real_reporter_agrees_with_the_model() {
    let Some(main_js) = std::env::var_os("KATAS_REPORTER_JS") else {
        panic!("set KATAS_REPORTER_JS to the reporter's dist/main.js");
    };
    let root = course();
    flood(root.path(), 100, true);
    std::fs::write(
        root.path().join("katas/02-mul/src/lib.rs"),
        "pub fn mul(a: u32, b: u32) -> u32 { \"x\" }\n",
    )
    .unwrap();
    let g = grade(root.path(), &[]);
    let model = consumers_accept(&g);
    let out = Command::new("node")
        .arg(&main_js)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("INPUT_RUNNERS", &g.outputs["runners"])
        .envs(g.env.iter().map(|(n, v)| (n, v)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    for (title, text) in &model.notices {
        let line = format!("::notice title={title}::{text}");
        assert!(
            stdout.contains(&line),
            "the real reporter did not print {line}"
        );
    }
    for (runner, score) in &model.runner_scores {
        let line = format!(
            "Total points for {runner}: {}/",
            classroom_reporter::to_fixed_2(*score)
        );
        assert!(
            stdout.contains(&line),
            "the real reporter did not print {line}"
        );
    }
}
