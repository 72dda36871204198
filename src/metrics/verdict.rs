//! The regime rule, in one place, and the verdict it gives across runs.
//!
//! [`Regime::of`] applies the rule's thresholds to an [`Evidence`]: across runs (the
//! verdict of `racerun run` and of every sweep cell) or to a single run
//! ([`Regime::of_run`]: the race/run shares of sweep cells, the race-like and run-like
//! shares of the uncertain-input terciles). [`rule_text`] and [`shares_text`] say it in
//! words, with the same constants.

use serde::Serialize;

use super::RunMeasures;
use crate::stats;

/// Which regime a world is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// The leader's gap grows and it keeps the lead.
    Race,
    /// Leadership rotates.
    Run,
    /// Neither holds.
    Mixed,
    /// The horizon is shorter than the measures need ([`months_needed`]): not judged.
    TooShort,
}

impl Regime {
    /// The name used in files: `race`, `run`, `mixed` or `too_short`.
    pub fn name(self) -> &'static str {
        match self {
            Regime::Race => "race",
            Regime::Run => "run",
            Regime::Mixed => "mixed",
            Regime::TooShort => "too_short",
        }
    }

    /// Upper-case label.
    pub fn label(self) -> &'static str {
        match self {
            Regime::Race => "RACE",
            Regime::Run => "RUN",
            Regime::Mixed => "MIXED",
            Regime::TooShort => "TOO SHORT",
        }
    }

    /// The regime rule: RACE when the lead persists (persistence at least
    /// [`RACE_PERSISTENCE`]), the month-12 leader keeps it (at least [`RACE_EARLY_KEEPS`])
    /// and the leader's gap grows; RUN when the lead rotates (persistence at most
    /// [`RUN_PERSISTENCE`] and at least [`RUN_CHANGES_PER_YEAR`] changes a year); MIXED
    /// otherwise. A gap that does not apply (a single lab) never grows.
    pub fn of(e: &Evidence) -> Regime {
        if e.persistence >= RACE_PERSISTENCE
            && e.early_keeps >= RACE_EARLY_KEEPS
            && e.gap_growth.is_some_and(|g| g > 0.0)
        {
            Regime::Race
        } else if e.persistence <= RUN_PERSISTENCE && e.changes_per_year >= RUN_CHANGES_PER_YEAR {
            Regime::Run
        } else {
            Regime::Mixed
        }
    }

    /// The rule applied to one run of a scenario of `months` months (TOO SHORT when the
    /// horizon cannot be judged).
    pub fn of_run(run: &RunMeasures, months: u32, persistence_months: u32) -> Regime {
        if months < months_needed(persistence_months) {
            Regime::TooShort
        } else {
            Regime::of(&Evidence::of_run(run))
        }
    }
}

/// Mean persistence of the quality leader at or above which its lead persists.
pub const RACE_PERSISTENCE: f64 = 0.75;
/// Share of runs whose month-12 leader must still lead at the end for a race.
pub const RACE_EARLY_KEEPS: f64 = 0.6;
/// Persistence at or below which leadership counts as rotating.
pub const RUN_PERSISTENCE: f64 = 0.5;
/// Median lead changes per year at or above which leadership counts as rotating.
pub const RUN_CHANGES_PER_YEAR: f64 = 0.5;
/// First month of the early gap window (months 12-23).
pub const EARLY_WINDOW: (u32, u32) = (12, 24);

/// The horizon the verdict needs: the whole early gap window (months 12-23), and more
/// months than `persistence_months`, so that at least one month's leader can be compared
/// with the leader `persistence_months` later.
pub fn months_needed(persistence_months: u32) -> u32 {
    EARLY_WINDOW.1.max(persistence_months.saturating_add(1))
}

