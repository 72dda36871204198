//! `phase`: the chart of a two-parameter sweep, drawn from its saved `summary.json` and
//! `sweep.csv`: a heatmap of one measure (mean over a cell's runs) in viridis
//! (colour-blind-safe, monotone in lightness, so it also reads in grey), with a colour
//! bar, black lines along the cell edges where the regime verdict changes, and each
//! regime's name written inside its region. Geometric (`--log`) axes are drawn on a log
//! scale.

use plotters::prelude::*;
use plotters::style::colors::colormaps::ViridisRGB;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::axes::{TICK_SIZE, Ticked, X_LABEL_AREA, Y_LABEL_AREA, style_mesh, ticked_chart};
use super::chart::Chart;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, wrap};
use super::marks::{Dash, Shape, Style};
use super::phase_title::{colour_clause, title};
use super::regions::{depths, regions};
use super::sweep::{
    SweepInput, axis_title, edges, linear, regime_color, tick_label, ticks, value_span,
};
use super::theme::{AXIS, GRID, INK, INK_SOFT};
use crate::experiment::sweep::Axis;

const REGION_LABEL_SIZE: f64 = 34.0;

pub(crate) struct Phase;

/// What the phase diagram shows, in axis coordinates.
pub(crate) struct PhaseData {
    x: Axis,
    y: Axis,
    title: String,
    subtitle: String,
    /// The measure's label and unit, for the colour bar.
    label: String,
    unit: String,
    /// The colour range.
    lo: f64,
    hi: f64,
    /// Whether the measure is a share, labelled in percent.
    share: bool,
    /// Cell edges along x and y.
    xe: Vec<f64>,
    ye: Vec<f64>,
    /// Per cell `(i, j)` at `i * ny + j`: the measure's mean, NaN where there is none.
    means: Vec<f64>,
    /// Cell edges between neighbours of different verdicts.
    boundaries: Vec<[(f64, f64); 2]>,
    /// Per region of a fair size, largest first: its verdict and the cells to name it in
    /// (the deepest, and for a sprawling region a second one far from the first).
    labels: Vec<(String, Vec<(usize, usize)>)>,
    /// Cells judged MIXED, hatched.
    mixed: Vec<(usize, usize)>,
    /// Cells whose verdict is uncertain, `(i, j)`: marked with a dot.
    unsure: Vec<(usize, usize)>,
    /// Per cell, as `means`: an effect whose 95% interval holds zero, drawn pale.
    unclear: Vec<bool>,
}

impl Chart for Phase {
    const NAME: &'static str = "phase";
    const READ: &'static str = "Each cell is one combination of the two parameters, simulated \
        many times with the same random numbers; its colour is the measure, and the outlined \
        regions are the verdict (hatched: MIXED). Read across a boundary to see which change \
        turns a run into a race.";
    type Input = SweepInput;
    type Data = PhaseData;

    fn applies(input: &SweepInput) -> bool {
        input.axes().len() == 2
    }

