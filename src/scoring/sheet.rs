//! What the engine scores: the marks on a candidate's sheets, and the
//! standard-set pass marks and SEM when the cohort's data has supplied them.

use std::collections::BTreeMap;

use compact_str::CompactString;

use crate::rubric::StandardSetMethod;

/// The mark given to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemMark {
    /// Index into the item's scale levels, lowest first.
    Level(usize),
    /// The examiner did not see it (only where the scale allows). The item
    /// leaves both the score and the maximum.
    NotObserved,
}

/// One examiner's marks for one candidate at one station.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationSheet {
    /// Marks by item id. An id is held in place, not in an allocation of
    /// its own, when it is short (24 bytes or less): every result of a
    /// cohort builds each sheet's marks again.
    pub marks: BTreeMap<CompactString, ItemMark>,
    /// Index into the global-rating scale's levels.
    pub global_rating: Option<usize>,
    /// Set when the candidate did not attend, with the reason recorded.
    pub absent: Option<String>,
}

impl StationSheet {
    pub fn mark(mut self, item: &str, mark: ItemMark) -> Self {
        self.marks.insert(item.into(), mark);
        self
    }

    pub fn level(self, item: &str, level: usize) -> Self {
        self.mark(item, ItemMark::Level(level))
    }

    pub fn rated(mut self, level: usize) -> Self {
        self.global_rating = Some(level);
        self
    }
}

/// A mark for a component assessed outside the rubric's stations (a
/// written assignment, a logbook).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ComponentMark {
    Percent(f64),
    Passed(bool),
}

/// All of one candidate's sheets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateSheets {
    /// By station id. A station with no entry has no sheet yet.
    pub stations: BTreeMap<String, StationSheet>,
    /// By component id, for components with no stations.
    pub components: BTreeMap<String, ComponentMark>,
}

impl CandidateSheets {
    pub fn with(mut self, station: &str, sheet: StationSheet) -> Self {
        self.stations.insert(station.to_string(), sheet);
        self
    }
}

/// A pass mark set from the cohort's data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandardSetMark {
    /// In marks, on the station's full maximum.
    pub marks: f64,
    pub method: SetMethod,
}

/// The method a standard-set pass mark was set by: one a rubric can name
/// (borderline regression, the borderline group), or one the exam lead
/// chose for a run of `osce report --method` (modified Angoff, whose
/// judges' estimates live outside the rubric). The names are those of the
/// standard-setting record (`docs/report.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SetMethod {
    #[serde(rename = "borderline regression")]
    BorderlineRegression,
    #[serde(rename = "borderline group")]
    BorderlineGroup,
    #[serde(rename = "modified Angoff")]
    ModifiedAngoff,
    /// The exam board kept the station's provisional pass mark.
    #[serde(rename = "provisional kept")]
    Provisional,
    /// The exam board set the pass mark itself.
    #[serde(rename = "fixed by the board")]
    Fixed,
}

impl From<StandardSetMethod> for SetMethod {
    fn from(m: StandardSetMethod) -> Self {
        match m {
            StandardSetMethod::BorderlineRegression => SetMethod::BorderlineRegression,
            StandardSetMethod::BorderlineGroup => SetMethod::BorderlineGroup,
        }
    }
}

impl std::fmt::Display for SetMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SetMethod::BorderlineRegression => "borderline regression",
            SetMethod::BorderlineGroup => "borderline group",
            SetMethod::ModifiedAngoff => "modified Angoff",
            SetMethod::Provisional => "provisional kept",
            SetMethod::Fixed => "fixed by the board",
        })
    }
}

/// What standard setting has decided so far. Empty until it has run: then
/// every standard-set station uses its provisional mark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Standards {
    /// By station id.
    pub pass_marks: BTreeMap<String, StandardSetMark>,
    /// Standard error of measurement of the total, for `plus_sem` cuts.
    pub sem: Option<f64>,
}

/// A sheet that does not fit the rubric it is scored against. These come
/// from a damaged or mismatched session, never from a normal exam day.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SheetError {
    #[error("there is no station \"{station}\" in the rubric")]
    UnknownStation { station: String },
    #[error("station \"{station}\" has no item \"{item}\"")]
    UnknownItem { station: String, item: String },
    #[error("item \"{item}\" at station \"{station}\" has level {level}, but its scale has {levels} levels")]
    LevelOutOfRange {
        station: String,
        item: String,
        level: usize,
        levels: usize,
    },
    #[error(
        "item \"{item}\" at station \"{station}\" is marked not observed, which its scale does not allow"
    )]
    NotObservedNotAllowed { station: String, item: String },
    #[error("station \"{station}\" has a global rating, but the rubric gives it no global rating scale")]
    UnexpectedGlobalRating { station: String },
    #[error("the global rating at station \"{station}\" is level {level}, but its scale has {levels} levels")]
    GlobalRatingOutOfRange {
        station: String,
        level: usize,
        levels: usize,
    },
    #[error("rest station \"{station}\" has marks")]
    MarksAtRestStation { station: String },
    #[error("there is no component \"{component}\" with a supplied mark in the rubric")]
    UnknownComponent { component: String },
    #[error("component \"{component}\" needs {expected}")]
    WrongComponentMark {
        component: String,
        expected: &'static str,
    },
    #[error("standard-set pass mark for station \"{station}\" is {marks}, outside 0 to the maximum {max}")]
    StandardSetOutOfRange { station: String, marks: f64, max: f64 },
}
