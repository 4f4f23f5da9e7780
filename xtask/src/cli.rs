//! The command line: every command of the public contract.

use clap::{Parser, Subcommand, ValueEnum};

/// The latency-katas grader.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Grades the latency-katas: fill a todo!(), run `cargo xtask check`, repeat.",
    after_help = "Without a command: where you are and what to type next."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The language of the grader's words (default: KATAS_LANG, then the locale, then
    /// English).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<crate::i18n::Lang>,
}

/// Output formats of `verify` and `bench`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people.
    Human,
    /// One JSON document on stdout.
    Json,
}

/// Output formats of `grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GradeFormat {
    /// A line per kata and the score.
    Human,
    /// The results document (Exercism v3 + GitHub Classroom fields).
    Json,
    /// JUnit XML.
    Junit,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade the current kata (or SLUG, if unlocked); on a pass, unlock the next.
    Check {
        /// A kata: `04-object-pool`, `object-pool` or `04`.
        slug: Option<String>,
        /// Grade a locked kata anyway.
        #[arg(long)]
        force: bool,
    },
    /// Re-check the current kata every time you save.
    Watch {
        /// Poll for changes instead of using file events (WSL on a Windows drive, NFS).
        #[arg(long)]
        poll: bool,
    },
    /// Show the next hint for the current kata (or SLUG): one more per call.
    Hint {
        /// A kata.
        slug: Option<String>,
    },
    /// Every kata with its status.
    List,
    /// Restore a kata's stub (your version is backed up first).
    Reset {
        /// The kata to reset.
        slug: String,
        /// Do not ask.
        #[arg(long, short)]
        yes: bool,
    },
    /// Show the reference solution of a kata you have passed.
    Solution {
        /// The kata.
        slug: String,
    },
    /// Measure your code: the kata's benchmarks against your crate, with ns/op, allocs/op,
    /// bytes/op and ratios to the crates people use and to the reference (never grades).
    Bench {
        /// A kata: `12-spsc-ring`, `spsc-ring` or `12` (default: the current one).
        slug: Option<String>,
        /// Only benchmarks whose name contains this (with their baselines).
        #[arg(long)]
        filter: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Save this run under NAME (in target/katas-bench/), to compare with later.
        #[arg(long, value_name = "NAME")]
        save: Option<String>,
        /// Show the change of each benchmark since the run saved as NAME.
        #[arg(long, value_name = "NAME")]
        compare: Option<String>,
    },
    /// Authors: prove every kata honest (solutions pass, stubs fail as not started, mutants
    /// are rejected, loom included) and run the grader's own tests.
    Verify {
        /// Only this kata (skips the workspace-wide tests).
        slug: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Record what this run found, after you changed a suite on purpose: each kata's suite
        /// fingerprint (`suite_checksum` in xtask/curriculum.toml) and, in each mutant file, the
        /// check that rejected it (`Killed by:`, tried first next time).
        #[arg(long)]
        bless: bool,
    },
    /// Authors: measure a kata's suite with cargo-mutants over its reference solution (slow;
    /// never part of verify or CI). Misses listed as equivalent in xtask/AUTHORING.md are
    /// marked so.
    Mutants {
        /// Only this kata.
        slug: Option<String>,
        /// Seconds per test run of one mutant (cargo-mutants' --timeout).
        #[arg(long)]
        timeout: Option<u64>,
        /// Parallel cargo-mutants jobs (each builds its own copy of the tree).
        #[arg(short, long, default_value_t = 1)]
        jobs: usize,
        /// Do not run cargo-mutants: read its last run's results (`target/mutants-tool/`)
        /// and replay the timeouts under the grader again.
        #[arg(long)]
        replay: bool,
        /// Passed to cargo-mutants after `--`.
        #[arg(last = true)]
        extra: Vec<String>,
    },
    /// Teachers: write a copy of the course for students: no solutions/ (and, with
    /// --without-suites, no hidden suites).
    Export {
        /// Where to write it (must not exist yet).
        #[arg(long)]
        student: std::path::PathBuf,
        /// Leave out xtask/suites/ as well: students then grade only in CI.
        #[arg(long)]
        without_suites: bool,
    },
    /// Teachers: grade katas from scratch (never trusting the progress file) and write
    /// results for CI tools.
    Grade {
        /// Katas to grade (all when none is named).
        slugs: Vec<String>,
        /// Grade every kata of the curriculum (the default when no kata is named).
        #[arg(long, conflicts_with = "slugs")]
        all: bool,
        /// What to print on stdout.
        #[arg(long, value_enum, default_value_t = GradeFormat::Human)]
        format: GradeFormat,
        /// Also write results.json and junit.xml into this folder.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Grade against this copy of xtask/suites/ (or set KATAS_SUITES); the learner's copy
        /// is then ignored.
        #[arg(long)]
        suites: Option<std::path::PathBuf>,
        /// Grade the reference solutions instead of the katas: check that a (private) suite
        /// gives the reference full points.
        #[arg(long)]
        reference: bool,
        /// The learner's checkout to grade: only its `katas/*/src` are read; manifests,
        /// support crates and suites come from this course copy (default: this checkout).
        #[arg(long, value_name = "DIR", conflicts_with = "reference")]
        katas: Option<std::path::PathBuf>,
        /// Exit 0 once the results are written, even when checks fail or nothing could be
        /// graded (what an Exercism-style test runner must do; the results say the rest).
        #[arg(long)]
        exit_zero: bool,
    },
    /// Authors: scaffold a new kata (stub, solution, suite, manifest entry).
    New {
        /// `NN-name`, numbered after the last kata.
        slug: String,
        /// The kata's one-line title.
        #[arg(long, default_value = "TODO: a one-line title")]
        title: String,
        /// The seed topic it teaches.
        #[arg(long, default_value = "TODO: seed topic")]
        topic: String,
    },
}
