//! `spells.csv`: how many lead spells of each length, all runs pooled, for the quality
//! lead and the market lead. Lengths without a spell have no row.

use std::path::Path;

use super::table::{Sheet, Table};
use super::{ReadError, SummaryHead};

/// The columns, in order.
pub const COLUMNS: [&str; 3] = ["kind", "length", "count"];
/// The kinds of lead, in file order.
pub const KINDS: [&str; 2] = ["quality", "market"];

/// One row as written.
#[derive(Debug, Clone, Copy)]
pub struct SpellRow<'a> {
    /// One of [`KINDS`].
    pub kind: &'a str,
    /// Spell length, months (from 1).
    pub length: u64,
    /// Spells of that length.
    pub count: u64,
}

/// Writes `spells.csv` in memory.
pub struct SpellsWriter(Sheet);

impl SpellsWriter {
    /// A table with its header.
    pub fn new() -> csv::Result<SpellsWriter> {
        Ok(SpellsWriter(Sheet::new(COLUMNS)?))
    }

    /// Appends a row.
    pub fn row(&mut self, row: &SpellRow<'_>) -> csv::Result<()> {
        self.0.row([
            row.kind.to_string(),
            row.length.to_string(),
            row.count.to_string(),
        ])
    }

    /// The file's bytes.
    pub fn finish(self) -> csv::Result<Vec<u8>> {
        self.0.finish()
    }
}

/// `spells.csv` as read: (length in months, count) per kind, sorted by length.
#[derive(Debug, Default)]
pub struct Spells {
    /// Quality-lead spells.
    pub quality: Vec<(u64, u64)>,
    /// Market-lead spells.
    pub market: Vec<(u64, u64)>,
}

impl Spells {
    /// Reads `spells.csv` and checks it against `head`: known kinds, lengths of 1 to
    /// `head.months`, each (kind, length) once. It may hold no spell: labs tied throughout
    /// never lead.
    pub fn read(path: &Path, head: &SummaryHead) -> Result<Spells, ReadError> {
        let table = Table::open(path)?;
        let [kind, length, count] = table.columns(COLUMNS)?;
        let mut spells = Spells::default();
        table.rows(|cells| {
            let list = match cells.text(kind) {
                "quality" => &mut spells.quality,
                "market" => &mut spells.market,
                _ => return Err(cells.bad(kind, "`quality` or `market`")),
            };
            let len = cells.count(length)?;
            if len == 0 || len > head.months {
                return Err(cells.bad(
                    length,
                    format!("a spell length from 1 to {} months", head.months),
                ));
            }
            list.push((len, cells.count(count)?));
            Ok(())
        })?;
        for (name, list) in [
            ("quality", &mut spells.quality),
            ("market", &mut spells.market),
        ] {
            list.sort_unstable();
            if let Some(pair) = list.windows(2).find(|p| p[0].0 == p[1].0) {
                return Err(ReadError::invalid(
                    path,
                    format!("two rows for {name} spells of length {}", pair[0].0),
                ));
            }
        }
        Ok(spells)
    }
}
