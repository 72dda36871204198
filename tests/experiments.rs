//! Experiments: a sweep cell is a plain run; shards merged are the unsharded bytes (runs
//! and sweeps, also with more shards than work); an interrupted sweep resumed is the
//! uninterrupted one; bad shards and bad `--vary`/`--shard` arguments are refused by name.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use assert_cmd::Command;
use predicates::prelude::*;
use racerun::experiment::sweep::{Axis, Finish, Sweep};
use racerun::output::partial::{CELLS_DIR, CellStore};

fn racerun() -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn levers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/levers.toml")
}

fn ok(args: &[&str]) {
    racerun().args(args).assert().success();
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file under `dir` (recursively) except those named in `skip`, relative path and
/// bytes, sorted.
fn files(dir: &Path, skip: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                if !skip.contains(&rel.as_str()) {
                    out.push((rel, std::fs::read(&path).unwrap()));
                }
            }
        }
    }
    out.sort();
    out
}

fn assert_same_files(a: &Path, b: &Path, skip: &[&str]) {
    let (fa, fb) = (files(a, skip), files(b, skip));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb), "different file sets");
    assert!(!fa.is_empty());
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// `measures.<name>.<key>` of a pretty-printed `summary.json`, read from the text with
/// Rust's exact float parser (serde_json's default parser may be one ulp off).
fn json_number(text: &str, name: &str, key: &str) -> Option<f64> {
    let measures = text.find("\"measures\": {")?;
    let at = measures + text[measures..].find(&format!("\"{name}\": {{"))?;
    let line = text[at..]
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("\"{key}\":")))?;
    let value = line.split(':').nth(1)?.trim().trim_end_matches(',');
    // `null` (not finite) is an empty cell in sweep.csv: both read as None.
    value.parse().ok()
}

