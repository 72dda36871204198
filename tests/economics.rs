//! Lever tests of the second generation's economics: each mechanic moves the world in the
//! direction its equation says, on a small world (tests/fixtures/economics.toml) under
//! common random numbers (the same seeds in both worlds, so the difference is the lever's).

use racerun::engine::{Engine, State};
use racerun::montecarlo::{self, MonteCarlo};
use racerun::output::Summary;
use racerun::scenario::{Override, Scenario};

const SEED: u64 = 5;
const RUNS: u64 = 200;

fn scenario(sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/economics.toml");
    Scenario::from_path(&path, &overrides).unwrap()
}

/// Calls `f` with every month's state of runs `0..runs`, same seed.
fn each_month(s: &Scenario, runs: u64, mut f: impl FnMut(&State)) {
    for run in 0..runs {
        Engine::new(s, SEED, run)
            .run(&mut |st: &State| f(st))
            .unwrap();
    }
}

/// The mean over runs and months of `f(state)`.
fn mean_of(s: &Scenario, runs: u64, f: impl Fn(&State) -> f64) -> f64 {
    let (mut total, mut n) = (0.0, 0.0);
    each_month(s, runs, |st| {
        total += f(st);
        n += 1.0;
    });
    total / n
}

/// The mean over runs of `f` of the last month's state.
fn final_mean(s: &Scenario, runs: u64, f: impl Fn(&State) -> f64) -> f64 {
    let months = s.months;
    let (mut total, mut n) = (0.0, 0.0);
    each_month(s, runs, |st| {
        if st.world.month + 1 == months {
            total += f(st);
            n += 1.0;
        }
    });
    total / n
}

fn summary(s: &Scenario, runs: u64) -> Summary {
    let mc = MonteCarlo {
        seed: SEED,
        runs: 0..runs,
        total: runs,
        threads: 2,
        samples: 0,
    };
    Summary::new(s, SEED, &montecarlo::run(s, &mc, &|_| {}).unwrap())
}

/// The best lab's index this month.
fn leader(st: &State) -> usize {
    let mut best = 0;
    for (i, l) in st.labs.iter().enumerate() {
        if l.quality > st.labs[best].quality {
            best = i;
        }
    }
    best
}

// --- prices and scarcity --------------------------------------------------------------

/// Lab `a` is sold out: the best models, a brand, and a fixed policy that keeps most of
/// its GPUs training, so its customers want more than it can serve.
const SOLD_OUT: [&str; 2] = ["labs.a.brand=1.0", "labs.a.policy.kind=fixed"];

#[test]
fn price_response_lets_a_sold_out_leader_keep_more_revenue() {
    let world = |response: &str| {
        let mut sets = SOLD_OUT.to_vec();
        sets.push(response);
        scenario(&sets)
    };
    let (flat, responsive) = (
        world("world.market.price_response=0"),
        world("world.market.price_response=2"),
    );
    let revenue = |s: &Scenario| mean_of(s, RUNS, |st| st.labs[0].revenue);
    let utilisation = |s: &Scenario| mean_of(s, RUNS, |st| st.labs[0].demand / st.labs[0].capacity);
    assert!(
        utilisation(&flat) > 1.2,
        "lab a is sold out: {}",
        utilisation(&flat)
    );
    let (r0, r2) = (revenue(&flat), revenue(&responsive));
    assert!(
        r2 > 1.2 * r0,
        "lab a's revenue: flat prices {r0:.3e}, responsive {r2:.3e}"
    );
    // The extra is scarcity rent: its price above the reference.
    let rent = mean_of(&responsive, RUNS, |st| st.labs[0].rent);
    assert!(rent > 0.1 * r2, "rent {rent:.3e} of revenue {r2:.3e}");
    // With flat prices it charges its list price, the reference: no rent.
    assert!(mean_of(&flat, RUNS, |st| st.labs[0].rent) < 1e-9 * r0);
}

#[test]
fn price_sensitive_customers_leave_a_dear_lab() {
    // Responsive prices make the sold-out lab dear; the more customers weigh price, the
    // more of them it sheds to its rivals.
    let world = |alpha: &str| {
        let mut sets = SOLD_OUT.to_vec();
        sets.extend(["world.market.price_response=2", alpha]);
        scenario(&sets)
    };
    let share = |s: &Scenario| mean_of(s, RUNS, |st| st.labs[0].customers);
    let (blind, sensitive) = (
        share(&world("world.market.price_sensitivity=0")),
        share(&world("world.market.price_sensitivity=3")),
    );
    assert!(
        sensitive < blind - 0.03,
        "lab a's share: {blind:.3} blind to price, {sensitive:.3} sensitive"
    );
}

