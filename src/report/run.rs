//! The report of a run: the question, the verdict with its evidence and the command that
//! says why, every chart with how to read it, the labs, the plausibility checks, the
//! resolved scenario, and the command that makes it again.
//!
//! The cause is not looked for elsewhere: a report is made of its own directory's files
//! only (so `racerun report` rebuilds it to the byte, and it cannot quote an explanation
//! of other simulations), and `racerun explain` writes a report of its own whose factual
//! world is this run, verdict and all.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::html::{Page, ReportError, Section, command, esc, figures, table};
use super::tables::{json, num, scenario};
use crate::schema::{self, ReadError, SummaryHead};

/// Reads a JSON file as a value (a missing manifest is an empty object).
pub(crate) fn read_value(path: &Path, what: &str) -> Result<Value, ReadError> {
    schema::read_json(path, what)
}

/// `racerun 0.1.0 (commit 1a2b3c4, rustc 1.86.0)` from a manifest.
pub(crate) fn build_line(manifest: &Value) -> String {
    let version = manifest["racerun_version"].as_str().unwrap_or("?");
    let mut extra = Vec::new();
    if let Some(c) = manifest["git_commit"].as_str() {
        extra.push(format!("commit {}", &c[..c.len().min(10)]));
    }
    if let Some(r) = manifest["rustc_version"].as_str() {
        extra.push(r.split(" (").next().unwrap_or(r).to_string());
    }
    if extra.is_empty() {
        format!("racerun {version}")
    } else {
        format!("racerun {version} ({})", extra.join(", "))
    }
}

/// The `--set` overrides as a sentence part, or nothing.
pub(crate) fn overrides_html(overrides: &[String]) -> String {
    if overrides.is_empty() {
        return String::new();
    }
    let list: Vec<String> = overrides
        .iter()
        .map(|o| format!("<code>--set {}</code>", esc(o)))
        .collect();
    format!("; modified with {}", list.join(", "))
}

/// The verdict: regime, sentence, evidence, the rest of what the summary says about it,
/// and the rule.
pub(crate) fn verdict(summary: &Value) -> String {
    let v = &summary["verdict"];
    let regime = v["regime"].as_str().unwrap_or("none");
    let mut out = format!(
        "<p><span class=\"regime {}\">{}</span></p>\n<p>{}</p>\n",
        esc(regime),
        esc(&regime.replace('_', " ").to_uppercase()),
        esc(v["sentence"].as_str().unwrap_or(""))
    );
    if let Some(e) = v
        .get("evidence")
        .filter(|e| e.as_object().is_some_and(|o| !o.is_empty()))
    {
        out.push_str("<h3>The evidence</h3>\n");
        let runs = summary["runs"].as_u64().unwrap_or(0);
        out.push_str(&evidence(e, v, runs).unwrap_or_else(|| json(e)));
    }
    if let Some(t) = v.get("threshold_sensitivity").and_then(Value::as_array) {
        out.push_str("<h3>If the thresholds were otherwise</h3>\n");
        out.push_str(&thresholds(t));
    }
    if let Some(map) = v.as_object() {
        for (k, value) in map {
            // Shown above: the evidence holds the normalised persistence.
            const SHOWN: [&str; 6] = [
                "regime",
                "rule",
                "sentence",
                "evidence",
                "persistence_normalised",
                "threshold_sensitivity",
            ];
            if !SHOWN.contains(&k.as_str()) {
                let _ = write!(
                    out,
                    "<h3>{}</h3>\n{}",
                    esc(&super::tables::words(k)),
                    json(value)
                );
            }
        }
    }
    if let Some(rule) = v["rule"].as_str().filter(|r| !r.is_empty()) {
        let _ = write!(
            out,
            "<details><summary>The rule behind the verdict</summary><p>{}</p></details>",
            esc(rule)
        );
    }
    out
}

