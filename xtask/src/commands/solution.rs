//! `cargo xtask solution SLUG`: the reference, once the kata has passed.

use crate::error::{Context, Error, Result};
use crate::exit;
use crate::tr;
use crate::workspace::Workspace;

use super::Ctx;

/// Prints where the reference lives and its `src/lib.rs`.
pub fn run(ws: &Workspace, slug: &str) -> Result<i32> {
    let ctx = Ctx::load(ws)?;
    let kata = ctx.curriculum.find(slug)?;
    if !ctx.progress.passed(&kata.slug) {
        return Err(Error(tr!("solution-not-passed", slug = &kata.slug)));
    }
    // The record must be of the code as it is now: a hand-edited progress file, or code
    // changed since it passed, does not open the reference.
    let now = crate::progress::fingerprint(&ws.kata_dir(&kata.slug).join("src"));
    if ctx.progress.get(&kata.slug).source_hash.as_deref() != Some(now.as_str()) {
        return Err(Error(tr!("solution-changed", slug = &kata.slug)));
    }
    let dir = ws.solution_dir(&kata.slug);
    if !dir.is_dir() {
        return Err(Error(tr!("solution-absent")));
    }
    let lib = dir.join("src").join("lib.rs");
    let text =
        std::fs::read_to_string(&lib).context(|| format!("cannot read {}", ws.display(&lib)))?;
    let s = ctx.style;
    println!(
        "{}",
        s.bold(&tr!("solution-header", path = ws.display(&lib)))
    );
    println!("{text}");
    println!(
        "{}",
        s.dim(&tr!(
            "solution-benches",
            slug = &kata.slug,
            package = crate::workspace::solution_package(&kata.slug)
        ))
    );
    Ok(exit::SUCCESS)
}
