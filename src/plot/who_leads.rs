//! `who_leads`: the probability that each lab leads at each month, stacked to 100%, for
//! quality (top) and for customers (bottom), white lines between the labs. The title
//! names the favourite over the last year and the others' share, or says there is none;
//! it shows who leads, not for how long.

use plotters::prelude::*;

use super::PlotError;
use super::axes::{ValueAxis, ValueFormat, panel_title, stack, time_chart, x_label_area};
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, Swatch, lab_legend};
use super::story::{pct, pct_range};
use super::theme::NO_LEADER;
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
    const READ: &'static str = "Each band's height is the share of simulations in which that \
        lab leads that month; it shows who is likely to lead, not how long a lead lasts (for \
        that, see the lead survival chart): labs alike in a race and in a run both get equal \
        bands.";
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        Ok(Data {
            quality: input.lab_series(Self::NAME, "lead_prob_quality")?,
            market: input.lab_series(Self::NAME, "lead_prob_market")?,
        })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        let unled = if [&data.quality, &data.market]
            .iter()
            .any(|series| some_month_unled(series))
        {
            " Grey: no lab leads yet (the labs start tied and none has pulled ahead by the \
             lead margin)."
        } else {
            ""
        };
        Frame::new(
            title(&data.quality, ctx),
            format!(
                "Share of simulations in which each lab has the best model (top) and the most \
                 customers (bottom) that month.{unled}"
            ),
            lab_legend(ctx, |c, _| Swatch::Block(c)),
        )
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let panels = stack(plot, &[1.0, 1.0], ctx.px(18.0), x_label_area(ctx));
        panel(&panels[0], ctx, &data.quality, "Best model", false)?;
        panel(&panels[1], ctx, &data.market, "Most customers", true)
    }
}

/// Below this total of the labs' probabilities of leading, a month visibly has simulations
/// in which no lab leads yet.
const LED_IN_FULL: f64 = 0.995;

/// Whether in some month the labs' probabilities of leading sum to visibly less than 1:
/// simulations in which no lab leads yet.
fn some_month_unled(series: &[Vec<Band>]) -> bool {
    let months = series.iter().map(Vec::len).max().unwrap_or(0);
    (0..months).any(|m| {
        let led: f64 = series
            .iter()
            .filter_map(|points| points.get(m))
            .map(|p| p.mean)
            .filter(|p| p.is_finite())
            .sum();
        led < LED_IN_FULL
    })
}

/// The months a title speaks of: the last year of the horizon (all of it when shorter).
fn last_year_months(months: u32) -> std::ops::Range<u32> {
    months.saturating_sub(12)..months
}

/// Each lab's mean probability of leading over the months `window`.
fn mean_over(series: &[Vec<Band>], window: &std::ops::Range<u32>) -> Vec<f64> {
    series
        .iter()
        .map(|points| {
            let late: Vec<f64> = points
                .iter()
                .filter(|p| window.contains(&p.month) && p.mean.is_finite())
                .map(|p| p.mean)
                .collect();
            if late.is_empty() {
                f64::NAN
            } else {
                late.iter().sum::<f64>() / late.len() as f64
            }
        })
        .collect()
}

/// The favourite on quality over the last year, with the others' share, or that there
/// is none: the labs' mean probabilities closer than [`tie`]. The title names the months
/// it averages.
fn title(quality: &[Vec<Band>], ctx: &Ctx<'_>) -> String {
    let labs = ctx.labs();
    let window = last_year_months(ctx.summary.months);
    let probs = mean_over(quality, &window);
    let finite = || probs.iter().copied().filter(|p| p.is_finite());
    let (lo, hi) = (
        finite().fold(f64::INFINITY, f64::min),
        finite().fold(f64::NEG_INFINITY, f64::max),
    );
    if labs.len() < 2 || !hi.is_finite() || window.is_empty() {
        return "Who has the best model, month by month".to_string();
    }
    let span = ctx
        .summary
        .calendar
        .span(i64::from(window.start), i64::from(window.end) - 1);
    if hi < 0.005 {
        return format!(
            "No lab has the best model on its own in {span}: none pulled ahead by the lead margin"
        );
    }
    let runs = ctx.summary.runs;
    if runs == 1 {
        let top = probs.iter().position(|&p| p == hi).unwrap_or(0);
        return format!(
            "In the one simulation, {} has the best model in {} of the months of {span}",
            labs[top].name,
            pct(hi)
        );
    }
    if tie(runs) >= 0.5 {
        return format!(
            "Who has the best model, month by month: {runs} simulations are too few to say \
             who is favoured"
        );
    }
    if hi - lo < tie(runs) {
        return format!(
            "No lab is favoured in {span}: each has the best model in {} of simulations (averaged over those months)",
            pct_range(lo, hi)
        );
    }
    let top = probs.iter().position(|&p| p == hi).unwrap_or(0);
    let others = probs
        .iter()
        .enumerate()
        .filter(|&(i, p)| i != top && p.is_finite());
    let (olo, ohi) = others.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, &p)| {
        (a.min(p), b.max(p))
    });
    let rest = if !olo.is_finite() {
        String::new()
    } else if labs.len() == 2 {
        format!(", {} {}", labs[1 - top].name, pct(olo))
    } else {
        format!(", the others {}", pct_range(olo, ohi))
    };
    format!(
        "{} is the likeliest to have the best model in {span}: in {} of simulations (averaged over those months){rest}",
        labs[top].name,
        pct(hi)
    )
}