    fn data(input: &SweepInput) -> Result<PhaseData, PlotError> {
        let (xa, ya) = (&input.axes()[0], &input.axes()[1]);
        let (label, unit, fixed) = input.measure_meta();
        let finite = || {
            input
                .values
                .values()
                .map(|v| v[0])
                .filter(|v| v.is_finite())
        };
        let (lo, hi) = {
            let lo = finite().fold(f64::INFINITY, f64::min);
            let hi = finite().fold(f64::NEG_INFINITY, f64::max);
            match fixed {
                // A share: the data's span rounded out to tens of percent, within 0-100%.
                Some((a, b)) if lo.is_finite() => (
                    ((lo * 10.0).floor() / 10.0).max(a),
                    ((hi * 10.0).ceil() / 10.0)
                        .min(b)
                        .max((lo * 10.0).floor() / 10.0 + 0.1),
                ),
                Some(bounds) => bounds,
                None if lo.is_finite() && hi > lo => (lo, hi),
                None => (lo.min(0.0), lo.max(0.0) + 1.0),
            }
        };
        let (xe, ye) = (edges(xa), edges(ya));
        let (nx, ny) = (xa.values.len(), ya.values.len());
        let cell = |i: usize, j: usize| (i * ny + j) as u64;
        let means: Vec<f64> = (0..nx * ny)
            .map(|k| input.values.get(&(k as u64)).map_or(f64::NAN, |s| s[0]))
            .collect();
        // Only an effect has an interval; NaN ends compare false.
        let unclear: Vec<bool> = (0..nx * ny)
            .map(|k| {
                input
                    .values
                    .get(&(k as u64))
                    .is_some_and(|s| s[4] <= 0.0 && 0.0 <= s[5])
            })
            .collect();
        let pale = unclear.iter().filter(|&&u| u).count();
        let regimes = input.regimes();
        let regime = |i: usize, j: usize| regimes.get(&cell(i, j)).copied().unwrap_or("");
        let mut boundaries = Vec::new();
        for i in 0..nx {
            for j in 0..ny {
                if i + 1 < nx && regime(i, j) != regime(i + 1, j) {
                    boundaries.push([(xe[i + 1], ye[j]), (xe[i + 1], ye[j + 1])]);
                }
                if j + 1 < ny && regime(i, j) != regime(i, j + 1) {
                    boundaries.push([(xe[i], ye[j + 1]), (xe[i + 1], ye[j + 1])]);
                }
            }
        }
        let min_size = (nx * ny / 40).max(3);
        let depth = depths(nx, ny, &regime);
        let mut labels = Vec::new();
        for region in regions(nx, ny, &regime) {
            let name = regime(region[0].0, region[0].1);
            if region.len() < min_size || name.is_empty() {
                continue;
            }
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
            labels.push((
                name.to_string(),
                std::iter::once(first).chain(second).collect(),
            ));
        }
        let mixed = (0..nx)
            .flat_map(|i| (0..ny).map(move |j| (i, j)))
            .filter(|&(i, j)| regime(i, j) == "mixed")
            .collect();
        let uncertain = input.uncertain();
        let counts = super::sweep::regime_counts(&regimes, &uncertain);
        let unsure = (0..nx)
            .flat_map(|i| (0..ny).map(move |j| (i, j)))
            .filter(|&(i, j)| uncertain.contains(&cell(i, j)))
            .collect();
        Ok(PhaseData {
            title: match colour_clause(input, &means, &unclear, ny) {
                Some(clause) => format!("{}; {clause}", title(input.axes(), &regimes)),
                None => title(input.axes(), &regimes),
            },
            subtitle: format!(
                "Each cell: {} simulations with the same random numbers (common random \
                 numbers). Colour: {} (mean over simulations). Black lines: where the verdict \
                 changes; hatched: MIXED; dot: an uncertain verdict.{} The verdict also asks whether the month-12 leader \
                 keeps the lead and the gap grows, so cells of one colour can fall in different \
                 regions. {counts}",
                input.sweep.header.runs,
                label.to_lowercase(),
                if pale > 0 {
                    format!(
                        " Pale: the effect's 95% interval holds zero ({pale} of {} cells).",
                        nx * ny
                    )
                } else {
                    String::new()
                }
            ),
            x: xa.clone(),
            y: ya.clone(),
            label,
            unit,
            lo,
            hi,
            share: fixed.is_some_and(|(a, b)| a == 0.0 && b == 1.0),
            xe,
            ye,
            means,
            boundaries,
            labels,
            mixed,
            unsure,
            unclear,
        })
    }

    fn frame(d: &PhaseData, _ctx: &Ctx<'_>) -> Frame {
        let mut legend = vec![LegendItem::new(
            "Boundary between verdicts",
            Swatch::Line(
                INK,
                Style {
                    dash: Dash::Solid,
                    shape: None,
                },
            ),
        )];
        if !d.unsure.is_empty() {
            legend.push(LegendItem::new(
                "Uncertain verdict",
                Swatch::Marker(INK, Shape::Circle),
            ));
        }
        if d.unclear.contains(&true) {
            legend.push(LegendItem::new(
                "Pale: effect within sampling error of zero",
                Swatch::Block(super::theme::tint(viridis(0.6), 0.7)),
            ));
        }
        Frame::new(d.title.clone(), d.subtitle.clone(), legend)
    }

