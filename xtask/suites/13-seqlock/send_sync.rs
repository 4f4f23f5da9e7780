//! The README's auto-trait table: every public type is `Send` and `Sync`.
//!
//! The answers are computed at compile time (`testkit::implements!`), so a type that lost one
//! fails this check with the row's name instead of stopping the suite from compiling.

use seqlock::{SeqLock, Snapshot, WriteGuard};
use testkit::implements;
use testkit::traits::check_table;

#[testkit::check]
#[test]
fn every_public_type_is_send_and_sync() {
    // Judged only on a lock that works: a new lock's stamp is 0.
    assert_eq!(SeqLock::default().stamp(), 0, "a new lock has stamp 0");
    check_table(&[
        ("Snapshot", "Send", true, implements!(Snapshot: Send)),
        ("Snapshot", "Sync", true, implements!(Snapshot: Sync)),
        ("SeqLock", "Send", true, implements!(SeqLock: Send)),
        ("SeqLock", "Sync", true, implements!(SeqLock: Sync)),
        (
            "WriteGuard<'_>",
            "Send",
            true,
            implements!(WriteGuard<'static>: Send),
        ),
        (
            "WriteGuard<'_>",
            "Sync",
            true,
            implements!(WriteGuard<'static>: Sync),
        ),
    ]);
}