/// The verdict's evidence as its tests read it, in the order of the rule: each estimate
/// with its interval, what a race and a run need of it (from the summary's thresholds),
/// and whether it meets them; then what the rule does not test. `None` for an evidence
/// section without the chance-normalised persistence (summaries of other versions). A
/// single run (`runs` < 2) has no intervals.
fn evidence(e: &Value, verdict: &Value, runs: u64) -> Option<String> {
    let get = |k: &str| e.get(k).and_then(Value::as_f64);
    let persistence = get("persistence_norm_quality")?;
    let threshold = |name: &str| {
        verdict["threshold_sensitivity"]
            .as_array()?
            .iter()
            .find(|t| t["threshold"].as_str() == Some(name))?["value"]
            .as_f64()
    };
    let interval = |lo: &str, hi: &str, f: &dyn Fn(f64) -> String| match (get(lo), get(hi)) {
        _ if runs < 2 => "one run, so no interval".to_string(),
        (Some(a), Some(b)) => format!("{} to {}", f(a), f(b)),
        _ => "–".to_string(),
    };
    let index = |v: f64| crate::numbers::fixed(v, 2);
    let share = |v: f64| format!("{:.0}%", v * 100.0);
    let elo = |v: f64| format!("{} Elo", crate::numbers::fixed(v, 0));
    // An estimate next to its thresholds, with the digits that tell it from them: 0.597
    // against 0.60 is not printed `0.60` beside a mark saying it falls short.
    let near = |v: f64, names: &[&str], scale: f64, decimals: usize, unit: &str| {
        let ts: Vec<f64> = names.iter().filter_map(|n| threshold(n)).collect();
        let digits = distinct_digits(
            v * scale,
            &ts.iter().map(|t| t * scale).collect::<Vec<_>>(),
            decimals,
        );
        format!("{}{unit}", crate::numbers::fixed(v * scale, digits))
    };
    let need = |op: &str, name: &str, f: &dyn Fn(f64) -> String| {
        threshold(name).map_or("–".to_string(), |t| format!("{op} {}", f(t)))
    };
    let mark = |ok: Option<bool>| match ok {
        Some(true) => "<span class=\"ok\">✓ yes</span>".to_string(),
        Some(false) => "<span class=\"bad\">✗ no</span>".to_string(),
        None => "–".to_string(),
    };
    let meets =
        |v: Option<f64>, name: &str, test: fn(f64, f64) -> bool| Some(test(v?, threshold(name)?));
    let spell = get("spell_median_quality");
    // What a regime needs of an estimate, and whether it has it: `≥ 0.60 ✓ yes`.
    let cell = |op: &str, name: &str, f: &dyn Fn(f64) -> String, met: Option<bool>| match threshold(
        name,
    ) {
        Some(_) => format!("{} {}", need(op, name, f), mark(met)),
        None => "–".to_string(),
    };
    let spell_met = match spell {
        Some(m) => meets(Some(m), "run_spell_months", |v, t| v <= t),
        None => Some(false),
    };
    let rows = vec![
        vec![
            "Persistence against chance (0: a leader drawn at random, 1: permanent)".to_string(),
            near(
                persistence,
                &["race_persistence", "run_persistence"],
                1.0,
                2,
                "",
            ),
            interval(
                "persistence_norm_ci_low",
                "persistence_norm_ci_high",
                &index,
            ),
            cell(
                "≥",
                "race_persistence",
                &index,
                meets(Some(persistence), "race_persistence", |v, t| v >= t),
            ),
            cell(
                "≤",
                "run_persistence",
                &index,
                meets(Some(persistence), "run_persistence", |v, t| v <= t),
            ),
        ],
        vec![
            "The month-12 leader still leads at the end".to_string(),
            get("early_keeps_quality").map_or("–".into(), |v| {
                near(v, &["race_early_keeps"], 100.0, 0, "%")
            }),
            interval("early_keeps_ci_low", "early_keeps_ci_high", &share),
            cell(
                "≥",
                "race_early_keeps",
                &share,
                meets(get("early_keeps_quality"), "race_early_keeps", |v, t| {
                    v >= t
                }),
            ),
            String::new(),
        ],
        vec![
            "The leader's gap grows (last 12 months against months 12-23, mean)".to_string(),
            get("gap_growth_mean").map_or("–".into(), |v| {
                near(v, &["race_gap_growth"], 1.0, 0, " Elo")
            }),
            interval("gap_growth_ci_low", "gap_growth_ci_high", &elo),
            cell(
                ">",
                "race_gap_growth",
                &elo,
                meets(get("gap_growth_mean"), "race_gap_growth", |v, t| v > t),
            ),
            String::new(),
        ],
        vec![
            "Half of the lead spells end within (Kaplan-Meier median)".to_string(),
            spell.map_or("more than the horizon".into(), |m| format!("{m:.0} months")),
            String::new(),
            String::new(),
            cell(
                "≤",
                "run_spell_months",
                &|t| format!("{t:.0} months"),
                spell_met,
            ),
        ],
    ];
    let mut out = table(
        &["Test", "Estimate", "95% CI", "A race needs", "A run needs"],
        &rows,
    );
    let mut context = Vec::new();
    if let (Some(m), Some(lo), Some(hi)) = (
        get("changes_per_year_median"),
        get("changes_per_year_p10"),
        get("changes_per_year_p90"),
    ) {
        context.push(vec![
            "Quality-lead changes per year (median run, p10-p90)".to_string(),
            format!("{m:.1} ({lo:.1}-{hi:.1})"),
        ]);
    }
    if let Some(h) = get("headwind_median") {
        context.push(vec![
            "Headwind: the followers' training share minus the leader's (median run)".to_string(),
            format!("{:.1} percentage points", h * 100.0),
        ]);
    }
    if let Some(p) = get("persistence_quality") {
        context.push(vec![
            "Persistence before the chance correction".to_string(),
            index(p),
        ]);
    }
    if !context.is_empty() {
        out.push_str("<p>Not tested by the rule, for context:</p>\n");
        out.push_str(&table(&["", "value"], &context));
    }
    Some(out)
}

