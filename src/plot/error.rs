//! Errors of the chart module: every message names the file and what is wrong with it.

use std::path::PathBuf;

/// Why charts could not be drawn.
///
/// Messages start with the offending file's path (as given, e.g.
/// `output/baseline/bands.csv`) so a user can find and fix it.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// An input file does not exist.
    #[error("{}: not found (run `racerun run` first)", path.display())]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The output directory itself does not exist.
    #[error("{}: output directory not found (run `racerun run` first)", path.display())]
    DirNotFound {
        /// The missing directory.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `summary.json` is not valid JSON or lacks a field.
    #[error("{}: invalid JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's error, with line and column.
        source: serde_json::Error,
    },
    /// A CSV file is malformed (ragged rows, bad UTF-8).
    #[error("{}: malformed CSV: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The reader's error.
        source: csv::Error,
    },
    /// A CSV file lacks a column a chart needs.
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
        expected: &'static str,
        /// What it held.
        value: String,
    },
    /// A file is well-formed but its content cannot be charted.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `--only` named a chart that does not exist.
    #[error("unknown chart `{name}`; valid names: {}", super::CHART_NAMES.join(", "))]
    UnknownChart {
        /// The name given.
        name: String,
    },
    /// The options ask for nothing or for an unusable size.
    #[error("{0}")]
    Options(String),
    /// Drawing a chart failed (font or backend error).
    #[error("{}: drawing failed: {message}", path.display())]
    Render {
        /// The chart file being drawn.
        path: PathBuf,
        /// The backend's message.
        message: String,
    },
}
