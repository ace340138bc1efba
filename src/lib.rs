//! osce: clinical competency assessments (OSCEs, practical exams, final
//! clinical assessments) described in RON rubrics and scored at the station.
//!
//! The core is free of any terminal code: [`rubric`] reads and checks the
//! rubric files, [`scoring`] turns marks into scores, pass marks and results
//! with their reasons, [`store`] keeps every mark durable on disk, [`timer`]
//! computes station time from recorded events, and [`roster`] reads the
//! candidate lists. The terminal interface lives in [`tui`], a thin shell
//! over them; the binary (`src/main.rs`) adds the command line.

pub mod audit;
pub mod cohort;
pub mod csvin;
pub mod examples;
pub mod export;
pub mod feedback;
pub mod ids;
pub mod import;
pub mod moderation;
pub mod report;
pub mod results;
pub mod roster;
pub mod rubric;
pub mod scoring;
pub mod simulate;
pub mod standards;
pub mod stats;
pub mod store;
pub mod text;
pub mod threads;
pub mod timer;
pub mod tui;
pub mod workbook;
