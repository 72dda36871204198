//! The frame every chart shares: title, subtitle, legend row, plot region and source
//! line, and the drawing context (canvas scale, fonts, the run the chart is from).
//!
//! Sizes are given for a 1600x1000 canvas and scaled with the canvas, so a chart keeps
//! its proportions at any `--width`/`--height`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{Lab, Summary};
use super::marks::{Shape, Style, dashed_segment, draw_marker};
use super::theme::{FAMILY, INK, INK_FAINT, INK_SOFT};
use crate::numbers::thousands;

/// Errors while drawing; turned into [`super::PlotError::Render`] naming the file.
pub(crate) type DrawError = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type DrawResult<T = ()> = Result<T, DrawError>;

/// A plotters backend whose errors can be boxed (both bitmap and SVG qualify).
pub(crate) trait Backend: DrawingBackend<ErrorType: 'static> {}
impl<T: DrawingBackend<ErrorType: 'static>> Backend for T {}

/// A drawing region in pixels.
pub(crate) type Area<DB> = DrawingArea<DB, Shift>;

/// Font sizes at scale 1, in pixels.
const TITLE_SIZE: f64 = 40.0;
const SUBTITLE_SIZE: f64 = 24.0;
const LEGEND_SIZE: f64 = 23.0;
const SOURCE_SIZE: f64 = 18.0;

/// What a chart draws with: the run it is from and the canvas scale.
pub(crate) struct Ctx<'a> {
    pub(crate) summary: &'a Summary,
    scale: f64,
    /// Drawn for `report.html`: no title, subtitle or source line (the page writes them
    /// as text, which reflows on a phone), only the legend and the plot.
    pub(crate) bare: bool,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(summary: &'a Summary, width: u32, height: u32) -> Ctx<'a> {
        // Below about 1000x620 text would shrink past easy reading; keep it there and let
        // the plot give up the room instead.
        let scale = (width as f64 / 1600.0)
            .min(height as f64 / 1000.0)
            .max(0.62);
        Ctx {
            summary,
            scale,
            bare: false,
        }
    }

    /// The context of a chart drawn into `report.html`: text at `scale`, no frame words.
    pub(crate) fn bare(summary: &'a Summary, scale: f64) -> Ctx<'a> {
        Ctx {
            summary,
            scale,
            bare: true,
        }
    }

    /// A length given at scale 1, in pixels at this canvas size.
    pub(crate) fn px(&self, length: f64) -> i32 {
        (length * self.scale).round().max(1.0) as i32
    }

    /// Line width for data lines.
    pub(crate) fn line_width(&self) -> u32 {
        (3.0 * self.scale).round().max(1.0) as u32
    }

    /// Text in the embedded font.
    pub(crate) fn font(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.scale).into_font().color(&color)
    }

    pub(crate) fn labs(&self) -> &'a [Lab] {
        &self.summary.labs
    }

    /// The horizon in months, the right end of every time axis.
    pub(crate) fn horizon(&self) -> f64 {
        self.summary.months as f64
    }
}

/// `Source: racerun 0.1.0, scenario baseline with world.dynamics.kappa=1.2, 300
/// simulations, seed 42`; for a chart of one simulation, `simulation 0 of 300`. With
/// `short`, the overrides are counted rather than listed.
pub(crate) fn source_line(s: &Summary, simulation: Option<u64>, short: bool) -> String {
    let word = s.scenario_word;
    let scenario = match s.overrides.len() {
        0 => format!("{word} {}", s.scenario),
        n if short => format!(
            "{word} {} with {n} --set override{}",
            s.scenario,
            crate::numbers::plural_s(n)
        ),
        _ => format!("{word} {} with {}", s.scenario, s.overrides.join(", ")),
    };
    let runs = match simulation {
        Some(run) => format!("simulation {run} of {}", thousands(s.runs as i64)),
        None => s.runs_note(),
    };
    format!(
        "Source: racerun {}, {scenario}, {runs}, seed {}",
        s.version, s.seed
    )
}

