//! `sample_runs.csv`: every state variable and flow of the first few runs, one row per
//! run, month and lab, with the world's columns repeated on each row.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::table::{Cells, Sheet, Table};
use super::{ReadError, SummaryHead, num};

/// The columns, in order.
pub const COLUMNS: [&str; 39] = [
    "run",
    "month",
    "date",
    "lab",
    "fleet",
    "pipeline",
    "train_fraction",
    "training_gpus",
    "inference_gpus",
    "capacity",
    "effective_compute",
    "run_elapsed",
    "released",
    "candidate",
    "quality",
    "desired_share",
    "customers",
    "demand",
    "served",
    "overflow_in",
    "unserved",
    "revenue",
    "opex",
    "funding",
    "asset_sales",
    "capex",
    "power_capex",
    "payout",
    "cash",
    "ordered",
    "received",
    "price",
    "quality_leader",
    "market_leader",
    "total_demand",
    "shock",
    "frontier",
    "supply",
    "gpu_price",
];

/// Columns holding 0 or 1.
const FLAGS: [&str; 3] = ["released", "quality_leader", "market_leader"];
/// Columns holding whole numbers.
const COUNTS: [&str; 1] = ["run_elapsed"];
/// Columns holding text.
const TEXT: [&str; 2] = ["date", "lab"];

/// One lab in one month of one sample run, as written. Units in `docs/outputs.md`.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct SampleRow<'a> {
    pub run: u64,
    pub month: usize,
    pub date: &'a str,
    pub lab: &'a str,
    pub fleet: f64,
    pub pipeline: f64,
    pub train_fraction: f64,
    pub training_gpus: f64,
    pub inference_gpus: f64,
    pub capacity: f64,
    pub effective_compute: f64,
    pub run_elapsed: u32,
    pub released: bool,
    pub candidate: f64,
    pub quality: f64,
    pub desired_share: f64,
    pub customers: f64,
    pub demand: f64,
    pub served: f64,
    pub overflow_in: f64,
    pub unserved: f64,
    pub revenue: f64,
    pub opex: f64,
    pub funding: f64,
    pub asset_sales: f64,
    pub capex: f64,
    pub power_capex: f64,
    pub payout: f64,
    pub cash: f64,
    pub ordered: f64,
    pub received: f64,
    pub price: f64,
    pub quality_leader: bool,
    pub market_leader: bool,
    pub total_demand: f64,
    pub shock: f64,
    pub frontier: f64,
    pub supply: f64,
    pub gpu_price: f64,
}

impl SampleRow<'_> {
    /// The cells, in [`COLUMNS`] order.
    fn cells(&self) -> [String; 39] {
        let flag = |b: bool| u8::from(b).to_string();
        [
            self.run.to_string(),
            self.month.to_string(),
            self.date.to_string(),
            self.lab.to_string(),
            num(self.fleet),
            num(self.pipeline),
            num(self.train_fraction),
            num(self.training_gpus),
            num(self.inference_gpus),
            num(self.capacity),
            num(self.effective_compute),
            self.run_elapsed.to_string(),
            flag(self.released),
            num(self.candidate),
            num(self.quality),
            num(self.desired_share),
            num(self.customers),
            num(self.demand),
            num(self.served),
            num(self.overflow_in),
            num(self.unserved),
            num(self.revenue),
            num(self.opex),
            num(self.funding),
            num(self.asset_sales),
            num(self.capex),
            num(self.power_capex),
            num(self.payout),
            num(self.cash),
            num(self.ordered),
            num(self.received),
            num(self.price),
            flag(self.quality_leader),
            flag(self.market_leader),
            num(self.total_demand),
            num(self.shock),
            num(self.frontier),
            num(self.supply),
            num(self.gpu_price),
        ]
    }
}

/// Writes `sample_runs.csv` in memory.
pub struct SamplesWriter(Sheet);

impl SamplesWriter {
    /// A table with its header.
    pub fn new() -> csv::Result<SamplesWriter> {
        Ok(SamplesWriter(Sheet::new(COLUMNS)?))
    }

    /// Appends a row.
    pub fn row(&mut self, row: &SampleRow<'_>) -> csv::Result<()> {
        self.0.row(row.cells())
    }

    /// The file's bytes.
    pub fn finish(self) -> csv::Result<Vec<u8>> {
        self.0.finish()
    }
}

/// What charts read of one lab in one month of a sample run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleMonth {
    /// Deployed quality, Elo.
    pub quality: f64,
    /// A new model shipped this month.
    pub released: bool,
    /// The lab leads on quality.
    pub quality_leader: bool,
    /// GPUs training, H100e.
    pub training_gpus: f64,
    /// GPUs serving, H100e.
    pub inference_gpus: f64,
    /// GPUs owned at the end of the month, H100e, with or without power (NaN in a file
    /// written before the column existed).
    pub fleet: f64,
}

