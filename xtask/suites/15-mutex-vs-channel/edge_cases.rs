//! Both books on small, hand-checked fill streams, from one thread.

use mutex_vs_channel::{ChannelBook, Fill, Key, MutexBook, Position, Snapshot};
use rstest::rstest;

const ES: Key = Key::new(1, 10);
const NQ: Key = Key::new(1, 20);
const ES_OTHER_ACCOUNT: Key = Key::new(2, 10);

const fn pos(net_qty: i64, cash: i64, fills: u64) -> Position {
    Position {
        net_qty,
        cash,
        fills,
    }
}

/// Fifty keys, filled in a scrambled order; key `i` gets one buy of `i + 1` lots at 100.
fn many_keys() -> (Vec<Fill>, Snapshot) {
    let key = |i: u32| Key::new(i % 5, 100 - i);
    let fills = (0..50)
        .map(|n| (n * 37) % 50)
        .map(|i| Fill::buy(key(i), i64::from(i) + 1, 100))
        .collect();
    let mut expected: Snapshot = (0..50)
        .map(|i| (key(i), pos(i64::from(i) + 1, -100 * (i64::from(i) + 1), 1)))
        .collect();
    expected.sort_by_key(|&(key, _)| key);
    (fills, expected)
}

fn empty_stream() -> (Vec<Fill>, Snapshot) {
    (vec![], vec![])
}

fn one_fill() -> (Vec<Fill>, Snapshot) {
    (
        vec![Fill::sell(ES, 2, 4_500)],
        vec![(ES, pos(-2, 9_000, 1))],
    )
}

fn flat_after_opposite_fills() -> (Vec<Fill>, Snapshot) {
    (
        vec![Fill::buy(ES, 3, 100), Fill::sell(ES, 3, 104)],
        vec![(ES, pos(0, 12, 2))],
    )
}

fn two_keys_interleaved() -> (Vec<Fill>, Snapshot) {
    (
        vec![
            Fill::buy(NQ, 1, 20_000),
            Fill::buy(ES, 2, 5_000),
            Fill::sell(NQ, 3, 20_010),
            Fill::sell(ES, 1, 5_002),
        ],
        vec![(ES, pos(1, -4_998, 2)), (NQ, pos(-2, 40_030, 2))],
    )
}

fn same_symbol_in_two_accounts() -> (Vec<Fill>, Snapshot) {
    (
        vec![Fill::buy(ES_OTHER_ACCOUNT, 1, 50), Fill::buy(ES, 1, 60)],
        vec![(ES, pos(1, -60, 1)), (ES_OTHER_ACCOUNT, pos(1, -50, 1))],
    )
}

fn run_mutex_book(fills: &[Fill]) -> Snapshot {
    let book = MutexBook::new();
    for &fill in fills {
        book.apply(fill);
    }
    book.snapshot()
}

fn run_channel_book(fills: &[Fill]) -> Snapshot {
    let book = ChannelBook::new();
    let handle = book.handle();
    for &fill in fills {
        handle
            .apply(fill)
            .unwrap_or_else(|fill| panic!("apply({fill:?}) returned Err on a running book"));
    }
    book.shutdown()
}

#[testkit::check]
#[rstest]
#[case::empty_stream(empty_stream())]
#[case::one_fill(one_fill())]
#[case::flat_after_opposite_fills(flat_after_opposite_fills())]
#[case::two_keys_interleaved(two_keys_interleaved())]
#[case::same_symbol_in_two_accounts(same_symbol_in_two_accounts())]
#[case::many_keys_sorted_by_key(many_keys())]
fn mutex_book_snapshot_is_exact(#[case] stream: (Vec<Fill>, Snapshot)) {
    let (fills, expected) = stream;
    let got = run_mutex_book(&fills);
    assert_eq!(
        got, expected,
        "MutexBook::snapshot after applying {fills:?}:\n expected {expected:?}\n      got {got:?}\n\
         (one entry per key ever filled, flat ones included, sorted by (account, symbol))"
    );
}

