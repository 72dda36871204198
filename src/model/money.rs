//! Money (steps 9 and 10): revenue from the volume served and its scarcity rent, running costs
//! of the powered fleet, outside funding ([`super::investors`]); a lab in deficit for too
//! long sells GPUs; power and GPU purchases are paid from what is left (step 10,
//! [`super::power`] and [`super::gpus`]); a lab that earns more than it spends pays out
//! the cash above its reserve.

use super::investors::TRAILING_MONTHS;
use super::prices::rent;
use crate::engine::LabState;

/// The most of its fleet a lab in deficit sells in a month.
pub const FIRE_SALE_MAX: f64 = 0.25;

/// This month's revenue and costs: `revenue_i = price_i * served_i`, its scarcity rent
/// above `reference` (times the lab's `list_factor`, the serving cost its price carries,
/// when prices carry it: `passed`), and `opex_i = opex_per_gw * min(power_i, draw_i)`: the running cost
/// of the GPUs that have power (idle ones cost nothing to run), in proportion to what they
/// draw, so newer and more efficient GPUs cost less to run. The trailing revenue
/// investors look at moves `1 / TRAILING_MONTHS` of the way to this month's.
#[inline]
pub fn earn(labs: &mut [LabState], reference: f64, opex_per_gw: f64, passed: bool) {
    for lab in labs {
        lab.revenue = lab.price * lab.served;
        let reference = if passed {
            reference * lab.list_factor
        } else {
            reference
        };
        lab.rent = rent(lab.price, reference, lab.served);
        lab.opex = opex_per_gw * lab.power.min(lab.draw);
        trail(&mut lab.trailing_revenue, lab.revenue);
    }
}

/// Moves a trailing average `1 / TRAILING_MONTHS` of the way to this month's value.
fn trail(average: &mut f64, month: f64) {
    *average += (month - *average) * (1.0 / TRAILING_MONTHS);
}

/// Cash available for power and GPUs this month:
/// `cash + revenue - opex + funding + asset_sales`.
pub fn available(lab: &LabState) -> f64 {
    lab.cash + lab.revenue - lab.opex + lab.funding + lab.asset_sales
}

/// Insolvency: a lab whose cash has been negative for `months` months and is still short
/// this month sells GPUs at `resale * gpu_price` each, enough to cover the deficit but at
/// most [`FIRE_SALE_MAX`] of its fleet. The fleet's power draw falls in proportion.
pub fn fire_sale(lab: &mut LabState, gpu_price: f64, resale: f64, months: u32) {
    lab.asset_sales = 0.0;
    if lab.insolvent_months < months {
        return;
    }
    let short = -available(lab);
    let price = resale * gpu_price;
    if short <= 0.0 || price <= 0.0 || lab.fleet <= 0.0 {
        return;
    }
    let sold = (short / price).min(FIRE_SALE_MAX * lab.fleet);
    lab.draw *= 1.0 - sold / lab.fleet;
    lab.fleet -= sold;
    lab.asset_sales = sold * price;
}

/// Pays for this month's GPUs (`capex`) and data-centre power (`power_capex`): the
/// month's cash is what was available less both. Counts the months that end in deficit.
/// The trailing spending investors look at moves `1 / TRAILING_MONTHS` of the way to this
/// month's running costs and purchases.
pub fn pay(lab: &mut LabState, capex: f64, power_capex: f64) {
    lab.capex = capex;
    lab.power_capex = power_capex;
    lab.cash = available(lab) - capex - power_capex;
    trail(&mut lab.trailing_spending, lab.opex + capex + power_capex);
    lab.insolvent_months = if lab.cash < 0.0 {
        lab.insolvent_months + 1
    } else {
        0
    };
}

