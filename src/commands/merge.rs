//! `racerun merge`: combine the partial results of every shard into the files an
//! unsharded `run`, `sweep`, `sensitivity` or `explain` writes.

use std::path::PathBuf;

use anyhow::{Result, bail};
use racerun::experiment::merge::{Merged, merge};
use racerun::output::OutputKind;
use racerun::output::partial::{AnyPartial, read_partial};
use racerun::plot;

use super::console::out;
use crate::cli::MergeArgs;

/// Runs `racerun merge`.
pub fn run(args: MergeArgs) -> Result<()> {
    let mut shards = Vec::new();
    let mut sensitivity = Vec::new();
    for dir in &args.dirs {
        match read_partial(dir)? {
            AnyPartial::Shard(p) => shards.push((dir.clone(), p)),
            AnyPartial::Sensitivity(p) => sensitivity.push((dir.display().to_string(), p)),
        }
    }
    match (shards.first(), sensitivity.first()) {
        (None, Some(_)) => return super::sensitivity::merge(&args, sensitivity),
        (Some((a, _)), Some((b, _))) => bail!(
            "cannot merge: {} and {b} are shards of different experiments: a run or sweep and a \
             sensitivity study",
            a.display()
        ),
        _ => {}
    }
    if let Some(measure) = &args.measure {
        super::sweep::check_measure(measure)?;
    }
    let merged = merge(shards)?;
    // As the unsharded command names it: with a hash of the --set overrides, if any, and
    // the swept parameters or the channels asked for.
    let (kind, name, overrides, detail) = match &merged {
        Merged::Run { scenario, info, .. } => {
            (OutputKind::Run, &scenario.name, &info.overrides, Vec::new())
        }
        Merged::Sweep { header, .. } => (
            OutputKind::Sweep,
            &header.scenario,
            &header.overrides,
            super::swept(&header.axes),
        ),
        Merged::Explain {
            scenario,
            info,
            channels,
            ..
        } => (
            OutputKind::Explain,
            &scenario.name,
            &info.overrides,
            super::asked(channels),
        ),
    };
    let default_name = super::result_name(kind, name, overrides, &detail);
    if let Merged::Run { outcome, .. } = &merged
        && outcome.samples.is_empty()
        && !args.no_plots
    {
        bail!(
            "the shards kept no sample runs (--samples 0), which the leapfrog and allocation \
             charts draw; add --no-plots, or rerun the shards with --samples 1 or more"
        );
    }
    let dest = super::destination(
        args.out.as_deref(),
        || PathBuf::from("output").join(default_name),
        kind,
        &args.dirs,
        args.quiet,
    )?;
    match merged {
        Merged::Run {
            scenario,
            outcome,
            info,
            rows,
        } => {
            let summary = super::run::publish_merged(
                &dest,
                &scenario,
                &info,
                &outcome,
                &rows,
                args.no_plots,
            )?;
            if !args.quiet {
                super::run::print_report(&summary, info.wall_time_seconds)?;
                out!("merged {} shards; ", args.dirs.len())?;
            }
            super::wrote(dest.path(), args.quiet)?;
        }
        Merged::Explain {
            scenario,
            channels,
            samples,
            part,
            info,
        } => {
            let explanation = racerun::explain::finish(&scenario, &channels, info.seed, &part);
            let no_plots = args.no_plots;
            super::explain::publish(&dest, &scenario, &info, samples, &explanation, no_plots)?;
            if !args.quiet {
                out!("{}", racerun::explain::table::terminal(&explanation, &info))?;
                out!("merged {} shards; ", args.dirs.len())?;
            }
            super::wrote(dest.path(), args.quiet)?;
        }
        Merged::Sweep { header, cells } => {
            // The shards' own measure unless --measure names another.
            let measure = match (&args.measure, &header.measure) {
                (Some(m), _) => super::sweep::chart_measure(&header, m),
                (None, Some(m)) => m.clone(),
                (None, None) => super::sweep::chart_measure(&header, plot::SWEEP_MEASURE),
            };
            super::sweep::write_result(&dest, &header, &cells, &measure, args.no_plots)?;
            if !args.quiet {
                out!("{}", super::sweep::report(&header, &cells, None))?;
                out!("merged {} shards; ", args.dirs.len())?;
            }
            super::wrote(dest.path(), args.quiet)?;
        }
    }
    Ok(())
}
