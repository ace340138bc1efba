//! One readable feedback file per candidate, in Markdown and as a
//! printable HTML page: their result and why, their stations' results and
//! the examiners' feedback comments, as far as the rubric's
//! `candidate_feedback` allows. Examiners' private notes and concerns are
//! never included. Both files are written from one [`Doc`], so they say
//! the same.

use std::fmt::Write;

use crate::results::decisions::Ruling;
use crate::results::gather::{Cohort, FoundSheet};
use crate::results::reconcile::{CandidateResult, StationDetail};
use crate::rubric::{Noun, Rubric};
use crate::scoring::{AssessmentResult, StationOutcome, fmt_marks, fmt_percent};

/// A name or title on one line, safe in Markdown and read as it is in
/// plain text: only what Markdown would take for HTML, or (`at_start`, the
/// first thing on its line) for structure (a heading, a list, a quote), is
/// changed, and then as little as can be: an invisible word joiner before
/// such a first character. Within a line a name is left as it is, so that
/// it can be copied out as the roster writes it.
fn plain(text: &str, at_start: bool) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let safe = one_line.replace('<', "‹").replace('>', "›");
    match safe.chars().next() {
        Some('#' | '-' | '*' | '+' | '|' | '=' | '_' | '`') if at_start => format!("\u{2060}{safe}"),
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

/// The reasons behind the whole result `r`'s pass, in words: the
/// stations failed left out of them (each is told below, as the candidate
/// may be told it), and, as for a fail, who decided or moderated and why.
fn pass_reasons(r: &AssessmentResult) -> Vec<String> {
    passes_told(r.reasons.iter(), &failed_list(r, str::to_string))
}

/// [`pass_reasons`] of `reasons`, whose result lists its failed stations
/// as `listed`.
fn passes_told<'a>(reasons: impl Iterator<Item = &'a crate::scoring::Reason>, listed: &str) -> Vec<String> {
    reasons
        .filter(|reason| reason.verdict == crate::scoring::Outcome::Pass)
        .map(|reason| {
            let mut text = reason.text.clone();
            if !listed.is_empty() && text.contains(listed) {
                text = text.replacen(listed, "", 1);
            }
            // Failed stations listed otherwise than this result's own:
            // to the bracket that closes the list, past those inside.
            while let Some(at) = text.find(" (failed: ") {
                let mut depth = 0usize;
                let end = text[at + 1..]
                    .char_indices()
                    .find_map(|(i, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth = depth.saturating_sub(1),
                            _ => return None,
                        }
                        (depth == 0).then_some(at + 1 + i + 1)
                    })
                    .unwrap_or(text.len());
                text.replace_range(at..end, "");
            }
            told(&text)
        })
        .collect()
}

/// The reasons behind the whole result `r`'s fail, in words: each failed
/// station in the list of them told as the candidate is told it, and the
/// rest of the reason after it kept.
fn result_fail_reasons(r: &AssessmentResult) -> Vec<String> {
    let listed = failed_list(r, str::to_string);
    r.reasons
        .iter()
        .filter(|reason| reason.verdict == crate::scoring::Outcome::Fail)
        .map(|reason| {
            if !listed.is_empty() && reason.text.contains(&listed) {
                told(&reason.text.replacen(&listed, &failed_list(r, told), 1))
            } else {
                told(&reason.text)
            }
        })
        .collect()
}

/// The failed stations of `r` as its reasons list them, each station's
/// reason said by `words`.
fn failed_list(r: &AssessmentResult, words: impl Fn(&str) -> String) -> String {
    let scored: Vec<&crate::scoring::StationResult> = r.stations.iter().filter(|s| s.is_scored()).collect();
    crate::scoring::failed_stations(&scored, words)
}

/// The reasons behind a station's fail, in words.
fn fail_reasons<'a>(reasons: impl Iterator<Item = &'a crate::scoring::Reason>) -> Vec<String> {
    reasons
        .filter(|r| r.verdict == crate::scoring::Outcome::Fail)
        .map(|r| told(&r.text))
        .collect()
}

