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

/// Lab ids that name rows of the outputs that are not labs, refused as lab ids in any
/// letter case: `all` labels the world-level rows of `bands.csv`, and `open` is kept for
/// the open-weight option, the one non-lab supplier of models.
pub const RESERVED_IDS: &[&str] = &["all", "open"];

declare! {
    /// A whole scenario file.
    pub struct ScenarioFile {
        pub name: String => required {
            doc: "scenario name; also the default output folder (letters, digits, - and _)",
            label: "Scenario name",
            kind: Kind::Id,
        },
        pub description: String = String::new() => param {
            doc: "one paragraph: the question the scenario asks",
            label: "Description",
        },
        pub start: String = "2023-01".into() => param {
            doc: "calendar label of month 0, used on charts",
            label: "Start month",
            kind: Kind::Month,
        },
        pub months: u32 = 120 => param {
            doc: "horizon: number of monthly steps",
            label: "Horizon",
            unit: "months",
            range: closed(1.0, 1200.0),
        },
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
        pub algo_progress: f64 = 3.0 => param {
            doc: "algorithmic efficiency multiplier A(t) = algo_progress^(t/12), shared by all labs",
            label: "Algorithmic progress",
            unit: "x per year",
            range: closed(1.0, 100.0),
            calendar: true,
        },
        pub flop_per_h100e_month: f64 = 1e21 => param {
            doc: "useful training FLOP delivered by one H100e in one month",
            label: "Training FLOP per GPU-month",
            unit: "FLOP",
            range: closed(1e15, 1e25),
        },
        pub q0: f64 = 1250.0 => param {
            doc: "quality Q(e0) of a model trained with e0 effective FLOP",
            label: "Reference quality",
            unit: "Elo",
            range: closed(-5000.0, 10000.0),
        },
        pub e0: f64 = 2e25 => param {
            doc: "reference effective compute for q0 (GPT-4 was about 2e25 FLOP)",
            label: "Reference training compute",
            unit: "FLOP",
            range: closed(1e10, 1e40),
        },
        pub elo_per_decade: f64 = 90.0 => param {
            doc: "quality gained per 10x effective training compute",
            label: "Quality per 10x compute",
            unit: "Elo per 10x",
            range: above(0.0, 1000.0),
        },
        pub release_sigma: f64 = 15.0 => param {
            doc: "standard deviation of research luck added to a candidate model",
            label: "Research luck per release",
            unit: "Elo",
            range: closed(0.0, 500.0),
        },
        pub release_delay_max: u32 = 0 => param {
            doc: "a run's release slips by a uniform random 0..=max months",
            label: "Longest release slip",
            unit: "months",
            range: closed(0.0, 24.0),
        },
        pub delay_trains: bool = false => param {
            doc: "whether a slipped release keeps adding compute to its run (the first-generation rule); by default the slipped months train the next run",
            label: "Delayed releases keep training",
        },
    }
}

declare! {
    /// Self-improvement and catch-up spillover.
    pub struct Dynamics {
        pub kappa: f64 = 0.0 => param {
            doc: "relative self-improvement: a lead over the field's mean worth 10^x compute speeds research by 10^(kappa x)",
            label: "Self-improvement exponent κ (0 = none)",
            range: closed(0.0, 5.0),
        },
        pub kappa_abs: f64 = 0.1 => param {
            doc: "absolute self-improvement: each decade of effective compute a lab's own model is above q0 adds this to its research speed",
            label: "Absolute self-improvement κ_abs (per decade of compute)",
            unit: "per 10x",
            range: closed(0.0, 10.0),
        },
        pub research_cap: f64 = 10.0 => param {
            doc: "upper limit of the self-improvement multiplier R",
            label: "Self-improvement cap",
            unit: "x",
            range: closed(1.0, 1e6),
        },
        pub phi: f64 = 0.0 => param {
            doc: "catch-up spillover: fraction of its gap a laggard gets for free, in compute terms",
            label: "Catch-up spillover φ (share of the gap; 0 = none)",
            range: PROB,
        },
        pub carry_over: f64 = 0.3 => param {
            doc: "a new training run starts with this fraction of the previous run's effective compute (continued pre-training, distillation)",
            label: "Compute carried into the next run",
            range: closed(0.0, 0.95),
        },
    }
}

