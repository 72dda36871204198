//! How durable a lead is, across runs: lead survival `S(h)` for every h up to the
//! persistence horizon with bootstrap intervals, and the Kaplan-Meier survival of lead
//! spells (the last spell of every run censored at the horizon).
//!
//! `S(h)` is the probability that the lab leading at month m still leads at m + h,
//! averaged over m and runs; against chance, a leader drawn at random among `n` labs
//! still leads with probability `1/n`. A spell's survival at length t is the probability
//! that a lead, once taken, lasts more than t months; a spell cut off by the end of the
//! horizon only says it lasted at least its length, which Kaplan-Meier uses as such.

use serde::{Deserialize, Serialize};

use super::bootstrap::{Estimate, Resamples};
use super::{RunMeasures, Tally};
pub use crate::schema::{SpellCurve, SpellSurvival, Survival, SurvivalCurve};

/// Spell-length counts of both leaders pooled over runs, `[length - 1]`: what the spell
/// survival curves and `spells.csv` are made from, kept and merged together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpellCounts {
    /// The quality leader's.
    pub quality: Vec<u64>,
    /// The market leader's.
    pub market: Vec<u64>,
}

impl SpellCounts {
    /// No spells yet, over a horizon of `months` (no spell is longer).
    pub fn new(months: usize) -> SpellCounts {
        SpellCounts {
            quality: vec![0; months],
            market: vec![0; months],
        }
    }

    /// Counts the spells of a run within the horizon, taking them out of its measures:
    /// the run keeps no spell buffer.
    pub fn take(&mut self, measures: &mut RunMeasures) {
        for (counts, spells) in [
            (&mut self.quality, &mut measures.quality.spells),
            (&mut self.market, &mut measures.market.spells),
        ] {
            for s in std::mem::take(spells) {
                counts[s as usize - 1] += 1;
            }
        }
    }

    /// Adds the counts of other runs (of a horizon as long or shorter, or longer).
    pub fn add(&mut self, more: &SpellCounts) {
        for (total, more) in [
            (&mut self.quality, &more.quality),
            (&mut self.market, &more.market),
        ] {
            if total.len() < more.len() {
                total.resize(more.len(), 0);
            }
            for (t, m) in total.iter_mut().zip(more) {
                *t += m;
            }
        }
    }
}

/// Kaplan-Meier survival from `ended[t - 1]` spells that ended at length t and
/// `censored[t - 1]` that were cut off at length t: `S(t) = prod_{u <= t} (1 - d_u / n_u)`,
/// `n_u` the spells of length at least u (a spell cut off at u was still at risk at u).
pub fn kaplan_meier(ended: &[u64], censored: &[u64]) -> SpellCurve {
    let len = ended.len().max(censored.len());
    let at = |v: &[u64], t: usize| v.get(t).copied().unwrap_or(0);
    let longest = (0..len)
        .rev()
        .find(|&t| at(ended, t) + at(censored, t) > 0)
        .map_or(0, |t| t + 1);
    let mut at_risk: u64 = (0..longest).map(|t| at(ended, t) + at(censored, t)).sum();
    let mut s = 1.0;
    let mut survival = Vec::with_capacity(longest);
    let mut median = None;
    for t in 0..longest {
        let d = at(ended, t);
        if at_risk > 0 {
            s *= 1.0 - d as f64 / at_risk as f64;
        }
        at_risk -= d + at(censored, t);
        survival.push(s);
        if median.is_none() && s <= 0.5 {
            median = Some(t as u32 + 1);
        }
    }
    SpellCurve {
        months: (1..=longest as u32).collect(),
        survival,
        median,
    }
}

/// The Kaplan-Meier median of one run's spells, in order (the last one censored).
pub fn spell_median_of_run(spells: &[u32]) -> Option<u32> {
    let (&last, done) = spells.split_last()?;
    let longest = spells.iter().copied().max().unwrap_or(0) as usize;
    let mut ended = vec![0u64; longest];
    let mut censored = vec![0u64; longest];
    for &s in done {
        ended[s as usize - 1] += 1;
    }
    censored[last as usize - 1] += 1;
    kaplan_meier(&ended, &censored).median
}

/// Spell survival of both leaders from the pooled spell counts (every spell, by length)
/// and the tallied runs' last spells, the censored ones.
pub fn spell_survival(tally: &Tally, spells: &SpellCounts) -> SpellSurvival {
    let curve = |all: &[u64], market: bool| {
        let mut censored = tally.censored(market).to_vec();
        censored.resize(all.len(), 0);
        let ended: Vec<u64> = all
            .iter()
            .zip(&censored)
            .map(|(a, c)| a.saturating_sub(*c))
            .collect();
        kaplan_meier(&ended, &censored)
    };
    SpellSurvival {
        quality: curve(&spells.quality, false),
        market: curve(&spells.market, true),
    }
}

/// Lead survival of both leaders across the tallied runs, with bootstrap intervals from
/// `resamples` (of these runs), for the horizons h that some month with a leader is
/// followed to (a first leader late in every run leaves the longest without any); `None`
/// when a curve has none.
pub fn survival(tally: &Tally, resamples: &Resamples) -> Option<Survival> {
    let horizon = tally.survival_horizon();
    let curve = |market: bool| {
        let est: Vec<Estimate> = resamples.means(&tally.survival(market));
        let kept: Vec<(u32, &Estimate)> = (1..=horizon as u32)
            .zip(&est)
            .filter(|(_, e)| e.mean.is_finite())
            .collect();
        (!kept.is_empty()).then(|| SurvivalCurve {
            h: kept.iter().map(|(h, _)| *h).collect(),
            mean: kept.iter().map(|(_, e)| e.mean).collect(),
            ci_low: kept.iter().map(|(_, e)| e.ci_low).collect(),
            ci_high: kept.iter().map(|(_, e)| e.ci_high).collect(),
        })
    };
    let chance = 1.0 / tally.labs().max(1) as f64;
    Some(Survival {
        horizon: horizon as u32,
        chance_quality: chance,
        chance_market: chance,
        quality: curve(false)?,
        market: curve(true)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_meier_counts_a_censored_spell_as_at_risk_until_it_is_cut() {
        // Spells 1 (ended), 2 (ended), 3 (censored), 4 (ended): S(1) = 3/4, S(2) = 3/4 *
        // 2/3 = 1/2, S(3) = 1/2 (the censored spell ends nothing), S(4) = 0.
        let km = kaplan_meier(&[1, 1, 0, 1], &[0, 0, 1, 0]);
        assert_eq!(km.months, vec![1, 2, 3, 4]);
        assert_eq!(km.survival, vec![0.75, 0.5, 0.5, 0.0]);
        assert_eq!(km.median, Some(2));
        // Without censoring it is the empirical survival function.
        let km = kaplan_meier(&[2, 0, 2], &[0, 0, 0]);
        assert_eq!(km.survival, vec![0.5, 0.5, 0.0]);
    }

    #[test]
    fn a_lead_held_to_the_end_has_no_median() {
        assert_eq!(spell_median_of_run(&[120]), None);
        // Two spells of 10 months that ended and a last one cut off after 100: half of
        // the spells ended by month 10? At 10, 3 at risk and 2 end: 1/3 survive.
        assert_eq!(spell_median_of_run(&[10, 10, 100]), Some(10));
        assert_eq!(spell_median_of_run(&[]), None);
        let km = kaplan_meier(&[], &[]);
        assert!(km.months.is_empty() && km.median.is_none());
    }
}