/// A reason as the candidate is told it. Who decided, when and their
/// notes are for the exam board, not the candidate: the decision alone.
/// An external assessor's name and rationale are the board's too.
fn told(text: &str) -> String {
    // A third marker's result after a referral: neither who
    // referred it nor who marked it again.
    if let Some((station, rest)) = text.split_once(": third marker ")
        && let Some((_, gave)) = rest.split_once(" gave ")
        && let Some((gave, after)) = gave.split_once(" after referral by ")
    {
        let examiners = after
            .split_once("; ")
            .map(|(_, e)| format!("; {e}"))
            .unwrap_or_default();
        return format!(
            "{station}: a third marker gave {gave} after referral on external moderation{examiners}"
        );
    }
    let cut = [
        (" (by ", ""),
        (" — recorded from ", ""),
        (": recorded from ", ""),
        (" on moderation by ", " on external moderation"),
    ]
    .iter()
    .filter_map(|(m, instead)| text.find(m).map(|at| (at, instead)))
    .min_by_key(|(at, _)| *at);
    in_plain_words(&match cut {
        Some((at, instead)) => format!("{}{instead}", &text[..at]),
        None => text.to_string(),
    })
}

/// The exam board's words in a reason as a candidate reads them: where a
/// pass mark came from, the cut score's parts, a must-pass station.
fn in_plain_words(text: &str) -> String {
    let mut text = text.to_string();
    // "(standard-set (borderline regression))": set by the board's
    // standard setting, whichever way.
    while let Some(at) = text.find(" (standard-set (") {
        let Some(len) = text[at..].find("))") else { break };
        text.replace_range(
            at..at + len + 2,
            " (set from how candidates performed at the station)",
        );
    }
    while let Some(at) = text.find(" (provisional until ") {
        let Some(len) = text[at..].find(')') else { break };
        text.replace_range(
            at..at + len + 1,
            " (provisional: it may change when the exam board sets the standard)",
        );
    }
    // "the cut score 43.66 (sum of station pass marks 39.12 + 1 × SEM
    // 4.54)": the whole exam's pass mark, and what it is made of.
    if let Some(at) = text.find("the cut score ") {
        text.replace_range(
            at..at + "the cut score ".len(),
            "the pass mark for the whole exam, ",
        );
    }
    if let Some(at) = text.find(" (sum of station pass marks ")
        && let Some(len) = text[at..].find(')')
    {
        let inside = text[at + " (sum of station pass marks ".len()..at + len].to_string();
        let words = match inside.split_once(" + ") {
            Some((sum, sem)) => {
                // "1 × SEM 4.54" is a margin of 4.54; "2 × SEM 4.54", of
                // twice that, told as such.
                let (times, sem) = match sem.split_once(" × SEM ") {
                    Some((times, sem)) => (times, sem),
                    None => ("1", sem.rsplit(' ').next().unwrap_or(sem)),
                };
                let margin = if times == "1" {
                    sem.to_string()
                } else {
                    format!("{times} × {sem}")
                };
                format!(
                    " (the stations' pass marks added up, {sum}, and a margin of {margin} for how precise marks can \
                     be)"
                )
            }
            // Before standard setting: "59.4; 1 × SEM not yet added".
            None => match inside.split_once("; ") {
                Some((sum, _)) => format!(
                    " (the stations' pass marks added up, {sum}; a margin for how precise marks can be is still to \
                     be added)"
                ),
                None => format!(" (the stations' pass marks added up, {inside})"),
            },
        };
        text.replace_range(at..at + len + 1, &words);
    }
    // "must-pass station 'Knee' failed": "'Knee', a station every
    // candidate must pass, failed" (a case, in a final assessment).
    for noun in [Noun::Station, Noun::Case] {
        let must = format!("must-pass {} '", noun.one());
        let mut from = 0;
        while let Some(at) = text[from..].find(&must).map(|i| from + i) {
            let title_at = at + must.len() - 1;
            let Some(len) = text[title_at + 1..].find('\'') else {
                break;
            };
            let title = text[title_at..title_at + len + 2].to_string();
            let words = format!("{title}, a {} every candidate must pass,", noun.one());
            text.replace_range(at..title_at + len + 2, &words);
            from = at + words.len();
        }
    }
    text
}

/// `Why: …` of the reasons, ended by one full stop.
fn why_line(why: &[String]) -> String {
    format!("Why: {}.", why.join("; ").trim_end().trim_end_matches('.'))
}

/// A piece of a line: text to show as it is (Markdown-safe words written
/// by osce), a name or title from a rubric or roster (made safe for
/// Markdown, [`plain`]), or strong text.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    Name(String),
    Strong(String),
}

/// A block of the feedback page.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(Vec<Span>),
    Heading(Vec<Span>),
    Para(Vec<Span>),
    List(Vec<Vec<Span>>),
    /// An examiner's free text, kept exactly as written.
    Verbatim(String),
}

