//! Uncertain inputs: a distribution in place of a number.
//!
//! Any real-valued parameter may be written as `{ dist = "lognormal", p5 = 60, p95 = 120 }`
//! (or `uniform` with `min`, `max`; `normal` with `mean`, `sd`; `triangular` with `min`,
//! `mode`, `max`; `loguniform` with `min`, `max`). Loading finds these tables in the TOML
//! tree before serde sees it, checks them, and puts the distribution's median in their
//! place, so the rest of validation runs on an ordinary scenario. The distributions are
//! kept in [`Scenario::uncertain`]; each Monte Carlo run draws its own values from its own
//! generator ([`input_rng`]) and simulates the scenario with them ([`Realizer`]).
//!
//! **Choice: finite support.** Normal and lognormal are truncated to their 0.1% and 99.9%
//! quantiles, so every distribution has a finite support and every draw can be checked:
//! the whole support must lie inside the parameter's valid range (a normal on a
//! probability is refused unless it is narrow enough), and the cross-field rules (initial
//! customer shares summing to at most 1, `min_train <= max_train`) must hold at the
//! support's ends. Draws are then valid by construction.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use toml::{Table, Value};

use super::params::{self, Kind};
use super::validate::Seg;
use super::{Scenario, ScenarioFile, suggest};
use crate::policy::PolicySpec;

/// Probability cut from each tail of a normal or lognormal (see the module docs).
pub const TAIL: f64 = 0.001;

/// z-score of the 95th percentile of a standard normal.
const Z95: f64 = 1.644_853_626_951_472_2;

