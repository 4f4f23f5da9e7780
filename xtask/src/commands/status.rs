//! `cargo xtask` with no command: where you are and what to type next.

use crate::error::Result;
use crate::exit;
use crate::workspace::Workspace;

use super::{ALL_DONE_MSG, Ctx};

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
    println!(
        "{}  [{}{}]  {done}/{total} katas done",
        s.bold("latency-katas"),
        s.green(&"#".repeat(filled)),
        s.dim(&"-".repeat(BAR - filled)),
    );
    match ctx.progress.current(&ctx.curriculum) {
        None => println!("{ALL_DONE_MSG}"),
        Some(kata) => {
            let dir = format!("katas/{}", kata.slug);
            println!(
                "Current: {} — {} {}",
                s.bold(&kata.slug),
                kata.title,
                s.dim(&format!("({})", kata.topic))
            );
            println!("  Read {dir}/README.md, fill the todo!()s in {dir}/src/lib.rs, then run:");
            println!(
                "    {}   grade it (or `cargo xtask watch` to re-check on every save)",
                s.cyan("cargo xtask check")
            );
            println!(
                "    {}    stuck? one hint per call",
                s.cyan("cargo xtask hint")
            );
        }
    }
    Ok(exit::SUCCESS)
}
