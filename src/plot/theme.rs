//! Shared look of every chart: the embedded font, the palette, and how numbers and
//! months are written.

use std::sync::Once;

use plotters::style::{FontStyle, RGBColor};

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`), compiled in
/// so that no chart depends on the fonts of the machine drawing it.
pub(crate) static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family every text style names; registered by [`register_fonts`].
pub(crate) const FAMILY: &str = "sans-serif";

/// Registers the embedded font under [`FAMILY`]. Plotters keeps fonts in a process-wide
/// table and fails at draw time with `FontUnavailable` when none is registered, so every
/// entry point that draws calls this first; `Once` makes repeated calls free.
pub(crate) fn register_fonts() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The bytes are a valid TrueType font checked in with the crate; a failure here
        // would surface as `FontUnavailable` when drawing, which is reported as an error.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, FONT);
    });
}

/// Okabe & Ito's colour-blind-safe palette, used for labs whose scenario gives no colour.
pub(crate) const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x00, 0x00),
];

/// Text and ink colours shared by all charts.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const INK_SOFT: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(crate) const INK_FAINT: RGBColor = RGBColor(0x80, 0x80, 0x80);
pub(crate) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub(crate) const AXIS: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
/// Series that are not labs (quality vs market lead, leader vs followers): Paul Tol's
/// high-contrast scheme, colour-blind-safe and distinct in grey too (dark, mid, light),
/// and not the Okabe-Ito colours labs take by default.
pub(crate) const PAIR_A: RGBColor = RGBColor(0x00, 0x44, 0x88);
pub(crate) const PAIR_B: RGBColor = RGBColor(0xBB, 0x55, 0x66);
pub(crate) const PAIR_C: RGBColor = RGBColor(0xDD, 0xAA, 0x33);
/// Months without a single leader (a tie) in the leader strip.
pub(crate) const NO_LEADER: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);

/// Parses `#RRGGBB` (or `RRGGBB`).
pub(crate) fn parse_color(text: &str) -> Option<RGBColor> {
    let hex = text.trim().trim_start_matches('#');
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(RGBColor(byte(0)?, byte(2)?, byte(4)?))
}

/// Mixes a colour with white: `amount` 0 keeps it, 1 gives white. Used for the lighter
/// companion of a lab colour (serving GPUs), which stays opaque so stacks do not blend.
pub(crate) fn tint(color: RGBColor, amount: f64) -> RGBColor {
    let mix = |c: u8| (c as f64 + (255.0 - c as f64) * amount.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Maps the simulation's month index to the calendar, from the scenario's `start`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Calendar {
    year: i32,
    /// 0 for January.
    month0: u32,
}

impl Calendar {
    /// Parses `YYYY-MM`.
    pub(crate) fn parse(text: &str) -> Option<Calendar> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        (1..=12).contains(&month).then_some(Calendar {
            year,
            month0: month - 1,
        })
    }

    /// Year and 0-based month of simulation month `m`.
    fn at(&self, m: i64) -> (i64, u32) {
        let total = self.year as i64 * 12 + self.month0 as i64 + m;
        (total.div_euclid(12), total.rem_euclid(12) as u32)
    }

    /// `Jan 2025` for simulation month `m`.
    pub(crate) fn label(&self, m: i64) -> String {
        let (year, month) = self.at(m);
        format!("{} {year}", MONTH_NAMES[month as usize])
    }

    /// Months `first..=last` in words: `2032` for a calendar year, else
    /// `Jul 2031-Jun 2032` (or `Mar 2025` for one month).
    pub(crate) fn span(&self, first: i64, last: i64) -> String {
        let ((y0, m0), (y1, m1)) = (self.at(first), self.at(last));
        if y0 == y1 && m0 == 0 && m1 == 11 {
            y0.to_string()
        } else if first == last {
            self.label(first)
        } else {
            format!("{}-{}", self.label(first), self.label(last))
        }
    }

    /// Tick positions and their labels for a time axis over months `0..=horizon`.
    /// Horizons of four years or more get yearly (or multi-year) ticks, on January and
    /// labelled `2025`, at most `max_yearly` of them; shorter horizons get quarterly or monthly `Jan 2025` ticks,
    /// at most `max_monthly` (those labels are wider).
    pub(crate) fn ticks(&self, horizon: u32, max_monthly: usize, max_yearly: usize) -> TimeTicks {
        // Four years or more read best by year alone.
        let first_step = if horizon >= 48 { 3 } else { 0 };
        for step in [1u32, 3, 6, 12, 24, 60, 120, 240, 600]
            .into_iter()
            .skip(first_step)
        {
            let max_ticks = if step < 12 { max_monthly } else { max_yearly }.max(2);
            let positions: Vec<f64> = (0..=horizon as i64)
                .filter(|&m| {
                    let (year, month) = self.at(m);
                    if step < 12 {
                        month % step == 0
                    } else {
                        month == 0 && year.rem_euclid((step / 12) as i64) == 0
                    }
                })
                .map(|m| m as f64)
                .collect();
            if positions.len() <= max_ticks && !positions.is_empty() {
                return TimeTicks {
                    positions,
                    yearly: step >= 12,
                    calendar: *self,
                };
            }
        }
        TimeTicks {
            positions: vec![0.0, horizon as f64],
            yearly: false,
            calendar: *self,
        }
    }
}

/// Where a time axis puts its ticks and how it labels them.
#[derive(Debug, Clone)]
pub(crate) struct TimeTicks {
    pub(crate) positions: Vec<f64>,
    yearly: bool,
    calendar: Calendar,
}

impl TimeTicks {
    /// Whether the ticks fall on Januaries and read as years.
    pub(crate) fn yearly(&self) -> bool {
        self.yearly
    }

    /// The label for a tick at month `m`.
    pub(crate) fn label(&self, m: f64) -> String {
        let m = m.round() as i64;
        if self.yearly {
            self.calendar.at(m).0.to_string()
        } else {
            self.calendar.label(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_parse() {
        assert_eq!(parse_color("#E69F00"), Some(RGBColor(0xE6, 0x9F, 0x00)));
        assert_eq!(parse_color("56b4e9"), Some(RGBColor(0x56, 0xB4, 0xE9)));
        assert_eq!(parse_color("#12345"), None);
        assert_eq!(parse_color("#GG0000"), None);
    }

    #[test]
    fn calendar_labels_and_ticks() {
        let cal = Calendar::parse("2023-11").unwrap();
        assert_eq!(cal.label(0), "Nov 2023");
        assert_eq!(cal.label(2), "Jan 2024");
        let ticks = cal.ticks(120, 6, 12);
        assert_eq!(ticks.positions[0], 2.0);
        assert_eq!(ticks.label(2.0), "2024");
        let short = cal.ticks(12, 8, 8);
        assert_eq!(short.label(short.positions[0]), "Jan 2024");
        assert!(Calendar::parse("2023-13").is_none());
        assert!(Calendar::parse("Jan 2023").is_none());
        // Spans: a calendar year by its number, else first and last month.
        assert_eq!(cal.span(2, 13), "2024");
        assert_eq!(cal.span(0, 11), "Nov 2023-Oct 2024");
        assert_eq!(cal.span(3, 3), "Feb 2024");
    }
}
