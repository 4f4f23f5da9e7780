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

use super::{Ctx, all_done};
use crate::{i18n, tr};

/// Timeouts after which no new check starts: one may be a slow check, a second says that
/// every check reaches the same loop or deadlock, and each more would cost a full timeout.
pub const STOP_AFTER_TIMEOUTS: usize = 2;

/// Grades the current kata (or `slug`) and returns the exit code.
pub fn run(ws: &Workspace, slug: Option<&str>, force: bool) -> Result<i32> {
    let mut ctx = Ctx::load(ws)?;
    let Some(kata) = ctx.resolve(slug)?.cloned() else {
        println!("{}", all_done());
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
        "{}",
        tr!(
            "check-header",
            checking = s.bold(&tr!("check-checking")),
            slug = s.bold(&kata.slug),
            title = kata.title_in(i18n::lang())
        )
    );
    if let Some(recorded) = &kata.suite_checksum
        && *recorded != fingerprint(&ws.suite_dir(&kata.slug))
    {
        println!(
            "{}",
            s.yellow(&tr!("check-suite-differs", slug = &kata.slug))
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
                println!("{}", s.red(&tr!("check-refused", reason = r.to_string())));
            }
            println!(
                "{}",
                s.red(&tr!(
                    "check-refused-summary",
                    slug = &kata.slug,
                    count = refusals.len()
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
                println!("{}", s.yellow(&tr!("check-errors-in-suite")));
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
                    s.red(&tr!("check-does-not-compile", slug = &kata.slug))
                );
            } else {
                for dep in &broken {
                    println!(
                        "{}",
                        s.red(&tr!(
                            "check-dependency-does-not-compile",
                            dep = dep.as_str(),
                            slug = &kata.slug
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
                    s.yellow(&tr!(
                        "check-warnings",
                        count = warnings.len(),
                        package = kata.package()
                    ))
                );
            }
            results
        }
    };
    let tally = Tally::of(results.iter().map(|(_, o)| o));
    println!();
    if tally.total == 0 {
        return Err(crate::error::Error(tr!(
            "check-no-checks",
            slug = &kata.slug
        )));
    }
    if tally.all_passed() {
        println!(
            "{}",
            s.green(&tr!(
                "check-done",
                summary = tally.summary(),
                slug = &kata.slug
            ))
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
                "{}",
                tr!(
                    "check-unlocked",
                    slug = s.bold(&next.slug),
                    title = next.title_in(i18n::lang()),
                    dir = &next.slug
                )
            ),
            Some(next) => println!("{}", tr!("check-current-is", slug = s.bold(&next.slug))),
            None => println!("{}", all_done()),
        }
        println!("{}", s.dim(&tr!("check-compare", slug = &kata.slug)));
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
    let tail = tr!("next-tail");
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
            "{}\n{tail}",
            tr!(
                "next-after-timeouts",
                skipped = skipped,
                where = where_stuck(stuck_at)
            )
        );
    }
    match first.map(|(c, o)| (c, &o.verdict)) {
        Some((check, Verdict::Timeout { stuck_at, .. })) => format!(
            "{}\n{tail}",
            tr!(
                "next-timeout",
                check = report::sentence(&check.name),
                where = where_stuck(stuck_at.as_ref())
            )
        ),
        Some((_, Verdict::NotStarted { location, .. })) => {
            let place = report::short_location(location);
            match verdict::enclosing_fn(&ws.root, location) {
                Some(f) => format!(
                    "{}\n{tail}",
                    tr!(
                        "next-write-fn",
                        function = f,
                        place = place,
                        slug = &kata.slug
                    )
                ),
                None => format!("{}\n{tail}", tr!("next-replace-todo", place = place)),
            }
        }
        Some((check, _)) => format!(
            "{}\n{tail}",
            tr!("next-fix-first", check = report::sentence(&check.name))
        ),
        None => tail,
    }
}

/// When the support crates differ from the course's (`support_checksum`): the grade would use
/// the course's, so a local check with edited ones predicts nothing.
fn support_edited(ws: &Workspace, ctx: &Ctx) -> Option<String> {
    let recorded = ctx.curriculum.support_checksum.as_ref()?;
    let current = support_fingerprint(ws);
    (*recorded != current).then(|| {
        tr!(
            "check-support-edited",
            crates = crate::sandbox::seal::SUPPORT.join(", "),
            paths = crate::sandbox::seal::SUPPORT.join(" ")
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
        Some(s) => tr!(
            "stuck-in",
            function = &s.function,
            place = report::short_location(&s.location)
        ),
        None => tr!("stuck-somewhere"),
    }
}
