//! Checks made before any work or on every file read: sizes beyond the documented limits,
//! damaged partial results and sweep cells, degenerate arguments (`--samples 0`, a
//! constant measure, a misplaced `--log`, repeated `--vary` values), a full standard
//! output, and a scenario file that would replace the result of another of the same name,
//! each refused with a clear message and exit code, never a panic or an abort.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{baseline, ok, p, racerun_in, refused, snapshot};
use racerun::output::partial::{AnyPartial, CELLS_DIR, read_partial};

/// Expects exit 2 within `seconds`, no panic, every needle in the message, no `out`.
fn refused_quickly(dir: &Path, args: &[&str], needles: &[&str]) {
    let t0 = Instant::now();
    let out = racerun_in(dir)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        t0.elapsed() < Duration::from_secs(20),
        "{args:?} took {:?}",
        t0.elapsed()
    );
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: expected `{n}` in: {err}");
    }
    assert!(!dir.join("out").exists(), "{args:?} wrote its output");
}

#[test]
fn sizes_beyond_the_limits_are_refused_up_front() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let vary = ["--vary", "world.dynamics.kappa=0:1:3"];
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["run", "baseline", "--runs", "10000000000"],
            vec!["--runs 10000000000: 10,000,000,000 is more than the limit of 2,000,000"],
        ),
        (
            vec![
                "run",
                "baseline",
                "--runs",
                "18446744073709551615",
                "--shard",
                "1/2",
            ],
            vec!["more than the limit of 2,000,000"],
        ),
        (
            vec!["run", "baseline", "--runs", "20000", "--samples", "1000000"],
            vec!["--samples 1000000: 20,000 is more than the limit of 10,000"],
        ),
        (
            [
                &["sweep", "baseline"][..],
                &vary,
                &["--runs", "10000000000"],
            ]
            .concat(),
            vec!["--runs 10000000000 per cell"],
        ),
        (
            vec![
                "sweep",
                "baseline",
                "--vary",
                "world.dynamics.kappa=0:1:1000",
                "--vary",
                "world.market.beta=1:2:1000",
            ],
            vec!["the grid's 1,000,000 cells", "limit of 100,000"],
        ),
        (
            vec![
                "sweep",
                "baseline",
                "--vary",
                "world.dynamics.kappa=0:1:1000",
                "--runs",
                "2000000",
            ],
            vec!["1,000 cells x 2000000 runs", "limit of 1,000,000,000"],
        ),
        (
            vec![
                "sensitivity",
                "baseline",
                "--params",
                "world.dynamics.kappa=0:1",
                "--measure",
                "persistence_quality",
                "--samples",
                "100000000000",
            ],
            vec!["--samples 100000000000", "limit of 1,000,000"],
        ),
        (
            vec![
                "sensitivity",
                "baseline",
                "--params",
                "world.dynamics.kappa=0:1",
                "--measure",
                "persistence_quality",
                "--samples",
                "1000000",
                "--runs",
                "1000",
            ],
            vec!["points x 1000 runs", "limit of 1,000,000,000"],
        ),
        (
            vec!["run", "big.toml", "--runs", "1"],
            vec!["1200 months x 60 labs", "limit of 12,000"],
        ),
    ];
    let mut big = String::from("name = \"big\"\nmonths = 1200\n");
    for i in 0..60 {
        big.push_str(&format!("[[labs]]\nid = \"l{i}\"\n"));
    }
    std::fs::write(d.join("big.toml"), big).unwrap();
    for (mut args, needles) in cases {
        args.extend(["--out", "out"]);
        refused_quickly(d, &args, &needles);
    }
}

/// A small partial result: one lab, two months, one run.
fn small_partial(d: &Path) -> PathBuf {
    let scenario = d.join("tiny.toml");
    std::fs::write(
        &scenario,
        "name = \"tiny\"\nmonths = 2\n[[labs]]\nid = \"a\"\n",
    )
    .unwrap();
    let out = d.join("part");
    ok(
        d,
        &[
            "run",
            p(&scenario),
            "--runs",
            "1",
            "--samples",
            "0",
            "--shard",
            "1/1",
            "-q",
            "--out",
            p(&out),
        ],
    );
    out
}

