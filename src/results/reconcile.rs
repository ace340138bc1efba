//! Each candidate's result from a gathered cohort: which sheet counts at
//! each station, how two markers are reconciled, and the overall result.

use std::collections::BTreeMap;

use crate::results::decisions::{AbsenceOutcome, Held, Ruling};
use crate::results::gather::{CellState, Cohort, Matrix};
use crate::results::moderation::{CellModeration, Moderation};
use crate::rubric::{Critical, FixedMark, Reconcile, Rubric};
use crate::scoring::Outcome;
use crate::scoring::{
    AssessmentResult, CandidateSheets, Competency, Reason, Standards, StationOutcome, StationResult, Tally,
    fmt_marks, overall, score_station, score_tally,
};
use crate::store::{Decision, Proposed};

/// How one station's result was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct StationDetail {
    pub result: StationResult,
    /// Indices into the cohort's sheets that count.
    pub sheets: Vec<usize>,
    /// Each marker's own score, where two (or more) marked.
    pub markers: Vec<(String, f64)>,
    /// The largest difference between markers, where more than one.
    pub discrepancy: Option<f64>,
    /// Whether that difference is over the rubric's threshold.
    pub over_threshold: bool,
    /// Where several marked: whether one marker's own sheet passes the
    /// station and another's fails it (within the threshold too).
    pub results_differ: bool,
    /// How the result was reached, or why a sheet was not used.
    pub note: Option<String>,
    /// Where external moderation leaves this station.
    pub moderation: CellModeration,
    /// The result after moderation (the same as `result` where moderation
    /// changed nothing).
    pub final_result: StationResult,
    /// The exam lead's decisions that hold for this station.
    pub decided: Vec<Held>,
    /// Indices into the cohort's sheets begun here and never submitted:
    /// they do not count (the station waits for them).
    pub unsubmitted: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CandidateResult {
    pub candidate: String,
    pub name: String,
    /// The result the examiners' marks give.
    pub result: AssessmentResult,
    /// The result after moderation.
    pub final_result: AssessmentResult,
    /// Where moderation stands for this candidate, in words.
    pub moderation_status: String,
    /// Each station moderation changed or holds back, and why.
    pub moderation_reasons: Vec<Reason>,
    /// By station id, scored stations only.
    pub stations: BTreeMap<String, StationDetail>,
    /// Deferred by the exam lead's decision (an absence with mitigating
    /// circumstances), with the decision in words: no result at this
    /// sitting, and nothing to upload.
    pub deferred: Option<String>,
    /// The component results recorded by decisions (written papers, the
    /// logbook), and those withdrawn, by component id.
    pub component_decisions: Vec<(String, Held)>,
}

impl CandidateResult {
    /// The final result as the exports write it: `DEFERRED` where the exam
    /// lead deferred the candidate, else `PASS`, `FAIL` or `INCOMPLETE`.
    pub fn final_word(&self) -> String {
        match &self.deferred {
            Some(_) => "DEFERRED".to_string(),
            None => self.final_result.outcome.to_string(),
        }
    }

    /// Whether the result still waits for something (INCOMPLETE and not
    /// deferred by a decision).
    pub fn waiting(&self) -> bool {
        self.deferred.is_none() && self.final_result.outcome == crate::scoring::Outcome::Incomplete
    }

    /// Whether the candidate has a mark to upload: a result that is in,
    /// not deferred, with every station's result in (a total that lacks
    /// one would change once it is in) and no absence left to settle (a
    /// deferral would leave no mark).
    pub fn has_mark(&self) -> bool {
        !self.waiting()
            && self.deferred.is_none()
            && self.stations.values().all(|d| {
                // A station failed on a critical item with an item (or the
                // global rating) left unmarked has a partial score: the
                // total changes once it is ruled on.
                !matches!(
                    d.final_result.outcome,
                    crate::scoring::StationOutcome::Incomplete | crate::scoring::StationOutcome::Absent
                ) && d.final_result.missing.is_empty()
            })
    }

    /// A result already certain (a FAIL by a station elsewhere) while a
    /// station's result is held back: not final, for it has no mark yet.
    pub fn certain_without_mark(&self) -> bool {
        !self.waiting() && self.deferred.is_none() && !self.has_mark()
    }

