//! The checked rubric: every name resolved, every number in range.
//!
//! A [`Rubric`] can only be made by [`super::validate`], so code that holds
//! one may rely on it: scale references point at real scales, level indices
//! are in bounds, levels are listed lowest first with strictly increasing
//! marks, and every scored station has items and a pass mark. Maximum marks
//! are always computed from the items, never stored.

pub use super::file::{AssessmentKind, ClockTime, Critical, TimeUp};

#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub kind: AssessmentKind,
    pub course: Option<String>,
    pub module: Option<String>,
    pub version: String,
    pub description: Option<String>,
    pub scales: Vec<Scale>,
    pub stations: Vec<Station>,
    pub pass_rules: Vec<PassRule>,
    pub components: Option<Components>,
    /// The logbook gate, where the rubric has one.
    pub logbook: Option<LogbookGate>,
    pub moderation: ModerationPolicy,
    /// The external assessors expected to moderate (their ids), where the
    /// rubric names them: a command warns when one's decisions are missing
    /// from the folders it is given.
    pub assessors: Vec<String>,
    pub double_marking: DoubleMarking,
    pub examiner_view: ExaminerView,
    pub candidate_feedback: CandidateFeedback,
    /// `marks.csv`'s columns; `None`: the default.
    pub marks_csv: Option<Vec<MarksColumn>>,
    /// Other versions of this rubric whose sheets count, by the exam
    /// lead's decision (`osce decide rubric-version`): by identity, the
    /// stations each marks as this one does. Empty as the file is read;
    /// set from the decisions before the sheets are gathered.
    pub counted_versions: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl Rubric {
    /// What this rubric calls its stations: cases in a final clinical
    /// assessment.
    pub fn noun(&self) -> Noun {
        self.kind.noun()
    }

    pub fn scale(&self, index: ScaleIndex) -> &Scale {
        &self.scales[index.0]
    }

    pub fn station(&self, id: &str) -> Option<&Station> {
        self.stations.iter().find(|s| s.id == id)
    }

    /// Whether a record marked against the version of this rubric whose
    /// identity is `identity` (another than this file's) counts at
    /// `station`: the exam lead decided it does, the station marked alike
    /// in both.
    pub fn counts_version(&self, identity: &str, station: &str) -> bool {
        self.counted_versions
            .get(identity)
            .is_some_and(|stations| stations.contains(station))
    }

    /// What the archive keeps its readings of this rubric's sheets under:
    /// the rubric's identity `hash`, or, where sheets of other versions
    /// count, a hash of it and of them (a reading depends on both).
    pub fn readings_key(&self, hash: &str) -> String {
        if self.counted_versions.is_empty() {
            return hash.to_string();
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"osce readings with other versions v1\n");
        hasher.update(hash.as_bytes());
        for (identity, stations) in &self.counted_versions {
            hasher.update(b"\n");
            hasher.update(identity.as_bytes());
            for station in stations {
                hasher.update(b" ");
                hasher.update(station.as_bytes());
            }
        }
        hasher.finalize().to_hex().to_string()
    }

    /// Stations that are marked (everything but rest stations).
    pub fn scored_stations(&self) -> impl Iterator<Item = &Station> {
        self.stations.iter().filter(|s| !s.rest)
    }

    /// The most marks a station can give, from its items.
    pub fn station_max(&self, station: &Station) -> f64 {
        station.items.iter().map(|item| self.item_max(item)).sum()
    }

    pub fn item_max(&self, item: &Item) -> f64 {
        item.weight * self.scale(item.scale).max_mark()
    }

    /// The most marks the whole assessment can give.
    pub fn total_max(&self) -> f64 {
        self.scored_stations().map(|s| self.station_max(s)).sum()
    }

    /// Every pass mark of every station that is standard-set, provisional
    /// or not: the ones a later standard-setting run may replace.
    pub fn standard_set_stations(&self) -> impl Iterator<Item = &Station> {
        self.scored_stations()
            .filter(|s| matches!(s.pass_mark, Some(PassMark::StandardSet { .. })))
    }

    /// Whether a cut score adds the SEM, which standard setting supplies.
    pub fn cut_adds_sem(&self) -> bool {
        self.pass_rules
            .iter()
            .any(|r| matches!(r, PassRule::TotalAtLeast { plus_sem, .. } if *plus_sem > 0.0))
    }

    /// Whether the pass marks stay provisional until the exam lead adopts
    /// a standard-setting record: a station is standard-set, or the cut
    /// adds the SEM.
    pub fn pass_marks_provisional(&self) -> bool {
        self.standard_set_stations().next().is_some() || self.cut_adds_sem()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScaleIndex(pub usize);

#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub id: String,
    pub description: Option<String>,
    /// Lowest first; marks strictly increase.
    pub levels: Vec<Level>,
    /// Index of the lowest level that meets the standard.
    pub meets: usize,
    pub not_observed: bool,
    /// Index of the borderline level, if the scale has one.
    pub borderline: Option<usize>,
    /// Whether the scale was written as `Numeric(max: N)`.
    pub numeric: bool,
}

impl Scale {
    pub fn max_mark(&self) -> f64 {
        self.levels.last().map_or(0.0, |l| l.mark)
    }

    pub fn level_index(&self, label: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.label == label)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub label: String,
    /// Marks for checklist items; the numeric code for global ratings.
    pub mark: f64,
    pub descriptor: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    pub id: String,
    pub title: String,
    /// What the rubric calls it: a final clinical assessment's stations
    /// are cases.
    pub noun: Noun,
    pub rest: bool,
    pub candidate_instructions: Option<String>,
    pub examiner_notes: Option<String>,
    pub timing: Option<Timing>,
    pub items: Vec<Item>,
    pub global_rating: Option<GlobalRating>,
    /// Always present on a scored station; never on a rest station.
    pub pass_mark: Option<PassMark>,
}

impl Station {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The station as its texts name it: `station 'Knee'`, `case 'Case 1'`.
    pub fn place(&self) -> Place {
        Place {
            noun: self.noun,
            title: self.title.clone(),
        }
    }
}

/// What a rubric calls the parts a candidate is marked at, in every text
/// it is named in: stations, or, in a final clinical assessment, cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Noun {
    #[default]
    Station,
    Case,
}

