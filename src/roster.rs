//! The roster: who sits an exam, in which circuit, and at which station
//! each candidate starts.
//!
//! A roster is a CSV file an exam administrator writes, usually in a
//! spreadsheet (the format is in `docs/roster-format.md`). [`read_roster`]
//! reads one with the same care as a rubric (a size limit, UTF-8 only, a
//! byte-order mark tolerated) and [`parse_roster`] checks it against the
//! rubric. Every problem is reported at once, located by the row number the
//! administrator sees in their spreadsheet and the column name, because the
//! fix is made there, not in a text editor.
//!
//! [`station_queue`] and [`candidate_route`] work out the rotation. In an
//! OSCE circuit one examiner stays at a station while the candidates move
//! round it, one station per round, so the station a candidate starts at
//! fixes when they arrive everywhere else.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::ids::check_id;
use crate::rubric::{Rubric, Station, did_you_mean, line_col, one_of};

/// Rosters are small (a few hundred candidates at most); a larger file is
/// the wrong file, and reading it all would only waste time and memory.
pub const MAX_ROSTER_BYTES: u64 = 4 * 1024 * 1024;

/// No exam has more candidates than this; a file with more is refused
/// before its rows are checked.
pub const MAX_CANDIDATES: usize = 100_000;

/// The columns a roster may have. The first two are required.
pub const COLUMNS: [&str; 4] = ["candidate_id", "name", "circuit", "start_station"];

const ID: usize = 0;
const NAME: usize = 1;
const CIRCUIT: usize = 2;
const START: usize = 3;

/// [`COLUMNS`] in words, for messages.
const COLUMNS_LIST: &str = "candidate_id, name, circuit and start_station";

/// One candidate, as checked: the id is usable as a folder name and unique
/// (ignoring capitals), the name is not empty, and the start station, if
/// any, is a station of the rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    /// The name as the examiner should see it, to be sure who is in front
    /// of them.
    pub name: String,
    pub circuit: Option<String>,
    /// The id of the station (rest stations included) where the candidate
    /// starts; `None` when the roster leaves it to the order of the rows.
    pub start_station: Option<String>,
    /// The candidate's row in the file, counted as a spreadsheet counts
    /// rows: the header is row 1.
    pub row: usize,
}

/// The candidates of one exam, in the order of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    pub candidates: Vec<Candidate>,
}

impl Roster {
    /// The candidate with this id. Capitals are ignored, as they are when
    /// ids are checked for duplicates, so at most one candidate matches.
    pub fn find(&self, id: &str) -> Option<&Candidate> {
        self.index_of(id).map(|i| &self.candidates[i])
    }

    /// The index into [`Roster::candidates`] of the candidate with this id
    /// (capitals ignored), as [`candidate_route`] takes it.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.candidates.iter().position(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// The circuits named in the roster, in the order they first appear;
    /// empty when the roster has no circuits.
    pub fn circuits(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.candidates
            .iter()
            .filter_map(|c| c.circuit.as_deref())
            .filter(|c| seen.insert(*c))
            .collect()
    }
}

/// One problem in a roster: where it is (row and column), what is wrong,
/// and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterProblem {
    /// The row as a spreadsheet numbers it (the header is row 1); `None`
    /// for a problem with the whole file.
    pub row: Option<usize>,
    /// The column's name as the format spells it (or as the header wrote
    /// it, for an unknown column).
    pub column: Option<String>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl RosterProblem {
    fn new(
        row: Option<usize>,
        column: Option<&str>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let help = help.into();
        RosterProblem {
            row,
            column: column.map(str::to_string),
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        }
    }
}

