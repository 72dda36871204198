//! `sweep`: the chart of a one-parameter sweep: the measure's median with its p10-p90
//! band against the swept value, over a backdrop shaded by the verdict. A geometric
//! (`--log`) axis is drawn on a log scale.

use plotters::prelude::*;

use super::PlotError;
use super::axes::{TICK_SIZE, Ticked, X_LABEL_AREA, Y_LABEL_AREA, style_mesh, ticked_chart};
use super::chart::Chart;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::marks::{Shape, Style, draw_marker};
use super::sweep::{
    SweepInput, axis_title, coord, edges, fixed_share, linear, regime_color, short_name,
    tick_label, ticks, value_span,
};
use super::theme::{INK, tint};
use crate::experiment::sweep::Axis;
use crate::metrics::Regime;

pub(crate) struct SweepLine;

/// The measures whose mean over simulations the verdict's thresholds test.
const TESTED_MEANS: [&str; 3] = [
    "persistence_norm_quality",
    "early_keeps_quality",
    "gap_growth",
];

/// The verdict's thresholds on `measure`'s mean, with what each is for, drawn as dashed
/// lines: where the diamonds cross them the verdict can turn (a race needs all three of
/// its tests and a run both of its own, so crossing one is not enough).
fn thresholds(measure: &str) -> Vec<(f64, String)> {
    use crate::metrics::{RACE_EARLY_KEEPS, RACE_GAP_GROWTH, RACE_PERSISTENCE, RUN_PERSISTENCE};
    let race = "a race needs";
    match measure {
        "persistence_norm_quality" => vec![
            (
                RUN_PERSISTENCE,
                format!("a run needs at most {RUN_PERSISTENCE:.2}, and one more test"),
            ),
            (
                RACE_PERSISTENCE,
                format!("{race} at least {RACE_PERSISTENCE:.2}, and two more tests"),
            ),
        ],
        "early_keeps_quality" => vec![(
            RACE_EARLY_KEEPS,
            format!("{race} at least {RACE_EARLY_KEEPS:.2}, and two more tests"),
        )],
        "gap_growth" => vec![(
            RACE_GAP_GROWTH,
            format!("{race} more than {RACE_GAP_GROWTH:.0} Elo, and two more tests"),
        )],
        _ => Vec::new(),
    }
}

/// The means' colour: a dark orange that stands apart from the black median on every
/// backdrop.
const MEAN: RGBColor = RGBColor(0xA6, 0x36, 0x03);

fn backdrop(regime: &str) -> RGBColor {
    tint(regime_color(regime), 0.75)
}

/// The verdict along the swept values: `RUN for self-improvement exponent κ up to 1;
/// MIXED from 1.25`. A sweep from a high START to a low END (`--vary PATH=2:0:9`) lists
/// its values falling, and says so: `RACE for κ down to 1.75; ...; RUN from 0.25 down`.
fn title(axis: &Axis, verdicts: &[String]) -> String {
    let falling = axis.values.last() < axis.values.first();
    let (up_to, from) = if falling {
        ("down to", " down")
    } else {
        ("up to", "")
    };
    let value = |i: usize| tick_label(&linear(0.0, 1.0), axis.values[i]);
    let mut runs: Vec<(String, usize, usize)> = Vec::new();
    for (i, v) in verdicts.iter().enumerate() {
        match runs.last_mut() {
            Some(last) if last.0 == *v => last.2 = i,
            _ => runs.push((v.clone(), i, i)),
        }
    }
    let name = super::story::mid_sentence(&short_name(axis));
    let last = verdicts.len().saturating_sub(1);
    let parts: Vec<String> = runs
        .iter()
        .map(|(v, a, b)| {
            let v = if v.is_empty() {
                "no verdict".to_string()
            } else {
                v.replace('_', " ").to_uppercase()
            };
            match (*a == 0, *b == last) {
                (true, true) => format!("{v} at every value of {name}"),
                (true, false) => format!("{v} for {name} {up_to} {}", value(*b)),
                (false, true) => format!("{v} from {}{from}", value(*a)),
                (false, false) => format!("{v} from {} to {}", value(*a), value(*b)),
            }
        })
        .collect();
    parts.join("; ")
}

