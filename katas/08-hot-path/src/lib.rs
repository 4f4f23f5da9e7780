//! Per-symbol VWAP, twice: the way it was first written, and the way a hot path needs it.
//!
//! [`vwap_slow`] is correct and readable, and slow. [`VwapEngine`] returns exactly the same
//! answer, allocates nothing once it is warm, and is many times faster. Go finds what makes
//! code slow with `go test -bench . -benchmem` and `pprof`; Rust with a benchmark that counts
//! allocations, `perf` and a flame graph (see the README).

use std::collections::HashMap;
use std::fmt;

/// A ticker symbol: 1 to 8 printable ASCII characters, stored inline, padded with zero bytes.
///
/// `Copy`, no heap: the 8 bytes are the whole value. The derived order compares the padded
/// bytes, which is exactly the order of the strings (`"A" < "AA" < "AB" < "B"`), because
/// padding is a zero byte and every character is above zero.
///
/// # Examples
///
/// ```
/// use hot_path::Symbol;
///
/// let aapl = Symbol::new("AAPL").unwrap();
/// assert_eq!(aapl.as_str(), "AAPL");
/// assert_eq!(aapl.to_bytes(), *b"AAPL\0\0\0\0");
/// assert_eq!(aapl.to_string(), "AAPL");
/// assert!(Symbol::new("A").unwrap() < Symbol::new("AA").unwrap());
/// assert_eq!(Symbol::new(""), None); // too short
/// assert_eq!(Symbol::new("TOOLONGXX"), None); // too long
/// assert_eq!(Symbol::new("BRK B"), None); // a space is not printable here
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Symbol([u8; Symbol::MAX_LEN]);

impl Symbol {
    /// The longest symbol, in bytes.
    pub const MAX_LEN: usize = 8;

    /// The symbol spelled `s`, or `None` unless `s` has 1 to 8 characters, each printable
    /// ASCII (`'!'..='~'`: letters, digits, punctuation; no space).
    pub const fn new(s: &str) -> Option<Self> {
        let bytes = s.as_bytes();
        if bytes.is_empty() || bytes.len() > Self::MAX_LEN {
            return None;
        }
        let mut code = [0u8; Self::MAX_LEN];
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_graphic() {
                return None;
            }
            code[i] = bytes[i];
            i += 1;
        }
        Some(Self(code))
    }

    /// The characters, without the padding.
    pub fn as_str(&self) -> &str {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(Self::MAX_LEN);
        std::str::from_utf8(&self.0[..len]).expect("a symbol holds ASCII only")
    }

    /// The 8 stored bytes: the characters, then zero bytes up to 8.
    pub const fn to_bytes(self) -> [u8; Self::MAX_LEN] {
        self.0
    }
}

impl fmt::Display for Symbol {
    /// The characters; honours width and alignment (`{:<8}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Symbol({:?})", self.as_str())
    }
}

/// One print from the tape: `qty` shares of `symbol` changed hands at `price`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trade {
    /// What traded.
    pub symbol: Symbol,
    /// The price in ticks (integer fixed point: with a tick of 0.0001, 1_234_500 is 123.45).
    pub price: u64,
    /// How many shares; zero is allowed (a correction print) and counts as a trade.
    pub qty: u32,
}

/// The totals of one symbol over a batch of trades, from which its VWAP follows.
///
/// Every field is an exact integer, so two implementations agree bit for bit or not at all.
///
/// # Examples
///
/// ```
/// use hot_path::{Symbol, SymbolVwap};
///
/// let row = SymbolVwap {
///     symbol: Symbol::new("MSFT").unwrap(),
///     trades: 2,
///     volume: 300,               // 100 at 10 ticks, then 200 at 11 ticks
///     notional: 100 * 10 + 200 * 11,
/// };
/// assert_eq!(row.vwap(), Some(11)); // 3200 / 300 = 10.67, rounded to nearest
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymbolVwap {
    /// The symbol these totals are for.
    pub symbol: Symbol,
    /// Number of trades of this symbol in the batch (zero-quantity trades included).
    pub trades: u32,
    /// Sum of the quantities.
    pub volume: u64,
    /// Sum of `price × qty`, in ticks × shares; exact (a product is below 2^96, and a batch
    /// has fewer than 2^32 trades, so the sum fits a `u128`).
    pub notional: u128,
}

