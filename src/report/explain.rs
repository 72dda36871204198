//! The report of an explanation (`racerun explain`): the question, the answer (verdict
//! and cause), what each channel accounts for in every measure, the two charts, the
//! factual world's verdict and labs, the leapfrogs, what switching each channel off
//! means, the resolved scenario, and the command that makes it again.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::html::{Page, ReportError, Section, command, esc, figures, table};
use super::run::{
    build_line, labs, made_by, out_beside, overrides_html, read_value, resolved_scenario,
    same_again, verdict,
};
use super::tables::num;
use crate::explain::attribution::{Effect, MeasureAttribution, Status, all_off_words, asked};
use crate::explain::leapfrog::{PARTS, words};
use crate::explain::{ATTRIBUTED, Attribution, Leapfrog};
use crate::schema::explain::{LEAPFROGS, read_leapfrogs};
use crate::schema::{self, SummaryHead};

/// What the verdict sentence of an explanation appends to the factual world's.
const WHY: &str = " Why: ";

#[derive(Deserialize)]
struct WithAttribution {
    attribution: Attribution,
}

/// A share as a whole percentage, never "-0%".
fn pct(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let t = format!("{:.0}", v * 100.0);
    crate::numbers::minus(if t == "-0" {
        "0%".into()
    } else {
        format!("{t}%")
    })
}

/// A measure's label and unit, from the catalogue of measures.
fn measure_words(name: &str, months: u32, persistence: u32) -> (String, String) {
    crate::measures::find(name).map_or_else(
        || (name.to_string(), String::new()),
        |m| (m.label(months, persistence), m.unit(months, persistence)),
    )
}

/// A channel's name as the chart labels it.
fn channel_name(name: &str) -> String {
    crate::explain::Channel::parse(name)
        .map_or_else(|| name.replace('_', " "), |c| c.label().into())
}

/// One channel's row of a measure's table: effect and its interval, share and its (no
/// interval from one run, whose bootstrap has no spread).
fn effect_row(name: &str, status: Status, e: Option<&Effect>, runs: u64) -> Vec<String> {
    let tag = |text: &str| format!("<span class=\"tag\">{text}</span>");
    let first = esc(&channel_name(name));
    match (status, e) {
        (Status::Used, Some(e)) => {
            let se = e.sampling_se.map_or(String::new(), |se| {
                format!(" {}", tag(&format!("± {} sampling", num(se))))
            });
            let mut share = e.share.map_or("–".into(), pct);
            let share_ci = match (e.share_ci_low, e.share_ci_high) {
                (Some(lo), Some(hi)) if runs >= 2 => {
                    let value = e.share.unwrap_or(f64::NAN);
                    let [value, lo, hi] = crate::numbers::percent_with_interval(value, lo, hi);
                    let percent = |t: String| crate::numbers::minus(format!("{t}%"));
                    if e.share.is_some() {
                        share = percent(value);
                    }
                    tag(&format!("{} to {}", percent(lo), percent(hi)))
                }
                _ => String::new(),
            };
            let ci = if runs >= 2 {
                format!("{} to {}", num(e.ci_low), num(e.ci_high))
            } else {
                "one run, so no interval".into()
            };
            vec![
                first,
                format!("{}{se}", signed(e.effect)),
                tag(&ci),
                share,
                share_ci,
            ]
        }
        (Status::Unused, _) => vec![
            first,
            format!("0 {}", tag("not used by the scenario")),
            String::new(),
            "0%".into(),
            String::new(),
        ],
        _ => vec![
            first,
            tag("kept on (left out by --channels)"),
            String::new(),
            String::new(),
            String::new(),
        ],
    }
}

/// What to know before citing the answer ([`crate::explain::reading_notes`]), as a
/// list, or nothing.
fn notes(a: &Attribution) -> String {
    let notes = crate::explain::reading_notes(a);
    if notes.is_empty() {
        return String::new();
    }
    let items: String = notes
        .iter()
        .map(|n| format!("<li>{}</li>\n", esc(&capitalise(n))))
        .collect();
    format!("\n<p>Before citing these numbers:</p>\n<ul>\n{items}</ul>")
}

