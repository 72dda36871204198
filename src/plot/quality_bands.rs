//! `quality_bands`: across runs, each lab's quality and its gap to the frontier, as a
//! median line with p25-p75 and p5-p95 bands.

use super::layout::{
    Area, BAND_NOTE, Backend, Ctx, DrawResult, Frame, Swatch, ValueAxis, ValueFormat, draw_bands,
    frame, lab_legend, panel_title, stack, time_chart, value_range, x_label_area,
};

/// The `bands.csv` series this chart reads.
pub(crate) const SERIES: [&str; 2] = ["quality", "quality_gap"];

pub(crate) fn draw<DB: Backend>(root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
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
        "quality",
        "Quality (Elo)",
        "Deployed quality",
        false,
    )?;
    panel(
        &panels[1],
        ctx,
        "quality_gap",
        "Gap to best (Elo)",
        "Gap to the frontier",
        true,
    )
}

fn panel<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    series: &str,
    axis_title: &str,
    heading: &str,
    x_labels: bool,
) -> DrawResult {
    let area = panel_title(area, ctx, heading)?;
    let bands = ctx.data.bands();
    let values = ctx.labs().iter().flat_map(|lab| {
        bands
            .get(series, &lab.id)
            .iter()
            .flat_map(|p| [p.p5, p.p95, p.p50])
    });
    let bounds = if series == "quality_gap" {
        f64::NEG_INFINITY..0.0
    } else {
        f64::NEG_INFINITY..f64::INFINITY
    };
    let mut range = value_range(values, bounds);
    if series == "quality_gap" {
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
        .map(|lab| (bands.get(series, &lab.id), lab.color))
        .collect();
    draw_bands(&mut chart, ctx, &series)
}
