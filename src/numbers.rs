//! How numbers are written for readers: in charts, the terminal report and benchmarks.
//!
//! Files use another rule (shortest round-trip digits, nothing for a missing value; see
//! [`crate::schema::num`]): these functions are for people, not parsers.

use crate::math;

/// The plural ending of a count: `""` for exactly one, `"s"` otherwise ("1 run", "2 runs").
pub fn plural_s<N: PartialEq + From<u8>>(n: N) -> &'static str {
    if n == N::from(1) { "" } else { "s" }
}

/// A number for a message, in full up to 1e15 (`5000`, `0.25`) and with an exponent
/// beyond (`5e307`, where `{}` writes 308 digits).
pub fn readable(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Writes an integer with thousands separators: `2000` -> `2,000`.
pub fn thousands(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", grouped(value.unsigned_abs().into()))
}

/// Writes a count, however large, with thousands separators: `1234567` -> `1,234,567`.
pub fn grouped(value: u128) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes a large number compactly with a suffix: `1_234_567` -> `1.23M`,
/// `350_000` -> `350k`. Suffixes are k, M, B, T (billions as B, as in financial
/// writing, which is what readers of the essays expect). Below 1,000 the number is
/// written with up to three significant digits; a missing value is a dash.
pub fn compact(value: f64) -> String {
    if !value.is_finite() {
        return String::from("–");
    }
    let magnitude = value.abs();
    if magnitude > 0.0 && magnitude < 1e-3 {
        // Not 0.000000123: three significant digits with an exponent, `1.23e-7`.
        let text = format!("{value:.2e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let (scale, suffix) = unit_of(magnitude);
    format!("{}{suffix}", significant(value / scale, 3))
}

/// The unit [`compact`] writes a number of this magnitude in: its scale and suffix.
fn unit_of(magnitude: f64) -> (f64, &'static str) {
    match magnitude {
        m if m >= 1e12 => (1e12, "T"),
        m if m >= 1e9 => (1e9, "B"),
        m if m >= 1e6 => (1e6, "M"),
        m if m >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    }
}

/// Writes numbers that are read together (a median and its percentiles) as [`compact`]
/// does, with one suffix and one number of decimals for all, set by the largest to three
/// significant digits: `43.5M (43.0M-44.0M)`, not `43.5M (43M-44M)`. Numbers far apart
/// (the smallest non-zero under a hundredth of the largest, where shared decimals would
/// write it as 0) are each written on their own. Non-finite values are `–`.
pub fn compact_alike(values: &[f64]) -> Vec<String> {
    let finite = || values.iter().map(|v| v.abs()).filter(|v| v.is_finite());
    let largest = finite().fold(0.0_f64, f64::max);
    let smallest = finite().filter(|&v| v > 0.0).fold(f64::INFINITY, f64::min);
    if largest == 0.0 || largest < 1e-3 || smallest < largest / 100.0 {
        return values.iter().map(|&v| compact(v)).collect();
    }
    // The largest as it will be written, three significant digits (999.6k is 1.00M).
    let order = math::log10(largest).floor() as i32;
    let unit = math::pow(10.0, f64::from(order - 2));
    let largest = (largest / unit).round() * unit;
    let (scale, suffix) = unit_of(largest);
    let order = math::log10(largest / scale).floor() as i32;
    let decimals = (2 - order).max(0) as usize;
    values
        .iter()
        .map(|&v| {
            if !v.is_finite() {
                return String::from("–");
            }
            let text = format!("{:.decimals$}", v / scale);
            // No `-0.0`: a small negative value that rounds to zero has no sign.
            let text = match text.strip_prefix('-') {
                Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
                _ => text,
            };
            format!("{text}{suffix}")
        })
        .collect()
}

/// Writes a fraction as a percentage to at most three significant digits:
/// `0.25` -> `25%`, `0.125` -> `12.5%`.
pub fn percent(value: f64) -> String {
    format!("{}%", significant((value * 100.0 * 10.0).round() / 10.0, 3))
}

/// A share and its interval as percentages (`0.3` is `30`, no `%`), all three with as many
/// decimals as the interval's ends need not to print alike (up to two): `-0.7` within
/// `-0.8` to `-0.6`, not `-1` within `-1` to `-1`. An interval whose ends agree to two
/// decimals has no width worth showing: whole percentages.
pub fn percent_with_interval(value: f64, low: f64, high: f64) -> [String; 3] {
    let at = |x: f64, digits| fixed(x * 100.0, digits);
    let digits = (0..=2).find(|&d| at(low, d) != at(high, d)).unwrap_or(0);
    [at(value, digits), at(low, digits), at(high, digits)]
}

/// Writes an Elo score or difference with thousands separators, rounding to a whole point.
pub fn elo(value: f64) -> String {
    thousands(value.round() as i64)
}

/// Writes `value` with `decimals` decimals, never as a negative zero (`-0.00` -> `0.00`).
pub fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// Writes `value` with `decimals` decimals and its sign (`+0.02`, `-0.01`), zero without
/// one (`0.00`, never `-0` or `+0`); empty when it is not a number.
pub fn signed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = fixed(value, decimals);
    if value > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

/// Replaces a leading hyphen by a typographic minus (U+2212): next to a tick or a bar a
/// hyphen reads as a dash.
pub fn minus(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) => format!("\u{2212}{rest}"),
        None => text,
    }
}

/// How the columns of a [`columns`] table line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Every column to the left.
    Left,
    /// The first column (names) to the left, the others (numbers) to the right.
    NumbersRight,
}

