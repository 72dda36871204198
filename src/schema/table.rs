//! CSV in and out: a sheet written in memory, and a table read row by row with errors
//! that name the file, line and column.

use std::collections::HashMap;
use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::ReadError;

/// A CSV file being written in memory, header first.
pub(crate) struct Sheet(csv::Writer<Vec<u8>>);

impl Sheet {
    pub(crate) fn new<I, S>(header: I) -> csv::Result<Sheet>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(header)?;
        Ok(Sheet(writer))
    }

    pub(crate) fn row<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        self.0.write_record(cells)
    }

    /// Appends one cell to the row being written (ended by [`Sheet::end_row`]).
    pub(crate) fn field(&mut self, cell: impl AsRef<[u8]>) -> csv::Result<()> {
        self.0.write_field(cell)
    }

    /// Ends the row of the cells given to [`Sheet::field`].
    pub(crate) fn end_row(&mut self) -> csv::Result<()> {
        self.0.write_record(None::<&[u8]>)
    }

    /// The bytes of the rows written since the last call (the header first), taken out
    /// of the sheet so it does not grow.
    pub(crate) fn take(&mut self) -> csv::Result<Vec<u8>> {
        let written = std::mem::replace(&mut self.0, csv::Writer::from_writer(Vec::new()));
        written
            .into_inner()
            .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
    }

    pub(crate) fn finish(self) -> csv::Result<Vec<u8>> {
        self.0
            .into_inner()
            .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
    }
}

/// Opens a file for reading; a missing file is [`ReadError::NotFound`].
pub(crate) fn open(path: &Path) -> Result<File, ReadError> {
    File::open(path).map_err(|error| match error.kind() {
        ErrorKind::NotFound => ReadError::NotFound {
            path: path.to_path_buf(),
        },
        _ => ReadError::Io {
            path: path.to_path_buf(),
            error,
        },
    })
}

/// A CSV file with its header resolved, streamed row by row so that memory follows what
/// is kept, not the file's size.
pub(crate) struct Table {
    pub(crate) path: PathBuf,
    reader: csv::Reader<File>,
    pub(crate) headers: Vec<String>,
}

impl Table {
    pub(crate) fn open(path: &Path) -> Result<Table, ReadError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(open(path)?);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        if headers.iter().all(String::is_empty) {
            return Err(ReadError::invalid(path, "empty file (no header row)"));
        }
        let mut seen = HashMap::new();
        for (i, name) in headers.iter().enumerate() {
            if let Some(first) = seen.insert(name.as_str(), i) {
                return Err(ReadError::invalid(
                    path,
                    format!(
                        "column `{name}` appears twice (columns {} and {})",
                        first + 1,
                        i + 1
                    ),
                ));
            }
        }
        Ok(Table {
            path: path.to_path_buf(),
            reader,
            headers,
        })
    }

    /// The index of a column, or an error naming it.
    pub(crate) fn column(&self, name: &str) -> Result<usize, ReadError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ReadError::MissingColumn {
                path: self.path.clone(),
                column: name.to_string(),
            })
    }

    /// The indices of several columns, in the order named.
    pub(crate) fn columns<const N: usize>(
        &self,
        names: [&str; N],
    ) -> Result<[usize; N], ReadError> {
        let mut out = [0; N];
        for (slot, name) in out.iter_mut().zip(names) {
            *slot = self.column(name)?;
        }
        Ok(out)
    }

    /// Calls `row` for every data row with a cell reader bound to it; returns the number
    /// of rows.
    pub(crate) fn rows(
        mut self,
        mut row: impl FnMut(&Cells<'_>) -> Result<(), ReadError>,
    ) -> Result<u64, ReadError> {
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
                path: &self.path,
                headers: &self.headers,
                record: &record,
                line: record.position().map_or(count + 1, |p| p.line()),
            };
            row(&cells)?;
        }
        Ok(count)
    }
}

fn csv_error(path: &Path, error: csv::Error) -> ReadError {
    ReadError::Csv {
        path: path.to_path_buf(),
        error,
    }
}

