//! The files of `racerun explain`: `summary.json` (the factual world's summary, its
//! verdict sentence followed by the cause, and the `attribution` section),
//! `attribution.csv`, `worlds.csv`, `leapfrogs.csv`, `scenario.toml` and `manifest.json`
//! (the build, the overrides, the command and the sample runs decomposed, which the
//! report's "make it again" reads).

use std::path::Path;

use super::files::manifest_json;
use super::place::OutputKind;
use super::{OutputError, RunInfo};
use crate::explain::Explanation;
use crate::scenario::Scenario;
use crate::schema::SUMMARY;
use crate::schema::explain::{
    ATTRIBUTION, LEAPFROGS, WORLDS, attribution_csv, leapfrogs_csv, worlds_csv,
};

const FILES: [&str; 5] = [SUMMARY, ATTRIBUTION, WORLDS, LEAPFROGS, "scenario.toml"];

/// Writes every file of `explanation` of `scenario` into `dir` (which must exist);
/// `samples` is the number of sample runs whose lead changes were decomposed.
pub fn write(
    dir: &Path,
    scenario: &Scenario,
    info: &RunInfo,
    samples: u64,
    explanation: &Explanation,
) -> Result<(), OutputError> {
    let write = |name: &str, bytes: Vec<u8>| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| OutputError::io(&path, e))
    };
    let csv = |name: &str, bytes: csv::Result<Vec<u8>>| {
        bytes.map_err(|e| OutputError::io(&dir.join(name), e))
    };
    // The overrides in the summary too, as `racerun run` records them.
    let mut summary = explanation.summary.clone();
    summary.summary.overrides = info.overrides.clone();
    let mut json =
        serde_json::to_vec_pretty(&summary).map_err(|e| OutputError::io(&dir.join(SUMMARY), e))?;
    json.push(b'\n');
    write(SUMMARY, json)?;
    write(
        ATTRIBUTION,
        csv(
            ATTRIBUTION,
            attribution_csv(&explanation.summary.attribution),
        )?,
    )?;
    write(WORLDS, csv(WORLDS, worlds_csv(&explanation.worlds))?)?;
    let date = |m: u32| scenario.date(m as usize).to_string();
    write(
        LEAPFROGS,
        csv(LEAPFROGS, leapfrogs_csv(&explanation.leapfrogs, &date))?,
    )?;
    let toml = scenario.to_toml();
    let manifest = manifest_json(
        OutputKind::Explain,
        scenario,
        &toml,
        info,
        Some(samples),
        &FILES,
    );
    write("scenario.toml", toml.into_bytes())?;
    write("manifest.json", manifest)
}
