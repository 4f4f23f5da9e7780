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
