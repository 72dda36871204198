//! The bundled scenario library: the files of `scenarios/`, compiled into the binary so
//! `racerun run baseline` works from any directory.
//!
//! A command-line argument names a scenario either by path or by bundled name; a path
//! that exists wins, so a local `baseline.toml` is never shadowed by the library.

use std::io::Read;
use std::path::Path;

use super::{Override, Scenario, ScenarioError, suggest};

/// One scenario shipped with racerun.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    /// Its name, as given to `racerun run NAME` (the file stem).
    pub name: &'static str,
    /// The file's text, comments included.
    pub text: &'static str,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled {
            name: $name,
            text: include_str!(concat!("../../scenarios/", $name, ".toml")),
        }),*]
    };
}

/// The library, in the order `racerun scenarios` lists it.
pub const BUNDLED: &[Bundled] = bundled!(
    "baseline",
    "frontier-2023",
    "race",
    "run",
    "compute-glut",
    "open-weights",
    "plumbing-moat",
    "hyperscaler",
    "phase",
);

impl Bundled {
    /// Where messages say the text came from.
    pub fn origin(&self) -> String {
        format!("{} (bundled)", self.name)
    }

    /// The scenario's `description`: the question it asks.
    pub fn question(&self) -> String {
        toml::from_str::<toml::Table>(self.text)
            .ok()
            .and_then(|t| t.get("description")?.as_str().map(String::from))
            .unwrap_or_default()
    }

    /// The validated scenario.
    pub fn load(&self, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        Scenario::load(self.text, &self.origin(), overrides)
    }
}

/// The bundled scenario called `name`, if any.
pub fn find(name: &str) -> Option<&'static Bundled> {
    BUNDLED.iter().find(|b| b.name == name)
}

/// A scenario's text and where it came from, found by path or bundled name.
#[derive(Debug, Clone)]
pub struct Source {
    /// The text, comments included.
    pub text: String,
    /// The path, or `NAME (bundled)`, for messages.
    pub origin: String,
    /// The bundled entry, when the text came from the library.
    pub bundled: Option<&'static Bundled>,
}

/// Largest scenario file read: the bundled ones are a few kilobytes.
const MAX_SCENARIO_BYTES: u64 = 16 << 20;

impl Source {
    /// Finds `arg`: an existing file, else a bundled name (with or without `.toml`), else
    /// an error that names the library and the nearest bundled name.
    pub fn find(arg: &str) -> Result<Source, ScenarioError> {
        let path = Path::new(arg);
        if path.is_file() {
            let read = |message: String| ScenarioError::Read {
                path: arg.to_string(),
                message,
            };
            // Read up to one byte past the limit: a file's reported size can be wrong
            // (0 for those of /proc).
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes))
                .map_err(|e| read(e.to_string()))?;
            if bytes.len() as u64 > MAX_SCENARIO_BYTES {
                return Err(read(format!(
                    "more than {} MB; a scenario is a few kilobytes of TOML",
                    MAX_SCENARIO_BYTES >> 20
                )));
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| read("stream did not contain valid UTF-8".to_string()))?;
            return Ok(Source {
                text,
                origin: arg.to_string(),
                bundled: None,
            });
        }
        let looks_like_path = arg.contains('/') || arg.contains('\\');
        let stem = arg.strip_suffix(".toml").unwrap_or(arg);
        // `racerun run mine` for a local mine.toml, as `racerun new mine` wrote it.
        let with_ext = format!("{arg}.toml");
        if !arg.ends_with(".toml") && Path::new(&with_ext).is_file() {
            return Source::find(&with_ext);
        }
        if let Some(b) = find(stem).filter(|_| !looks_like_path) {
            return Ok(Source {
                text: b.text.to_string(),
                origin: b.origin(),
                bundled: Some(b),
            });
        }
        if looks_like_path || path.exists() {
            // A path that does not exist: the system's reason. Anything else is not read
            // (a device or a pipe could stream without end).
            let mut message = match std::fs::metadata(path) {
                Err(e) => e.to_string(),
                Ok(m) if m.is_dir() => "is a directory, not a scenario file".to_string(),
                Ok(_) => "not a regular file".to_string(),
            };
            // `scenarios/baseline.toml` outside the repository (the examples' spelling):
            // the library has it under its name, which works from any directory.
            let file_stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if !path.exists()
                && let Some(b) = find(file_stem)
            {
                message.push_str(&format!(
                    "; `{0}` is a bundled scenario: give its name, e.g. `racerun run {0}`",
                    b.name
                ));
            }
            return Err(ScenarioError::Read {
                path: arg.to_string(),
                message,
            });
        }
        // The nearest bundled name or scenario file in the current directory.
        let local: Vec<String> = std::fs::read_dir(".")
            .map(|dir| {
                dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".toml"))
                    .collect()
            })
            .unwrap_or_default();
        let file = suggest(arg, local.iter().map(String::as_str))
            .map(|f| (strsim::levenshtein(arg, f), f));
        let name = suggest(stem, BUNDLED.iter().map(|b| b.name))
            .map(|n| (strsim::levenshtein(stem, n), n));
        let nearest = match (file, name) {
            (Some(f), Some(n)) => Some(if n.0 <= f.0 { n.1 } else { f.1 }),
            (f, n) => f.or(n).map(|(_, c)| c),
        };
        Err(ScenarioError::NotFound {
            name: arg.to_string(),
            hint: nearest
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default(),
            names: BUNDLED
                .iter()
                .map(|b| b.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// The validated scenario.
    pub fn load(&self, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        Scenario::load(&self.text, &self.origin, overrides)
    }
}

/// Loads a scenario given by path or bundled name, with overrides.
pub fn load(arg: &str, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    Source::find(arg)?.load(overrides)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_scenario_is_valid_and_named_after_its_file() {
        for b in BUNDLED {
            let s = b.load(&[]).unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert_eq!(s.name, b.name);
            assert!(!b.question().is_empty(), "{} has no description", b.name);
            assert!(b.text.starts_with('#'), "{} opens without comments", b.name);
        }
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let e = Source::find("basline").unwrap_err().to_string();
        assert!(e.contains("did you mean `baseline`?"), "{e}");
        assert!(e.contains("frontier-2023"), "{e}");
        assert!(Source::find("race.toml").unwrap().bundled.is_some());
        let e = Source::find("no/such.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("no/such.toml: cannot read the scenario"),
            "{e}"
        );
        assert!(!e.contains("bundled"), "{e}");
        // The help's examples name the repository's files; elsewhere, the name works.
        let e = Source::find("no/such/dir/baseline.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("no/such/dir/baseline.toml: cannot read the scenario")
                && e.ends_with(
                    "; `baseline` is a bundled scenario: give its name, e.g. `racerun run \
                     baseline`"
                ),
            "{e}"
        );
    }
}
