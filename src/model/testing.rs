//! Fixtures shared by the mechanics' unit tests.

use crate::scenario::Lab;

/// A lab's traits as a scenario file gives them: `toml` is the body of its `[[labs]]`
/// table (at least its `id`), every trait it leaves out at its default.
pub(crate) fn lab(toml: &str) -> Lab {
    toml::from_str(toml).unwrap()
}
