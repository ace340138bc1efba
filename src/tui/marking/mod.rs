//! The examiner's marking session: state, and `update` from an [`Action`]
//! to new state plus the [`Effect`]s the executor must perform.
//!
//! `update` does no I/O and reads no clock: time arrives in `Tick`, and a
//! mark reaches the sheet only when the executor reports it durable
//! (`Appended`). So the screen never shows a mark the disk does not hold.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ratatui_textarea::{Input, TextArea};

use crate::day::circuit::{CircuitPlan, Standing};
use crate::day::timer::{Happening, Phase, StationTimings, Timer, fmt_countdown};
use crate::rubric::{Rubric, Station};
use crate::scoring::{Standards, StationResult, score_station};
use crate::store::{
    ConcernKind, Event, Health, Record, SaveProblem, SheetKey, SheetState, TimerAction, Unmarked,
};

use crate::tui::textbox::{text_box as text_area, text_of};
use home::Home;

mod clock;
pub use clock::Arrival;
use clock::RoundByClock;
mod dialogs;
pub mod executor;
pub mod home;
pub mod keys;
mod scoring;
pub mod session;
mod sheets;
#[cfg(test)]
mod tests;
pub mod view;

/// A candidate as the examiner sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub name: String,
}

/// How the examiner works through the exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// One candidate at a time through every station, in order.
    CandidateByCandidate,
    /// The examiner stays at one station (index into the rubric's
    /// stations); candidates arrive in order.
    Circuit { station: usize },
}

/// Everything fixed for a marking session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub rubric: Arc<Rubric>,
    pub rubric_hash: String,
    pub examiner: String,
    pub device: String,
    pub mode: Mode,
    /// In candidate mode, the candidates in order (often just one); in
    /// circuit mode, the arrival order at the station.
    pub candidates: Vec<Candidate>,
    /// Station to begin at in candidate mode.
    pub first_station: usize,
    /// Whether the examiner named that station for one named candidate
    /// (`--candidate` with `--station`): its sheet is shown first even when
    /// submitted, not skipped.
    pub station_asked: bool,
    /// That station is where to begin, as the home screen's "Start at"
    /// is (not a sheet resumed): where its sheet is submitted already, the
    /// first sheet after it not submitted is shown instead, if one is
    /// left (← goes back to it).
    pub begin_at: bool,
    /// A sheet resumed from the home screen's list of unfinished sheets:
    /// its station is where the examiner was, not one they named, and the
    /// candidate's stations follow one another after it.
    pub resumed: bool,
    /// In circuit mode, the station's rounds: who comes in which round,
    /// the rests between, and the circuit's start time if the roster gives
    /// one.
    pub circuit: Option<CircuitPlan>,
    /// What the examiner should know about a candidate before marking, by
    /// candidate id: a logbook gate recorded as not met, say. A warning,
    /// not a refusal: programmes differ.
    pub warnings: std::collections::BTreeMap<String, String>,
    /// The results of components assessed outside the stations that the
    /// exam lead recorded in the sessions folder (the logbook gate, say),
    /// by candidate id, then component id: the provisional result counts
    /// them, as the export does.
    pub components:
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, crate::scoring::ComponentMark>>,
    /// What the examiner should know before marking starts (a roster's
    /// warnings): shown on the first screen.
    pub notes: Vec<String>,
}

/// What the screen is showing.
#[derive(Debug)]
pub enum Screen {
    Home(Box<Home>),
    /// The candidate's id and name, large, before their sheet opens.
    Confirm,
    Scoring,
    Comment(Box<CommentEditor>),
    Concern(Box<ConcernEditor>),
    Reason(Box<ReasonPrompt>),
    Submit(Box<SubmitSummary>),
    /// Every sheet of the session is submitted.
    Finished,
}

/// Feedback to the candidate and the examiner's private notes.
#[derive(Debug)]
pub struct CommentEditor {
    pub feedback: TextArea<'static>,
    pub notes: TextArea<'static>,
    /// The box being typed in.
    pub focus: CommentField,
    /// The feedback and the notes as last written to the journal (saved or
    /// drafted): a tick writes a draft of what differs from them.
    drafted: [String; 2],
    /// When a draft was last written (monotonic): at most one a second.
    drafted_at: Option<Duration>,
}

/// The comment box's two fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentField {
    Feedback,
    Notes,
}

impl CommentField {
    /// The other field (tab).
    pub fn other(self) -> CommentField {
        match self {
            CommentField::Feedback => CommentField::Notes,
            CommentField::Notes => CommentField::Feedback,
        }
    }
}

impl CommentEditor {
    /// The field being typed in.
    pub fn focused_mut(&mut self) -> &mut TextArea<'static> {
        match self.focus {
            CommentField::Feedback => &mut self.feedback,
            CommentField::Notes => &mut self.notes,
        }
    }
}

