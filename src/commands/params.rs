//! `racerun params [PREFIX]`: every scenario parameter, printed from the same catalogue
//! ([`racerun::scenario::params::PARAMS`]) that validation checks files against.

use anyhow::{Result, anyhow};

use racerun::measures::fill_in;
use racerun::scenario::library::Source;
use racerun::scenario::params::{self, Kind, ParamSpec};

use super::console::out;
use crate::cli::{MeasuresArgs, ParamsArgs};

/// Runs `racerun params`.
pub fn run(args: ParamsArgs) -> Result<()> {
    let specs = params::under(args.prefix.as_deref().unwrap_or("")).map_err(|e| anyhow!(e))?;
    out!("{}", render(&specs))?;
    Ok(())
}

/// Two lines per parameter: path, type, unit, default and range; then its meaning.
/// `labs.*` is any lab (by id on the command line: `--set labs.openai.fleet=1e5`).
pub fn render(specs: &[&ParamSpec]) -> String {
    let mut out = String::from(
        "Scenario parameters (`labs.*` is any lab; on the command line name it by id:\n\
         --set labs.<id>.fleet=2e5). A blank default is required, derived or optional (absent\n\
         unless set), as the meaning says.\n\
         A real parameter may also be a distribution (an uncertain input, see\n\
         docs/uncertainty.md) unless marked \"no distribution\".\n\
         \"x per year\" is a factor, not a rate: 2 doubles every year, 1.5 is +50% a year,\n\
         1 stays flat, 0.5 halves every year.\n",
    );
    let mut group = "";
    for s in specs {
        let g = s.path.rsplit_once('.').map_or("", |(g, _)| g);
        if g != group {
            out.push('\n');
            group = g;
        }
        let mut head = format!("{}  ({}", s.path, s.kind.name());
        if !s.unit.is_empty() {
            head.push_str(&format!(", {}", s.unit));
        }
        if s.kind == Kind::Real && !s.uncertain {
            head.push_str(", no distribution");
        }
        head.push(')');
        if !s.default.is_empty() {
            head.push_str(&format!("  default {}", s.default));
        }
        if let Some(r) = s.range {
            head.push_str(&format!("  range {r}"));
        }
        out.push_str(&format!("{head}\n    {}\n", s.doc));
    }
    out
}

/// Runs `racerun measures`: every headline and per-lab measure, as files and `--measure`
/// name them, with what each is and its unit. Without a scenario `{months}` and
/// `{persistence}` stand for its horizon and persistence months and "applies" says what a
/// measure needs; with one they are filled in and "applies" says whether it does.
pub fn measures(args: MeasuresArgs) -> Result<()> {
    use racerun::measures::{LAB_MEASURES, MEASURES, Needs};
    use racerun::metrics::EARLY_WINDOW;
    let scenario = match &args.scenario {
        Some(name) => Some(Source::find(name)?.load(&args.set)?),
        None => None,
    };
    // The scenario's horizon and persistence months, where there is one.
    let filled = scenario
        .as_ref()
        .map(|s| (s.months, s.world.leadership.persistence_months));
    let fill = |label: &str, unit: &str| match filled {
        Some((months, persistence)) => (
            fill_in(label, months, persistence),
            fill_in(unit, months, persistence),
        ),
        None => (label.to_string(), unit.to_string()),
    };
    let mut rows = vec![vec![
        "measure".to_string(),
        "what it is".to_string(),
        "unit".to_string(),
        "applies".to_string(),
    ]];
    for m in MEASURES {
        let needs = match m.needs {
            Needs::Nothing => "always",
            Needs::Leader => "runs in which a lab leads",
            Needs::Rivals => "two labs or more",
            Needs::RivalsAndEarlyWindow => "two labs or more, 24 months or more",
        };
        let applies = match &scenario {
            None => needs.to_string(),
            Some(s) if m.applies(s.labs.len(), s.months) => match m.needs {
                Needs::Leader => "runs in which a lab leads".to_string(),
                _ => "yes".to_string(),
            },
            Some(s) => {
                // What the scenario lacks, of what the measure needs.
                let mut lacks = Vec::new();
                if s.labs.len() < 2 {
                    lacks.push("two labs or more".to_string());
                }
                if m.needs == Needs::RivalsAndEarlyWindow && s.months < EARLY_WINDOW.1 {
                    lacks.push(format!("{} months or more", EARLY_WINDOW.1));
                }
                format!("no: needs {}", lacks.join(" and "))
            }
        };
        let (label, unit) = fill(m.label, m.unit);
        rows.push(vec![m.name.to_string(), label, unit, applies]);
    }
    let mut text = match &scenario {
        Some(s) => format!(
            "Headline measures of a run of `{}` ({} lab{}, {} month{}): one column of runs.csv \
             each, their mean and quantiles over runs in summary.json, and the names --measure \
             takes (sweep, sensitivity).\n\n",
            s.name,
            s.labs.len(),
            racerun::numbers::plural_s(s.labs.len()),
            s.months,
            racerun::numbers::plural_s(s.months),
        ),
        None => "Headline measures of a run: one column of runs.csv each, their mean and \
                 quantiles over runs in summary.json, and the names --measure takes (sweep, \
                 sensitivity). {months} stands for a scenario's horizon and {persistence} for \
                 its persistence months: `racerun measures SCENARIO` fills them in.\n\n"
            .to_string(),
    };
    text.push_str(&racerun::numbers::columns(
        &rows,
        racerun::numbers::Align::Left,
        1,
    ));
    text.push_str(
        "\nThe verdict's persistence is persistence_norm_quality, against chance; \
         persistence_quality is the plain share of months, which chance alone makes large \
         when there are few labs.\n",
    );
    let mut rows = vec![vec![
        "measure".to_string(),
        "what it is".to_string(),
        "unit".to_string(),
    ]];
    for m in LAB_MEASURES {
        let (label, unit) = fill(m.label, m.unit);
        rows.push(vec![format!("{}.<lab>", m.name), label, unit]);
    }
    text.push_str(
        "\nPer-lab measures: one column per lab in runs.csv, their quantiles per lab in \
         summary.json (labs_measures).\n\n",
    );
    text.push_str(&racerun::numbers::columns(
        &rows,
        racerun::numbers::Align::Left,
        1,
    ));
    if filled.is_none() {
        text.push_str(
            "\n{months} is the scenario's horizon and {persistence} its \
             world.leadership.persistence_months (`racerun measures SCENARIO` fills them in).\n",
        );
    }
    text.push_str("docs/outputs.md says how each measure is computed.\n");
    out!("{text}")?;
    Ok(())
}
