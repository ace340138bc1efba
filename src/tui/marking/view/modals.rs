//! Dialogs over the scoring screen: comments, concern, reasons, submit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::scoring::{fmt_marks, fmt_percent};
use crate::store::{ConcernKind, Unmarked};
use crate::tui::marking::{
    App, Ask, CommentEditor, CommentField, ConcernEditor, ReasonPrompt, SubmitSummary,
};
use crate::tui::theme::Theme;

use super::centred;

fn frame_box(frame: &mut Frame, area: Rect, title: &str, width: u16, height: u16) -> Rect {
    boxed(frame, area, title, None, width, height)
}

/// [`frame_box`] over the scoring screen, with the station timer in its
/// bottom border: a dialog covers the large timer, never the time.
fn timed_box(app: &App, frame: &mut Frame, area: Rect, title: &str, width: u16, height: u16) -> Rect {
    boxed(frame, area, title, timer_words(app), width, height)
}

fn boxed(frame: &mut Frame, area: Rect, title: &str, timer: Option<String>, width: u16, height: u16) -> Rect {
    let rect = centred(area, width, height);
    frame.render_widget(Clear, rect);
    let mut block = Block::bordered().title(format!(" {title} "));
    if let Some(t) = timer {
        block = block.title_bottom(Line::from(format!(" {t} ")).right_aligned());
    }
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// The open sheet's station timer in a few words (`STATION 3:12`,
/// `TIME UP · overrun +0:05`, `PAUSED · READING 0:40`), if it is timed and
/// running or paused.
fn timer_words(app: &App) -> Option<String> {
    use crate::day::timer::{Phase, fmt_countdown, fmt_overrun};
    let timer = app.sheet.as_ref()?.timer.as_ref()?;
    let d = timer.display(app.now);
    let words = match d.phase {
        Phase::NotStarted | Phase::Done => return None,
        Phase::Overrun => format!("TIME UP · overrun {}", fmt_overrun(d.time)),
        p => format!("{} {}", p.name().to_uppercase(), fmt_countdown(d.time)),
    };
    Some(if d.paused {
        format!("PAUSED · {words}")
    } else {
        words
    })
}

/// Rows a dialog of inner width `width` needs for the notice (one kept
/// even without one, so the dialog does not jump) and its keys.
fn keys_height(app: &App, theme: &Theme, width: u16) -> u16 {
    let notice = super::notice_height(app, width).max(1);
    let keys = u16::try_from(super::footer(app, theme, width).lines.len()).unwrap_or(1);
    notice + keys.max(1)
}

/// The notice (what a key could not do, wrapped, never cut) above the keys.
fn notice_and_footer(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows = super::notice_height(app, area.width).max(1);
    let [notice, footer] = Layout::vertical([Constraint::Length(rows), Constraint::Min(1)]).areas(area);
    if let Some(n) = &app.notice {
        frame.render_widget(
            Paragraph::new(Line::styled(n.clone(), theme.warn())).wrap(Wrap { trim: true }),
            notice,
        );
    }
    frame.render_widget(
        Paragraph::new(super::footer(app, theme, footer.width)).wrap(Wrap { trim: true }),
        footer,
    );
}

pub fn comment(app: &App, editor: &CommentEditor, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = timed_box(
        app,
        frame,
        area,
        "Comments",
        area.width.saturating_sub(8),
        area.height.saturating_sub(4),
    );
    let [fb, notes, keys] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Length(keys_height(app, theme, inner.width)),
    ])
    .areas(inner);
    for (field, rect, text, title) in [
        (
            CommentField::Feedback,
            fb,
            &editor.feedback,
            "Feedback to the candidate",
        ),
        (
            CommentField::Notes,
            notes,
            &editor.notes,
            "Private examiner notes (not shown to the candidate)",
        ),
    ] {
        let focused = editor.focus == field;
        let title = if focused {
            format!(" ▶ {title} ")
        } else {
            format!(" {title} ")
        };
        let block = Block::bordered().title(Span::styled(
            title,
            if focused { theme.strong() } else { theme.dim() },
        ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(text, inner);
    }
    notice_and_footer(app, frame, keys, theme);
}

pub fn concern(app: &App, editor: &ConcernEditor, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = timed_box(
        app,
        frame,
        area,
        "Flag a concern (kept apart from the score)",
        72,
        17,
    );
    let [kinds, note, keys] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(3),
        Constraint::Length(keys_height(app, theme, inner.width)),
    ])
    .areas(inner);
    let raised = app.sheet.as_ref().map(|s| &s.state.concerns);
    let lines: Vec<Line> = ConcernKind::ALL
        .iter()
        .map(|k| {
            let chosen = *k == editor.kind;
            let on = raised.is_some_and(|r| r.contains_key(k));
            let text = format!(
                "{} {}{}",
                if chosen { "▶" } else { " " },
                k.label(),
                if on { " (raised)" } else { "" }
            );
            Line::styled(text, if chosen { theme.selected() } else { theme.plain() })
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), kinds);
    let block = Block::bordered().title(" Note ");
    let inner_note = block.inner(note);
    frame.render_widget(block, note);
    frame.render_widget(editor.note(), inner_note);
    notice_and_footer(app, frame, keys, theme);
}

