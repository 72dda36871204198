//! `leapfrog`: one simulated future, round after round. Deployed quality per lab as step
//! lines, a marker (one shape per lab) at every release, and a strip coloured by the
//! quality leader. The title says what this future's lead did.

use plotters::prelude::*;

use super::PlotError;
use super::axes::{
    ValueAxis, ValueFormat, side_label, stack, time_chart, value_range, x_label_area,
};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, Swatch, lab_legend};
use super::marks::{Style, draw_marker, draw_styled};
use super::story::Leaders;
use super::theme::NO_LEADER;
use crate::schema::SampleRun;

pub(crate) struct Leapfrog;

/// The sample, and the leader of each of its months.
pub(crate) struct Data {
    sample: SampleRun,
    leaders: Vec<Option<usize>>,
}

impl Chart for Leapfrog {
    const NAME: &'static str = "leapfrog";
    const NEEDS: Needs = Needs::SAMPLE;
    const READ: &'static str = "One simulated future, not an average: each step up is a new \
        model released (a marker), and the strip below colours each month by the lab with \
        the best model, so a strip of one colour is a lead that lasts.";
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        let sample = input.sample(Self::NAME)?.clone();
        let leaders = (0..input.summary.months as usize)
            .map(|m| {
                let mut leading = sample
                    .months
                    .iter()
                    .enumerate()
                    .filter(|(_, months)| months.get(m).is_some_and(|s| s.quality_leader));
                match (leading.next(), leading.next()) {
                    (Some((only, _)), None) => Some(only),
                    _ => None,
                }
            })
            .collect();
        Ok(Data { sample, leaders })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        let names: Vec<String> = ctx.labs().iter().map(|l| l.name.clone()).collect();
        let leaders = Leaders {
            by_month: data.leaders.clone(),
            names: &names,
        };
        // The markers are explained in the subtitle, not by a legend glyph of their own:
        // any one shape would read as the lab drawn with it.
        let legend = lab_legend(ctx, |c, i| Swatch::Line(c, marker_style(i)));
        Frame {
            title: leaders.title(&ctx.summary.calendar),
            subtitle: format!(
                "Deployed model quality of each lab in one simulated future (simulation {}), \
                 not an average; each marker is a new model released, and the strip below marks \
                 which lab has the best model each month (grey: no lab leads yet, none being \
                 ahead by the lead margin).",
                data.sample.run
            ),
            legend,
            simulation: Some(data.sample.run),
        }
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let strip_weight = 0.075;
        let panels = stack(
            plot,
            &[1.0 - strip_weight, strip_weight],
            ctx.px(10.0),
            x_label_area(ctx),
        );
        draw_quality(&panels[0], ctx, &data.sample)?;
        draw_leader_strip(&panels[1], ctx, &data.leaders)
    }
}

/// Lab `i`'s line: solid, its release marker in a shape of its own.
fn marker_style(i: usize) -> Style {
    Style {
        shape: Style::nth(i).shape,
        ..Style::SOLID
    }
}

fn draw_quality<DB: Backend>(area: &Area<DB>, ctx: &Ctx<'_>, sample: &SampleRun) -> DrawResult {
    let values = sample
        .months
        .iter()
        .flat_map(|lab| lab.iter().map(|m| m.quality));
    let y = value_range(values, f64::NEG_INFINITY..f64::INFINITY);
    let axis = ValueAxis {
        range: y,
        title: "Deployed quality (Elo)",
        format: ValueFormat::Elo,
    };
    let mut chart = time_chart(area, ctx, axis, false)?;
    for (lab, months) in ctx.labs().iter().zip(&sample.months) {
        // Quality deployed in month m holds for the whole month: a step from m to m + 1,
        // drawn through its corners only (repeated points draw gaps in thick lines).
        let mut steps: Vec<(f64, f64)> = Vec::new();
        for (m, s) in months.iter().enumerate() {
            let (x0, x1) = (m as f64, m as f64 + 1.0);
            match steps.last_mut() {
                Some(last) if last.1 == s.quality || (last.1.is_nan() && s.quality.is_nan()) => {
                    last.0 = x1;
                }
                _ => {
                    steps.push((x0, s.quality));
                    steps.push((x1, s.quality));
                }
            }
        }
        // A white casing under each line: where two labs sit at nearly the same quality the
        // later line covers the earlier cleanly instead of the two interleaving into what
        // reads as a dashed line.
        for run in super::marks::finite_runs(&steps, |&(x, y)| [x, y]) {
            chart.draw_series(std::iter::once(PathElement::new(
                run.to_vec(),
                WHITE.stroke_width(ctx.line_width() + 2 * ctx.px(1.5) as u32),
            )))?;
        }
        draw_styled(&mut chart, ctx, &steps, lab.color, Style::SOLID, 0.0)?;
    }
    let area = chart.plotting_area().strip_coord_spec();
    let base = area.get_base_pixel();
    for (i, (lab, months)) in ctx.labs().iter().zip(&sample.months).enumerate() {
        let shape = marker_style(i).shape.unwrap_or(super::marks::Shape::Circle);
        for (m, s) in months.iter().enumerate() {
            if s.released && s.quality.is_finite() {
                let (px, py) = chart.backend_coord(&(m as f64, s.quality));
                draw_marker(&area, ctx, (px - base.0, py - base.1), shape, lab.color)?;
            }
        }
    }
    Ok(())
}

fn draw_leader_strip<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    leaders: &[Option<usize>],
) -> DrawResult {
    let axis = ValueAxis {
        range: 0.0..1.0,
        title: "",
        format: ValueFormat::Hidden,
    };
    let mut strip = time_chart(area, ctx, axis, true)?;
    for (m, leader) in leaders.iter().enumerate() {
        // A tie (or a month without data) is grey rather than given to either lab.
        let color = leader.map_or(NO_LEADER, |l| ctx.labs()[l].color);
        let (x0, x1) = (m as f64, m as f64 + 1.0);
        strip.draw_series(std::iter::once(Rectangle::new(
            [(x0, 0.0), (x1, 1.0)],
            color.filled(),
        )))?;
    }
    side_label(area, ctx, &strip, "Leader")
}
