//! Writing results: long-format CSV tables, JSON summaries, the resolved scenario,
//! partial results, and the safe replacement of an output directory. Formats are
//! documented in `docs/outputs.md`.
//!
//! Every command that writes goes through [`Destination`]: [`Destination::check`] refuses
//! an `--out` racerun did not write before any work, and [`Destination::publish`] builds
//! the result beside it and exchanges it into place whole ([`replace_dir`]). Experiments
//! compute; this module is the only one that touches the file system for results.

pub mod checked;
pub mod compare;
pub mod explain;
mod files;
pub mod inputs;
mod lock;
pub use lock::remove_locks;
mod manifest;
mod owned;
pub(crate) use owned::not_charts;
pub mod partial;
pub mod place;
pub mod provenance;
mod replace;
pub mod sensitivity;
mod summary;
pub mod sweep;

use std::path::{Path, PathBuf};

pub use files::{RunInfo, RunsFile, concat_runs, write_outcome};
pub use place::{Destination, InPlace, OutputKind, Refused, check_charts};
pub use provenance::{Build, hashed_name, scenario_sha256, variant_name};
pub use replace::{install, remove_staging, replace_dir, write_atomic};
pub use summary::{Summary, SummaryStat};
/// Names of the headline measures, as in `summary.json` (for `sweep --measure`).
pub fn measure_names() -> Vec<&'static str> {
    crate::measures::names()
}

/// An output file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct OutputError {
    /// The file or directory.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl OutputError {
    pub(crate) fn io(path: &Path, e: impl std::fmt::Display) -> OutputError {
        OutputError {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}

/// A number as written in tables: shortest round-trip form, empty when not finite.
pub(crate) fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}
