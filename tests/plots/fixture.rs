//! The fixture: a complete, made-up output directory written through the schema's
//! writers, and helpers to damage it and check the refusal.

use std::fs;
use std::path::{Path, PathBuf};

use racerun::plot::{PlotOptions, draw_all};
use racerun::schema::{
    BandRow, BandsWriter, LabInfo, RunRow, RunsHeader, RunsWriter, SampleRow, SamplesWriter,
    SpellRow, SpellsWriter, SummaryHead, VerdictInfo, WORLD,
};

pub const LABS: [(&str, &str, &str); 3] = [
    ("alpha", "Alpha", "#E69F00"),
    ("beta", "Beta", "#56B4E9"),
    ("gamma", "Gamma", "#009E73"),
];
pub const MONTHS: u32 = 60;
pub const RUNS: u32 = 200;

/// A small deterministic generator so the fixture is the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One simulated lab-month of the fake sample run.
#[derive(Clone, Copy, Default)]
struct LabMonth {
    quality: f64,
    released: bool,
    fleet: f64,
    train_fraction: f64,
    customers: f64,
}

/// Leapfrogging qualities: each lab releases on its own cadence with a jump that
/// overtakes the current frontier, and the leader trains less.
fn simulate(rng: &mut Lcg) -> Vec<Vec<LabMonth>> {
    let mut labs: Vec<Vec<LabMonth>> = vec![Vec::new(); LABS.len()];
    let mut quality = [1200.0, 1185.0, 1170.0];
    let mut fleet = [120_000.0, 90_000.0, 60_000.0];
    let mut next_release = [7u32, 3, 10];
    for m in 0..MONTHS {
        let frontier = quality.iter().cloned().fold(f64::MIN, f64::max);
        for i in 0..LABS.len() {
            let released = m == next_release[i];
            if released {
                quality[i] = quality[i].max(frontier) + 15.0 + 25.0 * rng.next();
                next_release[i] = m + 8 + (rng.next() * 6.0) as u32;
            }
            fleet[i] *= 1.015 + 0.01 * rng.next();
        }
        let frontier = quality.iter().cloned().fold(f64::MIN, f64::max);
        let weights: Vec<f64> = quality
            .iter()
            .map(|q| ((q - frontier) / 30.0).exp())
            .collect();
        let total: f64 = weights.iter().sum();
        for i in 0..LABS.len() {
            let leads = quality[i] == frontier;
            let released = labs[i].last().is_none_or(|p| p.quality != quality[i]);
            labs[i].push(LabMonth {
                quality: quality[i],
                released,
                fleet: fleet[i],
                train_fraction: if leads { 0.25 } else { 0.55 } + 0.1 * rng.next(),
                customers: weights[i] / total,
            });
        }
    }
    labs
}

/// Headline measures of the fixture's `runs.csv` (plot reads the first two).
const MEASURES: [&str; 6] = [
    "lead_changes_quality",
    "lead_changes_market",
    "changes_per_year_quality",
    "changes_per_year_market",
    "persistence_quality",
    "headwind",
];
/// Per-lab measures of the fixture's `runs.csv`.
const LAB_MEASURES: [&str; 2] = ["months_led_quality", "final_share"];

