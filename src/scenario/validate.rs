//! Text to validated [`Scenario`]: parse, override, derive defaults, check every leaf.

use toml::de::{DeTable, DeValue};
use toml::{Spanned, Table, Value};

use super::params::{self, Kind};
use super::uncertain;
use super::{OKABE_ITO, Override, Scenario, ScenarioError, ScenarioFile, YearMonth, suggest};
use crate::policy::PolicySpec;

/// One step of a path into the tree: a key, or an index into an array.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

pub(super) fn load(
    text: &str,
    origin: &str,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let ctx = Context {
        text,
        origin,
        overrides,
    };
    let mut tree: Table = toml::from_str(text).map_err(|e| ScenarioError::Parse {
        at: at_span(origin, text, e.span()),
        message: e.message().to_string(),
    })?;
    // Distributions (`{ dist = ... }`, uncertain inputs) stand where numbers are expected:
    // check the file's own, then parse the text with each replaced by its median in place.
    let file_ctx = Context {
        overrides: &[],
        ..ctx
    };
    let in_file = uncertain::extract(&mut tree.clone(), &|p, s| file_ctx.at(p, s))?;
    let patched = uncertain::patch_text(text, &in_file, |segs| locate(text, segs));
    // Parse the text itself first, so syntax, type and unknown-key errors carry a line.
    match &patched {
        Some(checked) => toml::from_str::<ScenarioFile>(checked).map(drop),
        None => toml::from_str::<Table>(text).and_then(|mut t| {
            let _ = uncertain::extract(&mut t, &|p, s| file_ctx.at(p, s));
            ScenarioFile::deserialize_table(t).map(drop)
        }),
    }
    .map_err(|e| ScenarioError::Parse {
        at: at_span(origin, text, e.span()),
        message: enrich(e.message()),
    })?;
    for o in overrides {
        o.apply(&mut tree)?;
        let mut t = tree.clone();
        uncertain::extract(&mut t, &|p, s| ctx.at(p, s))?;
        ScenarioFile::deserialize_table(t).map_err(|e| ScenarioError::Override {
            arg: o.arg.clone(),
            message: enrich(e.message()),
        })?;
    }
    let uncertain = uncertain::extract(&mut tree, &|p, s| ctx.at(p, s))?;
    let mut file = ScenarioFile::deserialize_table(tree).map_err(|e| ScenarioError::Parse {
        at: origin.to_string(),
        message: enrich(e.message()),
    })?;

    derive_defaults(&mut file);
    let resolved = Value::try_from(&file).map_err(|e| ScenarioError::Parse {
        at: origin.into(),
        message: e.to_string(),
    })?;
    check_leaves(&ctx, &file, &resolved, &mut Vec::new(), &mut Vec::new())?;
    let start = check_cross_fields(&ctx, &mut file)?;
    uncertain::check_support_rules(&file, &uncertain).map_err(|(path, expected, got)| {
        let segs = uncertain
            .iter()
            .find(|u| u.path == path)
            .map(|u| u.segs().to_vec())
            .unwrap_or_default();
        ctx.invalid(&path, &segs, expected, got)
    })?;
    Ok(Scenario {
        file,
        start,
        uncertain,
    })
}

impl ScenarioFile {
    fn deserialize_table(tree: Table) -> Result<ScenarioFile, toml::de::Error> {
        // Round-trip through text: the resulting errors are the same as the file's own.
        toml::from_str(&toml::to_string(&tree).unwrap_or_default())
    }
}