/// How many decimals, from `decimals` up to 6, tell `v` apart from each of `thresholds`
/// it differs from (so that rounding never prints an estimate equal to a threshold it
/// misses or exceeds).
fn distinct_digits(v: f64, thresholds: &[f64], decimals: usize) -> usize {
    let mut d = decimals;
    while d < 6
        && thresholds
            .iter()
            .any(|&t| v != t && crate::numbers::fixed(v, d) == crate::numbers::fixed(t, d))
    {
        d += 1;
    }
    d
}

/// The verdict under each threshold moved down and up, a row per threshold in words.
fn thresholds(entries: &[Value]) -> String {
    let regime = |v: &Value| v.as_str().unwrap_or("–").replace('_', " ").to_uppercase();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|t| {
            let name = t["threshold"].as_str().unwrap_or("");
            let what = match name {
                "race_persistence" => "A race's least persistence against chance",
                "race_early_keeps" => "A race's least share of month-12 leaders who keep the lead",
                "race_gap_growth" => "A race's least growth of the leader's gap (Elo)",
                "run_persistence" => "A run's most persistence against chance",
                "run_spell_months" => "A run's longest median lead spell (months)",
                other => other,
            };
            let f = |k: &str| t[k].as_f64().map_or("–".to_string(), num);
            vec![
                esc(what),
                f("value"),
                format!("{}: {}", f("lower"), regime(&t["regime_lower"])),
                format!("{}: {}", f("higher"), regime(&t["regime_higher"])),
            ]
        })
        .collect();
    table(
        &["Threshold", "As set", "Lower: verdict", "Higher: verdict"],
        &rows,
    )
}