#[test]
fn a_sweep_cell_equals_a_plain_run_with_the_same_set_and_seed() {
    let dir = tempfile::tempdir().unwrap();
    let (sweep, run) = (dir.path().join("sweep"), dir.path().join("run"));
    let scenario = levers();
    ok(&[
        "sweep",
        p(&scenario),
        "--vary",
        "world.dynamics.kappa=0:1:3",
        "--vary",
        "labs.a.reinvest=0.3:0.7:2",
        "--runs",
        "40",
        "--seed",
        "9",
        "--no-plots",
        "-q",
        "--out",
        p(&sweep),
    ]);
    ok(&[
        "run",
        p(&scenario),
        "--set",
        "world.dynamics.kappa=0.5",
        "--set",
        "labs.a.reinvest=0.7",
        "--runs",
        "40",
        "--seed",
        "9",
        "--no-plots",
        "-q",
        "--out",
        p(&run),
    ]);
    let text = std::fs::read_to_string(run.join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut reader = csv::Reader::from_path(sweep.join("sweep.csv")).unwrap();
    let head = reader.headers().unwrap().clone();
    assert_eq!(&head[1], "world.dynamics.kappa");
    assert_eq!(&head[2], "labs.a.reinvest");
    let mut checked = 0;
    for row in reader.records() {
        let row = row.unwrap();
        // Cell 3: kappa 0.5 (second value), reinvest 0.7 (second value).
        if &row[0] != "3" {
            continue;
        }
        assert_eq!((&row[1], &row[2]), ("0.5", "0.7"));
        for (col, key) in [(4, "mean"), (5, "p10"), (6, "p50"), (7, "p90")] {
            let want = json_number(&text, &row[3], key);
            let got = row[col].parse::<f64>().ok();
            assert_eq!(got, want, "{} {key}", &row[3]);
        }
        // ci_low and ci_high (columns 8 and 9) are an effect's; this is no sweep of one.
        assert_eq!((&row[8], &row[9]), ("", ""));
        assert_eq!(&row[10], summary["verdict"]["regime"].as_str().unwrap());
        checked += 1;
    }
    assert_eq!(checked, summary["measures"].as_object().unwrap().len());
}

/// Past 1,024 distinct values a measure's quantiles in `summary.json` come from its
/// histogram: each p10, p50 and p90 is within the measure's resolution of the exact
/// (nearest-rank) quantile of its `runs.csv` column, and each mean is the column's mean.
#[test]
fn summary_quantiles_agree_with_runs_csv_within_their_resolution() {
    use racerun::measures::{LAB_MEASURES, MEASURES};
    use racerun::stats::Binning;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    ok(&[
        "run",
        "baseline",
        "--runs",
        "2500",
        "--seed",
        "9",
        "-q",
        "--no-plots",
        "--out",
        p(&out),
    ]);
    let mut table = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header: Vec<String> = table.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2500);
    let column = |name: &str| -> Vec<f64> {
        let k = header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"));
        rows.iter().filter_map(|r| r[k].parse().ok()).collect()
    };
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let mut binned = 0;
    let mut check = |name: &str, stat: &serde_json::Value, binning: Binning| {
        let mut v = column(name);
        v.sort_by(f64::total_cmp);
        let distinct = v.windows(2).filter(|w| w[0] != w[1]).count() + 1;
        binned += usize::from(distinct > 1024);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let got = |key: &str| stat[key].as_f64().unwrap();
        assert!(
            (got("mean") - mean).abs() <= 1e-9 * mean.abs().max(1.0),
            "{name} mean"
        );
        for (key, q) in [("p10", 0.1), ("p50", 0.5), ("p90", 0.9)] {
            let exact = v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
            let tolerance = match binning {
                _ if distinct <= 1024 => 1e-12 * exact.abs(),
                Binning::Linear(w) => w / 2.0 + 1e-12 * exact.abs(),
                Binning::Log => (exact.abs() * 0.004).max(1.0),
                Binning::LogAbove(floor) => (exact.abs() * 0.004).max(floor),
            };
            let diff = (got(key) - exact).abs();
            assert!(
                diff <= tolerance,
                "{name} {key}: {} vs exact {exact}",
                got(key)
            );
        }
    };
    for m in MEASURES {
        if let Some(stat) = summary["measures"].get(m.name) {
            check(m.name, stat, m.binning);
        }
    }
    for lab in ["alpha", "beta", "gamma"] {
        for m in LAB_MEASURES {
            let stat = &summary["labs_measures"][lab][m.name];
            check(&format!("{}.{lab}", m.name), stat, m.binning);
        }
    }
    // Most continuous measures are past the exact limit at 2,500 runs.
    assert!(binned >= 20, "only {binned} measures binned");
}

/// Past the limits that keep small runs exact: more than 1,024 distinct values (binned
/// distributions), more than 1,000 runs (bootstrap groups of several runs, split across
/// shards) and uncertain inputs (their effect rows merged in run order), with shards of
/// unequal size given out of order.
#[test]
fn large_run_shards_with_uncertain_inputs_merge_to_the_unsharded_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden.toml");
    let common = ["--runs", "2600", "--seed", "3", "-q", "--no-plots"];
    let full = d.join("full");
    let mut args = vec!["run", p(&scenario), "--threads", "2", "--out", p(&full)];
    args.extend(common);
    ok(&args);
    let summary = std::fs::read_to_string(full.join("summary.json")).unwrap();
    assert!(
        summary.contains("\"spearman\""),
        "the fixture has uncertain inputs"
    );
    let mut shards = Vec::new();
    for k in 1..=3 {
        let out = d.join(format!("s{k}"));
        let shard = format!("{k}/3");
        let mut args = vec!["run", p(&scenario), "--shard", &shard, "--threads", "1"];
        args.extend(["--out", p(&out)]);
        args.extend(common);
        ok(&args);
        shards.push(out);
    }
    let merged = d.join("merged");
    ok(&[
        "merge",
        p(&shards[2]),
        p(&shards[0]),
        p(&shards[1]),
        "-q",
        "--no-plots",
        "--out",
        p(&merged),
    ]);
    assert_same_files(&full, &merged, &["manifest.json"]);
}

