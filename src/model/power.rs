//! Power (steps 1 and 10): GPUs run only on data-centre power a lab has built. Each lab
//! plans power for its fleet, its pipeline and the GPUs its budget would buy over the
//! power's lead time; building takes `world.power.lag` months, costs cash, and the labs
//! together may add only so much a year. Newer GPUs draw less power per H100e.

use super::gpus::ration_of;
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

per_lab_buffers! {
    /// Per-lab buffers of a month's power orders, reused month after month.
    pub struct Buffers {
        shares: Vec<f64>,
        wants: Vec<f64>,
        granted: Vec<f64>,
    }
}

/// What a lab expects of the coming months, for its power plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outlook {
    /// This month's base GPU price, USD per H100e.
    pub gpu_price: f64,
    /// Power one H100e bought now draws, GW.
    pub gw_per_h100e: f64,
    /// The supply cap summed over this month and the next `lag - 1`, H100e.
    pub supply_ahead: f64,
    /// Last month's supply cap, H100e (0 in month 0).
    pub last_supply: f64,
    /// Data-centre power the labs together may start this month, GW.
    pub additions: f64,
}

/// The GPUs a lab expects to buy over the power's lead time, H100e: its share of the
/// coming supply (its share of last month's, or in month 0 its share of the fleets),
/// but no more than its `budget` buys each month at the base price.
pub fn expected_gpus(share: f64, budget: f64, outlook: &Outlook, lag: u32) -> f64 {
    let affordable = if outlook.gpu_price > 0.0 {
        f64::from(lag) * budget / outlook.gpu_price
    } else {
        f64::MAX
    };
    (share * outlook.supply_ahead)
        .min(affordable)
        .min(f64::MAX / 4.0)
}

/// The power a lab plans to have, GW: what its fleet and pipeline draw, plus what the
/// GPUs it expects to buy over the power's lead time draw ([`expected_gpus`]), plus
/// `headroom`: `(draw + draw_pipeline + expected * gw_per_h100e) * (1 + headroom)`.
pub fn plan(lab: &LabState, expected: f64, gw_per_h100e: f64, power: &Power) -> f64 {
    (lab.draw + lab.draw_pipeline() + expected * gw_per_h100e) * (1.0 + power.headroom)
}

/// Each lab's expected share of the coming supply: its share of last month's supply
/// (`received / last_supply`), or in month 0 (`last_supply = 0`) its share of the fleets.
fn shares(labs: &[LabState], last_supply: f64, out: &mut [f64]) {
    if last_supply > 0.0 {
        let per = 1.0 / last_supply;
        for (o, lab) in out.iter_mut().zip(labs) {
            *o = lab.received * per;
        }
    } else {
        let total: f64 = labs.iter().map(|l| l.fleet).sum();
        for (o, lab) in out.iter_mut().zip(labs) {
            *o = if total > 0.0 { lab.fleet / total } else { 0.0 };
        }
    }
}

/// Month `month`'s power orders: each lab wants its [`plan`] less the power it has or is
/// building, as much as its `budget` pays for at `power.price` per GW; the labs together
/// may start at most `outlook.additions` GW (pro rata to what they want when short). What
/// each gets enters its power pipeline and is paid from its budget (`budgets` are left
/// with what remains for GPUs); `power_ordered` records it and the cost is returned per
/// lab in `costs`.
#[inline]
pub fn build(
    labs: &mut [LabState],
    month: u32,
    budgets: &mut [f64],
    outlook: &Outlook,
    power: &Power,
    buffers: &mut Buffers,
    costs: &mut [f64],
) {
    let n = labs.len();
    let (budgets, costs) = (&mut budgets[..n], &mut costs[..n]);
    shares(labs, outlook.last_supply, &mut buffers.shares);
    let mut wanted = 0.0;
    let per_price = 1.0 / power.price;
    let wants = &mut buffers.wants[..n];
    for (((lab, &share), &budget), want) in labs
        .iter()
        .zip(&buffers.shares)
        .zip(budgets.iter())
        .zip(wants.iter_mut())
    {
        let have = lab.power + lab.power_building();
        let expected = expected_gpus(share, budget, outlook, power.lag);
        *want = (plan(lab, expected, outlook.gw_per_h100e, power) - have).max(0.0);
        if power.price > 0.0 {
            *want = want.min(budget * per_price);
        }
        wanted += *want;
    }
    let granted = if wanted <= outlook.additions {
        &buffers.wants
    } else {
        // The wants' total is `wanted`, summed above: not summed again. (From 0.0, where
        // `ration` sums from -0.0: the same number, as it is above `additions`.)
        ration_of(
            &buffers.wants,
            wanted,
            &buffers.wants,
            outlook.additions,
            Rationing::Orders,
            &mut buffers.granted,
        );
        &buffers.granted
    };
    for (((lab, &granted), cost), budget) in labs
        .iter_mut()
        .zip(granted)
        .zip(costs.iter_mut())
        .zip(budgets.iter_mut())
    {
        lab.power_ordered = granted;
        lab.power_pipeline.add(month, granted);
        *cost = (granted * power.price).min(*budget);
        *budget -= *cost;
    }
}

