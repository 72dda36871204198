//! Titles read from real runs at the edges a writer reaches: one simulation, one lab, a
//! horizon shorter than two years.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use racerun::plot::missing_charts;

use crate::svg_words;

/// `racerun run SCENARIO ARGS --out DIR` (charts as PNG and SVG), from the repository root.
fn run(scenario: &Path, out: &Path, args: &[&str]) {
    Command::cargo_bin("racerun")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("run")
        .arg(scenario)
        .args(args)
        .args(["--seed", "42", "--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}

/// With one simulation there is no favourite to name: the title says what the one
/// simulation shows (the tie test alone called every lab "not favoured" at 1 run).
#[test]
fn one_simulation_is_described_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("one-run");
    run(&baseline(), &out, &["--runs", "1"]);
    let title = svg_words(&out.join("charts/who_leads.svg"));
    assert!(title.contains("In the one simulation, "), "{title}");
    assert!(!title.contains("No lab is favoured"), "{title}");
}

/// A one-lab world has no lead to lose and no followers: those charts are not drawn,
/// and `plot` says why when asked for them.
#[test]
fn one_lab_draws_no_chart_that_needs_a_rival() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(baseline()).unwrap();
    let second = text.match_indices("[[labs]]").nth(1).unwrap().0;
    let scenario = tmp.path().join("one.toml");
    fs::write(&scenario, &text[..second]).unwrap();
    let out = tmp.path().join("one");
    run(&scenario, &out, &["--runs", "20"]);
    for chart in ["lead_survival", "headwind"] {
        assert!(!out.join(format!("charts/{chart}.svg")).exists(), "{chart}");
    }
    let missing = missing_charts(&out).unwrap();
    let why = |name: &str| {
        missing
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, why)| why.clone())
            .unwrap_or_default()
    };
    assert!(why("lead_survival").contains("one lab"), "{missing:?}");
    assert!(why("headwind").contains("one lab"), "{missing:?}");
    // The quality chart draws no margin panel, and its subtitle does not mention one.
    let quality = svg_words(&out.join("charts/quality_bands.svg"));
    assert!(!quality.contains("margin over its best rival"), "{quality}");
}

/// A short run's lead survival is read at half its length, where each run has as many
/// starting months as months followed, not at its last horizon, which rests on one or two
/// (a 26-month run reaches two years, on two starting months).
#[test]
fn a_short_run_is_read_where_the_curve_is_not_its_noisiest() {
    let tmp = tempfile::tempdir().unwrap();
    for (months, read) in [(18, "9 months on"), (26, "13 months on")] {
        let out = tmp.path().join(format!("short-{months}"));
        let set = format!("months={months}");
        run(&baseline(), &out, &["--runs", "50", "--set", &set]);
        let title = svg_words(&out.join("charts/lead_survival.svg"));
        assert!(title.contains(read), "{title}");
    }
}

/// A phase diagram coloured by another measure than the verdict's says in its title what
/// the colour shows and where it is highest, not only where the verdicts lie.
#[test]
fn a_phase_diagram_coloured_by_another_measure_says_what_the_colour_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gap");
    Command::cargo_bin("racerun")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["sweep", "baseline", "--vary", "world.dynamics.kappa=0:2:2"])
        .args(["--vary", "world.market.beta=1:2:2", "--runs", "6"])
        .args(["--measure", "gap_growth", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let title = svg_words(&out.join("charts/phase.svg"));
    assert!(
        title.contains("colour: growth of the leader's gap from ")
            && title.contains(" at self-improvement exponent κ "),
        "{title}"
    );
    // `plot` and `report` redraw the measure the sweep drew, not the default one.
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    for command in ["plot", "report"] {
        Command::cargo_bin("racerun")
            .unwrap()
            .arg(command)
            .arg(&out)
            .assert()
            .success();
    }
    assert_eq!(svg_words(&out.join("charts/phase.svg")), title);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains("colour: growth of the leader"),
        "report shows another measure"
    );
}

/// A one-parameter sweep of a measure the verdict tests draws the verdict's thresholds on
/// it, labelled with what each is for; a measure it does not test gets none.
#[test]
fn a_sweep_line_draws_the_verdicts_thresholds_on_the_measure() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = |measure: &str, vary: &str| {
        let out = tmp.path().join(measure);
        Command::cargo_bin("racerun")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["sweep", "baseline", "--vary", vary])
            .args(["--runs", "6", "--measure", measure, "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        svg_words(&out.join("charts/sweep.svg"))
    };
    let text = sweep("persistence_norm_quality", "world.dynamics.kappa=0:2:3");
    assert!(
        text.contains("a run needs at most 0.30, and one more test"),
        "{text}"
    );
    assert!(
        text.contains("a race needs at least 0.60, and two more tests"),
        "{text}"
    );
    // The gap's threshold, 0 Elo.
    let text = sweep("gap_growth", "world.dynamics.kappa=1.6:2:2");
    assert!(
        text.contains("a race needs more than 0 Elo, and two more tests"),
        "{text}"
    );
    let text = sweep("headwind", "world.dynamics.kappa=0:2:3");
    assert!(!text.contains("needs"), "{text}");
}
