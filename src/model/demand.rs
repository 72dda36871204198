//! Demand (step 5): total demand for inference grows with time and with the frontier's
//! quality, times a mean-one lognormal AR(1) shock, and (after step 6's prices) falls
//! as the price customers pay rises above the reference, by `price_elasticity`.

use crate::math;
use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use super::MAX_LOG10_MULTIPLIER;
use super::prices::price_utility;
use crate::engine::LabState;
use crate::scenario::file::Demand;

/// This month's total demand, H100e-months: the shock moves on one month (not in month
/// 0, whose shock was drawn when the run started), then `D(t)` with `growth[t]` given as
/// `growth_factor` and the frontier's gain since month 0 as `frontier_gain` (its factor
/// kept in `boost` while the frontier does not move).
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn month_demand<R: Rng + ?Sized>(
    shock: &mut Shock,
    boost: &mut Boost,
    month: u32,
    rng: &mut R,
    demand: &Demand,
    growth_factor: f64,
    frontier_gain: f64,
) -> f64 {
    if month > 0 {
        shock.step(rng.sample(StandardNormal));
    }
    let factor = boost.factor(demand.eta, frontier_gain);
    demand_at(demand.d0, growth_factor, factor, shock.value())
}

/// `D(t) = d0 * growth^(t/12) * exp(eta * (q_frontier(t) - q_frontier(0)) / 100) * shock`,
/// with `growth^(t/12)` given as `growth_factor`.
pub fn total_demand(d0: f64, growth_factor: f64, eta: f64, frontier_gain: f64, shock: f64) -> f64 {
    demand_at(d0, growth_factor, quality_factor(eta, frontier_gain), shock)
}

/// Total demand's response to price this month, `(p_mean / reference)^-elasticity`:
/// `p_mean` is what customers pay on average, each lab's price at its customer share and
/// the rest of the market (open weights, customers not yet with a lab) at the reference
/// price, its ratio to the reference clamped as in [`price_utility`]. 1 at elasticity 0 or
/// with no reference price.
pub fn price_factor(labs: &[LabState], reference: f64, elasticity: f64) -> f64 {
    if elasticity == 0.0 || reference <= 0.0 {
        return 1.0;
    }
    let (mut paid, mut share) = (0.0, 0.0);
    for lab in labs {
        paid += lab.customers * lab.price;
        share += lab.customers;
    }
    let mean = paid + (1.0 - share).max(0.0) * reference;
    // The same clamped log of the relative price as the customers' price utility.
    math::exp(price_utility(mean, reference, elasticity))
}

/// [`total_demand`] with the frontier's factor given.
fn demand_at(d0: f64, growth_factor: f64, quality_factor: f64, shock: f64) -> f64 {
    d0 * growth_factor * quality_factor * shock
}

/// The frontier's factor of demand, `exp(eta * frontier_gain / 100)`, at most
/// `10^MAX_LOG10_MULTIPLIER`.
fn quality_factor(eta: f64, frontier_gain: f64) -> f64 {
    math::exp((eta * frontier_gain / 100.0).min(MAX_LOG10_MULTIPLIER * std::f64::consts::LN_10))
}

/// The frontier's factor of demand as last computed, kept while the frontier's gain is
/// the same (it moves only when a model beats the frontier).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Boost {
    gain: f64,
    factor: f64,
}

impl Default for Boost {
    fn default() -> Boost {
        Boost {
            gain: f64::NAN,
            factor: f64::NAN,
        }
    }
}

impl Boost {
    /// [`quality_factor`] of `frontier_gain`, computed only when the gain changed.
    fn factor(&mut self, eta: f64, frontier_gain: f64) -> f64 {
        if frontier_gain != self.gain {
            self.gain = frontier_gain;
            self.factor = quality_factor(eta, frontier_gain);
        }
        self.factor
    }
}

/// The demand shock: `x_t = rho x_{t-1} + sqrt(1 - rho^2) sigma z_t`, `shock = exp(x - sigma^2/2)`.
///
/// `x` is stationary with variance `sigma^2`, so the shock is lognormal with mean one in
/// every month; the first month draws `x` from that stationary law.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shock {
    x: f64,
    rho: f64,
    /// `sqrt(1 - rho^2) * sigma`, the innovation's scale: constant, so computed once
    /// (the same product as computed each month: `a * b * z` is `(a * b) * z`).
    innovation: f64,
    /// `0.5 * sigma * sigma`, constant, so computed once.
    half_variance: f64,
    /// `exp(x - sigma^2/2)`, computed once a month.
    value: f64,
}

impl Shock {
    /// A shock process started from its stationary law with standard normal draw `z0`.
    pub fn new(sigma: f64, rho: f64, z0: f64) -> Shock {
        let x = sigma * z0;
        let half_variance = 0.5 * sigma * sigma;
        Shock {
            x,
            rho,
            innovation: (1.0 - rho * rho).sqrt() * sigma,
            half_variance,
            value: multiplier(x, half_variance),
        }
    }

    /// Advances one month with standard normal draw `z`.
    pub fn step(&mut self, z: f64) {
        self.x = self.rho * self.x + self.innovation * z;
        self.value = multiplier(self.x, self.half_variance);
    }

    /// The multiplier this month.
    pub fn value(&self) -> f64 {
        self.value
    }
}

/// The shock's multiplier `exp(x - sigma^2/2)`, given `sigma^2/2`.
fn multiplier(x: f64, half_variance: f64) -> f64 {
    math::exp(x - half_variance)
}

#[cfg(test)]
mod tests {
    use super::price_factor;
    use crate::engine::LabState;

    #[test]
    fn demand_falls_with_the_price_customers_pay() {
        // Half the market at a lab charging twice the reference, a quarter at one charging
        // the reference, a quarter with no lab (at the reference): customers pay 1.5x the
        // reference on average; at elasticity 1 demand is 1/1.5 of what it would be, at 2
        // (1/1.5)^2, at 0 unchanged.
        let lab = |customers: f64, price: f64| LabState {
            customers,
            price,
            ..LabState::default()
        };
        let labs = [lab(0.5, 2000.0), lab(0.25, 1000.0)];
        assert!((price_factor(&labs, 1000.0, 1.0) - 1.0 / 1.5).abs() < 1e-12);
        assert!((price_factor(&labs, 1000.0, 2.0) - 1.0 / 2.25).abs() < 1e-12);
        assert_eq!(price_factor(&labs, 1000.0, 0.0), 1.0);
        // No reference price: no response.
        assert_eq!(price_factor(&labs, 0.0, 1.0), 1.0);
    }

    use super::*;

    #[test]
    fn demand_grows_with_time_and_frontier() {
        let d = total_demand(100.0, super::super::per_year(2.0, 12.0), 0.5, 100.0, 1.0);
        assert!((d - 200.0 * 0.5f64.exp()).abs() < 1e-9);
    }

    #[test]
    fn shock_is_mean_one() {
        // E[exp(sigma z - sigma^2/2)] = 1: check by quadrature over z.
        let s = 0.4;
        let mut total = 0.0;
        let n = 20_000;
        for k in 0..n {
            let z = -8.0 + 16.0 * (k as f64 + 0.5) / n as f64;
            let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
            total += Shock::new(s, 0.5, z).value() * density * 16.0 / n as f64;
        }
        assert!((total - 1.0).abs() < 1e-6, "{total}");
    }
}
