//! The suite of 04-object-pool as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "alloc_steady_state.rs"]
mod alloc_steady_state;

#[cfg(not(loom))]
#[path = "basics.rs"]
mod basics;

#[cfg(not(loom))]
#[path = "edge_cases.rs"]
mod edge_cases;

#[cfg(loom)]
#[path = "loom_pool.rs"]
mod loom_pool;

#[cfg(not(loom))]
#[path = "model.rs"]
mod model;