impl fmt::Display for RosterProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, &self.column) {
            (Some(row), Some(column)) => write!(f, "row {row}, {column}: ")?,
            (Some(row), None) => write!(f, "row {row}: ")?,
            (None, Some(column)) => write!(f, "{column}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Everything wrong with a roster's content, in the order of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterErrors {
    pub problems: Vec<RosterProblem>,
}

impl fmt::Display for RosterErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RosterErrors {}

/// Why a roster file could not be used. [`RosterError::is_io`] tells a
/// problem reaching the file (exit code 2) from a mistake in it (exit code
/// 1). Every message starts with the file's name.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{path}: cannot read the roster: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: is a folder, not a roster file")]
    IsDirectory { path: PathBuf },
    #[error(
        "{path}: is larger than {} MiB, too large to be a roster; check you named the right file",
        MAX_ROSTER_BYTES / 1024 / 1024
    )]
    TooLarge { path: PathBuf },
    #[error(
        "{path}:{line}:{column}: is not UTF-8 text (is it a binary file, or UTF-16?); save the roster as \
         \"CSV UTF-8 (Comma delimited)\" in Excel, or as UTF-8 CSV in other programs"
    )]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{}", prefix_lines(path, errors))]
    Invalid { path: PathBuf, errors: RosterErrors },
}

impl RosterError {
    /// Whether the file could not be read at all (missing, a folder, too
    /// large, not text), as opposed to being read and found wrong.
    pub fn is_io(&self) -> bool {
        !matches!(self, RosterError::Invalid { .. })
    }
}

/// One line per problem, each naming the file.
fn prefix_lines(path: &Path, errors: &RosterErrors) -> String {
    let lines: Vec<String> = errors
        .problems
        .iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect();
    lines.join("\n")
}

/// Reads and checks a roster file. Warnings come back with the roster.
pub fn read_roster(path: &Path, rubric: &Rubric) -> Result<(Roster, Vec<RosterProblem>), RosterError> {
    let text = read_text(path)?;
    parse_roster(&text, rubric).map_err(|errors| RosterError::Invalid {
        path: path.to_path_buf(),
        errors,
    })
}

/// Reads a file as UTF-8 text, refusing folders, huge files and binary
/// data, as `rubric::read_text` does for rubrics (with roster wording).
fn read_text(path: &Path) -> Result<String, RosterError> {
    let io = |source| RosterError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(RosterError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let too_large = || RosterError::TooLarge {
        path: path.to_path_buf(),
    };
    if meta.len() > MAX_ROSTER_BYTES {
        return Err(too_large());
    }
    // Devices and pipes report no length, so the limit is enforced while
    // reading too.
    let mut bytes = Vec::new();
    file.take(MAX_ROSTER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_ROSTER_BYTES {
        return Err(too_large());
    }
    // Excel's "CSV UTF-8" starts the file with a byte-order mark.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let not_text = |prefix: &str| {
        let (line, column) = line_col(prefix, prefix.len());
        RosterError::NotText {
            path: path.to_path_buf(),
            line,
            column,
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        // The valid prefix is text, so lines and columns can be counted.
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        not_text(&String::from_utf8_lossy(good))
    })?;
    // UTF-16 without a byte-order mark is valid UTF-8 full of NULs.
    if let Some(nul) = text.find('\0') {
        return Err(not_text(&text[..nul]));
    }
    Ok(text)
}

/// Checks roster text against the rubric. On success, the roster and any
/// warnings (things that are allowed but may not be meant); otherwise every
/// error found. Warnings are only looked for once there are no errors.
pub fn parse_roster(text: &str, rubric: &Rubric) -> Result<(Roster, Vec<RosterProblem>), RosterErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        // Rows of the wrong length are reported here, all of them, rather
        // than stopping the reader at the first.
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = RowCounter::new(text);
    let mut record = csv::StringRecord::new();
    let mut errors: Vec<RosterProblem> = Vec::new();
    let mut header: Option<Header> = None;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut data_rows = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // Reading from memory cannot fail on I/O, and the text is
                // already UTF-8; this is kept only so nothing panics.
                errors.push(RosterProblem::new(
                    None,
                    None,
                    format!("cannot read the file as CSV: {e}"),
                    "save it from your spreadsheet as CSV UTF-8",
                ));
                break;
            }
        }
        let from = record.position().map_or(0, |p| p.byte());
        let row = rows.row_at(usize::try_from(from).unwrap_or(usize::MAX));
        rows.skip_breaks_inside(&record);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        // Blank lines, and rows a spreadsheet saved as nothing but commas,
        // hold no candidate.
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let Some(header) = &mut header else {
            match Header::read(row, &cells) {
                Ok((h, problems)) => {
                    errors.extend(problems);
                    header = Some(h);
                    continue;
                }
                Err(problems) => return Err(RosterErrors { problems }),
            }
        };
        data_rows += 1;
        if data_rows > MAX_CANDIDATES {
            return Err(RosterErrors {
                problems: vec![RosterProblem::new(
                    None,
                    None,
                    format!("the roster has more than {MAX_CANDIDATES} candidates"),
                    "no exam has that many; check you named the right file",
                )],
            });
        }
        if let Some(candidate) = header.row(row, &cells, rubric, &mut errors) {
            candidates.push(candidate);
        }
    }
    let Some(header) = header else {
        return Err(RosterErrors {
            problems: vec![RosterProblem::new(
                None,
                None,
                "the roster is empty",
                format!(
                    "the first row names the columns, e.g. {}; then one row per candidate",
                    COLUMNS.join(",")
                ),
            )],
        });
    };
    header.unnamed_columns(&mut errors);
    if data_rows == 0 {
        errors.push(RosterProblem::new(
            None,
            None,
            "the roster has a header but no candidates",
            "add one row per candidate below the header",
        ));
    }
    duplicate_ids(&candidates, &mut errors);
    if header.at[CIRCUIT].is_some() {
        circuits_all_or_none(&candidates, &mut errors);
        circuit_spellings(&candidates, &mut errors);
    }
    start_stations_all_or_none(&candidates, &mut errors);
    if !errors.is_empty() {
        // Stable: problems of one row keep the order they were found in.
        errors.sort_by_key(|p| p.row.unwrap_or(0));
        return Err(RosterErrors { problems: errors });
    }
    let roster = Roster { candidates };
    let warnings = waves(&roster, rubric);
    Ok((roster, warnings))
}

