//! Marks captured on paper, entered into the session store: when a laptop
//! fails during an exam, the examiner marks on a paper form, and an exam
//! administrator types the forms into a CSV file in the long format of
//! `docs/import-format.md` (one line per item mark), which `osce import`
//! turns into sheets.
//!
//! Importing happens in two steps, so that a file with one bad line writes
//! nothing:
//!
//! 1. [`read_import`] reads the file with the same care as a roster (a size
//!    limit, UTF-8 only, a byte-order mark tolerated); [`parse_import`]
//!    checks every line against the rubric and gathers the lines into
//!    sheets; [`check_store`] refuses any sheet that already has a journal.
//!    Every problem is reported at once, each with its line number as a
//!    spreadsheet numbers rows (the header is line 1). [`prepare`] does all
//!    three.
//! 2. Only when nothing is wrong, [`write_plan`] writes each sheet through
//!    the store, exactly as the marking screen would have: an
//!    [`Event::Imported`] record first (naming the file, its lines and the
//!    file's BLAKE3 hash), then the candidate's name, the marks, the global
//!    rating, and the submission with its score. Writing cannot be all or
//!    nothing across many files: if the disk fails half way, the error says
//!    exactly which sheets were written, which one was cut short and which
//!    were not written.
//!
//! Existing marks are never overwritten or added to: a sheet that already
//! has a journal for this examiner and device is refused.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::base::csvin::{self, Layout, NewProblem, Problem, ReadProblem, Table};
use crate::base::ids::check_id;
use crate::rubric::{DoubleMarkingMode, Rubric, Scale, Station, did_you_mean, one_of, quoted};
use crate::scoring::{ItemMark, Standards, StationSheet, score_station};
use crate::store::{Event, GLOBAL_RATING, SheetKey, Store, StoreError, Unmarked};

/// Paper marks for a whole exam are a few thousand lines; a larger file is
/// the wrong file.
pub const MAX_IMPORT_BYTES: u64 = 8 * 1024 * 1024;

/// The columns an import file may have. The first four are required; the
/// next four are optional and used; the rest are the columns `osce export`
/// writes beside the marks in `items.csv`, accepted so that such a file can
/// be imported as it is, and read past (they are worked out again from the
/// rubric, or recorded anew).
pub const COLUMNS: [&str; 16] = [
    "candidate_id",
    "station",
    "item",
    "level",
    "candidate_name",
    "examiner",
    "note",
    "late",
    "item_text",
    "level_index",
    "marks",
    "maximum",
    "device",
    "time",
    "record",
    "imported",
];

const WIDTH: usize = COLUMNS.len();
const CANDIDATE: usize = 0;
const STATION: usize = 1;
const ITEM: usize = 2;
const LEVEL: usize = 3;
const NAME: usize = 4;
const EXAMINER: usize = 5;
const NOTE: usize = 6;
const LATE: usize = 7;

/// The columns in words, for messages.
const COLUMNS_LIST: &str = "candidate_id, station, item and level, and optionally candidate_name, examiner, note \
                            and late; the other columns of osce export's items.csv are accepted and read past";

/// `item` of a line that gives the candidate's absence; `level` holds the reason.
pub const ABSENT: &str = "absent";
/// `item` of a line that gives the feedback for the candidate; `level` holds it.
pub const FEEDBACK: &str = "feedback";
/// `item` of a line that gives the examiner's private notes; `level` holds them.
pub const NOTES: &str = "notes";
/// `level` of an item that the examiner did not see (where its scale allows).
pub const NOT_OBSERVED: &str = "not observed";

// ---------------------------------------------------------------------------
// Problems

/// One problem in an import file: where it is (line and column), what is
/// wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// The line as a spreadsheet numbers rows (the header is line 1).
    pub line: Option<usize>,
    /// The column's name as the format spells it (or as the header wrote
    /// it, for an unknown column).
    pub column: Option<String>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

/// Problems found by the reading shared with the roster (`ImportProblem::new`
/// comes from [`NewProblem`] too).
impl From<Problem> for ImportProblem {
    fn from(p: Problem) -> Self {
        ImportProblem {
            line: p.at,
            column: p.column,
            message: p.message,
            help: p.help,
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (column, help) = (self.column.as_deref(), self.help.as_deref());
        csvin::write_problem(f, "line", self.line, column, &self.message, help)
    }
}

/// Everything wrong with an import file, in the order of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    pub problems: Vec<ImportProblem>,
}

impl ImportErrors {
    fn sorted(mut problems: Vec<ImportProblem>) -> ImportErrors {
        // Stable: the problems of one line keep the order they were found in.
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        ImportErrors { problems }
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        csvin::write_lines(f, &self.problems)
    }
}

impl std::error::Error for ImportErrors {}

/// Why an import file cannot be imported. [`ImportError::is_io`] tells a
/// problem reaching the file or the sessions folder (exit code 2) from a
/// mistake in the file (exit code 1). Every message starts with the file's
/// name.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read the marks file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: is a folder, not a marks file")]
    IsDirectory { path: PathBuf },
    #[error(
        "{path}: is larger than {} MiB, too large to be a file of paper marks; check you named the right file",
        MAX_IMPORT_BYTES / 1024 / 1024
    )]
    TooLarge { path: PathBuf },
    #[error(
        "{path}:{line}:{column}: is not UTF-8 text: {why}; save the marks as \
         \"CSV UTF-8 (Comma delimited)\" in Excel, or as UTF-8 CSV in other programs"
    )]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
        why: String,
    },
    #[error("{}", csvin::prefix_lines(path, &errors.problems))]
    Invalid { path: PathBuf, errors: ImportErrors },
    #[error("cannot look in the sessions folder: {0}")]
    Store(#[from] StoreError),
}

