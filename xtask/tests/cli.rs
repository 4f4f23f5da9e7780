//! The commands a learner types, against a small fake workspace: bad input gets a clear
//! message and an exit code, never a panic, and progress is never lost.

use std::path::Path;
use std::process::{Command, Output};

const CURRICULUM: &str = r#"
[[kata]]
slug = "01-first"
title = "The first kata"
topic = "4.1"
points = 10
timeout = 5
hints = ["Look at the README.", "Almost the answer."]

[[kata]]
slug = "02-second"
title = "The second kata"
topic = "4.2"
points = 10
timeout = 5
hints = ["Only hint."]
"#;

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("Cargo.toml"), "[workspace]\n").unwrap();
    std::fs::create_dir_all(root.join("xtask")).unwrap();
    std::fs::write(root.join("xtask/curriculum.toml"), CURRICULUM).unwrap();
    for slug in ["01-first", "02-second"] {
        std::fs::create_dir_all(root.join("katas").join(slug).join("src")).unwrap();
        std::fs::create_dir_all(root.join("solutions").join(slug).join("src")).unwrap();
        std::fs::write(
            root.join("solutions").join(slug).join("src/lib.rs"),
            "// reference\n",
        )
        .unwrap();
    }
    dir
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("KATAS_ROOT", root)
        .env("NO_COLOR", "1")
        .env("KATAS_LANG", "en")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_no_panic(out: &Output) {
    let t = text(out);
    assert!(
        !t.contains("panicked") && !t.contains("RUST_BACKTRACE"),
        "{t}"
    );
}

#[test]
fn bare_xtask_shows_progress_and_the_next_command() {
    let ws = workspace();
    let out = xtask(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("0/2 katas done"), "{t}");
    assert!(t.contains("Current: 01-first"), "{t}");
    assert!(t.contains("cargo xtask check"), "{t}");
}

#[test]
fn an_unknown_slug_suggests_the_closest_and_exits_2() {
    let ws = workspace();
    let out = xtask(ws.path(), &["check", "frist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("Did you mean `01-first`?"),
        "{}",
        text(&out)
    );
    assert_no_panic(&out);
}

#[test]
fn a_locked_kata_names_the_one_to_finish_first() {
    let ws = workspace();
    let out = xtask(ws.path(), &["check", "02"]);
    assert_eq!(out.status.code(), Some(2));
    let t = text(&out);
    assert!(
        t.contains("`02-second` is locked: finish `01-first` first"),
        "{t}"
    );
    assert!(t.contains("--force"), "{t}");
}

#[test]
fn hints_come_one_level_per_call_and_are_remembered() {
    let ws = workspace();
    let first = text(&xtask(ws.path(), &["hint"]));
    assert!(
        first.contains("Hint 1 of 2: Look at the README."),
        "{first}"
    );
    assert!(!first.contains("Almost the answer"), "{first}");
    let second = text(&xtask(ws.path(), &["hint"]));
    assert!(
        second.contains("Hint 2 of 2: Almost the answer."),
        "{second}"
    );
    assert!(second.contains("last hint"), "{second}");
    let progress = std::fs::read_to_string(ws.path().join(".katas-progress.toml")).unwrap();
    assert!(progress.contains("hints_shown = 2"), "{progress}");
}

#[test]
fn a_corrupt_progress_file_is_reported_and_left_untouched() {
    let ws = workspace();
    let path = ws.path().join(".katas-progress.toml");
    let garbage = "version = 1\n[katas.01-first\npassed_at = \n";
    std::fs::write(&path, garbage).unwrap();
    for args in [&[][..], &["check"], &["hint"], &["list"]] {
        let out = xtask(ws.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains("cannot be read"), "{}", text(&out));
        assert_no_panic(&out);
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), garbage);
}

#[test]
fn progress_of_a_renamed_kata_is_kept_and_noted() {
    let ws = workspace();
    let path = ws.path().join(".katas-progress.toml");
    std::fs::write(&path, "version = 1\n[katas.01-old-name]\npassed_at = 5\n").unwrap();
    let out = xtask(ws.path(), &["hint"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("`01-old-name`"), "{}", text(&out));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("[katas.01-old-name]") && after.contains("passed_at = 5"),
        "{after}"
    );
}

