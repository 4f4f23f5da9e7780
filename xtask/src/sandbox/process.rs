//! One test process, isolated: its own session, a throwaway working directory, an allowlisted
//! environment, resource limits, and the secret/proof pipes that alone can make it a pass.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Result;

/// The test kit's side of the proof (kept in step with `testkit::proof`).
const FDS_VAR: &str = "KATAS_PROOF_FDS";
const PROOF_PREFIX: &str = "katas-proof ";
const SECRET_LEN: usize = 32;
/// The descriptors the test process finds the pipes on.
const SECRET_FD: i32 = 3;
const PROOF_FD: i32 = 4;

/// Default address-space limit of a test process.
pub const DEFAULT_MEMORY_MIB: u64 = 4096;

/// Variables a test process may see from the grader's environment; everything else (tokens,
/// `GITHUB_OUTPUT`, `GITHUB_ENV`, `RUSTFLAGS`, …) is withheld.
const PASSED_THROUGH: &[&str] = &["PATH", "LANG", "LC_ALL", "TERM", "KATAS_SEED", "NO_COLOR"];

/// How to start one test.
#[derive(Debug, Clone)]
pub struct TestCommand {
    /// The test binary.
    pub binary: PathBuf,
    /// Arguments (`--exact NAME …`).
    pub args: Vec<String>,
    /// Extra variables (loom settings, insta's workspace root).
    pub env: Vec<(String, String)>,
    /// Address-space limit in MiB.
    pub memory_mib: u64,
}

/// A started test: the child (leader of its own session) and the grader's ends of its pipes.
pub struct Started {
    /// The process.
    pub child: Child,
    /// Where the proof arrives.
    pub proof: File,
    secret: [u8; SECRET_LEN],
    workdir: PathBuf,
}

impl Started {
    /// The proof line the test must write when its body returned.
    pub fn expected_proof(&self) -> String {
        format!("{PROOF_PREFIX}{}", hex(&self.secret))
    }

    /// Kills everything left in the test's session (processes it spawned), then removes its
    /// working directory. Call once the test has ended or timed out.
    pub fn clean_up(&self) {
        let pid = self.child.id() as i32;
        // SAFETY: `killpg` has no memory-safety preconditions. The session (and process group)
        // id is the test's pid; the group outlives its leader while members remain, and the
        // id cannot be reused while the group exists.
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
        unregister(pid);
        let _ = std::fs::remove_dir_all(&self.workdir);
    }
}

/// Whether `text` (what arrived on the proof pipe) holds the proof for `started`.
pub fn proven(expected: &str, text: &str) -> bool {
    text.lines().any(|l| l == expected)
}

static NEXT_DIR: AtomicU64 = AtomicU64::new(0);