impl ImportError {
    /// Whether a file could not be read or looked at (missing, a folder,
    /// too large, not text), as opposed to being read and found wrong.
    pub fn is_io(&self) -> bool {
        !matches!(self, ImportError::Invalid { .. })
    }

    /// Why `path` could not be read, in the wording of marks files.
    fn reading(path: &Path, problem: ReadProblem) -> Self {
        let path = path.to_path_buf();
        match problem {
            ReadProblem::Io(source) => ImportError::Io { path, source },
            ReadProblem::IsDirectory => ImportError::IsDirectory { path },
            ReadProblem::TooLarge => ImportError::TooLarge { path },
            ReadProblem::NotText { line, column, why } => ImportError::NotText {
                path,
                line,
                column,
                why,
            },
        }
    }
}

// ---------------------------------------------------------------------------
// Reading the file

/// An import file's text, and the BLAKE3 hash (hex) of its bytes as they are
/// on disk (`b3sum` prints the same), recorded with every imported sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    pub text: String,
    pub blake3: String,
}

/// Reads an import file as UTF-8 text, refusing folders, huge files and
/// binary data, as the roster reader does.
pub fn read_import(path: &Path) -> Result<ImportFile, ImportError> {
    let reading = |problem| ImportError::reading(path, problem);
    let bytes = csvin::read_capped(path, MAX_IMPORT_BYTES).map_err(reading)?;
    let blake3 = blake3::hash(&bytes).to_hex().to_string();
    let text = csvin::decode(bytes).map_err(reading)?;
    Ok(ImportFile { text, blake3 })
}

// ---------------------------------------------------------------------------
// The plan: what will be written

/// Who marked the paper forms, and the device id their sheets are filed
/// under (`paper` unless told otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub examiner: String,
    pub device: String,
}

/// One sheet to write: a candidate at a station, gathered from the lines
/// of the file that name them.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetPlan {
    pub key: SheetKey,
    /// The lines of the file it was gathered from, in order.
    pub lines: Vec<usize>,
    /// Everything to append, in order: [`Event::Imported`] first,
    /// [`Event::Submitted`] last.
    pub events: Vec<Event>,
    /// How many items are marked (a level or "not observed").
    pub marks: usize,
    /// The global rating's label, if one is given.
    pub global_rating: Option<String>,
    /// The reason, if the candidate was absent.
    pub absent: Option<String>,
    /// What the submission records: as the marking screen computes it.
    pub score: f64,
    pub max: f64,
    pub outcome: String,
}

/// Everything a valid import file will write, sheet by sheet in the order
/// of their first lines, with warnings about things that are allowed but
/// may not be meant.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub sheets: Vec<SheetPlan>,
    pub warnings: Vec<ImportProblem>,
}

impl ImportPlan {
    /// Item marks over all sheets.
    pub fn marks(&self) -> usize {
        self.sheets.iter().map(|s| s.marks).sum()
    }
}

/// Reads, checks and plans an import: [`read_import`], [`parse_import`] and
/// [`check_store`], with every problem of the last two reported together.
pub fn prepare(
    path: &Path,
    rubric: &Rubric,
    rubric_hash: &str,
    marker: &Marker,
    store: &Store,
) -> Result<ImportPlan, ImportError> {
    let file = read_import(path)?;
    let name = path.display().to_string();
    let invalid = |problems| ImportError::Invalid {
        path: path.to_path_buf(),
        errors: ImportErrors::sorted(problems),
    };
    let mut plan = parse_import(&file.text, &name, &file.blake3, rubric, marker)
        .map_err(|errors| invalid(errors.problems))?;
    let (errors, warnings) = check_store(&plan, rubric, rubric_hash, store)?;
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    plan.warnings.extend(warnings);
    plan.warnings.sort_by_key(|p| p.line.unwrap_or(0));
    Ok(plan)
}

/// Checks import text against the rubric and gathers its lines into
/// sheets for `marker`. `file_name` and `blake3` (the hash of the file's
/// bytes) are recorded in each sheet's [`Event::Imported`]. On success,
/// the plan; otherwise every problem found.
pub fn parse_import(
    text: &str,
    file_name: &str,
    blake3: &str,
    rubric: &Rubric,
    marker: &Marker,
) -> Result<ImportPlan, ImportErrors> {
    let mut errors: Vec<ImportProblem> = Vec::new();
    let mut table = match Table::open(text, |c| unprotect(c.trim()), layout(), &mut errors) {
        Ok(Some(table)) => table,
        Ok(None) => {
            return Err(ImportErrors::sorted(vec![ImportProblem::new(
                Some(1),
                None,
                "the file is empty",
                format!(
                    "the first line names the columns, e.g. {}; then one line per mark",
                    COLUMNS[..4].join(",")
                ),
            )]));
        }
        Err(problems) => return Err(ImportErrors::sorted(problems)),
    };
    let mut gather = Gather::default();
    let mut data_lines = 0usize;
    while let Some((line, cells)) = table.next_row(&mut errors) {
        data_lines += 1;
        if let Some(cells) = table.cells(line, &cells, &mut errors) {
            gather.line(rubric, marker, Row { line, cells }, &mut errors);
        }
    }
    table.unnamed_columns(&mut errors);
    if data_lines == 0 {
        errors.push(ImportProblem::new(
            Some(2),
            None,
            "the file has a header but no marks",
            "add one line per item mark below the header",
        ));
    }
    let sheets = gather.finish(rubric, marker, file_name, blake3, &mut errors);
    if !errors.is_empty() {
        return Err(ImportErrors::sorted(errors));
    }
    Ok(ImportPlan {
        sheets,
        warnings: Vec::new(),
    })
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return as a formula; CSV files meant for spreadsheets (such
/// as `osce export`'s) protect such cells with a leading apostrophe, which
/// is taken off again here.
fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.trim(),
        _ => cell,
    }
}

// ---------------------------------------------------------------------------
// The header and the cells of one line

