//! Writing results: long-format CSV tables, JSON summaries, the resolved scenario, and
//! the atomic replacement of an output directory. Formats are documented in
//! `docs/outputs.md`.

mod files;
pub mod inputs;
mod summary;

use std::io;
use std::path::{Path, PathBuf};

pub use files::{RunInfo, write_outcome};
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

/// Builds a directory with `fill` in a temporary sibling, then puts it in place of `dir`
/// whole: an existing `dir` is replaced only once the new one is complete, and a failure
/// leaves `dir` as it was.
pub fn replace_dir<E>(dir: &Path, fill: impl FnOnce(&Path) -> Result<(), E>) -> Result<(), E>
where
    E: From<OutputError>,
{
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| OutputError::io(&parent, e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| OutputError::io(&tmp, e))?;
    }
    std::fs::create_dir(&tmp).map_err(|e| OutputError::io(&tmp, e))?;
    if let Err(e) = fill(&tmp) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let swap = || -> io::Result<()> {
        if dir.exists() {
            let old = parent.join(format!(".{name}.old-{pid}"));
            std::fs::rename(dir, &old)?;
            if let Err(e) = std::fs::rename(&tmp, dir) {
                std::fs::rename(&old, dir)?;
                return Err(e);
            }
            std::fs::remove_dir_all(&old)
        } else {
            std::fs::rename(&tmp, dir)
        }
    };
    swap().map_err(|e| {
        let _ = std::fs::remove_dir_all(&tmp);
        OutputError::io(dir, e).into()
    })
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| OutputError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        OutputError::io(path, e)
    })
}

/// A number as written in tables: shortest round-trip form, empty when not finite.
pub(crate) fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_fill_leaves_the_old_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "old").unwrap();
        let r: Result<(), OutputError> = replace_dir(&dir, |tmp| {
            std::fs::write(tmp.join("a.txt"), "new").unwrap();
            Err(OutputError::io(tmp, "boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(root.path()).unwrap().count(),
            1,
            "no temporary left behind"
        );
        replace_dir::<OutputError>(&dir, |tmp| {
            std::fs::write(tmp.join("b.txt"), "new").map_err(|e| OutputError::io(tmp, e))
        })
        .unwrap();
        assert!(!dir.join("a.txt").exists());
        assert_eq!(std::fs::read_to_string(dir.join("b.txt")).unwrap(), "new");
    }
}
