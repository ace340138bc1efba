//! Marks → scores → results. Pure functions of the rubric, the sheets and
//! the standards: no clock, no files.

use crate::rubric::{Critical, Cut, EPSILON, FixedMark, PassMark, PassRule, Rubric, Station};

use super::result::*;
use super::sheet::*;
use super::{fmt_marks, fmt_percent};

/// Scores one station's sheet. `sheet` is `None` when there is no sheet.
pub fn score_station(
    rubric: &Rubric,
    station: &Station,
    sheet: Option<&StationSheet>,
    standards: &Standards,
) -> Result<StationResult, SheetError> {
    let nominal_max = rubric.station_max(station);
    let mut result = StationResult {
        station: station.id.clone(),
        title: station.title.clone(),
        noun: station.noun,
        outcome: StationOutcome::Incomplete,
        score: 0.0,
        max: nominal_max,
        nominal_max,
        pass_mark: None,
        global_rating: None,
        critical_fails: Vec::new(),
        competency: Competency::default(),
        missing: Vec::new(),
        reasons: Vec::new(),
        failed_for_absence: false,
    };
    if station.rest {
        if let Some(sheet) = sheet
            && (!sheet.marks.is_empty() || sheet.global_rating.is_some())
        {
            return Err(SheetError::MarksAtRestStation {
                station: station.id.clone(),
            });
        }
        result.outcome = StationOutcome::Rest;
        return Ok(result);
    }
    let Some(sheet) = sheet else {
        result.missing.push(Missing::Sheet {
            station: station.place(),
            held: None,
        });
        result.reasons.push(Reason::new(
            Outcome::Incomplete,
            format!("no sheet for {}", station.place()),
        ));
        return Ok(result);
    };
    if let Some(reason) = &sheet.absent {
        // A sheet's marks are checked as they are scored below; an absent
        // one's here, as nothing below reads them.
        check_sheet(rubric, station, sheet)?;
        result.outcome = StationOutcome::Absent;
        result.missing.push(Missing::Absent {
            station: station.place(),
            reason: reason.clone(),
        });
        result.reasons.push(Reason::new(
            Outcome::Incomplete,
            format!("absent from {}: {reason}", station.place()),
        ));
        return Ok(result);
    }

    let mut max = 0.0;
    // The sheet's marks found among the station's items: any other is of
    // an item the station does not have.
    let mut found = 0;
    for item in &station.items {
        let scale = rubric.scale(item.scale);
        let mark = sheet.marks.get(item.id.as_str());
        if let Some(m) = mark {
            found += 1;
            let fits = match *m {
                ItemMark::Level(level) => level < scale.levels.len(),
                ItemMark::NotObserved => scale.not_observed,
            };
            if !fits {
                return Err(sheet_error(rubric, station, sheet));
            }
        }
        match mark {
            None => {
                max += rubric.item_max(item);
                result.missing.push(Missing::Item {
                    station: station.place(),
                    item: item.id.clone(),
                    text: item.text.clone(),
                });
            }
            Some(ItemMark::NotObserved) => {
                if item.critical != Critical::No {
                    result
                        .critical_fails
                        .push(critical_fail(station, item, "not observed".to_string()));
                }
            }
            Some(ItemMark::Level(level)) => {
                max += rubric.item_max(item);
                result.score += item.weight * scale.levels[*level].mark;
                let meets = *level >= item.meets;
                if item.critical == Critical::No {
                    result.competency.marked += 1;
                    result.competency.met += usize::from(meets);
                } else if !meets {
                    result.critical_fails.push(critical_fail(
                        station,
                        item,
                        scale.levels[*level].label.clone(),
                    ));
                }
            }
        }
    }
    if found != sheet.marks.len() {
        return Err(sheet_error(rubric, station, sheet));
    }
    check_global_rating(rubric, station, sheet)?;
    result.max = max;
    if let Some(global) = &station.global_rating {
        match sheet.global_rating {
            Some(level) => {
                result.global_rating = Some((level, rubric.scale(global.scale).levels[level].label.clone()))
            }
            None => result.missing.push(Missing::GlobalRating {
                station: station.place(),
            }),
        }
    }

    judge_station(rubric, station, result, standards)
}

/// What a station's result rests on before its pass mark is applied: all
/// that is needed to judge it again under other pass marks without its
/// sheet. Most sheets, every item marked and none critical failed, keep
/// their score, rating and items met alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally(Rests);

#[derive(Debug, Clone, PartialEq)]
enum Rests {
    /// Every item marked, none critical failed.
    Marks {
        score: f64,
        max: f64,
        /// The global rating's level, `u32::MAX` for none.
        global_rating: u32,
        met: u32,
        marked: u32,
    },
    /// The result before its pass mark was applied: something missing,
    /// or a critical item failed.
    Unjudged(Box<StationResult>),
    /// A result no pass mark is applied to (absent, no sheet, a rest
    /// station).
    Judged(Box<StationResult>),
}

impl Tally {
    /// The tally of `result`, a station's result as [`score_station`] made
    /// it from a sheet, or from none.
    pub fn of(result: &StationResult) -> Tally {
        if result.pass_mark.is_none() {
            return Tally(Rests::Judged(Box::new(result.clone())));
        }
        let small = |n: usize| u32::try_from(n).ok().filter(|&n| n != u32::MAX);
        let level = match &result.global_rating {
            Some((level, _)) => small(*level),
            None => Some(u32::MAX),
        };
        match (
            level,
            small(result.competency.met),
            small(result.competency.marked),
        ) {
            (Some(global_rating), Some(met), Some(marked))
                if result.critical_fails.is_empty()
                    && result.missing.is_empty()
                    && !result.failed_for_absence =>
            {
                Tally(Rests::Marks {
                    score: result.score,
                    max: result.max,
                    global_rating,
                    met,
                    marked,
                })
            }
            _ => {
                // As it was before it was judged: the judging adds the pass
                // mark, the outcome, its reasons and, where nothing was
                // observed, says so.
                let mut unjudged = result.clone();
                unjudged.outcome = StationOutcome::Incomplete;
                unjudged.pass_mark = None;
                unjudged.reasons.clear();
                unjudged
                    .missing
                    .retain(|m| !matches!(m, Missing::NothingObserved { .. }));
                Tally(Rests::Unjudged(Box::new(unjudged)))
            }
        }
    }
}

