//! Before each sheet: the candidate's id and name, large, to confirm; and
//! the screen at the end of a session.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::day::timer::fmt_countdown;
use crate::scoring::{Outcome, fmt_marks, fmt_percent};
use crate::tui::bigtext;
use crate::tui::marking::{App, Arrival, Mode, ProvisionalResult};
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (Some(session), Some(candidate), Some(station)) =
        (&app.session, app.current_candidate(), app.station_def())
    else {
        frame.render_widget(Paragraph::new("No candidate to mark."), area);
        return;
    };
    // The key hints take a second line where one is too narrow (80
    // columns): none is left out.
    let hints = u16::try_from(super::footer(app, theme, area.width).lines.len()).unwrap_or(1);
    let [top, main, notice, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(12),
        Constraint::Length(super::notice_height(app, area.width)),
        Constraint::Length(hints.clamp(1, 2)),
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
    // In a circuit, the question is asked only of the candidate whose
    // round it is: the others are said to be coming, or gone. A sheet done
    // already (gone back to with ←) is for reading or amending: its
    // candidate is neither in front of the examiner nor next.
    let round = match session.mode {
        Mode::Circuit { .. } => app
            .round_of_candidate(&candidate.id)
            .map_or(String::new(), |r| format!(" (round {})", r + 1)),
        Mode::CandidateByCandidate => String::new(),
    };
    let done = match app.progress_of(&candidate.id, &station.id) {
        crate::tui::marking::Progress::Submitted => Some(("Already submitted here", "read or amend it")),
        crate::tui::marking::Progress::Absent => Some(("Recorded absent here", "read or amend it")),
        crate::tui::marking::Progress::Amending => Some(("Being amended here", "carry on amending it")),
        _ => None,
    };
    // The keys line answers the question asked, where one is; `x` only
    // where an absence can still be recorded (nothing on the sheet yet).
    let asked = done.is_none() && matches!(app.arrival(), Arrival::Here);
    let absence_open = app.absence_open();
    let question = match (done, app.arrival()) {
        (Some((done, what)), _) => format!("{done}{round}: open the sheet to {what}?"),
        (None, arrival) => match arrival {
            Arrival::Here => "Is this the candidate in front of you?".to_string(),
            // A station shorter than the round: the next candidate comes
            // when the round ends at the longer stations.
            Arrival::AfterChangeover { rests: 0 } if !app.round_after_station().is_zero() => format!(
                "Next candidate, when the round ends ({} after this {}):",
                fmt_countdown(app.round_after_station()),
                if station
                    .timing
                    .as_ref()
                    .is_some_and(|t| t.changeover.seconds() > 0)
                {
                    "changeover"
                } else {
                    "station's time"
                }
            ),
            Arrival::AfterChangeover { rests: 0 } => "Next candidate, once the changeover ends:".to_string(),
            Arrival::AfterChangeover { rests } if !app.round_after_station().is_zero() => format!(
                "Next candidate, when the round ends and after {}:",
                crate::base::text::plural(rests, "rest round", "rest rounds")
            ),
            Arrival::AfterChangeover { rests } => format!(
                "Next candidate, after the changeover and {}:",
                crate::base::text::plural(rests, "rest round", "rest rounds")
            ),
            Arrival::AfterRest if app.round_goes_on() => "Next candidate, when the round ends:".to_string(),
            Arrival::AfterRest => "Next candidate, after the rest:".to_string(),
            // Looked ahead (→) past the next candidate: a later one.
            Arrival::Later { round, starts_in } => format!(
                "{}, in round {} (it starts in {}):",
                if app.next_in_line(round) {
                    "Next candidate"
                } else {
                    "A later candidate"
                },
                round + 1,
                fmt_countdown(starts_in)
            ),
            Arrival::Ahead { round, due } => format!(
                "A later candidate, in round {}: {} comes first",
                round + 1,
                app.candidate_of_round(due).map_or_else(
                    || format!("round {}'s candidate", due + 1),
                    |c| format!("{} (round {})", c.id, due + 1)
                )
            ),
            Arrival::Gone { round } => format!("Round {} is over: this candidate has left.", round + 1),
        },
    };
    let mut lines = vec![
        Line::raw(""),
        Line::styled(question, theme.strong()),
        Line::raw(""),
    ];
    // Large only where every letter has a large glyph: `Łukasz1` drawn as
    // `UKASZ1` would be another candidate.
    if bigtext::width(&candidate.id) <= usize::from(main.width) && bigtext::can_draw(&candidate.id) {
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
        crate::tui::marking::Progress::NotStarted => ("Sheet here: not started", theme.plain()),
        crate::tui::marking::Progress::Started => {
            ("Sheet here: marking started, not submitted", theme.warn())
        }
        crate::tui::marking::Progress::Amending => (
            "Sheet here: being AMENDED, not submitted again (the submitted version counts meanwhile)",
            theme.warn(),
        ),
        crate::tui::marking::Progress::Submitted => ("Sheet here: already SUBMITTED", theme.ok()),
        crate::tui::marking::Progress::Absent => ("Sheet here: recorded ABSENT", theme.warn()),
    };
    // An absence with the examiner's reason, which the exam lead's choice
    // between a fail and a deferral turns on.
    let here_words = match app.absence_reason(&candidate.id, &station.id) {
        Some(reason) if !reason.trim().is_empty() => format!("{}: {}", here.0, reason.trim()),
        _ => here.0.to_string(),
    };
    lines.push(Line::styled(here_words, here.1));
    // Opened again after the station's time ran out (osce closed while
    // the candidate was marked): the marks to come are late, and said so
    // before the sheet opens, not found later beside each mark.
    if done.is_none() && app.time_up_unopened(&candidate.id, station) {
        lines.push(Line::styled(
            "Station time is up for this sheet: marks given now are recorded as late.",
            theme.warn(),
        ));
    }
    // A sheet left unfinished (before a restart, or skipped with →) is
    // named until it is submitted: the clock brings the next candidate.
    let elsewhere = app.unsubmitted_elsewhere();
    if !elsewhere.is_empty() {
        // As many names as fit on one row (at least one), so that the
        // keys below stay on screen.
        let words = |k: usize| {
            let more = elsewhere.len() - k;
            format!(
                "Not submitted yet: {}{} · ←/→ to reach {}",
                elsewhere[..k].join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
                if elsewhere.len() == 1 { "it" } else { "them" }
            )
        };
        let room = usize::from(main.width.saturating_sub(2));
        let text = (1..=elsewhere.len().min(3))
            .rev()
            .map(words)
            .find(|t| t.chars().count() <= room)
            .unwrap_or_else(|| words(1));
        lines.push(Line::styled(text, theme.warn()));
    }
    // An earlier candidate's confirmation shown while the next was called
    // in: said on every such screen until the examiner is back with them
    // (the notice goes at the first key).
    if let Some(words) = app.waiting_for_you() {
        lines.push(Line::styled(
            format!("Called in, waiting for you: {words}"),
            theme.warn(),
        ));
    }
    // What the exam lead recorded that the examiner should know first.
    if let Some(warning) = session.warnings.get(&candidate.id) {
        lines.push(Line::styled(warning.clone(), theme.warn()));
    }
    if let Mode::Circuit { .. } = session.mode {
        for line in app.circuit_lines() {
            lines.push(Line::raw(line));
        }
    }
    // Candidate by candidate: a sheet of the one before skipped with →,
    // named (their result waits for it).
    if let Some((before, skipped)) = app.skipped_before() {
        let who = if before.name.is_empty() {
            before.id.clone()
        } else {
            format!("{} {}", before.id, before.name)
        };
        lines.push(Line::styled(
            format!("Skipped: {who} at {} · ← to reach it", skipped.join(", ")),
            theme.warn(),
        ));
    }
    // Candidate by candidate: the one before's provisional result, below
    // the candidate now in front of the examiner, named so as not to be
    // taken for theirs; not an earlier candidate's, after the one before
    // was skipped.
    let before = app
        .candidate
        .checked_sub(1)
        .and_then(|i| session.candidates.get(i));
    if let Some(p) = app
        .provisional
        .as_ref()
        .filter(|p| p.candidate.id != candidate.id && before.is_some_and(|b| b.id == p.candidate.id))
    {
        lines.push(Line::raw(""));
        let mut said = provisional_lines(p, theme).into_iter();
        lines.extend(said.next());
        let total = said.next();
        if p.result.outcome == Outcome::Pass {
            lines.extend(total);
        } else {
            reasons_in_room(&mut lines, total, p, main);
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "enter: {}open the sheet · ←/→: another{} · q: quit",
            if asked { "yes, " } else { "" },
            if absence_open { " · x: absent" } else { "" }
        ),
        theme.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            // Not trimmed: the large id's rows keep their leading spaces.
            .wrap(Wrap { trim: false })
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
    let mut lines = vec![
        Line::raw(""),
        Line::styled("Every sheet of this session is submitted.", theme.ok()),
        Line::raw(""),
        Line::raw("All marks are saved. ←/→ goes back to a sheet (amending needs a reason)."),
        Line::raw("Press q or enter to quit."),
    ];
    // The last candidate, submitted early, is still in the room: the calls
    // and time-up still ring for them.
    if let Some(still) = app.still_in_the_room() {
        lines.insert(2, Line::styled(still, theme.warn()));
    }
    // What the last sheet was saved as, where no result is shown below
    // (an absence has none), and always after an amendment (what it was
    // beside what it is now).
    if let Some(n) = app
        .last_submitted
        .as_ref()
        .filter(|n| app.provisional.is_none() || n.starts_with(crate::tui::marking::AMENDMENT_SAVED))
    {
        lines.insert(2, Line::styled(n.clone(), theme.warn()));
    }
    let block = Block::bordered().title(" Done ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // A column clear of the border either side, and room for the lines as
    // they wrap (a long absence reason at 80 columns).
    let [_, inner, _] =
        Layout::horizontal([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let width = usize::from(inner.width).max(1);
    let rows = lines.iter().map(|l| wrapped_rows(l, width)).sum::<usize>() + 1;
    let rows = u16::try_from(rows).unwrap_or(u16::MAX);
    let [top, result] = Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        top,
    );
    // The result and its reasons, left-aligned to be read.
    if let Some(p) = &app.provisional {
        // Two columns in from the border, as on the confirmation.
        let [_, text, _] =
            Layout::horizontal([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)])
                .areas(result);
        frame.render_widget(
            Paragraph::new(provisional_lines(p, theme)).wrap(Wrap { trim: false }),
            text,
        );
    }
}

/// A result other than a pass says why on the next candidate's
/// confirmation, as far as the screen has room with the keys below still
/// on it: a FAIL beside a high total must not read as a mistake. With room
/// for one line only, the reason takes the total's place.
fn reasons_in_room(
    lines: &mut Vec<Line<'static>>,
    total: Option<Line<'static>>,
    p: &ProvisionalResult,
    main: Rect,
) {
    let width = usize::from(main.width.saturating_sub(2)).max(1);
    let rows = |l: &Line| wrapped_rows(l, width);
    let room = usize::from(main.height.saturating_sub(2));
    // The blank line and the keys still to come.
    let mut used = lines.iter().map(rows).sum::<usize>() + 2;
    let reasons: Vec<&str> = p.result.deciding_reasons().map(|r| r.text.as_str()).collect();
    let fits = |used: usize, l: &Line| used + rows(l) <= room;
    match (total, reasons.first()) {
        (Some(_), Some(first)) if !fits(used + 1, &Line::raw(format!("· {first}"))) => {
            if used < room {
                let cut = crate::base::text::fit(&format!("· {first}"), width);
                lines.push(Line::raw(cut.trim_end().to_string()));
            }
            return;
        }
        (total, _) => {
            if let Some(total) = total {
                used += rows(&total);
                lines.push(total);
            }
        }
    }
    for (i, reason) in reasons.iter().enumerate() {
        let line = Line::raw(format!("· {reason}"));
        let after = usize::from(i + 1 < reasons.len());
        if used + rows(&line) + after > room {
            if used < room {
                lines.push(Line::raw(format!(
                    "· and {}",
                    crate::base::text::plural(reasons.len() - i, "more reason", "more reasons")
                )));
            }
            return;
        }
        used += rows(&line);
        lines.push(line);
    }
}

/// How many rows `line` takes wrapped at word boundaries to `width`
/// columns, counted as if one column narrower: never fewer than the
/// screen's own wrapping gives, so that what is counted to fit does.
fn wrapped_rows(line: &Line, width: usize) -> usize {
    let width = width.saturating_sub(1).max(1);
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let mut rows: usize = 1;
    let mut at: usize = 0;
    for word in text.split(' ') {
        let w = ratatui::text::Span::raw(word).width();
        let need = if at == 0 { w } else { at + 1 + w };
        if need <= width {
            at = need;
        } else if w <= width {
            rows += 1;
            at = w;
        } else {
            // A word longer than the row: on rows of its own, broken.
            if at > 0 {
                rows += 1;
            }
            let its_rows = w.div_ceil(width);
            rows += its_rows - 1;
            at = w - (its_rows - 1) * width;
        }
    }
    rows
}

/// A candidate's provisional overall result and the reasons that decided
/// it, labelled provisional and saying where it comes from.
pub fn provisional_lines(p: &ProvisionalResult, theme: &Theme) -> Vec<Line<'static>> {
    let r = &p.result;
    let absent = r
        .stations
        .iter()
        .filter(|s| s.is_scored() && s.outcome == crate::scoring::StationOutcome::Absent)
        .count();
    let style = match r.outcome {
        Outcome::Pass => theme.ok(),
        Outcome::Fail => theme.danger(),
        Outcome::Incomplete => theme.warn(),
    };
    let mut lines = vec![
        Line::styled(
            format!(
                "PROVISIONAL overall result of {}: {}",
                [p.candidate.id.as_str(), p.candidate.name.trim()]
                    .into_iter()
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                r.outcome
            ),
            style,
        ),
        Line::raw(format!(
            "{} · {} of {} {} passed",
            // Never a 0 that reads as marks earned: an absence has no
            // marks, as results.csv gives none.
            match absent {
                0 => format!(
                    "total {} of {}{}",
                    fmt_marks(r.total),
                    fmt_marks(r.max),
                    r.percent()
                        .map_or(String::new(), |pc| format!(" ({}%)", fmt_percent(pc)))
                ),
                n if n == r.stations_scored => format!("absent from every {}: no total", r.noun().one()),
                n => format!("no total: absent from {}", r.noun().count(n)),
            },
            r.stations_passed,
            r.stations_scored,
            r.noun().many()
        )),
    ];
    for reason in r.deciding_reasons() {
        lines.push(Line::raw(format!("· {}", reason.text)));
    }
    // Provisional pass marks only where the rubric leaves them to
    // standard setting: a rubric of fixed ones has none.
    lines.push(Line::styled(
        if p.pass_marks_provisional {
            "Provisional: from the sheets submitted on this laptop, under the rubric's provisional pass marks. \
             Other examiners' sheets, moderation and standard setting may change it; the exam board decides."
        } else {
            "Provisional: from the sheets submitted on this laptop. Other examiners' sheets and moderation may \
             change it; the exam board decides."
        },
        theme.dim(),
    ));
    lines
}
