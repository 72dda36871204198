//! `summary.json`: the verdict and headline measures with p10/p50/p90.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::measures::{LAB_MEASURES, MEASURES};
use crate::metrics::bootstrap::Resamples;
use crate::metrics::durability::{self, SpellSurvival, Survival};
use crate::metrics::{Plausibility, Tally, Verdict};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use crate::stats::{self, Distribution};

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
    /// Summarises values held in memory exactly (mean, nearest-rank quantiles).
    pub fn of_values(values: &[f64]) -> SummaryStat {
        SummaryStat {
            mean: stats::mean(values),
            p10: stats::quantile(values, 0.1),
            p50: stats::quantile(values, 0.5),
            p90: stats::quantile(values, 0.9),
        }
    }

    /// Summarises a distribution across runs.
    pub fn of(d: &Distribution) -> SummaryStat {
        SummaryStat {
            mean: d.mean(),
            p10: d.quantile(0.1),
            p50: d.quantile(0.5),
            p90: d.quantile(0.9),
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
    /// The `--set` overrides applied, as given; absent without any. Set by the writer
    /// from [`super::RunInfo::overrides`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// The labs.
    pub labs: Vec<LabInfo>,
    /// The verdict.
    pub verdict: VerdictInfo,
    /// Lead survival `S(h)` of both leaders for h = 1 to the persistence horizon, with
    /// bootstrap intervals and the chance level (absent from a sweep cell's summary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survival: Option<Survival>,
    /// Kaplan-Meier survival of lead spells of both leaders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spell_survival: Option<SpellSurvival>,
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
    /// financial bounds ([`crate::metrics::plausibility`]); absent for an explanation,
    /// which keeps no bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plausibility: Option<Plausibility>,
}

impl Summary {
    /// Summarises an outcome, with the lead survival curves and their bootstrap
    /// intervals.
    pub fn new(scenario: &Scenario, seed: u64, outcome: &Outcome) -> Summary {
        let mut summary = Summary::of_tally(scenario, seed, &outcome.tally, &outcome.verdict, true);
        summary.plausibility = Some(Plausibility::of(scenario, &outcome.bands));
        summary
    }

    /// Summarises an outcome without the lead survival curves (a sweep cell's summary,
    /// which needs its measures and verdict only).
    pub fn brief(scenario: &Scenario, seed: u64, outcome: &Outcome) -> Summary {
        let mut summary =
            Summary::of_tally(scenario, seed, &outcome.tally, &outcome.verdict, false);
        summary.plausibility = Some(Plausibility::of(scenario, &outcome.bands));
        summary
    }

    /// Summarises tallied runs and their verdict; with `curves`, the lead survival curves
    /// too.
    pub fn of_tally(
        scenario: &Scenario,
        seed: u64,
        tally: &Tally,
        verdict: &Verdict,
        curves: bool,
    ) -> Summary {
        let mut measures = BTreeMap::new();
        let mut not_applicable = Vec::new();
        for (k, m) in MEASURES.iter().enumerate() {
            let d = tally.measure(k);
            if d.count() == 0 {
                not_applicable.push(m.name.to_string());
            } else {
                measures.insert(m.name.to_string(), SummaryStat::of(d));
            }
        }
        let mut labs_measures = BTreeMap::new();
        let mut final_quality_leader_share = BTreeMap::new();
        let mut final_market_leader_share = BTreeMap::new();
        let share = |count: u64| count as f64 / tally.runs() as f64;
        for (i, lab) in scenario.labs.iter().enumerate() {
            let per: BTreeMap<String, SummaryStat> = LAB_MEASURES
                .iter()
                .enumerate()
                .map(|(k, m)| (m.name.to_string(), SummaryStat::of(tally.lab_measure(i, k))))
                .collect();
            labs_measures.insert(lab.id.clone(), per);
            final_quality_leader_share.insert(lab.id.clone(), share(tally.final_leader(false, i)));
            final_market_leader_share.insert(lab.id.clone(), share(tally.final_leader(true, i)));
        }
        let v = verdict;
        let pn = v.persistence_norm;
        let gap = v.gap_growth;
        let evidence = [
            ("persistence_norm_quality", pn.map(|e| e.mean)),
            ("persistence_norm_ci_low", pn.map(|e| e.ci_low)),
            ("persistence_norm_ci_high", pn.map(|e| e.ci_high)),
            ("persistence_quality", Some(v.persistence)),
            ("early_keeps_quality", Some(v.early_keeps.mean)),
            ("early_keeps_ci_low", Some(v.early_keeps.ci_low)),
            ("early_keeps_ci_high", Some(v.early_keeps.ci_high)),
            ("gap_growth_mean", gap.map(|e| e.mean)),
            ("gap_growth_ci_low", gap.map(|e| e.ci_low)),
            ("gap_growth_ci_high", gap.map(|e| e.ci_high)),
            ("spell_median_quality", v.spell_median.map(f64::from)),
            ("changes_per_year_median", Some(v.changes_per_year[0])),
            ("changes_per_year_p10", Some(v.changes_per_year[1])),
            ("changes_per_year_p90", Some(v.changes_per_year[2])),
            ("headwind_median", v.headwind),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.filter(|x| x.is_finite())?)))
        .collect();
        // One month has no later month to survive to: no curve (and no chart of one).
        let survival = (curves && tally.survival_horizon() > 0)
            .then(|| {
                let resamples = Resamples::new(seed, tally.total() as usize);
                durability::survival(tally, &resamples)
            })
            .flatten();
        Summary {
            racerun_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenario.name.clone(),
            description: scenario.description.clone(),
            start: scenario.start().to_string(),
            months: scenario.months,
            seed,
            runs: tally.runs(),
            overrides: Vec::new(),
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
                persistence_normalised: pn.filter(|e| e.mean.is_finite()),
                uncertain: v.uncertain.clone(),
                threshold_sensitivity: v.threshold_sensitivity.clone(),
            },
            survival,
            spell_survival: Some(v.spell_survival.clone()),
            measures,
            not_applicable,
            labs_measures,
            final_quality_leader_share,
            final_market_leader_share,
            inputs: super::inputs::effects(scenario, tally),
            plausibility: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_memory_are_summarised_exactly_however_many() {
        // 5,000 distinct values: a distribution would bin them, this must not.
        let values: Vec<f64> = (0..5_000)
            .map(|i| f64::from(i) * 1e-4 + 0.123_456_7)
            .collect();
        let s = SummaryStat::of_values(&values);
        assert_eq!(s.p10, values[499]);
        assert_eq!(s.p50, values[2_499]);
        assert_eq!(s.p90, values[4_499]);
        assert!((s.mean - (0.123_456_7 + 4_999.0 * 1e-4 / 2.0)).abs() < 1e-12);
    }
}
