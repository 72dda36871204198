//! `racerun new NAME [--from SCENARIO]`: write a commented starter scenario.
//!
//! Without `--from`, the starter sets a small two-lab world and lists every other world
//! and lab parameter commented out with its default, unit and meaning, generated from the
//! parameter catalogue so it matches what validation accepts. With `--from`, it copies
//! the source's text, comments included, under the new name. Either way the file is
//! validated before it is written, and an existing file is kept unless `--force` (which
//! replaces a link, never the file it points to).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use racerun::policy::PolicySpec;
use racerun::scenario::Scenario;
use racerun::scenario::library::Source;
use racerun::scenario::params::{Kind, PARAMS, ParamSpec};
use toml_edit::{DocumentMut, Item};

use super::console::out;
use crate::cli::NewArgs;

/// Runs `racerun new`.
pub fn run(args: NewArgs) -> Result<()> {
    let (path, name) = target(&args.name)?;
    if path.is_dir() {
        bail!(
            "{} is a directory; give the scenario file another name",
            path.display()
        );
    }
    // Not into a result: its next run replaces it whole, and would delete the scenario.
    let folder = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
    if let Some(result) = folder
        .ancestors()
        .skip(1)
        .find(|a| racerun::output::place::manifest_kind(a).is_some())
    {
        bail!(
            "{} would go inside {}, a racerun result, which its next run replaces whole; \
             write the scenario elsewhere, e.g. `racerun new {name}`",
            path.display(),
            result.display()
        );
    }
    // A link counts as there, even one to nothing: never written through without --force.
    if path.symlink_metadata().is_ok() && !args.force {
        bail!(
            "{} already exists; choose another name, or add --force to overwrite it",
            path.display()
        );
    }
    let text = match &args.from {
        None => starter(&name),
        Some(from) => {
            let source = Source::find(from)?;
            source.load(&[])?;
            copy_of(&source.text, &name, &source.origin)?
        }
    };
    Scenario::load(&text, &path.display().to_string(), &[])
        .context("internal error: the new scenario does not validate")?;
    // Through a new file renamed into place: with --force a link is replaced, not the
    // file it points to written through.
    racerun::output::write_atomic(&path, text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    let p = path.display();
    out!(
        "wrote {p}: scenario `{name}`\nnext: edit it, then `racerun check {p}` and `racerun run {p}`\n"
    )?;
    // `racerun run NAME` takes NAME.toml of the working directory before the library's.
    let here = path
        .parent()
        .is_none_or(|p| p.as_os_str().is_empty() || p == Path::new("."));
    if racerun::scenario::library::find(&name).is_some() && here {
        out!(
            "note: in this directory `racerun run {name}` now runs {p}, not the bundled \
             scenario `{name}`, and writes to the same output/{name}/; give your copy another \
             name to keep both\n"
        )?;
    }
    Ok(())
}

/// The file to write and the scenario name: `NAME` (a plain name) gives `NAME.toml` in
/// the working directory; a path ending in `.toml` is used as is, named by its stem, and
/// its folder must exist.
fn target(arg: &str) -> Result<(PathBuf, String)> {
    let path = if arg.ends_with(".toml") {
        PathBuf::from(arg)
    } else {
        PathBuf::from(format!("{arg}.toml"))
    };
    let name = if arg.ends_with(".toml") {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        // Not a path: `../x` or `dir/x` is a name with a separator in it, refused below.
        arg.to_string()
    };
    // It starts with a letter or digit: `-q.toml` would read as an option afterwards.
    let ok = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        bail!(
            "`{arg}`: a scenario name is letters, digits, - and _, starting with a letter or \
             digit (it names the output folder), e.g. `my-world`; to write elsewhere give a path ending in .toml, e.g. `dir/my-world.toml`"
        );
    }
    if let Some(folder) = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !p.is_dir())
    {
        bail!(
            "`{arg}`: the folder {} does not exist; create it first, or give a path in a \
             folder that does",
            folder.display()
        );
    }
    Ok((path, name))
}

/// The source text under a new name: its top-level `name` replaced, every comment and
/// the layout kept.
fn copy_of(text: &str, name: &str, origin: &str) -> Result<String> {
    let mut doc: DocumentMut = text
        .parse()
        .with_context(|| format!("{origin}: cannot read it as TOML"))?;
    let mut value = toml_edit::Value::from(name);
    if let Some(old) = doc.get("name").and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    doc["name"] = Item::Value(value);
    Ok(format!(
        "# {name}: copied from {origin} by `racerun new`. Edit the question, what to look at\n\
         # and the sources below to match your changes.\n#\n{doc}"
    ))
}

/// A parameter, commented out: its meaning, unit and range on one line, then
/// `# key = default`, so uncommenting the second line sets it. One without a default
/// (an optional lever, or a value derived from others) is listed as unset, so that a
/// reader learns it exists; its meaning says what unset means.
fn commented(spec: &ParamSpec, key: &str) -> String {
    let value = match (spec.default, spec.kind) {
        ("", _) => None,
        (d, Kind::Real | Kind::Int | Kind::Bool) => Some(d.to_string()),
        (d, _) => Some(toml_edit::Value::from(d).to_string()),
    };
    let mut extra = Vec::new();
    if !spec.unit.is_empty() {
        extra.push(spec.unit.to_string());
    }
    if let Some(r) = spec.range {
        extra.push(format!("range {r}"));
    }
    if let Kind::Choice(words) = spec.kind {
        extra.push(words.join(" | "));
    }
    let note = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join("; "))
    };
    match value {
        Some(value) => format!("# {}{note}\n# {key} = {value}\n", spec.doc),
        None => format!("# {}{note}\n# {key}: unset\n", spec.doc),
    }
}

