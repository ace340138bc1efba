//! What a sheet says once its records are replayed: the current marks,
//! global rating, comments, concerns, timer events, submission and
//! amendments. A pure fold over records; nothing here touches a file.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use compact_str::CompactString;

use super::record::{ConcernKind, Event, Record, RecordRef, TimerAction, Unmarked};
use crate::scoring::{ItemMark, StationSheet};

/// The word on disk for the global rating in [`Event::MissingReason`].
pub const GLOBAL_RATING: &str = super::record::Unmarked::GLOBAL_RATING;

/// A value set by a record, kept with the history of earlier values so
/// that undo can restore what was there before.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct History<T> {
    /// (seq of the record that set it, value), oldest first. Most values
    /// are set once, and that one is held in place rather than in an
    /// allocation of its own: status and export hold a million of these.
    entries: smallvec::SmallVec<[(u64, T); 1]>,
}

impl<T> Default for History<T> {
    fn default() -> History<T> {
        History {
            entries: smallvec::SmallVec::new(),
        }
    }
}

impl<T: Clone> History<T> {
    fn set(&mut self, seq: u64, value: T) {
        self.entries.push((seq, value));
    }

    fn undo(&mut self, seq: u64) -> bool {
        let before = self.entries.len();
        self.entries.retain(|(s, _)| *s != seq);
        self.entries.len() != before
    }

    fn current(&self) -> Option<&(u64, T)> {
        self.entries.last()
    }
}

/// An item's marks by record.
type MarkHistory = History<MarkValue>;

/// What a mark record set: the level (`None` is "not observed") and
/// whether it was made late. Sixteen bytes rather than twenty-four, as a
/// cohort holds a million of these; read and written as `[level, late]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MarkValue {
    level: usize,
    observed: bool,
    late: bool,
}

impl MarkValue {
    fn new(level: Option<usize>, late: bool) -> MarkValue {
        MarkValue {
            level: level.unwrap_or(0),
            observed: level.is_some(),
            late,
        }
    }

    fn level(self) -> Option<usize> {
        self.observed.then_some(self.level)
    }
}

impl serde::Serialize for MarkValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.level(), self.late).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for MarkValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<MarkValue, D::Error> {
        let (level, late) = <(Option<usize>, bool)>::deserialize(deserializer)?;
        Ok(MarkValue::new(level, late))
    }
}

/// What an undoable record set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoTarget {
    Item(String),
    GlobalRating,
}