/// `a`, `a and b`, `a, b and c`.
pub fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The width of each column of `rows`: its widest cell, in characters.
pub fn widths(rows: &[Vec<String>]) -> Vec<usize> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..cols)
        .map(|c| {
            let cells = rows.iter().filter_map(|r| r.get(c));
            cells.map(|cell| cell.chars().count()).max().unwrap_or(0)
        })
        .collect()
}

/// Rows of cells as a text table for the terminal: columns two spaces apart, each as
/// wide as its widest cell, lined up as `align` says, trailing blanks trimmed, and a rule
/// of dashes under the first `head` rows (none for 0).
pub fn columns(rows: &[Vec<String>], align: Align, head: usize) -> String {
    let widths = widths(rows);
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| match align {
                Align::NumbersRight if i > 0 => format!("{cell:>w$}"),
                _ => format!("{cell:<w$}"),
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if k + 1 == head {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

/// Writes a number with at most `digits` significant digits and no trailing zeros.
fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 {
        return String::from("0");
    }
    let order = math::log10(value.abs()).floor() as i32;
    trimmed(value, (digits - 1 - order).max(0) as usize)
}

/// Writes a number with at most `decimals` decimals, without trailing zeros; a small
/// negative number that rounds to zero is `0`, without a sign.
pub fn trimmed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        String::from("0")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_and_its_interval_take_the_decimals_the_interval_needs() {
        assert_eq!(
            percent_with_interval(-0.007, -0.008, -0.006),
            ["-0.7", "-0.8", "-0.6"]
        );
        assert_eq!(
            percent_with_interval(1.21, 1.20, 1.22),
            ["121", "120", "122"]
        );
        assert_eq!(
            percent_with_interval(0.1, 0.0998, 0.1002),
            ["10.00", "9.98", "10.02"]
        );
        // No width to two decimals: whole percentages, never a negative zero.
        assert_eq!(percent_with_interval(1.0, 1.0, 1.0), ["100", "100", "100"]);
        assert_eq!(
            percent_with_interval(-0.00001, -0.00002, 0.0),
            ["0", "0", "0"]
        );
    }

    #[test]
    fn signs_are_written_for_numbers_not_for_zero() {
        for (value, decimals, text) in [
            (0.023, 2, "+0.02"),
            (-0.4, 0, "0"),
            (-0.004, 2, "0.00"),
            (0.004, 2, "0.00"),
            (-6.0, 0, "-6"),
            (f64::NAN, 2, ""),
        ] {
            assert_eq!(signed(value, decimals), text, "{value}");
        }
    }

    #[test]
    fn thousands_separates_groups() {
        for (value, text) in [
            (0, "0"),
            (999, "999"),
            (2000, "2,000"),
            (-1234567, "-1,234,567"),
        ] {
            assert_eq!(thousands(value), text);
        }
        assert_eq!(
            grouped(u128::from(u64::MAX) * 10),
            "184,467,440,737,095,516,150"
        );
    }

    #[test]
    fn numbers_read_together_share_suffix_and_decimals() {
        for (values, texts) in [
            ([43.5e6, 43.0e6, 44.0e6], ["43.5M", "43.0M", "44.0M"]),
            ([142e6, 131e6, 152e6], ["142M", "131M", "152M"]),
            ([950e3, 900e3, 1.2e6], ["0.95M", "0.90M", "1.20M"]),
            ([0.0, 0.0, 0.0], ["0", "0", "0"]),
            ([12.34, 10.0, f64::NAN], ["12.3", "10.0", "–"]),
            // Rounding to three digits carries into the next unit: 1.00M, not 1000k.
            ([999.6e3, 950e3, 999.9e3], ["1.00M", "0.95M", "1.00M"]),
            ([9.996, 9.5, 9.0], ["10.0", "9.5", "9.0"]),
            // Far apart: each on its own, so the small ones are not written as 0.
            ([5e3, 20.0, 1.5e6], ["5k", "20", "1.5M"]),
            ([-5.0, -1234.0, 3.0], ["-5", "-1.23k", "3"]),
            ([95.3e6, 90.0e6, 101e6], ["95M", "90M", "101M"]),
        ] {
            assert_eq!(compact_alike(&values), texts.map(String::from).to_vec());
        }
    }

    #[test]
    fn compact_uses_suffixes() {
        for (value, text) in [
            (1_234_567.0, "1.23M"),
            (1_200_000.0, "1.2M"),
            (350_000.0, "350k"),
            (2.5e9, "2.5B"),
            (0.0, "0"),
            (12.34, "12.3"),
            (0.00123, "0.00123"),
            (1.234e-7, "1.23e-7"),
            (-2.0e-9, "-2e-9"),
            (f64::NAN, "–"),
        ] {
            assert_eq!(compact(value), text);
        }
    }

    #[test]
    fn percent_elo_and_minus() {
        for (value, text) in [(0.25, "25%"), (1.0, "100%"), (0.125, "12.5%")] {
            assert_eq!(percent(value), text);
        }
        assert_eq!(elo(1249.6), "1,250");
        assert_eq!(minus(elo(-1249.6)), "\u{2212}1,250");
        assert_eq!(minus("3".into()), "3");
    }

    #[test]
    fn columns_line_up_and_rule_the_head() {
        let rows: Vec<Vec<String>> = [["lab", "share"], ["a", "0.5"], ["longer", "12.25"]]
            .iter()
            .map(|r| r.map(String::from).to_vec())
            .collect();
        assert_eq!(
            columns(&rows, Align::NumbersRight, 1),
            "lab     share\n------  -----\na         0.5\nlonger  12.25\n"
        );
        assert_eq!(
            columns(&rows, Align::Left, 0),
            "lab     share\na       0.5\nlonger  12.25\n"
        );
    }
}
