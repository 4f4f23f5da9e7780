//! The sealed build: a scratch workspace (`target/<name>/ws` of the course copy) holding the
//! learner's `src/` folders and nothing else of theirs. Manifests are generated here from the
//! course's, the lock file, support crates and suites are the course's (or the teacher's),
//! copied rather than linked, and cargo runs with an environment the learner cannot steer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::SuiteTarget;
use crate::error::{Context, Result};
use crate::progress::fingerprint;
use crate::scratch::{sync_dir, write_if_changed};
use crate::workspace::Workspace;

use super::source::{self, Refusal};

/// The support crates the suites and katas use, copied from the course.
pub const SUPPORT: &[&str] = &["xtask/sync-shim", "xtask/testkit", "xtask/testkit-macros"];

/// Dev-dependencies only the benchmarks use (`cargo xtask bench`): the sealed build compiles
/// tests alone, so leaving these out spares every `check` their compile time.
pub const BENCH_ONLY: &[&str] = &["divan", "rtrb"];

/// A kata to place in a sealed workspace.
#[derive(Debug, Clone)]
pub struct SealedKata {
    /// `NN-name`.
    pub slug: String,
    /// The package name in the sealed workspace (`object-pool-graded`).
    pub package: String,
    /// The course's manifest of the kata (its library name and dev-dependencies are read).
    pub course_manifest: PathBuf,
    /// The folder whose `src/` is the code under test (the learner's kata, or a reference).
    pub source: PathBuf,
    /// How `source/src` is shown to people (`katas/04-object-pool/src`).
    pub shown: String,
    /// The suite files, compiled as its one test target (none: a library only).
    pub targets: Vec<SuiteTarget>,
    /// The workspace dependencies its library may use (from the curriculum).
    pub dependencies: Vec<String>,
    /// The slugs of the earlier katas its library builds on (from the curriculum). Each must
    /// be sealed beside it: its library then depends on that sealed copy, whatever any
    /// manifest of the learner says.
    pub builds_on: Vec<String>,
}

/// A sealed workspace, ready to build.
#[derive(Debug)]
pub struct Sealed {
    /// Its root folder.
    pub root: PathBuf,
    /// Its `Cargo.toml`.
    pub manifest: PathBuf,
    /// Katas left out because their source was refused, with the reasons.
    pub refused: BTreeMap<String, Vec<Refusal>>,
    suites: PathBuf,
    slugs: Vec<String>,
    before: Vec<(PathBuf, String)>,
}

impl Sealed {
    /// Fails when a suite folder (the course's or teacher's, or its copy here) changed since
    /// it was sealed: a test rewrote it. Attack: a test that edits suites at run time.
    pub fn ensure_suites_unchanged(&self) -> Result<()> {
        for (dir, print) in &self.before {
            if fingerprint(dir) != *print {
                crate::bail!(
                    "the suite folder {} changed while the tests ran: something under test wrote \
                     to it, so no grade is given. Restore it (`git checkout`) and grade again.",
                    dir.display()
                );
            }
        }
        Ok(())
    }

    /// The suite folder of `slug` inside the sealed workspace (read-only).
    pub fn suite_dir(&self, slug: &str) -> PathBuf {
        self.root.join("xtask/suites").join(slug)
    }

    /// The folder the tests of `slug` are built from.
    pub fn kata_dir(&self, slug: &str) -> PathBuf {
        self.root.join("katas").join(slug)
    }

    /// The suites folder this workspace was sealed from.
    pub fn suites_source(&self) -> &Path {
        &self.suites
    }

    /// The katas sealed (refused ones excluded).
    pub fn slugs(&self) -> &[String] {
        &self.slugs
    }
}

