//! SIGTERM and SIGHUP (a closed terminal window, a shutdown) end the
//! screens the same way `q` does: the terminal is restored and osce exits.
//! Every mark or decision shown as saved is already on disk; nothing is
//! left to save.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when a terminating signal arrived.
#[derive(Debug, Clone)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// Registers the handlers. If they cannot be registered the screens
    /// still work; the signals then end osce without restoring the
    /// terminal, as before.
    pub fn install() -> Stop {
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
            let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
        }
        Stop(flag)
    }

    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
