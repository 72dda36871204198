//! Investors (step 9): a world pool of AI capital (its path and bound are in the
//! calendar) is allocated among the labs by partial adjustment toward a target that
//! mixes the month-0 allocation, trailing revenue and quality standing. Each lab takes
//! of its offer only what keeps `runway_months` of its net burn in cash; the rest stays
//! with the investors. A lab whose funding is pinned receives its own schedule instead.

use super::exp_or_one;
use crate::engine::LabState;
use crate::scenario::Lab;
use crate::scenario::file::Investors;

/// The revenue investors look at is an exponential moving average with weight
/// `1 / TRAILING_MONTHS` on the newest month: about a year of revenue.
pub const TRAILING_MONTHS: f64 = 12.0;

/// The investors' month-0 allocation and per-lab buffers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Buffers {
    /// Month-0 shares of the pool: the unpinned labs' `funding` over their sum (an equal
    /// split among them when all are 0); 0 for pinned labs.
    initial: Vec<f64>,
    /// Each lab's standing weight, kept while no model ships (it depends on qualities
    /// alone); computed in the first month.
    standing: Vec<f64>,
    /// The sum of `standing`.
    standing_total: f64,
    /// Whether `standing` has been computed.
    standing_set: bool,
}

impl Buffers {
    /// The month-0 allocation of `labs`.
    pub fn new(labs: &[Lab]) -> Buffers {
        let mut buffers = Buffers::default();
        buffers.renew(labs);
        buffers
    }

    /// [`Buffers::new`] in the allocations already held (a run reuses the last run's).
    pub fn renew(&mut self, labs: &[Lab]) {
        let unpinned = labs.iter().filter(|l| !l.funding_pinned);
        let (total, count) = unpinned.fold((0.0, 0usize), |(t, c), l| (t + l.funding, c + 1));
        self.initial.clear();
        self.initial
            .extend(labs.iter().map(|l| match (l.funding_pinned, total > 0.0) {
                (true, _) => 0.0,
                (false, true) => l.funding / total,
                (false, false) => 1.0 / count as f64,
            }));
        self.standing.clear();
        self.standing.resize(labs.len(), 0.0);
        self.standing_total = 0.0;
        self.standing_set = false;
    }

    /// Month-0 share of the pool of lab `i`.
    pub fn initial(&self, i: usize) -> f64 {
        self.initial[i]
    }
}

/// This month's outside funding. Each unpinned lab's share `w_i` of the pool moves
/// `adjustment` of the way to its target
///
/// `w*_i = (1 - follow_revenue - follow_leader) w0_i + follow_revenue * R_i / sum R
///         + follow_leader * exp((q_i - q_max) / standing_scale) / sum exp(...)`,
///
/// sums over the unpinned labs, `R` the trailing revenue ([`super::money::earn`] keeps
/// it; the month-0 allocation `w0` while no lab has any) and `q_max` the best deployed
/// model. `w_i * pool` is what investors offer; the lab takes at most what it [`need`]s
/// to hold its runway. A pinned lab receives `pinned[i]`. The standing weights depend on
/// qualities alone, so they are recomputed only when a model shipped this month
/// (`released`).
#[inline]
pub fn fund(
    labs: &mut [LabState],
    traits: &[Lab],
    investors: &Investors,
    pool: f64,
    pinned: &[f64],
    released: bool,
    buffers: &mut Buffers,
) {
    if released || !buffers.standing_set {
        standing(labs, traits, investors, &mut buffers.standing);
        buffers.standing_total = buffers.standing.iter().sum();
        buffers.standing_set = true;
    }
    let (weights, standing_total) = (&buffers.standing, buffers.standing_total);
    // From -0.0, as `Iterator::sum` adds.
    let mut revenue = -0.0;
    for (lab, traits) in labs.iter().zip(traits) {
        if !traits.funding_pinned {
            revenue += lab.trailing_revenue;
        }
    }
    let stay = (1.0 - investors.follow_revenue - investors.follow_leader).max(0.0);
    let (per_revenue, per_standing) = (1.0 / revenue, 1.0 / standing_total);
    let per_lab = pinned.iter().zip(&buffers.initial).zip(weights);
    for ((lab, traits), ((&pinned, &initial), &weight)) in labs.iter_mut().zip(traits).zip(per_lab)
    {
        if traits.funding_pinned {
            lab.invest_share = 0.0;
            lab.funding = pinned;
            continue;
        }
        let by_revenue = if revenue > 0.0 {
            lab.trailing_revenue * per_revenue
        } else {
            initial
        };
        let by_standing = if standing_total > 0.0 {
            weight * per_standing
        } else {
            initial
        };
        let target = stay * initial
            + investors.follow_revenue * by_revenue
            + investors.follow_leader * by_standing;
        lab.invest_share += investors.adjustment * (target - lab.invest_share);
        lab.funding = (lab.invest_share * pool).min(need(lab, investors.runway_months));
    }
}

/// What a lab takes of its offer: enough to hold `runway_months` of its net burn (trailing
/// spending less trailing revenue, 0 for a lab whose revenue covers its spending) in cash
/// after this month's revenue and running costs; nothing when it holds more. Investors
/// fund what a lab can use; the rest of the pool stays with them.
pub fn need(lab: &LabState, runway_months: f64) -> f64 {
    let cash = lab.cash + lab.revenue - lab.opex;
    let burn = (lab.trailing_spending - lab.trailing_revenue).max(0.0);
    (runway_months * burn - cash).max(0.0)
}

