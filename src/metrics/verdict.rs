//! The regime rule, in one place, and the verdict it gives across runs.
//!
//! [`Regime::of`] applies the rule's [`Thresholds`] to an [`Evidence`]: across runs (the
//! verdict of `racerun run`, of every sweep cell and of `racerun explain`) or to a single
//! run ([`Regime::of_run`]: the race/run shares of sweep cells, the race-like and
//! run-like shares of the uncertain-input terciles). [`rule_text`] and [`shares_text`]
//! say it in words, with the same constants; `docs/verdict.md` justifies them.
//!
//! The rule reads durability against chance, so that it does not alias with release
//! cycles: chance-normalised persistence averages lead survival over every h from 1 to
//! the horizon (a leader that comes back every 6 months is not persistent), and lead
//! spells are measured by Kaplan-Meier, the last one censored.

use serde::{Deserialize, Serialize};

use super::bootstrap::{Estimate, Resamples};
use super::durability::{SpellCounts, SpellSurvival, spell_survival};
use super::{RunMeasures, Tally};
use crate::numbers::fixed;

/// Which regime a world is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// The lead lasts well beyond chance, the early leader keeps it, its gap grows.
    Race,
    /// Leadership rotates: persistence near chance or below, lead spells short.
    Run,
    /// Neither holds.
    Mixed,
    /// The horizon is shorter than the measures need ([`months_needed`]): not judged.
    TooShort,
    /// A single lab: it always leads, and the rule, which compares labs, does not apply.
    OneLab,
}

impl Regime {
    /// Every regime, in the order tables and legends list them.
    pub const ALL: [Regime; 5] = [
        Regime::Race,
        Regime::Run,
        Regime::Mixed,
        Regime::TooShort,
        Regime::OneLab,
    ];

    /// The name used in files: `race`, `run`, `mixed`, `too_short` or `one_lab`.
    pub fn name(self) -> &'static str {
        match self {
            Regime::Race => "race",
            Regime::Run => "run",
            Regime::Mixed => "mixed",
            Regime::TooShort => "too_short",
            Regime::OneLab => "one_lab",
        }
    }

    /// Upper-case label.
    pub fn label(self) -> &'static str {
        match self {
            Regime::Race => "RACE",
            Regime::Run => "RUN",
            Regime::Mixed => "MIXED",
            Regime::TooShort => "TOO SHORT",
            Regime::OneLab => "ONE LAB",
        }
    }

    /// The regime rule: RACE when the lead persists well above chance (chance-normalised
    /// persistence at least `race_persistence`), the month-12 leader keeps it (in at least
    /// `race_early_keeps` of runs) and the leader's gap grows (by more than
    /// `race_gap_growth`); RUN when persistence is near chance or below (at most
    /// `run_persistence`) and lead spells are short (the median spell at most
    /// `run_spell_months`); MIXED otherwise. Without a rival (one lab) nothing persists
    /// against chance and no gap grows: MIXED.
    pub fn of(e: &Evidence, t: &Thresholds) -> Regime {
        let Some(p) = e.persistence_norm else {
            return Regime::Mixed;
        };
        if p >= t.race_persistence
            && e.early_keeps >= t.race_early_keeps
            && e.gap_growth.is_some_and(|g| g > t.race_gap_growth)
        {
            Regime::Race
        } else if p <= t.run_persistence && e.spell_median.is_some_and(|m| m <= t.run_spell_months)
        {
            Regime::Run
        } else {
            Regime::Mixed
        }
    }

    /// The rule applied to one run of a scenario of `months` months (TOO SHORT when the
    /// horizon cannot be judged, ONE LAB for a run of `labs` = 1).
    pub fn of_run(run: &RunMeasures, labs: usize, months: u32, persistence_months: u32) -> Regime {
        if labs < 2 {
            Regime::OneLab
        } else if months < months_needed(persistence_months) {
            Regime::TooShort
        } else {
            Regime::of(
                &Evidence::of_run(run),
                &Thresholds::standard(persistence_months),
            )
        }
    }
}

