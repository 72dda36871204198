//! The parameter catalogue: path, type, unit, default, valid range and meaning of every
//! scenario parameter.
//!
//! Validation checks every leaf of a resolved scenario against this table, and
//! `racerun params` prints it, so the documentation cannot drift from what is enforced:
//! a leaf without an entry here is an internal error caught by the tests.

/// What kind of value a parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A real number.
    Real,
    /// A whole number.
    Int,
    /// `true` or `false`.
    Bool,
    /// Free text.
    Text,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A calendar month, `YYYY-MM`.
    Month,
    /// A colour, `#RRGGBB`.
    Color,
}

impl Kind {
    /// A short name for the kind, as shown by `racerun params`.
    pub fn name(&self) -> String {
        match self {
            Kind::Real => "real".into(),
            Kind::Int => "integer".into(),
            Kind::Bool => "bool".into(),
            Kind::Text => "text".into(),
            Kind::Choice(words) => words.join("|"),
            Kind::Month => "YYYY-MM".into(),
            Kind::Color => "#RRGGBB".into(),
        }
    }
}

/// A closed or half-open numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lower bound.
    pub min: f64,
    /// Whether `min` itself is allowed.
    pub min_inclusive: bool,
    /// Upper bound.
    pub max: f64,
    /// Whether `max` itself is allowed.
    pub max_inclusive: bool,
}

impl Range {
    const fn closed(min: f64, max: f64) -> Range {
        Range {
            min,
            min_inclusive: true,
            max,
            max_inclusive: true,
        }
    }
    const fn open_min(min: f64, max: f64) -> Range {
        Range {
            min,
            min_inclusive: false,
            max,
            max_inclusive: true,
        }
    }
    const fn open_max(min: f64, max: f64) -> Range {
        Range {
            min,
            min_inclusive: true,
            max,
            max_inclusive: false,
        }
    }

    /// Whether `v` lies in the range (NaN never does).
    pub fn contains(&self, v: f64) -> bool {
        let lo = if self.min_inclusive {
            v >= self.min
        } else {
            v > self.min
        };
        let hi = if self.max_inclusive {
            v <= self.max
        } else {
            v < self.max
        };
        lo && hi
    }
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = if self.min_inclusive { '[' } else { '(' };
        let close = if self.max_inclusive { ']' } else { ')' };
        write!(
            f,
            "{open}{}, {}{close}",
            fmt_num(self.min),
            fmt_num(self.max)
        )
    }
}

fn fmt_num(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e6 || v.abs() < 1e-3) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// One scenario parameter.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// Dotted path; `labs.*` stands for any lab (addressed by id on the command line),
    /// `points.*` for any schedule point.
    pub path: &'static str,
    /// The kind of value.
    pub kind: Kind,
    /// Unit, or `""` for dimensionless.
    pub unit: &'static str,
    /// Default as written in a scenario file; `""` when the parameter is required or
    /// derived from others (the meaning says how).
    pub default: &'static str,
    /// Valid range for numbers.
    pub range: Option<Range>,
    /// One line of meaning.
    pub doc: &'static str,
}

const fn p(
    path: &'static str,
    kind: Kind,
    unit: &'static str,
    default: &'static str,
    range: Option<Range>,
    doc: &'static str,
) -> ParamSpec {
    ParamSpec {
        path,
        kind,
        unit,
        default,
        range,
        doc,
    }
}

use Kind::*;

const PROB: Option<Range> = Some(Range::closed(0.0, 1.0));

