//! The suite of 03-alloc-meter as one test binary: each file below is a module, so its checks keep
//! their `file/test` names (`#[path]` keeps the files' own `#[path]` modules relative to this
//! folder). Written by `cargo xtask verify --bless`.

// A support file may be a module of several suite files, each with its own copy, so that
// every suite file reads on its own.
#![allow(clippy::duplicate_mod)]

#[cfg(not(loom))]
#[path = "alloc_growth.rs"]
mod alloc_growth;

#[cfg(not(loom))]
#[path = "alloc_known_cases.rs"]
mod alloc_known_cases;

#[cfg(not(loom))]
#[path = "alloc_nesting.rs"]
mod alloc_nesting;

#[cfg(not(loom))]
#[path = "alloc_threads.rs"]
mod alloc_threads;
