//! Tests of the declarations as a whole: the catalogue they generate, their defaults,
//! which parameters may be distributions, and the rules validation adds.

use toml::Value;

use super::params::{self, Kind, PARAMS, find, under};
use super::{Override, Scenario};
use crate::policy::PolicySpec;

/// A scenario with one lab of every registered policy kind, open weights, a supply wave
/// and the parameters derived when not given: every parameter appears in its resolved
/// form.
fn every_kind() -> String {
    let mut text = String::from(
        "name = \"every\"\n[world.open_weights]\nenabled = true\n[world.gpus]\nwave_from = \"2025-01\"\n\
         [world.demand]\ngrowth_long = 1.3\n[world.market]\ninfer_reference_growth = 80.0\n[world.investors]\npool = 1e9\npool_growth = 2.0\n",
    );
    for kind in PolicySpec::KINDS {
        // A schedule's points are required; every other kind starts from its defaults.
        let points = if *kind == "schedule" {
            ", points = [{ from = \"2024-01\", train = 0.3 }]"
        } else {
            ""
        };
        text.push_str(&format!(
            "[[labs]]\nid = \"{kind}\"\npower = 1.0\npolicy = {{ kind = \"{kind}\"{points} }}\n"
        ));
    }
    text
}

/// Every leaf of a resolved scenario with its generic path (`labs.*.fleet`).
fn resolved_leaves(text: &str) -> Vec<(String, Value)> {
    let s = Scenario::load(text, "t.toml", &[]).unwrap();
    let v = Value::try_from(s.file()).unwrap();
    params::leaves(&v)
        .into_iter()
        .map(|(path, value)| (params::generic_path(&path), value))
        .collect()
}

