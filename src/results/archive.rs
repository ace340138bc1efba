//! The exam archive: every journal of every assessment found in the
//! laptops' sessions folders, copied into one SQLite file
//! (docs/archive-format.md).
//!
//! - [`collect`] copies journals in, in one transaction: each one's bytes
//!   exactly as read, checked with the readers every command uses. It is
//!   incremental (a file whose size, mtime, ctime and inode are unchanged since it
//!   was collected is not read again) and **anchored**: once a journal is
//!   in, a later copy that is shorter than what was collected from the same
//!   file, or differs anywhere in what was collected, is refused and the
//!   archive keeps what it had.
//! - [`Stored`] reads the stored journals back, each one's bytes checked
//!   against its BLAKE3 as it is read, for `status`, `export`, `report`,
//!   `feedback` and `audit`, through exactly the readers that read the
//!   laptops' folders ([`crate::results::source`]).
//! - [`materialise`] writes them out into a private folder in the session
//!   layout, for the moderation screen, which reads folders.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::base::ids::check_id;
use crate::store::{
    DECISIONS_FILE, Event, MODERATION_FILE, SheetKey, Store, check_chain_bytes, check_sheet_bytes,
    is_renamed_copy,
};

/// SQLite's `application_id` of an osce archive ("OSCE").
pub const APPLICATION_ID: i64 = 0x4f53_4345;

/// The archive format's version, in `PRAGMA user_version`.
pub const FORMAT_VERSION: i64 = 1;

/// How long a collect waits for another one holding the archive.
pub const BUSY_WAIT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
CREATE TABLE journals (
    path TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('sheet', 'moderation', 'decisions')),
    assessment TEXT NOT NULL,
    examiner TEXT NOT NULL,
    device TEXT NOT NULL,
    candidate TEXT,
    station TEXT,
    bytes BLOB NOT NULL,
    length INTEGER NOT NULL,
    blake3 TEXT NOT NULL,
    anchored_length INTEGER NOT NULL,
    records INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    verdict TEXT NOT NULL,
    failing INTEGER NOT NULL,
    first_collected TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    submitted_score REAL,
    submitted_max REAL,
    submitted_outcome TEXT,
    submitted_at TEXT,
    amending INTEGER
) STRICT;
CREATE TABLE sources (
    source TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    journal TEXT NOT NULL REFERENCES journals (path),
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    length INTEGER NOT NULL,
    collected_at TEXT NOT NULL
) STRICT;
CREATE INDEX sources_journal ON sources (journal);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    folders TEXT NOT NULL,
    new INTEGER NOT NULL,
    grown INTEGER NOT NULL,
    refused INTEGER NOT NULL
) STRICT;
CREATE VIEW sheets AS
    SELECT assessment, candidate, station, examiner, device, records,
           submitted_score AS score, submitted_max AS max, submitted_outcome AS outcome,
           submitted_at, amending, verdict, failing, path, last_hash, blake3
    FROM journals WHERE kind = 'sheet';
CREATE VIEW sources_of_journals AS
    SELECT j.path, j.kind, s.folder, s.source, s.collected_at, s.length AS length_then
    FROM journals j JOIN sources s ON s.journal = j.path;
";

/// What archives gained after the first of format 1: added by `collect`
/// where missing (and by a command keeping readings), so an archive made
/// before reads as it did. The `marks` view is [`MARKS_VIEW`].
const ADDED: &str = "
CREATE TABLE IF NOT EXISTS readings (
    rubric TEXT NOT NULL,
    journal TEXT NOT NULL,
    blake3 TEXT NOT NULL,
    reader TEXT NOT NULL,
    reading TEXT NOT NULL,
    reading_blake3 TEXT NOT NULL,
    PRIMARY KEY (rubric, journal)
) STRICT;
CREATE INDEX IF NOT EXISTS journals_listed
    ON journals (assessment, kind, path, examiner, device, candidate, station, blake3);
CREATE INDEX IF NOT EXISTS journals_failing ON journals (path) WHERE failing;
CREATE TABLE IF NOT EXISTS other_histories (
    journal TEXT NOT NULL,
    blake3 TEXT NOT NULL,
    length INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    source TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    PRIMARY KEY (journal, blake3)
) STRICT;
CREATE TABLE IF NOT EXISTS refusals (
    file TEXT NOT NULL PRIMARY KEY,
    journal TEXT NOT NULL,
    why TEXT NOT NULL,
    kept_beside INTEGER NOT NULL,
    refused_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS replaced (
    journal TEXT NOT NULL,
    blake3 TEXT NOT NULL,
    length INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    verdict TEXT NOT NULL,
    sources TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by TEXT NOT NULL,
    PRIMARY KEY (journal, blake3)
) STRICT;
";

/// How a sheet journal's other history is named, after the journal's own
/// name: `…/shoulder.jsonl#other-` and the first 16 hex digits of its
/// BLAKE3.
pub const OTHER_HISTORY: &str = "#other-";

/// Adds to `conn`'s archive what [`ADDED`] has and it lacks, and makes the
/// `marks` view again where it is not [`MARKS_VIEW`]. A `readings` table
/// of an earlier form (without `reading_blake3`, or `WITHOUT ROWID`, which
/// put most of each reading on a page of its own) is dropped first: what
/// it held is made again from the journals.
fn add_missing(conn: &Connection) -> rusqlite::Result<()> {
    let readings: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'readings'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(sql) = readings
        && (sql.to_ascii_uppercase().contains("WITHOUT ROWID")
            || conn
                .prepare("SELECT reading_blake3 FROM readings LIMIT 0")
                .is_err())
    {
        conn.execute_batch("DROP VIEW IF EXISTS marks; DROP TABLE readings;")?;
    }
    conn.execute_batch(ADDED)?;
    let view: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'marks'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if view.as_deref() != Some(MARKS_VIEW) {
        conn.execute_batch(&format!("DROP VIEW IF EXISTS marks; {MARKS_VIEW};"))?;
    }
    Ok(())
}

/// The `marks` view, as SQLite keeps its text: one row per item of every
/// sheet read. It reads a reading's marks in the form this version writes
/// (`[item, [[record, [level, late]], …]]`) and in the earlier one
/// (`[item, {"entries": …}]`), which readings of another rubric made by an
/// earlier version may still have.
const MARKS_VIEW: &str = "CREATE VIEW marks AS
    SELECT j.assessment, j.candidate, j.station, j.examiner, j.device, r.rubric, r.reader,
           json_extract(m.value, '$[0]') AS item,
           coalesce(json_extract(m.value, '$[1][#-1][1][0]'),
                    json_extract(m.value, '$[1].entries[#-1][1][0]')) AS level,
           coalesce(json_extract(m.value, '$[1][#-1][1][1]'),
                    json_extract(m.value, '$[1].entries[#-1][1][1]')) AS late,
           coalesce(json_extract(m.value, '$[1][#-1][0]'),
                    json_extract(m.value, '$[1].entries[#-1][0]')) AS record
    FROM readings r JOIN journals j ON j.path = r.journal AND j.blake3 = r.blake3,
         json_each(r.reading, '$.sheet.state.marks') m
    WHERE json_extract(r.reading, '$.sheet.damage') IS NULL";

/// An archive beside `path` (in its folder) whose name is a typo away from
/// its name (`exam.osc` for `exam.osce`), where `path` names none: what was
/// most likely meant. An archive is a file that begins as SQLite's do.
///
/// A typo is a letter or two: one edit, two in a name of 12 characters or
/// more. Archives' names share their extension, so a looser bound (as for
/// an id) would take another exam's archive for this one (`fca.osce` and
/// `exam.osce` are three edits apart); names that differ only in their
/// digits are another sitting's (`y3-osce-2026.osce`, `y3-osce-2027.osce`).
pub fn near_archive(path: &Path) -> Option<PathBuf> {
    near_name(path, |near| {
        let mut head = [0u8; 16];
        fs::File::open(near)
            .and_then(|mut f| io::Read::read_exact(&mut f, &mut head))
            .is_ok_and(|()| &head == b"SQLite format 3\0")
    })
}

/// A folder beside `path` whose name is a typo away from its name
/// (`sesions` for `sessions`), where `path` names none: what was most
/// likely meant, by the bounds of [`near_archive`] (folders that differ
/// only in their digits are other laptops', `laptop-3` and `laptop-4`).
pub fn near_folder(path: &Path) -> Option<PathBuf> {
    near_name(path, Path::is_dir)
}

/// The nearest of the files beside `path` whose names are a typo away
/// from its name that are `wanted`.
fn near_name(path: &Path, wanted: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let names: Vec<String> = fs::read_dir(folder)
        .ok()?
        .take(10_000)
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != name)
        .collect();
    let letters = |s: &str| -> String { s.to_lowercase().chars().filter(|c| !c.is_ascii_digit()).collect() };
    let lower = name.to_lowercase();
    names
        .iter()
        .filter(|n| letters(n) != letters(name))
        .filter_map(|n| {
            let shorter = n.chars().count().min(name.chars().count());
            let allowed = if shorter >= 12 { 2 } else { 1 };
            // Bounded first: the distance takes the product of the lengths.
            if n.chars().count().abs_diff(name.chars().count()) > allowed {
                return None;
            }
            let d = crate::rubric::edit_distance(&lower, &n.to_lowercase());
            (d <= allowed).then_some((d, path.with_file_name(n)))
        })
        .filter(|(_, near)| wanted(near))
        .min_by_key(|(d, _)| *d)
        .map(|(_, near)| near)
}

/// What can go wrong with an archive.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(
        "{path}: no such archive ({})",
        match near {
            Some(near) => format!("did you mean {}? It is an archive beside it", near.display()),
            None => format!("make one with `osce collect {} FOLDER...`", path.display()),
        },
        path = .path.display()
    )]
    Missing { path: PathBuf, near: Option<PathBuf> },
    #[error(
        "{path}: not an osce archive ({reason}); it was left as it is. Name the archive file `osce collect` made",
        path = .path.display()
    )]
    NotArchive { path: PathBuf, reason: String },
    /// A rubric given where the archive goes (the two swapped, most often).
    #[error(
        "{path}: is a rubric file (.ron), not an exam archive; it was left as it is. The archive is the file \
         `osce collect ARCHIVE FOLDER...` made; the other commands take the rubric first and the archive after \
         --archive, as in: osce status {path} --archive exam.osce",
        path = .path.display()
    )]
    RubricGiven { path: PathBuf },
    #[error(
        "{path}: in use by another osce command (another collect writing to it, or a command still reading it, \
         for more than 5 seconds); nothing was changed. Run this again when it has finished",
        path = .path.display()
    )]
    Busy { path: PathBuf },
    #[error("{path}: the archive is damaged: {reason}. Keep the file; collect again into a new archive from the laptops' folders (sent the archive by someone else, ask them to send it again)", path = .path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "{path}: the archive is read-only, so nothing was collected into it. Make it writable (`chmod u+w {path}`) \
         to collect into it, or collect into another archive",
        path = .path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error("{path}: {source}", path = .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: {source}", path = .path.display())]
    Store {
        path: PathBuf,
        source: crate::store::StoreError,
    },
}

/// An open archive.
pub struct Archive {
    conn: Connection,
    path: PathBuf,
}

fn sql_error(path: &Path, e: rusqlite::Error) -> ArchiveError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            ArchiveError::Busy {
                path: path.to_path_buf(),
            }
        }
        Some(rusqlite::ErrorCode::ReadOnly) => ArchiveError::Damaged {
            path: path.to_path_buf(),
            reason: format!(
                "{e}: a write to it was cut short (a collect, or a command keeping its readings) and SQLite \
                 must roll it back, which it cannot do in a file it may not write. Make the file writable for a moment (or run `osce collect` on it) and \
                 try again"
            ),
        },
        Some(rusqlite::ErrorCode::NotADatabase)
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")) =>
        {
            ArchiveError::RubricGiven {
                path: path.to_path_buf(),
            }
        }
        Some(rusqlite::ErrorCode::NotADatabase) => ArchiveError::NotArchive {
            path: path.to_path_buf(),
            reason: "not an SQLite database".into(),
        },
        _ => ArchiveError::Damaged {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

/// Whether the file at `path` is read-only: its owner may not write it
/// (`chmod 400`, a copy kept as it is; honoured even where the user could
/// write it anyway, as root can), or this user may not.
fn read_only(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o200 == 0)
        || rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_err()
}

/// A connection to read the archive at `path`.
fn connect_read(path: &Path) -> Result<Connection, ArchiveError> {
    // Opened for writing (never creating) only so that SQLite can roll
    // back what a collect cut short left (its hot journal); nothing is
    // written here (`query_only`). A file that may not be written is
    // opened read-only, so nothing is kept in it.
    let write = if read_only(path) {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn = Connection::open_with_flags(path, write | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| sql_error(path, e))?;
    conn.busy_timeout(BUSY_WAIT).map_err(|e| sql_error(path, e))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| sql_error(path, e))?;
    Ok(conn)
}

