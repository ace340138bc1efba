//! A standard-setting decision, saved as its own record: who set the pass
//! marks, when, by which method, the values, and the data they came from,
//! so the results can be reproduced later (`osce export --pass-marks
//! FILE`). The format is documented in `docs/report.md`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::analysis::report::Report;
use crate::results::gather::Cohort;
use crate::rubric::Rubric;
use crate::scoring::{SetMethod, StandardSetMark, Standards};
use crate::store::Submission;

/// One station's standard-set pass mark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationStandard {
    pub station: String,
    /// `borderline regression`, `borderline group` or `modified Angoff`.
    pub method: SetMethod,
    /// In marks, on the station's full maximum.
    pub pass_mark: f64,
    /// The provisional pass mark it replaces, in marks.
    pub provisional: f64,
    /// Candidates whose results it was computed from.
    pub candidates: usize,
    /// The pass mark the method gave, where the record's rounding rule
    /// changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<f64>,
}

/// How the board rounds standard-set pass marks: to a multiple of `step`
/// marks, up (no candidate passes on a fraction the marks cannot give),
/// down, or to the nearest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    Up(f64),
    Down(f64),
    Nearest(f64),
}

impl Rounding {
    /// `up`, `down` or `nearest`, with `:STEP` (default 1), as `osce report
    /// --round` takes it.
    pub fn parse(text: &str) -> Option<Rounding> {
        let (rule, step) = match text.split_once(':') {
            Some((rule, step)) => (rule, step.trim().parse::<f64>().ok()?),
            None => (text, 1.0),
        };
        if !(step.is_finite() && step > 0.0) {
            return None;
        }
        match rule.trim() {
            "up" => Some(Rounding::Up(step)),
            "down" => Some(Rounding::Down(step)),
            "nearest" => Some(Rounding::Nearest(step)),
            _ => None,
        }
    }

    pub fn apply(self, marks: f64) -> f64 {
        // A tolerance, so that 12.000000001 is 12, not 13 rounded up.
        let (step, f): (f64, fn(f64) -> f64) = match self {
            Rounding::Up(s) => (s, |x: f64| (x - 1e-9).ceil()),
            Rounding::Down(s) => (s, |x: f64| (x + 1e-9).floor()),
            Rounding::Nearest(s) => (s, f64::round),
        };
        f(marks / step) * step
    }

    /// [`Rounding::apply`], kept within the station's marks (0 to `max`):
    /// as a record's pass marks are saved.
    pub fn apply_within(self, marks: f64, max: f64) -> f64 {
        self.apply(marks).clamp(0.0, max)
    }

    pub fn words(self) -> String {
        let (how, step) = match self {
            Rounding::Up(s) => ("up", s),
            Rounding::Down(s) => ("down", s),
            Rounding::Nearest(s) => ("to the nearest", s),
        };
        let unit = if (step - 1.0).abs() < 1e-12 {
            "whole mark".to_string()
        } else {
            format!("multiple of {} marks", crate::scoring::fmt_marks(step))
        };
        match self {
            Rounding::Nearest(_) => format!("rounded to the nearest {unit}"),
            _ => format!("rounded {how} to a {unit}"),
        }
    }
}

/// The board's choice for one station, in place of the method the rubric
/// (or `--method`) gives: another method's figure, the provisional pass
/// mark kept, or a pass mark of its own.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Method(String),
    Provisional,
    Fixed(f64),
}

impl Choice {
    /// `METHOD` (a method's id, as `--method` takes it), `provisional` or
    /// `fixed:MARKS`.
    pub fn parse(text: &str) -> Option<Choice> {
        let text = text.trim();
        if text == "provisional" {
            return Some(Choice::Provisional);
        }
        if let Some(marks) = text.strip_prefix("fixed:") {
            return marks
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|m| m.is_finite())
                .map(Choice::Fixed);
        }
        (!text.is_empty()).then(|| Choice::Method(text.to_string()))
    }
}

/// Why the board's choices cannot be applied to a record.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ChoiceError {
    #[error(
        "station \"{station}\" is not standard-set in this rubric (or has no result to set it from); {near}the stations are {stations}"
    )]
    NotStandardSet {
        station: String,
        near: String,
        stations: String,
    },
    #[error(
        "station {station}: no method \"{method}\"; the methods are {methods}, provisional or fixed:MARKS"
    )]
    UnknownMethod {
        station: String,
        method: String,
        methods: String,
    },
    #[error("station {station}: angoff needs the judges' estimates: add --angoff FILE.csv")]
    NeedsAngoff { station: String },
    #[error("station {station}: {method} gives no pass mark here: {why}")]
    NoFigure {
        station: String,
        method: String,
        why: String,
    },
    #[error("station {station}: the pass mark {mark} is outside 0 to the station's maximum {max}")]
    OutOfRange {
        station: String,
        mark: String,
        max: String,
    },
}

