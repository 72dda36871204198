//! The reports' glossary: the terms their verdicts, tables and charts use, each said in a
//! sentence for a reader who has not read the model's documentation.

use super::html::{Section, esc};

/// Each term and what it means, in the order a reader meets them.
const TERMS: [(&str, &str); 14] = [
    (
        "Elo",
        "the scale of model quality, as on public leaderboards of models judged in pairs: a \
         model 100 Elo ahead is preferred in about 64% of comparisons, 200 ahead in 76%.",
    ),
    (
        "H100e",
        "compute counted in Nvidia H100 equivalents: a fleet of 1M H100e has the computing \
         power of a million H100 GPUs, whatever chips it holds.",
    ),
    (
        "quality leader, market leader",
        "a lab takes the quality lead when its deployed model beats the leader's (every other \
         lab's while nobody leads) by at least the lead margin, and keeps it until another lab \
         does the same; the market lead is taken and kept the same way with customer shares \
         (and the share margin).",
    ),
    (
        "lead spell",
        "a stretch of months in which one lab leads without interruption.",
    ),
    (
        "persistence against chance",
        "how likely the leader still leads k months later, averaged over k from 1 month to the \
         persistence horizon (24 months unless the scenario says otherwise) and rescaled so \
         that 0 is a leader no better than a lab drawn at random and 1 a lead that never \
         changes. The verdict's main test: a run needs at most {run}, a race at least {race}.",
    ),
    (
        "Kaplan-Meier",
        "the standard estimate of how long spells last when some are still running at the end \
         of the simulation: a spell cut off by the horizon counts as lasting at least that \
         long, so long leads are not understated.",
    ),
    (
        "headwind",
        "how much less of its fleet the quality leader trains than its followers, in \
         percentage points: serving the customers its lead wins takes GPUs from training the \
         next model.",
    ),
    (
        "median, p10-p90",
        "the middle value across the simulated futures and the range between their 10th and \
         90th percentiles (eight in ten futures fall inside), taken number by number: a \
         median line over months need not be any one simulated future.",
    ),
    (
        "95% CI",
        "a 95% confidence interval from resampling the simulations (the bootstrap): made this \
         way, such a range holds the value that endlessly many simulations would give 95 times \
         in 100. It covers the Monte Carlo's sampling, not doubts about the model.",
    ),
    (
        "HHI",
        "the Herfindahl-Hirschman index of customer shares, the sum of their squares: 1 when \
         one lab has every customer, 1/n when n labs split them evenly.",
    ),
    (
        "channel, Shapley value, share",
        "a channel is one force that can make a race or a run (the headwind, self-improvement, \
         release cadence, luck...), which racerun explain switches off; a channel's Shapley \
         value is the difference it makes averaged over every combination of the other \
         channels, and its share is that value over the difference between the factual world \
         and the world with the channels off (above 100% or below 0 when channels pull \
         against each other).",
    ),
    (
        "vintage, carried over",
        "when a lab's training run happened (a later run uses better algorithms, so the same \
         compute buys more quality); compute carried over is the part of a lab's earlier \
         models that its next run starts from.",
    ),
    (
        "self-improvement (kappa)",
        "AI speeding up its own research: a lab's research runs faster the better its own \
         model, relative to the labs' mean (kappa) and in absolute terms (kappa_abs); never slower \
         than without it, and at most research_cap times as fast.",
    ),
    (
        "Sobol index",
        "the share of the variation of an outcome that one uncertain input accounts for, \
         alone (first order) or together with its interactions with the others (total \
         effect), from 0 (none) to 1 (all).",
    ),
];

/// The glossary section, with the verdict's thresholds as the rule has them.
pub(super) fn section() -> Section {
    use crate::metrics::{RACE_PERSISTENCE, RUN_PERSISTENCE};
    let items: String = TERMS
        .iter()
        .map(|(term, meaning)| {
            let meaning = meaning
                .replace("{run}", &format!("{RUN_PERSISTENCE:.2}"))
                .replace("{race}", &format!("{RACE_PERSISTENCE:.2}"));
            format!("<dt>{}</dt><dd>{}</dd>\n", esc(term), esc(&meaning))
        })
        .collect();
    Section::new(
        "terms",
        "Terms",
        format!("<p>The words racerun's pages use, each in a sentence.</p>\n<dl>\n{items}</dl>"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term is defined once, the thresholds are the rule's, and no placeholder or
    /// markdown is left in the page.
    #[test]
    fn the_glossary_defines_each_term_once_with_the_rules_thresholds() {
        let body = section().body;
        for (term, _) in TERMS {
            assert_eq!(
                body.matches(&format!("<dt>{}</dt>", esc(term))).count(),
                1,
                "{term}"
            );
        }
        assert!(
            body.contains("a run needs at most 0.30, a race at least 0.60"),
            "{body}"
        );
        for left in ["{", "}", "`"] {
            assert!(!body.contains(left), "{left} in {body}");
        }
    }
}