impl Noun {
    /// `station`, `case`.
    pub fn one(self) -> &'static str {
        match self {
            Noun::Station => "station",
            Noun::Case => "case",
        }
    }

    /// `stations`, `cases`.
    pub fn many(self) -> &'static str {
        match self {
            Noun::Station => "stations",
            Noun::Case => "cases",
        }
    }

    /// `Station`, `Case`: at the start of a sentence or a heading.
    pub fn capital(self) -> &'static str {
        match self {
            Noun::Station => "Station",
            Noun::Case => "Case",
        }
    }

    /// `Stations`, `Cases`: a heading.
    pub fn capital_many(self) -> &'static str {
        match self {
            Noun::Station => "Stations",
            Noun::Case => "Cases",
        }
    }

    /// `1 station`, `3 cases`.
    pub fn count(self, n: usize) -> String {
        crate::base::text::plural(n, self.one(), self.many())
    }
}

impl AssessmentKind {
    /// What an assessment of this kind calls its stations.
    pub fn noun(self) -> Noun {
        match self {
            AssessmentKind::FinalClinicalAssessment => Noun::Case,
            AssessmentKind::Osce | AssessmentKind::PracticalExam => Noun::Station,
        }
    }
}

/// A station named in a text: its noun and title, shown as
/// `station 'Knee'` (or `case 'Case 1'`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub noun: Noun,
    pub title: String,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} '{}'", self.noun.one(), self.title)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    pub reading: ClockTime,
    pub station: ClockTime,
    /// Time left at each call, longest first.
    pub warnings: Vec<ClockTime>,
    pub changeover: ClockTime,
    pub time_up: TimeUp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub scale: ScaleIndex,
    pub weight: f64,
    pub critical: Critical,
    /// Index of the lowest level of the item's scale that meets the standard.
    pub meets: usize,
    /// One entry per level of the scale: the item's own descriptor, else
    /// the scale's.
    pub descriptors: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GlobalRating {
    pub scale: ScaleIndex,
    pub prompt: Option<String>,
}

