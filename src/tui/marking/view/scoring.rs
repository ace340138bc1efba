//! The scoring screen: header with the timer, the items, the item in
//! detail, and the keys.

use crate::base::text::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::day::timer::{Phase, fmt_countdown, fmt_overrun};
use crate::rubric::{Critical, Rubric, Station};
use crate::scoring::fmt_marks;
use crate::tui::bigtext;
use crate::tui::marking::{App, Saved, Sheet};
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (Some(sheet), Some(session)) = (&app.sheet, &app.session) else {
        return;
    };
    let rubric = session.rubric.as_ref();
    let station = &rubric.stations[sheet.station];
    let [header, body, notice, footer] = Layout::vertical([
        Constraint::Length(8),
        Constraint::Min(5),
        Constraint::Length(super::notice_height(app, area.width)),
        Constraint::Length(2),
    ])
    .areas(area);
    render_header(app, sheet, rubric, station, frame, header, theme);
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
    render_items(app, sheet, rubric, station, frame, list, theme);
    render_detail(sheet, rubric, station, frame, detail, theme);
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

/// ` · round 3 of 8` in a station circuit, else nothing.
fn round_label(app: &App) -> String {
    let total = app
        .session
        .as_ref()
        .and_then(|s| s.circuit.as_ref())
        .map_or(0, |p| p.rounds.len());
    app.current_round()
        .map_or(String::new(), |r| format!(" · round {} of {total}", r + 1))
}

/// In a station circuit with a start time, the sheet's round by the
/// circuit's clock: `Round 3 of 8 · 4:12 left`, `… · over: now round 4`,
/// `… · starts in 1:30`. The station timer is the examiner's; this is when
/// every station moves on.
fn round_clock(app: &App) -> Option<String> {
    use crate::day::circuit::Standing;
    let plan = app.session.as_ref()?.circuit.as_ref()?;
    let round = app.current_round()?;
    let head = format!("Round {} of {}", round + 1, plan.rounds.len());
    Some(match plan.standing(app.wall)? {
        Standing::Round { index, left } if index == round => format!("{head} · {} left", fmt_countdown(left)),
        Standing::Round { index, .. } if index > round => format!("{head} · over: now round {}", index + 1),
        Standing::Round { .. } | Standing::Before(_) => {
            let begins = app
                .current_candidate()
                .and_then(|c| app.round_span(&c.id))
                .and_then(|(begins, _)| (begins - app.wall).to_std().ok());
            match begins {
                Some(d) => format!("{head} · starts in {}", fmt_countdown(d)),
                None => format!("{head} · not begun"),
            }
        }
        Standing::Over => format!("{head} · the circuit is over"),
    })
}