/// With one verdict throughout, where the measure goes instead: `quality-lead changes per
/// year: 1.7 at 1k, 2.3 at 300k (median simulation)`; `None` when the verdict changes
/// (the title says where) or the median's ends print alike.
fn trend(
    axis: &Axis,
    stats: &[[f64; 6]],
    verdicts: &[String],
    label: &str,
    (lo, hi): (f64, f64),
) -> Option<String> {
    if !verdicts.windows(2).all(|w| w[0] == w[1]) {
        return None;
    }
    let medians: Vec<(f64, f64)> = axis
        .values
        .iter()
        .zip(stats)
        .map(|(&x, s)| (x, s[2]))
        .filter(|(_, v)| v.is_finite())
        .collect();
    let (&(x0, first), &(x1, last)) = (medians.first()?, medians.last()?);
    let f = |v: f64| value_label(v, (lo, hi));
    let x = |v: f64| tick_label(axis, coord(axis, v));
    (f(first) != f(last)).then(|| {
        format!(
            "{}: {} at {}, {} at {} (median simulation)",
            super::story::mid_sentence(label),
            f(first),
            x(x0),
            f(last),
            x(x1)
        )
    })
}

/// A value of the measure as the y axis writes it, on a range `lo..hi`: a share in whole
/// percent, else compact (`2.3`, `1.2k`).
fn value_label(v: f64, (lo, hi): (f64, f64)) -> String {
    if fixed_share(lo, hi) {
        format!("{}%", (v * 100.0).round())
    } else {
        tick_label(&linear(lo, hi), v)
    }
}

/// What the line chart shows.
pub(crate) struct LineData {
    x: Axis,
    title: String,
    subtitle: String,
    /// The y axis title.
    y_title: String,
    /// The value range.
    lo: f64,
    hi: f64,
    /// Per swept value: (mean, p10, p50, p90, and the mean's 95% interval of an effect),
    /// NaN where there is none.
    stats: Vec<[f64; 6]>,
    /// Whether the means have intervals (an effect's sweep), drawn as whiskers.
    intervals: bool,
    /// Per swept value: its verdict.
    regimes: Vec<String>,
    /// The verdict's thresholds on the mean, with their words ([`thresholds`]).
    thresholds: Vec<(f64, String)>,
}

impl Chart for SweepLine {
    const NAME: &'static str = "sweep";
    const READ: &'static str = "The line is the measure in the median simulation at each swept \
        value, its band the 10th to 90th percentile; the backdrop colour is the verdict at that \
        value, so a change of colour is where the parameter turns one regime into another.";
    type Input = SweepInput;
    type Data = LineData;

    fn applies(input: &SweepInput) -> bool {
        input.axes().len() == 1
    }

    fn data(input: &SweepInput) -> Result<LineData, PlotError> {
        let xa = &input.axes()[0];
        let (label, unit, fixed) = input.measure_meta();
        let stats: Vec<[f64; 6]> = (0..xa.values.len() as u64)
            .map(|c| input.values.get(&c).copied().unwrap_or([f64::NAN; 6]))
            .collect();
        let intervals = stats.iter().any(|s| s[4].is_finite() && s[5].is_finite());
        let lines = thresholds(&input.measure);
        let (lo, hi) = fixed.unwrap_or_else(|| {
            // The thresholds too, so that their lines are drawn.
            let all = stats
                .iter()
                .flat_map(|s| [s[0], s[1], s[3], s[4], s[5]])
                .chain(lines.iter().map(|(v, _)| *v))
                .filter(|v| v.is_finite());
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for v in all {
                lo = lo.min(v);
                hi = hi.max(v);
            }
            let pad = ((hi - lo) * 0.08).max(1e-6);
            (lo - pad, hi + pad)
        });
        let regimes = input.regimes();
        let verdicts: Vec<String> = (0..xa.values.len() as u64)
            .map(|i| regimes.get(&i).copied().unwrap_or("").to_string())
            .collect();
        let mut title = title(xa, &verdicts);
        let said = label.replace(" on: ", " on ");
        if let Some(trend) = trend(xa, &stats, &verdicts, &said, (lo, hi)) {
            title = format!("{title}; {trend}");
        }
        Ok(LineData {
            title,
            subtitle: format!(
                "{label} at each value of the {}. Each point: {} simulations with the same random \
                 numbers. Line: median simulation; shaded: 10th-90th percentile; diamonds: the \
                 mean over simulations{}. Backdrop: the verdict at that value.{}",
                super::story::mid_sentence(&short_name(xa)),
                input.sweep.header.runs,
                if TESTED_MEANS.contains(&input.measure.as_str()) {
                    ", which the verdict's thresholds (dashed) test"
                } else if intervals {
                    ", with whiskers for its 95% interval: where they cross zero, the effect \
                     is within sampling error of none"
                } else {
                    ""
                },
                if unit.len() > 20 {
                    format!(" Measured as {unit}.")
                } else {
                    String::new()
                }
            ),
            // A long unit goes to the subtitle; the rotated title must fit the plot's height.
            y_title: if unit.is_empty()
                || unit.len() > 20
                || label.to_lowercase().contains(&unit.to_lowercase())
            {
                label.clone()
            } else {
                format!("{label} ({unit})")
            },
            x: xa.clone(),
            lo,
            hi,
            stats,
            intervals,
            regimes: verdicts,
            thresholds: lines,
        })
    }

