//! `attribution`: what each channel accounts for, one panel per attributed measure
//! (quality leader on the left, market leader on the right): the channel's Shapley value
//! as a bar, its 95% bootstrap interval as a whisker, its share of the difference between
//! the factual world and the world with every channel off written beside it. Also the
//! horizontal bar panel that `leapfrogs` shares.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::axes::{stack, tick_step, value_grid};
use super::chart::Chart;
use super::explain::ExplainInput;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::theme::{INK, INK_SOFT, OKABE_ITO};
use crate::explain::attribution::Status;
use crate::explain::{ATTRIBUTED, CHANNELS, Channel};
use crate::measures;
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

/// Each channel's colour, the same in every panel.
pub(crate) fn channel_color(c: Channel) -> RGBColor {
    let i = CHANNELS.iter().position(|x| *x == c).unwrap_or(0);
    [
        OKABE_ITO[5],
        OKABE_ITO[4],
        OKABE_ITO[2],
        OKABE_ITO[1],
        OKABE_ITO[0],
        OKABE_ITO[6],
        OKABE_ITO[7],
    ][i]
}

pub(crate) struct AttributionChart;

/// What the attribution chart shows.
pub(crate) struct AttributionData {
    title: String,
    subtitle: String,
    legend: Vec<(String, RGBColor)>,
    panels: Vec<Panel>,
}

impl Chart for AttributionChart {
    const NAME: &'static str = "attribution";
    const READ: &'static str = "Each bar is what one channel changes in the measure, averaged \
        over every order of switching the channels off (its Shapley value); a bar whose whisker \
        crosses zero is not told apart from no effect, and the bars of a panel add up to the \
        difference between the factual world and the world with every channel off.";
    type Input = ExplainInput;
    type Data = AttributionData;

    fn data(input: &ExplainInput) -> Result<AttributionData, PlotError> {
        let a = &input.attribution;
        let used: Vec<Channel> = a
            .channels
            .iter()
            .filter(|c| c.status == Status::Used)
            .filter_map(|c| Channel::parse(&c.name))
            .collect();
        let months = input.summary.months;
        let mut panels = Vec::new();
        for name in ATTRIBUTED {
            let Some(m) = a.measures.get(name) else {
                continue;
            };
            let (label, unit) = measures::find(name)
                .map(|x| (x.label(months, 24), x.unit(months, 24)))
                .unwrap_or_else(|| (name.to_string(), String::new()));
            let bars = used
                .iter()
                .filter_map(|c| {
                    let e = m.channels.get(c.name())?;
                    Some(Bar {
                        label: c.name().replace('_', " "),
                        value: e.effect,
                        whisker: Some((e.ci_low, e.ci_high)),
                        note: e.share.map_or_else(String::new, percent),
                        color: channel_color(*c),
                    })
                })
                .collect();
            panels.push(Panel {
                title: format!(
                    "{label}: {} (every channel off: {})",
                    short(m.factual),
                    short(m.all_off)
                ),
                axis: if unit.len() > 40 {
                    "effect".into()
                } else {
                    format!("effect ({unit})")
                },
                bars,
                empty: "no channel in use".into(),
            });
        }
        let title = headline(&panels);
        Ok(AttributionData {
            title,
            subtitle: format!(
                "Each channel's Shapley value over {} worlds with channels switched off, the same \
                 runs and random numbers in every world: the change in the measure it accounts \
                 for (bars; whiskers are 95% bootstrap intervals over runs), and its share of \
                 the difference between the factual world and the world with every channel off \
                 (percentages). The values add up to that difference.",
                a.worlds
            ),
            legend: used
                .iter()
                .map(|c| (c.name().replace('_', " "), channel_color(*c)))
                .collect(),
            panels,
        })
    }