/// The import file's columns, and the wording of the problems the shared
/// header reading finds with them.
fn layout() -> Layout<WIDTH> {
    let allowed = format!("an import file has the columns {COLUMNS_LIST}");
    Layout {
        columns: COLUMNS,
        required: &[CANDIDATE, STATION, ITEM, LEVEL],
        row: "line",
        example: COLUMNS[..4].join(","),
        short_row: "C001,shoulder,lhb,Done,,",
        unknown_help: format!("rename or delete it; {allowed}"),
        missing_help: allowed.clone(),
        unnamed_help: format!("name the column in the header, or delete it: {allowed}"),
        allowed,
    }
}

/// The cells of one line, by column; empty where the column is absent.
struct Row<'a> {
    line: usize,
    cells: [&'a str; WIDTH],
}

// ---------------------------------------------------------------------------
// Gathering lines into sheets

/// What one line says, once checked.
enum Entry {
    /// An item (by index into the station's items) at a level, or `None`
    /// for "not observed".
    Mark(usize, Option<usize>),
    /// An item (by index) left blank on the paper form, with the reason.
    Blank(usize, String),
    Global(usize),
    GlobalBlank(String),
    Absent(String),
    Feedback(String),
    Notes(String),
}

/// One candidate at one station, as gathered so far.
struct SheetRows<'r> {
    candidate: String,
    station: &'r Station,
    lines: Vec<usize>,
    /// Item indices with a line (valid or not), and `GLOBAL_RATING`'s slot
    /// at `station.items.len()`: what the completeness check looks at.
    present: Vec<bool>,
    /// Item index → (level, or `None` for not observed; late).
    marks: BTreeMap<usize, (Option<usize>, bool)>,
    blanks: BTreeMap<usize, String>,
    /// (level, late).
    global: Option<(usize, bool)>,
    global_blank: Option<String>,
    absent: Option<String>,
    /// The line that says the candidate was absent (even if it is wrong).
    absent_line: Option<usize>,
    /// Lines for an item or the global rating (even wrong ones): an absent
    /// candidate has none.
    marked_lines: Vec<usize>,
    feedback: Option<String>,
    notes: Option<String>,
    /// Notes written beside marks: (item id, note).
    item_notes: Vec<(String, String)>,
    /// One of its lines is wrong (and reported).
    invalid: bool,
    /// One of its lines names an item the station does not have.
    unknown_item: bool,
}

#[derive(Default)]
struct Gather<'r> {
    sheets: Vec<SheetRows<'r>>,
    /// (candidate id in lower case, station id) → index into `sheets`.
    index: HashMap<(String, String), usize>,
    /// Candidate id in lower case → (id as first written, its line).
    candidates: HashMap<String, (String, usize)>,
    /// Candidate id in lower case → (name, line where first given).
    names: HashMap<String, (String, usize)>,
    /// (candidate lower case, station, item or special word) → first line.
    seen: HashMap<(String, String, String), usize>,
}

