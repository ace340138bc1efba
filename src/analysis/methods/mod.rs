//! Standard-setting methods behind one interface: each takes a station's
//! complete results (and whatever the method reads besides, such as the
//! judges' Angoff estimates) and gives the station's pass mark, or why it
//! cannot be computed. The report's tables, its CSV and the
//! standard-setting record go through [`Method`] only, so a new method is
//! one file here, a name in [`crate::scoring::SetMethod`] (the name a
//! standard-setting record gives it), and a line in [`Methods`]; `osce
//! report --method` takes its [`Method::id`].
//!
//! The quality figures of the regression (R², the slope, the plot) stay in
//! the station's report: they judge the station, whatever method sets its
//! pass mark.

pub mod angoff;
pub mod borderline_group;
pub mod borderline_regression;

use crate::rubric::{Rubric, Station};
use crate::scoring::SetMethod;

/// One candidate's complete result at a station, as the methods see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub score: f64,
    /// The numeric code of the global rating given, if any.
    pub code: Option<f64>,
    /// Whether that rating is the scale's borderline level.
    pub borderline: bool,
}

/// What a method may read about one station.
pub struct StationData<'a> {
    pub rubric: &'a Rubric,
    pub station: &'a Station,
    /// The station's maximum, from its items.
    pub max: f64,
    /// The code of the global-rating scale's borderline level, where the
    /// station has a global rating and its scale a borderline level.
    pub borderline_code: Option<f64>,
    /// Every candidate with a complete result here
    /// (`docs/report.md`, "Which results are used").
    pub candidates: &'a [Candidate],
}

/// One figure a method writes to `report-stations.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    /// Marks, shares, coefficients: six decimals; empty when `None`.
    Number(Option<f64>),
    /// A whole number; empty when `None`.
    Count(Option<usize>),
}

/// What a method gives at one station.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodResult {
    /// The pass mark in marks, or why it cannot be computed, in words.
    pub pass_mark: Result<f64, String>,
    /// The Markdown report's cells, one per [`Method::table_columns`].
    pub cells: Vec<String>,
    /// The CSV figures, one per [`Method::csv_columns`].
    pub figures: Vec<Figure>,
    /// Said after the pass mark on the report screen, e.g. "(n = 4)".
    pub detail: String,
}

/// A standard-setting method for station pass marks.
pub trait Method: Send + Sync {
    /// As `osce report --method` takes it: `borderline-regression`.
    fn id(&self) -> &'static str;
    /// The name the engine and the standard-setting record give it.
    fn name(&self) -> SetMethod;
    /// The Markdown report's column headings for this method.
    fn table_columns(&self) -> Vec<&'static str>;
    /// Its columns in `report-stations.csv`.
    fn csv_columns(&self) -> Vec<&'static str>;
    /// The pass mark at one station, with its figures.
    fn station_pass_mark(&self, data: &StationData) -> MethodResult;
}

/// The methods of one report, in the order its tables show them.
pub struct Methods {
    pub list: Vec<Box<dyn Method>>,
}

impl Default for Methods {
    /// Borderline regression and the borderline group: what the report
    /// computes from the cohort's own data.
    fn default() -> Self {
        Methods {
            list: vec![
                Box::new(borderline_regression::BorderlineRegression),
                Box::new(borderline_group::BorderlineGroup),
            ],
        }
    }
}

impl Methods {
    /// The default methods and modified Angoff from the judges' estimates.
    pub fn with_angoff(estimates: angoff::Estimates) -> Self {
        let mut m = Methods::default();
        m.list.push(Box::new(angoff::ModifiedAngoff { estimates }));
        m
    }

    /// The method named `id` (as `--method` takes it).
    pub fn find(&self, id: &str) -> Option<&dyn Method> {
        self.list.iter().find(|m| m.id() == id).map(|m| m.as_ref())
    }

    /// Every method's `--method` id, for a message.
    pub fn ids(&self) -> Vec<&'static str> {
        self.list.iter().map(|m| m.id()).collect()
    }
}
