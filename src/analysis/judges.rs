//! Reading the judges' standard-setting files (`osce report --angoff`,
//! `--hofstee`) the careful way the roster and the paper-marks file are
//! read ([`crate::base::csvin`]): a size limit, UTF-8 only, a header
//! matched by name with a "did you mean", every problem at once with its
//! line and what to do, and all or nothing: a file with any problem is not
//! used at all. The formats are documented in `docs/report.md`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::base::csvin::{self, Problem, ReadProblem};

/// Judges' files are small: a few judges × the items of an exam.
pub const MAX_JUDGES_BYTES: u64 = 4 * 1024 * 1024;

/// One problem in a judges' file: the line as a spreadsheet numbers it
/// (the header is line 1), the column, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgesProblem {
    pub line: Option<usize>,
    pub column: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl From<Problem> for JudgesProblem {
    fn from(p: Problem) -> Self {
        JudgesProblem {
            line: p.at,
            column: p.column,
            message: p.message,
            help: p.help,
        }
    }
}

impl fmt::Display for JudgesProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (column, help) = (self.column.as_deref(), self.help.as_deref());
        csvin::write_problem(f, "line", self.line, column, &self.message, help)
    }
}

/// Why a judges' file cannot be used. [`JudgesError::is_io`] tells a file
/// that cannot be read (exit code 2) from one read and found wrong (exit
/// code 1). Every message starts with the file's name.
#[derive(Debug, thiserror::Error)]
pub enum JudgesError {
    #[error("{path}: cannot read the {what}: {source}")]
    Io {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: is a folder, not the {what}")]
    IsDirectory { path: PathBuf, what: &'static str },
    #[error(
        "{path}: is larger than {} MiB, too large to be the {what}; check you named the right file",
        MAX_JUDGES_BYTES / 1024 / 1024
    )]
    TooLarge { path: PathBuf, what: &'static str },
    #[error(
        "{path}:{line}:{column}: is not UTF-8 text: {why}; save the {what} as \
         \"CSV UTF-8 (Comma delimited)\" in Excel, or as UTF-8 CSV in other programs"
    )]
    NotText {
        path: PathBuf,
        what: &'static str,
        line: usize,
        column: usize,
        why: String,
    },
    #[error(
        "{}\n{path}: nothing in the {what} was used: fix every line above and run again",
        csvin::prefix_lines(path, problems)
    )]
    Invalid {
        path: PathBuf,
        what: &'static str,
        problems: Vec<JudgesProblem>,
    },
}

impl JudgesError {
    /// Whether the file could not be read at all, rather than read and
    /// found wrong.
    pub fn is_io(&self) -> bool {
        !matches!(self, JudgesError::Invalid { .. })
    }
}

/// Reads `path` as text, in the words of `what` ("Angoff estimates").
pub fn read_text(path: &Path, what: &'static str) -> Result<String, JudgesError> {
    csvin::read_capped(path, MAX_JUDGES_BYTES)
        .and_then(csvin::decode)
        .map_err(|problem| {
            let path = path.to_path_buf();
            match problem {
                ReadProblem::Io(source) => JudgesError::Io { path, what, source },
                ReadProblem::IsDirectory => JudgesError::IsDirectory { path, what },
                ReadProblem::TooLarge => JudgesError::TooLarge { path, what },
                ReadProblem::NotText { line, column, why } => JudgesError::NotText {
                    path,
                    what,
                    line,
                    column,
                    why,
                },
            }
        })
}

/// A share from 0 to 1, written `0.6` or `60%`. `Err` says what is wrong.
pub fn share(cell: &str) -> Result<f64, String> {
    let (number, percent) = match cell.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (cell, false),
    };
    let v: f64 = number
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("{} is not a number", crate::rubric::quoted(cell)))?;
    let v = if percent { v / 100.0 } else { v };
    if !(0.0..=1.0).contains(&v) {
        return Err(if !percent && (1.0..=100.0).contains(&v) {
            format!(
                "{cell} is above 1: an estimate is a share from 0 to 1 (write 0.6 or 60% for sixty percent)"
            )
        } else {
            format!("{cell} is outside 0 to 1 (0% to 100%)")
        });
    }
    Ok(v)
}

/// A percent from 0 to 100, written `55` or `55%`.
pub fn percent(cell: &str) -> Result<f64, String> {
    let number = cell.strip_suffix('%').map(str::trim).unwrap_or(cell);
    let v: f64 = number
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("{} is not a number", crate::rubric::quoted(cell)))?;
    if !(0.0..=100.0).contains(&v) {
        return Err(format!("{cell} is outside 0 to 100 (a percent)"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_percents_as_people_write_them() {
        assert_eq!(share("0.6"), Ok(0.6));
        assert_eq!(share("60%"), Ok(0.6));
        assert_eq!(share("60 %"), Ok(0.6));
        assert_eq!(share("0"), Ok(0.0));
        assert_eq!(share("1"), Ok(1.0));
        assert!(share("60").is_err_and(|e| e.contains("write 0.6 or 60%")));
        assert!(share("101%").is_err());
        assert!(share("NaN").is_err_and(|e| e.contains("not a number")));
        assert!(share("").is_err());
        assert_eq!(percent("55"), Ok(55.0));
        assert_eq!(percent("55%"), Ok(55.0));
        assert!(percent("-1").is_err());
        assert!(percent("inf").is_err());
    }
}