/// The power a lab has under construction at month 0, GW, arriving in equal parts over
/// the next `lag` months: what its month-0 [`plan`] asks for beyond the power it has
/// (expecting its share of the fleets of the coming supply), as if it had been following
/// the plan (the data centres of month 0 were planned before it).
pub fn under_construction(
    lab: &LabState,
    share: f64,
    budget: f64,
    outlook: &Outlook,
    power: &Power,
) -> f64 {
    let expected = expected_gpus(share, budget, outlook, power.lag);
    (plan(lab, expected, outlook.gw_per_h100e, power) - lab.power).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PerLab;

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

    fn outlook() -> Outlook {
        Outlook {
            gpu_price: 3e4,
            gw_per_h100e: 1e-6,
            supply_ahead: 1e6,
            last_supply: 1e5,
            additions: 1e6,
        }
    }

    #[test]
    fn a_lab_plans_power_for_its_gpus_and_its_share_of_coming_supply() {
        // A fleet drawing 1 GW, 0.2 GW in the pipeline. It got a fifth of last month's
        // supply and expects a fifth of the 1e6 H100e coming over the 12-month lag, 2e5 of
        // 1e-6 GW each (0.2 GW): (1 + 0.2 + 0.2) * 1.25 = 1.75 GW. Its budget of $3B a
        // month would buy 1.2e6 over the lag: supply, not money, is the limit. With $150M
        // a month (6e4 over the lag) money is: (1.2 + 0.06) * 1.25.
        let mut lab = LabState {
            draw: 1.0,
            power: 1.5,
            received: 2e4,
            ..LabState::default()
        };
        lab.draw_pipeline = crate::model::gpus::Counted::new(3);
        lab.draw_pipeline.add(0, 0.2);
        let share = 0.2;
        let e = expected_gpus(share, 3e9, &outlook(), 12);
        assert!((e - 2e5).abs() < 1e-6);
        assert!((plan(&lab, e, 1e-6, &power()) - 1.75).abs() < 1e-12);
        let poor = expected_gpus(share, 1.5e8, &outlook(), 12);
        assert!((poor - 6e4).abs() < 1e-6);
        assert!((under_construction(&lab, share, 3e9, &outlook(), &power()) - 0.25).abs() < 1e-12);
        let mut out = [0.0; 2];
        shares(
            &[
                lab.clone(),
                LabState {
                    received: 6e4,
                    fleet: 3.0,
                    ..LabState::default()
                },
            ],
            1e5,
            &mut out,
        );
        assert!((out[0] - 0.2).abs() < 1e-12 && (out[1] - 0.6).abs() < 1e-12);
        shares(
            &[
                LabState {
                    fleet: 1.0,
                    ..LabState::default()
                },
                LabState {
                    fleet: 3.0,
                    ..LabState::default()
                },
            ],
            0.0,
            &mut out,
        );
        assert_eq!(out, [0.25, 0.75], "month 0: shares of the fleets");
    }

    #[test]
    fn the_world_cap_rations_power_and_labs_pay_for_what_they_get() {
        // Two labs with no fleet, each expecting half of 4e6 H100e coming over the lag:
        // 2 GW each at 1e-6 GW per H100e. Budgets of $5B pay for 0.5 GW each at $1e10 per
        // GW; the world cap of 1 GW this month fits both.
        let fresh = || -> Vec<LabState> {
            (0..2)
                .map(|_| LabState {
                    fleet: 1.0,
                    power_pipeline: crate::model::gpus::Counted::new(12),
                    ..LabState::default()
                })
                .collect()
        };
        let p = Power {
            headroom: 0.0,
            ..power()
        };
        let look = |additions: f64| Outlook {
            supply_ahead: 4e6,
            last_supply: 0.0,
            additions,
            ..outlook()
        };
        let mut labs = fresh();
        let mut budgets = [5e9, 5e9];
        let mut costs = [0.0; 2];
        let mut b = Buffers::zeros(2);
        build(
            &mut labs,
            0,
            &mut budgets,
            &look(1.0),
            &p,
            &mut b,
            &mut costs,
        );
        assert!((labs[0].power_ordered - 0.5).abs() < 1e-12);
        assert!((costs[0] - 5e9).abs() < 1e-3 && budgets[0].abs() < 1e-3);
        assert!((labs[1].power_pipeline() - 0.5).abs() < 1e-12);
        // A tight world cap: 0.4 GW between them, 0.2 each.
        let mut labs = fresh();
        let mut budgets = [5e9, 5e9];
        build(
            &mut labs,
            0,
            &mut budgets,
            &look(0.4),
            &p,
            &mut b,
            &mut costs,
        );
        assert!((labs[0].power_ordered - 0.2).abs() < 1e-12);
        assert!((budgets[0] - 3e9).abs() < 1e-3);
    }
}