/// Numbers rows as a spreadsheet does: one row per record, blank lines
/// included, however many lines a quoted cell spans.
struct RowCounter<'a> {
    bytes: &'a [u8],
    /// Everything before this byte has been counted.
    scanned: usize,
    /// Line breaks before `scanned`.
    breaks: usize,
    /// Of those, the ones inside quoted cells.
    inside: usize,
}

impl<'a> RowCounter<'a> {
    fn new(text: &'a str) -> Self {
        RowCounter {
            bytes: text.as_bytes(),
            scanned: 0,
            breaks: 0,
            inside: 0,
        }
    }

    /// The row of the record the reader started looking for at byte `from`:
    /// the reader skips blank lines before the record, which are rows too.
    fn row_at(&mut self, from: usize) -> usize {
        let mut start = from.min(self.bytes.len()).max(self.scanned);
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.breaks += line_breaks(self.bytes, self.scanned..start);
        self.scanned = start;
        1 + self.breaks.saturating_sub(self.inside)
    }

    /// Line breaks inside this record's cells do not start new rows.
    fn skip_breaks_inside(&mut self, record: &csv::StringRecord) {
        self.inside += record
            .iter()
            .map(|cell| line_breaks(cell.as_bytes(), 0..cell.len()))
            .sum::<usize>();
    }
}

