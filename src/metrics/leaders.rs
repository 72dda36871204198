//! Leaders month by month, and the leadership measures of one leader sequence: lead
//! changes, spells, months led, lead survival and persistence (raw and against chance),
//! whether the early leader keeps the lead.

use serde::{Deserialize, Serialize};

/// The leader at every month of `values` (`[month][lab]`, month-major), `None` while no
/// lab has led yet. A lab takes the lead when it is ahead, by more than zero and by at
/// least `margin`, of every other lab while nobody leads, or of the incumbent after. Ties
/// keep the incumbent; labs that start tied have no leader until one pulls ahead (no lab
/// is favoured by its place in the file).
pub fn leaders(values: &[f64], labs: usize, margin: f64) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(values.len() / labs.max(1));
    leaders_into(values, labs, margin, &mut out);
    out
}

/// [`leaders`] into `out` (emptied first), reusing its buffer.
pub fn leaders_into(values: &[f64], labs: usize, margin: f64, out: &mut Vec<Option<usize>>) {
    out.clear();
    let mut current = None;
    for row in values.chunks_exact(labs.max(1)) {
        let best = argmax(row);
        let rival = match current {
            Some(c) => row[c],
            None => runner_up(row, best),
        };
        if current != Some(best) && row[best] > rival && row[best] - rival >= margin {
            current = Some(best);
        }
        out.push(current);
    }
}

pub(crate) fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in row.iter().enumerate() {
        if *v > row[best] {
            best = i;
        }
    }
    best
}

/// The best value of `row` but lab `best`'s (minus infinity with one lab).
pub(crate) fn runner_up(row: &[f64], best: usize) -> f64 {
    row.iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, v)| *v)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Leadership measures of one leader sequence.
///
/// The months before any lab leads (labs that start tied) belong to no spell and no lab,
/// their end is not a lead change, and lead survival starts from the first month with a
/// leader. A run in which no lab ever leads counts as one whose lead never changes hands
/// (survival 1 at every horizon), but it has no month-12 leader to keep the lead.
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
    /// Mean spell length, months (`None` when no lab ever leads).
    pub mean_spell: Option<f64>,
    /// Months led, per lab.
    pub months_led: Vec<u32>,
    /// Share of months m with a leader whose leader still leads at m + h, h the
    /// persistence horizon.
    pub persistence: f64,
    /// Lead survival counts: element `h - 1` is the number of months m (of the
    /// [`Leadership::pairs`] at h) whose leader still leads at m + h, for every h from 1 to
    /// the persistence horizon (fewer when the run is shorter). Small integers, so a run
    /// keeps its whole survival curve in a few bytes.
    pub survival: Vec<u16>,
    /// The months survival follows: from the first leader to the end (all months when no
    /// lab ever leads).
    pub followed: u16,
    /// Chance-normalised persistence: `(S(h) - 1/n) / (1 - 1/n)` averaged over the h of
    /// [`Leadership::survival`], for `n` labs: 0 when the leader is as likely to lead h
    /// months on as a lab drawn at random, 1 when it always does; `None` with one lab (no
    /// chance to compare with) or a single month.
    pub persistence_norm: Option<f64>,
    /// Length of the last spell, the one the horizon censors, months (0 when no lab ever
    /// leads).
    pub last_spell: u32,
    /// Median spell length by Kaplan-Meier over this run's spells (the last one censored):
    /// the first length at which at most half of the spells are estimated to survive;
    /// `None` when more than half outlast what the run shows.
    pub spell_median: Option<u32>,
    /// Whether the month-12 leader leads at the end (false with no leader at month 12).
    pub early_keeps: bool,
    /// The final leader (`None` when no lab ever leads).
    pub final_leader: Option<usize>,
}

impl Leadership {
    /// The months m that survival at horizon `h` follows: those with a leader and a month
    /// m + h.
    pub fn pairs(&self, h: u16) -> u16 {
        self.followed.saturating_sub(h)
    }

