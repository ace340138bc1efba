//! The marking screen's dialogs: the candidate's confirmation, a name
//! that differs, the submit summary, comments, concerns and reasons.

use super::home::HomeOutcome;
use super::*;

impl App {
    /// Esc (or ctrl-c, ctrl-q) in a dialog: leaves it without writing. If
    /// text was typed and not saved, the first press says so and a second
    /// one leaves without it; nothing typed is thrown away unasked.
    pub(super) fn leave_dialog(&mut self, typed: bool) -> Vec<Effect> {
        if typed && !self.discard_armed {
            self.discard_armed = true;
            self.notice = Some(format!(
                "What you typed is not saved: {} saves it; esc again leaves without it.",
                if matches!(self.screen, Screen::Reason(_)) {
                    "enter"
                } else {
                    "ctrl-s"
                }
            ));
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
    pub(super) fn name_differs_key(&mut self, action: Action) -> Vec<Effect> {
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
    pub(super) fn rename_candidate(&mut self, name: &str) {
        let Some(sheet) = &mut self.sheet else { return };
        sheet.candidate.name = name.to_string();
        let id = sheet.candidate.id.clone();
        if let Some(session) = &mut self.session {
            for c in session.candidates.iter_mut().filter(|c| c.id == id) {
                c.name = name.to_string();
            }
        }
    }

    pub(super) fn home_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Home(home) = &mut self.screen else {
            return Vec::new();
        };
        match home.update(action) {
            HomeOutcome::Nothing => Vec::new(),
            HomeOutcome::Launch(launch) => {
                let remember = home.remembered(&launch);
                vec![Effect::Launch { launch, remember }]
            }
            HomeOutcome::Quit => self.quit(),
        }
    }

    pub(super) fn confirm_key(&mut self, action: Action) -> Vec<Effect> {
        if self.name_differs.is_some() {
            return self.name_differs_key(action);
        }
        match action {
            Action::Enter => {
                self.confirming = true;
                // Gone on from the station named, by the examiner's choice:
                // the candidate's stations follow one another from here.
                if self.named.is_some_and(|n| n != self.station) {
                    self.named = None;
                }
                self.open_current()
            }
            Action::Absent => {
                if !self.absence_open() {
                    self.notice = Some(
                        "This candidate already has a sheet here, so they cannot be marked absent. Open it (enter) to see it."
                            .to_string(),
                    );
                    return Vec::new();
                }
                self.screen = Screen::Reason(Box::new(ReasonPrompt {
                    purpose: ReasonFor::Absent,
                    text: text_area("e.g. did not arrive; unwell", self.absence_carried()),
                }));
                Vec::new()
            }
            Action::PrevStation | Action::NextStation | Action::Up | Action::Down => self.move_to(action),
            Action::Quit => self.request_quit(),
            // The message shown is cleared already: nothing else.
            Action::Escape => Vec::new(),
            _ => Vec::new(),
        }
    }

    pub(super) fn submit_key(&mut self, action: Action) -> Vec<Effect> {
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
                            "reading time is not over ({} of it left, then {} of station time)",
                            crate::day::timer::fmt_countdown(d.time),
                            crate::day::timer::fmt_countdown(plan.station)
                        )),
                        Phase::Station => Some(format!(
                            "{} of station time is left{}",
                            crate::day::timer::fmt_countdown(d.time),
                            if plan.hard { "" } else { " before time-up" }
                        )),
                        _ => None,
                    });
                // A station timed by the rubric whose timer was never
                // started: the sheet would have no timing. Ask first.
                // (Not for an amendment: the candidate left long ago.)
                let never_started = self
                    .sheet
                    .as_ref()
                    .filter(|s| s.state.amending.is_none() && s.state.submitted.is_none())
                    .and_then(|s| s.timer.as_ref())
                    .is_some_and(|t| !t.is_started());
                // In a circuit timed by its clock the round is the
                // candidate's time: no station timer is needed, but a
                // round still under way is asked about as the timer's
                // time would be.
                let by_clock = self
                    .sheet
                    .as_ref()
                    .and_then(|s| self.round_by_clock(&s.candidate.id));
                // The candidate's time begins with the round: reading, then
                // the station's time, then only the changeover is left.
                let plan = self
                    .sheet
                    .as_ref()
                    .and_then(|s| s.timer.as_ref())
                    .map(|t| (t.plan().reading, t.plan().station));
                let round_length = self
                    .session
                    .as_ref()
                    .and_then(|s| s.circuit.as_ref())
                    .map_or(Duration::ZERO, |c| c.round);
                let (on, left) = match (by_clock, plan) {
                    (Some(RoundByClock::UnderWay { left: round }), Some((reading, station)))
                        if never_started =>
                    {
                        let into = round_length.saturating_sub(round);
                        let words = if into < reading {
                            Some(format!(
                                "reading time is not over ({} of it left, then {} of station time)",
                                fmt_countdown(reading - into),
                                fmt_countdown(station)
                            ))
                        } else {
                            (reading + station)
                                .checked_sub(into)
                                .filter(|left| !left.is_zero())
                                .map(|left| format!("{} of the station's time is left", fmt_countdown(left)))
                        };
                        ("By the circuit's clock, for", words)
                    }
                    _ => ("On the timer of", left),
                };
                // A candidate whose round has not begun is not in the room:
                // marks made for them now are most likely of the one who is.
                if by_clock == Some(RoundByClock::ToCome) {
                    let (id, name) = self
                        .sheet
                        .as_ref()
                        .map(|s| (s.candidate.id.clone(), s.candidate.name.clone()))
                        .unwrap_or_default();
                    let begins = self
                        .round_span(&id)
                        .and_then(|(begins, _)| (begins - self.wall).to_std().ok())
                        .map(|d| format!(" (it begins in {})", fmt_countdown(d)))
                        .unwrap_or_default();
                    let round = self
                        .round_of_candidate(&id)
                        .map(|r| format!("round {}", r + 1))
                        .unwrap_or_else(|| "round".to_string());
                    let in_room = self
                        .leaving
                        .as_ref()
                        .map(|l| format!(" {} {} is in the room.", l.candidate.id, l.candidate.name))
                        .unwrap_or_default();
                    self.ask = Some(Ask {
                        question: "Submit before their round has begun?".to_string(),
                        detail: format!(
                            "By the circuit's clock {id} {name}'s {round} has not begun{begins}: they are not in the \
                             room yet.{in_room} Submit only if these marks are theirs. Submitting locks the sheet; \
                             changing it later needs an amendment with a reason."
                        ),
                        yes: AskFor::Submit,
                    });
                    return Vec::new();
                }
                if never_started && by_clock.is_none() {
                    self.ask = Some(Ask {
                        question: "Submit without the station timer?".to_string(),
                        detail: format!(
                            "The timer of {} was never started, so the sheet will have no start, end or overrun \
                             (n, then space on the sheet, starts it). Submitting locks the sheet; changing it later \
                             needs an amendment with a reason.",
                            self.sheet_words()
                        ),
                        yes: AskFor::Submit,
                    });
                    return Vec::new();
                }
                if let Some(left) = left {
                    self.ask = Some(Ask {
                        question: "Submit before the time is up?".to_string(),
                        detail: format!(
                            "{on} {}, {left}. Submitting locks the sheet (the candidate's time still runs until they leave); changing it later needs an amendment with a reason.",
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

    pub(super) fn comment_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Comment(editor) = &mut self.screen else {
            return Vec::new();
        };
        match action {
            Action::Tab => {
                editor.focus = editor.focus.other();
                Vec::new()
            }
            Action::Text(input) => {
                editor.focused_mut().input(input);
                Vec::new()
            }
            Action::Paste(text) => {
                editor.focused_mut().insert_str(text);
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

    pub(super) fn concern_key(&mut self, action: Action) -> Vec<Effect> {
        let Screen::Concern(editor) = &mut self.screen else {
            return Vec::new();
        };
        match action {
            Action::Up => {
                editor.cycle(false);
                Vec::new()
            }
            Action::Down | Action::Tab => {
                editor.cycle(true);
                Vec::new()
            }
            Action::Text(input) => {
                editor.note_mut().input(input);
                Vec::new()
            }
            Action::Paste(text) => {
                editor.note_mut().insert_str(text);
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
                let events: Vec<Event> = editor
                    .kinds_and_notes()
                    .filter_map(|(kind, area)| {
                        let note = text_of(area);
                        let changed = saved
                            .get(&kind)
                            .map_or(!note.is_empty(), |old| *old != note && !note.is_empty());
                        changed.then_some(Event::Concern { kind, note })
                    })
                    .collect();
                // Drafts written while typing, of the kinds not raised now,
                // are withdrawn, so that a restart does not bring back what
                // was left (or emptied).
                let drafts = self
                    .sheet
                    .as_ref()
                    .map(|s| s.state.concern_drafts.clone())
                    .unwrap_or_default();
                let saving = action == Action::Save;
                let withdraw: Vec<Event> = ConcernKind::ALL
                    .iter()
                    .copied()
                    .zip(&editor.drafted)
                    .filter(|(kind, drafted)| {
                        let raised = saved.get(kind).map_or("", String::as_str);
                        (drafts.contains_key(kind) || drafted.as_str() != raised)
                            && !(saving
                                && events
                                    .iter()
                                    .any(|e| matches!(e, Event::Concern { kind: k, .. } if k == kind)))
                    })
                    .map(|(kind, _)| Event::ConcernDraft {
                        kind,
                        note: saved.get(&kind).cloned().unwrap_or_default(),
                    })
                    .collect();
                if action != Action::Save {
                    self.leave_dialog(!events.is_empty());
                    if matches!(self.screen, Screen::Concern(_)) {
                        return Vec::new();
                    }
                    return self.append_all(withdraw);
                }
                if events.is_empty() {
                    if text_of(editor.note()).is_empty() {
                        self.notice = Some(
                            "Write what happened: a concern needs a note (esc leaves without raising one)."
                                .to_string(),
                        );
                        return Vec::new();
                    }
                    self.screen = Screen::Scoring;
                    return self.append_all(withdraw);
                }
                self.closing = true;
                self.append_all(events.into_iter().chain(withdraw).collect())
            }
            Action::Withdraw => {
                let kind = editor.kind;
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

    pub(super) fn reason_key(&mut self, action: Action) -> Vec<Effect> {
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
