//! Every sheet of one assessment, gathered from one or more session
//! folders (one per examiner laptop), and what state each candidate ×
//! station is in.
//!
//! Gathering is deterministic: the same folders give the same cohort in the
//! same order, whatever order they are named in. Nothing is settled by
//! which device's clock was later: two devices holding the same examiner's
//! sheet for the same candidate and station is a conflict to resolve.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::day::roster::Roster;
use crate::rubric::{DoubleMarkingMode, Rubric};
use chrono::{DateTime, Utc};

use crate::results::archive::Stored;
use crate::results::decisions::Settled;
use crate::results::source::{Listed, NamedAgain, Sheets, Source};
use crate::scoring::{Standards, score_station};
use crate::store::{Damage, Event, Quarantine, RecordRef, SheetKey, SheetState, StoreError, is_renamed_copy};

/// One journal as found on disk: the state its records replay to, and the
/// little more of the records that export needs. The records themselves
/// are not kept: at 5,000 candidates × 16 stations they would take well
/// over a gigabyte.
#[derive(Debug, Clone)]
pub struct FoundSheet {
    pub key: SheetKey,
    pub path: PathBuf,
    /// Boxed: moved, not copied, as the cohort is put together.
    pub state: Box<SheetState>,
    /// The seq and time of every mark and global-rating record, in order.
    pub mark_times: Vec<(u64, DateTime<Utc>)>,
    /// The hash of its last record: which history of the sheet this is (a
    /// decision names the sheet it was taken on by it).
    pub last_hash: String,
}

impl FoundSheet {
    /// When the mark or global rating in record `seq` was made.
    pub fn mark_time(&self, seq: u64) -> Option<DateTime<Utc>> {
        let i = self.mark_times.binary_search_by_key(&seq, |&(s, _)| s).ok()?;
        Some(self.mark_times[i].1)
    }
}

/// Something wrong with a journal that the exam lead must know about.
#[derive(Debug, Clone, PartialEq)]
pub enum CohortProblem {
    /// The end of the journal is torn (a crash mid-write); the intact
    /// records before it are used.
    /// `archived`: read from an archive, where it is a copy that was cut
    /// short or still arriving when collected.
    TornTail {
        path: PathBuf,
        quarantine: Quarantine,
        archived: bool,
    },
    /// For a station the rubric does not have: not used.
    /// `copy_of`: the rubric's station whose id, then `-`, the name
    /// starts with (`lower-limb-LAPTOP07`: a copy OneDrive renamed, most
    /// likely).
    UnknownStation {
        path: PathBuf,
        station: String,
        copy_of: Option<String>,
    },
}

impl fmt::Display for CohortProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CohortProblem::TornTail {
                path,
                quarantine: q,
                archived: false,
            } if crate::store::is_renamed_copy(path) => write!(
                f,
                "{}: a copy renamed beside the journal (a sync client's, most likely) whose end, from line {} ({} \
                 bytes), cannot be read ({}): a copy cut short or still arriving. Its complete lines are used; \
                 copy it again from the laptop. It is not a journal osce opens: nothing sets its end aside",
                path.display(),
                q.first_bad_line,
                q.bytes,
                q.reason
            ),
            CohortProblem::TornTail {
                path,
                quarantine,
                archived: false,
            } => write!(
                f,
                "{}: {quarantine}. If this folder is a copy (a stick, a synced folder), it may be one cut short or \
                 still arriving: copy it again from the laptop",
                path.display()
            ),
            CohortProblem::TornTail {
                path,
                quarantine: q,
                archived: true,
            } => write!(
                f,
                "{}: the end of the copy collected, from line {} ({} bytes), cannot be read ({}): the copy was cut \
                 short or still arriving. Its complete lines are used; collect the laptop's folder again to take the rest (should \
                 the laptop's own journal end so, a write cut short by a crash, open the sheet there in osce, which \
                 sets it aside, and check the sheet's last marks with the examiner)",
                path.display(),
                q.first_bad_line,
                q.bytes,
                q.reason
            ),
            CohortProblem::UnknownStation {
                path,
                station,
                copy_of: None,
            } => {
                write!(
                    f,
                    "{}: station \"{station}\" is not in this rubric; not used",
                    path.display()
                )
            }
            CohortProblem::UnknownStation {
                path,
                station,
                copy_of: Some(of),
            } => {
                let added = station.get(of.len() + 1..).unwrap_or("");
                write!(
                    f,
                    "{}: station \"{station}\" is not in this rubric; not used. If it is a copy of {of}.jsonl that a \
                     sync client renamed (OneDrive adds the computer's name), rename it to \"{of} ({added}).jsonl\": \
                     it is then read as a copy of that sheet, beside the journal, never over it",
                    path.display()
                )
            }
        }
    }
}

/// A journal that cannot be used as it is: its cell is a problem until
/// someone looks at it, and no result there is final.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemSheet {
    /// Where the journal lies (its folder names the candidate, station,
    /// examiner and device).
    pub key: SheetKey,
    pub path: PathBuf,
    /// What is wrong and what to do, in words.
    pub why: String,
    /// BLAKE3 of the file's bytes (empty where it cannot be read): a
    /// decision to void it names it by this.
    pub fingerprint: String,
}

/// A journal seen again: the same sheet in another folder (a copy of a
/// laptop's folder, a folder named twice), identical or an older copy.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetCopy {
    pub key: SheetKey,
    /// The journal that is used.
    pub used: PathBuf,
    /// The other copy, not read again.
    pub copy: PathBuf,
    /// Identical to the one used; otherwise an older copy (every record of
    /// it is in the one used, which has more).
    pub identical: bool,
}

/// All sheets of one assessment.
#[derive(Debug, Clone, Default)]
pub struct Cohort {
    /// Sorted by key, then path: one for each history of a sheet, however
    /// often it was seen.
    pub sheets: Vec<FoundSheet>,
    pub problems: Vec<CohortProblem>,
    /// Journals that cannot be used as they are.
    pub problem_sheets: Vec<ProblemSheet>,
    /// Every journal seen again, and which copy is used.
    pub copies: Vec<SheetCopy>,
    /// Sessions folders named more than once (an alias, a link): read once.
    pub same_folders: Vec<(PathBuf, PathBuf)>,
    /// Journals marked against another version of the rubric, by that
    /// version's identity: not used.
    pub other_versions: BTreeMap<String, Vec<PathBuf>>,
    /// The same journals, each with the sheet its folder names and its
    /// BLAKE3: a decision to void one (a sheet marked against a wrong copy
    /// of the rubric, and marked again) names it so.
    pub other_version_sheets: Vec<ProblemSheet>,
    /// From an archive: the copies in the laptops' folders its collects
    /// refused (the archive keeps what it had), until a collect of their
    /// folder no longer does.
    pub refused: Vec<crate::results::archive::RefusedCopy>,
}

impl Cohort {
    /// How many journals were marked against another version of the rubric.
    pub fn other_version_count(&self) -> usize {
        self.other_versions.values().map(Vec::len).sum()
    }

    /// The sheets marked against another version, in words, or `None`.
    pub fn other_versions_words(&self, rubric: &Rubric) -> Option<String> {
        if self.other_versions.is_empty() {
            return None;
        }
        let n = self.other_version_count();
        let versions: Vec<String> = self
            .other_versions
            .iter()
            .map(|(hash, paths)| {
                let sheets = format!(
                    "{} {} marked against identity {}",
                    paths.len(),
                    if paths.len() == 1 { "sheet" } else { "sheets" },
                    short_hash(hash)
                );
                if !rubric.counted_versions.contains_key(hash) {
                    return sheets;
                }
                // Counted by decision where the two versions mark alike:
                // what is left is at the stations they mark otherwise.
                let stations: std::collections::BTreeSet<&str> = paths
                    .iter()
                    .filter_map(|p| p.file_stem()?.to_str())
                    .collect();
                let stations: Vec<&str> = stations.into_iter().collect();
                format!(
                    "{sheets} at {} {}, which the exam lead's decision (osce decide rubric-version) does not count, \
                     the two versions marking {} otherwise",
                    if stations.len() == 1 { "station" } else { "stations" },
                    stations.join(", "),
                    if stations.len() == 1 { "it" } else { "them" }
                )
            })
            .collect();
        let counted = self
            .other_versions
            .keys()
            .all(|hash| rubric.counted_versions.contains_key(hash));
        Some(format!(
            "{n} {} marked against another version of this rubric (a file whose content differs from this one's \
             in anything but line endings, spacing and comments: a word, a mark, a rule, even a comma or the order \
             of fields), not used: {}. {}",
            if n == 1 { "sheet was" } else { "sheets were" },
            versions.join("; "),
            if counted {
                "Each is marked again against this rubric, and the sheet of the other version set aside with \
                 osce decide void"
            } else {
                "Name the rubric file the exam was marked with (`osce check --identity FILE` prints a file's \
                 identity); a sheet marked against a wrong copy of the rubric and marked again is set aside with \
                 osce decide void; sheets of a copy whose words alone were corrected (an item's text, say) count by \
                 osce decide rubric-version"
            }
        ))
    }
}

