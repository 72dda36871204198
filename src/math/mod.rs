//! The transcendental functions of everything racerun computes, the same bits on every
//! machine.
//!
//! A run must be a pure function of (scenario, seed, run index). `f64::exp`, `ln`,
//! `log10` and `powf` call the platform's math library, which is not: glibc alone picks
//! one of several versions of `exp` and `log` by processor at run time (with and without
//! fused multiply-add) and they differ in the last bit of some results; macOS, Windows
//! and musl differ again. A last bit of difference in a price or a research multiplier is
//! enough to change `runs.csv`. So racerun never calls them outside its tests (a test
//! reads the sources to keep it so) and calls these instead, written in plain IEEE
//! arithmetic: no fused multiply-add, whose single rounding would make the bits depend on
//! the processor.
//!
//! - [`exp`] and [`ln`], the step's calls (about three and one a lab-month): table
//!   methods (Tang's), with short chains of dependent operations, since the step often
//!   waits on them. The tables are computed with 80 digits by `scripts/math_tables.py`.
//!   - `exp`: `x = (128 k + j) ln 2 / 128 + r` with `|r| <= ln 2 / 256`, and
//!     `e^x = 2^k 2^(j/128) (1 + t_j) e^r`, `2^(j/128)` tabulated as the nearest double
//!     and `t_j` its relative remainder, `e^r - 1` by its Taylor polynomial to `r^5/120`
//!     (truncation below `6e-19`, relative).
//!   - `ln`: `x = 2^e m` with `m` in [1, 2), `c = 1 + j/128` the nearest such point to
//!     `m`, and `ln x = e ln 2 + ln c + ln(1 + u)` with `u = (m - c) / c` (`m - c` exact,
//!     `|u| <= 1/256`; `1/c` tabulated, and the rounding of `u` put back from the exact
//!     remainder), `ln c` and `ln 2` tabulated as multiples of 2^-42 (so that their sum
//!     is exact) plus the rest, and `ln(1 + u)` by its series to `u^7/7`.
//!
//!   Measured against 60-digit values at about 200,000 arguments each (the ends of the
//!   ranges and the hard points near 1 among them): `exp` within 0.51 units in the last
//!   place, `ln` within 0.52 (glibc's: 0.506 and 0.510); subnormal results of `exp` are
//!   rounded twice (within 0.75 units). `tests.rs` checks both against 80-digit values
//!   (among them the arguments where earlier versions erred) and against the platform's
//!   over the whole range.
//! - [`log10`], [`pow`] and the rest (for the charts' colour distances): the `libm`
//!   crate, a pure Rust port of the FreeBSD and musl libraries (within 1 unit in the
//!   last place), which computes the same bits on every target.
//! - [`normal_quantile`] (uncertain inputs' draws), from these.
//!
//! Square roots need nothing: IEEE 754 rounds them exactly, like `+ - * /`.
//!
//! One dependency still calls the system's functions: `rand_distr`'s normal draws (the
//! demand shock and release luck) take `ln` when a draw falls in the tail beyond 3.65
//! standard deviations (about 1 draw in 4,000) and `exp` in a comparison that a last
//! bit changes only when a uniform draw is within a unit of it. Between glibc's two
//! versions 15 of 2 x 10^10 draws differ in their last bit (about one baseline run in
//! seven million, each run drawing some 175), and none of 20,000 baseline runs moved
//! (1,169 had moved before); another system's library may differ more often.

/// `e^x`, within 0.51 units in the last place (0.75 for subnormal results); the same
/// bits on every machine.
#[inline]
pub fn exp(x: f64) -> f64 {
    // Above this the result overflows; below `EXP_UNDERFLOW` it is 0.
    const EXP_OVERFLOW: f64 = 709.782_712_893_384;
    const EXP_UNDERFLOW: f64 = -745.133_219_101_941_2;
    // `|x| < 700`: `2^k` and `2^k q` are normal numbers (`2^k q`, subnormal, would lose
    // bits), and the result neither overflows nor is subnormal: the common case.
    let normal = x.abs() < 700.0;
    if !normal {
        if x.is_nan() {
            return x;
        }
        if x > EXP_OVERFLOW {
            return f64::INFINITY;
        }
        if x < EXP_UNDERFLOW {
            return 0.0;
        }
    }
    // `x * 128 / ln 2` rounded to the nearest integer `n` (ties to even) by adding and
    // subtracting 1.5 * 2^52: no call to `round`.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let n = x * INV_LN2_128 + SHIFT - SHIFT;
    // `r = x - n ln2 / 128`; `n * LN2_128_HI` is exact (`LN2_128_HI` has 35 significant
    // bits and `|n| < 2^18`).
    let r = x - n * LN2_128_HI - n * LN2_128_LO;
    let n = n as i64;
    let (s, t) = TWO_POW_J_128[(n & 127) as usize];
    let k = n >> 7;
    // `(1 + t) e^r - 1 = t + r + r^2 (1/2 + r/6) + r^4 (1/24 + r/120)` (`t (e^r - 1)` is
    // below 2^-61: left out), in parts that do not wait on each other.
    let r2 = r * r;
    let q = f64::from_bits(t)
        + r
        + r2 * (0.5 + r * (1.0 / 6.0))
        + r2 * r2 * (1.0 / 24.0 + r * (1.0 / 120.0));
    // `2^k 2^(j/128)`: `k` added to the exponent of the table's value while the
    // polynomial is computed; at the ends of the range, in two steps, so that the first
    // stays a normal number (up to `2^1024 * 0.99`, past the largest power of two; and
    // subnormal results).
    let (k, last) = if normal {
        (k, 1.0)
    } else if k > 0 {
        (k - 1, 2.0)
    } else {
        (k + 1000, two_to(-1000))
    };
    let scale = f64::from_bits(s.wrapping_add((k as u64) << 52));
    let y = scale + scale * q;
    if normal { y } else { y * last }
}

