//! Checking the session files of one assessment, for `osce audit`: every
//! journal's hashes and chain, torn tails and quarantine files, journals
//! marked against another rubric or lying in another sheet's folder, and
//! the signs a hand edit leaves; with the amendments, submissions and
//! imports the journals hold, for the exam lead to read.
//!
//! Nothing here writes, moves or locks anything: a torn tail is reported,
//! not set aside. The journals checked are exactly the ones
//! [`Store::sheets`] lists, which are the ones `status` and `export` read;
//! a walk of the same folders finds everything else (quarantine files,
//! stray files, symbolic links, loose permissions).
//!
//! Each journal is read twice over. [`read_sheet`] says which records are
//! used (those before the first bad line), as every other command sees
//! them. Then every line is looked at on its own, because an auditor wants
//! every sign of trouble, not only the first, and a reason for each: a line
//! rewritten with its hash worked out again, for instance, shows only as a
//! wrong `prev` on the line after it.
//!
//! The report is the same whatever order the folders are named in.

use crate::base::text::plural;
use std::fmt;
use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::base::ids::check_id;
use crate::results::source::{Sheets, Source};
use crate::rubric::Rubric;
use crate::store::{
    DECISIONS_FILE, Event, GENESIS, JOURNAL_EXTENSION, LineError, MODERATION_FILE, QUARANTINE_SUFFIX, Record,
    SheetKey, StoreError, Submission, check_sheet_bytes, decode_line, moderation_key,
};

/// How far a journal's times may go backwards, from one record to the next,
/// before it is worth a warning. A laptop's clock may be set back a little
/// (by the network time service, say) without anything being wrong.
pub const CLOCK_SLACK_SECONDS: i64 = 5 * 60;

/// At most this many line-by-line signs are listed for one journal; the
/// rest are counted. One hand edit can break every line after it.
pub const MAX_SIGNS_PER_JOURNAL: usize = 10;

// ---------------------------------------------------------------------------
// The report

/// Everything `osce audit` found.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditReport {
    /// The assessment's id (from the rubric).
    pub assessment: String,
    /// The sessions folders looked at: sorted, each once.
    pub folders: Vec<PathBuf>,
    /// Every journal, sorted by sheet, then path.
    pub journals: Vec<JournalAudit>,
    /// Every quarantine file, sorted by path.
    pub quarantines: Vec<QuarantineFile>,
    /// Every amendment in the journals' intact records, by sheet, then path
    /// and record number.
    pub amendments: Vec<AmendmentEntry>,
    /// Every submission in the journals' intact records, in the same order.
    pub submissions: Vec<SubmissionEntry>,
    /// Every sheet entered from paper, in the same order.
    pub imports: Vec<ImportEntry>,
    /// Every pause of a sheet's timer, with its reason, in the same order.
    pub pauses: Vec<PauseEntry>,
    /// Every item (or global rating) a submitted sheet left unmarked, with
    /// the examiner's reason, in the same order.
    pub unmarked: Vec<UnmarkedEntry>,
    /// What is wrong or worth a look: errors first, then warnings, each by
    /// path and line.
    pub findings: Vec<Finding>,
}

impl AuditReport {
    /// Intact records in all journals (the ones results are made from).
    pub fn records(&self) -> usize {
        self.journals.iter().map(|j| j.records).sum()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.severity() == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.severity() == Severity::Warning)
    }

    /// Whether anything is wrong (warnings alone are not).
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The findings about one file.
    pub fn findings_for<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a Finding> {
        self.findings.iter().filter(move |f| f.path == path)
    }
}

/// One journal, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalAudit {
    /// The sheet its place in the folders names.
    pub key: SheetKey,
    pub path: PathBuf,
    /// Lines in the file, an unfinished last one included.
    pub lines: usize,
    /// Intact records before the first bad line: what status and export use.
    pub records: usize,
    /// How the journal reads, as every other command sees it.
    pub state: JournalState,
    /// The rubric (BLAKE3) its records name, where that is not the one given.
    pub other_rubric: Option<String>,
    /// Its records name another sheet than its place in the folders.
    pub wrong_place: bool,
    /// Its station is not in the rubric.
    pub unknown_station: bool,
    /// Some line shows a sign of having been changed by hand.
    pub hand_edit: bool,
}

impl JournalAudit {
    /// Whether nothing is wrong with it (warnings aside).
    pub fn is_sound(&self) -> bool {
        self.state == JournalState::Sound
            && self.other_rubric.is_none()
            && !self.wrong_place
            && !self.unknown_station
            && !self.hand_edit
    }

    /// What is wrong with it, in a few words each; empty when sound.
    pub fn labels(&self) -> Vec<String> {
        let mut labels = Vec::new();
        match &self.state {
            JournalState::Sound => {}
            JournalState::Unreadable => labels.push("cannot be read".to_string()),
            JournalState::TornTail { line, bytes } => labels.push(format!(
                "torn tail from line {line} ({bytes} bytes, not set aside)"
            )),
            JournalState::Damaged { line } => labels.push(format!("damaged at line {line}")),
        }
        if self.hand_edit {
            labels.push("signs of a hand edit".to_string());
        }
        if self.other_rubric.is_some() {
            labels.push("marked against another rubric".to_string());
        }
        if self.wrong_place {
            labels.push("in another sheet's folder".to_string());
        }
        if self.unknown_station {
            labels.push("station not in the rubric".to_string());
        }
        labels
    }
}

/// How a journal reads (from [`read_sheet`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalState {
    /// Every line an intact record.
    Sound,
    /// The end of the file is an unfinished write, still in the journal.
    TornTail { line: usize, bytes: u64 },
    /// A bad line with intact lines after it; `line` is the first bad one.
    Damaged { line: usize },
    /// The file could not be read at all.
    Unreadable,
}

/// Which kind of journal a finding is about: what sets a torn tail aside
/// differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JournalKind {
    Sheet,
    Moderation,
    Decisions,
}

/// A `<station>.jsonl.quarantine` file: bytes set aside from the end of a
/// journal after a write was cut short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineFile {
    pub path: PathBuf,
    pub bytes: u64,
    /// The journal beside it, if there is one.
    pub journal: Option<PathBuf>,
    /// Pieces (lines, or an unfinished end) in it.
    pub pieces: usize,
    /// Pieces that are whole records whose hash matches: a record cut short
    /// only of its newline.
    pub whole_records: usize,
    /// Pieces (1-based) that are whole records whose hash does not match:
    /// changed after they were written, not cut short.
    pub changed: Vec<usize>,
}

/// One amendment: a submitted sheet unlocked to change it.
#[derive(Debug, Clone, PartialEq)]
pub struct AmendmentEntry {
    pub key: SheetKey,
    pub path: PathBuf,
    pub seq: u64,
    pub time: DateTime<Utc>,
    /// Who made it, as the record says.
    pub examiner: String,
    pub device: String,
    pub reason: String,
    /// The submission it unlocked.
    pub before: Option<Submission>,
    /// The submission that ended it; `None` while it is still open.
    pub after: Option<Submission>,
}

/// One submission of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionEntry {
    pub key: SheetKey,
    pub path: PathBuf,
    /// Who submitted, as the record says.
    pub examiner: String,
    pub device: String,
    pub submission: Submission,
    /// It ends an amendment.
    pub after_amendment: bool,
    /// The examiner's reason, where it records the candidate absent.
    pub absent: Option<String>,
}

/// A sheet (or part of one) entered from a paper form.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportEntry {
    pub key: SheetKey,
    pub path: PathBuf,
    pub seq: u64,
    pub time: DateTime<Utc>,
    pub examiner: String,
    pub source: String,
}

/// A pause of a sheet's timer.
#[derive(Debug, Clone, PartialEq)]
pub struct PauseEntry {
    pub key: SheetKey,
    pub path: PathBuf,
    pub pause: crate::store::Pause,
}

/// An item (or the global rating) a submitted sheet left unmarked.
#[derive(Debug, Clone, PartialEq)]
pub struct UnmarkedEntry {
    pub key: SheetKey,
    pub path: PathBuf,
    /// The item's id, or `global_rating`.
    pub what: String,
    /// The examiner's reason, as given at submission.
    pub reason: String,
    /// Marked since, in an amendment: left unmarked at an earlier
    /// submission only.
    pub marked_since: bool,
}

/// Whether a finding means something is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The files are not as osce wrote them, or marks may be missing or in
    /// the wrong place: someone must look before results are used.
    Error,
    /// Worth a look, but the marks are as written.
    Warning,
}

