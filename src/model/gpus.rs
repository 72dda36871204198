//! GPUs (step 9): labs order GPUs with part of their cash, the market rations scarce
//! supply, purchases wait in a [`Pipeline`] for `build_lag` months, and the fleet
//! depreciates.

use crate::engine::LabState;
use crate::scenario::file::Gpus;
use crate::scenario::{Lab, Rationing};

use super::money;

/// GPUs paid for and not yet online, by month of arrival: a ring of `build_lag` slots.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Pipeline {
    slots: Vec<f64>,
}

impl Pipeline {
    /// An empty pipeline for purchases that take `build_lag` (at least 1) months.
    pub fn new(build_lag: u32) -> Pipeline {
        Pipeline {
            slots: vec![0.0; build_lag as usize],
        }
    }

    /// GPUs bought in month `month`: online at the end of month `month + build_lag - 1`,
    /// so usable from month `month + build_lag` (`build_lag = 1`: next month).
    pub fn add(&mut self, month: u32, h100e: f64) {
        let lag = self.slots.len();
        self.slots[(month as usize + lag - 1) % lag] += h100e;
    }

    /// Takes the GPUs coming online at the end of month `month`.
    pub fn arrive(&mut self, month: u32) -> f64 {
        let lag = self.slots.len();
        std::mem::take(&mut self.slots[month as usize % lag])
    }

    /// GPUs in the pipeline, H100e.
    pub fn total(&self) -> f64 {
        self.slots.iter().sum()
    }
}

/// Per-lab buffers of a month's purchases, reused month after month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Buffers {
    orders: Vec<f64>,
    fleets: Vec<f64>,
    received: Vec<f64>,
}

impl Buffers {
    /// Buffers for `n` labs.
    pub fn new(n: usize) -> Buffers {
        Buffers {
            orders: vec![0.0; n],
            fleets: vec![0.0; n],
            received: vec![0.0; n],
        }
    }
}

/// Largest order a lab may place in a month, H100e. Far beyond any supply cap, so it
/// never binds in a meaningful scenario; it keeps an order finite when GPUs cost next to
/// nothing (a price that has halved towards zero), and the sum of the labs' orders finite.
pub const MAX_ORDER: f64 = 1e300;

/// A lab's order, H100e: `reinvest * max(available, 0) / gpu_price`, at most
/// [`MAX_ORDER`]; nothing to spend orders nothing, even when GPUs are free.
pub fn order(reinvest: f64, available: f64, gpu_price: f64) -> f64 {
    let budget = reinvest * available.max(0.0);
    if budget > 0.0 {
        (budget / gpu_price).min(MAX_ORDER)
    } else {
        0.0
    }
}

/// Month `month`'s purchases: every lab orders from the cash [`money::available`] to it
/// (or orders `imposed[i]`, when an experiment imposes orders that ignore cash), the labs
/// together receive at most `supply` ([`ration`]), each pays `gpu_price` for what it
/// receives ([`money::pay`]), and the GPUs enter its pipeline.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn buy(
    labs: &mut [LabState],
    traits: &[Lab],
    month: u32,
    gpu_price: f64,
    supply: f64,
    gpus: &Gpus,
    buffers: &mut Buffers,
    imposed: Option<&[f64]>,
) {
    for (i, (lab, traits)) in labs.iter_mut().zip(traits).enumerate() {
        lab.ordered = match imposed {
            Some(orders) => orders[i].clamp(0.0, MAX_ORDER),
            None => order(traits.reinvest, money::available(lab), gpu_price),
        };
        buffers.orders[i] = lab.ordered;
        buffers.fleets[i] = lab.fleet;
    }
    ration(
        &buffers.orders,
        &buffers.fleets,
        supply,
        gpus.rationing,
        &mut buffers.received,
    );
    for (lab, &received) in labs.iter_mut().zip(&buffers.received) {
        lab.received = received;
        money::pay(lab, received * gpu_price);
        lab.pipeline.add(month, received);
    }
}

/// The end of month `month`: each fleet depreciates by `1 / life_months` and the GPUs
/// due from the pipeline come online.
#[inline]
pub fn install(labs: &mut [LabState], month: u32, life_months: f64) {
    let survive = 1.0 - 1.0 / life_months;
    for lab in labs {
        let arriving = lab.pipeline.arrive(month);
        lab.fleet = lab.fleet * survive + arriving;
    }
}

