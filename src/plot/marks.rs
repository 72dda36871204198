//! Marks that several charts draw: median lines over percentile bands, broken lines,
//! and grouped histograms.

use plotters::prelude::*;

use super::axes::{
    TICK_SIZE, Ticked, TimeChart, ValueAxis, ValueFormat, X_LABEL_AREA, Y_LABEL_AREA, style_mesh,
    time_chart, value_range,
};
use super::frame::{Area, Backend, Ctx, DrawResult, INNER_ALPHA, LegendItem, Swatch};
use super::theme::{INK, NEUTRAL_DARK, NEUTRAL_LIGHT};
use crate::numbers::{percent, thousands};
use crate::schema::Band;

/// How band charts are read; charts put it in their subtitle.
pub(crate) const BAND_NOTE: &str =
    "Lines: median run; shaded: middle 50% of runs; dashed: 5th and 95th percentiles.";

/// A time chart of shares (0-100%) drawn as bands: the y axis spans 0 to the highest
/// 95th percentile.
pub(crate) fn share_bands<DB: Backend>(
    plot: &Area<DB>,
    ctx: &Ctx<'_>,
    title: &str,
    series: &[(&[Band], RGBColor)],
) -> DrawResult {
    let values = series
        .iter()
        .flat_map(|(points, _)| points.iter().flat_map(|p| [p.p5, p.p95]));
    let range = value_range(values.chain([0.0]), 0.0..1.0);
    let axis = ValueAxis {
        range,
        title,
        format: ValueFormat::Percent,
    };
    let mut chart = time_chart(plot, ctx, axis, true)?;
    draw_bands(&mut chart, ctx, series)
}

/// Draws series as median lines over translucent p25-p75 bands, with the p5 and p95
/// percentiles as thin dashed lines (filled outer bands of several series turn to mud).
/// All bands go first so no series' band covers another's median. Months without
/// numbers break lines and bands rather than bridging them.
pub(crate) fn draw_bands<DB: Backend>(
    chart: &mut TimeChart<'_, DB>,
    ctx: &Ctx<'_>,
    series: &[(&[Band], RGBColor)],
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
        for pick in [|p: &Band| p.p5, |p: &Band| p.p95] {
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
    points: &[Band],
    bounds: impl Fn(&Band) -> (f64, f64),
    color: RGBAColor,
) -> Polygon<(f64, f64)> {
    let upper = points.iter().map(|p| (p.month as f64, bounds(p).1));
    let lower = points.iter().rev().map(|p| (p.month as f64, bounds(p).0));
    Polygon::new(upper.chain(lower).collect::<Vec<_>>(), color.filled())
}

/// The two kinds of lead that the histograms of lead changes and of spells compare, as
/// labelled and coloured (neutral, not lab colours).
const LEAD_KINDS: [(&str, RGBColor); 2] = [
    ("Best model (quality lead)", NEUTRAL_DARK),
    ("Most customers (market lead)", NEUTRAL_LIGHT),
];

/// The legend of a histogram of both kinds of lead.
pub(crate) fn lead_kinds_legend() -> Vec<LegendItem> {
    LEAD_KINDS
        .iter()
        .map(|&(label, color)| LegendItem::new(label, Swatch::Block(color)))
        .collect()
}

/// The bars of both kinds of lead, from their (bin, share) pairs: quality, then market.
pub(crate) fn lead_kinds_bars(shares: &[Vec<(u64, f64)>; 2]) -> Vec<Bars> {
    LEAD_KINDS
        .iter()
        .zip(shares)
        .map(|(&(_, color), shares)| Bars {
            color,
            shares: shares.clone(),
        })
        .collect()
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
