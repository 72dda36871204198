//! The scenario file as written, declared once: each parameter's type, default, unit,
//! range and meaning sit together here (see [`super::decl`] for the notation), and the
//! serde structs, their defaults and the catalogue [`super::params::PARAMS`] are
//! generated from them. The policies' parameters are declared in their own files in
//! `src/policy/`.
//!
//! Only `name` and a lab's `id` are required, so a minimal file is short. Unknown keys are
//! refused. These structs carry no guarantees; [`super::Scenario`] is the validated form
//! the engine accepts.

use super::decl::{PROB, above, below, choice, closed, declare};
pub use super::economy::{Investors, Power};
use super::params::Kind;
use crate::policy::PolicySpec;

/// Lab ids that name rows or cells of the outputs that are not labs, refused as lab ids in
/// any letter case: `all` labels the world-level rows of `bands.csv`, `open` is kept for
/// the open-weight option, the one non-lab supplier of models, and `NA` is a final leader
/// in `runs.csv` when no lab ever led.
pub const RESERVED_IDS: &[&str] = &["all", "open", "NA"];

declare! {
    /// A whole scenario file.
    pub struct ScenarioFile {
        /// scenario name; also the default output folder (letters, digits, - and _)
        pub name: String => required { label: "Scenario name", kind: Kind::Id },
        /// one paragraph: the question the scenario asks
        pub description: String = String::new() => param { label: "Description" },
        /// calendar label of month 0, used on charts
        pub start: String = "2023-01".into() => param { label: "Start month", kind: Kind::Month },
        /// horizon: number of monthly steps
        pub months: u32 = 120 => param { label: "Horizon", unit: "months", range: closed(1.0, 1200.0) },
        /// World-level parameters.
        pub world: World => group,
        /// The labs.
        pub labs: Vec<Lab> => group,
    }
}

declare! {
    /// World-level parameters, grouped as in the file.
    pub struct World {
        /// Algorithms and the quality curve.
        pub algorithms: Algorithms => group,
        /// Self-improvement and spillover.
        pub dynamics: Dynamics => group,
        /// Demand for inference.
        pub demand: Demand => group,
        /// Customer choice and serving.
        pub market: Market => group,
        /// The GPU market.
        pub gpus: Gpus => group,
        /// Data-centre power.
        pub power: Power => group,
        /// Investors and world output.
        pub investors: Investors => group,
        /// The open-weight outside option.
        pub open_weights: OpenWeights => group,
        /// How leadership is measured.
        pub leadership: Leadership => group,
    }
}

declare! {
    /// Algorithms and the quality curve.
    pub struct Algorithms {
        /// algorithmic efficiency multiplier A(t) = algo_progress^(t/12), shared by all labs
        pub algo_progress: f64 = 3.0 => param { label: "Algorithmic progress", unit: "x per year", range: closed(1.0, 100.0), calendar: true },
        /// useful training FLOP delivered by one H100e in one month
        pub flop_per_h100e_month: f64 = 1e21 => param { label: "Training FLOP per GPU-month", unit: "FLOP", range: closed(1e15, 1e25) },
        /// quality Q(e0) of a model trained with e0 effective FLOP
        pub q0: f64 = 1250.0 => param { label: "Reference quality", unit: "Elo", range: closed(-5000.0, 10000.0) },
        /// reference effective compute for q0 (GPT-4 was about 2e25 FLOP)
        pub e0: f64 = 2e25 => param { label: "Reference training compute", unit: "FLOP", range: closed(1e10, 1e40) },
        /// quality gained per 10x effective training compute
        pub elo_per_decade: f64 = 90.0 => param { label: "Quality per 10x compute", unit: "Elo per 10x", range: above(0.0, 1000.0) },
        /// standard deviation of research luck added to a candidate model
        pub release_sigma: f64 = 15.0 => param { label: "Research luck per release", unit: "Elo", range: closed(0.0, 500.0) },
        /// a run's release slips by a uniform random 0..=max months
        pub release_delay_max: u32 = 0 => param { label: "Longest release slip", unit: "months", range: closed(0.0, 24.0) },
        /// whether a slipped release keeps adding compute to its run (the first-generation rule);
        /// by default the slipped months train the next run
        pub delay_trains: bool = false => param { label: "Delayed releases keep training" },
    }
}