/// The station's result from its `tally` under `standards`: the result
/// [`score_station`] gives what the tally was made of.
pub fn score_tally(
    rubric: &Rubric,
    station: &Station,
    tally: &Tally,
    standards: &Standards,
) -> Result<StationResult, SheetError> {
    let (score, max, global_rating, met, marked) = match &tally.0 {
        Rests::Judged(result) => return Ok(StationResult::clone(result)),
        Rests::Unjudged(result) => {
            return judge_station(rubric, station, StationResult::clone(result), standards);
        }
        Rests::Marks {
            score,
            max,
            global_rating,
            met,
            marked,
        } => (*score, *max, *global_rating, *met, *marked),
    };
    let global_rating = match (global_rating, &station.global_rating) {
        (u32::MAX, _) => None,
        (level, Some(global)) => {
            let level = level as usize;
            let levels = &rubric.scale(global.scale).levels;
            let label = levels.get(level).map(|l| l.label.clone());
            Some((
                level,
                label.ok_or(SheetError::GlobalRatingOutOfRange {
                    station: station.id.clone(),
                    level,
                    levels: levels.len(),
                })?,
            ))
        }
        (_, None) => {
            return Err(SheetError::UnexpectedGlobalRating {
                station: station.id.clone(),
            });
        }
    };
    let nominal_max = rubric.station_max(station);
    let result = StationResult {
        station: station.id.clone(),
        title: station.title.clone(),
        noun: station.noun,
        outcome: StationOutcome::Incomplete,
        score,
        max,
        nominal_max,
        pass_mark: None,
        global_rating,
        critical_fails: Vec::new(),
        competency: Competency {
            met: met as usize,
            marked: marked as usize,
        },
        missing: Vec::new(),
        reasons: Vec::new(),
        failed_for_absence: false,
    };
    judge_station(rubric, station, result, standards)
}

/// A sheet's `result` at `station`, its marks added up, judged against its
/// pass mark under `standards`.
fn judge_station(
    rubric: &Rubric,
    station: &Station,
    mut result: StationResult,
    standards: &Standards,
) -> Result<StationResult, SheetError> {
    let pass_mark = applied_pass_mark(rubric, station, &result, standards)?;
    for fail in &result.critical_fails {
        result
            .reasons
            .push(Reason::of_marks(Outcome::Fail, fail.to_string()));
    }
    // With every item "not observed" there is nothing to judge on marks.
    let judged_on_items = matches!(
        station.pass_mark,
        Some(PassMark::Fixed(_) | PassMark::StandardSet { .. })
    ) || matches!(station.pass_mark, Some(PassMark::Competency { .. }))
        && result.competency.marked == 0
        && station.items.iter().all(|i| i.critical == Critical::No);
    if judged_on_items && result.missing.is_empty() && result.max <= 0.0 && !station.items.is_empty() {
        result.missing.push(Missing::NothingObserved {
            station: station.place(),
        });
    }
    let decision = decide(station, &result, &pass_mark, rubric);
    result.pass_mark = Some(pass_mark);
    result.outcome = if !result.critical_fails.is_empty() {
        // A score below the pass mark as well is said too: the feedback,
        // and an appeal, need every reason the station was failed for.
        if let (true, (false, why)) = (result.missing.is_empty(), &decision) {
            result.reasons.push(Reason::of_marks(Outcome::Fail, why.clone()));
        }
        StationOutcome::Fail
    } else if !result.missing.is_empty() {
        let list: Vec<String> = result.missing.iter().map(ToString::to_string).collect();
        result
            .reasons
            .push(Reason::new(Outcome::Incomplete, list.join("; ")));
        StationOutcome::Incomplete
    } else {
        let (passed, why) = decision;
        let verdict = if passed { Outcome::Pass } else { Outcome::Fail };
        result.reasons.push(Reason::of_marks(verdict, why));
        if passed {
            StationOutcome::Pass
        } else {
            StationOutcome::Fail
        }
    };
    Ok(result)
}

/// The stations of `scored` that failed, each with why (a global rating
/// below the level needed, a critical item), as the stations-passed
/// rule's reason lists them: ` (failed: Knee — …, Ankle — …)`, or empty
/// where none failed. A FAIL beside a high total says itself what it
/// rests on. `words` gives a station's reason as it is to be said: the
/// feedback tells a candidate less than the exam board is told.
pub fn failed_stations(scored: &[&StationResult], words: impl Fn(&str) -> String) -> String {
    let failed: Vec<String> = scored
        .iter()
        .filter(|s| s.outcome == StationOutcome::Fail)
        .map(|s| match why_failed(s, &words) {
            // A rationale's closing full stop would end the list's entry
            // mid-sentence ("… for this case., Case 4 — …").
            Some(why) => format!("{} — {}", s.title, why.trim_end().trim_end_matches('.')),
            None => s.title.clone(),
        })
        .collect();
    if failed.is_empty() {
        String::new()
    } else {
        format!(" (failed: {})", failed.join(", "))
    }
}

