//! The result files of `racerun run`, as types: one row type per CSV table and the head
//! of `summary.json`, each with its writer (used by [`crate::output`]) and its checked
//! reader (used by [`crate::plot`]). `docs/outputs.md` describes the same formats in
//! words.
//!
//! | file | row type | writer | reader |
//! |---|---|---|---|
//! | `summary.json` | [`SummaryHead`] ([`LabInfo`], [`VerdictInfo`]) | `output::Summary` | [`SummaryHead::read`] |
//! | `runs.csv` | [`RunRow`] | [`RunsWriter`] | [`runs::read_columns`] |
//! | `bands.csv` | [`BandRow`] | [`BandsWriter`] | [`Bands::read`] |
//! | `spells.csv` | [`SpellRow`] | [`SpellsWriter`] | [`Spells::read`] |
//! | `sample_runs.csv` | [`SampleRow`] | [`SamplesWriter`] | [`SampleRun::read`] |
//! | `attribution.csv`, `worlds.csv`, `leapfrogs.csv` (`racerun explain`) | | [`explain`] | [`explain::read_leapfrogs`] |
//!
//! Readers refuse, naming the file and what is wrong, anything the writer would not
//! have written: a missing or unknown lab, a month or series missing or present twice, a
//! number that does not parse, a size beyond [`MAX_MONTHS`] or [`MAX_LABS`]. They stream
//! the CSV tables and allocate in proportion to what they keep, never to a size a file
//! claims.

pub mod bands;
pub mod explain;
pub mod runs;
pub mod samples;
pub mod spells;
pub mod summary;
pub mod survival;
pub(crate) mod table;

use std::path::{Path, PathBuf};

pub use bands::{Band, BandRow, Bands, BandsWriter};
pub use runs::{RunRow, RunsHeader, RunsWriter};
pub use samples::{SampleMonth, SampleRow, SampleRun, SamplesWriter};
pub use spells::{SpellRow, Spells, SpellsWriter};
pub use summary::{LabInfo, SummaryHead, VerdictInfo};
pub use survival::{SpellCurve, SpellSurvival, Survival, SurvivalCurve};

/// File names in a run's output directory.
pub const SUMMARY: &str = "summary.json";
/// Per-run measures.
pub const RUNS: &str = "runs.csv";
/// Per-month distributions across runs.
pub const BANDS: &str = "bands.csv";
/// Lead-spell lengths.
pub const SPELLS: &str = "spells.csv";
/// Every state variable of the first few runs.
pub const SAMPLE_RUNS: &str = "sample_runs.csv";

/// Longest horizon a reader accepts, in months: the scenario format's own limit.
pub const MAX_MONTHS: u32 = 1200;
/// Most labs a reader accepts.
pub const MAX_LABS: usize = 1000;
/// Largest `summary.json` a reader accepts, in bytes (a real one is a few tens of KB).
pub const MAX_SUMMARY_BYTES: u64 = 64 << 20;

/// The lab column of world-level rows in `bands.csv`.
pub const WORLD: &str = "all";

/// The cell of a measure that does not apply to a run (a gap with a single lab, a
/// horizon too short for it): distinct from an empty cell, which is a value that does not
/// exist.
pub const NOT_APPLICABLE: &str = "NA";

/// A measure's cell: its number, or [`NOT_APPLICABLE`].
pub fn cell(v: Option<f64>) -> String {
    v.map_or_else(|| NOT_APPLICABLE.to_string(), num)
}

/// A number as written in tables: Rust's shortest round-trip form, empty when the value
/// does not exist (not finite).
pub fn num(v: f64) -> String {
    let mut out = String::new();
    if v.is_finite() {
        push_shortest(&mut out, v);
    }
    out
}

/// Appends finite `v` exactly as `format!("{v}")` writes it: the shortest digits that read
/// back as `v`, never with an exponent. The digits come from `ryu`, the same digits for a
/// fraction of the standard formatter's instructions (which were two thirds of the cost
/// of a `runs.csv` row); only their layout differs, and is undone here. The one
/// difference in digits: where two shortest candidates are equally near `v`
/// (662936471232937.25 between .2 and .3) ryu takes the even one and the standard
/// formatter the larger, so values that could be such a tie go to the latter.
pub(crate) fn push_shortest(out: &mut String, v: f64) {
    use std::fmt::Write;
    if may_tie(v) {
        // Writing into a String cannot fail.
        let _ = write!(out, "{v}");
        return;
    }
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(v);
    // ryu writes `0.0`, `1234.0`, `12.34`, `0.001234` and, below 10^-5, `-1.234e-7`.
    let Some((mantissa, exp)) = s.split_once('e') else {
        out.push_str(s.strip_suffix(".0").unwrap_or(s));
        return;
    };
    let mantissa = match mantissa.strip_prefix('-') {
        Some(m) => {
            out.push('-');
            m
        }
        None => mantissa,
    };
    let zeros = exp
        .strip_prefix('-')
        .map_or(0, |e| e.parse().unwrap_or(1) - 1);
    out.push_str("0.");
    out.extend(std::iter::repeat_n('0', zeros));
    out.extend(mantissa.chars().filter(|&c| c != '.'));
}

