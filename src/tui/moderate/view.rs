//! Drawing the moderation screens. Views only read the app.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::keys::{Ctx, for_screen};
use super::{AgreedField, AgreedResult, Entry, ModerateApp, Screen};
use crate::base::text::fit;
use crate::results::moderation::CellModeration;
use crate::scoring::{StationOutcome, fmt_marks};
use crate::store::{Decision, TimerAction};
use crate::tui::marking::view::centred;
use crate::tui::theme::Theme;

pub fn render(app: &ModerateApp, frame: &mut Frame, theme: &Theme) {
    let mut area = frame.area();
    if app.too_small() {
        let text = format!(
            "The terminal is {}×{}; moderation needs at least {}×{}. Make the window larger (nothing is lost).",
            app.width,
            app.height,
            super::MIN_WIDTH,
            super::MIN_HEIGHT
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    if let Some(alarm) = app.alarm() {
        area = crate::tui::marking::view::banner(frame, area, alarm, "DECISIONS", theme);
    }
    // The notice (what was saved, why nothing was, the warnings the screen
    // opened with) wrapped whole, on at most four rows.
    let notice_text = app.notice.as_ref().map(|n| {
        let style = if n.error { theme.danger() } else { theme.ok() };
        let lines: Vec<Line> = n
            .text
            .lines()
            .map(|l| Line::styled(l.to_string(), style))
            .collect();
        Paragraph::new(lines).wrap(Wrap { trim: true })
    });
    let notice = notice_text.as_ref().map_or(0, |p| {
        u16::try_from(p.line_count(area.width).clamp(1, 4)).unwrap_or(4)
    });
    let [header, notice_area, body, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(notice),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(app, frame, header, theme);
    if let Some(paragraph) = notice_text {
        frame.render_widget(paragraph, notice_area);
    }
    match &app.screen {
        Screen::List => render_list(app, frame, body, theme),
        Screen::SignOff => {
            render_list(app, frame, body, theme);
            sign_off(app, frame, body, theme);
        }
        Screen::Report(editor) => {
            render_list(app, frame, body, theme);
            let inner = modal(
                frame,
                body,
                "Moderation report",
                body.width.saturating_sub(8),
                body.height.saturating_sub(2),
            );
            frame.render_widget(&editor.text, inner);
        }
        Screen::Sheet => render_sheet(app, frame, body, theme),
        Screen::Disagree(form) => {
            render_sheet(app, frame, body, theme);
            let inner = form_over(app, frame, body, "Disagree", (70, 14), theme);
            let [choice, label, text] =
                Layout::vertical([Constraint::Length(2), Constraint::Length(1), Constraint::Min(1)])
                    .areas(inner);
            let internal = app.current().map(|e| e.internal.outcome.word()).unwrap_or("");
            let mut spans = vec![Span::raw(format!(
                "Examiners' result {internal}; proposed result: "
            ))];
            for p in [crate::store::Proposed::Pass, crate::store::Proposed::Fail] {
                let style = if p == form.proposed {
                    theme.selected()
                } else {
                    theme.dim()
                };
                spans.push(Span::styled(format!(" {} ", p.label()), style));
                spans.push(Span::raw(" "));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), choice);
            frame.render_widget(Line::styled("Rationale (required):", theme.strong()), label);
            frame.render_widget(&form.rationale, text);
        }
        Screen::Jump(text) => {
            render_list(app, frame, body, theme);
            let inner = modal(frame, body, "Go to a candidate", 50, 5);
            let [label, area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            frame.render_widget(Line::from("Their id (the start of it is enough):"), label);
            frame.render_widget(&**text, area);
        }
        Screen::AgreeNote(text) => {
            render_sheet(app, frame, body, theme);
            let inner = form_over(app, frame, body, "Agree, with a comment", (70, 11), theme);
            let [label, area] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
            frame.render_widget(
                Paragraph::new("The examiners' result stands; the comment is kept with your decision.")
                    .wrap(Wrap { trim: true }),
                label,
            );
            frame.render_widget(&**text, area);
        }
        Screen::Refer(text) => {
            render_sheet(app, frame, body, theme);
            let inner = form_over(app, frame, body, "Refer to a third marker", (70, 11), theme);
            let [label, area] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
            frame.render_widget(
                Paragraph::new(
                    "A third marker's sheet for this candidate and station will then decide the station.",
                )
                .wrap(Wrap { trim: true }),
                label,
            );
            frame.render_widget(&**text, area);
        }
        Screen::Agreed(form) => {
            render_sheet(app, frame, body, theme);
            let inner = form_over(app, frame, body, "Agreed mark", (70, 14), theme);
            let [l1, f1, l2, f2, l3] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(2),
                Constraint::Length(1),
                Constraint::Min(1),
                Constraint::Length(2),
            ])
            .areas(inner);
            let max = app
                .current()
                .map(|e| fmt_marks(e.internal.max))
                .unwrap_or_default();
            let mark = |on: bool| if on { theme.strong() } else { theme.dim() };
            frame.render_widget(
                Line::styled(
                    format!("Agreed score (0 to {max}):"),
                    mark(form.field == AgreedField::Score),
                ),
                l1,
            );
            frame.render_widget(&form.score, f1);
            frame.render_widget(
                Line::styled("Who agreed it:", mark(form.field == AgreedField::Note)),
                l2,
            );
            frame.render_widget(&form.note, f2);
            if form.result != AgreedResult::ByScore {
                let chosen = match form.result {
                    AgreedResult::Chosen(r) => r.label(),
                    _ => "not chosen yet",
                };
                frame.render_widget(
                    Paragraph::new(vec![
                        Line::styled(
                            "Agreed result: type p or f (judged by competency or rating)",
                            mark(form.field == AgreedField::Result),
                        ),
                        Line::from(format!("  {chosen}")),
                    ]),
                    l3,
                );
            }
        }
    }
    frame.render_widget(footer_line(app, theme, area.width), footer);
    if app.help {
        help(app, frame, body, theme);
    }
}

fn modal(frame: &mut Frame, area: Rect, title: &str, width: u16, height: u16) -> Rect {
    let outer = centred(area, width.min(area.width), height.min(area.height));
    frame.render_widget(Clear, outer);
    let block = Block::bordered().title(format!(" {title} "));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    inner
}

fn render_header(app: &ModerateApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = usize::from(area.width);
    let own = app.own();
    let signed = app
        .moderation
        .logs
        .iter()
        .filter(|l| l.assessor == own.assessor)
        .find_map(|l| l.signed_off.as_ref().map(|(t, _)| *t));
    let state = match signed {
        Some(t) => format!(
            "SIGNED OFF {}",
            t.with_timezone(&app.utc_offset).format("%d %b %Y %H:%M")
        ),
        None => "not signed off".to_string(),
    };
    let first = format!(
        "Moderation — {}   assessor {} on {}   {state}",
        app.rubric.title, own.assessor, own.device
    );
    let held = |e: &&super::Entry| app.own_decision(e).is_some_and(|(_, h)| h);
    let sample = app.entries.iter().filter(|e| e.in_sample).count();
    let sample_decided = app.entries.iter().filter(|e| e.in_sample).filter(held).count();
    let others = app.entries.iter().filter(|e| !e.in_sample).filter(held).count();
    // Where the rubric moderates every sheet, the sample is every sheet:
    // no percentage, seed or "share of the rest" to speak of.
    let every = app.rubric.moderation == crate::rubric::ModerationPolicy::All;
    let showing = format!(
        "showing {} ({} of {} sheets)",
        if every && app.filter == super::Filter::Sample {
            "the sample: every sheet (the rubric moderates all)"
        } else {
            app.filter.label()
        },
        app.visible.len(),
        app.entries.len()
    );
    // Signed off, and the sample drawn now (from the results as they are
    // now: pass marks adopted or a sheet amended since) is not the one
    // decided: said as such, not as work left undone.
    let second = if signed.is_some() && sample_decided < sample {
        format!(
            "Signed off having decided {} · {} in the sample drawn now not decided (sheets or pass marks changed \
             since) · {showing}",
            crate::base::text::plural(sample_decided + others, "sheet", "sheets"),
            sample - sample_decided
        )
    } else {
        let (review, changed) = app.to_review();
        format!(
            "You have decided {sample_decided} of the {sample} sheets in the sample{}{} · {showing}",
            if others > 0 {
                format!(" (and {others} more)")
            } else {
                String::new()
            },
            if review + changed > 0 {
                format!(" · {} to review", review + changed)
            } else {
                String::new()
            }
        )
    };
    let third = if every {
        format!(
            "Every sheet is to be moderated (the rubric says so) · near the pass mark: within {}% of the maximum",
            app.near_percent
        )
    } else {
        format!(
            "Sample {}% (seed {}) · near the pass mark: within {}% of the maximum",
            app.sample_percent, app.seed, app.near_percent
        )
    };
    let lines = vec![
        Line::styled(fit(&first, width), theme.title()),
        Line::from(fit(&second, width)),
        Line::styled(fit(&third, width), theme.dim()),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// The decision column: this assessor's, then anyone else's.
fn decision_text(app: &ModerateApp, e: &Entry) -> String {
    let mine = match app.own_decision(e) {
        Some((d, true)) => match d.proposed {
            Some(p) => format!("you: disagree → {}", p.label()),
            None => format!(
                "you: {}",
                match d.decision {
                    Decision::Agree => "agree",
                    Decision::Disagree => "disagree",
                    Decision::Refer => "refer",
                }
            ),
        },
        Some((d, false))
            if app.own_decision_as_recorded(e).is_some_and(|(_, holds)| holds)
                && app.under_other_pass_marks(d, e) =>
        {
            if d.internal == crate::scoring::StationOutcome::Incomplete {
                "you: review (a result since)".to_string()
            } else {
                "you: review (pass marks changed)".to_string()
            }
        }
        Some((_, false)) => "you: amended since".to_string(),
        None if app.marked_by_you(e) => "your own sheet".to_string(),
        None => String::new(),
    };
    let others = app
        .moderation
        .decisions(&app.cohort, &e.sheets, &e.candidate, &e.station)
        .iter()
        .filter(|(d, _)| d.assessor != app.own().assessor)
        .count();
    match (mine.is_empty(), others) {
        (true, 0) => "—".to_string(),
        (true, n) => format!("{n} other assessor(s)"),
        (false, 0) => mine,
        (false, n) => format!("{mine} (+{n})"),
    }
}

fn render_list(app: &ModerateApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = usize::from(area.width);
    // Narrow terminals drop the name and the examiner (both on the sheet
    // itself) and shorten the score and flags, so that the decision fits.
    let (name_w, examiner_w, score_w, flags_w) = match width {
        118.. => (16, 9, 11, 18),
        96.. => (0, 9, 7, 12),
        _ => (0, 0, 7, 10),
    };
    let row = |c: &str, n: &str, s: &str, x: &str, sc: &str, p: &str, r: &str, f: &str, d: &str| {
        let column = |text: &str, w: usize| {
            if w > 0 {
                format!("{:<w$} ", fit(text, w))
            } else {
                String::new()
            }
        };
        format!(
            "{:<10} {}{:<10} {}{:>score_w$} {:>6} {:<10} {:<flags_w$} {}",
            fit(c, 10),
            column(n, name_w),
            fit(s, 10),
            column(x, examiner_w),
            sc,
            p,
            r,
            fit(f, flags_w),
            d
        )
    };
    // A final clinical assessment's cases are judged by their entrustment
    // level (the global rating): shown where a pass mark would be.
    let fca = app.rubric.kind == crate::rubric::AssessmentKind::FinalClinicalAssessment;
    let columns = row(
        "candidate",
        "name",
        if fca { "case" } else { "station" },
        "examiner",
        "score",
        if fca { "level" } else { "pass" },
        "result",
        "flags",
        "decision",
    );
    let mut lines = vec![Line::styled(fit(&columns, width), theme.strong())];
    if app.visible.is_empty() {
        let why = if app.entries.is_empty() {
            "No submitted sheets yet: there is nothing to moderate."
        } else {
            "No sheets match this filter: press f for the next one."
        };
        lines.push(Line::styled(why, theme.dim()));
    }
    let rows = usize::from(area.height.saturating_sub(1));
    let start = app.selected.saturating_sub(rows.saturating_sub(1));
    for (n, &i) in app.visible.iter().enumerate().skip(start).take(rows) {
        let e = &app.entries[i];
        let r = &e.internal;
        let examiners: Vec<&str> = e
            .sheets
            .iter()
            .map(|&s| app.cohort.sheets[s].key.examiner.as_str())
            .collect();
        let pass = if fca {
            r.global_rating
                .as_ref()
                .map(|(_, label)| fit(label, 6).trim_end().to_string())
                .unwrap_or_else(|| "—".to_string())
        } else {
            match (
                r.pass_mark.as_ref().and_then(|p| p.marks),
                app.rubric.station(&e.station),
            ) {
                (Some(marks), _) => fmt_marks(marks),
                // Judged otherwise than by marks: the share of items met,
                // or the global rating to reach (the sheet says it whole).
                (None, Some(station)) => match &station.pass_mark {
                    Some(crate::rubric::PassMark::Competency { percent }) => {
                        format!("≥{}%", fmt_marks(*percent))
                    }
                    Some(crate::rubric::PassMark::GlobalRatingAtLeast(level)) => station
                        .global_rating
                        .as_ref()
                        .and_then(|g| app.rubric.scale(g.scale).levels.get(*level))
                        .map(|l| fit(&format!("≥{}", l.label), 6).trim_end().to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                },
                (None, None) => String::new(),
            }
        };
        let mut flags = e.flags.clone();
        // A critical item failed first: in a narrow terminal the flags are
        // cut, and that one says why a sheet fails whatever its score.
        if e.borderline {
            let after_critical = usize::from(flags.first().is_some_and(|f| f == "critical"));
            flags.insert(after_critical, "borderline".into());
        }
        if e.near {
            flags.push("near".into());
        }
        let text = row(
            &e.candidate,
            &e.name,
            &e.station,
            &examiners.join(","),
            &format!("{}/{}", fmt_marks(r.score), fmt_marks(r.max)),
            &pass,
            r.outcome.word(),
            &flags.join(","),
            &decision_text(app, e),
        );
        let style = if n == app.selected {
            theme.selected()
        } else if r.outcome == StationOutcome::Fail {
            theme.warn()
        } else {
            theme.plain()
        };
        lines.push(Line::styled(fit(&text, width), style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn local(app: &ModerateApp, t: &chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&app.utc_offset)
        .format("%d %b %H:%M:%S")
        .to_string()
}

/// Every line of the read-only sheet view.
pub fn sheet_lines(app: &ModerateApp, e: &Entry, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let Some(station) = app.rubric.station(&e.station) else {
        return lines;
    };
    let r = &e.internal;
    let who = if e.name.is_empty() {
        e.candidate.clone()
    } else {
        format!("{} ({})", e.name, e.candidate)
    };
    lines.push(Line::styled(
        format!("{who} — {} ({})", station.title, station.id),
        theme.title(),
    ));
    let pass = match r.pass_mark.as_ref() {
        Some(p) => match p.marks {
            Some(m) => format!("; pass mark {}", fmt_marks(m)),
            None => "; judged by competency or global rating, not by a pass mark".to_string(),
        },
        None => String::new(),
    };
    lines.push(Line::from(format!(
        "Examiners' result: {} — {} of {}{pass}",
        r.outcome.word(),
        fmt_marks(r.score),
        fmt_marks(r.max)
    )));
    if let Some(note) = &e.note {
        lines.push(Line::styled(note.clone(), theme.dim()));
    }
    for reason in &r.reasons {
        // The note says the double marking with who gave what: the reason
        // (in the words a candidate may be told) would say it again.
        let told = reason
            .text
            .split_once("': ")
            .filter(|_| reason.text.starts_with(&format!("{} '", station.noun.one())))
            .map_or(reason.text.as_str(), |(_, rest)| rest);
        if e.note.as_deref().is_some_and(|n| {
            reason.text.contains(n) || (n.starts_with("double-marked (") && told.starts_with("double-marked"))
        }) {
            continue;
        }
        lines.push(Line::from(format!("  · {}", reason.text)));
    }
    for &i in &e.sheets {
        let sheet = &app.cohort.sheets[i];
        let s = &sheet.state;
        lines.push(Line::from(""));
        let submitted = s
            .submitted
            .as_ref()
            .map(|x| format!("submitted {}", local(app, &x.time)))
            .unwrap_or_else(|| "not submitted".into());
        lines.push(Line::styled(
            format!(
                "Sheet of examiner {} on {} — {submitted}",
                sheet.key.examiner, sheet.key.device
            ),
            theme.strong(),
        ));
        // The candidate confirmed under another name than the list's (a
        // name left from the candidate before, say): the sheet may be
        // someone else's.
        if let Some(confirmed) = s.confirmed.as_deref()
            && !confirmed.trim().is_empty()
            && !e.name.trim().is_empty()
            && !crate::base::text::same_name(confirmed, &e.name)
        {
            lines.push(Line::styled(
                format!(
                    "Confirmed on this sheet as {confirmed}, not {}: the name differs (osce status lists the names \
                     that differ)",
                    e.name
                ),
                theme.warn(),
            ));
        }
        if let Some(src) = &s.imported {
            lines.push(Line::styled(format!("Entered from paper: {src}"), theme.warn()));
        }
        for item in &station.items {
            let scale = app.rubric.scale(item.scale);
            let (level, late) = match s.mark(&item.id) {
                Some(m) => (
                    match m.level {
                        Some(l) => scale
                            .levels
                            .get(l)
                            .map(|x| format!("{} ({})", x.label, fmt_marks(x.mark * item.weight)))
                            .unwrap_or_else(|| format!("level {l}?")),
                        None => "not observed".into(),
                    },
                    m.late,
                ),
                None => ("— not marked".into(), false),
            };
            let critical = if item.critical != crate::rubric::Critical::No {
                " [critical]"
            } else {
                ""
            };
            let late = if late { "  LATE" } else { "" };
            lines.push(Line::from(format!("  {}{critical}: {level}{late}", item.text)));
            if let Some(reason) = s.missing_reasons.get(&crate::store::Unmarked::item(&item.id)) {
                lines.push(Line::styled(
                    format!("      missing because: {reason}"),
                    theme.dim(),
                ));
            }
        }
        if let Some(g) = &station.global_rating {
            let scale = app.rubric.scale(g.scale);
            let text = match s.global_rating() {
                Some((l, late)) => format!(
                    "{}{}",
                    scale.levels.get(l).map(|x| x.label.clone()).unwrap_or_default(),
                    if late { "  LATE" } else { "" }
                ),
                None => "— not given".into(),
            };
            lines.push(Line::from(format!("  Global rating: {text}")));
        }
        let text_block = |lines: &mut Vec<Line<'static>>, label: &str, text: &str| {
            if text.trim().is_empty() {
                lines.push(Line::styled(format!("  {label}: (none)"), theme.dim()));
            } else {
                lines.push(Line::from(format!("  {label}:")));
                for l in text.lines() {
                    lines.push(Line::from(format!("    {l}")));
                }
            }
        };
        text_block(&mut lines, "Feedback to the candidate", &s.feedback);
        text_block(&mut lines, "Examiner's private notes", &s.notes);
        for (kind, note) in &s.concerns {
            lines.push(Line::styled(
                format!("  CONCERN ({}): {note}", kind.label()),
                theme.danger(),
            ));
        }
        let timing: Vec<String> = s
            .timer
            .iter()
            .filter_map(|t| {
                let what = match &t.action {
                    TimerAction::Start => "started".to_string(),
                    TimerAction::Pause { reason } if reason.is_empty() => "paused".to_string(),
                    TimerAction::Pause { reason } => format!("paused ({reason})"),
                    TimerAction::PauseReason { reason } => format!("pause reason: {reason}"),
                    TimerAction::Resume => "resumed".to_string(),
                    TimerAction::TimeUp => "time up".to_string(),
                    TimerAction::Advance => "moved on after time-up".to_string(),
                    TimerAction::End => "ended".to_string(),
                    _ => return None,
                };
                // As the export gives them: a start late in a clocked
                // round at the round's start, an end written late when it
                // fell due.
                let when = match &t.action {
                    TimerAction::Start => chrono::Duration::from_std(t.elapsed)
                        .ok()
                        .and_then(|d| t.time.checked_sub_signed(d))
                        .unwrap_or(t.time),
                    _ => t.due.unwrap_or(t.time),
                };
                Some(format!("{what} {}", local(app, &when)))
            })
            .collect();
        if !timing.is_empty() {
            lines.push(Line::from(format!("  Timing: {}", timing.join(", "))));
        }
        for a in &s.amendments {
            lines.push(Line::styled(
                format!(
                    "  Amended {} by {}: {}",
                    local(app, &a.time),
                    a.examiner,
                    a.reason
                ),
                theme.warn(),
            ));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Moderation", theme.strong()));
    let all = app
        .moderation
        .decisions(&app.cohort, &e.sheets, &e.candidate, &e.station);
    if all.is_empty() {
        lines.push(Line::styled("  No decision yet.", theme.dim()));
    }
    for (d, holds) in all {
        let what = match d.proposed {
            Some(p) => format!("disagree, proposing {}", p.label()),
            None => d.decision.label().to_string(),
        };
        let stale = if holds {
            ""
        } else {
            " — a sheet changed since: no longer holds"
        };
        lines.push(Line::from(format!(
            "  {} ({}), {}: {what}{stale}",
            d.assessor,
            d.device,
            local(app, &d.time)
        )));
        if !d.rationale.is_empty() {
            lines.push(Line::from(format!("    {}", d.rationale)));
        }
    }
    if let Some(a) = app
        .moderation
        .agreed_mark(&app.cohort, &e.sheets, &e.candidate, &e.station)
    {
        lines.push(Line::from(format!(
            "  Agreed mark {} recorded by {}: {}",
            fmt_marks(a.score),
            a.assessor,
            a.note
        )));
    } else if e.needs_agreed_mark {
        lines.push(Line::styled(
            "  The markers differ by more than the threshold: waiting for their agreed mark (m).",
            theme.warn(),
        ));
        if let Some((a, who)) =
            app.moderation
                .agreed_mark_set_aside(&app.cohort, &e.sheets, &e.candidate, &e.station)
        {
            lines.push(Line::styled(
                format!(
                    "  {}.",
                    crate::results::moderation::set_aside_words(a, &who).replacen("the", "The", 1)
                ),
                theme.warn(),
            ));
        }
    }
    match app.cell_moderation(e) {
        CellModeration::Conflicting { detail } => {
            lines.push(Line::styled(
                format!("  Assessors differ: {detail}"),
                theme.danger(),
            ));
        }
        CellModeration::Referred { third: Some(t), .. } => {
            let k = &app.cohort.sheets[t].key;
            lines.push(Line::from(format!(
                "  Third marker: {} on {}",
                k.examiner, k.device
            )));
        }
        _ => {}
    }
    lines
}

fn render_sheet(app: &ModerateApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(e) = app.current() else {
        render_list(app, frame, area, theme);
        return;
    };
    let lines = sheet_lines(app, e, theme);
    let block = Block::default().borders(Borders::TOP).title(format!(
        " sheet {} of {} (read-only) ",
        app.selected + 1,
        app.visible.len()
    ));
    let paragraph = Paragraph::new(Text::from(lines))
        .block(block)
        .wrap(Wrap { trim: false });
    // The rows the sheet takes as wrapped at this width, not its lines: a
    // sheet's end is reached at 80 columns too.
    let max_scroll = rows_over(paragraph.line_count(area.width), area.height);
    app.scroll_limit.set(max_scroll);
    frame.render_widget(paragraph.scroll((app.scroll.min(max_scroll), 0)), area);
}

/// How far `rows` must scroll to show their last in `height` rows.
fn rows_over(rows: usize, height: u16) -> u16 {
    u16::try_from(rows.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
}

fn sign_off(app: &ModerateApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (summary, open) = app.sign_off_summary();
    let note = app.sign_off_note();
    let mut lines = vec![
        Line::from(format!("You have decided on {summary}.")),
        Line::from(""),
    ];
    if open.is_empty() {
        lines.push(Line::styled("Nothing is left open.", theme.ok()));
    } else {
        lines.push(Line::styled("Still open:", theme.warn()));
        for o in open {
            lines.push(Line::from(format!("  · {o}")));
        }
    }
    if let Some(note) = note {
        lines.push(Line::from(""));
        lines.push(Line::from(format!("Note: {note}")));
    }
    // What signing off does is always in sight, below what is open (which
    // scrolls where it does not fit).
    let lock = Paragraph::new(Line::styled(
        "Signing off locks this moderation: no decision, agreed mark or report change can be added after it.",
        theme.strong(),
    ))
    .wrap(Wrap { trim: true });
    let body = Paragraph::new(lines).wrap(Wrap { trim: true });
    let width = 76.min(area.width);
    let inside = width.saturating_sub(2);
    let (body_rows, lock_rows) = (body.line_count(inside), lock.line_count(inside));
    let wanted = body_rows + 1 + lock_rows + 2;
    let inner = modal(
        frame,
        area,
        "Sign off",
        width,
        u16::try_from(wanted).unwrap_or(u16::MAX).min(area.height),
    );
    let lock_height = u16::try_from(lock_rows).unwrap_or(u16::MAX).min(inner.height);
    let [top, _, bottom] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(u16::from(inner.height > lock_height)),
        Constraint::Length(lock_height),
    ])
    .areas(inner);
    let max_scroll = rows_over(body_rows, top.height);
    app.scroll_limit.set(max_scroll);
    frame.render_widget(body.scroll((app.scroll.min(max_scroll), 0)), top);
    frame.render_widget(lock, bottom);
}

/// A form drawn over `body` ([`modal`]), its inside given less its last
/// two lines, where the notice (why enter did not record, what esc would throw
/// away) is said: in the form the assessor is looking at, not only at the
/// top of the screen.
fn form_over(
    app: &ModerateApp,
    frame: &mut Frame,
    body: Rect,
    title: &str,
    (w, h): (u16, u16),
    theme: &Theme,
) -> Rect {
    let inner = modal(frame, body, title, w, h);
    let [rest, line] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
    if let Some(n) = &app.notice {
        let style = if n.error { theme.danger() } else { theme.ok() };
        let first = n.text.lines().next().unwrap_or_default();
        frame.render_widget(
            Paragraph::new(Line::styled(first.to_string(), style)).wrap(Wrap { trim: true }),
            line,
        );
    }
    rest
}

fn footer_line(app: &ModerateApp, theme: &Theme, width: u16) -> Line<'static> {
    let ctx = Ctx::of(app);
    // Only what can be done now: once signed off, nothing more can be
    // recorded; while sign-off is blocked, enter only says why.
    let signed = app.signed_off();
    let offered = |(keys, _): &(&str, &str)| match ctx {
        Ctx::List | Ctx::Sheet if signed => !matches!(*keys, "a" | "d" | "r" | "m" | "R" | "S"),
        // Scrolling, only where what is open does not fit (as last drawn:
        // the footer is drawn after the box).
        Ctx::SignOff if *keys == "↑↓" => app.scroll_limit.get() > 0,
        Ctx::SignOff => *keys != "enter" || app.sign_off_blocked().is_none(),
        _ => true,
    };
    let items: Vec<(&str, &str)> = for_screen(ctx, true)
        .filter_map(|b| b.footer)
        .filter(offered)
        .collect();
    let len = |(keys, word): &(&str, &str)| keys.chars().count() + word.chars().count() + 3;
    // Help and quit are always shown, however narrow the terminal: the
    // help lists every key the footer has no room for. Then the decisions
    // themselves, then signing off and the report (which a narrow
    // terminal would otherwise cut first: they come last), then going
    // back or in, then the rest in order.
    let always = |keys: &str| matches!(keys, "?" | "q");
    let rank = |keys: &str| match keys {
        _ if always(keys) => 0,
        "a" | "d" | "r" => 1,
        "S" | "R" => 2,
        "esc" | "enter" | "m" => 3,
        _ => 4,
    };
    let mut by_rank: Vec<usize> = (0..items.len()).collect();
    by_rank.sort_by_key(|&i| rank(items[i].0));
    let mut room = usize::from(width);
    let mut shown = vec![false; items.len()];
    for i in by_rank {
        if always(items[i].0) || len(&items[i]) <= room {
            room = room.saturating_sub(len(&items[i]));
            shown[i] = true;
        }
    }
    let mut spans = Vec::new();
    for (item, _) in items.iter().zip(&shown).filter(|(_, shown)| **shown) {
        spans.push(Span::styled(item.0.to_string(), theme.key()));
        spans.push(Span::raw(format!(" {}  ", item.1)));
    }
    Line::from(spans)
}

fn help(app: &ModerateApp, frame: &mut Frame, area: Rect, theme: &Theme) {
    let under = match app.screen {
        Screen::Sheet => Ctx::Sheet,
        Screen::SignOff => Ctx::SignOff,
        _ => Ctx::List,
    };
    let mut lines = Vec::new();
    for b in for_screen(under, false) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<12}", b.label), theme.key()),
            Span::raw(b.what.to_string()),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "Decisions are saved the moment they are made; the examiners' marks are never changed.",
        theme.dim(),
    ));
    let width = lines.iter().map(Line::width).max().unwrap_or(40) as u16 + 4;
    let inner = modal(frame, area, "Keys", width, lines.len() as u16 + 2);
    frame.render_widget(Paragraph::new(lines), inner);
}
