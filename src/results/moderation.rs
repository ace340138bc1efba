//! External-assessor moderation: the decisions assessors record beside the
//! examiners' marks (never over them), and what they mean for each
//! candidate × station.
//!
//! Each assessor writes their own journal,
//! `<assessment>/<assessor>@<device>/moderation.jsonl`, in the same
//! append-only, fsynced, hash-chained format as the sheets
//! (`docs/session-format.md`). A decision names the sheets it was made on
//! and the hash of each one's last record, so a sheet changed after it was
//! moderated is seen to be, and the decision no longer counts for it.

use crate::base::text::plural;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::results::gather::{CellState, Cohort, FoundSheet, Matrix, progress, sheet_state};
use crate::results::source::Source;
use crate::rubric::Rubric;
use crate::store::{Decision, Event, Proposed, Record, SeenSheet, StoreError};

/// One decision as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub assessor: String,
    pub device: String,
    pub seq: u64,
    pub time: DateTime<Utc>,
    pub candidate: String,
    pub station: String,
    pub sheets: Vec<SeenSheet>,
    pub internal: crate::scoring::StationOutcome,
    pub decision: Decision,
    pub proposed: Option<Proposed>,
    pub rationale: String,
}

impl Decided {
    /// Whether the assessor marked one of the sheets decided on: moderation
    /// is by someone who did not, so such a decision never counts.
    pub fn on_own_sheet(&self) -> bool {
        marked_by(&self.sheets, &self.assessor)
    }

    /// Whether this decision must be reviewed now that the marks give
    /// `now` (under pass marks adopted since): taken when they gave the
    /// other result, or none yet (an item left unmarked, ruled on since),
    /// unless it proposed the result they give now (then the assessor and
    /// the marks agree, and nothing is left to review).
    pub fn needs_review(&self, now: crate::scoring::StationOutcome) -> bool {
        use crate::scoring::StationOutcome::{Fail, Incomplete, Pass};
        let proposed_now = matches!(
            (self.decision, self.proposed, now),
            (Decision::Disagree, Some(Proposed::Pass), Pass)
                | (Decision::Disagree, Some(Proposed::Fail), Fail)
        );
        let other = match self.internal {
            Pass | Fail => self.internal != now,
            // Agreed with no result to agree with: the result given since
            // is one the assessor never saw.
            Incomplete => matches!(now, Pass | Fail),
            _ => false,
        };
        other && !proposed_now
    }
}

/// Whether `who` is the examiner of one of `sheets` (ids compared
/// without regard to capitals, as everywhere a person is named).
pub fn marked_by(sheets: &[SeenSheet], who: &str) -> bool {
    sheets.iter().any(|s| s.examiner.eq_ignore_ascii_case(who))
}

/// An agreed mark as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreedMark {
    pub assessor: String,
    pub device: String,
    pub seq: u64,
    pub time: DateTime<Utc>,
    pub candidate: String,
    pub station: String,
    pub sheets: Vec<SeenSheet>,
    pub score: f64,
    pub outcome: Option<Proposed>,
    pub note: String,
}

/// One assessor's moderation journal, replayed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessorLog {
    pub assessor: String,
    pub device: String,
    pub path: PathBuf,
    /// Every decision, in the order recorded (later ones replace earlier
    /// ones for the same candidate and station).
    pub decisions: Vec<Decided>,
    pub agreed: Vec<AgreedMark>,
    pub report: String,
    pub report_time: Option<DateTime<Utc>>,
    /// The report as it was last being typed, where that differs from the
    /// saved report: what a crash or a closed window left unsaved.
    pub report_draft: Option<String>,
    /// When it was signed off, and the summary recorded then.
    pub signed_off: Option<(DateTime<Utc>, String)>,
    pub records: usize,
}

impl AssessorLog {
    pub fn new(assessor: &str, device: &str, path: PathBuf) -> AssessorLog {
        AssessorLog {
            assessor: assessor.to_string(),
            device: device.to_string(),
            path,
            ..AssessorLog::default()
        }
    }

    pub fn replay(assessor: &str, device: &str, path: PathBuf, records: &[Record]) -> AssessorLog {
        let mut log = AssessorLog::new(assessor, device, path);
        for r in records {
            log.apply(r);
        }
        log
    }

