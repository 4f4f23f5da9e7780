//! `cargo xtask reset SLUG`: restore a kata's stub, backing up the learner's version first.

use std::io::{BufRead, IsTerminal, Write};
use std::process::Command;

use crate::error::{Context, Result};
use crate::exit;
use crate::workspace::Workspace;

use super::Ctx;
use crate::error::Error;
use crate::tr;

/// Restores `katas/<slug>` from git (the upstream branch if there is one, else `HEAD`).
pub fn run(ws: &Workspace, slug: &str, yes: bool) -> Result<i32> {
    let ctx = Ctx::load(ws)?;
    let kata = ctx.curriculum.find(slug)?;
    let rel = format!("katas/{}", kata.slug);
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&ws.root)
            .output()
    };
    let rev = match git(&["rev-parse", "--verify", "--quiet", "@{upstream}"]) {
        Ok(out) if out.status.success() => "@{upstream}",
        Ok(_) => "HEAD",
        Err(e) => return Err(Error(tr!("reset-no-git", error = e.to_string()))),
    };
    let listed = git(&["ls-tree", "-r", "--name-only", rev, "--", &rel])
        .context(|| "cannot run git".to_string())?;
    if !listed.status.success() || listed.stdout.is_empty() {
        return Err(Error(tr!("reset-no-stub", dir = &rel, rev = rev)));
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Error(tr!(
                "reset-confirm-with-yes",
                dir = &rel,
                slug = &kata.slug
            )));
        }
        print!("{} ", tr!("reset-ask", dir = &rel, rev = rev));
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        // "o"/"oui" as well: the question may be asked in French.
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "o" | "O" | "oui") {
            println!("{}", tr!("reset-nothing-changed"));
            return Ok(exit::SUCCESS);
        }
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = ws
        .target_dir()
        .join("kata-backups")
        .join(format!("{}-{stamp}", kata.slug));
    crate::scratch::sync_dir(&ws.kata_dir(&kata.slug), &backup)
        .context(|| tr!("reset-cannot-back-up", dir = &rel))?;
    let out = git(&["checkout", rev, "--", &rel]).context(|| "cannot run git".to_string())?;
    if !out.status.success() {
        return Err(Error(tr!(
            "reset-git-failed",
            dir = &rel,
            error = String::from_utf8_lossy(&out.stderr).trim(),
            backup = ws.display(&backup)
        )));
    }
    println!(
        "{}",
        tr!(
            "reset-done",
            dir = &rel,
            rev = rev,
            backup = ws.display(&backup)
        )
    );
    Ok(exit::SUCCESS)
}
