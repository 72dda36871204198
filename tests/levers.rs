//! Lever tests: the mechanics produce the forces MODEL.md describes, on a small world
//! (tests/fixtures/levers.toml) with many runs. Each compares two settings under the
//! same seeds (common random numbers), so the difference is the lever's.

use racerun::montecarlo::{self, MonteCarlo};
use racerun::output::Summary;
use racerun::scenario::{Override, Scenario};

const RUNS: u64 = 400;

fn summary(sets: &[&str]) -> Summary {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/levers.toml");
    let scenario = Scenario::from_path(&path, &overrides).unwrap();
    let mc = MonteCarlo {
        seed: 7,
        runs: 0..RUNS,
        total: RUNS,
        threads: 2,
        samples: 0,
    };
    let outcome = montecarlo::run(&scenario, &mc, &|_| {}).unwrap();
    Summary::new(&scenario, 7, &outcome)
}

fn mean(s: &Summary, measure: &str) -> f64 {
    s.measures[measure].mean
}

#[test]
fn self_improvement_raises_persistence() {
    let off = summary(&["world.dynamics.kappa=0"]);
    let on = summary(&["world.dynamics.kappa=2"]);
    let (p0, p2) = (
        mean(&off, "persistence_quality"),
        mean(&on, "persistence_quality"),
    );
    // (Weaker than in the first generation, where a laggard's research also slowed:
    // self-improvement never goes below 1 now.)
    assert!(
        p2 > p0 + 0.1,
        "persistence kappa=0 {p0:.3}, kappa=2 {p2:.3}"
    );
    let (c0, c2) = (
        mean(&off, "changes_per_year_quality"),
        mean(&on, "changes_per_year_quality"),
    );
    assert!(
        c2 < c0,
        "lead changes per year kappa=0 {c0:.2}, kappa=2 {c2:.2}"
    );
}

#[test]
fn scarce_gpus_and_herding_customers_make_the_leader_train_less() {
    // The fixture: fleet rationing of scarce supply, beta = 5, fast switching, serve_first.
    let s = summary(&[]);
    let (leader, followers) = (mean(&s, "leader_train"), mean(&s, "followers_train"));
    assert!(
        followers - leader > 0.05,
        "leader trains {leader:.3}, followers {followers:.3}"
    );
    // Take the herding away and the headwind shrinks.
    let calm = summary(&["world.market.beta=1"]);
    assert!(mean(&calm, "headwind") < mean(&s, "headwind") - 0.03);
}

#[test]
fn abundant_gpus_raise_persistence_without_self_improvement() {
    let scarce = summary(&[]);
    // Abundant GPUs need abundant power too: supply, and data centres, for anyone who pays.
    let abundant = summary(&[
        "world.gpus.supply=1e9",
        "world.gpus.rationing=orders",
        "world.power.additions=1e6",
        "world.power.price=0",
    ]);
    let (ps, pa) = (
        mean(&scarce, "persistence_quality"),
        mean(&abundant, "persistence_quality"),
    );
    assert!(
        pa > ps + 0.05,
        "persistence scarce {ps:.3}, abundant {pa:.3}"
    );
    // The channel: the leader's revenue buys GPUs, so market concentration rises too.
    assert!(mean(&abundant, "hhi_final") > mean(&scarce, "hhi_final"));
}
