//! What a run measures: leaders (quality and market), lead changes, spells, persistence,
//! the leader's gap, the headwind (leader's versus followers' training), concentration;
//! and across runs, the regime verdict with its printed rule.

use serde::{Deserialize, Serialize};

use crate::engine::{Recorder, State};
use crate::scenario::Scenario;
use crate::stats;

/// The per-month numbers of one run that the measures and the bands need, `[month][lab]`
/// flattened month-major.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunTrace {
    /// Number of labs.
    pub labs: usize,
    /// Deployed quality, Elo.
    pub quality: Vec<f64>,
    /// Customer share.
    pub customers: Vec<f64>,
    /// Fleet, H100e.
    pub fleet: Vec<f64>,
    /// Training fraction.
    pub train_fraction: Vec<f64>,
    /// Revenue, USD per month.
    pub revenue: Vec<f64>,
    /// Cash, USD.
    pub cash: Vec<f64>,
    /// Releases shipped by the end, per lab.
    pub releases: Vec<u32>,
    /// Total demand per month, H100e-months.
    pub demand: Vec<f64>,
    /// Open-weight share per month.
    pub open_share: Vec<f64>,
}

impl RunTrace {
    /// An empty trace for `labs` labs and `months` months.
    pub fn new(labs: usize, months: usize) -> RunTrace {
        let cap = labs * months;
        RunTrace {
            labs,
            quality: Vec::with_capacity(cap),
            customers: Vec::with_capacity(cap),
            fleet: Vec::with_capacity(cap),
            train_fraction: Vec::with_capacity(cap),
            revenue: Vec::with_capacity(cap),
            cash: Vec::with_capacity(cap),
            releases: vec![0; labs],
            demand: Vec::with_capacity(months),
            open_share: Vec::with_capacity(months),
        }
    }

    /// Number of months recorded.
    pub fn months(&self) -> usize {
        self.demand.len()
    }

    /// The `[lab]` slice of `series` at `month`.
    pub fn at<'a>(&self, series: &'a [f64], month: usize) -> &'a [f64] {
        &series[month * self.labs..(month + 1) * self.labs]
    }
}

impl Recorder for RunTrace {
    fn record(&mut self, state: &State) {
        for lab in &state.labs {
            self.quality.push(lab.quality);
            self.customers.push(lab.customers);
            self.fleet.push(lab.fleet);
            self.train_fraction.push(lab.train_fraction);
            self.revenue.push(lab.revenue);
            self.cash.push(lab.cash);
        }
        for (r, lab) in self.releases.iter_mut().zip(&state.labs) {
            *r = lab.releases;
        }
        self.demand.push(state.world.total_demand);
        self.open_share.push(state.world.open_share);
    }
}

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

/// Everything measured on one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeasures {
    /// Run index.
    pub run: u64,
    /// The quality leader's measures.
    pub quality: Leadership,
    /// The market leader's measures.
    pub market: Leadership,
    /// Mean leader gap over months 12-23, Elo.
    pub gap_early: f64,
    /// Mean leader gap over the last 12 months, Elo.
    pub gap_late: f64,
    /// Mean training fraction of the quality leader over the run.
    pub leader_train: f64,
    /// Mean training fraction of the other labs over the run (NaN with one lab).
    pub followers_train: f64,
    /// Herfindahl index of lab customer shares renormalised to sum 1, final.
    pub hhi_final: f64,
    /// The same, averaged over months.
    pub hhi_mean: f64,
    /// Open-weight share at the end.
    pub open_share_final: f64,
    /// Final customer share per lab.
    pub final_share: Vec<f64>,
    /// Final fleet per lab, H100e.
    pub final_fleet: Vec<f64>,
    /// Final quality per lab, Elo.
    pub final_quality: Vec<f64>,
    /// Cumulative revenue per lab, USD.
    pub revenue_total: Vec<f64>,
    /// Releases shipped per lab.
    pub releases: Vec<u32>,
    /// The run's drawn values of the scenario's uncertain inputs, in
    /// [`Scenario::uncertain`] order (empty when there are none).
    #[serde(default)]
    pub inputs: Vec<f64>,
}