    /// The log of an open moderation journal.
    pub fn of_journal(journal: &crate::store::Journal) -> AssessorLog {
        let key = journal.key();
        AssessorLog::replay(
            &key.examiner,
            &key.device,
            journal.path().to_path_buf(),
            journal.records(),
        )
    }

    pub fn apply(&mut self, r: &Record) {
        self.records += 1;
        match &r.event {
            Event::Moderated {
                station,
                candidate,
                sheets,
                internal,
                decision,
                proposed,
                rationale,
            } => self.decisions.push(Decided {
                assessor: self.assessor.clone(),
                device: self.device.clone(),
                seq: r.seq,
                time: r.time,
                candidate: candidate.clone(),
                station: station.clone(),
                sheets: sheets.clone(),
                internal: *internal,
                decision: *decision,
                proposed: *proposed,
                rationale: rationale.clone(),
            }),
            Event::AgreedMark {
                station,
                candidate,
                sheets,
                score,
                outcome,
                note,
            } => self.agreed.push(AgreedMark {
                assessor: self.assessor.clone(),
                device: self.device.clone(),
                seq: r.seq,
                time: r.time,
                candidate: candidate.clone(),
                station: station.clone(),
                sheets: sheets.clone(),
                score: *score,
                outcome: *outcome,
                note: note.clone(),
            }),
            Event::ModerationReport { text } => {
                self.report.clone_from(text);
                self.report_time = Some(r.time);
                self.report_draft = None;
            }
            Event::ModerationReportDraft { text } => {
                self.report_draft = (*text != self.report).then(|| text.clone());
            }
            Event::SignedOff { summary } => self.signed_off = Some((r.time, summary.clone())),
            _ => {}
        }
    }

    /// The decision in effect for a candidate at a station: the latest.
    pub fn latest(&self, candidate: &str, station: &str) -> Option<&Decided> {
        self.decisions
            .iter()
            .rev()
            .find(|d| d.candidate == candidate && d.station == station)
    }

    pub fn latest_agreed(&self, candidate: &str, station: &str) -> Option<&AgreedMark> {
        self.agreed
            .iter()
            .rev()
            .find(|d| d.candidate == candidate && d.station == station)
    }

    pub fn is_signed_off(&self) -> bool {
        self.signed_off.is_some()
    }

    /// Nothing here to sign off: no decision that counts (none at all, or
    /// only on sheets the assessor marked, which never count), no report,
    /// no sign-off. Agreed marks the markers reached, recorded by whoever
    /// records them (the exam lead, say), are not moderation.
    pub fn nothing_to_sign_off(&self) -> bool {
        self.current().is_empty()
            && self.report.trim().is_empty()
            && self.report_draft.is_none()
            && self.signed_off.is_none()
    }

    /// The decisions in effect, one per candidate × station (none on a
    /// sheet the assessor marked, which never counts).
    pub fn current(&self) -> BTreeMap<(String, String), &Decided> {
        let mut map = BTreeMap::new();
        for d in self.decisions.iter().filter(|d| !d.on_own_sheet()) {
            map.insert((d.candidate.clone(), d.station.clone()), d);
        }
        map
    }

    /// "12 sheets: 9 agreed, 2 disagreed, 1 referred".
    pub fn summary(&self) -> String {
        let current = self.current();
        let count = |k: Decision| current.values().filter(|d| d.decision == k).count();
        format!(
            "{}: {} agreed, {} disagreed, {} referred to a third marker",
            plural(current.len(), "sheet", "sheets"),
            count(Decision::Agree),
            count(Decision::Disagree),
            count(Decision::Refer)
        )
    }
}

/// Something wrong with a moderation journal.
#[derive(Debug, Clone, PartialEq)]
pub struct ModerationProblem {
    pub path: PathBuf,
    pub what: String,
}

impl fmt::Display for ModerationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.what)
    }
}

/// Every assessor's moderation of one assessment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moderation {
    /// Sorted by assessor, then device.
    pub logs: Vec<AssessorLog>,
    pub problems: Vec<ModerationProblem>,
}

/// Reads every moderation journal of `rubric`'s assessment in `folders`.
/// A journal made against another rubric is reported and left out; a torn
/// tail or damage is reported and the intact records before it are used.
pub fn gather(rubric: &Rubric, rubric_hash: &str, folders: &[PathBuf]) -> Result<Moderation, StoreError> {
    gather_from(rubric, rubric_hash, Source::Folders(folders))
}

