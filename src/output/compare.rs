//! `racerun compare`: several finished runs side by side. [`Comparison::from_dirs`] reads
//! each run's `summary.json` (checked) into the few numbers a comparison shows, and
//! [`write_comparison`] saves them as `compare.json`, from which the comparison's charts
//! and report are drawn (so `racerun plot` and `racerun report` redraw them without the
//! runs).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::manifest::{OutputKind, write_manifest};
use super::{OutputError, SummaryStat};
use crate::schema::{self, ReadError, SummaryHead, Survival};

/// File name of a comparison's table.
pub const COMPARE_JSON: &str = "compare.json";

/// One run as compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// How charts and tables name it: the scenario, with its overrides, or with its
    /// directory where two would read alike.
    pub label: String,
    /// The run's directory, as given.
    pub dir: String,
    /// Scenario name.
    pub scenario: String,
    /// `--set` overrides of the run.
    #[serde(default)]
    pub overrides: Vec<String>,
    /// Number of labs (chance is one over it).
    pub labs: usize,
    /// Simulations.
    pub runs: u64,
    /// Seed.
    pub seed: u64,
    /// The verdict's regime.
    pub regime: String,
    /// The verdict's sentence.
    pub sentence: String,
    /// Persistence of the quality leader across simulations.
    pub persistence: Option<SummaryStat>,
    /// Persistence against chance (0: a leader no likelier to lead later than any lab;
    /// 1: it never changes), when the summary has it.
    #[serde(default)]
    pub persistence_norm: Option<SummaryStat>,
    /// The verdict's thresholds by name, when the summary lists them.
    #[serde(default)]
    pub thresholds: std::collections::BTreeMap<String, f64>,
    /// Quality-lead changes per year across simulations.
    pub changes_per_year: Option<SummaryStat>,
    /// Lead survival, when the run's summary has it.
    #[serde(default)]
    pub survival: Option<Survival>,
    /// What defines its measures, from its `scenario.toml` (absent without one):
    /// `world.leadership`'s lead margin (Elo), share margin and persistence horizon
    /// (months).
    #[serde(default)]
    pub definitions: Option<[f64; 3]>,
}

/// `world.leadership`'s three settings in a run's `scenario.toml`, if it has them all.
fn definitions(dir: &Path) -> Option<[f64; 3]> {
    let text = std::fs::read_to_string(dir.join("scenario.toml")).ok()?;
    let table: toml::Table = text.parse().ok()?;
    let leadership = table.get("world")?.get("leadership")?;
    let get = |key: &str| {
        let v = leadership.get(key)?;
        v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
    };
    Some([
        get("lead_margin")?,
        get("share_margin")?,
        get("persistence_months")?,
    ])
}

impl Compared {
    /// Its persistence against chance (mean, 2 decimals) and lead changes a year (the
    /// median run's, as its verdict says them; 1 decimal), as the comparison's tables
    /// show them; `dash` where one does not apply.
    pub fn shown(&self, dash: &str) -> [String; 2] {
        [
            self.persistence_norm
                .as_ref()
                .map_or(dash.into(), |p| format!("{:.2}", p.mean)),
            self.changes_per_year
                .as_ref()
                .map_or(dash.into(), |p| format!("{:.1}", p.p50)),
        ]
    }
}

/// What `compare.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// racerun version that wrote it.
    pub racerun_version: String,
    /// The runs, in the order given.
    pub runs: Vec<Compared>,
}

#[derive(Deserialize)]
struct Measures {
    #[serde(default)]
    measures: std::collections::BTreeMap<String, SummaryStat>,
}

/// Most runs a comparison takes: its charts give each a colour and a line style.
pub const MAX_COMPARED: usize = 8;