/// Creates (or refreshes) `target/<name>/ws` of `course` for `katas`, with suites from
/// `suites`. Unchanged files keep their content and times, so cargo rebuilds only what changed.
pub fn seal(course: &Workspace, name: &str, katas: &[SealedKata], suites: &Path) -> Result<Sealed> {
    let root = course.target_dir().join(name).join("ws");
    std::fs::create_dir_all(root.join("xtask/suites"))
        .context(|| format!("cannot create {}", root.display()))?;
    ensure_no_foreign_cargo_config(&root, &course.root)?;

    let suites = std::fs::canonicalize(suites)
        .context(|| format!("cannot open the suites folder {}", suites.display()))?;
    let mut refused = BTreeMap::new();
    let mut sealed = Vec::new();
    for kata in katas {
        let src = kata.source.join("src");
        let problems = source::scan(&src, &kata.shown);
        if problems.is_empty() {
            sealed.push(kata);
        } else {
            refused.insert(kata.slug.clone(), problems);
        }
    }
    // A kata that builds on a refused (or absent) kata is refused with its reasons: it would
    // run that code. Repeated until nothing changes, for chains of katas.
    while let Some(pos) = sealed.iter().position(|k| {
        k.builds_on
            .iter()
            .any(|dep| !sealed.iter().any(|s| &s.slug == dep))
    }) {
        let kata = sealed.remove(pos);
        let mut problems = Vec::new();
        for dep in &kata.builds_on {
            if sealed.iter().any(|s| &s.slug == dep) {
                continue;
            }
            match refused.get(dep) {
                Some(theirs) => problems.extend(theirs.iter().map(|r: &Refusal| Refusal {
                    file: r.file.clone(),
                    line: r.line,
                    why: format!("{} (in {dep}, which {} builds on)", r.why, kata.slug),
                })),
                None => problems.push(Refusal {
                    file: format!("katas/{dep}/src"),
                    line: 0,
                    why: format!(
                        "{} builds on {dep}, which was not given to the sealed build",
                        kata.slug
                    ),
                }),
            }
        }
        refused.insert(kata.slug.clone(), problems);
    }
    let packages: BTreeMap<&str, &str> = sealed
        .iter()
        .map(|k| (k.slug.as_str(), k.package.as_str()))
        .collect();

    let (workspace_manifest, workspace_deps) = workspace_manifest(course, &sealed)?;
    write_if_changed(&root.join("Cargo.toml"), &workspace_manifest)?;
    if let Ok(lock) = std::fs::read_to_string(course.root.join("Cargo.lock")) {
        write_if_changed(&root.join("Cargo.lock"), &lock)?;
    }
    for support in SUPPORT {
        let from = course.root.join(support);
        if from.is_dir() {
            replace_link(&root.join(support))?;
            sync_dir(&from, &root.join(support))
                .context(|| format!("cannot copy {}", from.display()))?;
        }
    }

    let mut before = Vec::new();
    let suite_copies = root.join("xtask/suites");
    set_writable(&suite_copies, true);
    replace_link(&suite_copies)?;
    std::fs::create_dir_all(&suite_copies)
        .context(|| format!("cannot create {}", suite_copies.display()))?;
    prune(&suite_copies, |name| sealed.iter().any(|k| k.slug == name))?;
    for kata in &sealed {
        let from = suites.join(&kata.slug);
        let to = suite_copies.join(&kata.slug);
        before.push((from.clone(), fingerprint(&from)));
        sync_dir(&from, &to).context(|| format!("cannot copy {}", from.display()))?;
        before.push((to.clone(), fingerprint(&to)));
    }
    // Read-only: a test cannot rewrite a suite by accident, and one that forces it is caught
    // by the fingerprints.
    set_writable(&suite_copies, false);

    let katas_dir = root.join("katas");
    std::fs::create_dir_all(&katas_dir)
        .context(|| format!("cannot create {}", katas_dir.display()))?;
    prune(&katas_dir, |name| sealed.iter().any(|k| k.slug == name))?;
    let _ = std::fs::remove_dir_all(root.join("solutions"));
    for kata in &sealed {
        let dir = katas_dir.join(&kata.slug);
        std::fs::create_dir_all(&dir).context(|| format!("cannot create {}", dir.display()))?;
        prune(&dir, |name| name == "src" || name == "Cargo.toml")?;
        sync_dir(&kata.source.join("src"), &dir.join("src"))
            .context(|| format!("cannot copy {}", kata.shown))?;
        write_if_changed(
            &dir.join("Cargo.toml"),
            &kata_manifest(kata, &workspace_deps, &packages)?,
        )?;
    }
    Ok(Sealed {
        manifest: root.join("Cargo.toml"),
        root,
        refused,
        suites,
        slugs: sealed.iter().map(|k| k.slug.clone()).collect(),
        before,
    })
}