/// Why station `s` failed, in its own words (put through `words`) without
/// what a list of stations says already (its name) or says elsewhere
/// (where its pass mark comes from): `score 9 of 20 is below the pass
/// mark 12`. Every reason its marks failed it for, in the order found,
/// joined by ` and ` (`; ` parts the reasons they are listed in): a
/// critical item does not hide a score or a level below the one needed.
/// Not the notes on how the result was reached (a third marker's result
/// counting); where the marks give none (a result moderation changed),
/// the first reason it failed for. None where it gives no reason.
fn why_failed(s: &StationResult, words: impl Fn(&str) -> String) -> Option<String> {
    let prefix = format!("{}: ", s.place());
    let at = format!(" at {}", s.place());
    let source = s.pass_mark.as_ref().map(|p| format!(" ({})", p.source));
    let failed = |r: &&Reason| r.verdict == Outcome::Fail;
    let of_marks: Vec<&Reason> = s.reasons.iter().filter(failed).filter(|r| r.of_marks).collect();
    let reasons = if of_marks.is_empty() {
        s.reasons.iter().find(failed).into_iter().collect()
    } else {
        of_marks
    };
    let why: Vec<String> = reasons
        .into_iter()
        .map(|r| {
            // Where the pass mark came from comes off the reason as
            // written, before it is put in `words` (which may word it
            // otherwise).
            let raw = source
                .as_ref()
                .and_then(|source| r.text.strip_suffix(source.as_str()))
                .unwrap_or(&r.text);
            let text = words(raw);
            let text = text.strip_prefix(&prefix).unwrap_or(&text).replace(&at, "");
            text.trim_end().trim_end_matches('.').to_string()
        })
        .collect();
    (!why.is_empty()).then(|| why.join(" and "))
}

/// What keeps `stations`' results from being complete, a phrase for each
/// kind naming its stations: no sheet yet, items (or the global rating)
/// left unmarked, an absence not decided, nothing observed, or a result
/// not in with every item marked (held for a decision, or waiting for a
/// sheet to be submitted; the station's own reason says which). Empty where
/// nothing is open.
fn still_open(stations: &[StationResult]) -> Vec<String> {
    let mut by_kind: [Vec<String>; 5] = Default::default();
    // Stations whose sheets are in and held back, by why: after the rest.
    let mut held: Vec<(&str, Vec<String>)> = Vec::new();
    for s in stations.iter().filter(|s| s.is_scored()) {
        let title = format!("'{}'", s.title);
        if let Some(why) = s.missing.iter().find_map(|m| match m {
            Missing::Sheet { held: Some(why), .. } => Some(why.as_str()),
            _ => None,
        }) {
            match held.iter_mut().find(|(w, _)| *w == why) {
                Some((_, titles)) => titles.push(title),
                None => held.push((why, vec![title])),
            }
            continue;
        }
        let kind = match s.outcome {
            StationOutcome::Absent => 2,
            StationOutcome::Incomplete if s.missing.is_empty() => 4,
            _ if s.missing.iter().any(|m| matches!(m, Missing::Sheet { .. })) => 0,
            _ if s
                .missing
                .iter()
                .any(|m| matches!(m, Missing::Item { .. } | Missing::GlobalRating { .. })) =>
            {
                1
            }
            _ if s
                .missing
                .iter()
                .any(|m| matches!(m, Missing::NothingObserved { .. })) =>
            {
                3
            }
            _ => continue,
        };
        by_kind[kind].push(title);
    }
    let words = [
        "no sheet yet for ",
        "not every item marked at ",
        "absent from ",
        "no item observed at ",
        "no result yet at ",
    ];
    by_kind
        .iter()
        .zip(words)
        .enumerate()
        .filter(|(_, (titles, _))| !titles.is_empty())
        .map(|(kind, (titles, words))| {
            let list = titles.join(", ");
            match kind {
                2 => format!("{words}{list}, not yet decided (a fail, or deferred)"),
                _ => format!("{words}{list}"),
            }
        })
        .chain(
            held.into_iter()
                .map(|(why, titles)| format!("no sheet counts yet at {} ({why})", titles.join(", "))),
        )
        .collect()
}

fn critical_fail(station: &Station, item: &crate::rubric::Item, given: String) -> CriticalFail {
    CriticalFail {
        station: station.id.clone(),
        station_title: station.title.clone(),
        noun: station.noun,
        item: item.id.clone(),
        item_text: item.text.clone(),
        given,
        scope: item.critical,
    }
}

fn check_sheet(rubric: &Rubric, station: &Station, sheet: &StationSheet) -> Result<(), SheetError> {
    for (id, mark) in &sheet.marks {
        let Some(item) = station.item(id) else {
            return Err(SheetError::UnknownItem {
                station: station.id.clone(),
                item: id.to_string(),
            });
        };
        let scale = rubric.scale(item.scale);
        match *mark {
            ItemMark::Level(level) if level >= scale.levels.len() => {
                return Err(SheetError::LevelOutOfRange {
                    station: station.id.clone(),
                    item: id.to_string(),
                    level,
                    levels: scale.levels.len(),
                });
            }
            ItemMark::NotObserved if !scale.not_observed => {
                return Err(SheetError::NotObservedNotAllowed {
                    station: station.id.clone(),
                    item: id.to_string(),
                });
            }
            _ => {}
        }
    }
    check_global_rating(rubric, station, sheet)
}

/// What [`check_sheet`] finds wrong with a sheet found not to fit (its
/// first mistake, as it would be said whichever way it was found).
fn sheet_error(rubric: &Rubric, station: &Station, sheet: &StationSheet) -> SheetError {
    match check_sheet(rubric, station, sheet) {
        Err(e) => e,
        // Not reached: called only where a mark does not fit.
        Ok(()) => SheetError::UnknownItem {
            station: station.id.clone(),
            item: String::new(),
        },
    }
}

/// The sheet's global rating is one the station's scale has.
fn check_global_rating(rubric: &Rubric, station: &Station, sheet: &StationSheet) -> Result<(), SheetError> {
    if let Some(level) = sheet.global_rating {
        let Some(global) = &station.global_rating else {
            return Err(SheetError::UnexpectedGlobalRating {
                station: station.id.clone(),
            });
        };
        let levels = rubric.scale(global.scale).levels.len();
        if level >= levels {
            return Err(SheetError::GlobalRatingOutOfRange {
                station: station.id.clone(),
                level,
                levels,
            });
        }
    }
    Ok(())
}

