//! A journal of records of another kind than a sheet's (the exam lead's
//! decisions), with the same guarantees: one JSON object a line, each line
//! hashed with the hash of the line before it, appended and fsynced before
//! anyone is told it is saved, locked while open, owner-only, never written
//! through a link, a torn last line set aside in a quarantine file.
//!
//! A line is `{"seq":N,"time":"…",<the entry's fields>,"prev":"…","hash":"…"}`:
//! the hash is BLAKE3 of the line's bytes before `,"hash":"`, closed with
//! `}`, exactly as for a sheet's records, so `b3sum` checks either.

use std::fs::File;
use std::io::{Read, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::*;
use super::files::*;
use super::journal::HASH_MARK;
use super::line::find_hash_mark;
use super::record::GENESIS;
use super::replay::Quarantine;

/// One line of a chained journal: its number, when it was written, the
/// entry, and the link to the line before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chained<T> {
    pub seq: u64,
    pub time: DateTime<Utc>,
    #[serde(flatten)]
    pub entry: T,
    pub prev: String,
    /// This line's own hash. Filled in when written or read.
    #[serde(skip)]
    pub hash: String,
}

/// A chained journal open for appending, locked while this value lives.
#[derive(Debug)]
pub struct ChainJournal<T> {
    file: File,
    path: PathBuf,
    entries: Vec<Chained<T>>,
    len: u64,
    kind: PhantomData<T>,
}

/// What reading a chained journal found.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainRead<T> {
    pub entries: Vec<Chained<T>>,
    /// A torn last line (a write cut short), not used.
    pub torn: Option<String>,
    /// Damage with sound lines after it: the line, and what is wrong. The
    /// entries before it are read; none after.
    pub damage: Option<(usize, String)>,
}

impl<T: Serialize + DeserializeOwned + Clone> ChainJournal<T> {
    /// Opens (creating if absent, with its folder) the journal at `path`
    /// for appending, locks it, and reads it. A torn last line is set
    /// aside in the quarantine file; damage before it is refused.
    pub fn open(path: &Path) -> Result<(ChainJournal<T>, Option<Quarantine>), StoreError> {
        if let Some(dir) = path.parent() {
            if let Some(root) = dir.parent().and_then(Path::parent) {
                ensure_root(root)?;
            }
            if let Some(assessment) = dir.parent() {
                ensure_dir(assessment)?;
            }
            ensure_dir(dir)?;
        }
        let (mut file, created) = open_no_follow(path, false)?;
        lock(&file, path)?;
        if created && let Some(dir) = path.parent() {
            sync_dir(dir)?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_error(path))?;
        let read = scan_chain::<T>(&bytes);
        let mut quarantined = None;
        match read.problem {
            None => {}
            Some((line, reason, true)) => {
                quarantined = Some(set_aside(&mut file, path, &bytes, read.good_len, line, reason)?);
            }
            Some((line, reason, false)) => {
                return Err(StoreError::Damaged {
                    path: path.to_path_buf(),
                    line,
                    reason,
                });
            }
        }
        let journal = ChainJournal {
            file,
            path: path.to_path_buf(),
            entries: read.entries,
            len: read.good_len as u64,
            kind: PhantomData,
        };
        Ok((journal, quarantined))
    }

