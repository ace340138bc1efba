//! Carrying on a journal found elsewhere: an assessor's moderation
//! journal, or an exam lead's decisions journal, recorded into a new
//! folder while the archive (or another folder) already holds the same
//! journal. Started as a copy of what is held, it grows it; started anew,
//! it would be a second history of it, which `collect` refuses.

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

/// Where `own` (a journal in `store`'s folder) does not exist, starts it
/// as a copy of the longest of `copies` (the same journal found
/// elsewhere): where it came from and how many lines were carried on.
/// Copies that are not one history (neither the start of the other) are
/// refused, by name: `what` says whose journal it is, `fix` what to do.
pub fn carry_on(
    store: &Store,
    own: &Path,
    mut copies: Vec<(PathBuf, Vec<u8>)>,
    what: &str,
    fix: &str,
) -> Result<Option<(PathBuf, usize)>, String> {
    if std::fs::symlink_metadata(own).is_ok() {
        return Ok(None);
    }
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
    let lines = longest.iter().filter(|&&b| b == b'\n').count();
    store
        .start_journal_from(own, longest)
        .map_err(|e| e.to_string())?;
    Ok(Some((from.clone(), lines)))
}
