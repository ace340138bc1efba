//! `osce report`: the exam quality report.

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::Utc;
use osce::analysis::report::{Report, build, circuits};
use osce::results::moderation::Moderation;

use super::status::{Loaded, load_cohort};
use super::{EXIT_USAGE, ReportArgs, ReportFormat};

pub fn run(args: &ReportArgs) -> ExitCode {
    let sessions = match super::collect::sessions_or_archive(&args.sessions, args.archive.as_deref(), false) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Loaded {
        rubric,
        hash,
        roster,
        cohort,
        matrix,
        decisions,
        ..
    } = match load_cohort(&args.rubric, &sessions.folders, args.roster.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // Standard setting uses the examiners' own marks, before moderation.
    let none = Moderation::default();
    let double_marking = osce::analysis::agreement::double_marking(&rubric, &cohort, &matrix);
    let mut report: Report = build(
        &rubric,
        &cohort,
        &matrix.candidates,
        &circuits(roster.as_ref()),
        double_marking,
        |part, s| osce::results::reconcile::results_for(&rubric, &cohort, &matrix, s, &none, part),
    );
    report.adopted = decisions
        .pass_marks()
        .map(|(made, _)| format!("{} ({})", made.entry.decision.words(), made.attribution()));
    let unusable = super::status::warn_unusable(&cohort);
    if matrix.candidates.is_empty() {
        errln!(
            "error: no sheets were found for assessment \"{}\" in {}: nothing to report",
            rubric.id,
            match &args.archive {
                Some(a) => a.display().to_string(),
                None => osce::results::gather::folder_list(&args.sessions),
            }
        );
        return ExitCode::from(super::EXIT_INVALID);
    }
    if let (Some(path), Some(by)) = (&args.save_standards, &args.by) {
        let decision = osce::analysis::standards::decide(&rubric, &hash, &report, &cohort, by, Utc::now());
        if decision.stations.is_empty() {
            errln!(
                "error: --save-standards: no station has a standard-set pass mark to save (none uses borderline \
                 regression or the borderline group, or none could be computed; the report says why); nothing was saved"
            );
            return ExitCode::from(super::EXIT_INVALID);
        }
        if path.exists() {
            errln!(
                "error: {}: already exists; a standard-setting record is never overwritten: save this one under another name",
                path.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
        let text = match serde_json::to_string_pretty(&decision) {
            Ok(t) => t + "\n",
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        };
        match write_file(path, text.into_bytes(), false) {
            Ok(()) => errln!(
                "saved the standard-setting record ({} stations, set by {by}) to {}; once the exam board agrees, adopt \
                 it for every command with osce decide pass-marks RUBRIC --sessions … --record {} --by NAME --reason \"…\" \
                 (docs/decisions.md)",
                decision.stations.len(),
                path.display(),
                path.display()
            ),
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    let terminal = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let format = args.format.unwrap_or(if terminal && args.out.is_none() {
        ReportFormat::Tui
    } else {
        ReportFormat::Markdown
    });
    let code = match format {
        ReportFormat::Tui => {
            if !terminal {
                errln!("error: --format tui needs a terminal; use --format markdown, csv or html");
                return ExitCode::from(EXIT_USAGE);
            }
            let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            match osce::tui::report::run(report, colour) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    errln!("error: the terminal failed: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        ReportFormat::Markdown | ReportFormat::Html => {
            let text = if format == ReportFormat::Html {
                osce::analysis::report::html::render(&report)
            } else {
                osce::analysis::report::markdown::render(&report)
            };
            match &args.out {
                None if format == ReportFormat::Markdown => {
                    out!("{text}");
                    ExitCode::SUCCESS
                }
                None => {
                    errln!("error: --format html needs --out FILE.html");
                    ExitCode::from(EXIT_USAGE)
                }
                Some(path) => write_one(path, text.into_bytes(), args.force),
            }
        }
        ReportFormat::Csv => {
            let Some(dir) = &args.out else {
                errln!(
                    "error: --format csv needs --out DIR (it writes report-stations.csv and report-exam.csv)"
                );
                return ExitCode::from(EXIT_USAGE);
            };
            let tables = [
                osce::analysis::report::csv::stations(&report),
                osce::analysis::report::csv::exam(&report),
            ];
            match osce::results::export::write(dir, &tables, args.force) {
                Ok(paths) => {
                    for p in paths {
                        outln!("wrote {}", p.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    errln!("error: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
    };
    // The report was made, but from fewer sheets than the folders hold.
    if unusable && code == ExitCode::SUCCESS {
        ExitCode::from(super::EXIT_INVALID)
    } else {
        code
    }
}

fn write_one(path: &std::path::Path, bytes: Vec<u8>, force: bool) -> ExitCode {
    match write_file(path, bytes, force) {
        Ok(()) => {
            outln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Writes one file the export's careful way (a new temporary file, fsync,
/// rename; never through a link planted at `path`; owner only).
fn write_file(path: &std::path::Path, bytes: Vec<u8>, force: bool) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = match path.file_name() {
        Some(name) if !path.is_dir() && path.to_str().is_none_or(|p| !p.ends_with('/')) => {
            name.to_string_lossy().to_string()
        }
        _ => return Err(format!("{}: name a file to write, not a folder", path.display())),
    };
    osce::results::export::write_files(dir, &[(name, bytes)], force)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
