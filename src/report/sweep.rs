//! The reports of a sweep (where the verdict changes over one or two parameters) and of a
//! sensitivity study (which input decides a measure).

use std::fmt::Write as _;
use std::path::Path;

use super::html::{Page, ReportError, Section, command, esc, figures, table};
use super::run::{build_line, overrides_html, read_value};
use super::tables::num;
use crate::experiment::sensitivity::SensitivitySummary;
use crate::experiment::sweep::{SWEEP_SUMMARY, SweepSummary};
use crate::metrics::Regime;
use crate::scenario::params;
use crate::scenario::uncertain::Dist;

/// A parameter's name and unit from the catalogue, or its path.
fn named(path: &str) -> (String, &'static str) {
    params::describe(path).unwrap_or_else(|| (path.to_string(), ""))
}

/// The page of the sweep (its chart showing `measure`) or sensitivity study in `dir`.
pub fn page(dir: &Path, measure: &str) -> Result<Page, ReportError> {
    let manifest = read_value(&dir.join("manifest.json"), "a manifest").unwrap_or_default();
    if dir.join(crate::experiment::sweep::SWEEP_CSV).is_file() {
        sweep(dir, measure, &manifest)
    } else {
        sensitivity(dir, &manifest)
    }
}

fn sweep(dir: &Path, measure: &str, manifest: &serde_json::Value) -> Result<Page, ReportError> {
    let s: SweepSummary = crate::schema::read_json(&dir.join(SWEEP_SUMMARY), "a sweep summary")?;
    let h = &s.header;
    let figs = crate::plot::figures(dir, measure)?;
    let total: u64 = s.regimes.values().sum();
    let counts: Vec<String> = Regime::ALL
        .map(Regime::name)
        .iter()
        .filter_map(|r| s.regimes.get(*r).filter(|n| **n > 0).map(|n| (r, n)))
        .map(|(r, n)| {
            let unsure = match s.uncertain.get(*r) {
                Some(&u) if u > 0 => format!(" ({u} uncertain)"),
                _ => String::new(),
            };
            format!(
                "<span class=\"regime {r}\">{}</span> {} of {} cells{unsure}",
                r.replace('_', " ").to_uppercase(),
                n,
                total
            )
        })
        .collect();
    let axes: Vec<Vec<String>> = h
        .axes
        .iter()
        .map(|a| {
            let (name, unit) = named(&a.path);
            let first = a.values.first().copied().unwrap_or(f64::NAN);
            let last = a.values.last().copied().unwrap_or(f64::NAN);
            vec![
                esc(&name),
                format!("{} to {}", num(first), num(last)),
                esc(unit),
                format!(
                    "{}{}",
                    a.values.len(),
                    if a.log { ", geometric" } else { "" }
                ),
                format!("<code>{}</code>", esc(&a.path)),
            ]
        })
        .collect();
    let mut again = format!("racerun sweep {}", h.scenario);
    for o in &h.overrides {
        let _ = write!(again, " --set {o}");
    }
    for a in &h.axes {
        let _ = write!(
            again,
            " --vary {}{}",
            a.arg,
            if a.log { " --log" } else { "" }
        );
    }
    // An effect's chart is made again by --effect and the measure it is the effect on.
    let shown = match &h.effect {
        Some(c) => {
            let _ = write!(again, " --effect {c}");
            measure
                .strip_prefix(&format!("effect.{c}."))
                .unwrap_or(measure)
        }
        None => measure,
    };
    let _ = write!(
        again,
        " --runs {} --seed {} --measure {shown}",
        h.runs, h.seed
    );
    let clear = match &s.effect_clear {
        Some(e) if e.effect == measure => format!(
            "<p>The total effect of {} on {}: {}.</p>\n",
            esc(h.effect.as_deref().unwrap_or("")),
            esc(
                &crate::measures::find(shown).map_or(shown.to_string(), |m| {
                    m.label(h.months, h.persistence_months).to_lowercase()
                })
            ),
            esc(&e.sentence())
        ),
        _ => String::new(),
    };
    let sections = vec![
        Section::new(
            "verdict",
            "Where it is a race, where a run",
            format!(
                "<p>{}</p>\n{clear}<p>Each cell is a full Monte Carlo of {} simulations with the same \
                 random numbers, so cells differ only by the parameters swept.{}</p>\n\
                 <details><summary>The rule behind each cell's verdict</summary><p>{}</p>\
                 <p>{}</p></details>",
                counts.join("; "),
                h.runs,
                match (s.uncertain.values().any(|&u| u > 0), h.axes.len()) {
                    (false, _) => "",
                    (true, 2) => {
                        " A cell is uncertain when the 95% interval of a number its verdict \
                         rests on reaches another verdict's threshold (the chart marks it with a \
                         dot): more simulations per cell would be needed to place it."
                    }
                    (true, _) => {
                        " A cell is uncertain when the 95% interval of a number its verdict \
                         rests on reaches another verdict's threshold (summary.json names \
                         them): more simulations per cell would be needed to place it."
                    }
                },
                esc(&h.rule),
                esc(&h.shares_rule)
            ),
        ),
        Section::new(
            "charts",
            "The chart",
            format!(
                "{}<p>Other measures: <code>racerun plot DIR</code> after <code>sweep \
                 --measure NAME</code>, or the table <code>sweep.csv</code>.</p>",
                figures(&figs)
            ),
        ),
        Section::new(
            "axes",
            "What was swept",
            table(&["parameter", "values", "unit", "steps", "path"], &axes),
        ),
        super::terms::section(),
        Section::new(
            "reproduce",
            "Make it again",
            format!(
                "<p>With the scenario file or bundled name <code>{}</code> (Ctrl-C keeps finished \
                 cells; <code>--resume</code> continues):</p>\n{}",
                esc(&h.scenario),
                command(&again)
            ),
        ),
    ];
    Ok(Page {
        title: format!("Race or run? A sweep of scenario {}", h.scenario),
        lede: esc(&h.description),
        provenance: format!(
            "{}, {} cells of {} simulations, seed {}{}.",
            esc(&build_line(manifest)),
            h.cells,
            h.runs,
            h.seed,
            overrides_html(&h.overrides)
        ),
        sections,
    })
}

