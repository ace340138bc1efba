//! The exam lead's decisions: what only a person can settle, recorded with
//! who, when and why, in a journal of their own
//! (`<assessment>/<lead>@<device>/decisions.jsonl`, with the guarantees of
//! every journal: appended and fsynced, hash-chained, locked, owner-only).
//!
//! A decision never changes a sheet. It says which of two conflicting
//! sheets counts (or neither), that a sheet is void, what an absence
//! counts as, how an item left unmarked is taken, what a station's result
//! is where assessors (or an assessor and the examiners) disagree or a
//! third marker will not come, and which pass marks are adopted. A later
//! decision on the same thing replaces an earlier one; both stay in the
//! journal. A decision names the sheets it was taken on by their last
//! record: if a sheet changes afterwards, the decision no longer holds for
//! it, and the cell asks for a decision again. `docs/decisions.md` explains
//! each decision and how it changes a result.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::analysis::standards::Decision as StandardsRecord;
use crate::results::gather::Cohort;
use crate::results::source::Source as Journals;
use crate::rubric::{DoubleMarkingMode, Rubric};
use crate::store::{ChainJournal, Proposed, Store, StoreError};

/// Why the decisions cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum DecisionsError {
    #[error("the pass marks adopted {by}: {source}")]
    PassMarks {
        by: String,
        #[source]
        source: crate::analysis::standards::StandardsError,
    },
}

/// One decision as the journal holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionEntry {
    /// The identity of the rubric it was taken under.
    pub rubric: String,
    pub assessment: String,
    /// Who decided.
    pub by: String,
    /// The device it was recorded on.
    pub device: String,
    pub decision: Ruling,
    /// Why, in the decider's words. Required.
    pub reason: String,
}

/// A sheet as a decision names it: whose, from which device, and which
/// history (the hash of its last record; for a journal that cannot be
/// used, the BLAKE3 of its bytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SheetRef {
    pub examiner: String,
    pub device: String,
    pub last: String,
}

impl SheetRef {
    pub fn words(&self) -> String {
        format!("{}@{}", self.examiner, self.device)
    }

    /// With the history it names: where one examiner's sheet has two, the
    /// one whose last record's hash begins so.
    pub fn words_with_history(&self) -> String {
        format!(
            "{}@{} (the history ending in record {}…)",
            self.examiner,
            self.device,
            crate::results::gather::short_hash(&self.last)
        )
    }
}

/// The sheets pass marks were adopted over: their fingerprint
/// ([`crate::analysis::standards::fingerprint`]) and how many there were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdoptedOver {
    pub fingerprint: String,
    pub sheets: usize,
}

/// What a station's result was decided over: the cell's submitted sheets
/// then (a referred third marker's among them), each with its history's
/// last hash, and whether the markers' agreed mark was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedOver {
    pub sheets: Vec<SheetRef>,
    #[serde(default)]
    pub agreed_mark: bool,
    /// Decided as the station's marks gave it then (`osce decide held`):
    /// where they give the other result later (other pass marks adopted),
    /// the decision is held for review.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub as_marks_gave: bool,
}

/// What an absence counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceOutcome {
    /// Mitigating circumstances: the candidate is assessed at a later
    /// sitting; no result for this one.
    Deferred,
    /// The station counts as failed.
    Fail,
}

