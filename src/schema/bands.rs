//! `bands.csv`: per month, lab (or the world, lab `all`) and series, the mean and
//! quantiles across runs. The series are those of [`crate::montecarlo::LabSeries`] and
//! [`crate::montecarlo::WorldSeries`]; a series that does not apply (the runner-up's gap
//! with one lab) is written `NA`.

use std::collections::HashMap;
use std::path::Path;

use super::table::{Sheet, Table, known_labs, ranges};
use super::{NOT_APPLICABLE, ReadError, SummaryHead, WORLD, num};
use crate::montecarlo::{LabSeries, WorldSeries};

/// Series added after results had been written without them: a file may lack these
/// (and reads as having none), but not any other.
const ADDED_LATER: [&str; 1] = ["top_share"];

/// The columns, in order.
pub const COLUMNS: [&str; 10] = [
    "month", "date", "lab", "series", "mean", "p5", "p25", "p50", "p75", "p95",
];

/// The quantiles of the columns `p5` to `p95`.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// One row as written.
#[derive(Debug, Clone, Copy)]
pub struct BandRow<'a> {
    /// Month index from 0.
    pub month: usize,
    /// The month as `YYYY-MM`.
    pub date: &'a str,
    /// A lab id, or [`WORLD`] for world-level series.
    pub lab: &'a str,
    /// The series name.
    pub series: &'a str,
    /// Mean and the [`QUANTILES`] across runs; `None` for a series that does not apply.
    pub values: Option<(f64, [f64; 5])>,
}

/// Writes `bands.csv` in memory.
pub struct BandsWriter(Sheet);

impl BandsWriter {
    /// A table with its header.
    pub fn new() -> csv::Result<BandsWriter> {
        Ok(BandsWriter(Sheet::new(COLUMNS)?))
    }

    /// Appends a row.
    pub fn row(&mut self, row: &BandRow<'_>) -> csv::Result<()> {
        let [mean, q5, q25, q50, q75, q95] = match row.values {
            Some((mean, quantiles)) => {
                let [q5, q25, q50, q75, q95] = quantiles.map(num);
                [num(mean), q5, q25, q50, q75, q95]
            }
            None => std::array::from_fn(|_| NOT_APPLICABLE.to_string()),
        };
        self.0.row([
            row.month.to_string(),
            row.date.to_string(),
            row.lab.to_string(),
            row.series.to_string(),
            mean,
            q5,
            q25,
            q50,
            q75,
            q95,
        ])
    }

    /// The file's bytes.
    pub fn finish(self) -> csv::Result<Vec<u8>> {
        self.0.finish()
    }
}

/// One month of one series as read. Values are NaN where the file had no number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Month index.
    pub month: u32,
    /// Mean.
    pub mean: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// `bands.csv` as read: every series of every lab (and of the world), each with one
/// point per month in month order.
#[derive(Debug, Default)]
pub struct Bands {
    series: HashMap<(String, String), Vec<Band>>,
}

impl Bands {
    /// The points of `series` for `lab` (a lab id or [`WORLD`]); empty when absent.
    pub fn get(&self, series: &str, lab: &str) -> &[Band] {
        self.series
            .get(&(series.to_string(), lab.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Reads `bands.csv` and checks it against `head`: every lab series for every lab and
    /// every world series, each month of the horizon exactly once, nothing else.
    pub fn read(path: &Path, head: &SummaryHead) -> Result<Bands, ReadError> {
        let table = Table::open(path)?;
        let [month, lab, series] = table.columns(["month", "lab", "series"])?;
        let stats = table.columns(["mean", "p5", "p25", "p50", "p75", "p95"])?;
        let labs = head.lab_ids();
        let months = head.horizon();
        let lab_series: Vec<&str> = LabSeries::ALL.iter().map(|s| s.name()).collect();
        let world_series: Vec<&str> = WorldSeries::ALL.iter().map(|s| s.name()).collect();
        // Slot k: lab series s of lab i at s * labs + i, then the world series.
        let world_base = lab_series.len() * labs.len();
        let mut slots: Vec<Vec<Option<Band>>> = vec![Vec::new(); world_base + world_series.len()];
        let rows = table.rows(|cells| {
            let name = cells.text(series);
            let slot = if cells.text(lab) == WORLD {
                let s = world_series
                    .iter()
                    .position(|n| *n == name)
                    .ok_or_else(|| {
                        cells.bad(
                            series,
                            format!("a world series ({})", world_series.join(", ")),
                        )
                    })?;
                world_base + s
            } else {
                let i = cells
                    .lab(lab, &labs)
                    .map_err(|_| cells.bad(lab, format!("{} or `{WORLD}`", known_labs(&labs))))?;
                let s = lab_series.iter().position(|n| *n == name).ok_or_else(|| {
                    cells.bad(series, format!("a lab series ({})", lab_series.join(", ")))
                })?;
                s * labs.len() + i
            };
            let m = cells.month(month, months)?;
            let points = &mut slots[slot];
            if points.is_empty() {
                *points = vec![None; months as usize];
            }
            if points[m as usize].is_some() {
                return Err(ReadError::invalid(
                    path,
                    format!(
                        "line {}: a second row for month {m} of series `{name}`, lab `{}`",
                        cells.line,
                        cells.text(lab)
                    ),
                ));
            }
            let [mean, p5, p25, p50, p75, p95] = cells.floats(stats)?;
            points[m as usize] = Some(Band {
                month: m,
                mean,
                p5,
                p25,
                p50,
                p75,
                p95,
            });
            Ok(())
        })?;
        if rows == 0 {
            return Err(ReadError::invalid(path, "no data rows"));
        }
        let mut bands = Bands::default();
        for (k, points) in slots.into_iter().enumerate() {
            let (name, lab) = if k < world_base {
                (lab_series[k / labs.len()], labs[k % labs.len()].as_str())
            } else {
                (world_series[k - world_base], WORLD)
            };
            if points.is_empty() && ADDED_LATER.contains(&name) {
                // A result written before the series existed: its charts go without it.
                continue;
            }
            if points.is_empty() {
                return Err(ReadError::invalid(
                    path,
                    format!("no rows for series `{name}`, lab `{lab}`"),
                ));
            }
            let missing: Vec<u32> = (0..months)
                .filter(|&m| points[m as usize].is_none())
                .collect();
            if !missing.is_empty() {
                return Err(ReadError::invalid(
                    path,
                    format!(
                        "series `{name}`, lab `{lab}`: no {} {} of the {months} in summary.json",
                        if missing.len() == 1 {
                            "row for month"
                        } else {
                            "rows for months"
                        },
                        ranges(&missing)
                    ),
                ));
            }
            bands.series.insert(
                (name.to_string(), lab.to_string()),
                points.into_iter().flatten().collect(),
            );
        }
        Ok(bands)
    }
}
