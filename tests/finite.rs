//! Only finite numbers: every numeric parameter of the catalogue at the edges of its
//! documented range, and random corners of all of them at once, over varied lab counts
//! and horizons. Each run either writes only finite numbers (or `NA` where a measure does
//! not apply) or is refused with the engine's typed error naming run, month and parameter.

mod common;

use proptest::prelude::*;
use racerun::engine::StepError;
use racerun::montecarlo::{self, MonteCarlo, MonteCarloError};
use racerun::output::{RunInfo, RunsFile, write_outcome};
use racerun::scenario::params::{Kind, PARAMS, ParamSpec};
use racerun::scenario::{Override, Scenario};

const KINDS: [&str; 6] = [
    "fixed",
    "serve_first",
    "leader_harvest",
    "gap_response",
    "schedule",
    "value_based",
];

/// Parameters of each policy kind (catalogue names under `labs.*.policy.`).
fn kind_of(param: &str) -> Option<&'static [&'static str]> {
    Some(match param {
        "train" => &["fixed"],
        "min_train" | "max_train" => &["serve_first"],
        "lead_train" | "chase_train" => &["leader_harvest", "gap_response"],
        "midpoint" | "width" => &["gap_response"],
        "points.*.train" => &["schedule"],
        "horizon" => &["value_based"],
        _ => return None,
    })
}

/// A scenario of `labs` labs (ids `l0`, `l1`, ...) and `months` months; lab `i` has policy
/// `KINDS[(i + shift) % 6]`, every policy at its defaults (serve_first from 0 to 1, so
/// either bound may move alone; a schedule with two points).
fn base(labs: usize, months: u32, shift: usize) -> String {
    let mut text = format!("name = \"finite\"\nstart = \"2024-01\"\nmonths = {months}\n");
    for i in 0..labs {
        let policy = match KINDS[(i + shift) % KINDS.len()] {
            "serve_first" => {
                "{ kind = \"serve_first\", min_train = 0.0, max_train = 1.0 }".to_string()
            }
            "schedule" => "{ kind = \"schedule\", points = [ { from = \"2024-01\", train = 0.6 }, \
                           { from = \"2025-06\", train = 0.3 } ] }"
                .to_string(),
            kind => format!("{{ kind = \"{kind}\" }}"),
        };
        text.push_str(&format!("[[labs]]\nid = \"l{i}\"\npolicy = {policy}\n"));
    }
    text
}

/// The `--set` arguments that put catalogue parameter `spec` at `value` in `base(labs, ..,
/// shift)`: for every lab when the path is per lab (only labs whose policy has it), the
/// first point of a schedule, and whatever a cross-field rule needs beside it.
fn sets(spec: &ParamSpec, value: f64, labs: usize, shift: usize) -> Vec<String> {
    let v = match spec.kind {
        Kind::Int => format!("{}", value as i64),
        _ => format!("{value:?}"),
    };
    let Some(rest) = spec.path.strip_prefix("labs.*.") else {
        let mut out = vec![format!("{}={v}", spec.path)];
        out.extend(common::companion_set(spec.path).map(String::from));
        return out;
    };
    let mut out = Vec::new();
    for i in 0..labs {
        let kind = KINDS[(i + shift) % KINDS.len()];
        match rest.strip_prefix("policy.") {
            Some(p) if !kind_of(p).is_some_and(|k| k.contains(&kind)) => continue,
            // Schedule points are a list `--set` cannot address: see `with_point`.
            Some("points.*.train") => {}
            _ => out.push(format!("labs.l{i}.{rest}={v}")),
        }
        match rest {
            // Shares are per lab and must sum to at most 1: one lab holds the value.
            "customers" => break,
            // The first release comes at most run_months in.
            "first_release" => out.push(format!("labs.l{i}.run_months=120")),
            // Only a pinned lab's funding follows its own growth.
            "funding_growth" => out.push(format!("labs.l{i}.funding_pinned=true")),
            _ => {}
        }
    }
    out
}

/// `text` with the first schedule point's training fraction set to `value` (every lab
/// with a schedule), for `labs.*.policy.points.*.train`.
fn with_point(text: &str, spec: &ParamSpec, value: f64) -> String {
    if spec.path == "labs.*.policy.points.*.train" {
        text.replace("train = 0.6 }", &format!("train = {value:?} }}"))
    } else {
        text.to_string()
    }
}

fn load(text: &str, sets: &[String]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::load(text, "finite.toml", &overrides)
        .unwrap_or_else(|e| panic!("{sets:?} should be valid: {e}"))
}

/// The numeric parameters of the catalogue with their ranges.
fn numeric() -> Vec<(&'static ParamSpec, f64, f64)> {
    PARAMS
        .iter()
        .filter(|s| matches!(s.kind, Kind::Real | Kind::Int))
        .filter_map(|s| {
            let r = s.range?;
            // The smallest and largest valid values: an open bound's neighbour.
            let lo = if r.min_inclusive {
                r.min
            } else {
                r.min.next_up()
            };
            let hi = if r.max_inclusive {
                r.max
            } else {
                r.max.next_down()
            };
            let (lo, hi) = match s.kind {
                Kind::Int => (lo.ceil(), hi.floor()),
                _ => (lo, hi),
            };
            Some((s, lo, hi))
        })
        .collect()
}