/// Something found about one file or folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub path: PathBuf,
    /// The line (1-based) it is about, if it is about one.
    pub line: Option<usize>,
    pub kind: FindingKind,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }
}

/// What was found.
#[derive(Debug, Clone, PartialEq)]
pub enum FindingKind {
    /// The journal could not be read.
    Unreadable { error: String },
    /// The end of the journal is an unfinished write, not yet set aside:
    /// in a journal of `kind`, read from an archive where `archived`.
    TornTail {
        bytes: u64,
        reason: String,
        kind: JournalKind,
        archived: bool,
    },
    /// Damage that no line-by-line sign explains (see [`read_sheet`]).
    Damaged { reason: String },
    /// A sign, in the lines of a journal, that they are not as written.
    Line(LineSign),
    /// Marked against another rubric than the one given.
    OtherRubric { found: String },
    /// The records name another sheet than the file's place in the folders.
    WrongPlace { records: SheetKey, place: SheetKey },
    /// A journal for a station the rubric does not have.
    UnknownStation { station: String },
    /// A quarantine file: bytes set aside from a write cut short.
    Quarantined {
        bytes: u64,
        journal_present: bool,
        pieces: usize,
        whole_records: usize,
    },
    /// A piece of a quarantine file is a whole record whose hash does not
    /// match: a line changed by hand, then set aside as if cut short.
    QuarantinedChange,
    /// The same sheet's journal in more than one folder.
    SameSheet {
        others: Vec<PathBuf>,
        relation: Copies,
        /// One of them is a renamed copy
        /// ([`crate::store::journal_station`]): a sync client's, most
        /// likely.
        renamed: bool,
    },
    /// An assessor's moderation journal or the lead's decisions journal
    /// from one device in two different histories (`who` is
    /// `PERSON@DEVICE`).
    OtherHistory {
        others: Vec<PathBuf>,
        journal: JournalKind,
        who: String,
    },
    /// Readable or writable by others than its owner.
    Permissions { mode: u32, folder: bool },
    /// A symbolic link inside the assessment's folder.
    Symlink { dangling: bool },
    /// Something that osce would not have put there.
    Unexpected { expected: &'static str },
    /// A sessions folder with no folder for this assessment, and the
    /// folders of assessments it holds.
    NoAssessmentFolder { assessment: String, holds: Vec<String> },
    /// An archive with no journal of this assessment, and the assessments
    /// it holds.
    NoAssessmentInArchive { assessment: String, holds: Vec<String> },
    /// An error the exam lead has settled by a recorded decision (`osce
    /// decide`): still shown, as a warning, with the decision.
    Settled { was: Box<FindingKind>, by: String },
    /// Marked against another version of the rubric whose sheets count
    /// here by the exam lead's decision (`osce decide rubric-version`):
    /// used, as every command uses it.
    Counted { found: String, by: String },
}

/// How several copies of one sheet's journal compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copies {
    /// Record for record the same.
    Identical,
    /// One holds the other's records and more: the shorter is an older copy.
    OlderCopy,
    /// Neither holds the other: two different histories of one sheet.
    Different,
}

impl FindingKind {
    pub fn severity(&self) -> Severity {
        match self {
            FindingKind::Unreadable { .. }
            | FindingKind::TornTail { .. }
            | FindingKind::Damaged { .. }
            | FindingKind::OtherRubric { .. }
            | FindingKind::WrongPlace { .. }
            | FindingKind::UnknownStation { .. }
            | FindingKind::QuarantinedChange
            | FindingKind::OtherHistory { .. } => Severity::Error,
            FindingKind::Line(sign) => sign.severity(),
            FindingKind::Settled { .. } | FindingKind::Counted { .. } => Severity::Warning,
            FindingKind::SameSheet { relation, .. } => match relation {
                Copies::Different => Severity::Error,
                Copies::Identical | Copies::OlderCopy => Severity::Warning,
            },
            FindingKind::Quarantined { .. }
            | FindingKind::Permissions { .. }
            | FindingKind::Symlink { .. }
            | FindingKind::Unexpected { .. }
            | FindingKind::NoAssessmentFolder { .. }
            | FindingKind::NoAssessmentInArchive { .. } => Severity::Warning,
        }
    }
}

/// A sign, in one journal's lines, that they are not as osce wrote them.
/// Found by looking at every line on its own and at each pair of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineSign {
    /// The line's bytes do not match its hash, yet intact lines follow it:
    /// not a write cut short but a change (by hand, or a fault of the disk).
    Changed { line: usize, error: LineError },
    /// `line` and the line after it each match their own hash and are
    /// numbered one after the other, but the next line's `prev` is not
    /// `line`'s hash: `line` was rewritten and its hash worked out again.
    Rewritten { line: usize },
    /// Record 1 does not start from [`GENESIS`].
    NotAStart { line: usize },
    /// Record numbers skip from `expected` to `found`: records removed.
    Missing { line: usize, expected: u64, found: u64 },
    /// The same record number twice: a line copied, or two writers at once.
    Repeated { line: usize, seq: u64 },
    /// Record numbers go backwards: lines moved or added.
    OutOfOrder { line: usize, expected: u64, found: u64 },
    /// From this line on, the records name another sheet.
    OtherSheet {
        line: usize,
        from: SheetKey,
        to: SheetKey,
    },
    /// From this line on, the records name another rubric.
    RubricSwitch { line: usize, from: String, to: String },
    /// The time goes back by more than [`CLOCK_SLACK_SECONDS`] from the
    /// record before: a clock change, or lines moved.
    ClockBack {
        line: usize,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// More signs in the same journal, not listed one by one; `errors` of
    /// them are errors (the others warnings).
    More {
        line: usize,
        count: usize,
        errors: usize,
    },
}

impl LineSign {
    pub fn line(&self) -> usize {
        match self {
            LineSign::Changed { line, .. }
            | LineSign::Rewritten { line }
            | LineSign::NotAStart { line }
            | LineSign::Missing { line, .. }
            | LineSign::Repeated { line, .. }
            | LineSign::OutOfOrder { line, .. }
            | LineSign::OtherSheet { line, .. }
            | LineSign::RubricSwitch { line, .. }
            | LineSign::ClockBack { line, .. }
            | LineSign::More { line, .. } => *line,
        }
    }

    pub fn severity(&self) -> Severity {
        match self {
            LineSign::ClockBack { .. } | LineSign::More { errors: 0, .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

// ---------------------------------------------------------------------------
// Looking at the lines of one journal

/// The lines of `bytes`, one at a time: each without its `\n`, and
/// whether it had one.
fn lines_of(bytes: &[u8]) -> impl Iterator<Item = (&[u8], bool)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let rest = &bytes[pos..];
        Some(match memchr::memchr(b'\n', rest) {
            Some(i) => {
                pos += i + 1;
                (&rest[..i], true)
            }
            None => {
                pos = bytes.len();
                (rest, false)
            }
        })
    })
}

/// Signs in the order they were found: the first
/// [`MAX_SIGNS_PER_JOURNAL`] kept, the rest counted.
#[derive(Default)]
struct Signs {
    kept: Vec<LineSign>,
    /// The line of the first sign not kept, how many were not, and how
    /// many of those are errors.
    more: Option<(usize, usize, usize)>,
}

impl Signs {
    fn push(&mut self, sign: LineSign) {
        if self.kept.len() < MAX_SIGNS_PER_JOURNAL {
            self.kept.push(sign);
            return;
        }
        let error = usize::from(sign.severity() == Severity::Error);
        match &mut self.more {
            Some((_, count, errors)) => {
                *count += 1;
                *errors += error;
            }
            None => self.more = Some((sign.line(), 1, error)),
        }
    }

    /// Takes every sign of `later` (all found after those here).
    fn append(&mut self, later: Signs) {
        for sign in later.kept {
            self.push(sign);
        }
        if let Some((line, count, errors)) = later.more {
            match &mut self.more {
                Some((_, c, e)) => {
                    *c += count;
                    *e += errors;
                }
                None => self.more = Some((line, count, errors)),
            }
        }
    }

