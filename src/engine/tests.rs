//! Engine tests: each expectation is derived by hand from `docs/model.md`, not from the code.

use super::*;

/// One lab whose numbers are easy to follow: algorithms do not progress, 1e21 FLOP per
/// H100e-month, quality 1000 at 5e23 FLOP and 100 Elo per decade, no research luck, GPUs
/// at $1000 that never get cheaper, 10% depreciation a month, a two-month build lag;
/// no carry-over or self-improvement, and power that costs nothing, comes the next month
/// and has ten times the headroom it needs; `sets` are `--set` overrides on top.
fn one_lab(sets: &[&str]) -> Scenario {
    scenario(ONE_LAB, sets)
}

/// [`one_lab`]'s scenario text.
const ONE_LAB: &str = r#"
name = "unit"
months = 3
[world.algorithms]
algo_progress = 1.0
flop_per_h100e_month = 1e21
q0 = 1000.0
e0 = 5e23
elo_per_decade = 100.0
release_sigma = 0.0
[world.dynamics]
kappa_abs = 0.0
carry_over = 0.0
[world.power]
price = 0.0
lag = 1
additions = 1e6
headroom = 10.0
[world.gpus]
price = 1000.0
price_halving_months = 1e6
supply = 1e9
build_lag = 2
life_months = 10.0
opex_per_h100e = 0.0
[[labs]]
id = "a"
fleet = 1000.0
cash = 1e6
price = 0.0
reinvest = 0.5
run_months = 1
policy = { kind = "fixed", train = 0.5 }
"#;

/// The scenario `text` with `sets`, `--set` overrides, on top.
fn scenario(text: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<crate::scenario::Override> = sets
        .iter()
        .map(|s| crate::scenario::Override::parse(s).unwrap())
        .collect();
    Scenario::load(text, "unit.toml", &sets).unwrap()
}

#[test]
fn a_release_month_prices_at_the_new_models_serving_cost() {
    // Lab a (quality 900) ships 1000 in month 0; lab b (1000) ships nothing before month
    // 11. Inference elasticity 1 at 100 Elo per decade: before the release a's model
    // takes 10^((900 - 950) / 100) = 0.32 units of GPUs per unit of demand, after it
    // 10^((1000 - 1000) / 100) = 1. Its list price is 0, so it charges its marginal
    // serving cost: opex per H100e (400) times GPUs per unit (1) over its serving
    // efficiency (2) = 200, not the old model's 63.
    let mut text = ONE_LAB.to_string();
    text.push_str(
        r#"
[[labs]]
id = "b"
price = 10.0
run_months = 12
first_release = 12
"#,
    );
    let s = scenario(
        &text,
        &[
            "world.market.infer_elasticity=1",
            "world.gpus.opex_per_h100e=400",
            "labs.a.quality=900",
            "labs.a.serving_efficiency=2",
        ],
    );
    let mut e = Engine::new(&s, 1, 0);
    let before = e.state().labs[0].serving_cost;
    assert!((before - 10f64.powf(-0.5)).abs() < 1e-12, "{before}");
    e.step().unwrap();
    let a = &e.state().labs[0];
    assert!(a.released && a.quality == 1000.0);
    assert!((a.serving_cost - 1.0).abs() < 1e-12);
    assert!((a.price - 200.0).abs() < 1e-9, "price {}", a.price);
}

/// The months in which each run of `scenario` (seed, run) finished a training run.
fn finishes(scenario: &Scenario, seed: u64, run: u64) -> Vec<u32> {
    let mut months = Vec::new();
    simulate(scenario, seed, run, &mut |s: &State| {
        if s.labs[0].candidate.is_finite() {
            months.push(s.world.month);
        }
    })
    .unwrap();
    months
}

#[test]
fn a_release_ships_only_a_better_model() {
    // 500 training GPUs for a month: E = 5e23 = e0, so the candidate is q0 = 1000.
    let worse = one_lab(&["labs.a.quality=900"]);
    let mut e = Engine::new(&worse, 1, 0);
    e.step().unwrap();
    let lab = &e.state().labs[0];
    assert_eq!(lab.candidate, 1000.0);
    assert!(lab.released);
    assert_eq!(lab.quality, 1000.0);
    assert_eq!(lab.run_compute, 0.0, "a new run starts from zero");

    let better = one_lab(&["labs.a.quality=1100"]);
    let mut e = Engine::new(&better, 1, 0);
    e.step().unwrap();
    let lab = &e.state().labs[0];
    assert_eq!(lab.candidate, 1000.0);
    assert!(!lab.released, "an expensive miss");
    assert_eq!(lab.quality, 1100.0);
}

