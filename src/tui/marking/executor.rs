//! Performs the marking screen's effects (the store, the bell, the home
//! screen's disk work) and reports what came of each. The [`Executor`]
//! needs no terminal, so tests drive the whole app against a real store
//! with it ([`crate::tui::screen::drive`]).

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::rubric;
use crate::store::{Health, Journal, SaveProblem, SheetState, Store};
use crate::tui::screen::{self, DiskWatch, Step, WallClock};

use super::home::{Home, Launch, RubricChoice, RubricSource, Unfinished};
use super::session::{
    MarkingOrder, file_choice, ids_as_in_folder, load_roster, roster_circuits, rubric_choices,
    same_rubric_as_folder, session, with_gate_warnings,
};
use super::{App, Effect, Finished, Progress, Reply, Saved, Session};

pub struct Executor {
    pub store: Store,
    journal: Option<Journal>,
    rubric_hash: String,
    pub device: String,
    /// What the home screen offers, with each rubric's text.
    choices: Vec<(RubricChoice, Option<String>)>,
    /// Bells asked for and not yet rung.
    pub bells: usize,
    wall: WallClock,
    /// When to check the sessions folder next ([`screen::Executor::watch`]).
    disk: DiskWatch,
    /// Where the home screen found its rubrics, and the examiner id it
    /// started with: to build it again when marking ends (`q`).
    home_from: Option<(PathBuf, String)>,
    /// Whether the home screen remembers the examiner's choices between
    /// runs ([`crate::tui::remember`]); only `osce` itself, not tests.
    pub remember: bool,
    /// The folder's health as last checked (and so as the app has it).
    checked: Health,
}

impl Executor {
    pub fn new(store: Store, device: String, wall: WallClock) -> Executor {
        Executor {
            store,
            journal: None,
            rubric_hash: String::new(),
            device,
            choices: Vec::new(),
            bells: 0,
            wall,
            disk: DiskWatch::default(),
            home_from: None,
            remember: false,
            checked: Health::Fine,
        }
    }

    pub fn set_rubric_hash(&mut self, hash: String) {
        self.rubric_hash = hash;
    }

    /// Builds the home screen: the rubrics on offer (from `rubrics/` here,
    /// else the examples built into the binary) and this device's
    /// unfinished sheets.
    pub fn home(&mut self, rubrics_dir: &Path, examiner: &str) -> Home {
        self.home_from = Some((rubrics_dir.to_path_buf(), examiner.to_string()));
        self.choices = rubric_choices(rubrics_dir);
        // Each unfinished sheet once, under the rubric file it was marked
        // with (several files may hold versions of one assessment).
        let hashes: Vec<Option<String>> = self
            .choices
            .iter()
            .map(|(c, text)| {
                text.as_deref()
                    .filter(|_| c.problem.is_none())
                    .map(crate::store::hash_rubric)
            })
            .collect();
        let mut ids: Vec<&str> = self
            .choices
            .iter()
            .filter(|(c, _)| c.problem.is_none())
            .map(|(c, _)| c.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut unfinished = Vec::new();
        for id in ids {
            let Ok(sheets) = self.store.sheets(id) else {
                continue;
            };
            let here: Vec<_> = sheets
                .into_iter()
                .filter(|(k, _)| k.device == self.device)
                .filter_map(|(key, path)| {
                    let replay = crate::store::read_sheet(&path).ok()?;
                    let state = SheetState::replay(&replay.records);
                    Some((key, replay, state))
                })
                .collect();
            for (key, replay, state) in &here {
                if state.records == 0 || state.is_locked() {
                    continue;
                }
                // Left empty under a mistyped id, the candidate then marked
                // here under another: set aside (as status says), not a
                // sheet to go back to.
                let marked_by_another = here.iter().any(|(k, _, s)| {
                    k.candidate == key.candidate
                        && k.station == key.station
                        && k.examiner != key.examiner
                        && !crate::results::gather::holds_nothing(s)
                });
                if crate::results::gather::holds_nothing(state) && marked_by_another {
                    continue;
                }
                let marked_with = replay.records.first().map(|r| r.rubric.as_str());
                let same_id = |i: &usize| self.choices[*i].0.id == id && hashes[*i].is_some();
                let Some(rubric) = (0..self.choices.len())
                    .filter(same_id)
                    .find(|&i| hashes[i].as_deref() == marked_with)
                    .or_else(|| (0..self.choices.len()).find(same_id))
                else {
                    continue;
                };
                unfinished.push(Unfinished {
                    rubric,
                    station: key.station.clone(),
                    candidate: key.candidate.clone(),
                    candidate_name: state.confirmed.clone().unwrap_or_default(),
                    examiner: key.examiner.clone(),
                    last_saved: state
                        .last
                        .map(|(_, t)| t.with_timezone(&chrono::Local).format("%d %b %H:%M").to_string())
                        .unwrap_or_default(),
                });
            }
        }
        let mut home = Home::new(
            self.choices.iter().map(|(c, _)| c.clone()).collect(),
            unfinished,
            self.store.root().display().to_string(),
            examiner,
        );
        // Roster files beside the rubrics, offered in the roster field.
        let mut rosters: Vec<String> = std::fs::read_dir(rubrics_dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
                    .map(|p| p.display().to_string())
                    .collect()
            })
            .unwrap_or_default();
        rosters.sort();
        home.roster_circuits = rosters
            .iter()
            .map(|path| (path.clone(), roster_circuits(Path::new(path))))
            .collect();
        home.rosters = rosters;
        if self.remember
            && let Some(r) = crate::tui::remember::load()
        {
            home.remember(&r);
            self.offer_unfinished_candidate(&mut home, &r);
        }
        home
    }