/// One candidate's feedback, ready to write as Markdown or HTML.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doc {
    pub blocks: Vec<Block>,
}

fn text(t: impl Into<String>) -> Span {
    Span::Text(t.into())
}

fn name(t: impl Into<String>) -> Span {
    Span::Name(t.into())
}

/// The feedback to the candidate on `sheet`, as last submitted: `None`
/// for a sheet never submitted. (A sheet being amended is gathered as it
/// was last submitted, so what is typed into the amendment is not in it.)
/// Nothing from a sheet that is not in reaches a candidate.
pub fn submitted_feedback(sheet: &FoundSheet) -> Option<&str> {
    let state = &sheet.state;
    state
        .submitted
        .as_ref()
        .map(|_| state.feedback.as_str())
        .filter(|f| !f.trim().is_empty())
}

/// Whether a sheet begun at this station was never submitted (the station
/// waits for it).
pub fn counts_unsubmitted(d: &StationDetail) -> bool {
    !d.unsubmitted.is_empty()
}

/// Whether this station's result is not in for the candidate: a sheet that
/// counts is not submitted, or no sheet counts and nobody decided the
/// result. Such a station shows nothing but that.
fn not_in(d: &StationDetail) -> bool {
    counts_unsubmitted(d)
        || (d.sheets.is_empty()
            && !matches!(
                d.final_result.outcome,
                StationOutcome::Pass | StationOutcome::Fail | StationOutcome::Absent
            ))
}

/// What changed a station's result from the one its marks give, as the
/// candidate is told it: the exam lead's decisions are not moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Changed {
    /// External moderation of the examiners' marks.
    Moderation,
    /// The exam lead's decision on an absence.
    Absence,
    /// The exam lead's decision on the station's result.
    Review,
}

impl Changed {
    /// What changed `d`'s result, where its marks give another.
    fn of(d: &StationDetail) -> Option<Changed> {
        let settled = matches!(
            d.final_result.outcome,
            StationOutcome::Pass | StationOutcome::Fail
        );
        if !settled || d.final_result.outcome == d.result.outcome {
            return None;
        }
        let ruled = |is: fn(&Ruling) -> bool| d.decided.iter().any(|h| is(&h.ruling));
        Some(if ruled(|r| matches!(r, Ruling::Absence { .. })) {
            Changed::Absence
        } else if ruled(|r| matches!(r, Ruling::StationResult { .. })) {
            Changed::Review
        } else {
            Changed::Moderation
        })
    }

    /// Said after the station's marks.
    fn words(self) -> &'static str {
        match self {
            Changed::Moderation => " (decided on external moderation)",
            Changed::Absence => " (the absence counts as a fail)",
            Changed::Review => " (decided on review after the exam)",
        }
    }
}

/// What the candidate is told of a station's result that the exam lead or
/// an external assessor decided (who decided and why are the exam
/// board's, not the decision's words, "the station's result is FAIL").
enum Decided {
    /// The examiners' marks give that result too: their own reasons (a
    /// critical item, the pass mark).
    AsMarked(Vec<crate::scoring::Reason>),
    /// The marks gave a pass: that it was judged not passed, and who can
    /// say why.
    Overturned(crate::scoring::Reason),
}

impl Decided {
    /// `None` where nobody decided the result, or it was decided a pass.
    fn of(d: &StationDetail) -> Option<Decided> {
        let ruled = d
            .decided
            .iter()
            .any(|h| matches!(h.ruling, Ruling::StationResult { .. }));
        let moderated = matches!(
            d.moderation,
            crate::results::moderation::CellModeration::Disagreed { .. }
        );
        if !(ruled || moderated) {
            return None;
        }
        match (d.result.outcome, d.final_result.outcome) {
            (marks, told) if marks == told => Some(Decided::AsMarked(d.result.reasons.clone())),
            (StationOutcome::Pass, StationOutcome::Fail) => {
                Some(Decided::Overturned(crate::scoring::Reason::new(
                    crate::scoring::Outcome::Fail,
                    format!(
                        "station '{}': not passed {}, although the examiners' marks gave a pass (your module leader \
                     can tell you why)",
                        d.final_result.title,
                        if ruled {
                            "on review after the exam"
                        } else {
                            "on external moderation"
                        }
                    ),
                )))
            }
            _ => None,
        }
    }
}

