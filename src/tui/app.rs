//! The examiner's marking session: state, and `update` from an [`Action`]
//! to new state plus the [`Effect`]s the runner must perform.
//!
//! `update` does no I/O and reads no clock: time arrives in `Tick`, and a
//! mark reaches the sheet only when the runner reports it durable
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

use super::home::Home;

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
    /// In circuit mode, the station's rounds: who comes in which round,
    /// the rests between, and the circuit's start time if the roster gives
    /// one.
    pub circuit: Option<CircuitPlan>,
    /// What the examiner should know about a candidate before marking, by
    /// candidate id: a logbook gate recorded as not met, say. A warning,
    /// not a refusal: programmes differ.
    pub warnings: std::collections::BTreeMap<String, String>,
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
    /// 0: feedback, 1: notes.
    pub focus: usize,
    /// The feedback and the notes as last written to the journal (saved or
    /// drafted): a tick writes a draft of what differs from them.
    drafted: [String; 2],
    /// When a draft was last written (monotonic): at most one a second.
    drafted_at: Option<Duration>,
}

/// How often, at most, the comment box writes a draft of what is typed:
/// a crash loses at most this much typing.
pub const DRAFT_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct ConcernEditor {
    pub kind: usize,
    /// One note per kind, in [`ConcernKind::ALL`] order, so switching kind
    /// never carries one note over to another.
    pub notes: Vec<TextArea<'static>>,
}

impl ConcernEditor {
    pub fn note(&self) -> &TextArea<'static> {
        &self.notes[self.kind]
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
}

/// Where one sheet stands, from a survey of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    NotStarted,
    Started,
    Submitted,
    Absent,
}

impl Progress {
    pub fn of(state: &SheetState) -> Progress {
        if state.absent.is_some() && state.is_locked() {
            Progress::Absent
        } else if state.is_locked() {
            Progress::Submitted
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

/// A candidate's provisional overall result at the end of their marking
/// (candidate by candidate): the scoring engine's result from the sheets
/// submitted on this laptop, under the rubric's provisional pass marks.
/// Never final: the exam board ratifies results, other examiners' sheets
/// and moderation are not in it, and pass marks may be standard-set.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionalResult {
    pub candidate: Candidate,
    pub result: crate::scoring::AssessmentResult,
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

/// Everything the user (or the clock, or the runner) can do.
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
    /// The runner opened a sheet's journal.
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
    /// Whether the sessions folder can be written, checked by the runner
    /// when a session starts and every few seconds after.
    Disk(Health),
    /// Where the asked-for sheets stand.
    Surveyed(Vec<(SheetKey, Progress)>),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The home screen produced a session to start.
    Start(Box<Session>),
    /// A candidate's submitted sheets on this laptop, by station id, as
    /// the runner read them for [`Effect::Standing`].
    Standing {
        candidate: String,
        sheets: Vec<(String, crate::scoring::StationSheet)>,
    },
}

/// What the runner must do for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open (creating if needed) and lock a sheet's journal, and replay it.
    Open(SheetKey),
    /// Append a record to the open sheet and make it durable. The runner
    /// stops a batch at the first failure.
    Append(Event),
    /// Ring the terminal bell.
    Bell,
    /// Close the open sheet's journal and release its lock.
    Close,
    /// Read (without locking) where each of these sheets stands.
    Survey(Vec<SheetKey>),
    /// Read a candidate's submitted sheets (these keys) for their
    /// provisional overall result ([`Action::Standing`]).
    Standing {
        candidate: String,
        keys: Vec<SheetKey>,
    },
    Quit,
    /// Home screen work that needs the disk (see [`super::home`]).
    Home(super::home::HomeEffect),
}

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub struct App {
    pub session: Option<Session>,
    pub screen: Screen,
    pub help: bool,
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
    /// A survey was asked for to find the next sheet after a submission.
    advance_pending: bool,
    /// The examiner confirmed the candidate on the confirm screen: record
    /// it when the sheet opens.
    confirming: bool,
    pub quit: bool,
    /// Started from the home screen: quitting marking goes back to it.
    pub from_home: bool,
    pub app_version: String,
    /// Offset of the examiner's local time from UTC, for the times shown
    /// (records are always written in UTC).
    pub utc_offset: chrono::FixedOffset,
    /// The station's candidate instructions and examiner notes are shown.
    pub info: bool,
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
    /// Station circuit: the round of the sheet last submitted, until the
    /// rests after it (if any) are worked out, once its candidate has left.
    after_round: Option<usize>,
    /// The station timer as it ran when the sheet was submitted (which
    /// ends it on the sheet), for [`Leaving`].
    submitted_timer: Option<Timer>,
    /// The provisional overall result of the candidate whose marking just
    /// ended (candidate by candidate).
    pub provisional: Option<ProvisionalResult>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("screen", &self.screen)
            .field("saved", &self.saved)
            .finish()
    }
}

fn text_area(placeholder: &str, lines: &str) -> TextArea<'static> {
    let mut t = if lines.is_empty() {
        TextArea::default()
    } else {
        TextArea::new(lines.lines().map(str::to_string).collect())
    };
    t.set_placeholder_text(placeholder);
    // Long lines wrap at words in the box, rather than scroll out of view.
    t.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    // Carry on where the text ends, not in front of it.
    t.move_cursor(ratatui_textarea::CursorMove::Bottom);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