#[test]
fn every_flipped_byte_of_a_partial_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let part = small_partial(d);
    let file = part.join("partial.bin");
    let bytes = std::fs::read(&file).unwrap();
    assert!(matches!(read_partial(&part).unwrap(), AnyPartial::Shard(_)));
    assert!(bytes.len() < 20_000, "not small: {} bytes", bytes.len());
    let bad = d.join("bad.bin");
    for i in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[i] ^= 0x01 << (i % 8);
        std::fs::write(&bad, &flipped).unwrap();
        let e = read_partial(&bad).expect_err(&format!("byte {i} flipped was accepted"));
        assert!(e.to_string().starts_with(p(&bad)), "{e}");
    }
    for extra in [&b"\0"[..], b"garbage after the end"] {
        let mut longer = bytes.clone();
        longer.extend_from_slice(extra);
        std::fs::write(&bad, &longer).unwrap();
        let e = read_partial(&bad).unwrap_err().to_string();
        assert!(e.contains("bytes appended"), "{e}");
    }
    std::fs::write(&bad, &bytes[..bytes.len() - 1]).unwrap();
    assert!(
        read_partial(&bad)
            .unwrap_err()
            .to_string()
            .contains("truncated")
    );
    // Through the command line: a damaged shard is refused naming its file.
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x10;
    std::fs::write(&file, &flipped).unwrap();
    let out = racerun_in(d)
        .args(["merge", p(&part), "--no-plots", "-q", "--out", "merged"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("part/partial.bin: partial result damaged"),
        "{err}"
    );
    assert!(!d.join("merged").exists());
}

#[test]
fn a_damaged_sweep_cell_does_not_survive_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let args = [
        "sweep",
        "baseline",
        "--vary",
        "world.dynamics.kappa=0:1:3",
        "--runs",
        "4",
        "-q",
        "--no-plots",
        "--out",
        "sw",
    ];
    ok(d, &args);
    let full = std::fs::read(d.join("sw/sweep.csv")).unwrap();
    // Rebuild the finished cells as an interrupted sweep leaves them, then damage one.
    let text = racerun::scenario::library::find("baseline").unwrap().text;
    let axes =
        vec![racerun::experiment::sweep::Axis::parse("world.dynamics.kappa=0:1:3", false).unwrap()];
    let plan =
        racerun::experiment::sweep::Sweep::plan(text, "baseline (bundled)", &[], axes, 42, 4)
            .unwrap();
    let out = d.join("half");
    let (store, _) = racerun::output::partial::CellStore::open(&out, &plan.id(), false).unwrap();
    for cell in 0..2 {
        store.save(&plan.run_cell(cell, 1).unwrap()).unwrap();
    }
    let cell = out.join(CELLS_DIR).join("cell-0000001.bin");
    let mut bytes = std::fs::read(&cell).unwrap();
    let at = bytes.len() - 40;
    bytes[at] ^= 0x04;
    std::fs::write(&cell, &bytes).unwrap();
    let mut resume: Vec<&str> = args.to_vec();
    *resume.last_mut().unwrap() = p(&out);
    resume.push("--resume");
    let res = racerun_in(d).args(&resume).output().unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cell-0000001.bin: finished cell damaged"),
        "{err}"
    );
    assert!(err.contains("delete this file"), "{err}");
    assert!(!out.join("sweep.csv").exists());
    // Without --resume, finished cells it cannot read are not deleted in silence.
    let fresh = &resume[..resume.len() - 1];
    let res = racerun_in(d).args(fresh).output().unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{err}");
    assert!(
        err.contains("holds 1 finished cell this racerun cannot read"),
        "{err}"
    );
    assert!(cell.is_file());
    // As the message says: delete it and resume; the cell is computed again.
    std::fs::remove_file(&cell).unwrap();
    ok(d, &resume);
    assert_eq!(std::fs::read(out.join("sweep.csv")).unwrap(), full);
}

#[test]
fn samples_zero_is_decided_up_front() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    refused_quickly(
        d,
        &[
            "run",
            "baseline",
            "--runs",
            "50000",
            "--samples",
            "0",
            "--out",
            "out",
        ],
        &["--samples 0", "--no-plots"],
    );
    ok(
        d,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--samples",
            "0",
            "--no-plots",
            "-q",
            "--out",
            "np",
        ],
    );
    assert!(d.join("np/sample_runs.csv").is_file());
    // Shards kept no samples: merge says so before writing, unless told not to draw.
    for k in ["1/2", "2/2"] {
        let out = format!("s{}", &k[..1]);
        ok(
            d,
            &[
                "run",
                "baseline",
                "--runs",
                "300",
                "--samples",
                "0",
                "--shard",
                k,
                "-q",
                "--out",
                &out,
            ],
        );
    }
    refused_quickly(
        d,
        &["merge", "s1", "s2", "--out", "out"],
        &["--samples 0", "--no-plots"],
    );
    ok(
        d,
        &["merge", "s1", "s2", "--no-plots", "-q", "--out", "merged"],
    );
}

