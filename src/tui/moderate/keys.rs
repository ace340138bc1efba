//! The moderation screen's keys. One table lists every binding once; it
//! drives the key handling, the footer and the `?` help alike.

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui_textarea::Input;

use super::{Action, ModerateApp, Screen};
use crate::tui::keys::{self as table, Key};

/// Which screen's keys apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    List,
    Sheet,
    Disagree,
    Refer,
    Agreed,
    /// Typing a candidate's id to go to.
    Jump,
    Report,
    SignOff,
    Help,
}

impl Ctx {
    pub fn of(app: &ModerateApp) -> Ctx {
        if app.help {
            return Ctx::Help;
        }
        match app.screen {
            Screen::List => Ctx::List,
            Screen::Sheet => Ctx::Sheet,
            Screen::Disagree(_) => Ctx::Disagree,
            Screen::Refer(_) | Screen::AgreeNote(_) => Ctx::Refer,
            Screen::Jump(_) => Ctx::Jump,
            Screen::Agreed(_) => Ctx::Agreed,
            Screen::Report(_) => Ctx::Report,
            Screen::SignOff => Ctx::SignOff,
        }
    }

    fn takes_text(self) -> bool {
        matches!(
            self,
            Ctx::Disagree | Ctx::Refer | Ctx::Agreed | Ctx::Jump | Ctx::Report
        )
    }
}

/// A line of the moderation screen's key table.
pub type Binding = table::Binding<Ctx, Action>;

use Ctx::*;

const BROWSE: &[Ctx] = &[List, Sheet];
const FORMS: &[Ctx] = &[Disagree, Refer, Agreed];

