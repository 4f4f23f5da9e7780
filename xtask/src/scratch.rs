//! Scratch workspaces under the target dir for authors' tools: a copy of some crates, wired
//! to the support crates and to a suites folder, so code can be graded without touching the
//! working tree (mutants). Grading untrusted code uses [`crate::sandbox::seal`] instead.

use std::path::{Path, PathBuf};

use crate::build::SuiteTarget;
use crate::error::{Context, Result};
use crate::workspace::Workspace;

/// A crate to place in the scratch workspace.
#[derive(Debug, Clone)]
pub struct Member {
    /// Where it goes, relative to the scratch root (`katas/01-gc-pacer`).
    pub rel: String,
    /// Where it is copied from.
    pub source: PathBuf,
    /// When set, the crate's `[[test]]` targets are rewritten to this kata slug's one suite
    /// target over these suite files (so a manifest edit cannot hide a suite file).
    pub tests: Option<(String, Vec<SuiteTarget>)>,
    /// The package name in the scratch copy. It must differ from the original's: cargo names
    /// a path package's artifacts by name and version, not by path, so a same-named copy
    /// sharing the target dir would overwrite the original's build.
    pub package: String,
}

/// A scratch workspace ready to build.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// Its root folder.
    pub root: PathBuf,
    /// Its `Cargo.toml`.
    pub manifest: PathBuf,
}

/// Creates (or refreshes) `target/<name>/ws` holding `members`, with `xtask/suites` linked to
/// `suites`. Unchanged files keep their content, so cargo rebuilds only what changed, and
/// dependency builds are shared with the main target dir.
pub fn create(ws: &Workspace, name: &str, members: &[Member], suites: &Path) -> Result<Scratch> {
    let root = ws.target_dir().join(name).join("ws");
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
        toml::Value::Array(
            members
                .iter()
                .map(|m| toml::Value::String(m.rel.clone()))
                .collect(),
        ),
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
    let suites = std::fs::canonicalize(suites)
        .context(|| format!("cannot open the suites folder {}", suites.display()))?;
    for (link, real) in [
        ("xtask/sync-shim", ws.root.join("xtask/sync-shim")),
        ("xtask/testkit", ws.root.join("xtask/testkit")),
        // testkit's `#[check]` attribute lives here (without it the copy does not load).
        ("xtask/testkit-macros", ws.root.join("xtask/testkit-macros")),
        ("xtask/suites", suites),
    ] {
        let link = root.join(link);
        if std::fs::read_link(&link).ok().as_deref() != Some(real.as_path()) {
            let _ = std::fs::remove_file(&link);
            let _ = std::fs::remove_dir_all(&link);
            std::os::unix::fs::symlink(&real, &link)
                .context(|| format!("cannot link {}", link.display()))?;
        }
    }

    // Only the listed members stay in the scratch copy's crate folders.
    for parent in ["katas", "solutions"] {
        if let Ok(entries) = std::fs::read_dir(root.join(parent)) {
            for e in entries.flatten() {
                let rel = format!("{parent}/{}", e.file_name().to_string_lossy());
                if !members.iter().any(|m| m.rel == rel) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
    for member in members {
        let dir = root.join(&member.rel);
        sync_dir(&member.source, &dir)
            .context(|| format!("cannot copy {}", member.source.display()))?;
        rewrite_manifest(
            &dir.join("Cargo.toml"),
            &member.package,
            member.tests.as_ref(),
        )?;
    }
    Ok(Scratch {
        root,
        manifest: scratch_manifest,
    })
}

/// Renames the copied package (keeping its library's name) and, when `tests` is set,
/// replaces its `[[test]]` list with the suite's one target.
fn rewrite_manifest(
    manifest: &Path,
    package: &str,
    tests: Option<&(String, Vec<SuiteTarget>)>,
) -> Result<()> {
    let text = std::fs::read_to_string(manifest)
        .context(|| format!("cannot read {}", manifest.display()))?;
    let mut table: toml::Table =
        toml::from_str(&text).context(|| format!("cannot parse {}", manifest.display()))?;
    let original = table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .ok_or_else(|| crate::err!("{} has no package name", manifest.display()))?
        .to_string();
    let lib = table
        .entry("lib")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(lib) = lib.as_table_mut() {
        lib.entry("name")
            .or_insert_with(|| toml::Value::String(original.replace('-', "_")));
    }
    if let Some(p) = table.get_mut("package").and_then(|p| p.as_table_mut()) {
        p.insert("name".into(), toml::Value::String(package.to_string()));
    }
    let Some((slug, targets)) = tests else {
        let text =
            toml::to_string(&table).context(|| "cannot encode a crate manifest".to_string())?;
        return write_if_changed(manifest, &text);
    };
    let tests = if targets.is_empty() {
        Vec::new()
    } else {
        vec![crate::sandbox::seal::suite_test_entry(slug)]
    };
    table.insert("test".into(), toml::Value::Array(tests));
    if let Some(package) = table.get_mut("package").and_then(|p| p.as_table_mut()) {
        package.insert("autotests".into(), toml::Value::Boolean(false));
    }
    let text = toml::to_string(&table).context(|| "cannot encode a crate manifest".to_string())?;
    write_if_changed(manifest, &text)
}

/// Makes `to` a copy of `from` (skipping `target`), rewriting only files whose content
/// differs so cargo's fingerprints stay valid for the rest.
pub fn sync_dir(from: &Path, to: &Path) -> std::io::Result<()> {
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

/// Writes `text` unless the file already holds it.
pub fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).context(|| format!("cannot write {}", path.display()))
}
