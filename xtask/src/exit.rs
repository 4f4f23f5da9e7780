//! Exit codes: the public contract of every command.

/// Everything checked passed (or the command simply did its job).
pub const SUCCESS: i32 = 0;
/// The grader ran and some check failed (a verdict other than pass, or a mutant survived).
pub const CHECKS_FAILED: i32 = 1;
/// Could not grade: the code does not compile, or the grader itself could not do its job
/// (bad input, missing tool, corrupt file). Also what clap uses for usage errors.
pub const CANNOT_GRADE: i32 = 2;
