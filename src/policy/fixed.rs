//! `fixed { train }`: a constant training fraction.

use serde::{Deserialize, Serialize};

use super::{Policy, View};

/// Always train with the same fraction of the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fixed {
    /// Training fraction, 0-1.
    pub train: f64,
}

impl Default for Fixed {
    fn default() -> Self {
        Fixed { train: 0.5 }
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
