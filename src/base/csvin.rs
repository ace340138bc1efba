//! Reading CSV files that people write, usually in a spreadsheet: the
//! careful reading shared by [`crate::day::roster`] (candidate rosters) and
//! [`crate::day::import`] (paper marks).
//!
//! Both formats are read the same way, so that an administrator who has
//! learnt one has learnt the other: a size limit, UTF-8 only (with the line
//! and column of the first byte that is not), a byte-order mark tolerated,
//! rows counted as the spreadsheet counts them, blank rows skipped, cells
//! trimmed, a header row matched by name (with a "did you mean" hint), and
//! every problem reported at once with its row and column. What differs is
//! only wording ("row" or "line", "roster" or "marks file", the columns and
//! an example), which each module passes in, and the public types, which
//! each module keeps as they were: what is here is private to the crate.

use std::fmt;
use std::io::{self, Read};
use std::ops::Range;
use std::path::Path;

use crate::rubric::{did_you_mean, line_col, quoted, shorten};

// ---------------------------------------------------------------------------
// Problems

/// One problem in a file, as the shared code finds it: where it is (row and
/// column), what is wrong, and what to do about it. Each module turns it
/// into its own public type (`RosterProblem`, `ImportProblem`), which has
/// the same parts under its own names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The row as a spreadsheet numbers it (the header is row 1); `None`
    /// for a problem with the whole file.
    pub at: Option<usize>,
    /// The column's name as the format spells it (or as the header wrote
    /// it, for an unknown column).
    pub column: Option<String>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

/// The one constructor of every problem type that can be made from a
/// [`Problem`], so that `RosterProblem::new(...)` and
/// `ImportProblem::new(...)` build their problems the same way: an empty
/// help means none.
pub(crate) trait NewProblem: From<Problem> {
    fn new(
        at: Option<usize>,
        column: Option<&str>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let help = help.into();
        Problem {
            at,
            column: column.map(str::to_string),
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        }
        .into()
    }
}

impl<P: From<Problem>> NewProblem for P {}

/// Writes a problem as `row 4, name: the name is empty (help)`, with `row`
/// the word the format uses for a spreadsheet row (`row` in a roster, `line`
/// in an import file).
pub(crate) fn write_problem(
    f: &mut fmt::Formatter<'_>,
    row_word: &str,
    at: Option<usize>,
    column: Option<&str>,
    message: &str,
    help: Option<&str>,
) -> fmt::Result {
    match (at, column) {
        (Some(row), Some(column)) => write!(f, "{row_word} {row}, {column}: ")?,
        (Some(row), None) => write!(f, "{row_word} {row}: ")?,
        (None, Some(column)) => write!(f, "{column}: ")?,
        (None, None) => {}
    }
    f.write_str(message)?;
    if let Some(help) = help {
        write!(f, " ({help})")?;
    }
    Ok(())
}

/// Writes the problems one per line.
pub(crate) fn write_lines<T: fmt::Display>(f: &mut fmt::Formatter<'_>, problems: &[T]) -> fmt::Result {
    for (i, problem) in problems.iter().enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        write!(f, "{problem}")?;
    }
    Ok(())
}

/// One line per problem, each naming the file, so that every line of the
/// message can be read on its own.
pub(crate) fn prefix_lines<T: fmt::Display>(path: &Path, problems: &[T]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect();
    lines.join("\n")
}

// ---------------------------------------------------------------------------
// Reading the file

/// Why a file could not be read as text. Each module turns it into its own
/// public error, whose messages name the kind of file.
#[derive(Debug)]
pub(crate) enum ReadProblem {
    Io(io::Error),
    IsDirectory,
    /// Larger than the module's limit.
    TooLarge,
    /// Not UTF-8, or full of NULs; where the first bad byte is.
    NotText {
        line: usize,
        column: usize,
        /// What the bytes are instead ([`crate::base::text::not_utf8_why`]).
        why: String,
    },
}

/// Reads a whole file, refusing folders and files larger than `max` bytes
/// (such a file is the wrong file, and reading it all would only waste time
/// and memory). The bytes are as they are on disk, so that they can be
/// hashed before [`decode`] makes text of them.
pub(crate) fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, ReadProblem> {
    let file = std::fs::File::open(path).map_err(ReadProblem::Io)?;
    let meta = file.metadata().map_err(ReadProblem::Io)?;
    if meta.is_dir() {
        return Err(ReadProblem::IsDirectory);
    }
    if meta.len() > max {
        return Err(ReadProblem::TooLarge);
    }
    // Devices and pipes report no length, so the limit is enforced while
    // reading too.
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadProblem::TooLarge);
    }
    Ok(bytes)
}

