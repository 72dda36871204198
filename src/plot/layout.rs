//! The frame every chart shares: title, subtitle, legend row, plot region and source
//! line, plus the axes, bands, panels and histograms that several charts draw.
//!
//! Sizes are given for a 1600x1000 canvas and scaled with the canvas, so a chart keeps
//! its proportions at any `--width`/`--height`.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{BandPoint, Lab, PlotData};
use super::theme::{AXIS, FAMILY, GRID, INK, INK_FAINT, INK_SOFT, TimeTicks};
use crate::numbers::{compact, elo, percent, thousands};

/// Errors while drawing; turned into [`super::PlotError::Render`] naming the file.
pub(crate) type DrawError = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type DrawResult<T = ()> = Result<T, DrawError>;

/// A plotters backend whose errors can be boxed (both bitmap and SVG qualify).
pub(crate) trait Backend: DrawingBackend<ErrorType: 'static> {}
impl<T: DrawingBackend<ErrorType: 'static>> Backend for T {}

/// A drawing region in pixels.
pub(crate) type Area<DB> = DrawingArea<DB, Shift>;

/// A chart whose x axis is months since the scenario's start, with calendar ticks.
pub(crate) type TimeChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, RangedCoordf64>>;

/// A continuous axis with ticks exactly where we put them (calendar Januaries, whole
/// histogram bins). Plotters' own `WithKeyPoints` cannot take a label formatter over
/// `f64`, hence this small wrapper.
#[derive(Clone)]
pub(crate) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    pub(crate) fn new(range: Range<f64>, ticks: Vec<f64>) -> Ticked {
        Ticked {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

/// Width of the y tick labels plus the rotated axis title, at scale 1.
const Y_LABEL_AREA: f64 = 118.0;
/// Height of the x tick labels plus the axis title, at scale 1.
const X_LABEL_AREA: f64 = 78.0;
/// Font sizes at scale 1, in pixels.
const TITLE_SIZE: f64 = 40.0;
const SUBTITLE_SIZE: f64 = 24.0;
const LEGEND_SIZE: f64 = 23.0;
const TICK_SIZE: f64 = 21.0;
const AXIS_TITLE_SIZE: f64 = 22.0;
const PANEL_TITLE_SIZE: f64 = 24.0;
const SOURCE_SIZE: f64 = 18.0;

/// What a chart draws with: the loaded data and the canvas scale.
pub(crate) struct Ctx<'a> {
    pub(crate) data: &'a PlotData,
    scale: f64,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(data: &'a PlotData, width: u32, height: u32) -> Ctx<'a> {
        // Below about 1000x620 text would shrink past easy reading; keep it there and let
        // the plot give up the room instead.
        let scale = (width as f64 / 1600.0)
            .min(height as f64 / 1000.0)
            .max(0.62);
        Ctx { data, scale }
    }

    /// A length given at scale 1, in pixels at this canvas size.
    pub(crate) fn px(&self, length: f64) -> i32 {
        (length * self.scale).round().max(1.0) as i32
    }

    /// Line width for data lines.
    pub(crate) fn line_width(&self) -> u32 {
        (3.0 * self.scale).round().max(1.0) as u32
    }

    /// Text in the embedded font.
    pub(crate) fn font(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.scale).into_font().color(&color)
    }

    pub(crate) fn labs(&self) -> &'a [Lab] {
        &self.data.summary.labs
    }

    /// The horizon in months, the right end of every time axis.
    pub(crate) fn horizon(&self) -> f64 {
        self.data.summary.months as f64
    }

    /// `Scenario baseline, 2,000 runs, seed 42.`
    pub(crate) fn tagline(&self) -> String {
        let s = &self.data.summary;
        format!(
            "Scenario {}, {} {}, seed {}.",
            s.scenario,
            thousands(s.runs as i64),
            if s.runs == 1 { "run" } else { "runs" },
            s.seed
        )
    }

    /// `racerun 0.1.0, scenario baseline, 2,000 runs, seed 42`
    fn source_line(&self) -> String {
        let s = &self.data.summary;
        format!(
            "Source: racerun {}, scenario {}, {} runs, seed {}",
            s.version,
            s.scenario,
            thousands(s.runs as i64),
            s.seed
        )
    }
}