fn render_header(
    app: &App,
    sheet: &Sheet,
    rubric: &Rubric,
    station: &Station,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let inner = Block::bordered().inner(area);
    let timer_width = u16::try_from(bigtext::width("+00:00") + 2).unwrap_or(40);
    let [left, right] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(timer_width)]).areas(inner);

    let scored: Vec<&Station> = rubric.scored_stations().collect();
    let position = scored
        .iter()
        .position(|s| s.id == station.id)
        .map_or(0, |p| p + 1);
    // Candidate by candidate, where this station falls in the candidate's
    // stations; at a station circuit the station is the examiner's all
    // day, and the round is what moves (a count without the rest stations
    // would not match the rotation's, and would push the round out of an
    // 80-column screen).
    let in_circuit = app
        .session
        .as_ref()
        .is_some_and(|s| matches!(s.mode, crate::tui::marking::Mode::Circuit { .. }));
    let place = if in_circuit {
        String::new()
    } else {
        format!("{} {position}/{}: ", rubric.noun().capital(), scored.len())
    };
    let clock = round_clock(app);
    // The round is what moves: where the line is too long for the header
    // (80 columns), the station's title is cut, not the round.
    let round = round_label(app);
    let room = usize::from(left.width).saturating_sub(place.chars().count() + round.chars().count());
    let mut lines = vec![
        Line::from(vec![
            Span::styled(place, theme.strong()),
            Span::styled(
                if station.title.chars().count() <= room {
                    station.title.clone()
                } else {
                    crate::base::text::fit(&station.title, room.max(1))
                },
                theme.strong(),
            ),
            Span::raw(round),
        ]),
        Line::from(vec![
            Span::raw("Candidate "),
            Span::styled(
                format!("{}  {}", sheet.candidate.id, sheet.candidate.name),
                theme.strong(),
            ),
        ]),
        // In a circuit on the clock, when the round ends matters more
        // than who marks (the confirmation screen said that).
        match &clock {
            Some(clock) => Line::styled(clock.clone(), theme.strong()),
            None => Line::raw(format!(
                "Examiner {} · device {}",
                sheet.key.examiner, sheet.key.device
            )),
        },
    ];
    // The lines that may go where the header has no room for all, in
    // order (below): first this one, the examiner's or the round clock's
    // (into the frame's title).
    let third = lines.len() - 1;
    let mut spare = vec![third];
    let state = &sheet.state;
    // An absence with its reason first: at 80 columns the rest of the
    // line is cut before it.
    let sheet_status = if let Some(reason) = &state.absent {
        let reason = reason.trim();
        Span::styled(
            if reason.is_empty() {
                "ABSENT".to_string()
            } else {
                format!("ABSENT ({reason})")
            },
            theme.warn(),
        )
    } else if state.is_locked() {
        Span::styled("SUBMITTED · locked", theme.ok())
    } else if state.amending.is_some() {
        Span::styled("AMENDING", theme.warn())
    } else {
        Span::raw("open")
    };
    let saved = match &app.saved {
        Saved::Nothing => Span::raw("nothing saved yet"),
        Saved::Saving => Span::styled("saving…", theme.warn()),
        // What is on disk stays on disk; with the folder unwritable now
        // (the open sheet's file may still take lines, a new sheet cannot
        // be made), a green tick would say all is well.
        Saved::Saved { seq, time } if matches!(app.disk, crate::store::Health::Unwritable(_)) => {
            Span::styled(
                format!(
                    "saved #{seq} {} · folder NOT writable",
                    time.with_timezone(&app.utc_offset).format("%H:%M:%S")
                ),
                theme.danger(),
            )
        }
        Saved::Saved { seq, time } => Span::styled(
            format!(
                "saved ✓ #{seq} {}",
                time.with_timezone(&app.utc_offset).format("%H:%M:%S")
            ),
            theme.ok(),
        ),
        Saved::Failed(why) => Span::styled(format!("NOT SAVED: {}", why.headline), theme.danger()),
    };
    let width = usize::from(left.width);
    let status = Line::from(vec![Span::raw("Sheet "), sheet_status, Span::raw(" · "), saved]);
    let total = rubric
        .examiner_view
        .show_running_total
        .then(|| app.summary().map(|s| (s.result.score, s.result.max)))
        .flatten()
        .map(|(score, max)| format!("{} / {}", fmt_marks(score), fmt_marks(max)));
    // Where the line has no room for the total (80 columns), the total
    // has a line of its own rather than be cut (if the header has room:
    // below). Each such line, and the line it would join, are kept.
    let mut split: Vec<(usize, Line<'static>)> = Vec::new();
    match total {
        Some(total) => {
            let mut whole = status.clone();
            whole.push_span(Span::raw(format!(" · total {total}")));
            if whole.width() <= width {
                lines.push(whole);
            } else {
                lines.push(status);
                lines.push(Line::raw(format!("Total {total}")));
                split.push((lines.len() - 1, whole));
            }
        }
        None => lines.push(status),
    }
    // An earlier sheet open while the next candidate was called in: said
    // until the examiner is back with them (the notice goes at a key), on
    // two lines where one would cut who it is.
    if let Some(words) = app.waiting_for_you() {
        let said = Line::styled(format!("Called in, waiting for you: {words}"), theme.warn());
        if said.width() <= width {
            lines.push(said);
        } else {
            lines.push(Line::styled("Called in, waiting for you:", theme.warn()));
            lines.push(Line::styled(words.to_string(), theme.warn()));
            split.push((lines.len() - 1, said));
        }
    }
    if sheet.quarantine.is_some() {
        lines.push(Line::styled(
            "A torn write was set aside when this sheet opened: check its last marks (osce audit)",
            theme.danger(),
        ));
    }
    // Which comments the sheet holds, so that none is forgotten; a draft
    // (typed, not saved: a crash while typing) first, as it needs saving.
    let drafts: Vec<&str> = [
        (state.feedback_draft.is_some(), "feedback"),
        (state.notes_draft.is_some(), "notes"),
    ]
    .into_iter()
    .filter_map(|(draft, word)| draft.then_some(word))
    .collect();
    let written: Vec<&str> = [
        (
            state.feedback_draft.is_none() && !state.feedback.is_empty(),
            "feedback ✓",
        ),
        (state.notes_draft.is_none() && !state.notes.is_empty(), "notes ✓"),
    ]
    .into_iter()
    .filter_map(|(saved, word)| saved.then_some(word))
    .collect();
    // A concern's note typed and not saved: f shows it.
    let concern = (!state.concern_drafts.is_empty()).then_some("concern (f)");
    if !drafts.is_empty() || concern.is_some() {
        // Submitted with the draft left unsaved: c is refused on a locked
        // sheet, so the way to it is the amendment.
        let how = if state.is_locked() {
            "A to amend and save"
        } else {
            "c"
        };
        let said: Vec<String> = (!drafts.is_empty())
            .then(|| format!("{} ({how})", drafts.join(", ")))
            .into_iter()
            .chain(concern.map(str::to_string))
            .collect();
        let mut spans = vec![Span::styled(
            format!("Unsaved draft: {}", said.join(", ")),
            theme.warn(),
        )];
        if !written.is_empty() {
            spans.push(Span::raw(format!(" · {}", written.join(" · "))));
        }
        lines.push(Line::from(spans));
    } else if !written.is_empty() {
        spare.push(lines.len());
        lines.push(Line::from(vec![
            Span::raw("Comments: "),
            Span::styled(written.join(" · "), theme.ok()),
        ]));
    }
    if !state.concerns.is_empty() {
        let kinds: Vec<&str> = state.concerns.keys().map(|k| k.label()).collect();
        lines.push(Line::styled(
            format!("CONCERN flagged: {}", kinds.join(", ")),
            theme.danger(),
        ));
    }
    // Where the header has no room for every line: the examiner's line
    // (or the round clock's) goes into the frame's title, then the
    // comments written go, then a line split for room joins the one above
    // again (cut at its end): never the candidate, a concern or a warning.
    let room = usize::from(left.height);
    let mut gone: Vec<usize> = Vec::new();
    for at in spare.into_iter().chain(split.iter().rev().map(|(at, _)| *at)) {
        if lines.len() - gone.len() > room {
            gone.push(at);
        }
    }
    for (at, whole) in split {
        if gone.contains(&at) {
            lines[at - 1] = whole;
        }
    }
    let third_gone = gone.contains(&third);
    gone.sort_unstable();
    for at in gone.into_iter().rev() {
        lines.remove(at);
    }
    // Where the round clock (or want of room) takes the examiner's line,
    // who marks is in the frame's title: a mistyped id shows while
    // marking; so does the round clock where it had no room.
    let title = match (&clock, third_gone) {
        (None, false) => format!(" {} ", rubric.title),
        // Who first: a long title is cut, never the examiner.
        (None, true) | (Some(_), false) => format!(
            " examiner {} · device {} · {} ",
            sheet.key.examiner, sheet.key.device, rubric.title
        ),
        (Some(clock), true) => format!(
            " {clock} · examiner {} · device {} · {} ",
            sheet.key.examiner, sheet.key.device, rubric.title
        ),
    };
    frame.render_widget(Block::bordered().title(Line::styled(title, theme.title())), area);
    // A long name or status is cut with "…" before the timer's digits.
    let lines: Vec<Line<'static>> = lines.into_iter().map(|l| super::fit_line(l, width)).collect();
    frame.render_widget(Paragraph::new(lines), left);

    // The timer, large.
    let (label, big, style) = match &sheet.timer {
        None => ("untimed".to_string(), String::new(), theme.dim()),
        Some(timer) => {
            let d = timer.display(app.now);
            let text = if d.phase == Phase::Overrun {
                fmt_overrun(d.time)
            } else {
                fmt_countdown(d.time)
            };
            let locked = sheet.state.is_locked();
            let plan = timer.plan();
            let (mut label, text) = match d.phase {
                Phase::NotStarted if locked => ("not timed · submitted".to_string(), String::new()),
                // Amended after the candidate left: nothing to time.
                Phase::NotStarted if sheet.state.submitted.is_some() => {
                    ("not timed · amending".to_string(), String::new())
                }
                // Marked after the candidate's round, by the clock.
                Phase::NotStarted if app.round_over_by_clock(&sheet.candidate.id) => {
                    ("not timed · round over".to_string(), String::new())
                }
                // By the circuit's clock the timer would start with the
                // round: what it would show.
                Phase::NotStarted => match app.how_far_into_round(&sheet.candidate.id) {
                    Some((round, Err(until))) => (
                        format!("READY · round {round} begins in {}", fmt_countdown(until)),
                        String::new(),
                    ),
                    Some((_, Ok(into))) if into < plan.reading => {
                        let left = fmt_countdown(plan.reading - into);
                        (format!("READY · reading {left} · space starts"), left)
                    }
                    Some((_, Ok(into))) => match (plan.reading + plan.station).checked_sub(into) {
                        Some(left) if !left.is_zero() => {
                            let left = fmt_countdown(left);
                            (format!("READY · station {left} · space starts"), left)
                        }
                        _ => ("not timed · station time over".to_string(), String::new()),
                    },
                    None => (format!("READY {text} · space starts"), text),
                },
                Phase::Overrun if plan.changeover.is_zero() => {
                    (format!("TIME UP · overrun {text} (a: move on)"), text)
                }
                Phase::Overrun => (format!("TIME UP · overrun {text} (a: changeover)"), text),
                // Stopped by the end of the candidate's round, not by a
                // submission.
                Phase::Done
                    if sheet.state.submitted.is_none()
                        && timer.stopped_in().is_some()
                        && app.round_over_by_clock(&sheet.candidate.id) =>
                {
                    ("stopped with the round".to_string(), String::new())
                }
                // Stopped early: say where, never "time up".
                Phase::Done => match timer.stopped_in() {
                    Some((Phase::Reading, _)) => ("submitted during reading".to_string(), String::new()),
                    Some((Phase::Station, at)) => {
                        let left = fmt_countdown((plan.reading + plan.station).saturating_sub(at));
                        (format!("stopped with {left} of station time left"), String::new())
                    }
                    Some((Phase::Overrun, at)) => {
                        let over = fmt_overrun(at.saturating_sub(plan.reading + plan.station));
                        (format!("TIME UP · stopped at overrun {over}"), String::new())
                    }
                    Some((Phase::Changeover, _)) => {
                        ("TIME UP · stopped in changeover".to_string(), String::new())
                    }
                    _ => ("TIME UP · finished".to_string(), text),
                },
                p => (format!("{} {text}", p.name().to_uppercase()), text),
            };
            let mut style = theme.strong();
            if let Some(w) = d.warning {
                label = format!("STATION {text} · {} warning", fmt_countdown(w));
                style = theme.warn();
            }
            if matches!(d.phase, Phase::Overrun | Phase::Changeover)
                || (d.phase == Phase::Done && label.starts_with("TIME UP"))
            {
                style = theme.danger();
            }
            if d.paused {
                label = format!("PAUSED · {label}");
                style = theme.warn();
            }
            (label, text, style)
        }
    };
    let mut timer_lines: Vec<Line> = bigtext::big(&big)
        .into_iter()
        .map(|r| Line::styled(r, style))
        .collect();
    timer_lines.truncate(usize::from(right.height.saturating_sub(1)));
    timer_lines.push(Line::styled(label, style));
    frame.render_widget(Paragraph::new(timer_lines), right);
}

