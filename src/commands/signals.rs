//! Ctrl-C. During the cells of a sweep, the first press asks the sweep to stop after the
//! cell in progress (its finished cells are kept for `--resume`). Anywhere else, and at
//! a second press, racerun removes the hidden directory it is writing a result into (so
//! nothing is left behind and the previous result stays as it was) and exits with 130.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Raised by the first Ctrl-C while a sweep runs its cells.
pub static STOP: AtomicBool = AtomicBool::new(false);
static SOFT: AtomicBool = AtomicBool::new(false);
/// Raised when the handler is about to clean up and exit.
static QUITTING: AtomicBool = AtomicBool::new(false);
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
            // Raised first: the main thread, failing because its directory vanished,
            // must not report that failure (see `wait_if_quitting`).
            QUITTING.store(true, Ordering::SeqCst);
            racerun::output::remove_staging();
            racerun::output::remove_locks();
            std::process::exit(130);
        });
    });
}

/// If Ctrl-C is being handled, waits for the handler to finish cleaning up and exit
/// the process (rather than reporting an error its cleanup caused); returns otherwise.
pub fn wait_if_quitting() {
    if QUITTING.load(Ordering::SeqCst) {
        // The handler exits within moments; never return while it runs.
        loop {
            std::thread::park();
        }
    }
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
