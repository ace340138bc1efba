//! One line of a sheet journal: who, when, against which rubric, what
//! happened, and the hash that chains it to the line before.
//!
//! The format is documented for people in `docs/session-format.md`.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The hash that stands before the first record of every journal.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Which sheet a journal holds: one examiner's marks for one candidate at
/// one station, written on one device.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SheetKey {
    pub assessment: String,
    pub station: String,
    pub candidate: String,
    pub examiner: String,
    pub device: String,
}

/// One record. On disk it is one JSON object on one line, with `hash`
/// last: `hash` is the BLAKE3 hash (hex) of the line's bytes up to the
/// `,"hash":` that introduces it, closed with `}`; those bytes include
/// `prev`, the hash of the record before, so editing any line by hand
/// breaks every hash after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// 1 for the first record of a journal, then counting up by one.
    pub seq: u64,
    /// Wall-clock time (UTC) when the record was written.
    #[serde(deserialize_with = "crate::base::utc::time")]
    pub time: DateTime<Utc>,
    /// BLAKE3 hash (hex) of the rubric file the marks were made against.
    pub rubric: String,
    pub assessment: String,
    /// Empty (and left out of the line) in a moderation journal, which is
    /// not about one sheet.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub station: String,
    /// Empty (and left out of the line) in a moderation journal.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub candidate: String,
    /// The examiner who marked, or in a moderation journal the assessor.
    pub examiner: String,
    pub device: String,
    pub event: Event,
    /// Hash of the previous record, or [`GENESIS`] for the first.
    pub prev: String,
    /// This record's own hash (see above). Filled in when written or read.
    #[serde(default, skip_serializing)]
    pub hash: String,
}

impl Record {
    /// A record for unit tests: `event` as record `seq` at `time` (RFC
    /// 3339), after `prev`, for a sheet with one-letter ids; no hash yet.
    #[cfg(test)]
    pub(crate) fn for_test(seq: u64, time: &str, event: Event, prev: &str) -> Record {
        Record {
            seq,
            time: time.parse().expect("an RFC 3339 time"),
            rubric: "r".into(),
            assessment: "a".into(),
            station: "s".into(),
            candidate: "c".into(),
            examiner: "e".into(),
            device: "d".into(),
            event,
            prev: prev.into(),
            hash: String::new(),
        }
    }

    pub fn key(&self) -> SheetKey {
        SheetKey {
            assessment: self.assessment.clone(),
            station: self.station.clone(),
            candidate: self.candidate.clone(),
            examiner: self.examiner.clone(),
            device: self.device.clone(),
        }
    }
}

/// A record as read from its line, with its text fields borrowed from the
/// line where they need no unescaping. Replay checks these (the chain, the
/// sheet, the rubric) and status and export fold them into a sheet's state
/// without copying the ids and hashes of every record; [`into_owned`]
/// gives the [`Record`].
///
/// [`into_owned`]: RecordRef::into_owned
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRef<'a> {
    pub seq: u64,
    pub time: DateTime<Utc>,
    pub rubric: Cow<'a, str>,
    pub assessment: Cow<'a, str>,
    pub station: Cow<'a, str>,
    pub candidate: Cow<'a, str>,
    pub examiner: Cow<'a, str>,
    pub device: Cow<'a, str>,
    pub event: Event,
    pub prev: Cow<'a, str>,
    /// This record's own hash: the 64 hex digits at the end of its line.
    pub hash: &'a str,
}