/// Splits `supply` H100e among labs that ordered `orders`, writing what each receives.
///
/// When orders fit in supply everyone gets their order. Otherwise `Orders` gives each lab
/// the same fraction of its order; `Fleet` gives shares pro rata to `fleets`, never more
/// than a lab ordered, and passes what a lab did not want on to the others (water-filling),
/// so all supply is used while anyone still wants more.
pub fn ration(orders: &[f64], fleets: &[f64], supply: f64, rule: Rationing, out: &mut [f64]) {
    let total: f64 = orders.iter().sum();
    if total <= supply {
        out.copy_from_slice(orders);
        return;
    }
    match rule {
        Rationing::Orders => {
            let scale = supply / total;
            for (o, order) in out.iter_mut().zip(orders) {
                *o = order * scale;
            }
        }
        Rationing::Fleet => {
            out.iter_mut().for_each(|o| *o = 0.0);
            let mut left = supply;
            for _ in 0..orders.len() {
                let wants = |i: usize| out[i] < orders[i];
                let wanting = (0..orders.len()).filter(|&i| wants(i)).count();
                let weight: f64 = (0..orders.len())
                    .filter(|&i| wants(i))
                    .map(|i| fleets[i])
                    .sum();
                if wanting == 0 || left <= 0.0 {
                    break;
                }
                let mut given = 0.0;
                for i in 0..orders.len() {
                    if out[i] >= orders[i] {
                        continue;
                    }
                    let share = if weight > 0.0 {
                        let share = left * fleets[i] / weight;
                        if share.is_finite() {
                            share
                        } else {
                            // Supply and fleet so large their product overflows.
                            left * (fleets[i] / weight)
                        }
                    } else {
                        left / wanting as f64
                    };
                    let take = share.min(orders[i] - out[i]);
                    out[i] += take;
                    given += take;
                }
                left = (left - given).max(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purchases_wait_build_lag_months() {
        // Month by month, as the engine does it: buy, then take what arrives.
        let mut p = Pipeline::new(3);
        p.add(0, 10.0);
        assert_eq!(p.arrive(0), 0.0);
        p.add(1, 20.0);
        assert_eq!(p.arrive(1), 0.0);
        assert_eq!(p.total(), 30.0);
        p.add(2, 5.0);
        // Bought in month 0 with a 3-month lag: online at the end of month 2.
        assert_eq!(p.arrive(2), 10.0);
        assert_eq!(p.arrive(3), 20.0);
        assert_eq!(p.arrive(4), 5.0);
        assert_eq!(p.total(), 0.0);
        let mut next_month = Pipeline::new(1);
        next_month.add(7, 4.0);
        assert_eq!(
            next_month.arrive(7),
            4.0,
            "lag 1: online for the next month"
        );
    }

    #[test]
    fn orders_spend_a_share_of_positive_cash() {
        assert_eq!(order(0.5, 1e6, 1000.0), 500.0);
        assert_eq!(order(0.5, -1e6, 1000.0), 0.0);
        // A price that has halved to nothing: the order is capped, not infinite, and no
        // cash orders nothing rather than 0/0.
        assert_eq!(order(0.5, 1e9, 0.0), MAX_ORDER);
        assert_eq!(order(0.5, 1e9, 1e-310), MAX_ORDER);
        assert_eq!(order(0.0, 1e9, 0.0), 0.0);
    }

    #[test]
    fn huge_orders_and_fleets_stay_finite() {
        let mut out = [0.0; 2];
        ration(
            &[MAX_ORDER, MAX_ORDER],
            &[1.0, 3.0],
            100.0,
            Rationing::Orders,
            &mut out,
        );
        assert_eq!(out, [50.0, 50.0]);
        ration(
            &[MAX_ORDER, MAX_ORDER],
            &[1e200, 3e200],
            1e200,
            Rationing::Fleet,
            &mut out,
        );
        assert!((out[0] - 0.25e200).abs() < 1e186 && (out[1] - 0.75e200).abs() < 1e186);
    }

    #[test]
    fn orders_rule_scales_every_order_alike() {
        let mut out = [0.0; 2];
        ration(
            &[300.0, 100.0],
            &[1.0, 1.0],
            200.0,
            Rationing::Orders,
            &mut out,
        );
        assert_eq!(out, [150.0, 50.0]);
    }

    #[test]
    fn fleet_rule_caps_at_orders_and_passes_the_rest_on() {
        // Fleets 3:1 of supply 200 -> 150 and 50; lab 1 ordered only 20, so its spare 30
        // goes to lab 0, which gets 180 of its 300.
        let mut out = [0.0; 2];
        ration(
            &[300.0, 20.0],
            &[3.0, 1.0],
            200.0,
            Rationing::Fleet,
            &mut out,
        );
        assert_eq!(out, [180.0, 20.0]);
    }

    #[test]
    fn enough_supply_fills_every_order() {
        let mut out = [0.0; 2];
        ration(
            &[10.0, 20.0],
            &[1.0, 1.0],
            200.0,
            Rationing::Fleet,
            &mut out,
        );
        assert_eq!(out, [10.0, 20.0]);
    }
}
