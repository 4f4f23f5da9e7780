//! `cargo xtask reset SLUG`: restore a kata's stub, backing up the learner's version first.

use std::io::{BufRead, IsTerminal, Write};
use std::process::Command;

use crate::error::{Context, Result};
use crate::exit;
use crate::workspace::Workspace;

use super::Ctx;

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
        Err(e) => crate::bail!("reset needs git, which could not run: {e}"),
    };
    let listed = git(&["ls-tree", "-r", "--name-only", rev, "--", &rel])
        .context(|| "cannot run git".to_string())?;
    if !listed.status.success() || listed.stdout.is_empty() {
        crate::bail!("git has no committed stub for {rel} at {rev}; nothing to restore from.");
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            crate::bail!(
                "reset replaces your code in {rel}; confirm with `cargo xtask reset {} --yes`.",
                kata.slug
            );
        }
        print!(
            "Replace your code in {rel} with the stub from git ({rev})? Your version is backed up first. [y/N] "
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("Nothing changed.");
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
        .context(|| format!("cannot back up {rel}; nothing was changed"))?;
    let out = git(&["checkout", rev, "--", &rel]).context(|| "cannot run git".to_string())?;
    if !out.status.success() {
        crate::bail!(
            "git could not restore {rel}: {}\nYour version is safe in {}.",
            String::from_utf8_lossy(&out.stderr).trim(),
            ws.display(&backup)
        );
    }
    println!(
        "Restored {rel} from {rev}. Your previous version is in {}.",
        ws.display(&backup)
    );
    Ok(exit::SUCCESS)
}
