//! `cargo xtask watch`: re-check the current kata on every save.
//!
//! File events (debounced) trigger a check at once; a slow fingerprint poll runs beside them
//! for file systems whose events never arrive (WSL on a Windows drive, NFS). `--poll` uses
//! the poll alone, faster.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::error::Result;
use crate::exit;
use crate::progress::fingerprint;
use crate::workspace::Workspace;

use super::{Ctx, all_done};
use crate::tr;

/// Quiet time after the last file event before checking (editors write in bursts).
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Poll period with `--poll`.
const POLL: Duration = Duration::from_millis(400);
/// Poll period beside file events, in case they never arrive.
const FALLBACK_POLL: Duration = Duration::from_secs(2);

/// Checks, then waits for a change, forever (Ctrl-C stops it).
pub fn run(ws: &Workspace, poll: bool) -> Result<i32> {
    let mut check_now = true;
    loop {
        let mut ctx = Ctx::load(ws)?;
        let Some(kata) = ctx.progress.current(&ctx.curriculum).cloned() else {
            println!("{}", all_done());
            return Ok(exit::SUCCESS);
        };
        if check_now {
            let started = Instant::now();
            match super::check::check(ws, &mut ctx, &kata) {
                Ok(_) => {}
                Err(e) => eprintln!("{}", tr!("error-prefix", message = e.to_string())),
            }
            println!(
                "{}",
                ctx.style.dim(&tr!(
                    "watch-verdict-time",
                    seconds = crate::i18n::decimal(started.elapsed().as_secs_f64())
                ))
            );
        }
        let ctx = Ctx::load(ws)?;
        let Some(current) = ctx.progress.current(&ctx.curriculum).cloned() else {
            println!("{}", all_done());
            return Ok(exit::SUCCESS);
        };
        let dir = ws.kata_dir(&current.slug);
        println!(
            "{}",
            ctx.style.cyan(&tr!("watch-watching", slug = &current.slug))
        );
        wait_for_change(&dir, poll);
        println!();
        check_now = true;
    }
}

/// Blocks until the content under `dir` changes.
pub fn wait_for_change(dir: &Path, poll: bool) {
    let before = fingerprint(dir);
    let changed = || fingerprint(dir) != before;
    if poll {
        while !changed() {
            std::thread::sleep(POLL);
        }
        return;
    }
    let (tx, rx) = mpsc::channel();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event
            && !e.kind.is_access()
        {
            let _ = tx.send(());
        }
    })
    .and_then(|mut w| w.watch(dir, RecursiveMode::Recursive).map(|()| w));
    let _watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{}", tr!("watch-polling", error = e.to_string()));
            return wait_for_change(dir, true);
        }
    };
    loop {
        match rx.recv_timeout(FALLBACK_POLL) {
            Ok(()) => {
                // Let the burst settle.
                while rx.recv_timeout(DEBOUNCE).is_ok() {}
                if changed() {
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if changed() {
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return wait_for_change(dir, true),
        }
    }
}
