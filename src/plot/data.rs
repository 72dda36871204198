//! Reading and validating the saved output files that charts are drawn from.
//!
//! Everything a chart needs is loaded and checked here, before any drawing starts, so a
//! bad file fails the whole command with a message naming it and nothing is drawn.

use std::collections::{BTreeMap, HashMap};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use plotters::style::RGBColor;
use serde::Deserialize;

use super::PlotError;
use super::theme::{Calendar, OKABE_ITO, parse_color};

pub(crate) const SUMMARY: &str = "summary.json";
pub(crate) const BANDS: &str = "bands.csv";
pub(crate) const RUNS: &str = "runs.csv";
pub(crate) const SPELLS: &str = "spells.csv";
pub(crate) const SAMPLE_RUNS: &str = "sample_runs.csv";

/// `summary.json` as written by `racerun run`; fields charts do not use are ignored, and
/// fields added after the first release are optional so older directories still plot.
#[derive(Debug, Deserialize)]
struct SummaryFile {
    #[serde(default)]
    racerun_version: Option<String>,
    scenario: String,
    start: String,
    months: u32,
    seed: u64,
    runs: u64,
    labs: Vec<LabFile>,
    #[serde(default)]
    verdict: Option<Verdict>,
}

#[derive(Debug, Deserialize)]
struct LabFile {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    color: Option<String>,
}

/// The regime verdict with the rule that produced it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Verdict {
    pub(crate) regime: String,
    #[serde(default)]
    pub(crate) rule: String,
    #[serde(default)]
    pub(crate) sentence: String,
}

/// A lab as charts show it: its display name and its colour in every chart.
#[derive(Debug, Clone)]
pub(crate) struct Lab {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) color: RGBColor,
}

/// What every chart says about where its numbers come from.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub(crate) version: String,
    pub(crate) scenario: String,
    pub(crate) calendar: Calendar,
    pub(crate) months: u32,
    pub(crate) seed: u64,
    pub(crate) runs: u64,
    pub(crate) labs: Vec<Lab>,
    pub(crate) verdict: Option<Verdict>,
}

impl Summary {
    /// Index of a lab id in [`Summary::labs`].
    pub(crate) fn lab_index(&self, id: &str) -> Option<usize> {
        self.labs.iter().position(|lab| lab.id == id)
    }
}

/// One month of one series in `bands.csv`. Values may be NaN where the file had no
/// number; drawing skips those points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BandPoint {
    pub(crate) month: u32,
    pub(crate) mean: f64,
    pub(crate) p5: f64,
    pub(crate) p25: f64,
    pub(crate) p50: f64,
    pub(crate) p75: f64,
    pub(crate) p95: f64,
}

/// `bands.csv`, indexed by (series, lab id), each sorted by month.
#[derive(Debug, Default)]
pub(crate) struct Bands {
    series: HashMap<(String, String), Vec<BandPoint>>,
}

