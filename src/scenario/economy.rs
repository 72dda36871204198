//! The second generation's world-level groups, declared once like those of
//! [`super::file`]: the investors who fund the labs, and data-centre power.

use super::YearMonth;
use super::decl::{PROB, Seg, above, closed, declare};
use super::file::ScenarioFile;
use super::rules::Rules;
use super::uncertain::Uncertain;

declare! {
    /// Investors: a world pool of AI capital, bounded by a share of world output and
    /// allocated among the labs by their trailing revenue and standing.
    pub struct Investors {
        /// outside capital the investors put into the labs per month at month 0; by default the sum
        /// of the unpinned labs' funding
        pub pool: Option<f64> => param { label: "Investors' pool", unit: "USD per month", range: closed(0.0, 1e13), calendar: true },
        /// growth of the pool before it meets its share of world output; by default the unpinned
        /// labs' funding-weighted mean funding_growth (files written for the first generation)
        pub pool_growth: Option<f64> => param { label: "Growth of the investors' pool", unit: "x per year", range: closed(0.01, 100.0), calendar: true },
        /// world output at month 0 (about $100T a year in 2023, $110T in 2025)
        pub gdp: f64 = 1.0e14 => param { label: "World output", unit: "USD per year", range: closed(1e9, 1e17), calendar: true },
        /// nominal growth of world output
        pub gdp_growth: f64 = 1.05 => param { label: "World output growth", unit: "x per year", range: closed(0.5, 2.0), calendar: true },
        /// the pool approaches at most this share of world output (a smooth minimum of its growth
        /// path and the bound)
        pub gdp_share: f64 = 0.01 => param { label: "Largest share of world output invested", unit: "share per year", range: above(0.0, 0.2), calendar: true },
        /// share of the pool investors allocate pro rata to the labs' trailing revenue (a moving
        /// average that moves 1/12 of the way to each month's revenue; at most 1 - follow_leader)
        pub follow_revenue: f64 = 0.4 => param { label: "Investors following revenue", range: PROB },
        /// share of the pool investors allocate by quality standing, a logit on the gap to the best
        /// model
        pub follow_leader: f64 = 0.3 => param { label: "Investors following the quality leader", range: PROB },
        /// a lab this far behind the best model gets 1/e of the leader's weight in the standing
        /// share
        pub standing_scale: f64 = 50.0 => param { label: "Investors' standing scale", unit: "Elo", range: closed(1.0, 5000.0) },
        /// fraction of the gap between the allocation and its target that investors close each
        /// month
        pub adjustment: f64 = 0.05 => param { label: "Monthly adjustment of investors' shares", unit: "per month", range: PROB },
        /// a lab takes investors' money only until its cash covers this many months of its net
        /// burn (trailing spending less trailing revenue); the rest of the pool stays with them
        pub runway_months: f64 = 18.0 => param { label: "Cash runway investors fund", unit: "months", range: closed(1.0, 1200.0) },
        /// a lab whose trailing revenue covers its trailing spending pays out to its owners
        /// (dividends, buybacks) the cash above this many months of its trailing spending,
        /// except in a month it takes outside funding or before it earns anything
        pub reserve_months: f64 = 6.0 => param { label: "Cash reserve a profitable lab keeps", unit: "months", range: closed(0.0, 1200.0) },
        /// months of negative cash after which a lab sells GPUs to cover its deficit
        pub insolvency_months: u32 = 6 => param { label: "Months of deficit before a fire sale", unit: "months", range: closed(1.0, 1200.0) },
        /// GPUs sold to cover a deficit fetch this fraction of the month's GPU price
        pub resale: f64 = 0.5 => param { label: "Resale value of GPUs in a fire sale", range: PROB },
    }
}

declare! {
    /// Data-centre power: GPUs run only on power a lab has built.
    pub struct Power {
        /// power one H100e of month-0 hardware draws, all in (chips, cooling, networking)
        pub kw_per_h100e: f64 = 1.3 => param { label: "Power per H100e at month 0", unit: "kW", range: closed(0.001, 100.0), calendar: true },
        /// performance per watt of newly bought GPUs improves by this a year
        pub efficiency_gain: f64 = 1.3 => param { label: "Yearly gain in GPU performance per watt", unit: "x per year", range: closed(1.0, 10.0), calendar: true },
        /// months from paying for data-centre power to using it (1 = next month)
        pub lag: u32 = 18 => param { label: "Months to build data-centre power", unit: "months", range: closed(1.0, 120.0), calendar: true },
        /// cost of one GW of data-centre capacity: buildings, power and cooling, not the GPUs
        pub price: f64 = 1e10 => param { label: "Cost of data-centre power", unit: "USD per GW", range: closed(0.0, 1e13) },
        /// data-centre power the labs together can add per year at month 0
        pub additions: f64 = 2.0 => param { label: "World's yearly power additions for AI", unit: "GW per year", range: closed(1e-6, 1e6), calendar: true },
        /// growth of the world's yearly additions
        pub additions_growth: f64 = 1.3 => param { label: "Growth of the world's power additions", unit: "x per year", range: closed(0.1, 10.0), calendar: true },
        /// power a lab plans above what its GPUs and its planned purchases draw
        pub headroom: f64 = 0.2 => param { label: "Power planned above need", unit: "share", range: closed(0.0, 10.0) },
    }
}