/// How often, at most, the comment box writes a draft of what is typed:
/// a crash loses at most this much typing.
pub const DRAFT_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct ConcernEditor {
    /// The kind of concern chosen.
    pub kind: ConcernKind,
    /// One note per kind, in [`ConcernKind::ALL`] order, so switching kind
    /// never carries one note over to another.
    notes: Vec<TextArea<'static>>,
    /// Each note as last written to the journal (raised or drafted), in
    /// the same order: a tick writes a draft of what differs from it.
    drafted: Vec<String>,
    /// When a draft was last written (monotonic): at most one a second.
    drafted_at: Option<Duration>,
}

impl ConcernEditor {
    fn slot(kind: ConcernKind) -> usize {
        ConcernKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
    }

    /// The note of the kind chosen.
    pub fn note(&self) -> &TextArea<'static> {
        &self.notes[Self::slot(self.kind)]
    }

    fn note_mut(&mut self) -> &mut TextArea<'static> {
        &mut self.notes[Self::slot(self.kind)]
    }

    /// The next (or previous) kind, round the list.
    fn cycle(&mut self, forward: bool) {
        let n = ConcernKind::ALL.len();
        let i = Self::slot(self.kind);
        self.kind = ConcernKind::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    /// Each kind with its note.
    fn kinds_and_notes(&self) -> impl Iterator<Item = (ConcernKind, &TextArea<'static>)> {
        ConcernKind::ALL.iter().copied().zip(&self.notes)
    }
}

/// A one-line reason the examiner must give.
#[derive(Debug)]
pub struct ReasonPrompt {
    pub purpose: ReasonFor,
    pub text: TextArea<'static>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReasonFor {
    /// The timer stopped when space was pressed, at this timer time, and
    /// the pause is recorded; its reason is recorded when given.
    Pause {
        at: Duration,
    },
    Amend,
    Absent,
    /// Why these are left unmarked.
    Missing(Vec<Unmarked>),
    /// Withdrawing a concern of this kind.
    Withdraw(ConcernKind),
    /// Correcting the candidate's name on the sheet ([`NameDiffers`]).
    NameCorrection,
}

impl ReasonFor {
    pub fn title(&self) -> &'static str {
        match self {
            ReasonFor::Pause { .. } => "Why is the timer paused?",
            ReasonFor::Amend => "Why is this submitted sheet being amended?",
            ReasonFor::Absent => "Why is the candidate absent?",
            ReasonFor::Missing(_) => "Why could these not be judged?",
            ReasonFor::Withdraw(_) => "Why is the concern withdrawn?",
            ReasonFor::NameCorrection => "Why is the candidate's name corrected?",
        }
    }
}

/// A sheet opened under another name than the one it was started with:
/// it keeps its name unless the examiner corrects it (with a reason), and
/// nothing is written until they choose.
#[derive(Debug, Clone, PartialEq)]
pub struct NameDiffers {
    /// The name the sheet names the candidate by.
    pub recorded: String,
    /// The name given now (on the command line, the home screen, a roster).
    pub given: String,
    /// What waits to be written once the examiner chooses (what fell due
    /// on the timer meanwhile).
    pending: Vec<Event>,
}

/// A question put to the examiner before something easily regretted:
/// `y` (or enter) goes ahead, `n` (or esc) stays where they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub question: String,
    pub detail: String,
    pub yes: AskFor,
}

/// What a yes to an [`Ask`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskFor {
    Quit,
    /// Submit the sheet although the station's time is not up.
    Submit,
    /// Move to the next (or previous) sheet, leaving this one unsubmitted.
    Move {
        forward: bool,
    },
    /// Reset the station timer although marks are given.
    ResetTimer,
}

#[derive(Debug)]
pub struct SubmitSummary {
    pub result: StationResult,
    /// What is unmarked with no recorded reason.
    pub unexplained: Vec<Unmarked>,
}

/// The open sheet: one candidate at one station.
#[derive(Debug)]
pub struct Sheet {
    pub key: SheetKey,
    pub station: usize,
    pub candidate: Candidate,
    pub state: SheetState,
    pub timer: Option<Timer>,
    /// Row: items first, then the global rating.
    pub cursor: usize,
    /// Digits typed so far, for scales with more than ten levels.
    pub digits: String,
    /// What replay found and set aside, to tell the examiner.
    pub quarantine: Option<String>,
    /// Whether this run has written the sheet's `Opened` record yet.
    pub introduced: bool,
}