/// The file(s) a journal of `archive` (named by the archive's path joined
/// with its path inside it, as every command names it, an other history
/// by its `#other-` name) was collected from: the laptop's folder or the
/// copy it came in. `None` where the archive cannot say.
pub fn origin_of(archive: &Path, name: &Path) -> Option<String> {
    let rel = name.strip_prefix(archive).ok()?.to_str()?;
    let conn = connect_read(archive).ok()?;
    let found: Option<String> = match rel.split_once(OTHER_HISTORY) {
        Some((journal, prefix)) => conn
            .query_row(
                "SELECT group_concat(source, ', ') FROM other_histories WHERE journal = ?1 AND substr(blake3, 1, ?3) = ?2",
                params![journal, prefix, prefix.len() as i64],
                |r| r.get(0),
            )
            .ok()
            .flatten(),
        None => conn
            .query_row(
                "SELECT group_concat(s.source, ', ') FROM sources s JOIN journals j ON j.path = s.journal \
                 WHERE s.journal = ?1 AND s.length = j.length",
                params![rel],
                |r| r.get(0),
            )
            .ok()
            .flatten(),
    };
    found.filter(|f| !f.is_empty())
}

impl Archive {
    /// Opens the archive at `path` to collect into, creating it (owner-only,
    /// 0600) if there is no file there. A file there that is not an osce
    /// archive is refused and left as it is.
    pub fn open_for_collect(path: &Path) -> Result<Archive, ArchiveError> {
        let created = match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => true,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
                    return Err(ArchiveError::NotArchive {
                        path: path.to_path_buf(),
                        reason: "a folder or other non-file, not the archive file; sessions folders are given with --sessions, and `osce collect ARCHIVE FOLDER...` names the archive first".into(),
                    });
                }
                if read_only(path) {
                    return Err(ArchiveError::ReadOnly {
                        path: path.to_path_buf(),
                    });
                }
                false
            }
            Err(source) => {
                return Err(ArchiveError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        // Owner-only, whoever made the file.
        if let Ok(meta) = fs::metadata(path)
            && meta.is_file()
            && meta.permissions().mode() & 0o077 != 0
        {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|source| {
                ArchiveError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_error(path, e))?;
        conn.busy_timeout(BUSY_WAIT).map_err(|e| sql_error(path, e))?;
        let archive = Archive {
            conn,
            path: path.to_path_buf(),
        };
        // An empty database (made here, or left empty by a first collect
        // killed before its schema was written) becomes an archive.
        if created || archive.is_empty()? {
            archive.create_schema()?;
        } else {
            archive.check_format()?;
        }
        // In one transaction: a view dropped is never left unmade. The
        // write lock taken first (waiting for another collect's), as
        // everything this writes.
        rusqlite::Transaction::new_unchecked(&archive.conn, rusqlite::TransactionBehavior::Immediate)
            .and_then(|tx| {
                add_missing(&tx)?;
                tx.commit()
            })
            .map_err(|e| sql_error(&archive.path, e))?;
        Ok(archive)
    }

    /// Opens an existing archive to read.
    pub fn open_read(path: &Path) -> Result<Archive, ArchiveError> {
        match fs::metadata(path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                return Err(ArchiveError::NotArchive {
                    path: path.to_path_buf(),
                    reason: "a folder or other non-file, not the archive file; sessions folders are given with --sessions, and `osce collect ARCHIVE FOLDER...` names the archive first".into(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(ArchiveError::Missing {
                    path: path.to_path_buf(),
                    near: near_archive(path),
                });
            }
            Err(source) => {
                return Err(ArchiveError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        let archive = Archive {
            conn: connect_read(path)?,
            path: path.to_path_buf(),
        };
        archive.check_format()?;
        Ok(archive)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the empty database an archive. Under the write lock, taken
    /// first (waiting for another collect's, as every write does), the
    /// file is looked at again: of two first collects at once, the one
    /// that waited finds the archive made, and checks it as any other.
    fn create_schema(&self) -> Result<(), ArchiveError> {
        let sql = |e| sql_error(&self.path, e);
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        if !self.is_empty()? {
            tx.rollback().map_err(sql)?;
            return self.check_format();
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {FORMAT_VERSION}; {SCHEMA}"
        ))
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Whether the file is an empty database: no application id, no table.
    fn is_empty(&self) -> Result<bool, ArchiveError> {
        let (id, tables): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| sql_error(&self.path, e))?;
        Ok(id == 0 && tables == 0)
    }

    fn check_format(&self) -> Result<(), ArchiveError> {
        let id: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, e))?;
        if id != APPLICATION_ID {
            return Err(ArchiveError::NotArchive {
                path: self.path.clone(),
                reason: if self.is_empty()? {
                    format!(
                        "an empty file: nothing was ever collected into it; `osce collect {} FOLDER...` makes it one",
                        self.path.display()
                    )
                } else {
                    "an SQLite database of another program".into()
                },
            });
        }
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, e))?;
        if version != FORMAT_VERSION {
            return Err(ArchiveError::NotArchive {
                path: self.path.clone(),
                reason: format!("archive format {version}, where this osce reads format {FORMAT_VERSION}"),
            });
        }
        Ok(())
    }

    /// SQLite's own check of the file (`PRAGMA integrity_check`, or with
    /// `quick` the faster `quick_check`): `None` when it is sound, else
    /// what it found.
    pub fn integrity(&self, quick: bool) -> Result<Option<String>, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare(if quick {
                "PRAGMA quick_check"
            } else {
                "PRAGMA integrity_check"
            })
            .map_err(|e| sql_error(&self.path, e))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| sql_error(&self.path, e))?;
        let mut found: Vec<String> = if rows == ["ok"] { Vec::new() } else { rows };
        // Rows whose journal is gone: SQLite's checks pass a row deleted
        // whole (`DELETE FROM journals …`), but where it came from is
        // still recorded.
        let orphans: Vec<(String, i64)> = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .and_then(|rows| rows.collect())
            })
            .map_err(|e| sql_error(&self.path, e))?;
        found.extend(orphans.into_iter().map(|(table, rowid)| {
            format!(
                "row {rowid} of table {table} names a journal the archive no longer holds (a journal's row deleted \
                 from the file)"
            )
        }));
        Ok((!found.is_empty()).then(|| found.join("; ")))
    }
}

// ---------------------------------------------------------------------------
// Collecting

/// What one collect did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Collected {
    /// Journals new to the archive, by their path in the layout.
    pub new: Vec<String>,
    /// Journals that grew since they were collected (the longer bytes kept).
    pub grown: Vec<String>,
    /// Files not read again: size, mtime, ctime and inode as when collected.
    pub unchanged: usize,
    /// Files read again that hold exactly what was collected from them
    /// (touched but not changed).
    pub same: usize,
    /// Files read for the first time that hold what the archive has of
    /// their journal, or an older copy of it: another copy (a laptop's
    /// folder copied to a stick, named beside the laptop's own).
    pub copies: usize,
    /// An older copy of a journal the archive holds more of, from another
    /// file than the one it was collected from: (journal, file).
    pub older_copies: Vec<(String, PathBuf)>,
    /// Copies refused: the archive keeps what it had.
    pub refused: Vec<Refusal>,
    /// Copies that are another history of a sheet the archive already
    /// keeps beside it (refused when first seen): (journal, file).
    pub other_histories: Vec<(String, PathBuf)>,
    /// Of those, the ones kept beside a journal that fails its checks (a
    /// journal moved over the sheet's, collected first): it counts once
    /// that one is voided. (journal, file).
    pub beside_failing: Vec<(String, PathBuf)>,
    /// Journals stored (as evidence, and so that every command sees them
    /// as it would in the folders) that fail their checks: (journal, why).
    pub failing: Vec<(String, String)>,
    /// Journals stored before that failed their checks, replaced by a
    /// sound copy that continues what of them checked (the failing bytes
    /// are kept in the `replaced` table): (journal, the failing copy's
    /// files and verdict, the file of the sound copy).
    pub replaced: Vec<(String, String, PathBuf)>,
    /// Whether a folder read held any sheet's journal: not only an exam
    /// lead's decisions or an assessor's moderation.
    pub held_sheets: bool,
    /// Journals whose copy in the archive was damaged since it was
    /// collected (its bytes no longer matching the BLAKE3 recorded),
    /// stored again from a file holding what was collected: (journal,
    /// file).
    pub restored: Vec<(String, PathBuf)>,
    /// Journals stored with an unfinished last line (a copy still arriving,
    /// or a crash mid-write): (journal, what).
    pub torn: Vec<(String, String)>,
    /// Of the refused, files shorter than what was collected from them
    /// before, whose bytes are the start of it and end in an unfinished
    /// line: being copied again (a sync re-creating the file), most
    /// likely. (journal, file).
    pub copying_again: Vec<(String, PathBuf)>,
    /// Folders holding no assessment.
    pub empty_folders: Vec<PathBuf>,
    /// Folders named more than once (the same folder twice, or through a
    /// link): (as first named, as named again). Read once.
    pub named_again: Vec<(PathBuf, PathBuf)>,
    /// Copies an earlier run refused in a folder that now holds no
    /// assessment, no longer there (taken out as evidence, as advised):
    /// no longer refused. (the folder as named, the file's path.)
    pub refusals_cleared: Vec<(PathBuf, String)>,
    /// Files collected before from a folder this run read that are not
    /// there now (the archive keeps what it collected of them).
    pub gone: Vec<GoneFile>,
    /// Folders collected before that this run was not given: what was
    /// collected from them stays in the archive as it was.
    pub not_named: Vec<NotNamed>,
    /// How many journals in the archive (after this run) fail their
    /// checks, this run's and earlier ones.
    pub failing_in_archive: usize,
}

/// A file collected before that is no longer in its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct GoneFile {
    /// The journal it was a copy of.
    pub journal: String,
    /// Where it was.
    pub file: PathBuf,
    /// How many intact records the archive holds of the journal.
    pub records: i64,
    /// When it was last read there.
    pub collected_at: String,
}

/// A folder collected before and not named in this run.
#[derive(Debug, Clone, PartialEq)]
pub struct NotNamed {
    pub folder: PathBuf,
    /// How many journals were collected from it.
    pub journals: i64,
    /// When it was last collected (the last run that named it).
    pub last_collected: String,
    /// How many of its journals are sheets' (none in an exam lead's
    /// folder of decisions, or an assessor's of moderation).
    pub sheets: i64,
}

impl Collected {
    /// Whether anything must be looked at (exit code 1).
    pub fn has_errors(&self) -> bool {
        !self.refused.is_empty() || !self.failing.is_empty()
    }
}

