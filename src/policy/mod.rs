//! Allocation policies: how a lab splits its fleet between training and serving.
//!
//! A policy is a small pure rule behind the [`Policy`] trait: it sees a read-only
//! [`View`] of the world and returns a training fraction. Scenario files pick one per lab
//! by `kind` with its parameters ([`PolicySpec`]). Adding a policy means one new file and
//! one arm in [`PolicySpec`]; the engine does not change.

mod fixed;
mod gap_response;
mod leader_harvest;
mod schedule;
mod serve_first;

use serde::{Deserialize, Serialize};

pub use fixed::Fixed;
pub use gap_response::GapResponse;
pub use leader_harvest::LeaderHarvest;
pub use schedule::{Schedule, SchedulePoint};
pub use serve_first::ServeFirst;

/// What a policy may look at when it decides, at the start of a month.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// Index of the deciding lab in `qualities`.
    pub lab: usize,
    /// Month index, 0-based.
    pub month: u32,
    /// Deployed quality of every lab, Elo.
    pub qualities: &'a [f64],
    /// The lab's own customers' demand last month, H100e-months.
    pub demand: f64,
    /// Volume the lab served last month, H100e-months.
    pub served: f64,
    /// The lab's serving capacity last month, H100e-months.
    pub capacity: f64,
    /// GPUs online now, H100e.
    pub fleet: f64,
    /// Demand one inference H100e serves.
    pub serving_efficiency: f64,
    /// Cash now, USD.
    pub cash: f64,
}

impl View<'_> {
    /// The lab's lead over its best rival in Elo (negative when behind; 0 with no rival).
    pub fn lead(&self) -> f64 {
        let own = self.qualities[self.lab];
        let best_rival = self
            .qualities
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != self.lab)
            .map(|(_, q)| *q)
            .fold(f64::NEG_INFINITY, f64::max);
        if best_rival.is_finite() {
            own - best_rival
        } else {
            0.0
        }
    }
}

/// A rule that sets a lab's training fraction each month.
pub trait Policy {
    /// The fraction of the fleet to train with this month; the engine clamps it to [0, 1].
    fn train_fraction(&self, view: &View) -> f64;
}

/// The policy of a lab as written in a scenario file (`policy = { kind = "...", ... }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PolicySpec {
    /// A constant training fraction.
    Fixed(Fixed),
    /// Serve last month's demand first, within bounds.
    ServeFirst(ServeFirst),
    /// Train less while leading, more while behind.
    LeaderHarvest(LeaderHarvest),
    /// Training fraction a logistic function of the lead.
    GapResponse(GapResponse),
    /// A piecewise-constant script over calendar months.
    Schedule(Schedule),
}

impl Default for PolicySpec {
    fn default() -> Self {
        PolicySpec::Fixed(Fixed::default())
    }
}

impl PolicySpec {
    /// The policy as a trait object.
    pub fn policy(&self) -> &dyn Policy {
        match self {
            PolicySpec::Fixed(p) => p,
            PolicySpec::ServeFirst(p) => p,
            PolicySpec::LeaderHarvest(p) => p,
            PolicySpec::GapResponse(p) => p,
            PolicySpec::Schedule(p) => p,
        }
    }

    /// The `kind` word used in files.
    pub fn kind(&self) -> &'static str {
        match self {
            PolicySpec::Fixed(_) => "fixed",
            PolicySpec::ServeFirst(_) => "serve_first",
            PolicySpec::LeaderHarvest(_) => "leader_harvest",
            PolicySpec::GapResponse(_) => "gap_response",
            PolicySpec::Schedule(_) => "schedule",
        }
    }
}

#[cfg(test)]
pub(crate) fn test_view(qualities: &[f64], lab: usize) -> View<'_> {
    View {
        lab,
        month: 0,
        qualities,
        demand: 0.0,
        served: 0.0,
        capacity: 0.0,
        fleet: 100.0,
        serving_efficiency: 1.0,
        cash: 0.0,
    }
}
