//! `spells`: how long a lab keeps the lead once it has it, all runs pooled.

use super::layout::{
    Area, Backend, Bars, Ctx, DrawResult, Frame, LegendItem, Swatch, frame, grouped_histogram,
    shares,
};
use super::theme::{NEUTRAL_DARK, NEUTRAL_LIGHT};

pub(crate) fn draw<DB: Backend>(root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
    let spells = ctx
        .data
        .spells
        .as_ref()
        .ok_or("spells.csv was not loaded")?;
    let series = [
        ("Best model (quality lead)", NEUTRAL_DARK, &spells.quality),
        (
            "Most customers (market lead)",
            NEUTRAL_LIGHT,
            &spells.market,
        ),
    ];
    let plot = frame(
        root,
        ctx,
        &Frame {
            title: "How long a lead lasts".to_string(),
            subtitle: "Length of each spell in the lead, all simulated runs pooled; a spell \
                       still running at the end of the horizon counts with the months observed."
                .to_string(),
            legend: series
                .iter()
                .map(|&(label, color, _)| LegendItem::new(label, Swatch::Block(color)))
                .collect(),
        },
    )?;
    let bars: Vec<Bars> = series
        .iter()
        .map(|&(_, color, counts)| Bars {
            color,
            shares: shares(counts),
        })
        .collect();
    grouped_histogram(
        &plot,
        ctx,
        &bars,
        "Spell length (months)",
        "Share of spells (%)",
        1,
    )
}
