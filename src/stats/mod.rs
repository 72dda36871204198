//! Streaming statistics with bounded memory: fixed-resolution histograms that give
//! quantiles, and exact sums, so that results merge to the same bytes whatever the order
//! or grouping of the runs (threads, waves, shards).

use serde::{Deserialize, Serialize};

mod distribution;

pub use distribution::{Distribution, EXACT_DISTINCT};

/// An exact sum of floats (Shewchuk's non-overlapping partials, as in Python's
/// `math.fsum`). Its value is the correctly rounded exact sum, so it does not depend on
/// the order in which terms were added or sums merged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExactSum {
    partials: Vec<f64>,
}

impl ExactSum {
    /// Adds a finite term.
    pub fn add(&mut self, term: f64) {
        let mut x = term;
        let mut kept = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        self.partials.push(x);
    }

    /// Adds another exact sum.
    pub fn merge(&mut self, other: &ExactSum) {
        for &p in &other.partials {
            self.add(p);
        }
    }

    /// The correctly rounded value of the sum.
    pub fn value(&self) -> f64 {
        let p = &self.partials;
        let Some(&last) = p.last() else {
            return 0.0;
        };
        let mut n = p.len() - 1;
        let mut hi = last;
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            let y = p[n - 1];
            n -= 1;
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        // Round half to even across the remaining partials, as fsum does.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

/// How values are binned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Binning {
    /// Bins of equal width centred on multiples of `width` (exact for values on the grid).
    Linear(f64),
    /// Bins of equal relative width, 2^-7 (about 0.8%, so a quantile is within 0.4%);
    /// magnitudes below 1 fall in the zero bin. For money and GPU counts.
    Log,
    /// As [`Binning::Log`], for values counted in units of the given floor: magnitudes
    /// below the floor fall in the zero bin. For quantities of any scale (power in GW,
    /// an uncertain input's drawn value).
    LogAbove(f64),
}

const LOG_BITS: u32 = 7;
const LOG_SHIFT: u32 = 52 - LOG_BITS;

/// The bin of `v` in bins of `width` centred on its multiples. Rounds half away from zero
/// by a truncating cast: `f64::round` is a libm call on baseline x86-64 and this is the
/// hottest line of the aggregation.
#[inline(always)]
fn linear_key(v: f64, width: f64) -> i64 {
    round_key(v / width)
}

#[inline(always)]
fn round_key(x: f64) -> i64 {
    (if x >= 0.0 { x + 0.5 } else { x - 0.5 }) as i64
}

/// `n` when `width` is the float nearest 1/n for a whole n: bins of 0.5, 0.001 or 1 key
/// `v * n`, without a division (within an ulp of `v / width`, so a value a hair from a
/// bin's edge may fall on the other side of it).
fn whole_inverse(width: f64) -> Option<f64> {
    // Rounded by a cast: `f64::round` is a libm call on baseline x86-64.
    let n = (1.0 / width + 0.5) as u64 as f64;
    (n >= 1.0 && 1.0 / n == width).then_some(n)
}

/// The bin of `v` in bins of relative width 2^-7 above 1 (0 below).
#[inline(always)]
fn log_key(v: f64) -> i64 {
    let a = v.abs();
    if a < 1.0 {
        return 0;
    }
    let k = ((a.to_bits() - 1f64.to_bits()) >> LOG_SHIFT) as i64 + 1;
    if v < 0.0 { -k } else { k }
}

impl Binning {
    fn value(self, key: i64) -> f64 {
        match self {
            Binning::Linear(width) => match whole_inverse(width) {
                // A width of 1/n gives key/n, the float nearest the grid point (key *
                // 0.001 is off by an ulp as often as not).
                Some(n) => key as f64 / n,
                None => key as f64 * width,
            },
            Binning::Log => {
                if key == 0 {
                    return 0.0;
                }
                let k = key.unsigned_abs() - 1;
                let lo = f64::from_bits(1f64.to_bits() + (k << LOG_SHIFT));
                let hi = f64::from_bits(1f64.to_bits() + ((k + 1) << LOG_SHIFT));
                let mid = (lo * hi).sqrt();
                if key < 0 { -mid } else { mid }
            }
            Binning::LogAbove(floor) => Binning::Log.value(key) * floor,
        }
    }
}

/// A histogram over a growing dense range of bins, with the exact mean, min and max.
///
/// Values are summed in a plain float (`pending`) as they come; [`Histogram::flush`] (at
/// the end of each fixed block of runs) and [`Histogram::merge`] move such sums into an
/// [`ExactSum`], so the mean is the same whatever the threads or shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    binning: Binning,
    first: i64,
    counts: Vec<u32>,
    n: u64,
    pending: f64,
    sum: ExactSum,
    min: f64,
    max: f64,
}

