//! Errors from loading a scenario. Each names where (file, line and column when the parser
//! has them, or the `--set` argument), the field, the value and what was expected.

/// Why a scenario could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{path}: cannot read the scenario: {message}")]
    Read {
        /// The path.
        path: String,
        /// The system's reason.
        message: String,
    },
    /// The text is not valid TOML, or a value has the wrong type, or a key is unknown.
    #[error("{at}: {message}")]
    Parse {
        /// `file:line:column`.
        at: String,
        /// What went wrong.
        message: String,
    },
    /// A value is out of range or breaks a cross-field rule.
    #[error("{at}: {field}: expected {expected}, got {got}")]
    Invalid {
        /// `file:line:column`, `file`, or `file (--set ...)`.
        at: String,
        /// The dotted path, labs by id.
        field: String,
        /// What would be valid.
        expected: String,
        /// The value found.
        got: String,
    },
    /// Neither a file nor a bundled scenario has this name.
    #[error(
        "{name}: no such file, and no bundled scenario of that name{hint}; bundled: {names} (see `racerun scenarios`)"
    )]
    NotFound {
        /// The argument as given.
        name: String,
        /// ` (did you mean `x`?)` or empty.
        hint: String,
        /// The bundled names, comma-separated.
        names: String,
    },
    /// A `--set` argument (or another option's that sets a parameter) could not be
    /// applied.
    #[error("{flag} {arg}: {message}")]
    Override {
        /// The option: `--set`, `--params`.
        flag: &'static str,
        /// The argument as given.
        arg: String,
        /// What went wrong, with the valid keys at that level.
        message: String,
    },
}
