//! Mutants: small patches against a solution, each injecting one realistic bug the suite
//! must reject. Each is applied to a scratch copy of the workspace under the target dir, so
//! the working tree is never modified, even if the run is interrupted.

use std::path::{Path, PathBuf};

use crate::error::{Context, Result};
use crate::workspace::{Workspace, solution_package};

/// One mutant file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    /// The file stem (`relaxed_cas`).
    pub name: String,
    /// The lines before the diff: what bug it injects.
    pub description: String,
    /// The file-level diffs: (path relative to the solution crate, unified diff text).
    pub diffs: Vec<(String, String)>,
}

/// The mutants of a suite, by name.
pub fn load(suite_dir: &Path) -> Result<Vec<Mutant>> {
    let dir = suite_dir.join("mutants");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut mutants = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "patch") {
            continue;
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path)
            .context(|| format!("cannot read mutant {}", path.display()))?;
        mutants.push(parse(&name, &text)?);
    }
    mutants.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(mutants)
}

/// Splits a mutant file into its description and per-file diffs.
pub fn parse(name: &str, text: &str) -> Result<Mutant> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            lines[i].starts_with("--- ") && lines.get(i + 1).is_some_and(|l| l.starts_with("+++ "))
        })
        .collect();
    let Some(&first) = starts.first() else {
        crate::bail!("mutant `{name}` holds no unified diff (no `---`/`+++` header)");
    };
    let description = lines[..first]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with("diff ") && !l.starts_with("index "))
        .collect::<Vec<_>>()
        .join(" ");
    let mut diffs = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let header = lines[start + 1].trim_start_matches("+++ ");
        let path = header
            .split('\t')
            .next()
            .unwrap_or(header)
            .trim()
            .trim_start_matches("b/")
            .to_string();
        if path.is_empty() || path.starts_with('/') || path.contains("..") {
            crate::bail!(
                "mutant `{name}` patches `{path}`: use a path inside the solution crate, like b/src/lib.rs"
            );
        }
        let mut body = lines[start..end].join("\n");
        body.push('\n');
        diffs.push((path, body));
    }
    Ok(Mutant {
        name: name.to_string(),
        description,
        diffs,
    })
}

/// Applies a mutant's diffs to the given sources (path → text). Used on scratch copies and in
/// tests.
pub fn apply_text(mutant: &Mutant, original: &str, diff: &str) -> Result<String> {
    let patch = diffy::Patch::from_str(diff)
        .map_err(|e| crate::err!("mutant `{}` is not a valid unified diff: {e}", mutant.name))?;
    diffy::apply(original, &patch).map_err(|e| {
        crate::err!(
            "mutant `{}` no longer applies to the solution ({e}); regenerate it against the current source",
            mutant.name
        )
    })
}

/// A scratch workspace holding one mutated solution crate.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// Its `Cargo.toml`.
    pub manifest: PathBuf,
    /// The solution package's name.
    pub package: String,
    /// The mutated crate's folder.
    pub dir: PathBuf,
}

