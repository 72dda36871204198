//! Property tests over random valid scenarios: the model's invariants hold every month.

use proptest::prelude::*;
use racerun::engine::{Engine, State};
use racerun::scenario::{Override, Scenario};

const BASE: &str = r#"
name = "prop"
months = 36
[[labs]]
id = "a"
[[labs]]
id = "b"
[[labs]]
id = "c"
"#;

fn scenario(sets: Vec<String>) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::load(BASE, "prop.toml", &overrides).unwrap()
}

fn policy(kind: u8, x: f64, y: f64) -> Vec<String> {
    let (lo, hi) = if x < y { (x, y) } else { (y, x) };
    let p = |lab: &str| match kind {
        0 => vec![
            format!("labs.{lab}.policy.kind=fixed"),
            format!("labs.{lab}.policy.train={x}"),
        ],
        1 => vec![
            format!("labs.{lab}.policy.kind=serve_first"),
            format!("labs.{lab}.policy.min_train={lo}"),
            format!("labs.{lab}.policy.max_train={hi}"),
        ],
        2 => vec![
            format!("labs.{lab}.policy.kind=leader_harvest"),
            format!("labs.{lab}.policy.lead_train={x}"),
            format!("labs.{lab}.policy.chase_train={y}"),
        ],
        _ => vec![
            format!("labs.{lab}.policy.kind=gap_response"),
            format!("labs.{lab}.policy.lead_train={x}"),
            format!("labs.{lab}.policy.chase_train={y}"),
        ],
    };
    ["a", "b", "c"].iter().flat_map(|l| p(l)).collect()
}

prop_compose! {
    fn world()(
        kappa in 0.0..5.0f64, phi in 0.0..1.0f64, beta in 0.0..20.0f64, switching in 0.0..=1.0f64,
        overflow_loss in 0.0..=1.0f64, churn in 0.0..=1.0f64, supply in 1.0..1e7f64, supply_growth in 0.5..10.0f64,
        d0 in 1.0..1e7f64, eta in 0.0..3.0f64, sigma in 0.0..1.0f64, rationing in any::<bool>(),
        open in any::<bool>(), fleet in 1.0..1e6f64, funding in 0.0..1e10f64, cash in -1e9..1e10f64,
        reinvest in 0.0..=1.0f64, serving in 0.1..10.0f64, kind in 0u8..4, x in 0.0..=1.0f64, y in 0.0..=1.0f64,
        lag in 1u32..12, delay in 0u32..4, sigma_q in 0.0..100.0f64, brand in -3.0..3.0f64,
    ) -> Vec<String> {
        let mut s = vec![
            format!("world.dynamics.kappa={kappa}"), format!("world.dynamics.phi={phi}"),
            format!("world.market.beta={beta}"), format!("world.market.switching={switching}"),
            format!("world.market.overflow_loss={overflow_loss}"), format!("world.market.churn_unserved={churn}"),
            format!("world.gpus.supply={supply}"), format!("world.gpus.supply_growth={supply_growth}"),
            format!("world.gpus.rationing={}", if rationing { "fleet" } else { "orders" }),
            format!("world.gpus.build_lag={lag}"), format!("world.algorithms.release_delay_max={delay}"),
            format!("world.algorithms.release_sigma={sigma_q}"),
            format!("world.demand.d0={d0}"), format!("world.demand.eta={eta}"), format!("world.demand.shock_sigma={sigma}"),
            format!("world.open_weights.enabled={open}"),
            format!("labs.a.fleet={fleet}"), format!("labs.b.funding={funding}"), format!("labs.c.cash={cash}"),
            format!("labs.a.reinvest={reinvest}"), format!("labs.b.serving_efficiency={serving}"),
            format!("labs.c.brand={brand}"), "labs.b.first_release=2".to_string(),
        ];
        s.extend(policy(kind, x, y));
        s
    }
}

fn check_month(prev: &State, now: &State) -> Result<(), TestCaseError> {
    let w = &now.world;
    prop_assert!(w.total_demand.is_finite() && w.total_demand >= 0.0);
    prop_assert!(w.frontier.is_finite() && w.supply.is_finite() && w.gpu_price.is_finite());
    let shares: f64 = now.labs.iter().map(|l| l.customers).sum();
    prop_assert!(shares <= 1.0 + 1e-9, "shares sum {shares}");
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
    for (l, p) in now.labs.iter().zip(&prev.labs) {
        for v in [
            l.fleet,
            l.cash,
            l.quality,
            l.customers,
            l.train_fraction,
            l.capacity,
            l.demand,
            l.served,
            l.revenue,
            l.opex,
            l.funding,
            l.capex,
            l.ordered,
            l.received,
            l.pipeline(),
            l.run_compute,
        ] {
            prop_assert!(v.is_finite(), "non-finite value in {l:?}");
        }
        prop_assert!((0.0..=1.0).contains(&l.train_fraction));
        // GPUs conserved: training plus serving is the fleet the month started with.
        prop_assert!(
            (l.training_gpus + l.inference_gpus - p.fleet).abs() <= 1e-9 * p.fleet.max(1.0)
        );
        prop_assert!(l.training_gpus >= 0.0 && l.inference_gpus >= 0.0);
        prop_assert!(
            l.served <= l.capacity,
            "served {} > capacity {}",
            l.served,
            l.capacity
        );
        prop_assert!(l.served <= l.demand + l.overflow_in + 1e-9 * l.demand.max(1.0));
        prop_assert!((0.0..=1.0).contains(&l.customers));
        prop_assert!(l.received <= l.ordered * (1.0 + 1e-12) + 1e-12);
        // Cash follows its accounting identity exactly.
        prop_assert_eq!(l.cash, p.cash + l.revenue - l.opex + l.funding - l.capex);
        prop_assert_eq!(l.capex, l.received * w.gpu_price);
        prop_assert!(l.revenue == l.price * l.served);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_every_month(sets in world(), seed in any::<u64>()) {
        let sc = scenario(sets);
        let mut engine = Engine::new(&sc, seed, 3);
        let mut prev = engine.state().clone();
        for _ in 0..sc.months {
            engine.step().unwrap();
            check_month(&prev, engine.state())?;
            prev = engine.state().clone();
        }
    }
}
