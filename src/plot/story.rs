//! Titles that state what the data shows: who leads and for how long in one simulated
//! future, and plain words for lists and numbers. Every chart's title is computed here
//! or in its own file from its data, never fixed text that a scenario could contradict.

use super::theme::Calendar;
use crate::numbers::list;

/// The leader of each month of one simulated future: a lab index, or `None` for a tie
/// or a month without data.
pub(crate) struct Leaders<'a> {
    pub(crate) by_month: Vec<Option<usize>>,
    pub(crate) names: &'a [String],
}

/// What one simulated future's lead did, in numbers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LeadStory {
    /// Times the lead passed to another lab (a tie in between does not count as one).
    pub(crate) changes: usize,
    /// Months each lab led.
    pub(crate) months_led: Vec<usize>,
    /// The last leader, the month its final spell began, and whether it runs to the end.
    pub(crate) last: Option<(usize, usize)>,
}

impl Leaders<'_> {
    pub(crate) fn story(&self) -> LeadStory {
        let mut months_led = vec![0; self.names.len()];
        let mut changes = 0;
        let mut current: Option<usize> = None;
        let mut since = 0;
        for (m, leader) in self.by_month.iter().enumerate() {
            let Some(l) = *leader else { continue };
            months_led[l] += 1;
            match current {
                Some(c) if c == l => {}
                Some(_) => {
                    changes += 1;
                    current = Some(l);
                    since = m;
                }
                None => {
                    current = Some(l);
                    since = m;
                }
            }
        }
        LeadStory {
            changes,
            months_led,
            last: current.map(|c| (c, since)),
        }
    }

    /// A title for the lead of one simulated future: a lab that holds it throughout, one
    /// that takes it and keeps it for the last stretch, or how often it changes hands
    /// and who held it longest; labs that never lead are named.
    pub(crate) fn title(&self, calendar: &Calendar) -> String {
        let s = self.story();
        let months = self.by_month.len();
        let Some((last, since)) = s.last else {
            return "No lab has the best model on its own in this simulated future".into();
        };
        let never: Vec<&str> = s
            .months_led
            .iter()
            .enumerate()
            .filter(|&(_, &m)| m == 0)
            .map(|(i, _)| self.names[i].as_str())
            .collect();
        let never = match never.len() {
            0 => String::new(),
            n if n + 1 == self.names.len() => String::new(),
            1 => format!("; {} never leads", never[0]),
            _ => format!("; {} never lead", list(&never)),
        };
        let head = if s.changes == 0 && since == 0 {
            format!("{} has the best model throughout", self.names[last])
        } else if s.changes == 0 {
            format!(
                "{} has the best model from {} to the end; the labs were tied before",
                self.names[last],
                calendar.label(since as i64)
            )
        } else if (months - since) * 5 >= months * 2 {
            format!(
                "{} takes the lead in {} and keeps it to the end{}",
                self.names[last],
                calendar.label(since as i64),
                match s.changes {
                    1 => " after one change of leader".to_string(),
                    n => format!(", after {n} changes of leader"),
                }
            )
        } else {
            let (top, led) = s
                .months_led
                .iter()
                .enumerate()
                .max_by_key(|&(i, &m)| (m, std::cmp::Reverse(i)))
                .map(|(i, &m)| (i, m))
                .unwrap_or((last, 0));
            format!(
                "The best model changes hands {} times; {} leads longest, {led} of {months} months",
                s.changes, self.names[top]
            )
        };
        format!("{head}{never}")
    }
}

/// A share as a whole percentage: `0.337` -> `34%`.
pub(crate) fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A name as it reads inside a sentence: the first letter lowered unless the word is an
/// acronym (`Self-improvement exponent κ` -> `self-improvement exponent κ`, `GPU supply`
/// stays).
pub(crate) fn mid_sentence(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => a
            .to_lowercase()
            .chain(name[a.len_utf8()..].chars())
            .collect(),
        _ => name.to_string(),
    }
}

/// A parameter's name without its parenthesis, for running text.
pub(crate) fn short(name: &str) -> &str {
    name.split_once(" (").map_or(name, |(head, _)| head)
}

/// Two shares as a range: `0.31`, `0.36` -> `31-36%`.
pub(crate) fn pct_range(lo: f64, hi: f64) -> String {
    let (a, b) = ((lo * 100.0).round(), (hi * 100.0).round());
    if a == b {
        format!("{a:.0}%")
    } else {
        format!("{a:.0}-{b:.0}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["Alpha", "Beta", "Gamma"].map(String::from).to_vec()
    }

    #[test]
    fn titles_follow_the_data() {
        let cal = Calendar::parse("2023-01").unwrap();
        let names = names();
        let keep = Leaders {
            by_month: [vec![Some(0); 6], vec![None], vec![Some(2); 53]].concat(),
            names: &names,
        };
        assert_eq!(keep.story().changes, 1);
        assert_eq!(
            keep.title(&cal),
            "Gamma takes the lead in Aug 2023 and keeps it to the end after one change of \
             leader; Beta never leads"
        );
        let rotate = Leaders {
            by_month: (0..60).map(|m| Some((m / 5) % 3)).collect(),
            names: &names,
        };
        assert_eq!(
            rotate.title(&cal),
            "The best model changes hands 11 times; Alpha leads longest, 20 of 60 months"
        );
        let one = Leaders {
            by_month: vec![Some(1); 12],
            names: &names,
        };
        assert_eq!(one.title(&cal), "Beta has the best model throughout");
        // Tied at the start, then one lab for good: not "throughout".
        let late = Leaders {
            by_month: [vec![None; 3], vec![Some(1); 9]].concat(),
            names: &names,
        };
        assert_eq!(
            late.title(&cal),
            "Beta has the best model from Apr 2023 to the end; the labs were tied before"
        );
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }
}
