//! Training: effective compute, self-improvement, spillover, and the quality of a release.

use super::MAX_LOG10_MULTIPLIER;

/// The quality curve `Q(E) = q0 + elo_per_decade * log10(E / e0)`, in Elo.
///
/// `E <= 0` (a run that trained nothing) has no model: `None`.
pub fn quality_of(effective_compute: f64, q0: f64, e0: f64, elo_per_decade: f64) -> Option<f64> {
    (effective_compute > 0.0).then(|| q0 + elo_per_decade * (effective_compute / e0).log10())
}

/// Self-improvement `R = min(10^(kappa (q - q_mean) / elo_per_decade), research_cap)`.
///
/// A lab ahead of the field's mean researches faster; one behind, slower (R < 1), which
/// is the symmetric reading of "a lead worth 10x compute makes research 10x faster".
pub fn research_multiplier(
    quality: f64,
    mean_quality: f64,
    kappa: f64,
    elo_per_decade: f64,
    cap: f64,
) -> f64 {
    let exponent = (kappa * (quality - mean_quality) / elo_per_decade).min(MAX_LOG10_MULTIPLIER);
    pow10(exponent).min(cap)
}

/// Catch-up spillover `S = 10^(phi * max(0, q_max - q) / elo_per_decade)`: a laggard gets
/// a fraction `phi` of its gap, in compute terms, for free.
pub fn spillover(quality: f64, frontier: f64, phi: f64, elo_per_decade: f64) -> f64 {
    let exponent = (phi * (frontier - quality).max(0.0) / elo_per_decade).min(MAX_LOG10_MULTIPLIER);
    pow10(exponent)
}

/// `10^x` through `exp`, about three times cheaper than `powf` and as accurate for the
/// model's purposes (relative error about 1e-15).
fn pow10(x: f64) -> f64 {
    (x * std::f64::consts::LN_10).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_x_compute_is_one_decade_of_elo() {
        assert_eq!(quality_of(2e26, 1250.0, 2e25, 90.0), Some(1340.0));
        assert_eq!(quality_of(2e25, 1250.0, 2e25, 90.0), Some(1250.0));
        assert_eq!(quality_of(0.0, 1250.0, 2e25, 90.0), None);
    }

    #[test]
    fn kappa_one_lead_of_a_decade_is_ten_x() {
        assert!((research_multiplier(1390.0, 1300.0, 1.0, 90.0, 100.0) - 10.0).abs() < 1e-9);
        assert_eq!(research_multiplier(1390.0, 1300.0, 1.0, 90.0, 5.0), 5.0);
        assert_eq!(research_multiplier(1390.0, 1300.0, 0.0, 90.0, 5.0), 1.0);
        assert!((research_multiplier(1210.0, 1300.0, 1.0, 90.0, 10.0) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn spillover_gives_laggards_part_of_the_gap() {
        assert!((spillover(1210.0, 1300.0, 0.5, 90.0) - 10f64.sqrt()).abs() < 1e-12);
        assert_eq!(spillover(1300.0, 1300.0, 0.5, 90.0), 1.0);
        assert_eq!(spillover(1210.0, 1300.0, 0.0, 90.0), 1.0);
    }
}
