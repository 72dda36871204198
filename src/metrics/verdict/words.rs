//! Parts of the verdict's sentence: why a verdict is MIXED (the tests of RACE and of RUN
//! that the evidence fails, so that a reader sees which stood in the way, often a single
//! test near its threshold), and the headwind in words.

use super::{Evidence, Thresholds};
use crate::numbers::fixed;

/// `Not RACE: ...; not RUN: ...`, each naming the failed tests with the value found and
/// the threshold.
pub(super) fn why_mixed(e: &Evidence, t: &Thresholds) -> String {
    let p = e.persistence_norm;
    let mut race = Vec::new();
    if let Some(p) = p.filter(|&p| p < t.race_persistence) {
        race.push(format!(
            "persistence against chance {} is below the {} a race needs",
            fixed(p, 2),
            fixed(t.race_persistence, 2)
        ));
    }
    if e.early_keeps < t.race_early_keeps {
        race.push(format!(
            "the month-12 leader kept the lead in {:.0}% of runs, under the {:.0}% a race needs",
            e.early_keeps * 100.0,
            t.race_early_keeps * 100.0
        ));
    }
    match e.gap_growth {
        Some(g) if g <= t.race_gap_growth => race.push(format!(
            "the leader's gap did not grow by more than {} Elo",
            fixed(t.race_gap_growth, 0)
        )),
        None => race.push("the leader's gap does not apply".to_string()),
        Some(_) => {}
    }
    let mut run = Vec::new();
    if let Some(p) = p.filter(|&p| p > t.run_persistence) {
        run.push(format!(
            "persistence against chance {} is above the {} a run allows",
            fixed(p, 2),
            fixed(t.run_persistence, 2)
        ));
    }
    if e.spell_median.is_none_or(|m| m > t.run_spell_months) {
        run.push(format!(
            "half of the lead spells last more than {} months",
            fixed(t.run_spell_months, 0)
        ));
    }
    format!(
        "Not RACE: {}; not RUN: {}.",
        race.join(" and "),
        run.join(" and ")
    )
}

/// The leader's training share against the followers', in words (`headwind`: their
/// difference, median run).
pub(super) fn headwind(headwind: Option<f64>) -> String {
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

    #[test]
    fn a_mixed_verdict_names_the_tests_that_stood_in_the_way() {
        let t = Thresholds::standard(24);
        // The bundled `race`: persistent and widening, but the early leader keeps the
        // lead in only half of the runs.
        let race = Evidence {
            persistence_norm: Some(0.88),
            early_keeps: 0.52,
            gap_growth: Some(234.0),
            spell_median: Some(3.0),
        };
        assert_eq!(
            why_mixed(&race, &t),
            "Not RACE: the month-12 leader kept the lead in 52% of runs, under the 60% a race \
             needs; not RUN: persistence against chance 0.88 is above the 0.30 a run allows."
        );
        // Between the thresholds, long spells and a narrowing gap: every failed test named.
        let between = Evidence {
            persistence_norm: Some(0.45),
            early_keeps: 0.7,
            gap_growth: Some(-3.0),
            spell_median: None,
        };
        let why = why_mixed(&between, &t);
        for part in [
            "0.45 is below the 0.60",
            "gap did not grow",
            "0.45 is above the 0.30",
            "last more than 24 months",
        ] {
            assert!(why.contains(part), "{part}: {why}");
        }
        assert!(!why.contains("month-12"), "{why}");
    }
}
