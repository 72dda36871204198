//! Command-line definitions (clap) only; `app` does the work.
//!
//! Arguments shared by the commands that simulate (`run`, `sweep`, `sensitivity`) are
//! declared once ([`ScenarioArgs`], [`Execution`]) and flattened into each. `--set`,
//! `--shard` and `--vary` are parsed by clap into their library types, so a malformed one
//! is a usage error before anything is read.

use std::path::PathBuf;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use racerun::experiment::limits;
use racerun::experiment::shard::Shard;
use racerun::experiment::sweep::Axis;
use racerun::scenario::Override;

use values::{at_least, parse_set, parse_shard, parse_vary, seed, thread_count};

mod values;

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
    /// Rebuild report.html of a finished result (run, sweep, sensitivity, explain or compare)
    /// from its saved files, without simulating.
    #[command(
        after_help = "Examples:\n  racerun report output/baseline\n  racerun report output/phase-sweep-supply-kappa --measure changes_per_year_quality"
    )]
    Report(ReportArgs),
    /// Compare finished runs side by side: survival curves, verdicts, and persistence
    /// against lead changes per year; writes compare.json, charts and report.html.
    #[command(
        after_help = "Examples:\n  racerun run race && racerun run run && racerun run baseline\n  racerun compare output/race output/run output/baseline\n  racerun compare output/baseline output/baseline-1a2b3c4d --out output/kappa-effect"
    )]
    Compare(CompareArgs),
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
    Show(ScenarioArgs),
    /// List every scenario parameter: path, type, unit, default, valid range and meaning.
    #[command(
        after_help = "Examples:\n  racerun params\n  racerun params world.market\n  racerun params labs.policy"
    )]
    Params(ParamsArgs),
    /// List every measure a run reports (runs.csv, summary.json, --measure): name, what it
    /// is, unit, and what it needs to apply.
    #[command(
        after_help = "Examples:\n  racerun measures\n  racerun measures baseline --set months=60\n  racerun sweep baseline --vary world.dynamics.kappa=0:2:11 --measure persistence_norm_quality"
    )]
    Measures(MeasuresArgs),
    /// Validate a scenario without running it: exit 0, or a clear error.
    #[command(
        after_help = "Examples:\n  racerun check mine.toml\n  racerun check baseline --set world.market.switching=0.8"
    )]
    Check(ScenarioArgs),
    /// Write a commented starter scenario, NAME.toml, ready to edit and run.
    #[command(
        after_help = "Examples:\n  racerun new my-world\n  racerun new faster-switching --from baseline\n  racerun check my-world.toml && racerun run my-world.toml"
    )]
    New(NewArgs),
    /// Sweep one or two parameters over a grid: each cell a full Monte Carlo with the same
    /// seed (common random numbers); writes sweep.csv, summary.json and a phase diagram.
    #[command(
        after_help = "Examples:\n  racerun sweep baseline --vary world.dynamics.kappa=0:2:11 --runs 200\n  racerun sweep phase --vary world.gpus.supply=2000:200000:20 --log --vary world.dynamics.kappa=0:2:20 --runs 200\n  racerun sweep phase --vary world.dynamics.kappa=0:2:20 --shard 3/8 --out shards/3   # one share, then `racerun merge`\n  racerun sweep run --vary world.gpus.supply=2000:60000:8 --log --vary world.market.beta=1:10:8 --effect headwind --measure changes_per_year_quality   # where the headwind matters\n\n`--log` makes the --vary just before it geometric. Ctrl-C stops between cells, keeping finished ones;\nrerun the same command with --resume to continue."
    )]
    Sweep(SweepArgs),
    /// Combine the partial results of `run`, `sweep`, `sensitivity` or `explain` with
    /// `--shard K/N` into the files an unsharded run writes.
    #[command(
        after_help = "Examples:\n  racerun merge shards/1 shards/2 shards/3 --out output/baseline\n  racerun merge shards/* --out output/phase-sweep-supply-kappa"
    )]
    Merge(MergeArgs),
    /// Global sensitivity: Sobol first-order and total-effect indices of a measure with
    /// respect to uncertain inputs, with bootstrap intervals; a table, sensitivity.csv and
    /// a tornado chart.
    #[command(
        after_help = "Examples:\n  racerun sensitivity baseline --params world.gpus.supply=5000:60000,world.dynamics.kappa=0:1.5,world.market.beta=0.5:3 --measure persistence_norm_quality\n  racerun sensitivity mine.toml --params world.dynamics.kappa --measure changes_per_year_quality --samples 256 --runs 40   # mine.toml gives kappa = { dist = ... }\n  racerun sensitivity baseline --params world.dynamics.kappa=0:2,world.market.beta=0.5:3 --measure persistence_norm_quality --shard 2/4 --out shards/2\n\nA parameter without LOW:HIGH takes its distribution from the scenario ({ dist = ... }).\nOther uncertain inputs of the scenario are held at their medians."
    )]
    Sensitivity(SensitivityArgs),
    /// Why is it a race or a run? Attributes the lead's rotation and durability to
    /// channels (headwind, self-improvement, spillover, cadence, luck, money, scarcity)
    /// by exact Shapley values over worlds with channels switched off, with the same
    /// seeds in every world; decomposes the lead changes of sample runs.
    #[command(
        after_help = "Examples:\n  racerun explain baseline\n  racerun explain run --runs 2000 --channels headwind,cadence,luck\n  racerun explain race --set world.dynamics.kappa=1.5 --out output/race-kappa\n  racerun explain baseline --shard 2/4 --out shards/2   # one share, then `racerun merge`\n\nChannels, and the world with each off:\n  headwind           each responsive lab trains those labs' factual mean fraction of the month plus its own mean departure from it (fixed and schedule labs keep theirs)\n  self_improvement   kappa = 0 and kappa_abs = 0\n  spillover          phi = 0\n  cadence            every lab: the labs' mean run length and first release\n  luck               release_sigma = 0, release_delay_max = 0 (demand shocks stay)\n  money              each lab spends on power and GPUs the month's factual total times its own share\n  scarcity           the GPU supply cap and the world's power additions lifted\nA channel the scenario does not use is reported as zero without simulating; one left\nout of --channels stays on in every world."
    )]
    Explain(ExplainArgs),
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

