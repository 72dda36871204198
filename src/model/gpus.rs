//! GPUs (step 10): labs order GPUs with what their budget has left after power, only as
//! many as they have (or are building) power for; when orders exceed supply the price
//! rises and the market rations what is still short; purchases wait in a [`Pipeline`]
//! for `build_lag` months, and the fleet depreciates.

use crate::engine::LabState;
use crate::math;
use crate::scenario::Rationing;
use crate::scenario::file::Gpus;

use super::money;

/// What is paid for and not yet online (GPUs, or the power they or a data centre will
/// draw), by month of arrival: a ring of `lag` slots. Written and read as the list of
/// slots.
///
/// Months come in order (each month's purchases, then its arrivals), so the ring keeps a
/// cursor at the slot of the month in progress instead of dividing by the lag.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<f64>", into = "Vec<f64>")]
pub struct Pipeline {
    slots: Vec<f64>,
    /// The slot arriving at the end of the month in progress (`month % lag`).
    cursor: usize,
    /// The slot of this month's purchases (the one before `cursor`, cyclically).
    last: usize,
}

impl From<Vec<f64>> for Pipeline {
    /// The slots as read, at month 0.
    fn from(slots: Vec<f64>) -> Pipeline {
        Pipeline {
            last: slots.len().saturating_sub(1),
            slots,
            cursor: 0,
        }
    }
}

impl From<Pipeline> for Vec<f64> {
    fn from(pipeline: Pipeline) -> Vec<f64> {
        pipeline.slots
    }
}

impl Pipeline {
    /// An empty pipeline for purchases that take `lag` (at least 1) months.
    pub fn new(lag: u32) -> Pipeline {
        Pipeline::default().emptied(lag)
    }

    /// [`Pipeline::new`] in this pipeline's allocation.
    pub fn emptied(self, lag: u32) -> Pipeline {
        let mut slots = self.slots;
        slots.clear();
        slots.resize(lag as usize, 0.0);
        Pipeline::from(slots)
    }

    /// Bought in month `month` (the month in progress): online at the end of month
    /// `month + lag - 1`, so usable from month `month + lag` (`lag = 1`: next month).
    pub fn add(&mut self, month: u32, amount: f64) {
        debug_assert_eq!(month as usize % self.slots.len(), self.cursor);
        self.slots[self.last] += amount;
    }

    /// Takes what comes online at the end of month `month` (the month in progress), and
    /// moves on to the next month.
    pub fn arrive(&mut self, month: u32) -> f64 {
        debug_assert_eq!(month as usize % self.slots.len(), self.cursor);
        let arriving = std::mem::take(&mut self.slots[self.cursor]);
        self.last = self.cursor;
        self.cursor += 1;
        if self.cursor == self.slots.len() {
            self.cursor = 0;
        }
        arriving
    }

    /// What the pipeline holds, summed slot by slot (for outputs).
    pub fn sum(&self) -> f64 {
        self.slots.iter().sum()
    }

    /// What arrives by the end of month `month + months - 1`, `month` the month in
    /// progress: the next `months` slots, less than the lag.
    #[inline]
    fn due_within(&self, months: usize) -> f64 {
        let (lag, from) = (self.slots.len(), self.cursor);
        let end = from + months;
        if end <= lag {
            self.slots[from..end].iter().sum()
        } else {
            self.slots[from..].iter().sum::<f64>() + self.slots[..end - lag].iter().sum::<f64>()
        }
    }

    /// Adds `amount` arriving at the end of month `month` (for the pipeline at month 0;
    /// `month` less than the lag).
    pub fn schedule(&mut self, month: u32, amount: f64) {
        let lag = self.slots.len();
        self.slots[month as usize % lag] += amount;
    }
}

/// A [`Pipeline`] with its total kept as it changes, for the pipelines whose total the
/// step reads every month (power under construction, and the draw of GPUs on order).
/// Written and read as the list of slots.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Pipeline", into = "Pipeline")]
pub struct Counted {
    ring: Pipeline,
    total: f64,
}

