//! Experiments over many scenarios or many machines: sharding the work (`--shard K/N`),
//! parameter sweeps and merging partial results.
pub mod shard;
