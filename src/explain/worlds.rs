//! Simulating the counterfactual worlds of `racerun explain`, with common random numbers:
//! run `i` of every world draws from the same generator (seed, i).
//!
//! Two passes. The factual world first: when a channel needs its profile (the labs' mean
//! allocation and spending month by month, and whether supply binds: see
//! [`channels::Profile`]) over the profile's runs `0..profile_runs`, whole in every
//! shard so that every shard imposes the same profile, and over this share's runs. Then,
//! for this share of the runs, every other world of the Shapley plan.
//! Each run gives, per attributed measure, its factual and all-off values and the
//! channels' Shapley values ([`Part::rows`]); each world's sums are exact
//! ([`ExactSum`]), so the shards' parts merge into exactly the unsharded result.

use std::borrow::Cow;
use std::ops::Range;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::channels::{self, CHANNELS, Channel, Profile};
use super::leapfrog::{self, Leapfrog};
use super::shapley::Plan;
use crate::engine::{Calendar, Engine, Frozen, Recorder, State, StepError, Workspace};
use crate::measures;
use crate::metrics::durability::SpellCounts;
use crate::metrics::{RunMeasures, RunMonthly, RunTrace, Tally};
use crate::montecarlo::BLOCK;
use crate::scenario::Scenario;
use crate::scenario::uncertain::Realizer;
use crate::stats::ExactSum;

/// The measures attributed, names as in `runs.csv`, in file order.
pub const ATTRIBUTED: [&str; 8] = [
    "changes_per_year_quality",
    "changes_per_year_market",
    "persistence_norm_quality",
    "persistence_norm_market",
    "early_keeps_quality",
    "early_keeps_market",
    "gap_growth",
    "gap_growth_market",
];

/// The stream of the generator that draws a sampled plan's orders (runs stay far below).
const PLAN_STREAM: u64 = u64::MAX - 1;

/// What to explain. [`explain`] runs on the caller's rayon pool (its threads).
#[derive(Debug, Clone)]
pub struct Setup<'a> {
    /// The scenario (its uncertain inputs drawn per run).
    pub scenario: &'a Scenario,
    /// The channels asked for, in [`CHANNELS`] order.
    pub channels: Vec<Channel>,
    /// Master seed.
    pub seed: u64,
    /// Runs of the whole experiment.
    pub runs: u64,
    /// Runs below this index have their lead changes decomposed.
    pub samples: u64,
    /// The factual runs whose means make the profile, `0..profile_runs` (see
    /// [`channels::Profile`]): [`PROFILE_RUNS`] for `racerun explain`, whatever its
    /// `--runs`, so that the worlds compared do not change with the number of runs.
    pub profile_runs: u64,
}

/// The factual runs whose means make the profile `racerun explain` imposes, whatever its
/// `--runs`: its default number of runs, so that a default explanation is the mean of
/// its own runs. A profile from the runs asked for made the worlds compared change with
/// `--runs`, and with them shares built on worlds without luck, where a tie between
/// identical labs can hang on the imposed spending's last digits (`run`'s headwind share
/// was +12% at 300 runs and -13% at 1,000).
pub const PROFILE_RUNS: u64 = 1000;

/// One share of the runs, explained: what a shard writes and the whole result is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The channels the scenario uses, names in [`CHANNELS`] order: the Shapley players.
    pub used: Vec<String>,
    /// First run of this share.
    pub first: u64,
    /// The factual runs whose means make the profile, `0..profile_runs` (0 when no
    /// channel asked needs one).
    pub profile_runs: u64,
    /// This share's factual runs, tallied (their verdict and summary).
    pub tally: Tally,
    /// Per run of this share, in run order: the factual world's attributed measures.
    pub factual: Vec<[f64; ATTRIBUTED.len()]>,
    /// Spell counts of both leaders in this share's factual runs.
    pub spells: SpellCounts,
    /// Per run, per attributed measure: factual value, all-off value, then each used
    /// channel's Shapley value (NaN where the measure does not apply).
    pub rows: Vec<f64>,
    /// Per world (plan order) and measure: the sum over this share's runs.
    pub world_sums: Vec<ExactSum>,
    /// Per world and measure: the runs where the measure applies.
    pub world_counts: Vec<u64>,
    /// The lead changes of this share's sample runs, decomposed.
    pub leapfrogs: Vec<Leapfrog>,
}