/// How the numbers on a value axis are written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ValueFormat {
    /// Elo points with thousands separators.
    Elo,
    /// A 0-1 fraction as a percentage.
    Percent,
    /// A large quantity with k/M/B suffixes.
    Compact,
    /// No tick labels (a strip whose meaning is given by [`side_label`]).
    Hidden,
}

impl ValueFormat {
    pub(crate) fn format(self, value: f64) -> String {
        // A typographic minus: a hyphen reads as a dash next to the tick.
        let text = match self {
            ValueFormat::Elo => elo(value),
            ValueFormat::Percent => percent(value),
            ValueFormat::Compact => compact(value),
            ValueFormat::Hidden => String::new(),
        };
        match text.strip_prefix('-') {
            Some(rest) => format!("\u{2212}{rest}"),
            None => text,
        }
    }
}

/// The sample drawn in the legend next to a label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A data line.
    Line(RGBColor),
    /// A median line over its p25-p75 and p5-p95 bands.
    Band(RGBColor),
    /// A filled block (areas, bars).
    Block(RGBColor),
    /// A release marker.
    Marker(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub(crate) label: String,
    pub(crate) swatch: Swatch,
}

impl LegendItem {
    pub(crate) fn new(label: impl Into<String>, swatch: Swatch) -> LegendItem {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

/// One entry per lab, in summary order.
pub(crate) fn lab_legend(ctx: &Ctx<'_>, swatch: fn(RGBColor) -> Swatch) -> Vec<LegendItem> {
    ctx.labs()
        .iter()
        .map(|lab| LegendItem::new(lab.name.clone(), swatch(lab.color)))
        .collect()
}

/// The words around a chart.
pub(crate) struct Frame {
    /// What the chart shows, in plain words.
    pub(crate) title: String,
    /// How to read it; the scenario, runs and seed are appended.
    pub(crate) subtitle: String,
    /// Drawn in a row of its own above the plot, so it never covers data.
    pub(crate) legend: Vec<LegendItem>,
}

/// Draws the frame on the whole canvas and returns the region left for the plot.
pub(crate) fn frame<DB: Backend>(
    root: &Area<DB>,
    ctx: &Ctx<'_>,
    frame: &Frame,
) -> DrawResult<Area<DB>> {
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let side = ctx.px(40.0);
    let text_width = width - 2 * side;
    let top_left = Pos::new(HPos::Left, VPos::Top);

    let mut y = ctx.px(30.0);
    let title = ctx.font(TITLE_SIZE, INK).pos(top_left);
    for line in wrap(root, &frame.title, &title, text_width)? {
        root.draw_text(&line, &title, (side, y))?;
        y += ctx.px(TITLE_SIZE * 1.2);
    }
    y += ctx.px(6.0);

    let subtitle = ctx.font(SUBTITLE_SIZE, INK_SOFT).pos(top_left);
    let words = format!("{} {}", frame.subtitle, ctx.tagline());
    for line in wrap(root, words.trim(), &subtitle, text_width)? {
        root.draw_text(&line, &subtitle, (side, y))?;
        y += ctx.px(SUBTITLE_SIZE * 1.35);
    }
    y += ctx.px(10.0);

    if !frame.legend.is_empty() {
        y = legend(root, ctx, &frame.legend, side, y, text_width)?;
        y += ctx.px(6.0);
    }

    let source = ctx
        .font(SOURCE_SIZE, INK_FAINT)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    let bottom = height - ctx.px(18.0);
    root.draw_text(&ctx.source_line(), &source, (side, bottom))?;

    let plot_bottom = bottom - ctx.px(SOURCE_SIZE + 22.0);
    let plot_left = ctx.px(14.0);
    let plot_height = (plot_bottom - y).max(ctx.px(60.0));
    Ok(root
        .clone()
        .shrink((plot_left, y), (width - plot_left - side, plot_height)))
}

/// Breaks text into lines no wider than `max_width` pixels.
pub(crate) fn wrap<DB: Backend>(
    area: &Area<DB>,
    text: &str,
    style: &TextStyle<'_>,
    max_width: i32,
) -> DrawResult<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && area.estimate_text_size(&candidate, style)?.0 as i32 > max_width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// Draws legend entries left to right, wrapping into rows; returns the y below them.
fn legend<DB: Backend>(
    root: &Area<DB>,
    ctx: &Ctx<'_>,
    items: &[LegendItem],
    left: i32,
    top: i32,
    max_width: i32,
) -> DrawResult<i32> {
    let style = ctx
        .font(LEGEND_SIZE, INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let swatch_width = ctx.px(34.0);
    let row_height = ctx.px(LEGEND_SIZE * 1.6);
    let (mut x, mut y) = (left, top + row_height / 2);
    for item in items {
        let text_width = root.estimate_text_size(&item.label, &style)?.0 as i32;
        let item_width = swatch_width + ctx.px(10.0) + text_width;
        if x > left && x + item_width > left + max_width {
            x = left;
            y += row_height;
        }
        draw_swatch(root, ctx, item.swatch, (x, y), swatch_width)?;
        root.draw_text(&item.label, &style, (x + swatch_width + ctx.px(10.0), y))?;
        x += item_width + ctx.px(36.0);
    }
    Ok(y + row_height / 2)
}

fn draw_swatch<DB: Backend>(
    root: &Area<DB>,
    ctx: &Ctx<'_>,
    swatch: Swatch,
    (x, y): (i32, i32),
    width: i32,
) -> DrawResult {
    let half = ctx.px(9.0);
    match swatch {
        Swatch::Line(color) => {
            root.draw(&PathElement::new(
                vec![(x, y), (x + width, y)],
                color.stroke_width(ctx.line_width()),
            ))?;
        }
        Swatch::Band(color) => {
            root.draw(&Rectangle::new(
                [(x, y - half), (x + width, y + half)],
                color.mix(INNER_ALPHA).filled(),
            ))?;
            root.draw(&PathElement::new(
                vec![(x, y), (x + width, y)],
                color.stroke_width(ctx.line_width()),
            ))?;
        }
        Swatch::Block(color) => {
            root.draw(&Rectangle::new(
                [
                    (x + width / 2 - half, y - half),
                    (x + width / 2 + half, y + half),
                ],
                color.filled(),
            ))?;
        }
        Swatch::Marker(color) => {
            root.draw(&Circle::new(
                (x + width / 2, y),
                ctx.px(7.0),
                color.filled(),
            ))?;
            root.draw(&Circle::new(
                (x + width / 2, y),
                ctx.px(7.0),
                WHITE.stroke_width(ctx.px(1.5) as u32),
            ))?;
        }
    }
    Ok(())
}

/// Opacity of the p25-p75 bands.
const INNER_ALPHA: f64 = 0.25;

/// Splits a region into panels stacked top to bottom with heights in proportion to
/// `weights`; the last panel gets `bottom_extra` more pixels for the shared x axis, so
/// all plots are the same height when only the last one has x labels.
pub(crate) fn stack<DB: Backend>(
    area: &Area<DB>,
    weights: &[f64],
    gap: i32,
    bottom_extra: i32,
) -> Vec<Area<DB>> {
    let (width, height) = area.dim_in_pixel();
    let n = weights.len() as i32;
    let total: f64 = weights.iter().sum();
    let free = (height as i32 - gap * (n - 1) - bottom_extra).max(n) as f64;
    let mut y = 0;
    let mut panels = Vec::with_capacity(weights.len());
    for (i, weight) in weights.iter().enumerate() {
        let mut h = (free * weight / total).round() as i32;
        if i as i32 == n - 1 {
            h += bottom_extra;
        }
        panels.push(area.clone().shrink((0, y), (width as i32, h)));
        y += h + gap;
    }
    panels
}

/// Draws a panel heading aligned with the plot's left edge; returns the region below.
pub(crate) fn panel_title<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    text: &str,
) -> DrawResult<Area<DB>> {
    let style = ctx
        .font(PANEL_TITLE_SIZE, INK)
        .pos(Pos::new(HPos::Left, VPos::Top));
    area.draw_text(text, &style, (ctx.px(Y_LABEL_AREA), 0))?;
    let below = ctx.px(PANEL_TITLE_SIZE * 1.5);
    let (width, height) = area.dim_in_pixel();
    Ok(area
        .clone()
        .shrink((0, below), (width as i32, height as i32 - below)))
}

/// Height of the x axis labels, for [`stack`]'s `bottom_extra`.
pub(crate) fn x_label_area(ctx: &Ctx<'_>) -> i32 {
    ctx.px(X_LABEL_AREA)
}

/// Calendar ticks that fit the plot width without crowding.
fn time_ticks<DB: Backend>(area: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult<TimeTicks> {
    let style = ctx.font(TICK_SIZE, INK);
    let plot_width = area.dim_in_pixel().0 as i32 - ctx.px(Y_LABEL_AREA + 30.0);
    let monthly = area.estimate_text_size("Sep 2025", &style)?.0 as i32 + ctx.px(28.0);
    let yearly = area.estimate_text_size("2025", &style)?.0 as i32 + ctx.px(36.0);
    let calendar = ctx.data.summary.calendar;
    let max = |label: i32| (plot_width / label.max(1)).max(2) as usize;
    Ok(calendar.ticks(ctx.data.summary.months, max(monthly), max(yearly)))
}

/// The value axis of a chart.
pub(crate) struct ValueAxis<'t> {
    pub(crate) range: Range<f64>,
    pub(crate) title: &'t str,
    pub(crate) format: ValueFormat,
}

/// Builds a chart over months `0..horizon` with calendar ticks, light grid lines and the
/// shared fonts. Without `x_labels` the time axis is unlabelled (an upper panel).
pub(crate) fn time_chart<'a, DB: Backend>(
    area: &'a Area<DB>,
    ctx: &Ctx<'_>,
    y: ValueAxis<'_>,
    x_labels: bool,
) -> DrawResult<TimeChart<'a, DB>> {
    let ticks = time_ticks(area, ctx)?;
    // As many value ticks as fit without crowding a short panel.
    let plot_height =
        area.dim_in_pixel().1 as i32 - if x_labels { ctx.px(X_LABEL_AREA) } else { 0 };
    let y_ticks = (plot_height / ctx.px(TICK_SIZE * 3.2)).clamp(3, 7) as usize;
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(if x_labels { ctx.px(X_LABEL_AREA) } else { 0 })
        .y_label_area_size(ctx.px(Y_LABEL_AREA))
        .margin_right(ctx.px(30.0))
        .margin_top(ctx.px(8.0))
        .build_cartesian_2d(
            Ticked::new(0.0..ctx.horizon(), ticks.positions.clone()),
            y.range,
        )?;
    let x_format = |m: &f64| ticks.label(*m);
    let y_format = |v: &f64| y.format.format(*v);
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh, ctx);
    mesh.x_label_formatter(&x_format)
        .y_labels(y_ticks)
        .y_label_formatter(&y_format)
        .y_desc(y.title);
    if matches!(y.format, ValueFormat::Hidden) {
        mesh.disable_y_mesh()
            .set_tick_mark_size(LabelAreaPosition::Left, 0);
    }
    if x_labels {
        mesh.x_desc("Month");
    } else {
        mesh.x_label_formatter(&|_| String::new())
            .set_tick_mark_size(LabelAreaPosition::Bottom, 0);
    }
    mesh.draw()?;
    Ok(chart)
}