declare! {
    /// Demand for inference.
    pub struct Demand {
        pub d0: f64 = 100_000.0 => param {
            doc: "total inference demand in month 0 (at least 1: less is no market at this scale)",
            label: "Initial inference demand",
            unit: "H100e-months",
            range: closed(1.0, 1e12),
        },
        pub growth: f64 = 2.0 => param {
            doc: "exogenous demand growth",
            label: "Demand growth",
            unit: "x per year",
            range: closed(0.01, 100.0),
            calendar: true,
        },
        pub eta: f64 = 0.5 => param {
            doc: "demand elasticity to frontier quality: D scales by exp(eta * gain / 100)",
            label: "Demand response to quality",
            unit: "per 100 Elo",
            range: closed(0.0, 10.0),
        },
        pub shock_sigma: f64 = 0.1 => param {
            doc: "standard deviation of the mean-one lognormal demand shock",
            label: "Demand shock size",
            unit: "log units",
            range: closed(0.0, 2.0),
        },
        pub shock_rho: f64 = 0.8 => param {
            doc: "month-to-month autocorrelation of the demand shock (AR(1))",
            label: "Demand shock persistence (autocorrelation)",
            range: below(0.0, 1.0),
        },
    }
}

declare! {
    /// Customer choice and serving.
    pub struct Market {
        pub beta: f64 = 1.0 => param {
            doc: "quality sensitivity of customers; 1 = Elo odds, >1 = herding to the best model",
            label: "Customer sensitivity to quality β (1 = Elo odds)",
            range: closed(0.0, 50.0),
        },
        pub switching: f64 = 0.3 => param {
            doc: "fraction of the gap to desired shares that customers close each month (1 = no inertia)",
            label: "Customer switching speed",
            unit: "per month",
            range: PROB,
        },
        pub overflow_loss: f64 = 0.5 => param {
            doc: "fraction of demand a saturated lab cannot serve that waits instead of going elsewhere",
            label: "Share of unserved demand that waits",
            range: PROB,
        },
        pub churn_unserved: f64 = 0.5 => param {
            doc: "fraction of a lab's unserved demand whose customers leave it for other labs",
            label: "Churn of unserved customers",
            range: PROB,
        },
        pub price_decline: f64 = 0.3 => param {
            doc: "annual fall of every lab's list price and of the reference price (commoditisation)",
            label: "Annual fall in serving prices",
            unit: "per year",
            range: below(0.0, 1.0),
            calendar: true,
        },
        pub price_sensitivity: f64 = 1.0 => param {
            doc: "customers' utility falls by this times ln(price / reference price)",
            label: "Customers' price sensitivity",
            range: closed(0.0, 20.0),
        },
        pub price_response: f64 = 1.0 => param {
            doc: "a lab's target price is its list price times its utilisation (own demand / capacity) to this power",
            label: "Serving price response to utilisation",
            range: closed(0.0, 10.0),
        },
        pub price_adjustment: f64 = 0.2 => param {
            doc: "fraction of the way (in logs) a price moves to its target each month",
            label: "Monthly adjustment of serving prices",
            unit: "per month",
            range: PROB,
        },
        pub price_cap: f64 = 3.0 => param {
            doc: "a lab's price is at most this multiple of its list price (and at least its marginal serving cost)",
            label: "Serving price cap (multiple of the reference)",
            unit: "x",
            range: closed(1.0, 100.0),
        },
        pub infer_elasticity: f64 = 0.3 => param {
            doc: "inference-time compute: serving a unit of demand takes 10^(x (q - q_mean) / elo_per_decade) times the GPUs, within 0.1-10x",
            label: "Inference compute per query against quality",
            unit: "per 10x",
            range: closed(0.0, 3.0),
        },
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
        pub price: f64 = 30_000.0 => param {
            doc: "all-in base price of one H100e in month 0 (at least 1 USD: a cheaper GPU is meaningless and its later prices underflow)",
            label: "GPU price",
            unit: "USD per H100e",
            range: closed(1.0, 1e8),
            calendar: true,
        },
        pub price_halving_months: f64 = 30.0 => param {
            doc: "the GPU price per H100e halves every this many months (at least 3, a 16-fold fall a year: faster has no precedent and underflows over long horizons)",
            label: "GPU price halving time",
            unit: "months",
            range: closed(3.0, 1e6),
            calendar: true,
        },
        pub supply: f64 = 50_000.0 => param {
            doc: "GPUs the labs together can receive per month at month 0 (at least 1: less is no market)",
            label: "GPU supply",
            unit: "H100e per month",
            range: closed(1.0, 1e10),
            calendar: true,
        },
        pub supply_growth: f64 = 3.0 => param {
            doc: "growth of the supply cap at month 0",
            label: "GPU supply growth",
            unit: "x per year",
            range: closed(0.01, 100.0),
            calendar: true,
        },
        pub supply_growth_long: f64 = 1.3 => param {
            doc: "long-run growth of the supply cap, which supply_growth approaches (in logs, by half every supply_halflife years)",
            label: "Long-run GPU supply growth",
            unit: "x per year",
            range: closed(0.01, 100.0),
            calendar: true,
        },
        pub supply_halflife: f64 = 3.0 => param {
            doc: "years for the excess of supply growth over its long-run rate to halve (in logs)",
            label: "Half-life of excess supply growth",
            unit: "years",
            range: closed(0.1, 1000.0),
            calendar: true,
        },
        pub price_response: f64 = 0.5 => param {
            doc: "when orders at the base price exceed supply, the GPU price rises by (orders / supply) to this power (1: clears the market; 0: rationing only)",
            label: "GPU price response to scarcity",
            range: closed(0.0, 3.0),
        },
        pub rationing: Rationing = Rationing::Orders => param {
            doc: "how scarce supply is split: pro rata to orders (money talks) or to fleet (contracts)",
            label: "Rationing of scarce GPUs",
        },
        pub build_lag: u32 = 3 => param {
            doc: "months from payment to GPUs online (1 = next month)",
            label: "GPU delivery lag",
            unit: "months",
            range: closed(1.0, 60.0),
        },
        pub life_months: f64 = 60.0 => param {
            doc: "GPUs depreciate at 1/life_months of the fleet per month",
            label: "GPU lifetime",
            unit: "months",
            range: closed(1.0, 1200.0),
        },
        pub opex_per_h100e: f64 = 400.0 => param {
            doc: "running cost of one powered H100e of month-0 hardware (electricity, hosting, staff); newer GPUs cost less in proportion to their power",
            label: "GPU running cost",
            unit: "USD per month",
            range: closed(0.0, 1e6),
        },
        pub wave_from: String = String::new() => param {
            doc: "first calendar month of a supply wave; empty (the default) for none",
            label: "Supply wave start",
            kind: Kind::OptionalMonth,
        },
        pub wave_multiplier: f64 = 1.0 => param {
            doc: "from wave_from on, the supply cap is multiplied by this",
            label: "Supply wave multiplier",
            unit: "x",
            range: closed(1.0, 1e6),
            calendar: true,
        },
    }
}