    fn into_vec(mut self) -> Vec<LineSign> {
        if let Some((line, count, errors)) = self.more {
            self.kept.push(LineSign::More { line, count, errors });
        }
        self.kept
    }
}

/// Every sign, in a journal's bytes, that its lines are not as osce wrote
/// them, line by line, first to last. A torn tail (bad lines at the end
/// with nothing intact after them) is not a sign: [`read_sheet`] reports it.
/// At most [`MAX_SIGNS_PER_JOURNAL`] signs are listed; a [`LineSign::More`]
/// counts the rest.
///
/// The lines are looked at one at a time, holding only the last intact
/// one: a journal of hundreds of megabytes needs no more memory than its
/// bytes.
pub fn line_signs(bytes: &[u8]) -> Vec<LineSign> {
    let mut signs = Signs::default();
    // Bad lines since the last line that is intact on its own: signs only
    // if an intact line follows (else they are a torn tail).
    let mut pending = Signs::default();
    // The last intact, finished line before the one looked at: (line, record).
    let mut last: Option<(usize, Record)> = None;
    for (i, (line, finished)) in lines_of(bytes).enumerate() {
        let no = i + 1;
        let record = match decode_line(line) {
            Err(error) => {
                pending.push(LineSign::Changed { line: no, error });
                continue;
            }
            Ok(record) => record,
        };
        signs.append(std::mem::take(&mut pending));
        // Sound but unfinished: the end of a write cut short.
        if !finished {
            continue;
        }
        match &last {
            None => {
                // Lines before it (if any) are bad: assume each was a record.
                let expected = no as u64;
                if record.seq != expected {
                    signs.push(seq_sign(no, expected, record.seq, None));
                } else if no == 1 && record.prev != GENESIS {
                    signs.push(LineSign::NotAStart { line: no });
                }
            }
            Some((last_no, last_record)) => {
                let last_no = *last_no;
                let expected = last_record.seq.saturating_add((no - last_no) as u64);
                if record.seq != expected {
                    signs.push(seq_sign(no, expected, record.seq, Some(last_record.seq)));
                } else if last_no + 1 == no && record.prev != last_record.hash {
                    signs.push(LineSign::Rewritten { line: last_no });
                }
                if record.key() != last_record.key() {
                    signs.push(LineSign::OtherSheet {
                        line: no,
                        from: last_record.key(),
                        to: record.key(),
                    });
                }
                if record.rubric != last_record.rubric {
                    signs.push(LineSign::RubricSwitch {
                        line: no,
                        from: last_record.rubric.clone(),
                        to: record.rubric.clone(),
                    });
                }
                if (last_record.time - record.time).num_seconds() > CLOCK_SLACK_SECONDS {
                    signs.push(LineSign::ClockBack {
                        line: no,
                        from: last_record.time,
                        to: record.time,
                    });
                }
            }
        }
        last = Some((no, record));
    }
    signs.into_vec()
}

fn seq_sign(line: usize, expected: u64, found: u64, last_seq: Option<u64>) -> LineSign {
    if Some(found) == last_seq {
        LineSign::Repeated { line, seq: found }
    } else if found > expected {
        LineSign::Missing {
            line,
            expected,
            found,
        }
    } else {
        LineSign::OutOfOrder {
            line,
            expected,
            found,
        }
    }
}

// ---------------------------------------------------------------------------
// Walking the folders

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What an entry of a folder is, links followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Folder,
    File,
    Other,
    /// A link to nothing.
    Dangling,
}

struct Entry {
    name: Option<String>,
    path: PathBuf,
    kind: Kind,
    link: bool,
    /// Permission bits, for what is not a link.
    mode: Option<u32>,
}

/// The entries of `dir`, sorted by path.
fn list(dir: &Path) -> Result<Vec<Entry>, StoreError> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let path = entry.path();
        let Some(found) = look(&path)? else {
            continue; // removed meanwhile
        };
        entries.push(Entry {
            name: entry.file_name().into_string().ok(),
            ..found
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// What `path` is, without following it if it is a link (and then what it
/// points at); `None` if it does not exist.
fn look(path: &Path) -> Result<Option<Entry>, StoreError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    };
    let kind_of = |m: &fs::Metadata| {
        if m.is_dir() {
            Kind::Folder
        } else if m.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    };
    let link = meta.file_type().is_symlink();
    let kind = if link {
        match fs::metadata(path) {
            Ok(target) => kind_of(&target),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Kind::Dangling,
            Err(e) => return Err(io_error(path)(e)),
        }
    } else {
        kind_of(&meta)
    };
    Ok(Some(Entry {
        name: None,
        path: path.to_path_buf(),
        kind,
        link,
        mode: (!link).then(|| meta.permissions().mode() & 0o7777),
    }))
}

/// What the walk of the folders found besides the journals.
#[derive(Default)]
struct Walk {
    findings: Vec<Finding>,
    quarantines: Vec<PathBuf>,
    /// Assessment folders that are folders, to list journals in.
    roots: Vec<PathBuf>,
}

impl Walk {
    fn find(&mut self, path: &Path, kind: FindingKind) {
        self.findings.push(Finding {
            path: path.to_path_buf(),
            line: None,
            kind,
        });
    }

    /// The checks every entry gets: links and permissions. Whether to go on
    /// into it is up to the caller.
    fn check(&mut self, entry: &Entry) {
        if entry.link {
            self.find(
                &entry.path,
                FindingKind::Symlink {
                    dangling: entry.kind == Kind::Dangling,
                },
            );
        }
        if let Some(mode) = entry.mode
            && mode & 0o077 != 0
            && matches!(entry.kind, Kind::Folder | Kind::File)
        {
            self.find(
                &entry.path,
                FindingKind::Permissions {
                    mode,
                    folder: entry.kind == Kind::Folder,
                },
            );
        }
    }

    fn folder(&mut self, folder: &Path, assessment: &str) -> Result<(), StoreError> {
        let dir = folder.join(assessment);
        let Some(entry) = look(&dir)? else {
            // The assessments it holds instead.
            let holds = crate::store::assessments_in(std::slice::from_ref(&folder.to_path_buf()));
            self.find(
                folder,
                FindingKind::NoAssessmentFolder {
                    assessment: assessment.to_string(),
                    holds,
                },
            );
            return Ok(());
        };
        self.check(&entry);
        if entry.kind != Kind::Folder {
            self.find(
                &dir,
                FindingKind::Unexpected {
                    expected: "the assessment's folder",
                },
            );
            return Ok(());
        }
        self.roots.push(folder.to_path_buf());
        for who in list(&dir)? {
            self.check(&who);
            // (A folder copied beside one of the same name, `e.jones@lap (1)`,
            // is read as a copy of it.)
            let named = who
                .name
                .as_deref()
                .and_then(|n| crate::store::parse_who(crate::store::unrenamed(n).0))
                .is_some();
            if !named || who.kind != Kind::Folder {
                self.find(
                    &who.path,
                    FindingKind::Unexpected {
                        expected: "folders named <examiner>@<device>",
                    },
                );
                continue;
            }
            for candidate in list(&who.path)? {
                self.check(&candidate);
                let name = candidate.name.as_deref().unwrap_or("");
                let named_journal = |file: &str| {
                    let stem = file
                        .strip_suffix(&format!(".{JOURNAL_EXTENSION}"))
                        .unwrap_or(file);
                    crate::store::journal_station(name).is_some_and(|(s, _)| s == stem)
                };
                if candidate.kind == Kind::File
                    && (named_journal(MODERATION_FILE) || named_journal(DECISIONS_FILE))
                {
                    // An assessor's moderation journal or an exam lead's
                    // decisions (or a renamed copy of one): listed and
                    // checked below.
                    continue;
                }
                if candidate.kind == Kind::File && is_probe(name) {
                    // A write test left by a window that stopped in the
                    // middle of one: osce's own, harmless, removed by the
                    // next session's test.
                    continue;
                }
                if candidate.kind == Kind::File
                    && (name == format!("{MODERATION_FILE}{QUARANTINE_SUFFIX}")
                        || name == format!("{DECISIONS_FILE}{QUARANTINE_SUFFIX}"))
                {
                    self.quarantines.push(candidate.path.clone());
                    continue;
                }
                let named = candidate
                    .name
                    .as_deref()
                    .is_some_and(|n| check_id(crate::store::unrenamed(n).0).is_ok());
                if !named || candidate.kind != Kind::Folder {
                    self.find(
                        &candidate.path,
                        FindingKind::Unexpected {
                            expected: "candidates' folders, named by candidate id, moderation.jsonl and decisions.jsonl",
                        },
                    );
                    continue;
                }
                for file in list(&candidate.path)? {
                    self.check(&file);
                    self.sheet_file(&file);
                }
            }
        }
        Ok(())
    }

