//! A sweep's saved output as its charts read it (`summary.json` and one measure of
//! `sweep.csv`, checked), and the axes both sweep charts share: cell edges, ticks and
//! titles, on a log scale where the sweep was geometric.

use crate::math;
use std::collections::BTreeMap;
use std::path::Path;

use plotters::style::RGBColor;

use super::PlotError;
use super::data::Summary;
use crate::experiment::sweep::{Axis, MAX_CELLS, SWEEP_SUMMARY, SweepSummary};
use crate::metrics::Regime;
use crate::numbers::compact;
use crate::scenario::params;
use crate::schema::table::Table;
use crate::schema::{ReadError, read_json};

pub(crate) use crate::experiment::sweep::SWEEP_CSV;

/// Per cell: (mean, p10, p50, p90, ci_low, ci_high) of the measure; the last two bound
/// the mean's 95% interval of an effect, NaN for other measures (and in sweeps written
/// before `sweep.csv` had them).
pub(crate) type CellStats = BTreeMap<u64, [f64; 6]>;

/// What a sweep's charts are drawn from.
pub(crate) struct SweepInput {
    pub(crate) summary: Summary,
    pub(crate) sweep: SweepSummary,
    /// The measure shown, as named in `sweep.csv`.
    pub(crate) measure: String,
    /// Every cell's statistics of the measure.
    pub(crate) values: CellStats,
}

impl SweepInput {
    /// The swept parameters: one or two axes.
    pub(crate) fn axes(&self) -> &[Axis] {
        &self.sweep.header.axes
    }

    /// The shown measure's label, unit and natural bounds (see [`measure_meta`]).
    pub(crate) fn measure_meta(&self) -> (String, String, Option<(f64, f64)>) {
        let h = &self.sweep.header;
        measure_meta(&self.measure, h.months, h.persistence_months)
    }

    /// Reads the sweep in `dir` and `measure`'s rows of its `sweep.csv`: one or two axes
    /// of at least two finite values (positive on a log axis), at most the sweep's own
    /// cell limit, and one row per cell.
    pub(crate) fn load(dir: &Path, measure: &str) -> Result<SweepInput, PlotError> {
        PlotError::require_dir(dir)?;
        let path = dir.join(SWEEP_SUMMARY);
        let invalid = |message: String| ReadError::invalid(&path, message);
        let sweep: SweepSummary = read_json(&path, "a sweep summary")?;
        let axes = &sweep.header.axes;
        if axes.is_empty() || axes.len() > 2 {
            return Err(invalid(format!("`axes`: expected 1 or 2, got {}", axes.len())).into());
        }
        for (i, axis) in axes.iter().enumerate() {
            let usable = |v: &f64| v.is_finite() && (!axis.log || *v > 0.0);
            if axis.values.len() < 2 || !axis.values.iter().all(usable) {
                return Err(invalid(format!(
                    "`axes[{i}].values`: expected at least two finite{} values",
                    if axis.log { ", positive" } else { "" }
                ))
                .into());
            }
        }
        let cells = axes
            .iter()
            .map(|a| a.values.len() as u64)
            .try_fold(1u64, u64::checked_mul)
            .filter(|&n| n <= MAX_CELLS)
            .ok_or_else(|| invalid(format!("the grid has more than {MAX_CELLS} cells")))?;
        let values = read_measure(&dir.join(SWEEP_CSV), measure, cells)?;
        let h = &sweep.header;
        let mut summary = Summary::bare(
            &h.racerun_version,
            &h.scenario,
            &h.start,
            h.months,
            h.seed,
            h.runs,
        );
        summary.runs_note = Some(format!(
            "{} simulations per cell",
            crate::numbers::thousands(h.runs as i64)
        ));
        summary.overrides = h.overrides.clone();
        Ok(SweepInput {
            summary,
            measure: measure.to_string(),
            values,
            sweep,
        })
    }

    /// The cells whose verdict is uncertain.
    pub(crate) fn uncertain(&self) -> std::collections::BTreeSet<u64> {
        self.sweep
            .cell_verdicts
            .iter()
            .filter(|c| c.uncertain.is_some())
            .map(|c| c.cell)
            .collect()
    }

    /// Each cell's verdict.
    pub(crate) fn regimes(&self) -> BTreeMap<u64, &str> {
        self.sweep
            .cell_verdicts
            .iter()
            .map(|c| (c.cell, c.regime.as_str()))
            .collect()
    }
}