/// The first 12 hex digits of a hash: enough to tell versions apart.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Reads every journal of `rubric`'s assessment in `folders`.
///
/// A sheet is one history, however often it is seen: identical journals,
/// and an older copy whose records are all in a newer one, are one sheet
/// (the longest), from any number of folders; two different histories of
/// one sheet are both kept, for the matrix to call a conflict. Journals
/// marked against another rubric version, and journals that cannot be
/// trusted as they are (records naming another sheet than their place,
/// changes after submission with no amendment, a submitted score its marks
/// do not give, marks the rubric cannot have, damage), are set apart.
/// The journals are read on every core; the cohort is the same, in the
/// same order, as if read one by one.
pub fn gather(rubric: &Rubric, rubric_hash: &str, folders: &[PathBuf]) -> Result<Cohort, StoreError> {
    gather_from(rubric, rubric_hash, Source::Folders(folders), Sheets::All)
}

/// [`gather`] for one candidate at one station: only that cell's journals
/// are read, and judged as every command judges them.
pub fn gather_cell(
    rubric: &Rubric,
    rubric_hash: &str,
    folders: &[PathBuf],
    candidate: &str,
    station: &str,
) -> Result<Cohort, StoreError> {
    gather_from(
        rubric,
        rubric_hash,
        Source::Folders(folders),
        Sheets::Cell { candidate, station },
    )
}

/// What of each sheet a command reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// All of it.
    Whole,
    /// All but the time of each mark ([`FoundSheet::mark_times`] left
    /// empty), which only the export of items gives: the rest is read
    /// faster, and the cohort held in less memory.
    WithoutMarkTimes,
}

/// [`gather`] (or [`gather_cell`]) from the folders or the archive.
pub fn gather_from(
    rubric: &Rubric,
    rubric_hash: &str,
    source: Source<'_>,
    which: Sheets<'_>,
) -> Result<Cohort, StoreError> {
    gather_detail(rubric, rubric_hash, source, which, Detail::Whole)
}

/// [`gather_from`], reading `detail` of each sheet.
pub fn gather_detail(
    rubric: &Rubric,
    rubric_hash: &str,
    source: Source<'_>,
    which: Sheets<'_>,
    detail: Detail,
) -> Result<Cohort, StoreError> {
    let (found, same_folders) = source.sheets(&rubric.id, which)?;
    if let Source::Archive(stored) = source {
        let read = read_archived(rubric, rubric_hash, stored, found, detail);
        let n = read.iter().flatten().count();
        let mut cohort = settle_all(read.into_iter().flatten(), n, same_folders, source);
        // Another history kept beside its journal is a conflict, said as
        // such (and settled by deciding it): not refused here.
        cohort.refused = stored
            .refused(&rubric.id)
            .into_iter()
            .filter(|r| !r.kept_beside)
            .collect();
        return Ok(cohort);
    }
    let read = crate::base::threads::map_blocks(found, 256, |(key, path)| {
        let mut read = read_journal(rubric, rubric_hash, source, key, path);
        read.leave_out(detail);
        read
    });
    let n = read.iter().map(Vec::len).sum();
    let mut cohort = settle_all(read.into_iter().flatten(), n, same_folders, source);
    // A journal named for no station of the rubric, whose name is one of
    // its stations' then `-` and more: a sync client's renamed copy.
    for problem in &mut cohort.problems {
        if let CohortProblem::UnknownStation { station, copy_of, .. } = problem {
            *copy_of = rubric
                .stations
                .iter()
                .map(|s| s.id.as_str())
                .filter(|id| {
                    station
                        .strip_prefix(id)
                        .is_some_and(|rest| rest.len() > 1 && rest.starts_with('-'))
                })
                .max_by_key(|id| id.len())
                .map(str::to_string);
        }
    }
    Ok(cohort)
}

/// Which reader made a reading the archive keeps: this program's version
/// and the BLAKE3 of the running program itself, so that any other build
/// (which may judge a journal otherwise, whatever its version number)
/// does not use it but makes it again. A program that cannot read itself
/// names itself by its process and time: what it keeps is never used by
/// another run.
fn reader() -> String {
    static READER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    READER
        .get_or_init(|| {
            let build = std::env::current_exe()
                .and_then(std::fs::read)
                .map(|bytes| blake3::hash(&bytes).to_hex()[..16].to_string())
                .unwrap_or_else(|_| {
                    format!(
                        "unknown build, process {} at {}",
                        std::process::id(),
                        Utc::now().timestamp_nanos_opt().unwrap_or_default()
                    )
                });
            format!("osce {} build {build}", env!("CARGO_PKG_VERSION"))
        })
        .clone()
}

/// What reading one journal against one rubric found, as the archive
/// keeps it (docs/archive-format.md, table `readings`): a [`Read`] but for
/// its sheet and path, which the journal's place in the archive gives.
/// `T` is what is read of the time of each mark: [`MarkTimes`], or
/// [`Unread`] where the command has no use for them.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kept<T = MarkTimes> {
    Sheet {
        state: Box<SheetState>,
        mark_times: T,
        last_hash: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        damage: Option<Damage>,
    },
    Empty,
    OtherRubric {
        rubric: String,
    },
    UnknownStation,
    Problem {
        why: String,
    },
}

/// The seq and time of every mark and global-rating record of a reading,
/// read.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct MarkTimes(#[serde(deserialize_with = "crate::base::utc::seqs")] Vec<(u64, DateTime<Utc>)>);

/// A part of a reading passed over, not read into memory.
struct Unread;

impl<'de> serde::Deserialize<'de> for Unread {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Unread)
    }
}

/// What a reading's mark times become in the sheet read.
trait IntoMarkTimes {
    fn into_vec(self) -> Vec<(u64, DateTime<Utc>)>;
}

impl IntoMarkTimes for MarkTimes {
    fn into_vec(self) -> Vec<(u64, DateTime<Utc>)> {
        self.0
    }
}

impl IntoMarkTimes for Unread {
    fn into_vec(self) -> Vec<(u64, DateTime<Utc>)> {
        Vec::new()
    }
}

impl Kept {
    /// What of `outcome` can be kept: not a torn tail (its words name
    /// where the journal is), nor words that name the archive's file (a
    /// moved archive would say the old place).
    fn of(outcome: &Outcome, archive: &str) -> Option<Kept> {
        Some(match outcome {
            Outcome::Sheet {
                sheet,
                torn: None,
                damage,
                ..
            } => Kept::Sheet {
                state: sheet.state.clone(),
                mark_times: MarkTimes(sheet.mark_times.clone()),
                last_hash: sheet.last_hash.clone(),
                damage: damage.clone(),
            },
            Outcome::Sheet { torn: Some(_), .. } => return None,
            Outcome::Empty => Kept::Empty,
            Outcome::OtherRubric(rubric) => Kept::OtherRubric {
                rubric: rubric.clone(),
            },
            Outcome::UnknownStation => Kept::UnknownStation,
            Outcome::Problem(why) if why.contains(archive) => return None,
            Outcome::Problem(why) => Kept::Problem { why: why.clone() },
        })
    }
}

impl<T: IntoMarkTimes> Kept<T> {
    /// Gives back what parsing left unused (a vector grows by doubling):
    /// the cohort holds every sheet.
    fn shrink_to_fit(&mut self) {
        if let Kept::Sheet { state, .. } = self {
            state.shrink_to_fit();
        }
    }

    fn into_read(self, key: SheetKey, path: PathBuf) -> Read {
        let outcome = match self {
            Kept::Sheet {
                state,
                mark_times,
                last_hash,
                damage,
            } => Outcome::Sheet {
                sheet: Box::new(SheetRead {
                    state,
                    mark_times: {
                        let mut times = mark_times.into_vec();
                        times.shrink_to_fit();
                        times
                    },
                    last_hash,
                }),
                torn: None,
                damage,
            },
            Kept::Empty => Outcome::Empty,
            Kept::OtherRubric { rubric } => Outcome::OtherRubric(rubric),
            Kept::UnknownStation => Outcome::UnknownStation,
            Kept::Problem { why } => Outcome::Problem(why),
        };
        Read { key, path, outcome }
    }
}

