//! `summary.json`: the verdict and headline measures with p10/p50/p90.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::measures::{LAB_MEASURES, MEASURES};
use crate::metrics::{Plausibility, RunMeasures};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use crate::stats;

/// Mean and quantiles of a measure across runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryStat {
    /// Mean.
    pub mean: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl SummaryStat {
    /// Summarises values.
    pub fn of(values: &[f64]) -> SummaryStat {
        SummaryStat {
            mean: stats::mean(values),
            p10: stats::quantile(values, 0.1),
            p50: stats::quantile(values, 0.5),
            p90: stats::quantile(values, 0.9),
        }
    }
}

pub use crate::schema::{LabInfo, VerdictInfo};

/// The content of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// racerun version that wrote it.
    pub racerun_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// Calendar month of month 0.
    pub start: String,
    /// Horizon in months.
    pub months: u32,
    /// Master seed.
    pub seed: u64,
    /// Number of runs.
    pub runs: u64,
    /// The labs.
    pub labs: Vec<LabInfo>,
    /// The verdict.
    pub verdict: VerdictInfo,
    /// Headline measures across runs (those that apply).
    pub measures: BTreeMap<String, SummaryStat>,
    /// Headline measures that do not apply to this scenario (those that need a rival
    /// with a single lab, or a longer horizon); absent when all apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<String>,
    /// Per-lab measures across runs, by lab id.
    pub labs_measures: BTreeMap<String, BTreeMap<String, SummaryStat>>,
    /// Share of runs in which each lab is the quality leader at the end, by lab id.
    pub final_quality_leader_share: BTreeMap<String, f64>,
    /// Share of runs in which each lab is the market leader at the end, by lab id.
    pub final_market_leader_share: BTreeMap<String, f64>,
    /// How the outcome depends on each uncertain input (absent when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<super::inputs::InputEffect>,
    /// The largest values the median run reached against documented physical and
    /// financial bounds ([`crate::metrics::plausibility`]).
    pub plausibility: Plausibility,
}

impl Summary {
    /// Summarises an outcome.
    pub fn new(scenario: &Scenario, seed: u64, outcome: &Outcome) -> Summary {
        let runs = &outcome.runs;
        let column = |f: &dyn Fn(&RunMeasures) -> f64| runs.iter().map(f).collect::<Vec<f64>>();
        let mut measures = BTreeMap::new();
        let mut not_applicable = Vec::new();
        for m in MEASURES {
            let values: Vec<f64> = runs.iter().filter_map(|r| m.of(r)).collect();
            if values.is_empty() {
                not_applicable.push(m.name.to_string());
            } else {
                measures.insert(m.name.to_string(), SummaryStat::of(&values));
            }
        }
        let mut labs_measures = BTreeMap::new();
        let mut final_quality_leader_share = BTreeMap::new();
        let mut final_market_leader_share = BTreeMap::new();
        let share = |pick: &dyn Fn(&RunMeasures) -> bool| {
            runs.iter().filter(|r| pick(r)).count() as f64 / runs.len() as f64
        };
        for (i, lab) in scenario.labs.iter().enumerate() {
            let per: BTreeMap<String, SummaryStat> = LAB_MEASURES
                .iter()
                .map(|m| {
                    (
                        m.name.to_string(),
                        SummaryStat::of(&column(&|r| m.of(r, i))),
                    )
                })
                .collect();
            labs_measures.insert(lab.id.clone(), per);
            final_quality_leader_share
                .insert(lab.id.clone(), share(&|r| r.quality.final_leader == i));
            final_market_leader_share
                .insert(lab.id.clone(), share(&|r| r.market.final_leader == i));
        }
        let v = &outcome.verdict;
        let evidence = [
            ("persistence_quality", Some(v.persistence)),
            ("early_keeps_quality", Some(v.early_keeps)),
            ("gap_growth_median", v.gap_growth),
            ("changes_per_year_median", Some(v.changes_per_year[0])),
            ("changes_per_year_p10", Some(v.changes_per_year[1])),
            ("changes_per_year_p90", Some(v.changes_per_year[2])),
            ("headwind_median", v.headwind),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect();
        Summary {
            racerun_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenario.name.clone(),
            description: scenario.description.clone(),
            start: scenario.start().to_string(),
            months: scenario.months,
            seed,
            runs: runs.len() as u64,
            labs: (0..scenario.labs.len())
                .map(|i| LabInfo {
                    id: scenario.labs[i].id.clone(),
                    name: scenario.lab_name(i).to_string(),
                    color: scenario.lab_color(i).to_string(),
                })
                .collect(),
            verdict: VerdictInfo {
                regime: v.regime.name().to_string(),
                rule: v.rule.clone(),
                sentence: v.sentence.clone(),
                evidence,
            },
            measures,
            not_applicable,
            labs_measures,
            final_quality_leader_share,
            final_market_leader_share,
            inputs: super::inputs::effects(scenario, runs),
            plausibility: Plausibility::of(scenario, &outcome.bands),
        }
    }
}
