//! The check before `plot` and `report` change a result in place.

use std::path::{Path, PathBuf};

use super::super::lock::Lock;
use super::super::owned::not_charts;
use super::{
    Detected, MANIFEST, OutputKind, Refused, WRITABLE, detect, lock, remove_leftovers,
    write_protected,
};

/// Checks `dir` before `racerun plot` redraws its charts into `dir/charts/`: `dir` must
/// be a racerun result (of `run`, `sweep`, `sensitivity`, `explain` or `compare`), and
/// `charts`, if it exists, a directory of charts (PNG and SVG files only) that is not
/// write-protected. Locks `dir` against another racerun writing it, and removes the hidden
/// leftovers of a killed `plot` beside `charts`.
pub fn check_charts(dir: &Path) -> Result<InPlace, Refused> {
    let fail = |path: &Path, why: String, todo: &str| Refused {
        label: "",
        path: path.to_path_buf(),
        why,
        todo: todo.into(),
    };
    const EXPECTED: &str = "give a directory written by `racerun run`, `sweep`, \
        `sensitivity`, `explain` or `compare`";
    if !dir.is_dir() {
        let why = if std::fs::symlink_metadata(dir).is_err() {
            "does not exist"
        } else {
            "not a directory"
        };
        return Err(fail(dir, why.into(), EXPECTED));
    }
    match detect(dir) {
        Some(Detected::Kind(
            OutputKind::Run
            | OutputKind::Sweep
            | OutputKind::Sensitivity
            | OutputKind::Compare
            | OutputKind::Explain,
        )) => {}
        Some(found) => {
            let todo = if found == Detected::SweepInProgress {
                "finish the sweep first: its command again, with --resume"
            } else {
                "merge the shards first with `racerun merge`"
            };
            return Err(fail(
                dir,
                format!("holds {}, which has no charts", found.describe()),
                todo,
            ));
        }
        None => {
            return Err(fail(
                dir,
                format!("not a racerun result (it has no racerun {MANIFEST})"),
                EXPECTED,
            ));
        }
    }
    let charts = dir.join("charts");
    const MOVE: &str = "move it elsewhere first: `racerun plot` replaces charts/ whole";
    if let Ok(m) = std::fs::symlink_metadata(&charts) {
        if !m.is_dir() {
            return Err(fail(&charts, "is not a directory of charts".into(), MOVE));
        }
        let strangers = not_charts(&charts).map_err(|e| fail(&charts, e, MOVE))?;
        if !strangers.is_empty() {
            return Err(fail(
                &charts,
                format!(
                    "holds files racerun did not draw ({})",
                    strangers.join(", ")
                ),
                "move them elsewhere first: `racerun plot` replaces charts/ whole",
            ));
        }
        write_protected(&charts).map_err(|why| fail(&charts, why, WRITABLE))?;
    }
    let lock = lock(dir, "").map_err(|(why, todo)| fail(dir, why, &todo))?;
    let cleaned = remove_leftovers(&charts, lock.is_some())
        .map_err(|(why, todo)| fail(&charts, why, &todo))?;
    Ok(InPlace {
        cleaned,
        _lock: lock,
    })
}

/// A result checked for `plot` or `report` to change in place ([`check_charts`]), locked
/// until it is dropped.
#[derive(Debug)]
pub struct InPlace {
    cleaned: Vec<PathBuf>,
    _lock: Option<Lock>,
}

impl InPlace {
    /// Leftovers of a killed `plot` removed from it.
    pub fn cleaned(&self) -> &[PathBuf] {
        &self.cleaned
    }
}