    fn frame(d: &LineData, _ctx: &Ctx<'_>) -> Frame {
        let mut legend = vec![
            LegendItem::new("Median simulation", Swatch::Line(INK, Style::SOLID)),
            LegendItem::new("Mean", Swatch::Marker(MEAN, Shape::Diamond)),
        ];
        if d.intervals {
            legend.push(LegendItem::new(
                "Mean's 95% interval",
                Swatch::Line(MEAN, Style::SOLID),
            ));
        }
        legend.extend([LegendItem::new(
            "10th-90th percentile",
            Swatch::Block(RGBColor(0xB0, 0xB0, 0xB0)),
        )]);
        // Only the verdicts that appear.
        for regime in Regime::ALL {
            if d.regimes.iter().any(|r| r == regime.name()) {
                legend.push(LegendItem::new(
                    format!("verdict {}", regime.label()),
                    Swatch::Block(backdrop(regime.name())),
                ));
            }
        }
        Frame::new(d.title.clone(), d.subtitle.clone(), legend)
    }

    fn plot<DB: Backend>(d: &LineData, area: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let xa = &d.x;
        let xe = edges(xa);
        let (x0, x1) = (xe[0], xe[xe.len() - 1]);
        let (lo, hi) = (d.lo, d.hi);
        let stats = &d.stats;
        let style = ctx.font(TICK_SIZE, INK);
        let plot_w = area.dim_in_pixel().0 as i32 - ctx.px(Y_LABEL_AREA + 30.0);
        let sample_w = area.estimate_text_size("200k", &style)?.0 as i32 + ctx.px(40.0);
        let xt = ticks(
            xa,
            value_span(xa).0,
            value_span(xa).1,
            (plot_w / sample_w.max(1)) as usize,
        );
        let fake = linear(lo, hi);
        let yt = ticks(&fake, lo, hi, 7);
        let mut chart = ticked_chart(
            area,
            ctx,
            Ticked::new(x0..x1, xt),
            Ticked::new(lo..hi, yt),
            (8.0, 30.0),
        )?;
        chart.draw_series(
            d.regimes
                .iter()
                .enumerate()
                .map(|(i, r)| Rectangle::new([(xe[i], lo), (xe[i + 1], hi)], backdrop(r).filled())),
        )?;
        let xf = |t: &f64| tick_label(xa, *t);
        let yf = |t: &f64| value_label(*t, (lo, hi));
        let xtitle = axis_title(xa);
        // The rotated title must fit the plot's height: shorten a long label.
        let plot_h = area.dim_in_pixel().1 as i32 - ctx.px(X_LABEL_AREA + 8.0);
        let title_style = ctx.font(super::axes::AXIS_TITLE_SIZE, INK);
        let mut y_title = d.y_title.clone();
        for cut in [" (", " of the "] {
            if area.estimate_text_size(&y_title, &title_style)?.0 as i32 <= plot_h {
                break;
            }
            if let Some((head, _)) = y_title.split_once(cut) {
                y_title = head.to_string();
            }
        }
        let mut mesh = chart.configure_mesh();
        style_mesh(&mut mesh, ctx);
        // White grid lines: the backdrop is tinted.
        mesh.bold_line_style(WHITE.mix(0.7).stroke_width(ctx.px(1.0) as u32))
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .x_desc(xtitle.as_str())
            .y_desc(y_title.as_str())
            .draw()?;
        let pts: Vec<(f64, [f64; 6])> = xa
            .values
            .iter()
            .zip(stats)
            .map(|(v, s)| (coord(xa, *v), *s))
            .filter(|(_, s)| s[..4].iter().all(|v| v.is_finite()))
            .collect();
        let upper = pts.iter().map(|(x, s)| (*x, s[3]));
        let lower = pts.iter().rev().map(|(x, s)| (*x, s[1]));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            RGBColor(0x60, 0x60, 0x60).mix(0.3).filled(),
        )))?;
        // The thresholds: thin dashed lines under the data, each labelled at its left end.
        for (value, words) in d.thresholds.iter().filter(|(v, _)| *v > lo && *v < hi) {
            chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
                vec![(x0, *value), (x1, *value)],
                ctx.px(8.0),
                ctx.px(6.0),
                INK.stroke_width(ctx.px(1.5) as u32),
            )))?;
            let (px, py) = chart.backend_coord(&(x0, *value));
            let base = chart.plotting_area().get_base_pixel();
            let at = (px - base.0 + ctx.px(8.0), py - base.1 - ctx.px(24.0));
            chart.plotting_area().strip_coord_spec().draw(&Text::new(
                words.clone(),
                at,
                style.clone(),
            ))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            pts.iter().map(|(x, s)| (*x, s[2])).collect::<Vec<_>>(),
            INK.stroke_width(ctx.line_width()),
        )))?;
        chart.draw_series(
            pts.iter()
                .map(|(x, s)| Circle::new((*x, s[2]), ctx.px(5.0), INK.filled())),
        )?;
        let plot = chart.plotting_area().strip_coord_spec();
        let base = plot.get_base_pixel();
        // The mean's interval: a whisker with caps, under its diamond.
        let whisker = MEAN.stroke_width(ctx.px(2.5) as u32);
        let cap = ctx.px(7.0);
        for (x, s) in pts
            .iter()
            .filter(|(_, s)| s[4].is_finite() && s[5].is_finite())
        {
            let (px, low) = chart.backend_coord(&(*x, s[4]));
            let (_, high) = chart.backend_coord(&(*x, s[5]));
            let px = px - base.0;
            let (low, high) = (low - base.1, high - base.1);
            plot.draw(&PathElement::new(vec![(px, low), (px, high)], whisker))?;
            for y in [low, high] {
                plot.draw(&PathElement::new(
                    vec![(px - cap, y), (px + cap, y)],
                    whisker,
                ))?;
            }
        }
        for (x, s) in &pts {
            let (px, py) = chart.backend_coord(&(*x, s[0]));
            draw_marker(&plot, ctx, (px - base.0, py - base.1), Shape::Diamond, MEAN)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(values: &[f64]) -> Axis {
        Axis {
            arg: String::new(),
            path: "world.dynamics.kappa".into(),
            generic: "world.dynamics.kappa".into(),
            unit: String::new(),
            log: false,
            values: values.to_vec(),
        }
    }

    fn verdicts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_title_follows_the_direction_of_the_sweep() {
        // The same sweep both ways: from 2 down to 0, RACE holds at 2, not up to it.
        let cases = [
            (
                [0.0, 0.5, 1.0, 1.5, 2.0],
                ["run", "run", "mixed", "mixed", "race"],
                ["RUN for ", " up to 0.5;"],
                "; MIXED from 1 to 1.5; RACE from 2",
            ),
            (
                [2.0, 1.5, 1.0, 0.5, 0.0],
                ["race", "mixed", "mixed", "run", "run"],
                ["RACE for ", " down to 2;"],
                "; MIXED from 1.5 to 1; RUN from 0.5 down",
            ),
        ];
        for (values, regimes, parts, end) in cases {
            let t = title(&axis(&values), &verdicts(&regimes));
            assert!(parts.iter().all(|p| t.contains(p)), "{t}");
            assert!(t.ends_with(end), "{t}");
        }
    }

    /// One verdict throughout: the title says where the median goes, with the swept
    /// values; a change of verdict, or ends that print alike, add nothing.
    #[test]
    fn a_single_verdict_names_the_measures_ends() {
        let stats = |medians: &[f64]| -> Vec<[f64; 6]> {
            medians
                .iter()
                .map(|&m| [m, m - 0.5, m, m + 0.5, f64::NAN, f64::NAN])
                .collect()
        };
        let x = axis(&[1000.0, 10_000.0, 300_000.0]);
        let label = "Quality-lead changes per year";
        let runs = verdicts(&["run", "run", "run"]);
        let said = trend(&x, &stats(&[1.7, 2.2, 2.3]), &runs, label, (1.0, 3.0));
        assert_eq!(
            said.as_deref(),
            Some("quality-lead changes per year: 1.7 at 1k, 2.3 at 300k (median simulation)")
        );
        let changed = verdicts(&["run", "mixed", "mixed"]);
        assert_eq!(
            trend(&x, &stats(&[1.7, 2.2, 2.3]), &changed, label, (1.0, 3.0)),
            None
        );
        assert_eq!(
            trend(&x, &stats(&[2.0, 2.2, 2.0]), &runs, label, (1.0, 3.0)),
            None
        );
    }
}
