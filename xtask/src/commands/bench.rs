//! `cargo xtask bench [KATA]`: the learner's `go test -bench . -benchmem`. Builds the kata's
//! benchmarks (`xtask/suites/NN-name/benches/*.rs`) against the learner's crate and the
//! reference, runs each benchmark in a process of its own (a `todo!()` or a crash ends that
//! one benchmark, not the run), and prints ns/op, allocs/op, bytes/op and the ratios to the
//! baselines and the reference measured in the same run. It never grades and never writes
//! progress.
//!
//! Not the sealed build of `check`: benchmarks need an optimized build of the learner's
//! crate as it is, and grant nothing. Each benchmark still runs in its own session, in a
//! throwaway folder, killed whole when it outlives its timeout.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::mpsc;
use std::time::Duration;

use serde::Deserialize;

use crate::bench::{self, Outcome, Run};
use crate::cli::Format;
use crate::commands::Ctx;
use crate::error::{Context, Result};
use crate::exit;
use crate::sandbox::process::{self, TestCommand};
use crate::verdict;
use crate::workspace::{Workspace, package_name, solution_package};

/// The longest one benchmark may run before it is killed.
const TIMEOUT: Duration = Duration::from_secs(180);

/// What `cargo xtask bench` was asked.
#[derive(Debug, Clone)]
pub struct Args {
    /// The kata (the current one when `None`).
    pub slug: Option<String>,
    /// Only benchmarks whose name contains this (baselines of a match are kept).
    pub filter: Option<String>,
    /// Human table or JSON.
    pub format: Format,
    /// Save this run under this name.
    pub save: Option<String>,
    /// Compare with the run saved under this name.
    pub compare: Option<String>,
}

