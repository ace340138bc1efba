//! Every sheet of one assessment, gathered from one or more session
//! folders (one per examiner laptop), and what state each candidate ×
//! station is in.
//!
//! Gathering is deterministic: the same folders give the same cohort in the
//! same order, whatever order they are named in. Nothing is settled by
//! which device's clock was later: two devices holding the same examiner's
//! sheet for the same candidate and station is a conflict to resolve.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::roster::Roster;
use crate::rubric::{DoubleMarkingMode, Rubric};
use chrono::{DateTime, Utc};

use crate::store::{Damage, Event, Quarantine, SheetKey, SheetState, Store, StoreError, read_sheet_with};

/// One journal as found on disk: the state its records replay to, and the
/// little more of the records that export needs. The records themselves
/// are not kept: at 5,000 candidates × 16 stations they would take well
/// over a gigabyte.
#[derive(Debug, Clone)]
pub struct FoundSheet {
    pub key: SheetKey,
    pub path: PathBuf,
    pub state: SheetState,
    /// The seq and time of every mark record, in order.
    pub mark_times: Vec<(u64, DateTime<Utc>)>,
    /// The seq and time of the last global-rating record (undone or not).
    pub last_global_rating: Option<(u64, DateTime<Utc>)>,
}

impl FoundSheet {
    /// When the mark in record `seq` was made.
    pub fn mark_time(&self, seq: u64) -> Option<DateTime<Utc>> {
        let i = self.mark_times.binary_search_by_key(&seq, |&(s, _)| s).ok()?;
        Some(self.mark_times[i].1)
    }
}

/// Something wrong with a journal that the exam lead must know about.
#[derive(Debug, Clone, PartialEq)]
pub enum CohortProblem {
    /// The journal could not be read at all.
    Unreadable { path: PathBuf, error: String },
    /// The end of the journal is torn (a crash mid-write); the intact
    /// records before it are used.
    TornTail { path: PathBuf, quarantine: Quarantine },
    /// Damage in the middle: only the records before it are used.
    Damaged { path: PathBuf, damage: Damage },
    /// Marked against another version of the rubric: not used.
    OtherRubric { path: PathBuf, found: String },
    /// For a station the rubric does not have: not used.
    UnknownStation { path: PathBuf, station: String },
}

impl fmt::Display for CohortProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CohortProblem::Unreadable { path, error } => {
                write!(f, "{}: cannot be read: {error}", path.display())
            }
            CohortProblem::TornTail { path, quarantine } => write!(f, "{}: {quarantine}", path.display()),
            CohortProblem::Damaged { path, damage } => write!(
                f,
                "{}: damaged at line {} ({}); only the records before it are used. Run `osce audit`",
                path.display(),
                damage.line,
                damage.reason
            ),
            CohortProblem::OtherRubric { path, found } => write!(
                f,
                "{}: marked against a different rubric (BLAKE3 {found}); not used. Check you named the rubric the exam used",
                path.display()
            ),
            CohortProblem::UnknownStation { path, station } => {
                write!(
                    f,
                    "{}: station \"{station}\" is not in this rubric; not used",
                    path.display()
                )
            }
        }
    }
}

/// All sheets of one assessment.
#[derive(Debug, Clone)]
pub struct Cohort {
    /// Sorted by key, then path.
    pub sheets: Vec<FoundSheet>,
    pub problems: Vec<CohortProblem>,
}

/// Reads every journal of `rubric`'s assessment in `folders`. Journals
/// marked against another rubric (by hash) are reported and left out.
/// The journals are read on every core; the cohort is the same, in the
/// same order, as if read one by one.
pub fn gather(rubric: &Rubric, rubric_hash: &str, folders: &[PathBuf]) -> Result<Cohort, StoreError> {
    let mut found = Vec::new();
    for folder in folders {
        found.extend(Store::new(folder).sheets(&rubric.id)?);
    }
    found.sort();
    found.dedup_by(|a, b| a.1 == b.1);
    let read = crate::threads::map_blocks(found, 256, |(key, path)| {
        read_journal(rubric, rubric_hash, key, path)
    });
    let mut sheets = Vec::with_capacity(read.iter().map(Vec::len).sum());
    let mut problems = Vec::new();
    for block in read {
        for (sheet, mut found) in block {
            problems.append(&mut found);
            sheets.extend(sheet);
        }
    }
    Ok(Cohort { sheets, problems })
}