declare! {
    /// The open-weight outside option.
    pub struct OpenWeights {
        pub enabled: bool = false => param {
            doc: "whether an open-weight model competes for customers",
            label: "Open-weight model competes",
        },
        pub lag: u32 = 6 => param {
            doc: "the open model matches the frontier of this many months ago...",
            label: "Open-weight lag behind the frontier",
            unit: "months",
            range: closed(0.0, 600.0),
        },
        pub gap: f64 = 30.0 => param {
            doc: "...minus this many points",
            label: "Open-weight quality gap",
            unit: "Elo",
            range: closed(-1000.0, 5000.0),
        },
        pub brand: f64 = 0.0 => param {
            doc: "utility bonus of the open option (negative: harder to use)",
            label: "Open-weight brand bonus",
            unit: "utility",
            range: closed(-50.0, 50.0),
        },
    }
}

declare! {
    /// How leadership is measured. These define the measures rather than the world, so
    /// they may not be distributions.
    pub struct Leadership {
        pub lead_margin: f64 = 10.0 => param {
            doc: "a challenger takes the quality lead only by beating the incumbent by this much (about leaderboard noise)",
            label: "Margin to take the quality lead",
            unit: "Elo",
            range: closed(0.0, 1000.0),
            uncertain: false,
        },
        pub share_margin: f64 = 0.01 => param {
            doc: "a challenger takes the market lead only by this much more customer share",
            label: "Margin to take the market lead",
            unit: "share",
            range: PROB,
            uncertain: false,
        },
        pub persistence_months: u32 = 24 => param {
            doc: "horizon of persistence: P(leader at m still leads at m + this)",
            label: "Persistence horizon",
            unit: "months",
            range: closed(1.0, 1200.0),
        },
    }
}

