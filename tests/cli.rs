//! The real binary on real scenario files: the README's commands, determinism, `--set`,
//! and every kind of bad input (a clear message, a non-zero exit, no panic, nothing written).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn racerun() -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}

const RESULT_FILES: [&str; 6] = [
    "summary.json",
    "runs.csv",
    "bands.csv",
    "spells.csv",
    "sample_runs.csv",
    "scenario.toml",
];

#[test]
fn run_writes_every_output_and_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("base");
    racerun()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "40",
            "--no-plots",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("months led (quality)"))
        .stdout(predicate::str::is_match("(RUN|RACE|MIXED): the quality lead changed").unwrap())
        .stdout(predicate::str::contains(
            "rule: persistence = chance-normalised",
        ));
    for f in RESULT_FILES.iter().chain(&["manifest.json"]) {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 41, "a header and one row per run");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["runs"], 40);
    assert!(["run", "race", "mixed"].contains(&summary["verdict"]["regime"].as_str().unwrap()));
}

#[test]
fn outputs_are_identical_at_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["1", "2"] {
        racerun()
            .args([
                "run",
                baseline().to_str().unwrap(),
                "--runs",
                "300",
                "--seed",
                "9",
                "--quiet",
                "--no-plots",
                "--threads",
                t,
                "--out",
            ])
            .arg(dir.path().join(t))
            .assert()
            .success()
            // Quiet: the folder written and nothing else.
            .stdout(format!("{}\n", dir.path().join(t).display()));
    }
    same_results(
        &dir.path().join("1"),
        &dir.path().join("2"),
        "between 1 and 2 threads",
    );
}

/// Asserts that every result file is the same bytes in results `a` and `b`.
fn same_results(a: &Path, b: &Path, between: &str) {
    for f in RESULT_FILES {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs {between}");
    }
}

/// glibc picks its `exp` and `log` by processor at run time (with fused multiply-add or
/// without); `GLIBC_TUNABLES` makes it pick the version of a processor without, as an older
/// machine would. The results must not change: racerun calls its own math (`src/math`).
/// Elsewhere than on glibc the variable is ignored and both runs are alike anyway.
#[test]
fn outputs_are_identical_whichever_math_library_version_the_processor_gets() {
    let dir = tempfile::tempdir().unwrap();
    for (name, tunables) in [
        ("fma", None),
        ("plain", Some("glibc.cpu.hwcaps=-AVX2,-FMA")),
    ] {
        let mut cmd = racerun();
        if let Some(t) = tunables {
            cmd.env("GLIBC_TUNABLES", t);
        }
        // Seed 3, 300 runs: with the platform's math, 17 of them differed (runs 6, 13, 16...).
        cmd.args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "300",
            "--seed",
            "3",
        ])
        .args(["--quiet", "--no-plots", "--out"])
        .arg(dir.path().join(name))
        .assert()
        .success();
    }
    same_results(
        &dir.path().join("fma"),
        &dir.path().join("plain"),
        "with the processor's math library version",
    );
}