/// Reads the archived journals `found`: from the readings the archive
/// keeps of them against this rubric where it has them, made from the
/// stored bytes (and kept for next time) where not. Either way the same
/// [`Read`], so the same cohort.
/// One for each journal `found` lists, in its order.
fn read_archived(
    rubric: &Rubric,
    rubric_hash: &str,
    stored: &Stored,
    found: Listed,
    detail: Detail,
) -> Vec<Option<Read>> {
    match detail {
        Detail::Whole => read_archived_as::<MarkTimes>(rubric, rubric_hash, stored, found, detail),
        Detail::WithoutMarkTimes => read_archived_as::<Unread>(rubric, rubric_hash, stored, found, detail),
    }
}

/// [`read_archived`], each reading's mark times read as `T`.
fn read_archived_as<T: IntoMarkTimes + serde::de::DeserializeOwned + Send>(
    rubric: &Rubric,
    rubric_hash: &str,
    stored: &Stored,
    found: Listed,
    detail: Detail,
) -> Vec<Option<Read>> {
    let reader = reader();
    let place = places(&found);
    let readings_key = rubric.readings_key(rubric_hash);
    // Read and parsed on every core, each reading put in its place.
    let kept: Mutex<Vec<Option<Kept<T>>>> = Mutex::new((0..found.len()).map(|_| None).collect());
    stored.readings(&readings_key, &reader, |name, text, kept_blake3| {
        if !crate::results::archive::reading_sound(text, kept_blake3) {
            return;
        }
        let Some(&i) = place.get(name.as_os_str().as_encoded_bytes()) else {
            return;
        };
        let Ok(mut reading) = serde_json::from_str::<Kept<T>>(text) else {
            return;
        };
        reading.shrink_to_fit();
        kept.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(reading);
    });
    drop(place);
    // Each sheet's key and path moved into its read, never copied.
    let mut slots: Vec<Option<Read>> = Vec::with_capacity(found.len());
    let mut todo: Vec<(usize, SheetKey, PathBuf)> = Vec::new();
    let kept = kept.into_inner().unwrap_or_else(|e| e.into_inner());
    for (i, ((key, path), kept)) in found.into_iter().zip(kept).enumerate() {
        match kept {
            Some(kept) => slots.push(Some(kept.into_read(key, path))),
            None => {
                slots.push(None);
                todo.push((i, key, path));
            }
        }
    }
    let source = Source::Archive(stored);
    let archive = stored.path().display().to_string();
    let read = crate::base::threads::map(todo, 256, |(i, key, path)| {
        let mut read = read_journal(rubric, rubric_hash, source, key, path);
        if let Some(kept) = Kept::of(&read.outcome, &archive)
            && let Ok(text) = serde_json::to_string(&kept)
        {
            stored.keep(&readings_key, &reader, &read.path, text);
        }
        read.leave_out(detail);
        (i, read)
    });
    for (i, r) in read {
        slots[i] = Some(r);
    }
    slots
}

/// Where each journal `found` lists is in it, by its name: looked up for
/// every reading. Keyed by the name's bytes, hashed whole (a `Path`
/// hashes each of its components) with a fast hash.
fn places(found: &Listed) -> HashMap<&[u8], usize, foldhash::fast::RandomState> {
    found
        .iter()
        .enumerate()
        .map(|(i, (_, p))| (p.as_os_str().as_encoded_bytes(), i))
        .collect()
}

/// The readings the archive keeps of `rubric`'s sheets that are not what
/// their journals' stored bytes give when read again (a reading changed by
/// hand): (journal, what). Commands trust a kept reading; `osce audit
/// --archive` checks each one this way.
pub fn check_readings(rubric: &Rubric, rubric_hash: &str, stored: &Stored) -> Vec<(PathBuf, String)> {
    let reader = reader();
    let Ok((found, _)) = Source::Archive(stored).sheets(&rubric.id, Sheets::All) else {
        return Vec::new();
    };
    let place = places(&found);
    let archive = stored.path().display().to_string();
    let wrong = Mutex::new(Vec::new());
    stored.readings(&rubric.readings_key(rubric_hash), &reader, |name, text, kept_blake3| {
        let why = if !crate::results::archive::reading_sound(text, kept_blake3) {
            "the reading the archive keeps of it does not match its own BLAKE3 (a damaged page of the file, or a \
             hand edit): commands do not use it but read the journal's bytes, and the next one makes the reading \
             again"
        } else {
            let Some(&i) = place.get(name.as_os_str().as_encoded_bytes()) else {
                return;
            };
            let (key, path) = &found[i];
            let read = read_journal(rubric, rubric_hash, Source::Archive(stored), key.clone(), path.clone());
            let again = Kept::of(&read.outcome, &archive).and_then(|k| serde_json::to_string(&k).ok());
            if again.as_deref() == Some(text) {
                return;
            }
            // Its stored bytes are what is damaged, not the reading: said
            // as such (audit names the journals whose bytes do not match).
            let rel = name.strip_prefix(stored.path()).ok().and_then(|r| r.to_str());
            if rel.is_some_and(|rel| stored.mismatches().iter().any(|(j, _)| j == rel)) {
                return;
            }
            "the reading the archive keeps of it is not what its stored bytes say: it was changed by hand. Every \
             command reads that reading, not the bytes: delete the archive's readings (`sqlite3 ARCHIVE 'DELETE \
             FROM readings'`) and the next command makes them again"
        };
        wrong.lock().unwrap_or_else(|e| e.into_inner()).push((name, why.to_string()));
    });
    let mut wrong = wrong.into_inner().unwrap_or_else(|e| e.into_inner());
    wrong.sort();
    wrong
}

/// The cohort of the journals read, in the order listed (by sheet).
fn settle_all(
    reads: impl Iterator<Item = Read>,
    count: usize,
    same_folders: NamedAgain,
    source: Source<'_>,
) -> Cohort {
    let mut cohort = Cohort {
        same_folders,
        ..Cohort::default()
    };
    // Room for every sheet at once: grown by doubling, the sheets would
    // be held twice over while it moves.
    cohort.sheets.reserve_exact(count);
    let mut group: Vec<Read> = Vec::new();
    for read in reads {
        if group.first().is_some_and(|g| g.key != read.key) {
            settle_group(std::mem::take(&mut group), &mut cohort, source);
        }
        group.push(read);
    }
    settle_group(group, &mut cohort, source);
    cohort
}

/// What [`gather_again`] read of each journal, by path, with the file's
/// size, modification time, inode and change time when it was read:
/// `status --watch` reads again only the journals that changed.
#[derive(Default)]
pub struct Remembered {
    /// The rubric's [`Rubric::readings_key`] they were read against.
    readings_key: String,
    reads: HashMap<PathBuf, (Stamp, Read)>,
    /// The journals read again at the last look that hold fewer records
    /// than when read before.
    shrunk: Vec<Shrunk>,
}

/// A journal read again holding fewer complete records than when it was
/// read before: its last lines removed, an older copy put in its place, or
/// (when its last line is unfinished) a copy being made again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shrunk {
    pub path: PathBuf,
    /// Complete records when read before, and now.
    pub before: usize,
    pub now: usize,
    /// Whether it held a submission before, and does now.
    pub was_submitted: bool,
    pub submitted: bool,
    /// Whether its last line is unfinished now.
    pub torn: bool,
}

impl Read {
    /// The complete records of the sheet read, whether it is submitted, and
    /// whether its last line is unfinished: `None` for a journal that is no
    /// usable sheet.
    fn extent(&self) -> Option<(usize, bool, bool)> {
        match &self.outcome {
            Outcome::Sheet { sheet, torn, .. } => Some((
                sheet.state.records,
                sheet.state.submitted.is_some(),
                torn.is_some(),
            )),
            _ => None,
        }
    }
}

impl Remembered {
    /// The journals read again at the last look that hold fewer records
    /// than when read before.
    pub fn shrunk(&self) -> &[Shrunk] {
        &self.shrunk
    }

    /// The complete records of the journal at `path` as last read.
    pub fn records(&self, path: &Path) -> Option<usize> {
        self.reads
            .get(path)
            .and_then(|(_, r)| r.extent())
            .map(|(n, _, _)| n)
    }

    /// How many journals it holds from under `folder`.
    pub fn held_under(&self, folder: &Path) -> usize {
        self.reads.keys().filter(|p| p.starts_with(folder)).count()
    }
}

/// A journal file's size, modification time, and (as `collect` looks at
/// them) its inode and change time: a file copied over in place keeping
/// its size and modification time, or deleted and made again, is read
/// again.
type Stamp = (u64, Option<std::time::SystemTime>, u64, i64, i64);

fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok(), m.ino(), m.ctime(), m.ctime_nsec()))
}

/// [`gather`] of the folders, reading again only the journals whose size,
/// modification time, inode or change time changed since `remembered` last saw them (all of
/// them the first time, or under another rubric): the cohort, and how many
/// journals were read. The journals `remembered` holds from the folders
/// `held` (which cannot be read just now: a stick pulled out, a share
/// dropped) are in the cohort as last read.
pub fn gather_again(
    rubric: &Rubric,
    rubric_hash: &str,
    folders: &[PathBuf],
    held: &[PathBuf],
    remembered: &mut Remembered,
) -> Result<(Cohort, usize), StoreError> {
    // Read against another rubric, or other versions counted since: all
    // read again.
    let key = rubric.readings_key(rubric_hash);
    if remembered.readings_key != key {
        // The journals of folders that cannot be read just now stay as
        // last read (their decisions journal among them, perhaps, which
        // changed the key).
        let reads = std::mem::take(&mut remembered.reads)
            .into_iter()
            .filter(|(path, _)| held.iter().any(|folder| path.starts_with(folder)))
            .collect();
        *remembered = Remembered {
            readings_key: key,
            reads,
            shrunk: Vec::new(),
        };
    }
    let kept: HashMap<PathBuf, (Stamp, Read)> = remembered
        .reads
        .iter()
        .filter(|(path, _)| held.iter().any(|folder| path.starts_with(folder)))
        .map(|(path, read)| (path.clone(), read.clone()))
        .collect();
    let source = Source::Folders(folders);
    let (mut found, same_folders) = source.sheets(&rubric.id, Sheets::All)?;
    if !kept.is_empty() {
        // In the order listing every folder would give (by sheet, then
        // path), so that copies of a sheet are settled as they were.
        found.extend(
            kept.iter()
                .map(|(path, (_, read))| (read.key.clone(), path.clone())),
        );
        found.sort();
    }
    let mut slots: Vec<Option<Read>> = Vec::with_capacity(found.len());
    let mut todo = Vec::new();
    let mut stamps = Vec::with_capacity(found.len());
    for (i, (key, path)) in found.into_iter().enumerate() {
        if let Some((_, read)) = kept.get(&path) {
            slots.push(Some(read.clone()));
            stamps.push((path, None));
            continue;
        }
        let now = stamp(&path);
        match remembered.reads.get(&path) {
            Some((then, read)) if now.as_ref() == Some(then) => slots.push(Some(read.clone())),
            _ => {
                slots.push(None);
                todo.push((i, key, path.clone()));
            }
        }
        stamps.push((path, now));
    }
    let read_anew = todo.len();
    let read = crate::base::threads::map(todo, 256, |(i, key, path)| {
        (i, read_journal(rubric, rubric_hash, source, key, path))
    });
    remembered.shrunk.clear();
    for (i, r) in read {
        if let Some((_, before)) = remembered.reads.get(&r.path)
            && let (Some((before, was_submitted, _)), Some((now, submitted, torn))) =
                (before.extent(), r.extent())
            && now < before
        {
            remembered.shrunk.push(Shrunk {
                path: r.path.clone(),
                before,
                now,
                was_submitted,
                submitted,
                torn,
            });
        }
        slots[i] = Some(r);
    }
    let reads: Vec<Read> = slots.into_iter().flatten().collect();
    remembered.reads = stamps
        .into_iter()
        .zip(&reads)
        .filter_map(|((path, now), read)| Some((path, (now?, read.clone()))))
        .collect();
    remembered.reads.extend(kept);
    let n = reads.len();
    Ok((settle_all(reads.into_iter(), n, same_folders, source), read_anew))
}

/// What a journal says of its sheet: a [`FoundSheet`] but for the sheet's
/// key and the journal's path, which its [`Read`] holds (once, not twice:
/// a cohort has tens of thousands of sheets).
#[derive(Clone)]
struct SheetRead {
    state: Box<SheetState>,
    mark_times: Vec<(u64, DateTime<Utc>)>,
    /// The hash of its last intact record.
    last_hash: String,
}

impl SheetRead {
    fn found(self, key: SheetKey, path: PathBuf) -> FoundSheet {
        FoundSheet {
            key,
            path,
            state: self.state,
            mark_times: self.mark_times,
            last_hash: self.last_hash,
        }
    }
}

/// One journal as read for [`gather`].
#[derive(Clone)]
struct Read {
    key: SheetKey,
    path: PathBuf,
    outcome: Outcome,
}

impl Read {
    /// Leaves out what a command reading `detail` of each sheet does not
    /// use.
    fn leave_out(&mut self, detail: Detail) {
        if detail == Detail::WithoutMarkTimes
            && let Outcome::Sheet { sheet, .. } = &mut self.outcome
        {
            sheet.mark_times = Vec::new();
        }
    }
}

#[derive(Clone)]
enum Outcome {
    /// Usable, perhaps with a torn tail or damage.
    Sheet {
        sheet: Box<SheetRead>,
        /// Boxed, as [`Read`]s of every journal are held at once.
        torn: Option<Box<Quarantine>>,
        damage: Option<Damage>,
    },
    /// Opened and never written to (only looked at): not a sheet.
    Empty,
    OtherRubric(String),
    UnknownStation,
    /// Cannot be used: why, in words.
    Problem(String),
}

