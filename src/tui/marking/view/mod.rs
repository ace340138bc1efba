//! Drawing. Views only read the [`App`]; they change nothing.

mod confirm;
mod home;
mod modals;
pub mod scoring;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::keys::{Ctx, for_screen};
use super::{Alarm, App, MIN_HEIGHT, MIN_WIDTH, Screen};
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, theme: &Theme) {
    let mut area = frame.area();
    if app.too_small() {
        too_small(app, frame, theme);
        return;
    }
    // Whether marks are being saved goes above everything, on every
    // screen of a session.
    if let Some(alarm) = app.alarm().filter(|_| !matches!(app.screen, Screen::Home(_))) {
        area = banner(frame, area, alarm, "MARKS", theme);
    }
    match &app.screen {
        Screen::Home(home) => home::render(app, home, frame, area, theme),
        Screen::Confirm => confirm::render(app, frame, area, theme),
        Screen::Finished => confirm::finished(app, frame, area, theme),
        Screen::Scoring => scoring::render(app, frame, area, theme),
        Screen::Comment(editor) => {
            scoring::render(app, frame, area, theme);
            modals::comment(app, editor, frame, area, theme);
        }
        Screen::Concern(editor) => {
            scoring::render(app, frame, area, theme);
            modals::concern(app, editor, frame, area, theme);
        }
        Screen::Reason(prompt) => {
            if app.sheet.is_some() && app.name_differs.is_none() {
                scoring::render(app, frame, area, theme);
            } else {
                confirm::render(app, frame, area, theme);
            }
            modals::reason(app, prompt, frame, area, theme);
        }
        Screen::Submit(summary) => {
            scoring::render(app, frame, area, theme);
            modals::submit(app, summary, frame, area, theme);
        }
    }
    if app.info {
        info(app, frame, area, theme);
    }
    if app.help {
        help(app, frame, area, theme);
    }
    if let Some(ask) = &app.ask {
        modals::ask(app, ask, frame, area, theme);
    }
}

/// Draws the banner about saving across the top of `area` (at most a
/// third of it) and gives the rest. `what` is what is being saved:
/// "MARKS", "DECISIONS".
pub fn banner(frame: &mut Frame, area: Rect, alarm: Alarm<'_>, what: &str, theme: &Theme) -> Rect {
    let lines = alarm_lines(alarm, what, theme);
    let height = wrapped_height(&lines, area.width).min(area.height / 3);
    let [banner, rest] = Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
    let style = match alarm {
        Alarm::NotSaving(_) | Alarm::Unsaved => theme.alarm(),
        Alarm::Low(free) if free < ALMOST_FULL => theme.alarm(),
        Alarm::Low(_) => theme.warn(),
    };
    frame.render_widget(
        Paragraph::new(lines).style(style).wrap(Wrap { trim: true }),
        banner,
    );
    rest
}

