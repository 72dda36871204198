//! Fuzzing the scenario loader and the `--set` parser, on the stable toolchain.
//!
//! The property, for any input: loading never panics and never hangs; it gives either a
//! valid [`Scenario`] whose resolved TOML loads back to the same scenario, or an error
//! that names where the problem is (the file, or the `--set` argument).
//!
//! Four generators, each driven by proptest (which shrinks a failure to a small input):
//! arbitrary bytes; the seed corpus mutated byte- and line-wise; structured TOML built
//! from every key the corpus uses with extreme values; `--set` arguments, both arbitrary
//! and structured, applied to the baseline. The seed corpus is every bundled scenario
//! (`scenarios/`), the test fixtures, the hostile files in `tests/fuzz-corpus/` and the
//! `--set` arguments in `tests/fuzz-sets.txt`.
//!
//! `cargo test --test fuzz` runs the corpus and a few hundred cases of each generator.
//! The long run is an ignored test driven by the clock:
//!
//! ```text
//! RACERUN_FUZZ_SECONDS=3600 cargo test --release --test fuzz -- --ignored --nocapture
//! ```
//!
//! (`RACERUN_FUZZ_SEED` picks another base seed; `.ci/run` runs it for 60 seconds.) A
//! case that runs longer than [`HANG_SECONDS`] aborts the process, printing the input.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use generators::{
    Edit, Keys, Leaf, apply, edit, edit_resolved, keys, leaf, structured, structured_set,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use racerun::scenario::{Override, Scenario};

#[path = "fuzz/generators.rs"]
mod generators;

/// A case of the edited-resolved generator: seed, leaf changes, lab change.
type ResolvedCase = (usize, Vec<(usize, Leaf)>, (u8, usize));

/// A single load taking longer than this is a hang.
const HANG_SECONDS: u64 = 20;

/// Inputs that loaded as valid scenarios (to see that the generators get past the parser).
static VALID: AtomicU64 = AtomicU64::new(0);

// --- the property -------------------------------------------------------------------

/// Loads `text` with `sets` and checks the property; `Err` describes a violation.
fn check(text: &str, origin: &str, sets: &[Override]) -> Result<(), String> {
    match Scenario::load(text, origin, sets) {
        Ok(s) => {
            VALID.fetch_add(1, Ordering::Relaxed);
            let resolved = s.to_toml();
            let again = Scenario::load(&resolved, "resolved.toml", &[]).map_err(|e| {
                format!("the resolved scenario does not load back: {e}\n{resolved}")
            })?;
            if again.to_toml() != resolved {
                return Err(format!(
                    "the resolved scenario loads back different:\n{resolved}\n---\n{}",
                    again.to_toml()
                ));
            }
            Ok(())
        }
        Err(e) => {
            let message = e.to_string();
            let named = message.starts_with(origin)
                || sets.iter().any(|o| message.contains(&o.arg))
                || message.contains("--set");
            if message.trim().is_empty() || !named {
                return Err(format!("an error that names no place: {message:?}"));
            }
            Ok(())
        }
    }
}

/// Parses `arg` as `--set` and, when it parses, applies it to the baseline.
fn check_set(baseline: &str, arg: &str) -> Result<(), String> {
    match Override::parse(arg) {
        Ok(o) => check(baseline, "baseline.toml", std::slice::from_ref(&o)),
        Err(e) => {
            let message = e.to_string();
            if !message.starts_with("--set ") {
                return Err(format!("a --set error that names no argument: {message:?}"));
            }
            Ok(())
        }
    }
}

// --- the corpus ---------------------------------------------------------------------

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every seed scenario: name and text (lossy: a few hostile files are not UTF-8).
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["scenarios", "tests/fixtures", "tests/fuzz-corpus"] {
        let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).unwrap();
            let name = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            out.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    assert!(out.len() >= 30, "the corpus is missing files");
    out
}