#[test]
fn resolved_scenario_reproduces_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    racerun()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "50",
            "--seed",
            "3",
            "--quiet",
            "--no-plots",
            "--set",
            "world.dynamics.kappa=0.7",
            "--out",
        ])
        .arg(&first)
        .assert()
        .success();
    let again = dir.path().join("again");
    racerun()
        .arg("run")
        .arg(first.join("scenario.toml"))
        .args([
            "--runs",
            "50",
            "--seed",
            "3",
            "--quiet",
            "--no-plots",
            "--out",
        ])
        .arg(&again)
        .assert()
        .success();
    // The first summary also names the --set it was made with; the numbers are the same.
    let first_summary = std::fs::read_to_string(first.join("summary.json")).unwrap();
    let without = first_summary.replace(
        "  \"overrides\": [\n    \"world.dynamics.kappa=0.7\"\n  ],\n",
        "",
    );
    assert_ne!(without, first_summary, "the overrides are recorded");
    assert_eq!(
        without,
        std::fs::read_to_string(again.join("summary.json")).unwrap()
    );
    for f in ["runs.csv", "bands.csv"] {
        assert_eq!(
            std::fs::read(first.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn set_changes_the_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    racerun()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "10",
            "--quiet",
            "--no-plots",
        ])
        .args([
            "--set",
            "labs.alpha.policy.min_train=0.4",
            "--set",
            "world.dynamics.kappa=1.2",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let resolved: toml::Table =
        toml::from_str(&std::fs::read_to_string(out.join("scenario.toml")).unwrap()).unwrap();
    assert_eq!(resolved["world"]["dynamics"]["kappa"].as_float(), Some(1.2));
    assert_eq!(
        resolved["labs"][0]["policy"]["min_train"].as_float(),
        Some(0.4)
    );
}

/// Runs `racerun run` on `text` (or a path) and checks it fails cleanly, writing nothing.
fn fails_cleanly(text: Option<&str>, extra: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    match text {
        Some(t) => std::fs::write(&path, t).unwrap(),
        None => std::fs::copy(baseline(), &path).map(|_| ()).unwrap(),
    }
    let out = dir.path().join("out");
    let assert = racerun()
        .arg("run")
        .arg(&path)
        .args(["--runs", "5", "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
    }
    assert!(!out.exists(), "an output directory was written");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "stray files written"
    );
}

const LAB: &str = "[[labs]]\nid = \"a\"\n";

#[test]
fn malformed_toml() {
    fails_cleanly(Some("name = \"x\"\nmonths = = 3\n"), &[], &["bad.toml:2:"]);
}

#[test]
fn unknown_key_names_line_and_suggests() {
    fails_cleanly(
        Some(&format!("name = \"x\"\n{LAB}flet = 3\n")),
        &[],
        &[
            "bad.toml:4:1",
            "unknown field `flet`",
            "did you mean `fleet`?",
        ],
    );
}

#[test]
fn negative_fleet() {
    fails_cleanly(
        Some(&format!("name = \"x\"\n{LAB}fleet = -5\n")),
        &[],
        &["bad.toml:4:9", "labs.a.fleet", "got -5", "H100e"],
    );
}

#[test]
fn probability_above_one() {
    fails_cleanly(
        Some(&format!(
            "name = \"x\"\n[world.market]\noverflow_loss = 1.5\n{LAB}"
        )),
        &[],
        &[
            "bad.toml:3:17",
            "world.market.overflow_loss",
            "[0, 1]",
            "got 1.5",
        ],
    );
}

#[test]
fn empty_lab_list() {
    fails_cleanly(
        Some("name = \"x\"\n"),
        &[],
        &["labs: expected at least one lab"],
    );
}

#[test]
fn zero_months() {
    fails_cleanly(
        Some(&format!("name = \"x\"\nmonths = 0\n{LAB}")),
        &[],
        &["bad.toml:2:10", "months", "got 0"],
    );
}

#[test]
fn wrong_type() {
    fails_cleanly(
        Some(&format!("name = \"x\"\nmonths = \"ten\"\n{LAB}")),
        &[],
        &["bad.toml:2:10: months: invalid type"],
    );
}

#[test]
fn wrong_type_deep_in_the_file_is_named_by_its_path() {
    // The parser's own message names no field: racerun adds the path, labs by id.
    fails_cleanly(
        Some(
            "name = \"x\"\n[world.dynamics]\nkappa = true\n[[labs]]\nid = \"a\"\n[[labs]]\nid = \"b\"\npolicy = { kind = \"fixd\" }\n",
        ),
        &[],
        &["bad.toml:8:19: labs.b.policy.kind: unknown variant `fixd`"],
    );
    fails_cleanly(
        Some("name = \"x\"\n[world.dynamics]\nkappa = true\n[[labs]]\nid = \"a\"\n"),
        &[],
        &["bad.toml:3:9: world.dynamics.kappa: invalid type: boolean"],
    );
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    racerun()
        .args(["run", "no/such/file.toml", "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no/such/file.toml: cannot read the scenario",
        ));
}

#[test]
fn bad_set_path_lists_valid_keys() {
    fails_cleanly(
        None,
        &["--set", "world.dynamics.kapa=1"],
        &[
            "--set world.dynamics.kapa=1",
            "did you mean `kappa`?",
            "valid keys there: kappa, kappa_abs, research_cap, phi, carry_over",
        ],
    );
}

#[test]
fn bad_set_lab_id_lists_labs() {
    fails_cleanly(
        None,
        &["--set", "labs.alfa.fleet=1"],
        &[
            "no lab with id `alfa`",
            "did you mean `alpha`?",
            "alpha, beta, gamma",
        ],
    );
}

#[test]
fn bad_set_value_names_the_range() {
    fails_cleanly(
        None,
        &["--set", "world.market.switching=2"],
        &["(--set world.market.switching=2)", "[0, 1]", "got 2"],
    );
}

#[test]
fn bad_set_value_type() {
    fails_cleanly(
        None,
        &["--set", "world.dynamics.kappa=lots"],
        &["--set world.dynamics.kappa=lots", "invalid type"],
    );
}

#[test]
fn zero_runs_rejected_by_the_parser() {
    racerun()
        .args(["run", baseline().to_str().unwrap(), "--runs", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--runs"));
}

#[test]
fn existing_results_survive_a_failed_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keep");
    racerun()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "5",
            "--quiet",
            "--no-plots",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let before = std::fs::read(out.join("runs.csv")).unwrap();
    racerun()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "5",
            "--quiet",
            "--set",
            "world.market.beta=-1",
            "--out",
        ])
        .arg(&out)
        .assert()
        .failure();
    assert_eq!(std::fs::read(out.join("runs.csv")).unwrap(), before);
}

#[test]
fn run_draws_charts_and_plot_redraws_them_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("charts-run");
    racerun()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "20",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let charts = out.join("charts");
    // Every chart, lead survival once the summary carries it.
    let missing = racerun::plot::missing_charts(&out).unwrap();
    for name in racerun::plot::CHART_NAMES {
        if missing.iter().any(|(m, _)| m == name) {
            continue;
        }
        for ext in ["png", "svg"] {
            assert!(
                charts.join(format!("{name}.{ext}")).is_file(),
                "{name}.{ext} missing"
            );
        }
    }
    let before = std::fs::read(charts.join("leapfrog.png")).unwrap();
    racerun()
        .arg("plot")
        .arg(&out)
        .args([
            "--format", "png", "--width", "800", "--height", "500", "--only", "leapfrog",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("leapfrog.png"));
    assert_ne!(
        std::fs::read(charts.join("leapfrog.png")).unwrap(),
        before,
        "redrawn at the new size"
    );
    assert!(
        charts.join("who_leads.png").is_file(),
        "charts not asked for are kept"
    );

    // A corrupt input: a clear error naming the file, and the charts stay as they were.
    // Numbers no racerun writes (inf, beyond f64) are refused too, not skipped.
    let bands = std::fs::read_to_string(out.join("bands.csv")).unwrap();
    let (header, rows) = bands.split_once('\n').unwrap();
    let (first, rest) = rows.split_once('\n').unwrap();
    let (cells, _) = first.rsplit_once(',').unwrap();
    let mut corrupt = vec![("month,date\n1,oops\n".to_string(), "bands.csv".to_string())];
    for bad in ["inf", "-inf", "1e400"] {
        corrupt.push((
            format!("{header}\n{cells},{bad}\n{rest}"),
            format!("expected a finite number, empty or NA, got `{bad}`"),
        ));
    }
    let redrawn = std::fs::read(charts.join("leapfrog.png")).unwrap();
    for (text, expected) in corrupt {
        std::fs::write(out.join("bands.csv"), text).unwrap();
        racerun()
            .arg("plot")
            .arg(&out)
            .assert()
            .failure()
            .stderr(predicate::str::contains("bands.csv"))
            .stderr(predicate::str::contains(expected))
            .stderr(predicate::str::contains("panicked").not());
    }
    assert_eq!(std::fs::read(charts.join("leapfrog.png")).unwrap(), redrawn);
}

#[test]
fn no_plots_skips_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("np");
    racerun()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--runs",
            "5",
            "--quiet",
            "--no-plots",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("charts").exists());
}

