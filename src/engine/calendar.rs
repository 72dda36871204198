//! Everything in a run that depends only on the month, computed once per scenario.

use crate::model::per_year;
use crate::scenario::Scenario;

/// Everything in a run that depends only on the month, computed once per scenario and
/// shared by all its runs: the step then needs no powers of time.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Algorithmic efficiency `A[t]`.
    pub(crate) algo: Vec<f64>,
    /// Demand growth factor `growth[t]`.
    pub(crate) demand_growth: Vec<f64>,
    /// Serving price factor `(1 - price_decline)[t]`.
    pub(crate) price_factor: Vec<f64>,
    /// GPU price, USD per H100e.
    pub(crate) gpu_price: Vec<f64>,
    /// Supply cap, H100e.
    pub(crate) supply: Vec<f64>,
    /// Outside funding, USD, `[month * labs + lab]`.
    pub(crate) funding: Vec<f64>,
}

impl Calendar {
    /// The calendar of a scenario.
    pub fn new(scenario: &Scenario) -> Calendar {
        let world = &scenario.world;
        let months: Vec<f64> = (0..scenario.months).map(f64::from).collect();
        let each = |f: &dyn Fn(f64) -> f64| months.iter().map(|&t| f(t)).collect::<Vec<f64>>();
        let gpus = &world.gpus;
        Calendar {
            algo: each(&|t| per_year(world.algorithms.algo_progress, t)),
            demand_growth: each(&|t| per_year(world.demand.growth, t)),
            price_factor: each(&|t| per_year(1.0 - world.market.price_decline, t)),
            gpu_price: each(&|t| gpus.price * 0.5f64.powf(t / gpus.price_halving_months)),
            supply: each(&|t| {
                gpus.supply * per_year(gpus.supply_growth, t) * scenario.supply_wave(t)
            }),
            funding: months
                .iter()
                .flat_map(|&t| {
                    scenario
                        .labs
                        .iter()
                        .map(move |l| l.funding * per_year(l.funding_growth, t))
                })
                .collect(),
        }
    }

    /// Lab funding in month `month`, one value per lab.
    pub(crate) fn funding(&self, month: usize, labs: usize) -> &[f64] {
        &self.funding[month * labs..(month + 1) * labs]
    }
}