impl From<Pipeline> for Counted {
    fn from(ring: Pipeline) -> Counted {
        Counted {
            total: ring.sum(),
            ring,
        }
    }
}

impl From<Counted> for Pipeline {
    fn from(counted: Counted) -> Pipeline {
        counted.ring
    }
}

impl Counted {
    /// An empty pipeline for purchases that take `lag` (at least 1) months.
    pub fn new(lag: u32) -> Counted {
        Counted::default().emptied(lag)
    }

    /// [`Counted::new`] in this pipeline's allocation.
    pub fn emptied(self, lag: u32) -> Counted {
        Counted::from(self.ring.emptied(lag))
    }

    /// [`Pipeline::add`], counted.
    pub fn add(&mut self, month: u32, amount: f64) {
        self.ring.add(month, amount);
        self.total += amount;
    }

    /// [`Pipeline::arrive`], counted.
    pub fn arrive(&mut self, month: u32) -> f64 {
        let arriving = self.ring.arrive(month);
        self.total = if self.ring.cursor == 0 {
            // Once a cycle, recounted: the running total does not drift.
            self.ring.sum()
        } else {
            (self.total - arriving).max(0.0)
        };
        arriving
    }

    /// What the pipeline holds, in total, as kept month by month (for the step).
    pub fn total(&self) -> f64 {
        self.total
    }

    /// What arrives within `months` months, by the end of month `month + months - 1`
    /// (`month` the month in progress): all of it, as kept, when `months` is at least
    /// the lag.
    #[inline]
    pub fn due_within(&self, months: u32) -> f64 {
        let months = months as usize;
        if months >= self.ring.slots.len() {
            self.total
        } else {
            self.ring.due_within(months)
        }
    }

    /// What the pipeline holds, summed slot by slot: the same number as
    /// [`Counted::total`] up to rounding, and the same for a pipeline written out and
    /// read back (for outputs).
    pub fn sum(&self) -> f64 {
        self.ring.sum()
    }

    /// Every slot times `factor` (for the pipeline at month 0).
    pub fn scale(&mut self, factor: f64) {
        self.ring.slots.iter_mut().for_each(|slot| *slot *= factor);
        self.total = self.ring.sum();
    }

    /// [`Pipeline::schedule`], counted.
    pub fn schedule(&mut self, month: u32, amount: f64) {
        self.ring.schedule(month, amount);
        self.total += amount;
    }
}

per_lab_buffers! {
    /// Per-lab buffers of a month's purchases, reused month after month.
    pub struct Buffers {
        orders: Vec<f64>,
        fleets: Vec<f64>,
        received: Vec<f64>,
        /// Each lab's budget for power and GPUs this month, USD; power is paid first.
        pub(crate) budgets: Vec<f64>,
        /// Each lab's spending on power this month, USD.
        pub(crate) power_costs: Vec<f64>,
        /// GPUs each lab has power for, H100e.
        room: Vec<f64>,
    }
}

/// The most the GPU price rises above its base when orders exceed supply.
pub const MAX_PRICE_MULTIPLE: f64 = 10.0;

/// Largest order a lab may place in a month, H100e. Far beyond any supply cap, so it
/// never binds in a meaningful scenario; it keeps an order finite when GPUs cost next to
/// nothing (a price that has halved towards zero), and the sum of the labs' orders finite.
pub const MAX_ORDER: f64 = 1e300;

/// A lab's order, H100e: `budget / gpu_price`, at most `room` (the GPUs it has power
/// for) and [`MAX_ORDER`]; nothing to spend orders nothing, even when GPUs are free.
pub fn order(budget: f64, gpu_price: f64, room: f64) -> f64 {
    order_at(budget, 1.0 / gpu_price, room)
}

/// [`order`] with the price given as its inverse (computed once a month).
fn order_at(budget: f64, per_dollar: f64, room: f64) -> f64 {
    if budget > 0.0 && room > 0.0 {
        (budget * per_dollar).min(room).min(MAX_ORDER)
    } else {
        0.0
    }
}