/// A parameter both set and varied (or given a range to study) is refused, naming both,
/// rather than the `--set` silently dropped; a `--set` distribution studied by name is
/// fine.
#[test]
fn a_set_that_a_sweep_or_sensitivity_would_override_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let out = out.to_str().unwrap();
    let refused = |args: &[&str], needles: &[&str]| {
        let mut assert = racerun().args(args).assert().code(2);
        for n in needles {
            assert = assert.stderr(predicate::str::contains(*n));
        }
        assert!(!dir.path().join("x").exists(), "{args:?} wrote {out}");
    };
    refused(
        &[
            "sweep",
            "baseline",
            "--vary",
            "world.dynamics.kappa=0:1:2",
            "--set",
            "world.dynamics.kappa=2",
            "--runs",
            "2",
            "--no-plots",
            "-q",
            "--out",
            out,
        ],
        &[
            "--vary world.dynamics.kappa=0:1:2",
            "also set by --set world.dynamics.kappa=2",
        ],
    );
    refused(
        &[
            "sweep",
            "baseline",
            "--vary",
            "labs.alpha.fleet=1e5:2e5:2",
            "--set",
            "labs.alpha.fleet=3e5",
            "--runs",
            "2",
            "--no-plots",
            "-q",
            "--out",
            out,
        ],
        &["also set by --set labs.alpha.fleet=3e5"],
    );
    refused(
        &[
            "sensitivity",
            "baseline",
            "--params",
            "world.dynamics.kappa=0:2",
            "--set",
            "world.dynamics.kappa=1",
            "--measure",
            "persistence_quality",
            "--samples",
            "2",
            "--runs",
            "1",
            "--no-plots",
            "-q",
            "--out",
            out,
        ],
        &[
            "--params world.dynamics.kappa=0:2",
            "also set by --set world.dynamics.kappa=1",
        ],
    );
    racerun()
        .args([
            "sensitivity",
            "baseline",
            "--params",
            "world.dynamics.kappa",
            "--set",
            "world.dynamics.kappa={dist=\"uniform\",min=0,max=2}",
            "--measure",
            "persistence_quality",
            "--samples",
            "2",
            "--runs",
            "1",
            "--no-plots",
            "-q",
            "--out",
            out,
        ])
        .assert()
        .success();
}