#[test]
fn run_shards_merged_are_the_unsharded_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = levers();
    let common = ["--runs", "700", "--seed", "5", "-q", "--samples", "300"];
    let mut full = vec!["run", p(&scenario), "--out"];
    let full_dir = d.join("full");
    full.push(p(&full_dir));
    full.extend(common);
    ok(&full);
    // 700 runs are 3 blocks of 256: with 5 shards, shards 1 and 3 get none, succeed
    // with an empty share, and merge with the others (a job array larger than the work).
    for n in [2u32, 3, 5] {
        let mut shards = Vec::new();
        for k in 1..=n {
            let out = d.join(format!("s{k}of{n}"));
            let shard = format!("{k}/{n}");
            let mut args = vec!["run", p(&scenario), "--shard", &shard, "--out", p(&out)];
            args.extend(common.iter().filter(|a| **a != "-q"));
            let said = racerun().args(&args).assert().success();
            let said = String::from_utf8_lossy(&said.get_output().stdout).into_owned();
            let empty = n == 5 && (k == 1 || k == 3);
            assert_eq!(
                said.contains("no runs (700 runs make 3 blocks of 256, fewer than the 5 shards"),
                empty,
                "shard {shard}: {said}"
            );
            assert!(out.join("partial.bin").is_file());
            shards.push(out);
        }
        // Order given does not matter.
        shards.reverse();
        let merged = d.join(format!("merged{n}"));
        let mut args = vec!["merge".to_string()];
        args.extend(shards.iter().map(|s| p(s).to_string()));
        args.extend(["--out".into(), p(&merged).into(), "-q".into()]);
        racerun().args(&args).assert().success();
        // The manifest and the report name the command and the directory.
        assert_same_files(&full_dir, &merged, &["manifest.json", "report.html"]);
    }
}

fn sweep_args<'a>(scenario: &'a Path, out: &'a Path) -> Vec<&'a str> {
    vec![
        "sweep",
        p(scenario),
        "--vary",
        "world.gpus.supply=1000:100000:3",
        "--log",
        "--vary",
        "world.dynamics.kappa=0:2:3",
        "--runs",
        "30",
        "--seed",
        "3",
        "-q",
        "--out",
        p(out),
    ]
}

#[test]
fn sweep_shards_merged_are_the_unsharded_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = levers();
    let full = d.join("full");
    ok(&sweep_args(&scenario, &full));
    let csv = std::fs::read_to_string(full.join("sweep.csv")).unwrap();
    assert!(csv.starts_with("cell,world.gpus.supply,world.dynamics.kappa,measure,mean,p10,p50,p90,ci_low,ci_high,regime,race_share,run_share,mixed_share\n"));
    assert!(full.join("charts/phase.png").is_file());
    // 9 cells: with 11 shards two of them hold none and still merge.
    for n in [4, 11] {
        let mut shards = Vec::new();
        for k in 1..=n {
            let out = d.join(format!("s{k}of{n}"));
            let shard = format!("{k}/{n}");
            let mut args = sweep_args(&scenario, &out);
            args.extend(["--shard", &shard]);
            ok(&args);
            shards.push(out);
        }
        shards.swap(0, 2);
        let merged = d.join(format!("merged{n}"));
        let mut args = vec!["merge"];
        args.extend(shards.iter().map(|s| p(s)));
        args.extend(["--out", p(&merged), "-q"]);
        ok(&args);
        assert_same_files(&full, &merged, &[]);
    }
}

