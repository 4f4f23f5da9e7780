//! Mutants: small patches against a solution, each injecting one realistic bug the suite
//! must reject. Each is applied to a scratch copy of the workspace under the target dir, so
//! the working tree is never modified, even if the run is interrupted.

use std::path::{Path, PathBuf};

use crate::run::Policy;
use crate::scratch;
use crate::suite::{self, Outcome, Quiet, Subject};

use crate::error::{Context, Result};
use crate::workspace::{Workspace, solution_package};

/// One mutant file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    /// The file stem (`relaxed_cas`).
    pub name: String,
    /// The lines before the diff: what bug it injects.
    pub description: String,
    /// The check that rejected it when `verify --bless` last ran: (suite file, test name),
    /// from a `Killed by: FILE TEST` line before the diff. `verify` runs it first.
    pub killer: Option<(String, String)>,
    /// The file-level diffs: (path relative to the solution crate, unified diff text).
    pub diffs: Vec<(String, String)>,
}

/// Where `verify` builds its mutated solutions: `target/mutants/ws`.
pub const VERIFY_PLACE: &str = "mutants";

/// The header line naming the check that rejects a mutant.
pub const KILLED_BY: &str = "Killed by:";

/// Sets (or replaces) the `Killed by: FILE TEST` line of a mutant file's text.
pub fn set_killer(text: &str, file: &str, test: &str) -> String {
    let mut out = String::new();
    let mut written = false;
    let mut in_header = true;
    for line in text.lines() {
        if in_header && line.starts_with("--- ") {
            if !written {
                out.push_str(&format!("{KILLED_BY} {file} {test}\n"));
                written = true;
            }
            in_header = false;
        }
        if in_header && line.trim().starts_with(KILLED_BY) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
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
    let killer = lines[..first].iter().find_map(|l| {
        let rest = l.trim().strip_prefix(KILLED_BY)?;
        let (file, test) = rest.trim().split_once(' ')?;
        Some((file.to_string(), test.trim().to_string()))
    });
    let description = lines[..first]
        .iter()
        .map(|l| l.trim())
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("diff ")
                && !l.starts_with("index ")
                && !l.starts_with(KILLED_BY)
        })
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
        killer,
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

/// How a check rejected a mutant: the verdict kind of the killing check, and whether that
/// check is a timing check. A rejection is *lucky* when it proves no deterministic property:
/// a timeout, a crash, a run that ended without a result, or any verdict of a timing check.
/// A mutant rejected only by luck is flagged by `verify` (a warning, not a failure: a
/// livelock can only ever be caught by a timeout, and the hot-path kata's topic is speed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    /// The suite file (test target) of the killing check.
    pub file: String,
    /// The killing check's test name.
    pub test: String,
    /// Its verdict, in words: `fail`, `not_started`, `timeout`, `crash` or `no_result`.
    pub verdict: &'static str,
    /// The check measures time (see [`is_timing_file`]).
    pub timing: bool,
}

impl Rejection {
    /// Classifies a non-pass verdict of the check `test` in suite file `file`.
    pub fn of(file: &str, test: &str, verdict: &crate::verdict::Verdict) -> Rejection {
        Rejection {
            file: file.to_string(),
            test: test.to_string(),
            verdict: verdict.kind(),
            timing: is_timing_file(file),
        }
    }

    /// Rejected by luck: a timeout, a crash, no result, or a timing check.
    pub fn lucky(&self) -> bool {
        self.timing || matches!(self.verdict, "timeout" | "crash" | "no_result")
    }

    /// `FAIL`, `TODO`, `TIMEOUT`, `CRASH` or `NO RESULT`, with `timing check` when it is one.
    pub fn describe(&self) -> String {
        let kind = match self.verdict {
            "fail" => "FAIL",
            "not_started" => "TODO",
            "timeout" => "TIMEOUT",
            "crash" => "CRASH",
            "no_result" => "NO RESULT",
            other => other,
        };
        if self.timing {
            format!("{kind}, timing check")
        } else {
            kind.to_string()
        }
    }
}