/// The pass mark this sheet is judged against. Marks written for the full
/// station shrink in proportion when items were not observed.
pub fn applied_pass_mark(
    rubric: &Rubric,
    station: &Station,
    result: &StationResult,
    standards: &Standards,
) -> Result<AppliedPassMark, SheetError> {
    let nominal = result.nominal_max;
    let share = if nominal > 0.0 { result.max / nominal } else { 1.0 };
    let scaled = |marks: f64, what: String| -> (Option<f64>, String) {
        if (share - 1.0).abs() < EPSILON {
            (Some(marks), what)
        } else {
            (
                Some(marks * share),
                format!(
                    "{} marks ({what}, scaled to the {} marks observed)",
                    fmt_marks(marks * share),
                    fmt_marks(result.max)
                ),
            )
        }
    };
    let fixed = |mark: FixedMark| -> String {
        match mark {
            FixedMark::Marks(m) => format!("{} marks", fmt_marks(m)),
            FixedMark::Percent(p) => {
                format!(
                    "{} marks ({}% of {})",
                    fmt_marks(p / 100.0 * nominal),
                    fmt_marks(p),
                    fmt_marks(nominal)
                )
            }
        }
    };
    let Some(pass_mark) = &station.pass_mark else {
        unreachable!("a validated scored station always has a pass mark")
    };
    let (marks, description, source) = match pass_mark {
        PassMark::Fixed(mark) => {
            let (m, d) = scaled(mark.in_marks(nominal), fixed(*mark));
            (m, d, PassMarkSource::Fixed)
        }
        PassMark::StandardSet { method, provisional } => match standards.pass_marks.get(&station.id) {
            Some(set) => {
                if !set.marks.is_finite() || set.marks < 0.0 || set.marks > nominal + EPSILON {
                    return Err(SheetError::StandardSetOutOfRange {
                        station: station.id.clone(),
                        marks: set.marks,
                        max: nominal,
                    });
                }
                let (m, d) = scaled(set.marks, format!("{} marks", fmt_marks(set.marks)));
                (m, d, PassMarkSource::StandardSet(set.method))
            }
            None => {
                let (m, d) = scaled(provisional.in_marks(nominal), fixed(*provisional));
                (m, d, PassMarkSource::Provisional(*method))
            }
        },
        PassMark::Competency { percent } => (
            None,
            // In the words of the rule as it applies here: a station with
            // no critical items has no "other" items.
            if station
                .items
                .iter()
                .any(|i| i.critical != crate::rubric::Critical::No)
            {
                format!(
                    "all critical items and {}% of the other items met",
                    fmt_marks(*percent)
                )
            } else {
                format!("{}% of the items met", fmt_marks(*percent))
            },
            PassMarkSource::Competency,
        ),
        PassMark::GlobalRatingAtLeast(level) => {
            let label = station
                .global_rating
                .as_ref()
                .map(|g| rubric.scale(g.scale).levels[*level].label.clone())
                .unwrap_or_default();
            (
                None,
                format!("global rating '{label}' or above"),
                PassMarkSource::GlobalRating,
            )
        }
    };
    Ok(AppliedPassMark {
        marks,
        source,
        description,
    })
}

/// The `NoCriticalFail` rule's reason where every critical item was met.
pub const EVERY_CRITICAL_MET: &str = "every critical item met";
/// Its reason where a station was not assessed (an absence ruled a fail).
pub const NO_CRITICAL_FAILED_WHERE_ASSESSED: &str = "no critical item failed where assessed";

/// Whether a complete sheet with no critical fail passes, and why.
fn decide(
    station: &Station,
    result: &StationResult,
    pass_mark: &AppliedPassMark,
    rubric: &Rubric,
) -> (bool, String) {
    let place = station.place();
    match &station.pass_mark {
        Some(PassMark::Competency { percent }) => {
            let c = result.competency;
            let passed = c.met as f64 * 100.0 + EPSILON >= percent * c.marked as f64;
            let verb = if passed { "meets" } else { "is below" };
            let items = if station
                .items
                .iter()
                .any(|i| i.critical != crate::rubric::Critical::No)
            {
                "other items"
            } else {
                "items"
            };
            (
                passed,
                format!(
                    "{place}: {} of {} {items} met ({}%), which {verb} the {}% required",
                    c.met,
                    c.marked,
                    fmt_percent(c.percent()),
                    fmt_marks(*percent)
                ),
            )
        }
        Some(PassMark::GlobalRatingAtLeast(level)) => {
            let scale = station.global_rating.as_ref().map(|g| rubric.scale(g.scale));
            let given = result.global_rating.as_ref().map(|(l, _)| *l).unwrap_or(0);
            let label = |l: usize| scale.map(|s| s.levels[l].label.clone()).unwrap_or_default();
            let passed = given >= *level;
            let verb = if passed { "reaches" } else { "is below" };
            (
                passed,
                format!(
                    "{place}: global rating '{}' {verb} the required '{}'",
                    label(given),
                    label(*level)
                ),
            )
        }
        _ => {
            let needed = pass_mark.marks.unwrap_or(0.0);
            let passed = result.score + EPSILON >= needed;
            let verb = if passed { "meets" } else { "is below" };
            (
                passed,
                format!(
                    "{place}: score {} of {} {verb} the pass mark {} ({})",
                    fmt_marks(result.score),
                    fmt_marks(result.max),
                    fmt_marks(needed),
                    pass_mark.source
                ),
            )
        }
    }
}

