//! Parameter sweeps: a grid of one or two parameters, each cell a full Monte Carlo with
//! the same seed and run indices (common random numbers), so differences between cells
//! come from the parameter, not from the dice.
//!
//! A [`Sweep`] is planned up front: every cell's scenario is built and validated before
//! anything is simulated, so a bad value fails at once, naming its `--vary` argument.
//! [`Sweep::run_cells`] then simulates cells in order, hands each finished
//! [`CellResult`] to a sink (the command writes it to disk at once, so an interrupted
//! sweep keeps its finished cells), and stops between cells when asked.
//!
//! A cell's numbers are exactly those of `racerun run` on the same scenario, `--set`
//! and seed: the cell runs [`montecarlo::run`] and summarises it with [`Summary::new`].

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ExperimentError, limits};
use crate::explain::{self, Channel};
use crate::metrics::bootstrap::{Estimate, Resamples};
use crate::metrics::{rule_text, shares_text};
use crate::montecarlo::{self, MonteCarlo};
use crate::output::{Summary, SummaryStat};
use crate::scenario::{Override, Scenario};

mod summary;
pub use summary::{CellVerdict, EffectClear, SweepSummary, sweep_summary};

pub use super::axis::{Axis, generic_path};
pub use super::limits::MAX_CELLS;

/// What one cell found: the same measures as `summary.json` of `racerun run`, the
/// cell's regime verdict, and the share of runs that on their own meet each regime's
/// thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellResult {
    /// Cell index, row-major (the first `--vary` changes slowest).
    pub cell: u64,
    /// The swept values, one per axis.
    pub values: Vec<f64>,
    /// Headline measures across runs, by name (as in `summary.json`).
    pub measures: BTreeMap<String, SummaryStat>,
    /// With `--effect`: the 95% bootstrap interval of each effect's mean, `[low, high]`,
    /// by the effect's name (`effect.<channel>.<measure>`).
    /// (Always written: finished cells and partials are positional postcard, where a
    /// skipped field would shift the ones after it.)
    #[serde(default)]
    pub effect_ci: BTreeMap<String, [f64; 2]>,
    /// The cell's verdict: `race`, `run` or `mixed`.
    pub regime: String,
    /// The numbers the verdict looked at (as in `summary.json`).
    pub evidence: BTreeMap<String, f64>,
    /// Why the verdict is uncertain (an interval of its evidence reaching another
    /// regime), as `racerun run` says it, if it is.
    pub uncertain: Option<String>,
    /// Share of runs that on their own meet the race thresholds.
    pub race_share: f64,
    /// Share of runs that on their own meet the run thresholds.
    pub run_share: f64,
    /// Share of runs that meet neither.
    pub mixed_share: f64,
}

/// A planned sweep: the base scenario, the axes, and every cell's validated scenario.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The scenario before the swept values (with `--set` applied).
    pub base: Scenario,
    /// The swept parameters, one or two.
    pub axes: Vec<Axis>,
    /// Master seed, the same for every cell.
    pub seed: u64,
    /// Runs per cell, the same indices `0..runs` in every cell.
    pub runs: u64,
    /// The fixed `--set` overrides, as given.
    pub overrides: Vec<String>,
    /// The channel whose total effect every cell also measures ([`Sweep::with_effect`]).
    pub effect: Option<Channel>,
    cells: Vec<Scenario>,
}

/// How [`Sweep::run_cells`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// Every requested cell is done.
    Complete,
    /// The stop flag was raised; cells finished before it are kept.
    Stopped,
}