/// A distribution of one uncertain input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    /// Lognormal with the given 5th and 95th percentiles (`0 < p5 < p95`).
    Lognormal {
        /// 5th percentile.
        p5: f64,
        /// 95th percentile.
        p95: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal (`sd >= 0`), truncated to its 0.1%-99.9% quantiles.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Log-uniform on `[min, max]`, `0 < min < max`: every decade equally likely.
    Loguniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

/// Names of the distributions with their parameters, as written in a file.
pub const DISTS: &[(&str, &[&str])] = &[
    ("lognormal", &["p5", "p95"]),
    ("uniform", &["min", "max"]),
    ("normal", &["mean", "sd"]),
    ("triangular", &["min", "mode", "max"]),
    ("loguniform", &["min", "max"]),
];

impl Dist {
    /// The value below which a share `u` (in [0, 1]) of draws fall: the inverse CDF.
    /// A uniform `u` gives a draw.
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let trunc = TAIL + (1.0 - 2.0 * TAIL) * u;
        match *self {
            Dist::Lognormal { p5, p95 } => {
                let (mu, sigma) = lognormal_params(p5, p95);
                (mu + sigma * normal_quantile(trunc)).exp()
            }
            Dist::Uniform { min, max } => min + (max - min) * u,
            Dist::Normal { mean, sd } => mean + sd * normal_quantile(trunc),
            Dist::Triangular { min, mode, max } => {
                let width = max - min;
                let left = (mode - min) / width;
                if u < left {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
            Dist::Loguniform { min, max } => (min.ln() + u * (max.ln() - min.ln())).exp(),
        }
    }

    /// The median: the value a scenario with this input shows when not sampled.
    pub fn median(&self) -> f64 {
        match *self {
            Dist::Lognormal { p5, p95 } => (p5 * p95).sqrt(),
            Dist::Normal { mean, .. } => mean,
            _ => self.quantile(0.5),
        }
    }

    /// The smallest and largest value a draw can take.
    pub fn support(&self) -> (f64, f64) {
        (self.quantile(0.0), self.quantile(1.0))
    }

    /// The distribution's name as written in a file.
    pub fn name(&self) -> &'static str {
        match self {
            Dist::Lognormal { .. } => "lognormal",
            Dist::Uniform { .. } => "uniform",
            Dist::Normal { .. } => "normal",
            Dist::Triangular { .. } => "triangular",
            Dist::Loguniform { .. } => "loguniform",
        }
    }

    fn params(&self) -> Vec<(&'static str, f64)> {
        match *self {
            Dist::Lognormal { p5, p95 } => vec![("p5", p5), ("p95", p95)],
            Dist::Uniform { min, max } | Dist::Loguniform { min, max } => {
                vec![("min", min), ("max", max)]
            }
            Dist::Normal { mean, sd } => vec![("mean", mean), ("sd", sd)],
            Dist::Triangular { min, mode, max } => {
                vec![("min", min), ("mode", mode), ("max", max)]
            }
        }
    }

    /// The inline table as written in a file: `{ dist = "uniform", min = 0, max = 2 }`.
    pub fn to_inline(&self) -> String {
        let mut out = format!("{{ dist = \"{}\"", self.name());
        for (k, v) in self.params() {
            out.push_str(&format!(", {k} = {}", Value::Float(v)));
        }
        out.push_str(" }");
        out
    }

    /// The distribution as a TOML table.
    pub fn to_value(&self) -> Value {
        let mut t = Table::new();
        t.insert("dist".into(), Value::String(self.name().into()));
        for (k, v) in self.params() {
            t.insert(k.into(), Value::Float(v));
        }
        Value::Table(t)
    }

    /// Reads a `{ dist = ... }` table. The error is (what was expected, what was found).
    pub fn parse(table: &Table) -> Result<Dist, (String, String)> {
        let got = Value::Table(table.clone()).to_string();
        let names: Vec<&str> = DISTS.iter().map(|(n, _)| *n).collect();
        let Some(name) = table.get("dist").and_then(Value::as_str) else {
            return Err((
                format!("`dist` to be one of {}", names.join(", ")),
                got.clone(),
            ));
        };
        let Some((_, keys)) = DISTS.iter().find(|(n, _)| *n == name) else {
            let hint = suggest(name, names.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err((
                format!("a distribution named one of {}{hint}", names.join(", ")),
                format!("\"{name}\""),
            ));
        };
        let with = |what: String| (format!("{what} for a {name} distribution"), got.clone());
        for k in table.keys().filter(|k| *k != "dist") {
            if !keys.contains(&k.as_str()) {
                return Err(with(format!(
                    "only the keys dist, {} (unknown key `{k}`)",
                    keys.join(", ")
                )));
            }
        }
        let mut v = Vec::with_capacity(keys.len());
        for k in *keys {
            let x = match table.get(*k) {
                Some(Value::Float(f)) => *f,
                Some(Value::Integer(i)) => *i as f64,
                Some(_) => return Err(with(format!("`{k}` to be a number"))),
                None => return Err(with(format!("`{}` all given", keys.join("`, `")))),
            };
            if !x.is_finite() {
                return Err(with(format!("`{k}` to be a finite number")));
            }
            v.push(x);
        }
        let dist = match name {
            "lognormal" => {
                if !(v[0] > 0.0 && v[0] < v[1]) {
                    return Err(with("0 < p5 < p95".into()));
                }
                Dist::Lognormal {
                    p5: v[0],
                    p95: v[1],
                }
            }
            "uniform" => {
                if v[0] >= v[1] {
                    return Err(with("min < max".into()));
                }
                Dist::Uniform {
                    min: v[0],
                    max: v[1],
                }
            }
            "normal" => {
                if v[1] < 0.0 {
                    return Err(with("sd >= 0".into()));
                }
                Dist::Normal {
                    mean: v[0],
                    sd: v[1],
                }
            }
            "triangular" => {
                if !(v[0] < v[2] && v[0] <= v[1] && v[1] <= v[2]) {
                    return Err(with("min <= mode <= max and min < max".into()));
                }
                Dist::Triangular {
                    min: v[0],
                    mode: v[1],
                    max: v[2],
                }
            }
            _ => {
                if !(v[0] > 0.0 && v[0] < v[1]) {
                    return Err(with("0 < min < max".into()));
                }
                Dist::Loguniform {
                    min: v[0],
                    max: v[1],
                }
            }
        };
        Ok(dist)
    }
}

impl std::fmt::Display for Dist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let params: Vec<String> = self
            .params()
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        write!(f, "{}({})", self.name(), params.join(", "))
    }
}

