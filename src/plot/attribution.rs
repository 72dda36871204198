//! `attribution`: what each channel accounts for in the two measures the verdict rests
//! on, the quality leader's lead changes a year and its persistence against chance, one
//! panel above the other: the channel's Shapley value as a bar, its 95% bootstrap
//! interval as a whisker, its share of the difference between the factual world and the
//! world with every channel off written beside it. The other measures (the market
//! leader's, the early leader's, the gap's) are in `attribution.csv` and the report's
//! tables: eight panels would not read at a phone's width. Also the horizontal bar panel
//! that `leapfrogs` shares.

use crate::math;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::axes::{AXIS_TITLE_SIZE, PANEL_TITLE_SIZE, TICK_SIZE, stack, tick_step, value_grid};
use super::chart::Chart;
use super::explain::ExplainInput;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame};
use super::theme::{INK, INK_SOFT, OKABE_ITO};
use crate::explain::Channel;
use crate::explain::attribution::{MeasureAttribution, Status, all_off_words};
use crate::numbers::minus;

/// One bar of a panel.
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: f64,
    /// The whisker, when there is one.
    pub(crate) whisker: Option<(f64, f64)>,
    /// Written at the bar's end.
    pub(crate) note: String,
    pub(crate) color: RGBColor,
}

/// A panel of horizontal bars around zero.
pub(crate) struct Panel {
    pub(crate) title: String,
    pub(crate) axis: String,
    pub(crate) bars: Vec<Bar>,
    /// Said instead of bars when there are none.
    pub(crate) empty: String,
}

/// A bar's colour by the direction of its effect: blue where the channel raises the
/// measure, vermilion where it lowers it (a colour-blind-safe pair). Channels are named by
/// their rows, so colour says only the direction and never repeats a lab's.
pub(crate) fn direction_color(effect: f64) -> RGBColor {
    if effect >= 0.0 {
        OKABE_ITO[4]
    } else {
        OKABE_ITO[5]
    }
}

/// The measures charted: name, panel title, how a title says what a channel adds to it
/// and takes from it (`{}` the amount), and the panel's axis.
const CHARTED: [(&str, &str, &str, &str, &str); 2] = [
    (
        "changes_per_year_quality",
        "Lead changes a year",
        "adds {} lead changes a year",
        "removes {} lead changes a year",
        "effect on the quality lead's changes a year",
    ),
    (
        "persistence_norm_quality",
        "Persistence against chance",
        "adds {} to persistence against chance",
        "takes {} from persistence against chance",
        "effect on persistence against chance (0: leader at random, 1: permanent)",
    ),
];

pub(crate) struct AttributionChart;

/// What the attribution chart shows.
pub(crate) struct AttributionData {
    title: String,
    subtitle: String,
    panels: Vec<Panel>,
}

impl Chart for AttributionChart {
    const NAME: &'static str = "attribution";
    const READ: &'static str = "Each bar is what one channel changes in the measure, averaged \
        over every order of switching the channels off (its Shapley value); a bar whose whisker \
        crosses zero is not told apart from no effect, and the bars of a panel add up to the \
        difference between the factual world and the world with the attributed channels \
        off.";
    type Input = ExplainInput;
    type Data = AttributionData;

