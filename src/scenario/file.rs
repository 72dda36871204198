//! The scenario file as written: serde structs that mirror the TOML one to one.
//!
//! Every field has a default (see [`super::params::PARAMS`]) except a lab's `id`, so a
//! minimal file is short. Unknown keys are rejected. These structs carry no guarantees;
//! [`super::Scenario`] is the validated form the engine accepts.

use serde::{Deserialize, Serialize};

use crate::policy::PolicySpec;

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Scenario name.
    pub name: String,
    /// The question it asks.
    #[serde(default)]
    pub description: String,
    /// Calendar label of month 0, `YYYY-MM`.
    #[serde(default = "d::start")]
    pub start: String,
    /// Horizon in months.
    #[serde(default = "d::months")]
    pub months: u32,
    /// World-level parameters.
    #[serde(default)]
    pub world: World,
    /// The labs.
    #[serde(default)]
    pub labs: Vec<Lab>,
}

/// World-level parameters, grouped as in the file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    /// Algorithms and the quality curve.
    #[serde(default)]
    pub algorithms: Algorithms,
    /// Self-improvement and spillover.
    #[serde(default)]
    pub dynamics: Dynamics,
    /// Demand for inference.
    #[serde(default)]
    pub demand: Demand,
    /// Customer choice and serving.
    #[serde(default)]
    pub market: Market,
    /// The GPU market.
    #[serde(default)]
    pub gpus: Gpus,
    /// The open-weight outside option.
    #[serde(default)]
    pub open_weights: OpenWeights,
    /// How leadership is measured.
    #[serde(default)]
    pub leadership: Leadership,
}

/// Algorithms and the quality curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Algorithms {
    /// Algorithmic efficiency multiplier per year.
    pub algo_progress: f64,
    /// Useful FLOP per H100e-month.
    pub flop_per_h100e_month: f64,
    /// Quality at `e0`.
    pub q0: f64,
    /// Reference effective compute.
    pub e0: f64,
    /// Elo per decade of effective compute.
    pub elo_per_decade: f64,
    /// Research luck, Elo standard deviation.
    pub release_sigma: f64,
    /// Maximum random release delay, months.
    pub release_delay_max: u32,
}

impl Default for Algorithms {
    fn default() -> Self {
        Algorithms {
            algo_progress: 3.0,
            flop_per_h100e_month: 1e21,
            q0: 1250.0,
            e0: 2e25,
            elo_per_decade: 90.0,
            release_sigma: 15.0,
            release_delay_max: 0,
        }
    }
}

/// Self-improvement and catch-up spillover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dynamics {
    /// Self-improvement strength.
    pub kappa: f64,
    /// Cap on the self-improvement multiplier.
    pub research_cap: f64,
    /// Catch-up spillover fraction.
    pub phi: f64,
}

impl Default for Dynamics {
    fn default() -> Self {
        Dynamics {
            kappa: 0.0,
            research_cap: 10.0,
            phi: 0.0,
        }
    }
}

/// Demand for inference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Demand {
    /// Demand in month 0, H100e-months.
    pub d0: f64,
    /// Exogenous growth per year.
    pub growth: f64,
    /// Elasticity to frontier quality per 100 Elo.
    pub eta: f64,
    /// Shock standard deviation (log).
    pub shock_sigma: f64,
    /// Shock autocorrelation.
    pub shock_rho: f64,
}

impl Default for Demand {
    fn default() -> Self {
        Demand {
            d0: 100_000.0,
            growth: 2.0,
            eta: 0.5,
            shock_sigma: 0.1,
            shock_rho: 0.8,
        }
    }
}

/// Customer choice and serving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Market {
    /// Quality sensitivity.
    pub beta: f64,
    /// Monthly switching rate.
    pub switching: f64,
    /// Share of overflow that is lost.
    pub overflow_loss: f64,
    /// Share of unserved demand that churns.
    pub churn_unserved: f64,
    /// Annual price decline.
    pub price_decline: f64,
}

impl Default for Market {
    fn default() -> Self {
        Market {
            beta: 1.0,
            switching: 0.3,
            overflow_loss: 0.5,
            churn_unserved: 0.5,
            price_decline: 0.3,
        }
    }
}

