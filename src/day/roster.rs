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
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::base::csvin::{self, Layout, NewProblem, Problem, ReadProblem, Table};
use crate::base::ids::check_id;
use crate::rubric::{Rubric, Station, did_you_mean, one_of, quoted};

/// Rosters are small (a few hundred candidates at most); a larger file is
/// the wrong file, and reading it all would only waste time and memory.
pub const MAX_ROSTER_BYTES: u64 = 4 * 1024 * 1024;

/// No exam has more candidates than this; a file with more is refused
/// before its rows are checked.
pub const MAX_CANDIDATES: usize = 100_000;

/// The columns a roster may have. The first two are required.
pub const COLUMNS: [&str; 5] = [
    "candidate_id",
    "name",
    "circuit",
    "start_station",
    "circuit_start",
];

const ID: usize = 0;
const NAME: usize = 1;
const CIRCUIT: usize = 2;
const START: usize = 3;
const CIRCUIT_START: usize = 4;

/// [`COLUMNS`] in words, for messages.
const COLUMNS_LIST: &str = "candidate_id, name, circuit, start_station and circuit_start";

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
    /// When round 1 of the candidate's circuit begins, if the roster says
    /// (the same on every row of a circuit): every station's laptop then
    /// works out the round and the time left in it from its own clock.
    pub circuit_start: Option<DateTime<Utc>>,
    /// `circuit_start` as the roster wrote it, for messages (an invalid
    /// one too, which leaves `circuit_start` empty).
    pub circuit_start_written: Option<String>,
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
        self.candidates
            .iter()
            .position(|c| c.id.to_lowercase() == id.to_lowercase())
    }

    /// When round 1 of `circuit` (or of the one circuit, for `None`)
    /// begins, if the roster says.
    pub fn circuit_start(&self, circuit: Option<&str>) -> Option<DateTime<Utc>> {
        self.candidates
            .iter()
            .filter(|c| circuit.is_none_or(|k| c.circuit.as_deref() == Some(k)))
            .find_map(|c| c.circuit_start)
    }

    /// The offset from UTC `circuit`'s start is written in (the exam
    /// lead's own clock, in which the day's times are shown); UTC where the
    /// roster gives no start.
    pub fn start_offset(&self, circuit: Option<&str>) -> chrono::FixedOffset {
        self.candidates
            .iter()
            .filter(|c| circuit.is_none_or(|k| c.circuit.as_deref() == Some(k)))
            .find_map(|c| c.circuit_start_written.as_deref().and_then(start_as_written))
            .map_or_else(|| chrono::Offset::fix(&Utc), |w| *w.offset())
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

/// Problems found by the reading shared with the import file (`RosterProblem::new`
/// comes from [`NewProblem`] too).
impl From<Problem> for RosterProblem {
    fn from(p: Problem) -> Self {
        RosterProblem {
            row: p.at,
            column: p.column,
            message: p.message,
            help: p.help,
        }
    }
}

impl fmt::Display for RosterProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (column, help) = (self.column.as_deref(), self.help.as_deref());
        csvin::write_problem(f, "row", self.row, column, &self.message, help)
    }
}

/// Everything wrong with a roster's content, in the order of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterErrors {
    pub problems: Vec<RosterProblem>,
}

impl fmt::Display for RosterErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        csvin::write_lines(f, &self.problems)
    }
}

impl std::error::Error for RosterErrors {}

/// Why a roster file could not be used. [`RosterError::is_io`] tells a
/// problem reaching the file (exit code 2) from a mistake in it (exit code
/// 1). Every message starts with the file's name.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// No file there: the roster files beside where it was looked for
    /// (named a roster, or a typo away), what was most likely meant.
    #[error(
        "{path}: no such roster file{}",
        match beside.as_slice() {
            [] => String::new(),
            [one] => format!(" (did you mean {one}? It is beside it)"),
            many => format!(" (roster files beside it: {})", many.join(", ")),
        },
        path = .path.display()
    )]
    Missing { path: PathBuf, beside: Vec<String> },
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
        "{path}:{line}:{column}: is not UTF-8 text: {why}; save the roster as \
         \"CSV UTF-8 (Comma delimited)\" in Excel, or as UTF-8 CSV in other programs"
    )]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
        why: String,
    },
    #[error("{}", csvin::prefix_lines(path, &errors.problems))]
    Invalid { path: PathBuf, errors: RosterErrors },
}

