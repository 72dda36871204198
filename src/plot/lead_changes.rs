//! `lead_changes`: how many times the lead changes hands in a run, with the regime
//! verdict and its rule.

use std::collections::BTreeMap;

use super::layout::{
    Area, Backend, Bars, Ctx, DrawResult, Frame, LegendItem, Swatch, frame, grouped_histogram,
    shares,
};
use super::theme::{NEUTRAL_DARK, NEUTRAL_LIGHT};

pub(crate) fn draw<DB: Backend>(root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
    let runs = ctx.data.runs.as_ref().ok_or("runs.csv was not loaded")?;
    let series = [
        (
            "Best model (quality lead)",
            NEUTRAL_DARK,
            &runs.lead_changes_quality,
        ),
        (
            "Most customers (market lead)",
            NEUTRAL_LIGHT,
            &runs.lead_changes_market,
        ),
    ];
    let subtitle = match &ctx.data.summary.verdict {
        Some(v) => {
            let mut text = format!("Verdict: {}.", v.regime.to_uppercase());
            // The sentence may open with the regime itself ("RUN: ..."); say it once.
            let sentence = v.sentence.trim();
            let sentence = match sentence.split_once(':') {
                Some((head, rest)) if head.trim().eq_ignore_ascii_case(v.regime.trim()) => rest,
                _ => sentence,
            };
            let sentence = capitalise(sentence.trim());
            for (prefix, part) in [("", sentence.as_str()), ("Rule: ", v.rule.as_str())] {
                let part = part.trim();
                if !part.is_empty() {
                    text.push(' ');
                    text.push_str(prefix);
                    text.push_str(part);
                    if !part.ends_with('.') {
                        text.push('.');
                    }
                }
            }
            text
        }
        None => {
            "Share of simulated runs by the number of times the lead changed hands.".to_string()
        }
    };
    let plot = frame(
        root,
        ctx,
        &Frame {
            title: "How often the lead changes hands in a run".to_string(),
            subtitle,
            legend: series
                .iter()
                .map(|&(label, color, _)| LegendItem::new(label, Swatch::Block(color)))
                .collect(),
        },
    )?;
    let bars: Vec<Bars> = series
        .iter()
        .map(|&(_, color, values)| Bars {
            color,
            shares: shares(&histogram(values)),
        })
        .collect();
    grouped_histogram(
        &plot,
        ctx,
        &bars,
        "Lead changes over the run (count)",
        "Share of runs (%)",
        0,
    )
}

/// (value, how many runs had it).
fn histogram(values: &[u64]) -> Vec<(u64, u64)> {
    let mut counts = BTreeMap::new();
    for &v in values {
        *counts.entry(v).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// `leadership changed` -> `Leadership changed`.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
