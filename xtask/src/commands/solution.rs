//! `cargo xtask solution SLUG`: the reference, once the kata has passed.

use crate::error::{Context, Result};
use crate::exit;
use crate::workspace::Workspace;

use super::Ctx;

/// Prints where the reference lives and its `src/lib.rs`.
pub fn run(ws: &Workspace, slug: &str) -> Result<i32> {
    let ctx = Ctx::load(ws)?;
    let kata = ctx.curriculum.find(slug)?;
    if !ctx.progress.passed(&kata.slug) {
        crate::bail!(
            "the reference for `{}` opens once you pass it: run `cargo xtask check {}`.\n\
             Stuck? `cargo xtask hint {}` gives one nudge per call.",
            kata.slug,
            kata.slug,
            kata.slug
        );
    }
    // The record must be of the code as it is now: a hand-edited progress file, or code
    // changed since it passed, does not open the reference.
    let now = crate::progress::fingerprint(&ws.kata_dir(&kata.slug).join("src"));
    if ctx.progress.get(&kata.slug).source_hash.as_deref() != Some(now.as_str()) {
        crate::bail!(
            "your code for `{}` is not the code that passed (it changed since, or the progress \
             file does not match it): run `cargo xtask check {}` again, then ask for the \
             reference.",
            kata.slug,
            kata.slug
        );
    }
    let dir = ws.solution_dir(&kata.slug);
    if !dir.is_dir() {
        crate::bail!(
            "the reference solutions are not part of this copy of the course; ask your teacher."
        );
    }
    let lib = dir.join("src").join("lib.rs");
    let text =
        std::fs::read_to_string(&lib).context(|| format!("cannot read {}", ws.display(&lib)))?;
    let s = ctx.style;
    println!(
        "{}",
        s.bold(&format!("// {} — the reference solution", ws.display(&lib)))
    );
    println!("{text}");
    println!(
        "{}",
        s.dim(&format!(
            "Benchmarks (if any): `cargo xtask bench {}` (yours against the reference), or \
             `cargo bench -p {}` (the reference alone).",
            kata.slug,
            crate::workspace::solution_package(&kata.slug)
        ))
    );
    Ok(exit::SUCCESS)
}
