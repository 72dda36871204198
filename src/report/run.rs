//! The report of a run: the question, the verdict with its evidence and the command that
//! says why, every chart with how to read it, the labs, the plausibility checks, the
//! resolved scenario, and the command that makes it again.
//!
//! The cause is not looked for elsewhere: a report is made of its own directory's files
//! only (so `racerun report` rebuilds it to the byte, and it cannot quote an explanation
//! of other simulations), and `racerun explain` writes a report of its own whose factual
//! world is this run, verdict and all.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::evidence::{evidence, thresholds};
use super::html::{Page, ReportError, Section, command, esc, figures, table};
use super::tables::{json, num, scenario};
use crate::schema::{self, ReadError, SummaryHead};

/// Reads a JSON file as a value (a missing manifest is an empty object).
pub(crate) fn read_value(path: &Path, what: &str) -> Result<Value, ReadError> {
    schema::read_json(path, what)
}

/// `racerun 0.1.0 (commit 1a2b3c4, rustc 1.86.0)` from a manifest.
pub(crate) fn build_line(manifest: &Value) -> String {
    let version = manifest["racerun_version"].as_str().unwrap_or("?");
    let mut extra = Vec::new();
    if let Some(c) = manifest["git_commit"].as_str() {
        extra.push(format!("commit {}", &c[..c.len().min(10)]));
    }
    if let Some(r) = manifest["rustc_version"].as_str() {
        extra.push(r.split(" (").next().unwrap_or(r).to_string());
    }
    if extra.is_empty() {
        format!("racerun {version}")
    } else {
        format!("racerun {version} ({})", extra.join(", "))
    }
}

/// The `--set` overrides as a sentence part, or nothing.
pub(crate) fn overrides_html(overrides: &[String]) -> String {
    if overrides.is_empty() {
        return String::new();
    }
    let list: Vec<String> = overrides
        .iter()
        .map(|o| format!("<code>--set {}</code>", esc(o)))
        .collect();
    format!("; modified with {}", list.join(", "))
}

/// The verdict: regime, sentence, evidence, the rest of what the summary says about it,
/// and the rule.
pub(crate) fn verdict(summary: &Value) -> String {
    let v = &summary["verdict"];
    let regime = v["regime"].as_str().unwrap_or("none");
    let mut out = format!(
        "<p><span class=\"regime {}\">{}</span></p>\n<p>{}</p>\n",
        esc(regime),
        esc(&regime.replace('_', " ").to_uppercase()),
        esc(v["sentence"].as_str().unwrap_or(""))
    );
    // A horizon too short or a single lab is not judged (the sentence says why): its
    // numbers would read as evidence, and every moved threshold gives the same verdict.
    let judged = crate::schema::summary::judged(regime);
    if let Some(e) = v
        .get("evidence")
        .filter(|e| judged && e.as_object().is_some_and(|o| !o.is_empty()))
    {
        out.push_str("<h3>The evidence</h3>\n");
        let runs = summary["runs"].as_u64().unwrap_or(0);
        // Spell survival of no length: no lab ever led.
        let no_spells = summary["spell_survival"]["quality"]["months"]
            .as_array()
            .is_some_and(Vec::is_empty);
        out.push_str(&evidence(e, v, runs, no_spells).unwrap_or_else(|| json(e)));
    }
    if let Some(t) = v
        .get("threshold_sensitivity")
        .and_then(Value::as_array)
        .filter(|_| judged)
    {
        out.push_str("<h3>If the thresholds were otherwise</h3>\n");
        out.push_str(&thresholds(t));
    }
    if let Some(map) = v.as_object() {
        for (k, value) in map {
            // Shown above: the evidence holds the normalised persistence.
            const SHOWN: [&str; 6] = [
                "regime",
                "rule",
                "sentence",
                "evidence",
                "persistence_normalised",
                "threshold_sensitivity",
            ];
            if !SHOWN.contains(&k.as_str()) {
                let _ = write!(
                    out,
                    "<h3>{}</h3>\n{}",
                    esc(&super::tables::words(k)),
                    json(value)
                );
            }
        }
    }
    if let Some(rule) = v["rule"].as_str().filter(|r| !r.is_empty()) {
        let _ = write!(
            out,
            "<details><summary>The rule behind the verdict</summary><p>{}</p></details>",
            esc(rule)
        );
    }
    out
}

