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
        let median = median_of_sorted(&rates);
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

/// The median of sorted values: the middle one, or the mean of the two middle ones.
fn median_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::median_of_sorted;

    #[test]
    fn an_even_number_of_repeats_has_the_mean_of_the_middle_two_as_median() {
        assert_eq!(median_of_sorted(&[371e3, 484e3]), 427.5e3);
        assert_eq!(median_of_sorted(&[1.0, 2.0, 9.0]), 2.0);
        assert_eq!(median_of_sorted(&[1.0, 2.0, 4.0, 9.0]), 3.0);
    }
}