/// A value with its sign, for effects.
fn signed(v: f64) -> String {
    let text = num(v);
    if v > 0.0 && text != "0" {
        format!("+{text}")
    } else {
        text
    }
}

/// Every attributed measure: its factual value, the value with every channel off, and a
/// table of what each channel accounts for.
fn attribution(a: &Attribution, months: u32, persistence: u32, runs: u64) -> String {
    let mut out = format!(
        "<p>{}.</p>\n<p>The <em>effect</em> of a channel is the change in the measure it \
         accounts for, averaged over every order of switching the channels off (its Shapley \
         value); the effects add up to the difference between the factual world and the \
         world with {}. The <em>share</em> is the effect over that difference: \
         a share above 100% or below 0 means other channels pull the other way, and shares of \
         a difference near zero say little. Intervals are 95% bootstrap intervals over \
         simulations (the same resampled simulations in every world).</p>\n",
        esc(&capitalise(&a.method)),
        esc(&all_off_words(&a.channels))
    );
    let order: Vec<&str> = ATTRIBUTED
        .iter()
        .copied()
        .filter(|m| a.measures.contains_key(*m))
        .chain(
            a.measures
                .keys()
                .map(String::as_str)
                .filter(|m| !ATTRIBUTED.contains(m)),
        )
        .collect();
    for name in order {
        let m: &MeasureAttribution = &a.measures[name];
        let (label, unit) = measure_words(name, months, persistence);
        let unit = if unit.is_empty() || unit.len() > 40 {
            String::new()
        } else {
            format!(" ({unit})")
        };
        let rows: Vec<Vec<String>> = a
            .channels
            .iter()
            .map(|c| effect_row(&c.name, c.status, m.channels.get(&c.name), runs))
            .collect();
        let _ = write!(
            out,
            "<h3 id=\"measure-{id}\">{label}</h3>\n<p>Factual world {f}, {off} {o}: \
             a difference of {d}{unit} (<code>{id}</code> in <code>attribution.csv</code>).</p>\n\
             {table}\n",
            id = esc(name),
            label = esc(&label),
            f = num(m.factual),
            off = esc(&all_off_words(&a.channels)),
            o = num(m.all_off),
            d = signed(m.total),
            unit = esc(&unit),
            table = table(
                &["channel", "effect", "95% CI", "share", "95% CI of share"],
                &rows
            ),
        );
    }
    out
}

/// `word` with a capital first letter.
fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Elo to a tenth, with its sign when `sign`.
fn elo(v: f64, sign: bool) -> String {
    let text = crate::numbers::fixed(v, 1);
    let text = if text == "0.0" { "0".to_string() } else { text };
    let text = if sign && v > 0.0 && text != "0" {
        format!("+{text}")
    } else {
        text
    };
    crate::numbers::minus(text)
}