/// The month's GPU price: the `base` price times `(wanted / supply)^response` when the
/// GPUs wanted at the base price exceed supply, at most [`MAX_PRICE_MULTIPLE`] times the
/// base. `response = 1` clears the market when every lab's order is limited by its budget
/// (what was wanted at the base price then costs what the budgets pay for the supply); a
/// lab limited by its power orders as much at any price, so rationing still takes the
/// rest. `0` leaves it all to rationing.
pub fn price(base: f64, wanted: f64, supply: f64, response: f64) -> f64 {
    if wanted <= supply || response == 0.0 {
        return base;
    }
    let ratio = wanted / supply;
    // The common responses without `powf`, the slowest call of the step.
    let multiple = if response == 0.5 {
        ratio.sqrt()
    } else if response == 1.0 {
        ratio
    } else {
        math::exp(response * math::ln(ratio))
    };
    base * multiple.min(MAX_PRICE_MULTIPLE)
}

/// The cash a lab puts into power and GPUs this month: `reinvest` of what is available,
/// nothing when that is negative.
pub fn budget(reinvest: f64, available: f64) -> f64 {
    reinvest * available.max(0.0)
}

/// Month `month`'s GPU purchases, after power ([`super::power::build`] has left each lab
/// `buffers.budgets` and recorded `buffers.power_costs`): every lab wants what its budget
/// buys at the `base` price, at most the GPUs its power (online, and under construction
/// and due within `build_lag` months, less what its fleet and pipeline draw) can run at
/// `gw_per_h100e` each; the price
/// responds to what is wanted against `supply` ([`price`]); at that price each lab orders
/// again, the labs together receive at most `supply` ([`ration`]), each pays for what it
/// receives and for its power ([`money::pay`]), and the GPUs and their power draw enter
/// its pipelines. Returns the month's GPU price.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn buy(
    labs: &mut [LabState],
    month: u32,
    base: f64,
    gw_per_h100e: f64,
    supply: f64,
    gpus: &Gpus,
    buffers: &mut Buffers,
) -> f64 {
    let mut wanted = 0.0;
    let (per_gw, per_base) = (1.0 / gw_per_h100e, 1.0 / base);
    let n = labs.len();
    let (budgets, rooms) = (&buffers.budgets[..n], &mut buffers.room[..n]);
    let orders = &mut buffers.orders[..n];
    for (((lab, &budget), room), order) in labs
        .iter()
        .zip(budgets)
        .zip(rooms.iter_mut())
        .zip(orders.iter_mut())
    {
        // Power that will be online when GPUs bought now arrive, not power due later:
        // a GPU without power depreciates idle.
        let ready = lab.power + lab.power_pipeline.due_within(gpus.build_lag);
        let spare = ready - lab.draw - lab.draw_pipeline();
        *room = if spare > 0.0 {
            (spare * per_gw).min(MAX_ORDER)
        } else {
            0.0
        };
        *order = order_at(budget, per_base, *room);
        wanted += *order;
    }
    let gpu_price = price(base, wanted, supply, gpus.price_response);
    // At the base price the orders are those above; at a higher one each lab orders again.
    let (rose, per_dollar) = (gpu_price != base, 1.0 / gpu_price);
    // From -0.0, as `Iterator::sum` adds.
    let mut total = -0.0;
    let per_lab = budgets.iter().zip(rooms.iter()).zip(orders.iter_mut());
    for ((lab, fleet), ((&budget, &room), order)) in
        labs.iter_mut().zip(&mut buffers.fleets[..n]).zip(per_lab)
    {
        if rose {
            *order = order_at(budget, per_dollar, room);
        }
        lab.ordered = *order;
        *fleet = lab.fleet;
        total += *order;
    }
    // Orders within supply are received in full: no copy.
    let received = if total <= supply {
        &*orders
    } else {
        let out = &mut buffers.received[..n];
        ration_of(orders, total, &buffers.fleets, supply, gpus.rationing, out);
        &*out
    };
    let power_costs = &buffers.power_costs[..n];
    for ((lab, &received), &power_cost) in labs.iter_mut().zip(received).zip(power_costs) {
        lab.received = received;
        money::pay(lab, received * gpu_price, power_cost);
        lab.pipeline.add(month, received);
        lab.draw_pipeline.add(month, received * gw_per_h100e);
    }
    gpu_price
}

