//! A sensitivity run's saved output as its chart reads it: `summary.json`, checked.

use std::path::Path;

use super::PlotError;
use super::data::Summary;
use crate::experiment::sensitivity::SensitivitySummary;
use crate::schema::{ReadError, SUMMARY, read_json};

/// The table only `racerun sensitivity` writes, by which its directories are known.
pub(crate) const SENSITIVITY_CSV: &str = "sensitivity.csv";

/// What a sensitivity run's charts are drawn from.
pub(crate) struct SensitivityInput {
    pub(crate) summary: Summary,
    pub(crate) sensitivity: SensitivitySummary,
}

impl SensitivityInput {
    /// Reads the sensitivity run's `summary.json` in `dir`.
    pub(crate) fn load(dir: &Path) -> Result<SensitivityInput, PlotError> {
        PlotError::require_dir(dir)?;
        let path = dir.join(SUMMARY);
        let s: SensitivitySummary = read_json(&path, "a sensitivity summary")?;
        if s.params.is_empty() {
            return Err(ReadError::invalid(&path, "`params`: no inputs to chart").into());
        }
        let mut summary = Summary::bare(
            &s.racerun_version,
            &s.scenario,
            &s.start,
            s.months,
            s.seed,
            s.points.saturating_mul(s.runs_per_point),
        );
        summary.runs_note = Some(format!(
            "{} points of {} simulations",
            crate::numbers::thousands(s.points as i64),
            crate::numbers::thousands(s.runs_per_point as i64)
        ));
        Ok(SensitivityInput {
            summary,
            sensitivity: s,
        })
    }
}
