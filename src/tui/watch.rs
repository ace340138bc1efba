//! `osce status --watch` in a terminal: the exam lead's live view of the
//! folders on the day. The status text, as the one-off `status` prints it,
//! shown whole in a window that scrolls both ways; it asks for a fresh look
//! at the folders every few seconds (the executor reads what changed and
//! replies with the text), and keys are read between looks, so `q` quits
//! and nothing typed reaches the shell.

use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::base::text::fit;
use crate::tui::keys::{self as table, Key};
use crate::tui::screen::Screen;
use crate::tui::theme::Theme;

/// The smallest window the watch draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

/// Lines above the text (what is watched, when it was looked at) and below
/// it (the keys).
const HEADER: u16 = 2;
const FOOTER: u16 = 1;

/// What a key, the terminal or the clock asks of the watch.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The clock, monotonic from the loop's start.
    Tick(Duration),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    /// Only what needs action, or the whole matrix.
    Problems,
    /// Fold long lines, or cut them.
    Wrap,
    Help,
    CloseHelp,
    Quit,
    Resize {
        width: u16,
        height: u16,
    },
}

/// The one thing the watch asks for: look at the folders again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Look { problems: bool },
}

/// What a look at the folders gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The status, as the one-off `status` prints it (with `NOT READ
    /// since …` above what was last read, when the folders could not be
    /// read this time).
    pub text: String,
    /// When the folders were last looked at (`HH:MM:SS UTC`).
    pub looked_at: String,
    /// When what is shown was read, and how many journals were read anew
    /// then.
    pub read_at: String,
    pub read_anew: usize,
    /// Since when the folders or the roster could not be read, if they
    /// could not this time.
    pub failing_since: Option<String>,
    /// What must not scroll out of view (journals gone from the folders),
    /// said in the header wherever the window is.
    pub alert: Option<String>,
}

#[derive(Debug)]
pub struct WatchScreen {
    /// The folders watched, in words, and how often.
    pub watching: String,
    pub shown: Shown,
    pub problems: bool,
    pub every: Duration,
    /// When to look next (monotonic), set once the last look is over.
    next_look: Option<Duration>,
    pub scroll: usize,
    pub sideways: usize,
    /// Long lines folded onto the next (prose), or cut, to be scrolled to
    /// sideways (the matrix, whose columns must stay in line).
    pub wrap: bool,
    pub help: bool,
    pub quit: bool,
    pub width: u16,
    pub height: u16,
}

