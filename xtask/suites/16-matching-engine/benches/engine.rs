//! Your engine (`yours`: the crate under test, the kata or the reference) against the naive
//! model engine (a `BTreeMap` of price levels per side, each a `VecDeque`, events in a `Vec`
//! per message), on the same workloads in the same run:
//!
//! - `passive_insert`: 1 000 limit orders that rest (no trade);
//! - `aggressive_fill`: 1 000 limit orders, each filling one resting order;
//! - `sweep`: 10 market orders, each sweeping 10 levels of 10 orders;
//! - `cancel`: 1 000 cancels of resting orders, in random order;
//! - `mixed`: an exchange-like flow, 65% cancel, 25% insert, 10% trade.
//!
//! Counters are per message. After divan's table, `end to end` sends 100 000 messages one at a
//! time through the rings to the engine thread and back (`spawn`, `send`, wait for the first
//! event) and prints the round trip's p50/p99/p99.9/max.
//!
//! Run with `cargo xtask bench 16` (your engine, with ratios to the naive one and to the
//! reference) or `cargo bench -p matching-engine-solution` (the reference alone).

use std::collections::{BTreeMap, VecDeque};
use std::hint::black_box;
use std::time::Instant;

use divan::counter::ItemsCount;
use divan::{AllocProfiler, Bencher, bench};
use matching_engine::{Engine, Event, LatencyReport, Monotonic, Msg, OrderId, Price, Qty, Side};

// Counts allocations per message, like `go test -benchmem`.
#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
    // Only on a plain `cargo bench`: `cargo xtask bench` lists and runs one benchmark at a time.
    if std::env::args().skip(1).all(|a| a == "--bench") {
        end_to_end();
    }
}

const MID: Price = 1_000;
const MAX_PRICE: Price = 2_000;
const CAPACITY: usize = 16_384;

/// What both engines offer.
trait Book {
    fn create() -> Self;
    fn handle(&mut self, msg: Msg, out: &mut u64);
}

impl Book for Engine {
    fn create() -> Self {
        Engine::new(CAPACITY, MAX_PRICE)
    }
    fn handle(&mut self, msg: Msg, out: &mut u64) {
        self.process(msg, |e| *out += u64::from(matches!(e, Event::Fill { .. })));
    }
}

/// The naive model engine.
#[derive(Default)]
struct Naive {
    bids: BTreeMap<Price, VecDeque<(OrderId, Qty)>>,
    asks: BTreeMap<Price, VecDeque<(OrderId, Qty)>>,
}

impl Naive {
    fn process(&mut self, msg: Msg) -> Vec<Event> {
        let mut out = Vec::new();
        match msg {
            Msg::Limit {
                id,
                side,
                price,
                mut qty,
            } => {
                out.push(Event::Accepted { id });
                qty = self.take(id, side, Some(price), qty, &mut out);
                if qty > 0 {
                    let book = if side == Side::Buy {
                        &mut self.bids
                    } else {
                        &mut self.asks
                    };
                    book.entry(price).or_default().push_back((id, qty));
                }
            }
            Msg::Market { id, side, qty } => {
                out.push(Event::Accepted { id });
                let left = self.take(id, side, None, qty, &mut out);
                if left > 0 {
                    out.push(Event::Cancelled { id, qty: left });
                }
            }
            Msg::Cancel { id } => {
                for book in [&mut self.bids, &mut self.asks] {
                    let found = book.iter_mut().find_map(|(&p, q)| {
                        let i = q.iter().position(|&(o, _)| o == id)?;
                        Some((p, q.remove(i)?.1))
                    });
                    if let Some((price, qty)) = found {
                        if book[&price].is_empty() {
                            book.remove(&price);
                        }
                        out.push(Event::Cancelled { id, qty });
                        return out;
                    }
                }
            }
        }
        out
    }

    fn take(
        &mut self,
        taker: OrderId,
        side: Side,
        limit: Option<Price>,
        mut qty: Qty,
        out: &mut Vec<Event>,
    ) -> Qty {
        while qty > 0 {
            let best = match side {
                Side::Buy => self.asks.first_key_value().map(|(&p, _)| p),
                Side::Sell => self.bids.last_key_value().map(|(&p, _)| p),
            };
            let Some(price) = best else { break };
            let crosses = match (side, limit) {
                (_, None) => true,
                (Side::Buy, Some(l)) => price <= l,
                (Side::Sell, Some(l)) => price >= l,
            };
            if !crosses {
                break;
            }
            let book = if side == Side::Buy {
                &mut self.asks
            } else {
                &mut self.bids
            };
            let level = book.get_mut(&price).expect("best level");
            let (maker, resting) = level.front_mut().expect("non-empty level");
            let traded = qty.min(*resting);
            *resting -= traded;
            qty -= traded;
            out.push(Event::Fill {
                taker,
                maker: *maker,
                price,
                qty: traded,
            });
            if *resting == 0 {
                level.pop_front();
                if level.is_empty() {
                    book.remove(&price);
                }
            }
        }
        qty
    }
}