/// What was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ruling {
    /// Which sheet counts in a conflict; `None`: neither.
    Conflict {
        candidate: String,
        station: String,
        counts: Option<SheetRef>,
    },
    /// A sheet does not count (marked under the wrong candidate, say).
    Void {
        candidate: String,
        station: String,
        sheet: SheetRef,
    },
    /// What a recorded absence counts as.
    Absence {
        candidate: String,
        station: String,
        outcome: AbsenceOutcome,
    },
    /// How an item left unmarked on a sheet is taken: a level of its scale
    /// (`label` repeats its name), or `None`: not observed.
    Unmarked {
        candidate: String,
        station: String,
        sheet: SheetRef,
        item: String,
        level: Option<usize>,
        label: String,
    },
    /// A station's result where moderation cannot settle it: assessors who
    /// disagree, an assessor and the examiners, a referral whose third
    /// marker will not come; or two markers over the threshold apart who
    /// cannot agree a mark, or whose third marker will not come.
    StationResult {
        candidate: String,
        station: String,
        result: Proposed,
        /// What the station's sheets were when it was decided: a sheet
        /// that comes after (a third marker's), an amendment, or the
        /// markers' agreed mark recorded after, holds the decision for
        /// review. Absent from decisions recorded before osce kept it
        /// (those stand as they are).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        over: Option<DecidedOver>,
    },
    /// The pass marks adopted, station by station: the record `osce report
    /// --save-standards` wrote.
    PassMarks {
        record: StandardsRecord,
        /// The sheets it was adopted over: sheets submitted, amended or
        /// added after it keep the results from final until the board
        /// adopts pass marks again. Absent from decisions recorded before
        /// osce kept it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        over: Option<AdoptedOver>,
    },
    /// A candidate's result in a component assessed outside the stations
    /// (a written paper, an essay, the logbook), from `source`.
    Component {
        candidate: String,
        component: String,
        result: ComponentValue,
        /// What the result rests on, in words (a logbook's shortfall, say);
        /// empty where the source says nothing more.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
        source: Source,
    },
    /// Sheets marked against another version of the rubric (a copy whose
    /// words were corrected, given to some laptops) count at the stations
    /// that version marks as this one does.
    RubricVersion {
        /// That version's identity, as its sheets' records name it.
        identity: String,
        /// The stations whose sheets count: each marked alike in both.
        stations: Vec<String>,
        /// Its file's name as given, for people reading the journal.
        file: String,
        /// Its whole text, kept with the decision: every command checks
        /// the stations against it again.
        text: String,
    },
}

/// A component's result: a percentage for a weighted component, pass or
/// fail for a pass/fail one; for either, absent (it counts as 0% or a
/// fail) or deferred (the candidate's result waits for a later sitting).
/// `Withdrawn` takes back the result recorded before (recorded against the
/// wrong candidate, say): the component has no result again.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentValue {
    Percent(f64),
    Pass,
    Fail,
    Absent,
    Deferred,
    Withdrawn,
}

impl ComponentValue {
    /// The mark the pass rules count for a component, `weighted` or not:
    /// none for a deferred one, which has no result at this sitting.
    pub fn mark(self, weighted: bool) -> Option<crate::scoring::ComponentMark> {
        use crate::scoring::ComponentMark;
        match self {
            ComponentValue::Percent(p) => Some(ComponentMark::Percent(p)),
            ComponentValue::Pass => Some(ComponentMark::Passed(true)),
            ComponentValue::Fail => Some(ComponentMark::Passed(false)),
            ComponentValue::Absent if weighted => Some(ComponentMark::Percent(0.0)),
            ComponentValue::Absent => Some(ComponentMark::Passed(false)),
            ComponentValue::Deferred | ComponentValue::Withdrawn => None,
        }
    }

    /// As a results file writes it: `64%`, `PASS`, `FAIL`, `ABSENT`,
    /// `DEFERRED`; `WITHDRAWN` for a result taken back.
    pub fn words(self) -> String {
        match self {
            ComponentValue::Percent(p) => format!("{}%", crate::scoring::fmt_marks(p)),
            ComponentValue::Pass => "PASS".to_string(),
            ComponentValue::Fail => "FAIL".to_string(),
            ComponentValue::Absent => "ABSENT".to_string(),
            ComponentValue::Deferred => "DEFERRED".to_string(),
            ComponentValue::Withdrawn => "WITHDRAWN".to_string(),
        }
    }

    /// What an absence counts as, for a component `weighted` or not.
    pub fn absent_counts_as(weighted: bool) -> &'static str {
        if weighted {
            "counted as 0%"
        } else {
            "counted as a fail"
        }
    }
}

/// The marks the pass rules count for one candidate's recorded component
/// results (a deferred component has none).
pub fn component_marks<'a>(
    rubric: &crate::rubric::Rubric,
    recorded: impl IntoIterator<Item = (&'a String, &'a ComponentValue)>,
) -> BTreeMap<String, crate::scoring::ComponentMark> {
    recorded
        .into_iter()
        .filter_map(|(id, value)| {
            let weighted = rubric
                .components
                .as_ref()
                .and_then(|c| c.parts.iter().find(|p| &p.id == id))
                .is_some_and(|p| p.weight.is_some());
            value.mark(weighted).map(|m| (id.clone(), m))
        })
        .collect()
}

/// Component results by candidate, then component: the result and the
/// decision that recorded it.
pub type ComponentResults = BTreeMap<String, BTreeMap<String, (ComponentValue, Held)>>;

/// Where a decision's figures came from: a file (by name, as given), its
/// BLAKE3 hash, and the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub hash: String,
    pub line: u64,
}