#[test]
fn purchases_arrive_after_the_build_lag_and_fleets_depreciate() {
    let s = one_lab(&[]);
    let mut e = Engine::new(&s, 1, 0);
    e.step().unwrap();
    let lab = &e.state().labs[0];
    // Half of $1M buys 500 H100e at $1000; nothing arrives yet; 10% depreciates.
    assert_eq!(lab.ordered, 500.0);
    assert_eq!(lab.received, 500.0);
    assert_eq!(lab.capex, 500_000.0);
    assert_eq!(lab.cash, 500_000.0);
    assert_eq!(lab.fleet, 900.0);
    assert_eq!(lab.pipeline(), 500.0);
    e.step().unwrap();
    let lab = &e.state().labs[0];
    // Bought in month 0 with a 2-month lag: online from month 2, so in the fleet now.
    assert!((lab.fleet - (900.0 * 0.9 + 500.0)).abs() < 1e-9);
    assert!((lab.pipeline() - lab.received).abs() < 1e-9);
}

#[test]
fn supply_cap_rations_purchases_and_raises_the_price() {
    // $500k to spend at $1000 wants 500 GPUs; 100 are supplied.
    let s = one_lab(&["world.gpus.supply=100", "world.gpus.price_response=0"]);
    let mut e = Engine::new(&s, 1, 0);
    e.step().unwrap();
    let lab = &e.state().labs[0];
    assert_eq!(lab.ordered, 500.0);
    assert_eq!(lab.received, 100.0);
    assert_eq!(lab.capex, 100_000.0, "pays only for what it gets");
    // Response 0.5: five times the supply wanted raises the price sqrt(5)-fold; the lab
    // orders what $500k buys at that price, gets 100 and pays the higher price.
    let s = one_lab(&["world.gpus.supply=100", "world.gpus.price_response=0.5"]);
    let mut e = Engine::new(&s, 1, 0);
    e.step().unwrap();
    let price = 1000.0 * 5f64.sqrt();
    assert!((e.state().world.gpu_price - price).abs() < 1e-9);
    let lab = &e.state().labs[0];
    assert!((lab.ordered - 5e5 / price).abs() < 1e-9);
    assert_eq!(lab.received, 100.0);
    assert!((lab.capex - 100.0 * price).abs() < 1e-6);
}

#[test]
fn the_engine_owns_the_month_and_stops_at_the_horizon() {
    let s = one_lab(&[]);
    let mut e = Engine::new(&s, 1, 0);
    for m in 0..3 {
        assert_eq!(e.month(), m);
        e.step().unwrap();
        assert_eq!(e.state().world.month, m);
    }
    assert_eq!(e.step(), Err(StepError::Ended { months: 3 }));
}

#[test]
fn first_release_staggers_the_cadence() {
    // run_months 4: without first_release the first run finishes in month 3 (its 4th),
    // then every 4 months; first_release = 2 moves the first to month 1 (its 2nd).
    let long = |first: &str| {
        let mut sets = vec!["months=12", "labs.a.run_months=4"];
        sets.extend((!first.is_empty()).then_some(first));
        one_lab(&sets)
    };
    assert_eq!(finishes(&long(""), 1, 0), vec![3, 7, 11]);
    assert_eq!(
        finishes(&long("labs.a.first_release=2"), 1, 0),
        vec![1, 5, 9]
    );
    assert_eq!(
        finishes(&long("labs.a.first_release=1"), 1, 0),
        vec![0, 4, 8]
    );
}

#[test]
fn release_delays_lengthen_runs_by_zero_to_the_maximum() {
    // run_months 2, release_delay_max 3: the first run ends in month 1; each later run
    // lasts 2 + d months with d uniform on 0..=3. Over many runs every gap 2..=5 occurs
    // and no other.
    let s = one_lab(&[
        "months=40",
        "labs.a.run_months=2",
        "world.algorithms.release_delay_max=3",
    ]);
    let mut gaps = std::collections::BTreeSet::new();
    for run in 0..20 {
        let f = finishes(&s, 7, run);
        assert_eq!(f[0], 1, "the first run is not delayed");
        gaps.extend(f.windows(2).map(|w| w[1] - w[0]));
    }
    assert_eq!(gaps.into_iter().collect::<Vec<_>>(), vec![2, 3, 4, 5]);
}