/// The files collected before from `folder` (as the archive names it:
/// absolute, links resolved) that are not among those `found` there now.
fn gone_from(tx: &Connection, folder: &Path, found: &[Found]) -> rusqlite::Result<Vec<GoneFile>> {
    let here: std::collections::HashSet<&Path> = found.iter().map(|f| f.file.as_path()).collect();
    // The examiners' folders there now: a file is said gone only from an
    // examiner's folder that is still there (the same path reused for
    // another laptop's folder holds other examiners' folders instead).
    let who_here: std::collections::HashSet<&Path> =
        found.iter().filter_map(|f| who_folder_of(&f.file)).collect();
    let mut stmt = tx.prepare_cached(
        "SELECT s.source, s.journal, coalesce(j.records, 0), s.collected_at, s.length FROM sources s \
         LEFT JOIN journals j ON j.path = s.journal WHERE s.folder = ?1 ORDER BY s.source",
    )?;
    let rows = stmt.query_map(params![folder.to_string_lossy()], |r| {
        Ok((
            GoneFile {
                file: PathBuf::from(r.get::<_, String>(0)?),
                journal: r.get(1)?,
                records: r.get(2)?,
                collected_at: r.get(3)?,
            },
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut gone = Vec::new();
    for row in rows {
        let (row, length) = row?;
        // A journal holding nothing (opened and never written to, removed
        // when its sheet was closed) loses nothing by going; nor does a
        // copy of a journal another file in the folder holds as far, or
        // further (a sync client's renamed copy tidied away).
        let held_here = || {
            found.iter().any(|f| {
                f.rel == row.journal
                    && f.file != row.file
                    && fs::metadata(&f.file).is_ok_and(|m| m.len() >= length.max(0) as u64)
            })
        };
        if row.records > 0
            && !here.contains(row.file.as_path())
            && who_folder_of(&row.file).is_some_and(|w| who_here.contains(w))
            && !held_here()
        {
            gone.push(row);
        }
    }
    Ok(gone)
}

/// The `<examiner>@<device>` folder a journal lies in: two folders up
/// from a sheet's journal, one from a moderation or decisions journal.
fn who_folder_of(file: &Path) -> Option<&Path> {
    let up = file.parent()?;
    if up
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| crate::store::parse_who(n).is_some())
    {
        Some(up)
    } else {
        up.parent()
    }
}

/// The folders files were collected from before that are not among
/// `folders` (this run's, as the archive names them), but for those that
/// hold only copies of journals found in `folders` (a USB stick copied
/// from a laptop named now): nothing is missed by leaving them out.
fn not_named(tx: &Connection, folders: &[PathBuf]) -> rusqlite::Result<Vec<NotNamed>> {
    let mut stmt = tx.prepare(
        "SELECT folder, count(DISTINCT journal), \
                coalesce((SELECT max(r.time) FROM runs r \
                          WHERE instr(char(10) || r.folders || char(10), char(10) || s.folder || char(10)) > 0), \
                         max(collected_at)), \
                count(DISTINCT CASE WHEN s.journal IN (SELECT path FROM journals WHERE kind = 'sheet') \
                                    THEN s.journal END) \
         FROM sources s GROUP BY folder ORDER BY folder",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(NotNamed {
            folder: PathBuf::from(r.get::<_, String>(0)?),
            journals: r.get(1)?,
            last_collected: r.get(2)?,
            sheets: r.get(3)?,
        })
    })?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if !folders.contains(&row.folder) {
            out.push(row);
        }
    }
    if out.is_empty() {
        return Ok(out);
    }
    // The journals of each folder left out that were found in a folder
    // named now: each folder's name between line ends, as `runs` lists
    // them.
    let named: String = folders
        .iter()
        .map(|f| format!("\n{}", f.to_string_lossy()))
        .chain(["\n".to_string()])
        .collect();
    let mut copies = tx.prepare(
        "SELECT count(DISTINCT s.journal) FROM sources s \
         WHERE s.folder = ?1 AND EXISTS (SELECT 1 FROM sources t WHERE t.journal = s.journal \
               AND instr(?2, char(10) || t.folder || char(10)) > 0)",
    )?;
    let mut kept = Vec::with_capacity(out.len());
    for row in out {
        let found_named: i64 =
            copies.query_row(params![row.folder.to_string_lossy(), named], |r| r.get(0))?;
        if found_named < row.journals {
            kept.push(row);
        }
    }
    Ok(kept)
}

/// Whether the archive has the table of other histories (one made before
/// they were kept has not, until its next collect).
fn has_other_histories(conn: &Connection) -> rusqlite::Result<bool> {
    has_table(conn, "other_histories")
}

/// What a refused copy of an exam lead's decisions journal, differing
/// from the collected one from line `line`, holds that the archive does
/// not (every decision from that line on), in words ending a refusal's:
/// none of them counts until recorded again, which a decision recorded
/// with `--archive` does into any folder, carrying on from the archive's
/// copy of the journal.
fn decisions_not_collected(bytes: &[u8], line: usize, file: &Path) -> String {
    let read = crate::store::read_chain_bytes::<crate::results::decisions::DecisionEntry>(bytes);
    let lost: Vec<String> = read
        .entries
        .into_iter()
        .filter(|c| c.seq as usize >= line)
        .map(|c| {
            crate::results::decisions::Made {
                entry: c.entry,
                time: c.time,
                seq: c.seq,
                path: file.to_path_buf(),
            }
            .line()
        })
        .collect();
    if lost.is_empty() {
        return "; what this copy holds beyond it is not in the archive. Keep this file as evidence"
            .to_string();
    }
    format!(
        "; {} in this copy alone, not in the archive, {} not count: {}. Take this file out of its folder (keep it \
         as evidence) and collect that folder again; then record {} again with osce decide … --archive ARCHIVE \
         --into FOLDER, which carries on from the archive's copy of the journal",
        crate::base::text::plural(lost.len(), "decision", "decisions"),
        if lost.len() == 1 { "does" } else { "do" },
        lost.join("; "),
        if lost.len() == 1 { "it" } else { "each" }
    )
}

/// Keeps the copies this run refused in the table `refusals`, in place of
/// those an earlier run refused in the folders this run read (each file
/// refused is read again by every collect of its folder, so what this run
/// did not refuse there has been dealt with); those refused in folders
/// this run did not read stay. In a folder that held no assessment
/// (`empty`: as named, as the archive names it), only a refused file no
/// longer there is dealt with: one still there, under a folder named at
/// the wrong level, stays refused. Gives those cleared from the empty
/// folders: (the folder as named, the file).
fn keep_refusals(
    tx: &Connection,
    folders: &[PathBuf],
    empty: &[(PathBuf, PathBuf)],
    refused: &[Refusal],
    now: &str,
) -> rusqlite::Result<Vec<(PathBuf, String)>> {
    let earlier: Vec<String> = tx
        .prepare("SELECT file FROM refusals ORDER BY file")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cleared = Vec::new();
    for file in earlier {
        let under = |f: &PathBuf| Path::new(&file).starts_with(f);
        // A folder that held journals reads its files again: that rules,
        // even where an empty folder named is above it.
        let read_again = folders
            .iter()
            .filter(|f| !empty.iter().any(|(_, real)| real == *f))
            .any(under);
        let dealt_with = if read_again {
            true
        } else if let Some((named, _)) = empty.iter().find(|(_, real)| under(real)) {
            let gone = fs::symlink_metadata(&file).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
            if gone {
                cleared.push((named.clone(), file.clone()));
            }
            gone
        } else {
            false
        };
        if dealt_with {
            tx.execute("DELETE FROM refusals WHERE file = ?1", params![file])?;
        }
    }
    let mut insert = tx.prepare(
        "INSERT OR REPLACE INTO refusals (file, journal, why, kept_beside, refused_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in refused {
        insert.execute(params![
            r.file.to_string_lossy(),
            r.journal,
            r.why,
            r.kept_beside,
            now
        ])?;
    }
    Ok(cleared)
}

/// Whether the archive has the table `name` (one made by an earlier
/// version may not, until its next collect).
fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        params![name],
        |r| r.get(0),
    )
}

/// What became of a sheet journal's copy that differs from the journal
/// collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OtherHistory {
    /// Kept now as another history of the sheet.
    Kept,
    /// Already kept (these bytes, or more of the same history).
    Known,
    /// Kept in place of the shorter start of it kept before.
    Grown,
    /// Not a sheet's: refused only.
    NotKept,
}

/// Keeps `bytes` (read from `file`) as another history of the sheet
/// journal `rel`, by their complete lines (a torn last line is kept with
/// them, but counts for nothing): not where a history kept already holds
/// those lines (known), and in place of the histories kept whose lines
/// they continue (the second laptop marked on: grown). A copy without one
/// complete line is not kept.
fn keep_other_history(
    tx: &rusqlite::Transaction<'_>,
    rel: &str,
    bytes: &[u8],
    blake3: &str,
    file: &Path,
    now: &str,
) -> rusqlite::Result<OtherHistory> {
    let complete = |b: &[u8]| b.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1);
    let lines = &bytes[..complete(bytes)];
    if lines.is_empty() {
        return Ok(OtherHistory::NotKept);
    }
    let kept: Vec<(String, Vec<u8>)> = tx
        .prepare_cached("SELECT blake3, bytes FROM other_histories WHERE journal = ?1")?
        .query_map(params![rel], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if kept
        .iter()
        .any(|(_, held)| held[..complete(held)].starts_with(lines))
    {
        return Ok(OtherHistory::Known);
    }
    let mut grown = false;
    for (hash, held) in &kept {
        if lines.starts_with(&held[..complete(held)]) {
            tx.execute(
                "DELETE FROM other_histories WHERE journal = ?1 AND blake3 = ?2",
                params![rel, hash],
            )?;
            grown = true;
        }
    }
    tx.execute(
        "INSERT INTO other_histories (journal, blake3, length, bytes, source, collected_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            rel,
            blake3,
            bytes.len() as i64,
            bytes,
            file.display().to_string(),
            now
        ],
    )?;
    Ok(if grown {
        OtherHistory::Grown
    } else {
        OtherHistory::Kept
    })
}

/// Keeps what the archive holds of journal `rel` (which fails its
/// checks) in `replaced`, before a sound copy from `file` takes its place,
/// and has every other file it was collected from read again on the next
/// collect. Returns the files it came from and what was wrong with it.
fn keep_replaced(
    tx: &rusqlite::Transaction<'_>,
    rel: &str,
    file: &Path,
    now: &str,
) -> rusqlite::Result<String> {
    tx.execute(
        "INSERT OR IGNORE INTO replaced (journal, blake3, length, bytes, verdict, sources, collected_at, \
         replaced_at, replaced_by) \
         SELECT j.path, j.blake3, j.length, j.bytes, j.verdict, \
                coalesce((SELECT group_concat(s.source, ', ') FROM sources s \
                          WHERE s.journal = j.path AND s.length = j.length), ''), \
                j.last_changed, ?2, ?3 \
         FROM journals j WHERE j.path = ?1",
        params![rel, now, file.display().to_string()],
    )?;
    let (sources, verdict): (String, String) = tx.query_row(
        "SELECT sources, verdict FROM replaced WHERE journal = ?1 ORDER BY replaced_at DESC, rowid DESC LIMIT 1",
        params![rel],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute(
        "UPDATE sources SET size = -1 WHERE journal = ?1 AND source <> ?2",
        params![rel, file.to_string_lossy()],
    )?;
    Ok(format!(
        "from {} ({verdict})",
        if sources.is_empty() {
            "a file no longer named"
        } else {
            &sources
        }
    ))
}

/// A copy of a journal that was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The journal's path in the layout.
    pub journal: String,
    /// The file read.
    pub file: PathBuf,
    pub why: String,
    /// Kept beside the journal as another history of the sheet (a
    /// conflict to decide), though refused as the journal.
    pub kept_beside: bool,
}

/// One journal found in a folder.
struct Found {
    rel: String,
    kind: &'static str,
    assessment: String,
    examiner: String,
    device: String,
    candidate: Option<String>,
    station: Option<String>,
    file: PathBuf,
}

/// A file `collect` must look at: where it lies, what its size and times
/// are, and what the archive recorded of the file when it last read it.
struct Look {
    f: Found,
    source: String,
    size: i64,
    mtime_ns: i64,
    inode: i64,
    ctime_ns: i64,
    before: Option<(i64, i64, i64, String, i64, i64)>,
}

/// A file `collect` read: its bytes, what checking them found and their
/// BLAKE3 (hex).
struct Taken {
    bytes: Vec<u8>,
    summary: Summary,
    blake3: String,
}

/// What checking a journal's bytes found.
struct Summary {
    anchored_length: usize,
    records: usize,
    last_hash: String,
    verdict: String,
    failing: bool,
    torn: Option<String>,
    submitted: Option<(f64, f64, String, String)>,
    amending: Option<bool>,
}

