//! The chart of a sweep, drawn from its saved `summary.json` and `sweep.csv`.
//!
//! Two parameters: the *phase diagram*, a heatmap of one measure (mean over a cell's
//! runs) in viridis (colour-blind-safe, monotone in lightness, so it also reads in grey),
//! with a colour bar, black lines along the cell edges where the regime verdict changes,
//! and each regime's name written inside its region. One parameter: the measure's
//! median with its p10-p90 band against the swept value, over a backdrop shaded by the
//! verdict. Geometric (`--log`) axes are drawn on a log scale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{PlotData, Summary};
use super::error::PlotError;
use super::layout::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, Ticked, frame};
use super::theme::{AXIS, Calendar, GRID, INK, INK_SOFT, register_fonts};
use super::{Format, PlotOptions, raster};
use crate::experiment::sweep::{Axis, SWEEP_CSV, SWEEP_SUMMARY, SweepSummary};
use crate::numbers::compact;
use crate::scenario::params;

const TICK_SIZE: f64 = 21.0;
const AXIS_TITLE_SIZE: f64 = 22.0;
const REGION_LABEL_SIZE: f64 = 34.0;
const X_LABEL_AREA: f64 = 78.0;
const Y_LABEL_AREA: f64 = 118.0;

/// Chart file stems: two-parameter and one-parameter sweeps.
pub const PHASE: &str = "phase";
/// The one-parameter chart.
pub const SWEEP_LINE: &str = "sweep";

/// How a measure is named on the chart: label, unit, and a fixed colour range when the
/// measure has natural bounds.
fn measure_meta(
    name: &str,
    horizon: u32,
    persistence: u32,
) -> (String, String, Option<(f64, f64)>) {
    let share = Some((0.0, 1.0));
    let persistence_unit =
        format!("share of months whose leader still leads {persistence} months on");
    let (label, unit, range): (String, &str, Option<(f64, f64)>) = match name {
        "persistence_quality" => (
            "Persistence of the quality leader".into(),
            &persistence_unit,
            share,
        ),
        "persistence_market" => (
            "Persistence of the market leader".into(),
            &persistence_unit,
            share,
        ),
        "early_keeps_quality" => (
            "Month-12 quality leader leads at the end".into(),
            "share of runs",
            share,
        ),
        "early_keeps_market" => (
            "Month-12 market leader leads at the end".into(),
            "share of runs",
            share,
        ),
        "changes_per_year_quality" => (
            "Quality-lead changes per year".into(),
            "changes per year",
            None,
        ),
        "changes_per_year_market" => (
            "Market-lead changes per year".into(),
            "changes per year",
            None,
        ),
        "lead_changes_quality" => (
            format!("Quality-lead changes in {horizon} months"),
            "changes",
            None,
        ),
        "lead_changes_market" => (
            format!("Market-lead changes in {horizon} months"),
            "changes",
            None,
        ),
        "gap_growth" => ("Growth of the leader's gap".into(), "Elo", None),
        "gap_early" => ("Leader's gap, months 12-23".into(), "Elo", None),
        "gap_late" => ("Leader's gap, last 12 months".into(), "Elo", None),
        "headwind" => (
            "Headwind: followers' minus leader's training share".into(),
            "share of fleet",
            None,
        ),
        "leader_train" => ("Leader's training share".into(), "share of fleet", share),
        "followers_train" => ("Followers' training share".into(), "share of fleet", share),
        "hhi_final" | "hhi_mean" => ("Customer concentration (HHI)".into(), "0-1", share),
        "open_share_final" => ("Open-weight share at the end".into(), "share", share),
        other => (other.replace('_', " "), "", None),
    };
    (label, unit.to_string(), range)
}

