//! The charts of `racerun compare`, drawn from its `compare.json`: `compare_survival`
//! (the headline chart with one curve per scenario) and `compare_scatter` (persistence
//! against lead changes per year, the verdict's regions marked, one point per scenario).
//! Scenarios take Okabe-Ito colours and line styles in the order given.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::axes::{TICK_SIZE, Ticked, nice_ticks, style_mesh, ticked_chart};
use super::chart::Chart;
use super::data::Summary;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch};
use super::marks::{Style, draw_marker};
use super::story::pct;
use super::survival::{Curve, at, draw_survival, reading_horizon, span};
use super::theme::{INK, INK_FAINT, INK_SOFT, OKABE_ITO, tint};
use crate::metrics::Regime;
use crate::numbers::list;
use crate::output::compare::{COMPARE_JSON, Comparison};

/// What the comparison's charts are drawn from.
pub(crate) struct CompareInput {
    pub(crate) summary: Summary,
    pub(crate) comparison: Comparison,
}

impl CompareInput {
    pub(crate) fn load(dir: &Path) -> Result<CompareInput, PlotError> {
        if !dir.join(COMPARE_JSON).is_file() {
            return Err(PlotError::DirNotFound {
                path: dir.to_path_buf(),
            });
        }
        let comparison = Comparison::read(dir)?;
        let names: Vec<&str> = comparison.runs.iter().map(|r| r.label.as_str()).collect();
        let mut summary = Summary::bare(
            &comparison.racerun_version,
            &list(&names),
            "",
            0,
            comparison.runs[0].seed,
            comparison.runs[0].runs,
        );
        summary.scenario_word = "scenarios";
        let seeds: Vec<u64> = comparison.runs.iter().map(|r| r.seed).collect();
        let runs: Vec<u64> = comparison.runs.iter().map(|r| r.runs).collect();
        summary.runs_note = Some(if runs.iter().all(|&r| r == runs[0]) {
            format!(
                "{} simulations each",
                crate::numbers::thousands(runs[0] as i64)
            )
        } else {
            runs.iter()
                .map(|r| crate::numbers::thousands(*r as i64))
                .collect::<Vec<_>>()
                .join(" / ")
                + " simulations"
        });
        if seeds.iter().any(|&s| s != seeds[0]) {
            summary.runs_note = summary.runs_note.map(|n| format!("{n} (seeds differ)"));
        }
        Ok(CompareInput {
            summary,
            comparison,
        })
    }
}

/// Scenario `i`'s colour and style.
fn look(i: usize) -> (RGBColor, Style) {
    // Okabe-Ito without its yellow, too light for a line on white.
    const COLORS: [RGBColor; 7] = [
        OKABE_ITO[4],
        OKABE_ITO[5],
        OKABE_ITO[2],
        OKABE_ITO[6],
        OKABE_ITO[0],
        OKABE_ITO[1],
        OKABE_ITO[7],
    ];
    (COLORS[i % COLORS.len()], Style::nth(i))
}

pub(crate) struct CompareSurvival;

impl Chart for CompareSurvival {
    const NAME: &'static str = "compare_survival";
    const READ: &'static str = "One curve per scenario: the chance that the lab leading in a \
        given month still leads h months later. The higher a curve stays above its dotted \
        chance line, the more the lead lasts (a race); a curve that sinks to chance is a run.";
    type Input = CompareInput;
    /// Per scenario: its label, index, survival curves and verdict.
    type Data = Vec<(String, usize, crate::schema::Survival, String)>;

    fn missing(input: &CompareInput) -> Option<String> {
        input
            .comparison
            .runs
            .iter()
            .all(|r| r.survival.is_none())
            .then(|| super::survival::NO_SURVIVAL.replace("summary.json", "no run's summary.json"))
    }