impl Bands {
    /// The points of `series` for `lab` (a lab id or `all`); empty when absent.
    pub(crate) fn get(&self, series: &str, lab: &str) -> &[BandPoint] {
        self.series
            .get(&(series.to_string(), lab.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    fn has_series(&self, series: &str) -> bool {
        self.series.keys().any(|(s, _)| s == series)
    }
}

/// Per-run measures from `runs.csv` that charts use.
#[derive(Debug, Default)]
pub(crate) struct Runs {
    pub(crate) lead_changes_quality: Vec<u64>,
    pub(crate) lead_changes_market: Vec<u64>,
}

/// `spells.csv`: (length in months, count) per kind, sorted by length.
#[derive(Debug, Default)]
pub(crate) struct Spells {
    pub(crate) quality: Vec<(u64, u64)>,
    pub(crate) market: Vec<(u64, u64)>,
}

/// One lab in one month of the sample run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SampleMonth {
    pub(crate) quality: f64,
    pub(crate) released: bool,
    pub(crate) quality_leader: bool,
    pub(crate) training_gpus: f64,
    pub(crate) inference_gpus: f64,
}

/// The first sample run of `sample_runs.csv`: per lab (in summary order), per month.
#[derive(Debug)]
pub(crate) struct SampleRun {
    pub(crate) run: u64,
    /// `months[lab]` maps month -> state.
    pub(crate) months: Vec<BTreeMap<u32, SampleMonth>>,
}

/// Which files a set of charts needs, and which `bands.csv` series.
#[derive(Debug, Default, Clone)]
pub(crate) struct Needs {
    pub(crate) bands: Vec<&'static str>,
    pub(crate) runs: bool,
    pub(crate) spells: bool,
    pub(crate) sample: bool,
}

/// Everything loaded from one output directory.
#[derive(Debug)]
pub(crate) struct PlotData {
    pub(crate) summary: Summary,
    pub(crate) bands: Option<Bands>,
    pub(crate) runs: Option<Runs>,
    pub(crate) spells: Option<Spells>,
    pub(crate) sample: Option<SampleRun>,
}

impl PlotData {
    /// Loads `summary.json` and every file in `needs` from `dir`, checking that each
    /// holds what the charts will read.
    pub(crate) fn load(dir: &Path, needs: &Needs) -> Result<PlotData, PlotError> {
        if !dir.is_dir() {
            return Err(PlotError::DirNotFound {
                path: dir.to_path_buf(),
            });
        }
        let summary = load_summary(&dir.join(SUMMARY))?;
        let bands = if needs.bands.is_empty() {
            None
        } else {
            let path = dir.join(BANDS);
            let bands = load_bands(&path, &summary)?;
            for series in &needs.bands {
                if !bands.has_series(series) {
                    return Err(invalid(&path, format!("no rows for series `{series}`")));
                }
            }
            Some(bands)
        };
        let runs = match needs.runs {
            true => Some(load_runs(&dir.join(RUNS))?),
            false => None,
        };
        let spells = match needs.spells {
            true => Some(load_spells(&dir.join(SPELLS))?),
            false => None,
        };
        let sample = match needs.sample {
            true => Some(load_sample(&dir.join(SAMPLE_RUNS), &summary)?),
            false => None,
        };
        Ok(PlotData {
            summary,
            bands,
            runs,
            spells,
            sample,
        })
    }

    /// The loaded `bands.csv`; loading guarantees it for charts that declared it.
    pub(crate) fn bands(&self) -> &Bands {
        static EMPTY: std::sync::OnceLock<Bands> = std::sync::OnceLock::new();
        self.bands
            .as_ref()
            .unwrap_or_else(|| EMPTY.get_or_init(Bands::default))
    }
}

fn invalid(path: &Path, message: impl Into<String>) -> PlotError {
    PlotError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, PlotError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        ErrorKind::NotFound => PlotError::NotFound {
            path: path.to_path_buf(),
        },
        _ => PlotError::Io {
            path: path.to_path_buf(),
            source,
        },
    })
}

fn load_summary(path: &Path) -> Result<Summary, PlotError> {
    let bytes = read_file(path)?;
    let file: SummaryFile = serde_json::from_slice(&bytes).map_err(|source| PlotError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    let calendar = Calendar::parse(&file.start).ok_or_else(|| {
        invalid(
            path,
            format!("`start`: expected a month as YYYY-MM, got `{}`", file.start),
        )
    })?;
    if file.months == 0 {
        return Err(invalid(path, "`months`: expected at least 1, got 0"));
    }
    if file.labs.is_empty() {
        return Err(invalid(path, "`labs`: expected at least one lab, got none"));
    }
    let mut labs = Vec::with_capacity(file.labs.len());
    for (i, lab) in file.labs.into_iter().enumerate() {
        if labs.iter().any(|l: &Lab| l.id == lab.id) {
            return Err(invalid(
                path,
                format!("`labs[{i}].id`: duplicate id `{}`", lab.id),
            ));
        }
        let color = match lab.color.as_deref().map(str::trim) {
            None | Some("") => OKABE_ITO[i % OKABE_ITO.len()],
            Some(text) => parse_color(text).ok_or_else(|| {
                invalid(
                    path,
                    format!("`labs[{i}].color`: expected a colour as #RRGGBB, got `{text}`"),
                )
            })?,
        };
        let name = lab
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| lab.id.clone());
        labs.push(Lab {
            id: lab.id,
            name,
            color,
        });
    }
    Ok(Summary {
        version: file
            .racerun_version
            .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_string()),
        scenario: file.scenario,
        calendar,
        months: file.months,
        seed: file.seed,
        runs: file.runs,
        labs,
        verdict: file.verdict,
    })
}

