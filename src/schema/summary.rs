//! `summary.json`: the labs and the verdict (shared with the writer, `output::Summary`),
//! and [`SummaryHead`], the part that says what a run was.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};

use super::{MAX_LABS, MAX_MONTHS, ReadError, WORLD};

/// A lab as listed in the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabInfo {
    /// Id.
    pub id: String,
    /// Display name (empty in files from before names were written: the id is shown).
    #[serde(default)]
    pub name: String,
    /// Colour as `#RRGGBB` (empty in files from before colours were written).
    #[serde(default)]
    pub color: String,
}

/// The verdict as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictInfo {
    /// `race`, `run` or `mixed`.
    pub regime: String,
    /// The rule with its thresholds.
    #[serde(default)]
    pub rule: String,
    /// One plain sentence.
    #[serde(default)]
    pub sentence: String,
    /// The numbers the rule looked at; a number that does not exist is written `null`
    /// and read back as NaN.
    #[serde(default, deserialize_with = "nan_for_null")]
    pub evidence: BTreeMap<String, f64>,
    /// Chance-normalised persistence of the quality leader with its 95% bootstrap
    /// interval (absent with one lab, and in files from before it was written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence_normalised: Option<crate::metrics::bootstrap::Estimate>,
    /// Why the verdict is uncertain, when an interval reaches another regime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<String>,
    /// How the verdict moves when each threshold moves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub threshold_sensitivity: Vec<crate::metrics::ThresholdShift>,
}

impl VerdictInfo {
    /// Whether the rule judged the world ([`judged`]).
    pub fn judged(&self) -> bool {
        judged(&self.regime)
    }
}

/// Whether a verdict's `regime` (as files write it) is one the rule judged: not
/// `too_short` or `one_lab`.
pub fn judged(regime: &str) -> bool {
    !matches!(regime, "too_short" | "one_lab")
}

fn nan_for_null<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, f64>, D::Error> {
    let map = BTreeMap::<String, Option<f64>>::deserialize(d)?;
    Ok(map
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or(f64::NAN)))
        .collect())
}

/// What a run was: its scenario, calendar, seed, runs, labs and verdict. The first fields
/// of `output::Summary`, under the same names; fields added after the first release are
/// optional so that older directories still read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryHead {
    /// racerun version that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub racerun_version: Option<String>,
    /// Scenario name.
    pub scenario: String,
    /// Calendar month of month 0, `YYYY-MM`.
    pub start: String,
    /// Horizon in months.
    pub months: u64,
    /// Master seed.
    pub seed: u64,
    /// Number of runs.
    pub runs: u64,
    /// The `--set` overrides applied, as given (`world.dynamics.kappa=1.2`); empty
    /// without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// The labs, in scenario order.
    pub labs: Vec<LabInfo>,
    /// The verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictInfo>,
}

impl SummaryHead {
    /// Reads and checks the head of `summary.json`: a horizon of 1 to [`MAX_MONTHS`]
    /// months, at least one run, 1 to [`MAX_LABS`] labs with distinct ids.
    pub fn read(path: &Path) -> Result<SummaryHead, ReadError> {
        let head: SummaryHead = super::read_json(path, "a run summary")?;
        head.check(path)?;
        Ok(head)
    }

    fn check(&self, path: &Path) -> Result<(), ReadError> {
        let invalid = |message: String| Err(ReadError::invalid(path, message));
        if self.months == 0 || self.months > u64::from(MAX_MONTHS) {
            return invalid(format!(
                "`months`: expected 1 to {MAX_MONTHS}, got {}",
                self.months
            ));
        }
        if self.runs == 0 {
            return invalid("`runs`: expected at least 1, got 0".into());
        }
        if self.labs.is_empty() || self.labs.len() > MAX_LABS {
            return invalid(format!(
                "`labs`: expected 1 to {MAX_LABS} labs, got {}",
                self.labs.len()
            ));
        }
        for (i, lab) in self.labs.iter().enumerate() {
            if lab.id.trim().is_empty() || lab.id == WORLD {
                return invalid(format!(
                    "`labs[{i}].id`: expected a lab id other than `{WORLD}`, got `{}`",
                    lab.id
                ));
            }
            if self.labs[..i].iter().any(|l| l.id == lab.id) {
                return invalid(format!("`labs[{i}].id`: duplicate id `{}`", lab.id));
            }
        }
        Ok(())
    }

    /// The horizon as a month count, known to be at most [`MAX_MONTHS`] once read.
    pub fn horizon(&self) -> u32 {
        self.months.min(u64::from(MAX_MONTHS)) as u32
    }

    /// The lab ids, in order.
    pub fn lab_ids(&self) -> Vec<String> {
        self.labs.iter().map(|l| l.id.clone()).collect()
    }
}
