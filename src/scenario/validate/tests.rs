use super::*;

/// The smallest valid scenario: one lab, everything else by default.
const ONE_LAB: &str = "name = \"m\"\n[[labs]]\nid = \"a\"\n";

fn load(text: &str) -> Result<Scenario, ScenarioError> {
    super::load(text, "t.toml", &[])
}

/// The error loading `text` gives.
fn error_of(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

/// The error of [`ONE_LAB`] with `line` added to its lab.
fn lab_error(line: &str) -> String {
    error_of(&format!("{ONE_LAB}{line}\n"))
}

/// The error of [`ONE_LAB`] as `t.toml` under `--set arg`.
fn error_under_set(arg: &str) -> String {
    let o = Override::parse(arg).unwrap();
    super::load(ONE_LAB, "t.toml", &[o])
        .unwrap_err()
        .to_string()
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
    assert_eq!(
        lab_error("fleet = -5"),
        "t.toml:4:9: labs.a.fleet: expected a number in [1, 1e12] H100e, got -5"
    );
}

#[test]
fn unknown_key_has_line_and_suggestion() {
    let e = error_of("name = \"m\"\n[world.market]\nswtching = 0.5\n[[labs]]\nid = \"a\"\n");
    assert!(
        e.starts_with("t.toml:3:1: world.market: unknown field `swtching`"),
        "{e}"
    );
    assert!(e.contains("did you mean `switching`?"), "{e}");
}

#[test]
fn empty_labs_are_rejected() {
    let e = error_of("name = \"m\"\n");
    assert!(e.contains("labs: expected at least one lab"), "{e}");
}

#[test]
fn a_run_length_out_of_range_is_named_not_the_first_release_it_sets() {
    let e = lab_error("run_months = 0");
    assert!(
        e.contains("labs.a.run_months: expected a whole number in [1, 120]"),
        "{e}"
    );
    let s = load("name = \"m\"\n[[labs]]\nid = \"a\"\nrun_months = 4\n").unwrap();
    assert_eq!(s.labs[0].first_release, Some(4), "defaults to run_months");
}

#[test]
fn a_lab_with_an_empty_id_is_named_by_its_position() {
    let e = error_of("name = \"m\"\n[[labs]]\nid = \"\"\n");
    assert!(e.contains(": labs[0].id: expected a non-empty name"), "{e}");
}

#[test]
fn a_missing_top_level_field_is_not_blamed_on_the_first_table() {
    let e = error_of("[[labs]]\nid = \"a\"\n");
    assert!(e.ends_with(": missing field `name`"), "{e}");
    assert!(!e.contains("labs"), "{e}");
}

#[test]
fn more_labs_than_the_outputs_hold_are_rejected() {
    let labs: String = (0..1001)
        .map(|i| format!("[[labs]]\nid = \"l{i}\"\nname = \"L{i}\"\n"))
        .collect();
    let e = error_of(&format!("name = \"m\"\nmonths = 11\n{labs}"));
    assert!(
        e.contains("labs: expected at most 1000 labs, got 1001"),
        "{e}"
    );
}

#[test]
fn a_value_refused_against_one_set_beside_it_names_that_set() {
    let text = "name = \"m\"\n[[labs]]\nid = \"a\"\nname = \"A\"\n\n[labs.policy]\nkind = \"serve_first\"\nmin_train = 0.5\n";
    let set = Override::parse("labs.a.policy.max_train=0.2").unwrap();
    let e = super::load(text, "t.toml", &[set]).unwrap_err().to_string();
    assert!(
        e.starts_with(
            "t.toml:8:13 (with --set labs.a.policy.max_train=0.2): labs.a.policy.min_train"
        ),
        "{e}"
    );
    // A --set in the same table that the refusal does not involve is not named.
    let set = Override::parse("labs.a.policy.max_train=0.9").unwrap();
    let e = super::load(&text.replace("0.5", "1.5"), "t.toml", &[set])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("t.toml:8:13: labs.a.policy.min_train"), "{e}");
}

#[test]
fn override_errors_name_the_set() {
    let e = error_under_set("world.market.switching=1.5");
    assert_eq!(
        e,
        "t.toml (--set world.market.switching=1.5): world.market.switching: expected a number in [0, 1] per month, got 1.5"
    );
}

