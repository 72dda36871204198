//! One module per subcommand; each exposes `run(args)`.

pub mod bench;
pub mod library;
pub mod merge;
pub mod new;
pub mod params;
pub mod plot;
pub mod run;
pub mod sensitivity;
pub mod shell;
pub mod sweep;