#[testkit::check]
#[rstest]
#[case::empty_stream(empty_stream())]
#[case::one_fill(one_fill())]
#[case::flat_after_opposite_fills(flat_after_opposite_fills())]
#[case::two_keys_interleaved(two_keys_interleaved())]
#[case::same_symbol_in_two_accounts(same_symbol_in_two_accounts())]
#[case::many_keys_sorted_by_key(many_keys())]
fn channel_book_shutdown_snapshot_is_exact(#[case] stream: (Vec<Fill>, Snapshot)) {
    let (fills, expected) = stream;
    let got = run_channel_book(&fills);
    assert_eq!(
        got, expected,
        "ChannelBook::shutdown after one handle applied {fills:?}:\n expected {expected:?}\n      got {got:?}\n\
         (one entry per key ever filled, flat ones included, sorted by (account, symbol))"
    );
}

#[testkit::check]
#[test]
fn mutex_book_position_of_an_unfilled_key_is_none() {
    let book = MutexBook::new();
    book.apply(Fill::buy(ES, 1, 100));
    assert_eq!(
        book.position(ES),
        Some(pos(1, -100, 1)),
        "position(ES) after one buy of 1 at 100"
    );
    let got = book.position(NQ);
    assert_eq!(
        got, None,
        "position of a key never filled: expected None, got {got:?}"
    );
}

#[testkit::check]
#[test]
fn mutex_book_clones_share_one_book() {
    let book = MutexBook::new();
    let clone = book.clone();
    clone.apply(Fill::buy(ES, 2, 100));
    book.apply(Fill::sell(ES, 1, 101));
    let expected = vec![(ES, pos(1, -99, 2))];
    for (name, b) in [("the original", &book), ("the clone", &clone)] {
        let got = b.snapshot();
        assert_eq!(
            got, expected,
            "one fill through the original and one through a clone: {name}'s snapshot is {got:?}, expected {expected:?}"
        );
    }
}

#[testkit::check]
#[test]
fn a_handle_reads_its_own_fills() {
    let book = ChannelBook::new();
    let handle = book.handle();
    for price in [100, 101, 102] {
        handle.apply(Fill::buy(ES, 1, price)).unwrap();
    }
    let got = handle.position(ES);
    assert_eq!(
        got,
        Some(pos(3, -303, 3)),
        "handle.position(ES) right after the same handle sent three buys: the question queues \
         behind the fills, so the answer must include all three"
    );
    let got = handle.position(NQ);
    assert_eq!(
        got, None,
        "position of a key never filled: expected None, got {got:?}"
    );
    drop(book);
}

#[testkit::check]
#[test]
fn a_handle_reads_fills_sent_by_a_joined_thread() {
    let book = ChannelBook::new();
    let producer = book.handle();
    std::thread::spawn(move || {
        producer.apply(Fill::sell(NQ, 5, 20_000)).unwrap();
        producer.apply(Fill::buy(NQ, 1, 19_990)).unwrap();
    })
    .join()
    .unwrap();
    let got = book.handle().position(NQ);
    assert_eq!(
        got,
        Some(pos(-4, 80_010, 2)),
        "a new handle asked after the producer thread was joined: its fills were sent first"
    );
    drop(book);
}

#[testkit::check]
#[test]
fn handle_clones_feed_the_same_owner() {
    let book = ChannelBook::new();
    let first = book.handle();
    let clone = first.clone();
    let second = book.handle();
    first.apply(Fill::buy(ES, 1, 10)).unwrap();
    clone.apply(Fill::buy(ES, 2, 11)).unwrap();
    second.apply(Fill::buy(ES, 4, 12)).unwrap();
    let asked = clone.position(ES);
    let snapshot = book.shutdown();
    let expected = pos(7, -80, 3);
    assert_eq!(
        asked,
        Some(expected),
        "position asked through a clone after fills from a handle, its clone and a second handle"
    );
    assert_eq!(
        snapshot,
        vec![(ES, expected)],
        "shutdown after fills from a handle, its clone and a second handle"
    );
}
