//! The headline measures of a run, declared once: the name used in `summary.json`,
//! `runs.csv`, `sweep.csv` and `--measure`, the label and unit charts print, natural
//! bounds, what the measure needs to apply, and how to read it from [`RunMeasures`].
//!
//! The summary, the per-run table, sweeps, uncertain-input effects, sensitivity and the
//! charts all read this table. A measure that does not apply to a scenario (the leader's
//! gap with a single lab) reads as `None`; files write it as [`NOT_APPLICABLE`].

use crate::metrics::{EARLY_WINDOW, RunMeasures};
use crate::stats::Binning;

/// How a measure that does not apply is written in CSV files.
pub use crate::schema::NOT_APPLICABLE;

/// What a measure needs of the scenario to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Applies to every run.
    Nothing,
    /// Applies to the runs in which some lab leads (not to labs tied throughout); any
    /// scenario may have them.
    Leader,
    /// Needs at least two labs (a runner-up, followers).
    Rivals,
    /// Needs two labs and the whole early gap window (months 12-23).
    RivalsAndEarlyWindow,
}

/// One headline measure of a run.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// Name in files and on the command line.
    pub name: &'static str,
    /// Chart label; `{months}` stands for the horizon, `{persistence}` for
    /// `world.leadership.persistence_months`.
    pub label: &'static str,
    /// Unit, with the same placeholders.
    pub unit: &'static str,
    /// Natural range, when the measure has one (shares, fractions).
    pub bounds: Option<(f64, f64)>,
    /// What it needs to apply.
    pub needs: Needs,
    /// How its distribution across runs bins values once they are too many to keep
    /// exactly: the resolution of its quantiles in `summary.json` beyond
    /// [`crate::stats::EXACT_DISTINCT`] distinct values.
    pub binning: Binning,
    value: fn(&RunMeasures) -> Option<f64>,
}

impl Measure {
    /// The measure of run `r` (`None` when it does not apply).
    pub fn of(&self, r: &RunMeasures) -> Option<f64> {
        (self.value)(r)
    }

    /// Whether the measure applies to a scenario of `labs` labs and `months` months.
    pub fn applies(&self, labs: usize, months: u32) -> bool {
        match self.needs {
            Needs::Nothing | Needs::Leader => true,
            Needs::Rivals => labs > 1,
            Needs::RivalsAndEarlyWindow => labs > 1 && months >= EARLY_WINDOW.1,
        }
    }

    /// What a scenario needs for the measure to apply, for messages: `a rival lab`, or
    /// `a rival lab and at least 24 months` (empty when it always applies).
    fn needs_text(&self) -> String {
        match self.needs {
            Needs::Nothing | Needs::Leader => String::new(),
            Needs::Rivals => "a rival lab".to_string(),
            Needs::RivalsAndEarlyWindow => {
                format!("a rival lab and at least {} months", EARLY_WINDOW.1)
            }
        }
    }

    /// Why it does not apply to scenario `name` of `labs` labs and `months` months, for a
    /// message: "scenario `solo` (1 lab, 36 months): it needs a rival lab".
    pub fn lacking(&self, name: &str, labs: usize, months: u32) -> String {
        format!(
            "scenario `{name}` ({labs} lab{}, {months} months): it needs {}",
            crate::numbers::plural_s(labs),
            self.needs_text()
        )
    }

    /// The chart label, placeholders filled in.
    pub fn label(&self, months: u32, persistence: u32) -> String {
        fill_in(self.label, months, persistence)
    }

    /// The unit, placeholders filled in.
    pub fn unit(&self, months: u32, persistence: u32) -> String {
        fill_in(self.unit, months, persistence)
    }
}

/// `text` with `{months}` and `{persistence}` replaced by a scenario's horizon and the
/// persistence horizon its measures use: the scenario's persistence months, or in a run
/// too short for them the longest that fits (`months - 1`, as the leadership measures
/// take it).
pub fn fill_in(text: &str, months: u32, persistence: u32) -> String {
    let used = persistence.min(months.saturating_sub(1));
    text.replace("{months}", &months.to_string())
        .replace("{persistence}", &used.to_string())
}

const SHARE: Option<(f64, f64)> = Some((0.0, 1.0));
const PERSISTENCE_UNIT: &str = "share of months whose leader still leads {persistence} months on";
const PERSISTENCE_NORM_UNIT: &str =
    "lead survival over 1-{persistence} months against chance (0 random, 1 permanent)";

