//! `customers`: each lab's customer share across runs, median with bands.

use super::layout::{
    Area, BAND_NOTE, Backend, Ctx, DrawResult, Frame, Swatch, ValueAxis, ValueFormat, draw_bands,
    frame, lab_legend, time_chart, value_range,
};

/// The `bands.csv` series this chart reads.
pub(crate) const SERIES: [&str; 1] = ["customers"];

pub(crate) fn draw<DB: Backend>(root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
    let plot = frame(
        root,
        ctx,
        &Frame {
            title: "Who the customers use: each lab's share of the market".to_string(),
            subtitle: format!(
                "Share of all customers using each lab, across all simulated runs. {BAND_NOTE}"
            ),
            legend: lab_legend(ctx, Swatch::Band),
        },
    )?;
    let bands = ctx.data.bands();
    let values = ctx.labs().iter().flat_map(|lab| {
        bands
            .get(SERIES[0], &lab.id)
            .iter()
            .flat_map(|p| [p.p5, p.p95])
    });
    let range = value_range(values.chain([0.0]), 0.0..1.0);
    let axis = ValueAxis {
        range,
        title: "Customer share (%)",
        format: ValueFormat::Percent,
    };
    let mut chart = time_chart(&plot, ctx, axis, true)?;
    let series: Vec<_> = ctx
        .labs()
        .iter()
        .map(|lab| (bands.get(SERIES[0], &lab.id), lab.color))
        .collect();
    draw_bands(&mut chart, ctx, &series)
}
