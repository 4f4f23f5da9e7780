//! Where a hung test is stuck. Shortly before a test's timeout the runner asks gdb, when it is
//! installed and allowed to attach, for a backtrace of the test process, and names the
//! innermost frame in the graded crate's own source. Without gdb, or where ptrace is
//! restricted (Yama's `ptrace_scope` 1, Ubuntu's default, lets only an ancestor attach), a
//! timeout names no function: this is a best effort, never a guess.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Instant;

use crate::verdict::{self, StuckAt};

/// Frames read per thread: enough to get from inside std (a lock, a channel) back up to the
/// learner's call.
const FRAMES: usize = 48;

/// Where the process running test `name` of `binary` (a descendant of the grader started
/// with `--exact NAME`) is running code from `crate_dir`, asking gdb and giving up at
/// `deadline`.
pub fn locate(name: &str, binary: &Path, crate_dir: &Path, deadline: Instant) -> Option<StuckAt> {
    let pid = test_process(name, binary)?;
    let text = backtrace(pid, deadline)?;
    innermost_own_frame(&text, crate_dir)
}

/// The descendant of this process whose arguments hold `--exact NAME`: one running `binary`
/// first (two suite files may have a test of the same name), then the deepest (so a wrapper
/// that starts the test binary is passed over).
fn test_process(name: &str, binary: &Path) -> Option<u32> {
    let me = std::process::id();
    let mut best: Option<((bool, usize), u32)> = None;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        if !args
            .windows(2)
            .any(|w| w[0] == b"--exact" && w[1] == name.as_bytes())
        {
            continue;
        }
        if let Some(depth) = depth_below(pid, me) {
            let runs_binary =
                std::fs::read_link(entry.path().join("exe")).is_ok_and(|e| e == binary);
            let rank = (runs_binary, depth);
            if best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, pid));
            }
        }
    }
    best.map(|(_, pid)| pid)
}

/// How many generations `pid` is below `ancestor`, if it is a descendant.
fn depth_below(mut pid: u32, ancestor: u32) -> Option<usize> {
    for depth in 1..=16 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
        let after_comm = &stat[stat.rfind(')')? + 1..];
        let ppid: u32 = after_comm.split_whitespace().nth(1)?.parse().ok()?;
        if ppid == ancestor {
            return Some(depth);
        }
        if ppid <= 1 {
            return None;
        }
        pid = ppid;
    }
    None
}

/// gdb's backtrace of every thread of `pid`, or `None` without gdb or past `deadline`.
fn backtrace(pid: u32, deadline: Instant) -> Option<String> {
    let mut child = Command::new("gdb")
        .args([
            "-nx",
            "-batch",
            // Never look for debug info over the network, nor run scripts from the binary.
            "-iex",
            "set debuginfod enabled off",
            "-iex",
            "set auto-load python-scripts off",
            // Shared libraries' symbols are not needed and slow the attach down.
            "-iex",
            "set auto-solib-add off",
            "-ex",
            "set print frame-arguments none",
            "-ex",
            "set print entry-values no",
        ])
        // Symbols are read before attaching, so the test is stopped only for the backtrace.
        .arg(format!("/proc/{pid}/exe"))
        .arg("-ex")
        .arg(format!("attach {pid}"))
        .arg("-ex")
        .arg(format!("thread apply all bt {FRAMES}"))
        .args(["-ex", "detach"])
        .env_remove("DEBUGINFOD_URLS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        let _ = tx.send(text);
    });
    let text = rx
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .ok();
    if text.is_none() {
        // Too slow: the test is about to be killed anyway. A tracer's exit detaches it.
        let _ = child.kill();
    }
    let _ = child.wait();
    text
}

/// The innermost frame, in any thread, whose source file belongs to `crate_dir`.
fn innermost_own_frame(backtrace: &str, crate_dir: &Path) -> Option<StuckAt> {
    backtrace.lines().find_map(|line| {
        let (function, file, line) = parse_frame(line)?;
        let root = source_root(file, crate_dir)?;
        let location = format!("{file}:{line}");
        let function = verdict::enclosing_fn(&root, &location).unwrap_or_else(|| {
            // `crate_name::Type::method` → `Type::method`.
            function
                .split_once("::")
                .map_or(function, |(_, rest)| rest)
                .to_string()
        });
        Some(StuckAt { function, location })
    })
}