/// The end of month `month`: each fleet, and the power it draws, depreciates by
/// `1 / life_months`; the GPUs due from the pipeline come online with their draw, and the
/// data-centre power due comes online.
#[inline]
pub fn install(labs: &mut [LabState], month: u32, life_months: f64) {
    let survive = 1.0 - 1.0 / life_months;
    for lab in labs {
        let arriving = lab.pipeline.arrive(month);
        lab.fleet = lab.fleet * survive + arriving;
        lab.draw = lab.draw * survive + lab.draw_pipeline.arrive(month);
        lab.power += lab.power_pipeline.arrive(month);
    }
}

/// Splits `supply` H100e among labs that ordered `orders`, writing what each receives.
///
/// When orders fit in supply everyone gets their order. Otherwise `Orders` gives each lab
/// the same fraction of its order; `Fleet` gives shares pro rata to `fleets`, never more
/// than a lab ordered, and passes what a lab did not want on to the others (water-filling),
/// so all supply is used while anyone still wants more.
pub fn ration(orders: &[f64], fleets: &[f64], supply: f64, rule: Rationing, out: &mut [f64]) {
    ration_of(orders, orders.iter().sum(), fleets, supply, rule, out);
}

/// [`ration`] with the orders' `total` given (summed in order from -0.0, as
/// `Iterator::sum` does).
pub(crate) fn ration_of(
    orders: &[f64],
    total: f64,
    fleets: &[f64],
    supply: f64,
    rule: Rationing,
    out: &mut [f64],
) {
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
    use crate::model::PerLab;

    #[test]
    fn purchases_wait_build_lag_months() {
        // Month by month, as the engine does it: buy, then take what arrives.
        let mut p = Counted::new(3);
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
    fn power_due_within_a_window_counts_the_next_slots_only() {
        // Lag 4, in month 2: 1 GW bought in each of months 0, 1 and 2 arrives at the ends of
        // months 3, 4 and 5.
        let mut p = Counted::new(4);
        for month in 0..2 {
            p.add(month, 1.0);
            p.arrive(month);
        }
        p.add(2, 1.0);
        assert_eq!(p.due_within(1), 0.0, "nothing at the end of month 2");
        assert_eq!(p.due_within(2), 1.0);
        assert_eq!(p.due_within(3), 2.0, "wraps round the ring");
        assert_eq!(p.due_within(4), 3.0);
        assert_eq!(p.due_within(60), p.total());
    }

    #[test]
    fn gpus_are_bought_only_for_power_online_when_they_arrive() {
        // No power online, 1 GW due in 2 months and 1 GW in 10; GPUs take 3 months and draw
        // 1e-6 GW each: room for 1e6 GPUs, not 2e6, however much money there is.
        let mut lab = LabState {
            power_pipeline: Counted::new(12),
            draw_pipeline: Counted::new(3),
            pipeline: Pipeline::new(3),
            cash: 1e15,
            ..LabState::default()
        };
        lab.power_pipeline.schedule(1, 1.0);
        lab.power_pipeline.schedule(9, 1.0);
        let gpus = Gpus {
            build_lag: 3,
            ..Gpus::default()
        };
        let mut buffers = Buffers::zeros(1);
        buffers.budgets[0] = 1e15;
        let mut labs = [lab];
        buy(&mut labs, 0, 1.0, 1e-6, 1e12, &gpus, &mut buffers);
        assert!(
            (labs[0].received - 1e6).abs() < 1e-3,
            "{}",
            labs[0].received
        );
    }

    #[test]
    fn a_pipeline_is_written_as_its_slots_and_read_back_with_its_total() {
        let mut p = Counted::new(3);
        p.add(0, 10.0);
        p.arrive(0);
        p.add(1, 20.0);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "[20.0,0.0,10.0]");
        let back: Counted = serde_json::from_str(&json).unwrap();
        assert_eq!(back.total(), 30.0);
        // Read back at month 0: the first slot arrives at its end.
        let mut ring: Pipeline = serde_json::from_str("[1.0,2.0]").unwrap();
        assert_eq!(ring.arrive(0), 1.0);
    }

    #[test]
    fn orders_spend_a_share_of_positive_cash_on_gpus_that_have_power() {
        let room = MAX_ORDER;
        assert_eq!(order(budget(0.5, 1e6), 1000.0, room), 500.0);
        assert_eq!(order(budget(0.5, -1e6), 1000.0, room), 0.0);
        // A price that has halved to nothing: the order is capped, not infinite, and no
        // cash orders nothing rather than 0/0.
        assert_eq!(order(budget(0.5, 1e9), 0.0, room), MAX_ORDER);
        assert_eq!(order(budget(0.5, 1e9), 1e-310, room), MAX_ORDER);
        assert_eq!(order(budget(0.0, 1e9), 0.0, room), 0.0);
        // Power for only 200 more GPUs: 200, and none without power.
        assert_eq!(order(5e5, 1000.0, 200.0), 200.0);
        assert_eq!(order(5e5, 1000.0, 0.0), 0.0);
    }

    #[test]
    fn the_gpu_price_rises_when_orders_exceed_supply() {
        // Twice the supply wanted: response 1 doubles the price (the budgets then buy the
        // supply exactly), 0.5 raises it by sqrt(2), 0 not at all; within supply, base.
        assert_eq!(price(100.0, 200.0, 100.0, 1.0), 200.0);
        assert!((price(100.0, 200.0, 100.0, 0.5) - 100.0 * 2f64.sqrt()).abs() < 1e-9);
        assert_eq!(price(100.0, 200.0, 100.0, 0.0), 100.0);
        assert_eq!(price(100.0, 80.0, 100.0, 1.0), 100.0);
        assert_eq!(price(100.0, 1e300, 1.0, 3.0), 100.0 * MAX_PRICE_MULTIPLE);
    }

    /// What [`ration`] gives two labs that ordered `orders` with fleets `fleets`.
    fn rationed(orders: [f64; 2], fleets: [f64; 2], supply: f64, rule: Rationing) -> [f64; 2] {
        let mut out = [0.0; 2];
        ration(&orders, &fleets, supply, rule, &mut out);
        out
    }

    #[test]
    fn huge_orders_and_fleets_stay_finite() {
        let huge = [MAX_ORDER, MAX_ORDER];
        assert_eq!(
            rationed(huge, [1.0, 3.0], 100.0, Rationing::Orders),
            [50.0, 50.0]
        );
        let out = rationed(huge, [1e200, 3e200], 1e200, Rationing::Fleet);
        assert!((out[0] - 0.25e200).abs() < 1e186 && (out[1] - 0.75e200).abs() < 1e186);
    }

    #[test]
    fn orders_rule_scales_every_order_alike() {
        let out = rationed([300.0, 100.0], [1.0, 1.0], 200.0, Rationing::Orders);
        assert_eq!(out, [150.0, 50.0]);
    }

    #[test]
    fn fleet_rule_caps_at_orders_and_passes_the_rest_on() {
        // Fleets 3:1 of supply 200 -> 150 and 50; lab 1 ordered only 20, so its spare 30
        // goes to lab 0, which gets 180 of its 300.
        let out = rationed([300.0, 20.0], [3.0, 1.0], 200.0, Rationing::Fleet);
        assert_eq!(out, [180.0, 20.0]);
    }

    #[test]
    fn enough_supply_fills_every_order() {
        let out = rationed([10.0, 20.0], [1.0, 1.0], 200.0, Rationing::Fleet);
        assert_eq!(out, [10.0, 20.0]);
    }
}