/// `measure`'s row of every cell: numbers or empty (no value), each cell once.
fn read_measure(path: &Path, measure: &str, cells: u64) -> Result<CellStats, ReadError> {
    let table = Table::open(path)?;
    let [cell, name] = table.columns(["cell", "measure"])?;
    let stats = table.columns(["mean", "p10", "p50", "p90"])?;
    let ci = ["ci_low", "ci_high"].map(|c| table.column(c).ok());
    let mut out = BTreeMap::new();
    table.rows(|row| {
        if row.text(name) != measure {
            return Ok(());
        }
        let c = row.count(cell)?;
        if c >= cells {
            return Err(row.bad(cell, format!("a cell index below the grid's {cells}")));
        }
        let [mean, p10, p50, p90] = row.floats(stats)?;
        let [low, high] = ci.map(|col| col.map_or(Ok(f64::NAN), |col| row.float(col)));
        if out.insert(c, [mean, p10, p50, p90, low?, high?]).is_some() {
            return Err(ReadError::invalid(
                path,
                format!(
                    "line {}: a second row for cell {c}, measure `{measure}`",
                    row.line
                ),
            ));
        }
        Ok(())
    })?;
    if out.is_empty() {
        return Err(ReadError::invalid(
            path,
            format!("no rows for measure `{measure}`"),
        ));
    }
    if let Some(missing) = (0..cells).find(|c| !out.contains_key(c)) {
        return Err(ReadError::invalid(
            path,
            format!("no row for cell {missing}, measure `{measure}` ({cells} cells)"),
        ));
    }
    Ok(out)
}

/// Where a value sits on an axis: log10 of it on a log axis.
pub(crate) fn coord(axis: &Axis, v: f64) -> f64 {
    if axis.log { math::log10(v) } else { v }
}

/// Cell edges on an axis, in axis coordinates: midpoints between values, half a step
/// beyond the ends.
pub(crate) fn edges(axis: &Axis) -> Vec<f64> {
    let c: Vec<f64> = axis.values.iter().map(|v| coord(axis, *v)).collect();
    let n = c.len();
    let mut e = Vec::with_capacity(n + 1);
    e.push(c[0] - (c[1] - c[0]) / 2.0);
    for i in 1..n {
        e.push((c[i - 1] + c[i]) / 2.0);
    }
    e.push(c[n - 1] + (c[n - 1] - c[n - 2]) / 2.0);
    e
}

/// The first and last value of an axis, in axis coordinates: ticks stay within the values
/// swept (the cells' outer halves carry no tick).
pub(crate) fn value_span(axis: &Axis) -> (f64, f64) {
    let first = coord(axis, axis.values[0]);
    let last = coord(axis, axis.values[axis.values.len() - 1]);
    (first.min(last), first.max(last))
}

/// A linear axis over `lo..hi`, for ticks on a value scale (colour bar, y axis).
pub(crate) fn linear(lo: f64, hi: f64) -> Axis {
    Axis {
        arg: String::new(),
        path: String::new(),
        generic: String::new(),
        unit: String::new(),
        log: false,
        values: vec![lo, hi],
    }
}