impl<'r> Gather<'r> {
    /// Checks one line and adds it to its sheet; problems go to `errors`.
    fn line(&mut self, rubric: &'r Rubric, marker: &Marker, row: Row<'_>, errors: &mut Vec<ImportProblem>) {
        let line = row.line;
        let cell = |k: usize| row.cells[k];
        let problem = |column: &str, message: String, help: &str| {
            ImportProblem::new(Some(line), Some(column), message, help.to_string())
        };
        let before = errors.len();

        let examiner = cell(EXAMINER);
        if !examiner.is_empty() && examiner != marker.examiner {
            errors.push(problem(
                "examiner",
                format!(
                    "this line is examiner {}'s, but the marks are being imported for examiner \"{}\" \
                     (--examiner)",
                    quoted(examiner),
                    marker.examiner
                ),
                "import each examiner's paper marks separately, with their own --examiner; or correct the \
                 examiner on this line",
            ));
        }

        let id = crate::base::ids::normalise(cell(CANDIDATE));
        let id = id.as_str();
        let candidate = if id.is_empty() {
            errors.push(problem(
                "candidate_id",
                "the candidate id is empty".into(),
                "write the candidate's id from the roster, such as C001",
            ));
            None
        } else if let Err(why) = check_id(id) {
            errors.push(problem(
                "candidate_id",
                format!("the candidate id is not usable: {why}"),
                "write the candidate's id from the roster, such as C001; the name goes in candidate_name",
            ));
            None
        } else {
            match self.candidates.get(&id.to_lowercase()) {
                Some((first, at)) if first != id => {
                    errors.push(problem(
                        "candidate_id",
                        format!(
                            "candidate id {} differs from {} on line {at} only in capitals",
                            quoted(id),
                            quoted(first)
                        ),
                        "write each candidate's id the same way on every line",
                    ));
                    None
                }
                Some(_) => Some(id),
                None => {
                    self.candidates.insert(id.to_lowercase(), (id.to_string(), line));
                    Some(id)
                }
            }
        };

        let name = cell(NAME);
        if !name.is_empty() {
            if let Some(message) = bad_text(name, false) {
                errors.push(problem(
                    "candidate_name",
                    format!("the name {message}"),
                    "retype the name; it is shown to confirm who the marks belong to",
                ));
            } else if let Some(c) = candidate {
                match self.names.get(&c.to_lowercase()) {
                    Some((first, at)) if first != name => errors.push(problem(
                        "candidate_name",
                        format!(
                            "candidate {c} is named {} here but {} on line {at}",
                            quoted(name),
                            quoted(first)
                        ),
                        "a candidate has one name: correct the name or the candidate id",
                    )),
                    Some(_) => {}
                    None => {
                        self.names.insert(c.to_lowercase(), (name.to_string(), line));
                    }
                }
            }
        }

        let late = match cell(LATE).to_lowercase().as_str() {
            "" | "no" => false,
            "yes" => true,
            other => {
                errors.push(problem(
                    "late",
                    format!("late is {}", quoted(other)),
                    "write yes for a mark made after the station's time was up, else no or nothing",
                ));
                false
            }
        };

        let station = station_of(rubric, cell(STATION), line, errors);
        let entry = station.and_then(|s| entry_of(rubric, s, &row, errors));

        let (Some(candidate), Some(station), Some((key, entry))) = (candidate, station, entry) else {
            // A line naming an item its station does not have (reported):
            // the sheet is not also said to lack the item meant, which the
            // line's own problem names.
            if let (Some(candidate), Some(station)) = (candidate, station) {
                let sheet = self.sheet(candidate, station);
                sheet.lines.push(line);
                sheet.unknown_item = true;
                sheet.invalid = true;
            }
            return;
        };
        let seen = (candidate.to_lowercase(), station.id.clone(), key.clone());
        if let Some(first) = self.seen.get(&seen) {
            let what = match key.as_str() {
                GLOBAL_RATING => "the global rating".to_string(),
                ABSENT => "an absence".to_string(),
                FEEDBACK => "the feedback".to_string(),
                NOTES => "the notes".to_string(),
                item => format!("item \"{item}\""),
            };
            errors.push(ImportProblem::new(
                Some(line),
                Some("item"),
                format!(
                    "line {first} already gives {what} for candidate {candidate} at station {}",
                    station.id
                ),
                "a sheet has one line per item: delete one of the two lines, or correct its candidate, station \
                 or item",
            ));
            return;
        }
        self.seen.insert(seen, line);
        let sheet = self.sheet(candidate, station);
        sheet.lines.push(line);
        // What the line is for counts even when the line is wrong, so that
        // the sheet is not also reported as missing it.
        match &entry {
            Entry::Mark(i, _) | Entry::Blank(i, _) => {
                sheet.present[*i] = true;
                sheet.marked_lines.push(line);
            }
            Entry::Global(_) | Entry::GlobalBlank(_) => {
                sheet.present[station.items.len()] = true;
                sheet.marked_lines.push(line);
            }
            Entry::Absent(_) => sheet.absent_line = Some(line),
            Entry::Feedback(_) | Entry::Notes(_) => {}
        }
        if errors.len() > before {
            // Nothing from a bad line is used.
            sheet.invalid = true;
            return;
        }
        // The note osce export gives a mark made in an amendment says so;
        // it is the record's, not a note written beside the mark on paper.
        let note = match cell(NOTE) {
            n if n.starts_with(crate::store::AMENDED_WORDS) => "",
            n => n,
        };
        match entry {
            Entry::Mark(i, level) => {
                sheet.marks.insert(i, (level, late));
                if !note.is_empty() {
                    sheet.item_notes.push((key, note.to_string()));
                }
            }
            Entry::Global(level) => {
                sheet.global = Some((level, late));
                if !note.is_empty() {
                    sheet.item_notes.push((key, note.to_string()));
                }
            }
            Entry::Blank(i, reason) => {
                sheet.blanks.insert(i, reason);
            }
            Entry::GlobalBlank(reason) => sheet.global_blank = Some(reason),
            Entry::Absent(reason) => sheet.absent = Some(reason),
            Entry::Feedback(text) => sheet.feedback = Some(text),
            Entry::Notes(text) => sheet.notes = Some(text),
        }
    }

