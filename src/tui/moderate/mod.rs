//! `osce moderate`: the external assessor's screen. A list of submitted
//! sheets with filters, a read-only view of each sheet, and the assessor's
//! decisions (agree, disagree with a proposed result and a rationale, refer
//! to a third marker), agreed marks for double-marked stations, the overall
//! report and the sign-off that locks it.
//!
//! Every decision is appended to the assessor's own moderation journal and
//! made durable before the screen says it is saved; the examiners' sheets
//! are only read. As in the marking app, [`ModerateApp::update`] is the
//! only place state changes, so every key can be tested without a terminal.

pub mod executor;
pub mod keys;
#[cfg(test)]
mod tests;
pub mod view;

use std::collections::BTreeSet;

use chrono::{Offset, Utc};
use ratatui_textarea::{Input, TextArea};

use crate::base::text::plural;
use crate::results::gather::{CellState, Cohort, Matrix};
use crate::results::moderation::{
    AssessorLog, CellModeration, Moderation, SampleCell, cell_histories, policy_sample, seen,
};
use crate::results::reconcile::CandidateResult;
use crate::rubric::{Reconcile, Rubric};
use crate::scoring::{StationOutcome, StationResult, fmt_marks};
use crate::store::{Decision, Event, Proposed, Record, SeenSheet};

pub use keys::action_for;

/// Every sheet and moderation journal as read from the sessions folders.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub cohort: Cohort,
    pub matrix: Matrix,
    pub moderation: Moderation,
    /// The pass marks in force: adopted by the exam lead's decision, else
    /// the rubric's own.
    pub standards: crate::scoring::Standards,
    /// Whether the exam lead adopted pass marks (a standard-setting
    /// record): until then, pass marks set by standard setting are
    /// provisional.
    pub pass_marks_adopted: bool,
    /// The journals that cannot be used that the exam lead voided
    /// (indices into the cohort's problem sheets): settled, not a problem.
    pub void_problems: std::collections::BTreeSet<usize>,
}

/// Reads a fresh [`Snapshot`], or says why it cannot.
pub type Loader = Box<dyn Fn() -> Result<Snapshot, SnapshotError>>;

/// Reads one candidate's journals at one station again, as every command
/// judges them: [`cell_histories`] of that cell on disk now.
pub type CellReader = Box<dyn Fn(&str, &str) -> Result<Vec<SeenSheet>, crate::store::StoreError>>;

/// The [`CellReader`] for an exam's sessions folders.
pub fn cell_reader(rubric: &Rubric, rubric_hash: &str, folders: &[std::path::PathBuf]) -> CellReader {
    let (rubric, hash, folders) = (rubric.clone(), rubric_hash.to_string(), folders.to_vec());
    Box::new(move |candidate: &str, station: &str| {
        crate::results::gather::gather_cell(&rubric, &hash, &folders, candidate, station)
            .map(|cohort| cell_histories(&cohort, candidate, station))
    })
}

/// What [`ModerateApp::update`] asks the executor to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Append `event` to the assessor's journal, durably. With `check`:
    /// only if that cell's sheets on disk are still the ones shown;
    /// otherwise record nothing and read everything again.
    Record { event: Event, check: Option<CellCheck> },
    /// Read every sheet and moderation journal again.
    Reload,
}

/// A cell's journals as the screen read them: every history, whether it
/// counts or not ([`cell_histories`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CellCheck {
    pub candidate: String,
    pub station: String,
    pub histories: Vec<SeenSheet>,
}

/// What the executor reports back from an [`Effect`].
#[derive(Debug)]
pub enum Reply {
    /// Saved: on disk.
    Recorded(Record),
    /// Not saved, and why.
    NotRecorded(String),
    /// Not saved: the cell's sheets had changed; everything read again.
    Changed {
        candidate: String,
        station: String,
        snapshot: Result<Snapshot, SnapshotError>,
    },
    Reloaded(Result<Snapshot, SnapshotError>),
    /// Whether the assessor's folder can be written, as last checked.
    Disk(crate::store::Health),
}

/// A record asked for and not yet reported back.
#[derive(Debug)]
struct Pending {
    saved: String,
    back: Screen,
}

/// Why the sessions could not be read for the screen.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Decisions(#[from] crate::results::decisions::DecisionsError),
}

/// Reads every sheet and moderation journal of `rubric`'s assessment in
/// `folders`, as `osce status` does.
pub fn snapshot(
    rubric: &Rubric,
    rubric_hash: &str,
    folders: &[std::path::PathBuf],
    roster: Option<&crate::day::roster::Roster>,
) -> Result<Snapshot, SnapshotError> {
    // The exam lead's decisions settle conflicts and set the pass marks,
    // for the assessor as for every command; sheets of another version of
    // the rubric count where they decided so.
    let mut decisions = crate::results::decisions::gather(rubric, rubric_hash, folders)?;
    let mut counting = rubric.clone();
    counting.counted_versions = decisions.counted_versions(rubric).0;
    let rubric = &counting;
    let cohort = crate::results::gather::gather(rubric, rubric_hash, folders)?;
    if !rubric.counted_versions.is_empty() {
        let source = crate::results::source::Source::Folders(folders);
        decisions.void_counted_versions(&cohort, |path| source.fingerprint(path));
    }
    let moderation = crate::results::moderation::gather(rubric, rubric_hash, folders)?;
    let settled = crate::results::decisions::settle(rubric, &cohort, &decisions);
    let matrix = crate::results::gather::matrix_settled(rubric, &cohort, roster, &settled);
    let standards = decisions.standards(rubric, rubric_hash)?;
    Ok(Snapshot {
        cohort,
        matrix,
        moderation,
        standards,
        pass_marks_adopted: decisions.pass_marks().is_some(),
        void_problems: settled.void_problems,
    })
}

/// The smallest terminal the screen is drawn in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Which sheets the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    /// Not yet decided by this assessor (or changed since).
    Undecided,
    Fails,
    /// Given the borderline global rating.
    Borderline,
    /// Within `near` percent of the station maximum of the pass mark.
    NearPassMark,
    /// A concern raised, a double-marking discrepancy over the threshold,
    /// an amendment, late marks or an import.
    Flagged,
    /// A reproducible random sample.
    Sample,
}

impl Filter {
    pub const ALL: [Filter; 7] = [
        Filter::All,
        Filter::Undecided,
        Filter::Fails,
        Filter::Borderline,
        Filter::NearPassMark,
        Filter::Flagged,
        Filter::Sample,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "all submitted sheets",
            Filter::Undecided => "not yet decided",
            Filter::Fails => "fails",
            Filter::Borderline => "borderline global rating",
            Filter::NearPassMark => "near the pass mark",
            Filter::Flagged => "flagged",
            Filter::Sample => "the sample: every fail, every borderline, a share of the rest",
        }
    }
}

/// One candidate at one station, with at least one submitted sheet.
#[derive(Debug, Clone)]
pub struct Entry {
    pub candidate: String,
    pub name: String,
    pub station: String,
    pub title: String,
    /// Indices into the cohort's sheets.
    pub sheets: Vec<usize>,
    /// The station result the examiners' marks give.
    pub internal: StationResult,
    pub note: Option<String>,
    pub borderline: bool,
    pub near: bool,
    /// Why the sheet is flagged, in words.
    pub flags: Vec<String>,
    /// A double-marked station waiting for an agreed mark.
    pub needs_agreed_mark: bool,
    /// What the station's result waits for, in words, where the marks
    /// give none yet because a marker's sheet or their reconciliation is
    /// still to come: there is nothing yet to agree or disagree with.
    pub no_result_yet: Option<&'static str>,
    pub in_sample: bool,
}

impl Entry {
    pub fn fails(&self) -> bool {
        self.internal.outcome == StationOutcome::Fail
    }

    /// Two markers over the threshold, their agreed mark not yet recorded.
    pub fn awaits_agreed_mark(&self) -> bool {
        self.needs_agreed_mark && self.internal.outcome == StationOutcome::Incomplete
    }
}

/// The disagree form: a proposed result and the rationale, both required.
#[derive(Debug)]
pub struct DisagreeForm {
    pub proposed: Proposed,
    pub rationale: TextArea<'static>,
}

