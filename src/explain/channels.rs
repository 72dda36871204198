//! The channels of `racerun explain`, each defined once: what it is, when a scenario uses
//! it, and what switching it off does, one function per channel (`*_off` below).
//!
//! A channel is switched off by a transformation of a run's own scenario (its uncertain
//! inputs already drawn) and, where no scenario value can express it, by decisions the
//! engine imposes on the labs ([`Frozen`]): a lab's mean, month by month, over the runs
//! of the factual world ([`Profile`]). A new mechanic that belongs to a channel plugs
//! into that channel's function here, and into [`used`] if it is what makes the channel
//! active.

use crate::engine::Frozen;
use crate::scenario::{Scenario, ScenarioFile};

/// A force that can make a world a race or a run, and can be switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    /// The leader's allocation responds to its own demand and lead.
    Headwind,
    /// AI speeds up research: a lead (`kappa`) and a lab's own model (`kappa_abs`).
    SelfImprovement,
    /// Laggards learn from the leader (`phi`).
    Spillover,
    /// Labs release on different schedules (run lengths, first releases).
    Cadence,
    /// Research luck and release delays.
    Luck,
    /// Revenue and investors' money buy power and GPUs.
    Money,
    /// The GPU supply cap or the world's power additions bind.
    Scarcity,
}

/// Every channel, in the order tables and files list them.
pub const CHANNELS: [Channel; 7] = [
    Channel::Headwind,
    Channel::SelfImprovement,
    Channel::Spillover,
    Channel::Cadence,
    Channel::Luck,
    Channel::Money,
    Channel::Scarcity,
];

impl Channel {
    /// The name in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Headwind => "headwind",
            Channel::SelfImprovement => "self_improvement",
            Channel::Spillover => "spillover",
            Channel::Cadence => "cadence",
            Channel::Luck => "luck",
            Channel::Money => "money",
            Channel::Scarcity => "scarcity",
        }
    }

    /// The channel called `name`.
    pub fn parse(name: &str) -> Option<Channel> {
        CHANNELS.into_iter().find(|c| c.name() == name)
    }

    /// How a sentence names it ("release luck accounts for 70%").
    pub fn phrase(self) -> &'static str {
        match self {
            Channel::Headwind => "the headwind",
            Channel::SelfImprovement => "self-improvement",
            Channel::Spillover => "spillover",
            Channel::Cadence => "the cadence",
            Channel::Luck => "release luck",
            Channel::Money => "money (revenue and investors buying compute)",
            Channel::Scarcity => "scarcity (GPU supply and power)",
        }
    }

    /// How a chart or a table labels it.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Headwind => "headwind",
            Channel::SelfImprovement => "self-improvement",
            Channel::Spillover => "spillover",
            Channel::Cadence => "cadence",
            Channel::Luck => "release luck",
            Channel::Money => "money",
            Channel::Scarcity => "scarcity",
        }
    }

    /// What the world with this channel off is, in one line (files and `--help`).
    pub fn off_meaning(self) -> &'static str {
        match self {
            Channel::Headwind => {
                "each responsive lab trains those labs' factual mean fraction of the month plus its own mean departure from it, whatever its lead and demand (fixed and schedule labs keep theirs)"
            }
            Channel::SelfImprovement => {
                "kappa = 0 and kappa_abs = 0: neither a lead nor a lab's own model speeds its research"
            }
            Channel::Spillover => "phi = 0: laggards get nothing for free",
            Channel::Cadence => {
                "every lab trains runs of the labs' mean length and releases first at their mean first release"
            }
            Channel::Luck => "release_sigma = 0 and release_delay_max = 0 (demand shocks stay)",
            Channel::Money => {
                "each lab spends on power and GPUs the labs' factual mean total of the month times its own share of all spending, whatever its cash and investors"
            }
            Channel::Scarcity => {
                "the GPU supply cap and the world's power additions lifted (GPUs at the base price)"
            }
        }
    }
}

