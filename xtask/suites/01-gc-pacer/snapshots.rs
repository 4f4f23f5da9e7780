//! The trade-off as a table: cycles and peak heap of the order-service trace under each GOGC.
//! The expected tables are in `snapshots/` and in the README.

use gc_pacer::{MIB, gogc_table, order_service_trace};

#[testkit::check]
#[test]
fn gogc_table_for_the_order_service() {
    let table = gogc_table(&order_service_trace(), None);
    insta::assert_snapshot!("gogc_table_for_the_order_service", table);
}

#[testkit::check]
#[test]
fn gogc_table_for_the_order_service_with_a_64_mib_limit() {
    let table = gogc_table(&order_service_trace(), Some(64 * MIB));
    insta::assert_snapshot!(
        "gogc_table_for_the_order_service_with_a_64_mib_limit",
        table
    );
}