/// Starts `cmd` isolated. `scratch` is a folder the grader owns, for the throwaway working
/// directory and home.
pub fn start(cmd: &TestCommand, scratch: &Path) -> Result<Started> {
    // Attack: a test that rewrites files relative to its working directory (suites, the
    // progress file) finds only an empty folder of its own.
    let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
    let workdir = scratch.join(format!("t{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&workdir);
    let home = workdir.join("home");
    std::fs::create_dir_all(&home)
        .map_err(|e| crate::err!("cannot create {}: {e}", home.display()))?;

    let secret = random_secret()?;
    let (secret_read, mut secret_write) = pipe()?;
    let (proof_read, proof_write) = pipe()?;
    secret_write
        .write_all(&secret)
        .map_err(|e| crate::err!("cannot hand the test its secret: {e}"))?;
    drop(secret_write);

    let mut command = Command::new(&cmd.binary);
    command
        .args(&cmd.args)
        .current_dir(&workdir)
        // Attack: secrets and steering in the environment (CI tokens, GITHUB_OUTPUT,
        // GITHUB_ENV, RUSTFLAGS): the test sees only this list.
        .env_clear()
        .envs(
            PASSED_THROUGH
                .iter()
                .filter_map(|k| Some((*k, std::env::var_os(k)?))),
        )
        .env("HOME", &home)
        .env("TMPDIR", &home)
        .env("RUST_BACKTRACE", "0")
        .env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env(FDS_VAR, format!("{SECRET_FD}:{PROOF_FD}"))
        .envs(cmd.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (secret_fd, proof_fd) = (secret_read.as_raw_fd(), proof_write.as_raw_fd());
    let memory = cmd.memory_mib.saturating_mul(1024 * 1024);
    // SAFETY: the closure runs in the forked child before exec and calls only
    // async-signal-safe functions (setsid, setrlimit, prctl, fcntl, dup2); it touches no
    // allocation or lock of the parent.
    unsafe {
        command.pre_exec(move || child_setup(secret_fd, proof_fd, memory));
    }
    let child = command
        .spawn()
        .map_err(|e| crate::err!("the test process could not start: {e}"))?;
    register(child.id() as i32);
    drop(secret_read);
    drop(proof_write);
    Ok(Started {
        child,
        proof: File::from(proof_read),
        secret,
        workdir,
    })
}

/// In the child, between fork and exec.
fn child_setup(secret_fd: i32, proof_fd: i32, memory: u64) -> std::io::Result<()> {
    let check = |r: i32| {
        if r < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(r)
        }
    };
    // SAFETY: plain system calls on this (single-threaded, forked) process with valid
    // arguments: no pointers but to the local `rlimit` values.
    unsafe {
        // Attack: processes the test leaves behind. A session of its own, so the grader can
        // kill the whole group at the end, and no controlling terminal to write to.
        check(libc::setsid())?;
        // Attack: a memory hog. Allocation fails past the limit; the verdict says so.
        if memory > 0 {
            let limit = libc::rlimit {
                rlim_cur: memory as libc::rlim_t,
                rlim_max: memory as libc::rlim_t,
            };
            check(libc::setrlimit(libc::RLIMIT_AS, &limit))?;
        }
        // Attack: core dumps filling the disk (and holding a copy of the secret).
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        check(libc::setrlimit(libc::RLIMIT_CORE, &none))?;
        // The test dies with the grader (Ctrl-C, a killed CI job).
        #[cfg(target_os = "linux")]
        check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
        // The pipes, at the numbers the test kit expects. Moved out of the way first so the
        // two `dup2`s cannot clobber each other; `dup2` leaves the copies inheritable.
        let s = check(libc::fcntl(secret_fd, libc::F_DUPFD_CLOEXEC, 10))?;
        let p = check(libc::fcntl(proof_fd, libc::F_DUPFD_CLOEXEC, 10))?;
        check(libc::dup2(s, SECRET_FD))?;
        check(libc::dup2(p, PROOF_FD))?;
    }
    Ok(())
}

fn pipe() -> Result<(OwnedFd, File)> {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    #[cfg(target_os = "linux")]
    let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    #[cfg(not(target_os = "linux"))]
    // SAFETY: `fds` is a valid array of two ints; both ends get FD_CLOEXEC right after.
    let r = unsafe {
        let r = libc::pipe(fds.as_mut_ptr());
        if r == 0 {
            libc::fcntl(fds[0], libc::F_SETFD, libc::FD_CLOEXEC);
            libc::fcntl(fds[1], libc::F_SETFD, libc::FD_CLOEXEC);
        }
        r
    };
    if r != 0 {
        crate::bail!("cannot create a pipe: {}", std::io::Error::last_os_error());
    }
    // SAFETY: pipe2 just returned these two fresh descriptors, owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
}

fn random_secret() -> Result<[u8; SECRET_LEN]> {
    let mut secret = [0u8; SECRET_LEN];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut secret))
        .map_err(|e| crate::err!("cannot read /dev/urandom for a test secret: {e}"))?;
    Ok(secret)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sessions of running tests, so an interrupted grader can take them down with it.
static SESSIONS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

fn register(pid: i32) {
    if let Ok(mut s) = SESSIONS.lock() {
        s.push(pid);
    }
}

fn unregister(pid: i32) {
    if let Ok(mut s) = SESSIONS.lock() {
        s.retain(|&p| p != pid);
    }
}

/// Kills every running test's session (on Ctrl-C).
pub fn kill_all() {
    let sessions = SESSIONS.lock().map(|s| s.clone()).unwrap_or_default();
    for pid in sessions {
        // SAFETY: no memory-safety preconditions; see `Started::clean_up`.
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
    }
}

/// Called once at start-up: the grader becomes the reaper of anything its tests orphan (so
/// [`reap_strays`] can find processes that left their session), cannot be read through
/// `/proc` by its tests, and takes its tests down when interrupted.
pub fn init() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with integer arguments only changes flags of this process.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1);
        // Attack: a test reading the grader's memory (other tests' secrets) via /proc.
        libc::prctl(libc::PR_SET_DUMPABLE, 0);
    }
    interrupt::install();
}

