//! Allocation policies: how a lab splits its fleet between training and serving.
//!
//! A policy is a small pure rule behind the [`Policy`] trait: it sees a read-only
//! [`View`] of the world and returns a training fraction. Scenario files pick one per lab
//! by `kind` with its parameters ([`PolicySpec`]). Adding a policy means one new file (its
//! parameters declared with `declare!`, its rule, and any rule across its parameters in
//! [`Policy::validate`]) and one line in the [`policies!`] list below; the engine,
//! validation and the parameter catalogue do not change.

use serde::{Deserialize, Serialize};

use crate::scenario::decl::{Node, Seg, merge_kind};
use crate::scenario::params::{Kind, ParamSpec};
use crate::scenario::rules::{Broken, Rules};

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
    /// GPUs online with power now (the ones it can split), H100e.
    pub fleet: f64,
    /// Demand one inference H100e serves with the deployed model (its serving efficiency
    /// over its serving cost).
    pub serving_efficiency: f64,
    /// Cash now, USD.
    pub cash: f64,
    /// The lab's customer share now.
    pub customers: f64,
    /// Customers' net quality sensitivity: `world.market.beta`, less what a better
    /// model's dearer price costs them when prices carry inference compute
    /// ([`net_beta`]).
    pub beta: f64,
    /// Quality gained per 10x effective compute (`world.algorithms.elo_per_decade`).
    pub elo_per_decade: f64,
    /// Demand's response to the frontier's quality (`world.demand.eta`), per 100 Elo.
    pub eta: f64,
    /// The lab's planned run length (`run_months`), months.
    pub run_months: u32,
}

/// Customers' quality sensitivity net of price: a model `x` Elo better is worth
/// `beta * ln(10) * x / 400` of utility (step 7) and, when its price carries
/// `pass_through` of its inference compute, costs `price_sensitivity * pass_through *
/// infer_elasticity * ln(10) * x / elo_per_decade` of it (step 6): the net in units of
/// `beta`, `beta - 400 * price_sensitivity * pass_through * infer_elasticity /
/// elo_per_decade`, at least 0.
pub fn net_beta(market: &crate::scenario::file::Market, elo_per_decade: f64) -> f64 {
    let (beta, pass_through) = (market.beta, market.infer_pass_through);
    if pass_through == 0.0 {
        return beta;
    }
    let price =
        400.0 * market.price_sensitivity * pass_through * market.infer_elasticity / elo_per_decade;
    (beta - price).max(0.0)
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
    fn train_fraction(&self, view: &View<'_>) -> f64;

    /// Rules across the policy's parameters, checked once each is in its range (and, for
    /// an uncertain input, over its distribution's support: see [`Rules::span`]). A
    /// policy may also resolve values here that depend on the scenario (a schedule's
    /// month indices). None by default.
    fn validate(&mut self, _rules: &Rules<'_>) -> Result<(), Broken> {
        Ok(())
    }
}

/// Registers the policies: for each, its module and type (the module name is its `kind`
/// in files). Generates [`PolicySpec`] and what the catalogue and validation need.
macro_rules! policies {
    ($( $(#[doc = $doc:literal])* $module:ident :: $ty:ident ),* $(,)?) => {
        $( mod $module; pub use $module::$ty; )*

        /// The policy of a lab as written in a scenario file (`policy = { kind = "...", ... }`).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum PolicySpec {
            $( $(#[doc = $doc])* $ty($ty), )*
        }

        impl PolicySpec {
            /// The `kind` words, in the order `racerun params` lists them.
            pub const KINDS: &'static [&'static str] = &[$(stringify!($module)),*];

            /// The policy as a trait object.
            pub fn policy(&self) -> &dyn Policy {
                match self {
                    $( PolicySpec::$ty(p) => p, )*
                }
            }

            /// The policy as a mutable trait object, for [`Policy::validate`].
            pub fn policy_mut(&mut self) -> &mut dyn Policy {
                match self {
                    $( PolicySpec::$ty(p) => p, )*
                }
            }

            /// The `kind` word used in files.
            pub fn kind(&self) -> &'static str {
                match self {
                    $( PolicySpec::$ty(_) => stringify!($module), )*
                }
            }
        }

        impl Node for PolicySpec {
            fn catalogue(prefix: &str, out: &mut Vec<ParamSpec>) {
                let first = out.len();
                out.push(ParamSpec {
                    path: Box::leak(format!("{prefix}.kind").into_boxed_str()),
                    kind: Kind::Choice(PolicySpec::KINDS),
                    unit: "",
                    default: PolicySpec::default().kind(),
                    range: None,
                    doc: "allocation policy; its parameters follow",
                    label: "Allocation policy",
                    uncertain: false,
                    calendar: false,
                });
                $(
                    let mut own = Vec::new();
                    <$ty as Node>::catalogue(prefix, &mut own);
                    merge_kind(out, first + 1, stringify!($module), own);
                )*
            }

            fn real_at(&mut self, path: &[Seg]) -> Option<&mut f64> {
                match self {
                    $( PolicySpec::$ty(p) => p.real_at(path), )*
                }
            }
        }
    };
}

policies! {
    /// A constant training fraction.
    fixed::Fixed,
    /// Serve last month's demand first, within bounds.
    serve_first::ServeFirst,
    /// Train less while leading, more while behind.
    leader_harvest::LeaderHarvest,
    /// Training fraction a logistic function of the lead.
    gap_response::GapResponse,
    /// A piecewise-constant script over calendar months.
    schedule::Schedule,
    /// Train until a training GPU's marginal value equals a serving GPU's.
    value_based::ValueBased,
}

pub use schedule::SchedulePoint;

impl Default for PolicySpec {
    fn default() -> Self {
        PolicySpec::Fixed(Fixed::default())
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
        customers: 0.0,
        beta: 1.0,
        elo_per_decade: 100.0,
        eta: 0.0,
        run_months: 12,
    }
}
