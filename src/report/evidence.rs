//! The verdict's evidence in `report.html`: each test of the rule with its estimate,
//! interval and thresholds, marked met or not, and the verdict with each threshold moved.

use serde_json::Value;

use super::html::{esc, table};
use super::tables::num;

/// The verdict's evidence as its tests read it, in the order of the rule: each estimate
/// with its interval, what a race and a run need of it (from the summary's thresholds),
/// and whether it meets them; then what the rule does not test. `None` for an evidence
/// section without the chance-normalised persistence (summaries of other versions). A
/// single run (`runs` < 2) has no intervals; `no_spells` when no lab ever led.
pub(super) fn evidence(e: &Value, verdict: &Value, runs: u64, no_spells: bool) -> Option<String> {
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
            match spell {
                Some(m) => format!("{m:.0} months"),
                None if no_spells => "no spells: no lab ever led".into(),
                None => "more than the horizon".into(),
            },
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
            "Share of months whose leader still leads at the persistence horizon (no chance \
             correction)"
                .to_string(),
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
pub(super) fn thresholds(entries: &[Value]) -> String {
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
        let html = evidence(&e, &verdict, 1000, false).unwrap();
        assert!(
            evidence(&e, &verdict, 1, false)
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
        assert!(evidence(&serde_json::json!({"x": 1}), &verdict, 1000, false).is_none());
        // Near a threshold the estimate gets the digits that tell it apart.
        let mut close = e.clone();
        close["persistence_norm_quality"] = 0.597.into();
        close["gap_growth_mean"] = 0.3.into();
        let html = evidence(&close, &verdict, 1000, false).unwrap();
        assert!(html.contains("<td>0.597</td>"), "{html}");
        assert!(html.contains("<td>0.3 Elo</td>"), "{html}");
        assert_eq!(distinct_digits(0.87, &[0.6, 0.3], 2), 2);
        let t = thresholds(verdict["threshold_sensitivity"].as_array().unwrap());
        assert!(t.contains("0.5: RACE") && t.contains("0.7: MIXED"), "{t}");
    }
}