/// A CSV file with its header resolved, read row by row with typed, located errors.
struct Table {
    path: PathBuf,
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    headers: csv::StringRecord,
}

impl Table {
    fn open(path: &Path) -> Result<Table, PlotError> {
        let bytes = read_file(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(std::io::Cursor::new(bytes));
        let headers = reader.headers().map_err(|e| csv_error(path, e))?.clone();
        if headers.is_empty() || headers.iter().all(str::is_empty) {
            return Err(invalid(path, "empty file (no header row)"));
        }
        Ok(Table {
            path: path.to_path_buf(),
            reader,
            headers,
        })
    }

    /// The index of a column, or an error naming it.
    fn column(&self, name: &str) -> Result<usize, PlotError> {
        self.headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| PlotError::MissingColumn {
                path: self.path.clone(),
                column: name.to_string(),
            })
    }

    /// Calls `row` for every data row; the closure gets a cell reader bound to the row.
    fn rows(
        mut self,
        mut row: impl FnMut(&Cells<'_>) -> Result<(), PlotError>,
    ) -> Result<u64, PlotError> {
        let mut count = 0;
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(csv_error(&self.path, e)),
            }
            count += 1;
            let cells = Cells {
                table: &self,
                record: &record,
                line: record.position().map_or(count + 1, |p| p.line()),
            };
            row(&cells)?;
        }
        Ok(count)
    }
}

fn csv_error(path: &Path, source: csv::Error) -> PlotError {
    PlotError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

/// The cells of one row, parsed by column index with errors naming line and column.
struct Cells<'a> {
    table: &'a Table,
    record: &'a csv::StringRecord,
    line: u64,
}

impl Cells<'_> {
    fn text(&self, col: usize) -> &str {
        self.record.get(col).unwrap_or("").trim()
    }

    fn bad(&self, col: usize, expected: &'static str) -> PlotError {
        PlotError::BadValue {
            path: self.table.path.clone(),
            line: self.line,
            column: self.table.headers.get(col).unwrap_or("?").to_string(),
            expected,
            value: self.text(col).to_string(),
        }
    }

    /// A number; empty, `NA` (not applicable) and NaN cells give NaN, which drawing skips.
    fn float(&self, col: usize) -> Result<f64, PlotError> {
        let text = self.text(col);
        if text.is_empty() || text == crate::measures::NOT_APPLICABLE {
            return Ok(f64::NAN);
        }
        let value: f64 = text.parse().map_err(|_| self.bad(col, "a number"))?;
        Ok(if value.is_finite() { value } else { f64::NAN })
    }

    /// A whole number that must be present.
    fn count(&self, col: usize) -> Result<u64, PlotError> {
        let text = self.text(col);
        if let Ok(v) = text.parse::<u64>() {
            return Ok(v);
        }
        // Writers may print whole numbers as floats (`3.0`); accept those, nothing else.
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 9.0e15 => Ok(v as u64),
            _ => Err(self.bad(col, "a whole number")),
        }
    }

    /// A 0/1 flag; empty counts as 0.
    fn flag(&self, col: usize) -> Result<bool, PlotError> {
        match self.text(col) {
            "" | "0" | "0.0" | "false" => Ok(false),
            "1" | "1.0" | "true" => Ok(true),
            _ => Err(self.bad(col, "0 or 1")),
        }
    }
}

