//! The scenario library and the commands that explain racerun: `scenarios`, `show`,
//! `params`, `check`, `new`, `completions`, `man`, `run NAME`; their error paths; every
//! error paths. Every bundled scenario running, plausible, and its claim: library_claims.rs.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use racerun::scenario::library::BUNDLED;
use racerun::scenario::params::PARAMS;

/// The binary, run from `dir` (a temporary directory unless the test needs the repo).
fn racerun_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// --- scenarios, show, params, check ---------------------------------------------------

#[test]
fn scenarios_lists_every_bundled_scenario_with_its_question() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(racerun_in(dir.path()).arg("scenarios"));
    for b in BUNDLED {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(b.name))
            .unwrap_or_else(|| panic!("{} not listed:\n{out}", b.name));
        assert!(line.contains(&b.question()), "{line}");
    }
    for name in [
        "baseline",
        "frontier-2023",
        "race",
        "run",
        "compute-glut",
        "open-weights",
        "plumbing-moat",
        "hyperscaler",
    ] {
        assert!(BUNDLED.iter().any(|b| b.name == name), "{name} missing");
    }
}

#[test]
fn bundled_scenarios_are_the_files_in_scenarios() {
    for b in BUNDLED {
        let file = repo().join("scenarios").join(format!("{}.toml", b.name));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), b.text);
    }
    for entry in std::fs::read_dir(repo().join("scenarios")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.strip_suffix(".toml").unwrap_or(&name);
        assert!(
            BUNDLED.iter().any(|b| b.name == stem),
            "scenarios/{name} is not bundled: add it to BUNDLED in src/scenario/library.rs"
        );
    }
}

#[test]
fn show_marks_defaults_and_loads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(racerun_in(dir.path()).args([
        "show",
        "baseline",
        "--set",
        "world.dynamics.kappa=0.7",
    ]));
    let line = |start: &str| {
        out.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no {start}:\n{out}"))
    };
    assert!(!line("kappa = 0.7").contains("default"));
    assert!(line("research_cap = 10.0").contains("# default"));
    assert!(line("wave_from = \"\"").contains("# default"));
    // The shown text is a scenario: check it, then run it and get the same numbers.
    std::fs::write(dir.path().join("shown.toml"), &out).unwrap();
    racerun_in(dir.path())
        .args(["check", "shown.toml"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: shown.toml"));
}

#[test]
fn show_of_a_file_and_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = repo().join("scenarios/race.toml");
    let out = stdout(racerun_in(dir.path()).args(["show", path.to_str().unwrap()]));
    assert!(out.contains("name = \"race\""));
    racerun_in(dir.path())
        .args(["show", "rase"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `race`?"))
        .stderr(predicate::str::contains("bundled: baseline, frontier-2023"));
}

#[test]
fn params_lists_every_parameter_from_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(racerun_in(dir.path()).arg("params"));
    for spec in PARAMS.iter() {
        let head = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(spec.path))
            .unwrap_or_else(|| panic!("{} not listed", spec.path));
        if !spec.default.is_empty() {
            assert!(
                head.contains(&format!("default {}", spec.default)),
                "{head}"
            );
        }
        if let Some(r) = spec.range {
            assert!(head.contains(&format!("range {r}")), "{head}");
        }
        let fixed_real = spec.kind == racerun::scenario::params::Kind::Real && !spec.uncertain;
        assert_eq!(head.contains("no distribution"), fixed_real, "{head}");
        assert!(out.contains(spec.doc), "{} undocumented", spec.path);
    }
}

#[test]
fn params_filters_by_prefix_and_suggests() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(racerun_in(dir.path()).args(["params", "world.market"]));
    assert!(out.contains("world.market.switching"));
    assert!(!out.contains("world.gpus"));
    let out = stdout(racerun_in(dir.path()).args(["params", "labs.openai.policy"]));
    assert!(out.contains("labs.*.policy.min_train"));
    assert!(!out.contains("labs.*.fleet"));
    racerun_in(dir.path())
        .args(["params", "world.markt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `market`?"));
}