impl SymbolVwap {
    /// The volume-weighted average price in ticks, `notional / volume` rounded to nearest
    /// (halves round up), or `None` when the volume is zero.
    pub fn vwap(&self) -> Option<u64> {
        if self.volume == 0 {
            return None;
        }
        let volume = u128::from(self.volume);
        let (quotient, remainder) = (self.notional / volume, self.notional % volume);
        // `remainder >= volume - remainder` is `2 × remainder >= volume` without overflow.
        let rounded = quotient + u128::from(remainder >= volume - remainder);
        Some(u64::try_from(rounded).expect("an average price is at most the largest price"))
    }
}

/// The reference: per-symbol totals of `trades`, one row per distinct symbol, sorted by symbol.
///
/// This is the definition of the answer, written the obvious way. It is correct, it is
/// readable, and it is slow. Profile it before you guess why.
///
/// # Examples
///
/// ```
/// use hot_path::{Symbol, Trade, vwap_slow};
///
/// let (ibm, aapl) = (Symbol::new("IBM").unwrap(), Symbol::new("AAPL").unwrap());
/// let trades = [
///     Trade { symbol: ibm, price: 1_500, qty: 10 },
///     Trade { symbol: aapl, price: 2_000, qty: 5 },
///     Trade { symbol: ibm, price: 1_600, qty: 30 },
/// ];
/// let rows = vwap_slow(&trades);
/// assert_eq!(rows.len(), 2);
/// assert_eq!(rows[0].symbol, aapl); // sorted by symbol
/// assert_eq!((rows[1].trades, rows[1].volume, rows[1].notional), (2, 40, 63_000));
/// assert_eq!(rows[1].vwap(), Some(1_575));
/// ```
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

/// Per-symbol totals without allocating: the fast twin of [`vwap_slow`].
///
/// An engine owns the buffers a call needs and keeps them between calls. Once a call has
/// shown it every symbol (the warm-up), calls over those symbols allocate nothing, however many
/// trades they bring. Create one per thread and reuse it.
///
/// # Examples
///
/// ```
/// use hot_path::{Symbol, Trade, VwapEngine, vwap_slow};
///
/// let (ibm, aapl) = (Symbol::new("IBM").unwrap(), Symbol::new("AAPL").unwrap());
/// let trades = [
///     Trade { symbol: ibm, price: 1_500, qty: 10 },
///     Trade { symbol: aapl, price: 2_000, qty: 5 },
///     Trade { symbol: ibm, price: 1_600, qty: 30 },
/// ];
/// let mut engine = VwapEngine::new();
/// assert_eq!(engine.vwap(&trades), vwap_slow(&trades).as_slice());
/// assert_eq!(engine.vwap(&trades[..1]).len(), 1); // a new call forgets the previous batch
/// assert!(engine.vwap(&[]).is_empty());
/// ```
#[derive(Debug)]
pub struct VwapEngine {
    // Your buffers go here: whatever `vwap` needs, created once and reused by every call.
}

impl VwapEngine {
    /// An engine with room for a few symbols; it grows on first use and then stays warm.
    pub fn new() -> Self {
        todo!("VwapEngine::new: create the buffers that every call to vwap will reuse")
    }

    /// The same rows as [`vwap_slow`]`(trades)`, in the same order, borrowed from the engine.
    ///
    /// Each call starts from scratch: nothing of an earlier batch shows up in the answer.
    /// Allocates nothing after the warm-up (see [`VwapEngine`]).
    pub fn vwap(&mut self, trades: &[Trade]) -> &[SymbolVwap] {
        todo!(
            "VwapEngine::vwap: add up {} trades per symbol, as vwap_slow does, without allocating",
            trades.len()
        )
    }
}

impl Default for VwapEngine {
    fn default() -> Self {
        Self::new()
    }
}
