//! Lab colours that can be told apart: by everyone, and by readers with the common
//! red-green colour-vision deficiencies.
//!
//! Two colours are *distinct* when their CIEDE2000 difference is at least
//! [`MIN_DIFFERENCE`] as seen, and at least [`MIN_DIFFERENCE_CVD`] as seen with
//! protanopia and with deuteranopia (simulated with the matrices of Machado, Oliveira and
//! Fernandes, 2009, at full severity). Every pair of the Okabe-Ito palette passes (its
//! closest pair, orange and yellow, differs by 11.6 with deuteranopia); two brand blues
//! (`#4285F4` and `#0866FF`) do not, nor OpenAI's green and Anthropic's coral (`#10A37F`
//! and `#D97757`, 9.3 apart with protanopia). [`distinguishable`] keeps each lab's
//! scenario colour unless it is too close to an earlier lab's, and then gives it the
//! first Okabe-Ito colour distinct from all the others.

use crate::math;
use plotters::style::RGBColor;

use super::theme::OKABE_ITO;

/// Least CIEDE2000 difference between two lab colours for normal vision.
pub(crate) const MIN_DIFFERENCE: f64 = 15.0;
/// Least difference under simulated protanopia and deuteranopia: no pair closer than the
/// closest of the palette designed for colour-blind readers (Okabe-Ito, 11.6).
pub(crate) const MIN_DIFFERENCE_CVD: f64 = 11.0;

const PROTANOPIA: [[f64; 3]; 3] = [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
];
const DEUTERANOPIA: [[f64; 3]; 3] = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
];

/// Linear RGB of an sRGB colour.
fn linear(c: RGBColor) -> [f64; 3] {
    [c.0, c.1, c.2].map(|v| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            math::pow((v + 0.055) / 1.055, 2.4)
        }
    })
}

fn simulate(rgb: [f64; 3], m: &[[f64; 3]; 3]) -> [f64; 3] {
    m.map(|row| (row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]).clamp(0.0, 1.0))
}

/// CIELAB (D65) of linear RGB.
fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            math::cbrt(t)
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    [
        116.0 * f(y) - 16.0,
        500.0 * (f(x) - f(y)),
        200.0 * (f(y) - f(z)),
    ]
}

