//! One readable feedback file per candidate (Markdown): their stations'
//! results and the examiners' feedback comments, as far as the rubric's
//! `candidate_feedback` allows. Examiners' private notes and concerns are
//! never included.

use std::fmt::Write;

use crate::results::gather::Cohort;
use crate::results::reconcile::CandidateResult;
use crate::rubric::Rubric;
use crate::scoring::{StationOutcome, fmt_marks, fmt_percent};

/// A name or title on one line, safe in Markdown and read as it is in
/// plain text: only what Markdown would take for structure at the start of
/// the line (a heading, a list, a quote) or for HTML is changed, and then
/// as little as can be.
fn plain(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let safe = one_line.replace('<', "‹").replace('>', "›");
    match safe.chars().next() {
        Some('#' | '-' | '*' | '+' | '|' | '=' | '_' | '`') => format!("\u{2060}{safe}"),
        _ => safe,
    }
}

/// An examiner's free text (feedback), kept exactly as written: in a fenced
/// block, which Markdown shows as it is and a person reading the plain
/// file reads between two fence lines. The fence is longer than any run of
/// backticks in the text, so nothing inside can close it.
fn verbatim(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

/// The reasons behind a station's or the whole result's fail, in words.
fn fail_reasons<'a>(reasons: impl Iterator<Item = &'a crate::scoring::Reason>) -> Vec<String> {
    reasons
        .filter(|r| r.verdict == crate::scoring::Outcome::Fail)
        // Who decided, when and their notes are for the exam board, not
        // the candidate: the decision alone.
        .map(|r| match r.text.find(" (by ") {
            Some(at) => r.text[..at].to_string(),
            None => r.text.clone(),
        })
        .collect()
}

/// The feedback file of one candidate.
pub fn render(rubric: &Rubric, cohort: &Cohort, c: &CandidateResult) -> String {
    let fb = rubric.candidate_feedback;
    let mut out = String::new();
    let _ = writeln!(out, "# {}: feedback\n", plain(&rubric.title));
    let who = if c.name.is_empty() {
        c.candidate.clone()
    } else {
        format!("{} ({})", plain(&c.name), c.candidate)
    };
    let _ = writeln!(out, "Candidate: {who}\n");
    // The result after moderation: what the exam board confirms.
    let r = &c.final_result;
    let _ = write!(out, "**Result: {}**", c.final_word());
    if fb.station_results {
        let _ = write!(
            out,
            " — total {} of {}{}",
            fmt_marks(r.total),
            fmt_marks(r.max),
            r.percent()
                .map(|p| format!(" ({}%)", fmt_percent(p)))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(out);
    let settled = matches!(
        r.outcome,
        crate::scoring::Outcome::Pass | crate::scoring::Outcome::Fail
    );
    if let Some(deferred) = &c.deferred {
        let _ = writeln!(
            out,
            "\nYour assessment is deferred to a later sitting: {}.",
            plain(deferred)
        );
    } else if !settled {
        // Nothing about moderation while it is under way.
        let _ = writeln!(
            out,
            "\nThis result is not complete yet: the results will be confirmed once every part is in."
        );
    } else if r.outcome != c.result.outcome {
        let _ = writeln!(
            out,
            "\nThis result was decided after external moderation of the examiners' marks."
        );
    }
    if r.outcome == crate::scoring::Outcome::Fail && fb.station_results {
        let why = fail_reasons(r.reasons.iter());
        if !why.is_empty() {
            let _ = writeln!(out, "\nWhy: {}.", why.join("; "));
        }
    }
    // The module's parts: the stations' and those assessed outside them
    // (written papers, the logbook).
    if !r.components.is_empty() && fb.station_results {
        let _ = writeln!(out, "\nParts of the module:");
        for part in &r.components {
            let word = match part.outcome {
                crate::scoring::Outcome::Incomplete => "no result yet".to_string(),
                outcome => outcome.to_string(),
            };
            let share = part
                .percent
                .map(|p| format!(" ({}%)", crate::scoring::fmt_percent(p)))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}: {word}{share}", part.title);
        }
    }
    if !r.provisional.is_empty() {
        let _ = writeln!(
            out,
            "\nThis result is provisional until the exam board confirms it."
        );
    }
    for station in rubric.scored_stations() {
        let Some(d) = c.stations.get(&station.id) else {
            continue;
        };
        let _ = writeln!(out, "\n## {}\n", plain(&station.title));
        let s = &d.final_result;
        if fb.station_results {
            let word = match s.outcome {
                StationOutcome::Pass => "Passed",
                StationOutcome::Fail => "Not passed",
                StationOutcome::Absent => "Absent",
                _ => "Not yet complete",
            };
            let settled = matches!(s.outcome, StationOutcome::Pass | StationOutcome::Fail);
            let moderated = if settled && s.outcome != d.result.outcome {
                " (decided on external moderation)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{word}: {} of {} marks{moderated}.\n",
                fmt_marks(s.score),
                fmt_marks(s.max)
            );
            if s.outcome == StationOutcome::Fail {
                // The reason in words: a critical item, the competency
                // rule, the entrustment level, the pass mark.
                let why = fail_reasons(s.reasons.iter());
                if !why.is_empty() {
                    let _ = writeln!(out, "Why: {}.\n", why.join("; "));
                }
            }
        }
        if fb.global_rating
            && let Some((_, label)) = &s.global_rating
        {
            let _ = writeln!(out, "Overall judgement: {}.\n", plain(label));
        }
        if fb.item_levels
            && let Some(&first) = d.sheets.first()
        {
            let sheet = &cohort.sheets[first];
            for item in &station.items {
                let level = match sheet.state.mark(&item.id).map(|m| m.level) {
                    Some(Some(l)) => rubric
                        .scale(item.scale)
                        .levels
                        .get(l)
                        .map_or(String::new(), |x| x.label.clone()),
                    Some(None) => "not observed".to_string(),
                    None => "not marked".to_string(),
                };
                let _ = writeln!(out, "- {}: {}", plain(&item.text), plain(&level));
            }
            let _ = writeln!(out);
        }
        if fb.comments {
            let comments: Vec<String> = d
                .sheets
                .iter()
                .map(|&i| cohort.sheets[i].state.feedback.clone())
                .filter(|f| !f.trim().is_empty())
                .collect();
            if comments.is_empty() {
                let _ = writeln!(out, "No written feedback.");
            } else {
                for comment in comments {
                    let _ = writeln!(out, "{}\n", verbatim(&comment));
                }
            }
        }
    }
    out
}