/// Applies the board's station-by-station choices and rounding rule to a
/// record [`decide`] made from `report`.
pub fn choose(
    decision: &mut Decision,
    report: &Report,
    choices: &[(String, Choice)],
    rounding: Option<Rounding>,
) -> Result<(), ChoiceError> {
    let ids: Vec<String> = decision.stations.iter().map(|s| s.station.clone()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    for (station, choice) in choices {
        let Some(at) = decision.stations.iter().position(|s| &s.station == station) else {
            let near = crate::rubric::did_you_mean(station, ids.iter().copied())
                .map(|n| format!("did you mean \"{n}\"? "))
                .unwrap_or_default();
            return Err(ChoiceError::NotStandardSet {
                station: station.clone(),
                near,
                stations: crate::rubric::one_of(&ids),
            });
        };
        let Some(figures) = report.stations.iter().find(|s| &s.id == station) else {
            return Err(ChoiceError::NotStandardSet {
                station: station.clone(),
                near: String::new(),
                stations: crate::rubric::one_of(&ids),
            });
        };
        let entry = &mut decision.stations[at];
        match choice {
            Choice::Provisional => {
                entry.method = SetMethod::Provisional;
                entry.pass_mark = entry.provisional;
            }
            Choice::Fixed(marks) => {
                if !(0.0..=figures.max).contains(marks) {
                    return Err(ChoiceError::OutOfRange {
                        station: station.clone(),
                        mark: crate::scoring::fmt_marks(*marks),
                        max: crate::scoring::fmt_marks(figures.max),
                    });
                }
                entry.method = SetMethod::Fixed;
                entry.pass_mark = *marks;
            }
            Choice::Method(id) => {
                let Some(m) = figures.methods.iter().find(|m| m.id == id.as_str()) else {
                    if id == "angoff" {
                        return Err(ChoiceError::NeedsAngoff {
                            station: station.clone(),
                        });
                    }
                    let known: Vec<&str> = figures.methods.iter().map(|m| m.id).collect();
                    return Err(ChoiceError::UnknownMethod {
                        station: station.clone(),
                        method: id.clone(),
                        methods: crate::rubric::one_of(&known),
                    });
                };
                match &m.result.pass_mark {
                    Ok(marks) => {
                        entry.method = m.name;
                        entry.pass_mark = *marks;
                    }
                    Err(why) => {
                        return Err(ChoiceError::NoFigure {
                            station: station.clone(),
                            method: m.name.to_string(),
                            why: why.clone(),
                        });
                    }
                }
            }
        }
    }
    if let Some(rule) = rounding {
        for (entry, max) in decision.stations.iter_mut().filter_map(|e| {
            let max = report.stations.iter().find(|s| s.id == e.station)?.max;
            Some((e, max))
        }) {
            let rounded = rule.apply_within(entry.pass_mark, max);
            if (rounded - entry.pass_mark).abs() > 1e-12 {
                entry.computed = Some(entry.pass_mark);
                entry.pass_mark = rounded;
            }
        }
        decision.rounding = Some(rule);
    }
    Ok(())
}

/// The saved decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub assessment: String,
    /// BLAKE3 of the rubric file.
    pub rubric: String,
    pub set_by: String,
    pub time: DateTime<Utc>,
    /// Standard error of measurement of the total, for `plus_sem` cuts.
    pub sem: Option<f64>,
    pub stations: Vec<StationStandard>,
    /// Candidates in the cohort, and a BLAKE3 fingerprint of every sheet
    /// it was computed from (each sheet's key and submission hash), to show
    /// later whether the sheets have changed since.
    pub candidates: usize,
    pub sheets_fingerprint: String,
    /// The rounding rule the board applied to every pass mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// The board's note: why these pass marks, in its words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The report's concerns about the pass marks saved, as it said them
    /// when the record was saved (`station: what: what to do`), for the
    /// board to see again when it adopts the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concerns: Vec<String>,
}

/// A fingerprint of the sheets: their keys and submissions, in order.
pub fn fingerprint(cohort: &Cohort) -> String {
    fingerprint_of(cohort, &[])
}

