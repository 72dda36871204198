//! A measured prototype for the structure-of-arrays engine: the price step (step 6) of a
//! block of 256 baseline runs at month 60, three ways:
//!
//! - `per run`: today's engine, `prices::set_prices` run after run;
//! - `block, scalar lanes`: the block's state as `[lab][run]` arrays, the same scalar
//!   arithmetic per run (bit for bit today's numbers);
//! - `block, f64x4`: the same arrays, four runs at a time with `wide`'s SIMD `exp`/`ln`
//!   and selects in place of branches (numbers within a few ulps).
//!
//! `cargo bench --bench blocks`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use racerun::engine::{Engine, LabState};
use racerun::math;
use racerun::model::MAX_LOG10_MULTIPLIER;
use racerun::model::prices::{self, Buffers, UTILISATION, next_price, utilisation};
use racerun::scenario::Scenario;
use wide::f64x4;

const RUNS: usize = 256;
const MONTH: u32 = 60;

fn baseline() -> Scenario {
    Scenario::from_path(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml"),
        &[],
    )
    .unwrap()
}

/// The labs of `RUNS` runs at month `MONTH`.
fn states(s: &Scenario) -> Vec<Vec<LabState>> {
    (0..RUNS as u64)
        .map(|r| {
            let mut e = Engine::new(s, 42, r);
            for _ in 0..MONTH {
                e.step().unwrap();
            }
            e.state().labs.clone()
        })
        .collect()
}

/// The price step's inputs and outputs as `[lab][run]` rows.
struct Block {
    fleet: Vec<Vec<f64>>,
    draw: Vec<Vec<f64>>,
    rate: Vec<Vec<f64>>,
    demand: Vec<Vec<f64>>,
    capacity: Vec<Vec<f64>>,
    log_markup: Vec<Vec<f64>>,
    price: Vec<Vec<f64>>,
    term: Vec<Vec<f64>>,
}

impl Block {
    fn of(runs: &[Vec<LabState>]) -> Block {
        let n = runs[0].len();
        let rows = |f: fn(&LabState) -> f64| -> Vec<Vec<f64>> {
            (0..n)
                .map(|i| runs.iter().map(|labs| f(&labs[i])).collect())
                .collect()
        };
        Block {
            fleet: rows(|l| l.fleet),
            draw: rows(|l| l.draw),
            rate: rows(|l| l.serving_rate),
            demand: rows(|l| l.demand),
            capacity: rows(|l| l.capacity),
            log_markup: rows(|l| l.log_markup),
            price: rows(|l| l.price),
            term: vec![vec![0.0; runs.len()]; n],
        }
    }
}

struct Fixed {
    lists: Vec<f64>,
    relative: Vec<f64>,
    log_cap: f64,
    capped_above: f64,
    opex_per_gw: f64,
}

fn fixed(s: &Scenario) -> Fixed {
    let m = &s.world.market;
    let mean = s.labs.iter().map(|l| l.price).sum::<f64>() / s.labs.len() as f64;
    Fixed {
        lists: s.labs.iter().map(|l| l.price * PRICE_FACTOR).collect(),
        relative: s.labs.iter().map(|l| math::ln(l.price / mean)).collect(),
        log_cap: math::ln(m.price_cap),
        capped_above: math::exp(math::ln(m.price_cap) / m.price_response),
        opex_per_gw: s.world.gpus.opex_per_h100e / (s.world.power.kw_per_h100e * 1e-6),
    }
}

const LN_RELATIVE: f64 = 6.907_755_278_982_137;
const MOST: f64 = MAX_LOG10_MULTIPLIER * std::f64::consts::LN_10;
/// A reference price and list-price factor for the price step, the same in all three
/// versions (round numbers, not the calendar's values at month 60: 672 and 0.168).
const REFERENCE: f64 = 1000.0;
const PRICE_FACTOR: f64 = 0.2;

/// The block, run by run within each lab, with today's scalar functions.
fn block_scalar(b: &mut Block, s: &Scenario, f: &Fixed) {
    let market = &s.world.market;
    let sens = market.price_sensitivity;
    for i in 0..f.lists.len() {
        let list = f.lists[i];
        for r in 0..RUNS {
            let (fleet, draw, rate) = (b.fleet[i][r], b.draw[i][r], b.rate[i][r]);
            let cost = if fleet <= 0.0 {
                0.0
            } else {
                let c = f.opex_per_gw * draw / (fleet * rate);
                if c.is_finite() {
                    c
                } else {
                    f.opex_per_gw * (draw / fleet) / rate
                }
            };
            let u = utilisation(b.demand[i][r], b.capacity[i][r]);
            let lm = b.log_markup[i][r];
            let (p, m) = if lm >= f.log_cap && u >= f.capped_above && list > 0.0 {
                let p = market.price_cap * list;
                if p < cost {
                    (cost, math::ln(cost / list).clamp(-MOST, MOST))
                } else {
                    (p, f.log_cap)
                }
            } else {
                next_price(lm, list, u, cost, f.log_cap, market)
            };
            b.price[i][r] = p;
            b.log_markup[i][r] = m;
            b.term[i][r] = -sens * (f.relative[i] + m).clamp(-LN_RELATIVE, LN_RELATIVE);
        }
    }
}

