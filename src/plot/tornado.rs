//! `tornado`: Sobol indices of a `racerun sensitivity` result as horizontal bars, the
//! input that matters most on top, read from the directory's `summary.json`.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::axes::{tick_step, value_grid};
use super::chart::Chart;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::sensitivity::SensitivityInput;
use super::story::pct;
use super::theme::{AXIS, INK, INK_SOFT, OKABE_ITO};
use crate::experiment::sensitivity::ParamResult;
use crate::numbers::thousands;

/// Total effect: the strong colour (Okabe-Ito blue).
const TOTAL: RGBColor = OKABE_ITO[4];
/// First order (Okabe-Ito orange).
const FIRST: RGBColor = OKABE_ITO[0];

pub(crate) struct Tornado;

/// What the tornado shows.
pub(crate) struct TornadoData {
    title: String,
    subtitle: String,
    /// The inputs, largest total effect first.
    rows: Vec<ParamResult>,
    /// Each row's label: the parameter's human name and the range studied.
    labels: Vec<String>,
    /// The index axis: range and tick step.
    lo: f64,
    hi: f64,
    step: f64,
}

impl Chart for Tornado {
    const NAME: &'static str = "tornado";
    const READ: &'static str = "Each input's bars are the share of the variation in the measure \
        it accounts for, alone (first order) and together with its interactions with the others \
        (total effect), between 0 (none) and 1 (all of it); the longest bar is the assumption \
        that decides the answer, and whiskers show the sampling uncertainty.";
    type Input = SensitivityInput;
    type Data = TornadoData;

    fn data(input: &SensitivityInput) -> Result<TornadoData, PlotError> {
        let s = &input.sensitivity;
        let mut rows = s.params.clone();
        rows.sort_by(|a, b| b.indices.st.total_cmp(&a.indices.st));
        let finite = |v: f64| if v.is_finite() { Some(v) } else { None };
        let lo = rows
            .iter()
            .flat_map(|p| [p.indices.s1_lo, p.indices.s1, p.indices.st_lo])
            .filter_map(finite)
            .fold(0.0f64, f64::min);
        let hi = rows
            .iter()
            .flat_map(|p| [p.indices.s1_hi, p.indices.st_hi, p.indices.st])
            .filter_map(finite)
            .fold(0.1f64, f64::max);
        let step = tick_step(hi - lo, 6.0);
        let (label, _, _) = super::sweep::measure_meta(&s.measure, s.months, 24);
        let measure = label.to_lowercase();
        let labels: Vec<String> = rows.iter().map(row_label).collect();
        // Only the inputs varied, over the ranges given: another range, or another input,
        // could change which matters.
        let of = match rows.len() {
            1 => "Of the one input varied".to_string(),
            n => format!("Of the {n} inputs varied"),
        };
        // The total effect is the share of the variation an input takes part in (with its
        // interactions; they can sum above 1), the first order the share it accounts for
        // alone: both said, neither as "its share".
        let named =
            |top: &ParamResult| format!("the {}", super::story::mid_sentence(&name_of(&top.param)));
        let title = match rows.first() {
            Some(top) if top.indices.st >= 0.5 => format!(
                "{of}, {} decides the {measure}: it takes part in {} of its variation, {} \
                 alone",
                named(top),
                pct(top.indices.st.min(1.0)),
                pct(top.indices.s1.clamp(0.0, 1.0))
            ),
            Some(top) if top.indices.st >= 0.2 => format!(
                "{of}, {} matters most for the {measure}, taking part in {} of its variation; \
                 none decides it alone",
                named(top),
                pct(top.indices.st)
            ),
            _ => format!(
                "None of the {} inputs varied decides the {measure}",
                rows.len()
            ),
        };
        Ok(TornadoData {
            title,
            subtitle: format!(
                "Sobol indices: the share of the variation of the {measure} (mean over {} \
                 simulations per point) that each input accounts for, alone (first order) and with \
                 its interactions (total effect); 0 is none, 1 all of it. Estimates can stray \
                 below 0 or above 1 by sampling error; whiskers: 95% bootstrap intervals. {} \
                 Saltelli samples, {} points; each input varied over the range given.",
                s.runs_per_point,
                thousands(s.samples as i64),
                thousands(s.points as i64)
            ),
            labels,
            rows,
            lo: (lo / step).floor() * step,
            hi: (hi / step).ceil() * step,
            step,
        })
    }

    fn frame(d: &TornadoData, _ctx: &Ctx<'_>) -> Frame {
        Frame::new(
            d.title.clone(),
            d.subtitle.clone(),
            vec![
                LegendItem::new("Total effect (with interactions)", Swatch::Block(TOTAL)),
                LegendItem::new("First order (alone)", Swatch::Block(FIRST)),
            ],
        )
    }