/// Each unpinned lab's standing weight `exp((q_i - q_max) / standing_scale)` (0 for pinned
/// labs, and for all when investors do not follow the leader), written into `out`.
fn standing(labs: &[LabState], traits: &[Lab], investors: &Investors, out: &mut [f64]) {
    let best = labs
        .iter()
        .map(|l| l.quality)
        .fold(f64::NEG_INFINITY, f64::max);
    for ((o, lab), traits) in out.iter_mut().zip(labs).zip(traits) {
        *o = if traits.funding_pinned || investors.follow_leader == 0.0 {
            0.0
        } else {
            exp_or_one((lab.quality - best) / investors.standing_scale)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::lab;

    /// Trailing spending so far above any revenue and cash of these tests that the runway
    /// never limits what a lab takes.
    const BURNING: f64 = 1e15;

    /// One month's funding from a pool of `pool`, pinned labs getting `pinned`.
    fn fund_once(
        labs: &mut [LabState],
        traits: &[Lab],
        investors: &Investors,
        pool: f64,
        pinned: &[f64],
    ) {
        fund(
            labs,
            traits,
            investors,
            pool,
            pinned,
            false,
            &mut Buffers::new(traits),
        );
    }

    #[test]
    fn month_zero_shares_follow_funding_and_pinned_labs_are_apart() {
        let labs = [
            lab("id = \"a\"\nfunding = 3e8"),
            lab("id = \"b\"\nfunding = 1e8"),
            lab("id = \"c\"\nfunding = 9e9\nfunding_pinned = true"),
        ];
        let b = Buffers::new(&labs);
        assert_eq!(
            (b.initial(0), b.initial(1), b.initial(2)),
            (0.75, 0.25, 0.0)
        );
        let none = Buffers::new(&[lab("id = \"a\""), lab("id = \"b\"")]);
        assert_eq!((none.initial(0), none.initial(1)), (0.5, 0.5));
    }

    #[test]
    fn money_follows_revenue_and_the_leader() {
        // Two labs that started with equal shares. Lab a earns all the revenue and has the
        // better model by 50 Elo (scale 50: b's standing weight is 1/e). Target for a:
        // 0.3 * 0.5 + 0.4 * 1 + 0.3 * 1 / (1 + 1/e); adjustment 0.5 moves half way.
        let traits = [
            lab("id = \"a\"\nfunding = 1"),
            lab("id = \"b\"\nfunding = 1"),
        ];
        let mut labs = [(1300.0, 1.0), (1250.0, 0.0)].map(|(quality, trailing_revenue)| LabState {
            quality,
            trailing_revenue,
            invest_share: 0.5,
            trailing_spending: BURNING,
            ..LabState::default()
        });
        let investors = Investors {
            follow_revenue: 0.4,
            follow_leader: 0.3,
            standing_scale: 50.0,
            adjustment: 0.5,
            ..Investors::default()
        };
        fund_once(&mut labs, &traits, &investors, 1e9, &[0.0, 0.0]);
        let e = std::f64::consts::E;
        let target = 0.15 + 0.4 + 0.3 / (1.0 + 1.0 / e);
        let share = 0.5 + 0.5 * (target - 0.5);
        assert!((labs[0].invest_share - share).abs() < 1e-12);
        assert!((labs[0].invest_share + labs[1].invest_share - 1.0).abs() < 1e-12);
        assert!((labs[0].funding - share * 1e9).abs() < 1e-3);
    }

    #[test]
    fn a_pinned_lab_gets_its_schedule() {
        let traits = [
            lab("id = \"a\"\nfunding = 1e8"),
            lab("id = \"b\"\nfunding = 5e8\nfunding_pinned = true"),
        ];
        let mut labs = vec![
            LabState {
                invest_share: 1.0,
                trailing_spending: BURNING,
                ..LabState::default()
            },
            LabState::default(),
        ];
        fund_once(&mut labs, &traits, &Investors::default(), 2e8, &[0.0, 7e8]);
        assert_eq!(labs[1].funding, 7e8);
        assert_eq!(
            labs[0].funding, 2e8,
            "the whole pool: the only unpinned lab"
        );
    }

    #[test]
    fn a_lab_takes_only_the_runway_it_lacks() {
        // The only unpinned lab is offered the whole pool of $1B. It spends $300M a month
        // and earns $100M (trailing): a burn of $200M, so 18 months of runway is $3.6B.
        let traits = [lab("id = \"a\"\nfunding = 1")];
        let month = |cash: f64, trailing_revenue: f64| {
            let mut labs = [LabState {
                cash,
                trailing_revenue,
                trailing_spending: 3e8,
                invest_share: 1.0,
                ..LabState::default()
            }];
            let investors = Investors {
                runway_months: 18.0,
                ..Investors::default()
            };
            fund_once(&mut labs, &traits, &investors, 1e9, &[0.0]);
            labs[0].funding
        };
        assert_eq!(month(0.0, 1e8), 1e9, "$3.6B short: the whole offer");
        assert_eq!(month(3e9, 1e8), 6e8, "$3B in the bank: the $600M it lacks");
        assert_eq!(month(5e9, 1e8), 0.0, "more than its runway: nothing");
        assert_eq!(
            month(0.0, 4e8),
            0.0,
            "revenue above spending: no burn to fund"
        );
        // This month's revenue and running costs count as cash.
        let mut labs = [LabState {
            cash: 3e9,
            revenue: 5e8,
            opex: 1e8,
            trailing_revenue: 1e8,
            trailing_spending: 3e8,
            ..LabState::default()
        }];
        assert_eq!(need(&labs[0], 18.0), 2e8);
        labs[0].opex = 6e8;
        assert_eq!(need(&labs[0], 18.0), 7e8);
    }
}