fn set_corpus() -> Vec<String> {
    std::fs::read_to_string(root().join("tests/fuzz-sets.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn baseline() -> String {
    std::fs::read_to_string(root().join("scenarios/baseline.toml")).unwrap()
}

// --- driving ------------------------------------------------------------------------

/// The input being checked, for the watchdog.
type Current = Arc<Mutex<(Instant, String)>>;

fn watchdog() -> Current {
    let current: Current = Arc::new(Mutex::new((Instant::now(), String::new())));
    let watched = Arc::clone(&current);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let (since, input) = watched.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if since.elapsed() > Duration::from_secs(HANG_SECONDS) {
                eprintln!("HANG: a case ran over {HANG_SECONDS} s; input:\n{input:?}");
                std::process::abort();
            }
        }
    });
    current
}

fn watch(current: &Current, input: &str) {
    *current.lock().unwrap_or_else(|p| p.into_inner()) =
        (Instant::now(), input.chars().take(20_000).collect());
}

/// What a fuzzing session found.
#[derive(Debug, Default)]
struct Tally {
    cases: u64,
    valid: BTreeMap<String, u64>,
    findings: Vec<String>,
}

/// Runs `cases` cases of every generator with the base seed `seed`.
fn round(seed: u64, cases: u32, ctx: &Ctx, tally: &mut Tally) {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let runner = |stream: u64| {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(&stream.to_le_bytes());
        TestRunner::new_with_rng(
            config.clone(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &key),
        )
    };
    let mut record = |what: &str, r: Result<(), String>| {
        tally.cases += u64::from(cases);
        *tally.valid.entry(what.to_string()).or_default() += VALID.swap(0, Ordering::Relaxed);
        if let Err(e) = r {
            eprintln!("FINDING ({what}, seed {seed}): {e}");
            tally.findings.push(format!("{what}: {e}"));
        }
    };
    let report = |r: Result<(), TestError<String>>| r.map_err(|e| e.to_string());
    let report_edits = |r: Result<(), TestError<(usize, usize, Vec<Edit>)>>| {
        r.map_err(|e| match e {
            TestError::Fail(why, (i, j, edits)) => format!(
                "{why}; input:\n{:?}",
                apply(&ctx.corpus[i].1, &ctx.corpus[j].1, &edits)
            ),
            e => e.to_string(),
        })
    };
    let report_resolved = |r: Result<(), TestError<ResolvedCase>>| {
        r.map_err(|e| match e {
            TestError::Fail(why, (i, changes, labs)) => format!(
                "{why}; input:\n{:?}",
                edit_resolved(&ctx.resolved[i], &changes, labs)
            ),
            e => e.to_string(),
        })
    };

    let current = &ctx.current;
    VALID.store(0, Ordering::Relaxed);
    let bytes = prop::collection::vec(any::<u8>(), 0..1500)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned());
    record(
        "bytes",
        report(runner(0).run(&bytes, |t| {
            watch(current, &t);
            check(&t, "fuzz.toml", &[]).map_err(TestCaseError::fail)
        })),
    );
    VALID.store(0, Ordering::Relaxed);
    let n = ctx.corpus.len();
    let mutated = (0..n, 0..n, prop::collection::vec(edit(), 1..6));
    record(
        "mutated corpus",
        report_edits(runner(1).run(&mutated, |(i, j, edits)| {
            let t = apply(&ctx.corpus[i].1, &ctx.corpus[j].1, &edits);
            watch(current, &t);
            check(&t, "fuzz.toml", &[]).map_err(TestCaseError::fail)
        })),
    );
    record(
        "structured TOML",
        report(runner(2).run(&structured(&ctx.keys), |t| {
            watch(current, &t);
            check(&t, "fuzz.toml", &[]).map_err(TestCaseError::fail)
        })),
    );
    VALID.store(0, Ordering::Relaxed);
    let m = ctx.resolved.len();
    let resolved = (
        0..m,
        prop::collection::vec((any::<usize>(), leaf()), 1..4),
        (any::<u8>(), any::<usize>()),
    );
    record(
        "edited resolved",
        report_resolved(runner(4).run(&resolved, |(i, changes, labs)| {
            let t = edit_resolved(&ctx.resolved[i], &changes, labs);
            watch(current, &t);
            check(&t, "fuzz.toml", &[]).map_err(TestCaseError::fail)
        })),
    );
    VALID.store(0, Ordering::Relaxed);
    let sets = prop_oneof![
        2 => structured_set(&ctx.keys),
        1 => any::<String>(),
        1 => "[a-z._=0-9{}\\[\\]\" ,-]{0,40}",
    ];
    record(
        "--set",
        report(runner(3).run(&sets, |arg| {
            watch(current, &arg);
            check_set(&ctx.baseline, &arg).map_err(TestCaseError::fail)
        })),
    );
    watch(current, "");
}

