//! Many runs in parallel, merged deterministically, with memory that does not grow with
//! the number of runs.
//!
//! Runs are simulated in waves on a rayon pool; each run returns its trace and measures,
//! and the wave is merged into the aggregates sequentially in run order. Every run's
//! generator depends on (seed, run index) only, so the result is the same, bit for bit,
//! at any thread count. What is kept: the runs' [`Tally`] (distributions, bootstrap
//! groups' sums and counts, in memory that does not grow with the runs), streaming
//! histograms per (month, lab, series), spell-length counts, and full trajectories of a
//! few sample runs. Each run's measures go to a sink as its block finishes, in run order
//! (`racerun run` writes them to `runs.csv`), and are then dropped.

mod bands;

use std::ops::Range;

use rayon::prelude::*;

use crate::engine::{Calendar, Engine, State, StepError, Workspace};
use crate::metrics::durability::SpellCounts;
use crate::metrics::{Pooled, RunMeasures, RunMonthly, RunTrace, Tally, Verdict};
use crate::scenario::Scenario;
use crate::scenario::uncertain::Realizer;

pub use bands::{Bands, LabSeries, WorldSeries};

/// Runs per block. Blocks are aligned to run indices (block k holds runs 256k..256k+255);
/// each block's sums are accumulated in run order, then added exactly into the total
/// (counts are integers and need no care). A shard must therefore start and end on block boundaries to merge into the
/// same bytes as an unsharded run.
pub const BLOCK: u64 = 256;

/// Settings of a Monte Carlo.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    /// Master seed.
    pub seed: u64,
    /// Run indices to simulate (normally `0..total`; a shard's share of them).
    pub runs: Range<u64>,
    /// Runs of the whole experiment (its bootstrap groups are positions in `0..total`).
    pub total: u64,
    /// Worker threads.
    pub threads: usize,
    /// Runs below this index keep their full trajectories.
    pub samples: u64,
}

/// A run's full trajectory: the state after every month.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SampleRun {
    /// Run index.
    pub run: u64,
    /// State after each month.
    pub months: Vec<State>,
}

/// The result of a Monte Carlo.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The runs' measures, tallied.
    pub tally: Tally,
    /// Per-month distributions.
    pub bands: Bands,
    /// Spell-length counts of both leaders pooled over runs.
    pub spells: SpellCounts,
    /// Full trajectories of the sample runs.
    pub samples: Vec<SampleRun>,
    /// The regime verdict.
    pub verdict: Verdict,
}

impl Outcome {
    /// The outcome of the tallied runs at master seed `seed`, with the
    /// quality and market leaders' pooled spell counts and its verdict judged.
    pub fn judged(
        seed: u64,
        tally: Tally,
        bands: Bands,
        spells: SpellCounts,
        samples: Vec<SampleRun>,
    ) -> Outcome {
        let verdict = Verdict::judge(
            &tally,
            Pooled {
                spells: &spells,
                seed,
            },
        );
        Outcome {
            tally,
            bands,
            spells,
            samples,
            verdict,
        }
    }
}

/// A new, empty tally of `scenario`'s runs, `total` in all.
pub fn tally(scenario: &Scenario, total: u64) -> Tally {
    Tally::new(
        total,
        scenario.labs.len(),
        scenario.months,
        scenario.world.leadership.persistence_months,
        scenario.uncertain().len(),
    )
}

/// Why a Monte Carlo could not run.
#[derive(Debug, thiserror::Error)]
pub enum MonteCarloError {
    /// An experiment of no runs.
    #[error("runs: expected at least 1 run, got 0")]
    NoRuns,
    /// Runs past the end of the experiment they belong to.
    #[error("runs {start}..{end} reach past the experiment's {total} runs")]
    PastTotal {
        /// First run asked for.
        start: u64,
        /// One past the last.
        end: u64,
        /// Runs of the whole experiment.
        total: u64,
    },
    /// A run could not go on (see [`StepError`]).
    #[error(transparent)]
    Run(#[from] StepError),
    /// The sink of the runs' measures failed (writing `runs.csv`).
    #[error("{0}")]
    Sink(String),
    /// The thread pool could not start.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The reason.
        message: String,
    },
}

struct Finished {
    measures: RunMeasures,
    sample: Option<SampleRun>,
}

/// A block of runs simulated, waiting to be added to the aggregates in run order.
struct Block {
    /// Its first run.
    first: u64,
    /// One past its last run.
    end: u64,
    finished: Vec<Finished>,
}

/// A slot of a block: one run's monthly numbers, which the bands read once the block is
/// done, and the engine's buffers. Reused block after block, so runs allocate no
/// per-month or per-lab buffers.
struct Slot {
    trace: RunTrace,
    monthly: RunMonthly,
    engine: Workspace,
}