/// How close the labs' probabilities of leading must be for the title to call none
/// favoured: two standard errors of a difference of two shares near one half over
/// `runs` simulations (14 points at 100 runs, 4.5 at 1,000), and never under 5 points, so that a lead
/// of a few points that sampling could make is not a favourite.
fn tie(runs: u64) -> f64 {
    (2.0 * (0.5 / runs.max(1) as f64).sqrt()).max(0.05)
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
    // Stacked as they are: what the labs leave below 100% is the simulations in which no
    // lab leads yet (grey); only a total past 1, from rounding, is scaled down.
    let mut lower = vec![0.0; months];
    for (i, lab) in labs.iter().enumerate() {
        let mut upper = lower.clone();
        for (m, row) in probs.iter().enumerate() {
            let total: f64 = row.iter().filter(|v| v.is_finite()).sum();
            let share = if row[i].is_finite() {
                row[i] / total.max(1.0)
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
        if i + 1 < labs.len() {
            // A white edge between neighbours, so similar colours never merge.
            let edge: Vec<(f64, f64)> = (0..months)
                .flat_map(|m| [(m as f64, upper[m]), (m as f64 + 1.0, upper[m])])
                .collect();
            chart.draw_series(std::iter::once(PathElement::new(
                edge,
                WHITE.stroke_width(ctx.px(1.5) as u32),
            )))?;
        }
        lower = upper;
    }
    for (m, &led) in lower.iter().enumerate() {
        if led < LED_IN_FULL {
            let (x0, x1) = (m as f64, m as f64 + 1.0);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x0, led), (x1, 1.0)],
                NO_LEADER.filled(),
            )))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A month's band with every quantile at its mean.
    fn band(month: u32, mean: f64) -> Band {
        Band {
            month,
            mean,
            p5: mean,
            p25: mean,
            p50: mean,
            p75: mean,
            p95: mean,
        }
    }

    #[test]
    fn the_title_averages_the_last_twelve_months_or_all_of_a_shorter_horizon() {
        assert_eq!(last_year_months(120), 108..120);
        assert_eq!(last_year_months(7), 0..7);
        // Month 107 is outside the last year of 120 months; NaN months are skipped.
        let series = vec![vec![
            band(107, 1.0),
            band(108, 0.2),
            band(119, 0.4),
            band(110, f64::NAN),
        ]];
        let got = mean_over(&series, &last_year_months(120));
        assert!((got[0] - 0.3).abs() < 1e-12, "{got:?}");
    }

    #[test]
    fn months_in_which_no_lab_leads_yet_are_noticed() {
        // Two labs: nobody leads at month 0, then one of them always does.
        let led = |m0: f64| {
            vec![
                vec![band(0, m0), band(1, 0.7)],
                vec![band(0, 0.0), band(1, 0.3)],
            ]
        };
        assert!(some_month_unled(&led(0.0)));
        assert!(some_month_unled(&led(0.9)));
        assert!(!some_month_unled(&led(1.0)));
    }

    #[test]
    fn a_tie_is_wider_with_fewer_runs_and_never_under_five_points() {
        assert_eq!(tie(1000), 0.05);
        assert_eq!(tie(1_000_000), 0.05);
        assert!((tie(100) - 0.1414).abs() < 1e-3);
        assert!(tie(0).is_finite());
    }
}
