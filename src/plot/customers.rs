//! `customers`: each lab's customer share across runs, median with bands.

use super::layout::{
    Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, ValueAxis, ValueFormat, draw_band,
    frame, lab_legend, time_chart, value_range,
};
use super::theme::INK_SOFT;

/// The `bands.csv` series this chart reads.
pub(crate) const SERIES: [&str; 1] = ["customers"];

pub(crate) fn draw<DB: Backend>(root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
    let mut legend = lab_legend(ctx, Swatch::Band);
    legend.push(LegendItem::new(
        "Line: median run; bands: middle 50% and 90% of runs",
        Swatch::Band(INK_SOFT),
    ));
    let plot = frame(
        root,
        ctx,
        &Frame {
            title: "Who the customers use: each lab's share of the market".to_string(),
            subtitle: "Share of all customers using each lab, across all simulated runs."
                .to_string(),
            legend,
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
    for lab in ctx.labs() {
        draw_band(
            &mut chart,
            ctx,
            bands.get(SERIES[0], &lab.id),
            lab.color,
            true,
        )?;
    }
    Ok(())
}
