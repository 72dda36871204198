//! An explanation's saved output as its charts read it: `summary.json` (its head and the
//! `attribution` section) and `leapfrogs.csv`, checked.

use std::path::Path;

use serde::Deserialize;

use super::PlotError;
use super::data::Summary;
use crate::explain::{Attribution, Leapfrog};
use crate::schema::explain::{LEAPFROGS, read_leapfrogs};
use crate::schema::{ReadError, SUMMARY, SummaryHead, read_json};

pub(crate) use crate::schema::explain::ATTRIBUTION as ATTRIBUTION_CSV;

/// What an explanation's charts are drawn from.
pub(crate) struct ExplainInput {
    pub(crate) summary: Summary,
    pub(crate) attribution: Attribution,
    pub(crate) leapfrogs: Vec<Leapfrog>,
}

#[derive(Deserialize)]
struct WithAttribution {
    attribution: Attribution,
}

impl ExplainInput {
    /// Reads `summary.json` and `leapfrogs.csv` in `dir`.
    pub(crate) fn load(dir: &Path) -> Result<ExplainInput, PlotError> {
        PlotError::require_dir(dir)?;
        let path = dir.join(SUMMARY);
        let head = SummaryHead::read(&path)?;
        let ids = head.lab_ids();
        let months = head.horizon();
        let summary = Summary::from_head(head, &path)?;
        let WithAttribution { attribution } = read_json(&path, "an explanation's summary")?;
        if attribution.measures.is_empty() {
            return Err(
                ReadError::invalid(&path, "`attribution.measures`: no measure to chart").into(),
            );
        }
        let leapfrogs = read_leapfrogs(&dir.join(LEAPFROGS), months, &ids)?;
        Ok(ExplainInput {
            summary,
            attribution,
            leapfrogs,
        })
    }
}