/// A rule across the economy's parameters that a file breaks: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refusal {
    /// The parameter as a user writes it.
    pub path: String,
    /// Its place in the file.
    pub segs: Vec<Seg>,
    /// What would be valid.
    pub expected: String,
    /// What was found.
    pub got: String,
}

/// Rules across the economy's parameters: the investors' two following shares sum to at
/// most 1 (in every draw); `funding_growth` of an unpinned lab is refused where
/// `world.investors.pool_growth` is given (it would be ignored: only a pinned lab's
/// funding follows its own growth); a supply wave's `wave_multiplier` is refused
/// without its `wave_from` (it would be ignored: a wave needs a start month); and so is
/// demand's `growth_halflife` without its `growth_long` (the growth it approaches).
pub(crate) fn rules(
    file: &ScenarioFile,
    start: YearMonth,
    uncertain: &[Uncertain],
) -> Result<(), Refusal> {
    let investors = &file.world.investors;
    let rules = Rules::new(start, "world.investors", uncertain);
    let revenue = rules.span("follow_revenue", investors.follow_revenue);
    let leader = rules.span("follow_leader", investors.follow_leader);
    if revenue.hi + leader.hi > 1.0 + 1e-12 {
        let draws = revenue.uncertain || leader.uncertain;
        return Err(Refusal {
            path: "world.investors.follow_leader".into(),
            segs: keys(&["world", "investors", "follow_leader"]),
            expected: format!(
                "at most 1 - follow_revenue ({}){}",
                crate::numbers::trimmed(1.0 - revenue.hi, 12),
                if draws { " in every draw" } else { "" }
            ),
            got: if draws {
                format!("draws up to {}", leader.hi)
            } else {
                investors.follow_leader.to_string()
            },
        });
    }
    let gpus = &file.world.gpus;
    let wave =
        Rules::new(start, "world.gpus", uncertain).span("wave_multiplier", gpus.wave_multiplier);
    if gpus.wave_from.is_empty() && (wave.uncertain || gpus.wave_multiplier != 1.0) {
        return Err(Refusal {
            path: "world.gpus.wave_multiplier".into(),
            segs: keys(&["world", "gpus", "wave_multiplier"]),
            expected: "1 unless world.gpus.wave_from gives the month the wave starts".into(),
            got: if wave.uncertain {
                "a distribution".into()
            } else {
                gpus.wave_multiplier.to_string()
            },
        });
    }
    let demand = &file.world.demand;
    let halflife = Rules::new(start, "world.demand", uncertain)
        .span("growth_halflife", demand.growth_halflife);
    let default_halflife = crate::scenario::file::Demand::default().growth_halflife;
    if demand.growth_long.is_none()
        && (halflife.uncertain || demand.growth_halflife != default_halflife)
    {
        return Err(Refusal {
            path: "world.demand.growth_halflife".into(),
            segs: keys(&["world", "demand", "growth_halflife"]),
            expected: format!(
                "{default_halflife} (the default) unless world.demand.growth_long is set \
                 too: the half-life has no effect without the long-run growth demand \
                 approaches"
            ),
            got: if halflife.uncertain {
                "a distribution".into()
            } else {
                demand.growth_halflife.to_string()
            },
        });
    }
    if investors.pool_growth.is_some() {
        let labs = Rules::new(start, "labs", uncertain);
        for (i, lab) in file.labs.iter().enumerate() {
            let growth = labs.span(&format!("{}.funding_growth", lab.id), lab.funding_growth);
            if !lab.funding_pinned && (growth.uncertain || lab.funding_growth != 1.0) {
                return Err(Refusal {
                    path: format!("labs.{}.funding_growth", lab.id),
                    segs: vec![
                        Seg::Key("labs".into()),
                        Seg::Index(i),
                        Seg::Key("funding_growth".into()),
                    ],
                    expected: "1, or funding_pinned = true: an unpinned lab is funded from the \
                               investors' pool, which grows at world.investors.pool_growth"
                        .into(),
                    got: lab.funding_growth.to_string(),
                });
            }
        }
    }
    Ok(())
}

fn keys(path: &[&str]) -> Vec<Seg> {
    path.iter().map(|k| Seg::Key(k.to_string())).collect()
}