/// A suite file whose checks measure time: its stem starts with `speed` or `timing`
/// (`speed.rs`, `timing_bounds.rs`). Their verdicts depend on the machine's load.
pub fn is_timing_file(file: &str) -> bool {
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    stem.starts_with("speed") || stem.starts_with("timing")
}

/// The best rejection among the non-pass checks of one run: a deterministic one if any
/// (in run order), else the first lucky one; `None` when every check passed.
pub fn best_rejection<'a>(
    failures: impl IntoIterator<Item = (&'a str, &'a str, &'a crate::verdict::Verdict)>,
) -> Option<Rejection> {
    let mut lucky = None;
    for (file, test, verdict) in failures {
        if matches!(
            verdict,
            crate::verdict::Verdict::Pass | crate::verdict::Verdict::Skipped { .. }
        ) {
            continue;
        }
        let r = Rejection::of(file, test, verdict);
        if !r.lucky() {
            return Some(r);
        }
        lucky.get_or_insert(r);
    }
    lucky
}

/// What the suite did with one mutant.
#[derive(Debug, Clone, Default)]
pub struct Judged {
    /// How it was rejected (a deterministic check when any rejects it); `None` when every
    /// check passed or it could not be judged.
    pub rejection: Option<Rejection>,
    /// Why it is a problem: it survived, does not apply, does not compile or was refused.
    pub problem: Option<String>,
}

/// Runs the suite of `kata` against its solution mutated by `mutant`, the way `verify` does:
/// the check recorded as its killer alone first, then the suite with fail-fast, and after a
/// lucky first rejection every check (giving up after three timeouts), so that a
/// deterministic rejection is found wherever one exists.
///
/// `place` names the scratch workspace under the target dir (see [`prepare`]).
pub fn judge(
    ws: &Workspace,
    kata: &crate::curriculum::Kata,
    mutant: &Mutant,
    opts: &suite::Options,
    place: &str,
) -> Result<Judged> {
    let scratch = match prepare(ws, &kata.slug, mutant, place) {
        Ok(s) => s,
        Err(e) => {
            return Ok(Judged {
                rejection: None,
                problem: Some(e.0),
            });
        }
    };
    let subject = Subject::Scratch {
        manifest: scratch.manifest,
        package: scratch.package,
        dir: scratch.dir,
    };
    let fast = suite::Options {
        policy: Policy {
            fail_fast: true,
            ..Policy::default()
        },
        ..opts.clone()
    };
    let thorough = suite::Options {
        policy: Policy {
            max_timeouts: Some(3),
            ..Policy::default()
        },
        ..opts.clone()
    };
    // The check that rejected it last time, alone first.
    let mut best = None;
    if let Some(only) = &mutant.killer {
        let only = suite::Options {
            only: Some(only.clone()),
            ..fast.clone()
        };
        if let Outcome::Ran(results, _) = suite::run(ws, kata, &subject, &only, &mut Quiet)? {
            best = best_of(&results);
        }
    }
    for options in [&fast, &thorough] {
        if best.as_ref().is_some_and(|r| !r.lucky()) {
            break;
        }
        match suite::run(ws, kata, &subject, options, &mut Quiet)? {
            Outcome::Refused(r) => {
                return Ok(Judged {
                    rejection: None,
                    problem: Some(format!("mutant `{}` was refused: {}", mutant.name, r[0])),
                });
            }
            Outcome::CompileFailed(f) => {
                return Ok(Judged {
                    rejection: None,
                    problem: Some(format!(
                        "mutant `{}` does not compile (a mutant must be a bug, not a syntax error):\n{}",
                        mutant.name,
                        crate::report::render_compile_failure(crate::report::Style::plain(), &f)
                    )),
                });
            }
            Outcome::Ran(results, _) => {
                let found = best_of(&results);
                if found.as_ref().is_some_and(|r| !r.lucky()) || best.is_none() {
                    best = found;
                }
                if best.is_none() {
                    // Every check passed without fail-fast stopping: no second run.
                    break;
                }
            }
        }
    }
    let problem = best.is_none().then(|| {
        format!(
            "mutant `{}` SURVIVED: every check passed ({})",
            mutant.name, mutant.description
        )
    });
    Ok(Judged {
        rejection: best,
        problem,
    })
}