/// Chance-normalised persistence at or above which the lead persists (a race): like a
/// leader that keeps its lead for about three years on average (see `docs/verdict.md`).
pub const RACE_PERSISTENCE: f64 = 0.6;
/// Share of runs whose month-12 leader must still lead at the end for a race.
pub const RACE_EARLY_KEEPS: f64 = 0.6;
/// Growth of the leader's gap (mean over runs, Elo) above which it grows.
pub const RACE_GAP_GROWTH: f64 = 0.0;
/// Chance-normalised persistence at or below which leadership rotates (a run): like a
/// leader that keeps its lead for about a year on average.
pub const RUN_PERSISTENCE: f64 = 0.3;
/// First month of the early gap window (months 12-23).
pub const EARLY_WINDOW: (u32, u32) = (12, 24);

/// The thresholds of the rule; [`Thresholds::standard`] are the documented ones, others
/// are tried by [`Verdict::threshold_sensitivity`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// RACE needs chance-normalised persistence at least this.
    pub race_persistence: f64,
    /// RACE needs this share of runs whose month-12 leader leads at the end.
    pub race_early_keeps: f64,
    /// RACE needs the leader's gap to grow by more than this, Elo.
    pub race_gap_growth: f64,
    /// RUN needs chance-normalised persistence at most this.
    pub run_persistence: f64,
    /// RUN needs the median lead spell to end within this many months.
    pub run_spell_months: f64,
}

impl Thresholds {
    /// The documented thresholds; a short spell is one that ends within the
    /// persistence horizon.
    pub fn standard(persistence_months: u32) -> Thresholds {
        Thresholds {
            race_persistence: RACE_PERSISTENCE,
            race_early_keeps: RACE_EARLY_KEEPS,
            race_gap_growth: RACE_GAP_GROWTH,
            run_persistence: RUN_PERSISTENCE,
            run_spell_months: f64::from(persistence_months),
        }
    }

    /// Each threshold by name with a lower and a higher alternative, as (name, value,
    /// lower, higher, field): persistence and shares by 0.1, the gap by 10 Elo (about a
    /// leaderboard's noise), the spell length halved and doubled.
    fn shifts(&self) -> Vec<(&'static str, f64, f64, f64, Field)> {
        let fields: [(&str, Field, Step); 5] = [
            (
                "race_persistence",
                |t| &mut t.race_persistence,
                Step::By(0.1),
            ),
            (
                "race_early_keeps",
                |t| &mut t.race_early_keeps,
                Step::By(0.1),
            ),
            (
                "race_gap_growth",
                |t| &mut t.race_gap_growth,
                Step::By(10.0),
            ),
            ("run_persistence", |t| &mut t.run_persistence, Step::By(0.1)),
            (
                "run_spell_months",
                |t| &mut t.run_spell_months,
                Step::Times(2.0),
            ),
        ];
        fields
            .into_iter()
            .map(|(name, field, step)| {
                let value = *field(&mut self.clone());
                let (lower, higher) = match step {
                    // Rounded to nine decimals, so that 0.3 - 0.1 reads 0.2, not
                    // 0.19999999999999998.
                    Step::By(d) => (tidy(value - d), tidy(value + d)),
                    Step::Times(f) => (value / f, value * f),
                };
                (name, value, lower, higher, field)
            })
            .collect()
    }
}

/// `x` rounded to nine decimals: a threshold's alternative as a person would write it.
fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// How a threshold's alternatives lie on either side of it.
#[derive(Clone, Copy)]
enum Step {
    By(f64),
    Times(f64),
}

/// One threshold of [`Thresholds`], to read or set.
type Field = fn(&mut Thresholds) -> &mut f64;

/// The horizon the verdict needs: the whole early gap window (months 12-23), and more
/// months than `persistence_months`, so that at least one month's leader can be compared
/// with the leader `persistence_months` later.
pub fn months_needed(persistence_months: u32) -> u32 {
    EARLY_WINDOW.1.max(persistence_months.saturating_add(1))
}

/// What the regime rule looks at: across runs, or for a single run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// Chance-normalised persistence of the quality leader (mean over runs); `None` with
    /// one lab.
    pub persistence_norm: Option<f64>,
    /// Share of runs whose month-12 quality leader leads at the end (one run: 0 or 1).
    pub early_keeps: f64,
    /// Growth of the leader's gap, late minus early, Elo (mean over runs); `None` when it
    /// does not apply.
    pub gap_growth: Option<f64>,
    /// Median quality-lead spell, months (Kaplan-Meier); `None` when more than half of
    /// the spells outlast the runs.
    pub spell_median: Option<f64>,
}

