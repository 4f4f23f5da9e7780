//! Compiles a kata's test binaries with cargo's JSON messages: the normal build, and the loom
//! build (`--cfg loom`, `--release`, its own target dir). Compile errors come back as rustc
//! rendered them.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::error::Result;

/// How many compile errors are shown in full.
pub const ERRORS_SHOWN: usize = 3;

/// A kata's one test target: `suite.rs` in its suite folder declares every suite file as a
/// module, so a kata links one test binary per build (normal, loom) however many files its
/// suite has. Its tests are listed as `file::test`, and each check keeps its `file/test` id.
pub const SUITE: &str = "suite";

/// One file of a suite (a `*.rs` file in the suite folder but `suite.rs`): a module of the
/// kata's test binary, and the first part of its checks' ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteTarget {
    /// The file stem (the module's name).
    pub name: String,
    /// `loom*.rs`: a model run only under `--cfg loom`.
    pub loom: bool,
}

/// The `path` of the [`SUITE`] target in a kata's or solution's manifest.
pub fn suite_manifest_path(slug: &str) -> String {
    format!("../../xtask/suites/{slug}/{SUITE}.rs")
}

/// The test targets to build for the suite files `targets` of one flavor: the kata's
/// [`SUITE`] target when it has a file of that flavor, else none.
pub fn suite_build_targets(targets: &[SuiteTarget], loom: bool) -> Vec<String> {
    if targets.iter().any(|t| t.loom == loom) {
        vec![SUITE.to_string()]
    } else {
        Vec::new()
    }
}

/// The top of every `suite.rs`.
const SUITE_ROOT_HEADER: &str = "\
//! The suite of {slug} as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]
";

/// What `suite.rs` must hold for the suite files `targets` of `slug`: a module per file, the
/// normal ones outside loom builds and the loom models only in them. `verify` holds each
/// suite to it, and `verify --bless` writes it.
pub fn suite_root(slug: &str, targets: &[SuiteTarget]) -> String {
    let mut out = SUITE_ROOT_HEADER.replace("{slug}", slug);
    for t in targets {
        let cfg = if t.loom { "loom" } else { "not(loom)" };
        out.push_str(&format!(
            "\n#[cfg({cfg})]\n#[path = \"{name}.rs\"]\nmod {name};\n",
            name = t.name
        ));
    }
    out
}

/// The suite's files in name order (`suite.rs`, the binary's root, is not one of them),
/// once `suite.rs` is checked to declare exactly them.
pub fn suite_targets(suite_dir: &Path) -> Result<Vec<SuiteTarget>> {
    let targets = suite_files(suite_dir)?;
    // A file `suite.rs` does not declare would never be compiled: its checks would vanish
    // from every grade without a word.
    let slug = suite_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let root = suite_dir.join(format!("{SUITE}.rs"));
    if std::fs::read_to_string(&root).ok().as_deref() != Some(suite_root(&slug, &targets).as_str())
    {
        crate::bail!(
            "{} does not declare exactly the suite's files (a module per `*.rs`): \
             `cargo xtask verify {slug} --bless` writes it",
            root.display()
        );
    }
    Ok(targets)
}

/// The suite's files in name order, whatever `suite.rs` says.
pub fn suite_files(suite_dir: &Path) -> Result<Vec<SuiteTarget>> {
    let entries = std::fs::read_dir(suite_dir)
        .map_err(|e| crate::err!("cannot read the suite folder {}: {e}", suite_dir.display()))?;
    let mut targets: Vec<SuiteTarget> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            (path.extension()? == "rs").then_some(())?;
            let name = path.file_stem()?.to_string_lossy().into_owned();
            (name != SUITE).then_some(())?;
            let loom = name.starts_with("loom");
            Some(SuiteTarget { name, loom })
        })
        .collect();
    targets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(targets)
}

/// Which build of the test targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Debug build, the workspace's normal target dir.
    Normal,
    /// `--cfg loom`, `--release`, its own target dir.
    Loom,
}

/// What to compile.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The workspace manifest (the root one, or a scratch copy's).
    pub manifest_path: PathBuf,
    /// The package whose test targets to build.
    pub package: String,
    /// The test target names to build.
    pub targets: Vec<String>,
    /// Normal or loom.
    pub flavor: Flavor,
    /// Cargo's target dir for this flavor.
    pub target_dir: PathBuf,
    /// Ask rustc for ANSI colours in rendered diagnostics.
    pub color: bool,
}

/// A compiled test binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    /// The package it belongs to.
    pub package: String,
    /// The test target's name.
    pub target: String,
    /// The executable.
    pub path: PathBuf,
    /// Built for loom.
    pub flavor: Flavor,
}