impl Book for Naive {
    fn create() -> Self {
        Naive::default()
    }
    fn handle(&mut self, msg: Msg, out: &mut u64) {
        *out += self.process(msg).len() as u64;
    }
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn limit(id: OrderId, side: Side, price: Price, qty: Qty) -> Msg {
    Msg::Limit {
        id,
        side,
        price,
        qty,
    }
}

/// (messages that set the book up, messages measured).
fn workload(name: &str) -> (Vec<Msg>, Vec<Msg>) {
    let mut r = 0x9e37_79b9_7f4a_7c15u64;
    match name {
        "passive_insert" => (
            Vec::new(),
            (0..1_000)
                .map(|i| limit(i, Side::Buy, MID - 1 - xorshift(&mut r) % 20, 5))
                .collect(),
        ),
        "aggressive_fill" => (
            (0..1_000)
                .map(|i| limit(i, Side::Sell, MID + 1 + i % 5, 1))
                .collect(),
            (0..1_000)
                .map(|i| limit(10_000 + i, Side::Buy, MID + 5, 1))
                .collect(),
        ),
        "sweep" => (
            (0..1_000)
                .map(|i| limit(i, Side::Sell, MID + 1 + i / 10, 1))
                .collect(),
            (0..10)
                .map(|i| Msg::Market {
                    id: 10_000 + i,
                    side: Side::Buy,
                    qty: 100,
                })
                .collect(),
        ),
        "cancel" => {
            let mut ids: Vec<OrderId> = (0..1_000).collect();
            for i in (1..ids.len()).rev() {
                ids.swap(i, (xorshift(&mut r) % (i as u64 + 1)) as usize);
            }
            (
                (0..1_000)
                    .map(|i| limit(i, Side::Buy, MID - 1 - i % 20, 5))
                    .collect(),
                ids.into_iter().map(|id| Msg::Cancel { id }).collect(),
            )
        }
        _ => {
            // A book with depth: 2 000 orders 11 to 100 ticks from the middle stay all along.
            let mut setup: Vec<Msg> = (0..2_000)
                .map(|i| {
                    let away = 11 + xorshift(&mut r) % 90;
                    let (side, price) = if i % 2 == 0 {
                        (Side::Buy, MID - away)
                    } else {
                        (Side::Sell, MID + away)
                    };
                    limit(1_000_000 + i, side, price, 5)
                })
                .collect();
            let all = flow(11_000, &mut r);
            setup.extend_from_slice(&all[..1_000]);
            (setup, all[1_000..].to_vec())
        }
    }
}

/// 65% cancels of live orders, 25% passive inserts near the top, 10% orders that trade.
fn flow(n: usize, r: &mut u64) -> Vec<Msg> {
    let mut live: Vec<OrderId> = Vec::new();
    let mut id = 0;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let x = xorshift(r);
        let side = if x & 1 == 0 { Side::Buy } else { Side::Sell };
        let qty = 1 + (x >> 8) % 5;
        let roll = (x >> 16) % 100;
        id += 1;
        if roll < 65 && !live.is_empty() {
            let i = ((x >> 24) as usize) % live.len();
            out.push(Msg::Cancel {
                id: live.swap_remove(i),
            });
        } else if roll < 90 {
            let away = 1 + (x >> 32) % 10;
            let price = if side == Side::Buy {
                MID - away
            } else {
                MID + away
            };
            live.push(id);
            out.push(limit(id, side, price, qty));
        } else {
            let price = if side == Side::Buy { MID + 3 } else { MID - 3 };
            out.push(limit(id, side, price, qty));
        }
    }
    out
}

fn run<B: Book>(bencher: Bencher, name: &str) {
    let (setup, msgs) = workload(name);
    bencher
        .counter(ItemsCount::new(msgs.len()))
        .with_inputs(|| {
            let mut book = B::create();
            let mut sink = 0;
            for &m in &setup {
                book.handle(m, &mut sink);
            }
            book
        })
        .bench_local_refs(|book| {
            let mut sink = 0;
            for &m in &msgs {
                book.handle(black_box(m), &mut sink);
            }
            black_box(sink)
        });
}

#[bench(args = ["passive_insert", "aggressive_fill", "sweep", "cancel", "mixed"])]
fn yours(bencher: Bencher, name: &str) {
    run::<Engine>(bencher, name);
}

#[bench(args = ["passive_insert", "aggressive_fill", "sweep", "cancel", "mixed"])]
fn naive(bencher: Bencher, name: &str) {
    run::<Naive>(bencher, name);
}

/// Round trips through the rings, one message at a time: gateway → engine thread → gateway.
fn end_to_end() {
    let mut r = 0x2545_f491_4f6c_dd1du64;
    let msgs = flow(110_000, &mut r);
    let mut gateway =
        matching_engine::spawn(Engine::new(CAPACITY, MAX_PRICE), 1_024, Monotonic::new());
    let mut trips = matching_engine::latency_histogram();
    for (i, &m) in msgs.iter().enumerate() {
        let start = Instant::now();
        let mut got = 0;
        gateway.send(m, &mut |_| got += 1);
        while got == 0 {
            gateway.poll(&mut |_| got += 1);
        }
        let ns = start.elapsed().as_nanos() as u64;
        if i >= 10_000 {
            let _ = trips.record(ns.min(trips.highest_trackable()));
        }
    }
    let (_, service) = gateway.shutdown(&mut |_| {});
    println!("\nend to end (round trip through both rings, 100 000 messages after 10 000):");
    print!("{}", LatencyReport::of(&trips));
    println!("engine service time per message (all 110 000):");
    print!("{}", LatencyReport::of(&service));
}