/// The leapfrogs of the sample simulations: how many, by whom, and the mean parts of the
/// challenger's margin.
fn leapfrogs(rows: &[Leapfrog], samples: Option<u64>, names: &BTreeMap<String, String>) -> String {
    let sims = samples.map_or_else(
        || "the sample simulations".to_string(),
        |n| match n {
            1 => "the first simulation".to_string(),
            n => format!("the first {} simulations", num(n as f64)),
        },
    );
    if rows.is_empty() {
        return format!(
            "<p>No lead change in {sims}: there is no leapfrog to split. \
             <code>{LEAPFROGS}</code> is empty.</p>"
        );
    }
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for l in rows {
        *pairs
            .entry((name(&l.challenger), name(&l.incumbent)))
            .or_default() += 1;
    }
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let margins: Vec<f64> = rows.iter().map(|l| l.margin).collect();
    let parts: Vec<Vec<String>> = PARTS
        .iter()
        .enumerate()
        .map(|(k, part)| {
            let values: Vec<f64> = rows.iter().map(|l| l.parts()[k]).collect();
            let ahead = values.iter().filter(|v| **v > 0.0).count();
            vec![
                format!(
                    "{} <span class=\"tag\">{}</span>",
                    esc(words(part).0),
                    esc(words(part).2)
                ),
                elo(crate::stats::mean(&values), true),
                format!(
                    "{} to {}",
                    elo(crate::stats::quantile(&values, 0.25), false),
                    elo(crate::stats::quantile(&values, 0.75), false)
                ),
                pct(ahead as f64 / values.len() as f64),
            ]
        })
        .collect();
    let top: Vec<String> = pairs
        .iter()
        .take(3)
        .map(|((c, i), n)| format!("{} overtook {} {} times", esc(c), esc(i), n))
        .collect();
    format!(
        "<p>{n} lead changes in {sims}: the challenger's quality margin over the leader it \
         overtook was {mean} Elo on average (median {median}). Most often, {top}.</p>\n\
         <p>Each margin splits exactly into the parts below, since quality is logarithmic in \
         effective compute: a positive part is where the challenger's model was ahead of the \
         incumbent's, a negative one where it was behind and the other parts made up for \
         it; <em>ahead in</em> is the share of the changes where the part favoured the \
         challenger. Every change is a row of <code>{LEAPFROGS}</code>.</p>\n{table}",
        n = num(rows.len() as f64),
        mean = elo(crate::stats::mean(&margins), false),
        median = elo(crate::stats::quantile(&margins, 0.5), false),
        top = top.join("; "),
        table = table(
            &[
                "part of the margin",
                "mean (Elo)",
                "middle half (Elo)",
                "ahead in"
            ],
            &parts
        )
    )
}

/// What each channel is, whether it took part, and what switching it off means.
fn channels(a: &Attribution) -> String {
    let rows: Vec<Vec<String>> = a
        .channels
        .iter()
        .map(|c| {
            let status = match c.status {
                Status::Used => "switched on and off",
                Status::Unused => "not used by the scenario: 0, not simulated",
                Status::KeptOn => "kept on in every world (left out by --channels)",
            };
            vec![
                esc(&channel_name(&c.name)),
                format!("<span class=\"tag\">{status}</span>"),
                esc(&c.off),
            ]
        })
        .collect();
    format!(
        "<p>A channel is a force that can make a world a race or a run. Each world of the \
         explanation switches some of them off; a channel the scenario does not use changes \
         nothing when switched off, so it is reported as zero without simulating it.</p>\n{}",
        table(
            &["channel", "in this explanation", "the world with it off"],
            &rows
        )
    )
}

/// The command that made the explanation, and one that makes it again from its files in
/// `shown_as`.
fn reproduce(shown_as: &Path, head: &SummaryHead, a: &Attribution, manifest: &Value) -> String {
    let mut again = same_again("explain", shown_as, head);
    if let Some(samples) = manifest["samples"].as_u64() {
        let _ = write!(again, " --samples {samples}");
    }
    if a.channels.iter().any(|c| c.status == Status::KeptOn) {
        let _ = write!(again, " --channels {}", asked(&a.channels).join(","));
    }
    again.push_str(&out_beside(shown_as, "again"));
    format!(
        "{}<p>The same numbers from the files here (<code>scenario.toml</code> is the resolved \
         scenario, overrides included), at any thread count:</p>\n{}\n<p>The factual world \
         is exactly <code>racerun run</code> of the same scenario, simulations and seed, whose \
         report has every chart of the world itself:</p>\n{}",
        made_by(manifest, "explanation"),
        command(&again),
        command(&format!(
            "{}{}",
            same_again("run", shown_as, head),
            out_beside(shown_as, "factual")
        ))
    )
}