/// The monthly leadership series of one run, used for the bands and then dropped, so that
/// what is kept per run does not grow with the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct RunMonthly {
    /// Quality leader at each month.
    pub quality_leaders: Vec<usize>,
    /// Market leader at each month.
    pub market_leaders: Vec<usize>,
    /// Leader's lead over the runner-up per month, Elo (negative while an incumbent
    /// holds on within the margin).
    pub leader_gap: Vec<f64>,
    /// Best deployed quality per month, Elo.
    pub frontier: Vec<f64>,
    /// Leader's training fraction per month.
    pub leader_train: Vec<f64>,
    /// Mean training fraction of the other labs per month (NaN with one lab).
    pub followers_train: Vec<f64>,
}

impl RunMeasures {
    /// Measures a run's trace.
    pub fn measure(run: u64, trace: &RunTrace, scenario: &Scenario) -> (RunMeasures, RunMonthly) {
        let n = trace.labs;
        let months = trace.months();
        let lead = &scenario.world.leadership;
        let horizon = lead.persistence_months as usize;
        let quality_leaders = leaders(&trace.quality, n, lead.lead_margin);
        let market_leaders = leaders(&trace.customers, n, lead.share_margin);
        let mut leader_gap = Vec::with_capacity(months);
        let mut frontier = Vec::with_capacity(months);
        let mut leader_train = Vec::with_capacity(months);
        let mut followers_train = Vec::with_capacity(months);
        let mut hhi_sum = 0.0;
        let mut hhi = 0.0;
        for (m, &l) in quality_leaders.iter().enumerate() {
            let q = trace.at(&trace.quality, m);
            let runner_up = q
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != l)
                .map(|(_, v)| *v)
                .fold(f64::NEG_INFINITY, f64::max);
            leader_gap.push(if runner_up.is_finite() {
                q[l] - runner_up
            } else {
                0.0
            });
            frontier.push(q.iter().copied().fold(f64::NEG_INFINITY, f64::max));
            let f = trace.at(&trace.train_fraction, m);
            leader_train.push(f[l]);
            followers_train.push(if n > 1 {
                (f.iter().sum::<f64>() - f[l]) / (n - 1) as f64
            } else {
                f64::NAN
            });
            let c = trace.at(&trace.customers, m);
            let total: f64 = c.iter().sum();
            hhi = if total > 0.0 {
                c.iter().map(|x| (x / total).powi(2)).sum()
            } else {
                0.0
            };
            hhi_sum += hhi;
        }
        let window_mean =
            |from: usize, to: usize| stats::mean(&leader_gap[from.min(months)..to.min(months)]);
        let gap_early = window_mean(12, 24);
        let gap_late = window_mean(months.saturating_sub(12), months);
        let last = months - 1;
        let measures = RunMeasures {
            run,
            quality: Leadership::measure(&quality_leaders, n, horizon),
            market: Leadership::measure(&market_leaders, n, horizon),
            gap_early: if gap_early.is_finite() {
                gap_early
            } else {
                0.0
            },
            gap_late,
            leader_train: stats::mean(&leader_train),
            followers_train: stats::mean(&followers_train),
            hhi_final: hhi,
            hhi_mean: hhi_sum / months as f64,
            open_share_final: trace.open_share[last],
            final_share: trace.at(&trace.customers, last).to_vec(),
            final_fleet: trace.at(&trace.fleet, last).to_vec(),
            final_quality: trace.at(&trace.quality, last).to_vec(),
            revenue_total: (0..n)
                .map(|i| (0..months).map(|m| trace.revenue[m * n + i]).sum())
                .collect(),
            releases: trace.releases.clone(),
            inputs: Vec::new(),
        };
        (
            measures,
            RunMonthly {
                quality_leaders,
                market_leaders,
                leader_gap,
                frontier,
                leader_train,
                followers_train,
            },
        )
    }

    /// Followers' minus the leader's mean training fraction: the headwind.
    pub fn headwind(&self) -> f64 {
        self.followers_train - self.leader_train
    }
}

/// Which regime a world is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// The leader's gap grows and it keeps the lead.
    Race,
    /// Leadership rotates.
    Run,
    /// Neither holds.
    Mixed,
}

impl Regime {
    /// Upper-case label.
    pub fn label(self) -> &'static str {
        match self {
            Regime::Race => "RACE",
            Regime::Run => "RUN",
            Regime::Mixed => "MIXED",
        }
    }
}