/// Writes a label in the y label area of `chart`, centred on its plot's height: the
/// name of a strip that has no ticks.
pub(crate) fn side_label<DB: Backend, CT: CoordTranslate>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    chart: &ChartContext<'_, DB, CT>,
    text: &str,
) -> DrawResult {
    let style = ctx
        .font(AXIS_TITLE_SIZE, INK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let (x, y) = chart.plotting_area().get_pixel_range();
    let base = area.get_base_pixel();
    let pos = (
        x.start - base.0 - ctx.px(12.0),
        (y.start + y.end) / 2 - base.1,
    );
    area.draw_text(text, &style, pos)?;
    Ok(())
}

/// The shared look of grid, axes and labels.
fn style_mesh<DB: Backend, X: Ranged, Y: Ranged>(
    mesh: &mut plotters::chart::MeshStyle<'_, '_, X, Y, DB>,
    ctx: &Ctx<'_>,
) {
    mesh.bold_line_style(GRID.stroke_width(ctx.px(1.0) as u32))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(ctx.px(1.5) as u32))
        .label_style(ctx.font(TICK_SIZE, INK_SOFT))
        .axis_desc_style(ctx.font(AXIS_TITLE_SIZE, INK))
        .set_all_tick_mark_size(ctx.px(6.0))
        .y_labels(7);
}