declare! {
    /// Self-improvement and catch-up spillover.
    pub struct Dynamics {
        /// relative self-improvement: a lead over the field's mean worth 10^x compute speeds
        /// research by 10^(kappa x)
        pub kappa: f64 = 0.0 => param { label: "Self-improvement exponent κ (0 = none)", range: closed(0.0, 5.0) },
        /// absolute self-improvement: each decade of effective compute a lab's own model is above
        /// q0 adds this to its research speed
        pub kappa_abs: f64 = 0.1 => param { label: "Absolute self-improvement κ_abs (per decade of compute)", unit: "per 10x", range: closed(0.0, 10.0) },
        /// upper limit of the self-improvement multiplier R
        pub research_cap: f64 = 10.0 => param { label: "Self-improvement cap", unit: "x", range: closed(1.0, 1e6) },
        /// catch-up spillover: fraction of its gap a laggard gets for free, in compute terms
        pub phi: f64 = 0.0 => param { label: "Catch-up spillover φ (share of the gap; 0 = none)", range: PROB },
        /// a new training run starts with this fraction of the effective compute the deployed
        /// model stands for on the quality curve (continued pre-training, distillation)
        pub carry_over: f64 = 0.3 => param { label: "Compute carried into the next run", range: closed(0.0, 0.95) },
    }
}

declare! {
    /// Demand for inference.
    pub struct Demand {
        /// total inference demand in month 0 (at least 1: less is no market at this scale)
        pub d0: f64 = 100_000.0 => param { label: "Initial inference demand", unit: "H100e-months", range: closed(1.0, 1e12) },
        /// exogenous demand growth (in month 0, when growth_long is given)
        pub growth: f64 = 2.0 => param { label: "Demand growth", unit: "x per year", range: closed(0.01, 100.0), calendar: true },
        /// long-run demand growth, which growth approaches (in logs, by half every
        /// growth_halflife years) as adoption matures (above growth, demand accelerates
        /// toward it); absent: demand grows at growth throughout
        pub growth_long: Option<f64> => param { label: "Long-run demand growth", unit: "x per year", range: closed(0.01, 100.0), calendar: true },
        /// years for the excess of demand growth over growth_long to halve (in logs; it
        /// has no effect without growth_long, so any value but the default 3 is refused
        /// without it)
        pub growth_halflife: f64 = 3.0 => param { label: "Half-life of excess demand growth", unit: "years", range: closed(0.1, 1000.0), calendar: true },
        /// demand elasticity to frontier quality: D scales by exp(eta * gain / 100)
        pub eta: f64 = 0.5 => param { label: "Demand response to quality", unit: "per 100 Elo", range: closed(0.0, 10.0) },
        /// total demand scales by (customers' mean price / reference price, the labs' mean
        /// list price)^-price_elasticity:
        /// customers buy less inference when it costs more (0: total demand ignores price;
        /// the labs' shares still respond to it through price_sensitivity)
        pub price_elasticity: f64 = 0.0 => param { label: "Demand response to price", range: closed(0.0, 5.0) },
        /// standard deviation of the mean-one lognormal demand shock
        pub shock_sigma: f64 = 0.1 => param { label: "Demand shock size", unit: "log units", range: closed(0.0, 2.0) },
        /// month-to-month autocorrelation of the demand shock (AR(1))
        pub shock_rho: f64 = 0.8 => param { label: "Demand shock persistence (autocorrelation)", range: below(0.0, 1.0) },
    }
}

