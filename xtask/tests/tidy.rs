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