/// An item's current mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkEntry {
    /// `None` is "not observed".
    pub level: Option<usize>,
    /// Record that set it.
    pub seq: u64,
    /// Made after time-up.
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Submission {
    pub seq: u64,
    #[serde(deserialize_with = "crate::base::utc::time")]
    pub time: DateTime<Utc>,
    pub score: f64,
    pub max: f64,
    pub outcome: crate::scoring::StationOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Amendment {
    pub seq: u64,
    #[serde(deserialize_with = "crate::base::utc::time")]
    pub time: DateTime<Utc>,
    pub examiner: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimerEntry {
    pub action: TimerAction,
    pub elapsed: Duration,
    #[serde(deserialize_with = "crate::base::utc::time")]
    pub time: DateTime<Utc>,
    /// For a record written late (osce restarted, or the sheet opened
    /// again, after it fell due): when it fell due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<Utc>>,
}

/// A pause of the station timer, as the sheet recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// The timer's time when it was paused (pauses excluded).
    pub at: Duration,
    /// How long it stayed paused, by the clock: `None` if never resumed.
    pub length: Option<Duration>,
    /// The examiner's reason; empty where none was given.
    pub reason: String,
}

/// How [`Amendment::words`] begins: `osce import` knows the note an
/// export gives a mark made in an amendment by it.
pub const AMENDED_WORDS: &str = "amended after submission";

impl Amendment {
    /// In words: "amended after submission by E01 at 2026-06-01T10:12:00+00:00:
    /// mark entered against the wrong item".
    pub fn words(&self) -> String {
        let reason = match self.reason.trim() {
            "" => "no reason given",
            r => r,
        };
        format!(
            "{AMENDED_WORDS} by {} at {}: {reason}",
            self.examiner,
            self.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        )
    }
}

impl Pause {
    /// In words: "paused 0:42 at 3:10: model felt faint".
    pub fn words(&self) -> String {
        let clock = |d: Duration| format!("{}:{:02}", d.as_secs() / 60, d.as_secs() % 60);
        let length = self
            .length
            .map_or(" (not resumed)".to_string(), |l| format!(" {}", clock(l)));
        let reason = match self.reason.trim() {
            "" => "no reason given",
            r => r,
        };
        format!("paused{length} at {}: {reason}", clock(self.at))
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
// Kept as JSON in the archive's readings: what is empty is left out, and
// a field left out is read as empty.
#[serde(default)]
pub struct SheetState {
    /// Each item's marks, sorted by item id: a sorted vector rather than a
    /// map, as it takes a third of the memory (status and export hold
    /// every sheet of a cohort). An item's id is held in place, not in an
    /// allocation of its own, when it is short (24 bytes or less).
    #[serde(deserialize_with = "crate::base::exact::vec::<_, _, 16>")]
    marks: Vec<(CompactString, MarkHistory)>,
    global: History<(usize, bool)>,
    /// Undoable records still in effect, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    undoable: Vec<u64>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub feedback: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Feedback typed and not saved, as last drafted (a crash or kill
    /// while typing): `None` once saved or withdrawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_draft: Option<String>,
    /// The private notes typed and not saved, as last drafted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes_draft: Option<String>,
    /// Open concerns with their notes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub concerns: BTreeMap<ConcernKind, String>,
    /// Concerns' notes typed and not saved, as last drafted, by kind.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub concern_drafts: BTreeMap<ConcernKind, String>,
    /// Marked against another version of the rubric (its identity), which
    /// the exam lead's decision counts as this one at its station: set as
    /// the sheet is read, never by a record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted_version: Option<String>,
    /// Reasons recorded for what is left unmarked.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub missing_reasons: BTreeMap<Unmarked, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent: Option<String>,
    /// Set when the sheet was entered from paper: where it was imported from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<String>,
    /// The name shown when the examiner confirmed the candidate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<String>,
    /// The latest submission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted: Option<Submission>,
    /// The submissions before it, oldest first, that an amendment
    /// replaced: what the sheet gave at an earlier time (when pass marks
    /// were set from it, say). Empty for a sheet never amended.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub earlier_submissions: Vec<Submission>,
    /// Set between an `AmendStarted` and the next `Submitted`. Boxed:
    /// rarely set, and held by every sheet of a cohort.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amending: Option<Box<Amendment>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<Amendment>,
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::base::exact::vec::<_, _, 4>"
    )]
    pub timer: Vec<TimerEntry>,
    /// When the first record was written (the sheet was opened).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::base::utc::option"
    )]
    pub first: Option<DateTime<Utc>>,
    /// The last record applied: its seq and time.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::base::utc::option_seq"
    )]
    pub last: Option<(u64, DateTime<Utc>)>,
    /// The hash of the latest `submitted` record: what a moderation
    /// decision records as the sheet it saw. Opening or viewing a sheet
    /// does not change it; an amendment (resubmitted) does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_hash: Option<String>,
    pub records: usize,
}