/// What the regime rule looks at: across runs, or for a single run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// Persistence of the quality leader (mean over runs).
    pub persistence: f64,
    /// Share of runs whose month-12 quality leader leads at the end (one run: 0 or 1).
    pub early_keeps: f64,
    /// Growth of the leader's gap, late minus early, Elo (median over runs); `None` when
    /// it does not apply.
    pub gap_growth: Option<f64>,
    /// Quality-lead changes per year (median over runs).
    pub changes_per_year: f64,
}

impl Evidence {
    /// The evidence of one run.
    pub fn of_run(r: &RunMeasures) -> Evidence {
        Evidence {
            persistence: r.quality.persistence,
            early_keeps: f64::from(u8::from(r.quality.early_keeps)),
            gap_growth: r.gap_growth(),
            changes_per_year: r.quality.changes_per_year,
        }
    }
}

/// The rule, in words, with its thresholds (`h` is the persistence horizon in months).
pub fn rule_text(h: u32) -> String {
    format!(
        "RACE if persistence (P[quality leader at month m still leads at m+{h}], mean over runs) >= {RACE_PERSISTENCE} \
         and the month-12 leader still leads at the end in >= {:.0}% of runs and the median leader gap grows \
         (last 12 months vs months 12-23); RUN if persistence <= {RUN_PERSISTENCE} and the median run has \
         >= {RUN_CHANGES_PER_YEAR} quality-lead changes per year; MIXED otherwise",
        RACE_EARLY_KEEPS * 100.0
    )
}

/// What the per-run regime shares of a sweep cell mean.
pub fn shares_text() -> String {
    format!(
        "race_share, run_share, mixed_share: share of a cell's runs that on their own meet the \
         race thresholds (persistence >= {RACE_PERSISTENCE}, month-12 leader leads at the end, leader gap grows) \
         or the run thresholds (persistence <= {RUN_PERSISTENCE}, >= {RUN_CHANGES_PER_YEAR} quality-lead changes \
         per year), or neither"
    )
}

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
    /// Median of (late gap - early gap), Elo; `None` when the gap does not apply.
    pub gap_growth: Option<f64>,
    /// Median lead changes per year, and its p10 and p90.
    pub changes_per_year: [f64; 3],
    /// Median of (followers' - leader's) mean training fraction; `None` with one lab.
    pub headwind: Option<f64>,
}

/// The median of the values that apply (`None` when none does).
fn median(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = values.flatten().collect();
    (!v.is_empty()).then(|| stats::quantile(&v, 0.5))
}

impl Verdict {
    /// Judges a set of runs of a scenario of `months` months by the quality leader.
    pub fn judge(runs: &[RunMeasures], months: u32, persistence_months: u32) -> Verdict {
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
        let gap_growth = median(runs.iter().map(RunMeasures::gap_growth));
        let cpy: Vec<f64> = runs.iter().map(|r| r.quality.changes_per_year).collect();
        let changes_per_year = [
            stats::quantile(&cpy, 0.5),
            stats::quantile(&cpy, 0.1),
            stats::quantile(&cpy, 0.9),
        ];
        let headwind = median(runs.iter().map(RunMeasures::headwind));
        let needed = months_needed(persistence_months);
        let regime = if months < needed {
            Regime::TooShort
        } else {
            Regime::of(&Evidence {
                persistence,
                early_keeps,
                gap_growth,
                changes_per_year: changes_per_year[0],
            })
        };
        let h = persistence_months;
        let sentence = if regime == Regime::TooShort {
            format!(
                "{}: {months} month{} cannot be judged; the verdict needs at least {needed} months \
                 (the leader's gap over months 12-23, and leaders compared {h} months apart).",
                regime.label(),
                if months == 1 { "" } else { "s" }
            )
        } else {
            let gap_words = match gap_growth {
                Some(g) => format!(
                    "the leader's gap {} by {:.0} Elo (median)",
                    if g >= 0.0 { "grew" } else { "shrank" },
                    g.abs()
                ),
                None => "the leader's gap does not apply (a single lab)".to_string(),
            };
            format!(
                "{}: leadership changed {:.1} times per year (p10-p90 {:.1}-{:.1}); the month-12 leader still led at the end \
                 in {:.0}% of runs; persistence over {h} months {:.2}; {gap_words}; {}.",
                regime.label(),
                changes_per_year[0],
                changes_per_year[1],
                changes_per_year[2],
                early_keeps * 100.0,
                persistence,
                headwind_words(headwind),
            )
        };
        Verdict {
            regime,
            rule: rule_text(h),
            sentence,
            persistence,
            early_keeps,
            gap_growth,
            changes_per_year,
            headwind,
        }
    }
}