declare! {
    /// Customer choice and serving.
    pub struct Market {
        /// quality sensitivity of customers; 1 = Elo odds, >1 = herding to the best model
        pub beta: f64 = 1.0 => param { label: "Customer sensitivity to quality β (1 = Elo odds)", range: closed(0.0, 50.0) },
        /// fraction of the gap to desired shares that customers close each month (1 = no inertia)
        pub switching: f64 = 0.3 => param { label: "Customer switching speed", unit: "per month", range: PROB },
        /// fraction of the overflow (demand a saturated lab cannot serve) that waits for the model
        /// it wanted, unserved this month, instead of going to a second choice
        pub overflow_loss: f64 = 0.5 => param { label: "Share of overflow that waits for its model", range: PROB },
        /// churn of spilled demand (customers who looked for a second choice and found no
        /// spare capacity): a lab loses this times its spilled share of all demand each month
        pub churn_unserved: f64 = 0.5 => param { label: "Churn of unserved customers", range: PROB },
        /// annual fall of every lab's list price and of the reference price (commoditisation)
        pub price_decline: f64 = 0.3 => param { label: "Annual fall in serving prices", unit: "per year", range: below(0.0, 1.0), calendar: true },
        /// customers' utility falls by this times ln(price / reference price)
        pub price_sensitivity: f64 = 1.0 => param { label: "Customers' price sensitivity", range: closed(0.0, 20.0) },
        /// a lab's target price is its list price times its utilisation ((own demand + overflow
        /// taken in) / capacity, last month) to this power
        pub price_response: f64 = 1.0 => param { label: "Serving price response to utilisation", range: closed(0.0, 10.0) },
        /// fraction of the way (in logs) a price moves to its target each month
        pub price_adjustment: f64 = 0.2 => param { label: "Monthly adjustment of serving prices", unit: "per month", range: PROB },
        /// a lab's price is at most this multiple of its list price (and at least its marginal
        /// serving cost)
        pub price_cap: f64 = 3.0 => param { label: "Serving price cap (multiple of the lab's list price)", unit: "x", range: closed(1.0, 100.0) },
        /// inference-time compute: serving a unit of demand takes 10^(x (q - q_ref) /
        /// elo_per_decade) times the GPUs, within 0.1-10x, q_ref the deployed models' mean
        /// (or infer_reference_growth's reference)
        pub infer_elasticity: f64 = 0.3 => param { label: "Inference compute per query against quality", unit: "per 10x", range: closed(0.0, 3.0) },
        /// when given, inference-time compute is measured against an exogenous reference
        /// quality, not the deployed models' mean: the labs' month-0 mean quality rising
        /// this many Elo a year (inference efficiency improving at a steady pace;
        /// typically the scenario's frontier pace: 65-111 Elo a year in baseline, run,
        /// race and frontier-2023), so a lab's serving cost moves when it ships and as the
        /// reference rises, never when a rival ships; absent: the deployed models' mean
        pub infer_reference_growth: Option<f64> => param { label: "Growth of the serving-cost reference quality", unit: "Elo per year", range: closed(0.0, 10000.0), calendar: true },
        /// how much of a model's inference compute its price per unit of demand carries: a
        /// lab's list price (and with it its price cap and its price in customers' eyes) is
        /// multiplied by its serving cost to this power, so customers pay for a better
        /// model's longer thinking; 0: a unit costs the lab's list price whatever its model.
        /// Above beta * elo_per_decade / (400 * price_sensitivity * infer_elasticity)
        /// (0.75 with the defaults) a better model costs customers more than it is worth
        /// to them
        pub infer_pass_through: f64 = 0.0 => param { label: "Pass-through of inference compute to prices", range: PROB },
    }
}

choice! {
    /// How a training run ends.
    pub enum RunBy {
        /// After its planned months.
        Months = "months",
        /// When its effective compute reaches its target.
        Target = "target",
    }
}

choice! {
    /// How scarce supply is split between labs.
    pub enum Rationing {
        /// Pro rata to what each lab orders.
        Orders = "orders",
        /// Pro rata to fleet size.
        Fleet = "fleet",
    }
}

