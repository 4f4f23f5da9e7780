//! `cargo xtask` with no command: where you are and what to type next.

use crate::error::Result;
use crate::exit;
use crate::workspace::Workspace;

use super::{Ctx, all_done};
use crate::{i18n, tr};

/// Width of the progress bar in cells.
const BAR: usize = 24;

/// Prints the progress bar, the current kata and the next command.
pub fn run(ws: &Workspace) -> Result<i32> {
    let ctx = Ctx::load(ws)?;
    let s = ctx.style;
    let total = ctx.curriculum.katas.len();
    let done = ctx
        .curriculum
        .katas
        .iter()
        .filter(|k| ctx.progress.passed(&k.slug))
        .count();
    let filled = done * BAR / total;
    let bar = format!(
        "{}{}",
        s.green(&"#".repeat(filled)),
        s.dim(&"-".repeat(BAR - filled))
    );
    println!(
        "{}",
        tr!(
            "status-progress",
            name = s.bold("latency-katas"),
            bar = bar,
            done = done,
            total = total
        )
    );
    match ctx.progress.current(&ctx.curriculum) {
        None => println!("{}", all_done()),
        Some(kata) => {
            let dir = format!("katas/{}", kata.slug);
            println!(
                "{}",
                tr!(
                    "status-current",
                    slug = s.bold(&kata.slug),
                    title = kata.title_in(i18n::lang()),
                    topic = s.dim(&format!("({})", kata.topic))
                )
            );
            println!("{}", tr!("status-read", dir = &dir));
            println!(
                "{}",
                tr!("status-check", command = s.cyan("cargo xtask check"))
            );
            println!(
                "{}",
                tr!("status-hint", command = s.cyan("cargo xtask hint"))
            );
        }
    }
    Ok(exit::SUCCESS)
}
