//! `headwind`: the quality leader's training fraction against the followers', median
//! and bands across runs. A leader that serves more trains less: the headwind.

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, frame};
use super::marks::{BAND_NOTE, share_bands};
use super::theme::{NEUTRAL_DARK, NEUTRAL_LIGHT};
use crate::schema::Band;

pub(crate) struct Headwind;

/// The lines drawn: world series, legend label, colour.
const LINES: [(&str, &str, plotters::style::RGBColor); 2] = [
    ("leader_train", "Quality leader", NEUTRAL_DARK),
    (
        "followers_train",
        "Followers (mean of the other labs)",
        NEUTRAL_LIGHT,
    ),
];

impl Chart for Headwind {
    const NAME: &'static str = "headwind";
    const NEEDS: Needs = Needs::BANDS;
    type Input = RunInput;
    /// The world series of [`LINES`], in order.
    type Data = Vec<Vec<Band>>;

    fn data(input: &RunInput) -> Result<Vec<Vec<Band>>, PlotError> {
        LINES
            .iter()
            .map(|(series, _, _)| input.world_series(Self::NAME, series))
            .collect()
    }

    fn draw<DB: Backend>(lines: &Vec<Vec<Band>>, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let plot = frame(
            root,
            ctx,
            &Frame {
                title: "The headwind: how much of its fleet the leader keeps training".to_string(),
                subtitle: format!(
                    "Share of GPUs training the next model rather than serving customers, for \
                     whichever lab leads on quality that month and for the others. {BAND_NOTE}"
                ),
                legend: LINES
                    .iter()
                    .map(|&(_, label, color)| LegendItem::new(label, Swatch::Band(color)))
                    .collect(),
            },
        )?;
        let series: Vec<_> = lines
            .iter()
            .zip(LINES)
            .map(|(points, (_, _, color))| (points.as_slice(), color))
            .collect();
        share_bands(&plot, ctx, "Training share of fleet (%)", &series)
    }
}