impl Evidence {
    /// The evidence of one run.
    pub fn of_run(r: &RunMeasures) -> Evidence {
        Evidence {
            persistence_norm: r.quality.persistence_norm,
            early_keeps: f64::from(u8::from(r.quality.early_keeps)),
            gap_growth: r.gap_growth(),
            spell_median: r.quality.spell_median.map(f64::from),
        }
    }
}

/// The rule, in words, with its thresholds (`h` is the persistence horizon in months).
pub fn rule_text(h: u32) -> String {
    format!(
        "persistence = chance-normalised lead survival (S(k) - 1/n) / (1 - 1/n) of the quality leader, \
         averaged over k = 1..{h} months and over runs (0: the leader is as good as a lab drawn at random, \
         1: it never changes); RACE if persistence >= {RACE_PERSISTENCE} and the month-12 leader still leads \
         at the end in >= {:.0}% of runs and the leader's gap grows (mean over runs, last 12 months vs months \
         12-23); RUN if persistence <= {RUN_PERSISTENCE} and the median lead spell (Kaplan-Meier) ends within \
         {h} months; MIXED otherwise",
        RACE_EARLY_KEEPS * 100.0
    )
}

/// What the per-run regime shares of a sweep cell mean.
pub fn shares_text() -> String {
    format!(
        "race_share, run_share, mixed_share: share of a cell's runs that on their own meet the \
         race thresholds (chance-normalised persistence >= {RACE_PERSISTENCE}, month-12 leader leads at the \
         end, leader gap grows) or the run thresholds (chance-normalised persistence <= {RUN_PERSISTENCE}, \
         median lead spell within the persistence horizon), or neither"
    )
}

/// How the verdict moves when one threshold does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdShift {
    /// The threshold: `race_persistence`, `race_early_keeps`, `race_gap_growth`,
    /// `run_persistence` or `run_spell_months`.
    pub threshold: String,
    /// Its documented value.
    pub value: f64,
    /// A lower value.
    pub lower: f64,
    /// The regime with the lower value.
    pub regime_lower: String,
    /// A higher value.
    pub higher: f64,
    /// The regime with the higher value.
    pub regime_higher: String,
}

/// The regime verdict across runs, with the numbers it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The regime.
    pub regime: Regime,
    /// The rule, in words, with thresholds.
    pub rule: String,
    /// One plain sentence a reader can quote.
    pub sentence: String,
    /// Chance-normalised persistence of the quality leader, mean over runs with its
    /// bootstrap interval; `None` with one lab.
    pub persistence_norm: Option<Estimate>,
    /// Mean persistence of the quality leader at exactly the horizon.
    pub persistence: f64,
    /// Share of runs whose month-12 quality leader leads at the end.
    pub early_keeps: Estimate,
    /// Growth of the leader's gap (late minus early), Elo, mean over runs; `None` when the
    /// gap does not apply.
    pub gap_growth: Option<Estimate>,
    /// Median quality-lead spell (Kaplan-Meier), months.
    pub spell_median: Option<u32>,
    /// Median lead changes per year, and its p10 and p90.
    pub changes_per_year: [f64; 3],
    /// Median of (followers' - leader's) mean training fraction; `None` with one lab.
    pub headwind: Option<f64>,
    /// Why the verdict is uncertain (an interval reaching another regime), if it is.
    pub uncertain: Option<String>,
    /// How the verdict moves with each threshold.
    pub threshold_sensitivity: Vec<ThresholdShift>,
    /// Kaplan-Meier survival of lead spells.
    pub spell_survival: SpellSurvival,
    /// Share of runs in which no lab ever led on quality (labs within the lead margin
    /// throughout); their persistence counts as 1, since nothing changed hands.
    pub never_led: f64,
}

/// The median of the values that apply (`None` when none does).
/// What a set of runs pins down: the spell counts pooled over them and the master seed
/// of their bootstrap.
#[derive(Debug, Clone, Copy)]
pub struct Pooled<'a> {
    /// Spell counts of both leaders.
    pub spells: &'a SpellCounts,
    /// Master seed (the bootstrap's resamples derive from it).
    pub seed: u64,
}

