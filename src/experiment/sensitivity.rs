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

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::engine::{Calendar, Engine, StepError};
use crate::metrics::{RunMeasures, RunTrace};
use crate::scenario::Scenario;
use crate::scenario::uncertain::{Dist, Realizer};

/// Bootstrap resamples for the confidence intervals.
pub const RESAMPLES: usize = 500;
/// Seed of the bootstrap generator (fixed: the intervals are part of the result).
pub const BOOTSTRAP_SEED: u64 = 0x5EB0_0757;
/// Confidence level of the intervals.
pub const CONFIDENCE: f64 = 0.95;

/// The generator of row `row` of the sample matrices `A` and `B`: ChaCha8 seeded from
/// the master seed on stream `row`, 2^65 words in (runs use words from 0, their input
/// draws from 2^64).
fn row_rng(seed: u64, row: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(row);
    rng.set_word_pos(1u128 << 65);
    rng
}

/// Row `row` of `A` and of `B`: `k` uniform numbers each.
pub fn design_row(seed: u64, row: u64, k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = row_rng(seed, row);
    let a: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
    let b: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
    (a, b)
}

/// The `k + 2` unit-cube points of a row, in evaluation order: `A`, `B`, `AB_1..AB_k`.
pub fn row_points(a: &[f64], b: &[f64]) -> Vec<Vec<f64>> {
    let mut points = vec![a.to_vec(), b.to_vec()];
    for i in 0..a.len() {
        let mut ab = a.to_vec();
        ab[i] = b[i];
        points.push(ab);
    }
    points
}

/// One input's indices with their bootstrap intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indices {
    /// First-order index.
    pub s1: f64,
    /// Lower end of its interval.
    pub s1_lo: f64,
    /// Upper end.
    pub s1_hi: f64,
    /// Total-effect index.
    pub st: f64,
    /// Lower end of its interval.
    pub st_lo: f64,
    /// Upper end.
    pub st_hi: f64,
}

/// Point estimates of `(S1, ST)` for each of `k` inputs from the model values of `rows`
/// (each `k + 2` long: `f(A), f(B), f(AB_1), ..`), using the rows listed in `pick`.
pub fn estimate(values: &[Vec<f64>], pick: &[usize], k: usize) -> (Vec<f64>, Vec<f64>) {
    let n = pick.len() as f64;
    let mean = pick
        .iter()
        .map(|&j| values[j][0] + values[j][1])
        .sum::<f64>()
        / (2.0 * n);
    let var = pick
        .iter()
        .map(|&j| (values[j][0] - mean).powi(2) + (values[j][1] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n - 1.0);
    let mut s1 = vec![0.0; k];
    let mut st = vec![0.0; k];
    for i in 0..k {
        let (mut first, mut total) = (0.0, 0.0);
        for &j in pick {
            let (fa, fb, fab) = (values[j][0], values[j][1], values[j][2 + i]);
            // Centred on the mean: the same estimator in expectation (the mean of
            // f(AB_i) - f(A) is zero), with less variance when the mean is far from 0.
            first += (fb - mean) * (fab - fa);
            total += (fa - fab).powi(2);
        }
        s1[i] = first / n / var;
        st[i] = total / (2.0 * n) / var;
    }
    (s1, st)
}

/// Indices with bootstrap intervals (see the module docs). NaN when the measure does not
/// vary.
pub fn indices(values: &[Vec<f64>], k: usize) -> Vec<Indices> {
    let all: Vec<usize> = (0..values.len()).collect();
    let (s1, st) = estimate(values, &all, k);
    let mut rng = ChaCha8Rng::seed_from_u64(BOOTSTRAP_SEED);
    let mut boot_s1 = vec![Vec::with_capacity(RESAMPLES); k];
    let mut boot_st = vec![Vec::with_capacity(RESAMPLES); k];
    let mut pick = vec![0usize; values.len()];
    for _ in 0..RESAMPLES {
        for p in pick.iter_mut() {
            *p = rng.random_range(0..values.len());
        }
        let (a, b) = estimate(values, &pick, k);
        for i in 0..k {
            boot_s1[i].push(a[i]);
            boot_st[i].push(b[i]);
        }
    }
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let q = |v: &mut Vec<f64>, p: f64| crate::stats::quantile(v, p);
    // (stats::quantile sorts a copy; the vectors are small.)
    (0..k)
        .map(|i| Indices {
            s1: s1[i],
            s1_lo: q(&mut boot_s1[i], tail),
            s1_hi: q(&mut boot_s1[i], 1.0 - tail),
            st: st[i],
            st_lo: q(&mut boot_st[i], tail),
            st_hi: q(&mut boot_st[i], 1.0 - tail),
        })
        .collect()
}

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

    /// The measure's mean over runs `0..runs` of the scenario with these input values.
    fn point_value(&self, realizer: &Realizer<'_>, values: &[f64]) -> Result<f64, StepError> {
        let scenario = realizer.scenario(values);
        // Once per point, shared by its runs.
        let calendar = Calendar::new(&scenario);
        let (labs, months) = (scenario.labs.len(), scenario.months as usize);
        let mut sum = 0.0;
        for run in 0..self.runs {
            let mut trace = RunTrace::new(labs, months);
            Engine::with_calendar(
                &scenario,
                std::borrow::Cow::Borrowed(&calendar),
                self.seed,
                run,
            )
            .run(&mut trace)?;
            let (m, _) = RunMeasures::measure(run, &trace, &scenario);
            // Always applies: the command refuses a measure the scenario does not have.
            sum += self.measure.1.of(&m).unwrap_or(f64::NAN);
        }
        Ok(sum / self.runs as f64)
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

    /// Writes `summary.json`, `sensitivity.csv`, `samples.csv` and `scenario.toml` into
    /// `dir` (which must exist).
    pub fn write(&self, dir: &std::path::Path) -> Result<(), crate::output::OutputError> {
        use crate::output::OutputError;
        let write = |name: &str, bytes: Vec<u8>| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|e| OutputError::io(&path, e))
        };
        let summary = self.summary();
        let mut json = serde_json::to_vec_pretty(&summary).unwrap_or_default();
        json.push(b'\n');
        write("summary.json", json)?;
        let num = |v: f64| {
            if v.is_finite() {
                v.to_string()
            } else {
                String::new()
            }
        };
        let mut csv = String::from("param,dist,s1,s1_lo,s1_hi,st,st_lo,st_hi\n");
        for p in &summary.params {
            let i = &p.indices;
            csv.push_str(&format!(
                "{},\"{}\",{},{},{},{},{},{}\n",
                p.param,
                p.dist.replace('"', "\"\""),
                num(i.s1),
                num(i.s1_lo),
                num(i.s1_hi),
                num(i.st),
                num(i.st_lo),
                num(i.st_hi)
            ));
        }
        write("sensitivity.csv", csv.into_bytes())?;
        // Every point: which matrix and row, the inputs' values and the measure.
        let h = &self.header;
        let k = h.params.len();
        let dists: Vec<Dist> = h
            .params
            .iter()
            .filter_map(|(_, d)| {
                let t: toml::Table = toml::from_str(&format!("v = {d}")).ok()?;
                Dist::parse(t.get("v")?.as_table()?).ok()
            })
            .collect();
        let mut csv = String::from("row,matrix");
        for (p, _) in &h.params {
            csv.push(',');
            csv.push_str(p);
        }
        csv.push_str(&format!(",{}\n", h.measure));
        for (j, row) in self.values.iter().enumerate() {
            let (a, b) = design_row(h.seed, j as u64, k);
            for (m, (point, value)) in row_points(&a, &b).iter().zip(row).enumerate() {
                let name = match m {
                    0 => "A".to_string(),
                    1 => "B".to_string(),
                    i => format!("AB{}", i - 1),
                };
                csv.push_str(&format!("{j},{name}"));
                for (u, d) in point.iter().zip(&dists) {
                    csv.push_str(&format!(",{}", num(d.quantile(*u))));
                }
                csv.push_str(&format!(",{}\n", num(*value)));
            }
        }
        write("samples.csv", csv.into_bytes())?;
        write("scenario.toml", h.scenario_toml.clone().into_bytes())
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
        out
    }
}

