//! `allocation`: one simulated future, each lab's fleet split into GPUs training (dark
//! shade of its colour) and serving (light shade), one panel per lab on shared axes with
//! one y-axis title for all. The headwind made visible.

use plotters::prelude::*;

use super::PlotError;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{
    AXIS_TITLE_SIZE, ValueAxis, ValueFormat, panel_title, stack, time_chart, value_range,
    x_label_area,
};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::story::{pct, pct_range};
use super::theme::{INK, tint};
use crate::numbers::compact;
use crate::schema::{SampleMonth, SampleRun};

/// How much lighter the serving part is than the lab's colour.
const SERVING_TINT: f64 = 0.6;

/// A lab that holds its lowest training share, unchanged, over at least this many final
/// months is at its policy's floor (`min_train`): a share that stays put to the bit for a
/// year is a bound, not a choice.
const PINNED_MONTHS: usize = 12;

/// Growth of the largest fleet beyond which GPU counts are shown as shares of the fleet:
/// on a linear axis a fleet that grows a hundredfold hides its early years entirely,
/// and stacked areas on a log axis misstate the split.
const SHARE_MODE_GROWTH: f64 = 20.0;

pub(crate) struct Allocation;

/// The sample run, and how its GPU counts are shown.
pub(crate) struct Data {
    sample: SampleRun,
    /// Each lab's fleet (training plus serving), every month with GPUs.
    totals: Vec<f64>,
    /// Shares of the fleet rather than GPU counts (see [`SHARE_MODE_GROWTH`]).
    as_share: bool,
    /// What the scale is, for the subtitle.
    scale_note: String,
    /// Each lab's mean training share over the months it has GPUs.
    mean_train: Vec<f64>,
    /// Each lab's floor, where it ends the future held there: the month from which it
    /// holds its lowest training share to the end, and that share ([`PINNED_MONTHS`]).
    pinned: Vec<Option<(usize, f64)>>,
}