impl WatchScreen {
    pub fn new(watching: String, shown: Shown, problems: bool, every: Duration) -> WatchScreen {
        WatchScreen {
            watching,
            shown,
            problems,
            every,
            next_look: None,
            scroll: 0,
            sideways: 0,
            wrap: problems,
            help: false,
            quit: false,
            width: 80,
            height: 24,
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    /// Lines of text the window shows at once.
    fn rows(&self) -> usize {
        self.height.saturating_sub(HEADER + FOOTER).max(1) as usize
    }

    /// The text's lines as drawn: folded at the window's width when
    /// wrapping.
    pub fn view_lines(&self) -> Vec<String> {
        let width = self.width.max(1) as usize;
        let mut out = Vec::new();
        for line in self.shown.text.lines() {
            if self.wrap {
                fold(line, width, &mut out);
            } else {
                out.push(line.to_string());
            }
        }
        out
    }

    /// Whether the window shows the end of the text.
    fn at_end(&self) -> bool {
        self.scroll > 0 && self.scroll >= self.view_lines().len().saturating_sub(self.rows())
    }

    /// Keeps the window on the text after it changed or the terminal did.
    fn clamp(&mut self) {
        let lines = self.view_lines();
        let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        self.scroll = self.scroll.min(lines.len().saturating_sub(self.rows()));
        self.sideways = if self.wrap {
            0
        } else {
            self.sideways.min(widest.saturating_sub(self.width as usize))
        };
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let page = self.rows().saturating_sub(1).max(1);
        match action {
            Action::Tick(now) => match self.next_look {
                None => self.next_look = Some(now + self.every),
                Some(due) if now >= due => {
                    self.next_look = None;
                    return vec![Effect::Look {
                        problems: self.problems,
                    }];
                }
                Some(_) => {}
            },
            Action::Resize { width, height } => {
                let end = self.at_end();
                self.width = width;
                self.height = height;
                if end {
                    self.scroll = usize::MAX;
                }
            }
            Action::Quit => self.quit = true,
            _ if self.too_small() => {}
            Action::Help => self.help = !self.help,
            Action::CloseHelp => self.help = false,
            _ if self.help => self.help = false,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll += page,
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = usize::MAX,
            Action::Left => self.sideways = self.sideways.saturating_sub(8),
            Action::Right => self.sideways += 8,
            Action::Wrap => {
                let end = self.at_end();
                self.wrap = !self.wrap;
                if end {
                    self.scroll = usize::MAX;
                }
            }
            Action::Problems => {
                self.problems = !self.problems;
                self.wrap = self.problems;
                self.scroll = 0;
                return vec![Effect::Look {
                    problems: self.problems,
                }];
            }
        }
        self.clamp();
        Vec::new()
    }
}

/// Which keys apply: the watch has one set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Watch,
}

pub type Binding = table::Binding<Ctx, Action>;

const W: &[Ctx] = &[Ctx::Watch];

/// Every binding, in the order the help lists them; those with a footer
/// word are in the footer too.
pub static BINDINGS: &[Binding] = &[
    // First, so that the footer keeps them in a narrow window.
    Binding {
        ctx: W,
        keys: &[Key::Char('q')],
        label: "q/ctrl-c",
        what: "stop watching",
        footer: Some(("q", "quit")),
        action: Action::Quit,
    },
    Binding {
        ctx: W,
        keys: &[Key::Char('?')],
        label: "?",
        what: "these keys, and close them",
        footer: Some(("?", "help")),
        action: Action::Help,
    },
    Binding {
        ctx: W,
        keys: &[Key::Esc],
        label: "esc",
        what: "close the keys",
        footer: None,
        action: Action::CloseHelp,
    },
    Binding {
        ctx: W,
        keys: &[Key::Up, Key::Char('k')],
        label: "↑/k",
        what: "scroll up a line",
        footer: Some(("↑↓", "scroll")),
        action: Action::Up,
    },
    Binding {
        ctx: W,
        keys: &[Key::Down, Key::Char('j')],
        label: "↓/j",
        what: "scroll down a line",
        footer: None,
        action: Action::Down,
    },
    Binding {
        ctx: W,
        keys: &[Key::PageUp, Key::Char('b')],
        label: "pgup/b",
        what: "a page up",
        footer: None,
        action: Action::PageUp,
    },
    Binding {
        ctx: W,
        keys: &[Key::PageDown, Key::Char(' ')],
        label: "pgdn/space",
        what: "a page down",
        footer: Some(("pgup/pgdn", "page")),
        action: Action::PageDown,
    },
    Binding {
        ctx: W,
        keys: &[Key::Home, Key::Char('g')],
        label: "home/g",
        what: "to the top",
        footer: None,
        action: Action::Top,
    },
    Binding {
        ctx: W,
        keys: &[Key::End, Key::Char('G')],
        label: "end/G",
        what: "to the end",
        footer: None,
        action: Action::Bottom,
    },
    Binding {
        ctx: W,
        keys: &[Key::Left, Key::Char('h')],
        label: "←/h",
        what: "scroll left (a wide matrix)",
        footer: Some(("←→", "sideways")),
        action: Action::Left,
    },
    Binding {
        ctx: W,
        keys: &[Key::Right, Key::Char('l')],
        label: "→/l",
        what: "scroll right",
        footer: None,
        action: Action::Right,
    },
    Binding {
        ctx: W,
        keys: &[Key::Char('w')],
        label: "w",
        what: "fold long lines, or cut them (the matrix stays in line)",
        footer: Some(("w", "wrap")),
        action: Action::Wrap,
    },
    Binding {
        ctx: W,
        keys: &[Key::Char('p')],
        label: "p",
        what: "only what needs action (as --problems), or all",
        footer: Some(("p", "problems/all")),
        action: Action::Problems,
    },
];

/// The action for a key press, if any.
pub fn action_for(event: KeyEvent) -> Option<Action> {
    table::action_in(BINDINGS, Ctx::Watch, event, Action::Quit)
}

/// `line` folded into lines of at most `width` characters, at a space
/// where there is one; the lines after the first are indented as it is,
/// and two more.
fn fold(line: &str, width: usize, out: &mut Vec<String>) {
    let indent = line.chars().take_while(|c| *c == ' ').count() + 2;
    let indent = if indent * 2 > width { 0 } else { indent };
    let mut rest: Vec<char> = line.chars().collect();
    let mut first = true;
    loop {
        let lead = if first { 0 } else { indent };
        let room = width - lead;
        if rest.len() <= room {
            out.push(format!("{}{}", " ".repeat(lead), rest.iter().collect::<String>()));
            return;
        }
        // The last space that leaves something on this line.
        let cut = rest[..=room]
            .iter()
            .rposition(|c| *c == ' ')
            .filter(|&at| rest[..at].iter().any(|c| *c != ' '))
            .unwrap_or(room);
        out.push(format!(
            "{}{}",
            " ".repeat(lead),
            rest[..cut].iter().collect::<String>()
        ));
        let skip = rest[cut..].iter().take_while(|c| **c == ' ').count();
        rest.drain(..cut + skip);
        first = false;
        if rest.is_empty() {
            return;
        }
    }
}

/// `time` (`09:50:20 (UTC+01:00)`) without its zone where `beside` says
/// the same zone already: the header says it once.
fn same_zone_said<'a>(time: &'a str, beside: &str) -> &'a str {
    match (time.split_once(' '), beside.split_once(' ')) {
        (Some((clock, zone)), Some((_, said))) if zone == said => clock,
        _ => time,
    }
}