/// The CSV files in the folder of `path` (a file that is not there) that
/// look like what was meant: named a roster, or a name a typo away; at most
/// five, by name, each as the folder and the name (`work/fca.roster.csv`).
fn rosters_beside(path: &Path) -> Vec<String> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let lower = name.to_lowercase();
    let mut found: Vec<String> = entries
        .take(10_000)
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            let l = n.to_lowercase();
            l.ends_with(".csv")
                && (l.contains("roster") || crate::rubric::edit_distance(&l, &lower) <= 2)
                && folder.join(n).is_file()
        })
        .collect();
    found.sort();
    found.truncate(5);
    found
        .into_iter()
        .map(|n| path.with_file_name(n).display().to_string())
        .collect()
}

impl RosterError {
    /// Whether the file could not be read at all (missing, a folder, too
    /// large, not text), as opposed to being read and found wrong.
    pub fn is_io(&self) -> bool {
        !matches!(self, RosterError::Invalid { .. })
    }

    /// Why `path` could not be read, in roster wording.
    fn reading(path: &Path, problem: ReadProblem) -> Self {
        let path = path.to_path_buf();
        match problem {
            ReadProblem::Io(source) if source.kind() == std::io::ErrorKind::NotFound => {
                let beside = rosters_beside(&path);
                RosterError::Missing { path, beside }
            }
            ReadProblem::Io(source) => RosterError::Io { path, source },
            ReadProblem::IsDirectory => RosterError::IsDirectory { path },
            ReadProblem::TooLarge => RosterError::TooLarge { path },
            ReadProblem::NotText { line, column, why } => RosterError::NotText {
                path,
                line,
                column,
                why,
            },
        }
    }
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
    csvin::read_capped(path, MAX_ROSTER_BYTES)
        .and_then(csvin::decode)
        .map_err(|problem| RosterError::reading(path, problem))
}

