//! The CSV files for the exam board and the student records system:
//! results, stations, items, marks and moderation. Columns and their order
//! are documented in `docs/export-format.md`; keep the two in step.
//!
//! Tables are built as plain data first (testable without files), then
//! written atomically: each file goes to a temporary name, is fsynced, and
//! is renamed into place, so a crash leaves the old file or the new one,
//! never half of one. Earlier exports are never overwritten unless asked.

use std::borrow::Cow;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::results::gather::{Cohort, FoundSheet, Matrix};
use crate::results::moderation::Moderation;
use crate::results::reconcile::{CandidateResult, StationDetail};
use crate::rubric::Rubric;
use crate::scoring::{PassMarkSource, StationOutcome, fmt_marks, fmt_percent};
use crate::store::{Decision, TimerAction};

/// Whether a column holds numbers (left as they are) or text (neutralised).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
}

/// One CSV file: a header and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<(String, Kind)>,
    pub rows: Vec<Vec<String>>,
}

/// Makes a text cell safe to open in a spreadsheet: a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
/// formula, so it gets a leading apostrophe, which spreadsheets show as
/// text and do not display.
pub fn neutralise(cell: &str) -> String {
    neutralised(cell).into_owned()
}

/// [`neutralise`], copying only a cell that changes (a million rows of
/// cells go through here in a large export).
fn neutralised(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

impl Table {
    /// The file's bytes: RFC 4180 (comma, CRLF, quotes where needed), UTF-8.
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        Ok(self.csv(true)?.1)
    }

    /// The header's CSV bytes (with the header alone, the whole file) or
    /// the rows' alone (as they follow the header in the file): the rows of
    /// one part of an export's candidates.
    fn csv(&self, with_header: bool) -> Result<(usize, Vec<u8>), csv::Error> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // The header is always written first, so that the writer checks
        // the length of every row against it.
        // Headers can come from a rubric or a flag: as safe as any cell.
        w.write_record(self.columns.iter().map(|(c, _)| neutralised(c).into_owned()))?;
        w.flush()?;
        let header = if with_header { 0 } else { w.get_ref().len() };
        for row in &self.rows {
            let cells = row.iter().zip(&self.columns).map(|(cell, (_, kind))| match kind {
                Kind::Number => Cow::Borrowed(cell.as_bytes()),
                Kind::Text => match neutralised(cell) {
                    Cow::Borrowed(cell) => Cow::Borrowed(cell.as_bytes()),
                    Cow::Owned(cell) => Cow::Owned(cell.into_bytes()),
                },
            });
            w.write_record(cells)?;
        }
        let mut bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
        bytes.drain(..header);
        Ok((self.rows.len(), bytes))
    }
}

fn cols(spec: &[(&str, Kind)]) -> Vec<(String, Kind)> {
    spec.iter()
        .map(|(name, kind)| (name.to_string(), *kind))
        .collect()
}

fn source_word(s: PassMarkSource) -> String {
    match s {
        PassMarkSource::Fixed => "fixed".to_string(),
        PassMarkSource::Provisional(m) => format!("provisional ({m} not yet applied)"),
        PassMarkSource::StandardSet(m) => format!("standard-set ({m})"),
        PassMarkSource::Competency => "competency".to_string(),
        PassMarkSource::GlobalRating => "global rating".to_string(),
    }
}