/// The cells of one row, parsed by column index with errors naming line and column.
pub(crate) struct Cells<'a> {
    path: &'a Path,
    headers: &'a [String],
    record: &'a csv::StringRecord,
    pub(crate) line: u64,
}

impl Cells<'_> {
    pub(crate) fn text(&self, col: usize) -> &str {
        self.record.get(col).unwrap_or("").trim()
    }

    /// An error for the cell in `col`, which should have held `expected`.
    pub(crate) fn bad(&self, col: usize, expected: impl Into<String>) -> ReadError {
        ReadError::BadValue {
            path: self.path.to_path_buf(),
            line: self.line,
            column: self
                .headers
                .get(col)
                .map_or("?", String::as_str)
                .to_string(),
            expected: expected.into(),
            value: self.text(col).to_string(),
        }
    }

    /// A finite number; an empty cell (how files write a value that does not exist), `NA`
    /// (a measure that does not apply) and `NaN` (how earlier versions wrote the empty
    /// cell) give NaN, which drawing skips. Infinities and numbers beyond f64 (`1e400`),
    /// which no version writes, are refused.
    pub(crate) fn float(&self, col: usize) -> Result<f64, ReadError> {
        let text = self.text(col);
        if text.is_empty() || text == super::NOT_APPLICABLE || text == "NaN" {
            return Ok(f64::NAN);
        }
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(value),
            Ok(_) => Err(self.bad(col, "a finite number, empty or NA")),
            Err(_) => Err(self.bad(col, "a number")),
        }
    }

    /// Several numbers, [`Cells::float`] of each column in the order given.
    pub(crate) fn floats<const N: usize>(&self, cols: [usize; N]) -> Result<[f64; N], ReadError> {
        let mut out = [0.0; N];
        for (slot, col) in out.iter_mut().zip(cols) {
            *slot = self.float(col)?;
        }
        Ok(out)
    }

    /// A whole number that must be present.
    pub(crate) fn count(&self, col: usize) -> Result<u64, ReadError> {
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

    /// A month index below `months`.
    pub(crate) fn month(&self, col: usize, months: u32) -> Result<u32, ReadError> {
        let expected = || format!("a month from 0 to {}", months - 1);
        match self.count(col) {
            Ok(m) if m < u64::from(months) => Ok(m as u32),
            _ => Err(self.bad(col, expected())),
        }
    }

    /// A 0/1 flag; empty counts as 0.
    pub(crate) fn flag(&self, col: usize) -> Result<bool, ReadError> {
        match self.text(col) {
            "" | "0" | "0.0" | "false" => Ok(false),
            "1" | "1.0" | "true" => Ok(true),
            _ => Err(self.bad(col, "0 or 1")),
        }
    }

    /// The index of this cell's lab id in `labs`.
    pub(crate) fn lab(&self, col: usize, labs: &[String]) -> Result<usize, ReadError> {
        let id = self.text(col);
        labs.iter()
            .position(|l| l == id)
            .ok_or_else(|| self.bad(col, known_labs(labs)))
    }
}

/// `a lab id of summary.json (alpha, beta)`, for errors.
pub(crate) fn known_labs(labs: &[String]) -> String {
    format!("a lab id of summary.json ({})", labs.join(", "))
}

/// `3, 7-9, 12` for a sorted list of months, at most a few ranges, for errors.
pub(crate) fn ranges(values: &[u32]) -> String {
    let mut spans: Vec<(u32, u32)> = Vec::new();
    for &v in values {
        match spans.last_mut() {
            Some((_, end)) if *end + 1 == v => *end = v,
            _ => spans.push((v, v)),
        }
    }
    let shown: Vec<String> = spans
        .iter()
        .take(4)
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    let more = if spans.len() > 4 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn ranges_compress_runs_of_months() {
        assert_eq!(ranges(&[3]), "3");
        assert_eq!(ranges(&[3, 7, 8, 9, 12]), "3, 7-9, 12");
        assert_eq!(ranges(&[1, 3, 5, 7, 9]), "1, 3, 5, 7, ...");
    }
}