/// The scenario and `--set` overrides, as every command that loads one takes them.
#[derive(Debug, Clone, Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML) or bundled name (see `racerun scenarios`).
    pub scenario: String,
    /// Override a parameter, e.g. `--set world.dynamics.kappa=1.2` or
    /// `--set labs.alpha.policy.min_train=0.4` (repeatable; labs by id).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set)]
    pub set: Vec<Override>,
}

/// `racerun measures`: optionally a scenario whose horizon and persistence months fill the
/// labels, and which says which measures apply to it.
#[derive(Debug, Clone, Args)]
pub struct MeasuresArgs {
    /// Scenario file (TOML) or bundled name: fill in its horizon and persistence months
    /// and say which measures apply to it.
    pub scenario: Option<String>,
    /// Override a parameter of the scenario, as for `run` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_set, requires = "scenario")]
    pub set: Vec<Override>,
}

/// How a simulating command runs and where it writes: shared by `run`, `sweep` and
/// `sensitivity`.
#[derive(Debug, Clone, Args)]
pub struct Execution {
    /// Master seed: run i draws from a stream derived from (seed, i) only.
    #[arg(long, default_value_t = 42, allow_negative_numbers = true, value_parser = seed)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = thread_count)]
    pub threads: Option<u64>,
    /// Output directory (default: `output/NAME`, `output/NAME-sweep-PARAMETERS` such as
    /// `output/baseline-sweep-kappa`, `output/NAME-sensitivity` or `output/NAME-explain`,
    /// followed by the channels of `--channels`). It must be new, empty, or an
    /// earlier racerun result of the same command, which is replaced whole once the new
    /// one is complete.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Compute only shard K of N of the work (runs in whole blocks of 256, sweep cells,
    /// or sensitivity rows) and write a partial result for `racerun merge`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// No progress bar and no summary on the terminal: only the folder written, one line
    /// (for scripts).
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts (nor report.html, which shows them).
    #[arg(long)]
    pub no_plots: bool,
}

impl Execution {
    /// The worker threads to use.
    pub fn threads(&self) -> usize {
        self.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get()),
            |t| t as usize,
        )
    }
}