/// A pass mark stated as marks or as a share of the maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FixedMark {
    Marks(f64),
    Percent(f64),
}

impl FixedMark {
    /// The mark in marks, for a station or exam whose maximum is `max`.
    pub fn in_marks(self, max: f64) -> f64 {
        match self {
            FixedMark::Marks(m) => m,
            FixedMark::Percent(p) => p / 100.0 * max,
        }
    }
}

impl std::fmt::Display for FixedMark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixedMark::Marks(m) => write!(f, "{} marks", crate::scoring::fmt_marks(*m)),
            FixedMark::Percent(p) => write!(f, "{}%", crate::scoring::fmt_marks(*p)),
        }
    }
}

/// How a station's pass mark is set from the cohort's own data. Written in
/// a standard-setting record as `borderline regression` or `borderline
/// group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum StandardSetMethod {
    #[serde(rename = "borderline regression")]
    BorderlineRegression,
    #[serde(rename = "borderline group")]
    BorderlineGroup,
}

impl std::fmt::Display for StandardSetMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StandardSetMethod::BorderlineRegression => "borderline regression",
            StandardSetMethod::BorderlineGroup => "borderline group",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PassMark {
    Fixed(FixedMark),
    StandardSet {
        method: StandardSetMethod,
        provisional: FixedMark,
    },
    /// Every critical item met and at least `percent` of the other items at
    /// their `meets` level.
    Competency {
        percent: f64,
    },
    /// The global rating at or above this level index.
    GlobalRatingAtLeast(usize),
}