/// A y range covering `values` (non-finite ones ignored) with a little headroom,
/// clamped to `bounds` where the quantity has natural limits.
pub(crate) fn value_range(values: impl IntoIterator<Item = f64>, bounds: Range<f64>) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return bounds.start.max(0.0)..bounds.end.min(1.0);
    }
    let pad = ((hi - lo) * 0.06).max(hi.abs().max(1.0) * 1e-3);
    (lo - pad).max(bounds.start)..(hi + pad).min(bounds.end)
}

/// How band charts are read; charts put it in their subtitle.
pub(crate) const BAND_NOTE: &str =
    "Lines: median run; shaded: middle 50% of runs; dashed: 5th and 95th percentiles.";

/// Draws series as median lines over translucent p25-p75 bands, with the p5 and p95
/// percentiles as thin dashed lines (filled outer bands of several series turn to mud).
/// All bands go first so no series' band covers another's median. Months without
/// numbers break lines and bands rather than bridging them.
pub(crate) fn draw_bands<DB: Backend>(
    chart: &mut TimeChart<'_, DB>,
    ctx: &Ctx<'_>,
    series: &[(&[BandPoint], RGBColor)],
) -> DrawResult {
    for &(points, color) in series {
        for run in finite_runs(points, |p| [p.p25, p.p75]) {
            chart.draw_series(std::iter::once(band_polygon(
                run,
                |p| (p.p25, p.p75),
                color.mix(INNER_ALPHA),
            )))?;
        }
    }
    let dash = ctx.px(7.0);
    let thin = ctx.px(1.6) as u32;
    for &(points, color) in series {
        for pick in [|p: &BandPoint| p.p5, |p: &BandPoint| p.p95] {
            let line: Vec<(f64, f64)> = points.iter().map(|p| (p.month as f64, pick(p))).collect();
            for run in finite_runs(&line, |&(x, y)| [x, y]) {
                chart.draw_series(DashedLineSeries::new(
                    run.iter().copied(),
                    dash,
                    dash * 2 / 3,
                    color.mix(0.85).stroke_width(thin),
                ))?;
            }
        }
    }
    for &(points, color) in series {
        draw_line(
            chart,
            ctx,
            points.iter().map(|p| (p.month as f64, p.p50)),
            color,
        )?;
    }
    Ok(())
}

