//! The suite of 16-matching-engine as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "alloc_steady.rs"]
mod alloc_steady;

#[cfg(not(loom))]
#[path = "book.rs"]
mod book;

#[cfg(loom)]
#[path = "loom_pipeline.rs"]
mod loom_pipeline;

#[cfg(not(loom))]
#[path = "model.rs"]
mod model;

#[cfg(not(loom))]
#[path = "report.rs"]
mod report;

#[cfg(not(loom))]
#[path = "threads.rs"]
mod threads;
