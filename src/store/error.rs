//! What can go wrong reading and writing journals.

use std::io;

use std::path::{Path, PathBuf};

use thiserror::Error;

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

    /// A folder that could not be listed: only ever read, so nothing was
    /// saved or changed by the failure.
    #[error(
        "{}: {source}. Nothing was changed. Check that the folder is there and readable by you (a folder copied \
         from another account may need `chmod -R u+rwX` on it), then try again",
        path.display()
    )]
    Unlisted { path: PathBuf, source: io::Error },

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

pub(super) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
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