struct Ctx {
    corpus: Vec<(String, String)>,
    /// The resolved form of every seed that loads.
    resolved: Vec<String>,
    keys: Keys,
    baseline: String,
    current: Current,
}

fn ctx() -> Ctx {
    let corpus = corpus();
    let keys = keys(&corpus);
    assert!(keys.world.len() >= 5 && keys.lab.len() >= 10 && keys.policies.len() >= 5);
    let resolved = corpus
        .iter()
        .filter_map(|(n, t)| Scenario::load(t, n, &[]).ok())
        .map(|s| s.to_toml())
        .collect();
    Ctx {
        resolved,
        corpus,
        keys,
        baseline: baseline(),
        current: watchdog(),
    }
}

#[test]
fn seed_corpus_loads_or_fails_with_a_named_error() {
    let ctx = ctx();
    let mut failures = Vec::new();
    for (name, text) in &ctx.corpus {
        watch(&ctx.current, text);
        if let Err(e) = check(text, name, &[]) {
            failures.push(format!("{name}: {e}"));
        }
    }
    for arg in set_corpus() {
        watch(&ctx.current, &arg);
        if let Err(e) = check_set(&ctx.baseline, &arg) {
            failures.push(format!("--set {arg}: {e}"));
        }
    }
    // Every bundled scenario is valid.
    for (name, text) in ctx
        .corpus
        .iter()
        .filter(|(n, _)| n.starts_with("scenarios/"))
    {
        assert!(Scenario::load(text, name, &[]).is_ok(), "{name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_few_hundred_cases_of_each_generator() {
    let ctx = ctx();
    let mut tally = Tally::default();
    round(1, 150, &ctx, &mut tally);
    assert!(tally.findings.is_empty(), "{}", tally.findings.join("\n"));
}

/// The long run: `RACERUN_FUZZ_SECONDS` (default 60) of rounds with fresh seeds.
#[test]
#[ignore = "long: run with RACERUN_FUZZ_SECONDS=N cargo test --release --test fuzz -- --ignored"]
fn fuzz_for_a_while() {
    let seconds: u64 = std::env::var("RACERUN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let base: u64 = std::env::var("RACERUN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00F0_22ED);
    let ctx = ctx();
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut r = 0u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        round(base.wrapping_add(r), 256, &ctx, &mut tally);
        r += 1;
        if r.is_multiple_of(20) {
            eprintln!(
                "fuzz: {} cases in {:.0} s, {} finding(s)",
                tally.cases,
                started.elapsed().as_secs_f64(),
                tally.findings.len()
            );
        }
    }
    eprintln!(
        "fuzz: {} cases in {} rounds over {:.0} s from seed {base}; valid scenarios by \
         generator {:?}; {} finding(s)",
        tally.cases,
        r,
        started.elapsed().as_secs_f64(),
        tally.valid,
        tally.findings.len()
    );
    assert!(tally.findings.is_empty(), "{}", tally.findings.join("\n\n"));
}
