//! `lead_changes`: how many times the lead changes hands in a run, with the regime
//! verdict and its rule.

use std::collections::BTreeMap;

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, frame};
use super::marks::{grouped_histogram, lead_kinds_bars, lead_kinds_legend, shares};
use crate::schema::VerdictInfo;

pub(crate) struct LeadChanges;

pub(crate) struct Data {
    subtitle: String,
    /// Per kind of lead: (lead changes, share of runs).
    shares: [Vec<(u64, f64)>; 2],
}

impl Chart for LeadChanges {
    const NAME: &'static str = "lead_changes";
    const NEEDS: Needs = Needs::RUNS;
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        let runs = input.lead_changes(Self::NAME)?;
        Ok(Data {
            subtitle: subtitle(input.summary.verdict.as_ref()),
            shares: [&runs.quality, &runs.market].map(|values| shares(&histogram(values))),
        })
    }

    fn draw<DB: Backend>(data: &Data, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let plot = frame(
            root,
            ctx,
            &Frame {
                title: "How often the lead changes hands in a run".to_string(),
                subtitle: data.subtitle.clone(),
                legend: lead_kinds_legend(),
            },
        )?;
        let bars = lead_kinds_bars(&data.shares);
        grouped_histogram(
            &plot,
            ctx,
            &bars,
            "Lead changes over the run (count)",
            "Share of runs (%)",
            0,
        )
    }
}

/// The verdict, its sentence and its rule; or what the bars are when there is none.
fn subtitle(verdict: Option<&VerdictInfo>) -> String {
    let Some(v) = verdict else {
        return "Share of simulated runs by the number of times the lead changed hands."
            .to_string();
    };
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
