//! Logbooks: the work-based portfolio of scans or injections that gates a
//! final clinical assessment, checked against the rubric's logbook gate.
//!
//! Two steps, as paper import does them:
//!
//! 1. [`read_logbook`] reads the file with the care every CSV gets (a size
//!    limit, UTF-8 only, a byte-order mark and Windows line endings
//!    tolerated); [`parse`] checks every line against the gate and gives the
//!    entries, or every problem at once, each with its line as a
//!    spreadsheet numbers rows (the header is line 1). All or nothing: a
//!    file with one wrong line gives no entries, so no verdicts.
//! 2. [`LogbookGate::evaluate`](crate::rubric::LogbookGate::evaluate) is a
//!    pure function from the entries to each candidate's verdict: eligible
//!    or not, and every [`Shortfall`], which reads as words ("32 more
//!    unassisted scans; no wrist scan audited").
//!
//! The format is documented in `docs/logbook-format.md`; the gate in
//! `docs/rubric-format.md`.

mod gate;
mod read;

pub use gate::{CandidateVerdict, Shortfall};
pub use read::{
    COLUMNS, Entry, LogbookError, LogbookErrors, LogbookProblem, MAX_LOGBOOK_BYTES, MAX_PROBLEMS,
    Supervision, parse, read_logbook,
};