/// Every binding, in the order the help lists them.
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
                &[List],
                &[Key::Up, Key::Char('k')],
                "↑/k",
                "previous sheet",
                Some(("↑↓", "move")),
                Action::Up,
            ),
            b(
                &[List],
                &[Key::Down, Key::Char('j')],
                "↓/j",
                "next sheet",
                None,
                Action::Down,
            ),
            b(
                &[Sheet],
                &[Key::Up, Key::Char('k')],
                "↑/k",
                "scroll up",
                Some(("↑↓", "scroll")),
                Action::Up,
            ),
            b(
                &[Sheet],
                &[Key::Down, Key::Char('j')],
                "↓/j",
                "scroll down",
                None,
                Action::Down,
            ),
            b(
                BROWSE,
                &[Key::Char('b'), Key::PageUp],
                "b/PgUp",
                "a page up",
                None,
                Action::PageUp,
            ),
            b(
                BROWSE,
                &[Key::Char(' '), Key::PageDown],
                "space/PgDn",
                "a page down",
                None,
                Action::PageDown,
            ),
            b(
                &[List],
                &[Key::Home],
                "Home",
                "the first sheet",
                None,
                Action::First,
            ),
            b(&[List], &[Key::End], "End", "the last sheet", None, Action::Last),
            b(
                &[Sheet],
                &[Key::Home],
                "Home",
                "the top of the sheet",
                None,
                Action::First,
            ),
            b(
                &[Sheet],
                &[Key::End],
                "End",
                "the end of the sheet",
                None,
                Action::Last,
            ),
            b(
                &[List],
                &[Key::Enter],
                "enter",
                "open the sheet",
                Some(("enter", "open")),
                Action::Open,
            ),
            b(
                &[Sheet],
                &[Key::Char('n'), Key::Right],
                "n/→",
                "next sheet in the list",
                Some(("n/p", "next/prev")),
                Action::NextSheet,
            ),
            b(
                &[Sheet],
                &[Key::Char('p'), Key::Left],
                "p/←",
                "previous sheet in the list",
                None,
                Action::PrevSheet,
            ),
            b(
                &[Sheet],
                &[Key::Esc],
                "esc",
                "back to the list",
                Some(("esc", "list")),
                Action::Back,
            ),
            b(
                BROWSE,
                &[Key::Char('f'), Key::Tab],
                "f/tab",
                "next filter",
                Some(("f", "filter")),
                Action::NextFilter,
            ),
            b(
                BROWSE,
                &[Key::Char('F'), Key::BackTab],
                "F",
                "previous filter",
                None,
                Action::PrevFilter,
            ),
            b(
                BROWSE,
                &[Key::Char('a')],
                "a",
                "agree with the result",
                Some(("a", "agree")),
                Action::Agree,
            ),
            b(
                BROWSE,
                &[Key::Char('g')],
                "g",
                "go to a candidate by id",
                None,
                Action::Jump,
            ),
            b(
                BROWSE,
                &[Key::Char('A')],
                "A",
                "agree, with a comment for the exam board",
                None,
                Action::AgreeNote,
            ),
            b(
                BROWSE,
                &[Key::Char('d')],
                "d",
                "disagree: propose a result, with a rationale",
                Some(("d", "disagree")),
                Action::Disagree,
            ),
            b(
                BROWSE,
                &[Key::Char('r')],
                "r",
                "refer to a third marker",
                Some(("r", "refer")),
                Action::Refer,
            ),
            b(
                BROWSE,
                &[Key::Char('m')],
                "m",
                "record the markers' agreed mark (double-marked, over the threshold)",
                Some(("m", "agreed mark")),
                Action::AgreedMark,
            ),
            b(
                BROWSE,
                &[Key::Char('R')],
                "R",
                "the overall moderation report",
                Some(("R", "report")),
                Action::Report,
            ),
            b(
                BROWSE,
                &[Key::Char('S')],
                "S",
                "sign off (locks the moderation)",
                Some(("S", "sign off")),
                Action::SignOff,
            ),
            b(
                BROWSE,
                &[Key::Ctrl('r')],
                "ctrl-r",
                "read the sheets again (after an amendment or a late sheet)",
                None,
                Action::Reload,
            ),
            b(
                &[List, Sheet],
                &[Key::Char('q')],
                "q",
                "quit (every decision is already saved)",
                Some(("q", "quit")),
                Action::Quit,
            ),
            b(
                &[Disagree],
                &[Key::Tab, Key::Up, Key::Down],
                "tab",
                "switch the proposed result (PASS / FAIL)",
                Some(("tab", "PASS/FAIL")),
                Action::Tab,
            ),
            b(
                &[Agreed],
                &[Key::Tab, Key::Up, Key::Down],
                "tab",
                "switch between the score and who agreed",
                Some(("tab", "field")),
                Action::Tab,
            ),
            b(
                FORMS,
                &[Key::Enter, Key::Ctrl('s')],
                "enter",
                "record it",
                Some(("enter", "record")),
                Action::Confirm,
            ),
            b(
                &[Jump],
                &[Key::Enter],
                "enter",
                "go to the candidate's first sheet in the list",
                Some(("enter", "go")),
                Action::Confirm,
            ),
            b(
                FORMS,
                &[Key::Esc],
                "esc",
                "cancel: nothing is recorded",
                Some(("esc", "cancel")),
                Action::Back,
            ),
            b(
                &[Jump],
                &[Key::Esc],
                "esc",
                "back to the list",
                Some(("esc", "cancel")),
                Action::Back,
            ),
            b(
                &[Report],
                &[Key::Ctrl('s'), Key::Esc],
                "ctrl-s/esc",
                "save the report and close",
                Some(("ctrl-s/esc", "save and close")),
                Action::Save,
            ),
            b(
                &[SignOff],
                &[Key::Up, Key::Char('k')],
                "↑/k",
                "scroll up (where what is open does not fit)",
                Some(("↑↓", "scroll")),
                Action::Up,
            ),
            b(
                &[SignOff],
                &[Key::Down, Key::Char('j')],
                "↓/j",
                "scroll down",
                None,
                Action::Down,
            ),
            b(
                &[SignOff],
                &[Key::Enter],
                "enter",
                "sign off and lock",
                Some(("enter", "sign off and lock")),
                Action::Confirm,
            ),
            b(
                &[SignOff],
                &[Key::Esc, Key::Char('q')],
                "esc",
                "back, not signed off",
                Some(("esc", "back")),
                Action::Back,
            ),
            b(
                &[List, Sheet, SignOff],
                &[Key::Char('?')],
                "?",
                "help",
                Some(("?", "help")),
                Action::Help,
            ),
            b(
                &[Help],
                &[Key::Char('?'), Key::Esc],
                "?/esc",
                "close the help",
                Some(("?/esc", "close")),
                Action::Help,
            ),
        ]
    });
    &TABLE
}

/// The action for a key press on the app's current screen, if any.
pub fn action_for(app: &ModerateApp, event: KeyEvent) -> Option<Action> {
    if table::interrupts(&event) {
        return Some(Action::Quit);
    }
    if event.kind != KeyEventKind::Press {
        return None;
    }
    let ctx = Ctx::of(app);
    if let Some(key) = table::key_of(&event)
        && let Some(binding) = table::binding_for(bindings(), ctx, key)
    {
        return Some(binding.action.clone());
    }
    ctx.takes_text().then(|| Action::Text(Input::from(event)))
}

/// The bindings of a screen, for the footer (`footer_only`) or the help.
pub fn for_screen(ctx: Ctx, footer_only: bool) -> impl Iterator<Item = &'static Binding> {
    table::of_screen(bindings(), ctx, footer_only)
}