    fn plot<DB: Backend>(d: &PhaseData, area: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let (w, hgt) = area.dim_in_pixel();
        let bar_width = ctx.px(230.0);
        let main = area
            .clone()
            .shrink((0, 0), (w as i32 - bar_width, hgt as i32));
        let bar = area
            .clone()
            .shrink((w as i32 - bar_width, 0), (bar_width, hgt as i32));
        let (xa, ya) = (&d.x, &d.y);
        let (xe, ye) = (&d.xe, &d.ye);
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
        let mut chart = ticked_chart(
            &main,
            ctx,
            Ticked::new(x0..x1, xt),
            Ticked::new(y0..y1, yt),
            (8.0, 20.0),
        )?;
        let xf = |t: &f64| tick_label(xa, *t);
        let yf = |t: &f64| tick_label(ya, *t);
        let (xtitle, ytitle) = (axis_title(xa), axis_title(ya));
        let mut mesh = chart.configure_mesh();
        style_mesh(&mut mesh, ctx);
        mesh.disable_mesh()
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .x_desc(xtitle.as_str())
            .y_desc(ytitle.as_str())
            .draw()?;

        let ny = ya.values.len();
        let norm = |v: f64| (v - d.lo) / (d.hi - d.lo);
        chart.draw_series(d.means.iter().enumerate().map(|(k, &v)| {
            let (i, j) = (k / ny, k % ny);
            let color = match (v.is_finite(), d.unclear[k]) {
                (true, false) => viridis(norm(v)),
                // Toward white: read the colour, but not as an effect.
                (true, true) => super::theme::tint(viridis(norm(v)), 0.7),
                (false, _) => GRID,
            };
            Rectangle::new([(xe[i], ye[j]), (xe[i + 1], ye[j + 1])], color.filled())
        }))?;

        // MIXED cells hatched with thin white diagonals, so they differ from RACE and RUN
        // cells of the same colour.
        let plot_area = chart.plotting_area().strip_coord_spec();
        let base = plot_area.get_base_pixel();
        let step = ctx.px(14.0);
        for &(i, j) in &d.mixed {
            let (ax, ay) = chart.backend_coord(&(xe[i], ye[j + 1]));
            let (bx, by) = chart.backend_coord(&(xe[i + 1], ye[j]));
            let (x0, y0, x1, y1) = (ax - base.0, ay - base.1, bx - base.0, by - base.1);
            let (w, h) = (x1 - x0, y1 - y0);
            let mut t = -h;
            while t < w {
                let (u0, u1) = ((-t).max(0), h.min(w - t));
                if u0 < u1 {
                    plot_area.draw(&PathElement::new(
                        vec![(x0 + t + u0, y1 - u0), (x0 + t + u1, y1 - u1)],
                        WHITE.mix(0.55).stroke_width(ctx.px(2.0) as u32),
                    ))?;
                }
                t += step;
            }
        }

        // Uncertain verdicts: a dark dot ringed in white at the cell's centre.
        let radius = ctx.px(4.0).max(2);
        for &(i, j) in &d.unsure {
            let centre = ((xe[i] + xe[i + 1]) / 2.0, (ye[j] + ye[j + 1]) / 2.0);
            let (px, py) = chart.backend_coord(&centre);
            let at = (px - base.0, py - base.1);
            plot_area.draw(&Circle::new(at, radius + ctx.px(1.5), WHITE.filled()))?;
            plot_area.draw(&Circle::new(at, radius, INK.filled()))?;
        }

        // Boundaries over a white halo, so they show on dark and light cells alike.
        for (color, width) in [(WHITE, 7.0), (INK, 3.5)] {
            chart.draw_series(
                d.boundaries.iter().map(|s| {
                    PathElement::new(s.to_vec(), color.stroke_width(ctx.px(width) as u32))
                }),
            )?;
        }

        // Each region's verdict in its chosen cells; labels never overlap one another.
        let label_style = ctx
            .font(REGION_LABEL_SIZE, INK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let (rx, ry) = chart.plotting_area().get_pixel_range();
        let root = chart.plotting_area().strip_coord_spec();
        let shift = root.get_base_pixel();
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (name, cells) in &d.labels {
            for &(i, j) in cells {
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
                let corners = [
                    (rect.0 - shift.0, rect.1 - shift.1),
                    (rect.2 - shift.0, rect.3 - shift.1),
                ];
                root.draw(&Rectangle::new(corners, WHITE.mix(0.88).filled()))?;
                root.draw(&Rectangle::new(
                    corners,
                    color.stroke_width(ctx.px(2.5) as u32),
                ))?;
                root.draw_text(
                    &text,
                    &label_style.color(&ink),
                    (cx - shift.0, cy - shift.1),
                )?;
            }
        }

        colour_bar(&bar, ctx, d, plot_h)
    }
}

/// Viridis from plotters, at `t` in 0-1.
fn viridis(t: f64) -> RGBColor {
    ViridisRGB::get_color(if t.is_finite() { t } else { 0.0 })
}

/// The colour bar in the column right of the plot: the measure's label and unit above,
/// ticks at round values (percentages for a share).
fn colour_bar<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    d: &PhaseData,
    plot_h: i32,
) -> DrawResult {
    let (lo, hi) = (d.lo, d.hi);
    let top = ctx.px(8.0) + ctx.px(96.0);
    let bottom = ctx.px(8.0) + plot_h;
    let left = ctx.px(30.0);
    let width = ctx.px(34.0);
    let title = ctx.font(19.0, INK).pos(Pos::new(HPos::Left, VPos::Top));
    // The bar's title, wrapped into the column above it.
    let max_w = area.dim_in_pixel().0 as i32 - left;
    let mut y = ctx.px(8.0);
    let lines = wrap(area, &d.label, &title, max_w)?;
    let unit_style = ctx
        .font(17.0, INK_SOFT)
        .pos(Pos::new(HPos::Left, VPos::Top));
    let unit_lines = wrap(area, &d.unit, &unit_style, max_w)?;
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
    let fake = linear(lo, hi);
    let max_ticks = ((bottom - top) / ctx.px(TICK_SIZE * 2.6)).clamp(2, 8) as usize;
    for t in ticks(&fake, lo, hi, max_ticks) {
        let y = bottom - ((t - lo) / (hi - lo) * (bottom - top) as f64).round() as i32;
        area.draw(&PathElement::new(
            vec![(left + width, y), (left + width + ctx.px(6.0), y)],
            AXIS.stroke_width(ctx.px(1.5) as u32),
        ))?;
        let text = if d.share {
            format!("{}%", (t * 100.0).round())
        } else {
            tick_label(&fake, t)
        };
        area.draw_text(&text, &tick_style, (left + width + ctx.px(10.0), y))?;
    }
    Ok(())
}
