use super::*;
use crate::metrics::Leadership;

/// A run of two labs whose quality leader has chance-normalised persistence `pn`, keeps
/// the month-12 lead or not, whose gap grows by `growth` (from 0), and whose spells are
/// `spells` (the last one censored).
fn run(pn: Option<f64>, keeps: bool, growth: Option<f64>, spells: &[u32]) -> RunMeasures {
    let lead = Leadership {
        changes: spells.len() as u32 - 1,
        changes_per_year: 1.0,
        spells: spells.to_vec(),
        spell_count: spells.len() as u32,
        mean_spell: Some(1.0),
        months_led: vec![0, 0],
        persistence: 0.5,
        survival: vec![1],
        followed: 120,
        persistence_norm: pn,
        last_spell: *spells.last().unwrap(),
        spell_median: crate::metrics::durability::spell_median_of_run(spells),
        early_keeps: keeps,
        final_leader: Some(0),
    };
    RunMeasures {
        run: 0,
        quality: lead.clone(),
        market: lead,
        gap_early: growth.map(|_| 0.0),
        gap_late: growth,
        gap_growth_market: growth,
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

/// `n` runs of which the first `keep` keep the early lead, all alike otherwise.
fn runs(n: usize, keep: usize, pn: f64, growth: Option<f64>, spells: &[u32]) -> Vec<RunMeasures> {
    (0..n)
        .map(|i| run(Some(pn), i < keep, growth, spells))
        .collect()
}

/// The verdict of `runs` over 120 months with a 24-month horizon, spells pooled as the
/// Monte Carlo pools them.
fn judge(runs: &[RunMeasures], months: u32, h: u32) -> Verdict {
    judge_labs(runs, 2, months, h)
}

/// [`judge`] for a scenario of `labs` labs.
fn judge_labs(runs: &[RunMeasures], labs: usize, months: u32, h: u32) -> Verdict {
    let longest = runs.iter().flat_map(|r| r.quality.spells.iter()).max();
    let mut counts = vec![0u64; (months as usize).max(*longest.unwrap_or(&0) as usize)];
    for r in runs {
        for &s in &r.quality.spells {
            counts[s as usize - 1] += 1;
        }
    }
    let spells = SpellCounts {
        quality: counts.clone(),
        market: counts,
    };
    let pooled = Pooled {
        spells: &spells,
        seed: 1,
    };
    let mut tally = Tally::new(runs.len() as u64, labs, months, h, 0);
    for (i, r) in runs.iter().enumerate() {
        tally.add(i as u64, r);
    }
    Verdict::judge(&tally, pooled)
}

fn regime(runs: &[RunMeasures]) -> Regime {
    judge(runs, 120, 24).regime
}

const EPS: f64 = 1e-9;
/// Spells that end within a year: a run's spells.
const SHORT: &[u32] = &[6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6];
/// One lead held to the end.
const HELD: &[u32] = &[120];

#[test]
fn race_needs_persistence_well_above_chance() {
    assert_eq!(regime(&runs(100, 60, 0.6, Some(1.0), HELD)), Regime::Race);
    assert_eq!(
        regime(&runs(100, 60, 0.6 - EPS, Some(1.0), HELD)),
        Regime::Mixed
    );
    assert_eq!(
        regime(&runs(100, 60, 0.6 + EPS, Some(1.0), HELD)),
        Regime::Race
    );
}

#[test]
fn race_needs_sixty_percent_of_early_leaders_to_keep_the_lead() {
    assert_eq!(regime(&runs(100, 60, 0.9, Some(1.0), HELD)), Regime::Race);
    assert_eq!(regime(&runs(100, 59, 0.9, Some(1.0), HELD)), Regime::Mixed);
    assert_eq!(regime(&runs(100, 61, 0.9, Some(1.0), HELD)), Regime::Race);
}

#[test]
fn race_needs_a_growing_gap() {
    assert_eq!(regime(&runs(10, 10, 0.9, Some(EPS), HELD)), Regime::Race);
    assert_eq!(regime(&runs(10, 10, 0.9, Some(0.0), HELD)), Regime::Mixed);
    assert_eq!(regime(&runs(10, 10, 0.9, Some(-EPS), HELD)), Regime::Mixed);
    assert_eq!(regime(&runs(10, 10, 0.9, None, HELD)), Regime::Mixed);
}

#[test]
fn run_needs_persistence_near_chance_and_short_spells() {
    assert_eq!(regime(&runs(10, 0, 0.3, Some(0.0), SHORT)), Regime::Run);
    assert_eq!(
        regime(&runs(10, 0, 0.3 + EPS, Some(0.0), SHORT)),
        Regime::Mixed
    );
    assert_eq!(regime(&runs(10, 0, -0.2, Some(0.0), SHORT)), Regime::Run);
    // Persistence near chance, but leads that last: not a run.
    assert_eq!(regime(&runs(10, 0, 0.0, Some(0.0), HELD)), Regime::Mixed);
    // Spells of exactly the horizon are short; a month longer are not.
    assert_eq!(
        regime(&runs(10, 0, 0.0, Some(0.0), &[24, 24, 24, 24, 24])),
        Regime::Run
    );
    assert_eq!(
        regime(&runs(10, 0, 0.0, Some(0.0), &[25, 25, 25, 25, 20])),
        Regime::Mixed
    );
}

#[test]
fn one_lab_is_not_judged() {
    let solo: Vec<RunMeasures> = (0..5).map(|_| run(None, true, None, HELD)).collect();
    let v = judge_labs(&solo, 1, 36, 12);
    assert_eq!(v.regime, Regime::OneLab);
    assert_eq!(v.persistence_norm, None);
    assert!(v.sentence.starts_with("ONE LAB: a single lab always leads"));
    assert!(v.uncertain.is_none());
    assert!(
        v.threshold_sensitivity
            .iter()
            .all(|t| t.regime_lower == "one_lab" && t.regime_higher == "one_lab")
    );
    // Runs without a pair of leaders to compare, among rivals, meet neither rule.
    let v = judge(&solo, 36, 12);
    assert_eq!(v.regime, Regime::Mixed);
    assert!(
        v.sentence
            .contains("does not apply (a single lab always leads)")
    );
}

#[test]
fn a_horizon_shorter_than_the_measures_need_is_not_judged() {
    let race = runs(10, 10, 0.9, Some(1.0), &[24]);
    assert_eq!(months_needed(24), 25);
    assert_eq!(
        months_needed(12),
        24,
        "the early gap window ends at month 23"
    );
    assert_eq!(judge(&race, 25, 24).regime, Regime::Race);
    let short = judge(&race, 24, 24);
    assert_eq!(short.regime, Regime::TooShort);
    assert!(
        short
            .sentence
            .starts_with("TOO SHORT: 24 months cannot be judged")
    );
    assert!(short.uncertain.is_none());
    assert!(
        short
            .threshold_sensitivity
            .iter()
            .all(|s| s.regime_lower == "too_short" && s.regime_higher == "too_short")
    );
    assert_eq!(judge(&race, 23, 12).regime, Regime::TooShort);
    assert_eq!(Regime::of_run(&race[0], 3, 1, 24), Regime::TooShort);
    assert_eq!(Regime::TooShort.name(), "too_short");
}

#[test]
fn one_run_is_judged_by_the_same_rule() {
    let r = run(Some(0.6), true, Some(EPS), HELD);
    assert_eq!(Regime::of_run(&r, 3, 120, 24), Regime::Race);
    assert_eq!(
        Regime::of_run(&run(Some(0.6), false, Some(1.0), HELD), 3, 120, 24),
        Regime::Mixed
    );
    assert_eq!(
        Regime::of_run(&run(Some(0.1), false, Some(1.0), SHORT), 3, 120, 24),
        Regime::Run
    );
    assert_eq!(judge(&[r], 120, 24).regime, Regime::Race);
}

#[test]
fn one_run_gives_no_interval_rather_than_a_zero_width_one() {
    let one = judge(&runs(1, 1, 0.1, Some(3.0), SHORT), 120, 24).sentence;
    assert!(!one.contains("95% CI"), "{one}");
    assert!(
        one.contains("persistence against chance 0.10 (one run, so no interval;"),
        "{one}"
    );
    assert!(
        one.contains("grew by 3 Elo (mean; one run, so no interval)"),
        "{one}"
    );
    let two = judge(&runs(2, 1, 0.1, Some(3.0), SHORT), 120, 24).sentence;
    assert!(two.contains("95% CI 0.10 to 0.10"), "{two}");
}

#[test]
fn an_interval_across_a_threshold_makes_the_verdict_uncertain() {
    // Persistence 0 or 0.56 in alternate runs: mean 0.28, a RUN, but the interval (about
    // 0.24-0.32) reaches the MIXED side of 0.3.
    let mixed: Vec<RunMeasures> = (0..200)
        .map(|i| {
            run(
                Some(if i % 2 == 0 { 0.0 } else { 0.56 }),
                false,
                Some(0.0),
                SHORT,
            )
        })
        .collect();
    let v = judge(&mixed, 120, 24);
    assert_eq!(v.regime, Regime::Run);
    let why = v.uncertain.as_deref().unwrap();
    assert!(
        why.contains("persistence against chance gives MIXED"),
        "{why}"
    );
    assert!(v.sentence.ends_with(&format!(" Uncertain: {why}.")));
    // Every run alike: no spread, nothing uncertain.
    let v = judge(&runs(200, 0, 0.1, Some(0.0), SHORT), 120, 24);
    assert_eq!(v.uncertain, None);
    assert!(!v.sentence.contains("Uncertain"));
}

#[test]
fn threshold_sensitivity_says_which_moves_flip_the_verdict() {
    let v = judge(&runs(100, 100, 0.65, Some(50.0), HELD), 120, 24);
    assert_eq!(v.regime, Regime::Race);
    let shift = |name: &str| {
        v.threshold_sensitivity
            .iter()
            .find(|s| s.threshold == name)
            .unwrap()
            .clone()
    };
    let p = shift("race_persistence");
    assert_eq!((p.lower, p.higher), (0.5, 0.7));
    assert_eq!(
        (p.regime_lower.as_str(), p.regime_higher.as_str()),
        ("race", "mixed")
    );
    let g = shift("race_gap_growth");
    assert_eq!(
        (g.regime_lower.as_str(), g.regime_higher.as_str()),
        ("race", "race")
    );
    // Alternatives read as written: 0.3 - 0.1 is 0.2, not 0.19999999999999998.
    let r = shift("run_persistence");
    assert_eq!((r.lower, r.higher), (0.2, 0.4));
    let s = shift("run_spell_months");
    assert_eq!((s.lower, s.higher), (12.0, 48.0));
    assert_eq!(v.threshold_sensitivity.len(), 5);
}

#[test]
fn the_sentence_gives_the_estimates_and_their_intervals() {
    let v = judge(&runs(40, 10, 0.1, Some(3.0), SHORT), 120, 24);
    assert!(
        v.sentence
            .starts_with("RUN: the quality lead changed 1.0 times a year"),
        "{}",
        v.sentence
    );
    for part in [
        "persistence against chance 0.10",
        "95% CI 0.10 to 0.10",
        "half of the lead spells end within 6 months",
        "still led at the end in 25% of runs",
        "the leader's gap grew by 3 Elo (mean",
        "10.0 percentage points less than the followers'",
    ] {
        assert!(v.sentence.contains(part), "{part:?} not in {}", v.sentence);
    }
    assert_eq!(v.spell_survival.quality.median, Some(6));
}

#[test]
fn brief_flips_beside_a_long_reign_are_both_said() {
    // Four one-month flips and a 116-month reign: half the spells end within a month, a
    // fifth last more than 24 months. A median alone would read as a run.
    let mixed: &[u32] = &[1, 1, 1, 1, 116];
    let v = judge(&runs(40, 40, 0.9, Some(3.0), mixed), 120, 24);
    assert!(
        v.sentence.contains(
            "half of the lead spells end within 1 month, but 20% last more than 24 months"
        ),
        "{}",
        v.sentence
    );
    // Spells that all end early get no such clause.
    let short = judge(&runs(40, 10, 0.1, Some(3.0), SHORT), 120, 24).sentence;
    assert!(!short.contains("last more than"), "{short}");
}

#[test]
fn a_gap_that_barely_moves_is_said_with_its_sign_and_a_decimal() {
    let said = |growth: f64| judge(&runs(40, 10, 0.1, Some(growth), SHORT), 120, 24).sentence;
    assert!(said(-0.23).contains("the leader's gap shrank by 0.2 Elo (mean; 95% CI -0.2 to -0.2)"));
    assert!(said(0.4).contains("the leader's gap grew by 0.4 Elo"));
    assert!(said(0.0).contains("the leader's gap did not change (mean; 95% CI 0.0 to 0.0)"));
    assert!(said(3.0).contains("the leader's gap grew by 3 Elo (mean; 95% CI 3 to 3)"));
}