/// Line breaks in `bytes[range]`: `\r\n`, `\n` or a lone `\r` each count once.
fn line_breaks(bytes: &[u8], range: Range<usize>) -> usize {
    range
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Where each known column is, from the header row.
struct Header {
    /// Cells per row.
    width: usize,
    /// The position of each of [`COLUMNS`].
    at: [Option<usize>; 4],
    /// Columns with no name: allowed while every cell under them is empty
    /// (spreadsheets sometimes save such columns), with the first row that
    /// has something in one.
    unnamed: Vec<(usize, Option<usize>)>,
}

impl Header {
    /// Reads the header row. `Err` when nothing below it could be read.
    fn read(row: usize, cells: &[&str]) -> Result<(Header, Vec<RosterProblem>), Vec<RosterProblem>> {
        let allowed = format!("the columns a roster may have are {COLUMNS_LIST}");
        let names: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        let known = |name: &str| COLUMNS.contains(&name) || did_you_mean(name, COLUMNS).is_some();
        if let [only] = cells
            && (only.contains(';') || only.contains('\t'))
        {
            let separator = if only.contains(';') { "semicolons" } else { "tabs" };
            return Err(vec![RosterProblem::new(
                Some(row),
                None,
                format!(
                    "the header is one cell, \"{only}\": the columns seem to be separated by {separator}, not commas"
                ),
                "save the file as CSV with commas, e.g. in Excel as \"CSV UTF-8 (Comma delimited)\"",
            )]);
        }
        if !names.iter().any(|n| known(n)) {
            return Err(vec![RosterProblem::new(
                Some(row),
                None,
                format!("the first row is not a header: {}", quoted_list(cells)),
                format!(
                    "add a first row naming the columns, e.g. {}; {allowed}",
                    COLUMNS.join(",")
                ),
            )]);
        }
        let mut problems = Vec::new();
        let mut at = [None; 4];
        let mut unnamed = Vec::new();
        for (i, (cell, name)) in cells.iter().zip(&names).enumerate() {
            if name.is_empty() {
                unnamed.push((i, None));
            } else if let Some(k) = COLUMNS.iter().position(|c| c == name) {
                match at[k] {
                    None => at[k] = Some(i),
                    Some(first) => problems.push(RosterProblem::new(
                        Some(row),
                        Some(COLUMNS[k]),
                        format!(
                            "the column appears twice, in columns {} and {}",
                            column_label(first),
                            column_label(i)
                        ),
                        "keep one of them and delete the other",
                    )),
                }
            } else {
                let hint = match did_you_mean(name, COLUMNS) {
                    Some(near) => format!("did you mean \"{near}\"? "),
                    None => String::new(),
                };
                problems.push(RosterProblem::new(
                    Some(row),
                    Some(cell),
                    format!("unknown column \"{cell}\" in column {}", column_label(i)),
                    format!("{hint}{allowed}; rename or delete it"),
                ));
            }
        }
        let missing: Vec<&str> = [ID, NAME]
            .into_iter()
            .filter(|&k| at[k].is_none())
            .map(|k| COLUMNS[k])
            .collect();
        for column in &missing {
            problems.push(RosterProblem::new(
                Some(row),
                None,
                format!("the header has no {column} column"),
                format!("every roster needs the columns candidate_id and name; {allowed}"),
            ));
        }
        if missing.is_empty() {
            Ok((
                Header {
                    width: cells.len(),
                    at,
                    unnamed,
                },
                problems,
            ))
        } else {
            Err(problems)
        }
    }

    /// Checks one candidate row. `None` when its cells do not line up with
    /// the header, so nothing in it can be trusted.
    fn row(
        &mut self,
        row: usize,
        cells: &[&str],
        rubric: &Rubric,
        errors: &mut Vec<RosterProblem>,
    ) -> Option<Candidate> {
        if cells.len() != self.width {
            let help = if cells.len() > self.width {
                "a cell with a comma in it must be in double quotes, e.g. \"Smith, Anna\", with no space before \
                 the opening quote"
            } else {
                "add the missing cells; an empty cell is nothing between two commas, e.g. C001,Anna Smith,,"
            };
            errors.push(RosterProblem::new(
                Some(row),
                None,
                format!(
                    "the row has {} cells but the header has {} columns",
                    cells.len(),
                    self.width
                ),
                help,
            ));
            return None;
        }
        for (column, first) in &mut self.unnamed {
            if first.is_none() && !cells[*column].is_empty() {
                *first = Some(row);
            }
        }
        let cell = |k: usize| self.at[k].map_or("", |i| cells[i]);
        let some = |k: usize| Some(cell(k)).filter(|c| !c.is_empty()).map(str::to_string);
        let id = cell(ID);
        if id.is_empty() {
            errors.push(RosterProblem::new(
                Some(row),
                Some("candidate_id"),
                "the candidate id is empty",
                "give every candidate an id, such as C001",
            ));
        } else if let Err(why) = check_id(id) {
            errors.push(RosterProblem::new(
                Some(row),
                Some("candidate_id"),
                format!("the candidate id is not usable: {why}"),
                "ids become folder names: use letters, digits, '-', '_' or '.', such as C001, and put the \
                 person's name in the name column",
            ));
        }
        let name = cell(NAME);
        if name.is_empty() {
            errors.push(RosterProblem::new(
                Some(row),
                Some("name"),
                "the name is empty",
                "write the candidate's name as examiners should see it, to confirm who is in front of them",
            ));
        } else if let Some(c) = name.chars().find(|c| c.is_control()) {
            let (message, help) = if c == '\n' || c == '\r' {
                (
                    "the name runs over more than one line".to_string(),
                    "a double quote on this row may be missing its closing partner; a quote inside a quoted \
                     name is written twice, e.g. \"Margaret \"\"Peggy\"\" Evans\"",
                )
            } else {
                (
                    format!(
                        "the name contains an invisible control character (U+{:04X})",
                        u32::from(c)
                    ),
                    "retype the name; it is shown on the examiner's screen",
                )
            };
            errors.push(RosterProblem::new(Some(row), Some("name"), message, help));
        }
        let circuit = some(CIRCUIT);
        if let Some(circuit) = &circuit
            && let Err(why) = check_id(circuit)
        {
            errors.push(RosterProblem::new(
                Some(row),
                Some("circuit"),
                format!("the circuit is not usable: {why}"),
                "name circuits with letters, digits, '-', '_' or '.', such as A, B or am-1",
            ));
        }
        let start_station = some(START);
        if let Some(start) = &start_station
            && rubric.station(start).is_none()
        {
            errors.push(unknown_station(row, start, rubric));
        }
        Some(Candidate {
            id: id.to_string(),
            name: name.to_string(),
            circuit,
            start_station,
            row,
        })
    }

    fn unnamed_columns(&self, errors: &mut Vec<RosterProblem>) {
        for (column, first) in &self.unnamed {
            if let Some(row) = first {
                errors.push(RosterProblem::new(
                    Some(*row),
                    None,
                    format!(
                        "column {} has something in it, but no name in the header",
                        column_label(*column)
                    ),
                    format!(
                        "name the column in the header (the columns a roster may have are {COLUMNS_LIST}), \
                         or delete it"
                    ),
                ));
            }
        }
    }
}

fn unknown_station(row: usize, start: &str, rubric: &Rubric) -> RosterProblem {
    let ids: Vec<&str> = rubric.stations.iter().map(|s| s.id.as_str()).collect();
    // Administrators may copy a station's title rather than its id.
    let by_title = rubric
        .stations
        .iter()
        .find(|s| s.title.to_lowercase() == start.to_lowercase())
        .map(|s| s.id.as_str());
    let hint = match by_title.or_else(|| did_you_mean(start, ids.iter().copied())) {
        Some(near) => format!("did you mean \"{near}\"? "),
        None => String::new(),
    };
    RosterProblem::new(
        Some(row),
        Some("start_station"),
        format!("there is no station \"{start}\""),
        format!(
            "{hint}start_station must be a station id of the rubric: {}",
            one_of(&ids)
        ),
    )
}

/// Ids become folder names, and Windows and macOS do not tell `C001` from
/// `c001`: such ids would share a folder, so they count as duplicates.
fn duplicate_ids(candidates: &[Candidate], errors: &mut Vec<RosterProblem>) {
    let mut first: HashMap<String, &Candidate> = HashMap::new();
    for candidate in candidates.iter().filter(|c| !c.id.is_empty()) {
        match first.get(&candidate.id.to_ascii_lowercase()) {
            None => {
                first.insert(candidate.id.to_ascii_lowercase(), candidate);
            }
            Some(earlier) if earlier.id == candidate.id => errors.push(RosterProblem::new(
                Some(candidate.row),
                Some("candidate_id"),
                format!(
                    "candidate id \"{}\" is already used on row {}",
                    candidate.id, earlier.row
                ),
                "each candidate needs their own id; correct one of the two rows, or delete it if it is the \
                 same person twice",
            )),
            Some(earlier) => errors.push(RosterProblem::new(
                Some(candidate.row),
                Some("candidate_id"),
                format!(
                    "candidate id \"{}\" differs from \"{}\" on row {} only in capitals",
                    candidate.id, earlier.id, earlier.row
                ),
                "ids become folder names, and Windows and macOS treat these as the same folder; give each \
                 candidate an id that differs in more than capitals",
            )),
        }
    }
}

/// Candidates in circuits [A] and [B] plus one in none: that one would
/// never be called to any station.
fn circuits_all_or_none(candidates: &[Candidate], errors: &mut Vec<RosterProblem>) {
    let with: Vec<usize> = candidates
        .iter()
        .filter(|c| c.circuit.is_some())
        .map(|c| c.row)
        .collect();
    let without: Vec<usize> = candidates
        .iter()
        .filter(|c| c.circuit.is_none())
        .map(|c| c.row)
        .collect();
    if let (Some(&first), false) = (without.first(), with.is_empty()) {
        errors.push(RosterProblem::new(
            Some(first),
            Some("circuit"),
            format!(
                "no circuit on {}, but there is one on {}",
                rows_list(&without),
                rows_list(&with)
            ),
            "put every candidate in a circuit, or leave the circuit column empty for everyone",
        ));
    }
}

/// `A` and `a` are different circuits to the program but surely not to
/// the administrator.
fn circuit_spellings(candidates: &[Candidate], errors: &mut Vec<RosterProblem>) {
    let mut first: HashMap<String, &Candidate> = HashMap::new();
    let mut reported: HashSet<&str> = HashSet::new();
    for candidate in candidates {
        let Some(circuit) = candidate.circuit.as_deref() else {
            continue;
        };
        let earlier = *first.entry(circuit.to_lowercase()).or_insert(candidate);
        let earlier_circuit = earlier.circuit.as_deref().unwrap_or_default();
        if earlier_circuit != circuit && reported.insert(circuit) {
            errors.push(RosterProblem::new(
                Some(candidate.row),
                Some("circuit"),
                format!(
                    "circuit \"{circuit}\" differs from \"{earlier_circuit}\" on row {} only in capitals",
                    earlier.row
                ),
                "write each circuit the same way on every row",
            ));
        }
    }
}

/// Within a circuit, either every candidate has a start station or none
/// has (and they are placed in the order of the rows): a mixture would
/// leave the program guessing where the others start.
fn start_stations_all_or_none(candidates: &[Candidate], errors: &mut Vec<RosterProblem>) {
    for (circuit, members) in by_circuit(candidates) {
        let rows = |given: bool| -> Vec<usize> {
            members
                .iter()
                .map(|&i| &candidates[i])
                .filter(|c| c.start_station.is_some() == given)
                .map(|c| c.row)
                .collect()
        };
        let (with, without) = (rows(true), rows(false));
        let (Some(&first), false) = (without.first(), with.is_empty()) else {
            continue;
        };
        let (of, every) = match circuit {
            Some(c) => (
                format!(" in circuit \"{c}\""),
                format!("every candidate in circuit \"{c}\""),
            ),
            None => (String::new(), "every candidate".to_string()),
        };
        errors.push(RosterProblem::new(
            Some(first),
            Some("start_station"),
            format!(
                "no start station on {}, but other candidates{of} have one ({})",
                rows_list(&without),
                rows_list(&with)
            ),
            format!(
                "give {every} a start station, or leave start_station empty for all of them to place them \
                 in the order of the rows"
            ),
        ));
    }
}

/// Indices of the candidates of each circuit, circuits in order of first
/// appearance.
fn by_circuit(candidates: &[Candidate]) -> Vec<(Option<&str>, Vec<usize>)> {
    let mut groups: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    let mut index: HashMap<Option<&str>, usize> = HashMap::new();
    for (i, candidate) in candidates.iter().enumerate() {
        let key = candidate.circuit.as_deref();
        let group = *index.entry(key).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push(i);
    }
    groups
}

/// Warnings about waves: more candidates in a circuit than stations (fine,
/// they go round one wave after another), and a candidate placed in a later
/// wave while a start station stood empty in an earlier one.
fn waves(roster: &Roster, rubric: &Rubric) -> Vec<RosterProblem> {
    let stations = rubric.stations.len();
    if stations == 0 {
        return Vec::new();
    }
    let placements = placements(roster, rubric);
    let mut warnings = Vec::new();
    for (circuit, members) in by_circuit(&roster.candidates) {
        let named = circuit.map_or(String::new(), |c| format!("circuit \"{c}\" has "));
        if members.len() > stations {
            let count = placements_waves(&placements, &members);
            warnings.push(RosterProblem::new(
                None,
                None,
                format!(
                    "{named}{} candidates for {stations} stations (rest stations included), so they go round \
                     in {count} waves, one after the other",
                    members.len()
                ),
                "that is fine if it is meant: each wave starts when the one before has been round every \
                 station; to run candidates at the same time, split them into circuits",
            ));
        }
        // How many candidates start at each station, and the row of the
        // first of them.
        let mut starting = vec![0usize; stations];
        let mut first_row = vec![0usize; stations];
        for &i in &members {
            let slot = placements[i].slot;
            if starting[slot] == 0 {
                first_row[slot] = roster.candidates[i].row;
            }
            starting[slot] += 1;
        }
        for &i in &members {
            let candidate = &roster.candidates[i];
            let wave = placements[i].wave;
            let (Some(start), Some(free)) = (
                candidate.start_station.as_deref(),
                (0..stations).find(|&t| starting[t] < wave),
            ) else {
                continue;
            };
            let earlier = first_row[placements[i].slot];
            warnings.push(RosterProblem::new(
                Some(candidate.row),
                Some("start_station"),
                format!(
                    "candidate {} starts at \"{start}\" like the candidate on row {earlier}, so they go round in \
                     wave {}, after wave {} has finished, although nobody in wave {} starts at \"{}\"",
                    candidate.id,
                    wave + 1,
                    wave,
                    wave,
                    rubric.stations[free].id
                ),
                match circuit {
                    Some(c) => format!("if that is not meant, give them a start station free in circuit \"{c}\""),
                    None => "if that is not meant, give them a start station nobody else has".to_string(),
                },
            ));
        }
    }
    warnings
}

fn placements_waves(placements: &[Placement], members: &[usize]) -> usize {
    members.iter().map(|&i| placements[i].wave + 1).max().unwrap_or(0)
}

/// Where a candidate enters the rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The index in the rubric's stations of the station they start at.
    pub slot: usize,
    /// Which wave of their circuit they go round in, 0 for the first: how
    /// many candidates before them (in the order of the rows, in the same
    /// circuit) start at the same station.
    pub wave: usize,
}

