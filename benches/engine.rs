//! Criterion micro-benchmarks: one run of the baseline (the step loop alone), one run with
//! the measures, a small Monte Carlo with aggregation, and racerun's `exp` and `ln`.
//!
//! `cargo bench --bench engine`. Charts are off (criterion's plots would need a font).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use racerun::engine::{Calendar, Engine, Workspace};
use racerun::metrics::{RunMeasures, RunTrace};
use racerun::montecarlo::{self, MonteCarlo};
use racerun::scenario::Scenario;

fn baseline() -> Scenario {
    Scenario::from_path(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml"),
        &[],
    )
    .unwrap()
}

fn engine(c: &mut Criterion) {
    let s = baseline();
    let calendar = Calendar::new(&s);
    let mut run = 0u64;
    c.bench_function("baseline: one run, step loop only (360 lab-months)", |b| {
        b.iter(|| {
            run += 1;
            let e = Engine::with_calendar(&s, std::borrow::Cow::Borrowed(&calendar), 42, run);
            black_box(e.run(&mut ()).unwrap())
        })
    });
    // As the Monte Carlo runs it: in the buffers of the run before.
    let mut workspace = Workspace::default();
    c.bench_function("baseline: one run, step loop, buffers reused", |b| {
        b.iter(|| {
            run += 1;
            let calendar = std::borrow::Cow::Borrowed(&calendar);
            let taken = std::mem::take(&mut workspace);
            let e = Engine::reusing(&s, calendar, 42, run, None, taken);
            e.run_reusing(&mut (), &mut workspace).unwrap();
            black_box(&workspace);
        })
    });
    c.bench_function("baseline: one run with trace and measures", |b| {
        b.iter(|| {
            run += 1;
            let mut trace = RunTrace::new(s.labs.len(), s.months as usize);
            Engine::with_calendar(&s, std::borrow::Cow::Borrowed(&calendar), 42, run)
                .run(&mut trace)
                .unwrap();
            black_box(RunMeasures::measure(run, &trace, &s))
        })
    });
    let mc = MonteCarlo {
        seed: 42,
        runs: 0..256,
        total: 256,
        threads: 1,
        samples: 0,
    };
    c.bench_function(
        "baseline: Monte Carlo of 256 runs, 1 thread, with bands",
        |b| b.iter(|| black_box(montecarlo::run(&s, &mc, &|_| {}).unwrap())),
    );
}

/// racerun's own `exp` and `ln` (`src/math`), against the platform's,
/// over 4,096 arguments.
fn math(c: &mut Criterion) {
    let xs: Vec<f64> = (0..4096)
        .map(|i| -5.0 + 10.0 * (f64::from(i) * 0.618_034).fract())
        .collect();
    let ps: Vec<f64> = xs.iter().map(|x| x.abs() * 100.0 + 0.001).collect();
    let sum = |f: fn(f64) -> f64, args: &[f64]| args.iter().map(|&x| f(black_box(x))).sum::<f64>();
    c.bench_function("exp: racerun::math (4,096 calls)", |b| {
        b.iter(|| sum(racerun::math::exp, &xs))
    });
    c.bench_function("exp: the platform's (4,096 calls)", |b| {
        b.iter(|| sum(f64::exp, &xs))
    });
    c.bench_function("ln: racerun::math (4,096 calls)", |b| {
        b.iter(|| sum(racerun::math::ln, &ps))
    });
    c.bench_function("ln: the platform's (4,096 calls)", |b| {
        b.iter(|| sum(f64::ln, &ps))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = engine, math
}
criterion_main!(benches);
