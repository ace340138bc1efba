//! One readable feedback file per candidate (Markdown): their stations'
//! results and the examiners' feedback comments, as far as the rubric's
//! `candidate_feedback` allows. Examiners' private notes and concerns are
//! never included.

use std::fmt::Write;

use crate::results::gather::Cohort;
use crate::results::reconcile::CandidateResult;
use crate::rubric::Rubric;
use crate::scoring::{StationOutcome, fmt_marks, fmt_percent};

/// Text safe inside Markdown: no line can start a heading, list or block
/// by accident, and no HTML is passed through.
fn plain(text: &str) -> String {
    text.lines()
        .map(|l| {
            let escaped = l.replace('<', "&lt;").replace('>', "&gt;");
            match escaped.trim_start().chars().next() {
                Some('#' | '-' | '*' | '+' | '>' | '|' | '`' | '=' | '_') => {
                    format!("\\{}", escaped.trim_start())
                }
                _ => escaped,
            }
        })
        .collect::<Vec<_>>()
        .join("  \n")
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
    let _ = write!(out, "**Result: {}**", r.outcome);
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
    if r.outcome != c.result.outcome {
        let _ = writeln!(
            out,
            "\nThis result was decided after external moderation of the examiners' marks."
        );
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
            let moderated = if s.outcome != d.result.outcome {
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
                    let _ = writeln!(out, "{}\n", plain(&comment));
                }
            }
        }
    }
    out
}
