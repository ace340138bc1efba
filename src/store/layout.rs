//! Where sheets live in a sessions folder, and the store that opens them:
//!
//! ```text
//! <root>/<assessment>/<examiner>@<device>/<candidate>/<station>.jsonl
//! <root>/<assessment>/<assessor>@<device>/moderation.jsonl
//! ```
//!
//! This is the one place that builds session paths and reads them back.

use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::error::*;
use super::files::*;
use super::journal::*;
use super::line::*;
use super::record::{Event, SheetKey};
use super::replay::*;
use crate::base::ids::check_id;

/// The folder of one examiner (or assessor) on one device:
/// `<examiner>@<device>`.
pub fn who_folder(examiner: &str, device: &str) -> String {
    format!("{examiner}@{device}")
}

/// `(examiner, device)` from a folder's name `<examiner>@<device>`, if it
/// is one (both parts plain ids).
pub fn parse_who(name: &str) -> Option<(&str, &str)> {
    let (examiner, device) = name.split_once('@')?;
    (check_id(examiner).is_ok() && check_id(device).is_ok()).then_some((examiner, device))
}

/// The sessions folder a journal lies in: four folders up from a sheet's
/// journal (`<root>/<assessment>/<who>/<candidate>/<station>.jsonl`), three
/// from a moderation journal (`<root>/<assessment>/<who>/moderation.jsonl`).
pub fn sessions_root(journal: &Path) -> Option<&Path> {
    let moderation = journal.file_name().is_some_and(|n| n == MODERATION_FILE);
    journal.ancestors().nth(if moderation { 3 } else { 4 })
}

/// The extension of a journal file.
pub const JOURNAL_EXTENSION: &str = "jsonl";

/// What is added to a journal's file name to name its quarantine file.
pub const QUARANTINE_SUFFIX: &str = ".quarantine";

/// An exam lead's decisions journal, in their `<lead>@<device>` folder.
pub const DECISIONS_FILE: &str = "decisions.jsonl";

/// An assessor's moderation journal, in their `<assessor>@<device>` folder.
pub const MODERATION_FILE: &str = "moderation.jsonl";

/// The key every record of an assessor's moderation journal carries: no
/// station, no candidate; the assessor in `examiner`.
pub fn moderation_key(assessment: &str, assessor: &str, device: &str) -> SheetKey {
    SheetKey {
        assessment: assessment.to_string(),
        station: String::new(),
        candidate: String::new(),
        examiner: assessor.to_string(),
        device: device.to_string(),
    }
}

// ---------------------------------------------------------------------------
// The store

/// The sessions folder, holding every journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub(super) root: PathBuf,
    /// [`Store::sheets`] and [`Store::cell_sheets`] also list renamed
    /// copies of journals ([`journal_station`]).
    renamed_copies: bool,
}

pub(super) fn check(what: &'static str, id: &str) -> Result<(), StoreError> {
    check_id(id).map_err(|reason| StoreError::BadId {
        what,
        id: id.to_string(),
        reason,
    })
}

pub(super) fn check_key(key: &SheetKey) -> Result<(), StoreError> {
    check("assessment", &key.assessment)?;
    check("examiner", &key.examiner)?;
    check("device", &key.device)?;
    check("candidate", &key.candidate)?;
    check("station", &key.station)
}

