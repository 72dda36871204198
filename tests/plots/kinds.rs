//! Every kind of output `plot` redraws, from the real binary's files: a run (every file
//! the writer writes is read back), a sweep and a sensitivity run.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use racerun::plot::{CHART_NAMES, OutputKind, PlotOptions, draw_all, draw_dir, missing_charts};

use crate::fixture::{fixture, keep_lines, leftovers};

fn racerun(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(root);
    cmd
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn plot_reads_every_file_the_writer_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("golden");
    // The golden scenario: five labs, uncertain inputs (`input.*` columns), every mechanic.
    racerun(root())
        .args([
            "run",
            "tests/fixtures/golden.toml",
            "--runs",
            "12",
            "--seed",
            "5",
        ])
        .args(["--no-plots", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(OutputKind::of(&out).unwrap(), OutputKind::Run);
    let written = draw_all(&out, &PlotOptions::default()).unwrap();
    // Every chart whose data the summary has (lead survival only once it is computed).
    let missing = missing_charts(&out).unwrap();
    assert!(
        missing.iter().all(|(name, _)| *name == "lead_survival"),
        "{missing:?}"
    );
    assert_eq!(written.len(), (CHART_NAMES.len() - missing.len()) * 2);
}

#[test]
fn plot_on_a_sensitivity_output_draws_its_tornado() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sens");
    racerun(root())
        .args([
            "sensitivity",
            "baseline",
            "--measure",
            "persistence_quality",
        ])
        .args([
            "--params",
            "world.dynamics.kappa=0:1.5,world.market.beta=0.5:3",
        ])
        .args([
            "--samples",
            "8",
            "--runs",
            "4",
            "--seed",
            "1",
            "--no-plots",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(OutputKind::of(&out).unwrap(), OutputKind::Sensitivity);
    racerun(root())
        .arg("plot")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("tornado.png"))
        .stdout(predicate::str::contains("tornado.svg"))
        .stderr(predicate::str::contains("missing field").not());
    assert!(out.join("charts/tornado.png").is_file());
    // The title names the input mid-sentence, and a total effect as the share of the
    // variation an input takes part in, not as its share.
    let title = crate::svg_words(&out.join("charts/tornado.svg"));
    assert!(title.contains("Of the 2 inputs varied"), "{title}");
    assert!(!title.contains("varied, Self"), "{title}");
    if title.contains(" decides the ") {
        assert!(
            title.contains("it takes part in") && title.contains(" alone"),
            "{title}"
        );
    }
    // Only the charts of this kind of output can be asked for.
    racerun(root())
        .arg("plot")
        .arg(&out)
        .args(["--only", "leapfrog"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "unknown chart `leapfrog`; valid names: tornado",
        ));
}

#[test]
fn plot_on_a_sweep_output_draws_its_phase_diagram_and_checks_every_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    racerun(root())
        .args(["sweep", "baseline", "--vary", "world.dynamics.kappa=0:1:2"])
        .args([
            "--vary",
            "world.market.beta=1:2:2",
            "--runs",
            "3",
            "--no-plots",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(OutputKind::of(&out).unwrap(), OutputKind::Sweep);
    let written = draw_dir(&out, &PlotOptions::default()).unwrap();
    let names: Vec<_> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["phase.png", "phase.svg"]);
    // A cell's row gone: refused, naming the cell.
    let csv = out.join("sweep.csv");
    keep_lines(&csv, |_, l| {
        !(l.starts_with("3,") && l.contains(",persistence_norm_quality,"))
    });
    let message = draw_dir(&out, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message
            .contains("sweep.csv: no row for cell 3, measure `persistence_norm_quality` (4 cells)"),
        "{message}"
    );
}

#[test]
fn charts_path_that_is_a_file_is_refused() {
    let (_tmp, dir) = fixture();
    fs::write(dir.join("charts"), "my notes").unwrap();
    let message = draw_all(&dir, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("charts: exists and is not a directory"),
        "{message}"
    );
    assert_eq!(fs::read_to_string(dir.join("charts")).unwrap(), "my notes");
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}

#[test]
fn a_shards_partial_result_has_no_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("shard");
    racerun(root())
        .args([
            "run", "baseline", "--runs", "512", "--shard", "1/2", "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(OutputKind::of(&out).unwrap(), OutputKind::RunShard);
    let message = draw_dir(&out, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(message.contains("merge the shards first"), "{message}");
    assert!(!out.join("charts").exists());
}
