//! The exam's quality and its pass marks: the statistics, the quality
//! report an exam board reads, and the standard-setting record.

pub mod agreement;
pub mod examiners;
pub mod report;
pub mod standards;
pub mod stats;