/// `compare` prints each run's simulations and seed, and says when they differ.
#[test]
fn compare_says_when_simulation_counts_seeds_or_definitions_differ() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    for (name, runs, seed) in [
        ("a", "6", "1"),
        ("a2", "6", "1"),
        ("b", "4", "1"),
        ("c", "6", "2"),
    ] {
        racerun()
            .args([
                "run",
                "baseline",
                "--runs",
                runs,
                "--seed",
                seed,
                "--no-plots",
                "-q",
            ])
            .args(["--out", &d(name)])
            .assert()
            .success();
    }
    let said = |dirs: [&str; 2]| {
        let out = racerun()
            .args([
                "compare",
                &d(dirs[0]),
                &d(dirs[1]),
                "--no-plots",
                "--out",
                &d("cmp"),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let same = said(["a", "a2"]);
    assert!(same.contains("simulations  seed"), "{same}");
    assert!(!same.contains("note:"), "{same}");
    let runs = said(["a", "b"]);
    assert!(
        runs.contains("note: the simulation counts differ"),
        "{runs}"
    );
    assert!(!runs.contains("seeds differ"), "{runs}");
    let seeds = said(["a", "c"]);
    assert!(seeds.contains("note: the seeds differ"), "{seeds}");
    assert!(!seeds.contains("defined differently"), "{seeds}");
    // Another lead margin measures persistence and lead changes on another scale.
    racerun()
        .args([
            "run",
            "baseline",
            "--runs",
            "6",
            "--seed",
            "1",
            "--no-plots",
            "-q",
        ])
        .args(["--set", "world.leadership.lead_margin=40", "--out", &d("m")])
        .assert()
        .success();
    let margins = said(["a", "m"]);
    assert!(
        margins.contains("note: the measures are defined differently")
            && margins.contains("lead margin 10 Elo")
            && margins.contains("lead margin 40 Elo"),
        "{margins}"
    );
}

/// A supply wave that starts after the horizon is valid but never comes: `check` and `run`
/// say so on standard error, and nothing is said when it does come.
#[test]
fn a_wave_after_the_horizon_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    let note = "world.gpus.wave_from = 2027-01 is after the last simulated month (2024-12)";
    racerun()
        .args(["check", "compute-glut", "--set", "months=24"])
        .assert()
        .success()
        .stderr(predicate::str::contains(note));
    racerun()
        .args([
            "run",
            "compute-glut",
            "--set",
            "months=24",
            "--runs",
            "2",
            "--no-plots",
        ])
        .arg("--out")
        .arg(dir.path().join("short"))
        .assert()
        .success()
        .stderr(predicate::str::contains(note));
    racerun()
        .args(["check", "compute-glut"])
        .assert()
        .success()
        .stderr(predicate::str::contains("wave_from").not());
}

/// `racerun measures` names every measure a run reports, with its unit.
#[test]
fn measures_lists_every_measure() {
    let out = racerun().arg("measures").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for m in racerun::measures::MEASURES {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(m.name))
            .unwrap_or_else(|| panic!("{} not listed:\n{text}", m.name));
        assert!(line.contains(m.unit), "{line}");
    }
    for m in racerun::measures::LAB_MEASURES {
        assert!(text.contains(&format!("{}.<lab>", m.name)), "{}", m.name);
    }
}