/// Draws a line through the finite points, broken where values are missing.
pub(crate) fn draw_line<DB: Backend>(
    chart: &mut TimeChart<'_, DB>,
    ctx: &Ctx<'_>,
    points: impl IntoIterator<Item = (f64, f64)>,
    color: RGBColor,
) -> DrawResult {
    let points: Vec<(f64, f64)> = points.into_iter().collect();
    for run in finite_runs(&points, |&(x, y)| [x, y]) {
        chart.draw_series(std::iter::once(PathElement::new(
            run.to_vec(),
            color.stroke_width(ctx.line_width()),
        )))?;
    }
    Ok(())
}

/// Maximal slices whose items have all-finite `values`.
fn finite_runs<T, const N: usize>(items: &[T], values: impl Fn(&T) -> [f64; N]) -> Vec<&[T]> {
    items
        .split(|item| values(item).iter().any(|v| !v.is_finite()))
        .filter(|run| !run.is_empty())
        .collect()
}

fn band_polygon(
    points: &[BandPoint],
    bounds: impl Fn(&BandPoint) -> (f64, f64),
    color: RGBAColor,
) -> Polygon<(f64, f64)> {
    let upper = points.iter().map(|p| (p.month as f64, bounds(p).1));
    let lower = points.iter().rev().map(|p| (p.month as f64, bounds(p).0));
    Polygon::new(upper.chain(lower).collect::<Vec<_>>(), color.filled())
}