/// `c`'s result after moderation and decisions as the candidate is told
/// it: where a station's result was decided ([`Decided`]), its reasons in
/// the station's result and in the candidate's (the decision's words left
/// out where the examiners' own reasons stand, replaced where the marks
/// gave a pass).
fn told_result(c: &CandidateResult) -> AssessmentResult {
    let mut r = c.final_result.clone();
    // The failed stations as a rule's reason lists them, each with its own
    // reason: listed again below with the reasons told.
    let listed = failed_list(&r, str::to_string);
    for station in &mut r.stations {
        let Some(decided) = c.stations.get(&station.station).and_then(Decided::of) else {
            continue;
        };
        let words: Vec<String> = station.reasons.iter().map(|x| x.text.clone()).collect();
        let (told, instead) = match decided {
            Decided::AsMarked(reasons) => (reasons, None),
            Decided::Overturned(reason) => (vec![reason.clone()], Some(reason)),
        };
        let mut kept = Vec::new();
        let mut instead = instead;
        for reason in std::mem::take(&mut r.reasons) {
            if !words.contains(&reason.text) {
                kept.push(reason);
            } else if let Some(once) = instead.take() {
                kept.push(once);
            }
        }
        r.reasons = kept;
        station.reasons = told;
    }
    let told = failed_list(&r, str::to_string);
    if !listed.is_empty() && told != listed {
        for reason in &mut r.reasons {
            if reason.text.contains(&listed) {
                reason.text = reason.text.replacen(&listed, &told, 1);
            }
        }
    }
    // A failed station the rule's list names with its reason is not told
    // again on its own after it (its own section says it in full).
    if !told.is_empty() && r.reasons.iter().any(|x| x.text.contains(&told)) {
        let listed: Vec<String> = r
            .stations
            .iter()
            .filter(|s| s.is_scored() && s.outcome == crate::scoring::StationOutcome::Fail)
            .map(|s| format!("{}: ", s.place()))
            .collect();
        r.reasons
            .retain(|x| x.text.contains(&told) || !listed.iter().any(|t| x.text.starts_with(t.as_str())));
    }
    r
}

/// The feedback file of one candidate, in Markdown: `exam_final` says
/// whether every result of the exam is final (else each page says the
/// result may still change).
pub fn render(rubric: &Rubric, cohort: &Cohort, c: &CandidateResult, exam_final: bool) -> String {
    markdown(&document(rubric, cohort, c, exam_final))
}

/// The feedback of one candidate as one self-contained HTML page, to read
/// in a browser or print.
pub fn render_html(rubric: &Rubric, cohort: &Cohort, c: &CandidateResult, exam_final: bool) -> String {
    html(
        &document(rubric, cohort, c, exam_final),
        &format!("{}: feedback for {}", rubric.title, c.candidate),
    )
}

