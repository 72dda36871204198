//! Training (step 3): each month a lab's training GPUs add effective compute to its run
//! in progress, scaled by algorithmic progress, its research efficiency, self-improvement
//! (a capable model, and a lead, speed research up) and spillover (a laggard learns from
//! the leader).

use super::{MAX_LOG10_MULTIPLIER, per_year};
use crate::engine::LabState;
use crate::math;
use crate::scenario::file::{Algorithms, Dynamics};
use crate::scenario::{Lab, RunBy};

/// Each lab's research multiplier ([`research_multiplier`]) and spillover ([`spillover`]):
/// they depend on the deployed qualities alone, so the engine computes them when a model
/// ships and keeps them otherwise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Multipliers {
    research: Vec<f64>,
    spill: Vec<f64>,
}

impl Multipliers {
    /// Multipliers of 1 for `n` labs, until [`Multipliers::update`].
    pub fn new(n: usize) -> Multipliers {
        let mut multipliers = Multipliers::default();
        multipliers.reset(n);
        multipliers
    }

    /// [`Multipliers::new`] in the allocation already held.
    pub fn reset(&mut self, n: usize) {
        for multipliers in [&mut self.research, &mut self.spill] {
            multipliers.clear();
            multipliers.resize(n, 1.0);
        }
    }

    /// The multipliers of labs whose deployed qualities are `qualities`: self-improvement
    /// against their mean, spillover from the best.
    pub fn update(&mut self, qualities: &[f64], dynamics: &Dynamics, algorithms: &Algorithms) {
        let mean_quality = qualities.iter().sum::<f64>() / qualities.len() as f64;
        let best_quality = qualities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let self_improves = dynamics.kappa != 0.0 || dynamics.kappa_abs != 0.0;
        let multipliers = self.research.iter_mut().zip(self.spill.iter_mut());
        for ((research, spill), &quality) in multipliers.zip(qualities) {
            *research = if self_improves {
                research_multiplier(quality, mean_quality, dynamics, algorithms)
            } else {
                1.0
            };
            *spill = if dynamics.phi == 0.0 || quality >= best_quality {
                1.0
            } else {
                spillover(
                    quality,
                    best_quality,
                    dynamics.phi,
                    algorithms.elo_per_decade,
                )
            };
        }
    }
}

/// Adds this month's effective compute to every lab's run in progress:
/// `E_i += T_i * flop_per_h100e_month * research_efficiency_i * A[t] * R_i * S_i`.
///
/// `multipliers` are `R` and `S` of the deployed qualities at the start of the month (all
/// labs), `algo` is `A[t]`. The run in progress grows one month older. Once it has lasted
/// its planned `run_months` (its release slipped), the month's compute goes to the next
/// run unless `delay_trains`. Returns the first lab whose effective compute (run in
/// progress, next run and target) is no longer finite, if any.
#[inline]
pub fn train(
    labs: &mut [LabState],
    traits: &[Lab],
    multipliers: &Multipliers,
    algo: f64,
    algorithms: &Algorithms,
) -> Option<usize> {
    // The labs' effective compute summed: finite when each lab's is (and, rarely, not
    // even then: then each lab is checked).
    let mut all = 0.0;
    let multipliers = multipliers.research.iter().zip(&multipliers.spill);
    for ((lab, traits), (research, spill)) in labs.iter_mut().zip(traits).zip(multipliers) {
        let added = lab.training_gpus
            * algorithms.flop_per_h100e_month
            * traits.research_efficiency
            * algo
            * research
            * spill;
        let slipped = traits.run_by == RunBy::Months && lab.run_elapsed >= traits.run_months;
        if slipped && !algorithms.delay_trains {
            // The run is done and its release has slipped: this month trains the next one.
            lab.next_compute += added;
        } else {
            lab.run_compute += added;
        }
        lab.run_elapsed += 1;
        all += compute(lab);
    }
    if all.is_finite() {
        None
    } else {
        labs.iter().position(|lab| !compute(lab).is_finite())
    }
}

/// A lab's effective compute as the overflow check sees it: run in progress, next run and
/// target.
fn compute(lab: &LabState) -> f64 {
    lab.run_compute + lab.next_compute + lab.run_target
}

/// Effective compute of the run already in progress at month 0, `age` months old: what
/// `train_fraction` of `fleet` would have trained over those months at their algorithms
/// (`A[-k]`, k = 1..age), with no self-improvement or spillover.
pub fn warm_start(
    train_fraction: f64,
    fleet: f64,
    research_efficiency: f64,
    age: u32,
    algorithms: &Algorithms,
) -> f64 {
    (1..=age)
        .map(|k| {
            train_fraction
                * fleet
                * algorithms.flop_per_h100e_month
                * research_efficiency
                * per_year(algorithms.algo_progress, -(k as f64))
        })
        .sum()
}