/// Payout: a lab whose trailing revenue covers its trailing spending (it burns no cash)
/// pays out to its owners, as dividends or buybacks, the cash above `reserve_months` of
/// its trailing spending: `payout_i = max(0, cash_i - reserve_months * S_i)` when
/// `R_i >= S_i` and `R_i > 0`, else 0. A lab that burns cash keeps all of it (its
/// investors fund a runway, [`super::investors::need`]), and so does a lab that took
/// outside money this month (a pinned schedule pays whatever the lab needs: it is not
/// handed straight back) or has earned nothing yet. Runs after [`pay`], on the month's
/// cash.
pub fn pay_out(lab: &mut LabState, reserve_months: f64) {
    let earns = lab.trailing_revenue > 0.0 && lab.trailing_revenue >= lab.trailing_spending;
    lab.payout = if earns && lab.funding == 0.0 {
        (lab.cash - reserve_months * lab.trailing_spending).max(0.0)
    } else {
        0.0
    };
    lab.cash -= lab.payout;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_that_carries_inference_compute_is_no_scarcity_rent() {
        // A model that takes 1.2 times the GPUs, priced for them: $1200 a unit is its
        // reference, so $1500 earns $300 a unit of rent, not $500.
        let mut labs = vec![LabState {
            price: 1500.0,
            served: 1000.0,
            list_factor: 1.2,
            ..LabState::default()
        }];
        earn(&mut labs, 1000.0, 4e5, true);
        assert_eq!(labs[0].revenue, 1.5e6);
        assert!((labs[0].rent - 3e5).abs() < 1e-6, "{}", labs[0].rent);
        earn(&mut labs, 1000.0, 4e5, false);
        assert_eq!(labs[0].rent, 5e5);
    }

    #[test]
    fn revenue_pays_for_running_costs_and_gpus() {
        // 1000 H100e-months served at $1500 = $1.5M, $500 of it above the reference of
        // $1000; 0.1 GW drawn of 0.2 GW of power at $4e5 per GW-month = $40k opex; $10k
        // funding; $5M in the bank: $6.47M available, $1M of GPUs and $0.2M of power
        // leave $5.27M.
        let mut labs = vec![LabState {
            cash: 5e6,
            price: 1500.0,
            draw: 0.1,
            power: 0.2,
            served: 1000.0,
            funding: 1e4,
            ..LabState::default()
        }];
        earn(&mut labs, 1000.0, 4e5, false);
        let lab = &mut labs[0];
        assert_eq!((lab.revenue, lab.rent), (1.5e6, 5e5));
        assert_eq!(lab.trailing_revenue, 1.25e5, "a twelfth of the way from 0");
        assert_eq!(lab.opex, 4e4);
        assert_eq!(available(lab), 6.47e6);
        pay(lab, 1e6, 2e5);
        assert_eq!((lab.capex, lab.power_capex, lab.cash), (1e6, 2e5, 5.27e6));
        assert_eq!(lab.insolvent_months, 0);
        // Power short of the draw: only the powered GPUs cost opex.
        labs[0].power = 0.05;
        earn(&mut labs, 1000.0, 4e5, false);
        assert_eq!(labs[0].opex, 2e4);
    }

    #[test]
    fn a_lab_that_burns_no_cash_pays_out_what_is_above_its_reserve() {
        // Trailing spending $1B a month, a 6-month reserve: $6B kept.
        let lab = |cash: f64, revenue: f64| LabState {
            cash,
            trailing_spending: 1e9,
            trailing_revenue: revenue,
            ..LabState::default()
        };
        let mut earning = lab(8e9, 1.5e9);
        pay_out(&mut earning, 6.0);
        assert_eq!((earning.payout, earning.cash), (2e9, 6e9));
        // Revenue exactly covering spending counts as earning.
        let mut even = lab(8e9, 1e9);
        pay_out(&mut even, 6.0);
        assert_eq!(even.payout, 2e9);
        // Below its reserve, nothing; a lab that burns cash keeps all of it.
        for (cash, revenue) in [(5e9, 1.5e9), (8e9, 0.9e9), (-1e9, 2e9)] {
            let mut l = lab(cash, revenue);
            pay_out(&mut l, 6.0);
            assert_eq!(
                (l.payout, l.cash),
                (0.0, cash),
                "cash {cash:e}, revenue {revenue:e}"
            );
        }
        // No reserve: all its cash.
        let mut all = lab(8e9, 1.5e9);
        pay_out(&mut all, 0.0);
        assert_eq!((all.payout, all.cash), (8e9, 0.0));
        // Outside money this month (a pinned schedule) is not paid straight back, and a
        // lab that has neither earned nor spent anything keeps its cash.
        let mut funded = LabState {
            funding: 1e9,
            ..lab(8e9, 1.5e9)
        };
        pay_out(&mut funded, 6.0);
        assert_eq!((funded.payout, funded.cash), (0.0, 8e9));
        let mut idle = LabState {
            trailing_spending: 0.0,
            ..lab(8e9, 0.0)
        };
        pay_out(&mut idle, 6.0);
        assert_eq!((idle.payout, idle.cash), (0.0, 8e9));
    }

    #[test]
    fn a_lab_long_in_deficit_sells_gpus() {
        // $3M short after 6 months in deficit, GPUs resell at half of $20k: covering it
        // would take 300 of its 1000 GPUs. Had it been in deficit 5 months, nothing.
        let mut lab = LabState {
            cash: -3e6,
            fleet: 1000.0,
            draw: 1.0,
            insolvent_months: 5,
            ..LabState::default()
        };
        fire_sale(&mut lab, 2e4, 0.5, 6);
        assert_eq!((lab.fleet, lab.asset_sales), (1000.0, 0.0));
        lab.insolvent_months = 6;
        fire_sale(&mut lab, 2e4, 0.5, 6);
        // At most a quarter of the fleet: 250 GPUs, $2.5M, and the draw falls by 25%.
        assert_eq!((lab.fleet, lab.asset_sales), (750.0, 2.5e6));
        assert!((lab.draw - 0.75).abs() < 1e-12);
        assert_eq!(available(&lab), -5e5);
        pay(&mut lab, 0.0, 0.0);
        assert_eq!(lab.insolvent_months, 7);
    }
}
