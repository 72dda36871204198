//! The files of one `racerun run`.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::place::OutputKind;
use super::summary::{LAB_MEASURES, MEASURES};
use super::{OutputError, Summary, num};
use crate::montecarlo::{LAB_SERIES, Outcome, WORLD_SERIES};
use crate::scenario::Scenario;

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
}

#[derive(Serialize)]
struct Manifest<'a> {
    racerun_version: &'a str,
    kind: OutputKind,
    scenario: &'a str,
    seed: u64,
    runs: u64,
    threads: usize,
    scenario_sha256: String,
    wall_time_seconds: f64,
    files: Vec<&'a str>,
}

const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Writes every result file of `outcome` into `dir` (which must exist).
pub fn write_outcome(
    dir: &Path,
    scenario: &Scenario,
    info: &RunInfo,
    outcome: &Outcome,
) -> Result<(), OutputError> {
    let write = |name: &str, bytes: Vec<u8>| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| OutputError::io(&path, e))
    };
    let scenario_toml = scenario.to_toml();
    let summary = Summary::new(scenario, info.seed, outcome);
    write("summary.json", json(&summary))?;
    write(
        "runs.csv",
        runs_csv(scenario, outcome).map_err(|e| OutputError::io(&dir.join("runs.csv"), e))?,
    )?;
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
    let manifest = Manifest {
        racerun_version: env!("CARGO_PKG_VERSION"),
        kind: OutputKind::Run,
        scenario: &scenario.name,
        seed: info.seed,
        runs: info.runs,
        threads: info.threads,
        scenario_sha256: format!("{:x}", Sha256::digest(scenario_toml.as_bytes())),
        wall_time_seconds: info.wall_time_seconds,
        files: vec![
            "summary.json",
            "runs.csv",
            "bands.csv",
            "spells.csv",
            "sample_runs.csv",
            "scenario.toml",
        ],
    };
    write("manifest.json", json(&manifest))
}

fn json(value: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

type CsvResult = Result<Vec<u8>, csv::Error>;

fn finish(w: csv::Writer<Vec<u8>>) -> CsvResult {
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

fn runs_csv(scenario: &Scenario, outcome: &Outcome) -> CsvResult {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["run".into()];
    header.extend(MEASURES.iter().map(|(n, _)| n.to_string()));
    header.push("final_leader_quality".into());
    header.push("final_leader_market".into());
    for (name, _) in LAB_MEASURES {
        header.extend(scenario.labs.iter().map(|l| format!("{name}.{}", l.id)));
    }
    header.extend(scenario.uncertain().iter().map(|u| u.column()));
    w.write_record(&header)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for r in &outcome.runs {
        row.clear();
        row.push(r.run.to_string());
        row.extend(MEASURES.iter().map(|(_, f)| num(f(r))));
        row.push(scenario.labs[r.quality.final_leader].id.clone());
        row.push(scenario.labs[r.market.final_leader].id.clone());
        for (_, f) in LAB_MEASURES {
            row.extend((0..scenario.labs.len()).map(|i| num(f(r, i))));
        }
        row.extend(r.inputs.iter().map(|v| num(*v)));
        w.write_record(&row)?;
    }
    finish(w)
}

fn bands_csv(scenario: &Scenario, outcome: &Outcome) -> CsvResult {
    let b = &outcome.bands;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "month", "date", "lab", "series", "mean", "p5", "p25", "p50", "p75", "p95",
    ])?;
    let mut row =
        |month: usize, lab: &str, series: &str, h: &crate::stats::Histogram| -> csv::Result<()> {
            let mut rec = vec![
                month.to_string(),
                scenario.date(month).to_string(),
                lab.to_string(),
                series.to_string(),
                num(h.mean()),
            ];
            rec.extend(QUANTILES.iter().map(|&p| num(h.quantile(p))));
            w.write_record(&rec)
        };
    for m in 0..b.months {
        for (i, lab) in scenario.labs.iter().enumerate() {
            for (s, (name, _)) in LAB_SERIES.iter().enumerate() {
                row(m, &lab.id, name, &b.lab[s][m * b.labs + i])?;
            }
        }
        for (s, (name, _)) in WORLD_SERIES.iter().enumerate() {
            row(m, "all", name, &b.world[s][m])?;
        }
    }
    finish(w)
}

fn spells_csv(outcome: &Outcome) -> CsvResult {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["kind", "length", "count"])?;
    for (kind, counts) in [
        ("quality", &outcome.spells_quality),
        ("market", &outcome.spells_market),
    ] {
        for (len, count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            w.write_record([kind.to_string(), (len + 1).to_string(), count.to_string()])?;
        }
    }
    finish(w)
}

fn samples_csv(scenario: &Scenario, outcome: &Outcome) -> CsvResult {
    let mut out = Vec::new();
    writeln!(
        out,
        "run,month,date,lab,fleet,pipeline,train_fraction,training_gpus,inference_gpus,capacity,effective_compute,\
         run_elapsed,released,candidate,quality,desired_share,customers,demand,served,overflow_in,unserved,revenue,\
         opex,funding,capex,cash,ordered,received,price,quality_leader,market_leader,total_demand,shock,frontier,\
         supply,gpu_price"
    )?;
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
            for (i, l) in state.labs.iter().enumerate() {
                let fields = [
                    num(l.fleet),
                    num(l.pipeline()),
                    num(l.train_fraction),
                    num(l.training_gpus),
                    num(l.inference_gpus),
                    num(l.capacity),
                    num(l.run_compute),
                    l.run_elapsed.to_string(),
                    u8::from(l.released).to_string(),
                    num(l.candidate),
                    num(l.quality),
                    num(l.desired_share),
                    num(l.customers),
                    num(l.demand),
                    num(l.served),
                    num(l.overflow_in),
                    num(l.unserved),
                    num(l.revenue),
                    num(l.opex),
                    num(l.funding),
                    num(l.capex),
                    num(l.cash),
                    num(l.ordered),
                    num(l.received),
                    num(l.price),
                    u8::from(ql[m] == i).to_string(),
                    u8::from(ml[m] == i).to_string(),
                    num(wd.total_demand),
                    num(wd.shock),
                    num(wd.frontier),
                    num(wd.supply),
                    num(wd.gpu_price),
                ];
                writeln!(
                    out,
                    "{},{m},{},{},{}",
                    sample.run,
                    scenario.date(m),
                    scenario.labs[i].id,
                    fields.join(",")
                )?;
            }
        }
    }
    Ok(out)
}