/// The first sample run of `sample_runs.csv` (the lowest run index).
#[derive(Debug, Clone, PartialEq)]
pub struct SampleRun {
    /// Its run index.
    pub run: u64,
    /// Per lab in summary order, one entry per month.
    pub months: Vec<Vec<SampleMonth>>,
}

impl SampleRun {
    /// Reads `sample_runs.csv`, checks every sample run in it against `head` (each lab
    /// and month exactly once, known labs, every number parses) and returns the first.
    pub fn read(path: &Path, head: &SummaryHead) -> Result<SampleRun, ReadError> {
        let table = Table::open(path)?;
        let [
            run,
            month,
            lab,
            quality,
            released,
            leader,
            training,
            inference,
        ] = table.columns([
            "run",
            "month",
            "lab",
            "quality",
            "released",
            "quality_leader",
            "training_gpus",
            "inference_gpus",
        ])?;
        let kind = |c: usize| {
            let name = table.headers[c].as_str();
            let known = COLUMNS.contains(&name) && c != run && c != month;
            match name {
                _ if !known || TEXT.contains(&name) => Check::None,
                _ if FLAGS.contains(&name) => Check::Flag,
                _ if COUNTS.contains(&name) => Check::Count,
                _ => Check::Number,
            }
        };
        let fleet = table.headers.iter().position(|h| h == "fleet");
        let checks: Vec<(usize, Check)> = (0..table.headers.len()).map(|c| (c, kind(c))).collect();
        let labs = head.lab_ids();
        let months = head.horizon();
        let mut seen: HashSet<(u64, usize, u32)> = HashSet::new();
        let mut rows_per_run: HashMap<u64, u64> = HashMap::new();
        // The lowest run so far, with its months per lab.
        let mut first: Option<(u64, Vec<Vec<Option<SampleMonth>>>)> = None;
        table.rows(|cells| {
            let r = cells.count(run)?;
            let i = cells.lab(lab, &labs)?;
            let m = cells.month(month, months)?;
            for &(c, check) in &checks {
                check.apply(cells, c)?;
            }
            if !seen.insert((r, i, m)) {
                return Err(ReadError::invalid(
                    path,
                    format!(
                        "line {}: a second row for run {r}, month {m}, lab `{}`",
                        cells.line, labs[i]
                    ),
                ));
            }
            *rows_per_run.entry(r).or_default() += 1;
            if first.as_ref().is_none_or(|(f, _)| r < *f) {
                first = Some((r, vec![Vec::new(); labs.len()]));
            }
            if let Some((f, kept)) = &mut first
                && *f == r
            {
                let lab_months = &mut kept[i];
                if lab_months.is_empty() {
                    *lab_months = vec![None; months as usize];
                }
                lab_months[m as usize] = Some(SampleMonth {
                    quality: cells.float(quality)?,
                    released: cells.flag(released)?,
                    quality_leader: cells.flag(leader)?,
                    training_gpus: cells.float(training)?,
                    inference_gpus: cells.float(inference)?,
                    fleet: fleet.map_or(Ok(f64::NAN), |c| cells.float(c))?,
                });
            }
            Ok(())
        })?;
        let Some((run, kept)) = first else {
            return Err(ReadError::invalid(path, "no data rows"));
        };
        let expected = labs.len() as u64 * u64::from(months);
        let mut runs: Vec<(&u64, &u64)> = rows_per_run.iter().collect();
        runs.sort_unstable();
        if let Some((r, n)) = runs.into_iter().find(|(_, n)| **n != expected) {
            return Err(ReadError::invalid(
                path,
                format!(
                    "run {r} has {n} rows; expected one per lab and month ({} labs x {months} months = {expected})",
                    labs.len()
                ),
            ));
        }
        let months = kept
            .into_iter()
            .map(|lab| lab.into_iter().flatten().collect())
            .collect();
        Ok(SampleRun { run, months })
    }
}

/// How a column's cells are checked.
#[derive(Debug, Clone, Copy)]
enum Check {
    None,
    Number,
    Count,
    Flag,
}

impl Check {
    fn apply(self, cells: &Cells<'_>, col: usize) -> Result<(), ReadError> {
        match self {
            Check::None => Ok(()),
            Check::Number => cells.float(col).map(drop),
            Check::Count => cells.count(col).map(drop),
            Check::Flag => cells.flag(col).map(drop),
        }
    }
}
