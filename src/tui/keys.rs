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
    PageUp,
    PageDown,
    Home,
    End,
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
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        _ => return None,
    })
}

/// The action for a key press in a screen with one set of keys: Ctrl-c
/// gives `quit`, a key of the table its action.
pub fn action_in<C: PartialEq, A: Clone>(
    table: &'static [Binding<C, A>],
    ctx: C,
    event: KeyEvent,
    quit: A,
) -> Option<A> {
    if interrupts(&event) {
        return Some(quit);
    }
    if event.kind != KeyEventKind::Press {
        return None;
    }
    binding_for(table, ctx, key_of(&event)?).map(|b| b.action.clone())
}

/// The footer's words for `bindings`: each key, then what it does.
pub fn footer_spans<'b, C: 'static, A: 'static>(
    bindings: impl Iterator<Item = &'b Binding<C, A>>,
    theme: &crate::tui::theme::Theme,
) -> Vec<ratatui::text::Span<'static>> {
    bindings
        .filter_map(|b| b.footer)
        .flat_map(|(k, w)| {
            [
                ratatui::text::Span::styled(k, theme.key()),
                ratatui::text::Span::raw(format!(" {w}  ")),
            ]
        })
        .collect()
}

/// The `?` help drawn over `area`: every binding of `bindings` with its
/// keys in a column `label_width` wide, then `notes`, in a box `width`
/// wide at most.
pub fn draw_help<'b, C: 'static, A: 'static>(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    bindings: impl Iterator<Item = &'b Binding<C, A>>,
    (label_width, width): (usize, u16),
    notes: Vec<ratatui::text::Line<'static>>,
    theme: &crate::tui::theme::Theme,
) {
    use ratatui::text::{Line, Span};
    use ratatui::widgets::{Block, Clear, Paragraph};
    let lines: Vec<Line> = bindings
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:<label_width$}", b.label), theme.key()),
                Span::raw(b.what),
            ])
        })
        .chain(notes)
        .collect();
    let outer = crate::tui::marking::view::centred(
        area,
        width.min(area.width),
        (lines.len() as u16 + 2).min(area.height),
    );
    frame.render_widget(Clear, outer);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        outer,
    );
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
