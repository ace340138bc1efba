//! After the exam: from every laptop's sheets to each candidate's final
//! result and the files that carry it. The files here read in the order the
//! data flows through them:
//!
//! 1. [`gather`]: every journal of the assessment from any number of
//!    folders; copies of one sheet are one sheet, only different histories
//!    conflict; every journal is checked before it is used; the candidates ×
//!    stations matrix.
//! 2. [`decisions`]: the exam lead's decisions (which sheet counts in a
//!    conflict, a void sheet, an absence, an item left unmarked, a station's
//!    result, the pass marks adopted).
//! 3. [`moderation`]: the external assessors' decisions, beside the marks.
//! 4. [`reconcile`]: each candidate's result: which sheet counts, double
//!    marking reconciled, pass marks applied, moderation's effect.
//! 5. [`finality`]: whether every result is final, and why not.
//! 6. [`export`] and [`workbook`]: the CSV files and the Excel workbook;
//!    [`feedback`]: a file per candidate.
//!
//! [`source`] says where the journals are read from: the laptops' folders
//! or the exam [`archive`]. [`audit`] checks every session file on its own,
//! for the exam lead.

pub mod archive;
pub mod audit;
pub mod components;
pub mod decisions;
pub mod export;
pub mod feedback;
pub mod finality;
pub mod gather;
pub mod moderation;
pub mod reconcile;
pub mod source;
pub mod workbook;
