//! `--set PATH=VALUE`: change any parameter from the command line, labs addressed by id.

use toml::{Table, Value};

use super::{ScenarioError, did_you_mean, params};

/// One parsed `--set PATH=VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The option it was given with, for messages: `--set`, or the `--params` of a
    /// sensitivity study, whose range becomes a distribution.
    pub flag: &'static str,
    /// The argument as given, for messages.
    pub arg: String,
    /// Dotted path segments, e.g. `["labs", "openai", "policy", "min_train"]`.
    pub path: Vec<String>,
    /// The value: a TOML literal (`0.4`, `true`, `"text"`, `[1, 2]`), or a bare word taken
    /// as text (`fleet`).
    pub value: Value,
}

/// Whether `raw` is written as a decimal number (a sign, a digit first): `Infinity` is a
/// word, as TOML reads it, and so is a month like `2023-01`.
fn numeric(raw: &str) -> bool {
    let body = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    body.starts_with(|c: char| c.is_ascii_digit()) && body.replace('_', "").parse::<f64>().is_ok()
}

impl Override {
    /// Parses `PATH=VALUE`.
    pub fn parse(arg: &str) -> Result<Override, ScenarioError> {
        let fail = |message: &str| ScenarioError::Override {
            flag: "--set",
            arg: arg.to_string(),
            message: message.to_string(),
        };
        let (path, raw) = arg
            .split_once('=')
            .ok_or_else(|| fail("expected PATH=VALUE, e.g. world.dynamics.kappa=1.2"))?;
        let path: Vec<String> = path
            .trim()
            .split('.')
            .map(|s| s.trim().to_string())
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(fail(
                "the path has an empty segment; expected dotted keys like labs.<id>.fleet",
            ));
        }
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(fail("the value is empty"));
        }
        let value = match raw.parse::<Value>() {
            Ok(value) => value,
            // A number TOML cannot hold (`1e400`, a 20-digit integer) is not a word.
            Err(_) if numeric(raw) => {
                return Err(fail(&if raw.parse::<f64>().is_ok_and(f64::is_infinite) {
                    format!("{raw} is beyond the largest number racerun can hold (about 1.8e308)")
                } else {
                    format!(
                        "{raw} is not a number racerun can read: a whole number is at most \
                         9223372036854775807; write a large real number with an exponent, e.g. 1e20"
                    )
                }));
            }
            Err(_) => Value::String(raw.to_string()),
        };
        Ok(Override {
            flag: "--set",
            arg: arg.to_string(),
            path,
            value,
        })
    }

    /// The same override, said in messages to come from `flag` as `arg`.
    pub fn given_as(self, flag: &'static str, arg: &str) -> Override {
        Override {
            flag,
            arg: arg.to_string(),
            ..self
        }
    }

    /// The path with labs by id, as shown in messages (`labs.openai.fleet`).
    pub fn display_path(&self) -> String {
        self.path.join(".")
    }

    /// Applies the override to a scenario tree.
    pub(crate) fn apply(&self, root: &mut Table) -> Result<(), ScenarioError> {
        let fail = |message: String| ScenarioError::Override {
            flag: self.flag,
            arg: self.arg.clone(),
            message,
        };
        let mut generic: Vec<&str> = Vec::new();
        let mut table = root;
        let mut i = 0;
        while i < self.path.len() {
            let key = self.path[i].as_str();
            let last = i + 1 == self.path.len();
            if key == "labs" && generic.is_empty() {
                let Some(lab_id) = self.path.get(i + 1) else {
                    return Err(fail(
                        "labs is a list; address one lab by id, e.g. labs.<id>.fleet".into(),
                    ));
                };
                let labs = table.get_mut("labs").and_then(Value::as_array_mut);
                let ids: Vec<String> = labs
                    .as_ref()
                    .map(|l| {
                        l.iter()
                            .filter_map(|v| v.get("id")?.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let Some(lab) = labs.and_then(|l| {
                    l.iter_mut()
                        .find(|v| v.get("id").and_then(Value::as_str) == Some(lab_id.as_str()))
                }) else {
                    let hint = did_you_mean(lab_id, ids.iter().map(String::as_str));
                    return Err(fail(format!(
                        "no lab with id `{lab_id}`{hint}; the labs are: {}",
                        ids.join(", ")
                    )));
                };
                if i + 2 == self.path.len() {
                    return Err(fail(format!(
                        "labs.{lab_id} is a lab; name one of its keys: {}",
                        params::keys_under("labs.*").join(", ")
                    )));
                }
                table = lab
                    .as_table_mut()
                    .ok_or_else(|| fail("labs must be an array of tables".into()))?;
                generic.push("labs");
                generic.push("*");
                i += 2;
                continue;
            }
            let generic_here = generic.join(".");
            let valid = params::keys_under(&generic_here);
            if !valid.contains(&key) {
                let at = if generic_here.is_empty() {
                    "the top level".to_string()
                } else {
                    format!("`{}`", self.path[..i].join("."))
                };
                let mut hint = did_you_mean(key, valid.iter().copied());
                if hint.is_empty() {
                    hint = params::full_path(&self.path[i..].join("."));
                }
                return Err(fail(format!(
                    "unknown key `{key}` at {at}{hint}; valid keys there: {}",
                    valid.join(", ")
                )));
            }
            generic.push(key);
            if last {
                if generic.join(".") == "labs.*.policy.kind" {
                    // A new kind takes its own parameters: drop the old kind's.
                    table.retain(|k, _| k == "kind");
                }
                if params::find(&generic.join(".")).is_none() {
                    return Err(fail(format!(
                        "`{}` is a group, not a value; its keys: {}",
                        self.path.join("."),
                        params::keys_under(&generic.join(".")).join(", ")
                    )));
                }
                table.insert(key.to_string(), self.value.clone());
                return Ok(());
            }
            let next = table
                .entry(key.to_string())
                .or_insert_with(|| Value::Table(Table::new()));
            table = next.as_table_mut().ok_or_else(|| {
                fail(format!(
                    "`{}` is a value, not a group",
                    self.path[..=i].join(".")
                ))
            })?;
            i += 1;
        }
        Err(fail("nothing to set".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Table {
        toml::from_str(
            r#"
name = "t"
[[labs]]
id = "openai"
policy = { kind = "serve_first", min_train = 0.3 }
[[labs]]
id = "anthropic"
"#,
        )
        .unwrap()
    }

    #[test]
    fn sets_lab_policy_and_world_values() {
        let mut t = tree();
        Override::parse("labs.openai.policy.min_train=0.4")
            .unwrap()
            .apply(&mut t)
            .unwrap();
        Override::parse("world.dynamics.kappa=1.2")
            .unwrap()
            .apply(&mut t)
            .unwrap();
        Override::parse("world.gpus.rationing=fleet")
            .unwrap()
            .apply(&mut t)
            .unwrap();
        assert_eq!(t["labs"][0]["policy"]["min_train"].as_float(), Some(0.4));
        assert_eq!(t["world"]["dynamics"]["kappa"].as_float(), Some(1.2));
        assert_eq!(t["world"]["gpus"]["rationing"].as_str(), Some("fleet"));
    }

    #[test]
    fn a_number_beyond_a_float_is_refused_as_a_number() {
        let e = Override::parse("world.dynamics.kappa=1e400")
            .unwrap_err()
            .to_string();
        assert!(e.contains("1e400 is beyond the largest number"), "{e}");
        assert!(Override::parse("world.dynamics.kappa=-1e400").is_err());
        let e = Override::parse("months=99999999999999999999")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is not a number racerun can read"), "{e}");
        // Words that Rust's float parser would read as infinite stay words.
        for word in ["Infinity", "INF", "inf5", "1a", "e5", "2023-01", "1.2.3"] {
            let o = Override::parse(&format!("labs.a.name={word}")).unwrap();
            assert_eq!(o.value, Value::String(word.to_string()), "{word}");
        }
    }

    #[test]
    fn bad_paths_list_valid_keys_and_suggest() {
        let mut t = tree();
        let e = Override::parse("world.market.swtching=1")
            .unwrap()
            .apply(&mut t)
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `switching`"), "{e}");
        assert!(e.contains("valid keys there: beta, switching"), "{e}");
        // A parameter named without its table: its full path.
        for (given, meant) in [
            ("kappa=1", "did you mean `world.dynamics.kappa`?"),
            ("dynamics.kappa=1", "did you mean `world.dynamics.kappa`?"),
            ("fleet=1", "did you mean `labs.<id>.fleet`?"),
        ] {
            let e = Override::parse(given)
                .unwrap()
                .apply(&mut t)
                .unwrap_err()
                .to_string();
            assert!(e.contains(meant), "{given}: {e}");
        }
        let e = Override::parse("labs.opnai.fleet=1")
            .unwrap()
            .apply(&mut t)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no lab with id `opnai` (did you mean `openai`?)"),
            "{e}"
        );
        assert!(Override::parse("kappa").is_err());
    }

    #[test]
    fn changing_policy_kind_drops_old_parameters() {
        let mut t = tree();
        Override::parse("labs.openai.policy.kind=fixed")
            .unwrap()
            .apply(&mut t)
            .unwrap();
        assert!(t["labs"][0]["policy"].get("min_train").is_none());
    }
}