    /// The home screen again, once marking ends (`q`), if the session was
    /// started from it: the journal is closed first, so its lock is freed.
    pub fn home_again(&mut self) -> Option<Home> {
        let (dir, examiner) = self.home_from.clone()?;
        self.journal = None;
        Some(self.home(&dir, &examiner))
    }

    /// A session from the home screen's choices, remembered for next time
    /// (a failure to remember only means the fields start empty then).
    fn launch(&mut self, launch: &Launch, remember: &crate::tui::remember::Remembered) -> Reply {
        // The rubric file is read again: edited since the home screen
        // listed it (a mistake fixed, or the right version put back), the
        // screen shows it as it is now before anything starts.
        if let Some((choice, text)) = self.choices.get(launch.rubric)
            && let RubricSource::File(path) = &choice.source
        {
            let now = file_choice(path.clone());
            if now.1 != *text || now.0 != *choice {
                let choice = now.0.clone();
                self.choices[launch.rubric] = now;
                return Reply::RubricReread {
                    index: launch.rubric,
                    choice: Box::new(choice),
                };
            }
        }
        if let Some((choice, _)) = self.choices.get(launch.rubric)
            && let Some(problem) = &choice.problem
        {
            return Reply::LaunchFailed(format!("{} cannot be used: {problem}", choice.label));
        }
        // A sheet resumed into its station circuit (the candidate named):
        // where the circuit does not hold that candidate, or cannot be
        // made (its roster gone), the sheet is resumed alone.
        let alone = || Launch {
            circuit: false,
            roster: String::new(),
            circuit_name: String::new(),
            resumed: true,
            begin_at: false,
            ..launch.clone()
        };
        let session = match self.session_from_home(launch) {
            Ok(s)
                if launch.circuit
                    && !launch.candidate_id.is_empty()
                    && !s.candidates.iter().any(|c| c.id == launch.candidate_id) =>
            {
                self.session_from_home(&alone())
            }
            Err(_) if launch.circuit && !launch.candidate_id.is_empty() => self.session_from_home(&alone()),
            other => other,
        };
        match session {
            Ok(session) => {
                if self.remember {
                    let _ = crate::tui::remember::save(remember);
                }
                self.rubric_hash = session.rubric_hash.clone();
                self.disk.soon();
                Reply::Start(Box::new(session))
            }
            Err(message) => Reply::LaunchFailed(message),
        }
    }

    /// Opens (creating if needed) and locks the sheet's journal, and
    /// replays it.
    fn open(&mut self, key: crate::store::SheetKey) -> Reply {
        if let Some(message) = self.copy_holds_more(&key) {
            return Reply::OpenFailed { message };
        }
        match self.store.open_sheet(&key, &self.rubric_hash) {
            Ok((journal, replay)) => {
                self.journal = Some(journal);
                Reply::Opened {
                    key,
                    records: replay.records,
                    quarantine: replay.quarantined.map(|q| q.to_string()),
                }
            }
            Err(e) => Reply::OpenFailed {
                message: e.to_string(),
            },
        }
    }