    fn data(input: &CompareInput) -> Result<Self::Data, PlotError> {
        Ok(input
            .comparison
            .runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.survival
                    .clone()
                    .map(|s| (r.label.clone(), i, s, r.regime.clone()))
            })
            .collect())
    }

    fn frame(data: &Self::Data, _ctx: &Ctx<'_>) -> Frame {
        let h = data
            .iter()
            .map(|(_, _, s, _)| reading_horizon(&s.quality, None))
            .min()
            .unwrap_or(24);
        let mut read: Vec<(f64, String)> = data
            .iter()
            .filter_map(|(label, _, s, _)| {
                at(&s.quality, h).map(|v| (v, format!("{label} {}", pct(v))))
            })
            .collect();
        read.sort_by(|a, b| b.0.total_cmp(&a.0));
        let chances: Vec<f64> = data.iter().map(|(_, _, s, _)| s.chance_quality).collect();
        let chance = if chances.iter().all(|c| (c - chances[0]).abs() < 1e-9) && !chances.is_empty()
        {
            format!(" (chance: {})", pct(chances[0]))
        } else {
            " (chance: one over each scenario's number of labs)".to_string()
        };
        let title = format!(
            "{} on, the leading lab still leads: {}{chance}",
            capital(&span(h)),
            read.iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        Frame::new(
            title,
            "Lead survival of the best model, one curve per scenario: the probability that the \
             lab leading in a given month still leads h months later. Shading: 95% interval; \
             dotted: chance, one over the number of labs.",
            // Each curve's verdict beside its name, as on the scatter.
            data.iter()
                .map(|(label, i, _, regime)| {
                    let (color, style) = look(*i);
                    LegendItem::new(named(label, regime), Swatch::Line(color, style))
                })
                .collect(),
        )
    }

    fn plot<DB: Backend>(data: &Self::Data, area: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let curves: Vec<Curve> = data
            .iter()
            .map(|(label, i, s, _)| {
                let (color, style) = look(*i);
                Curve {
                    label: label.clone(),
                    color,
                    style,
                    curve: s.quality.clone(),
                }
            })
            .collect();
        // One dotted line per level of chance; with several (scenarios of different numbers
        // of labs), each names its scenarios.
        let mut chances: Vec<(f64, Vec<&str>)> = Vec::new();
        for (label, _, s, _) in data {
            match chances
                .iter_mut()
                .find(|(c, _)| (c - s.chance_quality).abs() < 1e-9)
            {
                Some((_, labels)) => labels.push(label),
                None => chances.push((s.chance_quality, vec![label])),
            }
        }
        let several = chances.len() > 1;
        let chances: Vec<(f64, String)> = chances
            .into_iter()
            .map(|(c, labels)| {
                let whose = if several {
                    format!(" ({})", list(&labels))
                } else {
                    String::new()
                };
                (c, format!("chance, {}{whose}", pct(c)))
            })
            .collect();
        draw_survival(area, ctx, &curves, &chances)
    }
}