/// Adds a "did you mean" to serde's unknown-field messages.
fn enrich(message: &str) -> String {
    let friendly = message
        .trim()
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number");
    let message = friendly.as_str();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((word, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match suggest(word, candidates.iter().copied()) {
        Some(s) => format!("{message} (did you mean `{s}`?)"),
        None => message.to_string(),
    }
}

struct Context<'a> {
    text: &'a str,
    origin: &'a str,
    overrides: &'a [Override],
}

impl Context<'_> {
    /// Where a value came from: the `--set` that wrote it, or its line in the file.
    fn at(&self, display_path: &str, segs: &[Seg]) -> String {
        if let Some(o) = self
            .overrides
            .iter()
            .rev()
            .find(|o| o.display_path() == display_path)
        {
            return format!("{} (--set {})", self.origin, o.arg);
        }
        match locate(self.text, segs) {
            Some(span) => at_span(self.origin, self.text, Some(span)),
            None => self.origin.to_string(),
        }
    }

    fn invalid(
        &self,
        display_path: &str,
        segs: &[Seg],
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError::Invalid {
            at: self.at(display_path, segs),
            field: display_path.to_string(),
            expected: expected.into(),
            got: got.into(),
        }
    }
}

fn at_span(origin: &str, text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{origin}:{line}:{col}")
        }
        None => origin.to_string(),
    }
}

/// The byte span of a value in the original text, if the file wrote it.
fn locate(text: &str, segs: &[Seg]) -> Option<std::ops::Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut span = root.span();
    let mut value: Option<&Spanned<DeValue>> = None;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    for seg in segs {
        let next = match (seg, table, value.map(|v| v.get_ref())) {
            (Seg::Key(k), Some(t), _) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                .map(|(_, v)| v),
            (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
            _ => None,
        }?;
        span = next.span();
        value = Some(next);
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    Some(span)
}

fn derive_defaults(file: &mut ScenarioFile) {
    let given: f64 = file.labs.iter().filter_map(|l| l.customers).sum();
    let unset = file.labs.iter().filter(|l| l.customers.is_none()).count();
    let share = if unset > 0 {
        ((1.0 - given) / unset as f64).max(0.0)
    } else {
        0.0
    };
    let q0 = file.world.algorithms.q0;
    for (i, lab) in file.labs.iter_mut().enumerate() {
        lab.name.get_or_insert_with(|| lab.id.clone());
        lab.color
            .get_or_insert_with(|| OKABE_ITO[i % OKABE_ITO.len()].to_string());
        lab.quality.get_or_insert(q0);
        lab.customers.get_or_insert(share);
        lab.first_release.get_or_insert(lab.run_months);
    }
}

/// Checks every leaf against the parameter catalogue.
fn check_leaves(
    ctx: &Context,
    file: &ScenarioFile,
    value: &Value,
    generic: &mut Vec<String>,
    segs: &mut Vec<Seg>,
) -> Result<(), ScenarioError> {
    match value {
        Value::Table(t) => {
            for (k, v) in t {
                generic.push(k.clone());
                segs.push(Seg::Key(k.clone()));
                check_leaves(ctx, file, v, generic, segs)?;
                generic.pop();
                segs.pop();
            }
            Ok(())
        }
        Value::Array(items) if !items.iter().all(|v| !v.is_table()) || items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                generic.push("*".into());
                segs.push(Seg::Index(i));
                check_leaves(ctx, file, v, generic, segs)?;
                generic.pop();
                segs.pop();
            }
            Ok(())
        }
        leaf => check_leaf(ctx, file, leaf, &generic.join("."), segs),
    }
}

/// The path as a user writes it: labs by id, other array items by index.
fn display_path(file: &ScenarioFile, segs: &[Seg]) -> String {
    let mut out: Vec<String> = Vec::new();
    for (n, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Key(k) => out.push(k.clone()),
            Seg::Index(i) if n == 1 && segs[0] == Seg::Key("labs".into()) => out.push(
                file.labs
                    .get(*i)
                    .map_or_else(|| i.to_string(), |l| l.id.clone()),
            ),
            Seg::Index(i) => out.push(i.to_string()),
        }
    }
    out.join(".")
}

