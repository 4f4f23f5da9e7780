//! The course in French: a learner whose locale is French sees the status, the hints, a check
//! and a compile error in French; `--lang` and `KATAS_LANG` choose before the locale; an
//! unknown locale, or none, gives English; machine outputs and exit codes do not change.

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// The fixture course with the real test kit, its first kata titled and hinted in French.
fn course(into: &Path) {
    common::fixture_course("classroom", into);
    let manifest = into.join("xtask/curriculum.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace(
        "hints = [\"Use +.\", \"a + b.\"]\n",
        "hints = [\"Use +.\", \"a + b.\"]\ntitle_fr = \"Addition\"\nhints_fr = [\"Utilisez +.\", \"a + b.\"]\n",
    );
    assert!(text.contains("hints_fr"));
    std::fs::write(&manifest, text).unwrap();
}

/// The grader in `root`, with exactly the language settings given (the developer's own are
/// removed first).
fn xtask(root: &Path, lang: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(args)
        .env("KATAS_ROOT", root)
        // Outside this checkout, whose own cargo configuration the sealed build refuses.
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("NO_COLOR", "1")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("KATAS_SUITES")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS");
    for var in ["KATAS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    for (k, v) in lang {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const FRENCH: &[(&str, &str)] = &[("LANG", "fr_FR.UTF-8")];

#[test]
fn a_french_learner_sees_the_status_and_the_hints_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    course(tmp.path());
    let out = xtask(tmp.path(), FRENCH, &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("0/2 katas terminés"), "{t}");
    assert!(t.contains("Kata en cours : 01-add — Addition"), "{t}");
    assert!(t.contains("Lisez katas/01-add/README.fr.md"), "{t}");
    assert!(t.contains("bloqué ? un indice par appel"), "{t}");
    assert!(!t.contains('\u{2068}') && !t.contains('\u{2069}'), "{t:?}");

    let out = xtask(tmp.path(), FRENCH, &["hint"]);
    let t = text(&out);
    assert!(t.contains("Indice 1 sur 2 : Utilisez +."), "{t}");
    assert!(t.contains("Relancez `cargo xtask hint`"), "{t}");
    let t = text(&xtask(tmp.path(), FRENCH, &["hint"]));
    assert!(t.contains("Indice 2 sur 2 : a + b."), "{t}");
    assert!(t.contains("C'est le dernier indice."), "{t}");

    let out = xtask(tmp.path(), FRENCH, &["check", "frist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("erreur : il n'y a pas de kata `frist`"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_french_learner_sees_a_check_and_a_compile_error_in_french_with_the_same_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    course(tmp.path());
    let out = xtask(tmp.path(), FRENCH, &["check"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("Vérification de 01-add — Addition"), "{t}");
    assert!(t.contains("À FAIRE"), "{t}");
    assert!(t.contains("→ `add` n'est pas encore écrite"), "{t}");
    assert!(
        t.contains("0 vérification sur 4 réussie · 4 non commencées"),
        "{t}"
    );
    assert!(t.contains("Ensuite : écrivez `add`"), "{t}");
    assert!(
        t.contains("`cargo xtask hint` donne un coup de pouce"),
        "{t}"
    );
    assert!(!t.contains("Next:") && !t.contains("TODO "), "{t}");

    std::fs::write(
        tmp.path().join("katas/01-add/src/lib.rs"),
        "pub fn add(a: u32, b: u32) -> u32 {\n    a +\n}\n",
    )
    .unwrap();
    let out = xtask(tmp.path(), FRENCH, &["check"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(
        t.contains("katas/01-add ne compile pas encore. Corrigez la première erreur ci-dessus"),
        "{t}"
    );

    std::fs::write(
        tmp.path().join("katas/01-add/src/lib.rs"),
        "pub fn add(a: u32, b: u32) -> u32 {\n    a.wrapping_add(b)\n}\n",
    )
    .unwrap();
    let out = xtask(tmp.path(), FRENCH, &["check"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("RÉUSSI"), "{t}");
    assert!(t.contains("01-add est terminé !"), "{t}");
    assert!(t.contains("Débloqué : 02-mul"), "{t}");
}

#[test]
fn the_flag_then_katas_lang_then_the_locale_choose_the_language() {
    let tmp = tempfile::tempdir().unwrap();
    course(tmp.path());
    let english = "Current: 01-add";
    let french = "Kata en cours : 01-add";
    // (environment, arguments, what the status screen must say)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a str);
    let cases: &[Case] = &[
        (FRENCH, &["--lang", "en"], english),
        (
            &[("KATAS_LANG", "en"), ("LANG", "fr_FR.UTF-8")],
            &[],
            english,
        ),
        (&[("KATAS_LANG", "en")], &["--lang", "fr"], french),
        (
            &[("KATAS_LANG", "fr"), ("LANG", "en_US.UTF-8")],
            &[],
            french,
        ),
        (
            &[("LC_ALL", "fr_FR.UTF-8"), ("LANG", "en_US.UTF-8")],
            &[],
            french,
        ),
        (&[("LC_MESSAGES", "fr_BE.UTF-8")], &[], french),
        (&[("LC_ALL", "C"), ("LANG", "fr_FR.UTF-8")], &[], english),
        (&[("LANG", "de_DE.UTF-8")], &[], english),
        (&[("LANG", "C")], &[], english),
        (&[], &[], english),
    ];
    for (env, args, want) in cases {
        let t = text(&xtask(tmp.path(), env, args));
        assert!(
            t.contains(want),
            "{env:?} {args:?} should say {want:?}:\n{t}"
        );
    }
    let out = xtask(tmp.path(), &[], &["--lang", "de"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn grade_output_does_not_depend_on_the_learners_language() {
    let tmp = tempfile::tempdir().unwrap();
    course(tmp.path());
    let run = |env: &[(&str, &str)], name: &str| {
        let dir = tmp.path().join(name);
        let out = xtask(
            tmp.path(),
            env,
            &["grade", "--format", "junit", "--out", dir.to_str().unwrap()],
        );
        let results = std::fs::read_to_string(dir.join("results.json")).unwrap();
        (out.status.code(), results)
    };
    let (code_en, results_en) = run(&[("LANG", "C")], "en");
    let (code_fr, results_fr) = run(FRENCH, "fr");
    assert_eq!(code_en, code_fr);
    // Durations differ between runs: compare everything else.
    let scrub = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("duration") && !l.contains("time"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(scrub(&results_en), scrub(&results_fr));
    assert!(!results_fr.contains("vérification"), "{results_fr}");
    assert!(
        results_fr.contains("\"not_started\"") || results_fr.contains("todo"),
        "{results_fr}"
    );
}
