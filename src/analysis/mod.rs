//! The exam's quality and its pass marks: the statistics, the quality
//! report an exam board reads, and the standard-setting record.

pub mod agreement;
pub mod examiners;
pub mod hofstee;
pub mod items;
pub mod judges;
pub mod methods;
pub mod report;
pub mod standards;
pub mod stats;
