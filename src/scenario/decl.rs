//! One declaration per parameter.
//!
//! A group of parameters is one [`declare!`] block: each field states its type, default,
//! unit, range, meaning and whether it may be a distribution, once. From that block come
//! the serde struct (defaults filled in from the declaration, unknown keys refused), its
//! `Default`, and a [`Node`] implementation that yields the parameters' catalogue entries
//! ([`super::params::PARAMS`]: `racerun params`, validation, `--set`, `show`, `new`) and
//! reaches each real number so an uncertain input's draw can be written in place.
//!
//! ```text
//! declare! {
//!     /// Self-improvement and catch-up spillover.
//!     pub struct Dynamics {
//!         /// self-improvement: a lead worth 10^x compute speeds research by 10^(kappa x)
//!         pub kappa: f64 = 0.0 => param { label: "Self-improvement", range: closed(0.0, 5.0) },
//!     }
//! }
//! ```
//!
//! A field's doc comment is the parameter's meaning, shown by `racerun params` and `new`
//! (its lines joined by spaces). After `=>` each field names its role:
//!
//! - `param`: a parameter; missing from a file, it takes the declared default (or the
//!   type's `Default`, for `Option` fields whose value is derived during validation).
//! - `required`: a parameter a file must give (serde's "missing field" error otherwise).
//! - `group` / `required_group`: a nested declared struct, a list of them or the policy.
//! - `internal`: not a parameter; skipped by serde (`#[serde(skip)]`), set by validation.
//!
//! A parameter's braces hold `key: value` pairs on one line, any order: `label` (a short
//! human name for charts and reports, e.g. `GPU supply`; the unit is added from `unit`),
//! `unit`, `range`, `kind` (to refine the type's kind: [`Kind::Month`], [`Kind::Color`],
//! ...), `uncertain: false` (a real that may not be a distribution; reals may be by
//! default) and `calendar: true` (the engine's precomputed calendar reads it, so a run
//! that draws it needs its own calendar). `doc: "..."` in the braces may stand for the
//! doc comment.

use super::params::{Kind, ParamSpec, Range};

/// One step of a path into a scenario: a key, or an index into an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// The generic catalogue path (`labs.*.fleet`) of a concrete path into the tree.
pub(crate) fn generic(segs: &[Seg]) -> String {
    let parts: Vec<&str> = segs
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Index(_) => "*",
        })
        .collect();
    parts.join(".")
}

/// `prefix.key`, or `key` at the top level.
pub(crate) fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// `[min, max]`.
pub(crate) const fn closed(min: f64, max: f64) -> Range {
    Range {
        min,
        min_inclusive: true,
        max,
        max_inclusive: true,
    }
}

/// `(min, max]`: above `min`.
pub(crate) const fn above(min: f64, max: f64) -> Range {
    Range {
        min_inclusive: false,
        ..closed(min, max)
    }
}

/// `[min, max)`: below `max`.
pub(crate) const fn below(min: f64, max: f64) -> Range {
    Range {
        max_inclusive: false,
        ..closed(min, max)
    }
}

/// `[0, 1]`: a probability, share or fraction.
pub(crate) const PROB: Range = closed(0.0, 1.0);

/// A number as the catalogue shows it: `3`, `0.5`, `1e21`.
pub(crate) fn fmt_num(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e6 || v.abs() < 1e-3) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A type a parameter can have.
pub(crate) trait Leaf {
    /// Its kind in the catalogue (a declaration may refine it, e.g. text to a month).
    const KIND: Kind;
    /// The value as the catalogue shows a default; empty for none.
    fn shown(&self) -> String;
    /// The number itself, where a drawn value of an uncertain input is written.
    fn real_mut(&mut self) -> Option<&mut f64> {
        None
    }
}

impl Leaf for f64 {
    const KIND: Kind = Kind::Real;
    fn shown(&self) -> String {
        fmt_num(*self)
    }
    fn real_mut(&mut self) -> Option<&mut f64> {
        Some(self)
    }
}

