//! What the summary, the verdict, the lead survival curves, the uncertain inputs' effects
//! and a sweep cell need from a Monte Carlo's runs, accumulated run by run in memory that
//! does not grow with the number of runs.
//!
//! A [`Tally`] is fed each run's [`RunMeasures`] with the run's position in the
//! experiment, and merges with the tally of other runs of the same experiment exactly:
//! counts are integers, sums are [`ExactSum`]s, distributions are
//! [`Distribution`]s, so the result is the same bytes whatever the threads, blocks or
//! shards. What it keeps:
//! - per headline and per-lab measure, its [`Distribution`] (mean exact; quantiles exact
//!   up to [`crate::stats::EXACT_DISTINCT`] distinct values, at the measure's
//!   [`Binning`] beyond);
//! - the bootstrap groups' sums of the verdict's evidence and of the lead survival counts
//!   ([`crate::metrics::bootstrap`] pools runs into at most 1,000 groups of consecutive
//!   runs: a group's sum is all a resample needs);
//! - final leaders, per-run regimes and the censored last spells, as counts;
//! - for the uncertain inputs' rank correlations and terciles, the rows of the first
//!   [`EFFECT_RUNS`] runs (their ranks need the runs themselves).

use serde::{Deserialize, Serialize};

use super::bootstrap::{self, Pooled};
use super::{Regime, RunMeasures};
use crate::measures::{CORRELATED, LAB_MEASURES, MEASURES};
use crate::stats::{Binning, Distribution, ExactSum};

/// Runs whose rows the uncertain inputs' rank correlations and terciles are computed
/// from: the first 100,000 (a rank correlation's standard error is then about 0.003).
pub const EFFECT_RUNS: u64 = 100_000;

/// The binning of an uncertain input's drawn values: 0.4% relative bins above 1e-9.
const INPUT_BINNING: Binning = Binning::LogAbove(1e-9);

/// An exact running sum: of floats ([`ExactSum`]), or of whole numbers (`u64`, for
/// counts such as lead survival, which need no more).
trait Sum: Default + Clone {
    fn add(&mut self, v: f64);
    fn merge(&mut self, other: &Self);
    fn value(&self) -> f64;
}

impl Sum for ExactSum {
    fn add(&mut self, v: f64) {
        ExactSum::add(self, v);
    }
    fn merge(&mut self, other: &Self) {
        ExactSum::merge(self, other);
    }
    fn value(&self) -> f64 {
        ExactSum::value(self)
    }
}

impl Sum for u64 {
    fn add(&mut self, v: f64) {
        *self += v as u64;
    }
    fn merge(&mut self, other: &Self) {
        *self += other;
    }
    fn value(&self) -> f64 {
        *self as f64
    }
}

/// Per bootstrap group, exact sums and counts of `dims` values per run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct GroupSums<S> {
    dims: usize,
    /// `[group * dims + d]`.
    sums: Vec<S>,
    counts: Vec<u64>,
}

impl<S: Sum> GroupSums<S> {
    fn new(groups: usize, dims: usize) -> GroupSums<S> {
        GroupSums {
            dims,
            sums: vec![S::default(); groups * dims],
            counts: vec![0; groups * dims],
        }
    }

    fn add(&mut self, group: usize, d: usize, v: f64) {
        self.add_of(group, d, v, 1);
    }

    /// Adds `v` as the total of `n` items (a run's count of survivals out of `n` months).
    fn add_of(&mut self, group: usize, d: usize, v: f64, n: u64) {
        let at = group * self.dims + d;
        self.sums[at].add(v);
        self.counts[at] += n;
    }

    fn merge(&mut self, other: &GroupSums<S>) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            a.merge(b);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// As the bootstrap's pooled groups.
    fn pooled(&self) -> Pooled {
        let sums = self.sums.iter().map(Sum::value).collect();
        let counts = self.counts.iter().map(|&c| c as f64).collect();
        Pooled::new(self.dims, sums, counts)
    }
}

/// What the uncertain inputs' effects read of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectRow {
    /// The run's drawn values, in [`crate::scenario::Scenario::uncertain`] order.
    pub inputs: Vec<f64>,
    /// The [`CORRELATED`] measures, in order (`None` where one does not apply).
    pub correlated: Vec<Option<f64>>,
    /// The quality leader's persistence.
    pub persistence: f64,
    /// The verdict's rule applied to the run.
    pub regime: Regime,
}