fn headwind_words(headwind: Option<f64>) -> String {
    let Some(headwind) = headwind else {
        return "a single lab has no followers".to_string();
    };
    let pts = format!("{:.1}", (headwind * 100.0).abs());
    let unit = if pts == "1.0" {
        "percentage point"
    } else {
        "percentage points"
    };
    let side = if headwind >= 0.0 { "less" } else { "more" };
    format!("the leader's training share was {pts} {unit} {side} than the followers' (median run)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Leadership;

    /// A run with the given quality-leader measures; the gap grows by `growth` (from 0).
    fn run(
        persistence: f64,
        keeps: bool,
        growth: Option<f64>,
        changes_per_year: f64,
    ) -> RunMeasures {
        let lead = Leadership {
            changes: 0,
            changes_per_year,
            spells: Vec::new(),
            spell_count: 1,
            mean_spell: 1.0,
            months_led: vec![0, 0],
            persistence,
            early_keeps: keeps,
            final_leader: 0,
        };
        RunMeasures {
            run: 0,
            quality: lead.clone(),
            market: lead,
            gap_early: growth.map(|_| 0.0),
            gap_late: growth,
            leader_train: 0.4,
            followers_train: growth.map(|_| 0.5),
            hhi_final: 0.5,
            hhi_mean: 0.5,
            open_share_final: 0.0,
            final_share: vec![0.5, 0.5],
            final_fleet: vec![1.0, 1.0],
            final_power: vec![1.0, 1.0],
            train_mean: vec![0.5, 0.5],
            final_quality: vec![1.0, 1.0],
            revenue_total: vec![0.0, 0.0],
            releases: vec![0, 0],
            inputs: Vec::new(),
        }
    }

    /// `n` runs of which the first `keep` keep the early lead.
    fn runs(n: usize, keep: usize, p: f64, growth: Option<f64>, cpy: f64) -> Vec<RunMeasures> {
        (0..n).map(|i| run(p, i < keep, growth, cpy)).collect()
    }

    fn regime(runs: &[RunMeasures]) -> Regime {
        Verdict::judge(runs, 120, 24).regime
    }

    const EPS: f64 = 1e-9;

    #[test]
    fn race_needs_persistence_at_the_threshold() {
        assert_eq!(regime(&runs(100, 60, 0.75, Some(1.0), 0.0)), Regime::Race);
        assert_eq!(
            regime(&runs(100, 60, 0.75 - EPS, Some(1.0), 0.0)),
            Regime::Mixed
        );
        assert_eq!(
            regime(&runs(100, 60, 0.75 + EPS, Some(1.0), 0.0)),
            Regime::Race
        );
    }

    #[test]
    fn race_needs_sixty_percent_of_early_leaders_to_keep_the_lead() {
        assert_eq!(regime(&runs(100, 60, 0.9, Some(1.0), 0.0)), Regime::Race);
        assert_eq!(regime(&runs(100, 59, 0.9, Some(1.0), 0.0)), Regime::Mixed);
        assert_eq!(regime(&runs(100, 61, 0.9, Some(1.0), 0.0)), Regime::Race);
    }

    #[test]
    fn race_needs_a_growing_gap() {
        assert_eq!(regime(&runs(10, 10, 0.9, Some(EPS), 0.0)), Regime::Race);
        assert_eq!(regime(&runs(10, 10, 0.9, Some(0.0), 0.0)), Regime::Mixed);
        assert_eq!(regime(&runs(10, 10, 0.9, Some(-EPS), 0.0)), Regime::Mixed);
        assert_eq!(
            regime(&runs(10, 10, 0.9, None, 0.0)),
            Regime::Mixed,
            "one lab"
        );
    }

    #[test]
    fn run_needs_low_persistence_and_frequent_changes() {
        assert_eq!(regime(&runs(10, 0, 0.5, Some(0.0), 0.5)), Regime::Run);
        assert_eq!(
            regime(&runs(10, 0, 0.5 + EPS, Some(0.0), 0.5)),
            Regime::Mixed
        );
        assert_eq!(regime(&runs(10, 0, 0.5 - EPS, Some(0.0), 0.5)), Regime::Run);
        assert_eq!(
            regime(&runs(10, 0, 0.5, Some(0.0), 0.5 - EPS)),
            Regime::Mixed
        );
        assert_eq!(regime(&runs(10, 0, 0.5, Some(0.0), 0.5 + EPS)), Regime::Run);
    }

    #[test]
    fn changes_per_year_is_the_median_run() {
        // Six runs below the threshold and five above it: the median run is below.
        let mut r = runs(6, 0, 0.2, Some(0.0), 0.4);
        r.extend(runs(5, 0, 0.2, Some(0.0), 2.0));
        assert_eq!(regime(&r), Regime::Mixed);
        r.extend(runs(2, 0, 0.2, Some(0.0), 2.0));
        assert_eq!(regime(&r), Regime::Run);
    }

    #[test]
    fn a_horizon_shorter_than_the_measures_need_is_not_judged() {
        let race = runs(10, 10, 0.9, Some(1.0), 0.0);
        assert_eq!(months_needed(24), 25);
        assert_eq!(
            months_needed(12),
            24,
            "the early gap window ends at month 23"
        );
        assert_eq!(Verdict::judge(&race, 25, 24).regime, Regime::Race);
        let short = Verdict::judge(&race, 24, 24);
        assert_eq!(short.regime, Regime::TooShort);
        assert!(
            short
                .sentence
                .starts_with("TOO SHORT: 24 months cannot be judged")
        );
        assert!(!short.sentence.contains("persistence over"));
        assert_eq!(Verdict::judge(&race, 23, 12).regime, Regime::TooShort);
        assert_eq!(Regime::of_run(&race[0], 1, 24), Regime::TooShort);
        assert_eq!(Regime::TooShort.name(), "too_short");
    }

    #[test]
    fn one_run_is_judged_by_the_same_rule() {
        let r = run(0.75, true, Some(EPS), 0.0);
        assert_eq!(Regime::of_run(&r, 120, 24), Regime::Race);
        assert_eq!(
            Regime::of_run(&run(0.75, false, Some(1.0), 0.0), 120, 24),
            Regime::Mixed
        );
        assert_eq!(
            Regime::of_run(&run(0.5, false, Some(1.0), 0.5), 120, 24),
            Regime::Run
        );
        assert_eq!(Verdict::judge(&[r], 120, 24).regime, Regime::Race);
    }

    #[test]
    fn the_sentence_says_what_does_not_apply() {
        let v = Verdict::judge(&runs(4, 4, 1.0, None, 0.0), 36, 12);
        assert_eq!(v.gap_growth, None);
        assert_eq!(v.headwind, None);
        assert!(
            v.sentence
                .contains("the leader's gap does not apply (a single lab)")
        );
        assert!(v.sentence.contains("a single lab has no followers"));
        let v = Verdict::judge(&runs(4, 4, 1.0, Some(3.0), 0.0), 36, 12);
        assert!(
            v.sentence
                .contains("the leader's gap grew by 3 Elo (median)")
        );
        assert!(
            v.sentence
                .contains("10.0 percentage points less than the followers'")
        );
    }
}
