//! The files of one `racerun run`.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::place::OutputKind;
use super::{OutputError, Summary};
use crate::measures::{LAB_MEASURES, MEASURES};
use crate::metrics::RunMeasures;
use crate::montecarlo::{LabSeries, Outcome, WorldSeries};
use crate::scenario::Scenario;
use crate::schema::bands::QUANTILES;
use crate::schema::spells::KINDS;
use crate::schema::{
    BandRow, BandsWriter, RunRow, RunsHeader, RunsWriter, SampleRow, SamplesWriter, SpellRow,
    SpellsWriter, WORLD,
};
use crate::stats::Histogram;

/// The files of a run's result, as its manifest lists them.
pub(crate) const RUN_FILES: [&str; 6] = [
    "summary.json",
    "runs.csv",
    "bands.csv",
    "spells.csv",
    "sample_runs.csv",
    "scenario.toml",
];

/// Facts about the run that are not results: they go to `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// Master seed.
    pub seed: u64,
    /// Runs simulated.
    pub runs: u64,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time of the simulation, seconds.
    pub wall_time_seconds: f64,
    /// The `--set` overrides applied, as given (recorded in `manifest.json` and
    /// `summary.json`).
    pub overrides: Vec<String>,
    /// The command line that made the result, when it can make it again (`racerun run`,
    /// not `merge`).
    pub command: Option<String>,
    /// The scenario the result was made from ([`super::place::SCENARIO_SOURCE`]), for the
    /// results of `run` and `explain`.
    pub scenario_source: Option<String>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    build: super::provenance::Build,
    kind: OutputKind,
    scenario: &'a str,
    seed: u64,
    runs: u64,
    /// Sample runs whose lead changes `leapfrogs.csv` decomposes (`explain --samples`).
    #[serde(skip_serializing_if = "Option::is_none")]
    samples: Option<u64>,
    threads: usize,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    overrides: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<&'a str>,
    scenario_sha256: String,
    wall_time_seconds: f64,
    files: &'a [&'a str],
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario_source: Option<&'a str>,
}

/// `manifest.json` of a result of `kind` made from `scenario` (whose `scenario.toml` is
/// `toml`), listing `files`; `samples` only for an explanation.
pub(super) fn manifest_json(
    kind: OutputKind,
    scenario: &Scenario,
    toml: &str,
    info: &RunInfo,
    samples: Option<u64>,
    files: &[&str],
) -> Vec<u8> {
    json(&Manifest {
        build: super::provenance::Build::current(),
        kind,
        scenario: &scenario.name,
        seed: info.seed,
        runs: info.runs,
        samples,
        threads: info.threads,
        overrides: &info.overrides,
        command: info.command.as_deref(),
        scenario_sha256: super::provenance::scenario_sha256(toml),
        wall_time_seconds: info.wall_time_seconds,
        files,
        scenario_source: info.scenario_source.as_deref(),
    })
}

/// Writes every result file of `outcome` into `dir` (which must exist) but `runs.csv`,
/// which the runs' measures went to as they finished ([`RunsFile`], or [`concat_runs`]
/// for shards); returns the summary written (computed once: its bootstrap intervals are
/// not free).
pub fn write_outcome(
    dir: &Path,
    scenario: &Scenario,
    info: &RunInfo,
    outcome: &Outcome,
) -> Result<Summary, OutputError> {
    let write = |name: &str, bytes: Vec<u8>| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| OutputError::io(&path, e))
    };
    let scenario_toml = scenario.to_toml();
    let mut summary = Summary::new(scenario, info.seed, outcome);
    summary.overrides = info.overrides.clone();
    write("summary.json", json(&summary))?;
    write(
        "bands.csv",
        bands_csv(scenario, outcome).map_err(|e| OutputError::io(&dir.join("bands.csv"), e))?,
    )?;
    write(
        "spells.csv",
        spells_csv(outcome).map_err(|e| OutputError::io(&dir.join("spells.csv"), e))?,
    )?;
    write(
        "sample_runs.csv",
        samples_csv(scenario, outcome)
            .map_err(|e| OutputError::io(&dir.join("sample_runs.csv"), e))?,
    )?;
    write("scenario.toml", scenario_toml.clone().into_bytes())?;
    let manifest = manifest_json(
        OutputKind::Run,
        scenario,
        &scenario_toml,
        info,
        None,
        &RUN_FILES,
    );
    write("manifest.json", manifest)?;
    Ok(summary)
}

