//! `spells`: how long a lab keeps the lead once it has it, all simulations pooled,
//! weighted by months: each bar is the share of all months in the lead that belong to
//! spells of that length, so a few decade-long leads weigh what they last rather than
//! vanishing among many short ones. Long horizons are binned by quarters or years.

use super::PlotError;
use super::chart::Chart;
use super::data::{Needs, RunInput};
use super::frame::{Area, Backend, Ctx, DrawResult, Frame};
use super::marks::{Bins, histogram, lead_kinds_bars, lead_kinds_legend};

pub(crate) struct SpellLengths;

/// Per kind of lead: (lower edge of the bin, share of lead-months), and the median spell
/// a month in the lead belongs to.
pub(crate) struct Data {
    shares: [Vec<(f64, f64)>; 2],
    median: [Option<u64>; 2],
    width: u64,
    /// Kaplan-Meier median length of a quality-lead spell, when the summary has it.
    km_median: Option<u32>,
}

/// Bin width for spells up to `months` long: about thirty bins at most.
fn bin_width(months: u32) -> u64 {
    [1u64, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|w| u64::from(months).div_ceil(*w) <= 30)
        .unwrap_or(120)
}

/// (bin lower edge, share of lead-months) with bins of `width` months (spell lengths
/// `1..=width` in the first), and the length at which half the lead-months are in
/// spells at least that long.
fn weighted(counts: &[(u64, u64)], width: u64) -> (Vec<(f64, f64)>, Option<u64>) {
    let total: u64 = counts.iter().map(|&(len, n)| len * n).sum();
    if total == 0 {
        return (Vec::new(), None);
    }
    let mut bins: std::collections::BTreeMap<u64, u64> = Default::default();
    for &(len, n) in counts {
        *bins.entry((len - 1) / width).or_insert(0) += len * n;
    }
    let shares = bins
        .into_iter()
        .map(|(b, months)| ((b * width) as f64 + 0.5, months as f64 / total as f64))
        .collect();
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut seen = 0;
    let median = sorted.iter().find_map(|&(len, n)| {
        seen += len * n;
        (2 * seen >= total).then_some(len)
    });
    (shares, median)
}

impl Chart for SpellLengths {
    const NAME: &'static str = "spells";
    const NEEDS: Needs = Needs::SPELLS;
    const READ: &'static str = "Each bar is the share of all months in the lead spent in \
        spells of that length: weight piled on the left means leads are short-lived (a run), \
        weight on the right means a lab that takes the lead keeps it for years (a race).";
    type Input = RunInput;
    type Data = Data;

    fn data(input: &RunInput) -> Result<Data, PlotError> {
        let spells = input.spells(Self::NAME)?;
        let width = bin_width(input.summary.months);
        let (q, qm) = weighted(&spells.quality, width);
        let (m, mm) = weighted(&spells.market, width);
        let km_median = input.spell_survival.as_ref().and_then(|s| {
            let c = &s.quality;
            c.months
                .iter()
                .zip(&c.survival)
                .find(|(_, s)| **s <= 0.5)
                .map(|(m, _)| *m)
        });
        Ok(Data {
            shares: [q, m],
            median: [qm, mm],
            width,
            km_median,
        })
    }

    fn frame(data: &Data, ctx: &Ctx<'_>) -> Frame {
        // Many short spells and a few long ones: the title tells both halves of the story,
        // or the subtitle's "half end within 3 months" reads as contradicting it.
        let both = matches!(
            (data.median[0], data.km_median),
            (Some(m), Some(km)) if 2 * u64::from(km) <= m
        );
        let title = match (data.median[0], data.km_median) {
            (Some(m), Some(km)) if both => format!(
                "Half of all leads end within {km} month{}, yet half the time in the lead is \
                 spent in spells of {m} months or more",
                crate::numbers::plural_s(km)
            ),
            (Some(m), _) => format!(
                "Half the time in the lead is spent in spells of {m} month{} or more",
                crate::numbers::plural_s(m)
            ),
            (None, _) if data.shares[0].is_empty() => {
                "No lab took the lead in any simulation: none pulled ahead by the lead margin"
                    .to_string()
            }
            (None, _) => "How long a lead lasts".to_string(),
        };
        let market = data.median[1]
            .map(|m| format!(" For the most customers: {m} months or more."))
            .unwrap_or_default();
        let bins = if data.width == 1 {
            String::new()
        } else {
            format!(" Bars group spells by {} months.", data.width)
        };
        let km = match data.km_median {
            Some(_) if both => " Leads counted with spells cut \
                off by the horizon as still running (Kaplan-Meier)."
                .to_string(),
            Some(m) => format!(
                " Counting spells cut off by the horizon as still running (Kaplan-Meier), half \
                 of all quality leads end within {m} months."
            ),
            None => String::new(),
        };
        Frame::new(
            format!("{title} (best model)"),
            format!(
                "Share of all months in the lead, all simulations pooled, by the length of the \
                 spell they belong to; a spell still running at month {} counts the months \
                 observed.{bins}{market}{km}",
                ctx.summary.months
            ),
            lead_kinds_legend(),
        )
    }

    fn plot<DB: Backend>(data: &Data, plot: &Area<DB>, ctx: &Ctx<'_>) -> DrawResult {
        let months = u64::from(ctx.summary.months);
        let w = data.width as f64;
        let last = months.div_ceil(data.width) as f64 * w + 0.5;
        let step = [1u64, 2, 3, 6, 12, 24, 60, 120]
            .into_iter()
            .find(|s| months / s <= 12 && *s >= data.width)
            .unwrap_or(months.max(1));
        let ticks = (0..=months)
            .filter(|m| m % step == 0)
            .map(|m| m as f64 + 0.5)
            .collect();
        let bins = Bins {
            range: (0.5, last),
            width: w,
            ticks,
            label: |v| crate::numbers::thousands((v - 0.5).round() as i64),
        };
        histogram(
            plot,
            ctx,
            &lead_kinds_bars(&data.shares),
            &bins,
            (
                "Length of the spell in the lead (months)",
                "Share of months in the lead (%)",
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_spells_weigh_what_they_last() {
        // 90 one-month spells and one 90-month spell: by count the long one is 1%, by
        // months it is half.
        let (shares, median) = weighted(&[(1, 90), (90, 1)], 1);
        assert_eq!(shares, vec![(0.5, 0.5), (89.5, 0.5)]);
        assert_eq!(median, Some(1));
        let (shares, median) = weighted(&[(1, 89), (90, 1)], 6);
        assert!((shares[1].1 - 90.0 / 179.0).abs() < 1e-12);
        assert_eq!(shares[1].0, 84.5);
        assert_eq!(median, Some(90));
        assert_eq!(bin_width(120), 6);
        assert_eq!(bin_width(24), 1);
    }
}
