//! Text to validated [`Scenario`]: parse, override, derive defaults, check every leaf.

use toml::de::{DeTable, DeValue};
use toml::{Spanned, Table, Value};

use super::decl::{Node, Seg};
use super::params::{self, Kind};
use super::rules::{Broken, Rules};
use super::uncertain::{self, Uncertain};
use super::{OKABE_ITO, Override, RESERVED_IDS, Scenario, ScenarioError, ScenarioFile, YearMonth};
use messages::{at_span, enrich, in_range, with_path};

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
        message: with_path(text, e.span(), enrich(e.message())),
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
        message: with_path(text, e.span(), enrich(e.message())),
    })?;
    for o in overrides {
        o.apply(&mut tree)?;
        let mut t = tree.clone();
        uncertain::extract(&mut t, &|p, s| ctx.at(p, s))?;
        ScenarioFile::deserialize_table(t).map_err(|e| ScenarioError::Override {
            flag: o.flag,
            arg: o.arg.clone(),
            message: in_range(&o.display_path(), enrich(e.message())),
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
    let start = check_cross_fields(&ctx, &mut file, &uncertain)?;
    // Every uncertain input has a field its draws are written to (see `Realizer`).
    let mut probe = file.clone();
    if let Some(u) = uncertain.iter().find(|u| probe.real_at(u.segs()).is_none()) {
        return Err(ctx.invalid(
            &u.path,
            u.segs(),
            "a parameter whose draws can be written (internal error: please report it)",
            u.dist.to_string(),
        ));
    }
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
            return format!("{} ({} {})", self.origin, o.flag, o.arg);
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
        let expected = expected.into();
        let mut at = self.at(display_path, segs);
        // A value of the file refused against one a `--set` gave beside it (`min_train`
        // expected at most a `max_train` set lower) names that --set too.
        let (table, _) = display_path.rsplit_once('.').unwrap_or(("", display_path));
        let set_itself = self
            .overrides
            .iter()
            .any(|o| o.display_path() == display_path);
        if !set_itself
            && let Some(o) = self.overrides.iter().rev().find(|o| {
                let path = o.display_path();
                path.rsplit_once('.')
                    .is_some_and(|(t, field)| t == table && expected.contains(field))
            })
        {
            at = format!("{at} (with {} {})", o.flag, o.arg);
        }
        ScenarioError::Invalid {
            at,
            field: display_path.to_string(),
            expected,
            got: got.into(),
        }
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

/// The path as a user writes it: labs by id (by position when the id is empty), other
/// array items by index.
fn display_path(file: &ScenarioFile, segs: &[Seg]) -> String {
    let mut out: Vec<String> = Vec::new();
    for (n, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Key(k) => out.push(k.clone()),
            Seg::Index(i) if n == 1 && segs[0] == Seg::Key("labs".into()) => {
                match file.labs.get(*i).filter(|l| !l.id.is_empty()) {
                    Some(lab) => out.push(lab.id.clone()),
                    // Without an id, by position (`labs[1]`, from 0).
                    None => out[0] = format!("labs[{i}]"),
                }
            }
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
        Value::Float(f) => super::decl::fmt_num(*f),
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
        Kind::Id => {
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
        Kind::OptionalMonth if leaf.as_str() == Some("") => {}
        Kind::Month | Kind::OptionalMonth => {
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

/// Rules that span several fields: the calendar fits in four-digit years, lab ids are
/// unique and not reserved, initial shares sum to at most 1 (in every draw), a lab's
/// first release comes within its first run, and each policy's own rules
/// ([`crate::policy::Policy::validate`]).
fn check_cross_fields(
    ctx: &Context,
    file: &mut ScenarioFile,
    uncertain: &[Uncertain],
) -> Result<YearMonth, ScenarioError> {
    let start = YearMonth::parse(&file.start).ok_or_else(|| {
        ctx.invalid(
            "start",
            &key(&["start"]),
            "a calendar month like \"2023-01\"",
            &file.start,
        )
    })?;
    let last = start.plus(i64::from(file.months) - 1);
    if last.year() > 9999 {
        let room = YearMonth::parse("9999-12").map_or(0, |end| end.index() - start.index() + 1);
        return Err(ctx.invalid(
            "months",
            &key(&["months"]),
            format!(
                "at most {room} months from start {start}: dates end in 9999-12 (this horizon would end in {last})"
            ),
            file.months.to_string(),
        ));
    }
    if file.labs.is_empty() {
        return Err(ctx.invalid(
            "labs",
            &key(&["labs"]),
            "at least one lab ([[labs]] with an id)",
            "none",
        ));
    }
    if file.labs.len() > crate::schema::MAX_LABS {
        return Err(ctx.invalid(
            "labs",
            &key(&["labs"]),
            format!("at most {} labs", crate::schema::MAX_LABS),
            file.labs.len().to_string(),
        ));
    }
    // The `--set labs.<id>.id=ID` that gave a lab `id`, if one did: a message about that
    // id names the --set, not a line of the file it did not come from.
    let set_id = |id: &str| {
        ctx.overrides
            .iter()
            .rev()
            .find(|o| {
                o.path.len() == 3
                    && o.path[0] == "labs"
                    && o.path[2] == "id"
                    && o.value.as_str() == Some(id)
            })
            .map(|o| o.display_path())
    };
    let id_path = |i: usize, id: &str| set_id(id).unwrap_or_else(|| format!("labs[{i}].id"));
    for (i, lab) in file.labs.iter().enumerate() {
        if let Some(j) = file.labs[..i].iter().position(|other| other.id == lab.id) {
            return Err(ctx.invalid(
                &id_path(i, &lab.id),
                &lab_segs(i, "id"),
                match set_id(&lab.id) {
                    Some(_) => "an id not used by another lab".to_string(),
                    None => format!("an id not used by another lab (lab {j} has it)"),
                },
                format!("\"{}\"", lab.id),
            ));
        }
        if RESERVED_IDS.iter().any(|r| r.eq_ignore_ascii_case(&lab.id)) {
            return Err(ctx.invalid(
                &id_path(i, &lab.id),
                &lab_segs(i, "id"),
                format!(
                    "an id other than {}, which name rows or cells of the outputs that are \
                     not labs",
                    crate::numbers::list(RESERVED_IDS)
                ),
                format!("\"{}\"", lab.id),
            ));
        }
    }
    for i in 0..file.labs.len() {
        let lab = &mut file.labs[i];
        // Its default, run_months, is set only now: a run_months out of range is refused
        // under its own name first, not as a first_release the file never wrote.
        let first = *lab.first_release.get_or_insert(lab.run_months);
        if first > lab.run_months {
            return Err(ctx.invalid(
                &format!("labs.{}.first_release", lab.id),
                &lab_segs(i, "first_release"),
                format!("at most run_months ({})", lab.run_months),
                first.to_string(),
            ));
        }
        let at = format!("labs.{}.policy", lab.id);
        let rules = Rules::new(start, &at, uncertain);
        if let Err(broken) = lab.policy.policy_mut().validate(&rules) {
            return Err(broken_at(ctx, &at, lab_segs(i, "policy"), broken));
        }
    }
    super::economy::rules(file, start, uncertain)
        .map_err(|r| ctx.invalid(&r.path, &r.segs, r.expected, r.got))?;
    // Initial shares, as given (medians) and at the top of every uncertain one.
    let shares = Rules::new(start, "labs", uncertain);
    let (given, top) = file.labs.iter().fold((0.0, 0.0), |(given, top), lab| {
        let share = lab.customers.unwrap_or(0.0);
        let span = shares.span(&format!("{}.customers", lab.id), share);
        (given + share, top + span.hi)
    });
    let (expected, got) = if given > 1.0 + 1e-9 {
        ("", format!("{given}"))
    } else {
        (
            " in every draw",
            format!("up to {top} at the top of the distributions"),
        )
    };
    if top > 1.0 + 1e-9 {
        return Err(ctx.invalid(
            "labs.*.customers",
            &key(&["labs"]),
            format!("initial customer shares summing to at most 1{expected}"),
            got,
        ));
    }
    Ok(start)
}

/// The error for a rule a group broke: its key (`points.1.from`) below the group at
/// `path` (display) and `segs` (in the tree).
fn broken_at(ctx: &Context, path: &str, mut segs: Vec<Seg>, broken: Broken) -> ScenarioError {
    for part in broken.key.split('.') {
        segs.push(match part.parse::<usize>() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Key(part.to_string()),
        });
    }
    ctx.invalid(
        &format!("{path}.{}", broken.key),
        &segs,
        broken.expected,
        broken.got,
    )
}

mod messages;
#[cfg(test)]
mod tests;
