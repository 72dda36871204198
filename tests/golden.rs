//! Golden outputs: a small scenario that exercises every mechanic, run at a fixed seed,
//! must reproduce `tests/golden/` byte for byte. A refactor must leave these files alone;
//! a deliberate change of numbers regenerates them with
//!
//! ```sh
//! RACERUN_BLESS=1 cargo test --release --test golden
//! ```
//!
//! and the commit that does so says why the numbers moved.

use std::path::Path;

use assert_cmd::Command;

const FILES: [&str; 3] = ["summary.json", "runs.csv", "bands.csv"];

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1);
        }
    }
    format!(
        "lengths differ: expected {} lines, got {}",
        expected.lines().count(),
        actual.lines().count()
    )
}

#[test]
fn golden_outputs_are_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden = root.join("tests/golden");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("golden");
    Command::cargo_bin("racerun")
        .unwrap()
        .args([
            "run",
            "tests/fixtures/golden.toml",
            "--runs",
            "60",
            "--seed",
            "2024",
        ])
        .args(["--threads", "2", "--no-plots", "--quiet", "--out"])
        .arg(&out)
        .current_dir(root)
        .assert()
        .success();
    let bless = std::env::var_os("RACERUN_BLESS").is_some();
    let mut changed = Vec::new();
    for name in FILES {
        let actual = std::fs::read_to_string(out.join(name)).unwrap();
        let path = golden.join(name);
        if bless {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (create it with RACERUN_BLESS=1)", path.display()));
        if expected != actual {
            changed.push(format!("{name}: {}", first_difference(&expected, &actual)));
        }
    }
    assert!(
        changed.is_empty(),
        "golden outputs changed (RACERUN_BLESS=1 cargo test --release --test golden \
         regenerates them if the change is intended):\n{}",
        changed.join("\n")
    );
}
