//! Size limits, checked before any work: a typo such as `--runs 10000000000` is refused
//! with a message that names the limit, instead of growing memory until the allocator
//! aborts or the system kills the process.
//!
//! Each limit keeps memory within a few gigabytes. The figures were measured (peak
//! resident memory) on the bundled `baseline` (three labs, 120 months) and on variants of
//! it; they grow with the number of labs and the horizon.
//!
//! | what | limit | memory near the limit |
//! |---|---|---|
//! | runs of one Monte Carlo (`run`, `merge`, a sweep cell, a sensitivity point) | [`MAX_RUNS`] | none per run (runs are tallied and their rows streamed to `runs.csv`: 42 MB peak at 100,000 runs and at 1,000,000 on baseline; with uncertain inputs, the first 100,000 runs' rows for their effects, about 0.2 KB each); time and disk: `runs.csv` takes about 0.7 KB a run at three labs (1.4 GB at the limit). `explain`, and sweep cells with `--effect`, keep each run's attributed measures in every world (its row of Shapley values): about 0.7 KB a run (13 MB from 2,000 to 20,000 runs of baseline, 7 channels), 1.5 GB at the limit |
//! | months x labs of a scenario | [`MAX_LAB_MONTHS`] | monthly distributions and a block of 256 runs' traces: 20 KB per lab-month at 120 months, up to 150 KB at 1,200: up to 1.8 GB |
//! | sample runs with full trajectories (`--samples`) | [`MAX_SAMPLES`], and [`MAX_SAMPLE_LAB_MONTHS`] lab-months | about 1 KB per lab-month with its CSV row: 1 GB |
//! | cells of a sweep | [`MAX_CELLS`] | a scenario and a result per cell, about 8 KB: 0.8 GB |
//! | runs of a whole sweep (cells x runs) | [`MAX_SWEEP_RUNS`] | time, not memory |
//! | points of a sensitivity study, `N (k + 2)` | [`MAX_POINTS`] | about 0.13 KB per point: 1.3 GB |
//! | runs of a whole sensitivity study (points x runs) | [`MAX_POINT_RUNS`] | time, not memory |
//! | world-runs of an explanation (runs x worlds) | [`MAX_WORLD_RUNS`] | time (memory is per run, above) |

use std::fmt;

use crate::numbers::grouped;

/// Most runs of one Monte Carlo.
pub const MAX_RUNS: u64 = 2_000_000;
/// Most months x labs of one scenario.
pub const MAX_LAB_MONTHS: u64 = 12_000;
/// Most sample runs kept with their full trajectories.
pub const MAX_SAMPLES: u64 = 10_000;
/// Most lab-months of sample trajectories (samples x months x labs).
pub const MAX_SAMPLE_LAB_MONTHS: u64 = 1_000_000;
/// Most cells of a sweep.
pub const MAX_CELLS: u64 = 100_000;
/// Most runs of a whole sweep, cells x runs per cell.
pub const MAX_SWEEP_RUNS: u64 = 1_000_000_000;
/// Most rows `N` of a sensitivity study's sample matrices.
pub const MAX_SENSITIVITY_SAMPLES: u64 = 1_000_000;
/// Most model evaluations of a sensitivity study, `N (k + 2)`.
pub const MAX_POINTS: u64 = 10_000_000;
/// Most runs of a whole sensitivity study, points x runs per point.
pub const MAX_POINT_RUNS: u64 = 1_000_000_000;

/// Most world-runs of an explanation, runs x worlds (128 worlds with seven channels).
pub const MAX_WORLD_RUNS: u64 = 200_000_000;

/// The limits in a few lines, for `--help`.
pub const SUMMARY: &str = "\
Limits, checked before any work, and the memory they imply:
  runs of one Monte Carlo        2,000,000 (no memory per run, 0.7 KB of runs.csv each at three labs;
                                 explain and sweep --effect keep 0.7 KB a run: 1.5 GB)
  months x labs of a scenario    12,000 (20 KB per lab-month at 120 months, 150 KB at 1,200)
  sample runs (--samples)        10,000, and 1,000,000 sample lab-months (1 KB each: 1 GB)
  sweep cells                    100,000 (8 KB each: 0.8 GB); 1,000,000,000 runs (cells x runs)
  sensitivity rows (--samples)   1,000,000; 10,000,000 points N (k + 2) (0.13 KB each: 1.3 GB);
                                 1,000,000,000 runs (points x runs)
  explain                        the runs' limit, and 200,000,000 world-runs (runs x 2^channels)";

/// A size beyond its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// What was asked for, as the user wrote it (e.g. `--runs 10000000000`).
    pub what: String,
    /// The value.
    pub value: u128,
    /// The limit.
    pub limit: u64,
    /// Why the limit exists and what to do instead.
    pub hint: String,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} is more than the limit of {}; {}",
            self.what,
            grouped(self.value),
            grouped(u128::from(self.limit)),
            self.hint
        )
    }
}

impl std::error::Error for TooLarge {}

fn at_most(what: impl Into<String>, value: u128, limit: u64, hint: &str) -> Result<(), TooLarge> {
    if value > u128::from(limit) {
        return Err(TooLarge {
            what: what.into(),
            value,
            limit,
            hint: hint.to_string(),
        });
    }
    Ok(())
}

/// `--runs` of each sweep cell or sensitivity point.
fn runs_per(unit: &str, runs: u64, hint: &str) -> Result<(), TooLarge> {
    at_most(
        format!("--runs {runs} per {unit}"),
        runs.into(),
        MAX_RUNS,
        hint,
    )
}

