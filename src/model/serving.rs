//! Serving (step 8): each lab serves its customers' demand with its inference GPUs, a
//! better model taking more of them per unit (inference-time compute); overflow goes to
//! second choices (part of it waits), and customers who find no room churn to other labs.

use super::MAX_LOG10_MULTIPLIER;
use crate::engine::LabState;
use crate::math;
use crate::scenario::Lab;
use crate::scenario::file::Market;

per_lab_buffers! {
    /// Per-lab buffers of a month's serving, reused month after month.
    pub struct Buffers {
        demand: Vec<f64>,
        capacity: Vec<f64>,
        customers: Vec<f64>,
        churn: Churn,
        served: Served,
    }
}

/// Largest factor by which inference-time compute makes a model dearer (or cheaper) to
/// serve than the field's mean model: the exponent of [`serving_cost`] is within
/// +-1 decade.
pub const MAX_SERVING_COST_DECADES: f64 = 1.0;

/// GPUs it takes to serve one unit of demand with a model of quality `quality`, relative
/// to a model of the reference quality `mean_quality` (the field's mean, or an exogenous
/// trend: [`reference_quality`]):
/// `10^(infer_elasticity * (quality - mean_quality) / elo_per_decade)`, within
/// [`MAX_SERVING_COST_DECADES`] of 1. Better models think longer.
pub fn serving_cost(quality: f64, mean_quality: f64, elasticity: f64, elo_per_decade: f64) -> f64 {
    if elasticity == 0.0 {
        return 1.0;
    }
    let decades = (elasticity * (quality - mean_quality) / elo_per_decade)
        .clamp(-MAX_SERVING_COST_DECADES, MAX_SERVING_COST_DECADES)
        .min(MAX_LOG10_MULTIPLIER);
    math::exp(decades * std::f64::consts::LN_10)
}

/// The quality serving costs are measured against: the exogenous `reference` when the
/// scenario gives one (`world.market.infer_reference_growth`), else the mean of the
/// deployed `qualities`.
pub fn reference_quality(
    qualities: impl ExactSizeIterator<Item = f64>,
    reference: Option<f64>,
) -> f64 {
    reference.unwrap_or_else(|| {
        let n = qualities.len() as f64;
        qualities.sum::<f64>() / n
    })
}

/// Sets a lab's [`serving_cost`] against `reference` (a quality, Elo), its serving rate
/// (demand one inference GPU serves) `serving_efficiency / serving_cost`, and the factor
/// its list price carries, `serving_cost^infer_pass_through` (with its logarithm, for the
/// customers' price term).
pub fn set_costs(
    lab: &mut LabState,
    serving_efficiency: f64,
    reference: f64,
    market: &Market,
    elo_per_decade: f64,
) {
    let elasticity = market.infer_elasticity;
    lab.serving_cost = serving_cost(lab.quality, reference, elasticity, elo_per_decade);
    lab.serving_rate = serving_efficiency / lab.serving_cost;
    let pass_through = market.infer_pass_through;
    (lab.list_factor, lab.log_list_factor) = if pass_through > 0.0 && elasticity != 0.0 {
        let log = pass_through * math::ln(lab.serving_cost);
        (math::exp(log), log)
    } else {
        (1.0, 0.0)
    };
}

/// [`set_costs`] for every lab against the [`reference_quality`]: called in the month a
/// model ships, right after the release (with the deployed models' mean they depend on
/// the deployed qualities alone), and every month when the reference is exogenous, so
/// that the month's price floor, prices and serving all use them.
pub fn set_serving_costs(
    labs: &mut [LabState],
    traits: &[Lab],
    market: &Market,
    elo_per_decade: f64,
    reference: Option<f64>,
) {
    let mean_quality = reference_quality(labs.iter().map(|l| l.quality), reference);
    for (lab, traits) in labs.iter_mut().zip(traits) {
        set_costs(
            lab,
            traits.serving_efficiency,
            mean_quality,
            market,
            elo_per_decade,
        );
    }
}