pub fn render(app: &WatchScreen, frame: &mut Frame, theme: &Theme) {
    let area = frame.area();
    if app.too_small() {
        let text = if app.width < 30 {
            format!("{}×{}: too small", app.width, app.height)
        } else {
            format!(
                "The terminal is {}×{}; the watch needs at least {MIN_WIDTH}×{MIN_HEIGHT}. \
                 Make the window larger (it goes on looking meanwhile; q stops).",
                app.width, app.height
            )
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [top, body, footer] = Layout::vertical([
        Constraint::Length(HEADER),
        Constraint::Min(1),
        Constraint::Length(FOOTER),
    ])
    .areas(area);
    let width = area.width as usize;
    let s = &app.shown;
    let second = match &s.failing_since {
        Some(since) => Line::styled(
            fit(
                &format!(
                    "NOT READ since {since} · looked {} · shown: read {}",
                    s.looked_at, s.read_at
                ),
                width,
            ),
            theme.alarm(),
        ),
        None if s.alert.is_some() => Line::styled(
            fit(
                &format!(
                    "{} · looked at {}",
                    s.alert.as_deref().unwrap_or_default(),
                    s.looked_at
                ),
                width,
            ),
            theme.alarm(),
        ),
        None => Line::from(fit(
            &format!(
                "Looked at {}, every {} s; read anew at {}: {}",
                s.looked_at,
                app.every.as_secs(),
                same_zone_said(&s.read_at, &s.looked_at),
                crate::base::text::plural(s.read_anew, "journal", "journals")
            ),
            width,
        )),
    };
    let view_lines = app.view_lines();
    let total = view_lines.len();
    let rows = body.height as usize;
    // Where the window is in the text, on the right of the first line.
    let place = if total <= rows {
        String::new()
    } else {
        format!(
            " lines {}–{} of {total}",
            app.scroll + 1,
            (app.scroll + rows).min(total)
        )
    };
    let mode = if app.problems {
        "what needs action"
    } else {
        "status"
    };
    // A long folder name keeps its end, where days and circuits differ.
    let room = width.saturating_sub(place.chars().count() + mode.chars().count() + 12);
    let watching = if app.watching.chars().count() > room && room > 1 {
        let tail: String = {
            let chars: Vec<char> = app.watching.chars().collect();
            chars[chars.len() - (room - 1)..].iter().collect()
        };
        format!("…{tail}")
    } else {
        app.watching.clone()
    };
    let title = format!("Watching {watching}: {mode}");
    let first = Line::from(vec![
        Span::styled(
            fit(&title, width.saturating_sub(place.chars().count())),
            theme.title(),
        ),
        Span::styled(place, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(vec![first, second]), top);
    // Only the lines in the window are laid out: a cohort's status has
    // thousands.
    let lines: Vec<Line> = view_lines
        .iter()
        .skip(app.scroll)
        .take(body.height as usize)
        .map(|l| {
            if l.starts_with("NOT READ") {
                Line::styled(l.as_str(), theme.alarm())
            } else {
                Line::from(l.as_str())
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).scroll((0, app.sideways.min(u16::MAX as usize) as u16)),
        body,
    );
    let keys = table::footer_spans(table::of_screen(BINDINGS, Ctx::Watch, true), theme);
    frame.render_widget(Paragraph::new(Line::from(keys)), footer);
    if app.help {
        let notes = vec![
            Line::from(""),
            Line::styled(
                "Looks again every few seconds, reading only journals that changed.",
                theme.dim(),
            ),
            Line::styled("ctrl-l draws the screen again whole.", theme.dim()),
        ];
        table::draw_help(
            frame,
            body,
            table::of_screen(BINDINGS, Ctx::Watch, false),
            (12, 80),
            notes,
            theme,
        );
    }
}

/// The watch keeps the contract every screen keeps; the executor (the
/// command, which knows the folders) performs [`Effect::Look`].
impl Screen for WatchScreen {
    type Action = Action;
    type Effect = Effect;
    type Reply = Shown;

    fn key(&self, key: KeyEvent) -> Option<Action> {
        action_for(key)
    }

    fn resize(width: u16, height: u16) -> Action {
        Action::Resize { width, height }
    }

    fn update(&mut self, action: Action) -> Vec<Effect> {
        WatchScreen::update(self, action)
    }

    fn reply(&mut self, shown: Shown) -> Vec<Effect> {
        // Kept at the end, where what arrives last is said.
        if self.at_end() {
            self.scroll = usize::MAX;
        }
        self.shown = shown;
        self.clamp();
        Vec::new()
    }

    fn tick(&self, now: Duration, _wall: chrono::DateTime<chrono::Utc>) -> Option<Action> {
        match self.next_look {
            Some(due) if now < due => None,
            _ => Some(Action::Tick(now)),
        }
    }

    fn view(&self, frame: &mut Frame, theme: &Theme) {
        render(self, frame, theme);
    }

    fn done(&self) -> bool {
        self.quit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn shown(text: &str) -> Shown {
        Shown {
            text: text.to_string(),
            looked_at: "10:00:02 UTC".into(),
            read_at: "10:00:00 UTC".into(),
            read_anew: 3,
            failing_since: None,
            alert: None,
        }
    }

    fn screen(text: &str, width: u16, height: u16) -> WatchScreen {
        let mut w = WatchScreen::new("day/".into(), shown(text), false, Duration::from_secs(2));
        w.update(Action::Resize { width, height });
        w
    }

    fn drawn(w: &WatchScreen) -> String {
        let mut t = Terminal::new(TestBackend::new(w.width, w.height)).expect("terminal");
        t.draw(|f| render(w, f, &Theme::new(false))).expect("draws");
        let buf = t.backend().buffer().clone();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn no_key_is_bound_twice() {
        assert_eq!(table::clashes(BINDINGS, &[Ctx::Watch]), Vec::<String>::new());
    }

    #[test]
    fn q_and_ctrl_c_stop_it() {
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(q), Some(Action::Quit));
        assert_eq!(action_for(ctrl_c), Some(Action::Quit));
        let mut w = screen("x", 80, 24);
        w.update(Action::Quit);
        assert!(w.done());
    }

    /// The times are said in the roster's zone, the zone once, and the
    /// line whole at 80 columns.
    #[test]
    fn the_times_are_said_in_the_rosters_zone_once_and_fit_80_columns() {
        let mut w = screen("x", 80, 24);
        w.reply(Shown {
            looked_at: "09:50:24 (UTC+01:00)".into(),
            read_at: "09:50:20 (UTC+01:00)".into(),
            read_anew: 4000,
            ..shown("x")
        });
        let header = drawn(&w).lines().nth(1).unwrap_or_default().to_string();
        assert_eq!(
            header,
            "Looked at 09:50:24 (UTC+01:00), every 2 s; read anew at 09:50:20: 4000 journals"
        );
        let utc = drawn(&screen("x", 80, 24))
            .lines()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        assert_eq!(
            utc,
            "Looked at 10:00:02 UTC, every 2 s; read anew at 10:00:00: 3 journals"
        );
    }

    /// It looks again once the interval has passed since the last look
    /// ended, not while one is under way.
    #[test]
    fn it_looks_again_every_interval_after_the_last_look() {
        let mut w = screen("x", 80, 24);
        let s = Duration::from_secs;
        assert_eq!(w.update(Action::Tick(s(0))), vec![]);
        assert_eq!(w.tick(s(1), chrono::Utc::now()), None);
        let due = w.tick(s(2), chrono::Utc::now()).expect("due");
        assert_eq!(w.update(due), vec![Effect::Look { problems: false }]);
        // The look took 5 s: the next is 2 s after it, not at once again.
        assert_eq!(w.update(Action::Tick(s(7))), vec![]);
        assert_eq!(w.tick(s(8), chrono::Utc::now()), None);
        assert!(w.tick(s(9), chrono::Utc::now()).is_some());
        assert_eq!(w.update(Action::Problems), vec![Effect::Look { problems: true }]);
    }

    /// The text scrolls both ways and never off its end; the place is said.
    #[test]
    fn a_long_wide_status_scrolls_and_says_where_it_is() {
        let text: String = (1..=100)
            .map(|i| format!("line {i:03} {}\n", "x".repeat(150)))
            .collect();
        let mut w = screen(&text, 80, 24);
        let first = drawn(&w);
        assert!(first.contains("line 001"), "{first}");
        assert!(first.contains("lines 1–21 of 100"), "{first}");
        w.update(Action::Bottom);
        let last = drawn(&w);
        assert!(last.contains("line 100") && !last.contains("line 079"), "{last}");
        assert!(last.contains("lines 80–100 of 100"), "{last}");
        w.update(Action::Right);
        let sideways = drawn(&w);
        assert!(
            !sideways.contains("line 100") && sideways.contains("\n xxxx"),
            "{sideways}"
        );
        // The text gets shorter: the window comes back onto it.
        w.reply(shown("only line\n"));
        assert!(drawn(&w).contains("only line"));
        assert_eq!((w.scroll, w.sideways), (0, 0));
    }

    /// Prose folds at a space, its later lines indented; the matrix is
    /// cut, and the view's line count is what is drawn.
    #[test]
    fn long_lines_fold_at_spaces_when_wrapping() {
        let mut out = Vec::new();
        fold(
            "  decide: osce decide absence rubric.ron --sessions /a/long/folder/name",
            30,
            &mut out,
        );
        assert_eq!(
            out,
            [
                "  decide: osce decide absence",
                "    rubric.ron --sessions",
                "    /a/long/folder/name"
            ]
        );
        let mut out = Vec::new();
        fold(&"x".repeat(25), 10, &mut out);
        assert_eq!(out, ["xxxxxxxxxx", "  xxxxxxxx", "  xxxxxxx"]);
        let mut w = screen(&format!("{}\nshort\n", "word ".repeat(40)), 80, 24);
        assert_eq!(w.view_lines().len(), 2);
        w.update(Action::Wrap);
        assert_eq!(w.view_lines().len(), 4);
        assert!(drawn(&w).contains("  word word"), "{}", drawn(&w));
        w.update(Action::Problems);
        assert!(w.problems && w.wrap);
    }

    /// At the end of the text, the window stays there as more arrives
    /// and as the terminal changes size; Esc only ever closes the keys.
    #[test]
    fn the_end_stays_in_view_and_esc_only_closes() {
        let text = |n: usize| (1..=n).map(|i| format!("line {i}\n")).collect::<String>();
        let mut w = screen(&text(50), 80, 24);
        w.update(Action::Bottom);
        w.reply(shown(&text(60)));
        assert!(drawn(&w).contains("line 60"), "{}", drawn(&w));
        w.update(Action::Resize {
            width: 100,
            height: 40,
        });
        w.update(Action::Resize {
            width: 80,
            height: 24,
        });
        assert!(drawn(&w).contains("line 60"), "{}", drawn(&w));
        w.update(Action::Top);
        w.reply(shown(&text(70)));
        assert!(drawn(&w).contains("line 1\n"), "{}", drawn(&w));
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        w.update(action_for(esc).expect("bound"));
        assert!(!w.help, "Esc opened the keys");
        w.update(Action::Help);
        w.update(action_for(esc).expect("bound"));
        assert!(!w.help);
    }

    /// Journals gone are said in the header, wherever the window is.
    #[test]
    fn an_alert_stays_in_view() {
        let text = (1..=80).map(|i| format!("line {i}\n")).collect::<String>();
        let mut w = screen(&text, 80, 24);
        w.update(Action::Bottom);
        let mut s = shown(&text);
        s.alert = Some("GONE: 2 journals no longer in the folders (see the top)".into());
        w.reply(s);
        let d = drawn(&w);
        assert!(
            d.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("GONE: 2 journals no longer in the folders")),
            "{d}"
        );
    }

    #[test]
    fn a_tiny_terminal_is_told_to_grow() {
        let w = screen("x", 10, 3);
        let d = drawn(&w);
        assert!(d.contains("10×3:") && d.contains("too"), "{d}");
        let w = screen("x", 39, 20);
        assert!(drawn(&w).contains("Make the window larger"), "{}", drawn(&w));
    }

    #[test]
    fn not_read_is_said_on_top() {
        let mut w = screen("x", 80, 24);
        let mut s = shown("NOT READ since 10:01:00 UTC: the folder is gone\nold text\n");
        s.failing_since = Some("10:01:00 UTC".into());
        w.reply(s);
        let d = drawn(&w);
        assert!(
            d.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("NOT READ since 10:01:00 UTC")),
            "{d}"
        );
    }
}
