//! `cargo xtask list`: every kata with its status.

use crate::error::Result;
use crate::exit;
use crate::progress::{Status, fingerprint};
use crate::workspace::Workspace;

use super::Ctx;

/// Prints one line per kata: status, slug, title, seed topic.
pub fn run(ws: &Workspace) -> Result<i32> {
    let ctx = Ctx::load(ws)?;
    let s = ctx.style;
    let width = ctx
        .curriculum
        .katas
        .iter()
        .map(|k| k.slug.len())
        .max()
        .unwrap_or(0);
    for kata in &ctx.curriculum.katas {
        let hash = fingerprint(&ws.kata_dir(&kata.slug).join("src"));
        let status = ctx.progress.status(&ctx.curriculum, &kata.slug, &hash);
        let label = match status {
            Status::Done => s.green("done    "),
            Status::Changed => s.yellow("changed "),
            Status::Current => s.cyan("current "),
            Status::Locked => s.dim("locked  "),
        };
        println!(
            "  {label} {:<width$}  {}  {}",
            kata.slug,
            kata.title,
            s.dim(&format!("[{}]", kata.topic))
        );
    }
    println!(
        "{}",
        s.dim("changed = passed, then edited since; `cargo xtask check SLUG` re-grades it.")
    );
    Ok(exit::SUCCESS)
}
