//! Rules that span several parameters of one group, checked after each parameter is in its
//! range. A policy states its own in [`crate::policy::Policy::validate`] with these types,
//! so a new policy needs no change to validation.

use super::YearMonth;
use super::uncertain::Uncertain;

/// What a rule may consult: the scenario's start month and the values a parameter of the
/// group can take.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    start: YearMonth,
    /// The group's path as a user writes it, e.g. `labs.openai.policy`.
    at: &'a str,
    uncertain: &'a [Uncertain],
}

/// The values one parameter can take: its value, or the support of its distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    /// The smallest value.
    pub lo: f64,
    /// The largest value.
    pub hi: f64,
    /// Whether the parameter is an uncertain input (else `lo == hi`, its value).
    pub uncertain: bool,
}

/// A rule a group breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// The offending parameter below the group, dotted, array items by index
    /// (`min_train`, `points.1.from`).
    pub key: String,
    /// What would be valid.
    pub expected: String,
    /// What was found.
    pub got: String,
}

impl Broken {
    /// The rule broken at `key`.
    pub fn new(
        key: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Self {
        Broken {
            key: key.into(),
            expected: expected.into(),
            got: got.into(),
        }
    }
}

impl<'a> Rules<'a> {
    pub(crate) fn new(start: YearMonth, at: &'a str, uncertain: &'a [Uncertain]) -> Self {
        Rules {
            start,
            at,
            uncertain,
        }
    }

    /// Calendar month of month index 0.
    pub fn start(&self) -> YearMonth {
        self.start
    }

    /// The values parameter `key` of the group can take; `value` is its value in the
    /// scenario (an uncertain input's median).
    pub fn span(&self, key: &str, value: f64) -> Span {
        let path = format!("{}.{key}", self.at);
        match self.uncertain.iter().find(|u| u.path == path) {
            Some(u) => {
                let (lo, hi) = u.dist.support();
                Span {
                    lo,
                    hi,
                    uncertain: true,
                }
            }
            None => Span {
                lo: value,
                hi: value,
                uncertain: false,
            },
        }
    }
}
