//! Bootstrap intervals over runs, the same resamples for every statistic of a result.
//!
//! Runs are independent draws, so the uncertainty of a mean over runs is estimated by
//! resampling runs with replacement ([`RESAMPLES`] times) and taking the 2.5% and 97.5%
//! percentiles of the resampled means. To keep the cost independent of the number of
//! runs, runs are first pooled into at most [`GROUPS`] groups of consecutive runs (group
//! `g` holds the runs at positions `i` with `i * G / N == g`), and groups are resampled:
//! with up to [`GROUPS`] runs every run is its own group (the textbook bootstrap); with
//! more, each group's sum is a mean of independent runs, and resampling groups estimates
//! the same spread of the overall mean.
//!
//! The resamples come from a generator seeded by the master seed on a stream no run uses
//! ([`STREAM`]), so they depend on (seed, number of runs) only: the same at any thread
//! count or shard split, and the same for every statistic and every counterfactual world
//! of `racerun explain` (a world's statistic is resampled with the same runs).

use rand::RngExt;

use crate::engine::run_rng;

/// Resamples drawn.
pub const RESAMPLES: usize = 1000;
/// Most groups the runs are pooled into.
pub const GROUPS: usize = 1000;
/// The generator stream of the resamples: run indices stay far below it.
pub const STREAM: u64 = u64::MAX;
/// Confidence level of the intervals.
pub const CONFIDENCE: f64 = 0.95;

/// An estimate with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Estimate {
    /// The estimate from all runs.
    pub mean: f64,
    /// Lower end of the 95% bootstrap interval.
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
}

impl Estimate {
    /// An estimate without spread (every resample agrees).
    pub fn exact(value: f64) -> Estimate {
        Estimate {
            mean: value,
            ci_low: value,
            ci_high: value,
        }
    }
}

/// The number of groups `runs` runs are pooled into.
pub fn groups_for(runs: usize) -> usize {
    runs.clamp(1, GROUPS)
}

/// The group of the run at position `i` of `runs` runs pooled into `groups` groups.
pub fn group_of(i: usize, groups: usize, runs: usize) -> usize {
    (i as u128 * groups as u128 / runs.max(1) as u128) as usize
}

/// The resampled groups of one set of runs.
#[derive(Debug, Clone)]
pub struct Resamples {
    runs: usize,
    groups: usize,
    /// `RESAMPLES x groups` group indices, resample-major.
    draws: Vec<u32>,
}

impl Resamples {
    /// The resamples of `runs` runs under master seed `seed`.
    pub fn new(seed: u64, runs: usize) -> Resamples {
        let groups = groups_for(runs);
        let mut rng = run_rng(seed, STREAM);
        let draws = (0..RESAMPLES * groups)
            .map(|_| rng.random_range(0..groups as u32))
            .collect();
        Resamples {
            runs,
            groups,
            draws,
        }
    }

    /// Number of groups.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// The group of the run at position `i` (in run order).
    pub fn group_of(&self, i: usize) -> usize {
        group_of(i, self.groups, self.runs)
    }