/// What one candidate's feedback says; `exam_final` whether every result
/// of the exam is final (`osce status`'s "Every result is final"): until
/// it is, a result that is in is provisional.
pub fn document(rubric: &Rubric, cohort: &Cohort, c: &CandidateResult, exam_final: bool) -> Doc {
    let fb = rubric.candidate_feedback;
    let mut blocks = Vec::new();
    blocks.push(Block::Title(vec![name(&rubric.title), text(": feedback")]));
    let mut who = vec![text("Candidate: ")];
    if c.name.is_empty() {
        who.push(text(&c.candidate));
    } else {
        who.push(name(&c.name));
        who.push(text(format!(" ({})", c.candidate)));
    }
    blocks.push(Block::Para(who));
    // The result after moderation: what the exam board confirms, its
    // decided stations' reasons as the candidate is told them.
    let told = told_result(c);
    let r = &told;
    // A result that rests on a sheet not submitted is not told: neither
    // the word nor the total, nor the reasons and parts behind it.
    let unsubmitted = c.stations.values().any(counts_unsubmitted);
    let word = if unsubmitted && c.deferred.is_none() {
        crate::scoring::Outcome::Incomplete.to_string()
    } else {
        c.final_word()
    };
    let mut result = vec![Span::Strong(format!("Result: {word}"))];
    // A total only where there is a mark (as marks.csv gives it): not a
    // part of one for a result not in, deferred, or with a station's
    // result still being confirmed.
    // Not where no rule judges a total and every station is judged by
    // the level reached (a final clinical assessment's cases): a total of
    // marks would read as what the result rests on.
    let by_level = !rubric
        .pass_rules
        .iter()
        .any(|rule| matches!(rule, crate::rubric::PassRule::TotalAtLeast { .. }))
        && rubric
            .scored_stations()
            .all(|s| matches!(s.pass_mark, Some(crate::rubric::PassMark::GlobalRatingAtLeast(_))));
    if fb.station_results && !unsubmitted && c.has_mark() && !(by_level && r.module_mark_words().is_none()) {
        let stations = format!(
            "{} of {}{}",
            fmt_marks(r.total),
            fmt_marks(r.max),
            r.percent()
                .map(|p| format!(" ({}%)", fmt_percent(p)))
                .unwrap_or_default()
        );
        // A module of weighted parts: its mark is the module mark, the
        // stations' total a part of it.
        result.push(text(match r.module_mark_words() {
            Some(module) => format!(" — {module}; the stations' total {stations}"),
            None => format!(" — total {stations}"),
        }));
    }
    blocks.push(Block::Para(result));
    let settled = !unsubmitted
        && matches!(
            r.outcome,
            crate::scoring::Outcome::Pass | crate::scoring::Outcome::Fail
        );
    let changed: Vec<Changed> = c.stations.values().filter_map(Changed::of).collect();
    if c.deferred.is_some() {
        // The decision's reason is for the exam board (mitigating
        // circumstances may be a matter of health): not told here.
        blocks.push(Block::Para(vec![text(
            "Your assessment is deferred to a later sitting.",
        )]));
    } else if !settled {
        // Nothing about moderation while it is under way.
        blocks.push(Block::Para(vec![text(
            "This result is not complete yet: the results will be confirmed once every part is in.",
        )]));
    } else if r.outcome != c.result.outcome {
        let words = if changed.contains(&Changed::Moderation) {
            "This result was decided after external moderation of the examiners' marks."
        } else if changed.contains(&Changed::Absence) {
            "This result follows the decision on your absence."
        } else if changed.contains(&Changed::Review) {
            "This result follows a review of the examiners' marks after the exam."
        } else {
            "This result was decided after external moderation of the examiners' marks."
        };
        blocks.push(Block::Para(vec![text(words)]));
    }
    // Settled already by what is in (a failed part, say), while some
    // stations still wait to be confirmed.
    let confirming = c.stations.values().any(|d| {
        d.final_result.outcome == StationOutcome::Incomplete
            && matches!(d.result.outcome, StationOutcome::Pass | StationOutcome::Fail)
    });
    if settled && c.deferred.is_none() && confirming {
        blocks.push(Block::Para(vec![text(format!(
            "Some {}' results are still being confirmed; the result above already follows from the parts that are \
             settled.",
            rubric.noun().many()
        ))]));
    }
    // A deferred candidate has no result at this sitting: no reasons for one.
    if settled && c.deferred.is_none() && r.outcome == crate::scoring::Outcome::Fail && fb.station_results {
        let why = result_fail_reasons(r);
        if !why.is_empty() {
            blocks.push(Block::Para(vec![text(why_line(&why))]));
        }
    }
    // A pass with a station failed (the rules let the others make up for
    // it): what the pass rests on, so the failed station below does not
    // read as a mistake.
    if settled
        && c.deferred.is_none()
        && r.outcome == crate::scoring::Outcome::Pass
        && fb.station_results
        && c.stations
            .values()
            .any(|d| d.final_result.outcome == StationOutcome::Fail)
    {
        let why = pass_reasons(r);
        if !why.is_empty() {
            blocks.push(Block::Para(vec![text(format!(
                "You passed although not every {} was passed. {}",
                rubric.noun().one(),
                why_line(&why)
            ))]));
        }
    }
    // The module's parts: the stations' and those assessed outside them
    // (written papers, the logbook).
    if !r.components.is_empty() && fb.station_results && !unsubmitted {
        blocks.push(Block::Para(vec![text("Parts of the module:")]));
        let parts = r
            .components
            .iter()
            .map(|part| {
                let word = match part.outcome {
                    crate::scoring::Outcome::Incomplete => "no result yet".to_string(),
                    outcome => outcome.to_string(),
                };
                let share = part
                    .percent_words()
                    .map(|p| format!(" ({p}%)"))
                    .unwrap_or_default();
                // The logbook not yet passed: what is still needed, as the
                // logbook check recorded it (what the candidate has to do
                // before the next sitting). Another part's note is the
                // module leader's, not told.
                let needed = rubric
                    .logbook
                    .as_ref()
                    .filter(|gate| {
                        gate.component == part.component && part.outcome == crate::scoring::Outcome::Fail
                    })
                    .and_then(|_| {
                        c.component_decisions
                            .iter()
                            .find(|(id, _)| *id == part.component)
                            .and_then(|(_, held)| match &held.ruling {
                                crate::results::decisions::Ruling::Component { note, .. }
                                    if !note.trim().is_empty() =>
                                {
                                    Some(format!(" (still needed: {})", note.trim()))
                                }
                                _ => None,
                            })
                    })
                    .unwrap_or_default();
                vec![name(&part.title), text(format!(": {word}{share}{needed}"))]
            })
            .collect();
        blocks.push(Block::List(parts));
    }
    // Provisional pass marks, or an exam whose results are not final yet
    // (moderation under way, a decision to make): a result told now may
    // still change.
    if c.deferred.is_none() && (!r.provisional.is_empty() || (!exam_final && settled)) {
        blocks.push(Block::Para(vec![text(
            "This result is provisional until the exam board confirms it.",
        )]));
    }
    for station in rubric.scored_stations() {
        let Some(d) = c.stations.get(&station.id) else {
            continue;
        };
        blocks.push(Block::Heading(vec![name(&station.title)]));
        if not_in(d) {
            blocks.push(Block::Para(vec![text(format!(
                "Not in yet: this {}'s result will follow.",
                rubric.noun().one()
            ))]));
            continue;
        }
        let s = &d.final_result;
        if fb.station_results {
            let word = match s.outcome {
                StationOutcome::Pass => "Passed",
                StationOutcome::Fail => "Not passed",
                StationOutcome::Absent => "Absent",
                // Every mark is in; the result waits for confirmation.
                _ if matches!(d.result.outcome, StationOutcome::Pass | StationOutcome::Fail) => {
                    "Being confirmed"
                }
                _ => "Not yet complete",
            };
            let moderated = Changed::of(d).map_or("", Changed::words);
            // An absence has no marks, never a 0 that would read as marks
            // earned; one decided as a fail says so.
            let level = level_words(rubric, station, s);
            let line = match (d.result.outcome, s.outcome) {
                (StationOutcome::Absent, StationOutcome::Fail) => {
                    "Absent: counted as not passed.".to_string()
                }
                (StationOutcome::Absent, _) => "Absent.".to_string(),
                // Judged by the level reached (a final clinical
                // assessment's entrustment), not by marks: the level told.
                _ if level.is_some() => {
                    format!("{word}: {}{moderated}.", level.unwrap_or_default())
                }
                _ => format!(
                    "{word}: {} of {} marks{moderated}.",
                    fmt_marks(s.score),
                    fmt_marks(s.max)
                ),
            };
            blocks.push(Block::Para(vec![text(line)]));
            if s.outcome == StationOutcome::Fail {
                // The reason in words: a critical item, the competency
                // rule, the entrustment level, the pass mark; for a result
                // decided after the exam, as [`Decided`] tells it.
                let decided = r.stations.iter().find(|x| x.station == station.id);
                let why = fail_reasons(decided.map_or(&s.reasons, |x| &x.reasons).iter());
                if !why.is_empty() {
                    blocks.push(Block::Para(vec![text(why_line(&why))]));
                }
            }
        }
        if fb.global_rating
            && let Some((_, label)) = &s.global_rating
        {
            blocks.push(Block::Para(vec![
                text("Overall judgement: "),
                name(label),
                text("."),
            ]));
        }
        if fb.item_levels
            && let Some(&first) = d.sheets.first()
        {
            let sheet = &cohort.sheets[first];
            let items = station
                .items
                .iter()
                .map(|item| {
                    let level = match sheet.state.mark(&item.id).map(|m| m.level) {
                        Some(Some(l)) => rubric
                            .scale(item.scale)
                            .levels
                            .get(l)
                            .map_or(String::new(), |x| x.label.clone()),
                        Some(None) => "not observed".to_string(),
                        None => "not marked".to_string(),
                    };
                    vec![name(&item.text), text(": "), name(level)]
                })
                .collect();
            blocks.push(Block::List(items));
        }
        if fb.comments {
            let comments: Vec<String> = d
                .sheets
                .iter()
                .filter_map(|&i| submitted_feedback(&cohort.sheets[i]))
                .map(str::to_string)
                .collect();
            if comments.is_empty() {
                blocks.push(Block::Para(vec![text("No written feedback.")]));
            } else {
                blocks.extend(comments.into_iter().map(Block::Verbatim));
            }
        }
    }
    Doc { blocks }
}