/// What the factual world's runs pin down for the worlds that switch channels off: the
/// training fractions and spending imposed on the labs, `[month * labs + lab]`, and
/// whether scarcity ever binds.
///
/// The imposed series keep what does not respond to a run's own history (the labs'
/// common time profile and each lab's own level) and drop what does (a lab's
/// month-to-month departures from them, which is where it responds to its lead and its
/// demand). A lab's own mean month by month would not do: in a world without luck every
/// run has the same leaders at the same months, so those means replay the factual
/// responses on schedule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Imposed training fraction: the labs' mean at that month plus the lab's own mean
    /// departure from the labs' mean over the horizon (all means over the profile's factual
    /// runs, [`super::PROFILE_RUNS`] of them for `racerun explain`);
    /// NaN for a lab whose policy does not respond, which keeps deciding for itself.
    pub train_fraction: Vec<f64>,
    /// Imposed spending on power and GPUs, USD: the labs' total at that month times the
    /// lab's share of all spending over the horizon (means over the profile's factual runs).
    pub spending: Vec<f64>,
    /// Whether the labs took the whole GPU supply or the world's power additions, or
    /// ordered more than the supply at the base GPU price (which then rose), in any
    /// month of any of the profile's factual runs.
    pub supply_binds: bool,
}

impl Profile {
    /// The profile from the factual runs' means of each lab's training fraction and
    /// spending, `[month * labs + lab]`. A lab whose policy does not respond
    /// (`responds[i]` false: `fixed`, `schedule`) keeps its own fractions (NaN: nothing
    /// imposed), the run's own even where its policy's values are uncertain inputs drawn
    /// per run; the common profile and the levels are those of the labs that respond.
    pub fn from_means(
        train: &[f64],
        spending: &[f64],
        responds: &[bool],
        supply_binds: bool,
    ) -> Profile {
        let labs = responds.len().max(1);
        let months = train.len() / labs;
        let at = |v: &[f64], m: usize, i: usize| v[m * labs + i];
        let active: Vec<usize> = (0..labs).filter(|&i| responds[i]).collect();
        // Training: common time profile plus the lab's own level.
        let mean_of = |m: usize| {
            active.iter().map(|&i| at(train, m, i)).sum::<f64>() / active.len().max(1) as f64
        };
        let overall = (0..months).map(mean_of).sum::<f64>() / months.max(1) as f64;
        let level: Vec<f64> = (0..labs)
            .map(|i| {
                (0..months).map(|m| at(train, m, i)).sum::<f64>() / months.max(1) as f64 - overall
            })
            .collect();
        let mut train_fraction = Vec::with_capacity(train.len());
        for m in 0..months {
            let common = mean_of(m);
            train_fraction.extend((0..labs).map(|i| {
                if responds[i] {
                    (common + level[i]).clamp(0.0, 1.0)
                } else {
                    f64::NAN
                }
            }));
        }
        // Spending: the month's total, split by each lab's share of all spending.
        let all: f64 = spending.iter().sum();
        let share: Vec<f64> = (0..labs)
            .map(|i| {
                let own: f64 = (0..months).map(|m| at(spending, m, i)).sum();
                if all > 0.0 { own / all } else { 0.0 }
            })
            .collect();
        let mut imposed = Vec::with_capacity(spending.len());
        for m in 0..months {
            let total: f64 = (0..labs).map(|i| at(spending, m, i)).sum();
            imposed.extend(share.iter().map(|s| total * s));
        }
        Profile {
            train_fraction,
            spending: imposed,
            supply_binds,
        }
    }
}

/// Whether a lab's allocation responds to its own demand or lead: every policy but
/// `fixed` and `schedule`, whose fractions are the same in every run.
pub fn responds(lab: &crate::scenario::Lab) -> bool {
    !matches!(lab.policy.kind(), "fixed" | "schedule")
}

/// Whether `scenario` uses `channel`: a channel it does not use is reported as zero
/// without simulating. [`Channel::Scarcity`] is known only from the profile's factual
/// runs (`profile`; without one it counts as used).
pub fn used(channel: Channel, scenario: &Scenario, profile: Option<&Profile>) -> bool {
    let uncertain = |path: &str| scenario.uncertain().iter().any(|u| u.path == path);
    let lab_uncertain = |key: &str| {
        scenario
            .uncertain()
            .iter()
            .any(|u| u.path.starts_with("labs.") && u.path.ends_with(&format!(".{key}")))
    };
    let world = &scenario.world;
    let labs = &scenario.labs;
    match channel {
        Channel::Headwind => labs.iter().any(responds),
        Channel::SelfImprovement => {
            world.dynamics.kappa > 0.0
                || world.dynamics.kappa_abs > 0.0
                || uncertain("world.dynamics.kappa")
                || uncertain("world.dynamics.kappa_abs")
        }
        Channel::Spillover => world.dynamics.phi > 0.0 || uncertain("world.dynamics.phi"),
        Channel::Cadence => {
            let first = |l: &crate::scenario::Lab| l.first_release.unwrap_or(l.run_months);
            labs.iter()
                .any(|l| l.run_months != labs[0].run_months || first(l) != first(&labs[0]))
        }
        Channel::Luck => {
            world.algorithms.release_sigma > 0.0
                || uncertain("world.algorithms.release_sigma")
                || world.algorithms.release_delay_max > 0
        }
        Channel::Money => labs.iter().any(|l| l.reinvest > 0.0) || lab_uncertain("reinvest"),
        Channel::Scarcity => profile.is_none_or(|p| p.supply_binds),
    }
}

