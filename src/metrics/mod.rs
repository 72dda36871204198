//! What a run measures: leaders (quality and market), lead changes, spells, lead
//! survival and persistence against chance ([`leaders`]), the leader's gap, the headwind
//! (leader's versus followers' training), concentration; and across runs, lead survival
//! curves and spell survival ([`durability`]) with bootstrap intervals ([`bootstrap`]),
//! and the regime verdict with its printed rule ([`verdict`]). Measures that need a rival
//! or a longer horizon are `None` ("not applicable") when the scenario does not have them.

pub mod bootstrap;
pub mod durability;
mod leaders;
pub mod plausibility;
pub mod tally;
mod verdict;

use serde::{Deserialize, Serialize};

pub use leaders::{Leadership, leaders, normalised};
pub use plausibility::Plausibility;
pub use tally::Tally;
pub use verdict::{
    EARLY_WINDOW, Evidence, Pooled, RACE_EARLY_KEEPS, RACE_GAP_GROWTH, RACE_PERSISTENCE,
    RUN_PERSISTENCE, Regime, ThresholdShift, Thresholds, Verdict, months_needed, rule_text,
    shares_text,
};

use crate::engine::{Recorder, State};
use crate::scenario::Scenario;
use crate::stats;

/// The per-month numbers of one run that the measures and the bands need, `[month][lab]`
/// flattened month-major.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunTrace {
    /// Number of labs.
    pub labs: usize,
    /// Deployed quality, Elo.
    pub quality: Vec<f64>,
    /// Customer share.
    pub customers: Vec<f64>,
    /// Fleet, H100e.
    pub fleet: Vec<f64>,
    /// Training fraction.
    pub train_fraction: Vec<f64>,
    /// Revenue, USD per month.
    pub revenue: Vec<f64>,
    /// Cash, USD.
    pub cash: Vec<f64>,
    /// Data-centre power online, MW.
    pub power_mw: Vec<f64>,
    /// Outside funding, USD per month.
    pub funding: Vec<f64>,
    /// Spending on GPUs and data-centre power, USD per month.
    pub spending: Vec<f64>,
    /// Releases shipped by the end, per lab.
    pub releases: Vec<u32>,
    /// Total demand per month, H100e-months.
    pub demand: Vec<f64>,
    /// Open-weight share per month.
    pub open_share: Vec<f64>,
    /// GPU price per month, USD per H100e.
    pub gpu_price: Vec<f64>,
}

impl RunTrace {
    /// An empty trace for `labs` labs and `months` months.
    pub fn new(labs: usize, months: usize) -> RunTrace {
        let cap = labs * months;
        RunTrace {
            labs,
            quality: Vec::with_capacity(cap),
            customers: Vec::with_capacity(cap),
            fleet: Vec::with_capacity(cap),
            train_fraction: Vec::with_capacity(cap),
            revenue: Vec::with_capacity(cap),
            cash: Vec::with_capacity(cap),
            power_mw: Vec::with_capacity(cap),
            funding: Vec::with_capacity(cap),
            spending: Vec::with_capacity(cap),
            releases: vec![0; labs],
            demand: Vec::with_capacity(months),
            open_share: Vec::with_capacity(months),
            gpu_price: Vec::with_capacity(months),
        }
    }

    /// Empties the trace for a new run of `labs` labs, keeping its buffers (a Monte Carlo
    /// reuses one trace per slot of its block instead of allocating one per run).
    pub fn reset(&mut self, labs: usize) {
        self.labs = labs;
        for series in [
            &mut self.quality,
            &mut self.customers,
            &mut self.fleet,
            &mut self.train_fraction,
            &mut self.revenue,
            &mut self.cash,
            &mut self.power_mw,
            &mut self.funding,
            &mut self.spending,
            &mut self.demand,
            &mut self.open_share,
            &mut self.gpu_price,
        ] {
            series.clear();
        }
        self.releases.clear();
        self.releases.resize(labs, 0);
    }

    /// Number of months recorded.
    pub fn months(&self) -> usize {
        self.demand.len()
    }

    /// The `[lab]` slice of `series` at `month`.
    pub fn at<'a>(&self, series: &'a [f64], month: usize) -> &'a [f64] {
        &series[month * self.labs..(month + 1) * self.labs]
    }

    /// The sum of a per-lab `series` over the labs in month `month`.
    pub fn month_total(&self, series: &[f64], month: usize) -> f64 {
        self.at(series, month).iter().sum()
    }

    /// The sum of a per-lab `series` over the months for lab `lab`, in month order.
    pub fn lab_total(&self, series: &[f64], lab: usize) -> f64 {
        series.iter().skip(lab).step_by(self.labs).sum()
    }
}