/// Whether `v` (finite) could lie exactly halfway between two shortest candidates. Such a
/// tie needs a shortest form of 16 or 17 digits (fewer never leave two candidates within
/// half a unit in the last place), so `v`'s exact decimal value has 17 or 18 significant
/// digits, the last a 5: a whole number from 10^16 on, or `m * 2^-k` (`m` odd) whose
/// exact value `m * 5^k * 10^-k` has fewer than 19 digits.
fn may_tie(v: f64) -> bool {
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let mantissa = if exponent == 0 {
        fraction
    } else {
        fraction | 1 << 52
    };
    if mantissa == 0 {
        return false;
    }
    let zeros = mantissa.trailing_zeros();
    let k = 1075 - exponent.max(1) - zeros as i32;
    if k <= 0 {
        return v.abs() >= 1e16;
    }
    // 5^27 alone has 19 digits.
    k <= 26 && u128::from(mantissa >> zeros) * 5u128.pow(k as u32) < 10u128.pow(18)
}

/// Why a result file could not be read. Messages start with the file's path (as given,
/// e.g. `output/baseline/bands.csv`) so a user can find and fix it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file does not exist.
    #[error("{}: not found (run `racerun run` first)", path.display())]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// A JSON file is not valid JSON or not of the kind expected.
    #[error("{}: invalid JSON: not {what}: {error}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The kind of file expected, e.g. `a run summary`.
        what: String,
        /// The parser's error, with line and column.
        error: serde_json::Error,
    },
    /// A CSV file is malformed (ragged rows, bad UTF-8).
    #[error("{}: malformed CSV: {error}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The reader's error.
        error: csv::Error,
    },
    /// A CSV file lacks a column.
    #[error("{}: missing column `{column}`", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column name.
        column: String,
    },
    /// A CSV cell holds something other than what the column promises.
    #[error("{}: line {line}, column `{column}`: expected {expected}, got `{value}`", path.display())]
    BadValue {
        /// The file.
        path: PathBuf,
        /// 1-based line number, header included.
        line: u64,
        /// The column name.
        column: String,
        /// What the column should hold.
        expected: String,
        /// What it held.
        value: String,
    },
    /// A file is well-formed but its content is incomplete, repeated or out of bounds.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Reads a JSON file of at most [`MAX_SUMMARY_BYTES`] into `T`; `what` names the file's
/// kind in the parser's error (`not a sweep summary: ...`).
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, ReadError> {
    let file = table::open(path)?;
    let size = file
        .metadata()
        .map_err(|error| ReadError::Io {
            path: path.to_path_buf(),
            error,
        })?
        .len();
    if size > MAX_SUMMARY_BYTES {
        return Err(ReadError::invalid(
            path,
            format!(
                "{size} bytes is too large for {what} (at most {} MiB)",
                MAX_SUMMARY_BYTES >> 20
            ),
        ));
    }
    serde_json::from_reader(std::io::BufReader::new(file)).map_err(|error| ReadError::Json {
        path: path.to_path_buf(),
        what: what.to_string(),
        error,
    })
}

impl ReadError {
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> ReadError {
        ReadError::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.144,
            1e15,
            1e16,
            1e17,
            1.2345e22,
            -9.87e40,
            1e-4,
            1e-5,
            -1.5e-7,
            123_456.789,
            // Ties between two shortest candidates.
            662_936_471_232_937.3,
            1_658_206_780_088_562.2,
            -26_829_767_983_277.312,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
        ];
        // Every binade, from a small generator (xorshift): the shortest digits agree and
        // so does the layout, with and without the exponent ryu would use.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let random = std::iter::repeat_with(|| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            f64::from_bits(x)
        })
        .filter(|v| v.is_finite())
        .take(200_000)
        .collect::<Vec<_>>();
        // And the magnitudes tables hold, 2^-60 to 2^60, where ties are near.
        let near = random
            .iter()
            .enumerate()
            .map(|(k, v)| {
                // v's sign and mantissa, in [1, 2), times 2^(k mod 121 - 60).
                let unit = f64::from_bits(v.to_bits() & !(0x7ff << 52) | 1f64.to_bits());
                unit * 2f64.powi(k as i32 % 121 - 60)
            })
            .collect::<Vec<_>>();
        for v in special.into_iter().chain(random).chain(near) {
            let mut out = String::new();
            push_shortest(&mut out, v);
            assert_eq!(out, format!("{v}"), "{v:e}");
        }
        assert!(may_tie(662_936_471_232_937.3) && !may_tie(0.144) && !may_tie(1e15));
        assert_eq!(num(f64::NAN), "");
    }
}