#[test]
fn open_weights_trail_the_frontier_by_the_lag() {
    // Quality rises most months (a run a month, a fleet growing on funding); open weights of lag 3
    // and gap 25 have the frontier of 3 months earlier minus 25, month 0's before that.
    let s = one_lab(&[
        "months=10",
        "world.open_weights.enabled=true",
        "world.open_weights.lag=3",
        "world.open_weights.gap=25",
        "labs.a.quality=500",
        "labs.a.reinvest=1",
        "labs.a.funding=1e7",
    ]);
    let (mut frontier, mut open) = (Vec::new(), Vec::new());
    simulate(&s, 1, 0, &mut |st: &State| {
        frontier.push(st.world.frontier);
        open.push(st.world.open_quality);
    })
    .unwrap();
    let rises = frontier.windows(2).filter(|w| w[1] > w[0]).count();
    assert!(rises >= 5, "the frontier should move: {frontier:?}");
    for m in 0..10 {
        assert_eq!(open[m], frontier[m.saturating_sub(3)] - 25.0, "month {m}");
    }
    let closed = one_lab(&[]);
    let mut e = Engine::new(&closed, 1, 0);
    e.step().unwrap();
    assert!(e.state().world.open_quality.is_nan(), "no open weights");
    assert_eq!(e.state().world.open_share, 0.0);
}

#[test]
fn without_open_weights_the_labs_take_the_whole_market() {
    // Baseline's three labs share the market between them in every month: the open-weight
    // share is exactly 0, not the rounding of 1 minus their summed shares.
    let s = crate::scenario::library::find("baseline")
        .unwrap()
        .load(&[])
        .unwrap();
    assert!(!s.world.open_weights.enabled);
    for run in 0..4 {
        let mut open = Vec::new();
        simulate(&s, 3, run, &mut |st: &State| open.push(st.world.open_share)).unwrap();
        assert!(open.iter().all(|&v| v == 0.0), "run {run}: {open:?}");
    }
}

#[test]
fn same_seed_and_run_same_run_other_run_differs() {
    let s = one_lab(&[]);
    let trace = |seed, run| {
        let mut q = Vec::new();
        simulate(&s, seed, run, &mut |st: &State| {
            q.push(st.world.total_demand)
        })
        .unwrap();
        q
    };
    assert_eq!(trace(5, 2), trace(5, 2));
    assert_ne!(trace(5, 2), trace(5, 3));
    assert_ne!(trace(5, 2), trace(6, 2));
}

/// The months each run finished and the effective compute of its candidate (from its
/// quality: `E = e0 * 10^((candidate - q0) / 100)` in [`one_lab`]'s world).
fn candidates(scenario: &Scenario, seed: u64, run: u64) -> Vec<(u32, f64)> {
    let mut out = Vec::new();
    simulate(scenario, seed, run, &mut |s: &State| {
        let c = s.labs[0].candidate;
        if c.is_finite() {
            out.push((s.world.month, 5e23 * 10f64.powf((c - 1000.0) / 100.0)));
        }
    })
    .unwrap();
    out
}

#[test]
fn a_slipped_release_trains_the_next_run_not_itself() {
    // 500 training GPUs (a fleet of 1000 that buys nothing and barely depreciates): 5e23
    // FLOP a month. Runs of 2 months slip by 0-3. A run's own months are its first two;
    // the slipped months train the next run, so run k has (2 + the previous run's slip)
    // months, i.e. the previous gap between releases. With `delay_trains` (the first
    // generation's rule) a run trains through its own slip: its own gap.
    let sets = |flag: &'static str| {
        one_lab(&[
            "months=60",
            "labs.a.run_months=2",
            "labs.a.reinvest=0",
            "world.gpus.life_months=1200",
            "world.algorithms.release_delay_max=3",
            flag,
        ])
    };
    // Depreciation of 1/1200 a month shrinks the fleet by at most 5% over 60 months.
    let months = |e: f64| e / 5e23;
    let near = |got: f64, want: f64| (got / want - 1.0).abs() < 0.06;
    let mut slipped = 0;
    for run in 0..5 {
        let now = candidates(&sets("world.algorithms.delay_trains=false"), 3, run);
        let old = candidates(&sets("world.algorithms.delay_trains=true"), 3, run);
        assert_eq!(
            now.len(),
            old.len(),
            "same releases: the slips are the same draws"
        );
        // The first run is due in month 1 and trains months 0 and 1.
        assert!(near(months(now[0].1), 2.0));
        for k in 1..now.len() {
            let own_gap = f64::from(now[k].0 - now[k - 1].0);
            let before = if k >= 2 {
                f64::from(now[k - 2].0)
            } else {
                -1.0
            };
            let previous_gap = f64::from(now[k - 1].0) - before;
            assert!(near(months(now[k].1), previous_gap), "run {k}: {now:?}");
            assert!(near(months(old[k].1), own_gap), "run {k}: {old:?}");
            slipped += usize::from(own_gap > 2.0);
        }
    }
    assert!(slipped > 10, "slips happened: {slipped}");
}

