//! Shapley values of channels over counterfactual worlds, as linear combinations of the
//! worlds' values.
//!
//! The game: players are the `k` channels a scenario uses; a coalition `S` is the world
//! with the channels of `S` on and the others off, and its value `v(S)` is a measure's
//! mean over runs in that world. The factual world is `v(all)`, the world with every
//! channel off `v(none)`. A channel's Shapley value is its marginal contribution
//! `v(S + c) - v(S)` averaged over the orders in which channels could be switched on:
//!
//! `phi_c = sum over S without c of |S|! (k - |S| - 1)! / k! * (v(S + c) - v(S))`.
//!
//! The values add up to `v(all) - v(none)` (efficiency), two channels that do the same
//! get the same value (symmetry), and a channel that changes nothing gets 0.
//!
//! Up to [`EXACT_MAX`] channels every coalition is simulated (`2^k` worlds) and the
//! values are exact. Beyond, [`PERMUTATIONS`] random orders are drawn and each channel's
//! marginal contribution averaged over them (Castro, Gomez and Tejada 2009): only the
//! coalitions on those orders are simulated, the values still add up exactly (each order
//! telescopes from `v(none)` to `v(all)`), and each carries a standard error, the spread
//! of its contributions over orders divided by the square root of their number.
//!
//! Either way a value is a fixed linear combination of world values
//! ([`Plan::coefficients`]), so the value of a mean over runs is the mean of the runs'
//! values: the bootstrap resamples runs and recombines.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// Most channels attributed exactly (2^7 = 128 worlds).
pub const EXACT_MAX: usize = 7;
/// Orders drawn beyond [`EXACT_MAX`] channels.
pub const PERMUTATIONS: usize = 64;

/// Which worlds to simulate and how their values combine into Shapley values.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Number of players.
    k: usize,
    /// The coalitions to simulate, as masks (bit `c` set: channel `c` on), ascending;
    /// the first is no channel on, the last every channel on.
    worlds: Vec<u32>,
    /// `k x worlds`: `phi_c = sum_w coefficients[c][w] * v(worlds[w])`.
    coefficients: Vec<Vec<f64>>,
    /// The sampled orders, when sampled.
    orders: Option<Vec<Vec<usize>>>,
}

impl Plan {
    /// The plan for `k` channels: exact up to [`EXACT_MAX`], else [`PERMUTATIONS`] orders
    /// drawn from `rng`.
    pub fn new(k: usize, rng: &mut ChaCha8Rng) -> Plan {
        if k <= EXACT_MAX {
            Plan::exact(k)
        } else {
            Plan::sampled(k, PERMUTATIONS, rng)
        }
    }

    /// Every coalition, exact weights.
    pub fn exact(k: usize) -> Plan {
        let all = 1usize << k;
        let weight = |s: usize| {
            // s! (k - s - 1)! / k!, computed as a product to stay exact for small k.
            let mut w = 1.0 / k as f64;
            for i in 1..=s {
                w *= i as f64 / (k - i) as f64;
            }
            w
        };
        let mut coefficients = vec![vec![0.0; all]; k];
        for (c, row) in coefficients.iter_mut().enumerate() {
            for s in 0..all {
                if s & (1 << c) != 0 {
                    continue;
                }
                let w = weight(s.count_ones() as usize);
                row[s | (1 << c)] += w;
                row[s] -= w;
            }
        }
        Plan {
            k,
            worlds: (0..all as u32).collect(),
            coefficients,
            orders: None,
        }
    }

    /// `orders` random orders of `k` channels.
    pub fn sampled(k: usize, orders: usize, rng: &mut ChaCha8Rng) -> Plan {
        let mut drawn = Vec::with_capacity(orders);
        for _ in 0..orders {
            let mut order: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            drawn.push(order);
        }
        let mut worlds: Vec<u32> = drawn.iter().flat_map(|order| prefixes(order)).collect();
        worlds.sort_unstable();
        worlds.dedup();
        let index = |mask: u32| worlds.binary_search(&mask).unwrap_or(0);
        let mut coefficients = vec![vec![0.0; worlds.len()]; k];
        let p = orders as f64;
        for order in &drawn {
            let masks = prefixes(order);
            for (i, &c) in order.iter().enumerate() {
                coefficients[c][index(masks[i + 1])] += 1.0 / p;
                coefficients[c][index(masks[i])] -= 1.0 / p;
            }
        }
        Plan {
            k,
            worlds,
            coefficients,
            orders: Some(drawn),
        }
    }

    /// Number of players.
    pub fn players(&self) -> usize {
        self.k
    }

    /// The coalitions to simulate, as masks (bit `c`: channel `c` on).
    pub fn worlds(&self) -> &[u32] {
        &self.worlds
    }

    /// Whether every coalition is simulated.
    pub fn is_exact(&self) -> bool {
        self.orders.is_none()
    }

    /// The index of the world with every channel off.
    pub fn none(&self) -> usize {
        0
    }

    /// The index of the factual world, every channel on.
    pub fn all(&self) -> usize {
        self.worlds.len() - 1
    }

    /// `phi_c = sum_w coefficients()[c][w] * v_w`.
    pub fn coefficients(&self) -> &[Vec<f64>] {
        &self.coefficients
    }

    /// The Shapley values of the world values `v` (in [`Plan::worlds`] order).
    pub fn values(&self, v: &[f64]) -> Vec<f64> {
        self.coefficients
            .iter()
            .map(|row| row.iter().zip(v).map(|(c, x)| c * x).sum())
            .collect()
    }