#[test]
fn every_leaf_is_documented_and_every_entry_reachable() {
    let found = resolved_leaves(&every_kind());
    for (path, _) in &found {
        let spec = find(path).unwrap_or_else(|| panic!("{path} is not in PARAMS"));
        assert!(!spec.doc.trim().is_empty(), "{path} has no doc");
    }
    for spec in PARAMS.iter() {
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
    let minimal = every_kind()
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
    // A parameter named without its tables, as a student types it.
    let e = under("kappa").unwrap_err();
    assert!(e.contains("did you mean `world.dynamics.kappa`?"), "{e}");
    let e = under("min_train").unwrap_err();
    assert!(e.contains("`labs.<id>.policy.min_train`"), "{e}");
    let e = crate::experiment::axis::Axis::parse("kappa=0:2:5", false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("did you mean `world.dynamics.kappa`?"), "{e}");
}

#[test]
fn every_policy_kind_is_registered_once_with_its_serde_tag() {
    let kind = find("labs.*.policy.kind").unwrap();
    assert_eq!(kind.kind, Kind::Choice(PolicySpec::KINDS));
    for word in PolicySpec::KINDS {
        let text = if *word == "schedule" {
            "{ kind = \"schedule\", points = [{ from = \"2023-01\", train = 0.5 }] }".to_string()
        } else {
            format!("{{ kind = \"{word}\" }}")
        };
        let t: toml::Table = toml::from_str(&format!("policy = {text}")).unwrap();
        let spec: PolicySpec = t["policy"].clone().try_into().unwrap();
        assert_eq!(spec.kind(), *word);
        assert_eq!(
            Value::try_from(&spec).unwrap()["kind"].as_str(),
            Some(*word)
        );
    }
}

#[test]
fn keys_shared_by_policies_are_listed_once_with_both_kinds() {
    let lead = find("labs.*.policy.lead_train").unwrap();
    assert_eq!(
        lead.doc,
        "leader_harvest, gap_response: training fraction while (far) ahead"
    );
    assert_eq!(
        find("labs.*.policy.min_train").unwrap().doc,
        "serve_first: training fraction never below this"
    );
    // Each kind's own declaration of a shared key agrees on everything but its meaning.
    use super::decl::Node;
    let mut each = Vec::new();
    crate::policy::LeaderHarvest::catalogue("p", &mut each);
    crate::policy::GapResponse::catalogue("p", &mut each);
    for a in &each {
        for b in each.iter().filter(|b| b.path == a.path) {
            assert_eq!(
                (a.kind, a.unit, a.default, a.range, a.uncertain),
                (b.kind, b.unit, b.default, b.range, b.uncertain),
                "{}",
                a.path
            );
        }
    }
}

/// `--set` arguments putting a distribution at every parameter: its concrete path (labs
/// by id, the first schedule point) with a uniform inside the range for a real, or on
/// [0, 1] for any other.
fn distribution_everywhere(spec: &super::params::ParamSpec) -> String {
    let (lo, hi) = match spec.range {
        Some(r) => {
            let hi = if r.max - r.min > 1e6 {
                r.min + 1.0
            } else {
                r.max
            };
            (r.min + (hi - r.min) * 0.25, r.min + (hi - r.min) * 0.5)
        }
        None => (0.0, 1.0),
    };
    let path = spec
        .path
        .replace("labs.*", "labs.p")
        .replace("points.*", "points.0");
    format!("{path}={{ dist = \"uniform\", min = {lo:?}, max = {hi:?} }}")
}

#[test]
fn a_distribution_is_refused_where_the_declaration_does_not_allow_one() {
    let text = "name = \"t\"\n[[labs]]\nid = \"p\"\n";
    let mut refused = 0;
    for spec in PARAMS.iter().filter(|s| !s.uncertain) {
        let Some(policy_key) = spec.path.strip_prefix("labs.*.policy.") else {
            let o = Override::parse(&distribution_everywhere(spec)).unwrap();
            let e = Scenario::load(text, "t.toml", &[o])
                .unwrap_err()
                .to_string();
            let expected = match spec.kind {
                Kind::Real => "lists this parameter as taking no distribution".to_string(),
                Kind::Int => "a distribution where a whole number is needed".to_string(),
                _ => "only real-valued parameters may be uncertain".to_string(),
            };
            assert!(e.contains(&expected), "{}: {e}", spec.path);
            refused += 1;
            continue;
        };
        // Policy keys: in a file, under the kind that has them.
        let value = "{ dist = \"uniform\", min = 0, max = 1 }";
        let policy = match policy_key {
            "kind" => format!("{{ kind = {value} }}"),
            _ => format!("{{ kind = \"schedule\", points = [{{ from = {value}, train = 0.5 }}] }}"),
        };
        let e = Scenario::load(&format!("{text}policy = {policy}\n"), "t.toml", &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("only real-valued parameters may be uncertain"),
            "{e}"
        );
        refused += 1;
    }
    assert!(refused >= 20, "{refused}");
    // The two measurement margins are the reals that may not vary.
    let fixed: Vec<&str> = PARAMS
        .iter()
        .filter(|s| s.kind == Kind::Real && !s.uncertain)
        .map(|s| s.path)
        .collect();
    assert_eq!(
        fixed,
        [
            "world.leadership.lead_margin",
            "world.leadership.share_margin"
        ]
    );
}

#[test]
fn reserved_lab_ids_are_refused_in_any_case() {
    for id in ["all", "ALL", "open", "Open", "NA", "na"] {
        let text = format!("name = \"t\"\n[[labs]]\nid = \"a\"\n[[labs]]\nid = \"{id}\"\n");
        let e = Scenario::load(&text, "t.toml", &[])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "t.toml:5:6: labs[1].id: expected an id other than all, open and NA, which \
                 name rows or cells of the outputs that are not labs, got \"{id}\""
            )
        );
    }
    for id in ["all-labs", "opener", "a11"] {
        let text = format!("name = \"t\"\n[[labs]]\nid = \"{id}\"\n");
        assert!(Scenario::load(&text, "t.toml", &[]).is_ok(), "{id}");
    }
}

#[test]
fn the_calendar_ends_in_9999() {
    let load = |start: &str, months: u32| {
        let text =
            format!("name = \"t\"\nstart = \"{start}\"\nmonths = {months}\n[[labs]]\nid = \"a\"\n");
        Scenario::load(&text, "t.toml", &[])
    };
    let last = load("9990-01", 120).unwrap();
    assert_eq!(last.date(119).to_string(), "9999-12");
    let e = load("9990-02", 120).unwrap_err().to_string();
    assert_eq!(
        e,
        "t.toml:3:10: months: expected at most 119 months from start 9990-02: dates end in \
         9999-12 (this horizon would end in 10000-01), got 120"
    );
    let e = load("9999-12", 2).unwrap_err().to_string();
    assert!(e.contains("at most 1 months from start 9999-12"), "{e}");
}

