//! Tables the report pages share: numbers for readers, any JSON section of a summary as
//! a table (plausibility, attribution, the verdict's evidence, whatever shape it has),
//! and the resolved scenario with its defaults marked.

use std::fmt::Write as _;

use serde_json::Value;
use toml::Value as Toml;

use super::html::{esc, table};
use crate::numbers::{compact, thousands};
use crate::scenario::params;

/// A number for readers: thousands separators for large whole numbers, `1.2M` for large
/// ones, three significant digits otherwise, a dash when missing.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e6 {
        return thousands(v as i64);
    }
    if v.abs() >= 1e4 {
        return compact(v);
    }
    let digits = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 1.0 {
        2
    } else {
        3
    };
    crate::numbers::minus(crate::numbers::trimmed(v, digits))
}

/// A key as words: a headline measure by its label, else underscores as spaces.
pub fn words(key: &str) -> String {
    match crate::measures::find(key) {
        Some(m) => m
            .label
            .replace("{months}", "the horizon's")
            .replace("{persistence}", "h"),
        None => {
            let mut s = key.replace('_', " ");
            if let Some(first) = s.get(..1) {
                s.replace_range(..1, &first.to_uppercase());
            }
            s.split(' ')
                .map(|w| {
                    if w.eq_ignore_ascii_case("ci") {
                        "CI"
                    } else {
                        w
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

/// A JSON scalar as a cell: numbers for readers, `true`/`false` as a tick or a cross.
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "–".to_string(),
        Value::Bool(true) => "<span class=\"ok\">✓ yes</span>".to_string(),
        Value::Bool(false) => "<span class=\"bad\">✗ no</span>".to_string(),
        Value::Number(n) => num(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => esc(s),
        other => format!("<code>{}</code>", esc(&other.to_string())),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Object(_) | Value::Array(_))
}

/// Columns of rows that are objects of scalars, in first-seen order, a column that
/// names the row (`name`, `threshold`, `measure`...) first.
fn columns<'a>(rows: impl Iterator<Item = &'a serde_json::Map<String, Value>>) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for row in rows {
        for k in row.keys() {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
    }
    const NAMES: [&str; 7] = [
        "name",
        "id",
        "label",
        "threshold",
        "measure",
        "channel",
        "input",
    ];
    cols.sort_by_key(|c| !NAMES.contains(&c.as_str()));
    cols
}

/// Any JSON value as HTML tables: an object of scalars as name/value rows, an object of
/// objects of scalars or a list of them as one row each, anything deeper as a heading
/// per key around its own tables.
pub fn json(v: &Value) -> String {
    match v {
        Value::Object(map) if map.values().all(is_scalar) => {
            let rows: Vec<Vec<String>> = map
                .iter()
                .map(|(k, v)| vec![esc(&words(k)), scalar(v)])
                .collect();
            table(&["", "value"], &rows)
        }
        Value::Object(map)
            if map
                .values()
                .all(|v| v.as_object().is_some_and(|o| o.values().all(is_scalar))) =>
        {
            let objs = map.values().filter_map(Value::as_object);
            let cols = columns(objs);
            let rows: Vec<Vec<String>> = map
                .iter()
                .map(|(k, v)| {
                    let o = v.as_object();
                    std::iter::once(esc(&words(k)))
                        .chain(
                            cols.iter()
                                .map(|c| o.and_then(|o| o.get(c)).map_or("–".to_string(), scalar)),
                        )
                        .collect()
                })
                .collect();
            let head: Vec<String> = std::iter::once(String::new())
                .chain(cols.iter().map(|c| words(c)))
                .collect();
            table(&head.iter().map(String::as_str).collect::<Vec<_>>(), &rows)
        }
        Value::Array(items)
            if items
                .iter()
                .all(|v| v.as_object().is_some_and(|o| o.values().all(is_scalar))) =>
        {
            let cols = columns(items.iter().filter_map(Value::as_object));
            let rows: Vec<Vec<String>> = items
                .iter()
                .filter_map(Value::as_object)
                .map(|o| {
                    cols.iter()
                        .map(|c| o.get(c).map_or("–".to_string(), scalar))
                        .collect()
                })
                .collect();
            let head: Vec<String> = cols.iter().map(|c| words(c)).collect();
            table(&head.iter().map(String::as_str).collect::<Vec<_>>(), &rows)
        }
        Value::Object(map) => {
            let mut out = String::new();
            let scalars: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(_, v)| is_scalar(v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !scalars.is_empty() {
                out.push_str(&json(&Value::Object(scalars)));
            }
            for (k, v) in map.iter().filter(|(_, v)| !is_scalar(v)) {
                let _ = write!(out, "<h3>{}</h3>\n{}", esc(&words(k)), json(v));
            }
            out
        }
        Value::Array(items) => items.iter().map(json).collect::<Vec<_>>().join("\n"),
        scalar_value => format!("<p>{}</p>", scalar(scalar_value)),
    }
}

/// One parameter of the resolved scenario as a table row.
struct Row {
    path: String,
    value: String,
    default: bool,
    set: bool,
}

/// Whether a resolved value equals the catalogue's default as shown (`3`, `1e21`,
/// `orders`).
fn is_default(value: &Toml, default: &str) -> bool {
    let shown = match value {
        Toml::String(s) => s.clone(),
        Toml::Float(f) => return default.parse::<f64>().is_ok_and(|d| d == *f),
        Toml::Integer(i) => return default.parse::<f64>().is_ok_and(|d| d == *i as f64),
        Toml::Boolean(b) => b.to_string(),
        other => other.to_string(),
    };
    shown == default
}

/// A lab's colour as given, and, where the charts draw it in another (too close to an
/// earlier lab's), the one they draw: the report's charts and key show that one.
fn with_drawn_colors(tree: &Toml, mut rows: Vec<Row>) -> Vec<Row> {
    let labs = tree
        .get("labs")
        .and_then(Toml::as_array)
        .map_or(&[][..], Vec::as_slice);
    let given: Vec<Option<&str>> = labs
        .iter()
        .map(|l| l.get("color").and_then(Toml::as_str))
        .collect();
    let drawn = crate::plot::lab_colors_hex(given.iter().copied());
    for ((lab, given), drawn) in labs.iter().zip(&given).zip(&drawn) {
        let (Some(id), Some(given)) = (lab.get("id").and_then(Toml::as_str), given) else {
            continue;
        };
        let path = format!("labs.{id}.color");
        let row = rows.iter_mut().find(|r| r.path == path);
        if let Some(row) = row.filter(|_| !given.eq_ignore_ascii_case(drawn)) {
            row.value = format!("{given} (drawn as {drawn}: too close to another lab's colour)");
        }
    }
    rows
}

/// The resolved scenario (`scenario.toml` of a result) as tables, one per group, each
/// parameter with its human name, value and unit, and marked `default` where it has the
/// catalogue's default or `--set` where an override gave it. `overrides` are as given
/// (`world.dynamics.kappa=1.2`).
pub fn scenario(toml_text: &str, overrides: &[String]) -> String {
    let Ok(tree) = toml::from_str::<Toml>(toml_text) else {
        return format!("<pre>{}</pre>", esc(toml_text));
    };
    let found = params::leaves(&tree);
    let set: Vec<&str> = overrides
        .iter()
        .filter_map(|o| o.split_once('=').map(|(p, _)| p.trim()))
        .collect();
    let rows: Vec<Row> = found
        .into_iter()
        .map(|(path, value)| {
            let spec = params::find(&params::generic_path(&path));
            let shown = match &value {
                // An optional month left empty (no supply wave): said, not a blank.
                Toml::String(s)
                    if s.is_empty()
                        && spec.is_some_and(|p| p.kind == params::Kind::OptionalMonth) =>
                {
                    "none".to_string()
                }
                Toml::String(s) => s.clone(),
                Toml::Float(f) if f.abs() >= 1e15 || (*f != 0.0 && f.abs() < 1e-3) => {
                    format!("{f:e}")
                }
                Toml::Float(f) => num(*f),
                Toml::Integer(i) => num(*i as f64),
                other => other.to_string(),
            };
            Row {
                default: spec.is_some_and(|s| is_default(&value, s.default)),
                set: set.contains(&path.as_str()),
                value: shown,
                path,
            }
        })
        .collect();
    let rows = with_drawn_colors(&tree, rows);
    // Catalogue order, as `racerun params` and `racerun show` list them.
    let order = |path: &str| {
        let generic = params::generic_path(path);
        params::PARAMS
            .iter()
            .position(|p| p.path == generic)
            .unwrap_or(usize::MAX)
    };
    let mut rows = rows;
    rows.sort_by_key(|r| {
        let parts: Vec<&str> = r.path.split('.').collect();
        let lab = if parts.first() == Some(&"labs") {
            parts.get(1).copied()
        } else {
            None
        };
        (lab.is_some(), lab.map(String::from), order(&r.path))
    });
    let mut out = String::new();
    let group = |path: &str| -> String {
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            ["world", g, ..] => format!("World: {}", g.replace('_', " ")),
            ["labs", id, ..] => format!("Lab {id}"),
            _ => "Scenario".to_string(),
        }
    };
    let mut groups: Vec<String> = Vec::new();
    for r in &rows {
        let g = group(&r.path);
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    for g in groups {
        let body: Vec<Vec<String>> = rows
            .iter()
            .filter(|r| group(&r.path) == g)
            .map(|r| {
                let spec = params::find(&params::generic_path(&r.path));
                let name = spec.map_or_else(|| words(&r.path), |s| s.name());
                let unit = spec.map_or("", |s| s.unit);
                let doc = spec.map_or("", |s| s.doc);
                let tag = match (r.set, r.default) {
                    (true, _) => " <span class=\"tag set\">--set</span>",
                    (false, true) => " <span class=\"tag\">default</span>",
                    _ => "",
                };
                vec![
                    format!("<span title=\"{}\">{}</span>", esc(doc), esc(&name)),
                    format!("{}{tag}", esc(&r.value)),
                    esc(unit),
                    format!("<code>{}</code>", esc(&r.path)),
                ]
            })
            .collect();
        let _ = write!(
            out,
            "<h3>{}</h3>\n<div class=\"params\">{}</div>",
            esc(&g),
            table(&["parameter", "value", "unit", "path"], &body)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_generic_tables() {
        assert_eq!(num(2000.0), "2,000");
        assert_eq!(num(0.29345), "0.293");
        assert_eq!(num(-3.456), "\u{2212}3.46");
        assert_eq!(num(-0.0004), "0");
        assert_eq!(num(12_345_678.9), "12.3M");
        let v: Value = serde_json::json!({
            "peak_price": {"value": 4.5, "bound": 3.0, "unit": "x", "within": false},
            "fleet": {"value": 1e6, "bound": 1e7, "unit": "H100e", "within": true}
        });
        let html = json(&v);
        assert!(html.contains("<th scope=\"col\">Within</th>"), "{html}");
        assert!(html.contains("✗ no") && html.contains("✓ yes"), "{html}");
        assert!(html.contains("Peak price"));
    }

    #[test]
    fn scenario_marks_defaults_and_overrides() {
        let toml = "name = \"x\"\nmonths = 120\n[world.dynamics]\nkappa = 1.2\nphi = 0.0\n\
                    [world.gpus]\nwave_from = \"\"\n[[labs]]\nid = \"alpha\"\nfleet = 5.0\n";
        let html = scenario(toml, &["world.dynamics.kappa=1.2".into()]);
        let row = |name: &str| {
            let at = html
                .find(name)
                .unwrap_or_else(|| panic!("{name} missing: {html}"));
            html[at..].split("</tr>").next().unwrap().to_string()
        };
        assert!(row("Self-improvement exponent").contains("--set"));
        assert!(row("Catch-up spillover").contains("default"));
        assert!(!row("Initial GPU fleet").contains("default"));
        assert!(row("Horizon").contains("default"));
        assert!(html.contains("<h3>Lab alpha</h3>"));
        // An optional month left empty says so.
        assert!(row("Supply wave start").contains("none"), "{html}");
    }

    #[test]
    fn a_colour_the_charts_replace_says_which_they_draw() {
        // Meta's blue is too close to Google's, which comes first: the charts draw Meta in
        // another colour, and the table says which; Google's own stands as given.
        let toml = "name = \"x\"\n[[labs]]\nid = \"google\"\ncolor = \"#4285F4\"\n\
                    [[labs]]\nid = \"meta\"\ncolor = \"#0866FF\"\n";
        let html = scenario(toml, &[]);
        let drawn = crate::plot::lab_colors_hex([Some("#4285F4"), Some("#0866FF")]);
        assert_eq!(drawn[0], "#4285F4");
        assert_ne!(drawn[1], "#0866FF");
        let meta = format!("#0866FF (drawn as {}: too close to another lab", drawn[1]);
        assert!(html.contains(&meta), "{html}");
        assert!(!html.contains("#4285F4 (drawn"), "{html}");
    }
}
