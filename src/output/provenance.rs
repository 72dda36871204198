//! Where a result came from: the build that wrote it (racerun version, git commit when
//! built from a checkout, compiler version; recorded at compile time by `build.rs`), and
//! the name of a result made with `--set` overrides, so that it never takes the place of
//! the unmodified scenario's.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The build that wrote a result, as every `manifest.json` records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// racerun's version.
    pub racerun_version: String,
    /// The git commit racerun was built from, when built from a checkout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// `rustc --version` of the compiler that built it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rustc_version: Option<String>,
}

impl Build {
    /// This build.
    pub fn current() -> Build {
        Build {
            racerun_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: option_env!("RACERUN_GIT_COMMIT").map(String::from),
            rustc_version: option_env!("RACERUN_RUSTC_VERSION").map(String::from),
        }
    }
}

/// The `scenario_sha256` of a result's manifest: the SHA-256 of the resolved scenario's
/// TOML (`scenario.toml`), in hex.
pub fn scenario_sha256(toml: &str) -> String {
    format!("{:x}", Sha256::digest(toml.as_bytes()))
}

/// The name of a result: the scenario's own without overrides, else the name and a short
/// hash of what the overrides do (`baseline-3f2a9c1d`): the same for `--set`s that make
/// the same scenario however they are written or ordered, different for others. See
/// [`canonical`].
pub fn variant_name(name: &str, overrides: &[String]) -> String {
    if overrides.is_empty() {
        return name.to_string();
    }
    hashed_name(name, &canonical(overrides))
}

/// `name` and a short hash of `parts` in the order given (`compare-3f2a9c1d`).
pub fn hashed_name(name: &str, parts: &[String]) -> String {
    let mut h = Sha256::new();
    for o in parts {
        h.update(o.as_bytes());
        h.update(b"\n");
    }
    let hash = format!("{:x}", h.finalize());
    format!("{name}-{}", &hash[..8])
}

/// `--set` arguments as the scenario they make: each value written as TOML writes it
/// (`1.20` as `1.2`, a whole number as the same number with a decimal point), a parameter
/// given twice by its last value, and the parameters in the order of their paths, since
/// they commute, with two exceptions: a policy's `kind` drops the parameters set before it
/// (a new kind starts from its own defaults), so those are left out; and a lab renamed
/// (`labs.<id>.id`) changes which lab later `--set`s address, so with a rename the order
/// given is kept whole. An argument that does not parse is kept as written.
fn canonical(overrides: &[String]) -> Vec<String> {
    let parsed: Vec<(Vec<String>, String)> = overrides
        .iter()
        .map(|arg| match crate::scenario::Override::parse(arg) {
            Ok(o) => {
                let shown = o.display_path();
                let value = match o.value {
                    toml::Value::Integer(i) => toml::Value::Float(i as f64),
                    other => other,
                };
                let text = format!("{shown}={value}");
                (o.path, text)
            }
            Err(_) => (vec![arg.clone()], arg.clone()),
        })
        .collect();
    let renames = parsed
        .iter()
        .any(|(path, _)| path.len() == 3 && path[0] == "labs" && path[2] == "id");
    if renames {
        return parsed.into_iter().map(|(_, text)| text).collect();
    }
    let table = |path: &[String]| path[..path.len() - 1].to_vec();
    let is_kind = |path: &[String]| {
        path.len() == 4 && path[0] == "labs" && path[2] == "policy" && path[3] == "kind"
    };
    let mut kept: Vec<&(Vec<String>, String)> = parsed
        .iter()
        .enumerate()
        .filter(|&(i, (path, _))| {
            let later = &parsed[i + 1..];
            // Given again later, or dropped by a later `kind` of the same policy.
            !later.iter().any(|(p, _)| {
                p == path || (is_kind(p) && !is_kind(path) && table(p) == table(path))
            })
        })
        .map(|(_, o)| o)
        .collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    kept.into_iter().map(|(_, text)| text.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_scenario_gets_the_same_name_however_its_overrides_are_written() {
        let name = |sets: &[&str]| {
            variant_name(
                "baseline",
                &sets.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
        };
        let a = name(&["world.dynamics.kappa=1.2", "world.market.beta=2"]);
        // Other tables in another order, a value written otherwise, a parameter given
        // twice: the same scenario.
        assert_eq!(
            a,
            name(&["world.market.beta=2", "world.dynamics.kappa=1.20"])
        );
        assert_eq!(
            a,
            name(&[
                "world.dynamics.kappa=3",
                "world.market.beta=2",
                "world.dynamics.kappa=1.2"
            ])
        );
        assert_ne!(
            a,
            name(&["world.dynamics.kappa=1.2", "world.market.beta=3"])
        );
        // Parameters of one table commute too.
        assert_eq!(
            name(&["world.dynamics.kappa=1", "world.dynamics.phi=0.2"]),
            name(&["world.dynamics.phi=0.2", "world.dynamics.kappa=1"])
        );
        // A whole number and the same number with a decimal point are one value.
        assert_eq!(
            name(&["world.dynamics.kappa=1"]),
            name(&["world.dynamics.kappa=1.0"])
        );
        // A lab renamed changes what later --sets address: the order is kept.
        assert_ne!(
            name(&[
                "labs.alpha.fleet=1000",
                "labs.alpha.id=z",
                "labs.beta.id=alpha"
            ]),
            name(&[
                "labs.alpha.id=z",
                "labs.beta.id=alpha",
                "labs.alpha.fleet=1000"
            ])
        );
        // A policy's kind drops what was set before it: that is the kind alone.
        let kind_last = name(&["labs.a.policy.train=0.3", "labs.a.policy.kind=fixed"]);
        let kind_first = name(&["labs.a.policy.kind=fixed", "labs.a.policy.train=0.3"]);
        assert_ne!(kind_last, kind_first);
        assert_eq!(kind_last, name(&["labs.a.policy.kind=fixed"]));
        assert_eq!(
            kind_first,
            name(&[
                "labs.a.policy.train=0.3",
                "labs.a.policy.kind=fixed",
                "labs.a.policy.train=0.3"
            ])
        );
    }

    #[test]
    fn overrides_name_their_own_result() {
        assert_eq!(variant_name("baseline", &[]), "baseline");
        let a = variant_name("baseline", &["world.dynamics.kappa=1.2".into()]);
        let b = variant_name("baseline", &["world.dynamics.kappa=1.3".into()]);
        assert!(
            a.starts_with("baseline-") && a.len() == "baseline-".len() + 8,
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(
            a,
            variant_name("baseline", &["world.dynamics.kappa=1.2".into()])
        );
        assert_eq!(Build::current().racerun_version, env!("CARGO_PKG_VERSION"));
        assert!(
            Build::current()
                .rustc_version
                .is_some_and(|v| v.starts_with("rustc "))
        );
    }
}
