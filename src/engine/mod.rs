//! One run: the monthly step loop of `docs/model.md`, in its order.
//!
//! The [`Engine`] owns the loop, the month counter and the [`State`]; policies decide,
//! the mechanics in [`crate::model`] (one file per step) move the state on, and a
//! [`Recorder`] watches each month without steering. A run draws from its own generator,
//! derived from (master seed, run index) only, so it is a pure function of (scenario,
//! seed, run).

mod calendar;
mod frozen;
mod start;
mod state;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;

pub use calendar::Calendar;
pub use frozen::Frozen;
pub use state::{LabState, State, WorldState};

use start::{Start, first_month};

use crate::model::{
    PerLab, choice, demand, gpus, investors, money, power, prices, release, serving, training,
};
use crate::policy::View;
use crate::scenario::file::World;
use crate::scenario::{Lab, Scenario};

/// The generator of run `run` under master seed `seed`: ChaCha8 seeded from the master
/// seed, on stream `run`. Portable: identical on every machine and thread count.
pub fn run_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// Watches a run month by month.
pub trait Recorder {
    /// Called at the end of every month with the state and that month's flows.
    fn record(&mut self, state: &State);
}

impl Recorder for () {
    fn record(&mut self, _state: &State) {}
}

impl<F: FnMut(&State)> Recorder for F {
    fn record(&mut self, state: &State) {
        self(state)
    }
}

/// Why a run cannot take another step.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StepError {
    /// Every month of the horizon has been simulated.
    #[error("the run is over: the scenario has {months} months")]
    Ended {
        /// The horizon.
        months: u32,
    },
    /// A number outgrew what a 64-bit float holds (about 1.8e308).
    #[error(
        "run {run}, month {month}: {quantity} of lab `{lab}` outgrows the largest number racerun \
         can hold (about 1.8e308): {parameter} = {value} compounds to {factor:.1e} by month {month}; \
         lower it or shorten `months`"
    )]
    Overflow {
        /// Run index.
        run: u64,
        /// Month index, 0-based.
        month: u32,
        /// Lab id.
        lab: String,
        /// What overflowed.
        quantity: &'static str,
        /// The parameter whose compounding drives it (catalogue path).
        parameter: &'static str,
        /// Its value.
        value: f64,
        /// What it has compounded to by this month.
        factor: f64,
    },
}

/// Reusable per-month buffers, so the step allocates nothing.
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// Deployed qualities at the start of the month.
    qualities: Vec<f64>,
    utilities: Vec<f64>,
    desired: Vec<f64>,
    multipliers: training::Multipliers,
    serving: serving::Buffers,
    gpus: gpus::Buffers,
    power: power::Buffers,
    investors: investors::Buffers,
    prices: prices::Buffers,
}

impl Scratch {
    /// Month 0's buffers for `scenario`, in the allocations already held.
    fn renew(&mut self, scenario: &Scenario) {
        let (world, n) = (&scenario.world, scenario.labs.len());
        let q0 = world.algorithms.q0;
        self.qualities.clear();
        self.qualities
            .extend(scenario.labs.iter().map(|l| l.quality.unwrap_or(q0)));
        self.utilities.reset(n);
        self.desired.reset(n);
        self.multipliers.reset(n);
        self.serving.reset(n);
        self.gpus.reset(n);
        self.power.reset(n);
        self.investors.renew(&scenario.labs);
        self.prices.renew(&scenario.labs, &world.market);
    }
}

/// What a finished run allocated, for the next run to reuse ([`Engine::run_reusing`],
/// [`Engine::reusing`]): a Monte Carlo's runs then allocate nothing. Any scenario's run
/// may reuse any other's.
#[derive(Debug, Default)]
pub struct Workspace {
    scratch: Scratch,
    labs: Vec<LabState>,
    frontier: Vec<f64>,
}

/// Simulates one run of a scenario.
pub struct Engine<'a> {
    scenario: &'a Scenario,
    calendar: Cow<'a, Calendar>,
    run: u64,
    rng: ChaCha8Rng,
    /// The next month to simulate.
    month: u32,
    state: State,
    shock: demand::Shock,
    /// Demand's factor of the frontier's gain, kept while the frontier stands.
    boost: demand::Boost,
    /// Best deployed quality at month 0.
    frontier0: f64,
    /// Mean deployed quality at month 0: where an exogenous serving-cost reference starts.
    quality0: f64,
    /// Best deployed quality by month, for the open-weight option's lag.
    frontier: Vec<f64>,
    scratch: Scratch,
    /// Running cost of GPUs per GW they draw ([`opex_per_gw`]).
    opex_per_gw: f64,
    /// Whether a model shipped last month (true before month 0): the deployed qualities
    /// have changed.
    shipped: bool,
    /// Decisions imposed instead of the labs' own (counterfactual worlds).
    frozen: Option<&'a Frozen>,
}

