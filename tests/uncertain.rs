//! Uncertain inputs and global sensitivity through the real binary: distributions in a
//! scenario and by `--set`, their clear errors, the `input.*` columns of `runs.csv`, and
//! `racerun sensitivity` with its files, errors and `--shard` + `merge`.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn racerun() -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}

/// The baseline with `kappa` and `supply` uncertain.
fn uncertain_baseline(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(baseline()).unwrap();
    let text = text
        .replace(
            "kappa = 0.0 ",
            "kappa = { dist = \"uniform\", min = 0.0, max = 1.5 } ",
        )
        .replace(
            "supply = 15000.0 ",
            "supply = { dist = \"lognormal\", p5 = 8000, p95 = 30000 } ",
        );
    assert!(text.contains("dist = \"uniform\"") && text.contains("dist = \"lognormal\""));
    let path = dir.join("uncertain.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn stderr_of(cmd: &mut Command) -> String {
    let assert = cmd.assert().failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

fn run_fails(text: &str, set: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    let mut cmd = racerun();
    cmd.arg("run")
        .arg(&path)
        .args(["--runs", "3", "--out"])
        .arg(&out);
    for s in set {
        cmd.args(["--set", s]);
    }
    let stderr = stderr_of(&mut cmd);
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
    }
    assert!(!out.exists(), "an output directory was written");
}

const LAB: &str = "[[labs]]\nid = \"a\"\n[[labs]]\nid = \"b\"\n";

#[test]
fn lognormal_with_p5_above_p95_names_line_and_rule() {
    run_fails(
        &format!(
            "name = \"m\"\n[world.gpus]\nsupply = {{ dist = \"lognormal\", p5 = 120, p95 = 60 }}\n{LAB}"
        ),
        &[],
        &["bad.toml:3:10: world.gpus.supply: expected 0 < p5 < p95 for a lognormal distribution"],
    );
}

#[test]
fn negative_sd_is_refused() {
    run_fails(
        &format!("name = \"m\"\n{LAB}"),
        &["world.dynamics.kappa={ dist = \"normal\", mean = 1, sd = -0.5 }"],
        &[
            "(--set world.dynamics.kappa=",
            "world.dynamics.kappa: expected sd >= 0 for a normal distribution",
        ],
    );
}

#[test]
fn distribution_on_a_whole_number_is_refused() {
    run_fails(
        &format!(
            "name = \"m\"\n[world.gpus]\nbuild_lag = {{ dist = \"uniform\", min = 1, max = 4 }}\n{LAB}"
        ),
        &[],
        &[
            "bad.toml:3:13: world.gpus.build_lag: expected a whole number",
            "a distribution where a whole number is needed",
        ],
    );
}

#[test]
fn unknown_distribution_suggests_the_nearest() {
    run_fails(
        &format!(
            "name = \"m\"\n[world.market]\nbeta = {{ dist = \"lognormla\", p5 = 1, p95 = 2 }}\n{LAB}"
        ),
        &[],
        &["world.market.beta", "(did you mean `lognormal`?)"],
    );
}

#[test]
fn support_outside_the_range_is_refused() {
    run_fails(
        &format!("name = \"m\"\n{LAB}"),
        &["world.market.switching={ dist = \"normal\", mean = 0.5, sd = 0.3 }"],
        &[
            "expected a distribution whose draws stay in [0, 1]",
            "0.1%-99.9% quantiles",
        ],
    );
}

#[test]
fn other_errors_keep_their_line_in_a_file_with_distributions() {
    run_fails(
        &format!(
            "name = \"m\"\n[world.dynamics]\nkappa = {{ dist = \"uniform\", min = 0, max = 1 }}\nphi = \"x\"\n{LAB}"
        ),
        &[],
        &["bad.toml:4:7:"],
    );
}

#[test]
fn runs_csv_records_each_runs_draws_and_the_summary_explains_them() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = uncertain_baseline(dir.path());
    let out = dir.path().join("out");
    racerun()
        .arg("run")
        .arg(&scenario)
        .args(["--runs", "60", "--no-plots", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("uncertain inputs"));
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let kappa = header
        .iter()
        .position(|c| *c == "input.world.dynamics.kappa")
        .expect("kappa column");
    let supply = header
        .iter()
        .position(|c| *c == "input.world.gpus.supply")
        .expect("supply column");
    let values: Vec<(f64, f64)> = runs
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[kappa].parse().unwrap(), f[supply].parse().unwrap())
        })
        .collect();
    assert_eq!(values.len(), 60);
    assert!(
        values
            .iter()
            .all(|(k, s)| (0.0..=1.5).contains(k) && *s > 0.0)
    );
    let distinct: std::collections::BTreeSet<u64> =
        values.iter().map(|(k, _)| k.to_bits()).collect();
    assert_eq!(distinct.len(), 60, "every run draws its own value");

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let inputs = summary["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["path"], "world.dynamics.kappa");
    assert_eq!(inputs[0]["median"], 0.75);
    assert!(inputs[0]["spearman"]["persistence_quality"].is_number());
    assert_eq!(inputs[0]["terciles"].as_array().unwrap().len(), 3);

    // The resolved scenario keeps the distributions and reproduces the run.
    let resolved = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(resolved.contains("dist = \"uniform\""), "{resolved}");
    let again = dir.path().join("again");
    racerun()
        .arg("run")
        .arg(out.join("scenario.toml"))
        .args(["--runs", "60", "--no-plots", "-q", "--out"])
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        runs,
        std::fs::read_to_string(again.join("runs.csv")).unwrap()
    );

    // A plain number by --set removes the uncertainty.
    let fixed = dir.path().join("fixed");
    racerun()
        .arg("run")
        .arg(&scenario)
        .args([
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--set",
            "world.dynamics.kappa=0.5",
        ])
        .arg("--out")
        .arg(&fixed)
        .assert()
        .success();
    let header = std::fs::read_to_string(fixed.join("runs.csv")).unwrap();
    let header = header.lines().next().unwrap();
    assert!(!header.contains("input.world.dynamics.kappa"), "{header}");
    assert!(header.contains("input.world.gpus.supply"), "{header}");
}

