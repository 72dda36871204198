//! Choice (step 7): customers want labs by a multinomial logit on quality, brand and
//! price, with an open-weight outside option, and move towards what they want with
//! inertia.

use super::exp_or_one;
use crate::engine::LabState;
use crate::scenario::Lab;
use crate::scenario::file::{Market, OpenWeights};

/// Customers choose this month. Desired shares come from the logit over the labs'
/// deployed qualities, brands and prices (each lab's price term of its utility in
/// `price_terms`, [`super::prices::price_utility`]; the open-weight option of quality
/// `open_quality`, when there is one, is at the reference price); each lab's customers
/// then move a fraction `switching` of the way to its desired share. `utilities` and
/// `desired` are per-lab buffers; `desired` keeps the desired shares for serving.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn choose(
    labs: &mut [LabState],
    traits: &[Lab],
    market: &Market,
    open: &OpenWeights,
    open_quality: Option<f64>,
    price_terms: &[f64],
    utilities: &mut [f64],
    desired: &mut [f64],
) {
    let mut top = f64::NEG_INFINITY;
    for ((u, (lab, traits)), price) in utilities
        .iter_mut()
        .zip(labs.iter().zip(traits))
        .zip(price_terms)
    {
        *u = utility(market.beta, lab.quality, traits.brand) + price;
        top = top.max(*u);
    }
    let open_utility = open_quality.map(|q| utility(market.beta, q, open.brand));
    if let Some(u) = open_utility {
        top = top.max(u);
    }
    let total = odds(utilities, open_utility, top, desired).0;
    for (lab, want) in labs.iter_mut().zip(desired.iter_mut()) {
        *want /= total;
        lab.desired_share = *want;
        lab.customers += market.switching * (*want - lab.customers);
    }
}

/// Quality of the open-weight option in month `month`, when enabled: the frontier of
/// `lag` months ago (month 0's before month `lag`) minus `gap`. `frontier` holds the best
/// deployed quality of every month so far, this one included.
pub fn open_weight_quality(frontier: &[f64], month: u32, open: &OpenWeights) -> Option<f64> {
    open.enabled.then(|| {
        let back = (month as usize).saturating_sub(open.lag as usize);
        frontier[back] - open.gap
    })
}

/// Utility of a model: `beta * ln(10) * quality / 400 + brand`. With `beta = 1` two
/// models' odds are Elo odds: a 100-point lead wins 64% of head-to-head choices.
pub fn utility(beta: f64, quality: f64, brand: f64) -> f64 {
    beta * std::f64::consts::LN_10 * quality / 400.0 + brand
}

/// Desired shares `pi_i = exp(u_i) / (sum_j exp(u_j) + exp(u_open))`, written into `out`.
/// Returns the open option's share (0 without one). Computed stably: utilities are
/// shifted by their maximum, so any quality is fine.
pub fn desired_shares(utilities: &[f64], open_utility: Option<f64>, out: &mut [f64]) -> f64 {
    let top = utilities
        .iter()
        .copied()
        .chain(open_utility)
        .fold(f64::NEG_INFINITY, f64::max);
    let (total, open) = odds(utilities, open_utility, top, out);
    for o in out.iter_mut() {
        *o /= total;
    }
    open / total
}

/// The odds of each option against the top one, `exp(u_i - top)`, written into `out`:
/// returns their total (the open option's included) and the open option's odds (0
/// without one).
fn odds(utilities: &[f64], open_utility: Option<f64>, top: f64, out: &mut [f64]) -> (f64, f64) {
    let mut total = 0.0;
    for (o, u) in out.iter_mut().zip(utilities) {
        *o = exp_or_one(u - top);
        total += *o;
    }
    let open = open_utility.map_or(0.0, |u| exp_or_one(u - top));
    (total + open, open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::lab;

    #[test]
    fn hundred_elo_is_sixty_four_percent() {
        let u = [utility(1.0, 1400.0, 0.0), utility(1.0, 1300.0, 0.0)];
        let mut pi = [0.0; 2];
        let open = desired_shares(&u, None, &mut pi);
        assert_eq!(open, 0.0);
        assert!((pi[0] - 1.0 / (1.0 + 10f64.powf(-0.25))).abs() < 1e-12);
        assert!((pi[0] - 0.640).abs() < 0.001);
    }

    #[test]
    fn open_weights_lag_the_frontier_by_lag_months() {
        let open = OpenWeights {
            enabled: true,
            lag: 2,
            gap: 30.0,
            brand: 0.0,
        };
        let frontier = [1000.0, 1010.0, 1050.0, 1080.0];
        assert_eq!(open_weight_quality(&frontier, 0, &open), Some(970.0));
        assert_eq!(open_weight_quality(&frontier, 1, &open), Some(970.0));
        assert_eq!(open_weight_quality(&frontier, 2, &open), Some(970.0));
        assert_eq!(open_weight_quality(&frontier, 3, &open), Some(980.0));
        let off = OpenWeights {
            enabled: false,
            ..open
        };
        assert_eq!(open_weight_quality(&frontier, 3, &off), None);
    }

    #[test]
    fn customers_move_part_of_the_way_to_their_choice() {
        // Equal qualities and brands: desired shares 1/2 each; switching 0.5 moves a lab
        // with 0.9 of the market to 0.7 and one with 0.1 to 0.3.
        let mut labs = [0.9, 0.1].map(|customers| LabState {
            quality: 1000.0,
            customers,
            ..LabState::default()
        });
        let traits = vec![lab("id = \"a\""); 2];
        let market = Market {
            switching: 0.5,
            ..Market::default()
        };
        let (mut u, mut desired) = ([0.0; 2], [0.0; 2]);
        choose(
            &mut labs,
            &traits,
            &market,
            &OpenWeights::default(),
            None,
            &[0.0; 2],
            &mut u,
            &mut desired,
        );
        assert_eq!(desired, [0.5, 0.5]);
        assert!((labs[0].customers - 0.7).abs() < 1e-15);
        assert!((labs[1].customers - 0.3).abs() < 1e-15);
        assert_eq!(labs[0].desired_share, 0.5);
    }

    #[test]
    fn a_dearer_lab_is_chosen_less() {
        // Equal models, one at twice the reference price, sensitivity 1: its odds halve,
        // 1/3 against 2/3.
        let mut labs = vec![
            LabState {
                quality: 1000.0,
                ..LabState::default()
            };
            2
        ];
        let traits = vec![lab("id = \"a\""); 2];
        let prices = [
            super::super::prices::price_utility(2000.0, 1000.0, 1.0),
            super::super::prices::price_utility(1000.0, 1000.0, 1.0),
        ];
        let (mut u, mut desired) = ([0.0; 2], [0.0; 2]);
        let open = OpenWeights::default();
        let market = Market::default();
        choose(
            &mut labs,
            &traits,
            &market,
            &open,
            None,
            &prices,
            &mut u,
            &mut desired,
        );
        assert!((desired[0] - 1.0 / 3.0).abs() < 1e-12 && (desired[1] - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn open_option_takes_a_share_and_huge_qualities_are_finite() {
        let u = [utility(3.0, 1e6, 0.0), utility(3.0, 1e6, 0.0)];
        let mut pi = [0.0; 2];
        let open = desired_shares(&u, Some(utility(3.0, 1e6, 0.0)), &mut pi);
        assert!((pi[0] - 1.0 / 3.0).abs() < 1e-12 && (open - 1.0 / 3.0).abs() < 1e-12);
    }
}
