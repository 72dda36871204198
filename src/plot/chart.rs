//! The [`Chart`] trait, and the machinery that turns a set of charts into files: chart
//! selection from the options, one render per format, and the staged replacement of
//! `charts/`.
//!
//! A chart is one type implementing [`Chart`] in its own file, plus one [`entry`] line in
//! a registry of [`super`] (run, sweep or sensitivity charts).

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::data::{Needs, Summary};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, frame, source_line};
use super::{Format, PlotError, PlotOptions, raster};

/// One chart: what it reads, what it computes from it, and how it draws that.
pub(crate) trait Chart {
    /// The file stem, also the name `--only` takes.
    const NAME: &'static str;
    /// The files of a run's directory it reads besides `summary.json` (run charts).
    const NEEDS: Needs = Needs::empty();
    /// How to read it, in one sentence, for `report.html`.
    const READ: &'static str;
    /// What it is drawn from: the loaded files of one output directory.
    type Input: Source;
    /// What it draws, computed from the input before any drawing.
    type Data;

    /// Whether the chart is drawn for this input (a sweep of one parameter gets a line
    /// chart, of two a phase diagram).
    fn applies(_input: &Self::Input) -> bool {
        true
    }

    /// Why the chart cannot be drawn from this input, when what it needs is missing (a
    /// summary written before lead survival existed): skipped when drawing every chart,
    /// refused with this reason when asked for by name.
    fn missing(_input: &Self::Input) -> Option<String> {
        None
    }

    /// Computes what the chart shows; errors name the file at fault.
    fn data(input: &Self::Input) -> Result<Self::Data, PlotError>;

    /// The words around the chart: title (what the data shows), subtitle, legend.
    fn frame(data: &Self::Data, ctx: &Ctx<'_>) -> Frame;

    /// Draws the chart in the plot region the frame leaves.
    fn plot<DB: Backend>(data: &Self::Data, area: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult;
}

/// One chart drawn for `report.html`: its words as text, its plot as inline SVG.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The chart's name (file stem).
    pub name: &'static str,
    /// What the data shows.
    pub title: String,
    /// What is drawn and how.
    pub subtitle: String,
    /// How to read it.
    pub read: &'static str,
    /// Where the numbers come from.
    pub source: String,
    /// The legend and plot as a standalone `<svg>` element.
    pub svg: String,
}

/// The charts of one output for a report: those drawn, and those that could not be with
/// the reason.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Drawn, in registry order.
    pub drawn: Vec<Figure>,
    /// (name, why) of charts whose data the output lacks.
    pub missing: Vec<(&'static str, String)>,
}

/// Canvas of a report figure, and its text scale: text stays legible when a phone
/// shrinks the figure to its width.
const FIGURE_SIZE: (u32, u32) = (680, 500);
const FIGURE_SCALE: f64 = 0.85;

/// Loaded inputs that say which run they come from (for every chart's subtitle and
/// source line).
pub(crate) trait Source {
    fn summary(&self) -> &Summary;
}

/// [`Source`] for each input that keeps its summary in a field `summary`.
macro_rules! summary_in_field {
    ($($input:ty),+) => {
        $(impl Source for $input {
            fn summary(&self) -> &Summary {
                &self.summary
            }
        })+
    };
}

summary_in_field!(
    super::data::RunInput,
    super::sweep::SweepInput,
    super::sensitivity::SensitivityInput,
    super::compare::CompareInput,
    super::explain::ExplainInput
);

/// A chart in a registry: its name, what it reads, and its drawing erased to a function
/// pointer so that charts of one input type sit in one list.
pub(crate) struct Entry<I: 'static> {
    pub(crate) name: &'static str,
    pub(crate) needs: Needs,
    applies: fn(&I) -> bool,
    missing: fn(&I) -> Option<String>,
    draw: fn(&I, &Target<'_>) -> Result<Vec<String>, PlotError>,
    figure: fn(&I) -> Result<Figure, PlotError>,
}

/// The registry entry of chart `C`.
pub(crate) const fn entry<C: Chart>() -> Entry<C::Input> {
    Entry {
        name: C::NAME,
        needs: C::NEEDS,
        applies: C::applies,
        missing: C::missing,
        draw: draw_files::<C>,
        figure: figure::<C>,
    }
}

impl<I> Entry<I> {
    /// Why the chart cannot be drawn from `input`, if its data is missing.
    pub(crate) fn missing_reason(&self, input: &I) -> Option<String> {
        (self.missing)(input)
    }
}

/// The report figures of every chart of a registry that applies to `input`.
pub(crate) fn figures<I: Source>(charts: &[Entry<I>], input: &I) -> Result<Figures, PlotError> {
    super::theme::register_fonts();
    let mut out = Figures::default();
    for chart in charts.iter().filter(|c| (c.applies)(input)) {
        match (chart.missing)(input) {
            Some(why) => out.missing.push((chart.name, why)),
            None => out.drawn.push((chart.figure)(input)?),
        }
    }
    Ok(out)
}

/// Chart `C` as a report figure: its frame words as text, its legend and plot as SVG.
fn figure<C: Chart>(input: &C::Input) -> Result<Figure, PlotError> {
    let data = C::data(input)?;
    let ctx = Ctx::bare(input.summary(), FIGURE_SCALE);
    let words = C::frame(&data, &ctx);
    let mut svg = String::new();
    let drawn: DrawResult = (|| {
        let root = SVGBackend::with_string(&mut svg, FIGURE_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let area = frame(&root, &ctx, &words)?;
        C::plot(&data, &area, &ctx)?;
        root.present()?;
        Ok(())
    })();
    drawn.map_err(|e| PlotError::Render {
        path: format!("report figure `{}`", C::NAME).into(),
        message: e.to_string(),
    })?;
    Ok(Figure {
        name: C::NAME,
        title: words.title,
        subtitle: words.subtitle,
        read: C::READ,
        source: source_line(input.summary(), words.simulation, false),
        svg,
    })
}

/// The names of a registry, for a constant list.
pub(crate) const fn names<I, const N: usize>(charts: &[Entry<I>]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = charts[i].name;
        i += 1;
    }
    out
}

/// Where and how chart files are written.
pub(crate) struct Target<'a> {
    staging: &'a Path,
    final_dir: &'a Path,
    formats: &'a [Format],
    size: (u32, u32),
}