/// The generic starter: two labs, every other parameter listed with its default.
fn starter(name: &str) -> String {
    let mut out = format!(
        r#"# {name}: a racerun scenario, written by `racerun new`.
#
# Question: <the question this scenario asks; also put it in `description` below>
# Look at: the verdict and its rule; charts/who_leads (who leads, month by month);
#   charts/headwind (the leader's training share against the followers').
# Sources: <where each number comes from>
#
# Every parameter has a default. This file sets a few; the others are listed commented
# out with their defaults (or as `unset`, where leaving them out means what the line
# above says): uncomment a line to change it. `racerun params` explains
# every parameter, `racerun show {name}.toml` prints the scenario fully resolved,
# `racerun check {name}.toml` validates it and `racerun run {name}.toml` simulates it.

name = "{name}"
description = "Two labs, one serving first and one training steadily: who keeps the lead?"
start = "2023-01"
months = 60
"#
    );
    let mut group = "";
    for spec in PARAMS.iter().filter(|s| s.path.starts_with("world.")) {
        let (g, key) = spec.path.rsplit_once('.').unwrap_or(("", spec.path));
        if g != group {
            out.push_str(&format!("\n[{g}]\n"));
            group = g;
        }
        out.push_str(&commented(spec, key));
    }
    out.push_str(&format!(
        r#"
# One [[labs]] table per lab; only `id` is required. The first lab lists every lab
# parameter; `policy` picks how the lab splits its fleet between training and serving
# (kinds: {}; see
# `racerun params labs.policy`).
[[labs]]
id = "first"
name = "First"
fleet = 100000.0
policy = {{ kind = "serve_first", min_train = 0.3, max_train = 0.9 }}
"#,
        PolicySpec::KINDS.join(", ")
    ));
    for spec in PARAMS.iter().filter(|s| {
        s.path.starts_with("labs.*.") && !s.path.contains(".policy.") && !s.path.ends_with(".id")
    }) {
        let key = spec.path.trim_start_matches("labs.*.");
        if ["name", "fleet"].contains(&key) {
            continue;
        }
        out.push_str(&commented(spec, key));
    }
    out.push_str(
        r#"
[[labs]]
id = "second"
name = "Second"
fleet = 100000.0
first_release = 3                  # staggered: first model in month 2, the first lab's in month 5
policy = { kind = "fixed", train = 0.7 }
"#,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_and_copies_validate() {
        let s = Scenario::load(&starter("mine"), "mine.toml", &[]).unwrap();
        assert_eq!(s.name, "mine");
        assert_eq!(s.labs.len(), 2);
        let copy = copy_of(
            racerun::scenario::library::BUNDLED[0].text,
            "other",
            "baseline",
        )
        .unwrap();
        assert_eq!(Scenario::load(&copy, "o.toml", &[]).unwrap().name, "other");
    }

    #[test]
    fn uncommenting_any_starter_line_keeps_it_valid() {
        // Each commented-out default, uncommented alone, must still load.
        let text = starter("mine");
        let mut uncommented = 0;
        for (i, line) in text.lines().enumerate() {
            let Some(rest) = line.strip_prefix("# ") else {
                continue;
            };
            let is_setting = rest.split_once(" = ").is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
            if !is_setting {
                continue;
            }
            uncommented += 1;
            let mut lines: Vec<&str> = text.lines().collect();
            lines[i] = rest;
            let edited = lines.join("\n");
            Scenario::load(&edited, "mine.toml", &[])
                .unwrap_or_else(|e| panic!("uncommenting `{rest}`: {e}"));
        }
        assert!(uncommented >= 35, "only {uncommented} settings listed");
        // Levers without a default are listed too, so a reader learns they exist.
        for lever in ["# growth_long: unset", "# infer_reference_growth: unset"] {
            assert!(text.lines().any(|l| l == lever), "no `{lever}` in\n{text}");
        }
    }

    #[test]
    fn names_must_be_plain() {
        assert!(target("my world").is_err());
        assert!(target("-q").is_err() && target("_x.toml").is_err());
        // Without `.toml` the argument is a name, not a path: no writing outside the folder.
        for arg in ["../x", "dir/x", "/tmp/x"] {
            let e = target(arg).unwrap_err().to_string();
            assert!(e.contains("a scenario name is letters"), "{e}");
        }
        let e = target("no-such-folder/x.toml").unwrap_err().to_string();
        assert!(
            e.contains("the folder no-such-folder does not exist"),
            "{e}"
        );
        assert_eq!(target("src/x.toml").unwrap().1, "x");
        assert_eq!(target("x").unwrap().0, PathBuf::from("x.toml"));
    }
}
