//! Uncertain inputs: a distribution in place of a number.
//!
//! A real-valued parameter whose declaration allows it (all but the two measurement
//! margins; `racerun params` marks those) may be written as
//! `{ dist = "lognormal", p5 = 60, p95 = 120 }`
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

mod dist;
mod realize;

use toml::{Table, Value};

use super::decl::{Seg, generic};
use super::params::{self, Kind};

use dist::short;
pub use dist::{DISTS, Dist, TAIL};
pub use realize::{Realizer, input_rng};

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
    let mut walk = Walk {
        display: Vec::new(),
        segs: Vec::new(),
        at,
        found: Vec::new(),
    };
    for (k, v) in tree.iter_mut() {
        walk.descend(k.clone(), Seg::Key(k.clone()), v)?;
    }
    Ok(walk.found)
}

/// A walk through the tree: where it is, as a user writes the path (labs by id) and in
/// the tree, and the distributions found so far.
struct Walk<'a> {
    display: Vec<String>,
    segs: Vec<Seg>,
    at: Locate<'a>,
    found: Vec<Uncertain>,
}

impl Walk<'_> {
    fn descend(
        &mut self,
        name: String,
        seg: Seg,
        value: &mut Value,
    ) -> Result<(), super::ScenarioError> {
        self.display.push(name);
        self.segs.push(seg);
        let done = self.visit(value);
        self.display.pop();
        self.segs.pop();
        done
    }

    fn visit(&mut self, value: &mut Value) -> Result<(), super::ScenarioError> {
        match value {
            Value::Table(t) if t.contains_key("dist") => self.take(value),
            Value::Table(t) => {
                for (k, v) in t.iter_mut() {
                    self.descend(k.clone(), Seg::Key(k.clone()), v)?;
                }
                Ok(())
            }
            Value::Array(items) => {
                let labs = self.segs == [Seg::Key("labs".into())];
                for (i, item) in items.iter_mut().enumerate() {
                    let name = item
                        .get("id")
                        .and_then(Value::as_str)
                        .filter(|_| labs)
                        .map_or_else(|| i.to_string(), String::from);
                    self.descend(name, Seg::Index(i), item)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Checks the distribution at the current place and puts its median there.
    fn take(&mut self, value: &mut Value) -> Result<(), super::ScenarioError> {
        let gpath = generic(&self.segs);
        // A `dist` key where no number belongs is left to serde ("unknown field").
        let Some(spec) = params::find(&gpath) else {
            return Ok(());
        };
        let path = self.display.join(".");
        let invalid = |expected: String, got: String| super::ScenarioError::Invalid {
            at: (self.at)(&path, &self.segs),
            field: path.clone(),
            expected,
            got,
        };
        let got = value.to_string();
        match spec.kind {
            Kind::Real if spec.uncertain => {}
            Kind::Real => {
                return Err(invalid(
                    "a number: `racerun params` lists this parameter as taking no \
                     distribution"
                        .into(),
                    got,
                ));
            }
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
                        "{}: only real-valued parameters may be uncertain",
                        match other {
                            Kind::Choice(words) => format!("one of {}", words.join(", ")),
                            _ => format!("a {}", other.name()),
                        }
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
        self.found.push(Uncertain {
            path,
            dist,
            segs: self.segs.clone(),
        });
        Ok(())
    }
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
