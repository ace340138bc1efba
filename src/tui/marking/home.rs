//! The home screen: choose a rubric, say who you are and how you will
//! mark, or resume an unfinished sheet. The executor reads the disk (the
//! rubrics offered, the unfinished sheets) and starts the session.

use ratatui_textarea::{Input, Key as TextKey, TextArea};

use super::Action;

/// A rubric on offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricChoice {
    /// Where it comes from, as shown: a path, or "built in".
    pub label: String,
    pub source: RubricSource,
    pub id: String,
    pub title: String,
    /// Scored stations: (id, title).
    pub stations: Vec<(String, String)>,
    /// What the rubric calls them (cases in a final clinical assessment).
    pub noun: crate::rubric::Noun,
    /// Why it cannot be used, if it is invalid.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricSource {
    File(std::path::PathBuf),
    /// One of the example rubrics compiled into the binary, by file name.
    BuiltIn(&'static str),
}

/// A sheet in the store that is not yet submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub rubric: usize,
    pub station: String,
    pub candidate: String,
    pub candidate_name: String,
    pub examiner: String,
    pub last_saved: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Rubric,
    Examiner,
    Mode,
    CandidateId,
    CandidateName,
    Roster,
    /// The circuit examined, where the roster has several.
    Circuit,
    Station,
    Start,
    Resume,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    pub rubric: usize,
    pub examiner: String,
    pub circuit: bool,
    pub candidate_id: String,
    pub candidate_name: String,
    pub roster: String,
    /// Station id (circuit mode, or where candidate mode begins).
    pub station: Option<String>,
    /// The roster's circuit, in circuit mode (empty: the roster's only one).
    pub circuit_name: String,
    /// An unfinished sheet resumed from the list, outside the circuit the
    /// home screen is set for: the fields are remembered as they are, not
    /// as this launch's.
    pub resumed: bool,
    /// Candidate by candidate, the station was not chosen this time (the
    /// field as remembered, or the first): it is where to begin, a sheet
    /// submitted there passed for the next one not submitted. Chosen, its
    /// sheet is shown whatever its state (to read or amend).
    pub begin_at: bool,
}

/// What a key on the home screen comes to.
pub enum HomeOutcome {
    Nothing,
    /// Start marking with these choices.
    Launch(Launch),
    Quit,
}

#[derive(Debug)]
pub struct Home {
    pub rubrics: Vec<RubricChoice>,
    pub unfinished: Vec<Unfinished>,
    /// Where the sessions folder is, to show.
    pub sessions: String,
    pub focus: Field,
    pub rubric: usize,
    pub examiner: TextArea<'static>,
    pub circuit: bool,
    pub candidate_id: TextArea<'static>,
    pub candidate_name: TextArea<'static>,
    pub roster: TextArea<'static>,
    pub circuit_name: TextArea<'static>,
    pub station: usize,
    /// Whether the examiner moved the station field on this screen.
    pub station_chosen: bool,
    pub resume: usize,
    /// Esc was pressed once with a candidate typed: a second quits.
    pub quit_armed: bool,
    pub error: Option<String>,
    /// What the screen offers from before (a candidate whose stations are
    /// not all submitted), said under the form where no problem is.
    pub hint: Option<String>,
    /// The candidate the hint offers: once the id field says another (or
    /// the mode is a station circuit), the hint is gone.
    offered: String,
    /// Their name, put in the name field with their id: it goes with the
    /// id (another id typed over theirs takes it out of the field, their
    /// id typed again puts it back).
    offered_name: String,
    /// Roster files found beside the rubrics, offered in the roster field
    /// (←/→).
    pub rosters: Vec<String>,
    /// The circuits each offered roster names, offered in the circuit
    /// field (←/→) when that roster is chosen.
    pub roster_circuits: Vec<(String, Vec<String>)>,
}

fn field(placeholder: &str, value: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![value.to_string()]);
    t.set_placeholder_text(placeholder);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

pub fn text(t: &TextArea<'_>) -> String {
    t.lines()
        .first()
        .map(|l| l.trim().to_string())
        .unwrap_or_default()
}

