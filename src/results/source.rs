//! Where the journals a command reads come from: the laptops' sessions
//! folders (`--sessions DIR...`), or the exam archive (`--archive FILE`),
//! whose stored bytes are read straight from SQLite. Either way every
//! journal goes through the same checks (the same readers, on its bytes),
//! so the results are the same.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::results::archive::Stored;
use crate::store::{
    ChainRead, Checked, RecordRef, Replay, SheetKey, Store, StoreError, check_sheet_bytes, read_chain,
    read_chain_bytes, read_journal_bytes, read_sheet_with,
};

/// Where the journals are.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// Sessions folders, in the session layout (docs/session-format.md).
    Folders(&'a [PathBuf]),
    /// The journals stored in an exam archive (docs/archive-format.md),
    /// named by the archive's path joined with their path inside it.
    Archive(&'a Stored),
}

/// Sheet journals as listed: each one's sheet (by its place) and path.
pub type Listed = Vec<(SheetKey, PathBuf)>;

/// Folders named more than once: (first name, later name).
pub type NamedAgain = Vec<(PathBuf, PathBuf)>;

/// Which sheet journals to list.
#[derive(Clone, Copy)]
pub enum Sheets<'a> {
    All,
    /// Those of one candidate at one station.
    Cell {
        candidate: &'a str,
        station: &'a str,
    },
}

impl Source<'_> {
    /// The folders, each once (by where it really is, links resolved), and
    /// the folders named again: (first name, later name). Nothing for an
    /// archive.
    fn distinct_folders(&self) -> (Vec<&Path>, NamedAgain) {
        let Source::Folders(folders) = self else {
            return (Vec::new(), Vec::new());
        };
        let mut seen: Vec<(&Path, PathBuf)> = Vec::new();
        let mut again = Vec::new();
        for folder in folders.iter() {
            let real = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.clone());
            if let Some((first, _)) = seen.iter().find(|(_, r)| *r == real) {
                again.push((first.to_path_buf(), folder.clone()));
                continue;
            }
            seen.push((folder, real));
        }
        (seen.into_iter().map(|(f, _)| f).collect(), again)
    }

    /// The sheet journals of `assessment`, sorted, each once; and the
    /// folders named more than once (read once).
    pub fn sheets(&self, assessment: &str, which: Sheets<'_>) -> Result<(Listed, NamedAgain), StoreError> {
        if let Source::Archive(stored) = self {
            let cell = match which {
                Sheets::All => None,
                Sheets::Cell { candidate, station } => Some((candidate, station)),
            };
            return Ok((stored.sheets(assessment, cell), Vec::new()));
        }
        let (folders, again) = self.distinct_folders();
        let mut found = Vec::new();
        for folder in folders {
            let store = Store::new(folder).with_renamed_copies();
            found.extend(match which {
                Sheets::All => store.sheets(assessment)?,
                Sheets::Cell { candidate, station } => store.cell_sheets(assessment, candidate, station)?,
            });
        }
        found.sort();
        found.dedup_by(|a, b| a.1 == b.1);
        Ok((found, again))
    }

    /// The assessors' moderation journals of `assessment`: (assessor,
    /// device, journal), sorted.
    pub fn moderation_journals(
        &self,
        assessment: &str,
    ) -> Result<Vec<(String, String, PathBuf)>, StoreError> {
        self.named_journals(assessment, "moderation", |store| {
            store.moderation_journals(assessment)
        })
    }

    /// The exam leads' decisions journals of `assessment`: (lead, device,
    /// journal), sorted.
    pub fn decision_journals(&self, assessment: &str) -> Result<Vec<(String, String, PathBuf)>, StoreError> {
        self.named_journals(assessment, "decisions", |store| {
            store.decision_journals(assessment)
        })
    }

    fn named_journals(
        &self,
        assessment: &str,
        kind: &str,
        list: impl Fn(&Store) -> Result<Vec<(String, String, PathBuf)>, StoreError>,
    ) -> Result<Vec<(String, String, PathBuf)>, StoreError> {
        if let Source::Archive(stored) = self {
            return Ok(stored.named_journals(assessment, kind));
        }
        let mut found = Vec::new();
        for folder in self.distinct_folders().0 {
            found.extend(list(&Store::new(folder).with_renamed_copies())?);
        }
        found.sort();
        found.dedup_by(|a, b| a.2 == b.2);
        Ok(found)
    }

    /// [`read_sheet_with`] of the journal at `path`, wherever it is.
    pub fn read_sheet_with(
        &self,
        path: &Path,
        each: impl FnMut(RecordRef<'_>),
    ) -> Result<Checked, StoreError> {
        match self {
            Source::Folders(_) => read_sheet_with(path, each),
            Source::Archive(stored) => {
                stored.with_bytes(path, |bytes| check_sheet_bytes(path, bytes, each).1)
            }
        }
    }

    /// The hash of every intact record of the journal at `path`, in order
    /// (empty where it cannot be read).
    pub fn record_hashes(&self, path: &Path) -> Vec<String> {
        let mut hashes = Vec::new();
        let _ = self.read_sheet_with(path, |r| hashes.push(r.hash.to_string()));
        hashes
    }

    /// [`crate::store::read_sheet`] of the journal at `path`, wherever it
    /// is.
    pub fn read_sheet(&self, path: &Path) -> Result<Replay, StoreError> {
        let mut records = Vec::new();
        let checked = self.read_sheet_with(path, |record| records.push(record.into_owned()))?;
        Ok(Replay {
            records,
            quarantined: checked.quarantined,
            damage: checked.damage,
        })
    }

    /// [`read_chain`] of the journal at `path`, wherever it is.
    pub fn read_chain<T: DeserializeOwned>(&self, path: &Path) -> Result<ChainRead<T>, StoreError> {
        match self {
            Source::Folders(_) => read_chain(path),
            Source::Archive(stored) => stored.with_bytes(path, read_chain_bytes),
        }
    }

    /// `with` of the bytes of the journal at `path`, wherever it is.
    pub fn with_bytes<R>(&self, path: &Path, with: impl FnOnce(&[u8]) -> R) -> Result<R, StoreError> {
        match self {
            Source::Folders(_) => read_journal_bytes(path).map(|bytes| with(&bytes)),
            Source::Archive(stored) => stored.with_bytes(path, with),
        }
    }

    /// BLAKE3 of the bytes of the journal at `path` (a decision names a
    /// journal that cannot be used by it), or empty where it cannot be
    /// read.
    pub fn fingerprint(&self, path: &Path) -> String {
        self.with_bytes(path, |bytes| blake3::hash(bytes).to_hex().to_string())
            .unwrap_or_default()
    }
}