/// The counterfactual world of a run with `off` switched off: its scenario (`scenario`
/// is the run's own, uncertain inputs drawn) and the decisions imposed on its labs.
pub fn world(scenario: &Scenario, off: &[Channel], profile: &Profile) -> (Scenario, Frozen) {
    let mut frozen = Frozen::default();
    let scenario = scenario.altered(|file| {
        for &channel in off {
            let mut switch = Switch {
                file: &mut *file,
                frozen: &mut frozen,
                profile,
            };
            match channel {
                Channel::Headwind => headwind_off(&mut switch),
                Channel::SelfImprovement => self_improvement_off(&mut switch),
                Channel::Spillover => spillover_off(&mut switch),
                Channel::Cadence => cadence_off(&mut switch),
                Channel::Luck => luck_off(&mut switch),
                Channel::Money => money_off(&mut switch),
                Channel::Scarcity => scarcity_off(&mut switch),
            }
        }
    });
    (scenario, frozen)
}

/// What a channel's switch may change: the run's scenario values and the decisions
/// imposed on its labs, given the factual world's profile.
pub struct Switch<'a> {
    /// The run's scenario, resolved.
    pub file: &'a mut ScenarioFile,
    /// Decisions imposed instead of the labs' own.
    pub frozen: &'a mut Frozen,
    /// The factual world's means.
    pub profile: &'a Profile,
}

/// Headwind off: allocation no longer responds to the lab's own demand or lead. Each lab
/// whose policy responds trains, month by month, those labs' mean training fraction at
/// that month plus its own mean departure from it over the horizon (means over the
/// profile's factual runs, same seed; see [`Profile`]): the common time profile and the
/// lab's level stay, its response to this run's lead and demand goes. `fixed` and
/// `schedule` labs keep their own fractions.
pub fn headwind_off(s: &mut Switch<'_>) {
    s.frozen.train_fraction = Some(s.profile.train_fraction.clone());
}

/// Self-improvement off: neither a lead (`kappa = 0`) nor a lab's own model
/// (`kappa_abs = 0`) speeds its research.
pub fn self_improvement_off(s: &mut Switch<'_>) {
    s.file.world.dynamics.kappa = 0.0;
    s.file.world.dynamics.kappa_abs = 0.0;
}

/// Spillover off: laggards get no part of their gap for free (`phi = 0`).
pub fn spillover_off(s: &mut Switch<'_>) {
    s.file.world.dynamics.phi = 0.0;
}

/// Cadence off: releases synchronised. Every lab trains runs of the labs' mean run length
/// (rounded, at least 1 month) and releases first at the labs' mean first release
/// (rounded, between 1 and that run length), so all labs release in the same months.
pub fn cadence_off(s: &mut Switch<'_>) {
    let labs = &mut s.file.labs;
    let n = labs.len().max(1) as f64;
    let mean = |f: &dyn Fn(&crate::scenario::Lab) -> u32| {
        (labs.iter().map(|l| f64::from(f(l))).sum::<f64>() / n).round() as u32
    };
    let run_months = mean(&|l| l.run_months).max(1);
    let first = mean(&|l| l.first_release.unwrap_or(l.run_months)).clamp(1, run_months);
    for lab in labs.iter_mut() {
        lab.run_months = run_months;
        lab.first_release = Some(first);
    }
}

/// Luck off: no research luck and no release delays. Demand shocks stay: they are not
/// release luck, and every world keeps them.
pub fn luck_off(s: &mut Switch<'_>) {
    s.file.world.algorithms.release_sigma = 0.0;
    s.file.world.algorithms.release_delay_max = 0;
}

