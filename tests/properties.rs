//! Property tests over random valid scenarios: 1 to 8 labs, 1 to 60 months, every policy
//! kind. Each property is a fact about the world the model describes, checked from the
//! outside (the recorded states), not a restatement of the engine's arithmetic.

use proptest::prelude::*;
use racerun::engine::{Engine, Recorder, State};
use racerun::scenario::{Override, Scenario};

/// A policy of each kind, drawn with its parameters.
fn policy() -> impl Strategy<Value = String> {
    let f = 0.0..=1.0f64;
    prop_oneof![
        f.clone()
            .prop_map(|x| format!("{{ kind = \"fixed\", train = {x:?} }}")),
        (f.clone(), f.clone()).prop_map(|(a, b)| format!(
            "{{ kind = \"serve_first\", min_train = {:?}, max_train = {:?} }}",
            a.min(b),
            a.max(b)
        )),
        (f.clone(), f.clone()).prop_map(|(a, b)| format!(
            "{{ kind = \"leader_harvest\", lead_train = {a:?}, chase_train = {b:?} }}"
        )),
        (f.clone(), f.clone(), -50.0..50.0f64, 0.1..100.0f64).prop_map(|(a, b, m, w)| format!(
            "{{ kind = \"gap_response\", lead_train = {a:?}, chase_train = {b:?}, midpoint = {m:?}, width = {w:?} }}"
        )),
        (0.1..240.0f64).prop_map(|h| format!("{{ kind = \"value_based\", horizon = {h:?} }}")),
        (f.clone(), f, 1u32..30).prop_map(|(a, b, at)| format!(
            "{{ kind = \"schedule\", points = [ {{ from = \"2024-01\", train = {a:?} }}, \
             {{ from = \"{}-{:02}\", train = {b:?} }} ] }}",
            2024 + at / 12,
            1 + at % 12
        )),
    ]
}

/// One lab's table, its policy drawn.
fn lab() -> impl Strategy<Value = String> {
    (
        policy(),
        1.0..1e6f64,
        -1e9..1e10f64,
        0.0..1e9f64,
        0.0..=1.0f64,
        0.1..10.0f64,
        -3.0..3.0f64,
        (1u32..12).prop_flat_map(|run| (Just(run), 1..=run)),
        (0.0..1e4f64, any::<bool>(), any::<bool>(), 0.0..=1.0f64),
    )
        .prop_map(
            |(policy, fleet, cash, funding, reinvest, serving, brand, (run_months, first), (price, pinned, target, share))| {
                let run_by = if target { "target" } else { "months" };
                format!(
                    "fleet = {fleet:?}\ncash = {cash:?}\nfunding = {funding:?}\nreinvest = {reinvest:?}\n\
                     serving_efficiency = {serving:?}\nbrand = {brand:?}\nrun_months = {run_months}\n\
                     first_release = {first}\nprice = {price:?}\nfunding_pinned = {pinned}\n\
                     run_by = \"{run_by}\"\ntarget_share = {share:?}\npolicy = {policy}\n"
                )
            },
        )
}

