//! Global sensitivity: which assumption decides whether it is a race?
//!
//! Sobol indices of one headline measure (the mean over a small Monte Carlo) with respect
//! to a few uncertain inputs, each varying over its whole distribution:
//!
//! - **first-order** `S1_i`: the share of the measure's variance that input `i` explains
//!   alone (how much would be gained by knowing it exactly);
//! - **total-effect** `ST_i`: the share it explains alone or together with the others
//!   (how much would remain if all but it were known); `ST_i - S1_i` is interaction.
//!
//! **Sampling** (Saltelli 2002/2010). Two independent `N x k` matrices `A` and `B` of
//! uniform numbers, and for each input `i` the matrix `AB_i`: `A` with column `i` taken
//! from `B`. Each row of a matrix is a point of the unit cube, mapped to input values by
//! each input's quantile function; the model is evaluated at `N (k + 2)` points. Row `j`
//! of `A` and `B` comes from its own generator (ChaCha8 seeded from the master seed on
//! stream `j`, far from any run's draws), so a share of the rows (`--shard`) is computed
//! exactly as in the whole. The model at a point is the mean of measure `M` over runs
//! `0..runs` of the scenario with those inputs: every point uses the same run indices,
//! so the same random streams (common random numbers), which keeps simulation noise from
//! masquerading as sensitivity.
//!
//! **Estimators.** With `V` the variance of the `2N` values `f(A)`, `f(B)`:
//! `S1_i = mean_j (f(B)_j - m) (f(AB_i)_j - f(A)_j) / V` (Saltelli et al. 2010, centred
//! on the mean `m` of the `2N` values, which leaves its expectation unchanged and cuts its
//! variance when `m` is far from zero) and
//! `ST_i = mean_j (f(A)_j - f(AB_i)_j)^2 / (2 V)` (Jansen 1999).
//!
//! **Confidence intervals.** Bootstrap over the `N` rows: 500 resamples with a fixed
//! generator, the indices recomputed on each, the 2.5% and 97.5% percentiles reported.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use super::sobol::{
    BOOTSTRAP_SEED, CONFIDENCE, Indices, RESAMPLES, design_row, estimate, indices, row_points,
};
use crate::engine::{Calendar, Engine, StepError, Workspace};
use crate::metrics::{RunMeasures, RunMonthly, RunTrace};
use crate::scenario::Scenario;
use crate::scenario::uncertain::{Dist, Realizer};

/// A sensitivity experiment on one scenario, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Sensitivity<'a> {
    /// The scenario; its uncertain inputs include every studied one.
    pub scenario: &'a Scenario,
    /// Indices into [`Scenario::uncertain`] of the studied inputs, in table order.
    pub params: Vec<usize>,
    /// Name of the measure and how to read it from a run.
    pub measure: (String, &'static crate::measures::Measure),
    /// `N`, rows of the sample matrices.
    pub samples: u64,
    /// Runs per point.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
}

impl Sensitivity<'_> {
    /// Number of studied inputs, `k`.
    pub fn k(&self) -> usize {
        self.params.len()
    }

    /// The studied inputs' distributions, in table order.
    pub fn dists(&self) -> Vec<Dist> {
        let u = self.scenario.uncertain();
        self.params.iter().map(|&i| u[i].dist).collect()
    }

    /// Input values of a unit-cube point: the studied inputs through their quantile
    /// functions, every other uncertain input at its median.
    pub fn values(&self, point: &[f64]) -> Vec<f64> {
        let u = self.scenario.uncertain();
        let mut values: Vec<f64> = u.iter().map(|x| x.dist.median()).collect();
        for (&i, &p) in self.params.iter().zip(point) {
            values[i] = u[i].dist.quantile(p);
        }
        values
    }

    /// Model values of rows `rows` (each `k + 2` long, see [`row_points`]), evaluated in
    /// parallel on the current rayon pool, returned in row order.
    pub fn evaluate(
        &self,
        rows: std::ops::Range<u64>,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<Vec<f64>>, StepError> {
        let realizer = Realizer::new(self.scenario);
        let k = self.k();
        let points: Vec<Vec<f64>> = rows
            .clone()
            .flat_map(|j| {
                let (a, b) = design_row(self.seed, j, k);
                row_points(&a, &b)
            })
            .collect();
        let f: Vec<Result<f64, StepError>> = points
            .par_iter()
            .map(|p| {
                let v = self.point_value(&realizer, &self.values(p));
                progress();
                v
            })
            .collect();
        let f = f.into_iter().collect::<Result<Vec<f64>, StepError>>()?;
        Ok(f.chunks(k + 2).map(<[f64]>::to_vec).collect())
    }

    /// The measure's mean over runs `0..runs` of the scenario with these input values
    /// (those where it applies; NaN when none does).
    fn point_value(&self, realizer: &Realizer<'_>, values: &[f64]) -> Result<f64, StepError> {
        let scenario = realizer.scenario(values);
        // Once per point, shared by its runs.
        let calendar = Calendar::new(&scenario);
        let (labs, months) = (scenario.labs.len(), scenario.months as usize);
        let (mut sum, mut applies) = (0.0, 0u64);
        // Reused from run to run: the runs of a point allocate nothing.
        let mut trace = RunTrace::new(labs, months);
        let (mut monthly, mut engine) = (RunMonthly::default(), Workspace::default());
        for run in 0..self.runs {
            trace.reset(labs);
            let calendar = std::borrow::Cow::Borrowed(&calendar);
            let workspace = std::mem::take(&mut engine);
            Engine::reusing(&scenario, calendar, self.seed, run, None, workspace)
                .run_reusing(&mut trace, &mut engine)?;
            let m = RunMeasures::measure_into(run, &trace, &scenario, &mut monthly);
            // The command refuses a measure the scenario does not have; a run may still
            // lack one (no lab ever led: no spell to measure), and is left out of the mean.
            if let Some(v) = self.measure.1.of(&m) {
                sum += v;
                applies += 1;
            }
        }
        Ok(if applies == 0 {
            f64::NAN
        } else {
            sum / applies as f64
        })
    }
}