    /// Why the marks so far fail the assessment whatever is to come (a
    /// critical item that fails the assessment, say), where the candidate
    /// is deferred all the same: a FAIL the deferral sets aside for this
    /// sitting, for the exam board to see.
    pub fn fail_set_aside(&self) -> Option<String> {
        self.deferred.as_ref()?;
        (self.final_result.outcome == crate::scoring::Outcome::Fail).then(|| {
            self.final_result
                .deciding_reasons()
                .map(|r| r.text.trim_end_matches('.').to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}

/// Whether moderation holds this station's result back while the
/// examiners' marks give one (PASS or FAIL): a decision to review under
/// other pass marks, a referral, assessors who differ. The exam lead may
/// decide such a result (`osce decide result`).
pub fn held_by_moderation(detail: &StationDetail) -> bool {
    matches!(detail.result.outcome, StationOutcome::Pass | StationOutcome::Fail)
        && detail.final_result.outcome == StationOutcome::Incomplete
        && !matches!(
            detail.moderation,
            CellModeration::NotModerated | CellModeration::Stale { .. }
        )
}

/// Whether the station is held for review: an assessor agreed or
/// disagreed when its marks gave another result, under other pass marks.
/// The exam lead may settle it with the result its marks give now
/// (`osce decide held`), or decide it (`osce decide result`).
pub fn held_for_review(detail: &StationDetail) -> bool {
    held_by_moderation(detail)
        && matches!(
            detail.moderation,
            CellModeration::Agreed { .. } | CellModeration::Disagreed { .. }
        )
}

/// Whether a station of a rubric that moderates a sample is held because
/// the sample takes it (a fail, a borderline rating) and it came in after
/// every assessor had signed off: only the exam lead's decision
/// (`osce decide result`) settles it.
pub fn held_unmoderated(rubric: &Rubric, detail: &StationDetail) -> bool {
    matches!(rubric.moderation, crate::rubric::ModerationPolicy::Sample { .. })
        && matches!(detail.moderation, CellModeration::NotModerated)
        && detail.final_result.outcome == StationOutcome::Incomplete
        && matches!(detail.result.outcome, StationOutcome::Pass | StationOutcome::Fail)
}

/// Whether the station waits for its markers' discrepancy to be
/// reconciled (their agreed mark, not `agreed` yet; or a third marker's
/// sheet, none begun), with no item left to rule on: where the markers
/// cannot agree, or no third marker will come, the exam lead may decide
/// its result (`osce decide result`).
pub fn awaiting_reconciliation(rubric: &Rubric, detail: &StationDetail, agreed: bool) -> bool {
    detail.over_threshold
        && detail.result.outcome == StationOutcome::Incomplete
        && detail.result.missing.is_empty()
        && detail.unsubmitted.is_empty()
        && match rubric.double_marking.reconcile {
            Reconcile::ThirdMarker => detail.sheets.len() < 3,
            Reconcile::AgreedMark => !agreed,
            Reconcile::Mean => false,
        }
}

/// Where the exam lead's decision of this station's result (`held`, the
/// decisions in force there) was taken before a sheet submitted now came
/// (a third marker's, a referred third marker's), before one of its
/// sheets was amended, or before the markers' agreed mark was recorded
/// (`agreed`: one is now): what came since, in words. Such a decision is
/// held for review, neither kept over what came nor silently dropped:
/// the exam lead decides again with it in view. `sheets` are the cell's
/// sheets, as the decision records them (those not submitted are not
/// counted). A decision recorded before osce kept what it was taken over
/// stands.
pub fn decision_overtaken(held: &[Held], cohort: &Cohort, sheets: &[usize], agreed: bool) -> Option<String> {
    let over = held.iter().find_map(|h| match &h.ruling {
        Ruling::StationResult { over: Some(over), .. } => Some(over),
        _ => None,
    })?;
    let submitted = || {
        sheets
            .iter()
            .map(|&i| &cohort.sheets[i])
            .filter(|s| s.state.submitted.is_some())
    };
    let had = |s: &crate::results::gather::FoundSheet| {
        over.sheets
            .iter()
            .find(|o| o.examiner == s.key.examiner && o.device == s.key.device)
    };
    let came: Vec<String> = submitted()
        .filter(|s| had(s).is_none())
        .map(|s| format!("{}@{}", s.key.examiner, s.key.device))
        .collect();
    // A sheet amended since: the marks it was decided over are not these.
    let amended: Vec<String> = submitted()
        .filter(|s| had(s).is_some_and(|o| o.last != s.last_hash))
        .map(|s| format!("{}@{}", s.key.examiner, s.key.device))
        .collect();
    let mut what = Vec::new();
    if !came.is_empty() {
        what.push(format!(
            "{} {} ({})",
            if over.sheets.len() >= 2 && came.len() == 1 {
                "the third marker's"
            } else {
                "another"
            },
            if came.len() == 1 { "sheet" } else { "sheets" },
            came.join(", ")
        ));
    }
    if !amended.is_empty() {
        what.push(format!(
            "an amendment of {}",
            amended
                .iter()
                .map(|w| format!("{w}'s sheet"))
                .collect::<Vec<_>>()
                .join(" and ")
        ));
    }
    if agreed && !over.agreed_mark {
        what.push("the markers' agreed mark".to_string());
    }
    (!what.is_empty()).then(|| what.join(" and "))
}

/// Results for every candidate of the matrix, in its order: as the
/// examiners' marks give them, and after `moderation`.
pub fn results(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    standards: &Standards,
    moderation: &Moderation,
) -> Vec<CandidateResult> {
    results_for(rubric, cohort, m, standards, moderation, &m.candidates)
}

/// Results for some of the matrix's candidates, in the order given: each
/// candidate's result depends on their own sheets only, so export makes
/// them a part of the cohort at a time.
pub fn results_for(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    standards: &Standards,
    moderation: &Moderation,
    candidates: &[String],
) -> Vec<CandidateResult> {
    candidates
        .iter()
        .map(|c| candidate_result(rubric, cohort, m, standards, moderation, c))
        .collect()
}

/// What the examiners' marks give a candidate: their result before
/// moderation and the exam lead's decisions on stations, and each
/// station's details. What the quality report judges the exam by.
#[derive(Debug, Clone)]
pub struct ExaminersResult {
    pub candidate: String,
    /// The result the examiners' marks give (a [`CandidateResult`]'s
    /// `result`).
    pub result: AssessmentResult,
    /// By station id, scored stations only: each one's `result` as in a
    /// [`CandidateResult`]; what moderation and the exam lead's decisions
    /// make of it (`final_result`, `moderation`) is not worked out.
    pub stations: BTreeMap<String, StationDetail>,
    /// What the result is judged from, where it can be judged again under
    /// other pass marks without the sheets read again.
    pub again: Option<Again>,
}

/// A candidate's examiners' result as it rests on each station's
/// [`Tally`]: kept where at most one sheet counts at each station and
/// nothing else bears on its result (no second marker, no sheet waiting
/// to be submitted or held back), to judge the result again under other
/// pass marks (the quality report's second look, under the standard-set
/// ones) without scoring the sheets again.
#[derive(Debug, Clone)]
pub struct Again {
    /// In rubric order; `None` for a rest station.
    tallies: Vec<Option<Tally>>,
    components: CandidateSheets,
}

impl Again {
    /// The examiners' result under `standards`: the `result` that
    /// [`examiners_results_for`] gives with them. `None` where it cannot be
    /// judged from the tallies alone (a station's pass mark under them
    /// does not apply): work it out in full then.
    pub fn judged(&self, rubric: &Rubric, standards: &Standards) -> Option<AssessmentResult> {
        let stations = rubric
            .stations
            .iter()
            .zip(&self.tallies)
            .map(|(station, tally)| match tally {
                _ if station.rest => Some(score_or_missing(rubric, station, None, standards).0),
                Some(tally) => score_tally(rubric, station, tally, standards).ok(),
                None => None,
            })
            .collect::<Option<Vec<StationResult>>>()?;
        overall(rubric, stations, &self.components, standards).ok()
    }
}

/// [`results_for`], the examiners' results alone: moderation is read only
/// for what belongs to the examiners' marks (the markers' agreed mark,
/// the sheets a referral leaves them), and no final result is made.
pub fn examiners_results_for(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    standards: &Standards,
    moderation: &Moderation,
    candidates: &[String],
) -> Vec<ExaminersResult> {
    candidates
        .iter()
        .map(|c| {
            let Stations {
                stations,
                details,
                tallies,
                ..
            } = station_details(rubric, cohort, m, standards, moderation, c, Want::Examiners);
            let components = components_of(rubric, m, c);
            let mut result = judge_with(rubric, stations, &components, standards);
            apply_agreed_to_marks_rules(rubric, &details, |d| &d.result, &mut result);
            ExaminersResult {
                candidate: c.clone(),
                result,
                stations: details,
                again: tallies.map(|tallies| Again { tallies, components }),
            }
        })
        .collect()
}

/// The examiners' results of the candidates of `part` under `standards`,
/// one for each in order: judged again from what each was judged from
/// before (`again`, in the same order) where it was kept, the others
/// worked out in full by `results_of` (the quality report's second look,
/// under the standard-set pass marks).
pub fn judged_again(
    rubric: &Rubric,
    standards: &Standards,
    part: &[String],
    again: &[Option<Again>],
    results_of: impl Fn(&[String]) -> Vec<ExaminersResult>,
) -> Vec<AssessmentResult> {
    let judged: Vec<Option<AssessmentResult>> = again
        .iter()
        .map(|a| a.as_ref().and_then(|a| a.judged(rubric, standards)))
        .collect();
    let others: Vec<String> = part
        .iter()
        .zip(&judged)
        .filter(|(_, j)| j.is_none())
        .map(|(c, _)| c.clone())
        .collect();
    let mut others = if others.is_empty() {
        Vec::new()
    } else {
        results_of(&others)
    }
    .into_iter();
    judged
        .into_iter()
        .filter_map(|j| j.or_else(|| others.next().map(|c| c.result)))
        .collect()
}

/// Which results [`station_details`] works out.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    /// The examiners' and the final.
    Final,
    /// The examiners' alone: moderation's effect and the exam lead's
    /// decisions on stations are not worked out (each station's
    /// `final_result` stays as its examiners' result was first made).
    Examiners,
}

/// The candidate's result from their `stations`' results and the
/// components assessed outside the stations, as the exam lead's
/// decisions recorded them.
fn judge(
    rubric: &Rubric,
    m: &Matrix,
    candidate: &str,
    stations: Vec<StationResult>,
    standards: &Standards,
) -> AssessmentResult {
    judge_with(rubric, stations, &components_of(rubric, m, candidate), standards)
}

/// The marks of `candidate`'s components assessed outside the stations,
/// as the exam lead's decisions recorded them.
fn components_of(rubric: &Rubric, m: &Matrix, candidate: &str) -> CandidateSheets {
    CandidateSheets {
        stations: BTreeMap::new(),
        components: m
            .components
            .get(candidate)
            .map(|c| {
                crate::results::decisions::component_marks(
                    rubric,
                    c.iter().map(|(id, (value, _))| (id, value)),
                )
            })
            .unwrap_or_default(),
    }
}

/// [`judge`] with the candidate's `components`.
fn judge_with(
    rubric: &Rubric,
    stations: Vec<StationResult>,
    components: &CandidateSheets,
    standards: &Standards,
) -> AssessmentResult {
    match overall(rubric, stations, components, standards) {
        Ok(r) => r,
        // The station results were built from this rubric; only a
        // component result that does not fit it (recorded under another
        // version, say) can fail here.
        Err(e) => unreachable_result(rubric, &e.to_string()),
    }
}

/// Each station's details for `candidate`, and what the candidate's
/// result is judged from.
struct Stations {
    /// The examiners' result of each station, in rubric order.
    stations: Vec<StationResult>,
    /// The final result of each station, in rubric order (only the rest
    /// stations' where the examiners' alone are wanted).
    finals: Vec<StationResult>,
    details: BTreeMap<String, StationDetail>,
    moderation_reasons: Vec<Reason>,
    deferred: Vec<String>,
    /// Each station's tally in rubric order (`None` at a rest station),
    /// where every other station's examiners' result rests on its tally
    /// alone ([`Again`]).
    tallies: Option<Vec<Option<Tally>>>,
}

fn station_details(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    standards: &Standards,
    moderation: &Moderation,
    candidate: &str,
    want: Want,
) -> Stations {
    let mut stations = Vec::new();
    let mut finals = Vec::new();
    let mut moderation_reasons = Vec::new();
    let mut deferred: Vec<String> = Vec::new();
    let mut details = BTreeMap::new();
    let mut tallies = Some(Vec::with_capacity(rubric.stations.len()));
    // Deferred (at a station, or at a component outside them): no result
    // at this sitting, so an absence decided a fail elsewhere counts as
    // nothing (the decision stays, set aside, and says so).
    let sitting_deferred = m.deferred_at(candidate).is_some() || m.component_deferred(candidate).is_some();
    for station in &rubric.stations {
        if station.rest {
            let rest = score_or_missing(rubric, station, None, standards).0;
            stations.push(rest.clone());
            finals.push(rest);
            if let Some(t) = &mut tallies {
                t.push(None);
            }
            continue;
        }
        let cell = m.cell(candidate, &station.id);
        let all = cell.map(|c| c.sheets.clone()).unwrap_or_default();
        let cell_moderation = match cell {
            Some(c) if !matches!(c.state, CellState::Conflict | CellState::Problem) && !all.is_empty() => {
                moderation.cell(cohort, &all, candidate, &station.id)
            }
            _ => CellModeration::NotModerated,
        };
        // After a referral, the sheets the assessor saw are the internal
        // result; the third marker's sheet is moderation's.
        let indices: Vec<usize> = match &cell_moderation {
            CellModeration::Referred { .. } => {
                let decisions = moderation.decisions(cohort, &all, candidate, &station.id);
                all.iter()
                    .copied()
                    .filter(|&i| {
                        let k = &cohort.sheets[i].key;
                        decisions.iter().any(|(d, holds)| {
                            *holds
                                && d.decision == Decision::Refer
                                && d.sheets
                                    .iter()
                                    .any(|s| s.examiner == k.examiner && s.device == k.device)
                        })
                    })
                    .collect()
            }
            _ => all.clone(),
        };
        // Only a submitted sheet gives the station its result: one still
        // being marked may change, so its station waits (its note says so).
        let unsubmitted = not_submitted_words(cohort, &indices);
        let (mut indices, pending): (Vec<usize>, Vec<usize>) = indices
            .into_iter()
            .partition(|&i| cohort.sheets[i].state.submitted.is_some());
        // Every marker recorded the candidate absent: one absence, as one
        // sheet gives it (and an absence decision settles it), not a
        // double-marked station waiting for marks.
        let all_absent = indices.len() > 1
            && cell.is_some_and(|c| !matches!(c.state, CellState::Conflict | CellState::Problem))
            && pending.is_empty()
            && indices.iter().all(|&i| cohort.sheets[i].state.absent.is_some());
        let absent_sheets = if all_absent {
            Some(std::mem::take(&mut indices))
        } else {
            None
        };
        if let Some(all) = &absent_sheets {
            indices.push(all[0]);
        }
        let agreed = moderation
            .agreed_mark(cohort, &indices, candidate, &station.id)
            .map(|a| {
                (
                    a.score,
                    a.outcome,
                    format!("{} (recorded by {})", a.note.trim(), a.assessor),
                )
            });
        let agreed_in = agreed.is_some();
        // Set where one sheet's result is the station's, as its marks give
        // it under any pass marks.
        let mut tally = None;
        let detail = match cell {
            Some(c) if c.state == CellState::Conflict => no_sheet_counts(
                rubric,
                station,
                standards,
                Some((
                    format!(
                        "conflict: {}; no sheet counts until it is resolved",
                        c.conflict.as_deref().unwrap_or("several sheets")
                    ),
                    "a conflict between its sheets, to resolve",
                )),
            ),
            Some(c) if c.state == CellState::Problem => no_sheet_counts(
                rubric,
                station,
                standards,
                Some((
                    format!(
                        "problem: {}; no sheet counts until it is settled",
                        c.problem.as_deref().unwrap_or("a journal cannot be used")
                    ),
                    if c.other_version {
                        "marked against another version of the rubric"
                    } else {
                        "a journal that cannot be used as it is, to settle"
                    },
                )),
            ),
            _ if indices.is_empty() => {
                let detail = no_sheet_counts(rubric, station, standards, None);
                if detail.note.is_none() {
                    tally = Some(Tally::of(&detail.result));
                }
                detail
            }
            _ if indices.len() == 1 => {
                let decided = cell.map(|c| c.decided.as_slice()).unwrap_or_default();
                let (result, note) = score_or_missing(
                    rubric,
                    station,
                    Some(&sheet_marks(cohort, indices[0], decided)),
                    standards,
                );
                if note.is_none() {
                    tally = Some(Tally::of(&result));
                }
                StationDetail {
                    final_result: result.clone(),
                    result,
                    sheets: indices,
                    markers: Vec::new(),
                    discrepancy: None,
                    over_threshold: false,
                    results_differ: false,
                    note,
                    moderation: CellModeration::NotModerated,
                    decided: Vec::new(),
                    unsubmitted: Vec::new(),
                }
            }
            _ => {
                let decided = cell.map(|c| c.decided.as_slice()).unwrap_or_default();
                let pair = reconcile(
                    rubric,
                    cohort,
                    station,
                    by_opening(cohort, &indices),
                    decided,
                    standards,
                    agreed.clone(),
                );
                match &cell_moderation {
                    // The two markers the assessor referred were over the
                    // threshold and waited for a third marker: the referral's
                    // third marker is that third marker too.
                    CellModeration::Referred { third: Some(t), .. }
                        if pair.over_threshold
                            && indices.len() == 2
                            && rubric.double_marking.reconcile == Reconcile::ThirdMarker
                            && cohort.sheets[*t].state.submitted.is_some() =>
                    {
                        // The referral's third marker is the third,
                        // whatever the laptops' clocks say.
                        let mut three = by_opening(cohort, &indices);
                        three.push(*t);
                        reconcile(rubric, cohort, station, three, decided, standards, agreed)
                    }
                    _ => pair,
                }
            }
        };
        let absent = cell.is_some_and(|c| c.state == CellState::Absent);
        let mut detail = detail;
        if let Some(all) = absent_sheets {
            detail.sheets = all;
        }
        // A sheet being amended counts as last submitted until it is
        // submitted again (the result is not final meanwhile).
        if let Some(words) = cell
            .filter(|c| c.state == CellState::Amending)
            .and_then(|c| amendment_words(cohort, &c.sheets))
        {
            add_note(&mut detail, words);
        }
        if let Some(words) = unsubmitted {
            add_note(&mut detail, words);
        }
        // Sheets marked against another version of the rubric, counted by
        // the exam lead's decision: said, for an appeal to find.
        for &i in &detail.sheets.clone() {
            let s = &cohort.sheets[i];
            if let Some(identity) = &s.state.counted_version {
                add_note(
                    &mut detail,
                    format!(
                        "{}'s sheet was marked against the rubric's version {}, counted as this one by the exam \
                         lead's decision (osce decide rubric-version)",
                        s.key.examiner,
                        crate::results::gather::short_hash(identity)
                    ),
                );
            }
        }
        // A sheet that counts and is not in (a second marker's, say) may
        // change the station's score and result: the station waits for it,
        // as one with no sheet in does, the marks in so far still shown.
        if !pending.is_empty()
            && matches!(
                detail.result.outcome,
                StationOutcome::Pass | StationOutcome::Fail | StationOutcome::Absent
            )
        {
            detail.result.outcome = StationOutcome::Incomplete;
            detail.result.reasons = vec![Reason::new(
                Outcome::Incomplete,
                format!("waiting for {} of its sheets to be submitted", pending.len()),
            )];
        }
        if !pending.is_empty() {
            tally = None;
        }
        detail.unsubmitted = pending;
        tallies = tallies.and_then(|mut t| {
            t.push(Some(tally?));
            Some(t)
        });
        if want == Want::Examiners {
            stations.push(detail.result.clone());
            details.insert(station.id.clone(), detail);
            continue;
        }
        // A decision taken when the marks gave another result (under other
        // pass marks) must be reviewed, never silently turned around.
        let held_decisions = moderation.decisions(cohort, &all, candidate, &station.id);
        let decided_on = held_decisions
            .iter()
            .filter(|(d, holds)| {
                *holds
                    && matches!(
                        d.internal,
                        StationOutcome::Pass | StationOutcome::Fail | StationOutcome::Incomplete
                    )
            })
            .map(|(d, _)| d.internal)
            .find(|was| *was != detail.result.outcome);
        let review = held_decisions
            .iter()
            .any(|(d, holds)| *holds && d.needs_review(detail.result.outcome));
        let (final_result, why) = moderated(
            rubric,
            cohort,
            station,
            &detail,
            &cell_moderation,
            Facts {
                absent,
                decided_on,
                review,
                sample_closed: matches!(rubric.moderation, crate::rubric::ModerationPolicy::Sample { .. })
                    && {
                        let assessors = moderation.assessors();
                        !assessors.is_empty() && assessors.iter().all(|(_, signed)| *signed)
                    },
            },
            standards,
        );
        detail.final_result = final_result;
        detail.moderation = cell_moderation;
        let decided = cell.map(|c| c.decided.as_slice()).unwrap_or_default();
        detail.decided = decided.to_vec();
        let lead_decided = decided
            .iter()
            .any(|h| matches!(h.ruling, Ruling::StationResult { .. }));
        // Where the exam lead decided the station's result, what moderation
        // left open is settled: the decision is the reason.
        if !lead_decided {
            moderation_reasons.extend(why);
        }
        // The exam lead's decisions on what only a person can settle.
        for held in cell.map(|c| c.decided.as_slice()).unwrap_or_default() {
            let place = station.place();
            match &held.ruling {
                Ruling::Absence {
                    outcome: AbsenceOutcome::Fail,
                    ..
                } if absent && !sitting_deferred => {
                    // The result counts it as a fail; the examiners' marks
                    // (and so the quality report) still say absent: no
                    // score of 0 enters the statistics.
                    // Failed with 0 of the station's whole maximum, and
                    // nothing left to come: the pass rules judge the rest.
                    let r = &mut detail.final_result;
                    r.outcome = StationOutcome::Fail;
                    r.score = 0.0;
                    r.max = r.nominal_max;
                    r.missing.clear();
                    r.failed_for_absence = true;
                    // Its pass mark stays in a cut made of the stations'
                    // pass marks, as for every candidate who attended.
                    r.pass_mark = crate::scoring::applied_pass_mark(rubric, station, r, standards).ok();
                    // Every item not met: the Competency rule counts the
                    // station's other items as marked, none met.
                    r.competency = Competency {
                        met: 0,
                        marked: station
                            .items
                            .iter()
                            .filter(|i| i.critical == Critical::No)
                            .count(),
                    };
                    let why = format!("{place}: absent; {}", held.words);
                    detail
                        .final_result
                        .reasons
                        .push(Reason::new(Outcome::Fail, why.clone()));
                    moderation_reasons.push(Reason::new(Outcome::Fail, why));
                }
                Ruling::Absence {
                    outcome: AbsenceOutcome::Deferred,
                    ..
                } if absent => deferred.push(format!("{place}: {}", held.words)),
                Ruling::StationResult { result, .. }
                    if let Some(came) = decision_overtaken(decided, cohort, &all, agreed_in) =>
                {
                    // Decided before what the rubric waited for came:
                    // held for the exam lead to decide again.
                    let r = &mut detail.final_result;
                    r.outcome = StationOutcome::Incomplete;
                    let why = format!(
                        "{place}: the exam lead decided its result ({}) before {came} came: held for \
                         review; decide again with it in view (osce decide result)",
                        result.label()
                    );
                    r.reasons = vec![Reason::new(Outcome::Incomplete, why.clone())];
                    moderation_reasons.push(Reason::new(Outcome::Incomplete, why));
                }
                Ruling::StationResult {
                    result,
                    over: Some(over),
                    ..
                } if over.as_marks_gave
                    && matches!(detail.result.outcome, StationOutcome::Pass | StationOutcome::Fail)
                    && station_outcome(*result).0 != detail.result.outcome =>
                {
                    // Settled as its marks gave it then; under the pass
                    // marks in force now they give the other result.
                    let now = detail.result.outcome.word();
                    let r = &mut detail.final_result;
                    r.outcome = StationOutcome::Incomplete;
                    let why = format!(
                        "{place}: the exam lead decided its result as its marks gave it ({}), and under \
                         the pass marks in force now they give {now}: held for review; settle it with the result its \
                         marks give now (osce decide held) or decide it (osce decide result)",
                        result.label()
                    );
                    r.reasons = vec![Reason::new(Outcome::Incomplete, why.clone())];
                    moderation_reasons.push(Reason::new(Outcome::Incomplete, why));
                }
                Ruling::StationResult { result, .. } => {
                    let (outcome, verdict) = station_outcome(*result);
                    detail.final_result.outcome = outcome;
                    // As on moderation, a station decided a pass fails
                    // nothing, its critical items included; one decided a
                    // fail (after moderation passed it, say) fails on the
                    // examiners' critical items again.
                    if outcome == StationOutcome::Pass {
                        detail.final_result.critical_fails.clear();
                    } else {
                        detail.final_result.critical_fails = detail.result.critical_fails.clone();
                    }
                    let why = format!("{place}: {}", held.words);
                    detail.final_result.reasons = vec![Reason::new(verdict, why.clone())];
                    moderation_reasons.push(Reason::new(verdict, why));
                }
                _ => {}
            }
            let set_aside = sitting_deferred
                && matches!(
                    held.ruling,
                    Ruling::Absence {
                        outcome: AbsenceOutcome::Fail,
                        ..
                    }
                );
            add_note(
                &mut detail,
                if set_aside {
                    format!(
                        "decided: {}; set aside: the candidate is deferred (no result at this sitting)",
                        held.words
                    )
                } else {
                    format!("decided: {}", held.words)
                },
            );
        }
        stations.push(detail.result.clone());
        finals.push(detail.final_result.clone());
        details.insert(station.id.clone(), detail);
    }
    Stations {
        stations,
        finals,
        details,
        moderation_reasons,
        deferred,
        tallies,
    }
}

/// Where a station passed on moderation or by the exam lead's decision
/// although the examiners marked a critical item of it not met, the rules'
/// "every critical item met" would say what the examiners' marks do not:
/// it says which item was overruled instead (the station's reason, below
/// it, says by whom and why).
fn say_critical_overruled(
    rubric: &Rubric,
    details: &BTreeMap<String, StationDetail>,
    reasons: &mut [Reason],
) {
    let overruled: Vec<String> = rubric
        .scored_stations()
        .filter_map(|s| details.get(&s.id))
        .filter(|d| {
            d.final_result.outcome == StationOutcome::Pass && d.final_result.critical_fails.is_empty()
        })
        .flat_map(|d| d.result.critical_fails.iter().map(|f| f.to_string()))
        .collect();
    if overruled.is_empty() {
        return;
    }
    let Some(reason) = reasons.iter_mut().find(|r| {
        r.verdict == Outcome::Pass
            && (r.text == crate::scoring::EVERY_CRITICAL_MET
                || r.text
                    .starts_with(crate::scoring::NO_CRITICAL_FAILED_WHERE_ASSESSED))
    }) else {
        return;
    };
    reason.text = format!(
        "no critical item failed once moderated: the examiners' {} overruled with the station's result",
        overruled.join("; ")
    );
}

fn candidate_result(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    standards: &Standards,
    moderation: &Moderation,
    candidate: &str,
) -> CandidateResult {
    let Stations {
        stations,
        finals,
        details,
        moderation_reasons,
        deferred,
        ..
    } = station_details(rubric, cohort, m, standards, moderation, candidate, Want::Final);
    let mut deferred = deferred;
    let part = |id: &str| {
        rubric
            .components
            .as_ref()
            .and_then(|c| c.parts.iter().find(|p| p.id == id))
    };
    // A component deferred (missed with mitigating circumstances): no
    // result at this sitting, as for a station's absence deferred.
    if let Some(recorded) = m.components.get(candidate) {
        for (id, (value, held)) in recorded {
            if *value == crate::results::decisions::ComponentValue::Deferred
                && let Some(p) = part(id)
            {
                // "written: DEFERRED, note (from …) (by …)": the component
                // named once, by its title.
                let rest = held
                    .words
                    .strip_prefix(&format!("{id}: DEFERRED"))
                    .unwrap_or(&held.words);
                deferred.push(format!("component '{}' deferred{rest}", p.title));
            }
        }
    }
    let deferred = (!deferred.is_empty()).then(|| deferred.join("; "));
    let mut result = judge(rubric, m, candidate, stations, standards);
    apply_agreed_to_marks_rules(rubric, &details, |d| &d.result, &mut result);
    let mut final_result = judge(rubric, m, candidate, finals, standards);
    apply_agreed_to_marks_rules(rubric, &details, |d| &d.final_result, &mut final_result);
    say_critical_overruled(rubric, &details, &mut final_result.reasons);
    final_result.reasons.extend(moderation_reasons.iter().cloned());
    final_result.reasons = unmoderated_together(rubric, &details, &final_result.reasons);
    // The results recorded, and those withdrawn (a decision too, though
    // no result), by component id.
    let mut component_decisions: Vec<(String, Held)> = [&m.components, &m.withdrawn_components]
        .into_iter()
        .filter_map(|by| by.get(candidate))
        .flat_map(|c| c.iter().map(|(id, (_, held))| (id.clone(), held.clone())))
        .collect();
    component_decisions.sort_by(|a, b| a.0.cmp(&b.0));
    // A component failed: what it rests on, and who recorded it, said in
    // the reason the rules gave.
    for (id, held) in &component_decisions {
        let Ruling::Component {
            note, source, result, ..
        } = &held.ruling
        else {
            continue;
        };
        let Some(p) = part(id) else {
            continue;
        };
        let title = p.title.as_str();
        let failed = format!("component '{title}' failed");
        // An absence counts as 0% or a fail: said first.
        let note = match (result, note.is_empty()) {
            (crate::results::decisions::ComponentValue::Absent, empty) => format!(
                "absent, {}{}",
                crate::results::decisions::ComponentValue::absent_counts_as(p.weight.is_some()),
                if empty { String::new() } else { format!("; {note}") }
            ),
            _ => note.clone(),
        };
        let who = held.words.strip_prefix(&held.ruling.words()).unwrap_or_default();
        for reason in final_result
            .reasons
            .iter_mut()
            .filter(|r| r.text.starts_with(&failed))
        {
            reason.text = format!(
                "{}: {}recorded from {}, line {}{who}",
                reason.text,
                if note.is_empty() {
                    String::new()
                } else {
                    format!("{note} — ")
                },
                source.file,
                source.line
            );
        }
    }
    apply_to_marks_rules(rubric, &details, &mut final_result);
    let moderation_status = status_words(rubric, &details, moderation);
    let moderation_reasons = unmoderated_together(rubric, &details, &moderation_reasons);
    CandidateResult {
        candidate: candidate.to_string(),
        name: m.names.get(candidate).cloned().unwrap_or_default(),
        result,
        final_result,
        moderation_status,
        moderation_reasons,
        stations: details,
        deferred,
        component_decisions,
    }
}

/// Where the rubric's pass rules do not count station results (only
/// marks, competency and critical items), re-applying them cannot carry a
/// station result changed on moderation. A station failed on moderation
/// then fails the candidate; a station passed on moderation is noted, and
/// the marks-based result stands for the exam board to decide.
fn apply_to_marks_rules(
    rubric: &Rubric,
    details: &BTreeMap<String, StationDetail>,
    result: &mut AssessmentResult,
) {
    if counts_stations(rubric) {
        return;
    }
    for d in details.values() {
        // The exam lead's decision of a station's result settles what
        // moderation left open, and counts as moderation's would.
        let lead = d
            .decided
            .iter()
            .any(|h| matches!(h.ruling, Ruling::StationResult { .. }));
        if !lead
            && !matches!(
                d.moderation,
                CellModeration::Disagreed { .. } | CellModeration::Referred { third: Some(_), .. }
            )
        {
            continue;
        }
        let on = if lead {
            "by the exam lead's decision"
        } else {
            "on moderation"
        };
        let place = d.result.place();
        match (d.result.outcome, d.final_result.outcome) {
            (StationOutcome::Pass, StationOutcome::Fail)
                if result.outcome != crate::scoring::Outcome::Incomplete =>
            {
                result.outcome = crate::scoring::Outcome::Fail;
                result.reasons.push(Reason::new(
                    crate::scoring::Outcome::Fail,
                    format!(
                        "{place} failed {on}; the rubric's pass rules do not count station results, so a \
                         station failed {on} fails the assessment"
                    ),
                ));
            }
            (StationOutcome::Fail, StationOutcome::Pass)
                if result.outcome == crate::scoring::Outcome::Fail =>
            {
                result.reasons.push(Reason::new(
                    crate::scoring::Outcome::Fail,
                    format!(
                        "{place} passed {on}, but the rubric's pass rules are on marks, which {} does not \
                         change: the result stays FAIL for the exam board to decide",
                        if lead { "a decision" } else { "moderation" }
                    ),
                ));
            }
            _ => {}
        }
    }
}

/// The rubric's pass rules count station results (the stations passed, a
/// must-pass station, the components): a station's result carries into
/// the candidate's.
fn counts_stations(rubric: &Rubric) -> bool {
    use crate::rubric::PassRule;
    rubric.pass_rules.iter().any(|r| {
        matches!(
            r,
            PassRule::StationsPassed(_) | PassRule::MustPass(_) | PassRule::Components
        )
    })
}

/// Where the rubric's pass rules count items or marks, not station
/// results, a double-marked station's item counts are its first marker's:
/// a station the two markers' agreed mark fails (over the threshold)
/// cannot carry into them. It fails the candidate, as one failed on
/// moderation does. `station` gives the station's result judged: the
/// examiners' or the final.
fn apply_agreed_to_marks_rules(
    rubric: &Rubric,
    details: &BTreeMap<String, StationDetail>,
    station: impl Fn(&StationDetail) -> &StationResult,
    result: &mut AssessmentResult,
) {
    if counts_stations(rubric) || rubric.double_marking.reconcile != Reconcile::AgreedMark {
        return;
    }
    for d in details.values() {
        let r = station(d);
        if result.outcome == crate::scoring::Outcome::Pass
            && d.over_threshold
            && d.markers.len() >= 2
            && r.outcome == StationOutcome::Fail
        {
            result.outcome = crate::scoring::Outcome::Fail;
            result.reasons.push(Reason::new(
                crate::scoring::Outcome::Fail,
                format!(
                    "{} failed on the markers' agreed mark; the rubric's pass rules count items, which \
                     at a double-marked station are one marker's, so a station failed on the agreed mark fails the \
                     assessment",
                    r.place()
                ),
            ));
        }
    }
}

/// Why a station waits for the moderation the rubric requires of every
/// sheet.
const NOT_MODERATED_YET: &str = "not yet moderated (the rubric requires every sheet to be moderated)";

/// `reasons` (a result's, moderation's among them) with the stations that
/// wait for the moderation the rubric requires said once for them all,
/// in the rubric's order, with what the examiners' marks give them: a
/// result waiting for moderation, not failing (`not yet moderated (…):
/// 'Case 1', 'Case 2'; the examiners' marks pass 1 of these 2`).
fn unmoderated_together(
    rubric: &Rubric,
    details: &BTreeMap<String, StationDetail>,
    reasons: &[Reason],
) -> Vec<Reason> {
    let waiting = |d: &StationDetail| format!("{}: {NOT_MODERATED_YET}", d.result.place());
    let held: Vec<&StationDetail> = rubric
        .scored_stations()
        .filter_map(|s| details.get(&s.id))
        .filter(|d| reasons.iter().any(|r| r.text == waiting(d)))
        .collect();
    if held.len() < 2 {
        return reasons.to_vec();
    }
    let texts: Vec<String> = held.iter().map(|d| waiting(d)).collect();
    let passed = held
        .iter()
        .filter(|d| d.result.outcome == StationOutcome::Pass)
        .count();
    let titles: Vec<String> = held.iter().map(|d| format!("'{}'", d.result.title)).collect();
    let together = Reason::new(
        crate::scoring::Outcome::Incomplete,
        format!(
            "{NOT_MODERATED_YET}: {}; the examiners' marks pass {passed} of these {}",
            titles.join(", "),
            held.len()
        ),
    );
    // The result's "no result yet at …" names these among the stations
    // held for any reason (the scoring engine knows no moderation): they
    // are said here, the others stay there.
    let open: Vec<String> = rubric
        .scored_stations()
        .filter_map(|s| details.get(&s.id))
        .map(|d| &d.final_result)
        .filter(|r| r.outcome == StationOutcome::Incomplete && r.missing.is_empty())
        .map(|r| format!("'{}'", r.title))
        .collect();
    let no_result = format!("no result yet at {}", open.join(", "));
    let rest: Vec<&String> = open.iter().filter(|t| !titles.contains(t)).collect();
    let mut out = Vec::new();
    let mut said = false;
    for r in reasons {
        if r.text == no_result {
            if !rest.is_empty() {
                let words = rest.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ");
                out.push(Reason::new(r.verdict, format!("no result yet at {words}")));
            }
        } else if !texts.contains(&r.text) {
            out.push(r.clone());
        } else if !said {
            out.push(together.clone());
            said = true;
        }
    }
    out
}

fn station_outcome(o: Proposed) -> (StationOutcome, crate::scoring::Outcome) {
    match o {
        Proposed::Pass => (StationOutcome::Pass, crate::scoring::Outcome::Pass),
        Proposed::Fail => (StationOutcome::Fail, crate::scoring::Outcome::Fail),
    }
}

/// What [`moderated`] needs to know of a cell besides its moderation.
struct Facts {
    /// The candidate was recorded absent.
    absent: bool,
    /// The result the marks gave when a decision that holds was taken, where
    /// it is not the result they give now (other pass marks).
    decided_on: Option<StationOutcome>,
    /// Such a decision must be reviewed
    /// ([`crate::results::moderation::Decided::needs_review`]).
    review: bool,
    /// The rubric moderates a sample, and every assessor has signed off:
    /// a sheet the sample takes that is not moderated now will not be.
    sample_closed: bool,
}

/// What the examiners' marks gave when a sheet was moderated (`gave`)
/// beside what they give `now`, changed since: the exam lead deciding the
/// result must see a PASS that became a FAIL (a critical item amended).
pub fn gave_then_now(gave: StationOutcome, now: StationOutcome) -> String {
    if gave == now {
        format!("its marks give {}, as when it was moderated", now.word())
    } else {
        format!(
            "its marks gave {} when it was moderated and give {} now",
            gave.word(),
            now.word()
        )
    }
}

/// A station's result after moderation, with the reason in words wherever
/// moderation changed it or holds it back.
fn moderated(
    rubric: &Rubric,
    cohort: &Cohort,
    station: &crate::rubric::Station,
    detail: &StationDetail,
    cell: &CellModeration,
    facts: Facts,
    standards: &Standards,
) -> (StationResult, Option<Reason>) {
    let Facts {
        absent,
        decided_on,
        review,
        sample_closed,
    } = facts;
    let internal = &detail.result;
    let mut result = internal.clone();
    let place = station.place();
    let hold = |result: &mut StationResult, why: String| {
        result.outcome = StationOutcome::Incomplete;
        result.reasons.push(Reason::new(
            crate::scoring::Outcome::Incomplete,
            format!("{place}: {why}"),
        ));
    };
    // A disagreement whose proposal is what the marks give now: nothing to
    // review, the assessor and the marks agree.
    let proposal_given = matches!(cell, CellModeration::Disagreed { proposed, .. }
        if station_outcome(*proposed).0 == internal.outcome);
    match cell {
        CellModeration::Agreed { by } | CellModeration::Disagreed { by, .. }
            if review && matches!(internal.outcome, StationOutcome::Pass | StationOutcome::Fail) =>
        {
            let since = match decided_on {
                // Moderated with no result yet (an item left unmarked,
                // ruled on since): the result is one the assessor never saw.
                Some(StationOutcome::Incomplete) => format!(
                    "{} moderated it when it had no result yet; the marks give {} since",
                    by.join(", "),
                    internal.outcome.word()
                ),
                was => format!(
                    "{} moderated it when the marks gave {}; under the pass marks now in force they give {}",
                    by.join(", "),
                    was.map_or("", StationOutcome::word),
                    internal.outcome.word()
                ),
            };
            hold(
                &mut result,
                format!(
                    "{since}: the decision must be reviewed, it is not turned around (the assessor reviews it in \
                     osce moderate before signing off; after, the exam lead decides the result with osce decide \
                     result)"
                ),
            );
        }
        CellModeration::NotModerated => {
            let needs = rubric.moderation == crate::rubric::ModerationPolicy::All
                && !detail.sheets.is_empty()
                && !absent
                && matches!(internal.outcome, StationOutcome::Pass | StationOutcome::Fail);
            if needs {
                hold(&mut result, NOT_MODERATED_YET.into());
            } else if sample_closed && !detail.sheets.is_empty() && !absent {
                // The sample takes every fail and every borderline rating:
                // one that came in after the assessors signed off is held,
                // never passed on unmoderated.
                let borderline = station.global_rating.as_ref().is_some_and(|g| {
                    internal
                        .global_rating
                        .as_ref()
                        .is_some_and(|(level, _)| rubric.scale(g.scale).borderline == Some(*level))
                });
                // When it came in is not known here (the laptops' clocks
                // are not compared), nor why it was not in the sample: a
                // sheet collected late, an amendment, or pass marks
                // adopted after the sign-off are all said.
                let what = match internal.outcome {
                    StationOutcome::Fail => Some((
                        "a FAIL by the examiners' marks",
                        "fail",
                        "became a fail (amended, or under pass marks adopted since)",
                    )),
                    StationOutcome::Pass if borderline => Some((
                        "given the borderline global rating",
                        "borderline rating",
                        "was given it (amended)",
                    )),
                    _ => None,
                };
                if let Some((what, takes, became)) = what {
                    hold(
                        &mut result,
                        format!(
                            "{what}, not moderated: the rubric's moderation sample takes every {takes}, and every \
                             assessor had signed off before this sheet came in or {became} (the exam lead decides \
                             its result with osce decide result)"
                        ),
                    );
                }
            }
        }
        CellModeration::Agreed { .. } => {}
        CellModeration::Disagreed {
            by,
            proposed,
            rationale,
        } => {
            let (outcome, verdict) = station_outcome(*proposed);
            result.outcome = outcome;
            // A station passed on moderation fails nothing: the assessor
            // overruled its critical items too (one that fails the whole
            // assessment would otherwise fail the candidate regardless).
            if outcome == StationOutcome::Pass {
                result.critical_fails.clear();
            }
            // Proposed when the marks gave the other result; under the
            // pass marks now in force they give it too.
            let marks_gave = match decided_on.filter(|_| proposal_given) {
                Some(was) => format!(
                    "the examiners' marks gave {} then; under the pass marks now in force they give {} too",
                    was.word(),
                    internal.outcome.word()
                ),
                None => format!("the examiners' marks gave {}", internal.outcome.word()),
            };
            result.reasons = vec![Reason::new(
                verdict,
                format!(
                    "{place}: {} on moderation by {} ({marks_gave}): {rationale}",
                    proposed.label(),
                    by.join(", "),
                ),
            )];
        }
        CellModeration::Referred { by, third: None, .. } => hold(
            &mut result,
            format!(
                "referred to a third marker by {}; waiting for the third marker's sheet",
                by.join(", ")
            ),
        ),
        CellModeration::Referred {
            by, third: Some(t), ..
        } => {
            let sheet = &cohort.sheets[*t];
            let (mut third, note) =
                score_or_missing(rubric, station, Some(&sheet.state.to_station_sheet()), standards);
            if let Some(note) = note {
                hold(&mut third, note);
            } else {
                let verdict = match third.outcome {
                    StationOutcome::Pass => crate::scoring::Outcome::Pass,
                    StationOutcome::Fail => crate::scoring::Outcome::Fail,
                    _ => crate::scoring::Outcome::Incomplete,
                };
                third.reasons.push(Reason::new(
                    verdict,
                    format!(
                        "{place}: third marker {} gave {} of {} ({}) after referral by {}; the examiners' marks gave {}",
                        sheet.key.examiner,
                        fmt_marks(third.score),
                        fmt_marks(third.max),
                        third.outcome.word(),
                        by.join(", "),
                        internal.outcome.word()
                    ),
                ));
            }
            result = third;
        }
        CellModeration::Stale {
            by,
            signed_off: false,
            gave,
        } => hold(
            &mut result,
            format!(
                "a sheet changed after {} moderated it ({}); it must be moderated again, or the exam lead decides the \
                 result (osce decide result)",
                by.join(", "),
                gave_then_now(*gave, internal.outcome)
            ),
        ),
        // Signed off, the assessor's moderation is locked: saying it must
        // be moderated again would send the exam lead to ask for what
        // cannot be done.
        CellModeration::Stale {
            by,
            signed_off: true,
            gave,
        } => hold(
            &mut result,
            format!(
                "a sheet changed after {} moderated it and signed the moderation off ({}), so it cannot be \
                 moderated again: the exam lead decides the result (osce decide result)",
                by.join(", "),
                gave_then_now(*gave, internal.outcome)
            ),
        ),
        CellModeration::Conflicting { detail } => hold(
            &mut result,
            format!(
                "the assessors' decisions differ ({detail}): the assessors agree one, or the exam lead decides the result (osce decide result)"
            ),
        ),
    }
    // The reason moderation added, for the candidate's reasons.
    let why = match cell {
        CellModeration::NotModerated if result.outcome == internal.outcome => None,
        CellModeration::Agreed { .. } if result.outcome == internal.outcome => None,
        _ => result.reasons.last().cloned(),
    };
    (result, why)
}

/// Where moderation stands for a candidate, in words.
fn status_words(
    rubric: &Rubric,
    details: &BTreeMap<String, StationDetail>,
    moderation: &Moderation,
) -> String {
    let mut moderated = 0;
    let mut changed = 0;
    let mut waiting = 0;
    let mut stale = 0;
    let mut differ = 0;
    let mut required = 0;
    let mut review = 0;
    let mut lead = 0;
    let mut assessors: Vec<&str> = Vec::new();
    for d in details.values() {
        // Where the exam lead decided the result, what moderation left open
        // is settled: counted once, as the lead's.
        if d.decided
            .iter()
            .any(|h| matches!(h.ruling, Ruling::StationResult { .. }))
        {
            lead += 1;
            if let CellModeration::Agreed { by }
            | CellModeration::Disagreed { by, .. }
            | CellModeration::Referred { by, .. } = &d.moderation
            {
                moderated += 1;
                assessors.extend(by.iter().map(String::as_str));
            }
            continue;
        }
        match &d.moderation {
            CellModeration::NotModerated => {
                if rubric.moderation == crate::rubric::ModerationPolicy::All
                    && d.final_result.outcome == StationOutcome::Incomplete
                    && d.result.outcome != StationOutcome::Incomplete
                {
                    required += 1;
                }
            }
            CellModeration::Stale { .. } => stale += 1,
            CellModeration::Conflicting { .. } => differ += 1,
            m => {
                moderated += 1;
                if let CellModeration::Agreed { by }
                | CellModeration::Disagreed { by, .. }
                | CellModeration::Referred { by, .. } = m
                {
                    assessors.extend(by.iter().map(String::as_str));
                }
                if matches!(m, CellModeration::Referred { third: None, .. }) {
                    waiting += 1;
                } else if held_by_moderation(d) {
                    review += 1;
                } else if d.final_result.outcome != d.result.outcome || d.final_result.score != d.result.score
                {
                    changed += 1;
                }
            }
        }
    }
    let mut parts = Vec::new();
    if moderated > 0 {
        let mut s = format!(
            "moderated at {} of {}",
            moderated,
            rubric.noun().count(details.len())
        );
        if changed > 0 {
            s.push_str(&format!(" (result changed at {changed})"));
        }
        parts.push(s);
    }
    if review > 0 {
        parts.push(format!(
            "{} to review: the marks give another result than when moderated",
            rubric.noun().count(review)
        ));
    }
    if lead > 0 {
        parts.push(format!(
            "the exam lead decided the result at {}",
            rubric.noun().count(lead)
        ));
    }
    if waiting > 0 {
        parts.push(format!("{waiting} referred, waiting for a third marker"));
    }
    if stale > 0 {
        parts.push(format!("{stale} amended since moderated"));
    }
    if differ > 0 {
        parts.push(format!("assessors differ at {}", rubric.noun().count(differ)));
    }
    if required > 0 {
        parts.push(format!("{required} not yet moderated (required)"));
    }
    if parts.is_empty() {
        return "not moderated".to_string();
    }
    // Signing off is the assessor's, on whichever laptop they signed (it
    // locks their moderation on every laptop), as status says it.
    let signed = moderation.assessors();
    let unsigned = assessors
        .iter()
        .any(|a| !signed.iter().any(|(s, done)| s == a && *done));
    if moderated > 0 && unsigned {
        parts.push("not yet signed off".to_string());
    }
    parts.join("; ")
}

/// A result for a candidate whose sheets could not be scored at all.
fn unreachable_result(rubric: &Rubric, why: &str) -> AssessmentResult {
    AssessmentResult {
        outcome: crate::scoring::Outcome::Incomplete,
        total: 0.0,
        max: rubric.total_max(),
        stations_passed: 0,
        stations_scored: rubric.scored_stations().count(),
        cut: None,
        stations: Vec::new(),
        components: Vec::new(),
        module_mark: None,
        module_pass: None,
        critical_fails: Vec::new(),
        reasons: vec![Reason::new(crate::scoring::Outcome::Incomplete, why)],
        missing: Vec::new(),
        provisional: Vec::new(),
    }
}

/// The marks of sheet `i`, with the exam lead's rulings on its items left
/// unmarked (each only where the item is still unmarked on the sheet the
/// ruling names).
fn sheet_marks(cohort: &Cohort, i: usize, decided: &[Held]) -> crate::scoring::StationSheet {
    let s = &cohort.sheets[i];
    let mut sheet = s.state.to_station_sheet();
    for held in decided {
        if let Ruling::Unmarked {
            sheet: named,
            item,
            level,
            ..
        } = &held.ruling
            && named.examiner == s.key.examiner
            && named.device == s.key.device
            && named.last == s.last_hash
            && !sheet.marks.contains_key(item.as_str())
        {
            let mark = match level {
                Some(l) => crate::scoring::ItemMark::Level(*l),
                None => crate::scoring::ItemMark::NotObserved,
            };
            sheet.marks.insert(item.as_str().into(), mark);
        }
    }
    sheet
}

/// A station no sheet counts at: none in, or (`held`) sheets held back
/// until a person settles them, with the station's note and the words of
/// why, as the candidate's reasons give them.
fn no_sheet_counts(
    rubric: &Rubric,
    station: &crate::rubric::Station,
    standards: &Standards,
    held: Option<(String, &str)>,
) -> StationDetail {
    let (mut result, missing) = score_or_missing(rubric, station, None, standards);
    let note = held.map(|(note, why)| {
        for m in &mut result.missing {
            if let crate::scoring::Missing::Sheet { held, .. } = m {
                *held = Some(why.to_string());
            }
        }
        result.reasons = result
            .missing
            .iter()
            .map(|m| Reason::new(crate::scoring::Outcome::Incomplete, m.to_string()))
            .collect();
        note
    });
    StationDetail {
        final_result: result.clone(),
        result,
        sheets: Vec::new(),
        markers: Vec::new(),
        discrepancy: None,
        over_threshold: false,
        results_differ: false,
        note: note.or(missing),
        moderation: CellModeration::NotModerated,
        decided: Vec::new(),
        unsubmitted: Vec::new(),
    }
}

/// Scores a sheet; a sheet that does not fit the rubric (a damaged or
/// hand-edited journal) counts as missing, with the reason.
fn score_or_missing(
    rubric: &Rubric,
    station: &crate::rubric::Station,
    sheet: Option<&crate::scoring::StationSheet>,
    standards: &Standards,
) -> (StationResult, Option<String>) {
    match score_station(rubric, station, sheet, standards) {
        Ok(r) => (r, None),
        Err(e) => {
            let result =
                score_station(rubric, station, None, standards).unwrap_or_else(|_| empty(rubric, station));
            (result, Some(format!("sheet not used: {e}; run `osce audit`")))
        }
    }
}

fn empty(rubric: &Rubric, station: &crate::rubric::Station) -> StationResult {
    StationResult {
        station: station.id.clone(),
        title: station.title.clone(),
        noun: station.noun,
        outcome: StationOutcome::Incomplete,
        score: 0.0,
        max: rubric.station_max(station),
        nominal_max: rubric.station_max(station),
        pass_mark: None,
        global_rating: None,
        critical_fails: Vec::new(),
        competency: Default::default(),
        missing: Vec::new(),
        reasons: Vec::new(),
        failed_for_absence: false,
    }
}

/// Two (or more) markers at one station. Within the rubric's discrepancy
/// threshold the mean of their scores counts (judged against the pass mark,
/// with every critical fail either marker recorded). Over it, `Mean` still
/// takes the mean but flags it; `AgreedMark` waits for the agreed mark
/// (`agreed`: score and who agreed it), `ThirdMarker` for a third sheet,
/// whose result then counts; until then the station is INCOMPLETE.
///
/// `order` is the markers in order: the first two, then a third (as
/// [`by_opening`] gives them: the two whose sheets were opened first, then
/// the one opened after them; unless who the third marker is is known).
fn reconcile(
    rubric: &Rubric,
    cohort: &Cohort,
    station: &crate::rubric::Station,
    order: Vec<usize>,
    decided: &[Held],
    standards: &Standards,
    agreed: Option<(f64, Option<Proposed>, String)>,
) -> StationDetail {
    let mut each = Vec::new();
    for &i in &order {
        let sheet = &cohort.sheets[i];
        let (result, _) =
            score_or_missing(rubric, station, Some(&sheet_marks(cohort, i, decided)), standards);
        each.push((sheet.key.examiner.clone(), result));
    }
    // Where a marker did not observe items another did, each marker's
    // score out of what they observed is taken in proportion to the
    // station's maximum: 6 of the 6 marks observed is 9 of 9, not 3 marks
    // below the 9 of 9 of a marker who observed every item.
    let nominal = rubric.station_max(station);
    let observed_differs = each
        .iter()
        .any(|(_, r)| (r.max - each[0].1.max).abs() > crate::rubric::EPSILON);
    let on_station = |r: &StationResult| {
        if observed_differs {
            in_proportion(r)
        } else {
            r.score
        }
    };
    let markers: Vec<(String, f64)> = each.iter().map(|(e, r)| (e.clone(), on_station(r))).collect();
    let third_marking = rubric.double_marking.reconcile == Reconcile::ThirdMarker && each.len() >= 3;
    let pair = if third_marking {
        &markers[..2]
    } else {
        &markers[..]
    };
    let high = pair.iter().map(|m| m.1).fold(f64::MIN, f64::max);
    let low = pair.iter().map(|m| m.1).fold(f64::MAX, f64::min);
    let discrepancy = high - low;
    let max = rubric.station_max(station);
    let threshold = rubric.double_marking.discrepancy.map(|t| match t {
        FixedMark::Marks(m) => m,
        FixedMark::Percent(p) => p / 100.0 * max,
    });
    let over = threshold.is_none_or(|t| discrepancy > t + crate::rubric::EPSILON) && discrepancy > 0.0;
    let who: Vec<String> = if observed_differs {
        each.iter()
            .zip(&markers)
            .map(|((e, r), (_, s))| {
                if (r.max - nominal).abs() > crate::rubric::EPSILON {
                    format!(
                        "{e} {} of the {} marks observed, {} of {} in proportion",
                        fmt_marks(r.score),
                        fmt_marks(r.max),
                        fmt_marks(*s),
                        fmt_marks(nominal)
                    )
                } else {
                    format!("{e} {}", fmt_marks(*s))
                }
            })
            .collect()
    } else {
        markers
            .iter()
            .map(|(e, s)| format!("{e} {}", fmt_marks(*s)))
            .collect()
    };
    let rule = rubric.double_marking.reconcile;
    let all_decided = each
        .iter()
        .all(|(_, r)| matches!(r.outcome, StationOutcome::Pass | StationOutcome::Fail));
    let verdict_of = |o: StationOutcome| match o {
        StationOutcome::Pass => crate::scoring::Outcome::Pass,
        StationOutcome::Fail => crate::scoring::Outcome::Fail,
        _ => crate::scoring::Outcome::Incomplete,
    };
    let results_differ = each.iter().any(|(_, r)| r.outcome == StationOutcome::Pass)
        && each.iter().any(|(_, r)| r.outcome == StationOutcome::Fail);
    let detail = |result: StationResult, note: String| StationDetail {
        final_result: result.clone(),
        result,
        sheets: order.clone(),
        markers: markers.clone(),
        discrepancy: Some(discrepancy),
        over_threshold: over,
        results_differ,
        note: Some(note),
        moderation: CellModeration::NotModerated,
        decided: Vec::new(),
        unsubmitted: Vec::new(),
    };

    if over && third_marking {
        let (examiner, mut result) = each[2].clone();
        let mut note = format!(
            "double-marked ({}): the first two differ by {}, over the threshold; third marker {examiner}'s result counts",
            who.join(", "),
            fmt_marks(discrepancy)
        );
        // What the first two markers found that the third's result leaves
        // out, kept in sight for the exam office: a critical item failed
        // (a patient-safety finding is never dropped without trace).
        for (e, r) in &each[..2] {
            for f in r
                .critical_fails
                .iter()
                .filter(|f| !result.critical_fails.iter().any(|g| g.item == f.item))
            {
                note.push_str(&format!(
                    "; {e}'s sheet: {f} (not counted: the third marker's result counts)"
                ));
            }
        }
        // The global rating is the third marker's too (score and rating
        // from one sheet, as standard setting pairs them): what the first
        // two gave, where it differs.
        match &result.global_rating {
            Some((level, label)) => {
                let others = ratings_other_than(&each[..2], *level);
                if !others.is_empty() {
                    note.push_str(&format!(
                        "; global rating {examiner}'s {label} (the third marker's); {}",
                        others.join(", ")
                    ));
                }
            }
            None => {
                let gave: Vec<String> = each[..2]
                    .iter()
                    .filter_map(|(e, r)| Some(format!("{e} gave {}", r.global_rating.as_ref()?.1)))
                    .collect();
                if !gave.is_empty() {
                    note.push_str(&format!(
                        "; no global rating from the third marker {examiner}; {}",
                        gave.join(", ")
                    ));
                }
            }
        }
        // Who marked, and each marker's own score, are the exam office's
        // (the note): the reasons are what a candidate may be told.
        result.reasons.push(Reason::new(
            verdict_of(result.outcome),
            format!(
                "{}: double-marked, the first two markers' scores over the threshold apart: a third \
                 marker's result counts",
                station.place()
            ),
        ));
        return detail(result, note);
    }

    // Start from the first marker's result and replace the score.
    let mut result = each[0].1.clone();
    let mean = markers.iter().map(|m| m.1).sum::<f64>() / markers.len() as f64;
    result.score = mean;
    // Taken in proportion, the score is out of the station's maximum, and
    // so is its pass mark.
    if observed_differs {
        result.max = nominal;
        result.pass_mark = crate::scoring::applied_pass_mark(rubric, station, &result, standards).ok();
    }
    // Each critical item failed by any marker, once.
    result.critical_fails.clear();
    for f in each.iter().flat_map(|(_, r)| &r.critical_fails) {
        if !result.critical_fails.iter().any(|g| g.item == f.item) {
            result.critical_fails.push(f.clone());
        }
    }
    result.missing = each.iter().flat_map(|(_, r)| r.missing.clone()).collect();
    result.reasons.clear();
    let agreed = agreed.filter(|_| over && rule == Reconcile::AgreedMark);
    let waiting = over && matches!(rule, Reconcile::AgreedMark | Reconcile::ThirdMarker) && agreed.is_none();
    let passes = |score: f64| match result.pass_mark.as_ref().and_then(|p| p.marks) {
        Some(needed) => score + crate::rubric::EPSILON >= needed,
        // Competency and global-rating pass marks: both must pass.
        None => each.iter().all(|(_, r)| r.outcome == StationOutcome::Pass),
    };
    // The score that counts against the station's pass mark, in words:
    // " meets the pass mark 9.7 (…)"; nothing for a competency or
    // global-rating pass mark.
    let against = |score: f64| {
        let p = result.pass_mark.as_ref();
        match p.and_then(|p| p.marks) {
            Some(needed) => format!(
                " {} the pass mark {}{}",
                if score + crate::rubric::EPSILON >= needed {
                    "meets"
                } else {
                    "is below"
                },
                fmt_marks(needed),
                p.map(|p| format!(" ({})", p.source)).unwrap_or_default()
            ),
            None => String::new(),
        }
    };
    let mut note;
    if waiting {
        result.outcome = StationOutcome::Incomplete;
        let rule = match rule {
            Reconcile::AgreedMark => "an agreed mark (recorded with `osce moderate`)",
            _ => {
                "a third marker's sheet (another examiner marks this candidate at this station with `osce score`)"
            }
        };
        note = format!(
            "double-marked ({}): difference {} is over the threshold; waiting for {rule}",
            who.join(", "),
            fmt_marks(discrepancy)
        );
        result.reasons.push(Reason::new(
            crate::scoring::Outcome::Incomplete,
            format!(
                "double-marked: the markers' scores differ by {}, over the threshold; waiting for {rule}",
                fmt_marks(discrepancy)
            ),
        ));
    } else if !result.critical_fails.is_empty() {
        result.outcome = StationOutcome::Fail;
        // Who failed a critical item, where not every marker did: in the
        // note (for the exam office), not in the reasons candidates read.
        let failed_by: Vec<&str> = each
            .iter()
            .filter(|(_, r)| !r.critical_fails.is_empty())
            .map(|(e, _)| e.as_str())
            .collect();
        let by = if failed_by.len() < each.len() {
            format!(" (by {} only)", failed_by.join(", "))
        } else {
            String::new()
        };
        // The agreed mark, where one is in force, is the score that counts.
        let agreed_words = match &agreed {
            Some((score, _, recorded)) if all_decided && result.missing.is_empty() => format!(
                "; agreed mark {} of {}: {recorded}",
                fmt_marks(*score),
                fmt_marks(result.max)
            ),
            _ => String::new(),
        };
        note = format!(
            "double-marked ({}): a critical item was failed{by}{agreed_words}",
            who.join(", ")
        );
        for f in &result.critical_fails {
            result
                .reasons
                .push(Reason::new(crate::scoring::Outcome::Fail, f.to_string()));
        }
        // Failing the pass mark as well is said too, as for one marker's
        // sheet: the feedback, and an appeal, need every reason. The score
        // that counts is the agreed mark where one is in force, else the
        // mean.
        if all_decided && result.missing.is_empty() {
            let (counted, words) = match &agreed {
                Some((score, _, _)) => (*score, "agreed mark"),
                None => (mean, "mean"),
            };
            result.score = counted;
            let source = result
                .pass_mark
                .as_ref()
                .map(|p| format!(" ({})", p.source))
                .unwrap_or_default();
            match result.pass_mark.as_ref().and_then(|p| p.marks) {
                Some(needed) if !passes(counted) => result.reasons.push(Reason::new(
                    crate::scoring::Outcome::Fail,
                    format!(
                        "{}: double-marked: {words} {} of {} is below the pass mark {}{source}",
                        station.place(),
                        fmt_marks(counted),
                        fmt_marks(result.max),
                        fmt_marks(needed)
                    ),
                )),
                Some(_) => {}
                // A competency or global-rating pass mark: each marker's
                // own shortfall, once (an agreed result decides instead).
                None if agreed.is_none() => {
                    for (_, r) in &each {
                        for reason in own_shortfalls(r) {
                            if !result.reasons.iter().any(|x| x.text == reason.text) {
                                result.reasons.push(reason.clone());
                            }
                        }
                    }
                }
                None => {}
            }
        }
    } else if !all_decided {
        result.outcome = StationOutcome::Incomplete;
        note = format!(
            "double-marked ({}): not every marker's sheet is complete",
            who.join(", ")
        );
        result.reasons.push(Reason::new(
            crate::scoring::Outcome::Incomplete,
            "double-marked: not every marker's sheet is complete".to_string(),
        ));
    } else if let Some((score, outcome, by)) = agreed {
        result.score = score;
        let by_marks = result.pass_mark.as_ref().and_then(|p| p.marks).is_some();
        result.outcome = match (by_marks, outcome) {
            (true, _) => {
                if passes(score) {
                    StationOutcome::Pass
                } else {
                    StationOutcome::Fail
                }
            }
            (false, Some(o)) => station_outcome(o).0,
            (false, None) => StationOutcome::Incomplete,
        };
        note = format!(
            "double-marked ({}): difference {} over the threshold; agreed mark {} of {}: {by}",
            who.join(", "),
            fmt_marks(discrepancy),
            fmt_marks(score),
            fmt_marks(result.max)
        );
        // Who agreed it, and why, are the exam board's.
        result.reasons.push(Reason::new(
            verdict_of(result.outcome),
            format!(
                "{}: double-marked, the markers' scores over the threshold apart: their agreed mark {} of \
                 {}{}",
                station.place(),
                fmt_marks(score),
                fmt_marks(result.max),
                against(score)
            ),
        ));
    } else {
        let passed = passes(mean);
        result.outcome = if passed {
            StationOutcome::Pass
        } else {
            StationOutcome::Fail
        };
        let flag = if over {
            " (over the discrepancy threshold: for moderation)"
        } else {
            ""
        };
        note = format!(
            "double-marked ({}): mean {} of {}{flag}",
            who.join(", "),
            fmt_marks(mean),
            fmt_marks(result.max)
        );
        result.reasons.push(Reason::new(
            verdict_of(result.outcome),
            format!(
                "{}: double-marked: mean {} of {}{}",
                station.place(),
                fmt_marks(mean),
                fmt_marks(result.max),
                against(mean)
            ),
        ));
        // A competency or global-rating pass mark: every marker's sheet
        // must pass, so the mean of marks does not say why it failed. Each
        // failing marker's shortfall is a reason (once), and whose it is
        // goes in the note.
        if !passed && result.pass_mark.as_ref().and_then(|p| p.marks).is_none() {
            let prefix = format!("{}: ", station.place());
            let mut failing = Vec::new();
            for (examiner, r) in &each {
                let own: Vec<&Reason> = own_shortfalls(r).collect();
                if own.is_empty() {
                    continue;
                }
                let words: Vec<&str> = own
                    .iter()
                    .map(|x| x.text.strip_prefix(&prefix).unwrap_or(&x.text))
                    .collect();
                failing.push(format!("{examiner}'s sheet fails: {}", words.join("; ")));
                for reason in own {
                    if !result.reasons.iter().any(|x| x.text == reason.text) {
                        result.reasons.push(reason.clone());
                    }
                }
            }
            if !failing.is_empty() {
                note.push_str(&format!(
                    "; {} (every marker's sheet must pass)",
                    failing.join("; ")
                ));
            }
        }
    }
    // The first marker's global rating is the station's (standard
    // setting uses it): where the others gave another, the note says
    // whose counts and what each other marker gave.
    if let Some((first, (level, label))) = each
        .first()
        .and_then(|(e, r)| Some((e, r.global_rating.as_ref()?)))
    {
        let others = ratings_other_than(&each[1..], *level);
        if !others.is_empty() {
            note.push_str(&format!(
                "; global rating {first}'s {label} (the first marker's); {}",
                others.join(", ")
            ));
        }
    }
    detail(result, note)
}

/// What each of `markers` gave for the global rating where it is not
/// `level` (the one that counts): `E02 gave Borderline`, `E03 gave none`.
fn ratings_other_than(markers: &[(String, StationResult)], level: usize) -> Vec<String> {
    markers
        .iter()
        .filter_map(|(e, r)| match &r.global_rating {
            Some((l, _)) if *l == level => None,
            Some((_, other)) => Some(format!("{e} gave {other}")),
            None => Some(format!("{e} gave none")),
        })
        .collect()
}

/// A marker's own result's failing reasons other than its critical items
/// (which come first): where a competency or global-rating pass mark
/// failed it.
fn own_shortfalls(r: &StationResult) -> impl Iterator<Item = &Reason> {
    r.reasons
        .iter()
        .skip(r.critical_fails.len())
        .filter(|x| x.verdict == crate::scoring::Outcome::Fail)
}

/// Sheets in the order they were opened (then by key): first marker first.
fn by_opening(cohort: &Cohort, sheets: &[usize]) -> Vec<usize> {
    let mut order = sheets.to_vec();
    order.sort_by(|&a, &b| {
        let (a, b) = (&cohort.sheets[a], &cohort.sheets[b]);
        (a.state.first, &a.key).cmp(&(b.state.first, &b.key))
    });
    order
}

/// How far two markers agree, over every candidate × station marked twice.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Cells with two or more markers, the first two of whose sheets are
    /// submitted: the only ones the figures below are taken from.
    pub pairs: usize,
    /// Cells with two or more markers where one of the first two sheets is
    /// not submitted yet (its marks may change): not counted.
    pub waiting: usize,
    /// Quadratic-weighted kappa of the global ratings, per global-rating
    /// scale: (scale id, pairs used, kappa or `None` when undefined).
    pub kappa: Vec<(String, usize, Option<f64>)>,
    /// ICC(2,1) of the two markers' scores, and the pairs used.
    pub icc: (usize, Option<f64>),
    /// (candidate, station, difference) where the difference is over the
    /// rubric's discrepancy threshold (every difference, with none set).
    pub discrepancies: Vec<(String, String, f64)>,
}

/// Two markers' scores as they are compared: where they observed
/// different items (their maxima differ), each in proportion to the
/// station's maximum, as the reconciled result takes them.
pub fn compared_scores(a: &StationResult, b: &StationResult) -> (f64, f64) {
    if (a.max - b.max).abs() <= crate::rubric::EPSILON {
        return (a.score, b.score);
    }
    (in_proportion(a), in_proportion(b))
}

/// A sheet's score out of what its marker observed, in proportion to the
/// station's maximum: 6 of the 6 marks observed is 9 of a station of 9.
fn in_proportion(r: &StationResult) -> f64 {
    if r.max > 0.0 {
        r.score * r.nominal_max / r.max
    } else {
        r.score
    }
}

/// Agreement between the first two markers of every double-marked cell.
pub fn agreement(rubric: &Rubric, cohort: &Cohort, m: &Matrix) -> Agreement {
    let mut by_scale: BTreeMap<String, (usize, Vec<(usize, usize)>)> = BTreeMap::new();
    let mut scores: Vec<Vec<f64>> = Vec::new();
    let mut discrepancies = Vec::new();
    let mut pairs = 0;
    let mut waiting = 0;
    for ((candidate, station_id), cell) in &m.cells {
        if !cell.double_marked || cell.sheets.len() < 2 {
            continue;
        }
        let Some(station) = rubric.station(station_id) else {
            continue;
        };
        // The first two markers: the two sheets opened first.
        let order = by_opening(cohort, &cell.sheets);
        let two = [&cohort.sheets[order[0]], &cohort.sheets[order[1]]];
        if two.iter().any(|s| s.state.submitted.is_none()) {
            waiting += 1;
            continue;
        }
        pairs += 1;
        if let Some(g) = &station.global_rating
            && let (Some((a, _)), Some((b, _))) = (two[0].state.global_rating(), two[1].state.global_rating())
        {
            let scale = rubric.scale(g.scale);
            by_scale
                .entry(scale.id.clone())
                .or_insert((scale.levels.len(), Vec::new()))
                .1
                .push((a, b));
        }
        let score = |s: &crate::results::gather::FoundSheet| {
            score_station(
                rubric,
                station,
                Some(&s.state.to_station_sheet()),
                &Standards::default(),
            )
            .ok()
        };
        if let (Some(a), Some(b)) = (score(two[0]), score(two[1]))
            && a.missing.is_empty()
            && b.missing.is_empty()
        {
            let (x, y) = compared_scores(&a, &b);
            scores.push(vec![x, y]);
            let difference = (x - y).abs();
            let threshold = rubric.double_marking.discrepancy.map(|t| match t {
                FixedMark::Marks(x) => x,
                FixedMark::Percent(p) => p / 100.0 * a.nominal_max,
            });
            if threshold.is_none_or(|t| difference > t + crate::rubric::EPSILON) && difference > 0.0 {
                discrepancies.push((candidate.clone(), station_id.clone(), difference));
            }
        }
    }
    Agreement {
        pairs,
        waiting,
        kappa: by_scale
            .into_iter()
            .map(|(id, (levels, p))| {
                let k = crate::analysis::stats::weighted_kappa(&p, levels);
                (id, p.len(), k)
            })
            .collect(),
        icc: (scores.len(), crate::analysis::stats::icc_2_1(&scores)),
        discrepancies,
    }
}

/// "amendment in progress …" for the cell's sheet being amended, if one is.
fn amendment_words(cohort: &Cohort, sheets: &[usize]) -> Option<String> {
    let a = sheets
        .iter()
        .find_map(|&i| cohort.sheets[i].state.amending.as_ref())?;
    Some(format!(
        "amendment in progress (started {} by {}: {}); the sheet as last submitted counts until it is submitted again",
        a.time.format("%Y-%m-%d %H:%M UTC"),
        a.examiner,
        a.reason.trim()
    ))
}

/// "not submitted: …" for the sheets among `sheets` never submitted, if
/// any: each named where several count.
fn not_submitted_words(cohort: &Cohort, sheets: &[usize]) -> Option<String> {
    let open: Vec<String> = sheets
        .iter()
        .map(|&i| &cohort.sheets[i])
        .filter(|s| s.state.submitted.is_none())
        .map(|s| {
            let whose = if sheets.len() > 1 {
                format!(" ({}@{})", s.key.examiner, s.key.device)
            } else {
                String::new()
            };
            let what = if s.state.is_started() {
                "marking was started and the sheet is not in"
            } else {
                "the sheet was opened and is not in"
            };
            format!("not submitted{whose}: {what}")
        })
        .collect();
    (!open.is_empty()).then(|| open.join("; "))
}

/// Adds `words` to the station's note, after what it says already.
fn add_note(detail: &mut StationDetail, words: String) {
    detail.note = Some(match detail.note.take() {
        Some(n) => format!("{n}; {words}"),
        None => words,
    });
}