/// Where each candidate (by index into [`Roster::candidates`]) starts.
///
/// A circuit's stations are the rubric's stations in order, rest stations
/// included: each is one slot of the rotation. A candidate with a start
/// station starts there; candidates without one take the slots in the
/// order of the rows (the first slot 0, the next slot 1, ...), wrapping into
/// a new wave after every station has been taken. A start station that is
/// not in the rubric (possible only in a roster not made by
/// [`parse_roster`]) counts as none given.
pub fn placements(roster: &Roster, rubric: &Rubric) -> Vec<Placement> {
    let stations = rubric.stations.len();
    // Per circuit: the next slot for a candidate without a start station,
    // and how many have started at each slot so far.
    let mut circuits: HashMap<Option<&str>, (usize, Vec<usize>)> = HashMap::new();
    roster
        .candidates
        .iter()
        .map(|candidate| {
            if stations == 0 {
                return Placement { slot: 0, wave: 0 };
            }
            let (next, starting) = circuits
                .entry(candidate.circuit.as_deref())
                .or_insert_with(|| (0, vec![0; stations]));
            let given = candidate
                .start_station
                .as_deref()
                .and_then(|id| rubric.stations.iter().position(|s| s.id == id));
            let slot = given.unwrap_or_else(|| {
                let slot = *next % stations;
                *next += 1;
                slot
            });
            let wave = starting[slot];
            starting[slot] += 1;
            Placement { slot, wave }
        })
        .collect()
}

