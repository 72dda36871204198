//! Helpers shared by the integration tests of output safety and checks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The `--set` a cross-field rule needs beside a value of catalogue parameter `path`, if
/// any: the investors' two following shares sum to at most 1 (the other one is 0), and a
/// supply wave's multiplier needs the month the wave starts.
pub fn companion_set(path: &str) -> Option<&'static str> {
    match path {
        "world.investors.follow_revenue" => Some("world.investors.follow_leader=0"),
        "world.investors.follow_leader" => Some("world.investors.follow_revenue=0"),
        "world.gpus.wave_multiplier" => Some("world.gpus.wave_from=2025-01"),
        "world.demand.growth_halflife" => Some("world.demand.growth_long=1.3"),
        _ => None,
    }
}

pub fn racerun_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(dir);
    cmd
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every entry under `dir`, hidden ones included: relative path and bytes (empty for
/// directories), sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                stack.push(path);
                out.push((rel + "/", Vec::new()));
            } else {
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Runs racerun in `dir` and expects a refusal (exit 2, no panic) mentioning `needles`.
pub fn refused(dir: &Path, args: &[&str], needles: &[&str]) -> Output {
    let out = racerun_in(dir).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: expected `{n}` in: {err}");
    }
    out
}

pub fn ok(dir: &Path, args: &[&str]) {
    let out = racerun_in(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}
