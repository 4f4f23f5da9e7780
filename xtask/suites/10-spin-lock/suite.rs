//! The suite of 10-spin-lock as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "backoff.rs"]
mod backoff;

#[cfg(not(loom))]
#[path = "lock.rs"]
mod lock;

#[cfg(loom)]
#[path = "loom_lock.rs"]
mod loom_lock;

#[cfg(loom)]
#[path = "loom_try_lock.rs"]
mod loom_try_lock;

#[cfg(not(loom))]
#[path = "panics.rs"]
mod panics;

#[cfg(not(loom))]
#[path = "send_sync.rs"]
mod send_sync;

#[cfg(not(loom))]
#[path = "threads.rs"]
mod threads;