/// Self-improvement: `R = min(max(1, (1 + kappa_abs * max(0, q - q0) / elo_per_decade)
/// * min(10^(kappa (q - q_mean) / elo_per_decade), research_cap)), research_cap)`.
///
/// The absolute part: a lab's own model, in decades of effective compute above `q0`,
/// speeds its research linearly (AI doing AI research, every lab by its own model). The
/// relative part: a lab ahead of the field's mean gains more. The multiplier is never
/// below 1: AI help does not make a laggard's research slower than with no AI at all.
pub fn research_multiplier(
    quality: f64,
    mean_quality: f64,
    dynamics: &Dynamics,
    algorithms: &Algorithms,
) -> f64 {
    let per_decade = algorithms.elo_per_decade;
    let relative = if dynamics.kappa == 0.0 {
        1.0
    } else {
        let exponent =
            (dynamics.kappa * (quality - mean_quality) / per_decade).min(MAX_LOG10_MULTIPLIER);
        pow10(exponent).min(dynamics.research_cap)
    };
    // Uncapped until the product: a laggard's relative part below 1 scales the whole
    // absolute part (finite: qualities are).
    let absolute = 1.0 + dynamics.kappa_abs / per_decade * (quality - algorithms.q0).max(0.0);
    (absolute * relative).max(1.0).min(dynamics.research_cap)
}

/// Effective compute that `share` of `fleet` trains over `months` months, the first of
/// which is `first` months from now (`first` may be negative: months past), at today's
/// algorithms `algo` growing by `algo_progress` a year:
/// `share * fleet * flop * research_efficiency * algo * sum_k algo_progress^(k/12)`,
/// with no self-improvement or spillover.
pub fn planned_compute(
    share: f64,
    fleet: f64,
    research_efficiency: f64,
    algo: f64,
    first: i64,
    months: u32,
    algorithms: &Algorithms,
) -> f64 {
    let r = per_year(algorithms.algo_progress, 1.0);
    let sum = if (r - 1.0).abs() < 1e-12 {
        f64::from(months)
    } else {
        math::pow(r, first as f64) * (math::pow(r, f64::from(months)) - 1.0) / (r - 1.0)
    };
    share * fleet * algorithms.flop_per_h100e_month * research_efficiency * algo * sum
}

/// Catch-up spillover `S = 10^(phi * max(0, q_max - q) / elo_per_decade)`: a laggard gets
/// a fraction `phi` of its gap, in compute terms, for free.
pub fn spillover(quality: f64, frontier: f64, phi: f64, elo_per_decade: f64) -> f64 {
    let exponent = (phi * (frontier - quality).max(0.0) / elo_per_decade).min(MAX_LOG10_MULTIPLIER);
    pow10(exponent)
}

