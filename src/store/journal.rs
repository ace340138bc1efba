//! Sheet journals on disk: one append-only file of records per sheet.
//!
//! ```text
//! <root>/<assessment>/<examiner>@<device>/<candidate>/<station>.jsonl
//! ```
//!
//! Each examiner's device writes only its own `<examiner>@<device>` folder,
//! so the folders of several laptops can be copied into one root later
//! without two of them ever holding the same file.
//!
//! What this module promises, and how:
//!
//! - A record is on disk before [`Journal::append`] returns `Ok`: the whole
//!   line goes out in one `write_all`, then `sync_data`. The caller says
//!   "saved" only after that. A failed append is cut back off the file so
//!   no half line stays behind.
//! - Every line carries a BLAKE3 hash of its own bytes, and every record the
//!   hash of the one before it (`prev`), so a changed, removed or inserted
//!   line is found on replay. The hash is checked on the bytes as they are
//!   in the file; nothing is ever re-serialised to check it.
//! - A write cut short by a crash or power cut (a torn tail) is set aside,
//!   byte for byte, in `<station>.jsonl.quarantine` and reported, never
//!   silently dropped. Damage with intact lines after it is not a torn
//!   write: such a journal is refused for writing and left as it is.
//! - One writer per sheet: [`Store::open_sheet`] holds an exclusive lock on
//!   the journal for as long as the [`Journal`] lives.
//! - Nothing is written through a symbolic link; folders are created
//!   `0o700` and files `0o600`, since they hold candidates' personal data;
//!   every id is checked with [`check_id`] before a path is built from it.
//!
//! The format is described for people in `docs/session-format.md`.

use std::cell::Cell;
use std::fmt;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::record::{Event, GENESIS, Record, RecordRef, SheetKey};
use crate::ids::check_id;

/// The extension of a journal file.
pub const JOURNAL_EXTENSION: &str = "jsonl";

/// What is added to a journal's file name to name its quarantine file.
pub const QUARANTINE_SUFFIX: &str = ".quarantine";

/// Mode of the folders the store creates: owner only.
pub(super) const DIR_MODE: u32 = 0o700;
/// Mode of the files the store creates: owner only, read and write.
pub(super) const FILE_MODE: u32 = 0o600;

/// `O_NOFOLLOW` without a `libc` dependency: opening a path whose last part
/// is a symbolic link then fails instead of following it. The value differs
/// between architectures; where it is not known here it is 0 and the
/// `symlink_metadata` check before every open is the only guard.
#[cfg(all(
    any(target_os = "linux", target_os = "android"),
    any(
        target_arch = "x86",
        target_arch = "x86_64",
        target_arch = "riscv32",
        target_arch = "riscv64",
        target_arch = "s390x",
        target_arch = "loongarch64"
    )
))]
pub(super) const O_NOFOLLOW: i32 = 0o400000;
#[cfg(all(
    any(target_os = "linux", target_os = "android"),
    any(
        target_arch = "arm",
        target_arch = "aarch64",
        target_arch = "powerpc",
        target_arch = "powerpc64"
    )
))]
pub(super) const O_NOFOLLOW: i32 = 0o100000;
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
pub(super) const O_NOFOLLOW: i32 = 0x0100;
#[cfg(not(any(
    all(
        any(target_os = "linux", target_os = "android"),
        any(
            target_arch = "x86",
            target_arch = "x86_64",
            target_arch = "riscv32",
            target_arch = "riscv64",
            target_arch = "s390x",
            target_arch = "loongarch64",
            target_arch = "arm",
            target_arch = "aarch64",
            target_arch = "powerpc",
            target_arch = "powerpc64"
        )
    ),
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd"
)))]
pub(super) const O_NOFOLLOW: i32 = 0;

/// An assessor's moderation journal, in their `<assessor>@<device>` folder.
pub const MODERATION_FILE: &str = "moderation.jsonl";

/// The key every record of an assessor's moderation journal carries: no
/// station, no candidate; the assessor in `examiner`.
pub fn moderation_key(assessment: &str, assessor: &str, device: &str) -> SheetKey {
    SheetKey {
        assessment: assessment.to_string(),
        station: String::new(),
        candidate: String::new(),
        examiner: assessor.to_string(),
        device: device.to_string(),
    }
}

/// What introduces the hash at the end of every line.
const HASH_MARK: &[u8] = b",\"hash\":\"";

// ---------------------------------------------------------------------------
// Errors

