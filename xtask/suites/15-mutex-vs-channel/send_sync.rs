//! The README's auto-trait table: the values and `MutexBook` are `Send` and `Sync`;
//! `ChannelBook` and `BookHandle` are `Send` (their `Sync` is left to you).
//!
//! The answers are computed at compile time (`testkit::implements!`), so a type that lost one
//! fails this check with the row's name instead of stopping the suite from compiling.

use mutex_vs_channel::{BookHandle, ChannelBook, Fill, Key, MutexBook, Position};
use testkit::implements;
use testkit::traits::check_table;

#[testkit::check]
#[test]
fn the_types_are_send_and_the_shared_ones_sync() {
    // Judged only on positions that work: one fill of 2 lots at 10 ticks.
    let mut p = Position::default();
    p.apply(2, 10);
    assert_eq!(p.net_qty, 2, "apply(2, 10) adds 2 to net_qty");
    check_table(&[
        ("Key", "Send", true, implements!(Key: Send)),
        ("Key", "Sync", true, implements!(Key: Sync)),
        ("Fill", "Send", true, implements!(Fill: Send)),
        ("Fill", "Sync", true, implements!(Fill: Sync)),
        ("Position", "Send", true, implements!(Position: Send)),
        ("Position", "Sync", true, implements!(Position: Sync)),
        ("MutexBook", "Send", true, implements!(MutexBook: Send)),
        ("MutexBook", "Sync", true, implements!(MutexBook: Sync)),
        ("ChannelBook", "Send", true, implements!(ChannelBook: Send)),
        ("BookHandle", "Send", true, implements!(BookHandle: Send)),
    ]);
}