fn time_words(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Checks a journal's bytes with the readers every command uses.
fn summarise(found: &Found, bytes: &[u8]) -> Summary {
    if found.kind == "decisions" {
        let (good, records, torn, damage) = check_chain_bytes(bytes);
        let last_hash = last_line_hash(&bytes[..good]);
        let (verdict, failing) = match &damage {
            Some((line, reason)) => (format!("damaged at line {line}: {reason}"), true),
            None => match &torn {
                Some(t) => (format!("torn tail at {t}"), false),
                None => ("ok".to_string(), false),
            },
        };
        return Summary {
            anchored_length: good,
            records,
            last_hash,
            verdict,
            failing,
            torn,
            submitted: None,
            amending: None,
        };
    }
    let mut records = 0;
    let mut last_hash = String::new();
    let mut wrong: Option<String> = None;
    let mut submitted = None;
    let mut amending = None;
    let (good, checked) = check_sheet_bytes(Path::new(&found.rel), bytes, |r| {
        records += 1;
        last_hash.clear();
        last_hash.push_str(r.hash);
        let place = [
            ("assessment", &*r.assessment, found.assessment.as_str()),
            ("examiner", &*r.examiner, found.examiner.as_str()),
            ("device", &*r.device, found.device.as_str()),
            (
                "candidate",
                &*r.candidate,
                found.candidate.as_deref().unwrap_or(""),
            ),
            ("station", &*r.station, found.station.as_deref().unwrap_or("")),
        ];
        if wrong.is_none()
            && let Some((what, said, here)) = place.into_iter().find(|(_, said, here)| said != here)
        {
            wrong = Some(format!(
                "record {} names {what} \"{said}\", but the journal lies in the folder of {what} \"{here}\": it \
                 was moved or copied into the wrong place",
                r.seq
            ));
        }
        match &r.event {
            Event::Submitted { score, max, outcome } => {
                submitted = Some((*score, *max, outcome.to_string(), time_words(r.time)));
                amending = Some(false);
            }
            Event::AmendStarted { .. } => amending = Some(true),
            _ => {}
        }
    });
    let torn = checked
        .quarantined
        .as_ref()
        .map(|q| format!("line {}: {}", q.first_bad_line, q.reason));
    let (verdict, failing) = if let Some(d) = &checked.damage {
        (format!("damaged at line {}: {}", d.line, d.reason), true)
    } else if let Some(w) = &wrong {
        (w.clone(), true)
    } else if let Some(t) = &torn {
        (format!("torn tail at {t}"), false)
    } else {
        ("ok".to_string(), false)
    };
    Summary {
        anchored_length: good,
        records,
        last_hash,
        verdict,
        failing,
        torn,
        submitted,
        amending,
    }
}

/// The `hash` of the last line of `intact` (whole, checked lines).
fn last_line_hash(intact: &[u8]) -> String {
    let body = intact.strip_suffix(b"\n").unwrap_or(intact);
    let line = body.rsplit(|&b| b == b'\n').next().unwrap_or(body);
    line.strip_suffix(b"\"}")
        .and_then(|l| l.get(l.len().saturating_sub(64)..))
        .and_then(|h| std::str::from_utf8(h).ok())
        .unwrap_or("")
        .to_string()
}

/// Every journal of every assessment in `folder`, in the session layout.
fn list(folder: &Path) -> Result<Vec<Found>, ArchiveError> {
    let read = fs::read_dir(folder).map_err(|source| ArchiveError::Io {
        path: folder.to_path_buf(),
        source,
    })?;
    let mut assessments = Vec::new();
    for entry in read {
        let entry = entry.map_err(|source| ArchiveError::Io {
            path: folder.to_path_buf(),
            source,
        })?;
        if let Ok(name) = entry.file_name().into_string()
            && check_id(&name).is_ok()
            && fs::metadata(entry.path()).is_ok_and(|m| m.is_dir())
        {
            assessments.push(name);
        }
    }
    assessments.sort();
    let store = Store::new(folder).with_renamed_copies();
    let store_error = |source| ArchiveError::Store {
        path: folder.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    for assessment in assessments {
        for (key, file) in store.sheets(&assessment).map_err(store_error)? {
            let SheetKey {
                assessment,
                station,
                candidate,
                examiner,
                device,
            } = key;
            found.push(Found {
                rel: format!("{assessment}/{examiner}@{device}/{candidate}/{station}.jsonl"),
                kind: "sheet",
                assessment,
                examiner,
                device,
                candidate: Some(candidate),
                station: Some(station),
                file,
            });
        }
        let named = [
            (
                "moderation",
                MODERATION_FILE,
                store.moderation_journals(&assessment),
            ),
            ("decisions", DECISIONS_FILE, store.decision_journals(&assessment)),
        ];
        for (kind, name, journals) in named {
            for (examiner, device, file) in journals.map_err(store_error)? {
                found.push(Found {
                    rel: format!("{assessment}/{examiner}@{device}/{name}"),
                    kind,
                    assessment: assessment.clone(),
                    examiner,
                    device,
                    candidate: None,
                    station: None,
                    file,
                });
            }
        }
    }
    // Of the files of one journal, the one under the journal's own name
    // first: it is the journal, and a copy renamed beside it that differs
    // is the other history.
    for same in found.chunk_by_mut(|a, b| a.rel == b.rel) {
        same.sort_by(|a, b| {
            is_renamed_copy(&a.file)
                .cmp(&is_renamed_copy(&b.file))
                .then_with(|| a.file.cmp(&b.file))
        });
    }
    Ok(found)
}

/// The journal the archive holds at a path.
struct Held {
    rowid: i64,
    length: usize,
    /// The BLAKE3 of the bytes stored, recorded as they were stored.
    blake3: String,
    anchored_length: usize,
    /// Whether what is held fails its checks.
    failing: bool,
    /// Its stored bytes, where the journal is no longer than [`IN_PIECES`]:
    /// a longer one is read in pieces, never held whole beside its copy.
    bytes: Option<Vec<u8>>,
}

/// Journals longer than this (1 MiB) are compared with what the archive
/// holds, and written into it, a piece at a time, so that collecting a
/// journal of hundreds of megabytes holds it only once.
const IN_PIECES: usize = 1 << 20;

impl Held {
    /// Whether the bytes stored are no longer those whose BLAKE3 was
    /// recorded as they were stored: the archive's copy damaged since.
    fn damaged(&self, tx: &Connection) -> rusqlite::Result<bool> {
        let mut hasher = blake3::Hasher::new();
        match &self.bytes {
            Some(bytes) => {
                hasher.update(bytes);
            }
            None => {
                let blob = tx.blob_open(rusqlite::MAIN_DB, "journals", "bytes", self.rowid, true)?;
                let mut piece = vec![0u8; IN_PIECES.min(blob.len())];
                let mut at = 0;
                while at < blob.len() {
                    let len = IN_PIECES.min(blob.len() - at);
                    blob.read_at_exact(&mut piece[..len], at)?;
                    hasher.update(&piece[..len]);
                    at += len;
                }
            }
        }
        Ok(hasher.finalize().to_hex().as_str() != self.blake3)
    }

    /// Whether `new` begins with what was stored, as its recorded BLAKE3
    /// says (whatever the stored bytes say now).
    fn begins(&self, new: &[u8]) -> bool {
        new.len() >= self.length && blake3::hash(&new[..self.length]).to_hex().as_str() == self.blake3
    }

    /// Where the stored bytes and `new` first differ (the length of the
    /// shorter where one begins the other).
    fn difference(&self, tx: &Connection, new: &[u8]) -> rusqlite::Result<usize> {
        let n = self.length.min(new.len());
        if let Some(bytes) = &self.bytes {
            return Ok(first_difference(bytes, new).min(n));
        }
        let blob = tx.blob_open(rusqlite::MAIN_DB, "journals", "bytes", self.rowid, true)?;
        let n = n.min(blob.len());
        let mut piece = vec![0u8; IN_PIECES.min(n)];
        let mut at = 0;
        while at < n {
            let len = IN_PIECES.min(n - at);
            blob.read_at_exact(&mut piece[..len], at)?;
            let i = first_difference(&piece[..len], &new[at..at + len]);
            if i < len {
                return Ok(at + i);
            }
            at += len;
        }
        Ok(n)
    }
}

/// The first byte at which `a` and `b` differ (the length of the shorter
/// where one begins the other).
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

/// The line (1-based) that byte `at` of `bytes` is on.
fn line_at(bytes: &[u8], at: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1
}

/// A journal's bytes as bound into the archive: the bytes themselves, or
/// for one longer than [`IN_PIECES`] room for them, which
/// [`write_in_pieces`] fills (SQLite would otherwise take a copy of the
/// whole).
struct Content<'a>(&'a [u8]);

impl rusqlite::ToSql for Content<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        if self.0.len() <= IN_PIECES {
            return Ok(ToSqlOutput::Borrowed(ValueRef::Blob(self.0)));
        }
        Ok(ToSqlOutput::ZeroBlob(self.0.len() as u64))
    }
}

/// Writes `bytes` into the room [`Content`] made for the journal stored
/// under `rel`, a piece at a time.
fn write_in_pieces(tx: &Connection, rel: &str, bytes: &[u8]) -> rusqlite::Result<()> {
    let rowid: i64 = tx.query_row("SELECT rowid FROM journals WHERE path = ?1", params![rel], |r| {
        r.get(0)
    })?;
    let mut blob = tx.blob_open(rusqlite::MAIN_DB, "journals", "bytes", rowid, false)?;
    for (k, piece) in bytes.chunks(IN_PIECES).enumerate() {
        blob.write_at(piece, k * IN_PIECES)?;
    }
    Ok(())
}

