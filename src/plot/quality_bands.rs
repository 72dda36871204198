//! `quality_bands`: across simulations, by rank rather than by lab: the best model's
//! quality (top) and the leader's margin over the runner-up (bottom), each a median line
//! over its middle-half and 90% bands. Ranks do not overlap the way symmetric labs do, so
//! the bands stay readable; the title says whether the leader pulls away.

use super::PlotError;
use super::axes::{
    ValueAxis, ValueFormat, panel_title, stack, time_chart, value_range, x_label_area,
};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::marks::{BAND_NOTE_ONE, Style, draw_bands};
use super::theme::{PAIR_A, PAIR_B};
use crate::numbers::elo;
use crate::schema::Band;

pub(crate) struct QualityBands;

/// The best model's quality, and the leader's margin over the runner-up (empty with a
/// single lab).
pub(crate) struct Data {
    frontier: Vec<Band>,
    margin: Vec<Band>,
}

impl Data {
    fn has_margin(&self) -> bool {
        self.margin.iter().any(|p| p.p50.is_finite())
    }
}

/// The median at the first and last month that have one.
fn ends(points: &[Band]) -> Option<(f64, f64)> {
    let mut finite = points.iter().map(|p| p.p50).filter(|v| v.is_finite());
    let first = finite.next()?;
    Some((first, finite.next_back().unwrap_or(first)))
}

/// A mean over some months of the medians, and the first and last of those months.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Window {
    mean: f64,
    first: u32,
    last: u32,
}

/// Mean of the medians over the first and the last year that have them.
fn early_late(points: &[Band]) -> Option<(Window, Window)> {
    let medians: Vec<(u32, f64)> = points
        .iter()
        .filter(|p| p.p50.is_finite())
        .map(|p| (p.month, p.p50))
        .collect();
    if medians.is_empty() {
        return None;
    }
    let year = medians.len().min(12);
    let window = |v: &[(u32, f64)]| Window {
        mean: v.iter().map(|&(_, m)| m).sum::<f64>() / v.len() as f64,
        first: v[0].0,
        last: v[v.len() - 1].0,
    };
    Some((
        window(&medians[..year]),
        window(&medians[medians.len() - year..]),
    ))
}

impl Chart for QualityBands {
    const NAME: &'static str = "quality_bands";
    const NEEDS: Needs = Needs::BANDS;
    const READ: &'static str = "The top panel is how good the best model is; the bottom is \
        how far ahead of the runner-up the leader is. A margin that widens year after year \
        is a race; one that stays small while the frontier climbs is a run.";
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        Ok(Data {
            frontier: input.world_series(Self::NAME, "frontier")?,
            margin: input.world_series(Self::NAME, "leader_gap")?,
        })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        let gain = ends(&data.frontier).map(|(a, b)| b - a);
        let span = |w: Window| {
            ctx.summary
                .calendar
                .span(i64::from(w.first), i64::from(w.last))
        };
        let title = match (gain, early_late(&data.margin)) {
            (_, Some((early, late))) if late.mean > 2.0 * early.mean.max(5.0) => format!(
                "The leader pulls away: its margin over the runner-up grows from {} Elo in {} to \
                 {} in {} (medians)",
                elo(early.mean),
                span(early),
                elo(late.mean),
                span(late)
            ),
            (Some(gain), Some((_, late))) => format!(
                "The best model gains {} Elo, but the leader is only {} Elo ahead of the \
                 runner-up in {} (medians)",
                elo(gain),
                elo(late.mean),
                span(late)
            ),
            (Some(gain), None) => format!("The best model gains {} Elo (median)", elo(gain)),
            _ => "How good the best model is, and how far ahead its lab is".to_string(),
        };
        let mut legend = vec![LegendItem::new("Best model", Swatch::Band(PAIR_A))];
        if data.has_margin() {
            legend.push(LegendItem::new(
                "Leader's margin over the runner-up",
                Swatch::Band(PAIR_B),
            ));
        }
        let subtitle = if data.has_margin() {
            format!(
                "Quality of the best deployed model each month (top) and the leading lab's \
                 margin over its best rival (bottom; below zero while a rival is ahead by less \
                 than the lead margin it needs to take the lead), across all simulations, \
                 whichever lab it is. {BAND_NOTE_ONE}"
            )
        } else {
            format!(
                "Quality of the best deployed model each month, across all simulations. \
                 {BAND_NOTE_ONE}"
            )
        };
        Frame::new(title, subtitle, legend)
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        if !data.has_margin() {
            return panel(
                plot,
                ctx,
                &data.frontier,
                PAIR_A,
                "Best model (Elo)",
                None,
                true,
            );
        }
        let panels = stack(plot, &[1.0, 1.0], ctx.px(18.0), x_label_area(ctx));
        panel(
            &panels[0],
            ctx,
            &data.frontier,
            PAIR_A,
            "Quality (Elo)",
            Some("Best model"),
            false,
        )?;
        panel(
            &panels[1],
            ctx,
            &data.margin,
            PAIR_B,
            "Margin (Elo)",
            Some("Leader's margin over the runner-up"),
            true,
        )
    }
}

fn panel<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    points: &[Band],
    color: plotters::style::RGBColor,
    axis_title: &str,
    heading: Option<&str>,
    x_labels: bool,
) -> DrawResult {
    let area = match heading {
        Some(h) => panel_title(area, ctx, h)?,
        None => area.clone(),
    };
    let values = points.iter().flat_map(|p| [p.p5, p.p95]);
    let axis = ValueAxis {
        range: value_range(values, f64::NEG_INFINITY..f64::INFINITY),
        title: axis_title,
        format: ValueFormat::Elo,
    };
    let mut chart = time_chart(&area, ctx, axis, x_labels)?;
    draw_bands(&mut chart, ctx, &[(points, color, Style::SOLID)])
}
