//! Carrying on a journal found elsewhere: an assessor's moderation
//! journal, or an exam lead's decisions journal, recorded into a folder
//! while the archive (or another folder) already holds more of the same
//! journal. Brought up to date first, it grows what is held; started anew
//! (or left behind), it would be a second history of it, which `collect`
//! refuses.

use std::io::Write;
use std::path::{Path, PathBuf};

use osce::store::Store;

/// Complete lines only: a torn last line is not carried on.
pub fn complete_lines(mut bytes: Vec<u8>) -> Vec<u8> {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    bytes.truncate(complete);
    bytes
}

/// The journal at `rel` (inside a sessions folder) in each of `folders`
/// but `into`: (its path, its complete lines).
pub fn in_folders(folders: &[PathBuf], into: &Path, rel: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let mut copies = Vec::new();
    for folder in folders.iter().filter(|f| f.as_path() != into) {
        let path = folder.join(rel);
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "{}: your journal there cannot be read ({e}); what you record now must follow it. Check the \
                 file's permissions",
                path.display()
            )
        })?;
        copies.push((path, complete_lines(bytes)));
    }
    Ok(copies)
}

/// What [`carry_on`] did.
pub struct Carried {
    /// Where the lines came from.
    pub from: PathBuf,
    /// How many lines were copied.
    pub lines: usize,
    /// Whether the journal was made by this (to be removed again should
    /// what follows fail).
    pub created: bool,
}

/// Brings `own` (a journal in `store`'s folder) up to the longest of
/// `copies` (the same journal found elsewhere): starts it as a copy where
/// it does not exist, adds what it lacks where it is the start of that
/// copy. Refused, with nothing written: copies that are not one history,
/// a copy that fails its checks (`sound` says why), and an `own` that is
/// neither the start of the copy nor more of it (what is recorded in it
/// could never be collected). `what` says whose journal it is, `fix` what
/// to do.
pub fn carry_on(
    store: &Store,
    own: &Path,
    mut copies: Vec<(PathBuf, Vec<u8>)>,
    sound: impl Fn(&[u8]) -> Option<String>,
    what: &str,
    fix: &str,
) -> Result<Option<Carried>, String> {
    copies.sort_by_key(|(_, bytes)| std::cmp::Reverse(bytes.len()));
    let Some((from, longest)) = copies.first() else {
        return Ok(None);
    };
    if let Some((other, _)) = copies.iter().find(|(_, bytes)| !longest.starts_with(bytes)) {
        return Err(format!(
            "{what} is found in two different forms, {} and {}: neither is the start of the other, so what you \
             record now cannot follow both. {fix}",
            from.display(),
            other.display()
        ));
    }
    if longest.is_empty() {
        return Ok(None);
    }
    let mine = match std::fs::symlink_metadata(own) {
        Ok(_) => Some(std::fs::read(own).map_err(|e| format!("{}: {e}", own.display()))?),
        Err(_) => None,
    };
    let start = match &mine {
        None => 0,
        // Already as long, or longer: it grows what is held.
        Some(mine) if mine.starts_with(longest) => return Ok(None),
        // Its complete lines are the start of what is held: the rest is
        // added (a torn last line of its own is left to be set aside).
        Some(mine) if longest.starts_with(mine) && mine.last().is_none_or(|&b| b == b'\n') => mine.len(),
        Some(_) => {
            return Err(format!(
                "{what} in {} is not the one in {}: neither is the start of the other, so what you recorded in \
                 it could never be collected with it. Record into a new --into folder (it starts from {}), or \
                 give another --device",
                own.display(),
                from.display(),
                from.display()
            ));
        }
    };
    if let Some(why) = sound(longest) {
        return Err(format!(
            "{what} in {} fails its checks ({why}), so it cannot be carried on and nothing was written. {fix}",
            from.display()
        ));
    }
    let rest = &longest[start..];
    let lines = rest.iter().filter(|&&b| b == b'\n').count();
    if mine.is_none() {
        store
            .start_journal_from(own, longest)
            .map_err(|e| e.to_string())?;
    } else {
        // Appended whole and synced, under the lock every window takes.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(own)
            .map_err(|e| format!("{}: {e}", own.display()))?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(|_| {
            format!(
                "{}: open in another osce window (on this computer, or another sharing the folder). Close that \
                 window first",
                own.display()
            )
        })?;
        // Removed meanwhile (an empty journal another window closed):
        // nothing is written to a file no folder holds.
        if std::os::unix::fs::MetadataExt::nlink(
            &file.metadata().map_err(|e| format!("{}: {e}", own.display()))?,
        ) == 0
        {
            return Err(format!(
                "{}: was removed from its folder as it was opened (another window closed it empty); nothing was \
                 written. Start again",
                own.display()
            ));
        }
        file.write_all(rest)
            .and_then(|()| file.sync_data())
            .map_err(|e| format!("{}: {e}", own.display()))?;
    }
    Ok(Some(Carried {
        from: from.clone(),
        lines,
        created: mine.is_none(),
    }))
}
