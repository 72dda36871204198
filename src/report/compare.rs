//! The report of a comparison: the verdicts side by side, the survival curves and the
//! scatter, and the command that makes it again.

use std::path::Path;

use super::html::{Page, ReportError, Section, command, esc, figures, table};
use super::run::{build_line, read_value};
use crate::output::compare::Comparison;

/// The page of the comparison in `dir`.
pub fn page(dir: &Path) -> Result<Page, ReportError> {
    let c = Comparison::read(dir)?;
    let manifest = read_value(&dir.join("manifest.json"), "a manifest").unwrap_or_default();
    let figs = crate::plot::figures(dir, crate::plot::SWEEP_MEASURE)?;
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    let rows: Vec<Vec<String>> = c
        .runs
        .iter()
        .map(|r| {
            let s24 = r.survival.as_ref().and_then(|s| {
                let h = if s.quality.h.contains(&24) {
                    24
                } else {
                    *s.quality.h.last()?
                };
                let k = s.quality.h.iter().position(|&x| x == h)?;
                Some(format!(
                    "{} after {h} months <span class=\"tag\">chance {}</span>",
                    pct(s.quality.mean[k]),
                    pct(s.chance_quality)
                ))
            });
            let [persistence, changes] = r.shown("–");
            vec![
                esc(&r.label),
                format!(
                    "<span class=\"regime {}\">{}</span>",
                    esc(&r.regime),
                    esc(&r.regime.replace('_', " ").to_uppercase())
                ),
                s24.unwrap_or_else(|| "–".into()),
                persistence,
                changes,
            ]
        })
        .collect();
    // The verdicts in words, one paragraph each: a column of sentences would make the
    // table as tall as a phone is narrow.
    let words: String = c
        .runs
        .iter()
        .map(|r| {
            format!(
                "<p><strong>{}</strong>: {}</p>\n",
                esc(&r.label),
                esc(&r.sentence)
            )
        })
        .collect();
    let notes: String = c
        .notes()
        .iter()
        .map(|n| format!("<p class=\"note\">Note: {}</p>\n", esc(n)))
        .collect();
    let dirs: Vec<String> = c.runs.iter().map(|r| r.dir.clone()).collect();
    let sections = vec![
        Section::new(
            "verdicts",
            "The verdicts side by side",
            table(
                &[
                    "scenario",
                    "verdict",
                    "leader still leads",
                    "persistence vs chance (mean)",
                    "changes/year (median)",
                ],
                &rows,
            ) + &notes
                + &words,
        ),
        Section::new("charts", "The charts", figures(&figs)),
        super::terms::section(),
        Section::new(
            "reproduce",
            "Make it again",
            format!(
                "<p>From the runs' directories (each report there says how to make it):</p>\n{}",
                command(&format!("racerun compare {}", dirs.join(" ")))
            ),
        ),
    ];
    let names: Vec<&str> = c.runs.iter().map(|r| r.label.as_str()).collect();
    Ok(Page {
        title: format!("Race or run? {} compared", names.join(", ")),
        lede: "Which of these worlds is a race, where a lead lasts, and which a run, where it \
               passes from lab to lab?"
            .to_string(),
        provenance: format!(
            "{}, {} runs compared.",
            esc(&build_line(&manifest)),
            c.runs.len()
        ),
        sections,
    })
}
