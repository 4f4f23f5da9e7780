//! Models of the tools that read `cargo xtask grade`'s results, each written from the tool's
//! own source or specification, so the grader's tests can feed them every class state.

#![allow(dead_code)]

pub mod classroom_reporter;
pub mod exercism;
pub mod junit_xsd;
pub mod xml;
