//! Compiles a kata's test binaries with cargo's JSON messages: the normal build, and the loom
//! build (`--cfg loom`, `--release`, its own target dir). Compile errors come back as rustc
//! rendered them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::error::Result;

/// How many compile errors are shown in full.
pub const ERRORS_SHOWN: usize = 3;

/// One integration-test target of a suite (a `*.rs` file in the suite folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteTarget {
    /// The `[[test]]` name: the file stem.
    pub name: String,
    /// `loom*.rs`: a model run only under `--cfg loom`.
    pub loom: bool,
}

/// The suite's test targets in name order.
pub fn suite_targets(suite_dir: &Path) -> Result<Vec<SuiteTarget>> {
    let entries = std::fs::read_dir(suite_dir)
        .map_err(|e| crate::err!("cannot read the suite folder {}: {e}", suite_dir.display()))?;
    let mut targets: Vec<SuiteTarget> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            (path.extension()? == "rs").then_some(())?;
            let name = path.file_stem()?.to_string_lossy().into_owned();
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

#[derive(Deserialize)]
struct Message {
    reason: String,
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
struct Package {
    #[serde(default)]
    package_id: String,
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

/// The cargo to run: the one that started us, else `cargo` on PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds the requested test targets. `status` receives cargo's progress lines ("Compiling
/// proptest v1.12.0") for a live status display. `Err` only when cargo could not be run.
pub fn build(req: &BuildRequest, mut status: impl FnMut(&str)) -> Result<BuildOutcome> {
    let mut cmd = cargo();
    cmd.arg("test")
        .arg("--no-run")
        .arg("--manifest-path")
        .arg(&req.manifest_path)
        .arg("--package")
        .arg(&req.package)
        .arg(if req.color {
            "--message-format=json-diagnostic-rendered-ansi"
        } else {
            "--message-format=json"
        })
        .env("CARGO_TARGET_DIR", &req.target_dir)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for target in &req.targets {
        cmd.arg("--test").arg(target);
    }
    if req.flavor == Flavor::Loom {
        let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
        if !flags.split_whitespace().any(|f| f == "loom") {
            flags.push_str(" --cfg loom");
        }
        cmd.arg("--release").env("RUSTFLAGS", flags.trim());
    }
    let mut child = cmd.spawn().map_err(|e| {
        crate::err!(
            "cannot run cargo ({e}). Is the Rust toolchain installed? See https://rustup.rs"
        )
    })?;

    let stderr = child.stderr.take().expect("stderr is piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
            lines.push(line);
        }
        lines
    });

    let mut binaries = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    // Package ids look like `path+file:///…/katas/01-gc-pacer#gc-pacer@0.1.0`.
    let own = format!("#{}@", req.package);
    let mut success = None;
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
        let Ok(msg) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        match msg.reason.as_str() {
            "compiler-artifact" => {
                if let (Some(target), Some(profile), Some(exe)) =
                    (msg.target, msg.profile, msg.executable)
                    && profile.test
                    && target.kind.iter().any(|k| k == "test")
                {
                    status(&format!("Compiled {}", target.name));
                    binaries.push(Binary {
                        target: target.name,
                        path: exe,
                        flavor: req.flavor,
                    });
                }
            }
            "compiler-message" => {
                let lib_warning = serde_json::from_str::<Package>(&line)
                    .is_ok_and(|p| p.package_id.contains(&own))
                    && msg
                        .target
                        .as_ref()
                        .is_some_and(|t| t.kind.iter().any(|k| k == "lib"));
                if lib_warning
                    && let Some(diag) = &msg.message
                    && diag.level == "warning"
                    && let Some(rendered) = &diag.rendered
                    && !is_summary(rendered)
                    && !warnings.contains(rendered)
                {
                    warnings.push(rendered.clone());
                }
                if let Some(diag) = msg.message
                    && diag.level.starts_with("error")
                    && let Some(rendered) = diag.rendered
                    && !errors.contains(&rendered)
                    && !is_summary(&rendered)
                {
                    errors.push(rendered);
                }
            }
            "build-finished" => success = msg.success,
            _ => {}
        }
    }
    let stderr_lines = stderr_reader.join().unwrap_or_default();
    for line in &stderr_lines {
        status(line.trim());
    }
    let exit = child
        .wait()
        .map_err(|e| crate::err!("cargo did not finish: {e}"))?;

    if exit.success() && success != Some(false) {
        binaries.sort_by(|a, b| a.target.cmp(&b.target));
        return Ok(BuildOutcome::Built(binaries, warnings));
    }
    let total = errors.len();
    errors.truncate(ERRORS_SHOWN);
    let tail_start = stderr_lines.len().saturating_sub(15);
    Ok(BuildOutcome::Failed(CompileFailure {
        errors,
        total,
        cargo_stderr: stderr_lines[tail_start..].join("\n"),
    }))
}

/// rustc's closing "aborting due to N previous errors" adds nothing for a learner.
fn is_summary(rendered: &str) -> bool {
    let plain = crate::report::strip_ansi(rendered);
    plain.starts_with("error: aborting due to")
        || plain.starts_with("error: could not compile")
        || (plain.starts_with("warning: ") && plain.contains(" generated "))
}
