//! The suite of 14-order-book as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "basics.rs"]
mod basics;

#[cfg(not(loom))]
#[path = "invariants.rs"]
mod invariants;

#[cfg(loom)]
#[path = "loom_top.rs"]
mod loom_top;

#[cfg(not(loom))]
#[path = "model.rs"]
mod model;

#[cfg(not(loom))]
#[path = "send_sync.rs"]
mod send_sync;

#[cfg(not(loom))]
#[path = "shared.rs"]
mod shared;

#[cfg(not(loom))]
#[path = "snapshots.rs"]
mod snapshots;