/// [`fingerprint`] of the sheets but those of `leave_out` (indices into
/// the cohort's sheets).
fn fingerprint_of(cohort: &Cohort, leave_out: &[usize]) -> String {
    // The parts are hashed a buffer at a time, not each on its own: the
    // same bytes, so the same hash, hashed many times faster (a cohort has
    // hundreds of thousands of sheets).
    const BUFFER: usize = 1 << 16;
    let mut h = blake3::Hasher::new();
    let mut buffer: Vec<u8> = Vec::with_capacity(BUFFER + 1024);
    for (i, s) in cohort.sheets.iter().enumerate() {
        if leave_out.contains(&i) {
            continue;
        }
        let k = &s.key;
        for part in [
            k.station.as_str(),
            k.candidate.as_str(),
            k.examiner.as_str(),
            k.device.as_str(),
            s.state.seal_str(),
        ] {
            buffer.extend_from_slice(part.as_bytes());
            buffer.push(0);
        }
        if buffer.len() >= BUFFER {
            h.update(&buffer);
            buffer.clear();
        }
    }
    h.update(&buffer);
    h.finalize().to_hex().to_string()
}

/// Where `record` was set from other sheets than `cohort`'s (a sheet
/// submitted, amended or added since, or a record of another sitting): what
/// it was set from and what the sheets are now, in words. `now` is how many
/// candidates have sheets now. A sheet that enters no standard setting (a
/// third marker's after a referral: `moderation_only` gives them, asked
/// for only where the sheets differ) added since changes nothing.
pub fn set_from_other_sheets(
    rubric: &Rubric,
    record: &Decision,
    cohort: &Cohort,
    now: usize,
    moderation_only: impl FnOnce() -> Vec<usize>,
) -> Option<String> {
    if record.sheets_fingerprint == fingerprint(cohort) {
        return None;
    }
    let aside = moderation_only();
    if !aside.is_empty() && record.sheets_fingerprint == fingerprint_of(cohort, &aside) {
        return None;
    }
    Some({
        let set = format!(
            "{} by {}, from {}",
            record.time.format("%Y-%m-%d %H:%M UTC"),
            record.set_by,
            crate::base::text::plural(record.candidates, "candidate", "candidates"),
        );
        // The sheets submitted (or amended) after the record was set: the
        // likeliest change, named so that the board can judge whether it
        // touches the pass marks. One amended says what it gave then and
        // gives now, and where that crosses the record's pass mark: a
        // result turned around since the pass marks were set.
        let since: Vec<String> = cohort
            .sheets
            .iter()
            .filter_map(|s| {
                let now = s.state.submitted.as_ref().filter(|x| x.time > record.time)?;
                let name = format!("{} at {}", s.key.candidate, s.key.station);
                let then = s
                    .state
                    .earlier_submissions
                    .iter()
                    .rev()
                    .find(|x| x.time <= record.time);
                Some(match then {
                    None => name,
                    Some(then) => format!(
                        "{name} (amended: {})",
                        amended_words(rubric, record, &s.key.station, then, now)
                    ),
                })
            })
            .collect();
        const NAMED: usize = 5;
        let named = match since.len() {
            0 => String::new(),
            n => format!(
                "; submitted or amended since it was set: {}{}",
                since[..n.min(NAMED)].join(", "),
                if n > NAMED {
                    format!(" and {} more", n - NAMED)
                } else {
                    String::new()
                }
            ),
        };
        if record.candidates == now {
            // As many candidates: a sheet of theirs changed, most likely.
            format!(
                "set from other sheets than these ({set}, as many as now{named}): a sheet submitted, amended, \
                 added or set aside since, or a record from another sitting of the same size"
            )
        } else {
            format!(
                "set from other sheets than these ({set}; the sheets now are of {}{named}): a sheet submitted, \
                 amended or added since, or a record from another sitting",
                crate::base::text::plural(now, "candidate", "candidates"),
            )
        }
    })
}

