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

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use racerun::scenario::{Override, Scenario};

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
            let again = Scenario::load(&resolved, "resolved.toml", &[])
                .map_err(|e| format!("the resolved scenario does not load back: {e}\n{resolved}"))?;
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

/// The keys the corpus uses, from the resolved form of every seed that loads: world keys
/// by table, lab keys, and policy keys by kind.
#[derive(Debug, Clone, Default)]
struct Keys {
    world: Vec<(String, Vec<String>)>,
    lab: Vec<String>,
    policies: Vec<(String, Vec<String>)>,
    top: Vec<String>,
}

fn keys(corpus: &[(String, String)]) -> Keys {
    let mut world: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut lab = BTreeSet::new();
    let mut policies: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut top = BTreeSet::new();
    for (name, text) in corpus {
        let Ok(s) = Scenario::load(text, name, &[]) else {
            continue;
        };
        let tree: toml::Table = toml::from_str(&s.to_toml()).unwrap();
        for (k, v) in &tree {
            match (k.as_str(), v) {
                ("world", toml::Value::Table(groups)) => {
                    for (g, t) in groups {
                        if let Some(t) = t.as_table() {
                            world.entry(g.clone()).or_default().extend(t.keys().cloned());
                        }
                    }
                }
                ("labs", toml::Value::Array(labs)) => {
                    for l in labs.iter().filter_map(|l| l.as_table()) {
                        lab.extend(l.keys().filter(|k| *k != "policy").cloned());
                        if let Some(p) = l.get("policy").and_then(|p| p.as_table()) {
                            let kind = p.get("kind").and_then(|k| k.as_str()).unwrap_or("");
                            policies
                                .entry(kind.to_string())
                                .or_default()
                                .extend(p.keys().filter(|k| *k != "kind").cloned());
                        }
                    }
                }
                _ => {
                    top.insert(k.clone());
                }
            }
        }
    }
    let flat = |m: BTreeMap<String, BTreeSet<String>>| {
        m.into_iter()
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect()
    };
    Keys {
        world: flat(world),
        lab: lab.into_iter().collect(),
        policies: flat(policies),
        top: top.into_iter().collect(),
    }
}

// --- generators ---------------------------------------------------------------------

/// TOML literals at the edges: zero, signs, tiny and huge, non-finite, wrong types.
fn literal() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "0", "-0", "0.0", "-0.0", "1", "-1", "0.5", "1.5", "2", "1e-300", "5e-324", "1e300",
        "1.7976931348623157e308", "-1e308", "inf", "-inf", "nan", "4294967295", "4294967296",
        "9223372036854775807", "-9223372036854775808", "1e9", "1e18", "true", "false", "\"\"",
        "\"x\"", "\"2023-01\"", "\"9999-12\"", "\"0000-01\"", "\"2023-13\"", "\"all\"",
        "\"orders\"", "\"fixed\"", "[]", "[1, 2]", "{}", "\"\\u0000\"", "\"ÿ\u{202e}\"",
        "{ dist = \"uniform\", min = 0, max = 1 }",
        "{ dist = \"uniform\", min = 1, max = 0 }",
        "{ dist = \"normal\", mean = 0, sd = 1e308 }",
        "{ dist = \"lognormal\", median = 1e-300, sigma = 50 }",
        "{ dist = \"triangular\", min = 0, mode = 2, max = 1 }",
        "{ dist = \"nope\" }",
    ]);
    prop_oneof![
        4 => fixed.prop_map(String::from),
        2 => any::<f64>().prop_map(|v| toml::Value::Float(v).to_string()),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => (0u32..300).prop_map(|v| v.to_string()),
    ]
}

fn pick(v: &[String]) -> impl Strategy<Value = String> + use<> {
    prop::sample::select(v.to_vec())
}

