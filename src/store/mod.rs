//! The session store: every change to a sheet is appended to that sheet's
//! journal and made durable (fsync) before anyone is told it is saved.
//!
//! - [`record`]: the record and event types, one JSON line each.
//! - [`journal`]: one open journal: appends, fsync, locks.
//! - `layout`: where sheets live, session paths, the [`Store`] that opens them.
//! - `line`, `replay`: a record as a line; reading a journal back, torn
//!   writes and damage.
//! - `files`: owner-only files and folders, never through a link.
//! - `chain`: a journal of another kind of record (the exam lead's
//!   decisions) with the same guarantees.
//! - `error`: what can go wrong.
//! - [`sheet`]: what a sheet says once its records are replayed.
//! - [`health`]: whether marks can be saved there right now.

mod chain;
mod error;
mod files;
pub mod health;
pub mod journal;
mod layout;
mod line;
mod plain;
pub mod record;
mod replay;
pub mod sheet;

pub use chain::*;
pub use error::*;
pub use health::*;
pub use journal::*;
pub use layout::*;
pub use line::*;
pub use record::*;
pub use replay::*;
pub use sheet::*;