    /// An entry of a candidate's folder: a journal, a quarantine file, or
    /// something unexpected.
    fn sheet_file(&mut self, file: &Entry) {
        let name = file.name.as_deref().unwrap_or("");
        let journal = format!(".{JOURNAL_EXTENSION}");
        let quarantine = format!("{journal}{QUARANTINE_SUFFIX}");
        let station_ok = |suffix: &str| name.strip_suffix(suffix).is_some_and(|s| check_id(s).is_ok());
        if file.kind == Kind::File && station_ok(&quarantine) {
            self.quarantines.push(file.path.clone());
        } else if file.kind == Kind::File && crate::store::journal_station(name).is_some() {
            // A journal, or a renamed copy of one: Store::sheets lists it,
            // as a copy of the same sheet.
        } else if file.kind != Kind::Dangling || !station_ok(&journal) {
            // (A dangling link named like a journal is reported as a link.)
            self.find(
                &file.path,
                FindingKind::Unexpected {
                    expected: "journals (<station>.jsonl) and their quarantine files",
                },
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The audit

/// Checks every journal of `rubric`'s assessment in `folders` (each a
/// sessions folder, as from one laptop), every quarantine file and every
/// other entry of the assessment's folders; lists the amendments,
/// submissions and imports. `rubric_hash` is the BLAKE3 hash of the rubric
/// file's text, as in the records. Reads only; changes nothing.
///
/// Problems with the files are findings in the report; an `Err` means the
/// folders could not be read at all (a folder that cannot be listed).
pub fn audit(rubric: &Rubric, rubric_hash: &str, folders: &[PathBuf]) -> Result<AuditReport, StoreError> {
    audit_from(rubric, rubric_hash, Source::Folders(folders))
}

/// [`audit`] of the folders or of the journals stored in an archive (which
/// has no folders to walk: no quarantine files, links or permissions to
/// look at).
pub fn audit_from(rubric: &Rubric, rubric_hash: &str, source: Source<'_>) -> Result<AuditReport, StoreError> {
    let mut walk = Walk::default();
    let folders: Vec<PathBuf> = match source {
        Source::Folders(folders) => {
            let mut folders: Vec<(PathBuf, PathBuf)> = folders
                .iter()
                .map(|f| (fs::canonicalize(f).unwrap_or_else(|_| f.clone()), f.clone()))
                .collect();
            folders.sort_by(|a, b| a.1.cmp(&b.1));
            let mut seen = Vec::new();
            folders.retain(|(real, _)| {
                let new = !seen.contains(real);
                seen.push(real.clone());
                new
            });
            let folders: Vec<PathBuf> = folders.into_iter().map(|(_, f)| f).collect();
            for folder in &folders {
                walk.folder(folder, &rubric.id)?;
            }
            folders
        }
        Source::Archive(stored) => {
            if !stored.holds(&rubric.id) {
                walk.find(
                    stored.path(),
                    FindingKind::NoAssessmentInArchive {
                        assessment: rubric.id.clone(),
                        holds: stored.assessments(),
                    },
                );
            }
            vec![stored.path().to_path_buf()]
        }
    };
    // The journals are listed where the walk found the assessment's
    // folders (in an archive, where they are stored).
    let listed = match source {
        Source::Folders(_) => Source::Folders(&walk.roots),
        archive => archive,
    };
    let (found, _) = listed.sheets(&rubric.id, Sheets::All)?;

    let mut report = AuditReport {
        assessment: rubric.id.clone(),
        folders: folders.clone(),
        journals: Vec::new(),
        quarantines: Vec::new(),
        amendments: Vec::new(),
        submissions: Vec::new(),
        imports: Vec::new(),
        pauses: Vec::new(),
        unmarked: Vec::new(),
        findings: walk.findings,
    };
    // Journals come sorted by sheet: each sheet's copies are looked at
    // together, then let go.
    let mut copies: Vec<Read> = Vec::new();
    let mut current: Option<SheetKey> = None;
    for (key, path) in found {
        if current.as_ref().is_some_and(|k| *k != key)
            && let Some(done) = current.take()
        {
            one_sheet(&done, std::mem::take(&mut copies), &mut report, source);
        }
        current = Some(key.clone());
        if let Some(read) = check_journal(rubric, rubric_hash, source, key, &path, &mut report) {
            copies.push(read);
        }
    }
    if let Some(done) = current {
        one_sheet(&done, copies, &mut report, source);
    }
    let mut histories: std::collections::BTreeMap<(JournalKind, String, String), Vec<Hashed>> =
        std::collections::BTreeMap::new();
    for (assessor, device, path) in listed.moderation_journals(&rubric.id)? {
        let key = moderation_key(&rubric.id, &assessor, &device);
        check_journal(rubric, rubric_hash, source, key, &path, &mut report);
        let hashes = source.record_hashes(&path);
        histories
            .entry((JournalKind::Moderation, assessor, device))
            .or_default()
            .push((path, hashes));
    }
    // The exam lead's decisions: a chain of their own.
    for (lead, device, path) in listed.decision_journals(&rubric.id)? {
        check_decisions(rubric_hash, source, &path, &mut report);
        let hashes = source
            .read_chain::<serde_json::Value>(&path)
            .map(|read| read.entries.into_iter().map(|e| e.hash).collect())
            .unwrap_or_default();
        histories
            .entry((JournalKind::Decisions, lead, device))
            .or_default()
            .push((path, hashes));
    }
    // One person's journal from one device in two different histories:
    // only one is used, and what only the other holds does not count.
    for ((journal, who, device), copies) in histories {
        if copies.len() < 2 {
            continue;
        }
        let longest = copies.iter().map(|(_, h)| h.len()).max().unwrap_or(0);
        let Some((_, full)) = copies.iter().find(|(_, h)| h.len() == longest) else {
            continue;
        };
        if copies.iter().all(|(_, h)| full.starts_with(h)) {
            continue;
        }
        report.findings.push(Finding {
            path: copies[0].0.clone(),
            line: None,
            kind: FindingKind::OtherHistory {
                others: copies[1..].iter().map(|(p, _)| p.clone()).collect(),
                journal,
                who: format!("{who}@{device}"),
            },
        });
    }
    let mut quarantines = walk.quarantines;
    quarantines.sort();
    for path in quarantines {
        let q = match look_at_quarantine(&path) {
            Ok(q) => q,
            Err(e) => {
                report.findings.push(Finding {
                    path,
                    line: None,
                    kind: FindingKind::Unreadable { error: e.to_string() },
                });
                continue;
            }
        };
        report.findings.push(Finding {
            path: path.clone(),
            line: None,
            kind: FindingKind::Quarantined {
                bytes: q.bytes,
                journal_present: q.journal.is_some(),
                pieces: q.pieces,
                whole_records: q.whole_records,
            },
        });
        for &line in &q.changed {
            report.findings.push(Finding {
                path: path.clone(),
                line: Some(line),
                kind: FindingKind::QuarantinedChange,
            });
        }
        report.quarantines.push(q);
    }
    let decisions = crate::results::decisions::gather_from(rubric, rubric_hash, source).unwrap_or_default();
    settle_findings(rubric, &mut report.findings, &decisions, source);
    // Stable: findings about one file keep the order they were found in.
    report
        .findings
        .sort_by(|a, b| (a.severity(), &a.path, a.line).cmp(&(b.severity(), &b.path, b.line)));
    Ok(report)
}

/// One journal of a sheet as [`check_journal`] read it: what its copies
/// are compared by, and the records that [`list_events`] lists (an
/// absence among them, for the submission that records it).
struct Read {
    path: PathBuf,
    /// Its submissions, amendments, imports and absences, in order.
    events: Vec<Record>,
    /// Its timer's pauses, as the sheet says once every intact record is
    /// applied.
    pauses: Vec<crate::store::Pause>,
    /// What each submission left unmarked, with the examiner's reason:
    /// (item id, reason, marked since in an amendment).
    unmarked: Vec<(String, String, bool)>,
}

/// What the intact records of a journal say, gathered as they are read.
#[derive(Default)]
struct Seen {
    records: usize,
    /// The first record's rubric and sheet.
    first: Option<(String, SheetKey)>,
    /// The first record of the wrong kind for this journal (a sheet's in a
    /// moderation journal, or the other way round).
    misplaced: Option<u64>,
    events: Vec<Record>,
    state: crate::store::SheetState,
    /// What each submission left unmarked, with the examiner's reason:
    /// every one, in order, each once (an amendment may mark it since).
    unmarked: Vec<(String, String)>,
}

/// Reads one journal, records what it found in `report`, and returns what
/// its copies are compared by (`None` if it cannot be read). Its bytes are
/// held once; the records are looked at one at a time, never all kept.
fn check_journal(
    rubric: &Rubric,
    rubric_hash: &str,
    source: Source<'_>,
    key: SheetKey,
    path: &Path,
    report: &mut AuditReport,
) -> Option<Read> {
    let mut findings = Vec::new();
    let mut finding = |line: Option<usize>, kind: FindingKind| {
        findings.push(Finding {
            path: path.to_path_buf(),
            line,
            kind,
        })
    };
    // Each kind of journal holds its own kind of record only.
    let moderation_journal = key.station.is_empty();
    let mut journal = JournalAudit {
        key,
        path: path.to_path_buf(),
        lines: 0,
        records: 0,
        state: JournalState::Sound,
        other_rubric: None,
        wrong_place: false,
        unknown_station: false,
        hand_edit: false,
    };
    let read = source.with_bytes(path, |bytes| {
        let mut seen = Seen::default();
        let (_, checked) = check_sheet_bytes(path, bytes, |r| {
            seen.records += 1;
            if seen.first.is_none() {
                seen.first = Some((r.rubric.to_string(), r.key()));
            }
            if seen.misplaced.is_none()
                && r.event.is_moderation() != moderation_journal
                && !matches!(r.event, Event::Opened { .. })
            {
                seen.misplaced = Some(r.seq);
            }
            if !moderation_journal {
                seen.state.apply_ref(&r);
                if matches!(r.event, Event::Submitted { .. }) {
                    for (what, reason) in seen.state.left_unmarked() {
                        let entry = (what.as_str().to_string(), reason.to_string());
                        if !seen.unmarked.contains(&entry) {
                            seen.unmarked.push(entry);
                        }
                    }
                }
            }
            if matches!(
                r.event,
                Event::Submitted { .. }
                    | Event::AmendStarted { .. }
                    | Event::Imported { .. }
                    | Event::Absent { .. }
            ) {
                seen.events.push(r.into_owned());
            }
        });
        let lines = memchr::memchr_iter(b'\n', bytes).count()
            + usize::from(!bytes.ends_with(b"\n") && !bytes.is_empty());
        (checked, seen, lines, line_signs(bytes))
    });
    let (checked, seen, lines, signs) = match read {
        Ok(read) => read,
        Err(e) => {
            journal.state = JournalState::Unreadable;
            finding(None, FindingKind::Unreadable { error: e.to_string() });
            report.findings.append(&mut findings);
            report.journals.push(journal);
            return None;
        }
    };
    journal.lines = lines;
    journal.records = seen.records;

    journal.hand_edit = signs.iter().any(|s| s.severity() == Severity::Error);
    if let Some(damage) = &checked.damage {
        journal.state = JournalState::Damaged { line: damage.line };
        // Every damage read_sheet finds shows as a sign on its line or the
        // one before; should one not, it is reported as it is.
        let explained = signs.iter().any(|s| {
            s.severity() == Severity::Error && (s.line() == damage.line || s.line() + 1 == damage.line)
        });
        if !explained {
            finding(
                Some(damage.line),
                FindingKind::Damaged {
                    reason: damage.reason.clone(),
                },
            );
        }
    }
    if let Some(q) = &checked.quarantined {
        if journal.state == JournalState::Sound {
            journal.state = JournalState::TornTail {
                line: q.first_bad_line,
                bytes: q.bytes,
            };
        }
        finding(
            Some(q.first_bad_line),
            FindingKind::TornTail {
                bytes: q.bytes,
                reason: q.reason.clone(),
                kind: if moderation_journal {
                    JournalKind::Moderation
                } else {
                    JournalKind::Sheet
                },
                archived: matches!(source, Source::Archive(_)),
            },
        );
    }
    for sign in signs {
        finding(Some(sign.line()), FindingKind::Line(sign));
    }
    if let Some((first_rubric, first_key)) = seen.first {
        if first_rubric != rubric_hash {
            journal.other_rubric = Some(first_rubric.clone());
            finding(None, FindingKind::OtherRubric { found: first_rubric });
        }
        if first_key != journal.key {
            journal.wrong_place = true;
            finding(
                None,
                FindingKind::WrongPlace {
                    records: first_key,
                    place: journal.key.clone(),
                },
            );
        }
    }
    if let Some(seq) = seen.misplaced {
        let reason = if moderation_journal {
            "a sheet's record in an assessor's moderation journal"
        } else {
            "an assessor's moderation record in a sheet's journal"
        };
        finding(
            Some(seq as usize),
            FindingKind::Damaged {
                reason: format!("{reason}: osce never writes one there"),
            },
        );
    }
    // With another rubric, the station may well be in that one.
    if journal.other_rubric.is_none() && !moderation_journal && rubric.station(&journal.key.station).is_none()
    {
        journal.unknown_station = true;
        finding(
            None,
            FindingKind::UnknownStation {
                station: journal.key.station.clone(),
            },
        );
    }
    report.findings.append(&mut findings);
    report.journals.push(journal);
    Some(Read {
        path: path.to_path_buf(),
        events: seen.events,
        pauses: seen.state.pauses(),
        unmarked: {
            let still: Vec<String> = seen
                .state
                .left_unmarked()
                .map(|(what, _)| what.as_str().to_string())
                .collect();
            seen.unmarked
                .into_iter()
                .map(|(what, reason)| {
                    let marked_since = !still.contains(&what);
                    (what, reason, marked_since)
                })
                .collect()
        },
    })
}

/// Adds a journal's amendments, submissions, imports, pauses and what it
/// left unmarked to the report.
fn list_events(key: &SheetKey, read: &Read, report: &mut AuditReport) {
    let (path, records) = (read.path.as_path(), read.events.as_slice());
    report.pauses.extend(read.pauses.iter().map(|pause| PauseEntry {
        key: key.clone(),
        path: path.to_path_buf(),
        pause: pause.clone(),
    }));
    report.unmarked.extend(
        read.unmarked
            .iter()
            .map(|(what, reason, marked_since)| UnmarkedEntry {
                key: key.clone(),
                path: path.to_path_buf(),
                what: what.clone(),
                reason: reason.clone(),
                marked_since: *marked_since,
            }),
    );
    let mut last_submission: Option<Submission> = None;
    let mut open: Option<usize> = None;
    // The absence in force, as the sheet replays it: an amendment
    // withdraws it.
    let mut absent: Option<&str> = None;
    for r in records {
        match &r.event {
            Event::Absent { reason } => absent = Some(reason),
            Event::Submitted { score, max, outcome } => {
                let submission = Submission {
                    seq: r.seq,
                    time: r.time,
                    score: *score,
                    max: *max,
                    outcome: *outcome,
                };
                let after_amendment = match open.take() {
                    Some(i) => {
                        report.amendments[i].after = Some(submission.clone());
                        true
                    }
                    None => false,
                };
                report.submissions.push(SubmissionEntry {
                    key: key.clone(),
                    path: path.to_path_buf(),
                    examiner: r.examiner.clone(),
                    device: r.device.clone(),
                    submission: submission.clone(),
                    after_amendment,
                    absent: absent
                        .filter(|_| *outcome == crate::scoring::StationOutcome::Absent)
                        .map(str::to_string),
                });
                last_submission = Some(submission);
            }
            Event::AmendStarted { reason } => {
                absent = None;
                open = Some(report.amendments.len());
                report.amendments.push(AmendmentEntry {
                    key: key.clone(),
                    path: path.to_path_buf(),
                    seq: r.seq,
                    time: r.time,
                    examiner: r.examiner.clone(),
                    device: r.device.clone(),
                    reason: reason.clone(),
                    before: last_submission.clone(),
                    after: None,
                });
            }
            Event::Imported { source } => report.imports.push(ImportEntry {
                key: key.clone(),
                path: path.to_path_buf(),
                seq: r.seq,
                time: r.time,
                examiner: r.examiner.clone(),
                source: source.clone(),
            }),
            _ => {}
        }
    }
}

/// Compares the journals of one sheet found in several folders, each given
/// as its path and its records' hashes (sorted by path).
/// Marks the errors a decision in force has settled: a journal in the
/// wrong place that was voided, two histories of one sheet where the exam
/// lead said which counts (or neither).
fn settle_findings(
    rubric: &Rubric,
    findings: &mut [Finding],
    decisions: &crate::results::decisions::Decisions,
    source: Source<'_>,
) {
    use crate::results::decisions::Ruling;
    let in_force = decisions.in_force();
    // Other versions of the rubric whose sheets count, where they do.
    let counted = decisions.counted_versions(rubric).0;
    // <root>/<assessment>/<examiner>@<device>/<candidate>/<station>.jsonl
    let place = |path: &Path| -> Option<(String, String, String, String)> {
        let (station, _) = crate::store::journal_station(path.file_name()?.to_str()?)?;
        let station = station.to_string();
        let candidate = crate::store::unrenamed(path.parent()?.file_name()?.to_str()?)
            .0
            .to_string();
        let who = crate::store::unrenamed(path.parent()?.parent()?.file_name()?.to_str()?).0;
        let (examiner, device) = crate::store::parse_who(who)?;
        Some((candidate, station, examiner.to_string(), device.to_string()))
    };
    for finding in findings.iter_mut() {
        let Some((candidate, station, examiner, device)) = place(&finding.path) else {
            continue;
        };
        let settled = match &finding.kind {
            FindingKind::WrongPlace { .. } => {
                let fingerprint = source.fingerprint(&finding.path);
                in_force.iter().find(|m| {
                    matches!(&m.entry.decision, Ruling::Void { candidate: c, station: s, sheet }
                        if *c == candidate && *s == station && sheet.examiner == examiner
                            && sheet.device == device && sheet.last == fingerprint)
                })
            }
            FindingKind::SameSheet {
                others,
                relation: Copies::Different,
                ..
            } => {
                let last = |p: &Path| source.record_hashes(p).pop().unwrap_or_default();
                let group: Vec<&Path> = std::iter::once(finding.path.as_path())
                    .chain(others.iter().map(PathBuf::as_path))
                    .collect();
                let lasts: Vec<String> = group.iter().map(|p| last(p)).collect();
                let conflict = in_force.iter().find(|m| match &m.entry.decision {
                    Ruling::Conflict {
                        candidate: c,
                        station: s,
                        counts,
                    } if *c == candidate && *s == station => counts.as_ref().is_none_or(|r| {
                        r.examiner == examiner && r.device == device && lasts.contains(&r.last)
                    }),
                    _ => false,
                });
                // Or every history but one voided (a journal moved over this
                // one, voided, leaves the sound copy beside it alone).
                let voids: Vec<_> = group
                    .iter()
                    .zip(&lasts)
                    .filter_map(|(p, l)| {
                        let fingerprint = source.fingerprint(p);
                        in_force.iter().find(|m| {
                            matches!(&m.entry.decision, Ruling::Void { candidate: c, station: s, sheet }
                                if *c == candidate && *s == station && sheet.examiner == examiner
                                    && sheet.device == device && (sheet.last == fingerprint || sheet.last == *l))
                        })
                    })
                    .collect();
                conflict.or_else(|| {
                    (voids.len() + 1 >= group.len())
                        .then(|| voids.first().copied())
                        .flatten()
                })
            }
            // Marked against another version: whose sheets count here, or
            // this one set aside by a void (marked again under this one).
            FindingKind::OtherRubric { found } => {
                if counted.get(found).is_some_and(|s| s.contains(&station)) {
                    in_force.iter().find(
                        |m| matches!(&m.entry.decision, Ruling::RubricVersion { identity, .. } if identity == found),
                    )
                } else {
                    let fingerprint = source.fingerprint(&finding.path);
                    in_force.iter().find(|m| {
                        matches!(&m.entry.decision, Ruling::Void { candidate: c, station: s, sheet }
                            if *c == candidate && *s == station && sheet.examiner == examiner
                                && sheet.device == device && sheet.last == fingerprint)
                    })
                }
            }
            _ => None,
        };
        if let Some(made) = settled {
            // Counted, not set aside: said as such.
            if let FindingKind::OtherRubric { found } = &finding.kind
                && matches!(made.entry.decision, Ruling::RubricVersion { .. })
            {
                finding.kind = FindingKind::Counted {
                    found: found.clone(),
                    by: format!("{} ({})", made.entry.decision.words(), made.attribution()),
                };
                continue;
            }
            let was = std::mem::replace(&mut finding.kind, FindingKind::Unexpected { expected: "" });
            finding.kind = FindingKind::Settled {
                was: Box::new(was),
                by: format!("{} ({})", made.entry.decision.words(), made.attribution()),
            };
        }
    }
}

/// Checks an exam lead's decisions journal: every line's hash, the chain,
/// the rubric version; lists it with the other journals.
fn check_decisions(rubric_hash: &str, source: Source<'_>, path: &Path, report: &mut AuditReport) {
    use crate::results::decisions::DecisionEntry;
    let read = match source.read_chain::<DecisionEntry>(path) {
        Ok(r) => r,
        Err(e) => {
            report.findings.push(Finding {
                path: path.to_path_buf(),
                line: None,
                kind: FindingKind::Unreadable { error: e.to_string() },
            });
            return;
        }
    };
    let mut journal = JournalAudit {
        key: crate::store::moderation_key("", "", ""),
        path: path.to_path_buf(),
        lines: read.entries.len(),
        records: read.entries.len(),
        state: JournalState::Sound,
        other_rubric: None,
        wrong_place: false,
        unknown_station: false,
        hand_edit: false,
    };
    if let Some((line, reason)) = read.damage.clone() {
        journal.state = JournalState::Damaged { line };
        journal.hand_edit = true;
        report.findings.push(Finding {
            path: path.to_path_buf(),
            line: Some(line),
            kind: FindingKind::Damaged { reason },
        });
    } else if let Some(torn) = read.torn {
        journal.state = JournalState::TornTail {
            line: read.entries.len() + 1,
            bytes: 0,
        };
        report.findings.push(Finding {
            path: path.to_path_buf(),
            line: None,
            kind: FindingKind::TornTail {
                bytes: 0,
                reason: torn,
                kind: JournalKind::Decisions,
                archived: matches!(source, Source::Archive(_)),
            },
        });
    }
    if let Some(other) = read.entries.iter().find(|c| c.entry.rubric != rubric_hash) {
        journal.other_rubric = Some(other.entry.rubric.clone());
        report.findings.push(Finding {
            path: path.to_path_buf(),
            line: Some(other.seq as usize),
            kind: FindingKind::OtherRubric {
                found: other.entry.rubric.clone(),
            },
        });
    }
    report.journals.push(journal);
}

/// A journal's path and the hashes of its records, in order.
type Hashed = (PathBuf, Vec<String>);

/// Lists the events of one sheet's journals (each history once: the
/// longest copy of it, as every command uses it) and, where the sheet was
/// found more than once, how its copies relate.
fn one_sheet(key: &SheetKey, copies: Vec<Read>, report: &mut AuditReport, source: Source<'_>) {
    if let [only] = copies.as_slice() {
        list_events(key, only, report);
        return;
    }
    // Seen more than once: each copy's hashes, read again (a sheet is
    // seldom copied, and a long journal's hashes are not kept for nothing).
    let hashes: Vec<(PathBuf, Vec<String>)> = copies
        .iter()
        .map(|c| (c.path.clone(), source.record_hashes(&c.path)))
        .collect();
    for (i, (copy, (_, mine))) in copies.iter().zip(&hashes).enumerate() {
        let is_copy = hashes.iter().enumerate().any(|(j, (_, other))| {
            j != i
                && other.len() >= mine.len()
                && (other.len() > mine.len() || j < i)
                && mine.last().is_none_or(|last| other[mine.len() - 1] == *last)
        });
        if !is_copy {
            list_events(key, copy, report);
        }
    }
    same_sheet(&hashes, &mut report.findings);
}

fn same_sheet(copies: &[(PathBuf, Vec<String>)], findings: &mut Vec<Finding>) {
    let longest = copies.iter().map(|(_, h)| h.len()).max().unwrap_or(0);
    let (_, full) = copies
        .iter()
        .find(|(_, h)| h.len() == longest)
        .unwrap_or(&copies[0]);
    let relation = if copies.iter().all(|(_, h)| h == full) {
        Copies::Identical
    } else if copies.iter().all(|(_, h)| full.starts_with(h)) {
        Copies::OlderCopy
    } else {
        Copies::Different
    };
    findings.push(Finding {
        path: copies[0].0.clone(),
        line: None,
        kind: FindingKind::SameSheet {
            others: copies[1..].iter().map(|(p, _)| p.clone()).collect(),
            relation,
            renamed: copies.iter().any(|(p, _)| crate::store::is_renamed_copy(p)),
        },
    });
}

/// What a quarantine file holds.
fn look_at_quarantine(path: &Path) -> Result<QuarantineFile, StoreError> {
    let bytes = fs::read(path).map_err(io_error(path))?;
    let mut pieces = 0;
    let mut whole_records = 0;
    let mut changed = Vec::new();
    for (i, (piece, _)) in lines_of(&bytes).enumerate() {
        pieces += 1;
        match decode_line(piece) {
            Ok(_) => whole_records += 1,
            // A whole record, yet its hash is wrong: a write cut short
            // cannot leave that (it loses the end of a line, not the middle).
            Err(_) if serde_json::from_slice::<Record>(piece).is_ok() => changed.push(i + 1),
            Err(_) => {}
        }
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let journal = name
        .strip_suffix(QUARANTINE_SUFFIX)
        .map(|j| path.with_file_name(j))
        .filter(|j| j.is_file());
    Ok(QuarantineFile {
        path: path.to_path_buf(),
        bytes: bytes.len() as u64,
        journal,
        pieces,
        whole_records,
        changed,
    })
}

// ---------------------------------------------------------------------------
// In words

fn describe(key: &SheetKey) -> String {
    format!(
        "candidate {} at station {} by examiner {} on device {} (assessment {})",
        key.candidate, key.station, key.examiner, key.device, key.assessment
    )
}

/// What differs between two sheets' keys, as ("examiner E01", "examiner
/// E09") phrases for each side.
fn differences(a: &SheetKey, b: &SheetKey) -> (String, String) {
    let fields = [
        ("assessment", &a.assessment, &b.assessment),
        ("station", &a.station, &b.station),
        ("candidate", &a.candidate, &b.candidate),
        ("examiner", &a.examiner, &b.examiner),
        ("device", &a.device, &b.device),
    ];
    let differ: Vec<_> = fields.iter().filter(|(_, x, y)| x != y).collect();
    let side = |pick: fn(&(&str, &String, &String)) -> String| {
        differ.iter().map(|f| pick(f)).collect::<Vec<_>>().join(" and ")
    };
    (
        side(|(name, x, _)| format!("{name} {x}")),
        side(|(name, _, y)| format!("{name} {y}")),
    )
}

/// A time as the records hold it (UTC), to the second.
pub fn fmt_time(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

impl fmt::Display for LineSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineSign::Changed { line, error } => write!(
                f,
                "line {line} does not check: {error}; yet the lines after it are intact, so it is not a \
                 write cut short but a change: a hand edit, or a fault of the disk"
            ),
            LineSign::Rewritten { line } => write!(
                f,
                "line {line} was rewritten and its hash worked out again: it matches its own hash, \
                 but line {} (which also matches its own) names another hash as the line before it. \
                 A sign of a hand edit",
                line + 1
            ),
            LineSign::NotAStart { line } => write!(
                f,
                "line {line} is record 1 but its `prev` is not 64 zeros: it is not the start osce wrote \
                 (lines were removed before it, or it was made by hand)"
            ),
            LineSign::Missing {
                line,
                expected,
                found,
            } => {
                let gap = if found - expected == 1 {
                    format!("record {expected} is")
                } else {
                    format!("records {expected} to {} are", found - 1)
                };
                write!(
                    f,
                    "line {line} is record {found} where {expected} was expected: {gap} missing (lines were removed)"
                )
            }
            LineSign::Repeated { line, seq } => write!(
                f,
                "line {line} is record {seq} again: a line was copied, or two programs wrote the file at once"
            ),
            LineSign::OutOfOrder {
                line,
                expected,
                found,
            } => write!(
                f,
                "line {line} is record {found} where {expected} was expected: lines were moved or added"
            ),
            LineSign::OtherSheet { line, from, to } => {
                let (to, from) = differences(to, from);
                write!(
                    f,
                    "from line {line} the records name {to}, the lines before {from}: lines from another \
                     sheet's journal were put in"
                )
            }
            LineSign::RubricSwitch { line, from, to } => write!(
                f,
                "from line {line} the records name the rubric {to}, the lines before {from}: osce never \
                 changes rubric within a journal"
            ),
            LineSign::ClockBack { line, from, to } => write!(
                f,
                "line {line} was written at {}, before the line above it ({}): the laptop's clock was \
                 put back, or lines were moved. Check with the examiner",
                fmt_time(to),
                fmt_time(from)
            ),
            LineSign::More { line, count, .. } => write!(
                f,
                "{} from line {line} on are not listed",
                plural(*count, "more sign", "more signs")
            ),
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindingKind::Unreadable { error } => write!(f, "cannot be read: {error}"),
            FindingKind::TornTail {
                bytes,
                reason,
                kind,
                archived,
            } => {
                let (nothing, open, check) = match kind {
                    JournalKind::Sheet => (
                        "No mark in it was ever shown as saved",
                        "open the sheet in osce",
                        ", and check the sheet's last marks with the examiner",
                    ),
                    JournalKind::Moderation => (
                        "No decision in it was ever shown as saved",
                        "open osce moderate as that assessor",
                        ", and check their last decisions with them",
                    ),
                    JournalKind::Decisions => (
                        "No decision in it was ever said to be recorded",
                        "record the next decision into that journal's folder (osce decide … --into it)",
                        "",
                    ),
                };
                write!(
                    f,
                    "the end of the journal from this line ({bytes} bytes) is a write cut short, not yet set \
                     aside: {reason}. {nothing}. "
                )?;
                if *archived {
                    write!(
                        f,
                        "The archive holds it as it was collected: the copy may have been still arriving (a folder \
                         still syncing), so collect the laptop's folder again once the copy has finished. Should it \
                         stay so, then on the laptop it came from, {open}, which sets these bytes aside in the \
                         quarantine file{check}; then collect that folder again"
                    )
                } else {
                    let mut open = open.chars();
                    let first = open
                        .next()
                        .map(|c| c.to_uppercase().to_string())
                        .unwrap_or_default();
                    write!(
                        f,
                        "{first}{}, which sets these bytes aside in the quarantine file{check}",
                        open.as_str()
                    )
                }
            }
            FindingKind::Damaged { reason } => write!(
                f,
                "damaged: {reason}. Status and export use only the records before this line"
            ),
            FindingKind::Line(sign) => sign.fmt(f),
            FindingKind::OtherRubric { found } => write!(
                f,
                "marked against another rubric (BLAKE3 {found}), so status and export leave it out. \
                 Audit with the rubric file the marks were made with, or find out why this sheet was \
                 marked with another one"
            ),
            FindingKind::Settled { was, by } => write!(f, "{was}; settled by decision: {by}"),
            FindingKind::Counted { found, by } => write!(
                f,
                "marked against another version of the rubric (BLAKE3 {found}), counted as this one by decision \
                 (status and export use it): {by}"
            ),
            FindingKind::WrongPlace { records, place } => {
                let (said, folder) = differences(records, place);
                write!(
                    f,
                    "its records name {said}, but it lies in the folder for {folder}: it was copied or \
                     moved by hand (or a folder renamed), and status and export show it as a problem, with \
                     no sheet counting there. Put it back in the folder of the sheet its records name: {}, \
                     or void it with `osce decide void`",
                    describe(records)
                )
            }
            FindingKind::UnknownStation { station } => write!(
                f,
                "station \"{station}\" is not in this rubric, so status and export leave it out"
            ),
            FindingKind::Quarantined {
                bytes,
                journal_present,
                pieces,
                whole_records,
            } => {
                write!(
                    f,
                    "holds {} set aside from the end of a journal after a write was cut short (a crash or \
                     power cut)",
                    plural(*bytes as usize, "byte", "bytes"),
                )?;
                if *pieces > 1 {
                    write!(f, ", in {pieces} pieces")?;
                }
                if *whole_records > 0 {
                    write!(
                        f,
                        ", {} of them whole {} cut short only of {} newline",
                        whole_records,
                        if *whole_records == 1 { "record" } else { "records" },
                        if *whole_records == 1 { "its" } else { "their" }
                    )?;
                }
                if !journal_present {
                    write!(f, "; there is no journal beside it")?;
                }
                write!(
                    f,
                    ". None of it was shown as saved; check with the examiner that the sheet's last marks \
                     were made again, and keep the file as evidence"
                )
            }
            FindingKind::QuarantinedChange => write!(
                f,
                "this piece of the quarantine file is a whole record whose bytes do not match its hash: \
                 the journal's last line was changed after it was written (a write cut short cannot do \
                 that), then set aside when the sheet was opened. A sign of a hand edit"
            ),
            FindingKind::SameSheet {
                others,
                relation,
                renamed,
            } => {
                let others: Vec<String> = others.iter().map(|p| p.display().to_string()).collect();
                let others = others.join(", ");
                let why = if *renamed {
                    "one of them is a renamed copy, as a sync client makes when the file changed in two places"
                } else {
                    ""
                };
                match relation {
                    Copies::Identical if *renamed => write!(
                        f,
                        "the same sheet's journal is also in {others}, record for record the same: {why}. \
                         Every command counts it once; nothing in either is lost"
                    ),
                    Copies::Identical => write!(
                        f,
                        "the same sheet's journal is also in {others}, record for record the same: \
                         a folder was copied twice. Every command counts it once; keep one copy in \
                         the folders you collect"
                    ),
                    Copies::OlderCopy if *renamed => write!(
                        f,
                        "the same sheet's journal is also in {others}: {why}. The shorter ones are older \
                         copies of the longest, which every command uses whatever its name: keep the \
                         longest"
                    ),
                    Copies::OlderCopy => write!(
                        f,
                        "the same sheet's journal is also in {others}; the shorter ones are older \
                         copies of the longest, which every command uses. Keep only the longest in the \
                         folders you collect"
                    ),
                    Copies::Different if *renamed => write!(
                        f,
                        "the same sheet's journal is also in {others}, with a different history: {why} \
                         (a laptop marking on while its copy of the folder was out of date). Only one can \
                         count: ask the examiner which, and record it with `osce decide conflict` (`osce \
                         status --problems` gives the command)"
                    ),
                    Copies::Different => write!(
                        f,
                        "the same sheet's journal is also in {others}, with a different history: two \
                         laptops with the same device name, or a copy marked on. Only one can count: \
                         ask the examiner which, and record it with `osce decide conflict` (`osce status \
                         --problems` gives the command)"
                    ),
                }
            }
            FindingKind::OtherHistory { others, journal, who } => {
                let others: Vec<String> = others.iter().map(|p| p.display().to_string()).collect();
                let (whose, what_to_do) = match journal {
                    JournalKind::Decisions => (
                        "the exam lead's decisions journal",
                        "ask the lead which decisions should count, record those only the other holds again with \
                         `osce decide` under another --device, then move the other copy out of the folders",
                    ),
                    _ => (
                        "the assessor's moderation journal",
                        "ask the assessor which history is right, keep that one under the journal's own name and \
                         move the other out of the folders (kept elsewhere as evidence)",
                    ),
                };
                write!(
                    f,
                    "{whose} ({who}) is also in {}, with a different history (recorded on in two copies of the \
                     folder, one kept by a sync client under another name, most likely). Only one is used, and \
                     what only the other holds does not count (`osce status` names the file used and each record \
                     that does not count): {what_to_do}",
                    others.join(", ")
                )
            }
            FindingKind::Permissions { mode, folder } => {
                let (what, fix) = if *folder {
                    ("folder", "chmod 700")
                } else {
                    ("file", "chmod 600")
                };
                write!(
                    f,
                    "this {what} can be read by others than its owner (mode {mode:04o}), and the session \
                     files hold candidates' personal data: {fix} it"
                )
            }
            FindingKind::Symlink { dangling } => {
                if *dangling {
                    write!(
                        f,
                        "a symbolic link to nothing; osce never makes links. Find out who made it"
                    )
                } else {
                    write!(
                        f,
                        "a symbolic link; osce never makes links, and will not write through this one. \
                         What it points at is checked as if it were here; replace it with the real \
                         file or folder"
                    )
                }
            }
            FindingKind::Unexpected { expected } => write!(
                f,
                "osce did not put this here (only {expected} belong here), so status and export ignore \
                 it. An editor's backup or a file a sync service left looks like this: find out where \
                 it came from, and never rename it into place"
            ),
            FindingKind::NoAssessmentFolder { assessment, holds } => write!(
                f,
                "holds no folder \"{assessment}\", so no journals of this assessment{}. Check that the \
                 rubric is the one the exam used, and name the sessions folder that holds the assessment's \
                 folder (the one above it)",
                held(holds, "folders")
            ),
            FindingKind::NoAssessmentInArchive { assessment, holds } => write!(
                f,
                "holds no journal of assessment \"{assessment}\"{}. Check that the rubric is the one the \
                 exam used, and that this is the exam's archive",
                held(holds, "journals")
            ),
        }
    }
}

/// " (it holds the folders of …)" naming what a folder or archive holds
/// instead, or nothing where it holds none.
fn held(holds: &[String], what: &str) -> String {
    if holds.is_empty() {
        String::new()
    } else {
        format!(
            " (it holds the {what} of {})",
            crate::base::text::quoted_list(holds)
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.kind, self.line) {
            // The message names its lines itself.
            (FindingKind::Line(_), _) | (_, None) => write!(f, "{}: {}", self.path.display(), self.kind),
            (_, Some(line)) => write!(f, "{}, line {line}: {}", self.path.display(), self.kind),
        }
    }
}

/// `.write-check-<process id>`: the marking screen's write test.
fn is_probe(name: &str) -> bool {
    name.strip_prefix(crate::store::PROBE_PREFIX)
        .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::encode_line;

    fn record(seq: u64, prev: &str, minute: u32) -> Record {
        Record::for_test(
            seq,
            &format!("2026-11-23T09:{minute:02}:00Z"),
            Event::Notes {
                text: format!("note {seq}"),
            },
            prev,
        )
    }

    /// A sound journal of `n` records, one minute apart, as lines.
    fn journal(n: u64) -> Vec<String> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut r = record(seq, &prev, seq as u32);
                let line = encode_line(&mut r).expect("encode");
                prev = r.hash;
                line
            })
            .collect()
    }