/// [`gather`] from the folders or the archive.
pub fn gather_from(rubric: &Rubric, rubric_hash: &str, source: Source<'_>) -> Result<Moderation, StoreError> {
    let found = source.moderation_journals(&rubric.id)?;
    let mut m = Moderation::default();
    // Each assessor's journal on each device used so far: its records'
    // hashes, and its records.
    let mut kept: Vec<(String, String, Vec<String>, Vec<crate::store::Record>)> = Vec::new();
    for (assessor, device, path) in found {
        let problem = |what: String| ModerationProblem {
            path: path.clone(),
            what,
        };
        let replay = match source.read_sheet(&path) {
            Ok(r) => r,
            Err(e) => {
                m.problems.push(problem(format!("cannot be read: {e}")));
                continue;
            }
        };
        if let Some(other) = replay.records.iter().find(|r| r.rubric != rubric_hash) {
            m.problems.push(problem(format!(
                "moderated against another version of the rubric ({}); not used. Name the rubric the exam was \
                 marked with, or moderate again under this one",
                crate::results::gather::short_hash(&other.rubric)
            )));
            continue;
        }
        let strange = replay.records.iter().find(|r| {
            !r.station.is_empty()
                || !r.candidate.is_empty()
                || r.examiner != assessor
                || r.device != device
                || !(r.event.is_moderation() || matches!(r.event, Event::Opened { .. }))
        });
        if let Some(r) = strange {
            m.problems.push(problem(format!(
                "line {} is not a moderation record of {assessor} on {device}; not used. Run `osce audit`",
                r.seq
            )));
            continue;
        }
        if let Some(q) = &replay.quarantined {
            m.problems.push(problem(q.to_string()));
        }
        if let Some(d) = &replay.damage {
            m.problems.push(problem(format!(
                "damaged at line {} ({}); only the records before it are used. Run `osce audit`",
                d.line, d.reason
            )));
        }
        // The same assessor's journal from the same device, seen again (a
        // folder copied twice, an older copy): one journal, the longest.
        let hashes: Vec<String> = replay.records.iter().map(|r| r.hash.clone()).collect();
        if let Some(i) = kept
            .iter()
            .position(|(a, d, _, _)| *a == assessor && *d == device)
        {
            let (_, _, other, other_records) = &kept[i];
            let (longer, shorter) = if other.len() >= hashes.len() {
                (other.as_slice(), hashes.as_slice())
            } else {
                (hashes.as_slice(), other.as_slice())
            };
            let same_history = shorter.is_empty() || longer.get(shorter.len() - 1) == shorter.last();
            // The longer is used, or of two as long the one under the
            // journal's own name, not a copy renamed beside it.
            let this_used = hashes.len() > other.len()
                || (hashes.len() == other.len()
                    && !crate::store::is_renamed_copy(&path)
                    && crate::store::is_renamed_copy(&m.logs[i].path));
            if !same_history {
                // What only the copy not used holds does not count, and
                // the lead must know what.
                let same = longer.iter().zip(shorter).take_while(|(a, b)| a == b).count();
                let (used, unused, lost) = if this_used {
                    (path.as_path(), m.logs[i].path.as_path(), &other_records[same..])
                } else {
                    (m.logs[i].path.as_path(), path.as_path(), &replay.records[same..])
                };
                let mut lost: Vec<String> = lost.iter().filter_map(|r| moderation_words(&r.event)).collect();
                // The drafts written a second apart as the report was typed
                // are one.
                lost.dedup();
                m.problems.push(ModerationProblem {
                    path: unused.to_path_buf(),
                    what: format!(
                        "a different history of assessor {assessor}'s moderation journal on {device} than {}; only \
                         {} is used (the one with more records, or of two with as many the one under the journal's \
                         own name), so what is recorded only in this one does not count: {}. Ask {assessor} which \
                         history is right: keep that one, named {}, and move the other out of the folders (kept \
                         elsewhere as evidence); what else should count {assessor} then records with osce moderate, \
                         unless the history kept is signed off (a sign-off ends the journal)",
                        used.display(),
                        used.display(),
                        if lost.is_empty() {
                            "nothing but its opening".to_string()
                        } else {
                            lost.join("; ")
                        },
                        crate::store::MODERATION_FILE
                    ),
                });
            }
            if this_used {
                kept[i].2 = hashes;
                kept[i].3 = replay.records.clone();
                m.logs[i] = AssessorLog::replay(&assessor, &device, path.clone(), &replay.records);
            }
            continue;
        }
        kept.push((assessor.clone(), device.clone(), hashes, replay.records.clone()));
        m.logs.push(AssessorLog::replay(
            &assessor,
            &device,
            path.clone(),
            &replay.records,
        ));
    }
    Ok(m)
}