/// The words of the banner about saving.
fn alarm_lines(alarm: Alarm<'_>, what: &str, theme: &Theme) -> Vec<Line<'static>> {
    match alarm {
        Alarm::NotSaving(problem) => vec![
            Line::styled(
                format!("{what} ARE NOT BEING SAVED: {}.", problem.headline),
                theme.alarm(),
            ),
            Line::styled(
                format!(
                    "What you enter now does not reach the disk; the sheet shows only what is saved. {}",
                    problem.advice
                ),
                theme.alarm(),
            ),
            Line::styled(problem.detail.clone(), theme.alarm()),
        ],
        Alarm::Unsaved => vec![
            Line::styled(
                "A CHANGE WAS NOT SAVED while the disk could not be written.",
                theme.alarm(),
            ),
            Line::styled(
                "Saving works again. Check this sheet (an item not saved shows \u{2014}) and enter the change again.",
                theme.alarm(),
            ),
        ],
        Alarm::Low(free) if free < ALMOST_FULL => vec![Line::styled(
            format!(
                "THE DISK IS FULL, or nearly: {} free. The next change may not be saved: free space now (or tell the exam lead).",
                megabytes(free)
            ),
            theme.alarm(),
        )],
        Alarm::Low(free) => vec![Line::styled(
            format!(
                "The disk is nearly full: {} free. {} are still being saved; free space (or tell the exam lead) before it runs out.",
                megabytes(free),
                sentence_case(what)
            ),
            theme.warn(),
        )],
    }
}

/// "MARKS" → "Marks".
fn sentence_case(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Below this much free space the banner says the disk is full.
const ALMOST_FULL: u64 = 1_000_000;

/// Bytes in megabytes (10⁶), for people.
fn megabytes(bytes: u64) -> String {
    let tenths = bytes / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Rows `lines` take at `width` when wrapped (at least one each).
pub(crate) fn wrapped_height(lines: &[Line<'_>], width: u16) -> u16 {
    let width = usize::from(width.max(10));
    // Word wrapping leaves ends of rows empty: count on nine tenths.
    let rows: usize = lines
        .iter()
        .map(|l| match l.width() {
            w if w <= width => 1,
            w => w.div_ceil(width * 9 / 10),
        })
        .sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// The rectangle the station's instructions are drawn in.
fn info_rect(area: Rect) -> Rect {
    centred(
        area,
        area.width.saturating_sub(10).min(100),
        area.height.saturating_sub(6).min(24),
    )
}

/// How far the station's instructions scroll in a terminal of `width` ×
/// `height`: erring high where a line wraps, so that the last line is
/// always reached.
pub fn info_max_scroll(app: &App, width: u16, height: u16) -> u16 {
    let inner = Block::bordered().inner(info_rect(Rect::new(0, 0, width, height)));
    let lines = info_lines(app, &Theme::new(false));
    let rows: usize = lines
        .iter()
        .map(|l| match l.width() {
            w if w <= usize::from(inner.width.max(1)) => 1,
            w => w.div_ceil(usize::from(inner.width.max(1))) + 1,
        })
        .sum();
    u16::try_from(rows.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
}

/// The station's candidate instructions and examiner notes (`i`).
fn info(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rect = info_rect(area);
    let most = info_max_scroll(app, area.width, area.height);
    let title = if most > 0 {
        format!(" {} · ↑/↓ scroll ", app.noun().capital())
    } else {
        format!(" {} ", app.noun().capital())
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(info_lines(app, theme))
            .wrap(Wrap { trim: true })
            .scroll((app.info_scroll.min(most), 0))
            .block(Block::bordered().title(title)),
        rect,
    );
}

/// The station's instructions, examiner notes and timing, and every
/// level of the row under the cursor with its descriptor (what a small
/// screen's level panel leaves out).
fn info_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let Some(station) = app.station_def() else {
        return Vec::new();
    };
    let none = || Line::styled("(none in the rubric)", theme.dim());
    let mut lines = vec![Line::styled(station.title.clone(), theme.title()), Line::raw("")];
    // The rubric's own line breaks are kept: a brief is often a list.
    let text = |t: &Option<String>| -> Vec<Line<'static>> {
        match t {
            Some(t) => t.lines().map(|l| Line::raw(l.to_string())).collect(),
            None => vec![none()],
        }
    };
    lines.push(Line::styled("Candidate instructions", theme.strong()));
    lines.extend(text(&station.candidate_instructions));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Examiner notes (not for the candidate)",
        theme.strong(),
    ));
    lines.extend(text(&station.examiner_notes));
    if let Some(t) = &station.timing {
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "Timing: {}",
            crate::rubric::summary::timing_words(t)
        )));
    }
    if let (Some(sheet), Some(rubric)) = (&app.sheet, app.rubric()) {
        let row = match station.items.get(sheet.cursor) {
            Some(item) => Some((
                format!("Levels of \"{}\"", item.text),
                rubric.scale(item.scale),
                item.descriptors.clone(),
            )),
            None => station.global_rating.as_ref().map(|g| {
                let scale = rubric.scale(g.scale);
                let descriptors: Vec<Option<String>> =
                    scale.levels.iter().map(|l| l.descriptor.clone()).collect();
                ("Levels of the global rating".to_string(), scale, descriptors)
            }),
        };
        if let Some((what, scale, descriptors)) = row.filter(|(_, _, d)| d.iter().any(Option::is_some)) {
            lines.push(Line::raw(""));
            lines.push(Line::styled(what, theme.strong()));
            for (i, level) in scale.levels.iter().enumerate() {
                let borderline = if scale.borderline == Some(i) && station.items.get(sheet.cursor).is_none() {
                    " (borderline)"
                } else {
                    ""
                };
                let descriptor = match descriptors.get(i) {
                    Some(Some(d)) => format!(": {d}"),
                    _ => String::new(),
                };
                lines.push(Line::raw(format!(
                    "[{i}] {}{borderline}{descriptor}",
                    level.label
                )));
            }
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Press i or esc to close.", theme.dim()));
    lines
}

fn too_small(app: &App, frame: &mut Frame, theme: &Theme) {
    let text = vec![
        Line::styled("Terminal too small", theme.danger()),
        Line::raw(format!(
            "{}×{}; osce needs {MIN_WIDTH}×{MIN_HEIGHT}.",
            app.width, app.height
        )),
        Line::raw("Enlarge the window: nothing is lost, every mark is saved."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), frame.area());
}

/// A centred rectangle of at most `width` × `height` inside `area`.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// `line` cut to `width` columns, with "…" where cut.
pub fn fit_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let style = line.style;
    let mut room = width.saturating_sub(1);
    let mut spans = Vec::new();
    for span in line.spans {
        let w = span.width();
        if w <= room {
            room -= w;
            spans.push(span);
            continue;
        }
        let mut text = String::new();
        for c in span.content.chars() {
            let cw = Span::raw(c.to_string()).width();
            if cw > room {
                break;
            }
            room -= cw;
            text.push(c);
        }
        spans.push(Span::styled(text, span.style));
        break;
    }
    if width > 0 {
        spans.push(Span::raw("…"));
    }
    Line::from(spans).style(style)
}

