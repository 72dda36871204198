//! A resolved scenario as annotated TOML, for `racerun show`: every parameter written
//! out in catalogue order, each value the file (or a `--set`) did not give marked
//! `# default` or `# derived`, with its unit. The text loads back to the same scenario.

use toml::{Table, Value};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table as EditTable, Value as EditValue};

use super::decl::join;
use super::{Override, Scenario, ScenarioError, params};

/// The resolved scenario as TOML with defaults marked. `text` is the scenario's source and
/// `overrides` the `--set`s that were applied, so what was written can be told apart from
/// what was filled in.
pub fn annotated(
    scenario: &Scenario,
    text: &str,
    overrides: &[Override],
) -> Result<String, ScenarioError> {
    let mut written: Table = toml::from_str(text).map_err(|e| ScenarioError::Parse {
        at: String::new(),
        message: e.message().to_string(),
    })?;
    for o in overrides {
        o.apply(&mut written)?;
    }
    let mut resolved = Value::try_from(scenario.file()).map_err(|e| ScenarioError::Parse {
        at: String::new(),
        message: e.to_string(),
    })?;
    // Inputs given as distributions are shown as written, not as their medians.
    super::uncertain::restore(&mut resolved, scenario.uncertain());
    let root = resolved.as_table().cloned().unwrap_or_default();
    let mark = Marker { written: &written };
    let mut doc = DocumentMut::new();
    doc.decor_mut().set_prefix(format!(
        "# {}: the fully resolved scenario. Values marked `# default` are not set by the\n\
         # scenario (or a --set) and take the catalogue's default; `# derived` ones are\n\
         # computed from others (see `racerun params`); parameters left unset are named\n\
         # under their table. Loads back to the same scenario.\n\n",
        scenario.name
    ));
    mark.fill(doc.as_table_mut(), &root, &[], "");
    if let Some(world) = root.get("world").and_then(Value::as_table) {
        let mut tables = EditTable::new();
        tables.set_implicit(true);
        for (group, value) in ordered(world, "world") {
            if let Value::Table(t) = value {
                let path = ["world".to_string(), group.clone()];
                let mut table = EditTable::new();
                table.decor_mut().set_prefix("\n");
                mark.fill(&mut table, t, &path, &format!("world.{group}"));
                tables.insert(group, Item::Table(table));
            }
        }
        doc.insert("world", Item::Table(tables));
    }
    let mut labs = ArrayOfTables::new();
    let each = root.get("labs").and_then(Value::as_array);
    for (i, lab) in each.into_iter().flatten().enumerate() {
        let Some(t) = lab.as_table() else { continue };
        let path = ["labs".to_string(), i.to_string()];
        let mut table = EditTable::new();
        table.decor_mut().set_prefix("\n");
        mark.fill(&mut table, t, &path, "labs.*");
        if let Some(policy) = t.get("policy").and_then(Value::as_table) {
            let mut sub = EditTable::new();
            sub.decor_mut().set_prefix("");
            let mut path = path.to_vec();
            path.push("policy".into());
            mark.fill(&mut sub, policy, &path, "labs.*.policy");
            table.insert("policy", Item::Table(sub));
        }
        labs.push(table);
    }
    doc.insert("labs", Item::ArrayOfTables(labs));
    Ok(doc.to_string())
}

/// Tells what the scenario wrote from what was filled in.
struct Marker<'a> {
    written: &'a Table,
}

impl Marker<'_> {
    /// Puts the scalar (and inline) leaves of `table` into `out`, each with a comment
    /// saying whether it is a default or derived, and its unit; comments aligned.
    fn fill(&self, out: &mut EditTable, table: &Table, path: &[String], generic: &str) {
        let lines: Vec<(&String, EditValue, String)> = ordered(table, generic)
            .into_iter()
            // Sub-tables and the labs get sections of their own; schedule points stay inline.
            .filter(|(k, v)| {
                let leaf = !v.is_table() || params::find(&join(generic, k)).is_some();
                leaf && !(generic.is_empty() && k.as_str() == "labs")
            })
            .map(|(k, v)| {
                let spec = params::find(&join(generic, k));
                let mut full = path.to_vec();
                full.push(k.clone());
                let given = lookup(self.written, &full);
                // An empty text is the empty default (`description`, `wave_from`); other
                // parameters without a catalogue default are derived from others.
                let has_default =
                    spec.is_some_and(|s| !s.default.is_empty()) || v.as_str() == Some("");
                let mark = match (given, has_default) {
                    (true, _) => "",
                    (false, true) => "default",
                    (false, false) => "derived",
                };
                let unit = spec.map_or("", |s| s.unit);
                let note = [mark, unit]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                (k, edit_value(v), note)
            })
            .collect();
        let width = lines
            .iter()
            .map(|(k, v, _)| k.len() + 3 + v.to_string().len())
            .max()
            .unwrap_or(0)
            .min(40);
        let first = lines.first().map(|(k, _, _)| k.as_str());
        for (k, value, note) in lines {
            let used = k.len() + 3 + value.to_string().len();
            let comment = if note.is_empty() {
                String::new()
            } else {
                format!("{}  # {note}", " ".repeat(width.saturating_sub(used)))
            };
            out.insert(k, Item::Value(value.decorated(" ", comment)));
        }
        // Parameters left unset (optional levers, or ones the engine derives at month 0)
        // have no TOML value to show: name them, so a reader learns they exist.
        let absent = absent(table, generic);
        debug_assert!(
            first.is_some() || absent.is_empty(),
            "a table with unset parameters and no values: {generic}"
        );
        if let Some(mut key) = first.and_then(|k| out.key_mut(k))
            && !absent.is_empty()
        {
            key.leaf_decor_mut().set_prefix(format!(
                "# unset (see `racerun params`): {}\n",
                absent.join(", ")
            ));
        }
    }
}