/// What defines a sensitivity experiment's result: the same in every shard, and all
/// that is needed, with the model values, to write the output files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// racerun version.
    pub racerun_version: String,
    /// Scenario name.
    pub scenario: String,
    /// The resolved scenario, written as `scenario.toml`.
    pub scenario_toml: String,
    /// Calendar month of month 0.
    pub start: String,
    /// Horizon in months.
    pub months: u32,
    /// Studied inputs: path and distribution (inline TOML), in table order.
    pub params: Vec<(String, String)>,
    /// The measure.
    pub measure: String,
    /// `N`.
    pub samples: u64,
    /// Runs per point.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
}

impl Header {
    /// The header of an experiment.
    pub fn of(s: &Sensitivity<'_>) -> Header {
        let u = s.scenario.uncertain();
        Header {
            racerun_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: s.scenario.name.clone(),
            scenario_toml: s.scenario.to_toml(),
            start: s.scenario.start().to_string(),
            months: s.scenario.months,
            params: s
                .params
                .iter()
                .map(|&i| (u[i].path.clone(), u[i].dist.to_inline()))
                .collect(),
            measure: s.measure.0.clone(),
            samples: s.samples,
            runs: s.runs,
            seed: s.seed,
        }
    }
}

/// One input's row of `sensitivity.csv` and `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamResult {
    /// Parameter path.
    pub param: String,
    /// Its distribution.
    pub dist: String,
    /// Its indices.
    #[serde(flatten)]
    pub indices: Indices,
}

/// The content of a sensitivity experiment's `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivitySummary {
    /// racerun version.
    pub racerun_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Calendar month of month 0.
    pub start: String,
    /// Horizon in months.
    pub months: u32,
    /// The measure (a headline measure, mean over the runs of a point).
    pub measure: String,
    /// `N`, rows of the sample matrices A and B.
    pub samples: u64,
    /// Model evaluations, `N (k + 2)`.
    pub points: u64,
    /// Runs per point (the same run indices at every point).
    pub runs_per_point: u64,
    /// Master seed.
    pub seed: u64,
    /// Method, in words.
    pub method: String,
    /// Mean of the measure over the points of A and B.
    pub mean: f64,
    /// Its variance, the denominator of the indices.
    pub variance: f64,
    /// Indices per input, in the order given.
    pub params: Vec<ParamResult>,
}

/// The method as written in `summary.json`.
pub const METHOD: &str = "Sobol indices by Saltelli sampling (matrices A, B and AB_i of seeded \
    uniform numbers mapped through each input's quantile function); first order by the \
    Saltelli (2010) estimator, total effect by Jansen's; 95% percentile bootstrap intervals \
    over the N rows (500 resamples, fixed seed); each point the mean of the measure over the \
    same runs (common random numbers); other uncertain inputs held at their medians";

/// A sensitivity experiment's result: its header and the model values of every row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// What was computed.
    pub header: Header,
    /// `values[row]`: `f(A), f(B), f(AB_1), ..`.
    pub values: Vec<Vec<f64>>,
}