impl Sweep {
    /// Plans a sweep of `text` (a scenario, `origin` naming it in messages) with the
    /// fixed overrides `set` and the axes; builds and validates every cell.
    pub fn plan(
        text: &str,
        origin: &str,
        set: &[Override],
        axes: Vec<Axis>,
        seed: u64,
        runs: u64,
    ) -> Result<Sweep, ExperimentError> {
        if axes.is_empty() || axes.len() > 2 {
            return Err(ExperimentError::Plan(format!(
                "expected one or two --vary arguments, got {}",
                axes.len()
            )));
        }
        if runs == 0 {
            return Err(ExperimentError::Plan(
                "--runs: expected at least 1 run per cell, got 0".into(),
            ));
        }
        if axes.len() == 2 && axes[0].path == axes[1].path {
            return Err(ExperimentError::Vary {
                arg: axes[1].arg.clone(),
                message: format!("`{}` is already varied by {}", axes[1].path, axes[0].arg),
            });
        }
        // A `--set` of a swept path (or of a parameter inside it) would be overridden by
        // every cell without a word: refuse it.
        for axis in &axes {
            let swept: Vec<&str> = axis.path.split('.').map(str::trim).collect();
            if let Some(o) = set.iter().find(|o| {
                o.path.len() >= swept.len() && o.path.iter().zip(&swept).all(|(a, b)| a == b)
            }) {
                return Err(ExperimentError::Vary {
                    arg: axis.arg.clone(),
                    message: format!(
                        "`{}` is also set by {} {}, which every cell would override; drop one \
                         of the two",
                        axis.path, o.flag, o.arg
                    ),
                });
            }
        }
        let total: u128 = axes.iter().map(|a| a.values.len() as u128).product();
        limits::sweep(total, runs)?;
        let total = total as u64;
        let base = Scenario::load(text, origin, set)?;
        limits::scenario(base.months, base.labs.len())?;
        // Every `--vary`, for a problem no one axis is to blame for.
        let all_args = || {
            let args: Vec<&str> = axes.iter().map(|a| a.arg.as_str()).collect();
            args.join(" ")
        };
        let mut cells = Vec::with_capacity(total as usize);
        for index in 0..total {
            let values = grid_values(&axes, index);
            let mut overrides = set.to_vec();
            overrides.extend(axes.iter().zip(&values).map(|(a, v)| a.override_for(*v)));
            let scenario = Scenario::load(text, origin, &overrides).map_err(|e| {
                // Name the axis whose value broke the scenario: the first one whose path
                // the message mentions, else all of them.
                let message = e.to_string();
                let culprit = axes
                    .iter()
                    .zip(&values)
                    .find(|(a, _)| message.contains(&a.generic) || message.contains(&a.path));
                match culprit {
                    Some((a, v)) => ExperimentError::Vary {
                        arg: a.arg.clone(),
                        message: format!(
                            "value {} is not valid: {message}",
                            crate::numbers::readable(*v)
                        ),
                    },
                    None => ExperimentError::Vary {
                        arg: all_args(),
                        message: format!("cell {index} is not valid: {message}"),
                    },
                }
            })?;
            limits::scenario(scenario.months, scenario.labs.len()).map_err(|e| {
                ExperimentError::Vary {
                    arg: all_args(),
                    message: format!("cell {index}: {e}"),
                }
            })?;
            cells.push(scenario);
        }
        Ok(Sweep {
            base,
            axes,
            seed,
            runs,
            overrides: set.iter().map(|o| o.arg.clone()).collect(),
            effect: None,
            cells,
        })
    }

    /// Also measures, in every cell, the total effect of `channel` on each attributed
    /// measure: per run, its value in the factual world minus its value in the world with
    /// that channel off (two worlds a cell, common random numbers), as measures named
    /// `effect.<channel>.<measure>` (see [`effect_name`]). This is the channel's total
    /// effect, not its Shapley share: other channels stay on in both worlds.
    pub fn with_effect(mut self, channel: Option<Channel>) -> Sweep {
        self.effect = channel;
        self
    }

    /// Number of cells.
    pub fn cell_count(&self) -> u64 {
        self.cells.len() as u64
    }

    /// The validated scenario of a cell.
    pub fn cell_scenario(&self, cell: u64) -> &Scenario {
        &self.cells[cell as usize]
    }

    /// The swept values of a cell, one per axis.
    pub fn cell_values(&self, cell: u64) -> Vec<f64> {
        grid_values(&self.axes, cell)
    }

