//! Money (step 8): revenue from the volume served, running costs of the fleet, outside
//! funding; GPU purchases are paid from what is left (step 9, [`super::gpus`]).

use crate::engine::LabState;
use crate::scenario::Lab;

/// This month's flows: `price_i(t) = price_i * price_factor`, `revenue_i = price_i(t) *
/// served_i`, `opex_i = opex_per_h100e * fleet_i`, and `funding[i]` (this month's
/// outside funding per lab, from the calendar).
#[inline]
pub fn earn(
    labs: &mut [LabState],
    traits: &[Lab],
    price_factor: f64,
    opex_per_h100e: f64,
    funding: &[f64],
) {
    for ((lab, traits), &funding) in labs.iter_mut().zip(traits).zip(funding) {
        lab.price = traits.price * price_factor;
        lab.revenue = lab.price * lab.served;
        lab.opex = opex_per_h100e * lab.fleet;
        lab.funding = funding;
    }
}

/// Cash available for GPUs this month: `cash + revenue - opex + funding`.
pub fn available(lab: &LabState) -> f64 {
    lab.cash + lab.revenue - lab.opex + lab.funding
}

/// Pays `capex` for this month's GPUs: the month's cash is what was available less it.
pub fn pay(lab: &mut LabState, capex: f64) {
    lab.capex = capex;
    lab.cash = available(lab) - capex;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revenue_pays_for_running_costs_and_gpus() {
        // 1000 H100e-months served at $2000 * 0.75 = $1.5M; 100 H100e at $400 = $40k opex;
        // $10k funding; $5M in the bank: $6.47M available, $1M of GPUs leaves $5.47M.
        let traits: Vec<Lab> = vec![toml::from_str("id = \"a\"\nprice = 2000.0").unwrap()];
        let mut labs = vec![LabState {
            cash: 5e6,
            fleet: 100.0,
            served: 1000.0,
            ..LabState::default()
        }];
        earn(&mut labs, &traits, 0.75, 400.0, &[1e4]);
        let lab = &mut labs[0];
        assert_eq!((lab.price, lab.revenue), (1500.0, 1.5e6));
        assert_eq!((lab.opex, lab.funding), (4e4, 1e4));
        assert_eq!(available(lab), 6.47e6);
        pay(lab, 1e6);
        assert_eq!((lab.capex, lab.cash), (1e6, 5.47e6));
    }
}
