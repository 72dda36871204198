//! The story a result tells, through the real binary: `report.html` (written by `run` and
//! `explain`, rebuilt byte for byte by `racerun report`), provenance of `--set` runs (their own
//! directory, the overrides in `manifest.json`, `summary.json`, the charts' source line
//! and the report), `racerun compare`, and what a one-parameter sweep prints.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn racerun(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(root);
    cmd
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn run_writes_a_report_that_report_rebuilds_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    racerun(root)
        .args(["run", "baseline", "--runs", "30", "--seed", "3", "--quiet"])
        .assert()
        .success();
    let dir = root.join("output/baseline");
    let written = fs::read(dir.join("report.html")).unwrap();
    let html = String::from_utf8(written.clone()).unwrap();
    for part in [
        "<h1>Race or run? Scenario baseline</h1>",
        "id=\"verdict\"",
        "id=\"labs\"",
        "id=\"plausibility\"",
        "id=\"scenario\"",
        "racerun run baseline --runs 30 --seed 3 --quiet",
        "racerun run output/baseline/scenario.toml --runs 30 --seed 3 --samples 3 \
         --out output/baseline-again",
        // Where the cause is.
        "racerun explain output/baseline/scenario.toml --runs 30 --seed 3",
    ] {
        assert!(html.contains(part), "report lacks {part}");
    }
    // The plausibility checks in words and units, not their field names.
    let checks = html
        .split("id=\"plausibility\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    for part in [
        "GPUs online at one lab",
        "H100e",
        " GW",
        "a year",
        "✓ within",
        ", Alpha",
    ] {
        assert!(checks.contains(part), "plausibility lacks {part}: {checks}");
    }
    assert!(!checks.contains("fleet_per_lab"), "{checks}");
    // Every chart drawn into charts/ is in the report, as inline SVG with its reading.
    for entry in fs::read_dir(dir.join("charts")).unwrap() {
        let name = entry.unwrap().path();
        if name.extension().is_some_and(|e| e == "svg") {
            let stem = name.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(
                html.contains(&format!("data-chart=\"{stem}\"")),
                "report lacks {stem}"
            );
        }
    }
    // Self-contained: nothing fetched, no address outside the page.
    for remote in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
        "xmlns=\"http",
    ] {
        assert!(!html.contains(remote), "report refers outside: {remote}");
    }
    fs::remove_file(dir.join("report.html")).unwrap();
    racerun(root)
        .args(["report", "output/baseline"])
        .assert()
        .success()
        .stdout(predicate::str::contains("output/baseline/report.html"));
    assert_eq!(fs::read(dir.join("report.html")).unwrap(), written);
    // Given with a trailing slash, the result's copy still goes beside it, not into it.
    racerun(root)
        .args(["report", "output/baseline/"])
        .assert()
        .success();
    let again = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        again.contains("--samples 3 --out output/baseline-again"),
        "trailing slash"
    );
    // A result of racerun, so the earlier result with its report is replaced, not refused.
    racerun(root)
        .args(["run", "baseline", "--runs", "30", "--seed", "3", "--quiet"])
        .assert()
        .success();
    // The report's command to make it again works as written, and gives the same runs.
    let again = "racerun run output/baseline/scenario.toml --runs 30 --seed 3 --samples 3 \
                 --out output/baseline-again";
    racerun(root)
        .args(again.split_whitespace().skip(1))
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(
        fs::read(dir.join("runs.csv")).unwrap(),
        fs::read(root.join("output/baseline-again/runs.csv")).unwrap()
    );
}

#[test]
fn report_refuses_what_is_not_a_result() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    racerun(tmp.path())
        .args(["report", "."])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a racerun result"));
}