/// Why a build produced no binaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileFailure {
    /// The first few errors, as rustc rendered them.
    pub errors: Vec<String>,
    /// How many errors there were in all.
    pub total: usize,
    /// The end of cargo's own stderr, for failures that are not rustc errors.
    pub cargo_stderr: String,
}

/// The result of a build that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildOutcome {
    /// Every requested target compiled: the test binaries, and the warnings rustc reported
    /// for the package's own library (rendered), so stubs can be held warning-free.
    Built(Vec<Binary>, Vec<String>),
    /// The code does not compile (or cargo refused the manifest).
    Failed(CompileFailure),
}

/// Several packages built in one cargo run (`--no-fail-fast`, which keeps going after a failed crate): per package, its binaries and
/// library warnings, or why it failed.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Per package: binaries and library warnings.
    pub built: BTreeMap<String, (Vec<Binary>, Vec<String>)>,
    /// Per package that did not compile: why.
    pub failed: BTreeMap<String, CompileFailure>,
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    package_id: String,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    profile: Option<Profile>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    message: Option<Diagnostic>,
    #[serde(default)]
    success: Option<bool>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    rendered: Option<String>,
}

/// The package name in a cargo package id: `path+file:///…/katas/01-x#x@0.1.0` → `x`,
/// `path+file:///…/x#0.1.0` → `x`.
fn package_of(id: &str) -> String {
    let (path, frag) = id.rsplit_once('#').unwrap_or((id, ""));
    match frag.split_once('@') {
        Some((name, _)) => name.to_string(),
        None => path.rsplit('/').next().unwrap_or(path).to_string(),
    }
}

/// The cargo to run: the one that started us, else `cargo` on PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds one package's test targets. `status` receives cargo's progress lines ("Compiling
/// proptest v1.12.0") as they come, for a live status display. `Err` only when cargo could
/// not be run.
pub fn build(req: &BuildRequest, status: impl FnMut(&str)) -> Result<BuildOutcome> {
    let targets = vec![(req.package.clone(), req.targets.clone())];
    let mut report = build_many(req, &targets, status)?;
    if let Some(failure) = report.failed.remove(&req.package) {
        return Ok(BuildOutcome::Failed(failure));
    }
    let (binaries, warnings) = report.built.remove(&req.package).unwrap_or_default();
    Ok(BuildOutcome::Built(binaries, warnings))
}

enum Line {
    Json(String),
    Stderr(String),
}

