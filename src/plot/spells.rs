//! `spells`: how long a lab keeps the lead once it has it, all runs pooled.

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, frame};
use super::marks::{grouped_histogram, lead_kinds_bars, lead_kinds_legend, shares};

pub(crate) struct SpellLengths;

impl Chart for SpellLengths {
    const NAME: &'static str = "spells";
    const NEEDS: Needs = Needs::SPELLS;
    type Input = RunInput;
    /// Per kind of lead: (spell length, share of spells).
    type Data = [Vec<(u64, f64)>; 2];

    fn data(input: &RunInput) -> Result<[Vec<(u64, f64)>; 2], PlotError> {
        let spells = input.spells(Self::NAME)?;
        Ok([shares(&spells.quality), shares(&spells.market)])
    }

    fn draw<DB: Backend>(
        data: &[Vec<(u64, f64)>; 2],
        root: &Area<DB>,
        ctx: &Ctx<'_>,
    ) -> DrawResult {
        let plot = frame(
            root,
            ctx,
            &Frame {
                title: "How long a lead lasts".to_string(),
                subtitle: "Length of each spell in the lead, all simulated runs pooled; a spell \
                           still running at the end of the horizon counts with the months \
                           observed."
                    .to_string(),
                legend: lead_kinds_legend(),
            },
        )?;
        let bars = lead_kinds_bars(data);
        grouped_histogram(
            &plot,
            ctx,
            &bars,
            "Spell length (months)",
            "Share of spells (%)",
            1,
        )
    }
}
