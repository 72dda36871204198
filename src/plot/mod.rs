//! Charts a writer can publish, drawn from an output directory's saved files.
//!
//! [`draw_dir`] recognises what wrote a directory ([`OutputKind`]) and draws its charts
//! into `charts/` beside the files as PNG and/or SVG; it never runs the simulator, so a
//! directory can be redrawn at another size or format at any time. Every input is read
//! and checked (through [`crate::schema`] for runs) before anything is drawn.
//!
//! Each chart is one type implementing the `Chart` trait (`chart.rs`: what it reads, the
//! data it computes from that, how it draws it) in its own file, listed once in the
//! registry of its kind of output below (`RUN_CHARTS`, `SWEEP_CHARTS`,
//! `SENSITIVITY_CHARTS`). A run's charts, by file stem ([`CHART_NAMES`]):
//!
//! | name | what it shows |
//! |---|---|
//! | `lead_survival` | the headline: the chance the leader still leads h months later, against chance |
//! | `leapfrog` | one simulated future: each lab's deployed quality, releases, and who leads |
//! | `quality_bands` | the best model's quality and the leader's margin over the runner-up |
//! | `who_leads` | the probability that each lab leads on quality and on customers |
//! | `allocation` | one simulated future: each lab's GPUs training vs serving |
//! | `customers` | each lab's customer share across simulations |
//! | `lead_changes` | how many times the lead changes hands, with the run threshold |
//! | `spells` | how long a lead lasts, weighted by months |
//! | `headwind` | the leader's training share against the followers', and the difference |
//!
//! A sweep gets `phase` (two parameters) or `sweep` (one); a sensitivity run `tornado`;
//! `racerun compare` `compare_survival` and `compare_scatter` (`compare.rs`); an
//! explanation `attribution` (each channel's Shapley value per measure) and `leapfrogs`
//! (what wins a lead change).
//!
//! Every chart's title states what its data shows (computed from it, never fixed text a
//! scenario could contradict), the subtitle how to read it, axis titles carry units
//! (parameters and measures named from the catalogue and [`crate::measures`]), time axes
//! are calendar years or months, the legend sits in a row of its own above the plot, and
//! the source line names version, scenario, `--set` overrides, simulations and seed.
//! Labs keep their scenario colour in every chart unless two are too close to tell apart
//! (`palette.rs`); lines also differ by dash and marker. Text uses DejaVu Sans compiled
//! into the binary. [`figures`] draws the same charts for `report.html`: words as text,
//! plot as inline SVG.
//!
//! Files: `chart.rs` (the trait and rendering), `data.rs` (a run's inputs), `sweep.rs` and
//! `sensitivity.rs` (the other kinds' inputs), `frame.rs`, `axes.rs`, `marks.rs`,
//! `palette.rs` and `theme.rs` (the shared look), `story.rs` (titles from data),
//! `raster.rs` (PNG text), `regions.rs` (the phase diagram's region labels), then one file
//! per chart.

mod allocation;
mod attribution;
mod axes;
mod chart;
mod compare;
mod customers;
mod data;
mod error;
mod explain;
mod frame;
mod headwind;
mod lead_changes;
mod leapfrog;
mod leapfrogs;
mod marks;
mod palette;
mod phase;
mod phase_title;
mod quality_bands;
mod raster;
mod regions;
mod sensitivity;
mod spells;
mod story;
mod survival;
mod sweep;
mod sweep_line;
mod theme;
mod tornado;
mod who_leads;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use crate::output::OutputKind;
use crate::output::place::{Detected, detect};
pub use chart::{Figure, Figures};
pub use error::PlotError;

use chart::{Entry, entry, names, select, write_charts};
use data::{Needs, RunInput};
use explain::ExplainInput;
use sensitivity::SensitivityInput;
use sweep::SweepInput;

/// A run's charts, in drawing order.
const RUN_CHARTS: &[Entry<RunInput>] = &[
    entry::<survival::LeadSurvival>(),
    entry::<leapfrog::Leapfrog>(),
    entry::<quality_bands::QualityBands>(),
    entry::<who_leads::WhoLeads>(),
    entry::<allocation::Allocation>(),
    entry::<customers::Customers>(),
    entry::<lead_changes::LeadChanges>(),
    entry::<spells::SpellLengths>(),
    entry::<headwind::Headwind>(),
];

/// A sweep's charts: each applies to one number of swept parameters.
const SWEEP_CHARTS: &[Entry<SweepInput>] =
    &[entry::<phase::Phase>(), entry::<sweep_line::SweepLine>()];

/// A sensitivity run's charts.
const SENSITIVITY_CHARTS: &[Entry<SensitivityInput>] = &[entry::<tornado::Tornado>()];