/// A scenario built from known keys with edge values: the loader's checks, not its parser.
fn structured(keys: &Keys) -> impl Strategy<Value = String> + use<> {
    let tops = prop::collection::vec((pick(&keys.top), literal()), 0..4);
    let groups: Vec<String> = keys.world.iter().map(|(g, _)| g.clone()).collect();
    let world_keys: Vec<(String, String)> = keys
        .world
        .iter()
        .flat_map(|(g, ks)| ks.iter().map(move |k| (g.clone(), k.clone())))
        .collect();
    let world = prop::collection::vec((prop::sample::select(world_keys), literal()), 0..8);
    let kinds: Vec<(String, Vec<String>)> = keys.policies.clone();
    let policy = (prop::sample::select(kinds), prop::collection::vec(literal(), 0..4)).prop_map(
        |((kind, ks), vals)| {
            let mut s = format!("{{ kind = \"{kind}\"");
            for (k, v) in ks.iter().zip(vals) {
                s.push_str(&format!(", {k} = {v}"));
            }
            s + " }"
        },
    );
    let lab = (
        prop::sample::select(vec!["a", "b", "all", "a", "", "x y", "ünï"]),
        prop::collection::vec((pick(&keys.lab), literal()), 0..5),
        prop::option::of(policy),
    );
    let labs = prop::collection::vec(lab, 0..5);
    let _ = groups;
    (tops, world, labs).prop_map(|(tops, world, labs)| {
        let mut text = String::from("name = \"fuzz\"\n");
        for (k, v) in tops {
            text.push_str(&format!("{k} = {v}\n"));
        }
        let mut by_group: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for ((g, k), v) in world {
            by_group.entry(g).or_default().push((k, v));
        }
        for (g, kvs) in by_group {
            text.push_str(&format!("[world.{g}]\n"));
            let mut seen = BTreeSet::new();
            for (k, v) in kvs.into_iter().filter(|(k, _)| seen.insert(k.clone())) {
                text.push_str(&format!("{k} = {v}\n"));
            }
        }
        for (id, kvs, policy) in labs {
            text.push_str(&format!("[[labs]]\nid = \"{id}\"\n"));
            let mut seen = BTreeSet::from(["id".to_string()]);
            for (k, v) in kvs.into_iter().filter(|(k, _)| seen.insert(k.clone())) {
                text.push_str(&format!("{k} = {v}\n"));
            }
            if let Some(p) = policy {
                text.push_str(&format!("policy = {p}\n"));
            }
        }
        text
    })
}

/// A change to one leaf of a resolved seed.
#[derive(Debug, Clone)]
enum Leaf {
    /// Set it to a literal.
    Set(String),
    /// Multiply a number by a factor (whole numbers stay whole).
    Scale(f64),
    /// Remove it (its default applies).
    Remove,
}

fn leaf() -> impl Strategy<Value = Leaf> {
    prop_oneof![
        1 => literal().prop_map(Leaf::Set),
        2 => prop::sample::select(vec![0.0, -1.0, 1e-9, 0.01, 0.5, 0.99, 1.01, 2.0, 10.0, 1e3, 1e9])
            .prop_map(Leaf::Scale),
        1 => Just(Leaf::Remove),
    ]
}

/// Every leaf path of a tree (table keys and array indices).
fn leaves(v: &toml::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                path.push(k.clone());
                leaves(x, path, out);
                path.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn slot<'a>(v: &'a mut toml::Value, path: &[String]) -> Option<&'a mut toml::Value> {
    path.iter().try_fold(v, |v, seg| match v {
        toml::Value::Table(t) => t.get_mut(seg),
        toml::Value::Array(a) => a.get_mut(seg.parse::<usize>().ok()?),
        _ => None,
    })
}

/// A resolved seed with some leaves changed, and perhaps a lab dropped or repeated.
fn edit_resolved(resolved: &str, changes: &[(usize, Leaf)], labs: (u8, usize)) -> String {
    let mut tree = toml::Value::Table(toml::from_str(resolved).unwrap());
    let mut paths = Vec::new();
    leaves(&tree, &mut Vec::new(), &mut paths);
    for (i, change) in changes {
        let path = &paths[i % paths.len()];
        match change {
            Leaf::Remove => {
                let (last, parent) = path.split_last().unwrap();
                if let Some(toml::Value::Table(t)) = slot(&mut tree, parent) {
                    t.remove(last);
                }
            }
            Leaf::Set(lit) => {
                if let (Some(v), Ok(mut t)) = (
                    slot(&mut tree, path),
                    toml::from_str::<toml::Table>(&format!("v = {lit}")),
                ) {
                    *v = t.remove("v").unwrap();
                }
            }
            Leaf::Scale(f) => match slot(&mut tree, path) {
                Some(toml::Value::Float(x)) => *x *= f,
                Some(toml::Value::Integer(x)) => *x = (*x as f64 * f) as i64,
                _ => {}
            },
        }
    }
    if let Some(toml::Value::Array(labs_list)) = tree.get_mut("labs")
        && !labs_list.is_empty()
    {
        let i = labs.1 % labs_list.len();
        match labs.0 % 4 {
            0 => {
                labs_list.remove(i);
            }
            1 => {
                let mut copy = labs_list[i].clone();
                if let Some(t) = copy.as_table_mut() {
                    t.insert("id".into(), toml::Value::String(format!("copy{i}")));
                    t.remove("color");
                }
                labs_list.push(copy);
            }
            _ => {}
        }
    }
    toml::to_string(&tree).unwrap_or_default()
}