impl Ruling {
    /// The candidate and station it is about, where it is about one.
    pub fn cell(&self) -> Option<(&str, &str)> {
        match self {
            Ruling::Conflict {
                candidate, station, ..
            }
            | Ruling::Void {
                candidate, station, ..
            }
            | Ruling::Absence {
                candidate, station, ..
            }
            | Ruling::Unmarked {
                candidate, station, ..
            }
            | Ruling::StationResult {
                candidate, station, ..
            } => Some((candidate, station)),
            Ruling::PassMarks { .. } | Ruling::Component { .. } | Ruling::RubricVersion { .. } => None,
        }
    }

    /// What it is about: a later decision about the same replaces it.
    fn subject(&self) -> String {
        match self {
            Ruling::Conflict {
                candidate, station, ..
            } => format!("conflict {candidate} {station}"),
            Ruling::Void {
                candidate,
                station,
                sheet,
            } => format!("void {candidate} {station} {} {}", sheet.words(), sheet.last),
            Ruling::Absence {
                candidate, station, ..
            } => format!("absence {candidate} {station}"),
            Ruling::Unmarked {
                candidate,
                station,
                sheet,
                item,
                ..
            } => format!("unmarked {candidate} {station} {} {item}", sheet.words()),
            Ruling::StationResult {
                candidate, station, ..
            } => format!("result {candidate} {station}"),
            Ruling::PassMarks { .. } => "pass marks".to_string(),
            Ruling::RubricVersion { identity, .. } => format!("rubric version {identity}"),
            Ruling::Component {
                candidate, component, ..
            } => format!("component {candidate} {component}"),
        }
    }

    /// The decision in words, without who or why.
    pub fn words(&self) -> String {
        match self {
            Ruling::Conflict { counts: Some(s), .. } => {
                format!("in the conflict, the sheet of {} counts", s.words_with_history())
            }
            Ruling::Conflict { counts: None, .. } => "in the conflict, neither sheet counts".to_string(),
            Ruling::Void { sheet, .. } => format!("{}'s sheet is void", sheet.words()),
            Ruling::Absence {
                outcome: AbsenceOutcome::Deferred,
                ..
            } => "the absence is deferred (mitigating circumstances)".to_string(),
            Ruling::Absence {
                outcome: AbsenceOutcome::Fail,
                ..
            } => "the absence counts as a fail".to_string(),
            Ruling::Unmarked {
                sheet,
                item,
                level,
                label,
                ..
            } => match level {
                Some(_) => format!(
                    "item {item}, left unmarked on {}'s sheet, is taken as \"{label}\"",
                    sheet.words()
                ),
                None => format!(
                    "item {item}, left unmarked on {}'s sheet, is taken as not observed",
                    sheet.words()
                ),
            },
            Ruling::StationResult { result, .. } => format!("the station's result is {}", result.label()),
            // Who set them as well as when: two records saved in one
            // minute are told apart.
            Ruling::PassMarks { record, .. } => format!(
                "the standard-set pass marks of {} by {} adopted ({})",
                record.time.format("%Y-%m-%d %H:%M UTC"),
                record.set_by,
                record_details(record)
            ),
            Ruling::Component {
                component,
                result,
                note,
                source,
                ..
            } => format!(
                "{component}: {}{} (from {}, line {})",
                result.words(),
                if note.is_empty() {
                    String::new()
                } else {
                    format!(", {note}")
                },
                source.file,
                source.line
            ),
            Ruling::RubricVersion {
                identity,
                stations,
                file,
                ..
            } => format!(
                "the sheets marked against the rubric's version {} ({file}) count at {} {}, marked alike in both",
                crate::results::gather::short_hash(identity),
                if stations.len() == 1 {
                    "station"
                } else {
                    "stations"
                },
                stations.join(", ")
            ),
        }
    }
}

/// Decisions that change the marks on sheets ([`Decisions::marks_decided_after`])
/// in words: "2 decisions that change the marks on its sheets: C001 at
/// knee: …; C002 at …", the first three named.
pub fn marks_decided_words(made: &[&Made]) -> String {
    const NAMED: usize = 3;
    let named: Vec<String> = made
        .iter()
        .filter_map(|m| {
            let (candidate, station) = m.entry.decision.cell()?;
            Some(format!("{candidate} at {station}: {}", m.entry.decision.words()))
        })
        .collect();
    let n = made.len();
    format!(
        "{} that {} the marks on its sheets: {}{}",
        crate::base::text::plural(n, "decision", "decisions"),
        if n == 1 { "changes" } else { "change" },
        named[..named.len().min(NAMED)].join("; "),
        if n > NAMED {
            format!("; and {} more", n - NAMED)
        } else {
            String::new()
        }
    )
}

