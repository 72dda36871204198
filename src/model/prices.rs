//! Prices (step 6, before choice): each lab moves its markup over its list price toward
//! a target that rises with its utilisation, its price staying between its marginal
//! serving cost and a cap; price enters the customers' choice relative to the market's
//! reference price.

use super::MAX_LOG10_MULTIPLIER;
use crate::engine::LabState;
use crate::math;
use crate::scenario::Lab;
use crate::scenario::file::Market;

/// Utilisation outside this range counts as its nearest end: a lab with no capacity is
/// "100 times sold out", one with no demand "1% used". Keeps every price finite.
pub const UTILISATION: (f64, f64) = (0.01, 100.0);

/// Price relative to the reference, as customers weigh it, within this range: a lab
/// giving its serving away is not infinitely attractive.
pub const RELATIVE_PRICE: (f64, f64) = (1e-3, 1e3);

/// `ln(1e3)`: the logarithm of [`RELATIVE_PRICE`]'s ends (`-` and `+`).
const LN_RELATIVE: f64 = 6.907_755_278_982_137;

/// Per-lab numbers of the price step: the list prices against the reference (fixed for
/// a scenario, since all list prices fall alike) and this month's price terms of the
/// customers' utility.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Buffers {
    /// `ln(price_i / mean list price)`, `None` when either is 0.
    relative_list: Vec<Option<f64>>,
    /// This month's price term of each lab's utility ([`price_utility`]).
    pub(crate) terms: Vec<f64>,
    /// `ln(price_cap)`, and the utilisation above which a lab at the cap stays there
    /// (`price_cap^(1 / price_response)`): fixed for a scenario, so computed once.
    log_cap: f64,
    capped_above: f64,
}

impl Buffers {
    /// The buffers of `labs` in `market`.
    pub fn new(labs: &[Lab], market: &Market) -> Buffers {
        let mut buffers = Buffers::default();
        buffers.renew(labs, market);
        buffers
    }

    /// [`Buffers::new`] in the allocations already held (a run reuses the last run's).
    pub fn renew(&mut self, labs: &[Lab], market: &Market) {
        let mean = labs.iter().map(|l| l.price).sum::<f64>() / labs.len().max(1) as f64;
        self.log_cap = math::ln(market.price_cap);
        // A lab at the cap whose utilisation alone targets a markup above the cap stays
        // at the cap: no logarithm needed to know it.
        self.capped_above = if market.price_response > 0.0 {
            math::exp(self.log_cap / market.price_response)
        } else {
            f64::INFINITY
        };
        self.relative_list.clear();
        self.relative_list.extend(
            labs.iter()
                .map(|l| (l.price > 0.0 && mean > 0.0).then(|| math::ln(l.price / mean))),
        );
        self.terms.clear();
        self.terms.resize(labs.len(), 0.0);
    }
}

/// Sets every lab's price for this month from last month's utilisation:
/// [`next_price`] with the lab's markup, its list price `price_i * price_factor` (times
/// its `list_factor`, the part of its serving cost passed on), its
/// utilisation `(demand_i + overflow_in_i) / capacity_i` of last month (its own
/// customers' demand and the overflow it took in from other labs), and its marginal
/// serving cost [`marginal_cost`] at `opex_per_gw` (USD per GW-month of running GPUs).
/// Writes each lab's price term of the customers' utility against `reference` to
/// `buffers.terms`.
#[inline]
pub fn set_prices(
    labs: &mut [LabState],
    traits: &[Lab],
    market: &Market,
    price_factor: f64,
    reference: f64,
    opex_per_gw: f64,
    buffers: &mut Buffers,
) {
    let (log_cap, capped_above) = (buffers.log_cap, buffers.capped_above);
    let (sensitivity, passed) = (market.price_sensitivity, market.infer_pass_through > 0.0);
    let per_lab = buffers.relative_list.iter().zip(buffers.terms.iter_mut());
    for ((lab, traits), (relative_list, term)) in labs.iter_mut().zip(traits).zip(per_lab) {
        let mut list = traits.price * price_factor;
        if passed {
            list *= lab.list_factor;
        }
        let cost = marginal_cost(lab, opex_per_gw);
        let u = utilisation(lab.demand + lab.overflow_in, lab.capacity);
        (lab.price, lab.log_markup) =
            if lab.log_markup >= log_cap && u >= capped_above && list > 0.0 {
                at_least_cost(market.price_cap * list, log_cap, list, cost)
            } else {
                next_price(lab.log_markup, list, u, cost, log_cap, market)
            };
        // ln(p / p_ref) = ln(list / p_ref) + ln(markup), the first fixed for the scenario
        // (but for the serving cost when prices follow it).
        *term = match *relative_list {
            _ if sensitivity == 0.0 => 0.0,
            Some(relative) if reference > 0.0 => {
                let relative = if passed {
                    relative + lab.log_list_factor
                } else {
                    relative
                };
                -sensitivity * (relative + lab.log_markup).clamp(-LN_RELATIVE, LN_RELATIVE)
            }
            _ => price_utility(lab.price, reference, sensitivity),
        };
    }
}