/// Checks roster text against the rubric. On success, the roster and any
/// warnings (things that are allowed but may not be meant); otherwise every
/// error found. Warnings are only looked for once there are no errors.
pub fn parse_roster(text: &str, rubric: &Rubric) -> Result<(Roster, Vec<RosterProblem>), RosterErrors> {
    let mut errors: Vec<RosterProblem> = Vec::new();
    let mut table = match Table::open(text, str::trim, layout(), &mut errors) {
        Ok(Some(table)) => table,
        Ok(None) => {
            return Err(RosterErrors {
                problems: vec![RosterProblem::new(
                    None,
                    None,
                    "the roster is empty",
                    format!(
                        "the first row names the columns, e.g. {}; then one row per candidate",
                        COLUMNS[..4].join(",")
                    ),
                )],
            });
        }
        Err(problems) => return Err(RosterErrors { problems }),
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut data_rows = 0usize;
    while let Some((row, cells)) = table.next_row(&mut errors) {
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
        if let Some(cells) = table.cells(row, &cells, &mut errors) {
            candidates.push(candidate(row, cells, rubric, &mut errors));
        }
    }
    table.unnamed_columns(&mut errors);
    if data_rows == 0 {
        errors.push(RosterProblem::new(
            None,
            None,
            "the roster has a header but no candidates",
            "add one row per candidate below the header",
        ));
    }
    duplicate_ids(&candidates, &mut errors);
    if table.has(CIRCUIT) {
        circuits_all_or_none(&candidates, &mut errors);
        circuit_spellings(&candidates, &mut errors);
    }
    start_stations_all_or_none(&candidates, &mut errors);
    if table.has(CIRCUIT_START) {
        one_start_per_circuit(&candidates, &mut errors);
    }
    if !errors.is_empty() {
        // Stable: problems of one row keep the order they were found in.
        errors.sort_by_key(|p| p.row.unwrap_or(0));
        return Err(RosterErrors { problems: errors });
    }
    let roster = Roster { candidates };
    let warnings = waves(&roster, rubric);
    Ok((roster, warnings))
}

/// The roster's columns, and the wording of the problems the shared
/// header reading finds with them.
fn layout() -> Layout<5> {
    let allowed = format!("the columns a roster may have are {COLUMNS_LIST}");
    Layout {
        columns: COLUMNS,
        required: &[ID, NAME],
        row: "row",
        example: COLUMNS[..4].join(","),
        short_row: "C001,Anna Smith,,",
        unknown_help: format!("{allowed}; rename or delete it"),
        missing_help: format!("every roster needs the columns candidate_id and name; {allowed}"),
        unnamed_help: format!("name the column in the header ({allowed}), or delete it"),
        allowed,
    }
}

/// Checks one candidate row, given its cells by column (empty where the
/// roster has no such column).
fn candidate(row: usize, cells: [&str; 5], rubric: &Rubric, errors: &mut Vec<RosterProblem>) -> Candidate {
    let some = |k: usize| Some(cells[k]).filter(|c| !c.is_empty()).map(str::to_string);
    // A name typed as a letter and a separate accent is the same id.
    let id = crate::base::ids::normalise(cells[ID]);
    let id = id.as_str();
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
    let name = cells[NAME];
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
    let circuit_start_written = some(CIRCUIT_START);
    let circuit_start = some(CIRCUIT_START).and_then(|text| match parse_start(&text) {
        Some(t) => Some(t),
        None => {
            errors.push(RosterProblem::new(
                Some(row),
                Some("circuit_start"),
                format!(
                    "{} is not a date and time with its offset from UTC",
                    quoted(&text)
                ),
                "write when round 1 begins as date, time and offset, e.g. 2026-06-03T09:00+01:00 \
                 (09:00 British Summer Time) or 2026-06-03T09:00Z (UTC)",
            ));
            None
        }
    });
    Candidate {
        id: id.to_string(),
        // In composed form (NFC), as ids are: a roster saved with its
        // accents decomposed gives the same name, byte for byte.
        name: crate::base::ids::composed(name),
        circuit,
        start_station,
        circuit_start_written,
        circuit_start,
        row,
    }
}

fn unknown_station(row: usize, start: &str, rubric: &Rubric) -> RosterProblem {
    let ids: Vec<&str> = rubric.stations.iter().map(|s| s.id.as_str()).collect();
    // Administrators may copy a station's title rather than its id.
    let wanted = start.to_lowercase();
    let by_title = rubric
        .stations
        .iter()
        .find(|s| s.title.to_lowercase() == wanted)
        .map(|s| s.id.as_str());
    let hint = csvin::hint(by_title.or_else(|| did_you_mean(start, ids.iter().copied())));
    RosterProblem::new(
        Some(row),
        Some("start_station"),
        format!("there is no station {}", quoted(start)),
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
        match first.get(&candidate.id.to_lowercase()) {
            None => {
                first.insert(candidate.id.to_lowercase(), candidate);
            }
            Some(earlier) if earlier.id == candidate.id => errors.push(RosterProblem::new(
                Some(candidate.row),
                Some("candidate_id"),
                format!(
                    "candidate id {} is already used on row {}",
                    quoted(&candidate.id),
                    earlier.row
                ),
                "each candidate needs their own id; correct one of the two rows, or delete it if it is the \
                 same person twice",
            )),
            Some(earlier) => errors.push(RosterProblem::new(
                Some(candidate.row),
                Some("candidate_id"),
                format!(
                    "candidate id {} differs from {} on row {} only in capitals",
                    quoted(&candidate.id),
                    quoted(&earlier.id),
                    earlier.row
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
                    "circuit {} differs from {} on row {} only in capitals",
                    quoted(circuit),
                    quoted(earlier_circuit),
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
                format!(" in circuit {}", quoted(c)),
                format!("every candidate in circuit {}", quoted(c)),
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

/// `2026-06-03T09:00+01:00`, with seconds or without, `Z` for UTC, and a
/// space for the `T` as spreadsheets may write it. The offset is required:
/// laptops set to different time zones must still agree on the moment.
fn parse_start(text: &str) -> Option<DateTime<Utc>> {
    start_as_written(text).map(|t| t.with_timezone(&Utc))
}

/// A `circuit_start` as the roster wrote it, in its own offset from UTC
/// (what the exam lead reads the day's times in): see [`parse_start`].
pub fn start_as_written(text: &str) -> Option<DateTime<chrono::FixedOffset>> {
    let text = text.replacen(' ', "T", 1);
    let with_seconds = |t: &str| -> String {
        // `HH:MM` followed by the offset: put `:00` seconds in.
        match t.find('T') {
            Some(at) if t[at + 1..].find(['Z', '+', '-']) == Some(5) => {
                format!("{}:00{}", &t[..at + 6], &t[at + 6..])
            }
            _ => t.to_string(),
        }
    };
    DateTime::parse_from_rfc3339(&with_seconds(&text)).ok()
}

/// Every row of a circuit gives the same start (or none does): one
/// circuit, one clock.
fn one_start_per_circuit(candidates: &[Candidate], errors: &mut Vec<RosterProblem>) {
    for (circuit, members) in by_circuit(candidates) {
        let Some(&first) = members.first() else {
            continue;
        };
        let first = &candidates[first];
        // A start that is not a time was reported on its own row.
        let invalid = |c: &Candidate| c.circuit_start_written.is_some() && c.circuit_start.is_none();
        if invalid(first) {
            continue;
        }
        if let Some(other) = members
            .iter()
            .map(|&i| &candidates[i])
            .find(|c| !invalid(c) && c.circuit_start != first.circuit_start)
        {
            let of = circuit.map_or(String::new(), |c| format!(" of circuit {}", quoted(c)));
            let said = |c: &Candidate| {
                c.circuit_start_written
                    .as_deref()
                    .map_or("none".to_string(), |t| quoted(t).to_string())
            };
            errors.push(RosterProblem::new(
                Some(other.row),
                Some("circuit_start"),
                format!(
                    "a circuit has one start, but row {} gives {} and row {} gives {}{of}",
                    first.row,
                    said(first),
                    other.row,
                    said(other)
                ),
                "write the same circuit_start on every row of the circuit (or leave it empty on every row)",
            ));
        }
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
        assert_eq!(rows_list(&[4]), "row 4");
        assert_eq!(rows_list(&[4, 6]), "rows 4 and 6");
        assert_eq!(rows_list(&[4, 6, 9]), "rows 4, 6 and 9");
        assert_eq!(rows_list(&[1, 2, 3, 4, 5, 6, 7]), "rows 1, 2, 3, 4, 5 and 2 more");
        assert_eq!(
            COLUMNS_LIST,
            format!(
                "{}, {}, {}, {} and {}",
                COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3], COLUMNS[4]
            )
        );
        let at = |s: &str| parse_start(s).map(|t| t.to_rfc3339());
        assert_eq!(
            at("2026-06-03T09:00+01:00").as_deref(),
            Some("2026-06-03T08:00:00+00:00")
        );
        assert_eq!(
            at("2026-06-03 09:00Z").as_deref(),
            Some("2026-06-03T09:00:00+00:00")
        );
        assert_eq!(
            at("2026-06-03T09:00:30-05:00").as_deref(),
            Some("2026-06-03T14:00:30+00:00")
        );
        assert_eq!(at("2026-06-03T09:00"), None, "no offset");
        assert_eq!(at("09:00+01:00"), None, "no date");
    }
}