/// Why the store could not do what was asked. Every message names the file
/// and says what to do; none of them means a mark was lost, only that the
/// step that failed did not happen (in particular, a failed
/// [`Journal::append`] saved nothing).
#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "{}: {source}. If this happened while saving, nothing was saved. Check that the disk is present, \
         not full and writable by you, then try again",
        path.display()
    )]
    Io { path: PathBuf, source: io::Error },

    #[error(
        "{} is already open in another osce window or process (on this computer, or on another one sharing this folder). \
         Two windows must never write the same sheet: close the other one, then open the sheet again",
        path.display()
    )]
    Locked { path: PathBuf },

    #[error(
        "{} is damaged at line {line}: {reason}. osce will not write to a damaged journal and has changed nothing. \
         Do not edit the file; keep a copy of it as it is and tell the exam lead, who can read the intact lines before line {line}",
        path.display()
    )]
    Damaged {
        path: PathBuf,
        line: usize,
        reason: String,
    },

    #[error(
        "{} was marked against a different rubric (BLAKE3 {found}) from the one given now (BLAKE3 {expected}). \
         Marks must not move silently to a changed rubric: open this sheet with the rubric file the marks were made with",
        path.display()
    )]
    RubricChanged {
        path: PathBuf,
        expected: String,
        found: String,
    },

    #[error("cannot use the {what} id {id:?} in a file name: {reason}")]
    BadId {
        what: &'static str,
        id: String,
        reason: String,
    },

    #[error(
        "{} does not belong to this sheet: {reason}. It may have been copied or moved into the wrong folder; \
         osce has changed nothing. Put it back where it came from, or ask the exam lead",
        path.display()
    )]
    WrongSheet { path: PathBuf, reason: String },

    #[error(
        "{} is {what}. osce writes only to plain files and folders, never through a symbolic link: \
         replace it with the real file or folder, or use another sessions folder",
        path.display()
    )]
    NotPlain { path: PathBuf, what: &'static str },

    #[error("cannot save to {}: {reason}. Nothing was saved; this is a bug in osce, please report it", path.display())]
    Unwritable { path: PathBuf, reason: String },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Why one line is not a sound record (its own bytes only; the chain to the
/// line before is checked by replay).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LineError {
    #[error("it has no hash at its end (the line is cut short, or is not a record)")]
    NoHash,
    #[error("its hash is not 64 lowercase hex digits closing the line")]
    BadHashField,
    #[error("its bytes do not match its hash (the line was changed after it was written)")]
    HashMismatch,
    #[error("it is not a valid record: {0}")]
    NotARecord(String),
    #[error("the record cannot be written as a line that reads back: {0}")]
    Unencodable(String),
}

// ---------------------------------------------------------------------------
// Lines

/// The whole text of a journal holding `events` in order, each line
/// encoded and chained as [`Journal::append`] writes it.
pub fn encode_journal(
    key: &SheetKey,
    rubric_hash: &str,
    events: Vec<(Event, DateTime<Utc>)>,
) -> Result<String, LineError> {
    let mut text = String::with_capacity(events.len() * 480);
    let mut prev = GENESIS.to_string();
    for (i, (event, time)) in events.into_iter().enumerate() {
        let mut record = Record {
            seq: i as u64 + 1,
            time,
            rubric: rubric_hash.to_string(),
            assessment: key.assessment.clone(),
            station: key.station.clone(),
            candidate: key.candidate.clone(),
            examiner: key.examiner.clone(),
            device: key.device.clone(),
            event,
            prev,
            hash: String::new(),
        };
        text.push_str(&encode_line(&mut record)?);
        prev = record.hash;
    }
    Ok(text)
}

/// The rubric's identity as stored in every record's `rubric` field: the
/// BLAKE3 hash (64 lowercase hex digits) of what the rubric says, so that
/// saving it with other line endings, layout or comments changes nothing
/// (see [`crate::rubric::content_hash`]).
pub fn hash_rubric(source: &str) -> String {
    crate::rubric::content_hash(source)
}

/// Encodes `record` as its journal line (ending in `\n`) and fills in
/// `record.hash`. `record.prev` and `record.seq` are taken as they are.
///
/// The line is checked to read back (with [`decode_line`]) before it is
/// returned, so a record that could not be read again (for example a score
/// that is not a finite number, which JSON writes as `null`) is refused
/// here rather than written.
pub fn encode_line(record: &mut Record) -> Result<String, LineError> {
    let json = serde_json::to_string(&*record).map_err(|e| LineError::Unencodable(e.to_string()))?;
    let Some(body) = json.strip_suffix('}') else {
        return Err(LineError::Unencodable(
            "the record did not serialise as a JSON object".into(),
        ));
    };
    let hash = blake3::hash(json.as_bytes()).to_hex().to_string();
    let line = format!("{body},\"hash\":\"{hash}\"}}\n");
    if let Err(e) = decode_line(line.as_bytes()) {
        return Err(LineError::Unencodable(format!("it would not read back: {e}")));
    }
    record.hash = hash;
    Ok(line)
}

/// Decodes one journal line (with or without its final `\n`) and checks its
/// own hash: the bytes before the last `,"hash":"`, closed with `}`, must
/// hash to the 64 hex digits after it. Returns the record with `hash`
/// filled in. Does not check `prev` or `seq` (that needs the line before).
pub fn decode_line(line: &[u8]) -> Result<Record, LineError> {
    decode_line_ref(line).map(RecordRef::into_owned)
}

/// [`decode_line`] without copying: the record's text fields are borrowed
/// from `line` where they can be. The same checks, the same errors.
pub fn decode_line_ref(line: &[u8]) -> Result<RecordRef<'_>, LineError> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let at = find_hash_mark(line).ok_or(LineError::NoHash)?;
    let tail = &line[at + HASH_MARK.len()..];
    if tail.len() != 66 || &tail[64..] != b"\"}" {
        return Err(LineError::BadHashField);
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update(&line[..at]);
    hasher.update(b"}");
    let computed = hasher.finalize().to_hex();
    if computed.as_bytes() != &tail[..64] {
        // Digits equal to the computed ones are lowercase hex: only a
        // mismatch needs telling apart from a field that is not a hash.
        let hex_ok = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        if !tail[..64].iter().all(hex_ok) {
            return Err(LineError::BadHashField);
        }
        return Err(LineError::HashMismatch);
    }
    // Equal to the computed hash's 64 hex digits.
    let hash = std::str::from_utf8(&tail[..64]).map_err(|_| LineError::BadHashField)?;
    // Nearly every line is in the plain form osce writes; serde_json reads
    // (and judges) any other.
    if let Some(record) = super::plain::read(line, at, hash) {
        return Ok(record);
    }
    let record: Record = serde_json::from_slice(line).map_err(|e| LineError::NotARecord(e.to_string()))?;
    if record.hash.as_bytes() != computed.as_bytes() {
        // Only possible if the object also held a `hash` key of its own.
        return Err(LineError::NotARecord(
            "its hash field is not the one at its end".into(),
        ));
    }
    Ok(RecordRef::from_owned(record, hash))
}

/// Where `,"hash":"` last starts in `line`.
fn find_hash_mark(line: &[u8]) -> Option<usize> {
    // In a sound line it starts 75 bytes from the end (then 64 hex digits
    // and `"}`, none of them a comma, so no later one can start there).
    let usual = line.len().checked_sub(HASH_MARK.len() + 66);
    if let Some(at) = usual
        && line[at..].starts_with(HASH_MARK)
    {
        return Some(at);
    }
    memchr::memmem::rfind(line, HASH_MARK)
}

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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The first damaged line (1-based).
    pub line: usize,
    pub reason: String,
}