impl Home {
    /// The rubric at `index` read again on Start, changed since it was
    /// listed: shown as it is now, the station kept where it still is,
    /// and the examiner asked to look and press enter again.
    pub fn reread(&mut self, index: usize, choice: RubricChoice) {
        let Some(slot) = self.rubrics.get_mut(index) else {
            return;
        };
        let station = slot.stations.get(self.station).map(|(id, _)| id.clone());
        *slot = choice;
        if index == self.rubric {
            self.station = station
                .and_then(|id| slot.stations.iter().position(|(s, _)| *s == id))
                .unwrap_or(0);
        }
        self.error = Some(match &slot.problem {
            Some(problem) => format!(
                "{} has changed since this screen listed it, and was read again: it cannot be used: {problem}",
                slot.label
            ),
            None => format!(
                "{} has changed since this screen listed it, and was read again: check the rubric and your station{}, \
                 then start again.",
                slot.label,
                slot.stations
                    .get(self.station)
                    .filter(|_| index == self.rubric)
                    .map_or(String::new(), |(_, title)| format!(" (now: {title})"))
            ),
        });
    }

    /// Among the rosters found, the chosen rubric's own: the one named
    /// after its file (`exam.ron`, `exam.roster.csv` or `exam.csv`).
    fn own_roster(&self) -> Option<usize> {
        let label = &self.rubrics.get(self.rubric)?.label;
        let stem = std::path::Path::new(label).file_stem()?.to_str()?;
        self.rosters.iter().position(|r| {
            std::path::Path::new(r)
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(stem))
                .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    pub fn new(
        rubrics: Vec<RubricChoice>,
        unfinished: Vec<Unfinished>,
        sessions: String,
        examiner: &str,
    ) -> Home {
        let rubric = rubrics.iter().position(|r| r.problem.is_none()).unwrap_or(0);
        Home {
            rubrics,
            unfinished,
            sessions,
            focus: Field::Rubric,
            rubric,
            examiner: field("your examiner id, e.g. E01", examiner),
            circuit: false,
            candidate_id: field("e.g. C001", ""),
            candidate_name: field("as on the candidate list", ""),
            roster: field("optional: a roster CSV file", ""),
            circuit_name: field("the roster's circuit, e.g. A (if it has several)", ""),
            station: 0,
            quit_armed: false,
            station_chosen: false,
            resume: 0,
            error: None,
            hint: None,
            offered: String::new(),
            offered_name: String::new(),
            rosters: Vec::new(),
            roster_circuits: Vec::new(),
        }
    }

    /// Fills the fields as the examiner last launched (where that rubric
    /// and station are still on offer).
    pub fn remember(&mut self, r: &crate::tui::remember::Remembered) {
        if let Some(i) = self
            .rubrics
            .iter()
            .position(|c| c.label == r.rubric && c.problem.is_none())
        {
            self.rubric = i;
            if let Some(st) = self.rubrics[i]
                .stations
                .iter()
                .position(|(id, _)| *id == r.station)
            {
                self.station = st;
            }
        }
        if text(&self.examiner).is_empty() {
            self.examiner = field("your examiner id, e.g. E01", &r.examiner);
        }
        self.circuit = r.circuit;
        self.roster = field("optional: a roster CSV file", &r.roster);
        self.circuit_name = field(
            "the roster's circuit, e.g. A (if it has several)",
            &r.circuit_name,
        );
    }

    /// What to remember of a launch. A sheet resumed from the list leaves
    /// what the fields say (a station circuit, its roster) to remember, so
    /// that Start after it goes on as before.
    pub fn remembered(&self, launch: &Launch) -> crate::tui::remember::Remembered {
        if launch.resumed {
            return crate::tui::remember::Remembered {
                rubric: self
                    .rubrics
                    .get(self.rubric)
                    .map(|c| c.label.clone())
                    .unwrap_or_default(),
                examiner: launch.examiner.clone(),
                circuit: self.circuit,
                roster: text(&self.roster),
                circuit_name: text(&self.circuit_name),
                station: self
                    .rubrics
                    .get(self.rubric)
                    .and_then(|c| c.stations.get(self.station))
                    .map(|(id, _)| id.clone())
                    .unwrap_or_default(),
                candidate: if self.circuit {
                    String::new()
                } else {
                    launch.candidate_id.clone()
                },
            };
        }
        crate::tui::remember::Remembered {
            rubric: self
                .rubrics
                .get(launch.rubric)
                .map(|c| c.label.clone())
                .unwrap_or_default(),
            examiner: launch.examiner.clone(),
            circuit: launch.circuit,
            roster: launch.roster.clone(),
            circuit_name: launch.circuit_name.clone(),
            station: launch.station.clone().unwrap_or_default(),
            candidate: if launch.circuit {
                String::new()
            } else {
                launch.candidate_id.clone()
            },
        }
    }

    /// Offers `candidate` again, whose stations on this device are not all
    /// submitted (`done` of `of`, the last saved at `last`): their id in
    /// its field, and a word saying so. Start goes on with them, at the
    /// first station not submitted.
    pub fn offer_unfinished_candidate(
        &mut self,
        candidate: &str,
        name: &str,
        (done, of, noun): (usize, usize, crate::rubric::Noun),
        last: &str,
    ) {
        if !text(&self.candidate_id).is_empty() || self.circuit {
            return;
        }
        self.candidate_id = field("e.g. C001", candidate);
        if text(&self.candidate_name).is_empty() && !name.is_empty() {
            self.candidate_name = field("as on the candidate list", name);
            self.offered_name = name.to_string();
        }
        self.focus = Field::CandidateId;
        self.offered = candidate.to_string();
        self.hint = Some(format!(
            "{candidate}'s {} here are not all submitted ({done} of {of}, the last saved {last}). Start goes on \
             with {candidate}; type another id for another candidate.",
            noun.many()
        ));
    }

    /// The fields in tab order, as they apply to the chosen mode.
    pub fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::Rubric, Field::Examiner, Field::Mode];
        if self.circuit {
            f.extend([Field::Roster, Field::Circuit, Field::Station]);
        } else {
            f.extend([
                Field::CandidateId,
                Field::CandidateName,
                Field::Roster,
                Field::Station,
            ]);
        }
        f.push(Field::Start);
        if !self.unfinished.is_empty() {
            f.push(Field::Resume);
        }
        f
    }

