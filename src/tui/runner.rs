//! Performs the app's effects (the store, the bell, the home screen's disk
//! work) and runs the terminal loop. The [`Executor`] needs no terminal, so
//! tests drive the whole app against a real store with it.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{self, Event as TermEvent};

use crate::day::circuit::CircuitPlan;
use crate::day::roster::{Roster, read_roster, station_queue};
use crate::rubric::examples;
use crate::rubric::{self, Rubric};
use crate::store::{Health, Journal, SaveProblem, SheetState, Store, hash_rubric};

use super::app::{Action, App, Candidate, Effect, Mode, Progress, Saved, Session};
use super::home::{Home, HomeEffect, Launch, RubricChoice, RubricSource, Unfinished};
use super::keymap::action_for;
use super::theme::Theme;
use super::views;

/// Where the wall-clock time comes from: the real clock, or a test's.
pub type WallClock = Box<dyn FnMut() -> DateTime<Utc>>;

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
    /// When to check the sessions folder next ([`Executor::watch_disk`]).
    disk: DiskWatch,
    /// Where the home screen found its rubrics, and the examiner id it
    /// started with: to build it again when marking ends (`q`).
    home_from: Option<(PathBuf, String)>,
    /// Whether the home screen remembers the examiner's choices between
    /// runs ([`crate::tui::remember`]); only `osce` itself, not tests.
    pub remember: bool,
}

/// When to check whether a sessions folder can be written: at once, then
/// every [`DISK_CHECK`]. Shared by the marking and moderation screens.
#[derive(Debug, Default)]
pub struct DiskWatch {
    checked: Option<Instant>,
}

impl DiskWatch {
    /// Check at the next call.
    pub fn soon(&mut self) {
        self.checked = None;
    }