impl Verdict {
    /// Judges a set of runs of a scenario of `months` months by the quality leader.
    pub fn judge(tally: &Tally, pooled: Pooled<'_>) -> Verdict {
        let (months, persistence_months) = (tally.months(), tally.persistence_months());
        let resamples = Resamples::new(pooled.seed, tally.total() as usize);
        let est = resamples.means(&tally.evidence());
        let applies = |e: Estimate| e.mean.is_finite().then_some(e);
        let (persistence_norm, early_keeps, gap_growth) =
            (applies(est[0]), est[1], applies(est[2]));
        let measure = |name: &str| tally.measure_named(name).filter(|d| d.count() > 0);
        let persistence = measure("persistence_quality").map_or(f64::NAN, |d| d.mean());
        let cpy = measure("changes_per_year_quality");
        let cpy_at = |p: f64| cpy.map_or(f64::NAN, |d| d.quantile(p));
        let changes_per_year = [cpy_at(0.5), cpy_at(0.1), cpy_at(0.9)];
        let headwind = measure("headwind").map(|d| d.quantile(0.5));
        let spell_survival = spell_survival(tally, pooled.spells);
        let spell_median = spell_survival.quality.median;
        let evidence = Evidence {
            persistence_norm: persistence_norm.map(|e| e.mean),
            early_keeps: early_keeps.mean,
            gap_growth: gap_growth.map(|e| e.mean),
            spell_median: spell_median.map(f64::from),
        };
        let needed = months_needed(persistence_months);
        let thresholds = Thresholds::standard(persistence_months);
        let one_lab = tally.labs() < 2;
        let judged = months >= needed && !one_lab;
        let unjudged = if one_lab {
            Regime::OneLab
        } else {
            Regime::TooShort
        };
        let regime = if judged {
            Regime::of(&evidence, &thresholds)
        } else {
            unjudged
        };
        let threshold_sensitivity = thresholds
            .shifts()
            .into_iter()
            .map(|(name, value, lower, higher, field)| {
                let at = |v: f64| {
                    let mut t = thresholds;
                    *field(&mut t) = v;
                    if judged {
                        Regime::of(&evidence, &t)
                    } else {
                        unjudged
                    }
                    .name()
                    .to_string()
                };
                ThresholdShift {
                    threshold: name.to_string(),
                    value,
                    lower,
                    regime_lower: at(lower),
                    higher,
                    regime_higher: at(higher),
                }
            })
            .collect();
        let uncertain = judged
            .then(|| {
                uncertainty(
                    regime,
                    &evidence,
                    &thresholds,
                    [persistence_norm, Some(early_keeps), gap_growth],
                )
            })
            .flatten();
        let mut verdict = Verdict {
            regime,
            rule: rule_text(persistence_months),
            sentence: String::new(),
            persistence_norm,
            persistence,
            early_keeps,
            gap_growth,
            spell_median,
            changes_per_year,
            headwind,
            uncertain,
            threshold_sensitivity,
            spell_survival,
            never_led: never_led(tally),
        };
        verdict.sentence = if judged {
            let sentence = verdict.describe(persistence_months, tally.total());
            if regime == Regime::Mixed {
                format!("{sentence} {}", words::why_mixed(&evidence, &thresholds))
            } else {
                sentence
            }
        } else if one_lab {
            format!(
                "{}: a single lab always leads, so whether the lead lasts or rotates is not a \
                 question here; the rule compares labs and is not applied.",
                regime.label()
            )
        } else {
            format!(
                "{}: {months} month{} cannot be judged; the verdict needs at least {needed} months \
                 (the leader's gap over months 12-23, and leaders compared up to {persistence_months} months apart).",
                regime.label(),
                crate::numbers::plural_s(months)
            )
        };
        verdict
    }

    /// `, but 15% last more than 24 months` when at least 5% of the quality lead's spells
    /// outlast `h` months while half end sooner: brief flips and long reigns side by side,
    /// which a median alone would hide. Empty otherwise.
    fn long_spells(&self, h: u32) -> String {
        let curve = &self.spell_survival.quality;
        let Some(i) = curve.months.iter().position(|&m| m == h) else {
            return String::new();
        };
        let last = curve.survival[i];
        if self.spell_median.is_some_and(|m| m < h) && last >= 0.05 {
            format!(", but {:.0}% last more than {h} months", last * 100.0)
        } else {
            String::new()
        }
    }