const fn m(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    bounds: Option<(f64, f64)>,
    needs: Needs,
    value: fn(&RunMeasures) -> Option<f64>,
) -> Measure {
    Measure {
        name,
        label,
        unit,
        bounds,
        needs,
        binning: binning_of(unit),
        value,
    }
}

/// The quantile resolution of a measure in `unit`: whole counts exactly, shares to
/// 0.0001, months to 0.01, Elo to 0.1, rates per year to 0.001; money, fleets and power to
/// 0.4% (relative bins of 2^-7).
const fn binning_of(unit: &str) -> Binning {
    match unit.as_bytes() {
        b"changes" | b"spells" | b"releases" => Binning::Linear(1.0),
        b"changes per year" => Binning::Linear(0.001),
        b"months" => Binning::Linear(0.01),
        b"Elo" => Binning::Linear(0.1),
        b"H100e" | b"USD" => Binning::Log,
        b"GW" => Binning::LogAbove(1e-6),
        _ => Binning::Linear(1e-4),
    }
}

fn flag(b: bool) -> Option<f64> {
    Some(f64::from(u8::from(b)))
}

use Needs::*;

/// Every headline measure, in `runs.csv` order.
pub const MEASURES: &[Measure] = &[
    m(
        "lead_changes_quality",
        "Quality-lead changes in {months} months",
        "changes",
        None,
        Nothing,
        |r| Some(f64::from(r.quality.changes)),
    ),
    m(
        "lead_changes_market",
        "Market-lead changes in {months} months",
        "changes",
        None,
        Nothing,
        |r| Some(f64::from(r.market.changes)),
    ),
    m(
        "changes_per_year_quality",
        "Quality-lead changes per year",
        "changes per year",
        None,
        Nothing,
        |r| Some(r.quality.changes_per_year),
    ),
    m(
        "changes_per_year_market",
        "Market-lead changes per year",
        "changes per year",
        None,
        Nothing,
        |r| Some(r.market.changes_per_year),
    ),
    m(
        "spells_quality",
        "Quality-lead spells in {months} months",
        "spells",
        None,
        Nothing,
        |r| Some(f64::from(r.quality.spell_count)),
    ),
    m(
        "spells_market",
        "Market-lead spells in {months} months",
        "spells",
        None,
        Nothing,
        |r| Some(f64::from(r.market.spell_count)),
    ),
    m(
        "mean_spell_quality",
        "Mean length of a quality-lead spell",
        "months",
        None,
        Leader,
        |r| r.quality.mean_spell,
    ),
    m(
        "mean_spell_market",
        "Mean length of a market-lead spell",
        "months",
        None,
        Leader,
        |r| r.market.mean_spell,
    ),
    m(
        "persistence_quality",
        "Persistence of the quality leader",
        PERSISTENCE_UNIT,
        SHARE,
        Nothing,
        |r| Some(r.quality.persistence),
    ),
    m(
        "persistence_market",
        "Persistence of the market leader",
        PERSISTENCE_UNIT,
        SHARE,
        Nothing,
        |r| Some(r.market.persistence),
    ),
    m(
        "persistence_norm_quality",
        "Persistence of the quality leader against chance",
        PERSISTENCE_NORM_UNIT,
        None,
        Rivals,
        |r| r.quality.persistence_norm,
    ),
    m(
        "persistence_norm_market",
        "Persistence of the market leader against chance",
        PERSISTENCE_NORM_UNIT,
        None,
        Rivals,
        |r| r.market.persistence_norm,
    ),
    m(
        "early_keeps_quality",
        "Month-12 quality leader leads at the end",
        "share of runs",
        SHARE,
        Nothing,
        |r| flag(r.quality.early_keeps),
    ),
    m(
        "early_keeps_market",
        "Month-12 market leader leads at the end",
        "share of runs",
        SHARE,
        Nothing,
        |r| flag(r.market.early_keeps),
    ),
    m(
        "gap_early",
        "Leader's gap, months 12-23",
        "Elo",
        None,
        RivalsAndEarlyWindow,
        |r| r.gap_early,
    ),
    m(
        "gap_late",
        "Leader's gap, last 12 months",
        "Elo",
        None,
        Rivals,
        |r| r.gap_late,
    ),
    m(
        "gap_growth",
        "Growth of the leader's gap",
        "Elo",
        None,
        RivalsAndEarlyWindow,
        RunMeasures::gap_growth,
    ),
    m(
        "gap_growth_market",
        "Growth of the market leader's share lead",
        "share",
        None,
        RivalsAndEarlyWindow,
        RunMeasures::gap_growth_market,
    ),
    m(
        "leader_train",
        "Leader's training share",
        "share of fleet",
        SHARE,
        Nothing,
        |r| Some(r.leader_train),
    ),
    m(
        "followers_train",
        "Followers' training share",
        "share of fleet",
        SHARE,
        Rivals,
        |r| r.followers_train,
    ),
    m(
        "headwind",
        "Headwind: followers' minus leader's training share",
        "share of fleet",
        None,
        Rivals,
        RunMeasures::headwind,
    ),
    m(
        "hhi_final",
        "Customer concentration (HHI) at the end",
        "0-1",
        SHARE,
        Nothing,
        |r| Some(r.hhi_final),
    ),
    m(
        "hhi_mean",
        "Customer concentration (HHI), mean over months",
        "0-1",
        SHARE,
        Nothing,
        |r| Some(r.hhi_mean),
    ),
    m(
        "open_share_final",
        "Open-weight share at the end",
        "share",
        SHARE,
        Nothing,
        |r| Some(r.open_share_final),
    ),
];

