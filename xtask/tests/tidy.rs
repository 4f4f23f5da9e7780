//! Tidy checks are tests: every kata of the real curriculum has its folders, a README with
//! interview answers, enough hints and mutants, suite targets declared in both crates,
//! todo!()s in the stub only, and a SAFETY comment on every unsafe.

use std::path::Path;

use xtask::commands::verify::tidy_problems;
use xtask::curriculum::Curriculum;
use xtask::workspace::Workspace;

#[test]
fn every_kata_in_the_curriculum_is_tidy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let ws = Workspace::at(root);
    let curriculum = Curriculum::load(&ws).unwrap();
    let problems: Vec<String> = curriculum
        .katas
        .iter()
        .flat_map(|k| {
            tidy_problems(&ws, k)
                .into_iter()
                .map(move |p| format!("{}: {p}", k.slug))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "tidy problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_kata_folder_is_in_the_curriculum() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let curriculum = Curriculum::load(&Workspace::at(root)).unwrap();
    for parent in ["katas", "solutions", "xtask/suites"] {
        for entry in std::fs::read_dir(root.join(parent)).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                curriculum.position(&name).is_some(),
                "{parent}/{name} is not in xtask/curriculum.toml"
            );
        }
    }
}

/// A check named for a panic (`…_panics`) asserts only that panic, with
/// `testkit::expect_panic` (which passes a stub's `todo!()` on): a warm-up call before it
/// could fail for its own reasons under a name that says something else.
#[test]
fn checks_named_for_a_panic_check_only_the_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut problems = Vec::new();
    for kata in std::fs::read_dir(root.join("xtask/suites"))
        .unwrap()
        .flatten()
    {
        for file in std::fs::read_dir(kata.path()).unwrap().flatten() {
            let path = file.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("fn ") {
                let name: String = text[at + 3..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let item_start = text[..at].rfind("\n}\n").map_or(0, |i| i + 3);
                let attributes = &text[item_start..at];
                let is_check = attributes.contains("#[test]") || attributes.contains("#[rstest]");
                if !name.ends_with("_panics") || !is_check {
                    continue;
                }
                let body = &text[at..];
                let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
                let statements = body.matches(';').count();
                if !body.contains("expect_panic(") || statements > 1 {
                    problems.push(format!(
                        "{}: `{name}` should be one `testkit::expect_panic(..)` call",
                        path.strip_prefix(root).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A speed factor a kata's title promises (`three times faster`) is the one its README's
/// contract and its suite ask for.
#[test]
fn a_speed_factor_in_a_title_is_the_one_the_contract_asks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let ws = Workspace::at(root);
    let curriculum = Curriculum::load(&ws).unwrap();
    let words = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    for kata in &curriculum.katas {
        let Some(before) = kata.title.find(" times faster") else {
            continue;
        };
        let word = kata.title[..before].rsplit(' ').next().unwrap_or("");
        let factor = words.iter().position(|w| *w == word).map(|i| i + 2);
        let factor = factor.unwrap_or_else(|| panic!("{}: title factor `{word}`", kata.slug));
        let readme = std::fs::read_to_string(ws.kata_dir(&kata.slug).join("README.md")).unwrap();
        assert!(
            readme
                .lines()
                .next()
                .unwrap_or("")
                .contains(&format!("{word} times faster")),
            "{}: the README's heading should promise what the title does ({word} times faster)",
            kata.slug
        );
        assert!(
            readme.contains(&format!("**{factor} times faster**")),
            "{}: the title says {word} times faster, the README's contract does not",
            kata.slug
        );
        let suite = std::fs::read_dir(ws.suite_dir(&kata.slug))
            .unwrap()
            .flatten()
            .filter_map(|f| std::fs::read_to_string(f.path()).ok())
            .collect::<String>();
        assert!(
            suite.contains(&format!("REQUIRED_SPEEDUP: f64 = {factor}.0;")),
            "{}: the title says {word} times faster, the suite asks for another factor",
            kata.slug
        );
    }
}

/// The grader's words: every Fluent file of `xtask/locales/en` has a French twin, both are
/// embedded in the grader, and every message exists in both languages with the same
/// variables.
#[test]
fn every_message_exists_in_both_languages_with_the_same_variables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    let files = |lang: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join("locales").join(lang))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ftl"))
            .collect();
        names.sort();
        names
    };
    let mut embedded: Vec<String> = xtask::i18n::RESOURCES
        .iter()
        .map(|(name, _, _)| name.to_string())
        .collect();
    embedded.sort();
    for lang in ["en", "fr"] {
        if files(lang) != embedded {
            problems.push(format!(
                "xtask/locales/{lang} holds {:?} but the grader embeds {embedded:?} \
                 (xtask/src/i18n.rs, RESOURCES)",
                files(lang)
            ));
        }
    }
    for (file, en, fr) in xtask::i18n::RESOURCES {
        problems.extend(xtask::i18n::parity_problems(file, en, fr));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The root README's learner sections exist in French, linked from the top of README.md.
#[test]
fn the_root_readme_has_a_french_twin_linked_from_the_top() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let english = std::fs::read_to_string(root.join("README.md")).unwrap();
    let french = std::fs::read_to_string(root.join("README.fr.md"))
        .expect("README.fr.md (the learner sections of README.md in French) is missing");
    let top: String = english.lines().take(5).collect::<Vec<_>>().join("\n");
    assert!(
        top.contains("(README.fr.md)"),
        "README.md should link to README.fr.md in its first lines:\n{top}"
    );
    assert!(
        french.contains("(README.md)"),
        "README.fr.md should link back to README.md"
    );
}