/// `2^k` for `-1022 <= k <= 1023`.
#[inline]
fn two_to(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// The natural logarithm, within 0.52 units in the last place (NaN below 0, `-inf` at
/// 0); the same bits on every machine.
#[inline]
pub fn ln(x: f64) -> f64 {
    let mut bits = x.to_bits();
    let mut e: i64 = 0;
    // Not a positive, normal, finite number (the common case): zero, below zero,
    // subnormal, infinite or NaN.
    if bits.wrapping_sub(0x0010_0000_0000_0000) >= 0x7fe0_0000_0000_0000 {
        if x.is_nan() || x < 0.0 {
            return f64::NAN;
        }
        if x == 0.0 {
            return f64::NEG_INFINITY;
        }
        if x == f64::INFINITY {
            return x;
        }
        // Subnormal: scaled into the normal range.
        bits = (x * two_to(54)).to_bits();
        e = -54;
    }
    e += ((bits >> 52) as i64) - 1023;
    let mantissa = bits & ((1 << 52) - 1);
    // `m` in [1, 2), and the nearest `c = 1 + j/128`.
    let m = f64::from_bits(mantissa | 0x3ff0_0000_0000_0000);
    let j = ((mantissa + (1 << 44)) >> 45) as usize;
    // `1 + j/128` by its bits (2 at `j = 128`: the carry reaches the exponent).
    let c = f64::from_bits(0x3ff0_0000_0000_0000 + ((j as u64) << 45));
    let (inverse, hi, lo) = LN_1_J_128[j];
    let (inverse, hi, lo) = (
        f64::from_bits(inverse),
        f64::from_bits(hi),
        f64::from_bits(lo),
    );
    let f = m - c;
    let u = f * inverse;
    // What the rounding of `u` (and of `1/c`) left out, `(f - u c) / c`: `f - u c` is a
    // double of 9 significant bits at most, computed exactly (`u` split so that each
    // part times `c`, of 8 significant bits, is exact). It matters where `ln x` is as
    // small as `u` (just above 1 + 1/256, just below 1 - 1/256).
    let u_hi = f64::from_bits(u.to_bits() & !0xff);
    let remainder = (f - u_hi * c) - (u - u_hi) * c;
    let du = remainder * inverse;
    let e = e as f64;
    // `ln(1 + u) = u - u^2/2 + u^3/3 - ... + u^7/7` (the next term is below 2^-58 of
    // `u`), in parts that do not wait on each other.
    let u2 = u * u;
    let u4 = u2 * u2;
    let rest = u2 * (-0.5 + u * (1.0 / 3.0))
        + u4 * ((-0.25 + u * 0.2) + u2 * (-1.0 / 6.0 + u * (1.0 / 7.0)));
    // `e ln 2 + ln c` is exact (multiples of 2^-42 below 2^11); `u` is added to it with
    // its rounding error kept (`|u|` is below it unless it is 0), and the small terms last.
    let big = e * LN2_HI + hi;
    let sum = big + u;
    let error = u - (sum - big);
    sum + ((error + (e * LN2_LO + lo + du)) + rest)
}

/// The logarithm to base 10 (the `libm` crate).
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `x^y` (the `libm` crate).
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// The cube root (the `libm` crate).
#[inline]
pub fn cbrt(x: f64) -> f64 {
    libm::cbrt(x)
}

/// `sqrt(x^2 + y^2)` without overflow (the `libm` crate).
#[inline]
pub fn hypot(x: f64, y: f64) -> f64 {
    libm::hypot(x, y)
}

/// The angle of `(x, y)` from the x axis, radians in [-pi, pi] (the `libm` crate).
#[inline]
pub fn atan2(y: f64, x: f64) -> f64 {
    libm::atan2(y, x)
}

/// The sine of `x` radians (the `libm` crate).
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// The cosine of `x` radians (the `libm` crate).
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// The standard normal's quantile: the value below which a share `p` of draws fall
/// (`-inf` at 0, `inf` at 1, NaN outside [0, 1]). A first guess within 4.5e-4
/// (Abramowitz and Stegun, 26.2.23) is made exact by three steps of Halley's method on
/// the distribution function from the `libm` crate: `erf(x / sqrt 2) / 2` against
/// `p - 1/2` in the middle (`p` in [0.25, 0.75], where `p - 1/2` is exact), and
/// `erfc(-x / sqrt 2) / 2` against the tail's share outside, so that no digits are lost
/// to a difference from a half. The same bits on every machine; within a few units in
/// the last place of statrs's (not strictly increasing at the last bit), and beyond 37
/// standard deviations (`p` below 1e-300), where the density underflows, the first
/// guess.
pub fn normal_quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return match p {
            0.0 => f64::NEG_INFINITY,
            1.0 => f64::INFINITY,
            _ => f64::NAN,
        };
    }
    if p == 0.5 {
        return 0.0;
    }
    // The lower tail's share: `1 - p` is exact for `p` above a half. The quantile of the
    // upper tail is minus that of the lower.
    let q = p.min(1.0 - p);
    let sign = if p < 0.5 { -1.0 } else { 1.0 };
    let t = (-2.0 * ln(q)).sqrt();
    let guess = t
        - (2.515_517 + t * (0.802_853 + t * 0.010_328))
            / (1.0 + t * (1.432_788 + t * (0.189_269 + t * 0.001_308)));
    if q < 1e-300 {
        return sign * guess;
    }
    let root_two_pi = (2.0 * std::f64::consts::PI).sqrt();
    let middle = q >= 0.25;
    // In the middle, `x` itself; in the tails, the lower tail's (negative) quantile.
    let mut x = if middle { sign * guess } else { -guess };
    for _ in 0..3 {
        let error = if middle {
            0.5 * libm::erf(x / std::f64::consts::SQRT_2) - (p - 0.5)
        } else {
            0.5 * libm::erfc(-x / std::f64::consts::SQRT_2) - q
        };
        let u = error * root_two_pi * exp(x * x / 2.0);
        x -= u / (1.0 + x * u / 2.0);
    }
    if middle { x } else { -sign * x }
}

