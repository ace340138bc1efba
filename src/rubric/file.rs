//! The rubric file format exactly as written in a `.ron` file.
//!
//! These types mirror the text: names are still names, times are still
//! `"m:ss"` strings turned into seconds, nothing is cross-checked. Every
//! struct denies unknown fields so that a typo (`titel:`) is an error rather
//! than a silently ignored line. [`super::validate`] turns a [`RubricFile`]
//! into a checked [`super::Rubric`].
//!
//! The format is documented in `docs/rubric-format.md`; keep the two in step.

use serde::{Deserialize, Deserializer};

/// A whole rubric file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricFile {
    pub id: String,
    pub title: String,
    pub kind: AssessmentKind,
    #[serde(default)]
    pub course: Option<String>,
    #[serde(default)]
    pub module: Option<String>,
    pub version: String,
    #[serde(default)]
    pub description: Option<String>,
    pub scales: Vec<ScaleFile>,
    pub stations: Vec<StationFile>,
    pub pass_rules: Vec<PassRuleFile>,
    #[serde(default)]
    pub components: Option<ComponentsFile>,
    /// The logbook gate: what a candidate's logbook must hold before the
    /// logbook component is passed (`osce logbook`).
    #[serde(default)]
    pub logbook: Option<LogbookFile>,
    #[serde(default)]
    pub moderation: ModerationFile,
    #[serde(default)]
    pub double_marking: DoubleMarkingFile,
    #[serde(default)]
    pub examiner_view: ExaminerViewFile,
    #[serde(default)]
    pub candidate_feedback: CandidateFeedbackFile,
    /// The columns of `marks.csv`, the upload file for the student records
    /// system.
    #[serde(default)]
    pub marks_csv: Option<Vec<MarksColumnFile>>,
}

/// One column of `marks.csv`: which field (or a constant `value`), under
/// which header, with the result words a records system wants (`values`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarksColumnFile {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    pub header: String,
    #[serde(default)]
    pub values: Option<std::collections::BTreeMap<String, String>>,
}

/// What sort of assessment this is. A viva or any other timed oral is a
/// station inside one of these, not a kind of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AssessmentKind {
    Osce,
    PracticalExam,
    FinalClinicalAssessment,
}

/// A named marking scale, used by items (and by global ratings) by its id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleFile {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    pub levels: LevelsFile,
    /// The lowest level that meets the standard, by label. Used by critical
    /// items and the competency rule. Defaults to the highest level.
    #[serde(default)]
    pub meets: Option<String>,
    /// Whether an examiner may record "not observed" for an item on this
    /// scale. Never implied: it must be said.
    #[serde(default)]
    pub not_observed: bool,
}

/// The levels of a scale: named levels, or the whole numbers `0..=max`.
#[derive(Debug, Clone, Deserialize)]
pub enum LevelsFile {
    Named(Vec<LevelFile>),
    Numeric { max: u32 },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelFile {
    pub label: String,
    /// Marks earned by an item at this level (checklist scales), or the
    /// numeric code used for standard setting (global-rating scales).
    pub mark: f64,
    /// The borderline level of a global-rating scale.
    #[serde(default)]
    pub borderline: bool,
    /// What this level means, shown to examiners on every item of the scale.
    #[serde(default)]
    pub descriptor: Option<String>,
}

/// A station, or a case in a final clinical assessment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationFile {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub rest: bool,
    #[serde(default)]
    pub candidate_instructions: Option<String>,
    #[serde(default)]
    pub examiner_notes: Option<String>,
    #[serde(default)]
    pub timing: Option<TimingFile>,
    #[serde(default)]
    pub items: Vec<ItemFile>,
    #[serde(default)]
    pub global_rating: Option<GlobalRatingFile>,
    #[serde(default)]
    pub pass_mark: Option<PassMarkFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimingFile {
    #[serde(default)]
    pub reading: ClockTime,
    pub station: ClockTime,
    /// Calls made when this much time is left, e.g. `["2:00", "0:30"]`.
    #[serde(default)]
    pub warnings: Vec<ClockTime>,
    #[serde(default)]
    pub changeover: ClockTime,
    #[serde(default)]
    pub time_up: TimeUp,
}

/// What happens when station time runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum TimeUp {
    /// The timer moves on to changeover by itself.
    Hard,
    /// The timer shows overrun and waits for the examiner.
    #[default]
    Soft,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemFile {
    pub id: String,
    pub text: String,
    pub scale: String,
    #[serde(default = "one")]
    pub weight: f64,
    #[serde(default)]
    pub critical: Critical,
    /// Overrides the scale's `meets` level for this item.
    #[serde(default)]
    pub meets: Option<String>,
    /// Item-specific descriptors, by level label: `{ "Done": "…" }`.
    #[serde(default, deserialize_with = "entries")]
    pub descriptors: Vec<(String, String)>,
}

fn one() -> f64 {
    1.0
}

/// Reads a RON map as a list of its entries in the order written, so that a
/// label given twice is seen by the validator rather than silently merged.
fn entries<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(String, String)>, D::Error> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map from level label to descriptor, e.g. { \"Done\": \"…\" }")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry::<String, String>()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Entries)
}

