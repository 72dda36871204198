//! A sweep's `summary.json`: the header, the regime counts, every cell's verdict, and
//! with `--effect` where the effect is clear of zero.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CellResult, SweepHeader};

/// In how many cells an effect's 95% interval lies wholly above zero or wholly below:
/// elsewhere the effect is within sampling error of none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectClear {
    /// The effect (`effect.<channel>.<measure>`).
    pub effect: String,
    /// Cells whose interval lies above zero.
    pub above: usize,
    /// Cells whose interval lies below zero.
    pub below: usize,
    /// Cells with an interval.
    pub cells: usize,
}

impl EffectClear {
    /// The count for effect `name`, if the cells have its intervals.
    pub fn of(cells: &[CellResult], name: &str) -> Option<EffectClear> {
        let intervals: Vec<[f64; 2]> = cells
            .iter()
            .filter_map(|c| c.effect_ci.get(name).copied())
            .collect();
        (!intervals.is_empty()).then(|| EffectClear {
            effect: name.to_string(),
            above: intervals.iter().filter(|[low, _]| *low > 0.0).count(),
            below: intervals.iter().filter(|[_, high]| *high < 0.0).count(),
            cells: intervals.len(),
        })
    }

    /// In words: `the effect's 95% interval is clear of zero in 8 of 25 cells (above in 2,
    /// below in 6); in the others it is within sampling error of none`.
    pub fn sentence(&self) -> String {
        let clear = self.above + self.below;
        let rest = if clear < self.cells {
            "; in the others it is within sampling error of none"
        } else {
            ""
        };
        format!(
            "the effect's 95% interval is clear of zero in {clear} of {} cells (above zero in \
             {}, below in {}){rest}",
            self.cells, self.above, self.below
        )
    }
}

/// `summary.json` of a sweep: the header, the regime counts and every cell's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// The sweep.
    #[serde(flatten)]
    pub header: SweepHeader,
    /// Number of cells per regime.
    pub regimes: BTreeMap<String, u64>,
    /// Of those, the cells whose verdict is uncertain, per regime.
    #[serde(default)]
    pub uncertain: BTreeMap<String, u64>,
    /// With `--effect`: in how many cells the shown effect is clear of zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect_clear: Option<EffectClear>,
    /// Per cell: index, values, regime, shares and the verdict's evidence.
    pub cell_verdicts: Vec<CellVerdict>,
}

/// One cell's verdict as listed in a sweep's `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellVerdict {
    /// Cell index.
    pub cell: u64,
    /// The swept values.
    pub values: Vec<f64>,
    /// `race`, `run` or `mixed`.
    pub regime: String,
    /// Share of runs meeting the race thresholds.
    pub race_share: f64,
    /// Share of runs meeting the run thresholds.
    pub run_share: f64,
    /// Share of runs meeting neither.
    pub mixed_share: f64,
    /// The verdict's numbers.
    pub evidence: BTreeMap<String, f64>,
    /// Why the verdict is uncertain, if it is (see [`CellResult::uncertain`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<String>,
}

/// The content of a sweep's `summary.json`.
pub fn sweep_summary(header: &SweepHeader, cells: &[CellResult]) -> SweepSummary {
    let mut regimes: BTreeMap<String, u64> =
        ["race", "run", "mixed"].map(|r| (r.to_string(), 0)).into();
    let mut uncertain = regimes.clone();
    for c in cells {
        *regimes.entry(c.regime.clone()).or_default() += 1;
        if c.uncertain.is_some() {
            *uncertain.entry(c.regime.clone()).or_default() += 1;
        }
    }
    SweepSummary {
        header: header.clone(),
        regimes,
        uncertain,
        effect_clear: header
            .measure
            .as_deref()
            .and_then(|m| EffectClear::of(cells, m)),
        cell_verdicts: cells
            .iter()
            .map(|c| CellVerdict {
                cell: c.cell,
                values: c.values.clone(),
                regime: c.regime.clone(),
                race_share: c.race_share,
                run_share: c.run_share,
                mixed_share: c.mixed_share,
                evidence: c.evidence.clone(),
                uncertain: c.uncertain.clone(),
            })
            .collect(),
    }
}