/// An item's row: the level given (its label; with `short`, its key, as
/// the Level pane lists it, where the labels would leave the items' text
/// too little room) and the marks it gives.
fn item_row_text(
    sheet: &Sheet,
    rubric: &Rubric,
    item: &crate::rubric::Item,
    short: bool,
) -> (String, String) {
    let scale = rubric.scale(item.scale);
    match sheet.state.mark(&item.id) {
        None => match sheet
            .state
            .missing_reasons
            .get(&crate::store::Unmarked::item(&item.id))
        {
            Some(_) if short => ("— (reason)".to_string(), String::new()),
            Some(_) => ("— (reason given)".to_string(), String::new()),
            None => ("—".to_string(), String::new()),
        },
        Some(m) => {
            let late = match (m.late, short) {
                (false, _) => "",
                (true, false) => " (late)",
                (true, true) => " late",
            };
            match m.level {
                None if short => (format!("not obs.{late}"), String::new()),
                None => (format!("not observed{late}"), String::new()),
                Some(l) => {
                    let level = &scale.levels[l];
                    (
                        if short {
                            format!("[{l}]{late}")
                        } else {
                            format!("{}{late}", level.label)
                        },
                        format!(
                            "{}/{}",
                            fmt_marks(level.mark * item.weight),
                            fmt_marks(rubric.item_max(item))
                        ),
                    )
                }
            }
        }
    }
}