/// The sample drawn in the legend next to a label.
#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    /// A data line in one of the line styles.
    Line(RGBColor, Style),
    /// A median line over its p25-p75 and p5-p95 bands.
    Band(RGBColor),
    /// A filled block (areas, bars).
    Block(RGBColor),
    /// A marker of one shape.
    Marker(RGBColor, Shape),
    /// Small blocks side by side: one meaning drawn in several colours (each lab's
    /// shade of training GPUs).
    Blocks(Vec<RGBColor>),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub(crate) label: String,
    pub(crate) swatch: Swatch,
}

impl LegendItem {
    pub(crate) fn new(label: impl Into<String>, swatch: Swatch) -> LegendItem {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

/// One entry per lab, in summary order; `swatch` gets the lab's colour and index.
pub(crate) fn lab_legend(
    ctx: &Ctx<'_>,
    swatch: impl Fn(RGBColor, usize) -> Swatch,
) -> Vec<LegendItem> {
    ctx.labs()
        .iter()
        .enumerate()
        .map(|(i, lab)| LegendItem::new(lab.name.clone(), swatch(lab.color, i)))
        .collect()
}

/// The words around a chart.
pub(crate) struct Frame {
    /// What the chart shows, in plain words.
    pub(crate) title: String,
    /// How to read it; the scenario, runs and seed are appended.
    pub(crate) subtitle: String,
    /// Drawn in a row of its own above the plot, so it never covers data.
    pub(crate) legend: Vec<LegendItem>,
    /// The one simulation the chart shows, for the source line; `None` for a chart
    /// across simulations.
    pub(crate) simulation: Option<u64>,
}

impl Frame {
    /// The words of a chart across simulations.
    pub(crate) fn new(
        title: impl Into<String>,
        subtitle: impl Into<String>,
        legend: Vec<LegendItem>,
    ) -> Frame {
        Frame {
            title: title.into(),
            subtitle: subtitle.into(),
            legend,
            simulation: None,
        }
    }
}

/// Draws the frame on the whole canvas and returns the region left for the plot.
pub(crate) fn frame<DB: Backend>(
    root: &Area<DB>,
    ctx: &Ctx<'_>,
    frame: &Frame,
) -> DrawResult<Area<DB>> {
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let side = ctx.px(40.0);
    let text_width = width - 2 * side;
    let top_left = Pos::new(HPos::Left, VPos::Top);

    let mut y = ctx.px(if ctx.bare { 8.0 } else { 30.0 });
    if !ctx.bare {
        let title = ctx.font(TITLE_SIZE, INK).pos(top_left);
        for line in wrap(root, &frame.title, &title, text_width)? {
            root.draw_text(&line, &title, (side, y))?;
            y += ctx.px(TITLE_SIZE * 1.2);
        }
        y += ctx.px(6.0);
        let subtitle = ctx.font(SUBTITLE_SIZE, INK_SOFT).pos(top_left);
        for line in wrap(root, frame.subtitle.trim(), &subtitle, text_width)? {
            root.draw_text(&line, &subtitle, (side, y))?;
            y += ctx.px(SUBTITLE_SIZE * 1.35);
        }
        y += ctx.px(10.0);
    }

    if !frame.legend.is_empty() {
        y = legend(root, ctx, &frame.legend, side, y, text_width)?;
        y += ctx.px(6.0);
    }

    let bottom = if ctx.bare {
        height - ctx.px(4.0)
    } else {
        let source = ctx
            .font(SOURCE_SIZE, INK_FAINT)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        let bottom = height - ctx.px(18.0);
        let mut line = source_line(ctx.summary, frame.simulation, false);
        if root.estimate_text_size(&line, &source)?.0 as i32 > text_width {
            line = source_line(ctx.summary, frame.simulation, true);
        }
        root.draw_text(&line, &source, (side, bottom))?;
        bottom
    };

    let plot_bottom = if ctx.bare {
        bottom
    } else {
        bottom - ctx.px(SOURCE_SIZE + 22.0)
    };
    let plot_left = ctx.px(14.0);
    let plot_height = (plot_bottom - y).max(ctx.px(60.0));
    Ok(root
        .clone()
        .shrink((plot_left, y), (width - plot_left - side, plot_height)))
}

/// Breaks text into lines no wider than `max_width` pixels.
pub(crate) fn wrap<DB: Backend>(
    area: &Area<DB>,
    text: &str,
    style: &TextStyle<'_>,
    max_width: i32,
) -> DrawResult<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && area.estimate_text_size(&candidate, style)?.0 as i32 > max_width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// Draws legend entries left to right, wrapping into rows; returns the y below them.
fn legend<DB: Backend>(
    root: &Area<DB>,
    ctx: &Ctx<'_>,
    items: &[LegendItem],
    left: i32,
    top: i32,
    max_width: i32,
) -> DrawResult<i32> {
    let style = ctx
        .font(LEGEND_SIZE, INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let row_height = ctx.px(LEGEND_SIZE * 1.6);
    let (mut x, mut y) = (left, top + row_height / 2);
    for item in items {
        let swatch_width = match &item.swatch {
            Swatch::Blocks(colors) => ctx.px(14.0) * colors.len().max(1) as i32,
            // Long enough for a dash pattern and a marker to read as a line.
            Swatch::Line(..) => ctx.px(52.0),
            _ => ctx.px(34.0),
        };
        let text_width = root.estimate_text_size(&item.label, &style)?.0 as i32;
        let item_width = swatch_width + ctx.px(10.0) + text_width;
        if x > left && x + item_width > left + max_width {
            x = left;
            y += row_height;
        }
        draw_swatch(root, ctx, &item.swatch, (x, y), swatch_width)?;
        root.draw_text(&item.label, &style, (x + swatch_width + ctx.px(10.0), y))?;
        x += item_width + ctx.px(36.0);
    }
    Ok(y + row_height / 2)
}

fn draw_swatch<DB: Backend>(
    root: &Area<DB>,
    ctx: &Ctx<'_>,
    swatch: &Swatch,
    (x, y): (i32, i32),
    width: i32,
) -> DrawResult {
    let half = ctx.px(9.0);
    match swatch {
        &Swatch::Line(color, style) => {
            dashed_segment(root, ctx, (x, y), (x + width, y), color, style.dash)?;
            if let Some(shape) = style.shape {
                draw_marker(root, ctx, (x + width / 2, y), shape, color)?;
            }
        }
        Swatch::Band(color) => {
            root.draw(&Rectangle::new(
                [(x, y - half), (x + width, y + half)],
                color.mix(INNER_ALPHA).filled(),
            ))?;
            root.draw(&PathElement::new(
                vec![(x, y), (x + width, y)],
                color.stroke_width(ctx.line_width()),
            ))?;
        }
        Swatch::Block(color) => {
            root.draw(&Rectangle::new(
                [
                    (x + width / 2 - half, y - half),
                    (x + width / 2 + half, y + half),
                ],
                color.filled(),
            ))?;
        }
        &Swatch::Marker(color, shape) => {
            draw_marker(root, ctx, (x + width / 2, y), shape, color)?;
        }
        Swatch::Blocks(colors) => {
            let n = colors.len().max(1) as i32;
            let w = width / n;
            for (k, color) in colors.iter().enumerate() {
                let left = x + k as i32 * w;
                root.draw(&Rectangle::new(
                    [(left, y - half), (left + w - 1, y + half)],
                    color.filled(),
                ))?;
            }
        }
    }
    Ok(())
}

/// Opacity of the p25-p75 bands.
pub(crate) const INNER_ALPHA: f64 = 0.25;
