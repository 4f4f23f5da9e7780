//! `cargo xtask grade` over a tiny std-only course: the results carry every field CI tools
//! read, a stub scores 0 and the reference full points, private suites are what counts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A fresh copy of the fixture course.
fn course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classroom");
    copy_dir(&fixture, dir.path());
    // The sealed build takes the test kit and the lock file from the course.
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for support in ["xtask/testkit", "xtask/testkit-macros"] {
        copy_dir(&repo.join(support), &dir.path().join(support));
    }
    std::fs::copy(repo.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    dir
}

fn grade(root: &Path, args: &[&str], github_output: Option<&Path>) -> (Output, serde_json::Value) {
    grade_with_env(root, args, github_output, &[])
}

fn grade_with_env(
    root: &Path,
    args: &[&str],
    github_output: Option<&Path>,
    env: &[(&str, &Path)],
) -> (Output, serde_json::Value) {
    let out_dir = root.join("results");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.arg("grade")
        .args(args)
        .arg("--out")
        .arg(&out_dir)
        .env("KATAS_ROOT", root)
        // Each course its own target dir: the scratch workspace lives there.
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("KATAS_SUITES");
    if let Some(path) = github_output {
        cmd.env("GITHUB_OUTPUT", path);
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().unwrap();
    let text = std::fs::read_to_string(out_dir.join("results.json")).unwrap_or_else(|_| {
        panic!(
            "no results.json: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, serde_json::from_str(&text).unwrap())
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

/// Tags open and close in order (a small well-formedness check of the JUnit file).
fn assert_balanced_xml(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("unclosed tag") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.ends_with('/') {
            continue;
        }
        let name = tag.split_whitespace().next().unwrap().to_string();
        if let Some(closing) = name.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(closing),
                "mismatched </{closing}>"
            );
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn a_stub_scores_zero_and_the_results_carry_every_field() {
    let root = course();
    let github_output = root.path().join("github_output");
    let (out, json) = grade(root.path(), &["--all"], Some(&github_output));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json["version"], 3);
    assert_eq!(json["status"], "fail");
    assert!(json["message"].is_string());
    assert_eq!(json["max_score"], 15.0);
    let tests = json["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 3);
    for t in tests {
        for field in [
            "name",
            "status",
            "message",
            "output",
            "test_code",
            "task_id",
            "score",
            "filename",
            "line_no",
            "duration",
        ] {
            assert!(t.get(field).is_some(), "{field} missing in {t}");
        }
        assert_eq!(t["status"], "fail");
        assert_eq!(t["score"], 0.0);
        assert!(
            t["message"].as_str().unwrap().contains("not started"),
            "{t}"
        );
        assert!(t["filename"].as_str().unwrap().starts_with("katas/"), "{t}");
        assert!(t["line_no"].as_u64().unwrap() > 0, "{t}");
    }
    // Curriculum order, kata numbers as task ids, test code from the suite.
    assert_eq!(tests[0]["task_id"], 1);
    assert_eq!(tests[2]["task_id"], 2);
    assert!(
        tests[0]["test_code"]
            .as_str()
            .unwrap()
            .contains("fn small_numbers_add_up")
    );

    let junit = std::fs::read_to_string(root.path().join("results/junit.xml")).unwrap();
    assert_balanced_xml(&junit);
    assert_eq!(junit.matches("<testsuite ").count(), 2, "{junit}");
    assert_eq!(junit.matches("<testcase ").count(), 3, "{junit}");
    assert!(junit.contains("<failure"), "{junit}");

    let line = std::fs::read_to_string(&github_output).unwrap();
    let encoded = line
        .trim()
        .strip_prefix("result=")
        .expect("result=<base64>");
    let decoded: serde_json::Value = serde_json::from_slice(&decode_base64(encoded)).unwrap();
    assert_eq!(decoded, json);
}

#[test]
fn the_reference_scores_full_points() {
    let root = course();
    // Graded in place with --reference ...
    let (out, json) = grade(root.path(), &["--reference"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json["score"], 15.0);
    // ... and copied over the stubs, as a learner who finished would have it.
    for slug in ["01-add", "02-mul"] {
        std::fs::copy(
            root.path().join("solutions").join(slug).join("src/lib.rs"),
            root.path().join("katas").join(slug).join("src/lib.rs"),
        )
        .unwrap();
    }
    let (out, json) = grade(root.path(), &[], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json["status"], "pass");
    assert_eq!(json["score"], 15.0);
    let tests = json["tests"].as_array().unwrap();
    assert!(tests.iter().all(|t| t["status"] == "pass"), "{tests:?}");
    assert_eq!(tests[0]["score"], 5.0, "10 points over 2 checks");
}

#[test]
fn a_private_suite_is_what_counts() {
    let root = course();
    std::fs::copy(
        root.path().join("solutions/01-add/src/lib.rs"),
        root.path().join("katas/01-add/src/lib.rs"),
    )
    .unwrap();
    // The teacher's copy has one more check, which the reference (and the learner) fails.
    let private = root.path().join("private-suites");
    copy_dir(&root.path().join("xtask/suites"), &private);
    let mut suite = std::fs::read_to_string(private.join("01-add/basics.rs")).unwrap();
    suite.push_str("\n#[test]\nfn a_check_only_the_teacher_has() {\n    assert_eq!(add(1, 1), 3, \"private check\");\n}\n");
    std::fs::write(private.join("01-add/basics.rs"), suite).unwrap();
    // And the learner "fixed" their copy of the suite: it must be ignored.
    std::fs::write(
        root.path().join("xtask/suites/01-add/basics.rs"),
        "#[test]\nfn nothing() {}\n",
    )
    .unwrap();

    let (_, json) = grade(
        root.path(),
        &["01-add", "--suites", private.to_str().unwrap()],
        None,
    );
    let tests = json["tests"].as_array().unwrap();
    let names: Vec<&str> = tests.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tests.len(), 3, "{names:?}");
    let private_check = tests
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .unwrap()
                .ends_with("a check only the teacher has")
        })
        .unwrap_or_else(|| panic!("{names:?}"));
    assert_eq!(private_check["status"], "fail");
    assert!(
        private_check["message"]
            .as_str()
            .unwrap()
            .contains("private check")
    );
}

#[test]
fn a_kata_that_does_not_compile_scores_zero_and_the_others_still_grade() {
    let root = course();
    std::fs::write(
        root.path().join("katas/01-add/src/lib.rs"),
        "pub fn add(a: u32, b: u32) -> u32 { \"x\" }\n",
    )
    .unwrap();
    std::fs::copy(
        root.path().join("solutions/02-mul/src/lib.rs"),
        root.path().join("katas/02-mul/src/lib.rs"),
    )
    .unwrap();
    let (_, json) = grade(root.path(), &[], None);
    let tests = json["tests"].as_array().unwrap();
    let broken: Vec<_> = tests
        .iter()
        .filter(|t| t["name"].as_str().unwrap().starts_with("01-add"))
        .collect();
    assert!(!broken.is_empty());
    assert!(
        broken
            .iter()
            .all(|t| t["status"] == "error" && t["score"] == 0.0),
        "{broken:?}"
    );
    assert!(
        broken[0]["message"]
            .as_str()
            .unwrap()
            .contains("mismatched types"),
        "{broken:?}"
    );
    assert_eq!(json["score"], 5.0, "02-mul still graded");
}

#[test]
fn in_github_actions_grade_writes_a_summary_and_annotates_the_learners_lines() {
    let root = course();
    let summary = root.path().join("step_summary.md");
    let (out, _) = grade_with_env(
        root.path(),
        &[],
        None,
        &[
            ("GITHUB_STEP_SUMMARY", &summary),
            ("GITHUB_ACTIONS", Path::new("true")),
        ],
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("| kata | points | status |"), "{summary}");
    assert!(
        summary.contains("| 01-add | 0.0 / 10 | 0/2 checks |"),
        "{summary}"
    );
    assert!(summary.contains("<details>"), "{summary}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let annotation = stdout
        .lines()
        .find(|l| l.starts_with("::error file=katas/01-add/src/lib.rs,line=5,"))
        .unwrap_or_else(|| panic!("no annotation on the todo!() line: {stdout}"));
    assert!(annotation.contains("not started"), "{annotation}");
}
