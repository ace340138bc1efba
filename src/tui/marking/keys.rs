//! Keys → actions, per screen. One table lists every binding once; it
//! drives the key handling, the footer and the `?` help alike, so they
//! cannot disagree.

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui_textarea::Input;

use super::{Action, App, Screen};
use crate::tui::keys::{self as table, Key};

/// A line of the marking screen's key table.
pub type Binding = table::Binding<Ctx, Action>;

/// Which screen's keys apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Home,
    Confirm,
    Scoring,
    /// The scoring screen on a submitted sheet (for the footer: marking keys
    /// there only explain that the sheet is locked).
    Locked,
    Comment,
    Concern,
    Reason,
    Submit,
    Finished,
    /// A yes/no question over the screen ([`App::ask`]).
    Ask,
    /// The confirmation screen of a sheet started under another name.
    NameDiffers,
}

impl Ctx {
    pub fn of(app: &App) -> Ctx {
        if app.ask.is_some() {
            return Ctx::Ask;
        }
        match app.screen {
            Screen::Home(_) => Ctx::Home,
            Screen::Confirm if app.name_differs.is_some() => Ctx::NameDiffers,
            Screen::Confirm => Ctx::Confirm,
            Screen::Scoring => Ctx::Scoring,
            Screen::Comment(_) => Ctx::Comment,
            Screen::Concern(_) => Ctx::Concern,
            Screen::Reason(_) => Ctx::Reason,
            Screen::Submit(_) => Ctx::Submit,
            Screen::Finished => Ctx::Finished,
        }
    }

    /// Screens where typed characters go into a text field.
    fn takes_text(self) -> bool {
        matches!(self, Ctx::Home | Ctx::Comment | Ctx::Concern | Ctx::Reason)
    }
}

use Ctx::*;

const MARKING: &[Ctx] = &[Scoring];
/// Keys that also apply on a submitted, locked sheet.
const VIEWING: &[Ctx] = &[Scoring, Locked];

