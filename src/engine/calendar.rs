//! Everything in a run that depends only on the month, computed once per scenario.

use crate::math;
use crate::model::per_year;
use crate::scenario::Scenario;

/// Everything in a run that depends only on the month, computed once per scenario and
/// shared by all its runs: the step then needs no powers of time.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Month by month.
    months: Vec<Month>,
    /// Pinned labs' funding, USD, `[month * labs + lab]` (0 for unpinned labs).
    funding: Vec<f64>,
    /// The world's power additions of the `world.power.lag` months before month 0, GW:
    /// at most what the labs can have under construction at month 0.
    past_additions: f64,
}

/// What one month of the calendar holds (together, so the step reads them in one place).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Month {
    /// Algorithmic efficiency `A[t]`.
    pub(crate) algo: f64,
    /// Demand growth factor `growth[t]`.
    pub(crate) demand_growth: f64,
    /// Serving price factor `(1 - price_decline)[t]`.
    pub(crate) price_factor: f64,
    /// The market's reference price of serving: the labs' mean list price times
    /// `price_factor`, USD per H100e-month.
    pub(crate) reference_price: f64,
    /// Base GPU price, USD per H100e.
    pub(crate) gpu_price: f64,
    /// Supply cap, H100e.
    pub(crate) supply: f64,
    /// The supply cap summed over the month and the next `world.power.lag - 1` (past the
    /// horizon too), H100e: what the labs plan power for.
    pub(crate) supply_ahead: f64,
    /// Power drawn by one H100e bought this month, GW.
    pub(crate) gw_per_h100e: f64,
    /// Data-centre power the labs together may add this month, GW.
    pub(crate) power_additions: f64,
    /// The investors' pool, USD per month.
    pub(crate) pool: f64,
    /// World output, USD per year.
    pub(crate) gdp: f64,
    /// How far the exogenous quality serving costs are measured against has risen since
    /// month 0 (`world.market.infer_reference_growth`), Elo; `None`: they are measured
    /// against the deployed models' mean. Each run adds its own month-0 mean quality.
    pub(crate) serving_reference_rise: Option<f64>,
}

/// The exponent of the smooth minimum between the investors' pool and its share of
/// world output: `(a^-k + b^-k)^(-1/k)`, within 19% of the smaller at the crossing
/// (`2^(-1/4)`) and within 2% once one is twice the other.
pub const SMOOTH_MIN_POWER: f64 = 4.0;

impl Calendar {
    /// The calendar of a scenario.
    pub fn new(scenario: &Scenario) -> Calendar {
        let world = &scenario.world;
        let months: Vec<f64> = (0..scenario.months).map(f64::from).collect();
        let gpus = &world.gpus;
        let power = &world.power;
        let investors = &world.investors;
        let labs = &scenario.labs;
        let decline = |t: f64| per_year(1.0 - world.market.price_decline, t);
        let list_mean = labs.iter().map(|l| l.price).sum::<f64>() / labs.len().max(1) as f64;
        let (pool0, pool_growth) = pool_start(scenario);
        let gdp = |t: f64| investors.gdp * per_year(investors.gdp_growth, t);
        let supply = |t: f64| {
            gpus.supply
                * supply_growth_factor(
                    gpus.supply_growth,
                    gpus.supply_growth_long,
                    gpus.supply_halflife,
                    t,
                )
                * scenario.supply_wave(t)
        };
        let reference_rise = |t: f64| world.market.infer_reference_growth.map(|g| g * t / 12.0);
        let additions = |t: f64| power.additions * per_year(power.additions_growth, t) / 12.0;
        let lag = power.lag as usize;
        let extended: Vec<f64> = (0..scenario.months as usize + lag)
            .map(|t| supply(t as f64))
            .collect();
        let month = |m: usize| {
            let t = m as f64;
            Month {
                algo: per_year(world.algorithms.algo_progress, t),
                demand_growth: demand_growth(&world.demand, t),
                price_factor: decline(t),
                reference_price: list_mean * decline(t),
                gpu_price: gpus.price * math::pow(0.5f64, t / gpus.price_halving_months),
                supply: extended[m],
                supply_ahead: extended[m..m + lag].iter().sum(),
                gw_per_h100e: power.kw_per_h100e * 1e-6 / per_year(power.efficiency_gain, t),
                power_additions: additions(t),
                pool: smooth_min(
                    pool0 * per_year(pool_growth, t),
                    investors.gdp_share * gdp(t) / 12.0,
                ),
                gdp: gdp(t),
                serving_reference_rise: reference_rise(t),
            }
        };
        Calendar {
            months: (0..scenario.months as usize).map(month).collect(),
            funding: months
                .iter()
                .flat_map(|&t| {
                    labs.iter().map(move |l| {
                        if l.funding_pinned {
                            l.funding * per_year(l.funding_growth, t)
                        } else {
                            0.0
                        }
                    })
                })
                .collect(),
            past_additions: (1..=power.lag).map(|k| additions(-f64::from(k))).sum(),
        }
    }

