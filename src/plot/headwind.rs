//! `headwind`: the quality leader's training share against the followers' (top, medians
//! and middle-half bands, the axis fitted to the data) and the headwind itself (bottom:
//! the followers' mean training share minus the leader's, in percentage points, with the
//! zero line). A leader that serves more trains less: the headwind, the chart's subject,
//! gets a panel of its own so that a fraction of a point still shows.

use plotters::prelude::*;

use super::PlotError;
use super::axes::{
    ValueAxis, ValueFormat, panel_title, stack, time_chart, value_range, x_label_area,
};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::marks::{BAND_NOTE, Style, draw_bands, draw_styled};
use super::theme::{AXIS, PAIR_A, PAIR_B};
use crate::schema::Band;

pub(crate) struct Headwind;

/// The lines drawn: world series, legend label, colour, style.
const LINES: [(&str, &str, RGBColor, Style); 2] = [
    (
        "leader_train",
        "Quality leader",
        PAIR_A,
        Style {
            dash: super::marks::Dash::Solid,
            shape: Some(super::marks::Shape::Circle),
        },
    ),
    (
        "followers_train",
        "Followers (mean of the other labs)",
        PAIR_B,
        Style {
            dash: super::marks::Dash::Dashed,
            shape: Some(super::marks::Shape::Triangle),
        },
    ),
];

/// The two series of [`LINES`] and the headwind per month.
pub(crate) struct Data {
    lines: Vec<Vec<Band>>,
    /// (month, followers' mean minus the leader's mean), in shares.
    headwind: Vec<(f64, f64)>,
}

/// A headwind of at least this much (1 percentage point) counts as one in the title.
const FELT: f64 = 0.01;

impl Data {
    /// The headwind averaged over the months that have one.
    fn mean(&self) -> Option<f64> {
        let v: Vec<f64> = self
            .headwind
            .iter()
            .map(|p| p.1)
            .filter(|v| v.is_finite())
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// When the headwind ends more than a year before the horizon: its last month of at
    /// least [`FELT`], its mean up to then, and the share both lines train at the end
    /// when they end together (every lab at the same share, such as a common floor).
    fn fades(&self) -> Option<(f64, f64, Option<f64>)> {
        let finite: Vec<(f64, f64)> = self
            .headwind
            .iter()
            .copied()
            .filter(|p| p.1.is_finite())
            .collect();
        let end = finite.last()?.0;
        let last = finite.iter().rev().find(|p| p.1 >= FELT)?.0;
        if end - last < 12.0 {
            return None;
        }
        let on: Vec<f64> = finite.iter().filter(|p| p.0 <= last).map(|p| p.1).collect();
        let mean = on.iter().sum::<f64>() / on.len() as f64;
        let ends = |line: &[Band]| line.iter().rev().map(|b| b.p50).find(|v| v.is_finite());
        let together = match (ends(&self.lines[0]), ends(&self.lines[1])) {
            (Some(a), Some(b)) if (a - b).abs() < 0.002 => Some(a),
            _ => None,
        };
        Some((last, mean, together))
    }
}

impl Chart for Headwind {
    const NAME: &'static str = "headwind";
    const NEEDS: Needs = Needs::BANDS;
    const READ: &'static str = "The top panel compares how much of its fleet the lab with the \
        best model trains with what the other labs train; the bottom panel is the difference \
        in percentage points: above zero the leader trains less than its followers (the \
        headwind that lets them catch up), below zero it trains more. The title's figure is \
        the bottom panel's average (over the months before it fades, when it does); the \
        verdict's headwind is another statistic of the same gap: each simulation's average \
        over every month, then the median simulation.";
    type Input = RunInput;
    type Data = Data;