/// In a station circuit, after a sheet is submitted while its candidate's
/// time runs on: the candidate is still in the room until the station's
/// changeover ends, and only then does the next one come.
#[derive(Debug, Clone)]
pub struct Leaving {
    pub candidate: Candidate,
    /// The round (0 for the first) the candidate was here in.
    pub round: Option<usize>,
    /// A copy of the submitted sheet's timer, to count down to the end of
    /// changeover (nothing more is recorded on the sheet).
    pub timer: Timer,
    /// When the changeover ended (the candidate left), once the timer
    /// has said so.
    pub left: Option<Ended>,
}

/// When a station timer ran its course (the end of changeover: the
/// candidate left): by the monotonic clock, and on the timer (the two
/// differ by the timer's pauses and a soft time-up's overrun).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ended {
    pub at: Duration,
    pub on_timer: Duration,
}

/// What a finished sheet of a station circuit says of its round: what a
/// restarted screen needs to carry the rotation on (the candidate still
/// in the room, the rests to come).
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// When it was first submitted (for an absence, when it was recorded).
    pub at: DateTime<Utc>,
    /// The candidate was absent.
    pub absent: bool,
    /// Its timer's events, as recorded: (action, timer time, wall time).
    pub timer: Vec<(TimerAction, Duration, DateTime<Utc>)>,
}

/// What a survey of the store found of one sheet: where it stands, the
/// examiner's reason where it is absent, and its timer's records where it
/// is being marked (to say, before it opens again, that its time is up).
pub type Surveyed = (SheetKey, Progress, Option<String>, Vec<TimerEvent>);

/// A timer record as the sheet holds it: what was done, at what timer time,
/// at what wall time.
pub type TimerEvent = (crate::store::TimerAction, Duration, chrono::DateTime<chrono::Utc>);

/// Where one sheet stands, from a survey of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    NotStarted,
    Started,
    /// Submitted, then unlocked to amend, and not submitted again.
    Amending,
    Submitted,
    Absent,
}

impl Progress {
    pub fn of(state: &SheetState) -> Progress {
        if state.absent.is_some() && state.is_locked() {
            Progress::Absent
        } else if state.is_locked() {
            Progress::Submitted
        } else if state.amending.is_some() {
            Progress::Amending
        } else if state.is_started() || state.submitted.is_some() {
            Progress::Started
        } else {
            Progress::NotStarted
        }
    }
}

/// Whether what the screen shows is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Nothing,
    Saving,
    /// Durable: the record number and when it was written.
    Saved {
        seq: u64,
        time: DateTime<Utc>,
    },
    /// The last change did NOT reach the disk.
    Failed(SaveProblem),
}

/// How the notice of an amendment submitted begins (it goes on to say
/// what the sheet is now, and was).
pub const AMENDMENT_SAVED: &str = "Amendment submitted and saved";

/// A candidate's provisional overall result at the end of their marking
/// (candidate by candidate): the scoring engine's result from the sheets
/// submitted on this laptop, under the rubric's provisional pass marks.
/// Never final: the exam board ratifies results, other examiners' sheets
/// and moderation are not in it, and pass marks may be standard-set.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionalResult {
    pub candidate: Candidate,
    pub result: crate::scoring::AssessmentResult,
    /// The rubric leaves pass marks to standard setting (or its cut adds
    /// the SEM): the result is under provisional ones.
    pub pass_marks_provisional: bool,
}

/// What the screen must say about saving, above everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alarm<'a> {
    /// Marks are NOT being saved: the last change failed, or the folder
    /// cannot be written.
    NotSaving(&'a SaveProblem),
    /// Saving works again, but a change made while it did not is still
    /// not on disk.
    Unsaved,
    /// Still saving, but the disk is nearly full (bytes free).
    Low(u64),
}

/// Everything the user (or the clock, or the executor) can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    PrevStation,
    NextStation,
    Digit(u8),
    Enter,
    NotObserved,
    GlobalRating,
    Comment,
    Concern,
    StartPause,
    /// Reset a timer started by mistake.
    ResetTimer,
    Advance,
    Undo,
    Submit,
    Amend,
    Absent,
    Withdraw,
    Tab,
    Escape,
    Save,
    Help,
    /// Show the station's candidate instructions and examiner notes.
    Info,
    Quit,
    /// A key for a text field.
    Text(Input),
    Tick {
        now: Duration,
        wall: DateTime<Utc>,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
}

