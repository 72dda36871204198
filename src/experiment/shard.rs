//! Splitting an experiment's work between machines: `--shard K/N`.
//!
//! A shard is a deterministic, contiguous share of the work units (runs, sweep cells,
//! samples). Shares are cut on multiples of an alignment so that, for runs, every shard
//! holds whole [`crate::montecarlo::BLOCK`]s and the merged statistics are the same bytes
//! as an unsharded run's.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// One share of the work: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// Which shard, `1..=count`.
    pub index: u64,
    /// How many shards in all.
    pub count: u64,
}

/// Why a `--shard` argument was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard {given}: expected K/N with 1 <= K <= N")]
pub struct ShardError {
    /// The argument as given.
    pub given: String,
}

impl Shard {
    /// The whole of the work, as one shard.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Shard `index` of `count`, if `1 <= index <= count`.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// Whether this is the whole of the work (`1/1`).
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }

    /// This shard's contiguous share of `units` work units, cut on multiples of `align`
    /// (the last share ends at `units`). Shares of `1/N..N/N` are disjoint, in order, and
    /// cover `0..units`; they differ in size by at most one `align`. A shard may be empty
    /// when there are fewer aligned groups than shards.
    pub fn range(&self, units: u64, align: u64) -> Range<u64> {
        let align = align.max(1);
        let groups = units.div_ceil(align);
        let cut = |k: u64| -> u64 {
            // k * groups / count without overflow for any realistic size.
            let g = (u128::from(k) * u128::from(groups) / u128::from(self.count)) as u64;
            (g.saturating_mul(align)).min(units)
        };
        cut(self.index - 1)..cut(self.index)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let err = || ShardError {
            given: s.to_string(),
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(err)?;
        let k: u64 = k.trim().parse().map_err(|_| err())?;
        let n: u64 = n.trim().parse().map_err(|_| err())?;
        Shard::new(k, n).ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!("2/5".parse(), Ok(Shard { index: 2, count: 5 }));
        assert_eq!(" 1 / 1 ".parse(), Ok(Shard::WHOLE));
        for bad in ["3/2", "0/2", "1", "a/b", "1/0", "-1/2", ""] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("--shard {bad}: expected K/N with 1 <= K <= N")
            );
        }
        assert_eq!(Shard { index: 3, count: 7 }.to_string(), "3/7");
    }

    #[test]
    fn shares_cover_in_order_and_align() {
        for units in [0u64, 1, 5, 255, 256, 257, 1000, 4096, 10_000] {
            for align in [1u64, 7, 256] {
                for count in 1..=9 {
                    let mut next = 0;
                    for index in 1..=count {
                        let r = Shard { index, count }.range(units, align);
                        assert_eq!(r.start, next, "{units} {align} {index}/{count}");
                        assert!(r.start.is_multiple_of(align));
                        assert!(r.end == units || r.end.is_multiple_of(align));
                        next = r.end;
                    }
                    assert_eq!(next, units);
                }
            }
        }
        assert_eq!(Shard { index: 2, count: 2 }.range(1000, 256), 512..1000);
        assert_eq!(Shard { index: 1, count: 3 }.range(9, 1), 0..3);
    }
}
