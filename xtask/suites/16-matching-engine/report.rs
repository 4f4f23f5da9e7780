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
