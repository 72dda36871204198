//! The GPU market: rationing scarce supply between labs.

use crate::scenario::Rationing;

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
                        left * fleets[i] / weight
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
