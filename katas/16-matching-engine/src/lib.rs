//! A matching engine: your ring, histogram, padding and seqlock in one hot loop

/// Adds one, saturating at `u64::MAX`. (Replace with the kata's real API.)
///
/// # Examples
///
/// ```ignore
/// assert_eq!(successor(1), 2);
/// ```
pub fn successor(n: u64) -> u64 {
    todo!("successor({n})")
}