/// `value (p10-p90)` of a summary statistic, the range under the value so that a table of
/// many columns fits a page.
fn spread(stat: &Value, f: impl Fn(f64) -> String) -> String {
    let get = |k: &str| stat[k].as_f64().unwrap_or(f64::NAN);
    format!(
        "{}<br><span class=\"tag\">{}-{}</span>",
        f(get("p50")),
        f(get("p10")),
        f(get("p90"))
    )
}

/// As [`spread`] for numbers written with suffixes, all three alike
/// ([`crate::numbers::compact_alike`]).
fn spread_alike(stat: &Value) -> String {
    let get = |k: &str| stat[k].as_f64().unwrap_or(f64::NAN);
    let texts = crate::numbers::compact_alike(&[get("p50"), get("p10"), get("p90")]);
    format!(
        "{}<br><span class=\"tag\">{}-{}</span>",
        texts[0], texts[1], texts[2]
    )
}

/// One row per lab: its colour and name, months leading, share, fleet, releases, and
/// how often it ends with the best model.
pub(crate) fn labs(summary: &Value) -> String {
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    let months = |v: f64| format!("{v:.0}");
    let labs = summary["labs"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    // The colours the charts draw (a lab's own unless too close to another's).
    let colors = crate::plot::lab_colors_hex(labs.iter().map(|lab| lab["color"].as_str()));
    let rows: Vec<Vec<String>> = labs
        .iter()
        .zip(colors)
        .map(|(lab, color)| {
            let id = lab["id"].as_str().unwrap_or("");
            let name = lab["name"].as_str().filter(|n| !n.is_empty()).unwrap_or(id);
            let m = &summary["labs_measures"][id];
            vec![
                format!(
                    "<span style=\"white-space:nowrap\"><span class=\"swatch\" \
                     style=\"background:{color}\"></span>{}</span>",
                    esc(name)
                ),
                spread(&m["months_led_quality"], months),
                spread(&m["months_led_market"], months),
                spread(&m["final_share"], pct),
                spread_alike(&m["final_fleet"]),
                spread(&m["releases"], months),
                pct(summary["final_quality_leader_share"][id]
                    .as_f64()
                    .unwrap_or(f64::NAN)),
            ]
        })
        .collect();
    format!(
        "<p>Median simulation, with the 10th-90th percentile under it.</p>\n{}",
        table(
            &[
                "lab",
                "months with the best model",
                "months with the most customers",
                "final customer share",
                "final fleet (H100e)",
                "releases",
                "ends with the best model",
            ],
            &rows,
        )
    )
}

/// The plausibility checks of the summary, whatever their shape, or that there are none.
pub(crate) fn plausibility(summary: &Value) -> String {
    match summary.get("plausibility") {
        Some(p) if !p.is_null() => format!(
            "<p>How the simulated world compares with documented bounds: the largest value of \
             the median simulation, month by month, against its bound.</p>\n{}",
            checks_table(p, summary).unwrap_or_else(|| json(p))
        ),
        _ => "<p class=\"note\">Not measured: this summary has no plausibility checks (it was \
              written by a racerun that did not make them).</p>"
            .to_string(),
    }
}

/// The plausibility checks as a table in words and units, or `None` for a section of
/// another shape (shown as it is instead).
fn checks_table(p: &Value, summary: &Value) -> Option<String> {
    use crate::metrics::plausibility::shown;
    let lab_name = |id: &str| {
        summary["labs"]
            .as_array()
            .and_then(|labs| labs.iter().find(|l| l["id"] == id))
            .and_then(|l| l["name"].as_str())
            .unwrap_or(id)
            .to_string()
    };
    let rows = p["checks"]
        .as_array()?
        .iter()
        .map(|c| {
            let (unit, largest, bound) = (
                c["unit"].as_str()?,
                c["largest"].as_f64()?,
                c["bound"].as_f64()?,
            );
            let mut what = c["description"].as_str()?.to_string();
            if let Some(first) = what.get(..1) {
                what.replace_range(..1, &first.to_uppercase());
            }
            let when = match c["lab"].as_str() {
                Some(lab) => format!("{}, {}", c["date"].as_str()?, lab_name(lab)),
                None => c["date"].as_str()?.to_string(),
            };
            let within = if c["within"].as_bool()? {
                "✓ within"
            } else {
                "✗ outside"
            };
            Some(vec![
                esc(&what),
                esc(&shown(unit, largest)),
                esc(&shown(unit, bound)),
                esc(&when),
                within.to_string(),
            ])
        })
        .collect::<Option<Vec<_>>>()?;
    Some(table(
        &[
            "what",
            "largest (median simulation)",
            "bound",
            "when, where",
            "verdict",
        ],
        &rows,
    ))
}

/// How many sample simulations `sample_runs.csv` holds.
fn samples(dir: &Path) -> usize {
    let Ok(mut reader) = csv::Reader::from_path(dir.join(schema::SAMPLE_RUNS)) else {
        return 0;
    };
    let runs: BTreeSet<String> = reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(0).map(String::from))
        .collect();
    runs.len()
}