/// Thresholds of the verdict, printed with it.
pub const RACE_PERSISTENCE: f64 = 0.75;
/// Share of runs whose month-12 leader must still lead at the end for a race.
pub const RACE_EARLY_KEEPS: f64 = 0.6;
/// Persistence at or below which leadership counts as rotating.
pub const RUN_PERSISTENCE: f64 = 0.5;
/// Median lead changes per year at or above which leadership counts as rotating.
pub const RUN_CHANGES_PER_YEAR: f64 = 0.5;

/// The regime verdict across runs, with the numbers it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The regime.
    pub regime: Regime,
    /// The rule, in words, with thresholds.
    pub rule: String,
    /// One plain sentence a reader can quote.
    pub sentence: String,
    /// Mean persistence of the quality leader.
    pub persistence: f64,
    /// Share of runs whose month-12 quality leader leads at the end.
    pub early_keeps: f64,
    /// Median of (late gap - early gap), Elo.
    pub gap_growth: f64,
    /// Median lead changes per year, and its p10 and p90.
    pub changes_per_year: [f64; 3],
    /// Median of (followers' - leader's) mean training fraction.
    pub headwind: f64,
}

impl Verdict {
    /// Judges a set of runs by the quality leader.
    pub fn judge(runs: &[RunMeasures], persistence_months: u32) -> Verdict {
        let persistence = stats::mean(
            &runs
                .iter()
                .map(|r| r.quality.persistence)
                .collect::<Vec<_>>(),
        );
        let early_keeps = stats::mean(
            &runs
                .iter()
                .map(|r| f64::from(u8::from(r.quality.early_keeps)))
                .collect::<Vec<_>>(),
        );
        let growth: Vec<f64> = runs.iter().map(|r| r.gap_late - r.gap_early).collect();
        let gap_growth = stats::quantile(&growth, 0.5);
        let cpy: Vec<f64> = runs.iter().map(|r| r.quality.changes_per_year).collect();
        let changes_per_year = [
            stats::quantile(&cpy, 0.5),
            stats::quantile(&cpy, 0.1),
            stats::quantile(&cpy, 0.9),
        ];
        let hw: Vec<f64> = runs.iter().map(RunMeasures::headwind).collect();
        let headwind = stats::quantile(&hw, 0.5);
        let regime = if persistence >= RACE_PERSISTENCE
            && early_keeps >= RACE_EARLY_KEEPS
            && gap_growth > 0.0
        {
            Regime::Race
        } else if persistence <= RUN_PERSISTENCE && changes_per_year[0] >= RUN_CHANGES_PER_YEAR {
            Regime::Run
        } else {
            Regime::Mixed
        };
        let h = persistence_months;
        let rule = format!(
            "RACE if persistence (P[quality leader at month m still leads at m+{h}], mean over runs) >= {RACE_PERSISTENCE} \
             and the month-12 leader still leads at the end in >= {:.0}% of runs and the median leader gap grows \
             (last 12 months vs months 12-23); RUN if persistence <= {RUN_PERSISTENCE} and the median run has \
             >= {RUN_CHANGES_PER_YEAR} quality-lead changes per year; MIXED otherwise",
            RACE_EARLY_KEEPS * 100.0
        );
        let headwind_words = if headwind.is_finite() {
            let pts = format!("{:.1}", (headwind * 100.0).abs());
            let unit = if pts == "1.0" {
                "percentage point"
            } else {
                "percentage points"
            };
            let side = if headwind >= 0.0 { "less" } else { "more" };
            format!(
                "the leader's training share was {pts} {unit} {side} than the followers' (median run)"
            )
        } else {
            "a single lab has no followers".to_string()
        };
        let sentence = format!(
            "{}: leadership changed {:.1} times per year (p10-p90 {:.1}-{:.1}); the month-12 leader still led at the end \
             in {:.0}% of runs; persistence over {h} months {:.2}; the leader's gap {} by {:.0} Elo (median); {headwind_words}.",
            regime.label(),
            changes_per_year[0],
            changes_per_year[1],
            changes_per_year[2],
            early_keeps * 100.0,
            persistence,
            if gap_growth >= 0.0 { "grew" } else { "shrank" },
            gap_growth.abs(),
        );
        Verdict {
            regime,
            rule,
            sentence,
            persistence,
            early_keeps,
            gap_growth,
            changes_per_year,
            headwind,
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