/// A standard-setting record in words: how many stations, each station's
/// method (or the board's choice), the rounding rule and the board's note.
pub fn record_details(record: &StandardsRecord) -> String {
    let by_station: Vec<String> = record
        .stations
        .iter()
        .map(|st| format!("{} {}", st.station, st.method))
        .collect();
    format!(
        "{}: {}{}{}",
        crate::base::text::plural(record.stations.len(), "station", "stations"),
        by_station.join(", "),
        record
            .rounding
            .map(|r| format!("; {}", r.words()))
            .unwrap_or_default(),
        record
            .note
            .as_deref()
            .map(|n| format!("; the board's note: {}", n.trim()))
            .unwrap_or_default()
    )
}

/// One decision as read: the entry, and where and when it was recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    pub entry: DecisionEntry,
    pub time: DateTime<Utc>,
    pub seq: u64,
    pub path: PathBuf,
}

impl Made {
    /// "by J. Smith, 2026-06-04 10:15 UTC: the reason".
    pub fn attribution(&self) -> String {
        format!(
            "by {}, {}: {}",
            self.entry.by,
            self.time.format("%Y-%m-%d %H:%M UTC"),
            self.entry.reason.trim()
        )
    }

    /// The decision as `decide list` and `status` give it: what it is
    /// about, what it decides, and who, when and why ("C001 at knee: the
    /// absence is deferred (…) (by …, …: …)").
    pub fn line(&self) -> String {
        let what = match (&self.entry.decision, self.entry.decision.cell()) {
            (_, Some((c, s))) => format!("{c} at {s}: "),
            (Ruling::Component { candidate, .. }, None) => format!("{candidate}: "),
            _ => String::new(),
        };
        format!("{what}{} ({})", self.entry.decision.words(), self.attribution())
    }
}

/// Every decision of an assessment, from every folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decisions {
    /// In the order they were made (time, then who, then number).
    pub made: Vec<Made>,
    /// Journals that could not be used, and why.
    pub problems: Vec<String>,
    /// How many of [`Self::problems`] are journals read whole but decided
    /// under another version of the rubric.
    pub other_versions: usize,
}

/// A decision that holds for a cell, for its result and its note.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub ruling: Ruling,
    /// The decision in words, with who, when and why.
    pub words: String,
}

impl Decisions {
    /// The decision in force that `ruling` would replace: the latest on the
    /// same subject, where there is one.
    pub fn replaced_by(&self, ruling: &Ruling) -> Option<&Made> {
        let subject = ruling.subject();
        self.made.iter().rfind(|m| m.entry.decision.subject() == subject)
    }

    /// The decisions in force: the latest on each subject.
    pub fn in_force(&self) -> Vec<&Made> {
        let mut latest: BTreeMap<String, &Made> = BTreeMap::new();
        for m in &self.made {
            latest.insert(m.entry.decision.subject(), m);
        }
        let mut out: Vec<&Made> = latest.into_values().collect();
        out.sort_by(|a, b| (a.time, &a.path, a.seq).cmp(&(b.time, &b.path, b.seq)));
        out
    }

    /// The pass marks every command uses: those adopted by a decision, as
    /// the engine takes them; the rubric's own (provisional where
    /// standard-set) where none was adopted.
    pub fn standards(
        &self,
        rubric: &Rubric,
        rubric_hash: &str,
    ) -> Result<crate::scoring::Standards, DecisionsError> {
        match self.pass_marks() {
            None => Ok(crate::scoring::Standards::default()),
            Some((made, record)) => crate::analysis::standards::to_standards(record, rubric, rubric_hash)
                .map_err(|source| DecisionsError::PassMarks {
                    by: made.attribution(),
                    source,
                }),
        }
    }

    /// Each candidate's component results in force, with the decision in
    /// words: by candidate, then component. A result withdrawn is none.
    pub fn components(&self) -> ComponentResults {
        self.component_decisions(|v| v != ComponentValue::Withdrawn)
    }

    /// The component results withdrawn, and none recorded since: by
    /// candidate, then component, as [`Decisions::components`] gives those
    /// in force. No result, but a decision of its own, that the candidate's
    /// decisions name.
    pub fn withdrawn_components(&self) -> ComponentResults {
        self.component_decisions(|v| v == ComponentValue::Withdrawn)
    }