/// Lines a notice needs at this width (none without a notice; at most 4).
pub fn notice_height(app: &App, width: u16) -> u16 {
    app.notice.as_ref().map_or(0, |n| {
        let chars = u16::try_from(n.chars().count()).unwrap_or(u16::MAX);
        (chars / width.max(1) + 1).min(4)
    })
}

/// The key hints of the current screen, from the key table.
pub fn footer(app: &App, theme: &Theme, width: u16) -> Text<'static> {
    let locked =
        matches!(app.screen, Screen::Scoring) && app.sheet.as_ref().is_some_and(|s| s.state.is_locked());
    let ctx = if locked { Ctx::Locked } else { Ctx::of(app) };
    // Whole entries to a line: a key is never parted from its word.
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;
    for b in for_screen(ctx, true).filter(|b| applies(app, b)) {
        let (keys, word) = b.footer.unwrap_or((b.label, b.what));
        let len = keys.chars().count() + 1 + word.chars().count();
        let gap = if spans.is_empty() { 0 } else { 2 };
        if used + gap + len > usize::from(width) && !spans.is_empty() {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        } else if gap > 0 {
            spans.push(Span::raw("  "));
            used += gap;
        }
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {word}")));
        used += len;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    Text::from(lines)
}

/// Whether a key does anything here: `x` (absent) only where an absence can
/// still be recorded, as the confirmation's own keys line says; `g` only
/// where the station has a global rating. The footer and the help list
/// only these.
fn applies(app: &App, b: &crate::tui::marking::keys::Binding) -> bool {
    let closed_absence = matches!(app.screen, Screen::Confirm)
        && matches!(b.action, crate::tui::marking::Action::Absent)
        && !app.absence_open();
    let no_rating = matches!(b.action, crate::tui::marking::Action::GlobalRating)
        && app.station_def().is_some_and(|s| s.global_rating.is_none());
    // An untimed station (a final clinical assessment's case, say) has no
    // timer to start, reset or move on.
    let no_timer = matches!(
        b.action,
        crate::tui::marking::Action::StartPause
            | crate::tui::marking::Action::ResetTimer
            | crate::tui::marking::Action::Advance
    ) && app.station_def().is_some_and(|s| s.timing.is_none());
    !closed_absence && !no_rating && !no_timer
}

/// The help's lines besides one per key: its heading and blank line, and
/// the four lines after the keys.
const HELP_OTHER_LINES: usize = 6;

/// How far the help can scroll on a screen `height` rows high: none where
/// it fits (at 80×24 it does not).
pub fn help_max_scroll(app: &App, height: u16) -> u16 {
    let lines = for_screen(Ctx::of(app), false)
        .filter(|b| applies(app, b))
        .count()
        + HELP_OTHER_LINES;
    let visible = usize::from(height.saturating_sub(2));
    u16::try_from(lines.saturating_sub(visible)).unwrap_or(u16::MAX)
}

fn help(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let ctx = Ctx::of(app);
    let mut lines = vec![Line::styled("Keys on this screen", theme.title()), Line::raw("")];
    for b in for_screen(ctx, false).filter(|b| applies(app, b)) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>12}  ", b.label), theme.key()),
            Span::raw(b.what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "Every change is saved to disk before the screen says \"saved ✓\".",
    ));
    lines.push(Line::raw(
        "Quitting is always safe; open the same sheet again to carry on.",
    ));
    lines.push(Line::styled("Press ? or esc to close.", theme.dim()));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centred(area, 76, height);
    let most = help_max_scroll(app, area.height);
    let title = if most > 0 {
        " Help · ↑/↓ scroll "
    } else {
        " Help "
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((app.help_scroll.min(most), 0))
            .block(Block::bordered().title(title)),
        rect,
    );
}