/// The page as Markdown: a blank line after every block.
pub fn markdown(doc: &Doc) -> String {
    let spans = |spans: &[Span]| -> String {
        spans
            .iter()
            .enumerate()
            .map(|(i, s)| match s {
                Span::Text(t) => t.clone(),
                Span::Name(t) => plain(t, i == 0),
                Span::Strong(t) => format!("**{}**", plain(t, false)),
            })
            .collect()
    };
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Title(s) => {
                let _ = writeln!(out, "# {}\n", spans(s));
            }
            Block::Heading(s) => {
                let _ = writeln!(out, "## {}\n", spans(s));
            }
            Block::Para(s) => {
                let _ = writeln!(out, "{}\n", spans(s));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", spans(item));
                }
                out.push('\n');
            }
            Block::Verbatim(t) => {
                let _ = writeln!(out, "{}\n", verbatim(t));
            }
        }
    }
    // One newline at the end, not a blank line.
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Text safe inside HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page as one self-contained HTML file: no scripts, nothing fetched,
/// styles inline, printable on A4.
pub fn html(doc: &Doc, title: &str) -> String {
    let spans = |spans: &[Span]| -> String {
        spans
            .iter()
            .map(|s| match s {
                Span::Text(t) | Span::Name(t) => escape(t),
                Span::Strong(t) => format!("<strong>{}</strong>", escape(t)),
            })
            .collect()
    };
    let mut body = String::new();
    for block in &doc.blocks {
        match block {
            Block::Title(s) => {
                let _ = writeln!(body, "<h1>{}</h1>", spans(s));
            }
            Block::Heading(s) => {
                let _ = writeln!(body, "<h2>{}</h2>", spans(s));
            }
            Block::Para(s) => {
                let _ = writeln!(body, "<p>{}</p>", spans(s));
            }
            Block::List(items) => {
                body.push_str("<ul>\n");
                for item in items {
                    let _ = writeln!(body, "<li>{}</li>", spans(item));
                }
                body.push_str("</ul>\n");
            }
            Block::Verbatim(t) => {
                let _ = writeln!(body, "<blockquote>{}</blockquote>", escape(t.trim_end()));
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

/// The page's look: readable on screen, and on paper (A4, no colours
/// needed to understand it).
const STYLE: &str = "body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #111; \
background: #fff; line-height: 1.45; margin: 0; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 0.4rem; padding-top: 0.6rem; border-top: 1px solid #ccc; }
p { margin: 0.4rem 0; }
ul { margin: 0.3rem 0 0.6rem 1.2rem; padding: 0; }
blockquote { white-space: pre-wrap; margin: 0.5rem 0; padding: 0.5rem 0.8rem; border-left: 3px solid #888; \
background: #f4f4f4; }
@media print { main { margin: 0; max-width: none; } h2 { break-after: avoid; } blockquote { break-inside: avoid; } }
@page { size: A4; margin: 18mm; }
";

/// A station judged by the level reached (its pass mark a global rating
/// to reach): the level given and the level needed, in words; `None`
/// for a station judged otherwise, or with no level given.
fn level_words(
    rubric: &Rubric,
    station: &crate::rubric::Station,
    s: &crate::scoring::StationResult,
) -> Option<String> {
    let Some(crate::rubric::PassMark::GlobalRatingAtLeast(needed)) = &station.pass_mark else {
        return None;
    };
    let (given, label) = s.global_rating.as_ref()?;
    let needed_words = match station
        .global_rating
        .as_ref()
        .and_then(|g| rubric.scale(g.scale).levels.get(*needed))
    {
        // Not passed with the level reached: failed for something else (a
        // critical item, the markers' agreed result), which is said below;
        // never "not passed: …, the level needed".
        _ if given >= needed && s.outcome == StationOutcome::Fail => {
            " (the level needed was reached; not passed for another reason)".to_string()
        }
        // Passed with the level below the one needed: on moderation or by
        // a decision, which the line says after it; never "Passed: …
        // ('4 …' or above is needed)".
        Some(l) if given < needed && s.outcome == StationOutcome::Pass => format!(
            " — below the level needed ('{}' or above), passed on another ground",
            l.label
        ),
        _ if given == needed => ", the level needed".to_string(),
        Some(l) => format!(" ('{}' or above is needed)", l.label),
        None => String::new(),
    };
    Some(format!("'{label}'{needed_words}"))
}

#[cfg(test)]
mod tests {
    use super::{passes_told, told};
    use crate::scoring::{Outcome, Reason};

    /// A pass told with a station passed on moderation, or decided by the
    /// exam lead, and a station failed for an absence: the decisions
    /// alone, never who made them or why, and no list of the failed.
    #[test]
    fn a_pass_is_told_without_who_decided_or_the_stations_failed() {
        let reasons = [
            Reason::new(
                Outcome::Pass,
                "5 of 6 stations passed (failed: Knee — absent; the absence counts as a fail (by Exam lead, \
                 2026-06-02 10:00 UTC: No mitigating circumstances)); at least 5 needed",
            ),
            Reason::new(
                Outcome::Pass,
                "station 'Shoulder': PASS on moderation by EA1 (the examiners' marks gave FAIL): clear images",
            ),
            Reason::new(
                Outcome::Pass,
                "station 'Ankle': decided PASS (by Dr Lead, 2026-06-02: appeal upheld)",
            ),
            Reason::new(Outcome::Fail, "not told as a pass"),
        ];
        let told = [
            "5 of 6 stations passed; at least 5 needed",
            "station 'Shoulder': PASS on external moderation",
            "station 'Ankle': decided PASS",
        ];
        // The failed stations as the result lists them, or (listed
        // otherwise) to the bracket that closes the list.
        let listed = " (failed: Knee — absent; the absence counts as a fail (by Exam lead, 2026-06-02 10:00 UTC: \
                      No mitigating circumstances))";
        assert_eq!(passes_told(reasons.iter(), listed), told);
        assert_eq!(passes_told(reasons.iter(), ""), told);
    }

    /// A reason whose words close a bracket they did not open: the list
    /// of failed stations, as the result makes it, is taken out whole, not
    /// to that bracket (which would leave the rest of the reason told).
    /// The exam board's words a candidate is told in plain words: the
    /// whole exam's pass mark and its parts, where a station's pass mark
    /// came from, a must-pass station.
    #[test]
    fn the_boards_words_are_told_in_plain_words() {
        assert_eq!(
            told(
                "total 82 of 99 meets the cut score 43.66 (sum of station pass marks 39.12 + 1 × SEM 4.54); \
                 must-pass station 'Professional issues and reporting' passed"
            ),
            "total 82 of 99 meets the pass mark for the whole exam, 43.66 (the stations' pass marks added up, \
             39.12, and a margin of 4.54 for how precise marks can be); 'Professional issues and reporting', a \
             station every candidate must pass, passed"
        );
        assert_eq!(
            told(
                "total 60 of 99 is below the cut score 59.4 (sum of station pass marks 59.4; 1 × SEM not yet added)"
            ),
            "total 60 of 99 is below the pass mark for the whole exam, 59.4 (the stations' pass marks added up, 59.4; \
             a margin for how precise marks can be is still to be added)"
        );
        // A margin of twice the SEM is told as twice it, not as one.
        assert_eq!(
            told("total 50 of 99 meets the cut score 48.19 (sum of station pass marks 39.12 + 2 × SEM 4.54)"),
            "total 50 of 99 meets the pass mark for the whole exam, 48.19 (the stations' pass marks added up, \
             39.12, and a margin of 2 × 4.54 for how precise marks can be)"
        );
        assert_eq!(
            told(
                "station 'Knee': score 9 of 20 is below the pass mark 10.5 (standard-set (borderline regression))"
            ),
            "station 'Knee': score 9 of 20 is below the pass mark 10.5 (set from how candidates performed at the \
             station)"
        );
        assert_eq!(
            told(
                "station 'Knee': score 9 of 20 is below the pass mark 12 (provisional until borderline regression)"
            ),
            "station 'Knee': score 9 of 20 is below the pass mark 12 (provisional: it may change when the exam \
             board sets the standard)"
        );
    }

    #[test]
    fn a_bracket_in_a_reason_does_not_end_the_failed_stations() {
        let listed = " (failed: Knee — absent; the absence counts as a fail (by Exam lead, 2026-06-02: \
                      1) no certificate; 2) late)";
        let reasons = [Reason::new(
            Outcome::Pass,
            format!("5 of 6 stations passed{listed}; at least 5 needed"),
        )];
        assert_eq!(
            passes_told(reasons.iter(), listed),
            ["5 of 6 stations passed; at least 5 needed"]
        );
    }
}
