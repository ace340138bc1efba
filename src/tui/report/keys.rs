//! The report screen's keys: one table lists every binding once, and
//! drives the key handling, the footer and the `?` help alike.

use crossterm::event::KeyEvent;

use super::{Action, View};
use crate::tui::keys::{self as table, Key};

/// Which keys apply: the report has one set, on every view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Report,
}

/// A line of the report screen's key table.
pub type Binding = table::Binding<Ctx, Action>;

const R: &[Ctx] = &[Ctx::Report];

/// Every binding, in the order the help lists them; those with a footer
/// word are in the footer too.
pub static BINDINGS: &[Binding] = &[
    Binding {
        ctx: R,
        keys: &[Key::Tab, Key::Right],
        label: "tab/→",
        what: "next view",
        footer: Some(("tab/→", "next view")),
        action: Action::NextView,
    },
    Binding {
        ctx: R,
        keys: &[Key::BackTab, Key::Left],
        label: "shift-tab/←",
        what: "previous view",
        footer: None,
        action: Action::PrevView,
    },
    Binding {
        ctx: R,
        keys: &[Key::Char('1')],
        label: "1",
        what: "overview",
        footer: Some(("1-4", "a view")),
        action: Action::View(View::Overview),
    },
    Binding {
        ctx: R,
        keys: &[Key::Char('2')],
        label: "2",
        what: "stations",
        footer: None,
        action: Action::View(View::Stations),
    },
    Binding {
        ctx: R,
        keys: &[Key::Char('3')],
        label: "3",
        what: "reliability",
        footer: None,
        action: Action::View(View::Reliability),
    },
    Binding {
        ctx: R,
        keys: &[Key::Char('4')],
        label: "4",
        what: "examiners",
        footer: None,
        action: Action::View(View::Examiners),
    },
    Binding {
        ctx: R,
        keys: &[Key::Up, Key::Char('k')],
        label: "↑/k",
        what: "previous station (stations view), or scroll up",
        footer: Some(("↑↓", "station or scroll")),
        action: Action::Up,
    },
    Binding {
        ctx: R,
        keys: &[Key::Down, Key::Char('j')],
        label: "↓/j",
        what: "next station (stations view), or scroll down",
        footer: None,
        action: Action::Down,
    },
    Binding {
        ctx: R,
        keys: &[Key::Char('?'), Key::Esc],
        label: "?/esc",
        what: "help, and close it",
        footer: Some(("?", "help")),
        action: Action::Help,
    },
    Binding {
        ctx: R,
        keys: &[Key::Char('q')],
        label: "q",
        what: "quit",
        footer: Some(("q", "quit")),
        action: Action::Quit,
    },
];

/// The action for a key press, if any.
pub fn action_for(event: KeyEvent) -> Option<Action> {
    table::action_in(BINDINGS, Ctx::Report, event, Action::Quit)
}

/// The bindings, for the footer (`footer_only`) or the help.
pub fn for_screen(footer_only: bool) -> impl Iterator<Item = &'static Binding> {
    table::of_screen(BINDINGS, Ctx::Report, footer_only)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn no_key_is_bound_twice() {
        assert_eq!(table::clashes(BINDINGS, &[Ctx::Report]), Vec::<String>::new());
    }

    /// The table drives the keys: each binding's keys give its action.
    #[test]
    fn every_binding_reaches_its_action() {
        for b in BINDINGS {
            for key in b.keys {
                let code = match key {
                    Key::Char(c) => KeyCode::Char(*c),
                    Key::Up => KeyCode::Up,
                    Key::Down => KeyCode::Down,
                    Key::Left => KeyCode::Left,
                    Key::Right => KeyCode::Right,
                    Key::Tab => KeyCode::Tab,
                    Key::BackTab => KeyCode::BackTab,
                    Key::Esc => KeyCode::Esc,
                    other => panic!("no key code for {other:?}"),
                };
                let got = action_for(KeyEvent::new(code, KeyModifiers::NONE));
                assert_eq!(got.as_ref(), Some(&b.action), "{key:?}");
            }
        }
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c), Some(Action::Quit));
        assert_eq!(
            action_for(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)),
            None
        );
    }
}