/// Checks a scenario's size: months x labs.
pub fn scenario(months: u32, labs: usize) -> Result<(), TooLarge> {
    at_most(
        format!("the scenario's {months} months x {labs} labs"),
        u128::from(months) * labs as u128,
        MAX_LAB_MONTHS,
        "every lab-month keeps distributions of nine series and a block of runs' traces \
         (20-150 KB); shorten the horizon or use fewer labs",
    )
}

/// Checks a Monte Carlo: runs, and sample trajectories of a scenario of `months` x `labs`.
pub fn monte_carlo(runs: u64, samples: u64, months: u32, labs: usize) -> Result<(), TooLarge> {
    scenario(months, labs)?;
    at_most(
        format!("--runs {runs}"),
        runs.into(),
        MAX_RUNS,
        "each run takes time and a row of `runs.csv` (about 0.7 KB at three labs); \
         fewer runs are usually enough (the quantiles settle by 10,000)",
    )?;
    let kept = samples.min(runs);
    at_most(
        format!("--samples {samples}"),
        kept.into(),
        MAX_SAMPLES,
        "each sample run keeps its whole trajectory",
    )?;
    at_most(
        format!("--samples {samples} x {months} months x {labs} labs"),
        u128::from(kept) * u128::from(months) * labs as u128,
        MAX_SAMPLE_LAB_MONTHS,
        "each sample lab-month keeps every state variable and its CSV row (about 1 KB); keep \
         fewer sample runs",
    )
}

/// Checks an explanation of `runs` runs in `worlds` worlds, its imposed worlds' profile
/// taken from `profile_runs` factual runs, keeping `samples` sample runs of a scenario of
/// `months` x `labs`.
pub fn explain(
    runs: u64,
    profile_runs: u64,
    worlds: u64,
    samples: u64,
    months: u32,
    labs: usize,
) -> Result<(), TooLarge> {
    monte_carlo(runs, samples, months, labs)?;
    at_most(
        format!("--profile-runs {profile_runs}"),
        profile_runs.into(),
        MAX_RUNS,
        "each of them is a factual run simulated whole, in every shard; the profile's \
         means settle long before",
    )?;
    at_most(
        format!("--runs {runs} x {worlds} worlds"),
        u128::from(runs) * u128::from(worlds),
        MAX_WORLD_RUNS,
        "every world simulates every run; use fewer runs or channels (--channels), or split \
         it with --shard",
    )
}

/// Checks a sweep of `cells` cells of `runs` runs each.
pub fn sweep(cells: u128, runs: u64) -> Result<(), TooLarge> {
    at_most(
        format!("the grid's {} cells", grouped(cells)),
        cells,
        MAX_CELLS,
        "every cell's scenario is built and checked up front; use fewer STEPS",
    )?;
    runs_per(
        "cell",
        runs,
        "each run takes time; fewer runs per cell are usually enough (the quantiles settle by 10,000)",
    )?;
    at_most(
        format!("{} cells x {runs} runs", grouped(cells)),
        cells * u128::from(runs),
        MAX_SWEEP_RUNS,
        "a sweep that large would run for days; use fewer cells or runs, or split it with --shard",
    )
}

/// Checks a sensitivity study of `samples` rows, `k` inputs and `runs` runs per point.
pub fn sensitivity(samples: u64, k: usize, runs: u64) -> Result<(), TooLarge> {
    at_most(
        format!("--samples {samples}"),
        samples.into(),
        MAX_SENSITIVITY_SAMPLES,
        "the indices settle long before; try 128 to 4,096",
    )?;
    let points = u128::from(samples) * (k as u128 + 2);
    at_most(
        format!("--samples {samples} x ({k} inputs + 2) points"),
        points,
        MAX_POINTS,
        "every point's inputs and value are kept in memory (about 0.13 KB each)",
    )?;
    runs_per("point", runs, "each point is the mean over its runs")?;
    at_most(
        format!("{} points x {runs} runs", grouped(points)),
        points * u128::from(runs),
        MAX_POINT_RUNS,
        "a study that large would run for days; use fewer samples or runs, or split it with --shard",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_refuse_beyond_and_accept_at_the_edge() {
        assert!(monte_carlo(MAX_RUNS, 3, 120, 3).is_ok());
        let e = monte_carlo(10_000_000_000, 3, 120, 3).unwrap_err();
        assert_eq!(
            e.to_string().split(';').next().unwrap(),
            "--runs 10000000000: 10,000,000,000 is more than the limit of 2,000,000"
        );
        assert!(monte_carlo(100, 0, 1200, 10).is_ok());
        assert!(monte_carlo(100, 0, 1200, 11).is_err());
        assert!(monte_carlo(100, 0, 120, 100).is_ok());
        // Samples beyond the runs keep nothing more.
        assert!(monte_carlo(10, u64::MAX, 120, 3).is_ok());
        assert!(monte_carlo(MAX_RUNS, MAX_SAMPLES, 1200, 3).is_err());
        assert!(sweep(u128::from(MAX_CELLS), 10_000).is_ok());
        assert!(sweep(u128::from(MAX_CELLS) + 1, 1).is_err());
        assert!(sweep(1000, 10_000_000_000).is_err());
        assert!(sweep(100_000, 100_000).is_err());
        assert!(explain(1000, 1000, 128, 10, 120, 3).is_ok());
        assert!(explain(MAX_RUNS, 1000, 128, 10, 120, 3).is_err());
        assert!(explain(1000, MAX_RUNS + 1, 2, 10, 120, 3).is_err());
        assert!(sensitivity(128, 3, 50).is_ok());
        assert!(sensitivity(100_000_000_000, 3, 50).is_err());
        assert!(sensitivity(1_000_000, 10, 1).is_err());
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(12), "12");
    }
}