#[test]
fn a_set_run_keeps_its_own_directory_and_says_so_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let args = ["--runs", "20", "--seed", "1", "--quiet"];
    racerun(root)
        .arg("run")
        .arg("baseline")
        .args(args)
        .assert()
        .success();
    let plain = fs::read(root.join("output/baseline/summary.json")).unwrap();
    racerun(root)
        .args(["run", "baseline", "--set", "world.dynamics.kappa=1.2"])
        .args(args)
        .assert()
        .success();
    // The unmodified scenario's result is untouched; the modified one sits beside it.
    assert_eq!(
        fs::read(root.join("output/baseline/summary.json")).unwrap(),
        plain
    );
    let dirs: Vec<String> = fs::read_dir(root.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("baseline-"))
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    let dir = root.join("output").join(&dirs[0]);
    assert_eq!(dirs[0].len(), "baseline-".len() + 8);

    let summary = json(&dir.join("summary.json"));
    assert_eq!(
        summary["overrides"],
        serde_json::json!(["world.dynamics.kappa=1.2"])
    );
    assert!(
        json(&root.join("output/baseline/summary.json"))
            .get("overrides")
            .is_none()
    );
    let manifest = json(&dir.join("manifest.json"));
    assert_eq!(
        manifest["overrides"],
        serde_json::json!(["world.dynamics.kappa=1.2"])
    );
    assert!(
        manifest["rustc_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("rustc ")),
        "{manifest}"
    );
    assert!(
        manifest["command"]
            .as_str()
            .unwrap()
            .contains("--set world.dynamics.kappa=1.2")
    );
    // Built from this checkout: the commit is recorded (40 hex digits, maybe `-dirty`).
    let commit = manifest["git_commit"].as_str().unwrap_or_default();
    assert!(
        commit.len() >= 40 && commit[..40].chars().all(|c| c.is_ascii_hexdigit()),
        "{manifest}"
    );

    let source = "scenario baseline with world.dynamics.kappa=1.2, 20 simulations, seed 1";
    let svg = fs::read_to_string(dir.join("charts/customers.svg")).unwrap();
    assert!(
        svg.contains(source),
        "the chart's source line lacks the override"
    );
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<code>--set world.dynamics.kappa=1.2</code>"));
    // The words the page uses are defined on it, and linked from its top.
    assert!(html.contains("<section id=\"terms\">") && html.contains("href=\"#terms\""));
    assert!(html.contains("<dt>Kaplan-Meier</dt>") && html.contains("<dt>H100e</dt>"));
    assert!(
        html.contains("class=\"tag set\""),
        "the scenario table marks the override"
    );
}

#[test]
fn compare_puts_runs_side_by_side_and_refuses_other_results() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for name in ["race", "run"] {
        racerun(root)
            .args(["run", name, "--runs", "20", "--seed", "2", "--quiet"])
            .assert()
            .success();
    }
    racerun(root)
        .args(["compare", "output/race", "output/run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("scenario").and(predicate::str::contains("race")));
    let dir = root.join("output/compare-race-run");
    let c = json(&dir.join("compare.json"));
    assert_eq!(c["runs"].as_array().unwrap().len(), 2);
    assert_eq!(c["runs"][0]["scenario"], "race");
    assert_eq!(json(&dir.join("manifest.json"))["kind"], "compare");
    assert!(dir.join("charts/compare_scatter.png").is_file());
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("The verdicts side by side"));
    assert!(html.contains("<dt>persistence against chance</dt>"));
    assert!(html.contains("racerun compare output/race output/run"));
    // `plot` redraws a comparison from compare.json alone.
    fs::remove_dir_all(root.join("output/race")).unwrap();
    racerun(root)
        .args(["plot", "output/compare-race-run", "--format", "svg"])
        .assert()
        .success();

    racerun(root)
        .args([
            "sweep",
            "baseline",
            "--vary",
            "world.dynamics.kappa=0:1:2",
            "--runs",
            "4",
        ])
        .args(["--quiet", "--no-plots"])
        .assert()
        .success();
    racerun(root)
        .args(["compare", "output/run", "output/baseline-sweep-kappa"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "compare takes the results of `racerun run`",
        ));
    racerun(root)
        .args(["compare", "output/run"])
        .assert()
        .failure();
}

