//! `lead_survival`, the headline chart: S(h), the probability that the lab leading at
//! some month still leads h months later, against h, with its 95% interval and chance
//! (1/n for n labs) marked. In a race the curve stays high; in a run it falls to chance.
//! The drawing is shared with `compare`, which puts one curve per scenario on it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::axes::{
    TICK_SIZE, Ticked, ValueFormat, Y_LABEL_AREA, nice_ticks, style_mesh, ticked_chart,
};
use super::chart::Chart;
use super::data::RunInput;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::marks::{Dash, Shape, Style, finite_runs};
use super::story::pct;
use super::theme::{INK_SOFT, PAIR_A, PAIR_C};
use crate::schema::{Survival, SurvivalCurve};

pub(crate) struct LeadSurvival;

/// One curve as drawn: label, colour, style, and S(h) with its interval.
pub(crate) struct Curve {
    pub(crate) label: String,
    pub(crate) color: RGBColor,
    pub(crate) style: Style,
    pub(crate) curve: SurvivalCurve,
}

/// Why a summary without lead survival cannot be drawn, and what to do.
pub(crate) const NO_SURVIVAL: &str = "summary.json has no `survival` (lead survival); it was \
    written by a racerun that did not compute it: run the scenario again with this version";

/// Why a one-lab world has no lead survival to draw.
pub(crate) const ONE_LAB: &str = "the scenario has one lab: a lead needs a rival to lose it to";

/// S(h) at `h` months, if the curve reaches it.
pub(crate) fn at(curve: &SurvivalCurve, h: u32) -> Option<f64> {
    let k = curve.h.iter().position(|&x| x == h)?;
    Some(curve.mean[k]).filter(|v| v.is_finite())
}

/// The horizon the title reads S at: two years, when each run has at least as many
/// starting months as months followed (48 months or more); in a shorter run of `months`,
/// the longest horizon that does (S at its last horizons rests on a month or two of each
/// run). Without the run's length (`compare`), two years if the curve reaches them, else
/// half the longest horizon it reaches.
pub(crate) fn reading_horizon(curve: &SurvivalCurve, months: Option<u32>) -> u32 {
    let half = match months {
        Some(m) => (m / 2).min(24),
        None if curve.h.contains(&24) => 24,
        None => curve.h.last().copied().unwrap_or(1).div_ceil(2),
    };
    curve
        .h
        .iter()
        .copied()
        .filter(|&h| h <= half)
        .max()
        .or_else(|| curve.h.first().copied())
        .unwrap_or(1)
}

/// `two years`, `18 months`, `1 month`.
pub(crate) fn span(h: u32) -> String {
    match h {
        1 => "1 month".to_string(),
        h if h % 12 == 0 && h > 12 => format!("{} years", h / 12),
        12 => "a year".to_string(),
        h => format!("{h} months"),
    }
}

/// What S(h) says, in words: whether the lead lasts, fades or falls to chance.
pub(crate) fn verdict_words(s: f64, chance: f64) -> &'static str {
    if s >= chance + 0.6 * (1.0 - chance) {
        "lasts"
    } else if s <= chance + 0.15 * (1.0 - chance) {
        "falls to chance"
    } else {
        "fades"
    }
}

/// Chance beside a value near it: "about chance (33%)" within 5 points, "against 20% by
/// chance" further off (32% of five labs is 1.6 times chance, not about it).
fn against_chance(v: f64, chance: f64) -> String {
    if (v - chance).abs() <= 0.05 {
        format!("about chance ({})", pct(chance))
    } else {
        format!("against {} by chance", pct(chance))
    }
}

impl Chart for LeadSurvival {
    const NAME: &'static str = "lead_survival";
    const READ: &'static str = "Pick a month and the lab leading then: the curve is the chance \
        it still leads h months later. A curve that stays high is a race (leads last); one that \
        falls to the dotted chance line is a run (after h months the old leader is no likelier \
        to lead than any other lab). Shading: 95% interval.";
    type Input = RunInput;
    type Data = Survival;

    fn missing(input: &RunInput) -> Option<String> {
        if input.summary.labs.len() < 2 {
            return Some(ONE_LAB.to_string());
        }
        input.survival.is_none().then(|| NO_SURVIVAL.to_string())
    }

