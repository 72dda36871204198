//! Leftovers of racerun processes that did not finish: a killed run's hidden directories
//! are removed by the next run into the same place, a live one's are left alone (and the
//! place refused), and Ctrl-C while a result is written removes it at once.

mod common;

use common::{ok, racerun_in, snapshot};

#[test]
fn killed_run_leftovers_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    ok(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            "res",
        ],
    );
    // What a racerun killed while writing leaves: its half-written result (marked as
    // being built), or the old result moved aside by the fallback swap (a result, with
    // its manifest). No process has these ids.
    let half = root.join(".res.tmp-4000000");
    std::fs::create_dir(&half).unwrap();
    std::fs::write(half.join(".racerun-building"), "").unwrap();
    std::fs::write(half.join("runs.csv"), "run\n0\n").unwrap();
    copy_dir(&root.join("res"), &root.join(".res.old-4000001"));
    // An old result killed while it was being deleted (its marker goes last), and one of
    // a racerun version whose manifest named no kind.
    let deleting = root.join(".res.tmp-4000006");
    std::fs::create_dir_all(deleting.join("charts")).unwrap();
    std::fs::write(deleting.join(".racerun-building"), "").unwrap();
    std::fs::write(deleting.join("spells.csv"), "kind\n").unwrap();
    let older = root.join(".res.old-4000007");
    std::fs::create_dir(&older).unwrap();
    std::fs::write(older.join("manifest.json"), r#"{"scenario_sha256": "ab"}"#).unwrap();
    std::fs::write(older.join("runs.csv"), "run\n0\n").unwrap();
    // Not ours: a file, another directory's leftovers, and a directory named like a
    // leftover that racerun did not make.
    std::fs::write(root.join(".res.tmp-4000002"), "a file, not racerun's").unwrap();
    std::fs::create_dir(root.join(".other.tmp-4000003")).unwrap();
    std::fs::create_dir(root.join(".res.old-4000005")).unwrap();
    std::fs::write(root.join(".res.old-4000005/keep.txt"), "mine").unwrap();
    let out = racerun_in(root)
        .args([
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "--out",
            "res",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".res.tmp-4000000, left by a racerun that was interrupted"),
        "{err}"
    );
    assert!(err.contains(".res.old-4000001"), "{err}");
    for gone in [
        ".res.tmp-4000000",
        ".res.old-4000001",
        ".res.tmp-4000006",
        ".res.old-4000007",
    ] {
        assert!(!root.join(gone).exists(), "{gone} left");
    }
    assert!(
        root.join(".res.tmp-4000002").is_file(),
        "a file is never removed"
    );
    assert!(root.join(".other.tmp-4000003").is_dir());
    assert!(
        root.join(".res.old-4000005/keep.txt").is_file(),
        "a directory racerun did not make is left, whatever its name"
    );
    assert!(!err.contains(".res.old-4000005"), "{err}");
    // Cells half-written by a killed sweep are removed by the next sweep there.
    let sweep = [
        "sweep",
        "baseline",
        "--vary",
        "world.dynamics.kappa=0:1:2",
        "--runs",
        "2",
        "-q",
        "--no-plots",
        "--out",
        "sw",
    ];
    ok(root, &sweep);
    std::fs::create_dir_all(root.join("sw/.cells")).unwrap();
    std::fs::write(root.join("sw/.cells/cell-0000000.tmp-4000004"), "half").unwrap();
    let mut resume = sweep.to_vec();
    resume.push("--resume");
    ok(root, &resume);
    assert!(!root.join("sw/.cells").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_running_racerun_writing_the_same_place_is_not_disturbed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // A long sweep: a live racerun process, writing `long`.
    let sweep = [
        "sweep",
        "baseline",
        "--vary",
        "world.dynamics.kappa=0:2:50",
        "--runs",
        "2000",
        "-q",
        "--no-plots",
        "--threads",
        "1",
        "--out",
        "long",
    ];
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("racerun"))
        .current_dir(root)
        .args(sweep)
        .spawn()
        .unwrap();
    // Its lock is taken before any work, its first finished cell saved soon after.
    let t0 = std::time::Instant::now();
    while !root.join("long/.cells/cell-0000000.bin").exists() {
        assert!(t0.elapsed().as_secs() < 120, "the sweep never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(root.join(".long.lock").is_file());
    let second = racerun_in(root).args(sweep).output().unwrap();
    let cells = std::fs::read_dir(root.join("long/.cells")).unwrap().count();
    let _ = child.kill();
    let _ = child.wait();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(err.contains("another racerun is writing it now"), "{err}");
    assert!(cells >= 1, "the running sweep's cells are left alone");
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_writing_leaves_no_temporary() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    ok(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            "res",
        ],
    );
    let before = snapshot(&root.join("res"));
    // Interrupted once the summary is written, while the charts are drawn into the
    // hidden directory.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("racerun"))
        .current_dir(root)
        .args(["run", "baseline", "--runs", "20", "-q", "--out", "res"])
        .spawn()
        .unwrap();
    let staging = root.join(format!(".res.tmp-{}", child.id()));
    let t0 = std::time::Instant::now();
    while !staging.join("summary.json").exists() {
        assert!(
            t0.elapsed().as_secs() < 120,
            "the write phase never started"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("finished ({status}) before the write phase was seen");
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "interrupted in the write phase");
    assert!(!staging.exists(), "the half-written result was left behind");
    assert_eq!(
        snapshot(&root.join("res")),
        before,
        "the previous result changed"
    );
    assert_eq!(std::fs::read_dir(root).unwrap().count(), 1);
}

/// Copies a directory of files (a result without charts).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}
