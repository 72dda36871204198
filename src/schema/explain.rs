//! The files of `racerun explain` besides `summary.json`: `attribution.csv` (long format,
//! one row per measure and channel), `worlds.csv` (one row per world) and
//! `leapfrogs.csv` (one row per lead change of a sample run), with their writers and the
//! checked reader of `leapfrogs.csv` its chart uses.

use std::path::Path;

use super::table::{Sheet, Table};
use super::{NOT_APPLICABLE, ReadError, num};
use crate::explain::attribution::{Attribution, Status};
use crate::explain::leapfrog::{Leapfrog, PARTS};
use crate::explain::{ATTRIBUTED, CHANNELS, WorldRow};

/// The attribution table.
pub const ATTRIBUTION: &str = "attribution.csv";
/// Every world's channels and means.
pub const WORLDS: &str = "worlds.csv";
/// The decomposed lead changes.
pub const LEAPFROGS: &str = "leapfrogs.csv";

/// The columns of `attribution.csv`.
pub const ATTRIBUTION_COLUMNS: [&str; 12] = [
    "measure",
    "channel",
    "status",
    "effect",
    "share",
    "ci_low",
    "ci_high",
    "share_ci_low",
    "share_ci_high",
    "sampling_se",
    "factual",
    "all_off",
];

/// `attribution.csv`: per measure (in [`ATTRIBUTED`] order) and channel (in [`CHANNELS`]
/// order) the Shapley value, its share of the total and their intervals.
pub fn attribution_csv(a: &Attribution) -> csv::Result<Vec<u8>> {
    let mut sheet = Sheet::new(ATTRIBUTION_COLUMNS)?;
    for measure in ATTRIBUTED {
        let Some(m) = a.measures.get(measure) else {
            continue;
        };
        for (c, info) in CHANNELS.iter().zip(&a.channels) {
            let mut row = vec![
                measure.to_string(),
                c.name().to_string(),
                info.status.name().to_string(),
            ];
            let na = || NOT_APPLICABLE.to_string();
            match m.channels.get(c.name()) {
                Some(e) => {
                    let opt = |v: Option<f64>| v.map_or_else(String::new, num);
                    row.extend([
                        num(e.effect),
                        opt(e.share),
                        num(e.ci_low),
                        num(e.ci_high),
                        opt(e.share_ci_low),
                        opt(e.share_ci_high),
                    ]);
                    row.push(match (info.status, e.sampling_se) {
                        (Status::Used, se) => opt(se),
                        _ => na(),
                    });
                }
                // Kept on in every world: nothing measured.
                None => row.extend((0..7).map(|_| na())),
            }
            row.extend([m.factual, m.all_off].map(num));
            sheet.row(row)?;
        }
    }
    sheet.finish()
}

/// `worlds.csv`: per world, each channel on (`1`), off (`0`) or not switched (`NA`: the
/// scenario does not use it, or `--channels` left it on), the runs, and each attributed
/// measure's mean over runs.
pub fn worlds_csv(worlds: &[WorldRow]) -> csv::Result<Vec<u8>> {
    let mut head = vec!["world".to_string()];
    head.extend(CHANNELS.iter().map(|c| c.name().to_string()));
    head.push("runs".into());
    head.extend(ATTRIBUTED.iter().map(|m| m.to_string()));
    let mut sheet = Sheet::new(head)?;
    for w in worlds {
        let mut row = vec![w.world.to_string()];
        row.extend(w.on.iter().map(|on| match on {
            Some(true) => "1".to_string(),
            Some(false) => "0".to_string(),
            None => NOT_APPLICABLE.to_string(),
        }));
        row.push(w.runs.to_string());
        row.extend(w.means.iter().map(|v| num(*v)));
        sheet.row(row)?;
    }
    sheet.finish()
}

/// The columns of `leapfrogs.csv`: where and who, the margin, then its parts.
pub fn leapfrog_columns() -> Vec<&'static str> {
    let mut c = vec!["run", "month", "date", "challenger", "incumbent", "margin"];
    c.extend(PARTS);
    c
}

/// `leapfrogs.csv`; `date(month)` gives the calendar month.
pub fn leapfrogs_csv(rows: &[Leapfrog], date: &dyn Fn(u32) -> String) -> csv::Result<Vec<u8>> {
    let mut sheet = Sheet::new(leapfrog_columns())?;
    for l in rows {
        let mut row = vec![
            l.run.to_string(),
            l.month.to_string(),
            date(l.month),
            l.challenger.clone(),
            l.incumbent.clone(),
            num(l.margin),
        ];
        row.extend(l.parts().map(num));
        sheet.row(row)?;
    }
    sheet.finish()
}

/// Reads `leapfrogs.csv`: every column present, months below `months`, challengers and
/// incumbents among `labs`, numbers that parse.
pub fn read_leapfrogs(
    path: &Path,
    months: u32,
    labs: &[String],
) -> Result<Vec<Leapfrog>, ReadError> {
    let table = Table::open(path)?;
    let cols: Vec<usize> = leapfrog_columns()
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    table.rows(|row| {
        let lab = |k: usize| -> Result<String, ReadError> {
            row.lab(cols[k], labs).map(|i| labs[i].clone())
        };
        let mut leapfrog = Leapfrog {
            run: row.count(cols[0])?,
            month: row.month(cols[1], months)?,
            challenger: lab(3)?,
            incumbent: lab(4)?,
            margin: row.float(cols[5])?,
            ..Leapfrog::default()
        };
        for (p, c) in leapfrog.parts_mut().into_iter().zip(&cols[6..]) {
            *p = row.float(*c)?;
        }
        out.push(leapfrog);
        Ok(())
    })?;
    Ok(out)
}
