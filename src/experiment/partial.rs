//! Partial results: what one `--shard K/N` of a run or sweep computes. The types only;
//! [`crate::output::partial`] writes and reads them as checked files (`partial.bin`), in
//! which NaN (a lab state's `candidate` when nothing was released, `followers_train` with
//! one lab) and every last bit round-trip.

use serde::{Deserialize, Serialize};

use super::shard::Shard;
use super::sweep::{CellResult, SweepHeader};
use crate::metrics::Tally;
use crate::metrics::durability::SpellCounts;
use crate::montecarlo::{Bands, SampleRun};

/// File name of a shard's partial result inside its directory.
pub const PARTIAL_FILE: &str = "partial.bin";

/// What was sharded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartialKind {
    /// `racerun run --shard`: a share of the runs.
    Run,
    /// `racerun sweep --shard`: a share of the cells.
    Sweep,
    /// `racerun explain --shard`: a share of the runs, in every world.
    Explain,
}

impl PartialKind {
    /// The subcommand's name.
    pub fn name(self) -> &'static str {
        match self {
            PartialKind::Run => "run",
            PartialKind::Sweep => "sweep",
            PartialKind::Explain => "explain",
        }
    }
}

/// Who a partial belongs to: checked across shards before merging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialHeader {
    /// racerun version that wrote it (results may differ between versions).
    pub racerun_version: String,
    /// Run or sweep.
    pub kind: PartialKind,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the resolved scenario (runs) or the sweep fingerprint (sweeps).
    pub fingerprint: String,
    /// Master seed.
    pub seed: u64,
    /// Runs of the whole experiment (per cell for sweeps).
    pub runs: u64,
    /// Work units of the whole experiment: runs, or cells.
    pub units: u64,
    /// This shard.
    pub shard: Shard,
    /// First work unit of this shard.
    pub first: u64,
    /// One past the last work unit of this shard.
    pub end: u64,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time of this shard's simulation, seconds.
    pub wall_time_seconds: f64,
}

/// A share of the runs of one scenario: the pieces of a Monte Carlo outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPart {
    /// The resolved scenario, as `scenario.toml` holds it.
    pub scenario_toml: String,
    /// The `--set` overrides the shard was run with, as given (for the merged result's
    /// provenance; the resolved scenario already holds their values).
    pub overrides: Vec<String>,
    /// Runs below this index keep their trajectories.
    pub samples: u64,
    /// This shard's runs, tallied (their rows are in the shard's `runs.csv`).
    pub tally: Tally,
    /// SHA-256 of the shard's `runs.csv`, checked when merging.
    pub runs_sha256: String,
    /// Bands of this shard's runs.
    pub bands: Bands,
    /// Spell counts of both leaders in this shard's runs.
    pub spells: SpellCounts,
    /// Sample trajectories among this shard's runs.
    pub sample_runs: Vec<SampleRun>,
}

/// A share of the cells of one sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPart {
    /// The sweep.
    pub header: SweepHeader,
    /// This shard's cells, in order.
    pub cells: Vec<CellResult>,
}

/// A share of the runs of `racerun explain`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainPart {
    /// The resolved scenario, as `scenario.toml` holds it.
    pub scenario_toml: String,
    /// The `--set` overrides the shard was run with, as given (for the merged result's
    /// provenance and its default folder name).
    pub overrides: Vec<String>,
    /// The channels asked for (`--channels`), by name.
    pub channels: Vec<String>,
    /// Runs below this index have their lead changes decomposed.
    pub samples: u64,
    /// What this share computed.
    pub part: crate::explain::Part,
}

/// The content of a partial.
// Read once per shard and taken apart at once: boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Payload {
    /// A share of runs.
    Run(RunPart),
    /// A share of sweep cells.
    Sweep(SweepPart),
    /// A share of the runs of an explanation.
    Explain(ExplainPart),
}

/// One shard's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Whose it is.
    pub header: PartialHeader,
    /// What it holds.
    pub payload: Payload,
}
