//! Axes and panels: the time axis with calendar ticks, value axes, stacked panels and
//! their headings.

use crate::math;
use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{Area, Backend, Ctx, DrawResult};
use super::theme::{AXIS, GRID, INK, INK_SOFT, TimeTicks};
use crate::numbers::{compact, elo, minus, percent};

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

/// A chart with ticks exactly where we put them on both axes.
pub(crate) type TickedChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

/// Builds a chart over `x` and `y` with the shared label areas, `top` and `right`
/// pixels of margin at scale 1.
pub(crate) fn ticked_chart<'a, DB: Backend>(
    area: &'a Area<DB>,
    ctx: &Ctx<'_>,
    x: Ticked,
    y: Ticked,
    (top, right): (f64, f64),
) -> DrawResult<TickedChart<'a, DB>> {
    Ok(ChartBuilder::on(area)
        .x_label_area_size(ctx.px(X_LABEL_AREA))
        .y_label_area_size(ctx.px(Y_LABEL_AREA))
        .margin_right(ctx.px(right))
        .margin_top(ctx.px(top))
        .build_cartesian_2d(x, y)?)
}

/// Draws a hand-made horizontal value axis, for bar charts that place their own rows: a
/// vertical line from `y0` to `y1` at every `step` from `lo` to `hi` (the zero line in
/// the axis colour, the others as grid), each labelled `label(t)` in `style` at
/// `label_y`; `x` places a value.
pub(crate) fn value_grid<DB: Backend>(
    area: &Area<DB>,
    x: impl Fn(f64) -> i32,
    (lo, hi, step): (f64, f64, f64),
    (y0, y1): (i32, i32),
    (style, label_y): (&TextStyle<'_>, i32),
    label: impl Fn(f64) -> String,
) -> DrawResult {
    let mut t = lo;
    while t <= hi + step * 1e-6 {
        let px = x(t);
        let color = if t.abs() < step * 1e-6 { AXIS } else { GRID };
        area.draw(&PathElement::new(
            vec![(px, y0), (px, y1)],
            color.stroke_width(1),
        ))?;
        area.draw_text(&label(t), style, (px, label_y))?;
        t += step;
    }
    Ok(())
}

/// Width of the y tick labels plus the rotated axis title, at scale 1.
pub(crate) const Y_LABEL_AREA: f64 = 118.0;
/// Height of the x tick labels plus the axis title, at scale 1.
pub(crate) const X_LABEL_AREA: f64 = 78.0;
/// Font sizes at scale 1, in pixels.
pub(crate) const TICK_SIZE: f64 = 21.0;
pub(crate) const AXIS_TITLE_SIZE: f64 = 22.0;
pub(crate) const PANEL_TITLE_SIZE: f64 = 24.0;

/// How the numbers on a value axis are written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ValueFormat {
    /// Elo points with thousands separators.
    Elo,
    /// A 0-1 fraction as a percentage.
    Percent,
    /// A large quantity with k/M/B suffixes.
    Compact,
    /// A difference of two shares in percentage points (`0.004` -> `0.4`).
    Points,
    /// No tick labels (a strip whose meaning is given by [`side_label`]).
    Hidden,
}

impl ValueFormat {
    pub(crate) fn format(self, value: f64) -> String {
        minus(match self {
            ValueFormat::Elo => elo(value),
            ValueFormat::Percent => percent(value),
            ValueFormat::Compact => compact(value),
            ValueFormat::Points => percent(value).trim_end_matches('%').to_string(),
            ValueFormat::Hidden => String::new(),
        })
    }
}

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
    let calendar = ctx.summary.calendar;
    let max = |label: i32| (plot_width / label.max(1)).max(2) as usize;
    Ok(calendar.ticks(ctx.summary.months, max(monthly), max(yearly)))
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
    // Two (the ends) only where three labels would touch.
    let y_ticks = if plot_height < ctx.px(TICK_SIZE * 4.0) {
        2
    } else {
        (plot_height / ctx.px(TICK_SIZE * 3.2)).clamp(3, 7) as usize
    };
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
    // A rotated title taller than its panel runs into the next one's: then its unit alone
    // (`Training share (%)`: `%`), or nothing.
    let title_style = ctx.font(AXIS_TITLE_SIZE, INK);
    let fits = |t: &str| {
        area.estimate_text_size(t, &title_style)
            .is_ok_and(|(w, _)| w as i32 <= plot_height)
    };
    let unit = y
        .title
        .rsplit_once(" (")
        .map(|(_, u)| u.trim_end_matches(')'));
    let y_title = match unit {
        _ if fits(y.title) => y.title,
        Some(u) if fits(u) => u,
        _ => "",
    };
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh, ctx);
    mesh.x_label_formatter(&x_format)
        .y_labels(y_ticks)
        .y_label_formatter(&y_format)
        .y_desc(y_title);
    if matches!(y.format, ValueFormat::Hidden) {
        mesh.disable_y_mesh()
            .set_tick_mark_size(LabelAreaPosition::Left, 0);
    }
    if x_labels {
        mesh.x_desc(if ticks.yearly() { "Year" } else { "Month" });
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
pub(crate) fn style_mesh<DB: Backend, X: Ranged, Y: Ranged>(
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

/// A round step (1, 2 or 5 times a power of ten) giving about `want` ticks over `span`,
/// for a hand-drawn [`value_grid`].
pub(crate) fn tick_step(span: f64, want: f64) -> f64 {
    let raw = (span / want).max(1e-12);
    let mag = math::pow(10f64, math::log10(raw).floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

/// Round tick positions over `lo..hi`, at most `max` of them, in steps of 1, 2, 2.5 or
/// 5 times a power of ten; with `cover`, the last tick is at or above `hi` (an axis that
/// ends on a tick above its tallest value).
pub(crate) fn nice_ticks(lo: f64, hi: f64, max: usize, cover: bool) -> Vec<f64> {
    let max = max.max(2);
    let span = (hi - lo).abs().max(1e-12);
    let raw = span / max as f64;
    let mag = math::pow(10f64, math::log10(raw).floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| (span / s).ceil() <= max as f64)
        .unwrap_or(span);
    let first = (lo / step).ceil() as i64;
    let last = if cover {
        (hi / step - 1e-9).ceil() as i64
    } else {
        (hi / step + 1e-9).floor() as i64
    };
    (first..=last.max(first)).map(|k| k as f64 * step).collect()
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
