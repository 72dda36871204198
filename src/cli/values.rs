//! Parsers of the command line's values: their messages say what was expected and what
//! was given, in racerun's words rather than clap's.

use racerun::experiment::shard::Shard;
use racerun::experiment::sweep::Axis;
use racerun::scenario::Override;

pub(super) fn parse_set(arg: &str) -> Result<Override, String> {
    Override::parse(arg).map_err(|e| e.to_string())
}

pub(super) fn parse_shard(arg: &str) -> Result<Shard, String> {
    arg.parse::<Shard>().map_err(|e| e.to_string())
}

pub(super) fn parse_vary(arg: &str) -> Result<Axis, String> {
    Axis::parse(arg, false).map_err(|e| e.to_string())
}

/// A count of at least `MIN` (clap's own range check would quote 2^64 - 1 as the top;
/// the real limits are checked, and named, where the work is planned).
pub(super) fn at_least<const MIN: u64>(arg: &str) -> Result<u64, String> {
    let n: u64 = arg
        .parse()
        .map_err(|_| format!("expected a whole number of at least {MIN}, got `{arg}`"))?;
    if n < MIN {
        return Err(format!("expected at least {MIN}, got {n}"));
    }
    Ok(n)
}

/// A number of worker threads: 1 to 1,024.
pub(super) fn thread_count(arg: &str) -> Result<u64, String> {
    match arg.parse::<u64>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a whole number of threads from 1 to 1024, got `{arg}`"
        )),
    }
}

/// A master seed: any whole number from 0 to 2^64 - 1.
pub(super) fn seed(arg: &str) -> Result<u64, String> {
    arg.parse()
        .map_err(|_| format!("expected a whole number from 0 to 18446744073709551615, got `{arg}`"))
}
