//! `cargo xtask check [SLUG]`: grade a kata; on a pass, record it and unlock the next.

use crate::curriculum::Kata;
use crate::error::Result;
use crate::exit;
use crate::progress::fingerprint;
use crate::report::{self, HumanListener, Tally};
use crate::run::{Policy, default_jobs};
use crate::suite::{self, Outcome, Subject};
use crate::verdict::{self, SkipReason, StuckAt, Verdict};
use crate::workspace::Workspace;

use super::{ALL_DONE_MSG, Ctx};

/// Timeouts after which no new check starts: one may be a slow check, a second says that
/// every check reaches the same loop or deadlock, and each more would cost a full timeout.
pub const STOP_AFTER_TIMEOUTS: usize = 2;

/// Grades the current kata (or `slug`) and returns the exit code.
pub fn run(ws: &Workspace, slug: Option<&str>, force: bool) -> Result<i32> {
    let mut ctx = Ctx::load(ws)?;
    let Some(kata) = ctx.resolve(slug)?.cloned() else {
        println!("{ALL_DONE_MSG}");
        return Ok(exit::SUCCESS);
    };
    if !force {
        ctx.ensure_unlocked(&kata, "check")?;
    }
    check(ws, &mut ctx, &kata)
}

/// Grades `kata` against its suite, prints the report, records a pass. Shared with `watch`.
pub fn check(ws: &Workspace, ctx: &mut Ctx, kata: &Kata) -> Result<i32> {
    let s = ctx.style;
    println!(
        "{} {} — {}",
        s.bold("Checking"),
        s.bold(&kata.slug),
        kata.title
    );
    if let Some(recorded) = &kata.suite_checksum
        && *recorded != fingerprint(&ws.suite_dir(&kata.slug))
    {
        println!(
            "{}",
            s.yellow(&format!(
                "note: xtask/suites/{} differs from the course's version. Grading in CI uses the \
                 course's suite, so edits to tests will not count there.",
                kata.slug
            ))
        );
    }
    if let Some(problem) = support_edited(ws, ctx) {
        println!("{}", s.red(&problem));
        return Ok(exit::CANNOT_GRADE);
    }
    let opts = suite::Options {
        jobs: default_jobs(),
        policy: Policy {
            max_timeouts: Some(STOP_AFTER_TIMEOUTS),
            locate_hangs: true,
            ..Policy::default()
        },
        color: s.color,
        only: None,
    };
    let outcome = {
        let mut listener = HumanListener::new(s, &ws.root);
        let outcome = suite::run(ws, kata, &Subject::Kata, &opts, &mut listener)?;
        listener.finish();
        outcome
    };
    let results = match outcome {
        Outcome::Refused(refusals) => {
            for r in &refusals {
                println!("{}", s.red(&format!("refused: {r}")));
            }
            println!(
                "{}",
                s.red(&format!(
                    "katas/{} cannot be graded with {} in it: these constructs could run code \
                     outside the kata or bring in code that is not yours. Remove {}, then run \
                     `cargo xtask check` again.",
                    kata.slug,
                    if refusals.len() == 1 { "this" } else { "these" },
                    if refusals.len() == 1 { "it" } else { "them" },
                ))
            );
            return Ok(exit::CANNOT_GRADE);
        }
        Outcome::CompileFailed(failure) => {
            print!("{}", report::render_compile_failure(s, &failure));
            if failure
                .errors
                .iter()
                .any(|e| e.contains(&format!("xtask/suites/{}/", kata.slug)))
            {
                println!(
                    "{}",
                    s.yellow(
                        "note: some errors are in the hidden suite, which calls your kata's API: keep the \
                         names and signatures the stub gave you (`cargo xtask reset` restores the stub, \
                         backing up your version)."
                    )
                );
            }
            let broken: Vec<String> = builds_on(ctx, kata)
                .into_iter()
                .filter(|dep| {
                    failure
                        .errors
                        .iter()
                        .any(|e| e.contains(&format!("katas/{dep}/")))
                })
                .collect();
            if broken.is_empty() {
                println!(
                    "{}",
                    s.red(&format!(
                        "katas/{} does not compile yet. Fix the first error above, then run `cargo xtask check` again.",
                        kata.slug
                    ))
                );
            } else {
                for dep in &broken {
                    println!(
                        "{}",
                        s.red(&format!(
                            "katas/{dep}, which {} builds on, does not compile: it runs your code \
                             from that kata. Fix it first (`cargo xtask check {dep}`), then run \
                             `cargo xtask check {}` again.",
                            kata.slug, kata.slug
                        ))
                    );
                }
            }
            return Ok(exit::CANNOT_GRADE);
        }
        Outcome::Ran(results, warnings) => {
            if !warnings.is_empty() {
                println!(
                    "{}",
                    s.yellow(&format!(
                        "note: {} compiler warning{} in your code (`cargo build -p {}` shows them).",
                        warnings.len(),
                        if warnings.len() == 1 { "" } else { "s" },
                        kata.package()
                    ))
                );
            }
            results
        }
    };
    let tally = Tally::of(results.iter().map(|(_, o)| o));
    println!();
    if tally.total == 0 {
        crate::bail!(
            "the suite of `{}` has no checks: the kata is misconfigured (tell the course authors).",
            kata.slug
        );
    }
    if tally.all_passed() {
        println!(
            "{}",
            s.green(&format!("{}. {} is done!", tally.summary(), kata.slug))
        );
        let hash = fingerprint(&ws.kata_dir(&kata.slug).join("src"));
        // Passing the current kata unlocks the next; passing another (with --force) does not.
        let unlocks = ctx
            .progress
            .current(&ctx.curriculum)
            .is_some_and(|c| c.slug == kata.slug);
        ctx.progress.record_pass(&kata.slug, hash);
        ctx.progress.save(ws)?;
        match ctx.progress.current(&ctx.curriculum) {
            Some(next) if unlocks => println!(
                "Unlocked: {} — {}\n  Read katas/{}/README.md, fill katas/{}/src/lib.rs, then `cargo xtask check`.",
                s.bold(&next.slug),
                next.title,
                next.slug,
                next.slug
            ),
            Some(next) => println!(
                "Your current kata is {} — `cargo xtask check`.",
                s.bold(&next.slug)
            ),
            None => println!("{ALL_DONE_MSG}"),
        }
        println!(
            "{}",
            s.dim(&format!(
                "Compare with the reference: `cargo xtask solution {}` (solutions/{}/src/lib.rs).",
                kata.slug, kata.slug
            ))
        );
        return Ok(exit::SUCCESS);
    }
    println!("{}", s.bold(&tally.summary()));
    println!("{}", next_step(ws, kata, &results));
    Ok(exit::CHECKS_FAILED)
}

