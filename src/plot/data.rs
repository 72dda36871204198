//! What run charts are drawn from: a run's saved files, read and checked through
//! [`crate::schema`] before anything is drawn, and put in chart terms (lab colours, the
//! calendar).

use std::path::Path;

use plotters::style::RGBColor;

use super::PlotError;
use super::theme::{Calendar, parse_color};
use crate::schema::{
    self, Band, Bands, ReadError, SampleRun, SpellSurvival, Spells, SummaryHead, Survival,
    VerdictInfo, WORLD, runs::read_columns,
};

/// A lab as charts show it: its display name and its colour in every chart.
#[derive(Debug, Clone)]
pub(crate) struct Lab {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) color: RGBColor,
}

/// What every chart says about where its numbers come from.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub(crate) version: String,
    pub(crate) scenario: String,
    pub(crate) calendar: Calendar,
    pub(crate) months: u32,
    pub(crate) seed: u64,
    pub(crate) runs: u64,
    pub(crate) labs: Vec<Lab>,
    pub(crate) verdict: Option<VerdictInfo>,
    /// The `--set` overrides the run was made with.
    pub(crate) overrides: Vec<String>,
    /// How the source line counts the simulations, when not `N simulations`.
    pub(crate) runs_note: Option<String>,
    /// `scenario`, or `scenarios` for a comparison.
    pub(crate) scenario_word: &'static str,
}

impl Summary {
    /// Puts a checked `summary.json` head in chart terms: the calendar of its `start`,
    /// and each lab's colour (Okabe-Ito in order where the file gives none).
    pub(crate) fn from_head(head: SummaryHead, path: &Path) -> Result<Summary, ReadError> {
        let calendar = Calendar::parse(&head.start).ok_or_else(|| {
            ReadError::invalid(
                path,
                format!("`start`: expected a month as YYYY-MM, got `{}`", head.start),
            )
        })?;
        let months = head.horizon();
        let mut given = Vec::with_capacity(head.labs.len());
        let mut names = Vec::with_capacity(head.labs.len());
        for (i, lab) in head.labs.into_iter().enumerate() {
            given.push(match lab.color.trim() {
                "" => None,
                text => Some(parse_color(text).ok_or_else(|| {
                    ReadError::invalid(
                        path,
                        format!("`labs[{i}].color`: expected a colour as #RRGGBB, got `{text}`"),
                    )
                })?),
            });
            let name = match lab.name.trim() {
                "" => lab.id.clone(),
                _ => lab.name,
            };
            names.push((lab.id, name));
        }
        let labs: Vec<Lab> = names
            .into_iter()
            .zip(super::palette::lab_colors(given))
            .map(|((id, name), color)| Lab { id, name, color })
            .collect();
        Ok(Summary {
            version: head
                .racerun_version
                .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_string()),
            scenario: head.scenario,
            calendar,
            months,
            seed: head.seed,
            runs: head.runs,
            labs,
            verdict: head.verdict,
            overrides: head.overrides,
            runs_note: None,
            scenario_word: "scenario",
        })
    }

    /// `300 simulations` (or what the output counts instead).
    pub(crate) fn runs_note(&self) -> String {
        self.runs_note.clone().unwrap_or_else(|| {
            format!(
                "{} simulation{}",
                crate::numbers::thousands(self.runs as i64),
                crate::numbers::plural_s(self.runs)
            )
        })
    }

    /// A summary without labs or verdict, for the charts of sweeps and sensitivity runs
    /// (which have no time axis: a `start` that does not parse labels nothing).
    pub(crate) fn bare(
        version: &str,
        scenario: &str,
        start: &str,
        months: u32,
        seed: u64,
        runs: u64,
    ) -> Summary {
        Summary {
            version: version.to_string(),
            scenario: scenario.to_string(),
            calendar: Calendar::parse(start).unwrap_or_default(),
            months,
            seed,
            runs,
            labs: Vec::new(),
            verdict: None,
            overrides: Vec::new(),
            runs_note: None,
            scenario_word: "scenario",
        }
    }
}

bitflags::bitflags! {
    /// Which of a run's files a set of charts reads, besides `summary.json` (none: only
    /// that); a set of charts reads the union of its charts' needs.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub(crate) struct Needs: u8 {
        /// `bands.csv`.
        const BANDS = 1;
        /// `runs.csv`.
        const RUNS = 1 << 1;
        /// `spells.csv`.
        const SPELLS = 1 << 2;
        /// `sample_runs.csv`.
        const SAMPLE = 1 << 3;
    }
}

/// The number of lead changes in each run, from `runs.csv`.
#[derive(Debug)]
pub(crate) struct LeadChanges {
    pub(crate) quality: Vec<u64>,
    pub(crate) market: Vec<u64>,
}