    /// If a check is due, checks the folder where `who` on `device` saves
    /// for `assessment`. The first check, and any with `probe` (a problem
    /// is known), really writes a small file ([`Store::probe`], under the
    /// write guard, so that it is never cut in half); the others only ask
    /// for the free space and the read-only flag ([`Store::space`]): a
    /// write test on a nearly full disk can fail where a journal, with
    /// room left in its last block, still saves.
    pub fn check(
        &mut self,
        store: &Store,
        (assessment, who, device): (&str, &str, &str),
        probe: bool,
        now: Instant,
    ) -> Option<Health> {
        if self
            .checked
            .is_some_and(|last| now.saturating_duration_since(last) < DISK_CHECK)
        {
            return None;
        }
        let first = self.checked.is_none();
        self.checked = Some(now);
        let _writing = super::signals::writing();
        Some(if first || probe {
            store.probe(assessment, who, device)
        } else {
            store.space(assessment, who, device)
        })
    }
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
        }
    }

    /// Checks, when a session starts and every [`DISK_CHECK`] after,
    /// whether marks can be saved, and tells the app ([`DiskWatch`]).
    pub fn watch_disk(&mut self, app: &mut App, now: Instant) {
        let Some(session) = &app.session else {
            return;
        };
        let who = (
            session.rubric.id.as_str(),
            session.examiner.as_str(),
            session.device.as_str(),
        );
        let problem = matches!(app.disk, Health::Unwritable(_)) || matches!(app.saved, Saved::Failed(_));
        if let Some(health) = self.disk.check(&self.store, who, problem, now)
            && health != app.disk
        {
            app.update(Action::Disk(health));
        }
    }

    pub fn set_rubric_hash(&mut self, hash: String) {
        self.rubric_hash = hash;
    }

    /// Performs effects in order, feeding each outcome back to the app and
    /// performing what that asks for in turn. After a failed append the
    /// rest of the appends are dropped: a later record must never land
    /// when an earlier one did not.
    pub fn perform(&mut self, app: &mut App, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut failed = false;
        while let Some(effect) = queue.pop_front() {
            let follow = match effect {
                Effect::Open(key) => match self.store.open_sheet(&key, &self.rubric_hash) {
                    Ok((journal, replay)) => {
                        self.journal = Some(journal);
                        app.update(Action::Opened {
                            key,
                            records: replay.records,
                            quarantine: replay.quarantined.map(|q| q.to_string()),
                        })
                    }
                    Err(e) => app.update(Action::OpenFailed {
                        message: e.to_string(),
                    }),
                },
                Effect::Append(_) if failed => Vec::new(),
                Effect::Append(event) => {
                    let time = (self.wall)();
                    let writing = super::signals::writing();
                    let appended = self.journal.as_mut().map(|j| j.append(event, time));
                    drop(writing);
                    match appended {
                        Some(Ok(record)) => {
                            // A line reached the open journal; whether the
                            // folder can take more (the next sheet) is the
                            // check's to say, at once.
                            if matches!(app.disk, Health::Unwritable(_)) {
                                self.disk.soon();
                            }
                            app.update(Action::Appended(record))
                        }
                        Some(Err(e)) => {
                            failed = true;
                            // Look at the disk again at once: the banner
                            // should say why, and stay until it is fixed.
                            self.disk.soon();
                            app.update(Action::AppendFailed(SaveProblem::of(&e)))
                        }
                        None => {
                            failed = true;
                            app.update(Action::AppendFailed(SaveProblem {
                                headline: "no sheet is open".to_string(),
                                advice: "Open the sheet again; this is a bug in osce, please report it."
                                    .to_string(),
                                detail: "no sheet is open".to_string(),
                            }))
                        }
                    }
                }
                Effect::Bell => {
                    self.bells += 1;
                    Vec::new()
                }
                Effect::Close => {
                    self.journal = None;
                    Vec::new()
                }
                Effect::Survey(keys) => {
                    let found = keys
                        .into_iter()
                        .map(|key| {
                            let progress = self
                                .store
                                .sheet_path(&key)
                                .ok()
                                .filter(|p| p.exists())
                                .and_then(|p| crate::store::read_sheet(&p).ok())
                                .map_or(Progress::NotStarted, |r| {
                                    Progress::of(&SheetState::replay(&r.records))
                                });
                            (key, progress)
                        })
                        .collect();
                    app.update(Action::Surveyed(found))
                }
                Effect::Standing { candidate, keys } => {
                    // Submitted sheets only: one being amended counts as
                    // it was submitted, which this screen cannot show, so
                    // it is left out (the result then says it is missing).
                    let sheets = keys
                        .into_iter()
                        .filter_map(|key| {
                            let path = self.store.sheet_path(&key).ok()?;
                            let replay = crate::store::read_sheet(&path).ok()?;
                            let state = SheetState::replay(&replay.records);
                            state
                                .is_locked()
                                .then(|| (key.station.clone(), state.to_station_sheet()))
                        })
                        .collect();
                    app.update(Action::Standing { candidate, sheets })
                }
                Effect::Quit => Vec::new(),
                Effect::Home(HomeEffect::Launch(launch)) => self.launch(app, &launch),
            };
            queue.extend(follow);
        }
    }

    /// Builds the home screen: the rubrics on offer (from `rubrics/` here,
    /// else the examples built into the binary) and this device's
    /// unfinished sheets.
    pub fn home(&mut self, rubrics_dir: &Path, examiner: &str) -> Home {
        self.home_from = Some((rubrics_dir.to_path_buf(), examiner.to_string()));
        self.choices = rubric_choices(rubrics_dir);
        let mut unfinished = Vec::new();
        for (i, (choice, _)) in self.choices.iter().enumerate() {
            if choice.problem.is_some() {
                continue;
            }
            let Ok(sheets) = self.store.sheets(&choice.id) else {
                continue;
            };
            for (key, path) in sheets.into_iter().filter(|(k, _)| k.device == self.device) {
                let Ok(replay) = crate::store::read_sheet(&path) else {
                    continue;
                };
                let state = SheetState::replay(&replay.records);
                if state.records > 0 && !state.is_locked() {
                    unfinished.push(Unfinished {
                        rubric: i,
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

    fn launch(&mut self, app: &mut App, launch: &Launch) -> Vec<Effect> {
        match self.session_from_home(launch) {
            Ok(session) => {
                // Remembered for next time; a failure only means the
                // fields start empty then.
                if self.remember
                    && let Some(home) = app.home_mut()
                {
                    let _ = crate::tui::remember::save(&home.remembered(launch));
                }
                self.rubric_hash = session.rubric_hash.clone();
                self.disk.soon();
                app.update(Action::Start(Box::new(session)))
            }
            Err(message) => {
                if let Some(home) = app.home_mut() {
                    home.error = Some(message);
                }
                Vec::new()
            }
        }
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
        let roster = if launch.roster.is_empty() {
            None
        } else {
            Some(load_roster(Path::new(&launch.roster), &rubric)?)
        };
        let plan = if launch.circuit {
            MarkingOrder::Circuit {
                station: launch.station.clone().ok_or("choose your station")?,
                circuit: (!launch.circuit_name.is_empty()).then(|| launch.circuit_name.clone()),
            }
        } else {
            MarkingOrder::Candidates {
                candidate: (!launch.candidate_id.is_empty())
                    .then(|| (launch.candidate_id.clone(), launch.candidate_name.clone())),
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
        .map(|s| with_gate_warnings(s, self.store.root()))
    }
}

/// How the examiner asked to work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkingOrder {
    /// Candidate by candidate: one named candidate (id, name), or the whole
    /// roster in order; starting at `station` if given.
    Candidates {
        candidate: Option<(String, String)>,
        station: Option<String>,
    },
    /// Stay at `station`; candidates arrive in rotation order from the
    /// roster (of one circuit, if given).
    Circuit {
        station: String,
        circuit: Option<String>,
    },
}

fn load_roster(path: &Path, rubric: &Rubric) -> Result<Roster, String> {
    match read_roster(path, rubric) {
        Ok((roster, _warnings)) => Ok(roster),
        Err(e) => Err(e.to_string()),
    }
}

/// A marking session from a checked rubric, its text (for the hash that
/// ties marks to it), who marks, and how.
pub fn session(
    rubric: Rubric,
    text: &str,
    examiner: &str,
    device: &str,
    plan: MarkingOrder,
    roster: Option<&Roster>,
) -> Result<Session, String> {
    // Ids are folder names: composed (NFC) as they come in, then checked.
    let examiner = &crate::base::ids::normalise(examiner);
    let device = &crate::base::ids::normalise(device);
    crate::base::ids::check_id(examiner).map_err(|why| format!("examiner id is not usable: {why}"))?;
    crate::base::ids::check_id(device).map_err(|why| format!("device id is not usable: {why}"))?;
    let station_index = |id: &str| -> Result<usize, String> {
        match rubric.stations.iter().position(|s| s.id == id) {
            Some(i) if rubric.stations[i].rest => {
                Err(format!("\"{id}\" is a rest station: nothing is marked there"))
            }
            Some(i) => Ok(i),
            None => {
                let ids: Vec<&str> = rubric.scored_stations().map(|s| s.id.as_str()).collect();
                let hint = rubric::did_you_mean(id, ids.iter().copied())
                    .map(|n| format!("did you mean \"{n}\"? "))
                    .unwrap_or_default();
                Err(format!(
                    "there is no station \"{id}\" in {}; {hint}the stations are {}",
                    rubric.id,
                    rubric::one_of(&ids)
                ))
            }
        }
    };
    let from_roster = |r: &Roster, order: Vec<usize>| -> Vec<Candidate> {
        order
            .into_iter()
            .filter_map(|i| r.candidates.get(i))
            .map(|c| Candidate {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect()
    };
    let (mode, candidates, first_station, circuit) = match plan {
        MarkingOrder::Circuit { station, circuit } => {
            let index = station_index(&station)?;
            let roster =
                roster.ok_or("a station circuit needs a roster: the candidates and where they start")?;
            let circuits = roster.circuits();
            if circuit.is_none() && circuits.len() > 1 {
                return Err(format!(
                    "the roster has {} circuits ({}): say which one you are examining (the Circuit field, or osce score ... --circuit {})",
                    circuits.len(),
                    circuits.join(", "),
                    circuits[0]
                ));
            }
            let queue = station_queue(roster, &rubric, &station, circuit.as_deref());
            let candidates = from_roster(roster, queue.iter().map(|q| q.candidate).collect());
            if candidates.is_empty() {
                return Err(match circuit {
                    Some(c) => format!(
                        "no candidate in the roster is in circuit \"{c}\"; its circuits are {}",
                        rubric::one_of(&roster.circuits())
                    ),
                    None => "the roster has no candidates".to_string(),
                });
            }
            let plan = CircuitPlan::new(roster, &rubric, &station, circuit.as_deref());
            (Mode::Circuit { station: index }, candidates, index, Some(plan))
        }
        MarkingOrder::Candidates { candidate, station } => {
            let first = match &station {
                Some(id) => station_index(id)?,
                None => rubric.stations.iter().position(|s| !s.rest).unwrap_or(0),
            };
            let candidates = match (candidate, roster) {
                (Some((id, name)), roster) => {
                    let id = crate::base::ids::normalise(&id);
                    crate::base::ids::check_id(&id)
                        .map_err(|why| format!("candidate id is not usable: {why}"))?;
                    let name = if name.is_empty() {
                        roster
                            .and_then(|r| r.find(&id))
                            .map(|c| c.name.clone())
                            .unwrap_or_default()
                    } else {
                        name
                    };
                    vec![Candidate { id, name }]
                }
                (None, Some(r)) => from_roster(r, (0..r.candidates.len()).collect()),
                (None, None) => {
                    return Err("name a candidate (--candidate) or give a roster (--roster)".to_string());
                }
            };
            if candidates.is_empty() {
                return Err("the roster has no candidates".to_string());
            }
            (Mode::CandidateByCandidate, candidates, first, None)
        }
    };
    Ok(Session {
        rubric_hash: hash_rubric(text),
        rubric: Arc::new(rubric),
        examiner: examiner.to_string(),
        device: device.to_string(),
        mode,
        candidates,
        first_station,
        circuit,
        warnings: Default::default(),
    })
}

/// The session, with a warning for each candidate whose logbook gate the
/// exam lead recorded as not met (`osce logbook --record`, in the decisions
/// of the sessions folder `folder`), for the confirm screen.
pub fn with_gate_warnings(mut session: Session, folder: &Path) -> Session {
    let Some(gate) = &session.rubric.logbook else {
        return session;
    };
    let Ok(decisions) =
        crate::results::decisions::gather(&session.rubric, &session.rubric_hash, &[folder.to_path_buf()])
    else {
        return session;
    };
    for (candidate, components) in decisions.components() {
        if let Some((crate::results::decisions::ComponentValue::Fail, held)) = components.get(&gate.component)
        {
            let note = match &held.ruling {
                crate::results::decisions::Ruling::Component { note, .. } if !note.is_empty() => {
                    format!(": {note}")
                }
                _ => String::new(),
            };
            session.warnings.insert(
                candidate,
                format!("Logbook gate not met{note}. The exam may go ahead; the exam lead knows."),
            );
        }
    }
    session
}

/// The circuits a roster file names, in the order they first appear
/// (none where it has no `circuit` column or cannot be read): offered on
/// the home screen, before the roster is checked against a rubric.
fn roster_circuits(path: &Path) -> Vec<String> {
    let Ok(mut reader) = csv::ReaderBuilder::new().flexible(true).from_path(path) else {
        return Vec::new();
    };
    let Some(column) = reader.headers().ok().and_then(|h| {
        h.iter().position(|name| {
            name.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("circuit")
        })
    }) else {
        return Vec::new();
    };
    let mut circuits: Vec<String> = Vec::new();
    for record in reader.records().flatten().take(100_000) {
        if let Some(c) = record.get(column).map(str::trim).filter(|c| !c.is_empty())
            && !circuits.iter().any(|k| k == c)
        {
            circuits.push(c.to_string());
        }
    }
    circuits
}

/// The rubrics in `dir` (`*.ron`, sorted), or the built-in examples when
/// there is no such folder or it holds none.
pub fn rubric_choices(dir: &Path) -> Vec<(RubricChoice, Option<String>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let label = path.display().to_string();
        match rubric::read_text(&path) {
            Ok(text) => out.push((choice(&label, RubricSource::File(path), &text), Some(text))),
            Err(e) => out.push((
                RubricChoice {
                    label,
                    source: RubricSource::File(path),
                    id: String::new(),
                    title: String::new(),
                    stations: Vec::new(),
                    problem: Some(e.to_string()),
                },
                None,
            )),
        }
    }
    if out.is_empty() {
        for (name, text) in examples::RUBRICS {
            out.push((
                choice(&format!("built in: {name}"), RubricSource::BuiltIn(name), text),
                Some(text.to_string()),
            ));
        }
    }
    out
}

fn choice(label: &str, source: RubricSource, text: &str) -> RubricChoice {
    let checked = rubric::check_str(label, text);
    match checked.rubric {
        Some(r) => RubricChoice {
            label: label.to_string(),
            source,
            id: r.id.clone(),
            title: r.title.clone(),
            stations: r
                .scored_stations()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect(),
            problem: None,
        },
        None => RubricChoice {
            label: label.to_string(),
            source,
            id: String::new(),
            title: label.to_string(),
            stations: Vec::new(),
            problem: Some(format!(
                "{} errors; run `osce check {label}`",
                checked.errors().count()
            )),
        },
    }
}

/// This machine's name as a device id: the hostname, kept to the
/// characters an id may use.
pub fn default_device() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(crate::base::ids::MAX_ID_CHARS)
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if crate::base::ids::check_id(&cleaned).is_ok() {
        cleaned
    } else {
        "this-device".to_string()
    }
}

/// How often the screen is redrawn while nothing happens: often enough
/// that the timer on screen is never more than this behind the clock.
pub const TICK: Duration = Duration::from_millis(100);

/// How often the sessions folder's disk is checked while marking.
pub const DISK_CHECK: Duration = Duration::from_secs(5);

/// Runs the app in the terminal until it quits. The terminal is restored
/// on every exit path, and by ratatui's panic hook on a panic.
pub fn run_terminal(mut app: App, mut exec: Executor, colour: bool) -> io::Result<()> {
    let origin = Instant::now();
    let stop = super::signals::Stop::install();
    let mut terminal = ratatui::init();
    // Pasted text arrives as one piece, never as keystrokes that mark.
    let _ = crossterm::execute!(io::stdout(), crossterm::event::EnableBracketedPaste);
    let result = (|| -> io::Result<()> {
        let theme = Theme::new(colour);
        let size = terminal.size()?;
        app.update(Action::Resize {
            width: size.width,
            height: size.height,
        });
        app.utc_offset = *chrono::Local::now().offset();
        let effects = app.startup();
        exec.perform(&mut app, effects);
        loop {
            let effects = app.update(Action::Tick {
                now: origin.elapsed(),
                wall: Utc::now(),
            });
            exec.perform(&mut app, effects);
            exec.watch_disk(&mut app, Instant::now());
            if exec.bells > 0 {
                exec.bells = 0;
                let mut out = io::stdout();
                out.write_all(b"\x07")?;
                out.flush()?;
            }
            if stop.requested() {
                return Ok(());
            }
            if app.quit {
                // Started from the home screen: back to it, not out.
                match (app.from_home && app.session.is_some())
                    .then(|| exec.home_again())
                    .flatten()
                {
                    Some(home) => {
                        app = App::home(home, origin.elapsed(), Utc::now());
                        let size = terminal.size()?;
                        app.update(Action::Resize {
                            width: size.width,
                            height: size.height,
                        });
                        app.utc_offset = *chrono::Local::now().offset();
                        continue;
                    }
                    None => return Ok(()),
                }
            }
            terminal.draw(|frame| views::render(&app, frame, &theme))?;
            if event::poll(TICK)? {
                let action = match event::read()? {
                    TermEvent::Key(key) => action_for(&app, key),
                    TermEvent::Resize(width, height) => Some(Action::Resize { width, height }),
                    TermEvent::Paste(text) => Some(Action::Paste(text)),
                    _ => None,
                };
                if let Some(action) = action {
                    let effects = app.update(action);
                    exec.perform(&mut app, effects);
                }
            }
        }
    })();
    let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Runs the moderation screen in the terminal until it quits, restoring
/// the terminal on every exit path.
pub fn run_moderation(
    mut app: super::moderate::ModerateApp,
    mut exec: super::moderate::executor::ModerateExecutor,
    colour: bool,
) -> io::Result<()> {
    use super::moderate::{Action as MAction, action_for as maction_for, view};
    let stop = super::signals::Stop::install();
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(io::stdout(), crossterm::event::EnableBracketedPaste);
    let result = (|| -> io::Result<()> {
        let theme = Theme::new(colour);
        let size = terminal.size()?;
        let effects = app.update(MAction::Resize {
            width: size.width,
            height: size.height,
        });
        exec.perform(&mut app, effects);
        app.utc_offset = *chrono::Local::now().offset();
        loop {
            if app.quit || stop.requested() {
                return Ok(());
            }
            exec.watch_disk(&mut app, Instant::now());
            terminal.draw(|frame| view::render(&app, frame, &theme))?;
            if !event::poll(TICK)? {
                continue;
            }
            let action = match event::read()? {
                TermEvent::Key(key) => maction_for(&app, key),
                TermEvent::Resize(width, height) => Some(MAction::Resize { width, height }),
                TermEvent::Paste(text) => Some(MAction::Paste(text)),
                _ => None,
            };
            if let Some(action) = action {
                let effects = app.update(action);
                exec.perform(&mut app, effects);
            }
        }
    })();
    let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    result
}