/// `10^x` through `exp`, about three times cheaper than `powf` and as accurate for the
/// model's purposes (relative error about 1e-15).
fn pow10(x: f64) -> f64 {
    math::exp(x * std::f64::consts::LN_10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::lab;

    /// Algorithms with `flop` per H100e-month that improve `algo_progress` times a year.
    fn algorithms(flop: f64, algo_progress: f64) -> Algorithms {
        Algorithms {
            flop_per_h100e_month: flop,
            algo_progress,
            ..Algorithms::default()
        }
    }

    /// Self-improvement, relative (`kappa`) and absolute (`kappa_abs`), within `research_cap`.
    fn dynamics(kappa: f64, kappa_abs: f64, research_cap: f64) -> Dynamics {
        Dynamics {
            kappa,
            kappa_abs,
            research_cap,
            ..Dynamics::default()
        }
    }

    #[test]
    fn a_leader_researches_faster_and_a_laggard_catches_up() {
        // Qualities 1100 and 1000, mean 1050, 100 Elo per decade. kappa 1: the leader's
        // research is 10^0.5 faster, the laggard's 10^-0.5 slower; phi 0.5 gives the
        // laggard 10^0.5 back. 100 training GPUs, 1e21 FLOP each, A = 2.
        let algorithms = Algorithms {
            flop_per_h100e_month: 1e21,
            elo_per_decade: 100.0,
            ..Algorithms::default()
        };
        let dynamics = Dynamics {
            phi: 0.5,
            ..dynamics(1.0, 0.0, 100.0)
        };
        let qualities = [1100.0, 1000.0];
        let mut labs = qualities.map(|quality| LabState {
            quality,
            training_gpus: 100.0,
            run_compute: 1e20,
            ..LabState::default()
        });
        let mut multipliers = Multipliers::new(2);
        multipliers.update(&qualities, &dynamics, &algorithms);
        let overflow = train(
            &mut labs,
            &[lab("id = \"a\""), lab("id = \"b\"")],
            &multipliers,
            2.0,
            &algorithms,
        );
        assert_eq!(overflow, None);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b;
        // The laggard's self-improvement is 10^-0.5 by the relative formula, but never
        // below 1: spillover then gives it 10^0.5.
        assert!(close(labs[0].run_compute, 1e20 + 2e23 * 10f64.sqrt()));
        assert!(close(labs[1].run_compute, 1e20 + 2e23 * 10f64.sqrt()));
        assert_eq!((labs[0].run_elapsed, labs[1].run_elapsed), (1, 1));
    }

    #[test]
    fn the_run_in_progress_starts_with_its_past_months_of_compute() {
        // Half of 1000 GPUs, 1e21 FLOP, research efficiency 2: 1e24 a month at today's
        // algorithms; algorithms 4x a year make month -k worth 4^(-k/12) of that.
        let flat = algorithms(1e21, 1.0);
        assert_eq!(warm_start(0.5, 1000.0, 2.0, 2, &flat), 2e24);
        assert_eq!(warm_start(0.5, 1000.0, 2.0, 0, &flat), 0.0);
        let fast = algorithms(1e21, 4.0);
        let expected = 1e24 * (4f64.powf(-1.0 / 12.0) + 4f64.powf(-2.0 / 12.0));
        assert!((warm_start(0.5, 1000.0, 2.0, 2, &fast) - expected).abs() < 1e-3 * 1e12);
    }

    #[test]
    fn kappa_one_lead_of_a_decade_is_ten_x_and_a_laggard_is_never_slowed() {
        let algorithms = Algorithms {
            q0: 1000.0,
            elo_per_decade: 90.0,
            ..Algorithms::default()
        };
        let r = |q: f64, d: &Dynamics| research_multiplier(q, 1300.0, d, &algorithms);
        assert!((r(1390.0, &dynamics(1.0, 0.0, 100.0)) - 10.0).abs() < 1e-9);
        assert_eq!(r(1390.0, &dynamics(1.0, 0.0, 5.0)), 5.0);
        assert_eq!(r(1390.0, &dynamics(0.0, 0.0, 5.0)), 1.0);
        // 600 Elo behind the mean: 1e-6.7 by the relative formula, 1 here.
        assert_eq!(r(700.0, &dynamics(1.0, 0.0, 10.0)), 1.0);
        // The absolute part: 1390 is 390 Elo, 4.33 decades, above q0 = 1000; kappa_abs
        // 0.3 makes research 1 + 1.3 = 2.3 times faster, for a lab at the field's mean
        // too; times the relative part for one ahead of it.
        let abs = 1.0 + 0.3 * 390.0 / 90.0;
        assert!(
            (research_multiplier(1390.0, 1390.0, &dynamics(1.0, 0.3, 100.0), &algorithms) - abs)
                .abs()
                < 1e-9
        );
        assert!((r(1390.0, &dynamics(1.0, 0.3, 100.0)) - abs * 10.0).abs() < 1e-9);
        // Below q0 the absolute part gives nothing, and the cap holds.
        assert_eq!(
            research_multiplier(900.0, 900.0, &dynamics(0.0, 0.3, 100.0), &algorithms),
            1.0
        );
        assert_eq!(r(1390.0, &dynamics(1.0, 0.3, 20.0)), 20.0);
        // The cap applies to the product only: a laggard a decade below the mean (relative
        // part 0.1) whose model stands 5 decades above q0 with kappa_abs 5 researches
        // (1 + 25) * 0.1 = 2.6 times faster under a cap of 10, not (1 + 10) * 0.1.
        let laggard = research_multiplier(1450.0, 1540.0, &dynamics(1.0, 5.0, 10.0), &algorithms);
        assert!((laggard - 2.6).abs() < 1e-9, "{laggard}");
    }

    #[test]
    fn planned_compute_sums_the_months_algorithms() {
        // 1000 GPUs at half, 1e21 FLOP: 5e23 a month at today's algorithms. Flat
        // algorithms: 6 months is 3e24. Algorithms 4x a year: months 1..=2 from now are
        // worth 4^(1/12) and 4^(2/12) of today's; months -2..=-1, 4^(-2/12) and 4^(-1/12).
        let flat = algorithms(1e21, 1.0);
        assert!((planned_compute(0.5, 1000.0, 1.0, 1.0, 1, 6, &flat) - 3e24).abs() < 1e9);
        let fast = algorithms(1e21, 4.0);
        let r = 4f64.powf(1.0 / 12.0);
        let ahead = 5e23 * 2.0 * (r + r * r);
        assert!((planned_compute(0.5, 1000.0, 1.0, 2.0, 1, 2, &fast) - ahead).abs() < 1e9);
        let past = 5e23 * (1.0 / r + 1.0 / (r * r));
        assert!((planned_compute(0.5, 1000.0, 1.0, 1.0, -2, 2, &fast) - past).abs() < 1e9);
        assert!((warm_start(0.5, 1000.0, 1.0, 2, &fast) - past).abs() < 1e9);
    }

    #[test]
    fn spillover_gives_laggards_part_of_the_gap() {
        assert!((spillover(1210.0, 1300.0, 0.5, 90.0) - 10f64.sqrt()).abs() < 1e-12);
        assert_eq!(spillover(1300.0, 1300.0, 0.5, 90.0), 1.0);
        assert_eq!(spillover(1210.0, 1300.0, 0.0, 90.0), 1.0);
    }
}
