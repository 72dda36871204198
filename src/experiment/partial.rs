//! Partial results on disk: what one `--shard K/N` computes (`partial.bin`), and the
//! finished cells of a sweep in progress (`.cells/`), which `--resume` picks up.
//!
//! Both are [postcard](https://docs.rs/postcard) encodings of serde types behind a short
//! text tag. Postcard stores every `f64` as its eight raw bytes, so NaN (a lab state's
//! `candidate` when nothing was released, `followers_train` with one lab) and every last
//! bit round-trip, which JSON cannot promise. The tag carries a format number; a file
//! from another format or another racerun version is refused, not misread.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ExperimentError;
use super::shard::Shard;
use super::sweep::{CellResult, SweepHeader};
use crate::metrics::RunMeasures;
use crate::montecarlo::{Bands, SampleRun};
use crate::output::write_atomic;

/// File name of a shard's partial result inside its directory.
pub const PARTIAL_FILE: &str = "partial.bin";
/// Directory, inside a sweep's output directory, of the cells finished so far.
pub const CELLS_DIR: &str = ".cells";

const PARTIAL_TAG: &[u8] = b"racerun-partial v1\n";
const CELL_TAG: &[u8] = b"racerun-cell v1\n";

/// What was sharded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartialKind {
    /// `racerun run --shard`: a share of the runs.
    Run,
    /// `racerun sweep --shard`: a share of the cells.
    Sweep,
}

impl PartialKind {
    /// The subcommand's name.
    pub fn name(self) -> &'static str {
        match self {
            PartialKind::Run => "run",
            PartialKind::Sweep => "sweep",
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
    /// Runs below this index keep their trajectories.
    pub samples: u64,
    /// Measures of this shard's runs, in run order.
    pub runs: Vec<RunMeasures>,
    /// Bands of this shard's runs.
    pub bands: Bands,
    /// Quality-leader spell counts of this shard's runs.
    pub spells_quality: Vec<u64>,
    /// Market-leader spell counts.
    pub spells_market: Vec<u64>,
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

/// The content of a partial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Payload {
    /// A share of runs.
    Run(RunPart),
    /// A share of sweep cells.
    Sweep(SweepPart),
}

/// One shard's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Whose it is.
    pub header: PartialHeader,
    /// What it holds.
    pub payload: Payload,
}

fn encode(tag: &[u8], value: &impl Serialize) -> Result<Vec<u8>, String> {
    let mut out = tag.to_vec();
    out.extend(postcard::to_stdvec(value).map_err(|e| e.to_string())?);
    Ok(out)
}

fn decode<T: for<'de> Deserialize<'de>>(tag: &[u8], bytes: &[u8], what: &str) -> Result<T, String> {
    let body = bytes.strip_prefix(tag).ok_or_else(|| {
        format!("not a racerun {what} of this format (written by another racerun version, or not racerun's)")
    })?;
    postcard::from_bytes(body).map_err(|e| format!("damaged {what}: {e}"))
}

impl Partial {
    /// Writes `partial.bin` into `dir` (which must exist).
    pub fn write(&self, dir: &Path) -> Result<(), ExperimentError> {
        let path = dir.join(PARTIAL_FILE);
        let bytes = encode(PARTIAL_TAG, self).map_err(|message| ExperimentError::Partial {
            path: path.clone(),
            message,
        })?;
        write_atomic(&path, &bytes)?;
        Ok(())
    }

    /// Reads the partial of a shard directory (or a `partial.bin` path).
    pub fn read(dir: &Path) -> Result<Partial, ExperimentError> {
        let path = if dir.is_dir() {
            dir.join(PARTIAL_FILE)
        } else {
            dir.to_path_buf()
        };
        let fail = |message: String| ExperimentError::Partial {
            path: path.clone(),
            message,
        };
        let bytes = std::fs::read(&path).map_err(|e| {
            fail(format!(
                "cannot read a partial result ({e}); expected a directory written by `--shard K/N`"
            ))
        })?;
        let partial: Partial = decode(PARTIAL_TAG, &bytes, "partial result").map_err(fail)?;
        if partial.header.racerun_version != env!("CARGO_PKG_VERSION") {
            return Err(fail(format!(
                "written by racerun {}, this is {}; rerun the shard with this version",
                partial.header.racerun_version,
                env!("CARGO_PKG_VERSION")
            )));
        }
        Ok(partial)
    }
}

/// A finished cell as stored in `.cells/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CellFile {
    sweep_id: String,
    cell: CellResult,
}

/// The finished cells of a sweep in progress, one file per cell in `DIR/.cells/`,
/// each written atomically as soon as the cell is done.
#[derive(Debug, Clone)]
pub struct CellStore {
    dir: PathBuf,
    sweep_id: String,
}

impl CellStore {
    /// Opens the store of output directory `out` for the sweep `sweep_id`. With `resume`,
    /// returns the cells already finished, refusing any that belong to another sweep;
    /// without it, starts empty (an earlier store is discarded).
    pub fn open(
        out: &Path,
        sweep_id: &str,
        resume: bool,
    ) -> Result<(CellStore, BTreeMap<u64, CellResult>), ExperimentError> {
        let dir = out.join(CELLS_DIR);
        let io = |path: &Path, e: std::io::Error| ExperimentError::Partial {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let mut done = BTreeMap::new();
        if dir.is_dir() && !resume {
            std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        if dir.is_dir() {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| io(&dir, e))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "bin"))
                .collect();
            paths.sort();
            for path in paths {
                let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
                let file: CellFile =
                    decode(CELL_TAG, &bytes, "finished cell").map_err(|message| {
                        ExperimentError::Partial {
                            path: path.clone(),
                            message,
                        }
                    })?;
                if file.sweep_id != sweep_id {
                    return Err(ExperimentError::Partial {
                        path,
                        message: "a finished cell of a different sweep (scenario, --set, --vary, \
                                  --seed, --runs or racerun version differ); rerun with the same \
                                  arguments, or without --resume to start over"
                            .into(),
                    });
                }
                done.insert(file.cell.cell, file.cell);
            }
        }
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        Ok((
            CellStore {
                dir,
                sweep_id: sweep_id.to_string(),
            },
            done,
        ))
    }

    /// Saves a finished cell atomically.
    pub fn save(&self, cell: &CellResult) -> Result<(), ExperimentError> {
        let path = self.dir.join(format!("cell-{:07}.bin", cell.cell));
        let file = CellFile {
            sweep_id: self.sweep_id.clone(),
            cell: cell.clone(),
        };
        let bytes = encode(CELL_TAG, &file).map_err(|message| ExperimentError::Partial {
            path: path.clone(),
            message,
        })?;
        write_atomic(&path, &bytes)?;
        Ok(())
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_bits_round_trip() {
        let v = vec![f64::NAN, -0.0, 0.1 + 0.2, f64::MIN_POSITIVE / 3.0];
        let bytes = encode(CELL_TAG, &v).unwrap();
        let back: Vec<f64> = decode(CELL_TAG, &bytes, "x").unwrap();
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            back.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        let e = decode::<Vec<f64>>(PARTIAL_TAG, &bytes, "partial result").unwrap_err();
        assert!(e.starts_with("not a racerun partial result"), "{e}");
    }
}
