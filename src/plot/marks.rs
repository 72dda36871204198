//! Marks that several charts draw: line styles and markers (so that no line is told
//! apart by colour alone), median lines over percentile bands, and histograms.

use std::ops::Range;

use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

use super::axes::{
    TICK_SIZE, Ticked, TimeChart, ValueAxis, ValueFormat, X_LABEL_AREA, nice_ticks, style_mesh,
    ticked_chart, time_chart, value_range,
};
use super::frame::{Area, Backend, Ctx, DrawResult, INNER_ALPHA, LegendItem, Swatch};
use super::theme::{INK, PAIR_A, PAIR_C};
use crate::numbers::percent;
use crate::schema::Band;

/// How band charts are read when several series share a plot.
pub(crate) const BAND_NOTE: &str = "Lines: each month's median across simulations; shaded: the middle half of simulations \
     (25th-75th percentile).";
/// How a band chart of one series is read.
pub(crate) const BAND_NOTE_ONE: &str = "Line: each month's median across simulations; dark \
     shading: the middle half of simulations; light shading: 90% of them (5th-95th percentile).";

/// How a line is drawn besides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// A marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Triangle,
    Square,
    Diamond,
}

/// A line's dash pattern and the marker it carries every so often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    pub(crate) dash: Dash,
    pub(crate) shape: Option<Shape>,
}

impl Style {
    pub(crate) const SOLID: Style = Style {
        dash: Dash::Solid,
        shape: None,
    };

    /// The `i`th style of a set of lines: dash patterns and shapes cycle out of step, so
    /// twelve lines are all told apart without colour.
    pub(crate) fn nth(i: usize) -> Style {
        const DASHES: [Dash; 3] = [Dash::Solid, Dash::Dashed, Dash::Dotted];
        const SHAPES: [Shape; 4] = [
            Shape::Circle,
            Shape::Triangle,
            Shape::Square,
            Shape::Diamond,
        ];
        Style {
            dash: DASHES[i % 3],
            shape: Some(SHAPES[i % 4]),
        }
    }
}

/// The dash and gap lengths of a pattern, in pixels.
fn pattern(ctx: &Ctx<'_>, dash: Dash) -> Option<(i32, i32)> {
    match dash {
        Dash::Solid => None,
        Dash::Dashed => Some((ctx.px(14.0), ctx.px(8.0))),
        Dash::Dotted => Some((ctx.px(3.0), ctx.px(6.0))),
    }
}

/// A straight line in pixel coordinates of `area`, in a dash pattern.
pub(crate) fn dashed_segment<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
    dash: Dash,
) -> DrawResult {
    let style = color.stroke_width(ctx.line_width());
    match pattern(ctx, dash) {
        None => area.draw(&PathElement::new(vec![a, b], style))?,
        Some((on, off)) => area.draw(&plotters::element::DashedPathElement::new(
            vec![a, b],
            on,
            off,
            style,
        ))?,
    }
    Ok(())
}

/// A filled marker with a white outline centred at `(x, y)` pixels of `area`.
pub(crate) fn draw_marker<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    (x, y): (i32, i32),
    shape: Shape,
    color: RGBColor,
) -> DrawResult {
    let r = ctx.px(8.0);
    let outline = WHITE.stroke_width(ctx.px(1.5) as u32);
    let points: Vec<(i32, i32)> = match shape {
        Shape::Circle => {
            area.draw(&Circle::new((x, y), r, color.filled()))?;
            area.draw(&Circle::new((x, y), r, outline))?;
            return Ok(());
        }
        Shape::Triangle => vec![
            (x, y - r - 1),
            (x + r + 1, y + r - 1),
            (x - r - 1, y + r - 1),
        ],
        Shape::Square => {
            let s = r * 4 / 5;
            vec![
                (x - s, y - s),
                (x + s, y - s),
                (x + s, y + s),
                (x - s, y + s),
            ]
        }
        Shape::Diamond => vec![
            (x, y - r - 1),
            (x + r + 1, y),
            (x, y + r + 1),
            (x - r - 1, y),
        ],
    };
    area.draw(&Polygon::new(points.clone(), color.filled()))?;
    let mut closed = points.clone();
    closed.push(points[0]);
    area.draw(&PathElement::new(closed, outline))?;
    Ok(())
}

