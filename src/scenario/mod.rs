//! Scenarios: the file format, `--set` overrides, and validation into a [`Scenario`].
//!
//! Every parameter is declared once, in `file.rs` (the world and the labs) or in its
//! policy's file (see [`decl`] for the notation); the serde structs, their defaults and the
//! catalogue [`params::PARAMS`] are generated from those declarations.
//!
//! Loading goes text -> [`ScenarioFile`] (serde, with line and column on syntax, type and
//! unknown-key errors) -> overrides applied on the TOML tree -> defaults derived ->
//! every leaf checked against the catalogue and the cross-field rules (the policies' own
//! in [`crate::policy::Policy::validate`]). Past [`Scenario::load`] the engine trusts its
//! data.

pub(crate) mod decl;
pub mod economy;
pub mod file;
pub mod library;
pub mod params;
pub mod rules;

mod error;
mod overrides;
pub mod show;
pub mod uncertain;
mod validate;

use std::fmt;

pub use error::ScenarioError;
pub use file::{Lab, RESERVED_IDS, Rationing, RunBy, ScenarioFile, World};
pub use overrides::Override;

/// Colour-blind-safe default lab colours (Okabe and Ito, 2008), in lab order.
pub const OKABE_ITO: [&str; 8] = [
    "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000",
];

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// Months since year 0, for differences.
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month `months` after this one.
    pub fn plus(self, months: i64) -> YearMonth {
        let i = self.index() + months;
        YearMonth {
            year: i.div_euclid(12) as i32,
            month: i.rem_euclid(12) as u32 + 1,
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1-12.
    pub fn month(self) -> u32 {
        self.month
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A validated scenario: every parameter in range, every default filled in.
///
/// It dereferences to the resolved [`ScenarioFile`], whose optional lab fields are all
/// `Some` here.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    file: ScenarioFile,
    start: YearMonth,
    /// Inputs given as distributions; `file` holds their medians.
    uncertain: Vec<uncertain::Uncertain>,
}

impl std::ops::Deref for Scenario {
    type Target = ScenarioFile;
    fn deref(&self) -> &ScenarioFile {
        &self.file
    }
}

impl Scenario {
    /// Parses and validates scenario text. `origin` names the source in messages (a path).
    pub fn load(
        text: &str,
        origin: &str,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        validate::load(text, origin, overrides)
    }

    /// Reads and validates a scenario file.
    pub fn from_path(
        path: &std::path::Path,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Read {
            path: origin.clone(),
            message: e.to_string(),
        })?;
        Scenario::load(&text, &origin, overrides)
    }

    /// Calendar month of month index 0.
    pub fn start(&self) -> YearMonth {
        self.start
    }

    /// Calendar label of a month index.
    pub fn date(&self, month: usize) -> YearMonth {
        self.start.plus(month as i64)
    }

    /// Factor on the GPU supply cap in month `month`: `world.gpus.wave_multiplier` from
    /// `world.gpus.wave_from` on, 1 before it or when no wave is set.
    pub fn supply_wave(&self, month: f64) -> f64 {
        let gpus = &self.file.world.gpus;
        match YearMonth::parse(&gpus.wave_from) {
            Some(from) if month >= (from.index() - self.start.index()) as f64 => {
                gpus.wave_multiplier
            }
            _ => 1.0,
        }
    }

    /// Settings that are valid but take no effect within the horizon, each said as a
    /// note: a supply wave that starts after the last simulated month.
    pub fn idle_settings(&self) -> Vec<String> {
        let gpus = &self.file.world.gpus;
        let last = self.start.plus(i64::from(self.file.months) - 1);
        match YearMonth::parse(&gpus.wave_from) {
            Some(from) if from.index() > last.index() && gpus.wave_multiplier != 1.0 => {
                vec![format!(
                    "world.gpus.wave_from = {from} is after the last simulated month ({last}): \
                     the supply wave (x{}) never comes",
                    gpus.wave_multiplier
                )]
            }
            _ => Vec::new(),
        }
    }

    /// Yearly factors below 1, each said as a note: "x per year" is a factor, and a
    /// student who means "+50% a year" may write 0.5, which halves the quantity every
    /// year instead. Valid values (a shrinking market is a scenario), so only noted.
    pub fn shrinking_factors(&self) -> Vec<String> {
        let Ok(tree) = toml::Value::try_from(&self.file) else {
            return Vec::new();
        };
        params::leaves(&tree)
            .into_iter()
            .filter_map(|(path, value)| {
                let v = value.as_float().or(value.as_integer().map(|i| i as f64))?;
                let spec = params::find(&params::generic_path(&path))?;
                (spec.unit == "x per year" && v < 1.0).then(|| {
                    format!(
                        "{path} = {v} x per year: a fall of {}% every year (\"x per year\" is a \
                         factor: 1.5 is +50% a year)",
                        crate::numbers::trimmed((1.0 - v) * 100.0, 1),
                    )
                })
            })
            .collect()
    }

    /// The resolved scenario as TOML: overrides applied, every default written out.
    /// Loading it gives back an identical scenario.
    pub fn to_toml(&self) -> String {
        if self.uncertain.is_empty() {
            return toml::to_string(&self.file)
                .unwrap_or_else(|e| format!("# cannot serialise: {e}\n"));
        }
        let mut tree = match toml::Value::try_from(&self.file) {
            Ok(t) => t,
            Err(e) => return format!("# cannot serialise: {e}\n"),
        };
        uncertain::restore(&mut tree, &self.uncertain);
        toml::to_string(&tree).unwrap_or_else(|e| format!("# cannot serialise: {e}\n"))
    }

    /// The inputs given as distributions, in the order of the resolved tree: labs first
    /// (in file order, their keys alphabetically), then world groups and keys
    /// alphabetically. The resolved file holds their medians; [`uncertain::Realizer`]
    /// sets a run's draws.
    pub fn uncertain(&self) -> &[uncertain::Uncertain] {
        &self.uncertain
    }

    /// The resolved file.
    pub fn file(&self) -> &ScenarioFile {
        &self.file
    }

    /// This scenario with its resolved file changed by `change`: a counterfactual world
    /// of `racerun explain` (`crate::explain::channels`), which sets values inside their
    /// ranges only and applies to a run's own scenario (its uncertain inputs drawn).
    pub(crate) fn altered(&self, change: impl FnOnce(&mut ScenarioFile)) -> Scenario {
        let mut file = self.file.clone();
        change(&mut file);
        Scenario {
            file,
            start: self.start,
            uncertain: self.uncertain.clone(),
        }
    }

    /// Lab `i`'s resolved display name.
    pub fn lab_name(&self, i: usize) -> &str {
        self.file.labs[i]
            .name
            .as_deref()
            .unwrap_or(&self.file.labs[i].id)
    }

    /// Lab `i`'s resolved colour.
    pub fn lab_color(&self, i: usize) -> &str {
        self.file.labs[i]
            .color
            .as_deref()
            .unwrap_or(OKABE_ITO[i % OKABE_ITO.len()])
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a
/// plausible typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = near(word);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// How many edits a typo of `word` may be from what was meant.
fn near(word: &str) -> usize {
    (word.len() / 3).max(1) + 1
}

/// The most names a hint lists when several fit equally well.
const MOST_LISTED: usize = 4;

/// ` (did you mean `x`?)` naming what `word` most likely meant among `candidates`, or
/// nothing when nothing fits: the hint a refusal of an unknown name ends with. In order:
/// the candidates that continue `word` after a `_` (`gap`: `gap_early`, `gap_late`, ...);
/// the nearest by edit distance ([`suggest`]); the plain names (no `.`) whose first part
/// is near `word` (`persistance`: `persistence_quality`, ...). Several are listed, up to
/// [`MOST_LISTED`]; more than that is no hint (the refusal lists the valid names anyway),
/// and so is a word that more than that many names continue.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let listed = |names: &[&str]| match names {
        [] => None,
        [one] => Some(format!(" (did you mean `{one}`?)")),
        [rest @ .., last] if names.len() <= MOST_LISTED => Some(format!(
            " (did you mean one of {} or `{last}`?)",
            rest.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => None,
    };
    let prefix = format!("{word}_");
    let continued: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| c.starts_with(&prefix))
        .collect();
    if !continued.is_empty() {
        // Many names continue the word: none is likelier than the others.
        return listed(&continued).unwrap_or_default();
    }
    if let Some(s) = suggest(word, candidates.iter().copied()) {
        return listed(&[s]).unwrap_or_default();
    }
    let headed: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| !c.contains('.'))
        .filter(|c| {
            c.split_once('_')
                .is_some_and(|(head, _)| strsim::levenshtein(word, head) < near(word))
        })
        .collect();
    listed(&headed).unwrap_or_default()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn year_month_arithmetic() {
        let m = YearMonth::parse("2023-11").unwrap();
        assert_eq!(m.plus(2).to_string(), "2024-01");
        assert_eq!(m.plus(-11).to_string(), "2022-12");
        assert!(YearMonth::parse("2023-13").is_none());
        assert!(YearMonth::parse("23-01").is_none());
    }

    #[test]
    fn suggests_near_words_only() {
        assert_eq!(
            suggest("swtching", ["beta", "switching", "churn_unserved"]),
            Some("switching")
        );
        assert_eq!(suggest("zzzzzz", ["beta", "switching"]), None);
    }

    #[test]
    fn hints_list_the_names_a_word_begins_or_misspells() {
        let measures = [
            "lead_changes_quality",
            "persistence_quality",
            "persistence_norm_quality",
            "gap_early",
            "gap_late",
        ];
        assert_eq!(
            did_you_mean("gap", measures),
            " (did you mean one of `gap_early` or `gap_late`?)"
        );
        assert_eq!(
            did_you_mean("persistence_norm", measures),
            " (did you mean `persistence_norm_quality`?)"
        );
        assert_eq!(
            did_you_mean("persistance", measures),
            " (did you mean one of `persistence_quality` or `persistence_norm_quality`?)"
        );
        // A near whole name comes before names that merely share a first part.
        assert_eq!(
            did_you_mean("gap_erly", measures),
            " (did you mean `gap_early`?)"
        );
        // Paths: the names that continue the word, not a first part of the path.
        let paths = [
            "world.demand.shock_sigma",
            "world.demand.shock_rho",
            "world.open_weights.enabled",
        ];
        assert_eq!(
            did_you_mean("world.demand.shock", paths),
            " (did you mean one of `world.demand.shock_sigma` or `world.demand.shock_rho`?)"
        );
        assert_eq!(
            did_you_mean("world.open", paths),
            " (did you mean `world.open_weights.enabled`?)"
        );
        assert_eq!(
            did_you_mean("world.demand.shok", paths),
            " (did you mean `world.demand.shock_rho`?)"
        );
        // Too many to be a hint.
        assert_eq!(did_you_mean("p", ["p_a", "p_b", "p_c", "p_d", "p_e"]), "");
        assert_eq!(did_you_mean("zzzz", measures), "");
    }
}
