//! `cargo xtask hint [SLUG]`: one more hint per call.

use crate::error::Result;
use crate::exit;
use crate::workspace::Workspace;

use super::{ALL_DONE_MSG, Ctx};

/// Shows the next hint and remembers that it was shown.
pub fn run(ws: &Workspace, slug: Option<&str>) -> Result<i32> {
    let mut ctx = Ctx::load(ws)?;
    let Some(kata) = ctx.resolve(slug)?.cloned() else {
        println!("{ALL_DONE_MSG}");
        return Ok(exit::SUCCESS);
    };
    let s = ctx.style;
    let mut record = ctx.progress.get(&kata.slug);
    let total = kata.hints.len();
    let shown = (record.hints_shown as usize + 1).min(total);
    for (i, hint) in kata.hints.iter().enumerate().take(shown) {
        let label = format!("Hint {} of {total}:", i + 1);
        if i + 1 == shown {
            println!("{} {hint}", s.bold(&label));
        } else {
            println!("{}", s.dim(&format!("{label} {hint}")));
        }
    }
    if shown < total {
        println!(
            "{}",
            s.dim("Run `cargo xtask hint` again for a nearer one.")
        );
    } else {
        println!(
            "{}",
            s.dim(&format!(
                "That is the last hint. The reference solution opens once `cargo xtask check {}` passes.",
                kata.slug
            ))
        );
    }
    if record.hints_shown as usize != shown {
        record.hints_shown = shown as u32;
        ctx.progress.katas.insert(kata.slug.clone(), record);
        ctx.progress.save(ws)?;
    }
    Ok(exit::SUCCESS)
}