/// Reads one journal for [`gather`]: the sheet, if it is used, and what is
/// wrong with it.
fn read_journal(
    rubric: &Rubric,
    rubric_hash: &str,
    key: SheetKey,
    path: PathBuf,
) -> (Option<FoundSheet>, Vec<CohortProblem>) {
    if rubric.station(&key.station).is_none() {
        let problem = CohortProblem::UnknownStation {
            path,
            station: key.station,
        };
        return (None, vec![problem]);
    }
    let mut state = SheetState::default();
    let mut mark_times = Vec::new();
    let mut last_global_rating = None;
    let mut other_rubric = None;
    let read = read_sheet_with(&path, |r| {
        if other_rubric.is_none() && r.rubric != rubric_hash {
            other_rubric = Some(r.rubric.to_string());
        }
        match r.event {
            Event::Mark { .. } => mark_times.push((r.seq, r.time)),
            Event::GlobalRating { .. } => last_global_rating = Some((r.seq, r.time)),
            _ => {}
        }
        state.apply_ref(&r);
    });
    let checked = match read {
        Ok(checked) => checked,
        Err(e) => {
            let problem = CohortProblem::Unreadable {
                path,
                error: e.to_string(),
            };
            return (None, vec![problem]);
        }
    };
    if let Some(found) = other_rubric {
        return (None, vec![CohortProblem::OtherRubric { path, found }]);
    }
    // An empty journal is a sheet opened and never written to (only
    // looked at): not a sheet.
    if state.records == 0 && checked.quarantined.is_none() && checked.damage.is_none() {
        return (None, Vec::new());
    }
    // Held for every sheet of the cohort: no room to spare.
    mark_times.shrink_to_fit();
    let mut problems = Vec::new();
    if let Some(q) = checked.quarantined {
        problems.push(CohortProblem::TornTail {
            path: path.clone(),
            quarantine: q,
        });
    }
    if let Some(d) = checked.damage {
        problems.push(CohortProblem::Damaged {
            path: path.clone(),
            damage: d,
        });
    }
    let sheet = FoundSheet {
        key,
        path,
        state,
        mark_times,
        last_global_rating,
    };
    (Some(sheet), problems)
}

/// Where one candidate × station stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellState {
    /// No sheet at all.
    Missing,
    /// Opened (the candidate confirmed) but nothing marked yet.
    Opened,
    InProgress,
    Submitted,
    /// Submitted, then amended and submitted again.
    Amended,
    /// Being amended: unlocked after submission and not yet resubmitted.
    Amending,
    Absent,
    /// The same examiner's sheet on two devices, or two examiners where the
    /// rubric has no double marking: someone must decide which counts.
    Conflict,
}

impl CellState {
    pub fn label(self) -> &'static str {
        match self {
            CellState::Missing => "missing",
            CellState::Opened => "opened",
            CellState::InProgress => "in progress",
            CellState::Submitted => "submitted",
            CellState::Amended => "amended",
            CellState::Amending => "amending",
            CellState::Absent => "absent",
            CellState::Conflict => "CONFLICT",
        }
    }

    /// Whether this cell needs nothing more from the examiners.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            CellState::Submitted | CellState::Amended | CellState::Absent
        )
    }
}

/// One candidate at one station.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub state: CellState,
    /// Indices into [`Cohort::sheets`], sorted.
    pub sheets: Vec<usize>,
    /// Marked by two (or more) examiners, as the rubric allows.
    pub double_marked: bool,
    pub concern: bool,
    /// Why it is a conflict, in words.
    pub conflict: Option<String>,
}

pub(crate) fn sheet_state(s: &SheetState) -> CellState {
    if s.absent.is_some() && s.submitted.is_some() {
        CellState::Absent
    } else if s.amending.is_some() {
        CellState::Amending
    } else if s.submitted.is_some() && !s.amendments.is_empty() {
        CellState::Amended
    } else if s.submitted.is_some() {
        CellState::Submitted
    } else if s.is_started() {
        CellState::InProgress
    } else {
        CellState::Opened
    }
}

/// Candidates × scored stations.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Candidate ids: the roster's in its order, then any others found, sorted.
    pub candidates: Vec<String>,
    /// Names where known (from the roster, else as confirmed on a sheet).
    pub names: BTreeMap<String, String>,
    /// Candidates with sheets who are not on the roster.
    pub unexpected: BTreeSet<String>,
    /// Scored station ids in rubric order.
    pub stations: Vec<String>,
    /// By (candidate, station).
    pub cells: BTreeMap<(String, String), Cell>,
}

impl Matrix {
    pub fn cell(&self, candidate: &str, station: &str) -> Option<&Cell> {
        self.cells.get(&(candidate.to_string(), station.to_string()))
    }

    /// How many cells are in each state.
    pub fn counts(&self) -> BTreeMap<CellState, usize> {
        let mut counts = BTreeMap::new();
        for cell in self.cells.values() {
            *counts.entry(cell.state).or_insert(0) += 1;
        }
        counts
    }