/// Copies every journal of every assessment in `folders` into the archive,
/// in one transaction (all of it or nothing), at time `now`.
pub fn collect(
    archive: &mut Archive,
    folders: &[PathBuf],
    now: DateTime<Utc>,
) -> Result<Collected, ArchiveError> {
    let path = archive.path.clone();
    let sql = |e| sql_error(&path, e);
    let tx = archive
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    let now_words = time_words(now);
    let mut out = Collected::default();
    // Each folder read, as the archive names it, and as named.
    let mut seen_folders: Vec<PathBuf> = Vec::new();
    let mut seen_as: Vec<&PathBuf> = Vec::new();
    // Those of them holding no assessment: (as named, as the archive
    // names it).
    let mut empty: Vec<(PathBuf, PathBuf)> = Vec::new();
    for folder in folders {
        let real = fs::canonicalize(folder).map_err(|source| ArchiveError::Io {
            path: folder.clone(),
            source,
        })?;
        if let Some(i) = seen_folders.iter().position(|f| *f == real) {
            out.named_again.push((seen_as[i].clone(), folder.clone()));
            continue;
        }
        seen_folders.push(real.clone());
        seen_as.push(folder);
        let found = list(&real)?;
        if found.is_empty() {
            out.empty_folders.push(folder.clone());
            empty.push((folder.clone(), real.clone()));
        }
        out.held_sheets |= found.iter().any(|f| f.kind == "sheet");
        out.gone.extend(gone_from(&tx, &real, &found).map_err(sql)?);
        // Every file's size and times first, on every core: with nothing
        // changed, that is most of the work.
        let metas = crate::base::threads::map(found.iter().map(|f| f.file.clone()).collect(), 512, |file| {
            fs::metadata(&file)
        });
        let mut looks: Vec<Look> = Vec::new();
        for (f, meta) in found.into_iter().zip(metas) {
            let source = f.file.to_string_lossy().into_owned();
            let meta = meta.map_err(|source| ArchiveError::Io {
                path: f.file.clone(),
                source,
            })?;
            let mtime_ns = meta
                .mtime()
                .saturating_mul(1_000_000_000)
                .saturating_add(meta.mtime_nsec());
            // The change time too: a file rewritten to the same size with
            // its mtime put back (`touch -d`) still has a new ctime.
            let ctime_ns = meta
                .ctime()
                .saturating_mul(1_000_000_000)
                .saturating_add(meta.ctime_nsec());
            let (size, inode) = (meta.len() as i64, meta.ino() as i64);
            // Statements prepared once for the run, not for each of tens of
            // thousands of files.
            let before: Option<(i64, i64, i64, String, i64, i64)> = tx
                .prepare_cached(
                    "SELECT size, mtime_ns, inode, journal, length, ctime_ns FROM sources WHERE source = ?1",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![source], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
                    })
                    .optional()
                })
                .map_err(sql)?;
            if let Some((s, m, i, journal, _, c)) = &before
                && (*s, *m, *i, *c) == (size, mtime_ns, inode, ctime_ns)
                && *journal == f.rel
            {
                out.unchanged += 1;
                continue;
            }
            if !meta.is_file() {
                out.refused.push(Refusal {
                    kept_beside: false,
                    journal: f.rel.clone(),
                    file: f.file.clone(),
                    why: "not a plain file".into(),
                });
                continue;
            }
            looks.push(Look {
                f,
                source,
                size,
                mtime_ns,
                inode,
                ctime_ns,
                before,
            });
        }
        // Each file read, checked and hashed on another core, in order,
        // while this one writes the one before into the archive. In
        // batches (a few megabytes, or a few hundred files), handed over
        // one at a time: a new journal of hundreds of megabytes is held
        // once, and perhaps the next one with it.
        let looks = &looks;
        std::thread::scope(|scope| -> Result<(), ArchiveError> {
            let (send, taken) = std::sync::mpsc::sync_channel::<Vec<io::Result<Taken>>>(0);
            scope.spawn(move || {
                let mut batch = Vec::new();
                let mut held = 0;
                for look in looks {
                    let read = fs::read(&look.f.file).map(|bytes| Taken {
                        summary: summarise(&look.f, &bytes),
                        blake3: blake3::hash(&bytes).to_hex().to_string(),
                        bytes,
                    });
                    held += read.as_ref().map_or(0, |t| t.bytes.len());
                    batch.push(read);
                    if batch.len() == 256 || held >= 8 << 20 {
                        held = 0;
                        if send.send(std::mem::take(&mut batch)).is_err() {
                            return;
                        }
                    }
                }
                let _ = send.send(batch);
            });
            // Should the reader stop short (it panicked), the scope panics
            // as it ends, and nothing of this collect is kept.
            for (look, read) in looks.iter().zip(taken.iter().flatten()) {
                let (f, source, before) = (&look.f, &look.source, &look.before);
                let (size, mtime_ns, inode, ctime_ns) = (look.size, look.mtime_ns, look.inode, look.ctime_ns);
                let Taken {
                    bytes,
                    summary,
                    blake3,
                } = match read {
                    Ok(t) => t,
                    Err(e) => {
                        out.refused.push(Refusal {
                            kept_beside: false,
                            journal: f.rel.clone(),
                            file: f.file.clone(),
                            why: format!("cannot be read: {e}"),
                        });
                        continue;
                    }
                };
                let mut held: Option<Held> = tx
                    .prepare_cached(
                        "SELECT rowid, length, anchored_length, CASE WHEN length <= ?2 THEN bytes END, failing, \
                         blake3 FROM journals WHERE path = ?1",
                    )
                    .and_then(|mut stmt| {
                        stmt.query_row(params![f.rel, IN_PIECES as i64], |r| {
                            Ok(Held {
                                rowid: r.get(0)?,
                                length: r.get::<_, i64>(1)? as usize,
                                anchored_length: r.get::<_, i64>(2)? as usize,
                                bytes: r.get(3)?,
                                failing: r.get(4)?,
                                blake3: r.get(5)?,
                            })
                        })
                        .optional()
                    })
                    .map_err(sql)?;
                // What the list says loosens what a copy is held to (less
                // anchored than stored, or failing its checks, so open to
                // replacement): taken from the stored bytes, not the list,
                // which an edit could have changed without them.
                if let Some(h) = held.as_mut()
                    && (h.failing || h.anchored_length < h.length)
                {
                    let stored: Vec<u8> = match &h.bytes {
                        Some(b) => b.clone(),
                        None => tx
                            .query_row("SELECT bytes FROM journals WHERE rowid = ?1", [h.rowid], |r| {
                                r.get(0)
                            })
                            .map_err(sql)?,
                    };
                    let s = summarise(f, &stored);
                    h.failing = s.failing;
                    h.anchored_length = s.anchored_length;
                }
                // Where what is held and what was read first differ.
                let differ = held
                    .as_ref()
                    .map(|h| h.difference(&tx, &bytes))
                    .transpose()
                    .map_err(sql)?;
                let store_it = match &held {
                    None => {
                        out.new.push(f.rel.clone());
                        true
                    }
                    Some(h) if h.length == bytes.len() && differ == Some(bytes.len()) => {
                        if before.as_ref().is_some_and(|b| b.3 == f.rel) {
                            out.same += 1;
                        } else {
                            out.copies += 1;
                        }
                        false
                    }
                    Some(h) => {
                        let anchor = h.anchored_length.min(h.length);
                        let differ = differ.unwrap_or(0);
                        // Every complete line collected is still there.
                        let keeps_anchor = bytes.len() >= anchor && differ >= anchor;
                        let prefix_of_held = bytes.len() <= h.length && differ >= bytes.len();
                        let from_here = before.as_ref().is_some_and(|b| b.3 == f.rel);
                        if keeps_anchor && (!prefix_of_held || from_here) {
                            // Grown after what was collected, or its unfinished
                            // last line set aside (and perhaps more written).
                            if h.failing && differ < h.length {
                                // What failed is replaced by a sound copy: kept as
                                // evidence, and the files it came from are read
                                // again next time (and refused).
                                let from = keep_replaced(&tx, &f.rel, &f.file, &now_words).map_err(sql)?;
                                out.replaced.push((f.rel.clone(), from, f.file.clone()));
                            }
                            out.grown.push(f.rel.clone());
                            true
                        } else if prefix_of_held {
                            let collected_here = before.as_ref().is_some_and(|b| b.3 == f.rel && b.4 > size);
                            if collected_here && summary.torn.is_some() {
                                // Its start, ending mid-line: most likely a
                                // copy under way (a sync re-creating the
                                // file), but the same as a file cut into.
                                // Refused all the same (what was collected
                                // stays anchored), and said as both; not
                                // remembered as read, so it is looked at
                                // again.
                                out.copying_again.push((f.rel.clone(), f.file.clone()));
                                out.refused.push(Refusal {
                                    kept_beside: false,
                                    journal: f.rel.clone(),
                                    file: f.file.clone(),
                                    why: format!(
                                        "shorter ({} bytes) than when it was collected from this file ({} bytes), \
                                         ending in an unfinished line: a copy under way, most likely (a sync tool \
                                         copying the file again). The archive keeps what it collected; collect \
                                         again when the copy has finished. Should the file stay so, its end was \
                                         cut: find out who cut it",
                                        bytes.len(),
                                        before.as_ref().map_or(0, |b| b.4)
                                    ),
                                });
                                continue;
                            }
                            if collected_here {
                                out.refused.push(Refusal {
                    kept_beside: false,
                                    journal: f.rel.clone(),
                                    file: f.file.clone(),
                                    why: format!(
                                        "shorter ({} bytes) than when it was collected from this file ({} bytes): its \
                                         last lines were removed. The archive keeps what was collected; find out who \
                                         cut the file",
                                        bytes.len(),
                                        before.as_ref().map_or(0, |b| b.4)
                                    ),
                                });
                                continue;
                            }
                            out.older_copies.push((f.rel.clone(), f.file.clone()));
                            if from_here {
                                out.same += 1;
                            } else {
                                out.copies += 1;
                            }
                            false
                        } else if h.damaged(&tx).map_err(sql)? {
                            // The archive's own copy damaged since it was
                            // collected: this copy, holding what was
                            // collected (its BLAKE3 as recorded), restores
                            // it; one that does not cannot be told from it.
                            if h.begins(&bytes) {
                                out.restored.push((f.rel.clone(), f.file.clone()));
                                true
                            } else {
                                out.refused.push(Refusal {
                                    kept_beside: false,
                                    journal: f.rel.clone(),
                                    file: f.file.clone(),
                                    why: format!(
                                        "differs at line {} (byte {}) from the archive's copy of the journal, \
                                         which is itself damaged (its stored bytes no longer match the BLAKE3 \
                                         recorded when they were collected; `osce audit --archive` names it), and \
                                         this copy does not hold what was collected either. The archive keeps its \
                                         copy; collect from a copy that holds what was collected to restore it, or \
                                         collect every folder into a new archive. Keep this file as evidence",
                                        line_at(&bytes, differ),
                                        differ + 1
                                    ),
                                });
                                continue;
                            }
                        } else {
                            let (at, line) = (differ, line_at(&bytes, differ));
                            // A sheet's other history is kept beside it, so
                            // that every command sees the conflict the
                            // folders show until the exam lead decides it.
                            // Not one that fails its checks (edited, damaged,
                            // or another sheet's journal moved here): that is
                            // refused only, as evidence.
                            let sheet = split_layout(&f.rel).is_some_and(|p| p.0 == "sheet");
                            let kept = if sheet && !summary.failing {
                                keep_other_history(&tx, &f.rel, &bytes, &blake3, &f.file, &now_words)
                                    .map_err(sql)?
                            } else {
                                OtherHistory::NotKept
                            };
                            if matches!(kept, OtherHistory::Known | OtherHistory::Grown) {
                                if h.failing {
                                    out.beside_failing.push((f.rel.clone(), f.file.clone()));
                                }
                                out.other_histories.push((f.rel.clone(), f.file.clone()));
                                continue;
                            }
                            // The journal collected fails its checks (another
                            // sheet's journal moved here, say) and this sound
                            // copy is kept beside it: what settles it is
                            // voiding the failing one, not a conflict.
                            if matches!(kept, OtherHistory::Kept) && h.failing {
                                out.refused.push(Refusal {
                    kept_beside: false,
                                    journal: f.rel.clone(),
                                    file: f.file.clone(),
                                    why: format!(
                                        "differs at line {line} (byte {}) from the journal collected before, which \
                                         fails its checks. The archive keeps both, this sound copy beside the \
                                         failing one: `osce status` shows the sheet as a PROBLEM until the failing \
                                         one is voided (`osce decide void`, as status prints it); then this copy \
                                         counts. Keep this file as evidence",
                                        at + 1
                                    ),
                                });
                                continue;
                            }
                            let then = match kept {
                                // The exam lead's own decisions: named, as
                                // they do not count until recorded again.
                                _ if f.kind == "decisions" => decisions_not_collected(&bytes, line, &f.file),
                                _ if !sheet => "; what this copy holds beyond it is not in the archive: whoever \
                                                recorded it records it again under another --device. Keep this \
                                                file as evidence"
                                    .to_string(),
                                OtherHistory::Kept => ", and this beside it as another history of the sheet: every \
                                                       command shows the conflict until it is decided (`osce decide \
                                                       conflict`). Keep this file as evidence"
                                    .to_string(),
                                _ if summary.failing => format!(
                                    "; this copy also fails its checks ({}), so it is not kept beside it. Keep it \
                                     as evidence",
                                    summary.verdict
                                ),
                                _ => "; keep this file as evidence".to_string(),
                            };
                            out.refused.push(Refusal {
                    kept_beside: sheet && matches!(kept, OtherHistory::Kept),
                                journal: f.rel.clone(),
                                file: f.file.clone(),
                                why: if is_renamed_copy(&f.file) {
                                    format!(
                                        "a copy renamed beside the journal (a sync client keeps both files when \
                                         one changed in two places) that differs from it at line {line} (byte {}): \
                                         another history of the {}. The archive keeps the journal{then}",
                                        at + 1,
                                        if f.kind == "sheet" { "sheet" } else { "journal" }
                                    )
                                } else {
                                    format!(
                                    "differs from the collected journal at line {line} (byte {}): what was collected \
                                     has been changed, or this is another history of the {}. The archive keeps what \
                                     was collected{then}",
                                    at + 1,
                                    match f.kind {
                                        "sheet" => {
                                            "sheet (two laptops with one device name, or a laptop marking on while \
                                             its synced folder was out of date: a sync client then keeps both, \
                                             one renamed)"
                                        }
                                        "moderation" => {
                                            "assessor's moderation journal (moderation begun again in another \
                                             folder from a copy that did not hold it, an older copy of the \
                                             archive say, or two laptops with one device name)"
                                        }
                                        _ => {
                                            "exam lead's decisions journal (decisions recorded into another folder \
                                             from a copy that did not hold these, or two laptops with one device \
                                             name)"
                                        }
                                    }
                                )
                                },
                            });
                            continue;
                        }
                    }
                };
                if store_it {
                    if summary.failing {
                        out.failing.push((f.rel.clone(), summary.verdict.clone()));
                    }
                    if let Some(t) = &summary.torn {
                        out.torn.push((f.rel.clone(), t.clone()));
                    }
                    let (score, max, outcome, at) = match &summary.submitted {
                        Some((s, m, o, t)) => (Some(*s), Some(*m), Some(o.clone()), Some(t.clone())),
                        None => (None, None, None, None),
                    };
                    tx.prepare_cached(
                        "INSERT INTO journals (path, kind, assessment, examiner, device, candidate, station, bytes, \
                         length, blake3, anchored_length, records, last_hash, verdict, first_collected, last_changed, \
                         submitted_score, submitted_max, submitted_outcome, submitted_at, amending, failing) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, ?17, ?18, \
                         ?19, ?20, ?21) \
                         ON CONFLICT (path) DO UPDATE SET bytes = excluded.bytes, length = excluded.length, \
                         blake3 = excluded.blake3, anchored_length = excluded.anchored_length, \
                         records = excluded.records, last_hash = excluded.last_hash, verdict = excluded.verdict, \
                         last_changed = excluded.last_changed, submitted_score = excluded.submitted_score, \
                         submitted_max = excluded.submitted_max, submitted_outcome = excluded.submitted_outcome, \
                         submitted_at = excluded.submitted_at, amending = excluded.amending, \
                         failing = excluded.failing",
                    )
                    .and_then(|mut stmt| {
                        stmt.execute(params![
                            f.rel,
                            f.kind,
                            f.assessment,
                            f.examiner,
                            f.device,
                            f.candidate,
                            f.station,
                            Content(&bytes),
                            bytes.len() as i64,
                            blake3,
                            summary.anchored_length as i64,
                            summary.records as i64,
                            summary.last_hash,
                            summary.verdict,
                            now_words,
                            score,
                            max,
                            outcome,
                            at,
                            summary.amending,
                            summary.failing,
                        ])
                    })
                    .map_err(sql)?;
                    if bytes.len() > IN_PIECES {
                        write_in_pieces(&tx, &f.rel, &bytes).map_err(sql)?;
                    }
                }
                tx.prepare_cached(
                    "INSERT INTO sources (source, folder, journal, size, mtime_ns, inode, length, collected_at, \
                     ctime_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                     ON CONFLICT (source) DO UPDATE SET folder = excluded.folder, journal = excluded.journal, \
                     size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, \
                     inode = excluded.inode, \
                     length = excluded.length, collected_at = excluded.collected_at",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        source,
                        real.to_string_lossy(),
                        f.rel,
                        size,
                        mtime_ns,
                        inode,
                        bytes.len() as i64,
                        now_words,
                        ctime_ns
                    ])
                })
                .map_err(sql)?;
            }
            Ok(())
        })?;
    }
    out.refusals_cleared =
        keep_refusals(&tx, &seen_folders, &empty, &out.refused, &now_words).map_err(sql)?;
    // Every folder named held nothing to collect: the run changed nothing
    // but the refusals it cleared, and the archive is left as it was
    // otherwise (not even a line in `runs`).
    if out.empty_folders.len() == seen_folders.len() {
        if !out.refusals_cleared.is_empty() {
            tx.commit().map_err(sql)?;
        }
        return Ok(out);
    }
    out.not_named = not_named(&tx, &seen_folders).map_err(sql)?;
    let folder_words: Vec<String> = seen_folders.iter().map(|f| f.display().to_string()).collect();
    tx.execute(
        "INSERT INTO runs (time, folders, new, grown, refused) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            now_words,
            folder_words.join("\n"),
            out.new.len() as i64,
            out.grown.len() as i64,
            out.refused.len() as i64
        ],
    )
    .map_err(sql)?;
    out.failing_in_archive = tx
        .query_row("SELECT count(*) FROM journals WHERE failing", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(sql)? as usize;
    tx.commit().map_err(sql)?;
    Ok(out)
}

// ---------------------------------------------------------------------------
// Reading back

/// A folder of the archive's journals, written out in the session layout
/// (owner-only), removed when dropped.
pub struct Materialised {
    pub folder: PathBuf,
    /// Folders beside it holding the other histories kept of sheets (the
    /// first of each sheet's in the first, and so on), as second laptops'.
    pub others: Vec<PathBuf>,
    /// How many journals it holds.
    pub journals: usize,
    /// Journals whose stored bytes do not match their stored BLAKE3 or
    /// length: (journal, what). They are written out as stored.
    pub mismatches: Vec<(String, String)>,
    /// The lock file beside the folder, locked as long as it lives: a
    /// folder whose lock nobody holds was left by a process that was
    /// killed, and the next [`materialise`] removes it.
    lock: Option<(PathBuf, fs::File)>,
}

impl Drop for Materialised {
    fn drop(&mut self) {
        for other in &self.others {
            let _ = fs::remove_dir_all(other);
        }
        let _ = fs::remove_dir_all(&self.folder);
        if let Some((path, _)) = self.lock.take() {
            let _ = fs::remove_file(path);
        }
    }
}

impl Materialised {
    /// The lock file beside the folder, to remove with it.
    pub fn lock_path(&self) -> Option<&Path> {
        self.lock.as_ref().map(|(path, _)| path.as_path())
    }
}

/// The start of the name of every folder [`materialise`] makes.
const WRITTEN_OUT: &str = "osce-archive-";

