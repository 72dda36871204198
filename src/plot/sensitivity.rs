//! A sensitivity run's saved output as its chart reads it: `summary.json`, checked.

use std::path::Path;

use super::PlotError;
use super::chart::Source;
use super::data::Summary;
use crate::experiment::sensitivity::SensitivitySummary;
use crate::schema::{MAX_SUMMARY_BYTES, ReadError, SUMMARY};

/// The table only `racerun sensitivity` writes, by which its directories are known.
pub(crate) const SENSITIVITY_CSV: &str = "sensitivity.csv";

/// What a sensitivity run's charts are drawn from.
pub(crate) struct SensitivityInput {
    pub(crate) summary: Summary,
    pub(crate) sensitivity: SensitivitySummary,
}

impl Source for SensitivityInput {
    fn summary(&self) -> &Summary {
        &self.summary
    }
}

impl SensitivityInput {
    /// Reads the sensitivity run's `summary.json` in `dir`.
    pub(crate) fn load(dir: &Path) -> Result<SensitivityInput, PlotError> {
        if !dir.is_dir() {
            return Err(PlotError::DirNotFound {
                path: dir.to_path_buf(),
            });
        }
        let path = dir.join(SUMMARY);
        let file = crate::schema::table::open(&path)?;
        let size = file.metadata().map_or(0, |m| m.len());
        if size > MAX_SUMMARY_BYTES {
            return Err(ReadError::invalid(
                &path,
                format!("{size} bytes is too large for a summary"),
            )
            .into());
        }
        let s: SensitivitySummary = serde_json::from_reader(std::io::BufReader::new(file))
            .map_err(|e| ReadError::invalid(&path, format!("not a sensitivity summary: {e}")))?;
        if s.params.is_empty() {
            return Err(ReadError::invalid(&path, "`params`: no inputs to chart").into());
        }
        Ok(SensitivityInput {
            summary: Summary::bare(
                &s.racerun_version,
                &s.scenario,
                (&s.start, "2023-01"),
                s.months,
                s.seed,
                s.points.saturating_mul(s.runs_per_point),
            ),
            sensitivity: s,
        })
    }
}