/// The sealed workspace's `Cargo.toml`: the course's `[workspace.package]`, dependencies,
/// lints and profiles; members exactly the support crates and `katas`. Returns it with the
/// names of the workspace dependencies.
fn workspace_manifest(course: &Workspace, katas: &[&SealedKata]) -> Result<(String, Vec<String>)> {
    let text = std::fs::read_to_string(course.root.join("Cargo.toml"))
        .context(|| "cannot read the course's Cargo.toml".to_string())?;
    let manifest: toml::Table =
        toml::from_str(&text).context(|| "cannot parse the course's Cargo.toml".to_string())?;
    let workspace = manifest
        .get("workspace")
        .and_then(|w| w.as_table())
        .ok_or_else(|| crate::err!("the course's Cargo.toml has no [workspace]"))?;
    let mut ws = toml::Table::new();
    let mut members: Vec<toml::Value> = SUPPORT
        .iter()
        .filter(|s| course.root.join(s).is_dir())
        .map(|s| toml::Value::String((*s).into()))
        .collect();
    members.extend(
        katas
            .iter()
            .map(|k| toml::Value::String(format!("katas/{}", k.slug))),
    );
    ws.insert("members".into(), toml::Value::Array(members));
    for key in ["resolver", "package", "lints"] {
        if let Some(v) = workspace.get(key) {
            ws.insert(key.into(), v.clone());
        }
    }
    // Dependencies: registry crates as pinned by the lock, and path dependencies only on the
    // support crates copied here. Attack: a workspace dependency on a path in the learner's
    // tree (a proc-macro or build script of theirs).
    let mut deps = toml::Table::new();
    if let Some(all) = workspace.get("dependencies").and_then(|d| d.as_table()) {
        for (name, spec) in all {
            let path = spec.get("path").and_then(|p| p.as_str());
            let allowed = match path {
                Some(p) => SUPPORT.contains(&p),
                None => spec.get("git").is_none(),
            };
            if allowed {
                deps.insert(name.clone(), spec.clone());
            }
        }
    }
    let names = deps.keys().cloned().collect();
    ws.insert("dependencies".into(), toml::Value::Table(deps));
    let mut out = toml::Table::new();
    out.insert("workspace".into(), toml::Value::Table(ws));
    if let Some(profile) = manifest.get("profile") {
        out.insert("profile".into(), profile.clone());
    }
    let text = toml::to_string(&out).context(|| "cannot encode the sealed manifest".to_string())?;
    Ok((text, names))
}

/// A kata's sealed manifest: library from `src/lib.rs`, no build script, no targets but the
/// suite's, library dependencies from the curriculum only, dev-dependencies from the course's
/// manifest (workspace ones only). Attack: `build.rs`, `[[test]] harness = false`, extra
/// dependencies or a path dependency on a reference solution in an edited `Cargo.toml`
/// (the dependencies on earlier katas are the sealed copies in `packages`, slug to package).
fn kata_manifest(
    kata: &SealedKata,
    workspace_deps: &[String],
    packages: &BTreeMap<&str, &str>,
) -> Result<String> {
    let text = std::fs::read_to_string(&kata.course_manifest)
        .context(|| format!("cannot read {}", kata.course_manifest.display()))?;
    let course: toml::Table = toml::from_str(&text)
        .context(|| format!("cannot parse {}", kata.course_manifest.display()))?;
    let original = course
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .ok_or_else(|| crate::err!("{} has no package name", kata.course_manifest.display()))?;
    let lib_name = course
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| original.replace('-', "_"));

    let mut package = toml::Table::new();
    package.insert("name".into(), kata.package.clone().into());
    package.insert("version".into(), "0.1.0".into());
    let inherited = |key: &str| {
        let mut t = toml::Table::new();
        t.insert("workspace".into(), true.into());
        (key.to_string(), toml::Value::Table(t))
    };
    for key in ["edition", "rust-version", "license", "publish"] {
        let (k, v) = inherited(key);
        package.insert(k, v);
    }
    package.insert("build".into(), false.into());
    for key in ["autobins", "autoexamples", "autotests", "autobenches"] {
        package.insert(key.into(), false.into());
    }

    let mut lib = toml::Table::new();
    lib.insert("name".into(), lib_name.into());
    lib.insert("path".into(), "src/lib.rs".into());
    lib.insert("doctest".into(), false.into());

    let workspace_dep = || {
        let mut t = toml::Table::new();
        t.insert("workspace".into(), true.into());
        toml::Value::Table(t)
    };
    let mut deps = toml::Table::new();
    for name in &kata.dependencies {
        if !workspace_deps.contains(name) {
            crate::bail!(
                "the curriculum lets `{}` depend on `{name}`, which is not a workspace dependency",
                kata.slug
            );
        }
        deps.insert(name.clone(), workspace_dep());
    }
    for slug in &kata.builds_on {
        let package = packages.get(slug.as_str()).ok_or_else(|| {
            crate::err!("`{}` builds on `{slug}`, which is not sealed", kata.slug)
        })?;
        let mut t = toml::Table::new();
        t.insert("path".into(), format!("../{slug}").into());
        t.insert("package".into(), (*package).into());
        // The dependency is named as the course's kata package (`spsc-ring`), so the code
        // says `spsc_ring::..` whichever sealed package stands behind it.
        deps.insert(
            crate::workspace::package_name(slug).to_string(),
            toml::Value::Table(t),
        );
    }
    let mut dev = toml::Table::new();
    if let Some(listed) = course.get("dev-dependencies").and_then(|d| d.as_table()) {
        for name in listed.keys() {
            if workspace_deps.contains(name) && !BENCH_ONLY.contains(&name.as_str()) {
                dev.insert(name.clone(), workspace_dep());
            }
        }
    }
    dev.insert("testkit".into(), workspace_dep());

    let tests = if kata.targets.is_empty() {
        Vec::new()
    } else {
        vec![suite_test_entry(&kata.slug)]
    };

    let mut out = toml::Table::new();
    out.insert("package".into(), toml::Value::Table(package));
    out.insert("lib".into(), toml::Value::Table(lib));
    out.insert("dependencies".into(), toml::Value::Table(deps));
    out.insert("dev-dependencies".into(), toml::Value::Table(dev));
    out.insert("test".into(), toml::Value::Array(tests));
    let mut lints = toml::Table::new();
    lints.insert("workspace".into(), true.into());
    out.insert("lints".into(), toml::Value::Table(lints));
    toml::to_string(&out).context(|| "cannot encode a kata manifest".to_string())
}

