//! The clock: timers, comment drafts, and the station circuit's rounds.

use super::*;

impl App {
    pub(super) fn tick(&mut self, now: Duration, wall: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        self.wall = wall;
        // A new round by the circuit's clock: what the screen said of the
        // round before ("begins in 0:42", "submitted and saved") is over.
        let round = self
            .session
            .as_ref()
            .and_then(|s| s.circuit.as_ref())
            .and_then(|p| p.standing(wall))
            .map(|s| match s {
                Standing::Round { index, .. } => Some(index),
                Standing::Before(_) | Standing::Over => None,
            });
        if round.is_some() && self.clock_round.is_some() && round != self.clock_round {
            self.notice = None;
        }
        self.clock_round = round;
        // The next candidate is due: the bell calls the examiner back.
        let mut effects = if self.circuit_tick() {
            vec![Effect::Bell]
        } else {
            Vec::new()
        };
        effects.extend(self.end_timer_with_the_round());
        if let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) {
            let on_timer = timer.elapsed(now);
            let happenings = timer.poll(now);
            // When it ended by the monotonic clock, not at this tick.
            if let Some(end) = happenings.iter().find(|h| h.action == TimerAction::End) {
                self.timer_ended = Some(Ended {
                    at: now.saturating_sub(on_timer.saturating_sub(end.at)),
                    on_timer: end.at,
                });
            }
            effects.extend(self.timer_effects(happenings));
        }
        effects.extend(self.draft_comments());
        effects
    }

    /// While the concern box is open: a draft of each kind's note that
    /// changed since it was last written, at most once every
    /// [`DRAFT_EVERY`], as for comments.
    fn draft_concerns(&mut self) -> Vec<Effect> {
        let now = self.now;
        let Screen::Concern(editor) = &mut self.screen else {
            return Vec::new();
        };
        if editor
            .drafted_at
            .is_some_and(|at| now.saturating_sub(at) < DRAFT_EVERY)
        {
            return Vec::new();
        }
        let mut events = Vec::new();
        for (i, kind) in ConcernKind::ALL.iter().copied().enumerate() {
            let note = text_of(&editor.notes[i]);
            if editor.drafted.get(i).is_some_and(|d| *d != note) {
                editor.drafted[i] = note.clone();
                events.push(Event::ConcernDraft { kind, note });
            }
        }
        if events.is_empty() {
            return Vec::new();
        }
        editor.drafted_at = Some(now);
        self.append_all(events)
    }

    /// While the comment box is open: a draft of each text that changed
    /// since it was last written, at most once every [`DRAFT_EVERY`].
    pub(super) fn draft_comments(&mut self) -> Vec<Effect> {
        if matches!(self.screen, Screen::Concern(_)) {
            return self.draft_concerns();
        }
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
    pub(super) fn reset_timer(&mut self) -> Vec<Effect> {
        let now = self.now;
        let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) else {
            return Vec::new();
        };
        // Asked before the round ended, answered after: the timer ended
        // with the round, and is kept.
        if timer.display(now).phase == Phase::Done {
            self.notice = Some("The timer has finished: it cannot be reset.".to_string());
            return Vec::new();
        }
        let elapsed = timer.elapsed(now);
        *timer = Timer::new(timer.plan().clone());
        self.notice = Some(if self.open_round().is_some() {
            "Timer reset: space starts it again where the round is, by the circuit's clock. The reset is recorded."
                .to_string()
        } else {
            "Timer reset: space starts it again. The reset is recorded.".to_string()
        });
        self.append_all(vec![Event::Timer {
            action: TimerAction::Reset,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            due: None,
        }])
    }

    /// Station circuit, between candidates: the leaving candidate's
    /// changeover ending, then any rounds with nobody here. True when the
    /// next candidate is now due (the bell rings).
    pub(super) fn circuit_tick(&mut self) -> bool {
        // An earlier sheet opened again (to amend it, or to look): the
        // rotation goes on all the same, the candidate in the room leaving
        // and the rests running, and the next candidate is called (the
        // bell) when they are due, not when the examiner is back.
        let open = self.sheet.is_some();
        // By the clock, the open sheet's round may be over while it is
        // still marked: its candidate has left, the next one is called.
        // A sheet opened ahead of its round by the clock: that candidate is
        // not here yet, and whoever is in the room stays.
        let ahead = self
            .sheet
            .as_ref()
            .is_some_and(|s| self.round_by_clock(&s.candidate.id) == Some(RoundByClock::ToCome));
        if open && !ahead && !self.open_sheet_is_past() && !self.open_round_over_by_clock() {
            // The examiner confirmed the next candidate: they are here.
            self.waiting_words = None;
            self.leaving = None;
            self.after_round = None;
            self.rest_until = None;
            return false;
        }
        // An earlier sheet open, or the confirmation of one (submitted,
        // absent or being amended) gone back to, or of a candidate whose
        // round is over by the clock.
        let past = open || self.shown_is_done() || self.shown_is_looked_back();
        if !past {
            self.waiting_words = None;
        } else if self.waiting_words.is_none() && self.called_in_meanwhile() {
            // Gone back to an earlier sheet after the candidate the clock
            // calls was called (or osce started again since): said too.
            self.waiting_words = self
                .next_who()
                .map(|(who, round)| format!("{who} (round {})", round + 1));
        }
        let rang = self.calls_for_the_room();
        let called = self.rotation_tick(past);
        if called && past {
            self.say_waiting("is called in now");
        }
        called || rang
    }

    /// The candidate still in the room after their sheet was submitted
    /// early hears the calls and time-up as if it were open: whether one
    /// fell due. The bell only: their sheet is in, nothing is written to it.
    fn calls_for_the_room(&mut self) -> bool {
        let now = self.now;
        let Some(leaving) = &mut self.leaving else {
            return false;
        };
        let on_timer = leaving.timer.elapsed(now);
        let happenings = leaving.timer.poll(now);
        if let Some(end) = happenings.iter().find(|h| h.action == TimerAction::End) {
            leaving.left = Some(Ended {
                at: now.saturating_sub(on_timer.saturating_sub(end.at)),
                on_timer: end.at,
            });
        }
        happenings.iter().any(|h| {
            matches!(h.action, TimerAction::Warning { .. } | TimerAction::TimeUp) && h.at > Duration::ZERO
        })
    }

    /// [`Self::circuit_tick`] once no sheet of the rotation's candidate is
    /// open: `past` while an earlier one is.
    fn rotation_tick(&mut self, past: bool) -> bool {
        let now = self.now;
        let mut due = false;
        // By the circuit's clock, where there is one: the candidate still in
        // the room leaves when their round ends, and the next is called in
        // when theirs begins.
        let standing = self
            .session
            .as_ref()
            .and_then(|s| s.circuit.as_ref())
            .and_then(|p| p.standing(self.wall));
        if standing.is_some() {
            if let Some(leaving) = &self.leaving {
                let gone = match standing {
                    Some(Standing::Round { index, .. }) => leaving.round.is_none_or(|r| index > r),
                    Some(Standing::Over) => true,
                    _ => false,
                };
                if gone {
                    self.leaving = None;
                }
            }
            self.after_round = None;
            if past {
                // Where the rotation's candidate is, whichever sheet is
                // open: the screen shows them once the examiner is back.
                // A round begun since the last tick calls its candidate,
                // also when the one called before was never seen to.
                let round = self.clock_candidate().and_then(|c| self.circuit_round_of(c));
                if round.is_none() {
                    // Every round is over, or nobody is still to come.
                    return false;
                }
                let arrival = self.arrival_in(round);
                let seen = self.shown == Some(Arrival::Here) && self.shown_round == round;
                let called = matches!(arrival, Arrival::Here) && self.shown.is_some() && !seen;
                self.shown = Some(arrival);
                self.shown_round = round;
                return called;
            }
            let mut arrival = self.arrival();
            // The round of the candidate shown ended while the screen waited
            // for them, and nothing was marked: the screen follows the clock
            // to the candidate whose round it is (or comes next).
            let ended = matches!(arrival, Arrival::Gone { .. })
                && matches!(self.shown, Some(Arrival::Here | Arrival::Later { .. }));
            let untouched = match (self.current_candidate(), self.station_def()) {
                (Some(c), Some(st)) => self.progress_of(&c.id, &st.id) == Progress::NotStarted,
                _ => false,
            };
            let mut followed = false;
            if ended && untouched && matches!(self.screen, Screen::Confirm) && self.name_differs.is_none() {
                self.follow_clock();
                arrival = self.arrival();
                followed = true;
            }
            // Followed to a candidate whose round has begun: they are
            // called, as the candidate shown is when their round begins.
            let called = matches!(arrival, Arrival::Here)
                && (followed || self.shown.is_some_and(|a| !matches!(a, Arrival::Here)));
            self.shown = Some(arrival);
            self.shown_round = self.current_round();
            return called;
        }
        if let Some(leaving) = &mut self.leaving {
            if leaving.timer.display(now).phase == Phase::Overrun {
                // A soft time-up after the sheet was submitted: nothing is
                // left to mark, so the changeover starts at once.
                leaving.timer.advance(now);
            }
            if leaving.timer.display(now).phase != Phase::Done {
                return false;
            }
            // When the changeover ended, by the timer, not at this tick.
            let left = leaving.left.unwrap_or(Ended {
                at: now,
                on_timer: leaving.timer.elapsed(now),
            });
            self.leaving = None;
            // A station shorter than the round: the next candidate is at a
            // longer one until the round ends.
            self.round_began = Some(left.at + self.round_after(Some(left.on_timer)));
            self.rest_from = Some(left);
            due = true;
        }
        // Not while the survey after a submission is still to say who is
        // next.
        if let Some(from) = self.after_round.filter(|_| !self.advance_pending) {
            self.after_round = None;
            // An absent candidate's own round is a rest as well, from when
            // it began.
            let absent = std::mem::take(&mut self.absent_rest);
            // Taken whether rests follow or not: it is this submission's.
            let timer_ended = self.rest_from.take();
            let rests = self.rests_after(Some(from)) + usize::from(absent);
            // The rest of the candidate's round after this station's
            // timer, where it is shorter than the round; an absent
            // candidate's round is counted whole, from when it began.
            // Where no timer ran, nothing says when the round ends: the
            // next candidate is shown at once, as at a station as long as
            // the round.
            let after = match timer_ended {
                Some(ended) if !absent => self.round_after(Some(ended.on_timer)),
                _ => Duration::ZERO,
            };
            let from = match (self.round_began, timer_ended) {
                (Some(began), _) if absent => began,
                (_, Some(ended)) => ended.at + after,
                _ => now,
            };
            // The candidate came: the next round began as theirs ended,
            // also when that was before the sheet was submitted (an absence
            // next counts its round from then).
            if !absent {
                self.round_began = Some(from);
            }
            let plan = self.session.as_ref().and_then(|s| s.circuit.as_ref());
            if let Some(plan) = plan.filter(|p| p.start.is_none() && (rests > 0 || !after.is_zero())) {
                let rounds = u32::try_from(rests).unwrap_or(u32::MAX);
                let until = from + plan.round.saturating_mul(rounds);
                // Submitted after the round's end: nothing to wait for.
                if rests > 0 || until > now {
                    self.rest_until = Some(until);
                    self.round_ends = (!absent && !after.is_zero()).then_some(from);
                    return false;
                }
            }
        }
        if let Some(until) = self.rest_until.filter(|&until| now >= until) {
            self.rest_until = None;
            // The next round began when the rest ended, not at this tick.
            self.round_began = Some(until);
            return true;
        }
        due
    }

    /// Station circuit without a clock: how long the round goes on after
    /// this station's timer has run (reading, station and changeover; or
    /// `on_timer`, the timer time its candidate left at, a soft time-up's
    /// overrun in it), where the station is shorter than the round (the
    /// rubric's longest station: every station moves on together). The
    /// next candidate is at another station until then.
    pub fn round_after(&self, on_timer: Option<Duration>) -> Duration {
        let Some(plan) = self.session.as_ref().and_then(|s| s.circuit.as_ref()) else {
            return Duration::ZERO;
        };
        let Some(t) = self.station_def().and_then(|s| s.timing.as_ref()) else {
            return Duration::ZERO;
        };
        let t = StationTimings::from_timing(t);
        plan.round
            .saturating_sub(on_timer.unwrap_or(t.reading + t.station + t.changeover))
    }

    /// [`Self::round_after`] for the candidate still in the room, by their
    /// timer (a soft time-up's overrun in it), else this station's timer
    /// run to its plan.
    pub fn round_after_station(&self) -> Duration {
        self.round_after(self.leaving.as_ref().and_then(|l| l.timer.done_at()))
    }

    /// Station circuit without a clock, at a station shorter than the
    /// round: whether the round of the candidate who has left still goes on
    /// at the longer stations.
    pub fn round_goes_on(&self) -> bool {
        self.rest_until.is_some() && self.round_ends.is_some_and(|at| at > self.now)
    }

    /// Station circuit: whether the sheet open is one the rotation has
    /// gone past: submitted or absent already (an amendment, or a look
    /// back), or of a candidate whose round comes before the latest one
    /// begun here.
    pub(super) fn open_sheet_is_past(&self) -> bool {
        let Some(sheet) = &self.sheet else {
            return false;
        };
        let Some(open) = self.round_of_candidate(&sheet.candidate.id) else {
            return false;
        };
        let done = self.station_def().is_some_and(|st| {
            matches!(
                self.progress_of(&sheet.candidate.id, &st.id),
                Progress::Submitted | Progress::Absent | Progress::Amending
            )
        });
        done || self.latest_round().is_some_and(|latest| open < latest)
    }

    /// Station circuit: the candidate of `round` (0 for the first), where
    /// it is not a rest here.
    pub fn candidate_of_round(&self, round: usize) -> Option<&super::Candidate> {
        let session = self.session.as_ref()?;
        let arrival = (*session.circuit.as_ref()?.rounds.get(round)?)?;
        session.candidates.get(arrival)
    }

    /// Station circuit: the round of the candidate `id`.
    pub(super) fn round_of_candidate(&self, id: &str) -> Option<usize> {
        let session = self.session.as_ref()?;
        let arrival = session.candidates.iter().position(|c| c.id == id)?;
        session.circuit.as_ref()?.round_of(arrival)
    }

    /// Station circuit: the latest round whose candidate's sheet here is
    /// begun, submitted or absent (as last surveyed).
    pub(super) fn latest_round(&self) -> Option<usize> {
        let session = self.session.as_ref()?;
        let station = self.station_def()?;
        session
            .candidates
            .iter()
            .filter(|c| self.progress_of(&c.id, &station.id) != Progress::NotStarted)
            .filter_map(|c| self.round_of_candidate(&c.id))
            .max()
    }

    /// How many rounds with nobody at this station come between round
    /// `from` and the round of the next candidate still to come here
    /// ([`Self::next_to_come`]), whichever sheet is on screen: an
    /// earlier one gone back to, to read or amend, changes nothing.
    pub(super) fn rests_after(&self, from: Option<usize>) -> usize {
        let Some(from) = from else {
            return 0;
        };
        match self.next_to_come(from + 1).or_else(|| self.current_round()) {
            Some(next) => next.saturating_sub(from + 1),
            None => 0,
        }
    }

    /// Station circuit: the first round from round `from` whose candidate
    /// is still to come here (not submitted, recorded absent, or being
    /// amended: an amendment is of a round gone by).
    fn next_to_come(&self, from: usize) -> Option<usize> {
        let session = self.session.as_ref()?;
        let plan = session.circuit.as_ref()?;
        let station = self.station_def()?;
        plan.rounds
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, who)| {
                who.and_then(|k| session.candidates.get(k)).is_some_and(|c| {
                    !matches!(
                        self.progress_of(&c.id, &station.id),
                        Progress::Submitted | Progress::Absent | Progress::Amending
                    )
                })
            })
            .map(|(r, _)| r)
    }

    /// Station circuit with a start time: when the round of candidate `id`
    /// begins and ends by the clock; `None` without a clock.
    pub(super) fn round_span(&self, id: &str) -> Option<Span> {
        let plan = self.session.as_ref()?.circuit.as_ref()?;
        let start = plan.start?;
        if plan.round.is_zero() {
            return None;
        }
        let round = u32::try_from(self.round_of_candidate(id)?).ok()?;
        let at = |n: u32| {
            chrono::Duration::from_std(plan.round.checked_mul(n)?)
                .ok()
                .and_then(|d| start.checked_add_signed(d))
        };
        Some((at(round)?, at(round + 1)?))
    }

    /// Station circuit with a start time: the round of candidate `id` (1
    /// for the first), and how far into it the clock is, or, before it
    /// begins, how long until it does.
    pub(super) fn how_far_into_round(&self, id: &str) -> Option<(usize, Result<Duration, Duration>)> {
        let (begins, _) = self.round_span(id)?;
        let round = self.round_of_candidate(id)? + 1;
        Some((
            round,
            (self.wall - begins)
                .to_std()
                .map_err(|_| (begins - self.wall).to_std().unwrap_or_default()),
        ))
    }

    /// Station circuit with a start time: when the open sheet's round
    /// begins and ends by the clock, and its number (1 for the first).
    pub(super) fn open_round(&self) -> Option<(Span, usize)> {
        let id = &self.sheet.as_ref()?.candidate.id;
        Some((self.round_span(id)?, self.round_of_candidate(id)? + 1))
    }

    /// By the circuit's clock: the open sheet's station timer stops when
    /// its candidate's round ends, for they leave with it, wherever a pause
    /// had left it; the end is recorded at the round's end (with when that
    /// was, where the sheet is opened after it).
    fn end_timer_with_the_round(&mut self) -> Vec<Effect> {
        // Nothing is written while the examiner is asked whose name the
        // sheet is under: the end follows once they answer.
        if self.name_differs.is_some() {
            return Vec::new();
        }
        let Some(sheet) = &self.sheet else {
            return Vec::new();
        };
        let Some((_, end)) = self.round_span(&sheet.candidate.id) else {
            return Vec::new();
        };
        let Ok(ago) = (self.wall - end).to_std() else {
            return Vec::new();
        };
        let round = self.round_of_candidate(&sheet.candidate.id).unwrap_or(0) + 1;
        let who = sheet.candidate.id.clone();
        let now = self.now;
        let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) else {
            return Vec::new();
        };
        if !timer.is_started() || timer.display(now).phase == Phase::Done {
            return Vec::new();
        }
        let timer_time_at_end = timer.elapsed(now).saturating_sub(ago);
        let events: Vec<Event> = timer
            .end_ago(now, ago)
            .into_iter()
            .map(|h| Event::Timer {
                action: h.action,
                elapsed_ms: u64::try_from(h.at.as_millis()).unwrap_or(u64::MAX),
                due: (ago >= Duration::from_secs(1))
                    .then(|| DateTime::from_timestamp_millis(end.timestamp_millis()))
                    .flatten(),
            })
            .collect();
        self.timer_ended = Some(Ended {
            at: now.saturating_sub(ago),
            on_timer: timer_time_at_end,
        });
        self.notice = Some(format!(
            "Round {round} is over by the circuit's clock: {who} has left, and the station timer stopped with the round."
        ));
        self.append_all(events)
    }

    /// Station circuit with a start time: whether the round of candidate
    /// `id` is over by the clock (they have left).
    pub fn round_over_by_clock(&self, id: &str) -> bool {
        matches!(self.round_by_clock(id), Some(RoundByClock::Over))
    }

    /// Station circuit with a start time: whether the round of the sheet
    /// open is over by the clock.
    fn open_round_over_by_clock(&self) -> bool {
        let Some(sheet) = &self.sheet else {
            return false;
        };
        matches!(self.round_by_clock(&sheet.candidate.id), Some(RoundByClock::Over))
    }

    /// Station circuit: the round of the candidate at `index` in the
    /// session's list.
    fn circuit_round_of(&self, index: usize) -> Option<usize> {
        self.session.as_ref()?.circuit.as_ref()?.round_of(index)
    }

    /// Whether the confirmation shown is of a sheet here that the rotation
    /// has gone past: submitted, absent or being amended.
    pub(super) fn shown_is_done(&self) -> bool {
        if self.sheet.is_some() || !matches!(self.screen, Screen::Confirm) {
            return false;
        }
        match (self.current_candidate(), self.station_def()) {
            (Some(c), Some(st)) => matches!(
                self.progress_of(&c.id, &st.id),
                Progress::Submitted | Progress::Absent | Progress::Amending
            ),
            _ => false,
        }
    }

    /// By the clock: whether the confirmation shown is of a candidate whose
    /// round was over when the examiner moved to them (never marked here,
    /// say): not one the screen waited for while their round ended, which
    /// it follows the clock away from.
    fn shown_is_looked_back(&self) -> bool {
        self.looking_back && self.sheet.is_none() && matches!(self.screen, Screen::Confirm)
    }

    /// The next candidate of the rotation, while an earlier sheet is
    /// shown: the candidate the clock brings, or without one the next
    /// still to come; with their round.
    fn next_who(&self) -> Option<(String, usize)> {
        let (c, round) = self.next_called()?;
        Some((format!("{} {}", c.id, c.name), round))
    }

    /// The words "called in, waiting for you" follow, unless the candidate
    /// shown is the one waiting (the examiner is with them now).
    pub fn waiting_for_you(&self) -> Option<&str> {
        let words = self.waiting_words.as_deref()?;
        let shown = self.current_candidate().map(|c| c.id.as_str());
        match self.called_by_the_clock() {
            Some((c, _)) if Some(c.id.as_str()) == shown => None,
            _ => Some(words),
        }
    }

    /// [`Self::next_called`] where the circuit's clock calls them (without
    /// a clock, the next still to come may be an earlier sheet left
    /// unsubmitted, not the candidate called in).
    pub(super) fn called_by_the_clock(&self) -> Option<(&super::Candidate, usize)> {
        self.clock_round()?;
        self.next_called()
    }

    /// [`Self::next_who`]: the candidate, and their round.
    pub(super) fn next_called(&self) -> Option<(&super::Candidate, usize)> {
        let round = match self.clock_round() {
            Some(_) => self.clock_candidate().and_then(|c| self.circuit_round_of(c)),
            None => self.next_to_come(0),
        }?;
        let session = self.session.as_ref()?;
        let k = (*session.circuit.as_ref()?.rounds.get(round)?)?;
        Some((session.candidates.get(k)?, round))
    }

    /// Says that the next candidate `what` ("is called in now", or after a
    /// restart "is due now") while an earlier sheet is shown: once as a
    /// notice, and on the scoring screen's header until the examiner is
    /// back with the rotation.
    pub(super) fn say_waiting(&mut self, what: &str) {
        let (notice, waiting) = match self.next_who() {
            Some((who, round)) => (
                format!("{who} {what} (round {})", round + 1),
                format!("{who} (round {})", round + 1),
            ),
            None => (
                format!("The next candidate {what}"),
                "the next candidate".to_string(),
            ),
        };
        self.notice = Some(format!("{notice}: go on to them when you are done here."));
        self.waiting_words = Some(waiting);
    }

    /// Station circuit: the round (0 for the first) of the candidate whose
    /// sheet is open or about to be.
    pub fn current_round(&self) -> Option<usize> {
        self.session.as_ref()?.circuit.as_ref()?.round_of(self.candidate)
    }

    /// Station circuit: the next candidate is not in the room yet (the one
    /// before is, or their round has not come).
    pub fn waiting(&self) -> bool {
        !matches!(self.arrival(), Arrival::Here | Arrival::Gone { .. })
    }

    /// Station circuit: where the candidate on the confirmation screen is,
    /// by the circuit's clock where the roster gives its start time, else
    /// by this station's own timers.
    pub fn arrival(&self) -> Arrival {
        self.arrival_in(self.current_round())
    }

    /// [`Self::arrival`] of the candidate of `round`.
    fn arrival_in(&self, round: Option<usize>) -> Arrival {
        let Some(plan) = self.session.as_ref().and_then(|s| s.circuit.as_ref()) else {
            return Arrival::Here;
        };
        let Some(round) = round else {
            return Arrival::Here;
        };
        let standing = plan.standing(self.wall);
        // Without a clock, the candidate of the first round still to come
        // here is the one due: a later one is said as such, never asked
        // about as the one in front of the examiner.
        if standing.is_none()
            && let Some(due) = self.next_to_come(0)
            && round > due
        {
            return Arrival::Ahead { round, due };
        }
        // Without a clock, the next candidate comes when the one still in
        // the room leaves; by the clock, in their round, which begins as
        // the one in the room leaves.
        if let Some(leaving) = self.leaving.as_ref().filter(|_| standing.is_none()) {
            return Arrival::AfterChangeover {
                rests: self.rests_after(leaving.round),
            };
        }
        match standing {
            Some(Standing::Before(d)) => Arrival::Later {
                round,
                starts_in: d + plan
                    .round
                    .saturating_mul(u32::try_from(round).unwrap_or(u32::MAX)),
            },
            Some(Standing::Round { index, left }) if index < round => Arrival::Later {
                round,
                starts_in: left
                    + plan
                        .round
                        .saturating_mul(u32::try_from(round - index - 1).unwrap_or(u32::MAX)),
            },
            Some(Standing::Round { index, .. }) if index > round => Arrival::Gone { round },
            Some(Standing::Over) => Arrival::Gone { round },
            Some(Standing::Round { .. }) => Arrival::Here,
            None if self.rest_until.is_some() => Arrival::AfterRest,
            None => Arrival::Here,
        }
    }

    /// Station circuit with a start time: shows [`Self::clock_candidate`].
    pub(super) fn follow_clock(&mut self) {
        if let Some(c) = self.clock_candidate() {
            self.candidate = c;
            self.shown = None;
            self.looking_back = false;
        }
    }

    /// Station circuit with a start time: the first candidate, not yet
    /// submitted or absent here, whose round is under way or to come (never
    /// one whose round is over); `None` without a clock or once every
    /// round is over.
    pub(super) fn clock_candidate(&self) -> Option<usize> {
        let now = self.clock_round()?;
        let session = self.session.as_ref()?;
        let plan = session.circuit.as_ref()?;
        let station = self.station_def()?;
        (0..session.candidates.len()).find(|&c| {
            plan.round_of(c).is_some_and(|r| r >= now)
                && !matches!(
                    self.progress_of(&session.candidates[c].id, &station.id),
                    Progress::Submitted | Progress::Absent
                )
        })
    }

    /// By the clock, a round under way whose candidate is not the one
    /// shown and has nothing submitted here: they were called in and wait.
    fn called_in_meanwhile(&self) -> bool {
        let Some(plan) = self.session.as_ref().and_then(|s| s.circuit.as_ref()) else {
            return false;
        };
        let Some(Standing::Round { index, .. }) = plan.standing(self.wall) else {
            return false;
        };
        self.clock_candidate()
            .is_some_and(|c| c != self.candidate && plan.round_of(c) == Some(index))
    }

    /// Station circuit with a start time: the round under way by the
    /// clock (0 before the first), or `None` once every round is over or
    /// without a start time.
    pub(super) fn clock_round(&self) -> Option<usize> {
        let plan = self.session.as_ref()?.circuit.as_ref()?;
        match plan.standing(self.wall)? {
            Standing::Before(_) => Some(0),
            Standing::Round { index, .. } => Some(index),
            Standing::Over => None,
        }
    }

    /// Station circuit by the clock: the round under way (0 for the
    /// first); `None` before the circuit starts, after it, or without a
    /// clock.
    pub(super) fn round_under_way(&self) -> Option<usize> {
        match self.session.as_ref()?.circuit.as_ref()?.standing(self.wall)? {
            Standing::Round { index, .. } => Some(index),
            Standing::Before(_) | Standing::Over => None,
        }
    }

    /// Station circuit by the clock: whether the candidate of `round`, a
    /// round still to begin, is the next to come here (no candidate comes
    /// in a round between): else they come later.
    pub fn next_in_line(&self, round: usize) -> bool {
        let from = self.round_under_way().map_or(0, |index| index + 1);
        self.next_to_come(from).is_none_or(|r| r == round)
    }

    /// Station circuit: who is still in the room after their sheet was
    /// submitted early, and until when, as the confirmation screen says.
    pub fn still_in_the_room(&self) -> Option<String> {
        self.leaving.as_ref()?;
        self.circuit_lines().into_iter().next()
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
        let clock = plan.standing(self.wall);
        if let (Some(leaving), Some(Standing::Round { left, .. })) = (&self.leaving, clock) {
            lines.push(format!(
                "{} {} is still in the room: leaves in {} (the end of round {})",
                leaving.candidate.id,
                leaving.candidate.name,
                fmt_countdown(left),
                leaving.round.map_or(0, |r| r + 1)
            ));
        } else if let Some(leaving) = &self.leaving {
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
        match clock {
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
                // The rest leads to the next candidate still to come,
                // whichever sheet is shown (an earlier one gone back to).
                let next = self.next_to_come(0).or_else(|| self.current_round());
                let round_ends = self.round_ends.filter(|&at| at > self.now);
                if let (Some(until), Some(_), Some(ends)) = (self.rest_until, next, round_ends) {
                    // A station shorter than the round: the round of the
                    // candidate who has left goes on at the longer ones.
                    let rests = until
                        .saturating_sub(ends)
                        .as_millis()
                        .div_ceil(plan.round.as_millis().max(1));
                    lines.push(format!(
                        "The round goes on at the longer stations · {} left",
                        fmt_countdown(ends.saturating_sub(self.now))
                    ));
                    lines.push(if rests > 0 {
                        format!(
                            "Then {}: the next candidate is called in {}",
                            crate::base::text::plural(
                                usize::try_from(rests).unwrap_or(usize::MAX),
                                "rest round",
                                "rest rounds"
                            ),
                            fmt_countdown(until.saturating_sub(self.now))
                        )
                    } else {
                        format!(
                            "The next candidate is called in {}, when it ends",
                            fmt_countdown(until.saturating_sub(self.now))
                        )
                    });
                } else if let (Some(until), Some(next)) = (self.rest_until, next) {
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
                    if rounds_left > 1 {
                        // More rest after this round: when the call comes.
                        lines.push(format!(
                            "Then {}: the next candidate is called in {}",
                            crate::base::text::plural(
                                usize::try_from(rounds_left - 1).unwrap_or(usize::MAX),
                                "more rest round",
                                "more rest rounds"
                            ),
                            fmt_countdown(left)
                        ));
                    }
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
            // What follows a round already over by the clock is past or
            // under way: said by the clock's line above, not as to come.
            let over = self
                .current_candidate()
                .is_some_and(|c| self.round_over_by_clock(&c.id));
            lines.extend(match plan.rounds.get(round + 1) {
                _ if over => None,
                None => Some("This is the last round".to_string()),
                Some(None) => Some(format!("Then round {}: no candidate — rest", round + 2)),
                Some(Some(k)) => Some(session.candidates.get(*k).map_or(String::new(), |c| {
                    format!("Then round {}: {} {}", round + 2, c.id, c.name)
                })),
            });
        }
        lines
    }

    pub(super) fn timer_effects(&mut self, happenings: Vec<Happening>) -> Vec<Effect> {
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
        // Time is up with the sheet still open: what now, not only the bell.
        let time_up = events.iter().any(
            |e| matches!(e, Event::Timer { action: TimerAction::TimeUp, elapsed_ms, .. } if *elapsed_ms > 0),
        );
        // Not over a notice of the same moment (a resume that went past
        // time-up says so itself).
        if time_up
            && self.notice.is_none()
            && let Some(sheet) = &self.sheet
            && !sheet.state.is_locked()
        {
            self.notice = Some(format!(
                "Time is up: submit {}'s sheet (s). A mark given or changed now is recorded as late.",
                sheet.candidate.id
            ));
        }
        let mut effects = self.append_all(events);
        if bell {
            effects.push(Effect::Bell);
        }
        effects
    }

    /// Station circuit with a start time: where the round of candidate
    /// `id` stands by the circuit's clock; `None` without a clock.
    pub(super) fn round_by_clock(&self, id: &str) -> Option<RoundByClock> {
        let plan = self.session.as_ref()?.circuit.as_ref()?;
        let round = self.round_of_candidate(id)?;
        Some(match plan.standing(self.wall)? {
            Standing::Round { index, left } if index == round => RoundByClock::UnderWay { left },
            Standing::Round { index, .. } if index > round => RoundByClock::Over,
            Standing::Over => RoundByClock::Over,
            Standing::Before(_) | Standing::Round { .. } => RoundByClock::ToCome,
        })
    }

    /// Whether the station's time is up for `candidate`'s sheet at
    /// `station`, not open, as last surveyed (osce closed while it was
    /// marked, and opened again after its time ran out): a mark made on
    /// it now is late.
    pub(super) fn time_up_unopened(&self, candidate: &str, station: &Station) -> bool {
        let (Some(events), Some(timing)) = (
            self.timers.get(&(candidate.to_string(), station.id.clone())),
            station.timing.as_ref(),
        ) else {
            return false;
        };
        // By a circuit's clock the timer ran no further than the round, as
        // when the sheet is opened.
        let wall = match self.round_span(candidate) {
            Some((_, end)) => end.min(self.wall),
            None => self.wall,
        };
        let timer = Timer::restore(StationTimings::from_timing(timing), events, wall, self.now);
        matches!(
            timer.display(self.now).phase,
            Phase::Overrun | Phase::Changeover | Phase::Done
        )
    }

    /// Whether a mark made now is after time-up.
    pub(super) fn late(&self) -> bool {
        // An amendment's marks are not late: they are the amendment's,
        // recorded with its reason.
        let Some(sheet) = self.sheet.as_ref().filter(|s| s.state.amending.is_none()) else {
            return false;
        };
        let phase = sheet.timer.as_ref().map(|t| t.display(self.now).phase);
        let timer_up = matches!(phase, Some(Phase::Overrun | Phase::Changeover | Phase::Done));
        // By the circuit's clock, the candidate's round is over (they have
        // left), whether or not the station timer was started: a timer
        // still running then (paused a while) stops with the round.
        let round_over = matches!(self.round_by_clock(&sheet.candidate.id), Some(RoundByClock::Over));
        timer_up || round_over
    }
}

/// When a round begins and ends, by a circuit's clock.
pub(super) type Span = (DateTime<Utc>, DateTime<Utc>);

/// Where a candidate's round stands by a circuit's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RoundByClock {
    /// It has not begun.
    ToCome,
    /// It is under way, with this long left.
    UnderWay { left: Duration },
    /// It is over: the candidate has left.
    Over,
}

/// What fell due on a restored timer while its sheet was not open (osce
/// stopped, or the examiner was at another sheet): the records to write
/// now, each with `due`, when it fell due by the wall clock. No bell: the
/// moment has passed.
pub(super) fn overdue(timer: &mut Timer, now: Duration, wall: DateTime<Utc>) -> Vec<Event> {
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

/// Where the candidate on a station circuit's confirmation screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// In front of the examiner: their round is under way (or nothing says
    /// otherwise).
    Here,
    /// Coming once the candidate still in the room has left, after `rests`
    /// rounds with nobody at this station.
    AfterChangeover { rests: usize },
    /// Coming once the rest rounds before theirs are over (no clock).
    AfterRest,
    /// Without a clock: their round (0 for the first) comes after `due`'s,
    /// the first round whose candidate is still to come here (looked
    /// ahead to with →): not the candidate in front of the examiner.
    Ahead { round: usize, due: usize },
    /// Coming in their round (0 for the first), which begins in this long
    /// by the circuit's clock.
    Later { round: usize, starts_in: Duration },
    /// Their round (0 for the first) is over by the circuit's clock: they
    /// have left.
    Gone { round: usize },
}