    /// Every expected sheet is in: each cell done and none in conflict.
    pub fn complete(&self) -> bool {
        self.cells.values().all(|c| c.state.is_done())
    }
}

/// The candidates × stations matrix of a cohort. With a roster, its
/// candidates are the ones expected; others found on sheets are added and
/// listed as unexpected.
pub fn matrix(rubric: &Rubric, cohort: &Cohort, roster: Option<&Roster>) -> Matrix {
    let stations: Vec<String> = rubric.scored_stations().map(|s| s.id.clone()).collect();
    let mut candidates: Vec<String> = Vec::new();
    let mut names = BTreeMap::new();
    if let Some(r) = roster {
        for c in &r.candidates {
            candidates.push(c.id.clone());
            names.insert(c.id.clone(), c.name.clone());
        }
    }
    let listed: BTreeSet<String> = candidates.iter().cloned().collect();
    // Borrowed from the sheets where they can be: a cohort has tens of
    // thousands of sheets.
    let found: BTreeSet<&str> = cohort.sheets.iter().map(|s| s.key.candidate.as_str()).collect();
    let unexpected: BTreeSet<String> = if roster.is_some() {
        found
            .iter()
            .filter(|c| !listed.contains(**c))
            .map(|c| c.to_string())
            .collect()
    } else {
        BTreeSet::new()
    };
    candidates.extend(
        found
            .iter()
            .filter(|c| !listed.contains(**c))
            .map(|c| c.to_string()),
    );
    for s in &cohort.sheets {
        if let Some(name) = &s.state.confirmed
            && !name.is_empty()
            && !names.contains_key(&s.key.candidate)
        {
            names.insert(s.key.candidate.clone(), name.clone());
        }
    }

    let mut by_cell: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, s) in cohort.sheets.iter().enumerate() {
        by_cell
            .entry((s.key.candidate.as_str(), s.key.station.as_str()))
            .or_default()
            .push(i);
    }
    let double_marking = rubric.double_marking.mode != DoubleMarkingMode::None;
    let mut cells = BTreeMap::new();
    for candidate in &candidates {
        for station in &stations {
            let indices = by_cell
                .remove(&(candidate.as_str(), station.as_str()))
                .unwrap_or_default();
            let concern = indices
                .iter()
                .any(|&i| !cohort.sheets[i].state.concerns.is_empty());
            let mut examiners: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for &i in &indices {
                let k = &cohort.sheets[i].key;
                examiners
                    .entry(k.examiner.as_str())
                    .or_default()
                    .push(k.device.as_str());
            }
            let on_two_devices: Vec<String> = examiners
                .iter()
                .filter(|(_, devices)| devices.len() > 1)
                .map(|(e, devices)| format!("examiner {e} on devices {}", devices.join(" and ")))
                .collect();
            let conflict = if !on_two_devices.is_empty() {
                Some(format!("the same sheet was marked {}", on_two_devices.join("; ")))
            } else if examiners.len() > 1 && !double_marking {
                let names: Vec<&str> = examiners.keys().copied().collect();
                Some(format!(
                    "marked by {} examiners ({}) but the rubric has no double marking",
                    names.len(),
                    names.join(", ")
                ))
            } else {
                None
            };
            let state = if conflict.is_some() {
                CellState::Conflict
            } else if indices.is_empty() {
                CellState::Missing
            } else {
                // Double marked: the cell is as far as the least advanced sheet.
                indices
                    .iter()
                    .map(|&i| sheet_state(&cohort.sheets[i].state))
                    .min_by_key(|s| progress(*s))
                    .unwrap_or(CellState::Missing)
            };
            cells.insert(
                (candidate.clone(), station.clone()),
                Cell {
                    state,
                    double_marked: examiners.len() > 1 && double_marking,
                    sheets: indices,
                    concern,
                    conflict,
                },
            );
        }
    }
    Matrix {
        candidates,
        names,
        unexpected,
        stations,
        cells,
    }
}

/// Order of progress, for the least advanced of several sheets.
pub(crate) fn progress(s: CellState) -> u8 {
    match s {
        CellState::Missing | CellState::Conflict => 0,
        CellState::Opened => 1,
        CellState::InProgress => 2,
        CellState::Amending => 3,
        CellState::Submitted | CellState::Amended | CellState::Absent => 4,
    }
}

/// The folders' display names, for messages.
pub fn folder_list(folders: &[PathBuf]) -> String {
    folders
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `path` looks like a sessions folder holding this assessment.
pub fn holds_assessment(folder: &Path, assessment: &str) -> bool {
    folder.join(assessment).is_dir()
}