/// `value (p10-p90)` of a summary statistic, the range under the value so that a table of
/// many columns fits a page.
fn spread(stat: &Value, f: impl Fn(f64) -> String) -> String {
    let get = |k: &str| stat[k].as_f64().unwrap_or(f64::NAN);
    format!(
        "{}<br><span class=\"tag\">{}-{}</span>",
        f(get("p50")),
        f(get("p10")),
        f(get("p90"))
    )
}

/// One row per lab: its colour and name, months leading, share, fleet, releases, and
/// how often it ends with the best model.
pub(crate) fn labs(summary: &Value) -> String {
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    let months = |v: f64| format!("{v:.0}");
    let rows: Vec<Vec<String>> = summary["labs"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|lab| {
            let id = lab["id"].as_str().unwrap_or("");
            let name = lab["name"].as_str().filter(|n| !n.is_empty()).unwrap_or(id);
            let color = lab["color"].as_str().unwrap_or("#999999");
            let m = &summary["labs_measures"][id];
            vec![
                format!(
                    "<span style=\"white-space:nowrap\"><span class=\"swatch\" \
                     style=\"background:{}\"></span>{}</span>",
                    esc(color),
                    esc(name)
                ),
                spread(&m["months_led_quality"], months),
                spread(&m["months_led_market"], months),
                spread(&m["final_share"], pct),
                spread(&m["final_fleet"], crate::numbers::compact),
                spread(&m["releases"], months),
                pct(summary["final_quality_leader_share"][id]
                    .as_f64()
                    .unwrap_or(f64::NAN)),
            ]
        })
        .collect();
    format!(
        "<p>Median simulation, with the 10th-90th percentile under it.</p>\n{}",
        table(
            &[
                "lab",
                "months with the best model",
                "months with the most customers",
                "final customer share",
                "final fleet (H100e)",
                "releases",
                "ends with the best model",
            ],
            &rows,
        )
    )
}

/// The plausibility checks of the summary, whatever their shape, or that there are none.
pub(crate) fn plausibility(summary: &Value) -> String {
    match summary.get("plausibility") {
        Some(p) if !p.is_null() => format!(
            "<p>How the simulated world compares with documented bounds: each entry is a value \
             of the median simulation against its bound.</p>\n{}",
            json(p)
        ),
        _ => "<p class=\"note\">Not measured: this summary has no plausibility checks (it was \
              written by a racerun that did not make them).</p>"
            .to_string(),
    }
}

/// How many sample simulations `sample_runs.csv` holds.
fn samples(dir: &Path) -> usize {
    let Ok(mut reader) = csv::Reader::from_path(dir.join(schema::SAMPLE_RUNS)) else {
        return 0;
    };
    let runs: BTreeSet<String> = reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(0).map(String::from))
        .collect();
    runs.len()
}

/// The command that made the result, and one that makes it again from its own files in
/// `shown_as`.
fn reproduce(dir: &Path, shown_as: &Path, head: &SummaryHead, manifest: &Value) -> String {
    let again = format!(
        "{} --samples {}{}",
        same_again("run", shown_as, head),
        samples(dir),
        out_beside(shown_as, "again")
    );
    format!(
        "{}<p>The same numbers from the files here (<code>scenario.toml</code> is the resolved \
         scenario, overrides included), at any thread count:</p>\n{}",
        made_by(manifest, "result"),
        command(&again)
    )
}

/// The command that made a result (`what`: "result", "explanation") as its manifest
/// records it; empty when it records none.
pub(super) fn made_by(manifest: &Value, what: &str) -> String {
    manifest["command"].as_str().map_or(String::new(), |c| {
        format!("<p>The command that made this {what}:</p>\n{}", command(c))
    })
}

/// `racerun <verb>` of the resolved scenario in `shown_as`, with the same runs and seed.
pub(super) fn same_again(verb: &str, shown_as: &Path, head: &SummaryHead) -> String {
    format!(
        "racerun {verb} {} --runs {} --seed {}",
        shown_as.join("scenario.toml").display(),
        head.runs,
        head.seed
    )
}

