//! Charts a writer can publish, drawn from a run's saved output files.
//!
//! [`draw_all`] reads `summary.json`, `bands.csv`, `runs.csv`, `spells.csv` and
//! `sample_runs.csv` from an output directory (see `docs/outputs.md`), checks them, and
//! draws the chart set into `charts/` beside them as PNG and/or SVG. It never runs the
//! simulator: the same directory can be redrawn at another size or format at any time.
//!
//! The chart set, by file stem ([`CHART_NAMES`]):
//!
//! | name | what it shows |
//! |---|---|
//! | `leapfrog` | one sample run: each lab's deployed quality, releases, and who leads |
//! | `quality_bands` | each lab's quality and its gap to the frontier across runs |
//! | `who_leads` | the probability that each lab leads on quality and on customers |
//! | `allocation` | one sample run: each lab's GPUs training vs serving |
//! | `customers` | each lab's customer share across runs |
//! | `lead_changes` | how many times the lead changes in a run, with the verdict |
//! | `spells` | how long a lead lasts |
//! | `headwind` | the leader's training share against the followers' |
//!
//! Every chart has a plain-words title, a subtitle with scenario, runs and seed, axis
//! titles with units, calendar months on time axes, a legend in a row of its own above
//! the plot, and a source line. Labs keep their scenario colour (Okabe-Ito by default)
//! in every chart. Text uses DejaVu Sans compiled into the binary.

mod allocation;
mod customers;
mod data;
mod error;
mod headwind;
mod layout;
mod lead_changes;
mod leapfrog;
mod phase;
mod quality_bands;
mod raster;
mod spells;
mod theme;
mod tornado;
mod who_leads;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use plotters::prelude::*;

pub use error::PlotError;
pub use phase::draw_sweep;
pub use theme::{compact, thousands};
pub use tornado::draw_tornado;

use data::{Needs, PlotData};
use layout::{Area, Backend, Ctx, DrawResult};

/// The charts [`draw_all`] can draw, by file stem, in drawing order.
pub const CHART_NAMES: &[&str] = &[
    "leapfrog",
    "quality_bands",
    "who_leads",
    "allocation",
    "customers",
    "lead_changes",
    "spells",
    "headwind",
];

/// Smallest canvas on which the frame's text still fits around a readable plot.
const MIN_SIZE: (u32, u32) = (480, 320);
/// Largest canvas accepted; bigger would only burn memory.
const MAX_SIZE: (u32, u32) = (10_000, 10_000);

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

/// What [`draw_all`] draws and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotOptions {
    /// Formats to write, each chart once per format.
    pub formats: Vec<Format>,
    /// Canvas width in pixels (SVG user units).
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Chart names to draw; `None` draws all of [`CHART_NAMES`].
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

/// One chart of the set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chart {
    Leapfrog,
    QualityBands,
    WhoLeads,
    Allocation,
    Customers,
    LeadChanges,
    Spells,
    Headwind,
}

impl Chart {
    const ALL: [Chart; 8] = [
        Chart::Leapfrog,
        Chart::QualityBands,
        Chart::WhoLeads,
        Chart::Allocation,
        Chart::Customers,
        Chart::LeadChanges,
        Chart::Spells,
        Chart::Headwind,
    ];

    fn name(self) -> &'static str {
        CHART_NAMES[Chart::ALL.iter().position(|&c| c == self).unwrap_or(0)]
    }

    fn from_name(name: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.name() == name.trim())
    }

    /// Adds the inputs this chart reads to `needs`.
    fn needs(self, needs: &mut Needs) {
        match self {
            Chart::Leapfrog | Chart::Allocation => needs.sample = true,
            Chart::QualityBands => needs.bands.extend(quality_bands::SERIES),
            Chart::WhoLeads => needs.bands.extend(who_leads::SERIES),
            Chart::Customers => needs.bands.extend(customers::SERIES),
            Chart::Headwind => needs.bands.extend(headwind::SERIES),
            Chart::LeadChanges => needs.runs = true,
            Chart::Spells => needs.spells = true,
        }
    }

    fn draw<DB: Backend>(self, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        root.fill(&WHITE)?;
        match self {
            Chart::Leapfrog => leapfrog::draw(root, ctx),
            Chart::QualityBands => quality_bands::draw(root, ctx),
            Chart::WhoLeads => who_leads::draw(root, ctx),
            Chart::Allocation => allocation::draw(root, ctx),
            Chart::Customers => customers::draw(root, ctx),
            Chart::LeadChanges => lead_changes::draw(root, ctx),
            Chart::Spells => spells::draw(root, ctx),
            Chart::Headwind => headwind::draw(root, ctx),
        }
    }
}

