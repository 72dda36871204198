//! Release (step 4): a run that has lasted its due months becomes a candidate model of
//! quality `Q(E) + luck`; it ships only if it beats the deployed model. Either way a new
//! run starts from zero, due after `run_months` plus a random delay.

use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use crate::engine::LabState;
use crate::scenario::Lab;
use crate::scenario::file::Algorithms;

/// The quality curve `Q(E) = q0 + elo_per_decade * log10(E / e0)`, in Elo.
///
/// `E <= 0` (a run that trained nothing) has no model: `None`.
pub fn quality_of(effective_compute: f64, q0: f64, e0: f64, elo_per_decade: f64) -> Option<f64> {
    (effective_compute > 0.0).then(|| q0 + elo_per_decade * (effective_compute / e0).log10())
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
/// luck (standard normal) and then its successor's delay (uniform on
/// `0..=release_delay_max`, no draw when that is 0) from `rng`, so the draws do not
/// depend on what the run achieved.
#[inline]
pub fn release<R: Rng + ?Sized>(
    labs: &mut [LabState],
    traits: &[Lab],
    algorithms: &Algorithms,
    rng: &mut R,
) {
    for (lab, traits) in labs.iter_mut().zip(traits) {
        lab.released = false;
        lab.candidate = f64::NAN;
        if lab.run_elapsed < lab.run_due {
            continue;
        }
        let luck: f64 = rng.sample(StandardNormal);
        let delay = if algorithms.release_delay_max > 0 {
            rng.random_range(0..=algorithms.release_delay_max)
        } else {
            0
        };
        finish_run(lab, luck, traits.run_months + delay, algorithms);
    }
}

/// Ends `lab`'s run with research luck `luck` (in standard deviations): the candidate
/// `Q(E) + release_sigma * luck` ships when it beats the deployed quality. The next run
/// starts from what the slipped months trained for it (`next_compute`) and is due in
/// `next_due` months.
pub fn finish_run(lab: &mut LabState, luck: f64, next_due: u32, algorithms: &Algorithms) {
    let (q0, e0, per_decade) = (algorithms.q0, algorithms.e0, algorithms.elo_per_decade);
    if let Some(quality) = quality_of(lab.run_compute, q0, e0, per_decade) {
        lab.candidate = quality + algorithms.release_sigma * luck;
        if lab.candidate > lab.quality {
            lab.quality = lab.candidate;
            lab.released = true;
            lab.releases += 1;
        }
    }
    lab.run_compute = std::mem::take(&mut lab.next_compute);
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
        let mut lab = LabState {
            quality: 1110.0,
            run_compute: 1e25,
            run_elapsed: 6,
            ..LabState::default()
        };
        finish_run(&mut lab, 0.5, 7, &algorithms());
        assert_eq!(lab.candidate, 1105.0);
        assert!(!lab.released && lab.quality == 1110.0 && lab.releases == 0);
        assert_eq!((lab.run_compute, lab.run_elapsed, lab.run_due), (0.0, 0, 7));
        lab.run_compute = 1e25;
        finish_run(&mut lab, 1.5, 6, &algorithms());
        assert_eq!(lab.candidate, 1115.0);
        assert!(lab.released && lab.quality == 1115.0 && lab.releases == 1);
    }

    #[test]
    fn a_run_that_trained_nothing_has_no_candidate() {
        let mut lab = LabState {
            quality: 900.0,
            candidate: f64::NAN,
            ..LabState::default()
        };
        finish_run(&mut lab, 3.0, 4, &algorithms());
        assert!(lab.candidate.is_nan() && !lab.released);
        assert_eq!(lab.run_due, 4);
    }
}