/// `#1  0x000055cd8a7ff816 in krate::f () at katas/x/src/lib.rs:212` → (`krate::f`,
/// `katas/x/src/lib.rs`, 212).
fn parse_frame(line: &str) -> Option<(&str, &str, u32)> {
    let rest = line.strip_prefix('#')?;
    let rest = rest
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start();
    let rest = match rest.split_once(" in ") {
        Some((address, rest)) if address.starts_with("0x") => rest,
        _ => rest,
    };
    let (call, place) = rest.rsplit_once(" at ")?;
    let (file, line) = place.trim().rsplit_once(':')?;
    let line = line.parse().ok()?;
    let function = call.rsplit_once(" (").map_or(call, |(f, _)| f).trim();
    Some((function, file, line))
}

/// The workspace root a relative source path is written against, when the file lies in
/// `crate_dir`: rustc names a workspace member's files from the workspace root, and names
/// the suite through `../..`, std through `library/…` and dependencies by absolute paths.
fn source_root(file: &str, crate_dir: &Path) -> Option<PathBuf> {
    let rel = Path::new(file);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    crate_dir
        .ancestors()
        .find(|root| {
            let full = root.join(rel);
            full.starts_with(crate_dir) && full.is_file()
        })
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKTRACE: &str = "\
Thread 2 (Thread 0x7f8db80ca6c0 (LWP 26541) \"a_freed_id_stay\"):
#0  core::hint::spin_loop () at /rustc/5980/library/core/src/hint.rs:291
#1  0x000055cd8a7ff700 in tricolor_gc::Heap::alloc (...) at katas/02-tricolor-gc/src/lib.rs:8
#2  0x000055cd8a7ff816 in heap::a_freed_id () at katas/02-tricolor-gc/../../xtask/suites/02-tricolor-gc/heap.rs:212
#3  0x000055cd8a80e20b in core::ops::function::FnOnce::call_once<fn() -> core::result::Result<(), alloc::string::String>, ()> () at library/core/src/ops/function.rs:250

Thread 1 (Thread 0x7f8db80cb7c0 (LWP 26540) \"heap-8a2ebdeff3\"):
#0  syscall () at ../sysdeps/unix/sysv/linux/x86_64/syscall.S:38
";

    #[test]
    fn frames_are_parsed_with_and_without_an_address() {
        assert_eq!(
            parse_frame("#0  core::hint::spin_loop () at /rustc/x/hint.rs:291"),
            Some(("core::hint::spin_loop", "/rustc/x/hint.rs", 291))
        );
        assert_eq!(
            parse_frame(
                "#13 0x0000562e95d24314 in test::run_test::{closure#1} () at library/test/src/lib.rs:637"
            ),
            Some((
                "test::run_test::{closure#1}",
                "library/test/src/lib.rs",
                637
            ))
        );
        assert_eq!(parse_frame("Thread 1 (Thread 0x7f (LWP 2) \"x\"):"), None);
        assert_eq!(parse_frame("#4  0x00007f in ?? ()"), None);
    }

    #[test]
    fn the_innermost_frame_in_the_crate_is_named_and_std_and_the_suite_are_passed_over() {
        let ws = tempfile::tempdir().unwrap();
        let crate_dir = ws.path().join("katas/02-tricolor-gc");
        std::fs::create_dir_all(crate_dir.join("src")).unwrap();
        std::fs::create_dir_all(ws.path().join("library/core/src/ops")).unwrap();
        std::fs::write(ws.path().join("library/core/src/ops/function.rs"), "").unwrap();
        let src = "pub struct Heap;\n\nimpl Heap {\n    /// Allocates.\n    pub fn alloc(&mut self, fields: usize) -> usize {\n        let _ = fields;\n        loop {\n            std::hint::spin_loop()\n        }\n    }\n}\n";
        std::fs::write(crate_dir.join("src/lib.rs"), src).unwrap();
        assert_eq!(
            innermost_own_frame(BACKTRACE, &crate_dir),
            Some(StuckAt {
                function: "Heap::alloc".into(),
                location: "katas/02-tricolor-gc/src/lib.rs:8".into(),
            })
        );
        let elsewhere = ws.path().join("katas/01-other");
        std::fs::create_dir_all(&elsewhere).unwrap();
        assert_eq!(innermost_own_frame(BACKTRACE, &elsewhere), None);
    }
}
