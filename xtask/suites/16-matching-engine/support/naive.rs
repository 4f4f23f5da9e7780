//! The naive model the engine is checked against: a `BTreeMap` of price levels per side, each
//! a `VecDeque` of (id, qty), oldest first. Slow and obvious; the same rules as the README.

#![allow(dead_code)] // each suite file uses part of it

use std::collections::{BTreeMap, VecDeque};

use matching_engine::{Event, LevelView, Msg, OrderId, Price, Qty, Reject, Side};
use seqlock::Snapshot;

/// The model book.
#[derive(Debug, Clone)]
pub struct Naive {
    pub capacity: usize,
    pub max_price: Price,
    pub bids: BTreeMap<Price, VecDeque<(OrderId, Qty)>>,
    pub asks: BTreeMap<Price, VecDeque<(OrderId, Qty)>>,
}

impl Naive {
    pub fn new(capacity: usize, max_price: Price) -> Naive {
        Naive {
            capacity,
            max_price,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
        }
    }

    fn resting(&self) -> usize {
        self.bids
            .values()
            .chain(self.asks.values())
            .map(VecDeque::len)
            .sum()
    }

    fn live(&self, id: OrderId) -> bool {
        self.bids
            .values()
            .chain(self.asks.values())
            .any(|q| q.iter().any(|&(o, _)| o == id))
    }

    /// The events of `msg`, applying it.
    pub fn process(&mut self, msg: Msg) -> Vec<Event> {
        let mut out = Vec::new();
        match msg {
            Msg::Limit {
                id,
                side,
                price,
                qty,
            } => {
                let reason = if qty == 0 {
                    Some(Reject::BadQty)
                } else if price == 0 || price > self.max_price {
                    Some(Reject::BadPrice)
                } else if self.live(id) {
                    Some(Reject::DuplicateId)
                } else if self.resting() >= self.capacity {
                    Some(Reject::BookFull)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    out.push(Event::Rejected { id, reason });
                    return out;
                }
                out.push(Event::Accepted { id });
                let left = self.take(id, side, Some(price), qty, &mut out);
                if left > 0 {
                    let book = match side {
                        Side::Buy => &mut self.bids,
                        Side::Sell => &mut self.asks,
                    };
                    book.entry(price).or_default().push_back((id, left));
                }
            }
            Msg::Market { id, side, qty } => {
                let reason = if qty == 0 {
                    Some(Reject::BadQty)
                } else if self.live(id) {
                    Some(Reject::DuplicateId)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    out.push(Event::Rejected { id, reason });
                    return out;
                }
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
                out.push(Event::Rejected {
                    id,
                    reason: Reject::UnknownId,
                });
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
            let book = match side {
                Side::Buy => &mut self.asks,
                Side::Sell => &mut self.bids,
            };
            let level = book.get_mut(&price).unwrap();
            let (maker, resting) = level.front_mut().unwrap();
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

    pub fn top(&self) -> Snapshot {
        let (bid, bid_size) = self
            .bids
            .last_key_value()
            .map_or((0, 0), |(&p, q)| (p, q.iter().map(|o| o.1).sum()));
        let (ask, ask_size) = self
            .asks
            .first_key_value()
            .map_or((0, 0), |(&p, q)| (p, q.iter().map(|o| o.1).sum()));
        Snapshot {
            bid,
            ask,
            bid_size,
            ask_size,
        }
    }

    pub fn levels(&self, side: Side) -> Vec<LevelView> {
        let view = |(&p, q): (&Price, &VecDeque<(OrderId, Qty)>)| (p, q.iter().copied().collect());
        match side {
            Side::Buy => self.bids.iter().rev().map(view).collect(),
            Side::Sell => self.asks.iter().map(view).collect(),
        }
    }
}