/// A file's bytes as UTF-8 text, refusing binary data with the line and
/// column where it stops being text, as `rubric::read_text` does for
/// rubrics.
pub(crate) fn decode(mut bytes: Vec<u8>) -> Result<String, ReadProblem> {
    // Excel's "CSV UTF-8" starts the file with a byte-order mark.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let not_text = |prefix: &str, why: String| {
        let (line, column) = line_col(prefix, prefix.len());
        ReadProblem::NotText { line, column, why }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        // The valid prefix is text, so lines and columns can be counted.
        let bad = e.utf8_error().valid_up_to();
        let why = crate::base::text::not_utf8_why(e.as_bytes(), bad);
        not_text(&String::from_utf8_lossy(&e.as_bytes()[..bad]), why)
    })?;
    // UTF-16 without a byte-order mark is valid UTF-8 full of NULs.
    if let Some(nul) = text.find('\0') {
        return Err(not_text(
            &text[..nul],
            crate::base::text::not_utf8_why(text.as_bytes(), nul),
        ));
    }
    Ok(text)
}

// ---------------------------------------------------------------------------
// Rows

/// The rows of CSV text that hold something, each with its number as a
/// spreadsheet shows it and its cells, each cleaned by the module's
/// function (trimmed, at least). Rows of the wrong length are passed on,
/// for [`Table::cells`] to report all of them rather than the reader
/// stopping at the first.
struct Rows<'a> {
    reader: csv::Reader<&'a [u8]>,
    counter: RowCounter<'a>,
    record: csv::StringRecord,
    clean: fn(&str) -> &str,
    done: bool,
}

impl<'a> Rows<'a> {
    /// The rows of `text` (a byte-order mark at its start is ignored).
    fn new(text: &'a str, clean: fn(&str) -> &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Rows {
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes()),
            counter: RowCounter::new(text),
            record: csv::StringRecord::new(),
            clean,
            done: false,
        }
    }
}

impl Iterator for Rows<'_> {
    /// The row's number and its cleaned cells; or, once and last, why the
    /// text cannot be read as CSV.
    type Item = Result<(usize, Vec<String>), Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    // Reading from memory cannot fail on I/O, and the text
                    // is already UTF-8; this is kept only so nothing panics.
                    self.done = true;
                    return Some(Err(Problem::new(
                        None,
                        None,
                        format!("cannot read the file as CSV: {e}"),
                        "save it from your spreadsheet as CSV UTF-8",
                    )));
                }
            }
            let from = self.record.position().map_or(0, |p| p.byte());
            let row = self.counter.row_at(usize::try_from(from).unwrap_or(usize::MAX));
            self.counter.skip_breaks_inside(&self.record);
            let cells: Vec<String> = self.record.iter().map(|c| (self.clean)(c).to_string()).collect();
            // Blank lines, and rows a spreadsheet saved as nothing but
            // commas, hold nothing.
            if cells.iter().all(String::is_empty) {
                continue;
            }
            return Some(Ok((row, cells)));
        }
        self.done = true;
        None
    }
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

// ---------------------------------------------------------------------------
// The header, and the rows below it

/// What a format's header may hold, and the words of its messages. The
/// texts that are whole sentences are given whole, because the two formats
/// word them in a different order.
pub(crate) struct Layout<const N: usize> {
    /// The columns the format may have, as it spells them (lower case).
    pub columns: [&'static str; N],
    /// Indices into `columns` of the columns every file must have.
    pub required: &'static [usize],
    /// What the format calls a spreadsheet row in messages: `row` or `line`.
    pub row: &'static str,
    /// Which columns there may be, in words: "the columns a roster may have
    /// are ...".
    pub allowed: String,
    /// Column names for a header to copy, joined with commas.
    pub example: String,
    /// A data row with its last cells empty, to show what an empty cell is.
    pub short_row: &'static str,
    /// Help for an unknown column, after any "did you mean" hint.
    pub unknown_help: String,
    /// Help for a missing required column.
    pub missing_help: String,
    /// Help for a column with no name but something under it.
    pub unnamed_help: String,
}

/// A CSV file being read: where each known column is, from the header
/// row, and the rows below it still to come.
pub(crate) struct Table<'a, const N: usize> {
    rows: Rows<'a>,
    layout: Layout<N>,
    /// Cells per row.
    width: usize,
    /// The position of each of the layout's columns.
    at: [Option<usize>; N],
    /// Columns with no name: allowed while every cell under them is empty
    /// (spreadsheets sometimes save such columns), with the first row that
    /// has something in one.
    unnamed: Vec<(usize, Option<usize>)>,
}