    /// The sentence of a judged verdict.
    fn describe(&self, h: u32, runs: u64) -> String {
        let [cpy, p10, p90] = self.changes_per_year;
        // A bootstrap of one run has no spread: say so rather than print "0.08 to 0.08".
        let interval = |low: String, high: String| {
            if runs < 2 {
                "one run, so no interval".to_string()
            } else {
                format!("95% CI {low} to {high}")
            }
        };
        let persistence = match self.persistence_norm {
            Some(p) => format!(
                "persistence against chance {} ({}; 0 means a leader drawn at random, \
                 1 a permanent one, over 1-{h} months)",
                fixed(p.mean, 2),
                interval(fixed(p.ci_low, 2), fixed(p.ci_high, 2))
            ),
            None => "persistence against chance does not apply (a single lab always leads)".into(),
        };
        // Runs without any leader count as persistence 1: say how many there were.
        let persistence = if self.never_led > 0.0 {
            format!(
                "{persistence}, counting the {} of runs in which no lab ever pulled ahead by \
                 the lead margin as 1 (nothing changed hands)",
                crate::numbers::percent(self.never_led)
            )
        } else {
            persistence
        };
        let spells = match self.spell_median {
            Some(m) => format!(
                "half of the lead spells end within {m} month{}{}",
                crate::numbers::plural_s(m),
                self.long_spells(h)
            ),
            None if self.spell_survival.quality.months.is_empty() => {
                "no lab ever took the lead (the labs stayed within the lead margin)".into()
            }
            None => "more than half of the lead spells outlast the runs".into(),
        };
        let gap = match self.gap_growth {
            Some(g) => {
                // A tenth of an Elo under 1, so that a small change is not "by 0".
                let digits = if g.mean.abs() < 1.0 { 1 } else { 0 };
                let ci = format!(
                    "(mean; {})",
                    interval(fixed(g.ci_low, digits), fixed(g.ci_high, digits))
                );
                let by = fixed(g.mean.abs(), digits);
                if g.mean > 0.0 {
                    format!("the leader's gap grew by {by} Elo {ci}")
                } else if g.mean < 0.0 {
                    format!("the leader's gap shrank by {by} Elo {ci}")
                } else {
                    format!("the leader's gap did not change {ci}")
                }
            }
            None => "the leader's gap does not apply (a single lab)".to_string(),
        };
        let mut out = format!(
            "{}: the quality lead changed {cpy:.1} times a year (median run; p10-p90 {p10:.1}-{p90:.1}); \
             {persistence}; {spells}; the month-12 leader still led at the end in {:.0}% of runs; {gap}; {}.",
            self.regime.label(),
            self.early_keeps.mean * 100.0,
            words::headwind(self.headwind),
        );
        if let Some(why) = &self.uncertain {
            out.push_str(&format!(" Uncertain: {why}."));
        }
        out
    }
}

/// Share of the tallied runs in which no lab ever led on quality: those without a final
/// leader (a lead, once taken, always has a holder).
fn never_led(tally: &Tally) -> f64 {
    let total = tally.total();
    let led: u64 = (0..tally.labs())
        .map(|lab| tally.final_leader(false, lab))
        .sum();
    if total == 0 {
        0.0
    } else {
        total.saturating_sub(led) as f64 / total as f64
    }
}

/// Why a verdict is uncertain: the first evidence whose 95% interval, at either end,
/// gives another regime (the others kept at their estimates).
fn uncertainty(
    regime: Regime,
    evidence: &Evidence,
    thresholds: &Thresholds,
    intervals: [Option<Estimate>; 3],
) -> Option<String> {
    let names = [
        "persistence against chance",
        "the month-12 leader's share of runs",
        "the gap's growth",
    ];
    for (k, (name, interval)) in names.iter().zip(intervals).enumerate() {
        let Some(e) = interval else { continue };
        for end in [e.ci_low, e.ci_high] {
            if !end.is_finite() {
                continue;
            }
            let mut moved = *evidence;
            match k {
                0 => moved.persistence_norm = Some(end),
                1 => moved.early_keeps = end,
                _ => moved.gap_growth = Some(end),
            }
            let other = Regime::of(&moved, thresholds);
            if other != regime {
                return Some(format!(
                    "at the {} end of its 95% interval ({} to {}), {name} gives {}",
                    if end == e.ci_low { "low" } else { "high" },
                    fixed(e.ci_low, 2),
                    fixed(e.ci_high, 2),
                    other.label()
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
mod words;
