//! Reading a journal back: every line checked, the records replayed, a
//! torn tail or damage found and described.

use std::cell::Cell;
use std::fs::{self, File};
use std::io::{self, Read};

use std::path::{Path, PathBuf};

use super::error::*;
use super::layout::*;
use super::line::*;
use super::record::{GENESIS, Record, RecordRef, SheetKey};

// ---------------------------------------------------------------------------
// Replay

/// What replaying a journal found.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// Every intact record, in order: each one's hash checked, chained to
    /// the one before, numbered 1, 2, 3, ...
    pub records: Vec<Record>,
    /// A torn tail: the end of the file held an unfinished or unreadable
    /// last line (or lines) with nothing intact after it, as a crash or
    /// power cut in the middle of a write leaves it. A record is reported
    /// saved only once its whole line is on disk, so no saved record is in
    /// it, unless its last line was changed after it was written (which
    /// cannot be told apart from a write cut short).
    pub quarantined: Option<Quarantine>,
    /// Damage in the middle of the journal (only from [`read_sheet`];
    /// [`Store::open_sheet`] refuses such a journal instead). `records`
    /// then holds the intact lines before it.
    pub damage: Option<Damage>,
}

/// A torn tail set aside (by [`Store::open_sheet`]) or found (by
/// [`read_sheet`], which moves nothing).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quarantine {
    /// The quarantine file, `<station>.jsonl.quarantine` beside the journal.
    pub path: PathBuf,
    /// How many bytes the tail held.
    pub bytes: u64,
    /// The line (1-based) where the tail starts.
    pub first_bad_line: usize,
    /// What was wrong with that line, in words.
    pub reason: String,
    /// Whether the bytes were moved: appended to `path` (and fsynced) and
    /// cut off the journal. False from [`read_sheet`]: they are still at
    /// the end of the journal.
    pub moved: bool,
}

/// Where and why a journal is damaged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Damage {
    /// The first damaged line (1-based).
    pub line: usize,
    pub reason: String,
}

/// The result of reading a journal's bytes, before anything is done about
/// a problem.
pub(super) struct Scan {
    /// Length of the intact part: the end of the last intact line.
    pub(super) good_len: usize,
    pub(super) problem: Option<Problem>,
}

pub(super) struct Problem {
    pub(super) line: usize,
    pub(super) kind: ProblemKind,
    pub(super) reason: String,
}

pub(super) enum ProblemKind {
    /// Nothing intact after this line: a write cut short.
    TornTail,
    /// Something intact after it, or a sound line out of place.
    Damaged,
    /// A sound line of another sheet than the one expected.
    WrongKey,
    /// A sound line marked against another rubric; holds that rubric.
    WrongRubric(String),
}

/// What the records must say: the sheet and rubric the caller expects
/// (`given`), or else whatever line 1 says.
pub(super) struct Expect {
    pub(super) key: Option<SheetKey>,
    pub(super) rubric: Option<String>,
    pub(super) given: bool,
}

impl Expect {
    pub(super) fn given(key: &SheetKey, rubric: &str) -> Expect {
        Expect {
            key: Some(key.clone()),
            rubric: Some(rubric.to_string()),
            given: true,
        }
    }

    pub(super) fn from_line_1() -> Expect {
        Expect {
            key: None,
            rubric: None,
            given: false,
        }
    }
}

pub(super) fn describe(key: &SheetKey) -> String {
    format!(
        "assessment {}, station {}, candidate {}, examiner {} on device {}",
        key.assessment, key.station, key.candidate, key.examiner, key.device
    )
}

/// Reads `bytes` line by line, giving every intact, in-order record of the
/// expected sheet and rubric to `each`, and stopping at the first line that
/// is not one.
pub(super) fn scan<'a>(bytes: &'a [u8], mut expect: Expect, mut each: impl FnMut(RecordRef<'a>)) -> Scan {
    // The seq and hash of the last intact record, which the next one chains to.
    let mut last: Option<(u64, &'a str)> = None;
    let mut records = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        match next_record(bytes, pos, records + 1, last, &mut expect) {
            Ok((record, end)) => {
                last = Some((record.seq, record.hash));
                records += 1;
                each(record);
                pos = end;
            }
            Err(problem) => {
                return Scan {
                    good_len: pos,
                    problem: Some(problem),
                };
            }
        }
    }
    Scan {
        good_len: pos,
        problem: None,
    }
}