// --- investors ------------------------------------------------------------------------

#[test]
fn investor_money_follows_the_leader() {
    // The leader's share of the pool, month by month: higher when investors chase
    // standing than when they keep their month-0 allocation (an equal split).
    let share = |s: &Scenario| mean_of(s, RUNS, |st| st.labs[leader(st)].invest_share);
    let stay = scenario(&[
        "world.investors.follow_revenue=0",
        "world.investors.follow_leader=0",
    ]);
    let chase = scenario(&[
        "world.investors.follow_revenue=0",
        "world.investors.follow_leader=1",
    ]);
    let (s0, s1) = (share(&stay), share(&chase));
    assert!(
        (s0 - 1.0 / 3.0).abs() < 1e-9,
        "no following keeps the split: {s0}"
    );
    assert!(
        s1 > s0 + 0.05,
        "leader's share of the pool: {s0:.3} -> {s1:.3}"
    );
    // Following revenue favours the lab that earns most (lab a, the best models).
    let revenue = scenario(&[
        "world.investors.follow_revenue=1",
        "world.investors.follow_leader=0",
    ]);
    let a = final_mean(&revenue, RUNS, |st| st.labs[0].invest_share);
    let b = final_mean(&revenue, RUNS, |st| st.labs[1].invest_share);
    assert!(
        a > 1.0 / 3.0 + 0.03 && a > b,
        "shares following revenue: a {a:.3}, b {b:.3}"
    );
}

#[test]
fn the_pool_stays_within_its_share_of_world_output() {
    // Pool growth of 3x a year for five years would be 243 times month 0's; the bound of
    // 1% of world output stops it near $1.4T a year.
    let s = scenario(&["world.investors.pool_growth=3", "months=120"]);
    let mut most: f64 = 0.0;
    each_month(&s, 1, |st| most = most.max(st.world.pool * 12.0));
    let gdp_2034 = 1.1e14 * 1.05f64.powf(10.0);
    assert!(most <= 0.01 * gdp_2034, "pool {most:.3e} a year");
    assert!(
        most > 0.9 * 0.01 * 1.1e14 * 1.05f64.powf(9.0),
        "the bound binds: {most:.3e}"
    );
}

#[test]
fn investors_fund_a_runway_and_keep_the_rest() {
    // Labs draw on their offer only up to `runway_months` of their net burn in cash: a
    // longer runway leaves more cash with the labs and more of the pool drawn; no month
    // draws more than the pool, and with a short runway part of it stays with investors.
    let short = scenario(&["world.investors.runway_months=3"]);
    let long = scenario(&["world.investors.runway_months=36"]);
    let cash = |s: &Scenario| mean_of(s, RUNS, |st| st.labs.iter().map(|l| l.cash).sum());
    let drawn = |s: &Scenario| {
        mean_of(s, RUNS, |st| {
            st.labs.iter().map(|l| l.funding).sum::<f64>() / st.world.pool
        })
    };
    let (c3, c36) = (cash(&short), cash(&long));
    let (d3, d36) = (drawn(&short), drawn(&long));
    assert!(c36 > 5.0 * c3, "cash held: {c3:.3e} -> {c36:.3e}");
    assert!(d36 > d3, "share of the pool drawn: {d3:.3} -> {d36:.3}");
    assert!(
        d3 < 0.9,
        "a short runway leaves money with investors: {d3:.3}"
    );
    // From the recorded flows alone: a lab that took part of its offer ended the month's
    // money step holding exactly its runway (last month's cash plus this month's revenue,
    // less opex, plus funding, is 3 months of net burn: last month's trailing spending
    // less this month's trailing revenue); one that took nothing already held more.
    let mut last: Option<State> = None;
    let (mut partial, mut none) = (0, 0);
    each_month(&short, 20, |st| {
        if let Some(prev) = last.as_ref().filter(|_| st.world.month > 0) {
            for (lab, before) in st.labs.iter().zip(&prev.labs) {
                let offer = lab.invest_share * st.world.pool;
                let held = before.cash + lab.revenue - lab.opex + lab.funding;
                let runway = 3.0 * (before.trailing_spending - lab.trailing_revenue).max(0.0);
                if lab.funding > 0.0 && lab.funding < offer * (1.0 - 1e-9) {
                    partial += 1;
                    assert!(
                        (held - runway).abs() <= 1e-9 * runway,
                        "month {}: holds {held:.6e}, runway {runway:.6e}",
                        st.world.month
                    );
                } else if lab.funding == 0.0 && offer > 0.0 {
                    none += 1;
                    assert!(
                        held >= runway,
                        "month {}: {held:.4e} < {runway:.4e}",
                        st.world.month
                    );
                }
            }
        }
        last = Some(st.clone());
    });
    assert!(
        partial > 100 && none > 0,
        "partial draws {partial}, none {none}"
    );
}

