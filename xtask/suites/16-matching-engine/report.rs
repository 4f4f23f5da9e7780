//! The latency report: p50, p99, p99.9 and max of the engine's histogram, with a fake clock so
//! the numbers are the same on every machine.

#[path = "support/flow.rs"]
mod flow;

use matching_engine::{Clock, Engine, LatencyReport};

/// A clock for an engine that reads it exactly twice per message (before and after): message
/// `k` takes 150 to 345 ns, every 50th 4.2 µs, every 500th 1.3 ms.
struct Fake {
    calls: u64,
    now: u64,
}

impl Clock for Fake {
    fn now(&mut self) -> u64 {
        let k = self.calls / 2;
        if self.calls % 2 == 1 {
            self.now += match k {
                _ if k % 500 == 499 => 1_300_000,
                _ if k % 50 == 49 => 4_200,
                _ => 150 + (k * 37) % 196,
            };
        } else {
            self.now += 1_000;
        }
        self.calls += 1;
        self.now
    }
}

#[testkit::check]
#[test]
fn the_latency_report_of_a_fake_clock() {
    let mut gateway =
        matching_engine::spawn(Engine::new(256, 2_000), 64, Fake { calls: 0, now: 0 });
    for m in flow::flow(2_000, 5, 1_000) {
        gateway.send(m, &mut |_| {});
    }
    let (_, latencies) = gateway.shutdown(&mut |_| {});
    insta::assert_snapshot!(LatencyReport::of(&latencies).to_string());
}

/// A clock for which every message takes 20 s: longer than the histogram tracks (10 s).
struct Stuck {
    now: u64,
}

impl Clock for Stuck {
    fn now(&mut self) -> u64 {
        self.now += 20_000_000_000;
        self.now
    }
}

#[testkit::check]
#[test]
fn a_latency_above_the_histogram_range_is_recorded_at_its_top() {
    let mut gateway = matching_engine::spawn(Engine::new(256, 2_000), 8, Stuck { now: 0 });
    for m in flow::flow(3, 5, 1_000) {
        gateway.send(m, &mut |_| {});
    }
    let (_, latencies) = gateway.shutdown(&mut |_| {});
    let top = latencies.highest_equivalent(latencies.highest_trackable());
    assert_eq!(
        (latencies.len(), latencies.max()),
        (3, top),
        "(samples, max) after 3 messages of 20 s each: each is clamped to the histogram's \
         highest trackable value (10 s), so 3 samples and the top of the range; a refused \
         record would leave the message without a sample"
    );
}
