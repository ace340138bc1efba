//! The home screen form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::tui::marking::App;
use crate::tui::marking::home::{Field, Home};
use crate::tui::theme::Theme;

pub fn render(app: &App, home: &Home, frame: &mut Frame, area: Rect, theme: &Theme) {
    // Every problem (a roster's, say: each row's), wrapped, never cut while
    // the form keeps its ten rows.
    let problem = home.error.as_ref().or(app.notice.as_ref());
    let said = problem.or(home.hint.as_ref());
    let width = usize::from(area.width.max(1));
    let rows: usize = said.map_or(0, |e| {
        e.lines().map(|l| l.chars().count().div_ceil(width).max(1)).sum()
    });
    let room = usize::from(area.height.saturating_sub(3 + 10 + 1));
    let error_rows = u16::try_from(rows.clamp(2, room.max(2))).unwrap_or(2);
    let [top, body, error, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(10),
        Constraint::Length(error_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(format!("Marks are saved in {}", home.sessions))
            .block(Block::bordered().title(Line::styled(" osce · start marking ", theme.title()))),
        top,
    );
    let [form, resume] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);

    let label = |f: Field, text: &str| {
        let style = if home.focus == f {
            theme.selected()
        } else {
            theme.strong()
        };
        Span::styled(format!("{text:<16}"), style)
    };
    let choice = |f: Field, text: String| {
        if home.focus == f {
            Span::styled(format!("◀ {text} ▶"), theme.strong())
        } else {
            Span::raw(text)
        }
    };
    // What a value has beside its label (inside the form's border): a
    // path longer than that shows its end, the file's name.
    let room = usize::from(form.width.saturating_sub(2)).saturating_sub(16);
    let fit_end = crate::base::text::fit_end;
    let mut lines = Vec::new();
    let rubric = home.chosen();
    let rubric_text = rubric.map_or("none found".to_string(), |r| r.title.clone());
    lines.push(Line::from(vec![
        label(Field::Rubric, "Rubric"),
        choice(Field::Rubric, rubric_text),
    ]));
    if let Some(r) = rubric {
        // Which of the rubrics, and how to change it, first: then as
        // much of its file as fits, its name last.
        let count = format!("{} of {} · ←/→ · ", home.rubric + 1, home.rubrics.len());
        let rest = room.saturating_sub(count.chars().count());
        lines.push(Line::styled(
            format!("{:16}{count}{}", "", fit_end(&r.label, rest)),
            theme.dim(),
        ));
    }
    if let Some(p) = rubric.and_then(|r| r.problem.as_ref()) {
        lines.push(Line::styled(format!("{:16}invalid: {p}", ""), theme.danger()));
    }
    let field_text = |t: &ratatui_textarea::TextArea<'_>, f: Field| {
        let value = crate::tui::marking::home::text(t);
        let placeholder = if f == Field::Roster && home.circuit {
            "the roster CSV file: the candidates and where they start".to_string()
        } else {
            t.placeholder_text().to_string()
        };
        let cursor = usize::from(home.focus == f);
        let shown = if value.is_empty() {
            placeholder
        } else {
            fit_end(&value, room.saturating_sub(cursor))
        };
        let style = if crate::tui::marking::home::text(t).is_empty() {
            theme.dim()
        } else {
            theme.plain()
        };
        Span::styled(
            if home.focus == f {
                format!("{shown}▏")
            } else {
                shown
            },
            style,
        )
    };
    lines.push(Line::from(vec![
        label(Field::Examiner, "Examiner id"),
        field_text(&home.examiner, Field::Examiner),
    ]));
    let mode = if home.circuit {
        "Station circuit (stay at one station)"
    } else {
        "Candidate by candidate"
    };
    lines.push(Line::from(vec![
        label(Field::Mode, "Mode"),
        choice(Field::Mode, mode.to_string()),
    ]));
    if !home.circuit {
        lines.push(Line::from(vec![
            label(Field::CandidateId, "Candidate id"),
            field_text(&home.candidate_id, Field::CandidateId),
        ]));
        lines.push(Line::from(vec![
            label(Field::CandidateName, "Candidate name"),
            field_text(&home.candidate_name, Field::CandidateName),
        ]));
    }
    let roster_label = if home.circuit {
        "Roster (needed)"
    } else {
        "Roster file"
    };
    lines.push(Line::from(vec![
        label(Field::Roster, roster_label),
        field_text(&home.roster, Field::Roster),
    ]));
    if home.circuit {
        lines.push(Line::from(vec![
            label(Field::Circuit, "Circuit"),
            field_text(&home.circuit_name, Field::Circuit),
        ]));
    }
    let station = rubric
        .and_then(|r| r.stations.get(home.station))
        .map_or("—".to_string(), |(id, title)| format!("{title} [{id}]"));
    let station_label = if home.circuit { "Your station" } else { "Start at" };
    lines.push(Line::from(vec![
        label(Field::Station, station_label),
        choice(Field::Station, station),
    ]));
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        label(Field::Start, "[ Start ]"),
        Span::styled("enter", theme.dim()),
    ]));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" New session ")),
        form,
    );

    let mut rl = Vec::new();
    if home.unfinished.is_empty() {
        rl.push(Line::styled("No unfinished sheets on this device.", theme.dim()));
    }
    for (i, u) in home.unfinished.iter().enumerate() {
        let focus = home.focus == Field::Resume && home.resume == i;
        let text = format!(
            "{} {} {} · {} · {} · saved {}",
            if focus { "▶" } else { " " },
            u.candidate,
            u.candidate_name,
            u.station,
            u.examiner,
            u.last_saved
        );
        rl.push(Line::styled(
            text,
            if focus { theme.selected() } else { theme.plain() },
        ));
    }
    frame.render_widget(
        Paragraph::new(rl)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(" Unfinished sheets (resume) ")),
        resume,
    );
    if let Some(e) = said {
        let style = if problem.is_some() {
            theme.danger()
        } else {
            theme.plain()
        };
        let lines: Vec<Line> = e.lines().map(|l| Line::styled(l.to_string(), style)).collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), error);
    }
    frame.render_widget(Paragraph::new(super::footer(app, theme, footer.width)), footer);
}