#[test]
fn a_lab_that_earns_more_than_it_spends_pays_out_the_cash_above_its_reserve() {
    // Little power to build, so the labs soon earn more than they can spend. A longer
    // reserve keeps more cash and pays out less; a reserve of 1,200 months keeps it all
    // (the first generation's labs hoarded what they earned).
    let world = |reserve: &str| {
        scenario(&[
            "world.power.additions=0.05",
            "world.power.additions_growth=1",
            reserve,
        ])
    };
    let (short, long, hoard) = (
        world("world.investors.reserve_months=3"),
        world("world.investors.reserve_months=24"),
        world("world.investors.reserve_months=1200"),
    );
    let cash = |s: &Scenario| final_mean(s, 50, |st| st.labs.iter().map(|l| l.cash).sum());
    let paid = |s: &Scenario| mean_of(s, 50, |st| st.labs.iter().map(|l| l.payout).sum());
    let (c3, c24, c1200) = (cash(&short), cash(&long), cash(&hoard));
    let (p3, p24, p1200) = (paid(&short), paid(&long), paid(&hoard));
    assert!(
        c3 < c24 && c24 < c1200 / 2.0,
        "cash at the end: {c3:.3e} < {c24:.3e} < {c1200:.3e} / 2"
    );
    assert!(
        p3 > p24 && p1200 == 0.0,
        "paid out a month: {p3:.3e} > {p24:.3e}, {p1200:.3e}"
    );
    // From the recorded state alone: a lab that paid out ends the month holding exactly 3
    // months of its trailing spending; one that paid nothing either burns cash (its
    // trailing revenue is below its trailing spending) or holds at most that.
    let (mut paying, mut keeping) = (0, 0);
    each_month(&short, 20, |st| {
        for lab in &st.labs {
            let reserve = 3.0 * lab.trailing_spending;
            if lab.payout > 0.0 {
                paying += 1;
                assert!(
                    lab.trailing_revenue >= lab.trailing_spending,
                    "month {}: paid out while burning cash",
                    st.world.month
                );
                assert!(
                    (lab.cash - reserve).abs() <= 1e-9 * reserve,
                    "month {}: holds {:.6e} after paying out, reserve {reserve:.6e}",
                    st.world.month,
                    lab.cash
                );
            } else if lab.trailing_revenue >= lab.trailing_spending {
                keeping += 1;
                assert!(
                    lab.cash <= reserve,
                    "month {}: {:.4e} above its reserve {reserve:.4e} and paid nothing",
                    st.world.month,
                    lab.cash
                );
            }
        }
    });
    assert!(
        paying > 100,
        "lab-months paying out: {paying} (keeping {keeping})"
    );
}

#[test]
fn demand_that_responds_to_price_leaves_fewer_customers_unserved() {
    // With price_elasticity > 0 total demand falls as the price customers pay rises above
    // the reference, so sold-out labs face less excess demand: total demand is lower and a
    // larger share of what is asked is served. The fixture's labs sell out. (50 runs.)
    let served_share = |s: &Scenario| {
        mean_of(s, 50, |st| {
            let served: f64 = st.labs.iter().map(|l| l.served).sum();
            served / st.world.total_demand
        })
    };
    let demand = |s: &Scenario| mean_of(s, 50, |st| st.world.total_demand);
    let (deaf, elastic) = (
        scenario(&["world.demand.price_elasticity=0"]),
        scenario(&["world.demand.price_elasticity=2"]),
    );
    let (d0, d2) = (demand(&deaf), demand(&elastic));
    let (s0, s2) = (served_share(&deaf), served_share(&elastic));
    // Means over 50 runs of 60 months: demand 1.85e6 -> 1.55e6, share served 0.905 ->
    // 0.926.
    assert!(d2 < 0.9 * d0, "total demand {d0:.4e} -> {d2:.4e}");
    assert!(s2 > s0 + 0.01, "share of demand served {s0:.3} -> {s2:.3}");
}

