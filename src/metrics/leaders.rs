//! Leaders month by month, and the leadership measures of one leader sequence: lead
//! changes, spells, months led, lead survival and persistence (raw and against chance),
//! whether the early leader keeps the lead.

use serde::{Deserialize, Serialize};

/// The leader at every month of `values` (`[month][lab]`, month-major): month 0's best,
/// then a challenger takes over only when it beats the incumbent by more than zero and by
/// at least `margin`. Ties keep the incumbent; at month 0 the first lab wins a tie.
pub fn leaders(values: &[f64], labs: usize, margin: f64) -> Vec<usize> {
    let mut out = Vec::with_capacity(values.len() / labs.max(1));
    leaders_into(values, labs, margin, &mut out);
    out
}

/// [`leaders`] into `out` (emptied first), reusing its buffer.
pub fn leaders_into(values: &[f64], labs: usize, margin: f64, out: &mut Vec<usize>) {
    out.clear();
    let mut current = usize::MAX;
    for row in values.chunks_exact(labs.max(1)) {
        let best = argmax(row);
        if current == usize::MAX || (row[best] > row[current] && row[best] - row[current] >= margin)
        {
            current = best;
        }
        out.push(current);
    }
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
    /// Share of months m whose leader still leads at m + h, h the persistence horizon.
    pub persistence: f64,
    /// Lead survival counts: element `h - 1` is the number of months m (of the
    /// `months - h` that have a month m + h) whose leader still leads at m + h, for every
    /// h from 1 to the persistence horizon (fewer when the run is shorter). Small
    /// integers, so a run keeps its whole survival curve in a few bytes.
    pub survival: Vec<u16>,
    /// Chance-normalised persistence: `(S(h) - 1/n) / (1 - 1/n)` averaged over the h of
    /// [`Leadership::survival`], for `n` labs: 0 when the leader is as likely to lead h
    /// months on as a lab drawn at random, 1 when it always does; `None` with one lab (no
    /// chance to compare with) or a single month.
    pub persistence_norm: Option<f64>,
    /// Length of the last spell, the one the horizon censors, months.
    pub last_spell: u32,
    /// Median spell length by Kaplan-Meier over this run's spells (the last one censored):
    /// the first length at which at most half of the spells are estimated to survive;
    /// `None` when more than half outlast what the run shows.
    pub spell_median: Option<u32>,
    /// Whether the month-12 leader leads at the end.
    pub early_keeps: bool,
    /// The final leader.
    pub final_leader: usize,
}

impl Leadership {
    /// Measures a leader sequence over `labs` labs with persistence horizon `horizon`.
    ///
    /// With fewer months than the horizon, persistence and lead survival use the longest
    /// horizon that fits (persistence is trivially 1 with a single month).
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
        // Compared as bytes where the labs fit in one (a leader is below `labs`), 16 months
        // at a time.
        let narrow: Option<Vec<u8>> =
            (labs <= 256).then(|| leaders.iter().map(|&l| l as u8).collect());
        let survival: Vec<u16> = (1..=h)
            .map(|h| {
                let same = match &narrow {
                    Some(l) => same_bytes(&l[..months - h], &l[h..]),
                    None => leaders[..months - h]
                        .iter()
                        .zip(&leaders[h..])
                        .filter(|(then, later)| then == later)
                        .count(),
                };
                // At most months - 1, and months is at most the scenario limit (1,200).
                u16::try_from(same).unwrap_or(u16::MAX)
            })
            .collect();
        let persistence = match survival.last() {
            None => 1.0,
            Some(&same) => f64::from(same) / (months - h) as f64,
        };
        let persistence_norm = normalised(&survival, months, labs);
        let last_spell = spells.last().copied().unwrap_or(0);
        let spell_median = crate::metrics::durability::spell_median_of_run(&spells);
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
            survival,
            persistence_norm,
            last_spell,
            spell_median,
            early_keeps: early == final_leader,
            final_leader,
        }
    }
}

/// The number of positions where `a` and `b` hold the same byte. Counted in bytes over
/// chunks short enough not to wrap, which the compiler compares 16 at a time.
fn same_bytes(a: &[u8], b: &[u8]) -> usize {
    a.chunks(255)
        .zip(b.chunks(255))
        .map(|(a, b)| {
            let same = a.iter().zip(b).fold(0u8, |n, (x, y)| n + u8::from(x == y));
            usize::from(same)
        })
        .sum()
}

/// Chance-normalised persistence of survival counts over a run of `months` months and
/// `labs` labs (see [`Leadership::persistence_norm`]).
pub fn normalised(survival: &[u16], months: usize, labs: usize) -> Option<f64> {
    if labs < 2 || survival.is_empty() {
        return None;
    }
    let chance = 1.0 / labs as f64;
    let sum: f64 = survival
        .iter()
        .enumerate()
        .map(|(k, &same)| {
            let s = f64::from(same) / (months - k - 1) as f64;
            (s - chance) / (1.0 - chance)
        })
        .sum();
    Some(sum / survival.len() as f64)
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

    #[test]
    fn survival_is_counted_for_every_h_up_to_the_horizon() {
        let m = Leadership::measure(&[0, 0, 1, 1, 1, 0], 2, 2);
        // h = 1: (0,0) (0,1) (1,1) (1,1) (1,0): 3 of 5; h = 2: 1 of 4.
        assert_eq!(m.survival, vec![3, 1]);
        // (3/5 - 1/2) / (1/2) = 0.2 and (1/4 - 1/2) / (1/2) = -0.5: mean -0.15.
        assert!((m.persistence_norm.unwrap() + 0.15).abs() < 1e-12);
        assert_eq!((m.last_spell, m.spell_median), (1, Some(2)));
        assert_eq!(
            Leadership::measure(&[0, 0, 0], 1, 24).persistence_norm,
            None
        );
        assert_eq!(Leadership::measure(&[1], 2, 24).persistence_norm, None);
    }

    #[test]
    fn clockwork_rotation_is_no_more_persistent_than_chance() {
        // Three labs leading in turn for two months each (releases every 6 months,
        // staggered by 2): the leader at m leads again at m + 6, m + 12, m + 24, so
        // persistence at exactly 24 months is 1, but against chance over 1-24 months it
        // is 0.
        let leaders: Vec<usize> = (0..120).map(|m| (m / 2) % 3).collect();
        let m = Leadership::measure(&leaders, 3, 24);
        assert_eq!(m.persistence, 1.0);
        assert!(
            m.persistence_norm.unwrap().abs() < 0.02,
            "{:?}",
            m.persistence_norm
        );
        assert_eq!(m.spell_median, Some(2));
        // A permanent leader is 1; a leader drawn at random each month is about 0.
        let m = Leadership::measure(&[2; 120], 3, 24);
        assert_eq!(m.persistence_norm, Some(1.0));
        assert_eq!(m.spell_median, None);
        let mut x: u64 = 12345;
        let random: Vec<usize> = (0..1200)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) % 3) as usize
            })
            .collect();
        let m = Leadership::measure(&random, 3, 24);
        assert!(
            m.persistence_norm.unwrap().abs() < 0.03,
            "{:?}",
            m.persistence_norm
        );
    }
}