/// File name of a shard's partial result.
pub const PARTIAL_FILE: &str = "partial.bin";
const PARTIAL_TAG: &[u8] = b"racerun-sensitivity-partial v1\n";

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

impl Part {
    /// The partial file's bytes: a tag, then postcard (every f64 bit-exact).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = PARTIAL_TAG.to_vec();
        out.extend(postcard::to_stdvec(self).unwrap_or_default());
        out
    }

    /// Reads a partial file's bytes; `None` when they are not a sensitivity partial.
    pub fn from_bytes(bytes: &[u8]) -> Option<Result<Part, String>> {
        let body = bytes.strip_prefix(PARTIAL_TAG)?;
        Some(postcard::from_bytes(body).map_err(|e| e.to_string()))
    }
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
    use std::f64::consts::PI;

    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let n = 8192;
        let values: Vec<Vec<f64>> = (0..n)
            .map(|j| {
                let (a, b) = design_row(42, j, 3);
                row_points(&a, &b)
                    .iter()
                    .map(|p| {
                        let x: Vec<f64> = p.iter().map(|u| -PI + 2.0 * PI * u).collect();
                        ishigami(&x)
                    })
                    .collect()
            })
            .collect();
        let got = indices(&values, 3);
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            let g = &got[i];
            assert!(
                (g.s1 - s1[i]).abs() < 0.04,
                "S1[{i}] = {} vs {}",
                g.s1,
                s1[i]
            );
            assert!(
                (g.st - st[i]).abs() < 0.03,
                "ST[{i}] = {} vs {}",
                g.st,
                st[i]
            );
            assert!(g.s1_lo <= g.s1 && g.s1 <= g.s1_hi, "{g:?}");
            assert!(g.st_lo <= g.st && g.st <= g.st_hi, "{g:?}");
            // The intervals cover the truth.
            assert!(g.s1_lo - 0.01 <= s1[i] && s1[i] <= g.s1_hi + 0.01, "{g:?}");
            assert!(g.st_lo - 0.01 <= st[i] && st[i] <= g.st_hi + 0.01, "{g:?}");
        }
        eprintln!("ishigami N={n}: {got:?}");
    }

    #[test]
    fn design_rows_are_reproducible_and_independent_of_the_split() {
        assert_eq!(design_row(1, 5, 3), design_row(1, 5, 3));
        assert_ne!(design_row(1, 5, 3), design_row(1, 6, 3));
        assert_ne!(design_row(1, 5, 3), design_row(2, 5, 3));
    }
}
