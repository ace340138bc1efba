//! What the home screen remembers between runs, per user: the last rubric,
//! examiner id, mode, roster, circuit and station, so that the second
//! morning of an exam starts where the first left off. Kept in the
//! platform's state folder (`$XDG_STATE_HOME/osce/home.json`, else
//! `~/.local/state/osce/home.json`; `OSCE_STATE_DIR` overrides both), owner
//! only. Nothing here is a mark: a file that cannot be read or written is
//! ignored, and the screen starts empty.

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The home screen's choices, as the examiner last launched them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// The rubric, as the home screen labels it (its path, or "built in").
    pub rubric: String,
    pub examiner: String,
    pub circuit: bool,
    pub roster: String,
    pub circuit_name: String,
    /// The station's id.
    pub station: String,
    /// The candidate marked candidate by candidate: offered again while
    /// their stations here are not all submitted (osce stopped between two
    /// of them, say), so that their id is not typed again.
    #[serde(default)]
    pub candidate: String,
}

/// The file, where there is a place for it.
pub fn path() -> Option<PathBuf> {
    let dir = std::env::var_os("OSCE_STATE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_STATE_HOME").map(|d| PathBuf::from(d).join("osce")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state/osce")))?;
    Some(dir.join("home.json"))
}

/// What was remembered, if anything can be read.
pub fn load() -> Option<Remembered> {
    let text = std::fs::read_to_string(path()?).ok()?;
    serde_json::from_str(&text).ok()
}

/// Remembers `r`: written whole to a temporary file, made durable, then
/// renamed over the last, owner-only.
pub fn save(r: &Remembered) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let path = path().ok_or_else(|| std::io::Error::other("no state folder (HOME is not set)"))?;
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no state folder"))?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let text = serde_json::to_string_pretty(r).map_err(std::io::Error::other)?;
    let tmp = dir.join(format!(".home.json.{}", std::process::id()));
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)
}
