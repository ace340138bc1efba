//! The session store: every change to a sheet is appended to that sheet's
//! journal and made durable (fsync) before anyone is told it is saved.
//!
//! - [`record`]: the record and event types, one JSON line each.
//! - [`journal`]: files, locks, appends, replay, quarantine of torn writes.
//! - [`sheet`]: what a sheet says once its records are replayed.
//! - [`health`]: whether marks can be saved there right now.

pub mod health;
pub mod journal;
mod plain;
pub mod record;
pub mod sheet;

pub use health::*;
pub use journal::*;
pub use record::*;
pub use sheet::*;
