//! The fuzz harness's generators: edge values, structured scenarios built from the
//! corpus's keys, edits of resolved scenarios, byte and line mutations of the corpus, and
//! `--set` arguments. Each returns a proptest strategy (shrinkable).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use racerun::scenario::Scenario;

/// The keys the corpus uses, from the resolved form of every seed that loads: world keys
/// by table, lab keys, and policy keys by kind.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub world: Vec<(String, Vec<String>)>,
    pub lab: Vec<String>,
    pub policies: Vec<(String, Vec<String>)>,
    pub top: Vec<String>,
}

pub fn keys(corpus: &[(String, String)]) -> Keys {
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
                            world
                                .entry(g.clone())
                                .or_default()
                                .extend(t.keys().cloned());
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
pub fn literal() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1",
        "-1",
        "0.5",
        "1.5",
        "2",
        "1e-300",
        "5e-324",
        "1e300",
        "1.7976931348623157e308",
        "-1e308",
        "inf",
        "-inf",
        "nan",
        "4294967295",
        "4294967296",
        "9223372036854775807",
        "-9223372036854775808",
        "1e9",
        "1e18",
        "true",
        "false",
        "\"\"",
        "\"x\"",
        "\"2023-01\"",
        "\"9999-12\"",
        "\"0000-01\"",
        "\"2023-13\"",
        "\"all\"",
        "\"orders\"",
        "\"fixed\"",
        "[]",
        "[1, 2]",
        "{}",
        "\"\\u0000\"",
        "\"ÿ\u{202e}\"",
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
pub fn structured(keys: &Keys) -> impl Strategy<Value = String> + use<> {
    let tops = prop::collection::vec((pick(&keys.top), literal()), 0..4);
    let world_keys: Vec<(String, String)> = keys
        .world
        .iter()
        .flat_map(|(g, ks)| ks.iter().map(move |k| (g.clone(), k.clone())))
        .collect();
    let world = prop::collection::vec((prop::sample::select(world_keys), literal()), 0..8);
    let kinds: Vec<(String, Vec<String>)> = keys.policies.clone();
    let policy = (
        prop::sample::select(kinds),
        prop::collection::vec(literal(), 0..4),
    )
        .prop_map(|((kind, ks), vals)| {
            let mut s = format!("{{ kind = \"{kind}\"");
            for (k, v) in ks.iter().zip(vals) {
                s.push_str(&format!(", {k} = {v}"));
            }
            s + " }"
        });
    let lab = (
        prop::sample::select(vec!["a", "b", "all", "a", "", "x y", "ünï"]),
        prop::collection::vec((pick(&keys.lab), literal()), 0..5),
        prop::option::of(policy),
    );
    let labs = prop::collection::vec(lab, 0..5);
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
pub enum Leaf {
    /// Set it to a literal.
    Set(String),
    /// Multiply a number by a factor (whole numbers stay whole).
    Scale(f64),
    /// Remove it (its default applies).
    Remove,
}

pub fn leaf() -> impl Strategy<Value = Leaf> {
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
pub fn edit_resolved(resolved: &str, changes: &[(usize, Leaf)], labs: (u8, usize)) -> String {
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
pub enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    DupLine(usize),
    DropLine(usize),
    Number(usize, String),
    Splice(usize, usize, usize),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    let pos = any::<usize>();
    prop_oneof![
        (pos, any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        (
            pos,
            prop::sample::select(b"=[]{}\"'.,#\n\r\\0-e+_ \t\x00\xff".to_vec())
        )
            .prop_map(|(p, b)| Edit::Insert(p, b)),
        (pos, 1usize..16).prop_map(|(p, n)| Edit::Delete(p, n)),
        pos.prop_map(Edit::DupLine),
        pos.prop_map(Edit::DropLine),
        (pos, literal()).prop_map(|(p, v)| Edit::Number(p, v)),
        (pos, pos, pos).prop_map(|(a, b, c)| Edit::Splice(a, b, c)),
    ]
}

pub fn apply(seed: &str, other: &str, edits: &[Edit]) -> String {
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
pub fn structured_set(keys: &Keys) -> impl Strategy<Value = String> + use<> {
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
