//! The suite of 07-cycle-clock as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "conversion.rs"]
mod conversion;

#[cfg(not(loom))]
#[path = "readings.rs"]
mod readings;

#[cfg(not(loom))]
#[path = "robust_calibration.rs"]
mod robust_calibration;

#[cfg(not(loom))]
#[path = "stopwatch.rs"]
mod stopwatch;