fn text_of(t: &TextArea<'_>) -> String {
    t.lines().join("\n").trim_end().to_string()
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
        let mut app = App::blank(Screen::Confirm, Some(session), now, wall);
        app.station = station;
        app
    }

    fn blank(screen: Screen, session: Option<Session>, now: Duration, wall: DateTime<Utc>) -> App {
        App {
            session,
            screen,
            help: false,
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
            advance_pending: false,
            confirming: false,
            quit: false,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            utc_offset: chrono::Offset::fix(&Utc),
            info: false,
            ask: None,
            name_differs: None,
            discard_armed: false,
            leaving: None,
            rest_until: None,
            after_round: None,
            submitted_timer: None,
            provisional: None,
            from_home: false,
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn rubric(&self) -> Option<&Rubric> {
        self.session.as_ref().map(|s| s.rubric.as_ref())
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

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Tick { now, wall } => return self.tick(now, wall),
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                return Vec::new();
            }
            Action::Opened {
                key,
                records,
                quarantine,
            } => return self.opened(key, records, quarantine),
            Action::OpenFailed { message } => {
                self.notice = Some(message);
                if !matches!(self.screen, Screen::Home(_)) {
                    self.screen = Screen::Confirm;
                }
                return Vec::new();
            }
            Action::Appended(record) => return self.appended(record),
            Action::Surveyed(found) => return self.surveyed(found),
            Action::AppendFailed(problem) => {
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
                return Vec::new();
            }
            Action::Disk(health) => {
                self.disk = health;
                return Vec::new();
            }
            Action::Standing { candidate, sheets } => {
                self.stood(&candidate, sheets);
                return Vec::new();
            }
            Action::Start(session) => {
                let station = session.first_station;
                let (width, height, from_home) = (self.width, self.height, self.from_home);
                *self = App::marking(*session, self.now, self.wall);
                self.station = station;
                self.width = width;
                self.height = height;
                self.from_home = from_home;
                return self.startup();
            }
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
            if matches!(
                action,
                Action::Help | Action::Escape | Action::Quit | Action::Enter
            ) {
                self.help = false;
            }
            return Vec::new();
        }
        if self.info {
            if matches!(
                action,
                Action::Info | Action::Escape | Action::Quit | Action::Enter
            ) {
                self.info = false;
            }
            return Vec::new();
        }
        if action == Action::Info && matches!(self.screen, Screen::Scoring | Screen::Confirm) {
            self.info = true;
            return Vec::new();
        }
        if action == Action::Help
            && !matches!(
                self.screen,
                Screen::Comment(_) | Screen::Concern(_) | Screen::Reason(_)
            )
        {
            self.help = true;
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
                Action::PrevStation | Action::NextStation | Action::Up | Action::Down => self.move_to(action),
                _ => Vec::new(),
            },
        }
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.quit = true;
        vec![Effect::Close, Effect::Quit]
    }

    /// Quits, after asking if the open sheet's amendment is not resubmitted.
    fn request_quit(&mut self) -> Vec<Effect> {
        let amending = self
            .sheet
            .as_ref()
            .is_some_and(|s| s.state.amending.is_some() && !s.state.is_locked());
        if !amending {
            return self.quit();
        }
        let who = self
            .sheet
            .as_ref()
            .map(|s| {
                format!(
                    "{} at {}",
                    s.candidate.id,
                    self.station_def().map_or("", |st| st.title.as_str())
                )
            })
            .unwrap_or_default();
        self.ask = Some(Ask {
            question: "Quit with an amendment open?".to_string(),
            detail: format!(
                "The sheet of {who} is being amended and is not submitted again: until it is, it does not count as submitted. Every change so far is saved; open the sheet again and press s to submit it."
            ),
            yes: AskFor::Quit,
        });
        Vec::new()
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

    /// Esc (or ctrl-c, ctrl-q) in a dialog: leaves it without writing. If
    /// text was typed and not saved, the first press says so and a second
    /// one leaves without it; nothing typed is thrown away unasked.
    fn leave_dialog(&mut self, typed: bool) -> Vec<Effect> {
        if typed && !self.discard_armed {
            self.discard_armed = true;
            self.notice = Some(
                "What you typed is not saved: ctrl-s saves it; esc again leaves without it.".to_string(),
            );
            return Vec::new();
        }
        self.discard_armed = false;
        self.screen = if self.sheet.is_some() && self.name_differs.is_none() {
            Screen::Scoring
        } else {
            Screen::Confirm
        };
        Vec::new()
    }

    /// The examiner's choice on a sheet started under another name.
    fn name_differs_key(&mut self, action: Action) -> Vec<Effect> {
        let key = match &action {
            Action::Text(Input {
                key: ratatui_textarea::Key::Char(c),
                ..
            }) => Some(*c),
            _ => None,
        };
        match (action, key) {
            (_, Some('k')) => {
                let Some(nd) = self.name_differs.take() else {
                    return Vec::new();
                };
                self.rename_candidate(&nd.recorded);
                self.screen = Screen::Scoring;
                let mut events = self.introduce();
                events.extend(nd.pending);
                self.append_events(events)
            }
            (_, Some('c')) => {
                self.screen = Screen::Reason(Box::new(ReasonPrompt {
                    purpose: ReasonFor::NameCorrection,
                    text: text_area("e.g. roster not updated after a change of name", ""),
                }));
                Vec::new()
            }
            (Action::Escape | Action::Quit, _) => {
                self.name_differs = None;
                self.sheet = None;
                self.saved = Saved::Nothing;
                self.notice = Some(
                    "The sheet was not opened, and nothing was written. Start again with the name on the sheet, or open it and correct the name (c)."
                        .to_string(),
                );
                vec![Effect::Close]
            }
            (Action::Enter, _) => {
                self.notice = Some(
                    "The names differ: press k to keep the name on the sheet, or c to correct it (a reason is recorded)."
                        .to_string(),
                );
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The candidate on the open sheet (and in the session) is `name`.
    fn rename_candidate(&mut self, name: &str) {
        let Some(sheet) = &mut self.sheet else { return };
        sheet.candidate.name = name.to_string();
        let id = sheet.candidate.id.clone();
        if let Some(session) = &mut self.session {
            for c in session.candidates.iter_mut().filter(|c| c.id == id) {
                c.name = name.to_string();
            }
        }
    }

    fn home_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Home(home) = &mut self.screen else {
            return Vec::new();
        };
        match home.update(action) {
            super::home::HomeOutcome::Nothing => Vec::new(),
            super::home::HomeOutcome::Effect(e) => vec![Effect::Home(e)],
            super::home::HomeOutcome::Quit => self.quit(),
        }
    }

    /// Hands the home screen what the runner found on disk.
    pub fn home_mut(&mut self) -> Option<&mut Home> {
        match &mut self.screen {
            Screen::Home(h) => Some(h),
            _ => None,
        }
    }

    fn confirm_key(&mut self, action: Action) -> Vec<Effect> {
        if self.name_differs.is_some() {
            return self.name_differs_key(action);
        }
        match action {
            Action::Enter => {
                self.confirming = true;
                self.open_current()
            }
            Action::Absent => {
                let started = match (self.current_candidate(), self.station_def()) {
                    (Some(c), Some(s)) => self.progress_of(&c.id, &s.id) != Progress::NotStarted,
                    _ => false,
                };
                if started {
                    self.notice = Some(
                        "This candidate already has a sheet here, so they cannot be marked absent. Open it (enter) to see it."
                            .to_string(),
                    );
                    return Vec::new();
                }
                self.screen = Screen::Reason(Box::new(ReasonPrompt {
                    purpose: ReasonFor::Absent,
                    text: text_area("e.g. did not arrive; unwell", ""),
                }));
                Vec::new()
            }
            Action::PrevStation | Action::NextStation | Action::Up | Action::Down => self.move_to(action),
            Action::Quit | Action::Escape => self.quit(),
            _ => Vec::new(),
        }
    }

    fn open_current(&mut self) -> Vec<Effect> {
        let (Some(session), Some(candidate), Some(station)) = (
            self.session.as_ref(),
            self.current_candidate(),
            self.current_station(),
        ) else {
            return Vec::new();
        };
        let key = SheetKey {
            assessment: session.rubric.id.clone(),
            station: session.rubric.stations[station].id.clone(),
            candidate: candidate.id.clone(),
            examiner: session.examiner.clone(),
            device: session.device.clone(),
        };
        vec![Effect::Close, Effect::Open(key)]
    }

    /// Moves to another candidate (circuit) or station (candidate mode).
    /// Rest stations are passed over. The new sheet opens after the
    /// examiner confirms the candidate, unless already confirmed.
    fn move_to(&mut self, action: Action) -> Vec<Effect> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let forward = matches!(action, Action::NextStation | Action::Down);
        match session.mode {
            Mode::Circuit { .. } => {
                let n = session.candidates.len();
                if n == 0 {
                    return Vec::new();
                }
                self.candidate = if forward {
                    (self.candidate + 1).min(n - 1)
                } else {
                    self.candidate.saturating_sub(1)
                };
            }
            Mode::CandidateByCandidate => {
                let stations = &session.rubric.stations;
                let mut i = self.station;
                loop {
                    let next = if forward {
                        i.checked_add(1).filter(|j| *j < stations.len())
                    } else {
                        i.checked_sub(1)
                    };
                    match next {
                        Some(j) if stations[j].rest => i = j,
                        Some(j) => {
                            self.station = j;
                            break;
                        }
                        None => {
                            self.notice = Some(
                                if forward {
                                    "This is the last station."
                                } else {
                                    "This is the first station."
                                }
                                .to_string(),
                            );
                            return Vec::new();
                        }
                    }
                }
            }
        }
        let mut effects = vec![Effect::Close];
        self.sheet = None;
        if !matches!(self.saved, Saved::Failed(_)) {
            self.saved = Saved::Nothing;
        }
        let confirmed = self
            .current_candidate()
            .is_some_and(|c| self.confirmed.contains(&c.id));
        let circuit = matches!(session.mode, Mode::Circuit { .. });
        if confirmed && !circuit {
            effects.extend(self.open_current());
        } else {
            self.screen = Screen::Confirm;
        }
        effects
    }

    fn opened(&mut self, key: SheetKey, records: Vec<Record>, quarantine: Option<String>) -> Vec<Effect> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let Some(station) = session.rubric.stations.iter().position(|s| s.id == key.station) else {
            return Vec::new();
        };
        let Some(candidate) = session.candidates.iter().find(|c| c.id == key.candidate).cloned() else {
            return Vec::new();
        };
        let state = SheetState::replay(&records);
        let mut timer = session.rubric.stations[station].timing.as_ref().map(|t| {
            Timer::restore(
                StationTimings::from_timing(t),
                &state.timer_events(),
                self.wall,
                self.now,
            )
        });
        let overdue = timer
            .as_mut()
            .map(|t| overdue(t, self.now, self.wall))
            .unwrap_or_default();
        let cursor = first_unmarked(&session.rubric.stations[station], &state);
        self.confirmed.insert(candidate.id.clone());
        // What is saved is this sheet's own: its last record, or nothing.
        // A failed save stays on screen until a change is saved.
        if !matches!(self.saved, Saved::Failed(_)) {
            self.saved = state
                .last
                .map_or(Saved::Nothing, |(seq, time)| Saved::Saved { seq, time });
        }
        self.sheet = Some(Sheet {
            key,
            station,
            candidate,
            state,
            timer,
            cursor,
            digits: String::new(),
            quarantine: quarantine.clone(),
            introduced: false,
        });
        if let Some(q) = quarantine {
            self.notice = Some(q);
        } else if self
            .sheet
            .as_ref()
            .is_some_and(|s| s.state.feedback_draft.is_some() || s.state.notes_draft.is_some())
        {
            self.notice = Some(
                "A comment was being typed and not saved when osce stopped: c shows it; ctrl-s saves it."
                    .to_string(),
            );
        }
        let confirming = std::mem::take(&mut self.confirming);
        if let Screen::Reason(prompt) = &self.screen
            && prompt.purpose == ReasonFor::Absent
        {
            // The sheet was opened to record an absence: only on a sheet
            // with nothing on it yet.
            let reason = text_of(&prompt.text);
            let state = self.sheet.as_ref().map(|s| &s.state);
            if state.is_some_and(|s| s.is_started() || s.submitted.is_some()) {
                self.screen = Screen::Scoring;
                self.notice = Some(
                    "This candidate already has marks on this sheet, so no absence was recorded. Amend the sheet (A) if it must change."
                        .to_string(),
                );
                return Vec::new();
            }
            self.closing = true;
            return self.append_all(vec![Event::Absent { reason }]);
        }
        // A sheet keeps the name it was started with: another name given
        // now is shown beside it, and nothing is written until the
        // examiner keeps the recorded name or corrects it. With no name
        // given, the sheet's is the candidate's.
        let recorded = self.sheet.as_ref().and_then(|s| s.state.confirmed.clone());
        let given = self
            .sheet
            .as_ref()
            .map(|s| s.candidate.name.clone())
            .unwrap_or_default();
        if let Some(recorded) = recorded {
            if given.is_empty() {
                self.rename_candidate(&recorded);
            } else if given != recorded {
                self.name_differs = Some(NameDiffers {
                    recorded,
                    given,
                    pending: overdue,
                });
                self.screen = Screen::Confirm;
                return Vec::new();
            }
        }
        self.screen = Screen::Scoring;
        if confirming {
            // The examiner confirmed who is in front of them: record it now,
            // and what fell due on the timer while the sheet was not open.
            let mut events = self.introduce();
            events.extend(overdue);
            return self.append_events(events);
        }
        self.append_all(overdue)
    }

    /// The records that go before the first change an examiner makes on a
    /// sheet opened in this run: that it was opened, and who was confirmed
    /// (unless the sheet already says so).
    fn introduce(&mut self) -> Vec<Event> {
        let app_version = self.app_version.clone();
        let Some(sheet) = &mut self.sheet else {
            return Vec::new();
        };
        if sheet.introduced {
            return Vec::new();
        }
        sheet.introduced = true;
        let mut events = vec![Event::Opened { app_version }];
        if sheet.state.confirmed.as_deref() != Some(sheet.candidate.name.as_str()) {
            events.push(Event::Confirmed {
                candidate_name: sheet.candidate.name.clone(),
            });
        }
        events
    }

    /// Appends `events` to the open sheet, after its introduction if this
    /// run has not written it yet.
    fn append_all(&mut self, events: Vec<Event>) -> Vec<Effect> {
        if events.is_empty() {
            return Vec::new();
        }
        let mut all = self.introduce();
        all.extend(events);
        self.append_events(all)
    }

    fn append_events(&mut self, events: Vec<Event>) -> Vec<Effect> {
        self.awaiting += events.len();
        if !events.is_empty() {
            self.saved = Saved::Saving;
        }
        events.into_iter().map(Effect::Append).collect()
    }

    fn appended(&mut self, record: Record) -> Vec<Effect> {
        self.awaiting = self.awaiting.saturating_sub(1);
        self.saved = Saved::Saved {
            seq: record.seq,
            time: record.time,
        };
        // A record just reached the disk: whatever a write test found
        // before, saving works now (the runner's next check asks for the
        // free space).
        if matches!(self.disk, Health::Unwritable(_)) {
            self.disk = Health::Fine;
        }
        // The timer's calls are written by themselves: only something the
        // examiner did shows they have carried on since the failure.
        let automatic = matches!(
            &record.event,
            Event::Timer {
                action: TimerAction::Phase { .. }
                    | TimerAction::Warning { .. }
                    | TimerAction::TimeUp
                    | TimerAction::End,
                ..
            }
        );
        if !automatic {
            self.unsaved = false;
        }
        let Some(sheet) = &mut self.sheet else {
            return Vec::new();
        };
        let undone = match &record.event {
            Event::Undo { undoes } => sheet.state.target_of(*undoes),
            _ => None,
        };
        sheet.state.apply(&record);
        let station = self.session.as_ref().map(|s| &s.rubric.stations[sheet.station]);
        match &record.event {
            Event::Mark { item, .. } => {
                if let Some(st) = station
                    && st.items.get(sheet.cursor).is_some_and(|i| &i.id == item)
                {
                    sheet.cursor =
                        (sheet.cursor + 1).min(st.items.len() + usize::from(st.global_rating.is_some()) - 1);
                }
            }
            Event::Absent { .. } => {
                if let Some(result) = self.summary().map(|s| s.result) {
                    let outcome = result.outcome;
                    return self.append_all(vec![Event::Submitted {
                        score: result.score,
                        max: result.max,
                        outcome,
                    }]);
                }
            }
            Event::Submitted { score, max, outcome } if self.awaiting == 0 => {
                let title = station.map_or(String::new(), |s| s.title.clone());
                self.notice = Some(format!(
                    "Submitted and saved: {} at {title}: {outcome}, {} of {}.",
                    sheet.candidate.id,
                    crate::scoring::fmt_marks(*score),
                    crate::scoring::fmt_marks(*max)
                ));
                return self.after_submit();
            }
            Event::Undo { .. } => {
                if let (Some(target), Some(st)) = (undone, station) {
                    let (row, what) = match &target {
                        crate::store::UndoTarget::Item(id) => (
                            st.items.iter().position(|i| &i.id == id).unwrap_or(sheet.cursor),
                            st.item(id).map_or(id.clone(), |i| i.text.clone()),
                        ),
                        crate::store::UndoTarget::GlobalRating => {
                            (st.items.len(), "the global rating".to_string())
                        }
                    };
                    sheet.cursor = row;
                    self.notice = Some(format!(
                        "Undone: {what}. Its earlier value (if any) is back; the original stays in the record."
                    ));
                }
            }
            _ => {}
        }
        if self.awaiting == 0 && self.closing {
            self.closing = false;
            match &self.screen {
                Screen::Comment(_) | Screen::Concern(_) | Screen::Reason(_) => self.screen = Screen::Scoring,
                Screen::Submit(_) if matches!(record.event, Event::MissingReason { .. }) => {
                    if let Some(summary) = self.summary() {
                        self.screen = Screen::Submit(Box::new(summary));
                    }
                }
                _ => {}
            }
        }
        Vec::new()
    }

    /// After a sheet is submitted: ask the runner where every sheet of the
    /// session stands, then go to the next one not yet submitted.
    fn after_submit(&mut self) -> Vec<Effect> {
        self.advance_pending = true;
        self.leaving = None;
        self.rest_until = None;
        self.after_round = None;
        if let (Some(session), Some(sheet)) = (&self.session, &self.sheet)
            && let Mode::Circuit { .. } = session.mode
        {
            let round = session
                .candidates
                .iter()
                .position(|c| c.id == sheet.candidate.id)
                .and_then(|arrival| session.circuit.as_ref().and_then(|plan| plan.round_of(arrival)));
            self.after_round = round;
            if let Some(mut timer) = self.submitted_timer.take() {
                if timer.display(self.now).phase == Phase::Overrun {
                    // After a soft time-up the candidate leaves once the
                    // sheet is in: changeover starts now.
                    timer.advance(self.now);
                }
                if timer.display(self.now).phase != Phase::Done {
                    self.leaving = Some(Leaving {
                        candidate: sheet.candidate.clone(),
                        round,
                        timer,
                    });
                }
            }
        }
        vec![Effect::Close, Effect::Survey(self.session_keys())]
    }

    /// Every sheet this session's examiner marks on this device.
    pub fn session_keys(&self) -> Vec<SheetKey> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let stations: Vec<&Station> = match session.mode {
            Mode::Circuit { station } => vec![&session.rubric.stations[station]],
            Mode::CandidateByCandidate => session.rubric.scored_stations().collect(),
        };
        let mut keys = Vec::new();
        for c in &session.candidates {
            for s in &stations {
                keys.push(SheetKey {
                    assessment: session.rubric.id.clone(),
                    station: s.id.clone(),
                    candidate: c.id.clone(),
                    examiner: session.examiner.clone(),
                    device: session.device.clone(),
                });
            }
        }
        keys
    }

    /// What the runner must do when a session starts: find where it stands.
    pub fn startup(&mut self) -> Vec<Effect> {
        if self.session.is_none() {
            return Vec::new();
        }
        vec![Effect::Survey(self.session_keys())]
    }

    /// Where a candidate stands at a station, as last surveyed.
    pub fn progress_of(&self, candidate: &str, station: &str) -> Progress {
        self.progress
            .get(&(candidate.to_string(), station.to_string()))
            .copied()
            .unwrap_or(Progress::NotStarted)
    }

    /// The provisional overall result of `candidate` from their sheets.
    fn stood(&mut self, candidate: &str, sheets: Vec<(String, crate::scoring::StationSheet)>) {
        let Some(session) = &self.session else {
            return;
        };
        let Some(who) = session.candidates.iter().find(|c| c.id == candidate).cloned() else {
            return;
        };
        let sheets = crate::scoring::CandidateSheets {
            stations: sheets.into_iter().collect(),
            components: Default::default(),
        };
        self.provisional = crate::scoring::score_candidate(&session.rubric, &sheets, &Standards::default())
            .ok()
            .map(|result| ProvisionalResult {
                candidate: who,
                result,
            });
    }

    /// Candidate by candidate, once every station of the candidate whose
    /// sheet was just submitted is submitted (or absent): read their
    /// sheets for their provisional result.
    fn standing_after(&self, candidate: usize) -> Vec<Effect> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let (Mode::CandidateByCandidate, Some(who)) = (&session.mode, session.candidates.get(candidate))
        else {
            return Vec::new();
        };
        let keys: Vec<SheetKey> = self
            .session_keys()
            .into_iter()
            .filter(|k| k.candidate == who.id)
            .collect();
        let done = keys.iter().all(|k| {
            matches!(
                self.progress_of(&k.candidate, &k.station),
                Progress::Submitted | Progress::Absent
            )
        });
        if !done || keys.is_empty() {
            return Vec::new();
        }
        vec![Effect::Standing {
            candidate: who.id.clone(),
            keys,
        }]
    }

    fn surveyed(&mut self, found: Vec<(SheetKey, Progress)>) -> Vec<Effect> {
        for (key, progress) in found {
            self.progress.insert((key.candidate, key.station), progress);
        }
        let advancing = std::mem::take(&mut self.advance_pending);
        let mut effects = if advancing {
            self.standing_after(self.candidate)
        } else {
            Vec::new()
        };
        effects.extend(self.advance(advancing));
        effects
    }

    /// After a survey: the next sheet to mark, or the end.
    fn advance(&mut self, advancing: bool) -> Vec<Effect> {
        let starting = !advancing && self.sheet.is_none() && matches!(self.screen, Screen::Confirm);
        if !advancing && !starting {
            return Vec::new();
        }
        let Some(session) = &self.session else {
            return Vec::new();
        };
        // (candidate, station) pairs in the order they are marked, from the
        // current one: after it when advancing; when starting, from the
        // candidate and station the examiner asked to start at.
        let stations: Vec<usize> = match session.mode {
            Mode::Circuit { station } => vec![station],
            Mode::CandidateByCandidate => (0..session.rubric.stations.len())
                .filter(|&i| !session.rubric.stations[i].rest)
                .collect(),
        };
        let mut order: Vec<(usize, usize)> = Vec::new();
        for c in 0..session.candidates.len() {
            for &s in &stations {
                order.push((c, s));
            }
        }
        let here = (self.candidate, self.current_station().unwrap_or(0));
        let start = order
            .iter()
            .position(|p| *p == here)
            .map_or(0, |i| if starting { i } else { i + 1 });
        let n = order.len();
        let next = (0..n).map(|k| order[(start + k) % n]).find(|&(c, s)| {
            let id = &session.candidates[c].id;
            let station = &session.rubric.stations[s].id;
            !matches!(
                self.progress_of(id, station),
                Progress::Submitted | Progress::Absent
            )
        });
        match next {
            None => {
                self.sheet = None;
                self.screen = Screen::Finished;
                Vec::new()
            }
            Some((c, s)) => {
                let same_candidate = c == self.candidate && !starting;
                self.candidate = c;
                self.station = s;
                self.sheet = None;
                self.screen = Screen::Confirm;
                let confirmed = self
                    .current_candidate()
                    .is_some_and(|cd| self.confirmed.contains(&cd.id));
                if same_candidate && confirmed && matches!(session.mode, Mode::CandidateByCandidate) {
                    self.open_current()
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn tick(&mut self, now: Duration, wall: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        self.wall = wall;
        // The next candidate is due: the bell calls the examiner back.
        let mut effects = if self.circuit_tick() {
            vec![Effect::Bell]
        } else {
            Vec::new()
        };
        if let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) {
            let happenings = timer.poll(now);
            effects.extend(self.timer_effects(happenings));
        }
        effects.extend(self.draft_comments());
        effects
    }

    /// While the comment box is open: a draft of each text that changed
    /// since it was last written, at most once every [`DRAFT_EVERY`].
    fn draft_comments(&mut self) -> Vec<Effect> {
        let now = self.now;
        let Screen::Comment(editor) = &mut self.screen else {
            return Vec::new();
        };
        if editor
            .drafted_at
            .is_some_and(|at| now.saturating_sub(at) < DRAFT_EVERY)
        {
            return Vec::new();
        }
        let texts = [text_of(&editor.feedback), text_of(&editor.notes)];
        let mut events = Vec::new();
        for (i, text) in texts.into_iter().enumerate() {
            if text != editor.drafted[i] {
                editor.drafted[i] = text.clone();
                events.push(if i == 0 {
                    Event::FeedbackDraft { text }
                } else {
                    Event::NotesDraft { text }
                });
            }
        }
        if events.is_empty() {
            return Vec::new();
        }
        editor.drafted_at = Some(now);
        self.append_all(events)
    }

    /// Resets the open sheet's timer to not started, recording it.
    fn reset_timer(&mut self) -> Vec<Effect> {
        let now = self.now;
        let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) else {
            return Vec::new();
        };
        let elapsed = timer.elapsed(now);
        *timer = Timer::new(timer.plan().clone());
        self.notice = Some("Timer reset: space starts it again. The reset is recorded.".to_string());
        self.append_all(vec![Event::Timer {
            action: TimerAction::Reset,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            due: None,
        }])
    }

    /// Station circuit, between candidates: the leaving candidate's
    /// changeover ending, then any rounds with nobody here. True when the
    /// next candidate is now due (the bell rings).
    fn circuit_tick(&mut self) -> bool {
        let now = self.now;
        if self.sheet.is_some() {
            // The examiner confirmed the next candidate: they are here.
            self.leaving = None;
            self.after_round = None;
            self.rest_until = None;
            return false;
        }
        let mut due = false;
        if let Some(leaving) = &mut self.leaving {
            if leaving.timer.display(now).phase == Phase::Overrun {
                // A soft time-up after the sheet was submitted: nothing is
                // left to mark, so the changeover starts at once.
                leaving.timer.advance(now);
            }
            if leaving.timer.display(now).phase != Phase::Done {
                return false;
            }
            self.leaving = None;
            due = true;
        }
        // Not while the survey after a submission is still to say who is
        // next.
        if let Some(from) = self.after_round.filter(|_| !self.advance_pending) {
            self.after_round = None;
            let rests = self.rests_after(Some(from));
            let plan = self.session.as_ref().and_then(|s| s.circuit.as_ref());
            if let Some(plan) = plan.filter(|p| p.start.is_none() && rests > 0) {
                let rounds = u32::try_from(rests).unwrap_or(u32::MAX);
                self.rest_until = Some(now + plan.round.saturating_mul(rounds));
                return false;
            }
        }
        if self.rest_until.is_some_and(|until| now >= until) {
            self.rest_until = None;
            return true;
        }
        due
    }

    /// How many rounds with nobody at this station come between round
    /// `from` and the round of the candidate now shown.
    fn rests_after(&self, from: Option<usize>) -> usize {
        let (Some(from), Some(next)) = (from, self.current_round()) else {
            return 0;
        };
        next.saturating_sub(from + 1)
    }

    /// Station circuit: the round (0 for the first) of the candidate whose
    /// sheet is open or about to be.
    pub fn current_round(&self) -> Option<usize> {
        self.session.as_ref()?.circuit.as_ref()?.round_of(self.candidate)
    }

    /// Station circuit: the next candidate is not in the room yet (the one
    /// before is, or nobody is due here this round).
    pub fn waiting(&self) -> bool {
        self.leaving.is_some() || self.rest_until.is_some() || self.clock_rest().is_some()
    }

    /// Station circuit with a start time: the clock's round, when nobody is
    /// at this station in it (a rest), with the time left in it.
    fn clock_rest(&self) -> Option<(usize, Duration)> {
        let plan = self.session.as_ref()?.circuit.as_ref()?;
        match plan.standing(self.wall)? {
            Standing::Round { index, left } if plan.rounds.get(index) == Some(&None) => Some((index, left)),
            _ => None,
        }
    }

    /// Station circuit: what the confirmation screen says about the
    /// rounds, in order: who is still in the room, where the circuit's
    /// clock stands (or the rest without one), this candidate's round, and
    /// what the round after it holds. Empty outside a circuit.
    pub fn circuit_lines(&self) -> Vec<String> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let Some(plan) = &session.circuit else {
            return Vec::new();
        };
        let total = plan.rounds.len();
        let mut lines = Vec::new();
        if let Some(leaving) = &self.leaving {
            let d = leaving.timer.display(self.now);
            // Before the changeover, also when they leave: at its end.
            let plan = leaving.timer.plan();
            let leaves = match d.phase {
                Phase::Reading => Some(d.time + plan.station + plan.changeover),
                Phase::Station => Some(d.time + plan.changeover),
                _ => None,
            };
            lines.push(format!(
                "{} {} is still in the room: {} {} left{}",
                leaving.candidate.id,
                leaving.candidate.name,
                d.phase.name(),
                fmt_countdown(d.time),
                leaves.map_or(String::new(), |t| format!(" · leaves in {}", fmt_countdown(t)))
            ));
        }
        match plan.standing(self.wall) {
            Some(Standing::Before(d)) => {
                lines.push(format!(
                    "The circuit starts in {} (round 1 of {total})",
                    fmt_countdown(d)
                ));
            }
            Some(Standing::Round { index, left }) => lines.push(match plan.rounds.get(index) {
                Some(None) => format!(
                    "Now round {} of {total}: no candidate — rest · {} left",
                    index + 1,
                    fmt_countdown(left)
                ),
                _ => format!(
                    "Now round {} of {total} · {} left in the round",
                    index + 1,
                    fmt_countdown(left)
                ),
            }),
            Some(Standing::Over) => lines.push(format!("Every round of the circuit ({total}) is over")),
            None => {
                if let (Some(until), Some(next)) = (self.rest_until, self.current_round()) {
                    // The rest rounds run back to back up to the next
                    // candidate's round: which one is it now?
                    let left = until.saturating_sub(self.now);
                    let round_ms = plan.round.as_millis().max(1);
                    let rounds_left = left.as_millis().div_ceil(round_ms).max(1);
                    let behind = usize::try_from(rounds_left).unwrap_or(next);
                    let in_round = Duration::from_millis(
                        u64::try_from(left.as_millis().saturating_sub((rounds_left - 1) * round_ms))
                            .unwrap_or(0),
                    );
                    lines.push(format!(
                        "Round {} of {total}: no candidate — rest · {} left",
                        next.saturating_sub(behind) + 1,
                        fmt_countdown(in_round)
                    ));
                }
            }
        }
        let n = session.candidates.len();
        if let Some(round) = self.current_round() {
            lines.push(format!(
                "Round {} of {total} · candidate {} of {n} at this station",
                round + 1,
                self.candidate + 1
            ));
            lines.push(match plan.rounds.get(round + 1) {
                None => "This is the last round".to_string(),
                Some(None) => format!("Then round {}: no candidate — rest", round + 2),
                Some(Some(k)) => session.candidates.get(*k).map_or(String::new(), |c| {
                    format!("Then round {}: {} {}", round + 2, c.id, c.name)
                }),
            });
        }
        lines
    }

    fn timer_effects(&mut self, happenings: Vec<Happening>) -> Vec<Effect> {
        let mut bell = false;
        let mut events = Vec::new();
        for h in happenings {
            bell |= matches!(
                h.action,
                TimerAction::Warning { .. }
                    | TimerAction::TimeUp
                    | TimerAction::End
                    | TimerAction::Phase { .. }
            ) && h.at > Duration::ZERO;
            events.push(Event::Timer {
                action: h.action,
                elapsed_ms: u64::try_from(h.at.as_millis()).unwrap_or(u64::MAX),
                due: None,
            });
        }
        let mut effects = self.append_all(events);
        if bell {
            effects.push(Effect::Bell);
        }
        effects
    }

    /// Whether a mark made now is after time-up.
    fn late(&self) -> bool {
        self.sheet
            .as_ref()
            .and_then(|s| s.timer.as_ref())
            .is_some_and(|t| {
                matches!(
                    t.display(self.now).phase,
                    Phase::Overrun | Phase::Changeover | Phase::Done
                )
            })
    }

    fn scoring_key(&mut self, action: Action) -> Vec<Effect> {
        let rows = self.rows();
        let locked = self.sheet.as_ref().is_some_and(|s| s.state.is_locked());
        let Some(sheet) = &mut self.sheet else {
            self.screen = Screen::Confirm;
            return Vec::new();
        };
        match action {
            Action::Up => {
                sheet.cursor = sheet.cursor.saturating_sub(1);
                sheet.digits.clear();
                Vec::new()
            }
            Action::Down => {
                sheet.cursor = (sheet.cursor + 1).min(rows.saturating_sub(1));
                sheet.digits.clear();
                Vec::new()
            }
            Action::PrevStation | Action::NextStation => {
                // Leaving a sheet with marks on it unsubmitted: ask first.
                if sheet.state.is_started() && !locked && sheet.state.absent.is_none() {
                    self.ask = Some(Ask {
                        question: "Leave this sheet unsubmitted?".to_string(),
                        detail: format!(
                            "The sheet of {} has marks on it and is not submitted. Everything on it is saved; come back to it (←/→) to finish and submit it.",
                            self.sheet_words()
                        ),
                        yes: AskFor::Move {
                            forward: action == Action::NextStation,
                        },
                    });
                    return Vec::new();
                }
                self.move_to(action)
            }
            Action::GlobalRating => {
                if self.station_def().is_some_and(|s| s.global_rating.is_some()) {
                    if let Some(sheet) = &mut self.sheet {
                        sheet.cursor = rows - 1;
                    }
                } else {
                    self.notice = Some("This station has no global rating.".to_string());
                }
                Vec::new()
            }
            Action::Digit(_)
            | Action::NotObserved
            | Action::Undo
            | Action::Comment
            | Action::Concern
            | Action::StartPause
            | Action::ResetTimer
            | Action::Advance
            | Action::Absent
                if locked =>
            {
                self.notice = Some(
                    "This sheet is submitted and locked. Press A to amend it (a reason is required)."
                        .to_string(),
                );
                Vec::new()
            }
            Action::Digit(d) => self.digit(d),
            Action::Enter => self.commit_digits(),
            Action::Escape => {
                sheet.digits.clear();
                Vec::new()
            }
            Action::NotObserved => self.not_observed(),
            Action::Undo => match sheet.state.last_undoable() {
                Some(seq) => self.append_all(vec![Event::Undo { undoes: seq }]),
                None => {
                    self.notice =
                        Some("Nothing to undo since the sheet was opened or submitted.".to_string());
                    Vec::new()
                }
            },
            Action::Comment => {
                // What was typed and not saved before a crash comes back
                // (its draft), to be saved or left.
                let state = &sheet.state;
                let feedback = state.feedback_draft.as_ref().unwrap_or(&state.feedback);
                let notes = state.notes_draft.as_ref().unwrap_or(&state.notes);
                let focus = usize::from(state.feedback_draft.is_none() && state.notes_draft.is_some());
                self.screen = Screen::Comment(Box::new(CommentEditor {
                    feedback: text_area("Feedback the candidate will see", feedback),
                    notes: text_area("Private notes for the examiners' record", notes),
                    focus,
                    drafted: [feedback.clone(), notes.clone()],
                    drafted_at: None,
                }));
                Vec::new()
            }
            Action::Concern => {
                let kind = sheet
                    .state
                    .concerns
                    .keys()
                    .next()
                    .and_then(|k| ConcernKind::ALL.iter().position(|c| c == k))
                    .unwrap_or(0);
                let notes = ConcernKind::ALL
                    .iter()
                    .map(|k| {
                        let note = sheet.state.concerns.get(k).map_or("", String::as_str);
                        text_area("What happened (required)", note)
                    })
                    .collect();
                self.screen = Screen::Concern(Box::new(ConcernEditor { kind, notes }));
                Vec::new()
            }
            Action::StartPause => {
                let now = self.now;
                let Some(timer) = &mut sheet.timer else {
                    self.notice = Some("This station is untimed.".to_string());
                    return Vec::new();
                };
                if timer.display(now).phase == Phase::Done {
                    self.notice = Some("The timer has finished.".to_string());
                    Vec::new()
                } else if !timer.is_started() {
                    let h = timer.start(now);
                    self.timer_effects(h)
                } else if timer.is_running() {
                    // The clock stops now and the pause is written now, so
                    // that a crash while the reason is typed keeps it; the
                    // reason follows in its own record.
                    let h = timer.pause(now, String::new());
                    let at = h.first().map_or(Duration::ZERO, |h| h.at);
                    let effects = self.timer_effects(h);
                    self.screen = Screen::Reason(Box::new(ReasonPrompt {
                        purpose: ReasonFor::Pause { at },
                        text: text_area("e.g. model needs a break", ""),
                    }));
                    effects
                } else {
                    let h = timer.resume(now);
                    self.timer_effects(h)
                }
            }
            Action::ResetTimer => {
                let now = self.now;
                let Some(timer) = &sheet.timer else {
                    self.notice = Some("This station is untimed.".to_string());
                    return Vec::new();
                };
                let phase = timer.display(now).phase;
                if !timer.is_started() {
                    self.notice = Some("The timer has not started: nothing to reset.".to_string());
                    Vec::new()
                } else if phase == Phase::Done {
                    self.notice = Some("The timer has finished: it cannot be reset.".to_string());
                    Vec::new()
                } else if sheet.state.has_marks() {
                    self.ask = Some(Ask {
                        question: "Reset the timer?".to_string(),
                        detail: format!(
                            "The sheet of {} has marks on it. Resetting sets the timer back to the start of the station (reading time first); the marks stay, and the reset is recorded with the time the timer had run.",
                            self.sheet_words()
                        ),
                        yes: AskFor::ResetTimer,
                    });
                    Vec::new()
                } else {
                    self.reset_timer()
                }
            }
            Action::Advance => {
                let now = self.now;
                let h = sheet.timer.as_mut().map(|t| t.advance(now)).unwrap_or_default();
                if h.is_empty() {
                    self.notice = Some("Moving on is for after a soft time-up.".to_string());
                }
                self.timer_effects(h)
            }
            Action::Submit => {
                if locked {
                    self.notice = Some("This sheet is already submitted. Press A to amend it.".to_string());
                    return Vec::new();
                }
                if let Some(summary) = self.summary() {
                    self.screen = Screen::Submit(Box::new(summary));
                }
                Vec::new()
            }
            Action::Amend => {
                if locked {
                    self.screen = Screen::Reason(Box::new(ReasonPrompt {
                        purpose: ReasonFor::Amend,
                        text: text_area("e.g. mark entered against the wrong item", ""),
                    }));
                } else {
                    self.notice =
                        Some("Only a submitted sheet needs amending; this one is open.".to_string());
                }
                Vec::new()
            }
            Action::Absent => {
                if sheet.state.is_started() {
                    self.notice = Some("Marks are already recorded for this candidate here.".to_string());
                } else {
                    self.screen = Screen::Reason(Box::new(ReasonPrompt {
                        purpose: ReasonFor::Absent,
                        text: text_area("e.g. did not arrive; unwell", ""),
                    }));
                }
                Vec::new()
            }
            Action::Quit => self.request_quit(),
            _ => Vec::new(),
        }
    }

    fn digit(&mut self, d: u8) -> Vec<Effect> {
        let Some(levels) = self.current_levels() else {
            return Vec::new();
        };
        let Some(sheet) = &mut self.sheet else {
            return Vec::new();
        };
        if levels > 10 {
            if sheet.digits.len() < 3 {
                sheet.digits.push(char::from(b'0' + d));
            }
            return Vec::new();
        }
        self.choose(usize::from(d))
    }

    fn commit_digits(&mut self) -> Vec<Effect> {
        let rows = self.rows();
        let Some(sheet) = &mut self.sheet else {
            return Vec::new();
        };
        if sheet.digits.is_empty() {
            sheet.cursor = (sheet.cursor + 1).min(rows.saturating_sub(1));
            return Vec::new();
        }
        let typed = std::mem::take(&mut sheet.digits);
        match typed.parse::<usize>() {
            Ok(level) => self.choose(level),
            Err(_) => Vec::new(),
        }
    }

    /// Levels of the scale at the cursor.
    fn current_levels(&self) -> Option<usize> {
        let station = self.station_def()?;
        let rubric = self.rubric()?;
        let cursor = self.sheet.as_ref()?.cursor;
        match station.items.get(cursor) {
            Some(item) => Some(rubric.scale(item.scale).levels.len()),
            None => station
                .global_rating
                .as_ref()
                .map(|g| rubric.scale(g.scale).levels.len()),
        }
    }

    fn choose(&mut self, level: usize) -> Vec<Effect> {
        let late = self.late();
        let (Some(station), Some(rubric), Some(sheet)) =
            (self.station_def(), self.rubric(), self.sheet.as_ref())
        else {
            return Vec::new();
        };
        let event = match station.items.get(sheet.cursor) {
            Some(item) => {
                let scale = rubric.scale(item.scale);
                let Some(l) = scale.levels.get(level) else {
                    self.notice = Some(format!(
                        "No level {level} on this scale: choose 0 to {}.",
                        scale.levels.len() - 1
                    ));
                    return Vec::new();
                };
                Event::Mark {
                    item: item.id.clone(),
                    level: Some(level),
                    label: l.label.clone(),
                    late,
                }
            }
            None => {
                let Some(g) = &station.global_rating else {
                    return Vec::new();
                };
                let scale = rubric.scale(g.scale);
                let Some(l) = scale.levels.get(level) else {
                    self.notice = Some(format!(
                        "No level {level} on this scale: choose 0 to {}.",
                        scale.levels.len() - 1
                    ));
                    return Vec::new();
                };
                Event::GlobalRating {
                    level,
                    label: l.label.clone(),
                    late,
                }
            }
        };
        self.append_all(vec![event])
    }

    fn not_observed(&mut self) -> Vec<Effect> {
        let late = self.late();
        let (Some(station), Some(rubric), Some(sheet)) =
            (self.station_def(), self.rubric(), self.sheet.as_ref())
        else {
            return Vec::new();
        };
        let Some(item) = station.items.get(sheet.cursor) else {
            self.notice = Some("The global rating is always given.".to_string());
            return Vec::new();
        };
        if !rubric.scale(item.scale).not_observed {
            self.notice = Some("\"Not observed\" is not allowed for this item.".to_string());
            return Vec::new();
        }
        let event = Event::Mark {
            item: item.id.clone(),
            level: None,
            label: "not observed".to_string(),
            late,
        };
        self.append_all(vec![event])
    }

    /// The station result as it stands, and what is missing without a reason.
    pub fn summary(&self) -> Option<SubmitSummary> {
        let sheet = self.sheet.as_ref()?;
        let rubric = self.rubric()?;
        let station = &rubric.stations[sheet.station];
        let result = score_station(
            rubric,
            station,
            Some(&sheet.state.to_station_sheet()),
            &Standards::default(),
        )
        .ok()?;
        let mut unexplained: Vec<Unmarked> = station
            .items
            .iter()
            .filter(|i| sheet.state.mark(&i.id).is_none())
            .map(|i| Unmarked::item(&i.id))
            .filter(|what| !sheet.state.missing_reasons.contains_key(what))
            .collect();
        if station.global_rating.is_some()
            && sheet.state.global_rating().is_none()
            && !sheet.state.missing_reasons.contains_key(&Unmarked::GlobalRating)
        {
            unexplained.push(Unmarked::GlobalRating);
        }
        if sheet.state.absent.is_some() {
            unexplained.clear();
        }
        Some(SubmitSummary { result, unexplained })
    }

    /// Submits the open sheet as it stands: the timer's end first (with
    /// any overrun), then `submitted`.
    fn submit_now(&mut self) -> Vec<Effect> {
        let Some(summary) = self.summary() else {
            return Vec::new();
        };
        let r = &summary.result;
        let event = Event::Submitted {
            score: r.score,
            max: r.max,
            outcome: r.outcome,
        };
        // The sheet is done, so is its timer: the end goes in the
        // record, with any overrun (a soft time-up never moved on).
        let now = self.now;
        let mut effects = Vec::new();
        self.submitted_timer = None;
        if let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut())
            && !matches!(timer.display(now).phase, Phase::NotStarted | Phase::Done)
        {
            self.submitted_timer = Some(timer.clone());
            let h = timer.end(now);
            effects = self.timer_effects(h);
        }
        effects.extend(self.append_all(vec![event]));
        effects
    }

    fn submit_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Submit(summary) = &self.screen else {
            return Vec::new();
        };
        match action {
            Action::Enter | Action::Save => {
                if !summary.unexplained.is_empty() {
                    self.notice = Some(
                        "Give the missing marks, or press r to record why you could not judge them."
                            .to_string(),
                    );
                    return Vec::new();
                }
                // Before the station's time is up: ask first.
                let now = self.now;
                let left = self
                    .sheet
                    .as_ref()
                    .and_then(|s| s.timer.as_ref())
                    .map(|t| (t.display(now), t.plan().clone()))
                    .and_then(|(d, plan)| match d.phase {
                        Phase::Reading => Some(format!(
                            "reading time is not over ({} of it left)",
                            crate::day::timer::fmt_countdown(d.time)
                        )),
                        Phase::Station => Some(format!(
                            "{} of station time is left{}",
                            crate::day::timer::fmt_countdown(d.time),
                            if plan.hard { "" } else { " before time-up" }
                        )),
                        _ => None,
                    });
                if let Some(left) = left {
                    self.ask = Some(Ask {
                        question: "Submit before the time is up?".to_string(),
                        detail: format!(
                            "On the timer of {}, {left}. Submitting locks the sheet and stops its timer; changing it later needs an amendment with a reason.",
                            self.sheet_words()
                        ),
                        yes: AskFor::Submit,
                    });
                    return Vec::new();
                }
                self.submit_now()
            }
            Action::Text(Input {
                key: ratatui_textarea::Key::Char('r'),
                ..
            }) if !summary.unexplained.is_empty() => {
                let missing = summary.unexplained.clone();
                self.screen = Screen::Reason(Box::new(ReasonPrompt {
                    purpose: ReasonFor::Missing(missing),
                    text: text_area("e.g. the model had to leave; could not see the screen", ""),
                }));
                Vec::new()
            }
            Action::Escape | Action::Quit => {
                self.screen = Screen::Scoring;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn comment_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Comment(editor) = &mut self.screen else {
            return Vec::new();
        };
        match action {
            Action::Tab => {
                editor.focus = 1 - editor.focus;
                Vec::new()
            }
            Action::Text(input) => {
                let area = if editor.focus == 0 {
                    &mut editor.feedback
                } else {
                    &mut editor.notes
                };
                area.input(input);
                Vec::new()
            }
            Action::Paste(text) => {
                let area = if editor.focus == 0 {
                    &mut editor.feedback
                } else {
                    &mut editor.notes
                };
                area.insert_str(text);
                Vec::new()
            }
            Action::Escape | Action::Quit => {
                let Some(state) = self.sheet.as_ref().map(|s| &s.state) else {
                    return self.leave_dialog(false);
                };
                let typed =
                    text_of(&editor.feedback) != state.feedback || text_of(&editor.notes) != state.notes;
                // Drafts written while typing are withdrawn on leaving, so
                // that a restart does not bring back what was left.
                let mut withdraw = Vec::new();
                if state.feedback_draft.is_some() || editor.drafted[0] != state.feedback {
                    withdraw.push(Event::FeedbackDraft {
                        text: state.feedback.clone(),
                    });
                }
                if state.notes_draft.is_some() || editor.drafted[1] != state.notes {
                    withdraw.push(Event::NotesDraft {
                        text: state.notes.clone(),
                    });
                }
                self.leave_dialog(typed);
                if matches!(self.screen, Screen::Comment(_)) {
                    return Vec::new();
                }
                self.append_all(withdraw)
            }
            Action::Save => {
                let feedback = text_of(&editor.feedback);
                let notes = text_of(&editor.notes);
                editor.drafted = [feedback.clone(), notes.clone()];
                let Some(sheet) = &self.sheet else {
                    return Vec::new();
                };
                let state = &sheet.state;
                let mut events = Vec::new();
                if feedback != state.feedback {
                    events.push(Event::Feedback { text: feedback });
                } else if state.feedback_draft.is_some() {
                    events.push(Event::FeedbackDraft { text: feedback });
                }
                if notes != state.notes {
                    events.push(Event::Notes { text: notes });
                } else if state.notes_draft.is_some() {
                    events.push(Event::NotesDraft { text: notes });
                }
                if events.is_empty() {
                    self.screen = Screen::Scoring;
                } else {
                    self.closing = true;
                }
                self.append_all(events)
            }
            _ => Vec::new(),
        }
    }

    fn concern_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Concern(editor) = &mut self.screen else {
            return Vec::new();
        };
        match action {
            Action::Up => {
                editor.kind = (editor.kind + ConcernKind::ALL.len() - 1) % ConcernKind::ALL.len();
                Vec::new()
            }
            Action::Down | Action::Tab => {
                editor.kind = (editor.kind + 1) % ConcernKind::ALL.len();
                Vec::new()
            }
            Action::Text(input) => {
                editor.notes[editor.kind].input(input);
                Vec::new()
            }
            Action::Paste(text) => {
                editor.notes[editor.kind].insert_str(text);
                Vec::new()
            }
            Action::Escape | Action::Save | Action::Quit => {
                // Every note written or changed is saved (ctrl-s), or left
                // (esc, asking first): nothing typed is thrown away unasked.
                let saved = self
                    .sheet
                    .as_ref()
                    .map(|s| s.state.concerns.clone())
                    .unwrap_or_default();
                let events: Vec<Event> = ConcernKind::ALL
                    .iter()
                    .zip(&editor.notes)
                    .filter_map(|(kind, area)| {
                        let note = text_of(area);
                        let changed = saved
                            .get(kind)
                            .map_or(!note.is_empty(), |old| *old != note && !note.is_empty());
                        changed.then_some(Event::Concern { kind: *kind, note })
                    })
                    .collect();
                if action != Action::Save {
                    return self.leave_dialog(!events.is_empty());
                }
                if events.is_empty() {
                    if text_of(&editor.notes[editor.kind]).is_empty() {
                        self.notice = Some(
                            "Write what happened: a concern needs a note (esc leaves without raising one)."
                                .to_string(),
                        );
                    } else {
                        self.screen = Screen::Scoring;
                    }
                    return Vec::new();
                }
                self.closing = true;
                self.append_all(events)
            }
            Action::Withdraw => {
                let kind = ConcernKind::ALL[editor.kind];
                if self
                    .sheet
                    .as_ref()
                    .is_some_and(|s| s.state.concerns.contains_key(&kind))
                {
                    self.screen = Screen::Reason(Box::new(ReasonPrompt {
                        purpose: ReasonFor::Withdraw(kind),
                        text: text_area("e.g. raised against the wrong candidate", ""),
                    }));
                } else {
                    self.notice = Some(format!(
                        "No {} concern is raised to withdraw.",
                        kind.label().to_lowercase()
                    ));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn reason_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Reason(prompt) = &mut self.screen else {
            return Vec::new();
        };
        match action {
            Action::Text(input) => {
                prompt.text.input(input);
                Vec::new()
            }
            Action::Paste(text) => {
                // A reason is one line.
                let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                prompt.text.insert_str(line);
                Vec::new()
            }
            Action::Escape | Action::Quit => {
                let purpose = prompt.purpose.clone();
                let typed = !text_of(&prompt.text).is_empty();
                self.leave_dialog(typed);
                if matches!(purpose, ReasonFor::Pause { .. }) && !matches!(self.screen, Screen::Reason(_)) {
                    self.notice = Some(
                        "The timer stays paused, with no reason recorded. space resumes it.".to_string(),
                    );
                }
                Vec::new()
            }
            Action::Enter | Action::Save => {
                let reason = text_of(&prompt.text);
                if reason.is_empty() {
                    self.notice = Some("A reason is required.".to_string());
                    return Vec::new();
                }
                let purpose = prompt.purpose.clone();
                self.closing = true;
                match purpose {
                    ReasonFor::Pause { at } => self.timer_effects(vec![Happening {
                        action: TimerAction::PauseReason { reason },
                        at,
                    }]),
                    ReasonFor::Amend => self.append_all(vec![Event::AmendStarted { reason }]),
                    ReasonFor::Absent => {
                        if self.sheet.is_some() {
                            self.append_all(vec![Event::Absent { reason }])
                        } else {
                            // The sheet opens first; `opened` records the absence.
                            self.open_current()
                        }
                    }
                    ReasonFor::Missing(what) => {
                        let events = what
                            .into_iter()
                            .map(|what| Event::MissingReason {
                                what,
                                reason: reason.clone(),
                            })
                            .collect();
                        self.screen = Screen::Submit(Box::new(SubmitSummary {
                            result: match self.summary() {
                                Some(s) => s.result,
                                None => return Vec::new(),
                            },
                            unexplained: Vec::new(),
                        }));
                        self.append_all(events)
                    }
                    ReasonFor::Withdraw(kind) => {
                        self.append_all(vec![Event::ConcernWithdrawn { kind, reason }])
                    }
                    ReasonFor::NameCorrection => {
                        let Some(nd) = self.name_differs.take() else {
                            return Vec::new();
                        };
                        self.rename_candidate(&nd.given);
                        let app_version = self.app_version.clone();
                        if let Some(sheet) = &mut self.sheet {
                            sheet.introduced = true;
                        }
                        let mut events = vec![
                            Event::Opened { app_version },
                            Event::NameCorrected {
                                candidate_name: nd.given,
                                recorded: nd.recorded,
                                reason,
                            },
                        ];
                        events.extend(nd.pending);
                        self.append_events(events)
                    }
                }
            }
            _ => Vec::new(),
        }
    }
}

/// What fell due on a restored timer while its sheet was not open (osce
/// stopped, or the examiner was at another sheet): the records to write
/// now, each with `due`, when it fell due by the wall clock. No bell: the
/// moment has passed.
fn overdue(timer: &mut Timer, now: Duration, wall: DateTime<Utc>) -> Vec<Event> {
    let elapsed = timer.elapsed(now);
    timer
        .missed()
        .into_iter()
        .map(|h| {
            let due = chrono::Duration::from_std(elapsed.saturating_sub(h.at))
                .ok()
                .and_then(|ago| wall.checked_sub_signed(ago))
                .and_then(|t| DateTime::from_timestamp_millis(t.timestamp_millis()));
            Event::Timer {
                action: h.action,
                elapsed_ms: u64::try_from(h.at.as_millis()).unwrap_or(u64::MAX),
                due,
            }
        })
        .collect()
}

/// The first item without a mark (or the global rating), else the top.
fn first_unmarked(station: &Station, state: &SheetState) -> usize {
    station
        .items
        .iter()
        .position(|i| state.mark(&i.id).is_none())
        .or_else(|| {
            (station.global_rating.is_some() && state.global_rating().is_none())
                .then_some(station.items.len())
        })
        .unwrap_or(0)
}