#[test]
fn compare_tells_alike_runs_apart_and_shows_persistence_against_chance() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for out in ["output/baseline", "output/again", "elsewhere/again"] {
        racerun(root)
            .args(["run", "baseline", "--runs", "20", "--seed", "2", "--quiet"])
            .args(["--no-plots", "--out", out])
            .assert()
            .success();
    }
    let labels = |dirs: &[&str]| -> Vec<String> {
        racerun(root)
            .arg("compare")
            .args(dirs)
            .args(["--no-plots", "--quiet", "--out", "output/cmp"])
            .assert()
            .success();
        let c = json(&root.join("output/cmp/compare.json"));
        c["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["label"].as_str().unwrap().to_string())
            .collect()
    };
    // Every duplicate is renamed, the last one too; alike directory names fall back to
    // the whole path.
    assert_eq!(
        labels(&["output/baseline", "output/again"]),
        ["baseline (baseline)", "baseline (again)"]
    );
    assert_eq!(
        labels(&["output/baseline", "output/again", "elsewhere/again"]),
        [
            "baseline (baseline)",
            "baseline (output/again)",
            "baseline (elsewhere/again)"
        ]
    );
    // The same result twice is refused, however it is spelled.
    racerun(root)
        .args([
            "compare",
            "output/baseline",
            "output/again",
            "output/baseline/",
        ])
        .args(["--no-plots", "--out", "output/cmp"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "output/baseline/: given twice; compare each result once",
        ));
    // The table's persistence is the verdict's: against chance, as in summary.json.
    let out = racerun(root)
        .args(["compare", "output/baseline", "output/again", "--no-plots"])
        .args(["--out", "output/cmp"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let s = json(&root.join("output/baseline/summary.json"));
    let norm = s["measures"]["persistence_norm_quality"]["mean"]
        .as_f64()
        .unwrap();
    let raw = s["measures"]["persistence_quality"]["mean"]
        .as_f64()
        .unwrap();
    assert!((norm - raw).abs() > 0.01, "{norm} {raw}");
    assert!(stdout.contains("persistence vs chance"), "{stdout}");
    assert!(stdout.contains(&format!(" {norm:.2} ")), "{stdout}");
}

#[test]
fn a_set_sweep_keeps_its_own_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    racerun(root)
        .args([
            "sweep",
            "baseline",
            "--vary",
            "world.dynamics.kappa=0:1:2",
            "--runs",
            "4",
        ])
        .args(["--set", "world.market.beta=2", "--quiet"])
        .assert()
        .success();
    let dirs: Vec<String> = fs::read_dir(root.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(dirs.len(), 1);
    assert!(
        dirs[0].starts_with("baseline-") && dirs[0].ends_with("-sweep-kappa"),
        "{dirs:?}"
    );
    let dir = root.join("output").join(&dirs[0]);
    assert_eq!(
        json(&dir.join("summary.json"))["overrides"],
        serde_json::json!(["world.market.beta=2"])
    );
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains("--set world.market.beta=2 --vary world.dynamics.kappa=0:1:2"),
        "reproduce"
    );
}

#[test]
fn explain_writes_a_report_that_report_rebuilds_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // Spillover off by --set (unused), the headwind and the rest kept on by --channels.
    racerun(root)
        .args(["explain", "run", "--set", "world.dynamics.phi=0"])
        .args(["--channels", "luck,cadence,spillover", "--runs", "20"])
        .args(["--samples", "2", "--seed", "3", "--quiet"])
        .assert()
        .success();
    let found: Vec<_> = fs::read_dir(root.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let [name] = found.as_slice() else {
        panic!("one result expected: {found:?}")
    };
    assert!(
        name.starts_with("run-") && name.ends_with("-explain-spillover-cadence-luck"),
        "{name}"
    );
    let dir = root.join("output").join(name);
    let manifest = json(&dir.join("manifest.json"));
    assert_eq!(manifest["samples"], 2);
    assert_eq!(manifest["overrides"][0], "world.dynamics.phi=0");
    let summary = json(&dir.join("summary.json"));
    assert_eq!(summary["overrides"][0], "world.dynamics.phi=0");
    let written = fs::read(dir.join("report.html")).unwrap();
    let html = String::from_utf8(written.clone()).unwrap();
    let esc = |s: &str| s.replace('&', "&amp;").replace('\'', "&#39;");
    let a = &summary["attribution"];
    let answer = a["sentence"].as_str().unwrap();
    let (regime, why) = answer.split_once(": ").unwrap();
    assert_eq!(
        regime,
        summary["verdict"]["regime"]
            .as_str()
            .unwrap()
            .to_uppercase()
    );
    let dir_name = format!("output/{name}");
    for part in [
        "<h1>Why a race or a run? Scenario run</h1>".to_string(),
        // The answer without the regime the badge shows, then the factual world's
        // verdict without the cause the answer gives.
        esc(&format!("{}{}", why[..1].to_uppercase(), &why[1..])),
        "id=\"verdict\"".into(),
        "id=\"labs\"".into(),
        "id=\"leapfrogs\"".into(),
        "id=\"scenario\"".into(),
        "<span class=\"tag set\">--set</span>".into(),
        "<code>--set world.dynamics.phi=0</code>".into(),
        "not used by the scenario".into(),
        "kept on (left out by --channels)".into(),
        // The world the asked-for channels are off in is not "every channel off".
        "spillover, cadence and luck off".into(),
        format!(
            "racerun explain {dir_name}/scenario.toml --runs 20 --seed 3 --samples 2 \
             --channels spillover,cadence,luck --out {dir_name}-again"
        ),
        "racerun explain run --set world.dynamics.phi=0".into(),
        format!("racerun run {dir_name}/scenario.toml --runs 20 --seed 3 --out {dir_name}-factual"),
    ] {
        assert!(html.contains(&part), "report lacks {part}");
    }
    assert!(
        !html.contains(" Why: "),
        "the cause is said once, as the answer"
    );
    assert!(
        !html.contains("every channel off"),
        "only three channels are off"
    );
    // Every measure and what every channel off means.
    for measure in a["measures"].as_object().unwrap().keys() {
        assert!(
            html.contains(&format!("id=\"measure-{measure}\"")),
            "{measure}"
        );
    }
    for channel in a["channels"].as_array().unwrap() {
        let off = esc(channel["off"].as_str().unwrap());
        assert!(
            html.contains(&off),
            "the report lacks what {channel} off means"
        );
    }
    for chart in ["attribution", "leapfrogs"] {
        let at = html
            .find(&format!("data-chart=\"{chart}\""))
            .unwrap_or_else(|| panic!("report lacks {chart}"));
        assert!(
            html[at..]
                .split("</figure>")
                .next()
                .unwrap()
                .contains("<svg ")
        );
    }
    fs::remove_file(dir.join("report.html")).unwrap();
    racerun(root).args(["report", &dir_name]).assert().success();
    assert_eq!(fs::read(dir.join("report.html")).unwrap(), written);
}

#[test]
fn sweeps_of_other_parameters_keep_their_own_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for vary in [
        "world.dynamics.kappa=0:1:2",
        "world.market.beta=1:2:2",
        "world.gpus.price=20000:30000:2",
        "labs.alpha.policy.min_train=0.3:0.5:2",
        "labs.beta.policy.min_train=0.3:0.5:2",
    ] {
        racerun(root)
            .args(["sweep", "baseline", "--vary", vary, "--runs", "4"])
            .args(["--quiet", "--no-plots"])
            .assert()
            .success();
    }
    let mut dirs: Vec<String> = fs::read_dir(root.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    // A name two parameters share takes its table; a lab's parameter, the lab's id.
    assert_eq!(
        dirs,
        [
            "baseline-sweep-alpha-min_train",
            "baseline-sweep-beta",
            "baseline-sweep-beta-min_train",
            "baseline-sweep-gpus-price",
            "baseline-sweep-kappa",
        ]
    );
}

/// A sweep over one parameter lists each value with its verdict and the numbers the
/// verdict's tests read, in the terminal; each line's verdict is its cell's in sweep.csv.
/// A sweep over two parameters keeps to the counts.
#[test]
fn a_one_parameter_sweep_lists_its_values_in_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let output = racerun(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["sweep", "baseline", "--vary", "world.dynamics.kappa=0:2:3"])
        .args(["--runs", "40", "--no-plots", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().map(str::trim).collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with("kappa  verdict"))
        .expect("a table");
    assert!(lines[head].contains("month-12 leader kept"), "{stdout}");
    let mut reader = csv::Reader::from_path(out.join("sweep.csv")).unwrap();
    let names = reader.headers().unwrap().clone();
    let column = |name: &str| names.iter().position(|h| h == name).unwrap();
    let (kappa, regime) = (column("world.dynamics.kappa"), column("regime"));
    let mut regimes = std::collections::BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        regimes.insert(row[kappa].to_string(), row[regime].to_uppercase());
    }
    for (value, line) in ["0", "1", "2"].iter().zip(&lines[head + 2..head + 5]) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[0], *value, "{stdout}");
        assert_eq!(cells[1].trim_end_matches('?'), regimes[*value], "{stdout}");
    }
    let output = racerun(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["sweep", "baseline", "--vary", "world.dynamics.kappa=0:2:2"])
        .args([
            "--vary",
            "world.demand.growth=1.5:2:2",
            "--runs",
            "20",
            "--no-plots",
        ])
        .args(["--out", dir.path().join("two").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stdout).contains("verdict  persistence"));
}