fn sensitivity(dir: &Path, manifest: &serde_json::Value) -> Result<Page, ReportError> {
    let s: SensitivitySummary =
        crate::schema::read_json(&dir.join(crate::schema::SUMMARY), "a sensitivity summary")?;
    let figs = crate::plot::figures(dir, crate::plot::SWEEP_MEASURE)?;
    let ci = |v: f64, lo: f64, hi: f64| {
        format!(
            "{} <span class=\"tag\">{} to {}</span>",
            num(v),
            num(lo),
            num(hi)
        )
    };
    // Each input's distribution, read back from the TOML the summary keeps.
    let dists: Vec<Option<Dist>> = s
        .params
        .iter()
        .map(|p| {
            let t = toml::from_str::<toml::Table>(&format!("d = {}", p.dist)).ok()?;
            Dist::parse(t.get("d")?.as_table()?).ok()
        })
        .collect();
    // Largest total effect first, as the tornado draws them.
    let mut order: Vec<usize> = (0..s.params.len()).collect();
    order.sort_by(|&a, &b| {
        s.params[b]
            .indices
            .st
            .total_cmp(&s.params[a].indices.st)
            .then(a.cmp(&b))
    });
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&k| (&s.params[k], &dists[k]))
        .map(|(p, dist)| {
            let (name, unit) = named(&p.param);
            let i = &p.indices;
            let dist = dist
                .as_ref()
                .map_or_else(|| p.dist.clone(), Dist::to_string);
            vec![
                esc(&name),
                format!("{} {}", esc(&dist), esc(unit)),
                ci(i.s1, i.s1_lo, i.s1_hi),
                ci(i.st, i.st_lo, i.st_hi),
            ]
        })
        .collect();
    let params_arg: Vec<String> = s
        .params
        .iter()
        .zip(&dists)
        .map(|(p, dist)| match dist {
            Some(Dist::Uniform { min, max }) => format!("{}={min}:{max}", p.param),
            _ => p.param.clone(),
        })
        .collect();
    let again = format!(
        "racerun sensitivity {} --params {} --measure {} --samples {} --runs {} --seed {}",
        s.scenario,
        params_arg.join(","),
        s.measure,
        s.samples,
        s.runs_per_point,
        s.seed
    );
    let label =
        crate::measures::find(&s.measure).map_or(s.measure.clone(), |m| m.label.to_string());
    let sections = vec![
        Section::new(
            "charts",
            "What decides it",
            format!(
                "<p>The measure: {} (<code>{}</code>), mean {} over the design, variance {}.</p>\n{}",
                esc(&label),
                esc(&s.measure),
                num(s.mean),
                num(s.variance),
                figures(&figs)
            ),
        ),
        Section::new(
            "indices",
            "The indices",
            format!(
                "{}<details><summary>Method</summary><p>{}</p></details>",
                table(
                    &[
                        "input",
                        "distribution",
                        "first order (95% interval)",
                        "total effect (95% interval)"
                    ],
                    &rows
                ),
                esc(&s.method)
            ),
        ),
        super::terms::section(),
        Section::new("reproduce", "Make it again", command(&again)),
    ];
    Ok(Page {
        title: format!("What decides the answer? Scenario {}", s.scenario),
        lede: format!(
            "Which of the uncertain inputs decides {}? Sobol indices split the measure's \
             variation between them.",
            esc(&label.to_lowercase())
        ),
        provenance: format!(
            "{}, {} points of {} simulations, seed {}.",
            esc(&build_line(manifest)),
            s.points,
            s.runs_per_point,
            s.seed
        ),
        sections,
    })
}