/// Refuses cargo configuration files that would apply to the sealed build, except the
/// course's own (which may only define aliases) and `$CARGO_HOME`'s. Attack: a
/// `.cargo/config.toml` with `build.rustc-wrapper`, `rustflags`, `[env]` or `[patch]`.
fn ensure_no_foreign_cargo_config(root: &Path, course_root: &Path) -> Result<()> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    for dir in root.ancestors() {
        for file in [".cargo/config.toml", ".cargo/config"] {
            let path = dir.join(file);
            if !path.is_file() {
                continue;
            }
            if cargo_home.as_deref() == Some(&dir.join(".cargo")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let only_aliases =
                toml::from_str::<toml::Table>(&text).is_ok_and(|t| t.keys().all(|k| k == "alias"));
            if dir == course_root && only_aliases {
                continue;
            }
            crate::bail!(
                "{} would change how the katas are built, so the grader will not build with it. \
                 The course's own `.cargo/config.toml` may only hold `[alias]`; remove the rest \
                 (or the file) and run again.",
                path.display()
            );
        }
    }
    Ok(())
}

/// Removes everything but steering-free variables from a cargo command: no wrapper, no
/// flags, no alternative rustc, no build settings from the environment. Attack:
/// `RUSTC_WRAPPER`, `RUSTFLAGS`, `CARGO_BUILD_*`, `CARGO_TARGET_*_RUNNER` set before grading.
pub fn scrub_cargo_env(cmd: &mut Command, rustflags: &str) {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let keep = matches!(key, "CARGO_HOME" | "CARGO_TARGET_DIR")
            || key.starts_with("CARGO_NET_")
            || key.starts_with("CARGO_HTTP_")
            || key.starts_with("CARGO_REGISTRIES_")
            || key.starts_with("CARGO_REGISTRY_")
            || key.starts_with("CARGO_TERM_");
        let steering = key.starts_with("CARGO_")
            || key.starts_with("RUSTC")
            || key.starts_with("RUSTDOC")
            || key == "RUSTFLAGS"
            || key == "CARGO_ENCODED_RUSTFLAGS"
            || key.starts_with("__CARGO");
        if steering && !keep {
            cmd.env_remove(key);
        }
    }
    // Set, even when empty: cargo then ignores `build.rustflags` and wrappers from any
    // configuration file.
    cmd.env("RUSTFLAGS", rustflags)
        .env("RUSTC_WRAPPER", "")
        .env("RUSTC_WORKSPACE_WRAPPER", "");
}

/// Removes `path` if it is a symbolic link (a workspace sealed by an older grader linked its
/// support crates and suites).
fn replace_link(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(path).context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

/// Removes entries of `dir` whose name `keep` refuses.
fn prune(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        if keep(&e.file_name().to_string_lossy()) {
            continue;
        }
        let path = e.path();
        let removed = if e.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

/// Makes a tree writable (to refresh it) or read-only (while tests run).
fn set_writable(dir: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    if meta.is_dir() {
        // A directory must be writable before its entries can be changed, and made read-only
        // after them.
        if writable {
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
        }
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                set_writable(&e.path(), writable);
            }
        }
        if !writable {
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555));
        }
    } else {
        let mode = if writable { 0o644 } else { 0o444 };
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
    }
}

/// The `[[test]]` entry of a kata's suite: its one test binary, rooted at `suite.rs`.
pub fn suite_test_entry(slug: &str) -> toml::Value {
    let mut entry = toml::Table::new();
    entry.insert("name".into(), crate::build::SUITE.into());
    entry.insert(
        "path".into(),
        crate::build::suite_manifest_path(slug).into(),
    );
    toml::Value::Table(entry)
}
