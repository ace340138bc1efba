//! Component results from outside the stations (written papers, a case
//! presentation, an essay, the logbook): a CSV file a module leader exports
//! from a spreadsheet or the VLE, checked row by row against the rubric's
//! components, all or nothing, as rosters and paper marks are. Recorded as
//! the exam lead's decisions (`osce decide components`), each with the
//! file's hash and line. The format is in `docs/decisions.md`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::base::csvin::{self, Layout, NewProblem, Problem, ReadProblem, Table};
use crate::results::decisions::ComponentValue;
use crate::rubric::{Rubric, did_you_mean, one_of, quoted};

/// The columns, in the order the docs give them.
const COLUMNS: [&str; 4] = ["candidate_id", "component", "result", "note"];
const CANDIDATE: usize = 0;
const COMPONENT: usize = 1;
const RESULT: usize = 2;
const NOTE: usize = 3;

/// No module has results files this large: a bigger file is the wrong file.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// One result the file gives.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentRow {
    /// The line as a spreadsheet numbers it (the header is line 1).
    pub line: usize,
    pub candidate: String,
    pub component: String,
    pub result: ComponentValue,
    pub note: String,
}

/// A problem with one line (or the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentProblem {
    pub line: Option<usize>,
    pub column: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl From<Problem> for ComponentProblem {
    fn from(p: Problem) -> Self {
        ComponentProblem {
            line: p.at,
            column: p.column,
            message: p.message,
            help: p.help,
        }
    }
}

impl fmt::Display for ComponentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        csvin::write_problem(
            f,
            "line",
            self.line,
            self.column.as_deref(),
            &self.message,
            self.help.as_deref(),
        )
    }
}

/// Why a results file could not be used. Nothing is recorded from it.
#[derive(Debug, thiserror::Error)]
pub enum ComponentsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: is a folder; give the results CSV file inside it")]
    IsDirectory { path: PathBuf },
    #[error(
        "{path}: is larger than 16 MB; a module's results file is far smaller: check you named the right file"
    )]
    TooLarge { path: PathBuf },
    #[error(
        "{path}:{line}:{column}: is not UTF-8 text: {why}; save the results as \
         \"CSV UTF-8 (Comma delimited)\" in Excel, or as UTF-8 CSV in other programs"
    )]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
        why: String,
    },
    #[error("{}", csvin::prefix_lines(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<ComponentProblem>,
    },
}

impl ComponentsError {
    /// Whether the file could not be read at all, as opposed to read and
    /// found wrong.
    pub fn is_io(&self) -> bool {
        !matches!(self, ComponentsError::Invalid { .. })
    }
}

/// The file read: its rows, and the BLAKE3 hash of its bytes as read.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentsFile {
    pub rows: Vec<ComponentRow>,
    pub hash: String,
}

/// Reads and checks a results file against the rubric's components;
/// `candidates` are the candidates known (the roster's, where `roster`
/// was given, and those with sheets): a row for anyone else is an error.
pub fn read_components(
    path: &Path,
    rubric: &Rubric,
    candidates: &[String],
    roster: bool,
) -> Result<ComponentsFile, ComponentsError> {
    let owned = path.to_path_buf();
    let bytes = csvin::read_capped(path, MAX_BYTES).map_err(|p| reading(&owned, p))?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let text = csvin::decode(bytes).map_err(|p| reading(&owned, p))?;
    let rows =
        parse_components(&text, rubric, candidates, roster).map_err(|problems| ComponentsError::Invalid {
            path: owned,
            problems,
        })?;
    Ok(ComponentsFile { rows, hash })
}

fn reading(path: &Path, problem: ReadProblem) -> ComponentsError {
    let path = path.to_path_buf();
    match problem {
        ReadProblem::Io(source) => ComponentsError::Io { path, source },
        ReadProblem::IsDirectory => ComponentsError::IsDirectory { path },
        ReadProblem::TooLarge => ComponentsError::TooLarge { path },
        ReadProblem::NotText { line, column, why } => ComponentsError::NotText {
            path,
            line,
            column,
            why,
        },
    }
}

