//! The hostile battery: a learner's code that tries to win points without the work earns no
//! pass, in `check` and in `grade`, and leaves the suites byte-for-byte unchanged. Each case
//! names the attack; the defence it meets is in `xtask::sandbox`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use xtask::progress::fingerprint;

/// A fresh copy of the fixture course with the real test kit, and its support checksum
/// recorded as the course ships it.
fn course(into: &Path) {
    common::fixture_course("classroom", into);
    let sum = xtask::commands::check::support_fingerprint(&xtask::workspace::Workspace::at(into));
    let manifest = into.join("xtask/curriculum.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("support_checksum = \"{sum}\"\n\n{text}")).unwrap();
}

/// One attack: files written into the learner's checkout (relative path, content).
struct Attack {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
}

const ADD: &str = "katas/01-add/src/lib.rs";

const ATTACKS: &[Attack] = &[
    Attack {
        name: "forged libtest output and exit(0) through std",
        files: &[(
            ADD,
            r#"
pub fn add(_a: u32, _b: u32) -> u32 {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = out.write_all(b"\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n");
    let _ = out.flush();
    std::process::exit(0)
}
"#,
        )],
    },
    Attack {
        name: "forged output and _exit through FFI, no crate",
        files: &[(
            ADD,
            r#"
unsafe extern "C" {
    fn write(fd: i32, buf: *const u8, n: usize) -> isize;
    fn _exit(code: i32) -> !;
}
pub fn add(_a: u32, _b: u32) -> u32 {
    let line = b"\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";
    unsafe {
        write(1, line.as_ptr(), line.len());
        for fd in 3..64 {
            write(fd, b"katas-proof 00\n".as_ptr(), 15);
        }
        _exit(0)
    }
}
"#,
        )],
    },
    Attack {
        name: "a panic hook that forges a pass when the suite's assertion fails",
        files: &[(
            ADD,
            r#"
pub fn add(_a: u32, _b: u32) -> u32 {
    std::panic::set_hook(Box::new(|_| {
        println!("\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
        std::process::exit(0);
    }));
    7
}
"#,
        )],
    },
    Attack {
        name: "a build script and an edited manifest with a harness-less test",
        files: &[
            (
                "katas/01-add/build.rs",
                "fn main() { std::fs::write(\"/tmp/katas-trust-build-ran\", \"\").unwrap(); }\n",
            ),
            (
                "katas/01-add/Cargo.toml",
                r#"[package]
name = "add"
version = "0.1.0"
edition.workspace = true
publish.workspace = true
build = "build.rs"

[lib]
name = "add"

[dev-dependencies]
testkit = { workspace = true }

[[test]]
name = "basics"
path = "tests/fake.rs"
harness = false
"#,
            ),
            (
                "katas/01-add/tests/fake.rs",
                "fn main() { println!(\"test result: ok. 1 passed; 0 failed\"); }\n",
            ),
        ],
    },
    Attack {
        name: "a proc-macro crate and a path dependency on the reference",
        files: &[
            (
                "katas/01-add/Cargo.toml",
                r#"[package]
name = "add"
version = "0.1.0"
edition.workspace = true
publish.workspace = true

[lib]
name = "add"

[dependencies]
sol = { path = "../../solutions/01-add", package = "add-solution" }

[dev-dependencies]
testkit = { workspace = true }

[[test]]
name = "basics"
path = "../../xtask/suites/01-add/basics.rs"
"#,
            ),
            (ADD, "pub use sol::add;\n"),
        ],
    },
    Attack {
        name: "an edited test kit that proves every check",
        files: &[(
            "xtask/testkit/src/proof.rs",
            "pub struct Proof;\nimpl Proof { pub fn take() -> Self { Proof } pub fn returned(self, (): ()) {} }\nimpl Drop for Proof { fn drop(&mut self) { use std::io::Write; let _ = std::io::stdout().write_all(b\"katas-proof forged\\n\"); } }\npub const FDS_VAR: &str = \"\";\n",
        )],
    },
    Attack {
        name: "#[path] and include! reaching the reference",
        files: &[(
            ADD,
            "#[path = \"../../../solutions/01-add/src/lib.rs\"]\nmod sol;\npub use sol::add;\n",
        )],
    },
    Attack {
        name: "include! built from the manifest dir",
        files: &[(
            ADD,
            "include!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../../solutions/01-add/src/lib.rs\"));\n",
        )],
    },
    Attack {
        name: "a constructor in .init_array and a replaced write()",
        files: &[(
            ADD,
            r#"
#[used]
#[unsafe(link_section = ".init_array")]
static EARLY: extern "C" fn() = early;
extern "C" fn early() {}
#[unsafe(no_mangle)]
pub extern "C" fn read(_fd: i32, _b: *mut u8, _n: usize) -> isize { 0 }
pub fn add(a: u32, b: u32) -> u32 { todo!("{a}{b}") }
"#,
        )],
    },
    Attack {
        name: "an undeclared crate from the build's library folder",
        files: &[(
            ADD,
            "extern crate testkit;\npub fn add(a: u32, b: u32) -> u32 { todo!(\"{a}{b}\") }\n",
        )],
    },
    Attack {
        name: "rewriting the suites and the progress file at run time",
        files: &[(
            ADD,
            r##"
pub fn add(a: u32, b: u32) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    let manifest = env!("CARGO_MANIFEST_DIR");
    for suite in [
        format!("{manifest}/../../xtask/suites/01-add/basics.rs"),
        "../../xtask/suites/01-add/basics.rs".to_string(),
    ] {
        let dir = std::path::Path::new(&suite).parent().unwrap().to_path_buf();
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
        let _ = std::fs::set_permissions(&suite, std::fs::Permissions::from_mode(0o644));
        let _ = std::fs::write(&suite, "#[test] fn small_numbers_add_up() {}\n");
    }
    let _ = std::fs::write(".katas-progress.toml", "forged");
    let _ = std::fs::write(format!("{manifest}/../../../../../.katas-progress.toml"), "forged");
    todo!("{a}{b}")
}
"##,
        )],
    },
    Attack {
        name: "a memory hog",
        files: &[(
            ADD,
            "pub fn add(a: u32, b: u32) -> u32 { let mut v: Vec<Vec<u8>> = Vec::new(); loop { v.push(vec![1u8; 256 << 20]); if v.len() > 1 << 20 { return a + b + v.len() as u32; } } }\n",
        )],
    },
    Attack {
        name: "an orphan process that outlives the run",
        files: &[(
            ADD,
            r#"
pub fn add(a: u32, b: u32) -> u32 {
    let _ = std::process::Command::new("sh")
        .args(["-c", "(setsid sleep 317 &) ; sleep 317"])
        .spawn();
    std::thread::sleep(std::time::Duration::from_millis(300));
    a.wrapping_add(b).wrapping_add(1)
}
"#,
        )],
    },
    Attack {
        name: "control characters in output",
        files: &[(
            ADD,
            "pub fn add(a: u32, b: u32) -> u32 { print!(\"\\x1b]0;pwned\\x07\\x1b[2J\\x1b[1A\\u{0}\\u{fffe}\\r\"); eprintln!(\"\\x1b[31m\\u{8}\"); panic!(\"\\x1b[2J\\u{0}\\u{ffff} {a}{b}\") }\n",
        )],
    },
];