#[test]
fn a_lab_id_given_by_set_is_named_by_the_set() {
    let text = "name = \"m\"\n[[labs]]\nid = \"a\"\n[[labs]]\nid = \"b\"\n";
    let o = Override::parse("labs.a.id=b").unwrap();
    let e = super::load(text, "t.toml", &[o]).unwrap_err().to_string();
    assert_eq!(
        e,
        "t.toml (--set labs.a.id=b): labs.a.id: expected an id not used by another lab, \
         got \"b\""
    );
    let o = Override::parse("labs.b.id=all").unwrap();
    let e = super::load(text, "t.toml", &[o]).unwrap_err().to_string();
    assert!(
        e.starts_with("t.toml (--set labs.b.id=all): labs.b.id: "),
        "{e}"
    );
    // Without a --set, the file's own line, as before.
    let e = error_of(&text.replace("\"b\"", "\"a\""));
    assert!(e.starts_with("t.toml:5:6: labs[1].id: "), "{e}");
}

#[test]
fn whole_numbers_out_of_reach_name_the_field_and_range() {
    for months in ["0", "-3", "99999999999999999999"] {
        let e = error_of(&format!(
            "name = \"m\"\nmonths = {months}\n[[labs]]\nid = \"a\"\n"
        ));
        assert_eq!(
            e,
            format!(
                "t.toml:2:10: months: expected a whole number in [1, 1200] months, got {months}"
            )
        );
    }
    let e = lab_error("run_months = 4294967296");
    assert!(
        e.starts_with("t.toml:4:14: labs.a.run_months: expected a whole number in [")
            && e.ends_with("got 4294967296"),
        "{e}"
    );
    let e = error_under_set("months=-3");
    assert_eq!(
        e,
        "--set months=-3: expected a whole number in [1, 1200] months, got -3"
    );
    let e = lab_error("fleet = 99999999999999999999");
    assert!(
        e.starts_with("t.toml:4:9: labs.a.fleet: integer 99999999999999999999 is too large"),
        "{e}"
    );
}

#[test]
fn values_of_the_wrong_type_name_the_range_too() {
    assert_eq!(
        error_under_set("world.dynamics.kappa=NaN"),
        "--set world.dynamics.kappa=NaN: invalid type: string \"NaN\", expected a number in [0, 5]"
    );
    assert_eq!(
        error_under_set("months=1e9"),
        "--set months=1e9: invalid type: floating point `1000000000.0`, expected a whole number in [1, 1200] months"
    );
    assert_eq!(
        error_under_set("months=1e308"),
        "--set months=1e308: invalid type: floating point `1e308`, expected a whole number in [1, 1200] months"
    );
    let e = error_of("name = \"m\"\nmonths = 12.5\n[[labs]]\nid = \"a\"\n");
    assert_eq!(
        e,
        "t.toml:2:10: months: invalid type: floating point `12.5`, expected a whole number in [1, 1200] months"
    );
}

#[test]
fn a_parameter_set_twice_takes_the_last_value() {
    let sets: Vec<Override> = ["months=24", "months = 36"]
        .iter()
        .map(|a| Override::parse(a).unwrap())
        .collect();
    assert_eq!(super::load(ONE_LAB, "t.toml", &sets).unwrap().months, 36);
}

#[test]
fn resolved_toml_round_trips() {
    let policy = "policy = { kind = \"schedule\", points = [{ from = \"2024-01\", train = 0.3 }] }";
    let s = load(&format!("{ONE_LAB}{policy}\n")).unwrap();
    let again = super::load(&s.to_toml(), "r.toml", &[]).unwrap();
    assert_eq!(s, again);
}

#[test]
fn a_supply_wave_without_its_start_month_is_refused() {
    // It would be ignored: the supply cap would be the same as without it.
    assert_eq!(
        error_of("name = \"m\"\n[world.gpus]\nwave_multiplier = 5.0\n[[labs]]\nid = \"a\"\n"),
        "t.toml:3:19: world.gpus.wave_multiplier: expected 1 unless world.gpus.wave_from \
         gives the month the wave starts, got 5"
    );
    let with_start = "name = \"m\"\n[world.gpus]\nwave_multiplier = 5.0\nwave_from = \"2025-01\"\n\
                      [[labs]]\nid = \"a\"\n";
    assert!(load(with_start).is_ok());
}