/// The block, four runs at a time: both sides of every branch computed, then selected.
fn block_simd(b: &mut Block, s: &Scenario, f: &Fixed) {
    let market = &s.world.market;
    let (lo, hi) = UTILISATION;
    let sens = f64x4::splat(-market.price_sensitivity);
    let (log_cap, capped_above) = (f64x4::splat(f.log_cap), f64x4::splat(f.capped_above));
    let (adj, resp) = (
        f64x4::splat(market.price_adjustment),
        f64x4::splat(market.price_response),
    );
    let zero = f64x4::ZERO;
    for i in 0..f.lists.len() {
        let list = f64x4::splat(f.lists[i]);
        let cap_price = f64x4::splat(market.price_cap * f.lists[i]);
        let rel = f64x4::splat(f.relative[i]);
        let opex = f64x4::splat(f.opex_per_gw);
        for r in (0..RUNS).step_by(4) {
            let ld = |v: &Vec<f64>| f64x4::from(<[f64; 4]>::try_from(&v[r..r + 4]).unwrap());
            let (fleet, draw, rate) = (ld(&b.fleet[i]), ld(&b.draw[i]), ld(&b.rate[i]));
            let (demand, capacity, lm) =
                (ld(&b.demand[i]), ld(&b.capacity[i]), ld(&b.log_markup[i]));
            let cost = fleet
                .simd_le(zero)
                .select(zero, opex * draw / (fleet * rate));
            let u = capacity.simd_le(zero).select(
                demand.simd_gt(zero).select(f64x4::splat(hi), f64x4::ONE),
                (demand / capacity)
                    .max(f64x4::splat(lo))
                    .min(f64x4::splat(hi)),
            );
            let capped = lm.simd_ge(log_cap) & u.simd_ge(capped_above);
            let m = lm + adj * (resp * u.ln() - lm);
            let over = m.simd_gt(log_cap);
            let p = over.select(cap_price, list * m.exp());
            let m = over.select(log_cap, m);
            let (p, m) = (capped.select(cap_price, p), capped.select(log_cap, m));
            let below = p.simd_lt(cost);
            let (p, m) = if below.any() {
                let floor = (cost / list)
                    .ln()
                    .max(f64x4::splat(-MOST))
                    .min(f64x4::splat(MOST));
                (below.select(cost, p), below.select(floor, m))
            } else {
                (p, m)
            };
            let term = sens
                * (rel + m)
                    .max(f64x4::splat(-LN_RELATIVE))
                    .min(f64x4::splat(LN_RELATIVE));
            b.price[i][r..r + 4].copy_from_slice(&p.to_array());
            b.log_markup[i][r..r + 4].copy_from_slice(&m.to_array());
            b.term[i][r..r + 4].copy_from_slice(&term.to_array());
        }
    }
}

/// Today's price step, run after run.
fn per_run_step(runs: &mut [Vec<LabState>], buffers: &mut [Buffers], s: &Scenario, f: &Fixed) {
    for (labs, buf) in runs.iter_mut().zip(buffers.iter_mut()) {
        let market = &s.world.market;
        prices::set_prices(
            labs,
            &s.labs,
            market,
            PRICE_FACTOR,
            REFERENCE,
            f.opex_per_gw,
            buf,
        );
    }
}

fn blocks(c: &mut Criterion) {
    let s = baseline();
    let runs = states(&s);
    let f = fixed(&s);
    let mut per_run = runs.clone();
    let mut buffers: Vec<Buffers> = (0..RUNS)
        .map(|_| Buffers::new(&s.labs, &s.world.market))
        .collect();
    // The three agree before they are timed: the scalar lanes bit for bit with today's
    // step, the SIMD lanes within a few ulps.
    let (mut a, mut v) = (Block::of(&runs), Block::of(&runs));
    block_scalar(&mut a, &s, &f);
    block_simd(&mut v, &s, &f);
    per_run_step(&mut per_run, &mut buffers, &s, &f);
    for (r, labs) in per_run.iter().enumerate() {
        for (i, lab) in labs.iter().enumerate() {
            assert_eq!(
                (lab.price, lab.log_markup),
                (a.price[i][r], a.log_markup[i][r])
            );
        }
    }
    let worst = a
        .price
        .iter()
        .flatten()
        .zip(v.price.iter().flatten())
        .map(|(x, y)| ((x - y) / x).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-14, "{worst}");
    println!("prices of {RUNS} runs: scalar lanes equal today's step; SIMD within {worst:.1e}");
    let mut per_run = runs.clone();
    c.bench_function("prices of 256 runs: per run (today)", |bch| {
        bch.iter(|| {
            per_run_step(&mut per_run, &mut buffers, &s, &f);
            black_box(&per_run);
        })
    });
    let mut blk = Block::of(&runs);
    c.bench_function("prices of 256 runs: block, scalar lanes", |bch| {
        bch.iter(|| {
            block_scalar(&mut blk, &s, &f);
            black_box(&blk.price);
        })
    });
    let mut blk = Block::of(&runs);
    c.bench_function("prices of 256 runs: block, f64x4", |bch| {
        bch.iter(|| {
            block_simd(&mut blk, &s, &f);
            black_box(&blk.price);
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = blocks
}
criterion_main!(benches);