/// `x` to the thousandth, without trailing zeros: where marks to the
/// hundredth would not add up to the total shown.
fn fmt_thousandths(x: f64) -> String {
    let text = format!("{:.3}", (x * 1000.0).round() / 1000.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Scores every station of one candidate and applies the overall pass rules.
pub fn score_candidate(
    rubric: &Rubric,
    sheets: &CandidateSheets,
    standards: &Standards,
) -> Result<AssessmentResult, SheetError> {
    for id in sheets.stations.keys() {
        if rubric.station(id).is_none() {
            return Err(SheetError::UnknownStation { station: id.clone() });
        }
    }
    let stations: Vec<StationResult> = rubric
        .stations
        .iter()
        .map(|s| score_station(rubric, s, sheets.stations.get(&s.id), standards))
        .collect::<Result<_, _>>()?;
    overall(rubric, stations, sheets, standards)
}

/// Applies the overall pass rules to station results already worked out
/// (one per rubric station, in rubric order): for results reconciled from
/// two markers, say. `sheets` supplies the component marks.
pub fn overall(
    rubric: &Rubric,
    stations: Vec<StationResult>,
    sheets: &CandidateSheets,
    standards: &Standards,
) -> Result<AssessmentResult, SheetError> {
    let scored: Vec<&StationResult> = stations.iter().filter(|s| s.is_scored()).collect();
    let total: f64 = scored.iter().map(|s| s.score).sum();
    let max: f64 = scored.iter().map(|s| s.max).sum();
    let stations_passed = scored
        .iter()
        .filter(|s| s.outcome == StationOutcome::Pass)
        .count();
    let complete = scored
        .iter()
        .all(|s| matches!(s.outcome, StationOutcome::Pass | StationOutcome::Fail) && s.missing.is_empty());
    let critical_fails: Vec<CriticalFail> = stations.iter().flat_map(|s| s.critical_fails.clone()).collect();
    let missing: Vec<Missing> = stations.iter().flat_map(|s| s.missing.clone()).collect();

    let mut reasons = Vec::new();
    let mut provisional = Vec::new();
    let mut cut_applied = None;

    for station in &scored {
        if let Some(AppliedPassMark {
            source: PassMarkSource::Provisional(method),
            ..
        }) = &station.pass_mark
        {
            provisional.push(format!(
                "{} uses its provisional pass mark until {method} is applied",
                station.place()
            ));
        }
    }

    // A critical item that fails the assessment does so under any rules.
    for fail in critical_fails
        .iter()
        .filter(|f| f.scope == Critical::FailsAssessment)
    {
        reasons.push(Reason::new(Outcome::Fail, fail.to_string()));
    }

    for rule in &rubric.pass_rules {
        match rule {
            PassRule::TotalAtLeast { cut, plus_sem } => {
                let (base, base_words) = match cut {
                    Cut::SumOfStationPassMarks => {
                        let sum: f64 = scored.iter().filter_map(|s| s.pass_mark.as_ref()?.marks).sum();
                        (sum, format!("sum of station pass marks {}", fmt_marks(sum)))
                    }
                    Cut::Fixed(FixedMark::Percent(p)) => {
                        let value = p / 100.0 * max;
                        (value, format!("{}% of {}", fmt_marks(*p), fmt_marks(max)))
                    }
                    // Like a station's pass mark, a cut in marks shrinks in
                    // proportion when items were not observed.
                    Cut::Fixed(FixedMark::Marks(m)) => {
                        let nominal = rubric.total_max();
                        if nominal > 0.0 && (max - nominal).abs() > EPSILON {
                            let value = m * max / nominal;
                            (
                                value,
                                format!(
                                    "{} marks, scaled to the {} of {} marks observed",
                                    fmt_marks(*m),
                                    fmt_marks(max),
                                    fmt_marks(nominal)
                                ),
                            )
                        } else {
                            (*m, format!("{} marks", fmt_marks(*m)))
                        }
                    }
                };
                let mut cut_value = base;
                let mut words = base_words;
                if *plus_sem > 0.0 {
                    match standards.sem {
                        Some(sem) => {
                            cut_value += plus_sem * sem;
                            // Its parts as they add up to the cut shown: to
                            // the hundredth where they do, else to the
                            // thousandth (44.337 + 4.687 is 49.02, where
                            // 44.34 + 4.69 would read as 49.03).
                            let round = |x: f64| (x * 100.0).round() / 100.0;
                            let adds_up =
                                fmt_marks(round(base) + plus_sem * round(sem)) == fmt_marks(cut_value);
                            words = match cut {
                                _ if adds_up => {
                                    format!("{words} + {} × SEM {}", fmt_marks(*plus_sem), fmt_marks(sem))
                                }
                                Cut::SumOfStationPassMarks => format!(
                                    "sum of station pass marks {} + {} × SEM {}",
                                    fmt_thousandths(base),
                                    fmt_marks(*plus_sem),
                                    fmt_thousandths(sem)
                                ),
                                _ => format!(
                                    "{words} + {} × SEM {}",
                                    fmt_marks(*plus_sem),
                                    fmt_thousandths(sem)
                                ),
                            };
                        }
                        None => {
                            words = format!("{words}; {} × SEM not yet added", fmt_marks(*plus_sem));
                            // Not "rises": the standard-set pass marks the
                            // sum is of may lower it more than the SEM adds.
                            let sum_may_change = matches!(cut, Cut::SumOfStationPassMarks)
                                && rubric.standard_set_stations().next().is_some();
                            provisional.push(format!(
                                "the cut score adds {} × SEM once standard setting supplies the SEM{}",
                                fmt_marks(*plus_sem),
                                if sum_may_change {
                                    ", and its sum of station pass marks changes, up or down, with the standard-set \
                                     pass marks"
                                } else {
                                    ""
                                }
                            ));
                        }
                    }
                }
                cut_applied = Some(cut_value);
                let reached = total + EPSILON >= cut_value;
                let text = format!(
                    "total {} of {} {} the cut score {} ({words})",
                    fmt_marks(total),
                    fmt_marks(max),
                    if reached { "meets" } else { "is below" },
                    fmt_marks(cut_value)
                );
                // Every sheet in and marked, a station's result held back
                // (moderation, a decision to make): the total is whole.
                let only_held = scored.iter().all(|s| {
                    s.missing.is_empty()
                        && matches!(
                            s.outcome,
                            StationOutcome::Pass | StationOutcome::Fail | StationOutcome::Incomplete
                        )
                });
                // Nothing marked at any station yet (absent, or no sheet
                // in): no total to speak of ("total so far 0" reads as
                // marks of nothing), the stations' reasons below say why.
                let nothing_marked = scored.iter().all(|s| {
                    s.outcome == StationOutcome::Absent
                        || s.missing
                            .iter()
                            .any(|m| matches!(m, Missing::Sheet { .. } | Missing::Absent { .. }))
                });
                reasons.extend(if !complete && nothing_marked {
                    None
                } else if !complete {
                    Some(Reason::new(
                        Outcome::Incomplete,
                        if only_held {
                            format!(
                                "total {} of {}; judged against the cut score once every station's result is in",
                                fmt_marks(total),
                                fmt_marks(max),
                            )
                        } else {
                            format!(
                                "total so far {} of {}; judged against the cut score once every sheet is complete",
                                fmt_marks(total),
                                fmt_marks(max),
                            )
                        },
                    ))
                } else if reached {
                    Some(Reason::new(Outcome::Pass, text))
                } else {
                    Some(Reason::new(Outcome::Fail, text))
                });
                // What the total waits for, each kind a reason of its own
                // (the report counts candidates by them).
                if !complete {
                    reasons.extend(
                        still_open(&stations)
                            .into_iter()
                            .map(|open| Reason::new(Outcome::Incomplete, open)),
                    );
                }
            }
            PassRule::StationsPassed(needed) => {
                let undecided = scored
                    .iter()
                    .filter(|s| !matches!(s.outcome, StationOutcome::Pass | StationOutcome::Fail))
                    .count();
                let all = if *needed == scored.len() { " (all)" } else { "" };
                let failed = failed_stations(&scored, str::to_string);
                let text = format!(
                    "{stations_passed} of {} {} passed{failed}; at least {needed}{all} needed",
                    scored.len(),
                    rubric.noun().many()
                );
                reasons.push(if stations_passed >= *needed {
                    Reason::new(Outcome::Pass, text)
                } else if stations_passed + undecided < *needed {
                    // Every station is accounted for: one not yet decided
                    // (an absence to settle, say) is named, not left out
                    // of the count's words.
                    let waiting: Vec<String> = scored
                        .iter()
                        .filter(|s| !matches!(s.outcome, StationOutcome::Pass | StationOutcome::Fail))
                        .map(|s| match s.outcome {
                            StationOutcome::Absent => format!("{} (absent)", s.title),
                            _ => s.title.clone(),
                        })
                        .collect();
                    if waiting.is_empty() {
                        Reason::new(Outcome::Fail, text)
                    } else {
                        Reason::new(
                            Outcome::Fail,
                            format!("{text}; not yet decided: {}", waiting.join(", ")),
                        )
                    }
                } else {
                    // Waiting, not failing: what is passed so far and what
                    // is still to come lead, before what is needed.
                    Reason::new(
                        Outcome::Incomplete,
                        format!(
                            "{stations_passed} of {} {} passed so far{failed}, {undecided} not yet decided; at least \
                             {needed}{all} needed",
                            scored.len(),
                            rubric.noun().many()
                        ),
                    )
                });
                // What the stations not decided wait for, where the result
                // does: each kind a reason of its own (as the total's rule
                // gives them, and once where both rules give them).
                if stations_passed < *needed && stations_passed + undecided >= *needed {
                    for open in still_open(&stations) {
                        if !reasons.iter().any(|r| r.text == open) {
                            reasons.push(Reason::new(Outcome::Incomplete, open));
                        }
                    }
                }
            }
            PassRule::MustPass(ids) => {
                for id in ids {
                    let Some(s) = scored.iter().find(|s| &s.station == id) else {
                        continue;
                    };
                    reasons.push(match s.outcome {
                        StationOutcome::Pass => {
                            Reason::new(Outcome::Pass, format!("must-pass {} passed", s.place()))
                        }
                        // Why, in the station's own words: its score
                        // and pass mark, or the critical item missed.
                        StationOutcome::Fail => Reason::new(
                            Outcome::Fail,
                            match why_failed(s, str::to_string) {
                                Some(why) => format!("must-pass {} failed: {why}", s.place()),
                                None => format!("must-pass {} failed", s.place()),
                            },
                        ),
                        _ => Reason::new(
                            Outcome::Incomplete,
                            format!("must-pass {} not yet decided", s.place()),
                        ),
                    });
                }
            }
            PassRule::NoCriticalFail => {
                let station_fails: Vec<&CriticalFail> = critical_fails
                    .iter()
                    .filter(|f| f.scope == Critical::FailsStation)
                    .collect();
                for fail in &station_fails {
                    reasons.push(Reason::new(Outcome::Fail, fail.to_string()));
                }
                if critical_fails.is_empty() {
                    let (absent, no_sheet, unmarked) = missing_critical(rubric, &stations);
                    // A station failed for an absence (a decision) was not
                    // assessed: its critical items were neither met nor failed.
                    let unassessed: Vec<String> = stations
                        .iter()
                        .filter(|s| not_assessed(rubric, s))
                        .map(|s| format!("'{}'", s.title))
                        .collect();
                    if absent.is_empty() && !no_sheet && unmarked.is_empty() {
                        reasons.push(Reason::new(
                            Outcome::Pass,
                            if unassessed.is_empty() {
                                EVERY_CRITICAL_MET.to_string()
                            } else {
                                format!(
                                    "{NO_CRITICAL_FAILED_WHERE_ASSESSED} (not assessed: {})",
                                    unassessed.join(", ")
                                )
                            },
                        ));
                    }
                    // A station missed for absence was not assessed at all:
                    // said so, not taken for marks still to come.
                    if !absent.is_empty() {
                        let titles: Vec<String> = absent.iter().map(|t| format!("'{t}'")).collect();
                        reasons.push(Reason::new(
                            Outcome::Incomplete,
                            format!("critical items not assessed: absent from {}", titles.join(", ")),
                        ));
                    }
                    // A station with no sheet in (or none that counts yet):
                    // none of its items marked yet, said as the sheet not
                    // in, as the rules on the stations say it (once), not
                    // as a count of items.
                    if no_sheet {
                        for open in still_open(&stations).into_iter().filter(|o| {
                            o.starts_with("no sheet yet for ") || o.starts_with("no sheet counts yet at ")
                        }) {
                            if !reasons.iter().any(|r| r.text == open) {
                                reasons.push(Reason::new(Outcome::Incomplete, open));
                            }
                        }
                    }
                    if !unmarked.is_empty() {
                        let count: usize = unmarked.iter().map(|(_, n)| n).sum();
                        let at: Vec<String> = unmarked.iter().map(|(t, _)| format!("'{t}'")).collect();
                        reasons.push(Reason::new(
                            Outcome::Incomplete,
                            format!("critical items not yet marked ({count}, at {})", at.join(", ")),
                        ));
                    }
                }
            }
            PassRule::Competency { percent } => {
                let c = stations
                    .iter()
                    .fold(Competency::default(), |a, s| a + s.competency);
                if !critical_fails.is_empty() {
                    reasons.push(Reason::new(
                        Outcome::Fail,
                        format!(
                            "{} not met (all must be met)",
                            crate::base::text::plural(
                                critical_fails.len(),
                                "critical item",
                                "critical items"
                            )
                        ),
                    ));
                }
                let any_critical = rubric
                    .stations
                    .iter()
                    .flat_map(|s| &s.items)
                    .any(|i| i.critical != crate::rubric::Critical::No);
                // The items of a station failed for an absence count as
                // not met: said, so the share can be checked by hand.
                let absent: Vec<String> = stations
                    .iter()
                    .filter(|s| s.failed_for_absence && s.competency.marked > 0)
                    .map(|s| format!("'{}'", s.title))
                    .collect();
                let absent = if absent.is_empty() {
                    String::new()
                } else {
                    format!(" (absent from {}: counted as not met)", absent.join(", "))
                };
                let items = if any_critical {
                    "non-critical items"
                } else {
                    "items"
                };
                // Nothing marked (absent everywhere, or no sheet in yet):
                // no share to give, never "0 of 0 met (100%)".
                let text = if c.marked == 0 {
                    format!("no {items} marked{absent}; {}% required", fmt_marks(*percent))
                } else {
                    format!(
                        "{} of {} {items} met ({}%){absent}; {}% required",
                        c.met,
                        c.marked,
                        fmt_percent(c.percent()),
                        fmt_marks(*percent)
                    )
                };
                let reached = c.met as f64 * 100.0 + EPSILON >= percent * c.marked as f64;
                reasons.push(if !complete {
                    // What is open, by kind: an absence not decided yet is
                    // said as such, not as marks still to come.
                    let mut open = still_open(&stations);
                    if open.is_empty() {
                        open.push("not every item is marked yet".to_string());
                    }
                    Reason::new(Outcome::Incomplete, format!("{text}; {}", open.join("; ")))
                } else if reached {
                    Reason::new(Outcome::Pass, text)
                } else {
                    Reason::new(Outcome::Fail, text)
                });
            }
            PassRule::Components => {}
        }
    }

    let (components, module_mark) = match &rubric.components {
        Some(spec) if rubric.pass_rules.contains(&PassRule::Components) => {
            components(spec, sheets, &stations, &mut reasons)?
        }
        Some(spec) => {
            let mut ignored = Vec::new();
            components(spec, sheets, &stations, &mut ignored)?
        }
        None => (Vec::new(), None),
    };
    let mut missing = missing;
    let components_count = rubric.pass_rules.contains(&PassRule::Components);
    for c in components.iter().filter(|_| components_count) {
        if c.outcome == Outcome::Incomplete && !sheets.components.contains_key(&c.component) {
            let part = rubric
                .components
                .as_ref()
                .and_then(|s| s.parts.iter().find(|p| p.id == c.component));
            if part.is_some_and(|p| p.stations.is_empty()) {
                missing.push(Missing::Component {
                    component: c.title.clone(),
                });
            }
        }
    }

    let outcome = if reasons.iter().any(|r| r.verdict == Outcome::Fail) {
        Outcome::Fail
    } else if reasons.iter().any(|r| r.verdict == Outcome::Incomplete) || !missing.is_empty() {
        Outcome::Incomplete
    } else {
        Outcome::Pass
    };
    if outcome == Outcome::Incomplete && !reasons.iter().any(|r| r.verdict == Outcome::Incomplete) {
        let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
        reasons.push(Reason::new(Outcome::Incomplete, list.join("; ")));
    }

    Ok(AssessmentResult {
        outcome,
        total,
        max,
        stations_passed,
        stations_scored: scored.len(),
        cut: cut_applied,
        critical_fails,
        stations,
        components,
        module_mark,
        module_pass: rubric.components.as_ref().and_then(|c| c.pass_percent),
        reasons,
        missing,
        provisional,
    })
}

/// Whether `s` is a station with critical items failed without being
/// assessed (an absence counted as a fail).
fn not_assessed(rubric: &Rubric, s: &StationResult) -> bool {
    s.failed_for_absence && has_critical(rubric, s)
}

/// Whether the station of `s` has any critical item.
fn has_critical(rubric: &Rubric, s: &StationResult) -> bool {
    rubric
        .station(&s.station)
        .is_some_and(|st| st.items.iter().any(|i| i.critical != Critical::No))
}

/// The critical items with no mark, by the titles of their stations (those
/// with any): the stations the candidate was absent from, whether one has
/// no sheet in (or none that counts) yet, and those with critical items
/// left unmarked (how many).
fn missing_critical<'s>(rubric: &Rubric, stations: &'s [StationResult]) -> MissingCritical<'s> {
    let absent = stations
        .iter()
        .filter(|s| s.outcome == StationOutcome::Absent && has_critical(rubric, s))
        .map(|s| s.title.as_str())
        .collect();
    let mut no_sheet = false;
    let mut unmarked = Vec::new();
    for s in stations.iter().filter(|s| s.outcome != StationOutcome::Absent) {
        let Some(station) = rubric.station(&s.station) else {
            continue;
        };
        if s.missing.iter().any(|m| matches!(m, Missing::Sheet { .. })) {
            no_sheet |= station.items.iter().any(|i| i.critical != Critical::No);
            continue;
        }
        let n = s
            .missing
            .iter()
            .filter(|m| match m {
                Missing::Item { item, .. } => station.item(item).is_some_and(|i| i.critical != Critical::No),
                _ => false,
            })
            .count();
        if n > 0 {
            unmarked.push((s.title.as_str(), n));
        }
    }
    (absent, no_sheet, unmarked)
}