/// Removes `folder`, written out by [`materialise`] for a process that
/// was killed, and the folders of other histories beside it
/// (`FOLDER-other-N`), which only their names tell.
fn remove_written_out(folder: &Path) {
    let _ = fs::remove_dir_all(folder);
    let (Some(parent), Some(name)) = (folder.parent(), folder.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let others = format!("{name}-other-");
    for entry in entries.flatten() {
        let other = entry.file_name();
        if other
            .to_str()
            .and_then(|o| o.strip_prefix(&others))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Removes what an earlier [`materialise`] left in `temp` when its process
/// was killed (`kill -9`, a power cut), where its folder would otherwise
/// keep candidates' marks: every `osce-archive-….lock` of this user that
/// nobody holds, with its folders. A lock held is a screen still open.
fn sweep_written_out(temp: &Path) {
    let Ok(entries) = fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name
            .to_str()
            .filter(|n| n.starts_with(WRITTEN_OUT))
            .and_then(|n| n.strip_suffix(".lock"))
        else {
            continue;
        };
        let lock_path = entry.path();
        // Another user's lock file cannot be opened (it is owner-only).
        let Ok(lock) = fs::OpenOptions::new().read(true).open(&lock_path) else {
            continue;
        };
        if lock.try_lock().is_ok() {
            remove_written_out(&temp.join(stem));
            let _ = fs::remove_file(&lock_path);
        }
    }
}

/// Makes and locks the lock file for the folder `stem` in `temp`. It is
/// made under another name and renamed once locked, so that a sweep never
/// finds it unlocked.
fn lock_written_out(temp: &Path, stem: &str) -> Result<(PathBuf, fs::File), ArchiveError> {
    let making = temp.join(format!("{stem}.locking"));
    let path = temp.join(format!("{stem}.lock"));
    let io_err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ArchiveError::Io { path: p, source }
    };
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&making)
        .map_err(io_err(&making))?;
    let locked = file.try_lock().map_err(|e| match e {
        fs::TryLockError::Error(source) => source,
        fs::TryLockError::WouldBlock => io::Error::from(io::ErrorKind::WouldBlock),
    });
    if let Err(source) = locked.and_then(|()| fs::rename(&making, &path)) {
        let _ = fs::remove_file(&making);
        return Err(ArchiveError::Io { path, source });
    }
    Ok((path, file))
}

/// Whether `rel` is a journal's path in the session layout.
fn layout_path(rel: &str) -> bool {
    layout_parts(rel).is_some()
}

/// What a path of the session layout says of its journal: (kind,
/// assessment, examiner, device, candidate, station), as the archive's
/// columns hold them.
type Parts<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

/// [`Parts`] of `rel`, where it is a path of the session layout.
fn layout_parts(rel: &str) -> Option<Parts<'_>> {
    let parts = split_layout(rel)?;
    let (_, assessment, examiner, device, candidate, station) = parts;
    [Some(assessment), Some(examiner), Some(device), candidate, station]
        .into_iter()
        .flatten()
        .all(|id| check_id(id).is_ok())
        .then_some(parts)
}

/// [`Parts`] of `rel` as its shape gives them, its ids not checked: for a
/// path [`layout_parts`] has already found sound.
fn split_layout(rel: &str) -> Option<Parts<'_>> {
    let mut parts = rel.split('/');
    match [(); 5].map(|_| parts.next()) {
        [Some(assessment), Some(who), Some(candidate), Some(file), None] => {
            let station = file.strip_suffix(".jsonl")?;
            let (examiner, device) = who.split_once('@')?;
            Some((
                "sheet",
                assessment,
                examiner,
                device,
                Some(candidate),
                Some(station),
            ))
        }
        [Some(assessment), Some(who), Some(file), None, None] => {
            let kind = match file {
                MODERATION_FILE => "moderation",
                DECISIONS_FILE => "decisions",
                _ => return None,
            };
            let (examiner, device) = who.split_once('@')?;
            Some((kind, assessment, examiner, device, None, None))
        }
        _ => None,
    }
}

/// Writes every journal of the archive into a new private folder (0700,
/// in the system's temporary folder), its files 0600, checking each
/// stored BLAKE3 and length.
pub fn materialise(archive: &Archive) -> Result<Materialised, ArchiveError> {
    let path = &archive.path;
    let sql = |e| sql_error(path, e);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let temp = std::env::temp_dir();
    sweep_written_out(&temp);
    let stem = format!("{WRITTEN_OUT}{}-{stamp}", std::process::id());
    let folder = temp.join(&stem);
    let lock = lock_written_out(&temp, &stem)?;
    let mut out = Materialised {
        folder: folder.clone(),
        others: Vec::new(),
        journals: 0,
        mismatches: Vec::new(),
        lock: Some(lock),
    };
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&folder)
        .map_err(|source| ArchiveError::Io {
            path: folder.clone(),
            source,
        })?;
    let io_err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ArchiveError::Io { path: p, source }
    };
    let mut stmt = archive
        .conn
        .prepare("SELECT path, bytes, length, blake3 FROM journals ORDER BY path")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let rel: String = row.get(0).map_err(sql)?;
        let bytes: Vec<u8> = row.get(1).map_err(sql)?;
        let length: i64 = row.get(2).map_err(sql)?;
        let hash: String = row.get(3).map_err(sql)?;
        if !layout_path(&rel) {
            return Err(ArchiveError::Damaged {
                path: path.clone(),
                reason: format!(
                    "a journal is stored under \"{rel}\", which is not a path of the session layout"
                ),
            });
        }
        if let Some(what) = mismatch(&bytes, length, &hash) {
            out.mismatches.push((rel.clone(), what));
        }
        write_out(&folder.join(&rel), &bytes)?;
        out.journals += 1;
    }
    drop(rows);
    // Each other history kept of a sheet, in a folder of its own beside
    // (a second laptop's, as the folders would show it).
    // An archive made before other histories were kept has none.
    if !has_other_histories(&archive.conn).map_err(sql)? {
        return Ok(out);
    }
    let mut stmt = archive
        .conn
        .prepare("SELECT journal, bytes, length, blake3 FROM other_histories ORDER BY journal, blake3")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    let mut per_journal: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let rel: String = row.get(0).map_err(sql)?;
        let bytes: Vec<u8> = row.get(1).map_err(sql)?;
        let length: i64 = row.get(2).map_err(sql)?;
        let hash: String = row.get(3).map_err(sql)?;
        if !layout_path(&rel) {
            continue;
        }
        if let Some(what) = mismatch(&bytes, length, &hash) {
            out.mismatches.push((
                format!("{rel}{OTHER_HISTORY}{}", &hash[..hash.len().min(16)]),
                what,
            ));
        }
        let n = per_journal.entry(rel.clone()).or_default();
        *n += 1;
        if out.others.len() < *n {
            let other = folder.with_file_name(format!(
                "{}-other-{n}",
                folder
                    .file_name()
                    .and_then(|f| f.to_str())
                    .unwrap_or("osce-archive")
            ));
            fs::DirBuilder::new()
                .mode(0o700)
                .create(&other)
                .map_err(io_err(&other))?;
            out.others.push(other);
        }
        write_out(&out.others[*n - 1].join(&rel), &bytes)?;
    }
    Ok(out)
}

/// Writes `bytes` into a new owner-only file at `file`, making the
/// folders above it (owner-only) where missing.
fn write_out(file: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let io_err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ArchiveError::Io { path: p, source }
    };
    if let Some(parent) = file.parent() {
        fs::DirBuilder::new()
            .mode(0o700)
            .recursive(true)
            .create(parent)
            .map_err(io_err(parent))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)
        .and_then(|mut f| io::Write::write_all(&mut f, bytes))
        .map_err(io_err(file))
}

/// The archive's journals, read straight from the file by every command
/// that reads sessions folders (through [`crate::results::source`]): each
/// journal's stored bytes, checked against the BLAKE3 and length recorded
/// when it was collected as it is read.
///
/// It holds a read transaction on every connection it opens, from the
/// moment it is opened until it is dropped, so everything it reads is one
/// state of the archive: a collect cannot commit in between (it waits, as
/// for any command reading the archive).
pub struct Stored {
    path: PathBuf,
    /// Open connections, each in its read transaction: one for each thread
    /// reading at once.
    pool: Mutex<Vec<Connection>>,
    /// Every journal, sorted by its path inside the archive.
    journals: Vec<Listed>,
    /// The other histories kept of sheet journals listed: (the journal's
    /// path, the other history's BLAKE3), sorted.
    others: Vec<(String, String)>,
    /// Journals whose stored bytes do not match their stored BLAKE3 or
    /// length: (journal, what).
    mismatches: Mutex<Vec<(String, String)>>,
    /// Readings made while open, to keep when done: (rubric, journal,
    /// reader, reading).
    pending: Mutex<Vec<(String, String, String, String)>>,
    /// The copies in the laptops' folders that collect refused, sorted by
    /// journal, then file.
    refused: Vec<RefusedCopy>,
}

/// A copy in a laptop's folder that `collect` refused (the archive keeps
/// what it had), as the archive keeps it until a collect of that folder no
/// longer refuses it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedCopy {
    /// The file, where collect read it.
    pub file: String,
    /// The journal it is a copy of: its path in the archive.
    pub journal: String,
    pub why: String,
    /// Kept beside the journal as another history of the sheet.
    pub kept_beside: bool,
    /// When collect last refused it.
    pub refused_at: String,
}

/// One journal of the archive, as listed: its path inside the archive,
/// which says the rest (kind, assessment, examiner, device, candidate,
/// station; checked against the list's columns as it is opened), and the
/// BLAKE3 of its stored bytes, as collected. No more: a command holds one
/// for every journal of the exam.
struct Listed {
    rel: String,
    blake3: ListedHash,
}

impl Listed {
    /// What its path says of it; `None` never happens for a journal
    /// listed ([`Stored::open`] refuses any other path, and checks the
    /// ids in it).
    fn parts(&self) -> Option<Parts<'_>> {
        split_layout(&self.rel)
    }

    fn assessment(&self) -> &str {
        self.parts().map_or("", |p| p.1)
    }
}

/// A journal's BLAKE3 as the list holds it: in 32 bytes when it is the
/// lowercase hex `collect` writes, else the text as it stands (a damaged
/// or edited list, which the checks of what is read then name).
enum ListedHash {
    Hex(blake3::Hash),
    Text(Box<str>),
}

impl ListedHash {
    fn of(text: &str) -> ListedHash {
        match blake3::Hash::from_hex(text) {
            Ok(hash) if hash.to_hex().as_str() == text => ListedHash::Hex(hash),
            _ => ListedHash::Text(text.into()),
        }
    }

    /// Whether it is `text`, exactly.
    fn is(&self, text: &str) -> bool {
        match self {
            ListedHash::Hex(hash) => hash.to_hex().as_str() == text,
            ListedHash::Text(t) => &**t == text,
        }
    }

    fn text(&self) -> String {
        match self {
            ListedHash::Hex(hash) => hash.to_hex().to_string(),
            ListedHash::Text(t) => t.to_string(),
        }
    }
}

/// Column `i` of `row` as text (or NULL, with `null`): an error naming the
/// column and what it holds otherwise.
fn text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize, null: bool) -> rusqlite::Result<Option<&'r str>> {
    let value = row.get_ref(i)?;
    match value {
        rusqlite::types::ValueRef::Null if null => Ok(None),
        rusqlite::types::ValueRef::Text(_) => Ok(Some(value.as_str()?)),
        _ => Err(rusqlite::Error::InvalidColumnType(
            i,
            row.as_ref().column_name(i).unwrap_or("?").to_string(),
            value.data_type(),
        )),
    }
}

/// A connection to read the archive at `path`, in a read transaction that
/// holds from now on.
fn reading(conn: &Connection, path: &Path) -> Result<(), ArchiveError> {
    conn.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;")
        .map_err(|e| sql_error(path, e))
}