    /// Why the sheet `key` must not be opened here: a copy of its journal
    /// renamed beside it (a sync client keeps both files when one changed
    /// in two places) holds records the journal lacks, so marking on would
    /// make another history of the sheet, a conflict for the exam lead.
    fn copy_holds_more(&self, key: &crate::store::SheetKey) -> Option<String> {
        let path = self.store.sheet_path(key).ok()?;
        let journal = std::fs::read(&path).unwrap_or_default();
        let copies = crate::store::Store::new(self.store.root())
            .with_renamed_copies()
            .cell_sheets(&key.assessment, &key.candidate, &key.station)
            .ok()?;
        let (_, copy) = copies.into_iter().find(|(k, p)| {
            k.examiner == key.examiner
                && k.device == key.device
                && *p != path
                && std::fs::read(p).is_ok_and(|bytes| !journal.starts_with(&bytes))
        })?;
        Some(format!(
            "A copy of this sheet renamed beside it, {}, holds records that {} lacks: a sync client kept both when \
             the file changed in two places. Nothing was written, so that no second history of the sheet is made. \
             Tell the exam lead, whose osce status shows which copy counts and what it holds.",
            copy.display(),
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ))
    }

    /// Why a sheet not yet started for `key` must not be: another
    /// candidate's id on this laptop differs from its only in capitals.
    fn would_mix_up(&self, key: &crate::store::SheetKey) -> Option<String> {
        if self.store.sheet_path(key).ok()?.exists() {
            return None;
        }
        // This examiner's sheet of this candidate here, marked on another
        // laptop (a spare taking over, the folder copied across): a second
        // sheet here would be a second history of it.
        let others = self
            .store
            .other_devices(&key.assessment, &key.examiner, &key.device);
        if let Some((device, _)) = self.store.on_other_device(key, &others) {
            return Some(format!(
                "{}'s sheet for {} at {} was begun on the laptop named {device} (it is in this folder). Nothing \
                 was written: a second sheet here would be a conflict. If this laptop takes over from {device}, \
                 quit and start osce again with --device {device}.",
                key.examiner, key.candidate, key.station
            ));
        }
        let other = self.store.same_but_for_case(key)?;
        Some(format!(
            "Candidate {} differs from {other}, already marked on this laptop, only in capitals: on Windows and macOS \
             they would be one folder, and lists would mix them up. Nothing was written. If this is {other}, start \
             again with that id; if not, give one of them another id (the roster says which).",
            key.candidate
        ))
    }

    /// Appends `event` to the open sheet's journal and makes it durable.
    fn append(&mut self, event: crate::store::Event) -> Step<Reply> {
        let time = (self.wall)();
        let writing = crate::tui::signals::writing();
        let appended = self.journal.as_mut().map(|j| j.append(event, time));
        drop(writing);
        match appended {
            Some(Ok(record)) => {
                // A line reached the open journal; whether the folder can
                // take more (the next sheet) is the check's to say, at once.
                if matches!(self.checked, Health::Unwritable(_)) {
                    self.disk.soon();
                }
                Step::Reply(Reply::Appended(record))
            }
            Some(Err(e)) => {
                // Look at the disk again at once: the banner should say
                // why, and stay until it is fixed.
                self.disk.soon();
                Step::Failed(Reply::AppendFailed(SaveProblem::of(&e)))
            }
            None => Step::Failed(Reply::AppendFailed(SaveProblem {
                headline: "no sheet is open".to_string(),
                advice: "Open the sheet again; this is a bug in osce, please report it.".to_string(),
                detail: "no sheet is open".to_string(),
            })),
        }
    }

    /// Where each of `keys` stands on disk (read without locking).
    fn survey(&self, keys: Vec<crate::store::SheetKey>) -> Vec<super::Surveyed> {
        let others = self.others(&keys);
        keys.into_iter()
            .map(|key| {
                let state = self
                    .sheet_file(&key, &others)
                    .and_then(|p| crate::store::read_sheet(&p).ok())
                    .map(|r| SheetState::replay(&r.records));
                match state {
                    Some(state) => {
                        let progress = Progress::of(&state);
                        let timer = if progress == Progress::Started {
                            state.timer_events()
                        } else {
                            Vec::new()
                        };
                        (key, progress, state.absent, timer)
                    }
                    None => (key, Progress::NotStarted, None, Vec::new()),
                }
            })
            .collect()
    }

