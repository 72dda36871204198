//! `lead_changes`: how many times the lead changes hands over a simulated future, for
//! the best model and for the most customers. The title gives the median simulation's
//! count; the subtitle says that the verdict weighs how long leads last, not how often
//! they change.

use std::collections::BTreeMap;

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame};
use super::marks::{Bars, Bins, histogram, lead_kinds_bars, lead_kinds_legend};
use crate::numbers::thousands;

pub(crate) struct LeadChanges;

pub(crate) struct Data {
    /// Per kind of lead: (lead changes, share of simulations).
    shares: [Vec<(u64, f64)>; 2],
    /// Median number of quality-lead changes.
    median: f64,
    /// The verdict's regime, upper case, if any.
    regime: Option<String>,
}

impl Chart for LeadChanges {
    const NAME: &'static str = "lead_changes";
    const NEEDS: Needs = Needs::RUNS;
    const READ: &'static str = "Each bar is the share of simulations in which the lead changed \
        hands that many times over the horizon; bars piled at zero or one are a lead that \
        holds. Many changes need not mean a run: a lead that flips back and forth for a month \
        counts each flip, which is why the verdict weighs how long leads last instead.";
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        let runs = input.lead_changes(Self::NAME)?;
        let mut sorted = runs.quality.clone();
        sorted.sort_unstable();
        let median = match sorted.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => sorted[n / 2] as f64,
            n => (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0,
        };
        Ok(Data {
            shares: [&runs.quality, &runs.market].map(|values| shares(&histogram_of(values))),
            median,
            regime: input
                .summary
                .verdict
                .as_ref()
                .map(|v| v.regime.replace('_', " ").to_uppercase()),
        })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        let years = f64::from(ctx.summary.months) / 12.0;
        let title = if data.median.is_finite() {
            format!(
                "The best model changes hands {} times in the median simulated future, {:.1} a \
                 year",
                if data.median.fract() == 0.0 {
                    thousands(data.median as i64)
                } else {
                    format!("{:.1}", data.median)
                },
                data.median / years
            )
        } else {
            "How often the lead changes hands".to_string()
        };
        let verdict = data
            .regime
            .as_ref()
            .map(|r| format!(" Verdict: {r}."))
            .unwrap_or_default();
        Frame::new(
            title,
            format!(
                "Share of simulations by how many times the best model and the most customers \
                 changed hands over {} months. The verdict weighs how long leads last, not how \
                 often they change: a lead that flips back and forth counts every flip here.\
                 {verdict}",
                ctx.summary.months,
            ),
            lead_kinds_legend(),
        )
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let last = data
            .shares
            .iter()
            .flat_map(|s| s.iter().map(|&(bin, _)| bin))
            .max()
            .unwrap_or(1)
            .max(1);
        let span = last + 1;
        let step = [1u64, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|step| span / step <= 12)
            .unwrap_or(span);
        let bins = Bins {
            range: (-0.6, last as f64 + 0.6),
            width: 1.0,
            ticks: (0..=last)
                .filter(|b| b % step == 0)
                .map(|b| b as f64)
                .collect(),
            label: |v| thousands(v.round() as i64),
        };
        let as_bars = |s: &Vec<(u64, f64)>| s.iter().map(|&(b, v)| (b as f64 - 0.5, v)).collect();
        let bars: Vec<Bars> =
            lead_kinds_bars(&[as_bars(&data.shares[0]), as_bars(&data.shares[1])]);
        histogram(
            plot,
            ctx,
            &bars,
            &bins,
            (
                "Lead changes over the horizon (count)",
                "Share of simulations (%)",
            ),
        )
    }
}

/// (value, how many simulations had it).
fn histogram_of(values: &[u64]) -> Vec<(u64, u64)> {
    let mut counts = BTreeMap::new();
    for &v in values {
        *counts.entry(v).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// Turns (bin, count) pairs into (bin, share) pairs.
fn shares(counts: &[(u64, u64)]) -> Vec<(u64, f64)> {
    let total: u64 = counts.iter().map(|&(_, c)| c).sum();
    counts
        .iter()
        .map(|&(bin, c)| {
            (
                bin,
                if total == 0 {
                    0.0
                } else {
                    c as f64 / total as f64
                },
            )
        })
        .collect()
}