/// Arguments of `racerun run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    /// Number of Monte Carlo runs (at most 2,000,000; see the limits below).
    #[arg(long, allow_negative_numbers = true, default_value_t = 1000, value_parser = at_least::<1>)]
    pub runs: u64,
    /// Number of runs whose full monthly trajectories go to sample_runs.csv (runs 0 to
    /// N - 1; every run when N is more than --runs). The leapfrog and allocation charts
    /// draw the first; with 0, give --no-plots.
    #[arg(long, default_value_t = 3, allow_negative_numbers = true, value_parser = at_least::<0>)]
    pub samples: u64,
    #[command(flatten)]
    pub exec: Execution,
}

/// Arguments of `racerun sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    /// A parameter to sweep, `PATH=START:END:STEPS` (STEPS distinct values including both
    /// ends; PATH as in --set). Give one or two.
    #[arg(long, value_name = "PATH=START:END:STEPS", required = true, value_parser = parse_vary)]
    pub vary: Vec<Axis>,
    /// Space the values of the --vary just before this flag geometrically (START, END > 0).
    #[arg(long, action = clap::ArgAction::Append, num_args = 0, default_missing_value = "true")]
    pub log: Vec<bool>,
    /// Monte Carlo runs per cell.
    #[arg(long, allow_negative_numbers = true, default_value_t = 200, value_parser = at_least::<1>)]
    pub runs: u64,
    /// Continue an interrupted sweep in the same --out, keeping its finished cells.
    #[arg(long)]
    pub resume: bool,
    /// Measure the phase diagram shows (a name from summary.json of `racerun run`).
    #[arg(long, default_value = "persistence_norm_quality")]
    pub measure: String,
    /// Also measure, in every cell, the total effect of this channel (the factual world
    /// minus the world with it off, two worlds a cell) on the attributed measures; the
    /// chart then shows its effect on --measure. Channels as in `racerun explain`.
    #[arg(long, value_name = "CHANNEL")]
    pub effect: Option<String>,
    #[command(flatten)]
    pub exec: Execution,
}

/// Arguments of `racerun sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    /// Inputs to study, comma-separated: `PATH=LOW:HIGH` (uniform between LOW and HIGH) or
    /// `PATH` alone when the scenario gives it a distribution. Paths as in --set.
    #[arg(long, value_name = "P1,P2,...", required = true, value_delimiter = ',')]
    pub params: Vec<String>,
    /// The measure: a headline measure of `summary.json` (mean over a point's runs).
    #[arg(long)]
    pub measure: String,
    /// N, rows of the Saltelli matrices; the model runs at N (k + 2) points.
    #[arg(long, allow_negative_numbers = true, default_value_t = 128, value_parser = at_least::<2>)]
    pub samples: u64,
    /// Monte Carlo runs per point (the same run indices at every point).
    #[arg(long, allow_negative_numbers = true, default_value_t = 50, value_parser = at_least::<1>)]
    pub runs: u64,
    #[command(flatten)]
    pub exec: Execution,
}

/// Arguments of `racerun explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    /// Monte Carlo runs, the same run indices (and random numbers) in every world. The
    /// worlds that impose the labs' mean allocation or spending take it from runs 0 to
    /// --profile-runs - 1 (0-999), whatever this number, so the worlds compared do not
    /// change with it.
    #[arg(long, allow_negative_numbers = true, default_value_t = racerun::explain::PROFILE_RUNS, value_parser = at_least::<1>)]
    pub runs: u64,
    /// Factual runs whose month-by-month means the worlds with the headwind or money off
    /// impose (runs 0 to N - 1). A share that rests on those worlds is conditional on
    /// this profile: explain again with another N (2000, 5000) to see how far it moves.
    #[arg(long, value_name = "N", allow_negative_numbers = true, default_value_t = racerun::explain::PROFILE_RUNS, value_parser = at_least::<1>)]
    pub profile_runs: u64,
    /// Channels to attribute, comma-separated (default: all seven). Channels left out
    /// stay on in every world.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub channels: Vec<String>,
    /// Number of runs whose lead changes are decomposed into leapfrogs.csv (runs 0 to
    /// N - 1; every run when N is more than --runs); 0 decomposes none and draws no
    /// leapfrogs chart.
    #[arg(long, default_value_t = 10, allow_negative_numbers = true, value_parser = at_least::<0>)]
    pub samples: u64,
    #[command(flatten)]
    pub exec: Execution,
}

