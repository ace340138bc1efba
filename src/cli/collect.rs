//! `osce collect ARCHIVE FOLDER...`: every journal of the laptops' folders
//! into the exam archive; and `--archive ARCHIVE` for the commands that
//! read sessions folders.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use osce::base::text::plural;
use osce::results::archive::{Archive, ArchiveError, Materialised, Stored, collect, materialise};
use osce::results::source::{Sheets, Source};

use super::{EXIT_INVALID, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub struct CollectArgs {
    /// The archive file (SQLite); made, owner-only, if there is none
    #[arg(value_name = "ARCHIVE")]
    pub archive: PathBuf,
    /// Sessions folders to collect (one per examiner laptop)
    #[arg(value_name = "FOLDER", required = true)]
    pub folders: Vec<PathBuf>,
    /// Rubric file (.ron) of an assessment collected: its sheets are read
    /// against it now and what was read kept in the archive, so that the
    /// commands after read that instead of every journal (repeat for
    /// several assessments)
    #[arg(long, value_name = "RUBRIC")]
    pub rubric: Vec<PathBuf>,
}

/// A time the archive holds, to the minute, as every command shows times.
fn minute(stored: &str) -> String {
    osce::base::utc::parse(stored).map_or_else(
        || stored.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// The exit code for an archive error: 1 when the file given is not an
/// archive or is damaged (the input is wrong), 2 for I/O and a busy archive.
fn code(e: &ArchiveError) -> ExitCode {
    match e {
        // A folder where the archive file goes is a usage error, as a
        // folder given for any file is.
        ArchiveError::NotArchive { path, .. } if !path.is_file() => ExitCode::from(EXIT_USAGE),
        ArchiveError::NotArchive { .. } | ArchiveError::Damaged { .. } => ExitCode::from(EXIT_INVALID),
        _ => ExitCode::from(EXIT_USAGE),
    }
}

pub fn run(args: &CollectArgs) -> ExitCode {
    // A folder where the archive file goes: the two swapped, most often
    // (said before the folders are looked at, which may name the archive).
    if args.archive.is_dir() {
        errln!("error: {}", folder_as_archive(&args.archive, &args.folders));
        return ExitCode::from(EXIT_USAGE);
    }
    for folder in &args.folders {
        if !folder.is_dir() {
            errln!("error: {}", no_folder_collecting(folder, Some(&args.archive)));
            return ExitCode::from(EXIT_USAGE);
        }
    }
    // The folder the archive file goes in must be there: said so, not as
    // the system's "no such file".
    if let Some(parent) = args.archive.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        errln!(
            "error: {}: {} {}, where the archive file goes; make it first (`mkdir -p {}`) or name an archive in a \
             folder that is there. Nothing was collected",
            args.archive.display(),
            parent.display(),
            if parent.exists() {
                "is not a folder"
            } else {
                "is no such folder"
            },
            parent.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    // Every rubric read before anything is collected: a mistake in one
    // is said at once.
    let mut rubrics = Vec::new();
    for path in &args.rubric {
        match super::status::rubric_and_hash(path) {
            Ok(r) => rubrics.push((path, r)),
            Err(code) => return code,
        }
    }
    let existed = std::fs::symlink_metadata(&args.archive).is_ok();
    // A new archive named a typo away from one beside it (`exam.osc` for
    // `exam.osce`): most likely the one meant. Said (what is collected is
    // not in the other), not refused: a new archive may be meant.
    let near = if existed {
        None
    } else {
        osce::results::archive::near_archive(&args.archive)
    };
    let mut archive = match Archive::open_for_collect(&args.archive) {
        Ok(a) => a,
        Err(e) => {
            errln!("error: {e}");
            return code(&e);
        }
    };
    let done = match collect(&mut archive, &args.folders, chrono::Utc::now()) {
        Ok(done) => done,
        Err(e) => {
            errln!("error: {e}; nothing was collected");
            return code(&e);
        }
    };
    // A folder named twice (or through a link) is read once, said as
    // status says it: the other folder meant may have been left out.
    for (first, again) in &done.named_again {
        errln!(
            "note: {} and {} are the same folder: read once",
            first.display(),
            again.display()
        );
    }
    // A folder emptied of the copy collect refused there (taken out as
    // evidence, as advised): its refusal is cleared, and that is all it
    // held.
    for (folder, file) in &done.refusals_cleared {
        outln!(
            "{}: the copy collect refused there, {file}, is no longer there: no longer refused",
            folder.display()
        );
    }
    let cleared = |folder: &PathBuf| done.refusals_cleared.iter().any(|(f, _)| f == folder);
    let empty: Vec<&PathBuf> = done.empty_folders.iter().filter(|f| !cleared(f)).collect();
    for &folder in &empty {
        let near = sessions_folders_near(folder);
        let instead = match near.as_slice() {
            [] => "name the sessions folder (the one above the assessments' folders)".to_string(),
            [one] => format!("name {} instead", one.display()),
            many => format!(
                "name each of them instead, {}",
                many.iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        errln!(
            "error: {}: no assessment's journals there, so nothing was collected from it; {instead}",
            folder.display()
        );
        // Journals lying loose in it (attachments saved from an email):
        // each said with where it goes.
        let mut loose: Vec<PathBuf> = std::fs::read_dir(folder)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "jsonl"))
                    .collect()
            })
            .unwrap_or_default();
        loose.sort();
        for file in loose {
            if let Some(hint) = journal_hint(&file, Some(&args.archive)) {
                errln!("  {} is {hint}", file.display());
            }
        }
    }
    // Examiners' folders one level too high, beside the assessments'
    // folders: not collected, and nothing else would say so.
    let mut outside = false;
    for folder in args
        .folders
        .iter()
        .filter(|f| !done.empty_folders.contains(f))
        .filter(|f| !done.named_again.iter().any(|(_, again)| again == *f))
    {
        if let Some(words) = examiners_outside(folder) {
            errln!("error: {words}");
            outside = true;
        }
    }
    if !existed && done.new.is_empty() && !done.empty_folders.is_empty() {
        // Nothing at all to collect: no archive of nothing is left behind.
        drop(archive);
        let _ = std::fs::remove_file(&args.archive);
        errln!(
            "error: none of the folders named holds an assessment's journals; {} was not made",
            args.archive.display()
        );
        return ExitCode::from(EXIT_INVALID);
    }
    // On the day, with folders still syncing, many at once: up to ten
    // named, beyond that five and a count (the summary counts them all).
    let torn_named = if done.torn.len() > 10 { 5 } else { done.torn.len() };
    for (journal, what) in done.torn.iter().take(torn_named) {
        errln!(
            "note: {journal}: an unfinished last line ({what}): stored as read; its complete lines are anchored, the rest is taken on a later collect"
        );
    }
    if done.torn.len() > torn_named {
        errln!(
            "note: and {} more journals end in an unfinished line, stored as read the same way (`osce status --archive` lists each)",
            done.torn.len() - torn_named
        );
    }
    for (journal, file) in &done.older_copies {
        errln!(
            "note: {journal}: {} is an older copy (every byte of it is in the archive, which has more); the archive keeps the longer",
            file.display()
        );
    }
    for (journal, file) in &done.beside_failing {
        errln!(
            "note: {journal}: {} is the sound copy the archive keeps beside the journal collected before, which \
             fails its checks: it counts once that one is voided (`osce status --problems` says whether that is \
             still to do)",
            file.display()
        );
    }
    for (journal, file) in done
        .other_histories
        .iter()
        .filter(|o| !done.beside_failing.contains(o))
    {
        errln!(
            "note: {journal}: {} is the other history of this sheet the archive keeps beside it: the sheet counts \
             as the conflict is decided (`osce decide conflict`; `osce status --problems` says whether that is \
             still to do)",
            file.display()
        );
    }
    for (journal, from, file) in &done.replaced {
        errln!(
            "note: {journal}: {} replaces the copy collected before, {from}, whose lines it continues where that \
             copy checked; the failing copy is kept in the archive as evidence (`osce audit --archive` names it), and \
             is refused if collected again",
            file.display()
        );
    }
    for (journal, file) in &done.restored {
        errln!(
            "warning: {journal}: the archive's copy was damaged since it was collected (its stored bytes no longer \
             matched the BLAKE3 recorded then); {} holds what was collected, and was stored in its place. Run \
             `osce audit --archive` to check the rest of the archive",
            file.display()
        );
    }
    // Files collected before that are no longer in a folder read now:
    // up to ten named, beyond that five and a count.
    let gone_named = if done.gone.len() > 10 { 5 } else { done.gone.len() };
    for g in done.gone.iter().take(gone_named) {
        errln!(
            "note: {}: {} was collected from there ({}, last read {}) and is not there now; the archive keeps \
             every record it collected of it. If it was not moved on purpose, ask the examiner whose laptop it \
             was: a journal is never removed on the day",
            g.journal,
            g.file.display(),
            plural(g.records as usize, "record", "records"),
            minute(&g.collected_at)
        );
    }
    if done.gone.len() > gone_named {
        errln!(
            "note: and {} more files collected before are not in their folders now; the archive keeps what it \
             collected of each (the `sources` table names every file read, docs/archive-format.md)",
            done.gone.len() - gone_named
        );
    }
    // A folder not here now (another computer's, such as the module
    // leader's where an assessor collects what they were sent, or a stick
    // taken out) is counted, not named: its path means nothing here.
    // A folder whose parent is here (a stick's folder, the stick taken
    // out) is still named: the module leader can tell which is missing.
    // Laptops' folders alone (those that held sheets), and only where
    // sheets were collected: not where only decisions or moderation were
    // (the exam lead's folder, an assessor's returned), nor those folders
    // when laptops are collected.
    let not_named = if done.held_sheets {
        done.not_named.as_slice()
    } else {
        &[]
    };
    let (here, away): (Vec<_>, Vec<_>) = not_named
        .iter()
        .filter(|n| n.sheets > 0)
        .cloned()
        .partition(|n| n.folder.exists() || n.folder.parent().is_some_and(Path::exists));
    if !away.is_empty() {
        errln!(
            "note: {} collected before {} not on this computer now (another computer's folder, or a stick since \
             taken out) and not named this time; what was collected from {} stays in the archive as it was",
            plural(away.len(), "folder", "folders"),
            if away.len() == 1 { "is" } else { "are" },
            if away.len() == 1 { "it" } else { "them" }
        );
    }
    match here.as_slice() {
        [] => {}
        [n] => errln!(
            "note: {} was collected before (last on {}, {}) and not named this time; what was collected from it \
             stays in the archive as it was. Name it too if its laptop has marked more since",
            n.folder.display(),
            minute(&n.last_collected),
            plural(n.journals as usize, "journal", "journals")
        ),
        // Laptops collected one at a time as they come in: one line.
        many => errln!(
            "note: {} folders collected before were not named this time ({}); what was collected from them stays \
             in the archive as it was. Name any whose laptop has marked more since",
            many.len(),
            many.iter()
                .map(|n| format!("{}, last on {}", n.folder.display(), minute(&n.last_collected)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
    for (journal, why) in &done.failing {
        errln!("error: {journal}: stored, but it fails its checks: {why}. `osce audit --archive` shows it");
    }
    // Other histories kept beside (a laptop given another's device name
    // marks every sheet twice): up to ten in full; beyond that the first
    // five, then how many more.
    const ALL_UP_TO: usize = 10;
    const IN_FULL: usize = 5;
    let beside = done.refused.iter().filter(|r| r.kept_beside).count();
    let in_full = if beside > ALL_UP_TO { IN_FULL } else { beside };
    for r in done
        .refused
        .iter()
        .filter(|r| !r.kept_beside)
        .chain(done.refused.iter().filter(|r| r.kept_beside).take(in_full))
    {
        errln!(
            "error: {}: refused, from {}: {}",
            r.journal,
            r.file.display(),
            r.why
        );
    }
    if beside > in_full {
        errln!(
            "error: and {} more refused the same way, each kept beside the sheet as another history: `osce status \
             --problems` lists every conflict, with the decision that settles it",
            beside - in_full
        );
    }
    // Another copy of a journal the archive holds (a laptop's folder and
    // its copy on a stick, collected together) is said as such: not
    // "unchanged" the first time it is seen.
    let copies = done.copies;
    let others = done.other_histories.len();
    outln!(
        "{}: {}, {} grown, {} unchanged, {}{}{} refused{}{}{}",
        args.archive.display(),
        plural(done.new.len(), "new journal", "new journals"),
        done.grown.len(),
        done.unchanged + done.same,
        if copies == 0 {
            String::new()
        } else {
            format!(
                "{}, ",
                plural(
                    copies,
                    "copy of a journal in another file",
                    "copies of journals in other files"
                )
            )
        },
        if others == 0 {
            String::new()
        } else {
            format!(
                "{}, ",
                plural(
                    others,
                    "other history of a sheet kept before",
                    "other histories of sheets kept before"
                )
            )
        },
        done.refused.len(),
        // What the refused are, each counted once among them.
        {
            let mut of_them = Vec::new();
            if !done.copying_again.is_empty() {
                of_them.push(format!(
                    "{} being copied again: refused until the copy has finished",
                    done.copying_again.len()
                ));
            }
            if beside > 0 {
                of_them.push(format!(
                    "{beside} kept beside the sheet as another history: a conflict to decide"
                ));
            }
            match of_them.split_first() {
                None => String::new(),
                Some((first, rest)) => {
                    // "(2 of them being copied again …; 1 kept beside …)"
                    let first = first.replacen(' ', " of them ", 1);
                    let all: Vec<&str> = std::iter::once(first.as_str())
                        .chain(rest.iter().map(String::as_str))
                        .collect();
                    format!(" ({})", all.join("; "))
                }
            }
        },
        if done.failing.is_empty() {
            String::new()
        } else {
            format!(", {} failing its checks", done.failing.len())
        },
        if done.torn.is_empty() {
            String::new()
        } else {
            format!(", {} still arriving (an unfinished last line)", done.torn.len())
        }
    );
    if let Some(near) = &near {
        errln!(
            "warning: {} is a new archive, made now; {} beside it is an archive, of a name a typo away. If you \
             meant it, collect into it (`osce collect {} FOLDER...`) and delete {}",
            args.archive.display(),
            near.display(),
            near.display(),
            args.archive.display()
        );
    }
    let earlier = done.failing_in_archive.saturating_sub(done.failing.len());
    if earlier > 0 {
        errln!(
            "note: {} collected before {} its checks, kept as evidence (said on every collect, voided or not); \
             `osce audit --archive {}` lists {}, and `osce status RUBRIC --archive {} --problems` says whether \
             a decision is still to make",
            plural(earlier, "journal", "journals"),
            if earlier == 1 { "fails" } else { "fail" },
            args.archive.display(),
            if earlier == 1 { "it" } else { "them" },
            args.archive.display()
        );
    }
    drop(archive);
    let mut failed = None;
    for (path, (rubric, hash)) in &rubrics {
        if let Err(code) = read_ahead(&args.archive, path, rubric, hash) {
            failed.get_or_insert(code);
        }
    }
    if let Some(code) = failed {
        return code;
    }
    if done.has_errors() || !empty.is_empty() || outside {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads every sheet of `rubric`'s assessment in the archive against it
/// and keeps what was read (`collect --rubric`), as the first command
/// reading the archive would.
fn read_ahead(
    archive: &Path,
    path: &Path,
    rubric: &osce::rubric::Rubric,
    hash: &str,
) -> Result<(), ExitCode> {
    let stored = Stored::open(archive).map_err(archive_failed)?;
    if !stored.holds(&rubric.id) {
        // Asked for and not done: the exit code says so (what was
        // collected stays collected).
        let holds = stored.assessments();
        errln!(
            "error: {}: no sheet of assessment \"{}\" ({}) in the archive, so nothing was read against it (what was \
             collected is kept){}",
            archive.display(),
            rubric.id,
            path.display(),
            if holds.is_empty() {
                String::new()
            } else {
                format!(
                    ". It holds the sheets of {}: check that the rubric is the one the exam used",
                    osce::base::text::quoted_list(&holds)
                )
            }
        );
        return Err(ExitCode::from(EXIT_INVALID));
    }
    // Sheets of other versions of the rubric the exam lead's decisions
    // count (collected in this run or before) are read as every command
    // reads them.
    let mut counting = rubric.clone();
    if let Ok(decisions) = osce::results::decisions::gather_from(rubric, hash, Source::Archive(&stored)) {
        counting.counted_versions = decisions.counted_versions(rubric).0;
    }
    let rubric = &counting;
    let cohort = osce::results::gather::gather_from(rubric, hash, Source::Archive(&stored), Sheets::All)
        .map_err(|e| {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        })?;
    // The journals are collected whatever happens here: readings not kept
    // are made by the next command.
    let kept = match stored.keep_readings() {
        Ok(n) => n,
        Err(e) => {
            errln!(
                "warning: {e}; the readings were not kept (the next command reading the archive makes them)"
            );
            0
        }
    };
    outln!(
        "{}: {} of assessment \"{}\" read against {}{}",
        archive.display(),
        plural(cohort.sheets.len(), "sheet", "sheets"),
        rubric.id,
        path.display(),
        match kept {
            0 if !cohort.sheets.is_empty() =>
                " (each read before: its reading is in the archive already)".to_string(),
            0 => String::new(),
            n => format!(
                " ({} kept for the commands that read the archive)",
                plural(n, "reading", "readings")
            ),
        }
    );
    // Sheets of another version of the rubric are not read against it: said
    // here, where the module leader first gathers everything, not only by
    // the status to come.
    if let Some(words) = cohort.other_versions_words(rubric) {
        errln!("warning: {}: {words}", archive.display());
    }
    Ok(())
}

/// Where a command reads the journals: the folders named with
/// `--sessions`, or the archive's stored journals, read straight from it.
pub struct Sessions {
    pub folders: Vec<PathBuf>,
    /// The archive, when one was named.
    pub stored: Option<Stored>,
}

impl Sessions {
    /// Where the journals are read from.
    pub fn source(&self) -> Source<'_> {
        match &self.stored {
            Some(stored) => Source::Archive(stored),
            None => Source::Folders(&self.folders),
        }
    }
}

/// Prints the journals whose stored bytes no longer match what was
/// collected, and gives the exit code, if there are any.
pub fn refuse_mismatches(archive: &Path, mismatches: &[(String, String)]) -> Result<(), ExitCode> {
    if mismatches.is_empty() {
        return Ok(());
    }
    for (journal, what) in mismatches {
        errln!("error: {}: {journal}: {what}", archive.display());
    }
    errln!(
        "error: {}: the archive is damaged; nothing was done. `osce audit --archive {}` lists what",
        archive.display(),
        archive.display()
    );
    Err(ExitCode::from(EXIT_INVALID))
}

pub fn archive_failed(e: ArchiveError) -> ExitCode {
    errln!("error: {e}");
    code(&e)
}

/// `--sessions DIR...` or `--archive FILE`, the archive read directly
/// (each reading and each journal's stored bytes checked against their
/// BLAKE3 as they are read; the readings it makes are kept in the archive
/// when it is done).
pub fn sessions_or_stored(sessions: &[PathBuf], archive: Option<&Path>) -> Result<Sessions, ExitCode> {
    // A file named as a folder (the archive, most often) is said as such,
    // not as the system's "not a directory" on a path inside it.
    if let Some(file) = sessions.iter().find(|f| f.exists() && !f.is_dir()) {
        errln!("error: {}", no_folder(file));
        return Err(ExitCode::from(EXIT_USAGE));
    }
    let stored = archive.map(Stored::open).transpose().map_err(archive_failed)?;
    Ok(Sessions {
        folders: sessions.to_vec(),
        stored,
    })
}

/// `--sessions DIR...` or `--archive FILE` for a screen that reads folders
/// (moderation): with an archive, its journals are checked against their
/// stored BLAKE3 and written out into a private temporary folder, which
/// lives as long as the [`Materialised`] given with it.
pub fn folders_or_written_out(
    sessions: &[PathBuf],
    archive: Option<&Path>,
) -> Result<(Vec<PathBuf>, Option<Materialised>), ExitCode> {
    let Some(path) = archive else {
        return Ok((sessions.to_vec(), None));
    };
    // SQLite's quick check first: a damaged file is refused, whatever
    // part of it is damaged.
    let m = Archive::open_read(path)
        .and_then(|a| match a.integrity(true)? {
            Some(what) => Err(ArchiveError::Damaged {
                path: path.to_path_buf(),
                reason: format!("SQLite's check of the file: {what}"),
            }),
            None => materialise(&a),
        })
        .map_err(archive_failed)?;
    refuse_mismatches(path, &m.mismatches)?;
    let mut folders = vec![m.folder.clone()];
    folders.extend(m.others.iter().cloned());
    Ok((folders, Some(m)))
}

/// Why `path`, given as a sessions folder, is not one: an archive given
/// where a folder goes (or the archive and a folder swapped), another
/// file, or nothing there.
pub fn no_folder(path: &Path) -> String {
    no_folder_collecting(path, None)
}

/// [`no_folder`], with the archive being collected into (where there is
/// one) in the command it gives.
fn no_folder_collecting(path: &Path, archive: Option<&Path>) -> String {
    let shown = path.display();
    if path.is_file() {
        let mut head = [0u8; 16];
        let is_archive = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok_and(|()| &head == b"SQLite format 3\0");
        if is_archive {
            format!(
                "{shown}: is an exam archive, not a sessions folder: give it with --archive (and to collect, name \
                 the archive first: `osce collect ARCHIVE FOLDER...`)"
            )
        } else if let Some(hint) = journal_hint(path, archive) {
            // A journal sent on its own (an assessor's moderation journal
            // attached to an email, say): where a sessions folder holds it.
            format!("{shown}: is {hint}")
        } else {
            format!(
                "{shown}: is a file, not a sessions folder: name the folder that holds the assessment's folder"
            )
        }
    } else {
        match osce::results::archive::near_folder(path) {
            Some(near) => format!(
                "{shown}: no such sessions folder (did you mean {}? It is a folder beside it)",
                near.display()
            ),
            None => format!("{shown}: no such sessions folder"),
        }
    }
}

/// What the journal at `path` is, not a sessions folder, and where a
/// sessions folder holds it, with a command to paste that puts it there and
/// collects it (into `archive`, where it is known). `None` for a file that
/// is no journal osce writes.
fn journal_hint(path: &Path, archive: Option<&Path>) -> Option<String> {
    let (what, home) = journal_home(path)?;
    let name = home.file_name().map(Path::new).unwrap_or(&home);
    let folder = Path::new("returned").join(home.parent().unwrap_or(Path::new("")));
    let into = folder.join(name);
    let word = osce::base::text::shell_path;
    Some(format!(
        "{what}, not a sessions folder: a journal is collected from the sessions folder that holds it, where it \
         lies at <sessions>/{}. Put it there and collect that folder, e.g. `mkdir -p {} && cp {} {} && osce \
         collect {} returned`",
        home.display(),
        word(&folder),
        word(path),
        word(&into),
        archive.map_or_else(|| "ARCHIVE".to_string(), word)
    ))
}

/// What the journal at `path` is, in words, and where a sessions folder
/// holds it (relative to the sessions folder), from its first record: a
/// sheet's, an assessor's moderation journal or an exam lead's decisions.
/// `None` for a file that is no journal osce writes.
fn journal_home(path: &Path) -> Option<(String, PathBuf)> {
    use osce::store::{DECISIONS_FILE, MODERATION_FILE, who_folder};
    let bytes = std::fs::read(path).ok()?;
    let first = bytes.split(|&b| b == b'\n').next()?;
    if let Ok(r) = osce::store::decode_line(first) {
        let who = who_folder(&r.examiner, &r.device);
        let at = PathBuf::from(&r.assessment).join(&who);
        if r.station.is_empty() && r.candidate.is_empty() {
            return Some((
                format!(
                    "an assessor's moderation journal (assessment {}, {} on {})",
                    r.assessment, r.examiner, r.device
                ),
                at.join(MODERATION_FILE),
            ));
        }
        return Some((
            format!(
                "a sheet's journal ({} at {}, marked by {} on {})",
                r.candidate, r.station, r.examiner, r.device
            ),
            at.join(&r.candidate).join(format!("{}.jsonl", r.station)),
        ));
    }
    let read = osce::store::read_chain_bytes::<osce::results::decisions::DecisionEntry>(first);
    let d = &read.entries.first()?.entry;
    Some((
        format!(
            "an exam lead's decisions journal (assessment {}, decided by {} on {})",
            d.assessment, d.by, d.device
        ),
        PathBuf::from(&d.assessment)
            .join(who_folder(&d.by_id(), &d.device))
            .join(DECISIONS_FILE),
    ))
}

/// Why the folder `archive`, named where `collect`'s archive file goes, is
/// not used, and the command to give instead: with the archive file named
/// among the `folders` (one there, or a name not yet made), the two
/// swapped back.
fn folder_as_archive(archive: &Path, folders: &[PathBuf]) -> String {
    let shown = archive.display();
    let file = folders.iter().find(|f| !f.is_dir());
    let others: Vec<String> = folders
        .iter()
        .filter(|f| Some(*f) != file)
        .map(|f| f.display().to_string())
        .collect();
    let others: String = others.iter().map(|o| format!(" {o}")).collect();
    // A folder holding no folders is no sessions folder: one made for the
    // archive, whose file is then named inside it.
    let holds_folders = std::fs::read_dir(archive).is_ok_and(|d| d.flatten().any(|e| e.path().is_dir()));
    let instead = match file {
        Some(file) => format!("osce collect {} {shown}{others}", file.display()),
        None if !holds_folders => format!("osce collect {}{others}", archive.join("exam.osce").display()),
        None => format!("osce collect exam.osce {shown}{others}"),
    };
    format!(
        "{shown}: is a folder, not the archive file: `osce collect` names the archive file first, then the \
         sessions folders to collect into it (the first collect makes the file). Give `{instead}`. Nothing was \
         collected"
    )
}

/// The folders in `f` (none where it cannot be read).
pub(super) fn dirs(f: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(f)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

/// Examiners' or assessors' folders ([`examiners_in`]) straight in the
/// sessions folder `folder`, beside the assessments'
/// folders, whose journals `collect` does not take: where to move them,
/// in words, or `None`.
fn examiners_outside(folder: &Path) -> Option<String> {
    let examiners = examiners_in(folder);
    if examiners.is_empty() {
        return None;
    }
    let assessments: Vec<PathBuf> = dirs(folder)
        .into_iter()
        .filter(|d| {
            !examiners
                .iter()
                .any(|e| d.file_name() == Some(std::ffi::OsStr::new(e)))
        })
        .collect();
    let into = match assessments.as_slice() {
        [one] => one.display().to_string(),
        _ => format!("{}/ASSESSMENT (the assessment's folder)", folder.display()),
    };
    Some(format!(
        "{} holds examiners' or assessors' folders ({}) straight in it, beside the assessments' folders: their \
         journals were not collected. Move them into {into} (a sessions folder holds a folder per assessment, and the \
         examiners' folders in it), then collect again",
        folder.display(),
        first_few(&examiners)
    ))
}

/// The examiners' folders (`EXAMINER@DEVICE`, holding candidates'
/// folders) and assessors' or the lead's (`WHO@DEVICE`, holding a
/// moderation or decisions journal) straight in `folder`, by name, sorted.
pub(super) fn examiners_in(folder: &Path) -> Vec<String> {
    let journal = |d: &Path| {
        std::fs::read_dir(d).into_iter().flatten().flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            ["moderation", "decisions"].iter().any(|stem| {
                osce::store::unrenamed(name.strip_suffix(".jsonl").unwrap_or_default()).0 == *stem
            })
        })
    };
    let mut names: Vec<String> = dirs(folder)
        .iter()
        .filter(|d| !dirs(d).is_empty() || journal(d))
        .filter_map(|d| d.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .filter(|n| osce::store::parse_who(n).is_some())
        .collect();
    names.sort();
    names
}

/// `a, b, c`, or the first three and how many in all.
pub(super) fn first_few(names: &[String]) -> String {
    if names.len() > 3 {
        format!("{}, … ({} in all)", names[..3].join(", "), names.len())
    } else {
        names.join(", ")
    }
}

/// The sessions folder a folder holding no journals was probably meant
/// to be: the ones inside it (a laptop's own folder, holding `sessions`,
/// or a folder of several laptops' folders), or the one above it (an
/// assessment's folder, whose folders are `EXAMINER@DEVICE`), or two above
/// (an examiner's folder).
fn sessions_folders_near(folder: &Path) -> Vec<PathBuf> {
    let examiners = |f: &Path| {
        dirs(f).iter().any(|d| {
            d.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains('@'))
        })
    };
    let named = |p: &Path| -> Option<PathBuf> { Some(p.to_path_buf()).filter(|p| !p.as_os_str().is_empty()) };
    // An examiner's folder, in an assessment's folder.
    if folder
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains('@'))
    {
        return folder
            .parent()
            .and_then(Path::parent)
            .and_then(named)
            .into_iter()
            .collect();
    }
    // An assessment's folder.
    if examiners(folder) {
        return folder.parent().and_then(named).into_iter().collect();
    }
    // A folder holding the sessions folder, or several (a folder of the
    // laptops' folders): each of them.
    let is_sessions = |d: &PathBuf| dirs(d).iter().any(|a| examiners(a));
    let children = dirs(folder);
    let mut inside: Vec<PathBuf> = children.iter().filter(|d| is_sessions(d)).cloned().collect();
    if inside.is_empty() {
        // A level further down: a folder of the laptops' folders, each
        // holding `sessions`.
        inside = children
            .iter()
            .flat_map(|c| dirs(c))
            .filter(is_sessions)
            .collect();
    }
    inside.sort();
    inside
}
