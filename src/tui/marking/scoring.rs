//! The scoring screen: one function per key it acts on.

use super::*;

impl App {
    /// A key on the scoring screen: each action has its own function.
    pub(super) fn scoring_key(&mut self, action: Action) -> Vec<Effect> {
        let Some(sheet) = &self.sheet else {
            self.screen = Screen::Confirm;
            return Vec::new();
        };
        if sheet.state.is_locked() && changes_the_sheet(&action) {
            self.notice = Some(
                "This sheet is submitted and locked. Press A to amend it (a reason is required).".to_string(),
            );
            return Vec::new();
        }
        match action {
            Action::Up => self.move_cursor(false),
            Action::Down => self.move_cursor(true),
            Action::PrevStation => self.leave_sheet(false),
            Action::NextStation => self.leave_sheet(true),
            Action::GlobalRating => self.go_to_global_rating(),
            Action::Digit(d) => self.digit(d),
            Action::Enter => self.commit_digits(),
            Action::Escape => self.clear_digits(),
            Action::NotObserved => self.not_observed(),
            Action::Undo => self.undo(),
            Action::Comment => self.open_comments(),
            Action::Concern => self.open_concern(),
            Action::StartPause => self.start_or_pause(),
            Action::ResetTimer => self.ask_reset_timer(),
            Action::Advance => self.advance_timer(),
            Action::Submit => self.open_submit(),
            Action::Amend => self.ask_amend(),
            Action::Absent => self.ask_absent(),
            Action::Quit => self.request_quit(),
            _ => Vec::new(),
        }
    }

    /// ↑/↓: the previous or next row; digits typed so far are dropped.
    fn move_cursor(&mut self, down: bool) -> Vec<Effect> {
        let rows = self.rows();
        if let Some(sheet) = &mut self.sheet {
            sheet.cursor = if down {
                (sheet.cursor + 1).min(rows.saturating_sub(1))
            } else {
                sheet.cursor.saturating_sub(1)
            };
            sheet.digits.clear();
        }
        Vec::new()
    }

    /// ←/→: another sheet. Leaving one with marks on it unsubmitted, or
    /// with an amendment open, is asked first.
    fn leave_sheet(&mut self, forward: bool) -> Vec<Effect> {
        // What the sheet shows is on disk only while the last change was
        // saved: after a failed save, the question says so.
        let kept = if self.unsaved || matches!(self.saved, Saved::Failed(_)) {
            "Your last change was NOT saved (see the banner): enter it again once marks can be saved"
        } else {
            "Everything on it is saved"
        };
        let unsubmitted = self
            .sheet
            .as_ref()
            .is_some_and(|s| s.state.is_started() && !s.state.is_locked() && s.state.absent.is_none());
        if self.sheet.as_ref().is_some_and(|s| s.state.amending.is_some()) {
            self.ask = Some(Ask {
                question: "Leave this sheet with its amendment open?".to_string(),
                detail: format!(
                    "The sheet of {} is being amended and not submitted again: until then, every result uses the sheet as last submitted. {kept}; come back to it (←/→) and press s to submit the amendment.",
                    self.sheet_words()
                ),
                yes: AskFor::Move { forward },
            });
            return Vec::new();
        }
        if unsubmitted {
            self.ask = Some(Ask {
                question: "Leave this sheet unsubmitted?".to_string(),
                detail: format!(
                    "The sheet of {} {} and is not submitted. {kept}; come back to it (←/→) to finish and submit it.",
                    self.sheet_words(),
                    if self.sheet.as_ref().is_some_and(|s| s.state.has_marks()) {
                        "has marks on it"
                    } else {
                        "was begun (its timer started)"
                    }
                ),
                yes: AskFor::Move { forward },
            });
            return Vec::new();
        }
        self.move_to(if forward {
            Action::NextStation
        } else {
            Action::PrevStation
        })
    }

    /// `g`: the global rating's row.
    fn go_to_global_rating(&mut self) -> Vec<Effect> {
        let rows = self.rows();
        if self.station_def().is_some_and(|s| s.global_rating.is_some()) {
            if let Some(sheet) = &mut self.sheet {
                sheet.cursor = rows - 1;
            }
        } else {
            self.notice = Some(format!("This {} has no global rating.", self.noun().one()));
        }
        Vec::new()
    }