/// `results.csv`: one row per candidate.
pub fn results_table(results: &[CandidateResult]) -> Table {
    use Kind::*;
    let columns = cols(&[
        ("candidate_id", Text),
        ("name", Text),
        ("total", Number),
        ("maximum", Number),
        ("percent", Number),
        ("stations_passed", Number),
        ("stations_scored", Number),
        ("critical_fails", Number),
        ("result", Text),
        ("provisional", Text),
        ("moderation_status", Text),
        ("decisions", Text),
        ("final_result", Text),
        ("reasons", Text),
        ("components", Text),
        ("module_mark", Number),
        ("final_total", Number),
        ("final_percent", Number),
    ]);
    let rows = results
        .iter()
        .map(|c| {
            let r = &c.result;
            // What decided the final result, and every change moderation
            // made, whichever way it went.
            // A deferred candidate has no result at this sitting: what the
            // marks so far would be judged by is beside the point.
            let mut reasons: Vec<String> = match &c.deferred {
                Some(d) => [
                    Some(format!("deferred: {d}")),
                    Some(format!(
                        "no result at this sitting ({} of {} marks so far)",
                        crate::scoring::fmt_marks(c.final_result.total),
                        crate::scoring::fmt_marks(c.final_result.max)
                    )),
                    // A FAIL the marks give whatever the absence: not
                    // hidden by the deferral.
                    c.fail_set_aside().map(|why| {
                        format!("set aside by the deferral: the marks so far fail the assessment whatever the rest ({why})")
                    }),
                ]
                .into_iter()
                .flatten()
                .collect(),
                None => c
                    .final_result
                    .deciding_reasons()
                    .map(|x| x.text.clone())
                    .collect(),
            };
            for m in &c.moderation_reasons {
                if !reasons.contains(&m.text) {
                    reasons.push(m.text.clone());
                }
            }
            // A candidate with no score at any station (no sheet in, or
            // absent throughout) has no total: an empty cell, never a 0
            // that reads as marks earned, as stations.csv says it.
            let scored = c
                .stations
                .values()
                .any(|d| d.result.outcome != StationOutcome::Absent && !d.sheets.is_empty());
            vec![
                c.candidate.clone(),
                c.name.clone(),
                if scored { fmt_marks(r.total) } else { String::new() },
                fmt_marks(r.max),
                if scored {
                    r.percent().map(fmt_percent).unwrap_or_default()
                } else {
                    String::new()
                },
                // After moderation, as the final result counts them.
                c.final_result.stations_passed.to_string(),
                r.stations_scored.to_string(),
                r.critical_fails.len().to_string(),
                r.outcome.to_string(),
                if r.provisional.is_empty() {
                    "no".into()
                } else {
                    format!("yes: {}", r.provisional.join("; "))
                },
                c.moderation_status.clone(),
                c.stations
                    .iter()
                    .flat_map(|(station, d)| d.decided.iter().map(move |h| format!("{station}: {}", h.words)))
                    .chain(c.component_decisions.iter().map(|(_, h)| h.words.clone()))
                    .collect::<Vec<_>>()
                    .join("; "),
                c.final_word(),
                reasons.join("; "),
                // Last, so that files read by column number before they
                // came still read.
                components_words(c),
                module_mark_cell(c),
                // After moderation (a referral's third marker's score in
                // place of the examiners'), as marks.csv's total counts.
                if scored && c.deferred.is_none() {
                    fmt_marks(c.final_result.total)
                } else {
                    String::new()
                },
                if scored && c.deferred.is_none() {
                    c.final_result.percent().map(fmt_percent).unwrap_or_default()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    Table {
        name: "results.csv",
        columns,
        rows,
    }
}

/// Every component's result after moderation and decisions, and the
/// module mark where components are weighted: `cases: PASS; logbook: FAIL;
/// module mark 64%`; a component deferred is `DEFERRED`. Empty for a
/// rubric without components.
fn components_words(candidate: &CandidateResult) -> String {
    let r = &candidate.final_result;
    let deferred = |id: &str| {
        candidate.component_decisions.iter().any(|(c, held)| {
            c == id
                && matches!(
                    held.ruling,
                    crate::results::decisions::Ruling::Component {
                        result: crate::results::decisions::ComponentValue::Deferred,
                        ..
                    }
                )
        })
    };
    let mut parts: Vec<String> = r
        .components
        .iter()
        .map(|c| match c.percent_words() {
            _ if deferred(&c.component) => format!("{}: DEFERRED", c.component),
            Some(p) => format!("{}: {} ({p}%)", c.component, c.outcome),
            None => format!("{}: {}", c.component, c.outcome),
        })
        .collect();
    parts.extend(r.module_mark_words());
    parts.join("; ")
}

/// The module mark of a module of weighted components, as marks.csv's
/// `module_mark` gives it (never its pass mark when it missed it): empty
/// where there is none yet, or the candidate is deferred.
fn module_mark_cell(c: &CandidateResult) -> String {
    match (&c.deferred, c.final_result.module_mark) {
        (None, Some(m)) => match c.final_result.module_pass {
            Some(line) => crate::scoring::fmt_percent_beside(m, line),
            None => fmt_percent(m),
        },
        _ => String::new(),
    }
}

/// The sheet of the third marker an assessor referred the station to,
/// where it is in and is not one of the examiners' sheets already (a
/// `ThirdMarker` rubric's third marker is one of them): its result is the
/// station's after moderation.
fn referral_third_marker(d: &StationDetail) -> Option<usize> {
    match &d.moderation {
        crate::results::moderation::CellModeration::Referred { third: Some(t), .. }
            if !d.sheets.contains(t) =>
        {
            Some(*t)
        }
        _ => None,
    }
}

/// Where a third marker's sheet gives the station's result after
/// moderation: whose, and what it gave, for `note` (the examiners' score
/// is in `score`).
fn third_marker_words(cohort: &Cohort, d: &StationDetail) -> Option<String> {
    let t = referral_third_marker(d)?;
    let crate::results::moderation::CellModeration::Referred { by, .. } = &d.moderation else {
        return None;
    };
    let key = &cohort.sheets[t].key;
    let f = &d.final_result;
    Some(format!(
        "third marker {} ({}) gave {} of {} ({}) after referral by {}: their marks (in items.csv) give the result \
         and the score after moderation",
        key.examiner,
        key.device,
        fmt_marks(f.score),
        fmt_marks(f.max),
        f.outcome.word(),
        by.join(", ")
    ))
}

/// `stations.csv`: one row per candidate × scored station.
/// The `decisions` cell of a station's row: the exam lead's decisions in
/// force there; at an absence with none of its own, the deferral
/// recorded at another station, which settles it too.
fn station_decisions(c: &CandidateResult, d: &crate::results::reconcile::StationDetail) -> String {
    if d.decided.is_empty()
        && d.final_result.outcome == StationOutcome::Absent
        && let Some(deferred) = &c.deferred
    {
        return format!("the candidate is deferred, which settles this absence too: {deferred}");
    }
    d.decided
        .iter()
        .map(|h| h.words.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn stations_table(rubric: &Rubric, cohort: &Cohort, results: &[CandidateResult]) -> Table {
    use Kind::*;
    let columns = cols(&[
        ("candidate_id", Text),
        ("station_id", Text),
        ("station", Text),
        ("score", Number),
        ("maximum", Number),
        ("percent", Number),
        ("global_rating", Text),
        ("global_rating_code", Number),
        ("pass_mark", Number),
        ("pass_mark_source", Text),
        ("result", Text),
        ("examiners", Text),
        ("started", Text),
        ("ended", Text),
        ("overrun_seconds", Number),
        ("imported", Text),
        ("feedback", Text),
        ("concern", Text),
        ("note", Text),
        ("moderation", Text),
        ("decisions", Text),
        ("final_result", Text),
        ("final_score", Number),
    ]);
    let mut rows = Vec::new();
    for c in results {
        for station in rubric.scored_stations() {
            let Some(d) = c.stations.get(&station.id) else {
                continue;
            };
            let r = &d.result;
            let sheets: Vec<&FoundSheet> = d.sheets.iter().map(|&i| &cohort.sheets[i]).collect();
            let examiners: Vec<String> = sheets.iter().map(|s| s.key.examiner.clone()).collect();
            let (code, label) = match (&r.global_rating, &station.global_rating) {
                (Some((level, label)), Some(g)) => (
                    fmt_marks(rubric.scale(g.scale).levels[*level].mark),
                    label.clone(),
                ),
                _ => (String::new(), String::new()),
            };
            let first = sheets.first().map(|s| &s.state);
            // A timer started late in a round timed by the circuit's clock
            // began with the round: its start records how far into it.
            let started = first
                .and_then(|s| s.timer.iter().find(|t| t.action == TimerAction::Start))
                .map(|t| {
                    let began = chrono::Duration::from_std(t.elapsed)
                        .ok()
                        .and_then(|d| t.time.checked_sub_signed(d));
                    when(began.unwrap_or(t.time))
                })
                .unwrap_or_default();
            let end = first.and_then(|s| s.timer.iter().rev().find(|t| t.action == TimerAction::End));
            // Moved on after a soft time-up with no changeover to run: the
            // timer ended there (a journal written before that end was
            // recorded with the move has no `end` of its own).
            let no_changeover = station
                .timing
                .as_ref()
                .is_some_and(|t| t.changeover.seconds() == 0);
            let end = end.or_else(|| {
                first
                    .filter(|_| no_changeover)
                    .and_then(|s| s.timer.iter().find(|t| t.action == TimerAction::Advance))
            });
            // An end written late (after a restart) ended when it fell due.
            let ended = end.map(|t| when(t.due.unwrap_or(t.time))).unwrap_or_default();
            let overrun = match (end, &station.timing) {
                (Some(e), Some(t)) => {
                    let limit = u64::from(t.reading.seconds() + t.station.seconds());
                    let advanced = first
                        .and_then(|s| s.timer.iter().find(|x| x.action == TimerAction::Advance))
                        .map(|a| a.elapsed.as_secs());
                    let over_at = advanced.unwrap_or(e.elapsed.as_secs());
                    if t.time_up == crate::rubric::TimeUp::Soft {
                        over_at.saturating_sub(limit).to_string()
                    } else {
                        "0".into()
                    }
                }
                _ => String::new(),
            };
            // Only as submitted: a sheet not in has no feedback to give.
            let feedback: Vec<&str> = sheets
                .iter()
                .filter_map(|s| crate::results::feedback::submitted_feedback(s))
                .collect();
            let concerns: Vec<String> = sheets
                .iter()
                .flat_map(|s| {
                    s.state
                        .concerns
                        .iter()
                        .map(|(k, n)| format!("{}: {n}", k.label()))
                })
                .collect();
            // An absent candidate, or a station where no sheet counts, has
            // no score: an empty cell, never a 0 that reads as marks earned.
            let absent = r.outcome == StationOutcome::Absent;
            let scored = !absent && !d.sheets.is_empty();
            let absence = absent.then(|| {
                let mut why: Vec<&str> = sheets.iter().filter_map(|s| s.state.absent.as_deref()).collect();
                why.sort_unstable();
                why.dedup();
                format!(
                    "absent: {}",
                    if why.is_empty() {
                        "no reason recorded".to_string()
                    } else {
                        why.join("; ")
                    }
                )
            });
            // A FAIL on a critical item, whatever the score: said where
            // the score and pass mark alone would read as a pass.
            let critical = r.critical_fails.iter().map(|f| format!("FAIL: {f}"));
            let note: Vec<String> = absence
                .into_iter()
                .chain(critical)
                .chain(d.note.clone())
                .chain(recorded_words(station, &sheets))
                .chain(third_marker_words(cohort, d))
                .collect();
            let note = note.join("; ");
            rows.push(vec![
                c.candidate.clone(),
                station.id.clone(),
                station.title.clone(),
                if scored { fmt_marks(r.score) } else { String::new() },
                fmt_marks(r.max),
                if scored {
                    r.percent().map(fmt_percent).unwrap_or_default()
                } else {
                    String::new()
                },
                label,
                code,
                r.pass_mark
                    .as_ref()
                    .and_then(|p| p.marks)
                    .map(fmt_marks)
                    .unwrap_or_default(),
                r.pass_mark
                    .as_ref()
                    .map(|p| source_word(p.source))
                    .unwrap_or_default(),
                r.outcome.word().to_string(),
                examiners.join(" "),
                started,
                ended,
                overrun,
                if sheets.iter().any(|s| s.state.imported.is_some()) {
                    "yes".into()
                } else {
                    "no".into()
                },
                feedback.join("\n---\n"),
                concerns.join("; "),
                note,
                d.moderation.word().to_string(),
                station_decisions(c, d),
                d.final_result.outcome.word().to_string(),
                // After moderation: a referral's third marker's score, or 0
                // for an absence decided a fail; none for an absence.
                if d.final_result.failed_for_absence
                    || (scored && d.final_result.outcome != StationOutcome::Absent)
                {
                    fmt_marks(d.final_result.score)
                } else {
                    String::new()
                },
            ]);
        }
    }
    Table {
        name: "stations.csv",
        columns,
        rows,
    }
}

/// What `sheet` left unmarked, though submitted, in the rubric's order:
/// (item id, or `global_rating`, and the examiner's reason). Nothing for a
/// sheet not submitted (still being marked) or an absence.
fn unmarked_on(station: &crate::rubric::Station, sheet: &FoundSheet) -> Vec<(String, String)> {
    let state = &sheet.state;
    if state.submitted.is_none() || state.absent.is_some() {
        return Vec::new();
    }
    let items = station
        .items
        .iter()
        .filter(|item| state.mark(&item.id).is_none())
        .map(|item| item.id.as_str());
    let global = (station.global_rating.is_some() && state.global_rating().is_none())
        .then_some(crate::store::GLOBAL_RATING);
    items
        .chain(global)
        .map(|what| {
            let reason = state.missing_reason(what).unwrap_or("no reason given");
            (what.to_string(), reason.to_string())
        })
        .collect()
}

/// A time in the exports: to the second, with its offset from UTC
/// (`2026-06-03T09:17:41+00:00`), however finely it was recorded (the
/// `record` beside it orders records within a second).
pub fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// What the examiners recorded on the sheets that count, for the
/// station's note: why they left items unmarked, and the timer's pauses
/// with their reasons. Each sheet's named where several count.
fn recorded_words(station: &crate::rubric::Station, sheets: &[&FoundSheet]) -> Vec<String> {
    let mut words = Vec::new();
    for sheet in sheets {
        let whose = if sheets.len() > 1 {
            format!("{}@{}: ", sheet.key.examiner, sheet.key.device)
        } else {
            String::new()
        };
        let unmarked: Vec<String> = unmarked_on(station, sheet)
            .into_iter()
            .map(|(what, why)| format!("{what} ({why})"))
            .collect();
        if !unmarked.is_empty() {
            words.push(format!("{whose}left unmarked: {}", unmarked.join(", ")));
        }
        words.extend(
            sheet
                .state
                .pauses()
                .iter()
                .map(|p| format!("{whose}{}", p.words())),
        );
        // Each amendment submitted, with who made it and why (the sheet
        // counts as last submitted while one is open, so it is not here:
        // the station's note says an amendment is in progress).
        words.extend(
            sheet
                .state
                .amendments
                .iter()
                .map(|a| format!("{whose}{}", a.words())),
        );
    }
    words
}

/// The exam lead's ruling on an item left unmarked on `sheet`, as (level,
/// label), if one holds.
fn ruled(
    d: &StationDetail,
    sheet: &crate::results::gather::FoundSheet,
    item: &str,
) -> Option<(Option<usize>, String)> {
    d.decided.iter().find_map(|h| match &h.ruling {
        crate::results::decisions::Ruling::Unmarked {
            sheet: named,
            item: it,
            level,
            label,
            ..
        } if it == item
            && named.examiner == sheet.key.examiner
            && named.device == sheet.key.device
            && named.last == sheet.last_hash =>
        {
            Some((level.to_owned(), label.clone()))
        }
        _ => None,
    })
}

/// `items.csv`: one row per item mark in effect (long format), from every
/// sheet that counts.
pub fn items_table(rubric: &Rubric, cohort: &Cohort, results: &[CandidateResult]) -> Table {
    use Kind::*;
    let columns = cols(&[
        ("candidate_id", Text),
        ("station", Text),
        ("item", Text),
        ("item_text", Text),
        ("level", Text),
        ("level_index", Number),
        ("marks", Number),
        ("maximum", Number),
        ("late", Text),
        ("examiner", Text),
        ("device", Text),
        ("time", Text),
        ("record", Number),
        ("imported", Text),
        ("note", Text),
    ]);
    let mut rows = Vec::new();
    for c in results {
        for station in rubric.scored_stations() {
            let Some(d) = c.stations.get(&station.id) else {
                continue;
            };
            // The examiners' sheets, then a third marker's after a
            // referral, whose marks give the result after moderation.
            for i in d.sheets.iter().copied().chain(referral_third_marker(d)) {
                let sheet = &cohort.sheets[i];
                let imported = if sheet.state.imported.is_some() {
                    "yes"
                } else {
                    "no"
                };
                // Why the examiner left an item unmarked, by item.
                let unmarked = unmarked_on(station, sheet);
                let why = |what: &str| {
                    unmarked
                        .iter()
                        .find(|(w, _)| w == what)
                        .map(|(_, reason)| reason.clone())
                };
                // A row: the item (id, text), the level given (label,
                // index, marks), the maximum, late, (time, record) and
                // imported.
                // A mark made in an amendment is not late: the note says
                // whose amendment it was and why.
                let amended = |seq: Option<u64>| seq.and_then(|seq| sheet.state.amendment_of(seq));
                let row = |item: [&str; 2],
                           [label, index, marks]: [String; 3],
                           maximum: String,
                           (late, seq): (bool, Option<u64>),
                           [time, record]: [String; 2],
                           imported: &str| {
                    let amendment = amended(seq);
                    vec![
                        c.candidate.clone(),
                        station.id.clone(),
                        item[0].to_string(),
                        item[1].to_string(),
                        label,
                        index,
                        marks,
                        maximum,
                        if late && amendment.is_none() {
                            "yes".into()
                        } else {
                            "no".into()
                        },
                        sheet.key.examiner.clone(),
                        sheet.key.device.clone(),
                        time,
                        record,
                        imported.to_string(),
                        amendment
                            .map(|a| a.words())
                            .or_else(|| why(item[0]))
                            .unwrap_or_default(),
                    ]
                };
                for item in &station.items {
                    let scale = rubric.scale(item.scale);
                    let level_words = |level: Option<usize>| match level {
                        Some(l) if l < scale.levels.len() => (
                            scale.levels[l].label.clone(),
                            l.to_string(),
                            fmt_marks(scale.levels[l].mark * item.weight),
                        ),
                        Some(l) => (format!("level {l}?"), l.to_string(), String::new()),
                        None => ("not observed".to_string(), String::new(), String::new()),
                    };
                    // (level, index, marks), late, time, record, imported.
                    let (level, late, time, record, imported) = match sheet.state.mark(&item.id) {
                        Some(mark) => (
                            level_words(mark.level),
                            (mark.late, Some(mark.seq)),
                            // When the record that set the mark now in
                            // effect was written.
                            sheet.mark_time(mark.seq).map(when).unwrap_or_default(),
                            mark.seq.to_string(),
                            imported,
                        ),
                        // Left unmarked: the exam lead's ruling, where there
                        // is one, is the mark in effect.
                        None => match ruled(d, sheet, &item.id) {
                            Some((ruling, label)) => {
                                let (_, index, marks) = level_words(ruling);
                                (
                                    (label, index, marks),
                                    (false, None),
                                    String::new(),
                                    String::new(),
                                    "decided",
                                )
                            }
                            // Left unmarked on a submitted sheet: a row
                            // with no level, and the examiner's reason.
                            None if why(&item.id).is_some() => (
                                (String::new(), String::new(), String::new()),
                                (false, None),
                                String::new(),
                                String::new(),
                                imported,
                            ),
                            None => continue,
                        },
                    };
                    let (label, index, marks) = level;
                    rows.push(row(
                        [&item.id, &item.text],
                        [label, index, marks],
                        fmt_marks(rubric.item_max(item)),
                        late,
                        [time, record],
                        imported,
                    ));
                }
                let Some(g) = &station.global_rating else {
                    continue;
                };
                // (label, index, late, time, record), or none given.
                let given = match sheet.state.global_rating_record() {
                    Some((seq, level, late)) => (
                        rubric
                            .scale(g.scale)
                            .levels
                            .get(level)
                            .map(|l| l.label.clone())
                            .unwrap_or_default(),
                        level.to_string(),
                        (late, Some(seq)),
                        sheet.mark_time(seq).map(when).unwrap_or_default(),
                        seq.to_string(),
                    ),
                    None if why(crate::store::GLOBAL_RATING).is_some() => Default::default(),
                    None => continue,
                };
                let (label, index, late, time, record) = given;
                rows.push(row(
                    [
                        crate::store::GLOBAL_RATING,
                        "Global rating (not added to the score)",
                    ],
                    [label, index, String::new()],
                    String::new(),
                    late,
                    [time, record],
                    imported,
                ));
            }
        }
    }
    Table {
        name: "items.csv",
        columns,
        rows,
    }
}

pub use crate::rubric::{MARKS_FIELDS, MarksColumn, MarksSource};

/// `marks.csv`'s default columns: candidate id, the percentage as `mark`,
/// the final result as `grade`.
pub const DEFAULT_MARKS_COLUMNS: &str = "candidate_id=candidate_id,percent=mark,final_result=grade";

/// [`DEFAULT_MARKS_COLUMNS`] for a rubric whose components are weighted:
/// the mark is the module mark, not the stations' percentage.
pub const DEFAULT_MODULE_MARKS_COLUMNS: &str =
    "candidate_id=candidate_id,module_mark=mark,final_result=grade";

/// Whether `marks.csv` with `columns` gives each candidate a mark (a
/// total or a percentage), not only a result: a candidate without one then
/// keeps the results from final.
pub fn gives_marks(columns: &[MarksColumn]) -> bool {
    columns
        .iter()
        .any(|c| matches!(&c.source, MarksSource::Field(f) if matches!(f.as_str(), "total" | "percent")))
}

/// `marks.csv`: the upload file for the student records system, with
/// `columns` (the default: candidate id, percent, result).
pub fn marks_table(results: &[CandidateResult], columns: &[MarksColumn]) -> Result<Table, String> {
    for c in columns {
        if let MarksSource::Field(field) = &c.source
            && !MARKS_FIELDS.contains(&field.as_str())
        {
            return Err(format!(
                "marks.csv has no field \"{field}\"; the fields are {}",
                crate::rubric::one_of(&MARKS_FIELDS)
            ));
        }
    }
    let kinds: Vec<Kind> = columns
        .iter()
        .map(|c| match &c.source {
            MarksSource::Field(f)
                if matches!(f.as_str(), "total" | "maximum" | "percent" | "module_mark") =>
            {
                Kind::Number
            }
            _ => Kind::Text,
        })
        .collect();
    let rows = results
        .iter()
        .map(|c| {
            // A result that is not in yet has no mark to upload, only its
            // status code; nor has a total that lacks a station (a FAIL
            // already certain, with a station still open), which would
            // change once the station is in.
            let marked = c.has_mark();
            columns
                .iter()
                .map(|column| {
                    let field = match &column.source {
                        MarksSource::Constant(value) => return value.clone(),
                        MarksSource::Field(field) => field.as_str(),
                    };
                    let cell = match field {
                        "candidate_id" => c.candidate.clone(),
                        "name" => c.name.clone(),
                        "total" | "percent" | "module_mark" if !marked => String::new(),
                        // Never its pass mark when it missed it (49.96, not 50).
                        "module_mark" => module_mark_cell(c),
                        "total" => fmt_marks(c.final_result.total),
                        "maximum" => fmt_marks(c.final_result.max),
                        "percent" => c.final_result.percent().map(fmt_percent).unwrap_or_default(),
                        "result" | "final_result" => c.final_word(),
                        "internal_result" => c.result.outcome.to_string(),
                        _ => String::new(),
                    };
                    column.values.get(&cell).cloned().unwrap_or(cell)
                })
                .collect()
        })
        .collect();
    Ok(Table {
        name: "marks.csv",
        columns: columns.iter().map(|c| c.header.clone()).zip(kinds).collect(),
        rows,
    })
}

/// `moderation.csv`: one row per record of every assessor's moderation
/// journal, in journal order (assessors sorted): each decision (earlier ones
/// a later decision replaced are kept, and say so), each agreed mark, the
/// overall report and the sign-off.
pub fn moderation_table(moderation: &Moderation, cohort: &Cohort, matrix: &Matrix) -> Table {
    use Kind::*;
    let columns = cols(&[
        ("record", Text),
        ("candidate_id", Text),
        ("station", Text),
        ("examiners", Text),
        ("internal_result", Text),
        ("assessor", Text),
        ("device", Text),
        ("decision", Text),
        ("proposed_result", Text),
        ("agreed_mark", Number),
        ("rationale", Text),
        ("in_effect", Text),
        ("time", Text),
    ]);
    let mut rows = Vec::new();
    for log in &moderation.logs {
        enum Line<'a> {
            Decided(&'a crate::results::moderation::Decided),
            Agreed(&'a crate::results::moderation::AgreedMark),
        }
        let mut lines: Vec<(u64, Line)> = log.decisions.iter().map(|d| (d.seq, Line::Decided(d))).collect();
        lines.extend(log.agreed.iter().map(|a| (a.seq, Line::Agreed(a))));
        lines.sort_by_key(|(seq, _)| *seq);
        // The sheets of a cell as they are now: a record made over others
        // (a sheet amended since, or added) no longer holds.
        let now = |candidate: &str, station: &str| {
            matrix
                .cell(candidate, station)
                .map_or(&[][..], |c| c.sheets.as_slice())
        };
        // A record in effect, or why not: its sheets changed since (for a
        // referral, a sheet added is the third marker's), said with
        // `again`, what is to be done.
        let holds = |candidate: &str,
                     station: &str,
                     seen: &[crate::store::SeenSheet],
                     referral: bool,
                     again: &str| {
            let sheets = now(candidate, station);
            if crate::results::moderation::still_holds(cohort, sheets, seen, referral) {
                "yes".to_string()
            } else {
                let changed = crate::results::moderation::changed_since(cohort, sheets, seen);
                format!("no: {changed} since; {again}")
            }
        };
        let who = |sheets: &[crate::store::SeenSheet]| {
            sheets
                .iter()
                .map(|s| s.examiner.clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for (_, line) in lines {
            rows.push(match line {
                Line::Decided(d) => {
                    let latest = log
                        .latest(&d.candidate, &d.station)
                        .is_some_and(|l| l.seq == d.seq);
                    vec![
                        "decision".into(),
                        d.candidate.clone(),
                        d.station.clone(),
                        who(&d.sheets),
                        d.internal.word().to_string(),
                        log.assessor.clone(),
                        log.device.clone(),
                        match d.decision {
                            Decision::Agree => "agree",
                            Decision::Disagree => "disagree",
                            Decision::Refer => "refer",
                        }
                        .into(),
                        d.proposed.map(|p| p.label().to_string()).unwrap_or_default(),
                        String::new(),
                        d.rationale.clone(),
                        if d.on_own_sheet() {
                            "no: the assessor marked this sheet".into()
                        } else if !latest {
                            "no: replaced by a later decision".into()
                        } else {
                            holds(
                                &d.candidate,
                                &d.station,
                                &d.sheets,
                                d.decision == Decision::Refer,
                                "the assessor decides again",
                            )
                        },
                        when(d.time),
                    ]
                }
                Line::Agreed(a) => {
                    let latest = log
                        .latest_agreed(&a.candidate, &a.station)
                        .is_some_and(|l| l.seq == a.seq);
                    vec![
                        "agreed mark".into(),
                        a.candidate.clone(),
                        a.station.clone(),
                        who(&a.sheets),
                        String::new(),
                        log.assessor.clone(),
                        log.device.clone(),
                        String::new(),
                        // The result the markers agreed with their mark,
                        // where they gave one.
                        a.outcome.map(|p| p.label().to_string()).unwrap_or_default(),
                        fmt_marks(a.score),
                        a.note.clone(),
                        if !latest {
                            "no: replaced by a later agreed mark".into()
                        } else {
                            holds(
                                &a.candidate,
                                &a.station,
                                &a.sheets,
                                false,
                                "the markers agree it again",
                            )
                        },
                        when(a.time),
                    ]
                }
            });
        }
        let mut tail =
            |record: &str, text: String, time: Option<&chrono::DateTime<chrono::Utc>>, in_effect: &str| {
                rows.push(vec![
                    record.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    log.assessor.clone(),
                    log.device.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    text,
                    in_effect.to_string(),
                    time.map(|t| when(*t)).unwrap_or_default(),
                ])
            };
        if let Some(time) = &log.report_time {
            tail("report", log.report.clone(), Some(time), "yes");
        }
        // Before sign-off the row says so, and is no sign-off in effect.
        match &log.signed_off {
            Some((time, summary)) => tail("sign-off", summary.clone(), Some(time), "yes"),
            // Agreed marks alone (or decisions that never count) are not
            // moderation: there is nothing to sign off.
            None if log.nothing_to_sign_off() => tail(
                "sign-off",
                "nothing to sign off".into(),
                None,
                "no: nothing to sign off",
            ),
            None => tail(
                "sign-off",
                "not signed off".into(),
                None,
                "no: not signed off yet",
            ),
        }
    }
    Table {
        name: "moderation.csv",
        columns,
        rows,
    }
}

/// Every table of an export, in the order they are documented.
///
/// [`write_export`] makes the tables a part of the candidates at a time
/// and joins the parts: each table's rows must be rows for each candidate
/// in `results`, in their order (results, stations, items, marks), or not
/// depend on `results` at all (moderation), when they are written once.
pub fn tables(
    rubric: &Rubric,
    cohort: &Cohort,
    matrix: &Matrix,
    results: &[CandidateResult],
    moderation: &Moderation,
    marks_columns: &[MarksColumn],
) -> Result<Vec<Table>, String> {
    Ok(vec![
        results_table(results),
        stations_table(rubric, cohort, results),
        items_table(rubric, cohort, results),
        marks_table(results, marks_columns)?,
        moderation_table(moderation, cohort, matrix),
    ])
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "{path}: already exists; files written earlier are not overwritten (use --force to replace them, or choose another --out folder)"
    )]
    Exists { path: PathBuf },
    #[error(
        "{path}: is a folder where an export file goes; nothing was written. Move the folder away, or choose another --out folder"
    )]
    Folder { path: PathBuf },
    #[error(
        "{path}: is a file, not a folder; nothing was written. Name a folder for the files (a new one is made), \
         e.g. --out export"
    )]
    NotFolder { path: PathBuf },
    #[error(
        "{path}: the folder cannot be made ({source}); nothing was written. Choose a folder you can write to, \
         e.g. --out export"
    )]
    CannotMake {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Csv(String),
}

/// Writes the tables into `dir` (created owner-only if missing). Checks
/// first that no file would be overwritten (unless `force`), then writes
/// each through a temporary file, fsync and rename.
pub fn write(dir: &Path, tables: &[Table], force: bool) -> Result<Vec<PathBuf>, ExportError> {
    let mut files = Vec::new();
    for t in tables {
        let bytes = t
            .to_csv()
            .map_err(|e| ExportError::Csv(format!("{}: {e}", t.name)))?;
        files.push((t.name.to_string(), bytes));
    }
    write_files(dir, &files, force)
}

/// Writes named files into `dir` the same careful way: no overwriting
/// unless `force`, each through a temporary file, fsync and rename, owner
/// only.
pub fn write_files(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
) -> Result<Vec<PathBuf>, ExportError> {
    prepare(dir, files.iter().map(|(name, _)| name.as_str()), force)?;
    let mut staged = Vec::new();
    let made = (|| {
        for (name, bytes) in files {
            let temp = temp_path(dir, name);
            let mut f = create_temp(&temp)?;
            staged.push((temp.clone(), dir.join(name)));
            f.write_all(bytes).map_err(io(&temp))?;
            f.sync_all().map_err(io(&temp))?;
        }
        Ok(())
    })();
    if let Err(e) = made {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    replace_all(dir, &staged)?;
    Ok(staged.into_iter().map(|(_, path)| path).collect())
}

/// Puts every staged file (temporary path, target) in place of its target,
/// all or none: the earlier files are first moved aside, and if any step
/// fails, everything done is undone, so the folder holds either every old
/// file or every new one, and no temporary file is left behind.
fn replace_all(dir: &Path, staged: &[(PathBuf, PathBuf)]) -> Result<(), ExportError> {
    let aside = |target: &Path| {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        dir.join(format!(".{name}.old-{}", std::process::id()))
    };
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut placed: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (_, target) in staged {
            if fs::symlink_metadata(target).is_ok() {
                let old = aside(target);
                fs::rename(target, &old).map_err(io(target))?;
                moved.push((old, target.clone()));
            }
        }
        for (temp, target) in staged {
            fs::rename(temp, target).map_err(io(target))?;
            placed.push(target.clone());
        }
        Ok(())
    })();
    if let Err(e) = result {
        for target in &placed {
            let _ = fs::remove_file(target);
        }
        for (old, target) in &moved {
            let _ = fs::rename(old, target);
        }
        for (temp, _) in staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    for (old, _) in &moved {
        let _ = fs::remove_file(old);
    }
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + use<> {
    let path = path.to_path_buf();
    move |source| ExportError::Io { path, source }
}

/// Creates `dir` (owner only) if missing and, unless `force`, refuses to
/// go on if any of the files `names` is there already.
fn prepare<'a>(dir: &Path, names: impl Iterator<Item = &'a str>, force: bool) -> Result<(), ExportError> {
    check_destination(dir, names, force)?;
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode_set()
            .create(dir)
            .map_err(|source| ExportError::CannotMake {
                path: dir.to_path_buf(),
                source,
            })?;
    }
    Ok(())
}

/// Whether files named `names` can be written into `dir` (a folder, or
/// none yet), changing nothing: what [`write_files`] refuses, found before
/// the work (a file in the folder's place, a folder or a link in a file's,
/// a file already there without `force`).
pub fn check_destination<'a>(
    dir: &Path,
    names: impl Iterator<Item = &'a str>,
    force: bool,
) -> Result<(), ExportError> {
    if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(ExportError::NotFolder {
            path: dir.to_path_buf(),
        });
    }
    for path in names.map(|name| dir.join(name)) {
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            return Err(ExportError::Folder { path });
        }
        if !force {
            return Err(ExportError::Exists { path });
        }
    }
    Ok(())
}