/// The agreed-mark form.
#[derive(Debug)]
pub struct AgreedForm {
    pub score: TextArea<'static>,
    pub note: TextArea<'static>,
    /// Whether the agreed result is asked for, and what was chosen.
    pub result: AgreedResult,
    /// The field being typed in.
    pub field: AgreedField,
}

/// The agreed result on the agreed-mark form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreedResult {
    /// The score decides the result (a station passed by its marks).
    ByScore,
    /// A station passed by competency or global rating, where a score
    /// cannot decide it: the result must be chosen, and is not yet.
    NotChosen,
    Chosen(Proposed),
}

/// The agreed-mark form's fields, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreedField {
    Score,
    /// Who agreed it, and how.
    Note,
    /// The result (only where the score cannot decide it).
    Result,
}

impl AgreedForm {
    /// The next field in tab order.
    fn next_field(&mut self) {
        self.field = match (self.field, self.result) {
            (AgreedField::Score, _) => AgreedField::Note,
            (AgreedField::Note, AgreedResult::ByScore) => AgreedField::Score,
            (AgreedField::Note, _) => AgreedField::Result,
            (AgreedField::Result, _) => AgreedField::Score,
        };
    }
}

#[derive(Debug)]
pub enum Screen {
    List,
    /// The read-only view of the selected sheet.
    Sheet,
    Disagree(Box<DisagreeForm>),
    Refer(Box<TextArea<'static>>),
    /// Agree, with a comment for the exam board.
    AgreeNote(Box<TextArea<'static>>),
    /// Jump to a candidate: their id, typed.
    Jump(Box<TextArea<'static>>),
    Agreed(Box<AgreedForm>),
    Report(Box<ReportEditor>),
    SignOff,
}

/// The overall report being written, and the draft last written of it.
#[derive(Debug)]
pub struct ReportEditor {
    pub text: TextArea<'static>,
    /// The text last written as a draft (or as opened): a tick writes a
    /// draft once the box holds something else. `None` after a draft
    /// failed to save, so that the next tick tries again.
    drafted: Option<String>,
    /// When a draft was last written (the loop's clock).
    drafted_at: Option<std::time::Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    /// The first sheet of the list, or the top of a sheet.
    First,
    /// The last sheet of the list, or the end of a sheet.
    Last,
    Open,
    Back,
    NextFilter,
    PrevFilter,
    NextSheet,
    PrevSheet,
    Agree,
    /// Agree, with a comment.
    AgreeNote,
    /// Jump to a candidate by id.
    Jump,
    Disagree,
    Refer,
    AgreedMark,
    Report,
    SignOff,
    /// Read every sheet and decision from disk again.
    Reload,
    /// Switch field, or the proposed result in the disagree form.
    Tab,
    /// Record what the open form holds.
    Confirm,
    /// Save the report and close it.
    Save,
    Text(Input),
    Paste(String),
    Help,
    Quit,
    Resize {
        width: u16,
        height: u16,
    },
    /// The loop's clock (monotonic, from its start), while the report box
    /// is open: time to write a draft of it.
    Tick(std::time::Duration),
}

/// A message under the header: what was just saved, or what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

pub struct ModerateApp {
    pub rubric: Rubric,
    pub cohort: Cohort,
    pub matrix: Matrix,
    pub results: Vec<CandidateResult>,
    /// Every assessor's moderation, this one's kept up to date as they
    /// decide.
    pub moderation: Moderation,
    /// The pass marks in force (see [`Snapshot::standards`]).
    pub standards: crate::scoring::Standards,
    /// See [`Snapshot::pass_marks_adopted`].
    pass_marks_adopted: bool,
    /// Index of this assessor's log in `moderation.logs`.
    own: usize,
    /// This assessor and their device.
    assessor: String,
    device: String,
    /// A record asked for and not yet reported back: what to say once it is
    /// saved, and the screen to return to if it is not.
    pending: Option<Pending>,
    /// Effects asked for by the action being handled.
    effects: Vec<Effect>,
    pub entries: Vec<Entry>,
    pub filter: Filter,
    /// Indices into `entries` that the filter shows.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub selected: usize,
    pub scroll: u16,
    /// The furthest the open sheet (or the sign-off) scrolls, as last
    /// drawn: scrolling stops there, so that the way back up starts at once.
    pub scroll_limit: std::cell::Cell<u16>,
    pub screen: Screen,
    pub notice: Option<Notice>,
    pub help: bool,
    pub quit: bool,
    pub width: u16,
    pub height: u16,
    pub sample_percent: f64,
    pub seed: u64,
    pub near_percent: f64,
    /// Local time offset for times shown.
    pub utc_offset: chrono::FixedOffset,
    /// Whether the assessor's folder can be written, as last checked.
    pub disk: crate::store::Health,
    /// Esc was pressed once in a form holding typed text that is not
    /// saved: a second esc leaves without it.
    discard_armed: bool,
    /// `a` was pressed once on this sheet (candidate, station), which the
    /// assessor had decided otherwise: a second `a` in a row replaces
    /// that decision.
    replace_armed: Option<(String, String)>,
}

impl std::fmt::Debug for ModerateApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModerateApp")
            .field("filter", &self.filter)
            .field("selected", &self.selected)
            .field("screen", &self.screen)
            .finish()
    }
}

/// How the list is chosen: the sample's share and seed, and what counts as
/// near the pass mark.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub sample_percent: f64,
    pub seed: u64,
    pub near_percent: f64,
}

fn text_area(placeholder: &str) -> TextArea<'static> {
    crate::tui::textbox::text_box(placeholder, "")
}

/// What a box holds, trimmed.
fn text_of(t: &TextArea<'_>) -> String {
    crate::tui::textbox::text_of(t).trim_start().to_string()
}

impl ModerateApp {
    /// The app for the assessor whose moderation journal replays to `own`,
    /// over `snapshot` (every sheet and every moderation journal as read
    /// from the sessions folders). Reading and writing is the executor's
    /// ([`Effect`]); the app only asks.
    pub fn new(rubric: Rubric, snapshot: Snapshot, own: AssessorLog, options: Options) -> ModerateApp {
        let rubric_policy = rubric.moderation;
        let mut app = ModerateApp {
            rubric,
            cohort: snapshot.cohort,
            matrix: snapshot.matrix,
            results: Vec::new(),
            moderation: snapshot.moderation,
            standards: snapshot.standards,
            pass_marks_adopted: snapshot.pass_marks_adopted,
            own: 0,
            assessor: own.assessor.clone(),
            device: own.device.clone(),
            pending: None,
            effects: Vec::new(),
            entries: Vec::new(),
            // The sample the assessor is to moderate, where the rubric asks
            // for moderation; every sheet otherwise.
            filter: match rubric_policy {
                crate::rubric::ModerationPolicy::None => Filter::All,
                _ => Filter::Sample,
            },
            visible: Vec::new(),
            selected: 0,
            scroll: 0,
            scroll_limit: std::cell::Cell::new(u16::MAX),
            screen: Screen::List,
            notice: None,
            discard_armed: false,
            replace_armed: None,
            help: false,
            quit: false,
            width: MIN_WIDTH,
            height: MIN_HEIGHT,
            sample_percent: options.sample_percent,
            seed: options.seed,
            near_percent: options.near_percent,
            utc_offset: Utc.fix(),
            disk: crate::store::Health::Fine,
        };
        app.adopt_own_log(own);
        app.recompute();
        // Opened again after a break (or a crash): on the first sheet
        // still to decide, not at the top of those decided.
        if let Some(i) = app.visible.iter().position(|&i| app.to_decide(&app.entries[i])) {
            app.selected = i;
        }
        let others: Vec<String> = app
            .moderation
            .logs
            .iter()
            .filter(|l| l.assessor == app.assessor && l.device != app.device)
            .map(|l| l.device.clone())
            .collect();
        if !others.is_empty() {
            app.warn(format!(
                "You also have a moderation journal on {}: your decisions there count too.",
                others.join(", ")
            ));
        }
        app
    }