/// The runs of one Monte Carlo, tallied (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Runs of the whole experiment: positions run from 0 to it.
    total: u64,
    labs: usize,
    months: u32,
    persistence_months: u32,
    /// One per headline measure, in [`MEASURES`] order.
    measures: Vec<Distribution>,
    /// `[lab * LAB_MEASURES.len() + k]`.
    lab_measures: Vec<Distribution>,
    /// The drawn values of each uncertain input.
    inputs: Vec<Distribution>,
    /// Runs whose final quality leader is each lab.
    final_quality_leader: Vec<u64>,
    /// Runs whose final market leader is each lab.
    final_market_leader: Vec<u64>,
    /// Runs judged a race, a run, and neither ([`Regime::of_run`]).
    regimes: [u64; 3],
    /// The verdict's evidence per bootstrap group: chance-normalised persistence, whether
    /// the month-12 leader keeps the lead, gap growth.
    evidence: GroupSums<ExactSum>,
    /// Lead survival counts per bootstrap group, quality and market leader: dimension
    /// `h - 1` sums the months whose leader still leads h months on.
    survival: [GroupSums<u64>; 2],
    /// Runs whose last (censored) spell lasted `[length - 1]` months, quality and market.
    censored: [Vec<u64>; 2],
    /// The first [`EFFECT_RUNS`] runs' rows, in run order (only with uncertain inputs).
    effect_rows: Vec<EffectRow>,
}

impl Tally {
    /// An empty tally of an experiment of `total` runs of a scenario of `labs` labs,
    /// `months` months, persistence horizon `persistence_months` and `inputs` uncertain
    /// inputs.
    pub fn new(
        total: u64,
        labs: usize,
        months: u32,
        persistence_months: u32,
        inputs: usize,
    ) -> Tally {
        let groups = bootstrap::groups_for(total as usize);
        let horizon = persistence_months.min(months.saturating_sub(1)) as usize;
        Tally {
            total,
            labs,
            months,
            persistence_months,
            measures: MEASURES
                .iter()
                .map(|m| Distribution::new(m.binning))
                .collect(),
            lab_measures: (0..labs)
                .flat_map(|_| LAB_MEASURES.iter().map(|m| Distribution::new(m.binning)))
                .collect(),
            inputs: (0..inputs)
                .map(|_| Distribution::new(INPUT_BINNING))
                .collect(),
            final_quality_leader: vec![0; labs],
            final_market_leader: vec![0; labs],
            regimes: [0; 3],
            evidence: GroupSums::new(groups, 3),
            survival: [
                GroupSums::new(groups, horizon),
                GroupSums::new(groups, horizon),
            ],
            censored: [vec![0; months as usize], vec![0; months as usize]],
            effect_rows: Vec::new(),
        }
    }