#[test]
fn check_accepts_good_scenarios_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for b in BUNDLED {
        racerun_in(dir.path())
            .args(["check", b.name])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("scenario `{}`", b.name)));
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Writes `text` as bad.toml in a fresh directory, checks it, returns stderr.
fn check_fails(text: &str, sets: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    let mut cmd = racerun_in(dir.path());
    cmd.args(["check", "bad.toml"]);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let out = cmd.assert().code(2).get_output().clone();
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

const TWO_LABS: &str = "name = \"bad\"\n[[labs]]\nid = \"openai\"\n[[labs]]\nid = \"anthropic\"\n";

#[test]
fn check_errors_help() {
    // An unknown key suggests the nearest valid one, with the line.
    let e = check_fails(&format!("{TWO_LABS}[world.market]\nswtching = 0.5\n"), &[]);
    assert!(e.contains("bad.toml:7:1"), "{e}");
    assert!(e.contains("did you mean `switching`?"), "{e}");
    // A value out of range names the range and the unit.
    let e = check_fails(&format!("{TWO_LABS}[world.market]\nswitching = 1.5\n"), &[]);
    assert!(
        e.contains("world.market.switching: expected a number in [0, 1] per month, got 1.5"),
        "{e}"
    );
    // An unknown lab id in --set suggests the nearest lab.
    let e = check_fails(TWO_LABS, &["labs.opnai.fleet=1e5"]);
    assert!(e.contains("did you mean `openai`?"), "{e}");
    assert!(e.contains("the labs are: openai, anthropic"), "{e}");
    // A bad supply-wave month.
    let e = check_fails(
        &format!("{TWO_LABS}[world.gpus]\nwave_from = \"2026\"\n"),
        &[],
    );
    assert!(
        e.contains("world.gpus.wave_from: expected a calendar month"),
        "{e}"
    );
    // Syntax errors keep their line and column.
    let e = check_fails("name = \"bad\"\n[[labs]\n", &[]);
    assert!(e.contains("bad.toml:2:"), "{e}");
}

#[test]
fn reserved_lab_ids_are_refused() {
    // `all` labels the world rows of bands.csv; `open` is kept for the open-weight option;
    // `NA` is the final leader of a run in which no lab ever led.
    for id in ["all", "Open", "na"] {
        let e = check_fails(&TWO_LABS.replace("anthropic", id), &[]);
        assert!(
            e.contains(&format!(
                "bad.toml:5:6: labs[1].id: expected an id other than all, open and NA, which \
                 name rows or cells of the outputs that are not labs, got \"{id}\""
            )),
            "{e}"
        );
    }
}

#[test]
fn a_horizon_past_9999_is_refused() {
    let e = check_fails(TWO_LABS, &["start=\"9995-06\""]);
    assert!(
        e.contains(
            "months: expected at most 55 months from start 9995-06: dates end in 9999-12 \
             (this horizon would end in 10005-05), got 120"
        ),
        "{e}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("late.toml"), TWO_LABS).unwrap();
    racerun_in(dir.path())
        .args([
            "check",
            "late.toml",
            "--set",
            "start=\"9995-06\"",
            "--set",
            "months=55",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("55 months from 9995-06"));
}

#[test]
fn a_path_wins_over_a_bundled_name_and_missing_paths_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("baseline.toml"),
        "name = \"local\"\n[[labs]]\nid = \"a\"\n",
    )
    .unwrap();
    racerun_in(dir.path())
        .args(["check", "baseline.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("scenario `local`"));
    // A bare name finds the local NAME.toml first, then the library.
    racerun_in(dir.path())
        .args(["check", "baseline"])
        .assert()
        .success()
        .stdout(predicate::str::contains("scenario `local`"));
    let empty = tempfile::tempdir().unwrap();
    racerun_in(empty.path())
        .args(["check", "baseline"])
        .assert()
        .success()
        .stdout(predicate::str::contains("baseline (bundled)"));
    racerun_in(dir.path())
        .args(["check", "no/such.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such.toml: cannot read the scenario",
        ));
}

// --- new --------------------------------------------------------------------------------

#[test]
fn new_writes_a_starter_that_checks_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    racerun_in(dir.path())
        .args(["new", "my-world"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote my-world.toml"));
    let text = std::fs::read_to_string(dir.path().join("my-world.toml")).unwrap();
    assert!(text.starts_with("# my-world"));
    assert!(
        text.contains("# kappa = 0"),
        "parameters listed with defaults"
    );
    racerun_in(dir.path())
        .args(["check", "my-world.toml"])
        .assert()
        .success();
    racerun_in(dir.path())
        .args(["new", "my-world"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"));
    racerun_in(dir.path())
        .args(["new", "my-world", "--force", "--from", "race"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("my-world.toml")).unwrap();
    assert!(text.contains("name = \"my-world\"") && text.contains("kappa = 3.0"));
    racerun_in(dir.path())
        .args([
            "run",
            "my-world.toml",
            "--runs",
            "5",
            "--quiet",
            "--no-plots",
        ])
        .assert()
        .success();
    assert!(dir.path().join("output/my-world/summary.json").is_file());
}

#[test]
fn new_rejects_bad_names_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    racerun_in(dir.path())
        .args(["new", "my world"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("letters, digits, - and _"));
    racerun_in(dir.path())
        .args(["new", "x", "--from", "basline"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `baseline`?"));
    // A name is not a path: nothing is written outside the directory.
    racerun_in(dir.path())
        .args(["new", "../outside"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give a path ending in .toml"));
    assert!(!dir.path().parent().unwrap().join("outside.toml").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // A link is never written through without --force, even one to nothing.
    #[cfg(unix)]
    {
        let target = dir.path().join("elsewhere.toml");
        std::os::unix::fs::symlink(&target, dir.path().join("linked.toml")).unwrap();
        racerun_in(dir.path())
            .args(["new", "linked"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("already exists"));
        assert!(!target.exists());
        // With --force the link itself is replaced; what it points to is left alone.
        std::fs::write(&target, "notes").unwrap();
        racerun_in(dir.path())
            .args(["new", "linked", "--force"])
            .assert()
            .success();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "notes");
        let linked = dir.path().join("linked.toml");
        assert!(linked.symlink_metadata().unwrap().is_file());
        assert!(
            std::fs::read_to_string(linked)
                .unwrap()
                .contains("name = \"linked\"")
        );
    }
}

// --- help, completions, man -------------------------------------------------------------

#[test]
fn every_command_has_an_example_in_its_help() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout(racerun_in(dir.path()).arg("--help"));
    let (_, commands) = help.split_once("Commands:\n").unwrap();
    for line in commands.lines().take_while(|l| l.starts_with("  ")) {
        let name = line.split_whitespace().next().unwrap();
        if name == "help" {
            continue;
        }
        let out = stdout(racerun_in(dir.path()).args([name, "--help"]));
        assert!(
            out.contains("Example"),
            "`racerun {name} --help` has no example"
        );
        assert!(out.contains(&format!("racerun {name}")), "{name}: {out}");
    }
}

/// `merge` combines the shards of `explain` too, and `plot` redraws an explain or compare
/// result: their help says so.
#[test]
fn merge_and_plot_help_name_every_kind_they_take() {
    let dir = tempfile::tempdir().unwrap();
    let merge = stdout(racerun_in(dir.path()).args(["merge", "--help"]));
    let (about, _) = merge.split_once("Usage:").unwrap();
    assert!(about.contains("`explain`"), "{about}");
    let plot = stdout(racerun_in(dir.path()).args(["plot", "--help"]));
    let dir_help = plot.split("<DIR>").nth(2).unwrap_or_default();
    assert!(
        dir_help.contains("`explain`") && dir_help.contains("`compare`"),
        "{plot}"
    );
}

/// `racerun new` writes no distributions, so an example that takes a parameter's range
/// from the scenario (`--params PATH`, no `=LOW:HIGH`) says the scenario must give one:
/// run as it stands on a fresh `racerun new mine`, it is refused ("no range to vary").
#[test]
fn a_sensitivity_example_without_a_range_says_where_its_distribution_is() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout(racerun_in(dir.path()).args(["sensitivity", "--help"]));
    let mut seen = 0;
    for line in help
        .lines()
        .filter(|l| l.trim_start().starts_with("racerun sensitivity"))
    {
        let params = line
            .split("--params ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_default();
        if params.split(',').any(|p| !p.contains('=')) {
            seen += 1;
            assert!(line.contains("{ dist = ... }"), "{line}");
        }
    }
    assert!(
        seen > 0,
        "no example takes its range from the scenario: {help}"
    );
}

#[test]
fn completions_and_man_pages() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = stdout(racerun_in(dir.path()).args(["completions", shell]));
        assert!(
            out.contains("racerun") && out.contains("scenarios"),
            "{shell}"
        );
    }
    racerun_in(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
    let man = stdout(racerun_in(dir.path()).arg("man"));
    assert!(man.contains(".TH racerun"), "{man}");
    let man = stdout(racerun_in(dir.path()).args(["man", "run"]));
    assert!(man.contains("\\-\\-runs"), "{man}");
    racerun_in(dir.path())
        .args(["man", "rnu"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `run`?"));
}

// --- every bundled scenario runs; each claim, loosely -----------------------------------

#[test]
fn the_full_example_in_docs_scenarios_is_valid() {
    let doc = std::fs::read_to_string(repo().join("docs/scenarios.md")).unwrap();
    let start = doc.rfind("```toml\n").unwrap() + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two-labs.toml"), &doc[start..end]).unwrap();
    racerun_in(dir.path())
        .args(["check", "two-labs.toml"])
        .assert()
        .success();
    // It sets every world parameter and every lab parameter but `id` explicitly.
    let shown = stdout(racerun_in(dir.path()).args(["show", "two-labs.toml"]));
    let values = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .map(String::from)
            .collect()
    };
    let mut parts = shown.split("[[labs]]");
    let (world, leader) = (values(parts.next().unwrap()), values(parts.next().unwrap()));
    assert!(world.iter().all(|l| !l.contains("# default")), "{world:?}");
    assert!(
        leader
            .iter()
            .all(|l| !l.contains("# default") && !l.contains("# derived")),
        "{leader:?}"
    );
}

#[test]
fn a_local_name_finds_its_toml_and_typos_suggest_local_files() {
    let dir = tempfile::tempdir().unwrap();
    racerun_in(dir.path())
        .args(["new", "mine"])
        .assert()
        .success();
    racerun_in(dir.path())
        .args(["check", "mine"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: mine.toml"));
    racerun_in(dir.path())
        .args(["check", "mine.tml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `mine.toml`?"));
}

// --- what --set changed ------------------------------------------------------------------

/// `run --set` shows what the overrides changed against the scenario's own result in
/// `output/NAME/`, only when that result is the scenario without `--set` at the same seed
/// and runs; otherwise it names the command that makes one.
#[test]
fn a_run_with_set_says_what_changed_against_the_scenario_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let modified = [
        "run",
        "race",
        "--set",
        "world.dynamics.kappa=0",
        "--runs",
        "60",
    ];
    let with_set = |extra: &[&str]| {
        stdout(
            racerun_in(dir.path())
                .args(modified)
                .args(extra)
                .arg("--no-plots"),
        )
    };
    let text = with_set(&[]);
    assert!(
        text.contains("to see what --set changed: `racerun run race --runs 60 --seed 42`"),
        "{text}"
    );
    // The unmodified scenario at another seed is not comparable.
    stdout(racerun_in(dir.path()).args(["run", "race", "--runs", "60", "--seed", "1", "-q"]));
    assert!(with_set(&[]).contains("to see what --set changed"));
    // At the same seed and runs it is: the table gives both verdicts and their numbers.
    stdout(racerun_in(dir.path()).args(["run", "race", "--runs", "60", "-q", "--no-plots"]));
    let text = with_set(&[]);
    let base: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("output/race/summary.json")).unwrap(),
    )
    .unwrap();
    let regime = base["verdict"]["regime"].as_str().unwrap().to_uppercase();
    let row = text
        .lines()
        .find(|l| l.starts_with("verdict "))
        .unwrap_or_else(|| panic!("no verdict row:\n{text}"));
    assert!(
        row.split_whitespace().nth(1) == Some(regime.as_str()),
        "{row}"
    );
    let persistence = base["verdict"]["evidence"]["persistence_norm_quality"]
        .as_f64()
        .unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("persistence against chance"))
        .unwrap();
    assert!(row.contains(&format!("{persistence:.2}")), "{row}");
    assert!(text.contains("against output/race/"), "{text}");
    // Without --set there is nothing to compare.
    let plain = stdout(racerun_in(dir.path()).args(["run", "race", "--runs", "60", "--no-plots"]));
    assert!(!plain.contains("--set changed"), "{plain}");
}