/// Serves this month's `total_demand`: each lab's own demand is its customer share of
/// it and its capacity its inference GPUs times its serving rate (serving efficiency
/// over its [`serving_cost`], set by [`set_serving_costs`]);
/// [`serve`] places the overflow by the customers' `desired` shares and [`churn`] moves
/// the customers who found no room. Sets each lab's demand, capacity, served volume,
/// overflow taken in, unserved demand and customers, and returns the labs' total
/// customer share (summed in lab order from -0.0, as `Iterator::sum` does).
#[inline]
pub fn serve_month(
    labs: &mut [LabState],
    total_demand: f64,
    desired: &[f64],
    market: &Market,
    buffers: &mut Buffers,
) -> f64 {
    let n = labs.len();
    let (demand, capacity) = (&mut buffers.demand[..n], &mut buffers.capacity[..n]);
    let customers = &mut buffers.customers[..n];
    for (i, lab) in labs.iter_mut().enumerate() {
        lab.demand = lab.customers * total_demand;
        lab.capacity = lab.inference_gpus * lab.serving_rate;
        demand[i] = lab.demand;
        capacity[i] = lab.capacity;
        customers[i] = lab.customers;
    }
    serve(
        &buffers.demand,
        &buffers.capacity,
        desired,
        market.overflow_loss,
        &mut buffers.served,
    );
    churn(
        &mut buffers.customers,
        &buffers.served.spilled,
        desired,
        market.churn_unserved,
        total_demand,
        &mut buffers.churn,
    );
    let served = &buffers.served;
    let (served_to, overflow_in) = (&served.served[..n], &served.overflow_in[..n]);
    let (unserved, customers) = (&served.unserved[..n], &buffers.customers[..n]);
    let mut total = -0.0;
    for (i, lab) in labs.iter_mut().enumerate() {
        lab.served = served_to[i];
        lab.overflow_in = overflow_in[i];
        lab.unserved = unserved[i];
        lab.customers = customers[i];
        total += lab.customers;
    }
    total
}

per_lab_buffers! {
    /// The outcome of one month's serving, per lab (all in H100e-months unless noted),
    /// reused month after month.
    pub struct Served {
        /// Volume served, own customers plus overflow taken in; never above capacity.
        pub served: Vec<f64>,
        /// Overflow from other labs served here.
        pub overflow_in: Vec<f64>,
        /// The lab's own customers' demand that nobody served.
        pub unserved: Vec<f64>,
        /// The part of it that looked for a second choice and found no spare capacity: the
        /// customers who churn. Those who wait for the model they want (`overflow_loss`)
        /// are unserved but stay.
        pub spilled: Vec<f64>,
    }
}

/// Serves `demand[i]` (own customers' demand) with `capacity[i]`.
///
/// Each lab serves its own customers up to capacity. Of the total overflow a fraction
/// `overflow_loss` waits for the model it wanted and is lost; the rest goes to labs with
/// spare capacity in proportion to their desired shares (customers' second choice),
/// round after round until the overflow is placed or no lab has spare capacity. Each
/// lab's unserved demand is its overflow times the share of all overflow left unplaced;
/// its spilled demand (which churns) is its overflow times the share of all overflow that
/// went looking elsewhere and found no room.
#[inline]
pub fn serve(
    demand: &[f64],
    capacity: &[f64],
    desired: &[f64],
    overflow_loss: f64,
    out: &mut Served,
) {
    let n = demand.len();
    // One length for every slice: the loops below index without bounds checks.
    let (capacity, desired) = (&capacity[..n], &desired[..n]);
    let Served {
        served,
        overflow_in,
        unserved,
        spilled: spill,
    } = out;
    let (served, overflow_in) = (&mut served[..n], &mut overflow_in[..n]);
    let (unserved, spill) = (&mut unserved[..n], &mut spill[..n]);
    // Each lab's own overflow is kept in `unserved` until the end.
    let mut overflow = 0.0;
    for i in 0..n {
        served[i] = demand[i].min(capacity[i]);
        overflow_in[i] = 0.0;
        unserved[i] = demand[i] - served[i];
        overflow += unserved[i];
    }
    let mut pool = (1.0 - overflow_loss) * overflow;
    // Each round fills at least one lab or places the whole pool: at most n rounds.
    for _ in 0..n {
        if pool <= 0.0 {
            break;
        }
        let (mut weight, mut open) = (0.0, 0usize);
        for j in 0..n {
            if served[j] < capacity[j] {
                weight += desired[j];
                open += 1;
            }
        }
        if open == 0 {
            break;
        }
        let mut placed = 0.0;
        for j in 0..n {
            if served[j] >= capacity[j] {
                continue;
            }
            let share = if weight > 0.0 {
                pool * desired[j] / weight
            } else {
                pool / open as f64
            };
            let spare = capacity[j] - served[j];
            let take = share.min(spare);
            if share >= spare {
                served[j] = capacity[j];
            } else {
                served[j] += take;
            }
            overflow_in[j] += take;
            placed += take;
        }
        pool = (pool - placed).max(0.0);
    }
    let placed_total = (1.0 - overflow_loss) * overflow - pool;
    let (unplaced, spilled) = if overflow > 0.0 {
        (
            (1.0 - placed_total / overflow).clamp(0.0, 1.0),
            (pool / overflow).clamp(0.0, 1.0),
        )
    } else {
        (0.0, 0.0)
    };
    for (unserved, spill) in unserved.iter_mut().zip(spill.iter_mut()) {
        let own_overflow = *unserved;
        *unserved = own_overflow * unplaced;
        *spill = own_overflow * spilled;
    }
}