    fn data(input: &RunInput) -> Result<Survival, PlotError> {
        input
            .survival
            .clone()
            .ok_or_else(|| PlotError::Options(NO_SURVIVAL.to_string()))
    }

    fn frame(s: &Survival, ctx: &Ctx<'_>) -> Frame {
        let h = reading_horizon(&s.quality, Some(ctx.summary.months));
        let title = match at(&s.quality, h) {
            Some(v) => {
                let chance = s.chance_quality;
                match verdict_words(v, chance) {
                    "lasts" => format!(
                        "The lead lasts: {} on, the leading lab still has the best model {} of \
                         the time (chance: {})",
                        span(h),
                        pct(v),
                        pct(chance)
                    ),
                    "falls to chance" => format!(
                        "The lead does not last: {} on, the leading lab has the best model {} \
                         of the time, {}",
                        span(h),
                        pct(v),
                        against_chance(v, chance)
                    ),
                    _ => format!(
                        "The lead fades: {} on, the leading lab still has the best model {} of \
                         the time (chance: {})",
                        span(h),
                        pct(v),
                        pct(chance)
                    ),
                }
            }
            None => "How long a lead survives".to_string(),
        };
        Frame::new(
            title,
            "Lead survival: the probability that the lab leading in a given month still leads \
             h months later, averaged over months and simulations. Shading: 95% bootstrap \
             interval; dotted: chance, one over the number of labs.",
            curves(s)
                .iter()
                .map(|c| LegendItem::new(c.label.clone(), Swatch::Line(c.color, c.style)))
                .chain([LegendItem::new(
                    "chance (1/n)",
                    Swatch::Line(
                        INK_SOFT,
                        Style {
                            dash: Dash::Dotted,
                            shape: None,
                        },
                    ),
                )])
                .collect(),
        )
    }

    fn plot<DB: Backend>(s: &Survival, area: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let mut chances = vec![(
            s.chance_quality,
            format!("chance, {}", pct(s.chance_quality)),
        )];
        if (s.chance_market - s.chance_quality).abs() > 1e-9 {
            chances.push((
                s.chance_market,
                format!("chance (market), {}", pct(s.chance_market)),
            ));
        }
        draw_survival(area, ctx, &curves(s), &chances)
    }
}

/// The quality and market curves of one summary.
fn curves(s: &Survival) -> Vec<Curve> {
    vec![
        Curve {
            label: "Best model (quality lead)".into(),
            color: PAIR_A,
            style: Style {
                dash: Dash::Solid,
                shape: Some(Shape::Circle),
            },
            curve: s.quality.clone(),
        },
        Curve {
            label: "Most customers (market lead)".into(),
            color: PAIR_C,
            style: Style {
                dash: Dash::Dashed,
                shape: Some(Shape::Triangle),
            },
            curve: s.market.clone(),
        },
    ]
}