impl<'a, const N: usize> Table<'a, N> {
    /// Reads `text` up to its header: the first row that holds something,
    /// its cells cleaned by `clean` as every row's will be. `Ok(None)` when
    /// there is no such row (the file is empty); `Err` when nothing below
    /// the header could be read. Problems that do not stop the reading (an
    /// unknown column, say) go to `errors`.
    pub fn open<P: From<Problem>>(
        text: &'a str,
        clean: fn(&str) -> &str,
        layout: Layout<N>,
        errors: &mut Vec<P>,
    ) -> Result<Option<Self>, Vec<P>> {
        let mut rows = Rows::new(text, clean);
        let mut first = || match rows.next() {
            None => None,
            Some(Err(problem)) => {
                errors.push(problem.into());
                None
            }
            Some(Ok(first)) => Some(first),
        };
        let Some((mut row, mut cells)) = first() else {
            return Ok(None);
        };
        // The line Excel writes first in some places to name the separator
        // (`sep=,`): not the header, which follows it.
        if let [sep, empty] = cells.as_slice()
            && sep.eq_ignore_ascii_case("sep=")
            && empty.is_empty()
        {
            let Some(next) = first() else {
                return Ok(None);
            };
            (row, cells) = next;
        }
        let columns = layout.columns;
        let names: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        let known = |name: &str| columns.contains(&name) || did_you_mean(name, columns).is_some();
        if let [only] = cells.as_slice()
            && (only.contains(';') || only.contains('\t'))
        {
            let separator = if only.contains(';') { "semicolons" } else { "tabs" };
            return Err(vec![P::new(
                Some(row),
                None,
                format!(
                    "the header is one cell, {}: the columns seem to be separated by {separator}, not commas",
                    quoted(only)
                ),
                "save the file as CSV with commas, e.g. in Excel as \"CSV UTF-8 (Comma delimited)\"",
            )]);
        }
        if !names.iter().any(|n| known(n)) {
            return Err(vec![P::new(
                Some(row),
                None,
                format!(
                    "the first {} is not a header: {}",
                    layout.row,
                    quoted_list(&cells)
                ),
                format!(
                    "add a first {} naming the columns, e.g. {}; {}",
                    layout.row, layout.example, layout.allowed
                ),
            )]);
        }
        let mut problems = Vec::new();
        let mut at = [None; N];
        let mut unnamed = Vec::new();
        for (i, (cell, name)) in cells.iter().zip(&names).enumerate() {
            if name.is_empty() {
                unnamed.push((i, None));
            } else if let Some(k) = columns.iter().position(|c| c == name) {
                match at[k] {
                    None => at[k] = Some(i),
                    Some(first) => problems.push(P::new(
                        Some(row),
                        Some(columns[k]),
                        format!(
                            "the column appears twice, in columns {} and {}",
                            column_label(first),
                            column_label(i)
                        ),
                        "keep one of them and delete the other",
                    )),
                }
            } else {
                problems.push(P::new(
                    Some(row),
                    Some(&shorten(cell)),
                    format!("unknown column {} in column {}", quoted(cell), column_label(i)),
                    format!("{}{}", hint(did_you_mean(name, columns)), layout.unknown_help),
                ));
            }
        }
        let missing: Vec<&str> = layout
            .required
            .iter()
            .filter(|&&k| at[k].is_none())
            .map(|&k| columns[k])
            .collect();
        for column in &missing {
            problems.push(P::new(
                Some(row),
                None,
                format!("the header has no {column} column"),
                layout.missing_help.clone(),
            ));
        }
        if !missing.is_empty() {
            return Err(problems);
        }
        errors.extend(problems);
        Ok(Some(Table {
            rows,
            layout,
            width: cells.len(),
            at,
            unnamed,
        }))
    }

