//! Power (steps 1 and 10): GPUs run only on data-centre power a lab has built. Each lab
//! plans power for its fleet, its pipeline and the GPUs its budget would buy over the
//! power's lead time; building takes `world.power.lag` months, costs cash, and the labs
//! together may add only so much a year. Newer GPUs draw less power per H100e.

use super::gpus::ration;
use crate::engine::LabState;
use crate::scenario::Rationing;
use crate::scenario::file::Power;

/// GPUs that have power: the whole fleet when its power covers the fleet's draw, else the
/// share it covers (GPUs beyond a lab's power are idle: they neither train nor serve,
/// and cost no running cost, but still depreciate).
pub fn powered(fleet: f64, draw: f64, power: f64) -> f64 {
    if draw <= power {
        fleet
    } else {
        fleet * (power / draw).max(0.0)
    }
}

/// Per-lab buffers of a month's power orders, reused month after month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Buffers {
    wants: Vec<f64>,
    granted: Vec<f64>,
}

impl Buffers {
    /// Buffers for `n` labs.
    pub fn new(n: usize) -> Buffers {
        Buffers {
            wants: vec![0.0; n],
            granted: vec![0.0; n],
        }
    }
}

/// The power a lab plans to have, GW: what its fleet and pipeline draw, plus what the
/// GPUs its `budget` would buy each month at `gpu_price` would draw over the power's
/// `lag`, plus `headroom`:
/// `(draw + draw_pipeline + lag * budget / gpu_price * gw_per_h100e) * (1 + headroom)`.
pub fn plan(lab: &LabState, budget: f64, gpu_price: f64, gw_per_h100e: f64, power: &Power) -> f64 {
    let gw_per_dollar = if gpu_price > 0.0 {
        gw_per_h100e / gpu_price
    } else {
        0.0
    };
    plan_at(lab, budget, gw_per_dollar, power)
}

/// [`plan`] with the power a dollar of GPUs draws, `gw_per_h100e / gpu_price`, given
/// (computed once a month).
fn plan_at(lab: &LabState, budget: f64, gw_per_dollar: f64, power: &Power) -> f64 {
    let purchases = (f64::from(power.lag) * budget * gw_per_dollar).min(f64::MAX / 4.0);
    (lab.draw + lab.draw_pipeline() + purchases) * (1.0 + power.headroom)
}

/// Month `month`'s power orders: each lab wants its [`plan`] less the power it has or is
/// building, as much as its `budget` pays for at `power.price` per GW; the labs together
/// may start at most `additions` GW (pro rata to what they want when short). What each
/// gets enters its power pipeline and is paid from its budget (`budgets` are left with
/// what remains for GPUs); `power_ordered` records it and the cost is returned per lab in
/// `costs`.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn build(
    labs: &mut [LabState],
    month: u32,
    budgets: &mut [f64],
    gpu_price: f64,
    gw_per_h100e: f64,
    additions: f64,
    power: &Power,
    buffers: &mut Buffers,
    costs: &mut [f64],
) {
    let mut wanted = 0.0;
    let gw_per_dollar = if gpu_price > 0.0 {
        gw_per_h100e / gpu_price
    } else {
        0.0
    };
    let per_price = 1.0 / power.price;
    for (i, lab) in labs.iter().enumerate() {
        let have = lab.power + lab.power_building();
        let mut want = (plan_at(lab, budgets[i], gw_per_dollar, power) - have).max(0.0);
        if power.price > 0.0 {
            want = want.min(budgets[i] * per_price);
        }
        buffers.wants[i] = want;
        wanted += want;
    }
    let granted = if wanted <= additions {
        &buffers.wants
    } else {
        ration(
            &buffers.wants,
            &buffers.wants,
            additions,
            Rationing::Orders,
            &mut buffers.granted,
        );
        &buffers.granted
    };
    for (i, lab) in labs.iter_mut().enumerate() {
        let granted = granted[i];
        lab.power_ordered = granted;
        lab.power_pipeline.add(month, granted);
        costs[i] = (granted * power.price).min(budgets[i]);
        budgets[i] -= costs[i];
    }
}