impl Stored {
    /// Opens the archive at `path` to read its journals. A journal stored
    /// under a path that is not one of the session layout is refused, as
    /// is a file SQLite finds damaged in any page it reads, or whose two
    /// lists of its journals disagree. Damage elsewhere in the file does
    /// not change what is read; `osce audit --archive` has SQLite check
    /// every part of the file.
    pub fn open(path: &Path) -> Result<Stored, ArchiveError> {
        let archive = Archive::open_read(path)?;
        reading(&archive.conn, path)?;
        let sql = |e| sql_error(path, e);
        // A connection for each thread that reads, each in its read
        // transaction now, while the first holds the archive as it is.
        let mut pool = Vec::new();
        for _ in 1..crate::base::threads::count() {
            let conn = connect_read(path)?;
            reading(&conn, path)?;
            pool.push(conn);
        }
        // The list below comes from one index of the journals; the paths
        // are listed again from another, on a second connection meanwhile.
        // A damaged page of either, one that SQLite's checks of each page
        // read let pass (a page pointing to the wrong page of the list),
        // shows as the two disagreeing. The rest of what a command reads is
        // checked as it is read: each reading against its BLAKE3, each
        // journal's bytes against theirs (`osce audit --archive` checks the
        // whole file).
        let paths = |conn: &Connection| -> rusqlite::Result<Vec<String>> {
            let mut stmt = conn
                .prepare("SELECT path FROM journals INDEXED BY sqlite_autoindex_journals_1 ORDER BY path")?;
            let mut rows = stmt.query([])?;
            let mut paths = Vec::new();
            while let Some(row) = rows.next()? {
                paths.push(text_at(row, 0, false)?.unwrap_or_default().to_string());
            }
            Ok(paths)
        };
        let (journals, again) = std::thread::scope(|scope| {
            let again = pool.pop().map(|conn| {
                scope.spawn(move || {
                    let again = paths(&conn);
                    (conn, again)
                })
            });
            let journals = Self::listed_journals(&archive.conn, path);
            let again = match again {
                Some(thread) => {
                    let (conn, again) = thread
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    pool.push(conn);
                    again
                }
                None => paths(&archive.conn),
            };
            (journals, again)
        });
        let journals = journals?;
        {
            let again = again.map_err(sql)?;
            let mut listed = journals.iter().map(|j| j.rel.as_str());
            let disagree = |first: &str| ArchiveError::Damaged {
                path: path.to_path_buf(),
                reason: format!("its two lists of the journals it holds disagree, first at \"{first}\""),
            };
            for rel in &again {
                if listed.next() != Some(rel.as_str()) {
                    return Err(disagree(rel));
                }
            }
            if let Some(rest) = listed.next() {
                return Err(disagree(rest));
            }
        }
        // The other histories kept of its sheets (none in an archive made
        // before they were kept), of journals listed.
        let others: Vec<(String, String)> = if has_other_histories(&archive.conn).map_err(sql)? {
            archive
                .conn
                .prepare("SELECT journal, blake3 FROM other_histories ORDER BY journal, blake3")
                .and_then(|mut stmt| {
                    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                })
                .map_err(sql)?
                .into_iter()
                .filter(|(rel, blake3)| {
                    blake3.len() == 64 && journals.binary_search_by(|j| j.rel.as_str().cmp(rel)).is_ok()
                })
                .collect()
        } else {
            Vec::new()
        };
        let refused: Vec<RefusedCopy> = if has_table(&archive.conn, "refusals").map_err(sql)? {
            archive
                .conn
                .prepare(
                    "SELECT file, journal, why, kept_beside, refused_at FROM refusals ORDER BY journal, file",
                )
                .and_then(|mut stmt| {
                    stmt.query_map([], |r| {
                        Ok(RefusedCopy {
                            file: r.get(0)?,
                            journal: r.get(1)?,
                            why: r.get(2)?,
                            kept_beside: r.get(3)?,
                            refused_at: r.get(4)?,
                        })
                    })
                    .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                })
                .map_err(sql)?
        } else {
            Vec::new()
        };
        pool.insert(0, archive.conn);
        Ok(Stored {
            path: path.to_path_buf(),
            pool: Mutex::new(pool),
            journals,
            others,
            mismatches: Mutex::new(Vec::new()),
            pending: Mutex::new(Vec::new()),
            refused,
        })
    }

    /// The journals as the index `collect` makes lists them, each checked
    /// against what its path says, sorted by path.
    fn listed_journals(conn: &Connection, path: &Path) -> Result<Vec<Listed>, ArchiveError> {
        let sql = |e| sql_error(path, e);
        let mut journals = Vec::new();
        // In the order of the index `collect` makes (journals_listed),
        // which holds every column asked for: the journals' bytes are
        // not touched.
        let mut stmt = conn
            .prepare(
                "SELECT path, kind, assessment, examiner, device, candidate, station, blake3 FROM journals \
                 ORDER BY assessment, kind, path",
            )
            .map_err(sql)?;
        let mut rows = stmt.query([]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let text = |i: usize| text_at(row, i, false).map(Option::unwrap_or_default).map_err(sql);
            let text_or_null = |i: usize| text_at(row, i, true).map_err(sql);
            let rel = text(0)?;
            let Some(parts) = layout_parts(rel) else {
                return Err(ArchiveError::Damaged {
                    path: path.to_path_buf(),
                    reason: format!(
                        "a journal is stored under \"{rel}\", which is not a path of the session layout"
                    ),
                });
            };
            // What the list says of a journal is what its path says.
            let said = (
                text(1)?,
                text(2)?,
                text(3)?,
                text(4)?,
                text_or_null(5)?,
                text_or_null(6)?,
            );
            if said != parts {
                return Err(ArchiveError::Damaged {
                    path: path.to_path_buf(),
                    reason: format!(
                        "its list of journals says of the one stored under \"{rel}\" what its path does not (a \
                         damaged page of the list)"
                    ),
                });
            }
            journals.push(Listed {
                rel: rel.to_string(),
                blake3: ListedHash::of(text(7)?),
            });
        }
        journals.sort_by(|a, b| a.rel.cmp(&b.rel));
        Ok(journals)
    }

    /// The copies of `assessment`'s journals in the laptops' folders that
    /// collect refused and has not since taken or seen gone.
    pub fn refused(&self, assessment: &str) -> Vec<RefusedCopy> {
        self.refused
            .iter()
            .filter(|r| {
                r.journal
                    .strip_prefix(assessment)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .cloned()
            .collect()
    }

    /// The journal stored under `rel`, as listed.
    fn listed_rel(&self, rel: &str) -> Option<&Listed> {
        let i = self.journals.binary_search_by(|j| j.rel.as_str().cmp(rel)).ok()?;
        Some(&self.journals[i])
    }

    /// The journal named `name` (as [`Stored::sheets`] names it), as
    /// listed.
    fn listed(&self, name: &Path) -> Option<&Listed> {
        self.listed_rel(name.strip_prefix(&self.path).ok()?.to_str()?)
    }

    /// The readings kept of journals against the rubric whose identity is
    /// `rubric`, made by `reader` from the bytes now stored (a reading of
    /// bytes since grown is not given): `each` (journal's name, reading,
    /// the reading's BLAKE3 as kept), called on every core, each thread
    /// reading its own part of the journals through its own connection,
    /// so in no order. The caller checks each reading against its BLAKE3
    /// ([`reading_sound`]).
    pub fn readings(&self, rubric: &str, reader: &str, each: impl Fn(PathBuf, &str, &str) + Sync) {
        let conns = std::mem::take(&mut *self.pool.lock().unwrap_or_else(|e| e.into_inner()));
        let parts = conns.len();
        // Where each part starts, as listed (sorted by path).
        let bound = |k: usize| {
            self.journals
                .get(k * self.journals.len() / parts.max(1))
                .map(|j| j.rel.as_str())
        };
        let each = &each;
        let conns = std::thread::scope(|scope| {
            let workers: Vec<_> = conns
                .into_iter()
                .enumerate()
                .map(|(k, conn)| {
                    let (from, to) = (
                        bound(k).unwrap_or(""),
                        if k + 1 == parts { None } else { bound(k + 1) },
                    );
                    scope.spawn(move || {
                        // An archive made before readings were kept has no
                        // such table: nothing is kept there.
                        let _ = self.readings_between(&conn, rubric, reader, from, to, each);
                        conn
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect::<Vec<Connection>>()
        });
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).extend(conns);
    }

    /// [`Stored::readings`] of the journals from `from` up to `to` (to the
    /// end when `None`), through `conn`.
    fn readings_between(
        &self,
        conn: &Connection,
        rubric: &str,
        reader: &str,
        from: &str,
        to: Option<&str>,
        each: &(impl Fn(PathBuf, &str, &str) + Sync),
    ) -> rusqlite::Result<()> {
        const SELECT: &str = "SELECT journal, blake3, reading, reading_blake3 FROM readings \
                              WHERE rubric = ?1 AND reader = ?2 AND journal >= ?3";
        let mut stmt;
        let mut rows = match to {
            Some(to) => {
                stmt = conn.prepare(&format!("{SELECT} AND journal < ?4 ORDER BY journal"))?;
                stmt.query(params![rubric, reader, from, to])?
            }
            None => {
                stmt = conn.prepare(&format!("{SELECT} ORDER BY journal"))?;
                stmt.query(params![rubric, reader, from])?
            }
        };
        // The readings come in the order of their journals' names, as the
        // list of journals is sorted: each journal is found by walking the
        // list alongside, not searched for (one out of order would only be
        // missed, and read again from its bytes).
        let mut next = self.journals.partition_point(|j| j.rel.as_str() < from);
        while let Some(row) = rows.next()? {
            let rel = row.get_ref(0)?.as_str()?;
            while self.journals.get(next).is_some_and(|j| j.rel.as_str() < rel) {
                next += 1;
            }
            if let Some(listed) = self.journals.get(next).filter(|j| j.rel == rel)
                && listed.blake3.is(row.get_ref(1)?.as_str()?)
            {
                each(
                    self.name(rel),
                    row.get_ref(2)?.as_str()?,
                    row.get_ref(3)?.as_str()?,
                );
            }
        }
        Ok(())
    }

    /// Keeps `reading`, made by `reader` of the journal named `name`
    /// against the rubric whose identity is `rubric`: written into the
    /// archive when this is dropped, unless the journal's stored bytes
    /// turned out not to match their BLAKE3.
    pub fn keep(&self, rubric: &str, reader: &str, name: &Path, reading: String) {
        let Some(listed) = self.listed(name) else {
            return;
        };
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).push((
            rubric.to_string(),
            listed.rel.clone(),
            reader.to_string(),
            reading,
        ));
    }

    /// Writes the readings kept into the archive, in one transaction,
    /// after every read transaction of this has ended. An archive that may
    /// not be written, or that another command holds, keeps none: they are
    /// made again next time.
    fn write_pending(&mut self) -> Result<usize, rusqlite::Error> {
        let mut pending = std::mem::take(self.pending.get_mut().unwrap_or_else(|e| e.into_inner()));
        if pending.is_empty() {
            return Ok(0);
        }
        // In the order commands read them (the table's key): a command
        // then reads the table's pages in their order in the file.
        pending.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let mut written = 0;
        let mismatched: Vec<String> = self.mismatches().into_iter().map(|(j, _)| j).collect();
        self.pool.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        if read_only(&self.path) {
            return Ok(0);
        }
        let mut conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_millis(250))?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        add_missing(&tx)?;
        {
            let mut stmt = tx.prepare(
                "INSERT OR REPLACE INTO readings (rubric, journal, blake3, reader, reading, reading_blake3) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (rubric, rel, reader, reading) in &pending {
                let Some(listed) = self.listed_rel(rel) else {
                    continue;
                };
                if mismatched.contains(rel) {
                    continue;
                }
                // Stamped with the BLAKE3 of the bytes read: should a
                // collect have changed the journal since, it is not used.
                written += stmt.execute(params![
                    rubric,
                    rel,
                    listed.blake3.text(),
                    reader,
                    reading,
                    blake3::hash(reading.as_bytes()).to_hex().to_string()
                ])?;
            }
        }
        tx.commit()?;
        Ok(written)
    }

    /// Writes the readings made so far into the archive now (what
    /// dropping it does, but saying what went wrong): how many.
    pub fn keep_readings(mut self) -> Result<usize, ArchiveError> {
        if let Some((journal, what)) = self.mismatches().into_iter().next() {
            return Err(ArchiveError::Damaged {
                path: self.path.clone(),
                reason: format!("{journal}: {what}"),
            });
        }
        let path = self.path.clone();
        self.write_pending().map_err(|e| sql_error(&path, e))
    }

    /// The archive's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How a journal is named in what commands say: the archive's path
    /// joined with the journal's path inside it.
    fn name(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }

    /// The assessments it holds journals of, sorted.
    pub fn assessments(&self) -> Vec<String> {
        let mut all: Vec<String> = self.journals.iter().map(|j| j.assessment().to_string()).collect();
        all.dedup();
        all.sort();
        all.dedup();
        all
    }

    /// Whether it holds any journal of `assessment`.
    pub fn holds(&self, assessment: &str) -> bool {
        self.journals.iter().any(|j| j.assessment() == assessment)
    }

    /// Reads every stored journal, of every assessment, to check it
    /// against its BLAKE3 and length ([`Stored::mismatches`] then lists
    /// every one that fails).
    pub fn check_every_journal(&self) -> Result<(), crate::store::StoreError> {
        for j in &self.journals {
            self.with_bytes(&self.name(&j.rel), |_| ())?;
        }
        Ok(())
    }

    /// Checks what the list of journals says of each journal's bytes (the
    /// length anchored, the records, the last record's hash, the verdict
    /// and whether it fails its checks, the submitted score, outcome and
    /// time, whether it is being amended) against what its bytes say,
    /// read again with the readers `collect` used: (journal, what differs)
    /// for each that disagrees, sorted. An edit of those columns would
    /// change the `sheets` view, or loosen what a later collect holds a
    /// copy to, without touching the bytes. One journal's bytes are held
    /// at a time.
    pub fn summary_mismatches(&self) -> Result<Vec<(String, String)>, ArchiveError> {
        let sql = |e| sql_error(&self.path, e);
        let pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = pool.first() else {
            return Ok(Vec::new());
        };
        let mut stmt = conn
            .prepare(
                "SELECT path, bytes, anchored_length, records, last_hash, verdict, failing, submitted_score, \
                 submitted_max, submitted_outcome, submitted_at, amending FROM journals ORDER BY path",
            )
            .map_err(sql)?;
        let mut rows = stmt.query([]).map_err(sql)?;
        let mut found = Vec::new();
        while let Some(row) = rows.next().map_err(sql)? {
            let rel: String = row.get(0).map_err(sql)?;
            let Some((kind, assessment, examiner, device, candidate, station)) = split_layout(&rel) else {
                continue;
            };
            let kind = match kind {
                "sheet" => "sheet",
                "moderation" => "moderation",
                _ => "decisions",
            };
            let journal = Found {
                rel: rel.clone(),
                kind,
                assessment: assessment.to_string(),
                examiner: examiner.to_string(),
                device: device.to_string(),
                candidate: candidate.map(str::to_string),
                station: station.map(str::to_string),
                file: PathBuf::new(),
            };
            let bytes = match row.get_ref(1).map_err(sql)? {
                rusqlite::types::ValueRef::Blob(b) => b,
                _ => continue,
            };
            let s = summarise(&journal, bytes);
            let said = (
                row.get::<_, i64>(2).map_err(sql)?,
                row.get::<_, i64>(3).map_err(sql)?,
                row.get::<_, String>(4).map_err(sql)?,
                row.get::<_, String>(5).map_err(sql)?,
                row.get::<_, bool>(6).map_err(sql)?,
            );
            let submitted: Option<(f64, f64, String, String)> = match (
                row.get::<_, Option<f64>>(7).map_err(sql)?,
                row.get::<_, Option<f64>>(8).map_err(sql)?,
                row.get::<_, Option<String>>(9).map_err(sql)?,
                row.get::<_, Option<String>>(10).map_err(sql)?,
            ) {
                (Some(score), Some(max), Some(outcome), Some(at)) => Some((score, max, outcome, at)),
                _ => None,
            };
            let amending: Option<bool> = row.get(11).map_err(sql)?;
            let mut differs = Vec::new();
            if said.0 != s.anchored_length as i64 {
                differs.push(format!(
                    "anchored_length {} (its bytes: {})",
                    said.0, s.anchored_length
                ));
            }
            if said.1 != s.records as i64 {
                differs.push(format!("records {} (its bytes: {})", said.1, s.records));
            }
            if said.2 != s.last_hash {
                differs.push("last_hash".to_string());
            }
            if said.3 != s.verdict || said.4 != s.failing {
                differs.push(format!(
                    "verdict \"{}\"{} (its bytes: \"{}\"{})",
                    said.3,
                    if said.4 { ", failing" } else { "" },
                    s.verdict,
                    if s.failing { ", failing" } else { "" }
                ));
            }
            if submitted != s.submitted {
                let words = |x: &Option<(f64, f64, String, String)>| match x {
                    Some((score, max, outcome, at)) => format!(
                        "{}/{} {outcome} at {at}",
                        crate::scoring::fmt_marks(*score),
                        crate::scoring::fmt_marks(*max)
                    ),
                    None => "none".to_string(),
                };
                differs.push(format!(
                    "submitted {} (its bytes: {})",
                    words(&submitted),
                    words(&s.submitted)
                ));
            }
            if amending != s.amending {
                differs.push("amending".to_string());
            }
            if !differs.is_empty() {
                found.push((
                    rel,
                    format!(
                        "the archive's list of journals says of it what its bytes do not: {}. The column was \
                         changed after it was collected (by hand, or a damaged page); every command reads the \
                         bytes, but the `sheets` view reads the list",
                        differs.join("; ")
                    ),
                ));
            }
        }
        Ok(found)
    }

    /// The sheet journals of `assessment` (only those of `cell`, a
    /// candidate and station, when given), sorted, each with its name.
    pub fn sheets(&self, assessment: &str, cell: Option<(&str, &str)>) -> Vec<(SheetKey, PathBuf)> {
        // On every core: tens of thousands of journals, each named anew.
        let wanted = |j: &Listed| {
            let (kind, a, examiner, device, candidate, station) = j.parts()?;
            let (candidate, station) = (candidate?, station?);
            let wanted = kind == "sheet"
                && a == assessment
                && cell.is_none_or(|(c, s)| candidate == c && station == s);
            wanted.then(|| {
                let key = SheetKey {
                    assessment: a.to_string(),
                    station: station.to_string(),
                    candidate: candidate.to_string(),
                    examiner: examiner.to_string(),
                    device: device.to_string(),
                };
                (key, self.name(&j.rel))
            })
        };
        let mut found: Vec<(SheetKey, PathBuf)> = match cell {
            // One cell's: a few journals.
            Some(_) => self.journals.iter().filter_map(wanted).collect(),
            None => crate::base::threads::map_blocks(self.journals.chunks(4096).collect(), 1, |part| {
                part.iter().filter_map(wanted).collect::<Vec<_>>()
            })
            .into_iter()
            .flatten()
            .flatten()
            .collect(),
        };
        // Each other history of a sheet found, as a sheet of its own.
        let others: Vec<(SheetKey, PathBuf)> = found
            .iter()
            .flat_map(|(key, name)| {
                let rel = name
                    .strip_prefix(&self.path)
                    .ok()
                    .and_then(|r| r.to_str())
                    .unwrap_or("");
                let from = self.others.partition_point(|(r, _)| r.as_str() < rel);
                self.others[from..]
                    .iter()
                    .take_while(move |(r, _)| r == rel)
                    .map(move |(r, blake3)| {
                        (
                            key.clone(),
                            self.name(&format!("{r}{OTHER_HISTORY}{}", &blake3[..16])),
                        )
                    })
            })
            .collect();
        found.extend(others);
        // No two alike (each has a name of its own): unstable is as sorted.
        found.sort_unstable();
        found
    }

    /// The journals of `kind` (`moderation` or `decisions`) of
    /// `assessment`: (examiner, device, name), sorted.
    pub fn named_journals(&self, assessment: &str, kind: &str) -> Vec<(String, String, PathBuf)> {
        let mut found: Vec<(String, String, PathBuf)> = self
            .journals
            .iter()
            .filter_map(|j| {
                let (k, a, examiner, device, _, _) = j.parts()?;
                (k == kind && a == assessment)
                    .then(|| (examiner.to_string(), device.to_string(), self.name(&j.rel)))
            })
            .collect();
        found.sort();
        found
    }

    /// `with` of the stored bytes of the journal named `name` (as
    /// [`Stored::sheets`] names it), after checking them against the
    /// BLAKE3 and length recorded when it was collected: a mismatch is
    /// kept for [`Stored::mismatches`], and the bytes are given as stored.
    pub fn with_bytes<R>(
        &self,
        name: &Path,
        with: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, crate::store::StoreError> {
        let failed = |e: rusqlite::Error| crate::store::StoreError::Io {
            path: name.to_path_buf(),
            source: io::Error::other(sql_error(&self.path, e)),
        };
        let rel = name
            .strip_prefix(&self.path)
            .ok()
            .and_then(|r| r.to_str())
            .ok_or_else(|| crate::store::StoreError::Io {
                path: name.to_path_buf(),
                source: io::Error::from(io::ErrorKind::NotFound),
            })?;
        let taken = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match taken {
            Some(conn) => conn,
            None => {
                let conn = connect_read(&self.path).map_err(|e| crate::store::StoreError::Io {
                    path: name.to_path_buf(),
                    source: io::Error::other(e),
                })?;
                reading(&conn, &self.path).map_err(|e| crate::store::StoreError::Io {
                    path: name.to_path_buf(),
                    source: io::Error::other(e),
                })?;
                conn
            }
        };
        let result = match rel.split_once(OTHER_HISTORY) {
            // Another history of a sheet, kept beside it.
            Some((journal, short)) => {
                let blake3 = self
                    .others
                    .iter()
                    .find(|(r, b)| r == journal && b.starts_with(short))
                    .map_or("", |(_, b)| b.as_str());
                conn.prepare_cached(
                    "SELECT bytes, length, blake3 FROM other_histories WHERE journal = ?1 AND blake3 = ?2",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![journal, blake3], |row| {
                        self.checked(rel, row, false, with)
                    })
                })
            }
            None => conn
                .prepare_cached("SELECT bytes, length, blake3 FROM journals WHERE path = ?1")
                .and_then(|mut stmt| stmt.query_row(params![rel], |row| self.checked(rel, row, true, with))),
        };
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
        // Within the read transaction a journal listed is always there: a
        // journal that cannot be read is a damaged page of the file, and
        // the archive is refused as it would be for bytes that do not
        // match their BLAKE3 (not one sheet set aside as a problem).
        if let Err(e) = &result {
            self.mismatches
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_string(), format!("its stored bytes cannot be read ({e})")));
        }
        result.map_err(failed)
    }

