//! Text to validated [`Scenario`]: parse, override, derive defaults, check every leaf.

use toml::de::{DeTable, DeValue};
use toml::{Spanned, Table, Value};

use super::decl::{Node, Seg};
use super::params::{self, Kind};
use super::rules::{Broken, Rules};
use super::uncertain::{self, Uncertain};
use super::{
    OKABE_ITO, Override, RESERVED_IDS, Scenario, ScenarioError, ScenarioFile, YearMonth, suggest,
};

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

/// Adds a "did you mean" to serde's unknown-field messages, and says what an integer
/// too large for TOML is.
fn enrich(message: &str) -> String {
    let friendly = message
        .trim()
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number");
    let friendly = wanted_shape(&friendly);
    let message = friendly.as_str();
    if let Some(n) = message
        .strip_prefix("invalid type: integer `")
        .and_then(|rest| rest.strip_suffix("` as i128, expected any valid TOML value"))
    {
        return format!(
            "integer {n} is too large: TOML integers stop at 9223372036854775807 (write a \
             large amount as a number with an exponent, e.g. 1e20)"
        );
    }
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

/// serde's names for what a scenario's tables are (`expected struct Dynamics`, `expected
/// internally tagged enum PolicySpec`, `expected a sequence`) in the file's terms.
fn wanted_shape(message: &str) -> String {
    let Some((head, wanted)) = message.rsplit_once(", expected ") else {
        return message.to_string();
    };
    let said = if wanted == "internally tagged enum PolicySpec" {
        "a policy table such as `{ kind = \"fixed\", train = 0.5 }` (kinds: `racerun params \
         labs.policy`)"
    } else if wanted.starts_with("struct ") || wanted == "a map" {
        "a table of settings"
    } else if wanted == "a sequence" {
        "a list (for labs: one `[[labs]]` table per lab)"
    } else {
        return message.to_string();
    };
    format!("{head}, expected {said}")
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

/// `message` prefixed with the dotted path of the value at `span`: the field of a type
/// error (`world.dynamics.kappa: invalid type ...`), the table of an unknown or missing
/// field (`labs.a.policy: unknown field ...`).
fn with_path(text: &str, span: Option<std::ops::Range<usize>>, message: String) -> String {
    if message == "duplicate key" {
        return span.map_or(message, |span| duplicate(text, span));
    }
    match span.and_then(|span| path_at(text, span.start)) {
        Some(path) if !path.is_empty() => {
            let hint = other_policy(&path, &message);
            format!("{path}: {}{hint}", in_range(&path, message))
        }
        _ => message,
    }
}

/// For an unknown field of a policy that another kind of policy takes (`min_train` in a
/// `fixed` policy): `; min_train is a setting of the serve_first policy (kind =
/// "serve_first")`. Empty otherwise.
fn other_policy(path: &str, message: &str) -> String {
    let field = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, _)| field);
    // A schedule's point (`from`, `train`) is reported at its policy too: no advice there.
    let in_point = message.contains("`from`");
    let (Some(field), true, false) = (field, path.ends_with(".policy"), in_point) else {
        return String::new();
    };
    let Some(spec) = params::find(&format!("labs.*.policy.{field}")) else {
        return String::new();
    };
    let Some((kinds, _)) = spec.doc.split_once(':') else {
        return String::new();
    };
    let kinds: Vec<&str> = kinds.split(',').map(str::trim).collect();
    let set: Vec<String> = kinds.iter().map(|k| format!("kind = \"{k}\"")).collect();
    format!(
        "; `{field}` is a setting of the {} polic{} ({})",
        crate::numbers::list(&kinds),
        if kinds.len() == 1 { "y" } else { "ies" },
        set.join(" or ")
    )
}

/// TOML's bare "duplicate key", told with the key or table written twice.
fn duplicate(text: &str, span: std::ops::Range<usize>) -> String {
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    if line.starts_with('[') {
        let header = line
            .split(']')
            .next()
            .unwrap_or(line)
            .trim_start_matches('[');
        return format!(
            "the table `[{header}]` is written twice; write its keys under one `[{header}]`"
        );
    }
    let key = text
        .get(span)
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| line.split('=').next().unwrap_or(line).trim());
    format!("the key `{key}` is written twice in the same table; keep one of them")
}

/// serde's message for a whole number its type cannot hold (`invalid value: integer
/// `-3`, expected a whole number`, for a negative one or one beyond 4294967295; or one
/// beyond TOML's integers, see [`enrich`]), told as validation tells any value out of
/// range: `expected a whole number in [1, 1200] months, got -3`. A value of the wrong type
/// gets the range too (`invalid type: string "NaN", expected a number in [0, 5]`). Other
/// messages are returned as they are.
fn in_range(path: &str, message: String) -> String {
    let spec = params::find(&params::generic_path(path));
    let too_large = message
        .strip_prefix("integer ")
        .and_then(|rest| rest.split_once(" is too large: TOML integers"))
        .map(|(n, _)| n)
        .filter(|_| spec.is_some_and(|s| s.kind == Kind::Int));
    let Some((range, unit)) = spec.and_then(|spec| Some((spec.range?, spec.unit))) else {
        return message;
    };
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    let Some(n) = message
        .strip_prefix("invalid value: integer `")
        .and_then(|rest| rest.strip_suffix("`, expected a whole number"))
        .or(too_large)
    else {
        // A value of the wrong type (`kappa=NaN`, `months=1e9`): say the range as well.
        let wrong_type = message.starts_with("invalid type: ")
            && (message.ends_with(", expected a number")
                || message.ends_with(", expected a whole number"));
        return if wrong_type {
            format!("{message} in {range}{unit}")
        } else {
            message
        };
    };
    format!("expected a whole number in {range}{unit}, got {n}")
}

/// The dotted path of the innermost value the file wrote at byte `at`: labs by id, as
/// `--set` names them, or by position (`labs[1]`, from 0) when they have no id.
fn path_at(text: &str, at: usize) -> Option<String> {
    fn within(table: &DeTable, at: usize, path: &mut Vec<String>) -> bool {
        for (key, value) in table.iter() {
            // At a key (an unknown field's): the path is the table that holds it.
            if key.span().contains(&at) {
                return true;
            }
            path.push(key.get_ref().to_string());
            if holds(value, at, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    fn holds(value: &Spanned<DeValue>, at: usize, path: &mut Vec<String>) -> bool {
        match value.get_ref() {
            DeValue::Table(t) if within(t, at, path) => return true,
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    // A lab is named by its id, as --set names it.
                    let id = match item.get_ref() {
                        DeValue::Table(t) => t
                            .iter()
                            .find(|(k, _)| k.get_ref().as_ref() == "id")
                            .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string)),
                        _ => None,
                    };
                    path.push(id.unwrap_or_else(|| format!("[{i}]")));
                    if holds(item, at, path) {
                        return true;
                    }
                    path.pop();
                }
            }
            _ => {}
        }
        value.span().contains(&at)
    }
    let root = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    within(root.get_ref(), at, &mut path).then(|| path.join(".").replace(".[", "["))
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
                    "an id other than {}, which name rows of the outputs that are not labs",
                    RESERVED_IDS.join(" and ")
                ),
                format!("\"{}\"", lab.id),
            ));
        }
    }
    for i in 0..file.labs.len() {
        let lab = &mut file.labs[i];
        let first = lab.first_release.unwrap_or(lab.run_months);
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

#[cfg(test)]
mod tests;