declare! {
    /// The GPU market.
    pub struct Gpus {
        /// all-in base price of one H100e in month 0 (at least 1 USD: a cheaper GPU is meaningless
        /// and its later prices underflow)
        pub price: f64 = 30_000.0 => param { label: "GPU price", unit: "USD per H100e", range: closed(1.0, 1e8), calendar: true },
        /// the GPU price per H100e halves every this many months (at least 3, a 16-fold fall a
        /// year: faster has no precedent and underflows over long horizons)
        pub price_halving_months: f64 = 30.0 => param { label: "GPU price halving time", unit: "months", range: closed(3.0, 1e6), calendar: true },
        /// GPUs the labs together can receive per month at month 0 (at least 1: less is no market)
        pub supply: f64 = 50_000.0 => param { label: "GPU supply", unit: "H100e per month", range: closed(1.0, 1e10), calendar: true },
        /// growth of the supply cap at month 0
        pub supply_growth: f64 = 3.0 => param { label: "GPU supply growth", unit: "x per year", range: closed(0.01, 100.0), calendar: true },
        /// long-run growth of the supply cap, which supply_growth approaches (in logs, by half
        /// every supply_halflife years)
        pub supply_growth_long: f64 = 1.3 => param { label: "Long-run GPU supply growth", unit: "x per year", range: closed(0.01, 100.0), calendar: true },
        /// years for the excess of supply growth over its long-run rate to halve (in logs)
        pub supply_halflife: f64 = 3.0 => param { label: "Half-life of excess supply growth", unit: "years", range: closed(0.1, 1000.0), calendar: true },
        /// when orders at the base price exceed supply, the GPU price rises by (orders / supply) to
        /// this power (1: clears the market when budgets limit every order; 0: rationing only)
        pub price_response: f64 = 0.5 => param { label: "GPU price response to scarcity", range: closed(0.0, 3.0) },
        /// how scarce supply is split: pro rata to orders (money talks) or to fleet (contracts)
        pub rationing: Rationing = Rationing::Orders => param { label: "Rationing of scarce GPUs" },
        /// months from payment to GPUs online (1 = next month)
        pub build_lag: u32 = 3 => param { label: "GPU delivery lag", unit: "months", range: closed(1.0, 60.0) },
        /// GPUs depreciate at 1/life_months of the fleet per month
        pub life_months: f64 = 60.0 => param { label: "GPU lifetime", unit: "months", range: closed(1.0, 1200.0) },
        /// running cost of one powered H100e of month-0 hardware (electricity, hosting, staff);
        /// newer GPUs cost less in proportion to their power
        pub opex_per_h100e: f64 = 400.0 => param { label: "GPU running cost", unit: "USD per month", range: closed(0.0, 1e6) },
        /// first calendar month of a supply wave; empty (the default) for none
        pub wave_from: String = String::new() => param { label: "Supply wave start", kind: Kind::OptionalMonth },
        /// from wave_from on, the supply cap is multiplied by this (refused other than 1
        /// without a wave_from)
        pub wave_multiplier: f64 = 1.0 => param { label: "Supply wave multiplier", unit: "x", range: closed(1.0, 1e6), calendar: true },
    }
}

declare! {
    /// The open-weight outside option.
    pub struct OpenWeights {
        /// whether an open-weight model competes for customers
        pub enabled: bool = false => param { label: "Open-weight model competes" },
        /// the open model matches the frontier of this many months ago...
        pub lag: u32 = 6 => param { label: "Open-weight lag behind the frontier", unit: "months", range: closed(0.0, 600.0) },
        /// ...minus this many points
        pub gap: f64 = 30.0 => param { label: "Open-weight quality gap", unit: "Elo", range: closed(-1000.0, 5000.0) },
        /// utility bonus of the open option (negative: harder to use)
        pub brand: f64 = 0.0 => param { label: "Open-weight brand bonus", unit: "utility", range: closed(-50.0, 50.0) },
    }
}

declare! {
    /// How leadership is measured. These define the measures rather than the world, so
    /// they may not be distributions.
    pub struct Leadership {
        /// a challenger takes the quality lead only by beating the incumbent by this much (about
        /// leaderboard noise)
        pub lead_margin: f64 = 10.0 => param { label: "Margin to take the quality lead", unit: "Elo", range: closed(0.0, 1000.0), uncertain: false },
        /// a challenger takes the market lead only by this much more customer share
        pub share_margin: f64 = 0.01 => param { label: "Margin to take the market lead", unit: "share", range: PROB, uncertain: false },
        /// horizon of persistence: P(leader at m still leads at m + this)
        pub persistence_months: u32 = 24 => param { label: "Persistence horizon", unit: "months", range: closed(1.0, 1200.0) },
    }
}

