//! Partial results on disk: what one `--shard K/N` computes (`partial.bin`), and the
//! finished cells of a sweep in progress (`.cells/`), which `--resume` picks up.
//!
//! Both are checked files ([`super::checked`]): a format number, what the file holds and
//! a SHA-256 of the content, so a damaged, truncated or foreign file is refused naming it
//! rather than misread. The types are the experiments' own
//! ([`crate::experiment::partial`], [`crate::experiment::sensitivity::Part`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::checked;
use super::{OutputError, write_atomic};
use crate::experiment::partial::Partial;
use crate::experiment::sensitivity::Part;
use crate::experiment::sweep::CellResult;

/// File name of a shard's partial result inside its directory.
pub use crate::experiment::partial::PARTIAL_FILE;
/// Directory, inside a sweep's output directory, of the cells finished so far.
pub const CELLS_DIR: &str = ".cells";

const RUN_OR_SWEEP: &str = "partial";
const SENSITIVITY: &str = "sensitivity-partial";
const CELL: &str = "cell";
/// Largest partial file read (a partial at the run limit is well under 4 GB).
const MAX_FILE_BYTES: u64 = 16 << 30;

/// A partial result of any experiment.
// Read once per shard and taken apart at once: boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum AnyPartial {
    /// Of `run --shard` or `sweep --shard`.
    Shard(Partial),
    /// Of `sensitivity --shard`.
    Sensitivity(Part),
}

fn fail(path: &Path, message: impl Into<String>) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Writes the `partial.bin` of a run or sweep shard into `dir` (which must exist).
pub fn write_partial(dir: &Path, partial: &Partial) -> Result<(), OutputError> {
    let path = dir.join(PARTIAL_FILE);
    let bytes = checked::encode(RUN_OR_SWEEP, partial).map_err(|e| fail(&path, e))?;
    write_atomic(&path, &bytes)
}

/// Writes the `partial.bin` of a sensitivity shard into `dir` (which must exist).
pub fn write_sensitivity_part(dir: &Path, part: &Part) -> Result<(), OutputError> {
    let path = dir.join(PARTIAL_FILE);
    let bytes = checked::encode(SENSITIVITY, part).map_err(|e| fail(&path, e))?;
    write_atomic(&path, &bytes)
}