/// A moderation record in words, as the lead is told of it: what was
/// decided, for whom and where, or the report or sign-off. `None` for the
/// journal's opening.
fn moderation_words(event: &Event) -> Option<String> {
    Some(match event {
        Event::Moderated {
            station,
            candidate,
            decision,
            proposed,
            ..
        } => format!(
            "\"{}\"{} for {candidate} at {station}",
            decision.label(),
            proposed.map(|p| format!(" ({})", p.label())).unwrap_or_default()
        ),
        Event::AgreedMark {
            station,
            candidate,
            score,
            ..
        } => format!(
            "the agreed mark {} for {candidate} at {station}",
            crate::scoring::fmt_marks(*score)
        ),
        Event::ModerationReport { .. } => "the moderation report".to_string(),
        Event::ModerationReportDraft { .. } => "a draft of the moderation report".to_string(),
        Event::SignedOff { .. } => "the sign-off".to_string(),
        _ => return None,
    })
}

/// What changed of a cell's sheets (`sheets`, as they are now) since a
/// record made over `seen_then`, in words, in the order of the cell's
/// sheets: `E01's sheet amended`, `E03's sheet added`; `the sheets
/// changed` where none of them is new (one taken away).
pub fn changed_since(cohort: &Cohort, sheets: &[usize], seen_then: &[SeenSheet]) -> String {
    let changed: Vec<String> = seen(cohort, sheets)
        .into_iter()
        .filter(|now| !seen_then.contains(now))
        .map(|now| {
            let was = seen_then
                .iter()
                .any(|s| s.examiner == now.examiner && s.device == now.device);
            format!(
                "{}'s sheet {}",
                now.examiner,
                if was { "amended" } else { "added" }
            )
        })
        .collect();
    if changed.is_empty() {
        "the sheets changed".to_string()
    } else {
        changed.join(" and ")
    }
}

/// An agreed mark that no longer holds, in words: `the agreed mark 8
/// recorded by ML1 no longer holds: E01's sheet amended since; the
/// markers agree it again` (`changed` from [`changed_since`]).
pub fn set_aside_words(agreed: &AgreedMark, changed: &str) -> String {
    format!(
        "the agreed mark {} recorded by {} no longer holds: {changed} since; the markers agree it again",
        crate::scoring::fmt_marks(agreed.score),
        agreed.assessor
    )
}

/// The sheets of a cell as a decision records them.
pub fn seen(cohort: &Cohort, sheets: &[usize]) -> Vec<SeenSheet> {
    sheets.iter().map(|&i| seen_one(&cohort.sheets[i])).collect()
}

/// Every history of one candidate at one station that `cohort` holds,
/// whether it counts or not (set aside by a decision, say), and every
/// journal of the cell that cannot be used: what changes when anything on
/// disk for the cell changes. Sorted.
pub fn cell_histories(cohort: &Cohort, candidate: &str, station: &str) -> Vec<SeenSheet> {
    let mut all: Vec<SeenSheet> = cohort
        .sheets
        .iter()
        .filter(|s| s.key.candidate == candidate && s.key.station == station)
        .map(seen_one)
        .chain(
            cohort
                .problem_sheets
                .iter()
                .filter(|p| p.key.candidate == candidate && p.key.station == station)
                .map(|p| SeenSheet {
                    examiner: p.key.examiner.clone(),
                    device: p.key.device.clone(),
                    last: p.fingerprint.clone(),
                }),
        )
        .collect();
    all.sort();
    all.dedup();
    all
}

fn seen_one(s: &FoundSheet) -> SeenSheet {
    SeenSheet {
        examiner: s.key.examiner.clone(),
        device: s.key.device.clone(),
        last: s.state.seal(),
    }
}

