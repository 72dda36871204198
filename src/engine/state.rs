//! The state of a run at the end of a month, as the engine keeps it and recorders see it.

use crate::model::gpus::{Counted, Pipeline};

/// One lab's state at the end of a month, with that month's flows.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LabState {
    /// GPUs online, H100e (after this month's depreciation and arrivals).
    pub fleet: f64,
    /// GPUs paid for, not yet online, by month of arrival.
    pub(crate) pipeline: Pipeline,
    /// GPUs with power this month (the rest of the fleet is idle), H100e.
    pub powered: f64,
    /// Power the whole fleet draws when running, GW (vintages: newer GPUs draw less).
    pub draw: f64,
    /// Power the GPUs in the pipeline will draw, GW, by month of arrival.
    pub(crate) draw_pipeline: Counted,
    /// Data-centre power online, GW.
    pub power: f64,
    /// Data-centre power paid for, not yet online, GW, by month of arrival.
    pub(crate) power_pipeline: Counted,
    /// Cash, USD.
    pub cash: f64,
    /// Quality of the deployed model, Elo.
    pub quality: f64,
    /// Effective compute accumulated by the run in progress, FLOP (2023-01 equivalents).
    pub run_compute: f64,
    /// Months the run in progress has lasted.
    pub run_elapsed: u32,
    /// Months the run in progress will last (planned length plus delay; for a run by
    /// target size, the most it may last).
    pub run_due: u32,
    /// Effective compute at which a run by target size ends, FLOP (0 for runs by months).
    pub run_target: f64,
    /// Effective compute already trained for the next run, FLOP: the months a release
    /// slipped past its planned length train the next run, not the slipped one.
    pub next_compute: f64,
    /// Customer share.
    pub customers: f64,
    /// Share the lab would have with no inertia.
    pub desired_share: f64,
    /// This month's training fraction.
    pub train_fraction: f64,
    /// GPUs training this month.
    pub training_gpus: f64,
    /// GPUs serving this month.
    pub inference_gpus: f64,
    /// GPUs it takes to serve one unit of demand with the deployed model (inference-time
    /// compute: better models think longer).
    pub serving_cost: f64,
    /// Demand one inference GPU serves with the deployed model, H100e-months:
    /// `serving_efficiency / serving_cost`.
    pub serving_rate: f64,
    /// The factor on the lab's list price for the inference compute its model takes,
    /// `serving_cost^infer_pass_through` (1 with no pass-through).
    pub list_factor: f64,
    /// Its natural logarithm.
    pub log_list_factor: f64,
    /// Serving capacity this month, H100e-months of demand.
    pub capacity: f64,
    /// Own customers' demand this month, H100e-months.
    pub demand: f64,
    /// Volume served this month, H100e-months.
    pub served: f64,
    /// Other labs' overflow served here.
    pub overflow_in: f64,
    /// Own customers' demand nobody served.
    pub unserved: f64,
    /// Price per H100e-month served this month, USD.
    pub price: f64,
    /// The natural log of the price over the lab's list price this month (its markup).
    pub log_markup: f64,
    /// Revenue this month, USD.
    pub revenue: f64,
    /// Scarcity rent this month: revenue above the reference price, USD.
    pub rent: f64,
    /// Trailing revenue investors look at: an exponential average with weight 1/12 on the
    /// newest month, USD per month.
    pub trailing_revenue: f64,
    /// Trailing spending investors fund a runway of: an exponential average with weight
    /// 1/12 on the newest month of running costs, GPU and power purchases, USD per month.
    pub trailing_spending: f64,
    /// The lab's share of the investors' pool (0 for a lab whose funding is pinned).
    pub invest_share: f64,
    /// Running costs this month, USD.
    pub opex: f64,
    /// Outside funding this month, USD.
    pub funding: f64,
    /// GPU purchases this month, USD.
    pub capex: f64,
    /// Data-centre power bought this month, USD.
    pub power_capex: f64,
    /// Data-centre power bought this month, GW.
    pub power_ordered: f64,
    /// Cash paid out to the lab's owners this month (dividends, buybacks), USD.
    pub payout: f64,
    /// GPUs sold to cover a deficit this month, USD received.
    pub asset_sales: f64,
    /// Consecutive months that ended with negative cash.
    pub insolvent_months: u32,
    /// GPUs ordered this month, H100e.
    pub ordered: f64,
    /// GPUs received (allocated by the supply cap) this month, H100e.
    pub received: f64,
    /// Whether a new model shipped this month.
    pub released: bool,
    /// Candidate quality of a run that finished this month (NaN when none did).
    pub candidate: f64,
    /// Releases shipped so far.
    pub releases: u32,
}

impl LabState {
    /// GPUs ordered and not yet online.
    pub fn pipeline(&self) -> f64 {
        self.pipeline.sum()
    }

    /// Data-centre power paid for and not yet online, GW.
    pub fn power_pipeline(&self) -> f64 {
        self.power_pipeline.sum()
    }

    /// Power the GPUs in the pipeline will draw, GW (as the step keeps it).
    pub(crate) fn draw_pipeline(&self) -> f64 {
        self.draw_pipeline.total()
    }

    /// Data-centre power under construction, GW (as the step keeps it).
    pub(crate) fn power_building(&self) -> f64 {
        self.power_pipeline.total()
    }
}

/// World-level state at the end of a month.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WorldState {
    /// Month index, 0-based.
    pub month: u32,
    /// Total inference demand, H100e-months.
    pub total_demand: f64,
    /// Demand shock multiplier.
    pub shock: f64,
    /// Best deployed quality, Elo.
    pub frontier: f64,
    /// Open-weight model quality, Elo (NaN when there is none).
    pub open_quality: f64,
    /// Share of customers using open weights.
    pub open_share: f64,
    /// Supply cap this month, H100e.
    pub supply: f64,
    /// GPU price this month, USD per H100e (the base price, raised when orders exceed
    /// supply).
    pub gpu_price: f64,
    /// The market's reference price of serving this month, USD per H100e-month.
    pub reference_price: f64,
    /// The investors' pool this month, USD.
    pub pool: f64,
    /// Data-centre power the labs together may add this month, GW.
    pub power_additions: f64,
}

/// The whole state, as recorders see it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct State {
    /// World-level state.
    pub world: WorldState,
    /// Per-lab state, in scenario order.
    pub labs: Vec<LabState>,
}