/// Draws a line through the finite points of `points` in `style`, broken where values
/// are missing, with the style's marker at a few evenly spaced points (`offset` in 0-1
/// shifts them so markers of several lines do not sit on one another).
pub(crate) fn draw_styled<DB: Backend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    ctx: &Ctx<'_>,
    points: &[(f64, f64)],
    color: RGBColor,
    style: Style,
    offset: f64,
) -> DrawResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let stroke = color.stroke_width(ctx.line_width());
    for run in finite_runs(points, |&(x, y)| [x, y]) {
        match pattern(ctx, style.dash) {
            None => {
                chart.draw_series(std::iter::once(PathElement::new(run.to_vec(), stroke)))?;
            }
            Some((on, off)) => {
                chart.draw_series(DashedLineSeries::new(run.iter().copied(), on, off, stroke))?;
            }
        }
    }
    let Some(shape) = style.shape else {
        return Ok(());
    };
    let finite: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if finite.is_empty() {
        return Ok(());
    }
    const MARKERS: usize = 6;
    let area = chart.plotting_area().strip_coord_spec();
    let base = area.get_base_pixel();
    for k in 0..MARKERS {
        let t = (k as f64 + 0.25 + 0.5 * offset.fract()) / MARKERS as f64;
        let i = ((finite.len() - 1) as f64 * t).round() as usize;
        let (px, py) = chart.backend_coord(&finite[i]);
        draw_marker(&area, ctx, (px - base.0, py - base.1), shape, color)?;
    }
    Ok(())
}

/// A time chart of shares (percent) drawn as bands, the y axis fitted to the data (the
/// middle half of simulations, and the 5th-95th percentile when one series is shown),
/// and `top`'s median as a line in ink, without a band (none when empty).
pub(crate) fn share_bands<DB: Backend>(
    plot: &Area<DB>,
    ctx: &Ctx<'_>,
    title: &str,
    series: &[(&[Band], RGBColor, Style)],
    top: &[Band],
) -> DrawResult {
    let outer = series.len() == 1;
    let values = series.iter().flat_map(|(points, _, _)| {
        points.iter().flat_map(move |p| {
            if outer {
                [p.p5, p.p95, p.p50]
            } else {
                [p.p25, p.p75, p.p50]
            }
        })
    });
    let values = values.chain(top.iter().map(|p| p.p50));
    let axis = ValueAxis {
        range: at_least(value_range(values, 0.0..1.0), MIN_SHARE_SPAN, 0.0..1.0),
        title,
        format: ValueFormat::Percent,
    };
    let mut chart = time_chart(plot, ctx, axis, true)?;
    draw_bands(&mut chart, ctx, series)?;
    for run in finite_runs(top, |p| [p.p50]) {
        let line: Vec<(f64, f64)> = run.iter().map(|p| (p.month as f64, p.p50)).collect();
        draw_styled(&mut chart, ctx, &line, INK, Style::SOLID, 0.0)?;
    }
    Ok(())
}

/// The least span of a share axis: 10 percentage points, so that shares within a point
/// of each other do not fill the plot as if they were far apart.
const MIN_SHARE_SPAN: f64 = 0.10;

/// `range` widened about its middle to at least `span`, moved inside `bounds` where it
/// would cross them.
fn at_least(range: Range<f64>, span: f64, bounds: Range<f64>) -> Range<f64> {
    if range.end - range.start >= span {
        return range;
    }
    let mid = 0.5 * (range.start + range.end);
    let start = (mid - 0.5 * span).clamp(bounds.start, (bounds.end - span).max(bounds.start));
    start..(start + span).min(bounds.end)
}

/// Draws series as median lines over translucent p25-p75 bands (and, for a single
/// series, a lighter p5-p95 band). All bands go first so no series' band covers
/// another's median. Months without numbers break lines and bands rather than bridging.
pub(crate) fn draw_bands<DB: Backend>(
    chart: &mut TimeChart<'_, DB>,
    ctx: &Ctx<'_>,
    series: &[(&[Band], RGBColor, Style)],
) -> DrawResult {
    if let [(points, color, _)] = series {
        for run in finite_runs(points, |p| [p.p5, p.p95]) {
            chart.draw_series(std::iter::once(band_polygon(
                run,
                |p| (p.p5, p.p95),
                color.mix(INNER_ALPHA * 0.5),
            )))?;
        }
    }
    for &(points, color, _) in series {
        for run in finite_runs(points, |p| [p.p25, p.p75]) {
            chart.draw_series(std::iter::once(band_polygon(
                run,
                |p| (p.p25, p.p75),
                color.mix(INNER_ALPHA),
            )))?;
        }
    }
    for (i, &(points, color, style)) in series.iter().enumerate() {
        let line: Vec<(f64, f64)> = points.iter().map(|p| (p.month as f64, p.p50)).collect();
        draw_styled(
            chart,
            ctx,
            &line,
            color,
            style,
            i as f64 / series.len() as f64,
        )?;
    }
    Ok(())
}

/// Maximal slices whose items have all-finite `values`.
pub(crate) fn finite_runs<T, const N: usize>(
    items: &[T],
    values: impl Fn(&T) -> [f64; N],
) -> Vec<&[T]> {
    items
        .split(|item| values(item).iter().any(|v| !v.is_finite()))
        .filter(|run| !run.is_empty())
        .collect()
}

