//! `runs.csv`: one row per run with its headline measures, final leaders, per-lab
//! measures (`<measure>.<lab id>`) and drawn uncertain inputs (`input.<path>`).

use std::collections::BTreeMap;
use std::path::Path;

use super::table::{Sheet, Table, known_labs};
use super::{NOT_APPLICABLE, ReadError, SummaryHead};

/// The run index column.
pub const RUN: &str = "run";
/// The final leaders' columns, after the headline measures.
pub const FINAL_LEADERS: [&str; 2] = ["final_leader_quality", "final_leader_market"];
/// Prefix of the uncertain inputs' columns.
pub const INPUT_PREFIX: &str = "input.";

/// The columns of a `runs.csv`, by part.
#[derive(Debug, Clone)]
pub struct RunsHeader<'a> {
    /// Headline measures, one column each.
    pub measures: Vec<&'a str>,
    /// Per-lab measures, one column per lab each: `<measure>.<lab id>`.
    pub lab_measures: Vec<&'a str>,
    /// Lab ids, in scenario order.
    pub labs: Vec<&'a str>,
    /// Uncertain inputs' columns, `input.<path>`.
    pub inputs: Vec<String>,
}

impl RunsHeader<'_> {
    /// The column names, in order.
    pub fn columns(&self) -> Vec<String> {
        let mut out = vec![RUN.to_string()];
        out.extend(self.measures.iter().map(|m| m.to_string()));
        out.extend(FINAL_LEADERS.map(String::from));
        for name in &self.lab_measures {
            out.extend(self.labs.iter().map(|l| format!("{name}.{l}")));
        }
        out.extend(self.inputs.iter().cloned());
        out
    }
}

/// One run's row, its parts in the order of [`RunsHeader`].
#[derive(Debug, Clone)]
pub struct RunRow<'a> {
    /// Run index.
    pub run: u64,
    /// Headline measures; `None` where a measure does not apply (written `NA`).
    pub measures: &'a [Option<f64>],
    /// Lab id of the quality leader at the end.
    pub final_leader_quality: &'a str,
    /// Lab id of the market leader at the end.
    pub final_leader_market: &'a str,
    /// Per-lab measures, measure by measure, labs in order within each.
    pub lab_measures: &'a [f64],
    /// The run's draws of the uncertain inputs.
    pub inputs: &'a [f64],
}

/// Writes `runs.csv` in memory.
pub struct RunsWriter {
    sheet: Sheet,
    /// The cell being formatted, reused: a row allocates nothing.
    buf: String,
}

impl RunsWriter {
    /// A table with the header's columns.
    pub fn new(header: &RunsHeader<'_>) -> csv::Result<RunsWriter> {
        Ok(RunsWriter {
            sheet: Sheet::new(header.columns())?,
            buf: String::with_capacity(32),
        })
    }

    /// Appends a row.
    pub fn row(&mut self, row: &RunRow<'_>) -> csv::Result<()> {
        self.text(format_args!("{}", row.run))?;
        for v in row.measures {
            match v {
                Some(v) => self.num(*v)?,
                None => self.sheet.field(NOT_APPLICABLE)?,
            }
        }
        self.sheet.field(row.final_leader_quality)?;
        self.sheet.field(row.final_leader_market)?;
        for &v in row.lab_measures.iter().chain(row.inputs) {
            self.num(v)?;
        }
        self.sheet.end_row()
    }

    /// A number's cell, as [`super::num`] writes it.
    fn num(&mut self, v: f64) -> csv::Result<()> {
        self.buf.clear();
        if v.is_finite() {
            super::push_shortest(&mut self.buf, v);
        }
        self.sheet.field(self.buf.as_bytes())
    }

    fn text(&mut self, args: std::fmt::Arguments<'_>) -> csv::Result<()> {
        use std::fmt::Write;
        self.buf.clear();
        // Formatting into a String cannot fail.
        let _ = self.buf.write_fmt(args);
        self.sheet.field(self.buf.as_bytes())
    }

    /// The bytes written since the last call (the header first): `runs.csv` streamed.
    pub fn take(&mut self) -> csv::Result<Vec<u8>> {
        self.sheet.take()
    }

    /// The file's bytes.
    pub fn finish(self) -> csv::Result<Vec<u8>> {
        self.sheet.finish()
    }
}