#[test]
fn the_solution_opens_only_after_a_pass() {
    let ws = workspace();
    let out = xtask(ws.path(), &["solution", "01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("opens once you pass it"),
        "{}",
        text(&out)
    );
    // A hand-written record of a pass, with no (or another) source fingerprint: refused.
    std::fs::write(
        ws.path().join(".katas-progress.toml"),
        "version = 1\n[katas.01-first]\npassed_at = 5\nsource_hash = \"0000\"\n",
    )
    .unwrap();
    let out = xtask(ws.path(), &["solution", "01"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("not the code that passed"),
        "{}",
        text(&out)
    );
    // The record of the code as it is: it opens.
    let hash = xtask::progress::fingerprint(&ws.path().join("katas/01-first/src"));
    std::fs::write(
        ws.path().join(".katas-progress.toml"),
        format!("version = 1\n[katas.01-first]\npassed_at = 5\nsource_hash = \"{hash}\"\n"),
    )
    .unwrap();
    let out = xtask(ws.path(), &["solution", "01"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("// reference"), "{}", text(&out));
    let list = text(&xtask(ws.path(), &["list"]));
    assert!(
        list.contains("done") && list.contains("current  02-second"),
        "{list}"
    );
}

#[test]
fn an_invalid_curriculum_is_a_clear_error() {
    let ws = workspace();
    std::fs::write(
        ws.path().join("xtask/curriculum.toml"),
        "[[kata]]\nslug = \"x\"\n",
    )
    .unwrap();
    let out = xtask(ws.path(), &["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("curriculum"), "{}", text(&out));
    assert_no_panic(&out);
}

#[test]
fn a_missing_workspace_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("cannot find the latency-katas workspace"),
        "{}",
        text(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    let ws = workspace();
    let out = xtask(ws.path(), &["chekc"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn export_leaves_out_solutions_and_optionally_suites() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let student = dir.path().join("student");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["export", "--student"])
        .arg(&student)
        .arg("--without-suites")
        .env("KATAS_ROOT", root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!student.join("solutions").exists());
    assert!(!student.join("xtask/suites").exists());
    assert!(!student.join(".ci").exists());
    assert!(student.join("katas/01-gc-pacer/src/lib.rs").is_file());
    let manifest = std::fs::read_to_string(student.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("solutions/*"), "{manifest}");
    let kata = std::fs::read_to_string(student.join("katas/01-gc-pacer/Cargo.toml")).unwrap();
    assert!(!kata.contains("[[test]]"), "{kata}");
    let ring = std::fs::read_to_string(student.join("katas/12-spsc-ring/Cargo.toml")).unwrap();
    assert!(!ring.contains("[[bench]]"), "{ring}");
    // The copy is a valid workspace.
    let meta = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(&student)
        .output()
        .unwrap();
    assert!(
        meta.status.success(),
        "{}",
        String::from_utf8_lossy(&meta.stderr)
    );
    // The lock lists the copy's crates only: a first build would not rewrite it.
    let lock = std::fs::read_to_string(student.join("Cargo.lock")).unwrap();
    assert!(
        !lock.contains("-solution\""),
        "the lock still lists solutions"
    );
    // divan stays: the katas' own benchmarks (`cargo xtask bench`) use it.
    let locked = Command::new(env!("CARGO"))
        .args(["update", "--workspace", "--locked", "--offline"])
        .current_dir(&student)
        .output()
        .unwrap();
    assert!(
        locked.status.success(),
        "the exported Cargo.lock is out of date: {}",
        String::from_utf8_lossy(&locked.stderr)
    );
    // Without suites, check explains where grading happens.
    let out = xtask(&student, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("no hidden suite"), "{}", text(&out));
    let out = xtask(&student, &["solution", "01"]);
    assert_eq!(out.status.code(), Some(2));
}
