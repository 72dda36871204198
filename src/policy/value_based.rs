//! `value_based { horizon }`: train until the marginal value of a training GPU equals the
//! marginal revenue of a serving GPU.

use std::f64::consts::LN_10;

use super::{Policy, View};
use crate::scenario::decl::{closed, declare};

declare! {
    /// Split the fleet where a training GPU and a serving GPU are worth the same:
    /// `T / I = (horizon / run_months) * elo_per_decade * (beta * (1 - s) / 400 + f * eta /
    /// (100 ln 10))` for a lab with customer share `s`, `f` 1 for a lab at the frontier
    /// and 0 behind it (derived in docs/model.md): the lab with the larger share trains
    /// less (the replacement effect), and the frontier lab trains for the demand its next
    /// model adds (market expansion). It never keeps more serving GPUs than last month's
    /// demand needs. No floor or cap: the rule, not a bound, makes the choice at the
    /// margin.
    pub struct ValueBased {
        /// months a model earns before the next one replaces it (H)
        pub horizon: f64 = 12.0 => param { label: "Value horizon", unit: "months", range: closed(0.1, 240.0) },
    }
}

impl ValueBased {
    /// The training fraction where the marginal values meet, `x / (1 + x)` with
    /// `x = T / I = (horizon / run_months) * elo_per_decade * beta * (1 - share) / 400`,
    /// plus `(horizon / run_months) * elo_per_decade * eta / (100 ln 10)` for a lab at the
    /// frontier (ties count), whose better model raises total demand (`D` grows as
    /// `exp(eta * frontier gain / 100)`). A GPU moved to training for a run of
    /// `run_months` months gives up that many months of serving revenue for a model that
    /// earns `horizon` months.
    pub fn balance(&self, view: &View) -> f64 {
        let per_run = self.horizon / f64::from(view.run_months);
        let replacement = view.beta * (1.0 - view.customers).max(0.0) / 400.0;
        let expansion = if view.lead() >= 0.0 {
            view.eta / (100.0 * LN_10)
        } else {
            0.0
        };
        let x = per_run * view.elo_per_decade * (replacement + expansion);
        x / (1.0 + x)
    }
}

impl Policy for ValueBased {
    fn train_fraction(&self, view: &View) -> f64 {
        let balance = self.balance(view);
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

    /// A view of lab 0 with `share` of the customers, 100 Elo per decade and runs of
    /// `run_months`; `qualities` decide whether it is at the frontier.
    fn at(qualities: &[f64], share: f64, beta: f64, eta: f64, run_months: u32) -> View<'_> {
        let mut v = super::super::test_view(qualities, 0);
        v.customers = share;
        v.beta = beta;
        v.eta = eta;
        v.run_months = run_months;
        v
    }

    #[test]
    fn the_larger_share_trains_less() {
        // H 12, runs of 6 months (a model earns two runs' worth of months), beta 1, 100 Elo
        // per decade, behind the frontier: T/I = 2 * 100 * (1 - s) / 400 = (1 - s) / 2.
        // A third of the market: T/I = 1/3, train 1/4; 60%: 0.2, train 1/6; all: nothing.
        let p = ValueBased { horizon: 12.0 };
        let q = [0.0, 10.0];
        let behind = |share: f64, beta: f64| p.balance(&at(&q, share, beta, 0.5, 6));
        assert!((behind(1.0 / 3.0, 1.0) - 0.25).abs() < 1e-12);
        assert!((behind(0.6, 1.0) - 1.0 / 6.0).abs() < 1e-12);
        assert_eq!(behind(1.0, 1.0), 0.0);
        // Herding customers (beta 5) make quality worth more: train more.
        assert!(behind(0.6, 5.0) > behind(0.6, 1.0));
        // A model that earns for longer against the run that makes it: train more. Runs of
        // 12 months: T/I = (1 - s) / 4; of 2 months: 1.5 (1 - s).
        let runs = |months: u32| p.balance(&at(&q, 0.6, 1.0, 0.5, months));
        assert!((runs(12) - 0.1 / 1.1).abs() < 1e-12);
        assert!((runs(2) - 0.6 / 1.6).abs() < 1e-12);
        // Through the policy: sold out, the balance; with spare serving GPUs, those.
        let mut v = at(&q, 0.6, 1.0, 0.5, 6);
        v.fleet = 1000.0;
        v.demand = 2000.0; // sold out
        assert!((p.train_fraction(&v) - 1.0 / 6.0).abs() < 1e-12);
        v.demand = 100.0; // 900 of 1000 GPUs would idle serving: train them
        assert!((p.train_fraction(&v) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn the_frontier_lab_trains_for_the_demand_its_next_model_adds() {
        // H 12, runs of 6 months, 100 Elo per decade, demand 0.5 per 100 Elo (D grows as
        // exp(0.005 Q)): one more Elo at the frontier raises demand by 0.5%, worth
        // 2 * 100 * 0.005 / ln 10 = 0.434 serving GPUs per training GPU on top of the share
        // it wins.
        let p = ValueBased { horizon: 12.0 };
        let expansion = 2.0 * 100.0 * 0.5 / (100.0 * LN_10);
        let lead = [10.0, 0.0];
        // A monopolist (or a lone lab) still trains: 30% of its fleet.
        let monopoly = p.balance(&at(&lead, 1.0, 1.0, 0.5, 6));
        assert!((monopoly - expansion / (1.0 + expansion)).abs() < 1e-12);
        assert!((monopoly - 0.3028).abs() < 1e-4, "{monopoly}");
        // At 60%: 0.2 + 0.434 at the frontier against 0.2 behind it.
        let x = 0.2 + expansion;
        assert!((p.balance(&at(&lead, 0.6, 1.0, 0.5, 6)) - x / (1.0 + x)).abs() < 1e-12);
        // Demand deaf to quality (eta 0): the frontier adds nothing.
        let behind = p.balance(&at(&[0.0, 10.0], 0.6, 1.0, 0.0, 6));
        assert_eq!(p.balance(&at(&lead, 0.6, 1.0, 0.0, 6)), behind);
        // Ties count as the frontier, and so does a lone lab; a lab behind does not.
        assert_eq!(p.balance(&at(&[10.0, 10.0], 1.0, 1.0, 0.5, 6)), monopoly);
        assert_eq!(p.balance(&at(&[10.0], 1.0, 1.0, 0.5, 6)), monopoly);
        assert_eq!(p.balance(&at(&[0.0, 10.0], 1.0, 1.0, 0.5, 6)), 0.0);
    }
}
