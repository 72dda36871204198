//! `racerun merge`: combine the partial results of every shard into the files an
//! unsharded `run` or `sweep` writes.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::cli::MergeArgs;
use crate::experiment::merge::{Merged, merge_dirs};
use crate::output;

/// Runs `racerun merge`.
pub fn run(args: MergeArgs) -> Result<()> {
    if super::sensitivity::try_merge(&args)? {
        return Ok(());
    }
    let names = output::measure_names();
    if !names.contains(&args.measure.as_str()) {
        bail!(
            "--measure {}: unknown measure; expected one of {}",
            args.measure,
            names.join(", ")
        );
    }
    let merged = merge_dirs(&args.dirs)?;
    let default_name = match &merged {
        Merged::Run { scenario, .. } => scenario.name.clone(),
        Merged::Sweep { header, .. } => format!("{}-sweep", header.scenario),
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(default_name));
    // Replacing a directory that holds an input would delete the partials.
    let out_abs = std::path::absolute(&out_dir).unwrap_or_else(|_| out_dir.clone());
    for dir in &args.dirs {
        let dir_abs = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
        if dir_abs.starts_with(&out_abs) {
            bail!(
                "--out {}: it holds the partial result {}; choose another output directory",
                out_dir.display(),
                dir.display()
            );
        }
    }
    match merged {
        Merged::Run {
            scenario,
            outcome,
            info,
        } => {
            let summary = super::run::publish(&out_dir, &scenario, &info, &outcome, args.no_plots)?;
            if !args.quiet {
                super::run::print_report(&summary, info.wall_time_seconds);
                println!(
                    "merged {} shards; wrote {}/",
                    args.dirs.len(),
                    out_dir.display()
                );
            }
        }
        Merged::Sweep { header, cells } => {
            super::sweep::write_result(&out_dir, &header, &cells, &args.measure, args.no_plots)?;
            if !args.quiet {
                print!("{}", super::sweep::report(&header, &cells, 0.0, 0));
                println!(
                    "merged {} shards; wrote {}/",
                    args.dirs.len(),
                    out_dir.display()
                );
            }
        }
    }
    Ok(())
}
