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
    /// in progress at month 0, trained at month 0's fraction); NaN leaves that lab's
    /// policy to decide.
    pub train_fraction: Option<Vec<f64>>,
    /// What each lab spends on power and GPUs each month, USD, replacing `reinvest` of
    /// its available cash: spending that no longer responds to the lab's revenue or its
    /// investors. The lab pays it whatever its cash, and no deficit forces a sale.
    pub spending: Option<Vec<f64>>,
}

impl Frozen {
    /// Whether anything is imposed.
    pub fn is_empty(&self) -> bool {
        self.train_fraction.is_none() && self.spending.is_none()
    }

    /// Lab `lab`'s imposed training fraction in month `month` of a run with `labs` labs;
    /// `None` when none is imposed on it (no series, or NaN: its policy decides).
    pub fn train_fraction(&self, month: usize, labs: usize, lab: usize) -> Option<f64> {
        self.train_fraction
            .as_ref()
            .map(|f| f[month * labs + lab])
            .filter(|f| !f.is_nan())
            .map(|f| f.clamp(0.0, 1.0))
    }

    /// The imposed spending of month `month`, one per lab.
    pub fn spending(&self, month: usize, labs: usize) -> Option<&[f64]> {
        self.spending
            .as_ref()
            .map(|o| &o[month * labs..(month + 1) * labs])
    }
}