/// Sorts the journals of one sheet key: copies of one history become one
/// sheet; the rest are placed where they belong in `cohort`.
fn settle_group(group: Vec<Read>, cohort: &mut Cohort, source: Source<'_>) {
    let mut histories: Vec<Read> = Vec::new();
    for read in group {
        match read.outcome {
            Outcome::Sheet { .. } => histories.push(read),
            Outcome::Empty => {}
            Outcome::OtherRubric(found) => {
                cohort.other_version_sheets.push(ProblemSheet {
                    why: format!(
                        "marked against another version of the rubric (identity {})",
                        short_hash(&found)
                    ),
                    key: read.key,
                    fingerprint: source.fingerprint(&read.path),
                    path: read.path.clone(),
                });
                cohort.other_versions.entry(found).or_default().push(read.path);
            }
            Outcome::UnknownStation => cohort.problems.push(CohortProblem::UnknownStation {
                path: read.path,
                station: read.key.station,
                copy_of: None,
            }),
            Outcome::Problem(why) => cohort.problem_sheets.push(ProblemSheet {
                key: read.key,
                fingerprint: source.fingerprint(&read.path),
                path: read.path,
                why,
            }),
        }
    }
    // Longest first: each journal is either a copy of a longer one already
    // kept (the same records, as far as it goes) or a history of its own.
    // Of copies as long, the one under the journal's own name, not a copy
    // renamed beside it.
    histories.sort_by(|a, b| {
        records(b)
            .cmp(&records(a))
            .then_with(|| is_renamed_copy(&a.path).cmp(&is_renamed_copy(&b.path)))
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut heads: Vec<(Read, Option<Vec<String>>)> = Vec::new();
    for read in histories {
        let Outcome::Sheet { sheet, .. } = &read.outcome else {
            continue;
        };
        let last_hash = &sheet.last_hash;
        let n = records(&read);
        let mut copy_of = None;
        for (i, (head, hashes)) in heads.iter_mut().enumerate() {
            let hashes = hashes.get_or_insert_with(|| source.record_hashes(&head.path));
            if n > 0 && hashes.get(n - 1) == Some(last_hash) {
                copy_of = Some(i);
                break;
            }
        }
        match copy_of {
            Some(i) => {
                let identical = records(&heads[i].0) == n;
                cohort.copies.push(SheetCopy {
                    key: read.key,
                    used: heads[i].0.path.clone(),
                    copy: read.path,
                    identical,
                });
            }
            None => heads.push((read, None)),
        }
    }
    for (head, _) in heads {
        let Outcome::Sheet {
            sheet, torn, damage, ..
        } = head.outcome
        else {
            continue;
        };
        if let Some(d) = damage {
            cohort.problem_sheets.push(ProblemSheet {
                key: head.key,
                fingerprint: source.fingerprint(&head.path),
                path: head.path,
                why: format!(
                    "damaged at line {} ({}): the records from there on cannot be read, so what the sheet says \
                     cannot be known. Find an undamaged copy (another folder, a backup) or settle it by a \
                     decision; `osce audit` shows the damage",
                    d.line, d.reason
                ),
            });
            continue;
        }
        if let Some(q) = torn {
            cohort.problems.push(CohortProblem::TornTail {
                path: head.path.clone(),
                quarantine: *q,
                archived: matches!(source, Source::Archive(_)),
            });
        }
        cohort.sheets.push(sheet.found(head.key, head.path));
    }
}

fn records(read: &Read) -> usize {
    match &read.outcome {
        Outcome::Sheet { sheet, .. } => sheet.state.records,
        _ => 0,
    }
}

/// Reads one journal for [`gather`], checking everything a result relies
/// on.
fn read_journal(
    rubric: &Rubric,
    rubric_hash: &str,
    source: Source<'_>,
    key: SheetKey,
    path: PathBuf,
) -> Read {
    let outcome = read_outcome(rubric, rubric_hash, source, &key, &path);
    Read { key, path, outcome }
}

fn read_outcome(
    rubric: &Rubric,
    rubric_hash: &str,
    source: Source<'_>,
    key: &SheetKey,
    path: &Path,
) -> Outcome {
    let Some(station) = rubric.station(&key.station) else {
        return Outcome::UnknownStation;
    };
    let mut state = SheetState::default();
    let mut mark_times = Vec::new();
    let mut other_rubric = None;
    // Records of another version the exam lead's decision counts here.
    let mut counted: Option<String> = None;
    let mut wrong: Option<String> = None;
    let mut last_hash = String::new();
    // Between a submission and the next amendment, nothing may change what
    // the sheet says.
    let mut locked = false;
    // The sheet as last submitted, kept while an amendment is open: until
    // the amended sheet is submitted, results use this.
    let mut as_submitted: Option<SheetState> = None;
    let read = source.read_sheet_with(path, |r| {
        last_hash.clear();
        last_hash.push_str(r.hash);
        // Another version's record counts where the exam lead decided
        // that version marks this station alike.
        if other_rubric.is_none() && r.rubric != rubric_hash {
            if rubric.counts_version(&r.rubric, &key.station) {
                if counted.is_none() {
                    counted = Some(r.rubric.to_string());
                }
            } else {
                other_rubric = Some(r.rubric.to_string());
            }
        }
        if wrong.is_none() {
            wrong = check_record(rubric, station, key, &state, locked, &r);
        }
        match r.event {
            Event::Mark { .. } | Event::GlobalRating { .. } => mark_times.push((r.seq, r.time)),
            Event::Submitted { .. } => {
                locked = true;
                as_submitted = None;
            }
            Event::AmendStarted { .. } => {
                locked = false;
                as_submitted = Some(state.clone());
            }
            _ => {}
        }
        state.apply_ref(&r);
    });
    // An amendment not submitted again: the sheet counts as last submitted,
    // shown as being amended (with every record read).
    let mut state = match (state.amending.clone(), as_submitted) {
        (Some(amending), Some(mut submitted)) => {
            submitted.amending = Some(amending);
            submitted.records = state.records;
            submitted.last = state.last;
            submitted
        }
        _ => state,
    };
    state.counted_version = counted;
    let checked = match read {
        Ok(checked) => checked,
        Err(e) => {
            return Outcome::Problem(format!(
                "cannot be read ({e}): what the sheet says cannot be known. Check the file's permissions and \
                 the disk, or find another copy"
            ));
        }
    };
    if let Some(found) = other_rubric {
        return Outcome::OtherRubric(found);
    }
    if let Some(why) = wrong {
        return Outcome::Problem(why);
    }
    if state.records == 0 && checked.quarantined.is_none() && checked.damage.is_none() {
        return Outcome::Empty;
    }
    if let Err(e) = score_station(
        rubric,
        station,
        Some(&state.to_station_sheet()),
        &Standards::default(),
    ) {
        return Outcome::Problem(format!(
            "{e}: the sheet does not fit this rubric and cannot be scored. Check it was marked with this \
             rubric; `osce audit` shows its records"
        ));
    }
    // Held for every sheet of the cohort: no room to spare.
    mark_times.shrink_to_fit();
    Outcome::Sheet {
        sheet: Box::new(SheetRead {
            state: Box::new(state),
            mark_times,
            last_hash,
        }),
        torn: checked.quarantined.map(Box::new),
        damage: checked.damage,
    }
}

/// What is wrong with record `r` of the journal of sheet `key`, given the
/// sheet as the records before it left it (`locked`: submitted and not
/// being amended); `None` when nothing is.
fn check_record(
    rubric: &Rubric,
    station: &crate::rubric::Station,
    key: &SheetKey,
    state: &SheetState,
    locked: bool,
    r: &RecordRef<'_>,
) -> Option<String> {
    let names = [
        ("assessment", &*r.assessment, &key.assessment),
        ("station", &*r.station, &key.station),
        ("candidate", &*r.candidate, &key.candidate),
        ("examiner", &*r.examiner, &key.examiner),
        ("device", &*r.device, &key.device),
    ];
    for (what, said, place) in names {
        if said != place.as_str() {
            return Some(format!(
                "record {} names {what} \"{said}\", but the journal lies in the folder of {what} \"{place}\": \
                 it was moved or copied into the wrong place. Put it back where its records say, or settle it \
                 by a decision",
                r.seq
            ));
        }
    }
    let changes = matches!(
        r.event,
        Event::Mark { .. }
            | Event::GlobalRating { .. }
            | Event::Undo { .. }
            | Event::Feedback { .. }
            | Event::Notes { .. }
            | Event::Concern { .. }
            | Event::ConcernWithdrawn { .. }
            | Event::MissingReason { .. }
            | Event::Absent { .. }
            | Event::Submitted { .. }
    );
    if locked && changes {
        return Some(format!(
            "record {} ({}) changes the sheet after it was submitted, with no amendment: osce never writes \
             that, so the journal has been edited. The submitted version cannot be trusted; `osce audit` \
             shows the records",
            r.seq,
            r.event.kind_word()
        ));
    }
    if let Event::Submitted { score, .. } = &r.event
        && state.absent.is_none()
        && let Ok(result) = score_station(
            rubric,
            station,
            Some(&state.to_station_sheet()),
            &Standards::default(),
        )
        && (result.score - score).abs() > crate::rubric::EPSILON
    {
        return Some(format!(
            "record {} submits a score of {}, but the marks before it give {}: the journal has been edited. \
             `osce audit` shows the records",
            r.seq,
            crate::scoring::fmt_marks(*score),
            crate::scoring::fmt_marks(result.score)
        ));
    }
    None
}

/// Where one candidate × station stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellState {
    /// No sheet at all.
    Missing,
    /// Opened (the candidate confirmed) but nothing marked yet.
    Opened,
    InProgress,
    Submitted,
    /// Submitted, then amended and submitted again.
    Amended,
    /// Being amended: unlocked after submission and not yet resubmitted.
    Amending,
    Absent,
    /// The same examiner's sheet on two devices (or two different histories
    /// of one sheet), or two examiners where the rubric has no double
    /// marking: someone must decide which counts.
    Conflict,
    /// A journal here cannot be used as it is (moved from another
    /// candidate's folder, edited, damaged, unreadable): someone must look.
    Problem,
}

impl CellState {
    pub fn label(self) -> &'static str {
        match self {
            CellState::Missing => "missing",
            CellState::Opened => "opened",
            CellState::InProgress => "in progress",
            CellState::Submitted => "submitted",
            CellState::Amended => "amended",
            CellState::Amending => "amending",
            CellState::Absent => "absent",
            CellState::Conflict => "CONFLICT",
            CellState::Problem => "PROBLEM",
        }
    }

    /// Whether this cell needs nothing more from the examiners.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            CellState::Submitted | CellState::Amended | CellState::Absent
        )
    }
}

/// One candidate at one station.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub state: CellState,
    /// Indices into [`Cohort::sheets`], sorted.
    pub sheets: Vec<usize>,
    /// Marked by two (or more) examiners, as the rubric allows.
    pub double_marked: bool,
    pub concern: bool,
    /// Why it is a conflict, in words.
    pub conflict: Option<String>,
    /// Why a journal here cannot be used, in words (a problem cell).
    pub problem: Option<String>,
    /// The exam lead's decisions on this cell that hold, in force for its
    /// result (see [`crate::results::decisions`]).
    pub decided: Vec<crate::results::decisions::Held>,
    /// Sheets opened with nothing recorded on them but their timer (no
    /// mark, rating, absence, comment or submission) on a laptop where another
    /// sheet of the cell holds something: set aside, not a second marker
    /// (who marks on a laptop of their own) nor a conflict. An examiner who
    /// mistyped their id and opened the sheet again under the right one
    /// leaves one. Indices into [`Cohort::sheets`].
    pub set_aside: Vec<usize>,
    /// A problem cell whose only sheets were marked against another version
    /// of the rubric (its `problem` says so): what to do about them is said
    /// once for them all, not cell by cell.
    pub other_version: bool,
}

