//! The terminal summary of `racerun explain`: a table of what each channel accounts for
//! in the quality lead's changes a year and its persistence against chance, the verdict
//! and the answer.

use super::attribution::{MeasureAttribution, Status};
use super::{CHANNELS, Explanation};
use crate::numbers::{Align, columns, signed, thousands};
use crate::output::RunInfo;

/// The measures the table shows, with their headings.
const SHOWN: [(&str, &str); 2] = [
    ("changes_per_year_quality", "lead changes a year (quality)"),
    (
        "persistence_norm_quality",
        "persistence against chance (quality)",
    ),
];

fn pct(v: f64) -> String {
    if v.is_finite() {
        let t = format!("{:.0}%", v * 100.0);
        if t == "-0%" { "0%".into() } else { t }
    } else {
        String::new()
    }
}

/// Three cells for one channel in one measure: effect, share, interval of the share, or
/// of the effect when it is the only channel used (its share is then 1 by construction);
/// no interval from one run, whose bootstrap has no spread.
fn cells(
    m: &MeasureAttribution,
    channel: &str,
    status: Status,
    decimals: usize,
    runs: u64,
    alone: bool,
) -> [String; 3] {
    match status {
        Status::Used => {
            let e = m.channels[channel];
            let mut share = e.share.map_or_else(String::new, pct);
            let ci = match (e.share_ci_low, e.share_ci_high) {
                _ if runs < 2 => String::new(),
                _ if alone => format!(
                    "{} to {}",
                    signed(e.ci_low, decimals),
                    signed(e.ci_high, decimals)
                ),
                (Some(lo), Some(hi)) => {
                    let value = e.share.unwrap_or(f64::NAN);
                    let [value, lo, hi] = crate::numbers::percent_with_interval(value, lo, hi);
                    if e.share.is_some() {
                        share = format!("{value}%");
                    }
                    format!("{lo}% to {hi}%")
                }
                _ => String::new(),
            };
            // Alone, its share is 1 by construction, whatever its effect: not shown.
            if alone {
                share.clear();
            }
            [signed(e.effect, decimals), share, ci]
        }
        Status::Unused => ["0 (unused)".into(), String::new(), String::new()],
        Status::KeptOn => ["kept on".into(), String::new(), String::new()],
    }
}

/// The summary printed after `racerun explain`.
pub fn terminal(e: &Explanation, info: &RunInfo) -> String {
    let s = &e.summary.summary;
    let a = &e.summary.attribution;
    let mut out = format!(
        "racerun {} | explain {} | {} run{} x {} world{} | seed {} | {:.1} s\n",
        s.racerun_version,
        s.scenario,
        thousands(s.runs as i64),
        crate::numbers::plural_s(s.runs),
        a.worlds,
        crate::numbers::plural_s(a.worlds),
        s.seed,
        info.wall_time_seconds
    );
    let by = |status: Status| -> Vec<&str> {
        a.channels
            .iter()
            .filter(|c| c.status == status)
            .map(|c| c.name.as_str())
            .collect()
    };
    let used = by(Status::Used);
    out.push_str(&if used.is_empty() {
        "channels used: none".to_string()
    } else {
        format!("channels used: {}", used.join(", "))
    });
    for (status, words) in [(Status::Unused, "not used"), (Status::KeptOn, "kept on")] {
        let names = by(status);
        if !names.is_empty() {
            out.push_str(&format!("; {words}: {}", names.join(", ")));
        }
    }
    out.push_str(&format!("\nmethod: {}\n\n", a.method));

    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec![String::new()];
    let mut sub = vec!["channel".to_string()];
    // With one channel its share is 1: the interval shown is the effect's.
    let alone = used.len() == 1;
    let interval = if alone {
        "95% CI of effect"
    } else {
        "95% CI of share"
    };
    for (_, title) in SHOWN {
        head.extend([title.to_string(), String::new(), String::new()]);
        sub.extend(["effect", "share", interval].map(String::from));
    }
    rows.push(head);
    rows.push(sub);
    let off = super::attribution::all_off_words(&a.channels);
    for (label, pick) in [("factual world", true), (off.as_str(), false)] {
        let mut row = vec![label.to_string()];
        for (name, _) in SHOWN {
            let m = &a.measures[name];
            let v = if pick { m.factual } else { m.all_off };
            row.extend([format!("{v:.2}"), String::new(), String::new()]);
        }
        rows.push(row);
    }
    for (c, info) in CHANNELS.iter().zip(&a.channels) {
        let mut row = vec![c.name().to_string()];
        for (name, _) in SHOWN {
            row.extend(cells(
                &a.measures[name],
                c.name(),
                info.status,
                2,
                s.runs,
                alone,
            ));
        }
        rows.push(row);
    }
    // Headings span their three columns.
    let widths = crate::numbers::widths(&rows[1..]);
    let mut line = format!("{:<w$}", "", w = widths[0]);
    for (g, chunk) in rows[0][1..].chunks(3).enumerate() {
        let span = widths[1 + 3 * g..4 + 3 * g].iter().sum::<usize>() + 4;
        line.push_str(&format!("  {:<span$}", chunk[0]));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out.push_str(&columns(&rows[1..], Align::NumbersRight, 1));
    out.push('\n');
    for note in super::attribution::reading_notes(a) {
        out.push_str(&format!("note: {note}\n"));
    }
    out.push_str(&a.sentence);
    out.push_str("\nverdict of the factual world: ");
    let sentence = &s.verdict.sentence;
    out.push_str(sentence.split(" Why: ").next().unwrap_or(sentence));
    let (changes, runs) = (
        e.leapfrogs.len(),
        e.leapfrogs
            .iter()
            .map(|l| l.run)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    );
    out.push_str(&format!(
        "\n{changes} lead change{} of {runs} sample run{} decomposed in leapfrogs.csv; every \
         measure and channel in attribution.csv\n",
        crate::numbers::plural_s(changes),
        crate::numbers::plural_s(runs),
    ));
    out
}