pub fn reason(app: &App, prompt: &ReasonPrompt, frame: &mut Frame, area: Rect, theme: &Theme) {
    // What is left unmarked is listed whole, one per line: the reason is
    // recorded against each of them.
    if let crate::tui::marking::ReasonFor::Missing(items) = &prompt.purpose {
        return missing_reason(app, prompt, items, frame, area, theme);
    }
    // An absence names whom it is recorded for: the box covers the
    // candidate's id and name on the page below.
    let title = match (&prompt.purpose, app.current_candidate()) {
        (crate::tui::marking::ReasonFor::Absent, Some(c)) if c.name.trim().is_empty() => {
            format!("Why is {} absent?", c.id)
        }
        (crate::tui::marking::ReasonFor::Absent, Some(c)) => {
            format!("Why is {} {} absent?", c.id, c.name.trim())
        }
        _ => prompt.purpose.title().to_string(),
    };
    let inner = timed_box(app, frame, area, &title, 72, 11);
    let [what, text, keys] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(3),
        Constraint::Length(keys_height(app, theme, 70)),
    ])
    .areas(inner);
    let explain = match &prompt.purpose {
        crate::tui::marking::ReasonFor::Withdraw(kind) => {
            format!(
                "Withdrawing the {} concern. It stays in the record, marked withdrawn.",
                kind.label().to_lowercase()
            )
        }
        crate::tui::marking::ReasonFor::NameCorrection => match &app.name_differs {
            Some(nd) => format!(
                "From \"{}\" (as the sheet was started) to \"{}\". Both stay in the record.",
                nd.recorded, nd.given
            ),
            None => String::new(),
        },
        crate::tui::marking::ReasonFor::Amend if app.sheet.as_ref().is_some_and(|s| s.state.absent.is_some()) => {
            "The sheet is recorded ABSENT: amending it withdraws the absence (a late arrival, a wrong key), and the candidate is then marked here. Both stay in the record.".to_string()
        }
        crate::tui::marking::ReasonFor::Amend => {
            "The original marks stay in the record beside the amendment.".to_string()
        }
        _ => "The reason is saved with the sheet.".to_string(),
    };
    frame.render_widget(Paragraph::new(explain).wrap(Wrap { trim: true }), what);
    let block = Block::bordered();
    let inner_text = block.inner(text);
    frame.render_widget(block, text);
    frame.render_widget(&prompt.text, inner_text);
    notice_and_footer(app, frame, keys, theme);
}