fn layout() -> Layout<4> {
    let allowed =
        "the columns are candidate_id, component, result and note (note may be left out)".to_string();
    Layout {
        columns: COLUMNS,
        required: &[CANDIDATE, COMPONENT, RESULT],
        row: "line",
        example: COLUMNS.join(","),
        short_row: "C001,essay,64,",
        unknown_help: format!("{allowed}; rename or delete it"),
        missing_help: format!("every results file needs candidate_id, component and result; {allowed}"),
        unnamed_help: format!("name the column in the header ({allowed}), or delete it"),
        allowed,
    }
}

/// Checks results text. Every problem is reported; nothing is returned
/// unless the whole file is right.
pub fn parse_components(
    text: &str,
    rubric: &Rubric,
    candidates: &[String],
    roster: bool,
) -> Result<Vec<ComponentRow>, Vec<ComponentProblem>> {
    let mut errors: Vec<ComponentProblem> = Vec::new();
    let Some(spec) = &rubric.components else {
        return Err(vec![ComponentProblem::new(
            None,
            None,
            format!("the rubric \"{}\" has no components", rubric.id),
            "component results are for a rubric whose `components` lists parts assessed outside the stations",
        )]);
    };
    let mut table = match Table::open(text, str::trim, layout(), &mut errors) {
        Ok(Some(table)) => table,
        Ok(None) => {
            return Err(vec![ComponentProblem::new(
                None,
                None,
                "the results file is empty",
                format!(
                    "the first line names the columns, {}; then one line per candidate and component",
                    COLUMNS.join(",")
                ),
            )]);
        }
        Err(problems) => return Err(problems),
    };
    // Components with stations get their results from the stations.
    let outside: Vec<&crate::rubric::Component> =
        spec.parts.iter().filter(|c| c.stations.is_empty()).collect();
    let ids: Vec<&str> = outside.iter().map(|c| c.id.as_str()).collect();
    let mut rows: Vec<ComponentRow> = Vec::new();
    while let Some((line, cells)) = table.next_row(&mut errors) {
        let Some(cells) = table.cells(line, &cells, &mut errors) else {
            continue;
        };
        let candidate = cells[CANDIDATE];
        if candidate.is_empty() {
            errors.push(ComponentProblem::new(
                Some(line),
                Some("candidate_id"),
                "the candidate id is empty",
                "give the candidate's id as the roster and the sheets have it, such as C001",
            ));
        } else if !candidates.iter().any(|c| c == candidate) {
            let near = did_you_mean(candidate, candidates.iter().map(String::as_str));
            // Without the roster, a candidate with no sheet is unknown: the
            // roster is the first thing to give, before an id a typo away
            // (someone else's) is taken for theirs.
            let (message, help) = if roster {
                (
                    format!(
                        "no candidate {} is on the roster or has a sheet",
                        quoted(candidate)
                    ),
                    format!("{}check the id against the roster", csvin::hint(near)),
                )
            } else {
                (
                    format!("no candidate {} has a sheet", quoted(candidate)),
                    format!(
                        "a candidate with no sheet, absent from every station or assessed outside them only, is known \
                         from the roster: give --roster FILE.csv; otherwise check the id{}",
                        near.map(|n| format!(" (\"{n}\", a typo away, is another candidate's)"))
                            .unwrap_or_default()
                    ),
                )
            };
            errors.push(ComponentProblem::new(
                Some(line),
                Some("candidate_id"),
                message,
                help,
            ));
        }
        let id = cells[COMPONENT];
        let component = spec.parts.iter().find(|c| c.id == id);
        let component = match component {
            Some(c) if !c.stations.is_empty() => {
                errors.push(ComponentProblem::new(
                    Some(line),
                    Some("component"),
                    format!("component {} is assessed at the stations", quoted(id)),
                    format!(
                        "its result comes from the sheets; the components to give here are {}",
                        one_of(&ids)
                    ),
                ));
                None
            }
            Some(c) => Some(c),
            None => {
                errors.push(ComponentProblem::new(
                    Some(line),
                    Some("component"),
                    format!("the rubric has no component {}", quoted(id)),
                    format!(
                        "{}the components to give here are {}",
                        csvin::hint(did_you_mean(id, ids.iter().copied())),
                        one_of(&ids)
                    ),
                ));
                None
            }
        };
        let result = cells[RESULT];
        let value = component.and_then(|c| value(line, c, result, &mut errors));
        if let (Some(c), Some(value)) = (component, value) {
            if let Some(first) = rows
                .iter()
                .find(|r| r.candidate == candidate && r.component == c.id)
            {
                errors.push(ComponentProblem::new(
                    Some(line),
                    None,
                    format!(
                        "{candidate}'s result for {} is given twice (first at line {})",
                        c.id, first.line
                    ),
                    "keep one line per candidate and component",
                ));
                continue;
            }
            rows.push(ComponentRow {
                line,
                candidate: candidate.to_string(),
                component: c.id.clone(),
                result: value,
                note: cells[NOTE].to_string(),
            });
        }
    }
    table.unnamed_columns(&mut errors);
    if errors.is_empty() && rows.is_empty() {
        errors.push(ComponentProblem::new(
            None,
            None,
            "the results file has a header but no results",
            "add one line per candidate and component below the header",
        ));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|p| p.line.unwrap_or(0));
        Err(errors)
    }
}