impl Chart for Allocation {
    const NAME: &'static str = "allocation";
    const NEEDS: Needs = Needs::SAMPLE;
    const READ: &'static str = "One simulated future: each panel is one lab's fleet, the dark \
        part training the next model and the light part serving customers; a lab whose dark \
        part shrinks while it leads is paying the headwind.";
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        let sample = input.sample(Self::NAME)?.clone();
        let totals: Vec<f64> = sample
            .months
            .iter()
            .flat_map(|lab| lab.iter().map(|s| s.training_gpus + s.inference_gpus))
            .filter(|t| t.is_finite() && *t > 0.0)
            .collect();
        let largest = totals.iter().copied().fold(0.0_f64, f64::max);
        let smallest = totals.iter().copied().fold(f64::INFINITY, f64::min);
        let as_share = largest > SHARE_MODE_GROWTH * smallest;
        let scale_note = if as_share {
            // The span of the fleet column where the file has it: the panels stack the
            // GPUs each month began with, the fleet at the end of the month before.
            let fleets = || sample.months.iter().flatten().map(|s| s.fleet);
            let (lo, hi) = if fleets().all(|f| f.is_finite() && f > 0.0) {
                (
                    fleets().fold(f64::INFINITY, f64::min),
                    fleets().fold(0.0, f64::max),
                )
            } else {
                (smallest, largest)
            };
            format!(
                "Shown as shares of each lab's fleet: the fleets span {} to {} H100e over the \
                 labs and months.",
                compact(lo),
                compact(hi)
            )
        } else {
            "One panel per lab on the same scale.".to_string()
        };
        let share = |s: &SampleMonth| s.training_gpus / (s.training_gpus + s.inference_gpus);
        let shares: Vec<Vec<f64>> = (sample.months.iter())
            .map(|lab| lab.iter().map(share).collect())
            .collect();
        let mean_train = (shares.iter())
            .map(|lab| {
                let finite: Vec<f64> = lab.iter().copied().filter(|v| v.is_finite()).collect();
                finite.iter().sum::<f64>() / finite.len().max(1) as f64
            })
            .collect();
        let pinned = shares.iter().map(|lab| floor(lab)).collect();
        Ok(Data {
            sample,
            totals,
            as_share,
            scale_note,
            mean_train,
            pinned,
        })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        let labs = ctx.labs();
        let by = |pick: fn(f64, f64) -> bool| {
            let mut best: Option<(usize, f64)> = None;
            for (i, &v) in data.mean_train.iter().enumerate() {
                if v.is_finite() && best.is_none_or(|(_, b)| pick(v, b)) {
                    best = Some((i, v));
                }
            }
            best
        };
        let title = match (by(|v, b| v > b), by(|v, b| v < b)) {
            (Some((hi, h)), Some((lo, l))) if h - l >= 0.05 && labs.len() > 1 => format!(
                "{} trains hardest in this simulated future, {} of its GPUs on average; {} \
                 least, {}",
                labs[hi].name,
                pct(h),
                labs[lo].name,
                pct(l)
            ),
            (Some((_, h)), Some((_, l))) => format!(
                "Every lab keeps {} of its GPUs training on average in this simulated future",
                pct_range(l, h)
            ),
            _ => "How each lab splits its GPUs between training and serving".to_string(),
        };
        let calendar = &ctx.summary.calendar;
        let pinned: Vec<(usize, usize, f64)> = (data.pinned.iter().enumerate())
            .filter_map(|(i, p)| p.map(|(from, share)| (i, from, share)))
            .collect();
        let floors = pinned.iter().map(|p| p.2);
        let (lo, hi) = (
            floors.clone().fold(1.0, f64::min),
            floors.fold(0.0, f64::max),
        );
        let title = match pinned.iter().map(|p| p.1).max() {
            // Every lab ends at the same floor: that, not the average, is the story.
            Some(last) if pinned.len() == labs.len() && labs.len() > 1 && hi - lo < 0.005 => {
                format!(
                    "From {} every lab trains with the least its policy allows, {} of its GPUs",
                    calendar.label(last as i64),
                    pct(lo)
                )
            }
            _ => title,
        };
        let floor_note = if pinned.is_empty() {
            String::new()
        } else {
            let each: Vec<String> = (pinned.iter())
                .map(|&(i, from, share)| {
                    let from = calendar.label(from as i64);
                    format!("{} from {from} ({})", labs[i].name, pct(share))
                })
                .collect();
            format!(
                " Held at the lowest share its policy allows (its floor, min_train) to the end: \
                 {}.",
                crate::numbers::list(&each.iter().map(String::as_str).collect::<Vec<_>>())
            )
        };
        Frame {
            title,
            subtitle: format!(
                "GPUs training the next model (dark) and serving customers (light) in one \
                 simulated future (simulation {}). {}{floor_note}",
                data.sample.run, data.scale_note
            ),
            legend: vec![
                LegendItem::new(
                    "Training (dark shade of each lab's colour)",
                    Swatch::Blocks(labs.iter().map(|l| l.color).collect()),
                ),
                LegendItem::new(
                    "Serving (light shade)",
                    Swatch::Blocks(labs.iter().map(|l| tint(l.color, SERVING_TINT)).collect()),
                ),
            ],
            simulation: Some(data.sample.run),
        }
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let Data {
            sample,
            totals,
            as_share,
            ..
        } = data;
        let as_share = *as_share;
        let (range, title, format) = if as_share {
            (
                0.0..1.0,
                "Share of the lab's fleet (%)",
                ValueFormat::Percent,
            )
        } else {
            let range = value_range(totals.iter().copied().chain([0.0]), 0.0..f64::INFINITY);
            (range, "GPUs (H100e)", ValueFormat::Compact)
        };
        // One rotated title for all panels at the far left; each panel keeps its ticks.
        let style = ctx
            .font(AXIS_TITLE_SIZE, INK)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let height = plot.dim_in_pixel().1 as i32 - x_label_area(ctx);
        plot.draw_text(title, &style, (ctx.px(2.0), height / 2))?;
        let plot = plot.clone().margin(0, 0, ctx.px(AXIS_TITLE_SIZE * 1.4), 0);
        let labs = ctx.labs();
        let weights = vec![1.0; labs.len()];
        let panels = stack(&plot, &weights, ctx.px(26.0), x_label_area(ctx));
        for (i, (lab, months)) in labs.iter().zip(&sample.months).enumerate() {
            let area = panel_title(&panels[i], ctx, &lab.name)?;
            let axis = ValueAxis {
                range: range.clone(),
                title: "",
                format,
            };
            let mut chart = time_chart(&area, ctx, axis, i + 1 == labs.len())?;
            let split = |s: &SampleMonth| {
                let total = s.training_gpus + s.inference_gpus;
                match as_share {
                    true if total > 0.0 => (s.training_gpus / total, 1.0),
                    true => (f64::NAN, f64::NAN),
                    false => (s.training_gpus, total),
                }
            };
            let layers = [(0, lab.color), (1, tint(lab.color, SERVING_TINT))];
            for (layer, color) in layers {
                let points = months.iter().enumerate().map(|(m, s)| (m as u32, split(s)));
                for run in contiguous(points) {
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
}

/// Where a lab ends held at its floor: the first month of the final stretch of at least
/// [`PINNED_MONTHS`] months in which its training share is its lowest of the future, and
/// that share. `None` when it is not held, or held from the first month (a constant
/// share, not a floor reached).
fn floor(shares: &[f64]) -> Option<(usize, f64)> {
    let lowest = shares
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let at_floor = |v: &f64| (v - lowest).abs() <= 1e-9;
    let held = shares.iter().rev().take_while(|v| at_floor(v)).count();
    let from = shares.len() - held;
    (held >= PINNED_MONTHS && from > 0).then_some((from, lowest))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_floor_is_the_lowest_share_held_to_the_end_for_a_year() {
        let mut shares = vec![0.7, 0.5, 0.6, 0.65];
        shares.extend([0.5; 12]);
        assert_eq!(floor(&shares), Some((4, 0.5)));
        // Held 11 months only: not yet a floor.
        assert_eq!(floor(&shares[1..shares.len() - 1]), None);
        // Ending above its lowest share: not held at it.
        shares.push(0.55);
        assert_eq!(floor(&shares), None);
        // The same share from the first month: a constant policy, not a floor reached.
        assert_eq!(floor(&[0.4; 30]), None);
        // Months without GPUs (NaN) neither set nor break the lowest share before the end.
        let mut gaps = vec![f64::NAN, 0.8];
        gaps.extend([0.3; 15]);
        assert_eq!(floor(&gaps), Some((2, 0.3)));
    }
}
