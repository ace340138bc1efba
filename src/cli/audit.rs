//! `osce audit`: checks every session file of an assessment and lists
//! amendments, submissions and quarantined writes. Exit code 0 when nothing
//! is wrong (warnings may still be printed), 1 when something is, 2 when
//! the rubric or a folder cannot be read.

use osce::base::text::plural;
use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

use osce::results::audit::{AuditReport, Copies, Finding, FindingKind, audit_from, fmt_time};
use osce::rubric::Rubric;
use osce::scoring::fmt_marks;
use osce::store::{SheetKey, Submission};

use super::status::rubric_and_hash;
use super::{AuditArgs, EXIT_INVALID, EXIT_USAGE};

pub fn run(args: &AuditArgs) -> ExitCode {
    let (rubric, hash) = match rubric_and_hash(&args.rubric) {
        Ok(r) => r,
        Err(code) => return code,
    };
    for folder in &args.sessions {
        if !folder.is_dir() {
            errln!("error: {}", super::collect::no_folder(folder));
            return ExitCode::from(EXIT_USAGE);
        }
    }
    // With an archive: SQLite's own check of the file, then every stored
    // journal against its stored BLAKE3, then every journal from its own
    // bytes exactly as the folders' journals are audited.
    let mut archive_errors = Vec::new();
    if let Some(path) = &args.archive {
        match osce::results::archive::Archive::open_read(path).and_then(|a| a.integrity(false)) {
            Ok(None) => {}
            Ok(Some(what)) => archive_errors.push(format!("SQLite's integrity check of the file: {what}")),
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(match e {
                    osce::results::archive::ArchiveError::NotArchive { .. }
                    | osce::results::archive::ArchiveError::Damaged { .. } => EXIT_INVALID,
                    _ => EXIT_USAGE,
                });
            }
        }
    }
    let sessions = match super::collect::sessions_or_stored(&args.sessions, args.archive.as_deref()) {
        Ok(s) => s,
        Err(code) => {
            // What SQLite's check found, where the archive cannot be read.
            for what in &archive_errors {
                errln!("  {what}");
            }
            return code;
        }
    };
    if let Some(stored) = &sessions.stored
        && let Err(e) = stored.check_every_journal()
    {
        // A journal the archive cannot give back whole: the archive is
        // damaged, which is what an audit is for finding (exit code 1).
        errln!("error: {e}");
        for what in &archive_errors {
            errln!("  {what}");
        }
        return ExitCode::from(EXIT_INVALID);
    }
    let report = match audit_from(&rubric, &hash, sessions.source()) {
        Ok(report) => report,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(stored) = &sessions.stored {
        archive_errors.extend(stored.mismatches().iter().map(|(j, what)| format!("{j}: {what}")));
        match stored.summary_mismatches() {
            Ok(found) => archive_errors.extend(found.iter().map(|(j, what)| format!("{j}: {what}"))),
            Err(e) => archive_errors.push(format!("the list of journals cannot be read: {e}")),
        }
        // The readings are kept under the key the decisions give (other
        // versions of the rubric counted), and checked under it.
        let mut counting = rubric.clone();
        if let Ok(decisions) = osce::results::decisions::gather_from(&rubric, &hash, sessions.source()) {
            counting.counted_versions = decisions.counted_versions(&rubric).0;
        }
        archive_errors.extend(
            osce::results::gather::check_readings(&counting, &hash, stored)
                .iter()
                .map(|(j, what)| {
                    let j = j.strip_prefix(stored.path()).unwrap_or(j);
                    format!("{}: {what}", j.display())
                }),
        );
    }
    let mut archive_warnings = Vec::new();
    if let Some(stored) = &sessions.stored {
        match stored.replaced() {
            Ok(replaced) => archive_warnings.extend(replaced.iter().map(|(j, what)| format!("{j}: {what}"))),
            Err(e) => archive_errors.push(format!("the table of replaced copies cannot be read: {e}")),
        }
    }
    let header = match &args.archive {
        Some(a) => format!(
            "Rubric: {}, BLAKE3 {hash}\nArchive: {} (journals named by their path inside it)\n",
            args.rubric.display(),
            a.display()
        ),
        None => format!(
            "Rubric: {}, BLAKE3 {hash}\nSessions folders: {}\n",
            args.rubric.display(),
            report
                .folders
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let checks = args.archive.as_deref().map(|a| ArchiveChecks {
        archive: a,
        errors: &archive_errors,
        warnings: &archive_warnings,
    });
    let text = render(&rubric, &header, &report, checks.as_ref());
    // An audit of nothing checks nothing: a script auditing before the
    // exam board must not take it for a pass.
    let nothing = report.journals.is_empty();
    out!("{}", printable(&text));
    if nothing || report.has_errors() || !archive_errors.is_empty() {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    }
}

fn sheet(key: &SheetKey) -> String {
    format!(
        "{} at {}, examiner {} on {}",
        key.candidate, key.station, key.examiner, key.device
    )
}

/// The submission's outcome and marks; an absence has no marks, never a 0
/// that would read as marks earned.
fn result(s: &Submission) -> String {
    if s.outcome == osce::scoring::StationOutcome::Absent {
        return s.outcome.to_string();
    }
    format!("{} {}/{}", s.outcome, fmt_marks(s.score), fmt_marks(s.max))
}

/// One finding. From an archive, each history of a sheet with several is
/// named with where it was collected from: which laptop's it is.
fn finding(out: &mut String, f: &Finding, archive: Option<&Path>) {
    let _ = writeln!(out, "  {f}");
    if let (
        Some(archive),
        FindingKind::SameSheet {
            others,
            relation: Copies::Different,
            ..
        },
    ) = (archive, &f.kind)
    {
        for path in std::iter::once(&f.path).chain(others) {
            if let Some(from) = osce::results::archive::origin_of(archive, path) {
                let _ = writeln!(out, "      {} (collected from {from})", path.display());
            }
        }
    }
}

/// The report as text. `header` (ending in a newline) is printed under
/// the title: where the rubric came from.
/// What an audit of an archive found of the archive itself (SQLite's
/// check of the file, the stored bytes against their BLAKE3, the list of
/// journals and the readings against the bytes), beside what it found in
/// the journals.
pub struct ArchiveChecks<'a> {
    pub archive: &'a Path,
    pub errors: &'a [String],
    pub warnings: &'a [String],
}

pub fn render(rubric: &Rubric, header: &str, report: &AuditReport, checks: Option<&ArchiveChecks>) -> String {
    let mut out = String::new();
    let archive = checks.map(|c| c.archive);
    let errors = report.errors().count() + checks.map_or(0, |c| c.errors.len());
    let warnings = report.warnings().count() + checks.map_or(0, |c| c.warnings.len());
    let _ = writeln!(
        out,
        "Audit of the session files of \"{}\" (assessment {})",
        rubric.title, report.assessment
    );
    let _ = writeln!(
        out,
        "{}, {}, {}, {}: {}, {}.",
        plural(report.journals.len(), "journal", "journals"),
        plural(report.records(), "record", "records"),
        plural(report.amendments.len(), "amendment", "amendments"),
        plural(errors + warnings, "problem", "problems"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
    out.push('\n');
    out.push_str(header);
    let _ = writeln!(out, "Times are as the laptops' clocks said, in UTC.");

    let _ = writeln!(out, "\nJournals ({}):", report.journals.len());
    if report.journals.is_empty() {
        let _ = writeln!(out, "  none found for assessment \"{}\"", report.assessment);
    }
    // Journals whose error the exam lead settled by a decision (a journal
    // in the wrong place, voided): not errors any more, and said so.
    let settled: std::collections::BTreeMap<&std::path::Path, &str> = report
        .findings
        .iter()
        .filter_map(|f| match &f.kind {
            FindingKind::Settled { by, .. } => Some((f.path.as_path(), by.as_str())),
            _ => None,
        })
        .collect();
    // Journals of another version of the rubric a decision counts: used.
    let counted: std::collections::BTreeSet<&std::path::Path> = report
        .findings
        .iter()
        .filter(|f| matches!(f.kind, FindingKind::Counted { .. }))
        .map(|f| f.path.as_path())
        .collect();
    for j in &report.journals {
        let records = if j.records == j.lines {
            plural(j.records, "record", "records")
        } else {
            format!("{} of {} lines used", j.records, j.lines)
        };
        let labels = j.labels();
        let (tag, detail) = match settled.get(j.path.as_path()) {
            _ if labels.is_empty() => ("ok   ", String::new()),
            _ if counted.contains(j.path.as_path()) && labels.len() == 1 => (
                "ok   ",
                ": marked against another version of the rubric, counted as this one by decision".to_string(),
            ),
            Some(by) => ("void ", format!(": {}; settled: {by}", labels.join("; "))),
            None => ("ERROR", format!(": {}", labels.join("; "))),
        };
        let _ = writeln!(out, "  {tag} {} ({records}){detail}", j.path.display());
    }

    if !report.quarantines.is_empty() {
        let _ = writeln!(
            out,
            "\nQuarantine files ({}): bytes set aside after a write was cut short",
            report.quarantines.len()
        );
        for q in &report.quarantines {
            let beside = match &q.journal {
                Some(_) => String::new(),
                None => ", no journal beside it".to_string(),
            };
            let changed = if q.changed.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} changed by hand",
                    plural(q.changed.len(), "record", "records")
                )
            };
            let _ = writeln!(
                out,
                "  {} ({}{changed}{beside})",
                q.path.display(),
                plural(q.bytes as usize, "byte", "bytes")
            );
        }
    }

    if errors > 0 {
        let _ = writeln!(out, "\nErrors ({errors}):");
        for f in report.errors() {
            finding(&mut out, f, archive);
        }
    }
    if warnings > 0 {
        let _ = writeln!(out, "\nWarnings ({warnings}):");
        // Copies of a folder collected twice are ordinary and counted once
        // by every command: summed up by folder, so that a warning that
        // needs a person is not lost among hundreds of them.
        let is_copy = |f: &&Finding| {
            matches!(
                &f.kind,
                FindingKind::SameSheet {
                    relation: Copies::Identical | Copies::OlderCopy,
                    ..
                }
            )
        };
        let copies: Vec<&Finding> = report.warnings().filter(is_copy).collect();
        for f in report.warnings().filter(|f| !is_copy(f)) {
            finding(&mut out, f, archive);
        }
        if copies.len() > 5 {
            let mut by_folder: std::collections::BTreeMap<(String, bool), usize> = Default::default();
            for f in &copies {
                let root = osce::store::sessions_root(&f.path)
                    .unwrap_or(&f.path)
                    .display()
                    .to_string();
                let renamed = matches!(f.kind, FindingKind::SameSheet { renamed: true, .. });
                *by_folder.entry((root, renamed)).or_default() += 1;
            }
            for ((folder, renamed), n) in by_folder {
                let what = plural(n, "sheet's journal is", "sheets' journals are");
                let _ = if renamed {
                    writeln!(
                        out,
                        "  {folder}: {what} also found in a copy renamed beside it (a file or folder a sync \
                         client or a person copied beside one of the same name), identical or an older copy. \
                         Every command counts each sheet once, the longest copy whatever its name"
                    )
                } else {
                    writeln!(
                        out,
                        "  {folder}: {what} also found in another folder given, identical or an older copy: a \
                         folder collected twice. Every command counts each sheet once; keep one copy of each \
                         folder"
                    )
                };
            }
        } else {
            for f in copies {
                finding(&mut out, f, archive);
            }
        }
    }

    let _ = writeln!(
        out,
        "\nAmendments ({}; results as the laptop recorded them when submitted):",
        report.amendments.len()
    );
    if report.amendments.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for a in &report.amendments {
        let before = a.before.as_ref().map_or("not submitted before".to_string(), |s| {
            format!("was {}", result(s))
        });
        let after = a.after.as_ref().map_or("not resubmitted yet".to_string(), |s| {
            format!("resubmitted {} at {}", result(s), fmt_time(&s.time))
        });
        let _ = writeln!(
            out,
            "  {}: amended by {} on {} at {}, reason {:?}; {before}, {after}",
            sheet(&a.key),
            a.examiner,
            a.device,
            fmt_time(&a.time),
            a.reason,
        );
        let _ = writeln!(out, "    record {} of {}", a.seq, a.path.display());
    }

    // Each result as the laptop scored it when submitted: under the
    // rubric's own pass marks, not those adopted since.
    let _ = writeln!(
        out,
        "\nSubmissions ({}; each with the score and result the laptop recorded when it was submitted, under the \
         rubric's own pass marks: results.csv from osce export gives each station's result under the pass marks \
         in force):",
        report.submissions.len()
    );
    if report.submissions.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for s in &report.submissions {
        let again = if s.after_amendment {
            " (after an amendment)"
        } else {
            ""
        };
        let absence = s
            .absent
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map_or(String::new(), |r| format!(" ({r})"));
        let _ = writeln!(
            out,
            "  {}: {}{absence} submitted by {} on {} at {}, record {}{again}",
            sheet(&s.key),
            result(&s.submission),
            s.examiner,
            s.device,
            fmt_time(&s.submission.time),
            s.submission.seq,
        );
    }

    if !report.unmarked.is_empty() {
        let _ = writeln!(out, "\nLeft unmarked at submission ({}):", report.unmarked.len());
        for u in &report.unmarked {
            let _ = writeln!(
                out,
                "  {}: {}: {}{}",
                sheet(&u.key),
                u.what,
                u.reason,
                if u.marked_since {
                    " (marked since, in an amendment)"
                } else {
                    ""
                }
            );
        }
    }

    if !report.pauses.is_empty() {
        let _ = writeln!(out, "\nTimer pauses ({}):", report.pauses.len());
        for p in &report.pauses {
            let _ = writeln!(out, "  {}: {}", sheet(&p.key), p.pause.words());
        }
    }

    if !report.imports.is_empty() {
        let _ = writeln!(out, "\nEntered from paper ({}):", report.imports.len());
        for i in &report.imports {
            let _ = writeln!(
                out,
                "  {}: imported by {} at {}, record {}, from {:?}",
                sheet(&i.key),
                i.examiner,
                fmt_time(&i.time),
                i.seq,
                i.source
            );
        }
    }

    if let Some(c) = checks {
        let _ = writeln!(
            out,
            "\nThe archive's own checks: {}",
            if c.errors.is_empty() {
                format!(
                    "every stored journal matches the BLAKE3 recorded when it was collected, and what the list of \
                     journals says of it; every reading the archive keeps of a sheet is what its bytes say; SQLite \
                     finds the file sound{}",
                    if c.warnings.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", plural(c.warnings.len(), "warning", "warnings"))
                    }
                )
            } else {
                format!("{} ERROR(S)", c.errors.len())
            }
        );
        for e in c.errors {
            let _ = writeln!(out, "  ERROR {}: {e}", c.archive.display());
        }
        for w in c.warnings {
            let _ = writeln!(out, "  WARNING {}: {w}", c.archive.display());
        }
    }

    out.push('\n');
    // Journals marked against another version of the rubric are not
    // damaged: a copy of the rubric that differs was used on a laptop.
    let other_versions = report
        .errors()
        .filter(|f| matches!(f.kind, osce::results::audit::FindingKind::OtherRubric { .. }))
        .count();
    if errors > 0 && errors == other_versions {
        let _ = writeln!(
            out,
            "{} marked against another version of the rubric (a copy whose content differs from this file's), \
             nothing else: not damage, and nothing to keep apart. Status and export leave {} out; `osce status \
             RUBRIC --problems` names {} for the exam lead, who decides what counts.",
            plural(other_versions, "journal was", "journals were"),
            if other_versions == 1 { "it" } else { "them" },
            if other_versions == 1 { "it" } else { "them" },
        );
    } else if errors > 0 {
        let _ = writeln!(
            out,
            "{} found. Keep a copy of every file named above exactly as it is (do not open or re-save it \
             in an editor) and tell the exam lead. Status and export use only the intact records before \
             a journal's first bad line, and leave out journals marked against another rubric.",
            plural(errors, "error", "errors")
        );
    } else if report.journals.is_empty() {
        let _ = writeln!(
            out,
            "Nothing was audited: no journal of assessment \"{}\" was found. Check that the rubric is the one \
             the exam used{}.",
            report.assessment,
            if warnings > 0 {
                " (the warning above says what is there instead)"
            } else {
                ""
            }
        );
    } else if warnings > 0 {
        let _ = writeln!(
            out,
            "Every journal checks, but {} above should be looked at.",
            plural(warnings, "warning", "warnings")
        );
    } else {
        let _ = writeln!(out, "Every journal checks: nothing wrong found.");
    }
    out
}

/// `text` with every control character but the newline shown escaped, so
/// that a file name or a reason typed in cannot move the cursor or change
/// the terminal's colours.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