impl SheetState {
    pub fn replay<'a>(records: impl IntoIterator<Item = &'a Record>) -> SheetState {
        let mut state = SheetState::default();
        for r in records {
            state.apply(r);
        }
        state
    }

    /// Gives back the room its vectors hold beyond what they use (as
    /// parsing a kept reading leaves them): a cohort holds every sheet.
    pub fn shrink_to_fit(&mut self) {
        for (_, history) in &mut self.marks {
            history.entries.shrink_to_fit();
        }
        self.marks.shrink_to_fit();
        self.global.entries.shrink_to_fit();
        self.undoable.shrink_to_fit();
        self.amendments.shrink_to_fit();
        self.timer.shrink_to_fit();
    }

    pub fn apply(&mut self, r: &Record) {
        self.apply_event(r.seq, r.time, &r.hash, &r.examiner, &r.event);
    }

    /// [`SheetState::apply`] for a record read without copying.
    pub fn apply_ref(&mut self, r: &RecordRef<'_>) {
        self.apply_event(r.seq, r.time, r.hash, &r.examiner, &r.event);
    }

    /// Applies the record `seq` (hash `hash`), written at `time` by
    /// `examiner`.
    fn apply_event(&mut self, seq: u64, time: DateTime<Utc>, hash: &str, examiner: &str, event: &Event) {
        self.records += 1;
        self.last = Some((seq, time));
        if self.first.is_none() {
            self.first = Some(time);
        }
        match event {
            Event::Opened { .. } => {}
            Event::Confirmed { candidate_name } | Event::NameCorrected { candidate_name, .. } => {
                self.confirmed = Some(candidate_name.clone());
            }
            Event::Mark {
                item, level, late, ..
            } => {
                let i = match self.find_mark(item) {
                    Ok(i) => i,
                    Err(i) => {
                        self.marks
                            .insert(i, (CompactString::from(item.as_str()), History::default()));
                        i
                    }
                };
                self.marks[i].1.set(seq, MarkValue::new(*level, *late));
                self.undoable.push(seq);
            }
            Event::GlobalRating { level, late, .. } => {
                self.global.set(seq, (*level, *late));
                self.undoable.push(seq);
            }
            Event::Undo { undoes } => {
                if self.global.undo(*undoes) || self.marks.iter_mut().any(|(_, h)| h.undo(*undoes)) {
                    self.undoable.retain(|s| s != undoes);
                }
                self.marks.retain(|(_, h)| h.current().is_some());
            }
            Event::Feedback { text } => {
                self.feedback = text.clone();
                self.feedback_draft = None;
            }
            Event::Notes { text } => {
                self.notes = text.clone();
                self.notes_draft = None;
            }
            Event::FeedbackDraft { text } => {
                self.feedback_draft = (*text != self.feedback).then(|| text.clone());
            }
            Event::NotesDraft { text } => {
                self.notes_draft = (*text != self.notes).then(|| text.clone());
            }
            Event::Concern { kind, note } => {
                self.concerns.insert(*kind, note.clone());
                self.concern_drafts.remove(kind);
            }
            Event::ConcernWithdrawn { kind, .. } => {
                self.concerns.remove(kind);
                self.concern_drafts.remove(kind);
            }
            Event::ConcernDraft { kind, note } => {
                if *note == *self.concerns.get(kind).map_or("", String::as_str) {
                    self.concern_drafts.remove(kind);
                } else {
                    self.concern_drafts.insert(*kind, note.clone());
                }
            }
            // A reset sets aside what the timer recorded before it: the
            // timer is as if never started (the records stay on disk).
            Event::Timer {
                action: TimerAction::Reset,
                ..
            } => self.timer.clear(),
            Event::Timer {
                action,
                elapsed_ms,
                due,
            } => self.timer.push(TimerEntry {
                action: action.clone(),
                elapsed: Duration::from_millis(*elapsed_ms),
                time,
                due: *due,
            }),
            Event::MissingReason { what, reason } => {
                self.missing_reasons.insert(what.clone(), reason.clone());
            }
            Event::Absent { reason } => self.absent = Some(reason.clone()),
            Event::Imported { source } => self.imported = Some(source.clone()),
            Event::Submitted { score, max, outcome } => {
                self.submitted_hash = Some(hash.to_string());
                let earlier = self.submitted.replace(Submission {
                    seq,
                    time,
                    score: *score,
                    max: *max,
                    outcome: *outcome,
                });
                self.earlier_submissions.extend(earlier);
                self.amending = None;
                // Undo never reaches back across a submission.
                self.undoable = Vec::new();
            }
            Event::AmendStarted { reason } => {
                let amendment = Amendment {
                    seq,
                    time,
                    examiner: examiner.to_string(),
                    reason: reason.clone(),
                };
                self.amendments.push(amendment.clone());
                self.amending = Some(Box::new(amendment));
                // Amending an absence withdraws it (a late arrival, a wrong
                // key): the amendment's reason says why.
                self.absent = None;
            }
            // Moderation journals' events: never part of a sheet (`osce
            // audit` reports one found in a sheet's journal).
            Event::Moderated { .. }
            | Event::AgreedMark { .. }
            | Event::ModerationReport { .. }
            | Event::ModerationReportDraft { .. }
            | Event::SignedOff { .. } => {}
        }
    }

    /// What the record `seq` set, if it is a mark or global rating still in
    /// effect.
    pub fn target_of(&self, seq: u64) -> Option<UndoTarget> {
        if self.global.entries.iter().any(|(s, _)| *s == seq) {
            return Some(UndoTarget::GlobalRating);
        }
        self.marks
            .iter()
            .find(|(_, h)| h.entries.iter().any(|(s, _)| *s == seq))
            .map(|(item, _)| UndoTarget::Item(item.to_string()))
    }

    /// Which of `items` (item ids sorted, each with its place) have no
    /// mark in force on this sheet: their places, pushed onto `out` in the
    /// order of `items`. One walk through both sorted lists, where asking
    /// [`SheetState::mark`] of each item searches the marks each time (a
    /// status looks at every sheet of the exam).
    pub fn unmarked_places(&self, items: &[(&str, usize)], out: &mut Vec<usize>) {
        let mut marks = self.marks.iter().peekable();
        for &(item, place) in items {
            let mut marked = false;
            while let Some((id, history)) = marks.peek() {
                match id.as_str().cmp(item) {
                    std::cmp::Ordering::Less => {
                        marks.next();
                    }
                    std::cmp::Ordering::Equal => {
                        marked = history.current().is_some();
                        marks.next();
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            if !marked {
                out.push(place);
            }
        }
    }

    /// The current mark of an item.
    pub fn mark(&self, item: &str) -> Option<MarkEntry> {
        let i = self.find_mark(item).ok()?;
        let (seq, value) = self.marks[i].1.current()?;
        Some(MarkEntry {
            level: value.level(),
            seq: *seq,
            late: value.late,
        })
    }

    /// Where `item` is in `marks`, or where it would go.
    fn find_mark(&self, item: &str) -> Result<usize, usize> {
        self.marks.binary_search_by(|(id, _)| id.as_str().cmp(item))
    }

    /// The current global rating: level index, and whether given late.
    pub fn global_rating(&self) -> Option<(usize, bool)> {
        self.global.current().map(|(_, v)| *v)
    }

    /// The record that set the current global rating: its seq, the level
    /// index, and whether given late.
    pub fn global_rating_record(&self) -> Option<(u64, usize, bool)> {
        self.global
            .current()
            .map(|&(seq, (level, late))| (seq, level, late))
    }

    /// The record `u` would take back: the latest mark or global rating
    /// still in effect, made since the last submission.
    pub fn last_undoable(&self) -> Option<u64> {
        self.undoable.last().copied()
    }

    /// What a moderation decision (and a standard-setting record) records
    /// of this sheet: the hash of the submission that counts, or "" while
    /// it was never submitted, which no decision holds for. An amendment
    /// not submitted again leaves the last submission counting (results
    /// use the sheet as last submitted), so a decision on it still holds
    /// until the amended sheet is submitted.
    pub fn seal(&self) -> String {
        self.seal_str().to_string()
    }

    /// [`SheetState::seal`], borrowed.
    pub fn seal_str(&self) -> &str {
        match (&self.submitted_hash, &self.submitted) {
            (Some(h), Some(_)) => h,
            _ => "",
        }
    }

    /// Submitted and not being amended: no mark may change.
    pub fn is_locked(&self) -> bool {
        self.submitted.is_some() && self.amending.is_none()
    }

    /// Whether an item mark or the global rating is given.
    pub fn has_marks(&self) -> bool {
        self.marks.iter().any(|(_, h)| h.current().is_some()) || self.global.current().is_some()
    }

    /// The amendment the record `seq` was written in, if it was: the
    /// latest begun before it (a submitted sheet takes marks only once
    /// unlocked to amend, so whatever follows an amendment's start is
    /// part of one).
    pub fn amendment_of(&self, seq: u64) -> Option<&Amendment> {
        self.amendments.iter().rev().find(|a| a.seq < seq)
    }

    /// Whether anything at all has been recorded beyond opening the sheet.
    pub fn is_started(&self) -> bool {
        !self.marks.is_empty()
            || self.global.current().is_some()
            || !self.timer.is_empty()
            || self.absent.is_some()
    }

    /// The `submitted` record for the sheet as it stands: the score, the
    /// maximum and the outcome `rubric` gives its marks at station
    /// `station` (under the rubric's own pass marks), as the marking screen
    /// and paper import write it.
    pub fn submission(
        &self,
        rubric: &crate::rubric::Rubric,
        station: &crate::rubric::Station,
    ) -> Result<Event, crate::scoring::SheetError> {
        let result = crate::scoring::score_station(
            rubric,
            station,
            Some(&self.to_station_sheet()),
            &crate::scoring::Standards::default(),
        )?;
        Ok(Event::Submitted {
            score: result.score,
            max: result.max,
            outcome: result.outcome,
        })
    }

    /// The marks in the form the scoring engine takes.
    pub fn to_station_sheet(&self) -> StationSheet {
        let mut sheet = StationSheet {
            global_rating: self.global_rating().map(|(level, _)| level),
            absent: self.absent.clone(),
            ..StationSheet::default()
        };
        // Sorted by item id already: the map is built in one pass.
        sheet.marks = self
            .marks
            .iter()
            .filter_map(|(item, history)| Some((item.clone(), in_force(history)?)))
            .collect();
        sheet
    }

    /// The mark in force for `item`, as [`SheetState::to_station_sheet`]
    /// gives it, found without building the whole sheet: `None` where the
    /// item is unmarked.
    pub fn mark_in_force(&self, item: &str) -> Option<ItemMark> {
        let i = self
            .marks
            .binary_search_by(|(id, _)| id.as_str().cmp(item))
            .ok()?;
        in_force(&self.marks[i].1)
    }

    /// The examiner's reason for leaving `what` (an item's id, or
    /// [`GLOBAL_RATING`]) unmarked, as given at submission; `None` where
    /// none was recorded.
    pub fn missing_reason(&self, what: &str) -> Option<&str> {
        self.missing_reasons
            .get(&Unmarked::item(what))
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
    }

    /// [`SheetState::missing_reason`] in words: "the examiner's reason:
    /// …", or "no reason given".
    pub fn unmarked_reason(&self, what: &str) -> String {
        self.missing_reason(what)
            .map_or("no reason given".to_string(), |r| {
                format!("the examiner's reason: {r}")
            })
    }

    /// What the submitted sheet leaves unmarked that the examiner gave a
    /// reason for, with the reason: nothing while it is not submitted.
    pub fn left_unmarked(&self) -> impl Iterator<Item = (&Unmarked, &str)> {
        self.missing_reasons
            .iter()
            .filter(|_| self.submitted.is_some())
            .filter(|(what, _)| match what.item_id() {
                Some(item) => self.mark(item).is_none(),
                None => self.global_rating().is_none(),
            })
            .map(|(what, reason)| (what, reason.trim()))
    }

    /// The timer's pauses, in order, each with its reason (given in the
    /// pause's record, or in a `pause_reason` record after it).
    pub fn pauses(&self) -> Vec<Pause> {
        let mut pauses: Vec<Pause> = Vec::new();
        let mut open: Option<(usize, DateTime<Utc>)> = None;
        for t in &self.timer {
            match &t.action {
                TimerAction::Pause { reason } => {
                    pauses.push(Pause {
                        at: t.elapsed,
                        length: None,
                        reason: reason.clone(),
                    });
                    open = Some((pauses.len() - 1, t.time));
                }
                TimerAction::PauseReason { reason } => {
                    if let Some(p) = pauses.iter_mut().rev().find(|p| p.at == t.elapsed) {
                        p.reason = reason.clone();
                    }
                }
                TimerAction::Resume => {
                    if let Some((i, since)) = open.take() {
                        pauses[i].length = Some((t.time - since).to_std().unwrap_or_default());
                    }
                }
                _ => {}
            }
        }
        pauses
    }

    /// Timer events as [`crate::day::timer::Timer::restore`] takes them.
    pub fn timer_events(&self) -> Vec<(TimerAction, Duration, DateTime<Utc>)> {
        self.timer
            .iter()
            .map(|t| (t.action.clone(), t.elapsed, t.time))
            .collect()
    }
}

/// The mark in force in an item's `history`, in the scoring engine's
/// form: `None` where nothing is.
fn in_force(history: &MarkHistory) -> Option<ItemMark> {
    let (_, value) = history.current()?;
    Some(match value.level() {
        Some(l) => ItemMark::Level(l),
        None => ItemMark::NotObserved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::GENESIS;

    fn record(seq: u64, event: Event) -> Record {
        Record::for_test(seq, "2026-11-22T09:00:00Z", event, GENESIS)
    }

    fn mark(item: &str, level: Option<usize>) -> Event {
        Event::Mark {
            item: item.into(),
            level,
            label: String::new(),
            late: false,
        }
    }

    #[test]
    fn a_mark_is_held_in_less_room_than_an_option_and_reads_back_exactly() {
        assert!(
            std::mem::size_of::<(u64, MarkValue)>() < std::mem::size_of::<(u64, (Option<usize>, bool))>()
        );
        for level in [None, Some(0), Some(7), Some(u32::MAX as usize), Some(usize::MAX)] {
            let value = MarkValue::new(level, true);
            assert_eq!((value.level(), value.late), (level, true));
            let text = serde_json::to_string(&value).expect("json");
            assert_eq!(serde_json::from_str::<MarkValue>(&text).expect("read"), value);
        }
    }

    /// The walk through a sheet's marks finds the items `mark` finds no
    /// mark for, in the order given, whatever the ids and whatever was
    /// undone.
    #[test]
    fn the_items_left_unmarked_are_those_with_no_mark_in_force() {
        let ids = ["b", "a1", "consent", "a", "z", "a10", "é"];
        let records = [
            record(1, mark("a1", Some(1))),
            record(2, mark("z", None)),
            record(3, mark("consent", Some(0))),
            record(4, mark("a", Some(2))),
            record(5, Event::Undo { undoes: 4 }),
            record(6, mark("gone", Some(1))),
        ];
        let state = SheetState::replay(&records);
        let mut sorted: Vec<(&str, usize)> = ids.iter().enumerate().map(|(p, id)| (*id, p)).collect();
        sorted.sort_unstable();
        let mut places = Vec::new();
        state.unmarked_places(&sorted, &mut places);
        places.sort_unstable();
        let expected: Vec<usize> = (0..ids.len()).filter(|&p| state.mark(ids[p]).is_none()).collect();
        assert_eq!(places, expected);
        assert_eq!(
            places.iter().map(|&p| ids[p]).collect::<Vec<_>>(),
            ["b", "a", "a10", "é"]
        );
    }

    /// The archive keeps a sheet as JSON with what is empty left out: read
    /// back, every field is as it was, set or empty.
    #[test]
    fn a_sheet_kept_as_json_reads_back_the_same_and_leaves_out_what_is_empty() {
        let empty = SheetState::default();
        let text = serde_json::to_string(&empty).expect("json");
        assert_eq!(text, r#"{"marks":[],"global":[],"records":0}"#);
        assert_eq!(serde_json::from_str::<SheetState>(&text).expect("read"), empty);

        let time: DateTime<Utc> = "2026-11-22T09:00:00.250Z".parse().expect("time");
        let amendment = Amendment {
            seq: 5,
            time,
            examiner: "e.jones".into(),
            reason: "wrong item".into(),
        };
        let full = SheetState {
            marks: vec![(
                "a".into(),
                History {
                    entries: smallvec::smallvec![
                        (1, MarkValue::new(Some(2), false)),
                        (2, MarkValue::new(None, true))
                    ],
                },
            )],
            global: History {
                entries: smallvec::smallvec![(3, (1, false))],
            },
            undoable: vec![2, 3],
            feedback: "well done".into(),
            notes: "quiet room".into(),
            feedback_draft: Some("draft".into()),
            notes_draft: Some("note draft".into()),
            concerns: BTreeMap::from([(ConcernKind::PatientSafety, "hands".into())]),
            concern_drafts: BTreeMap::from([(ConcernKind::Other, "late".into())]),
            counted_version: Some("5eccf4294e16".into()),
            missing_reasons: BTreeMap::from([(Unmarked::Item("b".into()), "not reached".into())]),
            absent: Some("unwell".into()),
            imported: Some("paper.csv".into()),
            confirmed: Some("Aisha Khan".into()),
            submitted: Some(Submission {
                seq: 4,
                time,
                score: 3.5,
                max: 4.0,
                outcome: crate::scoring::StationOutcome::Pass,
            }),
            earlier_submissions: vec![Submission {
                seq: 2,
                time,
                score: 4.0,
                max: 4.0,
                outcome: crate::scoring::StationOutcome::Pass,
            }],
            amending: Some(Box::new(amendment.clone())),
            amendments: vec![amendment],
            timer: vec![TimerEntry {
                action: TimerAction::End,
                elapsed: Duration::from_millis(1500),
                time,
                due: Some(time),
            }],
            first: Some(time),
            last: Some((6, time)),
            submitted_hash: Some("ab".repeat(32)),
            records: 6,
        };
        let text = serde_json::to_string(&full).expect("json");
        assert_eq!(
            serde_json::from_str::<SheetState>(&text).expect("read"),
            full,
            "{text}"
        );
    }

    #[test]
    fn undo_restores_the_previous_value_and_never_crosses_a_submission() {
        let records = [
            record(1, mark("a", Some(1))),
            record(2, mark("a", Some(2))),
            record(3, mark("b", None)),
            record(4, Event::Undo { undoes: 3 }),
            record(5, Event::Undo { undoes: 2 }),
        ];
        let s = SheetState::replay(&records);
        assert_eq!(s.mark("a").map(|m| m.level), Some(Some(1)));
        assert_eq!(s.mark("b"), None);
        assert_eq!(s.last_undoable(), Some(1));
        let sheet = s.to_station_sheet();
        assert_eq!(sheet.marks.get("a"), Some(&ItemMark::Level(1)));

        let mut s = s;
        s.apply(&record(
            6,
            Event::Submitted {
                score: 1.0,
                max: 2.0,
                outcome: crate::scoring::StationOutcome::Fail,
            },
        ));
        assert!(s.is_locked());
        assert_eq!(s.last_undoable(), None);
        s.apply(&record(
            7,
            Event::AmendStarted {
                reason: "typo".into(),
            },
        ));
        assert!(!s.is_locked());
        assert_eq!(s.amendments.len(), 1);
        s.apply(&record(8, mark("a", Some(2))));
        assert_eq!(s.last_undoable(), Some(8));
    }

    #[test]
    fn pauses_carry_their_reason_and_length() {
        let timer = |seq, minute: u32, action, elapsed_ms| {
            Record::for_test(
                seq,
                &format!("2026-11-22T09:{minute:02}:00Z"),
                Event::Timer {
                    action,
                    elapsed_ms,
                    due: None,
                },
                GENESIS,
            )
        };
        let records = [
            timer(1, 0, TimerAction::Start, 0),
            // An older journal: the reason in the pause's own record.
            timer(
                2,
                1,
                TimerAction::Pause {
                    reason: "fire alarm".into(),
                },
                60_000,
            ),
            timer(3, 3, TimerAction::Resume, 60_000),
            timer(
                4,
                5,
                TimerAction::Pause {
                    reason: String::new(),
                },
                190_000,
            ),
            timer(
                5,
                5,
                TimerAction::PauseReason {
                    reason: "model felt faint".into(),
                },
                190_000,
            ),
            timer(
                6,
                7,
                TimerAction::Pause {
                    reason: String::new(),
                },
                200_000,
            ),
        ];
        let words: Vec<String> = SheetState::replay(&records)
            .pauses()
            .iter()
            .map(Pause::words)
            .collect();
        assert_eq!(
            words,
            [
                "paused 2:00 at 1:00: fire alarm",
                "paused (not resumed) at 3:10: model felt faint",
                "paused (not resumed) at 3:20: no reason given",
            ]
        );
    }

    #[test]
    fn global_rating_comments_concerns() {
        let records = [
            record(
                1,
                Event::GlobalRating {
                    level: 2,
                    label: "Clear pass".into(),
                    late: true,
                },
            ),
            record(2, Event::Feedback { text: "Good".into() }),
            record(
                3,
                Event::Concern {
                    kind: ConcernKind::PatientSafety,
                    note: "Probe".into(),
                },
            ),
            record(
                4,
                Event::ConcernWithdrawn {
                    kind: ConcernKind::PatientSafety,
                    reason: "Mistaken".into(),
                },
            ),
            record(
                5,
                Event::Concern {
                    kind: ConcernKind::Other,
                    note: "Late".into(),
                },
            ),
        ];
        let s = SheetState::replay(&records);
        assert_eq!(s.global_rating(), Some((2, true)));
        assert_eq!(s.feedback, "Good");
        assert_eq!(
            s.concerns.keys().copied().collect::<Vec<_>>(),
            [ConcernKind::Other]
        );
    }
}