impl<'a> RecordRef<'a> {
    /// The record read by serde, with `hash` the one at the end of its line.
    pub fn from_owned(r: Record, hash: &'a str) -> RecordRef<'a> {
        RecordRef {
            seq: r.seq,
            time: r.time,
            rubric: Cow::Owned(r.rubric),
            assessment: Cow::Owned(r.assessment),
            station: Cow::Owned(r.station),
            candidate: Cow::Owned(r.candidate),
            examiner: Cow::Owned(r.examiner),
            device: Cow::Owned(r.device),
            event: r.event,
            prev: Cow::Owned(r.prev),
            hash,
        }
    }

    pub fn into_owned(self) -> Record {
        Record {
            seq: self.seq,
            time: self.time,
            rubric: self.rubric.into_owned(),
            assessment: self.assessment.into_owned(),
            station: self.station.into_owned(),
            candidate: self.candidate.into_owned(),
            examiner: self.examiner.into_owned(),
            device: self.device.into_owned(),
            event: self.event,
            prev: self.prev.into_owned(),
            hash: self.hash.to_string(),
        }
    }

    /// Whether this record is for the sheet `key` (as `Record::key() == *key`).
    pub fn is_for(&self, key: &SheetKey) -> bool {
        self.assessment == key.assessment.as_str()
            && self.station == key.station.as_str()
            && self.candidate == key.candidate.as_str()
            && self.examiner == key.examiner.as_str()
            && self.device == key.device.as_str()
    }

    pub fn key(&self) -> SheetKey {
        SheetKey {
            assessment: self.assessment.to_string(),
            station: self.station.to_string(),
            candidate: self.candidate.to_string(),
            examiner: self.examiner.to_string(),
            device: self.device.to_string(),
        }
    }
}

/// What happened. Serialised with a `"type"` tag, e.g.
/// `{"type":"mark","item":"lhb","level":2,"label":"Done","late":false}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The sheet was opened for marking: written when the examiner confirms
    /// the candidate, or before the first change on a sheet reached by
    /// moving between stations, and again after each restart.
    Opened { app_version: String },
    /// The examiner confirmed the candidate in front of them.
    Confirmed { candidate_name: String },
    /// The examiner confirmed the candidate in front of them under another
    /// name than the one the sheet was started with (`recorded`): a
    /// correction, with the reason. From here on the sheet names the
    /// candidate `candidate_name`; the earlier records stay.
    NameCorrected {
        candidate_name: String,
        recorded: String,
        reason: String,
    },
    /// An item was marked. `level` indexes the item's scale levels, lowest
    /// first; `None` means "not observed". `label` repeats the level's name
    /// for people reading the file. `late` marks a mark made after time-up.
    Mark {
        item: String,
        level: Option<usize>,
        label: String,
        late: bool,
    },
    /// The global rating was given or changed.
    GlobalRating { level: usize, label: String, late: bool },
    /// Undoes the mark or global rating written in record `undoes`.
    Undo { undoes: u64 },
    /// Feedback to the candidate: the whole text after the edit.
    Feedback { text: String },
    /// The examiner's private notes: the whole text after the edit.
    Notes { text: String },
    /// Feedback as it is being typed, not saved yet: written at most once
    /// a second while the comment box is open, so that a crash loses at
    /// most the last second of typing. Never feedback to the candidate
    /// until a `feedback` record saves it; a draft equal to the saved
    /// feedback withdraws the draft (esc, leaving without saving).
    FeedbackDraft { text: String },
    /// The private notes as they are being typed: as [`Event::FeedbackDraft`].
    NotesDraft { text: String },
    /// A concern's note as it is being typed, not saved yet: written at
    /// most once a second while the concern box is open, as
    /// [`Event::FeedbackDraft`]. Never a concern until a `concern` record
    /// raises it; a draft equal to the note raised (empty where none is)
    /// withdraws the draft.
    ConcernDraft { kind: ConcernKind, note: String },
    /// A concern was raised or its note changed. Kept apart from the score.
    Concern { kind: ConcernKind, note: String },
    /// A concern raised earlier was withdrawn.
    ConcernWithdrawn { kind: ConcernKind, reason: String },
    /// Something happened on the station timer; `elapsed_ms` is the time on
    /// the sheet's timer (pauses excluded) when it happened. `due` is only
    /// on a record written late, for something that fell due while osce
    /// was not running or the sheet was not open (a call, time-up, the
    /// end, or the end of a clocked round): when it fell due, by the
    /// laptop's clock, while the record's `time` is when it was written.
    Timer {
        action: TimerAction,
        elapsed_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DateTime<Utc>>,
    },
    /// Why an item or the global rating is left unmarked at submission.
    MissingReason { what: Unmarked, reason: String },
    /// The candidate did not attend this station.
    Absent { reason: String },
    /// The sheet was submitted and locked, with the result as computed then.
    Submitted {
        score: f64,
        max: f64,
        /// The station's result then: `PASS`, `FAIL`, `INCOMPLETE`,
        /// `ABSENT` (or `REST`).
        outcome: crate::scoring::StationOutcome,
    },
    /// A submitted sheet was unlocked to amend it; what follows until the
    /// next `Submitted` is the amendment. The original records stay.
    AmendStarted { reason: String },
    /// The marks that follow were entered from a paper form (when a laptop
    /// failed), imported from `source` (the file and its line numbers).
    Imported { source: String },

    // Moderation journals only (`<assessor>@<device>/moderation.jsonl`).
    /// An external assessor's decision on one candidate at one station.
    Moderated {
        station: String,
        candidate: String,
        /// The sheets as the assessor saw them.
        sheets: Vec<SeenSheet>,
        /// The station result the examiners' marks gave then: `PASS`,
        /// `FAIL` or `INCOMPLETE`.
        internal: crate::scoring::StationOutcome,
        decision: Decision,
        /// With `disagree`: the result the assessor proposes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proposed: Option<Proposed>,
        /// Why (required with `disagree`; a note with the others).
        rationale: String,
    },
    /// The two markers' agreed mark for a double-marked station whose
    /// rubric reconciles discrepancies by an agreed mark.
    AgreedMark {
        station: String,
        candidate: String,
        sheets: Vec<SeenSheet>,
        score: f64,
        /// The agreed result, for a station passed by competency or global
        /// rating (where a score alone cannot decide it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<Proposed>,
        /// Who agreed it, and anything else worth keeping.
        note: String,
    },
    /// The assessor's overall moderation report: the whole text after the
    /// edit.
    ModerationReport { text: String },
    /// The overall report as it is being typed, not saved yet: written at
    /// most once a second while the report box is open, so that a crash
    /// loses at most the last second of typing. Never the report until a
    /// `moderation_report` record saves it; a draft equal to the saved
    /// report withdraws the draft.
    ModerationReportDraft { text: String },
    /// The assessor signed the moderation off; nothing more may be added to
    /// this journal. `summary` repeats the counts in words.
    SignedOff { summary: String },
}

