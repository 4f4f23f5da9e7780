//! The latency-katas grader as a library, so its stages can be tested one by one.
//!
//! The pipeline, one module per stage: [`curriculum`] (the ordered kata list) → [`progress`]
//! (what the learner passed) → [`build`] (cargo, JSON messages) → [`run`] (one process per
//! test, timeouts, capped output) → [`verdict`] (pass, fail, not started, timeout, crash, no
//! result) → [`report`] (lines for people, JSON for machines). [`suite`] strings build and run
//! together for one kata, and has [`replay`] rerun a loom model that raced with loom's
//! locations on; [`commands`] holds one module per command. [`hang`] asks gdb where a test
//! that is about to time out is stuck. [`bench`] reads divan's output for `cargo xtask bench`,
//! which measures and never grades. [`i18n`] holds the words for people, in English and
//! French.

pub mod bench;
pub mod build;
pub mod cli;
pub mod commands;
pub mod curriculum;
pub mod error;
pub mod exit;
pub mod hang;
pub mod i18n;
pub mod mutants;
pub mod progress;
pub mod replay;
pub mod report;
pub mod results;
pub mod run;
pub mod sandbox;
pub mod scratch;
pub mod suite;
pub mod text;
pub mod translations;
pub mod verdict;
pub mod workspace;
