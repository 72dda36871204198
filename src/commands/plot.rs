//! `racerun plot`: redraw the charts of an output directory from its files.

use anyhow::Result;

use crate::cli::PlotArgs;
use crate::plot::{self, Format, PlotOptions};

/// Runs `racerun plot`.
pub fn run(args: PlotArgs) -> Result<()> {
    let formats = args
        .format
        .iter()
        .map(|f| f.parse::<Format>())
        .collect::<Result<Vec<_>, _>>()?;
    let only = (!args.only.is_empty()).then(|| args.only.clone());
    let opts = PlotOptions {
        formats,
        width: args.width,
        height: args.height,
        only,
    };
    // A run's chart set, a sweep's phase diagram (or line chart), or a sensitivity
    // run's tornado, whichever the directory holds.
    for path in plot::draw_dir(&args.dir, &opts)? {
        println!("{}", path.display());
    }
    Ok(())
}