#[test]
fn a_resumed_sweep_equals_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = levers();
    let full = d.join("full");
    ok(&sweep_args(&scenario, &full));

    // Interrupt through the library: raise the stop flag after two cells.
    let out = d.join("resumed");
    let text = std::fs::read_to_string(&scenario).unwrap();
    let axes = vec![
        Axis::parse("world.gpus.supply=1000:100000:3", true).unwrap(),
        Axis::parse("world.dynamics.kappa=0:2:3", false).unwrap(),
    ];
    let plan = Sweep::plan(&text, "levers.toml", &[], axes, 3, 30).unwrap();
    let (store, done) = CellStore::open(&out, &plan.id(), false).unwrap();
    assert!(done.is_empty());
    let stop = AtomicBool::new(false);
    let mut finished = 0;
    let finish = plan
        .run_cells(0..plan.cell_count(), 2, &|_| false, &stop, &mut |cell| {
            store.save(&cell)?;
            finished += 1;
            if finished == 2 {
                stop.store(true, Ordering::SeqCst);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(finish, Finish::Stopped);
    assert_eq!(std::fs::read_dir(out.join(CELLS_DIR)).unwrap().count(), 2);
    assert!(!out.join("sweep.csv").exists());

    // A resume with other settings is refused, naming the stale cell.
    let mut wrong = sweep_args(&scenario, &out);
    wrong[10] = "4"; // --seed
    wrong.push("--resume");
    racerun().args(&wrong).assert().failure().stderr(
        predicate::str::contains(".cells/cell-").and(predicate::str::contains("different sweep")),
    );

    // The same command without --resume is refused before any work, keeping the cells.
    racerun()
        .args(sweep_args(&scenario, &out))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("left 2 finished cells here")
                .and(predicate::str::contains("add --resume")),
        );
    assert_eq!(std::fs::read_dir(out.join(CELLS_DIR)).unwrap().count(), 2);

    let mut args = sweep_args(&scenario, &out);
    args.push("--resume");
    ok(&args);
    assert_same_files(&full, &out, &[]);
    assert!(!out.join(CELLS_DIR).exists());
}

#[cfg(unix)]
#[test]
fn ctrl_c_keeps_finished_cells_and_resume_finishes_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = levers();
    let args = |out: &Path| -> Vec<String> {
        [
            "sweep",
            p(&scenario),
            "--vary",
            "world.dynamics.kappa=0:2:24",
            "--vary",
            "world.market.beta=1:6:24",
            "--runs",
            "40",
            "-q",
            "--no-plots",
            "--threads",
            "1",
            "--out",
            p(out),
        ]
        .map(String::from)
        .to_vec()
    };
    let out = d.join("interrupted");
    let bin = assert_cmd::cargo::cargo_bin("racerun");
    let mut child = std::process::Command::new(&bin)
        .args(args(&out))
        .spawn()
        .unwrap();
    let cells = out.join(CELLS_DIR);
    let t0 = std::time::Instant::now();
    while std::fs::read_dir(&cells).map_or(0, |r| r.count()) < 2 {
        assert!(t0.elapsed().as_secs() < 120, "no cell finished");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let kept = std::fs::read_dir(&cells).unwrap().count();
    // 576 cells on one thread take seconds; the signal comes a few milliseconds after the
    // second cell: the sweep must have been interrupted, not have finished first.
    assert_eq!(status.code(), Some(130), "the sweep was not interrupted");
    assert!((2..576).contains(&kept), "{kept} cells kept");
    assert!(!out.join("sweep.csv").exists());
    let mut resume = args(&out);
    resume.push("--resume".into());
    racerun().args(&resume).assert().success();
    let full = d.join("full");
    racerun().args(args(&full)).assert().success();
    assert_same_files(&full, &out, &[]);
}

#[test]
fn merge_refuses_missing_duplicate_and_mismatched_shards_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = levers();
    let shard = |name: &str, k: &str, extra: &[&str]| -> PathBuf {
        let out = d.join(name);
        let mut args = vec![
            "run",
            p(&scenario),
            "--runs",
            "600",
            "-q",
            "--shard",
            k,
            "--out",
            p(&out),
        ];
        args.extend(extra);
        ok(&args);
        out
    };
    let s1 = shard("s1", "1/3", &["--seed", "1"]);
    let s2 = shard("s2", "2/3", &["--seed", "1"]);
    let s3 = shard("s3", "3/3", &["--seed", "1"]);
    let seed = shard("seed", "2/3", &["--seed", "2"]);
    let set = shard(
        "set",
        "2/3",
        &["--seed", "1", "--set", "world.dynamics.kappa=1.5"],
    );
    let four = shard("four", "2/4", &["--seed", "1"]);
    let refuse = |dirs: &[&Path], needles: &[&str]| {
        let mut args = vec!["merge".to_string()];
        args.extend(dirs.iter().map(|d| p(d).to_string()));
        args.extend(["--out".into(), p(&d.join("out")).into()]);
        let assert = racerun().args(&args).assert().failure();
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        for n in needles {
            assert!(err.contains(n), "expected `{n}` in: {err}");
        }
        assert!(!d.join("out").exists());
    };
    refuse(&[&s1, &s3], &["missing shard 2/3", "s1", "s3"]);
    refuse(&[&s1, &s2, &s2, &s3], &["shard 2/3 given twice", "s2"]);
    refuse(
        &[&s1, &seed, &s3],
        &["different experiments", "seed 1 vs 2", "s1", "seed"],
    );
    refuse(
        &[&s1, &set, &s3],
        &["different experiments", "resolved scenario", "set"],
    );
    refuse(&[&s1, &four, &s3], &["shard count 1/3 vs 2/4", "four"]);
    refuse(
        &[&d.join("nothing")],
        &["nothing", "cannot read a partial result"],
    );
    let sweep = d.join("sweep-shard");
    let mut args = sweep_args(&scenario, &sweep);
    args.extend(["--shard", "1/2"]);
    ok(&args);
    refuse(&[&s1, &sweep], &["kind run vs sweep", "sweep-shard"]);
    // A run's shard keeps its runs.csv beside partial.bin: missing or changed, refused.
    let rows = std::fs::read(s2.join("runs.csv")).unwrap();
    std::fs::remove_file(s2.join("runs.csv")).unwrap();
    refuse(
        &[&s1, &s2, &s3],
        &["s2", "runs.csv", "is missing", "rerun the shard"],
    );
    let mut changed = rows.clone();
    let last = changed.len() - 2;
    changed[last] = if changed[last] == b'1' { b'2' } else { b'1' };
    std::fs::write(s2.join("runs.csv"), &changed).unwrap();
    refuse(&[&s1, &s2, &s3], &["s2", "runs.csv", "SHA-256 differs"]);
    std::fs::write(s2.join("runs.csv"), &rows).unwrap();
    // Complete sets still merge.
    ok(&[
        "merge",
        p(&s1),
        p(&s2),
        p(&s3),
        "-q",
        "--no-plots",
        "--out",
        p(&d.join("ok")),
    ]);
}