/// Where moderation leaves one candidate × station.
#[derive(Debug, Clone, PartialEq)]
pub enum CellModeration {
    NotModerated,
    Agreed {
        by: Vec<String>,
    },
    Disagreed {
        by: Vec<String>,
        proposed: Proposed,
        rationale: String,
    },
    /// Referred to a third marker; `third` is the third marker's sheet (an
    /// index into the cohort's sheets) once there is a submitted one.
    Referred {
        by: Vec<String>,
        rationale: String,
        third: Option<usize>,
    },
    /// A sheet changed (or another was added) after the decision: it must be
    /// moderated again.
    Stale {
        by: Vec<String>,
        /// Every one of them has signed off, so cannot moderate it again:
        /// only the exam lead's decision is left.
        signed_off: bool,
        /// What the examiners' marks gave when it was last moderated.
        gave: crate::scoring::StationOutcome,
    },
    /// Assessors' decisions differ.
    Conflicting {
        detail: String,
    },
}

impl CellModeration {
    /// Whether a decision counts for the sheets as they are now.
    pub fn is_moderated(&self) -> bool {
        !matches!(
            self,
            CellModeration::NotModerated | CellModeration::Stale { .. } | CellModeration::Conflicting { .. }
        )
    }

    /// A short word for tables: `agreed`, `disagreed`, `referred`, ...
    pub fn word(&self) -> &'static str {
        match self {
            CellModeration::NotModerated => "not moderated",
            CellModeration::Agreed { .. } => "agreed",
            CellModeration::Disagreed { .. } => "disagreed",
            CellModeration::Referred { third: None, .. } => "referred",
            CellModeration::Referred { third: Some(_), .. } => "third-marked",
            CellModeration::Stale { .. } => "changed since moderated",
            CellModeration::Conflicting { .. } => "assessors differ",
        }
    }
}

/// Whether `d` was made on the cell's sheets as they are now. For a
/// referral, sheets added since are the third marker's and leave it
/// standing.
pub fn still_holds(cohort: &Cohort, sheets: &[usize], seen_then: &[SeenSheet], referral: bool) -> bool {
    let now: Vec<SeenSheet> = seen(cohort, sheets);
    let unchanged = seen_then.iter().all(|s| !s.last.is_empty() && now.contains(s));
    let added = now.iter().any(|n| {
        !seen_then
            .iter()
            .any(|s| s.examiner == n.examiner && s.device == n.device)
    });
    unchanged && (referral || !added)
}

