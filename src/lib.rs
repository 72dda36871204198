//! racerun
pub mod engine;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod policy;
pub mod scenario;
pub mod stats;
pub mod output;
pub mod app;
pub mod cli;
pub mod report;
pub mod plot;