#[test]
fn demand_growth_that_slows_leaves_fewer_customers_unserved() {
    // world.demand.growth_long: demand's yearly growth starts at `growth` (2x here) and
    // falls toward 1.1x, the excess halving every year. Late in the run total demand is
    // then well below the constant-growth world's, and a larger share of it is served
    // by the same kind of fleets. Without growth_long the calendar is exactly `growth`
    // compounded (the bundled scenarios' outputs did not move).
    let last_year = |s: &Scenario, f: fn(&State) -> f64| {
        let (mut total, mut n) = (0.0, 0.0);
        each_month(s, 50, |st| {
            if st.world.month >= 48 {
                total += f(st);
                n += 1.0;
            }
        });
        total / n
    };
    let served_share = |st: &State| {
        let served: f64 = st.labs.iter().map(|l| l.served).sum();
        served / st.world.total_demand
    };
    let steady = scenario(&["world.demand.growth=2"]);
    let slowing = scenario(&[
        "world.demand.growth=2",
        "world.demand.growth_long=1.1",
        "world.demand.growth_halflife=1",
    ]);
    let demand = |st: &State| st.world.total_demand;
    let (d_steady, d_slowing) = (last_year(&steady, demand), last_year(&slowing, demand));
    let (s_steady, s_slowing) = (
        last_year(&steady, served_share),
        last_year(&slowing, served_share),
    );
    // Means over 50 runs of months 48-59: demand 1.24e7 -> 2.10e6, share served 0.486 ->
    // 0.954.
    assert!(
        d_slowing < 0.5 * d_steady,
        "demand in the last year {d_steady:.4e} -> {d_slowing:.4e}"
    );
    assert!(
        s_slowing > s_steady + 0.02,
        "share of demand served {s_steady:.3} -> {s_slowing:.3}"
    );
}

// --- power and GPUs -------------------------------------------------------------------

#[test]
fn the_power_cap_binds_and_stops_fleet_growth() {
    // GPUs that have power, in the last year: they grow with ample power additions and
    // barely move when the world may add almost none.
    let powered = |s: &Scenario, month: u32| {
        let mut total = 0.0;
        each_month(s, 50, |st| {
            if st.world.month == month {
                total += st.labs.iter().map(|l| l.powered).sum::<f64>();
            }
        });
        total
    };
    // A short power lag, so that the power planned before month 0 runs out within the
    // horizon, and GPUs that do not get more efficient (else a fixed amount of power runs
    // more H100e each year as old GPUs are replaced).
    let ample = scenario(&[
        "world.power.lag=3",
        "world.power.efficiency_gain=1",
        "world.power.additions=1000",
    ]);
    let capped = scenario(&[
        "world.power.lag=3",
        "world.power.efficiency_gain=1",
        "world.power.additions=0.01",
        "world.power.additions_growth=1",
    ]);
    let growth = |s: &Scenario| powered(s, 59) / powered(s, 47);
    let (g_ample, g_capped) = (growth(&ample), growth(&capped));
    assert!(
        g_ample > 1.5,
        "ample power: powered fleet x{g_ample:.2} in the last year"
    );
    assert!(
        g_capped < 1.05,
        "capped power: powered fleet x{g_capped:.2} in the last year"
    );
}

#[test]
fn gpus_get_dearer_when_orders_exceed_supply_and_supply_growth_slows() {
    let price = |s: &Scenario| mean_of(s, 50, |st| st.world.gpu_price);
    let (rationed, responsive) = (
        scenario(&["world.gpus.price_response=0"]),
        scenario(&["world.gpus.price_response=1"]),
    );
    assert!(price(&responsive) > 1.5 * price(&rationed));
    // Supply growth that decays to 1.1x a year leaves smaller fleets than one that stays
    // at 2.5x.
    let fleet = |s: &Scenario| final_mean(s, 50, |st| st.labs.iter().map(|l| l.fleet).sum());
    let lasting = scenario(&[
        "world.gpus.supply_growth_long=2.5",
        "world.power.additions=1000",
    ]);
    let decaying = scenario(&[
        "world.gpus.supply_growth_long=1.1",
        "world.power.additions=1000",
    ]);
    assert!(fleet(&decaying) < 0.7 * fleet(&lasting));
}

