//! `racerun bench`: end-to-end throughput in lab-months per second, median of repeats.

use std::time::Instant;

use anyhow::Result;

use crate::cli::BenchArgs;
use crate::montecarlo::{self, MonteCarlo};
use crate::scenario::{Override, library};

/// Runs `racerun bench`.
pub fn run(args: BenchArgs) -> Result<()> {
    let overrides = args
        .set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let scenario = library::load(&args.scenario.to_string_lossy(), &overrides)?;
    let lab_months = args.runs as f64 * scenario.months as f64 * scenario.labs.len() as f64;
    println!(
        "scenario {} | {} runs x {} months x {} labs = {} lab-months per measurement | median of {}",
        scenario.name,
        args.runs,
        scenario.months,
        scenario.labs.len(),
        crate::numbers::thousands(lab_months as i64),
        args.repeat
    );
    let mut first = None;
    for &threads in &args.threads {
        let mc = MonteCarlo {
            seed: 42,
            runs: 0..args.runs,
            threads: threads.max(1),
            samples: 0,
        };
        let mut rates: Vec<f64> = (0..args.repeat)
            .map(|_| {
                let t = Instant::now();
                montecarlo::run(&scenario, &mc, &|_| {})
                    .map(|_| lab_months / t.elapsed().as_secs_f64())
            })
            .collect::<Result<_, _>>()?;
        rates.sort_by(f64::total_cmp);
        let median = rates[rates.len() / 2];
        let base = *first.get_or_insert(median);
        println!(
            "{threads} thread(s): {} lab-months/s (min {}, max {}), {:.2}x the first",
            crate::numbers::compact(median),
            crate::numbers::compact(rates[0]),
            crate::numbers::compact(rates[rates.len() - 1]),
            median / base
        );
    }
    Ok(())
}