/// The record on line `line_no`, which starts at `pos`, and where that line
/// ends, if it is an intact record that follows `last` (the seq and hash of
/// the record before, if any).
pub(super) fn next_record<'a>(
    bytes: &'a [u8],
    pos: usize,
    line_no: usize,
    last: Option<(u64, &str)>,
    expect: &mut Expect,
) -> Result<(RecordRef<'a>, usize), Problem> {
    let (line, end, finished) = match memchr::memchr(b'\n', &bytes[pos..]) {
        Some(i) => (&bytes[pos..pos + i], pos + i + 1, true),
        None => (&bytes[pos..], bytes.len(), false),
    };
    let problem = |kind, reason: String| Problem {
        line: line_no,
        kind,
        reason,
    };

    let record = decode_line_ref(line).map_err(|e| match first_sound_line(&bytes[end..]) {
        // Intact lines after a bad one: not a write cut short.
        Some(k) => problem(
            ProblemKind::Damaged,
            format!("{e}, yet line {} after it is intact", line_no + k),
        ),
        None if finished => problem(ProblemKind::TornTail, e.to_string()),
        None => problem(
            ProblemKind::TornTail,
            format!("it is unfinished (no newline at its end) and {e}"),
        ),
    })?;
    if !finished {
        let reason = "it is unfinished (no newline at its end): it was still being written when osce stopped";
        return Err(problem(ProblemKind::TornTail, reason.into()));
    }

    let (want_seq, want_prev) = match last {
        Some((seq, hash)) => (seq.saturating_add(1), hash),
        None => (1, GENESIS),
    };
    if record.seq != want_seq {
        let reason = format!(
            "it is record number {} where {want_seq} was expected (a line was removed, added or moved)",
            record.seq
        );
        return Err(problem(ProblemKind::Damaged, reason));
    }
    if record.prev != want_prev {
        let reason = match line_no {
            1 => "its `prev` is not the start of a journal (lines were removed before it)".to_string(),
            n => format!(
                "its `prev` is not the hash of line {}: that line or this one was changed, \
                 or lines were removed or added between them",
                n - 1
            ),
        };
        return Err(problem(ProblemKind::Damaged, reason));
    }

    let whose = if expect.given {
        "this file's place"
    } else {
        "line 1"
    };
    match &expect.key {
        Some(want) if !record.is_for(want) => {
            let kind = if expect.given {
                ProblemKind::WrongKey
            } else {
                ProblemKind::Damaged
            };
            let reason = format!(
                "line {line_no} is for {}, but {whose} is for {}",
                describe(&record.key()),
                describe(want)
            );
            return Err(problem(kind, reason));
        }
        Some(_) => {}
        None => expect.key = Some(record.key()),
    }
    match &expect.rubric {
        Some(want) if record.rubric != want.as_str() => {
            let kind = if expect.given {
                ProblemKind::WrongRubric(record.rubric.to_string())
            } else {
                ProblemKind::Damaged
            };
            let reason = format!(
                "line {line_no} was marked against rubric {}, {whose} against {want}",
                record.rubric
            );
            return Err(problem(kind, reason));
        }
        Some(_) => {}
        None => expect.rubric = Some(record.rubric.to_string()),
    }
    Ok((record, end))
}

/// The number (1-based, counted within `rest`) of the first line of `rest`
/// that is a sound record on its own (its hash matches its bytes).
pub(super) fn first_sound_line(rest: &[u8]) -> Option<usize> {
    rest.split(|&b| b == b'\n')
        .position(|line| !line.is_empty() && decode_line_ref(line).is_ok())
        .map(|i| i + 1)
}

/// Where the torn tail of the journal at `journal` is set aside:
/// `<station>.jsonl.quarantine` beside it.
pub fn quarantine_path(journal: &Path) -> PathBuf {
    let mut name = journal.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(QUARANTINE_SUFFIX);
    journal.with_file_name(name)
}

/// Reads a journal without locking or changing it, for status, export and
/// audit. A torn tail is reported in [`Replay::quarantined`] (with
/// `moved: false`), damage in the middle in [`Replay::damage`], with the
/// intact records before either. The records are checked against the first
/// record's sheet and rubric, not against the file's place in the folders.
///
/// While an examiner is marking, the line being written may show up as a
/// torn tail for a moment; that is expected and harmless.
pub fn read_sheet(path: impl AsRef<Path>) -> Result<Replay, StoreError> {
    let mut records = Vec::new();
    let checked = read_sheet_with(path, |record| records.push(record.into_owned()))?;
    Ok(Replay {
        records,
        quarantined: checked.quarantined,
        damage: checked.damage,
    })
}

/// What [`read_sheet_with`] found wrong, besides the records it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// As [`Replay::quarantined`].
    pub quarantined: Option<Quarantine>,
    /// As [`Replay::damage`].
    pub damage: Option<Damage>,
}