/// Smallest canvas on which the frame's text still fits around a readable plot.
const MIN_SIZE: (u32, u32) = (480, 320);
/// Largest canvas accepted; bigger would only burn memory.
const MAX_SIZE: (u32, u32) = (10_000, 10_000);

/// Checks the options against a registry; returns the charts asked for, in registry
/// order, and the distinct formats.
pub(crate) fn select<I>(
    charts: &'static [Entry<I>],
    opts: &PlotOptions,
) -> Result<(Vec<&'static Entry<I>>, Vec<Format>), PlotError> {
    let mut formats = Vec::new();
    for &format in &opts.formats {
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        return Err(PlotError::Options(
            "no chart format given; expected png, svg or both".to_string(),
        ));
    }
    let (w, h) = (opts.width, opts.height);
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 || w > MAX_SIZE.0 || h > MAX_SIZE.1 {
        return Err(PlotError::Options(format!(
            "chart size {w}x{h} is out of range; expected width {}-{} and height {}-{} pixels",
            MIN_SIZE.0, MAX_SIZE.0, MIN_SIZE.1, MAX_SIZE.1
        )));
    }
    let valid = || charts.iter().map(|c| c.name).collect::<Vec<_>>().join(", ");
    let Some(names) = &opts.only else {
        return Ok((charts.iter().collect(), formats));
    };
    let mut wanted = Vec::new();
    for name in names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if !charts.iter().any(|c| c.name == name) {
            return Err(PlotError::UnknownChart {
                name: name.to_string(),
                hint: crate::scenario::did_you_mean(name, charts.iter().map(|c| c.name)),
                valid: valid(),
            });
        }
        wanted.push(name);
    }
    if wanted.is_empty() {
        return Err(PlotError::Options(format!(
            "no chart named; valid names: {}",
            valid()
        )));
    }
    let selected = charts.iter().filter(|c| wanted.contains(&c.name)).collect();
    Ok((selected, formats))
}