impl Recorder for RunTrace {
    fn record(&mut self, state: &State) {
        for lab in &state.labs {
            self.quality.push(lab.quality);
            self.customers.push(lab.customers);
            self.fleet.push(lab.fleet);
            self.train_fraction.push(lab.train_fraction);
            self.revenue.push(lab.revenue);
            self.cash.push(lab.cash);
            self.power_mw.push(lab.power * 1e3);
            self.funding.push(lab.funding);
            self.spending.push(lab.capex + lab.power_capex);
        }
        for (r, lab) in self.releases.iter_mut().zip(&state.labs) {
            *r = lab.releases;
        }
        self.demand.push(state.world.total_demand);
        self.open_share.push(state.world.open_share);
        self.gpu_price.push(state.world.gpu_price);
    }
}

/// Everything measured on one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeasures {
    /// Run index.
    pub run: u64,
    /// The quality leader's measures.
    pub quality: Leadership,
    /// The market leader's measures.
    pub market: Leadership,
    /// Mean leader gap over months 12-23, Elo; `None` with one lab or under 24 months.
    pub gap_early: Option<f64>,
    /// Mean leader gap over the last 12 months (all months when fewer), Elo; `None`
    /// with one lab.
    pub gap_late: Option<f64>,
    /// Growth of the market leader's lead in customer share over the runner-up, last 12
    /// months minus months 12-23; `None` with one lab or under 24 months.
    #[serde(default)]
    pub gap_growth_market: Option<f64>,
    /// Mean training fraction of the quality leader over the run, each month's paired
    /// with the lab that led when it was chosen (at the end of the month before).
    pub leader_train: f64,
    /// Mean training fraction of the other labs over the run, paired alike; `None` with
    /// one lab.
    pub followers_train: Option<f64>,
    /// Herfindahl index of lab customer shares renormalised to sum 1, final.
    pub hhi_final: f64,
    /// The same, averaged over months.
    pub hhi_mean: f64,
    /// Open-weight share at the end.
    pub open_share_final: f64,
    /// Final customer share per lab.
    pub final_share: Vec<f64>,
    /// Final fleet per lab, H100e.
    pub final_fleet: Vec<f64>,
    /// Final data-centre power per lab, GW.
    #[serde(default)]
    pub final_power: Vec<f64>,
    /// Mean training fraction per lab over the run.
    #[serde(default)]
    pub train_mean: Vec<f64>,
    /// Final quality per lab, Elo.
    pub final_quality: Vec<f64>,
    /// Cumulative revenue per lab, USD.
    pub revenue_total: Vec<f64>,
    /// Releases shipped per lab.
    pub releases: Vec<u32>,
    /// The run's drawn values of the scenario's uncertain inputs, in
    /// [`Scenario::uncertain`] order (empty when there are none).
    #[serde(default)]
    pub inputs: Vec<f64>,
}

/// How far lab `leader` is ahead of the best of the others in `row` (negative while an
/// incumbent holds on within the margin); with no leader, how far the best is ahead.
fn lead_over_rest(row: &[f64], leader: Option<usize>) -> f64 {
    let leader = leader.unwrap_or_else(|| leaders::argmax(row));
    row[leader] - leaders::runner_up(row, leader)
}

/// The monthly leadership series of one run, used for the bands and then dropped (or
/// reused by the next run), so that what is kept per run does not grow with the horizon.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunMonthly {
    /// Quality leader at each month (`None` until a lab first leads).
    pub quality_leaders: Vec<Option<usize>>,
    /// Market leader at each month (`None` until a lab first leads).
    pub market_leaders: Vec<Option<usize>>,
    /// Leader's lead over the runner-up per month, Elo (negative while an incumbent
    /// holds on within the margin); empty with one lab.
    pub leader_gap: Vec<f64>,
    /// Best deployed quality per month, Elo.
    pub frontier: Vec<f64>,
    /// Training fraction per month of the lab that led when it was chosen (the quality
    /// leader at the end of the month before; month 0's own at month 0), the labs' mean
    /// while no lab leads.
    pub leader_train: Vec<f64>,
    /// Mean training fraction of the other labs per month, paired alike (all labs' while
    /// no lab leads); empty with one lab.
    pub followers_train: Vec<f64>,
    /// Data-centre power online, all labs, MW per month.
    pub power_mw: Vec<f64>,
    /// Spending on GPUs and data-centre power, all labs, USD per month.
    pub investment: Vec<f64>,
    /// The market leader's lead in customer share over the runner-up per month; empty
    /// with one lab.
    pub share_gap: Vec<f64>,
    /// The largest lab's customer share per month, whichever lab it is.
    pub top_share: Vec<f64>,
}

