//! The files of a sweep: `sweep.csv` (long format, one row per cell and measure),
//! `summary.json` and `manifest.json`.

use std::path::Path;

use super::place::{OutputKind, write_manifest};
use super::{OutputError, num};
use crate::experiment::sweep::{CellResult, SWEEP_CSV, SWEEP_SUMMARY, SweepHeader, sweep_summary};

/// `sweep.csv`: one row per cell and measure, long format. Every cell has a row of every
/// measure some cell has: empty numbers where the cell has no value (a measure that needs
/// 24 months, in a cell of a shorter horizon), so that a missing row means a damaged file.
/// `ci_low` and `ci_high` bound the mean's 95% bootstrap interval of an effect
/// (`--effect`), and are empty for the other measures.
pub fn sweep_csv(header: &SweepHeader, cells: &[CellResult]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["cell".to_string()];
    head.extend(header.axes.iter().map(|a| a.path.clone()));
    head.extend(
        [
            "measure",
            "mean",
            "p10",
            "p50",
            "p90",
            "ci_low",
            "ci_high",
            "regime",
            "race_share",
            "run_share",
            "mixed_share",
        ]
        .map(String::from),
    );
    w.write_record(&head)?;
    let names: std::collections::BTreeSet<&String> =
        cells.iter().flat_map(|c| c.measures.keys()).collect();
    for c in cells {
        for &name in &names {
            let mut row = vec![c.cell.to_string()];
            row.extend(c.values.iter().map(|v| num(*v)));
            row.push(name.clone());
            let stats = c
                .measures
                .get(name)
                .map_or([f64::NAN; 4], |s| [s.mean, s.p10, s.p50, s.p90]);
            row.extend(stats.map(num));
            let ci = c.effect_ci.get(name).copied().unwrap_or([f64::NAN; 2]);
            row.extend(ci.map(num));
            row.push(c.regime.clone());
            row.extend([c.race_share, c.run_share, c.mixed_share].map(num));
            w.write_record(&row)?;
        }
    }
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

/// Writes `sweep.csv`, `summary.json` and `manifest.json` into `dir` (which must exist).
pub fn write_sweep(
    dir: &Path,
    header: &SweepHeader,
    cells: &[CellResult],
) -> Result<(), OutputError> {
    let csv = sweep_csv(header, cells).map_err(|e| OutputError::io(&dir.join(SWEEP_CSV), e))?;
    let path = dir.join(SWEEP_CSV);
    std::fs::write(&path, csv).map_err(|e| OutputError::io(&path, e))?;
    let summary = sweep_summary(header, cells);
    let path = dir.join(SWEEP_SUMMARY);
    let mut json = serde_json::to_vec_pretty(&summary).map_err(|e| OutputError::io(&path, e))?;
    json.push(b'\n');
    std::fs::write(&path, json).map_err(|e| OutputError::io(&path, e))?;
    write_manifest(dir, OutputKind::Sweep, &[SWEEP_CSV, SWEEP_SUMMARY])
}