/// A sheet's score when `record` was set and now, and whether the two lie
/// either side of the record's pass mark for `station` (scaled to the
/// marks each observed): `6 → 5 of 13, across its pass mark 5.5`.
fn amended_words(
    rubric: &Rubric,
    record: &Decision,
    station: &str,
    then: &Submission,
    now: &Submission,
) -> String {
    use crate::scoring::fmt_marks;
    let across = record
        .stations
        .iter()
        .find(|st| st.station == station)
        .zip(rubric.station(station))
        .filter(|(st, _)| {
            let nominal = rubric.station(station).map_or(0.0, |s| rubric.station_max(s));
            let passes = |x: &Submission| {
                let mark = if nominal > 0.0 {
                    st.pass_mark * x.max / nominal
                } else {
                    st.pass_mark
                };
                x.score >= mark - 1e-9
            };
            passes(then) != passes(now)
        })
        .map(|(st, _)| format!(", across its pass mark {}", fmt_marks(st.pass_mark)))
        .unwrap_or_default();
    let of = if (then.max - now.max).abs() < 1e-9 {
        format!(
            "{} → {} of {}",
            fmt_marks(then.score),
            fmt_marks(now.score),
            fmt_marks(now.max)
        )
    } else {
        format!(
            "{} of {} → {} of {}",
            fmt_marks(then.score),
            fmt_marks(then.max),
            fmt_marks(now.score),
            fmt_marks(now.max)
        )
    };
    format!("{of}{across}")
}

/// The stations whose pass mark is not what the record says its method
/// gave (`computed`, by the record's rounding): a pass mark typed over by
/// hand, which a record of its own saying otherwise would hide. In words,
/// one a station: `shoulder: 0.8, where the borderline regression's 7.78
/// rounded up to a multiple of 0.5 marks gives 8`.
pub fn edited_by_hand(d: &Decision, rubric: &Rubric) -> Vec<String> {
    use crate::scoring::fmt_marks;
    d.stations
        .iter()
        .filter(|s| {
            matches!(
                s.method,
                SetMethod::BorderlineRegression | SetMethod::BorderlineGroup | SetMethod::ModifiedAngoff
            )
        })
        .filter_map(|s| {
            let computed = s.computed?;
            let max = rubric.station(&s.station).map(|st| rubric.station_max(st))?;
            let (gives, how) = match d.rounding {
                Some(r) => (r.apply_within(computed, max), format!(" {}", r.words())),
                None => (computed, String::new()),
            };
            ((gives - s.pass_mark).abs() > 1e-6).then(|| {
                format!(
                    "{}: {}, where the {}'s {}{how} gives {}",
                    s.station,
                    fmt_marks(s.pass_mark),
                    s.method,
                    fmt_marks(computed),
                    fmt_marks(gives)
                )
            })
        })
        .collect()
}

/// Whether the sheets are other than those of fingerprint `then` (a sheet
/// submitted, amended or added since), but for the sheets that enter no
/// standard setting (`moderation_only`, asked for only where they differ).
pub fn sheets_changed_since(
    then: &str,
    cohort: &Cohort,
    moderation_only: impl FnOnce() -> Vec<usize>,
) -> bool {
    if then == fingerprint(cohort) {
        return false;
    }
    let aside = moderation_only();
    aside.is_empty() || then != fingerprint_of(cohort, &aside)
}

/// What to do where the pass marks adopted were set from other sheets.
pub const SET_AGAIN: &str = "if the board meant pass marks from these sheets, set them again (osce report \
                             --save-standards FILE) and adopt that record instead (osce decide pass-marks --record FILE)";

/// The decision the report's figures give.
pub fn decide(
    rubric: &Rubric,
    rubric_hash: &str,
    report: &Report,
    cohort: &Cohort,
    set_by: &str,
    time: DateTime<Utc>,
) -> Decision {
    Decision {
        assessment: rubric.id.clone(),
        rubric: rubric_hash.to_string(),
        set_by: set_by.to_string(),
        time,
        sem: report.standards.sem,
        stations: report
            .stations
            .iter()
            .filter_map(|s| {
                let provisional = s.provisional.unwrap_or(0.0);
                // A station standard setting could not set (too few
                // candidates, no slope: the report says why) keeps its
                // provisional pass mark, said as such in the record, so
                // that adopting the record leaves no result provisional.
                let (method, pass_mark) = match report.standards.pass_marks.get(&s.id) {
                    Some(mark) => (mark.method, mark.marks),
                    None if s.method.is_some() => (SetMethod::Provisional, provisional),
                    None => return None,
                };
                Some(StationStandard {
                    station: s.id.clone(),
                    method,
                    pass_mark,
                    provisional,
                    candidates: s.n,
                    computed: None,
                })
            })
            .collect(),
        candidates: report.exam.candidates,
        sheets_fingerprint: fingerprint(cohort),
        rounding: None,
        note: None,
        concerns: Vec::new(),
    }
}