    /// A warning shown when the screen opens.
    /// Several are shown one under the other (at most three lines).
    pub fn startup_warning(&mut self, text: String) {
        match &mut self.notice {
            Some(n) if n.error => {
                n.text.push('\n');
                n.text.push_str(&text);
            }
            _ => self.warn(text),
        }
    }

    /// Puts this assessor's log among the gathered ones, in place of the
    /// copy gathered from disk.
    fn adopt_own_log(&mut self, own: AssessorLog) {
        let logs = &mut self.moderation.logs;
        self.own = match logs
            .iter()
            .position(|l| l.assessor == own.assessor && l.device == own.device)
        {
            Some(i) => {
                logs[i] = own;
                i
            }
            None => {
                logs.push(own);
                logs.len() - 1
            }
        };
    }

    /// Results, the list and the filter, from the sheets and decisions as
    /// they are now. The selection stays on the same sheet where it can.
    fn recompute(&mut self) {
        let current = self.current().map(|e| (e.candidate.clone(), e.station.clone()));
        crate::results::moderation::settle_referrals(&mut self.matrix, &self.cohort, &self.moderation);
        self.results = crate::results::reconcile::results(
            &self.rubric,
            &self.cohort,
            &self.matrix,
            &self.standards,
            &self.moderation,
        );
        self.entries = self.build_entries();
        self.visible.clear();
        self.refilter();
        if let Some((c, s)) = current
            && let Some(i) = self
                .visible
                .iter()
                .position(|&i| self.entries[i].candidate == c && self.entries[i].station == s)
        {
            self.selected = i;
        }
    }

    /// Takes the sheets and decisions as read again from disk. This
    /// assessor's own log is kept as the app has it (the journal it writes).
    fn adopt(&mut self, snapshot: Snapshot) {
        let own = self.own().clone();
        self.cohort = snapshot.cohort;
        self.matrix = snapshot.matrix;
        self.moderation = snapshot.moderation;
        self.standards = snapshot.standards;
        self.pass_marks_adopted = snapshot.pass_marks_adopted;
        self.adopt_own_log(own);
        self.recompute();
    }

    /// Asks for `event` to be recorded; `check` names the cell whose sheets
    /// must still be as shown. Until the executor reports back, the screen is
    /// `next`; if it is not saved, `back` (the form, with what was typed).
    fn request(
        &mut self,
        event: Event,
        check: Option<CellCheck>,
        saved: String,
        back: Screen,
        next: Screen,
    ) -> Screen {
        self.effects.push(Effect::Record { event, check });
        self.pending = Some(Pending { saved, back });
        next
    }