/// What the executor reports back from an [`Effect`].
#[derive(Debug)]
pub enum Reply {
    /// A sheet's journal is open and locked, and this is what it holds.
    Opened {
        key: SheetKey,
        records: Vec<Record>,
        quarantine: Option<String>,
    },
    OpenFailed {
        message: String,
    },
    /// A record is durable on disk.
    Appended(Record),
    /// A record could not be written.
    AppendFailed(SaveProblem),
    /// Whether the sessions folder can be written, checked when a session
    /// starts and every few seconds after.
    Disk(Health),
    /// Where the asked-for sheets stand, with the reason recorded for a
    /// sheet recorded absent.
    Surveyed(Vec<Surveyed>),
    /// What the finished sheets asked for by [`Effect::Recall`] say of
    /// their rounds.
    Recalled(Vec<(SheetKey, Finished)>),
    /// The home screen's choices make this session: start it.
    Start(Box<Session>),
    /// The home screen's choices make no session, and why.
    LaunchFailed(String),
    /// The rubric file chosen changed since the home screen listed it: as
    /// it is now, in its place in the list; nothing started.
    RubricReread {
        index: usize,
        choice: Box<home::RubricChoice>,
    },
    /// The home screen again, once marking started from it ends (`None`:
    /// it cannot be built, and osce ends).
    Home(Option<Box<Home>>),
    /// A candidate's submitted sheets on this laptop, by station id, as
    /// read for [`Effect::Standing`].
    Standing {
        candidate: String,
        sheets: Vec<(String, crate::scoring::StationSheet)>,
    },
}