/// Why a standard-setting record cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StandardsError {
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a standard-setting file ({reason})")]
    NotARecord {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error(
        "was set for assessment \"{assessment}\" with rubric {rubric}, not this rubric ({wanted}, {wanted_hash})"
    )]
    OtherRubric {
        assessment: String,
        rubric: String,
        wanted: String,
        wanted_hash: String,
    },
    #[error("station \"{station}\" is not in the rubric ({hint})")]
    UnknownStation { station: String, hint: String },
    #[error("station \"{0}\" is given twice: each station once, with the pass mark the board adopts")]
    Twice(String),
    #[error("station \"{0}\" is not scored (a rest station): it has no pass mark to set")]
    NotScored(String),
    #[error("the SEM {0} is not a number of marks of 0 or more")]
    BadSem(f64),
    #[error("pass mark {mark} at station {station} is outside 0 to {max}")]
    OutOfRange { mark: f64, station: String, max: f64 },
    #[error("{path}: {inner}")]
    In {
        path: std::path::PathBuf,
        inner: Box<StandardsError>,
    },
    #[error("{} mistakes:{}", .0.len(), .0.iter().map(|e| format!("\n  - {e}")).collect::<String>())]
    Several(Vec<StandardsError>),
}

impl StandardsError {
    /// Whether the record could not be read at all (a usage or I/O error),
    /// rather than read and found wrong.
    pub fn is_io(&self) -> bool {
        matches!(self, StandardsError::Io { .. })
    }
}

/// Reads a saved decision and turns it into the engine's standards,
/// checking it belongs to this rubric.
pub fn load(
    path: &Path,
    rubric: &Rubric,
    rubric_hash: &str,
) -> Result<(Decision, Standards), StandardsError> {
    let d = read(path)?;
    let standards = to_standards(&d, rubric, rubric_hash).map_err(|e| StandardsError::In {
        path: path.to_path_buf(),
        inner: Box::new(e),
    })?;
    Ok((d, standards))
}

/// Reads a saved standard-setting record.
pub fn read(path: &Path) -> Result<Decision, StandardsError> {
    let text = std::fs::read_to_string(path).map_err(|source| StandardsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| StandardsError::NotARecord {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// A standard-setting record as the engine's standards, checking it belongs
/// to this rubric and every pass mark is one its station can have.
pub fn to_standards(d: &Decision, rubric: &Rubric, rubric_hash: &str) -> Result<Standards, StandardsError> {
    if d.assessment != rubric.id || d.rubric != rubric_hash {
        return Err(StandardsError::OtherRubric {
            assessment: d.assessment.clone(),
            rubric: crate::results::gather::short_hash(&d.rubric).to_string(),
            wanted: rubric.id.clone(),
            wanted_hash: crate::results::gather::short_hash(rubric_hash).to_string(),
        });
    }
    // Every mistake at once: the record is usually corrected by hand.
    let mut mistakes = Vec::new();
    if let Some(sem) = d.sem
        && !(sem.is_finite() && sem >= 0.0)
    {
        mistakes.push(StandardsError::BadSem(sem));
    }
    let mut pass_marks = BTreeMap::new();
    for s in &d.stations {
        let Some(station) = rubric.station(&s.station) else {
            let scored: Vec<&str> = rubric.scored_stations().map(|x| x.id.as_str()).collect();
            let hint = match crate::rubric::did_you_mean(&s.station, scored.iter().copied()) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => format!("its scored stations: {}", scored.join(", ")),
            };
            mistakes.push(StandardsError::UnknownStation {
                station: s.station.clone(),
                hint,
            });
            continue;
        };
        if station.rest || !rubric.scored_stations().any(|x| x.id == station.id) {
            mistakes.push(StandardsError::NotScored(s.station.clone()));
            continue;
        }
        if pass_marks.contains_key(&s.station) {
            mistakes.push(StandardsError::Twice(s.station.clone()));
            continue;
        }
        let method = s.method;
        let max = rubric.station_max(station);
        if !(s.pass_mark.is_finite() && (0.0..=max).contains(&s.pass_mark)) {
            mistakes.push(StandardsError::OutOfRange {
                mark: s.pass_mark,
                station: s.station.clone(),
                max,
            });
            continue;
        }
        pass_marks.insert(
            s.station.clone(),
            StandardSetMark {
                marks: s.pass_mark,
                method,
            },
        );
    }
    match mistakes.len() {
        0 => Ok(Standards {
            pass_marks,
            sem: d.sem,
        }),
        1 => Err(mistakes.remove(0)),
        _ => Err(StandardsError::Several(mistakes)),
    }
}
