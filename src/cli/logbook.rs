//! `osce logbook`: each candidate's logbook against the rubric's logbook
//! gate. The checking and the verdicts are in [`osce::logbook`]; this
//! prints them and gives the exit code: 0 when every candidate in the file
//! meets the gate, 1 when one does not or the file or rubric is wrong, 2
//! for usage or I/O.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use osce::base::text::{fit, plural};
use osce::logbook::{CandidateVerdict, parse, read_logbook};
use osce::rubric::LogbookGate;

use super::status::rubric_and_hash;
use super::{EXIT_INVALID, EXIT_USAGE};

/// A file with more problems than this shows the first ones and a count:
/// a wrong file is usually wrong on every line, and the first screenful
/// says what to fix.
pub const MAX_SHOWN: usize = 50;

#[derive(Debug, clap::Args)]
pub struct LogbookArgs {
    /// Rubric file (.ron) with a `logbook` gate
    #[arg(value_name = "RUBRIC")]
    pub rubric: PathBuf,
    /// The logbook, in the CSV format of docs/logbook-format.md
    #[arg(value_name = "LOGBOOK.csv")]
    pub file: PathBuf,
    /// The day taken as today, YYYY-MM-DD (for tests: entries after it
    /// are refused)
    #[arg(long, value_name = "YYYY-MM-DD", hide = true, value_parser = day)]
    pub today: Option<NaiveDate>,
}

fn day(text: &str) -> Result<NaiveDate, String> {
    osce::base::text::parse_date(text).ok_or_else(|| format!("{text:?} is not a date written YYYY-MM-DD"))
}

pub fn run(args: &LogbookArgs) -> ExitCode {
    let (rubric, _) = match rubric_and_hash(&args.rubric) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(gate) = &rubric.logbook else {
        errln!(
            "error: {}: the rubric has no logbook gate, so there is nothing to check a logbook against. Add \
             `logbook: (component: \"logbook\", entry: \"scan\", total: 250, ...)` to the rubric, as \
             docs/rubric-format.md shows",
            args.rubric.display()
        );
        return ExitCode::from(EXIT_INVALID);
    };
    let text = match read_logbook(&args.file) {
        Ok(text) => text,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let today = args.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let entries = match parse(&text, gate, today) {
        Ok(entries) => entries,
        Err(errors) => {
            let path = args.file.display();
            for problem in errors.problems.iter().take(MAX_SHOWN) {
                errln!("{path}: {problem}");
            }
            let n = errors.count();
            if n > MAX_SHOWN {
                let rest = n - MAX_SHOWN;
                errln!(
                    "{path}: ... and {rest} more {} (only the first {MAX_SHOWN} are shown)",
                    if rest == 1 { "problem" } else { "problems" }
                );
            }
            errln!(
                "{path}: {}; no candidate's logbook was judged. Correct what is said above, then run `osce \
                 logbook` again",
                plural(n, "problem", "problems")
            );
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let verdicts = gate.evaluate(&entries);
    out!("{}", table(args, gate, &verdicts, entries.len()));
    if verdicts.iter().all(|v| v.eligible) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}

/// The gate, one line per candidate, and a summary line.
fn table(args: &LogbookArgs, gate: &LogbookGate, verdicts: &[CandidateVerdict], entries: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Logbook gate for component \"{}\" of {}: {}.",
        gate.component,
        args.rubric.display(),
        gate.summary()
    );
    let width = verdicts
        .iter()
        .map(|v| v.candidate.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(9, 24);
    let count = gate.entries.chars().count().max(6);
    let _ = writeln!(
        out,
        "{}  {:>count$}  {:>8}  {:>10}  {:>7}  verdict",
        fit("candidate", width),
        gate.entries,
        "assisted",
        "unassisted",
        "audited"
    );
    for v in verdicts {
        let verdict = if v.eligible {
            "eligible".to_string()
        } else {
            format!("NOT ELIGIBLE: {}", v.reason(gate))
        };
        let _ = writeln!(
            out,
            "{}  {:>count$}  {:>8}  {:>10}  {:>7}  {verdict}",
            fit(&v.candidate, width),
            v.total,
            v.assisted,
            v.unassisted,
            v.audited
        );
    }
    let eligible = verdicts.iter().filter(|v| v.eligible).count();
    let _ = writeln!(
        out,
        "{}: {} eligible, {} not eligible ({}, {}).",
        plural(verdicts.len(), "candidate", "candidates"),
        eligible,
        verdicts.len() - eligible,
        args.file.display(),
        plural(entries, &gate.entry, &gate.entries)
    );
    out
}