/// The page of the explanation in `dir`, which commands name `shown_as`.
pub fn page(dir: &Path, shown_as: &Path) -> Result<Page, ReportError> {
    let summary_path = dir.join(schema::SUMMARY);
    let head = SummaryHead::read(&summary_path)?;
    let WithAttribution { attribution: a } =
        schema::read_json(&summary_path, "an explanation's summary")?;
    let mut summary = read_value(&summary_path, "an explanation's summary")?;
    let manifest = read_value(&dir.join("manifest.json"), "a manifest").unwrap_or(Value::Null);
    let figs = crate::plot::figures(dir, crate::plot::SWEEP_MEASURE)?;
    let leaps = read_leapfrogs(&dir.join(LEAPFROGS), head.horizon(), &head.lab_ids())?;
    let names: BTreeMap<String, String> = head
        .labs
        .iter()
        .map(|l| {
            let name = if l.name.is_empty() { &l.id } else { &l.name };
            (l.id.clone(), name.clone())
        })
        .collect();
    let persistence = summary["survival"]["quality"]["h"]
        .as_array()
        .and_then(|h| h.last()?.as_u64())
        .map_or(24, |h| h as u32);
    // The factual world's verdict without the cause, which the answer gives.
    if let Some(s) = summary["verdict"]["sentence"].as_str()
        && let Some((world, _)) = s.split_once(WHY)
    {
        summary["verdict"]["sentence"] = Value::String(world.to_string());
    }
    let regime = summary["verdict"]["regime"].as_str().unwrap_or("none");
    // The badge says the regime; the sentence need not start with it again.
    let shout = format!("{}: ", regime.replace('_', " ").to_uppercase());
    let answer_text = a.sentence.strip_prefix(&shout).unwrap_or(&a.sentence);
    let answer_text = capitalise(answer_text);
    let answer = format!(
        "<p><span class=\"regime {}\">{}</span></p>\n<p class=\"answer\">{}</p>\n\
         <p>The factual world is the scenario as written; every other world switches some \
         channels off, with the same simulations and random numbers. The tables below give \
         every measure; <code>attribution.csv</code> has them as numbers.</p>{}",
        esc(regime),
        esc(&regime.replace('_', " ").to_uppercase()),
        esc(&answer_text),
        notes(&a)
    );
    let overrides: Vec<String> = manifest["overrides"]
        .as_array()
        .map(|o| {
            o.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_else(|| head.overrides.clone());
    let samples = manifest["samples"].as_u64();
    let span = crate::scenario::YearMonth::parse(&head.start).map_or(String::new(), |s| {
        format!(", {} to {}", s, s.plus(head.months as i64 - 1))
    });
    let sections = vec![
        Section::new("answer", "The answer", answer),
        Section::new(
            "charts",
            "The charts",
            format!(
                "<p>Each is also in <code>charts/</code> as PNG and SVG.</p>\n{}",
                figures(&figs)
            ),
        ),
        Section::new(
            "attribution",
            "What each channel accounts for",
            attribution(&a, head.horizon(), persistence, head.runs),
        ),
        Section::new("verdict", "The factual world's verdict", verdict(&summary)),
        Section::new("labs", "Each lab", labs(&summary)),
        Section::new(
            "leapfrogs",
            "The leapfrogs",
            leapfrogs(&leaps, samples, &names),
        ),
        Section::new("channels", "The channels", channels(&a)),
        Section::new(
            "scenario",
            "The scenario",
            resolved_scenario(dir, &overrides),
        ),
        super::terms::section(),
        Section::new(
            "reproduce",
            "Make it again",
            reproduce(shown_as, &head, &a, &manifest),
        ),
    ];
    Ok(Page {
        title: format!("Why a race or a run? Scenario {}", head.scenario),
        lede: format!(
            "{} Is this world a race, where a lead lasts, or a run, where it passes from lab \
             to lab, and what makes it so? Each force that can make either is switched off in \
             turn, in every combination, and the difference it makes is measured.",
            esc(summary["description"].as_str().unwrap_or(""))
        )
        .trim_start()
        .to_string(),
        provenance: format!(
            "{}, {} simulation{} in each of {} world{}, seed {}{span}{}.",
            esc(&build_line(&manifest)),
            num(head.runs as f64),
            crate::numbers::plural_s(head.runs),
            num(a.worlds as f64),
            crate::numbers::plural_s(a.worlds),
            head.seed,
            overrides_html(&overrides)
        ),
        sections,
    })
}
