//! The distribution of one measure across runs, in bounded memory: exact while it is
//! small, a fixed-resolution histogram beyond.

use serde::{Deserialize, Serialize};

use super::{Binning, Histogram};

/// Distinct values a [`Distribution`] keeps exactly; with more, its quantiles come from
/// its histogram.
pub const EXACT_DISTINCT: usize = 1024;

/// The distribution of one measure across runs, in bounded memory: exact while it has
/// seen at most [`EXACT_DISTINCT`] distinct values (counts, and measures on a coarse grid
/// such as lead changes per year, stay exact at any number of runs), and at its
/// histogram's resolution beyond. The mean is always exact ([`Histogram::mean`]).
///
/// Merging is exact and order-free: whether the exact values are kept depends only on
/// how many distinct values all the merged parts saw together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    histogram: Histogram,
    /// Count of each distinct value, by its key in the total order of floats
    /// ([`order_key`]); `None` once there were too many.
    exact: Option<std::collections::BTreeMap<u64, u64>>,
}

/// A key whose unsigned order is the total order of floats.
fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The float of an [`order_key`].
fn of_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

impl Distribution {
    /// An empty distribution whose histogram bins by `binning`.
    pub fn new(binning: Binning) -> Distribution {
        Distribution {
            histogram: Histogram::new(binning),
            exact: Some(Default::default()),
        }
    }

    /// Adds a value; non-finite values are ignored.
    pub fn add(&mut self, v: f64) {
        if !v.is_finite() {
            return;
        }
        self.histogram.add(v);
        // Into the exact sum at once: the mean is then the same however the runs were
        // split into blocks and shards.
        self.histogram.flush();
        if let Some(exact) = &mut self.exact {
            *exact.entry(order_key(v)).or_insert(0) += 1;
            if exact.len() > EXACT_DISTINCT {
                self.exact = None;
            }
        }
    }

    /// Adds another distribution of the same binning.
    pub fn merge(&mut self, other: &Distribution) {
        self.histogram.merge(&other.histogram);
        self.exact = match (self.exact.take(), &other.exact) {
            (Some(mut mine), Some(theirs)) => {
                for (k, c) in theirs {
                    *mine.entry(*k).or_insert(0) += c;
                }
                (mine.len() <= EXACT_DISTINCT).then_some(mine)
            }
            _ => None,
        };
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.histogram.count()
    }

    /// The exact mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        self.histogram.mean()
    }

    /// Whether quantiles are exact (at most [`EXACT_DISTINCT`] distinct values).
    pub fn is_exact(&self) -> bool {
        self.exact.is_some()
    }

    /// The `p` quantile (0-1) by nearest rank, as [`quantile`] gives it while the values
    /// are kept exactly, at the histogram's resolution beyond (NaN when empty).
    pub fn quantile(&self, p: f64) -> f64 {
        let Some(exact) = &self.exact else {
            return self.histogram.quantile(p);
        };
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let rank = ((p * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for (k, c) in exact {
            seen += c;
            if seen >= rank {
                return of_order_key(*k);
            }
        }
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::super::quantile;
    use super::*;

    #[test]
    fn a_distribution_is_exact_up_to_its_distinct_values_then_binned() {
        // Few distinct values (as lead changes are): exact quantiles at any count, the
        // same as sorting the sample.
        let few: Vec<f64> = (0..50_000)
            .map(|i| f64::from((i * 7919) % 13) * 0.1 - 0.3)
            .collect();
        let mut d = Distribution::new(Binning::Linear(1.0));
        few.iter().for_each(|v| d.add(*v));
        assert!(d.is_exact());
        for p in [0.0, 0.1, 0.5, 0.9, 1.0] {
            assert_eq!(d.quantile(p).to_bits(), quantile(&few, p).to_bits(), "p{p}");
        }
        // Many distinct values: binned, within half a bin of the exact quantile.
        let many: Vec<f64> = (0..5_000)
            .map(|i| ((i as f64) * 0.37).sin() * 0.8)
            .collect();
        let mut d = Distribution::new(Binning::Linear(1e-4));
        many.iter().for_each(|v| d.add(*v));
        assert!(!d.is_exact());
        for p in [0.1, 0.5, 0.9] {
            let (approx, exact) = (d.quantile(p), quantile(&many, p));
            assert!(
                (approx - exact).abs() <= 0.5e-4 + 1e-15,
                "p{p}: {approx} vs {exact}"
            );
        }
        let naive = many.iter().sum::<f64>() / many.len() as f64;
        assert!((d.mean() - naive).abs() < 1e-12);
    }

    #[test]
    fn merged_distributions_do_not_depend_on_the_split() {
        // 1,500 distinct values: exact in parts of 750, not once merged.
        let values: Vec<f64> = (0..3_000)
            .map(|i| f64::from(i % 1_500) * 1.25e-3 - 0.5)
            .collect();
        let part = |r: std::ops::Range<usize>| {
            let mut d = Distribution::new(Binning::Linear(1e-4));
            values[r].iter().for_each(|v| d.add(*v));
            d
        };
        let whole = part(0..3_000);
        let (mut a, b) = (part(0..750), part(750..3_000));
        assert!(a.is_exact());
        a.merge(&b);
        let (mut c, d) = (part(2_000..3_000), part(0..2_000));
        c.merge(&d);
        for merged in [&a, &c] {
            assert!(!merged.is_exact());
            assert_eq!(merged.mean().to_bits(), whole.mean().to_bits());
            for p in [0.1, 0.5, 0.9] {
                assert_eq!(merged.quantile(p).to_bits(), whole.quantile(p).to_bits());
            }
        }
        // Parts that stay within the limit together stay exact.
        let (mut e, f) = (part(0..500), part(1_500..2_000));
        e.merge(&f);
        assert!(e.is_exact());
        assert_eq!(e.quantile(0.5), quantile(&values[0..500], 0.5));
    }

    #[test]
    fn the_order_key_sorts_floats_in_their_total_order() {
        let mut v = vec![3.5, -0.0, 0.0, -2.0, 1e-300, -1e300, f64::MIN_POSITIVE, 7.0];
        let mut keyed = v.clone();
        keyed.sort_by_key(|x| order_key(*x));
        v.sort_by(f64::total_cmp);
        assert_eq!(
            keyed.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        for x in v {
            assert_eq!(of_order_key(order_key(x)).to_bits(), x.to_bits());
        }
    }
}
