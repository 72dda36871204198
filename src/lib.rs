//! racerun
pub mod policy;
pub mod scenario;