/// What [`missing_critical`] gives.
type MissingCritical<'s> = (Vec<&'s str>, bool, Vec<(&'s str, usize)>);

type ComponentOutcome = (Vec<ComponentResult>, Option<f64>);

fn components(
    spec: &crate::rubric::Components,
    sheets: &CandidateSheets,
    stations: &[StationResult],
    reasons: &mut Vec<Reason>,
) -> Result<ComponentOutcome, SheetError> {
    for id in sheets.components.keys() {
        if !spec.parts.iter().any(|p| &p.id == id && p.stations.is_empty()) {
            return Err(SheetError::UnknownComponent {
                component: id.clone(),
            });
        }
    }
    let mut results = Vec::new();
    let mut module = Some(0.0);
    for part in &spec.parts {
        let (percent, passed): (Option<f64>, Option<bool>) = if part.stations.is_empty() {
            match (sheets.components.get(&part.id), part.weight) {
                (None, _) => (None, None),
                (Some(ComponentMark::Percent(p)), _) => (
                    Some(*p),
                    Some(part.pass_percent.is_none_or(|need| *p + EPSILON >= need)),
                ),
                (Some(ComponentMark::Passed(b)), None) => (None, Some(*b)),
                (Some(ComponentMark::Passed(_)), Some(_)) => {
                    return Err(SheetError::WrongComponentMark {
                        component: part.id.clone(),
                        expected: "a percentage, as it is weighted",
                    });
                }
            }
        } else {
            let own: Vec<&StationResult> = stations
                .iter()
                .filter(|s| part.stations.contains(&s.station))
                .collect();
            let decided = own
                .iter()
                .all(|s| matches!(s.outcome, StationOutcome::Pass | StationOutcome::Fail));
            let any_fail = own.iter().any(|s| s.outcome == StationOutcome::Fail);
            let (score, max) = own.iter().fold((0.0, 0.0), |(a, b), s| (a + s.score, b + s.max));
            let percent = (decided && max > 0.0).then(|| score * 100.0 / max);
            let passed = match part.pass_percent {
                Some(need) => percent.map(|p| p + EPSILON >= need),
                None if part.weight.is_none() => {
                    if any_fail {
                        Some(false)
                    } else if decided {
                        Some(true)
                    } else {
                        None
                    }
                }
                None => percent.map(|_| true),
            };
            // A pass/fail component of stations passes or fails on them:
            // its percentage, which decides nothing, is not given (it
            // would read as a pass mark missed).
            (
                percent.filter(|_| part.weight.is_some() || part.pass_percent.is_some()),
                passed,
            )
        };
        let outcome = match passed {
            Some(true) => Outcome::Pass,
            Some(false) => Outcome::Fail,
            None => Outcome::Incomplete,
        };
        // Beside the component's pass mark, a percentage never reads as
        // the pass mark it missed.
        let pct = |p: f64| match part.pass_percent {
            Some(line) => super::fmt_percent_beside(p, line),
            None => fmt_percent(p),
        };
        // A failed percentage says the pass mark it missed.
        let missed = match (outcome, part.pass_percent) {
            (Outcome::Fail, Some(need)) => format!(", below the {}% required", fmt_marks(need)),
            _ => String::new(),
        };
        let share = match (part.weight, percent) {
            (Some(w), Some(p)) => format!(" ({}%{missed}, weight {}%)", pct(p), fmt_marks(w)),
            (None, Some(p)) => format!(" ({}%{missed})", pct(p)),
            _ => String::new(),
        };
        // A weighted component without a pass mark of its own is no hurdle:
        // it only contributes to the module mark.
        let hurdle = part.weight.is_none() || part.pass_percent.is_some();
        let text = match outcome {
            Outcome::Pass if !hurdle => {
                format!("component '{}' counts towards the module mark{share}", part.title)
            }
            Outcome::Pass => format!("component '{}' passed{share}", part.title),
            Outcome::Fail => format!("component '{}' failed{share}", part.title),
            Outcome::Incomplete => format!("component '{}' has no result yet", part.title),
        };
        reasons.push(Reason::new(outcome, text));
        if let Some(w) = part.weight {
            module = match (module, percent) {
                (Some(m), Some(p)) => Some(m + w / 100.0 * p),
                _ => None,
            };
        }
        results.push(ComponentResult {
            component: part.id.clone(),
            title: part.title.clone(),
            weight: part.weight,
            percent,
            pass_percent: part.pass_percent,
            outcome,
        });
    }
    let weighted = spec.parts.iter().any(|p| p.weight.is_some());
    let module = if weighted { module } else { None };
    if let Some(need) = spec.pass_percent.filter(|_| weighted) {
        reasons.push(match module {
            Some(m) if m + EPSILON >= need => Reason::new(
                Outcome::Pass,
                format!(
                    "module mark {}% meets the {}% required",
                    fmt_percent(m),
                    fmt_marks(need)
                ),
            ),
            Some(m) => Reason::new(
                Outcome::Fail,
                format!(
                    "module mark {}% is below the {}% required",
                    super::fmt_percent_beside(m, need),
                    fmt_marks(need)
                ),
            ),
            None => Reason::new(
                Outcome::Incomplete,
                "module mark waits for every weighted component",
            ),
        });
    }
    Ok((results, module))
}
