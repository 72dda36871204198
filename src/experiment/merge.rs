//! Combining the partial results of every shard into the result of the whole
//! experiment, exactly as an unsharded run or sweep computes it.
//!
//! Runs: the shards' run measures are concatenated in run order, their bands merged
//! (histogram counts and exact sums, so the grouping does not matter), their spell
//! counts added, their sample trajectories concatenated, and the verdict judged afresh
//! over all runs. Sweeps: the shards' cells are concatenated in cell order.
//!
//! Before anything is combined, the set is checked: one kind, one scenario, one seed,
//! one number of runs and of shards, every shard `1..=N` present exactly once and
//! covering the share [`Shard::range`] gives it, and sizes within [`super::limits`]. A
//! problem is refused naming the directories involved. The partials are read by
//! [`crate::output::partial::read_partial`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::partial::{Partial, PartialHeader, PartialKind, Payload, RunPart, SweepPart};
use super::shard::Shard;
use super::sweep::{CellResult, SweepHeader};
use super::{ExperimentError, limits};
use crate::metrics::Tally;
use crate::metrics::durability::SpellCounts;
use crate::montecarlo::{BLOCK, Outcome};
use crate::output::RunInfo;
use crate::scenario::Scenario;

/// The whole experiment, put back together.
// Built once per merge and taken apart at once: boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Merged {
    /// A Monte Carlo of one scenario.
    Run {
        /// The scenario, as the shards resolved it.
        scenario: Scenario,
        /// The outcome over all runs.
        outcome: Outcome,
        /// Seed and runs; threads are the most any shard used, wall time their sum.
        info: RunInfo,
        /// Each shard's directory, in run order, with the SHA-256 of the `runs.csv` it
        /// wrote there ([`crate::output::concat_runs`] puts them together).
        rows: Vec<(PathBuf, String)>,
    },
    /// A parameter sweep.
    Sweep {
        /// The sweep.
        header: SweepHeader,
        /// Every cell, in order.
        cells: Vec<CellResult>,
    },
    /// An explanation.
    Explain {
        /// The scenario, as the shards resolved it.
        scenario: Scenario,
        /// The channels asked for.
        channels: Vec<crate::explain::Channel>,
        /// Sample runs whose lead changes were decomposed.
        samples: u64,
        /// Every run's part.
        part: crate::explain::Part,
        /// Seed and runs; threads are the most any shard used, wall time their sum.
        info: RunInfo,
    },
}

/// The work-unit alignment of a kind: whole Monte Carlo blocks for runs.
pub fn alignment(kind: PartialKind) -> u64 {
    match kind {
        PartialKind::Run | PartialKind::Explain => BLOCK,
        PartialKind::Sweep => 1,
    }
}

/// The header of shard `shard` of an experiment over `units` work units.
#[allow(clippy::too_many_arguments)]
pub fn header(
    kind: PartialKind,
    scenario: &str,
    fingerprint: String,
    seed: u64,
    runs: u64,
    units: u64,
    shard: Shard,
    threads: usize,
    wall_time_seconds: f64,
) -> PartialHeader {
    let range = shard.range(units, alignment(kind));
    PartialHeader {
        racerun_version: env!("CARGO_PKG_VERSION").to_string(),
        kind,
        scenario: scenario.to_string(),
        fingerprint,
        seed,
        runs,
        units,
        shard,
        first: range.start,
        end: range.end,
        threads,
        wall_time_seconds,
    }
}

/// The header of shard `shard` of a Monte Carlo (a run or an explanation), whose work
/// units are its runs.
pub(super) fn runs_header(
    kind: PartialKind,
    scenario: &Scenario,
    fingerprint: String,
    info: &RunInfo,
    shard: Shard,
) -> PartialHeader {
    let (seed, runs) = (info.seed, info.runs);
    let (threads, wall) = (info.threads, info.wall_time_seconds);
    header(
        kind,
        &scenario.name,
        fingerprint,
        seed,
        runs,
        runs,
        shard,
        threads,
        wall,
    )
}

/// The partial result of shard `shard` of a Monte Carlo of `runs` runs, from the outcome
/// of that shard's runs and the SHA-256 of the `runs.csv` it wrote.
pub fn run_partial(
    scenario: &Scenario,
    outcome: Outcome,
    info: &RunInfo,
    samples: u64,
    shard: Shard,
    runs_sha256: String,
) -> Partial {
    let toml = scenario.to_toml();
    let fingerprint = format!("{:x}", Sha256::digest(toml.as_bytes()));
    Partial {
        header: runs_header(PartialKind::Run, scenario, fingerprint, info, shard),
        payload: Payload::Run(RunPart {
            scenario_toml: toml,
            overrides: info.overrides.clone(),
            samples,
            tally: outcome.tally,
            runs_sha256,
            bands: outcome.bands,
            spells: outcome.spells,
            sample_runs: outcome.samples,
        }),
    }
}