/// What the executor must do for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open (creating if needed) and lock a sheet's journal, and replay it.
    Open(SheetKey),
    /// Append a record to the open sheet and make it durable. The executor
    /// stops a batch at the first failure.
    Append(Event),
    /// Ring the terminal bell.
    Bell,
    /// Close the open sheet's journal and release its lock.
    Close,
    /// Read (without locking) where each of these sheets stands.
    Survey(Vec<SheetKey>),
    /// Read (without locking) what these finished sheets of a station
    /// circuit say of their rounds ([`Reply::Recalled`]).
    Recall(Vec<SheetKey>),
    /// Read a candidate's submitted sheets (these keys) for their
    /// provisional overall result ([`Action::Standing`]).
    Standing { candidate: String, keys: Vec<SheetKey> },
    /// Start marking as the home screen's choices say; `remember` is
    /// what to keep of them for next time.
    Launch {
        launch: home::Launch,
        remember: crate::tui::remember::Remembered,
    },
    /// Marking started from the home screen ended: build the home screen
    /// again (what is unfinished has changed).
    Home,
}

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub struct App {
    pub session: Option<Session>,
    pub screen: Screen,
    pub help: bool,
    /// How far the help is scrolled (where the screen is too low for it).
    pub help_scroll: u16,
    pub width: u16,
    pub height: u16,
    /// Monotonic time, from the last tick.
    pub now: Duration,
    pub wall: DateTime<Utc>,
    pub sheet: Option<Sheet>,
    /// Index into `session.candidates`.
    pub candidate: usize,
    /// Station (index into the rubric's stations) in candidate mode.
    pub station: usize,
    pub saved: Saved,
    /// Whether the sessions folder can be written, as last checked.
    pub disk: Health,
    /// A save failed, and nothing the examiner did has been saved since
    /// (the timer's own records, saved meanwhile, do not count).
    pub unsaved: bool,
    /// A message for the examiner: what a key could not do, and why.
    pub notice: Option<String>,
    /// Candidates confirmed in this run (candidate mode confirms once).
    confirmed: HashSet<String>,
    /// Appends asked for and not yet answered.
    awaiting: usize,
    /// The open dialog closes once its own appends are durable (and not
    /// because some other record, such as a timer call, was written).
    closing: bool,
    /// Where each (candidate, station) of the session stands, as surveyed.
    progress: std::collections::HashMap<(String, String), Progress>,
    /// The timer records of sheets being marked, as last surveyed.
    timers: std::collections::HashMap<(String, String), Vec<TimerEvent>>,
    /// The reason recorded for each (candidate, station) recorded absent,
    /// as surveyed: said wherever the sheet is seen again.
    absences: std::collections::HashMap<(String, String), String>,
    /// A survey was asked for to find the next sheet after a submission.
    advance_pending: bool,
    /// The submission was an amendment's, made after the candidate left:
    /// the next sheet waits for its confirmation, not opened at once.
    after_amendment: bool,
    /// The examiner confirmed the candidate on the confirm screen: record
    /// it when the sheet opens.
    confirming: bool,
    pub quit: bool,
    /// Started from the home screen: quitting marking goes back to it.
    pub from_home: bool,
    /// The examiner named the station to start at: the first survey shows
    /// it rather than moving on from a sheet already submitted.
    start_here: bool,
    /// The station the examiner named, candidate by candidate: no other
    /// station's sheet opens without the examiner's enter (after this one
    /// is submitted, or with ←/→), until they press it at another station.
    /// A third marker after a referral marks the one station; a stray
    /// digit must not start a sheet at a station others marked.
    named: Option<usize>,
    pub app_version: String,
    /// Offset of the examiner's local time from UTC, for the times shown
    /// (records are always written in UTC).
    pub utc_offset: chrono::FixedOffset,
    /// The station's candidate instructions and examiner notes are shown.
    pub info: bool,
    /// How far the station's instructions are scrolled.
    pub info_scroll: u16,
    /// A question the examiner must answer first (drawn over the screen).
    pub ask: Option<Ask>,
    /// The open sheet names the candidate otherwise than given: shown on
    /// the confirmation screen until the examiner chooses.
    pub name_differs: Option<NameDiffers>,
    /// Esc was pressed once in a dialog holding typed text that is not
    /// saved: a second esc leaves without it.
    discard_armed: bool,
    /// Station circuit: the candidate who is still in the room after their
    /// sheet was submitted.
    pub leaving: Option<Leaving>,
    /// Station circuit without a start time: rounds with nobody at this
    /// station follow the last candidate's changeover; they end at this
    /// (monotonic) time.
    pub rest_until: Option<Duration>,
    /// Station circuit without a start time, at a station shorter than the
    /// round: when the round of the candidate who has left ends (the
    /// longer stations still under way until then), by the monotonic
    /// clock; any rests after it run on to [`App::rest_until`].
    round_ends: Option<Duration>,
    /// Station circuit: the round of the sheet last submitted, until the
    /// rests after it (if any) are worked out, once its candidate has left.
    after_round: Option<usize>,
    /// Station circuit without a start time: the sheet last submitted was
    /// an absence, so its own round is a rest too (nobody came).
    absent_rest: bool,
    /// Station circuit without a start time: the screen has just started,
    /// and the rotation is to be carried on from the finished sheets once
    /// the first survey says which they are.
    recall: bool,
    /// Station circuit without a start time: when the round of the
    /// candidate now due began (the bell), by the monotonic clock.
    round_began: Option<Duration>,
    /// The station timer as it ran when the sheet was submitted (which
    /// ends it on the sheet), for [`Leaving`].
    submitted_timer: Option<Timer>,
    /// The provisional overall result of the candidate whose marking just
    /// ended (candidate by candidate).
    pub provisional: Option<ProvisionalResult>,
    /// Station circuit with a clock: where the candidate shown was at the
    /// last tick (`None` since another was shown), to ring the bell when
    /// their round begins and to follow the clock when it ends.
    shown: Option<Arrival>,
    /// The round of the candidate [`App::shown`] is about: while an
    /// earlier sheet is shown, the candidate the clock brings.
    shown_round: Option<usize>,
    /// Station circuit with a clock: the examiner moved (← or →) to a
    /// candidate whose round is over, to look back: the rotation goes on,
    /// its calls ring, and the screen does not follow the clock away.
    looking_back: bool,
    /// When the open sheet's station timer ran its course (the end of
    /// changeover): a round after a sheet
    /// submitted later than that began then, not at the submission.
    timer_ended: Option<Ended>,
    /// Where rests follow a sheet submitted after its timer ran its
    /// course, or its candidate left: when they began.
    rest_from: Option<Ended>,
    /// While an earlier sheet is shown: who was called in meanwhile
    /// ("C001 Aisha Khan (round 2)"), for the scoring header.
    pub waiting_words: Option<String>,
    /// What the sheet submitted last was saved as ("Submitted and saved:
    /// C003 at Knee: ABSENT (unwell)."): the end screen says it, however
    /// many keys or rounds have gone by.
    pub last_submitted: Option<String>,
    /// By the circuit's clock, the round under way at the last tick
    /// (`Some(None)` before round 1 and after the last; `None` without a
    /// clock): a notice of the round before goes when another begins.
    clock_round: Option<Option<usize>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("screen", &self.screen)
            .field("saved", &self.saved)
            .finish()
    }
}

impl App {
    /// An app at the home screen.
    pub fn home(home: Home, now: Duration, wall: DateTime<Utc>) -> App {
        let mut app = App::blank(Screen::Home(Box::new(home)), None, now, wall);
        app.from_home = true;
        app
    }

    /// An app that goes straight to marking: the first candidate's
    /// confirmation.
    pub fn marking(session: Session, now: Duration, wall: DateTime<Utc>) -> App {
        let station = session.first_station;
        let start_here = session.station_asked;
        let notes = session.notes.join("\n");
        let mut app = App::blank(Screen::Confirm, Some(session), now, wall);
        app.station = station;
        app.start_here = start_here;
        // Named on the home screen or with --station; not where the home
        // screen's "Start at" was left as shown (carrying on a candidate).
        app.named =
            (start_here && !app.session.as_ref().is_some_and(|s| s.begin_at || s.resumed)).then_some(station);
        app.notice = (!notes.is_empty()).then_some(notes);
        app
    }

