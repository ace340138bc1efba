//! Semantic checks: from a parsed [`RubricFile`] to a checked [`Rubric`].
//!
//! Every check runs, so a module leader sees all the mistakes at once. Each
//! problem names its path inside the rubric and what to do about it.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::file::*;
use super::model::*;
use super::problem::{Problem, Severity, did_you_mean, one_of, quoted};

/// Limits that keep a hostile or runaway file from exhausting memory or the
/// examiner's patience. Real assessments are far below them.
pub const MAX_STATIONS: usize = 200;
pub const MAX_ITEMS_PER_STATION: usize = 500;
pub const MAX_ITEMS: usize = 10_000;
pub const MAX_LEVELS: usize = 101;

/// The most marks a level may earn (or, on a global rating's scale, the
/// largest code), and the largest weight an item may have. Real rubrics use
/// marks and weights of a few units; without a bound, `1e308` passed the
/// check and its totals overflowed to infinity, a score no journal can
/// save. With these bounds a station's maximum is at most
/// 500 × 10⁶ × 10⁶ = 5 × 10¹⁴ and the assessment's at most 10¹⁶: finite, and
/// far from overflowing whatever is summed or multiplied from them.
pub const MAX_MARK: f64 = 1_000_000.0;
pub const MAX_WEIGHT: f64 = 1_000_000.0;

/// The most standard errors of measurement `plus_sem` may add to a cut:
/// already far beyond any candidate at 10, and a bound keeps the cut finite.
pub const MAX_PLUS_SEM: f64 = 10.0;

// The largest total the limits allow is finite (checked when compiling).
const _: () = assert!((MAX_ITEMS as f64) * MAX_WEIGHT * MAX_MARK < 1e20);

/// Marks are compared with this tolerance so that a total of 0.1 + 0.2
/// meets a pass mark of 0.3.
pub const EPSILON: f64 = 1e-9;

/// Words that stand beside item ids on sheets and paper forms, so no item
/// may take them as its id.
const RESERVED_ITEM_IDS: [&str; 4] = ["global_rating", "absent", "feedback", "notes"];

