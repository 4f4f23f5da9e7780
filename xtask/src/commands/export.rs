//! `cargo xtask export --student DIR`: a copy of the course for students.
//!
//! Leaves out `solutions/`, the authors' CI (`.ci/`, `ci.yml`) (and with `--without-suites`, `xtask/suites/` and the katas'
//! `[[test]]` and `[[bench]]` entries that point into it), the learner's progress, build output and git
//! history. The copy builds, its `Cargo.lock` lists exactly its own crates (so a student's
//! first build leaves it unchanged), and `check` works wherever the suites are present.

use std::path::Path;

use crate::error::{Context, Result};
use crate::exit;
use crate::workspace::Workspace;

/// Top-level entries never copied.
const SKIPPED: [&str; 5] = ["target", ".git", "solutions", ".katas-progress.toml", ".ci"];

/// Writes the student copy.
pub fn run(ws: &Workspace, dest: &Path, without_suites: bool) -> Result<i32> {
    if dest.exists() {
        crate::bail!(
            "{} already exists; export writes a new folder",
            dest.display()
        );
    }
    copy_tree(&ws.root, dest, &|rel: &Path| {
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let first = first.as_deref().unwrap_or("");
        SKIPPED.contains(&first)
            || rel == Path::new(".github/workflows/ci.yml")
            || (without_suites && rel.starts_with("xtask/suites"))
    })
    .context(|| format!("cannot write {}", dest.display()))?;

    // The workspace no longer has solutions: drop them from the member lists.
    let manifest = dest.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .context(|| "cannot read the copied Cargo.toml".to_string())?;
    let text = text
        .lines()
        .map(|l| {
            if l.starts_with("members") || l.starts_with("default-members") {
                l.replace("\"solutions/*\", ", "")
                    .replace(", \"solutions/*\"", "")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(&manifest, text).context(|| "cannot write the copied Cargo.toml".to_string())?;
    let lock_note = trim_lockfile(dest).err();

    if without_suites {
        let katas = dest.join("katas");
        for entry in std::fs::read_dir(&katas)
            .context(|| "cannot read katas/".to_string())?
            .flatten()
        {
            let path = entry.path().join("Cargo.toml");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            std::fs::write(&path, strip_tests(&text))
                .context(|| format!("cannot write {}", path.display()))?;
        }
    }
    println!(
        "Wrote a student copy to {} (no solutions/{}).",
        dest.display(),
        if without_suites {
            ", no hidden suites: grade in CI with `cargo xtask grade --suites`"
        } else {
            ""
        }
    );
    if let Some(why) = lock_note {
        println!(
            "note: its Cargo.lock still lists the solution crates ({why}); run `cargo update \
             --workspace` in {} before you commit it, or a student's first build rewrites it.",
            dest.display()
        );
    }
    Ok(exit::SUCCESS)
}

/// Drops the solution crates, and what only they use, from the copy's `Cargo.lock`, keeping
/// every other version as locked: otherwise the first build rewrites the lock and a fresh
/// student repository shows a modified file before any edit. `cargo update --workspace`
/// re-resolves the workspace members only; offline first, as every crate it keeps is
/// already known to this machine.
fn trim_lockfile(dest: &Path) -> std::result::Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut last = String::new();
    for offline in [true, false] {
        let mut cmd = std::process::Command::new(&cargo);
        cmd.args(["update", "--workspace", "--quiet", "--manifest-path"])
            .arg(dest.join("Cargo.toml"))
            .stdin(std::process::Stdio::null());
        if offline {
            cmd.arg("--offline");
        }
        match cmd.output() {
            Ok(out) if out.status.success() => return Ok(()),
            Ok(out) => last = String::from_utf8_lossy(&out.stderr).trim().to_string(),
            Err(e) => last = format!("cannot run cargo: {e}"),
        }
    }
    Err(last
        .lines()
        .next()
        .unwrap_or("cargo update failed")
        .to_string())
}

/// Removes every `[[test]]` and `[[bench]]` table (their files live in the suites) from a
/// crate manifest's text.
fn strip_tests(text: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            skipping = t == "[[test]]" || t == "[[bench]]";
        }
        if !skipping {
            out.push(line);
        }
    }
    let mut s = out.join("\n");
    while s.contains("\n\n\n") {
        s = s.replace("\n\n\n", "\n\n");
    }
    s.trim_end().to_string() + "\n"
}

fn copy_tree(root: &Path, dest: &Path, skip: &dyn Fn(&Path) -> bool) -> std::io::Result<()> {
    fn walk(
        root: &Path,
        dir: &Path,
        dest: &Path,
        skip: &dyn Fn(&Path) -> bool,
    ) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap_or(&path);
            if skip(rel) {
                continue;
            }
            let target = dest.join(rel);
            let kind = entry.file_type()?;
            if kind.is_dir() {
                std::fs::create_dir_all(&target)?;
                walk(root, &path, dest, skip)?;
            } else if kind.is_file() {
                std::fs::copy(&path, &target)?;
            }
        }
        Ok(())
    }
    std::fs::create_dir_all(dest)?;
    walk(root, root, dest, skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_tables_are_stripped() {
        let text = "[package]\nname = \"x\"\n\n[[test]]\nname = \"a\"\npath = \"p\"\n\n[lints]\nworkspace = true\n";
        assert_eq!(
            strip_tests(text),
            "[package]\nname = \"x\"\n\n[lints]\nworkspace = true\n"
        );
    }
}
