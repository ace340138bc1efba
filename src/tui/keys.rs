//! Key tables: every screen lists each of its bindings once, in one
//! table that drives its key handling, its footer and its `?` help alike,
//! so they cannot disagree. This is the machinery the tables share.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key as bindings name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    AnyDigit,
    Up,
    Down,
    Left,
    Right,
    Enter,
    Esc,
    Tab,
    BackTab,
}

/// One line of a screen's key table: in which contexts, which keys, how
/// the footer and the help show them, and the action. Each screen's table
/// has its own contexts and actions.
pub struct Binding<C: 'static, A> {
    pub ctx: &'static [C],
    pub keys: &'static [Key],
    /// How the keys are written in the footer and help, e.g. "↑/k".
    pub label: &'static str,
    pub what: &'static str,
    /// How the footer shows it, (keys, word); `None`: only in the help.
    pub footer: Option<(&'static str, &'static str)>,
    pub action: A,
}

/// The bindings of a table for one context, for the footer (`footer_only`)
/// or the help.
pub fn of_screen<C: PartialEq, A>(
    table: &'static [Binding<C, A>],
    ctx: C,
    footer_only: bool,
) -> impl Iterator<Item = &'static Binding<C, A>> {
    table
        .iter()
        .filter(move |b| b.ctx.contains(&ctx) && (b.footer.is_some() || !footer_only))
}

/// The binding of `key` in `ctx`, if any (`Key::AnyDigit` stands for
/// every digit).
pub fn binding_for<C: PartialEq, A>(
    table: &'static [Binding<C, A>],
    ctx: C,
    key: Key,
) -> Option<&'static Binding<C, A>> {
    let digit = matches!(key, Key::Char(c) if c.is_ascii_digit());
    table
        .iter()
        .filter(|b| b.ctx.contains(&ctx))
        .find(|b| b.keys.contains(&key) || (digit && b.keys.contains(&Key::AnyDigit)))
}

/// Ctrl-c: every screen's way out, whatever is open.
pub fn interrupts(event: &KeyEvent) -> bool {
    event.kind == KeyEventKind::Press
        && event.modifiers.contains(KeyModifiers::CONTROL)
        && event.code == KeyCode::Char('c')
}

pub fn key_of(event: &KeyEvent) -> Option<Key> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    Some(match event.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        _ => return None,
    })
}

/// Keys bound more than once in one context of a key table, as
/// `(context, key)` in words: the first binding would always win and the
/// second would never be reached, while the footer and help still listed
/// it. Every screen's table is checked by a test (`0-9` counts as each
/// digit).
pub fn clashes<C: PartialEq + Copy + std::fmt::Debug, A>(
    table: &[Binding<C, A>],
    contexts: &[C],
) -> Vec<String> {
    let digits: Vec<Key> = ('0'..='9').map(Key::Char).collect();
    let mut found = Vec::new();
    for &ctx in contexts {
        let mut seen: Vec<(Key, &str)> = Vec::new();
        for b in table.iter().filter(|b| b.ctx.contains(&ctx)) {
            let keys: Vec<Key> = b
                .keys
                .iter()
                .flat_map(|k| match k {
                    Key::AnyDigit => digits.clone(),
                    other => vec![*other],
                })
                .collect();
            for key in keys {
                if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    found.push(format!(
                        "{ctx:?}: {key:?} is bound to \"{first}\" and to \"{}\"",
                        b.what
                    ));
                } else {
                    seen.push((key, b.what));
                }
            }
        }
    }
    found
}
