//! Rubrics: the file format, loading, validation and diagnostics.
//!
//! A rubric describes one assessment: its scales, stations (or cases),
//! items, global ratings, timings, pass marks and overall pass rules. Text
//! becomes a [`Rubric`] in two steps: RON parsing into the [`file`] types,
//! which catches syntax errors and unknown fields, then [`validate`], which
//! checks everything that needs the whole file at once.

mod compare;
pub mod examples;
pub mod file;
mod identity;
mod load;
mod model;
mod problem;
mod spans;
pub mod summary;
mod validate;

pub use compare::{marking_difference, word_differences};
pub use identity::{canonical, content_hash};
pub use load::{
    Checked, Diagnostic, LoadError, MAX_NESTING, MAX_RUBRIC_BYTES, ReadError, byte_offset, check_file,
    check_str, line_col, load, read_text,
};
pub use model::*;
pub use problem::{
    Problem, Severity, did_you_mean, did_you_mean_or_begun, edit_distance, one_of, quoted, quoted_in, shorten,
};
pub use spans::SpanMap;
pub use validate::{
    EPSILON, MAX_ITEMS, MAX_ITEMS_PER_STATION, MAX_MARK, MAX_PLUS_SEM, MAX_STATIONS, MAX_WEIGHT, validate,
};