    /// The standard error of each sampled value (`None` when exact): the spread of the
    /// channel's marginal contributions over the orders, over the square root of their
    /// number.
    pub fn standard_errors(&self, v: &[f64]) -> Option<Vec<f64>> {
        let orders = self.orders.as_ref()?;
        let at = |mask: u32| v[self.worlds.binary_search(&mask).unwrap_or(0)];
        let mut contributions = vec![Vec::with_capacity(orders.len()); self.k];
        for order in orders {
            let masks = prefixes(order);
            for (i, &c) in order.iter().enumerate() {
                contributions[c].push(at(masks[i + 1]) - at(masks[i]));
            }
        }
        Some(
            contributions
                .iter()
                .map(|x| {
                    let n = x.len() as f64;
                    let mean = x.iter().sum::<f64>() / n;
                    let var =
                        x.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
                    (var / n).sqrt()
                })
                .collect(),
        )
    }
}

/// The coalitions along an order: none, the first channel, the first two, ..., all.
fn prefixes(order: &[usize]) -> Vec<u32> {
    let mut mask = 0u32;
    let mut out = Vec::with_capacity(order.len() + 1);
    out.push(0);
    for &c in order {
        mask |= 1 << c;
        out.push(mask);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    /// A game on `k` players from `values[mask]`.
    fn shapley(k: usize, values: &[f64]) -> Vec<f64> {
        let plan = Plan::exact(k);
        plan.values(values)
    }

    #[test]
    fn a_two_player_game_by_hand() {
        // v(none) 0, v(a) 2, v(b) 4, v(ab) 10: a's contributions 2 (first) and 6 (after
        // b), mean 4; b's 4 and 8, mean 6.
        assert_eq!(shapley(2, &[0.0, 2.0, 4.0, 10.0]), vec![4.0, 6.0]);
        let plan = Plan::exact(2);
        assert_eq!((plan.none(), plan.all()), (0, 3));
        assert!(plan.is_exact() && plan.standard_errors(&[0.0; 4]).is_none());
    }

    proptest! {
        #[test]
        fn efficiency_the_values_add_up_to_all_minus_none(
            k in 1usize..=7,
            seed in any::<u64>(),
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let v: Vec<f64> = (0..1usize << k).map(|_| rng.random_range(-10.0..10.0)).collect();
            let phi = shapley(k, &v);
            let total = v[(1 << k) - 1] - v[0];
            prop_assert!((phi.iter().sum::<f64>() - total).abs() < 1e-9);
        }

        #[test]
        fn symmetric_channels_get_the_same_value_and_a_dummy_none(
            k in 2usize..=7,
            seed in any::<u64>(),
        ) {
            // v depends on the set through a per-player weight, with players 0 and 1
            // weighted alike and player k - 1 not at all, plus an interaction of the two.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut w: Vec<f64> = (0..k).map(|_| rng.random_range(-5.0..5.0)).collect();
            if k > 2 {
                w[k - 1] = 0.0;
            }
            w[1] = w[0];
            let v: Vec<f64> = (0..1usize << k)
                .map(|m| {
                    let on = |c: usize| m & (1 << c) != 0;
                    let base: f64 = (0..k).filter(|&c| on(c)).map(|c| w[c]).sum();
                    let both = if on(0) && on(1) { 3.0 } else { 0.0 };
                    (base + both).powi(2) / 7.0
                })
                .collect();
            let phi = shapley(k, &v);
            prop_assert!((phi[0] - phi[1]).abs() < 1e-9, "{phi:?}");
            if k > 2 {
                prop_assert!(phi[k - 1].abs() < 1e-9, "{phi:?}");
            }
        }

        #[test]
        fn sampled_orders_add_up_exactly_and_are_exact_on_additive_games(
            k in 8usize..=10,
            seed in any::<u64>(),
        ) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let w: Vec<f64> = (0..k).map(|_| rng.random_range(-5.0..5.0)).collect();
            let plan = Plan::new(k, &mut rng);
            prop_assert!(!plan.is_exact());
            prop_assert_eq!(plan.worlds()[0], 0);
            prop_assert_eq!(*plan.worlds().last().unwrap(), (1u32 << k) - 1);
            // Additive: every contribution is the player's own weight.
            let value = |m: u32| (0..k).filter(|&c| m & (1 << c) != 0).map(|c| w[c]).sum::<f64>();
            let v: Vec<f64> = plan.worlds().iter().map(|&m| value(m)).collect();
            let phi = plan.values(&v);
            for c in 0..k {
                prop_assert!((phi[c] - w[c]).abs() < 1e-9);
            }
            let se = plan.standard_errors(&v).unwrap();
            prop_assert!(se.iter().all(|s| *s < 1e-9));
            // Not additive: still efficient.
            let v: Vec<f64> = plan.worlds().iter().map(|&m| value(m).powi(2)).collect();
            let phi = plan.values(&v);
            let total = v[plan.all()] - v[plan.none()];
            prop_assert!((phi.iter().sum::<f64>() - total).abs() < 1e-9);
        }
    }

    #[test]
    fn sampling_error_shrinks_with_more_orders() {
        // A game with interactions: v(S) = |S|^2. Exact values are all k (symmetric,
        // total k^2); sampled ones scatter around it with a standard error that covers
        // the truth.
        let k = 9;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let plan = Plan::sampled(k, 400, &mut rng);
        let v: Vec<f64> = plan
            .worlds()
            .iter()
            .map(|m| f64::from(m.count_ones()).powi(2))
            .collect();
        let phi = plan.values(&v);
        let se = plan.standard_errors(&v).unwrap();
        for c in 0..k {
            assert!(
                (phi[c] - k as f64).abs() < 4.0 * se[c] + 1e-9,
                "{phi:?} {se:?}"
            );
            assert!(se[c] > 0.0 && se[c] < 1.0);
        }
    }
}
