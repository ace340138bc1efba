//! Whether every result is final: what `osce status` and `osce export` exit
//! 0 on, so that a script knows whether to upload.

use crate::results::gather::{CellState, Cohort, Matrix};
use crate::results::moderation::{CellModeration, Moderation};
use crate::rubric::Rubric;

/// What [`not_final`] counts of the results and the day's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pending {
    /// How many candidates' results (after moderation) are INCOMPLETE.
    pub incomplete: usize,
    /// How many candidates' results are certain and have no mark to upload
    /// yet (only where the export gives marks).
    pub without_mark: usize,
    /// How many of the sheets not in belong to rounds not begun yet, by the
    /// roster's circuit start times.
    pub not_due: usize,
    /// How many of the folders named were not read: holding none of the
    /// assessment's sheets (a laptop's folder named a level too high, say),
    /// or examiners' folders outside the assessment's folder.
    pub not_read: usize,
}

/// Why the results are not yet final, each reason in words, most pressing
/// first; empty when every result is final. `counts` are what the
/// results and the clock add ([`Pending`]).
///
/// Final means: sheets were found, none marked against another version of
/// the rubric, every expected sheet is in, no cell is in conflict or holds
/// a journal that cannot be used, no candidate's result is INCOMPLETE
/// (which covers pending referrals, agreed marks and third markers, and
/// sheets the rubric requires to be moderated), no moderation decision has
/// gone stale or is contradicted by another assessor, and where the rubric
/// requires moderation, an assessor has moderated and every assessor has
/// signed off, and where the rubric leaves pass marks to standard setting
/// (or adds the SEM to the cut score), standard-set pass marks have been
/// adopted (`osce decide pass-marks`).
pub fn not_final(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    moderation: &Moderation,
    decisions: &crate::results::decisions::Decisions,
    counts: Pending,
) -> Vec<String> {
    let Pending {
        incomplete,
        without_mark,
        not_due,
        not_read,
    } = counts;
    let n = crate::base::text::plural;
    let mut why = Vec::new();
    if not_read > 0 {
        why.push(format!(
            "{} named {} not read (\"Not read\" says which, and the folder to give instead): the sheets there are not \
             counted, so every result may not be here",
            n(not_read, "folder", "folders"),
            if not_read == 1 { "was" } else { "were" }
        ));
    }
    let unreadable = decisions.problems.len().saturating_sub(decisions.other_versions);
    if unreadable > 0 {
        why.push(format!(
            "{} cannot be read whole, so a decision may be missing (osce status lists each, with the decision that settles it)",
            n(unreadable, "decisions journal", "decisions journals")
        ));
    }
    if decisions.other_versions > 0 {
        why.push(format!(
            "{} decided under another version of the rubric, so not used: name the rubric the exam was marked \
             with, or decide again under this one (osce status lists each)",
            n(
                decisions.other_versions,
                "decisions journal was",
                "decisions journals were"
            )
        ));
    }
    if !moderation.problems.is_empty() {
        why.push(format!(
            "{} cannot be used whole, so an assessor's decision may be missing (osce status lists each under \
             \"Problems with session files\", with what to do)",
            n(
                moderation.problems.len(),
                "moderation journal",
                "moderation journals"
            )
        ));
    }
    if let Some(words) = cohort.other_versions_words(rubric) {
        why.push(words);
    }
    if !cohort.refused.is_empty() {
        why.push(format!(
            "{} in the laptops' folders {} refused by collect (cut or changed after it was collected, or failing \
             its checks): the archive keeps what it had, but what the folders hold is not what it holds. Look at \
             each (osce status lists them), take a file cut or changed out of the folders (keep it elsewhere as \
             evidence), and collect its folder again",
            n(cohort.refused.len(), "copy", "copies"),
            if cohort.refused.len() == 1 { "was" } else { "were" }
        ));
    }
    if m.candidates.is_empty() {
        why.push(format!("no sheets were found for assessment \"{}\"", rubric.id));
        return why;
    }
    if !m.unexpected.is_empty() {
        why.push(format!(
            "{} marked but not on the roster (a mistyped id on a sheet, or another exam's roster): add each to the \
             roster, or void a sheet marked under a wrong id (osce status --problems lists each)",
            n(m.unexpected.len(), "candidate is", "candidates are")
        ));
        let lookalikes = m.roster_lookalikes();
        if !lookalikes.is_empty() {
            let pairs: Vec<String> = lookalikes
                .iter()
                .map(|(marked, r)| format!("{marked} (marked) looks like the roster's {r} (no sheet at all)"))
                .collect();
            why.push(format!(
                "{}: if the roster mistypes {}, correct it there",
                pairs.join("; "),
                if lookalikes.len() == 1 {
                    "the id"
                } else {
                    "these ids"
                }
            ));
        }
    }
    let count = |state: CellState| m.cells.values().filter(|c| c.state == state).count();
    // A cell whose only sheets are of another version of the rubric is
    // said with them, above.
    let problems = m
        .cells
        .values()
        .filter(|c| c.state == CellState::Problem && !c.other_version)
        .count();
    if problems > 0 {
        why.push(format!(
            "{} a journal that cannot be used as it is (osce status lists each, with the decision that settles it)",
            n(problems, "sheet has", "sheets have")
        ));
    }
    let conflicts = count(CellState::Conflict);
    if conflicts > 0 {
        why.push(format!(
            "{} in conflict: different sheets where one is expected (osce status lists each, with the decision that settles it)",
            n(conflicts, "cell is", "cells are")
        ));
    }
    let amending = count(CellState::Amending);
    if amending > 0 {
        why.push(format!(
            "{} being amended and not submitted again (its last submitted version counts meanwhile; the examiner opens it and submits it)",
            n(amending, "sheet is", "sheets are")
        ));
    }
    // An absence the exam lead has not settled: a FAIL, or a deferral
    // (no result at this sitting), is theirs to decide, whatever the
    // candidate's other stations give (unless a deferral took the
    // sitting's result away).
    let absences = m
        .cells
        .keys()
        .filter(|(candidate, station)| m.absence_to_settle(candidate, station))
        .count();
    if absences > 0 {
        why.push(format!(
            "{} not settled: the exam lead decides whether each counts as a fail or defers the candidate (osce \
             status lists each, with the decision that settles it)",
            n(absences, "absence is", "absences are")
        ));
    }
    let waiting = m.waiting();
    if waiting > 0 {
        why.push(format!(
            "{} not in yet{}",
            n(waiting, "expected sheet is", "expected sheets are"),
            match not_due.min(waiting) {
                0 => String::new(),
                due if due == waiting => {
                    " (none of them due yet: their rounds have not ended, by the roster's circuit start times)".to_string()
                }
                due => format!(" ({due} of them not due yet: their rounds have not ended)"),
            }
        ));
    }
    let mut stale = 0;
    let mut locked = 0;
    let mut differ = 0;
    let mut referred = 0;
    for ((candidate, station), cell) in &m.cells {
        if cell.sheets.is_empty() || matches!(cell.state, CellState::Conflict | CellState::Problem) {
            continue;
        }
        // The exam lead's decision on the station's result settles what
        // moderation left open.
        if cell.result_decided() {
            continue;
        }
        match moderation.cell(cohort, &cell.sheets, candidate, station) {
            CellModeration::Stale {
                signed_off: false, ..
            } => stale += 1,
            CellModeration::Stale { signed_off: true, .. } => locked += 1,
            CellModeration::Conflicting { .. } => differ += 1,
            CellModeration::Referred { third: None, .. } => referred += 1,
            _ => {}
        }
    }
    if referred > 0 {
        why.push(format!(
            "{} to a third marker whose sheet is not in yet",
            n(referred, "sheet was referred", "sheets were referred")
        ));
    }
    if stale > 0 {
        why.push(if stale == 1 {
            "1 sheet has changed since it was moderated and must be moderated again, or its result decided (osce \
             decide result)"
                .to_string()
        } else {
            format!(
                "{stale} sheets have changed since they were moderated and must be moderated again, or their results \
                 decided (osce decide result)"
            )
        });
    }
    if locked > 0 {
        why.push(if locked == 1 {
            "1 sheet has changed since it was moderated, and its assessor has signed off: the exam lead decides its \
             result (osce decide result)"
                .to_string()
        } else {
            format!(
                "{locked} sheets have changed since they were moderated, and their assessors have signed off: the \
                 exam lead decides their results (osce decide result)"
            )
        });
    }
    if differ > 0 {
        why.push(format!(
            "the assessors' decisions differ on {}",
            n(differ, "sheet", "sheets")
        ));
    }
    if rubric.moderation != crate::rubric::ModerationPolicy::None {
        let assessors = moderation.assessors();
        if assessors.is_empty() {
            why.push(
                "the rubric requires moderation, and no assessor's decisions were found (the assessor moderates \
                 with osce moderate; then give the folder their journal is in with the other --sessions, or \
                 collect it into the archive: osce collect ARCHIVE FOLDER)"
                    .to_string(),
            );
        }
        for (assessor, _) in assessors.iter().filter(|(_, signed)| !signed) {
            why.push(format!("assessor {assessor} has not signed the moderation off"));
        }
        for known in &rubric.assessors {
            if !assessors.iter().any(|(a, _)| a == known) {
                why.push(format!(
                    "assessor {known} (named in the rubric) has no decisions in the folders given: add the folder \
                     their moderation journal is in"
                ));
            }
        }
    }
    // Pass marks the rubric leaves to standard setting (or a cut that adds
    // the SEM) stay provisional until the exam lead adopts a
    // standard-setting record: every result says so, and none is final.
    let standard_set = rubric.standard_set_stations().count();
    let plus_sem = rubric.cut_adds_sem();
    let provisional = decisions.pass_marks().is_none() && rubric.pass_marks_provisional();
    if provisional {
        why.push(format!(
            "no pass marks have been adopted: {}, so every result is provisional until the exam board adopts \
             them (osce report --save-standards FILE, then osce decide pass-marks --record FILE; a station \
             standard setting cannot set is saved as keeping its provisional pass mark)",
            match (standard_set, plus_sem) {
                (0, _) => "the cut score adds the SEM".to_string(),
                (k, false) => format!("the rubric standard-sets {}", n(k, "station", "stations")),
                (k, true) => format!(
                    "the rubric standard-sets {} and its cut score adds the SEM",
                    n(k, "station", "stations")
                ),
            }
        ));
    }
    // Sheets submitted, amended or added after the pass marks were adopted:
    // the board adopted them over other sheets than these. Fewer sheets
    // than then (a folder of the exam's read alone) changes no pass mark:
    // the warning every command gives says so.
    if let (Some((made, _)), Some(then)) = (decisions.pass_marks(), decisions.pass_marks_adopted_over())
        && cohort.sheets.len() >= then.sheets
        && crate::analysis::standards::sheets_changed_since(&then.fingerprint, cohort, || {
            moderation.referral_sheets(rubric, cohort, m)
        })
    {
        why.push(format!(
            "sheets were submitted, amended or added after the pass marks in force were adopted ({}, by {}): the \
             board adopted them over other sheets than these. Set them again from these sheets (osce report \
             --save-standards FILE) and adopt that record (osce decide pass-marks --record FILE), or adopt the \
             same record again if the board means it to stand",
            made.time.format("%Y-%m-%d %H:%M UTC"),
            made.entry.by
        ));
    }
    // Decisions that change the marks on sheets, recorded after the pass
    // marks were adopted: as for a sheet changed, the board adopted them
    // over other marks than these.
    if let Some((made, _)) = decisions.pass_marks() {
        let after = decisions.marks_decided_after(made.time, cohort);
        if !after.is_empty() {
            why.push(format!(
                "the pass marks in force were adopted ({}, by {}) before {}. Set them again from the marks as \
                 decided (osce report --save-standards FILE) and adopt that record (osce decide pass-marks --record \
                 FILE), or adopt the same record again if the board means it to stand",
                made.time.format("%Y-%m-%d %H:%M UTC"),
                made.entry.by,
                crate::results::decisions::marks_decided_words(&after)
            ));
        }
    }
    if incomplete > 0 {
        why.push(format!(
            "{} INCOMPLETE (results.csv from osce export says why for each)",
            n(incomplete, "candidate's result is", "candidates' results are")
        ));
    }
    if without_mark > 0 {
        // What can leave a station unsettled, what is there first: sheets
        // not in yet are the common case while folders are still coming.
        let mut causes = Vec::new();
        if waiting > 0 {
            causes.push("a sheet not in yet");
        }
        if absences > 0 {
            causes.push("an absence not settled");
        }
        causes.push("a result held for review");
        causes.push("an item left unmarked awaiting a ruling");
        let last = causes.pop().unwrap_or_default();
        let causes = format!("{}, or {last}", causes.join(", "));
        why.push(format!(
            "{} certain{}, yet marks.csv has no mark for them until each of their stations is settled ({causes}; \
             osce status lists each station, with the decision that settles it where one is needed){}",
            n(without_mark, "candidate's result is", "candidates' results are"),
            if provisional {
                " under the provisional pass marks (adopting pass marks may change that)"
            } else {
                ""
            },
            // Certain from the marks, but not beyond the exam lead: a
            // deferral takes the result away.
            if absences > 0 {
                "; an absence settled by deferring the candidate takes their result away (DEFERRED)"
            } else {
                ""
            }
        ));
    }
    why
}