fn csv_error(name: &'static str) -> impl FnOnce(csv::Error) -> ExportError {
    move |e| ExportError::Csv(format!("{name}: {e}"))
}

fn temp_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

fn create_temp(temp: &Path) -> Result<fs::File, ExportError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(temp)
        .map_err(io(temp))
}

/// How many candidates' rows are made at a time: a part's tables take a
/// few megabytes.
const PART: usize = 50;

/// What [`write_export`] wrote: each file, with its number of rows.
pub type Written = Vec<(PathBuf, usize)>;

/// Writes every table of an export into `dir`, the same bytes as [`write`]
/// writes [`tables`], without ever holding a whole table (at 5,000
/// candidates × 16 stations items.csv has over a million rows). The tables
/// are made a part of the matrix's candidates at a time, on every core,
/// with each part's results from `results_of` (given the part's candidates
/// in order); each part's rows are appended to the tables' temporary files.
/// No file is overwritten unless `force`; only once every file is written
/// and fsynced are they renamed into place, so a failure leaves the
/// earlier files as they were and no temporary file behind.
// Each argument is a separate input of the export; bundling them would only
// rename them.
#[allow(clippy::too_many_arguments)]
pub fn write_export(
    dir: &Path,
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    results_of: impl Fn(&[String]) -> Vec<CandidateResult> + Sync,
    moderation: &Moderation,
    marks_columns: &[MarksColumn],
    force: bool,
) -> Result<Written, ExportError> {
    // For no candidate at all: each table's header, and the whole of the
    // tables that do not depend on the candidates.
    let heads = tables(rubric, cohort, m, &[], moderation, marks_columns).map_err(ExportError::Csv)?;
    prepare(
        dir,
        heads
            .iter()
            .map(|t| t.name)
            .chain([crate::results::workbook::WORKBOOK]),
        force,
    )?;
    let workbook_temp = temp_path(dir, crate::results::workbook::WORKBOOK);
    let mut files = Vec::new();
    let written = (|| {
        for t in &heads {
            let temp = temp_path(dir, t.name);
            let file = create_temp(&temp)?;
            files.push((temp, file, t.rows.len()));
        }
        // The workbook, made from what is written into the files as it is
        // written.
        let kinds: Vec<(&str, Vec<Kind>)> = heads
            .iter()
            .map(|t| (t.name, t.columns.iter().map(|(_, kind)| *kind).collect()))
            .collect();
        let mut book =
            crate::results::workbook::Builder::new(&kinds, &crate::results::workbook::item_grids(rubric))
                .map_err(|e| ExportError::Csv(e.to_string()))?;
        write_parts(
            rubric,
            cohort,
            m,
            &results_of,
            moderation,
            marks_columns,
            &heads,
            &mut files,
            &mut book,
        )?;
        let mut written = Vec::new();
        for ((temp, file, rows), t) in files.iter().zip(&heads) {
            file.sync_all().map_err(io(temp))?;
            written.push((dir.join(t.name), *rows));
        }
        let mut file = create_temp(&workbook_temp)?;
        let cut = book
            .save(&mut file)
            .map_err(|e| ExportError::Csv(e.to_string()))?;
        file.sync_all().map_err(io(&workbook_temp))?;
        written.push((dir.join(crate::results::workbook::WORKBOOK), cut.len()));
        Ok(written)
    })();
    let written = match written {
        Ok(written) => written,
        Err(e) => {
            for (temp, _, _) in &files {
                let _ = fs::remove_file(temp);
            }
            let _ = fs::remove_file(&workbook_temp);
            return Err(e);
        }
    };
    let mut staged: Vec<(PathBuf, PathBuf)> = files
        .iter()
        .zip(&written)
        .map(|((temp, _, _), (path, _))| (temp.clone(), path.clone()))
        .collect();
    staged.push((workbook_temp, dir.join(crate::results::workbook::WORKBOOK)));
    drop(files);
    replace_all(dir, &staged)?;
    Ok(written)
}