prop_compose! {
    fn scenario()(
        labs in prop::collection::vec(lab(), 1..=8),
        months in 1u32..=60,
        kappa in 0.0..5.0f64, phi in 0.0..1.0f64, beta in 0.0..20.0f64, switching in 0.0..=1.0f64,
        overflow_loss in 0.0..=1.0f64, churn in 0.0..=1.0f64, supply in 1.0..1e7f64,
        supply_growth in 0.5..10.0f64, d0 in 1.0..1e7f64, eta in 0.0..3.0f64, sigma in 0.0..1.0f64,
        rationing in any::<bool>(), open in any::<bool>(), lag in 1u32..12, delay in 0u32..4,
        sigma_q in 0.0..100.0f64, life in 1.0..120.0f64,
        economy in (0.0..3.0f64, 0.0..0.95f64, 0.0..5.0f64, 0.0..3.0f64, 0.0..=1.0f64, 0.0..1.0f64),
        physical in (0.0..2.0f64, -3.0..3.0f64, 1u32..24, 0.0..1e11f64, 0.0..=1.0f64),
        money in (0.0..0.5f64, 0.0..0.5f64, 0.0..=1.0f64, 1u32..12, 0.0..24.0f64),
    ) -> Scenario {
        let (kappa_abs, carry, alpha, epsilon, adjust, infer) = economy;
        let (gpu_response, additions, power_lag, power_price, delay_trains) = physical;
        let (follow_revenue, follow_leader, investor_adjust, insolvency, reserve) = money;
        let mut text = format!(
            "name = \"prop\"\nstart = \"2024-01\"\nmonths = {months}\n"
        );
        for (i, lab) in labs.iter().enumerate() {
            text.push_str(&format!("[[labs]]\nid = \"l{i}\"\n{lab}"));
        }
        let sets = [
            format!("world.dynamics.kappa={kappa}"), format!("world.dynamics.phi={phi}"),
            format!("world.market.beta={beta}"), format!("world.market.switching={switching}"),
            format!("world.market.overflow_loss={overflow_loss}"),
            format!("world.market.churn_unserved={churn}"),
            format!("world.gpus.supply={supply}"), format!("world.gpus.supply_growth={supply_growth}"),
            format!("world.gpus.rationing={}", if rationing { "fleet" } else { "orders" }),
            format!("world.gpus.build_lag={lag}"), format!("world.gpus.life_months={life}"),
            format!("world.algorithms.release_delay_max={delay}"),
            format!("world.algorithms.release_sigma={sigma_q}"),
            format!("world.demand.d0={d0}"), format!("world.demand.eta={eta}"),
            format!("world.demand.shock_sigma={sigma}"),
            format!("world.open_weights.enabled={open}"),
            format!("world.dynamics.kappa_abs={kappa_abs}"), format!("world.dynamics.carry_over={carry}"),
            format!("world.market.price_sensitivity={alpha}"),
            format!("world.market.price_response={epsilon}"),
            format!("world.market.price_adjustment={adjust}"),
            format!("world.market.infer_elasticity={infer}"),
            format!("world.gpus.price_response={gpu_response}"),
            format!("world.power.additions={}", 10f64.powf(additions)),
            format!("world.power.lag={power_lag}"), format!("world.power.price={power_price}"),
            format!("world.algorithms.delay_trains={}", delay_trains > 0.5),
            format!("world.investors.follow_revenue={follow_revenue}"),
            format!("world.investors.follow_leader={follow_leader}"),
            format!("world.investors.adjustment={investor_adjust}"),
            format!("world.investors.insolvency_months={insolvency}"),
            format!("world.investors.reserve_months={reserve}"),
        ];
        let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
        Scenario::load(&text, "prop.toml", &overrides).unwrap()
    }
}

/// Sums each lab's recorded money flows, on its own, month by month.
struct Ledger {
    /// Per lab: revenue - opex + funding + asset sales - capex - power capex - payout,
    /// summed.
    net: Vec<f64>,
    /// Per lab: the sum of the flows' sizes, for the rounding tolerance.
    size: Vec<f64>,
}

impl Recorder for Ledger {
    fn record(&mut self, state: &State) {
        for (i, l) in state.labs.iter().enumerate() {
            self.net[i] +=
                l.revenue - l.opex + l.funding + l.asset_sales - l.capex - l.power_capex - l.payout;
            self.size[i] += l.revenue.abs()
                + l.opex.abs()
                + l.funding.abs()
                + l.asset_sales.abs()
                + l.capex.abs()
                + l.power_capex.abs()
                + l.payout.abs();
        }
    }
}

