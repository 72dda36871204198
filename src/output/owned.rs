//! What in a directory racerun wrote, and what someone else put there: the test behind
//! every replacement and every removal of a leftover, so that nothing racerun did not
//! write is deleted with what it did.

use std::path::Path;

use super::manifest::{Detected, MANIFEST, detect};
use super::partial::CELLS_DIR;

/// Whether `name` is a file some racerun result holds: what a directory whose manifest
/// lists no files (written before manifests did, or a manifest of someone else's) may
/// hold to be taken for a racerun result.
fn result_file(name: &str) -> bool {
    const OTHERS: [&str; 9] = [
        MANIFEST,
        crate::experiment::sweep::SWEEP_CSV,
        super::compare::COMPARE_JSON,
        crate::schema::explain::ATTRIBUTION,
        crate::schema::explain::WORLDS,
        crate::schema::explain::LEAPFROGS,
        crate::experiment::partial::PARTIAL_FILE,
        crate::report::html::REPORT,
        "charts",
    ];
    super::files::RUN_FILES.contains(&name)
        || super::sensitivity::FILES.contains(&name)
        || OTHERS.contains(&name)
}

/// What directory `dir`, found to hold `found`, holds beyond what racerun wrote there:
/// entries its manifest does not list (besides the manifest, `charts/`, `report.html`,
/// and a sweep's `.cells/`), or, without a list of files, entries no racerun result
/// has; files in `charts/` that are not charts racerun draws; and in `.cells/`, anything
/// but finished cells. Empty when everything there is racerun's.
pub(crate) fn strangers(dir: &Path, found: Detected) -> Vec<String> {
    let listed: Option<Vec<String>> = std::fs::read_to_string(dir.join(MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|m| {
            m.get("files")?
                .as_array()?
                .iter()
                .map(|f| f.as_str().map(String::from))
                .collect()
        });
    let unlisted = listed.is_none();
    let mut allowed = listed.unwrap_or_default();
    allowed.extend([MANIFEST, "charts", crate::report::html::REPORT].map(String::from));
    let sweep =
        found.matches(super::OutputKind::Sweep) || found.matches(super::OutputKind::SweepShard);
    if sweep {
        allowed.push(CELLS_DIR.to_string());
    }
    let mut extra: Vec<String> = names(dir)
        .into_iter()
        .filter(|n| !(allowed.contains(n) || unlisted && result_file(n) || racerun_temporary(n)))
        .collect();
    for (sub, theirs) in [
        (
            "charts",
            not_charts as fn(&Path) -> Result<Vec<String>, String>,
        ),
        (CELLS_DIR, not_cells),
    ] {
        let path = dir.join(sub);
        if allowed.iter().any(|a| a == sub) && path.is_dir() {
            let found = theirs(&path).unwrap_or_else(|_| vec!["(unreadable)".into()]);
            extra.extend(found.into_iter().map(|n| format!("{sub}/{n}")));
        }
    }
    extra.sort();
    extra
}

/// The names in `dir`, none if it cannot be read.
fn names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The entries of a chart directory that are not charts racerun draws (`NAME.png` or
/// `NAME.svg` files of its charts).
pub(crate) fn not_charts(charts: &Path) -> Result<Vec<String>, String> {
    not_files_named(charts, crate::plot::is_chart_file)
}

/// The entries of a sweep's `.cells/` that are not its finished cells
/// (`cell-NNNNNNN.bin`) or one being saved (`cell-NNNNNNN.tmp-PID`).
fn not_cells(cells: &Path) -> Result<Vec<String>, String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    not_files_named(cells, |name| {
        name.strip_prefix("cell-")
            .and_then(|rest| rest.split_once('.'))
            .is_some_and(|(n, ext)| {
                digits(n) && (ext == "bin" || ext.strip_prefix("tmp-").is_some_and(digits))
            })
    })
}

/// The entries of `dir` other than plain files whose names `ours` accepts.
fn not_files_named(dir: &Path, ours: impl Fn(&str) -> bool) -> Result<Vec<String>, String> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| format!("cannot be read ({e})"))?
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, path)| {
            let file = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
            !(file && ours(name))
        })
        .map(|(name, _)| name)
        .collect())
}

/// Whether a directory named as a leftover (`.NAME.tmp-PID`, `.NAME.old-PID`) is
/// racerun's: marked as being built or removed ([`super::replace::BUILDING`]); a result
/// swapped aside that holds nothing racerun did not write; charts being drawn (chart files
/// only); or empty. Anything else under such a name is someone else's, and left alone.
pub(crate) fn built_by_racerun(dir: &Path) -> bool {
    if dir.join(super::replace::BUILDING).is_file() || names(dir).is_empty() {
        return true;
    }
    match detect(dir) {
        Some(found) => strangers(dir, found).is_empty(),
        None => not_charts(dir).is_ok_and(|others| others.is_empty()),
    }
}

/// Whether `name`, inside a result, is a temporary of a racerun writing there: the charts
/// being redrawn (`.charts.tmp-PID`) or the report (`report.tmp-PID`).
pub(crate) fn racerun_temporary(name: &str) -> bool {
    super::place::leftover_pid(name, "charts").is_some()
        || name
            .strip_prefix("report.tmp-")
            .is_some_and(|pid| pid.parse::<u32>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_charts_are_told_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        let cells = tmp.path().join(".cells");
        std::fs::create_dir(&cells).unwrap();
        for name in [
            "cell-0000003.bin",
            "cell-0000004.tmp-77",
            "notes.ipynb",
            "cell-x.bin",
        ] {
            std::fs::write(cells.join(name), "").unwrap();
        }
        let mut theirs = not_cells(&cells).unwrap();
        theirs.sort();
        assert_eq!(theirs, ["cell-x.bin", "notes.ipynb"]);
        let charts = tmp.path().join("charts");
        std::fs::create_dir(&charts).unwrap();
        for name in ["leapfrog.png", "phase.svg", "my_figure.png", "leapfrog.pdf"] {
            std::fs::write(charts.join(name), "").unwrap();
        }
        let mut theirs = not_charts(&charts).unwrap();
        theirs.sort();
        assert_eq!(theirs, ["leapfrog.pdf", "my_figure.png"]);
    }
}
