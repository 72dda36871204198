//! Leaders month by month, and the leadership measures of one leader sequence: lead
//! changes, spells, months led, persistence, whether the early leader keeps the lead.

use serde::{Deserialize, Serialize};

/// The leader at every month of `values` (`[month][lab]`, month-major): month 0's best,
/// then a challenger takes over only when it beats the incumbent by more than zero and by
/// at least `margin`. Ties keep the incumbent; at month 0 the first lab wins a tie.
pub fn leaders(values: &[f64], labs: usize, margin: f64) -> Vec<usize> {
    let months = values.len() / labs.max(1);
    let mut out = Vec::with_capacity(months);
    let mut current = usize::MAX;
    for m in 0..months {
        let row = &values[m * labs..(m + 1) * labs];
        let best = argmax(row);
        if current == usize::MAX || (row[best] > row[current] && row[best] - row[current] >= margin)
        {
            current = best;
        }
        out.push(current);
    }
    out
}

fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in row.iter().enumerate() {
        if *v > row[best] {
            best = i;
        }
    }
    best
}

/// Leadership measures of one leader sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leadership {
    /// Number of lead changes.
    pub changes: u32,
    /// Lead changes per year.
    pub changes_per_year: f64,
    /// Spell lengths in months, in order (the last one censored at the horizon); the
    /// Monte Carlo moves them into its pooled histogram.
    #[serde(skip, default)]
    pub spells: Vec<u32>,
    /// Number of spells.
    pub spell_count: u32,
    /// Mean spell length, months.
    pub mean_spell: f64,
    /// Months led, per lab.
    pub months_led: Vec<u32>,
    /// Share of months m whose leader still leads at m + h.
    pub persistence: f64,
    /// Whether the month-12 leader leads at the end.
    pub early_keeps: bool,
    /// The final leader.
    pub final_leader: usize,
}

impl Leadership {
    /// Measures a leader sequence over `labs` labs with persistence horizon `horizon`.
    ///
    /// With fewer months than the horizon, persistence uses the longest horizon that fits
    /// (1 with a single month, where it is trivially 1).
    pub fn measure(leaders: &[usize], labs: usize, horizon: usize) -> Leadership {
        let months = leaders.len();
        let mut spells = Vec::new();
        let mut months_led = vec![0u32; labs];
        let mut run = 0u32;
        for (m, &l) in leaders.iter().enumerate() {
            months_led[l] += 1;
            if m > 0 && l != leaders[m - 1] {
                spells.push(run);
                run = 0;
            }
            run += 1;
        }
        if run > 0 {
            spells.push(run);
        }
        let changes = spells.len().saturating_sub(1) as u32;
        let h = horizon.min(months.saturating_sub(1));
        let persistence = if h == 0 {
            1.0
        } else {
            let same = (0..months - h)
                .filter(|&m| leaders[m] == leaders[m + h])
                .count();
            same as f64 / (months - h) as f64
        };
        let early = leaders[11.min(months - 1)];
        let final_leader = leaders[months - 1];
        let spell_count = spells.len() as u32;
        let mean_spell = months as f64 / f64::from(spell_count);
        Leadership {
            spell_count,
            mean_spell,
            changes,
            changes_per_year: f64::from(changes) * 12.0 / months as f64,
            spells,
            months_led,
            persistence,
            early_keeps: early == final_leader,
            final_leader,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders_keep_ties_and_respect_margin() {
        // month-major, two labs
        let q = [10.0, 10.0, 10.0, 12.0, 13.0, 12.0, 14.0, 20.0];
        assert_eq!(leaders(&q, 2, 0.0), vec![0, 1, 0, 1]);
        assert_eq!(leaders(&q, 2, 5.0), vec![0, 0, 0, 1]);
    }

    #[test]
    fn default_margins_ignore_rounding_and_leaderboard_noise() {
        // Two labs a hair apart (6e-8 Elo, rounding between equal models), then 8 Elo apart
        // (within leaderboard noise), then 12 apart: only the last is a lead change under
        // the default margins; with margin 0 every wobble was one.
        let defaults = crate::scenario::file::Leadership::default();
        assert_eq!((defaults.lead_margin, defaults.share_margin), (10.0, 0.01));
        let q = [
            1300.0,
            1300.0, // month 0: a tie, the first lab leads
            1300.0,
            1300.0 + 6e-8,
            1300.0,
            1308.0,
            1300.0,
            1312.0,
        ];
        assert_eq!(leaders(&q, 2, defaults.lead_margin), vec![0, 0, 0, 1]);
        assert_eq!(leaders(&q, 2, 0.0), vec![0, 1, 1, 1]);
        let shares = [0.5, 0.5, 0.5, 0.5 + 1e-12, 0.497, 0.503, 0.49, 0.51];
        assert_eq!(leaders(&shares, 2, defaults.share_margin), vec![0, 0, 0, 1]);
    }

    #[test]
    fn spells_changes_and_persistence() {
        let l = [0, 0, 1, 1, 1, 0];
        let m = Leadership::measure(&l, 2, 2);
        assert_eq!(m.spells, vec![2, 3, 1]);
        assert_eq!(m.changes, 2);
        assert_eq!(m.months_led, vec![3, 3]);
        // pairs (0,2) (1,3) (2,4) (3,5): same at 2->4 only
        assert_eq!(m.persistence, 0.25);
        // Month 12 is past the horizon, so the last month stands in: trivially kept.
        assert!(m.early_keeps);
        let m = Leadership::measure(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0], 2, 24);
        assert!(!m.early_keeps);
        assert_eq!(m.persistence, 1.0); // horizon shrinks to 13: one pair, 0 -> 0
    }
}