    /// The next row below the header that holds something: its number and
    /// its cleaned cells, for [`Table::cells`]. `None` at the end, or when
    /// the text stops being CSV (the problem goes to `errors`).
    pub fn next_row<P: From<Problem>>(&mut self, errors: &mut Vec<P>) -> Option<(usize, Vec<String>)> {
        match self.rows.next()? {
            Ok(row) => Some(row),
            Err(problem) => {
                errors.push(problem.into());
                None
            }
        }
    }

    /// Whether the header has the column with this index into the layout's
    /// columns.
    pub fn has(&self, column: usize) -> bool {
        self.at[column].is_some()
    }

    /// The cells of one data row by column (in the order of the layout's
    /// columns), empty where the header has no such column. `None`, with
    /// the problem reported, when they do not line up with the header, so
    /// nothing in them can be trusted.
    pub fn cells<'c, P: From<Problem>>(
        &mut self,
        row: usize,
        cells: &'c [String],
        errors: &mut Vec<P>,
    ) -> Option<[&'c str; N]> {
        if cells.len() != self.width {
            // A quote left open runs its cell on over the lines below (the
            // rest of the file, often): fewer cells, one of them with line
            // breaks. The quote is the mistake, not the count.
            if cells.len() < self.width && cells.iter().any(|c| c.contains(['\n', '\r'])) {
                errors.push(P::new(
                    Some(row),
                    None,
                    format!(
                        "a double quote on this {} is missing its closing partner, so its cell runs on over the \
                         lines below",
                        self.layout.row
                    ),
                    "close the quote at the end of the cell, as in \"Smith, Anna\", or remove it; a quote inside \
                     a quoted cell is written twice"
                        .to_string(),
                ));
                return None;
            }
            let help = if cells.len() > self.width {
                "a cell with a comma in it must be in double quotes, e.g. \"Smith, Anna\", with no space before \
                 the opening quote"
                    .to_string()
            } else {
                // The example has as many cells as the header.
                let mut example: Vec<&str> = self.layout.short_row.split(',').collect();
                example.resize(self.width.max(1), "");
                format!(
                    "add the missing cells; an empty cell is nothing between two commas, e.g. {}",
                    example.join(",")
                )
            };
            errors.push(P::new(
                Some(row),
                None,
                format!(
                    "the {} has {} but the header has {} columns",
                    self.layout.row,
                    crate::base::text::plural(cells.len(), "cell", "cells"),
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
        Some(self.at.map(|at| at.map_or("", |i| cells[i].as_str())))
    }

    /// Reports each column with no name that has something under it, at
    /// the first row that does.
    pub fn unnamed_columns<P: From<Problem>>(&self, errors: &mut Vec<P>) {
        for (column, first) in &self.unnamed {
            if let Some(row) = first {
                errors.push(P::new(
                    Some(*row),
                    None,
                    format!(
                        "column {} has something in it, but no name in the header",
                        column_label(*column)
                    ),
                    self.layout.unnamed_help.clone(),
                ));
            }
        }
    }
}

/// `did you mean "knee"? ` before the rest of a help, for a near miss;
/// nothing when there is none.
pub(crate) fn hint(near: Option<&str>) -> String {
    match near {
        Some(near) => format!("did you mean \"{near}\"? "),
        None => String::new(),
    }
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

/// `"C001", "Anna Smith"`, shortened after a few (and each long cell
/// shortened too).
fn quoted_list(cells: &[String]) -> String {
    let mut shown: Vec<String> = cells.iter().take(4).map(|c| quoted(c)).collect();
    if cells.len() > 4 {
        shown.push("...".to_string());
    }
    shown.join(", ")
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
    }

    #[test]
    fn line_breaks_count_crlf_once() {
        assert_eq!(line_breaks(b"a\r\nb\nc\rd", 0..8), 3);
        assert_eq!(line_breaks(b"\r\n", 0..1), 0);
        assert_eq!(line_breaks(b"\r\n", 1..2), 1);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_numbers_them() {
        let text = "\u{feff}a,b\n\n ,\n\"x\ny\", z \r\nc,d";
        let rows: Vec<(usize, Vec<String>)> = Rows::new(text, str::trim).map(Result::unwrap).collect();
        assert_eq!(
            rows,
            vec![
                (1, vec!["a".to_string(), "b".to_string()]),
                (4, vec!["x\ny".to_string(), "z".to_string()]),
                (5, vec!["c".to_string(), "d".to_string()]),
            ]
        );
    }
}