/// One examiner's sheet as an assessor saw it when deciding: `last` is the
/// hash of its `submitted` record then. A sheet amended since has another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SeenSheet {
    pub examiner: String,
    pub device: String,
    pub last: String,
}

/// An assessor's decision on a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Agree,
    Disagree,
    /// Refer to a third marker.
    Refer,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Agree => "agree",
            Decision::Disagree => "disagree",
            Decision::Refer => "refer to a third marker",
        }
    }
}

/// The station result an assessor proposes when disagreeing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proposed {
    Pass,
    Fail,
}

impl Proposed {
    pub fn label(self) -> &'static str {
        match self {
            Proposed::Pass => "PASS",
            Proposed::Fail => "FAIL",
        }
    }
}

impl Event {
    /// The event's `type`, as written in the journal (`mark`, `submitted`).
    pub fn kind_word(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
            .unwrap_or_else(|| "record".to_string())
    }

    /// Whether `u` (undo) can take this record back.
    pub fn is_undoable(&self) -> bool {
        matches!(self, Event::Mark { .. } | Event::GlobalRating { .. })
    }

    /// Whether this event belongs in a moderation journal (and never in a
    /// sheet's).
    pub fn is_moderation(&self) -> bool {
        matches!(
            self,
            Event::Moderated { .. }
                | Event::AgreedMark { .. }
                | Event::ModerationReport { .. }
                | Event::ModerationReportDraft { .. }
                | Event::SignedOff { .. }
        )
    }
}

/// A phase of a station's timer as a record names it: `reading`,
/// `station` or `changeover`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseName {
    Reading,
    Station,
    Changeover,
}

impl PhaseName {
    pub fn word(self) -> &'static str {
        match self {
            PhaseName::Reading => "reading",
            PhaseName::Station => "station",
            PhaseName::Changeover => "changeover",
        }
    }
}

/// What a missing-mark reason is about: one item, or the station's global
/// rating. On disk it is the item's id, or the word `global_rating` (which
/// a rubric may not use as an item id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Unmarked {
    GlobalRating,
    Item(String),
}

impl Unmarked {
    /// The word on disk for the global rating.
    pub const GLOBAL_RATING: &'static str = "global_rating";

    pub fn item(id: &str) -> Unmarked {
        Unmarked::from(id.to_string())
    }

    /// The item's id, or `None` for the global rating.
    pub fn item_id(&self) -> Option<&str> {
        match self {
            Unmarked::GlobalRating => None,
            Unmarked::Item(id) => Some(id),
        }
    }

    /// As it is written on disk and in import files.
    pub fn as_str(&self) -> &str {
        self.item_id().unwrap_or(Unmarked::GLOBAL_RATING)
    }
}

impl From<String> for Unmarked {
    fn from(text: String) -> Unmarked {
        if text == Unmarked::GLOBAL_RATING {
            Unmarked::GlobalRating
        } else {
            Unmarked::Item(text)
        }
    }
}

impl From<Unmarked> for String {
    fn from(what: Unmarked) -> String {
        match what {
            Unmarked::GlobalRating => Unmarked::GLOBAL_RATING.to_string(),
            Unmarked::Item(id) => id,
        }
    }
}

impl std::fmt::Display for Unmarked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unmarked::GlobalRating => f.write_str("the global rating"),
            Unmarked::Item(id) => write!(f, "item '{id}'"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcernKind {
    Professionalism,
    PatientSafety,
    Other,
}

impl ConcernKind {
    pub const ALL: [ConcernKind; 3] = [
        ConcernKind::Professionalism,
        ConcernKind::PatientSafety,
        ConcernKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ConcernKind::Professionalism => "Professionalism",
            ConcernKind::PatientSafety => "Patient safety",
            ConcernKind::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum TimerAction {
    /// The timer was started (reading time first, where there is any).
    Start,
    /// Paused, written the moment the timer stopped. The reason follows
    /// in its own record ([`TimerAction::PauseReason`]); journals written
    /// before that carry it here, and it is left out when empty.
    Pause {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    /// Why the timer was paused, as the examiner gave it after the pause
    /// was recorded; `elapsed_ms` is the pause's.
    PauseReason {
        reason: String,
    },
    Resume,
    /// A phase began: `reading`, `station` or `changeover`.
    Phase {
        phase: PhaseName,
    },
    /// A warning call: this many seconds of station time were left.
    Warning {
        remaining_s: u32,
    },
    /// Station time ran out.
    TimeUp,
    /// After a soft time-up, the examiner moved the timer on to changeover.
    Advance,
    /// The timer finished (end of changeover, or the examiner stopped it).
    End,
    /// The examiner reset a timer started by mistake: everything recorded
    /// on the timer before this is set aside (it stays in the journal) and
    /// the timer is ready to start again. `elapsed_ms` is the time it had
    /// run.
    Reset,
}