    fn frame(d: &AttributionData, _ctx: &Ctx<'_>) -> Frame {
        Frame::new(
            d.title.clone(),
            d.subtitle.clone(),
            d.legend
                .iter()
                .map(|(l, c)| LegendItem::new(l.clone(), Swatch::Block(*c)))
                .collect(),
        )
    }

    fn plot<DB: Backend>(d: &AttributionData, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let rows = d.panels.len().div_ceil(2).max(1);
        for (r, row) in stack(plot, &vec![1.0; rows], ctx.px(18.0), 0)
            .into_iter()
            .enumerate()
        {
            let (w, _) = row.dim_in_pixel();
            let (left, right) = row.split_horizontally(w as i32 / 2);
            for (k, area) in [left, right].iter().enumerate() {
                if let Some(p) = d.panels.get(2 * r + k) {
                    bar_panel(area, ctx, p)?;
                }
            }
        }
        Ok(())
    }
}

/// The title: the channel with the largest effect on the first measure, and whether its
/// interval excludes zero.
fn headline(panels: &[Panel]) -> String {
    let Some(first) = panels.first() else {
        return "No measure to attribute".into();
    };
    let measure = first
        .title
        .split(':')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let top = first
        .bars
        .iter()
        .filter(|b| b.value.is_finite())
        .max_by(|a, b| a.value.abs().total_cmp(&b.value.abs()));
    match top {
        None => format!("No channel in use changes the {measure}"),
        Some(b) => {
            let clear = b.whisker.is_some_and(|(l, h)| l > 0.0 || h < 0.0);
            let direction = if b.value >= 0.0 { "raises" } else { "lowers" };
            if clear {
                format!(
                    "{} {direction} the {measure} most: by {}{}",
                    capitalise(&b.label),
                    short(b.value.abs()),
                    if b.note.is_empty() {
                        String::new()
                    } else {
                        format!(", {} of the change", b.note)
                    }
                )
            } else {
                format!(
                    "No channel's effect on the {measure} is told apart from zero; the largest, {}, \
                     is {}",
                    b.label,
                    short(b.value)
                )
            }
        }
    }
}

/// `word` with a capital first letter.
fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A share as a whole percentage, never "-0%".
fn percent(share: f64) -> String {
    let text = format!("{:.0}", share * 100.0);
    if text == "-0" {
        "0%".into()
    } else {
        minus(format!("{text}%"))
    }
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
    let title = ctx.font(20.0, INK).pos(Pos::new(HPos::Left, VPos::Top));
    area.draw_text(&p.title, &title, (ctx.px(8.0), 0))?;
    let top = ctx.px(32.0);
    if p.bars.is_empty() {
        let style = ctx
            .font(19.0, INK_SOFT)
            .pos(Pos::new(HPos::Left, VPos::Top));
        area.draw_text(&p.empty, &style, (ctx.px(8.0), top + ctx.px(10.0)))?;
        return Ok(());
    }
    let label_style = ctx.font(18.0, INK).pos(Pos::new(HPos::Right, VPos::Center));
    let mut label_width = 0;
    for b in &p.bars {
        label_width = label_width.max(area.estimate_text_size(&b.label, &label_style)?.0 as i32);
    }
    let x0 = ctx.px(12.0) + label_width + ctx.px(12.0);
    let x1 = w - ctx.px(64.0);
    let axis_height = ctx.px(46.0);
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
    let tick_style = ctx.font(17.0, INK).pos(Pos::new(HPos::Center, VPos::Top));
    let decimals = (-step.log10().floor()).max(0.0) as usize;
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
        .font(17.0, INK_SOFT)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    area.draw_text(&p.axis, &axis_style, ((x0 + x1) / 2, h))?;
    let band = (y1 - y0) / p.bars.len() as i32;
    let bar = (f64::from(band) * 0.6).round().min(f64::from(ctx.px(40.0))) as i32;
    let note_style = ctx
        .font(17.0, INK_SOFT)
        .pos(Pos::new(HPos::Left, VPos::Center));
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