/// The command that made the result, and one that makes it again from its own files in
/// `shown_as`.
fn reproduce(dir: &Path, shown_as: &Path, head: &SummaryHead, manifest: &Value) -> String {
    let again = format!(
        "{} --samples {}{}",
        same_again("run", shown_as, head),
        samples(dir),
        out_beside(shown_as, "again")
    );
    format!(
        "{}<p>The same numbers from the files here (<code>scenario.toml</code> is the resolved \
         scenario, overrides included), at any thread count:</p>\n{}",
        made_by(manifest, "result"),
        command(&again)
    )
}

/// The command that made a result (`what`: "result", "explanation") as its manifest
/// records it; empty when it records none.
pub(super) fn made_by(manifest: &Value, what: &str) -> String {
    manifest["command"].as_str().map_or(String::new(), |c| {
        format!("<p>The command that made this {what}:</p>\n{}", command(c))
    })
}

/// `racerun <verb>` of the resolved scenario in `shown_as`, with the same runs and seed.
pub(super) fn same_again(verb: &str, shown_as: &Path, head: &SummaryHead) -> String {
    format!(
        "racerun {verb} {} --runs {} --seed {}",
        shown_as.join("scenario.toml").display(),
        head.runs,
        head.seed
    )
}

/// ` --out <shown_as>-<suffix>`: a command that makes a result again from the files in
/// `shown_as` needs a place of its own (the scenario's default, `output/<name>`, may be
/// the very directory that holds its input, which racerun refuses to replace).
pub(super) fn out_beside(shown_as: &Path, suffix: &str) -> String {
    // `output/baseline/` and `.` name their directory through its path's last part.
    let named = match shown_as.file_name() {
        Some(_) => Some(shown_as.to_path_buf()),
        None => shown_as.canonicalize().ok(),
    };
    let beside = named.as_deref().and_then(|p| {
        let name = p.file_name()?.to_string_lossy();
        Some(p.with_file_name(format!("{name}-{suffix}")))
    });
    match beside {
        Some(path) => format!(" --out {}", path.display()),
        None => format!(" --out output/result-{suffix}"),
    }
}

/// The resolved scenario of the result in `dir` (its `scenario.toml`) as tables, defaults
/// and `overrides` marked, and as the file itself.
pub(crate) fn resolved_scenario(dir: &Path, overrides: &[String]) -> String {
    let scenario_toml = std::fs::read_to_string(dir.join("scenario.toml")).unwrap_or_default();
    format!(
        "<p>Every parameter as the simulation used it. <span class=\"tag\">default</span> \
         marks a value equal to the catalogue's default (<code>racerun params</code>), \
         <span class=\"tag set\">--set</span> one given on the command line; the others \
         are what the scenario sets. Hover a name for its meaning.</p>\n{}\n\
         <details><summary>scenario.toml</summary><pre>{}</pre></details>",
        scenario(&scenario_toml, overrides),
        esc(&scenario_toml)
    )
}