/// One candidate's turn at a station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueEntry {
    /// Index into [`Roster::candidates`].
    pub candidate: usize,
    /// The candidate's wave, 0 for the first.
    pub wave: usize,
    /// The round of their wave in which they are at this station, 0 for the
    /// first.
    pub round: usize,
}

/// The order in which candidates arrive at `station`: those of `circuit`
/// (or every candidate, for `None`), sorted by wave, then round, then the
/// order of the rows.
///
/// A candidate who starts at slot `s` is at slot `(s + r) mod S` in round
/// `r`, with `S` the number of stations, so they reach station `j` in round
/// `(j - s) mod S`. Empty when the rubric has no station `station`.
pub fn station_queue(
    roster: &Roster,
    rubric: &Rubric,
    station: &str,
    circuit: Option<&str>,
) -> Vec<QueueEntry> {
    let stations = rubric.stations.len();
    let Some(j) = rubric.stations.iter().position(|s| s.id == station) else {
        return Vec::new();
    };
    let placements = placements(roster, rubric);
    let mut queue: Vec<QueueEntry> = roster
        .candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| circuit.is_none_or(|k| c.circuit.as_deref() == Some(k)))
        .map(|(i, _)| QueueEntry {
            candidate: i,
            wave: placements[i].wave,
            round: (j + stations - placements[i].slot) % stations,
        })
        .collect();
    queue.sort_by_key(|e| (e.wave, e.round, e.candidate));
    queue
}

