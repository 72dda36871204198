//! `serve_first { min_train, max_train }`: "you probably sell the AI".

use super::{Policy, View};
use crate::scenario::decl::{PROB, declare};
use crate::scenario::rules::{Broken, Rules};

declare! {
    /// Keep enough inference GPUs to serve last month's demand of the lab's own customers,
    /// train with the rest, but never below `min_train` nor above `max_train`.
    ///
    /// With an empty fleet there is nothing to serve with, so it trains at `max_train`.
    pub struct ServeFirst {
        /// training fraction never below this
        pub min_train: f64 = 0.3 => param { label: "Minimum training share", range: PROB },
        /// training fraction never above this
        pub max_train: f64 = 0.9 => param { label: "Maximum training share", range: PROB },
    }
}

impl Policy for ServeFirst {
    /// `min_train <= max_train`, in every draw when either is uncertain.
    fn validate(&mut self, rules: &Rules<'_>) -> Result<(), Broken> {
        if self.min_train > self.max_train {
            return Err(Broken::new(
                "min_train",
                format!("at most max_train ({})", self.max_train),
                self.min_train.to_string(),
            ));
        }
        let (min, max) = (
            rules.span("min_train", self.min_train),
            rules.span("max_train", self.max_train),
        );
        if min.hi > max.lo {
            return Err(Broken::new(
                "min_train",
                format!(
                    "at most max_train in every draw (max_train can be as low as {})",
                    max.lo
                ),
                format!("draws up to {}", min.hi),
            ));
        }
        Ok(())
    }

    fn train_fraction(&self, view: &View) -> f64 {
        let serve_capacity = view.fleet * view.serving_efficiency;
        if serve_capacity <= 0.0 {
            return self.max_train;
        }
        let serve_fraction = view.demand / serve_capacity;
        (1.0 - serve_fraction).clamp(self.min_train, self.max_train)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_demand_within_bounds() {
        let p = ServeFirst {
            min_train: 0.2,
            max_train: 0.9,
        };
        let q = [0.0, 0.0];
        let mut v = super::super::test_view(&q, 0);
        v.fleet = 1000.0;
        v.serving_efficiency = 2.0;
        v.demand = 600.0; // needs 300 GPUs: train 0.7
        assert!((p.train_fraction(&v) - 0.7).abs() < 1e-12);
        v.demand = 1900.0; // needs 950 GPUs: would train 0.05, floored at 0.2
        assert_eq!(p.train_fraction(&v), 0.2);
        v.demand = 0.0; // nothing to serve: capped at 0.9
        assert_eq!(p.train_fraction(&v), 0.9);
    }
}
