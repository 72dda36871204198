//! Month 0 of a run: every lab as the scenario sets it, with the run in progress already
//! under way.

use super::{Calendar, LabState, decide, view};
use crate::model::{gpus, investors, power, release, serving, training};
use crate::scenario::file::World;
use crate::scenario::{Lab, RunBy};

/// What every lab's month 0 starts from: the deployed qualities, the total demand, the
/// investors' month-0 shares, the world and its calendar.
#[derive(Clone, Copy)]
pub(super) struct Start<'s> {
    pub(super) qualities: &'s [f64],
    /// Their mean.
    pub(super) quality0: f64,
    pub(super) demand0: f64,
    pub(super) invest: &'s investors::Buffers,
    pub(super) world: &'s World,
    pub(super) calendar: &'s Calendar,
}

/// Lab `i` at month 0: as the scenario sets it, with power for its fleet (and, under
/// construction, for its month-0 plan: [`power::under_construction`]), its month-0 share
/// of the investors' pool, and the run in progress already `run_months - first_release`
/// months old ([`release::first_run`]).
///
/// That run starts with `carry_over` of the compute behind the deployed model (the
/// compute that gives its quality on the curve) and has since trained what the lab's
/// month-0 policy would have trained with its month-0 fleet ([`training::warm_start`]):
/// the cadence starts staggered without a wasted first release. Its pipelines reuse the
/// allocations of `spare` (a lab of an earlier run, or a default one).
pub(super) fn first_month(
    i: usize,
    traits: &Lab,
    fleet_share: f64,
    start: &Start<'_>,
    imposed_fraction: Option<f64>,
    spare: LabState,
) -> LabState {
    let Start {
        qualities,
        quality0,
        demand0,
        invest,
        world,
        calendar,
    } = *start;
    let algorithms = &world.algorithms;
    let month0 = calendar.month(0);
    let customers = traits.customers.unwrap_or(0.0);
    let draw = traits.fleet * month0.gw_per_h100e;
    let power_online = traits.power.unwrap_or(draw * (1.0 + world.power.headroom));
    let mut lab = LabState {
        fleet: traits.fleet,
        pipeline: spare.pipeline.emptied(world.gpus.build_lag),
        draw_pipeline: spare.draw_pipeline.emptied(world.gpus.build_lag),
        power_pipeline: spare.power_pipeline.emptied(world.power.lag),
        powered: power::powered(traits.fleet, draw, power_online),
        draw,
        power: power_online,
        cash: traits.cash,
        quality: qualities[i],
        customers,
        desired_share: customers,
        demand: customers * demand0,
        served: customers * demand0,
        capacity: customers * demand0,
        price: traits.price,
        invest_share: invest.initial(i),
        candidate: f64::NAN,
        ..LabState::default()
    };
    let reference = month0
        .serving_reference_rise
        .map_or(quality0, |rise| quality0 + rise);
    let elo = algorithms.elo_per_decade;
    serving::set_costs(
        &mut lab,
        traits.serving_efficiency,
        reference,
        &world.market,
        elo,
    );
    let funding0 = if traits.funding_pinned {
        traits.funding
    } else {
        invest.initial(i) * month0.pool
    };
    // Before month 0 the lab spent what its investors gave it.
    lab.trailing_spending = funding0;
    let budget0 = gpus::budget(traits.reinvest, traits.cash + funding0);
    let outlook = power::Outlook {
        gpu_price: month0.gpu_price,
        gw_per_h100e: month0.gw_per_h100e,
        supply_ahead: month0.supply_ahead,
        last_supply: 0.0,
        additions: month0.power_additions,
    };
    let building = power::under_construction(&lab, fleet_share, budget0, &outlook, &world.power);
    for k in 0..world.power.lag {
        lab.power_pipeline
            .schedule(k, building / f64::from(world.power.lag));
    }
    let f0 = imposed_fraction
        .unwrap_or_else(|| decide(traits, &view(i, 0, qualities, &lab, traits, world)));
    (lab.run_elapsed, lab.run_due) = release::first_run(traits.run_months, traits.first_release);
    lab.run_compute = world.dynamics.carry_over * release::compute_of(qualities[i], algorithms);
    if traits.run_by == RunBy::Target {
        lab.run_due = release::MAX_TARGET_STRETCH * traits.run_months;
        lab.run_target =
            release::target(&lab, traits, 1.0, -i64::from(lab.run_elapsed), algorithms);
    }
    lab.run_compute += training::warm_start(
        f0,
        lab.powered,
        traits.research_efficiency,
        lab.run_elapsed,
        algorithms,
    );
    lab
}

/// Scales the power under construction at month 0 so that the labs together started no
/// more than `past_additions`, the world's power additions of the `lag` months before
/// it ([`Calendar::past_additions`]: the monthly cap of step 10 run backwards): each
/// lab's month-0 plan is what it would have built, the cap what it could have. That
/// power was paid for before month 0, as the fleet was.
pub(super) fn within_past_additions(labs: &mut [LabState], past_additions: f64) {
    let building: f64 = labs.iter().map(LabState::power_building).sum();
    if building > past_additions {
        let scale = past_additions / building;
        for lab in labs {
            lab.power_pipeline.scale(scale);
        }
    }
}