    /// Per-group sums and counts of the values that exist (`None` does not apply, and a
    /// value that is not finite counts as missing), `dims` values per run. Rows may hold
    /// `Option<f64>` or plain `f64` (NaN for a value that does not apply).
    pub fn pool<'a, T>(&self, dims: usize, rows: impl IntoIterator<Item = &'a [T]>) -> Pooled
    where
        T: Copy + 'a,
        Option<f64>: From<T>,
    {
        let mut pooled = Pooled {
            dims,
            sums: vec![0.0; self.groups * dims],
            counts: vec![0.0; self.groups * dims],
        };
        for (i, row) in rows.into_iter().enumerate() {
            pooled.add(self.group_of(i), row);
        }
        pooled
    }

    /// The bootstrap intervals of the means of every dimension of `pooled`, estimates
    /// from all runs; a dimension with no value is NaN.
    pub fn means(&self, pooled: &Pooled) -> Vec<Estimate> {
        self.statistic(pooled, &|m| m.to_vec())
    }

    /// The bootstrap interval of a statistic computed from the resampled means of
    /// `pooled`: `stat` gets every dimension's mean and returns the statistic(s).
    pub fn statistic(&self, pooled: &Pooled, stat: &dyn Fn(&[f64]) -> Vec<f64>) -> Vec<Estimate> {
        let mean_of = |sums: &[f64], counts: &[f64]| -> Vec<f64> {
            sums.iter()
                .zip(counts)
                .map(|(s, c)| if *c > 0.0 { s / c } else { f64::NAN })
                .collect()
        };
        let point = stat(&mean_of(&pooled.total_sums(), &pooled.total_counts()));
        let dims = pooled.dims;
        let mut resampled = vec![Vec::with_capacity(RESAMPLES); point.len()];
        let mut sums = vec![0.0; dims];
        let mut counts = vec![0.0; dims];
        // Counts are whole numbers, summed exactly in any order: when each group has the
        // same count in every dimension (every run has every value, as in the survival
        // curves), one sum per resample gives them all.
        let uniform = dims > 0
            && pooled
                .counts
                .chunks(dims)
                .all(|row| row.iter().all(|&c| c == row[0]));
        for draw in self.draws.chunks(self.groups) {
            sums.iter_mut().for_each(|s| *s = 0.0);
            counts.iter_mut().for_each(|c| *c = 0.0);
            let mut count = 0.0;
            // Whole rows of `dims` at a time (the same additions, in the same order, as
            // one dimension after the other): the compiler vectorises them.
            for &g in draw {
                let at = g as usize * dims;
                let s = &pooled.sums[at..at + dims];
                sums.iter_mut().zip(s).for_each(|(a, b)| *a += b);
                if uniform {
                    count += pooled.counts[at];
                } else {
                    let c = &pooled.counts[at..at + dims];
                    counts.iter_mut().zip(c).for_each(|(a, b)| *a += b);
                }
            }
            if uniform {
                counts.iter_mut().for_each(|c| *c = count);
            }
            for (k, v) in stat(&mean_of(&sums, &counts)).into_iter().enumerate() {
                if let Some(r) = resampled.get_mut(k) {
                    r.push(v);
                }
            }
        }
        point
            .into_iter()
            .zip(resampled)
            .map(|(mean, values)| interval(mean, &values))
            .collect()
    }
}

/// Per-group sums and counts of `dims` values per run (see [`Resamples::pool`]).
#[derive(Debug, Clone)]
pub struct Pooled {
    dims: usize,
    sums: Vec<f64>,
    counts: Vec<f64>,
}

impl Pooled {
    /// Groups' sums and counts, `dims` per group (`[group * dims + d]`).
    pub fn new(dims: usize, sums: Vec<f64>, counts: Vec<f64>) -> Pooled {
        Pooled { dims, sums, counts }
    }

    fn add<T: Copy>(&mut self, group: usize, row: &[T])
    where
        Option<f64>: From<T>,
    {
        let at = group * self.dims;
        for (d, &v) in row.iter().enumerate().take(self.dims) {
            if let Some(v) = Option::<f64>::from(v).filter(|v| v.is_finite()) {
                self.sums[at + d] += v;
                self.counts[at + d] += 1.0;
            }
        }
    }

    fn total_sums(&self) -> Vec<f64> {
        self.column_totals(&self.sums)
    }

    fn total_counts(&self) -> Vec<f64> {
        self.column_totals(&self.counts)
    }

    fn column_totals(&self, values: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.dims];
        for chunk in values.chunks(self.dims.max(1)) {
            for (o, v) in out.iter_mut().zip(chunk) {
                *o += v;
            }
        }
        out
    }
}

