//! osce: clinical competency assessments (OSCEs, practical exams, final
//! clinical assessments) described in RON rubrics and scored at the station.
//!
//! The core is free of any terminal code: [`rubric`] reads and checks the
//! rubric files, [`scoring`] turns marks into scores, pass marks and results
//! with their reasons. The binary (`src/main.rs`) is a thin shell around it.

pub mod rubric;
pub mod scoring;