#[test]
fn no_uncertain_inputs_no_input_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    racerun()
        .arg("run")
        .arg(baseline())
        .args(["--runs", "5", "--no-plots", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert!(!runs.lines().next().unwrap().contains("input."));
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(!summary.contains("\"inputs\""));
}

const SENS: [&str; 8] = [
    "--params",
    "world.dynamics.kappa=0:1.5,world.market.beta=0.5:3",
    "--measure",
    "persistence_quality",
    "--samples",
    "12",
    "--runs",
    "4",
];

#[test]
fn sensitivity_writes_table_csv_summary_and_tornado() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sens");
    racerun()
        .arg("sensitivity")
        .arg(baseline())
        .args(SENS)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "Sobol indices of persistence_quality",
        ));
    for f in [
        "summary.json",
        "sensitivity.csv",
        "samples.csv",
        "scenario.toml",
        "charts/tornado.png",
        "charts/tornado.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "param,dist,s1,s1_lo,s1_hi,st,st_lo,st_hi"
    );
    assert!(lines.next().unwrap().starts_with("world.dynamics.kappa,"));
    assert!(lines.next().unwrap().starts_with("world.market.beta,"));
    // 12 rows of (A, B, AB_1, AB_2).
    let samples = std::fs::read_to_string(out.join("samples.csv")).unwrap();
    assert_eq!(samples.lines().count(), 1 + 12 * 4);
    // The report writes each distribution for readers, not as TOML, and lists the inputs
    // as the tornado does: largest total effect first.
    // The inputs given the other way round, so that the order of the table is its own.
    let reversed = dir.path().join("reversed");
    let mut args = SENS.to_vec();
    args[1] = "world.market.beta=0.5:3,world.dynamics.kappa=0:1.5";
    racerun()
        .arg("sensitivity")
        .arg(baseline())
        .args(args)
        .args(["-q", "--out"])
        .arg(&reversed)
        .assert()
        .success();
    let report = std::fs::read_to_string(reversed.join("report.html")).unwrap();
    assert!(report.contains("uniform(min = 0, max = 1.5)"), "{report}");
    assert!(!report.contains("{ dist = "), "raw TOML in the report");
    let csv = std::fs::read_to_string(reversed.join("sensitivity.csv")).unwrap();
    let st = |param: &str| -> f64 {
        let row = csv.lines().find(|l| l.starts_with(param)).unwrap();
        row.rsplit(',').nth(2).unwrap().parse().unwrap()
    };
    assert!(
        st("world.dynamics.kappa,") > st("world.market.beta,"),
        "{csv}"
    );
    // The table of indices, after the chart (which sorts its own).
    let table = &report[report.find(">distribution<").expect("the indices' table")..];
    let kappa = table.find("Self-improvement exponent").unwrap();
    let beta = table.find("Customer sensitivity to quality").unwrap();
    assert!(kappa < beta, "kappa's larger total effect comes first");
}

