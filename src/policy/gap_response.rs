//! `gap_response { lead_train, chase_train, midpoint, width }`: a smooth response to the gap.

use super::{Policy, View};
use crate::scenario::decl::{PROB, above, closed, declare};
use crate::math;

declare! {
    /// Training fraction a logistic function of the lab's lead over its best rival:
    /// `chase_train + (lead_train - chase_train) / (1 + exp(-(lead - midpoint) / width))`.
    /// Far behind it trains at `chase_train`, far ahead at `lead_train`.
    pub struct GapResponse {
        /// training fraction while (far) ahead
        pub lead_train: f64 = 0.4 => param { label: "Training share when ahead", range: PROB },
        /// training fraction while (far) behind
        pub chase_train: f64 = 0.7 => param { label: "Training share when behind", range: PROB },
        /// lead over the best rival at which training is halfway
        pub midpoint: f64 = 0.0 => param { label: "Lead at the switch point", unit: "Elo", range: closed(-1000.0, 1000.0) },
        /// how gradual the switch is (logistic scale)
        pub width: f64 = 25.0 => param { label: "Switch width", unit: "Elo", range: above(0.0, 1000.0) },
    }
}

impl Policy for GapResponse {
    fn train_fraction(&self, view: &View) -> f64 {
        let z = (view.lead() - self.midpoint) / self.width;
        let weight = 1.0 / (1.0 + math::exp(-z));
        self.chase_train + (self.lead_train - self.chase_train) * weight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_in_the_lead() {
        let p = GapResponse {
            lead_train: 0.2,
            chase_train: 0.8,
            midpoint: 0.0,
            width: 10.0,
        };
        let q = [1300.0, 1300.0];
        assert!((p.train_fraction(&super::super::test_view(&q, 0)) - 0.5).abs() < 1e-12);
        let q = [1400.0, 1300.0];
        let ahead = p.train_fraction(&super::super::test_view(&q, 0));
        let behind = p.train_fraction(&super::super::test_view(&q, 1));
        // lead +100 = 10 widths: 0.2 + 0.6 / (1 + e^10)
        assert!((behind - (0.8 - 0.6 / (1.0 + (10f64).exp()))).abs() < 1e-12);
        assert!((ahead - (0.8 - 0.6 / (1.0 + (-10f64).exp()))).abs() < 1e-12);
    }
}