fn json(value: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

type CsvResult = Result<Vec<u8>, csv::Error>;

/// `runs.csv`, written row by row as the Monte Carlo finishes its runs, so the runs'
/// measures are never all in memory. A shard's file is hashed as it is written: its
/// partial result records the SHA-256, and `merge` checks it.
pub struct RunsFile {
    path: PathBuf,
    file: BufWriter<File>,
    writer: RunsWriter,
    labs: Vec<String>,
    measures: Vec<Option<f64>>,
    lab_measures: Vec<f64>,
    rows: u64,
    /// Only a shard's file is hashed: nothing else reads the hash.
    sha256: Option<Sha256>,
}

impl RunsFile {
    /// Creates `dir/runs.csv` of `scenario`'s runs and writes its header; `sha256` hashes
    /// what is written (see [`RunsFile::finish`]).
    pub fn create(dir: &Path, scenario: &Scenario, sha256: bool) -> Result<RunsFile, OutputError> {
        let path = dir.join("runs.csv");
        let labs: Vec<String> = scenario.labs.iter().map(|l| l.id.clone()).collect();
        let header = RunsHeader {
            measures: MEASURES.iter().map(|m| m.name).collect(),
            lab_measures: LAB_MEASURES.iter().map(|m| m.name).collect(),
            labs: labs.iter().map(String::as_str).collect(),
            inputs: scenario.uncertain().iter().map(|u| u.column()).collect(),
        };
        let writer = RunsWriter::new(&header).map_err(|e| OutputError::io(&path, e))?;
        let file = File::create(&path).map_err(|e| OutputError::io(&path, e))?;
        let mut runs = RunsFile {
            file: BufWriter::new(file),
            writer,
            measures: Vec::with_capacity(MEASURES.len()),
            lab_measures: Vec::with_capacity(LAB_MEASURES.len() * labs.len()),
            labs,
            rows: 0,
            sha256: sha256.then(Sha256::new),
            path,
        };
        runs.drain()?;
        Ok(runs)
    }

    /// Appends a run's row.
    pub fn add(&mut self, r: &RunMeasures) -> Result<(), OutputError> {
        self.measures.clear();
        self.measures.extend(MEASURES.iter().map(|m| m.of(r)));
        self.lab_measures.clear();
        for m in LAB_MEASURES {
            self.lab_measures
                .extend((0..self.labs.len()).map(|i| m.of(r, i)));
        }
        self.writer
            .row(&RunRow {
                run: r.run,
                measures: &self.measures,
                final_leader_quality: r
                    .quality
                    .final_leader
                    .map_or(crate::schema::NOT_APPLICABLE, |l| &self.labs[l]),
                final_leader_market: r
                    .market
                    .final_leader
                    .map_or(crate::schema::NOT_APPLICABLE, |l| &self.labs[l]),
                lab_measures: &self.lab_measures,
                inputs: &r.inputs,
            })
            .map_err(|e| OutputError::io(&self.path, e))?;
        self.rows += 1;
        if self.rows.is_multiple_of(256) {
            self.drain()?;
        }
        Ok(())
    }

    /// Moves the formatted rows to the file.
    fn drain(&mut self) -> Result<(), OutputError> {
        let bytes = self
            .writer
            .take()
            .map_err(|e| OutputError::io(&self.path, e))?;
        if let Some(sha256) = &mut self.sha256 {
            sha256.update(&bytes);
        }
        self.file
            .write_all(&bytes)
            .map_err(|e| OutputError::io(&self.path, e))
    }

    /// Writes what is left and closes the file; returns the SHA-256 of its bytes when it
    /// was created to hash them.
    pub fn finish(mut self) -> Result<Option<String>, OutputError> {
        self.drain()?;
        self.file
            .flush()
            .map_err(|e| OutputError::io(&self.path, e))?;
        Ok(self.sha256.map(|h| format!("{:x}", h.finalize())))
    }
}

/// Writes `dir/runs.csv` from the `runs.csv` of consecutive shares of the runs (shard
/// directories, in run order): the first one's header, then every file's rows. Each
/// file must have the SHA-256 its shard recorded.
pub fn concat_runs(dir: &Path, shares: &[(PathBuf, String)]) -> Result<(), OutputError> {
    let path = dir.join("runs.csv");
    let mut out = BufWriter::new(File::create(&path).map_err(|e| OutputError::io(&path, e))?);
    for (k, (share, sha256)) in shares.iter().enumerate() {
        let from = share.join("runs.csv");
        let file = File::open(&from).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => OutputError {
                path: from.clone(),
                message: "is missing: a run's shard writes its runs there; rerun the shard".into(),
            },
            _ => OutputError::io(&from, e),
        })?;
        let mut input = BufReader::new(file);
        let mut hash = Sha256::new();
        let mut header = Vec::new();
        input
            .read_until(b'\n', &mut header)
            .map_err(|e| OutputError::io(&from, e))?;
        hash.update(&header);
        if k == 0 {
            out.write_all(&header)
                .map_err(|e| OutputError::io(&path, e))?;
        }
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = input
                .read(&mut buf)
                .map_err(|e| OutputError::io(&from, e))?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
            out.write_all(&buf[..n])
                .map_err(|e| OutputError::io(&path, e))?;
        }
        if format!("{:x}", hash.finalize()) != *sha256 {
            return Err(OutputError {
                path: from,
                message: "is not the runs.csv this shard wrote (its SHA-256 differs from the \
                          one in partial.bin); rerun the shard"
                    .into(),
            });
        }
    }
    out.flush().map_err(|e| OutputError::io(&path, e))
}