#[test]
fn bad_vary_and_shard_arguments_are_refused_by_name() {
    let scenario = levers();
    let cases: &[(&[&str], &str)] = &[
        (
            &["sweep", "X", "--vary", "world.dynamics.kappa=0:2"],
            "--vary world.dynamics.kappa=0:2: expected START:END:STEPS",
        ),
        (
            &["sweep", "X", "--vary", "world.dynamics.kapa=0:2:3"],
            "did you mean `world.dynamics.kappa`",
        ),
        (
            &["sweep", "X", "--vary", "world.dynamics.kappa=0:9:4"],
            "--vary world.dynamics.kappa=0:9:4: value 6 is not valid",
        ),
        (
            // A huge value is written with an exponent, not in 308 digits.
            &["sweep", "X", "--vary", "world.dynamics.kappa=0:1e308:3"],
            "value 5e307 is not valid: ",
        ),
        (
            &[
                "sweep",
                "X",
                "--vary",
                "world.dynamics.kappa=0:2:3",
                "--log",
            ],
            "--log needs START and END above 0",
        ),
        (
            &["sweep", "X", "--vary", "world.gpus.rationing=0:1:3"],
            "not a number",
        ),
        (
            &[
                "sweep",
                "X",
                "--vary",
                "world.dynamics.kappa=0:2:3",
                "--shard",
                "3/2",
            ],
            "--shard 3/2: expected K/N with 1 <= K <= N",
        ),
        (
            &[
                "sweep",
                "X",
                "--vary",
                "world.dynamics.kappa=0:2:3",
                "--measure",
                "nope",
            ],
            "--measure nope: unknown measure",
        ),
        (
            &["run", "X", "--shard", "0/2"],
            "--shard 0/2: expected K/N with 1 <= K <= N",
        ),
    ];
    for (args, needle) in cases {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "X" { p(&scenario) } else { a })
            .collect();
        racerun()
            .args(&args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(*needle));
    }
}

