//! `summary.json`: the verdict and headline measures with p10/p50/p90.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metrics::RunMeasures;
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
    /// Headline measures across runs.
    pub measures: BTreeMap<String, SummaryStat>,
    /// Per-lab measures across runs, by lab id.
    pub labs_measures: BTreeMap<String, BTreeMap<String, SummaryStat>>,
    /// Share of runs in which each lab is the quality leader at the end, by lab id.
    pub final_quality_leader_share: BTreeMap<String, f64>,
    /// Share of runs in which each lab is the market leader at the end, by lab id.
    pub final_market_leader_share: BTreeMap<String, f64>,
    /// How the outcome depends on each uncertain input (absent when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<super::inputs::InputEffect>,
}

type Measure = (&'static str, fn(&RunMeasures) -> f64);

/// Headline measures, as named in `summary.json` and `runs.csv`.
pub(crate) const MEASURES: &[Measure] = &[
    ("lead_changes_quality", |r| f64::from(r.quality.changes)),
    ("lead_changes_market", |r| f64::from(r.market.changes)),
    ("changes_per_year_quality", |r| r.quality.changes_per_year),
    ("changes_per_year_market", |r| r.market.changes_per_year),
    ("spells_quality", |r| f64::from(r.quality.spell_count)),
    ("spells_market", |r| f64::from(r.market.spell_count)),
    ("mean_spell_quality", |r| r.quality.mean_spell),
    ("mean_spell_market", |r| r.market.mean_spell),
    ("persistence_quality", |r| r.quality.persistence),
    ("persistence_market", |r| r.market.persistence),
    ("early_keeps_quality", |r| {
        f64::from(u8::from(r.quality.early_keeps))
    }),
    ("early_keeps_market", |r| {
        f64::from(u8::from(r.market.early_keeps))
    }),
    ("gap_early", |r| r.gap_early),
    ("gap_late", |r| r.gap_late),
    ("gap_growth", |r| r.gap_late - r.gap_early),
    ("leader_train", |r| r.leader_train),
    ("followers_train", |r| r.followers_train),
    ("headwind", RunMeasures::headwind),
    ("hhi_final", |r| r.hhi_final),
    ("hhi_mean", |r| r.hhi_mean),
    ("open_share_final", |r| r.open_share_final),
];

type LabMeasure = (&'static str, fn(&RunMeasures, usize) -> f64);

/// Per-lab measures, as named in `summary.json` and `runs.csv` (`<name>.<lab id>`).
pub(crate) const LAB_MEASURES: &[LabMeasure] = &[
    ("months_led_quality", |r, i| {
        f64::from(r.quality.months_led[i])
    }),
    ("months_led_market", |r, i| {
        f64::from(r.market.months_led[i])
    }),
    ("final_share", |r, i| r.final_share[i]),
    ("final_fleet", |r, i| r.final_fleet[i]),
    ("final_quality", |r, i| r.final_quality[i]),
    ("revenue_total", |r, i| r.revenue_total[i]),
    ("releases", |r, i| f64::from(r.releases[i])),
];

impl Summary {
    /// Summarises an outcome.
    pub fn new(scenario: &Scenario, seed: u64, outcome: &Outcome) -> Summary {
        let runs = &outcome.runs;
        let column = |f: &dyn Fn(&RunMeasures) -> f64| runs.iter().map(f).collect::<Vec<f64>>();
        let measures = MEASURES
            .iter()
            .map(|(name, f)| (name.to_string(), SummaryStat::of(&column(f))))
            .collect();
        let mut labs_measures = BTreeMap::new();
        let mut final_quality_leader_share = BTreeMap::new();
        let mut final_market_leader_share = BTreeMap::new();
        let share = |pick: &dyn Fn(&RunMeasures) -> bool| {
            runs.iter().filter(|r| pick(r)).count() as f64 / runs.len() as f64
        };
        for (i, lab) in scenario.labs.iter().enumerate() {
            let per: BTreeMap<String, SummaryStat> = LAB_MEASURES
                .iter()
                .map(|(name, f)| (name.to_string(), SummaryStat::of(&column(&|r| f(r, i)))))
                .collect();
            labs_measures.insert(lab.id.clone(), per);
            final_quality_leader_share
                .insert(lab.id.clone(), share(&|r| r.quality.final_leader == i));
            final_market_leader_share
                .insert(lab.id.clone(), share(&|r| r.market.final_leader == i));
        }
        let v = &outcome.verdict;
        let evidence = BTreeMap::from([
            ("persistence_quality".to_string(), v.persistence),
            ("early_keeps_quality".to_string(), v.early_keeps),
            ("gap_growth_median".to_string(), v.gap_growth),
            ("changes_per_year_median".to_string(), v.changes_per_year[0]),
            ("changes_per_year_p10".to_string(), v.changes_per_year[1]),
            ("changes_per_year_p90".to_string(), v.changes_per_year[2]),
            ("headwind_median".to_string(), v.headwind),
        ]);
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
                regime: format!("{:?}", v.regime).to_lowercase(),
                rule: v.rule.clone(),
                sentence: v.sentence.clone(),
                evidence,
            },
            measures,
            labs_measures,
            final_quality_leader_share,
            final_market_leader_share,
            inputs: super::inputs::effects(scenario, runs),
        }
    }
}
