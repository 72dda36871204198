//! Command-line definitions (clap) only; `app` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Is frontier AI a race or a run? Monte Carlo futures of labs that split their GPUs
/// between training the next model and serving the current one.
#[derive(Debug, Parser)]
#[command(
    name = "racerun",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Start here:\n  racerun scenarios                  the bundled scenario library\n  racerun run baseline               simulate one; tables, verdict and charts in output/baseline/\n  racerun params world.market        what each parameter means, its unit, default and range\n  racerun new mine --from baseline   your own scenario, mine.toml, to edit and run\n\nEvery command's --help ends with examples. The model: docs/model.md; the format: docs/scenarios.md."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario many times and write tables, a verdict and charts.
    #[command(
        after_help = "Examples:\n  racerun run baseline                      # a bundled scenario, by name\n  racerun run scenarios/baseline.toml\n  racerun run scenarios/baseline.toml --runs 2000 --seed 7 --set world.dynamics.kappa=1.2\n  racerun run scenarios/baseline.toml --set labs.alpha.policy.min_train=0.4 --out output/alpha-trains-more"
    )]
    Run(RunArgs),
    /// Redraw the charts of an output directory from its saved files, without simulating.
    #[command(
        after_help = "Examples:\n  racerun plot output/baseline\n  racerun plot output/baseline --format png --width 1200 --height 750 --only leapfrog,who_leads"
    )]
    Plot(PlotArgs),
    /// Measure end-to-end throughput (lab-months simulated per second) at several thread counts.
    #[command(
        after_help = "Example:\n  racerun bench scenarios/baseline.toml --runs 20000 --threads 1,2 --repeat 5"
    )]
    Bench(BenchArgs),
    /// List the bundled scenario library: name and question of each.
    #[command(
        after_help = "Examples:\n  racerun scenarios\n  racerun run race        # run one of them by name, from any directory"
    )]
    Scenarios,
    /// Print a scenario fully resolved: every parameter, defaults marked.
    #[command(
        after_help = "Examples:\n  racerun show baseline\n  racerun show scenarios/race.toml --set world.dynamics.kappa=2\n  racerun show mine.toml > resolved.toml"
    )]
    Show(ShowArgs),
    /// List every scenario parameter: path, type, unit, default, valid range and meaning.
    #[command(
        after_help = "Examples:\n  racerun params\n  racerun params world.market\n  racerun params labs.policy"
    )]
    Params(ParamsArgs),
    /// Validate a scenario without running it: exit 0, or a clear error.
    #[command(
        after_help = "Examples:\n  racerun check mine.toml\n  racerun check baseline --set world.market.switching=0.8"
    )]
    Check(CheckArgs),
    /// Write a commented starter scenario, NAME.toml, ready to edit and run.
    #[command(
        after_help = "Examples:\n  racerun new my-world\n  racerun new faster-switching --from baseline\n  racerun check my-world.toml && racerun run my-world.toml"
    )]
    New(NewArgs),
    /// Sweep one or two parameters over a grid: each cell a full Monte Carlo with the same
    /// seed (common random numbers); writes sweep.csv, summary.json and a phase diagram.
    #[command(
        after_help = "Examples:\n  racerun sweep baseline --vary world.dynamics.kappa=0:2:11 --runs 200\n  racerun sweep phase --vary world.gpus.supply=2000:200000:20 --log --vary world.dynamics.kappa=0:2:20 --runs 200 --out output/phase\n  racerun sweep phase --vary world.dynamics.kappa=0:2:20 --shard 3/8 --out shards/3   # one share, then `racerun merge`\n\n`--log` makes the --vary just before it geometric. Ctrl-C stops between cells, keeping finished ones;\nrerun the same command with --resume to continue."
    )]
    Sweep(SweepArgs),
    /// Combine the partial results of `run --shard K/N` or `sweep --shard K/N` into the
    /// files an unsharded run writes.
    #[command(
        after_help = "Examples:\n  racerun merge shards/1 shards/2 shards/3 --out output/baseline\n  racerun merge shards/* --out output/phase"
    )]
    Merge(MergeArgs),
    /// Global sensitivity: Sobol first-order and total-effect indices of a measure with
    /// respect to uncertain inputs, with bootstrap intervals; a table, sensitivity.csv and
    /// a tornado chart.
    #[command(
        after_help = "Examples:\n  racerun sensitivity baseline --params world.gpus.supply=5000:60000,world.dynamics.kappa=0:1.5,world.market.beta=0.5:3 --measure persistence_quality\n  racerun sensitivity mine.toml --params world.dynamics.kappa --measure changes_per_year_quality --samples 256 --runs 40\n  racerun sensitivity baseline --params world.dynamics.kappa=0:2,world.market.beta=0.5:3 --measure persistence_quality --shard 2/4 --out shards/2\n\nA parameter without LOW:HIGH takes its distribution from the scenario ({ dist = ... }).\nOther uncertain inputs of the scenario are held at their medians."
    )]
    Sensitivity(SensitivityArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    #[command(
        after_help = "Examples:\n  racerun completions bash > ~/.local/share/bash-completion/completions/racerun\n  racerun completions zsh > ~/.zfunc/_racerun\n  racerun completions fish > ~/.config/fish/completions/racerun.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output.
    #[command(
        after_help = "Examples:\n  racerun man > racerun.1 && man ./racerun.1\n  racerun man run > racerun-run.1"
    )]
    Man(ManArgs),
}

