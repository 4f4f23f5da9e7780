//! The arithmetic of one position: every field is a plain integer sum over the fills.

use mutex_vs_channel::Position;
use rstest::rstest;

/// A fresh position after applying `(qty, price)` fills in order.
fn after(fills: &[(i64, i64)]) -> Position {
    let mut position = Position::default();
    for &(qty, price) in fills {
        position.apply(qty, price);
    }
    position
}

const fn pos(net_qty: i64, cash: i64, fills: u64) -> Position {
    Position {
        net_qty,
        cash,
        fills,
    }
}

#[testkit::check]
#[rstest]
#[case::one_buy(&[(5, 100)], pos(5, -500, 1))]
#[case::one_sell(&[(-5, 100)], pos(-5, 500, 1))]
#[case::round_trip_at_a_profit(&[(3, 100), (-3, 104)], pos(0, 12, 2))]
#[case::round_trip_at_a_loss(&[(3, 100), (-3, 97)], pos(0, -9, 2))]
#[case::short_then_cover_lower(&[(-4, 250), (4, 240)], pos(0, 40, 2))]
#[case::partial_close(&[(10, 50), (-4, 55)], pos(6, -280, 2))]
#[case::flip_from_long_to_short(&[(2, 10), (-5, 12)], pos(-3, 40, 2))]
#[case::same_fill_twice(&[(1, 7), (1, 7)], pos(2, -14, 2))]
fn a_position_is_the_sum_of_its_fills(#[case] fills: &[(i64, i64)], #[case] expected: Position) {
    let got = after(fills);
    assert_eq!(
        got, expected,
        "after applying (qty, price) fills {fills:?} to a default Position: expected {expected:?}, got {got:?} \
         (net_qty = sum of qty, cash = sum of -qty * price, fills = how many)"
    );
}

#[testkit::check]
#[test]
fn the_order_of_fills_does_not_change_a_position() {
    let fills = [(5, 100), (-2, 110), (-7, 95), (4, 101)];
    let forward = after(&fills);
    let mut reversed = fills;
    reversed.reverse();
    let backward = after(&reversed);
    assert_eq!(
        forward, backward,
        "the same fills in opposite orders gave {forward:?} and {backward:?}: \
         every field must be a plain sum, so two producer threads may apply fills in any order"
    );
}

#[testkit::check]
#[rstest]
#[case::long_marked_at_cost(&[(5, 100)], 100, 0)]
#[case::long_marked_up(&[(5, 100)], 110, 50)]
#[case::long_marked_down(&[(5, 100)], 90, -50)]
#[case::short_marked_down(&[(-2, 100)], 90, 20)]
#[case::flat_is_realized_at_any_mark(&[(3, 100), (-3, 104)], 1_000_000, 12)]
fn pnl_values_the_open_lots_at_the_mark(
    #[case] fills: &[(i64, i64)],
    #[case] mark: i64,
    #[case] expected: i64,
) {
    let position = after(fills);
    let got = position.pnl_at(mark);
    assert_eq!(
        got, expected,
        "pnl_at({mark}) after fills {fills:?} (position {position:?}): expected {expected}, got {got}"
    );
}
