//! `cargo xtask list`: every kata with its status.

use crate::error::Result;
use crate::exit;
use crate::progress::{Status, fingerprint};
use crate::tr;
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
            Status::Done => s.green(&pad(tr!("list-done"))),
            Status::Changed => s.yellow(&pad(tr!("list-changed"))),
            Status::Current => s.cyan(&pad(tr!("list-current"))),
            Status::Locked => s.dim(&pad(tr!("list-locked"))),
        };
        println!(
            "  {label} {:<width$}  {}  {}",
            kata.slug,
            kata.title_in(crate::i18n::lang()),
            s.dim(&format!("[{}]", kata.topic))
        );
    }
    println!("{}", s.dim(&tr!("list-legend")));
    Ok(exit::SUCCESS)
}

/// A status word padded one past the widest one, so the slugs line up.
fn pad(word: String) -> String {
    let widest = ["list-done", "list-changed", "list-current", "list-locked"]
        .iter()
        .map(|id| tr!(id).chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    format!("{word:<widest$}")
}