/// Builds the test targets of several packages in one cargo run; `req.package` and
/// `req.targets` are ignored in favour of `packages` (package, test targets). With
/// `--no-fail-fast`, which keeps going after a failed crate, one package that does not compile does not stop the others.
pub fn build_many(
    req: &BuildRequest,
    packages: &[(String, Vec<String>)],
    mut status: impl FnMut(&str),
) -> Result<BuildReport> {
    let mut cmd = cargo();
    cmd.arg("test")
        .arg("--no-run")
        .arg("--no-fail-fast")
        .arg("--manifest-path")
        .arg(&req.manifest_path)
        .arg(if req.color {
            "--message-format=json-diagnostic-rendered-ansi"
        } else {
            "--message-format=json"
        })
        .env("CARGO_TARGET_DIR", &req.target_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (package, targets) in packages {
        cmd.arg("--package").arg(package);
        for target in targets {
            // Target names repeat across packages; cargo builds each selected package's
            // target of that name.
            cmd.arg("--test").arg(target);
        }
    }
    let rustflags = if req.flavor == Flavor::Loom {
        // The workspace's `loom` profile: release-optimized dependencies, quick-to-rebuild
        // workspace crates; it falls back to `--release` elsewhere (the grader's fixtures).
        let profile = if has_loom_profile(&req.manifest_path) {
            "--profile=loom"
        } else {
            "--release"
        };
        cmd.arg(profile);
        "--cfg loom"
    } else {
        ""
    };
    // Nothing in the environment steers the build: no wrapper, no inherited flags.
    crate::sandbox::seal::scrub_cargo_env(&mut cmd, rustflags);
    let mut child = cmd.spawn().map_err(|e| {
        crate::err!(
            "cannot run cargo ({e}). Is the Rust toolchain installed? See https://rustup.rs"
        )
    })?;

    // Both pipes feed one channel, so progress lines arrive while the build runs.
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().expect("stderr is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let tx_err = tx.clone();
    let readers = [
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
                let _ = tx_err.send(Line::Stderr(line));
            }
        }),
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                let _ = tx.send(Line::Json(line));
            }
        }),
    ];

    let wanted: std::collections::BTreeSet<&str> =
        packages.iter().map(|(p, _)| p.as_str()).collect();
    let mut binaries: BTreeMap<String, Vec<Binary>> = BTreeMap::new();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut warnings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stderr_lines = Vec::new();
    let mut success = None;
    for line in rx {
        let line = match line {
            Line::Stderr(l) => {
                status(l.trim());
                stderr_lines.push(l);
                continue;
            }
            Line::Json(l) => l,
        };
        let Ok(msg) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        let package = package_of(&msg.package_id);
        match msg.reason.as_str() {
            "compiler-artifact" => {
                if let (Some(target), Some(profile), Some(exe)) =
                    (msg.target, msg.profile, msg.executable)
                    && profile.test
                    && target.kind.iter().any(|k| k == "test")
                    && wanted.contains(package.as_str())
                {
                    status(&format!("Compiled {}", target.name));
                    binaries.entry(package.clone()).or_default().push(Binary {
                        package,
                        target: target.name,
                        path: exe,
                        flavor: req.flavor,
                    });
                }
            }
            "compiler-message" => {
                let Some(diag) = msg.message else { continue };
                let Some(rendered) = diag.rendered else {
                    continue;
                };
                if is_summary(&rendered) {
                    continue;
                }
                let is_lib = msg
                    .target
                    .as_ref()
                    .is_some_and(|t| t.kind.iter().any(|k| k == "lib"));
                let bucket = if diag.level.starts_with("error") {
                    Some(&mut errors)
                } else if diag.level == "warning" && is_lib {
                    Some(&mut warnings)
                } else {
                    None
                };
                if let Some(bucket) = bucket {
                    let list = bucket.entry(package).or_default();
                    if !list.contains(&rendered) {
                        list.push(rendered);
                    }
                }
            }
            "build-finished" => success = msg.success,
            _ => {}
        }
    }
    for reader in readers {
        let _ = reader.join();
    }
    let exit = child
        .wait()
        .map_err(|e| crate::err!("cargo did not finish: {e}"))?;
    let all_ok = exit.success() && success != Some(false);

    let tail_start = stderr_lines.len().saturating_sub(15);
    let cargo_stderr = stderr_lines[tail_start..].join("\n");
    let mut report = BuildReport::default();
    // Packages cargo never got to, because another one failed first and it stopped starting
    // new jobs: built again in a run of their own.
    let mut skipped = Vec::new();
    // Errors in packages nobody asked for: an earlier kata that a requested one builds on.
    // A requested package that failed without errors of its own failed on these.
    let foreign: Vec<String> = errors
        .iter()
        .filter(|(p, _)| !packages.iter().any(|(q, _)| q == *p))
        .flat_map(|(_, e)| e.iter().cloned())
        .collect();
    for (package, targets) in packages {
        let mut errs = errors.remove(package).unwrap_or_default();
        let mut bins = binaries.remove(package).unwrap_or_default();
        let complete = targets.iter().all(|t| bins.iter().any(|b| &b.target == t));
        if errs.is_empty() && !complete && !all_ok {
            if packages.len() > 1 {
                skipped.push((package.clone(), targets.clone()));
                continue;
            }
            errs.clone_from(&foreign);
        }
        if errs.is_empty() && (complete || all_ok) {
            bins.sort_by(|a, b| a.target.cmp(&b.target));
            let warns = warnings.remove(package).unwrap_or_default();
            report.built.insert(package.clone(), (bins, warns));
        } else {
            let total = errs.len();
            errs.truncate(ERRORS_SHOWN);
            report.failed.insert(
                package.clone(),
                CompileFailure {
                    errors: errs,
                    total,
                    cargo_stderr: cargo_stderr.clone(),
                },
            );
        }
    }
    if !skipped.is_empty() {
        let again = if skipped.len() < packages.len() {
            build_many(req, &skipped, status)?
        } else {
            // Nothing compiled and no error names a package: cargo itself failed.
            BuildReport {
                built: BTreeMap::new(),
                failed: skipped
                    .iter()
                    .map(|(p, _)| {
                        let failure = CompileFailure {
                            errors: foreign.iter().take(ERRORS_SHOWN).cloned().collect(),
                            total: foreign.len(),
                            cargo_stderr: cargo_stderr.clone(),
                        };
                        (p.clone(), failure)
                    })
                    .collect(),
            }
        };
        report.built.extend(again.built);
        report.failed.extend(again.failed);
    }
    Ok(report)
}

/// Whether the workspace manifest defines `[profile.loom]`.
fn has_loom_profile(manifest: &Path) -> bool {
    std::fs::read_to_string(manifest).is_ok_and(|t| t.contains("[profile.loom]"))
}

/// rustc's closing "aborting due to N previous errors" adds nothing for a learner.
fn is_summary(rendered: &str) -> bool {
    let plain = crate::report::strip_ansi(rendered);
    plain.starts_with("error: aborting due to")
        || plain.starts_with("error: could not compile")
        || (plain.starts_with("warning: ") && plain.contains(" generated "))
}