/// Writes the tables' headers, then their rows a part of the candidates at
/// a time, into `files` (temporary path, file, rows so far; one per table
/// in `heads`) and into `book`, the workbook. The parts are made on every
/// core, a few at a time, while a thread of its own writes the ones made
/// before, in order.
#[allow(clippy::too_many_arguments)]
fn write_parts(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    results_of: &(impl Fn(&[String]) -> Vec<CandidateResult> + Sync),
    moderation: &Moderation,
    marks_columns: &[MarksColumn],
    heads: &[Table],
    files: &mut [(PathBuf, fs::File, usize)],
    book: &mut crate::results::workbook::Builder,
) -> Result<(), ExportError> {
    let to_book = |e: crate::results::workbook::WorkbookError| ExportError::Csv(e.to_string());
    for (i, ((temp, file, _), t)) in files.iter_mut().zip(heads).enumerate() {
        let (_, bytes) = t.csv(true).map_err(csv_error(t.name))?;
        file.write_all(&bytes).map_err(io(temp))?;
        book.add(i, &bytes).map_err(to_book)?;
    }
    // A table with rows for no candidate does not depend on them: written
    // whole above.
    let per_candidate: Vec<bool> = heads.iter().map(|t| t.rows.is_empty()).collect();
    let parts: Vec<&[String]> = m.candidates.chunks(PART).collect();
    let make = |part: &[String]| {
        let results = results_of(part);
        let tables =
            tables(rubric, cohort, m, &results, moderation, marks_columns).map_err(ExportError::Csv)?;
        let mut csv = Vec::new();
        for (t, &wanted) in tables.iter().zip(&per_candidate) {
            csv.push(if wanted {
                t.csv(false).map_err(csv_error(t.name))?
            } else {
                (0, Vec::new())
            });
        }
        Ok::<_, ExportError>(csv)
    };
    // A few parts are made at a time, on every core, while a thread of its
    // own writes the ones made before, in order, into the files and the
    // workbook (most of an export's time, on one core).
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Result<Vec<(usize, Vec<u8>)>, _>>>(1);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            for made in receive {
                for part in made {
                    for (i, ((temp, file, rows), (n, bytes))) in files.iter_mut().zip(part?).enumerate() {
                        file.write_all(&bytes).map_err(io(temp))?;
                        book.add(i, &bytes).map_err(to_book)?;
                        *rows += n;
                    }
                }
            }
            Ok(())
        });
        for round in parts.chunks(2 * crate::base::threads::count()) {
            let made = crate::base::threads::map(round.to_vec(), 1, make);
            if send.send(made).is_err() {
                break; // the writer met an error, which it returns
            }
        }
        drop(send);
        writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

trait DirMode {
    fn mode_set(&mut self) -> &mut Self;
}

impl DirMode for fs::DirBuilder {
    fn mode_set(&mut self) -> &mut Self {
        use std::os::unix::fs::DirBuilderExt;
        self.mode(0o700)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for bad in ["=1+1", "+44 123", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Aisha"), "Aisha");
        let t = Table {
            name: "t.csv",
            columns: cols(&[("text", Kind::Text), ("number", Kind::Number)]),
            rows: vec![vec!["=HYPERLINK(\"x\")".into(), "-1.5".into()]],
        };
        let csv = String::from_utf8(t.to_csv().expect("csv")).expect("utf-8");
        assert_eq!(csv, "text,number\r\n\"'=HYPERLINK(\"\"x\"\")\",-1.5\r\n");
    }
}