/// Every parameter of a scenario, in file order.
pub const PARAMS: &[ParamSpec] = &[
    p(
        "name",
        Text,
        "",
        "",
        None,
        "scenario name; also the default output folder (letters, digits, - and _)",
    ),
    p(
        "description",
        Text,
        "",
        "",
        None,
        "one paragraph: the question the scenario asks",
    ),
    p(
        "start",
        Month,
        "",
        "2023-01",
        None,
        "calendar label of month 0, used on charts",
    ),
    p(
        "months",
        Int,
        "months",
        "120",
        Some(Range::closed(1.0, 1200.0)),
        "horizon: number of monthly steps",
    ),
    // algorithms and quality
    p(
        "world.algorithms.algo_progress",
        Real,
        "x per year",
        "3.0",
        Some(Range::closed(1.0, 100.0)),
        "algorithmic efficiency multiplier A(t) = algo_progress^(t/12), shared by all labs",
    ),
    p(
        "world.algorithms.flop_per_h100e_month",
        Real,
        "FLOP",
        "1e21",
        Some(Range::closed(1e15, 1e25)),
        "useful training FLOP delivered by one H100e in one month",
    ),
    p(
        "world.algorithms.q0",
        Real,
        "Elo",
        "1250",
        Some(Range::closed(-5000.0, 10000.0)),
        "quality Q(e0) of a model trained with e0 effective FLOP",
    ),
    p(
        "world.algorithms.e0",
        Real,
        "FLOP",
        "2e25",
        Some(Range::closed(1e10, 1e40)),
        "reference effective compute for q0 (GPT-4 was about 2e25 FLOP)",
    ),
    p(
        "world.algorithms.elo_per_decade",
        Real,
        "Elo per 10x",
        "90",
        Some(Range::open_min(0.0, 1000.0)),
        "quality gained per 10x effective training compute",
    ),
    p(
        "world.algorithms.release_sigma",
        Real,
        "Elo",
        "15",
        Some(Range::closed(0.0, 500.0)),
        "standard deviation of research luck added to a candidate model",
    ),
    p(
        "world.algorithms.release_delay_max",
        Int,
        "months",
        "0",
        Some(Range::closed(0.0, 24.0)),
        "a run's release slips by a uniform random 0..=max months",
    ),
    // dynamics
    p(
        "world.dynamics.kappa",
        Real,
        "",
        "0",
        Some(Range::closed(0.0, 5.0)),
        "self-improvement: a lead worth 10^x compute speeds research by 10^(kappa x)",
    ),
    p(
        "world.dynamics.research_cap",
        Real,
        "x",
        "10",
        Some(Range::closed(1.0, 1e6)),
        "upper limit of the self-improvement multiplier R",
    ),
    p(
        "world.dynamics.phi",
        Real,
        "",
        "0",
        PROB,
        "catch-up spillover: fraction of its gap a laggard gets for free, in compute terms",
    ),
    // demand
    p(
        "world.demand.d0",
        Real,
        "H100e-months",
        "100000",
        Some(Range::open_min(0.0, 1e12)),
        "total inference demand in month 0",
    ),
    p(
        "world.demand.growth",
        Real,
        "x per year",
        "2.0",
        Some(Range::closed(0.01, 100.0)),
        "exogenous demand growth",
    ),
    p(
        "world.demand.eta",
        Real,
        "per 100 Elo",
        "0.5",
        Some(Range::closed(0.0, 10.0)),
        "demand elasticity to frontier quality: D scales by exp(eta * gain / 100)",
    ),
    p(
        "world.demand.shock_sigma",
        Real,
        "log units",
        "0.1",
        Some(Range::closed(0.0, 2.0)),
        "standard deviation of the mean-one lognormal demand shock",
    ),
    p(
        "world.demand.shock_rho",
        Real,
        "",
        "0.8",
        Some(Range::open_max(0.0, 1.0)),
        "month-to-month autocorrelation of the demand shock (AR(1))",
    ),
    // market
    p(
        "world.market.beta",
        Real,
        "",
        "1",
        Some(Range::closed(0.0, 50.0)),
        "quality sensitivity of customers; 1 = Elo odds, >1 = herding to the best model",
    ),
    p(
        "world.market.switching",
        Real,
        "per month",
        "0.3",
        PROB,
        "fraction of the gap to desired shares that customers close each month (1 = no inertia)",
    ),
    p(
        "world.market.overflow_loss",
        Real,
        "",
        "0.5",
        PROB,
        "fraction of demand a saturated lab cannot serve that waits instead of going elsewhere",
    ),
    p(
        "world.market.churn_unserved",
        Real,
        "",
        "0.5",
        PROB,
        "fraction of a lab's unserved demand whose customers leave it for other labs",
    ),
    p(
        "world.market.price_decline",
        Real,
        "per year",
        "0.3",
        Some(Range::open_max(0.0, 1.0)),
        "annual fall of every lab's price (commoditisation)",
    ),
    // GPU market
    p(
        "world.gpus.price",
        Real,
        "USD per H100e",
        "30000",
        Some(Range::open_min(0.0, 1e8)),
        "all-in price of one H100e in month 0",
    ),
    p(
        "world.gpus.price_halving_months",
        Real,
        "months",
        "30",
        Some(Range::closed(1.0, 1e6)),
        "the GPU price per H100e halves every this many months",
    ),
    p(
        "world.gpus.supply",
        Real,
        "H100e per month",
        "50000",
        Some(Range::open_min(0.0, 1e10)),
        "GPUs the labs together can receive per month at month 0",
    ),
    p(
        "world.gpus.supply_growth",
        Real,
        "x per year",
        "3.0",
        Some(Range::closed(0.01, 100.0)),
        "growth of the supply cap",
    ),
    p(
        "world.gpus.rationing",
        Choice(&["orders", "fleet"]),
        "",
        "orders",
        None,
        "how scarce supply is split: pro rata to orders (money talks) or to fleet (contracts)",
    ),
    p(
        "world.gpus.build_lag",
        Int,
        "months",
        "3",
        Some(Range::closed(1.0, 60.0)),
        "months from payment to GPUs online (1 = next month)",
    ),
    p(
        "world.gpus.life_months",
        Real,
        "months",
        "60",
        Some(Range::closed(1.0, 1200.0)),
        "GPUs depreciate at 1/life_months of the fleet per month",
    ),
    p(
        "world.gpus.opex_per_h100e",
        Real,
        "USD per month",
        "400",
        Some(Range::closed(0.0, 1e6)),
        "running cost of one H100e online (power, hosting, staff)",
    ),
    p(
        "world.gpus.wave_from",
        Month,
        "",
        "",
        None,
        "first calendar month of a supply wave; empty (the default) for none",
    ),
    p(
        "world.gpus.wave_multiplier",
        Real,
        "x",
        "1",
        Some(Range::closed(1.0, 1e6)),
        "from wave_from on, the supply cap is multiplied by this",
    ),
    // open weights
    p(
        "world.open_weights.enabled",
        Bool,
        "",
        "false",
        None,
        "whether an open-weight model competes for customers",
    ),
    p(
        "world.open_weights.lag",
        Int,
        "months",
        "6",
        Some(Range::closed(0.0, 600.0)),
        "the open model matches the frontier of this many months ago...",
    ),
    p(
        "world.open_weights.gap",
        Real,
        "Elo",
        "30",
        Some(Range::closed(-1000.0, 5000.0)),
        "...minus this many points",
    ),
    p(
        "world.open_weights.brand",
        Real,
        "utility",
        "0",
        Some(Range::closed(-50.0, 50.0)),
        "utility bonus of the open option (negative: harder to use)",
    ),
    // leadership measures
    p(
        "world.leadership.lead_margin",
        Real,
        "Elo",
        "0",
        Some(Range::closed(0.0, 1000.0)),
        "a challenger takes the quality lead only by beating the incumbent by this much",
    ),
    p(
        "world.leadership.share_margin",
        Real,
        "share",
        "0",
        PROB,
        "a challenger takes the market lead only by this much more customer share",
    ),
    p(
        "world.leadership.persistence_months",
        Int,
        "months",
        "24",
        Some(Range::closed(1.0, 1200.0)),
        "horizon of persistence: P(leader at m still leads at m + this)",
    ),
    // labs
    p(
        "labs.*.id",
        Text,
        "",
        "",
        None,
        "short unique id (letters, digits, - and _), used by --set labs.<id>...; required",
    ),
    p(
        "labs.*.name",
        Text,
        "",
        "",
        None,
        "display name; defaults to the id",
    ),
    p(
        "labs.*.color",
        Color,
        "",
        "",
        None,
        "chart colour; defaults to the Okabe-Ito palette in lab order",
    ),
    p(
        "labs.*.fleet",
        Real,
        "H100e",
        "100000",
        Some(Range::open_min(0.0, 1e12)),
        "GPUs online in month 0",
    ),
    p(
        "labs.*.cash",
        Real,
        "USD",
        "1e9",
        Some(Range::closed(-1e15, 1e15)),
        "cash in month 0",
    ),
    p(
        "labs.*.quality",
        Real,
        "Elo",
        "",
        Some(Range::closed(-5000.0, 10000.0)),
        "quality of the model deployed in month 0; defaults to world.algorithms.q0",
    ),
    p(
        "labs.*.customers",
        Real,
        "share",
        "",
        PROB,
        "customer share in month 0; defaults to an equal split",
    ),
    p(
        "labs.*.run_months",
        Int,
        "months",
        "6",
        Some(Range::closed(1.0, 120.0)),
        "planned length of a training run",
    ),
    p(
        "labs.*.first_release",
        Int,
        "months",
        "",
        Some(Range::closed(1.0, 120.0)),
        "months until the first release (1 = in month 0); defaults to run_months; at most run_months",
    ),
    p(
        "labs.*.research_efficiency",
        Real,
        "x",
        "1",
        Some(Range::open_min(0.0, 1000.0)),
        "talent, data and methods: multiplier on effective training compute",
    ),
    p(
        "labs.*.price",
        Real,
        "USD per H100e-month",
        "3000",
        Some(Range::closed(0.0, 1e7)),
        "price of one H100e-month of serving in month 0",
    ),
    p(
        "labs.*.serving_efficiency",
        Real,
        "x",
        "1",
        Some(Range::open_min(0.0, 1000.0)),
        "demand served per inference H100e, in H100e-months of demand",
    ),
    p(
        "labs.*.brand",
        Real,
        "utility",
        "0",
        Some(Range::closed(-50.0, 50.0)),
        "utility bonus: distribution, integrations, the plumbing moat",
    ),
    p(
        "labs.*.funding",
        Real,
        "USD per month",
        "0",
        Some(Range::closed(0.0, 1e13)),
        "outside capital received per month in month 0",
    ),
    p(
        "labs.*.funding_growth",
        Real,
        "x per year",
        "1",
        Some(Range::closed(0.01, 100.0)),
        "growth of outside funding",
    ),
    p(
        "labs.*.reinvest",
        Real,
        "per month",
        "0.5",
        PROB,
        "fraction of positive cash spent on GPUs each month",
    ),
    p(
        "labs.*.policy.kind",
        Choice(&[
            "fixed",
            "serve_first",
            "leader_harvest",
            "gap_response",
            "schedule",
        ]),
        "",
        "fixed",
        None,
        "allocation policy; its parameters follow",
    ),
    p(
        "labs.*.policy.train",
        Real,
        "",
        "0.5",
        PROB,
        "fixed: constant training fraction of the fleet",
    ),
    p(
        "labs.*.policy.min_train",
        Real,
        "",
        "0.3",
        PROB,
        "serve_first: training fraction never below this",
    ),
    p(
        "labs.*.policy.max_train",
        Real,
        "",
        "0.9",
        PROB,
        "serve_first: training fraction never above this",
    ),
    p(
        "labs.*.policy.lead_train",
        Real,
        "",
        "0.4",
        PROB,
        "leader_harvest, gap_response: training fraction while (far) ahead",
    ),
    p(
        "labs.*.policy.chase_train",
        Real,
        "",
        "0.7",
        PROB,
        "leader_harvest, gap_response: training fraction while (far) behind",
    ),
    p(
        "labs.*.policy.midpoint",
        Real,
        "Elo",
        "0",
        Some(Range::closed(-1000.0, 1000.0)),
        "gap_response: lead over the best rival at which training is halfway",
    ),
    p(
        "labs.*.policy.width",
        Real,
        "Elo",
        "25",
        Some(Range::open_min(0.0, 1000.0)),
        "gap_response: how gradual the switch is (logistic scale)",
    ),
    p(
        "labs.*.policy.points.*.from",
        Month,
        "",
        "",
        None,
        "schedule: first calendar month of a step",
    ),
    p(
        "labs.*.policy.points.*.train",
        Real,
        "",
        "",
        PROB,
        "schedule: training fraction from that month on",
    ),
];

