//! Each candidate's result from a gathered cohort: which sheet counts at
//! each station, how two markers are reconciled, and the overall result.

use std::collections::BTreeMap;

use crate::cohort::{CellState, Cohort, Matrix};
use crate::rubric::{FixedMark, Reconcile, Rubric};
use crate::scoring::{
    AssessmentResult, CandidateSheets, Reason, Standards, StationOutcome, StationResult, fmt_marks, overall,
    score_station,
};

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
    /// How the result was reached, or why a sheet was not used.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CandidateResult {
    pub candidate: String,
    pub name: String,
    pub result: AssessmentResult,
    /// By station id, scored stations only.
    pub stations: BTreeMap<String, StationDetail>,
}

/// Results for every candidate of the matrix, in its order.
pub fn results(rubric: &Rubric, cohort: &Cohort, m: &Matrix, standards: &Standards) -> Vec<CandidateResult> {
    results_for(rubric, cohort, m, standards, &m.candidates)
}

/// Results for some of the matrix's candidates, in the order given: each
/// candidate's result depends on their own sheets only, so export makes
/// them a part of the cohort at a time.
pub fn results_for(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    standards: &Standards,
    candidates: &[String],
) -> Vec<CandidateResult> {
    candidates
        .iter()
        .map(|c| candidate_result(rubric, cohort, m, standards, c))
        .collect()
}

fn candidate_result(
    rubric: &Rubric,
    cohort: &Cohort,
    m: &Matrix,
    standards: &Standards,
    candidate: &str,
) -> CandidateResult {
    let mut stations = Vec::new();
    let mut details = BTreeMap::new();
    for station in &rubric.stations {
        if station.rest {
            stations.push(score_or_missing(rubric, station, None, standards).0);
            continue;
        }
        let cell = m.cell(candidate, &station.id);
        let indices = cell.map(|c| c.sheets.clone()).unwrap_or_default();
        let detail = match cell {
            Some(c) if c.state == CellState::Conflict => {
                let (result, _) = score_or_missing(rubric, station, None, standards);
                StationDetail {
                    result,
                    sheets: Vec::new(),
                    markers: Vec::new(),
                    discrepancy: None,
                    over_threshold: false,
                    note: Some(format!(
                        "conflict: {}; no sheet counts until it is resolved",
                        c.conflict.as_deref().unwrap_or("several sheets")
                    )),
                }
            }
            _ if indices.is_empty() => {
                let (result, note) = score_or_missing(rubric, station, None, standards);
                StationDetail {
                    result,
                    sheets: Vec::new(),
                    markers: Vec::new(),
                    discrepancy: None,
                    over_threshold: false,
                    note,
                }
            }
            _ if indices.len() == 1 => {
                let sheet = &cohort.sheets[indices[0]];
                let (result, note) =
                    score_or_missing(rubric, station, Some(&sheet.state.to_station_sheet()), standards);
                StationDetail {
                    result,
                    sheets: indices,
                    markers: Vec::new(),
                    discrepancy: None,
                    over_threshold: false,
                    note,
                }
            }
            _ => reconcile(rubric, cohort, station, &indices, standards),
        };
        stations.push(detail.result.clone());
        details.insert(station.id.clone(), detail);
    }
    let result = match overall(rubric, stations, &CandidateSheets::default(), standards) {
        Ok(r) => r,
        // The station results were built from this rubric; only supplied
        // component marks can fail here, and none are supplied.
        Err(e) => unreachable_result(rubric, &e.to_string()),
    };
    CandidateResult {
        candidate: candidate.to_string(),
        name: m.names.get(candidate).cloned().unwrap_or_default(),
        result,
        stations: details,
    }
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
        critical_fails: Vec::new(),
        reasons: vec![Reason::new(crate::scoring::Outcome::Incomplete, why)],
        missing: Vec::new(),
        provisional: Vec::new(),
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
    }
}