    fn blank(screen: Screen, session: Option<Session>, now: Duration, wall: DateTime<Utc>) -> App {
        App {
            session,
            screen,
            help: false,
            help_scroll: 0,
            width: MIN_WIDTH,
            height: MIN_HEIGHT,
            now,
            wall,
            sheet: None,
            candidate: 0,
            station: 0,
            saved: Saved::Nothing,
            disk: Health::Fine,
            unsaved: false,
            notice: None,
            confirmed: HashSet::new(),
            awaiting: 0,
            closing: false,
            progress: std::collections::HashMap::new(),
            timers: std::collections::HashMap::new(),
            absences: std::collections::HashMap::new(),
            advance_pending: false,
            after_amendment: false,
            confirming: false,
            quit: false,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            utc_offset: chrono::Offset::fix(&Utc),
            info: false,
            info_scroll: 0,
            ask: None,
            name_differs: None,
            discard_armed: false,
            leaving: None,
            rest_until: None,
            round_ends: None,
            after_round: None,
            absent_rest: false,
            recall: false,
            round_began: None,
            submitted_timer: None,
            provisional: None,
            shown: None,
            shown_round: None,
            looking_back: false,
            timer_ended: None,
            rest_from: None,
            waiting_words: None,
            last_submitted: None,
            clock_round: None,
            from_home: false,
            start_here: false,
            named: None,
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn rubric(&self) -> Option<&Rubric> {
        self.session.as_ref().map(|s| s.rubric.as_ref())
    }

    /// What the rubric calls its stations: cases in a final clinical
    /// assessment.
    pub fn noun(&self) -> crate::rubric::Noun {
        self.rubric().map(Rubric::noun).unwrap_or_default()
    }

    /// The candidate whose sheet is (or is about to be) open.
    pub fn current_candidate(&self) -> Option<&Candidate> {
        self.session.as_ref()?.candidates.get(self.candidate)
    }

    /// The station index the current or next sheet is for.
    pub fn current_station(&self) -> Option<usize> {
        let s = self.session.as_ref()?;
        Some(match s.mode {
            Mode::Circuit { station } => station,
            Mode::CandidateByCandidate => self.station,
        })
    }

    pub fn station_def(&self) -> Option<&Station> {
        let i = self.current_station()?;
        self.rubric()?.stations.get(i)
    }

    /// Rows on the scoring screen: items, then the global rating if any.
    pub fn rows(&self) -> usize {
        self.station_def()
            .map_or(0, |s| s.items.len() + usize::from(s.global_rating.is_some()))
    }

    /// The banner the screen shows about saving, if any. A failed save
    /// stays on screen until a later change is saved, even if the disk
    /// has been fixed meanwhile: the failed change is still not on disk.
    pub fn alarm(&self) -> Option<Alarm<'_>> {
        if let Saved::Failed(problem) = &self.saved {
            return Some(Alarm::NotSaving(problem));
        }
        if let Health::Unwritable(problem) = &self.disk {
            return Some(Alarm::NotSaving(problem));
        }
        if self.unsaved {
            return Some(Alarm::Unsaved);
        }
        match &self.disk {
            Health::Fine => None,
            Health::Low { free } => Some(Alarm::Low(*free)),
            Health::Unwritable(problem) => Some(Alarm::NotSaving(problem)),
        }
    }

    /// What the executor reported back.
    pub fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        match reply {
            Reply::Opened {
                key,
                records,
                quarantine,
            } => self.opened(key, records, quarantine),
            Reply::OpenFailed { message } => {
                self.notice = Some(message);
                if !matches!(self.screen, Screen::Home(_)) {
                    self.screen = Screen::Confirm;
                }
                Vec::new()
            }
            Reply::Appended(record) => self.appended(record),
            Reply::Surveyed(found) => self.surveyed(found),
            Reply::Recalled(found) => self.recalled(found),
            Reply::AppendFailed(problem) => {
                self.unsaved = true;
                self.awaiting = 0;
                self.closing = false;
                self.saved = Saved::Failed(problem);
                // A draft that did not reach the disk is tried again (at
                // most once a second) from what the disk holds.
                if let (Screen::Comment(editor), Some(sheet)) = (&mut self.screen, &self.sheet) {
                    let state = &sheet.state;
                    editor.drafted = [
                        state
                            .feedback_draft
                            .clone()
                            .unwrap_or_else(|| state.feedback.clone()),
                        state.notes_draft.clone().unwrap_or_else(|| state.notes.clone()),
                    ];
                }
                Vec::new()
            }
            Reply::Disk(health) => {
                self.disk = health;
                Vec::new()
            }
            Reply::Standing { candidate, sheets } => {
                self.stood(&candidate, sheets);
                Vec::new()
            }
            Reply::Start(session) => {
                let station = session.first_station;
                let (width, height, from_home) = (self.width, self.height, self.from_home);
                let utc_offset = self.utc_offset;
                *self = App::marking(*session, self.now, self.wall);
                self.station = station;
                self.width = width;
                self.height = height;
                self.from_home = from_home;
                self.utc_offset = utc_offset;
                self.startup()
            }
            Reply::LaunchFailed(message) => {
                if let Some(home) = self.home_mut() {
                    home.error = Some(message);
                }
                Vec::new()
            }
            Reply::RubricReread { index, choice } => {
                if let Some(home) = self.home_mut() {
                    home.reread(index, *choice);
                }
                Vec::new()
            }
            Reply::Home(None) => {
                self.quit = true;
                Vec::new()
            }
            Reply::Home(Some(home)) => {
                let (width, height, utc_offset) = (self.width, self.height, self.utc_offset);
                *self = App::home(*home, self.now, self.wall);
                self.width = width;
                self.height = height;
                self.utc_offset = utc_offset;
                Vec::new()
            }
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Tick { now, wall } => return self.tick(now, wall),
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                return Vec::new();
            }
            Action::Paste(_) | Action::Text(_) => {}
            _ => {}
        }
        // Nothing can be seen: no key may change anything but quitting.
        if self.too_small() && action != Action::Quit {
            return Vec::new();
        }
        if let Some(ask) = self.ask.take() {
            return match action {
                Action::Enter => self.answered_yes(ask.yes),
                // ctrl-c again while asked whether to quit: quit.
                Action::Quit if ask.yes == AskFor::Quit => self.quit(),
                Action::Escape | Action::Quit => Vec::new(),
                _ => {
                    self.ask = Some(ask);
                    Vec::new()
                }
            };
        }
        if self.help {
            let most = view::help_max_scroll(self, self.height);
            match action {
                Action::Help | Action::Escape | Action::Quit | Action::Enter => self.help = false,
                Action::Up => self.help_scroll = self.help_scroll.min(most).saturating_sub(1),
                Action::Down => self.help_scroll = (self.help_scroll + 1).min(most),
                _ => {}
            }
            return Vec::new();
        }
        if self.info {
            let most = view::info_max_scroll(self, self.width, self.height);
            match action {
                Action::Info | Action::Escape | Action::Quit | Action::Enter => self.info = false,
                Action::Up => self.info_scroll = self.info_scroll.min(most).saturating_sub(1),
                Action::Down => self.info_scroll = (self.info_scroll + 1).min(most),
                _ => {}
            }
            return Vec::new();
        }
        if action == Action::Info && matches!(self.screen, Screen::Scoring | Screen::Confirm) {
            self.info = true;
            self.info_scroll = 0;
            return Vec::new();
        }
        if action == Action::Help
            && !matches!(
                self.screen,
                Screen::Comment(_) | Screen::Concern(_) | Screen::Reason(_)
            )
        {
            self.help = true;
            self.help_scroll = 0;
            return Vec::new();
        }
        if !matches!(action, Action::Escape | Action::Quit) {
            self.discard_armed = false;
        }
        self.notice = None;
        match self.screen {
            Screen::Home(_) => self.home_key(action),
            Screen::Confirm => self.confirm_key(action),
            Screen::Scoring => self.scoring_key(action),
            Screen::Comment(_) => self.comment_key(action),
            Screen::Concern(_) => self.concern_key(action),
            Screen::Reason(_) => self.reason_key(action),
            Screen::Submit(_) => self.submit_key(action),
            Screen::Finished => match action {
                Action::Quit | Action::Enter | Action::Escape => self.quit(),
                // Back from the end: first to the sheet submitted last.
                Action::PrevStation | Action::Up => self.land(),
                Action::NextStation | Action::Down => self.move_to(action),
                _ => Vec::new(),
            },
        }
    }

    /// Ends marking: back to the home screen if it started there, else out.
    fn quit(&mut self) -> Vec<Effect> {
        if self.from_home && self.session.is_some() {
            return vec![Effect::Close, Effect::Home];
        }
        self.quit = true;
        vec![Effect::Close]
    }

    /// Quits, after asking if a sheet of this session is being amended and
    /// not submitted again (the open one, or one left with ←/→).
    pub(super) fn request_quit(&mut self) -> Vec<Effect> {
        self.note_open_sheet();
        let Some(session) = &self.session else {
            return self.quit();
        };
        let mut amending: Vec<String> = self
            .progress
            .iter()
            .filter(|(_, p)| **p == Progress::Amending)
            .map(|((candidate, station), _)| {
                let title = session
                    .rubric
                    .station(station)
                    .map_or(station.as_str(), |s| s.title.as_str());
                format!("{candidate} at {title}")
            })
            .collect();
        if amending.is_empty() {
            return self.quit();
        }
        amending.sort();
        let (whose, is) = if amending.len() == 1 {
            (format!("The sheet of {}", amending[0]), "is")
        } else {
            (format!("The sheets of {}", amending.join(", ")), "are")
        };
        self.ask = Some(Ask {
            question: "Quit with an amendment open?".to_string(),
            detail: format!(
                "{whose} {is} being amended and not submitted again: until then, every result uses the sheet as last submitted, and results are not final. Every change so far is saved; open the sheet again and press s to submit it."
            ),
            yes: AskFor::Quit,
        });
        Vec::new()
    }

    /// Where the open sheet stands, kept with the others' (it changes as
    /// it is marked; the others only as surveyed).
    pub(super) fn note_open_sheet(&mut self) {
        if let Some(sheet) = &self.sheet {
            let at = (sheet.key.candidate.clone(), sheet.key.station.clone());
            self.progress.insert(at.clone(), Progress::of(&sheet.state));
            // Its timer as it now stands, for its confirmation when it is
            // come back to (reset, or run out, since the last survey).
            let timer = sheet.state.timer_events();
            if timer.is_empty() || Progress::of(&sheet.state) != Progress::Started {
                self.timers.remove(&at);
            } else {
                self.timers.insert(at.clone(), timer);
            }
            match &sheet.state.absent {
                Some(reason) => self.absences.insert(at, reason.clone()),
                None => self.absences.remove(&at),
            };
        }
    }

    fn answered_yes(&mut self, yes: AskFor) -> Vec<Effect> {
        match yes {
            AskFor::Quit => self.quit(),
            AskFor::Submit => self.submit_now(),
            AskFor::Move { forward } => self.move_to(if forward {
                Action::NextStation
            } else {
                Action::PrevStation
            }),
            AskFor::ResetTimer => self.reset_timer(),
        }
    }

    /// The open sheet's candidate and station, for questions and notices.
    fn sheet_words(&self) -> String {
        self.sheet
            .as_ref()
            .map(|s| {
                format!(
                    "{} at {}",
                    s.candidate.id,
                    self.station_def().map_or("", |st| st.title.as_str())
                )
            })
            .unwrap_or_default()
    }

    /// Hands the home screen what the executor found on disk.
    pub fn home_mut(&mut self) -> Option<&mut Home> {
        match &mut self.screen {
            Screen::Home(h) => Some(h),
            _ => None,
        }
    }
}