    fn plot<DB: Backend>(d: &TornadoData, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let (w, h) = plot.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let label_style = ctx.font(22.0, INK).pos(Pos::new(HPos::Right, VPos::Center));
        // Labels wrap onto two lines at most, so a long name does not squeeze the bars.
        let max_label = w * 2 / 5;
        let mut wrapped = Vec::with_capacity(d.labels.len());
        let mut label_width = 0;
        for label in &d.labels {
            let lines = super::frame::wrap(plot, label, &label_style, max_label)?;
            for line in &lines {
                label_width =
                    label_width.max(plot.estimate_text_size(line, &label_style)?.0 as i32);
            }
            wrapped.push(lines);
        }
        let x0 = ctx.px(30.0) + label_width + ctx.px(20.0);
        let x1 = w - ctx.px(70.0);
        let (y0, y1) = (ctx.px(10.0), h - ctx.px(78.0));

        let (lo, hi, step) = (d.lo, d.hi, d.step);
        let x = |v: f64| x0 + ((v - lo) / (hi - lo) * f64::from(x1 - x0)).round() as i32;

        // Grid and ticks.
        let tick_style = ctx.font(21.0, INK).pos(Pos::new(HPos::Center, VPos::Top));
        let tick_label = |t: f64| {
            let label = format!("{:.*}", if step < 0.1 { 2 } else { 1 }, t);
            match label.strip_prefix('-') {
                Some(rest) if t.abs() > step * 1e-6 => format!("\u{2212}{rest}"),
                Some(rest) => rest.to_string(),
                None => label,
            }
        };
        let labels = (&tick_style, y1 + ctx.px(8.0));
        value_grid(plot, x, (lo, hi, step), (y0, y1), labels, tick_label)?;
        plot.draw(&PathElement::new(
            vec![(x0, y1), (x1, y1)],
            AXIS.stroke_width(1),
        ))?;
        let title_style = ctx
            .font(22.0, INK_SOFT)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        plot.draw_text(
            "Sobol index: share of the variation accounted for (0 = none, 1 = all)",
            &title_style,
            ((x0 + x1) / 2, h - ctx.px(4.0)),
        )?;

        // Bars: per input, total effect above first order.
        let n = d.rows.len().max(1) as i32;
        let band = (y1 - y0) / n;
        let bar = (band as f64 * 0.3).round().min(f64::from(ctx.px(46.0))) as i32;
        let value_style = ctx
            .font(19.0, INK_SOFT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (i, p) in d.rows.iter().enumerate() {
            let mid = y0 + band * i as i32 + band / 2;
            let lines = &wrapped[i];
            let line_h = ctx.px(26.0);
            let first = mid - line_h * (lines.len() as i32 - 1) / 2;
            for (k, line) in lines.iter().enumerate() {
                plot.draw_text(
                    line,
                    &label_style,
                    (x0 - ctx.px(16.0), first + k as i32 * line_h),
                )?;
            }
            let ix = &p.indices;
            for (k, (v, vlo, vhi, color)) in [
                (ix.st, ix.st_lo, ix.st_hi, TOTAL),
                (ix.s1, ix.s1_lo, ix.s1_hi, FIRST),
            ]
            .into_iter()
            .enumerate()
            {
                let top = if k == 0 {
                    mid - bar - ctx.px(2.0)
                } else {
                    mid + ctx.px(2.0)
                };
                let centre = top + bar / 2;
                if !v.is_finite() {
                    continue;
                }
                plot.draw(&Rectangle::new(
                    [(x(0.0f64.max(lo)), top), (x(v.max(lo)), top + bar)],
                    color.filled(),
                ))?;
                let mut end = x(v.max(lo));
                if vlo.is_finite() && vhi.is_finite() {
                    let (a, b) = (x(vlo.max(lo)), x(vhi.min(hi)));
                    let cap = bar / 3;
                    let ink = INK.stroke_width(ctx.px(2.0) as u32);
                    plot.draw(&PathElement::new(vec![(a, centre), (b, centre)], ink))?;
                    plot.draw(&PathElement::new(
                        vec![(a, centre - cap), (a, centre + cap)],
                        ink,
                    ))?;
                    plot.draw(&PathElement::new(
                        vec![(b, centre - cap), (b, centre + cap)],
                        ink,
                    ))?;
                    end = end.max(b);
                }
                let text = format!("{v:.2}");
                let text = match text.strip_prefix('-') {
                    Some(rest) if rest != "0.00" => format!("\u{2212}{rest}"),
                    Some(rest) => rest.to_string(),
                    None => text,
                };
                plot.draw_text(&text, &value_style, (end + ctx.px(8.0), centre))?;
            }
        }
        Ok(())
    }
}

/// A parameter's human name from the catalogue without its parenthesis, or its path.
fn name_of(path: &str) -> String {
    crate::scenario::params::describe(path).map_or_else(
        || path.to_string(),
        |(name, _)| super::story::short(&name).to_string(),
    )
}

/// `GPU supply, 5k-60k H100e per month`: name, and the range studied (a uniform's ends,
/// else the distribution as given).
fn row_label(p: &ParamResult) -> String {
    let (name, unit) =
        crate::scenario::params::describe(&p.param).unwrap_or_else(|| (p.param.clone(), ""));
    let parsed: Option<toml::Table> = toml::from_str(&format!("d = {}", p.dist))
        .ok()
        .and_then(|t: toml::Table| t.get("d")?.as_table().cloned());
    let num = |t: &toml::Table, k: &str| {
        t.get(k)
            .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
    };
    let range = match &parsed {
        Some(t) => match (num(t, "min"), num(t, "max")) {
            (Some(a), Some(b)) => format!(
                "{}-{}",
                crate::numbers::compact(a),
                crate::numbers::compact(b)
            ),
            _ => p.dist.clone(),
        },
        None => p.dist.clone(),
    };
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    format!("{name}: {range}{unit}")
}
