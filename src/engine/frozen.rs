//! Decisions an experiment imposes on a run instead of letting the labs make them: the
//! engine switch behind the counterfactual worlds of `racerun explain` whose channel a
//! scenario value cannot switch off (see `src/explain/channels.rs`).
//!
//! Each series is `[month * labs + lab]`, one value per lab and month of the horizon,
//! typically a lab's mean over the runs of the factual world: the time profile stays,
//! the response to this run's own history goes.

/// Series that replace the labs' own decisions, each optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frozen {
    /// Training fraction of each lab and month, replacing its policy (also for the run
    /// in progress at month 0, trained at month 0's fraction).
    pub train_fraction: Option<Vec<f64>>,
    /// GPUs each lab orders each month, H100e, replacing `reinvest * cash / price`:
    /// orders that no longer respond to the lab's revenue. The lab pays for what the
    /// supply cap lets it receive, whatever its cash.
    pub orders: Option<Vec<f64>>,
}

impl Frozen {
    /// Whether anything is imposed.
    pub fn is_empty(&self) -> bool {
        self.train_fraction.is_none() && self.orders.is_none()
    }

    /// Lab `lab`'s imposed training fraction in month `month` of a run with `labs` labs.
    pub fn train_fraction(&self, month: usize, labs: usize, lab: usize) -> Option<f64> {
        self.train_fraction
            .as_ref()
            .map(|f| f[month * labs + lab].clamp(0.0, 1.0))
    }

    /// The imposed orders of month `month`, one per lab.
    pub fn orders(&self, month: usize, labs: usize) -> Option<&[f64]> {
        self.orders
            .as_ref()
            .map(|o| &o[month * labs..(month + 1) * labs])
    }
}