    /// The component decisions in force whose value `keep` takes, by
    /// candidate, then component, each with the decision in words.
    fn component_decisions(&self, keep: impl Fn(ComponentValue) -> bool) -> ComponentResults {
        let mut out = ComponentResults::new();
        for m in self.in_force() {
            if let Ruling::Component {
                candidate,
                component,
                result,
                ..
            } = &m.entry.decision
                && keep(*result)
            {
                let held = Held {
                    ruling: m.entry.decision.clone(),
                    words: format!("{} ({})", m.entry.decision.words(), m.attribution()),
                };
                out.entry(candidate.clone())
                    .or_default()
                    .insert(component.clone(), (*result, held));
            }
        }
        out
    }

    /// Whether `candidate`'s result for `component` was withdrawn, and none
    /// recorded since.
    pub fn component_withdrawn(&self, candidate: &str, component: &str) -> bool {
        self.in_force().iter().any(|m| {
            matches!(&m.entry.decision, Ruling::Component { candidate: c, component: p, result, .. }
                if c == candidate && p == component && *result == ComponentValue::Withdrawn)
        })
    }

    /// The sheets the pass marks in force were adopted over, where the
    /// decision keeps them.
    pub fn pass_marks_adopted_over(&self) -> Option<&AdoptedOver> {
        self.in_force().into_iter().find_map(|m| match &m.entry.decision {
            Ruling::PassMarks { over, .. } => over.as_ref(),
            _ => None,
        })
    }

    /// The decisions in force recorded after `since` that change the marks
    /// on the sheets standard setting reads: an item left unmarked ruled, a
    /// sheet of `cohort` void (not a journal that could not be used, nor a
    /// sheet of another version set aside: neither was read), which sheet
    /// of a conflict counts.
    pub fn marks_decided_after(&self, since: DateTime<Utc>, cohort: &Cohort) -> Vec<&Made> {
        self.in_force()
            .into_iter()
            .filter(|made| made.time > since)
            .filter(|made| match &made.entry.decision {
                Ruling::Unmarked { .. } | Ruling::Conflict { .. } => true,
                Ruling::Void {
                    candidate,
                    station,
                    sheet,
                } => cohort.sheets.iter().any(|s| {
                    s.key.candidate == *candidate
                        && s.key.station == *station
                        && s.key.examiner == sheet.examiner
                        && s.key.device == sheet.device
                        && s.last_hash == sheet.last
                }),
                _ => false,
            })
            .collect()
    }

    /// The pass marks adopted, if any.
    pub fn pass_marks(&self) -> Option<(&Made, &StandardsRecord)> {
        self.in_force().into_iter().find_map(|m| match &m.entry.decision {
            Ruling::PassMarks { record, .. } => Some((m, record)),
            _ => None,
        })
    }

    /// The other versions of `rubric` whose sheets count, by the decisions
    /// in force (`rubric`'s [`Rubric::counted_versions`]): each decision's
    /// stations that its version's text, kept with it, still marks alike
    /// (so a decision taken before the rubric's marks changed counts no
    /// sheet they would score otherwise). A kept text that does not give
    /// the identity decided, or is no valid rubric, counts nothing: said
    /// in words.
    pub fn counted_versions(&self, rubric: &Rubric) -> (BTreeMap<String, BTreeSet<String>>, Vec<String>) {
        let mut counted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut problems = Vec::new();
        for m in self.in_force() {
            let Ruling::RubricVersion {
                identity,
                stations,
                file,
                text,
            } = &m.entry.decision
            else {
                continue;
            };
            let other = crate::rubric::check_str(file, text).rubric;
            let Some(other) = other.filter(|_| crate::rubric::content_hash(text) == *identity) else {
                problems.push(format!(
                    "the decision that sheets of the rubric's version {} count ({}) keeps a text that is not that version: not used. Decide again with osce decide rubric-version",
                    crate::results::gather::short_hash(identity),
                    m.attribution()
                ));
                continue;
            };
            let mut alike = BTreeSet::new();
            for id in stations {
                let why = match rubric.station(id) {
                    Some(s) => crate::rubric::marking_difference(rubric, s, &other),
                    None => Some(format!("the rubric has no station \"{id}\" now")),
                };
                match why {
                    None => {
                        alike.insert(id.clone());
                    }
                    // The rubric changed in its marks since: its sheets of
                    // that version are set aside again, and said.
                    Some(why) => problems.push(format!(
                        "the decision that sheets of the rubric's version {} count at {id} ({}) no longer holds \
                         there: the two versions mark it otherwise now ({why}), so its sheets of that version at \
                         {id} are set aside again",
                        crate::results::gather::short_hash(identity),
                        m.attribution()
                    )),
                }
            }
            if !alike.is_empty() {
                counted.insert(identity.clone(), alike);
            }
        }
        (counted, problems)
    }
}