fn check_month(prev: &State, now: &State) -> Result<(), TestCaseError> {
    let w = &now.world;
    prop_assert!(w.total_demand >= 0.0 && w.supply >= 0.0);
    let shares: f64 = now.labs.iter().map(|l| l.customers).sum();
    prop_assert!(shares <= 1.0 + 1e-9, "customer shares sum to {shares}");
    let served: f64 = now.labs.iter().map(|l| l.served).sum();
    prop_assert!(
        served <= w.total_demand * (1.0 + 1e-9) + 1e-9,
        "served {served} > demand {}",
        w.total_demand
    );
    let received: f64 = now.labs.iter().map(|l| l.received).sum();
    prop_assert!(
        received <= w.supply * (1.0 + 1e-9),
        "received {received} > supply {}",
        w.supply
    );
    let built: f64 = now.labs.iter().map(|l| l.power_ordered).sum();
    prop_assert!(
        built <= w.power_additions * (1.0 + 1e-9),
        "power started {built} GW > the world's additions {} GW",
        w.power_additions
    );
    prop_assert!(w.gpu_price > 0.0 && w.gpu_price.is_finite());
    for (l, p) in now.labs.iter().zip(&prev.labs) {
        prop_assert!(
            l.quality >= p.quality,
            "quality fell: {} -> {}",
            p.quality,
            l.quality
        );
        prop_assert!(l.releases >= p.releases);
        prop_assert!(l.fleet >= 0.0 && l.pipeline() >= 0.0, "fleet {}", l.fleet);
        prop_assert!(l.training_gpus >= 0.0 && l.inference_gpus >= 0.0);
        // Only GPUs with power work, and every one of them trains or serves.
        prop_assert!(
            l.powered <= p.fleet * (1.0 + 1e-12),
            "powered {} > fleet {}",
            l.powered,
            p.fleet
        );
        let split = l.training_gpus + l.inference_gpus;
        prop_assert!((split - l.powered).abs() <= 1e-9 * l.powered.max(1.0));
        prop_assert!(l.power >= 0.0 && l.draw >= 0.0 && l.power_pipeline() >= 0.0);
        prop_assert!(l.price >= 0.0 && l.price.is_finite(), "price {}", l.price);
        prop_assert!(l.funding >= 0.0 && l.rent >= 0.0 && l.rent <= l.revenue * (1.0 + 1e-12));
        prop_assert!((0.0..=1.0 + 1e-12).contains(&l.invest_share));
        prop_assert!(l.asset_sales >= 0.0 && l.power_capex >= 0.0 && l.payout >= 0.0);
        prop_assert!((0.0..=1.0).contains(&l.train_fraction));
        prop_assert!((0.0..=1.0).contains(&l.customers));
        prop_assert!(
            l.served >= 0.0 && l.served <= l.capacity,
            "served {} > capacity {}",
            l.served,
            l.capacity
        );
        prop_assert!(
            l.served <= (l.demand + l.overflow_in) * (1.0 + 1e-9) + 1e-9,
            "served {} > own demand {} + overflow taken in {}",
            l.served,
            l.demand,
            l.overflow_in
        );
        prop_assert!(l.unserved <= l.demand * (1.0 + 1e-12) + 1e-12);
        prop_assert!(l.received >= 0.0 && l.received <= l.ordered * (1.0 + 1e-12) + 1e-12);
        prop_assert!(l.revenue >= 0.0 && l.opex >= 0.0 && l.capex >= 0.0);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_world_stays_physical_every_month(sc in scenario(), seed in any::<u64>()) {
        let mut engine = Engine::new(&sc, seed, 3);
        let mut prev = engine.state().clone();
        for _ in 0..sc.months {
            engine.step().unwrap();
            check_month(&prev, engine.state())?;
            prev = engine.state().clone();
        }
    }

    #[test]
    fn the_whole_run_s_cash_is_its_recorded_flows(sc in scenario(), seed in any::<u64>()) {
        let n = sc.labs.len();
        let mut ledger = Ledger { net: vec![0.0; n], size: vec![0.0; n] };
        let end = Engine::new(&sc, seed, 1).run(&mut ledger).unwrap();
        for (i, lab) in end.labs.iter().enumerate() {
            let initial = sc.labs[i].cash;
            let expected = initial + ledger.net[i];
            let tolerance = 1e-9 * (initial.abs() + ledger.size[i]) + 1e-6;
            prop_assert!(
                (lab.cash - expected).abs() <= tolerance,
                "lab {i}: cash {} but initial {initial} + flows {} = {expected}",
                lab.cash,
                ledger.net[i]
            );
        }
    }
}