// --- capability that accumulates ------------------------------------------------------

#[test]
fn carry_over_raises_persistence() {
    // Symmetric labs in a slowly growing world (a run's own compute is not much more than
    // the last one's): the deployed model's head start, luck included, carries into the
    // next run, so leads last longer.
    let world = |carry: &'static str| {
        scenario(&[
            carry,
            "labs.a.research_efficiency=1",
            "world.algorithms.algo_progress=1.3",
            "world.gpus.supply_growth=1.2",
            "world.gpus.supply_growth_long=1.2",
        ])
    };
    let none = summary(&world("world.dynamics.carry_over=0"), 400);
    let much = summary(&world("world.dynamics.carry_over=0.9"), 400);
    let p = |s: &Summary| s.measures["persistence_quality"].mean;
    assert!(
        p(&much) > p(&none) + 0.02,
        "persistence {:.3} -> {:.3}",
        p(&none),
        p(&much)
    );
}

#[test]
fn absolute_self_improvement_speeds_every_lab() {
    let frontier = |s: &Scenario| final_mean(s, 50, |st| st.world.frontier);
    let off = frontier(&scenario(&["world.dynamics.kappa_abs=0"]));
    let on = frontier(&scenario(&["world.dynamics.kappa_abs=1"]));
    assert!(on > off + 20.0, "final frontier {off:.0} -> {on:.0} Elo");
    // And the laggard too: the worst lab's final quality rises.
    let worst = |s: &Scenario| {
        final_mean(s, 50, |st| {
            st.labs
                .iter()
                .map(|l| l.quality)
                .fold(f64::INFINITY, f64::min)
        })
    };
    assert!(
        worst(&scenario(&["world.dynamics.kappa_abs=1"]))
            > worst(&scenario(&["world.dynamics.kappa_abs=0"])) + 20.0
    );
}

#[test]
fn inference_time_compute_raises_the_leaders_serving_share() {
    // Symmetric serve-first labs keep the GPUs their demand needs; the leader's model
    // takes more of them per unit when better models think longer: it serves with more of
    // its fleet, the followers with less, and the headwind grows.
    let world = |x: &'static str| summary(&scenario(&[x, "labs.a.research_efficiency=1"]), 400);
    let (off, on) = (
        world("world.market.infer_elasticity=0"),
        world("world.market.infer_elasticity=1"),
    );
    let m = |s: &Summary, k: &str| s.measures[k].mean;
    assert!(m(&on, "leader_train") < m(&off, "leader_train") - 0.02);
    assert!(
        m(&on, "headwind") > m(&off, "headwind") + 0.03,
        "headwind {:.3} -> {:.3}",
        m(&off, "headwind"),
        m(&on, "headwind")
    );
}

#[test]
fn prices_that_carry_inference_compute_shrink_the_headwind() {
    // As above, but customers pay for half of the GPUs their tasks take (in logs): the
    // leader's model is dearer to buy, so it keeps fewer customers, needs fewer GPUs to
    // serve them and trains more of its fleet; the headwind shrinks. Half, so that a
    // better model is still worth more to customers than its price costs them (beta 3,
    // 100 Elo per decade: 300 > 400 * 1 * 0.5 * 1).
    let world = |x: &'static str| {
        let sets = [
            "world.market.infer_elasticity=1",
            "labs.a.research_efficiency=1",
            x,
        ];
        summary(&scenario(&sets), 400)
    };
    let (paid, passed) = (
        world("world.market.infer_pass_through=0"),
        world("world.market.infer_pass_through=0.5"),
    );
    let m = |s: &Summary, k: &str| s.measures[k].mean;
    assert!(
        m(&passed, "leader_train") > m(&paid, "leader_train") + 0.01,
        "leader's training share {:.3} -> {:.3}",
        m(&paid, "leader_train"),
        m(&passed, "leader_train")
    );
    assert!(
        m(&passed, "headwind") < m(&paid, "headwind") - 0.02,
        "headwind {:.3} -> {:.3}",
        m(&paid, "headwind"),
        m(&passed, "headwind")
    );
}

