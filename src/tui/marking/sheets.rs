//! Opening sheets, writing their records, and moving between them: what
//! the executor reports back about the store lands here.

use super::clock::overdue;
use super::scoring::first_unmarked;
use super::*;

impl App {
    pub(super) fn open_current(&mut self) -> Vec<Effect> {
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
    pub(super) fn move_to(&mut self, action: Action) -> Vec<Effect> {
        self.note_open_sheet();
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
                // On past the last candidate with every sheet in: back to
                // the end screen (← left it).
                if forward && self.candidate + 1 >= n && self.sheet.is_none() && self.all_in() {
                    self.screen = Screen::Finished;
                    return vec![Effect::Close];
                }
                self.candidate = if forward {
                    (self.candidate + 1).min(n - 1)
                } else {
                    self.candidate.saturating_sub(1)
                };
            }
            Mode::CandidateByCandidate => {
                let stations = &session.rubric.stations;
                let scored = |j: &usize| !stations[*j].rest;
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
                        // Past a candidate's first or last station, on to
                        // the candidate before or after (a roster's): their
                        // last or first station.
                        None if forward && self.candidate + 1 < session.candidates.len() => {
                            if let Some(j) = (0..stations.len()).find(scored) {
                                self.candidate += 1;
                                self.station = j;
                            }
                            break;
                        }
                        None if !forward && self.candidate > 0 => {
                            if let Some(j) = (0..stations.len()).rev().find(scored) {
                                self.candidate -= 1;
                                self.station = j;
                            }
                            break;
                        }
                        None => {
                            let which = if forward { "last" } else { "first" };
                            self.notice =
                                Some(format!("This is the {which} {}.", session.rubric.noun().one()));
                            return Vec::new();
                        }
                    }
                }
            }
        }
        self.land()
    }

    /// Whether every sheet of the session is submitted or recorded absent.
    fn all_in(&self) -> bool {
        self.session_keys().iter().all(|k| {
            matches!(
                self.progress_of(&k.candidate, &k.station),
                Progress::Submitted | Progress::Absent
            )
        })
    }

    /// Goes to the sheet at the current candidate and station: the
    /// confirmation, or the sheet itself where the candidate was confirmed
    /// already (candidate by candidate).
    pub(super) fn land(&mut self) -> Vec<Effect> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let mut effects = vec![Effect::Close];
        self.sheet = None;
        self.shown = None;
        self.looking_back = self.clock_round().is_some() && matches!(self.arrival(), Arrival::Gone { .. });
        if !matches!(self.saved, Saved::Failed(_)) {
            self.saved = Saved::Nothing;
        }
        let confirmed = self
            .current_candidate()
            .is_some_and(|c| self.confirmed.contains(&c.id));
        let circuit = matches!(session.mode, Mode::Circuit { .. });
        // Off the station the examiner named, the sheet waits for enter.
        let elsewhere = self.named.is_some_and(|n| n != self.station);
        self.offer_absence_again();
        if confirmed && !circuit && !elsewhere {
            effects.extend(self.open_current());
        } else {
            self.screen = Screen::Confirm;
        }
        effects
    }

    pub(super) fn opened(
        &mut self,
        key: SheetKey,
        records: Vec<Record>,
        quarantine: Option<String>,
    ) -> Vec<Effect> {
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
        // By a circuit's clock the timer ran no further than the round (its
        // end is recorded at the first tick).
        let wall = match self.round_span(&candidate.id) {
            Some((_, end)) => end.min(self.wall),
            None => self.wall,
        };
        let mut timer = session.rubric.stations[station].timing.as_ref().map(|t| {
            Timer::restore(
                StationTimings::from_timing(t),
                &state.timer_events(),
                wall,
                self.now,
            )
        });
        let overdue = timer
            .as_mut()
            .map(|t| overdue(t, self.now, wall))
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
        self.timer_ended = None;
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
        } else if self
            .sheet
            .as_ref()
            .is_some_and(|s| !s.state.concern_drafts.is_empty())
        {
            self.notice = Some(
                "A concern's note was being typed and not saved when osce stopped: f shows it; ctrl-s saves it."
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
        // osce stopped (a crash, a flat battery) while the reason for a
        // pause was being typed: the pause is recorded, its reason is asked
        // again.
        if let Some(at) = self.sheet.as_ref().and_then(unexplained_pause) {
            self.screen = Screen::Reason(Box::new(ReasonPrompt {
                purpose: ReasonFor::Pause { at },
                text: text_area("e.g. model needs a break", ""),
            }));
            self.notice = Some(
                "The timer was paused and no reason was recorded: type it, or esc to go on without one."
                    .to_string(),
            );
        }
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
    pub(super) fn introduce(&mut self) -> Vec<Event> {
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
    pub(super) fn append_all(&mut self, events: Vec<Event>) -> Vec<Effect> {
        if events.is_empty() {
            return Vec::new();
        }
        let mut all = self.introduce();
        all.extend(events);
        self.append_events(all)
    }

    pub(super) fn append_events(&mut self, events: Vec<Event>) -> Vec<Effect> {
        self.awaiting += events.len();
        if !events.is_empty() {
            self.saved = Saved::Saving;
        }
        events.into_iter().map(Effect::Append).collect()
    }

    pub(super) fn appended(&mut self, record: Record) -> Vec<Effect> {
        self.awaiting = self.awaiting.saturating_sub(1);
        self.saved = Saved::Saved {
            seq: record.seq,
            time: record.time,
        };
        // A record just reached the disk: whatever a write test found
        // before, saving works now (the executor's next check asks for the
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
        // An amendment submitted: what the sheet was submitted as before,
        // said beside what it is now.
        let amended_from = match &record.event {
            Event::Submitted { .. } if sheet.state.amending.is_some() => sheet.state.submitted.clone(),
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
                // An absence has no marks (no 0 that would read as
                // earned): its reason, as recorded.
                let marks = if *outcome == crate::scoring::StationOutcome::Absent {
                    match sheet.state.absent.as_deref().map(str::trim) {
                        Some(reason) if !reason.is_empty() => format!(" ({reason})"),
                        _ => String::new(),
                    }
                } else {
                    format!(
                        ", {} of {}",
                        crate::scoring::fmt_marks(*score),
                        crate::scoring::fmt_marks(*max)
                    )
                };
                let saved = match amended_from {
                    Some(was) => format!(
                        "{AMENDMENT_SAVED}: {} at {title}: {outcome}{marks} (was {}{}).",
                        sheet.candidate.id,
                        was.outcome,
                        if was.outcome == crate::scoring::StationOutcome::Absent {
                            String::new()
                        } else {
                            format!(
                                ", {} of {}",
                                crate::scoring::fmt_marks(was.score),
                                crate::scoring::fmt_marks(was.max)
                            )
                        }
                    ),
                    None => format!(
                        "Submitted and saved: {} at {title}: {outcome}{marks}.",
                        sheet.candidate.id
                    ),
                };
                self.notice = Some(saved.clone());
                self.last_submitted = Some(saved);
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

    /// After a sheet is submitted: ask the executor where every sheet of the
    /// session stands, then go to the next one not yet submitted.
    pub(super) fn after_submit(&mut self) -> Vec<Effect> {
        self.advance_pending = true;
        self.after_amendment = self
            .sheet
            .as_ref()
            .is_some_and(|s| !s.state.amendments.is_empty());
        // An earlier sheet submitted again (an amendment): the rotation
        // stays where it was, the candidate in the room and the rests to
        // come as they were.
        // So does one submitted before its round began by the circuit's
        // clock: its candidate was never in the room.
        let ahead = self
            .sheet
            .as_ref()
            .is_some_and(|s| self.round_by_clock(&s.candidate.id) == Some(RoundByClock::ToCome));
        if self.open_sheet_is_past() || ahead {
            self.submitted_timer = None;
            return vec![Effect::Close, Effect::Survey(self.session_keys())];
        }
        // Nobody came (an absence, no timer run): the candidate before,
        // still in the room, stays until their changeover ends, and this
        // round, a rest, begins then; or where rounds of rest were still to
        // run, when they end.
        let absent =
            self.sheet.as_ref().is_some_and(|s| s.state.absent.is_some()) && self.submitted_timer.is_none();
        // Submitted after the station timer ran its course: the next
        // round began when it did.
        self.rest_from = match self.submitted_timer {
            None if !absent => self.timer_ended,
            _ => None,
        };
        if !absent {
            self.leaving = None;
        } else if let Some(until) = self.rest_until {
            self.round_began = Some(until);
        }
        self.rest_until = None;
        self.after_round = None;
        if let (Some(session), Some(sheet)) = (&self.session, &self.sheet)
            && let Mode::Circuit { .. } = session.mode
        {
            let round = self.round_of_candidate(&sheet.candidate.id);
            self.after_round = round;
            // Nobody came: without a clock, their round is a rest.
            self.absent_rest = absent;
            // On the circuit's clock the candidate is in the room until
            // their round ends, whether or not the station timer was run.
            let by_clock = (!absent
                && matches!(
                    self.round_by_clock(&sheet.candidate.id),
                    Some(RoundByClock::UnderWay { .. })
                ))
            .then(|| sheet.timer.clone())
            .flatten();
            if let Some(mut timer) = self.submitted_timer.take().or(by_clock) {
                if timer.display(self.now).phase == Phase::Overrun {
                    // After a soft time-up the candidate leaves once the
                    // sheet is in: changeover starts now.
                    timer.advance(self.now);
                }
                if timer.display(self.now).phase == Phase::Done {
                    // Gone as the sheet went in (no changeover after a soft
                    // time-up): the round goes on from now.
                    self.rest_from = self.rest_from.or(Some(Ended {
                        at: self.now,
                        on_timer: timer.elapsed(self.now),
                    }));
                } else {
                    self.leaving = Some(Leaving {
                        candidate: sheet.candidate.clone(),
                        round,
                        timer,
                        left: None,
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

    /// What the executor must do when a session starts: find where it stands.
    pub fn startup(&mut self) -> Vec<Effect> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        // After a restart, the finished sheets say where the rotation was:
        // without a clock, by this station's own timers; on the circuit's
        // clock, who is still in the room (their sheet submitted, their
        // round under way).
        self.recall = matches!(session.mode, Mode::Circuit { .. })
            && session.circuit.as_ref().is_some_and(|p| !p.round.is_zero());
        vec![Effect::Survey(self.session_keys())]
    }

    /// After the first survey of a circuit without a clock: the finished
    /// sheets of this station to recall (whichever sheet the screen shows,
    /// an amendment left open among them), unless a candidate after the
    /// last of them has been begun: the rotation has moved on to them.
    fn to_recall(&self) -> Option<Effect> {
        let station = self.station_def()?;
        let session = self.session.as_ref()?;
        let keys: Vec<SheetKey> = self
            .session_keys()
            .into_iter()
            .filter(|k| {
                matches!(
                    self.progress_of(&k.candidate, &k.station),
                    Progress::Submitted | Progress::Absent | Progress::Amending
                )
            })
            .collect();
        let last = keys
            .iter()
            .filter_map(|k| self.round_of_candidate(&k.candidate))
            .max()?;
        let moved_on = session.candidates.iter().any(|c| {
            self.progress_of(&c.id, &station.id) == Progress::Started
                && self.round_of_candidate(&c.id).is_some_and(|r| r > last)
        });
        (!moved_on).then_some(Effect::Recall(keys))
    }

    /// Carries the rotation of a circuit without a clock on after a
    /// restart, from what its finished sheets say: the last candidate
    /// marked is still in the room until their changeover ends (by their
    /// sheet's timer, which ran on while the screen was down), and the
    /// rounds with nobody here after them (an absence's own round among
    /// them) are rests, back to back from then, before the next candidate
    /// is called in. As the screen would have had it, had it not stopped.
    pub(super) fn recalled(&mut self, found: Vec<(SheetKey, Finished)>) -> Vec<Effect> {
        if self.leaving.is_some() || self.rest_until.is_some() {
            return Vec::new();
        }
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let Some(plan) = session.circuit.as_ref() else {
            return Vec::new();
        };
        let Ok(round) = chrono::Duration::from_std(plan.round) else {
            return Vec::new();
        };
        let timings = self
            .station_def()
            .and_then(|s| s.timing.as_ref())
            .map(StationTimings::from_timing);
        // On the circuit's clock: the candidate whose round is under way,
        // their sheet submitted, is still in the room until it ends.
        if plan.start.is_some() {
            if let Some(crate::day::circuit::Standing::Round { index, .. }) = plan.standing(self.wall)
                && let Some(timings) = timings
                && let Some((key, f)) = found
                    .iter()
                    .find(|(k, f)| !f.absent && self.round_of_candidate(&k.candidate) == Some(index))
                && let Some(candidate) = session.candidates.iter().find(|c| c.id == key.candidate).cloned()
            {
                self.leaving = Some(Leaving {
                    candidate,
                    round: Some(index),
                    timer: leaving_timer(timings, f, self.wall, self.now),
                    left: None,
                });
                self.after_round = Some(index);
            }
            return Vec::new();
        }
        // A station shorter than the round: the round goes on after its
        // timer has run.
        let after = |on_timer: Option<std::time::Duration>| {
            chrono::Duration::from_std(self.round_after(on_timer)).unwrap_or_default()
        };
        let mut after_last = chrono::Duration::zero();
        let mut rounds: Vec<(usize, SheetKey, Finished)> = found
            .into_iter()
            .filter_map(|(k, f)| self.round_of_candidate(&k.candidate).map(|r| (r, k, f)))
            .collect();
        rounds.sort_by_key(|(r, ..)| *r);
        // When the round of the sheet before ended (its candidate left).
        let mut ended: Option<(usize, DateTime<Utc>)> = None;
        let mut leaving: Option<(usize, SheetKey, Timer)> = None;
        let mut absent_last = false;
        for (r, key, f) in rounds {
            let began = ended.map(|(p, at)| at + round * i32::try_from(r.saturating_sub(p + 1)).unwrap_or(0));
            absent_last = f.absent;
            after_last = chrono::Duration::zero();
            let ends = if f.absent {
                // Nobody came: the round is a rest, from when it began.
                began.unwrap_or(f.at) + round
            } else {
                leaving = None;
                match timings.clone().map(|t| leaving_timer(t, &f, self.wall, self.now)) {
                    Some(timer) if timer.is_started() => {
                        let e = timer.elapsed(self.now);
                        match timer.done_at() {
                            Some(done) if done > e => {
                                let left = chrono::Duration::from_std(done - e).unwrap_or_default();
                                leaving = Some((r, key, timer));
                                after_last = after(Some(done));
                                self.wall + left + after_last
                            }
                            Some(done) => {
                                after_last = after(Some(done));
                                self.wall - chrono::Duration::from_std(e - done).unwrap_or_default()
                                    + after_last
                            }
                            // No timer to say when the round ends.
                            None => f.at,
                        }
                    }
                    _ => f.at,
                }
            };
            ended = Some((r, ends));
        }
        let Some((last, ends)) = ended else {
            return Vec::new();
        };
        if let Some((r, key, timer)) = leaving {
            if let Some(candidate) = session.candidates.iter().find(|c| c.id == key.candidate).cloned() {
                self.leaving = Some(Leaving {
                    candidate,
                    round: Some(r),
                    timer,
                    left: None,
                });
                self.after_round = Some(last);
                self.absent_rest = absent_last;
            }
            return Vec::new();
        }
        let rests = i32::try_from(self.rests_after(Some(last))).unwrap_or(0);
        let until = ends + round * rests;
        if let Ok(left) = (until - self.wall).to_std()
            && !left.is_zero()
        {
            self.rest_until = Some(self.now + left);
            self.round_ends = (!absent_last && !after_last.is_zero())
                .then(|| (ends - self.wall).to_std().ok())
                .flatten()
                .map(|left| self.now + left);
        } else if self.sheet.is_some() || self.shown_is_done() {
            // Due while osce was down, with an earlier sheet shown (an
            // amendment left open): who is waiting is said at once.
            self.say_waiting("is due now");
        }
        Vec::new()
    }

    /// Candidate by candidate: the candidate before the one now in front
    /// of the examiner, and the titles of their scored stations never
    /// worked on (no sheet begun, submitted or recorded absent) though
    /// another of theirs was: a sheet skipped with →. `None` in a circuit,
    /// for the first candidate, or where none was skipped.
    pub fn skipped_before(&self) -> Option<(&Candidate, Vec<&str>)> {
        let session = self.session.as_ref()?;
        if !matches!(session.mode, Mode::CandidateByCandidate) {
            return None;
        }
        let before = session.candidates.get(self.candidate.checked_sub(1)?)?;
        let scored: Vec<&Station> = session.rubric.stations.iter().filter(|s| !s.rest).collect();
        let progress: Vec<Progress> = scored
            .iter()
            .map(|s| self.progress_of(&before.id, &s.id))
            .collect();
        if progress.iter().all(|p| *p == Progress::NotStarted) {
            return None;
        }
        let skipped: Vec<&str> = scored
            .iter()
            .zip(&progress)
            .filter(|(_, p)| **p == Progress::NotStarted)
            .map(|(s, _)| s.title.as_str())
            .collect();
        (!skipped.is_empty()).then_some((before, skipped))
    }

    /// The sheets of this session begun (or unlocked to amend) and not
    /// submitted, other than the one on screen, in marking order: each
    /// named by its candidate, with their round in a circuit or the
    /// station candidate by candidate. After a restart the screen opens
    /// on the candidate the circuit's clock brings, so a sheet left
    /// unfinished earlier is named here rather than forgotten.
    pub fn unsubmitted_elsewhere(&self) -> Vec<String> {
        let Some(session) = &self.session else {
            return Vec::new();
        };
        let here = (
            self.current_candidate().map(|c| c.id.as_str()),
            self.station_def().map(|s| s.id.as_str()),
        );
        // The candidate called in and waiting is said as such, not again
        // here.
        let waiting = self
            .waiting_words
            .as_ref()
            .and_then(|_| self.called_by_the_clock())
            .map(|(c, _)| c.id.as_str());
        let mut named = Vec::new();
        for key in self.session_keys() {
            if here == (Some(key.candidate.as_str()), Some(key.station.as_str()))
                || waiting == Some(key.candidate.as_str())
                || !matches!(
                    self.progress_of(&key.candidate, &key.station),
                    Progress::Started | Progress::Amending
                )
            {
                continue;
            }
            let who = session
                .candidates
                .iter()
                .find(|c| c.id == key.candidate)
                .filter(|c| !c.name.is_empty())
                .map_or(key.candidate.clone(), |c| format!("{} {}", c.id, c.name));
            // Submitted once: its amendment is what is not submitted yet.
            let amending = self.progress_of(&key.candidate, &key.station) == Progress::Amending;
            named.push(match session.mode {
                Mode::Circuit { .. } => match (self.round_of_candidate(&key.candidate), amending) {
                    // Their round under way by the clock: in the room now.
                    (Some(round), false) if self.round_under_way() == Some(round) => {
                        format!("{who} (round {}, in the room now)", round + 1)
                    }
                    (Some(round), false) => format!("{who} (round {})", round + 1),
                    (Some(round), true) => format!("{who} (round {}, being amended)", round + 1),
                    (None, false) => who,
                    (None, true) => format!("{who} (being amended)"),
                },
                Mode::CandidateByCandidate => {
                    let title = session
                        .rubric
                        .station(&key.station)
                        .map_or(key.station.as_str(), |s| s.title.as_str());
                    let amending = if amending { " (being amended)" } else { "" };
                    format!("{who} at {title}{amending}")
                }
            });
        }
        named.extend(self.passed_over());
        named
    }

    /// Station circuit: the candidates of rounds gone by with nothing
    /// recorded here (never marked, nor recorded absent): by the clock,
    /// those whose round is over; without one, those before the latest
    /// round begun here (skipped with →). An absent candidate left so
    /// would otherwise never be recorded.
    fn passed_over(&self) -> Vec<String> {
        let (Some(session), Some(station)) = (&self.session, self.station_def()) else {
            return Vec::new();
        };
        if !matches!(session.mode, Mode::Circuit { .. }) {
            return Vec::new();
        }
        let here = self.current_candidate().map(|c| c.id.as_str());
        let latest = self.latest_round();
        session
            .candidates
            .iter()
            .filter(|c| Some(c.id.as_str()) != here)
            .filter(|c| self.progress_of(&c.id, &station.id) == Progress::NotStarted)
            .filter_map(|c| {
                let round = self.round_of_candidate(&c.id)?;
                let gone = match self.round_by_clock(&c.id) {
                    Some(by_clock) => matches!(by_clock, RoundByClock::Over),
                    None => latest.is_some_and(|l| round < l),
                };
                gone.then(|| {
                    let who = if c.name.is_empty() {
                        c.id.clone()
                    } else {
                        format!("{} {}", c.id, c.name)
                    };
                    format!("{who} (round {}, nothing recorded)", round + 1)
                })
            })
            .collect()
    }

    /// Whether the candidate on the confirmation can still be recorded
    /// absent there: nothing on their sheet yet.
    pub fn absence_open(&self) -> bool {
        match (self.current_candidate(), self.station_def()) {
            (Some(c), Some(s)) => self.progress_of(&c.id, &s.id) == Progress::NotStarted,
            _ => false,
        }
    }

    /// Where a candidate stands at a station, as last surveyed.
    pub fn progress_of(&self, candidate: &str, station: &str) -> Progress {
        self.progress
            .get(&(candidate.to_string(), station.to_string()))
            .copied()
            .unwrap_or(Progress::NotStarted)
    }

    /// Candidate by candidate, one recorded absent at a station is most
    /// often absent at the next: said (after what is said already), and x
    /// offers the same reason.
    fn offer_absence_again(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        let reason = self.absence_carried();
        if reason.is_empty() {
            return;
        }
        let Some((candidate, station)) = self
            .current_candidate()
            .zip(session.rubric.stations.get(self.station))
        else {
            return;
        };
        if self.progress_of(&candidate.id, &station.id) != Progress::NotStarted {
            return;
        }
        let offer = format!(
            "{} was recorded absent at another station ({reason}): if they are absent here too, press x (the \
             reason is filled in).",
            candidate.id
        );
        self.notice = Some(match self.notice.take() {
            Some(said) => format!("{said} {offer}"),
            None => offer,
        });
    }

    /// Candidate by candidate, the reason the current candidate was
    /// recorded absent with at another station (the first in the rubric's
    /// order, as the sheets on disk say: after a restart too), to offer
    /// again; empty otherwise.
    pub(super) fn absence_carried(&self) -> &str {
        let (Some(session), Some(c)) = (&self.session, self.current_candidate()) else {
            return "";
        };
        if !matches!(session.mode, Mode::CandidateByCandidate) {
            return "";
        }
        session
            .rubric
            .stations
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != self.station)
            .find_map(|(_, st)| self.absences.get(&(c.id.clone(), st.id.clone())))
            .map_or("", String::as_str)
    }

    /// The reason recorded where `candidate` was recorded absent at
    /// `station`, as last surveyed (or as the open sheet says).
    pub fn absence_reason(&self, candidate: &str, station: &str) -> Option<&str> {
        self.absences
            .get(&(candidate.to_string(), station.to_string()))
            .map(String::as_str)
    }

    /// The provisional overall result of `candidate` from their sheets.
    pub(super) fn stood(&mut self, candidate: &str, sheets: Vec<(String, crate::scoring::StationSheet)>) {
        let Some(session) = &self.session else {
            return;
        };
        let Some(who) = session.candidates.iter().find(|c| c.id == candidate).cloned() else {
            return;
        };
        // With the components the exam lead recorded in the folder (the
        // logbook gate), as the export counts them.
        let sheets = crate::scoring::CandidateSheets {
            stations: sheets.into_iter().collect(),
            components: session.components.get(candidate).cloned().unwrap_or_default(),
        };
        self.provisional = crate::scoring::score_candidate(&session.rubric, &sheets, &Standards::default())
            .ok()
            .map(|result| ProvisionalResult {
                candidate: who,
                result,
                pass_marks_provisional: session.rubric.pass_marks_provisional(),
            });
    }

    /// Candidate by candidate, once every station of the candidate whose
    /// sheet was just submitted is submitted (or absent): read their
    /// sheets for their provisional result.
    pub(super) fn standing_after(&self, candidate: usize) -> Vec<Effect> {
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

    pub(super) fn surveyed(&mut self, found: Vec<super::Surveyed>) -> Vec<Effect> {
        for (key, progress, absent, timer) in found {
            let at = (key.candidate, key.station);
            match absent {
                Some(reason) => self.absences.insert(at.clone(), reason),
                None => self.absences.remove(&at),
            };
            if timer.is_empty() {
                self.timers.remove(&at);
            } else {
                self.timers.insert(at.clone(), timer);
            }
            self.progress.insert(at, progress);
        }
        let advancing = std::mem::take(&mut self.advance_pending);
        let mut effects = if advancing {
            self.standing_after(self.candidate)
        } else {
            Vec::new()
        };
        effects.extend(self.advance(advancing));
        if std::mem::take(&mut self.recall) {
            effects.extend(self.to_recall());
        }
        effects
    }

    /// Starting at a station given as where to begin, its sheet submitted
    /// (or the candidate recorded absent) and another of the candidate's
    /// not: what to tell the examiner as the next is shown instead.
    fn begin_after_submitted(&self) -> Option<String> {
        let session = self.session.as_ref().filter(|s| s.begin_at)?;
        let (candidate, station) = (self.current_candidate()?, self.station_def()?);
        let done = |st: &str| {
            matches!(
                self.progress_of(&candidate.id, st),
                Progress::Submitted | Progress::Absent
            )
        };
        if !done(&station.id) || session.rubric.scored_stations().all(|s| done(&s.id)) {
            return None;
        }
        Some(format!(
            "{}'s sheet at {} is submitted already: here is the next one not submitted (←/→ go to the others).",
            candidate.id, station.title
        ))
    }

    /// After a survey: the next sheet to mark, or the end.
    pub(super) fn advance(&mut self, advancing: bool) -> Vec<Effect> {
        let starting = !advancing && self.sheet.is_none() && matches!(self.screen, Screen::Confirm);
        if !advancing && !starting {
            return Vec::new();
        }
        // The station the examiner named is shown first, whatever its
        // sheet's state: a submitted one to read or amend. Where it was
        // where to begin (the home screen's "Start at"), a submitted sheet
        // there is passed for the next not submitted, if one is left.
        if starting && std::mem::take(&mut self.start_here) {
            match self.begin_after_submitted() {
                // After what the session had to say (a roster's notes, a
                // warning), not in its place.
                Some(words) => {
                    self.notice = Some(match self.notice.take() {
                        Some(before) => format!("{before} {words}"),
                        None => words,
                    })
                }
                None => return Vec::new(),
            }
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
        // The sheet the examiner named is in: the next waits for enter.
        let named_done = !starting && self.named == Some(here.1);
        let start = order
            .iter()
            .position(|p| *p == here)
            .map_or(0, |i| if starting { i } else { i + 1 });
        // By the circuit's clock, the next candidate is the one it brings
        // (an unfinished earlier sheet stays within reach with ←). In a
        // circuit, `order` is the candidates' arrival order.
        let start = self.clock_candidate().unwrap_or(start);
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
                let named_words = (same_candidate
                    && named_done
                    && matches!(session.mode, Mode::CandidateByCandidate))
                .then(|| {
                    format!(
                        "{id}'s sheet at {} is submitted: the station you named. Press enter to mark {id} at \
                             {} next, or q to finish.",
                        session.rubric.stations[here.1].title,
                        session.rubric.stations[s].title,
                        id = session.candidates[c].id
                    )
                });
                self.candidate = c;
                self.station = s;
                self.shown = None;
                self.looking_back = false;
                self.sheet = None;
                self.screen = Screen::Confirm;
                let confirmed = self
                    .current_candidate()
                    .is_some_and(|cd| self.confirmed.contains(&cd.id));
                let by_candidate = matches!(session.mode, Mode::CandidateByCandidate);
                if same_candidate {
                    self.offer_absence_again();
                }
                // After an amendment the candidate has long left: who is
                // in front of the examiner is asked again.
                let amended = std::mem::take(&mut self.after_amendment);
                if let Some(words) = named_words {
                    // After what the submission said (saved, and the
                    // result), not in its place.
                    self.notice = Some(match self.notice.take() {
                        Some(before) => format!("{before} {words}"),
                        None => words,
                    });
                    Vec::new()
                } else if same_candidate && confirmed && by_candidate && !amended {
                    self.open_current()
                } else {
                    Vec::new()
                }
            }
        }
    }
}

/// The timer of a sheet submitted in a circuit, running on as it would
/// have on the screen that submitted it: the end recorded at submission
/// left out, and after a soft time-up, changeover from the submission.
fn leaving_timer(timings: StationTimings, f: &Finished, wall: DateTime<Utc>, now: Duration) -> Timer {
    let mut events: Vec<(TimerAction, Duration, DateTime<Utc>)> = f
        .timer
        .iter()
        .filter(|(a, _, at)| !matches!(a, TimerAction::End) && *at <= f.at)
        .cloned()
        .collect();
    let then = Timer::restore(timings.clone(), &events, f.at, Duration::ZERO);
    if then.display(Duration::ZERO).phase == Phase::Overrun {
        events.push((TimerAction::Advance, then.elapsed(Duration::ZERO), f.at));
    }
    let mut timer = Timer::restore(timings, &events, wall, now);
    // Submitted before a soft time-up: they leave when it comes.
    timer.move_on_at_time_up();
    timer
}

/// The timer time of the pause the open sheet's timer stands in, when no
/// reason was recorded for it.
fn unexplained_pause(sheet: &Sheet) -> Option<Duration> {
    let timer = sheet.timer.as_ref()?;
    if sheet.state.submitted.is_some() || !timer.is_started() || timer.is_running() {
        return None;
    }
    let mut open = None;
    for entry in &sheet.state.timer {
        open = match &entry.action {
            TimerAction::Pause { reason } if reason.trim().is_empty() => Some(entry.elapsed),
            TimerAction::Pause { .. } | TimerAction::PauseReason { .. } => None,
            TimerAction::Resume | TimerAction::Reset | TimerAction::End => None,
            _ => open,
        };
    }
    open
}