    /// `with` of the stored bytes in `row` (bytes, length, BLAKE3) of the
    /// journal `rel`, after checking them against that length and BLAKE3,
    /// and (`listed`) the row's BLAKE3 against the list's: a mismatch is
    /// kept for [`Stored::mismatches`], and the bytes are given as stored.
    fn checked<R>(
        &self,
        rel: &str,
        row: &rusqlite::Row<'_>,
        listed: bool,
        with: impl FnOnce(&[u8]) -> R,
    ) -> rusqlite::Result<R> {
        let bytes = row.get_ref(0)?.as_blob()?;
        let length: i64 = row.get(1)?;
        let hash: String = row.get(2)?;
        // The row found by its path is the one listed: a damaged index of
        // the paths would give another journal's row (and SQLite gives the
        // path itself from that index, so only the row's BLAKE3 tells).
        let what = if listed && !self.listed_rel(rel).is_some_and(|l| l.blake3.is(&hash)) {
            Some("the row the archive finds for it by its path is not the one listed: a damaged index".into())
        } else {
            mismatch(bytes, length, &hash)
        };
        if let Some(what) = what {
            self.mismatches
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_string(), what));
        }
        Ok(with(bytes))
    }

    /// The copies stored before that failed their checks and were
    /// replaced by a sound copy (kept in the `replaced` table), in the
    /// order of their journals: (journal, what became of it).
    pub fn replaced(&self) -> rusqlite::Result<Vec<(String, String)>> {
        let pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = pool.first() else {
            return Ok(Vec::new());
        };
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replaced')",
            [],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(Vec::new());
        }
        let mut stmt = conn.prepare(
            "SELECT journal, verdict, sources, collected_at, replaced_at, replaced_by, blake3 FROM replaced \
             ORDER BY journal, replaced_at",
        )?;
        let rows = stmt.query_map([], |r| {
            let text = |i| r.get::<_, String>(i);
            Ok((
                text(0)?,
                format!(
                    "the copy collected {} from {} failed its checks ({}) and was replaced {} by the sound copy from \
                     {}; the failing copy is kept in the archive's `replaced` table (BLAKE3 {}) as evidence",
                    text(3)?,
                    text(2)?,
                    text(1)?,
                    text(4)?,
                    text(5)?,
                    text(6)?
                ),
            ))
        })?;
        rows.collect()
    }

    /// The journals read so far whose stored bytes do not match the BLAKE3
    /// or length recorded when they were collected, or could not be read
    /// at all: (journal, what), sorted.
    pub fn mismatches(&self) -> Vec<(String, String)> {
        let mut found = self.mismatches.lock().unwrap_or_else(|e| e.into_inner()).clone();
        found.sort();
        found.dedup();
        found
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        // An archive with a journal whose bytes do not match their BLAKE3
        // keeps no readings.
        if !self.mismatches().is_empty() {
            return;
        }
        // A cache: what cannot be written is made again next time.
        let _ = self.write_pending();
    }
}

/// Whether a reading's text is what was kept: its BLAKE3 is the one kept
/// beside it (a page of the file damaged since, or a hand edit that did
/// not work the hash out again, and it is read from the journal instead).
pub fn reading_sound(reading: &str, kept_blake3: &str) -> bool {
    blake3::hash(reading.as_bytes()).to_hex().as_str() == kept_blake3
}

/// What is wrong with stored `bytes` collected as `length` bytes with
/// BLAKE3 `hash`, or `None`.
fn mismatch(bytes: &[u8], length: i64, hash: &str) -> Option<String> {
    let actual = blake3::hash(bytes).to_hex();
    if actual.as_str() != hash {
        Some(format!(
            "its stored bytes do not match the BLAKE3 recorded when it was collected ({hash}, now {actual})"
        ))
    } else if length != bytes.len() as i64 {
        Some(format!(
            "{} bytes stored, where {length} were collected",
            bytes.len()
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_the_session_layout_are_written_out() {
        for good in [
            "y3/e.jones@lap-1/C014/shoulder.jsonl",
            "y3/ext.a@lap/moderation.jsonl",
            "y3/lead@lap/decisions.jsonl",
        ] {
            assert!(layout_path(good), "{good}");
        }
        for bad in [
            "../y3/e@l/C1/s.jsonl",
            "y3/e@l/../s.jsonl",
            "y3/e@l/C1/s.txt",
            "y3/el/C1/s.jsonl",
            "/etc/e@l/C1/s.jsonl",
            "y3/e@l/C1/sub/s.jsonl",
            "y3/e@l/notes.jsonl",
            "y3/e@l/C1/.s.jsonl",
            "",
        ] {
            assert!(!layout_path(bad), "{bad}");
        }
    }

    #[test]
    fn the_first_difference_is_found_with_its_line() {
        for (a, b, at, line) in [
            (&b"a\nb\nc\n"[..], &b"a\nb\nX\n"[..], 4, 3),
            (b"a\nb\n", b"a\nb\nc\n", 4, 3),
            (b"xyz", b"ayz", 0, 1),
            (b"same", b"same", 4, 1),
        ] {
            assert_eq!(first_difference(a, b), at);
            assert_eq!(line_at(b, at), line);
        }
    }

    #[test]
    fn the_last_lines_hash_is_read_from_its_end() {
        let h = "ab".repeat(32);
        let text = format!(
            "{{\"seq\":1,\"hash\":\"{}\"}}\n{{\"seq\":2,\"hash\":\"{h}\"}}\n",
            "cd".repeat(32)
        );
        assert_eq!(last_line_hash(text.as_bytes()), h);
        assert_eq!(last_line_hash(b""), "");
    }
}