/// Reads the partial of a shard directory (or a `partial.bin` path), of any kind.
pub fn read_partial(dir: &Path) -> Result<AnyPartial, OutputError> {
    let path = if dir.is_dir() {
        dir.join(PARTIAL_FILE)
    } else {
        dir.to_path_buf()
    };
    let expected = "expected a directory written by `--shard K/N`";
    let size = std::fs::metadata(&path)
        .map_err(|e| {
            fail(
                &path,
                format!("cannot read a partial result ({e}); {expected}"),
            )
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(
            &path,
            format!("{size} bytes is too large to be a racerun partial result; {expected}"),
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        fail(
            &path,
            format!("cannot read a partial result ({e}); {expected}"),
        )
    })?;
    let version_check = |version: &str| {
        if version != env!("CARGO_PKG_VERSION") {
            return Err(fail(
                &path,
                format!(
                    "written by racerun {version}, this is {}; rerun the shard with this version",
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        Ok(())
    };
    if checked::kind_of(&bytes) == Some(SENSITIVITY) {
        let part: Part = checked::decode(SENSITIVITY, &bytes)
            .map_err(|e| fail(&path, format!("partial result {e}")))?;
        version_check(&part.header.racerun_version)?;
        return Ok(AnyPartial::Sensitivity(part));
    }
    let partial: Partial = checked::decode(RUN_OR_SWEEP, &bytes)
        .map_err(|e| fail(&path, format!("partial result {e}")))?;
    version_check(&partial.header.racerun_version)?;
    Ok(AnyPartial::Shard(partial))
}

/// A finished cell as stored in `.cells/`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct CellFile {
    sweep_id: String,
    cell: CellResult,
}

/// How many readable finished cells of the sweep `sweep_id` the store `dir` holds.
fn finished_of(dir: &Path, sweep_id: &str) -> (usize, usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, 0);
    };
    let (mut ours, mut unreadable) = (0, 0);
    for path in entries.flatten().map(|e| e.path()) {
        if path.extension().is_none_or(|x| x != "bin") {
            continue;
        }
        let file = std::fs::read(&path)
            .ok()
            .and_then(|bytes| checked::decode::<CellFile>(CELL, &bytes).ok());
        match file {
            Some(f) if f.sweep_id == sweep_id => ours += 1,
            Some(_) => {}
            None => unreadable += 1,
        }
    }
    (ours, unreadable)
}

/// The finished cells of a sweep in progress, one file per cell in `DIR/.cells/`,
/// each written atomically as soon as the cell is done.
#[derive(Debug, Clone)]
pub struct CellStore {
    dir: PathBuf,
    sweep_id: String,
}

impl CellStore {
    /// Opens the store of output directory `out` (creating it) for the sweep `sweep_id`.
    /// With `resume`, returns the cells already finished, refusing any that is damaged
    /// or belongs to another sweep. Without it, starts empty: an earlier store of another
    /// sweep is discarded, but one holding finished cells of this very sweep (an
    /// interrupted run of the same command) is refused, pointing to `--resume`, so that
    /// forgetting the flag does not throw the finished work away. Temporary files of a
    /// write that was cut short are removed.
    pub fn open(
        out: &Path,
        sweep_id: &str,
        resume: bool,
    ) -> Result<(CellStore, BTreeMap<u64, CellResult>), OutputError> {
        let dir = out.join(CELLS_DIR);
        let mut done = BTreeMap::new();
        if dir.is_dir() && !resume {
            let (ours, unreadable) = finished_of(&dir, sweep_id);
            if unreadable > 0 {
                return Err(fail(
                    &dir,
                    format!(
                        "holds {unreadable} finished cell{} this racerun cannot read (written by \
                         another version, or damaged); rerun the sweep with the version that \
                         wrote them and --resume, or delete {} to start over",
                        crate::numbers::plural_s(unreadable),
                        dir.display()
                    ),
                ));
            }
            if ours > 0 {
                return Err(fail(
                    &dir,
                    format!(
                        "an interrupted run of this same sweep left {ours} finished cell{} here; \
                         add --resume to continue it (the result is the same, byte for byte), \
                         or delete {} to start over",
                        crate::numbers::plural_s(ours),
                        dir.display()
                    ),
                ));
            }
            std::fs::remove_dir_all(&dir).map_err(|e| OutputError::io(&dir, e))?;
        }
        if dir.is_dir() {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| OutputError::io(&dir, e))?
                .flatten()
                .map(|e| e.path())
                .collect();
            paths.sort();
            for path in paths {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                if name.as_deref().is_some_and(|n| n.contains(".tmp-")) {
                    std::fs::remove_file(&path).map_err(|e| OutputError::io(&path, e))?;
                    continue;
                }
                if path.extension().is_none_or(|x| x != "bin") {
                    continue;
                }
                let bytes = std::fs::read(&path).map_err(|e| OutputError::io(&path, e))?;
                let file: CellFile = checked::decode(CELL, &bytes).map_err(|e| {
                    fail(
                        &path,
                        format!(
                            "finished cell {e}; delete this file and rerun with --resume to \
                             compute the cell again"
                        ),
                    )
                })?;
                if file.sweep_id != sweep_id {
                    return Err(fail(
                        &path,
                        "a finished cell of a different sweep (scenario, --set, --vary, --seed, \
                         --runs or racerun version differ); rerun with the same arguments, or \
                         without --resume to start over",
                    ));
                }
                let expected = format!("cell-{:07}.bin", file.cell.cell);
                if name.as_deref() != Some(expected.as_str()) {
                    return Err(fail(
                        &path,
                        format!("holds cell {}, not the one its name says", file.cell.cell),
                    ));
                }
                done.insert(file.cell.cell, file.cell);
            }
        }
        std::fs::create_dir_all(&dir).map_err(|e| OutputError::io(&dir, e))?;
        Ok((
            CellStore {
                dir,
                sweep_id: sweep_id.to_string(),
            },
            done,
        ))
    }

    /// Saves a finished cell atomically.
    pub fn save(&self, cell: &CellResult) -> Result<(), OutputError> {
        let path = self.dir.join(format!("cell-{:07}.bin", cell.cell));
        let file = CellFile {
            sweep_id: self.sweep_id.clone(),
            cell: cell.clone(),
        };
        let bytes = checked::encode(CELL, &file).map_err(|e| fail(&path, e))?;
        write_atomic(&path, &bytes)
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