pub fn submit(app: &App, summary: &SubmitSummary, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = timed_box(
        app,
        frame,
        area,
        "Submit this sheet?",
        90,
        area.height.saturating_sub(4),
    );
    let [body, keys] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(keys_height(app, theme, inner.width)),
    ])
    .areas(inner);
    let r = &summary.result;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}  ", r.title), theme.strong()),
            Span::styled(
                r.outcome.to_string(),
                if r.outcome == crate::scoring::StationOutcome::Pass {
                    theme.ok()
                } else {
                    theme.warn()
                },
            ),
        ]),
        Line::raw(format!(
            "Score {} of {}{}",
            fmt_marks(r.score),
            fmt_marks(r.max),
            r.percent()
                .map(|p| format!(" ({}%)", fmt_percent(p)))
                .unwrap_or_default()
        )),
    ];
    if let Some(p) = &r.pass_mark {
        // A rule in words (a global rating, items met) is its own source.
        lines.push(Line::raw(match p.source {
            crate::scoring::PassMarkSource::GlobalRating | crate::scoring::PassMarkSource::Competency => {
                format!("Pass mark: {}", p.description)
            }
            _ => format!("Pass mark: {} · {}", p.description, p.source),
        }));
    }
    if let Some((_, label)) = &r.global_rating {
        lines.push(Line::raw(format!("Global rating: {label}")));
    }
    // What is missing is listed below, so INCOMPLETE's reason is not repeated.
    for reason in r
        .reasons
        .iter()
        .filter(|r| r.verdict != crate::scoring::Outcome::Incomplete)
    {
        lines.push(Line::raw(format!("• {reason}")));
    }
    if let Some(sheet) = &app.sheet {
        // Reasons recorded for what is still unmarked: an item marked
        // since (in an amendment) needs none.
        let station = app.station_def();
        let mut still_missing: Vec<(&Unmarked, &String)> = sheet
            .state
            .missing_reasons
            .iter()
            .filter(|(what, _)| match what {
                Unmarked::GlobalRating => sheet.state.global_rating().is_none(),
                Unmarked::Item(id) => sheet.state.mark(id).is_none(),
            })
            .collect();
        // In the sheet's order: the items as the rubric lists them, then
        // the global rating.
        let place = |what: &Unmarked| match what {
            Unmarked::Item(id) => station
                .and_then(|s| s.items.iter().position(|i| &i.id == id))
                .unwrap_or(usize::MAX - 1),
            Unmarked::GlobalRating => usize::MAX,
        };
        still_missing.sort_by_key(|(what, _)| place(what));
        if !still_missing.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Left unmarked, with the reason recorded:",
                theme.strong(),
            ));
            let texts: Vec<String> = still_missing
                .iter()
                .map(|(what, reason)| format!("{}: {reason}", unmarked_text(station, what)))
                .collect();
            // One a line where they fit with what follows (the ruling, late
            // marks, a concern, feedback, that submitting locks); else run
            // on, so that none of that is cut off a small screen.
            if lines.len() + texts.len() + 7 < usize::from(body.height) {
                lines.extend(texts.iter().map(|t| Line::raw(format!("  – {t}"))));
            } else {
                lines.push(Line::raw(format!("  – {}", texts.join("; "))));
            }
            // Not while something is still unmarked with no reason: that
            // is asked of the examiner below.
            if summary.unexplained.is_empty() {
                lines.push(Line::raw(
                    "The station's result waits for the exam lead's ruling on these (osce decide unmarked): \
                     nothing more is needed from you.",
                ));
            }
        }
        // Marks given after the station's time was up are kept, as late.
        let late = station.map_or(0, |s| {
            s.items
                .iter()
                .filter(|i| sheet.state.mark(&i.id).is_some_and(|m| m.late))
                .count()
        }) + usize::from(sheet.state.global_rating().is_some_and(|(_, late)| late));
        if late > 0 {
            lines.push(Line::styled(
                format!(
                    "{} after the station's time was up: recorded as late.",
                    crate::base::text::plural(late, "mark given", "marks given")
                ),
                theme.warn(),
            ));
        }
        if !sheet.state.concerns.is_empty() {
            let kinds: Vec<&str> = sheet.state.concerns.keys().map(|k| k.label()).collect();
            lines.push(Line::styled(
                format!("Concern flagged: {}", kinds.join(", ")),
                theme.danger(),
            ));
        }
        // Typed and never saved (the box open at a crash, recovered on
        // restart): submitted now, the sheet goes without it.
        let drafts: Vec<&str> = [
            (sheet.state.feedback_draft.is_some(), "feedback to the candidate"),
            (sheet.state.notes_draft.is_some(), "private notes"),
        ]
        .into_iter()
        .filter_map(|(draft, what)| draft.then_some(what))
        .collect();
        if !drafts.is_empty() {
            lines.push(Line::styled(
                format!(
                    "Typed and not saved: {} (recovered after a restart). Esc, then c to save {}: submitted now, \
                     the sheet goes without {}.",
                    drafts.join(" and "),
                    if drafts.len() == 1 { "it" } else { "them" },
                    if drafts.len() == 1 { "it" } else { "them" }
                ),
                theme.danger(),
            ));
        }
        if !sheet.state.concern_drafts.is_empty() {
            lines.push(Line::styled(
                "A concern's note typed and not saved (recovered after a restart). Esc, then f to raise it: \
                 submitted now, the sheet goes without it.",
                theme.danger(),
            ));
        }
        if sheet.state.feedback.is_empty() && sheet.state.feedback_draft.is_none() {
            lines.push(Line::styled(
                "No feedback to the candidate yet (esc, then c to add it).",
                theme.dim(),
            ));
        }
    }
    if !summary.unexplained.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Not yet marked, and no reason recorded:",
            theme.danger(),
        ));
        let station = app.station_def();
        let texts: Vec<String> = summary
            .unexplained
            .iter()
            .map(|what| unmarked_text(station, what))
            .collect();
        // One a line where they fit; else run on, so that the last of
        // them and what to do are never cut off a small screen.
        if lines.len() + texts.len() < usize::from(body.height) {
            lines.extend(texts.iter().map(|t| Line::raw(format!("  – {t}"))));
        } else {
            lines.push(Line::raw(format!("  – {}", texts.join("; "))));
        }
        lines.push(Line::raw(format!(
            "Mark them (esc to go back; {}), or press r to record why you could not judge them.",
            lowest_is_a_mark(app, &summary.unexplained)
        )));
    } else {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Submitting locks the sheet; changing it later needs a reason.",
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    notice_and_footer(app, frame, keys, theme);
}