fn capital(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(crate) struct CompareScatter;

/// A scenario's point: label, index, changes per year (p10, p50, p90), persistence, verdict.
type Point = (String, usize, [f64; 3], f64, String);

/// A point's name with its verdict, `race (MIXED)`, so that a scenario named for a
/// regime is not read as having it.
fn named(label: &str, regime: &str) -> String {
    if regime.is_empty() {
        label.to_string()
    } else {
        format!("{label} ({})", regime.replace('_', " ").to_uppercase())
    }
}

/// An index between 0 and 1 as the axis and subtitle print it: `0.6`, `0.25`, `1`.
fn index(v: f64) -> String {
    crate::numbers::compact((v * 100.0).round() / 100.0)
}

/// The scatter: its points, which persistence its y axis shows, and the verdict's
/// thresholds on it (race at or above, run at or below) when every run's summary gives
/// them alike.
pub(crate) struct Scatter {
    points: Vec<Point>,
    /// The runs with no value on the y axis (no persistence against chance: one lab, or a
    /// horizon too short to judge), named in the subtitle rather than drawn.
    left_out: Vec<Point>,
    against_chance: bool,
    zones: Option<(f64, f64)>,
    /// The run threshold on spell length, for the subtitle.
    run_spell: Option<f64>,
}

impl Chart for CompareScatter {
    const NAME: &'static str = "compare_scatter";
    const READ: &'static str = "Each point is a scenario: to the right, the lead changes hands \
        more often (the bar spans the 10th to 90th percentile of simulations); higher up, the \
        leader more often still leads later on. The shaded bands are where the verdict's \
        persistence thresholds put a race (top, if the early leader also keeps the lead and \
        its gap grows) and a run (bottom, if lead spells are also short).";
    type Input = CompareInput;
    type Data = Scatter;

    fn data(input: &CompareInput) -> Result<Scatter, PlotError> {
        let runs = &input.comparison.runs;
        // Persistence against chance whenever a run has it: a run without it (one lab, a
        // horizon too short) is left out rather than drawn on another measure's axis.
        let against_chance = runs.iter().any(|r| r.persistence_norm.is_some());
        let (points, left_out): (Vec<Point>, Vec<Point>) = runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let c = r.changes_per_year.as_ref()?;
                let p = if against_chance {
                    r.persistence_norm.as_ref()
                } else {
                    r.persistence.as_ref()
                };
                Some((
                    r.label.clone(),
                    i,
                    [c.p10, c.p50, c.p90],
                    p.map_or(f64::NAN, |p| p.mean),
                    r.regime.clone(),
                ))
            })
            .partition(|p| p.3.is_finite());
        let get = |name: &str| -> Option<f64> {
            let first = *runs.first()?.thresholds.get(name)?;
            runs.iter()
                .all(|r| r.thresholds.get(name) == Some(&first))
                .then_some(first)
        };
        // Thresholds on normalised persistence only apply to an axis of it.
        let zones = match (
            against_chance,
            get("race_persistence"),
            get("run_persistence"),
        ) {
            (true, Some(race), Some(run)) => Some((race, run)),
            _ => None,
        };
        Ok(Scatter {
            points,
            left_out,
            against_chance,
            zones,
            run_spell: get("run_spell_months"),
        })
    }

    fn frame(d: &Scatter, _ctx: &Ctx<'_>) -> Frame {
        let mut parts = Vec::new();
        for regime in Regime::ALL.map(Regime::name) {
            let names: Vec<&str> = d
                .points
                .iter()
                .chain(&d.left_out)
                .filter(|p| p.4 == regime)
                .map(|p| p.0.as_str())
                .collect();
            if !names.is_empty() {
                parts.push(format!(
                    "{} for {}",
                    regime.replace('_', " ").to_uppercase(),
                    list(&names)
                ));
            }
        }
        let mut legend: Vec<LegendItem> = d
            .points
            .iter()
            .map(|p| {
                let (color, style) = look(p.1);
                let shape = style.shape.unwrap_or(super::marks::Shape::Circle);
                LegendItem::new(named(&p.0, &p.4), Swatch::Marker(color, shape))
            })
            .collect();
        let zones = match d.zones {
            Some((race, run)) => {
                legend.push(LegendItem::new(
                    "Persistence of a race",
                    Swatch::Block(zone(Regime::Race)),
                ));
                legend.push(LegendItem::new(
                    "Persistence of a run",
                    Swatch::Block(zone(Regime::Run)),
                ));
                let spell = d
                    .run_spell
                    .map(|s| {
                        format!(
                            " and half the lead spells end within {} months",
                            crate::numbers::compact(s)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    " Shaded: the persistence a verdict of RACE needs (≥ {}; it also needs the \
                     month-12 leader to keep the lead and its gap to grow) and that of a RUN \
                     (≤ {}{spell}); MIXED otherwise. Each point is labelled with its verdict.",
                    index(race),
                    index(run)
                )
            }
            None => {
                " The summaries give no thresholds on this axis, so no bands are drawn.".to_string()
            }
        };
        let what = if d.against_chance {
            "Persistence of the quality leader against chance (0: no likelier to lead later than \
             any lab, 1: never loses the lead; mean over simulations)"
        } else {
            "Persistence of the quality leader (mean over simulations)"
        };
        let left_out = if d.left_out.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = d.left_out.iter().map(|p| named(&p.0, &p.4)).collect();
            format!(
                " Not drawn: {}, with no {} (one lab, or too short a horizon to judge).",
                list(&names.iter().map(String::as_str).collect::<Vec<_>>()),
                if d.against_chance {
                    "persistence against chance"
                } else {
                    "persistence"
                }
            )
        };
        Frame::new(
            format!("Verdicts side by side: {}", parts.join("; ")),
            format!(
                "{what} against quality-lead changes per year (median; bar: 10th-90th \
                 percentile).{zones}{left_out}"
            ),
            legend,
        )
    }

    fn plot<DB: Backend>(d: &Scatter, area: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let x_max = d
            .points
            .iter()
            .map(|p| p.2[2])
            .filter(|v| v.is_finite())
            .fold(1.0, f64::max)
            * 1.1;
        let x_ticks = nice_ticks(0.0, x_max, 8, false);
        let y_min = d.points.iter().map(|p| p.3).fold(0.0, f64::min).max(-1.0);
        let y_ticks = nice_ticks(y_min, 1.0, 6, false);
        let mut chart = ticked_chart(
            area,
            ctx,
            Ticked::new(0.0..x_max, x_ticks),
            Ticked::new(y_min..1.0, y_ticks),
            (8.0, 30.0),
        )?;
        if let Some((race, run)) = d.zones {
            chart.draw_series([
                Rectangle::new([(0.0, race), (x_max, 1.0)], zone(Regime::Race).filled()),
                Rectangle::new([(0.0, y_min), (x_max, run)], zone(Regime::Run).filled()),
            ])?;
        }
        let xf = |v: &f64| crate::numbers::compact(*v);
        let against_chance = d.against_chance;
        let yf = |v: &f64| {
            if against_chance {
                index(*v)
            } else {
                super::axes::ValueFormat::Percent.format(*v)
            }
        };
        let mut mesh = chart.configure_mesh();
        style_mesh(&mut mesh, ctx);
        mesh.x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .x_desc("Quality-lead changes per year (median simulation)")
            .y_desc(if d.against_chance {
                "Persistence against chance (index, 0-1)"
            } else {
                "Persistence of the quality leader (%)"
            })
            .draw()?;
        let plot = chart.plotting_area().strip_coord_spec();
        let base = plot.get_base_pixel();
        if let Some((_, run)) = d.zones {
            let zone = ctx
                .font(TICK_SIZE * 1.1, INK_SOFT)
                .pos(Pos::new(HPos::Right, VPos::Top));
            let (px, py) = chart.backend_coord(&(x_max, 1.0));
            plot.draw_text(
                "race persistence",
                &zone,
                (px - base.0 - ctx.px(10.0), py - base.1 + ctx.px(8.0)),
            )?;
            let (px, py) = chart.backend_coord(&(x_max, run));
            plot.draw_text(
                "run persistence",
                &zone,
                (px - base.0 - ctx.px(10.0), py - base.1 + ctx.px(8.0)),
            )?;
        }
        let font = ctx.font(TICK_SIZE, INK);
        let (width, height) = (plot.dim_in_pixel().0 as i32, plot.dim_in_pixel().1 as i32);
        // Labels already placed, as pixel boxes: a label goes above and right of its marker,
        // or in the first other corner where it overlaps none of them and stays inside.
        let mut placed: Vec<[i32; 4]> = Vec::new();
        for point in &d.points {
            let (_, i, [lo, mid, hi], persistence, _) = point;
            let (color, style) = look(*i);
            if lo.is_finite() && hi.is_finite() {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(*lo, *persistence), (*hi, *persistence)],
                    color.stroke_width(ctx.px(3.0) as u32),
                )))?;
            }
            let (px, py) = chart.backend_coord(&(*mid, *persistence));
            let shape = style.shape.unwrap_or(super::marks::Shape::Circle);
            draw_marker(&plot, ctx, (px - base.0, py - base.1), shape, color)?;
            let text = named(&point.0, &point.4);
            let (w, h) = plot.estimate_text_size(&text, &font)?;
            let (w, h) = (w as i32, h as i32);
            let (x, y) = (px - base.0, py - base.1);
            let (dx, dy) = (ctx.px(10.0), ctx.px(8.0));
            let corners = [
                [x + dx, y - dy - h],
                [x + dx, y + dy],
                [x - dx - w, y - dy - h],
                [x - dx - w, y + dy],
            ];
            let fits = |&[x0, y0]: &[i32; 2]| {
                x0 >= 0
                    && y0 >= 0
                    && x0 + w <= width
                    && y0 + h <= height
                    && placed
                        .iter()
                        .all(|b| x0 + w <= b[0] || b[2] <= x0 || y0 + h <= b[1] || b[3] <= y0)
            };
            let [x0, y0] = corners.iter().copied().find(fits).unwrap_or(corners[0]);
            placed.push([x0, y0, x0 + w, y0 + h]);
            let style = font.clone().pos(Pos::new(HPos::Left, VPos::Top));
            plot.draw_text(&text, &style, (x0, y0))?;
        }
        Ok(())
    }
}

/// The shading of the persistence a verdict needs: greys, darker for a race, so that no
/// zone shares a colour with a scenario's point.
fn zone(regime: Regime) -> RGBColor {
    tint(INK_FAINT, if regime == Regime::Race { 0.72 } else { 0.88 })
}