/// Reads every decisions journal of `rubric`'s assessment in `folders`. The
/// same lead's journal from one device seen in several folders is one
/// journal (the longest copy); one made under another rubric version is
/// reported and not used.
pub fn gather(rubric: &Rubric, rubric_hash: &str, folders: &[PathBuf]) -> Result<Decisions, StoreError> {
    gather_from(rubric, rubric_hash, Journals::Folders(folders))
}

/// [`gather`] from the folders or the archive.
pub fn gather_from(
    rubric: &Rubric,
    rubric_hash: &str,
    source: Journals<'_>,
) -> Result<Decisions, StoreError> {
    gather_from_all(rubric, rubric_hash, &[source])
}

/// [`gather_from`] several places at once (an archive and the folder a
/// decision is recorded into, not yet collected): copies of one journal
/// are one, the longest used.
pub fn gather_from_all(
    rubric: &Rubric,
    rubric_hash: &str,
    sources: &[Journals<'_>],
) -> Result<Decisions, StoreError> {
    let mut found = Vec::new();
    for &source in sources {
        found.extend(
            source
                .decision_journals(&rubric.id)?
                .into_iter()
                .map(|(lead, device, path)| (source, lead, device, path)),
        );
    }
    let mut out = Decisions::default();
    // (lead, device) -> the longest copy's hashes and entries.
    let mut kept: BTreeMap<(String, String), (Vec<String>, Vec<Made>)> = BTreeMap::new();
    for (source, lead, device, path) in found {
        let read = match source.read_chain::<DecisionEntry>(&path) {
            Ok(r) => r,
            Err(e) => {
                out.problems
                    .push(format!("{}: cannot be read: {e}", path.display()));
                continue;
            }
        };
        if let Some((line, reason)) = &read.damage {
            out.problems.push(format!(
                "{}: damaged at line {line} ({reason}); the decisions before it are used. Run `osce audit`",
                path.display()
            ));
        }
        if let Some(torn) = read.torn {
            out.problems.push(format!(
                "{}: the last line is cut short ({torn}); it was never saved and is not used",
                path.display()
            ));
        }
        if let Some(other) = read.entries.iter().find(|c| c.entry.rubric != rubric_hash) {
            out.problems.push(format!(
                "{}: decided under another version of the rubric ({}); not used. Decide again under this one",
                path.display(),
                crate::results::gather::short_hash(&other.entry.rubric)
            ));
            out.other_versions += 1;
            continue;
        }
        let hashes: Vec<String> = read.entries.iter().map(|c| c.hash.clone()).collect();
        let made: Vec<Made> = read
            .entries
            .into_iter()
            .map(|c| Made {
                entry: c.entry,
                time: c.time,
                seq: c.seq,
                path: path.clone(),
            })
            .collect();
        let slot = kept.entry((lead.clone(), device.clone())).or_default();
        let (longer, shorter) = if slot.0.len() >= hashes.len() {
            (&slot.0, &hashes)
        } else {
            (&hashes, &slot.0)
        };
        if !shorter.is_empty() && longer.get(shorter.len() - 1) != shorter.last() {
            // Which copy is used, and the decisions only the other holds:
            // they do not count, and the lead must know which.
            let this_used = replaces(&hashes, &path, slot);
            let (used, unused) = if this_used {
                (&made, &slot.1)
            } else {
                (&slot.1, &made)
            };
            let same = longer
                .iter()
                .zip(shorter.iter())
                .take_while(|(a, b)| a == b)
                .count();
            let lost: Vec<String> = unused
                .iter()
                .skip(same)
                .map(|m| format!("\"{}\" ({})", m.entry.decision.words(), m.attribution()))
                .collect();
            let file = |m: &Vec<Made>| {
                m.first()
                    .map(|m| m.path.display().to_string())
                    .unwrap_or_default()
            };
            out.problems.push(format!(
                "{}: a different history of {lead}'s decisions journal on {device} than {}; only {} is used (the \
                 one with more records, or of two with as many the one under the journal's own name), so {} recorded only in {} {} not count: {}. Ask {lead} which should; record those again \
                 with osce decide under another --device, then move {} out of the folders",
                file(unused),
                file(used),
                file(used),
                crate::base::text::plural(lost.len(), "decision", "decisions"),
                file(unused),
                if lost.len() == 1 { "does" } else { "do" },
                lost.join("; "),
                file(unused),
            ));
        }
        if replaces(&hashes, &path, slot) {
            *slot = (hashes, made);
        }
    }
    for (_, (_, made)) in kept {
        out.made.extend(made);
    }
    out.made.sort_by(|a, b| {
        (a.time, &a.entry.by, &a.entry.device, a.seq).cmp(&(b.time, &b.entry.by, &b.entry.device, b.seq))
    });
    Ok(out)
}

/// Whether the copy of a decisions journal at `path`, whose records'
/// hashes are `hashes`, is used rather than the one kept so far (`kept`):
/// the longer, or of two as long the one under the journal's own name,
/// not a copy renamed beside it.
fn replaces(hashes: &[String], path: &std::path::Path, kept: &(Vec<String>, Vec<Made>)) -> bool {
    let renamed = |p: &std::path::Path| crate::store::is_renamed_copy(p);
    hashes.len() > kept.0.len()
        || (hashes.len() == kept.0.len()
            && !renamed(path)
            && kept.1.first().is_some_and(|m| renamed(&m.path)))
}

/// Records `entry` in the journal of `lead` on `device` in the sessions
/// folder `into`; returns where.
pub fn record(
    into: &std::path::Path,
    entry: DecisionEntry,
    time: DateTime<Utc>,
) -> Result<PathBuf, StoreError> {
    record_all(into, vec![entry], time)
}

/// Records several decisions of one decider, in order, each appended and
/// made durable before the next (an import's results, one per candidate
/// and component). Nothing is recorded for an empty list.
pub fn record_all(
    into: &std::path::Path,
    entries: Vec<DecisionEntry>,
    time: DateTime<Utc>,
) -> Result<PathBuf, StoreError> {
    let Some(first) = entries.first() else {
        return Ok(into.to_path_buf());
    };
    let path = Store::new(into).decisions_path(&first.assessment, &first.by_id(), &first.device)?;
    let (mut journal, _) = ChainJournal::<DecisionEntry>::open(&path)?;
    for entry in entries {
        journal.append(entry, time)?;
    }
    Ok(path)
}

impl DecisionEntry {
    /// The decider as a folder name: their name with anything but letters,
    /// digits, `-`, `_` and `.` made `-` (a name may hold spaces).
    pub fn by_id(&self) -> String {
        let id: String = self
            .by
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .take(64)
            .collect();
        let id = id.trim_start_matches('.').to_string();
        if id.is_empty() { "lead".to_string() } else { id }
    }
}

/// What the decisions in force do to the gathering, before the matrix is
/// made: the sheets that do not count (void, or not chosen in a conflict),
/// the journals that cannot be used that are void, and each cell's
/// decisions.
#[derive(Debug, Clone, Default)]
pub struct Settled {
    /// Indices into the cohort's sheets that do not count.
    pub excluded: BTreeSet<usize>,
    /// Indices into the cohort's problem sheets that are void.
    pub void_problems: BTreeSet<usize>,
    /// Indices into the cohort's sheets of another version of the rubric
    /// that are void: set aside, no longer keeping the results from final.
    pub void_other_versions: BTreeSet<usize>,
    /// By (candidate, station): the decisions that hold there.
    pub held: BTreeMap<(String, String), Vec<Held>>,
    /// Decisions that no longer hold (the sheets they name have changed),
    /// by cell, in words: the cell needs deciding again.
    pub stale: BTreeMap<(String, String), Vec<String>>,
    /// Component results in force.
    pub components: ComponentResults,
    /// Component results withdrawn (none in force).
    pub withdrawn_components: ComponentResults,
}

impl Decisions {
    /// A void of a sheet of another version of the rubric names it by its
    /// journal's BLAKE3 (`fingerprint`), set aside as it was. Where a
    /// decision since counts that version's sheets, the journal is a sheet
    /// of the cohort, known by its last record's hash: the void is made to
    /// name it so, and holds as before.
    pub fn void_counted_versions(
        &mut self,
        cohort: &Cohort,
        fingerprint: impl Fn(&std::path::Path) -> String,
    ) {
        for made in &mut self.made {
            let Ruling::Void {
                candidate,
                station,
                sheet,
            } = &mut made.entry.decision
            else {
                continue;
            };
            let mut named = cohort.sheets.iter().filter(|s| {
                s.key.candidate == *candidate
                    && s.key.station == *station
                    && s.key.examiner == sheet.examiner
                    && s.key.device == sheet.device
            });
            if named.clone().any(|s| s.last_hash == sheet.last) {
                continue;
            }
            if let Some(found) = named.find(|s| fingerprint(&s.path) == sheet.last) {
                sheet.last = found.last_hash.clone();
            }
        }
    }
}

/// Works out [`Settled`] from the decisions in force.
pub fn settle(rubric: &Rubric, cohort: &Cohort, decisions: &Decisions) -> Settled {
    let mut out = Settled {
        components: decisions.components(),
        withdrawn_components: decisions.withdrawn_components(),
        ..Settled::default()
    };
    let double = rubric.double_marking.mode != DoubleMarkingMode::None;
    for made in decisions.in_force() {
        let ruling = &made.entry.decision;
        let Some((candidate, station)) = ruling.cell() else {
            continue;
        };
        let cell = (candidate.to_string(), station.to_string());
        let here: Vec<usize> = cohort
            .sheets
            .iter()
            .enumerate()
            .filter(|(_, s)| s.key.candidate == candidate && s.key.station == station)
            .map(|(i, _)| i)
            .collect();
        let is = |i: usize, r: &SheetRef| {
            let s = &cohort.sheets[i];
            s.key.examiner == r.examiner && s.key.device == r.device && s.last_hash == r.last
        };
        let words = format!("{} ({})", ruling.words(), made.attribution());
        // One marker recorded the candidate absent, another marked them
        // (gather's conflict): the side not chosen does not count.
        let absent = |i: usize| cohort.sheets[i].state.absent.is_some();
        let split = crate::results::gather::absence_split(cohort, &here).is_some();
        let holds = match ruling {
            Ruling::Conflict { counts: Some(r), .. } => match here.iter().copied().find(|&i| is(i, r)) {
                Some(chosen) => {
                    for &i in &here {
                        let same_examiner = cohort.sheets[i].key.examiner == r.examiner;
                        let other_side = split && absent(i) != absent(chosen);
                        if i != chosen && (!double || same_examiner || other_side) {
                            out.excluded.insert(i);
                        }
                    }
                    true
                }
                None => false,
            },
            Ruling::Conflict { counts: None, .. } => {
                // Neither: the sheets in conflict (with double marking,
                // those of an examiner seen more than once) do not count.
                let mut per_examiner: BTreeMap<&str, usize> = BTreeMap::new();
                for &i in &here {
                    *per_examiner
                        .entry(cohort.sheets[i].key.examiner.as_str())
                        .or_default() += 1;
                }
                for &i in &here {
                    if !double || split || per_examiner[cohort.sheets[i].key.examiner.as_str()] > 1 {
                        out.excluded.insert(i);
                    }
                }
                true
            }
            Ruling::Void { sheet, .. } => {
                let mut found = false;
                for &i in &here {
                    if is(i, sheet) {
                        out.excluded.insert(i);
                        found = true;
                    }
                }
                // Journals that cannot be used, and sheets of another
                // version of the rubric, are named by their BLAKE3.
                let named = |p: &crate::results::gather::ProblemSheet| {
                    p.key.candidate == candidate
                        && p.key.station == station
                        && p.key.examiner == sheet.examiner
                        && p.key.device == sheet.device
                        && p.fingerprint == sheet.last
                };
                for (set, sheets) in [
                    (&mut out.void_problems, &cohort.problem_sheets),
                    (&mut out.void_other_versions, &cohort.other_version_sheets),
                ] {
                    for (i, _) in sheets.iter().enumerate().filter(|(_, p)| named(p)) {
                        set.insert(i);
                        found = true;
                    }
                }
                found
            }
            Ruling::Unmarked { sheet, .. } => here.iter().any(|&i| is(i, sheet)),
            Ruling::Absence { .. }
            | Ruling::StationResult { .. }
            | Ruling::PassMarks { .. }
            | Ruling::Component { .. }
            | Ruling::RubricVersion { .. } => true,
        };
        if holds {
            out.held.entry(cell).or_default().push(Held {
                ruling: ruling.clone(),
                words,
            });
        } else {
            out.stale.entry(cell).or_default().push(format!(
                "a decision no longer holds, the sheets it names have changed since: {words}"
            ));
        }
    }
    out
}
