//! `customers`: each lab's customer share across simulations, median with its middle-half
//! band, the y axis fitted to the data and each lab's line in a style of its own.

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame, LegendItem, Swatch, lab_legend};
use super::marks::{BAND_NOTE, Style, share_bands};
use super::story::{pct, pct_range};
use super::theme::INK;
use crate::schema::Band;

pub(crate) struct Customers;

pub(crate) struct Data {
    /// Per lab in summary order, its customer share.
    shares: Vec<Vec<Band>>,
    /// The largest lab's share, whichever lab it is, month by month (empty in results
    /// written before racerun kept it).
    top_line: Vec<Band>,
    /// The median over simulations of the largest lab's share at the end: which lab that
    /// is varies, so the labs' own medians can all be well below it.
    top: f64,
    /// The share of simulations whose largest lab ends at least [`WINS`] above an equal
    /// split.
    won: f64,
}

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
    const NEEDS: Needs = Needs::BANDS.union(Needs::RUNS);
    const READ: &'static str = "Each line is a lab's share of all customers, month by month \
        the median across simulations, its band the middle half of simulations; lines that \
        stay together while the title's largest share stays near an equal split mean no lab \
        wins the market; one that climbs away means customers flock to that lab.";
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        let tops = input.top_final_share(Self::NAME)?;
        let equal = 1.0 / input.summary.labs.len().max(1) as f64;
        let finite = tops.iter().filter(|t| t.is_finite()).count();
        let won = tops.iter().filter(|&&t| t - equal >= WINS).count();
        Ok(Data {
            shares: input.lab_series(Self::NAME, "customers")?,
            top_line: input.world_series(Self::NAME, "top_share")?,
            top: crate::stats::quantile(tops, 0.5),
            won: if finite == 0 {
                f64::NAN
            } else {
                won as f64 / finite as f64
            },
        })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        let mut legend = lab_legend(ctx, |c, i| Swatch::Line(c, Style::nth(i)));
        let top = if data.top_line.is_empty() {
            ""
        } else {
            legend.push(LegendItem::new(
                "The largest lab, whichever it is",
                Swatch::Line(INK, Style::SOLID),
            ));
            " Black: the largest lab's share, whichever lab that is in each simulation \
             (median); the labs' own medians stay low when the winner differs from one \
             simulation to the next."
        };
        Frame::new(
            title(&data.shares, data.top, data.won, ctx),
            format!(
                "Share of all customers using each lab, across all simulations. {BAND_NOTE}{top}"
            ),
            legend,
        )
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let series: Vec<_> = ctx
            .labs()
            .iter()
            .zip(&data.shares)
            .enumerate()
            .map(|(i, (lab, points))| (points.as_slice(), lab.color, Style::nth(i)))
            .collect();
        share_bands(plot, ctx, "Customer share (%)", &series, &data.top_line)
    }
}

/// How far above an equal split a lab's final share must be for the title to say it wins
/// the market: 5 points.
const WINS: f64 = 0.05;

/// What the shares say at the end: that no lab wins in most simulations, that one lab
/// wins in most but which one varies (the labs' medians close together while the largest
/// share is well above them), or which lab ends with the most customers. `top` is the
/// median over simulations of the largest lab's final share, `won` the share of
/// simulations in which the largest ends [`WINS`] above an equal split.
fn title(shares: &[Vec<Band>], top: f64, won: f64, ctx: &Ctx<'_>) -> String {
    let labs = ctx.labs();
    let end: Vec<f64> = shares.iter().map(|p| last_median(p)).collect();
    let finite: Vec<(usize, f64)> = end
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .collect();
    let Some(&(first, hi)) = finite.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
        return "Each lab's share of the customers".to_string();
    };
    let lo = finite.iter().map(|&(_, v)| v).fold(f64::INFINITY, f64::min);
    if labs.len() > 1 && top.is_finite() && won.is_finite() && hi - lo < WINS {
        let largest = format!(
            "each lab ends with {} of customers, the largest with {} (medians over simulations)",
            pct_range(lo, hi),
            pct(top)
        );
        return if won < 0.5 {
            format!("No lab wins the market: {largest}")
        } else {
            format!(
                "The largest lab ends with {} of customers, but which lab varies: each lab's own \
                 median ends at {} (one lab ends 5 points above an equal split in {} of \
                 simulations)",
                pct(top),
                pct_range(lo, hi),
                pct(won)
            )
        };
    }
    let largest = if top.is_finite() && labs.len() > 1 {
        format!(
            "; the largest lab holds {} (median over simulations)",
            pct(top)
        )
    } else {
        String::new()
    };
    format!(
        "{} ends with the most customers: {} of the market (median){largest}",
        labs[first].name,
        pct(hi)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::data::{Lab, Summary};
    use crate::plot::frame::Ctx;

    fn summary(labs: &[&str]) -> Summary {
        let mut s = Summary::bare("0", "test", "2025-01", 24, 1, 1000);
        s.labs = labs
            .iter()
            .map(|name| Lab {
                id: name.to_lowercase(),
                name: name.to_string(),
                color: plotters::style::RGBColor(0, 0, 0),
            })
            .collect();
        s
    }

    /// A lab's series ending at `end` (its median in every month).
    fn ending(end: f64) -> Vec<Band> {
        (0..24)
            .map(|month| Band {
                month,
                mean: end,
                p5: end,
                p25: end,
                p50: end,
                p75: end,
                p95: end,
            })
            .collect()
    }

    #[test]
    fn the_title_tells_a_split_market_from_one_won_by_a_lab_that_varies() {
        let s = summary(&["Alpha", "Beta", "Gamma"]);
        let ctx = Ctx::bare(&s, 1.0);
        let even = [ending(0.34), ending(0.33), ending(0.33)];
        // The largest lab barely above a third: a split market.
        let t = title(&even, 0.35, 0.2, &ctx);
        assert!(t.starts_with("No lab wins the market"), "{t}");
        assert!(
            t.contains("each lab ends with 33-34% of customers, the largest with 35%"),
            "{t}"
        );
        // Four labs whose medians are a quarter each while the largest holds half in
        // nearly every simulation: a lab wins each time, not the same one.
        let s4 = summary(&["Alpha", "Beta", "Gamma", "Delta"]);
        let ctx4 = Ctx::bare(&s4, 1.0);
        let won = [ending(0.26), ending(0.24), ending(0.25), ending(0.25)];
        let t = title(&won, 0.52, 0.97, &ctx4);
        assert!(
            t.starts_with(
                "The largest lab ends with 52% of customers, but which lab varies: each lab's own \
                 median ends at 24-26%"
            ),
            "{t}"
        );
        assert!(t.contains("in 97% of simulations"), "{t}");
        // A largest share well above a third in the median, but 5 points above in only a
        // minority of simulations: no lab wins.
        let t = title(&even, 0.40, 0.3, &ctx);
        assert!(t.starts_with("No lab wins the market"), "{t}");
        // One lab's median well above the others: it is named.
        let one = [ending(0.6), ending(0.2), ending(0.2)];
        let t = title(&one, 0.6, 1.0, &ctx);
        assert!(
            t.starts_with("Alpha ends with the most customers: 60%"),
            "{t}"
        );
    }
}
