//! The proof that a check's body returned: the trusted half of the grader's pass rule.
//!
//! The grader starts each test process with two inherited pipe ends, named in
//! [`FDS_VAR`] as `READ:WRITE`: it has written a fresh random secret into the first and reads
//! the second. [`Proof::take`] runs first thing in every suite test (the `#[testkit::check]`
//! attribute puts it there), before any code under test: it reads the secret and closes that
//! pipe. [`Proof::returned`] runs only after the body returned normally and writes
//! `katas-proof <secret in hex>` to the second pipe. The grader counts a pass only with that
//! line, so code under test that prints libtest's summary, exits with status 0, installs a
//! panic hook or raises a signal earns nothing: it never saw the secret.
//!
//! Without [`FDS_VAR`] (a plain `cargo test`) nothing is read or written.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;

/// Environment variable naming the two descriptors, `READ:WRITE`.
pub const FDS_VAR: &str = "KATAS_PROOF_FDS";
/// Bytes in a secret.
pub const SECRET_LEN: usize = 32;
/// What starts the proof line.
pub const PROOF_PREFIX: &str = "katas-proof ";

/// A check in progress: holds the secret until the body has returned.
#[must_use = "a check passes only once `returned` runs"]
pub struct Proof {
    secret: Option<([u8; SECRET_LEN], File)>,
}

impl Proof {
    /// Takes the secret (under the grader) and arms the gated allocator (see
    /// [`crate::alloc::Gated`]). Call it before any code under test runs.
    pub fn take() -> Self {
        let secret = std::env::var(FDS_VAR).ok().and_then(|v| take_secret(&v));
        crate::alloc::arm();
        Self { secret }
    }

    /// The body returned normally: write the proof. A body that panics, exits or hangs
    /// never gets here.
    pub fn returned(self, (): ()) {
        if let Some((secret, mut out)) = self.secret {
            let line = format!("{PROOF_PREFIX}{}\n", hex(&secret));
            let _ = out.write_all(line.as_bytes());
        }
    }
}

fn take_secret(fds: &str) -> Option<([u8; SECRET_LEN], File)> {
    let (read, write) = fds.split_once(':')?;
    let (read, write): (i32, i32) = (read.parse().ok()?, write.parse().ok()?);
    if read < 3 || write < 3 || read == write {
        return None;
    }
    // SAFETY: the grader opened these two descriptors for this process and nothing else in
    // it knows of them: this is the first code of the check to run, and each is owned once.
    let (mut input, output) = unsafe { (File::from_raw_fd(read), File::from_raw_fd(write)) };
    let mut secret = [0u8; SECRET_LEN];
    input.read_exact(&mut secret).ok()?;
    drop(input);
    Some((secret, output))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
