//! Reading a logbook CSV: one line per scan or injection, checked line by
//! line against the rubric's logbook gate.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::base::csvin::{self, Layout, NewProblem, Problem, ReadProblem, Table, hint};
use crate::base::ids::check_id;
use crate::base::text::parse_date;
use crate::rubric::{LogbookGate, did_you_mean, one_of, quoted};

/// A logbook of a cohort is tens of thousands of lines (200 candidates ×
/// 300 entries is about 4 MiB); a larger file is the wrong file.
pub const MAX_LOGBOOK_BYTES: u64 = 32 * 1024 * 1024;

/// The columns of a logbook, every one required, in the usual order.
pub const COLUMNS: [&str; 7] = [
    "candidate_id",
    "date",
    "region",
    "supervision",
    "mentor",
    "audited",
    "reference",
];

const WIDTH: usize = COLUMNS.len();
const CANDIDATE: usize = 0;
const DATE: usize = 1;
const REGION: usize = 2;
const SUPERVISION: usize = 3;
const MENTOR: usize = 4;
const AUDITED: usize = 5;
const REFERENCE: usize = 6;

/// How a scan or injection was supervised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Supervision {
    /// Aided: the mentor at the candidate's side.
    Assisted,
    /// Unaided: the candidate alone, the mentor available.
    Unassisted,
}

impl Supervision {
    pub fn word(self) -> &'static str {
        match self {
            Supervision::Assisted => "assisted",
            Supervision::Unassisted => "unassisted",
        }
    }
}

impl fmt::Display for Supervision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One line of a logbook, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The line as a spreadsheet numbers rows (the header is line 1).
    pub line: usize,
    pub candidate: String,
    pub date: NaiveDate,
    /// The region in lower case, as the gate lists it.
    pub region: String,
    pub supervision: Supervision,
    /// Who signed the entry off; empty when nobody did.
    pub mentor: String,
    pub audited: bool,
    pub reference: String,
}

// ---------------------------------------------------------------------------
// Problems

/// One problem in a logbook: where it is (line and column), what is wrong,
/// and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogbookProblem {
    /// The line as a spreadsheet numbers rows (the header is line 1).
    pub line: Option<usize>,
    pub column: Option<String>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl From<Problem> for LogbookProblem {
    fn from(p: Problem) -> Self {
        LogbookProblem {
            line: p.at,
            column: p.column,
            message: p.message,
            help: p.help,
        }
    }
}

impl fmt::Display for LogbookProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (column, help) = (self.column.as_deref(), self.help.as_deref());
        csvin::write_problem(f, "line", self.line, column, &self.message, help)
    }
}

/// At most this many problems are kept, the first ones in the file; the
/// rest are counted. A wrong file is usually wrong on every line, and a
/// 32 MiB file of wrong lines would otherwise hold a million messages.
pub const MAX_PROBLEMS: usize = 1000;

/// Everything wrong with a logbook, in the order of its lines: the first
/// [`MAX_PROBLEMS`], and how many more there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogbookErrors {
    pub problems: Vec<LogbookProblem>,
    /// Problems found after the first [`MAX_PROBLEMS`], not kept.
    pub more: usize,
}

impl LogbookErrors {
    fn sorted(problems: Vec<LogbookProblem>) -> LogbookErrors {
        LogbookErrors::bounded(problems, 0)
    }

    fn bounded(mut problems: Vec<LogbookProblem>, mut more: usize) -> LogbookErrors {
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        if problems.len() > MAX_PROBLEMS {
            more += problems.len() - MAX_PROBLEMS;
            problems.truncate(MAX_PROBLEMS);
        }
        LogbookErrors { problems, more }
    }

    /// Every problem found, kept or not.
    pub fn count(&self) -> usize {
        self.problems.len() + self.more
    }
}

impl fmt::Display for LogbookErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        csvin::write_lines(f, &self.problems)
    }
}

impl std::error::Error for LogbookErrors {}

/// Why a logbook file cannot be read. Every message starts with the file's
/// name.
#[derive(Debug, thiserror::Error)]
pub enum LogbookError {
    #[error("{path}: cannot read the logbook: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: is a folder, not a logbook")]
    IsDirectory { path: PathBuf },
    #[error(
        "{path}: is larger than {} MiB, too large to be a logbook; check you named the right file",
        MAX_LOGBOOK_BYTES / 1024 / 1024
    )]
    TooLarge { path: PathBuf },
    #[error(
        "{path}:{line}:{column}: is not UTF-8 text: {why}; save the logbook as \
         \"CSV UTF-8 (Comma delimited)\" in Excel, or as UTF-8 CSV in other programs"
    )]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
        why: String,
    },
}