fn bands_csv(scenario: &Scenario, outcome: &Outcome) -> CsvResult {
    let b = &outcome.bands;
    let mut w = BandsWriter::new()?;
    let mut row = |month: usize, date: &str, lab: &str, series: &str, h: &Histogram| {
        // An empty histogram is a series that does not apply (no runner-up with one lab).
        let values = (h.count() > 0).then(|| (h.mean(), QUANTILES.map(|p| h.quantile(p))));
        w.row(&BandRow {
            month,
            date,
            lab,
            series,
            values,
        })
    };
    for m in 0..b.months {
        let date = scenario.date(m).to_string();
        for (i, lab) in scenario.labs.iter().enumerate() {
            for &s in LabSeries::ALL {
                row(m, &date, &lab.id, s.name(), b.lab(s, m, i))?;
            }
        }
        for &s in WorldSeries::ALL {
            row(m, &date, WORLD, s.name(), b.world(s, m))?;
        }
    }
    w.finish()
}

fn spells_csv(outcome: &Outcome) -> CsvResult {
    let mut w = SpellsWriter::new()?;
    for (kind, counts) in KINDS
        .into_iter()
        .zip([&outcome.spells.quality, &outcome.spells.market])
    {
        for (len, count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            w.row(&SpellRow {
                kind,
                length: len as u64 + 1,
                count: *count,
            })?;
        }
    }
    w.finish()
}

fn samples_csv(scenario: &Scenario, outcome: &Outcome) -> CsvResult {
    let mut w = SamplesWriter::new()?;
    for sample in &outcome.samples {
        let quality: Vec<f64> = sample
            .months
            .iter()
            .flat_map(|s| s.labs.iter().map(|l| l.quality))
            .collect();
        let customers: Vec<f64> = sample
            .months
            .iter()
            .flat_map(|s| s.labs.iter().map(|l| l.customers))
            .collect();
        let n = scenario.labs.len();
        let lead = &scenario.world.leadership;
        let ql = crate::metrics::leaders(&quality, n, lead.lead_margin);
        let ml = crate::metrics::leaders(&customers, n, lead.share_margin);
        for (m, state) in sample.months.iter().enumerate() {
            let wd = &state.world;
            let date = scenario.date(m).to_string();
            for (i, l) in state.labs.iter().enumerate() {
                w.row(&SampleRow {
                    run: sample.run,
                    month: m,
                    date: &date,
                    lab: &scenario.labs[i].id,
                    fleet: l.fleet,
                    pipeline: l.pipeline(),
                    train_fraction: l.train_fraction,
                    training_gpus: l.training_gpus,
                    inference_gpus: l.inference_gpus,
                    capacity: l.capacity,
                    effective_compute: l.run_compute,
                    run_elapsed: l.run_elapsed,
                    released: l.released,
                    candidate: l.candidate,
                    quality: l.quality,
                    desired_share: l.desired_share,
                    customers: l.customers,
                    demand: l.demand,
                    served: l.served,
                    overflow_in: l.overflow_in,
                    unserved: l.unserved,
                    revenue: l.revenue,
                    opex: l.opex,
                    funding: l.funding,
                    asset_sales: l.asset_sales,
                    capex: l.capex,
                    power_capex: l.power_capex,
                    payout: l.payout,
                    cash: l.cash,
                    ordered: l.ordered,
                    received: l.received,
                    price: l.price,
                    quality_leader: ql[m] == Some(i),
                    market_leader: ml[m] == Some(i),
                    total_demand: wd.total_demand,
                    shock: wd.shock,
                    frontier: wd.frontier,
                    supply: wd.supply,
                    gpu_price: wd.gpu_price,
                })?;
            }
        }
    }
    w.finish()
}
