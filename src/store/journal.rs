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

use std::fmt;
use std::fs::File;
use std::io::Write;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::error::*;
use super::line::*;
use super::record::{Event, GENESIS, Record, SheetKey};
use super::replay::*;

/// What introduces the hash at the end of every line.
pub(super) const HASH_MARK: &[u8] = b",\"hash\":\"";

// ---------------------------------------------------------------------------
// The journal

/// A sheet's journal, open for appending and locked for as long as this
/// value lives.
#[derive(Debug)]
pub struct Journal {
    pub(super) file: File,
    pub(super) path: PathBuf,
    pub(super) key: SheetKey,
    pub(super) rubric: String,
    pub(super) records: Vec<Record>,
    /// Length of the file as far as this journal has written and synced it.
    pub(super) len: u64,
    /// A failed append could not be cut back off the file: check the file's
    /// length, and cut it again, before the next append.
    pub(super) unsure: bool,
    /// Created by this opening: if nothing is written to it, it is removed
    /// when closed, rather than left as an empty file (a sheet only looked
    /// at, a screen opened to read).
    pub(super) made_empty: bool,
}

/// The error for a journal whose file was removed from its folder while
/// it was open: nothing is written to it.
pub(super) fn removed(path: &Path) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the journal was removed from its folder while it was open (by hand, or a sync client); nothing more \
             is written to it: open the sheet again",
        ),
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        use std::os::unix::fs::MetadataExt;
        if !(self.made_empty && self.len == 0 && self.records.is_empty()) {
            return;
        }
        // Still under its lock, and still the file at its path, and still
        // empty: nothing is lost by removing it. A window that opened the
        // same file meanwhile and waits for the lock finds the path gone
        // and opens it anew (`Store::open_journal`).
        let ours = self.file.metadata();
        let there = std::fs::symlink_metadata(&self.path);
        if let (Ok(ours), Ok(there)) = (ours, there)
            && ours.len() == 0
            && ours.ino() == there.ino()
            && ours.dev() == there.dev()
        {
            let _ = std::fs::remove_file(&self.path);
        }
    }
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
    pub(super) fn check_length(&mut self) -> Result<(), StoreError> {
        use std::os::unix::fs::MetadataExt;
        let meta = self.file.metadata().map_err(io_error(&self.path))?;
        // Removed from its folder while open (by hand, a sync client): a
        // record written now would be in a file no folder holds.
        if meta.nlink() == 0 {
            return Err(removed(&self.path));
        }
        let actual = meta.len();
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
