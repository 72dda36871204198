//! How the verdict depends on the uncertain inputs: the `inputs` section of
//! `summary.json` and its terminal table.
//!
//! Two simple, robust views per input, both computed from `runs.csv` alone:
//! - **Spearman rank correlation** of the input's drawn value with per-run measures
//!   (persistence, lead changes per year, gap growth, headwind): the sign says which way
//!   the input pushes, the size how monotonically (1 = the measure always rises with it);
//! - **terciles**: runs sorted by the input's value and cut into three equal groups (low,
//!   middle, high); per group, mean persistence and the shares of *race-like* runs
//!   (persistence against chance >= 0.6, month-12 leader still leads at the end, gap
//!   grows) and *run-like* runs (persistence against chance <= 0.3, median lead spell
//!   within the persistence horizon): the verdict's rule applied to single runs
//!   ([`Regime::of_run`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::summary::SummaryStat;
use crate::measures::{self, Measure};
use crate::metrics::Regime;
use crate::metrics::tally::{EffectRow, Tally};
use crate::scenario::Scenario;

pub use crate::measures::CORRELATED;

/// One third of the runs, by an input's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tercile {
    /// `low`, `middle` or `high`.
    pub group: String,
    /// Smallest input value in the group.
    pub from: f64,
    /// Largest input value in the group.
    pub to: f64,
    /// Runs in the group.
    pub runs: u64,
    /// Mean persistence of the quality leader.
    pub persistence_quality: f64,
    /// Share of race-like runs (see the module docs).
    pub race_like: f64,
    /// Share of run-like runs.
    pub run_like: f64,
}

/// How the outcome depends on one uncertain input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputEffect {
    /// Parameter path, labs by id; the `runs.csv` column is `input.<path>`.
    pub path: String,
    /// The distribution as written in a scenario file.
    pub dist: String,
    /// The distribution's median (the value in the resolved scenario).
    pub median: f64,
    /// The values drawn, across runs.
    pub drawn: SummaryStat,
    /// Spearman rank correlation of the drawn value with each measure, across runs.
    pub spearman: BTreeMap<String, f64>,
    /// Outcomes by tercile of the drawn value.
    pub terciles: Vec<Tercile>,
}

/// Headline measure `name` (see `docs/outputs.md`).
pub fn headline(name: &str) -> Option<&'static Measure> {
    measures::find(name)
}

/// Names of the headline measures, in `runs.csv` order.
pub fn headline_names() -> Vec<&'static str> {
    measures::names()
}

/// The effects of every uncertain input of `scenario` on the tallied runs (empty when
/// none): the drawn values' summary over every run; the rank correlations and terciles
/// over the first [`crate::metrics::tally::EFFECT_RUNS`] runs.
pub fn effects(scenario: &Scenario, tally: &Tally) -> Vec<InputEffect> {
    let rows = tally.effect_rows();
    scenario
        .uncertain()
        .iter()
        .enumerate()
        .filter(|_| !rows.is_empty())
        .map(|(k, u)| {
            let x: Vec<f64> = rows
                .iter()
                .map(|r| r.inputs.get(k).copied().unwrap_or(f64::NAN))
                .collect();
            let spearman = CORRELATED
                .iter()
                .enumerate()
                .filter_map(|(c, name)| {
                    // Only measures that apply (the headwind needs a second lab).
                    let y: Vec<f64> = rows
                        .iter()
                        .map(|r| r.correlated[c])
                        .collect::<Option<_>>()?;
                    Some((name.to_string(), spearman(&x, &y)))
                })
                .collect();
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
            let n = order.len();
            let terciles = ["low", "middle", "high"]
                .iter()
                .enumerate()
                .filter_map(|(g, name)| {
                    let idx = &order[g * n / 3..(g + 1) * n / 3];
                    let group: Vec<&EffectRow> = idx.iter().map(|&i| &rows[i]).collect();
                    let m = group.len() as f64;
                    let share = |regime: Regime| {
                        group.iter().filter(|r| r.regime == regime).count() as f64 / m
                    };
                    (!group.is_empty()).then(|| Tercile {
                        group: name.to_string(),
                        from: x[idx[0]],
                        to: x[idx[idx.len() - 1]],
                        runs: group.len() as u64,
                        persistence_quality: group.iter().map(|r| r.persistence).sum::<f64>() / m,
                        race_like: share(Regime::Race),
                        run_like: share(Regime::Run),
                    })
                })
                .collect();
            InputEffect {
                path: u.path.clone(),
                dist: u.dist.to_inline(),
                median: u.dist.median(),
                drawn: SummaryStat::of(tally.input(k)),
                spearman,
                terciles,
            }
        })
        .collect()
}

/// Ranks from 1, ties sharing their mean rank; NaN ranks last.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

/// Spearman rank correlation over the pairs where both values are finite; NaN when one
/// side does not vary.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .unzip();
    let (rx, ry) = (ranks(&x), ranks(&y));
    let n = rx.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        f64::NAN
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// The terminal table: per input, its rank correlations and race/run-like shares by
/// tercile.
pub fn terminal(effects: &[InputEffect]) -> String {
    if effects.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\nuncertain inputs (rank correlation with per-run measures; race-like / run-like runs by input tercile):\n",
    );
    let width = effects
        .iter()
        .map(|e| e.path.len())
        .max()
        .unwrap_or(5)
        .max(5);
    out.push_str(&format!(
        "{:width$}  {:>11}  {:>12}  {:>22}  {:>22}\n",
        "input", "persistence", "changes/yr", "low third race/run", "high third race/run"
    ));
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    for e in effects {
        let rho = |name: &str| {
            e.spearman
                .get(name)
                .filter(|v| v.is_finite())
                .map_or("-".to_string(), |v| crate::numbers::signed(*v, 2))
        };
        let tercile = |i: usize| {
            e.terciles.get(i).map_or("-".to_string(), |t| {
                format!("{} / {}", pct(t.race_like), pct(t.run_like))
            })
        };
        out.push_str(&format!(
            "{:width$}  {:>11}  {:>12}  {:>22}  {:>22}\n",
            e.path,
            rho("persistence_quality"),
            rho("changes_per_year_quality"),
            tercile(0),
            tercile(e.terciles.len().saturating_sub(1)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_is_rank_based() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((spearman(&x, &[1.0, 4.0, 9.0, 16.0, 100.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&x, &[5.0, 4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert!(spearman(&x, &[1.0; 5]).is_nan());
        assert_eq!(ranks(&[2.0, 1.0, 2.0]), vec![2.5, 1.0, 2.5]);
    }
}