    /// What came of an effect, from the executor.
    pub fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        if let Reply::Disk(health) = reply {
            self.disk = health;
            return Vec::new();
        }
        let pending = self.pending.take();
        let back = |app: &mut ModerateApp, pending: Option<Pending>| {
            if let Some(p) = pending {
                app.screen = p.back;
            }
        };
        match reply {
            Reply::Recorded(record) => {
                let own = self.own;
                self.moderation.logs[own].apply(&record);
                // A draft changes nothing shown but the report's own words.
                if matches!(record.event, Event::ModerationReportDraft { .. }) && pending.is_none() {
                    return std::mem::take(&mut self.effects);
                }
                if let Some(p) = pending {
                    self.say(p.saved);
                }
                self.recompute();
                // On to the next sheet once one is decided (where the
                // decided sheet is still in the list).
                if let Event::Moderated {
                    candidate, station, ..
                } = &record.event
                    && self
                        .current()
                        .is_some_and(|e| &e.candidate == candidate && &e.station == station)
                {
                    self.move_by(1);
                }
            }
            Reply::NotRecorded(why) => {
                self.warn(format!("NOT SAVED: {why}"));
                // A draft that could not be written is tried again.
                if pending.is_none()
                    && let Screen::Report(editor) = &mut self.screen
                {
                    editor.drafted = None;
                }
                back(self, pending);
            }
            Reply::Changed {
                candidate,
                station,
                snapshot,
            } => {
                match snapshot {
                    Ok(snapshot) => {
                        self.adopt(snapshot);
                        self.warn(format!(
                            "NOT RECORDED: {candidate} at {station} changed since this screen read it (amended, or another \
                             marker's sheet arrived). It now shows the sheets as they are: look again, then decide."
                        ));
                    }
                    Err(why) => self.warn(format!(
                        "NOT RECORDED: {candidate} at {station} changed on disk, and reading it again failed: {why}"
                    )),
                }
                back(self, pending);
            }
            Reply::Reloaded(Ok(snapshot)) => {
                self.adopt(snapshot);
                self.say(format!(
                    "Read again from disk: {} submitted sheets.",
                    self.entries.len()
                ));
            }
            Reply::Reloaded(Err(why)) => self.warn(format!("Could not read the sessions again: {why}")),
            Reply::Disk(_) => {}
        }
        std::mem::take(&mut self.effects)
    }

    /// The check that `e`'s sheets are still those shown.
    fn check_of(&self, e: &Entry) -> CellCheck {
        CellCheck {
            candidate: e.candidate.clone(),
            station: e.station.clone(),
            histories: cell_histories(&self.cohort, &e.candidate, &e.station),
        }
    }

    fn build_entries(&self) -> Vec<Entry> {
        let mut entries = Vec::new();
        for c in &self.results {
            for station in self.rubric.scored_stations() {
                let Some(cell) = self.matrix.cell(&c.candidate, &station.id) else {
                    continue;
                };
                if !matches!(cell.state, CellState::Submitted | CellState::Amended) {
                    continue;
                }
                let Some(detail) = c.stations.get(&station.id) else {
                    continue;
                };
                let internal = detail.result.clone();
                let borderline = match (&station.global_rating, &internal.global_rating) {
                    (Some(g), Some((level, _))) => self.rubric.scale(g.scale).borderline == Some(*level),
                    _ => false,
                };
                let near = match internal.pass_mark.as_ref().and_then(|p| p.marks) {
                    Some(mark) if internal.max > 0.0 => {
                        (internal.score - mark).abs() <= self.near_percent / 100.0 * internal.max + 1e-9
                    }
                    _ => false,
                };
                let mut flags = Vec::new();
                // A FAIL on a critical item, whatever the score: the list
                // says so, where the score alone reads as a pass.
                if !internal.critical_fails.is_empty() {
                    flags.push("critical".to_string());
                }
                let sheets: Vec<&crate::results::gather::FoundSheet> =
                    cell.sheets.iter().map(|&i| &self.cohort.sheets[i]).collect();
                if sheets.iter().any(|s| !s.state.concerns.is_empty()) {
                    flags.push("concern".to_string());
                }
                if detail.over_threshold {
                    flags.push("markers differ".to_string());
                } else if detail.results_differ {
                    // Within the threshold, one marker's sheet passes
                    // the station and another's fails it.
                    flags.push("results differ".to_string());
                }
                if sheets.iter().any(|s| !s.state.amendments.is_empty()) {
                    flags.push("amended".to_string());
                }
                let late = sheets.iter().any(|s| {
                    station
                        .items
                        .iter()
                        .any(|it| s.state.mark(&it.id).is_some_and(|m| m.late))
                        || s.state.global_rating().is_some_and(|(_, late)| late)
                });
                if late {
                    flags.push("late marks".to_string());
                }
                if sheets.iter().any(|s| s.state.imported.is_some()) {
                    flags.push("paper".to_string());
                }
                let needs_agreed_mark = detail.over_threshold
                    && self.rubric.double_marking.reconcile == Reconcile::AgreedMark
                    && cell.sheets.len() >= 2;
                let no_result_yet = if internal.outcome != StationOutcome::Incomplete {
                    None
                } else if !detail.unsubmitted.is_empty() {
                    Some("another marker's sheet there is begun and not submitted yet; decide once it is")
                } else if crate::results::reconcile::awaiting_reconciliation(
                    &self.rubric,
                    detail,
                    self.moderation
                        .agreed_mark(&self.cohort, &cell.sheets, &c.candidate, &station.id)
                        .is_some(),
                ) {
                    Some(match self.rubric.double_marking.reconcile {
                        Reconcile::AgreedMark => {
                            "its two markers differ by more than the threshold and their agreed mark is not \
                             recorded (m records it); decide once it is"
                        }
                        _ => {
                            "its two markers differ by more than the threshold, which a third marker's sheet \
                             settles; decide once that sheet is in (r refers it to a third marker, if none is \
                             arranged)"
                        }
                    })
                } else {
                    None
                };
                entries.push(Entry {
                    candidate: c.candidate.clone(),
                    name: c.name.clone(),
                    station: station.id.clone(),
                    title: station.title.clone(),
                    sheets: cell.sheets.clone(),
                    internal,
                    note: detail.note.clone(),
                    borderline,
                    near,
                    flags,
                    needs_agreed_mark,
                    no_result_yet,
                    in_sample: false,
                });
            }
        }
        let cells: Vec<SampleCell> = entries
            .iter()
            .map(|e| SampleCell {
                candidate: e.candidate.clone(),
                station: e.station.clone(),
                fail: e.fails(),
                borderline: e.borderline,
            })
            .collect();
        let mut chosen: BTreeSet<(String, String)> = match self.rubric.moderation {
            // Every sheet is to be moderated: the sample is all of them.
            crate::rubric::ModerationPolicy::All => cells
                .iter()
                .map(|c| (c.candidate.clone(), c.station.clone()))
                .collect(),
            _ => policy_sample(&cells, self.sample_percent, self.seed),
        };
        // A double-marked station waiting for the markers' agreed mark: in
        // the sample, for the assessor to record it or see it awaited.
        chosen.extend(
            entries
                .iter()
                .filter(|e| e.awaits_agreed_mark())
                .map(|e| (e.candidate.clone(), e.station.clone())),
        );
        for e in &mut entries {
            e.in_sample = chosen.contains(&(e.candidate.clone(), e.station.clone()));
        }
        entries
    }

    /// This assessor's log.
    pub fn own(&self) -> &AssessorLog {
        &self.moderation.logs[self.own]
    }

    pub fn assessor(&self) -> &str {
        &self.assessor
    }

    /// Whether this assessor has signed off, on any device.
    pub fn signed_off(&self) -> bool {
        self.moderation
            .logs
            .iter()
            .any(|l| l.assessor == self.assessor() && l.is_signed_off())
    }

    /// Where moderation leaves an entry, over every assessor.
    pub fn cell_moderation(&self, e: &Entry) -> CellModeration {
        self.moderation
            .cell(&self.cohort, &e.sheets, &e.candidate, &e.station)
    }

    /// This assessor's decision on an entry, recorded on this device or
    /// any other (one assessor on two laptops is one assessor: their
    /// latest), and whether it still holds: not if the sheet changed
    /// since, nor if it was taken when the marks gave another result
    /// (other pass marks since): then it must be reviewed.
    pub fn own_decision(&self, e: &Entry) -> Option<(&crate::results::moderation::Decided, bool)> {
        let (d, holds) = self.own_decision_as_recorded(e)?;
        Some((d, holds && !self.under_other_pass_marks(d, e)))
    }

    /// This assessor's decision on an entry, and whether it holds for the
    /// sheets as they are now (pass marks aside).
    pub fn own_decision_as_recorded(
        &self,
        e: &Entry,
    ) -> Option<(&crate::results::moderation::Decided, bool)> {
        self.moderation
            .decisions(&self.cohort, &e.sheets, &e.candidate, &e.station)
            .into_iter()
            .find(|(x, _)| x.assessor == self.assessor)
    }

    /// Whether `d` was taken when the marks gave another result than they
    /// give now.
    pub fn under_other_pass_marks(&self, d: &crate::results::moderation::Decided, e: &Entry) -> bool {
        d.needs_review(e.internal.outcome)
    }

    fn shown(&self, e: &Entry) -> bool {
        match self.filter {
            Filter::All => true,
            Filter::Undecided => self.to_decide(e),
            Filter::Fails => e.fails(),
            Filter::Borderline => e.borderline,
            Filter::NearPassMark => e.near,
            Filter::Flagged => !e.flags.is_empty(),
            // A sheet decided on that is to be reviewed stays in view,
            // though the results now would not draw it.
            Filter::Sample => e.in_sample || self.own_decision(e).is_some_and(|(_, holds)| !holds),
        }
    }

    /// Recomputes the visible list, keeping the selection on the same
    /// entry where it is still shown.
    fn refilter(&mut self) {
        let current = self.visible.get(self.selected).copied();
        self.visible = (0..self.entries.len())
            .filter(|&i| self.shown(&self.entries[i]))
            .collect();
        self.selected = current
            .and_then(|c| self.visible.iter().position(|&i| i == c))
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }

    pub fn current(&self) -> Option<&Entry> {
        self.visible.get(self.selected).map(|&i| &self.entries[i])
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    /// Rows of the list that fit on screen.
    pub fn list_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(9)).max(1)
    }

    fn say(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }

    /// Refuses a change after sign-off, saying why.
    fn locked(&mut self) -> bool {
        // A sign-off locks the assessor, on every device.
        let signed = self
            .moderation
            .logs
            .iter()
            .filter(|l| l.assessor == self.assessor())
            .find_map(|l| l.signed_off.as_ref().map(|(t, _)| (*t, l.device.clone())));
        if let Some((time, device)) = signed {
            let when = time
                .with_timezone(&self.utc_offset)
                .format("%d %b %Y %H:%M")
                .to_string();
            self.warn(format!(
                "You signed off on {when} (on {device}): your moderation is locked and nothing more can be recorded."
            ));
            true
        } else {
            false
        }
    }

    /// The banner about saving decisions, if any: the folder cannot be
    /// written, or the disk is nearly full. (A decision that failed to
    /// save says so in the notice, and its form stays open.)
    pub fn alarm(&self) -> Option<crate::tui::marking::Alarm<'_>> {
        use crate::store::Health;
        use crate::tui::marking::Alarm;
        match &self.disk {
            Health::Fine => None,
            Health::Low { free } => Some(Alarm::Low(*free)),
            Health::Unwritable(problem) => Some(Alarm::NotSaving(problem)),
        }
    }

    /// Handles one action; returns what the executor must do (record,
    /// read again), which reports back through [`ModerateApp::reply`]. No
    /// I/O, no clock.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.handle(action);
        std::mem::take(&mut self.effects)
    }

    fn handle(&mut self, action: Action) {
        if let Action::Resize { width, height } = action {
            self.width = width;
            self.height = height;
            return;
        }
        // Drafts are written whatever else is shown (help, a terminal too
        // small to draw in).
        if let Action::Tick(now) = action {
            self.draft_report(now);
            return;
        }
        if matches!(action, Action::Quit)
            && !matches!(
                self.screen,
                Screen::Disagree(_)
                    | Screen::Refer(_)
                    | Screen::AgreeNote(_)
                    | Screen::Jump(_)
                    | Screen::Agreed(_)
                    | Screen::Report(_)
            )
        {
            self.quit = true;
            return;
        }
        if self.too_small() {
            return;
        }
        if self.help {
            if matches!(action, Action::Help | Action::Back) {
                self.help = false;
            }
            return;
        }
        if !matches!(action, Action::Back) {
            self.discard_armed = false;
        }
        if action != Action::Agree {
            self.replace_armed = None;
        }
        let screen = std::mem::replace(&mut self.screen, Screen::List);
        self.screen = match screen {
            Screen::List => self.on_list(action),
            Screen::Sheet => self.on_sheet(action),
            Screen::Disagree(form) => self.on_disagree(form, action),
            Screen::Refer(text) => self.on_refer(text, action),
            Screen::AgreeNote(text) => self.on_agree_note(text, action),
            Screen::Jump(text) => self.on_jump(text, action),
            Screen::Agreed(form) => self.on_agreed(form, action),
            Screen::Report(editor) => self.on_report(editor, action),
            Screen::SignOff => self.on_sign_off(action),
        };
    }

    fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll = 0;
    }

    /// Keys the list and the sheet view share.
    fn common(&mut self, action: Action, here: Screen) -> Screen {
        match action {
            Action::NextFilter | Action::PrevFilter => {
                let i = Filter::ALL.iter().position(|f| *f == self.filter).unwrap_or(0);
                let n = Filter::ALL.len();
                let next = if action == Action::NextFilter {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.filter = Filter::ALL[next];
                self.refilter();
                self.notice = None;
                Screen::List
            }
            Action::Agree => {
                let back = match here {
                    Screen::Sheet => Screen::Sheet,
                    _ => Screen::List,
                };
                if self.locked() {
                    return back;
                }
                if self.replaces_unasked() {
                    return here;
                }
                self.decide(Decision::Agree, None, String::new(), back, here)
            }
            Action::Jump => Screen::Jump(Box::new(text_area("candidate id"))),
            Action::AgreeNote => {
                if self.locked() {
                    return here;
                }
                match self.current().cloned() {
                    Some(e) if !self.no_result_yet(&e) => {}
                    _ => return here,
                }
                Screen::AgreeNote(Box::new(text_area(
                    "A comment for the exam board (e.g. what the images show)",
                )))
            }
            Action::Disagree | Action::Refer | Action::AgreedMark => {
                let Some(e) = self.current().cloned() else {
                    return here;
                };
                let outcome = e.internal.outcome;
                let needs_agreed_mark = e.needs_agreed_mark;
                if self.locked() || (action == Action::Disagree && self.no_result_yet(&e)) {
                    return here;
                }
                match action {
                    Action::Disagree => {
                        let proposed = if outcome == StationOutcome::Pass {
                            Proposed::Fail
                        } else {
                            Proposed::Pass
                        };
                        Screen::Disagree(Box::new(DisagreeForm {
                            proposed,
                            rationale: text_area("Why: what the sheet shows that the result does not"),
                        }))
                    }
                    Action::Refer => {
                        Screen::Refer(Box::new(text_area("Why a third marker is needed (optional)")))
                    }
                    _ if !needs_agreed_mark => {
                        self.warn(match self.rubric.double_marking.reconcile {
                            Reconcile::AgreedMark => {
                                "No agreed mark is needed here: only where two markers differ by more than the \
                                 threshold (m)."
                            }
                            Reconcile::ThirdMarker => {
                                "No agreed mark is needed here: this rubric settles two markers who differ by more than the \
                                 threshold with a third marker's sheet (r refers a sheet to one)."
                            }
                            Reconcile::Mean => {
                                "No agreed mark is needed here: this rubric takes the mean of two markers' scores."
                            }
                        });
                        here
                    }
                    _ => {
                        let by_marks = self
                            .current()
                            .is_some_and(|e| e.internal.pass_mark.as_ref().and_then(|p| p.marks).is_some());
                        Screen::Agreed(Box::new(AgreedForm {
                            score: text_area("the agreed score"),
                            note: text_area("who agreed it, e.g. \"E01 and E07, by phone\""),
                            result: if by_marks {
                                AgreedResult::ByScore
                            } else {
                                AgreedResult::NotChosen
                            },
                            field: AgreedField::Score,
                        }))
                    }
                }
            }
            Action::Report => {
                if self.locked() {
                    return here;
                }
                // A draft left by a crash or a closed window is taken up
                // where it stopped, and said to be unsaved.
                let draft = self.own().report_draft.clone();
                if draft.is_some() {
                    self.say("Not saved yet: the report as typed when moderate last stopped. Esc saves it.");
                }
                let text = draft.unwrap_or_else(|| self.own().report.clone());
                Screen::Report(Box::new(ReportEditor {
                    text: crate::tui::textbox::text_box(
                        "The overall moderation report: what was sampled, what was found, any advice to the exam \
                         board",
                        &text,
                    ),
                    drafted: Some(text),
                    drafted_at: None,
                }))
            }
            Action::SignOff => {
                if self.locked() {
                    return here;
                }
                self.scroll = 0;
                Screen::SignOff
            }
            Action::Help => {
                self.help = true;
                here
            }
            Action::Reload => {
                self.effects.push(Effect::Reload);
                here
            }
            _ => here,
        }
    }

    fn on_list(&mut self, action: Action) -> Screen {
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.list_rows() as isize)),
            Action::PageDown => self.move_by(self.list_rows() as isize),
            Action::First => self.move_by(isize::MIN),
            Action::Last => self.move_by(isize::MAX),
            Action::Open if self.current().is_some() => {
                self.scroll = 0;
                return Screen::Sheet;
            }
            Action::Back => self.notice = None,
            other => return self.common(other, Screen::List),
        }
        Screen::List
    }

    fn on_sheet(&mut self, action: Action) -> Screen {
        match action {
            Action::Up => self.scroll_up(1),
            Action::Down => self.scroll_down(1),
            Action::PageUp => self.scroll_up(self.height / 2),
            Action::PageDown => self.scroll_down(self.height / 2),
            Action::First => self.scroll = 0,
            Action::Last => self.scroll_down(u16::MAX),
            Action::NextSheet => self.move_by(1),
            Action::PrevSheet => self.move_by(-1),
            Action::Back => {
                self.notice = None;
                return Screen::List;
            }
            other => return self.common(other, Screen::Sheet),
        }
        Screen::Sheet
    }

    /// Whether a bare agreement on the selected sheet would replace another
    /// decision of the assessor's there (a disagreement, a referral, an
    /// agreement with a comment for the board) without being asked: the
    /// first `a` says what it would replace and arms the second.
    fn replaces_unasked(&mut self) -> bool {
        let Some(e) = self.current() else {
            return false;
        };
        let key = (e.candidate.clone(), e.station.clone());
        let Some(d) = self.own().latest(&key.0, &key.1) else {
            return false;
        };
        let rationale = d.rationale.trim();
        let now = match (d.decision, d.proposed) {
            (Decision::Agree, _) if rationale.is_empty() => return false,
            (Decision::Agree, _) => format!("you agreed, with the comment '{rationale}'"),
            (Decision::Disagree, Some(p)) => {
                format!("you disagreed, proposing {} ('{rationale}')", p.label())
            }
            (Decision::Disagree, None) => format!("you disagreed ('{rationale}')"),
            (Decision::Refer, _) if rationale.is_empty() => "you referred it to a third marker".to_string(),
            (Decision::Refer, _) => format!("you referred it to a third marker ('{rationale}')"),
        };
        if self.replace_armed.as_ref() == Some(&key) {
            self.replace_armed = None;
            return false;
        }
        self.warn(format!(
            "{} at {}: {now}. To replace it with agree, press a again; any other key keeps it.",
            key.0, key.1
        ));
        self.replace_armed = Some(key);
        true
    }

    /// Asks for a decision on the selected entry to be recorded: the screen
    /// is `next` meanwhile, `back` if it cannot be.
    fn decide(
        &mut self,
        decision: Decision,
        proposed: Option<Proposed>,
        rationale: String,
        back: Screen,
        next: Screen,
    ) -> Screen {
        if self.locked() {
            return back;
        }
        let Some(e) = self.current().cloned() else {
            return back;
        };
        if decision != Decision::Refer && self.no_result_yet(&e) {
            return back;
        }
        let sheets = seen(&self.cohort, &e.sheets);
        if crate::results::moderation::marked_by(&sheets, &self.assessor) {
            self.warn(format!(
                "{} at {}: you marked this sheet as examiner {}: moderation is by someone who did not mark it, \
                 so nothing is recorded. Another assessor moderates it.",
                e.candidate, e.station, self.assessor
            ));
            return back;
        }
        // The same decision on the same sheets, recorded already (a key
        // pressed twice): nothing new goes in the journal.
        let again = self.own().latest(&e.candidate, &e.station).is_some_and(|d| {
            d.decision == decision
                && d.proposed == proposed
                && d.rationale.trim() == rationale.trim()
                && d.internal == e.internal.outcome
                && d.sheets == sheets
        });
        if again {
            self.say(format!(
                "{} at {}: already recorded as {}: nothing new recorded.",
                e.candidate,
                e.station,
                decision.label()
            ));
            return next;
        }
        let event = Event::Moderated {
            station: e.station.clone(),
            candidate: e.candidate.clone(),
            sheets,
            internal: e.internal.outcome,
            decision,
            proposed,
            rationale,
        };
        let what = match (decision, proposed) {
            (Decision::Disagree, Some(p)) => format!("disagree, proposing {}", p.label()),
            (d, _) => d.label().to_string(),
        };
        let saved = format!("{} at {}: {what} — saved ✓", e.candidate, e.station);
        let check = self.check_of(&e);
        self.request(event, Some(check), saved, back, next)
    }

    /// Whether the entry's marks give no result yet to agree or disagree
    /// with (a marker's sheet or their reconciliation still to come), said
    /// as such: an agreement with no result would count for none, and turn
    /// into a decision to review once the result came.
    fn no_result_yet(&mut self, e: &Entry) -> bool {
        let Some(why) = e.no_result_yet else {
            return false;
        };
        self.warn(format!(
            "{} at {} has no result yet to agree or disagree with: {why}.",
            e.candidate, e.station
        ));
        true
    }

    /// Esc in a form: whether it leaves (saying `cancelled`). With text
    /// typed and not saved, the first esc says so and stays; a second one
    /// leaves without it. Nothing typed is thrown away unasked.
    fn leaves(&mut self, typed: bool, cancelled: &str) -> bool {
        if typed && !self.discard_armed {
            self.discard_armed = true;
            self.warn("What you typed is not saved: enter records it; esc again leaves without it.");
            return false;
        }
        self.discard_armed = false;
        self.say(cancelled);
        true
    }

    fn on_disagree(&mut self, mut form: Box<DisagreeForm>, action: Action) -> Screen {
        match action {
            Action::Tab | Action::Up | Action::Down => {
                form.proposed = match form.proposed {
                    Proposed::Pass => Proposed::Fail,
                    Proposed::Fail => Proposed::Pass,
                };
            }
            Action::Text(input) => {
                form.rationale.input(input);
            }
            Action::Paste(text) => {
                form.rationale.insert_str(text);
            }
            Action::Back
                if self.leaves(
                    !text_of(&form.rationale).is_empty(),
                    "Nothing recorded: the disagreement was not saved.",
                ) =>
            {
                return Screen::Sheet;
            }
            Action::Confirm | Action::Save => {
                let rationale = text_of(&form.rationale);
                let same = self.current().is_some_and(|e| {
                    matches!(
                        (e.internal.outcome, form.proposed),
                        (StationOutcome::Pass, Proposed::Pass) | (StationOutcome::Fail, Proposed::Fail)
                    )
                });
                if same {
                    self.warn(format!(
                        "{} is the examiners' own result: press tab to propose the other, or esc and a to agree.",
                        form.proposed.label()
                    ));
                    return Screen::Disagree(form);
                }
                if rationale.is_empty() {
                    self.warn("A disagreement needs a rationale: write why, then press enter.");
                    return Screen::Disagree(form);
                }
                let proposed = Some(form.proposed);
                return self.decide(
                    Decision::Disagree,
                    proposed,
                    rationale,
                    Screen::Disagree(form),
                    Screen::Sheet,
                );
            }
            _ => {}
        }
        Screen::Disagree(form)
    }

    fn on_jump(&mut self, mut text: Box<TextArea<'static>>, action: Action) -> Screen {
        match action {
            Action::Text(input) => {
                text.input(input);
            }
            Action::Paste(p) => {
                text.insert_str(p);
            }
            Action::Back => return Screen::List,
            Action::Confirm | Action::Save => {
                let wanted = text_of(&text).to_lowercase();
                if wanted.is_empty() {
                    return Screen::List;
                }
                let is = |e: &Entry| e.candidate.to_lowercase().starts_with(&wanted);
                if let Some(i) = self.visible.iter().position(|&i| is(&self.entries[i])) {
                    self.selected = i;
                    self.scroll = 0;
                } else if self.entries.iter().any(is) {
                    // Not in this filter: every sheet, then the candidate.
                    self.filter = Filter::All;
                    self.refilter();
                    if let Some(i) = self.visible.iter().position(|&i| is(&self.entries[i])) {
                        self.selected = i;
                    }
                    self.say(format!(
                        "{} is not in that filter: showing all submitted sheets.",
                        text_of(&text)
                    ));
                } else {
                    self.warn(format!(
                        "No submitted sheet of a candidate \"{}\".",
                        text_of(&text)
                    ));
                    return Screen::Jump(text);
                }
                return Screen::List;
            }
            _ => {}
        }
        Screen::Jump(text)
    }

    fn on_agree_note(&mut self, text: Box<TextArea<'static>>, action: Action) -> Screen {
        self.on_note(
            text,
            action,
            Decision::Agree,
            Screen::AgreeNote,
            "Nothing recorded.",
        )
    }

    fn on_refer(&mut self, text: Box<TextArea<'static>>, action: Action) -> Screen {
        self.on_note(
            text,
            action,
            Decision::Refer,
            Screen::Refer,
            "Nothing recorded: the referral was not saved.",
        )
    }

    /// A decision with an optional note (agree with a comment, refer): the
    /// form `form` holds the text; enter records, esc leaves with `cancelled`.
    fn on_note(
        &mut self,
        mut text: Box<TextArea<'static>>,
        action: Action,
        decision: Decision,
        form: fn(Box<TextArea<'static>>) -> Screen,
        cancelled: &str,
    ) -> Screen {
        match action {
            Action::Text(input) => {
                text.input(input);
            }
            Action::Paste(p) => {
                text.insert_str(p);
            }
            Action::Back if self.leaves(!text_of(&text).is_empty(), cancelled) => return Screen::Sheet,
            Action::Confirm | Action::Save => {
                let note = text_of(&text);
                return self.decide(decision, None, note, form(text), Screen::Sheet);
            }
            _ => {}
        }
        form(text)
    }

    fn on_agreed(&mut self, mut form: Box<AgreedForm>, action: Action) -> Screen {
        match action {
            Action::Tab | Action::Up | Action::Down => form.next_field(),
            Action::Text(input) => match form.field {
                AgreedField::Score => {
                    form.score.input(input);
                }
                AgreedField::Note => {
                    form.note.input(input);
                }
                AgreedField::Result => {
                    if let ratatui_textarea::Key::Char(c) = input.key {
                        match c.to_ascii_lowercase() {
                            'p' => form.result = AgreedResult::Chosen(Proposed::Pass),
                            'f' => form.result = AgreedResult::Chosen(Proposed::Fail),
                            _ => {}
                        }
                    }
                }
            },
            Action::Paste(p) => {
                let line = p.lines().next().unwrap_or("").to_string();
                if form.field == AgreedField::Score {
                    form.score.insert_str(line);
                } else {
                    form.note.insert_str(p);
                }
            }
            Action::Back => {
                let typed = !text_of(&form.score).is_empty() || !text_of(&form.note).is_empty();
                if self.leaves(typed, "Nothing recorded: the agreed mark was not saved.") {
                    return Screen::Sheet;
                }
            }
            Action::Confirm | Action::Save => {
                let Some(e) = self.current().cloned() else {
                    return Screen::Sheet;
                };
                let max = e.internal.max;
                let text = text_of(&form.score);
                let score = match text.parse::<f64>() {
                    Ok(s) if s.is_finite() && (0.0..=max).contains(&s) => s,
                    _ => {
                        self.warn(format!(
                            "\"{text}\" is not a score from 0 to {}: type the agreed score as a number.",
                            fmt_marks(max)
                        ));
                        form.field = AgreedField::Score;
                        return Screen::Agreed(form);
                    }
                };
                let outcome = match form.result {
                    AgreedResult::NotChosen => {
                        self.warn("This station is judged by competency or global rating: choose the agreed result (p or f).");
                        form.field = AgreedField::Result;
                        return Screen::Agreed(form);
                    }
                    AgreedResult::Chosen(o) => Some(o),
                    AgreedResult::ByScore => None,
                };
                let note = text_of(&form.note);
                if note.is_empty() {
                    self.warn("Say who agreed the mark (and how), then press enter.");
                    form.field = AgreedField::Note;
                    return Screen::Agreed(form);
                }
                if self.locked() {
                    return Screen::Sheet;
                }
                let event = Event::AgreedMark {
                    station: e.station.clone(),
                    candidate: e.candidate.clone(),
                    sheets: seen(&self.cohort, &e.sheets),
                    score,
                    outcome,
                    note,
                };
                let saved = format!(
                    "{} at {}: agreed mark {} — saved ✓",
                    e.candidate,
                    e.station,
                    fmt_marks(score)
                );
                let check = self.check_of(&e);
                return self.request(event, Some(check), saved, Screen::Agreed(form), Screen::Sheet);
            }
            _ => {}
        }
        Screen::Agreed(form)
    }

    fn on_report(&mut self, mut editor: Box<ReportEditor>, action: Action) -> Screen {
        match action {
            Action::Text(input) => {
                editor.text.input(input);
            }
            Action::Paste(p) => {
                editor.text.insert_str(p);
            }
            // Nothing typed is thrown away: closing saves, as comments do.
            Action::Save | Action::Back => {
                let report = text_of(&editor.text);
                if report == self.own().report {
                    // A draft written while it differed is withdrawn: a
                    // draft equal to the report.
                    if self.own().report_draft.is_some() {
                        self.effects.push(Effect::Record {
                            event: Event::ModerationReportDraft { text: report },
                            check: None,
                        });
                    }
                    self.say("Report unchanged.");
                    return Screen::List;
                }
                let saved = "Moderation report — saved ✓".to_string();
                return self.request(
                    Event::ModerationReport { text: report },
                    None,
                    saved,
                    Screen::Report(editor),
                    Screen::List,
                );
            }
            _ => {}
        }
        Screen::Report(editor)
    }

    /// While the report box is open: a draft of the report once it differs
    /// from the draft last written, at most once every
    /// [`crate::tui::marking::DRAFT_EVERY`], so that a crash or a closed
    /// window loses at most the last second of typing.
    fn draft_report(&mut self, now: std::time::Duration) {
        let Screen::Report(editor) = &mut self.screen else {
            return;
        };
        if self.pending.is_some()
            || editor
                .drafted_at
                .is_some_and(|at| now.saturating_sub(at) < crate::tui::marking::DRAFT_EVERY)
        {
            return;
        }
        let text = text_of(&editor.text);
        if editor.drafted.as_ref() == Some(&text) {
            return;
        }
        editor.drafted = Some(text.clone());
        editor.drafted_at = Some(now);
        self.effects.push(Effect::Record {
            event: Event::ModerationReportDraft { text },
            check: None,
        });
    }

    /// "12 sheets: 9 agreed, 2 disagreed, 1 referred to a third marker",
    /// over this assessor's decisions that still hold.
    pub fn decided_summary(&self) -> String {
        let mut counts = [0usize; 3];
        for e in &self.entries {
            if let Some((d, true)) = self.own_decision(e) {
                counts[d.decision as usize] += 1;
            }
        }
        let n: usize = counts.iter().sum();
        format!(
            "{n} {}: {} agreed, {} disagreed, {} referred to a third marker",
            if n == 1 { "sheet" } else { "sheets" },
            counts[Decision::Agree as usize],
            counts[Decision::Disagree as usize],
            counts[Decision::Refer as usize]
        )
    }

    /// The sheets of the sample with no decision from this assessor that
    /// holds: sign-off waits for them.
    pub fn undecided_sample(&self) -> usize {
        self.undecided_sample_entries().count()
    }

    /// The sample's sheets no assessor's decision holds for, but for those
    /// this assessor marked (another assessor's to moderate): sign-off
    /// waits for them. The sample is the exam's: assessors who share it
    /// (one a circuit, or a second brought in on one sheet) each sign off
    /// once every sheet of it has a decision, whoever took it.
    fn undecided_sample_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| {
            e.in_sample && !self.marked_by_you(e) && self.to_decide(e) && !self.decided_by_another(e)
        })
    }

    /// Whether another assessor's decision holds for the entry.
    fn decided_by_another(&self, e: &Entry) -> bool {
        self.moderation
            .decisions(&self.cohort, &e.sheets, &e.candidate, &e.station)
            .iter()
            .any(|(d, holds)| *holds && !d.assessor.eq_ignore_ascii_case(&self.assessor))
    }

    /// Whether this assessor has still to decide the entry: no decision of
    /// theirs holds, and they did not mark it (their own sheet is another
    /// assessor's to moderate).
    pub fn to_decide(&self, e: &Entry) -> bool {
        !self.marked_by_you(e) && !self.own_decision(e).is_some_and(|(_, holds)| holds)
    }

    /// The sample's sheets this assessor marked that no other assessor's
    /// decision holds for yet: sign-off waits for them, so that no sheet of
    /// the sample goes unmoderated.
    fn own_sheets_unmoderated(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.in_sample && self.marked_by_you(e) && !self.decided_by_another(e))
            .count()
    }

    /// Whether this assessor marked one of the entry's sheets: another
    /// assessor moderates it, and sign-off does not wait for it.
    pub fn marked_by_you(&self, e: &Entry) -> bool {
        e.sheets.iter().any(|&i| {
            self.cohort.sheets[i]
                .key
                .examiner
                .eq_ignore_ascii_case(&self.assessor)
        })
    }

    /// "1 sheet of the sample (C1 at knee) has" or "5 sheets of the sample
    /// (C1 at knee, C2 at hip, C3 at hip and 2 more) have": the sheets
    /// sign-off waits for, by name where there are few.
    fn undecided_sample_words(&self) -> String {
        const NAMED: usize = 3;
        let undecided: Vec<&Entry> = self.undecided_sample_entries().collect();
        let mut named: Vec<String> = undecided
            .iter()
            .take(NAMED)
            .map(|e| format!("{} at {}", e.candidate, e.station))
            .collect();
        if undecided.len() > NAMED {
            named.push(format!("{} more", undecided.len() - NAMED));
        }
        let list = match named.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => named.join(""),
        };
        format!(
            "{} of the sample ({list}) {}",
            plural(undecided.len(), "sheet", "sheets"),
            if undecided.len() == 1 { "has" } else { "have" }
        )
    }

    /// What the sign-off screen shows: the counts, and what is still open.
    pub fn sign_off_summary(&self) -> (String, Vec<String>) {
        let own = self.own();
        let mut open = Vec::new();
        if own.report_draft.is_some() {
            open.push(
                "The moderation report has changes typed but not saved (press R to see them, then esc to save)."
                    .to_string(),
            );
        } else if own.report.trim().is_empty() {
            open.push("There is no moderation report yet (press R to write it).".to_string());
        }
        let undecided_sample = self.undecided_sample();
        if undecided_sample > 0 {
            let sample = if self.rubric.moderation == crate::rubric::ModerationPolicy::All {
                "The rubric asks for every sheet to be moderated.".to_string()
            } else {
                format!(
                    "The sample is every fail, every borderline sheet and {}% of the rest.",
                    self.sample_percent
                )
            };
            open.push(format!(
                "{} no decision from you or another assessor. {sample}",
                self.undecided_sample_words()
            ));
            let no_result = self
                .undecided_sample_entries()
                .filter(|e| e.no_result_yet.is_some())
                .count();
            if no_result > 0 {
                open.push(format!(
                    "{} of them {} no result yet to decide on: another marker's sheet, a third marker's sheet or \
                     the markers' agreed mark is still to come (the sheet view says which). Decide {} once {} in.",
                    plural(no_result, "sheet", "sheets"),
                    if no_result == 1 { "has" } else { "have" },
                    if no_result == 1 { "it" } else { "them" },
                    if no_result == 1 { "it is" } else { "they are" },
                ));
            }
        }
        let yours = self.own_sheets_unmoderated();
        if yours > 0 {
            open.push(format!(
                "{} of the sample you marked yourself, as examiner {}: another assessor moderates {} before \
                 you sign off.",
                plural(yours, "sheet", "sheets"),
                self.assessor,
                if yours == 1 { "it" } else { "them" }
            ));
        }
        let (review, changed) = self.to_review();
        if changed > 0 {
            open.push(format!(
                "{} you decided on {} amended since (or another marker's sheet arrived): your decision no \
                 longer holds for {}.",
                plural(changed, "sheet", "sheets"),
                if changed == 1 { "was" } else { "were" },
                if changed == 1 { "it" } else { "them" }
            ));
        }
        if review > 0 {
            open.push(format!(
                "{} you decided on {} now a different result from the marks, under the pass marks adopted since \
                 (or a result where {} had none): review {} (shown as \"you: review (pass marks changed)\", or \
                 \"(a result since)\").",
                plural(review, "sheet", "sheets"),
                if review == 1 { "gives" } else { "give" },
                if review == 1 { "it" } else { "they" },
                if review == 1 { "it" } else { "them" }
            ));
        }
        // Sheets still to come: one the sample takes that comes in after the
        // sign-off is left to the exam lead.
        let waiting = self.matrix.waiting();
        if waiting > 0 {
            open.push(format!(
                "{} not in yet: one that comes in after you sign off is not yours to moderate (the exam lead \
                 decides it where the sample takes it); sign off once every sheet is in, where you can.",
                plural(waiting, "expected sheet is", "expected sheets are")
            ));
        }
        let awaited = self.entries.iter().filter(|e| e.awaits_agreed_mark()).count();
        if awaited > 0 {
            open.push(format!(
                "{} the markers' agreed mark: select {} and press m to record it (who agreed it, and the mark), \
                 or the exam lead records it.",
                plural(awaited, "double-marked sheet waits for", "double-marked sheets wait for"),
                if awaited == 1 { "it" } else { "each" }
            ));
        }
        // A referral waits for its third marker: it does not keep the
        // assessor from signing off, but the result stays open until then.
        let referred = self
            .entries
            .iter()
            .filter(|e| {
                matches!(
                    self.cell_moderation(e),
                    CellModeration::Referred { third: None, .. }
                )
            })
            // Not one whose result the exam lead decided.
            .filter(|e| {
                !self
                    .matrix
                    .cell(&e.candidate, &e.station)
                    .is_some_and(crate::results::gather::Cell::result_decided)
            })
            .count();
        if referred > 0 {
            open.push(format!(
                "{} referred to a third marker {} for the third marker's sheet: {} INCOMPLETE until it is in \
                 (or the exam lead decides it). Signing off does not wait for it.",
                plural(referred, "sheet", "sheets"),
                if referred == 1 { "waits" } else { "wait" },
                if referred == 1 {
                    "its result stays"
                } else {
                    "their results stay"
                }
            ));
        }
        // Assessors who differ have moderated the sheet, each of them: said
        // as such, not as a sheet nobody moderated. Not where the exam lead
        // has decided its result already.
        let differ = self
            .entries
            .iter()
            .filter(|e| matches!(self.cell_moderation(e), CellModeration::Conflicting { .. }))
            .filter(|e| {
                !self
                    .matrix
                    .cell(&e.candidate, &e.station)
                    .is_some_and(crate::results::gather::Cell::result_decided)
            })
            .count();
        if differ > 0 {
            open.push(format!(
                "The assessors' decisions differ on {}: agree one between you, or the exam lead decides {} \
                 (osce decide result).",
                plural(differ, "sheet", "sheets"),
                if differ == 1 {
                    "its result"
                } else {
                    "their results"
                }
            ));
        }
        if self.rubric.moderation == crate::rubric::ModerationPolicy::All {
            let undecided = self
                .entries
                .iter()
                .filter(|e| {
                    let m = self.cell_moderation(e);
                    !m.is_moderated() && !matches!(m, CellModeration::Conflicting { .. })
                })
                .count();
            if undecided > 0 {
                open.push(format!(
                    "The rubric requires every sheet to be moderated; {undecided} of {} are not.",
                    self.entries.len()
                ));
            }
        }
        (self.decided_summary(), open)
    }

    /// What the assessor should know before signing off that does not
    /// keep them from it: the pass marks still provisional (results may
    /// change under their decisions).
    pub fn sign_off_note(&self) -> Option<String> {
        (!self.pass_marks_adopted && self.rubric.pass_marks_provisional()).then(|| {
            "The pass marks are still provisional: the exam board has not adopted standard-set ones yet, and a \
             result may change when it does (a decision of yours it turns around is then yours to review, or the \
             exam lead's once you have signed off)."
                .to_string()
        })
    }

    /// This assessor's decisions that no longer hold: (taken under other
    /// pass marks, on sheets that changed since).
    pub fn to_review(&self) -> (usize, usize) {
        let mut counts = (0, 0);
        for e in &self.entries {
            match self.own_decision_as_recorded(e) {
                // The sheets changed since: whatever the pass marks did.
                Some((_, false)) => counts.1 += 1,
                Some((d, true)) if self.under_other_pass_marks(d, e) => counts.0 += 1,
                _ => {}
            }
        }
        counts
    }

    /// What keeps this assessor from signing off now, in words: `None`
    /// when nothing does.
    pub fn sign_off_blocked(&self) -> Option<String> {
        let yours = self.own_sheets_unmoderated();
        if yours > 0 {
            return Some(format!(
                "{} of the sample you marked yourself {} no decision from another assessor yet: sign off once \
                 another assessor has moderated {}.",
                plural(yours, "sheet", "sheets"),
                if yours == 1 { "has" } else { "have" },
                if yours == 1 { "it" } else { "them" }
            ));
        }
        if self.own().report_draft.is_some() {
            return Some(
                "Save the report first: it has changes typed but not saved (R, then esc).".to_string(),
            );
        }
        if self.own().report.trim().is_empty() {
            return Some("Write the moderation report (R) before signing off.".to_string());
        }
        if self.undecided_sample() > 0 {
            return Some(format!(
                "{} no decision from you or another assessor that holds: decide each (the sample filter shows \
                 them, f) before signing off.",
                self.undecided_sample_words()
            ));
        }
        None
    }

    /// Scrolls the open sheet (or the sign-off) down, no further than its
    /// end as last drawn.
    fn scroll_down(&mut self, rows: u16) {
        self.scroll = self.scroll.saturating_add(rows).min(self.scroll_limit.get());
    }

    /// Scrolls up from where the view is: from its end, where the content
    /// shrank since it was scrolled (a wider window, a sheet read again).
    fn scroll_up(&mut self, rows: u16) {
        self.scroll = self.scroll.min(self.scroll_limit.get()).saturating_sub(rows);
    }

    fn on_sign_off(&mut self, action: Action) -> Screen {
        match action {
            Action::Up => {
                self.scroll_up(1);
                Screen::SignOff
            }
            Action::Down => {
                self.scroll_down(1);
                Screen::SignOff
            }
            Action::Back => {
                self.say("Not signed off.");
                Screen::List
            }
            Action::Confirm => {
                if let Some(why) = self.sign_off_blocked() {
                    self.warn(why);
                    return Screen::SignOff;
                }
                let (summary, _) = self.sign_off_summary();
                let saved = "Signed off — saved ✓. The moderation is now locked.".to_string();
                self.request(
                    Event::SignedOff { summary },
                    None,
                    saved,
                    Screen::SignOff,
                    Screen::List,
                )
            }
            Action::Help => {
                self.help = true;
                Screen::SignOff
            }
            _ => Screen::SignOff,
        }
    }
}

/// The default seed for an assessment's sample: from its id, so the same
/// exam gives the same sample unless a seed is chosen.
pub fn default_seed(assessment: &str) -> u64 {
    let h = blake3::hash(assessment.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(b) % 1_000_000
}

/// The moderation screen keeps the contract every screen keeps.
impl crate::tui::screen::Screen for ModerateApp {
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
        ModerateApp::update(self, action)
    }

    fn reply(&mut self, reply: Reply) -> Vec<Effect> {
        ModerateApp::reply(self, reply)
    }

    fn tick(&self, now: std::time::Duration, _wall: chrono::DateTime<Utc>) -> Option<Action> {
        matches!(self.screen, Screen::Report(_)).then_some(Action::Tick(now))
    }

    fn view(&self, frame: &mut ratatui::Frame, theme: &crate::tui::theme::Theme) {
        view::render(self, frame, theme);
    }

    fn done(&self) -> bool {
        self.quit
    }
}