/// Columns read from `runs.csv`, each with one value per row in file order.
#[derive(Debug, Default)]
pub struct RunsColumns {
    /// The whole-number columns asked for, in the order asked.
    pub counts: Vec<Vec<u64>>,
    /// For each per-lab measure asked for, its largest value over the labs in each row
    /// (NaN where no lab has one, or the file has no columns of it).
    pub lab_max: Vec<Vec<f64>>,
}

/// Reads `runs.csv`, checks it against `head` and returns the whole-number columns
/// `wanted` and, for each per-lab measure of `lab_max`, the largest of its labs' values.
///
/// Checked: one row per run of `head.runs`, each run index once; final leaders (or `NA`
/// where no lab ever led) and the labs of per-lab columns are labs of `head`, every per-lab measure has a column for
/// every lab; every other cell is a number, empty (a value that does not exist) or `NA` (a measure
/// that does not apply).
pub fn read_columns(
    path: &Path,
    head: &SummaryHead,
    wanted: &[&str],
    lab_max: &[&str],
) -> Result<RunsColumns, ReadError> {
    let table = Table::open(path)?;
    let labs = head.lab_ids();
    let run = table.column(RUN)?;
    let leaders = table.columns(FINAL_LEADERS)?;
    let wanted_cols = wanted
        .iter()
        .map(|w| table.column(w))
        .collect::<Result<Vec<_>, _>>()?;
    let mut per_lab: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in &table.headers {
        if let Some((measure, lab)) = name.split_once('.')
            && !name.starts_with(INPUT_PREFIX)
        {
            if !labs.iter().any(|l| l == lab) {
                return Err(ReadError::invalid(
                    path,
                    format!(
                        "column `{name}`: expected {}, got `{lab}`",
                        known_labs(&labs)
                    ),
                ));
            }
            per_lab.entry(measure).or_default().push(lab);
        }
    }
    for (measure, present) in &per_lab {
        if let Some(lab) = labs.iter().find(|l| !present.contains(&l.as_str())) {
            return Err(ReadError::MissingColumn {
                path: path.to_path_buf(),
                column: format!("{measure}.{lab}"),
            });
        }
    }
    let numbers: Vec<usize> = (0..table.headers.len())
        .filter(|c| *c != run && !leaders.contains(c) && !wanted_cols.contains(c))
        .collect();
    // A measure whose columns a file lacks (written before it existed) reads as NaN.
    let max_cols: Vec<Vec<usize>> = lab_max
        .iter()
        .map(|m| {
            labs.iter()
                .map(|l| table.column(&format!("{m}.{l}")))
                .collect::<Result<Vec<_>, _>>()
                .unwrap_or_default()
        })
        .collect();
    let mut ids = Vec::new();
    let mut out = vec![Vec::new(); wanted.len()];
    let mut maxima = vec![Vec::new(); lab_max.len()];
    let rows = table.rows(|cells| {
        let id = cells.count(run)?;
        if id >= head.runs {
            return Err(cells.bad(
                run,
                format!("a run index below the {} runs of summary.json", head.runs),
            ));
        }
        ids.push((id, cells.line));
        for (col, values) in wanted_cols.iter().zip(&mut out) {
            values.push(cells.count(*col)?);
        }
        for col in leaders {
            // `NA`: no lab ever led that run.
            if cells.text(col) != NOT_APPLICABLE {
                cells.lab(col, &labs)?;
            }
        }
        for &col in &numbers {
            cells.float(col)?;
        }
        for (cols, values) in max_cols.iter().zip(&mut maxima) {
            let mut top = f64::NAN;
            for &col in cols {
                top = top.max(cells.float(col)?);
            }
            values.push(top);
        }
        Ok(())
    })?;
    if rows == 0 {
        return Err(ReadError::invalid(path, "no data rows"));
    }
    ids.sort_unstable();
    for pair in ids.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(ReadError::invalid(
                path,
                format!(
                    "run {} appears twice (lines {} and {})",
                    pair[0].0, pair[0].1, pair[1].1
                ),
            ));
        }
    }
    if rows != head.runs {
        let first_missing = ids
            .iter()
            .enumerate()
            .find(|(i, (id, _))| *i as u64 != *id)
            .map_or(rows, |(i, _)| i as u64);
        return Err(ReadError::invalid(
            path,
            format!(
                "{rows} rows for the {} runs of summary.json (run {first_missing} is missing)",
                head.runs
            ),
        ));
    }
    Ok(RunsColumns {
        counts: out,
        lab_max: maxima,
    })
}
