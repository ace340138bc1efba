//! The contract every full-screen mode keeps — the marking screen, the
//! moderation screen and the report — and what they share.
//!
//! A screen is state plus four things:
//!
//! - [`Screen::key`], its key table: what a key means where the screen
//!   is (and [`Screen::resize`], [`Screen::paste`] for the terminal's
//!   other events);
//! - [`Screen::update`]: the new state for an action, and the [`Effect`]s
//!   (I/O) it asks for, without doing any I/O or reading any clock;
//! - [`Screen::reply`]: what the I/O reported back (a record is durable,
//!   a sheet was read), a type of its own, never dressed up as a key;
//! - [`Screen::view`]: drawing `&self`, nothing else.
//!
//! An [`Executor`] performs the effects; [`drive`] feeds each reply back
//! and performs what that asks for in turn. [`super::terminal::run`] is the
//! one terminal loop for every screen.
//!
//! [`Effect`]: Screen::Effect

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::Frame;

use super::theme::Theme;
use crate::store::{Health, Store};

pub trait Screen {
    /// What a key, the terminal or the clock asks of the screen.
    type Action;
    /// What the screen asks the executor to do.
    type Effect;
    /// What the executor reports back from an effect.
    type Reply;

    /// The action a key press means here, from the screen's key table.
    fn key(&self, key: KeyEvent) -> Option<Self::Action>;

    /// The action for the terminal's new size.
    fn resize(width: u16, height: u16) -> Self::Action;

    /// The action for pasted text, where the screen takes it.
    fn paste(_text: String) -> Option<Self::Action> {
        None
    }

    /// The action a terminal event means here.
    fn action_for(&self, event: TermEvent) -> Option<Self::Action> {
        match event {
            TermEvent::Key(key) => self.key(key),
            TermEvent::Resize(width, height) => Some(Self::resize(width, height)),
            TermEvent::Paste(text) => Self::paste(text),
            _ => None,
        }
    }

    /// The new state for `action`, and the I/O it asks for.
    fn update(&mut self, action: Self::Action) -> Vec<Self::Effect>;

    /// The new state for what the executor reported, and any I/O that asks
    /// for in turn.
    fn reply(&mut self, reply: Self::Reply) -> Vec<Self::Effect>;

    /// What the clock brings on each turn of the terminal loop (`now` is
    /// monotonic, from the loop's start); `None` for a screen without a
    /// clock.
    fn tick(&self, _now: Duration, _wall: DateTime<Utc>) -> Option<Self::Action> {
        None
    }

    /// The I/O to do before the first key (open the first sheet, say).
    fn start(&mut self) -> Vec<Self::Effect> {
        Vec::new()
    }

    fn view(&self, frame: &mut Frame, theme: &Theme);

    /// Whether the screen has ended.
    fn done(&self) -> bool;

    /// What to say once the terminal is given back (a sheet left open,
    /// and how to carry on with it), if anything.
    fn farewell(&self) -> Option<String> {
        None
    }
}

/// What came of one effect.
pub enum Step<R> {
    /// Done, nothing to report.
    Done,
    /// Done (or refused), with this to report.
    Reply(R),
    /// Failed: reported, and the later effects of the same batch that
    /// [`Executor::skipped_after_failure`] names are not performed (a later
    /// record must never land when an earlier one did not).
    Failed(R),
}

/// Performs a screen's effects. Needs no terminal: tests drive a screen
/// against a real store with its executor and [`drive`].
pub trait Executor<S: Screen> {
    fn perform(&mut self, effect: S::Effect) -> Step<S::Reply>;

    /// Whether `effect` is dropped once an earlier one in its batch failed.
    fn skipped_after_failure(&self, _effect: &S::Effect) -> bool {
        false
    }

    /// Checks made between keys (can the folder still be written?), as a
    /// reply when there is news.
    fn watch(&mut self, _screen: &S, _now: Instant) -> Option<S::Reply> {
        None
    }

    /// Bells asked for since the last call, to ring.
    fn take_bells(&mut self) -> usize {
        0
    }
}

/// An executor lent to a screen for a while stays its owner's: the watch
/// keeps what it has seen of the folders after the screen closes.
impl<S: Screen, E: Executor<S>> Executor<S> for &mut E {
    fn perform(&mut self, effect: S::Effect) -> Step<S::Reply> {
        (**self).perform(effect)
    }

    fn skipped_after_failure(&self, effect: &S::Effect) -> bool {
        (**self).skipped_after_failure(effect)
    }

    fn watch(&mut self, screen: &S, now: Instant) -> Option<S::Reply> {
        (**self).watch(screen, now)
    }

    fn take_bells(&mut self) -> usize {
        (**self).take_bells()
    }
}

/// Performs `effects` in order, feeding each reply back to the screen and
/// performing what that asks for in turn.
pub fn drive<S: Screen, E: Executor<S>>(screen: &mut S, exec: &mut E, effects: Vec<S::Effect>) {
    let mut queue: VecDeque<S::Effect> = effects.into();
    let mut failed = false;
    while let Some(effect) = queue.pop_front() {
        if failed && exec.skipped_after_failure(&effect) {
            continue;
        }
        match exec.perform(effect) {
            Step::Done => {}
            Step::Reply(reply) => queue.extend(screen.reply(reply)),
            Step::Failed(reply) => {
                failed = true;
                queue.extend(screen.reply(reply));
            }
        }
    }
}

/// An action, then everything it asks for: [`Screen::update`] and [`drive`].
pub fn act<S: Screen, E: Executor<S>>(screen: &mut S, exec: &mut E, action: S::Action) {
    let effects = screen.update(action);
    drive(screen, exec, effects);
}

/// Where the wall-clock time comes from: the real clock, or a test's.
pub type WallClock = Box<dyn FnMut() -> DateTime<Utc>>;

/// How often a sessions folder's disk is checked while a screen writes to it.
pub const DISK_CHECK: Duration = Duration::from_secs(5);

/// When to check whether a sessions folder can be written: at once, then
/// every [`DISK_CHECK`]. Shared by the marking and moderation screens.
#[derive(Debug, Default)]
pub struct DiskWatch {
    checked: Option<Instant>,
}

impl DiskWatch {
    /// Check at the next call.
    pub fn soon(&mut self) {
        self.checked = None;
    }

    /// If a check is due, checks the folder where `who` on `device` saves
    /// for `assessment`. The first check, and any with `probe` (a problem
    /// is known), really writes a small file ([`Store::probe`], under the
    /// write guard, so that it is never cut in half); the others only ask
    /// for the free space and the read-only flag ([`Store::space`]): a
    /// write test on a nearly full disk can fail where a journal, with
    /// room left in its last block, still saves.
    pub fn check(
        &mut self,
        store: &Store,
        (assessment, who, device): (&str, &str, &str),
        probe: bool,
        now: Instant,
    ) -> Option<Health> {
        if self
            .checked
            .is_some_and(|last| now.saturating_duration_since(last) < DISK_CHECK)
        {
            return None;
        }
        let first = self.checked.is_none();
        self.checked = Some(now);
        let _writing = super::signals::writing();
        Some(if first || probe {
            store.probe(assessment, who, device)
        } else {
            store.space(assessment, who, device)
        })
    }
}
