//! `who_leads`: the probability that each lab leads at each month, stacked to 100%, for
//! quality (top) and for customers (bottom).

use plotters::prelude::*;

use super::PlotError;
use super::axes::{ValueAxis, ValueFormat, panel_title, stack, time_chart, x_label_area};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, Swatch, frame, lab_legend};
use crate::schema::Band;

pub(crate) struct WhoLeads;

/// Per lab in summary order: the probability of leading on quality, and on customers.
pub(crate) struct Data {
    quality: Vec<Vec<Band>>,
    market: Vec<Vec<Band>>,
}

impl Chart for WhoLeads {
    const NAME: &'static str = "who_leads";
    const NEEDS: Needs = Needs::BANDS;
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        Ok(Data {
            quality: input.lab_series(Self::NAME, "lead_prob_quality")?,
            market: input.lab_series(Self::NAME, "lead_prob_market")?,
        })
    }

    fn draw<DB: Backend>(data: &Data, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let plot = frame(
            root,
            ctx,
            &Frame {
                title: "Who leads, month by month".to_string(),
                subtitle: "Share of simulated runs in which each lab has the best model (top) \
                           and the most customers (bottom) that month."
                    .to_string(),
                legend: lab_legend(ctx, Swatch::Block),
            },
        )?;
        let panels = stack(&plot, &[1.0, 1.0], ctx.px(18.0), x_label_area(ctx));
        panel(&panels[0], ctx, &data.quality, "Best model", false)?;
        panel(&panels[1], ctx, &data.market, "Most customers", true)
    }
}

fn panel<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    series: &[Vec<Band>],
    heading: &str,
    x_labels: bool,
) -> DrawResult {
    let area = panel_title(area, ctx, heading)?;
    let axis = ValueAxis {
        range: 0.0..1.0,
        title: "Probability of leading (%)",
        format: ValueFormat::Percent,
    };
    let mut chart = time_chart(&area, ctx, axis, x_labels)?;
    let labs = ctx.labs();
    // Per month, each lab's probability (the mean of its 0/1 leader indicator).
    let months = ctx.summary.months as usize;
    let mut probs = vec![vec![f64::NAN; labs.len()]; months];
    for (i, points) in series.iter().enumerate() {
        for p in points {
            if let Some(row) = probs.get_mut(p.month as usize) {
                row[i] = p.mean;
            }
        }
    }
    // Stack to 100%: ties can make the shares sum past 1, rounding can leave them short.
    let mut lower = vec![0.0; months];
    for (i, lab) in labs.iter().enumerate() {
        let mut upper = lower.clone();
        for (m, row) in probs.iter().enumerate() {
            let total: f64 = row.iter().filter(|v| v.is_finite()).sum();
            let share = if total > 0.0 && row[i].is_finite() {
                row[i] / total
            } else {
                0.0
            };
            upper[m] = (lower[m] + share).min(1.0);
        }
        // Each month's share spans [m, m + 1), like the leader strip of `leapfrog`.
        let top = (0..months).flat_map(|m| [(m as f64, upper[m]), (m as f64 + 1.0, upper[m])]);
        let bottom = (0..months)
            .rev()
            .flat_map(|m| [(m as f64 + 1.0, lower[m]), (m as f64, lower[m])]);
        let outline: Vec<(f64, f64)> = top.chain(bottom).collect();
        chart.draw_series(std::iter::once(Polygon::new(outline, lab.color.filled())))?;
        lower = upper;
    }
    Ok(())
}
