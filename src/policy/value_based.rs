//! `value_based { horizon }`: train until the marginal value of a training GPU equals the
//! marginal revenue of a serving GPU.

use super::{Policy, View};
use crate::scenario::decl::{closed, declare};

declare! {
    /// Split the fleet where a training GPU and a serving GPU are worth the same:
    /// `T / I = horizon * beta * elo_per_decade * (1 - s) / 400` for a lab with customer
    /// share `s` (derived in docs/model.md), so the lab with the larger share trains less
    /// (the replacement effect). It never keeps more serving GPUs than last month's demand
    /// needs. No floor or cap: the rule, not a bound, makes the choice at the margin.
    pub struct ValueBased {
        /// months a model earns before the next one replaces it (H)
        pub horizon: f64 = 12.0 => param { label: "Value horizon", unit: "months", range: closed(0.1, 240.0) },
    }
}

impl ValueBased {
    /// The training fraction where the marginal values meet, `x / (1 + x)` with
    /// `x = T / I = horizon * beta * elo_per_decade * (1 - share) / 400`.
    pub fn balance(&self, share: f64, beta: f64, elo_per_decade: f64) -> f64 {
        let x = self.horizon * beta * elo_per_decade * (1.0 - share).max(0.0) / 400.0;
        x / (1.0 + x)
    }
}

impl Policy for ValueBased {
    fn train_fraction(&self, view: &View) -> f64 {
        let balance = self.balance(view.customers, view.beta, view.elo_per_decade);
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
        assert!((p.balance(1.0 / 3.0, 1.0, 100.0) - 2.0 / 3.0).abs() < 1e-12);
        assert!((p.balance(0.6, 1.0, 100.0) - 1.2 / 2.2).abs() < 1e-12);
        assert_eq!(p.balance(1.0, 1.0, 100.0), 0.0);
        // Herding customers (beta 5) make quality worth more: train more.
        assert!(p.balance(0.6, 5.0, 100.0) > p.balance(0.6, 1.0, 100.0));
        let q = [0.0, 0.0];
        let mut v = super::super::test_view(&q, 0);
        v.fleet = 1000.0;
        v.customers = 0.6;
        v.demand = 2000.0; // sold out
        assert!((p.train_fraction(&v) - 1.2 / 2.2).abs() < 1e-12);
        v.demand = 100.0; // 900 of 1000 GPUs would idle serving: train them
        assert!((p.train_fraction(&v) - 0.9).abs() < 1e-12);
    }
}