impl<'a> Engine<'a> {
    /// A run at month 0: labs as the scenario sets them, the run in progress already
    /// `run_months - first_release` months old ([`release::first_run`]).
    ///
    /// That run's effective compute so far is what the lab's month-0 policy would have
    /// trained with its month-0 fleet over those months ([`training::warm_start`]): the
    /// cadence starts staggered without a wasted first release.
    pub fn new(scenario: &'a Scenario, seed: u64, run: u64) -> Engine<'a> {
        Engine::with_calendar(scenario, Cow::Owned(Calendar::new(scenario)), seed, run)
    }

    /// As [`Engine::new`], with the scenario's calendar computed beforehand (for many runs).
    pub fn with_calendar(
        scenario: &'a Scenario,
        calendar: Cow<'a, Calendar>,
        seed: u64,
        run: u64,
    ) -> Engine<'a> {
        Engine::reusing(scenario, calendar, seed, run, None, Workspace::default())
    }

    /// As [`Engine::with_calendar`], with decisions imposed on the labs ([`Frozen`]), in
    /// the allocations of an earlier run ([`Engine::run_reusing`]; a default
    /// [`Workspace`] for none): the same run, the same numbers.
    pub fn reusing(
        scenario: &'a Scenario,
        calendar: Cow<'a, Calendar>,
        seed: u64,
        run: u64,
        frozen: Option<&'a Frozen>,
        workspace: Workspace,
    ) -> Engine<'a> {
        let Workspace {
            mut scratch,
            mut labs,
            mut frontier,
        } = workspace;
        let mut rng = run_rng(seed, run);
        let world = &scenario.world;
        let n = scenario.labs.len();
        let shock = demand::Shock::new(
            world.demand.shock_sigma,
            world.demand.shock_rho,
            rng.sample(StandardNormal),
        );
        scratch.renew(scenario);
        let qualities = &scratch.qualities;
        let frontier0 = qualities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let quality0 = qualities.iter().sum::<f64>() / qualities.len() as f64;
        let demand0 =
            demand::total_demand(world.demand.d0, 1.0, world.demand.eta, 0.0, shock.value());
        let fleets: f64 = scenario.labs.iter().map(|l| l.fleet).sum();
        let start = Start {
            qualities,
            quality0,
            demand0,
            invest: &scratch.investors,
            world,
            calendar: &calendar,
        };
        labs.resize_with(n, LabState::default);
        for (i, (lab, traits)) in labs.iter_mut().zip(&scenario.labs).enumerate() {
            let f0 = frozen.and_then(|f| f.train_fraction(0, n, i));
            let spare = std::mem::take(lab);
            *lab = first_month(i, traits, traits.fleet / fleets, &start, f0, spare);
        }
        start::within_past_additions(&mut labs, calendar.past_additions());
        frontier.clear();
        frontier.reserve(scenario.months as usize);
        Engine {
            scenario,
            calendar,
            run,
            rng,
            month: 0,
            state: State {
                world: WorldState {
                    frontier: frontier0,
                    ..WorldState::default()
                },
                labs,
            },
            shock,
            boost: demand::Boost::default(),
            frontier0,
            quality0,
            frontier,
            scratch,
            opex_per_gw: opex_per_gw(world),
            shipped: true,
            frozen,
        }
    }

    /// Runs every remaining month, calling `recorder` after each.
    pub fn run(mut self, recorder: &mut impl Recorder) -> Result<State, StepError> {
        self.run_months(recorder)?;
        Ok(self.state)
    }

    /// As [`Engine::run`], giving back the run's allocations for the next run
    /// ([`Engine::reusing`]) instead of its final state.
    pub fn run_reusing(
        mut self,
        recorder: &mut impl Recorder,
        workspace: &mut Workspace,
    ) -> Result<(), StepError> {
        self.run_months(recorder)?;
        *workspace = Workspace {
            scratch: self.scratch,
            labs: self.state.labs,
            frontier: self.frontier,
        };
        Ok(())
    }

    fn run_months(&mut self, recorder: &mut impl Recorder) -> Result<(), StepError> {
        while self.month < self.scenario.months {
            self.step()?;
            recorder.record(&self.state);
        }
        Ok(())
    }

    /// The current state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The next month to simulate (the number of months simulated so far).
    pub fn month(&self) -> u32 {
        self.month
    }

    /// Simulates the next month: the ten steps of the model (docs/model.md), in order.
    pub fn step(&mut self) -> Result<(), StepError> {
        let scenario = self.scenario;
        if self.month >= scenario.months {
            return Err(StepError::Ended {
                months: scenario.months,
            });
        }
        // `t` indexes the calendar, as in docs/model.md's `A[t]`.
        let (month, t) = (self.month, self.month as usize);
        let world = &scenario.world;
        let traits = &scenario.labs[..];
        let calendar = &*self.calendar;
        let now = calendar.month(t);
        let scratch = &mut self.scratch;
        let labs = &mut self.state.labs;
        if self.shipped {
            // A model shipped last month (or this is month 0): the deployed qualities,
            // and what depends on them alone, are new.
            for (q, lab) in scratch.qualities.iter_mut().zip(labs.iter()) {
                *q = lab.quality;
            }
            let (dynamics, algorithms) = (&world.dynamics, &world.algorithms);
            scratch
                .multipliers
                .update(&scratch.qualities, dynamics, algorithms);
        }

        // 1-2. Observe and allocate the GPUs that have power.
        allocate(labs, traits, month, &scratch.qualities, world);
        if let Some(frozen) = self.frozen {
            impose_allocation(labs, frozen, t);
        }
        // 3. Train.
        let algorithms = &world.algorithms;
        let algo = now.algo;
        let overflow = training::train(labs, traits, &scratch.multipliers, algo, algorithms);
        if let Some(i) = overflow {
            return Err(self.compute_overflow(i));
        }
        // 4. Release.
        let released = release::release(
            labs,
            traits,
            algorithms,
            &world.dynamics,
            algo,
            &mut self.rng,
        );
        self.shipped = released;
        if released || now.serving_reference_rise.is_some() {
            // The serving costs follow the deployed models (and an exogenous reference
            // that rises every month): this month's price floor and prices (step 6) and
            // capacity (step 8) use the new ones.
            let reference = now.serving_reference_rise.map(|rise| self.quality0 + rise);
            let elo = algorithms.elo_per_decade;
            serving::set_serving_costs(labs, traits, &world.market, elo, reference);
        }
        // 5. Demand. The frontier moves only when a model ships.
        let frontier = if released {
            best_quality(labs)
        } else {
            self.state.world.frontier
        };
        self.frontier.push(frontier);
        let total_demand = demand::month_demand(
            &mut self.shock,
            &mut self.boost,
            month,
            &mut self.rng,
            &world.demand,
            now.demand_growth,
            frontier - self.frontier0,
        );
        // 6. Prices, from last month's utilisation.
        let opex_per_gw = self.opex_per_gw;
        let reference = now.reference_price;
        prices::set_prices(
            labs,
            traits,
            &world.market,
            now.price_factor,
            reference,
            opex_per_gw,
            &mut scratch.prices,
        );
        // Total demand's response to the prices customers pay (1 at no elasticity).
        let total_demand =
            total_demand * demand::price_factor(labs, reference, world.demand.price_elasticity);
        // 7. Choice, with inertia.
        let open_quality = choice::open_weight_quality(&self.frontier, month, &world.open_weights);
        choice::choose(
            labs,
            traits,
            &world.market,
            &world.open_weights,
            open_quality,
            &scratch.prices.terms,
            &mut scratch.utilities,
            &mut scratch.desired,
        );
        // 8. Serve, then churn the customers who found no room.
        let customers = serving::serve_month(
            labs,
            total_demand,
            &scratch.desired,
            &world.market,
            &mut scratch.serving,
        );
        // 9. Money: revenue, running costs, investors.
        let passed = world.market.infer_pass_through > 0.0;
        money::earn(labs, reference, opex_per_gw, passed);
        let pool = now.pool;
        investors::fund(
            labs,
            traits,
            &world.investors,
            pool,
            calendar.funding(t, traits.len()),
            released,
            &mut scratch.investors,
        );
        // 10. Power and GPUs: budgets (after any fire sale), power under the world's
        // additions, GPUs under supply and power; payouts; depreciation; arrivals.
        let (base, supply, gw) = (now.gpu_price, now.supply, now.gw_per_h100e);
        let buffers = &mut scratch.gpus;
        let imposed = self.frozen.and_then(|f| f.spending(t, traits.len()));
        for ((lab, traits), budget) in labs.iter_mut().zip(traits).zip(&mut buffers.budgets) {
            // Imposed spending ignores cash: no deficit forces a sale either.
            if imposed.is_none() {
                let investors = &world.investors;
                money::fire_sale(lab, base, investors.resale, investors.insolvency_months);
            }
            *budget = gpus::budget(traits.reinvest, money::available(lab));
        }
        if let Some(spending) = imposed {
            buffers.budgets.copy_from_slice(spending);
        }
        let outlook = power::Outlook {
            gpu_price: base,
            gw_per_h100e: gw,
            supply_ahead: now.supply_ahead,
            last_supply: if month > 0 {
                self.state.world.supply
            } else {
                0.0
            },
            additions: now.power_additions,
        };
        power::build(
            labs,
            month,
            &mut buffers.budgets,
            &outlook,
            &world.power,
            &mut scratch.power,
            &mut buffers.power_costs,
        );
        let gpu_price = gpus::buy(labs, month, base, gw, supply, &world.gpus, buffers);
        // A lab that earns more than it spends pays out the cash above its reserve.
        for lab in labs.iter_mut() {
            money::pay_out(lab, world.investors.reserve_months);
        }
        gpus::install(labs, month, world.gpus.life_months);

        // Without an open-weight model the labs' shares make up the market; their sum's
        // rounding (1 - 0.999...) is not a share.
        let open_share = match open_quality {
            Some(_) => (1.0 - customers).max(0.0),
            None => 0.0,
        };
        self.state.world = WorldState {
            month,
            total_demand,
            shock: self.shock.value(),
            frontier,
            open_quality: open_quality.unwrap_or(f64::NAN),
            open_share,
            supply,
            gpu_price,
            reference_price: reference,
            pool,
            power_additions: now.power_additions,
        };
        self.month += 1;
        Ok(())
    }

    /// The error for lab `lab`'s effective compute overflowing this month, naming the
    /// growth rate that compounded most by now.
    fn compute_overflow(&self, lab: usize) -> StepError {
        let world = &self.scenario.world;
        let t = self.month as usize;
        let supply_growth = crate::model::per_year(world.gpus.supply_growth, t as f64);
        let (parameter, value, factor) = if self.calendar.month(t).algo >= supply_growth {
            (
                "world.algorithms.algo_progress",
                world.algorithms.algo_progress,
                self.calendar.month(t).algo,
            )
        } else {
            (
                "world.gpus.supply_growth",
                world.gpus.supply_growth,
                supply_growth,
            )
        };
        StepError::Overflow {
            run: self.run,
            month: self.month,
            lab: self.scenario.labs[lab].id.clone(),
            quantity: "the effective compute of the training run",
            parameter,
            value,
            factor,
        }
    }
}