/// Whether failing an item fails more than its marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum Critical {
    #[default]
    No,
    /// Not meeting this item fails the station whatever its score.
    FailsStation,
    /// Not meeting this item fails the whole assessment.
    FailsAssessment,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalRatingFile {
    pub scale: String,
    #[serde(default)]
    pub prompt: Option<String>,
}

/// How a station's pass is decided.
#[derive(Debug, Clone, Deserialize)]
pub enum PassMarkFile {
    /// Score at least this many marks.
    Marks(f64),
    /// Score at least this percentage of the station maximum.
    Percent(f64),
    /// Standard-set by borderline regression once the cohort's data exists;
    /// the provisional mark applies until then.
    BorderlineRegression { provisional: FixedMarkFile },
    /// Standard-set as the mean score of candidates rated borderline.
    BorderlineGroup { provisional: FixedMarkFile },
    /// Every critical item met and at least `percent` of the other items at
    /// the level that meets the standard.
    Competency { percent: f64 },
    /// The global rating is at least this level (e.g. an entrustment level).
    GlobalRatingAtLeast(String),
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub enum FixedMarkFile {
    Marks(f64),
    Percent(f64),
}

/// One condition of the overall result; all listed conditions must hold.
#[derive(Debug, Clone, Deserialize)]
pub enum PassRuleFile {
    /// Total score at least the cut score, optionally plus `plus_sem` × SEM.
    TotalAtLeast {
        cut: CutFile,
        #[serde(default)]
        plus_sem: f64,
    },
    /// At least this many stations passed.
    StationsPassed(StationsPassedFile),
    /// These stations must each be passed.
    MustPass(Vec<String>),
    /// No critical item failed anywhere.
    NoCriticalFail,
    /// All critical items met and at least `percent` of the other items, over
    /// the whole assessment, at the level that meets the standard.
    Competency { percent: f64 },
    /// The component rules in `components`.
    Components,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub enum CutFile {
    SumOfStationPassMarks,
    Marks(f64),
    Percent(f64),
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub enum StationsPassedFile {
    All,
    AtLeast(u32),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentsFile {
    /// Pass mark for the weighted overall module mark, in percent.
    #[serde(default)]
    pub pass_percent: Option<f64>,
    pub parts: Vec<ComponentFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentFile {
    pub id: String,
    pub title: String,
    pub kind: ComponentKindFile,
    /// Stations whose scores make up this component. Empty for a component
    /// assessed elsewhere (a written assignment), whose mark is supplied.
    #[serde(default)]
    pub stations: Vec<String>,
    /// This component's own pass mark, in percent.
    #[serde(default)]
    pub pass_percent: Option<f64>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub enum ComponentKindFile {
    /// Contributes this percentage of the module mark.
    Weighted(f64),
    /// Carries no weight but must be passed.
    PassFail,
}

/// The logbook gate: the programme's numbers for a work-based portfolio of
/// scans or injections, checked by `osce logbook` against a logbook CSV.
/// Minima are read as whole numbers of any sign so that a negative one is
/// reported in words by the validator, not as a type error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogbookFile {
    /// The id of the `PassFail` component (without stations) this gate
    /// decides.
    pub component: String,
    /// What one logbook entry is, for messages: `"scan"`, `"injection"`.
    #[serde(default)]
    pub entry: Option<String>,
    /// Its plural; defaults to `entry` with an `s`.
    #[serde(default)]
    pub entry_plural: Option<String>,
    /// The least number of entries in all.
    pub total: i64,
    /// The least number of assisted (aided) entries.
    #[serde(default)]
    pub assisted: Option<i64>,
    /// The least number of unassisted (unaided) entries.
    #[serde(default)]
    pub unassisted: Option<i64>,
    /// How many of the assisted entries must be audited by the mentor.
    #[serde(default)]
    pub audited: Option<AuditedFile>,
    /// The body regions a logbook may name; any region when left out.
    #[serde(default)]
    pub regions: Option<Vec<String>>,
    /// The least number of entries in some regions: `{"wrist": 10}`.
    #[serde(default, deserialize_with = "count_entries")]
    pub region_minimum: Vec<(String, i64)>,
    /// The least number of audited entries in every listed region.
    #[serde(default)]
    pub audited_per_region: Option<i64>,
    /// The first day an entry may be dated, `"YYYY-MM-DD"`.
    #[serde(default)]
    pub from: Option<String>,
    /// The last day an entry may be dated, `"YYYY-MM-DD"`.
    #[serde(default)]
    pub to: Option<String>,
    /// Whether every entry must name the mentor who signed it off.
    #[serde(default)]
    pub mentor_required: bool,
}

/// How many assisted entries must be audited.
#[derive(Debug, Clone, Copy, Deserialize)]
pub enum AuditedFile {
    /// Every assisted entry.
    All,
    /// At least this many assisted entries.
    Count(i64),
    /// At least this percentage of the candidate's assisted entries.
    Percent(f64),
}

/// [`entries`] for a map from name to a whole number.
fn count_entries<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(String, i64)>, D::Error> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<(String, i64)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map from region to a number of entries, e.g. { \"wrist\": 10 }")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry::<String, i64>()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Entries)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationFile {
    #[serde(default)]
    pub mode: ModerationModeFile,
    /// The external assessors' ids, where known before the exam.
    #[serde(default)]
    pub assessors: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub enum ModerationModeFile {
    #[default]
    None,
    /// All fails, all borderline, and `percent` of the rest, chosen at random.
    Sample { percent: f64 },
    /// Every sheet must be moderated before results are final.
    All,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoubleMarkingFile {
    #[serde(default)]
    pub mode: DoubleMarkingModeFile,
    /// Differences larger than this between two markers are discrepancies.
    #[serde(default)]
    pub discrepancy: Option<FixedMarkFile>,
    #[serde(default)]
    pub reconcile: ReconcileFile,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub enum DoubleMarkingModeFile {
    #[default]
    None,
    Optional,
    Required,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub enum ReconcileFile {
    #[default]
    Mean,
    AgreedMark,
    ThirdMarker,
}

/// What the feedback files written for candidates (`osce feedback`) may
/// show. Examiners' private notes and concerns are never shown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateFeedbackFile {
    /// The examiners' feedback comments.
    #[serde(default = "yes")]
    pub comments: bool,
    /// Each station's score, maximum and result.
    #[serde(default = "yes")]
    pub station_results: bool,
    /// The level given for every item.
    #[serde(default)]
    pub item_levels: bool,
    /// The global rating at each station.
    #[serde(default)]
    pub global_rating: bool,
}

fn yes() -> bool {
    true
}

impl Default for CandidateFeedbackFile {
    fn default() -> Self {
        CandidateFeedbackFile {
            comments: true,
            station_results: true,
            item_levels: false,
            global_rating: false,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExaminerViewFile {
    /// Show the running total to examiners while they mark.
    #[serde(default)]
    pub show_running_total: bool,
}

/// A length of time written `"m:ss"` (or `"h:mm:ss"`), held in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub u32);

impl ClockTime {
    /// Parses `"m:ss"` or `"h:mm:ss"`. Seconds (and minutes after hours)
    /// must be two digits below 60, so `"1:5"` and `"1:75"` are refused.
    pub fn parse(text: &str) -> Result<ClockTime, String> {
        let bad = || {
            format!(
                "`{text}` is not a time; write minutes and seconds as \"m:ss\", e.g. \"10:00\" or \"0:30\""
            )
        };
        let parts: Vec<&str> = text.trim().split(':').collect();
        let number = |s: &str| -> Result<u32, String> {
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse::<u32>().map_err(|_| bad())
        };
        let two_digits = |s: &str| -> Result<u32, String> {
            let n = number(s)?;
            if s.len() != 2 || n >= 60 {
                return Err(bad());
            }
            Ok(n)
        };
        let seconds = match parts.as_slice() {
            [m, s] => number(m)? * 60 + two_digits(s)?,
            [h, m, s] => number(h)? * 3600 + two_digits(m)? * 60 + two_digits(s)?,
            _ => return Err(bad()),
        };
        Ok(ClockTime(seconds))
    }

    pub fn seconds(self) -> u32 {
        self.0
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0;
        if s >= 3600 {
            write!(f, "{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
        } else {
            write!(f, "{}:{:02}", s / 60, s % 60)
        }
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ClockTime::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times() {
        assert_eq!(ClockTime::parse("10:00"), Ok(ClockTime(600)));
        assert_eq!(ClockTime::parse("0:30"), Ok(ClockTime(30)));
        assert_eq!(ClockTime::parse("1:02:03"), Ok(ClockTime(3723)));
        for bad in ["", "10", "1:5", "1:75", "a:00", "-1:00", "1:00:00:00", "99999:00"] {
            assert!(ClockTime::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(ClockTime(600).to_string(), "10:00");
        assert_eq!(ClockTime(3723).to_string(), "1:02:03");
    }
}