impl Moderation {
    /// Every assessor's decision in effect for a cell, with whether it still
    /// holds for the sheets as they are now.
    pub fn decisions<'a>(
        &'a self,
        cohort: &Cohort,
        sheets: &[usize],
        candidate: &str,
        station: &str,
    ) -> Vec<(&'a Decided, bool)> {
        // One assessor is one assessor on any number of laptops: their
        // latest decision, whichever device it was recorded on.
        let mut latest: BTreeMap<&str, &Decided> = BTreeMap::new();
        for d in self
            .logs
            .iter()
            .filter_map(|log| log.latest(candidate, station))
            .filter(|d| !d.on_own_sheet())
        {
            let keep = latest
                .get(d.assessor.as_str())
                .is_none_or(|k| (d.time, d.seq) > (k.time, k.seq));
            if keep {
                latest.insert(&d.assessor, d);
            }
        }
        latest
            .into_values()
            .map(|d| {
                let holds = still_holds(cohort, sheets, &d.sheets, d.decision == Decision::Refer);
                (d, holds)
            })
            .collect()
    }

    /// Each assessor (by name, over every device) who has recorded anything,
    /// and whether they have signed off: a window opened and closed on
    /// another laptop is not another assessor.
    pub fn assessors(&self) -> Vec<(&str, bool)> {
        let mut by: BTreeMap<&str, bool> = BTreeMap::new();
        for log in &self.logs {
            if log.nothing_to_sign_off() {
                continue;
            }
            *by.entry(log.assessor.as_str()).or_default() |= log.signed_off.is_some();
        }
        for log in &self.logs {
            if log.signed_off.is_some() {
                by.insert(log.assessor.as_str(), true);
            }
        }
        by.into_iter().collect()
    }

    /// The agreed mark in effect for a cell, if one holds for its sheets
    /// as they are now (the latest, over every assessor).
    pub fn agreed_mark<'a>(
        &'a self,
        cohort: &Cohort,
        sheets: &[usize],
        candidate: &str,
        station: &str,
    ) -> Option<&'a AgreedMark> {
        self.logs
            .iter()
            .filter_map(|log| log.latest_agreed(candidate, station))
            .filter(|a| still_holds(cohort, sheets, &a.sheets, false))
            .max_by(|a, b| (a.time, &a.assessor).cmp(&(b.time, &b.assessor)))
    }

    /// The latest agreed mark recorded for a cell that no longer holds for
    /// its sheets as they are now, where none holds: with the markers whose
    /// sheets changed since it was recorded (amended, or added). What a
    /// command waiting for the agreed mark says beside it: the markers
    /// agree again.
    pub fn agreed_mark_set_aside<'a>(
        &'a self,
        cohort: &Cohort,
        sheets: &[usize],
        candidate: &str,
        station: &str,
    ) -> Option<(&'a AgreedMark, String)> {
        if self.agreed_mark(cohort, sheets, candidate, station).is_some() {
            return None;
        }
        let latest = self
            .logs
            .iter()
            .filter_map(|log| log.latest_agreed(candidate, station))
            .max_by(|a, b| (a.time, &a.assessor).cmp(&(b.time, &b.assessor)))?;
        Some((latest, changed_since(cohort, sheets, &latest.sheets)))
    }

    /// The sheets of third markers an assessor referred a station to that
    /// are moderation's alone: their result is the station's after
    /// moderation, and they enter neither the examiners' results nor
    /// standard setting (a `ThirdMarker` rubric's third marker settling a
    /// referred discrepancy does both, and is not among them).
    pub fn referral_sheets(&self, rubric: &Rubric, cohort: &Cohort, m: &Matrix) -> Vec<usize> {
        if self.logs.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for candidate in &m.candidates {
            for station in &m.stations {
                let Some(cell) = m.cell(candidate, station) else {
                    continue;
                };
                if let CellModeration::Referred { third: Some(t), .. } =
                    self.cell(cohort, &cell.sheets, candidate, station)
                {
                    let examiners = cell.sheets.len().saturating_sub(1);
                    let settles_discrepancy = rubric.double_marking.reconcile
                        == crate::rubric::Reconcile::ThirdMarker
                        && examiners == 2;
                    if !settles_discrepancy {
                        found.push(t);
                    }
                }
            }
        }
        found
    }

    /// Where moderation leaves a cell whose sheets are `sheets`.
    pub fn cell(&self, cohort: &Cohort, sheets: &[usize], candidate: &str, station: &str) -> CellModeration {
        let all = self.decisions(cohort, sheets, candidate, station);
        let holding: Vec<&Decided> = all.iter().filter(|(_, h)| *h).map(|(d, _)| *d).collect();
        if holding.is_empty() {
            return match all.is_empty() {
                true => CellModeration::NotModerated,
                false => {
                    let signed = self.assessors();
                    let by: Vec<String> = all.iter().map(|(d, _)| d.assessor.clone()).collect();
                    let signed_off = by.iter().all(|a| signed.iter().any(|(s, done)| *done && s == a));
                    let gave = all
                        .iter()
                        .map(|(d, _)| *d)
                        .max_by(|a, b| (a.time, a.seq).cmp(&(b.time, b.seq)))
                        .map_or(crate::scoring::StationOutcome::Incomplete, |d| d.internal);
                    CellModeration::Stale { by, signed_off, gave }
                }
            };
        }
        let by: Vec<String> = holding.iter().map(|d| d.assessor.clone()).collect();
        let first = holding[0];
        if holding
            .iter()
            .any(|d| (d.decision, d.proposed) != (first.decision, first.proposed))
        {
            let each: Vec<String> = holding
                .iter()
                .map(|d| match d.proposed {
                    Some(p) => format!("{} {} ({})", d.assessor, d.decision.label(), p.label()),
                    None => format!("{} {}", d.assessor, d.decision.label()),
                })
                .collect();
            return CellModeration::Conflicting {
                detail: each.join(", "),
            };
        }
        let rationale = holding
            .iter()
            .filter(|d| !d.rationale.trim().is_empty())
            .map(|d| format!("{}: {}", d.assessor, d.rationale.trim()))
            .collect::<Vec<_>>()
            .join(" / ");
        match first.decision {
            Decision::Agree => CellModeration::Agreed { by },
            Decision::Disagree => CellModeration::Disagreed {
                by,
                proposed: first.proposed.unwrap_or(Proposed::Fail),
                rationale,
            },
            Decision::Refer => {
                // The third marker: a submitted sheet none of the referrals saw.
                let third = sheets.iter().copied().find(|&i| {
                    let s = &cohort.sheets[i];
                    s.state.is_locked()
                        && holding.iter().all(|d| {
                            !d.sheets
                                .iter()
                                .any(|seen| seen.examiner == s.key.examiner && seen.device == s.key.device)
                        })
                });
                CellModeration::Referred { by, rationale, third }
            }
        }
    }

    /// Whether every assessor who recorded anything has signed off.
    pub fn all_signed_off(&self) -> bool {
        self.logs.iter().all(AssessorLog::is_signed_off)
    }
}