/// Every key binding, in the order the help lists them.
pub fn bindings() -> &'static [Binding] {
    static TABLE: std::sync::LazyLock<Vec<Binding>> = std::sync::LazyLock::new(|| {
        let b = |ctx, keys, label, what, footer, action| Binding {
            ctx,
            keys,
            label,
            what,
            footer,
            action,
        };
        vec![
            b(
                VIEWING,
                &[Key::Up, Key::Char('k')],
                "↑/k",
                "previous item",
                Some(("↑↓/kj", "item")),
                Action::Up,
            ),
            b(
                VIEWING,
                &[Key::Down, Key::Char('j')],
                "↓/j",
                "next item",
                None,
                Action::Down,
            ),
            b(
                MARKING,
                &[Key::AnyDigit],
                "0-9",
                "choose a level and move on",
                Some(("0-9", "level")),
                Action::Digit(0),
            ),
            b(
                MARKING,
                &[Key::Char('n')],
                "n",
                "not observed (where allowed)",
                Some(("n", "not obs.")),
                Action::NotObserved,
            ),
            b(
                MARKING,
                &[Key::Char('g')],
                "g",
                "global rating",
                Some(("g", "global")),
                Action::GlobalRating,
            ),
            b(
                MARKING,
                &[Key::Char('c')],
                "c",
                "comments: feedback and notes",
                Some(("c", "comment")),
                Action::Comment,
            ),
            b(
                MARKING,
                &[Key::Char('f')],
                "f",
                "flag a concern",
                Some(("f", "concern")),
                Action::Concern,
            ),
            b(
                MARKING,
                &[Key::Char(' ')],
                "space",
                "start / pause the timer",
                Some(("space", "timer")),
                Action::StartPause,
            ),
            b(
                MARKING,
                &[Key::Char('R')],
                "R",
                "reset a timer started by mistake (asks once marks are given)",
                None,
                Action::ResetTimer,
            ),
            b(
                MARKING,
                &[Key::Char('a')],
                "a",
                "move on after a soft time-up (to any changeover)",
                None,
                Action::Advance,
            ),
            b(
                MARKING,
                &[Key::Char('u')],
                "u",
                "undo the last mark",
                Some(("u", "undo")),
                Action::Undo,
            ),
            b(
                MARKING,
                &[Key::Char('s')],
                "s",
                "submit the sheet",
                Some(("s", "submit")),
                Action::Submit,
            ),
            b(
                MARKING,
                &[Key::Char('A')],
                "A",
                "amend a submitted sheet (reason required)",
                None,
                Action::Amend,
            ),
            b(
                &[Locked],
                &[Key::Char('A')],
                "A",
                "amend this submitted sheet (reason required)",
                Some(("A", "amend (reason required)")),
                Action::Amend,
            ),
            b(
                &[Scoring],
                &[Key::Char('x')],
                "x",
                "candidate absent (reason required)",
                None,
                Action::Absent,
            ),
            b(
                &[Scoring, Locked, Confirm, Finished],
                &[Key::Left, Key::Char('h')],
                "←/h",
                "previous station or candidate",
                None,
                Action::PrevStation,
            ),
            b(
                &[Scoring, Locked, Confirm, Finished],
                &[Key::Right, Key::Char('l')],
                "→/l",
                "next station or candidate",
                Some(("←/→", "other sheets")),
                Action::NextStation,
            ),
            b(
                MARKING,
                &[Key::Enter],
                "enter",
                "confirm a multi-digit level; or next item",
                None,
                Action::Enter,
            ),
            b(
                MARKING,
                &[Key::Esc],
                "esc",
                "clear typed digits",
                None,
                Action::Escape,
            ),
            b(
                &[Confirm],
                &[Key::Enter],
                "enter",
                "this is the candidate: open the sheet",
                Some(("enter", "open the sheet")),
                Action::Enter,
            ),
            // On the confirmation, where an absence is usually noticed, in
            // the footer too.
            b(
                &[Confirm],
                &[Key::Char('x')],
                "x",
                "candidate absent (reason required)",
                Some(("x", "absent")),
                Action::Absent,
            ),
            b(
                &[Confirm, Finished],
                &[Key::Char('q')],
                "q",
                "quit",
                Some(("q", "quit")),
                Action::Quit,
            ),
            // Esc closes a message; on the confirmation it never quits
            // (a circuit left by a key pressed to clear a line).
            b(&[Finished], &[Key::Esc], "esc", "quit", None, Action::Quit),
            b(
                &[Confirm],
                &[Key::Esc],
                "esc",
                "clear the message shown (q quits)",
                None,
                Action::Escape,
            ),
            b(
                VIEWING,
                &[Key::Char('q')],
                "q",
                "quit (everything is already saved)",
                Some(("q", "quit")),
                Action::Quit,
            ),
            b(
                &[Scoring, Locked, Confirm],
                &[Key::Char('i')],
                "i",
                "the station's candidate instructions and examiner notes",
                Some(("i", "instructions")),
                Action::Info,
            ),
            b(
                &[Scoring, Locked, Confirm, Finished, Submit],
                &[Key::Char('?')],
                "?",
                "help",
                Some(("?", "help")),
                Action::Help,
            ),
            b(
                &[Submit],
                &[Key::Enter],
                "enter",
                "submit and lock the sheet",
                Some(("enter", "submit and lock")),
                Action::Enter,
            ),
            b(
                &[Submit],
                &[Key::Char('r')],
                "r",
                "record why you could not judge what is unmarked",
                Some(("r", "could not judge: why")),
                Action::Text(Input::default()),
            ),
            b(
                &[Submit],
                &[Key::Esc, Key::Char('q')],
                "esc",
                "back to marking",
                Some(("esc", "back")),
                Action::Escape,
            ),
            b(
                &[Comment],
                &[Key::Tab],
                "tab",
                "switch between feedback and notes",
                Some(("tab", "feedback / notes")),
                Action::Tab,
            ),
            b(
                &[Comment],
                &[Key::Ctrl('s')],
                "ctrl-s",
                "save and close",
                Some(("ctrl-s", "save and close")),
                Action::Save,
            ),
            b(
                &[Concern],
                &[Key::Up],
                "↑/↓",
                "kind of concern",
                Some(("↑/↓", "kind")),
                Action::Up,
            ),
            b(
                &[Concern],
                &[Key::Down, Key::Tab],
                "↓/tab",
                "next kind of concern",
                None,
                Action::Down,
            ),
            b(
                &[Concern],
                &[Key::Ctrl('s')],
                "ctrl-s",
                "save every note written and close",
                Some(("ctrl-s", "save and close")),
                Action::Save,
            ),
            b(
                &[Concern],
                &[Key::Ctrl('w')],
                "ctrl-w",
                "withdraw this concern (reason required)",
                Some(("ctrl-w", "withdraw")),
                Action::Withdraw,
            ),
            b(
                &[Reason],
                &[Key::Enter, Key::Ctrl('s')],
                "enter",
                "save the reason",
                Some(("enter", "save")),
                Action::Save,
            ),
            b(
                &[Comment, Concern, Reason],
                &[Key::Esc, Key::Ctrl('q')],
                "esc",
                "leave without saving (asks first if you typed something)",
                Some(("esc", "leave")),
                Action::Escape,
            ),
            b(
                &[NameDiffers],
                &[Key::Char('k')],
                "k",
                "keep the name the sheet was started with",
                Some(("k", "keep the sheet's name")),
                Action::Text(Input::default()),
            ),
            b(
                &[NameDiffers],
                &[Key::Char('c')],
                "c",
                "correct the sheet's name to the one given (reason required)",
                Some(("c", "correct it (reason)")),
                Action::Text(Input::default()),
            ),
            b(
                &[NameDiffers],
                &[Key::Esc, Key::Char('q')],
                "esc",
                "neither: do not open the sheet",
                Some(("esc", "neither")),
                Action::Escape,
            ),
            b(
                &[Ask],
                &[Key::Char('y'), Key::Enter],
                "y/enter",
                "yes",
                Some(("y", "yes")),
                Action::Enter,
            ),
            b(
                &[Ask],
                &[Key::Char('n'), Key::Esc],
                "n/esc",
                "no: stay",
                Some(("n/esc", "no")),
                Action::Escape,
            ),
            b(
                &[Home],
                &[Key::Tab, Key::Down],
                "tab/↓",
                "next field",
                Some(("tab/↓", "next field")),
                Action::Tab,
            ),
            b(
                &[Home],
                &[Key::BackTab, Key::Up],
                "shift-tab/↑",
                "previous field",
                Some(("shift-tab/↑", "previous field")),
                Action::Up,
            ),
            b(
                &[Home],
                &[Key::Enter],
                "enter",
                "start / resume",
                Some(("enter", "start / resume")),
                Action::Enter,
            ),
            b(
                &[Home],
                &[Key::Esc, Key::Ctrl('q')],
                "esc",
                "quit",
                Some(("esc", "quit")),
                Action::Quit,
            ),
            b(&[Finished], &[Key::Enter], "enter", "quit", None, Action::Quit),
        ]
    });
    &TABLE
}