    fn missing(input: &RunInput) -> Option<String> {
        (input.summary.labs.len() < 2).then(|| {
            "the scenario has one lab: no followers to set the leader's training against"
                .to_string()
        })
    }

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        let lines: Vec<Vec<Band>> = LINES
            .iter()
            .map(|(series, ..)| input.world_series(Self::NAME, series))
            .collect::<Result<_, _>>()?;
        let headwind = lines[0]
            .iter()
            .zip(&lines[1])
            .map(|(l, f)| (l.month as f64, f.mean - l.mean))
            .collect();
        Ok(Data { lines, headwind })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        let faded = data.fades().map(|(last, mean, together)| {
            let then = match together {
                Some(share) => {
                    format!(", then every lab trains {:.0}% of its fleet", share * 100.0)
                }
                None => ", then barely any".to_string(),
            };
            format!(
                "A headwind until {}: the leader trains {:.1} percentage points less than its \
                 followers while it lasts{then}",
                ctx.summary.calendar.label(last as i64),
                mean * 100.0
            )
        });
        let title = match data.mean() {
            _ if faded.is_some() => faded.unwrap_or_default(),
            None => "How much of its fleet the leader keeps training".to_string(),
            Some(h) if h.abs() < 0.01 => format!(
                "Barely a headwind: the leader trains {:.1} percentage points {} than its \
                 followers on average",
                h.abs() * 100.0,
                if h >= 0.0 { "less" } else { "more" }
            ),
            Some(h) if h > 0.0 => format!(
                "A headwind: the leader trains {:.1} percentage points less than its followers \
                 on average",
                h * 100.0
            ),
            Some(h) => format!(
                "No headwind: the leader trains {:.1} percentage points more than its followers \
                 on average",
                -h * 100.0
            ),
        };
        Frame::new(
            title,
            format!(
                "Share of GPUs training the next model rather than serving customers, for \
                 whichever lab leads on quality that month and for the others (top, medians \
                 across simulations), and the followers' share minus the leader's, each \
                 averaged across simulations (bottom: a difference of means, which need not \
                 be the gap between the medians above). {BAND_NOTE}"
            ),
            LINES
                .iter()
                .map(|&(_, label, color, style)| LegendItem::new(label, Swatch::Line(color, style)))
                .collect(),
        )
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let panels = stack(plot, &[1.6, 1.0], ctx.px(18.0), x_label_area(ctx));
        let area = panel_title(&panels[0], ctx, "Training share of the fleet")?;
        let series: Vec<_> = data
            .lines
            .iter()
            .zip(LINES)
            .map(|(points, (_, _, color, style))| (points.as_slice(), color, style))
            .collect();
        let values = data
            .lines
            .iter()
            .flat_map(|points| points.iter().flat_map(|p| [p.p25, p.p75, p.p50]));
        let axis = ValueAxis {
            range: value_range(values, 0.0..1.0),
            title: "Training share (%)",
            format: ValueFormat::Percent,
        };
        let mut chart = time_chart(&area, ctx, axis, false)?;
        draw_bands(&mut chart, ctx, &series)?;

        let area = panel_title(
            &panels[1],
            ctx,
            "Headwind: followers' minus leader's training share (means across simulations)",
        )?;
        let values = data.headwind.iter().map(|p| p.1).chain([0.0]);
        let axis = ValueAxis {
            range: value_range(values, -1.0..1.0),
            title: "Difference (points)",
            format: ValueFormat::Points,
        };
        let mut chart = time_chart(&area, ctx, axis, true)?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (ctx.horizon(), 0.0)],
            AXIS.stroke_width(ctx.px(2.0) as u32),
        )))?;
        for run in super::marks::finite_runs(&data.headwind, |&(x, y)| [x, y]) {
            let mut outline: Vec<(f64, f64)> = run.to_vec();
            outline.push((run[run.len() - 1].0, 0.0));
            outline.push((run[0].0, 0.0));
            chart.draw_series(std::iter::once(Polygon::new(
                outline,
                PAIR_B.mix(0.25).filled(),
            )))?;
        }
        draw_styled(&mut chart, ctx, &data.headwind, PAIR_B, Style::SOLID, 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(month: u32, v: f64) -> Band {
        Band {
            month,
            mean: v,
            p5: v,
            p25: v,
            p50: v,
            p75: v,
            p95: v,
        }
    }

    /// Leader and followers over 60 months, the followers `gap` above until `until`, both
    /// at `end` afterwards.
    fn data(until: u32, gap: f64, end: f64) -> Data {
        let leader: Vec<Band> = (0..60)
            .map(|m| band(m, if m <= until { 0.6 } else { end }))
            .collect();
        let followers: Vec<Band> = (0..60)
            .map(|m| band(m, if m <= until { 0.6 + gap } else { end }))
            .collect();
        let headwind = leader
            .iter()
            .zip(&followers)
            .map(|(l, f)| (f64::from(l.month), f.mean - l.mean))
            .collect();
        Data {
            lines: vec![leader, followers],
            headwind,
        }
    }

    #[test]
    fn a_headwind_that_ends_a_year_before_the_horizon_is_told_with_its_end() {
        let (last, mean, together) = data(30, 0.08, 0.5).fades().unwrap();
        assert_eq!(last, 30.0);
        assert!((mean - 0.08).abs() < 1e-12);
        assert_eq!(together, Some(0.5));
        // Lasting into the last year: no end to tell.
        assert!(data(50, 0.08, 0.5).fades().is_none());
        // Never felt: none either.
        assert!(data(30, 0.005, 0.5).fades().is_none());
    }
}