impl Outcome {
    /// Checks that the indices are defined: the measure has a value at every point and
    /// varies across the points of `A` and `B` (the indices divide by its variance).
    pub fn check(&self) -> Result<(), String> {
        let h = &self.header;
        let all: Vec<f64> = self.values.iter().flatten().copied().collect();
        let undefined = all.iter().filter(|v| !v.is_finite()).count();
        if undefined > 0 {
            return Err(format!(
                "--measure {}: the measure is undefined (not a number) at {undefined} of {} \
                 points, so its variance and the indices are too; choose another measure \
                 (measures of followers need at least two labs)",
                h.measure,
                all.len()
            ));
        }
        // Constant up to rounding: the spread is below a billionth of the values' scale
        // (sums of shares that should be 0 come out as 1e-17 and the like).
        let ab: Vec<f64> = self.values.iter().flat_map(|r| [r[0], r[1]]).collect();
        let (lo, hi) = ab
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            });
        let scale = lo.abs().max(hi.abs()).max(1.0);
        if !ab.is_empty() && hi - lo <= 1e-9 * scale {
            return Err(format!(
                "--measure {}: the measure has no variance: it is {} at every one of the {} \
                 points of A and B (up to rounding), so no input explains any of it and the \
                 Sobol indices are undefined. Choose a measure that varies, or widen the \
                 inputs' ranges",
                h.measure,
                crate::output::num(if lo.abs() < 1e-9 { 0.0 } else { lo }),
                ab.len()
            ));
        }
        Ok(())
    }

    /// The summary: indices with intervals.
    pub fn summary(&self) -> SensitivitySummary {
        let h = &self.header;
        let k = h.params.len();
        let found = indices(&self.values, k);
        let ab: Vec<f64> = self.values.iter().flat_map(|r| [r[0], r[1]]).collect();
        let mean = ab.iter().sum::<f64>() / ab.len() as f64;
        let variance = ab.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (ab.len() as f64 - 1.0);
        SensitivitySummary {
            racerun_version: h.racerun_version.clone(),
            scenario: h.scenario.clone(),
            start: h.start.clone(),
            months: h.months,
            measure: h.measure.clone(),
            samples: h.samples,
            points: h.samples * (k as u64 + 2),
            runs_per_point: h.runs,
            seed: h.seed,
            method: METHOD.to_string(),
            mean,
            variance,
            params: h
                .params
                .iter()
                .zip(found)
                .map(|((param, dist), indices)| ParamResult {
                    param: param.clone(),
                    dist: dist.clone(),
                    indices,
                })
                .collect(),
        }
    }

    /// The table printed on the terminal, inputs by decreasing total effect.
    pub fn table(&self) -> String {
        let s = self.summary();
        let mut rows: Vec<&ParamResult> = s.params.iter().collect();
        rows.sort_by(|a, b| b.indices.st.total_cmp(&a.indices.st));
        let width = rows.iter().map(|p| p.param.len()).max().unwrap_or(5).max(5);
        let mut out = format!(
            "Sobol indices of {} (mean over {} runs per point), scenario {}, N = {} ({} points), seed {}\n",
            s.measure, s.runs_per_point, s.scenario, s.samples, s.points, s.seed
        );
        out.push_str(&format!(
            "mean {:.4}, variance {:.4e} across points\n\n",
            s.mean, s.variance
        ));
        out.push_str(&format!(
            "{:width$}  {:>6}  {:>17}  {:>6}  {:>17}\n",
            "input", "S1", "95% CI", "ST", "95% CI"
        ));
        out.push_str(&format!("{}\n", "-".repeat(width + 54)));
        let f = |v: f64| {
            if v.is_finite() {
                format!("{v:.3}")
            } else {
                "-".into()
            }
        };
        for p in rows {
            let i = &p.indices;
            out.push_str(&format!(
                "{:width$}  {:>6}  {:>17}  {:>6}  {:>17}\n",
                p.param,
                f(i.s1),
                format!("[{}, {}]", f(i.s1_lo), f(i.s1_hi)),
                f(i.st),
                format!("[{}, {}]", f(i.st_lo), f(i.st_hi)),
            ));
        }
        out.push_str(
            "\nS1: share of the variance the input explains alone; ST: alone or with others \
             (ST - S1 = interactions).\n",
        );
        if let Some(why) = implausible(&s.params) {
            out.push_str(&format!(
                "warning: {why}: the estimates are mostly sampling noise; rerun with more \
                 --samples (N; now {}) or more --runs per point\n",
                s.samples
            ));
        }
        out
    }
}

