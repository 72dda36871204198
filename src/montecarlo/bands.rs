//! Per-month distributions across runs: one streaming histogram per (series, month, lab),
//! the series named by [`LabSeries`] and [`WorldSeries`].

use rayon::prelude::*;

use super::Slot;
use crate::metrics::{RunMonthly, RunTrace};
use crate::stats::{Binning, Histogram};

/// Declares a kind of series in the bands: the enum, and for each series (in `bands.csv`
/// order) its name in `bands.csv`, how its histograms bin values and where a run's values
/// come from: a [`Source`] over the run's `trace` and `monthly` measures, named in the
/// header `from |trace, monthly|`.
macro_rules! series {
    (
        $(#[$doc:meta])*
        pub enum $kind:ident, from |$trace:ident, $monthly:ident| {
            $($(#[$vdoc:meta])* $series:ident = $name:literal, $binning:expr, $source:expr;)+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $kind {
            $($(#[$vdoc])* $series,)+
        }

        impl $kind {
            /// Every series of this kind, in `bands.csv` order.
            pub const ALL: &[$kind] = &[$($kind::$series),+];

            /// The name in `bands.csv`.
            pub fn name(self) -> &'static str {
                match self {
                    $($kind::$series => $name,)+
                }
            }

            /// How its histograms bin values.
            pub fn binning(self) -> Binning {
                match self {
                    $($kind::$series => $binning,)+
                }
            }

            /// Where its values of a run come from.
            fn source<'r>(self, $trace: &'r RunTrace, $monthly: &'r RunMonthly) -> Source<'r> {
                match self {
                    $($kind::$series => $source,)+
                }
            }

            /// Adds its values of one run to `cells`, month by month.
            fn add_run(self, cells: &mut [Histogram], run: &Slot) {
                self.source(&run.trace, &run.monthly).add_each(cells, self.binning());
            }
        }
    };
}

/// Where a series' values of one run come from, in the order of its cells (month by month,
/// and within a month lab by lab for a per-lab series).
enum Source<'r> {
    /// Values recorded as they are.
    Values(&'r [f64]),
    /// Each lab's value less the month's value of a world series.
    Gap {
        lab: &'r [f64],
        world: &'r [f64],
        labs: usize,
    },
    /// 1 for the lab that leads the month, 0 for the others (every lab while none leads).
    Led {
        leaders: &'r [Option<usize>],
        labs: usize,
    },
}

use Source::{Gap, Led, Values};

impl Source<'_> {
    /// Adds the values to `cells`, binned by `binning`. The derived ones are computed on
    /// the way.
    fn add_each(self, cells: &mut [Histogram], binning: Binning) {
        match self {
            Values(values) => Histogram::add_each(cells, values.iter().copied(), binning),
            Gap { lab, world, labs } => {
                let gaps = lab
                    .chunks_exact(labs)
                    .zip(world)
                    .flat_map(|(q, f)| q.iter().map(move |q| q - f));
                Histogram::add_each(cells, gaps, binning);
            }
            Led { leaders, labs } => {
                let led = leaders.iter().flat_map(|&leader| {
                    (0..labs).map(move |i| f64::from(u8::from(leader == Some(i))))
                });
                Histogram::add_each(cells, led, binning);
            }
        }
    }
}

series! {
    /// A per-lab series in the bands.
    pub enum LabSeries, from |trace, monthly| {
        /// Deployed quality, Elo.
        Quality = "quality", Binning::Linear(0.5), Values(&trace.quality);
        /// Quality minus the frontier, Elo.
        QualityGap = "quality_gap", Binning::Linear(0.5),
            Gap { lab: &trace.quality, world: &monthly.frontier, labs: trace.labs };
        /// Customer share.
        Customers = "customers", Binning::Linear(0.001), Values(&trace.customers);
        /// GPUs online, H100e.
        Fleet = "fleet", Binning::Log, Values(&trace.fleet);
        /// Training fraction.
        TrainFraction = "train_fraction", Binning::Linear(0.001), Values(&trace.train_fraction);
        /// Revenue, USD per month.
        Revenue = "revenue", Binning::Log, Values(&trace.revenue);
        /// Cash, USD.
        Cash = "cash", Binning::Log, Values(&trace.cash);
        /// 1 when the lab is the quality leader.
        LeadProbQuality = "lead_prob_quality", Binning::Linear(1.0),
            Led { leaders: &monthly.quality_leaders, labs: trace.labs };
        /// 1 when the lab is the market leader.
        LeadProbMarket = "lead_prob_market", Binning::Linear(1.0),
            Led { leaders: &monthly.market_leaders, labs: trace.labs };
        /// Data-centre power online, MW.
        PowerMw = "power_mw", Binning::Log, Values(&trace.power_mw);
        /// Outside funding, USD per month.
        Funding = "funding", Binning::Log, Values(&trace.funding);
        /// Spending on GPUs and data-centre power, USD per month.
        Spending = "spending", Binning::Log, Values(&trace.spending);
    }
}

series! {
    /// A world-level series in the bands (empty where it does not apply).
    pub enum WorldSeries, from |trace, monthly| {
        /// Best deployed quality, Elo.
        Frontier = "frontier", Binning::Linear(0.5), Values(&monthly.frontier);
        /// The quality leader's lead over the runner-up, Elo (none with one lab).
        LeaderGap = "leader_gap", Binning::Linear(0.5), Values(&monthly.leader_gap);
        /// The quality leader's training fraction.
        LeaderTrain = "leader_train", Binning::Linear(0.001), Values(&monthly.leader_train);
        /// Mean training fraction of the other labs (none with one lab).
        FollowersTrain = "followers_train", Binning::Linear(0.001),
            Values(&monthly.followers_train);
        /// Total demand, H100e-months.
        Demand = "demand", Binning::Log, Values(&trace.demand);
        /// GPU price, USD per H100e.
        GpuPrice = "gpu_price", Binning::Log, Values(&trace.gpu_price);
        /// Data-centre power online, all labs, MW.
        PowerMw = "power_mw", Binning::Log, Values(&monthly.power_mw);
        /// Spending on GPUs and data-centre power, all labs, USD per month.
        Investment = "investment", Binning::Log, Values(&monthly.investment);
        /// The largest lab's customer share, whichever lab it is.
        TopShare = "top_share", Binning::Linear(0.001), Values(&monthly.top_share);
    }
}

/// Per-month distributions across runs. A cell with no values (a series that does not
/// apply, such as the followers' training with one lab) is empty.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bands {
    /// Months.
    pub months: usize,
    /// Labs.
    pub labs: usize,
    /// `[series][month * labs + lab]`, series as in [`LabSeries::ALL`].
    pub lab: Vec<Vec<Histogram>>,
    /// `[series][month]`, series as in [`WorldSeries::ALL`].
    pub world: Vec<Vec<Histogram>>,
}

impl Bands {
    /// The distribution of a per-lab series at a month.
    pub fn lab(&self, series: LabSeries, month: usize, lab: usize) -> &Histogram {
        &self.lab[series as usize][month * self.labs + lab]
    }

    /// The distribution of a world series at a month.
    pub fn world(&self, series: WorldSeries, month: usize) -> &Histogram {
        &self.world[series as usize][month]
    }

    /// The distribution of per-lab series `name` (see [`LabSeries::name`]) at a month.
    pub fn lab_series(&self, name: &str, month: usize, lab: usize) -> Option<&Histogram> {
        let s = LabSeries::ALL.iter().find(|s| s.name() == name)?;
        self.lab.get(*s as usize)?.get(month * self.labs + lab)
    }

    /// The distribution of world series `name` (see [`WorldSeries::name`]) at a month.
    pub fn world_series(&self, name: &str, month: usize) -> Option<&Histogram> {
        let s = WorldSeries::ALL.iter().find(|s| s.name() == name)?;
        self.world.get(*s as usize)?.get(month)
    }

    pub(super) fn new(months: usize, labs: usize) -> Bands {
        Bands {
            months,
            labs,
            lab: LabSeries::ALL
                .iter()
                .map(|s| vec![Histogram::new(s.binning()); months * labs])
                .collect(),
            world: WorldSeries::ALL
                .iter()
                .map(|s| vec![Histogram::new(s.binning()); months])
                .collect(),
        }
    }

    /// Ends a block of runs (see [`Histogram::flush`]).
    pub(super) fn flush(&mut self) {
        self.lab
            .iter_mut()
            .chain(self.world.iter_mut())
            .for_each(|cells| cells.par_iter_mut().for_each(Histogram::flush));
    }

    /// Merges another set of bands (a block of runs, or a shard), cell by cell.
    pub fn merge(&mut self, other: &Bands) {
        for (mine, theirs) in self
            .lab
            .iter_mut()
            .chain(self.world.iter_mut())
            .zip(other.lab.iter().chain(other.world.iter()))
        {
            mine.par_iter_mut()
                .zip(theirs.par_iter())
                .for_each(|(a, b)| a.merge(b));
        }
    }

    /// Adds a wave of runs, in run order. Series are independent, so they are filled in
    /// parallel; each histogram still sees the runs in order.
    pub(super) fn add_wave(&mut self, wave: &[Slot]) {
        self.lab
            .par_iter_mut()
            .zip(LabSeries::ALL)
            .for_each(|(cells, series)| wave.iter().for_each(|run| series.add_run(cells, run)));
        self.world
            .par_iter_mut()
            .zip(WorldSeries::ALL)
            .for_each(|(cells, series)| wave.iter().for_each(|run| series.add_run(cells, run)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_sit_at_their_position() {
        for (i, s) in LabSeries::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i, "{}", s.name());
        }
        for (i, s) in WorldSeries::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i, "{}", s.name());
        }
    }
}