impl RunMeasures {
    /// Measures a run's trace.
    pub fn measure(run: u64, trace: &RunTrace, scenario: &Scenario) -> (RunMeasures, RunMonthly) {
        let mut monthly = RunMonthly::default();
        let measures = RunMeasures::measure_into(run, trace, scenario, &mut monthly);
        (measures, monthly)
    }

    /// As [`RunMeasures::measure`], the monthly series into `monthly` (emptied first,
    /// its buffers reused).
    pub fn measure_into(
        run: u64,
        trace: &RunTrace,
        scenario: &Scenario,
        monthly: &mut RunMonthly,
    ) -> RunMeasures {
        let n = trace.labs;
        let months = trace.months();
        let lead = &scenario.world.leadership;
        let horizon = lead.persistence_months as usize;
        let RunMonthly {
            quality_leaders,
            market_leaders,
            leader_gap,
            frontier,
            leader_train,
            followers_train,
            power_mw,
            investment,
            share_gap,
            top_share,
        } = monthly;
        leaders::leaders_into(&trace.quality, n, lead.lead_margin, quality_leaders);
        leaders::leaders_into(&trace.customers, n, lead.share_margin, market_leaders);
        let rivals = n > 1;
        for series in [
            &mut *leader_gap,
            &mut *frontier,
            &mut *leader_train,
            &mut *followers_train,
            &mut *power_mw,
            &mut *investment,
            &mut *share_gap,
            &mut *top_share,
        ] {
            series.clear();
        }
        let mut hhi_sum = 0.0;
        let mut hhi = 0.0;
        for (m, &l) in quality_leaders.iter().enumerate() {
            let q = trace.at(&trace.quality, m);
            // A month's training shares were chosen at its start, before its releases: the
            // leader then is last month's (month 0's own, as the trace holds no earlier).
            // With no leader then, every lab is both: no headwind that month.
            let chose = quality_leaders[m.saturating_sub(1)];
            let f = trace.at(&trace.train_fraction, m);
            let all = f.iter().sum::<f64>();
            let led = chose.map_or(all / n as f64, |c| f[c]);
            if rivals {
                leader_gap.push(lead_over_rest(q, l));
                followers_train.push(chose.map_or(led, |c| (all - f[c]) / (n - 1) as f64));
            }
            frontier.push(q.iter().copied().fold(f64::NEG_INFINITY, f64::max));
            leader_train.push(led);
            let c = trace.at(&trace.customers, m);
            top_share.push(c.iter().copied().fold(0.0, f64::max));
            if rivals {
                share_gap.push(lead_over_rest(c, market_leaders[m]));
            }
            let total: f64 = c.iter().sum();
            hhi = if total > 0.0 {
                c.iter().map(|x| (x / total).powi(2)).sum()
            } else {
                0.0
            };
            hhi_sum += hhi;
        }
        let (early_from, early_to) = (EARLY_WINDOW.0 as usize, EARLY_WINDOW.1 as usize);
        let gap_early =
            (rivals && months >= early_to).then(|| stats::mean(&leader_gap[early_from..early_to]));
        let gap_late = rivals.then(|| stats::mean(&leader_gap[months.saturating_sub(12)..]));
        let gap_growth_market = (rivals && months >= early_to).then(|| {
            stats::mean(&share_gap[months - 12..]) - stats::mean(&share_gap[early_from..early_to])
        });
        let last = months - 1;
        power_mw.extend((0..months).map(|m| trace.month_total(&trace.power_mw, m)));
        investment.extend((0..months).map(|m| trace.month_total(&trace.spending, m)));
        RunMeasures {
            run,
            quality: Leadership::measure(quality_leaders, n, horizon),
            market: Leadership::measure(market_leaders, n, horizon),
            gap_early,
            gap_late,
            gap_growth_market,
            leader_train: stats::mean(leader_train),
            followers_train: rivals.then(|| stats::mean(followers_train)),
            hhi_final: hhi,
            hhi_mean: hhi_sum / months as f64,
            open_share_final: trace.open_share[last],
            final_share: trace.at(&trace.customers, last).to_vec(),
            final_fleet: trace.at(&trace.fleet, last).to_vec(),
            final_power: trace
                .at(&trace.power_mw, last)
                .iter()
                .map(|mw| mw * 1e-3)
                .collect(),
            train_mean: (0..n)
                .map(|i| trace.lab_total(&trace.train_fraction, i) / months as f64)
                .collect(),
            final_quality: trace.at(&trace.quality, last).to_vec(),
            revenue_total: (0..n).map(|i| trace.lab_total(&trace.revenue, i)).collect(),
            releases: trace.releases.clone(),
            inputs: Vec::new(),
        }
    }