/// Two (or more) markers at one station. Within the rubric's discrepancy
/// threshold the mean of their scores counts (judged against the pass mark,
/// with every critical fail either marker recorded). Over it, `Mean` still
/// takes the mean but flags it; `AgreedMark` and `ThirdMarker` wait: the
/// station stays INCOMPLETE until the markers agree (or a third marks).
fn reconcile(
    rubric: &Rubric,
    cohort: &Cohort,
    station: &crate::rubric::Station,
    indices: &[usize],
    standards: &Standards,
) -> StationDetail {
    let mut each = Vec::new();
    for &i in indices {
        let sheet = &cohort.sheets[i];
        let (result, _) = score_or_missing(rubric, station, Some(&sheet.state.to_station_sheet()), standards);
        each.push((sheet.key.examiner.clone(), result));
    }
    let markers: Vec<(String, f64)> = each.iter().map(|(e, r)| (e.clone(), r.score)).collect();
    let high = markers.iter().map(|m| m.1).fold(f64::MIN, f64::max);
    let low = markers.iter().map(|m| m.1).fold(f64::MAX, f64::min);
    let discrepancy = high - low;
    let max = rubric.station_max(station);
    let threshold = rubric.double_marking.discrepancy.map(|t| match t {
        FixedMark::Marks(m) => m,
        FixedMark::Percent(p) => p / 100.0 * max,
    });
    let over = threshold.is_none_or(|t| discrepancy > t + crate::rubric::EPSILON) && discrepancy > 0.0;
    let who: Vec<String> = markers
        .iter()
        .map(|(e, s)| format!("{e} {}", fmt_marks(*s)))
        .collect();
    let waiting = over
        && matches!(
            rubric.double_marking.reconcile,
            Reconcile::AgreedMark | Reconcile::ThirdMarker
        );
    let all_decided = each
        .iter()
        .all(|(_, r)| matches!(r.outcome, StationOutcome::Pass | StationOutcome::Fail));

    // Start from the first marker's result and replace the score.
    let mut result = each[0].1.clone();
    let mean = markers.iter().map(|m| m.1).sum::<f64>() / markers.len() as f64;
    result.score = mean;
    result.critical_fails = each.iter().flat_map(|(_, r)| r.critical_fails.clone()).collect();
    result.missing = each.iter().flat_map(|(_, r)| r.missing.clone()).collect();
    result.reasons.clear();
    let note;
    if waiting {
        result.outcome = StationOutcome::Incomplete;
        let rule = match rubric.double_marking.reconcile {
            Reconcile::AgreedMark => "an agreed mark",
            _ => "a third marker",
        };
        note = format!(
            "double-marked ({}): difference {} is over the threshold; waiting for {rule}",
            who.join(", "),
            fmt_marks(discrepancy)
        );
        result
            .reasons
            .push(Reason::new(crate::scoring::Outcome::Incomplete, note.clone()));
    } else if !result.critical_fails.is_empty() {
        result.outcome = StationOutcome::Fail;
        note = format!("double-marked ({}): a critical item was failed", who.join(", "));
        for f in &result.critical_fails {
            result
                .reasons
                .push(Reason::new(crate::scoring::Outcome::Fail, f.to_string()));
        }
    } else if !all_decided {
        result.outcome = StationOutcome::Incomplete;
        note = format!(
            "double-marked ({}): not every marker's sheet is complete",
            who.join(", ")
        );
        result
            .reasons
            .push(Reason::new(crate::scoring::Outcome::Incomplete, note.clone()));
    } else {
        let passed = match result.pass_mark.as_ref().and_then(|p| p.marks) {
            Some(needed) => mean + crate::rubric::EPSILON >= needed,
            // Competency and global-rating pass marks: both must pass.
            None => each.iter().all(|(_, r)| r.outcome == StationOutcome::Pass),
        };
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
        let verdict = if passed {
            crate::scoring::Outcome::Pass
        } else {
            crate::scoring::Outcome::Fail
        };
        result.reasons.push(Reason::new(
            verdict,
            format!("station '{}': {note}", station.title),
        ));
    }
    StationDetail {
        result,
        sheets: indices.to_vec(),
        markers,
        discrepancy: Some(discrepancy),
        over_threshold: over,
        note: Some(note),
    }
}

/// How far two markers agree, over every candidate × station marked twice.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Cells with two or more markers.
    pub pairs: usize,
    /// Quadratic-weighted kappa of the global ratings, per global-rating
    /// scale: (scale id, pairs used, kappa or `None` when undefined).
    pub kappa: Vec<(String, usize, Option<f64>)>,
    /// ICC(2,1) of the two markers' scores, and the pairs used.
    pub icc: (usize, Option<f64>),
    /// (candidate, station, difference) where the difference is over the
    /// rubric's discrepancy threshold (every difference, with none set).
    pub discrepancies: Vec<(String, String, f64)>,
}

/// Agreement between the first two markers of every double-marked cell.
pub fn agreement(rubric: &Rubric, cohort: &Cohort, m: &Matrix) -> Agreement {
    let mut by_scale: BTreeMap<String, (usize, Vec<(usize, usize)>)> = BTreeMap::new();
    let mut scores: Vec<Vec<f64>> = Vec::new();
    let mut discrepancies = Vec::new();
    let mut pairs = 0;
    for ((candidate, station_id), cell) in &m.cells {
        if !cell.double_marked || cell.sheets.len() < 2 {
            continue;
        }
        let Some(station) = rubric.station(station_id) else {
            continue;
        };
        pairs += 1;
        let two = [&cohort.sheets[cell.sheets[0]], &cohort.sheets[cell.sheets[1]]];
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
        let score = |s: &crate::cohort::FoundSheet| {
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
            scores.push(vec![a.score, b.score]);
            let difference = (a.score - b.score).abs();
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
        kappa: by_scale
            .into_iter()
            .map(|(id, (levels, p))| {
                let k = crate::stats::weighted_kappa(&p, levels);
                (id, p.len(), k)
            })
            .collect(),
        icc: (scores.len(), crate::stats::icc_2_1(&scores)),
        discrepancies,
    }
}