    fn sheet(&mut self, candidate: &str, station: &'r Station) -> &mut SheetRows<'r> {
        let key = (candidate.to_lowercase(), station.id.clone());
        let i = *self.index.entry(key).or_insert_with(|| {
            self.sheets.push(SheetRows {
                candidate: candidate.to_string(),
                station,
                lines: Vec::new(),
                present: vec![false; station.items.len() + 1],
                marks: BTreeMap::new(),
                blanks: BTreeMap::new(),
                global: None,
                global_blank: None,
                absent: None,
                absent_line: None,
                marked_lines: Vec::new(),
                feedback: None,
                notes: None,
                item_notes: Vec::new(),
                invalid: false,
                unknown_item: false,
            });
            self.sheets.len() - 1
        });
        &mut self.sheets[i]
    }

    /// Checks each sheet as a whole and turns it into what will be written.
    fn finish(
        self,
        rubric: &Rubric,
        marker: &Marker,
        file_name: &str,
        blake3: &str,
        errors: &mut Vec<ImportProblem>,
    ) -> Vec<SheetPlan> {
        let mut plans = Vec::new();
        for sheet in self.sheets {
            let name = self
                .names
                .get(&sheet.candidate.to_lowercase())
                .map(|(n, _)| n.clone());
            if let Some(plan) = sheet.plan(rubric, marker, name, file_name, blake3, errors) {
                plans.push(plan);
            }
        }
        plans
    }
}

impl SheetRows<'_> {
    fn plan(
        self,
        rubric: &Rubric,
        marker: &Marker,
        name: Option<String>,
        file_name: &str,
        blake3: &str,
        errors: &mut Vec<ImportProblem>,
    ) -> Option<SheetPlan> {
        let station = self.station;
        let first = self.lines.first().copied();
        let whose = format!(
            "candidate {} at station {} ({})",
            self.candidate,
            station.id,
            lines_list(&self.lines)
        );
        if let Some(line) = self.absent_line {
            if !self.marked_lines.is_empty() {
                errors.push(ImportProblem::new(
                    Some(line),
                    Some("item"),
                    format!(
                        "{whose} is absent, but has marks on {}",
                        lines_list(&self.marked_lines)
                    ),
                    "an absent candidate has no marks: delete the absent line, or the marks",
                ));
                return None;
            }
        } else {
            let items: Vec<String> = station
                .items
                .iter()
                .enumerate()
                .filter(|(i, _)| !self.present[*i])
                .map(|(_, item)| format!("\"{}\"", item.id))
                .collect();
            let no_global = station.global_rating.is_some() && !self.present[station.items.len()];
            let missing = match (items.as_slice(), no_global) {
                ([], false) => String::new(),
                ([], true) => "the global rating".to_string(),
                ([one], _) => format!("item {one}"),
                (_, _) => format!("items {}", and_list(&items)),
            };
            let missing = if no_global && !items.is_empty() {
                format!("{missing}, nor for the global rating")
            } else {
                missing
            };
            if !missing.is_empty() && !self.unknown_item {
                errors.push(ImportProblem::new(
                    first,
                    None,
                    format!("{whose} has no line for {missing}"),
                    format!(
                        "every item of the station{} needs a line; if the paper form left one blank, leave its \
                         level empty and write why in note; if the candidate did not attend, give one line with \
                         item \"{ABSENT}\" and the reason as its level",
                        if station.global_rating.is_some() {
                            " and its global rating"
                        } else {
                            ""
                        }
                    ),
                ));
                return None;
            }
        }
        if self.invalid {
            // Its lines are reported already; nothing of it is written.
            return None;
        }

        let mut events = vec![Event::Imported {
            source: format!("{file_name} {} (BLAKE3 {blake3})", lines_list(&self.lines)),
        }];
        if let Some(name) = &name {
            events.push(Event::Confirmed {
                candidate_name: name.clone(),
            });
        }
        let mut sheet = StationSheet::default();
        if let Some(reason) = &self.absent {
            events.push(Event::Absent {
                reason: reason.clone(),
            });
            sheet.absent = Some(reason.clone());
        }
        for (i, (level, late)) in &self.marks {
            let item = &station.items[*i];
            let scale = rubric.scale(item.scale);
            events.push(Event::Mark {
                item: item.id.clone(),
                level: *level,
                label: level.map_or(NOT_OBSERVED.to_string(), |l| scale.levels[l].label.clone()),
                late: *late,
            });
            let mark = level.map_or(ItemMark::NotObserved, ItemMark::Level);
            sheet.marks.insert(item.id.as_str().into(), mark);
        }
        let mut global_label = None;
        if let (Some((level, late)), Some(global)) = (self.global, &station.global_rating) {
            let label = rubric.scale(global.scale).levels[level].label.clone();
            events.push(Event::GlobalRating {
                level,
                label: label.clone(),
                late,
            });
            sheet.global_rating = Some(level);
            global_label = Some(label);
        }
        for (i, reason) in &self.blanks {
            events.push(Event::MissingReason {
                what: Unmarked::item(&station.items[*i].id),
                reason: reason.clone(),
            });
        }
        if let Some(reason) = &self.global_blank {
            events.push(Event::MissingReason {
                what: Unmarked::GlobalRating,
                reason: reason.clone(),
            });
        }
        if let Some(text) = &self.feedback {
            events.push(Event::Feedback { text: text.clone() });
        }
        let mut notes: Vec<String> = self.notes.iter().cloned().collect();
        notes.extend(
            self.item_notes
                .iter()
                .map(|(item, note)| format!("{item}: {note}")),
        );
        if !notes.is_empty() {
            events.push(Event::Notes {
                text: notes.join("\n"),
            });
        }

        let result = match score_station(rubric, station, Some(&sheet), &Standards::default()) {
            Ok(result) if result.score.is_finite() && result.max.is_finite() => result,
            Ok(_) => {
                errors.push(ImportProblem::new(
                    first,
                    None,
                    format!("{whose}: the score cannot be worked out"),
                    "this is a bug in osce, please report it",
                ));
                return None;
            }
            Err(e) => {
                errors.push(ImportProblem::new(
                    first,
                    None,
                    format!("{whose}: {e}"),
                    "this is a bug in osce, please report it",
                ));
                return None;
            }
        };
        let outcome = result.outcome;
        events.push(Event::Submitted {
            score: result.score,
            max: result.max,
            outcome,
        });
        Some(SheetPlan {
            key: SheetKey {
                assessment: rubric.id.clone(),
                station: station.id.clone(),
                candidate: self.candidate,
                examiner: marker.examiner.clone(),
                device: marker.device.clone(),
            },
            lines: self.lines,
            events,
            marks: self.marks.len(),
            global_rating: global_label,
            absent: self.absent,
            score: result.score,
            max: result.max,
            outcome: outcome.to_string(),
        })
    }
}

/// The station a line names, if it is a scored station of the rubric.
fn station_of<'r>(
    rubric: &'r Rubric,
    id: &str,
    line: usize,
    errors: &mut Vec<ImportProblem>,
) -> Option<&'r Station> {
    let ids: Vec<&str> = rubric.scored_stations().map(|s| s.id.as_str()).collect();
    if id.is_empty() {
        errors.push(ImportProblem::new(
            Some(line),
            Some("station"),
            "the station is empty",
            format!("write the station's id from the rubric: {}", one_of(&ids)),
        ));
        return None;
    }
    match rubric.station(id) {
        Some(station) if station.rest => {
            errors.push(ImportProblem::new(
                Some(line),
                Some("station"),
                format!("{} is a rest station: there is nothing to mark there", quoted(id)),
                format!(
                    "check the station on the paper form; the marked stations are {}",
                    one_of(&ids)
                ),
            ));
            None
        }
        Some(station) => Some(station),
        None => {
            // Administrators may copy a station's title rather than its id.
            let wanted = id.to_lowercase();
            let by_title = rubric
                .scored_stations()
                .find(|s| s.title.to_lowercase() == wanted)
                .map(|s| s.id.as_str());
            let hint = csvin::hint(by_title.or_else(|| did_you_mean(id, ids.iter().copied())));
            errors.push(ImportProblem::new(
                Some(line),
                Some("station"),
                format!("there is no station {}", quoted(id)),
                format!(
                    "{hint}station must be a station id of the rubric: {}",
                    one_of(&ids)
                ),
            ));
            None
        }
    }
}