/// Reads a logbook file as UTF-8 text, refusing folders, huge files and
/// binary data.
pub fn read_logbook(path: &Path) -> Result<String, LogbookError> {
    let reading = |problem| {
        let path = path.to_path_buf();
        match problem {
            ReadProblem::Io(source) => LogbookError::Io { path, source },
            ReadProblem::IsDirectory => LogbookError::IsDirectory { path },
            ReadProblem::TooLarge => LogbookError::TooLarge { path },
            ReadProblem::NotText { line, column, why } => LogbookError::NotText {
                path,
                line,
                column,
                why,
            },
        }
    };
    let bytes = csvin::read_capped(path, MAX_LOGBOOK_BYTES).map_err(reading)?;
    csvin::decode(bytes).map_err(reading)
}

// ---------------------------------------------------------------------------
// Checking the lines

fn layout() -> Layout<WIDTH> {
    let allowed = format!("a logbook has the columns {}", COLUMNS.join(","));
    Layout {
        columns: COLUMNS,
        required: &[CANDIDATE, DATE, REGION, SUPERVISION, MENTOR, AUDITED, REFERENCE],
        row: "line",
        example: COLUMNS.join(","),
        short_row: "C001,2026-03-14,knee,unassisted,,no,",
        unknown_help: format!("rename or delete it; {allowed}"),
        missing_help: allowed.clone(),
        unnamed_help: format!("name the column in the header, or delete it: {allowed}"),
        allowed,
    }
}

/// Checks a logbook's text against `gate`, with `today` the last day an
/// entry may be dated. On success every entry, in the order of the file;
/// otherwise every problem found, in the order of the lines.
pub fn parse(text: &str, gate: &LogbookGate, today: NaiveDate) -> Result<Vec<Entry>, LogbookErrors> {
    let mut errors: Vec<LogbookProblem> = Vec::new();
    let mut table = match Table::open(text, str::trim, layout(), &mut errors) {
        Ok(Some(table)) => table,
        Ok(None) if errors.is_empty() => {
            return Err(LogbookErrors::sorted(vec![LogbookProblem::new(
                Some(1),
                None,
                "the file is empty",
                format!(
                    "the first line names the columns, {}; then one line per {}",
                    COLUMNS.join(","),
                    gate.entry
                ),
            )]));
        }
        Ok(None) => return Err(LogbookErrors::sorted(errors)),
        Err(problems) => return Err(LogbookErrors::sorted(problems)),
    };
    let mut check = Check {
        gate,
        today,
        entries: Vec::new(),
        ids: HashMap::new(),
        last_id: String::new(),
    };
    let mut more = 0usize;
    while let Some((line, cells)) = table.next_row(&mut errors) {
        if let Some(cells) = table.cells(line, &cells, &mut errors) {
            check.line(line, &cells, &mut errors);
        }
        // Lines come in order, so the problems kept are the first ones.
        if errors.len() > MAX_PROBLEMS {
            more += errors.len() - MAX_PROBLEMS;
            errors.truncate(MAX_PROBLEMS);
        }
    }
    table.unnamed_columns(&mut errors);
    duplicates(&check.entries, gate, &mut errors);
    if check.entries.is_empty() && errors.is_empty() {
        errors.push(LogbookProblem::new(
            Some(2),
            None,
            format!("the file has a header but no {}", gate.entries),
            format!("add one line per {} below the header", gate.entry),
        ));
    }
    if errors.is_empty() {
        Ok(check.entries)
    } else {
        Err(LogbookErrors::bounded(errors, more))
    }
}

/// The key two lines share when they are the same entry written twice:
/// candidate, date, region, supervision and reference. (A candidate is
/// written the same way on every line that is kept, and a region is the
/// gate's.)
fn key(e: &Entry) -> (&str, NaiveDate, &str, Supervision, &str) {
    (&e.candidate, e.date, &e.region, e.supervision, &e.reference)
}

/// Every entry that repeats an earlier one, reported at its line with the
/// line it repeats. Found by sorting rather than hashing every line's key:
/// as exact, and several times faster on a cohort's logbook.
fn duplicates(entries: &[Entry], gate: &LogbookGate, errors: &mut Vec<LogbookProblem>) {
    let mut order: Vec<&Entry> = entries.iter().collect();
    order.sort_unstable_by(|a, b| key(a).cmp(&key(b)).then(a.line.cmp(&b.line)));
    let mut first = None::<&Entry>;
    for e in order {
        match first {
            Some(f) if key(f) == key(e) => errors.push(LogbookProblem::new(
                Some(e.line),
                None,
                format!(
                    "the same entry as line {}: candidate {}, {}, {}, {}, reference {}",
                    f.line,
                    quoted(&e.candidate),
                    e.date,
                    e.region,
                    e.supervision.word(),
                    quoted(&e.reference)
                ),
                format!(
                    "delete one of the two lines; if they are two {}, give each its own reference",
                    gate.entries
                ),
            )),
            _ => first = Some(e),
        }
    }
}

