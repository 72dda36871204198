//! `leader_harvest { lead_train, chase_train }`: harvest while ahead, chase while behind.

use super::{Policy, View};
use crate::scenario::decl::{PROB, declare};

declare! {
    /// Train with `lead_train` while the lab's deployed model is the best (ties count as
    /// leading), `chase_train` otherwise.
    pub struct LeaderHarvest {
        /// training fraction while (far) ahead
        pub lead_train: f64 = 0.4 => param { label: "Training share when ahead", range: PROB },
        /// training fraction while (far) behind
        pub chase_train: f64 = 0.7 => param { label: "Training share when behind", range: PROB },
    }
}

impl Policy for LeaderHarvest {
    fn train_fraction(&self, view: &View) -> f64 {
        if view.lead() >= 0.0 {
            self.lead_train
        } else {
            self.chase_train
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leader_harvests_and_tie_counts_as_leading() {
        let p = LeaderHarvest {
            lead_train: 0.3,
            chase_train: 0.8,
        };
        let q = [1300.0, 1250.0, 1300.0];
        assert_eq!(p.train_fraction(&super::super::test_view(&q, 0)), 0.3);
        assert_eq!(p.train_fraction(&super::super::test_view(&q, 1)), 0.8);
        assert_eq!(p.train_fraction(&super::super::test_view(&q, 2)), 0.3);
    }
}