/// What a line gives at `station`, with the key its duplicates are found
/// by (the item id, or the special word).
fn entry_of(
    rubric: &Rubric,
    station: &Station,
    row: &Row<'_>,
    errors: &mut Vec<ImportProblem>,
) -> Option<(String, Entry)> {
    let line = row.line;
    let item = row.cells[ITEM];
    let level = row.cells[LEVEL];
    let note = row.cells[NOTE];
    let problem = |column: &str, message: String, help: String| {
        ImportProblem::new(Some(line), Some(column), message, help)
    };
    if item.is_empty() {
        errors.push(problem(
            "item",
            "the item is empty".into(),
            format!("write the item's id from the rubric: {}", item_ids(station)),
        ));
        return None;
    }
    // A station's own item comes first, should one be named like a special line.
    if let Some(i) = station.items.iter().position(|it| it.id == item) {
        let it = &station.items[i];
        let scale = rubric.scale(it.scale);
        if level.is_empty() {
            let reason = blank(note, line, &format!("item \"{item}\""), errors);
            return Some((item.to_string(), Entry::Blank(i, reason)));
        }
        return match level_of(scale, level) {
            Ok(l) => Some((item.to_string(), Entry::Mark(i, l))),
            Err(Refused::NotObserved) => {
                errors.push(problem(
                    "level",
                    format!("item \"{item}\" cannot be \"{NOT_OBSERVED}\": its scale \"{}\" does not allow it", scale.id),
                    format!(
                        "give one of its levels, {}; or, if the paper form left it blank, leave the level empty and \
                         write why in note",
                        labels(scale)
                    ),
                ));
                // The line is there, so the item is not missing too.
                Some((item.to_string(), Entry::Mark(i, None)))
            }
            Err(Refused::Unknown(hint)) => {
                errors.push(problem(
                    "level",
                    format!("item \"{item}\" has no level {}", quoted(level)),
                    format!(
                        "{hint}its levels are {}{}",
                        labels(scale),
                        if scale.not_observed {
                            format!(", or \"{NOT_OBSERVED}\"")
                        } else {
                            String::new()
                        }
                    ),
                ));
                Some((item.to_string(), Entry::Mark(i, None)))
            }
        };
    }
    let special = item.to_lowercase();
    // The text of a line that holds text in its level column (if wrong,
    // the problem is reported).
    let text_only = |what: &str, errors: &mut Vec<ImportProblem>| -> String {
        if !note.is_empty() {
            errors.push(problem(
                "note",
                format!("a line with the {what} has nothing to do with note"),
                format!("put the {what} in the level column, and leave note empty"),
            ));
        }
        if level.is_empty() {
            errors.push(problem(
                "level",
                format!("the {what} is empty"),
                format!("write the {what} in the level column, or delete the line"),
            ));
        } else if let Some(message) = bad_text(level, true) {
            errors.push(problem(
                "level",
                format!("the {what} {message}"),
                "retype it".into(),
            ));
        }
        level.to_string()
    };
    match special.as_str() {
        GLOBAL_RATING => {
            let Some(global) = &station.global_rating else {
                errors.push(problem(
                    "item",
                    format!("station \"{}\" has no global rating", station.id),
                    format!("delete the line; the station's items are {}", item_ids(station)),
                ));
                return None;
            };
            let scale = rubric.scale(global.scale);
            if level.is_empty() {
                let reason = blank(note, line, "the global rating", errors);
                return Some((GLOBAL_RATING.to_string(), Entry::GlobalBlank(reason)));
            }
            match level_of(scale, level) {
                Ok(Some(l)) => Some((GLOBAL_RATING.to_string(), Entry::Global(l))),
                Ok(None) | Err(Refused::NotObserved) => {
                    errors.push(problem(
                        "level",
                        format!("the global rating cannot be \"{NOT_OBSERVED}\""),
                        format!(
                            "give one of its levels, {}; or, if the paper form left it blank, leave the level empty \
                             and write why in note",
                            labels(scale)
                        ),
                    ));
                    Some((GLOBAL_RATING.to_string(), Entry::Global(0)))
                }
                Err(Refused::Unknown(hint)) => {
                    errors.push(problem(
                        "level",
                        format!("the global rating has no level {}", quoted(level)),
                        format!("{hint}its levels are {}", labels(scale)),
                    ));
                    Some((GLOBAL_RATING.to_string(), Entry::Global(0)))
                }
            }
        }
        ABSENT => Some((
            ABSENT.to_string(),
            Entry::Absent(text_only("reason for the absence", errors)),
        )),
        FEEDBACK => Some((
            FEEDBACK.to_string(),
            Entry::Feedback(text_only("feedback", errors)),
        )),
        NOTES => Some((NOTES.to_string(), Entry::Notes(text_only("notes", errors)))),
        _ => {
            let mut names: Vec<&str> = station.items.iter().map(|i| i.id.as_str()).collect();
            let specials = [GLOBAL_RATING, ABSENT, FEEDBACK, NOTES];
            names.extend(specials);
            // Administrators may copy an item's text rather than its id.
            let wanted = item.to_lowercase();
            let by_text = station
                .items
                .iter()
                .find(|i| i.text.to_lowercase() == wanted)
                .map(|i| i.id.as_str());
            let hint = csvin::hint(by_text.or_else(|| did_you_mean(item, names.iter().copied())));
            errors.push(problem(
                "item",
                format!("station \"{}\" has no item {}", station.id, quoted(item)),
                format!(
                    "{hint}its items are {}; other lines may give {}",
                    item_ids(station),
                    one_of(&specials)
                ),
            ));
            None
        }
    }
}