/// ` --out <shown_as>-<suffix>`: a command that makes a result again from the files in
/// `shown_as` needs a place of its own (the scenario's default, `output/<name>`, may be
/// the very directory that holds its input, which racerun refuses to replace).
pub(super) fn out_beside(shown_as: &Path, suffix: &str) -> String {
    // `output/baseline/` and `.` name their directory through its path's last part.
    let named = match shown_as.file_name() {
        Some(_) => Some(shown_as.to_path_buf()),
        None => shown_as.canonicalize().ok(),
    };
    let beside = named.as_deref().and_then(|p| {
        let name = p.file_name()?.to_string_lossy();
        Some(p.with_file_name(format!("{name}-{suffix}")))
    });
    match beside {
        Some(path) => format!(" --out {}", path.display()),
        None => format!(" --out output/result-{suffix}"),
    }
}

/// The resolved scenario of the result in `dir` (its `scenario.toml`) as tables, defaults
/// and `overrides` marked, and as the file itself.
pub(crate) fn resolved_scenario(dir: &Path, overrides: &[String]) -> String {
    let scenario_toml = std::fs::read_to_string(dir.join("scenario.toml")).unwrap_or_default();
    format!(
        "<p>Every parameter as the simulation used it. <span class=\"tag\">default</span> \
         marks a value equal to the catalogue's default (<code>racerun params</code>), \
         <span class=\"tag set\">--set</span> one given on the command line; the others \
         are what the scenario sets. Hover a name for its meaning.</p>\n{}\n\
         <details><summary>scenario.toml</summary><pre>{}</pre></details>",
        scenario(&scenario_toml, overrides),
        esc(&scenario_toml)
    )
}

/// Where the cause is: the command that explains this run, same scenario, simulations
/// and seed.
fn why(shown_as: &Path, head: &SummaryHead) -> String {
    format!(
        "<p><strong>Why?</strong> <code>racerun explain</code> switches each force that can \
         make a race or a run off in turn, with the same simulations and seed, and says how \
         much of the verdict each accounts for; its report starts from this very verdict. It \
         simulates every combination of channels (up to 128 worlds), so it takes that many \
         times as long, or give fewer <code>--runs</code>:</p>\n{}",
        command(&format!(
            "racerun explain {} --runs {} --seed {}",
            shown_as.join("scenario.toml").display(),
            head.runs,
            head.seed
        ))
    )
}

