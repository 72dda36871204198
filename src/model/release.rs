//! Release (step 4): a run that has lasted its due months (or, planned by target size,
//! reached its target) becomes a candidate model of quality `Q(E) + luck`; it ships only
//! if it beats the deployed model. Either way a new run starts, carrying over part of
//! the finished run's compute, due after `run_months` plus a random delay (or at its
//! target).

use crate::math;
use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use super::training::planned_compute;
use crate::engine::LabState;
use crate::scenario::file::{Algorithms, Dynamics};
use crate::scenario::{Lab, RunBy};

/// A run planned by target size ends at the latest after this many times its
/// `run_months`, target reached or not: a lab that stops training does not keep its old
/// model for ever.
pub const MAX_TARGET_STRETCH: u32 = 3;

/// The quality curve `Q(E) = q0 + elo_per_decade * log10(E / e0)`, in Elo.
///
/// `E <= 0` (a run that trained nothing) has no model: `None`.
pub fn quality_of(effective_compute: f64, q0: f64, e0: f64, elo_per_decade: f64) -> Option<f64> {
    (effective_compute > 0.0).then(|| q0 + elo_per_decade * math::log10(effective_compute / e0))
}

/// The effective compute a model of quality `quality` stands for on the quality curve,
/// `e0 * 10^((quality - q0) / elo_per_decade)` (the inverse of [`quality_of`], within
/// 10^+-30 of `e0`): what a lab's deployed model carries into its next run.
pub fn compute_of(quality: f64, algorithms: &Algorithms) -> f64 {
    let decades = (quality - algorithms.q0) / algorithms.elo_per_decade;
    let decades = decades.clamp(-super::MAX_LOG10_MULTIPLIER, super::MAX_LOG10_MULTIPLIER);
    algorithms.e0 * math::exp(decades * std::f64::consts::LN_10)
}

/// The run in progress at month 0, as (months elapsed, months due): it is
/// `run_months - first_release` months old, so the lab's first release comes in month
/// `first_release - 1` (its `first_release`-th month); without `first_release`, a full run
/// from now.
pub fn first_run(run_months: u32, first_release: Option<u32>) -> (u32, u32) {
    let first = first_release.unwrap_or(run_months);
    (run_months - first, run_months)
}

/// Ends every run that is due this month, in lab order. Each due run draws its research
/// luck (standard normal) and then, for a run by months, its successor's delay (uniform on
/// `0..=release_delay_max`, no draw when that is 0) from `rng`, so the draws do not
/// depend on what the run achieved. `algo` is this month's `A[t]`, for the target of a
/// successor planned by size. Returns whether any lab shipped a model.
#[inline]
pub fn release<R: Rng + ?Sized>(
    labs: &mut [LabState],
    traits: &[Lab],
    algorithms: &Algorithms,
    dynamics: &Dynamics,
    algo: f64,
    rng: &mut R,
) -> bool {
    let mut shipped = false;
    for (lab, traits) in labs.iter_mut().zip(traits) {
        lab.released = false;
        lab.candidate = f64::NAN;
        if !is_due(lab) {
            continue;
        }
        let luck: f64 = rng.sample(StandardNormal);
        let by_target = traits.run_by == RunBy::Target;
        let delay = if algorithms.release_delay_max > 0 && !by_target {
            rng.random_range(0..=algorithms.release_delay_max)
        } else {
            0
        };
        let next_due = if by_target {
            MAX_TARGET_STRETCH * traits.run_months
        } else {
            traits.run_months + delay
        };
        finish_run(lab, luck, next_due, algorithms, dynamics.carry_over);
        shipped |= lab.released;
        if by_target {
            lab.run_target = target(lab, traits, algo, 1, algorithms);
        }
    }
    shipped
}

/// Whether the run in progress ends this month: it has lasted its due months, or it is
/// planned by size (a positive target) and has reached its target.
pub fn is_due(lab: &LabState) -> bool {
    lab.run_elapsed >= lab.run_due || (lab.run_target > 0.0 && lab.run_compute >= lab.run_target)
}

/// The target of a run planned by size that starts `first` months from now (1: next
/// month; negative for the run in progress at month 0): what the lab carries over plus
/// what `target_share` of its powered fleet would train over `run_months` at the
/// algorithms of those months ([`planned_compute`]). GPUs diverted from that share delay
/// the release. A run that plans to train nothing (no powered GPUs, or `target_share`
/// 0) has no target (0): it lasts to its latest end, [`MAX_TARGET_STRETCH`] times
/// `run_months`, instead of reaching its target at once and drawing a new candidate,
/// with fresh luck on the same compute, every month.
///
/// Not inlined: inlined into [`release`], its `powf` was hoisted out of the loop over
/// the labs and computed every month, even when no run is by target.
#[inline(never)]
pub fn target(lab: &LabState, traits: &Lab, algo: f64, first: i64, algorithms: &Algorithms) -> f64 {
    let planned = planned_compute(
        traits.target_share,
        lab.powered,
        traits.research_efficiency,
        algo,
        first,
        traits.run_months,
        algorithms,
    );
    if planned > 0.0 {
        lab.run_compute + planned
    } else {
        0.0
    }
}