/// The reason an item or the global rating was left blank on paper: the
/// note, which must be given (if not, the problem is reported).
fn blank(note: &str, line: usize, what: &str, errors: &mut Vec<ImportProblem>) -> String {
    if note.is_empty() {
        errors.push(ImportProblem::new(
            Some(line),
            Some("level"),
            format!("the level of {what} is empty"),
            "write the level as the paper form gives it; if the form left it blank, write why in note, such as \
             \"not marked on the paper form\"",
        ));
    } else if let Some(message) = bad_text(note, true) {
        errors.push(ImportProblem::new(
            Some(line),
            Some("note"),
            format!("the note {message}"),
            "retype it",
        ));
    }
    note.to_string()
}

enum Refused {
    NotObserved,
    /// With a "did you mean" hint, or nothing.
    Unknown(String),
}

/// The level a label names on `scale`: its index, or `None` for "not
/// observed". Labels are matched exactly, else ignoring capitals and extra
/// spaces; "not observed" ignoring capitals, where the scale allows it.
fn level_of(scale: &Scale, label: &str) -> Result<Option<usize>, Refused> {
    if let Some(i) = scale.level_index(label) {
        return Ok(Some(i));
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let wanted = squash(label);
    let matches: Vec<usize> = (0..scale.levels.len())
        .filter(|&i| squash(&scale.levels[i].label) == wanted)
        .collect();
    if let [only] = matches.as_slice() {
        return Ok(Some(*only));
    }
    if wanted == NOT_OBSERVED {
        return if scale.not_observed {
            Ok(None)
        } else {
            Err(Refused::NotObserved)
        };
    }
    let names: Vec<&str> = scale.levels.iter().map(|l| l.label.as_str()).collect();
    Err(Refused::Unknown(csvin::hint(did_you_mean(label, names))))
}

fn labels(scale: &Scale) -> String {
    let names: Vec<&str> = scale.levels.iter().map(|l| l.label.as_str()).collect();
    one_of(&names)
}

fn item_ids(station: &Station) -> String {
    let ids: Vec<&str> = station.items.iter().map(|i| i.id.as_str()).collect();
    one_of(&ids)
}

/// What is wrong with a piece of text, if anything: control characters,
/// and line breaks where `multi_line` is false.
fn bad_text(text: &str, multi_line: bool) -> Option<String> {
    let c = text
        .chars()
        .find(|&c| c.is_control() && !(multi_line && matches!(c, '\n' | '\r' | '\t')))?;
    Some(if c == '\n' || c == '\r' {
        "runs over more than one line (a double quote on this line may be missing its closing partner)"
            .to_string()
    } else {
        format!("contains an invisible control character (U+{:04X})", u32::from(c))
    })
}

// ---------------------------------------------------------------------------
// The sessions folder

/// Checks the plan against the sessions folder. Errors: a sheet that
/// already has a journal for this examiner and device (osce never adds to
/// or overwrites marks already saved). Warnings: the same candidate and
/// station already marked on another device, or by another examiner where
/// the rubric has no double marking: `osce status` will show a conflict.
///
/// An empty journal file (0 bytes) holds no marks and does not count: one
/// is left behind when a write fails at the very start of a sheet.
pub fn check_store(
    plan: &ImportPlan,
    rubric: &Rubric,
    rubric_hash: &str,
    store: &Store,
) -> Result<(Vec<ImportProblem>, Vec<ImportProblem>), StoreError> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let others = store.sheets(&rubric.id)?;
    let double_marking = rubric.double_marking.mode != DoubleMarkingMode::None;
    for sheet in &plan.sheets {
        let key = &sheet.key;
        let first = sheet.lines.first().copied();
        let whose = format!("candidate {} at station {}", key.candidate, key.station);
        let path = store.sheet_path(key)?;
        if let Some((place, what)) = unusable(&path)? {
            errors.push(ImportProblem::new(
                first,
                None,
                format!("{whose} cannot be filed: {} is {what}", place.display()),
                "osce writes only to plain files and folders, never through a symbolic link: replace it with \
                 the real folder, or use another sessions folder",
            ));
            continue;
        }
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::Io { path, source: e }),
            Ok(meta) if meta.is_file() && meta.len() == 0 => {}
            Ok(_) => {
                // A sheet imported with another copy of the rubric (one the
                // exam edited, say): not to be amended, but set aside.
                let other_rubric = crate::store::read_sheet(&path)
                    .ok()
                    .and_then(|r| r.records.first().map(|r| r.rubric.clone()))
                    .filter(|found| found != rubric_hash);
                errors.push(ImportProblem::new(
                    first,
                    None,
                    format!(
                        "{whose} already has a sheet from examiner {} on device {}: {}{}",
                        key.examiner,
                        key.device,
                        path.display(),
                        other_rubric
                            .as_deref()
                            .map(|found| format!(
                                ", marked against another rubric (identity {}, this one's is {})",
                                crate::results::gather::short_hash(found),
                                crate::results::gather::short_hash(rubric_hash)
                            ))
                            .unwrap_or_default()
                    ),
                    if other_rubric.is_some() {
                        format!(
                            "osce never adds to or overwrites marks already saved. If that sheet was imported with \
                             the wrong rubric file, import this one with another device name (--device {}-2, \
                             say), and the exam lead sets the other aside (osce decide void, as osce status \
                             --problems says)",
                            key.device
                        )
                    } else {
                        "osce never adds to or overwrites marks already saved. If this file was imported before, \
                         those marks are in already: delete these lines and import the rest. To correct a saved \
                         sheet, amend it in osce score"
                            .to_string()
                    },
                ));
            }
        }
        // This file's hash, as its sheets record where they came from.
        let file_hash = sheet.events.iter().find_map(|e| match e {
            Event::Imported { source } => source.rfind("(BLAKE3 ").map(|at| source[at..].to_string()),
            _ => None,
        });
        for (other, other_path) in &others {
            if other.candidate != key.candidate
                || other.station != key.station
                || (other.examiner == key.examiner && other.device == key.device)
            {
                continue;
            }
            // The same file imported before under another device name:
            // its marks are in already, and a second copy would be a
            // conflict at every sheet.
            let same_file = file_hash.as_deref().is_some_and(|hash| {
                crate::store::read_sheet(other_path).is_ok_and(|r| {
                    r.records.iter().any(|record| {
                        matches!(&record.event, Event::Imported { source } if source.ends_with(hash))
                    })
                })
            });
            if same_file {
                errors.push(ImportProblem::new(
                    first,
                    None,
                    format!(
                        "{whose}: this file was imported already, as examiner {} on device {} ({})",
                        other.examiner,
                        other.device,
                        other_path.display()
                    ),
                    "its marks are in already: importing it again under another device name would put a second \
                     copy of each sheet beside the first, a conflict at every one. To correct a saved sheet, amend \
                     it in osce score",
                ));
                continue;
            }
            let conflict = if other.examiner == key.examiner {
                format!(
                    "examiner {} also has a sheet for {whose} on device {} ({}): osce status will show the two \
                     as a conflict for the exam lead to resolve",
                    other.examiner,
                    other.device,
                    other_path.display()
                )
            } else if !double_marking {
                format!(
                    "examiner {} has also marked {whose} ({}), and the rubric has no double marking: osce status \
                     will show the two as a conflict for the exam lead to resolve",
                    other.examiner,
                    other_path.display()
                )
            } else {
                continue;
            };
            warnings.push(ImportProblem::new(
                first,
                None,
                conflict,
                "that is expected if a laptop failed part way through this sheet",
            ));
        }
    }
    Ok((errors, warnings))
}