/// Runs `scenario` and checks that everything it writes is finite. An overflow the engine
/// refuses is fine; it must name run, month and a catalogue parameter.
fn check(scenario: &Scenario, what: &str) -> Result<(), String> {
    let mc = MonteCarlo {
        seed: 11,
        runs: 0..3,
        total: 3,
        threads: 1,
        samples: 1,
    };
    // runs.csv is written as the runs finish, as `racerun run` writes it.
    let dir = tempfile::tempdir().unwrap();
    let mut rows = RunsFile::create(dir.path(), scenario, false).unwrap();
    let ran = montecarlo::run_into(scenario, &mc, &|_| {}, &mut |r| {
        rows.add(r).map_err(|e| e.to_string())
    });
    let outcome = match ran {
        Ok(o) => o,
        Err(MonteCarloError::Run(StepError::Overflow {
            run,
            month,
            parameter,
            factor,
            ..
        })) => {
            let message = format!("{}", montecarlo::run(scenario, &mc, &|_| {}).unwrap_err());
            eprintln!("refused: {what}: {message}");
            // Only a growth rate compounded past 1e100 can overflow a run's compute
            // (everything else is bounded by the ranges): a smaller factor hides a NaN.
            if run < 3
                && factor > 1e100
                && month < scenario.months
                && PARAMS.iter().any(|p| p.path == parameter)
                && message.contains(parameter)
                && message.contains(&format!("month {month}"))
            {
                return Ok(());
            }
            return Err(format!("{what}: unclear refusal: {message}"));
        }
        Err(e) => return Err(format!("{what}: unexpected error {e}")),
    };
    for state in &outcome.samples[0].months {
        let w = &state.world;
        let world = [
            w.total_demand,
            w.shock,
            w.frontier,
            w.open_share,
            w.supply,
            w.gpu_price,
        ];
        if world.iter().any(|v| !v.is_finite()) {
            return Err(format!("{what}: month {}: {w:?}", w.month));
        }
        for l in &state.labs {
            let values = [
                l.fleet,
                l.pipeline(),
                l.cash,
                l.quality,
                l.run_compute,
                l.customers,
                l.desired_share,
                l.train_fraction,
                l.training_gpus,
                l.inference_gpus,
                l.capacity,
                l.demand,
                l.served,
                l.overflow_in,
                l.unserved,
                l.price,
                l.revenue,
                l.opex,
                l.funding,
                l.capex,
                l.ordered,
                l.received,
            ];
            if values.iter().any(|v| !v.is_finite()) {
                return Err(format!("{what}: month {}: {l:?}", w.month));
            }
        }
    }
    rows.finish().map_err(|e| e.to_string())?;
    let info = RunInfo {
        seed: 11,
        runs: 3,
        threads: 1,
        wall_time_seconds: 0.0,
        overrides: Vec::new(),
        command: None,
        scenario_source: None,
    };
    write_outcome(dir.path(), scenario, &info, &outcome).map_err(|e| e.to_string())?;
    let summary = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    if summary.contains("null") {
        return Err(format!("{what}: summary.json has a null: {summary}"));
    }
    for (file, text_columns) in [
        (
            "runs.csv",
            &["final_leader_quality", "final_leader_market"][..],
        ),
        ("bands.csv", &["date", "lab", "series"][..]),
    ] {
        let mut csv = csv::Reader::from_path(dir.path().join(file)).unwrap();
        let headers = csv.headers().unwrap().clone();
        for row in csv.records() {
            let row = row.unwrap();
            for (h, cell) in headers.iter().zip(row.iter()) {
                let ok = text_columns.contains(&h)
                    || cell == "NA"
                    || cell.parse::<f64>().is_ok_and(f64::is_finite);
                if !ok {
                    return Err(format!("{what}: {file}: {h} = `{cell}` in {row:?}"));
                }
            }
        }
    }
    Ok(())
}

/// Horizons of the random corners; the edge sweep uses the shorter ones (and `months`
/// itself reaches 1200 there).
const HORIZONS: [u32; 8] = [1, 2, 13, 24, 37, 120, 400, 1200];