impl Cell {
    /// Whether the exam lead has decided what this cell's absence counts as.
    pub fn absence_decided(&self) -> bool {
        self.decided
            .iter()
            .any(|h| matches!(h.ruling, crate::results::decisions::Ruling::Absence { .. }))
    }

    /// Whether the exam lead has decided this station's result (`osce
    /// decide result`): what moderation left open there is settled.
    pub fn result_decided(&self) -> bool {
        self.decided
            .iter()
            .any(|h| matches!(h.ruling, crate::results::decisions::Ruling::StationResult { .. }))
    }
}

/// A sheet opened (the candidate confirmed, the timer perhaps started:
/// an examiner presses space at once) with nothing else recorded: no mark
/// on it can be lost.
pub fn holds_nothing(s: &SheetState) -> bool {
    !s.has_marks()
        && s.absent.is_none()
        && s.submitted.is_none()
        && s.amending.is_none()
        && s.feedback.is_empty()
        && s.notes.is_empty()
        && s.feedback_draft.as_deref().is_none_or(str::is_empty)
        && s.notes_draft.as_deref().is_none_or(str::is_empty)
        && s.concerns.is_empty()
        && s.missing_reasons.is_empty()
}

/// How far one sheet is, as a cell of its own would be.
pub fn sheet_state(s: &SheetState) -> CellState {
    if s.absent.is_some() && s.submitted.is_some() {
        CellState::Absent
    } else if s.amending.is_some() {
        CellState::Amending
    } else if s.submitted.is_some() && !s.amendments.is_empty() {
        CellState::Amended
    } else if s.submitted.is_some() {
        CellState::Submitted
    } else if s.is_started() {
        CellState::InProgress
    } else {
        CellState::Opened
    }
}

/// Candidates × scored stations.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Candidate ids: the roster's in its order, then any others found, sorted.
    pub candidates: Vec<String>,
    /// Names where known (from the roster, else as confirmed on a sheet).
    pub names: BTreeMap<String, String>,
    /// Candidates with sheets who are not on the roster.
    pub unexpected: BTreeSet<String>,
    /// Scored station ids in rubric order.
    pub stations: Vec<String>,
    /// By (candidate, station).
    pub cells: BTreeMap<(String, String), Cell>,
    /// Component results recorded by decisions (written papers, the
    /// logbook): by candidate, then component.
    pub components: crate::results::decisions::ComponentResults,
    /// Component results withdrawn by decisions, none recorded since: by
    /// candidate, then component (no result, but a decision to name).
    pub withdrawn_components: crate::results::decisions::ComponentResults,
    /// Candidates whose sheets were confirmed under a name other than the
    /// roster's (or, without a roster, than their other sheets').
    pub names_differ: Vec<NamesDiffer>,
}

/// Where a sheet is: (station, examiner@device).
pub type SheetAt = (String, String);

/// A candidate's sheets confirmed under another name: the examiner saw
/// someone else's name when they confirmed who was in front of them (a
/// laptop's own list, a name typed), or marked another candidate under
/// this id.
#[derive(Debug, Clone, PartialEq)]
pub struct NamesDiffer {
    pub candidate: String,
    /// The roster's name for them, if the roster gives one.
    pub roster: Option<String>,
    /// Every name the sheets were confirmed under, each with where:
    /// (name, [(station, examiner@device)]), the roster's own spelling
    /// (or, without a roster, the one most sheets give) first.
    pub confirmed: Vec<(String, Vec<SheetAt>)>,
}

/// A cell's key, (candidate, station), owned or borrowed: the matrix's
/// cells are looked up by borrowed ids, without copying them (status and
/// export look up every cell, more than once).
pub trait CellKey {
    fn ids(&self) -> (&str, &str);
}

impl CellKey for (String, String) {
    fn ids(&self) -> (&str, &str) {
        (&self.0, &self.1)
    }
}

impl CellKey for (&str, &str) {
    fn ids(&self) -> (&str, &str) {
        *self
    }
}

impl<'a> std::borrow::Borrow<dyn CellKey + 'a> for (String, String) {
    fn borrow(&self) -> &(dyn CellKey + 'a) {
        self
    }
}

impl PartialEq for dyn CellKey + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.ids() == other.ids()
    }
}

impl Eq for dyn CellKey + '_ {}

impl PartialOrd for dyn CellKey + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The order of `(String, String)`: by candidate, then station.
impl Ord for dyn CellKey + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.ids().cmp(&other.ids())
    }
}

impl Matrix {
    pub fn cell(&self, candidate: &str, station: &str) -> Option<&Cell> {
        self.cells.get(&(candidate, station) as &dyn CellKey)
    }

    /// How many cells are in each state.
    pub fn counts(&self) -> BTreeMap<CellState, usize> {
        let mut counts = BTreeMap::new();
        for cell in self.cells.values() {
            *counts.entry(cell.state).or_insert(0) += 1;
        }
        counts
    }

    /// Every expected sheet is in: each cell done and none in conflict.
    pub fn complete(&self) -> bool {
        self.cells.values().all(|c| c.state.is_done())
    }

    /// How many expected sheets are not in yet: cells not done, but for a
    /// conflict, a problem or an amendment (each in, and listed with what
    /// settles it).
    pub fn waiting(&self) -> usize {
        self.cells
            .values()
            .filter(|c| {
                !c.state.is_done()
                    && !matches!(
                        c.state,
                        CellState::Conflict | CellState::Problem | CellState::Amending
                    )
            })
            .count()
    }

    /// Whether the absence recorded at `candidate`'s `station` is still
    /// the exam lead's to settle: the cell is absent, with no decision on
    /// its absence, and the candidate is not deferred by a decision at
    /// another station or at a component outside the stations (a deferral
    /// takes the result of the whole sitting away, so what another absence
    /// counts as changes nothing).
    pub fn absence_to_settle(&self, candidate: &str, station: &str) -> bool {
        self.cell(candidate, station)
            .is_some_and(|c| c.state == CellState::Absent && !c.absence_decided())
            && self.deferred_at(candidate).is_none()
            && self.component_deferred(candidate).is_none()
    }

    /// The component outside the stations for which the exam lead recorded
    /// `candidate` deferred (`osce decide components`), the first by id,
    /// if any.
    pub fn component_deferred(&self, candidate: &str) -> Option<&str> {
        self.components.get(candidate).and_then(|parts| {
            parts
                .iter()
                .find(|(_, (value, _))| *value == crate::results::decisions::ComponentValue::Deferred)
                .map(|(id, _)| id.as_str())
        })
    }

    /// The station where the exam lead deferred `candidate` (an absence
    /// with mitigating circumstances), the first in rubric order, if any.
    pub fn deferred_at(&self, candidate: &str) -> Option<&str> {
        self.stations
            .iter()
            .find(|s| {
                self.cell(candidate, s).is_some_and(|c| {
                    c.state == CellState::Absent
                        && c.decided.iter().any(|h| {
                            matches!(
                                h.ruling,
                                crate::results::decisions::Ruling::Absence {
                                    outcome: crate::results::decisions::AbsenceOutcome::Deferred,
                                    ..
                                }
                            )
                        })
                })
            })
            .map(String::as_str)
    }

    /// Whether any sheet (an absence too) is in for `candidate`.
    pub fn has_sheets(&self, candidate: &str) -> bool {
        self.stations
            .iter()
            .any(|s| self.cell(candidate, s).is_some_and(|c| !c.sheets.is_empty()))
    }

    /// Whether the names known for candidates `a` and `b` say they are two
    /// people: both known, and not a word in common, without case or
    /// accents ("Okafor, Chidinma" and "Chidinma Okafor" are one person;
    /// "George Garcia" and "Aisha Khan" are two, however alike their ids).
    pub fn names_differ_wholly(&self, a: &str, b: &str) -> bool {
        let (Some(x), Some(y)) = (self.names.get(a), self.names.get(b)) else {
            return false;
        };
        if crate::base::text::same_name(x, y) {
            return false;
        }
        // Compared as `same_name` reads them: without case or accents
        // ("Zoë Brontë" and "Zoe Bronte" have words in common).
        let words =
            |name: &str| -> BTreeSet<String> { crate::base::text::name_words(name).into_iter().collect() };
        let (x, y) = (words(x), words(y));
        !x.is_empty() && !y.is_empty() && x.is_disjoint(&y)
    }