/// Writes a complete output directory through the schema's writers, as `racerun run`
/// does, from made-up numbers.
pub fn write_output_dir(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    let mut rng = Lcg(42);
    let lab_ids: Vec<&str> = LABS.iter().map(|l| l.0).collect();
    let head = SummaryHead {
        racerun_version: Some("0.1.0".into()),
        scenario: "baseline".into(),
        start: "2024-01".into(),
        months: u64::from(MONTHS),
        seed: 42,
        runs: u64::from(RUNS),
        overrides: Vec::new(),
        labs: LABS
            .iter()
            .map(|(id, name, color)| LabInfo {
                id: id.to_string(),
                name: name.to_string(),
                color: color.to_string(),
            })
            .collect(),
        verdict: Some(VerdictInfo {
            regime: "run".into(),
            rule: "run if the quality lead changes at least 1.5 times per year in the median \
                   run and the month-12 leader keeps the lead in under half the runs"
                .into(),
            sentence: "The lead changes hands about every 9 months: the leader takes the \
                       headwind."
                .into(),
            evidence: [("changes_per_year".to_string(), 1.4)].into(),
            persistence_normalised: None,
            uncertain: None,
            threshold_sensitivity: Vec::new(),
        }),
    };
    let mut summary = serde_json::to_value(&head).unwrap();
    summary["survival"] = survival();
    summary["verdict"]["threshold_sensitivity"] = serde_json::json!([
        {"threshold": "race_persistence", "value": 0.6, "lower": 0.5, "regime_lower": "run",
         "higher": 0.7, "regime_higher": "run"},
        {"threshold": "run_persistence", "value": 0.3, "lower": 0.2, "regime_lower": "mixed",
         "higher": 0.4, "regime_higher": "run"},
        {"threshold": "run_spell_months", "value": 12.0, "lower": 6.0, "regime_lower": "run",
         "higher": 24.0, "regime_higher": "run"},
    ]);
    summary["spell_survival"] = serde_json::json!({
        "quality": {"months": [1, 6, 12, 24, 36], "survival": [1.0, 0.7, 0.45, 0.2, 0.1]},
        "market": {"months": [1, 6, 12, 24, 36], "survival": [1.0, 0.8, 0.6, 0.35, 0.2]},
    });
    fs::write(
        dir.join("summary.json"),
        serde_json::to_vec_pretty(&summary).unwrap(),
    )
    .unwrap();

    // sample_runs.csv: two sample runs.
    let mut sample = SamplesWriter::new().unwrap();
    let mut runs_sim = Vec::new();
    for run in 0..2 {
        let sim = simulate(&mut rng);
        for m in 0..MONTHS as usize {
            let frontier = sim.iter().map(|l| l[m].quality).fold(f64::MIN, f64::max);
            let top_share = sim.iter().map(|l| l[m].customers).fold(f64::MIN, f64::max);
            let date = date(m);
            for (i, id) in lab_ids.iter().enumerate() {
                let s = sim[i][m];
                let training = s.fleet * s.train_fraction;
                sample
                    .row(&SampleRow {
                        run,
                        month: m,
                        date: &date,
                        lab: id,
                        fleet: s.fleet,
                        pipeline: s.fleet * 0.1,
                        train_fraction: s.train_fraction,
                        training_gpus: training,
                        inference_gpus: s.fleet - training,
                        capacity: (s.fleet - training) * 1.1,
                        effective_compute: training * 1e20,
                        run_elapsed: (m % 9) as u32,
                        released: s.released,
                        candidate: if s.released { s.quality } else { f64::NAN },
                        quality: s.quality,
                        desired_share: s.customers,
                        customers: s.customers,
                        demand: s.customers * 500_000.0,
                        served: s.customers * 480_000.0,
                        overflow_in: 0.0,
                        unserved: 0.0,
                        revenue: s.customers * 9e8,
                        opex: 4e8,
                        funding: 1e8,
                        asset_sales: 0.0,
                        capex: 2e8,
                        power_capex: 0.0,
                        payout: 0.0,
                        cash: 5e9,
                        ordered: 3000.0,
                        received: 2500.0,
                        price: 20.0,
                        quality_leader: s.quality == frontier,
                        market_leader: s.customers == top_share,
                        total_demand: 500_000.0,
                        shock: 1.0,
                        frontier,
                        supply: 80_000.0,
                        gpu_price: 25_000.0,
                    })
                    .unwrap();
            }
        }
        runs_sim.push(sim);
    }
    fs::write(dir.join("sample_runs.csv"), sample.finish().unwrap()).unwrap();

    // bands.csv from the fake sample plus a spread that widens with time.
    let sim = &runs_sim[0];
    let mut bands = BandsWriter::new().unwrap();
    let mut row = |m: usize, lab: &str, series: &str, mid: f64, spread: f64, lo: f64, hi: f64| {
        let q = |k: f64| (mid + k * spread).clamp(lo, hi);
        bands
            .row(&BandRow {
                month: m,
                date: &date(m),
                lab,
                series,
                values: Some((q(0.0), [q(-1.6), q(-0.7), q(0.0), q(0.7), q(1.6)])),
            })
            .unwrap();
    };
    for m in 0..MONTHS as usize {
        let t = m as f64 / MONTHS as f64;
        let frontier = sim.iter().map(|l| l[m].quality).fold(f64::MIN, f64::max);
        for (i, id) in lab_ids.iter().enumerate() {
            let s = sim[i][m];
            let base = 1190.0 - 10.0 * i as f64 + 4.0 * m as f64;
            let (min, max) = (f64::MIN, f64::MAX);
            row(m, id, "quality", base, 5.0 + 40.0 * t, min, max);
            row(
                m,
                id,
                "quality_gap",
                -8.0 - 6.0 * i as f64,
                4.0 + 10.0 * t,
                min,
                0.0,
            );
            row(
                m,
                id,
                "customers",
                0.45 - 0.1 * i as f64,
                0.05 + 0.1 * t,
                0.0,
                1.0,
            );
            row(m, id, "fleet", s.fleet, s.fleet * 0.2, 0.0, max);
            row(m, id, "train_fraction", s.train_fraction, 0.1, 0.0, 1.0);
            row(m, id, "revenue", s.customers * 9e8, 1e8, 0.0, max);
            row(m, id, "cash", 5e9, 1e9, min, max);
            let p_quality =
                [0.45, 0.33, 0.22][i] + 0.05 * ((m as f64 / 7.0 + i as f64 * 2.0).sin());
            let p_market = [0.5, 0.3, 0.2][i] + 0.03 * ((m as f64 / 9.0 + i as f64 * 2.0).cos());
            row(m, id, "lead_prob_quality", p_quality, 0.0, 0.0, 1.0);
            row(m, id, "lead_prob_market", p_market, 0.0, 0.0, 1.0);
            row(m, id, "power_mw", s.fleet * 1.3e-3, 10.0, 0.0, max);
            row(m, id, "funding", 4e8, 1e8, 0.0, max);
            row(m, id, "spending", 6e8, 1e8, 0.0, max);
        }
        let (min, max) = (f64::MIN, f64::MAX);
        row(m, WORLD, "frontier", frontier, 10.0 + 30.0 * t, min, max);
        row(m, WORLD, "leader_gap", 12.0, 6.0, 0.0, max);
        row(m, WORLD, "leader_train", 0.45 - 0.15 * t, 0.07, 0.0, 1.0);
        row(m, WORLD, "followers_train", 0.5 + 0.1 * t, 0.06, 0.0, 1.0);
        row(
            m,
            WORLD,
            "demand",
            500_000.0 * (1.0 + t),
            50_000.0,
            0.0,
            max,
        );
        row(m, WORLD, "gpu_price", 25_000.0, 2_000.0, 0.0, max);
        row(m, WORLD, "power_mw", 400.0 * (1.0 + t), 40.0, 0.0, max);
        row(m, WORLD, "investment", 2e9 * (1.0 + t), 2e8, 0.0, max);
    }
    fs::write(dir.join("bands.csv"), bands.finish().unwrap()).unwrap();

    let header = RunsHeader {
        measures: MEASURES.to_vec(),
        lab_measures: LAB_MEASURES.to_vec(),
        labs: lab_ids.clone(),
        inputs: Vec::new(),
    };
    let mut runs = RunsWriter::new(&header).unwrap();
    for run in 0..u64::from(RUNS) {
        let changes_q = (rng.next() * 5.0 + rng.next() * 5.0).floor();
        let changes_m = (rng.next() * 3.0 + rng.next() * 2.0).floor();
        let measures = [
            changes_q,
            changes_m,
            changes_q / 5.0,
            changes_m / 5.0,
            0.4,
            0.22,
        ]
        .map(Some);
        // Months led, then final shares that sum to one.
        let mut per_lab: Vec<f64> = (0..LABS.len())
            .map(|_| (rng.next() * 100.0).round())
            .collect();
        let weights: Vec<f64> = (0..LABS.len()).map(|_| 0.5 + rng.next()).collect();
        let total: f64 = weights.iter().sum();
        per_lab.extend(weights.iter().map(|w| w / total));
        runs.row(&RunRow {
            run,
            measures: &measures,
            final_leader_quality: "alpha",
            final_leader_market: "beta",
            lab_measures: &per_lab,
            inputs: &[],
        })
        .unwrap();
    }
    fs::write(dir.join("runs.csv"), runs.finish().unwrap()).unwrap();

    let mut spells = SpellsWriter::new().unwrap();
    for length in 1..=40u64 {
        let q = (900.0 * (-(length as f64) / 8.0).exp() * (0.8 + 0.4 * rng.next())).round();
        let mk = (500.0 * (-(length as f64) / 14.0).exp() * (0.8 + 0.4 * rng.next())).round();
        for (kind, count) in [("quality", q), ("market", mk)] {
            spells
                .row(&SpellRow {
                    kind,
                    length,
                    count: count as u64,
                })
                .unwrap();
        }
    }
    spells
        .row(&SpellRow {
            kind: "market",
            length: 60,
            count: 12,
        })
        .unwrap();
    fs::write(dir.join("spells.csv"), spells.finish().unwrap()).unwrap();
    fs::write(dir.join("scenario.toml"), "name = \"baseline\"\n").unwrap();
    fs::write(dir.join("manifest.json"), "{}\n").unwrap();
}

