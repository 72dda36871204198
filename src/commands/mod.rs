//! One module per subcommand; each exposes `run(args)`.

pub mod bench;
pub mod plot;
pub mod run;