    /// The journal of the sheet `key`: on this laptop, else this
    /// examiner's from another laptop in this folder (a spare taking over,
    /// the folder copied across), so that a circuit carries on after what
    /// was done there rather than from round 1. `None` if neither is there.
    fn sheet_file(
        &self,
        key: &crate::store::SheetKey,
        others: &[(String, std::path::PathBuf)],
    ) -> Option<std::path::PathBuf> {
        self.store
            .sheet_path(key)
            .ok()
            .filter(|p| p.exists())
            .or_else(|| self.store.on_other_device(key, others).map(|(_, p)| p))
    }

    /// This examiner's folders under other devices' names, listed once for
    /// the sheets `keys` (one examiner's, of one assessment).
    fn others(&self, keys: &[crate::store::SheetKey]) -> Vec<(String, std::path::PathBuf)> {
        keys.first()
            .map(|k| self.store.other_devices(&k.assessment, &k.examiner, &k.device))
            .unwrap_or_default()
    }

    /// What the finished sheets among `keys` say of their rounds; a sheet
    /// that cannot be read, or was never submitted, is left out.
    fn recall(&self, keys: Vec<crate::store::SheetKey>) -> Vec<(crate::store::SheetKey, Finished)> {
        let others = self.others(&keys);
        keys.into_iter()
            .filter_map(|key| {
                let path = self.sheet_file(&key, &others)?;
                let replay = crate::store::read_sheet(&path).ok()?;
                let at = replay
                    .records
                    .iter()
                    .find(|r| matches!(r.event, crate::store::Event::Submitted { .. }))?
                    .time;
                let state = SheetState::replay(&replay.records);
                Some((
                    key,
                    Finished {
                        at,
                        absent: state.absent.is_some(),
                        timer: state.timer_events(),
                    },
                ))
            })
            .collect()
    }

    /// A candidate's submitted sheets among `keys`. One being amended
    /// counts as it was submitted, which this screen cannot show, so it is
    /// left out (the result then says it is missing).
    fn standing(&self, keys: Vec<crate::store::SheetKey>) -> Vec<(String, crate::scoring::StationSheet)> {
        let others = self.others(&keys);
        keys.into_iter()
            .filter_map(|key| {
                let path = self.sheet_file(&key, &others)?;
                let replay = crate::store::read_sheet(&path).ok()?;
                let state = SheetState::replay(&replay.records);
                state
                    .is_locked()
                    .then(|| (key.station.clone(), state.to_station_sheet()))
            })
            .collect()
    }

    fn session_from_home(&self, launch: &Launch) -> Result<Session, String> {
        let (choice, text) = self.choices.get(launch.rubric).ok_or("no such rubric")?;
        let text = text
            .as_ref()
            .ok_or_else(|| format!("{} cannot be read", choice.label))?;
        let checked = rubric::check_str(&choice.label, text);
        let rubric = checked
            .rubric
            .ok_or_else(|| format!("{} is not a valid rubric: run `osce check` on it", choice.label))?;
        let (roster, notes) = if launch.roster.is_empty() {
            (None, Vec::new())
        } else {
            let (roster, notes) = load_roster(Path::new(&launch.roster), &rubric)?;
            // Its warnings are of the rotation (its waves): candidate by
            // candidate nothing rotates.
            (Some(roster), if launch.circuit { notes } else { Vec::new() })
        };
        let plan = if launch.circuit {
            MarkingOrder::Circuit {
                station: launch.station.clone().ok_or("choose your station")?,
                circuit: (!launch.circuit_name.is_empty()).then(|| launch.circuit_name.clone()),
            }
        } else {
            MarkingOrder::Candidates {
                // Without a name typed, the one this candidate was
                // confirmed under on this laptop's sheets, as `osce score
                // --candidate` gives it: a name to check them against.
                candidate: (!launch.candidate_id.is_empty()).then(|| {
                    let name = Some(launch.candidate_name.clone())
                        .filter(|n| !n.trim().is_empty())
                        .or_else(|| {
                            crate::tui::marking::session::name_on_sheets(
                                self.store.root(),
                                &rubric.id,
                                &launch.candidate_id,
                            )
                        })
                        .unwrap_or_default();
                    (launch.candidate_id.clone(), name)
                }),
                station: launch.station.clone(),
            }
        };
        session(
            rubric,
            text,
            &launch.examiner,
            &self.device,
            plan,
            roster.as_ref(),
        )
        .and_then(|s| ids_as_in_folder(&s, self.store.root()).map(|()| s))
        .and_then(|s| same_rubric_as_folder(&s, self.store.root()).map(|warning| (s, warning)))
        .map(|(s, warning)| Session {
            notes: notes
                .into_iter()
                .chain(warning.map(|w| format!("warning: {w}")))
                .collect(),
            // The station the home screen shows, not chosen this time, is
            // where to begin: a submitted sheet there (the examiner back
            // after a crash between cases) is passed for the next one not
            // submitted, where one is left. Chosen, or a sheet resumed, it
            // is shown as it is.
            begin_at: launch.begin_at,
            resumed: launch.resumed,
            ..with_gate_warnings(s, self.store.root())
        })
    }
}

