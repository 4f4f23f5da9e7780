//! The suite's own copy of `vwap_slow`, the same text as the one in the kata's `src/lib.rs`:
//! the checks compare against this copy, so editing the kata's copy changes no verdict.

use std::collections::HashMap;

use hot_path::{Symbol, SymbolVwap, Trade};

/// Per-symbol totals of `trades`, one row per distinct symbol, sorted by symbol: the oracle.
pub fn vwap_slow(trades: &[Trade]) -> Vec<SymbolVwap> {
    // Group the trades by symbol, then add up each group.
    let mut by_symbol: HashMap<String, Vec<Trade>> = HashMap::new();
    for trade in trades {
        let key = format!("{}", trade.symbol);
        if !by_symbol.contains_key(&key) {
            by_symbol.insert(key.clone(), Vec::new());
        }
        by_symbol
            .get_mut(&key)
            .expect("inserted above")
            .push(*trade);
    }
    let mut rows = Vec::new();
    for (key, group) in by_symbol {
        let volume: u64 = group.iter().map(|t| u64::from(t.qty)).sum();
        let notional: u128 = group
            .iter()
            .map(|t| u128::from(t.price) * u128::from(t.qty))
            .sum();
        rows.push(SymbolVwap {
            symbol: Symbol::new(&key).expect("every key was formatted from a symbol"),
            trades: u32::try_from(group.len()).expect("fewer than 2^32 trades per batch"),
            volume,
            notional,
        });
    }
    rows.sort_by_key(|row| row.symbol.to_string());
    rows
}
