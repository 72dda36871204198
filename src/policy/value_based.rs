//! `value_based { horizon }`: train until the marginal value of a training GPU equals the
//! marginal revenue of a serving GPU.

use std::f64::consts::LN_10;

use super::{Policy, View};
use crate::scenario::decl::{closed, declare};

declare! {
    /// Split the fleet where a training GPU and a serving GPU are worth the same:
    /// `T / I = horizon * elo_per_decade * (beta * (1 - s) / 400 + f * eta / (100 ln 10))`
    /// for a lab with customer share `s`, `f` 1 for a lab at the frontier and 0 behind it
    /// (derived in docs/model.md): the lab with the larger share trains less (the
    /// replacement effect), and the frontier lab trains for the demand its next model adds
    /// (market expansion). It never keeps more serving GPUs than last month's demand
    /// needs. No floor or cap: the rule, not a bound, makes the choice at the margin.
    pub struct ValueBased {
        /// months a model earns before the next one replaces it (H)
        pub horizon: f64 = 12.0 => param { label: "Value horizon", unit: "months", range: closed(0.1, 240.0) },
    }
}

impl ValueBased {
    /// The training fraction where the marginal values meet, `x / (1 + x)` with
    /// `x = T / I = horizon * beta * elo_per_decade * (1 - share) / 400`, plus
    /// `horizon * elo_per_decade * eta / (100 ln 10)` for a lab at the frontier, whose
    /// better model raises total demand (`D` grows as `exp(eta * frontier gain / 100)`).
    pub fn balance(
        &self,
        share: f64,
        beta: f64,
        elo_per_decade: f64,
        eta: f64,
        at_frontier: bool,
    ) -> f64 {
        let replacement = self.horizon * beta * elo_per_decade * (1.0 - share).max(0.0) / 400.0;
        let expansion = if at_frontier {
            self.horizon * elo_per_decade * eta / (100.0 * LN_10)
        } else {
            0.0
        };
        let x = replacement + expansion;
        x / (1.0 + x)
    }
}

impl Policy for ValueBased {
    fn train_fraction(&self, view: &View) -> f64 {
        let balance = self.balance(
            view.customers,
            view.beta,
            view.elo_per_decade,
            view.eta,
            view.lead() >= 0.0,
        );
        let serve_capacity = view.fleet * view.serving_efficiency;
        // Serving GPUs beyond last month's demand earn nothing: train them.
        let spare = if serve_capacity > 0.0 {
            1.0 - view.demand / serve_capacity
        } else {
            1.0
        };
        balance.max(spare)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_larger_share_trains_less() {
        // H 12, beta 1, 100 Elo per decade: T/I = 3 (1 - s). A third of the market: T/I = 2,
        // train 2/3; 60%: T/I = 1.2, train 0.545; all of it: nothing to gain, train 0.
        let p = ValueBased { horizon: 12.0 };
        let behind = |share: f64, beta: f64| p.balance(share, beta, 100.0, 0.5, false);
        assert!((behind(1.0 / 3.0, 1.0) - 2.0 / 3.0).abs() < 1e-12);
        assert!((behind(0.6, 1.0) - 1.2 / 2.2).abs() < 1e-12);
        assert_eq!(behind(1.0, 1.0), 0.0);
        // Herding customers (beta 5) make quality worth more: train more.
        assert!(behind(0.6, 5.0) > behind(0.6, 1.0));
        // Demand that does not respond to the frontier (eta 0) adds nothing at the frontier.
        assert_eq!(p.balance(0.6, 1.0, 100.0, 0.0, true), behind(0.6, 1.0));
        // Behind, the view's qualities decide: lab 0 trails lab 1 by 10 Elo.
        let q = [0.0, 10.0];
        let mut v = super::super::test_view(&q, 0);
        v.fleet = 1000.0;
        v.customers = 0.6;
        v.demand = 2000.0; // sold out
        assert!((p.train_fraction(&v) - 1.2 / 2.2).abs() < 1e-12);
        v.demand = 100.0; // 900 of 1000 GPUs would idle serving: train them
        assert!((p.train_fraction(&v) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn the_frontier_lab_trains_for_the_demand_its_next_model_adds() {
        // H 12, 100 Elo per decade, demand 0.5 per 100 Elo (D grows as exp(0.005 Q)): one
        // more Elo at the frontier raises demand by 0.5%, worth 12 * 100 * 0.005 / ln 10 =
        // 2.606 serving GPUs per training GPU on top of the share it wins.
        let p = ValueBased { horizon: 12.0 };
        let expansion = 12.0 * 100.0 * 0.5 / (100.0 * LN_10);
        let at = |share: f64| p.balance(share, 1.0, 100.0, 0.5, true);
        assert!((at(1.0) - expansion / (1.0 + expansion)).abs() < 1e-12);
        // A monopolist (or a lone lab) still trains: about 72% of its fleet.
        assert!((at(1.0) - 0.7227).abs() < 1e-4, "{}", at(1.0));
        // At 60%: 1.2 + 2.606 against 1.2 behind the frontier.
        let x = 1.2 + expansion;
        assert!((at(0.6) - x / (1.0 + x)).abs() < 1e-12);
        assert!(at(0.6) > p.balance(0.6, 1.0, 100.0, 0.5, false));
        // Through the view: the leader (ties count) and a lone lab are at the frontier.
        let v = |q: &[f64]| {
            let mut v = super::super::test_view(q, 0);
            v.fleet = 1000.0;
            v.customers = 1.0;
            v.demand = 1e9; // sold out
            v.eta = 0.5;
            p.train_fraction(&v)
        };
        assert_eq!(v(&[10.0, 0.0]), at(1.0));
        assert_eq!(v(&[10.0, 10.0]), at(1.0));
        assert_eq!(v(&[10.0]), at(1.0));
        assert_eq!(v(&[0.0, 10.0]), 0.0);
    }
}