#[test]
fn cross_field_rules_hold_in_every_draw() {
    let load = |lab_b: &str| {
        let text = format!(
            "name = \"t\"\n[[labs]]\nid = \"a\"\ncustomers = 0.5\n[[labs]]\nid = \"b\"\n{lab_b}\n"
        );
        Scenario::load(&text, "t.toml", &[]).map_err(|e| e.to_string())
    };
    // Medians sum to 0.9, but the top of the share's support to 1.1.
    let e = load("customers = { dist = \"uniform\", min = 0.2, max = 0.6 }").unwrap_err();
    assert_eq!(
        e,
        "t.toml:2:1: labs.*.customers: expected initial customer shares summing to at most 1 \
         in every draw, got up to 1.1 at the top of the distributions"
    );
    assert!(load("customers = { dist = \"uniform\", min = 0.2, max = 0.5 }").is_ok());
    // A serve_first policy's rule, checked by the policy itself.
    let policy = |min: &str| {
        load(&format!(
            "policy = {{ kind = \"serve_first\", min_train = {min}, max_train = 0.6 }}"
        ))
    };
    let e = policy("{ dist = \"uniform\", min = 0.3, max = 0.7 }").unwrap_err();
    assert!(
        e.ends_with(
            "labs.b.policy.min_train: expected at most max_train in every draw (max_train can \
             be as low as 0.6), got draws up to 0.7"
        ),
        "{e}"
    );
    let e = policy("0.65").unwrap_err();
    assert!(
        e.ends_with("labs.b.policy.min_train: expected at most max_train (0.6), got 0.65"),
        "{e}"
    );
    assert!(policy("{ dist = \"uniform\", min = 0.3, max = 0.6 }").is_ok());
}

#[test]
fn a_demand_half_life_without_its_long_run_growth_is_refused() {
    let load = |demand: &str| {
        let text = format!("name = \"t\"\n[world.demand]\n{demand}\n[[labs]]\nid = \"a\"\n");
        Scenario::load(&text, "t.toml", &[]).map_err(|e| e.to_string())
    };
    let e = load("growth_halflife = 5.0").unwrap_err();
    assert!(
        e.ends_with(
            "world.demand.growth_halflife: expected 3 (the default) unless \
             world.demand.growth_long is set too: the half-life has no effect without the \
             long-run growth demand approaches, got 5"
        ),
        "{e}"
    );
    let e = load("growth_halflife = { dist = \"uniform\", min = 2.0, max = 5.0 }").unwrap_err();
    assert!(e.ends_with("got a distribution"), "{e}");
    assert!(load("growth_halflife = 3.0").is_ok());
    assert!(load("growth_halflife = 5.0\ngrowth_long = 1.2").is_ok());
}

#[test]
fn every_number_has_a_human_name_and_paths_describe_themselves() {
    for spec in PARAMS.iter() {
        let numeric = matches!(spec.kind, Kind::Real | Kind::Int);
        assert!(
            !numeric || !spec.label.is_empty(),
            "{} has no label: declare one beside its doc",
            spec.path
        );
        assert!(
            !spec.label.ends_with('.'),
            "{}: a label is a name",
            spec.path
        );
    }
    assert_eq!(
        params::describe("world.gpus.supply"),
        Some(("GPU supply".to_string(), "H100e per month"))
    );
    assert_eq!(
        params::describe("labs.alpha.policy.min_train").map(|d| d.0),
        Some("Minimum training share, lab alpha".to_string())
    );
    assert_eq!(
        find("world.gpus.supply").unwrap().name_with_unit(),
        "GPU supply (H100e per month)"
    );
    assert_eq!(
        params::generic_path("labs.x.policy.points.2.train"),
        "labs.*.policy.points.*.train"
    );
    assert!(params::describe("world.nope").is_none());
}