/// The marking screen keeps the contract every screen keeps.
impl crate::tui::screen::Screen for App {
    type Action = Action;
    type Effect = Effect;
    type Reply = Reply;

    fn key(&self, key: crossterm::event::KeyEvent) -> Option<Action> {
        keys::action_for(self, key)
    }

    fn resize(width: u16, height: u16) -> Action {
        Action::Resize { width, height }
    }

    fn paste(text: String) -> Option<Action> {
        Some(Action::Paste(text))
    }

    fn update(&mut self, action: Action) -> Vec<Effect> {
        App::update(self, action)
    }

    fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        App::reply(self, reply)
    }

    fn tick(&self, now: Duration, wall: DateTime<Utc>) -> Option<Action> {
        Some(Action::Tick { now, wall })
    }

    fn start(&mut self) -> Vec<Effect> {
        self.startup()
    }

    fn view(&self, frame: &mut ratatui::Frame, theme: &crate::tui::theme::Theme) {
        view::render(self, frame, theme);
    }

    fn done(&self) -> bool {
        self.quit
    }

    /// A sheet left open unsubmitted (quit mid-candidate, or the window
    /// closed): named, with how to carry on, at the shell prompt the
    /// examiner is left at.
    fn farewell(&self) -> Option<String> {
        let open = self.sheet.as_ref().and_then(|sheet| {
            let station = self.rubric()?.stations.get(sheet.station)?;
            let which = format!("{} at {}", sheet.candidate.id, station.title);
            match Progress::of(&sheet.state) {
                Progress::Started => Some(format!("{which}: not submitted.")),
                Progress::Amending => Some(format!(
                    "{which}: being amended, not submitted again (the submitted version counts meanwhile)."
                )),
                Progress::NotStarted | Progress::Submitted | Progress::Absent => None,
            }
        });
        let elsewhere = self.unsubmitted_elsewhere();
        let others = (!elsewhere.is_empty()).then(|| format!("Not submitted yet: {}.", elsewhere.join(", ")));
        let said: Vec<String> = open.into_iter().chain(others).collect();
        (!said.is_empty()).then(|| {
            format!(
                "{} Everything shown as saved is on disk: run the same command again to carry on.",
                said.join(" ")
            )
        })
    }
}