/// Arguments of `racerun merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Directories written by `run --shard K/N`, `sweep --shard K/N`,
    /// `sensitivity --shard K/N` or `explain --shard K/N`, one per shard.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output directory (default: as the unsharded command names it, e.g. `output/NAME`,
    /// `output/NAME-sweep-PARAMETERS`, `output/NAME-explain`); new, empty, or an earlier
    /// racerun result of the same kind, and not one holding the partials.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Measure the chart of a sweep shows (default: the one the shards were run with).
    #[arg(long)]
    pub measure: Option<String>,
    /// No summary on the terminal: only the folder written, one line (for scripts).
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

/// Arguments of `racerun params`.
#[derive(Debug, Args)]
pub struct ParamsArgs {
    /// Only parameters under this dotted prefix, e.g. `world.market` or `labs.policy`.
    pub prefix: Option<String>,
}

/// Arguments of `racerun new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Scenario name (letters, digits, - and _, starting with a letter or digit); the file
    /// is NAME.toml in the working directory. A path ending in `.toml` is used as is (its
    /// folder must exist), its stem being the name.
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
    /// An output directory written by `racerun run`, `sweep`, `sensitivity`, `explain` or
    /// `compare`.
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
    /// Only these charts, comma-separated (lead_survival, leapfrog, quality_bands, who_leads, allocation, customers, lead_changes, spells, headwind).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
}

/// Arguments of `racerun report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A result directory written by `racerun run`, `sweep`, `sensitivity`, `explain` or
    /// `compare`.
    pub dir: PathBuf,
    /// Measure a sweep's chart shows (default: the one the sweep drew).
    #[arg(long)]
    pub measure: Option<String>,
}

/// Arguments of `racerun compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more directories written by `racerun run` (at most 8).
    #[arg(required = true, num_args = 2..)]
    pub dirs: Vec<PathBuf>,
    /// Output directory (default: `output/compare-NAME-NAME...`); new, empty, or an
    /// earlier comparison.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No table on the terminal: only the folder written, one line (for scripts).
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts (nor report.html).
    #[arg(long)]
    pub no_plots: bool,
}

/// Arguments of `racerun bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    /// Runs per measurement.
    #[arg(long, allow_negative_numbers = true, default_value_t = 10_000, value_parser = at_least::<1>)]
    pub runs: u64,
    /// Thread counts to measure, comma-separated.
    #[arg(long, default_value = "1,2", value_delimiter = ',', allow_negative_numbers = true, value_parser = thread_count)]
    pub threads: Vec<u64>,
    /// Measurements per thread count; the median is reported.
    #[arg(long, default_value_t = 5, allow_negative_numbers = true, value_parser = at_least::<1>)]
    pub repeat: u64,
}

/// The command line's definition: [`Cli`], with the size limits added to the long help
/// of the commands that simulate.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    for name in ["run", "sweep", "sensitivity", "explain", "merge"] {
        cmd = cmd.mut_subcommand(name, |sub| {
            let examples = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            sub.after_long_help(format!("{examples}\n\n{}", limits::SUMMARY))
        });
    }
    cmd
}

/// Parses the command line, exiting with clap's usage error (code 2) when it is malformed.
pub fn parse() -> Cli {
    let matches = command().get_matches();
    match from_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    }
}

/// The parsed command line, with `--log` applied to the `--vary` it follows.
fn from_matches(matches: &ArgMatches) -> Result<Cli, clap::Error> {
    let mut cli = Cli::from_arg_matches(matches)?;
    if let (Command::Sweep(args), Some(("sweep", sub))) = (&mut cli.command, matches.subcommand()) {
        let varies: Vec<usize> = sub
            .indices_of("vary")
            .map(Iterator::collect)
            .unwrap_or_default();
        let logs: Vec<usize> = sub
            .indices_of("log")
            .map(Iterator::collect)
            .unwrap_or_default();
        // Errors of `racerun sweep`, with its usage line.
        let error = |kind, message: String| {
            let mut cmd = command();
            cmd.build();
            match cmd.find_subcommand_mut("sweep") {
                Some(sweep) => sweep.error(kind, message),
                None => cmd.error(kind, message),
            }
        };
        let log = log_axes(&varies, &logs)
            .map_err(|m| error(clap::error::ErrorKind::ArgumentConflict, m))?;
        for (axis, log) in args.vary.iter_mut().zip(log) {
            if log {
                *axis = Axis::parse(&axis.arg, true)
                    .map_err(|e| error(clap::error::ErrorKind::ValueValidation, e.to_string()))?;
            }
        }
    }
    Ok(cli)
}