impl Store {
    /// A store rooted at `root`. Nothing is touched until a sheet is opened.
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store {
            root: root.into(),
            renamed_copies: false,
        }
    }

    /// The same store, listing sheets with the copies of journals that a
    /// sync client (or a person) renamed beside them
    /// ([`journal_station`]): each is listed under the key of the journal
    /// it is a copy of, so that whoever reads every copy of a sheet reads
    /// it too. For reading a collected folder only: the marking screen
    /// never opens one.
    pub fn with_renamed_copies(self) -> Store {
        Store {
            renamed_copies: true,
            ..self
        }
    }

    /// A folder's `name`, as the id it stands for: with renamed copies
    /// listed, a folder copied beside one of the same name
    /// (`SIM00002 (1)`, [`unrenamed`]) stands for that one.
    fn unrenamed<'n>(&self, name: &'n str) -> &'n str {
        if self.renamed_copies {
            unrenamed(name).0
        } else {
            name
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<assessment>/<examiner>@<device>/<candidate>/<station>.jsonl`,
    /// after checking every id in `key`.
    pub fn sheet_path(&self, key: &SheetKey) -> Result<PathBuf, StoreError> {
        check_key(key)?;
        Ok(self
            .root
            .join(&key.assessment)
            .join(who_folder(&key.examiner, &key.device))
            .join(&key.candidate)
            .join(format!("{}.{JOURNAL_EXTENSION}", key.station)))
    }

    /// Another candidate id of the assessment, in any examiner's folder on
    /// this store, that differs from `key`'s only in capitals (`Zoë-01`
    /// beside `ZOË-01`): on Windows and macOS the two are one folder, and
    /// a person reading a list takes them for one candidate. `None` when
    /// there is none (or the folders cannot be listed).
    pub fn same_but_for_case(&self, key: &SheetKey) -> Option<String> {
        let folded = key.candidate.to_lowercase();
        let examiners = std::fs::read_dir(self.root.join(&key.assessment)).ok()?;
        examiners
            .flatten()
            .filter_map(|e| std::fs::read_dir(e.path()).ok())
            .flat_map(|candidates| candidates.flatten())
            .filter_map(|c| c.file_name().into_string().ok())
            .find(|name| *name != key.candidate && name.to_lowercase() == folded)
    }

    /// An examiner id of the assessment in this store that differs from
    /// `examiner` only in capitals (`e01` typed where `E01` has marked, a
    /// caps-lock slip): the two would be two examiners, and a sheet marked
    /// under the slip a second marker's, or a conflict. `None` when there is
    /// none (or the folders cannot be listed).
    pub fn examiner_but_for_case(&self, assessment: &str, examiner: &str) -> Option<String> {
        let folded = examiner.to_lowercase();
        let folders = std::fs::read_dir(self.root.join(assessment)).ok()?;
        // A folder with something recorded in it: one made for a sheet
        // only opened and left holds no marker.
        fn holds(folder: &Path, depth: usize) -> bool {
            std::fs::read_dir(folder).is_ok_and(|entries| {
                entries.flatten().any(|e| match e.metadata() {
                    Ok(m) if m.is_file() => m.len() > 0,
                    Ok(m) if m.is_dir() && depth > 0 => holds(&e.path(), depth - 1),
                    _ => false,
                })
            })
        }
        folders
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let who = parse_who(&name).map(|(who, _)| who.to_string())?;
                (who != examiner && who.to_lowercase() == folded && holds(&e.path(), 1)).then_some(who)
            })
            .next()
    }

    /// The same examiner's folders under other devices' names in this
    /// store (a laptop swapped for a spare, its folder copied over):
    /// (device, folder). Empty when there are none, or the folders cannot
    /// be listed.
    pub fn other_devices(&self, assessment: &str, examiner: &str, device: &str) -> Vec<(String, PathBuf)> {
        let Ok(folders) = std::fs::read_dir(self.root.join(assessment)) else {
            return Vec::new();
        };
        let mut found: Vec<(String, PathBuf)> = folders
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let (who, on) = parse_who(&name)?;
                (who == examiner && on != device).then(|| (on.to_string(), e.path()))
            })
            .collect();
        found.sort();
        found
    }

    /// Of `others` ([`Store::other_devices`] for `key`'s examiner), the
    /// journal of `key`'s sheet that holds something, the one written to
    /// last where several do: (that device, the journal's path). An empty
    /// journal (a sheet only opened, on a laptop that died before closing
    /// it) is not a sheet begun there.
    pub fn on_other_device(&self, key: &SheetKey, others: &[(String, PathBuf)]) -> Option<(String, PathBuf)> {
        others
            .iter()
            .filter_map(|(device, folder)| {
                let journal = folder
                    .join(&key.candidate)
                    .join(format!("{}.{JOURNAL_EXTENSION}", key.station));
                let meta = std::fs::symlink_metadata(&journal).ok()?;
                (meta.is_file() && meta.len() > 0).then(|| (meta.modified().ok(), device.clone(), journal))
            })
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, device, journal)| (device, journal))
    }

    /// Opens the sheet's journal for writing, creating it (and its folders)
    /// if absent, and replays what it holds.
    ///
    /// The journal stays locked until the [`Journal`] is dropped; a second
    /// opening, from this process or another, gets [`StoreError::Locked`].
    /// Refused, with nothing changed: a journal for another sheet
    /// ([`StoreError::WrongSheet`]), made against another rubric
    /// ([`StoreError::RubricChanged`]), or damaged in the middle
    /// ([`StoreError::Damaged`]). A torn tail is moved to the quarantine
    /// file and reported in [`Replay::quarantined`].
    pub fn open_sheet(&self, key: &SheetKey, rubric_hash: &str) -> Result<(Journal, Replay), StoreError> {
        let path = self.sheet_path(key)?;
        self.open_journal(path, 3, key, rubric_hash)
    }

    /// `<root>/<assessment>/<assessor>@<device>/moderation.jsonl`: an
    /// external assessor's moderation journal, after checking the ids.
    pub fn moderation_path(
        &self,
        assessment: &str,
        assessor: &str,
        device: &str,
    ) -> Result<PathBuf, StoreError> {
        check("assessment", assessment)?;
        check("assessor", assessor)?;
        check("device", device)?;
        Ok(self
            .root
            .join(assessment)
            .join(who_folder(assessor, device))
            .join(MODERATION_FILE))
    }

    /// Opens an assessor's moderation journal for writing, as
    /// [`Store::open_sheet`] opens a sheet's: created if absent, locked,
    /// replayed, a torn tail quarantined. Its records carry no station or
    /// candidate ([`moderation_key`]).
    pub fn open_moderation(
        &self,
        assessment: &str,
        assessor: &str,
        device: &str,
        rubric_hash: &str,
    ) -> Result<(Journal, Replay), StoreError> {
        let path = self.moderation_path(assessment, assessor, device)?;
        self.open_journal(
            path,
            2,
            &moderation_key(assessment, assessor, device),
            rubric_hash,
        )
    }

    /// Starts the journal at `path` (in this folder: a moderation or
    /// decisions journal, as [`Store::moderation_path`] or
    /// [`Store::decisions_path`] name it) as a copy of `lines` (complete
    /// lines of the same journal found elsewhere: an archive, another
    /// folder), so that what is recorded now follows what was recorded
    /// there and the journal grows rather than starting a second history.
    /// Written whole under a temporary name, synced and then linked into
    /// place, so the journal is either absent or the whole copy; one
    /// already there is never replaced.
    pub fn start_journal_from(&self, path: &Path, lines: &[u8]) -> Result<(), StoreError> {
        ensure_root(&self.root)?;
        let mut dirs: Vec<&Path> = path.ancestors().skip(1).take(2).collect();
        dirs.reverse();
        for dir in &dirs {
            ensure_dir(dir)?;
        }
        let parent = path.parent().unwrap_or(&self.root).to_path_buf();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("journal");
        let temp = parent.join(format!(".{name}.copy-{}", std::process::id()));
        let written = (|| {
            let _ = fs::remove_file(&temp);
            let (mut file, _) = open_no_follow(&temp, true)?;
            file.write_all(lines).map_err(io_error(&temp))?;
            file.sync_data().map_err(io_error(&temp))?;
            fs::hard_link(&temp, path).map_err(io_error(path))?;
            sync_dir(&parent)
        })();
        let _ = fs::remove_file(&temp);
        written
    }

    /// Every moderation journal of an assessment: (assessor, device, path),
    /// sorted. Like [`Store::sheets`], lists only what osce could have
    /// written.
    pub fn moderation_journals(
        &self,
        assessment: &str,
    ) -> Result<Vec<(String, String, PathBuf)>, StoreError> {
        self.journals_named(assessment, MODERATION_FILE)
    }

    /// Every exam lead's decisions journal of an assessment:
    /// `<root>/<assessment>/<lead>@<device>/decisions.jsonl`, as (lead,
    /// device, path), sorted.
    pub fn decision_journals(&self, assessment: &str) -> Result<Vec<(String, String, PathBuf)>, StoreError> {
        self.journals_named(assessment, DECISIONS_FILE)
    }

    /// `<lead>@<device>/decisions.jsonl`: an exam lead's decisions journal,
    /// after checking the ids.
    pub fn decisions_path(&self, assessment: &str, lead: &str, device: &str) -> Result<PathBuf, StoreError> {
        check("assessment", assessment)?;
        check("decided by", lead)?;
        check("device", device)?;
        Ok(self
            .root
            .join(assessment)
            .join(who_folder(lead, device))
            .join(DECISIONS_FILE))
    }

    fn journals_named(
        &self,
        assessment: &str,
        file: &str,
    ) -> Result<Vec<(String, String, PathBuf)>, StoreError> {
        check("assessment", assessment)?;
        let mut found = Vec::new();
        for (who, who_dir) in subfolders(&self.root.join(assessment))? {
            let Some((assessor, device)) = parse_who(self.unrenamed(&who)) else {
                continue;
            };
            if self.renamed_copies {
                // The journal and its copies renamed beside it.
                let stem = file
                    .strip_suffix(&format!(".{JOURNAL_EXTENSION}"))
                    .unwrap_or(file);
                for (name, path) in entries(&who_dir, false)? {
                    if journal_station(&name).is_some_and(|(s, _)| s == stem)
                        && fs::metadata(&path).is_ok_and(|m| m.is_file())
                    {
                        found.push((assessor.to_string(), device.to_string(), path));
                    }
                }
                continue;
            }
            let path = who_dir.join(file);
            if fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                found.push((assessor.to_string(), device.to_string(), path));
            }
        }
        found.sort();
        Ok(found)
    }

    /// Writes a whole new sheet at once, for `osce simulate`: each record
    /// encoded and chained exactly as [`Journal::append`] does, in one write.
    /// With `sync`, the file and its folder are fsynced once at the end
    /// (not after every record). Refuses a sheet that already exists.
    pub fn write_new_sheet(
        &self,
        key: &SheetKey,
        rubric_hash: &str,
        events: Vec<(Event, DateTime<Utc>)>,
        sync: bool,
    ) -> Result<PathBuf, StoreError> {
        let path = self.sheet_path(key)?;
        ensure_root(&self.root)?;
        let mut dirs: Vec<&Path> = path.ancestors().skip(1).take(3).collect();
        dirs.reverse();
        for dir in &dirs {
            ensure_dir(dir)?;
        }
        let (mut file, created) = open_no_follow(&path, true)?;
        if !created {
            return Err(StoreError::Io {
                path,
                source: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the sheet already exists; nothing was written",
                ),
            });
        }
        let text = encode_journal(key, rubric_hash, events).map_err(|e| StoreError::Unwritable {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        file.write_all(text.as_bytes()).map_err(io_error(&path))?;
        if sync {
            file.sync_data().map_err(io_error(&path))?;
            if let Some(parent) = path.parent() {
                sync_dir(parent)?;
            }
        }
        Ok(path)
    }

    /// Opens (creating it and the `levels` folders above it where absent)
    /// the journal at `path`, locks it and replays it against `key`.
    pub(super) fn open_journal(
        &self,
        path: PathBuf,
        levels: usize,
        key: &SheetKey,
        rubric_hash: &str,
    ) -> Result<(Journal, Replay), StoreError> {
        ensure_root(&self.root)?;
        let mut dirs: Vec<&Path> = path.ancestors().skip(1).take(levels).collect();
        dirs.reverse();
        for dir in &dirs {
            ensure_dir(dir)?;
        }
        let parent = path.parent().unwrap_or(&self.root).to_path_buf();

        // An exclusive flock, held for the journal's lifetime, on the file
        // that is at `path` once locked: a journal opened and never written
        // to is removed when closed (under its lock), so a file locked
        // after its holder removed it is opened again, not written to.
        let (mut file, created) = {
            let mut tries = 0;
            loop {
                let (file, created) = open_no_follow(&path, false)?;
                lock(&file, &path)?;
                let same = match (fs::symlink_metadata(&path), file.metadata()) {
                    (Ok(there), Ok(ours)) => there.ino() == ours.ino() && there.dev() == ours.dev(),
                    _ => false,
                };
                tries += 1;
                if same {
                    break (file, created);
                }
                // Never a file no folder holds; a file system whose inode
                // numbers are not stable is taken as it is, after a few
                // tries.
                if file.metadata().map_err(io_error(&path))?.nlink() == 0 {
                    if tries >= 5 {
                        return Err(removed(&path));
                    }
                    continue;
                }
                if tries >= 5 {
                    break (file, created);
                }
            }
        };
        if created {
            sync_dir(&parent)?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_error(&path))?;

        let mut records = Vec::new();
        let scan = scan(&bytes, Expect::given(key, rubric_hash), |record| {
            records.push(record.into_owned())
        });
        let mut quarantined = None;
        match scan.problem {
            None => {}
            Some(Problem { line, kind, reason }) => match kind {
                ProblemKind::TornTail => {
                    quarantined = Some(set_aside(&mut file, &path, &bytes, scan.good_len, line, reason)?);
                }
                ProblemKind::Damaged => return Err(StoreError::Damaged { path, line, reason }),
                ProblemKind::WrongKey => return Err(StoreError::WrongSheet { path, reason }),
                ProblemKind::WrongRubric(found) => {
                    return Err(StoreError::RubricChanged {
                        path,
                        expected: rubric_hash.to_string(),
                        found,
                    });
                }
            },
        }
        let journal = Journal {
            file,
            path,
            key: key.clone(),
            rubric: rubric_hash.to_string(),
            records: records.clone(),
            len: scan.good_len as u64,
            unsure: false,
            made_empty: created,
        };
        Ok((
            journal,
            Replay {
                records,
                quarantined,
                damage: None,
            },
        ))
    }

    /// Every journal of an assessment, sorted by sheet (station, candidate,
    /// examiner, device). Lists only what osce could have written: folders
    /// and files whose names are valid ids in the layout; quarantine files
    /// and anything else are left out. A missing root or assessment folder
    /// gives an empty list. Symbolic links are followed here (reading only).
    pub fn sheets(&self, assessment: &str) -> Result<Vec<(SheetKey, PathBuf)>, StoreError> {
        check("assessment", assessment)?;
        // Every candidate folder first, in the order a walk meets them (up
        // to the first folder that cannot be listed); then their files, on
        // every core, since a cohort has a folder for each candidate of
        // each examiner. The first error in walking order is the one given.
        let mut folders = Vec::new();
        'walk: for (who, who_dir) in subfolders(&self.root.join(assessment))? {
            let Some((examiner, device)) = parse_who(self.unrenamed(&who)) else {
                continue;
            };
            let candidates = match subfolders(&who_dir) {
                Ok(candidates) => candidates,
                Err(e) => {
                    folders.push(Err(e));
                    break 'walk;
                }
            };
            for (candidate, candidate_dir) in candidates {
                // A folder name written decomposed (as some Mac disks
                // store names) is the same candidate as the composed id
                // the records hold.
                let candidate = crate::base::ids::composed(self.unrenamed(&candidate));
                if check_id(&candidate).is_err() {
                    continue;
                }
                let key = SheetKey {
                    assessment: assessment.to_string(),
                    station: String::new(),
                    candidate,
                    examiner: examiner.to_string(),
                    device: device.to_string(),
                };
                folders.push(Ok((key, candidate_dir)));
            }
        }
        let listed = crate::base::threads::map(folders, 256, |folder| {
            let (key, dir) = folder?;
            journals_in(key, &dir, self.renamed_copies)
        });
        let mut found = Vec::new();
        for journals in listed {
            found.extend(journals?);
        }
        found.sort();
        Ok(found)
    }
}

impl Store {
    /// The journals of one candidate at one station, every examiner's and
    /// device's, as [`Store::sheets`] would list them (sorted), reading only
    /// those files.
    pub fn cell_sheets(
        &self,
        assessment: &str,
        candidate: &str,
        station: &str,
    ) -> Result<Vec<(SheetKey, PathBuf)>, StoreError> {
        check("assessment", assessment)?;
        check("candidate", candidate)?;
        check("station", station)?;
        let mut found = Vec::new();
        for (who, who_dir) in subfolders(&self.root.join(assessment))? {
            let Some((examiner, device)) = parse_who(self.unrenamed(&who)) else {
                continue;
            };
            let key = SheetKey {
                assessment: assessment.to_string(),
                station: String::new(),
                candidate: candidate.to_string(),
                examiner: examiner.to_string(),
                device: device.to_string(),
            };
            if self.renamed_copies {
                // The candidate's folder and any copy of it renamed beside it.
                for (name, dir) in subfolders(&who_dir)? {
                    if crate::base::ids::composed(unrenamed(&name).0) == candidate {
                        let journals = journals_in(key.clone(), &dir, true)?;
                        found.extend(journals.into_iter().filter(|(k, _)| k.station == station));
                    }
                }
                continue;
            }
            let path = who_dir
                .join(candidate)
                .join(format!("{station}.{JOURNAL_EXTENSION}"));
            if path.is_file() {
                let key = SheetKey {
                    station: station.to_string(),
                    ..key
                };
                found.push((key, path));
            }
        }
        found.sort();
        Ok(found)
    }
}

/// The journals in one candidate's folder `dir`, whose sheets are `key`
/// with each file's station; with `renamed`, renamed copies too
/// ([`journal_station`]).
pub(super) fn journals_in(
    key: SheetKey,
    dir: &Path,
    renamed: bool,
) -> Result<Vec<(SheetKey, PathBuf)>, StoreError> {
    let mut found = Vec::new();
    for (name, path) in entries(dir, false)? {
        let Some((station, copy)) = journal_station(&name) else {
            continue;
        };
        if copy && !renamed {
            continue;
        }
        let key = SheetKey {
            station: station.to_string(),
            ..key.clone()
        };
        found.push((key, path));
    }
    Ok(found)
}

/// The station whose journal a file named `name` in a candidate's folder
/// is, and whether it is a renamed copy of that journal. A journal is
/// `<station>.jsonl`; a copy renamed is what sync clients and file
/// managers make of a file beside one of the same name: `<station>
/// (Ann's conflicted copy 2026-06-01).jsonl`, `<station> (1).jsonl`,
/// `<station> 2.jsonl`, `<station> - Copy.jsonl` (the station, then a space
/// or a bracket and anything), and `<station>.sync-conflict-20260601-101010-ABCDEFG.jsonl`.
/// Nothing else is a journal (quarantine files among them).
pub fn journal_station(name: &str) -> Option<(&str, bool)> {
    renamed_id(name.strip_suffix(JOURNAL_EXTENSION)?.strip_suffix('.')?)
}

/// `name` as an id, and whether it is one renamed by a copy ([`unrenamed`]).
fn renamed_id(name: &str) -> Option<(&str, bool)> {
    let (id, renamed) = unrenamed(name);
    check_id(id).is_ok().then_some((id, renamed))
}

/// `name` without what copying it beside another of the same name added,
/// and whether anything was: a space or a bracket and anything after it
/// (`SIM00002 (1)`, `e.jones@laptop-a - Copy`, `upper-limb (Ann's
/// conflicted copy 2026-06-01)`), or `.sync-conflict-` and anything
/// (renamed again or not: `upper-limb (1).sync-conflict-…`). Ids have no
/// spaces or brackets, so nothing osce names is cut.
pub fn unrenamed(name: &str) -> (&str, bool) {
    const SYNCTHING: &str = ".sync-conflict-";
    let cut = name
        .find(SYNCTHING)
        .into_iter()
        .chain(name.find([' ', '(', '\u{a0}']))
        .min();
    match cut {
        Some(cut) => (name[..cut].trim_end_matches([' ', '\u{a0}']), true),
        None => (name, false),
    }
}

/// Whether the file at `path` is a journal's copy renamed beside it
/// ([`journal_station`]), or lies in a candidate's or examiner's folder
/// copied beside one of the same name ([`unrenamed`]).
pub fn is_renamed_copy(path: &Path) -> bool {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(journal_station)
        .is_some_and(|(_, copy)| copy);
    file || path
        .ancestors()
        .skip(1)
        .take(2)
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
        .any(|n| unrenamed(n).1)
}

/// The named sub-folders (or, with `dirs == false`, plain files) of `dir`,
/// following links; nothing if `dir` does not exist. Names that are not
/// UTF-8 are skipped (no id can produce them).
pub(super) fn entries(dir: &Path, dirs: bool) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(StoreError::Unlisted {
                path: dir.to_path_buf(),
                source: e,
            });
        }
    };
    let mut out = Vec::new();
    for entry in read {
        let entry = entry.map_err(|source| StoreError::Unlisted {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        // The folder listing gives each entry's type: only a link needs a
        // `stat` to see what it leads to (a cohort has tens of thousands
        // of folders and files).
        let kind = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => fs::metadata(&path).map(|meta| meta.file_type()),
            other => other,
        };
        let kind = match kind {
            Ok(kind) => kind,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue, // removed meanwhile, or a dangling link
            Err(e) => return Err(StoreError::Io { path, source: e }),
        };
        // Files: anything that is not a folder, so that a journal replaced
        // by something else (a pipe, a device) is reported, not passed
        // over as missing; reading it is refused before it is opened.
        if ((dirs && kind.is_dir()) || (!dirs && !kind.is_dir()))
            && let Ok(name) = entry.file_name().into_string()
        {
            out.push((name, path));
        }
    }
    Ok(out)
}