    /// A fingerprint of everything that determines the results: the resolved base
    /// scenario, the axes and their values, seed, runs and racerun version. Finished
    /// cells and partial results carry it, so stale or foreign ones are refused.
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION"));
        h.update(b"\0");
        h.update(self.base.to_toml());
        for a in &self.axes {
            h.update(b"\0axis\0");
            h.update(&a.path);
            h.update([u8::from(a.log)]);
            for v in &a.values {
                h.update(v.to_bits().to_le_bytes());
            }
        }
        h.update(self.seed.to_le_bytes());
        h.update(self.runs.to_le_bytes());
        if let Some(c) = self.effect {
            h.update(b"\0effect\0");
            h.update(c.name());
        }
        format!("{:x}", h.finalize())
    }

    /// Simulates one cell: a full Monte Carlo over runs `0..runs` with the sweep's seed.
    pub fn run_cell(&self, cell: u64, threads: usize) -> Result<CellResult, ExperimentError> {
        let scenario = self.cell_scenario(cell);
        let mc = MonteCarlo {
            seed: self.seed,
            runs: 0..self.runs,
            total: self.runs,
            threads,
            samples: 0,
        };
        let outcome = montecarlo::run(scenario, &mc, &|_| {})?;
        let summary = Summary::brief(scenario, self.seed, &outcome);
        // Per-run regimes; a run too short to judge meets neither rule.
        let counts = outcome.tally.regimes();
        let n = outcome.tally.runs() as f64;
        let mut measures = summary.measures;
        let mut effect_ci = BTreeMap::new();
        if let Some(channel) = self.effect {
            for (name, stat, ci) in total_effect(scenario, channel, self.seed, self.runs, threads)?
            {
                measures.insert(effect_name(channel, name), stat);
                effect_ci.insert(effect_name(channel, name), [ci.ci_low, ci.ci_high]);
            }
        }
        Ok(CellResult {
            cell,
            values: self.cell_values(cell),
            measures,
            effect_ci,
            regime: summary.verdict.regime,
            evidence: summary.verdict.evidence,
            uncertain: summary.verdict.uncertain,
            race_share: counts[0] as f64 / n,
            run_share: counts[1] as f64 / n,
            mixed_share: counts[2] as f64 / n,
        })
    }

    /// Simulates the cells in `cells` that `done` does not already hold, in order,
    /// passing each result to `sink` as soon as it is finished. Checks `stop` before each
    /// cell and returns [`Finish::Stopped`] when it is raised.
    pub fn run_cells(
        &self,
        cells: Range<u64>,
        threads: usize,
        done: &dyn Fn(u64) -> bool,
        stop: &AtomicBool,
        sink: &mut dyn FnMut(CellResult) -> Result<(), ExperimentError>,
    ) -> Result<Finish, ExperimentError> {
        for cell in cells {
            if done(cell) {
                continue;
            }
            if stop.load(Ordering::SeqCst) {
                return Ok(Finish::Stopped);
            }
            sink(self.run_cell(cell, threads)?)?;
        }
        Ok(Finish::Complete)
    }

    /// The description of the sweep saved beside its results.
    pub fn header(&self) -> SweepHeader {
        SweepHeader {
            racerun_version: env!("CARGO_PKG_VERSION").to_string(),
            kind: "sweep".into(),
            scenario: self.base.name.clone(),
            description: self.base.description.clone(),
            scenario_sha256: format!("{:x}", Sha256::digest(self.base.to_toml().as_bytes())),
            sweep_id: self.id(),
            start: self.base.start().to_string(),
            months: self.base.months,
            seed: self.seed,
            runs: self.runs,
            persistence_months: self.base.world.leadership.persistence_months,
            axes: self.axes.clone(),
            cells: self.cell_count(),
            rule: rule_text(self.base.world.leadership.persistence_months),
            shares_rule: shares_text(),
            overrides: self.overrides.clone(),
            effect: self.effect.map(|c| c.name().to_string()),
            effect_rule: self.effect.map(|c| {
                format!(
                    "effect.{}.<measure>: per run, the measure in the factual world minus the \
                     measure with {} off ({}), common random numbers; the channel's total \
                     effect, not its Shapley share (every other channel stays on)",
                    c.name(),
                    c.name(),
                    c.off_meaning()
                )
            }),
            measure: None,
        }
    }
}

/// The name of `channel`'s total effect on `measure` in a sweep's files.
pub fn effect_name(channel: Channel, measure: &str) -> String {
    format!("effect.{}.{measure}", channel.name())
}

