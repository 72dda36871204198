//! The model's mechanics as pure functions, one concern per file: training and quality,
//! demand, customer choice and serving, and the GPU market. The engine (`crate::engine`)
//! calls them in MODEL.md's order; each is unit-tested against hand-computed numbers.

pub mod choice;
pub mod demand;
pub mod gpus;
pub mod quality;
pub mod serving;

/// Largest power-of-ten exponent any multiplier may reach. The model's multipliers are
/// `10^x` or `e^x` of differences in quality; a cap keeps every number finite at any
/// parameter values without touching realistic ones (10^30 is far beyond any scenario).
pub const MAX_LOG10_MULTIPLIER: f64 = 30.0;

/// `base^(months / 12)`: an annual rate applied over `months`.
pub fn per_year(base: f64, months: f64) -> f64 {
    base.powf(months / 12.0)
}
