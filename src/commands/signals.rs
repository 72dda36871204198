//! Ctrl-C. During the cells of a sweep, the first press asks the sweep to stop after the
//! cell in progress (its finished cells are kept for `--resume`). Anywhere else, and at
//! a second press, racerun removes the hidden directory it is writing a result into (so
//! nothing is left behind and the previous result stays as it was) and exits with 130.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Raised by the first Ctrl-C while a sweep runs its cells.
pub static STOP: AtomicBool = AtomicBool::new(false);
static SOFT: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// Installs the handler (once per process).
pub fn install() {
    INSTALL.call_once(|| {
        // Without a handler (it cannot be installed), Ctrl-C simply ends the process and
        // the next racerun writing to the same place removes what it left.
        let _ = ctrlc::set_handler(|| {
            if SOFT.load(Ordering::SeqCst) && !STOP.swap(true, Ordering::SeqCst) {
                return;
            }
            racerun::output::remove_staging();
            std::process::exit(130);
        });
    });
}

/// While alive, the first Ctrl-C only raises [`STOP`].
pub struct SoftStop(());

impl SoftStop {
    /// Starts a phase in which Ctrl-C stops between units of work.
    pub fn begin() -> SoftStop {
        install();
        SOFT.store(true, Ordering::SeqCst);
        SoftStop(())
    }
}

impl Drop for SoftStop {
    fn drop(&mut self) {
        SOFT.store(false, Ordering::SeqCst);
    }
}