/// Churn: lab `i` loses `churn * spilled[i] / total_demand` of the market (`spilled`: its
/// customers who looked for a second choice and found none), which moves to
/// the other labs in proportion to their desired shares. All labs churn at once. With a
/// single lab there is nowhere to go, so nothing moves.
///
/// Linear in the labs: lab `j` gains `desired[j] * sum over i != j of lost[i] / others[i]`,
/// where `others[i]` is the desired share of every lab but `i`. Both sums over "every lab
/// but one" are taken as the labs before it plus the labs after it, never as a total
/// minus one term: with herding customers one term is close to the total and the
/// difference would lose every digit, creating customers.
#[inline]
pub fn churn(
    customers: &mut [f64],
    spilled: &[f64],
    desired: &[f64],
    churn: f64,
    total_demand: f64,
    scratch: &mut Churn,
) {
    let n = customers.len();
    if n < 2 || total_demand <= 0.0 || churn <= 0.0 || spilled.iter().all(|&u| u <= 0.0) {
        return;
    }
    let (spilled, desired) = (&spilled[..n], &desired[..n]);
    let Churn {
        lost,
        rate,
        direct,
        after,
    } = scratch;
    let (lost, rate, direct, after) = (
        &mut lost[..n],
        &mut rate[..n],
        &mut direct[..n],
        &mut after[..n],
    );
    direct.fill(0.0);
    // The desired shares of the labs after each.
    suffix_sums(desired, after);
    // What each lab loses, and the rate at which it goes to each unit of another lab's
    // desired share. Moved lab by lab instead (rare) when no other lab is wanted at all
    // (equal shares) or the others' shares are so small that the rate would overflow
    // (their sum with the other rates must stay finite: 0 times infinity is no number).
    let mut before = 0.0;
    for i in 0..n {
        let others = before + after[i];
        before += desired[i];
        lost[i] = (churn * spilled[i] / total_demand)
            .min(customers[i])
            .max(0.0);
        rate[i] = 0.0;
        if lost[i] <= 0.0 {
            continue;
        }
        let r = lost[i] / others;
        if others > 0.0 && r <= f64::MAX / n as f64 {
            rate[i] = r;
            continue;
        }
        for (j, (to, &d)) in direct.iter_mut().zip(desired).enumerate() {
            if j != i {
                let w = if others > 0.0 {
                    d / others
                } else {
                    1.0 / (n - 1) as f64
                };
                *to += lost[i] * w;
            }
        }
    }
    // What each lab gains: its desired share times the rates of every other lab.
    suffix_sums(rate, after);
    let mut before = 0.0;
    for j in 0..n {
        let gain = desired[j] * (before + after[j]) + direct[j];
        before += rate[j];
        customers[j] = (customers[j] - lost[j] + gain).clamp(0.0, 1.0);
    }
}