/// `128 / ln 2`.
const INV_LN2_128: f64 = 184.664_965_233_787_3;
/// `ln 2 / 128` to 35 significant bits, and the rest.
const LN2_128_HI: f64 = 0.005_415_212_347_998_022;
const LN2_128_LO: f64 = 1.265_508_608_332_543_8e-13;
/// `ln 2` as a multiple of 2^-42, and the rest.
const LN2_HI: f64 = 0.693_147_180_559_890_3;
const LN2_LO: f64 = 5.497_923_018_708_371e-14;

/// `2^(j/128)` for `j = 0..127`: the nearest double, and the remainder relative to it, as
/// bits (`scripts/math_tables.py`).
const TWO_POW_J_128: [(u64, u64); 128] = [
    (0x3ff0000000000000, 0x0000000000000000),
    (0x3ff0163da9fb3335, 0x3c9b3b4f1a88bf6e),
    (0x3ff02c9a3e778061, 0xbc7160139cd8dc5d),
    (0x3ff04315e86e7f85, 0xbc905e7a108766d1),
    (0x3ff059b0d3158574, 0x3c8cd2523567f613),
    (0x3ff0706b29ddf6de, 0xbc8bce8023f98efa),
    (0x3ff0874518759bc8, 0x3c60f74e61e6c861),
    (0x3ff09e3ecac6f383, 0x3c90a3e45b33d399),
    (0x3ff0b5586cf9890f, 0x3c979aa65d837b6d),
    (0x3ff0cc922b7247f7, 0x3c8eb51a92fdeffc),
    (0x3ff0e3ec32d3d1a2, 0x3c3ebe3d702f9cd1),
    (0x3ff0fb66affed31b, 0xbc6a033489906e0b),
    (0x3ff11301d0125b51, 0xbc9556522a2fbd0e),
    (0x3ff12abdc06c31cc, 0xbc5080ef8c4eea55),
    (0x3ff1429aaea92de0, 0xbc91c923b9d5f416),
    (0x3ff15a98c8a58e51, 0x3c80d3e3e95c55af),
    (0x3ff172b83c7d517b, 0xbc801b15eaa59348),
    (0x3ff18af9388c8dea, 0xbc8f1ff055de323d),
    (0x3ff1a35beb6fcb75, 0x3c8b898c3f1353bf),
    (0x3ff1bbe084045cd4, 0xbc96d99c7611eb26),
    (0x3ff1d4873168b9aa, 0x3c9aecf73e3a2f60),
    (0x3ff1ed5022fcd91d, 0xbc8fe782cb86389d),
    (0x3ff2063b88628cd6, 0x3c8a6f4144a6c38d),
    (0x3ff21f49917ddc96, 0x3c807a05b0e4047d),
    (0x3ff2387a6e756238, 0x3c968efde3a8a894),
    (0x3ff251ce4fb2a63f, 0x3c875e18f274487d),
    (0x3ff26b4565e27cdd, 0x3c80472b981fe7f2),
    (0x3ff284dfe1f56381, 0xbc96b87b3f71085e),
    (0x3ff29e9df51fdee1, 0x3c82f7e16d09ab31),
    (0x3ff2b87fd0dad990, 0xbc3d219b1a6fbffa),
    (0x3ff2d285a6e4030b, 0x3c8b3782720c0ab4),
    (0x3ff2ecafa93e2f56, 0x3c6e149289cecb8f),
    (0x3ff306fe0a31b715, 0x3c834d754db0abb6),
    (0x3ff32170fc4cd831, 0x3c864201e2ac744c),
    (0x3ff33c08b26416ff, 0x3c8fdd395dd3f84a),
    (0x3ff356c55f929ff1, 0xbc86a3803b8e5b04),
    (0x3ff371a7373aa9cb, 0xbc924aedcc4b5068),
    (0x3ff38cae6d05d866, 0xbc9907f81b512d8e),
    (0x3ff3a7db34e59ff7, 0xbc71d1e83e9436d2),
    (0x3ff3c32dc313a8e5, 0xbc991919b3ce1b15),
    (0x3ff3dea64c123422, 0x3c859f48a72a4c6d),
    (0x3ff3fa4504ac801c, 0xbc9312607a28698a),
    (0x3ff4160a21f72e2a, 0xbc58a78f4817895b),
    (0x3ff431f5d950a897, 0xbc7c2c9b67499a1b),
    (0x3ff44e086061892d, 0x3c4363ed60c2ac11),
    (0x3ff46a41ed1d0057, 0x3c9666093b0664ef),
    (0x3ff486a2b5c13cd0, 0x3c6ecce1daa10379),
    (0x3ff4a32af0d7d3de, 0x3c93ff8e3f0f1230),
    (0x3ff4bfdad5362a27, 0x3c7690cebb7aafb0),
    (0x3ff4dcb299fddd0d, 0x3c931dbdeb54e077),
    (0x3ff4f9b2769d2ca7, 0xbc8f94340071a38e),
    (0x3ff516daa2cf6642, 0xbc87deccdc93a349),
    (0x3ff5342b569d4f82, 0xbc78dec6bd0f385f),
    (0x3ff551a4ca5d920f, 0xbc861246ec7b5cf6),
    (0x3ff56f4736b527da, 0x3c93350518fdd78e),
    (0x3ff58d12d497c7fd, 0x3c7b98b72f8a9b05),
    (0x3ff5ab07dd485429, 0x3c9063e1e21c5409),
    (0x3ff5c9268a5946b7, 0x3c34c7855019c6ea),
    (0x3ff5e76f15ad2148, 0x3c9432e62b64c035),
    (0x3ff605e1b976dc09, 0xbc8ce44a6199769f),
    (0x3ff6247eb03a5585, 0xbc8c33c53bef4da8),
    (0x3ff6434634ccc320, 0xbc845378892be9ae),
    (0x3ff6623882552225, 0xbc93cedd78565858),
    (0x3ff68155d44ca973, 0x3c5710aa807e1964),
    (0x3ff6a09e667f3bcd, 0xbc93b3efbf5e2228),
    (0x3ff6c012750bdabf, 0xbc6a12ad8734b982),
    (0x3ff6dfb23c651a2f, 0xbc6367efb86da9ee),
    (0x3ff6ff7df9519484, 0xbc80dc3d54e08851),
    (0x3ff71f75e8ec5f74, 0xbc781f647e5a3ecf),
    (0x3ff73f9a48a58174, 0xbc86ee4ac08b7db0),
    (0x3ff75feb564267c9, 0xbc8619321e55e68a),
    (0x3ff780694fde5d3f, 0x3c909ccb5e09d4d3),
    (0x3ff7a11473eb0187, 0xbc7b32dcb94da51d),
    (0x3ff7c1ed0130c132, 0x3c94ecfd5467c06b),
    (0x3ff7e2f336cf4e62, 0x3c65ebe1abd66c55),
    (0x3ff80427543e1a12, 0xbc88a1c52fb3cf42),
    (0x3ff82589994cce13, 0xbc9369b6f13b3734),
    (0x3ff8471a4623c7ad, 0xbc805e843a19ff1e),
    (0x3ff868d99b4492ed, 0xbc94d450d872576e),
    (0x3ff88ac7d98a6699, 0x3c90ad675b0e8a00),
    (0x3ff8ace5422aa0db, 0x3c8db72fc1f0eab4),
    (0x3ff8cf3216b5448c, 0xbc65b6609cc5e7ff),
    (0x3ff8f1ae99157736, 0x3c7bf68359f35f44),
    (0x3ff9145b0b91ffc6, 0xbc93091fa71e3d83),
    (0x3ff93737b0cdc5e5, 0xbc5da9b88b6c1e29),
    (0x3ff95a44cbc8520f, 0xbc6c23f97c90b959),
    (0x3ff97d829fde4e50, 0xbc92434322f4f9aa),
    (0x3ff9a0f170ca07ba, 0xbc85ca6cd7668e4b),
    (0x3ff9c49182a3f090, 0x3c71affc2b91ce27),
    (0x3ff9e86319e32323, 0x3c6dd235e10a73bb),
    (0x3ffa0c667b5de565, 0xbc87c50422622263),
    (0x3ffa309bec4a2d33, 0x3c8b1c86e3e231d5),
    (0x3ffa5503b23e255d, 0xbc91bbd1d3bcbb15),
    (0x3ffa799e1330b358, 0x3c90cc319cee31d2),
    (0x3ffa9e6b5579fdbf, 0x3c8469846e735ab3),
    (0x3ffac36bbfd3f37a, 0xbc82dfcd978e9db4),
    (0x3ffae89f995ad3ad, 0x3c8c1a7792cb3387),
    (0x3ffb0e07298db666, 0xbc907b8f4ad1d9fa),
    (0x3ffb33a2b84f15fb, 0xbc55c3d956dcaeba),
    (0x3ffb59728de5593a, 0xbc90a40e3da6f640),
    (0x3ffb7f76f2fb5e47, 0xbc68d6f438ad9334),
    (0x3ffba5b030a1064a, 0xbc91eee26b588a35),
    (0x3ffbcc1e904bc1d2, 0x3c74ffd70a5fddcd),
    (0x3ffbf2c25bd71e09, 0xbc91bdfbfa9298ac),
    (0x3ffc199bdd85529c, 0x3c736eae30af0cb3),
    (0x3ffc40ab5fffd07a, 0x3c8ee3325c9ffd94),
    (0x3ffc67f12e57d14b, 0x3c84e08fd10959ac),
    (0x3ffc8f6d9406e7b5, 0x3c63cdaf384e1a67),
    (0x3ffcb720dcef9069, 0x3c676b2c6c921968),
    (0x3ffcdf0b555dc3fa, 0xbc808a1883ccb5d2),
    (0x3ffd072d4a07897c, 0xbc8fad5d3ffffa6f),
    (0x3ffd2f87080d89f2, 0xbc900dae3875a949),
    (0x3ffd5818dcfba487, 0x3c74a385a63d07a7),
    (0x3ffd80e316c98398, 0xbc82919e2040220f),
    (0x3ffda9e603db3285, 0x3c8e5a50d5c192ac),
    (0x3ffdd321f301b460, 0x3c843a59ac016b4b),
    (0x3ffdfc97337b9b5f, 0xbc82d52107b43e1f),
    (0x3ffe264614f5a129, 0xbc892ab93b470dc9),
    (0x3ffe502ee78b3ff6, 0x3c74b604603a88d3),
    (0x3ffe7a51fbc74c83, 0x3c83c5ec519d7271),
    (0x3ffea4afa2a490da, 0xbc8ff7128fd391f0),
    (0x3ffecf482d8e67f1, 0xbc8dae98e223747d),
    (0x3ffefa1bee615a27, 0x3c8ec3bc41aa2008),
    (0x3fff252b376bba97, 0x3c842b94c3a9eb32),
    (0x3fff50765b6e4540, 0x3c8a64a931d185ee),
    (0x3fff7bfdad9cbe14, 0xbc8e37bae43be3ed),
    (0x3fffa7c1819e90d8, 0x3c77893b4d91cd9d),
    (0x3fffd3c22b8f71f1, 0x3c5305c14160cc89),
];