#[test]
fn power_under_construction_at_month_0_is_what_past_additions_allowed() {
    // A lab with no power online plans power for its fleet (about 1e-3 GW). The world could
    // add 1.2e-5 GW a year, flat: over the 12 months before month 0, 1.2e-5 GW at most.
    let sets = [
        "labs.a.power=0",
        "world.power.lag=12",
        "world.power.additions_growth=1",
    ];
    let building = |additions: &str| {
        let mut sets = sets.to_vec();
        sets.push(additions);
        Engine::new(&one_lab(&sets), 1, 0).state().labs[0].power_building()
    };
    let capped = building("world.power.additions=1.2e-5");
    assert!((capped - 1.2e-5).abs() < 1e-15, "{capped}");
    let free = building("world.power.additions=1e6");
    assert!(free > 1e-4, "the plan itself, uncapped: {free}");
}

#[test]
fn a_lone_value_based_lab_trains_for_the_market_its_next_model_grows() {
    // A lone lab has every customer: it has no share to win, so only market expansion
    // makes a training GPU worth anything. Sold out (demand far above what its fleet
    // serves), with a value horizon of 12 months and runs of 1 month it trains
    // x / (1 + x) with x = (12 / 1) * 100 * 0.5 / (100 ln 10) = 2.606: 72.3% of its fleet
    // each month; with demand deaf to quality (eta 0), nothing.
    let fractions = |eta: &str| {
        let text = ONE_LAB.replace(
            "{ kind = \"fixed\", train = 0.5 }",
            "{ kind = \"value_based\", horizon = 12.0 }",
        );
        let s = scenario(&text, &["world.demand.d0=1e9", eta]);
        let mut seen = Vec::new();
        Engine::new(&s, 1, 0)
            .run(&mut |st: &State| seen.push(st.labs[0].train_fraction))
            .unwrap();
        seen
    };
    let x = 12.0 * 100.0 * 0.5 / (100.0 * std::f64::consts::LN_10);
    for f in fractions("world.demand.eta=0.5") {
        assert!((f - x / (1.0 + x)).abs() < 1e-12, "{f}");
    }
    assert!(fractions("world.demand.eta=0").iter().all(|&f| f == 0.0));
}

#[test]
fn a_run_by_target_that_plans_no_training_lasts_to_its_latest_end() {
    // target_share 0: the run plans to train nothing beyond the 30% of its deployed model
    // it carries over, so it has no target to reach. It
    // ends at its latest, 3 x run_months = 6 months, not every month with a new draw of
    // research luck on the same compute (which would ratchet quality up by luck alone).
    let s = one_lab(&[
        "months=12",
        "labs.a.run_by=target",
        "labs.a.run_months=2",
        "labs.a.target_share=0",
        "world.algorithms.release_sigma=50",
        "world.dynamics.carry_over=0.3",
    ]);
    let mut ended = Vec::new();
    Engine::new(&s, 3, 0)
        .run(&mut |st: &State| {
            if st.labs[0].candidate.is_finite() {
                ended.push(st.world.month);
            }
        })
        .unwrap();
    // The run in progress at month 0 is due 6 months after it began: months 5 and 11.
    assert_eq!(ended, [5, 11]);
}

#[test]
fn a_run_in_the_buffers_of_earlier_runs_is_the_same_run() {
    let bundled = |name| {
        crate::scenario::library::find(name)
            .unwrap()
            .load(&[])
            .unwrap()
    };
    // Five labs, then three (the buffers shrink), then five again (they grow), each
    // scenario with its own prices, investors, power and pipelines' lags.
    let (frontier, race) = (bundled("frontier-2023"), bundled("race"));
    let months = |engine: Engine<'_>| {
        let mut states = Vec::new();
        engine
            .run(&mut |s: &State| states.push(format!("{s:?}")))
            .unwrap();
        states
    };
    let mut workspace = Workspace::default();
    for (scenario, run) in [(&frontier, 3), (&race, 8), (&frontier, 4), (&race, 9)] {
        let calendar: Cow<'_, Calendar> = Cow::Owned(Calendar::new(scenario));
        let taken = std::mem::take(&mut workspace);
        let reused = Engine::reusing(scenario, calendar.clone(), 11, run, None, taken);
        let mut states = Vec::new();
        reused
            .run_reusing(
                &mut |s: &State| states.push(format!("{s:?}")),
                &mut workspace,
            )
            .unwrap();
        let fresh = months(Engine::with_calendar(scenario, calendar, 11, run));
        assert_eq!(states.len(), fresh.len());
        for (month, (got, want)) in states.iter().zip(&fresh).enumerate() {
            assert_eq!(got, want, "{} run {run}, month {month}", scenario.name);
        }
    }
}
