//! Values that record their own drop, to prove each element is dropped exactly once.
//!
//! ```
//! use testkit::drops::DropLog;
//!
//! let log = DropLog::new();
//! let a = log.token(7);
//! assert_eq!(log.live(), 1);
//! drop(a);
//! assert_eq!(log.dropped(), vec![7]);
//! log.assert_each_dropped_once(&[7]);
//! ```

use std::sync::Mutex;

/// A shared record of which [`Token`]s were created and dropped. Thread-safe, so tokens may be
/// moved across threads.
///
/// The record is leaked on purpose (a few bytes per log, in tests only): a token holds a
/// plain `&'static` reference, so even a buggy double drop of a token only records the id
/// twice; it never touches freed memory, and the detection is deterministic.
#[derive(Debug, Clone, Copy)]
pub struct DropLog {
    inner: &'static Mutex<Inner>,
}

impl Default for DropLog {
    fn default() -> Self {
        Self {
            inner: Box::leak(Box::default()),
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    created: u64,
    dropped: Vec<u64>,
}

impl DropLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new token carrying `id`; its drop is recorded here.
    pub fn token(&self, id: u64) -> Token {
        self.lock().created += 1;
        Token { id, log: *self }
    }

    /// Ids of the dropped tokens, in drop order (an id twice means a double drop).
    pub fn dropped(&self) -> Vec<u64> {
        self.lock().dropped.clone()
    }

    /// Tokens created minus tokens dropped. Negative means something was dropped twice.
    pub fn live(&self) -> i64 {
        let inner = self.lock();
        inner.created as i64 - inner.dropped.len() as i64
    }

    /// Panics unless every id in `ids` was dropped exactly once and nothing else was dropped.
    pub fn assert_each_dropped_once(&self, ids: &[u64]) {
        let mut got = self.dropped();
        got.sort_unstable();
        let mut want = ids.to_vec();
        want.sort_unstable();
        assert_eq!(
            got, want,
            "dropped ids (sorted) differ from the expected ones: a missing id was leaked, a repeated id was dropped twice"
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panicking test may poison the lock; the counts are still meaningful.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A value whose drop is recorded in its [`DropLog`].
#[derive(Debug)]
pub struct Token {
    id: u64,
    log: DropLog,
}

impl Token {
    /// The id given at creation.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl PartialEq for Token {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.log.lock().dropped.push(self.id);
    }
}