/// The percentile interval of resampled values around `mean` (resamples where the
/// statistic does not exist are left out; NaN when none exists).
fn interval(mean: f64, values: &[f64]) -> Estimate {
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() || !mean.is_finite() {
        return Estimate {
            mean,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| {
        let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    };
    Estimate {
        mean,
        ci_low: at(tail),
        ci_high: at(1.0 - tail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_of_a_mean_has_the_width_of_its_standard_error() {
        // 400 runs of 0/1 with mean 0.5: the standard error is 0.025, so the 95%
        // interval is about 0.45-0.55.
        let rows: Vec<[Option<f64>; 1]> = (0..400).map(|i| [Some(f64::from(i % 2))]).collect();
        let r = Resamples::new(7, rows.len());
        let pooled = r.pool(1, rows.iter().map(|x| &x[..]));
        let e = r.means(&pooled)[0];
        assert_eq!(e.mean, 0.5);
        assert!((e.ci_low - 0.45).abs() < 0.012, "{e:?}");
        assert!((e.ci_high - 0.55).abs() < 0.012, "{e:?}");
    }

    #[test]
    fn many_runs_pool_into_groups_with_the_same_spread() {
        // 20,000 runs: 1,000 groups of 20; the interval still has the width of the
        // standard error of 20,000 runs (0.5 / sqrt(20,000) = 0.0035).
        let mut x: u64 = 99;
        let rows: Vec<[Option<f64>; 1]> = (0..20_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                [Some((x >> 63) as f64)]
            })
            .collect();
        let r = Resamples::new(7, rows.len());
        assert_eq!(r.groups(), GROUPS);
        assert_eq!((r.group_of(0), r.group_of(19), r.group_of(20)), (0, 0, 1));
        let pooled = r.pool(1, rows.iter().map(|x| &x[..]));
        let e = r.means(&pooled)[0];
        let half = (e.ci_high - e.ci_low) / 2.0;
        assert!(
            (half - 1.96 * 0.5 / (20_000f64).sqrt()).abs() < 0.0012,
            "{e:?}"
        );
    }

    #[test]
    fn missing_values_are_left_out_and_constants_have_no_spread() {
        let rows: Vec<[Option<f64>; 2]> = (0..50)
            .map(|i| [Some(2.0), (i < 10).then_some(1.0)])
            .collect();
        let r = Resamples::new(1, rows.len());
        let pooled = r.pool(2, rows.iter().map(|x| &x[..]));
        let e = r.means(&pooled);
        assert_eq!(e[0], Estimate::exact(2.0));
        assert_eq!(e[1], Estimate::exact(1.0));
        let none: Vec<[Option<f64>; 1]> = vec![[None]; 5];
        let pooled = r.pool(1, none.iter().map(|x| &x[..]));
        assert!(r.means(&pooled)[0].mean.is_nan());
    }

    #[test]
    fn full_rows_give_the_same_intervals_as_rows_with_gaps() {
        // Every run has both values (one count per resample serves all dimensions); the
        // same values beside a third dimension with a gap take the general path.
        let full: Vec<[Option<f64>; 2]> = (0..300)
            .map(|i| [Some(f64::from(i % 7)), Some(f64::from(i % 3) * 0.1)])
            .collect();
        let gappy: Vec<[Option<f64>; 3]> = full
            .iter()
            .enumerate()
            .map(|(i, r)| [r[0], r[1], (i != 5).then_some(1.0)])
            .collect();
        let r = Resamples::new(11, full.len());
        let a = r.means(&r.pool(2, full.iter().map(|x| &x[..])));
        let b = r.means(&r.pool(3, gappy.iter().map(|x| &x[..])));
        assert_eq!(a[..], b[..2]);
        assert!(a[0].ci_low < a[0].mean && a[0].mean < a[0].ci_high, "{a:?}");
    }

    #[test]
    fn a_statistic_of_means_is_resampled_with_them() {
        // Ratio of two means: 3 / 1 in every resample.
        let rows: Vec<[Option<f64>; 2]> = (0..100)
            .map(|i| [Some(3.0 * f64::from(i % 3)), Some(f64::from(i % 3))])
            .collect();
        let r = Resamples::new(3, rows.len());
        let pooled = r.pool(2, rows.iter().map(|x| &x[..]));
        let e = r.statistic(&pooled, &|m| vec![m[0] / m[1]]);
        assert!((e[0].mean - 3.0).abs() < 1e-12 && (e[0].ci_high - 3.0).abs() < 1e-12);
    }
}
