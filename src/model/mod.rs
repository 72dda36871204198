//! The model's mechanics, one file per step of the month, in the order the engine
//! ([`crate::engine::Engine::step`]) calls them:
//!
//! | step | file | what |
//! |---|---|---|
//! | 3 | [`training`] | training GPUs add effective compute; self-improvement, spillover |
//! | 4 | [`release`] | a finished run ships if it beats the deployed model |
//! | 5 | [`demand`] | total demand for inference and its shock |
//! | 6 | [`choice`] | customers' logit choice, open weights, inertia |
//! | 7 | [`serving`] | capacity, overflow to second choices, churn |
//! | 8 | [`money`] | revenue, running costs, funding, paying for GPUs |
//! | 9 | [`gpus`] | orders, rationing of supply, the pipeline, depreciation |
//!
//! Steps 1-2 (observe, allocate) are the policies' ([`crate::policy`]). Each file's
//! formulas are unit-tested against hand-computed numbers.

pub mod choice;
pub mod demand;
pub mod gpus;
pub mod money;
pub mod release;
pub mod serving;
pub mod training;

/// Largest power-of-ten exponent any multiplier may reach. The model's multipliers are
/// `10^x` or `e^x` of differences in quality; a cap keeps every number finite at any
/// parameter values without touching realistic ones (10^30 is far beyond any scenario).
pub const MAX_LOG10_MULTIPLIER: f64 = 30.0;

/// `base^(months / 12)`: an annual rate applied over `months`.
pub fn per_year(base: f64, months: f64) -> f64 {
    base.powf(months / 12.0)
}
