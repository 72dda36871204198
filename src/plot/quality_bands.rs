//! `quality_bands`: across runs, each lab's quality and its gap to the frontier, as a
//! median line with p25-p75 and p5-p95 bands.

use super::PlotError;
use super::axes::{
    ValueAxis, ValueFormat, panel_title, stack, time_chart, value_range, x_label_area,
};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, Swatch, frame, lab_legend};
use super::marks::{BAND_NOTE, draw_bands};
use crate::schema::Band;

pub(crate) struct QualityBands;

/// Per lab in summary order: quality, and gap to the frontier.
pub(crate) struct Data {
    quality: Vec<Vec<Band>>,
    gap: Vec<Vec<Band>>,
}

impl Chart for QualityBands {
    const NAME: &'static str = "quality_bands";
    const NEEDS: Needs = Needs::BANDS;
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        Ok(Data {
            quality: input.lab_series(Self::NAME, "quality")?,
            gap: input.lab_series(Self::NAME, "quality_gap")?,
        })
    }

    fn draw<DB: Backend>(data: &Data, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let plot = frame(
            root,
            ctx,
            &Frame {
                title: "How good each lab's model is, and how far behind the best".to_string(),
                subtitle: format!(
                    "Deployed model quality across all simulated runs (top) and its gap to the \
                     best deployed model that month (bottom; 0 means the lab leads). {BAND_NOTE}"
                ),
                legend: lab_legend(ctx, Swatch::Band),
            },
        )?;
        let panels = stack(&plot, &[1.0, 1.0], ctx.px(18.0), x_label_area(ctx));
        panel(
            &panels[0],
            ctx,
            &data.quality,
            false,
            "Quality (Elo)",
            "Deployed quality",
            false,
        )?;
        panel(
            &panels[1],
            ctx,
            &data.gap,
            true,
            "Gap to best (Elo)",
            "Gap to the frontier",
            true,
        )
    }
}

fn panel<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    labs: &[Vec<Band>],
    is_gap: bool,
    axis_title: &str,
    heading: &str,
    x_labels: bool,
) -> DrawResult {
    let area = panel_title(area, ctx, heading)?;
    let values = labs
        .iter()
        .flat_map(|points| points.iter().flat_map(|p| [p.p5, p.p95, p.p50]));
    let bounds = if is_gap {
        f64::NEG_INFINITY..0.0
    } else {
        f64::NEG_INFINITY..f64::INFINITY
    };
    let mut range = value_range(values, bounds);
    if is_gap {
        // Leave room above the zero line so the leader's median is not on the frame.
        range.end = (range.end - range.start) * 0.04;
    }
    let axis = ValueAxis {
        range,
        title: axis_title,
        format: ValueFormat::Elo,
    };
    let mut chart = time_chart(&area, ctx, axis, x_labels)?;
    let series: Vec<_> = ctx
        .labs()
        .iter()
        .zip(labs)
        .map(|(lab, points)| (points.as_slice(), lab.color))
        .collect();
    draw_bands(&mut chart, ctx, &series)
}