/// The power a lab has under construction at month 0, GW, arriving in equal parts over
/// the next `lag` months: what its month-0 [`plan`] asks for beyond the power it has, as
/// if it had been following the plan (the data centres of month 0 were planned before
/// it).
pub fn under_construction(
    lab: &LabState,
    budget: f64,
    gpu_price: f64,
    gw_per_h100e: f64,
    power: &Power,
) -> f64 {
    (plan(lab, budget, gpu_price, gw_per_h100e, power) - lab.power).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn power() -> Power {
        Power {
            lag: 12,
            headroom: 0.25,
            price: 1e10,
            ..Power::default()
        }
    }

    #[test]
    fn gpus_beyond_the_power_are_idle() {
        assert_eq!(powered(1000.0, 1.0, 2.0), 1000.0);
        assert_eq!(powered(1000.0, 2.0, 0.5), 250.0);
        assert_eq!(powered(1000.0, 2.0, 0.0), 0.0);
    }

    #[test]
    fn a_lab_plans_power_for_its_gpus_and_a_lag_of_purchases() {
        // Fleet drawing 1 GW, 0.2 GW in the pipeline; a budget of $3B a month buys 1e5
        // H100e at $30k, 1e-6 GW each: 0.1 GW a month, 1.2 GW over the 12-month lag.
        // (1 + 0.2 + 1.2) * 1.25 = 3 GW planned.
        let mut lab = LabState {
            draw: 1.0,
            power: 1.5,
            ..LabState::default()
        };
        lab.draw_pipeline = crate::model::gpus::Pipeline::new(3);
        lab.draw_pipeline.add(0, 0.2);
        assert!((plan(&lab, 3e9, 3e4, 1e-6, &power()) - 3.0).abs() < 1e-12);
        assert!((under_construction(&lab, 3e9, 3e4, 1e-6, &power()) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn the_world_cap_rations_power_and_labs_pay_for_what_they_get() {
        // Two labs each short 2 GW of their plan (no fleet: the plan is the purchases),
        // a world cap of 1 GW this month: 0.5 GW each, $5B each from their budgets.
        let mut labs: Vec<LabState> = (0..2)
            .map(|_| LabState {
                power_pipeline: crate::model::gpus::Pipeline::new(12),
                ..LabState::default()
            })
            .collect();
        let p = Power {
            headroom: 0.0,
            ..power()
        };
        // Budget $5e9 a month at $30k per H100e of 1e-6 GW over 12 months: 2 GW; but
        // the budget also pays for power at $1e10 per GW: at most 0.5 GW each.
        let mut budgets = [5e9, 5e9];
        let mut costs = [0.0; 2];
        let mut b = Buffers::new(2);
        build(
            &mut labs,
            0,
            &mut budgets,
            3e4,
            1e-6,
            1.0,
            &p,
            &mut b,
            &mut costs,
        );
        assert!((labs[0].power_ordered - 0.5).abs() < 1e-12);
        assert!((costs[0] - 5e9).abs() < 1e-3 && budgets[0].abs() < 1e-3);
        assert!((labs[1].power_pipeline() - 0.5).abs() < 1e-12);
        // A tight world cap: 0.4 GW between them, 0.2 each.
        let mut budgets = [5e9, 5e9];
        let mut labs: Vec<LabState> = (0..2)
            .map(|_| LabState {
                power_pipeline: crate::model::gpus::Pipeline::new(12),
                ..LabState::default()
            })
            .collect();
        build(
            &mut labs,
            0,
            &mut budgets,
            3e4,
            1e-6,
            0.4,
            &p,
            &mut b,
            &mut costs,
        );
        assert!((labs[0].power_ordered - 0.2).abs() < 1e-12);
        assert!((budgets[0] - 3e9).abs() < 1e-3);
    }
}