impl Leaf for u32 {
    const KIND: Kind = Kind::Int;
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Leaf for bool {
    const KIND: Kind = Kind::Bool;
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Leaf for String {
    const KIND: Kind = Kind::Text;
    fn shown(&self) -> String {
        self.clone()
    }
}

/// A value derived during validation when the file leaves it out.
impl<T: Leaf> Leaf for Option<T> {
    const KIND: Kind = T::KIND;
    fn shown(&self) -> String {
        self.as_ref().map_or_else(String::new, Leaf::shown)
    }
    fn real_mut(&mut self) -> Option<&mut f64> {
        self.as_mut()?.real_mut()
    }
}

/// A group of parameters: a declared struct, a list of them, or the policy.
pub(crate) trait Node {
    /// Appends the catalogue entry of every parameter below, under generic path `prefix`.
    fn catalogue(prefix: &str, out: &mut Vec<ParamSpec>);
    /// The real number at `path` below this node, if a real parameter is there.
    fn real_at(&mut self, path: &[Seg]) -> Option<&mut f64>;
}

/// A list of groups: `*` in generic paths, an index in concrete ones.
impl<T: Node> Node for Vec<T> {
    fn catalogue(prefix: &str, out: &mut Vec<ParamSpec>) {
        T::catalogue(&join(prefix, "*"), out);
    }
    fn real_at(&mut self, path: &[Seg]) -> Option<&mut f64> {
        match path.split_first()? {
            (Seg::Index(i), rest) => self.get_mut(*i)?.real_at(rest),
            _ => None,
        }
    }
}

/// What a declaration says about a parameter besides its type and default; built by the
/// `key: value` pairs of the declaration, each a method here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Meta {
    kind: Option<Kind>,
    unit: &'static str,
    range: Option<Range>,
    fixed: bool,
    calendar: bool,
    doc: &'static str,
    label: &'static str,
}

impl Meta {
    pub(crate) fn doc(self, doc: &'static str) -> Meta {
        Meta { doc, ..self }
    }
    /// The field's doc comment, its lines joined (each starts with a space), as the
    /// meaning unless the braces give `doc`.
    pub(crate) fn doc_comment(self, text: &'static str) -> Meta {
        if self.doc.is_empty() {
            self.doc(text.trim())
        } else {
            self
        }
    }
    pub(crate) fn label(self, label: &'static str) -> Meta {
        Meta { label, ..self }
    }
    pub(crate) fn unit(self, unit: &'static str) -> Meta {
        Meta { unit, ..self }
    }
    pub(crate) fn range(self, range: Range) -> Meta {
        Meta {
            range: Some(range),
            ..self
        }
    }
    pub(crate) fn kind(self, kind: Kind) -> Meta {
        Meta {
            kind: Some(kind),
            ..self
        }
    }
    pub(crate) fn uncertain(self, may_be: bool) -> Meta {
        Meta {
            fixed: !may_be,
            ..self
        }
    }
    pub(crate) fn calendar(self, reads: bool) -> Meta {
        Meta {
            calendar: reads,
            ..self
        }
    }
}

/// Leaks a catalogue string: the catalogue is built once, into a static.
fn intern(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The catalogue entry of one parameter. `default` is `None` for a required parameter.
pub(crate) fn leaf<T: Leaf>(prefix: &str, key: &str, default: Option<&T>, meta: Meta) -> ParamSpec {
    let kind = meta.kind.unwrap_or(T::KIND);
    ParamSpec {
        path: intern(join(prefix, key)),
        kind,
        unit: meta.unit,
        default: intern(default.map(Leaf::shown).unwrap_or_default()),
        range: meta.range,
        doc: meta.doc,
        label: meta.label,
        uncertain: kind == Kind::Real && !meta.fixed,
        calendar: meta.calendar,
    }
}

/// Adds the parameters of one policy kind to the catalogue: a key that several kinds
/// share is listed once, its meaning prefixed by the kinds (`leader_harvest,
/// gap_response: ...`).
pub(crate) fn merge_kind(out: &mut Vec<ParamSpec>, first: usize, kind: &str, own: Vec<ParamSpec>) {
    for spec in own {
        let doc = format!("{kind}: {}", spec.doc);
        match out[first..].iter_mut().find(|s| s.path == spec.path) {
            None => out.push(ParamSpec {
                doc: intern(doc),
                ..spec
            }),
            Some(shared) => {
                // Same meaning: name both kinds before it; else list each kind's meaning.
                let merged = match shared.doc.split_once(": ") {
                    Some((kinds, rest)) if rest == spec.doc => format!("{kinds}, {kind}: {rest}"),
                    _ => format!("{}; {doc}", shared.doc),
                };
                shared.doc = intern(merged);
            }
        }
    }
}

/// Declares a group of parameters; see the module documentation.
macro_rules! declare {
    (
        $(#[$sattr:meta])*
        pub struct $name:ident {
            $(
                $(#[$($fattr:tt)*])*
                $fvis:vis $field:ident : $ty:ty $(= $default:expr)? => $role:ident $({ $($meta:tt)* })?
            ),* $(,)?
        }
    ) => {
        $(#[$sattr])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $name {
            $(
                $(#[$($fattr)*])*
                #[doc = $crate::scenario::decl::doc_of!($($($meta)*)?)]
                $fvis $field: $ty,
            )*
        }

        #[allow(clippy::derivable_impls)]
        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $crate::scenario::decl::default_of!($($default)?), )* }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // The struct as a file writes it: every field but the required ones
                // optional, so the defaults come from the declaration. Named like the
                // outer one for serde's messages.
                #[derive(serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                struct $name {
                    $( $(#[$($fattr)*])* $field: $crate::scenario::decl::given_ty!($role, $ty), )*
                }
                let given = <$name as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self {
                    $( $field: $crate::scenario::decl::given_or_default!(
                        given.$field, $field, $role $(, $default)?
                    ), )*
                })
            }
        }

        impl $crate::scenario::decl::Node for $name {
            fn catalogue(prefix: &str, out: &mut Vec<$crate::scenario::params::ParamSpec>) {
                let defaults = <Self as Default>::default();
                let _ = &defaults;
                $( $crate::scenario::decl::entry!(
                    out, prefix, defaults, $field, $ty, $crate::scenario::decl::doc_text!($([$($fattr)*])*), $role $({ $($meta)* })?
                ); )*
            }
            fn real_at(&mut self, path: &[$crate::scenario::decl::Seg]) -> Option<&mut f64> {
                let ($crate::scenario::decl::Seg::Key(key), rest) = path.split_first()? else {
                    return None;
                };
                $( if key == stringify!($field) {
                    return $crate::scenario::decl::reach!(self.$field, rest, $role);
                } )*
                None
            }
        }
    };
}

/// The text of a field's doc comment: its `doc` attributes' strings, concatenated.
macro_rules! doc_text {
    (@lines [$($line:literal)*]) => { concat!($($line),*) };
    (@lines [$($line:literal)*] [doc = $text:literal] $($rest:tt)*) => {
        $crate::scenario::decl::doc_text!(@lines [$($line)* $text] $($rest)*)
    };
    (@lines [$($line:literal)*] [$($other:tt)*] $($rest:tt)*) => {
        $crate::scenario::decl::doc_text!(@lines [$($line)*] $($rest)*)
    };
    ($($attr:tt)*) => { $crate::scenario::decl::doc_text!(@lines [] $($attr)*) };
}

/// The `doc` of a parameter's `key: value` pairs, for its rustdoc; empty for a group.
macro_rules! doc_of {
    () => { "" };
    (doc: $doc:literal $(, $($rest:tt)*)?) => { $doc };
    ($key:ident : $value:expr $(, $($rest:tt)*)?) => {
        $crate::scenario::decl::doc_of!($($($rest)*)?)
    };
}

macro_rules! default_of {
    () => {
        Default::default()
    };
    ($default:expr) => {
        $default
    };
}

/// A field's type as a file gives it: required ones as they are (serde reports them
/// missing), the others optional.
macro_rules! given_ty {
    (required, $ty:ty) => { $ty };
    (required_group, $ty:ty) => { $ty };
    ($role:ident, $ty:ty) => { Option<$ty> };
}

/// A field's value from the file's.
macro_rules! given_or_default {
    ($given:expr, $field:ident, required) => {
        $given
    };
    ($given:expr, $field:ident, required_group) => {
        $given
    };
    ($given:expr, $field:ident, $role:ident, $default:expr) => {
        $given.unwrap_or_else(|| $default)
    };
    ($given:expr, $field:ident, $role:ident) => {
        $given.unwrap_or_default()
    };
}

/// Appends a field's catalogue entries.
macro_rules! entry {
    ($out:ident, $prefix:ident, $defaults:ident, $field:ident, $ty:ty, $doc:expr, param { $($meta:tt)* }) => {
        $out.push($crate::scenario::decl::leaf::<$ty>(
            $prefix,
            stringify!($field),
            Some(&$defaults.$field),
            $crate::scenario::decl::meta!($($meta)*).doc_comment($doc),
        ))
    };
    ($out:ident, $prefix:ident, $defaults:ident, $field:ident, $ty:ty, $doc:expr, required { $($meta:tt)* }) => {
        $out.push($crate::scenario::decl::leaf::<$ty>(
            $prefix,
            stringify!($field),
            None,
            $crate::scenario::decl::meta!($($meta)*).doc_comment($doc),
        ))
    };
    ($out:ident, $prefix:ident, $defaults:ident, $field:ident, $ty:ty, $doc:expr, group) => {
        <$ty as $crate::scenario::decl::Node>::catalogue(
            &$crate::scenario::decl::join($prefix, stringify!($field)),
            $out,
        )
    };
    ($out:ident, $prefix:ident, $defaults:ident, $field:ident, $ty:ty, $doc:expr, required_group) => {
        $crate::scenario::decl::entry!($out, $prefix, $defaults, $field, $ty, $doc, group)
    };
    ($out:ident, $prefix:ident, $defaults:ident, $field:ident, $ty:ty, $doc:expr, internal) => {};
}

macro_rules! meta {
    ($($key:ident : $value:expr),* $(,)?) => {
        $crate::scenario::decl::Meta::default() $(.$key($value))*
    };
}

/// The real number at `rest` below a field.
macro_rules! reach {
    ($field:expr, $rest:ident, param) => {
        if $rest.is_empty() {
            $crate::scenario::decl::Leaf::real_mut(&mut $field)
        } else {
            None
        }
    };
    ($field:expr, $rest:ident, required) => {
        $crate::scenario::decl::reach!($field, $rest, param)
    };
    ($field:expr, $rest:ident, group) => {
        $crate::scenario::decl::Node::real_at(&mut $field, $rest)
    };
    ($field:expr, $rest:ident, required_group) => {
        $crate::scenario::decl::reach!($field, $rest, group)
    };
    ($field:expr, $rest:ident, internal) => {
        None
    };
}

/// Declares a choice among fixed words: an enum whose variants are written as the given
/// words in files, with the words listed for the catalogue.
macro_rules! choice {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $(#[$vattr:meta])* $variant:ident = $word:literal ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vattr])* #[serde(rename = $word)] $variant, )*
        }

        impl $crate::scenario::decl::Leaf for $name {
            const KIND: $crate::scenario::params::Kind =
                $crate::scenario::params::Kind::Choice(&[$($word),*]);
            fn shown(&self) -> String {
                match self {
                    $( Self::$variant => $word.to_string(), )*
                }
            }
        }
    };
}

pub(crate) use {
    choice, declare, default_of, doc_of, doc_text, entry, given_or_default, given_ty, meta, reach,
};