fn check_leaf(
    ctx: &Context,
    file: &ScenarioFile,
    leaf: &Value,
    generic: &str,
    segs: &[Seg],
) -> Result<(), ScenarioError> {
    let path = display_path(file, segs);
    let Some(spec) = params::find(generic) else {
        return Err(ctx.invalid(
            &path,
            segs,
            "a documented parameter (see `racerun params`)",
            leaf.to_string(),
        ));
    };
    let got = match leaf {
        Value::Float(f) => f.to_string(),
        other => other.to_string(),
    };
    match spec.kind {
        Kind::Real | Kind::Int => {
            let v = match leaf {
                Value::Float(f) => *f,
                Value::Integer(i) => *i as f64,
                _ => return Err(ctx.invalid(&path, segs, "a number", got)),
            };
            if let Some(range) = spec.range.filter(|r| !r.contains(v)) {
                let unit = if spec.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", spec.unit)
                };
                let what = if spec.kind == Kind::Int {
                    "a whole number"
                } else {
                    "a number"
                };
                return Err(ctx.invalid(&path, segs, format!("{what} in {range}{unit}"), got));
            }
        }
        Kind::Text if generic.ends_with("id") || generic == "name" && segs.len() == 1 => {
            let s = leaf.as_str().unwrap_or_default();
            let ok = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(ctx.invalid(
                    &path,
                    segs,
                    "a non-empty name of letters, digits, - and _",
                    got,
                ));
            }
        }
        // An empty wave_from means "no supply wave".
        Kind::Month if generic == "world.gpus.wave_from" && leaf.as_str() == Some("") => {}
        Kind::Month => {
            if leaf.as_str().and_then(YearMonth::parse).is_none() {
                return Err(ctx.invalid(&path, segs, "a calendar month like \"2023-01\"", got));
            }
        }
        Kind::Color => {
            let s = leaf.as_str().unwrap_or_default();
            let ok =
                s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit());
            if !ok {
                return Err(ctx.invalid(&path, segs, "a colour like \"#E69F00\"", got));
            }
        }
        Kind::Text | Kind::Bool | Kind::Choice(_) => {}
    }
    Ok(())
}

fn key(path: &[&str]) -> Vec<Seg> {
    path.iter().map(|k| Seg::Key(k.to_string())).collect()
}

fn lab_segs(i: usize, field: &str) -> Vec<Seg> {
    vec![
        Seg::Key("labs".into()),
        Seg::Index(i),
        Seg::Key(field.into()),
    ]
}