/// The result a cell gives for component `c`: a percentage from 0 to 100
/// for a weighted component, `pass` or `fail` for a pass/fail one; for
/// either, `absent` or `deferred`.
fn value(
    line: usize,
    c: &crate::rubric::Component,
    cell: &str,
    errors: &mut Vec<ComponentProblem>,
) -> Option<ComponentValue> {
    let problem =
        |message: String, help: &str| ComponentProblem::new(Some(line), Some("result"), message, help);
    // Missed: absent (counted as 0% or a fail), or deferred to a later
    // sitting under mitigating circumstances.
    const MISSED: &str = "or, for a candidate who missed it, absent (counted as 0% or a fail) or deferred (the \
                          candidate's result waits for a later sitting); or withdrawn, with --correct, to take back \
                          a result recorded before";
    match cell.to_ascii_lowercase().as_str() {
        "absent" => return Some(ComponentValue::Absent),
        "deferred" => return Some(ComponentValue::Deferred),
        // The result recorded before taken back (`--correct`).
        "withdrawn" => return Some(ComponentValue::Withdrawn),
        _ => {}
    }
    match c.weight {
        None => match cell.to_ascii_lowercase().as_str() {
            "pass" | "p" => Some(ComponentValue::Pass),
            "fail" | "f" => Some(ComponentValue::Fail),
            _ => {
                errors.push(problem(
                    format!(
                        "{} is not a result for {}, which is pass or fail",
                        quoted(cell),
                        c.id
                    ),
                    &format!("write pass or fail; {MISSED}"),
                ));
                None
            }
        },
        Some(_) => {
            let number = cell.strip_suffix('%').unwrap_or(cell).trim();
            match number.parse::<f64>() {
                // A share of 1 (a spreadsheet's percent cell saved as its
                // value, 0.57 for 57%) would be read as under 1 percent:
                // said, unless written with its % sign.
                Ok(p) if p > 0.0 && p < 1.0 && !cell.ends_with('%') => {
                    errors.push(problem(
                        format!(
                            "{} for {}, a percentage, is under 1 percent: a share of 1 (a spreadsheet's percent cell \
                             saved as its value)?",
                            quoted(cell),
                            c.id
                        ),
                        &format!(
                            "write the percentage, {} for {cell}; where under 1 percent is meant, write it with its % \
                             sign ({cell}%)",
                            crate::scoring::fmt_percent(p * 100.0)
                        ),
                    ));
                    None
                }
                Ok(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Some(ComponentValue::Percent(p)),
                _ => {
                    errors.push(problem(
                        format!(
                            "{} is not a result for {}, which is a percentage",
                            quoted(cell),
                            c.id
                        ),
                        &format!("write a number from 0 to 100, such as 64 or 64.5; {MISSED}"),
                    ));
                    None
                }
            }
        }
    }
}