    /// Each candidate marked but not on the roster, with the roster's
    /// candidate they look like who has no sheet at all: the same name, or
    /// an id a typo away where their names (if both are known) have a word
    /// in common. A mistyped id in the roster shows as exactly such
    /// a pair (a row missing everywhere, and the same candidate marked
    /// under the id the laptops used). Looked for only among a few such
    /// candidates: many of them means another exam's roster, not a typo.
    pub fn roster_lookalikes(&self) -> Vec<(&str, &str)> {
        const FEW: usize = 50;
        if self.unexpected.is_empty() || self.unexpected.len() > FEW {
            return Vec::new();
        }
        let unmarked: Vec<&str> = self
            .candidates
            .iter()
            .filter(|c| !self.unexpected.contains(*c) && !self.has_sheets(c))
            .map(String::as_str)
            .collect();
        if unmarked.is_empty() {
            return Vec::new();
        }
        let name = |c: &str| {
            self.names
                .get(c)
                .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
                .filter(|n| !n.is_empty())
        };
        let mut taken: BTreeSet<&str> = BTreeSet::new();
        let mut pairs = Vec::new();
        for marked in &self.unexpected {
            let by_name = name(marked).and_then(|n| {
                unmarked
                    .iter()
                    .copied()
                    .find(|r| !taken.contains(r) && name(r).as_deref() == Some(n.as_str()))
            });
            let found = by_name.or_else(|| {
                crate::rubric::did_you_mean(
                    marked,
                    unmarked
                        .iter()
                        .copied()
                        .filter(|r| !taken.contains(r) && !self.names_differ_wholly(marked, r)),
                )
                .filter(|r| crate::base::ids::a_typo_away(marked, r))
            });
            if let Some(r) = found {
                taken.insert(r);
                pairs.push((marked.as_str(), r));
            }
        }
        pairs
    }
}

/// The candidates × stations matrix of a cohort. With a roster, its
/// candidates are the ones expected; others found on sheets are added and
/// listed as unexpected.
pub fn matrix(rubric: &Rubric, cohort: &Cohort, roster: Option<&Roster>) -> Matrix {
    matrix_settled(rubric, cohort, roster, &Settled::default())
}

/// [`matrix`] after the exam lead's decisions: sheets they set aside do not
/// count, void journals are no longer a problem, and each cell carries the
/// decisions that hold for it.
pub fn matrix_settled(
    rubric: &Rubric,
    cohort: &Cohort,
    roster: Option<&Roster>,
    settled: &Settled,
) -> Matrix {
    let stations: Vec<String> = rubric.scored_stations().map(|s| s.id.clone()).collect();
    let mut candidates: Vec<String> = Vec::new();
    let mut names = BTreeMap::new();
    if let Some(r) = roster {
        for c in &r.candidates {
            candidates.push(c.id.clone());
            names.insert(c.id.clone(), c.name.clone());
        }
    }
    let listed: BTreeSet<String> = candidates.iter().cloned().collect();
    // Borrowed from the sheets where they can be: a cohort has tens of
    // thousands of sheets. A sheet voided no longer makes a candidate of
    // the folder it lies in: a journal moved into a folder of its own
    // (another candidate's sheet), or a sheet marked under a mistyped id,
    // leaves nobody there once the exam lead voids it.
    let mut found: Vec<&str> = cohort
        .sheets
        .iter()
        .enumerate()
        .filter(|(i, _)| !settled.excluded.contains(i))
        .map(|(_, s)| s.key.candidate.as_str())
        .chain(
            cohort
                .problem_sheets
                .iter()
                .enumerate()
                .filter(|(i, _)| !settled.void_problems.contains(i))
                .map(|(_, p)| p.key.candidate.as_str()),
        )
        .chain(
            cohort
                .other_version_sheets
                .iter()
                .enumerate()
                .filter(|(i, _)| !settled.void_other_versions.contains(i))
                .map(|(_, p)| p.key.candidate.as_str()),
        )
        .collect();
    found.sort_unstable();
    found.dedup();
    let unexpected: BTreeSet<String> = if roster.is_some() {
        found
            .iter()
            .filter(|c| !listed.contains(**c))
            .map(|c| c.to_string())
            .collect()
    } else {
        BTreeSet::new()
    };
    candidates.extend(
        found
            .iter()
            .filter(|c| !listed.contains(**c))
            .map(|c| c.to_string()),
    );
    let roster_names = names.clone();
    // The first name confirmed on a sheet of each candidate the roster
    // does not name (hashed: looked up for each of a cohort's sheets).
    let mut confirmed: HashMap<&str, &str, foldhash::fast::RandomState> = HashMap::default();
    let on_roster: std::collections::HashSet<&str, foldhash::fast::RandomState> =
        roster_names.keys().map(String::as_str).collect();
    for s in &cohort.sheets {
        if let Some(name) = &s.state.confirmed
            && !name.is_empty()
            && !on_roster.contains(s.key.candidate.as_str())
        {
            confirmed.entry(s.key.candidate.as_str()).or_insert(name.as_str());
        }
    }
    names.extend(confirmed.into_iter().map(|(c, n)| (c.to_string(), n.to_string())));
    let names_differ = names_differing(cohort, settled, &roster_names);

    // Hashed, not ordered: taken out once for each cell below.
    let mut by_cell: HashMap<(&str, &str), Vec<usize>, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(cohort.sheets.len(), foldhash::fast::RandomState::default());
    for (i, s) in cohort.sheets.iter().enumerate() {
        if settled.excluded.contains(&i) {
            continue;
        }
        by_cell
            .entry((s.key.candidate.as_str(), s.key.station.as_str()))
            .or_default()
            .push(i);
    }
    let mut problems: BTreeMap<(&str, &str), Vec<&ProblemSheet>> = BTreeMap::new();
    for (i, p) in cohort.problem_sheets.iter().enumerate() {
        if settled.void_problems.contains(&i) {
            continue;
        }
        problems
            .entry((p.key.candidate.as_str(), p.key.station.as_str()))
            .or_default()
            .push(p);
    }
    // Sheets marked against another version of the rubric: where a cell
    // has no sheet of this version, its sheets are in all the same, and
    // the cell is a problem to settle (the rubric file named, most
    // likely), not a sheet missing.
    let mut other_versions: BTreeMap<(&str, &str), Vec<&ProblemSheet>> = BTreeMap::new();
    for (i, p) in cohort.other_version_sheets.iter().enumerate() {
        if settled.void_other_versions.contains(&i) {
            continue;
        }
        other_versions
            .entry((p.key.candidate.as_str(), p.key.station.as_str()))
            .or_default()
            .push(p);
    }
    let double_marking = rubric.double_marking.mode != DoubleMarkingMode::None;
    // In order as made (candidates, then stations): put into the map at
    // once at the end, rather than each found its place in turn.
    let mut cells = Vec::with_capacity(candidates.len() * stations.len());
    for candidate in &candidates {
        for station in &stations {
            let mut indices = by_cell
                .remove(&(candidate.as_str(), station.as_str()))
                .unwrap_or_default();
            let mut set_aside = Vec::new();
            if indices.len() > 1 {
                // On a laptop where another sheet of the cell holds
                // something: a second marker marks on a laptop of their own.
                let marked_on: Vec<&str> = indices
                    .iter()
                    .filter(|&&i| !holds_nothing(&cohort.sheets[i].state))
                    .map(|&i| cohort.sheets[i].key.device.as_str())
                    .collect();
                (set_aside, indices) = indices.into_iter().partition(|&i| {
                    let s = &cohort.sheets[i];
                    holds_nothing(&s.state) && marked_on.contains(&s.key.device.as_str())
                });
            }
            let concern = indices
                .iter()
                .any(|&i| !cohort.sheets[i].state.concerns.is_empty());
            let (conflict, double_marked) = if indices.len() < 2 {
                // One sheet or none (most cells): nothing to conflict.
                (None, false)
            } else {
                examiners_of(cohort, &indices, double_marking)
            };
            let mut other_version = false;
            let problem = problems
                .remove(&(candidate.as_str(), station.as_str()))
                .or_else(|| {
                    let found = other_versions
                        .remove(&(candidate.as_str(), station.as_str()))
                        .filter(|_| indices.is_empty());
                    other_version = found.is_some();
                    found
                })
                .map(|found| {
                    found
                        .iter()
                        .map(|p| format!("{}: {}", p.path.display(), p.why))
                        .collect::<Vec<_>>()
                        .join("; ")
                });
            let key = (candidate.clone(), station.clone());
            // A decision that no longer holds is said where the cell still
            // needs one.
            let stale = settled.stale.get(&key).map(|w| w.join("; "));
            let with_stale = |text: Option<String>| match (text, &stale) {
                (Some(t), Some(w)) => Some(format!("{t}; {w}")),
                (t, _) => t,
            };
            let problem = with_stale(problem);
            let conflict = with_stale(conflict);
            let decided = settled.held.get(&key).cloned().unwrap_or_default();
            let state = if problem.is_some() {
                CellState::Problem
            } else if conflict.is_some() {
                CellState::Conflict
            } else if indices.is_empty() {
                CellState::Missing
            } else {
                // Double marked: the cell is as far as the least advanced
                // sheet; every sheet in, and one of them amended, amended.
                indices
                    .iter()
                    .map(|&i| sheet_state(&cohort.sheets[i].state))
                    .min_by_key(|s| (progress(*s), *s != CellState::Amended))
                    .unwrap_or(CellState::Missing)
            };
            cells.push((
                key,
                Cell {
                    state,
                    double_marked,
                    sheets: indices,
                    concern,
                    conflict,
                    problem,
                    decided,
                    set_aside,
                    other_version,
                },
            ));
        }
    }
    Matrix {
        candidates,
        names,
        unexpected,
        stations,
        cells: cells.into_iter().collect(),
        components: settled.components.clone(),
        withdrawn_components: settled.withdrawn_components.clone(),
        names_differ,
    }
}