/// Measures whose rank correlation with each uncertain input is reported.
pub const CORRELATED: &[&str] = &[
    "persistence_quality",
    "changes_per_year_quality",
    "gap_growth",
    "headwind",
];

/// The headline measure called `name`.
pub fn find(name: &str) -> Option<&'static Measure> {
    MEASURES.iter().find(|m| m.name == name)
}

/// Names of the headline measures, in `runs.csv` order.
pub fn names() -> Vec<&'static str> {
    MEASURES.iter().map(|m| m.name).collect()
}

/// One per-lab measure of a run (`<name>.<lab id>` in `runs.csv`).
#[derive(Debug, Clone, Copy)]
pub struct LabMeasure {
    /// Name in files.
    pub name: &'static str,
    /// Chart label.
    pub label: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// How its distribution across runs bins values (as [`Measure::binning`]).
    pub binning: Binning,
    value: fn(&RunMeasures, usize) -> f64,
}

impl LabMeasure {
    /// The measure of lab `lab` in run `r`.
    pub fn of(&self, r: &RunMeasures, lab: usize) -> f64 {
        (self.value)(r, lab)
    }
}

const fn lab(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    value: fn(&RunMeasures, usize) -> f64,
) -> LabMeasure {
    LabMeasure {
        name,
        label,
        unit,
        binning: binning_of(unit),
        value,
    }
}

/// Every per-lab measure, in `runs.csv` order.
#[rustfmt::skip]
pub const LAB_MEASURES: &[LabMeasure] = &[
    lab("months_led_quality", "Months as quality leader", "months", |r, i| f64::from(r.quality.months_led[i])),
    lab("months_led_market", "Months as market leader", "months", |r, i| f64::from(r.market.months_led[i])),
    lab("final_share", "Customer share at the end", "share", |r, i| r.final_share[i]),
    lab("final_fleet", "Fleet at the end", "H100e", |r, i| r.final_fleet[i]),
    lab("final_power", "Data-centre power at the end", "GW", |r, i| r.final_power[i]),
    lab("train_mean", "Mean training fraction", "share of powered GPUs", |r, i| r.train_mean[i]),
    lab("final_quality", "Model quality at the end", "Elo", |r, i| r.final_quality[i]),
    lab("revenue_total", "Revenue over the horizon", "USD", |r, i| r.revenue_total[i]),
    lab("releases", "Releases shipped", "releases", |r, i| f64::from(r.releases[i])),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_labels_fill_in() {
        let mut names = names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), MEASURES.len());
        let m = find("persistence_quality").unwrap();
        assert_eq!(
            m.unit(120, 24),
            "share of months whose leader still leads 24 months on"
        );
        // A run of 12 months compares leaders at most 11 months apart.
        assert_eq!(
            m.unit(12, 24),
            "share of months whose leader still leads 11 months on"
        );
        assert_eq!(
            find("lead_changes_quality").unwrap().label(36, 12),
            "Quality-lead changes in 36 months"
        );
        assert!(find("nope").is_none());
    }

    #[test]
    fn what_needs_rivals_or_a_long_horizon() {
        let headwind = find("headwind").unwrap();
        assert!(!headwind.applies(1, 120) && headwind.applies(2, 12));
        let early = find("gap_early").unwrap();
        assert!(!early.applies(3, 23) && early.applies(3, 24) && !early.applies(1, 120));
        assert!(find("persistence_quality").unwrap().applies(1, 1));
    }
}