/// Tick positions (axis coordinates) for a range: 1-2-5 steps on a linear axis, powers
/// of ten (with 2 and 5 when few decades show) on a log axis.
pub(crate) fn ticks(axis: &Axis, lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let max = max.max(2);
    if axis.log {
        let mut out = Vec::new();
        for mults in [&[1.0, 2.0, 5.0][..], &[1.0, 3.0][..], &[1.0][..]] {
            out.clear();
            for d in (lo.floor() as i32 - 1)..=(hi.ceil() as i32 + 1) {
                for m in mults {
                    let t = math::log10(m * 10f64.powi(d));
                    if t >= lo - 1e-9 && t <= hi + 1e-9 {
                        out.push(t);
                    }
                }
            }
            if out.len() <= max && out.len() >= 2 {
                return out;
            }
        }
        return out;
    }
    let span = (hi - lo).abs().max(1e-12);
    let raw = span / max as f64;
    let mag = math::pow(10f64, math::log10(raw).floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= max as f64)
        .unwrap_or(span);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

pub(crate) fn tick_label(axis: &Axis, t: f64) -> String {
    let v = if axis.log { math::pow(10f64, t) } else { t };
    let v = if v.abs() < 1e-9 { 0.0 } else { v };
    // A true minus sign, as the attribution and tornado charts write it.
    crate::numbers::minus(compact(v))
}

/// The parameter's human name from the catalogue (`GPU supply`, with the lab for a lab's
/// parameter), else its path.
pub(crate) fn axis_name(axis: &Axis) -> String {
    params::describe(&axis.path).map_or_else(|| axis.path.clone(), |(name, _)| name)
}

/// The name without its parenthesis, for running text: `Self-improvement exponent κ`.
pub(crate) fn short_name(axis: &Axis) -> String {
    let name = axis_name(axis);
    match name.split_once(" (") {
        Some((head, _)) => head.to_string(),
        None => name,
    }
}

/// `GPU supply (H100e per month, log scale)`: the catalogue's name and unit.
pub(crate) fn axis_title(axis: &Axis) -> String {
    let unit = params::describe(&axis.path).map_or(axis.unit.as_str(), |(_, unit)| unit);
    let scale = if axis.log { ", log scale" } else { "" };
    let name = axis_name(axis);
    match (unit.is_empty(), name.ends_with(')')) {
        (true, _) if axis.log => format!("{name}, log scale"),
        (true, _) => name,
        (false, true) => format!("{name}, {unit}{scale}"),
        (false, false) => format!("{name} ({unit}{scale})"),
    }
}

/// A measure's label, unit and natural bounds from [`crate::measures`], or a channel's
/// total effect on one (`effect.<channel>.<measure>`, from `sweep --effect`); an unknown
/// name reads as itself.
pub(crate) fn measure_meta(
    name: &str,
    months: u32,
    persistence: u32,
) -> (String, String, Option<(f64, f64)>) {
    if let Some((channel, measure)) = name
        .strip_prefix("effect.")
        .and_then(|rest| rest.split_once('.'))
    {
        let (label, unit, _) = measure_meta(measure, months, persistence);
        return (
            format!(
                "Total effect of {} on: {}",
                channel.replace('_', " "),
                label.to_lowercase()
            ),
            unit,
            None,
        );
    }
    match crate::measures::find(name) {
        Some(m) => (
            m.label(months, persistence),
            m.unit(months, persistence),
            m.bounds,
        ),
        None => (name.replace('_', " "), String::new(), None),
    }
}

/// `RACE in 12 of 100 cells, RUN in 30, MIXED in 58.`
pub(crate) fn regime_counts(
    regimes: &BTreeMap<u64, &str>,
    uncertain: &std::collections::BTreeSet<u64>,
) -> String {
    let total = regimes.len();
    let parts: Vec<String> = Regime::ALL
        .map(Regime::name)
        .iter()
        .map(|name| {
            let cells = || regimes.iter().filter(|(_, r)| **r == *name);
            let unsure = cells().filter(|(c, _)| uncertain.contains(c)).count();
            (name, cells().count(), unsure)
        })
        .filter(|&(_, n, _)| n > 0)
        .enumerate()
        .map(|(k, (name, n, unsure))| {
            let name = name.replace('_', " ").to_uppercase();
            let unsure = if unsure > 0 {
                format!(" ({unsure} uncertain)")
            } else {
                String::new()
            };
            if k == 0 {
                format!("{name} in {n} of {total} cells{unsure}")
            } else {
                format!("{name} in {n}{unsure}")
            }
        })
        .collect();
    let said = if uncertain.is_empty() {
        ""
    } else {
        " Uncertain: an interval of the verdict's evidence reaches another verdict."
    };
    format!("{}.{said}", parts.join(", "))
}

pub(crate) fn regime_color(regime: &str) -> RGBColor {
    match regime {
        "race" => RGBColor(0xD5, 0x5E, 0x00),
        "run" => RGBColor(0x00, 0x72, 0xB2),
        _ => RGBColor(0x9E, 0x9E, 0x9E),
    }
}

/// Whether a value range is the fixed 0-1 of a share, labelled in percent.
pub(crate) fn fixed_share(lo: f64, hi: f64) -> bool {
    lo == 0.0 && hi == 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(log: bool, values: Vec<f64>) -> Axis {
        Axis {
            log,
            values,
            ..linear(0.0, 1.0)
        }
    }

    #[test]
    fn negative_ticks_take_a_true_minus_sign() {
        let a = linear(-1.0, 1.0);
        assert_eq!(tick_label(&a, -0.05), "\u{2212}0.05");
        assert_eq!(tick_label(&a, 0.05), "0.05");
        // A hair from zero is zero, without a sign.
        assert_eq!(tick_label(&a, -1e-12), "0");
    }

    #[test]
    fn edges_and_ticks() {
        let a = axis(false, vec![0.0, 1.0, 2.0]);
        assert_eq!(edges(&a), vec![-0.5, 0.5, 1.5, 2.5]);
        assert_eq!(ticks(&a, 0.0, 2.0, 6), vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        let g = axis(true, vec![1e3, 1e4, 1e5]);
        let t = ticks(&g, 2.5, 5.5, 8);
        assert!(t.contains(&3.0) && t.contains(&5.0), "{t:?}");
        assert_eq!(tick_label(&g, 4.0), "10k");
        let supply = Axis {
            path: "world.gpus.supply".into(),
            ..axis(true, vec![1.0, 2.0])
        };
        assert_eq!(
            axis_title(&supply),
            "GPU supply (H100e per month, log scale)"
        );
        let kappa = Axis {
            path: "world.dynamics.kappa".into(),
            ..axis(false, vec![1.0, 2.0])
        };
        assert_eq!(short_name(&kappa), "Self-improvement exponent κ");
    }
}
