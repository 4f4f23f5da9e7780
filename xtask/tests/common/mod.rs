//! What the grader's integration tests share: a fresh copy of a fixture course.

#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};

/// Copies the folder `from` into `to`, leaving out any `target` folder.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "target" {
                copy_dir(&e.path(), &dest);
            }
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Copies the fixture course `xtask/tests/fixtures/NAME` into `into`, with the real test kit
/// and the lock file: the sealed build takes both from the course.
pub fn fixture_course(name: &str, into: &Path) {
    copy_dir(&repo().join("xtask/tests/fixtures").join(name), into);
    for support in ["xtask/testkit", "xtask/testkit-macros"] {
        copy_dir(&repo().join(support), &into.join(support));
    }
    std::fs::copy(repo().join("Cargo.lock"), into.join("Cargo.lock")).unwrap();
}