    /// Esc: drops the digits typed so far.
    fn clear_digits(&mut self) -> Vec<Effect> {
        if let Some(sheet) = &mut self.sheet {
            sheet.digits.clear();
        }
        Vec::new()
    }

    /// `u`: takes back the last change made since the sheet was opened.
    fn undo(&mut self) -> Vec<Effect> {
        match self.sheet.as_ref().and_then(|s| s.state.last_undoable()) {
            Some(seq) => self.append_all(vec![Event::Undo { undoes: seq }]),
            None => {
                self.notice = Some("Nothing to undo since the sheet was opened or submitted.".to_string());
                Vec::new()
            }
        }
    }

    /// `c`: feedback and notes. What was typed and not saved before a
    /// crash comes back (its draft), to be saved or left.
    fn open_comments(&mut self) -> Vec<Effect> {
        let Some(sheet) = &self.sheet else {
            return Vec::new();
        };
        let state = &sheet.state;
        let feedback = state.feedback_draft.as_ref().unwrap_or(&state.feedback);
        let notes = state.notes_draft.as_ref().unwrap_or(&state.notes);
        let focus = if state.feedback_draft.is_none() && state.notes_draft.is_some() {
            CommentField::Notes
        } else {
            CommentField::Feedback
        };
        self.screen = Screen::Comment(Box::new(CommentEditor {
            feedback: text_area("Feedback the candidate will see", feedback),
            notes: text_area("Private notes for the examiners' record", notes),
            focus,
            drafted: [feedback.clone(), notes.clone()],
            drafted_at: None,
        }));
        Vec::new()
    }

    /// `f`: a concern, opening on the first kind the sheet already has.
    fn open_concern(&mut self) -> Vec<Effect> {
        let Some(sheet) = &self.sheet else {
            return Vec::new();
        };
        // A note typed and not saved (osce stopped while it was typed)
        // first: it is what needs saving.
        let state = &sheet.state;
        let kind = state
            .concern_drafts
            .keys()
            .chain(state.concerns.keys())
            .next()
            .copied()
            .unwrap_or(ConcernKind::ALL[0]);
        let drafted: Vec<String> = ConcernKind::ALL
            .iter()
            .map(|k| {
                state
                    .concern_drafts
                    .get(k)
                    .or_else(|| state.concerns.get(k))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let notes = drafted
            .iter()
            .map(|note| text_area("What happened (required)", note))
            .collect();
        self.screen = Screen::Concern(Box::new(ConcernEditor {
            kind,
            notes,
            drafted,
            drafted_at: None,
        }));
        Vec::new()
    }

    /// Space: starts the station timer, pauses it (asking why), or
    /// resumes it.
    fn start_or_pause(&mut self) -> Vec<Effect> {
        let now = self.now;
        let submitted = self.sheet.as_ref().is_some_and(|s| s.state.submitted.is_some());
        let gone = self
            .sheet
            .as_ref()
            .is_some_and(|s| self.round_over_by_clock(&s.candidate.id));
        let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) else {
            self.notice = Some(format!("This {} is untimed.", self.noun().one()));
            return Vec::new();
        };
        if timer.display(now).phase == Phase::Done {
            self.notice = Some("The timer has finished.".to_string());
            Vec::new()
        } else if !timer.is_started() && submitted {
            // An amendment is made after the candidate left: starting the
            // station's clock now would time nobody.
            self.notice = Some(
                "This sheet was submitted untimed: an amendment is not timed (the candidate has left)."
                    .to_string(),
            );
            Vec::new()
        } else if !timer.is_started() && gone {
            self.notice = Some(
                "This candidate's round is over by the circuit's clock: the sheet is marked late, not timed."
                    .to_string(),
            );
            Vec::new()
        } else if !timer.is_started() {
            self.start_timer()
        } else if timer.is_running() {
            // The clock stops now and the pause is written now, so that a
            // crash while the reason is typed keeps it; the reason follows
            // in its own record.
            let h = timer.pause(now, String::new());
            let at = h.first().map_or(Duration::ZERO, |h| h.at);
            let effects = self.timer_effects(h);
            self.screen = Screen::Reason(Box::new(ReasonPrompt {
                purpose: ReasonFor::Pause { at },
                text: text_area("e.g. model needs a break", ""),
            }));
            effects
        } else {
            self.resume_timer()
        }
    }

    /// Resumes the open sheet's paused timer. In a circuit timed by its
    /// clock the round went on during the pause: the timer resumes as far
    /// into its course as the round is (the time-up comes with every other
    /// station's), and says so.
    fn resume_timer(&mut self) -> Vec<Effect> {
        let now = self.now;
        let span = self.open_round();
        let into = span.and_then(|((begins, _), _)| (self.wall - begins).to_std().ok());
        // The round ended since the last tick: the timer ends with it (at
        // the next tick), not resumed past it.
        if span.is_some_and(|((_, ends), _)| self.wall >= ends) {
            return Vec::new();
        }
        let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) else {
            return Vec::new();
        };
        let paused_at = timer.elapsed(now);
        let h = timer.resume_into(now, into.unwrap_or_default());
        let lost = timer.elapsed(now).saturating_sub(paused_at);
        if let Some((_, round)) = span.filter(|_| lost >= Duration::from_secs(1)) {
            self.notice = Some(format!(
                "Resumed with round {round} by the circuit's clock: the round went on during the pause ({}), and the candidate's time with it.",
                fmt_countdown(lost)
            ));
        }
        // Resumed past the end (a pause through the time-up and changeover).
        if let Some(end) = h.iter().find(|x| x.action == TimerAction::End) {
            self.timer_ended = Some(Ended {
                at: now,
                on_timer: end.at,
            });
        }
        self.timer_effects(h)
    }