/// Draws the chart of the sweep saved in `dir` into `dir/charts/`: `phase` for two
/// parameters, `sweep` for one, showing `measure`. Returns the paths written.
pub fn draw_sweep(
    dir: &Path,
    measure: &str,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let invalid =
        |path: &Path, message: String| PlotError::Options(format!("{}: {message}", path.display()));
    let summary_path = dir.join(SWEEP_SUMMARY);
    let text = std::fs::read_to_string(&summary_path).map_err(|source| PlotError::Io {
        path: summary_path.clone(),
        source,
    })?;
    let summary: SweepSummary = serde_json::from_str(&text)
        .map_err(|e| invalid(&summary_path, format!("not a sweep summary: {e}")))?;
    let csv_path = dir.join(SWEEP_CSV);
    let values = read_measure(&csv_path, measure, summary.header.axes.len())?;
    if values.is_empty() {
        return Err(invalid(
            &csv_path,
            format!("no rows for measure `{measure}`"),
        ));
    }
    register_fonts();
    let h = &summary.header;
    let data = PlotData {
        summary: Summary {
            version: h.racerun_version.clone(),
            scenario: h.scenario.clone(),
            calendar: Calendar::parse(&h.start)
                .or_else(|| Calendar::parse("2025-01"))
                .ok_or_else(|| invalid(&summary_path, "bad start".into()))?,
            months: h.months,
            seed: h.seed,
            runs: h.runs,
            labs: Vec::new(),
            verdict: None,
        },
        bands: None,
        runs: None,
        spells: None,
        sample: None,
    };
    let ctx = Ctx::new(&data, opts.width, opts.height);
    let charts = dir.join("charts");
    std::fs::create_dir_all(&charts).map_err(|source| PlotError::Io {
        path: charts.clone(),
        source,
    })?;
    let name = if h.axes.len() == 2 { PHASE } else { SWEEP_LINE };
    let chart = SweepChart {
        summary: &summary,
        values: &values,
        measure,
    };
    let mut written = Vec::new();
    for format in &opts.formats {
        let path = charts.join(format!("{name}.{}", format.extension()));
        let size = (opts.width, opts.height);
        let result: DrawResult = match format {
            Format::Png => (|| {
                let root =
                    raster::Raster::new(BitMapBackend::new(&path, size))?.into_drawing_area();
                chart.draw(&root, &ctx)?;
                root.present()?;
                Ok(())
            })(),
            Format::Svg => (|| {
                let root = SVGBackend::new(&path, size).into_drawing_area();
                chart.draw(&root, &ctx)?;
                root.present()?;
                Ok(())
            })(),
        };
        result.map_err(|e| PlotError::Render {
            path: path.clone(),
            message: e.to_string(),
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Per cell: (mean, p10, p50, p90) of `measure`.
type CellStats = BTreeMap<u64, [f64; 4]>;

fn read_measure(path: &Path, measure: &str, axes: usize) -> Result<CellStats, PlotError> {
    let bad = |message: String| PlotError::Options(format!("{}: {message}", path.display()));
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(e.to_string()))?;
    let mut out = BTreeMap::new();
    let col = 1 + axes;
    for record in reader.records() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        if record.get(col) != Some(measure) {
            continue;
        }
        let cell: u64 = record
            .get(0)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| bad("a row without a cell number".into()))?;
        let num = |i: usize| {
            record
                .get(col + 1 + i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        out.insert(cell, [num(0), num(1), num(2), num(3)]);
    }
    Ok(out)
}

struct SweepChart<'a> {
    summary: &'a SweepSummary,
    values: &'a CellStats,
    measure: &'a str,
}

/// Viridis, sampled at eleven points (matplotlib's), interpolated linearly.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
];

fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * 10.0;
    let i = (x.floor() as usize).min(9);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Where a value sits on an axis: log10 of it on a log axis.
fn coord(axis: &Axis, v: f64) -> f64 {
    if axis.log { v.log10() } else { v }
}

/// Cell edges on an axis, in axis coordinates: midpoints between values, half a step
/// beyond the ends.
fn edges(axis: &Axis) -> Vec<f64> {
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
fn value_span(axis: &Axis) -> (f64, f64) {
    let first = coord(axis, axis.values[0]);
    let last = coord(axis, axis.values[axis.values.len() - 1]);
    (first.min(last), first.max(last))
}

/// Tick positions (axis coordinates) for a range: 1-2-5 steps on a linear axis, powers
/// of ten (with 2 and 5 when few decades show) on a log axis.
fn ticks(axis: &Axis, lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let max = max.max(2);
    if axis.log {
        let mut out = Vec::new();
        for mults in [&[1.0, 2.0, 5.0][..], &[1.0, 3.0][..], &[1.0][..]] {
            out.clear();
            for d in (lo.floor() as i32 - 1)..=(hi.ceil() as i32 + 1) {
                for m in mults {
                    let t = (m * 10f64.powi(d)).log10();
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
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= max as f64)
        .unwrap_or(span);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

fn tick_label(axis: &Axis, t: f64) -> String {
    let v = if axis.log { 10f64.powf(t) } else { t };
    let v = if v.abs() < 1e-9 { 0.0 } else { v };
    compact(v)
}

/// `GPU supply at month 0 (H100e per month)`-style title: the path and the unit.
fn axis_title(axis: &Axis) -> String {
    let unit = params::find(&axis.generic).map_or(axis.unit.as_str(), |s| s.unit);
    let scale = if axis.log { ", log scale" } else { "" };
    if unit.is_empty() {
        format!("{}{scale}", axis.path)
    } else {
        format!("{} ({unit}{scale})", axis.path)
    }
}

fn regime_color(regime: &str) -> RGBColor {
    match regime {
        "race" => RGBColor(0xD5, 0x5E, 0x00),
        "run" => RGBColor(0x00, 0x72, 0xB2),
        _ => RGBColor(0x9E, 0x9E, 0x9E),
    }
}

impl SweepChart<'_> {
    fn draw<DB: Backend>(&self, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        root.fill(&WHITE)?;
        if self.summary.header.axes.len() == 2 {
            self.draw_phase(root, ctx)
        } else {
            self.draw_line(root, ctx)
        }
    }

    fn regimes(&self) -> BTreeMap<u64, &str> {
        self.summary
            .cell_verdicts
            .iter()
            .map(|c| (c.cell, c.regime.as_str()))
            .collect()
    }

    fn draw_phase<DB: Backend>(&self, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let h = &self.summary.header;
        let (xa, ya) = (&h.axes[0], &h.axes[1]);
        let (label, unit, fixed) = measure_meta(self.measure, h.months, h.persistence_months);
        let means: Vec<f64> = self.values.values().map(|v| v[0]).collect();
        let (lo, hi) = fixed.unwrap_or_else(|| {
            let lo = means
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::INFINITY, f64::min);
            let hi = means
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() && hi > lo {
                (lo, hi)
            } else {
                (lo.min(0.0), lo.max(0.0) + 1.0)
            }
        });
        let frame_words = Frame {
            title: format!(
                "Race or run? {label}, by {} and {}",
                short(&xa.path),
                short(&ya.path)
            ),
            subtitle: format!(
                "Each cell: {} runs with the same seeds (common random numbers). Colour: {} (mean over runs). \
                 Black lines: where the regime verdict changes; labels name each region's verdict.",
                h.runs,
                label.to_lowercase()
            ),
            legend: vec![LegendItem::new("Regime boundary", Swatch::Line(INK))],
        };
        let area = frame(root, ctx, &frame_words)?;
        let (w, hgt) = area.dim_in_pixel();
        let bar_width = ctx.px(230.0);
        let main = area
            .clone()
            .shrink((0, 0), (w as i32 - bar_width, hgt as i32));
        let bar = area
            .clone()
            .shrink((w as i32 - bar_width, 0), (bar_width, hgt as i32));

        let xe = edges(xa);
        let ye = edges(ya);
        let (x0, x1) = (xe[0], xe[xe.len() - 1]);
        let (y0, y1) = (ye[0], ye[ye.len() - 1]);
        let style = ctx.font(TICK_SIZE, INK);
        let plot_w = main.dim_in_pixel().0 as i32 - ctx.px(Y_LABEL_AREA + 30.0);
        let sample_w = main.estimate_text_size("200k", &style)?.0 as i32 + ctx.px(40.0);
        let plot_h = main.dim_in_pixel().1 as i32 - ctx.px(X_LABEL_AREA);
        let xt = ticks(
            xa,
            value_span(xa).0,
            value_span(xa).1,
            (plot_w / sample_w.max(1)) as usize,
        );
        let yt = ticks(
            ya,
            value_span(ya).0,
            value_span(ya).1,
            (plot_h / ctx.px(TICK_SIZE * 3.0)).clamp(3, 9) as usize,
        );
        let mut chart = ChartBuilder::on(&main)
            .x_label_area_size(ctx.px(X_LABEL_AREA))
            .y_label_area_size(ctx.px(Y_LABEL_AREA))
            .margin_right(ctx.px(20.0))
            .margin_top(ctx.px(8.0))
            .build_cartesian_2d(Ticked::new(x0..x1, xt), Ticked::new(y0..y1, yt))?;
        let xf = |t: &f64| tick_label(xa, *t);
        let yf = |t: &f64| tick_label(ya, *t);
        let (xtitle, ytitle) = (axis_title(xa), axis_title(ya));
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(AXIS.stroke_width(ctx.px(1.5) as u32))
            .label_style(ctx.font(TICK_SIZE, INK_SOFT))
            .axis_desc_style(ctx.font(AXIS_TITLE_SIZE, INK))
            .set_all_tick_mark_size(ctx.px(6.0))
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .x_desc(xtitle.as_str())
            .y_desc(ytitle.as_str())
            .draw()?;

        let (nx, ny) = (xa.values.len(), ya.values.len());
        let cell = |i: usize, j: usize| (i * ny + j) as u64;
        let norm = |v: f64| (v - lo) / (hi - lo);
        chart.draw_series(
            (0..nx)
                .flat_map(|i| (0..ny).map(move |j| (i, j)))
                .map(|(i, j)| {
                    let v = self.values.get(&cell(i, j)).map_or(f64::NAN, |s| s[0]);
                    let color = if v.is_finite() {
                        viridis(norm(v))
                    } else {
                        GRID
                    };
                    Rectangle::new([(xe[i], ye[j]), (xe[i + 1], ye[j + 1])], color.filled())
                }),
        )?;

        // Boundaries: cell edges between neighbours of different verdicts, drawn over a
        // white halo so they show on dark and light cells alike.
        let regimes = self.regimes();
        let regime = |i: usize, j: usize| regimes.get(&cell(i, j)).copied().unwrap_or("");
        let mut segments = Vec::new();
        for i in 0..nx {
            for j in 0..ny {
                if i + 1 < nx && regime(i, j) != regime(i + 1, j) {
                    segments.push([(xe[i + 1], ye[j]), (xe[i + 1], ye[j + 1])]);
                }
                if j + 1 < ny && regime(i, j) != regime(i, j + 1) {
                    segments.push([(xe[i], ye[j + 1]), (xe[i + 1], ye[j + 1])]);
                }
            }
        }
        for (color, width) in [(WHITE, 7.0), (INK, 3.5)] {
            chart.draw_series(
                segments.iter().map(|s| {
                    PathElement::new(s.to_vec(), color.stroke_width(ctx.px(width) as u32))
                }),
            )?;
        }

        // Each region (a connected set of cells with one verdict) of a fair size gets its
        // verdict's name in its most interior cell; labels never overlap one another.
        let label_style = ctx
            .font(REGION_LABEL_SIZE, INK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let plot_area = chart.plotting_area();
        let (rx, ry) = plot_area.get_pixel_range();
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        let min_size = (nx * ny / 40).max(3);
        let depth = depths(nx, ny, &regime);
        for region in regions(nx, ny, &regime) {
            let name = regime(region[0].0, region[0].1);
            if region.len() < min_size || name.is_empty() {
                continue;
            }
            // The deepest cell; a large region that sprawls gets a second label at the
            // deepest cell far from the first.
            let mut by_depth = region.clone();
            by_depth.sort_by(|a, b| {
                depth[b.0 * ny + b.1]
                    .total_cmp(&depth[a.0 * ny + a.1])
                    .then(a.cmp(b))
            });
            let first = by_depth[0];
            let far = (nx + ny) / 3;
            let second = by_depth.iter().copied().find(|c| {
                region.len() >= 2 * min_size
                    && depth[c.0 * ny + c.1] >= 2.0
                    && c.0.abs_diff(first.0) + c.1.abs_diff(first.1) >= far
            });
            for (i, j) in std::iter::once(first).chain(second) {
                let centre = ((xe[i] + xe[i + 1]) / 2.0, (ye[j] + ye[j + 1]) / 2.0);
                let (px, py) = chart.backend_coord(&centre);
                let text = name.to_uppercase();
                let (tw, th) = root.estimate_text_size(&text, &label_style)?;
                let pad = ctx.px(10.0);
                let (tw, th) = (tw as i32, th as i32);
                // Keep the label inside the plot.
                let cx = px.clamp(rx.start + tw / 2 + pad, rx.end - tw / 2 - pad);
                let cy = py.clamp(ry.start + th / 2 + pad, ry.end - th / 2 - pad);
                let rect = (
                    cx - tw / 2 - pad,
                    cy - th / 2 - pad / 2,
                    cx + tw / 2 + pad,
                    cy + th / 2 + pad / 2,
                );
                if placed
                    .iter()
                    .any(|p| rect.0 < p.2 && p.0 < rect.2 && rect.1 < p.3 && p.1 < rect.3)
                {
                    continue;
                }
                placed.push(rect);
                let color = regime_color(name);
                let ink = if name == "mixed" { INK_SOFT } else { color };
                root.draw(&Rectangle::new(
                    [(rect.0, rect.1), (rect.2, rect.3)],
                    WHITE.mix(0.88).filled(),
                ))?;
                root.draw(&Rectangle::new(
                    [(rect.0, rect.1), (rect.2, rect.3)],
                    color.stroke_width(ctx.px(2.5) as u32),
                ))?;
                root.draw_text(&text, &label_style.color(&ink), (cx, cy))?;
            }
        }

        self.colour_bar(&bar, ctx, &label, &unit, lo, hi, plot_h)
    }

    #[allow(clippy::too_many_arguments)]
    fn colour_bar<DB: Backend>(
        &self,
        area: &Area<DB>,
        ctx: &Ctx<'_>,
        label: &str,
        unit: &str,
        lo: f64,
        hi: f64,
        plot_h: i32,
    ) -> DrawResult {
        let top = ctx.px(8.0) + ctx.px(96.0);
        let bottom = ctx.px(8.0) + plot_h;
        let left = ctx.px(30.0);
        let width = ctx.px(34.0);
        let title = ctx.font(19.0, INK).pos(Pos::new(HPos::Left, VPos::Top));
        // The bar's title, wrapped into the column above it.
        let max_w = area.dim_in_pixel().0 as i32 - left;
        let mut y = ctx.px(8.0);
        let lines = super::layout::wrap(area, label, &title, max_w)?;
        let unit_style = ctx
            .font(17.0, INK_SOFT)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let unit_lines = super::layout::wrap(area, unit, &unit_style, max_w)?;
        for l in lines.iter().take(3) {
            area.draw_text(l, &title, (left, y))?;
            y += ctx.px(23.0);
        }
        y += ctx.px(2.0);
        for l in unit_lines.iter().take(4) {
            area.draw_text(l, &unit_style, (left, y))?;
            y += ctx.px(20.0);
        }
        let top = top.max(y + ctx.px(14.0));
        let steps = (bottom - top).max(1);
        for k in 0..steps {
            let t = 1.0 - k as f64 / steps as f64;
            area.draw(&Rectangle::new(
                [(left, top + k), (left + width, top + k + 1)],
                viridis(t).filled(),
            ))?;
        }
        area.draw(&Rectangle::new(
            [(left, top), (left + width, bottom)],
            AXIS.stroke_width(1),
        ))?;
        let tick_style = ctx
            .font(TICK_SIZE, INK_SOFT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let fake = Axis {
            arg: String::new(),
            path: String::new(),
            generic: String::new(),
            unit: String::new(),
            log: false,
            values: vec![lo, hi],
        };
        let max_ticks = ((bottom - top) / ctx.px(TICK_SIZE * 2.6)).clamp(2, 8) as usize;
        for t in ticks(&fake, lo, hi, max_ticks) {
            let y = bottom - ((t - lo) / (hi - lo) * (bottom - top) as f64).round() as i32;
            area.draw(&PathElement::new(
                vec![(left + width, y), (left + width + ctx.px(6.0), y)],
                AXIS.stroke_width(ctx.px(1.5) as u32),
            ))?;
            let text = if fixed_share(lo, hi) {
                format!("{}%", (t * 100.0).round())
            } else {
                tick_label(&fake, t)
            };
            area.draw_text(&text, &tick_style, (left + width + ctx.px(10.0), y))?;
        }
        Ok(())
    }

    fn draw_line<DB: Backend>(&self, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let h = &self.summary.header;
        let xa = &h.axes[0];
        let (label, unit, fixed) = measure_meta(self.measure, h.months, h.persistence_months);
        let frame_words = Frame {
            title: format!("Race or run? {label}, by {}", short(&xa.path)),
            subtitle: format!(
                "Each point: {} runs with the same seeds (common random numbers). Line: median run; \
                 shaded: 10th-90th percentile of runs. Backdrop: the regime verdict at that value.{}",
                h.runs,
                if unit.len() > 20 {
                    format!(" {label}: {unit}.")
                } else {
                    String::new()
                }
            ),
            legend: vec![
                LegendItem::new("Median run", Swatch::Line(INK)),
                LegendItem::new(
                    "10th-90th percentile",
                    Swatch::Block(RGBColor(0xB0, 0xB0, 0xB0)),
                ),
                LegendItem::new(
                    "race",
                    Swatch::Block(super::theme::tint(regime_color("race"), 0.75)),
                ),
                LegendItem::new(
                    "run",
                    Swatch::Block(super::theme::tint(regime_color("run"), 0.75)),
                ),
                LegendItem::new(
                    "mixed",
                    Swatch::Block(super::theme::tint(regime_color("mixed"), 0.75)),
                ),
            ],
        };
        let area = frame(root, ctx, &frame_words)?;
        let xe = edges(xa);
        let (x0, x1) = (xe[0], xe[xe.len() - 1]);
        let stats: Vec<[f64; 4]> = (0..xa.values.len() as u64)
            .map(|c| self.values.get(&c).copied().unwrap_or([f64::NAN; 4]))
            .collect();
        let (lo, hi) = fixed.unwrap_or_else(|| {
            let all = stats
                .iter()
                .flat_map(|s| [s[1], s[3]])
                .filter(|v| v.is_finite());
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for v in all {
                lo = lo.min(v);
                hi = hi.max(v);
            }
            let pad = ((hi - lo) * 0.08).max(1e-6);
            (lo - pad, hi + pad)
        });
        let style = ctx.font(TICK_SIZE, INK);
        let plot_w = area.dim_in_pixel().0 as i32 - ctx.px(Y_LABEL_AREA + 30.0);
        let sample_w = area.estimate_text_size("200k", &style)?.0 as i32 + ctx.px(40.0);
        let xt = ticks(
            xa,
            value_span(xa).0,
            value_span(xa).1,
            (plot_w / sample_w.max(1)) as usize,
        );
        let fake = Axis {
            arg: String::new(),
            path: String::new(),
            generic: String::new(),
            unit: String::new(),
            log: false,
            values: vec![lo, hi],
        };
        let yt = ticks(&fake, lo, hi, 7);
        // A long unit goes to the subtitle; the rotated title must fit the plot's height.
        let ytitle = if unit.is_empty() || unit.len() > 20 {
            label.clone()
        } else {
            format!("{label} ({unit})")
        };
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(ctx.px(X_LABEL_AREA))
            .y_label_area_size(ctx.px(Y_LABEL_AREA))
            .margin_right(ctx.px(30.0))
            .margin_top(ctx.px(8.0))
            .build_cartesian_2d(Ticked::new(x0..x1, xt), Ticked::new(lo..hi, yt))?;
        let regimes = self.regimes();
        chart.draw_series((0..xa.values.len()).map(|i| {
            let r = regimes.get(&(i as u64)).copied().unwrap_or("");
            Rectangle::new(
                [(xe[i], lo), (xe[i + 1], hi)],
                super::theme::tint(regime_color(r), 0.75).filled(),
            )
        }))?;
        let xf = |t: &f64| tick_label(xa, *t);
        let share = fixed_share(lo, hi);
        let yf = |t: &f64| {
            if share {
                format!("{}%", (t * 100.0).round())
            } else {
                tick_label(&fake, *t)
            }
        };
        let xtitle = axis_title(xa);
        chart
            .configure_mesh()
            .bold_line_style(WHITE.mix(0.7).stroke_width(ctx.px(1.0) as u32))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width(ctx.px(1.5) as u32))
            .label_style(ctx.font(TICK_SIZE, INK_SOFT))
            .axis_desc_style(ctx.font(AXIS_TITLE_SIZE, INK))
            .set_all_tick_mark_size(ctx.px(6.0))
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .x_desc(xtitle.as_str())
            .y_desc(ytitle.as_str())
            .draw()?;
        let pts: Vec<(f64, [f64; 4])> = xa
            .values
            .iter()
            .zip(&stats)
            .map(|(v, s)| (coord(xa, *v), *s))
            .filter(|(_, s)| s.iter().all(|v| v.is_finite()))
            .collect();
        let upper = pts.iter().map(|(x, s)| (*x, s[3]));
        let lower = pts.iter().rev().map(|(x, s)| (*x, s[1]));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            RGBColor(0x60, 0x60, 0x60).mix(0.3).filled(),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            pts.iter().map(|(x, s)| (*x, s[2])).collect::<Vec<_>>(),
            INK.stroke_width(ctx.line_width()),
        )))?;
        chart.draw_series(
            pts.iter()
                .map(|(x, s)| Circle::new((*x, s[2]), ctx.px(5.0), INK.filled())),
        )?;
        Ok(())
    }
}

/// The connected regions (4-neighbours) of cells with equal verdicts, largest first.
fn regions<'r>(
    nx: usize,
    ny: usize,
    regime: &dyn Fn(usize, usize) -> &'r str,
) -> Vec<Vec<(usize, usize)>> {
    let mut seen = vec![false; nx * ny];
    let mut out = Vec::new();
    for i0 in 0..nx {
        for j0 in 0..ny {
            if seen[i0 * ny + j0] {
                continue;
            }
            let name = regime(i0, j0);
            let mut region = Vec::new();
            let mut stack = vec![(i0, j0)];
            seen[i0 * ny + j0] = true;
            while let Some((i, j)) = stack.pop() {
                region.push((i, j));
                let mut near = Vec::with_capacity(4);
                if i > 0 {
                    near.push((i - 1, j));
                }
                if i + 1 < nx {
                    near.push((i + 1, j));
                }
                if j > 0 {
                    near.push((i, j - 1));
                }
                if j + 1 < ny {
                    near.push((i, j + 1));
                }
                for (a, b) in near {
                    if !seen[a * ny + b] && regime(a, b) == name {
                        seen[a * ny + b] = true;
                        stack.push((a, b));
                    }
                }
            }
            region.sort();
            out.push(region);
        }
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

/// How deep inside its region each cell is: steps (4-neighbour) to the nearest cell of
/// another verdict, or to just past the plot's edge. One breadth-first pass from every
/// cell that touches another verdict, so large grids stay cheap.
fn depths<'r>(nx: usize, ny: usize, regime: &dyn Fn(usize, usize) -> &'r str) -> Vec<f64> {
    let neighbours = |i: usize, j: usize| {
        let mut near = Vec::with_capacity(4);
        if i > 0 {
            near.push((i - 1, j));
        }
        if i + 1 < nx {
            near.push((i + 1, j));
        }
        if j > 0 {
            near.push((i, j - 1));
        }
        if j + 1 < ny {
            near.push((i, j + 1));
        }
        near
    };
    let mut depth = vec![u32::MAX; nx * ny];
    let mut queue = std::collections::VecDeque::new();
    for i in 0..nx {
        for j in 0..ny {
            if neighbours(i, j)
                .iter()
                .any(|&(a, b)| regime(a, b) != regime(i, j))
            {
                depth[i * ny + j] = 1;
                queue.push_back((i, j));
            }
        }
    }
    while let Some((i, j)) = queue.pop_front() {
        let d = depth[i * ny + j];
        for (a, b) in neighbours(i, j) {
            if depth[a * ny + b] == u32::MAX {
                depth[a * ny + b] = d + 1;
                queue.push_back((a, b));
            }
        }
    }
    (0..nx * ny)
        .map(|k| {
            let (i, j) = (k / ny, k % ny);
            let edge = [i + 1, nx - i, j + 1, ny - j]
                .into_iter()
                .min()
                .unwrap_or(1);
            f64::from(depth[k].min(edge as u32))
        })
        .collect()
}

fn fixed_share(lo: f64, hi: f64) -> bool {
    lo == 0.0 && hi == 1.0
}

/// The last two segments of a path: `gpus.supply`, `dynamics.kappa`.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts[parts.len().saturating_sub(2)..].join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(log: bool, values: Vec<f64>) -> Axis {
        Axis {
            arg: String::new(),
            path: "x".into(),
            generic: "x".into(),
            unit: String::new(),
            log,
            values,
        }
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
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
    }
}