/// Running cost of GPUs per GW they draw, USD per GW-month: `opex_per_h100e` is for an
/// H100e of month-0 hardware, which draws `kw_per_h100e`.
fn opex_per_gw(world: &World) -> f64 {
    world.gpus.opex_per_h100e / (world.power.kw_per_h100e * 1e-6)
}

/// What lab `i` sees at the start of month `month`.
fn view<'q>(
    i: usize,
    month: u32,
    qualities: &'q [f64],
    lab: &LabState,
    traits: &Lab,
    world: &World,
) -> View<'q> {
    View {
        lab: i,
        month,
        qualities,
        demand: lab.demand,
        served: lab.served,
        capacity: lab.capacity,
        fleet: lab.powered,
        serving_efficiency: lab.serving_rate,
        cash: lab.cash,
        customers: lab.customers,
        beta: crate::policy::net_beta(&world.market, world.algorithms.elo_per_decade),
        elo_per_decade: world.algorithms.elo_per_decade,
        eta: world.demand.eta,
        run_months: traits.run_months,
    }
}

/// The lab's policy's training fraction, clamped to [0, 1]; a non-finite answer counts as
/// 0 (train nothing) rather than poisoning the run.
fn decide(traits: &Lab, view: &View) -> f64 {
    let f = traits.policy.policy().train_fraction(view);
    if f.is_finite() {
        f.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Steps 1-2: every lab's GPUs with power are counted, and the lab observes the start of
/// the month and splits them into training and inference GPUs.
fn allocate(labs: &mut [LabState], traits: &[Lab], month: u32, qualities: &[f64], world: &World) {
    for (i, (lab, traits)) in labs.iter_mut().zip(traits).enumerate() {
        lab.powered = power::powered(lab.fleet, lab.draw, lab.power);
        lab.train_fraction = decide(traits, &view(i, month, qualities, lab, traits, world));
        lab.training_gpus = lab.train_fraction * lab.powered;
        lab.inference_gpus = lab.powered - lab.training_gpus;
    }
}

/// Replaces the labs' training fractions by the imposed ones, where there are.
fn impose_allocation(labs: &mut [LabState], frozen: &Frozen, month: usize) {
    let n = labs.len();
    for (i, lab) in labs.iter_mut().enumerate() {
        if let Some(f) = frozen.train_fraction(month, n, i) {
            lab.train_fraction = f;
            lab.training_gpus = f * lab.powered;
            lab.inference_gpus = lab.powered - lab.training_gpus;
        }
    }
}

/// The best deployed quality.
fn best_quality(labs: &[LabState]) -> f64 {
    labs.iter()
        .map(|l| l.quality)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Simulates run `run` of `scenario` under master seed `seed`.
pub fn simulate(
    scenario: &Scenario,
    seed: u64,
    run: u64,
    recorder: &mut impl Recorder,
) -> Result<State, StepError> {
    Engine::new(scenario, seed, run).run(recorder)
}