impl Part {
    /// Values per run in [`Part::rows`].
    pub fn row_len(&self) -> usize {
        ATTRIBUTED.len() * (self.used.len() + 2)
    }
}

/// The channels used, as players, and the plan over them.
pub fn players(used: &[Channel], seed: u64) -> Plan {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(PLAN_STREAM);
    Plan::new(used.len(), &mut rng)
}

/// The channels a plan's world mask switches off.
pub fn off_in(used: &[Channel], mask: u32) -> Vec<Channel> {
    used.iter()
        .enumerate()
        .filter(|(c, _)| mask & (1 << c) == 0)
        .map(|(_, ch)| *ch)
        .collect()
}

/// Records what the factual world's runs contribute to the profile, and the states of a
/// sample run.
struct Factual<'c> {
    trace: RunTrace,
    spending: Vec<f64>,
    binds: bool,
    states: Option<Vec<State>>,
    /// The run's calendar: each month's base GPU price.
    calendar: &'c Calendar,
}

impl Recorder for Factual<'_> {
    fn record(&mut self, state: &State) {
        self.trace.record(state);
        // Scarcity binds when the labs take the whole GPU supply (rationed, or priced up
        // until they want no more), when their orders at the base price exceed it (the
        // GPU price rises above the base, even where the raised price leaves orders below
        // the supply, as a price response above 1 does), or when they start all the power
        // the world can add.
        let labs = &state.labs;
        let ordered: f64 = labs.iter().map(|l| l.ordered).sum();
        let power: f64 = labs.iter().map(|l| l.power_ordered).sum();
        let base = self.calendar.month(state.world.month as usize).gpu_price;
        self.binds |= ordered >= state.world.supply * (1.0 - 1e-9)
            || state.world.gpu_price > base
            || power >= state.world.power_additions * (1.0 - 1e-9);
        self.spending
            .extend(labs.iter().map(|l| l.capex + l.power_capex));
        if let Some(states) = &mut self.states {
            states.push(state.clone());
        }
    }
}

/// A run's own scenario and calendar (its uncertain inputs drawn).
fn own<'s>(
    setup: &'s Setup<'_>,
    realizer: Option<&Realizer<'s>>,
    calendar: &'s Calendar,
    run: u64,
) -> (Cow<'s, Scenario>, Cow<'s, Calendar>, Vec<f64>) {
    match realizer {
        None => (
            Cow::Borrowed(setup.scenario),
            Cow::Borrowed(calendar),
            Vec::new(),
        ),
        Some(r) => {
            let values = r.draw(setup.seed, run);
            let s = r.scenario(&values);
            let c = if r.changes_calendar() {
                Cow::Owned(Calendar::new(&s))
            } else {
                Cow::Borrowed(calendar)
            };
            (Cow::Owned(s), c, values)
        }
    }
}

struct FactualRun {
    measures: RunMeasures,
    train: Vec<f64>,
    spending: Vec<f64>,
    binds: bool,
    leapfrogs: Vec<Leapfrog>,
}

fn factual_run(
    setup: &Setup<'_>,
    realizer: Option<&Realizer<'_>>,
    calendar: &Calendar,
    run: u64,
    decompose: bool,
) -> Result<FactualRun, StepError> {
    let (scenario, calendar, inputs) = own(setup, realizer, calendar, run);
    let (labs, months) = (scenario.labs.len(), scenario.months as usize);
    let mut rec = Factual {
        trace: RunTrace::new(labs, months),
        spending: Vec::with_capacity(labs * months),
        binds: false,
        states: decompose.then(Vec::new),
        calendar: &calendar,
    };
    Engine::with_calendar(&scenario, Cow::Borrowed(&*calendar), setup.seed, run).run(&mut rec)?;
    let (mut measures, _) = RunMeasures::measure(run, &rec.trace, &scenario);
    measures.inputs = inputs;
    let leapfrogs = match &rec.states {
        Some(states) => leapfrog::decompose(&scenario, &calendar, run, states),
        None => Vec::new(),
    };
    Ok(FactualRun {
        measures,
        train: rec.trace.train_fraction,
        spending: rec.spending,
        binds: rec.binds,
        leapfrogs,
    })
}

