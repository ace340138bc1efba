//! Files and folders the careful way: owner-only, never through a link,
//! locked, synced.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use super::error::*;
use super::replay::*;

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

// ---------------------------------------------------------------------------
// Files and folders

pub(super) fn fsync_dir(dir: &Path) -> io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)?.sync_all()
}

/// Makes the entries in `dir` durable (after creating a file or folder in it).
pub(super) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
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

pub(super) fn plain_dir(dir: &Path, meta: &fs::Metadata) -> Result<(), StoreError> {
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

pub(super) fn create_dir(dir: &Path) -> Result<(), StoreError> {
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
pub(super) fn refuse_unplain(path: &Path) -> Result<bool, StoreError> {
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
pub(super) fn lock(file: &File, path: &Path) -> Result<(), StoreError> {
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
pub(super) const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// Opens `path` to read and append, never through a symbolic link,
/// creating it (`0o600`) if absent. With `append_only`, opens it only to
/// append. Returns the file and whether it was created (its folder then
/// needs an fsync for the new entry to be durable).
pub(super) fn open_no_follow(path: &Path, append_only: bool) -> Result<(File, bool), StoreError> {
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
pub(super) fn set_aside(
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