/// The parameters without a catalogue default directly under `generic` that `table`
/// leaves unset.
fn absent(table: &Table, generic: &str) -> Vec<&'static str> {
    params::PARAMS
        .iter()
        .filter_map(|s| {
            let key = match generic {
                "" => s.path,
                g => s.path.strip_prefix(g)?.strip_prefix('.')?,
            };
            let leaf = !key.contains('.') && s.default.is_empty();
            (leaf && !table.contains_key(key)).then_some(key)
        })
        .collect()
}

/// A value for the document; large and tiny numbers as `1e21`, not twenty-two digits.
fn edit_value(v: &Value) -> EditValue {
    match v {
        Value::Float(f) if *f != 0.0 && (f.abs() >= 1e7 || f.abs() < 1e-4) => format!("{f:e}")
            .parse()
            .unwrap_or_else(|_| EditValue::from(*f)),
        Value::Float(f) => EditValue::from(*f),
        Value::Integer(i) => EditValue::from(*i),
        Value::Boolean(b) => EditValue::from(*b),
        Value::String(s) => EditValue::from(s.as_str()),
        Value::Datetime(d) => d
            .to_string()
            .parse()
            .unwrap_or_else(|_| EditValue::from("")),
        Value::Array(items) => {
            let mut array: toml_edit::Array = items.iter().map(edit_value).collect();
            array.fmt();
            EditValue::Array(array)
        }
        Value::Table(t) => {
            let mut inline: toml_edit::InlineTable =
                t.iter().map(|(k, v)| (k.as_str(), edit_value(v))).collect();
            inline.fmt();
            EditValue::InlineTable(inline)
        }
    }
}

/// The table's entries in catalogue order (unknown keys last, alphabetically).
fn ordered<'t>(table: &'t Table, generic: &str) -> Vec<(&'t String, &'t Value)> {
    let rank = |k: &str| {
        let g = join(generic, k);
        params::PARAMS
            .iter()
            .position(|s| s.path == g || s.path.starts_with(&format!("{g}.")))
            .unwrap_or(usize::MAX)
    };
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| (rank(k), (*k).clone()));
    entries
}

/// Whether the written tree has a value at `path` (array items by index).
fn lookup(tree: &Table, path: &[String]) -> bool {
    let mut here: Option<&Value> = None;
    let mut table = Some(tree);
    for seg in path {
        let next = match (table, here) {
            (Some(t), _) => t.get(seg),
            (None, Some(Value::Array(a))) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        let Some(next) = next else { return false };
        here = Some(next);
        table = next.as_table();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"m\"\n[world.dynamics]\nkappa = 1.5\n[[labs]]\nid = \"a\"\nfleet = 5e4\npolicy = { kind = \"serve_first\", min_train = 0.4 }\n[[labs]]\nid = \"b\"\npolicy = { kind = \"schedule\", points = [{ from = \"2024-01\", train = 0.3 }] }\n";

    #[test]
    fn marks_defaults_and_loads_back() {
        let o = Override::parse("world.market.beta=2").unwrap();
        let s = Scenario::load(TEXT, "t.toml", std::slice::from_ref(&o)).unwrap();
        let text = annotated(&s, TEXT, &[o]).unwrap();
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("no `{start}` in\n{text}"))
                .to_string()
        };
        assert!(!line("kappa = 1.5").contains("default"), "{text}");
        assert!(line("phi = 0.0").contains("# default"), "{text}");
        assert!(!line("beta = 2").contains("default"), "{text}");
        assert!(line("fleet = 50000.0").ends_with("# H100e"), "{text}");
        assert!(
            line("fleet = 100000.0").contains("# default; H100e"),
            "{text}"
        );
        assert!(line("max_train = 0.9").contains("# default"), "{text}");
        assert!(line("quality = 1250.0").contains("# derived"), "{text}");
        assert!(!line("min_train = 0.4").contains("default"), "{text}");
        let again = Scenario::load(&text, "shown.toml", &[]).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn unset_parameters_are_named_under_their_table() {
        let unset = |text: &str| {
            let s = Scenario::load(text, "t.toml", &[]).unwrap();
            let shown = annotated(&s, text, &[]).unwrap();
            let after = shown.split("[world.demand]\n").nth(1).unwrap().to_string();
            after.lines().next().unwrap().to_string()
        };
        assert_eq!(unset(TEXT), "# unset (see `racerun params`): growth_long");
        let given = TEXT.replace(
            "[world.dynamics]",
            "[world.demand]\ngrowth_long = 1.2\n[world.dynamics]",
        );
        assert!(unset(&given).starts_with("d0 = "), "{}", unset(&given));
    }

    #[test]
    fn distributions_are_shown_as_written() {
        let text = TEXT.replace(
            "kappa = 1.5",
            "kappa = { dist = \"uniform\", min = 0.5, max = 1.5 }",
        );
        let s = Scenario::load(&text, "t.toml", &[]).unwrap();
        let shown = annotated(&s, &text, &[]).unwrap();
        let line = shown.lines().find(|l| l.starts_with("kappa = ")).unwrap();
        assert!(line.contains("dist = \"uniform\""), "{shown}");
        let again = Scenario::load(&shown, "shown.toml", &[]).unwrap();
        assert_eq!(again.uncertain(), s.uncertain());
    }
}