/// Runs the command.
pub fn run(ws: &Workspace, args: &Args) -> Result<i32> {
    let ctx = Ctx::load(ws)?;
    let Some(kata) = ctx.resolve(args.slug.as_deref())? else {
        crate::bail!(
            "every kata has passed: name the kata to measure, e.g. `cargo xtask bench 12`."
        );
    };
    let slug = kata.slug.clone();
    let human = args.format == Format::Human;
    let style = ctx.style;
    let say = |line: &str| {
        if human {
            eprintln!("{}", style.dim(line));
        }
    };

    let saved = match &args.compare {
        Some(name) => Some((name.clone(), load(ws, &slug, name)?)),
        None => None,
    };

    let kata_manifest = ws.kata_dir(&slug).join("Cargo.toml");
    if !declares_benches(&kata_manifest) {
        let msg = format!(
            "`{slug}` has no benchmarks: its topic is correctness, not speed. Katas with \
             benchmarks: 04 to 15."
        );
        if human {
            println!("{msg}");
        }
        return Ok(exit::SUCCESS);
    }
    let reference = ws.solution_dir(&slug).join("Cargo.toml");
    let with_reference = declares_benches(&reference);

    let mut warnings = Vec::new();
    if let Some(w) = busy_machine() {
        warnings.push(w);
    }

    say(&format!(
        "building the benchmarks of katas/{slug} (optimized){}…",
        if with_reference {
            " and of the reference"
        } else {
            ""
        }
    ));
    let mut packages = vec![package_name(&slug).to_string()];
    if with_reference {
        packages.push(solution_package(&slug));
    }
    let built = build(ws, &packages)?;
    let Some(mine) = built.iter().find(|b| b.package == packages[0]) else {
        eprintln!(
            "The benchmarks of katas/{slug} do not compile (cargo's errors are above). Fix \
             them with `cargo xtask check`, then bench again."
        );
        return Ok(exit::CANNOT_GRADE);
    };
    if let Some(w) = built.iter().find_map(|b| b.unoptimized.clone()) {
        warnings.push(w);
    }
    for w in &warnings {
        if human {
            eprintln!("{}", style.yellow(&format!("warning: {w}")));
        }
    }

    let scratch = ws.target_dir().join("katas-bench").join("scratch");
    std::fs::create_dir_all(&scratch).context(|| format!("cannot create {}", scratch.display()))?;

    let mut benchmarks = Vec::new();
    let mut reference_runs = Vec::new();
    for binary in built.iter().filter(|b| b.package == mine.package) {
        let names = bench::order(&list(&binary.path, &scratch)?);
        let chosen: Vec<&String> = names.iter().filter(|n| chosen(n, &names, args)).collect();
        for full in chosen {
            let shown = full.split_once("::").map_or(full.as_str(), |(_, r)| r);
            say(&format!("measuring {shown}…"));
            benchmarks.extend(measure(ws, &binary.path, full, shown, &scratch));
            if bench::measures_yours(shown)
                && let Some(reference) = built
                    .iter()
                    .find(|b| b.package != mine.package && b.target == binary.target)
            {
                say(&format!("measuring {shown} (reference)…"));
                reference_runs.extend(
                    measure(ws, &reference.path, full, shown, &scratch)
                        .into_iter()
                        .filter_map(|o| o.measured().cloned()),
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let run = Run {
        kata: slug.clone(),
        benchmarks,
        reference: reference_runs,
        warnings,
    };
    if let Some(name) = &args.save {
        let path = save(ws, &run, name)?;
        say(&format!(
            "saved as `{name}` ({}): compare later with `cargo xtask bench {slug} --compare {name}`",
            ws.display(&path)
        ));
    }
    match args.format {
        Format::Json => {
            let changes = saved
                .as_ref()
                .map(|(_, s)| bench::compare(s, &run))
                .unwrap_or_default();
            let doc = serde_json::json!({ "run": run, "changes": changes });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).context(|| "cannot encode JSON".into())?
            );
        }
        Format::Human => {
            println!();
            print!(
                "{}",
                bench::render(&run, saved.as_ref().map(|(n, s)| (n.as_str(), s)))
            );
            println!(
                "{}",
                style.dim(
                    "Times are per operation (per item where a benchmark counts items). This \
                     measures, it does not grade."
                )
            );
        }
    }
    Ok(exit::SUCCESS)
}

/// Whether a crate's manifest declares a `[[bench]]`.
fn declares_benches(manifest: &Path) -> bool {
    std::fs::read_to_string(manifest)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| {
            t.get("bench")
                .and_then(|b| b.as_array())
                .map(|b| !b.is_empty())
        })
        .unwrap_or(false)
}

/// Whether to run benchmark `name`: no filter, or it (or a `yours` benchmark it is a
/// baseline of) contains the filter.
fn chosen(name: &str, all: &[String], args: &Args) -> bool {
    let Some(filter) = &args.filter else {
        return true;
    };
    let matches = |n: &str| n.to_lowercase().contains(&filter.to_lowercase());
    if matches(name) {
        return true;
    }
    let as_outcomes: Vec<Outcome> = all
        .iter()
        .map(|n| Outcome::Failed {
            name: n.clone(),
            detail: String::new(),
        })
        .collect();
    all.iter()
        .filter(|n| matches(n) && bench::measures_yours(n))
        .any(|yours| {
            bench::baselines(yours, &as_outcomes)
                .iter()
                .any(|b| b.name() == name)
        })
}

/// A compiled benchmark binary.
struct Built {
    package: String,
    target: String,
    path: PathBuf,
    unoptimized: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    package_id: Option<String>,
    target: Option<Target>,
    executable: Option<PathBuf>,
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Profile {
    opt_level: String,
    debug_assertions: bool,
}

/// `cargo bench --no-run` for `packages`; compiler errors go to the terminal as rustc
/// renders them. The binaries of packages that compiled.
fn build(ws: &Workspace, packages: &[String]) -> Result<Vec<Built>> {
    let mut cmd = crate::build::cargo();
    cmd.current_dir(&ws.root)
        .args(["bench", "--no-run", "--benches", "--quiet"])
        .arg("--message-format=json-render-diagnostics")
        .arg("--manifest-path")
        .arg(ws.root.join("Cargo.toml"))
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    for p in packages {
        cmd.args(["-p", p]);
    }
    let output = cmd
        .output()
        .context(|| "cannot run cargo (is it on PATH?)".to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut built = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        let (Some(target), Some(path), Some(id)) = (msg.target, msg.executable, msg.package_id)
        else {
            continue;
        };
        if msg.reason != "compiler-artifact" || !target.kind.iter().any(|k| k == "bench") {
            continue;
        }
        let package = packages
            .iter()
            .find(|p| id.contains(&format!("#{p}@")) || id.ends_with(&format!("/{p}#0.1.0")))
            .cloned()
            .unwrap_or_default();
        let unoptimized = msg.profile.and_then(|p| {
            (p.opt_level == "0" || p.debug_assertions).then(|| {
                format!(
                    "the benchmarks were built without optimizations (opt-level {}, debug \
                     assertions {}): check `[profile.bench]` in Cargo.toml. Debug numbers say \
                     nothing about speed.",
                    p.opt_level,
                    if p.debug_assertions { "on" } else { "off" }
                )
            })
        });
        built.push(Built {
            package,
            target: target.name,
            path,
            unoptimized,
        });
    }
    Ok(built)
}

/// The warning for a machine busier than its cores, from the one-minute load average.
fn busy_machine() -> Option<String> {
    let mut load = [0f64; 3];
    // SAFETY: `load` has room for the 3 values asked for.
    let n = unsafe { libc::getloadavg(load.as_mut_ptr(), 3) };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (n >= 1 && load[0] > cores as f64).then(|| {
        format!(
            "the machine is busy (load average {:.1} on {cores} cores): other programs share the \
             cores, so times are noisy and two-thread benchmarks may take turns. Close what you \
             can and compare ratios rather than times.",
            load[0]
        )
    })
}

/// The benchmarks a binary holds, full names (`ring::one_thread::Yours`).
fn list(binary: &Path, scratch: &Path) -> Result<Vec<String>> {
    let args = ["--list", "--format", "terse"].map(String::from).to_vec();
    // divan lists full names only for cargo-nextest, which it recognizes by NEXTEST=1.
    let env = vec![("NEXTEST".to_string(), "1".to_string())];
    let done = execute(binary, args, env, scratch, Duration::from_secs(30))?;
    if !done.status.is_some_and(|s| s.success()) {
        crate::bail!(
            "{} could not list its benchmarks:\n{}",
            binary.display(),
            done.stderr.trim()
        );
    }
    Ok(bench::parse_list(&done.stdout))
}

/// Runs one benchmark of `binary` and tells what became of it.
fn measure(ws: &Workspace, binary: &Path, full: &str, shown: &str, scratch: &Path) -> Vec<Outcome> {
    let args = ["--bench", "--exact", full, "--color", "never"]
        .map(String::from)
        .to_vec();
    let done = match execute(binary, args, Vec::new(), scratch, TIMEOUT) {
        Ok(done) => done,
        Err(e) => {
            return vec![Outcome::Failed {
                name: shown.to_string(),
                detail: e.to_string(),
            }];
        }
    };
    let failed = |detail: String| Outcome::Failed {
        name: shown.to_string(),
        detail,
    };
    if done.timed_out {
        return vec![failed(format!(
            "still running after {} s (a deadlock, or a loop that never ends?)",
            TIMEOUT.as_secs()
        ))];
    }
    let text = crate::text::sanitize(&format!("{}\n{}", done.stdout, done.stderr));
    let panics = verdict::panics(&text);
    if let Some(todo) = panics
        .iter()
        .find(|p| p.message.starts_with("not yet implemented"))
    {
        return vec![Outcome::Todo {
            name: shown.to_string(),
            function: verdict::enclosing_fn(&ws.root, &todo.location),
            location: todo.location.clone(),
        }];
    }
    if let Some(p) = panics.first() {
        return vec![failed(format!(
            "panicked at {}: {}",
            p.location,
            p.message.lines().next().unwrap_or("")
        ))];
    }
    match done.status {
        Some(s) if s.success() => {}
        Some(s) => return vec![failed(crate::run::describe_status(s))],
        None => return vec![failed("the benchmark process was lost".into())],
    }
    // Several rows when divan runs one benchmark at several thread counts (`t=1`, `t=2`).
    let measured: Vec<Outcome> = bench::parse(&done.stdout)
        .into_iter()
        .map(Outcome::Measured)
        .collect();
    if measured.is_empty() {
        return vec![failed("divan printed no measurement".into())];
    }
    measured
}

/// What a finished process left.
struct Done {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

/// Runs `binary` in its own session (see [`crate::sandbox::process`]) and waits at most
/// `timeout`, then kills the session.
fn execute(
    binary: &Path,
    args: Vec<String>,
    env: Vec<(String, String)>,
    scratch: &Path,
    timeout: Duration,
) -> Result<Done> {
    let command = TestCommand {
        binary: binary.to_path_buf(),
        args,
        env,
        memory_mib: process::DEFAULT_MEMORY_MIB,
    };
    let mut started = process::start(&command, scratch)?;
    let pid = started.child.id() as i32;
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = read(Box::new(started.child.stdout.take().expect("piped")));
    let err = read(Box::new(started.child.stderr.take().expect("piped")));
    let (tx, rx) = mpsc::channel();
    let mut child = started.child;
    let waiter = std::thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send(());
        (status, child)
    });
    let timed_out = rx.recv_timeout(timeout).is_err();
    if timed_out {
        // SAFETY: `killpg` has no memory-safety preconditions. The group is the benchmark's
        // session, led by our child, which the waiter has not reaped (it is still waiting),
        // so the id cannot have been reused.
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
    }
    let (status, child) = waiter
        .join()
        .map_err(|_| crate::err!("lost track of the benchmark process"))?;
    // Whatever the benchmark left in its session (threads, children) goes now, which also
    // closes the pipes.
    started.child = child;
    started.clean_up();
    Ok(Done {
        status: status.ok(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        timed_out,
    })
}

/// `target/katas-bench/<slug>/<name>.json`.
fn saved_path(ws: &Workspace, slug: &str, name: &str) -> Result<PathBuf> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        || name.starts_with('.')
    {
        crate::bail!(
            "`{name}` cannot name a saved run: use letters, digits, `-`, `_` and `.` (e.g. `before-padding`)."
        );
    }
    Ok(ws
        .target_dir()
        .join("katas-bench")
        .join(slug)
        .join(format!("{name}.json")))
}

/// Writes `run` under `name` (temp file + rename, so a crash never leaves half a file).
pub fn save(ws: &Workspace, run: &Run, name: &str) -> Result<PathBuf> {
    let path = saved_path(ws, &run.kata, name)?;
    let dir = path.parent().expect("has a folder");
    std::fs::create_dir_all(dir).context(|| format!("cannot create {}", dir.display()))?;
    let text = serde_json::to_string_pretty(run).context(|| "cannot encode the run".into())?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The run saved under `name`.
pub fn load(ws: &Workspace, slug: &str, name: &str) -> Result<Run> {
    let path = saved_path(ws, slug, name)?;
    let text = std::fs::read_to_string(&path).map_err(|_| {
        crate::err!(
            "no run of `{slug}` saved as `{name}` (looked for {}). Save one first: \
             `cargo xtask bench {slug} --save {name}`.",
            ws.display(&path)
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        crate::err!(
            "{} is not a saved run ({e}): save it again with `--save {name}`.",
            ws.display(&path)
        )
    })
}