/// Lead survival as `summary.json` carries it: the quality lead falls to chance (1/3)
/// within two years, the market lead more slowly.
pub fn survival() -> serde_json::Value {
    let h: Vec<u32> = (1..=36).collect();
    let curve = |tau: f64| {
        let mean: Vec<f64> = h
            .iter()
            .map(|&h| 1.0 / 3.0 + (2.0 / 3.0) * (-(h as f64) / tau).exp())
            .collect();
        serde_json::json!({
            "h": h,
            "ci_low": mean.iter().map(|m| m - 0.03).collect::<Vec<_>>(),
            "ci_high": mean.iter().map(|m| (m + 0.03).min(1.0)).collect::<Vec<_>>(),
            "mean": mean,
        })
    };
    serde_json::json!({
        "horizon": 36,
        "chance_quality": 1.0 / 3.0,
        "chance_market": 1.0 / 3.0,
        "quality": curve(6.0),
        "market": curve(20.0),
    })
}

/// `2024-01` for month 0.
fn date(m: usize) -> String {
    format!("{}-{:02}", 2024 + m / 12, m % 12 + 1)
}

pub fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("baseline");
    write_output_dir(&dir);
    (tmp, dir)
}

pub fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".charts"))
        .collect()
}

/// Draws, breaks `file` with `damage`, and checks the error and that nothing changed.
pub fn fails_cleanly(file: &str, damage: impl FnOnce(&Path), expect: &[&str]) {
    let (_tmp, dir) = fixture();
    let path = dir.join(file);
    damage(&path);
    let err = draw_all(&dir, &PlotOptions::default()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&path.display().to_string()),
        "{message}"
    );
    for want in expect {
        assert!(message.contains(want), "`{message}` lacks `{want}`");
    }
    assert!(
        !dir.join("charts").exists(),
        "partial charts drawn for {file}"
    );
    assert!(leftovers(&dir).is_empty());
}

/// Rewrites a text file line by line (header included): `keep` decides per line.
pub fn keep_lines(path: &Path, keep: impl Fn(usize, &str) -> bool) {
    let text = fs::read_to_string(path).unwrap();
    let kept: String = text
        .lines()
        .enumerate()
        .filter(|(i, l)| keep(*i, l))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    fs::write(path, kept).unwrap();
}

/// Replaces cell `column` (by header name) of data line `line` (1 = first data row).
pub fn set_cell(path: &Path, line: usize, column: &str, value: &str) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let col = lines[0].split(',').position(|h| h == column).unwrap();
    let mut cells: Vec<String> = lines[line].split(',').map(String::from).collect();
    cells[col] = value.to_string();
    lines[line] = cells.join(",");
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Appends a copy of data line `line` at the end of the file.
pub fn repeat_line(path: &Path, line: usize) {
    let text = fs::read_to_string(path).unwrap();
    let copy = text.lines().nth(line).unwrap().to_string();
    fs::write(path, format!("{text}{copy}\n")).unwrap();
}

/// The month column of a CSV line of `bands.csv` or `sample_runs.csv`.
pub fn month_of(line: &str, column: usize) -> Option<u32> {
    line.split(',').nth(column).and_then(|m| m.parse().ok())
}
