//! The files of `racerun explain`: `summary.json` (the factual world's summary, its
//! verdict sentence followed by the cause, and the `attribution` section),
//! `attribution.csv`, `worlds.csv`, `leapfrogs.csv`, `scenario.toml` and `manifest.json`
//! (the build, the overrides, the command and the sample runs decomposed, which the
//! report's "make it again" reads).

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::place::OutputKind;
use super::{OutputError, RunInfo};
use crate::explain::Explanation;
use crate::scenario::Scenario;
use crate::schema::SUMMARY;
use crate::schema::explain::{
    ATTRIBUTION, LEAPFROGS, WORLDS, attribution_csv, leapfrogs_csv, worlds_csv,
};

const FILES: [&str; 5] = [SUMMARY, ATTRIBUTION, WORLDS, LEAPFROGS, "scenario.toml"];

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    build: super::provenance::Build,
    kind: OutputKind,
    scenario: &'a str,
    seed: u64,
    runs: u64,
    /// Sample runs whose lead changes `leapfrogs.csv` decomposes (`--samples`).
    samples: u64,
    threads: usize,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    overrides: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<&'a str>,
    scenario_sha256: String,
    wall_time_seconds: f64,
    files: [&'a str; 5],
}

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
    let manifest = Manifest {
        build: super::provenance::Build::current(),
        kind: OutputKind::Explain,
        scenario: &scenario.name,
        seed: info.seed,
        runs: info.runs,
        samples,
        threads: info.threads,
        overrides: &info.overrides,
        command: info.command.as_deref(),
        scenario_sha256: format!("{:x}", Sha256::digest(toml.as_bytes())),
        wall_time_seconds: info.wall_time_seconds,
        files: FILES,
    };
    write("scenario.toml", toml.into_bytes())?;
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| OutputError::io(&dir.join("manifest.json"), e))?;
    json.push(b'\n');
    write("manifest.json", json)
}