/// The attributed measures of a run, NaN where one does not apply.
fn values(r: &RunMeasures) -> [f64; ATTRIBUTED.len()] {
    ATTRIBUTED.map(|name| {
        measures::find(name)
            .and_then(|m| m.of(r))
            .unwrap_or(f64::NAN)
    })
}

/// Explains runs `range` of `setup`: see the module docs. `progress` gets the world-runs
/// done and the total, which is known once the factual pass has said which channels
/// the scenario uses.
pub fn explain(
    setup: &Setup<'_>,
    range: Range<u64>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Part, StepError> {
    let scenario = setup.scenario;
    let calendar = Calendar::new(scenario);
    let realizer = (!scenario.uncertain().is_empty()).then(|| Realizer::new(scenario));
    let (labs, months) = (scenario.labs.len(), scenario.months as usize);
    let needs_profile = setup.channels.iter().any(|&c| {
        matches!(c, Channel::Headwind | Channel::Money | Channel::Scarcity)
            && (c == Channel::Scarcity || channels::used(c, scenario, None))
    });
    // The profile's runs first (whole in every shard, so every shard imposes the same
    // profile), then the rest of this share's runs.
    let profile_runs = if needs_profile { setup.profile_runs } else { 0 };
    let rest = range.start.max(profile_runs)..range.end;
    let factual_runs = profile_runs + (rest.end.saturating_sub(rest.start));
    let estimate = factual_runs + (range.end - range.start) * ((1u64 << setup.channels.len()) - 1);

    // Pass 1: the factual world.
    let mut train_sum = vec![0.0; labs * months];
    let mut spending_sum = vec![0.0; labs * months];
    let mut binds = false;
    let mut part = Part {
        used: Vec::new(),
        first: range.start,
        profile_runs,
        tally: crate::montecarlo::tally(scenario, setup.runs),
        factual: Vec::with_capacity((range.end - range.start) as usize),
        spells: SpellCounts::new(months),
        rows: Vec::new(),
        world_sums: Vec::new(),
        world_counts: Vec::new(),
        leapfrogs: Vec::new(),
    };
    let mut done = 0;
    for block in blocks(0..profile_runs).chain(blocks(rest)) {
        let wave: Vec<Result<FactualRun, StepError>> = block
            .clone()
            .into_par_iter()
            // Sample runs of this share are decomposed; the profile's other runs are not.
            .map(|r| {
                let decompose = r < setup.samples && range.contains(&r);
                factual_run(setup, realizer.as_ref(), &calendar, r, decompose)
            })
            .collect();
        for (r, result) in block.zip(wave) {
            let mut f = result?;
            if r < profile_runs {
                for (s, x) in train_sum.iter_mut().zip(&f.train) {
                    *s += x;
                }
                for (s, x) in spending_sum.iter_mut().zip(&f.spending) {
                    *s += x;
                }
                binds |= f.binds;
            }
            if range.contains(&r) {
                part.spells.take(&mut f.measures);
                part.tally.add(r, &f.measures);
                part.factual.push(values(&f.measures));
                part.leapfrogs.extend(f.leapfrogs);
            }
            done += 1;
        }
        progress(done, estimate);
    }
    let n = profile_runs.max(1) as f64;
    let mean = |sums: &[f64]| sums.iter().map(|s| s / n).collect::<Vec<f64>>();
    let responds: Vec<bool> = scenario.labs.iter().map(channels::responds).collect();
    let profile = Profile::from_means(&mean(&train_sum), &mean(&spending_sum), &responds, binds);

    // Pass 2: every other world of the plan, for this share's runs.
    let used: Vec<Channel> = CHANNELS
        .into_iter()
        .filter(|c| setup.channels.contains(c) && channels::used(*c, scenario, Some(&profile)))
        .collect();
    part.used = used.iter().map(|c| c.name().to_string()).collect();
    let plan = players(&used, setup.seed);
    let worlds = plan.worlds();
    let total = factual_runs + (range.end - range.start) * (worlds.len() as u64 - 1);
    let prepared: Vec<Option<(Scenario, Frozen, Calendar)>> = worlds
        .iter()
        .map(|&mask| {
            (realizer.is_none() && mask != worlds[plan.all()]).then(|| {
                let (s, f) = channels::world(scenario, &off_in(&used, mask), &profile);
                let c = Calendar::new(&s);
                (s, f, c)
            })
        })
        .collect();
    let j = ATTRIBUTED.len();
    part.world_sums = vec![ExactSum::default(); worlds.len() * j];
    part.world_counts = vec![0; worlds.len() * j];
    let coefficients = plan.coefficients();
    let per_run = |k: usize, r: u64| -> Result<Vec<[f64; ATTRIBUTED.len()]>, StepError> {
        let factual = part.factual[k];
        let (own_scenario, _, _) = own(setup, realizer.as_ref(), &calendar, r);
        let mut out = Vec::with_capacity(worlds.len());
        let mut buffers = (
            RunTrace::new(labs, months),
            RunMonthly::default(),
            Workspace::default(),
        );
        for (w, &mask) in worlds.iter().enumerate() {
            if w == plan.all() {
                out.push(factual);
                continue;
            }
            let measured = match &prepared[w] {
                Some((s, f, c)) => world_run(s, c, f, (setup.seed, r), &mut buffers)?,
                None => {
                    let (s, f) = channels::world(&own_scenario, &off_in(&used, mask), &profile);
                    let c = Calendar::new(&s);
                    world_run(&s, &c, &f, (setup.seed, r), &mut buffers)?
                }
            };
            out.push(values(&measured));
        }
        Ok(out)
    };
    let mut finished = factual_runs;
    let mut rows = Vec::with_capacity(part.factual.len() * j * (used.len() + 2));
    for block in blocks(range.clone()) {
        let wave: Vec<Result<Vec<[f64; ATTRIBUTED.len()]>, StepError>> = block
            .clone()
            .into_par_iter()
            .map(|r| per_run((r - range.start) as usize, r))
            .collect();
        for result in wave {
            let v = result?;
            for (w, world) in v.iter().enumerate() {
                for (m, &x) in world.iter().enumerate() {
                    if x.is_finite() {
                        part.world_sums[w * j + m].add(x);
                        part.world_counts[w * j + m] += 1;
                    }
                }
            }
            for m in 0..j {
                rows.push(v[plan.all()][m]);
                rows.push(v[plan.none()][m]);
                for row in coefficients {
                    rows.push(row.iter().zip(&v).map(|(c, world)| c * world[m]).sum());
                }
            }
            finished += worlds.len() as u64 - 1;
        }
        progress(finished, total);
    }
    part.rows = rows;
    Ok(part)
}

/// One run of a counterfactual world, measured, in `buffers` (a trace, monthly series and
/// the engine's buffers, reused from world to world, so a world-run allocates none).
fn world_run(
    scenario: &Scenario,
    calendar: &Calendar,
    frozen: &Frozen,
    (seed, run): (u64, u64),
    (trace, monthly, engine): &mut (RunTrace, RunMonthly, Workspace),
) -> Result<RunMeasures, StepError> {
    trace.reset(scenario.labs.len());
    let frozen = (!frozen.is_empty()).then_some(frozen);
    let calendar = Cow::Borrowed(calendar);
    let workspace = std::mem::take(engine);
    Engine::reusing(scenario, calendar, seed, run, frozen, workspace).run_reusing(trace, engine)?;
    Ok(RunMeasures::measure_into(run, trace, scenario, monthly))
}

/// `range` in Monte Carlo blocks, aligned to run indices.
fn blocks(range: Range<u64>) -> impl Iterator<Item = Range<u64>> {
    let mut next = range.start;
    std::iter::from_fn(move || {
        (next < range.end).then(|| {
            let end = ((next / BLOCK + 1) * BLOCK).min(range.end);
            let block = next..end;
            next = end;
            block
        })
    })
}