#[test]
fn every_parameter_at_each_edge_of_its_range_gives_finite_numbers() {
    let mut failures = Vec::new();
    let mut case = 0usize;
    for (spec, lo, hi) in numeric() {
        for value in [lo, hi] {
            case += 1;
            let labs = 1 + case % 8;
            let months = HORIZONS[case % 6];
            // Put a lab whose policy has the parameter first.
            let shift = spec
                .path
                .strip_prefix("labs.*.policy.")
                .and_then(kind_of)
                .and_then(|k| KINDS.iter().position(|kind| kind == &k[0]))
                .unwrap_or(case);
            let sets = sets(spec, value, labs, shift);
            let text = with_point(&base(labs, months, shift), spec, value);
            let scenario = load(&text, &sets);
            let what = format!("{labs} labs, {} months, {sets:?}", scenario.months);
            if let Err(e) = check(&scenario, &what) {
                failures.push(e);
            }
        }
    }
    assert!(case > 100, "only {case} cases: has the catalogue changed?");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_reported_cases_are_finite_or_refused() {
    // Issue 8: a GPU price of 1e-300 made capex 0/0; the price's range now starts at $1,
    // so it is refused by name before any work.
    let tiny = Override::parse("world.gpus.price=1e-300").unwrap();
    let refusal = Scenario::load(&base(3, 120, 0), "finite.toml", &[tiny])
        .expect_err("a GPU price of 1e-300 USD is refused");
    assert!(
        refusal.to_string().contains("world.gpus.price")
            && refusal.to_string().contains("got 1e-300"),
        "{refusal}"
    );
    // A price halving every quarter over a century (400 halvings): still finite.
    let extra = [
        "months=1200".to_string(),
        "world.gpus.price_halving_months=3".to_string(),
    ];
    let scenario = load(&base(3, 120, 0), &extra);
    check(&scenario, &format!("{extra:?}")).unwrap();
    // Growth compounded over a century overflows a run's compute: refused, and the
    // message says which run, month and parameter.
    let growth = [
        "months=1200",
        "world.algorithms.algo_progress=100",
        "world.gpus.supply_growth=100",
        "world.gpus.supply_growth_long=100",
        "world.power.additions=1e6",
        "world.power.additions_growth=10",
        "labs.l0.funding=1e13",
        "labs.l0.funding_pinned=true",
        "labs.l0.funding_growth=100",
    ]
    .map(String::from);
    let scenario = load(&base(3, 120, 0), &growth);
    let mc = MonteCarlo {
        seed: 11,
        runs: 0..2,
        total: 2,
        threads: 1,
        samples: 0,
    };
    let e = montecarlo::run(&scenario, &mc, &|_| {}).unwrap_err();
    let message = e.to_string();
    assert!(
        matches!(e, MonteCarloError::Run(StepError::Overflow { run: 0, .. })),
        "{message}"
    );
    assert!(
        message.starts_with("run 0, month ")
            && message.contains("world.algorithms.algo_progress = 100"),
        "{message}"
    );
    check(&scenario, "century of growth").unwrap();
}

/// One value in `[lo, hi]`: an edge, or a draw (log-uniform over wide positive ranges).
fn corner(lo: f64, hi: f64, pick: u8, u: f64) -> f64 {
    match pick % 3 {
        0 => lo,
        1 => hi,
        _ if lo > 0.0 && hi / lo > 1e3 => (lo.ln() + u * (hi.ln() - lo.ln())).exp().clamp(lo, hi),
        _ => (lo + u * (hi - lo)).clamp(lo, hi),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_corners_of_all_parameters_give_finite_numbers(
        labs in 1usize..=8,
        months in prop::sample::select(HORIZONS.to_vec()),
        shift in 0usize..6,
        picks in prop::collection::vec((any::<u8>(), 0.0..1.0f64), 80),
    ) {
        let params = numeric();
        let mut all = Vec::new();
        let mut text = base(labs, months, shift);
        for ((spec, lo, hi), (pick, u)) in params.iter().zip(&picks) {
            if matches!(spec.path, "months" | "labs.*.first_release" | "labs.*.customers") {
                continue; // the horizon is drawn above; the others have cross-field rules
            }
            let v = corner(*lo, *hi, *pick, *u);
            let v = match spec.path {
                // Keep min_train <= max_train.
                "labs.*.policy.min_train" => v.min(0.5),
                "labs.*.policy.max_train" => v.max(0.5),
                _ => v,
            };
            all.extend(sets(spec, v, labs, shift));
            text = with_point(&text, spec, v);
        }
        let scenario = load(&text, &all);
        let what = format!("{labs} labs, {months} months, {all:?}");
        prop_assert!(check(&scenario, &what).is_ok(), "{}", check(&scenario, &what).unwrap_err());
    }
}

#[test]
fn run_reports_an_overflow_with_exit_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let assert = assert_cmd::Command::cargo_bin("racerun")
        .unwrap()
        .current_dir(root)
        .args([
            "run",
            "scenarios/baseline.toml",
            "--runs",
            "4",
            "--no-plots",
        ])
        .args([
            "--set",
            "months=1200",
            "--set",
            "world.algorithms.algo_progress=100",
        ])
        .args([
            "--set",
            "world.gpus.supply_growth=100",
            "--set",
            "world.gpus.supply_growth_long=100",
            "--set",
            "world.power.additions=1e6",
            "--set",
            "world.power.additions_growth=10",
            "--set",
            "labs.alpha.funding=1e13",
            "--set",
            "labs.alpha.funding_pinned=true",
        ])
        .args(["--set", "labs.alpha.funding_growth=100", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("run 0, month ") && stderr.contains("world.algorithms.algo_progress"),
        "{stderr}"
    );
    assert!(!out.exists());
}
