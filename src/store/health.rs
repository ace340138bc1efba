//! Can marks be saved right now? A full disk, a read-only folder or a
//! folder this account may not write must be on the examiner's screen at
//! once, not found out at the end of the day.
//!
//! [`Store::probe`] really writes: it makes the examiner's folder as
//! opening a sheet would, writes a small file there, syncs it and removes
//! it. [`Store::space`] only asks the file system how much room is left and
//! whether it is mounted read-only, cheap enough to repeat every few
//! seconds while marking.

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::Store;
use super::journal::{FILE_MODE, O_NOFOLLOW, StoreError, check, ensure_dir, ensure_root};

/// Below this much free space the screen warns that the disk is nearly
/// full (a sheet's journal is about 10 kB; a day of marking a few MB).
pub const LOW_SPACE: u64 = 20 * 1000 * 1000;

/// Whether marks can be saved in a sessions folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Writable, with room to spare (or the free space is not known).
    Fine,
    /// Writable, but only `free` bytes left.
    Low { free: u64 },
    /// Nothing can be saved there now.
    Unwritable(SaveProblem),
}

/// Why something could not be saved: a few words for a banner, and the
/// whole message (the file and the system's error) for the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveProblem {
    /// "the disk is full", "the sessions folder is read-only", …
    pub headline: String,
    /// What to do about it.
    pub advice: String,
    /// The store's full message.
    pub detail: String,
}

impl SaveProblem {
    pub fn of(error: &StoreError) -> SaveProblem {
        let (headline, advice) = match error {
            StoreError::Io { source, .. } => words_for(source),
            StoreError::Locked { .. } => (
                "the sheet is open in another window",
                "Close the other window, then open the sheet again.",
            ),
            StoreError::NotPlain { .. } => (
                "a link or a file is where the sessions folder's own folders go",
                "Move it away (osce never writes through a link), or choose another --sessions folder.",
            ),
            _ => (
                "the sheet cannot be written",
                "Read the message below and tell the exam lead.",
            ),
        };
        // The system's own words and the file; the store's advice for
        // an I/O error is the banner's, said better for the case.
        let detail = match error {
            StoreError::Io { path, source } => format!("{}: {source}", path.display()),
            other => other.to_string(),
        };
        SaveProblem {
            headline: headline.to_string(),
            advice: advice.to_string(),
            detail,
        }
    }
}

/// A headline and advice for a system error met while writing.
fn words_for(error: &io::Error) -> (&'static str, &'static str) {
    use io::ErrorKind as K;
    match error.kind() {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => (
            "the disk is full",
            "Free space on this computer's disk (or tell the exam lead), then enter the change again.",
        ),
        K::ReadOnlyFilesystem => (
            "the sessions folder is on a read-only disk",
            "Make the disk writable (a USB stick's lock switch, a network share mounted read-only) or use another --sessions folder, then enter the change again.",
        ),
        K::PermissionDenied => (
            "this account may not write to the sessions folder",
            "Fix the folder's permissions or choose another --sessions folder, then enter the change again.",
        ),
        K::NotFound => (
            "the sessions folder has gone",
            "Reconnect the disk that holds it (or tell the exam lead), then enter the change again.",
        ),
        _ => (
            "the disk could not be written",
            "Check that the disk is present and writable (or tell the exam lead), then enter the change again.",
        ),
    }
}

impl Store {
    /// Really writes a small file where `examiner` on `device` saves the
    /// sheets of `assessment` (making the folders as opening a sheet
    /// would), syncs it and removes it; then reads the free space.
    pub fn probe(&self, assessment: &str, examiner: &str, device: &str) -> Health {
        match self.try_probe(assessment, examiner, device) {
            Ok(dir) => self.space_at(&dir),
            Err(error) => Health::Unwritable(SaveProblem::of(&error)),
        }
    }

    /// Free space and the read-only flag of the disk holding the sessions
    /// of `assessment`, without writing anything.
    pub fn space(&self, assessment: &str) -> Health {
        let dir = self.root().join(assessment);
        if dir.is_dir() {
            self.space_at(&dir)
        } else {
            self.space_at(self.root())
        }
    }

    fn try_probe(&self, assessment: &str, examiner: &str, device: &str) -> Result<PathBuf, StoreError> {
        check("assessment", assessment)?;
        check("examiner", examiner)?;
        check("device", device)?;
        ensure_root(self.root())?;
        let assessment_dir = self.root().join(assessment);
        ensure_dir(&assessment_dir)?;
        let dir = assessment_dir.join(format!("{examiner}@{device}"));
        ensure_dir(&dir)?;
        let probe = dir.join(format!(".write-check-{}", std::process::id()));
        let io = |source| StoreError::Io {
            path: probe.clone(),
            source,
        };
        // A probe left by a crash of this same process id is replaced.
        if fs::symlink_metadata(&probe).is_ok_and(|m| m.is_file()) {
            fs::remove_file(&probe).map_err(io)?;
        }
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .custom_flags(O_NOFOLLOW)
            .open(&probe)
            .and_then(|mut file| {
                // A block's worth: on a full disk even a short line fails.
                file.write_all(&[b'\n'; 4096])?;
                file.sync_data()
            });
        let removed = fs::remove_file(&probe);
        written.map_err(io)?;
        removed.map_err(io)?;
        Ok(dir)
    }

    fn space_at(&self, dir: &Path) -> Health {
        let Ok(stat) = rustix::fs::statvfs(dir) else {
            return Health::Fine;
        };
        if stat.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY) {
            let error = StoreError::Io {
                path: dir.to_path_buf(),
                source: io::Error::from(io::ErrorKind::ReadOnlyFilesystem),
            };
            return Health::Unwritable(SaveProblem::of(&error));
        }
        let free = stat.f_bavail.saturating_mul(stat.f_frsize);
        if free < LOW_SPACE {
            Health::Low { free }
        } else {
            Health::Fine
        }
    }
}