impl PassMark {
    /// Whether this pass mark is a number of marks (so it can be summed
    /// into a cut score).
    pub fn is_marks(&self) -> bool {
        matches!(self, PassMark::Fixed(_) | PassMark::StandardSet { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cut {
    SumOfStationPassMarks,
    Fixed(FixedMark),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PassRule {
    TotalAtLeast {
        cut: Cut,
        plus_sem: f64,
    },
    /// At least this many scored stations passed (all of them when it
    /// equals the number of scored stations).
    StationsPassed(usize),
    MustPass(Vec<String>),
    NoCriticalFail,
    Competency {
        percent: f64,
    },
    Components,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Components {
    pub pass_percent: Option<f64>,
    pub parts: Vec<Component>,
}

impl Components {
    /// Whether a part is weighted: then the module has a module mark,
    /// which is not the stations' percentage.
    pub fn weighted(&self) -> bool {
        self.parts.iter().any(|p| p.weight.is_some())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub id: String,
    pub title: String,
    /// `Some(weight in percent)` for a weighted component; `None` for
    /// pass/fail only.
    pub weight: Option<f64>,
    pub stations: Vec<String>,
    pub pass_percent: Option<f64>,
}

/// The logbook gate: what a candidate's logbook must hold for the logbook
/// component to be passed. Checked: every minimum is at least 1, every
/// region named is listed, the window runs forwards, and `component` is a
/// `PassFail` component assessed outside the stations. Evaluated by
/// [`crate::logbook`].
#[derive(Debug, Clone, PartialEq)]
pub struct LogbookGate {
    /// The component this gate decides.
    pub component: String,
    /// What one entry is (`scan`), and its plural (`scans`).
    pub entry: String,
    pub entries: String,
    pub total: u32,
    pub assisted: Option<u32>,
    pub unassisted: Option<u32>,
    pub audited: Option<Audited>,
    /// The regions allowed, in lower case, in the rubric's order; empty:
    /// any region.
    pub regions: Vec<String>,
    /// (region, least entries), in the rubric's order.
    pub region_minimum: Vec<(String, u32)>,
    pub audited_per_region: Option<u32>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub mentor_required: bool,
}

impl LogbookGate {
    /// The gate in words, for the head of `osce logbook`'s table: `at least
    /// 250 scans, 100 assisted, 150 unassisted, every assisted scan
    /// audited, ...`.
    pub fn summary(&self) -> String {
        let (one, many) = (self.entry.as_str(), self.entries.as_str());
        let noun = |n: u32| if n == 1 { one } else { many };
        let mut parts = vec![format!("at least {} {}", self.total, noun(self.total))];
        if let Some(n) = self.assisted {
            parts.push(format!("{n} assisted"));
        }
        if let Some(n) = self.unassisted {
            parts.push(format!("{n} unassisted"));
        }
        match self.audited {
            None => {}
            Some(Audited::All) => parts.push(format!("every assisted {one} audited")),
            Some(Audited::Count(n)) => parts.push(format!("{n} assisted {} audited", noun(n))),
            Some(Audited::Percent(p)) => parts.push(format!(
                "{}% of assisted {many} audited",
                crate::scoring::fmt_marks(p)
            )),
        }
        for (region, n) in &self.region_minimum {
            parts.push(format!("{n} {region} {}", noun(*n)));
        }
        if let Some(n) = self.audited_per_region {
            parts.push(format!("{n} audited {} in each region", noun(n)));
        }
        if self.mentor_required {
            parts.push(format!("every {one} signed off by a mentor"));
        }
        match (self.from, self.to) {
            (Some(from), Some(to)) => parts.push(format!("dated {from} to {to}")),
            (Some(from), None) => parts.push(format!("dated from {from}")),
            (None, Some(to)) => parts.push(format!("dated up to {to}")),
            (None, None) => {}
        }
        parts.join(", ")
    }
}

/// How many of a candidate's assisted entries must be audited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Audited {
    All,
    Count(u32),
    /// A percentage above 0 and at most 100.
    Percent(f64),
}

/// The most entries a logbook gate may ask for in any one count: far above
/// any programme's, and small enough that counts never overflow.
pub const MAX_LOGBOOK_ENTRIES: i64 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum ModerationPolicy {
    #[default]
    None,
    Sample {
        percent: f64,
    },
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DoubleMarkingMode {
    #[default]
    None,
    Optional,
    Required,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reconcile {
    #[default]
    Mean,
    AgreedMark,
    ThirdMarker,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoubleMarking {
    pub mode: DoubleMarkingMode,
    pub discrepancy: Option<FixedMark>,
    pub reconcile: Reconcile,
}

/// One column of `marks.csv`, the upload file for a student records
/// system.
#[derive(Debug, Clone, PartialEq)]
pub struct MarksColumn {
    pub header: String,
    pub source: MarksSource,
    /// Words written in place of osce's in a result column (`PASS` → `P`);
    /// a value not listed is written as it is.
    pub values: std::collections::BTreeMap<String, String>,
}

/// What a `marks.csv` column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum MarksSource {
    /// One of [`MARKS_FIELDS`].
    Field(String),
    /// The same text on every row (a module code, an occurrence, a year).
    Constant(String),
}

impl MarksColumn {
    /// A column holding `field` under `header`, its values as osce writes
    /// them.
    pub fn field(field: &str, header: &str) -> MarksColumn {
        MarksColumn {
            header: header.to_string(),
            source: MarksSource::Field(field.to_string()),
            values: Default::default(),
        }
    }
}

/// The `marks.csv` fields whose values can be mapped to a records system's
/// codes: the results, `PASS`, `FAIL` or `INCOMPLETE`.
pub const MARKS_RESULT_FIELDS: [&str; 3] = ["result", "final_result", "internal_result"];

/// The results a `marks.csv` result column can hold, for `values`.
pub const MARKS_RESULT_VALUES: [&str; 4] = ["PASS", "FAIL", "INCOMPLETE", "DEFERRED"];

/// The fields `marks.csv` can hold (the rubric's `marks_csv` and
/// `osce export --marks-columns`). Marks and `result` are the final ones,
/// after moderation; `internal_result` is the examiners' marks' result;
/// `module_mark` the weighted module mark of a rubric with components.
pub const MARKS_FIELDS: [&str; 9] = [
    "candidate_id",
    "name",
    "total",
    "maximum",
    "percent",
    "module_mark",
    "result",
    "final_result",
    "internal_result",
];

/// What candidates' feedback files may show (see the file format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateFeedback {
    pub comments: bool,
    pub station_results: bool,
    pub item_levels: bool,
    pub global_rating: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExaminerView {
    pub show_running_total: bool,
}