/// Money off: spending on power and GPUs no longer responds to this run's revenue or
/// to investors following revenue and standing. Each lab spends, month by month, the
/// labs' mean total spending at that month times its own share of all spending over the
/// horizon (means over the profile's factual runs; see [`Profile`]), whatever its cash; no deficit
/// forces a sale. GPU supply, prices and power still limit what that money buys.
pub fn money_off(s: &mut Switch<'_>) {
    s.frozen.spending = Some(s.profile.spending.clone());
}

/// GPU supply cap used in the worlds without scarcity: the catalogue's largest supply,
/// which no order of a scenario within the limits reaches.
pub const UNCAPPED_SUPPLY: f64 = 1e10;

/// Power the world can add per year in the worlds without scarcity, GW: the catalogue's
/// largest.
pub const UNCAPPED_POWER: f64 = 1e6;

/// Scarcity off: the GPU supply cap is lifted (supply at [`UNCAPPED_SUPPLY`] a month,
/// growing as the scenario says but never shrinking, no wave needed), so every order is
/// filled at the base price, and so are the world's power additions ([`UNCAPPED_POWER`],
/// never shrinking either): a lab's power waits only for its build time and its money.
pub fn scarcity_off(s: &mut Switch<'_>) {
    let world = &mut s.file.world;
    world.gpus.supply = UNCAPPED_SUPPLY;
    // Neither growth below 1 a year: a cap that shrinks from 1e10 can bind again.
    world.gpus.supply_growth = world.gpus.supply_growth.max(1.0);
    world.gpus.supply_growth_long = world.gpus.supply_growth_long.max(1.0);
    world.power.additions = UNCAPPED_POWER;
    world.power.additions_growth = world.power.additions_growth.max(1.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(text: &str) -> Scenario {
        Scenario::load(text, "test", &[]).unwrap()
    }

    const TWO: &str = "name = \"t\"\n[world.dynamics]\nkappa = 0.5\n\
        [[labs]]\nid = \"a\"\nrun_months = 4\nfirst_release = 1\npolicy = { kind = \"serve_first\" }\n\
        [[labs]]\nid = \"b\"\nrun_months = 7\nfirst_release = 6\npolicy = { kind = \"fixed\", train = 0.6 }\n";

    #[test]
    fn names_parse_back_and_are_distinct() {
        for c in CHANNELS {
            assert_eq!(Channel::parse(c.name()), Some(c));
        }
        assert_eq!(Channel::parse("nope"), None);
    }

    #[test]
    fn use_follows_the_scenario() {
        let s = scenario(TWO);
        let used_by = |c| used(c, &s, Some(&Profile::default()));
        assert!(used_by(Channel::Headwind), "serve_first responds to demand");
        assert!(used_by(Channel::SelfImprovement));
        assert!(!used_by(Channel::Spillover), "phi defaults to 0");
        assert!(used_by(Channel::Cadence));
        assert!(used_by(Channel::Luck), "release_sigma defaults to 15");
        assert!(used_by(Channel::Money));
        assert!(
            !used_by(Channel::Scarcity),
            "the profile says supply never binds"
        );
        assert!(used(Channel::Scarcity, &s, None));
        let fixed = scenario(&TWO.replace("kind = \"serve_first\"", "kind = \"fixed\""));
        assert!(!used(Channel::Headwind, &fixed, None));
        let uncertain = scenario(&TWO.replace(
            "kappa = 0.5",
            "kappa = 0.0\nkappa_abs = 0.0\nphi = { dist = \"uniform\", min = 0.0, max = 0.5 }",
        ));
        assert!(!used(Channel::SelfImprovement, &uncertain, None));
        assert!(used(Channel::Spillover, &uncertain, None));
    }

    #[test]
    fn the_profile_keeps_the_common_time_profile_and_each_labs_level() {
        // Two labs, three months. Training: lab 0 at 0.2, 0.8, 0.2 and lab 1 at 0.8, 0.2,
        // 0.8 (they take turns): the common profile is 0.5 every month; lab 0's level is
        // 0.4 - 0.5 = -0.1, lab 1's +0.1.
        let train = [0.2, 0.8, 0.8, 0.2, 0.2, 0.8];
        // Orders: totals 10, 20, 30; lab 0 ordered 6 + 4 + 20 = 30 of 60.
        let orders = [6.0, 4.0, 4.0, 16.0, 20.0, 10.0];
        let p = Profile::from_means(&train, &orders, &[true, true], false);
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert!(
            close(&p.train_fraction, &[0.4, 0.6, 0.4, 0.6, 0.4, 0.6]),
            "{:?}",
            p.train_fraction
        );
        assert!(
            close(&p.spending, &[5.0, 5.0, 10.0, 10.0, 15.0, 15.0]),
            "{:?}",
            p.spending
        );
        let none = Profile::from_means(&train, &[0.0; 6], &[true, true], false);
        assert_eq!(none.spending, vec![0.0; 6]);
        // A lab that does not respond keeps its own fractions (nothing is imposed on it);
        // the others' common profile is then theirs alone.
        let train = [0.7, 0.2, 0.7, 0.8, 0.7, 0.2];
        let p = Profile::from_means(&train, &orders, &[false, true], false);
        let imposed: Vec<f64> = p
            .train_fraction
            .iter()
            .skip(1)
            .step_by(2)
            .copied()
            .collect();
        assert!(close(&imposed, &[0.2, 0.8, 0.2]), "{:?}", p.train_fraction);
        assert!(
            p.train_fraction.iter().step_by(2).all(|f| f.is_nan()),
            "{:?}",
            p.train_fraction
        );
    }

    #[test]
    fn imposed_fractions_leave_labs_that_do_not_respond_to_their_own_policy() {
        // Lab 0 is `fixed`, lab 1 responds: only lab 1's fraction is imposed, so a fixed
        // lab whose fraction is drawn per run keeps its own draw.
        let train = [0.7, 0.2, 0.7, 0.8, 0.7, 0.2];
        let p = Profile::from_means(&train, &[0.0; 6], &[false, true], false);
        let frozen = Frozen {
            train_fraction: Some(p.train_fraction),
            spending: None,
        };
        for (month, own) in [0.2, 0.8, 0.2].into_iter().enumerate() {
            assert_eq!(frozen.train_fraction(month, 2, 0), None, "month {month}");
            assert_eq!(
                frozen.train_fraction(month, 2, 1),
                Some(own),
                "month {month}"
            );
        }
    }

    #[test]
    fn scarcity_off_lifts_the_cap_in_every_month_even_where_supply_would_shrink() {
        // A supply cap whose long-run growth is below 1 a year (allowed down to 0.01)
        // shrinks: from 1e10 it would fall under the labs' orders within the horizon.
        let s = scenario(&TWO.replace(
            "[world.dynamics]",
            "[world.gpus]\nsupply_growth_long = 0.05\nsupply_halflife = 1.0\n[world.dynamics]",
        ));
        let (w, _) = world(&s, &[Channel::Scarcity], &Profile::default());
        let calendar = crate::engine::Calendar::new(&w);
        for m in 0..w.months as usize {
            let month = calendar.month(m);
            assert!(
                month.supply >= UNCAPPED_SUPPLY,
                "month {m}: {}",
                month.supply
            );
            assert!(
                month.power_additions * 12.0 >= UNCAPPED_POWER,
                "month {m}: {}",
                month.power_additions
            );
        }
    }

    #[test]
    fn every_switch_keeps_the_scenario_valid_and_does_what_it_says() {
        let s = scenario(TWO);
        let profile = Profile {
            train_fraction: vec![0.4; 240],
            spending: vec![7.0; 240],
            supply_binds: true,
        };
        let (w, frozen) = world(&s, &CHANNELS, &profile);
        // The altered world reloads through validation unchanged.
        let again = Scenario::load(&w.to_toml(), "world", &[]).unwrap();
        assert_eq!(again.to_toml(), w.to_toml());
        assert_eq!(w.world.dynamics.kappa, 0.0);
        assert_eq!(w.world.algorithms.release_sigma, 0.0);
        assert_eq!(w.world.gpus.supply, UNCAPPED_SUPPLY);
        // Run lengths 4 and 7 -> 6 (5.5 rounded); first releases 1 and 6 -> 4 (3.5).
        for lab in &w.labs {
            assert_eq!((lab.run_months, lab.first_release), (6, Some(4)));
        }
        assert_eq!(
            frozen.train_fraction.as_deref(),
            Some(&profile.train_fraction[..])
        );
        assert_eq!(frozen.spending.as_deref(), Some(&profile.spending[..]));
        let (w, frozen) = world(&s, &[Channel::Spillover], &profile);
        // phi is already 0 here: switching spillover off changes nothing.
        assert_eq!(w.to_toml(), s.to_toml());
        assert!(frozen.is_empty());
    }
}