/// Builds `target/mutants/ws` with the solution of `slug` mutated by `mutant`. The support
/// crates and suites are symlinked, the lock file copied, so dependency builds are shared
/// with the main target dir.
pub fn prepare(ws: &Workspace, slug: &str, mutant: &Mutant) -> Result<Scratch> {
    let root = ws.target_dir().join("mutants").join("ws");
    std::fs::create_dir_all(root.join("xtask"))
        .context(|| format!("cannot create {}", root.display()))?;

    let manifest_text = std::fs::read_to_string(ws.root.join("Cargo.toml"))
        .context(|| "cannot read the workspace Cargo.toml".to_string())?;
    let mut manifest: toml::Table = toml::from_str(&manifest_text)
        .context(|| "cannot parse the workspace Cargo.toml".to_string())?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(|w| w.as_table_mut())
        .ok_or_else(|| crate::err!("the workspace Cargo.toml has no [workspace]"))?;
    workspace.insert(
        "members".into(),
        toml::Value::Array(vec![toml::Value::String(format!("solutions/{slug}"))]),
    );
    workspace.remove("default-members");
    workspace.remove("exclude");
    let scratch_manifest = root.join("Cargo.toml");
    write_if_changed(
        &scratch_manifest,
        &toml::to_string(&manifest).context(|| "cannot encode the scratch manifest".to_string())?,
    )?;
    if let Ok(lock) = std::fs::read_to_string(ws.root.join("Cargo.lock")) {
        write_if_changed(&root.join("Cargo.lock"), &lock)?;
    }
    for (link, real) in [
        ("xtask/sync-shim", ws.root.join("xtask/sync-shim")),
        ("xtask/testkit", ws.root.join("xtask/testkit")),
        ("xtask/suites", ws.suites.clone()),
    ] {
        let link = root.join(link);
        if std::fs::read_link(&link).ok().as_deref() != Some(real.as_path()) {
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&real, &link)
                .context(|| format!("cannot link {}", link.display()))?;
        }
    }

    // The mutated crate: copied fresh, then patched. Unchanged files keep their mtimes'
    // content so cargo rebuilds only what the patch touched.
    let src = ws.solution_dir(slug);
    let dir = root.join("solutions").join(slug);
    sync_dir(&src, &dir).context(|| format!("cannot copy {}", src.display()))?;
    for (path, diff) in &mutant.diffs {
        let original = std::fs::read_to_string(src.join(path)).context(|| {
            format!(
                "mutant `{}` patches {path}, which the solution lacks",
                mutant.name
            )
        })?;
        let mutated = apply_text(mutant, &original, diff)?;
        if mutated == original {
            crate::bail!("mutant `{}` changes nothing", mutant.name);
        }
        write_if_changed(&dir.join(path), &mutated)?;
    }
    Ok(Scratch {
        manifest: scratch_manifest,
        package: solution_package(slug),
        dir,
    })
}

/// Makes `to` a copy of `from` (skipping `target`), rewriting only files whose content
/// differs so cargo's fingerprints stay valid for the rest.
fn sync_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut wanted = std::collections::HashSet::new();
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        wanted.insert(name.clone());
        let dest = to.join(&name);
        if entry.file_type()?.is_dir() {
            sync_dir(&entry.path(), &dest)?;
        } else {
            let bytes = std::fs::read(entry.path())?;
            if std::fs::read(&dest).ok().as_deref() != Some(bytes.as_slice()) {
                std::fs::write(&dest, bytes)?;
            }
        }
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !wanted.contains(&entry.file_name()) {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                std::fs::remove_dir_all(path)?;
            } else {
                std::fs::remove_file(path)?;
            }
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATCH: &str = "Relaxed where Release is needed.\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,3 @@\n fn a() {}\n-fn b() { Release }\n+fn b() { Relaxed }\n fn c() {}\n";

    #[test]
    fn a_mutant_has_a_description_and_a_diff() {
        let m = parse("relaxed", PATCH).unwrap();
        assert_eq!(m.description, "Relaxed where Release is needed.");
        assert_eq!(m.diffs.len(), 1);
        assert_eq!(m.diffs[0].0, "src/lib.rs");
    }

    #[test]
    fn a_mutant_applies_to_its_original() {
        let m = parse("relaxed", PATCH).unwrap();
        let out = apply_text(
            &m,
            "fn a() {}\nfn b() { Release }\nfn c() {}\n",
            &m.diffs[0].1,
        )
        .unwrap();
        assert_eq!(out, "fn a() {}\nfn b() { Relaxed }\nfn c() {}\n");
    }

    #[test]
    fn a_stale_mutant_is_an_error() {
        let m = parse("relaxed", PATCH).unwrap();
        let e = apply_text(
            &m,
            "fn a() {}\nfn b() { SeqCst }\nfn c() {}\n",
            &m.diffs[0].1,
        )
        .unwrap_err();
        assert!(e.0.contains("no longer applies"), "{e}");
    }

    #[test]
    fn a_file_without_a_diff_is_an_error() {
        assert!(parse("empty", "just words\n").is_err());
        assert!(parse("escape", "x\n--- a/../../etc\n+++ b/../../etc\n").is_err());
    }
}
