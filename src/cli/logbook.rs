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
    /// Record each candidate's outcome (eligible: PASS; not: FAIL, with
    /// what is missing) as the result of the gate's component, a decision
    /// of the exam lead's (docs/decisions.md); needs --sessions or
    /// --archive, and --by
    #[arg(long, requires = "by")]
    pub record: bool,
    /// With --record: the exam's session folders (one per laptop)
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub sessions: Vec<PathBuf>,
    /// With --record: the exam archive (`osce collect`), instead of the
    /// folders; --into is then required
    #[arg(long, value_name = "ARCHIVE", conflicts_with = "sessions")]
    pub archive: Option<PathBuf>,
    /// With --record: the roster, for candidates with no sheet yet
    #[arg(long, value_name = "FILE.csv")]
    pub roster: Option<PathBuf>,
    /// With --record: who records it
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// With --record: why (default: the logbook gate, from the file named)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// With --record: the sessions folder to record in (default: the first
    /// --sessions folder; required with --archive, and then collected into
    /// it); what it holds already is read, so nothing is recorded twice
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// With --record: this computer's name in the record (default: its
    /// hostname)
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// With --record: change outcomes recorded before (with a --reason)
    #[arg(long)]
    pub correct: bool,
    /// With --record: show what it would change, and record nothing
    #[arg(long)]
    pub dry_run: bool,
}

fn day(text: &str) -> Result<NaiveDate, String> {
    osce::base::text::parse_date(text).ok_or_else(|| osce::base::text::date_problem(text))
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
    // The command `osce status` prints, run with its placeholders: each
    // named, nothing read or recorded.
    let mut left = Vec::new();
    if args.file.as_os_str() == "LOGBOOK.csv" && !args.file.exists() {
        left.push("LOGBOOK.csv (the candidates' logbook file, as docs/logbook-format.md gives its columns)");
    }
    if args
        .by
        .as_deref()
        .is_some_and(|by| matches!(by.trim(), "NAME" | "YOUR NAME"))
    {
        left.push("--by NAME (your own name)");
    }
    if !left.is_empty() {
        errln!(
            "error: the command still holds placeholders to fill in: {}; nothing was read or recorded",
            left.join("; ")
        );
        return ExitCode::from(EXIT_USAGE);
    }
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
    if args.record {
        let code = record(args, gate, &verdicts, &entries, &text);
        if code != ExitCode::SUCCESS {
            return code;
        }
    }
    if verdicts.iter().all(|v| v.eligible) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}

/// `--record`: each candidate's outcome as the result of the gate's
/// component, recorded as `osce decide components` records a results file
/// (the logbook's hash, and the candidate's first line in it).
fn record(
    args: &LogbookArgs,
    gate: &LogbookGate,
    verdicts: &[CandidateVerdict],
    entries: &[osce::logbook::Entry],
    text: &str,
) -> ExitCode {
    let reason = args
        .reason
        .clone()
        .unwrap_or_else(|| format!("the logbook gate, from {}", args.file.display()));
    if args.sessions.is_empty() && args.archive.is_none() {
        errln!(
            "error: --record needs the exam's sheets: give --sessions DIR... (the laptops' folders) or --archive \
             ARCHIVE (with --into DIR); nothing was recorded"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let common = super::decide::Common {
        rubric: args.rubric.clone(),
        sessions: args.sessions.clone(),
        archive: args.archive.clone(),
        roster: args.roster.clone(),
        by: args.by.clone(),
        reason: Some(reason),
        into: args.into.clone(),
        device: args.device.clone(),
        dry_run: args.dry_run,
    };
    // Read as every decision is: the folder it goes to too, so that what
    // was recorded there is found, and not recorded again.
    let (by, reason, l) = match super::decide::loaded(&common) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let unknown: Vec<&str> = verdicts
        .iter()
        .map(|v| v.candidate.as_str())
        .filter(|c| !l.matrix.candidates.iter().any(|k| k == c))
        .collect();
    if !unknown.is_empty() {
        let fix = match &args.roster {
            Some(roster) => format!(
                "correct the ids, or add {} to the roster {}",
                if unknown.len() == 1 { "them" } else { "each" },
                roster.display()
            ),
            None => "give the exam's --roster, or correct the ids".to_string(),
        };
        // Each with the lines it is on, and the candidate a typo away.
        let named: Vec<String> = unknown
            .iter()
            .map(|id| {
                let lines: Vec<usize> = entries
                    .iter()
                    .filter(|e| e.candidate == *id)
                    .map(|e| e.line)
                    .collect();
                let near = osce::rubric::did_you_mean(id, l.matrix.candidates.iter().map(String::as_str))
                    .filter(|near| near != id)
                    .map(|near| format!("; did you mean {near}?"))
                    .unwrap_or_default();
                format!(
                    "{id} ({} {}{near})",
                    if lines.len() == 1 { "line" } else { "lines" },
                    line_ranges(&lines)
                )
            })
            .collect();
        errln!(
            "error: {}: {} on the roster nor with a sheet: {}. Nothing recorded; {fix}",
            args.file.display(),
            if unknown.len() == 1 {
                "a candidate is not"
            } else {
                "candidates are not"
            },
            named.join(", ")
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let rows = verdicts
        .iter()
        .map(|v| osce::results::components::ComponentRow {
            line: entries
                .iter()
                .filter(|e| e.candidate == v.candidate)
                .map(|e| e.line)
                .min()
                .unwrap_or(0),
            candidate: v.candidate.clone(),
            component: gate.component.clone(),
            result: if v.eligible {
                osce::results::decisions::ComponentValue::Pass
            } else {
                osce::results::decisions::ComponentValue::Fail
            },
            note: if v.eligible { String::new() } else { v.reason(gate) },
        })
        .collect();
    let read = osce::results::components::ComponentsFile {
        rows,
        hash: blake3::hash(text.as_bytes()).to_hex().to_string(),
    };
    super::decide::record_components(&common, &l, (by, reason), &args.file, read, args.correct)
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

/// Line numbers as a reader finds them: runs as ranges, the first few of
/// them (`12-40, 45, 50-52, …`).
fn line_ranges(lines: &[usize]) -> String {
    let mut sorted = lines.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for n in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    const SHOWN: usize = 5;
    let mut words: Vec<String> = runs
        .iter()
        .take(SHOWN)
        .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") })
        .collect();
    if runs.len() > SHOWN {
        words.push("…".to_string());
    }
    words.join(", ")
}
