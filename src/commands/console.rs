//! The terminal: standard output that reports a full or closed stream as an error
//! instead of panicking, the one progress bar every long command shows, and notes on
//! standard error.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

/// Standard output could not be written (a full disk, a closed pipe).
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output")]
pub struct StdoutError(#[from] io::Error);

impl StdoutError {
    /// Whether the reader went away (a closed pipe), which is not worth a message.
    pub fn is_closed(&self) -> bool {
        self.0.kind() == io::ErrorKind::BrokenPipe
    }
}

/// A sweep stopped by Ctrl-C between cells: the message says how to resume.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Interrupted(pub String);

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> Result<(), StdoutError> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `print!` that returns [`StdoutError`] instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::commands::console::print(&format!($($arg)*))
    };
}
pub(crate) use out;

/// A note on standard error (failures to write it are ignored: there is nowhere else).
pub fn note(text: &str) {
    let _ = writeln!(io::stderr().lock(), "note: {text}");
}

/// Notes the scenario's settings that take no effect within its horizon, and its yearly
/// factors below 1, unless `quiet`.
pub fn idle_settings(scenario: &racerun::scenario::Scenario, quiet: bool) {
    if !quiet {
        for text in scenario
            .idle_settings()
            .into_iter()
            .chain(scenario.shrinking_factors())
        {
            note(&text);
        }
    }
}

/// Says which leftovers of killed racerun processes were removed.
pub fn cleaned(paths: &[PathBuf]) {
    for p in paths {
        note(&format!(
            "removed {}, left by a racerun that was interrupted while writing",
            p.display()
        ));
    }
}

/// A progress bar on standard error, shown only on a terminal and unless quiet.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// A bar of `len` `unit`s (runs, cells, points) labelled `message`.
    pub fn new(len: u64, unit: &str, message: String, quiet: bool) -> Progress {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let template = format!(
                "{{spinner}} {{msg}} [{{bar:30}}] {{pos}}/{{len}} {unit}, {{per_sec}}, eta {{eta}}"
            );
            let bar = indicatif::ProgressBar::new(len);
            bar.set_style(
                indicatif::ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message(message);
            bar
        });
        Progress(bar)
    }

    /// Moves the bar to `pos`.
    pub fn set(&self, pos: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(pos);
        }
    }

    /// Sets the bar's length, when the work turns out other than first estimated.
    pub fn set_len(&self, len: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(len);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