/// A yes/no question over everything else.
pub fn ask(app: &App, ask: &Ask, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = area.width.saturating_sub(8).min(72);
    let detail = Paragraph::new(ask.detail.clone()).wrap(Wrap { trim: true });
    let detail_rows = super::wrapped_height(&[Line::raw(ask.detail.clone())], width.saturating_sub(2));
    let inner = frame_box(frame, area, &ask.question, width, detail_rows + 5);
    let [text, keys] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(keys_height(app, theme, inner.width)),
    ])
    .areas(inner);
    frame.render_widget(detail, text);
    notice_and_footer(app, frame, keys, theme);
}

/// What an examiner may give the items left unmarked that is no reason:
/// their scales' lowest level (`"Not met" is a mark`), and `n` where a
/// scale allows "not observed".
fn lowest_is_a_mark(app: &App, unmarked: &[Unmarked]) -> String {
    let (Some(rubric), Some(station)) = (app.rubric(), app.station_def()) else {
        return "the lowest level is a mark".to_string();
    };
    let mut lowest: Vec<String> = Vec::new();
    let mut not_observed = false;
    for what in unmarked {
        let Unmarked::Item(id) = what else { continue };
        let Some(scale) = station.item(id).map(|i| rubric.scale(i.scale)) else {
            continue;
        };
        not_observed |= scale.not_observed;
        if let Some(l) = scale.levels.first()
            && !lowest.contains(&l.label)
        {
            lowest.push(l.label.clone());
        }
    }
    let quoted: Vec<String> = lowest.iter().map(|l| format!("\"{l}\"")).collect();
    let mark = match quoted.len() {
        0 => "the lowest level is a mark".to_string(),
        1 => format!("{} is a mark", quoted[0]),
        _ => format!("{} are marks", quoted.join(" or ")),
    };
    if not_observed {
        format!("{mark}; n: not observed")
    } else {
        mark
    }
}

/// What is left unmarked, as the examiner knows it: the item's text, or
/// "the global rating".
/// The reason for what is left unmarked: the list of it (as much as fits,
/// then how many more), what the reason is for, and the box.
fn missing_reason(
    app: &App,
    prompt: &ReasonPrompt,
    items: &[Unmarked],
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let keys = keys_height(app, theme, 70);
    // Borders 2, explanation 2, heading 1, box 3, keys.
    let fixed = 2 + 2 + 1 + 3 + keys;
    let room = usize::from(area.height.saturating_sub(fixed)).max(1);
    let n = items.len();
    let shown = if n <= room {
        n
    } else {
        room.saturating_sub(1).max(1)
    };
    let height = fixed + u16::try_from(shown + usize::from(shown < n)).unwrap_or(1);
    let inner = timed_box(app, frame, area, prompt.purpose.title(), 72, height);
    let [explain, list, text, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(height.saturating_sub(fixed) + 1),
        Constraint::Length(3),
        Constraint::Length(keys),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(
            "Only for what you could not judge: if the candidate did not do it, that is a mark (esc, and give it).",
        )
        .wrap(Wrap { trim: true }),
        explain,
    );
    let station = app.station_def();
    let width = usize::from(list.width).saturating_sub(4);
    let mut lines = vec![Line::styled(
        format!("Unmarked ({n}), each recorded with this reason:"),
        theme.strong(),
    )];
    lines.extend(items.iter().take(shown).map(|what| {
        Line::raw(format!(
            "  • {}",
            crate::base::text::fit(&unmarked_text(station, what), width)
        ))
    }));
    if shown < n {
        lines.push(Line::raw(format!("  … and {} more", n - shown)));
    }
    frame.render_widget(Paragraph::new(lines), list);
    let block = Block::bordered();
    let inner_text = block.inner(text);
    frame.render_widget(block, text);
    frame.render_widget(&prompt.text, inner_text);
    notice_and_footer(app, frame, footer, theme);
}

fn unmarked_text(station: Option<&crate::rubric::Station>, what: &Unmarked) -> String {
    match what {
        Unmarked::GlobalRating => "the global rating".to_string(),
        Unmarked::Item(id) => station
            .and_then(|s| s.item(id))
            .map_or_else(|| id.clone(), |i| i.text.clone()),
    }
}