impl screen::Executor<App> for Executor {
    fn perform(&mut self, effect: Effect) -> Step<Reply> {
        match effect {
            Effect::Open(key) => Step::Reply(match self.would_mix_up(&key) {
                Some(message) => Reply::OpenFailed { message },
                None => self.open(key),
            }),
            Effect::Append(event) => self.append(event),
            Effect::Bell => {
                self.bells += 1;
                Step::Done
            }
            Effect::Close => {
                self.journal = None;
                Step::Done
            }
            Effect::Survey(keys) => Step::Reply(Reply::Surveyed(self.survey(keys))),
            Effect::Recall(keys) => Step::Reply(Reply::Recalled(self.recall(keys))),
            Effect::Standing { candidate, keys } => Step::Reply(Reply::Standing {
                candidate,
                sheets: self.standing(keys),
            }),
            Effect::Launch { launch, remember } => Step::Reply(self.launch(&launch, &remember)),
            Effect::Home => Step::Reply(Reply::Home(self.home_again().map(Box::new))),
        }
    }

    /// After a failed append the rest of the appends are dropped: a later
    /// record must never land when an earlier one did not.
    fn skipped_after_failure(&self, effect: &Effect) -> bool {
        matches!(effect, Effect::Append(_))
    }

    /// Checks, when a session starts and every [`screen::DISK_CHECK`]
    /// after, whether marks can be saved ([`DiskWatch`]).
    fn watch(&mut self, app: &App, now: Instant) -> Option<Reply> {
        let session = app.session.as_ref()?;
        let who = (
            session.rubric.id.as_str(),
            session.examiner.as_str(),
            session.device.as_str(),
        );
        let problem = matches!(app.disk, Health::Unwritable(_)) || matches!(app.saved, Saved::Failed(_));
        let health = self.disk.check(&self.store, who, problem, now)?;
        self.checked = health.clone();
        (health != app.disk).then_some(Reply::Disk(health))
    }

    fn take_bells(&mut self) -> usize {
        std::mem::take(&mut self.bells)
    }
}

impl Executor {
    /// The candidate last marked candidate by candidate, offered again on
    /// the home screen where some of their stations on this device are
    /// submitted (or their absence recorded) by the same examiner and
    /// others not: osce stopped between two of their stations. One whose
    /// sheet is unfinished is in the resume list already.
    pub fn offer_unfinished_candidate(&self, home: &mut Home, r: &crate::tui::remember::Remembered) {
        if r.circuit || r.candidate.is_empty() || r.examiner.is_empty() {
            return;
        }
        let Some(choice) = home.rubrics.get(home.rubric).filter(|c| c.label == r.rubric) else {
            return;
        };
        if home.unfinished.iter().any(|u| u.candidate == r.candidate) {
            return;
        }
        let Ok(sheets) = self.store.sheets(&choice.id) else {
            return;
        };
        let mut done = std::collections::BTreeSet::new();
        let mut name = String::new();
        let mut last: Option<chrono::DateTime<chrono::Utc>> = None;
        for (key, path) in sheets {
            if key.candidate != r.candidate || key.device != self.device || key.examiner != r.examiner {
                continue;
            }
            let Ok(replay) = crate::store::read_sheet(&path) else {
                continue;
            };
            let state = SheetState::replay(&replay.records);
            if state.submitted.is_some() || state.absent.is_some() {
                done.insert(key.station.clone());
            }
            if let Some(confirmed) = state.confirmed.clone() {
                name = confirmed;
            }
            last = last.max(state.last.map(|(_, t)| t));
        }
        let of = choice.stations.len();
        let done = choice.stations.iter().filter(|(id, _)| done.contains(id)).count();
        if done == 0 || done >= of {
            return;
        }
        let last = last
            .map(|t| t.with_timezone(&chrono::Local).format("%d %b %H:%M").to_string())
            .unwrap_or_default();
        let noun = choice.noun;
        home.offer_unfinished_candidate(&r.candidate, &name, (done, of, noun), &last);
    }
}