/// A comparison's charts.
const COMPARE_CHARTS: &[Entry<compare::CompareInput>] = &[
    entry::<compare::CompareSurvival>(),
    entry::<compare::CompareScatter>(),
];

/// An explanation's charts.
const EXPLAIN_CHARTS: &[Entry<ExplainInput>] = &[
    entry::<attribution::AttributionChart>(),
    entry::<leapfrogs::Leapfrogs>(),
];

/// The charts [`draw_all`] can draw for a run, by file stem, in drawing order.
pub const CHART_NAMES: &[&str] = &names::<_, { RUN_CHARTS.len() }>(RUN_CHARTS);

/// Whether `file` is a chart racerun draws into some result's `charts/`: `NAME.png` or
/// `NAME.svg`, `NAME` a chart of any kind of result.
pub fn is_chart_file(file: &str) -> bool {
    let Some((stem, format)) = file.rsplit_once('.') else {
        return false;
    };
    (format == "png" || format == "svg")
        && [
            OutputKind::Run,
            OutputKind::Sweep,
            OutputKind::Sensitivity,
            OutputKind::Compare,
            OutputKind::Explain,
        ]
        .iter()
        .any(|kind| kind.chart_names().contains(&stem))
}

/// The measure a sweep's chart shows when `plot` redraws it.
pub const SWEEP_MEASURE: &str = "persistence_norm_quality";

/// A file format for charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Raster image, for the web and slides.
    Png,
    /// Vector image, for print and further editing; text stays text.
    Svg,
}

impl Format {
    /// The file extension, also the name accepted by [`Format::from_str`].
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = PlotError;

    /// Parses `png` or `svg` (any case).
    fn from_str(text: &str) -> Result<Format, PlotError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            _ => Err(PlotError::Options(format!(
                "unknown chart format `{text}`; expected png or svg"
            ))),
        }
    }
}

/// What the charts are drawn as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotOptions {
    /// Formats to write, each chart once per format.
    pub formats: Vec<Format>,
    /// Canvas width in pixels (SVG user units).
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Chart names to draw; `None` draws all charts of the output.
    pub only: Option<Vec<String>>,
}

impl Default for PlotOptions {
    /// PNG and SVG at 1600x1000, every chart.
    fn default() -> PlotOptions {
        PlotOptions {
            formats: vec![Format::Png, Format::Svg],
            width: 1600,
            height: 1000,
            only: None,
        }
    }
}

/// How `plot` reads output directories: by the table only each kind writes, or by the
/// manifest of a shard's partial result (which has no charts).
impl OutputKind {
    /// The kind of the output in `dir`.
    pub fn of(dir: &Path) -> Result<OutputKind, PlotError> {
        PlotError::require_dir(dir)?;
        if let Some(Detected::Kind(kind)) = detect(dir)
            && kind.shard() == kind
            && kind != OutputKind::Compare
        {
            return Ok(kind);
        }
        Ok(if dir.join(sweep::SWEEP_CSV).is_file() {
            OutputKind::Sweep
        } else if dir.join(sensitivity::SENSITIVITY_CSV).is_file() {
            OutputKind::Sensitivity
        } else if dir.join(crate::output::compare::COMPARE_JSON).is_file() {
            OutputKind::Compare
        } else if dir.join(explain::ATTRIBUTION_CSV).is_file() {
            OutputKind::Explain
        } else {
            OutputKind::Run
        })
    }

    /// The names of the charts drawn for this kind of output.
    pub fn chart_names(self) -> Vec<&'static str> {
        match self {
            OutputKind::Run => RUN_CHARTS.iter().map(|c| c.name).collect(),
            OutputKind::Sweep => SWEEP_CHARTS.iter().map(|c| c.name).collect(),
            OutputKind::Sensitivity => SENSITIVITY_CHARTS.iter().map(|c| c.name).collect(),
            OutputKind::Compare => COMPARE_CHARTS.iter().map(|c| c.name).collect(),
            OutputKind::Explain => EXPLAIN_CHARTS.iter().map(|c| c.name).collect(),
            _ => Vec::new(),
        }
    }
}

/// The measure a sweep's chart shows: the one its `summary.json` records, else (a sweep
/// written before it was recorded, or another kind of output) [`SWEEP_MEASURE`].
pub fn shown_measure(dir: &Path) -> String {
    crate::schema::read_json::<crate::experiment::sweep::SweepSummary>(
        &dir.join(crate::experiment::sweep::SWEEP_SUMMARY),
        "a sweep summary",
    )
    .ok()
    .and_then(|s| s.header.measure)
    .unwrap_or_else(|| SWEEP_MEASURE.to_string())
}