/// Simulates run `run` into `slot` (emptied first) and measures it.
fn simulate_one(
    scenario: &Scenario,
    calendar: &Calendar,
    inputs: Option<&Realizer>,
    (seed, run): (u64, u64),
    keep_sample: bool,
    slot: &mut Slot,
) -> Result<Finished, StepError> {
    if let Some(realizer) = inputs {
        // Uncertain inputs: this run's own scenario, from its own draws.
        let values = realizer.draw(seed, run);
        let own = realizer.scenario(&values);
        let own_calendar;
        let calendar = if realizer.changes_calendar() {
            own_calendar = Calendar::new(&own);
            &own_calendar
        } else {
            calendar
        };
        let mut done = simulate_one(&own, calendar, None, (seed, run), keep_sample, slot)?;
        done.measures.inputs = values;
        return Ok(done);
    }
    let months = scenario.months as usize;
    let trace = &mut slot.trace;
    trace.reset(scenario.labs.len());
    let mut states = Vec::new();
    let calendar = std::borrow::Cow::Borrowed(calendar);
    let workspace = std::mem::take(&mut slot.engine);
    let engine = Engine::reusing(scenario, calendar, seed, run, None, workspace);
    if keep_sample {
        states.reserve(months);
        let mut both = |s: &State| {
            crate::engine::Recorder::record(trace, s);
            states.push(s.clone());
        };
        engine.run_reusing(&mut both, &mut slot.engine)?;
    } else {
        engine.run_reusing(trace, &mut slot.engine)?;
    }
    let measures = RunMeasures::measure_into(run, trace, scenario, &mut slot.monthly);
    let sample = keep_sample.then_some(SampleRun {
        run,
        months: states,
    });
    Ok(Finished { measures, sample })
}

/// Runs the Monte Carlo. `progress` is called with the number of runs finished so far.
pub fn run(
    scenario: &Scenario,
    mc: &MonteCarlo,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Outcome, MonteCarloError> {
    run_into(scenario, mc, progress, &mut |_| Ok(()))
}

/// Runs the Monte Carlo, passing each run's measures to `sink` in run order as its block
/// finishes (an error from the sink stops the Monte Carlo). An empty `mc.runs` (a shard
/// left without work) gives an outcome of no runs; an experiment of none is refused.
pub fn run_into(
    scenario: &Scenario,
    mc: &MonteCarlo,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut (dyn FnMut(&RunMeasures) -> Result<(), String> + Send),
) -> Result<Outcome, MonteCarloError> {
    if mc.total == 0 {
        return Err(MonteCarloError::NoRuns);
    }
    if mc.runs.end > mc.total {
        return Err(MonteCarloError::PastTotal {
            start: mc.runs.start,
            end: mc.runs.end,
            total: mc.total,
        });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(mc.threads)
        .build()
        .map_err(|e| MonteCarloError::Threads {
            threads: mc.threads,
            message: e.to_string(),
        })?;
    let months = scenario.months as usize;
    let calendar = Calendar::new(scenario);
    let inputs = (!scenario.uncertain().is_empty()).then(|| Realizer::new(scenario));
    let mut bands = Bands::new(months, scenario.labs.len());
    let mut spells = SpellCounts::new(months);
    let mut tally = tally(scenario, mc.total);
    let mut samples = Vec::new();
    let mut next = mc.runs.start;
    let slot_set = |runs: u64| -> Vec<Slot> {
        (0..BLOCK.min(runs))
            .map(|_| Slot {
                trace: RunTrace::new(scenario.labs.len(), months),
                monthly: RunMonthly::default(),
                engine: Workspace::default(),
            })
            .collect()
    };
    // Two sets of slots: while one block of runs is simulated, the block before it is
    // added to the bands and the tally and given to the sink, so the work that must go
    // in run order overlaps the simulation instead of leaving threads idle.
    let all = mc.runs.end - mc.runs.start;
    let mut sets = [slot_set(all), slot_set(all.saturating_sub(BLOCK))];
    let mut pending: Option<Block> = None;
    let mut set = 0;
    loop {
        let end = ((next / BLOCK + 1) * BLOCK).min(mc.runs.end);
        let [a, b] = &mut sets;
        let (simulated, previous) = if set == 0 { (a, b) } else { (b, a) };
        let simulated = &mut simulated[..(end.max(next) - next) as usize];
        let mut fold = |block: Block, slots: &[Slot]| -> Result<(), MonteCarloError> {
            bands.add_wave(&slots[..block.finished.len()]);
            bands.flush();
            for (mut done, r) in block.finished.into_iter().zip(block.first..) {
                spells.take(&mut done.measures);
                tally.add(r, &done.measures);
                sink(&done.measures).map_err(MonteCarloError::Sink)?;
                samples.extend(done.sample);
            }
            progress(block.end - mc.runs.start);
            Ok(())
        };
        let earlier = pending.take();
        let (wave, folded) = pool.install(|| {
            rayon::join(
                || {
                    simulated
                        .par_iter_mut()
                        .enumerate()
                        .map(|(k, slot)| {
                            let r = next + k as u64;
                            let keep = r < mc.samples;
                            simulate_one(
                                scenario,
                                &calendar,
                                inputs.as_ref(),
                                (mc.seed, r),
                                keep,
                                slot,
                            )
                        })
                        .collect::<Vec<Result<Finished, StepError>>>()
                },
                || earlier.map_or(Ok(()), |block| fold(block, previous)),
            )
        });
        // The first failure in run order, whatever the threads: the earlier block's first.
        folded?;
        if wave.is_empty() {
            break;
        }
        let finished = wave
            .into_iter()
            .collect::<Result<Vec<Finished>, StepError>>()?;
        pending = Some(Block {
            first: next,
            end,
            finished,
        });
        set = 1 - set;
        next = end;
    }
    Ok(Outcome::judged(mc.seed, tally, bands, spells, samples))
}