/// A number to six significant digits, for messages.
fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return v.to_string();
    }
    let digits = (5 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{v:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn lognormal_params(p5: f64, p95: f64) -> (f64, f64) {
    let (a, b) = (p5.ln(), p95.ln());
    ((a + b) / 2.0, (b - a) / (2.0 * Z95))
}

/// Inverse CDF of the standard normal (Acklam's rational approximation, relative error
/// below 1.2e-9), for `p` in (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

/// One uncertain input of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain {
    /// Dotted path as a user writes it, labs by id (`labs.alpha.fleet`).
    pub path: String,
    /// The distribution.
    pub dist: Dist,
    /// Where the value sits in the resolved tree.
    segs: Vec<Seg>,
}

impl Uncertain {
    /// The `runs.csv` column of this input: `input.<path>`.
    pub fn column(&self) -> String {
        format!("input.{}", self.path)
    }

    pub(super) fn segs(&self) -> &[Seg] {
        &self.segs
    }
}

/// Where an error about a distribution is reported: (display path, segments) -> `at`.
pub(super) type Locate<'a> = &'a dyn Fn(&str, &[Seg]) -> String;

/// Finds every `{ dist = ... }` table at a number's place in `tree`, checks it against
/// the parameter catalogue and puts its median in its place. Returns them in file order.
pub(super) fn extract(
    tree: &mut Table,
    at: Locate<'_>,
) -> Result<Vec<Uncertain>, super::ScenarioError> {
    let mut found = Vec::new();
    walk_table(
        tree,
        &mut Vec::new(),
        &mut Vec::new(),
        &mut Vec::new(),
        at,
        &mut found,
    )?;
    Ok(found)
}

fn walk_table(
    table: &mut Table,
    generic: &mut Vec<String>,
    display: &mut Vec<String>,
    segs: &mut Vec<Seg>,
    at: Locate<'_>,
    found: &mut Vec<Uncertain>,
) -> Result<(), super::ScenarioError> {
    for (k, v) in table.iter_mut() {
        generic.push(k.clone());
        display.push(k.clone());
        segs.push(Seg::Key(k.clone()));
        walk_value(v, generic, display, segs, at, found)?;
        generic.pop();
        display.pop();
        segs.pop();
    }
    Ok(())
}

fn walk_value(
    value: &mut Value,
    generic: &mut Vec<String>,
    display: &mut Vec<String>,
    segs: &mut Vec<Seg>,
    at: Locate<'_>,
    found: &mut Vec<Uncertain>,
) -> Result<(), super::ScenarioError> {
    match value {
        Value::Table(t) if t.contains_key("dist") => {
            let gpath = generic.join(".");
            // A `dist` key where no number belongs is left to serde ("unknown field").
            let Some(spec) = params::find(&gpath) else {
                return Ok(());
            };
            let path = display.join(".");
            let invalid = |expected: String, got: String| super::ScenarioError::Invalid {
                at: at(&path, segs),
                field: path.clone(),
                expected,
                got,
            };
            let got = value.to_string();
            match spec.kind {
                Kind::Real => {}
                Kind::Int => {
                    return Err(invalid(
                        "a whole number: a distribution where a whole number is needed cannot \
                         be sampled (only real-valued parameters may be uncertain)"
                            .into(),
                        got,
                    ));
                }
                other => {
                    return Err(invalid(
                        format!(
                            "a {}: only real-valued parameters may be uncertain",
                            other.name()
                        ),
                        got,
                    ));
                }
            }
            let Value::Table(t) = &*value else {
                unreachable!()
            };
            let dist = Dist::parse(t).map_err(|(e, g)| invalid(e, g))?;
            let (lo, hi) = dist.support();
            if let Some(range) = spec.range.filter(|r| !(r.contains(lo) && r.contains(hi))) {
                let unit = if spec.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", spec.unit)
                };
                let cut = if matches!(dist, Dist::Normal { .. } | Dist::Lognormal { .. }) {
                    " (its 0.1%-99.9% quantiles)"
                } else {
                    ""
                };
                return Err(invalid(
                    format!("a distribution whose draws stay in {range}{unit}"),
                    format!("{dist}, which spans {} to {}{cut}", short(lo), short(hi)),
                ));
            }
            *value = Value::Float(dist.median());
            found.push(Uncertain {
                path,
                dist,
                segs: segs.clone(),
            });
            Ok(())
        }
        Value::Table(t) => walk_table(t, generic, display, segs, at, found),
        Value::Array(items) => {
            let labs = generic.len() == 1 && generic[0] == "labs";
            for (i, item) in items.iter_mut().enumerate() {
                let name = if labs {
                    item.get("id")
                        .and_then(Value::as_str)
                        .map_or_else(|| i.to_string(), String::from)
                } else {
                    i.to_string()
                };
                generic.push("*".into());
                display.push(name);
                segs.push(Seg::Index(i));
                walk_value(item, generic, display, segs, at, found)?;
                generic.pop();
                display.pop();
                segs.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Checks the cross-field rules on real values at the ends of every uncertain input's
/// support: initial customer shares sum to at most 1, and a `serve_first` policy's
/// `min_train` stays at most its `max_train`. The error is (path, expected, got).
pub(super) fn check_support_rules(
    file: &ScenarioFile,
    uncertain: &[Uncertain],
) -> Result<(), (String, String, String)> {
    let bounds = |path: &str, value: f64| -> (f64, f64) {
        uncertain
            .iter()
            .find(|u| u.path == path)
            .map_or((value, value), |u| u.dist.support())
    };
    let mut shares = 0.0;
    let mut any = false;
    for lab in &file.labs {
        let path = format!("labs.{}.customers", lab.id);
        any |= uncertain.iter().any(|u| u.path == path);
        shares += bounds(&path, lab.customers.unwrap_or(0.0)).1;
        if let PolicySpec::ServeFirst(p) = &lab.policy {
            let min = bounds(&format!("labs.{}.policy.min_train", lab.id), p.min_train);
            let max = bounds(&format!("labs.{}.policy.max_train", lab.id), p.max_train);
            if min.1 > max.0 {
                return Err((
                    format!("labs.{}.policy.min_train", lab.id),
                    format!(
                        "at most max_train in every draw (max_train can be as low as {})",
                        max.0
                    ),
                    format!("draws up to {}", min.1),
                ));
            }
        }
    }
    if any && shares > 1.0 + 1e-9 {
        return Err((
            "labs.*.customers".into(),
            "initial customer shares summing to at most 1 in every draw".into(),
            format!("up to {shares} at the top of the distributions"),
        ));
    }
    Ok(())
}

/// Rewrites the text with each distribution that the file writes as an inline table
/// replaced by its median, padded with spaces to the same length, so that the typed parse
/// of the text still reports every other error at its line and column. `None` when some
/// distribution is not an inline table (then errors are reported without a position).
pub(super) fn patch_text(
    text: &str,
    found: &[Uncertain],
    locate: impl Fn(&[Seg]) -> Option<std::ops::Range<usize>>,
) -> Option<String> {
    let mut spans: Vec<(std::ops::Range<usize>, f64)> = Vec::with_capacity(found.len());
    for u in found {
        let span = locate(&u.segs)?;
        if !text.get(span.clone())?.starts_with('{') {
            return None;
        }
        spans.push((span, u.dist.median()));
    }
    spans.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
    let mut out = text.to_string();
    for (span, median) in spans {
        let literal = Value::Float(median).to_string();
        let original = &text[span.clone()];
        let mut replaced = literal.clone();
        // Keep line breaks (multi-line inline tables), blank everything else.
        for c in original.chars().skip(literal.chars().count()) {
            replaced.push(if c == '\n' { '\n' } else { ' ' });
        }
        out.replace_range(span, &replaced);
    }
    Some(out)
}

/// Writes each uncertain input's distribution back in its place in a resolved tree.
pub(super) fn restore(tree: &mut Value, uncertain: &[Uncertain]) {
    for u in uncertain {
        if let Some(slot) = slot(tree, &u.segs) {
            *slot = u.dist.to_value();
        }
    }
}

fn slot<'a>(tree: &'a mut Value, segs: &[Seg]) -> Option<&'a mut Value> {
    let mut v = tree;
    for s in segs {
        v = match s {
            Seg::Key(k) => v.as_table_mut()?.get_mut(k)?,
            Seg::Index(i) => v.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(v)
}

/// The generator of run `run`'s input draws: the engine's generator for (seed, run)
/// ([`crate::engine::run_rng`]), moved 2^64 words ahead, where a run's engine never
/// reaches. Input draws therefore depend on (seed, run) only, and adding uncertainty
/// leaves the engine's own draws (release luck, delays, demand shocks) unchanged.
pub fn input_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng.set_word_pos(1u128 << 64);
    rng
}

/// The parameters that [`crate::engine::Calendar`] reads (catalogue paths). A test checks
/// that no other real parameter changes the calendar.
pub const CALENDAR_PARAMS: &[&str] = &[
    "world.algorithms.algo_progress",
    "world.demand.growth",
    "world.market.price_decline",
    "world.gpus.price",
    "world.gpus.price_halving_months",
    "world.gpus.supply",
    "world.gpus.supply_growth",
    "world.gpus.wave_multiplier",
    "labs.*.funding",
    "labs.*.funding_growth",
];

/// Builds the concrete scenario of a run from its drawn input values.
#[derive(Debug, Clone)]
pub struct Realizer<'a> {
    scenario: &'a Scenario,
    tree: Value,
    calendar: bool,
}

impl<'a> Realizer<'a> {
    /// Prepares the resolved tree of `scenario` once, for many runs.
    pub fn new(scenario: &'a Scenario) -> Realizer<'a> {
        let tree = Value::try_from(scenario.file()).unwrap_or(Value::Table(Table::new()));
        let calendar = scenario.uncertain().iter().any(|u| {
            let generic: Vec<&str> = u
                .segs
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => k.as_str(),
                    Seg::Index(_) => "*",
                })
                .collect();
            CALENDAR_PARAMS.contains(&generic.join(".").as_str())
        });
        Realizer {
            scenario,
            tree,
            calendar,
        }
    }

    /// Whether a run's draws can change the scenario's [`crate::engine::Calendar`]; when
    /// not, every run shares the calendar computed once.
    pub fn changes_calendar(&self) -> bool {
        self.calendar
    }

    /// The uncertain inputs, in the order of the values.
    pub fn inputs(&self) -> &'a [Uncertain] {
        self.scenario.uncertain()
    }

    /// Run `run`'s values of the uncertain inputs under master seed `seed`: one uniform
    /// per input from [`input_rng`], in input order (that of [`Scenario::uncertain`]),
    /// through the input's quantile function.
    pub fn draw(&self, seed: u64, run: u64) -> Vec<f64> {
        let mut rng = input_rng(seed, run);
        self.inputs()
            .iter()
            .map(|u| u.dist.quantile(rng.random::<f64>()))
            .collect()
    }

    /// The scenario with input `k` set to `values[k]`, no longer uncertain. Values come
    /// from the inputs' supports, which validation checked, so the result is valid.
    ///
    /// The resolved file is cloned and each value written in its field directly; a
    /// parameter this fast path does not know goes through the resolved TOML tree and
    /// serde instead (slower, same result).
    pub fn scenario(&self, values: &[f64]) -> Scenario {
        let base = self.scenario.file();
        let mut file = base.clone();
        let direct =
            self.inputs()
                .iter()
                .zip(values)
                .all(|(u, v)| match real_field(&mut file, &u.segs) {
                    Some(slot) => {
                        *slot = *v;
                        true
                    }
                    None => false,
                });
        if !direct {
            let mut tree = self.tree.clone();
            for (u, v) in self.inputs().iter().zip(values) {
                if let Some(slot) = slot(&mut tree, &u.segs) {
                    *slot = Value::Float(*v);
                }
            }
            file = tree.try_into().unwrap_or_else(|_| base.clone());
            // Fields that serde skips, derived by validation from text that draws never
            // change.
            for (lab, b) in file.labs.iter_mut().zip(&base.labs) {
                if let (PolicySpec::Schedule(p), PolicySpec::Schedule(bp)) =
                    (&mut lab.policy, &b.policy)
                {
                    for (pt, bpt) in p.points.iter_mut().zip(&bp.points) {
                        pt.month = bpt.month;
                    }
                }
            }
        }
        Scenario {
            file,
            start: self.scenario.start(),
            uncertain: Vec::new(),
        }
    }
}