struct Check<'g> {
    gate: &'g LogbookGate,
    today: NaiveDate,
    entries: Vec<Entry>,
    /// Candidate id in lower case → (id as first written, its line).
    ids: HashMap<String, (String, usize)>,
    /// The id of the line before, when it was usable: a candidate's lines
    /// usually follow each other, and need not be looked up again.
    last_id: String,
}

impl Check<'_> {
    fn line(&mut self, line: usize, cells: &[&str; WIDTH], errors: &mut Vec<LogbookProblem>) {
        let gate = self.gate;
        let problem = |column: &str, message: String, help: String| {
            LogbookProblem::new(Some(line), Some(column), message, help)
        };
        let before = errors.len();

        let id = cells[CANDIDATE];
        if let Err(why) = check_id(id) {
            let message = if id.is_empty() {
                "the candidate id is empty".to_string()
            } else {
                format!("candidate id {} cannot be used: {why}", quoted(id))
            };
            errors.push(problem(
                "candidate_id",
                message,
                "write the candidate's id as on the roster, such as C001".into(),
            ));
        } else if id != self.last_id {
            match self.ids.get(&id.to_lowercase()) {
                Some((first, at)) if first != id => errors.push(problem(
                    "candidate_id",
                    format!(
                        "candidate {} is written {} on line {at}",
                        quoted(id),
                        quoted(first)
                    ),
                    "write one candidate's id the same way on every line".into(),
                )),
                Some(_) => {
                    id.clone_into(&mut self.last_id);
                }
                None => {
                    self.ids.insert(id.to_lowercase(), (id.to_string(), line));
                    id.clone_into(&mut self.last_id);
                }
            }
        }

        let date = self.date(cells[DATE], &problem, errors);

        let region_cell = cells[REGION];
        let region = if region_cell.is_empty() {
            errors.push(problem(
                "region",
                "the region is empty".into(),
                if gate.regions.is_empty() {
                    "write the body region, such as knee".to_string()
                } else {
                    format!("write one of {}", one_of(&gate.regions))
                },
            ));
            None
        } else {
            let listed = gate
                .regions
                .iter()
                .find(|r| r.eq_ignore_ascii_case(region_cell))
                .or_else(|| {
                    let lower = region_cell.to_lowercase();
                    gate.regions.iter().find(|r| **r == lower)
                });
            if let Some(region) = listed {
                Some(region.clone())
            } else if gate.regions.is_empty() {
                Some(region_cell.to_lowercase())
            } else {
                let lower = region_cell.to_lowercase();
                let near = did_you_mean(&lower, gate.regions.iter().map(String::as_str));
                errors.push(problem(
                    "region",
                    format!("unknown region {}", quoted(region_cell)),
                    format!(
                        "{}the rubric's logbook gate lists the regions {}",
                        hint(near),
                        one_of(&gate.regions)
                    ),
                ));
                None
            }
        };

        let supervision_cell = cells[SUPERVISION];
        let supervision = if supervision_cell.eq_ignore_ascii_case("assisted") {
            Some(Supervision::Assisted)
        } else if supervision_cell.eq_ignore_ascii_case("unassisted") {
            Some(Supervision::Unassisted)
        } else {
            let near = did_you_mean(supervision_cell, ["assisted", "unassisted"]);
            let message = if supervision_cell.is_empty() {
                "the supervision is empty".to_string()
            } else {
                format!("unknown supervision {}", quoted(supervision_cell))
            };
            errors.push(problem(
                "supervision",
                message,
                format!(
                    "{}write assisted (the mentor at your side) or unassisted (on your own)",
                    hint(near)
                ),
            ));
            None
        };

        let audited_cell = cells[AUDITED];
        let audited = if audited_cell.eq_ignore_ascii_case("yes") {
            Some(true)
        } else if audited_cell.eq_ignore_ascii_case("no") {
            Some(false)
        } else {
            let message = if cells[AUDITED].is_empty() {
                "the audited cell is empty".to_string()
            } else {
                format!("audited is {}, not yes or no", quoted(cells[AUDITED]))
            };
            errors.push(problem(
                "audited",
                message,
                "write yes if the mentor audited this entry, no if not".into(),
            ));
            None
        };

        if errors.len() > before {
            return;
        }
        let (Some(date), Some(region), Some(supervision), Some(audited)) =
            (date, region, supervision, audited)
        else {
            return;
        };
        let reference = cells[REFERENCE].to_string();
        self.entries.push(Entry {
            line,
            candidate: id.to_string(),
            date,
            region,
            supervision,
            mentor: cells[MENTOR].to_string(),
            audited,
            reference,
        });
    }

    /// The date of a line: written YYYY-MM-DD, not after today, and inside
    /// the gate's window.
    fn date(
        &self,
        cell: &str,
        problem: &impl Fn(&str, String, String) -> LogbookProblem,
        errors: &mut Vec<LogbookProblem>,
    ) -> Option<NaiveDate> {
        let Some(date) = parse_date(cell) else {
            let message = if cell.is_empty() {
                "the date is empty".to_string()
            } else {
                crate::base::text::date_problem(cell)
            };
            errors.push(problem(
                "date",
                message,
                "write the day as year-month-day, e.g. 2026-03-14; in a spreadsheet, format the column as text \
                 or as yyyy-mm-dd"
                    .into(),
            ));
            return None;
        };
        if date > self.today {
            errors.push(problem(
                "date",
                format!("{date} is in the future (today is {})", self.today),
                format!(
                    "correct the date: {} is logged after it is done",
                    crate::base::text::a(&self.gate.entry)
                ),
            ));
            return None;
        }
        if let Some(from) = self.gate.from
            && date < from
        {
            errors.push(problem(
                "date",
                format!("{date} is before the logbook's window, which starts on {from}"),
                format!(
                    "correct the date, or delete the line: {} before {from} do not count",
                    self.gate.entries
                ),
            ));
            return None;
        }
        if let Some(to) = self.gate.to
            && date > to
        {
            errors.push(problem(
                "date",
                format!("{date} is after the logbook's window, which ends on {to}"),
                format!(
                    "correct the date, or delete the line: {} after {to} do not count",
                    self.gate.entries
                ),
            ));
            return None;
        }
        Some(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Audited;

    fn gate() -> LogbookGate {
        LogbookGate {
            component: "logbook".into(),
            entry: "scan".into(),
            entries: "scans".into(),
            total: 1,
            assisted: None,
            unassisted: None,
            audited: Some(Audited::All),
            regions: vec!["knee".into(), "wrist".into()],
            region_minimum: Vec::new(),
            audited_per_region: None,
            from: None,
            to: None,
            mentor_required: false,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    }

    #[test]
    fn problems_are_bounded_and_the_rest_counted() {
        let mut text = format!("{}\n", COLUMNS.join(","));
        for i in 0..1500 {
            text.push_str(&format!("C001,2026-01-01,elbow,assisted,M,yes,{i}\n"));
        }
        let errors = parse(&text, &gate(), today()).expect_err("every line is wrong");
        assert_eq!(errors.problems.len(), MAX_PROBLEMS);
        assert_eq!(errors.more, 500);
        assert_eq!(errors.count(), 1500);
        assert_eq!(errors.problems[0].line, Some(2));
        assert_eq!(errors.problems[MAX_PROBLEMS - 1].line, Some(MAX_PROBLEMS + 1));
    }

    #[test]
    fn regions_and_words_are_read_in_any_case() {
        let text = "Candidate_ID,Date,Region,Supervision,Mentor,Audited,Reference\n\
                    C001, 2026-01-01 ,KNEE,Unassisted,,NO,x\n";
        let entries = parse(text, &gate(), today()).expect("valid");
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(
            (
                e.line,
                e.region.as_str(),
                e.supervision,
                e.audited,
                e.mentor.as_str()
            ),
            (2, "knee", Supervision::Unassisted, false, "")
        );
    }

    #[test]
    fn every_repeat_names_the_first_line() {
        let text = format!(
            "{}\nC001,2026-01-01,knee,assisted,M,yes,x\nC001,2026-01-01,knee,assisted,M,yes,y\n\
             C002,2026-01-01,knee,assisted,M,yes,x\nC001,2026-01-01,Knee,assisted,N,no,x\n\
             C001,2026-01-01,knee,unassisted,M,yes,x\nC001,2026-01-01,KNEE,ASSISTED,M,yes,x\n",
            COLUMNS.join(",")
        );
        let errors = parse(&text, &gate(), today()).expect_err("two repeats");
        let found: Vec<(Option<usize>, &str)> = errors
            .problems
            .iter()
            .map(|p| (p.line, p.message.split(':').next().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                (Some(5), "the same entry as line 2"),
                (Some(7), "the same entry as line 2")
            ]
        );
    }

    #[test]
    fn any_region_when_the_gate_lists_none() {
        let mut g = gate();
        g.regions.clear();
        let text = format!("{}\nC001,2026-01-01,Spine,assisted,M,yes,x\n", COLUMNS.join(","));
        let entries = parse(&text, &g, today()).expect("valid");
        assert_eq!(entries[0].region, "spine");
    }
}