/// Draws the charts of whatever output `dir` holds (see [`OutputKind`]): a run's chart
/// set, a sweep's chart of the measure it was drawn with ([`shown_measure`]), a
/// sensitivity run's tornado, or an explanation's charts. Returns the paths written.
pub fn draw_dir(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    match OutputKind::of(dir)? {
        OutputKind::Run => draw_all(dir, opts),
        OutputKind::Sweep => draw_sweep(dir, &shown_measure(dir), opts),
        OutputKind::Sensitivity => draw_tornado(dir, opts),
        OutputKind::Compare => draw_compare(dir, opts),
        OutputKind::Explain => draw_explain(dir, opts),
        partial => Err(no_charts(partial)),
    }
}

/// Draws a run's chart set from the saved files in `output_dir` into
/// `output_dir/charts/`, returning the paths written.
///
/// All inputs are read and checked before anything is drawn, and the charts are drawn
/// into a temporary directory that replaces `charts/` only once every chart is done, so a
/// failure leaves the previous charts (or none) untouched. With `only`, charts of an
/// existing `charts/` that are not redrawn are kept.
pub fn draw_all(output_dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let (charts, formats) = select(RUN_CHARTS, opts)?;
    let needs = charts.iter().fold(Needs::empty(), |n, c| n | c.needs);
    let input = RunInput::load(output_dir, needs)?;
    write_charts(output_dir, &input, &charts, &formats, opts)
}

/// Draws the chart of the sweep saved in `dir` into `dir/charts/`: `phase` for two
/// parameters, `sweep` for one, showing `measure`. Returns the paths written.
pub fn draw_sweep(
    dir: &Path,
    measure: &str,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let (charts, formats) = select(SWEEP_CHARTS, opts)?;
    let input = SweepInput::load(dir, measure)?;
    write_charts(dir, &input, &charts, &formats, opts)
}

/// The charts of the output in `dir` as report figures (words as text, plot as inline
/// SVG), and the charts whose data it lacks with the reason; a sweep's charts show
/// `measure`.
pub fn figures(dir: &Path, measure: &str) -> Result<Figures, PlotError> {
    match OutputKind::of(dir)? {
        OutputKind::Run => {
            let needs = RUN_CHARTS.iter().fold(Needs::empty(), |n, c| n | c.needs);
            chart::figures(RUN_CHARTS, &RunInput::load(dir, needs)?)
        }
        OutputKind::Sweep => chart::figures(SWEEP_CHARTS, &SweepInput::load(dir, measure)?),
        OutputKind::Sensitivity => {
            chart::figures(SENSITIVITY_CHARTS, &SensitivityInput::load(dir)?)
        }
        OutputKind::Compare => chart::figures(COMPARE_CHARTS, &compare::CompareInput::load(dir)?),
        OutputKind::Explain => chart::figures(EXPLAIN_CHARTS, &ExplainInput::load(dir)?),
        partial => Err(no_charts(partial)),
    }
}

fn no_charts(kind: OutputKind) -> PlotError {
    PlotError::Options(format!(
        "{} has no charts: merge the shards first",
        kind.describe()
    ))
}

/// The colours the charts draw labs in, as `#RRGGBB`, from each lab's colour in a summary
/// (`None`, empty or unreadable: the default of its place), for pages that show a key.
pub(crate) fn lab_colors_hex<'a>(given: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let given = given
        .into_iter()
        .map(|text| text.and_then(theme::parse_color));
    palette::lab_colors(given)
        .into_iter()
        .map(|c| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2))
        .collect()
}

/// The charts of a run's chart set that the output in `dir` lacks the data for, with the
/// reason (drawing every chart skips them).
pub fn missing_charts(dir: &Path) -> Result<Vec<(&'static str, String)>, PlotError> {
    if OutputKind::of(dir)? != OutputKind::Run {
        return Ok(Vec::new());
    }
    let input = RunInput::load(dir, Needs::empty())?;
    Ok(RUN_CHARTS
        .iter()
        .filter_map(|c| c.missing_reason(&input).map(|why| (c.name, why)))
        .collect())
}

/// Draws the charts of a comparison (`racerun compare`) into `dir/charts/`.
pub fn draw_compare(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let (charts, formats) = select(COMPARE_CHARTS, opts)?;
    let input = compare::CompareInput::load(dir)?;
    write_charts(dir, &input, &charts, &formats, opts)
}

/// Draws an explanation's charts (`attribution`, `leapfrogs`) into `dir/charts/`.
pub fn draw_explain(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let (charts, formats) = select(EXPLAIN_CHARTS, opts)?;
    let input = ExplainInput::load(dir)?;
    write_charts(dir, &input, &charts, &formats, opts)
}

/// Draws `charts/tornado.png` and/or `.svg` in a sensitivity output directory.
pub fn draw_tornado(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let (charts, formats) = select(SENSITIVITY_CHARTS, opts)?;
    let input = SensitivityInput::load(dir)?;
    write_charts(dir, &input, &charts, &formats, opts)
}
