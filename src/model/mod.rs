//! The model's mechanics, one file per step of the month, in the order the engine
//! ([`crate::engine::Engine::step`]) calls them:
//!
//! | step | file | what |
//! |---|---|---|
//! | 1 | [`power`] | GPUs beyond a lab's data-centre power are idle |
//! | 3 | [`training`] | training GPUs add effective compute; self-improvement, spillover |
//! | 4 | [`release`] | a finished run ships if it beats the deployed model; carry-over, runs by target |
//! | 5 | [`demand`] | total demand for inference and its shock |
//! | 6 | [`prices`] | prices move with utilisation, between marginal cost and a cap |
//! | 7 | [`choice`] | customers' logit choice on quality, brand and price, open weights, inertia |
//! | 8 | [`serving`] | inference-time compute, capacity, overflow to second choices, churn |
//! | 9 | [`money`] | revenue, scarcity rent, running costs |
//! | 9 | [`investors`] | the pool of AI capital allocated by revenue and standing |
//! | 10 | [`money`] | fire sales, paying for power and GPUs, paying out profits |
//! | 10 | [`power`] | data-centre power planned, rationed by the world's additions, built |
//! | 10 | [`gpus`] | orders within power, the GPU price, rationing of supply, the pipeline, depreciation |
//!
//! Steps 1-2 (observe, allocate) are the policies' ([`crate::policy`]). Each file's
//! formulas are unit-tested against hand-computed numbers.

use crate::math;

/// Per-lab scratch the engine sizes once per run and reuses every month: a `Vec<f64>` with
/// one number per lab, or a struct of them declared with `per_lab_buffers!`.
pub trait PerLab: Default {
    /// Zeros for `n` labs, in the allocation already held (a run reuses the last run's).
    fn reset(&mut self, n: usize);

    /// Zeros for `n` labs.
    fn zeros(n: usize) -> Self {
        let mut buffers = Self::default();
        buffers.reset(n);
        buffers
    }
}

impl PerLab for Vec<f64> {
    fn reset(&mut self, n: usize) {
        self.clear();
        self.resize(n, 0.0);
    }
}

/// Declares a struct of per-lab buffers, each field a `Vec<f64>` or another such struct,
/// and its [`PerLab::reset`]. The fields stay plain vectors, which the engine's step
/// indexes directly. Defined before the modules below, which use it.
macro_rules! per_lab_buffers {
    (
        $(#[$doc:meta])*
        pub struct $name:ident {
            $($(#[$field_doc:meta])* $vis:vis $field:ident: $ty:ty,)+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $($(#[$field_doc])* $vis $field: $ty,)+
        }

        impl $crate::model::PerLab for $name {
            fn reset(&mut self, n: usize) {
                $($crate::model::PerLab::reset(&mut self.$field, n);)+
            }
        }
    };
}

pub mod choice;
pub mod demand;
pub mod gpus;
pub mod investors;
pub mod money;
pub mod power;
pub mod prices;
pub mod release;
pub mod serving;
#[cfg(test)]
mod testing;
pub mod training;

/// Largest power-of-ten exponent any multiplier may reach. The model's multipliers are
/// `10^x` or `e^x` of differences in quality; a cap keeps every number finite at any
/// parameter values without touching realistic ones (10^30 is far beyond any scenario).
pub const MAX_LOG10_MULTIPLIER: f64 = 30.0;

/// `exp(x)`, without the call when `x = 0` (the top option of a logit, the leader's own
/// weight), whose `exp` is exactly 1.
#[inline]
pub(crate) fn exp_or_one(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { math::exp(x) }
}

/// `base^(months / 12)`: an annual rate applied over `months`.
pub fn per_year(base: f64, months: f64) -> f64 {
    math::pow(base, months / 12.0)
}
