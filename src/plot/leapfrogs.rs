//! `leapfrogs`: what wins a leapfrog. Every lead change of the sample runs, the
//! challenger's quality margin over the leader it overtook split into what made the two
//! models (fleet, training share, research efficiency, vintage, run length,
//! self-improvement, spillover, carried-over compute, luck, a month-0 model): the mean
//! part over all changes as a bar, its 25th to 75th percentile as a whisker.

use super::PlotError;
use super::attribution::{Bar, Panel, bar_panel};
use super::chart::Chart;
use super::explain::ExplainInput;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame};
use super::theme::{AXIS, OKABE_ITO};
use crate::explain::leapfrog::{PARTS, words};
use crate::stats;

pub(crate) struct Leapfrogs;

/// What the chart shows.
pub(crate) struct LeapfrogData {
    title: String,
    subtitle: String,
    panel: Panel,
}

impl Chart for Leapfrogs {
    const NAME: &'static str = "leapfrogs";
    const READ: &'static str = "Each bar is the mean part of a challenger's quality margin at the \
        moment it overtook the leader that came from one source (its fleet, its training share, \
        its research efficiency, and so on); a long bar on the right is what wins leapfrogs, a \
        bar on the left is where challengers were behind.";
    type Input = ExplainInput;
    type Data = LeapfrogData;

    fn data(input: &ExplainInput) -> Result<LeapfrogData, PlotError> {
        let rows = &input.leapfrogs;
        let runs: std::collections::BTreeSet<u64> = rows.iter().map(|l| l.run).collect();
        let margins: Vec<f64> = rows.iter().map(|l| l.margin).collect();
        let bars: Vec<Bar> = PARTS
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let values: Vec<f64> = rows.iter().map(|l| l.parts()[k]).collect();
                let mean = stats::mean(&values);
                Bar {
                    label: words(name).0.to_string(),
                    value: mean,
                    whisker: Some((
                        stats::quantile(&values, 0.25),
                        stats::quantile(&values, 0.75),
                    )),
                    note: format!("{} Elo", signed(mean)),
                    color: if mean >= 0.0 { OKABE_ITO[4] } else { AXIS },
                }
            })
            .collect();
        let margin = stats::mean(&margins);
        let title = if rows.is_empty() {
            "No lead change to split: the sample simulations had none, or there were none \
             (explain --samples N decomposes runs 0 to N - 1)"
                .to_string()
        } else {
            headline(&bars, margin)
        };
        let simulations = match runs.len() {
            1 => "one sample simulation".to_string(),
            n => format!("{n} sample simulations"),
        };
        Ok(LeapfrogData {
            title,
            subtitle: format!(
                "Each of the {} lead changes of {simulations}: the challenger's quality margin \
                 over the leader it overtook (mean {} Elo), split exactly into what made the two \
                 models, since quality is logarithmic in effective compute. Bars: the mean part; \
                 whiskers: 25th to 75th percentile over the changes; blue where the challenger \
                 gained on average, grey where it was behind.",
                rows.len(),
                crate::numbers::fixed(margin, 1)
            ),
            panel: Panel {
                title: "Where the challenger's margin came from".into(),
                axis: "Elo of the margin: positive where the challenger's model was ahead".into(),
                bars: if rows.is_empty() { Vec::new() } else { bars },
                empty: "No lead change in the sample simulations (if any): nothing to split."
                    .into(),
            },
        })
    }

    fn frame(d: &LeapfrogData, _ctx: &Ctx<'_>) -> Frame {
        Frame::new(d.title.clone(), d.subtitle.clone(), Vec::new())
    }

    fn plot<DB: Backend>(d: &LeapfrogData, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        bar_panel(plot, ctx, &d.panel)
    }
}

/// A value with its sign, for parts of a margin: Elo to one decimal throughout, so that
/// the bars' labels read alike (`+25.3`, `\u{2212}0.4`, `0.0`).
fn signed(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let text = crate::numbers::minus(crate::numbers::fixed(v, 1));
    if v > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

/// The title: the part with the largest positive mean, and the next when it is at least
/// half as large.
fn headline(bars: &[Bar], margin: f64) -> String {
    let mut gains: Vec<(usize, f64)> = bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.value.is_finite() && b.value > 0.0)
        .map(|(k, b)| (k, b.value))
        .collect();
    gains.sort_by(|a, b| b.1.total_cmp(&a.1));
    let name = |k: usize| words(PARTS[k]).1;
    match gains.as_slice() {
        [] => format!(
            "No part of the challenger's margin is positive on average (mean margin {} Elo)",
            crate::numbers::fixed(margin, 1)
        ),
        [(k1, v1), (k2, v2), ..] if *v2 >= 0.5 * v1 => format!(
            "Leapfrogs are won by {} ({} Elo) and {} ({}); the mean margin is {} Elo",
            name(*k1),
            signed(*v1),
            name(*k2),
            signed(*v2),
            crate::numbers::fixed(margin, 1)
        ),
        [(k1, v1), ..] => format!(
            "Leapfrogs are won by {} ({} Elo); the mean margin is {} Elo",
            name(*k1),
            signed(*v1),
            crate::numbers::fixed(margin, 1)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(means: &[(&str, f64)]) -> Vec<Bar> {
        PARTS
            .iter()
            .map(|p| Bar {
                label: p.to_string(),
                value: means.iter().find(|(n, _)| n == p).map_or(0.0, |m| m.1),
                whisker: None,
                note: String::new(),
                color: AXIS,
            })
            .collect()
    }

    #[test]
    fn the_title_names_what_wins_leapfrogs() {
        let two = bars(&[("fleet", 23.4), ("vintage", 22.1), ("carried", -24.8)]);
        assert_eq!(
            headline(&two, 26.9),
            "Leapfrogs are won by more GPUs in the run (+23.4 Elo) and a later vintage (+22.1); the \
             mean margin is 26.9 Elo"
        );
        // A second part under half the first is not named.
        let one = bars(&[("fleet", 57.2), ("self_improvement", 21.2)]);
        assert_eq!(
            headline(&one, 47.7),
            "Leapfrogs are won by more GPUs in the run (+57.2 Elo); the mean margin is 47.7 Elo"
        );
        assert!(headline(&bars(&[("luck", -3.0)]), 5.0).starts_with("No part"));
        assert_eq!(signed(0.0), "0.0");
        assert_eq!(signed(0.004), "0.0");
        assert_eq!(signed(-0.004), "0.0");
        assert_eq!(signed(-1.5), "\u{2212}1.5");
        assert_eq!(signed(25.33), "+25.3");
    }
}