/// Rules that span several fields.
fn check_cross_fields(ctx: &Context, file: &mut ScenarioFile) -> Result<YearMonth, ScenarioError> {
    let start = YearMonth::parse(&file.start).ok_or_else(|| {
        ctx.invalid(
            "start",
            &key(&["start"]),
            "a calendar month like \"2023-01\"",
            &file.start,
        )
    })?;
    if file.labs.is_empty() {
        return Err(ctx.invalid(
            "labs",
            &key(&["labs"]),
            "at least one lab ([[labs]] with an id)",
            "none",
        ));
    }
    for (i, lab) in file.labs.iter().enumerate() {
        if let Some(j) = file.labs[..i].iter().position(|other| other.id == lab.id) {
            return Err(ctx.invalid(
                &format!("labs[{i}].id"),
                &lab_segs(i, "id"),
                format!("an id not used by another lab (lab {j} has it)"),
                format!("\"{}\"", lab.id),
            ));
        }
    }
    let shares: f64 = file.labs.iter().map(|l| l.customers.unwrap_or(0.0)).sum();
    if shares > 1.0 + 1e-9 {
        return Err(ctx.invalid(
            "labs.*.customers",
            &key(&["labs"]),
            "initial customer shares summing to at most 1",
            format!("{shares}"),
        ));
    }
    for i in 0..file.labs.len() {
        let lab = &file.labs[i];
        let id = lab.id.clone();
        let first = lab.first_release.unwrap_or(lab.run_months);
        if first > lab.run_months {
            let path = format!("labs.{id}.first_release");
            return Err(ctx.invalid(
                &path,
                &lab_segs(i, "first_release"),
                format!("at most run_months ({})", lab.run_months),
                first.to_string(),
            ));
        }
        let policy_at = |field: &str| {
            let mut s = lab_segs(i, "policy");
            s.push(Seg::Key(field.into()));
            (format!("labs.{id}.policy.{field}"), s)
        };
        match &mut file.labs[i].policy {
            PolicySpec::ServeFirst(p) if p.min_train > p.max_train => {
                let (path, segs) = policy_at("min_train");
                return Err(ctx.invalid(
                    &path,
                    &segs,
                    format!("at most max_train ({})", p.max_train),
                    p.min_train.to_string(),
                ));
            }
            PolicySpec::Schedule(s) => {
                if s.points.is_empty() {
                    let (path, segs) = policy_at("points");
                    return Err(ctx.invalid(
                        &path,
                        &segs,
                        "at least one point { from = \"YYYY-MM\", train = 0.5 }",
                        "[]",
                    ));
                }
                let mut last = i64::MIN;
                for (k, point) in s.points.iter_mut().enumerate() {
                    let month = YearMonth::parse(&point.from)
                        .map(|m| m.index() - start.index())
                        .unwrap_or(i64::MIN);
                    if month <= last {
                        let (path, mut segs) = policy_at("points");
                        segs.push(Seg::Index(k));
                        return Err(ctx.invalid(
                            &format!("{path}.{k}.from"),
                            &segs,
                            "months in increasing calendar order",
                            format!("\"{}\"", point.from),
                        ));
                    }
                    point.month = month;
                    last = month;
                }
            }
            _ => {}
        }
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Scenario, ScenarioError> {
        super::load(text, "t.toml", &[])
    }

    #[test]
    fn minimal_file_gets_defaults() {
        let s = load("name = \"m\"\n[[labs]]\nid = \"a\"\n[[labs]]\nid = \"b\"\n").unwrap();
        assert_eq!(s.months, 120);
        assert_eq!(s.labs[1].customers, Some(0.5));
        assert_eq!(s.labs[0].quality, Some(1250.0));
        assert_eq!(s.lab_color(1), "#56B4E9");
        assert_eq!(s.labs[0].first_release, Some(6));
    }

    #[test]
    fn negative_fleet_names_line_field_and_range() {
        let e = load("name = \"m\"\n[[labs]]\nid = \"a\"\nfleet = -5\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "t.toml:4:9: labs.a.fleet: expected a number in (0, 1e12] H100e, got -5"
        );
    }

    #[test]
    fn unknown_key_has_line_and_suggestion() {
        let e = load("name = \"m\"\n[world.market]\nswtching = 0.5\n[[labs]]\nid = \"a\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:3:1: unknown field `swtching`"), "{e}");
        assert!(e.contains("did you mean `switching`?"), "{e}");
    }

    #[test]
    fn empty_labs_and_zero_months_are_rejected() {
        let e = load("name = \"m\"\n").unwrap_err().to_string();
        assert!(e.contains("labs: expected at least one lab"), "{e}");
        let e = load("name = \"m\"\nmonths = 0\n[[labs]]\nid = \"a\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("months: expected a whole number in [1, 1200] months, got 0"),
            "{e}"
        );
    }

    #[test]
    fn override_errors_name_the_set() {
        let o = Override::parse("world.market.switching=1.5").unwrap();
        let e = super::load("name = \"m\"\n[[labs]]\nid = \"a\"\n", "t.toml", &[o])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "t.toml (--set world.market.switching=1.5): world.market.switching: expected a number in [0, 1] per month, got 1.5"
        );
    }

    #[test]
    fn resolved_toml_round_trips() {
        let s = load("name = \"m\"\n[[labs]]\nid = \"a\"\npolicy = { kind = \"schedule\", points = [{ from = \"2024-01\", train = 0.3 }] }\n").unwrap();
        let again = super::load(&s.to_toml(), "r.toml", &[]).unwrap();
        assert_eq!(s, again);
    }
}