/// Which axes `--log` makes geometric, from the argument positions of the `--vary`s and
/// `--log`s: each `--log` applies to the `--vary` just before it. A `--log` before any
/// `--vary`, or two after the same one, is refused.
pub fn log_axes(varies: &[usize], logs: &[usize]) -> Result<Vec<bool>, String> {
    let mut log = vec![false; varies.len()];
    for &at in logs {
        let Some(axis) = varies.iter().rposition(|&v| v < at) else {
            return Err(
                "--log comes before any --vary; put it right after the --vary it makes geometric, \
                 e.g. --vary world.gpus.supply=1000:100000:11 --log"
                    .into(),
            );
        };
        if std::mem::replace(&mut log[axis], true) {
            return Err(format!(
                "--log is given twice after the --vary number {}; once makes it geometric",
                axis + 1
            ));
        }
    }
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(line: &str) -> Result<Cli, clap::Error> {
        let matches = command().try_get_matches_from(line.split(' '))?;
        from_matches(&matches)
    }

    fn sweep_axes(line: &str) -> Vec<bool> {
        match parse_args(line).unwrap().command {
            Command::Sweep(a) => a.vary.iter().map(|v| v.log).collect(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn log_follows_its_vary() {
        assert_eq!(
            sweep_axes(
                "racerun sweep x --vary world.gpus.supply=1:2:3 --log --vary=world.dynamics.kappa=0:1:2"
            ),
            vec![true, false]
        );
        assert_eq!(
            sweep_axes(
                "racerun sweep x --vary world.dynamics.kappa=0:2:3 --vary world.gpus.supply=1:9:2 --log"
            ),
            vec![false, true]
        );
        assert_eq!(
            sweep_axes("racerun sweep x --vary world.dynamics.kappa=0.5:2:3 --seed 4 --log -q"),
            vec![true]
        );
    }

    #[test]
    fn log_before_any_vary_or_twice_is_refused() {
        let e = parse_args("racerun sweep x --log --vary world.gpus.supply=1:2:3").unwrap_err();
        assert!(
            e.to_string().contains("--log comes before any --vary"),
            "{e}"
        );
        // With sweep's usage line, not the top level's.
        assert!(
            e.render()
                .to_string()
                .contains("Usage: racerun sweep [OPTIONS]"),
            "{}",
            e.render()
        );
        let e =
            parse_args("racerun sweep x --vary world.gpus.supply=1:2:3 --log --log").unwrap_err();
        assert!(e.to_string().contains("--log is given twice"), "{e}");
        let e = parse_args("racerun sweep x --vary world.dynamics.kappa=0:2:3 --log").unwrap_err();
        assert!(
            e.to_string().contains("--log needs START and END above 0"),
            "{e}"
        );
    }

    #[test]
    fn shared_arguments_parse_into_library_types() {
        let cli = parse_args(
            "racerun run baseline --set world.dynamics.kappa=1.5 --shard 2/3 --seed 7 -q",
        )
        .unwrap();
        let Command::Run(a) = cli.command else {
            unreachable!()
        };
        assert_eq!(a.input.set[0].path, ["world", "dynamics", "kappa"]);
        assert_eq!(a.exec.shard, Some(Shard { index: 2, count: 3 }));
        assert!(a.exec.quiet && a.exec.seed == 7);
        let e = parse_args("racerun run baseline --shard 3/2").unwrap_err();
        assert!(e.to_string().contains("--shard 3/2: expected K/N"), "{e}");
        let e = parse_args("racerun run baseline --set nothing").unwrap_err();
        assert!(e.to_string().contains("expected PATH=VALUE"), "{e}");
        let e = parse_args("racerun sweep baseline --vary world.dynamics.kappa=0:2").unwrap_err();
        assert!(e.to_string().contains("expected START:END:STEPS"), "{e}");
    }
}
