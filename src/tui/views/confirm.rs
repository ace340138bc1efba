//! Before each sheet: the candidate's id and name, large, to confirm; and
//! the screen at the end of a session.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::tui::app::{App, Mode};
use crate::tui::bigtext;
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (Some(session), Some(candidate), Some(station)) =
        (&app.session, app.current_candidate(), app.station_def())
    else {
        frame.render_widget(Paragraph::new("No candidate to mark."), area);
        return;
    };
    let [top, main, notice, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(12),
        Constraint::Length(super::notice_height(app, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    let heading = Line::styled(
        format!(" {} · {} ", session.rubric.title, station.title),
        theme.title(),
    );
    frame.render_widget(
        Paragraph::new(format!(
            "Examiner {} · device {}",
            session.examiner, session.device
        ))
        .block(Block::bordered().title(heading)),
        top,
    );
    // In a circuit, the next candidate is only shown as coming while the
    // one before is still in the room, or nobody is due here this round.
    let question = match (app.leaving.is_some(), app.waiting()) {
        (true, _) => "Next candidate, once the changeover ends:",
        (false, true) => "Next candidate, after the rest:",
        (false, false) => "Is this the candidate in front of you?",
    };
    let mut lines = vec![
        Line::raw(""),
        Line::styled(question, theme.strong()),
        Line::raw(""),
    ];
    if bigtext::width(&candidate.id) <= usize::from(main.width) {
        lines.extend(
            bigtext::big(&candidate.id)
                .into_iter()
                .map(|r| Line::styled(r, theme.strong())),
        );
    } else {
        lines.push(Line::styled(candidate.id.clone(), theme.strong()));
    }
    lines.push(Line::raw(""));
    if let Some(nd) = &app.name_differs {
        // Side by side: the sheet keeps its name unless it is corrected.
        lines.push(Line::styled(
            format!("On the sheet: {}   ·   Given now: {}", nd.recorded, nd.given),
            theme.warn(),
        ));
        lines.push(Line::raw(format!(
            "Candidate id: {} · this sheet was started under another name",
            candidate.id
        )));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "k: keep the sheet's name · c: correct it (a reason is recorded) · esc: neither",
            theme.strong(),
        ));
        lines.push(Line::raw("Nothing is written until you choose."));
        frame.render_widget(
            Paragraph::new(lines)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .block(Block::bordered()),
            main,
        );
        if let Some(n) = &app.notice {
            frame.render_widget(
                Paragraph::new(Line::styled(n.clone(), theme.warn())).wrap(Wrap { trim: true }),
                notice,
            );
        }
        frame.render_widget(Paragraph::new(super::footer(app, theme, footer.width)), footer);
        return;
    }
    let name = if candidate.name.is_empty() {
        "(no name given)".to_string()
    } else {
        candidate.name.clone()
    };
    lines.push(Line::styled(name, theme.strong()));
    lines.push(Line::raw(format!("Candidate id: {}", candidate.id)));
    let here = match app.progress_of(&candidate.id, &station.id) {
        crate::tui::app::Progress::NotStarted => ("Sheet here: not started", theme.plain()),
        crate::tui::app::Progress::Started => ("Sheet here: marking started, not submitted", theme.warn()),
        crate::tui::app::Progress::Submitted => ("Sheet here: already SUBMITTED", theme.ok()),
        crate::tui::app::Progress::Absent => ("Sheet here: recorded ABSENT", theme.warn()),
    };
    lines.push(Line::styled(here.0, here.1));
    if let Mode::Circuit { .. } = session.mode {
        for line in app.circuit_lines() {
            lines.push(Line::raw(line));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "enter: yes, open the sheet · ←/→: another · x: absent · q: quit",
        theme.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(Block::bordered()),
        main,
    );
    if let Some(n) = &app.notice {
        frame.render_widget(
            Paragraph::new(Line::styled(n.clone(), theme.warn())).wrap(Wrap { trim: true }),
            notice,
        );
    }
    frame.render_widget(Paragraph::new(super::footer(app, theme, footer.width)), footer);
}

pub fn finished(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = vec![
        Line::raw(""),
        Line::styled("Every sheet of this session is submitted.", theme.ok()),
        Line::raw(""),
        Line::raw("All marks are saved. ←/→ goes back to a sheet (amending needs a reason)."),
        Line::raw("Press q or enter to quit."),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(Block::bordered().title(" Done ")),
        area,
    );
    let _ = app;
}