/// The field of a real-valued parameter, for the fast path of [`Realizer::scenario`].
fn real_field<'a>(file: &'a mut ScenarioFile, segs: &[Seg]) -> Option<&'a mut f64> {
    let keys: Vec<&str> = segs
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Index(_) => "*",
        })
        .collect();
    let index = |n: usize| match segs.get(n) {
        Some(Seg::Index(i)) => Some(*i),
        _ => None,
    };
    let w = &mut file.world;
    Some(match keys.as_slice() {
        ["world", "algorithms", k] => match *k {
            "algo_progress" => &mut w.algorithms.algo_progress,
            "flop_per_h100e_month" => &mut w.algorithms.flop_per_h100e_month,
            "q0" => &mut w.algorithms.q0,
            "e0" => &mut w.algorithms.e0,
            "elo_per_decade" => &mut w.algorithms.elo_per_decade,
            "release_sigma" => &mut w.algorithms.release_sigma,
            _ => return None,
        },
        ["world", "dynamics", k] => match *k {
            "kappa" => &mut w.dynamics.kappa,
            "research_cap" => &mut w.dynamics.research_cap,
            "phi" => &mut w.dynamics.phi,
            _ => return None,
        },
        ["world", "demand", k] => match *k {
            "d0" => &mut w.demand.d0,
            "growth" => &mut w.demand.growth,
            "eta" => &mut w.demand.eta,
            "shock_sigma" => &mut w.demand.shock_sigma,
            "shock_rho" => &mut w.demand.shock_rho,
            _ => return None,
        },
        ["world", "market", k] => match *k {
            "beta" => &mut w.market.beta,
            "switching" => &mut w.market.switching,
            "overflow_loss" => &mut w.market.overflow_loss,
            "churn_unserved" => &mut w.market.churn_unserved,
            "price_decline" => &mut w.market.price_decline,
            _ => return None,
        },
        ["world", "gpus", k] => match *k {
            "price" => &mut w.gpus.price,
            "price_halving_months" => &mut w.gpus.price_halving_months,
            "supply" => &mut w.gpus.supply,
            "supply_growth" => &mut w.gpus.supply_growth,
            "life_months" => &mut w.gpus.life_months,
            "opex_per_h100e" => &mut w.gpus.opex_per_h100e,
            _ => return None,
        },
        ["labs", "*", k] => {
            let lab = file.labs.get_mut(index(1)?)?;
            match *k {
                "fleet" => &mut lab.fleet,
                "cash" => &mut lab.cash,
                "quality" => lab.quality.as_mut()?,
                "customers" => lab.customers.as_mut()?,
                "research_efficiency" => &mut lab.research_efficiency,
                "price" => &mut lab.price,
                "serving_efficiency" => &mut lab.serving_efficiency,
                "brand" => &mut lab.brand,
                "funding" => &mut lab.funding,
                "funding_growth" => &mut lab.funding_growth,
                "reinvest" => &mut lab.reinvest,
                _ => return None,
            }
        }
        ["labs", "*", "policy", k] => {
            let lab = file.labs.get_mut(index(1)?)?;
            match (&mut lab.policy, *k) {
                (PolicySpec::Fixed(p), "train") => &mut p.train,
                (PolicySpec::ServeFirst(p), "min_train") => &mut p.min_train,
                (PolicySpec::ServeFirst(p), "max_train") => &mut p.max_train,
                (PolicySpec::LeaderHarvest(p), "lead_train") => &mut p.lead_train,
                (PolicySpec::LeaderHarvest(p), "chase_train") => &mut p.chase_train,
                (PolicySpec::GapResponse(p), "lead_train") => &mut p.lead_train,
                (PolicySpec::GapResponse(p), "chase_train") => &mut p.chase_train,
                (PolicySpec::GapResponse(p), "midpoint") => &mut p.midpoint,
                (PolicySpec::GapResponse(p), "width") => &mut p.width,
                _ => return None,
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantile_of(mut xs: Vec<f64>, p: f64) -> f64 {
        xs.sort_by(f64::total_cmp);
        xs[((xs.len() - 1) as f64 * p).round() as usize]
    }

    fn draws(d: Dist, n: u64) -> Vec<f64> {
        let mut rng = input_rng(7, 0);
        (0..n).map(|_| d.quantile(rng.random::<f64>())).collect()
    }

    #[test]
    fn sampled_quantiles_match_the_parameters() {
        let n = 100_000;
        let close = |a: f64, b: f64, rel: f64| (a - b).abs() <= rel * b.abs().max(1e-12);

        let x = draws(
            Dist::Lognormal {
                p5: 60.0,
                p95: 120.0,
            },
            n,
        );
        let (p5, p95) = (quantile_of(x.clone(), 0.05), quantile_of(x.clone(), 0.95));
        assert!(close(p5, 60.0, 0.01), "lognormal p5 {p5}");
        assert!(close(p95, 120.0, 0.01), "lognormal p95 {p95}");
        assert!(close(quantile_of(x, 0.5), 7200f64.sqrt(), 0.005));

        let x = draws(Dist::Uniform { min: 2.0, max: 5.0 }, n);
        assert!(x.iter().all(|v| (2.0..=5.0).contains(v)));
        assert!(close(quantile_of(x.clone(), 0.25), 2.75, 0.01));
        assert!(close(quantile_of(x, 0.5), 3.5, 0.01));

        let x = draws(
            Dist::Normal {
                mean: 10.0,
                sd: 2.0,
            },
            n,
        );
        let mean = x.iter().sum::<f64>() / n as f64;
        let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!(close(mean, 10.0, 0.005), "normal mean {mean}");
        // Truncation at 0.1%/99.9% narrows the sd by about 0.4%.
        assert!(close(sd, 2.0, 0.015), "normal sd {sd}");
        assert!(close(quantile_of(x, 0.95), 10.0 + 2.0 * Z95, 0.01));

        let d = Dist::Triangular {
            min: 0.0,
            mode: 0.2,
            max: 1.0,
        };
        let x = draws(d, n);
        assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
        // CDF at the mode is (mode - min) / (max - min) = 0.2.
        let below = x.iter().filter(|v| **v < 0.2).count() as f64 / n as f64;
        assert!(
            (below - 0.2).abs() < 0.005,
            "triangular mass below mode {below}"
        );
        // Density peaks at the mode: the bin around it is the fullest of ten.
        let mut bins = [0u32; 10];
        for v in &x {
            bins[((v * 10.0) as usize).min(9)] += 1;
        }
        let top = (0..10).max_by_key(|&i| bins[i]).unwrap();
        assert!(top == 1 || top == 2, "{bins:?}");

        let x = draws(
            Dist::Loguniform {
                min: 1.0,
                max: 100.0,
            },
            n,
        );
        assert!(close(quantile_of(x.clone(), 0.5), 10.0, 0.02));
        assert!(x.iter().all(|v| (1.0..=100.0).contains(v)));
    }

    #[test]
    fn direct_fields_match_the_serde_path() {
        let text = r#"
name = "t"
[world.dynamics]
kappa = { dist = "uniform", min = 0, max = 2 }
[world.gpus]
supply = { dist = "loguniform", min = 1000, max = 100000 }
wave_multiplier = { dist = "uniform", min = 1, max = 2 }
[[labs]]
id = "a"
fleet = { dist = "lognormal", p5 = 1e4, p95 = 1e5 }
policy = { kind = "serve_first", min_train = { dist = "uniform", min = 0.1, max = 0.4 }, max_train = 0.9 }
[[labs]]
id = "b"
policy = { kind = "gap_response", width = { dist = "triangular", min = 10, mode = 20, max = 50 } }
"#;
        let s = Scenario::load(text, "t.toml", &[]).unwrap();
        assert_eq!(s.uncertain().len(), 6);
        let r = Realizer::new(&s);
        let values = r.draw(3, 9);
        let fast = r.scenario(&values);
        // The serde path, as used for parameters the fast path does not know.
        let mut tree = r.tree.clone();
        for (u, v) in r.inputs().iter().zip(&values) {
            *slot(&mut tree, &u.segs).unwrap() = Value::Float(*v);
        }
        let slow: ScenarioFile = tree.try_into().unwrap();
        assert_eq!(fast.file(), &slow);
        let at = |path: &str| s.uncertain().iter().position(|u| u.path == path).unwrap();
        assert_eq!(
            fast.world.dynamics.kappa,
            values[at("world.dynamics.kappa")]
        );
        assert_eq!(fast.labs[0].fleet, values[at("labs.a.fleet")]);
        // wave_multiplier is not on the fast path: the whole draw took the serde path.
        let wave = &s.uncertain()[at("world.gpus.wave_multiplier")];
        assert!(real_field(&mut s.file().clone(), &wave.segs).is_none());
        let without: Vec<Uncertain> = s
            .uncertain()
            .iter()
            .filter(|u| u.path != wave.path)
            .cloned()
            .collect();
        assert!(
            without
                .iter()
                .all(|u| real_field(&mut s.file().clone(), &u.segs).is_some())
        );
    }

    #[test]
    fn only_calendar_params_change_the_calendar() {
        use crate::engine::Calendar;
        use crate::scenario::Override;
        let text = "name = \"t\"\n[[labs]]\nid = \"a\"\n[[labs]]\nid = \"b\"\n";
        let base = Calendar::new(&Scenario::load(text, "t.toml", &[]).unwrap());
        let mut checked = 0;
        for spec in super::params::PARAMS {
            if spec.kind != Kind::Real
                || spec.path.starts_with("labs.*.policy")
                || CALENDAR_PARAMS.contains(&spec.path)
            {
                continue;
            }
            let Some(range) = spec.range else { continue };
            let value = if range.max.is_finite() && range.max < 1e6 {
                (range.min.max(-1e6) + range.max) / 2.0
            } else {
                range.min.max(0.0) + 1.0
            };
            let value = if range.contains(value) {
                value
            } else {
                range.max
            };
            let path = spec.path.replace("labs.*", "labs.a");
            let o = Override::parse(&format!("{path}={}", Value::Float(value))).unwrap();
            let Ok(s) = Scenario::load(text, "t.toml", &[o]) else {
                continue;
            };
            assert_eq!(Calendar::new(&s), base, "{path} changes the calendar");
            checked += 1;
        }
        assert!(checked > 20, "{checked}");
    }

    #[test]
    fn normal_quantile_is_accurate() {
        assert!(normal_quantile(0.5).abs() < 1e-12);
        assert!((normal_quantile(0.95) - Z95).abs() < 1e-8);
        assert!((normal_quantile(0.001) + 3.090_232_306_167_813).abs() < 1e-8);
    }

    #[test]
    fn bad_distributions_say_what_is_expected() {
        let parse = |s: &str| {
            let t: Table = toml::from_str(&format!("v = {s}")).unwrap();
            Dist::parse(t["v"].as_table().unwrap())
        };
        assert!(
            parse("{ dist = \"lognormal\", p5 = 120, p95 = 60 }")
                .unwrap_err()
                .0
                .contains("0 < p5 < p95")
        );
        assert!(
            parse("{ dist = \"normal\", mean = 1, sd = -1 }")
                .unwrap_err()
                .0
                .contains("sd >= 0")
        );
        let e = parse("{ dist = \"lognormla\", p5 = 1, p95 = 2 }").unwrap_err();
        assert!(e.0.contains("did you mean `lognormal`"), "{e:?}");
        assert!(
            parse("{ dist = \"uniform\", min = 1 }")
                .unwrap_err()
                .0
                .contains("all given")
        );
        assert!(
            parse("{ dist = \"uniform\", min = 1, max = 2, sd = 3 }")
                .unwrap_err()
                .0
                .contains("unknown key `sd`")
        );
        assert!(parse("{ dist = \"triangular\", min = 0, mode = 2, max = 1 }").is_err());
        assert!(parse("{ dist = \"loguniform\", min = 0, max = 1 }").is_err());
        assert_eq!(
            parse("{ dist = \"triangular\", min = 0, mode = 0.5, max = 1 }")
                .unwrap()
                .to_inline(),
            "{ dist = \"triangular\", min = 0.0, mode = 0.5, max = 1.0 }"
        );
    }
}
