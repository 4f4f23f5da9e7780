//! Where things live: the repository root and the paths derived from a kata's slug.

use std::path::{Path, PathBuf};

use crate::error::Result;

/// The repository and the folders the grader reads and writes.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository root (holds the workspace `Cargo.toml`).
    pub root: PathBuf,
    /// Where hidden suites are read from: `xtask/suites`.
    pub suites: PathBuf,
}

impl Workspace {
    /// Finds the repository root: `KATAS_ROOT` if set (tests), else the parent of this
    /// package's manifest directory.
    pub fn locate() -> Result<Self> {
        let root = match std::env::var_os("KATAS_ROOT") {
            Some(root) => PathBuf::from(root),
            None => {
                let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
                manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
            }
        };
        if !root.join("Cargo.toml").is_file() {
            crate::bail!(
                "cannot find the latency-katas workspace at {} (no Cargo.toml there).\n\
                 Run the grader from inside the repository: `cargo xtask`.",
                root.display()
            );
        }
        Ok(Self::at(root))
    }

    /// A workspace rooted at `root` with the default suites folder.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let suites = root.join("xtask").join("suites");
        Self { root, suites }
    }

    /// `katas/<slug>`: what the learner edits.
    pub fn kata_dir(&self, slug: &str) -> PathBuf {
        self.root.join("katas").join(slug)
    }

    /// `solutions/<slug>`: the reference solution.
    pub fn solution_dir(&self, slug: &str) -> PathBuf {
        self.root.join("solutions").join(slug)
    }

    /// The hidden suite of one kata.
    pub fn suite_dir(&self, slug: &str) -> PathBuf {
        self.suites.join(slug)
    }

    /// `xtask/curriculum.toml`.
    pub fn manifest_path(&self) -> PathBuf {
        self.root.join("xtask").join("curriculum.toml")
    }

    /// `.katas-progress.toml` at the root.
    pub fn progress_path(&self) -> PathBuf {
        self.root.join(".katas-progress.toml")
    }

    /// Cargo's target directory for normal builds.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                if dir.is_absolute() {
                    dir
                } else {
                    self.root.join(dir)
                }
            }
            None => self.root.join("target"),
        }
    }

    /// The separate target directory of `--cfg loom` builds, so they never invalidate the
    /// normal build cache.
    pub fn loom_target_dir(&self) -> PathBuf {
        self.target_dir().join("loom")
    }

    /// Paths shown to people are relative to the root when possible.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// The package name of a kata: its slug without the `NN-` prefix (`04-object-pool` →
/// `object-pool`). The solution's package adds `-solution`.
pub fn package_name(slug: &str) -> &str {
    match slug.split_once('-') {
        Some((num, rest)) if num.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => slug,
    }
}

/// The solution package of a kata (`object-pool-solution`).
pub fn solution_package(slug: &str) -> String {
    format!("{}-solution", package_name(slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_drop_the_number() {
        assert_eq!(package_name("04-object-pool"), "object-pool");
        assert_eq!(solution_package("09-cas-counter"), "cas-counter-solution");
        assert_eq!(package_name("odd"), "odd");
    }
}
