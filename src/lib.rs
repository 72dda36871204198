//! racerun
pub mod app;
pub mod cli;
pub mod engine;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod output;
pub mod plot;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod stats;