    fn data(input: &ExplainInput) -> Result<AttributionData, PlotError> {
        let a = &input.attribution;
        // One simulation has no spread to bootstrap: no whiskers, and the subtitle says so.
        let intervals = input.summary.runs >= 2;
        let used: Vec<Channel> = a
            .channels
            .iter()
            .filter(|c| c.status == Status::Used)
            .filter_map(|c| Channel::parse(&c.name))
            .collect();
        let mut panels = Vec::new();
        let mut said = Vec::new();
        for (name, label, adds, takes, axis) in CHARTED {
            let Some(m) = a.measures.get(name) else {
                continue;
            };
            let bars = used
                .iter()
                .filter_map(|c| {
                    let e = m.channels.get(c.name())?;
                    Some(Bar {
                        label: c.label().to_string(),
                        value: e.effect,
                        whisker: intervals.then_some((e.ci_low, e.ci_high)),
                        note: e.share.map_or_else(String::new, |share| {
                            percent(share, e.share_ci_low.zip(e.share_ci_high))
                        }),
                        color: direction_color(e.effect),
                    })
                })
                .collect();
            panels.push(Panel {
                title: panel_heading(label, m, &all_off_words(&a.channels)),
                axis: axis.to_string(),
                bars,
                empty: "no channel in use".into(),
            });
            said.push(what_changes(m, &used, adds, takes));
        }
        if panels.is_empty() {
            return Err(PlotError::Options(format!(
                "the explanation attributes neither {} nor {}: nothing to chart",
                CHARTED[0].0, CHARTED[1].0
            )));
        }
        let unused = a
            .channels
            .iter()
            .filter(|c| c.status != Status::Used)
            .count();
        Ok(AttributionData {
            title: headline(&said),
            subtitle: format!(
                "The quality leader. Each channel's Shapley value over {} worlds with channels \
                 switched off, the same simulations and random numbers in every world (bars; \
                 {}), and its share of the difference between the factual world and the world \
                 with {} (percentages; above 100% or below 0 when other channels pull the other \
                 way). Blue: the channel raises the measure; vermilion: it lowers it.{}",
                a.worlds,
                if intervals {
                    "whiskers: 95% bootstrap intervals over simulations"
                } else {
                    "one simulation, so no intervals"
                },
                all_off_words(&a.channels),
                if unused > 0 {
                    " Channels the scenario does not use are left out."
                } else {
                    ""
                }
            ),
            panels,
        })
    }

    fn frame(d: &AttributionData, _ctx: &Ctx<'_>) -> Frame {
        Frame::new(d.title.clone(), d.subtitle.clone(), Vec::new())
    }

    fn plot<DB: Backend>(d: &AttributionData, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let weights = vec![1.0; d.panels.len()];
        for (area, p) in stack(plot, &weights, ctx.px(24.0), 0).iter().zip(&d.panels) {
            bar_panel(area, ctx, p)?;
        }
        Ok(())
    }
}

/// The channel with the largest effect on a measure among those whose interval excludes
/// zero, and its effect.
fn top(m: &MeasureAttribution, used: &[Channel]) -> Option<(Channel, f64)> {
    used.iter()
        .filter_map(|c| Some((*c, m.channels.get(c.name())?)))
        .filter(|(_, e)| e.effect.is_finite() && (e.ci_low > 0.0 || e.ci_high < 0.0))
        .max_by(|a, b| a.1.effect.abs().total_cmp(&b.1.effect.abs()))
        .map(|(c, e)| (c, e.effect))
}

/// The channel that changes a measure most and what it does, in words (`adds` or
/// `takes` with the amount for `{}`).
fn what_changes(
    m: &MeasureAttribution,
    used: &[Channel],
    adds: &str,
    takes: &str,
) -> Option<(Channel, String)> {
    top(m, used).map(|(c, effect)| {
        let what = if effect >= 0.0 { adds } else { takes };
        (c, what.replace("{}", &short(effect.abs())))
    })
}

/// The title: which channel changes each charted measure most, and by how much.
fn headline(said: &[Option<(Channel, String)>]) -> String {
    let found: Vec<&(Channel, String)> = said.iter().flatten().collect();
    match found.as_slice() {
        [] => "No channel's effect on the quality lead is told apart from zero".into(),
        [(c, what)] => format!("{} {what}", capitalise(title_name(*c))),
        [(c1, w1), (c2, w2), ..] if c1 == c2 => {
            format!("{} {w1} and {w2}", capitalise(title_name(*c1)))
        }
        [(c1, w1), (c2, w2), ..] => format!(
            "{} {w1}; {} {w2}",
            capitalise(title_name(*c1)),
            title_name(*c2)
        ),
    }
}

/// How a title names a channel: its phrase without the explanation in brackets.
fn title_name(c: Channel) -> &'static str {
    let phrase = c.phrase();
    phrase.split(" (").next().unwrap_or(phrase)
}

