//! `racerun explain`: attribute a world's regime to its channels, write the files and
//! charts, print the table and the answer; or, with `--shard`, one share of the runs for
//! `racerun merge`.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use racerun::experiment::{explain as experiment, limits};
use racerun::explain::{self, CHANNELS, Channel, Explanation, Setup};
use racerun::metrics::months_needed;
use racerun::output::{self, Destination, OutputKind, RunInfo};
use racerun::plot::{self, PlotOptions};
use racerun::scenario::Scenario;
use racerun::scenario::library::Source;

use super::console::{Progress, out};
use crate::cli::ExplainArgs;

/// The channels of `--channels` (all when none is given), in table order.
fn parse_channels(given: &[String]) -> Result<Vec<Channel>> {
    let mut asked = Vec::new();
    for name in given.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let c = super::channel("--channels", name, "some of")?;
        if asked.contains(&c) {
            bail!("--channels {name}: listed twice");
        }
        asked.push(c);
    }
    if asked.is_empty() {
        if !given.is_empty() {
            bail!(
                "--channels: expected the names of some channels, e.g. --channels headwind,luck \
                 (leave --channels out for all of them); got none"
            );
        }
        return Ok(CHANNELS.to_vec());
    }
    Ok(CHANNELS.into_iter().filter(|c| asked.contains(c)).collect())
}

/// Refuses a scenario explain cannot judge: one lab, or too short a horizon.
fn check_scenario(scenario: &Scenario) -> Result<()> {
    if scenario.labs.len() < 2 {
        bail!(
            "scenario `{}` has one lab: nothing leads anything, so there is no race or run to \
             explain; add a second [[labs]]",
            scenario.name
        );
    }
    let needed = months_needed(scenario.world.leadership.persistence_months);
    if scenario.months < needed {
        bail!(
            "scenario `{}`: {} {} too short to judge; the verdict needs at least {needed} \
             (set months = {needed} or more)",
            scenario.name,
            scenario.months,
            if scenario.months == 1 {
                "month is"
            } else {
                "months are"
            }
        );
    }
    Ok(())
}

/// Runs `racerun explain`.
pub fn run(args: ExplainArgs) -> Result<()> {
    let exec = &args.exec;
    let channels = parse_channels(&args.channels)?;
    let source = Source::find(&args.input.scenario)?;
    let scenario = source.load(&args.input.set)?;
    super::console::idle_settings(&scenario, exec.quiet);
    check_scenario(&scenario)?;
    let worlds = 1u64 << channels.len();
    limits::explain(
        args.runs,
        args.profile_runs,
        worlds,
        args.samples,
        scenario.months,
        scenario.labs.len(),
    )?;
    let shard = exec.shard;
    let runs = super::shard_runs(shard, args.runs);
    super::more_samples_than_runs(
        args.samples,
        args.runs,
        "leapfrogs.csv decomposes",
        exec.quiet,
    );
    let named = (&scenario, args.input.set.as_slice());
    let detail = super::asked(&channels);
    let dest = super::output_for(exec, &source, named, (OutputKind::Explain, &detail), shard)?;
    let threads = exec.threads();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")?;
    let setup = Setup {
        scenario: &scenario,
        channels: channels.clone(),
        seed: exec.seed,
        runs: args.runs,
        samples: args.samples,
        profile_runs: args.profile_runs,
    };
    let bar = Progress::new(
        args.runs * worlds,
        "world-runs",
        format!("{} explain", scenario.name),
        exec.quiet,
    );
    let started = Instant::now();
    let part = pool.install(|| {
        explain::explain(&setup, runs.clone(), &|done, total| {
            bar.set_len(total);
            bar.set(done);
        })
    })?;
    let wall = started.elapsed().as_secs_f64();
    bar.finish();
    let info = super::run_info(exec, &dest, &args.input.set, args.runs, (threads, wall));
    if let Some(shard) = shard {
        let partial = experiment::partial(&scenario, &channels, args.samples, part, &info, shard);
        let share = super::share(shard, &runs, args.runs, "runs", racerun::montecarlo::BLOCK);
        let every = if runs.is_empty() {
            ""
        } else {
            " in every world,"
        };
        let held = format!("{share}{every} in {wall:.1} s");
        return super::publish_partial(&dest, &partial, exec.quiet, held);
    }
    let explanation = explain::finish(&scenario, &channels, exec.seed, &part);
    publish(
        &dest,
        &scenario,
        &info,
        args.samples,
        &explanation,
        exec.no_plots,
    )?;
    if !exec.quiet {
        out!("{}", explain::table::terminal(&explanation, &info))?;
    }
    super::wrote(dest.path(), exec.quiet)?;
    Ok(())
}

/// Writes an explanation's files and, unless `no_plots`, its charts and `report.html`
/// into `dest`, replacing it whole. Shared by `explain` and `merge`.
pub(crate) fn publish(
    dest: &Destination,
    scenario: &Scenario,
    info: &RunInfo,
    samples: u64,
    explanation: &Explanation,
    no_plots: bool,
) -> Result<()> {
    dest.publish::<anyhow::Error>(|dir| {
        output::explain::write(dir, scenario, info, samples, explanation)?;
        if !no_plots {
            plot::draw_explain(dir, &PlotOptions::default())?;
            racerun::report::html::write_showing(dir, dest.path(), plot::SWEEP_MEASURE)?;
        }
        Ok(())
    })
    .with_context(|| format!("writing results to {}", dest.path().display()))
}