/// The CIEDE2000 colour difference (Sharma, Wu and Dalal, 2005).
fn ciede2000([l1, a1, b1]: [f64; 3], [l2, a2, b2]: [f64; 3]) -> f64 {
    let c_bar = (math::hypot(a1, b1) + math::hypot(a2, b2)) / 2.0;
    let g = 0.5 * (1.0 - (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt());
    let (a1, a2) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1, c2) = (math::hypot(a1, b1), math::hypot(a2, b2));
    let hue = |b: f64, a: f64| math::atan2(b, a).to_degrees().rem_euclid(360.0);
    let (h1, h2) = (hue(b1, a1), hue(b2, a2));
    let dl = l2 - l1;
    let dc = c2 - c1;
    let dh = if c1 * c2 == 0.0 {
        0.0
    } else {
        let d = h2 - h1;
        if d > 180.0 {
            d - 360.0
        } else if d < -180.0 {
            d + 360.0
        } else {
            d
        }
    };
    let dh = 2.0 * (c1 * c2).sqrt() * math::sin(dh.to_radians() / 2.0);
    let l_bar = (l1 + l2) / 2.0;
    let c_bar = (c1 + c2) / 2.0;
    let h_bar = if c1 * c2 == 0.0 {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 360.0 {
        (h1 + h2 + 360.0) / 2.0
    } else {
        (h1 + h2 - 360.0) / 2.0
    };
    let cos = |deg: f64| math::cos(deg.to_radians());
    let t =
        1.0 - 0.17 * cos(h_bar - 30.0) + 0.24 * cos(2.0 * h_bar) + 0.32 * cos(3.0 * h_bar + 6.0)
            - 0.20 * cos(4.0 * h_bar - 63.0);
    let d_theta = 30.0 * math::exp(-((h_bar - 275.0) / 25.0).powi(2));
    let r_c = 2.0 * (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt();
    let s_l = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
    let s_c = 1.0 + 0.045 * c_bar;
    let s_h = 1.0 + 0.015 * c_bar * t;
    let r_t = -math::sin((2.0 * d_theta).to_radians()) * r_c;
    let (l, c, h) = (dl / s_l, dc / s_c, dh / s_h);
    (l * l + c * c + h * h + r_t * c * h).sqrt()
}

/// The differences of two colours: as seen, with protanopia, with deuteranopia.
pub(crate) fn differences(a: RGBColor, b: RGBColor) -> [f64; 3] {
    let (a, b) = (linear(a), linear(b));
    [
        ciede2000(lab(a), lab(b)),
        ciede2000(lab(simulate(a, &PROTANOPIA)), lab(simulate(b, &PROTANOPIA))),
        ciede2000(
            lab(simulate(a, &DEUTERANOPIA)),
            lab(simulate(b, &DEUTERANOPIA)),
        ),
    ]
}

/// Whether two colours are told apart by normal and red-green deficient vision.
pub(crate) fn distinct(a: RGBColor, b: RGBColor) -> bool {
    let [seen, protan, deutan] = differences(a, b);
    seen >= MIN_DIFFERENCE && protan >= MIN_DIFFERENCE_CVD && deutan >= MIN_DIFFERENCE_CVD
}

/// The colours the charts draw the labs in: each lab's own (`None`: the Okabe-Ito colour
/// of its place), made [`distinguishable`].
pub(crate) fn lab_colors(given: impl IntoIterator<Item = Option<RGBColor>>) -> Vec<RGBColor> {
    let mut colors: Vec<RGBColor> = given
        .into_iter()
        .enumerate()
        .map(|(i, c)| c.unwrap_or(OKABE_ITO[i % OKABE_ITO.len()]))
        .collect();
    distinguishable(&mut colors);
    colors
}

/// Keeps each colour unless it is too close to an earlier one, which then takes the first
/// Okabe-Ito colour distinct from all the others (kept as it is when none is).
pub(crate) fn distinguishable(colors: &mut [RGBColor]) {
    for i in 1..colors.len() {
        if colors[..i].iter().all(|&c| distinct(c, colors[i])) {
            continue;
        }
        let others: Vec<RGBColor> = colors
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != i)
            .map(|(_, &c)| c)
            .collect();
        if let Some(&free) = OKABE_ITO
            .iter()
            .find(|&&c| others.iter().all(|&o| distinct(c, o)))
        {
            colors[i] = free;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okabe_ito_is_distinct_and_near_blues_are_not() {
        for (i, &a) in OKABE_ITO.iter().enumerate() {
            for &b in &OKABE_ITO[i + 1..] {
                assert!(distinct(a, b), "{a:?} {b:?}: {:?}", differences(a, b));
            }
        }
        let google = RGBColor(0x42, 0x85, 0xF4);
        let meta = RGBColor(0x08, 0x66, 0xFF);
        assert!(!distinct(google, meta));
        // Far apart as seen (52.8), close with protanopia (9.3).
        let openai = RGBColor(0x10, 0xA3, 0x7F);
        let anthropic = RGBColor(0xD9, 0x77, 0x57);
        assert!(
            !distinct(openai, anthropic),
            "{:?}",
            differences(openai, anthropic)
        );
        // The reference pair of Sharma et al.'s test data: 50/2.6772/-79.7751 vs
        // 50/0/-82.7485 differ by 2.0425.
        let d = ciede2000([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485]);
        assert!((d - 2.0425).abs() < 1e-3, "{d}");
    }

    #[test]
    fn only_a_colour_too_close_to_an_earlier_one_changes() {
        let brand = [
            RGBColor(0x10, 0xA3, 0x7F),
            RGBColor(0xD9, 0x77, 0x57),
            RGBColor(0x42, 0x85, 0xF4),
            RGBColor(0x08, 0x66, 0xFF),
            RGBColor(0, 0, 0),
        ];
        let mut colors = brand;
        distinguishable(&mut colors);
        // The coral (close to the green with protanopia) and Meta's blue (close to
        // Google's) change; the others keep their brand colour.
        assert_eq!(colors[0], brand[0]);
        assert_ne!(colors[1], brand[1]);
        assert_eq!(colors[2], brand[2]);
        assert_ne!(colors[3], brand[3]);
        assert_eq!(colors[4], brand[4]);
        for (i, &a) in colors.iter().enumerate() {
            for &b in &colors[i + 1..] {
                assert!(distinct(a, b), "{a:?} {b:?}");
            }
        }
    }
}