/// Ends `lab`'s run with research luck `luck` (in standard deviations): the candidate
/// `Q(E) + release_sigma * luck` ships when it beats the deployed quality. The next run
/// starts from `carry_over` of the compute behind the deployed model ([`compute_of`]:
/// the model just shipped, or the one kept) plus what slipped months trained for it
/// (`next_compute`), and is due in `next_due` months.
pub fn finish_run(
    lab: &mut LabState,
    luck: f64,
    next_due: u32,
    algorithms: &Algorithms,
    carry_over: f64,
) {
    let (q0, e0, per_decade) = (algorithms.q0, algorithms.e0, algorithms.elo_per_decade);
    if let Some(quality) = quality_of(lab.run_compute, q0, e0, per_decade) {
        lab.candidate = quality + algorithms.release_sigma * luck;
        if lab.candidate > lab.quality {
            lab.quality = lab.candidate;
            lab.released = true;
            lab.releases += 1;
        }
    }
    lab.run_compute =
        carry_over * compute_of(lab.quality, algorithms) + std::mem::take(&mut lab.next_compute);
    lab.run_elapsed = 0;
    lab.run_due = next_due;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn algorithms() -> Algorithms {
        Algorithms {
            q0: 1000.0,
            e0: 1e24,
            elo_per_decade: 100.0,
            release_sigma: 10.0,
            ..Algorithms::default()
        }
    }

    /// A lab whose deployed model has `quality`, with `run_compute` trained in its run.
    fn deployed(quality: f64, run_compute: f64) -> LabState {
        LabState {
            quality,
            run_compute,
            ..LabState::default()
        }
    }

    #[test]
    fn ten_x_compute_is_one_decade_of_elo() {
        assert_eq!(quality_of(2e26, 1250.0, 2e25, 90.0), Some(1340.0));
        assert_eq!(quality_of(2e25, 1250.0, 2e25, 90.0), Some(1250.0));
        assert_eq!(quality_of(0.0, 1250.0, 2e25, 90.0), None);
    }

    #[test]
    fn first_release_sets_the_age_of_the_run_in_progress() {
        assert_eq!(first_run(6, Some(2)), (4, 6), "two months to go");
        assert_eq!(first_run(6, Some(6)), (0, 6));
        assert_eq!(first_run(6, None), (0, 6));
        assert_eq!(first_run(6, Some(1)), (5, 6), "ships in month 0");
    }

    #[test]
    fn a_lucky_candidate_ships_an_unlucky_one_does_not() {
        // E = 1e25 = 10 e0: Q = 1100; luck +1.5 sd of 10 Elo -> 1115.
        let mut lab = deployed(1110.0, 1e25);
        lab.run_elapsed = 6;
        finish_run(&mut lab, 0.5, 7, &algorithms(), 0.0);
        assert_eq!(lab.candidate, 1105.0);
        assert!(!lab.released && lab.quality == 1110.0 && lab.releases == 0);
        assert_eq!((lab.run_compute, lab.run_elapsed, lab.run_due), (0.0, 0, 7));
        lab.run_compute = 1e25;
        finish_run(&mut lab, 1.5, 6, &algorithms(), 0.0);
        assert_eq!(lab.candidate, 1115.0);
        assert!(lab.released && lab.quality == 1115.0 && lab.releases == 1);
    }

    #[test]
    fn a_run_that_trained_nothing_has_no_candidate() {
        let mut lab = deployed(900.0, 0.0);
        lab.candidate = f64::NAN;
        finish_run(&mut lab, 3.0, 4, &algorithms(), 0.3);
        assert!(lab.candidate.is_nan() && !lab.released);
        assert_eq!(lab.run_due, 4);
    }

    #[test]
    fn the_next_run_starts_with_part_of_the_deployed_model() {
        // A run of 1e25 (Q = 1100) that misses (luck -1 sd: 1090 against 1200 deployed):
        // the deployed model stands for 1e26 on the curve, 30% of which starts the next
        // run, plus 2e24 already trained in slipped months.
        let mut lab = deployed(1200.0, 1e25);
        lab.next_compute = 2e24;
        finish_run(&mut lab, -1.0, 6, &algorithms(), 0.3);
        assert!(!lab.released);
        assert!((lab.run_compute - 3.2e25).abs() < 1e12);
        assert_eq!(lab.next_compute, 0.0);
        // A run of 2e26 (Q = 1230.1, 1240.1 with luck +1 sd) that misses a deployed 1300:
        // the kept model carries, 0.5 of 1e27.
        lab.quality = 1300.0;
        lab.run_compute = 2e26;
        finish_run(&mut lab, 1.0, 6, &algorithms(), 0.5);
        assert!(!lab.released);
        assert!((lab.run_compute / 5e26 - 1.0).abs() < 1e-12);
        // The same run shipping over a deployed 1000 carries its own model.
        lab.quality = 1000.0;
        lab.run_compute = 2e26;
        finish_run(&mut lab, 1.0, 6, &algorithms(), 0.5);
        assert!(lab.released);
        let expected = 0.5 * 1e24 * 10f64.powf((lab.quality - 1000.0) / 100.0);
        assert!((lab.run_compute / expected - 1.0).abs() < 1e-12);
        assert!((compute_of(1100.0, &algorithms()) - 1e25).abs() < 1e12);
    }

    #[test]
    fn a_run_by_target_ends_when_it_gets_there_or_at_its_latest() {
        let mut lab = LabState {
            run_due: 18,
            run_target: 1e25,
            run_compute: 9e24,
            run_elapsed: 4,
            ..LabState::default()
        };
        assert!(!is_due(&lab));
        lab.run_compute = 1e25;
        assert!(is_due(&lab), "target reached");
        lab.run_compute = 0.0;
        lab.run_elapsed = 18;
        assert!(is_due(&lab), "at its latest");
        // A run by months has no target.
        let by_months = LabState {
            run_due: 6,
            run_elapsed: 5,
            run_compute: 1e30,
            ..LabState::default()
        };
        assert!(!is_due(&by_months));
    }
}