/// File errors speak of the file's tables and keys, never of the Rust types behind them,
/// and name the table of an unknown key, the key or table written twice, and the
/// policy that takes a key another policy does not.
#[test]
fn file_errors_name_tables_and_keys_not_rust_types() {
    let error = |text: &str| {
        Scenario::load(text, "t.toml", &[])
            .map(drop)
            .unwrap_err()
            .to_string()
    };
    let lab = "[[labs]]\nid = \"a\"\n";
    let cases = [
        (
            format!("name = \"m\"\n[world.dynamics]\nfoo = 1\n{lab}"),
            vec!["t.toml:3:1", "world.dynamics: unknown field `foo`"],
        ),
        (
            format!("name = \"m\"\n{lab}bogus = 2\n"),
            vec!["labs.a: unknown field `bogus`"],
        ),
        (
            format!("name = \"m\"\n[world]\ndynamics = 3\n{lab}"),
            vec!["world.dynamics: invalid type: integer `3`, expected a table of settings"],
        ),
        (
            "name = \"m\"\nlabs = 3\n".to_string(),
            vec!["expected a list (for labs: one `[[labs]]` table per lab)"],
        ),
        (
            format!("name = \"m\"\n{lab}policy = \"fixed\"\n"),
            vec![
                "labs.a.policy",
                "expected a policy table such as `{ kind = \"fixed\"",
            ],
        ),
        (
            format!("name = \"m\"\n{lab}policy = {{ kind = \"fixed\", min_train = 0.2 }}\n"),
            vec![
                "unknown field `min_train`",
                "`min_train` is a setting of the serve_first policy (kind = \"serve_first\")",
            ],
        ),
        (
            format!(
                "name = \"m\"\n{lab}policy = {{ kind = \"schedule\", points = [{{ from = \
                 \"2024-01\", train = 0.5, min_train = 0.2 }}] }}\n"
            ),
            vec!["unknown field `min_train`"],
        ),
        (
            format!("name = \"m\"\n[world.dynamics]\nkappa = 1\nkappa = 2\n{lab}"),
            vec![
                "t.toml:4:1",
                "the key `kappa` is written twice in the same table",
            ],
        ),
        (
            format!("name = \"m\"\n[world]\n[world]\n{lab}"),
            vec!["the table `[world]` is written twice"],
        ),
        // One lab as a list of tables, the next as a single table, and the other way.
        (
            format!("name = \"m\"\n{lab}[labs]\nid = \"b\"\n"),
            vec![
                "`labs` is written both as `[[labs]]`",
                "write every entry as `[[labs]]`",
            ],
        ),
        (
            format!("name = \"m\"\n[labs]\nid = \"b\"\n{lab}"),
            vec![
                "`labs` is written both as `[[labs]]`",
                "write every entry as `[[labs]]`",
            ],
        ),
        // A misspelt key at the top level is the key's fault, not its value's.
        (
            format!("name = \"m\"\nmnths = 120\n{lab}"),
            vec!["unknown field `mnths`"],
        ),
        // Text that is not TOML: the field from the line, the value, how it is written.
        (
            format!("name = \"m\"\n[world.dynamics]  # a note\nphi = 0.1.\n{lab}"),
            vec![
                "t.toml:3:",
                "world.dynamics.phi: `0.1.` is not a TOML value",
                "expected a number in [0, 1]",
            ],
        ),
        (
            format!("name = \"m\"\nstart = 2023-01 # a month\n{lab}"),
            vec![
                "start: `2023-01` is not a TOML value",
                "in quotes, as \"2023-01\"",
            ],
        ),
        (
            format!("name = \"m\"\n{lab}fleet = 27k\n[[labs]]\nid = \"b\"\n"),
            vec!["labs.a.fleet: `27k` is not a TOML value", "H100e"],
        ),
        (
            "name = \"m\"\n[[labs]]\ncolor = #E69F00\nid = \"c\"\n".to_string(),
            vec!["labs.c.color: no value after `=`", "a colour in quotes"],
        ),
    ];
    for (text, wanted) in cases {
        let e = error(&text);
        for w in wanted {
            assert!(e.contains(w), "{w:?} not in {e:?} for\n{text}");
        }
        if text.contains("mnths") {
            assert!(!e.contains("is not a TOML value"), "{e}");
        }
        for rust in ["struct ", "enum ", "PolicySpec", "a sequence", "a map"] {
            assert!(!e.contains(rust), "{rust:?} in {e:?}");
        }
        // Inside a schedule's point no other policy is suggested.
        if text.contains("points") {
            assert!(!e.contains("is a setting of"), "{e}");
        }
    }
}

/// A yearly factor below 1 is noted with what it means and what a rise would be written
/// as; the bundled scenarios have none.
#[test]
fn yearly_factors_below_one_are_noted() {
    for b in crate::scenario::library::BUNDLED {
        assert_eq!(
            b.load(&[]).unwrap().shrinking_factors(),
            Vec::<String>::new(),
            "{}",
            b.name
        );
    }
    let baseline = crate::scenario::library::find("baseline").unwrap();
    let set = [Override::parse("world.demand.growth=0.5").unwrap()];
    let notes = baseline.load(&set).unwrap().shrinking_factors();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("world.demand.growth = 0.5 x per year: a fall of 50%"),
        "{notes:?}"
    );
    assert!(notes[0].contains("1.5 is +50% a year"), "{notes:?}");
    let set = [
        Override::parse("labs.alpha.funding_pinned=true").unwrap(),
        Override::parse("labs.alpha.funding_growth=0.8").unwrap(),
    ];
    let notes = baseline.load(&set).unwrap().shrinking_factors();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("labs.alpha.funding_growth = 0.8")),
        "{notes:?}"
    );
}