/// Draws S(h) curves with their intervals on a 0-100% axis over months 0 to the longest
/// horizon, with dotted chance lines labelled at their right end.
pub(crate) fn draw_survival<DB: Backend>(
    area: &Area<DB>,
    ctx: &Ctx<'_>,
    curves: &[Curve],
    chances: &[(f64, String)],
) -> DrawResult {
    let horizon = curves
        .iter()
        .filter_map(|c| c.curve.h.last().copied())
        .max()
        .unwrap_or(1) as f64;
    let plot_w = area.dim_in_pixel().0 as i32 - ctx.px(Y_LABEL_AREA + 30.0);
    let max_x = (plot_w / ctx.px(TICK_SIZE * 4.0)).clamp(3, 12) as usize;
    let x_ticks = if horizon >= 36.0 {
        let years = (horizon / 12.0).floor();
        let step = nice_ticks(0.0, years, max_x, false);
        let step = step.get(1).copied().unwrap_or(1.0).max(1.0) * 12.0;
        (0..=(horizon / step) as i64)
            .map(|k| k as f64 * step)
            .collect()
    } else {
        nice_ticks(0.0, horizon, max_x, false)
    };
    let y_ticks = vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
    let mut chart = ticked_chart(
        area,
        ctx,
        Ticked::new(0.0..horizon, x_ticks),
        Ticked::new(0.0..1.0, y_ticks),
        (8.0, 30.0),
    )?;
    let xf = |v: &f64| crate::numbers::thousands(v.round() as i64);
    let yf = |v: &f64| ValueFormat::Percent.format(*v);
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh, ctx);
    mesh.x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .x_desc("Months later (h)")
        .y_desc("Still leads h months later (%)")
        .draw()?;

    let label = ctx
        .font(TICK_SIZE, INK_SOFT)
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (chance, text) in chances {
        chart.draw_series(DashedLineSeries::new(
            [(0.0, *chance), (horizon, *chance)],
            ctx.px(3.0),
            ctx.px(6.0),
            INK_SOFT.stroke_width(ctx.px(2.5) as u32),
        ))?;
        // Below the line at the left, where every curve is still well above chance
        // (at the right, run worlds' curves lie on the line).
        let (px, py) = chart.backend_coord(&(0.0, *chance));
        let plot = chart.plotting_area().strip_coord_spec();
        let base = plot.get_base_pixel();
        plot.draw_text(
            text,
            &label,
            (px - base.0 + ctx.px(6.0), py - base.1 + ctx.px(6.0)),
        )?;
    }
    for c in curves {
        let points: Vec<(f64, [f64; 2])> = c
            .curve
            .h
            .iter()
            .zip(c.curve.ci_low.iter().zip(&c.curve.ci_high))
            .map(|(&h, (&lo, &hi))| (f64::from(h), [lo, hi]))
            .collect();
        for run in finite_runs(&points, |&(_, [lo, hi])| [lo, hi]) {
            let upper = run.iter().map(|&(h, [_, hi])| (h, hi));
            let lower = run.iter().rev().map(|&(h, [lo, _])| (h, lo));
            chart.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                c.color.mix(0.2).filled(),
            )))?;
        }
    }
    for (i, c) in curves.iter().enumerate() {
        let line: Vec<(f64, f64)> = c
            .curve
            .h
            .iter()
            .zip(&c.curve.mean)
            .map(|(&h, &v)| (f64::from(h), v))
            .collect();
        super::marks::draw_styled(&mut chart, ctx, &line, c.color, c.style, i as f64 / 3.0)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_curve() {
        assert_eq!(verdict_words(0.9, 1.0 / 3.0), "lasts");
        assert_eq!(verdict_words(0.36, 1.0 / 3.0), "falls to chance");
        assert_eq!(verdict_words(0.6, 1.0 / 3.0), "fades");
        assert_eq!(span(24), "2 years");
        assert_eq!(span(12), "a year");
        assert_eq!(span(18), "18 months");
    }

    #[test]
    fn chance_is_named_as_near_only_when_it_is() {
        assert_eq!(against_chance(0.36, 1.0 / 3.0), "about chance (33%)");
        // Five labs: 32% is within 15% of the range from chance to certainty, but 1.6
        // times chance.
        assert_eq!(against_chance(0.32, 0.2), "against 20% by chance");
    }

    #[test]
    fn a_short_run_is_read_where_its_curve_rests_on_many_months() {
        let curve = |last: u32| SurvivalCurve {
            h: (1..=last).collect(),
            mean: vec![0.5; last as usize],
            ci_low: vec![0.4; last as usize],
            ci_high: vec![0.6; last as usize],
        };
        assert_eq!(reading_horizon(&curve(24), Some(120)), 24);
        assert_eq!(reading_horizon(&curve(24), Some(48)), 24);
        // A 26-month run reaches S(24), which rests on two starting months of each run.
        assert_eq!(reading_horizon(&curve(24), Some(26)), 13);
        // An 18-month run: S(16) rests on two starting months of each run.
        assert_eq!(reading_horizon(&curve(16), Some(18)), 9);
        assert_eq!(reading_horizon(&curve(16), None), 8);
        assert_eq!(reading_horizon(&curve(24), None), 24);
        assert_eq!(reading_horizon(&curve(1), Some(2)), 1);
    }
}
