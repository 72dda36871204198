//! A scenario file's errors in the file's own terms: the dotted path of the value or
//! table at fault, a "did you mean", the range of a parameter given the wrong type, a key
//! or table written twice, and what serde names by Rust types said as TOML shapes.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::super::params::{self, Kind};
use super::super::suggest;

/// Adds a "did you mean" to serde's unknown-field messages, and says what an integer
/// too large for TOML is.
pub(super) fn enrich(message: &str) -> String {
    let friendly = message
        .trim()
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number");
    let friendly = short_float(&wanted_shape(&friendly));
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
pub(super) fn wanted_shape(message: &str) -> String {
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

pub(super) fn at_span(origin: &str, text: &str, span: Option<std::ops::Range<usize>>) -> String {
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
pub(super) fn with_path(
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: String,
) -> String {
    if message == "duplicate key" {
        return span.map_or(message, |span| duplicate(text, span));
    }
    // A field missing from the top level is reported at no span (0..0) or over the whole
    // file, whose first byte may open a table (`[[labs]]`): not that table's.
    let whole = |span: &std::ops::Range<usize>| {
        span.start == 0 && (span.end == 0 || span.end >= text.trim_end().len())
    };
    let at = span.filter(|span| !whole(span)).map(|span| span.start);
    match at.and_then(|at| path_at(text, at)) {
        Some(path) if !path.is_empty() => {
            let hint = other_policy(&path, &message);
            format!("{path}: {}{hint}", in_range(&path, message))
        }
        Some(_) => message,
        // The text does not parse, so its tree cannot say: the line does.
        None => match at
            .filter(|_| DeTable::parse(text).is_err())
            .and_then(|at| line_at(text, at))
        {
            Some((path, value)) => unreadable(&path, &value, &message),
            None => message,
        },
    }
}

/// The dotted key and the value's text of the `key = value` line holding byte `at` of a
/// text that does not parse (so its tree cannot say): the key as written after the last
/// table header above it (`[[labs]]` named by the `id` in its block, as `--set` names a
/// lab), the value up to a comment.
fn line_at(text: &str, at: usize) -> Option<(String, String)> {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let (key, value) = text[start..end].split_once('=')?;
    let key = key.trim();
    if key.is_empty() || key.starts_with(['#', '[']) {
        return None;
    }
    let value = value.split('#').next().unwrap_or("").trim().to_string();
    let lines: Vec<&str> = text[..start].lines().collect();
    let header = lines
        .iter()
        .rposition(|l| l.trim_start().starts_with('['))
        .map(|i| (i, lines[i].split('#').next().unwrap_or("").trim()));
    let table = match header {
        Some((i, h)) if h.starts_with("[[") => {
            let name = h.trim_matches(['[', ']', ' ']).to_string();
            let block = text[..start]
                .lines()
                .skip(i + 1)
                .chain(text[start..].lines().skip(1));
            let id = block
                .take_while(|l| !l.trim_start().starts_with('['))
                .find_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    let v = v.split('#').next().unwrap_or("");
                    (k.trim() == "id").then(|| v.trim().trim_matches('"').to_string())
                });
            match id {
                Some(id) if key != "id" => format!("{name}.{id}."),
                _ => format!("{name}."),
            }
        }
        Some((_, h)) => format!("{}.", h.trim_matches(['[', ']', ' '])),
        None => String::new(),
    };
    Some((format!("{table}{key}"), value))
}

/// A value the TOML reader could not read, in the file's terms: the field, the text, what
/// the reader said, and how the parameter's values are written.
fn unreadable(path: &str, value: &str, message: &str) -> String {
    let spec = params::find(&params::generic_path(path));
    let range = |unit: &str| match spec.and_then(|s| s.range) {
        Some(range) if unit.is_empty() => format!(" in {range}"),
        Some(range) => format!(" in {range} {unit}"),
        None => String::new(),
    };
    let hint = match spec.map(|s| s.kind) {
        Some(Kind::Real) => format!(
            "; expected a number{}, written as 0.5, 12, 1e9 or -0.25",
            range(spec.map_or("", |s| s.unit))
        ),
        Some(Kind::Int) => format!(
            "; expected a whole number{}",
            range(spec.map_or("", |s| s.unit))
        ),
        Some(Kind::Month | Kind::OptionalMonth) => {
            "; expected a month in quotes, as \"2023-01\"".to_string()
        }
        Some(Kind::Color) => "; expected a colour in quotes, as \"#E69F00\"".to_string(),
        Some(Kind::Text | Kind::Id | Kind::Choice(_)) => "; expected text in quotes".to_string(),
        Some(Kind::Bool) => "; expected true or false".to_string(),
        None => String::new(),
    };
    let what = if value.is_empty() {
        "no value after `=`".to_string()
    } else {
        format!("`{value}` is not a TOML value")
    };
    format!("{path}: {what} ({message}){hint}")
}

/// For an unknown field of a policy that another kind of policy takes (`min_train` in a
/// `fixed` policy): `; min_train is a setting of the serve_first policy (kind =
/// "serve_first")`. Empty otherwise.
pub(super) fn other_policy(path: &str, message: &str) -> String {
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
pub(super) fn duplicate(text: &str, span: std::ops::Range<usize>) -> String {
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    if line.starts_with('[') {
        let list = line.starts_with("[[");
        let header = line
            .split(']')
            .next()
            .unwrap_or(line)
            .trim_start_matches('[')
            .trim();
        let before = &text[..line_start];
        let other = if list {
            format!("[{header}]")
        } else {
            format!("[[{header}]]")
        };
        // `[x]` and `[[x]]` mixed: one table against a list of tables.
        if before.lines().any(|l| l.trim().starts_with(&other)) {
            return format!(
                "`{header}` is written both as `[[{header}]]` (a list of tables, one per \
                 entry) and as `[{header}]` (a single table); write every entry as \
                 `[[{header}]]`"
            );
        }
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

/// serde writes a float in every digit (`floating point `1000...0.0``, 309 digits for
/// 1e308): such a number is written with an exponent.
fn short_float(message: &str) -> String {
    const AT: &str = "floating point `";
    let Some((head, rest)) = message.split_once(AT) else {
        return message.to_string();
    };
    match rest.split_once('`') {
        Some((number, tail)) if number.len() > 20 => match number.parse::<f64>() {
            Ok(x) => format!("{head}{AT}{x:e}`{tail}"),
            Err(_) => message.to_string(),
        },
        _ => message.to_string(),
    }
}

/// serde's message for a whole number its type cannot hold (`invalid value: integer
/// `-3`, expected a whole number`, for a negative one or one beyond 4294967295; or one
/// beyond TOML's integers, see [`enrich`]), told as validation tells any value out of
/// range: `expected a whole number in [1, 1200] months, got -3`. A value of the wrong type
/// gets the range too (`invalid type: string "NaN", expected a number in [0, 5]`). Other
/// messages are returned as they are.
pub(super) fn in_range(path: &str, message: String) -> String {
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
pub(super) fn path_at(text: &str, at: usize) -> Option<String> {
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
