//! `racerun bench`: end-to-end throughput in lab-months per second, median of repeats.

use std::time::Instant;

use anyhow::Result;

use racerun::experiment::limits;
use racerun::montecarlo::{self, MonteCarlo};
use racerun::scenario::library;

use super::console::out;
use crate::cli::BenchArgs;

/// Runs `racerun bench`.
pub fn run(args: BenchArgs) -> Result<()> {
    let scenario = library::load(&args.input.scenario, &args.input.set)?;
    limits::monte_carlo(args.runs, 0, scenario.months, scenario.labs.len())?;
    let lab_months = args.runs as f64 * scenario.months as f64 * scenario.labs.len() as f64;
    out!(
        "scenario {} | {} runs x {} months x {} labs = {} lab-months per measurement | median of {}\n",
        scenario.name,
        args.runs,
        scenario.months,
        scenario.labs.len(),
        racerun::numbers::thousands(lab_months as i64),
        args.repeat
    )?;
    let mut first = None;
    for &threads in &args.threads {
        let mc = MonteCarlo {
            seed: 42,
            runs: 0..args.runs,
            total: args.runs,
            threads: threads as usize,
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
        out!(
            "{threads} thread(s): {} lab-months/s (min {}, max {}), {:.2}x the first\n",
            racerun::numbers::compact(median),
            racerun::numbers::compact(rates[0]),
            racerun::numbers::compact(rates[rates.len() - 1]),
            median / base
        )?;
    }
    Ok(())
}