/// The page of the run in `dir`, which commands name `shown_as`.
pub fn page(dir: &Path, shown_as: &Path) -> Result<Page, ReportError> {
    let summary_path = dir.join(schema::SUMMARY);
    let head = SummaryHead::read(&summary_path)?;
    let summary = read_value(&summary_path, "a run summary")?;
    let manifest = read_value(&dir.join("manifest.json"), "a manifest").unwrap_or(Value::Null);
    let figs = crate::plot::figures(dir, crate::plot::SWEEP_MEASURE)?;
    let calendar = crate::scenario::YearMonth::parse(&head.start);
    let span = calendar.map_or(String::new(), |s| {
        format!(", {} to {}", s, s.plus(head.months as i64 - 1))
    });
    let mut sections = vec![
        Section::new(
            "verdict",
            "The verdict",
            verdict(&summary) + &why(shown_as, &head),
        ),
        Section::new(
            "charts",
            "The charts",
            format!(
                "<p>The first chart answers the question; the others show how the answer comes \
                 about. Each is also in <code>charts/</code> as PNG and SVG.</p>\n{}",
                figures(&figs)
            ),
        ),
        Section::new("labs", "Each lab", labs(&summary)),
    ];
    if let Some(inputs) = summary
        .get("inputs")
        .filter(|i| i.as_array().is_some_and(|a| !a.is_empty()))
    {
        sections.push(Section::new(
            "inputs",
            "Uncertain inputs",
            format!(
                "<p>How the outcome moves with each input given as a distribution.</p>\n{}",
                json(inputs)
            ),
        ));
    }
    sections.push(Section::new(
        "plausibility",
        "Plausibility",
        plausibility(&summary),
    ));
    sections.push(Section::new(
        "scenario",
        "The scenario",
        resolved_scenario(dir, &head.overrides),
    ));
    sections.push(Section::new(
        "reproduce",
        "Make it again",
        reproduce(dir, shown_as, &head, &manifest),
    ));
    Ok(Page {
        title: format!("Race or run? Scenario {}", head.scenario),
        lede: esc(summary["description"].as_str().unwrap_or("")),
        provenance: format!(
            "{}, {} simulations, seed {}{span}{}.",
            esc(&build_line(&manifest)),
            num(head.runs as f64),
            head.seed,
            overrides_html(&head.overrides)
        ),
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evidence_is_read_against_the_thresholds_it_is_tested_by() {
        let verdict = serde_json::json!({
            "threshold_sensitivity": [
                {"threshold": "race_persistence", "value": 0.6, "lower": 0.5, "higher": 0.7,
                 "regime_lower": "mixed", "regime_higher": "mixed"},
                {"threshold": "race_early_keeps", "value": 0.6, "lower": 0.5, "higher": 0.7,
                 "regime_lower": "race", "regime_higher": "mixed"},
                {"threshold": "race_gap_growth", "value": 0.0},
                {"threshold": "run_persistence", "value": 0.3},
                {"threshold": "run_spell_months", "value": 24.0}
            ]
        });
        let e = serde_json::json!({
            "persistence_norm_quality": 0.87, "persistence_norm_ci_low": 0.866,
            "persistence_norm_ci_high": 0.873, "early_keeps_quality": 0.523,
            "gap_growth_mean": 234.0, "spell_median_quality": 3.0,
            "changes_per_year_median": 0.5, "changes_per_year_p10": 0.3,
            "changes_per_year_p90": 0.8
        });
        let html = evidence(&e, &verdict, 1000).unwrap();
        assert!(
            evidence(&e, &verdict, 1)
                .unwrap()
                .contains("one run, so no interval")
        );
        let row = |start: &str| {
            let i = html
                .find(start)
                .unwrap_or_else(|| panic!("{start} not in {html}"));
            html[i..].split("</tr>").next().unwrap().to_string()
        };
        let p = row("Persistence against chance");
        assert!(p.contains("≥ 0.60") && p.contains("≤ 0.30"), "{p}");
        assert!(p.contains("≥ 0.60 <span class=\"ok\">✓ yes</span>"), "{p}");
        assert!(p.contains("≤ 0.30 <span class=\"bad\">✗ no</span>"), "{p}");
        let keeps = row("The month-12 leader");
        assert!(keeps.contains("52%") && keeps.contains("✗ no"), "{keeps}");
        assert!(row("Half of the lead spells").contains("✓ yes"));
        assert!(html.contains("0.5 (0.3-0.8)"), "{html}");
        // A summary without the normalised persistence keeps the generic table.
        assert!(evidence(&serde_json::json!({"x": 1}), &verdict, 1000).is_none());
        // Near a threshold the estimate gets the digits that tell it apart.
        let mut close = e.clone();
        close["persistence_norm_quality"] = 0.597.into();
        close["gap_growth_mean"] = 0.3.into();
        let html = evidence(&close, &verdict, 1000).unwrap();
        assert!(html.contains("<td>0.597</td>"), "{html}");
        assert!(html.contains("<td>0.3 Elo</td>"), "{html}");
        assert_eq!(distinct_digits(0.87, &[0.6, 0.3], 2), 2);
        let t = thresholds(verdict["threshold_sensitivity"].as_array().unwrap());
        assert!(t.contains("0.5: RACE") && t.contains("0.7: MIXED"), "{t}");
    }
}