/// The names one candidate's sheets were confirmed under, each with the
/// sheets (indices into the cohort's) that give it.
type NamesSeen<'a> = Vec<(&'a str, Vec<usize>)>;

/// The candidates whose sheets (those that count) were confirmed under
/// names that are not one person's name as a person reads it: against
/// the roster's name where it gives one, else against the name most of
/// their sheets give.
fn names_differing(
    cohort: &Cohort,
    settled: &Settled,
    roster: &BTreeMap<String, String>,
) -> Vec<NamesDiffer> {
    // By candidate: each name confirmed, with the sheets confirming it (by
    // index: where they are is put into words only for the few candidates
    // whose names differ, not for each of a cohort's sheets).
    let mut by_candidate: HashMap<&str, NamesSeen<'_>, foldhash::fast::RandomState> = HashMap::default();
    for (i, s) in cohort.sheets.iter().enumerate() {
        let Some(name) = s.state.confirmed.as_deref().filter(|n| !n.trim().is_empty()) else {
            continue;
        };
        if settled.excluded.contains(&i) {
            continue;
        }
        let names = by_candidate.entry(s.key.candidate.as_str()).or_default();
        let at = i;
        match names
            .iter_mut()
            .find(|(n, _)| crate::base::text::same_name(n, name))
        {
            Some((_, sheets)) => sheets.push(at),
            None => names.push((name, vec![at])),
        }
    }
    // In the candidates' order.
    let mut by_candidate: Vec<(&str, NamesSeen<'_>)> = by_candidate.into_iter().collect();
    by_candidate.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    for (candidate, mut names) in by_candidate {
        // The roster's name, else the one most of their sheets give (the
        // odd one out is the sheet to look at).
        let most = names
            .iter()
            .max_by_key(|(_, sheets)| sheets.len())
            .map(|(n, _)| n.to_string());
        let reference = roster
            .get(candidate)
            .filter(|n| !n.trim().is_empty())
            .cloned()
            .or(most);
        let Some(reference) = reference else {
            continue;
        };
        if names
            .iter()
            .all(|(n, _)| crate::base::text::same_name(n, &reference))
        {
            continue;
        }
        names.sort_by_key(|(n, _)| !crate::base::text::same_name(n, &reference));
        out.push(NamesDiffer {
            candidate: candidate.to_string(),
            roster: roster.get(candidate).filter(|n| !n.trim().is_empty()).cloned(),
            confirmed: names
                .into_iter()
                .map(|(n, sheets)| {
                    let mut at: Vec<SheetAt> = sheets
                        .into_iter()
                        .map(|i| {
                            let k = &cohort.sheets[i].key;
                            (k.station.clone(), format!("{}@{}", k.examiner, k.device))
                        })
                        .collect();
                    at.sort();
                    (n.to_string(), at)
                })
                .collect(),
        });
    }
    out
}

/// Where each examiner has one sheet among `indices` (one cell), and some
/// recorded the candidate absent while others marked them: the examiners
/// on each side (absent, marked). A conflict for a person to settle, and
/// what `decide conflict` sets aside the side not chosen of.
pub(crate) fn absence_split<'a>(
    cohort: &'a Cohort,
    indices: &[usize],
) -> Option<(Vec<&'a str>, Vec<&'a str>)> {
    let sheets: Vec<&FoundSheet> = indices.iter().map(|&i| &cohort.sheets[i]).collect();
    let one_each = sheets
        .iter()
        .all(|s| sheets.iter().filter(|t| t.key.examiner == s.key.examiner).count() == 1);
    let side = |absent: bool| -> Vec<&'a str> {
        sheets
            .iter()
            .filter(|s| match absent {
                true => s.state.absent.is_some(),
                false => s.state.absent.is_none() && s.state.has_marks(),
            })
            .map(|s| s.key.examiner.as_str())
            .collect()
    };
    let (absent, marked) = (side(true), side(false));
    (one_each && !absent.is_empty() && !marked.is_empty()).then_some((absent, marked))
}

/// What the sheets `indices` of one cell (two or more) say of it: the
/// conflict among them, if any, and whether they are double marking.
fn examiners_of(cohort: &Cohort, indices: &[usize], double_marking: bool) -> (Option<String>, bool) {
    let mut examiners: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in indices {
        examiners
            .entry(cohort.sheets[i].key.examiner.as_str())
            .or_default()
            .push(i);
    }
    let on_two_devices: Vec<String> = examiners
        .iter()
        .filter(|(_, sheets)| sheets.len() > 1)
        .map(|(e, sheets)| {
            let devices: BTreeSet<&str> = sheets
                .iter()
                .map(|&i| cohort.sheets[i].key.device.as_str())
                .collect();
            if devices.len() == 1 {
                let paths: Vec<String> = sheets
                    .iter()
                    .map(|&i| cohort.sheets[i].path.display().to_string())
                    .collect();
                format!(
                    "examiner {e}'s sheet from device {} has {} different histories ({})",
                    devices.iter().next().copied().unwrap_or_default(),
                    match paths.len() {
                        2 => "two".to_string(),
                        3 => "three".to_string(),
                        n => n.to_string(),
                    },
                    paths.join(" and ")
                )
            } else {
                format!(
                    "the same sheet was marked by examiner {e} on devices {}",
                    devices.into_iter().collect::<Vec<_>>().join(" and ")
                )
            }
        })
        .collect();
    // One marker recorded the candidate absent, another marked them: only
    // a person can say which is true. (An absence decision would otherwise
    // set the marks aside without a word.)
    let split = absence_split(cohort, indices);
    let conflict = if !on_two_devices.is_empty() {
        Some(on_two_devices.join("; "))
    } else if let Some((absent, marked)) = split.filter(|_| double_marking) {
        Some(format!(
            "recorded absent by examiner {} but marked by examiner {}",
            absent.join(", "),
            marked.join(", ")
        ))
    } else if examiners.len() > 1 && !double_marking {
        let names: Vec<&str> = examiners.keys().copied().collect();
        // A referral's third marker is the likeliest second examiner: their
        // sheet counts once the assessor's journal is read with it.
        Some(format!(
            "marked by {} examiners ({}) but the rubric has no double marking (if an assessor referred it to a \
             third marker, the folder holding their moderation journal is missing: name it too)",
            names.len(),
            names.join(", ")
        ))
    } else {
        None
    };
    (conflict, examiners.len() > 1 && double_marking)
}

/// Order of progress, for the least advanced of several sheets.
pub(crate) fn progress(s: CellState) -> u8 {
    match s {
        CellState::Missing | CellState::Conflict | CellState::Problem => 0,
        CellState::Opened => 1,
        CellState::InProgress => 2,
        CellState::Amending => 3,
        CellState::Submitted | CellState::Amended | CellState::Absent => 4,
    }
}

/// The folders' display names, for messages.
pub fn folder_list(folders: &[PathBuf]) -> String {
    folders
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `path` looks like a sessions folder holding this assessment.
pub fn holds_assessment(folder: &Path, assessment: &str) -> bool {
    folder.join(assessment).is_dir()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::CellKey;

    #[test]
    fn a_cell_is_found_by_borrowed_ids_in_the_order_of_owned_ones() {
        let ids = ["", "A", "A1", "B", "a", "é", "A 1", "AB"];
        let mut cells = BTreeMap::new();
        for (n, c) in ids.iter().enumerate() {
            for s in &ids[n % 3..] {
                cells.insert((c.to_string(), s.to_string()), (*c, *s));
            }
        }
        for c in ids {
            for s in ids {
                let owned = cells.get(&(c.to_string(), s.to_string()));
                assert_eq!(cells.get(&(c, s) as &dyn CellKey), owned, "{c:?} {s:?}");
            }
        }
    }
}
