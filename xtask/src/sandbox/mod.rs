//! The trust boundary: everything that keeps code under test from earning a grade it did not
//! earn lives here, so it can be read in one place.
//!
//! Code in a learner's `katas/` folder is hostile input in `check` and `grade`. The grader
//! proves every pass itself and never lets that code steer the build or touch the world:
//!
//! | defence | stops | where |
//! |---|---|---|
//! | a fresh secret per test process on an inherited pipe, taken by `#[testkit::check]` before the body runs; a pass needs the proof written after the body returned | forged libtest output, `exit(0)`, forging panic hooks, signals | [`process`], `testkit::proof` |
//! | the learner's `src/` scanned before the build | `#[link_section]` constructors, `#[no_mangle]` symbol replacement, an allocator of the kata's own, `extern crate` of undeclared crates, `include!`/`#[path]` outside `src/`, symbolic links | [`source`] |
//! | a sealed workspace: only `src/` is the learner's; manifests generated, lock file, support crates and suites from the course, copied | `build.rs`, proc-macros, extra or path dependencies, `[[test]] harness = false`, an edited test kit | [`seal`] |
//! | cargo run without steering variables, with foreign `.cargo/config.toml` refused | `RUSTC_WRAPPER`, `RUSTFLAGS`, `build.rustc-wrapper`, `[env]`, `[patch]` | [`seal`] |
//! | suites copied read-only and fingerprinted before the build and after the run | a test rewriting a suite (or the teacher's folder) | [`seal`] |
//! | each test in its own session, killed whole at the end; stray orphans reaped | processes that outlive the run | [`process`] |
//! | a throwaway working directory and `HOME`, an allowlisted environment | rewriting the progress file or suites by relative path, reading CI tokens, writing `GITHUB_OUTPUT` | [`process`] |
//! | an address-space limit, no core dumps | a memory hog taking the machine down | [`process`] |
//! | output stripped of escape sequences and control characters | a test rewriting the terminal or breaking `junit.xml` | `crate::text` |
//!
//! Honest limits (README, "For teachers"): a student controls their own repository's
//! workflow file, and code that reads process memory (its own, or another process's where
//! the operating system allows it) could find a secret.

pub mod process;
pub mod seal;
pub mod source;
