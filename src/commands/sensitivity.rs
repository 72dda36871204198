//! `racerun sensitivity`: Sobol indices of a measure with respect to uncertain inputs.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::cli::SensitivityArgs;
use crate::experiment::sensitivity::{Header, Outcome, PARTIAL_FILE, Part, Sensitivity};
use crate::experiment::shard::Shard;
use crate::output::{self, inputs};
use crate::plot::{self, PlotOptions};
use crate::scenario::params::{self, Kind};
use crate::scenario::{Override, library, suggest};

/// The catalogue path of a user path: lab ids and list indices become `*`.
fn generic(path: &str) -> String {
    let segs: Vec<&str> = path.split('.').collect();
    segs.iter()
        .enumerate()
        .map(|(i, s)| {
            if (i == 1 && segs[0] == "labs") || s.chars().all(|c| c.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Splits `--params` entries into paths and, where given, `--set` overrides that make
/// them uniform between LOW and HIGH.
fn parse_params(given: &[String]) -> Result<(Vec<String>, Vec<Override>)> {
    let mut paths: Vec<String> = Vec::new();
    let mut overrides = Vec::new();
    for arg in given.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        let (path, range) = match arg.split_once('=') {
            Some((p, r)) => (p.trim(), Some(r.trim())),
            None => (arg, None),
        };
        let spec = params::find(&generic(path));
        let Some(spec) = spec else {
            let all: Vec<&str> = params::PARAMS.iter().map(|p| p.path).collect();
            let hint = suggest(&generic(path), all.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            bail!(
                "--params {arg}: unknown parameter `{path}`{hint}; `racerun params` lists them \
                 (labs by id, e.g. labs.alpha.fleet)"
            );
        };
        if spec.kind != Kind::Real {
            bail!(
                "--params {arg}: `{path}` is not a real number (its kind: {}); only \
                 real-valued parameters can vary continuously",
                spec.kind.name()
            );
        }
        if paths.iter().any(|p| p == path) {
            bail!("--params {arg}: `{path}` is listed twice");
        }
        if let Some(range) = range {
            let bad = || {
                anyhow::anyhow!(
                    "--params {arg}: expected PATH=LOW:HIGH with numbers LOW < HIGH, e.g. \
                     world.dynamics.kappa=0:1.5"
                )
            };
            let (lo, hi) = range.split_once(':').ok_or_else(bad)?;
            let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
            let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
            if lo >= hi || !lo.is_finite() || !hi.is_finite() {
                return Err(bad());
            }
            let (lo, hi) = (toml::Value::Float(lo), toml::Value::Float(hi));
            overrides.push(Override::parse(&format!(
                "{path}={{ dist = \"uniform\", min = {lo}, max = {hi} }}"
            ))?);
        }
        paths.push(path.to_string());
    }
    if paths.is_empty() {
        bail!("--params: name at least one parameter, e.g. world.dynamics.kappa=0:1.5");
    }
    Ok((paths, overrides))
}

/// Runs `racerun sensitivity`.
pub fn run(args: SensitivityArgs) -> Result<()> {
    let (paths, ranges) = parse_params(&args.params)?;
    let Some(measure_fn) = inputs::headline(&args.measure) else {
        let names = inputs::headline_names();
        let hint = suggest(&args.measure, names.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        bail!(
            "--measure {}: unknown measure{hint}; valid measures: {}",
            args.measure,
            names.join(", ")
        );
    };
    let shard: Shard = match &args.shard {
        Some(s) => s.parse()?,
        None => Shard::WHOLE,
    };
    let mut overrides = args
        .set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    overrides.extend(ranges);
    let scenario = library::load(&args.scenario, &overrides)?;
    if !measure_fn.applies(scenario.labs.len(), scenario.months) {
        bail!(
            "--measure {}: does not apply to scenario `{}` ({} labs, {} months): it needs a rival lab{}",
            args.measure,
            scenario.name,
            scenario.labs.len(),
            scenario.months,
            if measure_fn.needs == crate::measures::Needs::RivalsAndEarlyWindow {
                " and at least 24 months"
            } else {
                ""
            }
        );
    }
    let uncertain = scenario.uncertain();
    let mut studied = Vec::with_capacity(paths.len());
    for path in &paths {
        let Some(i) = uncertain.iter().position(|u| &u.path == path) else {
            bail!(
                "--params {path}: no range to vary: give one as {path}=LOW:HIGH, or write it \
                 as a distribution in the scenario, e.g. {{ dist = \"uniform\", min = 0, max = 1 }}"
            );
        };
        studied.push(i);
    }
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |t| t as usize,
    );
    let experiment = Sensitivity {
        scenario: &scenario,
        params: studied,
        measure: (args.measure.clone(), measure_fn),
        samples: args.samples,
        runs: args.runs,
        seed: args.seed,
    };
    let rows = shard.range(args.samples, 1);
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let base = format!("{}-sensitivity", scenario.name);
        let name = if shard.is_whole() {
            base
        } else {
            format!("{base}.shard-{}-of-{}", shard.index, shard.count)
        };
        PathBuf::from("output").join(name)
    });

    let points = (rows.end - rows.start) * (experiment.k() as u64 + 2);
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(points);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} points, eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(format!("{} sensitivity", scenario.name));
        bar
    });
    let done = AtomicU64::new(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")?;
    let started = Instant::now();
    let values = pool.install(|| {
        experiment.evaluate(rows.clone(), &|| {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(bar) = &bar {
                bar.set_position(n);
            }
        })
    })?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let wall = started.elapsed().as_secs_f64();
    let header = Header::of(&experiment);

    if !shard.is_whole() {
        let part = Part {
            header,
            shard,
            first: rows.start,
            values,
        };
        output::replace_dir::<anyhow::Error>(&out_dir, |dir| {
            output::write_atomic(&dir.join(PARTIAL_FILE), &part.to_bytes())?;
            Ok(())
        })
        .with_context(|| format!("writing the partial result to {}", out_dir.display()))?;
        if !args.quiet {
            println!(
                "shard {shard}: rows {}..{} of {} ({points} points) in {wall:.1} s; wrote {}/{PARTIAL_FILE}\n\
                 combine the shards with: racerun merge DIR... --out DIR",
                rows.start,
                rows.end,
                args.samples,
                out_dir.display()
            );
        }
        return Ok(());
    }
    let outcome = Outcome { header, values };
    write(&outcome, &out_dir, args.no_plots)?;
    if !args.quiet {
        print!("{}", outcome.table());
        println!("{points} points x {} runs in {wall:.1} s", args.runs);
        println!("wrote {}/", out_dir.display());
    }
    Ok(())
}