/// `word` with a capital first letter.
fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A share as a percentage, never "-0%", with the decimals its interval needs (as the
/// report's text and tables write it: -0.7%, not -1%).
fn percent(share: f64, interval: Option<(f64, f64)>) -> String {
    let [text, ..] = match interval {
        Some((low, high)) => crate::numbers::percent_with_interval(share, low, high),
        None => crate::numbers::percent_with_interval(share, share, share),
    };
    minus(format!("{text}%"))
}

/// A panel's heading: the measure in the factual world and with the channels off, and
/// the difference the shares divide, with its sign (a channel that lowers the measure
/// has a positive share of a negative difference).
fn panel_heading(label: &str, m: &MeasureAttribution, off: &str) -> String {
    let sign = if m.factual >= m.all_off { "+" } else { "" };
    format!(
        "{label}: {}; {off}: {}; shares are of the difference, {sign}{}",
        short(m.factual),
        short(m.all_off),
        short(m.factual - m.all_off)
    )
}

/// A value in a title, to about three significant digits.
pub(crate) fn short(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let decimals = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    minus(crate::numbers::fixed(v, decimals))
}

/// Draws a panel of horizontal bars around zero in `area`.
pub(crate) fn bar_panel<DB: Backend>(area: &Area<DB>, ctx: &Ctx<'_>, p: &Panel) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let title = ctx
        .font(PANEL_TITLE_SIZE - 2.0, INK)
        .pos(Pos::new(HPos::Left, VPos::Top));
    area.draw_text(&p.title, &title, (ctx.px(8.0), 0))?;
    let top = ctx.px(36.0);
    if p.bars.is_empty() {
        let style = ctx
            .font(AXIS_TITLE_SIZE, INK_SOFT)
            .pos(Pos::new(HPos::Left, VPos::Top));
        area.draw_text(&p.empty, &style, (ctx.px(8.0), top + ctx.px(10.0)))?;
        return Ok(());
    }
    let label_style = ctx
        .font(TICK_SIZE + 1.0, INK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let note_style = ctx
        .font(TICK_SIZE - 1.0, INK_SOFT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (mut label_width, mut note_width) = (0, 0);
    for b in &p.bars {
        label_width = label_width.max(area.estimate_text_size(&b.label, &label_style)?.0 as i32);
        note_width = note_width.max(area.estimate_text_size(&b.note, &note_style)?.0 as i32);
    }
    // Room on the right for the note of a bar that reaches the axis' end.
    let x0 = ctx.px(12.0) + label_width + ctx.px(12.0);
    let x1 = w - note_width - ctx.px(16.0);
    let axis_height = ctx.px(58.0);
    let (y0, y1) = (top, h - axis_height);
    let finite = |v: &f64| v.is_finite();
    let values: Vec<f64> = p
        .bars
        .iter()
        .flat_map(|b| {
            let (lo, hi) = b.whisker.unwrap_or((b.value, b.value));
            [b.value, lo, hi]
        })
        .filter(finite)
        .chain([0.0])
        .collect();
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if hi - lo < 1e-12 {
        hi = lo + 1.0;
    }
    let step = tick_step(hi - lo, 5.0);
    lo = (lo / step).floor() * step;
    hi = (hi / step).ceil() * step;
    let x = |v: f64| x0 + ((v - lo) / (hi - lo) * f64::from(x1 - x0)).round() as i32;
    let tick_style = ctx
        .font(TICK_SIZE, INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let decimals = (-math::log10(step).floor()).max(0.0) as usize;
    let tick_label = |t: f64| {
        if t.abs() < step * 1e-6 {
            "0".to_string()
        } else {
            minus(format!("{t:.decimals$}"))
        }
    };
    let labels = (&tick_style, y1 + ctx.px(4.0));
    value_grid(area, x, (lo, hi, step), (y0, y1), labels, tick_label)?;
    let axis_style = ctx
        .font(AXIS_TITLE_SIZE - 2.0, INK_SOFT)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    area.draw_text(&p.axis, &axis_style, ((x0 + x1) / 2, h))?;
    let band = (y1 - y0) / p.bars.len() as i32;
    let bar = (f64::from(band) * 0.6).round().min(f64::from(ctx.px(40.0))) as i32;
    for (i, b) in p.bars.iter().enumerate() {
        let mid = y0 + band * i as i32 + band / 2;
        area.draw_text(&b.label, &label_style, (x0 - ctx.px(10.0), mid))?;
        if !b.value.is_finite() {
            continue;
        }
        let (a, z) = (x(0.0), x(b.value.clamp(lo, hi)));
        area.draw(&Rectangle::new(
            [
                (a.min(z), mid - bar / 2),
                (a.max(z).max(a.min(z) + 1), mid + bar / 2),
            ],
            b.color.filled(),
        ))?;
        let mut end = a.max(z);
        if let Some((wl, wh)) = b.whisker.filter(|(l, h)| l.is_finite() && h.is_finite()) {
            let (l, r) = (x(wl.clamp(lo, hi)), x(wh.clamp(lo, hi)));
            let ink = INK.stroke_width(ctx.px(2.0) as u32);
            let cap = bar / 3;
            area.draw(&PathElement::new(vec![(l, mid), (r, mid)], ink))?;
            area.draw(&PathElement::new(vec![(l, mid - cap), (l, mid + cap)], ink))?;
            area.draw(&PathElement::new(vec![(r, mid - cap), (r, mid + cap)], ink))?;
            end = end.max(r);
        }
        if !b.note.is_empty() {
            area.draw_text(&b.note, &note_style, (end + ctx.px(6.0), mid))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::explain::attribution::Effect;

    fn measure(effects: &[(Channel, f64, f64, f64)]) -> MeasureAttribution {
        let channels: BTreeMap<String, Effect> = effects
            .iter()
            .map(|&(c, effect, ci_low, ci_high)| {
                let e = Effect {
                    effect,
                    share: None,
                    ci_low,
                    ci_high,
                    share_ci_low: None,
                    share_ci_high: None,
                    sampling_se: None,
                };
                (c.name().to_string(), e)
            })
            .collect();
        let total = effects.iter().map(|e| e.1).sum();
        MeasureAttribution {
            factual: total,
            all_off: 0.0,
            total,
            total_ci_low: None,
            total_ci_high: None,
            channels,
        }
    }

    #[test]
    fn the_title_names_the_largest_effect_told_apart_from_zero() {
        use Channel::{Cadence, Luck, SelfImprovement};
        let used = [SelfImprovement, Cadence, Luck];
        // Luck is larger but its interval crosses zero: the cadence is named.
        let changes = measure(&[(Cadence, 2.1, 2.0, 2.2), (Luck, -3.0, -6.0, 0.5)]);
        assert_eq!(top(&changes, &used), Some((Cadence, 2.1)));
        let persistence = measure(&[
            (SelfImprovement, 0.49, 0.47, 0.5),
            (Cadence, -0.3, -0.4, -0.2),
        ]);
        let said =
            |m: &MeasureAttribution, adds: &str, takes: &str| what_changes(m, &used, adds, takes);
        let (_, _, a1, t1, _) = CHARTED[0];
        let (_, _, a2, t2, _) = CHARTED[1];
        assert_eq!(
            headline(&[said(&changes, a1, t1), said(&persistence, a2, t2)]),
            "The cadence adds 2.10 lead changes a year; self-improvement adds 0.49 to \
             persistence against chance"
        );
        let lost = measure(&[(Cadence, -0.47, -0.5, -0.44)]);
        assert_eq!(
            headline(&[said(&changes, a1, t1), said(&lost, a2, t2)]),
            "The cadence adds 2.10 lead changes a year and takes 0.47 from persistence \
             against chance"
        );
        let mut persistence = persistence;
        (persistence.factual, persistence.all_off) = (0.08, 1.0);
        assert_eq!(
            panel_heading(
                "Persistence against chance",
                &persistence,
                "every channel off"
            ),
            "Persistence against chance: 0.08; every channel off: 1.00; shares are of the \
             difference, \u{2212}0.92"
        );
        let up = measure(&[(Cadence, 2.1, 2.0, 2.2)]);
        assert!(panel_heading("x", &up, "off").ends_with("difference, +2.10"));
        let nothing = measure(&[(Luck, 0.1, -0.2, 0.4)]);
        assert_eq!(
            headline(&[said(&nothing, a1, t1), None]),
            "No channel's effect on the quality lead is told apart from zero"
        );
    }
}