/// Draws `charts` from `input` into `dir/charts/`, returning the paths written.
///
/// The charts are drawn into a temporary directory that replaces `charts/` only once
/// every chart is done, so a failure leaves the previous charts (or none) untouched.
/// With `only`, charts of an existing `charts/` that are not redrawn are kept.
pub(crate) fn write_charts<I: Source>(
    dir: &Path,
    input: &I,
    charts: &[&Entry<I>],
    formats: &[Format],
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let final_dir = dir.join("charts");
    if final_dir
        .symlink_metadata()
        .is_ok_and(|meta| !meta.is_dir())
    {
        return Err(PlotError::Options(format!(
            "{}: exists and is not a directory; racerun draws its charts there, so move it \
             away first",
            final_dir.display()
        )));
    }
    let charts: Vec<_> = charts.iter().filter(|c| (c.applies)(input)).collect();
    if opts.only.is_some()
        && let Some((name, why)) = charts
            .iter()
            .find_map(|c| (c.missing)(input).map(|why| (c.name, why)))
    {
        return Err(PlotError::Options(format!(
            "{}: cannot draw `{name}`: {why}",
            dir.display()
        )));
    }
    let charts: Vec<_> = charts
        .into_iter()
        .filter(|c| (c.missing)(input).is_none())
        .collect();
    if charts.is_empty() {
        return Err(PlotError::Options(format!(
            "{}: none of the charts asked for applies to this output",
            dir.display()
        )));
    }
    super::theme::register_fonts();
    let mut written = Vec::new();
    // Drawn beside charts/ and put in its place whole; removed on a failure or Ctrl-C.
    crate::output::replace_dir(
        &final_dir,
        |staging| {
            let target = Target {
                staging,
                final_dir: &final_dir,
                formats,
                size: (opts.width, opts.height),
            };
            written = draw_into(&target, input, &charts)?;
            if opts.only.is_some() {
                keep_other_charts(&final_dir, staging, &written)?;
            }
            Ok::<(), PlotError>(())
        },
        // Checked again just before the swap: a file saved into charts/ while they were
        // drawn is not deleted with them.
        || match crate::output::not_charts(&final_dir) {
            Ok(theirs) if !theirs.is_empty() => Err(crate::output::OutputError {
                path: final_dir.clone(),
                message: format!(
                    "changed while racerun was drawing: it now holds files racerun did not \
                     draw ({}); the new charts were discarded and charts/ left as it is",
                    theirs.join(", ")
                ),
            }),
            _ => Ok(()),
        },
    )?;
    Ok(written
        .into_iter()
        .map(|name| final_dir.join(name))
        .collect())
}

/// Draws every chart in every format into the staging directory; returns the file
/// names written.
fn draw_into<I>(
    target: &Target<'_>,
    input: &I,
    charts: &[&&Entry<I>],
) -> Result<Vec<String>, PlotError> {
    let mut written = Vec::new();
    for chart in charts {
        written.extend((chart.draw)(input, target)?);
    }
    Ok(written)
}

/// Computes chart `C`'s data once and draws it in every format. Errors name the file as
/// it will be called in `charts/`.
fn draw_files<C: Chart>(input: &C::Input, target: &Target<'_>) -> Result<Vec<String>, PlotError> {
    let data = C::data(input)?;
    let ctx = Ctx::new(input.summary(), target.size.0, target.size.1);
    let mut written = Vec::new();
    for &format in target.formats {
        let name = format!("{}.{}", C::NAME, format.extension());
        let path = target.staging.join(&name);
        render::<C>(&data, &ctx, &path, format, target.size).map_err(|e| PlotError::Render {
            path: target.final_dir.join(&name),
            message: e.to_string(),
        })?;
        written.push(name);
    }
    Ok(written)
}

fn render<C: Chart>(
    data: &C::Data,
    ctx: &Ctx<'_>,
    path: &Path,
    format: Format,
    size: (u32, u32),
) -> DrawResult {
    match format {
        Format::Png => {
            let root = raster::Raster::new(BitMapBackend::new(path, size))?.into_drawing_area();
            root.fill(&WHITE)?;
            let area = frame(&root, ctx, &C::frame(data, ctx))?;
            C::plot(data, &area, ctx)?;
            root.present()?;
        }
        Format::Svg => {
            let root = SVGBackend::new(path, size).into_drawing_area();
            root.fill(&WHITE)?;
            let area = frame(&root, ctx, &C::frame(data, ctx))?;
            C::plot(data, &area, ctx)?;
            root.present()?;
        }
    }
    Ok(())
}

/// Copies the files of an existing `charts/` that this call did not redraw into
/// `staging`, so `--only` refreshes some charts without dropping the others.
fn keep_other_charts(
    final_dir: &Path,
    staging: &Path,
    written: &[String],
) -> Result<(), PlotError> {
    let entries = match std::fs::read_dir(final_dir) {
        Ok(entries) => entries,
        Err(_) => return Ok(()),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !written.contains(&name) {
            std::fs::copy(entry.path(), staging.join(&name))
                .map_err(PlotError::io(entry.path()))?;
        }
    }
    Ok(())
}