fn write_attack(root: &Path, attack: &Attack) {
    for (rel, text) in attack.files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn xtask(dir: &Path, target: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("KATAS_ROOT", dir)
        .env("CARGO_TARGET_DIR", target)
        .env("NO_COLOR", "1")
        .env("KATAS_LANG", "en")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("KATAS_SUITES")
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

fn sleepers() -> usize {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains("sleep\u{0}317"))
        })
        .count()
}

/// Runs every attack in check mode (the learner's own checkout) and in grade mode (the
/// student's checkout graded from a separate course copy with the teacher's suites).
#[test]
fn no_attack_earns_a_pass_or_changes_a_suite() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("target");
    let teacher = tmp.path().join("course");
    course(&teacher);
    let teacher_suites = teacher.join("xtask/suites");
    let before = fingerprint(&teacher_suites);
    let _ = std::fs::remove_file("/tmp/katas-trust-build-ran");
    let mut failures = Vec::new();
    for (i, attack) in ATTACKS.iter().enumerate() {
        // check: the attack in the learner's own checkout.
        let learner = tmp.path().join(format!("learner{i}"));
        course(&learner);
        write_attack(&learner, attack);
        let learner_suites = fingerprint(&learner.join("xtask/suites"));
        let out = xtask(&learner, &target, &["check", "01"]);
        let t = text(&out);
        if out.status.code() == Some(0) || t.contains("PASS ") || t.contains("is done") {
            failures.push(format!("check passed `{}`:\n{t}", attack.name));
        }
        if t.contains('\u{1b}') || t.contains('\u{0}') {
            failures.push(format!(
                "check printed control characters for `{}`",
                attack.name
            ));
        }
        if fingerprint(&learner.join("xtask/suites")) != learner_suites {
            failures.push(format!("check let `{}` change the suites", attack.name));
        }

        // grade: the student's checkout, graded from the teacher's course copy.
        let out_dir = tmp.path().join(format!("results{i}"));
        let out = xtask(
            &teacher,
            &target,
            &[
                "grade",
                "01",
                "--katas",
                learner.to_str().unwrap(),
                "--format",
                "json",
                "--out",
                out_dir.to_str().unwrap(),
            ],
        );
        let t = text(&out);
        if out.status.code() == Some(0) {
            failures.push(format!("grade exited 0 for `{}`:\n{t}", attack.name));
        }
        if let Ok(json) = std::fs::read_to_string(out_dir.join("results.json")) {
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            let passed = v["tests"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["status"] == "pass")
                .count();
            if passed > 0 {
                failures.push(format!(
                    "grade passed {passed} checks for `{}`",
                    attack.name
                ));
            }
            let junit = std::fs::read_to_string(out_dir.join("junit.xml")).unwrap();
            if junit.chars().any(|c| {
                (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
                    || c == '\u{fffe}'
                    || c == '\u{ffff}'
            }) {
                failures.push(format!(
                    "junit.xml holds XML-invalid characters for `{}`",
                    attack.name
                ));
            }
        }
        if fingerprint(&teacher_suites) != before {
            failures.push(format!(
                "grade let `{}` change the teacher's suites",
                attack.name
            ));
        }
    }
    if std::path::Path::new("/tmp/katas-trust-build-ran").exists() {
        failures.push("a learner's build script ran".into());
    }
    if sleepers() > 0 {
        failures.push(format!(
            "{} orphaned processes survived the run",
            sleepers()
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A grade with one suites folder, then another, runs only the second's checks.
#[test]
fn grading_with_other_suites_never_reuses_the_first_build() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("target");
    let root = tmp.path().join("course");
    course(&root);
    let a = tmp.path().join("suites-a");
    let b = tmp.path().join("suites-b");
    common::copy_dir(&root.join("xtask/suites"), &a);
    common::copy_dir(&root.join("xtask/suites"), &b);
    let extra = "\n#[testkit::check]\n#[test]\nfn only_in_suite_a() {}\n";
    let basics = a.join("01-add/basics.rs");
    let text_a = std::fs::read_to_string(&basics).unwrap() + extra;
    std::fs::write(&basics, text_a).unwrap();
    // Suite A's file is newer than B's: a build that trusts times would keep A's binary.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let names = |suites: &Path| {
        let out_dir = tmp.path().join("out");
        let _ = std::fs::remove_dir_all(&out_dir);
        let out = xtask(
            &root,
            &target,
            &[
                "grade",
                "01",
                "--reference",
                "--suites",
                suites.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ],
        );
        std::fs::read_to_string(out_dir.join("results.json"))
            .unwrap_or_else(|_| panic!("{}", text(&out)))
    };
    assert!(names(&a).contains("only in suite a"));
    let second = names(&b);
    assert!(!second.contains("only in suite a"), "{second}");
    assert!(second.contains("small numbers add up"), "{second}");
}

/// Adds kata `03-twice` to a fixture course: its library builds on kata 01 (`add`), by path,
/// like the capstone builds on the learner's ring; the solution builds on the reference.
fn course_with_a_capstone(into: &Path) {
    course(into);
    let manifest = |package: &str, add: &str| {
        format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition.workspace = true\n\
             publish.workspace = true\n\n[lib]\nname = \"twice\"\n\n[dependencies]\n{add}\n\n\
             [dev-dependencies]\ntestkit = {{ workspace = true }}\n\n[[test]]\nname = \"suite\"\n\
             path = \"../../xtask/suites/03-twice/suite.rs\"\n"
        )
    };
    let lib = "//! Twice a sum.\n\n/// `2 * (a + b)`, wrapping, with kata 01's `add`.\n\
               pub fn double_sum(a: u32, b: u32) -> u32 {\n    add::add(a, b).wrapping_mul(2)\n}\n";
    let files = [
        (
            "katas/03-twice/Cargo.toml",
            manifest("twice", "add = { path = \"../01-add\" }"),
        ),
        ("katas/03-twice/src/lib.rs", lib.to_string()),
        (
            "solutions/03-twice/Cargo.toml",
            manifest(
                "twice-solution",
                "add = { path = \"../01-add\", package = \"add-solution\" }",
            ),
        ),
        ("solutions/03-twice/src/lib.rs", lib.to_string()),
        (
            "xtask/suites/03-twice/basics.rs",
            "use twice::double_sum;\n\n#[testkit::check]\n#[test]\nfn twice_a_small_sum() {\n    \
             assert_eq!(double_sum(2, 3), 10);\n}\n"
                .to_string(),
        ),
        (
            "xtask/suites/03-twice/suite.rs",
            xtask::build::suite_root(
                "03-twice",
                &[xtask::build::SuiteTarget {
                    name: "basics".into(),
                    loom: false,
                }],
            ),
        ),
        (
            "xtask/suites/03-twice/checks.txt",
            "basics/twice_a_small_sum\n".to_string(),
        ),
    ];
    for (rel, text) in files {
        let path = into.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let curriculum = into.join("xtask/curriculum.toml");
    let text = std::fs::read_to_string(&curriculum).unwrap()
        + "\n[[kata]]\nslug = \"03-twice\"\ntitle = \"Twice\"\ntopic = \"arithmetic\"\n\
           points = 5\ntimeout = 5\ndependencies = [\"01-add\"]\nhints = [\"Use add.\"]\n";
    std::fs::write(&curriculum, text).unwrap();
}

/// A kata that builds on an earlier one gets the learner's own earlier kata, sealed: an
/// edited manifest that points it at the reference solution (or anything else) counts for
/// nothing. Attack: `katas/03-twice/Cargo.toml` depends on `solutions/01-add`, whose `add`
/// is written, while the learner's `katas/01-add` is still a stub.
#[test]
fn a_capstone_cannot_borrow_the_reference_of_a_kata_it_builds_on() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("target");
    let teacher = tmp.path().join("course");
    course_with_a_capstone(&teacher);
    let learner = tmp.path().join("learner");
    course_with_a_capstone(&learner);

    // Honest first: with kata 01 written, the capstone passes in check and grade.
    std::fs::write(
        learner.join("katas/01-add/src/lib.rs"),
        "pub fn add(a: u32, b: u32) -> u32 { a.wrapping_add(b) }\n",
    )
    .unwrap();
    let out = xtask(&learner, &target, &["check", "03", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // The attack: kata 01 back to its stub, the capstone's manifest at the reference.
    std::fs::copy(
        teacher.join("katas/01-add/src/lib.rs"),
        learner.join("katas/01-add/src/lib.rs"),
    )
    .unwrap();
    std::fs::write(
        learner.join("katas/03-twice/Cargo.toml"),
        std::fs::read_to_string(learner.join("katas/03-twice/Cargo.toml"))
            .unwrap()
            .replace(
                "add = { path = \"../01-add\" }",
                "add = { path = \"../../solutions/01-add\", package = \"add-solution\" }",
            ),
    )
    .unwrap();
    let out = xtask(&learner, &target, &["check", "03", "--force"]);
    let t = text(&out);
    assert_ne!(out.status.code(), Some(0), "check passed:\n{t}");
    assert!(
        !t.contains("PASS ") && t.contains("TODO"),
        "check should reach the stub of kata 01:\n{t}"
    );
    let out_dir = tmp.path().join("results");
    let out = xtask(
        &teacher,
        &target,
        &[
            "grade",
            "03",
            "--katas",
            learner.to_str().unwrap(),
            "--format",
            "json",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    let json = std::fs::read_to_string(out_dir.join("results.json"))
        .unwrap_or_else(|_| panic!("{}", text(&out)));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let passed = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "pass")
        .count();
    assert_eq!(
        passed, 0,
        "grade passed the capstone on the reference:\n{json}"
    );
}

/// When a kata the capstone builds on no longer compiles, `check` names that kata.
#[test]
fn a_broken_earlier_kata_is_named_when_the_capstone_is_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("target");
    let learner = tmp.path().join("learner");
    course_with_a_capstone(&learner);
    std::fs::write(
        learner.join("katas/01-add/src/lib.rs"),
        "pub fn add(a: u32, b: u32) -> u32 { a + b + \"one\" }\n",
    )
    .unwrap();
    let out = xtask(&learner, &target, &["check", "03", "--force"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(
        t.contains("katas/01-add, which 03-twice builds on, does not compile"),
        "{t}"
    );
}
