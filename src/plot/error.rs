//! Errors of the chart module: every message names the file and what is wrong with it.

use std::path::{Path, PathBuf};

use crate::schema::ReadError;

/// Why charts could not be drawn.
///
/// Messages start with the offending file's path (as given, e.g.
/// `output/baseline/bands.csv`) so a user can find and fix it.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The output directory itself does not exist.
    #[error("{}: output directory not found (run `racerun run` first)", path.display())]
    DirNotFound {
        /// The missing directory.
        path: PathBuf,
    },
    /// An input file is missing, malformed, incomplete or out of bounds.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A chart file or directory could not be written.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// `--only` named a chart that this kind of output does not have.
    #[error("unknown chart `{name}`{hint}; valid names: {valid}")]
    UnknownChart {
        /// The name given.
        name: String,
        /// ` (did you mean `x`?)` or empty.
        hint: String,
        /// The charts of this kind of output, comma-separated.
        valid: String,
    },
    /// The options ask for nothing or for an unusable size.
    #[error("{0}")]
    Options(String),
    /// A chart was asked to draw from a file that was not loaded for it (a chart that
    /// does not declare what it reads).
    #[error("chart `{chart}` needs {file}, which was not loaded")]
    NotLoaded {
        /// The chart.
        chart: &'static str,
        /// The file it needs.
        file: &'static str,
    },
    /// Drawing a chart failed (font or backend error).
    #[error("{}: drawing failed: {message}", path.display())]
    Render {
        /// The chart file being drawn.
        path: PathBuf,
        /// The backend's message.
        message: String,
    },
}

impl From<crate::output::OutputError> for PlotError {
    fn from(e: crate::output::OutputError) -> PlotError {
        PlotError::Io {
            path: e.path,
            error: std::io::Error::other(e.message),
        }
    }
}

impl PlotError {
    /// Refuses an output directory that does not exist.
    pub(crate) fn require_dir(dir: &Path) -> Result<(), PlotError> {
        if dir.is_dir() {
            Ok(())
        } else {
            Err(PlotError::DirNotFound {
                path: dir.to_path_buf(),
            })
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> PlotError {
        let path = path.into();
        move |error| PlotError::Io { path, error }
    }
}
