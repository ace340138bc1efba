//! `osce collect ARCHIVE FOLDER...`: every journal of the laptops' folders
//! into the exam archive; and `--archive ARCHIVE` for the commands that
//! read sessions folders.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use osce::base::text::plural;
use osce::results::archive::{Archive, ArchiveError, Materialised, collect, materialise};

use super::{EXIT_INVALID, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub struct CollectArgs {
    /// The archive file (SQLite); made, owner-only, if there is none
    #[arg(value_name = "ARCHIVE")]
    pub archive: PathBuf,
    /// Sessions folders to collect (one per examiner laptop)
    #[arg(value_name = "FOLDER", required = true)]
    pub folders: Vec<PathBuf>,
}

/// The exit code for an archive error: 1 when the file given is not an
/// archive or is damaged (the input is wrong), 2 for I/O and a busy archive.
fn code(e: &ArchiveError) -> ExitCode {
    match e {
        ArchiveError::NotArchive { .. } | ArchiveError::Damaged { .. } => ExitCode::from(EXIT_INVALID),
        _ => ExitCode::from(EXIT_USAGE),
    }
}

pub fn run(args: &CollectArgs) -> ExitCode {
    for folder in &args.folders {
        if !folder.is_dir() {
            errln!("error: {}: no such sessions folder", folder.display());
            return ExitCode::from(EXIT_USAGE);
        }
    }
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
    for folder in &done.empty_folders {
        errln!(
            "warning: {}: no assessment's journals there; name the sessions folder (the one above the assessments' folders)",
            folder.display()
        );
    }
    for (journal, what) in &done.torn {
        errln!(
            "note: {journal}: an unfinished last line ({what}): stored as read; its complete lines are anchored, the rest is taken on a later collect"
        );
    }
    for (journal, file) in &done.older_copies {
        errln!(
            "note: {journal}: {} is an older copy (every byte of it is in the archive, which has more); the archive keeps the longer",
            file.display()
        );
    }
    for (journal, why) in &done.failing {
        errln!("error: {journal}: stored, but it fails its checks: {why}. `osce audit --archive` shows it");
    }
    for r in &done.refused {
        errln!(
            "error: {}: refused, from {}: {}",
            r.journal,
            r.file.display(),
            r.why
        );
    }
    outln!(
        "{}: {}, {} grown, {} unchanged, {} refused{}",
        args.archive.display(),
        plural(done.new.len(), "new journal", "new journals"),
        done.grown.len(),
        done.unchanged + done.same + done.older_copies.len(),
        done.refused.len(),
        if done.failing.is_empty() {
            String::new()
        } else {
            format!(", {} failing its checks", done.failing.len())
        }
    );
    let earlier = done.failing_in_archive.saturating_sub(done.failing.len());
    if earlier > 0 {
        errln!(
            "note: {} collected before {} its checks; `osce audit --archive {}` lists {}",
            plural(earlier, "journal", "journals"),
            if earlier == 1 { "fails" } else { "fail" },
            args.archive.display(),
            if earlier == 1 { "it" } else { "them" }
        );
    }
    if done.has_errors() {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    }
}

/// The sessions folders a command reads: those named with `--sessions`, or
/// the archive's journals written out into a private temporary folder
/// (removed when this is dropped).
pub struct Sessions {
    pub folders: Vec<PathBuf>,
    /// Holds the temporary folder while the command runs.
    pub materialised: Option<Materialised>,
}

impl Sessions {
    /// `text` with the temporary folder's name replaced by the archive's, so
    /// that a journal is named by its path inside the archive.
    pub fn names(&self, text: &str, archive: Option<&Path>) -> String {
        match (&self.materialised, archive) {
            (Some(m), Some(a)) => text.replace(&m.folder.display().to_string(), &a.display().to_string()),
            _ => text.to_string(),
        }
    }
}

/// `--sessions DIR...` or `--archive FILE`: with an archive, its journals
/// are checked against their stored BLAKE3 and written out; a mismatch
/// stops the command unless `mismatches_ok` (audit reports them itself).
pub fn sessions_or_archive(
    sessions: &[PathBuf],
    archive: Option<&Path>,
    mismatches_ok: bool,
) -> Result<Sessions, ExitCode> {
    let Some(path) = archive else {
        return Ok(Sessions {
            folders: sessions.to_vec(),
            materialised: None,
        });
    };
    // SQLite's quick check first: a damaged file is refused, whatever
    // part of it is damaged.
    let m = Archive::open_read(path).and_then(|a| match a.integrity(true)? {
        Some(what) => Err(ArchiveError::Damaged {
            path: path.to_path_buf(),
            reason: format!("SQLite's check of the file: {what}"),
        }),
        None => materialise(&a),
    });
    let m = match m {
        Ok(m) => m,
        Err(e) => {
            errln!("error: {e}");
            return Err(code(&e));
        }
    };
    if !mismatches_ok && !m.mismatches.is_empty() {
        for (journal, what) in &m.mismatches {
            errln!("error: {}: {journal}: {what}", path.display());
        }
        errln!(
            "error: {}: the archive is damaged; nothing was done. `osce audit --archive {}` lists what",
            path.display(),
            path.display()
        );
        return Err(ExitCode::from(EXIT_INVALID));
    }
    Ok(Sessions {
        folders: vec![m.folder.clone()],
        materialised: Some(m),
    })
}