/// The earlier katas `kata` builds on, directly or through another, nearest first.
fn builds_on(ctx: &Ctx, kata: &Kata) -> Vec<String> {
    let mut found: Vec<String> = kata.kata_dependencies().map(str::to_string).collect();
    let mut i = 0;
    while i < found.len() {
        if let Ok(dep) = ctx.curriculum.find(&found[i]) {
            for more in dep.kata_dependencies() {
                if !found.iter().any(|f| f == more) {
                    found.push(more.to_string());
                }
            }
        }
        i += 1;
    }
    found
}

/// What to do next, from the first check that did not pass.
fn next_step(
    ws: &Workspace,
    kata: &Kata,
    results: &[(suite::Check, crate::run::TestOutcome)],
) -> String {
    let first = results.iter().find(|(_, o)| o.verdict != Verdict::Pass);
    let tail = "`cargo xtask hint` gives a nudge; `cargo xtask watch` re-checks on every save.";
    let skipped = results
        .iter()
        .filter(|(_, o)| matches!(o.verdict, Verdict::Skipped { .. }))
        .count();
    let stuck_at = results.iter().find_map(|(_, o)| match &o.verdict {
        Verdict::Timeout { stuck_at, .. } => stuck_at.as_ref(),
        _ => None,
    });
    let stopped_by_timeouts = results.iter().any(|(_, o)| {
        matches!(
            o.verdict,
            Verdict::Skipped {
                reason: SkipReason::AfterTimeouts { .. }
            }
        )
    });
    if stopped_by_timeouts {
        return format!(
            "Next: an earlier check never finished: fix the loop first ({skipped} check{} did not \
             start). {}\n{tail}",
            if skipped == 1 { "" } else { "s" },
            where_stuck(stuck_at)
        );
    }
    match first.map(|(c, o)| (c, &o.verdict)) {
        Some((check, Verdict::Timeout { stuck_at, .. })) => format!(
            "Next: fix \"{}\" first: it never finished. {}\n{tail}",
            report::sentence(&check.name),
            where_stuck(stuck_at.as_ref())
        ),
        Some((_, Verdict::NotStarted { location, .. })) => {
            let place = report::short_location(location);
            match verdict::enclosing_fn(&ws.root, location) {
                Some(f) => format!(
                    "Next: write `{f}` ({place}); read katas/{}/README.md for the contract.\n{tail}",
                    kata.slug
                ),
                None => format!("Next: replace the todo!() at {place}.\n{tail}"),
            }
        }
        Some((check, _)) => format!(
            "Next: fix \"{}\" first: the checks above are ordered from simple to hard.\n{tail}",
            report::sentence(&check.name)
        ),
        None => tail.to_string(),
    }
}

/// When the support crates differ from the course's (`support_checksum`): the grade would use
/// the course's, so a local check with edited ones predicts nothing.
fn support_edited(ws: &Workspace, ctx: &Ctx) -> Option<String> {
    let recorded = ctx.curriculum.support_checksum.as_ref()?;
    let current = support_fingerprint(ws);
    (*recorded != current).then(|| {
        format!(
            "The support crates ({}) differ from the course's version. Grading uses the \
             course's, so `check` will not grade with yours. Restore them: `git checkout -- {}`.",
            crate::sandbox::seal::SUPPORT.join(", "),
            crate::sandbox::seal::SUPPORT.join(" ")
        )
    })
}

/// The fingerprint `verify --bless` records as `support_checksum`.
pub fn support_fingerprint(ws: &Workspace) -> String {
    crate::sandbox::seal::SUPPORT
        .iter()
        .map(|dir| fingerprint(&ws.root.join(dir)))
        .collect::<Vec<_>>()
        .join("-")
}

/// Where to look for a loop that never ends.
fn where_stuck(stuck_at: Option<&StuckAt>) -> String {
    match stuck_at {
        Some(s) => format!(
            "`{}` was running when the check was stopped ({}): look for a `loop` or `while` \
             there that never ends, or a lock that is never released.",
            s.function,
            report::short_location(&s.location)
        ),
        None => "Look for a `loop` or `while` that never ends, or a lock that is never released, \
                 in the code the check calls."
            .to_string(),
    }
}