declare! {
    /// One lab as written. `None` fields are derived during validation.
    pub struct Lab {
        /// short unique id (letters, digits, - and _; not all or open, which name other rows of the
        /// outputs), used by --set labs.<id>...; required
        pub id: String => required { label: "Lab id", kind: Kind::Id },
        /// display name; defaults to the id
        pub name: Option<String> => param { label: "Lab name" },
        /// chart colour; defaults to the Okabe-Ito palette in lab order
        pub color: Option<String> => param { label: "Chart colour", kind: Kind::Color },
        /// GPUs online in month 0 (at least 1: a lab with less has no fleet to split)
        pub fleet: f64 = 100_000.0 => param { label: "Initial GPU fleet", unit: "H100e", range: closed(1.0, 1e12) },
        /// cash in month 0
        pub cash: f64 = 1e9 => param { label: "Initial cash", unit: "USD", range: closed(-1e15, 1e15) },
        /// quality of the model deployed in month 0; defaults to world.algorithms.q0
        pub quality: Option<f64> => param { label: "Initial model quality", unit: "Elo", range: closed(-5000.0, 10000.0) },
        /// customer share in month 0; defaults to an equal split
        pub customers: Option<f64> => param { label: "Initial customer share", unit: "share", range: PROB },
        /// planned length of a training run
        pub run_months: u32 = 6 => param { label: "Training run length", unit: "months", range: closed(1.0, 120.0) },
        /// a run ends after run_months (months) or when its effective compute reaches its target
        /// (target: GPUs diverted to serving delay the release)
        pub run_by: RunBy = RunBy::Months => param { label: "Training runs end by" },
        /// for runs by target size: the target is what this share of the powered fleet would train
        /// over run_months
        pub target_share: f64 = 0.7 => param { label: "Share of the fleet a run's target assumes", range: PROB },
        /// months until the first release (1 = in month 0); defaults to run_months; at most
        /// run_months
        pub first_release: Option<u32> => param { label: "First release", unit: "months", range: closed(1.0, 120.0) },
        /// talent, data and methods: multiplier on effective training compute (at least 0.001: a
        /// lab a thousand times behind the reference does not compete)
        pub research_efficiency: f64 = 1.0 => param { label: "Research efficiency", unit: "x", range: closed(1e-3, 1000.0) },
        /// list price of one H100e-month of serving in month 0; the labs' mean is the market's
        /// reference price
        pub price: f64 = 3000.0 => param { label: "Serving price", unit: "USD per H100e-month", range: closed(0.0, 1e7), calendar: true },
        /// demand served per inference H100e, in H100e-months of demand (at least 0.001: below that
        /// a lab serves no one)
        pub serving_efficiency: f64 = 1.0 => param { label: "Serving efficiency", unit: "x", range: closed(1e-3, 1000.0) },
        /// utility bonus: distribution, integrations, the plumbing moat
        pub brand: f64 = 0.0 => param { label: "Brand bonus", unit: "utility", range: closed(-50.0, 50.0) },
        /// outside capital received in month 0: sets the lab's month-0 share of the investors' pool
        /// (or its schedule, when pinned)
        pub funding: f64 = 0.0 => param { label: "Outside funding", unit: "USD per month", range: closed(0.0, 1e13), calendar: true },
        /// the lab receives funding * funding_growth^(t/12), a schedule for stories, instead of a
        /// share of the investors' pool
        pub funding_pinned: bool = false => param { label: "Funding on a fixed schedule" },
        /// growth of a pinned lab's funding (for an unpinned lab, only read to derive
        /// world.investors.pool_growth when that is not given)
        pub funding_growth: f64 = 1.0 => param { label: "Outside funding growth", unit: "x per year", range: closed(0.01, 100.0), calendar: true },
        /// fraction of positive cash spent on data-centre power and GPUs each month
        pub reinvest: f64 = 0.5 => param { label: "Share of cash spent on power and GPUs", unit: "per month", range: PROB },
        /// data-centre power online at month 0; by default what the month-0 fleet draws plus
        /// world.power.headroom
        pub power: Option<f64> => param { label: "Data-centre power at month 0", unit: "GW", range: closed(0.0, 1e6) },
        /// Allocation policy.
        pub policy: PolicySpec => group,
    }
}