    /// The world's power additions of the `lag` months before month 0, GW.
    pub(crate) fn past_additions(&self) -> f64 {
        self.past_additions
    }

    /// Month `month`.
    pub(crate) fn month(&self, month: usize) -> &Month {
        &self.months[month]
    }

    /// Pinned labs' funding in month `month`, one value per lab (0 for the others).
    pub(crate) fn funding(&self, month: usize, labs: usize) -> &[f64] {
        &self.funding[month * labs..(month + 1) * labs]
    }

    /// World output in month `month`, USD per year.
    pub fn gdp(&self, month: usize) -> f64 {
        self.months[month].gdp
    }
}

/// The investors' pool at month 0 (USD per month) and its growth before the bound (x per
/// year): `world.investors.pool` and `pool_growth` when given; otherwise the sum of the
/// unpinned labs' funding and their funding-weighted mean `funding_growth` (in logs), which
/// is what a file written for the first generation meant by them.
pub fn pool_start(scenario: &Scenario) -> (f64, f64) {
    let investors = &scenario.world.investors;
    let unpinned = scenario.labs.iter().filter(|l| !l.funding_pinned);
    let total: f64 = unpinned.clone().map(|l| l.funding).sum();
    let pool = investors.pool.unwrap_or(total);
    let growth = investors.pool_growth.unwrap_or_else(|| {
        if total > 0.0 {
            let log: f64 = unpinned
                .map(|l| l.funding * math::ln(l.funding_growth))
                .sum();
            math::exp(log / total)
        } else {
            1.0
        }
    });
    (pool, growth)
}

/// `(a^-k + b^-k)^(-1/k)` with `k` = [`SMOOTH_MIN_POWER`]: the smaller of `a` and `b`,
/// rounded off where they cross; 0 when either is 0.
pub fn smooth_min(a: f64, b: f64) -> f64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    if lo <= 0.0 {
        return 0.0;
    }
    lo * math::pow(
        1.0 + math::pow(lo / hi, SMOOTH_MIN_POWER),
        -1.0 / SMOOTH_MIN_POWER,
    )
}

/// Growth of demand over `months` before its other factors: `growth` a year throughout,
/// or, with `growth_long`, slowing toward it as supply's growth does
/// ([`supply_growth_factor`] with `growth_halflife`).
fn demand_growth(demand: &crate::scenario::file::Demand, months: f64) -> f64 {
    match demand.growth_long {
        None => per_year(demand.growth, months),
        Some(long) => supply_growth_factor(demand.growth, long, demand.growth_halflife, months),
    }
}

/// Growth of the supply cap over `months`: its yearly growth starts at `initial` and
/// approaches `long` (in logs, the excess halves every `halflife` years), so
/// `ln S(t)/S(0) = ln(long) t/12 + ln(initial/long) * halflife/ln 2 * (1 - 2^(-t / (12 halflife)))`.
pub fn supply_growth_factor(initial: f64, long: f64, halflife: f64, months: f64) -> f64 {
    let years = months / 12.0;
    let excess = math::ln(initial / long) * halflife / std::f64::consts::LN_2
        * (1.0 - math::pow(0.5f64, years / halflife));
    math::exp(math::ln(long) * years + excess)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supply_growth_starts_at_its_initial_rate_and_approaches_the_long_run_one() {
        // Month by month the yearly rate: 3x at first, about sqrt(3 * 1.3)... halfway (in
        // logs) after one half-life, and 1.3x long after.
        let rate = |t: f64| {
            (supply_growth_factor(3.0, 1.3, 2.0, t + 0.01) / supply_growth_factor(3.0, 1.3, 2.0, t))
                .powf(12.0 / 0.01)
        };
        assert!((rate(0.0) - 3.0).abs() < 1e-3);
        assert!((rate(24.0) - (3.0f64 * 1.3).sqrt()).abs() < 1e-3);
        assert!((rate(1200.0) - 1.3).abs() < 1e-3);
        // Equal rates: plain compounding.
        let flat = supply_growth_factor(2.0, 2.0, 3.0, 36.0);
        assert!((flat - 8.0).abs() < 1e-9);
    }

    #[test]
    fn the_pool_follows_the_smaller_of_its_path_and_its_bound() {
        assert!((smooth_min(1.0, 1000.0) - 1.0).abs() < 1e-9);
        assert!((smooth_min(1000.0, 1.0) - 1.0).abs() < 1e-9);
        assert!((smooth_min(2.0, 2.0) - 2.0 * 2f64.powf(-0.25)).abs() < 1e-12);
        assert!(smooth_min(2.0, 1.0) < 1.0 && smooth_min(2.0, 1.0) > 0.98);
        assert_eq!(smooth_min(0.0, 5.0), 0.0);
    }
}
