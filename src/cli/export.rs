//! `osce export`: the CSV files for the exam board and the records system.

use std::process::ExitCode;

use osce::export::{ExportError, marks_table, write_export};
use osce::results::results_for;
use osce::scoring::Standards;

use super::status::{Loaded, load_cohort};
use super::{EXIT_USAGE, ExportArgs};

/// `candidate_id=Student ID,percent=Mark` → [(field, header)]; a field
/// without `=` keeps its own name as the header.
fn parse_columns(spec: &str) -> Vec<(String, String)> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((field, header)) => (field.trim().to_string(), header.trim().to_string()),
            None => (pair.to_string(), pair.to_string()),
        })
        .collect()
}

pub fn run(args: &ExportArgs) -> ExitCode {
    let Loaded {
        rubric,
        cohort,
        matrix: m,
    } = match load_cohort(&args.rubric, &args.sessions, args.roster.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let columns = parse_columns(&args.marks_columns);
    if let Err(message) = marks_table(&[], &columns) {
        errln!("error: --marks-columns: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    let standards = Standards::default();
    let results_of = |part: &[String]| results_for(&rubric, &cohort, &m, &standards, part);
    let code = match write_export(&args.out, &rubric, &cohort, &m, results_of, &columns, args.force) {
        Ok(written) => {
            for p in &cohort.problems {
                errln!("warning: {p}");
            }
            let waiting = m.cells.values().filter(|c| !c.state.is_done()).count();
            for (path, rows) in &written {
                outln!("wrote {} ({rows} rows)", path.display());
            }
            if waiting > 0 {
                outln!(
                    "note: {waiting} expected sheets are not submitted yet; their candidates are INCOMPLETE (osce status lists them)"
                );
            }
            ExitCode::SUCCESS
        }
        Err(e @ ExportError::Exists { .. }) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    };
    super::status::leave(cohort, m);
    code
}
