//! SIGTERM and SIGHUP (a closed terminal window, a shutdown) end the
//! screens the same way `q` does: the terminal is restored and osce exits.
//! Every mark or decision shown as saved is already on disk; nothing is
//! left to save.
//!
//! A terminal that has gone away must end osce too, even where no signal
//! says so (a hang-up ignored under `nohup`, or a window closed while the
//! screen was waiting for a key; the terminal library then reads an
//! endless end of input and never returns to the screen's loop). A
//! watchdog thread notices either, gives the loop [`GRACE`] to end as
//! usual, and otherwise ends the process itself, between two writes: a
//! process left running would keep its sheets locked against the
//! examiner's next window.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long the screen's loop has to end by itself after a stop.
pub const GRACE: Duration = Duration::from_secs(1);

/// How often the watchdog looks at the flag and the terminal.
const WATCH: Duration = Duration::from_millis(250);

/// Held while a record is being written (see [`writing`]).
static WRITING: Mutex<()> = Mutex::new(());

/// Private folders to remove should the watchdog end the process itself
/// (see [`remove_if_forced`]).
static TEMPORARY: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());

/// Folders that must not outlive the screen (an archive's journals written
/// out for `moderate`: candidates' marks): removed even when the
/// watchdog ends the process, where nothing else is dropped.
pub fn remove_if_forced(folders: impl IntoIterator<Item = std::path::PathBuf>) {
    TEMPORARY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(folders);
}

/// Hold the returned guard while writing a record: the watchdog never ends
/// the process in the middle of one.
pub fn writing() -> MutexGuard<'static, ()> {
    WRITING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Set when a terminating signal arrived, or the terminal went away.
#[derive(Debug, Clone)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// Registers the handlers and starts the watchdog. If either cannot be
    /// set up the screens still work; the signals then end osce without
    /// restoring the terminal, as before.
    pub fn install() -> Stop {
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
            let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
        }
        let watched = Arc::clone(&flag);
        let _ = std::thread::Builder::new()
            .name("osce-watchdog".into())
            .spawn(move || watchdog(&watched));
        Stop(flag)
    }

    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

fn watchdog(flag: &AtomicBool) {
    while !flag.load(Ordering::Relaxed) {
        if terminal_gone() {
            flag.store(true, Ordering::Relaxed);
            break;
        }
        std::thread::sleep(WATCH);
    }
    // The screen's loop ends within a tick when it can.
    std::thread::sleep(GRACE);
    let _writing = writing();
    for folder in TEMPORARY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        // A folder, or a file beside it (its lock).
        let _ = std::fs::remove_dir_all(folder).or_else(|_| std::fs::remove_file(folder));
    }
    // Still here: the loop is stuck. A terminal that is still there (the
    // loop busy on a slow disk when a shutdown came) is given back as `q`
    // would leave it; one that has gone cannot be.
    if !terminal_gone() {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
        ratatui::restore();
    }
    std::process::exit(0);
}

/// Whether the terminal on standard input has hung up.
fn terminal_gone() -> bool {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    match poll(&mut fds, Some(&rustix::event::Timespec::default())) {
        Ok(_) => fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => false,
    }
}
