//! The parameter catalogue: path, type, unit, default, valid range and meaning of every
//! scenario parameter, and whether it may be a distribution.
//!
//! [`PARAMS`] is generated from the declarations of the scenario file (`file.rs`, and
//! one file per policy in `src/policy/`), so the catalogue, the serde defaults and the
//! fields themselves cannot drift apart. Validation checks every leaf of a resolved
//! scenario against it and `racerun params` prints it.

use std::sync::LazyLock;

use super::ScenarioFile;
use super::decl::{Node, fmt_num};

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
    /// A short name: letters, digits, `-` and `_` (a scenario name or lab id).
    Id,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A calendar month, `YYYY-MM`.
    Month,
    /// A calendar month, `YYYY-MM`, or empty for none.
    OptionalMonth,
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
            Kind::Text | Kind::Id => "text".into(),
            Kind::Choice(words) => words.join("|"),
            Kind::Month | Kind::OptionalMonth => "YYYY-MM".into(),
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

/// One scenario parameter, as declared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Dotted path; `labs.*` stands for any lab (addressed by id on the command line),
    /// `points.*` for any schedule point.
    pub path: &'static str,
    /// The kind of value.
    pub kind: Kind,
    /// Unit, or `""` for dimensionless.
    pub unit: &'static str,
    /// Default as shown (`3`, `1e21`, `orders`); `""` when the parameter is required,
    /// derived from others (the meaning says how) or empty text by default.
    pub default: &'static str,
    /// Valid range for numbers.
    pub range: Option<Range>,
    /// One line of meaning.
    pub doc: &'static str,
    /// A short human name for charts and reports (`GPU supply`); `""` when none is
    /// declared ([`ParamSpec::name`] then derives one from the key).
    pub label: &'static str,
    /// Whether a file may give a distribution in place of a number (an uncertain input).
    pub uncertain: bool,
    /// Whether the engine's precomputed calendar reads it.
    pub calendar: bool,
}

impl ParamSpec {
    /// The human name: the declared `label`, else the last key with spaces
    /// (`price_halving_months` -> `price halving months`).
    pub fn name(&self) -> String {
        if !self.label.is_empty() {
            return self.label.to_string();
        }
        let key = self.path.rsplit('.').next().unwrap_or(self.path);
        key.replace('_', " ")
    }

    /// The name with its unit, for an axis or a table: `GPU supply (H100e per month)`.
    pub fn name_with_unit(&self) -> String {
        if self.unit.is_empty() {
            self.name()
        } else {
            format!("{} ({})", self.name(), self.unit)
        }
    }
}

/// Every leaf of a scenario as TOML with its concrete path, in file order: labs by id as
/// `--set` addresses them (`labs.alpha.fleet`), other lists of tables by index
/// (`labs.alpha.policy.points.0.train`).
pub fn leaves(tree: &toml::Value) -> Vec<(String, toml::Value)> {
    fn walk(v: &toml::Value, path: &mut Vec<String>, out: &mut Vec<(String, toml::Value)>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    path.push(k.clone());
                    walk(v, path, out);
                    path.pop();
                }
            }
            toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
                for (i, item) in items.iter().enumerate() {
                    let key = item
                        .get("id")
                        .and_then(toml::Value::as_str)
                        .map_or(i.to_string(), String::from);
                    path.push(key);
                    walk(item, path, out);
                    path.pop();
                }
            }
            other => out.push((path.join("."), other.clone())),
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut Vec::new(), &mut out);
    out
}

/// The generic catalogue path of a concrete one: lab ids and list indices become `*`
/// (`labs.alpha.policy.min_train` -> `labs.*.policy.min_train`).
pub fn generic_path(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('.').collect();
    if parts.len() > 2 && parts[0] == "labs" {
        parts[1] = "*";
    }
    for i in 1..parts.len() {
        if parts[i - 1] == "points" || parts[i].parse::<usize>().is_ok() {
            parts[i] = "*";
        }
    }
    parts.join(".")
}

/// How charts and reports name a parameter given by its concrete path: the catalogue's
/// human name, with the lab for a lab's parameter (`Minimum training share, lab alpha`),
/// and the unit (`None` for a path the catalogue does not know).
pub fn describe(path: &str) -> Option<(String, &'static str)> {
    let spec = find(&generic_path(path))?;
    let parts: Vec<&str> = path.split('.').collect();
    let name = match parts.as_slice() {
        ["labs", id, ..] if *id != "*" => format!("{}, lab {id}", spec.name()),
        _ => spec.name(),
    };
    Some((name, spec.unit))
}

/// Every parameter of a scenario, in file order, generated from the declarations.
pub static PARAMS: LazyLock<Vec<ParamSpec>> = LazyLock::new(|| {
    let mut out = Vec::new();
    ScenarioFile::catalogue("", &mut out);
    out
});

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

/// ` (did you mean `world.dynamics.kappa`?)` when `tail` (`kappa`, `dynamics.kappa`) ends
/// the path of at most three parameters: a parameter named without its table. Empty
/// otherwise.
pub fn full_path(tail: &str) -> String {
    let found: Vec<String> = PARAMS
        .iter()
        .filter(|p| p.path.ends_with(&format!(".{tail}")))
        .map(|p| format!("`{}`", p.path.replace("labs.*.", "labs.<id>.")))
        .collect();
    match found.as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        [rest @ .., last] if found.len() <= 3 => {
            format!(" (did you mean {} or {last}?)", rest.join(", "))
        }
        _ => String::new(),
    }
}

/// The hint for an unknown parameter `path`: its full path when it names one without its
/// tables ([`full_path`]), else `near()` (the nearest spelling).
pub fn path_hint(path: &str, near: impl FnOnce() -> String) -> String {
    Some(full_path(path))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(near)
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
            let hint = path_hint(&want.join("."), || {
                super::did_you_mean(seg, valid.iter().copied())
            });
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