/// A sheet as the rubric's sampling policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleCell {
    pub candidate: String,
    pub station: String,
    /// The marks give a fail.
    pub fail: bool,
    /// Given the borderline global rating.
    pub borderline: bool,
}

/// The moderation sample as assessors take it (and as `docs/rubric-format.md`
/// says): every fail, every borderline global rating, and `percent` of the
/// rest chosen at random, reproducibly from `seed` ([`sample`]).
pub fn policy_sample(cells: &[SampleCell], percent: f64, seed: u64) -> BTreeSet<(String, String)> {
    let mut chosen: BTreeSet<(String, String)> = cells
        .iter()
        .filter(|c| c.fail || c.borderline)
        .map(|c| (c.candidate.clone(), c.station.clone()))
        .collect();
    let rest: Vec<(String, String)> = cells
        .iter()
        .filter(|c| !(c.fail || c.borderline))
        .map(|c| (c.candidate.clone(), c.station.clone()))
        .collect();
    chosen.extend(sample(&rest, percent, seed));
    chosen
}

/// A reproducible random sample of `percent` of `cells` (rounded up):
/// each cell is ranked by a hash of the seed and its candidate and station,
/// so the same seed picks the same cells whatever order they come in.
pub fn sample(cells: &[(String, String)], percent: f64, seed: u64) -> BTreeSet<(String, String)> {
    let share = (percent / 100.0).clamp(0.0, 1.0);
    let take = (cells.len() as f64 * share).ceil() as usize;
    let mut ranked: Vec<([u8; 32], &(String, String))> = cells
        .iter()
        .map(|c| {
            let mut h = blake3::Hasher::new();
            h.update(&seed.to_le_bytes());
            h.update(c.0.as_bytes());
            h.update(&[0]);
            h.update(c.1.as_bytes());
            (*h.finalize().as_bytes(), c)
        })
        .collect();
    ranked.sort();
    ranked.into_iter().take(take).map(|(_, c)| c.clone()).collect()
}

/// A third marker's sheet, added to a cell after an assessor referred it,
/// is expected: where the rubric has no double marking that cell would
/// otherwise show as a conflict between examiners. Such cells are settled
/// here: no longer a conflict, and as far on as their least advanced sheet.
///
/// Where the rubric allows double marking, a station marked once and then
/// referred is not double-marked by its third marker: the examiner's sheet
/// alone is the examiners' result, the third marker's is moderation's.
pub fn settle_referrals(matrix: &mut Matrix, cohort: &Cohort, moderation: &Moderation) {
    for ((candidate, station), cell) in matrix.cells.iter_mut() {
        if cell.double_marked && cell.sheets.len() >= 2 {
            let marked_once = moderation
                .decisions(cohort, &cell.sheets, candidate, station)
                .iter()
                .any(|(d, holds)| *holds && d.decision == Decision::Refer && d.sheets.len() < 2);
            if marked_once {
                cell.double_marked = false;
            }
            continue;
        }
        if cell.state != CellState::Conflict || cell.sheets.len() < 2 {
            continue;
        }
        let mut keys: Vec<(&str, &str)> = cell
            .sheets
            .iter()
            .map(|&i| {
                (
                    cohort.sheets[i].key.examiner.as_str(),
                    cohort.sheets[i].key.device.as_str(),
                )
            })
            .collect();
        keys.sort();
        let examiners = keys.len();
        keys.dedup_by(|a, b| a.0 == b.0);
        if keys.len() != examiners {
            // The same examiner on two devices: a real conflict.
            continue;
        }
        let referred = moderation
            .decisions(cohort, &cell.sheets, candidate, station)
            .iter()
            .any(|(d, holds)| *holds && d.decision == Decision::Refer);
        if referred {
            cell.conflict = None;
            cell.state = cell
                .sheets
                .iter()
                .map(|&i| sheet_state(&cohort.sheets[i].state))
                .min_by_key(|s| progress(*s))
                .unwrap_or(CellState::Missing);
        }
    }
}