fn load_bands(path: &Path, summary: &Summary) -> Result<Bands, PlotError> {
    let table = Table::open(path)?;
    let [month, lab, series, mean, p5, p25, p50, p75, p95] = [
        "month", "lab", "series", "mean", "p5", "p25", "p50", "p75", "p95",
    ]
    .map(|c| table.column(c));
    let (month, lab, series) = (month?, lab?, series?);
    let (mean, p5, p25, p50, p75, p95) = (mean?, p5?, p25?, p50?, p75?, p95?);
    let mut bands = Bands::default();
    let rows = table.rows(|cells| {
        let lab_id = cells.text(lab);
        // Rows for anything that is neither a charted lab nor the world are not ours to
        // draw (a later version may add, say, an open-weights pseudo-lab).
        if lab_id != "all" && summary.lab_index(lab_id).is_none() {
            return Ok(());
        }
        let m = cells.count(month)?;
        let point = BandPoint {
            month: u32::try_from(m).map_err(|_| cells.bad(month, "a month index"))?,
            mean: cells.float(mean)?,
            p5: cells.float(p5)?,
            p25: cells.float(p25)?,
            p50: cells.float(p50)?,
            p75: cells.float(p75)?,
            p95: cells.float(p95)?,
        };
        bands
            .series
            .entry((cells.text(series).to_string(), lab_id.to_string()))
            .or_default()
            .push(point);
        Ok(())
    })?;
    if rows == 0 {
        return Err(invalid(path, "no data rows"));
    }
    for points in bands.series.values_mut() {
        points.sort_by_key(|p| p.month);
    }
    Ok(bands)
}

fn load_runs(path: &Path) -> Result<Runs, PlotError> {
    let table = Table::open(path)?;
    let quality = table.column("lead_changes_quality")?;
    let market = table.column("lead_changes_market")?;
    let mut runs = Runs::default();
    let rows = table.rows(|cells| {
        runs.lead_changes_quality.push(cells.count(quality)?);
        runs.lead_changes_market.push(cells.count(market)?);
        Ok(())
    })?;
    if rows == 0 {
        return Err(invalid(path, "no data rows"));
    }
    Ok(runs)
}

fn load_spells(path: &Path) -> Result<Spells, PlotError> {
    let table = Table::open(path)?;
    let kind = table.column("kind")?;
    let length = table.column("length")?;
    let count = table.column("count")?;
    let mut spells = Spells::default();
    let mut bad_kind = None;
    table.rows(|cells| {
        let entry = (cells.count(length)?, cells.count(count)?);
        match cells.text(kind) {
            "quality" => spells.quality.push(entry),
            "market" => spells.market.push(entry),
            _ => {
                bad_kind.get_or_insert_with(|| cells.bad(kind, "`quality` or `market`"));
            }
        }
        Ok(())
    })?;
    if let Some(error) = bad_kind {
        return Err(error);
    }
    if spells
        .quality
        .iter()
        .chain(&spells.market)
        .all(|&(_, c)| c == 0)
    {
        return Err(invalid(path, "no spells counted"));
    }
    spells.quality.sort_unstable();
    spells.market.sort_unstable();
    Ok(spells)
}

fn load_sample(path: &Path, summary: &Summary) -> Result<SampleRun, PlotError> {
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
    ] = [
        "run",
        "month",
        "lab",
        "quality",
        "released",
        "quality_leader",
        "training_gpus",
        "inference_gpus",
    ]
    .map(|c| table.column(c));
    let (run, month, lab, quality) = (run?, month?, lab?, quality?);
    let (released, leader, training, inference) = (released?, leader?, training?, inference?);
    let mut first_run = None;
    let mut months = vec![BTreeMap::new(); summary.labs.len()];
    table.rows(|cells| {
        let this_run = cells.count(run)?;
        // The charts show the first sample run; rows are grouped by run but do not rely
        // on it.
        match first_run {
            Some(r) if this_run > r => return Ok(()),
            Some(r) if this_run == r => {}
            _ => {
                first_run = Some(this_run);
                months.iter_mut().for_each(BTreeMap::clear);
            }
        }
        let Some(index) = summary.lab_index(cells.text(lab)) else {
            return Ok(());
        };
        let m =
            u32::try_from(cells.count(month)?).map_err(|_| cells.bad(month, "a month index"))?;
        months[index].insert(
            m,
            SampleMonth {
                quality: cells.float(quality)?,
                released: cells.flag(released)?,
                quality_leader: cells.flag(leader)?,
                training_gpus: cells.float(training)?,
                inference_gpus: cells.float(inference)?,
            },
        );
        Ok(())
    })?;
    let Some(run) = first_run else {
        return Err(invalid(path, "no data rows"));
    };
    if months.iter().all(BTreeMap::is_empty) {
        return Err(invalid(
            path,
            format!("run {run} has no rows for the labs listed in summary.json"),
        ));
    }
    Ok(SampleRun { run, months })
}