    pub fn chosen(&self) -> Option<&RubricChoice> {
        self.rubrics.get(self.rubric)
    }

    fn step(&mut self, forward: bool) {
        let fields = self.fields();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = fields.len();
        self.focus = fields[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    /// A candidate's id or name is typed in.
    fn candidate_typed(&self) -> bool {
        // A candidate offered from before is not typed: nothing is lost.
        self.hint.is_none()
            && (!text(&self.candidate_id).is_empty() || !text(&self.candidate_name).is_empty())
    }

    pub fn update(&mut self, action: Action) -> HomeOutcome {
        let armed = std::mem::take(&mut self.quit_armed);
        match action {
            // Esc pressed to clear a field would lose what was typed: with
            // a candidate typed, the first says so and a second quits.
            Action::Quit | Action::Escape if !armed && self.candidate_typed() => {
                self.quit_armed = true;
                self.error = Some("Press esc again to quit: what you typed is not kept.".to_string());
            }
            Action::Quit | Action::Escape => return HomeOutcome::Quit,
            Action::Tab | Action::Down => self.step(true),
            Action::Up => self.step(false),
            Action::Enter => match self.focus {
                Field::Resume => return self.resume(),
                _ => return self.launch(),
            },
            Action::Text(input) => self.input(input),
            Action::Paste(text) => {
                let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                match self.focus {
                    Field::Examiner => self.examiner.insert_str(line),
                    Field::CandidateId => self.candidate_id.insert_str(line),
                    Field::CandidateName => {
                        self.offered_name.clear();
                        self.candidate_name.insert_str(line)
                    }
                    Field::Roster => self.roster.insert_str(line),
                    Field::Circuit => self.circuit_name.insert_str(line),
                    _ => false,
                };
            }
            _ => {}
        }
        if self.hint.is_some() && (self.circuit || text(&self.candidate_id) != self.offered) {
            self.hint = None;
        }
        // The name offered is its candidate's: never confirmed under
        // another id typed over theirs.
        if !self.offered_name.is_empty() {
            let (id, name) = (text(&self.candidate_id), text(&self.candidate_name));
            if id != self.offered && name == self.offered_name {
                self.candidate_name = field("as on the candidate list", "");
            } else if id == self.offered && name.is_empty() {
                self.candidate_name = field("as on the candidate list", &self.offered_name);
            }
        }
        HomeOutcome::Nothing
    }

    fn input(&mut self, input: Input) {
        let left = input.key == TextKey::Left;
        let right = input.key == TextKey::Right;
        let cycle = |i: usize, n: usize| -> usize {
            if n == 0 {
                0
            } else if left {
                (i + n - 1) % n
            } else {
                (i + 1) % n
            }
        };
        match self.focus {
            Field::Rubric if left || right => {
                let own = self.own_roster().map(|i| self.rosters[i].clone());
                self.rubric = cycle(self.rubric, self.rubrics.len());
                self.station = 0;
                self.station_chosen = false;
                // The roster chosen was that rubric's own: another exam's
                // would not fit this one, whose own (if any) takes its place.
                if own.is_some_and(|r| r == text(&self.roster)) {
                    let now = self
                        .own_roster()
                        .map(|i| self.rosters[i].clone())
                        .unwrap_or_default();
                    self.roster = field("optional: a roster CSV file", &now);
                }
            }
            Field::Mode if left || right || input.key == TextKey::Char(' ') => self.circuit = !self.circuit,
            Field::Station if left || right => {
                let n = self.chosen().map_or(0, |r| r.stations.len());
                self.station = cycle(self.station, n);
                self.station_chosen = true;
            }
            Field::Resume if left || right => self.resume = cycle(self.resume, self.unfinished.len()),
            // The chosen roster's circuits, in turn.
            Field::Circuit if left || right => {
                let roster = text(&self.roster);
                let circuits = self
                    .roster_circuits
                    .iter()
                    .find(|(path, _)| *path == roster)
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
                if circuits.is_empty() {
                    self.circuit_name.input(input);
                } else {
                    let now = text(&self.circuit_name);
                    let next = match circuits.iter().position(|c| *c == now) {
                        Some(i) => cycle(i, circuits.len()),
                        None => 0,
                    };
                    self.circuit_name = field(
                        "the roster's circuit, e.g. A (if it has several)",
                        &circuits[next],
                    );
                }
            }
            // The roster files found beside the rubrics, in turn.
            Field::Roster if (left || right) && !self.rosters.is_empty() => {
                let now = text(&self.roster);
                let at = self.rosters.iter().position(|r| *r == now);
                let next = match at {
                    Some(i) => cycle(i, self.rosters.len()),
                    // The chosen rubric's own roster first (`exam.ron`,
                    // `exam.roster.csv`), never another exam's.
                    None => self.own_roster().unwrap_or(0),
                };
                self.roster = field("optional: a roster CSV file", &self.rosters[next]);
            }
            Field::Examiner => {
                self.examiner.input(input);
            }
            Field::CandidateId => {
                self.candidate_id.input(input);
            }
            Field::CandidateName => {
                self.candidate_name.input(input);
                // Typed by the examiner: theirs, whatever the id.
                self.offered_name.clear();
            }
            Field::Roster => {
                self.roster.input(input);
            }
            Field::Circuit => {
                self.circuit_name.input(input);
            }
            _ => {}
        }
    }

    fn launch(&mut self) -> HomeOutcome {
        let Some(choice) = self.chosen() else {
            self.error = Some("There is no rubric to choose.".to_string());
            return HomeOutcome::Nothing;
        };
        // A rubric that could not be used when listed is still asked for:
        // the file is read again on Start (fixed since, in another window),
        // and refused then if it still cannot be used.
        let examiner = text(&self.examiner);
        if examiner.is_empty() {
            self.error = Some("Enter your examiner id.".to_string());
            self.focus = Field::Examiner;
            return HomeOutcome::Nothing;
        }
        let roster = text(&self.roster);
        let candidate_id = text(&self.candidate_id);
        if self.circuit && roster.is_empty() {
            self.error = Some(
                "Station circuit needs a roster file: the candidates in the order they arrive.".to_string(),
            );
            self.focus = Field::Roster;
            return HomeOutcome::Nothing;
        }
        if !self.circuit && roster.is_empty() && candidate_id.is_empty() {
            self.error = Some("Enter the candidate's id, or a roster file.".to_string());
            self.focus = Field::CandidateId;
            return HomeOutcome::Nothing;
        }
        let station = choice.stations.get(self.station).map(|(id, _)| id.clone());
        HomeOutcome::Launch(Launch {
            rubric: self.rubric,
            examiner,
            circuit: self.circuit,
            // A circuit's candidates are the roster's: a candidate typed in
            // the other mode's field is not one of its.
            candidate_id: if self.circuit { String::new() } else { candidate_id },
            candidate_name: text(&self.candidate_name),
            roster,
            station,
            circuit_name: text(&self.circuit_name),
            resumed: false,
            begin_at: !self.station_chosen,
        })
    }

    fn resume(&mut self) -> HomeOutcome {
        let Some(u) = self.unfinished.get(self.resume) else {
            return HomeOutcome::Nothing;
        };
        // A sheet is its examiner's: marks added to it are theirs. Someone
        // else at this laptop would mark under their name.
        let typed = text(&self.examiner);
        if !typed.is_empty() && typed != u.examiner {
            self.error = Some(format!(
                "{}'s sheet at {} is examiner {}'s, not {typed}'s: type {} as the examiner id to go on with it. \
                 An examiner taking over starts a sheet of their own.",
                u.candidate, u.station, u.examiner, u.examiner
            ));
            self.focus = Field::Examiner;
            return HomeOutcome::Nothing;
        }
        // A sheet of the station circuit the home screen is set for (this
        // rubric, a roster, this station: as remembered from before a
        // crash): resumed in that circuit, as Start resumes it, so that the
        // rounds go on after it and nobody's marks go on another
        // station's sheet.
        let roster = text(&self.roster);
        let station_set = self
            .rubrics
            .get(self.rubric)
            .and_then(|c| c.stations.get(self.station))
            .map(|(id, _)| id.as_str());
        if self.circuit
            && self.rubric == u.rubric
            && !roster.is_empty()
            && station_set == Some(u.station.as_str())
        {
            // The candidate goes with it: one who is not in that circuit
            // (a walk-in, another circuit's) is resumed alone instead.
            return HomeOutcome::Launch(Launch {
                rubric: u.rubric,
                examiner: u.examiner.clone(),
                circuit: true,
                candidate_id: u.candidate.clone(),
                candidate_name: u.candidate_name.clone(),
                roster,
                station: Some(u.station.clone()),
                circuit_name: text(&self.circuit_name),
                resumed: false,
                begin_at: false,
            });
        }
        HomeOutcome::Launch(Launch {
            rubric: u.rubric,
            examiner: u.examiner.clone(),
            circuit: false,
            candidate_id: u.candidate.clone(),
            candidate_name: u.candidate_name.clone(),
            roster: String::new(),
            station: Some(u.station.clone()),
            circuit_name: String::new(),
            resumed: true,
            begin_at: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(label: &str, stations: &[&str]) -> RubricChoice {
        RubricChoice {
            label: label.to_string(),
            source: RubricSource::BuiltIn("x.ron"),
            id: label.to_string(),
            title: label.to_string(),
            stations: stations.iter().map(|s| (s.to_string(), s.to_string())).collect(),
            noun: crate::rubric::Noun::Station,
            problem: None,
        }
    }

    fn home() -> Home {
        let mut h = Home::new(
            vec![
                choice("a.ron", &["knee", "hip"]),
                choice("b.ron", &["elbow", "wrist"]),
            ],
            Vec::new(),
            "sessions".into(),
            "",
        );
        h.rosters = vec!["r/one.csv".into(), "r/two.csv".into()];
        h.roster_circuits = vec![
            ("r/one.csv".into(), vec!["North".into(), "South".into()]),
            ("r/two.csv".into(), Vec::new()),
        ];
        h
    }

    fn key(k: TextKey) -> Action {
        Action::Text(Input {
            key: k,
            ..Input::default()
        })
    }

    /// Each case: the field, the keys pressed there, and what the screen
    /// then holds (roster, circuit).
    #[test]
    fn left_and_right_offer_what_was_found() {
        let cases: &[(&str, Field, &[TextKey], &str, &str)] = &[
            (
                "a roster is offered",
                Field::Roster,
                &[TextKey::Right],
                "r/one.csv",
                "",
            ),
            (
                "then the next",
                Field::Roster,
                &[TextKey::Right, TextKey::Right],
                "r/two.csv",
                "",
            ),
            (
                "and round again",
                Field::Roster,
                &[TextKey::Right, TextKey::Right, TextKey::Right],
                "r/one.csv",
                "",
            ),
            (
                "left goes back",
                Field::Roster,
                &[TextKey::Right, TextKey::Left],
                "r/two.csv",
                "",
            ),
        ];
        for (what, field, keys, roster, circuit) in cases {
            let mut h = home();
            h.focus = *field;
            for k in *keys {
                h.update(key(*k));
            }
            assert_eq!(
                (text(&h.roster).as_str(), text(&h.circuit_name).as_str()),
                (*roster, *circuit),
                "{what}"
            );
        }
    }

    /// The roster offered first is the chosen rubric's own, named after
    /// it, not the first in alphabetical order (another exam's).
    #[test]
    fn the_chosen_rubrics_own_roster_is_offered_first() {
        let mut h = home();
        h.rosters = vec![
            "r/a.roster.csv".into(),
            "r/b.roster.csv".into(),
            "r/one.csv".into(),
        ];
        h.rubric = 1;
        h.focus = Field::Roster;
        h.update(key(TextKey::Right));
        assert_eq!(text(&h.roster), "r/b.roster.csv");
        h.update(key(TextKey::Right));
        assert_eq!(text(&h.roster), "r/one.csv");
    }

    /// Another rubric chosen after its own roster was: the new rubric's
    /// own roster takes its place (or none), never the other exam's kept;
    /// a roster chosen otherwise stays.
    #[test]
    fn choosing_another_rubric_swaps_its_own_roster() {
        let mut h = home();
        h.rosters = vec![
            "r/a.roster.csv".into(),
            "r/b.roster.csv".into(),
            "r/one.csv".into(),
        ];
        h.rubric = 0;
        h.roster = field("", "r/a.roster.csv");
        h.focus = Field::Rubric;
        h.update(key(TextKey::Right));
        assert_eq!(text(&h.roster), "r/b.roster.csv");
        h.rosters = vec!["r/b.roster.csv".into(), "r/one.csv".into()];
        h.update(key(TextKey::Right));
        assert_eq!(text(&h.roster), "", "a.ron has no roster of its own here");
        h.roster = field("", "r/one.csv");
        h.update(key(TextKey::Right));
        assert_eq!(text(&h.roster), "r/one.csv");
    }

    #[test]
    fn a_chosen_rosters_circuits_are_offered_in_turn_and_others_are_typed() {
        let mut h = home();
        h.circuit = true;
        h.focus = Field::Roster;
        h.update(key(TextKey::Right));
        h.focus = Field::Circuit;
        h.update(key(TextKey::Right));
        assert_eq!(text(&h.circuit_name), "North");
        h.update(key(TextKey::Right));
        assert_eq!(text(&h.circuit_name), "South");
        // A roster with no circuits: the field takes what is typed.
        let mut h = home();
        h.circuit = true;
        h.roster = field("", "r/two.csv");
        h.focus = Field::Circuit;
        h.update(key(TextKey::Char('A')));
        assert_eq!(text(&h.circuit_name), "A");
    }

    #[test]
    fn what_was_remembered_fills_the_fields_where_it_is_still_on_offer() {
        let mut h = home();
        h.remember(&crate::tui::remember::Remembered {
            rubric: "b.ron".into(),
            examiner: "E07".into(),
            circuit: true,
            roster: "r/one.csv".into(),
            circuit_name: "South".into(),
            station: "wrist".into(),
            ..Default::default()
        });
        assert_eq!((h.rubric, h.station, h.circuit), (1, 1, true));
        assert_eq!(text(&h.examiner), "E07");
        assert_eq!(text(&h.circuit_name), "South");
        // A rubric no longer on offer leaves the choice as it was.
        let mut h = home();
        h.remember(&crate::tui::remember::Remembered {
            rubric: "gone.ron".into(),
            station: "wrist".into(),
            ..Default::default()
        });
        assert_eq!((h.rubric, h.station), (0, 0));
        // And a launch is remembered as it was made.
        let mut h = home();
        h.examiner = field("", "E01");
        h.focus = Field::CandidateId;
        h.update(key(TextKey::Char('C')));
        let HomeOutcome::Launch(launch) = h.update(Action::Enter) else {
            panic!("launches");
        };
        let r = h.remembered(&launch);
        assert_eq!(
            (r.rubric.as_str(), r.examiner.as_str(), r.station.as_str()),
            ("a.ron", "E01", "knee")
        );
    }
}