/// The action for a key press on the app's current screen, if any.
pub fn action_for(app: &App, event: KeyEvent) -> Option<Action> {
    if table::interrupts(&event) {
        return Some(Action::Quit);
    }
    if event.kind != KeyEventKind::Press {
        return None;
    }
    let ctx = Ctx::of(app);
    let ctx = if app.help || app.info { Scoring } else { ctx };
    if let Some(key) = table::key_of(&event)
        && let Some(binding) = table::binding_for(bindings(), ctx, key)
    {
        return Some(match (&binding.action, key) {
            (Action::Digit(_), Key::Char(c)) => {
                Action::Digit(c.to_digit(10).and_then(|d| u8::try_from(d).ok())?)
            }
            (Action::Text(_), _) => Action::Text(Input::from(event)),
            (other, _) => other.clone(),
        });
    }
    ctx.takes_text().then(|| Action::Text(Input::from(event)))
}

/// The bindings of a screen, for the footer (`footer_only`) or the help.
pub fn for_screen(ctx: Ctx, footer_only: bool) -> impl Iterator<Item = &'static Binding> {
    table::of_screen(bindings(), ctx, footer_only)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::clashes;

    /// Every context of the marking screen's table.
    const ALL: &[Ctx] = &[
        Ctx::Home,
        Ctx::Confirm,
        Ctx::Scoring,
        Ctx::Locked,
        Ctx::Comment,
        Ctx::Concern,
        Ctx::Reason,
        Ctx::Submit,
        Ctx::Finished,
        Ctx::Ask,
        Ctx::NameDiffers,
    ];

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        assert_eq!(clashes(bindings(), ALL), Vec::<String>::new());
    }

    /// The check itself finds a clash (a test that cannot fail is worse
    /// than none).
    #[test]
    fn a_key_bound_twice_is_found() {
        let table = [
            Binding {
                ctx: &[Ctx::Scoring],
                keys: &[Key::AnyDigit],
                label: "0-9",
                what: "level",
                footer: None,
                action: Action::Digit(0),
            },
            Binding {
                ctx: &[Ctx::Scoring, Ctx::Locked],
                keys: &[Key::Char('7')],
                label: "7",
                what: "seven",
                footer: None,
                action: Action::Up,
            },
        ];
        let found = clashes(&table, ALL);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("Scoring: Char('7')"), "{found:?}");
    }
}
