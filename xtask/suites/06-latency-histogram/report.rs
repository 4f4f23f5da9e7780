//! Why the mean lies: the gateway workload's quantile table, as measured and corrected for
//! coordinated omission. The expected table is in `snapshots/` and in the README.

use latency_histogram::{GATEWAY_INTERVAL_NS, Histogram, gateway_latencies, latency_table};

#[testkit::check]
#[test]
fn latency_table_for_the_gateway_workload() {
    let mut measured = Histogram::default();
    let mut corrected = Histogram::default();
    for latency in gateway_latencies() {
        measured
            .record(latency)
            .expect("every gateway latency is below an hour");
        corrected
            .record_corrected(latency, GATEWAY_INTERVAL_NS)
            .expect("every gateway latency is below an hour");
    }
    let table = latency_table(&[("as measured", &measured), ("corrected", &corrected)]);
    insta::assert_snapshot!("latency_table_for_the_gateway_workload", table);
}