/// A sweep over the horizon of a measure that needs 24 months: the 12-month cell has no
/// value, and the sweep writes it as an empty row and draws the others (it used to
/// simulate every cell and then fail on its chart, leaving cells no resume could finish).
#[test]
fn a_measure_some_cells_lack_is_written_empty_and_drawn_for_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("horizons");
    ok(&[
        "sweep",
        "baseline",
        "--vary",
        "months=12:36:3",
        "--measure",
        "gap_growth",
        "--runs",
        "4",
        "--quiet",
        "--out",
        p(&out),
    ]);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().filter(|l| l.contains(",gap_growth,")).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].starts_with("0,12,gap_growth,,,,,"), "{}", rows[0]);
    assert!(rows[2].starts_with("2,36,gap_growth,-"), "{}", rows[2]);
    assert!(out.join("charts/sweep.png").is_file());
    assert!(!out.join(".cells").exists());
}

/// A sweep keeps what `run` says of each cell's verdict: a cell `run` calls uncertain is
/// uncertain in the sweep's `summary.json`, for the same reason, and counted per regime.
#[test]
fn a_sweep_cell_is_uncertain_when_the_same_run_is() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("kappa");
    ok(&[
        "sweep",
        "baseline",
        "--vary",
        "world.dynamics.kappa=0:2:3",
        "--runs",
        "20",
        "--seed",
        "3",
        "--no-plots",
        "--quiet",
        "--out",
        p(&out),
    ]);
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cells = summary["cell_verdicts"].as_array().unwrap();
    let mut counted = std::collections::BTreeMap::<String, u64>::new();
    for cell in cells {
        let kappa = cell["values"][0].as_f64().unwrap();
        let run = tmp.path().join(format!("run-{kappa}"));
        let said = racerun()
            .args([
                "run",
                "baseline",
                "--runs",
                "20",
                "--seed",
                "3",
                "--no-plots",
            ])
            .arg("--set")
            .arg(format!("world.dynamics.kappa={kappa}"))
            .args(["--out", p(&run)])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&said.stdout).to_string();
        match cell["uncertain"].as_str() {
            Some(why) => {
                assert!(
                    said.contains(&format!("Uncertain: {why}.")),
                    "{why}\n{said}"
                );
                *counted
                    .entry(cell["regime"].as_str().unwrap().to_string())
                    .or_default() += 1;
            }
            None => assert!(!said.contains("Uncertain:"), "{said}"),
        }
    }
    assert!(
        !counted.is_empty(),
        "20 runs a cell leave some verdict uncertain"
    );
    for (regime, n) in counted {
        assert_eq!(summary["uncertain"][&regime].as_u64(), Some(n), "{regime}");
    }
}

/// Shards run with `--measure` merge to the unsharded files, chart and recorded measure
/// included, without `--measure` given to `merge` (it drew the default measure).
#[test]
fn merged_shards_keep_the_measure_they_were_run_with() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = levers();
    let with_measure = |out: &Path| {
        let mut args = sweep_args(&scenario, out);
        args.extend(["--measure", "gap_growth"]);
        args.into_iter().map(String::from).collect::<Vec<String>>()
    };
    let full = d.join("full");
    racerun().args(with_measure(&full)).assert().success();
    let mut merge = vec!["merge".to_string()];
    for k in 1..=2 {
        let out = d.join(format!("s{k}"));
        racerun()
            .args(with_measure(&out))
            .args(["--shard", &format!("{k}/2")])
            .assert()
            .success();
        merge.push(p(&out).to_string());
    }
    let merged = d.join("merged");
    merge.extend(["--out", p(&merged), "-q"].map(String::from));
    racerun().args(&merge).assert().success();
    assert_same_files(&full, &merged, &[]);
    let summary = std::fs::read_to_string(merged.join("summary.json")).unwrap();
    assert!(summary.contains("\"measure\": \"gap_growth\""), "{summary}");
}
