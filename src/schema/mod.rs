//! The result files of `racerun run`, as types: one row type per CSV table and the head
//! of `summary.json`, each with its writer (used by [`crate::output`]) and its checked
//! reader (used by [`crate::plot`]). `docs/outputs.md` describes the same formats in
//! words.
//!
//! | file | row type | writer | reader |
//! |---|---|---|---|
//! | `summary.json` | [`SummaryHead`] ([`LabInfo`], [`VerdictInfo`]) | `output::Summary` | [`SummaryHead::read`] |
//! | `runs.csv` | [`RunRow`] | [`RunsWriter`] | [`runs::read_counts`] |
//! | `bands.csv` | [`BandRow`] | [`BandsWriter`] | [`Bands::read`] |
//! | `spells.csv` | [`SpellRow`] | [`SpellsWriter`] | [`Spells::read`] |
//! | `sample_runs.csv` | [`SampleRow`] | [`SamplesWriter`] | [`SampleRun::read`] |
//! | `attribution.csv`, `worlds.csv`, `leapfrogs.csv` (`racerun explain`) | | [`explain`] | [`explain::read_leapfrogs`] |
//!
//! Readers refuse, naming the file and what is wrong, anything the writer would not
//! have written: a missing or unknown lab, a month or series missing or present twice, a
//! number that does not parse, a size beyond [`MAX_MONTHS`] or [`MAX_LABS`]. They stream
//! the CSV tables and allocate in proportion to what they keep, never to a size a file
//! claims.

pub mod bands;
pub mod explain;
pub mod runs;
pub mod samples;
pub mod spells;
pub mod summary;
pub mod survival;
pub(crate) mod table;

use std::path::{Path, PathBuf};

pub use bands::{Band, BandRow, Bands, BandsWriter};
pub use runs::{RunRow, RunsHeader, RunsWriter};
pub use samples::{SampleMonth, SampleRow, SampleRun, SamplesWriter};
pub use spells::{SpellRow, Spells, SpellsWriter};
pub use summary::{LabInfo, SummaryHead, VerdictInfo};
pub use survival::{SpellCurve, SpellSurvival, Survival, SurvivalCurve};

/// File names in a run's output directory.
pub const SUMMARY: &str = "summary.json";
/// Per-run measures.
pub const RUNS: &str = "runs.csv";
/// Per-month distributions across runs.
pub const BANDS: &str = "bands.csv";
/// Lead-spell lengths.
pub const SPELLS: &str = "spells.csv";
/// Every state variable of the first few runs.
pub const SAMPLE_RUNS: &str = "sample_runs.csv";

/// Longest horizon a reader accepts, in months: the scenario format's own limit.
pub const MAX_MONTHS: u32 = 1200;
/// Most labs a reader accepts.
pub const MAX_LABS: usize = 1000;
/// Largest `summary.json` a reader accepts, in bytes (a real one is a few tens of KB).
pub const MAX_SUMMARY_BYTES: u64 = 64 << 20;

/// The lab column of world-level rows in `bands.csv`.
pub const WORLD: &str = "all";

/// The cell of a measure that does not apply to a run (a gap with a single lab, a
/// horizon too short for it): distinct from an empty cell, which is a value that does not
/// exist.
pub const NOT_APPLICABLE: &str = "NA";

/// A measure's cell: its number, or [`NOT_APPLICABLE`].
pub fn cell(v: Option<f64>) -> String {
    v.map_or_else(|| NOT_APPLICABLE.to_string(), num)
}

/// A number as written in tables: Rust's shortest round-trip form, empty when the value
/// does not exist (not finite).
pub fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// Why a result file could not be read. Messages start with the file's path (as given,
/// e.g. `output/baseline/bands.csv`) so a user can find and fix it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file does not exist.
    #[error("{}: not found (run `racerun run` first)", path.display())]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// A JSON file is not valid JSON or not of the kind expected.
    #[error("{}: invalid JSON: not {what}: {error}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The kind of file expected, e.g. `a run summary`.
        what: String,
        /// The parser's error, with line and column.
        error: serde_json::Error,
    },
    /// A CSV file is malformed (ragged rows, bad UTF-8).
    #[error("{}: malformed CSV: {error}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The reader's error.
        error: csv::Error,
    },
    /// A CSV file lacks a column.
    #[error("{}: missing column `{column}`", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column name.
        column: String,
    },
    /// A CSV cell holds something other than what the column promises.
    #[error("{}: line {line}, column `{column}`: expected {expected}, got `{value}`", path.display())]
    BadValue {
        /// The file.
        path: PathBuf,
        /// 1-based line number, header included.
        line: u64,
        /// The column name.
        column: String,
        /// What the column should hold.
        expected: String,
        /// What it held.
        value: String,
    },
    /// A file is well-formed but its content is incomplete, repeated or out of bounds.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Reads a JSON file of at most [`MAX_SUMMARY_BYTES`] into `T`; `what` names the file's
/// kind in the parser's error (`not a sweep summary: ...`).
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, ReadError> {
    let file = table::open(path)?;
    let size = file
        .metadata()
        .map_err(|error| ReadError::Io {
            path: path.to_path_buf(),
            error,
        })?
        .len();
    if size > MAX_SUMMARY_BYTES {
        return Err(ReadError::invalid(
            path,
            format!(
                "{size} bytes is too large for {what} (at most {} MiB)",
                MAX_SUMMARY_BYTES >> 20
            ),
        ));
    }
    serde_json::from_reader(std::io::BufReader::new(file)).map_err(|error| ReadError::Json {
        path: path.to_path_buf(),
        what: what.to_string(),
        error,
    })
}

impl ReadError {
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> ReadError {
        ReadError::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}
