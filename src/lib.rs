//! racerun: is frontier AI a race or a run?
//!
//! Several labs split their GPU fleets between training the next model and serving the
//! current one. The best model wins customers; serving them eats the compute that would
//! train the next model; a rival that kept training can leapfrog (a *run*). Or, when GPUs
//! are plentiful or AI speeds up its own research, the leader pulls away (a *race*).
//!
//! The principal types, in the order data flows:
//!
//! - [`scenario::Scenario`]: a validated scenario, loaded from TOML with `--set`
//!   overrides ([`scenario::Override`]); every parameter is listed in
//!   [`scenario::params::PARAMS`] with its unit, default and range.
//! - [`policy::Policy`]: how a lab splits its fleet; one file per policy, picked by
//!   [`policy::PolicySpec`].
//! - [`engine::Engine`]: one run, the monthly step loop of `docs/model.md`, calling the
//!   pure mechanics in [`model`]; a [`engine::Recorder`] watches each month.
//! - [`montecarlo::run`]: many runs in parallel with deterministic merging, giving an
//!   [`montecarlo::Outcome`]: the runs' [`metrics::RunMeasures`] tallied in memory that
//!   does not grow with the runs ([`metrics::Tally`]; [`montecarlo::run_into`] also hands
//!   each run's measures to a sink, `runs.csv`), per-month [`montecarlo::Bands`] and the
//!   [`metrics::Verdict`]; [`measures`] declares each headline measure once (name, label,
//!   unit, quantile resolution, accessor).
//! - [`experiment`]: sweeps over one or two parameters with common random numbers
//!   ([`experiment::sweep::Sweep`]), `--shard K/N` partial results and their exact
//!   [`experiment::merge`].
//! - [`explain`]: why a world is a race or a run, by Shapley attribution over
//!   counterfactual worlds with channels switched off, and each lead change's margin
//!   split into what made the two models.
//! - [`output`] writes the result files in the formats of [`schema`] (and guards where
//!   they go), [`plot`] draws charts from them (read back through [`schema`]), [`report`]
//!   formats the terminal summary, [`numbers`] writes numbers for readers.
//!
//! The command line (argument parsing, progress bars, Ctrl-C, printing) is the `racerun`
//! binary's own (`src/main.rs`, `src/cli.rs`, `src/commands/`); the library reads no
//! arguments and prints nothing.
pub mod engine;
pub mod experiment;
pub mod explain;
pub mod math;
pub mod measures;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod numbers;
pub mod output;
pub mod plot;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod schema;
pub mod stats;