/// Demand on a lab's capacity (its own customers' and the overflow it took in) over that
/// capacity, within [`UTILISATION`].
pub fn utilisation(demand: f64, capacity: f64) -> f64 {
    let (lo, hi) = UTILISATION;
    if capacity <= 0.0 {
        return if demand > 0.0 { hi } else { 1.0 };
    }
    (demand / capacity).clamp(lo, hi)
}

/// Running cost of serving one unit of demand: the opex of the GPUs it takes. A lab's
/// GPUs draw `draw / fleet` GW each on average (newer vintages less), at `opex_per_gw`,
/// and one unit takes `1 / serving_rate` of them (`serving_cost / serving_efficiency`).
pub fn marginal_cost(lab: &LabState, opex_per_gw: f64) -> f64 {
    if lab.fleet <= 0.0 {
        return 0.0;
    }
    let cost = opex_per_gw * lab.draw / (lab.fleet * lab.serving_rate);
    if cost.is_finite() {
        cost
    } else {
        // A fleet worn down to a subnormal number underflows `fleet * serving_rate`;
        // the draw per GPU is still an ordinary number.
        opex_per_gw * (lab.draw / lab.fleet) / lab.serving_rate
    }
}

/// This month's price and log markup. The markup over the list price moves by partial
/// adjustment in logs toward `utilisation^price_response`:
/// `ln m' = (1 - price_adjustment) ln m + price_adjustment * price_response * ln u`;
/// the price `list * m'` is then at most `price_cap * list` and at least `cost` (never
/// below marginal cost, even above the cap), and the markup is what the price makes it.
/// Adjusting the markup rather than the price keeps a lab with balanced demand at its
/// list price while list prices fall. A list price of 0 (serving given away) charges
/// `cost`. `log_cap` is `ln(price_cap)`.
pub fn next_price(
    log_markup: f64,
    list: f64,
    utilisation: f64,
    cost: f64,
    log_cap: f64,
    market: &Market,
) -> (f64, f64) {
    if list <= 0.0 {
        return (cost.max(0.0), 0.0);
    }
    let target = if market.price_response == 0.0 {
        0.0
    } else {
        market.price_response * math::ln(utilisation)
    };
    let log_markup = log_markup + market.price_adjustment * (target - log_markup);
    let (price, log_markup) = if log_markup > log_cap {
        (market.price_cap * list, log_cap)
    } else {
        (list * math::exp(log_markup), log_markup)
    };
    at_least_cost(price, log_markup, list, cost)
}

/// The price and log markup, raised to `cost` when below it. The markup then stays
/// within `10^+-30` (a list price fallen to nothing against a positive cost would make
/// it infinite); the price is the cost either way.
fn at_least_cost(price: f64, log_markup: f64, list: f64, cost: f64) -> (f64, f64) {
    if price < cost {
        let most = MAX_LOG10_MULTIPLIER * std::f64::consts::LN_10;
        (cost, math::ln(cost / list).clamp(-most, most))
    } else {
        (price, log_markup)
    }
}