/// Everything loaded from one run's output directory.
#[derive(Debug)]
pub(crate) struct RunInput {
    pub(crate) summary: Summary,
    bands: Option<Bands>,
    lead_changes: Option<LeadChanges>,
    /// Per run, the largest lab's customer share at the end, from `runs.csv`.
    top_final_share: Option<Vec<f64>>,
    spells: Option<Spells>,
    sample: Option<SampleRun>,
    /// Lead survival, when `summary.json` has it (see [`crate::schema::survival`]).
    pub(crate) survival: Option<Survival>,
    pub(crate) spell_survival: Option<SpellSurvival>,
}

impl RunInput {
    /// Loads and checks `summary.json` and every file in `needs` from `dir`.
    pub(crate) fn load(dir: &Path, needs: Needs) -> Result<RunInput, PlotError> {
        PlotError::require_dir(dir)?;
        let path = dir.join(schema::SUMMARY);
        let head = SummaryHead::read(&path)?;
        let summary = Summary::from_head(head.clone(), &path)?;
        let durability = schema::survival::durability(&path)?;
        let read = |wanted: bool, name: &str| wanted.then(|| dir.join(name));
        let bands = match read(needs.contains(Needs::BANDS), schema::BANDS) {
            Some(p) => Some(Bands::read(&p, &head)?),
            None => None,
        };
        let (lead_changes, top_final_share) = match read(needs.contains(Needs::RUNS), schema::RUNS)
        {
            Some(p) => {
                let columns = read_columns(
                    &p,
                    &head,
                    &["lead_changes_quality", "lead_changes_market"],
                    &["final_share"],
                )?;
                let mut counts = columns.counts;
                let market = counts.pop().unwrap_or_default();
                let quality = counts.pop().unwrap_or_default();
                let top = columns.lab_max.into_iter().next().unwrap_or_default();
                (Some(LeadChanges { quality, market }), Some(top))
            }
            None => (None, None),
        };
        let spells = match read(needs.contains(Needs::SPELLS), schema::SPELLS) {
            Some(p) => Some(Spells::read(&p, &head)?),
            None => None,
        };
        let sample = match read(needs.contains(Needs::SAMPLE), schema::SAMPLE_RUNS) {
            Some(p) => Some(SampleRun::read(&p, &head)?),
            None => None,
        };
        Ok(RunInput {
            summary,
            bands,
            lead_changes,
            top_final_share,
            spells,
            sample,
            survival: durability.survival,
            spell_survival: durability.spell_survival,
        })
    }

    /// `bands.csv`, for a chart that declared it.
    pub(crate) fn bands(&self, chart: &'static str) -> Result<&Bands, PlotError> {
        self.bands.as_ref().ok_or(PlotError::NotLoaded {
            chart,
            file: schema::BANDS,
        })
    }

    /// One series of `bands.csv` for every lab, in summary order.
    pub(crate) fn lab_series(
        &self,
        chart: &'static str,
        series: &str,
    ) -> Result<Vec<Vec<Band>>, PlotError> {
        let bands = self.bands(chart)?;
        Ok(self
            .summary
            .labs
            .iter()
            .map(|lab| bands.get(series, &lab.id).to_vec())
            .collect())
    }

    /// One world-level series of `bands.csv`.
    pub(crate) fn world_series(
        &self,
        chart: &'static str,
        series: &str,
    ) -> Result<Vec<Band>, PlotError> {
        Ok(self.bands(chart)?.get(series, WORLD).to_vec())
    }

    /// The lead changes of `runs.csv`, for a chart that declared it.
    pub(crate) fn lead_changes(&self, chart: &'static str) -> Result<&LeadChanges, PlotError> {
        self.lead_changes.as_ref().ok_or(PlotError::NotLoaded {
            chart,
            file: schema::RUNS,
        })
    }

    /// Per run, the largest lab's customer share at the end (`runs.csv`), for a chart
    /// that declared it.
    pub(crate) fn top_final_share(&self, chart: &'static str) -> Result<&[f64], PlotError> {
        self.top_final_share.as_deref().ok_or(PlotError::NotLoaded {
            chart,
            file: schema::RUNS,
        })
    }

    /// `spells.csv`, for a chart that declared it.
    pub(crate) fn spells(&self, chart: &'static str) -> Result<&Spells, PlotError> {
        self.spells.as_ref().ok_or(PlotError::NotLoaded {
            chart,
            file: schema::SPELLS,
        })
    }

    /// The first sample run of `sample_runs.csv`, for a chart that declared it.
    pub(crate) fn sample(&self, chart: &'static str) -> Result<&SampleRun, PlotError> {
        self.sample.as_ref().ok_or(PlotError::NotLoaded {
            chart,
            file: schema::SAMPLE_RUNS,
        })
    }
}