    fn signs(lines: &[String]) -> Vec<LineSign> {
        line_signs(lines.concat().as_bytes())
    }

    #[test]
    fn a_sound_journal_shows_no_sign_and_a_torn_tail_is_not_one() {
        let lines = journal(4);
        assert_eq!(signs(&lines), []);
        let mut torn = lines.concat();
        torn.truncate(torn.len() - 20);
        assert_eq!(line_signs(torn.as_bytes()), []);
    }

    #[test]
    fn each_kind_of_change_leaves_its_sign() {
        // A byte changed in the middle.
        let mut lines = journal(4);
        lines[1] = lines[1].replace("note 2", "note X");
        assert!(matches!(
            signs(&lines)[..],
            [LineSign::Changed {
                line: 2,
                error: LineError::HashMismatch
            }]
        ));

        // Rewritten with its hash worked out again.
        let mut lines = journal(4);
        let mut r = decode_line(lines[1].as_bytes()).expect("sound");
        r.event = Event::Notes { text: "other".into() };
        lines[1] = encode_line(&mut r).expect("encode");
        assert_eq!(signs(&lines), [LineSign::Rewritten { line: 2 }]);

        // A line removed, a line repeated, lines swapped.
        let mut lines = journal(4);
        lines.remove(1);
        assert_eq!(
            signs(&lines),
            [LineSign::Missing {
                line: 2,
                expected: 2,
                found: 3
            }]
        );
        let mut lines = journal(3);
        lines.insert(2, lines[1].clone());
        assert_eq!(signs(&lines)[0], LineSign::Repeated { line: 3, seq: 2 });
        let mut lines = journal(4);
        lines.swap(1, 2);
        let found = signs(&lines);
        assert!(matches!(found[0], LineSign::Missing { line: 2, .. }), "{found:?}");
        assert!(
            found
                .iter()
                .any(|s| matches!(s, LineSign::OutOfOrder { line: 3, .. }))
        );

        // The first line removed.
        let mut lines = journal(3);
        lines.remove(0);
        assert!(matches!(signs(&lines)[0], LineSign::Missing { line: 1, .. }));
    }

    #[test]
    fn the_clock_may_go_back_a_little() {
        let mut prev = GENESIS.to_string();
        let mut lines = Vec::new();
        for (seq, minute) in [(1, 30), (2, 27), (3, 20)] {
            let mut r = record(seq, &prev, minute);
            lines.push(encode_line(&mut r).expect("encode"));
            prev = r.hash;
        }
        let found = signs(&lines);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(matches!(found[0], LineSign::ClockBack { line: 3, .. }));
        assert_eq!(found[0].severity(), Severity::Warning);
    }

    #[test]
    fn signs_are_capped() {
        let mut lines = journal(30);
        for line in lines.iter_mut().take(29).skip(1) {
            *line = line.replace("note", "nope");
        }
        let found = signs(&lines);
        assert_eq!(found.len(), MAX_SIGNS_PER_JOURNAL + 1);
        assert_eq!(
            found.last(),
            Some(&LineSign::More {
                line: 12,
                count: 18,
                errors: 18
            })
        );
    }
}