    /// Appends `entry`, written at `time`, and makes it durable (write,
    /// then `sync_data`); only `Ok` means it is saved. A failed append is
    /// cut back off the file.
    pub fn append(&mut self, entry: T, time: DateTime<Utc>) -> Result<Chained<T>, StoreError> {
        let actual = self.file.metadata().map_err(io_error(&self.path))?.len();
        if actual != self.len {
            return Err(StoreError::Damaged {
                path: self.path.clone(),
                line: self.entries.len() + 1,
                reason: format!(
                    "the file is {actual} bytes long, but {} bytes were read and written here: something else \
                     changed it while it was open",
                    self.len
                ),
            });
        }
        let (seq, prev) = match self.entries.last() {
            Some(last) => (last.seq + 1, last.hash.clone()),
            None => (1, GENESIS.to_string()),
        };
        let mut line = Chained {
            seq,
            time,
            entry,
            prev,
            hash: String::new(),
        };
        let text = encode(&mut line).map_err(|reason| StoreError::Unwritable {
            path: self.path.clone(),
            reason,
        })?;
        if let Err(source) = self
            .file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data())
        {
            let _ = self.file.set_len(self.len).and_then(|()| self.file.sync_data());
            return Err(StoreError::Io {
                path: self.path.clone(),
                source,
            });
        }
        self.len += text.len() as u64;
        self.entries.push(line.clone());
        Ok(line)
    }

    /// Every entry, those read and those appended since.
    pub fn entries(&self) -> &[Chained<T>] {
        &self.entries
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads a chained journal without opening it for writing: every entry up
/// to the first that does not check, and what is wrong there.
pub fn read_chain<T: DeserializeOwned>(path: &Path) -> Result<ChainRead<T>, StoreError> {
    let meta = std::fs::metadata(path).map_err(io_error(path))?;
    if !meta.is_file() {
        return Err(StoreError::NotPlain {
            path: path.to_path_buf(),
            what: "not a journal file",
        });
    }
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    Ok(read_chain_bytes(&bytes))
}

/// [`read_chain`] on a chained journal's bytes already in memory (the exam
/// archive keeps them): exactly the same checks.
pub fn read_chain_bytes<T: DeserializeOwned>(bytes: &[u8]) -> ChainRead<T> {
    let read = scan_chain::<T>(bytes);
    let (torn, damage) = match read.problem {
        None => (None, None),
        Some((line, reason, true)) => (Some(format!("line {line}: {reason}")), None),
        Some((line, reason, false)) => (None, Some((line, reason))),
    };
    ChainRead {
        entries: read.entries,
        torn,
        damage,
    }
}

/// What [`read_chain`] checks (each line's hash, `seq`, `prev`), on a
/// chained journal's bytes already in memory, whatever its entries say:
/// (the length of the intact part, how many entries, a torn tail in words,
/// damage as (line, what is wrong)).
pub fn check_chain_bytes(bytes: &[u8]) -> (usize, usize, Option<String>, Option<(usize, String)>) {
    let read = scan_chain::<serde_json::Map<String, serde_json::Value>>(bytes);
    let (torn, damage) = match read.problem {
        None => (None, None),
        Some((line, reason, true)) => (Some(format!("line {line}: {reason}")), None),
        Some((line, reason, false)) => (None, Some((line, reason))),
    };
    (read.good_len, read.entries.len(), torn, damage)
}

/// The line for `chained`, ending in `\n`, with its hash filled in.
fn encode<T: Serialize + DeserializeOwned>(chained: &mut Chained<T>) -> Result<String, String> {
    let json = serde_json::to_string(&*chained).map_err(|e| e.to_string())?;
    let body = json
        .strip_suffix('}')
        .ok_or_else(|| "the entry did not serialise as a JSON object".to_string())?;
    let hash = blake3::hash(json.as_bytes()).to_hex().to_string();
    let line = format!("{body},\"hash\":\"{hash}\"}}\n");
    decode::<T>(line.as_bytes()).map_err(|e| format!("it would not read back: {e}"))?;
    chained.hash = hash;
    Ok(line)
}

/// One line read back, its own hash checked.
fn decode<T: DeserializeOwned>(line: &[u8]) -> Result<Chained<T>, String> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let at = find_hash_mark(line).ok_or("the line has no hash at its end")?;
    let tail = &line[at + HASH_MARK.len()..];
    if tail.len() != 66 || &tail[64..] != b"\"}" {
        return Err("the hash at its end is not 64 hex digits".into());
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update(&line[..at]);
    hasher.update(b"}");
    let computed = hasher.finalize().to_hex().to_string();
    if computed.as_bytes() != &tail[..64] {
        return Err("its bytes do not match its hash: the line was changed".into());
    }
    let mut body = line[..at].to_vec();
    body.push(b'}');
    let mut chained: Chained<T> = serde_json::from_slice(&body).map_err(|e| format!("not an entry: {e}"))?;
    chained.hash = computed;
    Ok(chained)
}

struct Scanned<T> {
    entries: Vec<Chained<T>>,
    good_len: usize,
    /// (line, what is wrong, whether it is a torn last line).
    problem: Option<(usize, String, bool)>,
}

fn scan_chain<T: DeserializeOwned>(bytes: &[u8]) -> Scanned<T> {
    let mut entries: Vec<Chained<T>> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let line_no = entries.len() + 1;
        let rest = &bytes[at..];
        let end = rest.iter().position(|&b| b == b'\n');
        let line = match end {
            Some(e) => &rest[..e],
            None => rest,
        };
        let checked = decode::<T>(line).and_then(|c| {
            let want_prev = entries.last().map_or(GENESIS, |l| l.hash.as_str());
            if c.seq != line_no as u64 {
                Err(format!("it is numbered {}, where {line_no} belongs", c.seq))
            } else if c.prev != want_prev {
                Err("it does not follow the line before it (prev)".into())
            } else {
                Ok(c)
            }
        });
        match (checked, end) {
            (Ok(c), Some(e)) => {
                entries.push(c);
                at += e + 1;
            }
            (result, _) => {
                let reason = match result {
                    Ok(_) => "the last line has no end (a write cut short)".to_string(),
                    Err(e) => e,
                };
                // Damage with sound lines after it is not a write cut short.
                let torn = end.is_none_or(|e| {
                    !rest[e + 1..]
                        .split(|&b| b == b'\n')
                        .any(|l| !l.is_empty() && decode::<T>(l).is_ok())
                });
                return Scanned {
                    entries,
                    good_len: at,
                    problem: Some((line_no, reason, torn)),
                };
            }
        }
    }
    Scanned {
        entries,
        good_len: at,
        problem: None,
    }
}