/// Writes a whole sensitivity result (also used by `racerun merge`).
pub fn write(outcome: &Outcome, out_dir: &std::path::Path, no_plots: bool) -> Result<()> {
    output::replace_dir::<anyhow::Error>(out_dir, |dir| {
        outcome.write(dir)?;
        if !no_plots {
            plot::draw_tornado(dir, &PlotOptions::default())?;
        }
        Ok(())
    })
    .with_context(|| format!("writing results to {}", out_dir.display()))
}

/// `racerun merge` on the partials of `sensitivity --shard K/N`: merges and writes them,
/// returning `false` (having done nothing) when the first directory holds another kind.
pub fn try_merge(args: &crate::cli::MergeArgs) -> Result<bool> {
    let Some(first) = args.dirs.first() else {
        return Ok(false);
    };
    let is_ours = std::fs::read(first.join(PARTIAL_FILE))
        .ok()
        .and_then(|b| Part::from_bytes(&b).map(|_| ()))
        .is_some();
    if !is_ours {
        return Ok(false);
    }
    let mut parts = Vec::with_capacity(args.dirs.len());
    for dir in &args.dirs {
        let path = dir.join(PARTIAL_FILE);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let part = match Part::from_bytes(&bytes) {
            Some(Ok(p)) => p,
            Some(Err(e)) => bail!("{}: corrupt sensitivity partial: {e}", path.display()),
            None => bail!(
                "{}: not a partial of `racerun sensitivity --shard` (the others are)",
                path.display()
            ),
        };
        parts.push((dir.display().to_string(), part));
    }
    let outcome = crate::experiment::sensitivity::merge(parts)
        .map_err(|e| anyhow::anyhow!("cannot merge: {e}"))?;
    let out_dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output").join(format!("{}-sensitivity", outcome.header.scenario))
    });
    let out_abs = std::path::absolute(&out_dir).unwrap_or_else(|_| out_dir.clone());
    for dir in &args.dirs {
        let dir_abs = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
        if dir_abs.starts_with(&out_abs) {
            bail!(
                "--out {}: it holds the partial result {}; choose another output directory",
                out_dir.display(),
                dir.display()
            );
        }
    }
    write(&outcome, &out_dir, args.no_plots)?;
    if !args.quiet {
        print!("{}", outcome.table());
        println!("wrote {}/", out_dir.display());
    }
    Ok(true)
}
