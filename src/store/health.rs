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
use super::error::StoreError;
use super::files::{FILE_MODE, O_NOFOLLOW, ensure_dir, ensure_root};
use super::layout::check;

/// The name of the write test's file begins so, followed by the process
/// id: `<examiner>@<device>/.write-check-<pid>`.
pub const PROBE_PREFIX: &str = ".write-check-";

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
            StoreError::Io { source, .. } | StoreError::Unlisted { source, .. } => words_for(source),
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
            StoreError::Io { path, source } | StoreError::Unlisted { path, source } => {
                format!("{}: {source}", path.display())
            }
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
    ///
    /// A disk too full for the test file may still take a few more lines
    /// in the last block of a sheet's journal: that is [`Health::Low`] with
    /// nothing free ("the next change may not be saved"), not
    /// [`Health::Unwritable`], which would call saved marks unsaved.
    pub fn probe(&self, assessment: &str, examiner: &str, device: &str) -> Health {
        match self.try_probe(assessment, examiner, device) {
            Ok(dir) => self.space_at(&dir).unwrap_or(Health::Fine),
            Err(StoreError::Io { source, .. }) if is_full(&source) => Health::Low { free: 0 },
            Err(error) => Health::Unwritable(SaveProblem::of(&error)),
        }
    }

    /// Whether the folder `examiner` on `device` writes the sheets of
    /// `assessment` to (or, before it exists, the nearest folder above it)
    /// may be written, its disk's free space and read-only flag, all
    /// without writing anything; where the file system cannot say (a disk
    /// gone, a folder removed), the write test instead.
    ///
    /// The examiner's own folder, not the sessions folder: a folder made
    /// read-only under a writable one (a read-only mount over it, its
    /// permissions changed) must be found too.
    pub fn space(&self, assessment: &str, examiner: &str, device: &str) -> Health {
        let ids_ok = [
            ("assessment", assessment),
            ("examiner", examiner),
            ("device", device),
        ]
        .iter()
        .all(|(what, id)| check(what, id).is_ok());
        let assessment_dir = self.root().join(assessment);
        let dir = [
            assessment_dir.join(format!("{examiner}@{device}")),
            assessment_dir,
        ]
        .into_iter()
        .find(|d| ids_ok && d.is_dir())
        .unwrap_or_else(|| self.root().to_path_buf());
        // Refused outright (read-only, no permission): nothing more to ask.
        // Anything else (a folder gone) is the write test's to find out.
        if let Err(errno) = rustix::fs::access(&dir, rustix::fs::Access::WRITE_OK)
            && matches!(
                errno,
                rustix::io::Errno::ROFS | rustix::io::Errno::ACCESS | rustix::io::Errno::PERM
            )
        {
            let error = StoreError::Io {
                path: dir.clone(),
                source: io::Error::from_raw_os_error(errno.raw_os_error()),
            };
            return Health::Unwritable(SaveProblem::of(&error));
        }
        self.space_at(&dir)
            .unwrap_or_else(|| self.probe(assessment, examiner, device))
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
        remove_stale_probes(&dir);
        let probe = dir.join(format!("{PROBE_PREFIX}{}", std::process::id()));
        let io = |source| StoreError::Io {
            path: probe.clone(),
            source,
        };
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
        // Removed only if this call made it (never whatever had the name).
        let written = match written {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(io(e)),
            other => other,
        };
        let removed = fs::remove_file(&probe);
        written.map_err(io)?;
        removed.map_err(io)?;
        Ok(dir)
    }

    /// `None` where the file system cannot say.
    fn space_at(&self, dir: &Path) -> Option<Health> {
        let stat = rustix::fs::statvfs(dir).ok()?;
        if stat.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY) {
            let error = StoreError::Io {
                path: dir.to_path_buf(),
                source: io::Error::from(io::ErrorKind::ReadOnlyFilesystem),
            };
            return Some(Health::Unwritable(SaveProblem::of(&error)));
        }
        let free = stat.f_bavail.saturating_mul(stat.f_frsize);
        Some(if free < LOW_SPACE {
            Health::Low { free }
        } else {
            Health::Fine
        })
    }
}

fn is_full(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

/// Removes write-test files left in `dir` by a process that stopped in
/// the middle of one: plain files only (never through a link), and only
/// this process's own name or files over a minute old, so that another
/// window's test of the moment is left alone.
fn remove_stale_probes(dir: &Path) {
    let mine = format!("{PROBE_PREFIX}{}", std::process::id());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with(PROBE_PREFIX) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(60));
        if meta.is_file() && (name == mine || old) {
            let _ = fs::remove_file(entry.path());
        }
    }
}
