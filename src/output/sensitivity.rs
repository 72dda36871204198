//! The files of a sensitivity study: `summary.json`, `sensitivity.csv` (one row per
//! input: its indices and intervals), `samples.csv` (every point: which matrix and row,
//! the inputs' values and the measure), `scenario.toml` and `manifest.json`.

use std::path::Path;

use super::place::{OutputKind, write_manifest};
use super::{OutputError, num};
use crate::experiment::sensitivity::{Outcome, design_row, row_points};
use crate::scenario::uncertain::Dist;

/// The files of a sensitivity result, as its manifest lists them.
pub(crate) const FILES: [&str; 4] = [
    "summary.json",
    "sensitivity.csv",
    "samples.csv",
    "scenario.toml",
];

/// Writes every file of `outcome` into `dir` (which must exist).
pub fn write(outcome: &Outcome, dir: &Path) -> Result<(), OutputError> {
    let write = |name: &str, bytes: Vec<u8>| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| OutputError::io(&path, e))
    };
    let csv_error = |name: &str| {
        let path = dir.join(name);
        move |e: csv::Error| OutputError::io(&path, e)
    };
    let summary = outcome.summary();
    let mut json = serde_json::to_vec_pretty(&summary)
        .map_err(|e| OutputError::io(&dir.join("summary.json"), e))?;
    json.push(b'\n');
    write("summary.json", json)?;

    let mut w = csv::Writer::from_writer(Vec::new());
    let mut table = || -> csv::Result<()> {
        w.write_record([
            "param", "dist", "s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi",
        ])?;
        for p in &summary.params {
            let i = &p.indices;
            let mut row = vec![p.param.clone(), p.dist.clone()];
            row.extend([i.s1, i.s1_lo, i.s1_hi, i.st, i.st_lo, i.st_hi].map(num));
            w.write_record(&row)?;
        }
        Ok(())
    };
    table().map_err(csv_error("sensitivity.csv"))?;
    write(
        "sensitivity.csv",
        finish(w).map_err(csv_error("sensitivity.csv"))?,
    )?;

    let h = &outcome.header;
    let k = h.params.len();
    let dists: Vec<Dist> = h
        .params
        .iter()
        .filter_map(|(_, d)| {
            let t: toml::Table = toml::from_str(&format!("v = {d}")).ok()?;
            Dist::parse(t.get("v")?.as_table()?).ok()
        })
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut points = || -> csv::Result<()> {
        let mut head = vec!["row".to_string(), "matrix".to_string()];
        head.extend(h.params.iter().map(|(p, _)| p.clone()));
        head.push(h.measure.clone());
        w.write_record(&head)?;
        for (j, row) in outcome.values.iter().enumerate() {
            let (a, b) = design_row(h.seed, j as u64, k);
            for (m, (point, value)) in row_points(&a, &b).iter().zip(row).enumerate() {
                let matrix = match m {
                    0 => "A".to_string(),
                    1 => "B".to_string(),
                    i => format!("AB{}", i - 1),
                };
                let mut rec = vec![j.to_string(), matrix];
                rec.extend(point.iter().zip(&dists).map(|(u, d)| num(d.quantile(*u))));
                rec.push(num(*value));
                w.write_record(&rec)?;
            }
        }
        Ok(())
    };
    points().map_err(csv_error("samples.csv"))?;
    write("samples.csv", finish(w).map_err(csv_error("samples.csv"))?)?;
    write("scenario.toml", h.scenario_toml.clone().into_bytes())?;
    write_manifest(dir, OutputKind::Sensitivity, &FILES)
}

fn finish(w: csv::Writer<Vec<u8>>) -> csv::Result<Vec<u8>> {
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}