impl Histogram {
    /// An empty histogram.
    pub fn new(binning: Binning) -> Histogram {
        Histogram {
            binning,
            first: 0,
            counts: Vec::new(),
            n: 0,
            pending: 0.0,
            sum: ExactSum::default(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// Adds a value; non-finite values are ignored (the engine never produces them).
    #[inline]
    pub fn add(&mut self, v: f64) {
        let binning = self.binning;
        Histogram::add_each(std::slice::from_mut(self), [v], binning);
    }

    /// Adds `values[k]` to `cells[k]`, every cell binned by `binning`: the binning is
    /// chosen once, not once per value, so the loop compiles to one kind of bin.
    pub fn add_each(
        cells: &mut [Histogram],
        values: impl IntoIterator<Item = f64>,
        binning: Binning,
    ) {
        let cells = cells.iter_mut().zip(values);
        match binning {
            Binning::Linear(w) => match whole_inverse(w) {
                Some(n) => cells.for_each(|(c, v)| c.add_keyed(v, |v| round_key(v * n))),
                None => cells.for_each(|(c, v)| c.add_keyed(v, |v| linear_key(v, w))),
            },
            Binning::Log => cells.for_each(|(c, v)| c.add_keyed(v, log_key)),
            Binning::LogAbove(f) => cells.for_each(|(c, v)| c.add_keyed(v, |v| log_key(v / f))),
        }
    }

    #[inline(always)]
    fn add_keyed(&mut self, v: f64, key: impl Fn(f64) -> i64) {
        if !v.is_finite() {
            return;
        }
        let key = key(v);
        let idx = key.wrapping_sub(self.first) as u64;
        if idx < self.counts.len() as u64 {
            self.counts[idx as usize] += 1;
        } else {
            self.grow_and_count(key);
        }
        self.n += 1;
        self.pending += v;
        if v < self.min {
            self.min = v;
        }
        if v > self.max {
            self.max = v;
        }
    }

    #[cold]
    fn grow_and_count(&mut self, key: i64) {
        // Grow with slack (half the current range, at least 16 bins) so a drifting
        // series does not reallocate for every new bin.
        let slack = (self.counts.len() / 2).max(16) as i64;
        if self.counts.is_empty() {
            self.first = key - slack;
            self.counts.resize(2 * slack as usize + 1, 0);
        } else if key < self.first {
            let grow = (self.first - key + slack) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.first -= grow as i64;
        } else {
            self.counts
                .resize((key - self.first + 1 + slack) as usize, 0);
        }
        self.counts[(key - self.first) as usize] += 1;
    }

    /// Ends a block: the running float sum of the values added since the last flush
    /// joins the exact sum. Counts need no such step: integers add in any order.
    pub fn flush(&mut self) {
        if self.pending != 0.0 {
            self.sum.add(self.pending);
            self.pending = 0.0;
        }
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean (NaN when empty): the exact sum of the merged blocks' sums, divided.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let mut total = self.sum.clone();
        total.add(self.pending);
        total.value() / self.n as f64
    }

    /// Adds another histogram of the same binning: counts add, and the other's sum joins
    /// this one's exact sum, so the result does not depend on how values were grouped
    /// into merged histograms, only on which values each group's running sum saw.
    pub fn merge(&mut self, other: &Histogram) {
        if other.n == 0 {
            return;
        }
        // Only the span of bins the other actually uses.
        let start = other.counts.iter().position(|&c| c > 0).unwrap_or(0);
        let end = other
            .counts
            .iter()
            .rposition(|&c| c > 0)
            .map_or(0, |e| e + 1);
        let (other_first, other_counts) = (other.first + start as i64, &other.counts[start..end]);
        if self.counts.is_empty() {
            self.first = other_first;
        }
        let lo = self.first.min(other_first);
        let hi =
            (self.first + self.counts.len() as i64).max(other_first + other_counts.len() as i64);
        if lo < self.first {
            self.counts
                .splice(0..0, std::iter::repeat_n(0, (self.first - lo) as usize));
            self.first = lo;
        }
        self.counts.resize((hi - self.first) as usize, 0);
        let offset = (other_first - self.first) as usize;
        for (c, o) in self.counts[offset..].iter_mut().zip(other_counts) {
            *c += o;
        }
        self.n += other.n;
        self.sum.add(other.pending);
        self.sum.merge(&other.sum);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// The `p` quantile (0-1) by nearest rank, at the bin's resolution and clamped to the
    /// observed range (NaN when empty).
    pub fn quantile(&self, p: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        if self.min == self.max {
            return self.min;
        }
        let rank = ((p * self.n as f64).ceil() as u64).clamp(1, self.n);
        let mut seen = 0u64;
        for (offset, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            if seen >= rank {
                return self
                    .binning
                    .value(self.first + offset as i64)
                    .clamp(self.min, self.max);
            }
        }
        self.max
    }
}

/// Exact quantile of a sample by nearest rank (sorts a copy; NaN when empty).
pub fn quantile(values: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// Mean of the finite values (NaN when none).
pub fn mean(values: &[f64]) -> f64 {
    let (s, n) = values
        .iter()
        .filter(|x| x.is_finite())
        .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { f64::NAN } else { s / n as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_quantiles_are_exact_on_the_grid() {
        let mut h = Histogram::new(Binning::Linear(0.5));
        for v in 1..=100 {
            h.add(1000.0 + v as f64);
        }
        assert_eq!(h.quantile(0.5), 1050.0);
        assert_eq!(h.quantile(0.05), 1005.0);
        assert_eq!(h.quantile(0.95), 1095.0);
        assert_eq!(h.mean(), 1050.5);
    }

    #[test]
    fn log_quantiles_within_half_a_percent_both_signs() {
        let mut h = Histogram::new(Binning::Log);
        let values: Vec<f64> = (0..1000).map(|i| -5e9 + 1e7 * i as f64 * 1.3).collect();
        for v in &values {
            h.add(*v);
        }
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = quantile(&values, p);
            let approx = h.quantile(p);
            assert!(
                (approx - exact).abs() <= 0.005 * exact.abs() + 1.0,
                "p{p}: {approx} vs {exact}"
            );
        }
    }

    #[test]
    fn exact_sum_is_order_independent() {
        let terms = [1e16, 1.0, -1e16, 3.5, 1e-3, 7e15, -7e15, 0.1, 0.2, 0.3];
        let mut forward = ExactSum::default();
        terms.iter().for_each(|t| forward.add(*t));
        let mut backward = ExactSum::default();
        terms.iter().rev().for_each(|t| backward.add(*t));
        assert_eq!(forward.value(), backward.value());
        assert!(
            (forward.value() - 5.101).abs() < 1e-14,
            "{}",
            forward.value()
        );
        // A naive left-to-right float sum loses the 1.0 to cancellation.
        assert!((terms.iter().sum::<f64>() - 5.101).abs() > 0.5);
    }

    #[test]
    fn merging_blocks_in_any_grouping_gives_the_same_histogram_mean() {
        let values: Vec<f64> = (0..600)
            .map(|i| (i as f64 * 0.7).sin() * 1e3 + 0.1)
            .collect();
        let block = |r: std::ops::Range<usize>| {
            let mut h = Histogram::new(Binning::Linear(0.5));
            values[r].iter().for_each(|v| h.add(*v));
            h
        };
        let (a, b, c) = (block(0..200), block(200..400), block(400..600));
        let mut left = a.clone();
        left.merge(&b);
        left.merge(&c);
        let mut right = b.clone();
        right.merge(&c);
        let mut right_total = a.clone();
        right_total.merge(&right);
        assert_eq!(left.mean().to_bits(), right_total.mean().to_bits());
        assert_eq!(left.count(), 600);
        for p in [0.05, 0.5, 0.95] {
            assert_eq!(left.quantile(p), right_total.quantile(p));
        }
    }

    #[test]
    fn constant_values_are_exact() {
        let mut h = Histogram::new(Binning::Log);
        for _ in 0..10 {
            h.add(123_456.7);
        }
        assert_eq!(h.quantile(0.05), 123_456.7);
    }

    #[test]
    fn log_above_bins_small_magnitudes_relatively() {
        let mut h = Histogram::new(Binning::LogAbove(1e-6));
        let values: Vec<f64> = (1..=1000).map(|i| 0.001 * i as f64).collect();
        values.iter().for_each(|v| h.add(*v));
        for p in [0.1, 0.5, 0.9] {
            let (approx, exact) = (h.quantile(p), quantile(&values, p));
            assert!(
                (approx - exact).abs() <= 0.004 * exact,
                "p{p}: {approx} vs {exact}"
            );
        }
    }
}
