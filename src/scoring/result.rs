//! What the engine concludes, with every reason in words.

use std::fmt;

use crate::rubric::{Critical, Noun, Place, StandardSetMethod};

use super::fmt_marks;

/// The result of a whole assessment, or of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Pass,
    Fail,
    Incomplete,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
            Outcome::Incomplete => "INCOMPLETE",
        })
    }
}

/// A station's result. Written in records as `PASS`, `FAIL`,
/// `INCOMPLETE`, `ABSENT` or `REST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum StationOutcome {
    Pass,
    Fail,
    /// Marks or the global rating are missing.
    Incomplete,
    /// The candidate did not attend.
    Absent,
    /// A rest station: nothing to mark.
    Rest,
}

impl StationOutcome {
    /// The outcome as every file and screen writes it: `PASS`, `FAIL`,
    /// `INCOMPLETE`, `ABSENT` or `REST`.
    pub fn word(self) -> &'static str {
        match self {
            StationOutcome::Pass => "PASS",
            StationOutcome::Fail => "FAIL",
            StationOutcome::Incomplete => "INCOMPLETE",
            StationOutcome::Absent => "ABSENT",
            StationOutcome::Rest => "REST",
        }
    }
}

impl fmt::Display for StationOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A statement behind a result: what was decided and why.
#[derive(Debug, Clone)]
pub struct Reason {
    pub verdict: Outcome,
    pub text: String,
    /// Whether it is one of the reasons the marks give a station's result
    /// for (a critical item, the score or level against the pass mark), as
    /// the scoring engine said them, rather than a note on how the result
    /// was reached (a third marker's, double marking, moderation): a list
    /// of the stations failed gives each station's of these.
    pub of_marks: bool,
}

/// Two reasons are the same where they say the same: where each was said
/// is not part of it.
impl PartialEq for Reason {
    fn eq(&self, other: &Reason) -> bool {
        self.verdict == other.verdict && self.text == other.text
    }
}

impl Eq for Reason {}

impl Reason {
    pub fn new(verdict: Outcome, text: impl Into<String>) -> Reason {
        Reason {
            verdict,
            text: text.into(),
            of_marks: false,
        }
    }

    /// A reason the marks give the station's result for ([`Reason::of_marks`]).
    pub fn of_marks(verdict: Outcome, text: impl Into<String>) -> Reason {
        Reason {
            of_marks: true,
            ..Reason::new(verdict, text)
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.verdict, self.text)
    }
}

/// Where the pass mark that was applied came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassMarkSource {
    /// Written in the rubric as marks or percent.
    Fixed,
    /// The rubric's provisional mark, standing in until standard setting.
    Provisional(StandardSetMethod),
    /// Set from the cohort's data (or, for modified Angoff, the judges').
    StandardSet(super::SetMethod),
    /// Critical items and a share of the other items.
    Competency,
    /// A level of the global rating.
    GlobalRating,
}

impl fmt::Display for PassMarkSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PassMarkSource::Fixed => f.write_str("fixed"),
            PassMarkSource::Provisional(m) => write!(f, "provisional until {m}"),
            PassMarkSource::StandardSet(m) => write!(f, "standard-set ({m})"),
            PassMarkSource::Competency => f.write_str("competency"),
            PassMarkSource::GlobalRating => f.write_str("global rating"),
        }
    }
}

/// The pass mark a station was judged against.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedPassMark {
    /// In marks, on this sheet's maximum; `None` for competency and
    /// global-rating pass marks.
    pub marks: Option<f64>,
    pub source: PassMarkSource,
    /// In words, e.g. "12 marks (60% of 20)".
    pub description: String,
}

/// A critical item that was not met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalFail {
    pub station: String,
    pub station_title: String,
    /// What the rubric calls the station.
    pub noun: Noun,
    pub item: String,
    pub item_text: String,
    /// The level given, or "not observed".
    pub given: String,
    pub scope: Critical,
}

impl fmt::Display for CriticalFail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.scope {
            Critical::FailsAssessment => "critical item (fails the assessment)",
            _ => "critical item",
        };
        write!(
            f,
            "{what} '{}' {} at {} '{}'",
            self.item_text,
            if self.given == "not observed" {
                "not observed".to_string()
            } else {
                format!("marked '{}'", self.given)
            },
            self.noun.one(),
            self.station_title
        )
    }
}

/// Something the result is waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No sheet at all for this station, or (`held`) none that counts yet:
    /// sheets are in, and what only a person can settle (a conflict
    /// between them, a journal that cannot be used as it is) holds them
    /// back, in words.
    Sheet {
        station: Place,
        held: Option<String>,
    },
    Item {
        station: Place,
        item: String,
        text: String,
    },
    GlobalRating {
        station: Place,
    },
    Absent {
        station: Place,
        reason: String,
    },
    /// Every item was "not observed", so the marks cannot decide.
    NothingObserved {
        station: Place,
    },
    Component {
        component: String,
    },
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Sheet { station, held: None } => write!(f, "no sheet for {station}"),
            Missing::Sheet {
                station,
                held: Some(why),
            } => write!(f, "no sheet counts yet at {station} ({why})"),
            Missing::Item { station, text, .. } => {
                write!(f, "item '{text}' not marked at {station}")
            }
            Missing::GlobalRating { station } => write!(f, "no global rating at {station}"),
            Missing::Absent { station, reason } => write!(f, "absent from {station} ({reason})"),
            Missing::Component { component } => write!(f, "no mark for component '{component}'"),
            Missing::NothingObserved { station } => {
                write!(f, "no item observed at {station}, so its marks cannot decide it")
            }
        }
    }
}