/// The total effect of `channel` on each attributed measure over runs `0..runs` of
/// `scenario`: per run, the factual value minus the value with the channel off; zero in
/// every run when the scenario does not use the channel. With each, the 95% bootstrap
/// interval of its mean, from the resamples `racerun explain` draws for the same seed and
/// runs.
fn total_effect(
    scenario: &Scenario,
    channel: Channel,
    seed: u64,
    runs: u64,
    threads: usize,
) -> Result<Vec<(&'static str, SummaryStat, Estimate)>, ExperimentError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| crate::montecarlo::MonteCarloError::Threads {
            threads,
            message: e.to_string(),
        })?;
    let setup = explain::Setup {
        scenario,
        channels: vec![channel],
        seed,
        runs,
        samples: 0,
        // The cell's own runs, not `explain::PROFILE_RUNS`: a cell pays for two worlds
        // of `runs` runs, and 1,000 more factual runs a cell would multiply the cost of a
        // small one. The effect is then conditional on a profile that moves with `runs`
        // (docs/attribution.md, "Maps of causes").
        profile_runs: runs,
    };
    let part = pool
        .install(|| explain::explain(&setup, 0..runs, &|_, _| {}))
        .map_err(crate::montecarlo::MonteCarloError::from)?;
    let width = part.row_len().max(1);
    let k = part.used.len();
    // Each run's row: per measure, factual, all off, then the channel's value (with one
    // channel, factual minus off); NaN where the measure does not apply.
    let effects: Vec<f64> = part
        .rows
        .chunks(width)
        .flat_map(|r| {
            (0..explain::ATTRIBUTED.len()).map(move |j| {
                let factual = r[j * (k + 2)];
                match k {
                    _ if !factual.is_finite() => f64::NAN,
                    1 => r[j * (k + 2) + 2],
                    _ => 0.0,
                }
            })
        })
        .collect();
    let dims = explain::ATTRIBUTED.len();
    let resamples = Resamples::new(seed, runs as usize);
    let intervals = resamples.means(&resamples.pool(dims, effects.chunks(dims)));
    Ok(explain::ATTRIBUTED
        .iter()
        .enumerate()
        .filter_map(|(j, name)| {
            let per_run: Vec<f64> = effects
                .iter()
                .skip(j)
                .step_by(dims)
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            // A measure that does not apply (one lab) has no effect either.
            (!per_run.is_empty()).then(|| (*name, SummaryStat::of_values(&per_run), intervals[j]))
        })
        .collect())
}

/// The values of cell `index`, row-major over the axes.
fn grid_values(axes: &[Axis], index: u64) -> Vec<f64> {
    let mut rest = index;
    let mut out = vec![0.0; axes.len()];
    for (i, a) in axes.iter().enumerate().rev() {
        let n = a.values.len() as u64;
        out[i] = a.values[(rest % n) as usize];
        rest /= n;
    }
    out
}

/// What `summary.json` of a sweep says about the sweep as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepHeader {
    /// racerun version that wrote it.
    pub racerun_version: String,
    /// Always `sweep`.
    pub kind: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// SHA-256 of the resolved base scenario (with `--set`, before the swept values).
    pub scenario_sha256: String,
    /// Fingerprint of scenario, axes, seed, runs and version.
    pub sweep_id: String,
    /// Calendar month of month 0.
    pub start: String,
    /// Horizon in months.
    pub months: u32,
    /// Master seed, the same in every cell.
    pub seed: u64,
    /// Runs per cell.
    pub runs: u64,
    /// Horizon of the persistence measure, months.
    pub persistence_months: u32,
    /// The swept parameters.
    pub axes: Vec<Axis>,
    /// Number of cells.
    pub cells: u64,
    /// The regime verdict's rule, applied to each cell.
    pub rule: String,
    /// What the per-run regime shares mean.
    pub shares_rule: String,
    /// The fixed `--set` overrides of the base scenario, as given.
    #[serde(default)]
    pub overrides: Vec<String>,
    /// With `--effect CHANNEL`: the channel whose total effect every cell measures
    /// (`null` without). Always written: partial results store the header field by field.
    #[serde(default)]
    pub effect: Option<String>,
    /// What the `effect.<channel>.<measure>` measures are (`null` without `--effect`).
    #[serde(default)]
    pub effect_rule: Option<String>,
    /// The measure its chart shows (`--measure`, or with `--effect` the effect on it),
    /// which `plot` and `report` redraw; `null` in a shard's partial and in a sweep
    /// written before it was recorded (the verdict's persistence against chance).
    #[serde(default)]
    pub measure: Option<String>,
}

/// File name of a sweep's table.
pub const SWEEP_CSV: &str = "sweep.csv";
/// File name of a sweep's summary.
pub const SWEEP_SUMMARY: &str = "summary.json";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_row_major() {
        let a = Axis::parse("world.dynamics.kappa=0:1:2", false).unwrap();
        let b = Axis::parse("world.dynamics.phi=0:0.2:3", false).unwrap();
        let axes = [a, b];
        assert_eq!(grid_values(&axes, 0), vec![0.0, 0.0]);
        assert_eq!(grid_values(&axes, 1), vec![0.0, 0.1]);
        assert_eq!(grid_values(&axes, 3), vec![1.0, 0.0]);
        assert_eq!(grid_values(&axes, 5), vec![1.0, 0.2]);
    }
}
