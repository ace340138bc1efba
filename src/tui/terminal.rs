//! The one terminal loop, for every [`Screen`]: draw, wait for a key (or
//! the next tick), turn it into an action with the screen's key table,
//! update, perform the effects. The terminal is restored on every exit
//! path, and by ratatui's panic hook on a panic.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{self, Event as TermEvent};

use super::screen::{Executor, Screen, drive};
use super::theme::Theme;

/// How often the screen is redrawn while nothing happens: often enough
/// that a timer on screen is never more than this behind the clock.
pub const TICK: Duration = Duration::from_millis(100);

/// Ctrl-L: draw the screen again whole, as terminal programs do.
fn redraw_asked(event: &TermEvent) -> bool {
    matches!(
        event,
        TermEvent::Key(k)
            if k.kind == event::KeyEventKind::Press
                && k.modifiers.contains(event::KeyModifiers::CONTROL)
                && matches!(k.code, event::KeyCode::Char('l' | 'L'))
    )
}

/// Runs `screen` in the terminal until it is done, or the process is asked
/// to stop (SIGTERM, SIGHUP: the window closed).
pub fn run<S: Screen, E: Executor<S>>(mut screen: S, mut exec: E, colour: bool) -> io::Result<()> {
    let origin = Instant::now();
    let stop = super::signals::Stop::install();
    let mut terminal = ratatui::init();
    // Pasted text arrives as one piece, never as keystrokes that mark.
    let _ = crossterm::execute!(io::stdout(), crossterm::event::EnableBracketedPaste);
    let result = (|| -> io::Result<()> {
        // Whatever the screen held before (a program killed without
        // restoring it, the shell's lines) is cleared, never drawn over.
        terminal.clear()?;
        let theme = Theme::new(colour);
        let size = terminal.size()?;
        if let Some(action) = screen.action_for(TermEvent::Resize(size.width, size.height)) {
            let effects = screen.update(action);
            drive(&mut screen, &mut exec, effects);
        }
        let effects = screen.start();
        drive(&mut screen, &mut exec, effects);
        loop {
            if let Some(action) = screen.tick(origin.elapsed(), Utc::now()) {
                let effects = screen.update(action);
                drive(&mut screen, &mut exec, effects);
            }
            if let Some(reply) = exec.watch(&screen, Instant::now()) {
                let effects = screen.reply(reply);
                drive(&mut screen, &mut exec, effects);
            }
            let bells = exec.take_bells();
            if bells > 0 {
                let mut out = io::stdout();
                out.write_all(b"\x07")?;
                out.flush()?;
            }
            if screen.done() || stop.requested() {
                return Ok(());
            }
            terminal.draw(|frame| screen.view(frame, &theme))?;
            if event::poll(TICK)? {
                let event = event::read()?;
                if redraw_asked(&event) {
                    // Ctrl-L, on every screen: drawn again whole, over
                    // what another program wrote on the terminal.
                    terminal.clear()?;
                } else if let Some(action) = screen.action_for(event) {
                    let effects = screen.update(action);
                    drive(&mut screen, &mut exec, effects);
                }
            }
        }
    })();
    let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    if let Some(words) = screen.farewell() {
        let _ = writeln!(io::stderr(), "{words}");
    }
    result
}
