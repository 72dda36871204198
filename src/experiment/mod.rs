//! Experiments over many scenarios or many machines: sharding the work (`--shard K/N`),
//! parameter sweeps, sensitivity studies, partial results and merging them. Experiments
//! compute and return data; [`crate::output`] writes it.
//!
//! - [`limits`]: the sizes every experiment is checked against before any work.
//! - [`shard::Shard`]: a deterministic, contiguous share of the work units.
//! - [`axis::Axis`] and [`sweep::Sweep`]: a one- or two-parameter grid, each cell a full
//!   Monte Carlo with common random numbers.
//! - [`sensitivity`] (with the estimators in [`sobol`]): Sobol indices of a measure.
//! - [`partial`]: what a `--shard K/N` run or sweep computes.
//! - [`explain`]: the partial result of `explain --shard` and its merge.
//! - [`merge`]: combines the partials of every shard into exactly what an unsharded run
//!   or sweep computes, refusing missing, duplicated or mismatched shards by name.
pub mod axis;
pub mod explain;
pub mod limits;
pub mod merge;
pub mod partial;
pub mod sensitivity;
pub mod shard;
pub mod sobol;
pub mod sweep;

use std::path::PathBuf;

use crate::montecarlo::MonteCarloError;
use crate::output::OutputError;
use crate::scenario::ScenarioError;

/// Why an experiment could not be planned, run, saved or merged.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// A `--vary` argument is malformed or gives an invalid value.
    #[error("--vary {arg}: {message}")]
    Vary {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
    },
    /// The experiment as a whole cannot be planned.
    #[error("{0}")]
    Plan(String),
    /// The scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The Monte Carlo could not run.
    #[error(transparent)]
    MonteCarlo(#[from] MonteCarloError),
    /// A result file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A partial result or finished cell could not be read or does not belong.
    #[error("{path}: {message}")]
    Partial {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The partials given to `merge` do not make up one whole experiment.
    #[error("cannot merge: {0}")]
    Merge(String),
    /// A size is beyond its limit.
    #[error(transparent)]
    TooLarge(#[from] limits::TooLarge),
}
