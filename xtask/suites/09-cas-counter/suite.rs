//! The suite of 09-cas-counter as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "counter.rs"]
mod counter;

#[cfg(not(loom))]
#[path = "ids.rs"]
mod ids;

#[cfg(loom)]
#[path = "loom_counter.rs"]
mod loom_counter;

#[cfg(loom)]
#[path = "loom_ids.rs"]
mod loom_ids;

#[cfg(not(loom))]
#[path = "model.rs"]
mod model;

#[cfg(not(loom))]
#[path = "threads.rs"]
mod threads;