/// `racerun measures SCENARIO` fills in the scenario's horizon and persistence months and
/// says which measures do not apply to it, and why.
#[test]
fn measures_of_a_scenario_fill_in_its_months() {
    let out = racerun()
        .args(["measures", "baseline", "--set", "months=18"])
        .args(["--set", "world.leadership.persistence_months=6"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("{months}") && !text.contains("{persistence}"),
        "{text}"
    );
    let line = |name: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{text}"))
            .to_string()
    };
    assert!(line("lead_changes_quality").contains("in 18 months"));
    assert!(line("persistence_quality").contains("still leads 6 months on"));
    assert!(line("gap_late").ends_with("yes"), "{}", line("gap_late"));
    // 18 months are too few for the early window (months 12-23).
    assert!(
        line("gap_early").ends_with("no: needs 24 months or more"),
        "{}",
        line("gap_early")
    );
    // --set without a scenario has nothing to set.
    racerun()
        .args(["measures", "--set", "months=3"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("<SCENARIO>"));
}

/// Command-line numbers out of range, negative or not numbers at all get one kind of
/// message: the option, what was expected and what was given.
#[test]
fn bad_numbers_on_the_command_line_say_what_was_expected() {
    for (args, said) in [
        (
            vec!["run", "baseline", "--runs", "-1"],
            "'--runs <RUNS>': expected a whole number of at least 1, got `-1`",
        ),
        (
            vec!["run", "baseline", "--threads", "0"],
            "expected a whole number of threads from 1 to 1024, got `0`",
        ),
        (
            vec!["run", "baseline", "--seed", "-5"],
            "expected a whole number from 0 to 18446744073709551615, got `-5`",
        ),
        (
            vec!["run", "baseline", "--samples", "-1"],
            "expected a whole number of at least 0, got `-1`",
        ),
        (
            vec!["bench", "baseline", "--repeat", "0"],
            "expected at least 1, got 0",
        ),
    ] {
        racerun()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(said));
    }
}

#[test]
fn more_samples_than_runs_is_noted_and_every_run_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("few");
    let run = |quiet: bool| {
        let mut cmd = racerun();
        cmd.args(["run", baseline().to_str().unwrap(), "--runs", "2"])
            .args(["--samples", "5", "--no-plots", "--out"])
            .arg(&out);
        if quiet {
            cmd.arg("-q");
        }
        cmd.assert().success()
    };
    run(false).stderr(predicate::str::contains(
        "note: --samples 5 is more than --runs 2: sample_runs.csv holds all 2 runs",
    ));
    let samples = std::fs::read_to_string(out.join("sample_runs.csv")).unwrap();
    let first_column: std::collections::BTreeSet<&str> = samples
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(first_column.into_iter().collect::<Vec<_>>(), ["0", "1"]);
    run(true).stderr(predicate::str::is_empty());
}