fn band_polygon(
    points: &[Band],
    bounds: impl Fn(&Band) -> (f64, f64),
    color: RGBAColor,
) -> Polygon<(f64, f64)> {
    let upper = points.iter().map(|p| (p.month as f64, bounds(p).1));
    let lower = points.iter().rev().map(|p| (p.month as f64, bounds(p).0));
    Polygon::new(upper.chain(lower).collect::<Vec<_>>(), color.filled())
}

/// The two kinds of lead that the histograms of lead changes and of spells compare, as
/// labelled and coloured (a colour-blind-safe pair that is not a lab's).
pub(crate) const LEAD_KINDS: [(&str, RGBColor); 2] = [
    ("Best model (quality lead)", PAIR_A),
    ("Most customers (market lead)", PAIR_C),
];

/// The legend of a histogram of both kinds of lead.
pub(crate) fn lead_kinds_legend() -> Vec<LegendItem> {
    LEAD_KINDS
        .iter()
        .map(|&(label, color)| LegendItem::new(label, Swatch::Block(color)))
        .collect()
}

/// One series of a histogram: a share per bin, bins given by their lower edge.
pub(crate) struct Bars {
    pub(crate) color: RGBColor,
    /// (lower edge of the bin, share of the total) pairs.
    pub(crate) shares: Vec<(f64, f64)>,
}

/// The bars of both kinds of lead, from their (bin, share) pairs: quality, then market.
pub(crate) fn lead_kinds_bars(shares: &[Vec<(f64, f64)>; 2]) -> Vec<Bars> {
    LEAD_KINDS
        .iter()
        .zip(shares)
        .map(|(&(_, color), shares)| Bars {
            color,
            shares: shares.clone(),
        })
        .collect()
}

/// The bins of a histogram: where the x axis starts and ends, how wide a bin is, where
/// the ticks go and how they read.
pub(crate) struct Bins {
    pub(crate) range: (f64, f64),
    pub(crate) width: f64,
    pub(crate) ticks: Vec<f64>,
    /// A tick's label from its position.
    pub(crate) label: fn(f64) -> String,
}

/// Draws bins side by side, one bar per series in each bin, y as share of the total;
/// the y axis ends on a tick above the tallest bar.
pub(crate) fn histogram<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    series: &[Bars],
    bins: &Bins,
    titles: (&str, &str),
) -> DrawResult {
    let y_top = series
        .iter()
        .flat_map(|s| s.shares.iter().map(|&(_, v)| v))
        .fold(0.0_f64, f64::max)
        .max(0.01);
    let plot_height = area.dim_in_pixel().1 as i32 - ctx.px(X_LABEL_AREA);
    let max_ticks = (plot_height / ctx.px(TICK_SIZE * 3.2)).clamp(3, 8) as usize;
    let y_ticks = nice_ticks(0.0, y_top, max_ticks, true);
    let y_max = y_ticks.last().copied().unwrap_or(1.0).max(y_top);

    let (x0, x1) = bins.range;
    let mut chart = ticked_chart(
        area,
        ctx,
        Ticked::new(x0..x1, bins.ticks.clone()),
        Ticked::new(0.0..y_max, y_ticks),
        (24.0, 30.0),
    )?;
    let x_format = |v: &f64| (bins.label)(*v);
    let y_format = |v: &f64| percent(*v);
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh, ctx);
    mesh.disable_x_mesh()
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(titles.0)
        .y_desc(titles.1)
        .draw()?;

    let group = 0.84 * bins.width;
    let width = group / series.len().max(1) as f64;
    for (i, s) in series.iter().enumerate() {
        let offset = (bins.width - group) / 2.0 + i as f64 * width;
        chart.draw_series(s.shares.iter().filter(|(_, v)| *v > 0.0).map(|&(lo, v)| {
            let x = lo + offset;
            Rectangle::new([(x, 0.0), (x + width, v)], s.color.filled())
        }))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_share_axis_is_widened_about_its_middle_within_bounds() {
        let r = at_least(0.315..0.348, 0.10, 0.0..1.0);
        assert!((r.end - r.start - 0.10).abs() < 1e-12);
        assert!((0.5 * (r.start + r.end) - 0.3315).abs() < 1e-12);
        // Near a bound the span moves inside rather than crossing it.
        let r = at_least(0.0..0.02, 0.10, 0.0..1.0);
        assert_eq!(r, 0.0..0.10);
        let r = at_least(0.97..0.99, 0.10, 0.0..1.0);
        assert!((r.start - 0.90).abs() < 1e-12 && r.end == 1.0);
        // A wide range is left alone.
        assert_eq!(at_least(0.2..0.6, 0.10, 0.0..1.0), 0.2..0.6);
    }
}