/// The price term of a lab's utility, `-price_sensitivity * ln(price / reference)`, with
/// the ratio within [`RELATIVE_PRICE`]; 0 when there is no reference price (every list
/// price 0).
pub fn price_utility(price: f64, reference: f64, sensitivity: f64) -> f64 {
    if sensitivity == 0.0 || reference <= 0.0 {
        return 0.0;
    }
    let (lo, hi) = RELATIVE_PRICE;
    -sensitivity * math::ln((price / reference).clamp(lo, hi))
}

/// Scarcity rent: what the volume served paid above the reference price.
pub fn rent(price: f64, reference: f64, served: f64) -> f64 {
    (price - reference).max(0.0) * served
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::lab;

    fn market() -> Market {
        Market {
            price_response: 1.0,
            price_adjustment: 0.5,
            price_cap: 3.0,
            ..Market::default()
        }
    }

    #[test]
    fn a_fleet_worn_to_a_subnormal_number_still_has_a_finite_serving_cost() {
        // Found by tests/finite.rs: fleet * serving_rate underflowed to 0, the price
        // became infinite and revenue NaN. Each GPU still draws draw / fleet, about
        // 1/30 GW (subnormals are coarse).
        let lab = LabState {
            fleet: 1.5e-322,
            draw: 5e-324,
            serving_rate: 0.008,
            ..LabState::default()
        };
        let cost = marginal_cost(&lab, 1000.0);
        assert!(cost.is_finite() && cost > 0.0, "{cost}");
        assert!(
            (cost / (1000.0 / 30.0 / 0.008) - 1.0).abs() < 0.05,
            "{cost}"
        );
    }

    #[test]
    fn a_sold_out_lab_raises_its_price_an_idle_one_lowers_it() {
        // List 1000, demand twice capacity: target markup 2; half way in logs from 1 is
        // sqrt(2). Half used: sqrt(1/2).
        let (up, m) = next_price(0.0, 1000.0, 2.0, 0.0, 3f64.ln(), &market());
        assert!((up - 1000.0 * 2f64.sqrt()).abs() < 1e-9 && (m - 0.5 * 2f64.ln()).abs() < 1e-12);
        let (down, _) = next_price(0.0, 1000.0, 0.5, 0.0, 3f64.ln(), &market());
        assert!((down - 1000.0 * 0.5f64.sqrt()).abs() < 1e-9);
        // Sold out for long: the cap (3x list) holds.
        let mut m = 0.0;
        for _ in 0..50 {
            m = next_price(m, 1000.0, 100.0, 0.0, 3f64.ln(), &market()).1;
        }
        assert!((m - 3f64.ln()).abs() < 1e-12);
        // Idle for long: the floor is marginal cost, even above the cap.
        let (mut p, mut m) = (0.0, 0.0);
        for _ in 0..50 {
            (p, m) = next_price(m, 1000.0, 0.01, 250.0, 3f64.ln(), &market());
        }
        assert_eq!((p, m), (250.0, 0.25f64.ln()));
        assert_eq!(
            next_price(0.0, 1000.0, 1.0, 5000.0, 3f64.ln(), &market()).0,
            5000.0
        );
    }

    #[test]
    fn balanced_demand_keeps_the_list_price_as_it_falls() {
        // Utilisation 1 month after month: the price is the list price, whatever it is.
        let mut m = 0.0;
        for month in 0..24 {
            let list = 1000.0 * 0.97f64.powi(month);
            let (p, next) = next_price(m, list, 1.0, 0.0, 3f64.ln(), &market());
            assert!((p - list).abs() < 1e-9);
            m = next;
        }
    }

    #[test]
    fn no_response_returns_to_the_list_price() {
        let flat = Market {
            price_response: 0.0,
            ..market()
        };
        let (p, _) = next_price(1.25f64.ln(), 800.0, 7.0, 0.0, 3f64.ln(), &flat);
        assert!((p - 800.0 * 1.25f64.sqrt()).abs() < 1e-9);
        assert!((next_price(0.0, 800.0, 7.0, 0.0, 3f64.ln(), &flat).0 - 800.0).abs() < 1e-9);
        assert_eq!(
            next_price(0.0, 0.0, 7.0, 12.0, 3f64.ln(), &flat),
            (12.0, 0.0),
            "free: at cost"
        );
    }

    #[test]
    fn the_price_term_is_computed_from_the_markup() {
        // Two labs listing 1500 and 500 (mean 1000, the reference), sold out and idle:
        // the term equals -sensitivity * ln(price / reference) computed directly.
        let labs_traits: Vec<Lab> = ["price = 1500.0", "price = 500.0"]
            .iter()
            .enumerate()
            .map(|(i, p)| lab(&format!("id = \"l{i}\"\n{p}")))
            .collect();
        let mut labs: Vec<LabState> = [3.0, 0.5]
            .iter()
            .map(|&u| LabState {
                demand: u,
                capacity: 1.0,
                ..LabState::default()
            })
            .collect();
        let m = Market {
            price_sensitivity: 2.0,
            ..market()
        };
        let mut b = Buffers::new(&labs_traits, &m);
        set_prices(&mut labs, &labs_traits, &m, 0.8, 800.0, 0.0, &mut b);
        for (lab, term) in labs.iter().zip(&b.terms) {
            assert!((term - price_utility(lab.price, 800.0, 2.0)).abs() < 1e-12);
        }
        assert!(labs[0].price > 1200.0 && labs[1].price < 400.0);
    }

    #[test]
    fn overflow_taken_in_counts_as_demand_on_capacity() {
        // Two labs listing 1000, each with half its capacity wanted by its own customers.
        // The first also served overflow that filled it: it is as busy as a lab whose own
        // customers fill it, so it keeps its list price; the second, half idle, cuts.
        let traits: Vec<Lab> = ["a", "b"]
            .iter()
            .map(|id| lab(&format!("id = \"{id}\"\nprice = 1000.0")))
            .collect();
        let mut labs: Vec<LabState> = [0.5, 0.0]
            .iter()
            .map(|&overflow_in| LabState {
                demand: 0.5,
                overflow_in,
                capacity: 1.0,
                ..LabState::default()
            })
            .collect();
        let mut b = Buffers::new(&traits, &market());
        set_prices(&mut labs, &traits, &market(), 1.0, 1000.0, 0.0, &mut b);
        assert_eq!(
            labs[0].price, 1000.0,
            "filled by overflow: at its list price"
        );
        assert!(labs[1].price < 800.0, "half idle: {}", labs[1].price);
    }

    #[test]
    fn utilisation_is_bounded() {
        assert_eq!(utilisation(10.0, 0.0), 100.0);
        assert_eq!(utilisation(0.0, 0.0), 1.0);
        assert_eq!(utilisation(0.0, 5.0), 0.01);
        assert_eq!(utilisation(6.0, 4.0), 1.5);
    }

    #[test]
    fn dearer_is_less_attractive_and_a_free_lab_is_finite() {
        // Twice the reference at sensitivity 1: utility -ln 2, the odds of an equal model
        // at the reference price halve.
        assert!((price_utility(2.0, 1.0, 1.0) + 2f64.ln()).abs() < 1e-12);
        assert_eq!(price_utility(2.0, 1.0, 0.0), 0.0);
        assert!((price_utility(0.0, 1.0, 1.0) - 1e3f64.ln()).abs() < 1e-12);
        assert_eq!(price_utility(5.0, 0.0, 1.0), 0.0);
    }

    #[test]
    fn marginal_cost_is_the_opex_of_the_gpus_a_unit_takes() {
        // 1000 GPUs drawing 1.3 MW (1.3e-3 GW); $400 per H100e of 1.3 kW is $3.08e8 per
        // GW-month. A unit of demand takes 2 GPUs (serving cost 2, efficiency 1: a serving
        // rate of 0.5): $800.
        let mut lab = LabState {
            fleet: 1000.0,
            draw: 1.3e-3,
            serving_rate: 0.5,
            ..LabState::default()
        };
        let per_gw = 400.0 / 1.3e-6;
        assert!((marginal_cost(&lab, per_gw) - 800.0).abs() < 1e-6);
        lab.serving_rate = 1.0; // serving efficiency 2
        assert!((marginal_cost(&lab, per_gw) - 400.0).abs() < 1e-6);
        assert_eq!(rent(1200.0, 1000.0, 10.0), 2000.0);
        assert_eq!(rent(900.0, 1000.0, 10.0), 0.0);
    }
}
