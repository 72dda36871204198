//! `allocation`: one sample run, each lab's fleet split into GPUs training and GPUs
//! serving, one panel per lab on shared axes. The headwind made visible.

use plotters::prelude::*;

use super::data::SampleMonth;
use super::layout::{
    Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, ValueAxis, ValueFormat, frame,
    panel_title, stack, time_chart, value_range, x_label_area,
};
use super::theme::{NEUTRAL_DARK, tint};

/// How much lighter the serving part is than the lab's colour.
const SERVING_TINT: f64 = 0.6;

pub(crate) fn draw<DB: Backend>(root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
    let sample = ctx
        .data
        .sample
        .as_ref()
        .ok_or("sample_runs.csv was not loaded")?;
    let plot = frame(
        root,
        ctx,
        &Frame {
            title: "Training or serving: how each lab splits its GPUs".to_string(),
            subtitle: format!(
                "GPUs training the next model (dark) and serving customers (light) in one \
                 simulated run (run {}), one panel per lab on the same scale.",
                sample.run
            ),
            legend: vec![
                LegendItem::new("Training", Swatch::Block(NEUTRAL_DARK)),
                LegendItem::new("Serving", Swatch::Block(tint(NEUTRAL_DARK, SERVING_TINT))),
            ],
        },
    )?;
    let totals = sample
        .months
        .iter()
        .flat_map(|lab| lab.values().map(|s| s.training_gpus + s.inference_gpus));
    let range = value_range(totals.chain([0.0]), 0.0..f64::INFINITY);
    let labs = ctx.labs();
    let weights = vec![1.0; labs.len()];
    let panels = stack(&plot, &weights, ctx.px(26.0), x_label_area(ctx));
    for (i, (lab, months)) in labs.iter().zip(&sample.months).enumerate() {
        let area = panel_title(&panels[i], ctx, &lab.name)?;
        let axis = ValueAxis {
            range: range.clone(),
            title: "GPUs (H100e)",
            format: ValueFormat::Compact,
        };
        let mut chart = time_chart(&area, ctx, axis, i + 1 == labs.len())?;
        let split = |s: &SampleMonth| (s.training_gpus, s.training_gpus + s.inference_gpus);
        let layers = [(0, lab.color), (1, tint(lab.color, SERVING_TINT))];
        for (layer, color) in layers {
            for run in contiguous(months.iter().map(|(&m, s)| (m, split(s)))) {
                // Month m's split holds for [m, m + 1).
                let edge = |&(m, (train, total)): &(u32, (f64, f64))| {
                    let (lo, hi) = if layer == 0 {
                        (0.0, train)
                    } else {
                        (train, total)
                    };
                    [(m, lo, hi), (m + 1, lo, hi)]
                };
                let steps: Vec<(u32, f64, f64)> = run.iter().flat_map(edge).collect();
                let top = steps.iter().map(|&(m, _, hi)| (m as f64, hi));
                let bottom = steps.iter().rev().map(|&(m, lo, _)| (m as f64, lo));
                let outline: Vec<(f64, f64)> = top.chain(bottom).collect();
                chart.draw_series(std::iter::once(Polygon::new(outline, color.filled())))?;
            }
        }
    }
    Ok(())
}

/// Splits (month, (train, total)) into runs of consecutive months with finite values.
fn contiguous(points: impl Iterator<Item = (u32, (f64, f64))>) -> Vec<Vec<(u32, (f64, f64))>> {
    let mut runs: Vec<Vec<(u32, (f64, f64))>> = Vec::new();
    for point @ (m, (train, total)) in points {
        if !(train.is_finite() && total.is_finite()) {
            runs.push(Vec::new());
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|&(prev, _)| prev + 1 == m) => run.push(point),
            _ => runs.push(vec![point]),
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}