/// The first folder on the way to a journal (below the sessions folder), or
/// the journal itself, that the store would refuse to write through: a
/// symbolic link, or not a folder (not a plain file, for the journal).
/// Checked before writing, so that the store's refusal does not come half
/// way through an import.
fn unusable(journal: &Path) -> Result<Option<(PathBuf, &'static str)>, StoreError> {
    let candidate = journal.parent();
    let examiner = candidate.and_then(Path::parent);
    let assessment = examiner.and_then(Path::parent);
    for (place, folder) in [
        (assessment, true),
        (examiner, true),
        (candidate, true),
        (Some(journal), false),
    ] {
        let Some(place) = place else { continue };
        let meta = match std::fs::symlink_metadata(place) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StoreError::Io {
                    path: place.to_path_buf(),
                    source: e,
                });
            }
        };
        let what = if meta.file_type().is_symlink() {
            "a symbolic link"
        } else if folder && !meta.is_dir() {
            "not a folder"
        } else if !folder && !meta.is_file() {
            "not a plain file"
        } else {
            continue;
        };
        return Ok(Some((place.to_path_buf(), what)));
    }
    Ok(None)
}

// ---------------------------------------------------------------------------
// Writing

/// Why writing stopped.
#[derive(Debug, thiserror::Error)]
pub enum WriteStop {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{}: a sheet appeared there while importing (another osce wrote it meanwhile); nothing was added to it",
        path.display()
    )]
    Appeared { path: PathBuf },
}

/// Writing stopped part way. Sheets are written one after another, in the
/// order of the plan: the first `written` are complete, the next one holds
/// only its first `saved` records, and the rest were not written.
#[derive(Debug)]
pub struct WriteFailure {
    pub written: usize,
    /// Records saved in sheet number `written` before the error: 0 means
    /// nothing of it was saved.
    pub saved: usize,
    pub error: WriteStop,
}

/// Writes every sheet of a checked plan through the store, sheet after
/// sheet, each record made durable before the next. `now` gives each
/// record's time. Each journal is locked while it is written, and must be
/// empty when opened.
pub fn write_plan(
    plan: &ImportPlan,
    store: &Store,
    rubric_hash: &str,
    now: &mut dyn FnMut() -> DateTime<Utc>,
) -> Result<(), WriteFailure> {
    for (written, sheet) in plan.sheets.iter().enumerate() {
        let stop = |saved, error| WriteFailure {
            written,
            saved,
            error,
        };
        let (mut journal, replay) = store
            .open_sheet(&sheet.key, rubric_hash)
            .map_err(|e| stop(0, e.into()))?;
        if !replay.records.is_empty() {
            return Err(stop(
                0,
                WriteStop::Appeared {
                    path: journal.path().to_path_buf(),
                },
            ));
        }
        for (saved, event) in sheet.events.iter().enumerate() {
            journal
                .append(event.clone(), now())
                .map_err(|e| stop(saved, e.into()))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Small helpers

/// `a`, `a and b`, `a, b and c`.
fn and_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `line 4`, `lines 2–12`, `lines 2–5, 9 and 12–14` (sorted, each once).
pub fn lines_list(lines: &[usize]) -> String {
    let mut sorted = lines.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &n in &sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    match (sorted.len(), parts.as_slice()) {
        (1, [one]) => format!("line {one}"),
        (_, [one]) => format!("lines {one}"),
        (_, [rest @ .., last]) => format!("lines {} and {last}", rest.join(", ")),
        (_, []) => "no lines".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(lines_list(&[4]), "line 4");
        assert_eq!(lines_list(&[3, 2, 4]), "lines 2–4");
        assert_eq!(lines_list(&[2, 3, 4, 5, 9, 12, 13, 14]), "lines 2–5, 9 and 12–14");
        assert_eq!(lines_list(&[]), "no lines");
        assert_eq!(and_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    }

    #[test]
    fn protected_cells_lose_their_apostrophe() {
        assert_eq!(unprotect("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unprotect("'-x"), "-x");
        assert_eq!(unprotect("'tis"), "'tis");
        assert_eq!(unprotect("Done"), "Done");
    }
}
