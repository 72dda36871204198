//! `customers`: each lab's customer share across simulations, median with its middle-half
//! band, the y axis fitted to the data and each lab's line in a style of its own.

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, Swatch, lab_legend};
use super::marks::{BAND_NOTE, Style, share_bands};
use super::story::{pct, pct_range};
use crate::numbers::list;
use crate::schema::Band;

pub(crate) struct Customers;

/// The median at the last month that has one.
fn last_median(points: &[Band]) -> f64 {
    points
        .iter()
        .rev()
        .map(|p| p.p50)
        .find(|v| v.is_finite())
        .unwrap_or(f64::NAN)
}

impl Chart for Customers {
    const NAME: &'static str = "customers";
    const NEEDS: Needs = Needs::BANDS;
    const READ: &'static str = "Each line is a lab's share of all customers in the median \
        simulation, its band the middle half of simulations; lines that stay together mean no \
        lab wins the market, one that climbs away means customers flock to it.";
    type Input = RunInput;
    /// Per lab in summary order, its customer share.
    type Data = Vec<Vec<Band>>;

    fn data(input: &RunInput) -> Result<Vec<Vec<Band>>, PlotError> {
        input.lab_series(Self::NAME, "customers")
    }

    fn frame(shares: &Vec<Vec<Band>>, ctx: &Ctx<'_>) -> Frame {
        Frame::new(
            title(shares, ctx),
            format!("Share of all customers using each lab, across all simulations. {BAND_NOTE}"),
            lab_legend(ctx, |c, i| Swatch::Line(c, Style::nth(i))),
        )
    }

    fn plot<DB: Backend>(shares: &Vec<Vec<Band>>, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let series: Vec<_> = ctx
            .labs()
            .iter()
            .zip(shares)
            .enumerate()
            .map(|(i, (lab, points))| (points.as_slice(), lab.color, Style::nth(i)))
            .collect();
        share_bands(plot, ctx, "Customer share (%)", &series)
    }
}

/// Who ends with the most customers in the median simulation, or that the market stays
/// split.
fn title(shares: &[Vec<Band>], ctx: &Ctx<'_>) -> String {
    let labs = ctx.labs();
    let end: Vec<f64> = shares.iter().map(|p| last_median(p)).collect();
    let finite: Vec<(usize, f64)> = end
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .collect();
    let Some(&(top, hi)) = finite.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
        return "Each lab's share of the customers".to_string();
    };
    let lo = finite.iter().map(|&(_, v)| v).fold(f64::INFINITY, f64::min);
    if labs.len() > 1 && hi - lo < 0.05 {
        let names: Vec<&str> = labs.iter().map(|l| l.name.as_str()).collect();
        return format!(
            "No lab wins the market: {} end with {} of customers each (median)",
            list(&names),
            pct_range(lo, hi)
        );
    }
    format!(
        "{} ends with the most customers: {} of the market in the median simulation",
        labs[top].name,
        pct(hi)
    )
}