/// Kills and reaps every child of the grader that is not in `keep` (Linux): processes a test
/// spawned that escaped its session and were orphaned to us. Attack: a test that
/// double-forks and calls `setsid` to outlive the run.
pub fn reap_strays(keep: &HashSet<i32>) {
    #[cfg(target_os = "linux")]
    for _round in 0..16 {
        let me = std::process::id() as i32;
        let strays: Vec<i32> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|pid| !keep.contains(pid) && parent_of(*pid) == Some(me))
            .collect();
        if strays.is_empty() {
            return;
        }
        for pid in strays {
            // SAFETY: `pid` is our own child (parent checked above), not yet reaped, so it
            // cannot have been reused; waitpid on it with a valid status pointer.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                let mut status = 0;
                libc::waitpid(pid, &mut status, 0);
            }
        }
    }
    let _ = keep;
}

#[cfg(target_os = "linux")]
fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so cut at the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    static INSTALLED: AtomicBool = AtomicBool::new(false);

    /// On SIGINT/SIGTERM a watcher thread kills the tests' sessions, then the grader exits
    /// as the signal would have ended it.
    pub fn install() {
        // Relaxed: only makes `install` idempotent; nothing is published.
        if INSTALLED.swap(true, Ordering::Relaxed) {
            return;
        }
        let mut fds = [0i32; 2];
        // SAFETY: `fds` is a valid array for `pipe` to fill.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return;
        }
        WRITE_END.store(fds[1], Ordering::Relaxed);
        // SAFETY: `on_signal` is async-signal-safe (it only calls `write`); the handler
        // stays valid for the life of the process.
        unsafe {
            libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
            libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
        }
        let read_end = fds[0];
        std::thread::spawn(move || {
            let mut sig = [0u8; 1];
            // SAFETY: reads one byte into a valid buffer from our own pipe.
            let n = unsafe { libc::read(read_end, sig.as_mut_ptr().cast(), 1) };
            if n == 1 {
                super::kill_all();
                std::process::exit(128 + i32::from(sig[0]));
            }
        });
    }

    static WRITE_END: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

    extern "C" fn on_signal(sig: i32) {
        // Relaxed: the value was stored before the handler was installed.
        let fd = WRITE_END.load(Ordering::Relaxed);
        let byte = sig as u8;
        // SAFETY: `write` is async-signal-safe; one byte from a valid local.
        unsafe {
            libc::write(fd, (&raw const byte).cast(), 1);
        }
    }
}

/// Reads what a finished test wrote on its proof pipe (bounded).
pub fn read_proof(mut pipe: impl Read) -> String {
    let mut buf = Vec::new();
    let _ = pipe.by_ref().take(64 * 1024).read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_line_proves_a_pass() {
        let expected = format!("{PROOF_PREFIX}{}", hex(&[0xab; SECRET_LEN]));
        assert!(proven(&expected, &format!("junk\n{expected}\n")));
        assert!(!proven(&expected, "katas-proof 00\n"));
        assert!(!proven(&expected, &format!("x{expected}")));
        assert!(!proven(&expected, ""));
    }

    #[test]
    fn secrets_differ() {
        assert_ne!(random_secret().unwrap(), random_secret().unwrap());
    }
}