fn render_items(
    app: &App,
    sheet: &Sheet,
    rubric: &Rubric,
    station: &Station,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let block = Block::bordered().title(" Items ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let rows = station.items.len() + usize::from(station.global_rating.is_some());
    // Keep the cursor in view.
    let height = usize::from(inner.height).max(1);
    let first = sheet
        .cursor
        .saturating_sub(height.saturating_sub(1))
        .min(rows.saturating_sub(height));
    let mut lines = Vec::new();
    // The value and marks columns are as wide as what they show on screen,
    // and the item's text has the rest of the width.
    let row_texts = |short: bool| -> Vec<(usize, &crate::rubric::Item, (String, String))> {
        station
            .items
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(i, item)| (i, item, item_row_text(sheet, rubric, item, short)))
            .collect()
    };
    let widths = |shown: &[(usize, &crate::rubric::Item, (String, String))]| {
        let value = shown
            .iter()
            .map(|(_, _, (v, _))| v.chars().count())
            .max()
            .unwrap_or(1);
        let marks = shown
            .iter()
            .map(|(_, _, (_, m))| m.chars().count())
            .max()
            .unwrap_or(0);
        (value, marks)
    };
    // The prefix (pointer, critical mark, number) and the spaces between
    // the columns.
    const FIXED: usize = 7;
    const ENOUGH: usize = 28;
    let mut shown = row_texts(false);
    let (mut value_width, mut marks_width) = widths(&shown);
    // Where the level labels would leave an item's text cut short (at 80
    // columns, "Explains the fre… Not yet competent"), each level is its
    // key instead, as the Level pane lists them, and the text has the room.
    let room = width.saturating_sub(FIXED + value_width + marks_width);
    if room < ENOUGH && shown.iter().any(|(_, item, _)| item.text.chars().count() > room) {
        shown = row_texts(true);
        (value_width, marks_width) = widths(&shown);
    }
    for (i, item, (value, marks)) in shown {
        let critical = if item.critical == Critical::No { " " } else { "!" };
        let pointer = if i == sheet.cursor { "▶" } else { " " };
        let right = if marks_width == 0 {
            format!(" {value:<value_width$}")
        } else {
            format!(" {value:<value_width$} {marks:>marks_width$}")
        };
        let prefix = format!("{pointer}{critical}{:>2} ", i + 1);
        let room = width.saturating_sub(prefix.chars().count() + right.chars().count());
        let line = format!("{prefix}{}{right}", fit(&item.text, room));
        let style = if i == sheet.cursor {
            theme.selected()
        } else if sheet.state.mark(&item.id).is_none() {
            theme.plain()
        } else {
            theme.dim()
        };
        lines.push(Line::styled(line, style));
    }
    if let Some(g) = &station.global_rating
        && station.items.len() >= first
        && lines.len() < height
    {
        let i = station.items.len();
        let value = match sheet.state.global_rating() {
            Some((l, late)) => format!(
                "{}{}",
                rubric.scale(g.scale).levels[l].label,
                if late { " (late)" } else { "" }
            ),
            None if sheet
                .state
                .missing_reasons
                .contains_key(&crate::store::Unmarked::GlobalRating) =>
            {
                "— (reason given)".to_string()
            }
            None => "—".to_string(),
        };
        let pointer = if i == sheet.cursor { "▶" } else { " " };
        let line = format!("{pointer}  G Global rating: {value}");
        let style = if i == sheet.cursor {
            theme.selected()
        } else {
            theme.strong()
        };
        lines.push(Line::styled(fit(&line, width), style));
    }
    let _ = app;
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What is given for the row the detail pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Given {
    Nothing,
    Level(usize),
    NotObserved,
}

/// How many rows `lines` take wrapped to `width`, erring high: a line
/// that wraps may take a row more than its length says, as words move.
fn rows(lines: &[Line], width: u16) -> usize {
    let width = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| match l.width() {
            w if w <= width => 1,
            w => w.div_ceil(width) + 1,
        })
        .sum()
}

