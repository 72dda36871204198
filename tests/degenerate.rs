//! Degenerate but valid inputs say so: a single lab has no runner-up or followers, so the
//! measures that need them are not applicable (`NA` in CSVs, listed in `summary.json`);
//! a horizon shorter than the verdict's measures need is judged TOO SHORT.

use std::path::Path;

use assert_cmd::Command;

fn racerun() -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
    cmd
}

fn column<'a>(csv: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header.iter().position(|h| *h == name).unwrap();
    lines.map(|l| l.split(',').nth(k).unwrap()).collect()
}

#[test]
fn one_lab_marks_the_measures_that_need_a_rival_not_applicable() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("solo.toml");
    std::fs::write(
        &scenario,
        "name = \"solo\"\nmonths = 36\n[[labs]]\nid = \"a\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let assert = racerun()
        .arg("run")
        .arg(&scenario)
        .args(["--runs", "20", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("followers n/a (one lab)"), "{stdout}");
    assert!(
        stdout.contains("ONE LAB: a single lab always leads"),
        "{stdout}"
    );

    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    for name in [
        "persistence_norm_quality",
        "gap_early",
        "gap_late",
        "gap_growth",
        "gap_growth_market",
        "followers_train",
        "headwind",
    ] {
        assert!(column(&runs, name).iter().all(|v| *v == "NA"), "{name}");
    }
    assert!(
        column(&runs, "leader_train")
            .iter()
            .all(|v| v.parse::<f64>().is_ok())
    );
    assert!(!runs.contains(",,"), "no empty cells");

    let bands = std::fs::read_to_string(out.join("bands.csv")).unwrap();
    let na_rows: Vec<&str> = bands.lines().filter(|l| l.contains(",NA")).collect();
    assert_eq!(
        na_rows.len(),
        2 * 36,
        "leader_gap and followers_train, every month"
    );
    assert!(
        na_rows
            .iter()
            .all(|l| l.contains(",all,leader_gap,NA,") || l.contains(",all,followers_train,NA,"))
    );
    assert!(!bands.contains(",,"));

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let not_applicable: Vec<&str> = summary["not_applicable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        not_applicable,
        [
            "persistence_norm_quality",
            "persistence_norm_market",
            "gap_early",
            "gap_late",
            "gap_growth",
            "gap_growth_market",
            "followers_train",
            "headwind"
        ]
    );
    assert!(summary["verdict"].get("persistence_normalised").is_none());
    assert_eq!(summary["survival"]["chance_quality"], 1.0);
    assert!(summary["measures"].get("headwind").is_none());
    assert!(summary["measures"].get("leader_train").is_some());
    assert!(
        summary["verdict"]["evidence"]
            .get("headwind_median")
            .is_none()
    );
    assert!(!summary.to_string().contains("null"));
    // Charts read the NA measures; those that need a rival are not drawn.
    assert!(
        out.join("charts/quality_bands.png").exists(),
        "charts read NA"
    );
    assert!(!out.join("charts/headwind.png").exists());
    assert!(!out.join("charts/lead_survival.png").exists());
}

#[test]
fn a_one_month_horizon_is_too_short_to_judge() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let assert = racerun()
        .args(["run", "scenarios/baseline.toml", "--set", "months=1"])
        .args(["--runs", "10", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout
            .contains("TOO SHORT: 1 month cannot be judged; the verdict needs at least 25 months"),
        "{stdout}"
    );
    assert!(!stdout.contains("persistence over 24 months"), "{stdout}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["verdict"]["regime"], "too_short");
    // No later month to survive to: no lead survival curve, and the charts still drawn
    // (and drawn again from the files).
    assert!(summary.get("survival").is_none());
    // The report shows no evidence, no moved thresholds and no explain command for a
    // verdict that was not judged: their numbers would read as findings.
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    for absent in [
        "The evidence",
        "If the thresholds were otherwise",
        "<strong>Why?</strong>",
    ] {
        assert!(!report.contains(absent), "{absent}");
    }
    assert!(out.join("charts/quality_bands.png").exists());
    racerun().arg("plot").arg(&out).assert().success();
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert!(column(&runs, "gap_early").iter().all(|v| *v == "NA"));
    // Baseline's labs start tied and none has released by then: no lab leads, none is
    // credited with the month, and no spell is counted.
    for kind in ["quality", "market"] {
        assert!(
            column(&runs, &format!("final_leader_{kind}"))
                .iter()
                .all(|v| *v == "NA")
        );
        for lab in ["alpha", "beta", "gamma"] {
            let led = column(&runs, &format!("months_led_{kind}.{lab}"));
            assert!(led.iter().all(|v| *v == "0"), "{kind} {lab}: {led:?}");
        }
    }
    let spells = std::fs::read_to_string(out.join("spells.csv")).unwrap();
    assert_eq!(spells.lines().count(), 1, "{spells}");
    assert!(
        column(&runs, "gap_late")
            .iter()
            .all(|v| v.parse::<f64>().is_ok())
    );
}

#[test]
fn a_sweep_refuses_a_measure_that_needs_a_rival_of_one_lab() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("solo.toml");
    std::fs::write(
        &scenario,
        "name = \"solo\"\nmonths = 36\n[[labs]]\nid = \"a\"\n",
    )
    .unwrap();
    let out = tmp.path().join("sweep");
    racerun()
        .arg("sweep")
        .arg(&scenario)
        .args(["--vary", "world.dynamics.kappa=0:1:2", "--runs", "4"])
        .args(["--measure", "headwind", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--measure headwind: applies to none of the cells; before --vary, scenario `solo` \
             (1 lab, 36 months): it needs a rival lab",
        ));
    assert!(!out.exists(), "refused before any work");
    // Nor does a horizon too short in every cell start any work.
    let out = tmp.path().join("short");
    racerun()
        .args([
            "sweep",
            "baseline",
            "--vary",
            "months=12:18:2",
            "--runs",
            "4",
        ])
        .args(["--measure", "gap_growth", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "it needs a rival lab and at least 24 months",
        ));
    assert!(!out.exists(), "refused before any work");
}

#[test]
fn labs_that_never_pull_apart_by_the_margin_are_no_race() {
    // A lead margin no release can reach: no lab ever leads. Nothing changes hands
    // (persistence 1), but no month-12 leader keeps the lead, so it is not a race, and
    // the sentence, the files and the charts say there were no leads.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let assert = racerun()
        .args(["run", "race", "--set", "world.leadership.lead_margin=1000"])
        .args(["--set", "months=36", "--runs", "40", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("MIXED: "), "{stdout}");
    assert!(stdout.contains("no lab ever took the lead"), "{stdout}");
    assert!(
        stdout.contains("counting the 100% of runs in which no lab ever pulled ahead"),
        "{stdout}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["verdict"]["evidence"]["early_keeps_quality"], 0.0);
    assert_eq!(
        summary["spell_survival"]["quality"]["months"],
        serde_json::json!([])
    );
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert!(
        column(&runs, "final_leader_quality")
            .iter()
            .all(|v| *v == "NA")
    );
    assert!(
        column(&runs, "mean_spell_quality")
            .iter()
            .all(|v| *v == "NA")
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("no spells: no lab ever led"));
    racerun().arg("plot").arg(&out).assert().success();
}

/// `--set months=12` against the scenario's own horizon: persistence (over another horizon
/// than the verdict's) and the month-12 leader (trivially kept) are not compared.
#[test]
fn a_too_short_run_compares_only_what_means_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |set: &[&str]| {
        let out = racerun()
            .current_dir(tmp.path())
            .args(["run", "baseline", "--runs", "40", "--no-plots"])
            .args(set)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    run(&[]);
    let stdout = run(&["--set", "months=12"]);
    let row = |label: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label} in {stdout}"))
            .split_whitespace()
            .last()
            .unwrap()
            .to_string()
    };
    assert_eq!(row("persistence against chance"), "n/a");
    assert_eq!(row("month-12 leader leads at the end"), "n/a");
    assert_ne!(row("quality-lead changes a year"), "n/a");
}