/// Arguments of `racerun sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML) or bundled name.
    pub scenario: String,
    /// A parameter to sweep, `PATH=START:END:STEPS` (STEPS values including both ends;
    /// PATH as in --set). Give one or two.
    #[arg(long, value_name = "PATH=START:END:STEPS", required = true)]
    pub vary: Vec<String>,
    /// Space the values of the --vary just before this flag geometrically (START, END > 0).
    #[arg(long, action = clap::ArgAction::Count)]
    pub log: u8,
    /// Monte Carlo runs per cell.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,
    /// Master seed, the same for every cell.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Override a fixed parameter (repeatable; labs by id).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output directory (default: `output/NAME-sweep`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Compute only shard K of N (a contiguous share of the cells) and write a partial
    /// result for `racerun merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Continue an interrupted sweep in the same --out, keeping its finished cells.
    #[arg(long)]
    pub resume: bool,
    /// Measure the phase diagram shows (a name from summary.json of `racerun run`).
    #[arg(long, default_value = "persistence_quality")]
    pub measure: String,
    /// No progress bar and no summary on the terminal.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw the chart.
    #[arg(long)]
    pub no_plots: bool,
}

/// Arguments of `racerun merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Directories written by `run --shard K/N` or `sweep --shard K/N`, one per shard.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output directory (default: `output/NAME`, or `output/NAME-sweep` for a sweep).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Measure the phase diagram of a sweep shows.
    #[arg(long, default_value = "persistence_quality")]
    pub measure: String,
    /// No summary on the terminal.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts.
    #[arg(long)]
    pub no_plots: bool,
}

/// Arguments of `racerun man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand's own page (its options in full) instead of the main page.
    pub command: Option<String>,
}

/// Arguments of `racerun show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Scenario file (TOML) or bundled name (see `racerun scenarios`).
    pub scenario: String,
    /// Override a parameter before resolving (repeatable; labs by id).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Arguments of `racerun params`.
#[derive(Debug, Args)]
pub struct ParamsArgs {
    /// Only parameters under this dotted prefix, e.g. `world.market` or `labs.policy`.
    pub prefix: Option<String>,
}

/// Arguments of `racerun check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file (TOML) or bundled name.
    pub scenario: String,
    /// Override a parameter before checking (repeatable; labs by id).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Arguments of `racerun new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Scenario name (letters, digits, - and _); the file is NAME.toml. A path ending in
    /// `.toml` is used as is, its stem being the name.
    pub name: String,
    /// Start from this scenario (file or bundled name) instead of the generic starter.
    #[arg(long, value_name = "SCENARIO")]
    pub from: Option<String>,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `racerun completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// Arguments of `racerun plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// An output directory written by `racerun run`.
    pub dir: PathBuf,
    /// Formats, comma-separated: png, svg.
    #[arg(long, default_value = "png,svg", value_delimiter = ',')]
    pub format: Vec<String>,
    /// Width in pixels.
    #[arg(long, default_value_t = 1600)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 1000)]
    pub height: u32,
    /// Only these charts, comma-separated (leapfrog, quality_bands, who_leads, allocation, customers, lead_changes, spells, headwind).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
}

/// Arguments of `racerun bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Scenario file (TOML) or bundled name.
    pub scenario: PathBuf,
    /// Runs per measurement.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,
    /// Thread counts to measure, comma-separated.
    #[arg(long, default_value = "1,2", value_delimiter = ',')]
    pub threads: Vec<usize>,
    /// Measurements per thread count; the median is reported.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
    /// Override a parameter (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Arguments of `racerun run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML) or bundled name (see `racerun scenarios`).
    pub scenario: PathBuf,
    /// Number of Monte Carlo runs.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,
    /// Master seed; run i draws from a stream derived from (seed, i) only.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Override a parameter, e.g. `--set world.dynamics.kappa=1.2` or `--set labs.alpha.policy.min_train=0.4` (repeatable; labs by id).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output directory (default: `output/NAME`, NAME being the scenario name). Replaced whole when the run finishes.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Number of runs whose full monthly trajectories go to sample_runs.csv.
    #[arg(long, default_value_t = 3)]
    pub samples: u64,
    /// No progress bar and no summary on the terminal.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts.
    #[arg(long)]
    pub no_plots: bool,
    /// Simulate only shard K of N (whole blocks of 256 runs) and write a partial result
    /// for `racerun merge` instead of the result files.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

/// Arguments of `racerun sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML) or bundled name.
    pub scenario: String,
    /// Inputs to study, comma-separated: `PATH=LOW:HIGH` (uniform between LOW and HIGH) or
    /// `PATH` alone when the scenario gives it a distribution. Paths as in --set.
    #[arg(long, value_name = "P1,P2,...", required = true, value_delimiter = ',')]
    pub params: Vec<String>,
    /// The measure: a headline measure of `summary.json` (mean over a point's runs).
    #[arg(long)]
    pub measure: String,
    /// N, rows of the Saltelli matrices; the model runs at N (k + 2) points.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u64).range(2..))]
    pub samples: u64,
    /// Monte Carlo runs per point (the same run indices at every point).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,
    /// Master seed: of the runs and of the sample matrices.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Override a parameter (repeatable; labs by id).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output directory (default: `output/NAME-sensitivity`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Compute only shard K of N (a contiguous share of the N rows) and write a partial
    /// result for `racerun merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// No progress bar and no table on the terminal.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw the chart.
    #[arg(long)]
    pub no_plots: bool,
}