/// The spec for a generic path (with `*` for array elements), if any.
pub fn find(generic_path: &str) -> Option<&'static ParamSpec> {
    PARAMS.iter().find(|s| s.path == generic_path)
}

/// Leaf keys valid directly under a generic prefix (for "valid keys here" messages).
pub fn keys_under(generic_prefix: &str) -> Vec<&'static str> {
    let prefix = if generic_prefix.is_empty() {
        String::new()
    } else {
        format!("{generic_prefix}.")
    };
    let mut keys: Vec<&'static str> = PARAMS
        .iter()
        .filter_map(|s| s.path.strip_prefix(prefix.as_str()))
        .map(|rest| rest.split('.').next().unwrap_or(rest))
        .collect();
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(*k));
    if generic_prefix.is_empty() {
        keys.retain(|k| *k != "*");
    }
    keys
}

/// The parameters under a dotted prefix, for `racerun params PREFIX`. Array items may be
/// written as `*`, by a lab id, or left out: `labs.policy`, `labs.*.policy` and
/// `labs.openai.policy` all select the policy parameters. An unknown prefix is an error
/// naming the valid keys there, with the nearest one.
pub fn under(prefix: &str) -> Result<Vec<&'static ParamSpec>, String> {
    let strip = |path: &str| -> Vec<String> {
        path.split('.')
            .filter(|s| !s.is_empty() && *s != "*")
            .map(String::from)
            .collect()
    };
    let mut want = strip(prefix);
    // `labs.<id>...`: a lab id is not a key, drop it.
    let lab_keys = keys_under("labs.*");
    if want.len() >= 2 && want[0] == "labs" && !lab_keys.contains(&want[1].as_str()) {
        want.remove(1);
    }
    let found: Vec<&'static ParamSpec> = PARAMS
        .iter()
        .filter(|s| strip(s.path).starts_with(&want))
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    // Name the first segment that matches nothing, and what would.
    let mut generic = String::new();
    for seg in &want {
        let here = if generic == "labs" {
            "labs.*".to_string()
        } else {
            generic.clone()
        };
        let valid = keys_under(&here);
        if !valid.contains(&seg.as_str()) {
            let hint = super::suggest(seg, valid.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let at = if here.is_empty() {
                "the top level".to_string()
            } else {
                format!("`{here}`")
            };
            return Err(format!(
                "no parameter `{prefix}`: unknown key `{seg}` at {at}{hint}; valid keys there: {}",
                valid.join(", ")
            ));
        }
        generic = if here.is_empty() {
            seg.clone()
        } else {
            format!("{here}.{seg}")
        };
    }
    Err(format!("no parameter under `{prefix}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use toml::Value;

    /// A scenario with every policy kind, open weights and a supply wave: every parameter
    /// appears in its resolved form.
    const EVERY_KIND: &str = r#"
name = "every"
[world.open_weights]
enabled = true
[world.gpus]
wave_from = "2025-01"
[[labs]]
id = "f"
policy = { kind = "fixed" }
[[labs]]
id = "s"
policy = { kind = "serve_first" }
[[labs]]
id = "l"
policy = { kind = "leader_harvest" }
[[labs]]
id = "g"
policy = { kind = "gap_response" }
[[labs]]
id = "p"
policy = { kind = "schedule", points = [{ from = "2024-01", train = 0.3 }] }
"#;

    /// Every leaf of a value with its generic path (`labs.*.fleet`).
    fn leaves(v: &Value, path: &mut Vec<String>, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Table(t) => {
                for (k, v) in t {
                    path.push(k.clone());
                    leaves(v, path, out);
                    path.pop();
                }
            }
            Value::Array(items) if items.iter().any(Value::is_table) => {
                for v in items {
                    path.push("*".into());
                    leaves(v, path, out);
                    path.pop();
                }
            }
            leaf => out.push((path.join("."), leaf.clone())),
        }
    }

    fn resolved_leaves(text: &str) -> Vec<(String, Value)> {
        let s = Scenario::load(text, "t.toml", &[]).unwrap();
        let v = Value::try_from(s.file()).unwrap();
        let mut out = Vec::new();
        leaves(&v, &mut Vec::new(), &mut out);
        out
    }

    #[test]
    fn every_leaf_is_documented_and_every_entry_reachable() {
        let found = resolved_leaves(EVERY_KIND);
        for (path, _) in &found {
            let spec = find(path).unwrap_or_else(|| panic!("{path} is not in PARAMS"));
            assert!(!spec.doc.trim().is_empty(), "{path} has no doc");
        }
        for spec in PARAMS {
            assert!(
                found.iter().any(|(p, _)| p == spec.path),
                "{} is in PARAMS but no resolved scenario has it",
                spec.path
            );
        }
        let mut paths: Vec<&str> = PARAMS.iter().map(|s| s.path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), PARAMS.len(), "duplicate PARAMS entries");
    }

    #[test]
    fn catalogue_defaults_are_the_serde_defaults() {
        let minimal = EVERY_KIND
            .replace("enabled = true", "")
            .replace("wave_from = \"2025-01\"", "");
        let mut checked = 0;
        for (path, value) in resolved_leaves(&minimal) {
            let spec = find(&path).unwrap();
            if spec.default.is_empty() || path == "labs.*.policy.kind" {
                continue;
            }
            let same = match &value {
                Value::Float(f) => spec.default.parse::<f64>().ok() == Some(*f),
                Value::Integer(i) => spec.default.parse::<i64>().ok() == Some(*i),
                Value::Boolean(b) => spec.default.parse::<bool>().ok() == Some(*b),
                Value::String(s) => spec.default == s,
                _ => false,
            };
            assert!(
                same,
                "{path}: PARAMS says {}, serde gives {value}",
                spec.default
            );
            checked += 1;
        }
        assert!(checked > 40, "only {checked} defaults checked");
        // The policy kind a lab gets when it names none.
        let s = Scenario::load("name = \"m\"\n[[labs]]\nid = \"a\"\n", "t.toml", &[]).unwrap();
        assert_eq!(
            s.labs[0].policy.kind(),
            find("labs.*.policy.kind").unwrap().default
        );
    }

    #[test]
    fn under_accepts_lab_ids_and_suggests() {
        let n = under("labs.openai.policy").unwrap().len();
        assert_eq!(n, under("labs.*.policy").unwrap().len());
        assert_eq!(n, under("labs.policy").unwrap().len());
        assert_eq!(under("").unwrap().len(), PARAMS.len());
        let e = under("world.market.swtching").unwrap_err();
        assert!(e.contains("did you mean `switching`?"), "{e}");
    }
}