/// `after[i]` = the sum of `values[i + 1..]`.
fn suffix_sums(values: &[f64], after: &mut [f64]) {
    let mut sum = 0.0;
    for (a, &v) in after.iter_mut().zip(values).rev() {
        *a = sum;
        sum += v;
    }
}

per_lab_buffers! {
    /// Scratch of [`churn`], per lab.
    pub struct Churn {
        lost: Vec<f64>,
        rate: Vec<f64>,
        /// What each lab gains from losses moved lab by lab.
        direct: Vec<f64>,
        after: Vec<f64>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PerLab;

    /// What [`serve`] makes of each lab's demand, capacity and desired share.
    fn served(demand: &[f64], capacity: &[f64], shares: &[f64], overflow_loss: f64) -> Served {
        let mut out = Served::zeros(demand.len());
        serve(demand, capacity, shares, overflow_loss, &mut out);
        out
    }

    #[test]
    fn overflow_goes_to_second_choices_by_desired_share() {
        // Lab 0 wants 100, can serve 40: 60 overflow, half lost -> 30 to place.
        // Labs 1 and 2 have spare 50 and 5, desired shares 0.2 and 0.2 -> 15 each offered;
        // lab 2 takes 5, the 10 left goes to lab 1 next round.
        let (demand, capacity, shares) = ([100.0, 10.0, 10.0], [40.0, 60.0, 15.0], [0.6, 0.2, 0.2]);
        let out = served(&demand, &capacity, &shares, 0.5);
        assert_eq!(out.served, vec![40.0, 35.0, 15.0]);
        assert_eq!(out.overflow_in, vec![0.0, 25.0, 5.0]);
        // 30 of 60 overflow placed: half of lab 0's overflow is unserved, and all of
        // that half waits (overflow_loss): nothing spilled, nobody churns.
        assert_eq!(out.unserved, vec![30.0, 0.0, 0.0]);
        assert_eq!(out.spilled, vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn customers_who_wait_do_not_churn_those_who_find_no_room_do() {
        // Two saturated labs and one with 10 spare. Lab 0 overflows 60, lab 1 40: 100 in
        // all; overflow_loss 0.7 keeps 70 waiting, 30 look elsewhere, 10 find room at lab
        // 2, 20 spill. Lab 0's share of the spill is 60% (12), lab 1's 40% (8).
        let (demand, capacity, shares) = ([100.0, 80.0, 10.0], [40.0, 40.0, 20.0], [0.4, 0.4, 0.2]);
        let out = served(&demand, &capacity, &shares, 0.7);
        assert_eq!(out.served, vec![40.0, 40.0, 20.0]);
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
        assert!(
            close(&out.unserved, &[54.0, 36.0, 0.0]),
            "{:?}",
            out.unserved
        );
        assert!(close(&out.spilled, &[12.0, 8.0, 0.0]), "{:?}", out.spilled);
        // Everyone waits: unserved, but nothing spills.
        let out = served(&demand, &capacity, &shares, 1.0);
        assert!(close(&out.spilled, &[0.0, 0.0, 0.0]));
        assert!(close(&out.unserved, &[60.0, 40.0, 0.0]));
    }

    #[test]
    fn better_models_take_more_gpus_to_serve() {
        // 0.3 per decade, 100 Elo per decade: 100 Elo above the mean takes 10^0.3 = 2x the
        // GPUs, 100 below half; the factor stays within 0.1-10x however far apart.
        assert!((serving_cost(1100.0, 1000.0, 0.3, 100.0) - 10f64.powf(0.3)).abs() < 1e-12);
        assert!((serving_cost(900.0, 1000.0, 0.3, 100.0) - 10f64.powf(-0.3)).abs() < 1e-12);
        assert_eq!(serving_cost(1100.0, 1000.0, 0.0, 100.0), 1.0);
        assert!((serving_cost(1e6, 1000.0, 0.3, 100.0) - 10.0).abs() < 1e-12);
        assert!((serving_cost(-1e6, 1000.0, 0.3, 100.0) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn saturated_world_places_nothing() {
        let out = served(&[100.0, 100.0], &[50.0, 80.0], &[0.5, 0.5], 0.0);
        assert_eq!(out.served, vec![50.0, 80.0]);
        assert_eq!(out.unserved, vec![50.0, 20.0]);
        assert_eq!(
            out.spilled,
            vec![50.0, 20.0],
            "nobody waits: all of it churns"
        );
    }

    #[test]
    fn churn_moves_customers_by_desired_share() {
        let mut c = [0.5, 0.3, 0.2];
        let mut scratch = Churn::zeros(3);
        // Lab 0 left 40 of 200 total unserved, churn 0.5: loses 0.1 of the market.
        churn(
            &mut c,
            &[40.0, 0.0, 0.0],
            &[0.5, 0.3, 0.1],
            0.5,
            200.0,
            &mut scratch,
        );
        assert!((c[0] - 0.4).abs() < 1e-12);
        assert!((c[1] - 0.375).abs() < 1e-12);
        assert!((c[2] - 0.225).abs() < 1e-12);
    }

    /// Churn as its rule reads, lab by lab: what `i` loses goes to every other lab by its
    /// desired share among the others (equal shares when none is wanted).
    fn churn_by_definition(
        c: &[f64],
        spilled: &[f64],
        desired: &[f64],
        rate: f64,
        total: f64,
    ) -> Vec<f64> {
        let n = c.len();
        let mut next = c.to_vec();
        for i in 0..n {
            let lost = (rate * spilled[i] / total).min(c[i]).max(0.0);
            let others: f64 = (0..n).filter(|&j| j != i).map(|j| desired[j]).sum();
            next[i] -= lost;
            for j in (0..n).filter(|&j| j != i) {
                next[j] += lost
                    * if others > 0.0 {
                        desired[j] / others
                    } else {
                        1.0 / (n - 1) as f64
                    };
            }
        }
        next.iter().map(|x| x.clamp(0.0, 1.0)).collect()
    }

    #[test]
    fn churn_in_linear_time_is_the_rule_lab_by_lab() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(5);
        for case in 0..400 {
            let n = 2 + case % 60;
            let mut draw = |scale: f64| -> Vec<f64> {
                (0..n)
                    .map(|_| {
                        if rng.random::<f64>() < 0.2 {
                            0.0
                        } else {
                            scale * rng.random::<f64>()
                        }
                    })
                    .collect()
            };
            let (raw, spilled, mut desired) = (draw(1.0), draw(50.0), draw(1.0));
            if case % 7 == 0 {
                // Herding: one lab wanted by nearly everyone.
                desired.iter_mut().for_each(|d| *d *= 1e-9);
                desired[case % n] = 1.0;
            }
            if case % 13 == 0 {
                // Herding so strong that the others' shares are subnormal or 0 (a logit at
                // a large beta): the favourite's rate would overflow.
                desired.iter_mut().for_each(|d| *d *= 1e-310);
                desired[case % n] = 1.0;
            }
            if case % 11 == 0 {
                // Nobody but one lab wanted at all: its customers leave in equal shares.
                desired.iter_mut().for_each(|d| *d = 0.0);
                desired[0] = 1.0;
            }
            let total: f64 = raw.iter().sum::<f64>().max(1e-3);
            let before: Vec<f64> = raw.iter().map(|x| x / total).collect();
            let expected = churn_by_definition(&before, &spilled, &desired, 0.5, 200.0);
            let mut c = before.clone();
            churn(&mut c, &spilled, &desired, 0.5, 200.0, &mut Churn::zeros(n));
            assert!(c.iter().all(|x| x.is_finite()), "case {case}: {c:?}");
            for (got, want) in c.iter().zip(&expected) {
                assert!(
                    (got - want).abs() <= 1e-12,
                    "case {case}: {got} against {want}"
                );
            }
            // Customers move; none is created or destroyed.
            let (sum_before, sum_after) = (before.iter().sum::<f64>(), c.iter().sum::<f64>());
            assert!(
                (sum_after - sum_before).abs() <= 1e-12,
                "case {case}: {sum_before} became {sum_after}"
            );
        }
    }
}
