//! `racerun run`: simulate, write the results, draw the charts, print the summary.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use racerun::experiment::{limits, merge};
use racerun::montecarlo::{self, MonteCarlo, Outcome};
use racerun::output::{self, Destination, OutputKind, RunInfo, Summary};
use racerun::plot::{self, PlotOptions};
use racerun::scenario::Scenario;
use racerun::scenario::library::Source;

use super::console::{Progress, out};
use crate::cli::RunArgs;

/// Runs `racerun run`.
pub fn run(args: RunArgs) -> Result<()> {
    let exec = &args.exec;
    let source = Source::find(&args.input.scenario)?;
    let scenario = source.load(&args.input.set)?;
    let shard = exec.shard;
    limits::monte_carlo(
        args.runs,
        args.samples,
        scenario.months,
        scenario.labs.len(),
    )?;
    let runs = super::shard_runs(shard, args.runs)?;
    if shard.is_none() && args.samples == 0 && !exec.no_plots {
        bail!(
            "--samples 0: the leapfrog and allocation charts draw the first sample run, so \
             keep --samples 1 or more, or add --no-plots"
        );
    }
    let named = (scenario.name.as_str(), args.input.set.as_slice());
    let dest = super::output_for(exec, &source, named, OutputKind::Run, shard)?;
    let threads = exec.threads();
    let mc = MonteCarlo {
        seed: exec.seed,
        runs: runs.clone(),
        threads,
        samples: args.samples,
    };

    let bar = Progress::new(
        runs.end - runs.start,
        "runs",
        scenario.name.clone(),
        exec.quiet,
    );
    let started = Instant::now();
    let outcome = montecarlo::run(&scenario, &mc, &|done| bar.set(done))?;
    let wall = started.elapsed().as_secs_f64();
    bar.finish();
    let info = super::run_info(exec, &args.input.set, args.runs, threads, wall);
    if let Some(shard) = shard {
        let partial = merge::run_partial(&scenario, outcome, &info, args.samples, shard);
        let held = format!("runs {runs:?} of {} in {wall:.1} s", args.runs);
        return super::publish_partial(&dest, &partial, exec.quiet, held);
    }
    let summary = publish(&dest, &scenario, &info, &outcome, exec.no_plots)?;
    if !exec.quiet {
        print_report(&summary, wall)?;
        out!("wrote {}/\n", dest.path().display())?;
        if !exec.no_plots {
            out!("read it: {}\n", dest.path().join("report.html").display())?;
        }
    }
    Ok(())
}

/// Writes a finished Monte Carlo's files and, unless `no_plots`, its charts into `dest`,
/// replacing it whole; returns the summary. Shared by `run` and `merge`.
pub(crate) fn publish(
    dest: &Destination,
    scenario: &Scenario,
    info: &RunInfo,
    outcome: &Outcome,
    no_plots: bool,
) -> Result<Summary> {
    // Charts are drawn from the files just written, inside the temporary directory, so
    // results and charts appear together or not at all.
    let mut summary = None;
    dest.publish::<anyhow::Error>(|dir| {
        summary = Some(output::write_outcome(dir, scenario, info, outcome)?);
        if !no_plots {
            plot::draw_all(dir, &PlotOptions::default())?;
            racerun::report::html::write_showing(dir, dest.path(), plot::SWEEP_MEASURE)?;
        }
        Ok(())
    })
    .with_context(|| format!("writing results to {}", dest.path().display()))?;
    summary.context("the results were published without their summary")
}

/// The terminal summary: per-lab table, verdict, and uncertain inputs if any.
pub(crate) fn print_report(summary: &Summary, wall_seconds: f64) -> Result<()> {
    out!("{}", racerun::report::terminal(summary, wall_seconds))?;
    out!("{}", output::inputs::terminal(&summary.inputs))?;
    Ok(())
}