/// Where the cause is: the command that explains this run, same scenario, simulations
/// and seed; nothing for a verdict the rule did not judge (too short, one lab).
fn why(shown_as: &Path, head: &SummaryHead) -> String {
    if head.verdict.as_ref().is_some_and(|v| !v.judged()) {
        return String::new();
    }
    format!(
        "<p><strong>Why?</strong> <code>racerun explain</code> switches each force that can \
         make a race or a run off in turn, with the same simulations and seed, and says how \
         much of the verdict each accounts for; its report starts from this very verdict. It \
         simulates every combination of channels (up to 128 worlds), so it takes that many \
         times as long, or give fewer <code>--runs</code>:</p>\n{}",
        command(&format!(
            "racerun explain {} --runs {} --seed {}",
            shown_as.join("scenario.toml").display(),
            head.runs,
            head.seed
        ))
    )
}

/// The page of the run in `dir`, which commands name `shown_as`.
pub fn page(dir: &Path, shown_as: &Path) -> Result<Page, ReportError> {
    let summary_path = dir.join(schema::SUMMARY);
    let head = SummaryHead::read(&summary_path)?;
    let summary = read_value(&summary_path, "a run summary")?;
    let manifest = read_value(&dir.join("manifest.json"), "a manifest").unwrap_or(Value::Null);
    let figs = crate::plot::figures(dir, crate::plot::SWEEP_MEASURE)?;
    let calendar = crate::scenario::YearMonth::parse(&head.start);
    let span = calendar.map_or(String::new(), |s| {
        format!(", {} to {}", s, s.plus(head.months as i64 - 1))
    });
    let mut sections = vec![
        Section::new(
            "verdict",
            "The verdict",
            verdict(&summary) + &why(shown_as, &head),
        ),
        Section::new(
            "charts",
            "The charts",
            format!(
                "<p>The first chart answers the question; the others show how the answer comes \
                 about. Each is also in <code>charts/</code> as PNG and SVG.</p>\n{}",
                figures(&figs)
            ),
        ),
        Section::new("labs", "Each lab", labs(&summary)),
    ];
    if let Some(inputs) = summary
        .get("inputs")
        .filter(|i| i.as_array().is_some_and(|a| !a.is_empty()))
    {
        sections.push(Section::new(
            "inputs",
            "Uncertain inputs",
            format!(
                "<p>How the outcome moves with each input given as a distribution.</p>\n{}",
                json(inputs)
            ),
        ));
    }
    sections.push(Section::new(
        "plausibility",
        "Plausibility",
        plausibility(&summary),
    ));
    sections.push(Section::new(
        "scenario",
        "The scenario",
        resolved_scenario(dir, &head.overrides),
    ));
    sections.push(super::terms::section());
    sections.push(Section::new(
        "reproduce",
        "Make it again",
        reproduce(dir, shown_as, &head, &manifest),
    ));
    Ok(Page {
        title: format!("Race or run? Scenario {}", head.scenario),
        lede: esc(summary["description"].as_str().unwrap_or("")),
        provenance: format!(
            "{}, {} simulations, seed {}{span}{}.",
            esc(&build_line(&manifest)),
            num(head.runs as f64),
            head.seed,
            overrides_html(&head.overrides)
        ),
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key's swatches are the charts' colours: a lab whose own colour is too close to
    /// an earlier lab's is drawn in an Okabe-Ito colour, and so is its swatch.
    #[test]
    fn lab_swatches_are_the_colours_the_charts_draw() {
        let summary = serde_json::json!({
            "labs": [
                {"id": "google", "name": "Google DeepMind", "color": "#4285F4"},
                {"id": "meta", "name": "Meta", "color": "#0866FF"},
                {"id": "x", "name": "X"},
            ],
        });
        let html = labs(&summary);
        assert!(html.contains("background:#4285F4"), "{html}");
        assert!(!html.contains("#0866FF"), "{html}");
        assert!(html.contains("background:#E69F00"), "{html}");
        // A lab without a colour takes the Okabe-Ito colour of its place (third: green),
        // not a grey.
        assert!(html.contains("background:#009E73"), "{html}");
    }
}