#[test]
fn a_constant_measure_is_named_as_having_no_variance() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Open weights are off in the baseline: their share is 0 at every point.
    refused_quickly(
        d,
        &[
            "sensitivity",
            "baseline",
            "--params",
            "world.dynamics.kappa=0:1",
            "--measure",
            "open_share_final",
            "--samples",
            "4",
            "--runs",
            "2",
            "--out",
            "out",
        ],
        &[
            "--measure open_share_final: the measure has no variance",
            "it is 0 at every one",
        ],
    );
}

#[test]
fn misplaced_log_and_repeated_values_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "sweep",
                "baseline",
                "--log",
                "--vary",
                "world.gpus.supply=1000:9000:3",
            ],
            "--log comes before any --vary",
        ),
        (
            &[
                "sweep",
                "baseline",
                "--vary",
                "world.gpus.supply=1000:9000:3",
                "--log",
                "--log",
            ],
            "--log is given twice",
        ),
        (
            &[
                "sweep",
                "baseline",
                "--vary",
                "world.dynamics.kappa=0.5:0.5:4",
            ],
            "the values repeat",
        ),
    ];
    for (args, needle) in cases {
        let mut args = args.to_vec();
        args.extend(["--out", "out"]);
        refused_quickly(d, &args, &[needle]);
    }
    // In its place, --log works, and a --log after the second --vary leaves the first linear.
    ok(
        d,
        &[
            "sweep",
            "baseline",
            "--vary",
            "world.dynamics.kappa=0:1:2",
            "--vary",
            "world.gpus.supply=1000:100000:3",
            "--log",
            "--runs",
            "2",
            "-q",
            "--no-plots",
            "--out",
            "sw",
        ],
    );
    let csv = std::fs::read_to_string(d.join("sw/sweep.csv")).unwrap();
    let middle: f64 = csv
        .lines()
        .find(|l| l.starts_with("1,0,"))
        .and_then(|l| l.split(',').nth(2)?.parse().ok())
        .unwrap();
    assert!(
        (middle - 10_000.0).abs() < 1e-6,
        "geometric middle {middle}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_a_clean_error() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases: &[&[&str]] = &[
        &["show", "baseline"],
        &["params"],
        &["scenarios"],
        &["check", "baseline"],
        &["completions", "bash"],
        &["man"],
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "--out",
            "res",
        ],
    ];
    for args in cases {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("racerun"))
            .current_dir(d)
            .args(*args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            err.starts_with("error: cannot write to standard output: No space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("racerun"))
        .current_dir(tmp.path())
        .args(["man"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    // Either it wrote everything before the pipe closed, or it stopped at the closed pipe.
    assert!(
        matches!(out.status.code(), Some(0 | 141)),
        "{:?}: {err}",
        out.status
    );
}

/// Two scenario files with one `name` share a default folder: an edited copy is refused
/// there, before any work, and the first's result is kept; the same file again, a copy
/// left as it is, the repository's copy of a bundled scenario against the bundled name,
/// and an `--out` the user names replace it as before.
#[test]
fn a_copied_scenario_does_not_replace_the_result_of_its_original() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let text = std::fs::read_to_string(baseline()).unwrap().replacen(
        "name = \"baseline\"",
        "name = \"mine\"",
        1,
    );
    std::fs::write(root.join("mine.toml"), &text).unwrap();
    // A copy that was then edited: another scenario under the same name.
    let edited = text.replacen("kappa = 0.0", "kappa = 0.5", 1);
    assert_ne!(edited, text);
    std::fs::write(root.join("copy.toml"), &edited).unwrap();
    // A copy left as it is: the same scenario, whatever the file.
    std::fs::write(root.join("same.toml"), &text).unwrap();
    let run = |scenario: &'static str| vec!["run", scenario, "--runs", "5", "--no-plots", "-q"];
    ok(root, &run("mine.toml"));
    let before = snapshot(root);
    refused(
        root,
        &run("copy.toml"),
        &[
            "output/mine",
            "another scenario also named \"mine\"",
            "mine.toml",
            "nothing was written",
        ],
    );
    assert_eq!(before, snapshot(root));
    ok(root, &run("same.toml"));
    ok(root, &run("mine.toml"));
    let mut named = run("copy.toml");
    named.extend(["--out", "output/mine"]);
    ok(root, &named);
    let manifest = std::fs::read_to_string(root.join("output/mine/manifest.json")).unwrap();
    assert!(manifest.contains("copy.toml"), "{manifest}");
    let repository = baseline();
    ok(
        root,
        &["run", p(&repository), "--runs", "5", "--no-plots", "-q"],
    );
    ok(root, &run("baseline"));
}