    /// Starts the open sheet's timer, not yet started. In a circuit timed
    /// by its clock the candidate's time is their round's: the timer
    /// starts as far into its course as the round is, and not before the
    /// round begins or once the station's time in it is over.
    fn start_timer(&mut self) -> Vec<Effect> {
        let now = self.now;
        let span = self.open_round();
        let Some(timer) = self.sheet.as_mut().and_then(|s| s.timer.as_mut()) else {
            return Vec::new();
        };
        let Some(((begins, _), round)) = span else {
            let h = timer.start(now);
            return self.timer_effects(h);
        };
        let Ok(into) = (self.wall - begins).to_std() else {
            let until = (begins - self.wall).to_std().unwrap_or_default();
            self.notice = Some(format!(
                "Round {round} begins in {} by the circuit's clock, and the candidate's time with it: press space once it has begun.",
                fmt_countdown(until)
            ));
            return Vec::new();
        };
        let station_time = timer.plan().reading + timer.plan().station;
        if into >= station_time {
            self.notice = Some(format!(
                "The station's time in round {round} is over by the circuit's clock: mark the sheet without the timer."
            ));
            return Vec::new();
        }
        let h = timer.start_into(now, into);
        if into >= Duration::from_secs(1) {
            self.notice = Some(format!(
                "The timer follows round {round} by the circuit's clock: it began {} ago.",
                fmt_countdown(into)
            ));
        }
        // Started where the round is: no call has come (no bell).
        let mut effects = self.timer_effects(h);
        effects.retain(|e| *e != Effect::Bell);
        effects
    }

    /// `R`: a timer started by mistake goes back to the start, asked first
    /// where marks are given.
    fn ask_reset_timer(&mut self) -> Vec<Effect> {
        let now = self.now;
        let Some(sheet) = &self.sheet else {
            return Vec::new();
        };
        let Some(timer) = &sheet.timer else {
            self.notice = Some(format!("This {} is untimed.", self.noun().one()));
            return Vec::new();
        };
        if !timer.is_started() {
            self.notice = Some("The timer has not started: nothing to reset.".to_string());
        } else if timer.display(now).phase == Phase::Done {
            self.notice = Some("The timer has finished: it cannot be reset.".to_string());
        } else if sheet.state.has_marks() {
            // By the circuit's clock, started again the timer follows the
            // round: the candidate's time is not given back.
            let back = if self.open_round().is_some() {
                "Resetting stops the timer; started again (space), it follows the round by the circuit's clock, so the candidate's time is not given back"
            } else {
                "Resetting sets the timer back to the start of the station (reading time first)"
            };
            self.ask = Some(Ask {
                question: "Reset the timer?".to_string(),
                detail: format!(
                    "The sheet of {} has marks on it. {back}; the marks stay, and the reset is recorded with the time the timer had run.",
                    self.sheet_words()
                ),
                yes: AskFor::ResetTimer,
            });
        } else {
            return self.reset_timer();
        }
        Vec::new()
    }