impl Comparison {
    /// What a reader must know before setting the runs side by side: simulation counts,
    /// seeds or the measures' definitions that differ.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let first = self.runs.first();
        let differ = |f: &dyn Fn(&Compared) -> String| {
            first.is_some_and(|a| self.runs.iter().any(|r| f(r) != f(a)))
        };
        if differ(&|r| r.runs.to_string()) {
            notes.push(
                "the simulation counts differ, so the estimates differ in precision (their \
                 intervals in each summary.json say how much)"
                    .to_string(),
            );
        }
        if differ(&|r| r.seed.to_string()) {
            notes.push("the seeds differ: the scenarios do not share random numbers".to_string());
        }
        let defined = |r: &Compared| {
            r.definitions
                .map_or("unknown".to_string(), |[lead, share, months]| {
                    format!(
                        "lead margin {} Elo, share margin {}, persistence over {} months",
                        crate::numbers::compact(lead),
                        crate::numbers::compact(share),
                        crate::numbers::compact(months)
                    )
                })
        };
        if differ(&defined) {
            let each: Vec<String> = self
                .runs
                .iter()
                .map(|r| format!("{}: {}", r.label, defined(r)))
                .collect();
            notes.push(format!(
                "the measures are defined differently ({}): persistence, lead changes and the \
                 verdicts are not on one scale",
                each.join("; ")
            ));
        }
        notes
    }

    /// Reads the runs in `dirs` (at least two, at most [`MAX_COMPARED`], each the result
    /// of `racerun run`).
    pub fn from_dirs(dirs: &[PathBuf]) -> Result<Comparison, ReadError> {
        let mut runs = Vec::with_capacity(dirs.len());
        for dir in dirs {
            let path = dir.join(schema::SUMMARY);
            let head = SummaryHead::read(&path)?;
            let extra: Measures = schema::read_json(&path, "a run summary")?;
            let durability = schema::survival::durability(&path)?;
            let verdict = head.verdict.clone();
            let label = if head.overrides.is_empty() {
                head.scenario.clone()
            } else {
                format!("{} with {}", head.scenario, head.overrides.join(", "))
            };
            runs.push(Compared {
                label,
                dir: dir.display().to_string(),
                scenario: head.scenario.clone(),
                overrides: head.overrides.clone(),
                labs: head.labs.len(),
                runs: head.runs,
                seed: head.seed,
                regime: verdict.as_ref().map_or("none".into(), |v| v.regime.clone()),
                sentence: verdict.map(|v| v.sentence).unwrap_or_default(),
                persistence: extra.measures.get("persistence_quality").cloned(),
                persistence_norm: extra.measures.get("persistence_norm_quality").cloned(),
                thresholds: durability.thresholds,
                changes_per_year: extra.measures.get("changes_per_year_quality").cloned(),
                survival: durability.survival,
                definitions: definitions(dir),
            });
        }
        // Runs that read alike are told apart by their directories' names, or by their
        // whole paths when those are alike too (`a/baseline` and `b/baseline`).
        let alike =
            |labels: &[String], i: usize| labels.iter().filter(|l| **l == labels[i]).count() > 1;
        let base: Vec<String> = runs.iter().map(|r| r.label.clone()).collect();
        let named: Vec<String> = (0..runs.len())
            .map(|i| {
                if !alike(&base, i) {
                    return base[i].clone();
                }
                let dir = Path::new(&runs[i].dir)
                    .file_name()
                    .map_or(runs[i].dir.clone(), |n| n.to_string_lossy().into_owned());
                format!("{} ({dir})", base[i])
            })
            .collect();
        for (i, run) in runs.iter_mut().enumerate() {
            run.label = if alike(&named, i) {
                format!("{} ({})", base[i], run.dir)
            } else {
                named[i].clone()
            };
        }
        Ok(Comparison {
            racerun_version: env!("CARGO_PKG_VERSION").to_string(),
            runs,
        })
    }

    /// Reads and checks `compare.json` in `dir`.
    pub fn read(dir: &Path) -> Result<Comparison, ReadError> {
        let path = dir.join(COMPARE_JSON);
        let c: Comparison = schema::read_json(&path, "a comparison")?;
        if c.runs.is_empty() || c.runs.len() > MAX_COMPARED {
            return Err(ReadError::invalid(
                &path,
                format!("`runs`: expected 1 to {MAX_COMPARED}, got {}", c.runs.len()),
            ));
        }
        Ok(c)
    }

    /// A default directory name: `compare-race-run-baseline`, shortened past a few runs.
    pub fn default_name(&self) -> String {
        let names: Vec<String> = self
            .runs
            .iter()
            .map(|r| super::variant_name(&r.scenario, &r.overrides))
            .collect();
        let joined = names.join("-");
        if joined.len() <= 60 {
            format!("compare-{joined}")
        } else {
            // The names in the order given, like the joined name above.
            super::hashed_name("compare", &names)
        }
    }
}

/// Writes `compare.json` and the manifest into `dir` (which must exist).
pub fn write_comparison(dir: &Path, c: &Comparison) -> Result<(), OutputError> {
    let path = dir.join(COMPARE_JSON);
    let mut json = serde_json::to_vec_pretty(c).map_err(|e| OutputError::io(&path, e))?;
    json.push(b'\n');
    std::fs::write(&path, json).map_err(|e| OutputError::io(&path, e))?;
    write_manifest(dir, OutputKind::Compare, &[COMPARE_JSON])
}
