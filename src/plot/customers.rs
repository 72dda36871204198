//! `customers`: each lab's customer share across runs, median with bands.

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, Swatch, frame, lab_legend};
use super::marks::{BAND_NOTE, share_bands};
use crate::schema::Band;

pub(crate) struct Customers;

impl Chart for Customers {
    const NAME: &'static str = "customers";
    const NEEDS: Needs = Needs::BANDS;
    type Input = RunInput;
    /// Per lab in summary order, its customer share.
    type Data = Vec<Vec<Band>>;

    fn data(input: &RunInput) -> Result<Vec<Vec<Band>>, PlotError> {
        input.lab_series(Self::NAME, "customers")
    }

    fn draw<DB: Backend>(shares: &Vec<Vec<Band>>, root: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let plot = frame(
            root,
            ctx,
            &Frame {
                title: "Who the customers use: each lab's share of the market".to_string(),
                subtitle: format!(
                    "Share of all customers using each lab, across all simulated runs. {BAND_NOTE}"
                ),
                legend: lab_legend(ctx, Swatch::Band),
            },
        )?;
        let series: Vec<_> = ctx
            .labs()
            .iter()
            .zip(shares)
            .map(|(lab, points)| (points.as_slice(), lab.color))
            .collect();
        share_bands(&plot, ctx, "Customer share (%)", &series)
    }
}