    /// `n`: after a soft time-up, on to changeover.
    fn advance_timer(&mut self) -> Vec<Effect> {
        let now = self.now;
        let h = self
            .sheet
            .as_mut()
            .and_then(|s| s.timer.as_mut())
            .map(|t| t.advance(now))
            .unwrap_or_default();
        if h.is_empty() {
            self.notice = Some("Moving on is for after a soft time-up.".to_string());
        }
        // With no changeover the timer ends as it moves on.
        if let Some(end) = h.iter().find(|x| x.action == TimerAction::End) {
            self.timer_ended = Some(Ended {
                at: now,
                on_timer: end.at,
            });
        }
        self.timer_effects(h)
    }

    /// `s`: the submit summary, if the sheet is open.
    fn open_submit(&mut self) -> Vec<Effect> {
        if self.sheet.as_ref().is_some_and(|s| s.state.is_locked()) {
            self.notice = Some("This sheet is already submitted. Press A to amend it.".to_string());
            return Vec::new();
        }
        if let Some(summary) = self.summary() {
            self.screen = Screen::Submit(Box::new(summary));
        }
        Vec::new()
    }

    /// `A`: amending a submitted sheet, which needs a reason.
    fn ask_amend(&mut self) -> Vec<Effect> {
        if self.sheet.as_ref().is_some_and(|s| s.state.is_locked()) {
            self.screen = Screen::Reason(Box::new(ReasonPrompt {
                purpose: ReasonFor::Amend,
                text: text_area("e.g. mark entered against the wrong item", ""),
            }));
        } else {
            self.notice = Some("Only a submitted sheet needs amending; this one is open.".to_string());
        }
        Vec::new()
    }

    /// `x`: the candidate is absent, which needs a reason, unless marks
    /// are already recorded.
    fn ask_absent(&mut self) -> Vec<Effect> {
        let state = self.sheet.as_ref().map(|s| &s.state);
        if state.is_some_and(|s| s.absent.is_some()) {
            self.notice = Some("This candidate is already recorded absent here.".to_string());
        } else if state.is_some_and(|s| s.has_marks()) {
            self.notice = Some(
                "Marks are recorded for this candidate here, and an absent candidate has none: if they never came, \
                 undo the marks first (u), then press x."
                    .to_string(),
            );
        } else if state.is_some_and(|s| s.is_started()) {
            self.notice = Some(
                "The station timer was started for this candidate: if they never came, reset it first (R), then \
                 press x."
                    .to_string(),
            );
        } else {
            self.screen = Screen::Reason(Box::new(ReasonPrompt {
                purpose: ReasonFor::Absent,
                text: text_area("e.g. did not arrive; unwell", self.absence_carried()),
            }));
        }
        Vec::new()
    }

    pub(super) fn digit(&mut self, d: u8) -> Vec<Effect> {
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

    pub(super) fn commit_digits(&mut self) -> Vec<Effect> {
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
    pub(super) fn current_levels(&self) -> Option<usize> {
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

    pub(super) fn choose(&mut self, level: usize) -> Vec<Effect> {
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

    pub(super) fn not_observed(&mut self) -> Vec<Effect> {
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
    pub(super) fn submit_now(&mut self) -> Vec<Effect> {
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
            // No bell for an end that is the submission: the candidate may
            // still be at work, and would take it for a call or time-up.
            effects.retain(|e| *e != Effect::Bell);
        }
        effects.extend(self.append_all(vec![event]));
        effects
    }
}

/// The first item without a mark (or the global rating), else the top.
pub(super) fn first_unmarked(station: &Station, state: &SheetState) -> usize {
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

/// Whether `action` would change a sheet: refused on a submitted one.
fn changes_the_sheet(action: &Action) -> bool {
    matches!(
        action,
        Action::Digit(_)
            | Action::NotObserved
            | Action::Undo
            | Action::Comment
            | Action::Concern
            | Action::StartPause
            | Action::ResetTimer
            | Action::Advance
            | Action::Absent
    )
}