/// How many of the non-critical items met the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Competency {
    pub met: usize,
    /// Non-critical items marked (not counting "not observed").
    pub marked: usize,
}

impl Competency {
    pub fn percent(self) -> f64 {
        if self.marked == 0 {
            100.0
        } else {
            self.met as f64 * 100.0 / self.marked as f64
        }
    }
}

impl std::ops::Add for Competency {
    type Output = Competency;
    fn add(self, other: Competency) -> Competency {
        Competency {
            met: self.met + other.met,
            marked: self.marked + other.marked,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StationResult {
    pub station: String,
    pub title: String,
    /// What the rubric calls the station.
    pub noun: Noun,
    pub outcome: StationOutcome,
    /// Marks earned so far.
    pub score: f64,
    /// The maximum on this sheet: every item but those not observed.
    pub max: f64,
    /// The maximum of the station from its items.
    pub nominal_max: f64,
    pub pass_mark: Option<AppliedPassMark>,
    /// Index into the global-rating scale, and its label.
    pub global_rating: Option<(usize, String)>,
    pub critical_fails: Vec<CriticalFail>,
    pub competency: Competency,
    pub missing: Vec<Missing>,
    pub reasons: Vec<Reason>,
    /// Failed by the exam lead's decision on an absence: nothing on it was
    /// assessed, and it counts as failed with every item not met.
    pub failed_for_absence: bool,
}

impl StationResult {
    /// The station as texts name it: `station 'Knee'`, `case 'Case 1'`.
    pub fn place(&self) -> Place {
        Place {
            noun: self.noun,
            title: self.title.clone(),
        }
    }

    pub fn percent(&self) -> Option<f64> {
        (self.max > 0.0).then(|| self.score * 100.0 / self.max)
    }

    pub fn is_scored(&self) -> bool {
        self.outcome != StationOutcome::Rest
    }
}

/// A component's share of a multi-part module.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentResult {
    pub component: String,
    pub title: String,
    pub weight: Option<f64>,
    pub percent: Option<f64>,
    /// The component's own pass mark, percent.
    pub pass_percent: Option<f64>,
    pub outcome: Outcome,
}

impl ComponentResult {
    /// `46.5`: its percentage, never shown as its pass mark when it
    /// missed it (`39.96`, not `40`).
    pub fn percent_words(&self) -> Option<String> {
        self.percent.map(|p| match self.pass_percent {
            Some(line) => super::fmt_percent_beside(p, line),
            None => super::fmt_percent(p),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentResult {
    pub outcome: Outcome,
    pub total: f64,
    pub max: f64,
    pub stations_passed: usize,
    pub stations_scored: usize,
    /// The cut score applied, where a rule sets one.
    pub cut: Option<f64>,
    pub stations: Vec<StationResult>,
    pub components: Vec<ComponentResult>,
    /// The weighted module mark in percent, where components are weighted.
    pub module_mark: Option<f64>,
    /// The module mark's pass mark, percent, where the rubric sets one.
    pub module_pass: Option<f64>,
    pub critical_fails: Vec<CriticalFail>,
    /// One or more per rule, in rubric order: why it passed, failed or waits.
    pub reasons: Vec<Reason>,
    pub missing: Vec<Missing>,
    /// Why the result may still change although complete (provisional pass
    /// marks, SEM not yet known). Empty when final.
    pub provisional: Vec<String>,
}

impl AssessmentResult {
    /// What the rubric calls its stations (cases in a final clinical
    /// assessment), as its stations' results say.
    pub fn noun(&self) -> Noun {
        self.stations.first().map_or(Noun::Station, |s| s.noun)
    }

    /// `module mark 49.96%`: the module mark, never shown as its pass
    /// mark when it missed it; `None` without weighted components.
    pub fn module_mark_words(&self) -> Option<String> {
        self.module_mark.map(|m| {
            format!(
                "module mark {}%",
                match self.module_pass {
                    Some(line) => super::fmt_percent_beside(m, line),
                    None => super::fmt_percent(m),
                }
            )
        })
    }

    pub fn percent(&self) -> Option<f64> {
        (self.max > 0.0).then(|| self.total * 100.0 / self.max)
    }

    /// The reasons that decided the outcome: the failing ones for a FAIL,
    /// the waiting ones for INCOMPLETE, all for a PASS.
    pub fn deciding_reasons(&self) -> impl Iterator<Item = &Reason> {
        self.reasons.iter().filter(move |r| r.verdict == self.outcome)
    }
}

impl fmt::Display for AssessmentResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} — total {} of {}",
            self.outcome,
            fmt_marks(self.total),
            fmt_marks(self.max)
        )?;
        if !self.provisional.is_empty() {
            f.write_str(" (provisional)")?;
        }
        Ok(())
    }
}
