//! The suite of 02-tricolor-gc as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "collector.rs"]
mod collector;

#[cfg(not(loom))]
#[path = "heap.rs"]
mod heap;

#[cfg(not(loom))]
#[path = "pauses.rs"]
mod pauses;

#[cfg(not(loom))]
#[path = "properties.rs"]
mod properties;