pub(super) fn show(path: &Path) -> String {
    path.display().to_string()
}

/// Checks that `partials` (each with the directory it came from) make up one whole
/// experiment, then merges them.
pub fn merge(partials: Vec<(PathBuf, Partial)>) -> Result<Merged, ExperimentError> {
    let Some((first_dir, first)) = partials.first() else {
        return Err(ExperimentError::Merge(
            "no partial results given; expected the directories written by `--shard K/N`".into(),
        ));
    };
    let a = &first.header;
    for (dir, p) in &partials[1..] {
        let b = &p.header;
        let differ = |what: &str, x: String, y: String| {
            ExperimentError::Merge(format!(
                "{} and {} are shards of different experiments: {what} {x} vs {y}",
                show(first_dir),
                show(dir)
            ))
        };
        if a.kind != b.kind {
            return Err(differ("kind", a.kind.name().into(), b.kind.name().into()));
        }
        if a.scenario != b.scenario {
            return Err(differ("scenario", a.scenario.clone(), b.scenario.clone()));
        }
        if a.seed != b.seed {
            return Err(differ("seed", a.seed.to_string(), b.seed.to_string()));
        }
        if a.runs != b.runs {
            return Err(differ("runs", a.runs.to_string(), b.runs.to_string()));
        }
        if a.shard.count != b.shard.count {
            return Err(differ(
                "shard count",
                a.shard.to_string(),
                b.shard.to_string(),
            ));
        }
        if a.units != b.units || a.fingerprint != b.fingerprint {
            let what = match a.kind {
                PartialKind::Run => "resolved scenario (a parameter or --set differs), sha256",
                PartialKind::Sweep => "sweep (scenario, --set or --vary differ), fingerprint",
                PartialKind::Explain => {
                    "explanation (scenario, --set, --channels, --samples or --profile-runs differ), fingerprint"
                }
            };
            return Err(differ(
                what,
                a.fingerprint[..12.min(a.fingerprint.len())].to_string(),
                b.fingerprint[..12.min(b.fingerprint.len())].to_string(),
            ));
        }
    }
    let mut by_index: BTreeMap<u64, (&PathBuf, &Partial)> = BTreeMap::new();
    for (dir, p) in &partials {
        if let Some((other, _)) = by_index.insert(p.header.shard.index, (dir, p)) {
            return Err(ExperimentError::Merge(format!(
                "shard {} given twice: {} and {}",
                p.header.shard,
                show(other),
                show(dir)
            )));
        }
    }
    let n = a.shard.count;
    let missing: Vec<String> = (1..=n)
        .filter(|k| !by_index.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(ExperimentError::Merge(format!(
            "missing shard{} {} (given: {})",
            crate::numbers::plural_s(missing.len()),
            missing.join(", "),
            by_index
                .values()
                .map(|(d, p)| format!("{} = {}", p.header.shard, show(d)))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    for (dir, p) in by_index.values() {
        let h = &p.header;
        let want = h.shard.range(h.units, alignment(h.kind));
        if h.first != want.start || h.end != want.end {
            return Err(ExperimentError::Partial {
                path: dir.to_path_buf(),
                message: format!(
                    "shard {} covers units {}..{}, expected {}..{}",
                    h.shard, h.first, h.end, want.start, want.end
                ),
            });
        }
    }
    // Sizes read from the files, checked before anything is combined.
    match a.kind {
        PartialKind::Run | PartialKind::Explain => limits::monte_carlo(a.runs, 0, 1, 1)?,
        PartialKind::Sweep => limits::sweep(u128::from(a.units), a.runs)?,
    }
    let ordered: Vec<(&PathBuf, &Partial)> = by_index.into_values().collect();
    match a.kind {
        PartialKind::Run => merge_runs(&ordered),
        PartialKind::Sweep => merge_sweeps(&ordered),
        PartialKind::Explain => super::explain::merge_explain(&ordered),
    }
}

fn merge_runs(parts: &[(&PathBuf, &Partial)]) -> Result<Merged, ExperimentError> {
    let mut tally: Option<Tally> = None;
    let mut rows = Vec::new();
    let mut bands = None;
    let mut spells = SpellCounts::default();
    let mut samples = Vec::new();
    let mut scenario = None;
    let mut overrides = Vec::new();
    for (dir, p) in parts {
        let Payload::Run(part) = &p.payload else {
            return Err(wrong_content(dir, p));
        };
        if scenario.is_none() {
            scenario = Some(partial_scenario(dir, p, &part.scenario_toml, part.samples)?);
            overrides = part.overrides.clone();
        }
        check_runs(dir, p, part.tally.runs() as usize)?;
        match &mut tally {
            None => tally = Some(part.tally.clone()),
            Some(t) => t.merge(&part.tally),
        }
        rows.push(((*dir).clone(), part.runs_sha256.clone()));
        match &mut bands {
            None => bands = Some(part.bands.clone()),
            Some(b) => crate::montecarlo::Bands::merge(b, &part.bands),
        }
        spells.add(&part.spells);
        samples.extend(part.sample_runs.iter().cloned());
    }
    let (Some(scenario), Some(bands), Some(tally)) = (scenario, bands, tally) else {
        return Err(ExperimentError::Merge("no runs in the partials".into()));
    };
    let info = merged_info(parts, overrides);
    let outcome = Outcome::judged(info.seed, tally, bands, spells, samples);
    Ok(Merged::Run {
        info,
        scenario,
        outcome,
        rows,
    })
}

/// Refuses a shard whose content is not the experiment its header names.
pub(super) fn wrong_content(dir: &Path, p: &Partial) -> ExperimentError {
    ExperimentError::Partial {
        path: dir.to_path_buf(),
        message: format!(
            "header says {} but the content is another experiment",
            p.header.kind.name()
        ),
    }
}

/// The scenario a Monte Carlo's shard resolved, read from its partial, with the sizes
/// checked against [`super::limits`].
pub(super) fn partial_scenario(
    dir: &Path,
    p: &Partial,
    toml: &str,
    samples: u64,
) -> Result<Scenario, ExperimentError> {
    let origin = format!("{} (scenario of the partial)", show(dir));
    let s = Scenario::load(toml, &origin, &[])?;
    limits::monte_carlo(p.header.runs, samples, s.months, s.labs.len())?;
    Ok(s)
}

/// Refuses a shard that holds another number of runs than its header says.
pub(super) fn check_runs(dir: &Path, p: &Partial, held: usize) -> Result<(), ExperimentError> {
    let expected = p.header.end - p.header.first;
    if held as u64 != expected {
        return Err(ExperimentError::Partial {
            path: dir.to_path_buf(),
            message: format!("holds {held} runs, its header says {expected}"),
        });
    }
    Ok(())
}

/// Seed and runs of the merged Monte Carlo; threads are the most any shard used, wall
/// time their sum.
pub(super) fn merged_info(parts: &[(&PathBuf, &Partial)], overrides: Vec<String>) -> RunInfo {
    let h = &parts[0].1.header;
    RunInfo {
        seed: h.seed,
        runs: h.runs,
        threads: parts
            .iter()
            .map(|(_, p)| p.header.threads)
            .max()
            .unwrap_or(0),
        wall_time_seconds: parts.iter().map(|(_, p)| p.header.wall_time_seconds).sum(),
        overrides,
        command: None,
        scenario_source: None,
    }
}

fn merge_sweeps(parts: &[(&PathBuf, &Partial)]) -> Result<Merged, ExperimentError> {
    let mut cells = Vec::new();
    let mut header = None;
    for (dir, p) in parts {
        let Payload::Sweep(SweepPart {
            header: h,
            cells: c,
        }) = &p.payload
        else {
            return Err(ExperimentError::Partial {
                path: dir.to_path_buf(),
                message: "header says sweep but the content is a run".into(),
            });
        };
        let expected: Vec<u64> = (p.header.first..p.header.end).collect();
        let got: Vec<u64> = c.iter().map(|c| c.cell).collect();
        if got != expected {
            return Err(ExperimentError::Partial {
                path: dir.to_path_buf(),
                message: format!(
                    "holds cells {:?}..., expected cells {}..{}",
                    got.iter().take(3).collect::<Vec<_>>(),
                    p.header.first,
                    p.header.end
                ),
            });
        }
        header.get_or_insert_with(|| h.clone());
        cells.extend(c.iter().cloned());
    }
    let header = header.ok_or_else(|| ExperimentError::Merge("no cells in the partials".into()))?;
    Ok(Merged::Sweep { header, cells })
}