/// [`read_sheet`] for a reader that keeps only what it needs of each
/// record (status and export, over tens of thousands of journals): every
/// intact record goes to `each` as it is read, in order, borrowed from the
/// file's bytes, after exactly the checks [`read_sheet`] makes.
pub fn read_sheet_with(
    path: impl AsRef<Path>,
    each: impl FnMut(RecordRef<'_>),
) -> Result<Checked, StoreError> {
    let path = path.as_ref();
    let len = plain_len(path)?;
    let mut buffer = BUFFER.take();
    let checked = File::open(path)
        .and_then(|file| read_whole(file, len, &mut buffer))
        .map_err(io_error(path))
        .map(|len| check_read(path, &buffer[..len], each));
    // Kept for this thread's next journal, unless it was a giant.
    if buffer.len() <= KEPT_BUFFER {
        BUFFER.set(buffer);
    }
    checked
}

/// The length of the journal file at `path`, which must be a plain file
/// (links followed).
fn plain_len(path: &Path) -> Result<u64, StoreError> {
    let meta = fs::metadata(path).map_err(io_error(path))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder, not a journal file"
        } else {
            "a special file, not a journal file"
        };
        return Err(StoreError::NotPlain {
            path: path.to_path_buf(),
            what,
        });
    }
    Ok(meta.len())
}

/// The bytes of the journal file at `path`, refused as
/// [`read_sheet_with`] refuses what is not a plain file.
pub fn read_journal_bytes(path: &Path) -> Result<Vec<u8>, StoreError> {
    let len = plain_len(path)?;
    let mut bytes = Vec::new();
    let read = File::open(path)
        .and_then(|file| read_whole(file, len, &mut bytes))
        .map_err(io_error(path))?;
    bytes.truncate(read);
    Ok(bytes)
}

thread_local! {
    /// The buffer the last journal was read into, for the next one: status
    /// and export read tens of thousands of journals on each thread, and a
    /// buffer of its own for each (fresh memory, zeroed) costs more than
    /// finding its lines.
    static BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// The largest buffer [`BUFFER`] keeps (a journal is some kilobytes).
pub(super) const KEPT_BUFFER: usize = 1 << 20;

/// The rest of [`read_sheet_with`], once the journal at `path` is read.
pub(super) fn check_read(path: &Path, bytes: &[u8], each: impl FnMut(RecordRef<'_>)) -> Checked {
    check_sheet_bytes(path, bytes, each).1
}

/// [`read_sheet_with`] on a journal's bytes already in memory (the exam
/// archive keeps them): exactly the same checks, every intact record given
/// to `each`. `path` names the journal in what is found. Also gives the
/// length of the intact part (the end of the last intact line).
pub fn check_sheet_bytes<'a>(
    path: &Path,
    bytes: &'a [u8],
    each: impl FnMut(RecordRef<'a>),
) -> (usize, Checked) {
    let scan = scan(bytes, Expect::from_line_1(), each);
    let mut checked = Checked {
        quarantined: None,
        damage: None,
    };
    match scan.problem {
        None => {}
        Some(Problem {
            line,
            kind: ProblemKind::TornTail,
            reason,
        }) => {
            checked.quarantined = Some(Quarantine {
                path: quarantine_path(path),
                bytes: (bytes.len() - scan.good_len) as u64,
                first_bad_line: line,
                reason,
                moved: false,
            });
        }
        Some(Problem { line, reason, .. }) => checked.damage = Some(Damage { line, reason }),
    }
    (scan.good_len, checked)
}

/// Reads the whole of `file`, `len` bytes long when last seen, into the
/// start of `bytes` (grown if need be; what is beyond is left as it was),
/// and says how long it is. Reads straight into a buffer a byte longer, so
/// that one `read` usually gets it all and a second finds the end: status
/// and export read tens of thousands of journals, and `read_to_end` would
/// first ask the file's size and position again. A file that grew
/// meanwhile is read to its new end.
pub(super) fn read_whole(mut file: File, len: u64, bytes: &mut Vec<u8>) -> io::Result<usize> {
    // A byte more than expected, so that the second read finds the end.
    let want = usize::try_from(len).unwrap_or(usize::MAX).saturating_add(1);
    if bytes.len() < want {
        grow(bytes, want - bytes.len())?;
    }
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            // The file grew since it was measured.
            grow(bytes, bytes.len() / 2 + 4096)?;
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => return Ok(filled),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Makes `bytes` `more` bytes longer; a file too big for memory is an
/// error, not an abort.
pub(super) fn grow(bytes: &mut Vec<u8>, more: usize) -> io::Result<()> {
    bytes
        .try_reserve_exact(more)
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    bytes.resize(bytes.len() + more, 0);
    Ok(())
}