/// Over runs 0-19, how many lab-months saw the lab's serving cost change while the lab
/// shipped nothing, and how many of those changes were rises.
fn serving_cost_moves_without_a_release(s: &Scenario) -> (usize, usize) {
    let (mut moves, mut rises) = (0, 0);
    for run in 0..20 {
        let mut last: Vec<f64> = Vec::new();
        Engine::new(s, SEED, run)
            .run(&mut |st: &State| {
                for (i, lab) in st.labs.iter().enumerate() {
                    if let Some(&before) = last.get(i)
                        && !lab.released
                        && lab.serving_cost != before
                    {
                        moves += 1;
                        rises += usize::from(lab.serving_cost > before);
                    }
                }
                last = st.labs.iter().map(|l| l.serving_cost).collect();
            })
            .unwrap();
    }
    (moves, rises)
}

#[test]
fn an_exogenous_reference_keeps_a_labs_serving_cost_when_a_rival_ships() {
    // Measured against the deployed models' mean, a lab's serving cost jumps when a rival
    // ships (up or down as the mean moves). Against a fixed reference it moves only when
    // the lab itself ships; against a rising one it only falls between its releases.
    let base = ["world.market.infer_elasticity=1"];
    let with = |x: &'static str| scenario(&[base[0], x]);
    let (mean_moves, _) = serving_cost_moves_without_a_release(&scenario(&base));
    assert!(mean_moves > 500, "{mean_moves} moves against the mean");
    let fixed =
        serving_cost_moves_without_a_release(&with("world.market.infer_reference_growth=0"));
    assert_eq!(fixed, (0, 0), "(moves, rises) against a fixed reference");
    let (moves, rises) =
        serving_cost_moves_without_a_release(&with("world.market.infer_reference_growth=100"));
    assert!(moves > 1500, "{moves} moves against a rising reference");
    assert_eq!(rises, 0, "rises against a rising reference");
}

#[test]
fn a_faster_inference_efficiency_trend_serves_more_of_the_demand() {
    // The reference rising 200 Elo a year rather than not at all: models of a given
    // quality get cheaper to serve, the same fleets serve more of the demand.
    let served = |x: &'static str| {
        let s = scenario(&["world.market.infer_elasticity=1", x]);
        final_mean(&s, 50, |st| {
            let served: f64 = st.labs.iter().map(|l| l.served).sum();
            let demand: f64 = st.labs.iter().map(|l| l.demand).sum();
            served / demand
        })
    };
    let (slow, fast) = (
        served("world.market.infer_reference_growth=0"),
        served("world.market.infer_reference_growth=200"),
    );
    assert!(fast > slow + 0.05, "served share {slow:.3} -> {fast:.3}");
}

#[test]
fn a_run_by_target_size_is_delayed_by_diverted_gpus() {
    // A lab planned to train 70% of its fleet; training 30% instead, a run by months ships
    // as often (a smaller model), a run by target size ships later.
    let releases = |sets: &[&str]| {
        let mut all = vec!["labs.a.policy.kind=fixed"];
        all.extend(sets);
        final_mean(&scenario(&all), 20, |st| f64::from(st.labs[0].releases))
    };
    let months = |train: &'static str| releases(&[train]);
    let target = |train: &'static str| releases(&[train, "labs.a.run_by=target"]);
    let (m7, m3) = (
        months("labs.a.policy.train=0.7"),
        months("labs.a.policy.train=0.3"),
    );
    let (t7, t3) = (
        target("labs.a.policy.train=0.7"),
        target("labs.a.policy.train=0.3"),
    );
    assert!((m7 - m3).abs() <= 1.0, "by months: {m7} and {m3} releases");
    assert!(
        t3 < t7 - 1.5,
        "by target: {t7} releases at 70%, {t3} at 30%"
    );
}

#[test]
fn the_value_based_policy_trains_less_with_more_customers() {
    // Lab a has a brand that wins it most of the market: under the value-based policy it
    // trains a smaller share than its rivals (the replacement effect).
    let s = scenario(&[
        "labs.a.brand=1.5",
        "labs.a.research_efficiency=1",
        "labs.a.policy.kind=value_based",
        "labs.b.policy.kind=value_based",
        "labs.c.policy.kind=value_based",
    ]);
    let a = mean_of(&s, 50, |st| st.labs[0].train_fraction);
    let b = mean_of(&s, 50, |st| st.labs[1].train_fraction);
    let share = mean_of(&s, 50, |st| st.labs[0].customers);
    assert!(share > 0.5, "lab a's share {share:.2}");
    assert!(a < b - 0.03, "training share: a {a:.3}, b {b:.3}");
}