/// What makes a set of Sobol estimates impossible as true values, if anything: an index
/// above 1 or below 0 beyond what sampling error allows (by more than 0.05), or an input
/// whose S1 exceeds its ST (by more than 0.05; alone it cannot explain more than alone and
/// with others). Estimates with few samples cross these; a reader should not take them.
fn implausible(params: &[ParamResult]) -> Option<String> {
    const SLACK: f64 = 0.05;
    params.iter().find_map(|p| {
        let i = &p.indices;
        if [i.s1, i.st].iter().any(|v| *v > 1.0 + SLACK || *v < -SLACK) {
            Some(format!(
                "{} has an index outside [0, 1] (S1 {:.2}, ST {:.2})",
                p.param, i.s1, i.st
            ))
        } else if i.s1 > i.st + SLACK {
            Some(format!(
                "{} has S1 {:.2} above its ST {:.2}",
                p.param, i.s1, i.st
            ))
        } else {
            None
        }
    })
}

/// What `sensitivity --shard K/N` computes: the model values of its share of the rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The experiment.
    pub header: Header,
    /// This shard.
    pub shard: super::shard::Shard,
    /// First row.
    pub first: u64,
    /// Values of rows `first..first + values.len()`.
    pub values: Vec<Vec<f64>>,
}

/// Combines the partials of shards `1/N..N/N` into the whole outcome, refusing missing,
/// duplicated or mismatched shards.
pub fn merge(parts: Vec<(String, Part)>) -> Result<Outcome, String> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no sensitivity partials given".into());
    };
    let count = first.shard.count;
    for (name, p) in &parts {
        if p.header != first.header {
            return Err(format!(
                "{name} and {first_name} are shares of different sensitivity experiments \
                 (scenario, inputs, measure, samples, runs or seed differ)"
            ));
        }
        if p.shard.count != count {
            return Err(format!(
                "{name} is shard {} but {first_name} is shard {}",
                p.shard, first.shard
            ));
        }
    }
    let h = &first.header;
    super::limits::sensitivity(h.samples, h.params.len(), h.runs).map_err(|e| e.to_string())?;
    let mut ordered: Vec<&(String, Part)> = parts.iter().collect();
    ordered.sort_by_key(|(_, p)| p.shard.index);
    for w in ordered.windows(2) {
        if w[0].1.shard.index == w[1].1.shard.index {
            return Err(format!(
                "{} and {} are both shard {}",
                w[0].0, w[1].0, w[0].1.shard
            ));
        }
    }
    let have: Vec<u64> = ordered.iter().map(|(_, p)| p.shard.index).collect();
    let missing: Vec<String> = (1..=count)
        .filter(|k| !have.contains(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing shard(s) {}", missing.join(", ")));
    }
    let mut values = Vec::with_capacity(first.header.samples as usize);
    for (name, p) in ordered {
        if p.first != values.len() as u64 {
            return Err(format!(
                "{name}: rows start at {}, expected {}",
                p.first,
                values.len()
            ));
        }
        let width = p.header.params.len() + 2;
        if let Some((j, row)) = p.values.iter().enumerate().find(|(_, r)| r.len() != width) {
            return Err(format!(
                "{name}: row {} holds {} values, expected {width}",
                p.first + j as u64,
                row.len()
            ));
        }
        values.extend(p.values.iter().cloned());
    }
    if values.len() as u64 != first.header.samples {
        return Err(format!(
            "the shards hold {} rows, expected {}",
            values.len(),
            first.header.samples
        ));
    }
    Ok(Outcome {
        header: first.header.clone(),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sobol::Indices;

    fn param(s1: f64, st: f64) -> ParamResult {
        ParamResult {
            param: "world.dynamics.kappa".into(),
            dist: "uniform".into(),
            indices: Indices {
                s1,
                s1_lo: s1,
                s1_hi: s1,
                st,
                st_lo: st,
                st_hi: st,
            },
        }
    }

    #[test]
    fn impossible_estimates_are_named_and_sampling_slack_is_not() {
        assert!(implausible(&[param(0.4, 0.6), param(0.03, 0.0)]).is_none());
        let above = implausible(&[param(0.2, 0.3), param(0.6, 0.4)]).unwrap();
        assert!(above.contains("S1 0.60 above its ST 0.40"), "{above}");
        let over = implausible(&[param(0.5, 1.3)]).unwrap();
        assert!(over.contains("outside [0, 1]"), "{over}");
        assert!(implausible(&[param(-0.2, 0.1)]).is_some());
    }
}
