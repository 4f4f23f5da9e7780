//! `cargo xtask hint [SLUG]`: one more hint per call.

use crate::error::Result;
use crate::exit;
use crate::workspace::Workspace;

use super::{Ctx, all_done};
use crate::{i18n, tr};

/// Shows the next hint and remembers that it was shown.
pub fn run(ws: &Workspace, slug: Option<&str>) -> Result<i32> {
    let mut ctx = Ctx::load(ws)?;
    let Some(kata) = ctx.resolve(slug)?.cloned() else {
        println!("{}", all_done());
        return Ok(exit::SUCCESS);
    };
    let s = ctx.style;
    let mut record = ctx.progress.get(&kata.slug);
    let hints = kata.hints_in(i18n::lang());
    let total = hints.len();
    let shown = (record.hints_shown as usize + 1).min(total);
    for (i, hint) in hints.iter().enumerate().take(shown) {
        let label = tr!("hint-label", number = i + 1, total = total);
        if i + 1 == shown {
            println!("{} {hint}", s.bold(&label));
        } else {
            println!("{}", s.dim(&format!("{label} {hint}")));
        }
    }
    if shown < total {
        println!("{}", s.dim(&tr!("hint-again")));
    } else {
        println!("{}", s.dim(&tr!("hint-last", slug = &kata.slug)));
    }
    if record.hints_shown as usize != shown {
        record.hints_shown = shown as u32;
        ctx.progress.katas.insert(kata.slug.clone(), record);
        ctx.progress.save(ws)?;
    }
    Ok(exit::SUCCESS)
}
