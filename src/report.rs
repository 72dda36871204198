//! The terminal summary: a compact table per lab and the verdict in one sentence; and
//! [`html`], the self-contained `report.html` of every result.

mod compare;
mod evidence;
mod explain;
pub mod html;
mod run;
mod sweep;
mod tables;
mod terms;

use crate::numbers::{Align, columns, compact_alike, thousands};
use crate::output::{Summary, SummaryStat};

fn range(s: &SummaryStat, f: impl Fn(f64) -> String) -> String {
    format!("{} ({}-{})", f(s.p50), f(s.p10), f(s.p90))
}

/// As [`range`] for numbers written with suffixes, all three alike ([`compact_alike`]).
fn range_alike(s: &SummaryStat) -> String {
    let texts = compact_alike(&[s.p50, s.p10, s.p90]);
    format!("{} ({}-{})", texts[0], texts[1], texts[2])
}

/// The summary printed after `racerun run`.
pub fn terminal(summary: &Summary, wall_seconds: f64) -> String {
    let mut out = String::new();
    let end = summary.months;
    out.push_str(&format!(
        "racerun {} | scenario {} | {} run{} | seed {} | {} month{} from {} | {:.1} s\n\n",
        summary.racerun_version,
        summary.scenario,
        thousands(summary.runs as i64),
        crate::numbers::plural_s(summary.runs as usize),
        summary.seed,
        end,
        crate::numbers::plural_s(end as usize),
        summary.start,
        wall_seconds
    ));
    if !summary.overrides.is_empty() {
        // Under the header line, as the result was made: `--set a=1 --set b=2`.
        let sets: Vec<String> = summary
            .overrides
            .iter()
            .map(|o| format!("--set {o}"))
            .collect();
        out.insert_str(out.len() - 1, &format!("{}\n", sets.join(" ")));
    }
    let headers = [
        "lab",
        "months led (quality)",
        "months led (market)",
        "final share",
        "final fleet (H100e)",
        "ends leading (quality)",
    ];
    let mut rows: Vec<Vec<String>> = vec![headers.map(String::from).to_vec()];
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    for lab in &summary.labs {
        let m = &summary.labs_measures[&lab.id];
        rows.push(vec![
            lab.name.clone(),
            range(&m["months_led_quality"], |v| format!("{v:.0}")),
            range(&m["months_led_market"], |v| format!("{v:.0}")),
            range(&m["final_share"], pct),
            range_alike(&m["final_fleet"]),
            pct(summary.final_quality_leader_share[&lab.id]),
        ]);
    }
    out.push_str(&columns(&rows, Align::Left, 1));
    let m = &summary.measures;
    out.push_str(&format!(
        "\nlead changes per run: quality {}, market {} (median, p10-p90)\n",
        range(&m["lead_changes_quality"], |v| format!("{v:.0}")),
        range(&m["lead_changes_market"], |v| format!("{v:.0}")),
    ));
    let followers = m
        .get("followers_train")
        .map_or("n/a (one lab)".to_string(), |s| format!("{:.2}", s.mean));
    out.push_str(&format!(
        "training fraction: leader {:.2}, followers {followers} (mean over runs)\n\n",
        m["leader_train"].mean
    ));
    out.push_str(&summary.verdict.sentence);
    out.push_str(&format!("\nrule: {}\n", summary.verdict.rule));
    out.push_str(&plausibility_warning(summary));
    out
}

/// How a number of the verdict's evidence is written.
pub type Shown = fn(f64) -> String;

/// The verdict's numbers as the terminal shows them: words, a short column heading, key in
/// the verdict's `evidence`, how it is written. The `--set` comparison and a
/// one-parameter sweep's table print them.
pub const EVIDENCE: [(&str, &str, &str, Shown); 5] = [
    (
        "persistence against chance",
        "persistence vs chance",
        "persistence_norm_quality",
        |v| format!("{v:.2}"),
    ),
    (
        "quality-lead changes a year (median)",
        "changes a year",
        "changes_per_year_median",
        |v| format!("{v:.1}"),
    ),
    (
        "month-12 leader leads at the end",
        "month-12 leader kept",
        "early_keeps_quality",
        |v| format!("{:.0}%", v * 100.0),
    ),
    (
        "leader's gap growth (mean)",
        "gap growth",
        "gap_growth_mean",
        |v| format!("{} Elo", crate::numbers::signed(v, 0)),
    ),
    ("headwind (median)", "headwind", "headwind_median", |v| {
        format!("{:.1} points", v * 100.0)
    }),
];

/// A verdict's number `key` from its `evidence`, written by `shown` (`n/a` when missing).
pub fn evidence_cell(
    evidence: &std::collections::BTreeMap<String, f64>,
    key: &str,
    shown: Shown,
) -> String {
    evidence
        .get(key)
        .filter(|v| v.is_finite())
        .map_or("n/a".to_string(), |&v| shown(v))
}

/// What `--set` changed: the verdict and the numbers it rests on, in `base` (the result of
/// the scenario without `--set`, found in `base_dir`) and in `now`, for the terminal.
pub fn changes(base: &Summary, base_dir: &str, now: &Summary) -> String {
    let mut table = vec![
        vec![
            String::new(),
            "without --set".to_string(),
            "with --set".to_string(),
        ],
        vec![
            "verdict".to_string(),
            base.verdict.regime.to_uppercase(),
            now.verdict.regime.to_uppercase(),
        ],
    ];
    for (label, _, key, shown) in EVIDENCE {
        // Unjudged (too short, one lab), persistence and the month-12 leader are taken
        // over another horizon than the verdict's, or mean nothing: not comparable.
        let comparable = |s: &Summary| {
            s.verdict.judged() || !matches!(key, "persistence_norm_quality" | "early_keeps_quality")
        };
        let cell = |s: &Summary| {
            if comparable(s) {
                evidence_cell(&s.verdict.evidence, key, shown)
            } else {
                "n/a".to_string()
            }
        };
        table.push(vec![label.to_string(), cell(base), cell(now)]);
    }
    format!(
        "\nwhat --set changed, against {base_dir} (the scenario without --set, the same seed \
         and runs):\n{}",
        columns(&table, Align::Left, 1)
    )
}

/// A warning for every plausibility bound the median run leaves, or nothing.
pub fn plausibility_warning(summary: &Summary) -> String {
    let mut out = String::new();
    for c in summary.plausibility.iter().flat_map(|p| p.outside()) {
        let shown = |v: f64| crate::metrics::plausibility::shown(&c.unit, v);
        let at = match &c.lab {
            Some(lab) => format!("{lab}, {}", c.date),
            None => c.date.clone(),
        };
        out.push_str(&format!(
            "warning: implausible: {} reaches {} ({at}) in the median run; bound {}\n",
            c.description,
            shown(c.largest),
            shown(c.bound),
        ));
    }
    out
}
