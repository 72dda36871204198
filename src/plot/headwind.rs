//! `headwind`: the quality leader's training fraction against the followers', median
//! and bands across runs. A leader that serves more trains less: the headwind.

use super::layout::{
    Area, BAND_NOTE, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, ValueAxis, ValueFormat,
    draw_bands, frame, time_chart, value_range,
};
use super::theme::{NEUTRAL_DARK, NEUTRAL_LIGHT};

/// The `bands.csv` series this chart reads (world-level, lab `all`).
pub(crate) const SERIES: [&str; 2] = ["leader_train", "followers_train"];

pub(crate) fn draw<DB: Backend>(root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
    let lines = [
        (SERIES[0], "Quality leader", NEUTRAL_DARK),
        (
            SERIES[1],
            "Followers (mean of the other labs)",
            NEUTRAL_LIGHT,
        ),
    ];
    let plot = frame(
        root,
        ctx,
        &Frame {
            title: "The headwind: how much of its fleet the leader keeps training".to_string(),
            subtitle: format!(
                "Share of GPUs training the next model rather than serving customers, for \
                 whichever lab leads on quality that month and for the others. {BAND_NOTE}"
            ),
            legend: lines
                .iter()
                .map(|&(_, label, color)| LegendItem::new(label, Swatch::Band(color)))
                .collect(),
        },
    )?;
    let bands = ctx.data.bands();
    let values = SERIES
        .iter()
        .flat_map(|s| bands.get(s, "all").iter().flat_map(|p| [p.p5, p.p95]));
    let range = value_range(values.chain([0.0]), 0.0..1.0);
    let axis = ValueAxis {
        range,
        title: "Training share of fleet (%)",
        format: ValueFormat::Percent,
    };
    let mut chart = time_chart(&plot, ctx, axis, true)?;
    let series: Vec<_> = lines
        .iter()
        .map(|&(series, _, color)| (bands.get(series, "all"), color))
        .collect();
    draw_bands(&mut chart, ctx, &series)
}
