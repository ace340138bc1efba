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
}

/// A fingerprint of the sheets: their keys and submissions, in order.
pub fn fingerprint(cohort: &Cohort) -> String {
    let mut h = blake3::Hasher::new();
    for s in &cohort.sheets {
        let k = &s.key;
        for part in [&k.station, &k.candidate, &k.examiner, &k.device, &s.state.seal()] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
    }
    h.finalize().to_hex().to_string()
}

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
                let mark = report.standards.pass_marks.get(&s.id)?;
                Some(StationStandard {
                    station: s.id.clone(),
                    method: mark.method,
                    pass_mark: mark.marks,
                    provisional: s.provisional.unwrap_or(0.0),
                    candidates: s.n,
                })
            })
            .collect(),
        candidates: report.exam.candidates,
        sheets_fingerprint: fingerprint(cohort),
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
    #[error("station \"{0}\" is not in the rubric")]
    UnknownStation(String),
    #[error("pass mark {mark} at station {station} is outside 0 to {max}")]
    OutOfRange { mark: f64, station: String, max: f64 },
    #[error("{path}: {inner}")]
    In {
        path: std::path::PathBuf,
        inner: Box<StandardsError>,
    },
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
    let mut pass_marks = BTreeMap::new();
    for s in &d.stations {
        let Some(station) = rubric.station(&s.station) else {
            return Err(StandardsError::UnknownStation(s.station.clone()));
        };
        let method = s.method;
        let max = rubric.station_max(station);
        if !(s.pass_mark.is_finite() && (0.0..=max).contains(&s.pass_mark)) {
            return Err(StandardsError::OutOfRange {
                mark: s.pass_mark,
                station: s.station.clone(),
                max,
            });
        }
        pass_marks.insert(
            s.station.clone(),
            StandardSetMark {
                marks: s.pass_mark,
                method,
            },
        );
    }
    Ok(Standards {
        pass_marks,
        sem: d.sem,
    })
}