/// For `j = 0..128` and `c = 1 + j/128`: `1/c` as the nearest double, and `ln c` as a
/// multiple of 2^-42 and the rest, as bits (`scripts/math_tables.py`).
const LN_1_J_128: [(u64, u64, u64); 129] = [
    (0x3ff0000000000000, 0x0000000000000000, 0x0000000000000000),
    (0x3fefc07f01fc07f0, 0x3f7fe02a6b100000, 0x3d19e23f0dda40e4),
    (0x3fef81f81f81f820, 0x3f8fc0a8b0fc0000, 0x3cdf1e7cf6d3a69c),
    (0x3fef44659e4a4271, 0x3f97b91b07d60000, 0xbd33b955b602ace4),
    (0x3fef07c1f07c1f08, 0x3f9f829b0e780000, 0x3d2980267c7e09e4),
    (0x3feecc07b301ecc0, 0x3fa39e87b9fe8000, 0x3d3eafd480ad9015),
    (0x3fee9131abf0b767, 0x3fa77458f6330000, 0xbd3181dce586af09),
    (0x3fee573ac901e574, 0x3fab42dd71198000, 0xbd1c827ae5d6704c),
    (0x3fee1e1e1e1e1e1e, 0x3faf0a30c0118000, 0xbd2d599e83368e91),
    (0x3fede5d6e3f8868a, 0x3fb16536eea38000, 0xbd147c5e768fa309),
    (0x3fedae6076b981db, 0x3fb341d7961bc000, 0x3d31d09299837610),
    (0x3fed77b654b82c34, 0x3fb51b073f060000, 0x3d383f69278e686a),
    (0x3fed41d41d41d41d, 0x3fb6f0d28ae58000, 0xbd34b4641b664613),
    (0x3fed0cb58f6ec074, 0x3fb8c345d6318000, 0x3d3b20f5acb42a66),
    (0x3fecd85689039b0b, 0x3fba926d3a4ac000, 0x3d3563650bd22a9c),
    (0x3feca4b3055ee191, 0x3fbc5e548f5bc000, 0x3d1d0c57585fbe06),
    (0x3fec71c71c71c71c, 0x3fbe27076e2b0000, 0xbd2a342c2af0003c),
    (0x3fec3f8f01c3f8f0, 0x3fbfec9131dc0000, 0xbd354555d1ae6607),
    (0x3fec0e070381c0e0, 0x3fc0d77e7cd08000, 0x3d3cb2cd2ee2f482),
    (0x3febdd2b899406f7, 0x3fc1b72ad52f6000, 0x3d2e80a41811a396),
    (0x3febacf914c1bad0, 0x3fc29552f8200000, 0xbd35b967f4471dfc),
    (0x3feb7d6c3dda338b, 0x3fc371fc201e8000, 0x3d3ee8779b2d8abc),
    (0x3feb4e81b4e81b4f, 0x3fc44d2b6ccb8000, 0xbd170cc16135783c),
    (0x3feb2036406c80d9, 0x3fc526e5e3a1c000, 0xbd3790ba37fc5238),
    (0x3feaf286bca1af28, 0x3fc5ff3070a7a000, 0xbd38586f183bebf2),
    (0x3feac5701ac5701b, 0x3fc6d60fe719e000, 0xbd3bc6e557134767),
    (0x3fea98ef606a63be, 0x3fc7ab890210e000, 0xbd2bdb9072534a58),
    (0x3fea6d01a6d01a6d, 0x3fc87fa06520c000, 0x3d322120401202fc),
    (0x3fea41a41a41a41a, 0x3fc9525a9cf46000, 0xbd3297137d9f158f),
    (0x3fea16d3f97a4b02, 0x3fca23bc1fe2c000, 0xbd3539cd91dc9f0b),
    (0x3fe9ec8e951033d9, 0x3fcaf3c94e80c000, 0xbcba4e633fcd9066),
    (0x3fe9c2d14ee4a102, 0x3fcbc286742d8000, 0x3d39ac53f39d121c),
    (0x3fe999999999999a, 0x3fcc8ff7c79aa000, 0xbd27794f689f8434),
    (0x3fe970e4f80cb872, 0x3fcd5c216b4fc000, 0xbd21ba91bbca681b),
    (0x3fe948b0fcd6e9e0, 0x3fce27076e2b0000, 0xbd3a342c2af0003c),
    (0x3fe920fb49d0e229, 0x3fcef0adcbdc6000, 0xbd2b26b79c86af24),
    (0x3fe8f9c18f9c18fa, 0x3fcfb9186d5e4000, 0xbd0d572aab993c87),
    (0x3fe8d3018d3018d3, 0x3fd0402594b4d000, 0x3cf036b89ef42d7f),
    (0x3fe8acb90f6bf3aa, 0x3fd0a324e2739000, 0x3d0c6bee7ef4030e),
    (0x3fe886e5f0abb04a, 0x3fd1058bf9ae5000, 0xbd34ab9d817d52cd),
    (0x3fe8618618618618, 0x3fd1675cababa000, 0x3d38380e731f55c4),
    (0x3fe83c977ab2bedd, 0x3fd1c898c169a000, 0xbd381410e5c62aff),
    (0x3fe8181818181818, 0x3fd22941fbcf8000, 0xbd3a6976f5eb0963),
    (0x3fe7f405fd017f40, 0x3fd2895a13de8000, 0x3d3a8d7ad24c13f0),
    (0x3fe7d05f417d05f4, 0x3fd2e8e2bae12000, 0xbd267b1e99b72bd8),
    (0x3fe7ad2208e0ecc3, 0x3fd347dd9a988000, 0xbd25594dd4c58092),
    (0x3fe78a4c8178a4c8, 0x3fd3a64c55694000, 0x3d37a71cbcd735d0),
    (0x3fe767dce434a9b1, 0x3fd404308686a000, 0x3d3f8ef43049f7d3),
    (0x3fe745d1745d1746, 0x3fd4618bc21c6000, 0xbd13d82f484c84cc),
    (0x3fe724287f46debc, 0x3fd4be5f95778000, 0xbd3d7c92cd9ad824),
    (0x3fe702e05c0b8170, 0x3fd51aad872e0000, 0xbd3f4bd8db0a7cc1),
    (0x3fe6e1f76b4337c7, 0x3fd5767717456000, 0xbd364ead9524d7ca),
    (0x3fe6c16c16c16c17, 0x3fd5d1bdbf581000, 0xbd38d6bdc9c7c238),
    (0x3fe6a13cd1537290, 0x3fd62c82f2b9c000, 0x3d3e54bdbd7c8a98),
    (0x3fe6816816816817, 0x3fd686c81e9b1000, 0x3d32bb110af84054),
    (0x3fe661ec6a5122f9, 0x3fd6e08eaa2ba000, 0x3d1e38c139318d71),
    (0x3fe642c8590b2164, 0x3fd739d7f6bbd000, 0x3cba7389314feb50),
    (0x3fe623fa77016240, 0x3fd792a55fdd4000, 0x3d3e89f057691fea),
    (0x3fe6058160581606, 0x3fd7eaf83b82b000, 0xbcee4da62d0c25ad),
    (0x3fe5e75bb8d015e7, 0x3fd842d1da1e9000, 0xbd33a2db13ae687c),
    (0x3fe5c9882b931057, 0x3fd89a3386c14000, 0x3d22d5ad38c40882),
    (0x3fe5ac056b015ac0, 0x3fd8f11e87366000, 0x3d263bf0bb4eab4c),
    (0x3fe58ed2308158ed, 0x3fd947941c211000, 0x3d3beae9337451f4),
    (0x3fe571ed3c506b3a, 0x3fd99d958117e000, 0x3d01597525dd88f0),
    (0x3fe5555555555555, 0x3fd9f323ecbfa000, 0xbd3ed03525ca2643),
    (0x3fe5390948f40feb, 0x3fda484090e5c000, 0xbd33d7500d6523c5),
    (0x3fe51d07eae2f815, 0x3fda9cec9a9a1000, 0xbd3ed9cadec02b43),
    (0x3fe5015015015015, 0x3fdaf12932478000, 0xbd3e53bb31eed7a9),
    (0x3fe4e5e0a72f0539, 0x3fdb44f77bcc9000, 0xbd03ae68224aa2ce),
    (0x3fe4cab88725af6e, 0x3fdb985896931000, 0x3d0f6b31f629f11e),
    (0x3fe4afd6a052bf5b, 0x3fdbeb4d9da72000, 0xbd321021e78b2151),
    (0x3fe49539e3b2d067, 0x3fdc3dd7a7cdb000, 0xbd25946261f5a42b),
    (0x3fe47ae147ae147b, 0x3fdc8ff7c79aa000, 0xbd37794f689f8434),
    (0x3fe460cbc7f5cf9a, 0x3fdce1af0b85f000, 0x3d2f5bdbe95e5568),
    (0x3fe446f86562d9fb, 0x3fdd32fe7e00f000, 0xbd30aa7884dcd050),
    (0x3fe42d6625d51f87, 0x3fdd83e7258a3000, 0xbd0835f5d48ba26d),
    (0x3fe4141414141414, 0x3fddd46a04c1c000, 0x3d3282fb989a9274),
    (0x3fe3fb013fb013fb, 0x3fde24881a7c7000, 0xbd2ecf1a1385d356),
    (0x3fe3e22cbce4a902, 0x3fde744261d68000, 0x3d3e1f8df68dbcf3),
    (0x3fe3c995a47babe7, 0x3fdec399d2469000, 0xbd29ff45188d6065),
    (0x3fe3b13b13b13b14, 0x3fdf128f5faf0000, 0x3d3bb2cd720ec44c),
    (0x3fe3991c2c187f63, 0x3fdf6123fa703000, 0xbd3d4e7aea4f0d25),
    (0x3fe3813813813814, 0x3fdfaf588f78f000, 0x3d28f6cd7d9f2754),
    (0x3fe3698df3de0748, 0x3fdffd2e0857f000, 0x3d3261565f40d932),
    (0x3fe3521cfb2b78c1, 0x3fe02552a5a5d000, 0x3d1fd8d38d2bafdd),
    (0x3fe33ae45b57bcb2, 0x3fe04bdf9da92800, 0xbd22d9a033eff74e),
    (0x3fe323e34a2b10bf, 0x3fe0723e5c1ce000, 0xbd17f6350d38eddd),
    (0x3fe30d190130d190, 0x3fe0986f4f573800, 0xbd36fa37012b5806),
    (0x3fe2f684bda12f68, 0x3fe0be72e4252800, 0x3d3415b4c4bdd99f),
    (0x3fe2e025c04b8097, 0x3fe0e44985d1d000, 0xbd3ba048a8d10b4b),
    (0x3fe2c9fb4d812ca0, 0x3fe109f39e2d5000, 0xbd3b4810e09b27a4),
    (0x3fe2b404ad012b40, 0x3fe12f719593f000, 0xbd00eb3fb7398e0c),
    (0x3fe29e4129e4129e, 0x3fe154c3d2f4d800, 0xbd30b2b38662e34d),
    (0x3fe288b01288b013, 0x3fe179eabbd89800, 0x3d2a0bfc60e6fa08),
    (0x3fe27350b8812735, 0x3fe19ee6b467c800, 0x3d26ecc5cbdd7782),
    (0x3fe25e22708092f1, 0x3fe1c3b81f714000, 0xbd3eda1b58389902),
    (0x3fe2492492492492, 0x3fe1e85f5e704000, 0x3d1a07bd8b34be7c),
    (0x3fe23456789abcdf, 0x3fe20cdcd192a800, 0x3d3b6c9a81e87bae),
    (0x3fe21fb78121fb78, 0x3fe23130d7bec000, 0xbd17afa4392f1ba7),
    (0x3fe20b470c67c0d9, 0x3fe2555bce98f800, 0xbcfa61fde292977e),
    (0x3fe1f7047dc11f70, 0x3fe2795e1289b000, 0x3d21aeb783f3db97),
    (0x3fe1e2ef3b3fb874, 0x3fe29d37fec2b000, 0x3d11590b9ad974ba),
    (0x3fe1cf06ada2811d, 0x3fe2c0e9ed449000, 0xbd274468563ce45d),
    (0x3fe1bb4a4046ed29, 0x3fe2e47436e40000, 0x3d334202a10c3491),
    (0x3fe1a7b9611a7b96, 0x3fe307d7334f1000, 0x3d17c3f6b2143ead),
    (0x3fe19453808ca29c, 0x3fe32b1339122000, 0xbd34766fd54a4c27),
    (0x3fe1811811811812, 0x3fe34e289d9ce000, 0x3d2d316eb92d885d),
    (0x3fe16e0689427379, 0x3fe37117b5474800, 0xbd028e88bf6deec9),
    (0x3fe15b1e5f75270d, 0x3fe393e0d3562800, 0x3d30cd4e221301b7),
    (0x3fe1485f0e0acd3b, 0x3fe3b6844a000000, 0xbd3eea838909f3d3),
    (0x3fe135c81135c811, 0x3fe3d9026a715800, 0xbd2055bfbd9c2f53),
    (0x3fe12358e75d3033, 0x3fe3fb5b84d17000, 0xbd17b4962c55f46b),
    (0x3fe1111111111111, 0x3fe41d8fe8467000, 0x3d35732325e617a3),
    (0x3fe0fef010fef011, 0x3fe43f9fe2f9d000, 0xbd298858d84649f1),
    (0x3fe0ecf56be69c90, 0x3fe4618bc21c6000, 0xbd23d82f484c84cc),
    (0x3fe0db20a88f4696, 0x3fe48353d1ea8800, 0x3d1bee7abd176604),
    (0x3fe0c9714fbcda3b, 0x3fe4a4f85db04000, 0xbd244fdd840b8591),
    (0x3fe0b7e6ec259dc8, 0x3fe4c679afccf000, 0xbd2c64e971322ce8),
    (0x3fe0a6810a6810a7, 0x3fe4e7d811b75800, 0x3d3d84e584c2b22c),
    (0x3fe0953f39010954, 0x3fe50913cc016800, 0x3d0ad2f2ce96c2d6),
    (0x3fe0842108421084, 0x3fe52a2d265bc800, 0xbd32a88c41ba8752),
    (0x3fe073260a47f7c6, 0x3fe54b2467999800, 0xbd3b42b755eba5e1),
    (0x3fe0624dd2f1a9fc, 0x3fe56bf9d5b3f000, 0x3d3cca08e310b9b2),
    (0x3fe05197f7d73404, 0x3fe58cadb5cd7800, 0x3d2893092f25d931),
    (0x3fe0410410410410, 0x3fe5ad404c35a000, 0xbd1a609acaab41fc),
    (0x3fe03091b51f5e1a, 0x3fe5cdb1dc6c1800, 0xbd136e612387451f),
    (0x3fe0204081020408, 0x3fe5ee02a9241800, 0xbd28a8f29f6a02dc),
    (0x3fe0101010101010, 0x3fe60e32f4478800, 0x3d1b194f912b416a),
    (0x3fe0000000000000, 0x3fe62e42fefa3800, 0x3d2ef35793c76730),
];

#[cfg(test)]
mod tests;