fn render_detail(
    sheet: &Sheet,
    rubric: &Rubric,
    station: &Station,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let block = Block::bordered().title(" Level ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    let (scale, current, descriptors, header): (_, Given, Vec<Option<String>>, Vec<Line>) =
        match station.items.get(sheet.cursor) {
            Some(item) => {
                let scale = rubric.scale(item.scale);
                let mut header = vec![Line::styled(item.text.clone(), theme.strong())];
                let mut facts = format!("max {}", crate::scoring::marks_words(rubric.item_max(item)));
                if (item.weight - 1.0).abs() > f64::EPSILON {
                    facts.push_str(&format!(" · weight ×{}", fmt_marks(item.weight)));
                }
                header.push(Line::raw(facts));
                if item.critical != Critical::No {
                    let scope = if item.critical == Critical::FailsAssessment {
                        "assessment"
                    } else {
                        rubric.noun().one()
                    };
                    header.push(Line::styled(
                        format!(
                            "CRITICAL: below \"{}\" fails the {scope}",
                            scale.levels[item.meets].label
                        ),
                        theme.warn(),
                    ));
                }
                let current = match sheet.state.mark(&item.id) {
                    None => Given::Nothing,
                    Some(m) => m.level.map_or(Given::NotObserved, Given::Level),
                };
                (scale, current, item.descriptors.clone(), header)
            }
            None => {
                let Some(g) = &station.global_rating else { return };
                let scale = rubric.scale(g.scale);
                let mut header = vec![Line::styled("Global rating", theme.strong())];
                if let Some(p) = &g.prompt {
                    header.push(Line::raw(p.clone()));
                }
                if let Some(crate::rubric::PassMark::GlobalRatingAtLeast(level)) = &station.pass_mark {
                    header.push(Line::styled(
                        format!(
                            "Decides the {}: a pass needs \"{}\" or above. Not added to the score.",
                            rubric.noun().one(),
                            scale.levels[*level].label
                        ),
                        theme.warn(),
                    ));
                } else {
                    header.push(Line::styled("Not added to the score.", theme.dim()));
                }
                let current = sheet
                    .state
                    .global_rating()
                    .map_or(Given::Nothing, |(l, _)| Given::Level(l));
                let descriptors = scale.levels.iter().map(|l| l.descriptor.clone()).collect();
                (scale, current, descriptors, header)
            }
        };
    // Each level, and its descriptor where the scale is short enough.
    let mut levels: Vec<(Line, Option<Line>)> = Vec::new();
    for (i, level) in scale.levels.iter().enumerate() {
        let chosen = current == Given::Level(i);
        let marker = if chosen { "●" } else { " " };
        let key = if scale.levels.len() > 10 {
            format!("{i:>3}")
        } else {
            format!("[{i}]")
        };
        let style = if chosen { theme.selected() } else { theme.plain() };
        let mut spans = vec![
            Span::styled(format!("{marker}{key} "), theme.key()),
            Span::styled(level.label.clone(), style),
        ];
        if station.items.get(sheet.cursor).is_some() {
            let weight = station.items[sheet.cursor].weight;
            let marks = level.mark * weight;
            let unit = if marks == 1.0 { "mark" } else { "marks" };
            spans.push(Span::styled(
                format!("  {} {unit}", fmt_marks(marks)),
                theme.dim(),
            ));
        }
        if scale.borderline == Some(i) && station.items.get(sheet.cursor).is_none() {
            spans.push(Span::styled("  (borderline)", theme.dim()));
        }
        let descriptor = match descriptors.get(i) {
            Some(Some(d)) if scale.levels.len() <= 10 => Some(Line::styled(format!("     {d}"), theme.dim())),
            _ => None,
        };
        levels.push((Line::from(spans), descriptor));
    }
    let mut tail: Vec<Line> = Vec::new();
    if scale.not_observed && station.items.get(sheet.cursor).is_some() {
        let chosen = current == Given::NotObserved;
        let style = if chosen { theme.selected() } else { theme.plain() };
        tail.push(Line::from(vec![
            Span::styled(format!("{}[n] ", if chosen { "●" } else { " " }), theme.key()),
            Span::styled("not observed", style),
        ]));
    }
    if !sheet.digits.is_empty() {
        tail.push(Line::raw(""));
        tail.push(Line::styled(
            format!("typed: {}_  (enter to confirm)", sheet.digits),
            theme.warn(),
        ));
    }
    // Every level stays in sight on a small screen: the descriptors go
    // first, then all of the header but its first line.
    let fits = |lines: &[Line]| rows(lines, inner.width) <= usize::from(inner.height);
    let described = levels.iter().any(|(_, d)| d.is_some());
    for attempt in 0..3 {
        lines.clear();
        match attempt {
            0 | 1 => lines.extend(header.iter().cloned()),
            _ => lines.extend(header.iter().take(1).cloned()),
        }
        lines.push(Line::raw(""));
        for (level, descriptor) in &levels {
            lines.push(level.clone());
            if attempt == 0
                && let Some(d) = descriptor
            {
                lines.push(d.clone());
            }
        }
        lines.extend(tail.iter().cloned());
        if fits(&lines) {
            // The descriptors left out are a key away.
            if attempt > 0 && described {
                lines.push(Line::styled("i: each level's descriptor", theme.dim()));
                if !fits(&lines) {
                    lines.pop();
                }
            }
            break;
        }
    }
    frame.render_widget(
        Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }),
        inner,
    );
}
