//! Customer choice: multinomial logit on quality and brand, with an open-weight outside option.

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
    let mut total = 0.0;
    for (o, u) in out.iter_mut().zip(utilities) {
        *o = (u - top).exp();
        total += *o;
    }
    let open = open_utility.map_or(0.0, |u| (u - top).exp());
    total += open;
    for o in out.iter_mut() {
        *o /= total;
    }
    open / total
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn open_option_takes_a_share_and_huge_qualities_are_finite() {
        let u = [utility(3.0, 1e6, 0.0), utility(3.0, 1e6, 0.0)];
        let mut pi = [0.0; 2];
        let open = desired_shares(&u, Some(utility(3.0, 1e6, 0.0)), &mut pi);
        assert!((pi[0] - 1.0 / 3.0).abs() < 1e-12 && (open - 1.0 / 3.0).abs() < 1e-12);
    }
}
