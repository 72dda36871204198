//! `leapfrogs`: what wins a leapfrog. Every lead change of the sample runs, the
//! challenger's quality margin over the leader it overtook split into what made the two
//! models (fleet, training share, research efficiency, vintage, run length,
//! self-improvement, spillover, luck, a month-0 model): the mean part over all changes as
//! a bar, its 25th to 75th percentile as a whisker.

use super::PlotError;
use super::attribution::{Bar, Panel, bar_panel, short};
use super::chart::Chart;
use super::explain::ExplainInput;
use super::frame::{Area, Backend, Ctx, DrawResult, Frame};
use super::theme::{AXIS, OKABE_ITO};
use crate::explain::leapfrog::PARTS;
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
                    label: name.replace('_', " "),
                    value: mean,
                    whisker: Some((
                        stats::quantile(&values, 0.25),
                        stats::quantile(&values, 0.75),
                    )),
                    note: format!("{} Elo", short(mean)),
                    color: if mean >= 0.0 { OKABE_ITO[4] } else { AXIS },
                }
            })
            .collect();
        let title = match bars_top(&bars, rows.is_empty()) {
            Some((label, value)) => format!(
                "Leapfrogs are won by {label}: {} Elo of the challenger's margin on average",
                short(value)
            ),
            None => "No lead change in the sample runs".into(),
        };
        Ok(LeapfrogData {
            title,
            subtitle: format!(
                "Each lead change of the first {} sample run(s) ({} changes): the challenger's \
                 quality margin over the leader it overtook (mean {} Elo), split exactly into \
                 what made the two models, since quality is logarithmic in effective compute. \
                 Bars: mean part over the changes; whiskers: 25th to 75th percentile.",
                runs.len(),
                rows.len(),
                short(stats::mean(&margins))
            ),
            panel: Panel {
                title: "Part of the challenger's margin (Elo)".into(),
                axis: "Elo".into(),
                bars: if rows.is_empty() { Vec::new() } else { bars },
                empty: "No lead change in the sample runs: nothing to decompose.".into(),
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

/// The part with the largest positive mean, when there are lead changes.
fn bars_top(bars: &[Bar], none: bool) -> Option<(String, f64)> {
    if none {
        return None;
    }
    bars.iter()
        .filter(|b| b.value.is_finite() && b.value > 0.0)
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .map(|b| (b.label.clone(), b.value))
}
