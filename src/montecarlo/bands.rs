//! Per-month distributions across runs: one streaming histogram per (series, month, lab),
//! the series named by [`LabSeries`] and [`WorldSeries`].

use rayon::prelude::*;

use super::Slot;
use crate::metrics::{RunMonthly, RunTrace};
use crate::stats::{Binning, Histogram};

/// Declares a kind of series in the bands: the enum, and for each series (in `bands.csv`
/// order) its name in `bands.csv` and how its histograms bin values.
macro_rules! series {
    (
        $(#[$doc:meta])*
        pub enum $kind:ident {
            $($(#[$vdoc:meta])* $series:ident = $name:literal, $binning:expr;)+
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
        }
    };
}

series! {
    /// A per-lab series in the bands.
    pub enum LabSeries {
        /// Deployed quality, Elo.
        Quality = "quality", Binning::Linear(0.5);
        /// Quality minus the frontier, Elo.
        QualityGap = "quality_gap", Binning::Linear(0.5);
        /// Customer share.
        Customers = "customers", Binning::Linear(0.001);
        /// GPUs online, H100e.
        Fleet = "fleet", Binning::Log;
        /// Training fraction.
        TrainFraction = "train_fraction", Binning::Linear(0.001);
        /// Revenue, USD per month.
        Revenue = "revenue", Binning::Log;
        /// Cash, USD.
        Cash = "cash", Binning::Log;
        /// 1 when the lab is the quality leader.
        LeadProbQuality = "lead_prob_quality", Binning::Linear(1.0);
        /// 1 when the lab is the market leader.
        LeadProbMarket = "lead_prob_market", Binning::Linear(1.0);
        /// Data-centre power online, MW.
        PowerMw = "power_mw", Binning::Log;
        /// Outside funding, USD per month.
        Funding = "funding", Binning::Log;
        /// Spending on GPUs and data-centre power, USD per month.
        Spending = "spending", Binning::Log;
    }
}

impl LabSeries {
    /// Adds its values of one run to `cells` (`[month * labs + lab]`), month by month.
    /// Plain series are read as one slice; the derived ones are computed on the way.
    fn add_run(self, cells: &mut [Histogram], t: &RunTrace, lead: &RunMonthly) {
        let binning = self.binning();
        let direct = match self {
            LabSeries::Quality => &t.quality,
            LabSeries::Customers => &t.customers,
            LabSeries::Fleet => &t.fleet,
            LabSeries::TrainFraction => &t.train_fraction,
            LabSeries::Revenue => &t.revenue,
            LabSeries::Cash => &t.cash,
            LabSeries::PowerMw => &t.power_mw,
            LabSeries::Funding => &t.funding,
            LabSeries::Spending => &t.spending,
            LabSeries::QualityGap => {
                let gaps = t
                    .quality
                    .chunks_exact(t.labs)
                    .zip(&lead.frontier)
                    .flat_map(|(q, f)| q.iter().map(move |q| q - f));
                return Histogram::add_each(cells, gaps, binning);
            }
            LabSeries::LeadProbQuality | LabSeries::LeadProbMarket => {
                let leaders = if self == LabSeries::LeadProbQuality {
                    &lead.quality_leaders
                } else {
                    &lead.market_leaders
                };
                let labs = t.labs;
                let led = leaders
                    .iter()
                    .flat_map(|&leader| (0..labs).map(move |i| f64::from(u8::from(leader == i))));
                return Histogram::add_each(cells, led, binning);
            }
        };
        Histogram::add_each(cells, direct.iter().copied(), binning);
    }
}

series! {
    /// A world-level series in the bands.
    pub enum WorldSeries {
        /// Best deployed quality, Elo.
        Frontier = "frontier", Binning::Linear(0.5);
        /// The quality leader's lead over the runner-up, Elo (none with one lab).
        LeaderGap = "leader_gap", Binning::Linear(0.5);
        /// The quality leader's training fraction.
        LeaderTrain = "leader_train", Binning::Linear(0.001);
        /// Mean training fraction of the other labs (none with one lab).
        FollowersTrain = "followers_train", Binning::Linear(0.001);
        /// Total demand, H100e-months.
        Demand = "demand", Binning::Log;
        /// GPU price, USD per H100e.
        GpuPrice = "gpu_price", Binning::Log;
        /// Data-centre power online, all labs, MW.
        PowerMw = "power_mw", Binning::Log;
        /// Spending on GPUs and data-centre power, all labs, USD per month.
        Investment = "investment", Binning::Log;
    }
}

impl WorldSeries {
    /// Its values month by month in a run (empty when it does not apply).
    fn values<'r>(self, t: &'r RunTrace, lead: &'r RunMonthly) -> &'r [f64] {
        match self {
            WorldSeries::Frontier => &lead.frontier,
            WorldSeries::LeaderGap => &lead.leader_gap,
            WorldSeries::LeaderTrain => &lead.leader_train,
            WorldSeries::FollowersTrain => &lead.followers_train,
            WorldSeries::Demand => &t.demand,
            WorldSeries::GpuPrice => &t.gpu_price,
            WorldSeries::PowerMw => &lead.power_mw,
            WorldSeries::Investment => &lead.investment,
        }
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
        self.lab.par_iter_mut().enumerate().for_each(|(s, cells)| {
            let series = LabSeries::ALL[s];
            for run in wave {
                series.add_run(cells, &run.trace, &run.monthly);
            }
        });
        self.world
            .par_iter_mut()
            .enumerate()
            .for_each(|(s, cells)| {
                let series = WorldSeries::ALL[s];
                for run in wave {
                    let values = series.values(&run.trace, &run.monthly);
                    Histogram::add_each(cells, values.iter().copied(), series.binning());
                }
            });
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