    /// Adds the run at position `position` of the experiment (`0..total`).
    pub fn add(&mut self, position: u64, r: &RunMeasures) {
        for (d, m) in self.measures.iter_mut().zip(MEASURES) {
            if let Some(v) = m.of(r) {
                d.add(v);
            }
        }
        let k = LAB_MEASURES.len();
        for (lab, row) in self.lab_measures.chunks_exact_mut(k).enumerate() {
            for (d, m) in row.iter_mut().zip(LAB_MEASURES) {
                d.add(m.of(r, lab));
            }
        }
        for (d, &v) in self.inputs.iter_mut().zip(&r.inputs) {
            d.add(v);
        }
        for (counts, lead) in [
            (&mut self.final_quality_leader, &r.quality),
            (&mut self.final_market_leader, &r.market),
        ] {
            if let Some(c) = lead.final_leader.and_then(|l| counts.get_mut(l)) {
                *c += 1;
            }
        }
        let regime = Regime::of_run(r, self.labs(), self.months, self.persistence_months);
        self.regimes[match regime {
            Regime::Race => 0,
            Regime::Run => 1,
            Regime::Mixed | Regime::TooShort | Regime::OneLab => 2,
        }] += 1;
        let group = bootstrap::group_of(
            position as usize,
            self.evidence_groups(),
            self.total as usize,
        );
        let evidence = [
            r.quality.persistence_norm,
            Some(f64::from(u8::from(r.quality.early_keeps))),
            r.gap_growth(),
        ];
        for (d, v) in evidence.into_iter().enumerate() {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                self.evidence.add(group, d, v);
            }
        }
        for ((sums, censored), lead) in self
            .survival
            .iter_mut()
            .zip(&mut self.censored)
            .zip([&r.quality, &r.market])
        {
            for (h, &same) in (1..).zip(&lead.survival).take(sums.dims) {
                let pairs = u64::from(lead.pairs(h));
                sums.add_of(group, usize::from(h - 1), f64::from(same), pairs);
            }
            let last = lead.last_spell as usize;
            if (1..=censored.len()).contains(&last) {
                censored[last - 1] += 1;
            }
        }
        if !r.inputs.is_empty() && position < EFFECT_RUNS {
            self.effect_rows.push(EffectRow {
                inputs: r.inputs.clone(),
                correlated: CORRELATED
                    .iter()
                    .map(|name| crate::measures::find(name).and_then(|m| m.of(r)))
                    .collect(),
                persistence: r.quality.persistence,
                regime,
            });
        }
    }

    fn evidence_groups(&self) -> usize {
        self.evidence.counts.len() / self.evidence.dims
    }

    /// Adds the tally of other runs of the same experiment. Rows for the inputs' effects
    /// are appended: merge shares in run order.
    pub fn merge(&mut self, other: &Tally) {
        for (a, b) in self
            .measures
            .iter_mut()
            .chain(&mut self.lab_measures)
            .chain(&mut self.inputs)
            .zip(
                other
                    .measures
                    .iter()
                    .chain(&other.lab_measures)
                    .chain(&other.inputs),
            )
        {
            a.merge(b);
        }
        let [quality, market] = &mut self.censored;
        for (a, b) in [
            (&mut self.final_quality_leader, &other.final_quality_leader),
            (&mut self.final_market_leader, &other.final_market_leader),
            (quality, &other.censored[0]),
            (market, &other.censored[1]),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (x, y) in self.regimes.iter_mut().zip(other.regimes) {
            *x += y;
        }
        self.evidence.merge(&other.evidence);
        for (a, b) in self.survival.iter_mut().zip(&other.survival) {
            a.merge(b);
        }
        self.effect_rows.extend(other.effect_rows.iter().cloned());
    }

    /// Runs added (each is judged exactly once).
    pub fn runs(&self) -> u64 {
        self.regimes.iter().sum()
    }

    /// Runs of the whole experiment.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Labs of the scenario.
    pub fn labs(&self) -> usize {
        self.labs
    }

    /// Horizon of the scenario, months.
    pub fn months(&self) -> u32 {
        self.months
    }

    /// The persistence horizon, months.
    pub fn persistence_months(&self) -> u32 {
        self.persistence_months
    }

    /// The distribution of headline measure `k` ([`MEASURES`] order).
    pub fn measure(&self, k: usize) -> &Distribution {
        &self.measures[k]
    }

    /// The distribution of the headline measure named `name`.
    pub fn measure_named(&self, name: &str) -> Option<&Distribution> {
        let k = MEASURES.iter().position(|m| m.name == name)?;
        Some(&self.measures[k])
    }

    /// The distribution of per-lab measure `k` ([`LAB_MEASURES`] order) of lab `lab`.
    pub fn lab_measure(&self, lab: usize, k: usize) -> &Distribution {
        &self.lab_measures[lab * LAB_MEASURES.len() + k]
    }

    /// The distribution of uncertain input `k`'s drawn values.
    pub fn input(&self, k: usize) -> &Distribution {
        &self.inputs[k]
    }

    /// Runs whose final leader (quality, or market when `market`) is lab `lab`.
    pub fn final_leader(&self, market: bool, lab: usize) -> u64 {
        let counts = if market {
            &self.final_market_leader
        } else {
            &self.final_quality_leader
        };
        counts.get(lab).copied().unwrap_or(0)
    }

    /// Runs judged a race, a run, and neither, one by one.
    pub fn regimes(&self) -> [u64; 3] {
        self.regimes
    }

    /// The bootstrap groups of the verdict's evidence: chance-normalised persistence,
    /// month-12 leader keeps the lead, gap growth.
    pub fn evidence(&self) -> Pooled {
        self.evidence.pooled()
    }

    /// The bootstrap groups of the lead survival `S(h)` (h = 1 to the horizon) of the
    /// quality leader, or the market leader when `market`.
    pub fn survival(&self, market: bool) -> Pooled {
        self.survival[usize::from(market)].pooled()
    }

    /// The lead survival horizon: S(h) is kept for h = 1 to it.
    pub fn survival_horizon(&self) -> usize {
        self.survival[0].dims
    }

    /// Runs whose last spell lasted `[length - 1]` months, quality (or market) leader.
    pub fn censored(&self, market: bool) -> &[u64] {
        &self.censored[usize::from(market)]
    }

    /// The first [`EFFECT_RUNS`] runs' rows (empty without uncertain inputs).
    pub fn effect_rows(&self) -> &[EffectRow] {
        &self.effect_rows
    }
}