    /// Growth of the market leader's share lead, late minus early (`None` when it does
    /// not apply).
    pub fn gap_growth_market(&self) -> Option<f64> {
        self.gap_growth_market
    }

    /// Followers' minus the leader's mean training fraction: the headwind (`None` with
    /// one lab).
    pub fn headwind(&self) -> Option<f64> {
        self.followers_train.map(|f| f - self.leader_train)
    }

    /// Growth of the leader's gap, `gap_late - gap_early` (`None` when either does not
    /// apply).
    pub fn gap_growth(&self) -> Option<f64> {
        Some(self.gap_late? - self.gap_early?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_months_training_share_is_the_leader_s_that_chose_it() {
        // Two labs, four months: lab 0 leads until lab 1 ships a better model in month 2.
        // Lab 0 trains 10% of its fleet every month, lab 1 50%. The shares of months 0-2
        // were chosen while lab 0 led; month 3's under lab 1: the leader trained 0.1,
        // 0.1, 0.1, 0.5 (mean 0.2), the follower 0.5, 0.5, 0.5, 0.1 (mean 0.4).
        let scenario = Scenario::load(
            "name = \"t\"\nmonths = 4\n[[labs]]\nid = \"a\"\n[[labs]]\nid = \"b\"\n",
            "t.toml",
            &[],
        )
        .unwrap();
        let mut trace = RunTrace::new(2, 4);
        for (a, b) in [
            (1100.0, 1000.0),
            (1100.0, 1000.0),
            (1100.0, 1200.0),
            (1100.0, 1200.0),
        ] {
            trace.quality.extend([a, b]);
            trace.train_fraction.extend([0.1, 0.5]);
            for series in [
                &mut trace.customers,
                &mut trace.fleet,
                &mut trace.revenue,
                &mut trace.cash,
                &mut trace.power_mw,
                &mut trace.funding,
                &mut trace.spending,
            ] {
                series.extend([0.5, 0.5]);
            }
            trace.demand.push(1.0);
            trace.open_share.push(0.0);
            trace.gpu_price.push(1.0);
        }
        let (measures, monthly) = RunMeasures::measure(0, &trace, &scenario);
        assert_eq!(
            monthly.quality_leaders,
            [Some(0), Some(0), Some(1), Some(1)]
        );
        assert_eq!(monthly.leader_train, [0.1, 0.1, 0.1, 0.5]);
        assert!((measures.leader_train - 0.2).abs() < 1e-12);
        assert!((measures.headwind().unwrap() - 0.2).abs() < 1e-12);

        // Tied for two months: nobody leads, so neither lab's share is a leader's (both
        // count as the labs' mean, 0.3); lab 1 leads from month 2 and chose month 3's.
        for m in 0..2 {
            trace.quality[2 * m] = 1000.0;
        }
        let (measures, monthly) = RunMeasures::measure(0, &trace, &scenario);
        assert_eq!(monthly.quality_leaders, [None, None, Some(1), Some(1)]);
        assert_eq!(monthly.leader_train, [0.3, 0.3, 0.3, 0.5]);
        let followers = [0.3, 0.3, 0.3, 0.1];
        for (got, want) in monthly.followers_train.iter().zip(followers) {
            assert!((got - want).abs() < 1e-12, "{:?}", monthly.followers_train);
        }
        assert_eq!(monthly.leader_gap, [0.0, 0.0, 100.0, 100.0]);
        assert_eq!(measures.quality.changes, 0);
        assert_eq!(measures.quality.months_led, [0, 2]);
    }
}
