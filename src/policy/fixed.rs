//! `fixed { train }`: a constant training fraction.

use super::{Policy, View};
use crate::scenario::decl::{PROB, declare};

declare! {
    /// Always train with the same fraction of the fleet.
    pub struct Fixed {
        /// constant training fraction of the fleet
        pub train: f64 = 0.5 => param { label: "Training share of the fleet", range: PROB },
    }
}

impl Policy for Fixed {
    fn train_fraction(&self, _view: &View) -> f64 {
        self.train
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_the_world() {
        let p = Fixed { train: 0.7 };
        assert_eq!(
            p.train_fraction(&super::super::test_view(&[1.0, 2.0], 0)),
            0.7
        );
    }
}