declare! {
    /// One lab as written. `None` fields are derived during validation.
    pub struct Lab {
        pub id: String => required {
            doc: "short unique id (letters, digits, - and _; not all or open, which name other rows of the outputs), used by --set labs.<id>...; required",
            label: "Lab id",
            kind: Kind::Id,
        },
        pub name: Option<String> => param {
            doc: "display name; defaults to the id",
            label: "Lab name",
        },
        pub color: Option<String> => param {
            doc: "chart colour; defaults to the Okabe-Ito palette in lab order",
            label: "Chart colour",
            kind: Kind::Color,
        },
        pub fleet: f64 = 100_000.0 => param {
            doc: "GPUs online in month 0 (at least 1: a lab with less has no fleet to split)",
            label: "Initial GPU fleet",
            unit: "H100e",
            range: closed(1.0, 1e12),
        },
        pub cash: f64 = 1e9 => param {
            doc: "cash in month 0",
            label: "Initial cash",
            unit: "USD",
            range: closed(-1e15, 1e15),
        },
        pub quality: Option<f64> => param {
            doc: "quality of the model deployed in month 0; defaults to world.algorithms.q0",
            label: "Initial model quality",
            unit: "Elo",
            range: closed(-5000.0, 10000.0),
        },
        pub customers: Option<f64> => param {
            doc: "customer share in month 0; defaults to an equal split",
            label: "Initial customer share",
            unit: "share",
            range: PROB,
        },
        pub run_months: u32 = 6 => param {
            doc: "planned length of a training run",
            label: "Training run length",
            unit: "months",
            range: closed(1.0, 120.0),
        },
        pub run_by: RunBy = RunBy::Months => param {
            doc: "a run ends after run_months (months) or when its effective compute reaches its target (target: GPUs diverted to serving delay the release)",
            label: "Training runs end by",
        },
        pub target_share: f64 = 0.7 => param {
            doc: "for runs by target size: the target is what this share of the powered fleet would train over run_months",
            label: "Share of the fleet a run's target assumes",
            range: PROB,
        },
        pub first_release: Option<u32> => param {
            doc: "months until the first release (1 = in month 0); defaults to run_months; at most run_months",
            label: "First release",
            unit: "months",
            range: closed(1.0, 120.0),
        },
        pub research_efficiency: f64 = 1.0 => param {
            doc: "talent, data and methods: multiplier on effective training compute (at least 0.001: a lab a thousand times behind the reference does not compete)",
            label: "Research efficiency",
            unit: "x",
            range: closed(1e-3, 1000.0),
        },
        pub price: f64 = 3000.0 => param {
            doc: "list price of one H100e-month of serving in month 0; the labs' mean is the market's reference price",
            label: "Serving price",
            unit: "USD per H100e-month",
            range: closed(0.0, 1e7),
            calendar: true,
        },
        pub serving_efficiency: f64 = 1.0 => param {
            doc: "demand served per inference H100e, in H100e-months of demand (at least 0.001: below that a lab serves no one)",
            label: "Serving efficiency",
            unit: "x",
            range: closed(1e-3, 1000.0),
        },
        pub brand: f64 = 0.0 => param {
            doc: "utility bonus: distribution, integrations, the plumbing moat",
            label: "Brand bonus",
            unit: "utility",
            range: closed(-50.0, 50.0),
        },
        pub funding: f64 = 0.0 => param {
            doc: "outside capital received in month 0: sets the lab's month-0 share of the investors' pool (or its schedule, when pinned)",
            label: "Outside funding",
            unit: "USD per month",
            range: closed(0.0, 1e13),
            calendar: true,
        },
        pub funding_pinned: bool = false => param {
            doc: "the lab receives funding * funding_growth^(t/12), a schedule for stories, instead of a share of the investors' pool",
            label: "Funding on a fixed schedule",
        },
        pub funding_growth: f64 = 1.0 => param {
            doc: "growth of a pinned lab's funding (for an unpinned lab, only read to derive world.investors.pool_growth when that is not given)",
            label: "Outside funding growth",
            unit: "x per year",
            range: closed(0.01, 100.0),
            calendar: true,
        },
        pub reinvest: f64 = 0.5 => param {
            doc: "fraction of positive cash spent on data-centre power and GPUs each month",
            label: "Share of cash spent on GPUs",
            unit: "per month",
            range: PROB,
        },
        pub power: Option<f64> => param {
            doc: "data-centre power online at month 0; by default what the month-0 fleet draws plus world.power.headroom",
            label: "Data-centre power at month 0",
            unit: "GW",
            range: closed(0.0, 1e6),
        },
        /// Allocation policy.
        pub policy: PolicySpec => group,
    }
}
