//! `leapfrog`: one sample run, round after round. Deployed quality per lab as step
//! lines, a marker at every release, and a strip coloured by the quality leader.

use plotters::prelude::*;

use super::PlotError;
use super::axes::{
    ValueAxis, ValueFormat, side_label, stack, time_chart, value_range, x_label_area,
};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, frame, lab_legend};
use super::marks::draw_line;
use super::theme::{INK_SOFT, NO_LEADER};
use crate::schema::SampleRun;

pub(crate) struct Leapfrog;

impl Chart for Leapfrog {
    const NAME: &'static str = "leapfrog";
    const NEEDS: Needs = Needs::SAMPLE;
    type Input = RunInput;
    type Data = SampleRun;

    fn data(input: &RunInput) -> Result<SampleRun, PlotError> {
        input.sample(Self::NAME).cloned()
    }

    fn draw<DB: Backend>(sample: &SampleRun, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let mut legend = lab_legend(ctx, Swatch::Line);
        legend.push(LegendItem::new(
            "Release of a new model",
            Swatch::Marker(INK_SOFT),
        ));
        let plot = frame(
            root,
            ctx,
            &Frame {
                title: "Round after round: the best model changes hands".to_string(),
                subtitle: format!(
                    "Deployed model quality of each lab in one simulated run (run {}); \
                     the strip below marks which lab has the best model each month.",
                    sample.run
                ),
                legend,
            },
        )?;

        let strip_weight = 0.075;
        let panels = stack(
            &plot,
            &[1.0 - strip_weight, strip_weight],
            ctx.px(10.0),
            x_label_area(ctx),
        );
        draw_quality(&panels[0], ctx, sample)?;
        draw_leader_strip(&panels[1], ctx, sample)
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
        // Quality deployed in month m holds for the whole month: a step from m to m + 1.
        let steps = months
            .iter()
            .enumerate()
            .flat_map(|(m, s)| [(m as f64, s.quality), (m as f64 + 1.0, s.quality)]);
        draw_line(&mut chart, ctx, steps, lab.color)?;
    }
    let radius = ctx.px(7.0);
    for (lab, months) in ctx.labs().iter().zip(&sample.months) {
        let releases: Vec<(f64, f64)> = months
            .iter()
            .enumerate()
            .filter(|(_, s)| s.released && s.quality.is_finite())
            .map(|(m, s)| (m as f64, s.quality))
            .collect();
        chart.draw_series(
            releases
                .iter()
                .map(|&p| Circle::new(p, radius, lab.color.filled())),
        )?;
        chart.draw_series(
            releases
                .iter()
                .map(|&p| Circle::new(p, radius, WHITE.stroke_width(ctx.px(1.5) as u32))),
        )?;
    }
    Ok(())
}

fn draw_leader_strip<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    sample: &SampleRun,
) -> DrawResult {
    let axis = ValueAxis {
        range: 0.0..1.0,
        title: "",
        format: ValueFormat::Hidden,
    };
    let mut strip = time_chart(area, ctx, axis, true)?;
    for m in 0..ctx.summary.months as usize {
        let mut leaders = sample
            .months
            .iter()
            .enumerate()
            .filter(|(_, months)| months.get(m).is_some_and(|s| s.quality_leader));
        // A tie (or a month without data) is grey rather than given to either lab.
        let color = match (leaders.next(), leaders.next()) {
            (Some((only, _)), None) => ctx.labs()[only].color,
            _ => NO_LEADER,
        };
        let (x0, x1) = (m as f64, m as f64 + 1.0);
        strip.draw_series(std::iter::once(Rectangle::new(
            [(x0, 0.0), (x1, 1.0)],
            color.filled(),
        )))?;
    }
    side_label(area, ctx, &strip, "Leader")
}
