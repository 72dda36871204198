//! Sobol indices from Saltelli sampling: the design (matrices `A`, `B` and `AB_i`), the
//! estimators and their bootstrap intervals. Pure arithmetic on unit-cube points and
//! model values; [`super::sensitivity`] evaluates the model. The method is described in
//! [`super::sensitivity`]'s module docs.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

/// Bootstrap resamples for the confidence intervals.
pub const RESAMPLES: usize = 500;
/// Seed of the bootstrap generator (fixed: the intervals are part of the result).
pub const BOOTSTRAP_SEED: u64 = 0x5EB0_0757;
/// Confidence level of the intervals.
pub const CONFIDENCE: f64 = 0.95;

/// The generator of row `row` of the sample matrices `A` and `B`: ChaCha8 seeded from
/// the master seed on stream `row`, 2^65 words in (runs use words from 0, their input
/// draws from 2^64).
fn row_rng(seed: u64, row: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(row);
    rng.set_word_pos(1u128 << 65);
    rng
}

/// Row `row` of `A` and of `B`: `k` uniform numbers each.
pub fn design_row(seed: u64, row: u64, k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = row_rng(seed, row);
    let a: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
    let b: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
    (a, b)
}

/// The `k + 2` unit-cube points of a row, in evaluation order: `A`, `B`, `AB_1..AB_k`.
pub fn row_points(a: &[f64], b: &[f64]) -> Vec<Vec<f64>> {
    let mut points = vec![a.to_vec(), b.to_vec()];
    for i in 0..a.len() {
        let mut ab = a.to_vec();
        ab[i] = b[i];
        points.push(ab);
    }
    points
}

/// One input's indices with their bootstrap intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indices {
    /// First-order index.
    pub s1: f64,
    /// Lower end of its interval.
    pub s1_lo: f64,
    /// Upper end.
    pub s1_hi: f64,
    /// Total-effect index.
    pub st: f64,
    /// Lower end of its interval.
    pub st_lo: f64,
    /// Upper end.
    pub st_hi: f64,
}

/// Point estimates of `(S1, ST)` for each of `k` inputs from the model values of `rows`
/// (each `k + 2` long: `f(A), f(B), f(AB_1), ..`), using the rows listed in `pick`.
pub fn estimate(values: &[Vec<f64>], pick: &[usize], k: usize) -> (Vec<f64>, Vec<f64>) {
    let n = pick.len() as f64;
    let mean = pick
        .iter()
        .map(|&j| values[j][0] + values[j][1])
        .sum::<f64>()
        / (2.0 * n);
    let var = pick
        .iter()
        .map(|&j| (values[j][0] - mean).powi(2) + (values[j][1] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n - 1.0);
    let mut s1 = vec![0.0; k];
    let mut st = vec![0.0; k];
    for i in 0..k {
        let (mut first, mut total) = (0.0, 0.0);
        for &j in pick {
            let (fa, fb, fab) = (values[j][0], values[j][1], values[j][2 + i]);
            // Centred on the mean: the same estimator in expectation (the mean of
            // f(AB_i) - f(A) is zero), with less variance when the mean is far from 0.
            first += (fb - mean) * (fab - fa);
            total += (fa - fab).powi(2);
        }
        s1[i] = first / n / var;
        st[i] = total / (2.0 * n) / var;
    }
    (s1, st)
}

/// Indices with bootstrap intervals (see the module docs). NaN when the measure does not
/// vary.
pub fn indices(values: &[Vec<f64>], k: usize) -> Vec<Indices> {
    let all: Vec<usize> = (0..values.len()).collect();
    let (s1, st) = estimate(values, &all, k);
    let mut rng = ChaCha8Rng::seed_from_u64(BOOTSTRAP_SEED);
    let mut boot_s1 = vec![Vec::with_capacity(RESAMPLES); k];
    let mut boot_st = vec![Vec::with_capacity(RESAMPLES); k];
    let mut pick = vec![0usize; values.len()];
    for _ in 0..RESAMPLES {
        for p in pick.iter_mut() {
            *p = rng.random_range(0..values.len());
        }
        let (a, b) = estimate(values, &pick, k);
        for i in 0..k {
            boot_s1[i].push(a[i]);
            boot_st[i].push(b[i]);
        }
    }
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let q = |v: &mut Vec<f64>, p: f64| crate::stats::quantile(v, p);
    // (stats::quantile sorts a copy; the vectors are small.)
    (0..k)
        .map(|i| Indices {
            s1: s1[i],
            s1_lo: q(&mut boot_s1[i], tail),
            s1_hi: q(&mut boot_s1[i], 1.0 - tail),
            st: st[i],
            st_lo: q(&mut boot_st[i], tail),
            st_hi: q(&mut boot_st[i], 1.0 - tail),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let n = 8192;
        let values: Vec<Vec<f64>> = (0..n)
            .map(|j| {
                let (a, b) = design_row(42, j, 3);
                row_points(&a, &b)
                    .iter()
                    .map(|p| {
                        let x: Vec<f64> = p.iter().map(|u| -PI + 2.0 * PI * u).collect();
                        ishigami(&x)
                    })
                    .collect()
            })
            .collect();
        let got = indices(&values, 3);
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            let g = &got[i];
            assert!(
                (g.s1 - s1[i]).abs() < 0.04,
                "S1[{i}] = {} vs {}",
                g.s1,
                s1[i]
            );
            assert!(
                (g.st - st[i]).abs() < 0.03,
                "ST[{i}] = {} vs {}",
                g.st,
                st[i]
            );
            assert!(g.s1_lo <= g.s1 && g.s1 <= g.s1_hi, "{g:?}");
            assert!(g.st_lo <= g.st && g.st <= g.st_hi, "{g:?}");
            // The intervals cover the truth.
            assert!(g.s1_lo - 0.01 <= s1[i] && s1[i] <= g.s1_hi + 0.01, "{g:?}");
            assert!(g.st_lo - 0.01 <= st[i] && st[i] <= g.st_hi + 0.01, "{g:?}");
        }
        eprintln!("ishigami N={n}: {got:?}");
    }

    #[test]
    fn design_rows_are_reproducible_and_independent_of_the_split() {
        assert_eq!(design_row(1, 5, 3), design_row(1, 5, 3));
        assert_ne!(design_row(1, 5, 3), design_row(1, 6, 3));
        assert_ne!(design_row(1, 5, 3), design_row(2, 5, 3));
    }
}