/// One edit of a seed's bytes or lines.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    DupLine(usize),
    DropLine(usize),
    Number(usize, String),
    Splice(usize, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let pos = any::<usize>();
    prop_oneof![
        (pos.clone(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        (
            pos.clone(),
            prop::sample::select(b"=[]{}\"'.,#\n\r\\0-e+_ \t\x00\xff".to_vec())
        )
            .prop_map(|(p, b)| Edit::Insert(p, b)),
        (pos.clone(), 1usize..16).prop_map(|(p, n)| Edit::Delete(p, n)),
        pos.clone().prop_map(Edit::DupLine),
        pos.clone().prop_map(Edit::DropLine),
        (pos.clone(), literal()).prop_map(|(p, v)| Edit::Number(p, v)),
        (pos.clone(), pos.clone(), pos).prop_map(|(a, b, c)| Edit::Splice(a, b, c)),
    ]
}

fn apply(seed: &str, other: &str, edits: &[Edit]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for e in edits {
        let n = bytes.len().max(1);
        let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
        let l = lines.len();
        match e {
            Edit::Flip(p, b) if !bytes.is_empty() => bytes[p % n] ^= b | 1,
            Edit::Insert(p, b) => bytes.insert(p % (bytes.len() + 1), *b),
            Edit::Delete(p, k) if !bytes.is_empty() => {
                let at = p % n;
                bytes.drain(at..(at + k).min(bytes.len()));
            }
            Edit::DupLine(i) => {
                let line = lines[i % l].clone();
                lines.insert(i % l, line);
                bytes = lines.join(&b'\n');
            }
            Edit::DropLine(i) => {
                lines.remove(i % l);
                bytes = lines.join(&b'\n');
            }
            Edit::Number(i, v) => {
                // Replace the value of a `key = value` line.
                let line = &mut lines[i % l];
                if let Some(eq) = line.iter().position(|b| *b == b'=') {
                    line.truncate(eq + 1);
                    line.push(b' ');
                    line.extend_from_slice(v.as_bytes());
                }
                bytes = lines.join(&b'\n');
            }
            Edit::Splice(at, from, len) => {
                let o: Vec<&str> = other.lines().collect();
                if !o.is_empty() {
                    let start = from % o.len();
                    let chunk = o[start..(start + len % 8 + 1).min(o.len())].join("\n");
                    let mut line_bytes = chunk.into_bytes();
                    line_bytes.push(b'\n');
                    let at = at % (l + 1);
                    lines.insert(at, line_bytes);
                    bytes = lines.join(&b'\n');
                }
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `--set PATH=VALUE` from known paths (labs by the baseline's ids) and edge values.
fn structured_set(keys: &Keys) -> impl Strategy<Value = String> + use<> {
    let mut paths: Vec<String> = keys.top.clone();
    for (g, ks) in &keys.world {
        paths.push(format!("world.{g}"));
        paths.extend(ks.iter().map(|k| format!("world.{g}.{k}")));
    }
    for id in ["alpha", "beta", "gamma", "delta", "0"] {
        paths.push(format!("labs.{id}"));
        paths.extend(keys.lab.iter().map(|k| format!("labs.{id}.{k}")));
        for (_, ks) in &keys.policies {
            paths.extend(ks.iter().map(|k| format!("labs.{id}.policy.{k}")));
        }
        paths.push(format!("labs.{id}.policy.kind"));
        paths.push(format!("labs.{id}.policy.points.0.train"));
    }
    (prop::sample::select(paths), literal()).prop_map(|(p, v)| format!("{p}={v}"))
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
        TestRunner::new_with_rng(config.clone(), TestRng::from_seed(RngAlgorithm::ChaCha, &key))
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
    let report_resolved = |r: Result<(), TestError<(usize, Vec<(usize, Leaf)>, (u8, usize))>>| {
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
    for (name, text) in ctx.corpus.iter().filter(|(n, _)| n.starts_with("scenarios/")) {
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