/// The result of reading a journal's bytes, before anything is done about
/// a problem.
struct Scan {
    /// Length of the intact part: the end of the last intact line.
    good_len: usize,
    problem: Option<Problem>,
}

struct Problem {
    line: usize,
    kind: ProblemKind,
    reason: String,
}

enum ProblemKind {
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
struct Expect {
    key: Option<SheetKey>,
    rubric: Option<String>,
    given: bool,
}

impl Expect {
    fn given(key: &SheetKey, rubric: &str) -> Expect {
        Expect {
            key: Some(key.clone()),
            rubric: Some(rubric.to_string()),
            given: true,
        }
    }

    fn from_line_1() -> Expect {
        Expect {
            key: None,
            rubric: None,
            given: false,
        }
    }
}

fn describe(key: &SheetKey) -> String {
    format!(
        "assessment {}, station {}, candidate {}, examiner {} on device {}",
        key.assessment, key.station, key.candidate, key.examiner, key.device
    )
}

/// Reads `bytes` line by line, giving every intact, in-order record of the
/// expected sheet and rubric to `each`, and stopping at the first line that
/// is not one.
fn scan<'a>(bytes: &'a [u8], mut expect: Expect, mut each: impl FnMut(RecordRef<'a>)) -> Scan {
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
fn next_record<'a>(
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
fn first_sound_line(rest: &[u8]) -> Option<usize> {
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
    let mut buffer = BUFFER.take();
    let checked = File::open(path)
        .and_then(|file| read_whole(file, meta.len(), &mut buffer))
        .map_err(io_error(path))
        .map(|len| check_read(path, &buffer[..len], each));
    // Kept for this thread's next journal, unless it was a giant.
    if buffer.len() <= KEPT_BUFFER {
        BUFFER.set(buffer);
    }
    checked
}

thread_local! {
    /// The buffer the last journal was read into, for the next one: status
    /// and export read tens of thousands of journals on each thread, and a
    /// buffer of its own for each (fresh memory, zeroed) costs more than
    /// finding its lines.
    static BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// The largest buffer [`BUFFER`] keeps (a journal is some kilobytes).
const KEPT_BUFFER: usize = 1 << 20;

/// The rest of [`read_sheet_with`], once the journal at `path` is read.
fn check_read(path: &Path, bytes: &[u8], each: impl FnMut(RecordRef<'_>)) -> Checked {
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
    checked
}

/// Reads the whole of `file`, `len` bytes long when last seen, into the
/// start of `bytes` (grown if need be; what is beyond is left as it was),
/// and says how long it is. Reads straight into a buffer a byte longer, so
/// that one `read` usually gets it all and a second finds the end: status
/// and export read tens of thousands of journals, and `read_to_end` would
/// first ask the file's size and position again. A file that grew
/// meanwhile is read to its new end.
fn read_whole(mut file: File, len: u64, bytes: &mut Vec<u8>) -> io::Result<usize> {
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
fn grow(bytes: &mut Vec<u8>, more: usize) -> io::Result<()> {
    bytes
        .try_reserve_exact(more)
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    bytes.resize(bytes.len() + more, 0);
    Ok(())
}

// ---------------------------------------------------------------------------
// The store

/// The sessions folder, holding every journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    root: PathBuf,
}

pub(super) fn check(what: &'static str, id: &str) -> Result<(), StoreError> {
    check_id(id).map_err(|reason| StoreError::BadId {
        what,
        id: id.to_string(),
        reason,
    })
}

fn check_key(key: &SheetKey) -> Result<(), StoreError> {
    check("assessment", &key.assessment)?;
    check("examiner", &key.examiner)?;
    check("device", &key.device)?;
    check("candidate", &key.candidate)?;
    check("station", &key.station)
}

impl Store {
    /// A store rooted at `root`. Nothing is touched until a sheet is opened.
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<assessment>/<examiner>@<device>/<candidate>/<station>.jsonl`,
    /// after checking every id in `key`.
    pub fn sheet_path(&self, key: &SheetKey) -> Result<PathBuf, StoreError> {
        check_key(key)?;
        Ok(self
            .root
            .join(&key.assessment)
            .join(format!("{}@{}", key.examiner, key.device))
            .join(&key.candidate)
            .join(format!("{}.{JOURNAL_EXTENSION}", key.station)))
    }

    /// Opens the sheet's journal for writing, creating it (and its folders)
    /// if absent, and replays what it holds.
    ///
    /// The journal stays locked until the [`Journal`] is dropped; a second
    /// opening, from this process or another, gets [`StoreError::Locked`].
    /// Refused, with nothing changed: a journal for another sheet
    /// ([`StoreError::WrongSheet`]), made against another rubric
    /// ([`StoreError::RubricChanged`]), or damaged in the middle
    /// ([`StoreError::Damaged`]). A torn tail is moved to the quarantine
    /// file and reported in [`Replay::quarantined`].
    pub fn open_sheet(&self, key: &SheetKey, rubric_hash: &str) -> Result<(Journal, Replay), StoreError> {
        let path = self.sheet_path(key)?;
        self.open_journal(path, 3, key, rubric_hash)
    }

    /// `<root>/<assessment>/<assessor>@<device>/moderation.jsonl`: an
    /// external assessor's moderation journal, after checking the ids.
    pub fn moderation_path(
        &self,
        assessment: &str,
        assessor: &str,
        device: &str,
    ) -> Result<PathBuf, StoreError> {
        check("assessment", assessment)?;
        check("assessor", assessor)?;
        check("device", device)?;
        Ok(self
            .root
            .join(assessment)
            .join(format!("{assessor}@{device}"))
            .join(MODERATION_FILE))
    }

    /// Opens an assessor's moderation journal for writing, as
    /// [`Store::open_sheet`] opens a sheet's: created if absent, locked,
    /// replayed, a torn tail quarantined. Its records carry no station or
    /// candidate ([`moderation_key`]).
    pub fn open_moderation(
        &self,
        assessment: &str,
        assessor: &str,
        device: &str,
        rubric_hash: &str,
    ) -> Result<(Journal, Replay), StoreError> {
        let path = self.moderation_path(assessment, assessor, device)?;
        self.open_journal(
            path,
            2,
            &moderation_key(assessment, assessor, device),
            rubric_hash,
        )
    }

    /// Every moderation journal of an assessment: (assessor, device, path),
    /// sorted. Like [`Store::sheets`], lists only what osce could have
    /// written.
    pub fn moderation_journals(
        &self,
        assessment: &str,
    ) -> Result<Vec<(String, String, PathBuf)>, StoreError> {
        check("assessment", assessment)?;
        let mut found = Vec::new();
        for (who, who_dir) in subfolders(&self.root.join(assessment))? {
            let Some((assessor, device)) = who.split_once('@') else {
                continue;
            };
            if check_id(assessor).is_err() || check_id(device).is_err() {
                continue;
            }
            let path = who_dir.join(MODERATION_FILE);
            if fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                found.push((assessor.to_string(), device.to_string(), path));
            }
        }
        found.sort();
        Ok(found)
    }

    /// Writes a whole new sheet at once, for `osce simulate`: each record
    /// encoded and chained exactly as [`Journal::append`] does, in one write.
    /// With `sync`, the file and its folder are fsynced once at the end
    /// (not after every record). Refuses a sheet that already exists.
    pub fn write_new_sheet(
        &self,
        key: &SheetKey,
        rubric_hash: &str,
        events: Vec<(Event, DateTime<Utc>)>,
        sync: bool,
    ) -> Result<PathBuf, StoreError> {
        let path = self.sheet_path(key)?;
        ensure_root(&self.root)?;
        let mut dirs: Vec<&Path> = path.ancestors().skip(1).take(3).collect();
        dirs.reverse();
        for dir in &dirs {
            ensure_dir(dir)?;
        }
        let (mut file, created) = open_no_follow(&path, true)?;
        if !created {
            return Err(StoreError::Io {
                path,
                source: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the sheet already exists; nothing was written",
                ),
            });
        }
        let text = encode_journal(key, rubric_hash, events).map_err(|e| StoreError::Unwritable {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        file.write_all(text.as_bytes()).map_err(io_error(&path))?;
        if sync {
            file.sync_data().map_err(io_error(&path))?;
            if let Some(parent) = path.parent() {
                sync_dir(parent)?;
            }
        }
        Ok(path)
    }

    /// Opens (creating it and the `levels` folders above it where absent)
    /// the journal at `path`, locks it and replays it against `key`.
    fn open_journal(
        &self,
        path: PathBuf,
        levels: usize,
        key: &SheetKey,
        rubric_hash: &str,
    ) -> Result<(Journal, Replay), StoreError> {
        ensure_root(&self.root)?;
        let mut dirs: Vec<&Path> = path.ancestors().skip(1).take(levels).collect();
        dirs.reverse();
        for dir in &dirs {
            ensure_dir(dir)?;
        }
        let parent = path.parent().unwrap_or(&self.root).to_path_buf();

        let (mut file, created) = open_no_follow(&path, false)?;
        // An exclusive flock, held for the journal's lifetime.
        lock(&file, &path)?;
        if created {
            sync_dir(&parent)?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_error(&path))?;

        let mut records = Vec::new();
        let scan = scan(&bytes, Expect::given(key, rubric_hash), |record| {
            records.push(record.into_owned())
        });
        let mut quarantined = None;
        match scan.problem {
            None => {}
            Some(Problem { line, kind, reason }) => match kind {
                ProblemKind::TornTail => {
                    quarantined = Some(set_aside(&mut file, &path, &bytes, scan.good_len, line, reason)?);
                }
                ProblemKind::Damaged => return Err(StoreError::Damaged { path, line, reason }),
                ProblemKind::WrongKey => return Err(StoreError::WrongSheet { path, reason }),
                ProblemKind::WrongRubric(found) => {
                    return Err(StoreError::RubricChanged {
                        path,
                        expected: rubric_hash.to_string(),
                        found,
                    });
                }
            },
        }
        let journal = Journal {
            file,
            path,
            key: key.clone(),
            rubric: rubric_hash.to_string(),
            records: records.clone(),
            len: scan.good_len as u64,
            unsure: false,
        };
        Ok((
            journal,
            Replay {
                records,
                quarantined,
                damage: None,
            },
        ))
    }

    /// Every journal of an assessment, sorted by sheet (station, candidate,
    /// examiner, device). Lists only what osce could have written: folders
    /// and files whose names are valid ids in the layout; quarantine files
    /// and anything else are left out. A missing root or assessment folder
    /// gives an empty list. Symbolic links are followed here (reading only).
    pub fn sheets(&self, assessment: &str) -> Result<Vec<(SheetKey, PathBuf)>, StoreError> {
        check("assessment", assessment)?;
        // Every candidate folder first, in the order a walk meets them (up
        // to the first folder that cannot be listed); then their files, on
        // every core, since a cohort has a folder for each candidate of
        // each examiner. The first error in walking order is the one given.
        let mut folders = Vec::new();
        'walk: for (who, who_dir) in subfolders(&self.root.join(assessment))? {
            let Some((examiner, device)) = who.split_once('@') else {
                continue;
            };
            if check_id(examiner).is_err() || check_id(device).is_err() {
                continue;
            }
            let candidates = match subfolders(&who_dir) {
                Ok(candidates) => candidates,
                Err(e) => {
                    folders.push(Err(e));
                    break 'walk;
                }
            };
            for (candidate, candidate_dir) in candidates {
                if check_id(&candidate).is_err() {
                    continue;
                }
                let key = SheetKey {
                    assessment: assessment.to_string(),
                    station: String::new(),
                    candidate,
                    examiner: examiner.to_string(),
                    device: device.to_string(),
                };
                folders.push(Ok((key, candidate_dir)));
            }
        }
        let listed = crate::threads::map(folders, 256, |folder| {
            let (key, dir) = folder?;
            journals_in(key, &dir)
        });
        let mut found = Vec::new();
        for journals in listed {
            found.extend(journals?);
        }
        found.sort();
        Ok(found)
    }
}

/// The journals in one candidate's folder `dir`, whose sheets are `key`
/// with each file's station.
fn journals_in(key: SheetKey, dir: &Path) -> Result<Vec<(SheetKey, PathBuf)>, StoreError> {
    let suffix = format!(".{JOURNAL_EXTENSION}");
    let mut found = Vec::new();
    for (name, path) in entries(dir, false)? {
        let Some(station) = name.strip_suffix(&suffix) else {
            continue;
        };
        if check_id(station).is_err() {
            continue;
        }
        let key = SheetKey {
            station: station.to_string(),
            ..key.clone()
        };
        found.push((key, path));
    }
    Ok(found)
}

/// The named sub-folders (or, with `dirs == false`, plain files) of `dir`,
/// following links; nothing if `dir` does not exist. Names that are not
/// UTF-8 are skipped (no id can produce them).
fn entries(dir: &Path, dirs: bool) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(StoreError::Io {
                path: dir.to_path_buf(),
                source: e,
            });
        }
    };
    let mut out = Vec::new();
    for entry in read {
        let entry = entry.map_err(io_error(dir))?;
        let path = entry.path();
        // The folder listing gives each entry's type: only a link needs a
        // `stat` to see what it leads to (a cohort has tens of thousands
        // of folders and files).
        let kind = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => fs::metadata(&path).map(|meta| meta.file_type()),
            other => other,
        };
        let kind = match kind {
            Ok(kind) => kind,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue, // removed meanwhile, or a dangling link
            Err(e) => return Err(StoreError::Io { path, source: e }),
        };
        if ((dirs && kind.is_dir()) || (!dirs && kind.is_file()))
            && let Ok(name) = entry.file_name().into_string()
        {
            out.push((name, path));
        }
    }
    Ok(out)
}

fn subfolders(dir: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    entries(dir, true)
}

// ---------------------------------------------------------------------------
// Files and folders

fn fsync_dir(dir: &Path) -> io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)?.sync_all()
}

/// Makes the entries in `dir` durable (after creating a file or folder in it).
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    fsync_dir(dir).map_err(io_error(dir))
}

/// Creates the sessions root and any missing folders above it (`0o700`,
/// each made durable in its parent). The root itself may be a symbolic
/// link to a folder: that is the user's choice of where marks go.
pub(super) fn ensure_root(root: &Path) -> Result<(), StoreError> {
    let mut missing = Vec::new();
    let mut dir = root;
    loop {
        match fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(StoreError::NotPlain {
                    path: dir.to_path_buf(),
                    what: "a file, not a folder",
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => missing.push(dir),
            Err(e) => {
                return Err(StoreError::Io {
                    path: dir.to_path_buf(),
                    source: e,
                });
            }
        }
        match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => dir = parent,
            _ => break,
        }
    }
    for dir in missing.into_iter().rev() {
        create_dir(dir)?;
    }
    Ok(())
}

/// Makes sure `dir` is a real folder (not a link), creating it (`0o700`,
/// made durable in its parent) if absent.
pub(super) fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    match fs::symlink_metadata(dir) {
        Ok(meta) => plain_dir(dir, &meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => create_dir(dir),
        Err(e) => Err(StoreError::Io {
            path: dir.to_path_buf(),
            source: e,
        }),
    }
}

fn plain_dir(dir: &Path, meta: &fs::Metadata) -> Result<(), StoreError> {
    if meta.file_type().is_symlink() {
        Err(StoreError::NotPlain {
            path: dir.to_path_buf(),
            what: "a symbolic link",
        })
    } else if !meta.is_dir() {
        Err(StoreError::NotPlain {
            path: dir.to_path_buf(),
            what: "a file, not a folder",
        })
    } else {
        Ok(())
    }
}

fn create_dir(dir: &Path) -> Result<(), StoreError> {
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        Ok(()) => sync_dir(dir.parent().unwrap_or(Path::new("."))),
        // Someone else made it meanwhile: fine if it is a real folder.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let meta = fs::symlink_metadata(dir).map_err(io_error(dir))?;
            plain_dir(dir, &meta)
        }
        Err(e) => Err(StoreError::Io {
            path: dir.to_path_buf(),
            source: e,
        }),
    }
}

/// Refuses a path that exists as anything but a plain file.
fn refuse_unplain(path: &Path) -> Result<bool, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(StoreError::NotPlain {
            path: path.to_path_buf(),
            what: "a symbolic link",
        }),
        Ok(meta) if !meta.is_file() => Err(StoreError::NotPlain {
            path: path.to_path_buf(),
            what: "not a plain file",
        }),
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Takes the journal's exclusive lock. A lock held only for a moment is
/// waited for (up to [`LOCK_WAIT`]): a process that forks just as another
/// thread closes a journal keeps the lock until the child execs. A window
/// that holds the sheet open is refused with [`StoreError::Locked`].
fn lock(file: &File, path: &Path) -> Result<(), StoreError> {
    let waited = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(fs::TryLockError::WouldBlock) if waited.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: path.to_path_buf(),
                });
            }
            Err(fs::TryLockError::Error(source)) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
}

/// How long a lock held by someone else is waited for before the sheet is
/// reported open elsewhere.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// Opens `path` to read and append, never through a symbolic link,
/// creating it (`0o600`) if absent. With `append_only`, opens it only to
/// append. Returns the file and whether it was created (its folder then
/// needs an fsync for the new entry to be durable).
fn open_no_follow(path: &Path, append_only: bool) -> Result<(File, bool), StoreError> {
    let existed = refuse_unplain(path)?;
    let mut options = OpenOptions::new();
    options
        .read(!append_only)
        .append(true)
        .mode(FILE_MODE)
        .custom_flags(O_NOFOLLOW);
    let opened = if existed {
        options.open(path).map(|f| (f, false))
    } else {
        match options.clone().create_new(true).open(path) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => options.open(path).map(|f| (f, false)),
            other => other.map(|f| (f, true)),
        }
    };
    let (file, created) = opened.map_err(|source| match refuse_unplain(path) {
        // Swapped for a link between the check and the open: O_NOFOLLOW refused it.
        Err(not_plain) => not_plain,
        Ok(_) => StoreError::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    if !file.metadata().map_err(io_error(path))?.is_file() {
        return Err(StoreError::NotPlain {
            path: path.to_path_buf(),
            what: "not a plain file",
        });
    }
    Ok((file, created))
}

/// Moves the torn tail `bytes[good_len..]` of the journal to its quarantine
/// file: appended there and fsynced first, then cut off the journal and
/// that fsynced. A crash between the two leaves the tail in both places;
/// the next opening then appends it to the quarantine file again, which
/// loses nothing.
fn set_aside(
    file: &mut File,
    path: &Path,
    bytes: &[u8],
    good_len: usize,
    first_bad_line: usize,
    reason: String,
) -> Result<Quarantine, StoreError> {
    let tail = &bytes[good_len..];
    let qpath = quarantine_path(path);
    let (mut quarantine, created) = open_no_follow(&qpath, true)?;
    quarantine
        .write_all(tail)
        .and_then(|()| quarantine.sync_all())
        .map_err(io_error(&qpath))?;
    if created {
        sync_dir(qpath.parent().unwrap_or(Path::new(".")))?;
    }
    file.set_len(good_len as u64)
        .and_then(|()| file.sync_all())
        .map_err(io_error(path))?;
    Ok(Quarantine {
        path: qpath,
        bytes: tail.len() as u64,
        first_bad_line,
        reason,
        moved: true,
    })
}

// ---------------------------------------------------------------------------
// The journal

/// A sheet's journal, open for appending and locked for as long as this
/// value lives.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
    key: SheetKey,
    rubric: String,
    records: Vec<Record>,
    /// Length of the file as far as this journal has written and synced it.
    len: u64,
    /// A failed append could not be cut back off the file: check the file's
    /// length, and cut it again, before the next append.
    unsure: bool,
}

impl Journal {
    /// Appends `event` as the next record and makes it durable (write, then
    /// `sync_data`). Only an `Ok` means the record is saved; on an error
    /// nothing was saved, no partial line is left behind (as far as the
    /// disk allows), and appending again is safe.
    pub fn append(&mut self, event: Event, time: DateTime<Utc>) -> Result<Record, StoreError> {
        self.check_length()?;
        let (seq, prev) = match self.records.last() {
            Some(last) => (last.seq + 1, last.hash.clone()),
            None => (1, GENESIS.to_string()),
        };
        let mut record = Record {
            seq,
            time,
            rubric: self.rubric.clone(),
            assessment: self.key.assessment.clone(),
            station: self.key.station.clone(),
            candidate: self.key.candidate.clone(),
            examiner: self.key.examiner.clone(),
            device: self.key.device.clone(),
            event,
            prev,
            hash: String::new(),
        };
        let line = encode_line(&mut record).map_err(|e| StoreError::Unwritable {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        if let Err(source) = self
            .file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
        {
            // Cut off whatever part of the line reached the file. If even
            // that fails, the next append checks the length first.
            self.unsure = self
                .file
                .set_len(self.len)
                .and_then(|()| self.file.sync_data())
                .is_err();
            return Err(StoreError::Io {
                path: self.path.clone(),
                source,
            });
        }
        self.len += line.len() as u64;
        self.records.push(record.clone());
        Ok(record)
    }

    /// Before writing: the file must be exactly as long as what this journal
    /// has saved. Longer after a failed append that could not be cut back:
    /// cut it now. Any other difference means something outside this
    /// journal changed the file, and nothing more is written to it.
    fn check_length(&mut self) -> Result<(), StoreError> {
        let actual = self.file.metadata().map_err(io_error(&self.path))?.len();
        if actual == self.len {
            self.unsure = false;
            return Ok(());
        }
        if actual > self.len && self.unsure {
            self.file
                .set_len(self.len)
                .and_then(|()| self.file.sync_data())
                .map_err(io_error(&self.path))?;
            self.unsure = false;
            return Ok(());
        }
        Err(StoreError::Damaged {
            path: self.path.clone(),
            line: self.records.len() + 1,
            reason: format!(
                "the file is {actual} bytes long, but this window has saved {} bytes ({} records) in it: \
                 something else changed the file while it was open",
                self.len,
                self.records.len()
            ),
        })
    }

    /// Every record, the replayed ones and those appended since.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn key(&self) -> &SheetKey {
        &self.key
    }

    /// The rubric hash every record of this journal carries.
    pub fn rubric(&self) -> &str {
        &self.rubric
    }
}

impl fmt::Display for Quarantine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lines, bytes, reason, path) =
            (self.first_bad_line, self.bytes, &self.reason, self.path.display());
        if self.moved {
            write!(
                f,
                "the end of the journal from line {lines} ({bytes} bytes) could not be read ({reason}) and was set aside in {path}"
            )?;
        } else {
            write!(
                f,
                "the end of the journal from line {lines} ({bytes} bytes) cannot be read ({reason}); opening the sheet will set it aside in {path}"
            )?;
        }
        write!(
            f,
            ". A write cut short by a crash or power cut is never one that was shown as saved; check the sheet's last marks"
        )
    }
}