/// Checks a parsed rubric. Returns the rubric when there is no error, and
/// every problem (errors and warnings) in the order found.
pub fn validate(file: &RubricFile) -> (Option<Rubric>, Vec<Problem>) {
    let mut v = Validator::default();
    let rubric = v.rubric(file);
    let has_error = v.problems.iter().any(|p| p.severity == Severity::Error);
    (if has_error { None } else { rubric }, v.problems)
}

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Error, path.into(), message.into(), help.into());
    }

    fn warn(&mut self, path: impl Into<String>, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Warning, path.into(), message.into(), help.into());
    }

    fn push(&mut self, severity: Severity, path: String, message: String, help: String) {
        let help = (!help.is_empty()).then_some(help);
        self.problems.push(Problem {
            severity,
            path,
            message,
            help,
        });
    }

    fn rubric(&mut self, f: &RubricFile) -> Option<Rubric> {
        self.id("id", &f.id, "the assessment");
        self.text("title", &f.title);
        self.text("version", &f.version);

        let scales = self.scales(&f.scales);
        let scale_ids: HashMap<&str, usize> = f
            .scales
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();

        if f.stations.is_empty() {
            self.error(
                "stations",
                "the assessment has no stations",
                "add at least one station with items and a pass mark",
            );
        } else if f.stations.iter().all(|s| s.rest) {
            self.error(
                "stations",
                "every station is a rest station, so there is nothing to mark",
                "add a scored station (one without `rest: true`)",
            );
        }
        if f.stations.len() > MAX_STATIONS {
            self.error(
                "stations",
                format!(
                    "{} stations is more than the {MAX_STATIONS} allowed",
                    f.stations.len()
                ),
                "split the assessment into several rubrics",
            );
            return None;
        }
        let total_items: usize = f.stations.iter().map(|s| s.items.len()).sum();
        if total_items > MAX_ITEMS {
            self.error(
                "stations",
                format!("{total_items} items in all is more than the {MAX_ITEMS} allowed"),
                "split the assessment into several rubrics",
            );
            return None;
        }

        self.duplicates("stations", f.stations.iter().map(|s| s.id.as_str()), "station");
        let mut stations = Vec::new();
        for (i, s) in f.stations.iter().enumerate() {
            stations.push(self.station(&format!("stations[{i}]"), s, f, &scales, &scale_ids));
        }
        if f.kind == AssessmentKind::Osce {
            for (i, s) in f
                .stations
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.rest && s.timing.is_none())
            {
                self.warn(
                    format!("stations[{i}]"),
                    format!("OSCE station \"{}\" has no timing", s.id),
                    "OSCE stations are normally timed; add `timing: (station: \"10:00\", ...)`",
                );
            }
        }

        // Scales nobody uses are usually a typo elsewhere.
        let mut used: HashSet<&str> = HashSet::new();
        for s in &f.stations {
            used.extend(s.items.iter().map(|i| i.scale.as_str()));
            used.extend(s.global_rating.iter().map(|g| g.scale.as_str()));
        }
        for (i, s) in f.scales.iter().enumerate() {
            if !used.contains(s.id.as_str()) {
                self.warn(
                    format!("scales[{i}]"),
                    format!("scale \"{}\" is not used by any item or global rating", s.id),
                    "remove it, or check the `scale:` names of your items",
                );
            }
        }

        let components = f.components.as_ref().map(|c| self.components(c, f));
        let logbook = f.logbook.as_ref().map(|g| self.logbook(g, f));
        let pass_rules = self.pass_rules(f, &stations, &scales);
        let moderation = self.moderation(f);
        for (i, a) in f.moderation.assessors.iter().enumerate() {
            self.id(&format!("moderation.assessors[{i}]"), a, "an assessor");
        }
        let double_marking = self.double_marking(&f.double_marking);
        let marks_csv = f.marks_csv.as_ref().map(|c| self.marks_csv(c));
        // A module of weighted components is uploaded with its module mark:
        // `percent` is the stations' percentage alone.
        let weighted = f.components.as_ref().is_some_and(|c| {
            c.parts
                .iter()
                .any(|p| matches!(p.kind, crate::rubric::file::ComponentKindFile::Weighted(_)))
        });
        if let Some(columns) = f.marks_csv.as_ref().filter(|_| weighted) {
            let field = |name: &str| columns.iter().position(|c| c.field.as_deref() == Some(name));
            if let (Some(i), None) = (field("percent"), field("module_mark")) {
                self.warn(
                    format!("marks_csv[{i}].field"),
                    "the marks upload gives `percent`, the stations' percentage alone, and not the module mark of \
                     the weighted components",
                    "for the module mark write `field: \"module_mark\"`; keep `percent` only if the records system \
                     wants the stations' percentage",
                );
            }
        }

        let stations: Option<Vec<Station>> = stations.into_iter().collect();
        let scales: Option<Vec<Scale>> = scales.into_iter().collect();
        Some(Rubric {
            id: f.id.clone(),
            title: f.title.clone(),
            kind: f.kind,
            course: f.course.clone(),
            module: f.module.clone(),
            version: f.version.clone(),
            description: f.description.clone(),
            scales: scales?,
            stations: stations?,
            pass_rules: pass_rules?,
            components: components.flatten(),
            logbook: match logbook {
                Some(gate) => Some(gate?),
                None => None,
            },
            moderation,
            assessors: f.moderation.assessors.clone(),
            double_marking,
            examiner_view: ExaminerView {
                show_running_total: f.examiner_view.show_running_total,
            },
            candidate_feedback: CandidateFeedback {
                comments: f.candidate_feedback.comments,
                station_results: f.candidate_feedback.station_results,
                item_levels: f.candidate_feedback.item_levels,
                global_rating: f.candidate_feedback.global_rating,
            },
            marks_csv,
            counted_versions: std::collections::BTreeMap::new(),
        })
    }

    /// `marks_csv`: each column a known field or a constant value, headers
    /// present and distinct, result words mapped only where results are.
    fn marks_csv(&mut self, columns: &[MarksColumnFile]) -> Vec<MarksColumn> {
        if columns.is_empty() {
            self.error(
                "marks_csv",
                "marks_csv lists no columns",
                "list at least one, e.g. `marks_csv: [(field: \"candidate_id\", header: \"Student ID\")]`, or leave it out for the default",
            );
        }
        let mut headers = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            let source = match (&c.field, &c.value) {
                (Some(field), None) => {
                    if !MARKS_FIELDS.contains(&field.as_str()) {
                        let hint = match did_you_mean(field, MARKS_FIELDS.iter().copied()) {
                            Some(s) => {
                                format!("did you mean \"{s}\"? The fields are {}", one_of(&MARKS_FIELDS))
                            }
                            None => format!("the fields are {}", one_of(&MARKS_FIELDS)),
                        };
                        self.error(
                            format!("marks_csv[{i}].field"),
                            format!("marks.csv has no field {}", quoted(field)),
                            hint,
                        );
                    }
                    MarksSource::Field(field.clone())
                }
                (None, Some(value)) => MarksSource::Constant(value.clone()),
                (Some(_), Some(_)) => {
                    self.error(
                        format!("marks_csv[{i}]"),
                        "the column has both a `field` and a `value`",
                        "give `field` for a column osce fills in (e.g. \"final_result\"), or `value` for the same text on every row (e.g. a module code), not both",
                    );
                    MarksSource::Constant(String::new())
                }
                (None, None) => {
                    self.error(
                        format!("marks_csv[{i}]"),
                        "the column has neither a `field` nor a `value`",
                        "give `field` for a column osce fills in (e.g. `field: \"final_result\"`), or `value` for the same text on every row (e.g. `value: \"MSK101\"`)",
                    );
                    MarksSource::Constant(String::new())
                }
            };
            if c.header.trim().is_empty() {
                self.error(
                    format!("marks_csv[{i}].header"),
                    "the column's header is empty",
                    "give the header the student records system expects, e.g. \"Mark\"",
                );
            } else if !headers.insert(c.header.trim().to_string()) {
                self.error(
                    format!("marks_csv[{i}].header"),
                    format!("the header {} is used twice", quoted(&c.header)),
                    "give each column its own header",
                );
            }
            let values = c.values.clone().unwrap_or_default();
            let maps_results =
                matches!(&source, MarksSource::Field(f) if MARKS_RESULT_FIELDS.contains(&f.as_str()));
            if !values.is_empty() && !maps_results {
                self.error(
                    format!("marks_csv[{i}].values"),
                    "only a result column's words can be mapped",
                    format!(
                        "put `values` on a column whose field is {}, e.g. `values: {{\"PASS\": \"P\", \"FAIL\": \"F\"}}`",
                        one_of(&MARKS_RESULT_FIELDS)
                    ),
                );
            }
            for from in values.keys() {
                if maps_results && !MARKS_RESULT_VALUES.contains(&from.as_str()) {
                    self.error(
                        format!("marks_csv[{i}].values"),
                        format!("a result column never holds {}", quoted(from)),
                        format!("map the results osce writes: {}", one_of(&MARKS_RESULT_VALUES)),
                    );
                }
            }
            out.push(MarksColumn {
                header: c.header.clone(),
                source,
                values,
            });
        }
        out
    }

    /// Ids end up in file names and CSV cells, so they are kept plain.
    fn id(&mut self, path: &str, id: &str, what: &str) {
        if let Err(why) = crate::base::ids::check_id(id) {
            self.error(
                path,
                format!("the id of {what} is not usable: {why}"),
                "use a short id of letters, digits, '-' or '_'; put the full name in `title` or `text`",
            );
        }
    }

    fn text(&mut self, path: &str, text: &str) {
        if text.trim().is_empty() {
            self.error(
                path,
                format!("`{}` is empty", last_segment(path)),
                "write something here",
            );
        }
    }

    fn duplicates<'a>(&mut self, path: &str, ids: impl Iterator<Item = &'a str>, what: &str) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            if let Some(first) = seen.get(id) {
                self.error(
                    format!("{path}[{i}].id"),
                    format!("duplicate {what} id \"{id}\" (first used at {path}[{first}])"),
                    format!("give every {what} its own id"),
                );
            } else {
                seen.insert(id, i);
            }
        }
    }

    fn scales(&mut self, files: &[ScaleFile]) -> Vec<Option<Scale>> {
        self.duplicates("scales", files.iter().map(|s| s.id.as_str()), "scale");
        files
            .iter()
            .enumerate()
            .map(|(i, s)| self.scale(&format!("scales[{i}]"), s))
            .collect()
    }

    fn scale(&mut self, path: &str, f: &ScaleFile) -> Option<Scale> {
        self.id(&format!("{path}.id"), &f.id, "a scale");
        let (levels, borderline, numeric) = match &f.levels {
            LevelsFile::Numeric { max } => {
                if *max == 0 || *max as usize >= MAX_LEVELS {
                    self.error(
                        format!("{path}.levels"),
                        format!(
                            "a numeric scale needs a maximum from 1 to {}, not {max}",
                            MAX_LEVELS - 1
                        ),
                        "write e.g. `Numeric(max: 10)` for marks 0 to 10",
                    );
                    return None;
                }
                let levels = (0..=*max)
                    .map(|m| Level {
                        label: m.to_string(),
                        mark: f64::from(m),
                        descriptor: None,
                    })
                    .collect();
                (levels, None, true)
            }
            LevelsFile::Named(files) => {
                let (levels, borderline) = self.named_levels(&format!("{path}.levels"), files)?;
                (levels, borderline, false)
            }
        };
        let meets = match &f.meets {
            None => levels.len() - 1,
            Some(label) => self.level(&format!("{path}.meets"), label, &levels, &f.id)?,
        };
        Some(Scale {
            id: f.id.clone(),
            description: f.description.clone(),
            levels,
            meets,
            not_observed: f.not_observed,
            borderline,
            numeric,
        })
    }

    fn named_levels(&mut self, path: &str, files: &[LevelFile]) -> Option<(Vec<Level>, Option<usize>)> {
        if files.len() < 2 {
            self.error(
                path,
                format!("a scale needs at least two levels, this one has {}", files.len()),
                "list the levels from lowest to highest, e.g. (label: \"Not done\", mark: 0), (label: \"Done\", mark: 1)",
            );
            return None;
        }
        if files.len() > MAX_LEVELS {
            self.error(path, format!("a scale may have at most {MAX_LEVELS} levels"), "");
            return None;
        }
        let mut ok = true;
        let mut labels: HashMap<&str, usize> = HashMap::new();
        for (i, level) in files.iter().enumerate() {
            let at = format!("{path}[{i}]");
            if level.label.trim().is_empty() {
                self.error(
                    format!("{at}.label"),
                    "a level has an empty label",
                    "name every level",
                );
                ok = false;
            }
            if let Some(first) = labels.insert(level.label.as_str(), i) {
                self.error(
                    format!("{at}.label"),
                    format!(
                        "level {} is listed twice (first at {path}[{first}])",
                        quoted(&level.label)
                    ),
                    "give every level its own label",
                );
                ok = false;
            }
            if !level.mark.is_finite() || level.mark < 0.0 {
                self.error(
                    format!("{at}.mark"),
                    format!(
                        "mark {} is not a number of marks of zero or more",
                        exact(level.mark)
                    ),
                    "marks are zero or more; a penalty is not a level",
                );
                ok = false;
            } else if level.mark > MAX_MARK {
                self.error(
                    format!("{at}.mark"),
                    format!(
                        "mark {} is more than {}, the most a level may earn",
                        exact(level.mark),
                        fmt(MAX_MARK)
                    ),
                    format!(
                        "use marks from 0 to {} (usually 0, 1, 2, ...); to make an item count for more, give it a `weight`",
                        fmt(MAX_MARK)
                    ),
                );
                ok = false;
            } else if i > 0 && level.mark <= files[i - 1].mark {
                self.error(
                    format!("{at}.mark"),
                    format!(
                        "level {} has mark {} but the level before it has {}",
                        quoted(&level.label),
                        fmt(level.mark),
                        fmt(files[i - 1].mark)
                    ),
                    "list levels from lowest to highest, each with a higher mark than the one before",
                );
                ok = false;
            }
        }
        let borderline: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, l)| l.borderline)
            .map(|(i, _)| i)
            .collect();
        if borderline.len() > 1 {
            self.error(
                format!("{path}[{}].borderline", borderline[1]),
                format!("more than one level is marked borderline ({})", borderline.len()),
                "mark exactly one level `borderline: true`",
            );
            ok = false;
        }
        let levels = files
            .iter()
            .map(|l| Level {
                label: l.label.clone(),
                mark: l.mark,
                descriptor: l.descriptor.clone(),
            })
            .collect();
        ok.then_some((levels, borderline.first().copied()))
    }

    fn level(&mut self, path: &str, label: &str, levels: &[Level], scale: &str) -> Option<usize> {
        if let Some(i) = levels.iter().position(|l| l.label == label) {
            return Some(i);
        }
        let labels: Vec<&str> = levels.iter().map(|l| l.label.as_str()).collect();
        let hint = match did_you_mean(label, labels.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"? "),
            None => String::new(),
        };
        self.error(
            path,
            format!("scale \"{scale}\" has no level {}", quoted(label)),
            format!("{hint}its levels are {}", one_of(&labels)),
        );
        None
    }

    fn scale_ref(&mut self, path: &str, name: &str, ids: &HashMap<&str, usize>) -> Option<usize> {
        if let Some(&i) = ids.get(name) {
            return Some(i);
        }
        let mut defined: Vec<&str> = ids.keys().copied().collect();
        defined.sort_unstable();
        let hint = match did_you_mean(name, defined.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"? "),
            None => String::new(),
        };
        self.error(
            path,
            format!("scale {} is not defined", quoted(name)),
            format!(
                "{hint}define it under `scales`, or use one of {}",
                one_of(&defined)
            ),
        );
        None
    }

    fn station(
        &mut self,
        path: &str,
        f: &StationFile,
        rubric: &RubricFile,
        scales: &[Option<Scale>],
        scale_ids: &HashMap<&str, usize>,
    ) -> Option<Station> {
        self.id(&format!("{path}.id"), &f.id, "a station");
        self.text(&format!("{path}.title"), &f.title);
        let timing = f
            .timing
            .as_ref()
            .and_then(|t| self.timing(&format!("{path}.timing"), t));

        if f.rest {
            for (present, field) in [
                (!f.items.is_empty(), "items"),
                (f.global_rating.is_some(), "global_rating"),
                (f.pass_mark.is_some(), "pass_mark"),
            ] {
                if present {
                    self.error(
                        format!("{path}.{field}"),
                        format!(
                            "rest station \"{}\" has `{field}`, but nobody is marked at a rest station",
                            f.id
                        ),
                        format!("remove `{field}`, or remove `rest: true` to make it a scored station"),
                    );
                }
            }
            return Some(Station {
                id: f.id.clone(),
                title: f.title.clone(),
                noun: rubric.kind.noun(),
                rest: true,
                candidate_instructions: f.candidate_instructions.clone(),
                examiner_notes: f.examiner_notes.clone(),
                timing,
                items: Vec::new(),
                global_rating: None,
                pass_mark: None,
            });
        }

        if f.items.is_empty() {
            self.error(
                format!("{path}.items"),
                format!("station \"{}\" has no items", f.id),
                "add the checklist items examiners mark, or make it a rest station with `rest: true`",
            );
        }
        if f.items.len() > MAX_ITEMS_PER_STATION {
            self.error(
                format!("{path}.items"),
                format!(
                    "{} items is more than the {MAX_ITEMS_PER_STATION} a station may have",
                    f.items.len()
                ),
                "split the station",
            );
            return None;
        }
        self.duplicates(
            &format!("{path}.items"),
            f.items.iter().map(|i| i.id.as_str()),
            "item",
        );

        let mut items = Vec::new();
        for (i, item) in f.items.iter().enumerate() {
            items.push(self.item(&format!("{path}.items[{i}]"), item, scales, scale_ids));
        }
        let items: Option<Vec<Item>> = items.into_iter().collect();
        // The maximum is only known when every item's scale resolved.
        let max: Option<f64> = items.as_ref().map(|items| {
            items
                .iter()
                .map(|i| i.weight * scales[i.scale.0].as_ref().map_or(0.0, Scale::max_mark))
                .sum()
        });

        let global_rating = f.global_rating.as_ref().and_then(|g| {
            let index = self.scale_ref(&format!("{path}.global_rating.scale"), &g.scale, scale_ids)?;
            Some(GlobalRating {
                scale: ScaleIndex(index),
                prompt: g.prompt.clone(),
            })
        });
        let global_scale = global_rating.as_ref().and_then(|g| scales[g.scale.0].as_ref());
        if let Some(scale) = global_scale
            && scale.not_observed
        {
            self.warn(
                format!("{path}.global_rating.scale"),
                format!("global rating scale \"{}\" allows \"not observed\"", scale.id),
                "a global rating is the examiner's overall judgement and is always given; use a scale without `not_observed`",
            );
        }

        let pass_mark = match &f.pass_mark {
            None => {
                self.error(
                    format!("{path}.pass_mark"),
                    format!("station \"{}\" has no pass mark", f.id),
                    "add e.g. `pass_mark: Percent(60)`, `pass_mark: Marks(12)` or `pass_mark: BorderlineRegression(provisional: Percent(60))`",
                );
                None
            }
            Some(p) => self.pass_mark(
                &format!("{path}.pass_mark"),
                p,
                f,
                max,
                global_rating.is_some(),
                global_scale,
            ),
        };

        if rubric.kind == AssessmentKind::FinalClinicalAssessment && f.global_rating.is_none() {
            self.warn(
                path.to_string(),
                format!("case \"{}\" has no global rating", f.id),
                "final clinical assessment cases normally carry an entrustment level as their global rating",
            );
        }

        Some(Station {
            id: f.id.clone(),
            title: f.title.clone(),
            noun: rubric.kind.noun(),
            rest: false,
            candidate_instructions: f.candidate_instructions.clone(),
            examiner_notes: f.examiner_notes.clone(),
            timing,
            items: items?,
            global_rating,
            pass_mark: Some(pass_mark?),
        })
    }

    fn timing(&mut self, path: &str, t: &TimingFile) -> Option<Timing> {
        let station = t.station.seconds();
        let mut ok = true;
        if station == 0 {
            self.error(
                format!("{path}.station"),
                "station time is 0:00",
                "give the time candidates have at the station, e.g. \"10:00\"",
            );
            ok = false;
        } else if station > 4 * 3600 {
            self.warn(
                format!("{path}.station"),
                format!("station time {} is over four hours", t.station),
                "check the time is written as minutes and seconds, \"m:ss\"",
            );
        }
        for (field, time) in [("reading", t.reading), ("changeover", t.changeover)] {
            if time.seconds() > 3600 {
                self.warn(
                    format!("{path}.{field}"),
                    format!("{field} time {time} is over an hour"),
                    "check the time is written as minutes and seconds, \"m:ss\"",
                );
            }
        }
        let mut seen = HashSet::new();
        for (i, w) in t.warnings.iter().enumerate() {
            let at = format!("{path}.warnings[{i}]");
            if w.seconds() == 0 {
                self.error(
                    at,
                    "a warning at 0:00 left is the end of the station, not a warning",
                    "remove it",
                );
                ok = false;
            } else if w.seconds() >= station && station > 0 {
                self.error(
                    at,
                    format!(
                        "warning at {w} left is not shorter than the {} station",
                        t.station
                    ),
                    "a warning gives the time left, so it must be less than the station time",
                );
                ok = false;
            } else if !seen.insert(w.seconds()) {
                self.warn(
                    at,
                    format!("warning at {w} left is given twice"),
                    "remove the repeat",
                );
            }
        }
        if t.warnings.windows(2).any(|w| w[0] < w[1]) {
            self.warn(
                format!("{path}.warnings"),
                "warnings are not listed from the most time left to the least",
                "list them in the order they are called, e.g. [\"2:00\", \"0:30\"]",
            );
        }
        let mut warnings = t.warnings.clone();
        warnings.sort_unstable_by(|a, b| b.cmp(a));
        warnings.dedup();
        ok.then_some(Timing {
            reading: t.reading,
            station: t.station,
            warnings,
            changeover: t.changeover,
            time_up: t.time_up,
        })
    }

    fn item(
        &mut self,
        path: &str,
        f: &ItemFile,
        scales: &[Option<Scale>],
        scale_ids: &HashMap<&str, usize>,
    ) -> Option<Item> {
        self.id(&format!("{path}.id"), &f.id, "an item");
        self.text(&format!("{path}.text"), &f.text);
        let mut ok = true;
        if RESERVED_ITEM_IDS.contains(&f.id.as_str()) {
            self.error(
                format!("{path}.id"),
                format!("item id \"{}\" is a word osce keeps for itself", f.id),
                format!(
                    "choose another id, such as \"{}-item\": \"global_rating\", \"absent\", \
                     \"feedback\" and \"notes\" name the station's global rating, an absence \
                     and comments on sheets and paper forms",
                    f.id
                ),
            );
            ok = false;
        }
        if !f.weight.is_finite() || f.weight <= 0.0 {
            self.error(
                format!("{path}.weight"),
                format!("weight {} must be more than zero", exact(f.weight)),
                "use a positive weight such as 1 or 2, or remove the item",
            );
            ok = false;
        } else if f.weight > MAX_WEIGHT {
            self.error(
                format!("{path}.weight"),
                format!(
                    "weight {} is more than {}, the largest weight allowed",
                    exact(f.weight),
                    fmt(MAX_WEIGHT)
                ),
                format!(
                    "use a weight from just above 0 to {}, such as 1 or 2",
                    fmt(MAX_WEIGHT)
                ),
            );
            ok = false;
        }
        let index = self.scale_ref(&format!("{path}.scale"), &f.scale, scale_ids)?;
        // A scale with its own mistakes was already reported.
        let scale = scales[index].as_ref()?;
        let meets = match &f.meets {
            None => scale.meets,
            Some(label) => self.level(&format!("{path}.meets"), label, &scale.levels, &scale.id)?,
        };
        if f.critical != Critical::No {
            if meets == 0 {
                self.warn(
                    format!("{path}.critical"),
                    format!(
                        "critical item \"{}\" is met at the lowest level, so it can never fail",
                        f.id
                    ),
                    "set `meets:` on the item or its scale to the level a candidate must reach",
                );
            }
            if scale.not_observed {
                self.warn(
                    format!("{path}.critical"),
                    format!("critical item \"{}\" uses scale \"{}\", which allows \"not observed\"", f.id, scale.id),
                    "a critical item marked not observed counts as not met; use a scale without not_observed if that is not meant",
                );
            }
        }
        let mut descriptors: Vec<Option<String>> =
            scale.levels.iter().map(|l| l.descriptor.clone()).collect();
        let mut given = HashSet::new();
        for (i, (label, text)) in f.descriptors.iter().enumerate() {
            let at = format!("{path}.descriptors[{i}]");
            if !given.insert(label.as_str()) {
                self.error(
                    at,
                    format!("descriptor for {} is given twice", quoted(label)),
                    "keep one",
                );
                ok = false;
                continue;
            }
            match self.level(&at, label, &scale.levels, &scale.id) {
                Some(level) => descriptors[level] = Some(text.clone()),
                None => ok = false,
            }
        }
        ok.then(|| Item {
            id: f.id.clone(),
            text: f.text.clone(),
            scale: ScaleIndex(index),
            weight: f.weight,
            critical: f.critical,
            meets,
            descriptors,
        })
    }

    fn fixed_mark(
        &mut self,
        path: &str,
        f: FixedMarkFile,
        max: Option<f64>,
        station: &str,
    ) -> Option<FixedMark> {
        match f {
            FixedMarkFile::Percent(p) => {
                if !p.is_finite() || !(0.0..=100.0).contains(&p) {
                    self.error(
                        path,
                        format!("pass mark {}% is not between 0% and 100%", fmt(p)),
                        "give a percentage of the station maximum from 0 to 100",
                    );
                    return None;
                }
                if p == 0.0 {
                    self.warn(
                        path,
                        format!("station \"{station}\" has a pass mark of 0%"),
                        "everyone passes; check this is meant",
                    );
                }
                Some(FixedMark::Percent(p))
            }
            FixedMarkFile::Marks(m) => {
                if !m.is_finite() || m < 0.0 {
                    self.error(
                        path,
                        format!("pass mark {} is below zero", fmt(m)),
                        "give a pass mark of zero or more",
                    );
                    return None;
                }
                if let Some(max) = max
                    && m > max + EPSILON
                {
                    self.error(
                        path,
                        format!(
                            "pass mark {} is above the maximum of station \"{station}\", which is {} (from its items)",
                            fmt(m),
                            fmt(max)
                        ),
                        "lower the pass mark, or check the items' scales and weights",
                    );
                    return None;
                }
                if m == 0.0 {
                    self.warn(
                        path,
                        format!("station \"{station}\" has a pass mark of 0"),
                        "everyone passes; check this is meant",
                    );
                }
                Some(FixedMark::Marks(m))
            }
        }
    }

    fn pass_mark(
        &mut self,
        path: &str,
        f: &PassMarkFile,
        station: &StationFile,
        max: Option<f64>,
        has_global: bool,
        global_scale: Option<&Scale>,
    ) -> Option<PassMark> {
        let id = station.id.as_str();
        match f {
            PassMarkFile::Marks(m) => Some(PassMark::Fixed(self.fixed_mark(
                path,
                FixedMarkFile::Marks(*m),
                max,
                id,
            )?)),
            PassMarkFile::Percent(p) => Some(PassMark::Fixed(self.fixed_mark(
                path,
                FixedMarkFile::Percent(*p),
                max,
                id,
            )?)),
            PassMarkFile::BorderlineRegression { provisional }
            | PassMarkFile::BorderlineGroup { provisional } => {
                let method = if matches!(f, PassMarkFile::BorderlineRegression { .. }) {
                    StandardSetMethod::BorderlineRegression
                } else {
                    StandardSetMethod::BorderlineGroup
                };
                let provisional = self.fixed_mark(&format!("{path}.provisional"), *provisional, max, id);
                if !has_global {
                    self.error(
                        path,
                        format!("station \"{id}\" is standard-set by {method} but has no global rating"),
                        "add `global_rating: (scale: \"...\")` with a scale that has a borderline level",
                    );
                    return None;
                }
                if let Some(scale) = global_scale
                    && scale.borderline.is_none()
                {
                    self.error(
                        path,
                        format!(
                            "station \"{id}\" is standard-set by {method} but its global rating scale \"{}\" has no borderline level",
                            scale.id
                        ),
                        "mark one level of that scale `borderline: true`",
                    );
                    return None;
                }
                Some(PassMark::StandardSet {
                    method,
                    provisional: provisional?,
                })
            }
            PassMarkFile::Competency { percent } => {
                if !percent.is_finite() || !(0.0..=100.0).contains(percent) {
                    self.error(
                        format!("{path}.percent"),
                        format!("{}% is not between 0% and 100%", fmt(*percent)),
                        "give the share of non-critical items that must meet the standard, e.g. 80",
                    );
                    return None;
                }
                Some(PassMark::Competency { percent: *percent })
            }
            PassMarkFile::GlobalRatingAtLeast(label) => {
                if !has_global {
                    self.error(
                        path,
                        format!("station \"{id}\" is passed on its global rating but has none"),
                        "add `global_rating: (scale: \"...\")`",
                    );
                    return None;
                }
                let scale = global_scale?;
                Some(PassMark::GlobalRatingAtLeast(self.level(
                    path,
                    label,
                    &scale.levels,
                    &scale.id,
                )?))
            }
        }
    }

    fn pass_rules(
        &mut self,
        f: &RubricFile,
        stations: &[Option<Station>],
        scales: &[Option<Scale>],
    ) -> Option<Vec<PassRule>> {
        if f.pass_rules.is_empty() {
            self.error(
                "pass_rules",
                "there are no pass rules, so no one can pass or fail",
                "add e.g. `pass_rules: [TotalAtLeast(cut: SumOfStationPassMarks), NoCriticalFail]`",
            );
            return None;
        }
        let scored: Vec<&StationFile> = f.stations.iter().filter(|s| !s.rest).collect();
        let total_max: Option<f64> = stations
            .iter()
            .flatten()
            .map(|s| {
                s.items
                    .iter()
                    .map(|i| i.weight * scales[i.scale.0].as_ref().map_or(0.0, Scale::max_mark))
                    .sum::<f64>()
            })
            .sum::<f64>()
            .into();
        let all_resolved = stations.iter().all(Option::is_some);
        let mut ok = true;
        let mut rules = Vec::new();
        let mut kinds_seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, rule) in f.pass_rules.iter().enumerate() {
            let path = format!("pass_rules[{i}]");
            let kind = rule_name(rule);
            if let Some(first) = kinds_seen.insert(kind, i) {
                self.warn(
                    &path,
                    format!("rule {kind} is given twice (first at pass_rules[{first}])"),
                    "all rules must hold, so keep the stricter one",
                );
            }
            let checked = match rule {
                PassRuleFile::TotalAtLeast { cut, plus_sem } => {
                    let mut good = true;
                    if !plus_sem.is_finite() || *plus_sem < 0.0 {
                        self.error(
                            format!("{path}.plus_sem"),
                            format!("plus_sem {} must be zero or more", fmt(*plus_sem)),
                            "write the number of SEMs added to the cut score, e.g. 1",
                        );
                        good = false;
                    } else if *plus_sem > MAX_PLUS_SEM {
                        self.error(
                            format!("{path}.plus_sem"),
                            format!(
                                "plus_sem {} is more than {}, the most SEMs a cut may add",
                                fmt(*plus_sem),
                                fmt(MAX_PLUS_SEM)
                            ),
                            "write the number of SEMs added to the cut score, usually 1",
                        );
                        good = false;
                    } else if *plus_sem > 3.0 {
                        self.warn(
                            format!("{path}.plus_sem"),
                            format!(
                                "adding {} SEM to the cut score is unusually strict",
                                fmt(*plus_sem)
                            ),
                            "one SEM is the common choice",
                        );
                    }
                    let cut = match cut {
                        CutFile::SumOfStationPassMarks => {
                            let unsummable: Vec<&str> = scored
                                .iter()
                                .filter(|s| {
                                    matches!(
                                        s.pass_mark,
                                        Some(
                                            PassMarkFile::Competency { .. }
                                                | PassMarkFile::GlobalRatingAtLeast(_)
                                        )
                                    )
                                })
                                .map(|s| s.id.as_str())
                                .collect();
                            if !unsummable.is_empty() {
                                self.error(
                                    format!("{path}.cut"),
                                    format!(
                                        "the cut is the sum of station pass marks, but these stations have no pass mark in marks: {}",
                                        unsummable.join(", ")
                                    ),
                                    "give those stations a pass mark in marks or percent, or use a fixed cut such as `Percent(60)`",
                                );
                                good = false;
                            }
                            Some(Cut::SumOfStationPassMarks)
                        }
                        CutFile::Percent(p) => {
                            if !p.is_finite() || !(0.0..=100.0).contains(p) {
                                self.error(
                                    format!("{path}.cut"),
                                    format!("cut {}% is not between 0% and 100%", fmt(*p)),
                                    "give a percentage of the total maximum",
                                );
                                None
                            } else {
                                Some(Cut::Fixed(FixedMark::Percent(*p)))
                            }
                        }
                        CutFile::Marks(m) => match total_max {
                            _ if !m.is_finite() || *m < 0.0 => {
                                self.error(
                                    format!("{path}.cut"),
                                    format!("cut {} is below zero", fmt(*m)),
                                    "give a cut of zero or more",
                                );
                                None
                            }
                            Some(max) if all_resolved && *m > max + EPSILON => {
                                self.error(
                                    format!("{path}.cut"),
                                    format!(
                                        "cut {} is above the assessment maximum of {} (from the items)",
                                        fmt(*m),
                                        fmt(max)
                                    ),
                                    "lower the cut, or check the stations' items",
                                );
                                None
                            }
                            _ => Some(Cut::Fixed(FixedMark::Marks(*m))),
                        },
                    };
                    if good {
                        cut.map(|cut| PassRule::TotalAtLeast {
                            cut,
                            plus_sem: *plus_sem,
                        })
                    } else {
                        None
                    }
                }
                PassRuleFile::StationsPassed(StationsPassedFile::All) => {
                    Some(PassRule::StationsPassed(scored.len()))
                }
                PassRuleFile::StationsPassed(StationsPassedFile::AtLeast(n)) => {
                    let n = *n as usize;
                    if n > scored.len() {
                        self.error(
                            &path,
                            format!(
                                "{n} stations must be passed, but there are only {} scored stations",
                                scored.len()
                            ),
                            format!("use a number up to {}, or `StationsPassed(All)`", scored.len()),
                        );
                        None
                    } else {
                        if n == 0 {
                            self.warn(
                                &path,
                                "at least 0 stations passed is always true",
                                "remove the rule or raise the number",
                            );
                        }
                        Some(PassRule::StationsPassed(n))
                    }
                }
                PassRuleFile::MustPass(ids) => {
                    let mut good = true;
                    if ids.is_empty() {
                        self.warn(
                            &path,
                            "MustPass lists no stations",
                            "name the stations that must be passed, or remove the rule",
                        );
                    }
                    let mut named = HashSet::new();
                    for (j, id) in ids.iter().enumerate() {
                        if !named.insert(id.as_str()) {
                            self.warn(
                                format!("{path}[{j}]"),
                                format!("station \"{id}\" is named twice"),
                                "remove the repeat",
                            );
                        }
                        match f.stations.iter().find(|s| &s.id == id) {
                            Some(s) if s.rest => {
                                self.error(
                                    format!("{path}[{j}]"),
                                    format!("\"{id}\" is a rest station, so it cannot be passed"),
                                    "name a scored station",
                                );
                                good = false;
                            }
                            Some(_) => {}
                            None => {
                                self.unknown_station(&format!("{path}[{j}]"), id, &scored);
                                good = false;
                            }
                        }
                    }
                    good.then(|| PassRule::MustPass(ids.clone()))
                }
                PassRuleFile::NoCriticalFail => {
                    if !f
                        .stations
                        .iter()
                        .flat_map(|s| &s.items)
                        .any(|i| i.critical != Critical::No)
                    {
                        self.warn(
                            &path,
                            "NoCriticalFail is a rule, but no item is critical",
                            "mark the must-pass items `critical: FailsStation` or `critical: FailsAssessment`",
                        );
                    }
                    Some(PassRule::NoCriticalFail)
                }
                PassRuleFile::Competency { percent } => {
                    if !percent.is_finite() || !(0.0..=100.0).contains(percent) {
                        self.error(
                            format!("{path}.percent"),
                            format!("{}% is not between 0% and 100%", fmt(*percent)),
                            "give the share of non-critical items that must meet the standard, e.g. 80",
                        );
                        None
                    } else {
                        Some(PassRule::Competency { percent: *percent })
                    }
                }
                PassRuleFile::Components => {
                    if f.components.is_none() {
                        self.error(
                            &path,
                            "the Components rule is given but the rubric has no `components`",
                            "add `components: (parts: [...])`, or remove the rule",
                        );
                        None
                    } else {
                        Some(PassRule::Components)
                    }
                }
            };
            match checked {
                Some(rule) => rules.push(rule),
                None => ok = false,
            }
        }

        if f.components.is_some() && !f.pass_rules.iter().any(|r| matches!(r, PassRuleFile::Components)) {
            self.warn(
                "components",
                "components are defined but no pass rule uses them",
                "add `Components` to `pass_rules`",
            );
        }
        // Critical items that fail only their station matter only if some
        // rule looks at station results.
        let looks_at_stations = f.pass_rules.iter().any(|r| {
            matches!(
                r,
                PassRuleFile::StationsPassed(_)
                    | PassRuleFile::MustPass(_)
                    | PassRuleFile::NoCriticalFail
                    | PassRuleFile::Competency { .. }
                    | PassRuleFile::Components
            )
        });
        if !looks_at_stations {
            for (i, s) in f.stations.iter().enumerate() {
                if let Some(j) = s
                    .items
                    .iter()
                    .position(|it| it.critical == Critical::FailsStation)
                {
                    self.warn(
                        format!("stations[{i}].items[{j}].critical"),
                        format!(
                            "critical item \"{}\" fails station \"{}\", but no pass rule looks at station results",
                            s.items[j].id, s.id
                        ),
                        "add `NoCriticalFail` or `StationsPassed(...)` to `pass_rules`",
                    );
                }
            }
        }
        ok.then_some(rules)
    }

    fn unknown_station(&mut self, path: &str, id: &str, scored: &[&StationFile]) {
        let ids: Vec<&str> = scored.iter().map(|s| s.id.as_str()).collect();
        let hint = match did_you_mean(id, ids.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"? "),
            None => String::new(),
        };
        self.error(
            path,
            format!("there is no station {}", quoted(id)),
            format!("{hint}use one of the scored stations: {}", one_of(&ids)),
        );
    }

    fn components(&mut self, c: &ComponentsFile, f: &RubricFile) -> Option<Components> {
        let mut ok = true;
        if c.parts.is_empty() {
            self.error(
                "components.parts",
                "components are given but none is listed",
                "list the parts, or remove `components`",
            );
            return None;
        }
        if let Some(p) = c.pass_percent
            && (!p.is_finite() || !(0.0..=100.0).contains(&p))
        {
            self.error(
                "components.pass_percent",
                format!("{}% is not between 0% and 100%", fmt(p)),
                "",
            );
            ok = false;
        }
        self.duplicates(
            "components.parts",
            c.parts.iter().map(|p| p.id.as_str()),
            "component",
        );
        let scored: Vec<&StationFile> = f.stations.iter().filter(|s| !s.rest).collect();
        let mut owner: HashMap<&str, &str> = HashMap::new();
        let mut weight_sum = 0.0;
        let mut any_weighted = false;
        let mut parts = Vec::new();
        for (i, part) in c.parts.iter().enumerate() {
            let path = format!("components.parts[{i}]");
            self.id(&format!("{path}.id"), &part.id, "a component");
            self.text(&format!("{path}.title"), &part.title);
            let weight = match part.kind {
                ComponentKindFile::Weighted(w) => {
                    any_weighted = true;
                    if !w.is_finite() || w <= 0.0 {
                        self.error(
                            format!("{path}.kind"),
                            format!("weight {}% must be more than zero", fmt(w)),
                            "use `PassFail` for a component that carries no weight",
                        );
                        ok = false;
                    } else {
                        weight_sum += w;
                    }
                    Some(w)
                }
                ComponentKindFile::PassFail => None,
            };
            if let Some(p) = part.pass_percent
                && (!p.is_finite() || !(0.0..=100.0).contains(&p))
            {
                self.error(
                    format!("{path}.pass_percent"),
                    format!("{}% is not between 0% and 100%", fmt(p)),
                    "",
                );
                ok = false;
            }
            for (j, sid) in part.stations.iter().enumerate() {
                if !scored.iter().any(|s| &s.id == sid) {
                    self.unknown_station(&format!("{path}.stations[{j}]"), sid, &scored);
                    ok = false;
                } else if let Some(other) = owner.insert(sid.as_str(), part.id.as_str()) {
                    self.error(
                        format!("{path}.stations[{j}]"),
                        format!("station \"{sid}\" is already part of component \"{other}\""),
                        "each station belongs to one component at most",
                    );
                    ok = false;
                }
            }
            parts.push(Component {
                id: part.id.clone(),
                title: part.title.clone(),
                weight,
                stations: part.stations.clone(),
                pass_percent: part.pass_percent,
            });
        }
        if any_weighted && (weight_sum - 100.0).abs() > 1e-6 {
            self.error(
                "components.parts",
                format!("the weighted components add up to {}%, not 100%", fmt(weight_sum)),
                "make the weights of the weighted components sum to 100",
            );
            ok = false;
        }
        if !any_weighted && c.pass_percent.is_some() {
            self.warn(
                "components.pass_percent",
                "a pass mark for the weighted module mark is given, but no component is weighted",
                "remove `pass_percent`, or weight the components",
            );
        }
        ok.then_some(Components {
            pass_percent: c.pass_percent,
            parts,
        })
    }

    /// The logbook gate: minima of at least 1, regions listed once, region
    /// minima only for listed regions, a window that runs forwards, and a
    /// component that exists, is `PassFail` and has no stations.
    fn logbook(&mut self, g: &LogbookFile, f: &RubricFile) -> Option<LogbookGate> {
        let mut ok = true;
        match f.components.as_ref().map(|c| &c.parts) {
            None => {
                self.error(
                    "logbook.component",
                    format!(
                        "the logbook gate decides component {}, but the rubric has no `components`",
                        quoted(&g.component)
                    ),
                    "add `components: (parts: [(id: \"logbook\", title: \"Logbook\", kind: PassFail)])` and the \
                     `Components` pass rule",
                );
                ok = false;
            }
            Some(parts) => match parts.iter().find(|p| p.id == g.component) {
                None => {
                    let ids: Vec<&str> = parts.iter().map(|p| p.id.as_str()).collect();
                    let hint = match did_you_mean(&g.component, ids.iter().copied()) {
                        Some(near) => format!("did you mean \"{near}\"? "),
                        None => String::new(),
                    };
                    self.error(
                        "logbook.component",
                        format!("there is no component {}", quoted(&g.component)),
                        format!("{hint}name the logbook's component, one of {}", one_of(&ids)),
                    );
                    ok = false;
                }
                Some(part) => {
                    if !matches!(part.kind, ComponentKindFile::PassFail) {
                        self.error(
                            "logbook.component",
                            format!(
                                "component \"{}\" is weighted, but a logbook gate gives a pass or a fail, not a mark",
                                part.id
                            ),
                            "make the logbook component `kind: PassFail`",
                        );
                        ok = false;
                    }
                    if !part.stations.is_empty() {
                        self.error(
                            "logbook.component",
                            format!(
                                "component \"{}\" is made of stations, so its result comes from their marks, not \
                                 from a logbook",
                                part.id
                            ),
                            "give the logbook a component of its own, with no `stations`",
                        );
                        ok = false;
                    }
                }
            },
        }
        let entry = g.entry.clone().unwrap_or_else(|| "entry".to_string());
        let entries = match (&g.entry_plural, &g.entry) {
            (Some(plural), _) => plural.clone(),
            (None, Some(one)) => format!("{one}s"),
            (None, None) => "entries".to_string(),
        };
        for (field, word) in [("entry", &entry), ("entry_plural", &entries)] {
            if word.trim().is_empty() {
                self.error(
                    format!("logbook.{field}"),
                    format!("`{field}` is empty"),
                    "say what one logbook entry is, e.g. `entry: \"scan\"` or `entry: \"injection\"`",
                );
                ok = false;
            }
        }
        let total = self.logbook_count(
            "logbook.total",
            &format!("the least number of {entries}"),
            g.total,
            &entries,
        );
        let assisted = g.assisted.map(|n| {
            self.logbook_count(
                "logbook.assisted",
                &format!("the least number of assisted {entries}"),
                n,
                &entries,
            )
        });
        let unassisted = g.unassisted.map(|n| {
            self.logbook_count(
                "logbook.unassisted",
                &format!("the least number of unassisted {entries}"),
                n,
                &entries,
            )
        });
        let audited = match g.audited {
            None => Some(None),
            Some(AuditedFile::All) => Some(Some(Audited::All)),
            Some(AuditedFile::Count(n)) => self
                .logbook_count(
                    "logbook.audited",
                    &format!("the least number of audited {entries}"),
                    n,
                    &entries,
                )
                .map(|n| Some(Audited::Count(n))),
            Some(AuditedFile::Percent(p)) => {
                if !p.is_finite() || p <= 0.0 || p > 100.0 {
                    self.error(
                        "logbook.audited",
                        format!("{}% is not above 0% and at most 100%", fmt(p)),
                        "give the share of assisted entries the mentor must audit, e.g. `Percent(50)`; `All` for \
                         every one",
                    );
                    None
                } else {
                    Some(Some(Audited::Percent(p)))
                }
            }
        };
        let mut regions: Vec<String> = Vec::new();
        if let Some(list) = &g.regions {
            if list.is_empty() {
                self.error(
                    "logbook.regions",
                    "`regions` is given but lists none",
                    "list the body regions a logbook may name, e.g. [\"shoulder\", \"knee\"], or leave `regions` \
                     out to allow any",
                );
                ok = false;
            }
            for (i, region) in list.iter().enumerate() {
                let at = format!("logbook.regions[{i}]");
                let name = region.trim().to_lowercase();
                if name.is_empty() {
                    self.error(at, "a region is empty", "name every region, e.g. \"wrist\"");
                    ok = false;
                } else if name.contains(',') || name.chars().any(char::is_control) {
                    self.error(
                        at,
                        format!(
                            "region {} has a comma or a control character in it",
                            quoted(region)
                        ),
                        "name the region in plain words, e.g. \"wrist\"",
                    );
                    ok = false;
                } else if let Some(first) = regions.iter().position(|r| *r == name) {
                    self.error(
                        at,
                        format!(
                            "region {} is listed twice (first at logbook.regions[{first}])",
                            quoted(region)
                        ),
                        "list every region once (regions are compared without regard to case)",
                    );
                    ok = false;
                } else {
                    regions.push(name);
                }
            }
        }
        let mut region_minimum = Vec::new();
        for (i, (region, n)) in g.region_minimum.iter().enumerate() {
            let at = format!("logbook.region_minimum[{i}]");
            let name = region.trim().to_lowercase();
            if g.regions.is_none() {
                self.error(
                    at,
                    format!(
                        "a minimum is given for region {}, but the gate lists no `regions`",
                        quoted(region)
                    ),
                    "list the regions a logbook may name in `regions`, including this one",
                );
                ok = false;
                continue;
            }
            if !regions.contains(&name) {
                let hint = match did_you_mean(&name, regions.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean \"{near}\"? "),
                    None => String::new(),
                };
                self.error(
                    at,
                    format!("region {} is not in the gate's `regions`", quoted(region)),
                    format!(
                        "{hint}the regions are {}; add it there, or correct the name",
                        one_of(&regions)
                    ),
                );
                ok = false;
                continue;
            }
            if region_minimum.iter().any(|(r, _): &(String, u32)| *r == name) {
                self.error(
                    at,
                    format!("the minimum for region {} is given twice", quoted(region)),
                    "keep one",
                );
                ok = false;
                continue;
            }
            let what = format!("the least number of {entries} in region {}", quoted(region));
            match self.logbook_count(&format!("logbook.region_minimum[{i}]"), &what, *n, &entries) {
                Some(n) => region_minimum.push((name, n)),
                None => ok = false,
            }
        }
        let audited_per_region = match g.audited_per_region {
            None => Some(None),
            Some(_) if g.regions.is_none() => {
                self.error(
                    "logbook.audited_per_region",
                    "audited entries are asked for in every region, but the gate lists no `regions`",
                    "list the regions in `regions`, or remove `audited_per_region`",
                );
                None
            }
            Some(n) => self
                .logbook_count(
                    "logbook.audited_per_region",
                    &format!("the least number of audited {entries} in each region"),
                    n,
                    &entries,
                )
                .map(Some),
        };
        let from = g.from.as_ref().map(|d| self.logbook_date("logbook.from", d));
        let to = g.to.as_ref().map(|d| self.logbook_date("logbook.to", d));
        if let (Some(Some(from)), Some(Some(to))) = (from, to)
            && from > to
        {
            self.error(
                "logbook.to",
                format!("the window ends on {to}, before it starts on {from}"),
                "give `from` the first day entries may be dated, and `to` the last",
            );
            ok = false;
        }
        let from = match from {
            Some(d) => Some(d?),
            None => None,
        };
        let to = match to {
            Some(d) => Some(d?),
            None => None,
        };
        if !ok {
            return None;
        }
        Some(LogbookGate {
            component: g.component.clone(),
            entry,
            entries,
            total: total?,
            assisted: match assisted {
                Some(n) => Some(n?),
                None => None,
            },
            unassisted: match unassisted {
                Some(n) => Some(n?),
                None => None,
            },
            audited: audited?,
            regions,
            region_minimum,
            audited_per_region: audited_per_region?,
            from,
            to,
            mentor_required: g.mentor_required,
        })
    }

    /// A minimum of a logbook gate: from 1 to [`MAX_LOGBOOK_ENTRIES`].
    fn logbook_count(&mut self, path: &str, what: &str, n: i64, entries: &str) -> Option<u32> {
        if n < 1 {
            self.error(
                path,
                format!("{what} is {n}; a minimum must be at least 1"),
                format!("give the number of {entries} the programme asks for, or leave the field out"),
            );
            return None;
        }
        if n > MAX_LOGBOOK_ENTRIES {
            self.error(
                path,
                format!("{what} is {n}, more than the {MAX_LOGBOOK_ENTRIES} a gate may ask for"),
                format!("give the number of {entries} the programme asks for"),
            );
            return None;
        }
        u32::try_from(n).ok()
    }

    /// A day of the logbook's window, `YYYY-MM-DD`.
    fn logbook_date(&mut self, path: &str, text: &str) -> Option<chrono::NaiveDate> {
        let date = crate::base::text::parse_date(text);
        if date.is_none() {
            self.error(
                path,
                crate::base::text::date_problem(text),
                "write the day as year-month-day, e.g. \"2026-09-01\"",
            );
        }
        date
    }

    fn moderation(&mut self, f: &RubricFile) -> ModerationPolicy {
        match &f.moderation.mode {
            ModerationModeFile::None => {
                if f.kind == AssessmentKind::FinalClinicalAssessment {
                    self.warn(
                        "moderation.mode",
                        "a final clinical assessment with no external moderation",
                        "final clinical assessments are normally moderated: `moderation: (mode: All)`",
                    );
                }
                ModerationPolicy::None
            }
            ModerationModeFile::All => ModerationPolicy::All,
            ModerationModeFile::Sample { percent } => {
                if !percent.is_finite() || *percent <= 0.0 || *percent > 100.0 {
                    self.error(
                        "moderation.mode.percent",
                        format!(
                            "a sample of {}% is not between 0% (not included) and 100%",
                            fmt(*percent)
                        ),
                        "give the share of other sheets to sample, e.g. 10; use `All` for every sheet",
                    );
                }
                ModerationPolicy::Sample { percent: *percent }
            }
        }
    }

    fn double_marking(&mut self, f: &DoubleMarkingFile) -> DoubleMarking {
        let discrepancy = f.discrepancy.and_then(|d| match d {
            FixedMarkFile::Marks(m) if !m.is_finite() || m < 0.0 => {
                self.error(
                    "double_marking.discrepancy",
                    format!("{} marks is below zero", fmt(m)),
                    "",
                );
                None
            }
            FixedMarkFile::Percent(p) if !p.is_finite() || !(0.0..=100.0).contains(&p) => {
                self.error(
                    "double_marking.discrepancy",
                    format!("{}% is not between 0% and 100%", fmt(p)),
                    "",
                );
                None
            }
            FixedMarkFile::Marks(m) => Some(FixedMark::Marks(m)),
            FixedMarkFile::Percent(p) => Some(FixedMark::Percent(p)),
        });
        let mode = match f.mode {
            DoubleMarkingModeFile::None => DoubleMarkingMode::None,
            DoubleMarkingModeFile::Optional => DoubleMarkingMode::Optional,
            DoubleMarkingModeFile::Required => DoubleMarkingMode::Required,
        };
        if mode != DoubleMarkingMode::None && f.discrepancy.is_none() {
            self.warn(
                "double_marking.discrepancy",
                "double marking without a discrepancy threshold lists every difference",
                "add e.g. `discrepancy: Percent(10)`",
            );
        }
        DoubleMarking {
            mode,
            discrepancy,
            reconcile: match f.reconcile {
                ReconcileFile::Mean => Reconcile::Mean,
                ReconcileFile::AgreedMark => Reconcile::AgreedMark,
                ReconcileFile::ThirdMarker => Reconcile::ThirdMarker,
            },
        }
    }
}

fn rule_name(rule: &PassRuleFile) -> &'static str {
    match rule {
        PassRuleFile::TotalAtLeast { .. } => "TotalAtLeast",
        PassRuleFile::StationsPassed(_) => "StationsPassed",
        PassRuleFile::MustPass(_) => "MustPass",
        PassRuleFile::NoCriticalFail => "NoCriticalFail",
        PassRuleFile::Competency { .. } => "Competency",
        PassRuleFile::Components => "Components",
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// A number as a message shows it: as marks are shown, or in exponent form
/// when it is too large for that (`1e308`, not 309 digits or `inf`), or as
/// Rust writes what is not a number (`NaN`, `inf`).
fn fmt(x: f64) -> String {
    if !x.is_finite() {
        x.to_string()
    } else if x.abs() < 1e15 {
        crate::scoring::fmt_marks(x)
    } else {
        format!("{x:e}")
    }
}

/// A number exactly as the file gave it (`-0.001`, `1000000.5`), in
/// exponent form when large (`1e308`).
fn exact(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e15 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}
