//! A deterministic order flow shaped like an exchange's: about 65% cancels, 25% new limit
//! orders resting near the top, 10% orders that trade (limits through the spread, markets).

#![allow(dead_code)] // each suite file uses part of it

use matching_engine::{Msg, Side};

/// `n` messages from the flow with seed `seed`, on prices around `mid` (at least 12).
pub fn flow(n: usize, seed: u64, mid: u64) -> Vec<Msg> {
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64: fast, deterministic.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut live: Vec<u64> = Vec::new();
    let mut id = 0u64;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let r = next();
        let side = if r & 1 == 0 { Side::Buy } else { Side::Sell };
        let qty = 1 + (r >> 8) % 5;
        let roll = (r >> 16) % 100;
        if roll < 65 && !live.is_empty() {
            let i = ((r >> 24) as usize) % live.len();
            out.push(Msg::Cancel {
                id: live.swap_remove(i),
            });
        } else if roll < 90 {
            id += 1;
            let away = 1 + (r >> 32) % 10;
            let price = match side {
                Side::Buy => mid - away,
                Side::Sell => mid + away,
            };
            live.push(id);
            out.push(Msg::Limit {
                id,
                side,
                price,
                qty,
            });
        } else {
            id += 1;
            if r & 2 == 0 {
                out.push(Msg::Market { id, side, qty });
            } else {
                let price = match side {
                    Side::Buy => mid + 3,
                    Side::Sell => mid - 3,
                };
                out.push(Msg::Limit {
                    id,
                    side,
                    price,
                    qty,
                });
            }
        }
    }
    out
}