pub(super) fn subfolders(dir: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    entries(dir, true)
}

/// The assessments whose folders the sessions folders `folders` hold
/// (sorted, each once): what is there when a rubric's assessment is not.
pub fn assessments_in(folders: &[PathBuf]) -> Vec<String> {
    let mut found: Vec<String> = folders
        .iter()
        .filter_map(|f| fs::read_dir(f).ok())
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        // An assessment's folder holds examiners' folders
        // (`EXAMINER@DEVICE`): not a folder of another kind, a laptop's
        // or an assessor's, named in place of the sessions folder.
        .filter(|e| {
            fs::read_dir(e.path()).into_iter().flatten().flatten().any(|x| {
                x.file_name().to_str().is_some_and(|n| n.contains('@'))
                    && x.file_type().is_ok_and(|t| t.is_dir())
            })
        })
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| crate::base::ids::check_id(name).is_ok())
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::journal_station;

    #[test]
    fn renamed_copies_are_known_by_the_station_they_start_with() {
        let names = [
            ("upper-limb.jsonl", Some(("upper-limb", false))),
            (
                "upper-limb (Ann's conflicted copy 2026-06-01).jsonl",
                Some(("upper-limb", true)),
            ),
            ("upper-limb (1).jsonl", Some(("upper-limb", true))),
            ("upper-limb 2.jsonl", Some(("upper-limb", true))),
            ("upper-limb - Copy.jsonl", Some(("upper-limb", true))),
            (
                "upper-limb.sync-conflict-20260601-101010-ABCDEFG.jsonl",
                Some(("upper-limb", true)),
            ),
            (
                "upper-limb (1).sync-conflict-20260601-101010-ABCDEFG.jsonl",
                Some(("upper-limb", true)),
            ),
            ("upper-limb.jsonl.quarantine", None),
            ("(1).jsonl", None),
            ("upper-limb (1).jsonl.quarantine", None),
            (" upper-limb.jsonl", None),
            ("notes.txt", None),
            (".jsonl", None),
            ("jsonl", None),
        ];
        for (name, station) in names {
            assert_eq!(journal_station(name), station, "{name}");
        }
    }
}