/// Draws the chart set from the saved files in `output_dir` into `output_dir/charts/`,
/// returning the paths written.
///
/// All inputs are read and checked before anything is drawn, and the charts are drawn
/// into a temporary directory that replaces `charts/` only once every chart is done, so a
/// failure leaves the previous charts (or none) untouched. With `only`, charts of an
/// existing `charts/` that are not redrawn are kept.
pub fn draw_all(output_dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, PlotError> {
    let (charts, formats) = validate(opts)?;
    let mut needs = Needs::default();
    charts.iter().for_each(|c| c.needs(&mut needs));
    let data = PlotData::load(output_dir, &needs)?;

    theme::register_fonts();
    let final_dir = output_dir.join("charts");
    let staging = output_dir.join(format!(".charts.tmp-{}", std::process::id()));
    let result =
        draw_into(&staging, &final_dir, &data, &charts, &formats, opts).and_then(|written| {
            if opts.only.is_some() {
                keep_other_charts(&final_dir, &staging, &written)?;
            }
            swap_into_place(&staging, &final_dir, output_dir)?;
            Ok(written)
        });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    let written = result?;
    Ok(written
        .into_iter()
        .map(|name| final_dir.join(name))
        .collect())
}

/// Checks the options; returns the charts in drawing order and the distinct formats.
fn validate(opts: &PlotOptions) -> Result<(Vec<Chart>, Vec<Format>), PlotError> {
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
    let charts = match &opts.only {
        None => Chart::ALL.to_vec(),
        Some(names) => {
            let mut wanted = Vec::new();
            for name in names
                .iter()
                .flat_map(|n| n.split(','))
                .filter(|n| !n.trim().is_empty())
            {
                let chart = Chart::from_name(name).ok_or_else(|| PlotError::UnknownChart {
                    name: name.trim().to_string(),
                })?;
                wanted.push(chart);
            }
            if wanted.is_empty() {
                return Err(PlotError::Options(format!(
                    "no chart named; valid names: {}",
                    CHART_NAMES.join(", ")
                )));
            }
            Chart::ALL
                .into_iter()
                .filter(|c| wanted.contains(c))
                .collect()
        }
    };
    Ok((charts, formats))
}

/// Draws every chart in every format into a fresh `staging` directory; returns the file
/// names written. Errors name the file as it will be called in `final_dir`.
fn draw_into(
    staging: &Path,
    final_dir: &Path,
    data: &PlotData,
    charts: &[Chart],
    formats: &[Format],
    opts: &PlotOptions,
) -> Result<Vec<String>, PlotError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PlotError::Io { path, source }
    };
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(io(staging))?;
    }
    std::fs::create_dir(staging).map_err(io(staging))?;
    let ctx = Ctx::new(data, opts.width, opts.height);
    let size = (opts.width, opts.height);
    let mut written = Vec::new();
    for &chart in charts {
        for &format in formats {
            let name = format!("{}.{}", chart.name(), format.extension());
            let path = staging.join(&name);
            render(chart, &ctx, &path, format, size).map_err(|e| PlotError::Render {
                path: final_dir.join(&name),
                message: e.to_string(),
            })?;
            written.push(name);
        }
    }
    Ok(written)
}

fn render(
    chart: Chart,
    ctx: &Ctx<'_>,
    path: &Path,
    format: Format,
    size: (u32, u32),
) -> DrawResult {
    match format {
        Format::Png => {
            let root = raster::Raster::new(BitMapBackend::new(path, size))?.into_drawing_area();
            chart.draw(&root, ctx)?;
            root.present()?;
        }
        Format::Svg => {
            let root = SVGBackend::new(path, size).into_drawing_area();
            chart.draw(&root, ctx)?;
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
            std::fs::copy(entry.path(), staging.join(&name)).map_err(|source| PlotError::Io {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Replaces `final_dir` with `staging` whole, in one atomic exchange where the system
/// allows (see [`crate::output::install`]); the old charts are then deleted.
fn swap_into_place(staging: &Path, final_dir: &Path, _output_dir: &Path) -> Result<(), PlotError> {
    crate::output::install(staging, final_dir).map_err(|source| PlotError::Io {
        path: final_dir.to_path_buf(),
        source,
    })?;
    // `staging` now holds the old charts, if any; a leftover copy is harmless.
    let _ = std::fs::remove_dir_all(staging);
    Ok(())
}
