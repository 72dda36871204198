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

/// The name of a result: the scenario's own without overrides, else the name and a short
/// hash of the overrides in the order given (`baseline-3f2a9c1d`), the same for the same
/// `--set`s and different for others.
pub fn variant_name(name: &str, overrides: &[String]) -> String {
    if overrides.is_empty() {
        return name.to_string();
    }
    let mut h = Sha256::new();
    for o in overrides {
        h.update(o.as_bytes());
        h.update(b"\n");
    }
    let hash = format!("{:x}", h.finalize());
    format!("{name}-{}", &hash[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

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