#[test]
fn sensitivity_shards_merge_into_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    racerun()
        .arg("sensitivity")
        .arg(baseline())
        .args(SENS)
        .args(["--no-plots", "-q", "--out"])
        .arg(&whole)
        .assert()
        .success();
    let mut shards = Vec::new();
    for k in 1..=3 {
        let d = dir.path().join(format!("shard{k}"));
        racerun()
            .arg("sensitivity")
            .arg(baseline())
            .args(SENS)
            .args(["-q", "--shard", &format!("{k}/3"), "--out"])
            .arg(&d)
            .assert()
            .success();
        shards.push(d);
    }
    let merged = dir.path().join("merged");
    racerun()
        .arg("merge")
        .args(&shards)
        .args(["--no-plots", "-q", "--out"])
        .arg(&merged)
        .assert()
        .success();
    for f in [
        "summary.json",
        "sensitivity.csv",
        "samples.csv",
        "scenario.toml",
    ] {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f} differs"
        );
    }
    let stderr = stderr_of(
        racerun()
            .arg("merge")
            .arg(&shards[0])
            .arg(&shards[2])
            .arg("--out")
            .arg(dir.path().join("bad")),
    );
    assert!(stderr.contains("missing shard(s) 2/3"), "{stderr}");
}

#[test]
fn sensitivity_errors_name_the_problem() {
    let cases: [(&[&str], &str); 7] = [
        (
            &[
                "--params",
                "world.dynamics.kapa=0:1",
                "--measure",
                "persistence_quality",
            ],
            "unknown parameter `world.dynamics.kapa` (did you mean `world.dynamics.kappa`?)",
        ),
        (
            &["--params", "kappa=0:1", "--measure", "persistence_quality"],
            "unknown parameter `kappa` (did you mean `world.dynamics.kappa`?)",
        ),
        (
            &[
                "--params",
                "world.dynamics.kappa=0:1",
                "--measure",
                "persistance",
            ],
            "valid measures: lead_changes_quality",
        ),
        (
            &[
                "--params",
                "world.dynamics.kappa",
                "--measure",
                "persistence_quality",
            ],
            "no range to vary: give one as world.dynamics.kappa=LOW:HIGH",
        ),
        (
            &[
                "--params",
                "world.dynamics.kappa=2:1",
                "--measure",
                "persistence_quality",
            ],
            "expected PATH=LOW:HIGH with numbers LOW < HIGH",
        ),
        // A range outside the parameter's is told as given, not as the --set it becomes.
        (
            &[
                "--params",
                "world.dynamics.kappa=0:9",
                "--measure",
                "persistence_quality",
            ],
            "--params world.dynamics.kappa=0:9: the range 0:9 leaves `world.dynamics.kappa`'s \
             valid range [0, 5]",
        ),
        (
            &["--params", "world.dynamics.kappa=0:1", "--samples", "1"],
            "--samples <SAMPLES>': expected at least 2, got 1",
        ),
    ];
    for (args, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let stderr = stderr_of(
            racerun()
                .arg("sensitivity")
                .arg(baseline())
                .args(args)
                .arg("--out")
                .arg(dir.path().join("out")),
        );
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in: {stderr}"
        );
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn sensitivity_takes_the_range_from_the_scenarios_distribution() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = uncertain_baseline(dir.path());
    let out = dir.path().join("sens");
    racerun()
        .arg("sensitivity")
        .arg(&scenario)
        .args([
            "--params",
            "world.dynamics.kappa",
            "--measure",
            "changes_per_year_quality",
            "--samples",
            "8",
            "--runs",
            "3",
            "--no-plots",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert!(
        csv.contains("world.dynamics.kappa,\"{ dist = \"\"uniform\"\", min = 0.0, max = 1.5 }\""),
        "{csv}"
    );
}

/// A uniform distribution inside `spec`'s range (its upper half, so `min_train` stays
/// below `max_train` whichever is drawn), as written after `--set PATH=`.
fn uniform_inside(spec: &racerun::scenario::params::ParamSpec) -> String {
    let (lo, hi) = match spec.range {
        Some(r) if r.max - r.min <= 1e6 => (r.min, r.max),
        Some(r) => (r.min, r.min + 1.0),
        None => (0.0, 1.0),
    };
    let (a, b) = (lo + (hi - lo) * 0.5, lo + (hi - lo) * 0.75);
    format!("{{ dist = \"uniform\", min = {a:?}, max = {b:?} }}")
}

#[test]
fn a_distribution_is_accepted_exactly_where_the_catalogue_allows_one() {
    use racerun::policy::PolicySpec;
    use racerun::scenario::params::{Kind, PARAMS};
    let dir = tempfile::tempdir().unwrap();
    // One lab, `p`; a schedule point's `train` can only be written in the file.
    let point = PARAMS
        .iter()
        .find(|s| s.path.ends_with("points.*.train"))
        .unwrap();
    let schedule = format!(
        "name = \"m\"\n[[labs]]\nid = \"p\"\npolicy = {{ kind = \"schedule\", points = [{{ from = \"2023-01\", train = {} }}] }}\n",
        uniform_inside(point)
    );
    std::fs::write(dir.path().join("point.toml"), schedule).unwrap();
    std::fs::write(
        dir.path().join("one.toml"),
        "name = \"m\"\n[[labs]]\nid = \"p\"\n",
    )
    .unwrap();
    let check = |file: &str, sets: &[String]| {
        let mut cmd = racerun();
        cmd.current_dir(dir.path()).args(["check", file]);
        for s in sets {
            cmd.args(["--set", s]);
        }
        cmd.output().unwrap()
    };
    let out = check("point.toml", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The kind that has each policy key, for the `--set labs.p.policy.kind` before it.
    let kind_of = |key: &str| {
        PolicySpec::KINDS.iter().copied().find(|k| {
            let t: toml::Table = toml::from_str(&format!("kind = \"{k}\"")).unwrap();
            toml::Value::Table(t)
                .try_into::<PolicySpec>()
                .ok()
                .and_then(|p| toml::Value::try_from(&p).ok())
                .is_some_and(|v| v.get(key).is_some())
        })
    };
    let (mut accepted, mut refused) = (0, 0);
    for spec in PARAMS.iter().filter(|s| !s.path.contains("points.*")) {
        let path = spec.path.replace("labs.*", "labs.p");
        let mut sets = Vec::new();
        if let Some(key) = spec.path.strip_prefix("labs.*.policy.") {
            match kind_of(key) {
                Some(kind) => sets.push(format!("labs.p.policy.kind={kind}")),
                None => continue, // `kind` itself
            }
        }
        sets.extend(common::companion_set(spec.path).map(String::from));
        sets.push(format!("{path}={}", uniform_inside(spec)));
        let out = check("one.toml", &sets);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!stderr.contains("panicked"), "{stderr}");
        if spec.uncertain {
            assert!(out.status.success(), "{}: {stderr}", spec.path);
            accepted += 1;
        } else {
            assert_eq!(out.status.code(), Some(2), "{}", spec.path);
            let why = match spec.kind {
                Kind::Real => "lists this parameter as taking no distribution",
                Kind::Int => "a distribution where a whole number is needed cannot be sampled",
                _ => "only real-valued parameters may be uncertain",
            };
            // A lab whose id is not text is named by its position.
            let named = path.replace("labs.p.id", "labs.0.id");
            assert!(
                stderr.contains(&format!("{named}: expected")) && stderr.contains(why),
                "{}: {stderr}",
                spec.path
            );
            refused += 1;
        }
    }
    assert!(
        accepted >= 40 && refused >= 15,
        "{accepted} accepted, {refused} refused"
    );
}