    /// Measures a leader sequence over `labs` labs with persistence horizon `horizon`.
    ///
    /// With fewer months than the horizon, persistence and lead survival use the longest
    /// horizon that fits (persistence is trivially 1 with a single month).
    pub fn measure(leaders: &[Option<usize>], labs: usize, horizon: usize) -> Leadership {
        let months = leaders.len();
        let mut spells = Vec::new();
        let mut months_led = vec![0u32; labs];
        let mut run = 0u32;
        for (m, &l) in leaders.iter().enumerate() {
            let Some(l) = l else { continue };
            months_led[l] += 1;
            if m > 0 && Some(l) != leaders[m - 1] && run > 0 {
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
        // Survival starts at the first leader; with none, every month is kept (nothing
        // changes hands).
        let first = leaders.iter().position(Option::is_some).unwrap_or(0);
        let led = &leaders[first..];
        // Compared as bytes where the labs fit in one, 16 months at a time.
        let narrow: Option<Vec<u8>> =
            (labs <= 256).then(|| led.iter().map(|l| l.map_or(0, |l| l as u8)).collect());
        // At most the months, and those at most the scenario limit (1,200).
        let small = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        let followed = small(led.len());
        let survival: Vec<u16> = (1..=h)
            .map(|h| {
                let n = led.len().saturating_sub(h);
                if n == 0 {
                    return 0;
                }
                small(match &narrow {
                    Some(l) => same_bytes(&l[..n], &l[h..]),
                    None => led[..n]
                        .iter()
                        .zip(&led[h..])
                        .filter(|(then, later)| then == later)
                        .count(),
                })
            })
            .collect();
        let pairs = followed.saturating_sub(small(h));
        let persistence = match survival.last() {
            Some(&same) if pairs > 0 => f64::from(same) / f64::from(pairs),
            _ => 1.0,
        };
        let persistence_norm = normalised(&survival, followed, labs);
        let last_spell = spells.last().copied().unwrap_or(0);
        let spell_median = crate::metrics::durability::spell_median_of_run(&spells);
        let early = leaders[11.min(months - 1)];
        let final_leader = leaders[months - 1];
        let spell_count = spells.len() as u32;
        let led: u32 = months_led.iter().sum();
        let mean_spell = (spell_count > 0).then(|| f64::from(led) / f64::from(spell_count));
        Leadership {
            followed,
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
            early_keeps: early.is_some() && early == final_leader,
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

/// Chance-normalised persistence of survival counts `survival` over `followed` months
/// (see [`Leadership::persistence_norm`]), over the horizons with at least one month to
/// follow, for `labs` labs.
pub fn normalised(survival: &[u16], followed: u16, labs: usize) -> Option<f64> {
    if labs < 2 {
        return None;
    }
    let chance = 1.0 / labs as f64;
    let (sum, kept) = (1..)
        .zip(survival)
        .map(|(h, &same)| (same, followed.saturating_sub(h)))
        .filter(|&(_, n)| n > 0)
        .fold((0.0, 0u32), |(sum, kept), (same, n)| {
            let s = f64::from(same) / f64::from(n);
            (sum + (s - chance) / (1.0 - chance), kept + 1)
        });
    (kept > 0).then(|| sum / f64::from(kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labs `0`, `1`, ... as leaders.
    fn led(l: &[usize]) -> Vec<Option<usize>> {
        l.iter().map(|&l| Some(l)).collect()
    }

    #[test]
    fn leaders_keep_ties_and_respect_margin() {
        // month-major, two labs
        let q = [11.0, 10.0, 10.0, 12.0, 13.0, 12.0, 14.0, 20.0];
        assert_eq!(leaders(&q, 2, 0.0), led(&[0, 1, 0, 1]));
        assert_eq!(leaders(&q, 2, 5.0), vec![None, None, None, Some(1)]);
        // A tie at the start: nobody leads until a lab pulls ahead, whatever its place.
        let q = [10.0, 10.0, 10.0, 10.0, 10.0, 12.0, 13.0, 12.0];
        assert_eq!(leaders(&q, 2, 0.0), vec![None, None, Some(1), Some(0)]);
        // One lab leads alone.
        assert_eq!(leaders(&[3.0, 1.0], 1, 10.0), led(&[0, 0]));
    }

    #[test]
    fn default_margins_ignore_rounding_and_leaderboard_noise() {
        // Two labs a hair apart (6e-8 Elo, rounding between equal models), then 8 Elo apart
        // (within leaderboard noise), then 12 apart: only the last makes a leader under
        // the default margins; with margin 0 every wobble did.
        let defaults = crate::scenario::file::Leadership::default();
        assert_eq!((defaults.lead_margin, defaults.share_margin), (10.0, 0.01));
        let q = [
            1300.0,
            1300.0, // month 0: a tie, nobody leads
            1300.0,
            1300.0 + 6e-8,
            1300.0,
            1308.0,
            1300.0,
            1312.0,
        ];
        assert_eq!(
            leaders(&q, 2, defaults.lead_margin),
            vec![None, None, None, Some(1)]
        );
        assert_eq!(leaders(&q, 2, 0.0), vec![None, Some(1), Some(1), Some(1)]);
        let shares = [0.5, 0.5, 0.5, 0.5 + 1e-12, 0.497, 0.503, 0.49, 0.51];
        assert_eq!(
            leaders(&shares, 2, defaults.share_margin),
            vec![None, None, None, Some(1)]
        );
    }

    #[test]
    fn spells_changes_and_persistence() {
        let l = led(&[0, 0, 1, 1, 1, 0]);
        let m = Leadership::measure(&l, 2, 2);
        assert_eq!(m.spells, vec![2, 3, 1]);
        assert_eq!(m.changes, 2);
        assert_eq!(m.months_led, vec![3, 3]);
        assert_eq!(m.mean_spell, Some(2.0));
        // pairs (0,2) (1,3) (2,4) (3,5): same at 2->4 only
        assert_eq!(m.persistence, 0.25);
        // Month 12 is past the horizon, so the last month stands in: trivially kept.
        assert!(m.early_keeps);
        let m = Leadership::measure(&led(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]), 2, 24);
        assert!(!m.early_keeps);
        assert_eq!(m.persistence, 1.0); // horizon shrinks to 13: one pair, 0 -> 0
    }

    #[test]
    fn months_before_the_first_leader_belong_to_nobody() {
        let l = [None, None, Some(1), Some(1), Some(0), Some(0)];
        let m = Leadership::measure(&l, 2, 2);
        // Taking the lead from nobody is not a lead change, and the tie is no spell.
        assert_eq!((m.changes, m.spells.clone()), (1, vec![2, 2]));
        assert_eq!(m.months_led, vec![2, 2]);
        assert_eq!(m.mean_spell, Some(2.0));
        assert_eq!(m.final_leader, Some(0));
        // Survival from month 2, the first with a leader: h = 1: (1,1) (1,0) (0,0), 2 of 3;
        // h = 2: (1,0) (1,0), 0 of 2.
        assert_eq!(
            (m.survival.clone(), vec![m.pairs(1), m.pairs(2)]),
            (vec![2, 0], vec![3, 2])
        );
        assert_eq!(m.persistence, 0.0);
        // (2/3 - 1/2) / (1/2) = 1/3 and (0 - 1/2) / (1/2) = -1: mean -1/3.
        assert!((m.persistence_norm.unwrap() + 1.0 / 3.0).abs() < 1e-12);
        // A first leader in the last month leaves no pair to follow: no persistence.
        let m = Leadership::measure(&[None, None, Some(1)], 2, 2);
        assert_eq!(
            (vec![m.pairs(1), m.pairs(2)], m.persistence_norm),
            (vec![0, 0], None)
        );
        // No lab ever leads: nothing changes hands, as with one lab always ahead, but no
        // month-12 leader keeps the lead.
        let m = Leadership::measure(&[None; 30], 3, 24);
        assert_eq!((m.changes, m.spell_count, m.last_spell), (0, 0, 0));
        assert_eq!(
            (m.mean_spell, m.final_leader, m.spell_median),
            (None, None, None)
        );
        assert_eq!(m.months_led, vec![0, 0, 0]);
        assert_eq!((m.persistence, m.persistence_norm), (1.0, Some(1.0)));
        assert!(!m.early_keeps);
        // No leader at month 12 but one at the end: no early leader kept the lead.
        let mut l = vec![None; 13];
        l.extend([Some(2); 5]);
        assert!(!Leadership::measure(&l, 3, 24).early_keeps);
        // Bytes and full width agree with "no leader" in the sequence (300 labs).
        let l = [None, None, Some(299), Some(299), Some(7), Some(299)];
        let wide = Leadership::measure(&l, 300, 3);
        let narrow: Vec<Option<usize>> = l.iter().map(|x| x.map(|i| i % 250)).collect();
        let narrow = Leadership::measure(&narrow, 250, 3);
        assert_eq!(
            (wide.survival, wide.followed),
            (narrow.survival, narrow.followed)
        );
    }

    #[test]
    fn survival_is_counted_for_every_h_up_to_the_horizon() {
        let m = Leadership::measure(&led(&[0, 0, 1, 1, 1, 0]), 2, 2);
        // h = 1: (0,0) (0,1) (1,1) (1,1) (1,0): 3 of 5; h = 2: 1 of 4.
        assert_eq!(m.survival, vec![3, 1]);
        // (3/5 - 1/2) / (1/2) = 0.2 and (1/4 - 1/2) / (1/2) = -0.5: mean -0.15.
        assert!((m.persistence_norm.unwrap() + 0.15).abs() < 1e-12);
        assert_eq!((m.last_spell, m.spell_median), (1, Some(2)));
        assert_eq!(
            Leadership::measure(&led(&[0, 0, 0]), 1, 24).persistence_norm,
            None
        );
        assert_eq!(
            Leadership::measure(&led(&[1]), 2, 24).persistence_norm,
            None
        );
    }

    #[test]
    fn clockwork_rotation_is_no_more_persistent_than_chance() {
        // Three labs leading in turn for two months each (releases every 6 months,
        // staggered by 2): the leader at m leads again at m + 6, m + 12, m + 24, so
        // persistence at exactly 24 months is 1, but against chance over 1-24 months it
        // is 0.
        let leaders: Vec<Option<usize>> = (0..120).map(|m| Some((m / 2) % 3)).collect();
        let m = Leadership::measure(&leaders, 3, 24);
        assert_eq!(m.persistence, 1.0);
        assert!(
            m.persistence_norm.unwrap().abs() < 0.02,
            "{:?}",
            m.persistence_norm
        );
        assert_eq!(m.spell_median, Some(2));
        // A permanent leader is 1; a leader drawn at random each month is about 0.
        let m = Leadership::measure(&[Some(2); 120], 3, 24);
        assert_eq!(m.persistence_norm, Some(1.0));
        assert_eq!(m.spell_median, None);
        let mut x: u64 = 12345;
        let random: Vec<Option<usize>> = (0..1200)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Some(((x >> 33) % 3) as usize)
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