/// The stations one candidate (by index into [`Roster::candidates`])
/// visits, in order: from their start station round to the one before it,
/// rest stations included. Empty for an index out of range.
pub fn candidate_route<'r>(roster: &Roster, rubric: &'r Rubric, candidate: usize) -> Vec<&'r Station> {
    let stations = rubric.stations.len();
    if candidate >= roster.candidates.len() || stations == 0 {
        return Vec::new();
    }
    let start = placements(roster, rubric)[candidate].slot;
    (0..stations)
        .map(|r| &rubric.stations[(start + r) % stations])
        .collect()
}

/// `"C001", "Anna Smith"`, shortened after a few.
fn quoted_list(cells: &[&str]) -> String {
    let mut shown: Vec<String> = cells.iter().take(4).map(|c| format!("\"{c}\"")).collect();
    if cells.len() > 4 {
        shown.push("...".to_string());
    }
    shown.join(", ")
}

/// A column as a spreadsheet names it: `A` for the first, `AA` for the
/// 27th.
fn column_label(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `row 4`, `rows 4 and 6`, `rows 4, 6, 9, 11, 12 and 3 more`.
fn rows_list(rows: &[usize]) -> String {
    const SHOWN: usize = 5;
    let numbers: Vec<String> = rows.iter().take(SHOWN).map(usize::to_string).collect();
    match (numbers.as_slice(), rows.len()) {
        ([one], 1) => format!("row {one}"),
        (_, n) if n > SHOWN => format!("rows {} and {} more", numbers.join(", "), n - SHOWN),
        ([rest @ .., last], _) => format!("rows {} and {last}", rest.join(", ")),
        ([], _) => "no rows".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(column_label(0), "A");
        assert_eq!(column_label(25), "Z");
        assert_eq!(column_label(26), "AA");
        assert_eq!(column_label(27), "AB");
        assert_eq!(rows_list(&[4]), "row 4");
        assert_eq!(rows_list(&[4, 6]), "rows 4 and 6");
        assert_eq!(rows_list(&[4, 6, 9]), "rows 4, 6 and 9");
        assert_eq!(rows_list(&[1, 2, 3, 4, 5, 6, 7]), "rows 1, 2, 3, 4, 5 and 2 more");
        assert_eq!(
            COLUMNS_LIST,
            format!(
                "{}, {}, {} and {}",
                COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3]
            )
        );
    }

    #[test]
    fn line_breaks_count_crlf_once() {
        assert_eq!(line_breaks(b"a\r\nb\nc\rd", 0..8), 3);
        assert_eq!(line_breaks(b"\r\n", 0..1), 0);
        assert_eq!(line_breaks(b"\r\n", 1..2), 1);
    }
}