/// How scarce supply is split between labs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rationing {
    /// Pro rata to what each lab orders.
    Orders,
    /// Pro rata to fleet size.
    Fleet,
}

/// The GPU market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Gpus {
    /// Price per H100e in month 0.
    pub price: f64,
    /// Price halving time, months.
    pub price_halving_months: f64,
    /// Supply cap in month 0, H100e per month.
    pub supply: f64,
    /// Supply growth per year.
    pub supply_growth: f64,
    /// Rationing rule.
    pub rationing: Rationing,
    /// Months from payment to online.
    pub build_lag: u32,
    /// GPU life, months.
    pub life_months: f64,
    /// Running cost per H100e per month.
    pub opex_per_h100e: f64,
    /// First calendar month of a supply wave, `YYYY-MM`; empty for none.
    pub wave_from: String,
    /// Factor on the supply cap from `wave_from` on.
    pub wave_multiplier: f64,
}

impl Default for Gpus {
    fn default() -> Self {
        Gpus {
            price: 30_000.0,
            price_halving_months: 30.0,
            supply: 50_000.0,
            supply_growth: 3.0,
            rationing: Rationing::Orders,
            build_lag: 3,
            life_months: 60.0,
            opex_per_h100e: 400.0,
            wave_from: String::new(),
            wave_multiplier: 1.0,
        }
    }
}

/// The open-weight outside option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OpenWeights {
    /// Whether it exists.
    pub enabled: bool,
    /// Lag behind the frontier, months.
    pub lag: u32,
    /// Quality gap behind that lagged frontier, Elo.
    pub gap: f64,
    /// Utility bonus.
    pub brand: f64,
}

impl Default for OpenWeights {
    fn default() -> Self {
        OpenWeights {
            enabled: false,
            lag: 6,
            gap: 30.0,
            brand: 0.0,
        }
    }
}

/// How leadership is measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Leadership {
    /// Elo margin a challenger needs.
    pub lead_margin: f64,
    /// Share margin a challenger needs.
    pub share_margin: f64,
    /// Persistence horizon, months.
    pub persistence_months: u32,
}

impl Default for Leadership {
    fn default() -> Self {
        Leadership {
            lead_margin: 0.0,
            share_margin: 0.0,
            persistence_months: 24,
        }
    }
}

/// One lab as written. `None` fields are derived during validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chart colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Fleet in month 0, H100e.
    #[serde(default = "d::fleet")]
    pub fleet: f64,
    /// Cash in month 0, USD.
    #[serde(default = "d::cash")]
    pub cash: f64,
    /// Deployed quality in month 0, Elo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<f64>,
    /// Customer share in month 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers: Option<f64>,
    /// Training run length, months.
    #[serde(default = "d::run_months")]
    pub run_months: u32,
    /// Months until the first release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_release: Option<u32>,
    /// Multiplier on effective compute.
    #[serde(default = "d::one")]
    pub research_efficiency: f64,
    /// Price per H100e-month served, USD.
    #[serde(default = "d::price")]
    pub price: f64,
    /// Demand served per inference H100e.
    #[serde(default = "d::one")]
    pub serving_efficiency: f64,
    /// Utility bonus.
    #[serde(default)]
    pub brand: f64,
    /// Outside capital per month, USD.
    #[serde(default)]
    pub funding: f64,
    /// Funding growth per year.
    #[serde(default = "d::one")]
    pub funding_growth: f64,
    /// Fraction of cash spent on GPUs per month.
    #[serde(default = "d::reinvest")]
    pub reinvest: f64,
    /// Allocation policy.
    #[serde(default)]
    pub policy: PolicySpec,
}

/// Serde default functions; each matches its entry in `PARAMS` (a test checks).
mod d {
    pub fn start() -> String {
        "2023-01".into()
    }
    pub fn months() -> u32 {
        120
    }
    pub fn fleet() -> f64 {
        100_000.0
    }
    pub fn cash() -> f64 {
        1e9
    }
    pub fn run_months() -> u32 {
        6
    }
    pub fn one() -> f64 {
        1.0
    }
    pub fn price() -> f64 {
        3000.0
    }
    pub fn reinvest() -> f64 {
        0.5
    }
}
