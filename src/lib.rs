//! osce: clinical competency assessments (OSCEs, practical exams, final
//! clinical assessments) described in RON rubrics and scored at the station.
//!
//! The folders follow the exam's life (ARCHITECTURE.md maps them):
//!
//! - before: [`rubric`] reads and checks the rubric files; [`scoring`]
//!   turns marks into scores, pass marks and results with their reasons;
//! - on the day: [`day`] (the roster, the station timer, paper marks entered
//!   when a laptop failed, a simulated cohort), [`store`] keeps every mark
//!   durable on disk, and [`tui`] is the examiner's and the assessor's
//!   screens, a thin shell over the rest;
//! - after: [`results`] gathers every laptop's sheets, checks them, applies
//!   moderation and reconciles double marking into each candidate's result,
//!   and writes the exports;
//! - [`analysis`]: the statistics, the quality report and standard setting;
//! - [`base`]: what everything above shares (ids, words, CSV input, threads).
//!
//! The binary (`src/main.rs`) adds the command line.

pub mod analysis;
pub mod base;
pub mod day;
pub mod logbook;
pub mod results;
pub mod rubric;
pub mod scoring;
pub mod store;
pub mod tui;