/// One series of a grouped histogram: a share per whole-number bin.
pub(crate) struct Bars {
    pub(crate) color: RGBColor,
    /// (bin, share of the total) pairs.
    pub(crate) shares: Vec<(u64, f64)>,
}

/// Turns (bin, count) pairs into (bin, share) pairs.
pub(crate) fn shares(counts: &[(u64, u64)]) -> Vec<(u64, f64)> {
    let total: u64 = counts.iter().map(|&(_, c)| c).sum();
    counts
        .iter()
        .map(|&(bin, c)| {
            (
                bin,
                if total == 0 {
                    0.0
                } else {
                    c as f64 / total as f64
                },
            )
        })
        .collect()
}

/// Draws bins side by side, one bar per series in each bin, y as share of the total.
pub(crate) fn grouped_histogram<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    series: &[Bars],
    x_title: &str,
    y_title: &str,
    first_bin: u64,
) -> DrawResult {
    let last_bin = series
        .iter()
        .flat_map(|s| s.shares.iter().map(|&(bin, _)| bin))
        .max()
        .unwrap_or(first_bin)
        .max(first_bin + 1);
    let y_max = series
        .iter()
        .flat_map(|s| s.shares.iter().map(|&(_, v)| v))
        .fold(0.0_f64, f64::max);
    let y_max = (y_max * 1.08).clamp(0.01, 1.0);

    let style = ctx.font(TICK_SIZE, INK);
    let label_width = area
        .estimate_text_size(&thousands(last_bin as i64), &style)?
        .0 as i32
        + ctx.px(24.0);
    let plot_width = area.dim_in_pixel().0 as i32 - ctx.px(Y_LABEL_AREA + 30.0);
    let max_labels = (plot_width / label_width.max(1)).max(2) as u64;
    let span = last_bin - first_bin + 1;
    let step = [1u64, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|step| span / step < max_labels)
        .unwrap_or(span);
    let keys: Vec<f64> = (first_bin..=last_bin)
        .filter(|bin| bin % step == 0)
        .map(|bin| bin as f64)
        .collect();

    let x_range = (first_bin as f64 - 0.6)..(last_bin as f64 + 0.6);
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(ctx.px(X_LABEL_AREA))
        .y_label_area_size(ctx.px(Y_LABEL_AREA))
        .margin_right(ctx.px(30.0))
        .margin_top(ctx.px(8.0))
        .build_cartesian_2d(Ticked::new(x_range, keys), 0.0..y_max)?;
    let x_format = |v: &f64| thousands(v.round() as i64);
    let y_format = |v: &f64| percent(*v);
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh, ctx);
    mesh.disable_x_mesh()
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(x_title)
        .y_desc(y_title)
        .draw()?;

    let group = 0.8;
    let width = group / series.len().max(1) as f64;
    for (i, s) in series.iter().enumerate() {
        let offset = -group / 2.0 + i as f64 * width;
        chart.draw_series(s.shares.iter().filter(|(_, v)| *v > 0.0).map(|&(bin, v)| {
            let x = bin as f64 + offset;
            Rectangle::new([(x, 0.0), (x + width, v)], s.color.filled())
        }))?;
    }
    Ok(())
}