/// The best rejection in one run's results (see [`best_rejection`]).
fn best_of(results: &[(suite::Check, crate::run::TestOutcome)]) -> Option<Rejection> {
    best_rejection(
        results
            .iter()
            .map(|(c, o)| (c.target.as_str(), c.name.as_str(), &o.verdict)),
    )
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

/// Builds `target/PLACE/ws` with the solution of `slug` mutated by `mutant`. The support
/// crates and suites are symlinked, the lock file copied, so dependency builds are shared
/// with the main target dir. `verify` uses [`VERIFY_PLACE`], `cargo xtask mutants` its own
/// place, so that the two can run side by side.
pub fn prepare(ws: &Workspace, slug: &str, mutant: &Mutant, place: &str) -> Result<Scratch> {
    let rel = format!("solutions/{slug}");
    let src = ws.solution_dir(slug);
    // Each place builds its own package name: the scratch workspaces share the target dir,
    // and cargo names artifacts after the package and its path *relative to the workspace*,
    // so two places building the same kata under one name would overwrite each other's test
    // binary between build and run.
    let package = if place == VERIFY_PLACE {
        format!("{}-mutant", solution_package(slug))
    } else {
        format!(
            "{}-mutant-{}",
            solution_package(slug),
            place.replace('/', "-")
        )
    };
    let mut members = vec![scratch::Member {
        rel: rel.clone(),
        source: src.clone(),
        tests: None,
        package: package.clone(),
    }];
    // The solutions it builds on, unchanged and under their own names (its manifest names
    // them), nearest first.
    let curriculum = crate::curriculum::Curriculum::load(ws)?;
    let mut deps: Vec<String> = curriculum
        .find(slug)?
        .kata_dependencies()
        .map(str::to_string)
        .collect();
    let mut i = 0;
    while i < deps.len() {
        let more: Vec<String> = curriculum
            .find(&deps[i])?
            .kata_dependencies()
            .map(str::to_string)
            .collect();
        for m in more {
            if !deps.contains(&m) {
                deps.push(m);
            }
        }
        i += 1;
    }
    for dep in deps {
        members.push(scratch::Member {
            rel: format!("solutions/{dep}"),
            source: ws.solution_dir(&dep),
            tests: None,
            package: solution_package(&dep),
        });
    }
    let scratch = scratch::create(ws, place, &members, &ws.suites)?;
    let dir = scratch.root.join(&rel);
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
        scratch::write_if_changed(&dir.join(path), &mutated)?;
    }
    Ok(Scratch {
        manifest: scratch.manifest,
        package,
        dir,
    })
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
    fn the_killer_line_is_read_and_rewritten() {
        let m = parse("relaxed", PATCH).unwrap();
        assert_eq!(m.killer, None);
        let text = set_killer(PATCH, "loom_model", "no_lost_update");
        let m = parse("relaxed", &text).unwrap();
        assert_eq!(
            m.killer,
            Some(("loom_model".into(), "no_lost_update".into()))
        );
        assert_eq!(m.description, "Relaxed where Release is needed.");
        let again = set_killer(&text, "basics", "b");
        assert_eq!(again.matches(KILLED_BY).count(), 1);
        assert_eq!(
            apply_text(
                &m,
                "fn a() {}\nfn b() { Release }\nfn c() {}\n",
                &m.diffs[0].1
            )
            .unwrap(),
            "fn a() {}\nfn b() { Relaxed }\nfn c() {}\n"
        );
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
