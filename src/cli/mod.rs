//! The command-line shell around the core: argument parsing, output and
//! exit codes. Exit codes: 0 success, 1 the input is wrong (an invalid
//! rubric), 2 usage or I/O (a missing file, not UTF-8, a folder).

pub mod diagnostics;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use osce::rubric::{self, LoadError, summary::summary};

pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "osce",
    version,
    about = "Run clinical competency assessments (OSCEs, practical exams, final clinical assessments) from RON rubrics",
    long_about = None,
    arg_required_else_help = true,
    after_help = "Exit codes: 0 success · 1 the input is wrong (e.g. an invalid rubric) · 2 usage or I/O error.\nThe rubric format is documented in docs/rubric-format.md."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check rubric files and explain every mistake
    ///
    /// Reports syntax errors with file:line:col and the offending line,
    /// unknown fields, and every semantic problem (duplicate ids, undefined
    /// scales, impossible pass marks, ...) with its path inside the rubric.
    /// Warnings mark things that are allowed but probably not meant.
    Check {
        /// Rubric files (.ron)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Treat warnings as errors (exit 1 if there are any)
        #[arg(long)]
        strict: bool,
        /// Print only problems, not the line for each valid file
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print a readable summary of a rubric to proof-read
    ///
    /// Stations, timings, items with their marks and maxima, critical items,
    /// pass marks and the overall pass rules in words.
    Show {
        /// Rubric file (.ron)
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check { files, strict, quiet } => check(&files, strict, quiet),
        Command::Show { file } => show(&file),
    }
}

fn check(files: &[PathBuf], strict: bool, quiet: bool) -> ExitCode {
    let colour = diagnostics::colour_wanted();
    let mut worst = 0u8;
    for path in files {
        let checked = match rubric::check_file(path) {
            Ok(checked) => checked,
            Err(e) => {
                eprintln!("error: {e}");
                worst = worst.max(EXIT_USAGE);
                continue;
            }
        };
        eprint!("{}", diagnostics::render(&checked, colour));
        let errors = checked.errors().count();
        let warnings = checked.warnings().count();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match &checked.rubric {
            Some(r) if errors == 0 => {
                if !quiet {
                    let items: usize = r.stations.iter().map(|s| s.items.len()).sum();
                    let station_word = match r.kind {
                        osce::rubric::AssessmentKind::FinalClinicalAssessment => "case",
                        _ => "scored station",
                    };
                    println!(
                        "ok: {} is valid: \"{}\", {}, {}, maximum {}{}",
                        path.display(),
                        r.title,
                        plural(r.scored_stations().count(), station_word),
                        plural(items, "item"),
                        if r.total_max() == 1.0 {
                            "1 mark".to_string()
                        } else {
                            format!("{} marks", osce::scoring::fmt_marks(r.total_max()))
                        },
                        if warnings > 0 {
                            format!(" ({})", plural(warnings, "warning"))
                        } else {
                            String::new()
                        }
                    );
                }
                if strict && warnings > 0 {
                    eprintln!("{}: warnings are errors with --strict", path.display());
                    worst = worst.max(EXIT_INVALID);
                }
            }
            _ => {
                eprintln!(
                    "{}: invalid: {}{}",
                    path.display(),
                    plural(errors, "error"),
                    if warnings > 0 {
                        format!(", {}", plural(warnings, "warning"))
                    } else {
                        String::new()
                    }
                );
                worst = worst.max(EXIT_INVALID);
            }
        }
    }
    ExitCode::from(worst)
}

fn show(path: &Path) -> ExitCode {
    match rubric::load(path) {
        Ok((rubric, checked)) => {
            eprint!("{}", diagnostics::render(&checked, diagnostics::colour_wanted()));
            print!("{}", summary(&rubric));
            ExitCode::SUCCESS
        }
        Err(LoadError::Read(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(LoadError::Invalid(checked)) => {
            eprint!("{}", diagnostics::render(&checked, diagnostics::colour_wanted()));
            eprintln!(
                "{}: invalid, so there is nothing to show; run `osce check {}` after fixing the errors above",
                path.display(),
                path.display()
            );
            ExitCode::from(EXIT_INVALID)
        }
    }
}
